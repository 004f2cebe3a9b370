/**
 * Budget allocation on response curves: how to split a budget across units (channels, lifecycle
 * stages, regions) so that the total response is as large as possible.
 *
 * Glossary (domain.md §5.2): B budget; unit i with Hill curve y_i (β_i ceiling, γ_i half-saturation,
 * α_i shape), bounds L_i ≤ x_i ≤ U_i and optional current spend c_i; λ the common marginal ROI at
 * the optimum; ROI_i = y_i(x_i)/x_i; marginal ROI_i = y_i'(x_i).
 *
 * Method, in four stages:
 * 1. grid hill-climb with look-ahead (gridHillClimb.ts): a global search that handles S-curves;
 * 2. polish (equalMarginal.ts): units that the climb put on the concave part of their curves are
 *    re-solved exactly for one common λ by bisection, so every unit strictly inside its bounds
 *    ends with the same marginal ROI and the budget is spent exactly; the units the climb left
 *    below an S-curve's inflection point stay where they are (at their minimum, as a rule);
 * 3. on/off decision for S-curves: at the common λ, an S-curve unit is funded past its inflection
 *    point when that beats its minimum net of spend valued at λ (max y(x) − λ·x on the concave
 *    branch vs y(L) − λ·L); units are switched on or off and λ re-solved until nothing changes;
 * 4. pairwise transfers (pairwiseTransfer.ts): a unit that the budget or a bound holds below its
 *    inflection point is settled by exact transfers with the most violating partner; on an
 *    allocation that already meets the KKT conditions this stops at once.
 * On concave curves (α ≤ 1) the result is the exact optimum; with S-curves it satisfies the KKT
 * conditions locally (the problem is no longer convex, and the climb picks which units to fund).
 *
 * References: domain.md §5.2; Everett (1963), Operations Research 11(3) (Lagrange multipliers for
 * allocation); Ibaraki & Katoh (1988), *Resource Allocation Problems*, §4 (incremental algorithm).
 */

import { EngineError } from "../errors";
import { equalMarginalAllocation, spreadResidual } from "./equalMarginal";
import { DEFAULT_GRID_STEPS, gridHillClimb, type AllocationProblem } from "./gridHillClimb";
import { pairwiseTransfer } from "./pairwiseTransfer";
import { checkHillCurve, hillInflection, hillMarginal, hillResponse, hillSpendForMarginal, type HillCurve } from "./hillCurve";

/** One unit to allocate to. */
export interface AllocationUnit {
  /** Label shown in results (channel, lifecycle stage…). */
  readonly name: string;
  /** Response curve of the unit. */
  readonly curve: HillCurve;
  /** L: lowest spend allowed (currency, ≥ 0); 0 when omitted. */
  readonly minSpend?: number;
  /** U: highest spend allowed (currency, ≥ L); null or omitted for no maximum. */
  readonly maxSpend?: number | null;
  /** c: current spend (currency, ≥ 0), to compare with; null or omitted when unknown. */
  readonly currentSpend?: number | null;
}

export interface AllocationInput {
  /** B: the budget to spend in full (currency, ≥ 0). */
  readonly budget: number;
  /** The units, in the order results are reported (at least one). */
  readonly units: readonly AllocationUnit[];
}

export interface AllocationOptions {
  /** G: grid size of the climb (default 1000). */
  readonly gridSteps?: number;
  /** Look ahead over several grid steps (default true); false gives the naive greedy, for comparison. */
  readonly lookAhead?: boolean;
  /** Polish to equal marginal ROIs (default true); false returns the grid result as it is. */
  readonly polish?: boolean;
}

/** Where a unit ended relative to its bounds. */
export type BoundStatus = "min" | "max" | "inside";

export interface UnitAllocation {
  readonly name: string;
  /** Optimal spend x_i (currency). */
  readonly spend: number;
  /** x_i / B; null when the budget is 0. */
  readonly share: number | null;
  /** y_i(x_i), in the curve's response units. */
  readonly response: number;
  /** y_i(x_i) / x_i; null at zero spend. */
  readonly roi: number | null;
  /** y_i'(x_i); null where it is infinite (shape < 1 at zero spend). */
  readonly marginalRoi: number | null;
  /** Whether the unit sits at its minimum, its maximum, or strictly inside. */
  readonly bound: BoundStatus;
  /** c_i, as given; null when unknown. */
  readonly currentSpend: number | null;
  /** y_i(c_i); null when the current spend is unknown. */
  readonly currentResponse: number | null;
  /** x_i − c_i (currency); null when the current spend is unknown. */
  readonly change: number | null;
}

