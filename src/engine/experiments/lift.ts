/**
 * Holdout incrementality: what a campaign added over a control group that was held out of it.
 *
 * Glossary (domain.md §6):
 * - x_T, n_T: conversions and size of the test group (contacted); x_C, n_C those of the control
 *   group (held out);
 * - p_T = x_T/n_T, p_C = x_C/n_C: conversion rates;
 * - lift = (p_T − p_C)/p_C, the relative increase of the conversion rate over the control's;
 * - confidence interval of the lift by the **delta method on the log of the rate ratio** (Katz et
 *   al. 1978): ln(p_T/p_C) ± z_{1−α/2}·√((1−p_T)/x_T + (1−p_C)/x_C), exponentiated, minus 1. It is
 *   asymmetric around the lift, never below −100%, and needs x_T > 0 (x_C > 0 is required anyway);
 * - absolute difference p_T − p_C with its unpooled (Wald) interval
 *   ± z_{1−α/2}·√(p_T(1−p_T)/n_T + p_C(1−p_C)/n_C);
 * - z = (p_T − p_C)/√(p̂(1−p̂)(1/n_T + 1/n_C)) with the pooled rate p̂ = (x_T+x_C)/(n_T+n_C), as
 *   IMC.ABTEST (src/engine/experiments/abTest.ts, reused here with A = control, B = test);
 *   two-sided p-value 2(1 − Φ(|z|));
 * - incremental conversions (p_T − p_C)·n_T: conversions the test group made beyond what it would
 *   have made at the control's rate;
 * - v̄_T = R_T/n_T, v̄_C = R_C/n_C: revenue per customer of each group (R: the group's revenue in the
 *   test window); incremental revenue (v̄_T − v̄_C)·n_T; iROAS = incremental revenue / spend.
 *   The control's revenue per customer × n_T is the baseline of ROCI (domain.md §2).
 *
 * References: domain.md §6 (check: 300/10,000 vs 250/10,000 → lift 20.0%, z 2.162, p 0.0306,
 * incremental conversions 50; with revenues 15,000 vs 12,000 and spend 1,000 → incremental revenue
 * 3,000, iROAS 3.0); D. Katz, J. Baptista, S. P. Azen, M. C. Pike, "Obtaining confidence intervals
 * for the risk ratio in cohort studies", Biometrics 34 (1978) 469–474; A. Agresti, *Categorical
 * Data Analysis*, 3rd ed. (2013), §1.4 and §3.1.
 */

import { EngineError } from "../errors";
import { abTest, formatPValue } from "./abTest";

export interface LiftInput {
  /** x_T: conversions of the test group, a whole number from 0 to n_T. */
  readonly conversionsTest: number;
  /** n_T: customers in the test group, a whole number ≥ 1. */
  readonly sizeTest: number;
  /** x_C: conversions of the control group, a whole number from 1 to n_C. */
  readonly conversionsControl: number;
  /** n_C: customers in the control group, a whole number ≥ 1. */
  readonly sizeControl: number;
  /** R_T: revenue of the test group in the window (currency), or null when not known; needs `revenueControl`. */
  readonly revenueTest?: number | null;
  /** R_C: revenue of the control group in the window (currency), or null when not known; needs `revenueTest`. */
  readonly revenueControl?: number | null;
  /** Spend on the test group (currency, > 0), or null when not known. */
  readonly spend?: number | null;
  /** Confidence level 1 − α, strictly between 0 and 1 (0.95 for 95%). */
  readonly confidence: number;
}

export interface LiftResult {
  /** p_T. */
  readonly rateTest: number;
  /** p_C. */
  readonly rateControl: number;
  /** (p_T − p_C)/p_C. */
  readonly lift: number;
  /** Log rate-ratio (delta method) interval of the lift; null when the test group has no conversion. */
  readonly liftLow: number | null;
  readonly liftHigh: number | null;
  /** p_T − p_C (a difference of rates). */
  readonly difference: number;
  /** Unpooled Wald interval of p_T − p_C. */
  readonly differenceLow: number;
  readonly differenceHigh: number;
  /** Pooled z statistic of p_T − p_C. */
  readonly z: number;
  /** Two-sided p-value. */
  readonly pValue: number;
  /** 1 − confidence. */
  readonly alpha: number;
  /** pValue < alpha. */
  readonly significant: boolean;
  /** (p_T − p_C)·n_T. */
  readonly incrementalConversions: number;
  /** v̄_T = R_T/n_T, null without revenues. */
  readonly revenuePerCustomerTest: number | null;
  /** v̄_C = R_C/n_C, null without revenues. */
  readonly revenuePerCustomerControl: number | null;
  /** v̄_C·n_T: the test group's revenue had it behaved like the control (ROCI's baseline); null without revenues. */
  readonly baselineRevenue: number | null;
  /** (v̄_T − v̄_C)·n_T, null without revenues. */
  readonly incrementalRevenue: number | null;
  /** The spend, null when not given. */
  readonly spend: number | null;
  /** Incremental revenue / spend, null without revenues or spend. */
  readonly iroas: number | null;
  /** Spend / incremental conversions, null without spend or when incremental conversions ≤ 0. */
  readonly costPerIncrementalConversion: number | null;
  /** One sentence: whether the test converted more than the control, and whether that is significant. */
  readonly verdict: string;
}

/** Which input an {@link EngineError} from {@link holdoutLift} is about. */
export type LiftField = "conversionsTest" | "sizeTest" | "conversionsControl" | "sizeControl" | "revenueTest" | "revenueControl" | "spend" | "confidence";

function invalid(field: LiftField, message: string): EngineError {
  return new EngineError("INVALID_INPUT", `holdoutLift: ${message}`, { argument: field });
}

