/**
 * Hill response curve: the response (revenue, customers, conversions…) that a level of spend buys,
 * with diminishing returns and, for shapes above 1, an S-shaped start.
 *
 * Glossary (symbols of domain.md §5.1 and the marketing-mix literature):
 * - x: spend per period (currency, x ≥ 0);
 * - β: ceiling, the response that unlimited spend approaches (response units, β ≥ 0);
 * - γ: half-saturation spend, the spend that buys half the ceiling (currency, γ > 0);
 * - α: shape; α ≤ 1 concave (every extra unit buys less), α > 1 S-shaped (convex up to the
 *   inflection point, concave after it);
 * - t = (x/γ)^α, the saturation ratio: y = β·t/(1+t).
 * - λ: a marginal return (response per unit of spend), the allocator's common marginal ROI.
 *
 * Everything is computed through t, never through x^α and γ^α separately, so large shapes and
 * spends do not overflow.
 *
 * References: A. V. Hill (1910), the Hill equation; Y. Jin, Y. Wang, Y. Sun, D. Chan, J. Koehler
 * (2017), "Bayesian Methods for Media Mix Modeling with Carryover and Shape Effects", Google,
 * eq. (3) (Hill saturation); domain.md §5.1.
 */

import { EngineError } from "../errors";

/** One Hill response curve y(x) = β·x^α/(x^α + γ^α). */
export interface HillCurve {
  /** β: ceiling, the response approached as spend grows without limit (≥ 0, finite). */
  readonly ceiling: number;
  /** γ: half-saturation spend, where the response is half the ceiling (> 0, finite, currency). */
  readonly halfSaturation: number;
  /** α: shape (> 0); 1 is the classic concave curve, above 1 S-shaped. */
  readonly shape: number;
}

/** Which field of a {@link HillCurve} a problem is about. */
export type HillCurveField = "ceiling" | "halfSaturation" | "shape";

/** Largest accepted shape: beyond it the curve is a step and carries no information a grid can use. */
export const MAX_SHAPE = 50;

/**
 * The first problem with a curve's parameters, or null when it is valid.
 *
 * @param curve the parameters as given.
 * @returns the field at fault and a sentence for users (no location), or null.
 */
export function hillCurveProblem(curve: HillCurve): { field: HillCurveField; problem: string } | null {
  const { ceiling, halfSaturation, shape } = curve;
  if (!Number.isFinite(ceiling) || ceiling < 0) {
    return { field: "ceiling", problem: `ceiling must be a number of at least 0 (the most response spend can buy), got ${ceiling}` };
  }
  if (!Number.isFinite(halfSaturation) || halfSaturation <= 0) {
    return {
      field: "halfSaturation",
      problem: `half-saturation must be greater than 0 (the spend that buys half the ceiling), got ${halfSaturation}`,
    };
  }
  if (!Number.isFinite(shape) || shape <= 0 || shape > MAX_SHAPE) {
    return {
      field: "shape",
      problem: `shape must be greater than 0 and at most ${MAX_SHAPE} (1 for diminishing returns, above 1 for an S-curve), got ${shape}`,
    };
  }
  return null;
}

/**
 * Throws when a curve is invalid.
 *
 * @param curve the parameters.
 * @param where message prefix naming the caller and unit, e.g. `allocateBudget: unit 3`.
 * @param row 1-based unit number for the error location, when there is one.
 * @throws EngineError INVALID_INPUT with `argument` set to the {@link HillCurveField} at fault.
 */
export function checkHillCurve(curve: HillCurve, where: string, row?: number): void {
  const found = hillCurveProblem(curve);
  if (found !== null) throw new EngineError("INVALID_INPUT", `${where}: ${found.problem}`, { argument: found.field, row });
}

/** t = (x/γ)^α, the saturation ratio (0 at x = 0, may be +∞ for huge x/γ). */
function saturation(x: number, curve: HillCurve): number {
  return x <= 0 ? 0 : Math.pow(x / curve.halfSaturation, curve.shape);
}

/**
 * Response bought by spend x: y(x) = β·x^α/(x^α + γ^α).
 *
 * @param x spend (currency, ≥ 0; negative spend is treated as 0).
 * @param curve a valid curve (not checked here: this is the allocator's hot path).
 * @returns the response, in [0, β].
 *
 * References: domain.md §5.1; Jin et al. (2017) eq. (3).
 */
export function hillResponse(x: number, curve: HillCurve): number {
  const t = saturation(x, curve);
  if (t === 0) return 0;
  // β·t/(1+t) = β/(1 + 1/t): finite for t = +∞.
  return curve.ceiling / (1 + 1 / t);
}

/**
 * Marginal response at spend x: y'(x) = β·α·γ^α·x^(α−1)/(x^α + γ^α)² = (β·α/x)·t/(1+t)².
 *
 * @param x spend (currency, ≥ 0).
 * @param curve a valid curve.
 * @returns response per extra unit of spend (≥ 0); at x = 0 it is β/γ for α = 1, 0 for α > 1 and
 *   +∞ for α < 1 (the curve starts vertically): callers that report it must handle that case.
 *
 * References: domain.md §5.1 (marginal).
 */