export interface AllocationResult {
  /** Per unit, in input order. */
  readonly units: readonly UnitAllocation[];
  /** B (currency); Σ spend equals it to floating precision. */
  readonly budget: number;
  /** Σ y_i(x_i). */
  readonly totalResponse: number;
  /** Σ y_i(x_i) / B; null when B = 0. */
  readonly totalRoi: number | null;
  /** λ: the marginal ROI shared by every unit strictly inside its bounds; null when none is. */
  readonly marginalRoi: number | null;
  /** Σ c_i; null unless every unit has a current spend. */
  readonly currentTotalSpend: number | null;
  /** Σ y_i(c_i); null unless every unit has a current spend. */
  readonly currentTotalResponse: number | null;
  /** Σ y_i(x_i) − Σ y_i(c_i): what the reallocation adds; null without current spends. */
  readonly lift: number | null;
  /** lift / Σ y_i(c_i); null without current spends or when the current response is 0. */
  readonly liftShare: number | null;
  /** Moves of the grid climb. */
  readonly gridMoves: number;
  /** True when the climb handed out the whole budget and the polish met its tolerance. */
  readonly converged: boolean;
}

/** Which input an {@link EngineError} from {@link allocateBudget} is about (`row` = unit number). */
export type AllocationField = "budget" | "units" | "ceiling" | "halfSaturation" | "shape" | "minSpend" | "maxSpend" | "currentSpend";

const NAME = "allocateBudget";
/** Cap on pairwise transfers, per unit (stage 4 of the method). */
const MAX_TRANSFERS_PER_UNIT = 40;

function invalid(field: AllocationField, message: string, row?: number): EngineError {
  return new EngineError("INVALID_INPUT", `${NAME}: ${message}`, { argument: field, row });
}

function formatAmount(x: number): string {
  return Number.parseFloat(x.toPrecision(10)).toString();
}

/**
 * The first problem with one unit's bounds or current spend, or null when they are valid.
 *
 * @param unit the unit as given.
 * @returns the field at fault and a sentence for users (no location), or null.
 */
export function allocationUnitProblem(unit: AllocationUnit): { field: AllocationField; problem: string } | null {
  const min = unit.minSpend ?? 0;
  const max = unit.maxSpend ?? null;
  const current = unit.currentSpend ?? null;
  if (!Number.isFinite(min) || min < 0) return { field: "minSpend", problem: `minimum spend must be a number of at least 0, got ${min}` };
  if (max !== null && (!Number.isFinite(max) || max < min)) {
    return { field: "maxSpend", problem: `maximum spend must be a number of at least the minimum spend (${min}), got ${max}` };
  }
  if (current !== null && (!Number.isFinite(current) || current < 0)) {
    return { field: "currentSpend", problem: `current spend must be a number of at least 0, got ${current}` };
  }
  return null;
}

/**
 * Checks an allocation input and turns it into an {@link AllocationProblem}.
 *
 * @param input budget B (currency, ≥ 0) and units (curve, optional bounds and current spend).
 * @returns curves, lower bounds (0 when omitted), upper bounds (+∞ when omitted) and the budget,
 *   with Σ lower ≤ B ≤ Σ upper.
 * @throws EngineError INVALID_INPUT, with `argument` an {@link AllocationField} and `row` the unit
 *   number, for every problem listed under {@link allocateBudget}.
 *
 * References: domain.md §5.2 (constraints L_i ≤ x_i ≤ U_i, Σ x_i = B).
 */
