/**
 * Grid hill-climb with look-ahead: the allocator's global search (domain.md §5.2 (a)).
 *
 * Glossary: B budget; L_i, U_i lower and upper spend bounds of unit i; x_i its spend; y_i its Hill
 * response curve; G grid size; s = (B − ΣL)/G the grid step; k·s a jump of k steps.
 *
 * Start every unit at its lower bound and hand out the budget step by step: each move goes to the
 * unit whose best jump to a higher grid point has the highest average ROI (y(x + k·s) − y(x))/(k·s).
 * Looking ahead over k, rather than taking one step at a time (k = 1, "naive greedy"), lets the
 * climb jump over the convex start of an S-curve, where one step buys almost nothing but the next
 * dozen buy a lot. On the concave part of a curve the best jump is always one step (the chord
 * slope falls with its length), so the scan over k is only done below an S-curve's inflection.
 *
 * References: domain.md §5.2 (a); the incremental (greedy) algorithm for separable resource
 * allocation, T. Ibaraki and N. Katoh (1988), *Resource Allocation Problems*, MIT Press, §4.
 */

import { EngineError } from "../errors";
import { hillInflection, hillResponse, type HillCurve } from "./hillCurve";

/** A checked allocation problem: curves, bounds (U may be +∞) and a feasible budget. */
export interface AllocationProblem {
  readonly curves: readonly HillCurve[];
  /** L_i (currency, ≥ 0). */
  readonly lower: Float64Array;
  /** U_i (currency, ≥ L_i, +∞ for no maximum). */
  readonly upper: Float64Array;
  /** B (currency) with ΣL ≤ B ≤ ΣU. */
  readonly budget: number;
}

export interface GridClimbOptions {
  /** G: number of grid steps the budget above the minimums is cut into (whole number ≥ 1; default 1000). */
  readonly gridSteps?: number;
  /** Scan jumps of several steps (default true); false is the naive one-step greedy, for comparison. */
  readonly lookAhead?: boolean;
}

export interface GridClimbResult {
  /** x_i after the climb (currency), within [L_i, U_i]. */
  readonly spend: Float64Array;
  /** Number of moves made. */
  readonly moves: number;
  /** True when the whole budget was handed out before the move cap. */
  readonly converged: boolean;
}

export const DEFAULT_GRID_STEPS = 1000;

/**
 * Allocates a budget over Hill curves by grid hill-climbing with look-ahead.
 *
 * @param problem curves, bounds and budget; assumed checked (see `allocateBudget`).
 * @param options grid size and whether to look ahead.
 * @returns the spends on the grid (plus partial steps where a bound or the budget cuts a jump),
 *   the number of moves and whether the budget was fully handed out (the cap is 2·(G + n) + 10
 *   moves; each move uses a full step, fills a unit to its maximum, or uses the last of the budget).
 * @throws EngineError INVALID_INPUT when the grid size is not a whole number ≥ 1.
 *
 * References: domain.md §5.2 (a).
 */
