/**
 * Equal-marginal allocation by bisection on λ: the exact optimum on concave curves
 * (domain.md §5.2 (b)), and the polish of the grid climb's result.
 *
 * Glossary: λ the common marginal ROI (response per extra unit of spend); x_i(λ) the spend of unit
 * i whose marginal response is λ, clamped to its range [lo_i, hi_i]; S the budget to spend on these
 * units.
 *
 * On a range where every curve is concave, maximising Σ y_i(x_i) subject to Σ x_i = S is solved
 * by the Karush–Kuhn–Tucker conditions: one λ with y_i'(x_i) = λ for every unit strictly inside its
 * range, y_i'(lo_i) ≤ λ at the bottom and y_i'(hi_i) ≥ λ at the top. Σ x_i(λ) falls continuously
 * as λ rises, so bisection on λ (in log space: marginals span many orders of magnitude) finds it.
 *
 * References: H. Everett (1963), "Generalized Lagrange multiplier method for solving problems of
 * optimum allocation of resources", Operations Research 11(3), Theorem 1; domain.md §5.2 (b)
 * (for α = 1, x = √(β·γ/λ) − γ).
 */

import { EngineError } from "../errors";
import { hillMarginal, hillSpendForMarginal, type HillCurve } from "./hillCurve";

export interface EqualMarginalResult {
  /** x_i (currency), within [lo_i, hi_i], summing to S to floating precision. */
  readonly spend: Float64Array;
  /** λ at the solution; null when no unit is strictly inside its range (λ is then any value between the bounds' marginals). */
  readonly lambda: number | null;
  /** Bisection steps used. */
  readonly iterations: number;
  /** True when the bisection met its tolerance before its cap. */
  readonly converged: boolean;
}

/** Bisection stops when λ is known to this relative width. */
const LAMBDA_TOLERANCE = 1e-15;
const MAX_BISECTIONS = 400;
/** Enough doublings to cross the whole double range (2^±1074). */
const MAX_EXPANSIONS = 2200;

function sumOf(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

/**
 * Spends with equal marginal ROI that add up to a given total, on curves concave over their ranges.
 *
 * @param curves valid Hill curves.
 * @param lo lowest spend per unit (currency, ≥ the curve's inflection spend so y' falls on the range).
 * @param hi highest spend per unit (currency, ≥ lo; +∞ for no maximum).
 * @param total S, the amount to spend (currency) with Σ lo ≤ S ≤ Σ hi.
 * @returns spends, λ, iterations and convergence; a residual from rounding is given to the unit
 *   furthest inside its range, so Σ x_i = S to floating precision.
 * @throws EngineError INVALID_INPUT when S is outside [Σ lo, Σ hi] by more than rounding.
 *
 * References: Everett (1963) Theorem 1; domain.md §5.2 (b).
 */
export function equalMarginalAllocation(
  curves: readonly HillCurve[],
  lo: Float64Array,
  hi: Float64Array,
  total: number,
): EqualMarginalResult {
  const n = curves.length;
  const spend = new Float64Array(n);
  const loTotal = sumOf(lo);
  const hiTotal = sumOf(hi);
  const slack = 1e-12 * Math.max(1, Math.abs(total));
  if (total < loTotal - slack || total > hiTotal + slack) {
    throw new EngineError(
      "INVALID_INPUT",
      `equalMarginalAllocation: the total ${total} is outside the range the bounds allow (${loTotal} to ${hiTotal})`,
    );
  }
  const fill = (lambda: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      spend[i] = hillSpendForMarginal(curves[i], lambda, lo[i], hi[i]);
      sum += spend[i];
    }
    return sum;
  };
  if (total <= loTotal + slack || total >= hiTotal - slack || n === 0) {
    spend.set(total <= loTotal + slack ? lo : hi);
    spreadResidual(spend, lo, hi, total);
    return { spend, lambda: commonMarginal(curves, spend, lo, hi), iterations: 0, converged: true };
  }

  // A starting λ on the scale of the curves: the geometric mean of y'(γ) = β·α/(4γ).
  let logSum = 0;
  let counted = 0;
  for (const curve of curves) {
    if (curve.ceiling > 0) {
      logSum += Math.log((curve.ceiling * curve.shape) / (4 * curve.halfSaturation));
      counted++;
    }
  }
  if (counted === 0) {
    // Every curve is flat: any split is optimal; fill from the bottom in order.
    spend.set(lo);
    spreadResidual(spend, lo, hi, total);
    return { spend, lambda: 0, iterations: 0, converged: true };
  }
  let lambdaLow = Math.exp(logSum / counted); // Σx(λ_low) ≥ S wanted
  let lambdaHigh = lambdaLow; // Σx(λ_high) ≤ S wanted
  let expansions = 0;
  while (fill(lambdaLow) < total && expansions < MAX_EXPANSIONS && lambdaLow > Number.MIN_VALUE) {
    lambdaLow /= 2;
    expansions++;
  }
  while (fill(lambdaHigh) > total && expansions < MAX_EXPANSIONS && lambdaHigh < Number.MAX_VALUE / 2) {
    lambdaHigh *= 2;
    expansions++;
  }
  // Root of f(v) = Σx(e^v) − S in v = ln λ, by regula falsi with the Illinois modification: f is
  // monotone and piecewise smooth, so this needs a handful of steps where bisection needs ~50.
  let a = Math.log(lambdaLow);
  let b = Math.log(lambdaHigh);
  let fa = fill(lambdaLow) - total;
  let fb = fill(lambdaHigh) - total;
  let side = 0;
  let iterations = 0;
  let converged = fa === 0 || fb === 0 || a === b;
  while (!converged && iterations < MAX_BISECTIONS) {
    if (b - a <= LAMBDA_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b))) {
      converged = true;
      break;
    }
    iterations++;
    let c = (a * fb - b * fa) / (fb - fa);
    if (!(c > a && c < b)) c = 0.5 * (a + b);
    if (!(c > a && c < b)) {
      converged = true; // adjacent doubles: as narrow as λ can be
      break;
    }
    const fc = fill(Math.exp(c)) - total;
    if (fc === 0 || Math.abs(fc) <= 1e-15 * total) {
      a = b = c;
      converged = true;
      break;
    }
    if (fc > 0) {
      a = c;
      fa = fc;
      if (side === 1) fb /= 2;
      side = 1;
    } else {
      b = c;
      fb = fc;
      if (side === -1) fa /= 2;
      side = -1;
    }
  }
  lambdaLow = Math.exp(a);
  lambdaHigh = Math.exp(b);
  const lambda = 0.5 * (lambdaLow + lambdaHigh);
  fill(lambda);
  spreadResidual(spend, lo, hi, total);
  return { spend, lambda: commonMarginal(curves, spend, lo, hi) ?? lambda, iterations, converged };
}