export function allocationProblem(input: AllocationInput): AllocationProblem {
  const { budget, units } = input;
  if (!Number.isFinite(budget) || budget < 0) throw invalid("budget", `budget must be a number of at least 0, got ${budget}`);
  if (units.length === 0) throw invalid("units", "there are no units to allocate the budget to");
  const n = units.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  let lowerTotal = 0;
  let upperTotal = 0;
  for (let i = 0; i < n; i++) {
    const unit = units[i];
    checkHillCurve(unit.curve, `${NAME}: unit ${i + 1} (${unit.name})`, i + 1);
    const problem = allocationUnitProblem(unit);
    if (problem !== null) throw invalid(problem.field, `unit ${i + 1} (${unit.name}): ${problem.problem}`, i + 1);
    lower[i] = unit.minSpend ?? 0;
    upper[i] = unit.maxSpend ?? Number.POSITIVE_INFINITY;
    lowerTotal += lower[i];
    upperTotal += upper[i];
  }
  const slack = 1e-12 * Math.max(1, budget);
  if (lowerTotal > budget + slack) {
    throw invalid(
      "minSpend",
      `the minimum spends add up to ${formatAmount(lowerTotal)}, more than the budget ${formatAmount(budget)}; lower the minimums or raise the budget`,
    );
  }
  if (upperTotal < budget - slack) {
    throw invalid(
      "maxSpend",
      `the maximum spends add up to ${formatAmount(upperTotal)}, less than the budget ${formatAmount(budget)}, so the budget cannot be spent; raise the maximums or lower the budget`,
    );
  }
  return { curves: units.map((unit) => unit.curve), lower, upper, budget };
}

function totalResponse(curves: readonly HillCurve[], spend: Float64Array): number {
  let total = 0;
  for (let i = 0; i < curves.length; i++) total += hillResponse(spend[i], curves[i]);
  return total;
}

/**
 * Optimal split of a budget across units with Hill response curves and spend bounds.
 *
 * @param input budget B (currency, ≥ 0) and units (curve, optional bounds and current spend).
 * @param options grid size, look-ahead and polish switches (defaults: 1000, on, on).
 * @returns per unit the optimal spend, share, response, ROI, marginal ROI, bound status, current
 *   spend and response and change; totals, the common marginal ROI λ and the lift over the
 *   current split. Σ spend = B to floating precision, L_i ≤ x_i ≤ U_i for every unit.
 * @throws EngineError INVALID_INPUT, with `argument` an {@link AllocationField} and `row` the unit
 *   number, when the budget is negative or not finite, there are no units, a curve is invalid
 *   (ceiling < 0, half-saturation ≤ 0, shape ≤ 0), a bound or current spend is negative or not
 *   finite, a maximum is below its minimum, the minimums add up to more than the budget or the
 *   maximums to less; INVALID_INPUT for a bad grid size.
 *
 * References: domain.md §5.2 (optimum, algorithms (a) and (b), outputs).
 */
export function allocateBudget(input: AllocationInput, options: AllocationOptions = {}): AllocationResult {
  const problem = allocationProblem(input);
  const { curves, lower, upper, budget } = problem;
  const grid = gridHillClimb(problem, { gridSteps: options.gridSteps ?? DEFAULT_GRID_STEPS, lookAhead: options.lookAhead });
  let spend = grid.spend;
  let converged = grid.converged;
  if (options.polish ?? true) {
    const polished = polish(curves, lower, upper, budget, spend);
    converged = converged && polished.converged;
    spend = polished.spend;
    spreadResidual(spend, lower, upper, budget);
    // A unit held below its S-curve's inflection point by the budget or a bound is outside the
    // equal-marginal polish; pairwise transfers settle it (and stop at once when nothing violates).
    const transfers = pairwiseTransfer(curves, lower, upper, spend, MAX_TRANSFERS_PER_UNIT * curves.length);
    if (!transfers.converged) {
      const repolished = polish(curves, lower, upper, budget, spend);
      if (totalResponse(curves, repolished.spend) >= totalResponse(curves, spend)) spend = repolished.spend;
    }
  }
  spreadResidual(spend, lower, upper, budget);
  return describe(input, curves, lower, upper, spend, grid.moves, converged);
}

/** Rounds of the on/off decision for S-curve units in the polish (stage 3). */
const MAX_SWITCH_ROUNDS = 50;

