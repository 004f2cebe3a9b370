/**
 * A/B test of two conversion rates: the two-proportion z-test.
 *
 * Glossary (domain.md §6):
 * - x₁, n₁: conversions and visitors of variant A (the control); x₂, n₂ those of variant B;
 * - p₁ = x₁/n₁, p₂ = x₂/n₂: conversion rates; p̂ = (x₁+x₂)/(n₁+n₂): pooled rate under H₀: p₁ = p₂;
 * - z = (p₂ − p₁)/√(p̂(1−p̂)(1/n₁+1/n₂)); two-sided p-value 2(1 − Φ(|z|));
 * - confidence interval of p₂ − p₁ with the unpooled standard error √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂)
 *   (Wald interval);
 * - relative lift p₂/p₁ − 1, its interval from the log of the rate ratio (Katz et al. 1978):
 *   ln(p₂/p₁) ± z_{1−α/2}·√((1−p₁)/x₁ + (1−p₂)/x₂), exponentiated, minus 1. This interval is
 *   asymmetric around the lift and never goes below −100%; it needs x₁ > 0 and x₂ > 0.
 *
 * References: domain.md §6 (check: 250/5000 vs 295/5000 → z = 1.982, p = 0.0474, CI [+0.01%, +1.79%]);
 * A. Agresti, *Categorical Data Analysis*, 3rd ed. (2013), §1.4 and §3.1 (Wald interval of p₂ − p₁);
 * D. Katz, J. Baptista, S. P. Azen, M. C. Pike, "Obtaining confidence intervals for the risk ratio in
 * cohort studies", Biometrics 34 (1978) 469–474 (log rate-ratio interval).
 */

import { EngineError } from "../errors";
import { normalQuantile, normalUpperTail } from "../math/normal";

export interface AbTestInput {
  /** x₁: conversions of A, a whole number from 0 to n₁. */
  readonly conversionsA: number;
  /** n₁: visitors of A, a whole number ≥ 1. */
  readonly visitorsA: number;
  /** x₂: conversions of B, a whole number from 0 to n₂. */
  readonly conversionsB: number;
  /** n₂: visitors of B, a whole number ≥ 1. */
  readonly visitorsB: number;
  /** Confidence level 1 − α, strictly between 0 and 1 (0.95 for 95%). */
  readonly confidence: number;
}

export interface AbTestResult {
  /** p₁. */
  readonly rateA: number;
  /** p₂. */
  readonly rateB: number;
  /** p₂ − p₁ (a difference of rates, e.g. 0.009 = +0.9 percentage points). */
  readonly absoluteLift: number;
  /** p₂/p₁ − 1; null when p₁ = 0. */
  readonly relativeLift: number | null;
  /** Pooled z statistic. */
  readonly z: number;
  /** Two-sided p-value 2(1 − Φ(|z|)). */
  readonly pValue: number;
  /** Wald interval of p₂ − p₁ at the confidence level. */
  readonly differenceLow: number;
  readonly differenceHigh: number;
  /** Log rate-ratio interval of the relative lift; null when x₁ = 0 or x₂ = 0. */
  readonly relativeLiftLow: number | null;
  readonly relativeLiftHigh: number | null;
  /** 1 − confidence. */
  readonly alpha: number;
  /** True when pValue < alpha. */
  readonly significant: boolean;
  /** One sentence for users: which variant is higher and whether it is significant. */
  readonly verdict: string;
}

/** Which input an {@link EngineError} from {@link abTest} is about. */
export type AbTestField = "conversionsA" | "visitorsA" | "conversionsB" | "visitorsB" | "confidence";

function invalid(field: AbTestField, message: string): EngineError {
  return new EngineError("INVALID_INPUT", `abTest: ${message}`, { argument: field });
}

