/**
 * Pairwise transfers: the allocator's last, local step for S-curves (domain.md §5.2).
 *
 * Glossary: x_i spend of unit i in [L_i, U_i]; y_i its Hill curve; m_i = y_i'(x_i) its marginal
 * ROI; a transfer moves t from unit j to unit i.
 *
 * The equal-marginal polish (equalMarginal.ts) is exact on the concave parts of the curves. A unit
 * that the budget or a bound keeps below its S-curve's inflection point is outside that scheme,
 * and the KKT conditions can fail there (its marginal differs from everyone else's). This step
 * repeatedly takes the most violating pair — the unit with the highest marginal that can still
 * grow and the one with the lowest marginal that can still shrink — and moves the amount that
 * maximises their joint response (a root of y_i'(x_i + t) = y_j'(x_j − t), found by bisection),
 * until no pair differs by more than a relative 1e-10. On an allocation that already satisfies the
 * KKT conditions it stops at once.
 *
 * References: the maximal-violating-pair rule of sequential minimal optimisation, J. C. Platt
 * (1998), "Sequential Minimal Optimization", Microsoft Research MSR-TR-98-14, §2.2, applied to
 * the separable allocation problem of domain.md §5.2; Ibaraki & Katoh (1988) §2 (optimality by
 * pairwise exchange for separable problems).
 */

import { hillMarginal, hillResponse, type HillCurve } from "./hillCurve";

/** Marginals closer than this (relative) count as equal. */
const MARGINAL_TOLERANCE = 1e-10;
const MAX_BISECTIONS = 200;
/** Points at which a transfer's marginal gap is sampled before bisection. */
const SAMPLES = 64;

export interface PairwiseTransferResult {
  /** Transfers made. */
  readonly transfers: number;
  /** True when no violating pair is left (false when the transfer cap was reached). */
  readonly converged: boolean;
}

/**
 * Improves an allocation in place by transfers between the most violating pair of units.
 *
 * @param curves valid Hill curves.
 * @param lower L_i (currency).
 * @param upper U_i (currency, +∞ allowed).
 * @param spend x_i in [L_i, U_i], changed in place; Σ x_i is kept (each transfer adds and removes t).
 * @param maxTransfers cap on transfers (whole number ≥ 0).
 * @returns transfers made and whether the KKT conditions hold to 1e-10 relative at the end.
 *
 * References: Platt (1998) §2.2 (maximal violating pair); domain.md §5.2 (optimality conditions).
 */
export function pairwiseTransfer(
  curves: readonly HillCurve[],
  lower: Float64Array,
  upper: Float64Array,
  spend: Float64Array,
  maxTransfers: number,
): PairwiseTransferResult {
  const n = curves.length;
  // Units whose best transfer was too small to represent (a shape below 1 at zero spend, whose
  // marginal is infinite, may want 1e-400): they stay where they are.
  const stuck = new Uint8Array(n);
  // Pairs (up·n + down) whose transfer came out as zero since the last successful transfer (the
  // down unit may sit a rounding error above its bound).
  const failed = new Set<number>();
  const failedWith = new Uint8Array(n);
  let transfers = 0;
  for (let attempt = 0; attempt <= 4 * maxTransfers + n * n; attempt++) {
    let up = -1;
    let upMarginal = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (stuck[i] || !(spend[i] < upper[i])) continue;
      const m = hillMarginal(spend[i], curves[i]);
      if (m > upMarginal) {
        upMarginal = m;
        up = i;
      }
    }
    let down = -1;
    let downMarginal = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      if (j === up || !(spend[j] > lower[j]) || failed.has(up * n + j)) continue;
      const m = hillMarginal(spend[j], curves[j]);
      if (m < downMarginal) {
        downMarginal = m;
        down = j;
      }
    }
    if (up < 0) return { transfers, converged: true };
    if (down < 0 || !(upMarginal > downMarginal * (1 + MARGINAL_TOLERANCE))) {
      // No violating partner left for this unit. If some partner was skipped because its
      // transfer failed, set this unit aside and look at the others; otherwise KKT holds.
      if (failedWith[up]) {
        stuck[up] = 1;
        continue;
      }
      return { transfers, converged: true };
    }
    if (transfers === maxTransfers) return { transfers, converged: false };
    const a = curves[up];
    const b = curves[down];
    const xa = spend[up];
    const xb = spend[down];
    const room = Math.min(upper[up] - xa, xb - lower[down]);
    const gap = (t: number) => hillMarginal(xa + t, a) - hillMarginal(xb - t, b);
    // The first t where the marginals cross (a local maximum of the pair's response), found on a
    // grid of SAMPLES points and refined by bisection; a convex part can make the marginals cross
    // twice, so the end of the range is only taken when it is no worse.
    let low = 0;
    let high = room;
    let crossed = false;
    for (let k = 1; k <= SAMPLES; k++) {
      const point = k === SAMPLES ? room : (room * k) / SAMPLES;
      if (gap(point) <= 0) {
        high = point;
        crossed = true;
        break;
      }
      low = point;
    }
    let t = room;
    if (crossed) {
      for (let k = 0; k < MAX_BISECTIONS; k++) {
        const middle = 0.5 * (low + high);
        if (!(middle > low && middle < high)) break;
        if (gap(middle) > 0) low = middle;
        else high = middle;
      }
      t = low;
      const atEnd = hillResponse(xa + room, a) + hillResponse(xb - room, b);
      if (atEnd > hillResponse(xa + t, a) + hillResponse(xb - t, b)) t = room;
    }
    const before = hillResponse(xa, a) + hillResponse(xb, b);
    const after = hillResponse(xa + t, a) + hillResponse(xb - t, b);
    // The move solves y_i' = y_j', so it cannot lose more than rounding; a zero move means the
    // unit's optimum is below the smallest representable spend step.
    if (!(t > 0) || !(after >= before - 4 * Number.EPSILON * Math.abs(before))) {
      failed.add(up * n + down);
      failedWith[up] = 1;
      continue;
    }
    failed.clear();
    failedWith.fill(0);
    stuck.fill(0);
    transfers++;
    if (t === room) {
      // Land exactly on the bound that limited the move.
      if (upper[up] - xa <= xb - lower[down]) {
        spend[up] = upper[up];
        spend[down] = xb - (upper[up] - xa);
      } else {
        spend[down] = lower[down];
        spend[up] = xa + (xb - lower[down]);
      }
    } else {
      spend[up] = xa + t;
      spend[down] = xb - t;
    }
  }
  return { transfers, converged: false };
}
