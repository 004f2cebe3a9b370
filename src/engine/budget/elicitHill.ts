/**
 * A Hill response curve from two points a planner can state: "spending x₁ buys y₁, spending x₂
 * buys y₂" (typically x₂ = 2·x₁: "doubling the spend gives y₂"). Finance users rarely have fitted
 * curves; two elicited points and a shape fix the ceiling and half-saturation exactly.
 *
 * Glossary: β ceiling, γ half-saturation spend, α shape (see hillCurve.ts); (x₁, y₁), (x₂, y₂) the
 * elicited spends and responses.
 *
 * Method: 1/y = 1/β + (γ^α/β)·x^(−α), so 1/y is a straight line in x^(−α) with intercept a = 1/β
 * and slope b = γ^α/β. Two points give a and b in closed form for any shape α; the curve saturates
 * (a finite ceiling) exactly when a > 0, i.e. when y₂/y₁ < (x₂/x₁)^α.
 *
 * References: the Lineweaver–Burk (double-reciprocal) linearisation of the Hill/Michaelis–Menten
 * equation, H. Lineweaver and D. Burk (1934), J. Am. Chem. Soc. 56, eq. (4); domain.md §5.1.
 */

import { EngineError } from "../errors";
import { MAX_SHAPE, type HillCurve } from "./hillCurve";

/** Two elicited points on a response curve, and the curve's shape. */
export interface TwoPointElicitation {
  /** x₁: a spend level (currency, > 0). */
  readonly spend1: number;
  /** y₁: the response that x₁ buys (> 0). */
  readonly response1: number;
  /** x₂: a higher spend level (currency, > x₁), e.g. 2·x₁. */
  readonly spend2: number;
  /** y₂: the response that x₂ buys (> y₁). */
  readonly response2: number;
  /** α: shape (> 0); 1 when omitted (diminishing returns from the first unit of spend). */
  readonly shape?: number;
}

/** Which input an {@link EngineError} from {@link hillFromTwoPoints} is about. */
export type TwoPointField = "spend1" | "response1" | "spend2" | "response2" | "shape";

function invalid(field: TwoPointField, message: string): EngineError {
  return new EngineError("INVALID_INPUT", `hillFromTwoPoints: ${message}`, { argument: field });
}

function formatPlain(x: number): string {
  return Number.parseFloat(x.toPrecision(6)).toString();
}

/**
 * The Hill curve through two elicited points, for a given shape.
 *
 * @param points x₁ < x₂ (currency, > 0), y₁ < y₂ (response units, > 0) and the shape α (default 1).
 * @returns the curve {β, γ, α} with y(x₁) = y₁ and y(x₂) = y₂ (to rounding).
 * @throws EngineError INVALID_INPUT when a number is not finite or out of range, when x₂ ≤ x₁ or
 *   y₂ ≤ y₁ (more spend must buy more), or when the points imply no saturation:
 *   y₂/y₁ ≥ (x₂/x₁)^α (for α = 1 and doubled spend: y₂ ≥ 2·y₁), where no ceiling fits.
 *
 * References: Lineweaver & Burk (1934) eq. (4) applied to y = β·x^α/(x^α + γ^α).
 * Check: α = 1, (100, 50), (200, 80) → β = 200, γ = 300.
 */
export function hillFromTwoPoints(points: TwoPointElicitation): HillCurve {
  const { spend1: x1, response1: y1, spend2: x2, response2: y2 } = points;
  const alpha = points.shape ?? 1;
  if (!Number.isFinite(alpha) || alpha <= 0 || alpha > MAX_SHAPE) {
    throw invalid("shape", `shape must be greater than 0 and at most ${MAX_SHAPE}, got ${alpha}`);
  }
  if (!Number.isFinite(x1) || x1 <= 0) throw invalid("spend1", `the first spend must be greater than 0, got ${x1}`);
  if (!Number.isFinite(y1) || y1 <= 0) throw invalid("response1", `the first response must be greater than 0, got ${y1}`);
  if (!Number.isFinite(x2) || x2 <= x1) throw invalid("spend2", `the second spend must be greater than the first (${x1}), got ${x2}`);
  if (!Number.isFinite(y2) || y2 <= y1) {
    throw invalid("response2", `the second response must be greater than the first (${y1}): more spend has to buy more, got ${y2}`);
  }
  // Work with ratios to x₁ so that x^(−α) cannot underflow: z = (x/x₁)^(−α), z₁ = 1.
  const z2 = Math.pow(x2 / x1, -alpha);
  const slope = (1 / y1 - 1 / y2) / (1 - z2); // b·x₁^(−α)
  const intercept = 1 / y1 - slope; // a = 1/β
  const growthLimit = 1 / z2; // (x₂/x₁)^α
  if (!(intercept > 0) || intercept * y1 < 1e-12) {
    throw invalid(
      "response2",
      `these points imply no saturation: the response grows by ${formatPlain(y2 / y1)}× while spend grows by ` +
        `${formatPlain(x2 / x1)}×, and a curve with shape ${formatPlain(alpha)} can grow by less than ` +
        `${formatPlain(growthLimit)}× only; lower the second response or raise the shape`,
    );
  }
  const ceiling = 1 / intercept;
  // γ^α = b·β and b = slope·x₁^α, so γ = x₁·(slope·β)^(1/α).
  const halfSaturation = x1 * Math.pow(slope * ceiling, 1 / alpha);
  if (!Number.isFinite(ceiling) || !Number.isFinite(halfSaturation) || halfSaturation <= 0) {
    throw invalid("response2", "these points give a curve too extreme to represent; check the spends and responses");
  }
  return { ceiling, halfSaturation, shape: alpha };
}