export function gridHillClimb(problem: AllocationProblem, options: GridClimbOptions = {}): GridClimbResult {
  const gridSteps = options.gridSteps ?? DEFAULT_GRID_STEPS;
  if (!Number.isInteger(gridSteps) || gridSteps < 1) {
    throw new EngineError("INVALID_INPUT", `gridHillClimb: grid steps must be a whole number of at least 1, got ${gridSteps}`, {
      argument: "gridSteps",
    });
  }
  const lookAhead = options.lookAhead ?? true;
  const { curves, lower, upper, budget } = problem;
  const n = curves.length;
  const spend = Float64Array.from(lower);
  let lowerTotal = 0;
  for (let i = 0; i < n; i++) lowerTotal += lower[i];
  let remaining = budget - lowerTotal;
  const free = remaining;
  if (!(free > 0)) return { spend, moves: 0, converged: true };

  const step = free / gridSteps;
  // What is left below this is rounding, not budget: the polish (or the caller) spends it exactly.
  const tolerance = free * 1e-12;
  const inflection = new Float64Array(n);
  for (let i = 0; i < n; i++) inflection[i] = hillInflection(curves[i]);
  const bestRate = new Float64Array(n);
  const bestJump = new Float64Array(n);
  // Look-ahead cache per S-curve unit below its inflection: chord rates of full-step jumps from
  // its current spend, as running maxima (best rate and jump over k ≤ K). The chords do not change
  // while the unit's spend does not, so when only the remaining budget shrinks the best allowed
  // jump is a lookup, not a new scan.
  const cacheRate: (Float64Array | null)[] = new Array(n).fill(null);
  const cacheJump: (Float64Array | null)[] = new Array(n).fill(null);

  const scan = (i: number, room: number): void => {
    const curve = curves[i];
    const x = spend[i];
    const y0 = hillResponse(x, curve);
    const fullSteps = Math.max(1, Math.floor(room / step + 1e-9));
    let rates = new Float64Array(Math.min(fullSteps, 64) + 1);
    let jumps = new Float64Array(rates.length);
    let rate = Number.NEGATIVE_INFINITY;
    let jump = 0;
    let k = 1;
    for (; k <= fullSteps; k++) {
      const h = Math.min(k * step, room);
      const r = (hillResponse(x + h, curve) - y0) / h;
      if (r > rate) {
        rate = r;
        jump = h;
      } else if (x + h > inflection[i]) {
        // From a point on the convex part, the chord slope rises to the tangent point and falls
        // after it: once it falls beyond the inflection, no longer jump can beat the best.
        break;
      }
      if (k >= rates.length) {
        const grownRates = new Float64Array(Math.min(fullSteps, 2 * rates.length) + 1);
        const grownJumps = new Float64Array(grownRates.length);
        grownRates.set(rates);
        grownJumps.set(jumps);
        rates = grownRates;
        jumps = grownJumps;
      }
      rates[k] = rate;
      jumps[k] = jump;
    }
    // Entries past the last one scanned are the best found (the running maximum no longer moves).
    cacheRate[i] = rates.subarray(0, Math.min(k, fullSteps + 1));
    cacheJump[i] = jumps.subarray(0, Math.min(k, fullSteps + 1));
  };

  const evaluate = (i: number): void => {
    const room = Math.min(upper[i] - spend[i], remaining);
    if (!(room > tolerance)) {
      bestRate[i] = Number.NEGATIVE_INFINITY;
      bestJump[i] = 0;
      return;
    }
    const curve = curves[i];
    const x = spend[i];
    if (lookAhead && x < inflection[i]) {
      if (cacheRate[i] === null) scan(i, room);
      const rates = cacheRate[i] as Float64Array;
      const jumps = cacheJump[i] as Float64Array;
      const fullSteps = Math.floor(room / step + 1e-9);
      const known = Math.min(rates.length - 1, fullSteps);
      let rate = Number.NEGATIVE_INFINITY;
      let jump = 0;
      if (known >= 1) {
        rate = rates[known];
        jump = jumps[known];
      }
      // The jump cut by the room left (a bound or the end of the budget) is not on the grid.
      if (room > fullSteps * step * (1 + 1e-12)) {
        const r = (hillResponse(x + room, curve) - hillResponse(x, curve)) / room;
        if (r > rate) {
          rate = r;
          jump = room;
        }
      }
      bestRate[i] = rate;
      bestJump[i] = jump;
      return;
    }
    const jump = Math.min(step, room);
    bestRate[i] = (hillResponse(x + jump, curve) - hillResponse(x, curve)) / jump;
    bestJump[i] = jump;
  };

  for (let i = 0; i < n; i++) evaluate(i);
  const maxMoves = 2 * (gridSteps + n) + 10;
  let moves = 0;
  while (remaining > tolerance && moves < maxMoves) {
    let chosen = -1;
    let rate = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (bestRate[i] > rate) {
        rate = bestRate[i];
        chosen = i;
      }
    }
    if (chosen < 0) break; // every unit is full: cannot happen when ΣU ≥ B, kept as a guard
    const jump = bestJump[chosen];
    spend[chosen] = Math.min(upper[chosen], spend[chosen] + jump);
    remaining -= jump;
    moves++;
    cacheRate[chosen] = null;
    cacheJump[chosen] = null;
    evaluate(chosen);
    // A cached jump longer than what is left must be looked at again (it was cut by the budget).
    for (let i = 0; i < n; i++) if (i !== chosen && bestJump[i] > remaining + tolerance) evaluate(i);
  }
  return { spend, moves, converged: remaining <= tolerance };
}