/**
 * Stages 2 and 3 of the method: equal marginal ROI on the concave parts, and the on/off decision
 * for S-curve units.
 *
 * At a common marginal ROI λ, a unit is worth funding past its inflection point when what it buys
 * there, net of the spend valued at λ, beats staying at its minimum: max over the concave branch
 * of y(x) − λ·x > y(L) − λ·L (the Lagrangian of the allocation problem, unit by unit). Units at
 * their minimum below the inflection are switched on, funded units that fail the test switched
 * off, one at a time (the largest gain first), and λ solved again; a switch is kept only when the
 * total rises, and the rounds stop when no switch pays (or after MAX_SWITCH_ROUNDS).
 */
function polish(
  curves: readonly HillCurve[],
  lower: Float64Array,
  upper: Float64Array,
  budget: number,
  gridSpend: Float64Array,
): { spend: Float64Array; converged: boolean } {
  const n = curves.length;
  const inflection = curves.map(hillInflection);
  const start = Float64Array.from(gridSpend);
  // Units the climb put on the concave part of their curve are polished; the others stay put.
  const active = new Array<boolean>(n);
  const switchable = new Array<boolean>(n);
  // A unit whose whole range lies below its inflection point is convex there: its best spend is
  // one of its bounds, so it is switched between them rather than polished.
  const convexOnly = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    const reachable = Math.max(lower[i], inflection[i]) <= upper[i];
    active[i] = start[i] >= inflection[i] && reachable;
    convexOnly[i] = !reachable && upper[i] > lower[i];
    // S-curve units at a bound or on their concave part may be switched on or off; a unit that
    // the climb left part-way up its convex start is left to the pairwise transfers.
    switchable[i] =
      inflection[i] > lower[i] &&
      (reachable ? active[i] || start[i] === lower[i] : convexOnly[i] && (start[i] === lower[i] || start[i] === upper[i]));
  }

  let best = gridSpend;
  let bestTotal = totalResponse(curves, gridSpend);
  let converged = true;
  let solved = solveActive(curves, lower, upper, budget, start, active, inflection);
  if (solved === null) return { spend: best, converged };
  converged = solved.converged;
  // The polish is exact on the concave parts, so it can only lose to rounding; keep the better.
  if (totalResponse(curves, solved.spend) >= bestTotal - 1e-12 * Math.abs(bestTotal)) {
    best = solved.spend;
    bestTotal = Math.max(bestTotal, totalResponse(curves, solved.spend));
  }
  // One switch per round, the most valuable first, kept only when the total rises: switching
  // every unit that fails the test at once can cycle (the problem is not convex).
  for (let round = 0; round < MAX_SWITCH_ROUNDS; round++) {
    const lambda = solved.lambda;
    if (lambda === null || !(lambda > 0)) break;
    let chosen = -1;
    let chosenGain = 0;
    let chosenSpend = 0;
    for (let i = 0; i < n; i++) {
      if (!switchable[i]) continue;
      const curve = curves[i];
      const on = convexOnly[i] ? upper[i] : hillSpendForMarginal(curve, lambda, Math.max(lower[i], inflection[i]), upper[i]);
      const onValue = hillResponse(on, curve) - lambda * on;
      const offValue = hillResponse(lower[i], curve) - lambda * lower[i];
      const isOn = convexOnly[i] ? start[i] === upper[i] : active[i];
      const gain = isOn ? offValue - onValue : onValue - offValue;
      if (gain > chosenGain + 1e-12 * Math.abs(offValue)) {
        chosen = i;
        chosenGain = gain;
        chosenSpend = on;
      }
    }
    if (chosen < 0) break;
    const wasActive = active[chosen];
    const wasStart = start[chosen];
    if (convexOnly[chosen]) {
      start[chosen] = wasStart === upper[chosen] ? lower[chosen] : upper[chosen];
    } else {
      active[chosen] = !wasActive;
      start[chosen] = wasActive ? lower[chosen] : chosenSpend;
    }
    const next = solveActive(curves, lower, upper, budget, start, active, inflection);
    const nextTotal = next === null ? Number.NEGATIVE_INFINITY : totalResponse(curves, next.spend);
    if (next === null || !(nextTotal > bestTotal)) {
      active[chosen] = wasActive;
      start[chosen] = wasStart;
      switchable[chosen] = false; // tried: this switch does not pay
      continue;
    }
    solved = next;
    converged = next.converged;
    best = next.spend;
    bestTotal = nextTotal;
  }
  return { spend: best, converged };
}

