/**
 * The profit plan: each unit funded while one more unit of spend brings back at least one unit of
 * contribution, m · y'(x) ≥ 1 (m the gross margin rate, y the revenue response curve), whatever the
 * total. It answers "how much is worth spending", where allocateBudget answers "how to split a given
 * budget".
 *
 * Glossary: m gross margin rate; unit i with Hill curve y_i, bounds L_i ≤ x_i ≤ U_i; contribution
 * π_i(x) = m · y_i(x) − x, maximised per unit independently (no budget constraint).
 *
 * Method: on the concave part of the curve the best spend solves m · y'(x) = 1 (hillSpendForMarginal
 * with λ = 1/m, clamped to the bounds); for an S-curve that candidate is compared with the lower
 * bound (and the upper one when the whole range is convex), keeping the spend of highest π.
 *
 * References: domain.md §5.1–5.2 (Hill curve and marginal return); the first-order condition of
 * profit maximisation, marginal revenue × margin = marginal cost.
 */

import { EngineError } from "../errors";
import type { AllocationUnit } from "./allocate";
import { checkHillCurve, hillInflection, hillMarginal, hillResponse, hillSpendForMarginal } from "./hillCurve";

export interface ProfitPlanUnit {
  readonly name: string;
  /** Spend of highest contribution (currency). */
  readonly spend: number;
  /** y(x), revenue. */
  readonly response: number;
  /** m · y(x) − x. */
  readonly contribution: number;
  /** m · y'(x): contribution of the next unit of spend; null where infinite (shape < 1 at 0). */
  readonly marginalContribution: number | null;
  /** At its minimum (unfunded beyond it), its maximum (capped), or strictly inside. */
  readonly bound: "min" | "max" | "inside";
}

/**
 * The spend per unit that maximises contribution m · y(x) − x, each unit on its own.
 *
 * @param units units with revenue curves and optional bounds (at least one).
 * @param grossMarginRate m, the share of revenue kept as contribution, in (0, 1].
 * @returns per unit, in input order.
 * @throws EngineError INVALID_INPUT for a margin rate out of range, no units or a bad curve or bound.
 */
export function profitPlan(units: readonly AllocationUnit[], grossMarginRate: number): ProfitPlanUnit[] {
  if (!Number.isFinite(grossMarginRate) || grossMarginRate <= 0 || grossMarginRate > 1) {
    throw new EngineError("INVALID_INPUT", `the gross margin rate must be a share above 0 and at most 1, got ${grossMarginRate}`, { argument: "grossMarginRate" });
  }
  if (units.length === 0) throw new EngineError("INVALID_INPUT", "give at least one unit to plan", { argument: "units" });
  const m = grossMarginRate;
  return units.map((unit, i) => {
    checkHillCurve(unit.curve, "profit plan", i + 1);
    const lower = unit.minSpend ?? 0;
    const upper = unit.maxSpend ?? Number.POSITIVE_INFINITY;
    if (!Number.isFinite(lower) || lower < 0 || !(upper >= lower)) {
      throw new EngineError("INVALID_INPUT", `unit ${i + 1} (${unit.name}): the spend bounds must satisfy 0 ≤ minimum ≤ maximum`, { argument: "minSpend", row: i + 1 });
    }
    const profit = (x: number) => m * hillResponse(x, unit.curve) - x;
    const candidates = [lower];
    const concaveFrom = Math.max(lower, hillInflection(unit.curve));
    if (concaveFrom <= upper) candidates.push(hillSpendForMarginal(unit.curve, 1 / m, concaveFrom, upper));
    else if (Number.isFinite(upper)) candidates.push(upper);
    let spend = lower;
    for (const x of candidates) if (profit(x) > profit(spend) + 1e-12 * Math.max(1, Math.abs(profit(spend)))) spend = x;
    const marginal = hillMarginal(spend, unit.curve);
    const response = hillResponse(spend, unit.curve);
    return {
      name: unit.name,
      spend,
      response,
      contribution: m * response - spend,
      marginalContribution: Number.isFinite(marginal) ? m * marginal : null,
      bound: spend <= lower ? "min" : spend >= upper ? "max" : "inside",
    };
  });
}