/**
 * Gives S − Σx (rounding) to one unit strictly inside its range (the largest spender), or, when
 * every unit sits at a bound, to the unit with the most room, so that the spends add up to the
 * total as exactly as floating point allows. Moves are of the order of 1e-12·S.
 *
 * @param spend spends to adjust in place.
 * @param lo lowest spend per unit.
 * @param hi highest spend per unit (+∞ allowed).
 * @param total the sum wanted.
 */
export function spreadResidual(spend: Float64Array, lo: Float64Array, hi: Float64Array, total: number): void {
  const n = spend.length;
  for (let pass = 0; pass <= n; pass++) {
    const residual = total - sumOf(spend);
    if (residual === 0) return;
    let chosen = -1;
    let chosenInside = false;
    let best = -1;
    for (let i = 0; i < n; i++) {
      const room = residual > 0 ? hi[i] - spend[i] : spend[i] - lo[i];
      if (room < Math.abs(residual)) continue;
      const inside = spend[i] > lo[i] && spend[i] < hi[i];
      const score = inside ? spend[i] : room;
      if ((inside && !chosenInside) || (inside === chosenInside && score > best)) {
        best = score;
        chosen = i;
        chosenInside = inside;
      }
    }
    if (chosen < 0) {
      // No single unit can take it all: give each what it can.
      let rest = residual;
      for (let i = 0; i < n && rest !== 0; i++) {
        const room = rest > 0 ? hi[i] - spend[i] : spend[i] - lo[i];
        const move = rest > 0 ? Math.min(rest, room) : -Math.min(-rest, room);
        spend[i] += move;
        rest -= move;
      }
      return;
    }
    spend[chosen] += residual;
  }
}

/** The marginal of the unit furthest inside its range, or null when every unit sits at a bound. */
function commonMarginal(curves: readonly HillCurve[], spend: Float64Array, lo: Float64Array, hi: Float64Array): number | null {
  let chosen = -1;
  let depth = 0;
  for (let i = 0; i < curves.length; i++) {
    const inside = Math.min(spend[i] - lo[i], hi[i] - spend[i]) / Math.max(1, Math.abs(spend[i]));
    if (inside > 1e-9 && inside > depth) {
      depth = inside;
      chosen = i;
    }
  }
  if (chosen < 0) return null;
  const marginal = hillMarginal(spend[chosen], curves[chosen]);
  return Number.isFinite(marginal) ? marginal : null;
}