function checkGroup(conversions: number, size: number, conversionsField: LiftField, sizeField: LiftField, group: string): void {
  if (!Number.isInteger(size) || size < 1) {
    throw invalid(sizeField, `the ${group} group's size must be a whole number of at least 1 customer, got ${size}`);
  }
  if (!Number.isInteger(conversions) || conversions < 0) {
    throw invalid(conversionsField, `conversions of the ${group} group must be a whole number of at least 0 (a count, not a rate), got ${conversions}`);
  }
  if (conversions > size) {
    throw invalid(conversionsField, `conversions of the ${group} group (${conversions}) cannot exceed its size (${size})`);
  }
}

function checkAmount(value: number | null | undefined, field: LiftField, what: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isFinite(value)) throw invalid(field, `${what} must be a number, got ${value}`);
  return value;
}

/**
 * Lift of a test group over a held-out control group, with its interval, test and the incremental
 * conversions, revenue and iROAS.
 *
 * @param input counts, optional revenues and spend, confidence; see {@link LiftInput}.
 * @returns rates, lift and its interval, difference and its interval, z, p-value, incremental
 *   conversions and revenue, iROAS and a verdict; see {@link LiftResult}.
 * @throws EngineError INVALID_INPUT (`error.argument` is the {@link LiftField}) when a count is not a
 *   whole number, a size is below 1, conversions exceed their group's size, the control group has no
 *   conversion (the lift is relative to the control's rate, so it is undefined), only one of the two
 *   revenues is given, the spend is not above 0, or the confidence is not strictly between 0 and 1;
 *   INSUFFICIENT_DATA when every customer of both groups converted (nothing to compare).
 *
 * References: domain.md §6; Katz et al. (1978); Agresti (2013) §1.4.
 */
export function holdoutLift(input: LiftInput): LiftResult {
  const { conversionsTest: xT, sizeTest: nT, conversionsControl: xC, sizeControl: nC, confidence } = input;
  checkGroup(xT, nT, "conversionsTest", "sizeTest", "test");
  checkGroup(xC, nC, "conversionsControl", "sizeControl", "control");
  if (xC === 0) {
    throw invalid("conversionsControl", "the control group has no conversions, so the lift (relative to the control's rate) is undefined; use a larger control group or a longer window");
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw invalid("confidence", `confidence must be strictly between 0 and 1 (0.95 for 95%), got ${confidence}`);
  }
  const revenueTest = checkAmount(input.revenueTest, "revenueTest", "the test group's revenue");
  const revenueControl = checkAmount(input.revenueControl, "revenueControl", "the control group's revenue");
  if ((revenueTest === null) !== (revenueControl === null)) {
    const missing: LiftField = revenueTest === null ? "revenueTest" : "revenueControl";
    throw invalid(missing, `the ${missing === "revenueTest" ? "test" : "control"} group's revenue is missing; give both revenues or neither`);
  }
  const spend = checkAmount(input.spend, "spend", "spend");
  if (spend !== null && !(spend > 0)) throw invalid("spend", `spend must be above 0, got ${spend}`);
  if (xT === nT && xC === nC) {
    throw new EngineError("INSUFFICIENT_DATA", "holdoutLift: every customer of both groups converted, so the groups cannot be compared");
  }

  // A = control, B = test: abTest's z, p-value and intervals are those of p_T − p_C and p_T/p_C.
  const test = abTest({ conversionsA: xC, visitorsA: nC, conversionsB: xT, visitorsB: nT, confidence });
  const rateTest = test.rateB;
  const rateControl = test.rateA;
  const lift = rateTest / rateControl - 1;
  const incrementalConversions = (rateTest - rateControl) * nT;

  let revenuePerCustomerTest: number | null = null;
  let revenuePerCustomerControl: number | null = null;
  let baselineRevenue: number | null = null;
  let incrementalRevenue: number | null = null;
  if (revenueTest !== null && revenueControl !== null) {
    revenuePerCustomerTest = revenueTest / nT;
    revenuePerCustomerControl = revenueControl / nC;
    baselineRevenue = revenuePerCustomerControl * nT;
    incrementalRevenue = revenueTest - baselineRevenue;
    if (!Number.isFinite(incrementalRevenue)) throw invalid("revenueTest", "the revenues are too large to compare; give them in thousands or millions");
  }
  const iroas = incrementalRevenue !== null && spend !== null ? incrementalRevenue / spend : null;
  const costPerIncrementalConversion = spend !== null && incrementalConversions > 0 ? spend / incrementalConversions : null;

  const alphaText = Number.parseFloat(test.alpha.toPrecision(6)).toString();
  const pText = formatPValue(test.pValue, test.alpha);
  const liftText = `${lift >= 0 ? "+" : ""}${(lift * 100).toFixed(1)}%`;
  const verdict = test.significant
    ? `Test converts ${lift > 0 ? "more" : "less"} than control: lift ${liftText} (p = ${pText} < ${alphaText})`
    : `No significant difference between test and control: lift ${liftText} (p = ${pText} ≥ ${alphaText})`;

  return {
    rateTest,
    rateControl,
    lift,
    liftLow: test.relativeLiftLow,
    liftHigh: test.relativeLiftHigh,
    difference: test.absoluteLift,
    differenceLow: test.differenceLow,
    differenceHigh: test.differenceHigh,
    z: test.z,
    pValue: test.pValue,
    alpha: test.alpha,
    significant: test.significant,
    incrementalConversions,
    revenuePerCustomerTest,
    revenuePerCustomerControl,
    baselineRevenue,
    incrementalRevenue,
    spend,
    iroas,
    costPerIncrementalConversion,
    verdict,
  };
}