export function hillMarginal(x: number, curve: HillCurve): number {
  const { ceiling: beta, halfSaturation: gamma, shape: alpha } = curve;
  if (x <= 0) {
    if (alpha === 1) return beta / gamma;
    return alpha > 1 || beta === 0 ? 0 : Number.POSITIVE_INFINITY;
  }
  const t = saturation(x, curve);
  if (t > 1) {
    // (β·α/x)·(1/t)/(1+1/t)²: t = +∞ gives 0, not NaN.
    const inverse = 1 / t;
    return ((beta * alpha) / x) * (inverse / ((1 + inverse) * (1 + inverse)));
  }
  // (β·α/γ)·(x/γ)^(α−1)/(1+t)²: no β·α/x overflow at tiny spends.
  return ((beta * alpha) / gamma) * (Math.pow(x / gamma, alpha - 1) / ((1 + t) * (1 + t)));
}

/**
 * Inflection spend of an S-curve, where it turns from convex to concave: x = γ·((α−1)/(α+1))^(1/α).
 *
 * @param curve a valid curve.
 * @returns the inflection spend (currency) for α > 1; 0 for α ≤ 1 (concave from the start).
 *
 * References: from y''(x) = 0 with y as in domain.md §5.1 (t = (α−1)/(α+1) at the inflection).
 */
export function hillInflection(curve: HillCurve): number {
  const alpha = curve.shape;
  if (alpha <= 1) return 0;
  return curve.halfSaturation * Math.pow((alpha - 1) / (alpha + 1), 1 / alpha);
}

/** ln(1 + e^u) without overflow. */
function softplus(u: number): number {
  return u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
}

/** e^u/(1 + e^u) without overflow. */
function logistic(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}

/** Cap on Newton steps for one inversion (it converges in well under 20 from the right). */
const MAX_NEWTON_STEPS = 200;

/**
 * Spend at which the marginal response equals λ, on the concave part of the curve, clamped to
 * [lower, upper]: the allocator's per-unit answer for a common marginal ROI λ.
 *
 * For α = 1 it is the closed form x = √(β·γ/λ) − γ (domain.md §5.2). Otherwise it solves, in
 * u = ln t, h(u) = (1 − 1/α)·u − 2·ln(1 + e^u) − ln(λγ/(βα)) = 0; h is concave and strictly
 * decreasing beyond the inflection point, so Newton's method started right of the root moves left
 * monotonically and never overshoots.
 *
 * @param curve a valid curve.
 * @param lambda the target marginal return (response per unit of spend, > 0).
 * @param lower lowest spend allowed (currency, ≥ the inflection spend, so y' decreases on the range).
 * @param upper highest spend allowed (currency, ≥ lower; +∞ for no limit).
 * @returns x in [lower, upper]: lower when y'(lower) ≤ λ, upper when y'(upper) ≥ λ, otherwise the
 *   spend with y'(x) = λ (to about 1e-15 relative in u).
 * @throws EngineError NOT_CONVERGED if Newton's method hits its cap (not expected for valid input).
 */
export function hillSpendForMarginal(curve: HillCurve, lambda: number, lower: number, upper: number): number {
  const { ceiling: beta, halfSaturation: gamma, shape: alpha } = curve;
  if (beta === 0 || hillMarginal(lower, curve) <= lambda) return lower;
  if (upper !== Number.POSITIVE_INFINITY && hillMarginal(upper, curve) >= lambda) return upper;
  let x: number;
  if (alpha === 1) {
    x = Math.sqrt((beta * gamma) / lambda) - gamma;
  } else {
    const logC = Math.log((lambda * gamma) / (beta * alpha));
    const slope = 1 - 1 / alpha;
    const h = (u: number) => slope * u - 2 * softplus(u) - logC;
    const uLower = lower > 0 ? alpha * Math.log(lower / gamma) : Number.NEGATIVE_INFINITY;
    // A start right of the root: for large u, h(u) ≈ −(1 + 1/α)·u − ln c.
    let u = Math.max(uLower + 1, -logC / (1 + 1 / alpha) + 1, 1);
    for (let i = 0; i < MAX_NEWTON_STEPS && h(u) > 0; i++) u = 2 * u + 1;
    let converged = false;
    for (let i = 0; i < MAX_NEWTON_STEPS; i++) {
      const value = h(u);
      const derivative = slope - 2 * logistic(u);
      const next = u - value / derivative;
      if (!Number.isFinite(next)) break;
      if (Math.abs(next - u) <= 1e-15 * Math.max(1, Math.abs(u)) || next >= u) {
        u = Math.min(u, next);
        converged = true;
        break;
      }
      u = next;
    }
    if (!converged) {
      throw new EngineError("NOT_CONVERGED", `hillSpendForMarginal: Newton's method did not converge for marginal return ${lambda}`);
    }
    x = gamma * Math.exp(u / alpha);
  }
  return Math.min(upper, Math.max(lower, x));
}