function solveActive(
  curves: readonly HillCurve[],
  lower: Float64Array,
  upper: Float64Array,
  budget: number,
  start: Float64Array,
  active: readonly boolean[],
  inflection: readonly number[],
): { spend: Float64Array; converged: boolean; lambda: number | null } | null {
  const n = curves.length;
  const index: number[] = [];
  let fixedTotal = 0;
  for (let i = 0; i < n; i++) {
    if (active[i]) index.push(i);
    else fixedTotal += start[i];
  }
  if (index.length === 0) return null;
  const lo = new Float64Array(index.length);
  const hi = new Float64Array(index.length);
  let loTotal = 0;
  let hiTotal = 0;
  for (let k = 0; k < index.length; k++) {
    const i = index[k];
    lo[k] = Math.max(lower[i], inflection[i]);
    hi[k] = upper[i];
    loTotal += lo[k];
    hiTotal += hi[k];
  }
  const total = budget - fixedTotal;
  const slack = 1e-12 * Math.max(1, budget);
  if (total < loTotal - slack || total > hiTotal + slack) return null;
  const result = equalMarginalAllocation(
    index.map((i) => curves[i]),
    lo,
    hi,
    Math.min(hiTotal, Math.max(loTotal, total)),
  );
  const spend = Float64Array.from(start);
  for (let k = 0; k < index.length; k++) spend[index[k]] = result.spend[k];
  spreadResidual(spend, lower, upper, budget);
  return { spend, converged: result.converged, lambda: result.lambda };
}

function describe(
  input: AllocationInput,
  curves: readonly HillCurve[],
  lower: Float64Array,
  upper: Float64Array,
  spend: Float64Array,
  gridMoves: number,
  converged: boolean,
): AllocationResult {
  const { budget } = input;
  const n = curves.length;
  let responseTotal = 0;
  let currentSpendTotal = 0;
  let currentResponseTotal = 0;
  let everyCurrentKnown = true;
  let lambda: number | null = null;
  let deepest = 0;
  const units: UnitAllocation[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const unit = input.units[i];
    const curve = curves[i];
    const x = Math.min(upper[i], Math.max(lower[i], spend[i]));
    const y = hillResponse(x, curve);
    const marginal = hillMarginal(x, curve);
    // Within a rounding error of a bound counts as at it (relative to the budget: spends may be tiny).
    const scale = 1e-12 * budget;
    const bound: BoundStatus = x <= lower[i] + scale ? "min" : x >= upper[i] - scale ? "max" : "inside";
    if (bound === "inside" && Number.isFinite(marginal)) {
      const depth = Math.min(x - lower[i], upper[i] - x);
      if (depth > deepest) {
        deepest = depth;
        lambda = marginal;
      }
    }
    const current = unit.currentSpend ?? null;
    const currentResponse = current === null ? null : hillResponse(current, curve);
    if (current === null || currentResponse === null) everyCurrentKnown = false;
    else {
      currentSpendTotal += current;
      currentResponseTotal += currentResponse;
    }
    responseTotal += y;
    units[i] = {
      name: unit.name,
      spend: x,
      share: budget > 0 ? x / budget : null,
      response: y,
      roi: x > 0 ? y / x : null,
      marginalRoi: Number.isFinite(marginal) ? marginal : null,
      bound,
      currentSpend: current,
      currentResponse,
      change: current === null ? null : x - current,
    };
  }
  const lift = everyCurrentKnown ? responseTotal - currentResponseTotal : null;
  return {
    units,
    budget,
    totalResponse: responseTotal,
    totalRoi: budget > 0 ? responseTotal / budget : null,
    marginalRoi: lambda,
    currentTotalSpend: everyCurrentKnown ? currentSpendTotal : null,
    currentTotalResponse: everyCurrentKnown ? currentResponseTotal : null,
    lift,
    liftShare: lift !== null && currentResponseTotal > 0 ? lift / currentResponseTotal : null,
    gridMoves,
    converged,
  };
}
