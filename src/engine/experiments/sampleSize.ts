/**
 * Visitors needed per arm of an A/B test on conversion rates.
 *
 * Glossary (domain.md §6):
 * - p₁: baseline conversion rate (variant A); p₂: the rate B is expected to reach;
 * - α = 1 − confidence (two-sided), 1 − β = power;
 * - n = (z_{1−α/2} + z_{1−β})² · (p₁(1−p₁) + p₂(1−p₂)) / (p₂ − p₁)², rounded up to whole visitors.
 *
 * References: domain.md §6 (check: 5% → 6% at α = 0.05, power 0.8 gives 8,154.99, so 8,155 per arm);
 * S. Chow, J. Shao, H. Wang, *Sample Size Calculations in Clinical Research*, 2nd ed. (2008), §4.2
 * (two-sample proportions, unpooled variance form).
 */

import { EngineError } from "../errors";
import { normalQuantile } from "../math/normal";

export interface SampleSizeInput {
  /** p₁: baseline rate, strictly between 0 and 1 (0.05 for 5%). */
  readonly baselineRate: number;
  /** p₂: expected rate, strictly between 0 and 1 and different from p₁. */
  readonly expectedRate: number;
  /** Confidence level 1 − α (two-sided), strictly between 0 and 1. */
  readonly confidence: number;
  /** Power 1 − β, strictly between 0 and 1. */
  readonly power: number;
}

/** Which input an {@link EngineError} from {@link sampleSizePerArm} is about. */
export type SampleSizeField = "baselineRate" | "expectedRate" | "confidence" | "power";

function invalid(field: SampleSizeField, message: string): EngineError {
  return new EngineError("INVALID_INPUT", `sampleSizePerArm: ${message}`, { argument: field });
}

function checkShare(value: number, field: SampleSizeField, what: string, example: string): void {
  if (!(value > 0 && value < 1)) {
    throw invalid(field, `${what} must be strictly between 0 and 1 (${example}), got ${value}`);
  }
}

/**
 * The exact (unrounded) n of the formula; {@link sampleSizePerArm} rounds it up.
 *
 * @param input rates, confidence and power; see {@link SampleSizeInput}.
 * @returns n ≥ 0 (visitors per arm, not rounded).
 * @throws EngineError INVALID_INPUT as {@link sampleSizePerArm}.
 */
export function sampleSizeExact(input: SampleSizeInput): number {
  const { baselineRate: p1, expectedRate: p2, confidence, power } = input;
  checkShare(p1, "baselineRate", "baseline rate", "0.05 for 5%");
  checkShare(p2, "expectedRate", "expected rate", "0.06 for 6%");
  checkShare(confidence, "confidence", "confidence", "0.95 for 95%");
  checkShare(power, "power", "power", "0.8 for 80%");
  if (p1 === p2) {
    throw invalid("expectedRate", `expected rate must differ from the baseline rate (${p1}); no sample size detects no difference`);
  }
  const zAlpha = normalQuantile(1 - (1 - confidence) / 2);
  const zBeta = normalQuantile(power);
  const sum = zAlpha + zBeta;
  const difference = p2 - p1;
  return (sum * sum * (p1 * (1 - p1) + p2 * (1 - p2))) / (difference * difference);
}

/**
 * Visitors needed in each arm to detect a change from p₁ to p₂ with a two-sided z-test.
 *
 * @param input rates, confidence and power; see {@link SampleSizeInput}.
 * @returns whole visitors per arm: n rounded up (a value within 1e-9 of a whole number counts as
 *   that whole number, so rounding noise never adds a visitor).
 * @throws EngineError INVALID_INPUT when a rate, the confidence or the power is not strictly between
 *   0 and 1, or the two rates are equal (`error.argument` is the {@link SampleSizeField}); also when
 *   the result is too large to represent (a difference of rates too small to detect).
 *
 * References: domain.md §6; Chow, Shao & Wang (2008) §4.2.
 */
export function sampleSizePerArm(input: SampleSizeInput): number {
  const n = sampleSizeExact(input);
  const whole = Math.ceil(n - 1e-9 * Math.max(1, n));
  if (!Number.isFinite(whole) || whole > Number.MAX_SAFE_INTEGER) {
    throw invalid("expectedRate", "the rates are too close together: the sample size is too large to represent");
  }
  return Math.max(1, whole);
}