function checkCounts(conversions: number, visitors: number, conversionsField: AbTestField, visitorsField: AbTestField, variant: string): void {
  if (!Number.isInteger(visitors) || visitors < 1) {
    throw invalid(visitorsField, `visitors of ${variant} must be a whole number of at least 1, got ${visitors}`);
  }
  if (!Number.isInteger(conversions) || conversions < 0) {
    throw invalid(
      conversionsField,
      `conversions of ${variant} must be a whole number of at least 0 (a count, not a rate), got ${conversions}`,
    );
  }
  if (conversions > visitors) {
    throw invalid(conversionsField, `conversions of ${variant} (${conversions}) cannot exceed its visitors (${visitors})`);
  }
}

/**
 * A p-value as people read it: three significant digits (0.0474, 1.23e-7), more when three would put
 * it on the wrong side of α (0.04996 is shown as 0.04996, not 0.05, when α = 0.05).
 */
export function formatPValue(p: number, alpha: number): string {
  const significant = p < alpha;
  for (let digits = 3; digits < 17; digits++) {
    const shown = Number.parseFloat(p.toPrecision(digits));
    if (shown < alpha === significant) return shown.toString();
  }
  return p.toString();
}

/**
 * Two-proportion z-test of B against A.
 *
 * @param input conversions and visitors of both variants and the confidence level; see {@link AbTestInput}.
 * @returns rates, lifts, z, two-sided p-value, intervals and a verdict; see {@link AbTestResult}.
 * @throws EngineError INVALID_INPUT when a count is not a whole number, visitors < 1, conversions >
 *   visitors, or the confidence is not strictly between 0 and 1 (`error.argument` is the
 *   {@link AbTestField}); INSUFFICIENT_DATA when both variants have 0% or both 100% conversion
 *   (the pooled standard error is 0, so there is nothing to test).
 *
 * References: domain.md §6; Agresti (2013) §1.4; Katz et al. (1978).
 */
export function abTest(input: AbTestInput): AbTestResult {
  const { conversionsA: x1, visitorsA: n1, conversionsB: x2, visitorsB: n2, confidence } = input;
  checkCounts(x1, n1, "conversionsA", "visitorsA", "A");
  checkCounts(x2, n2, "conversionsB", "visitorsB", "B");
  if (!(confidence > 0 && confidence < 1)) {
    throw invalid("confidence", `confidence must be strictly between 0 and 1 (0.95 for 95%), got ${confidence}`);
  }
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const pooledVariance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (!(pooledVariance > 0)) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      `abTest: both variants converted ${pooled === 0 ? "no" : "every"} visitor, so the rates cannot be compared; collect more data`,
    );
  }
  const difference = p2 - p1;
  const z = difference / Math.sqrt(pooledVariance);
  const pValue = Math.min(1, 2 * normalUpperTail(Math.abs(z)));
  const alpha = 1 - confidence;
  const critical = normalQuantile(1 - alpha / 2);
  const unpooledSe = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);

  const relativeLift = p1 > 0 ? p2 / p1 - 1 : null;
  let relativeLiftLow: number | null = null;
  let relativeLiftHigh: number | null = null;
  if (x1 > 0 && x2 > 0) {
    const logRatio = Math.log(p2 / p1);
    const logSe = Math.sqrt((1 - p1) / x1 + (1 - p2) / x2);
    relativeLiftLow = Math.expm1(logRatio - critical * logSe);
    relativeLiftHigh = Math.expm1(logRatio + critical * logSe);
  }

  const significant = pValue < alpha;
  const alphaText = Number.parseFloat(alpha.toPrecision(6)).toString();
  const verdict = significant
    ? `B is ${difference > 0 ? "higher" : "lower"} than A (p = ${formatPValue(pValue, alpha)} < ${alphaText})`
    : `No significant difference (p = ${formatPValue(pValue, alpha)} ≥ ${alphaText})`;
  return {
    rateA: p1,
    rateB: p2,
    absoluteLift: difference,
    relativeLift,
    z,
    pValue,
    differenceLow: difference - critical * unpooledSe,
    differenceHigh: difference + critical * unpooledSe,
    relativeLiftLow,
    relativeLiftHigh,
    alpha,
    significant,
    verdict,
  };
}
