/**
 * Quintile scores 1..5 with shared ties, independent of row order (RFM scoring, domain.md §4.1).
 *
 * Glossary:
 * - x_(1) ≤ … ≤ x_(n): the values sorted ascending (one value per customer);
 * - b_j, j = 1..4: the quintile breaks, PERCENTILE.INC(x, j/5) as Excel computes it:
 *   h = (n − 1)·j/5, b_j = x_(⌊h⌋+1) + (h − ⌊h⌋)·(x_(⌊h⌋+2) − x_(⌊h⌋+1));
 * - score(v) = 1 + #{j : b_j < v} — "strictly below", so equal values always share a score and a
 *   value equal to a break takes the lower score.
 *
 * Small data (fewer than 5 distinct values) uses the same formula: some scores are simply not used
 * (two distinct values give scores 1 and something above it). The one exception is a measure with a
 * single value for everyone (one customer, or all equal): it says nothing about anyone, so everyone
 * gets the neutral middle score 3 rather than the formula's 1.
 *
 * References: Microsoft, PERCENTILE.INC function (linear interpolation between closest ranks,
 * Hyndman & Fan 1996 definition 7); domain.md §4.1.
 */

/** The score every customer gets when a measure has one value for everyone (see the file header). */
export const SINGLE_VALUE_SCORE = 3;

/** Quintile breaks and the score of each value. */
export interface QuintileScores {
  /** b_1..b_4 (PERCENTILE.INC at 0.2, 0.4, 0.6, 0.8); all equal to the value when there is only one. */
  readonly breaks: readonly [number, number, number, number];
  /** Per value, in the input order: its score 1..5. */
  readonly scores: Uint8Array;
}

/**
 * PERCENTILE.INC at j/5 of ascending values, as Excel computes it.
 *
 * @param sorted values sorted ascending, at least one.
 * @param j quintile index 0..5 (the percentile is j/5).
 * @returns the interpolated percentile.
 */
export function quintileBreak(sorted: Float64Array, j: number): number {
  const { low, fraction } = breakPosition(sorted.length, j);
  return interpolate(sorted[low], fraction === 0 ? sorted[low] : sorted[low + 1], fraction);
}

// h = (n − 1)·j/5 from whole numbers, so that ⌊h⌋ and its fraction are exact (0.6·5 is not 3 in floating point).
function breakPosition(n: number, j: number): { low: number; fraction: number } {
  const scaled = (n - 1) * j;
  const low = Math.floor(scaled / 5);
  return { low, fraction: (scaled - low * 5) / 5 };
}

function interpolate(a: number, b: number, fraction: number): number {
  return fraction === 0 || a === b ? a : a + fraction * (b - a);
}

/**
 * Moves the k-th smallest of values[lo..hi] to position k, smaller-or-equal values before it and
 * greater-or-equal after (Hoare's FIND with a median-of-three pivot; ties are split evenly, so many
 * equal values — order counts — cost no more than distinct ones).
 */
function selectInPlace(values: Float64Array, k: number, lo: number, hi: number): void {
  let left = lo;
  let right = hi;
  while (left < right) {
    const a = values[left];
    const b = values[k];
    const c = values[right];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left;
    let j = right;
    do {
      while (values[i] < pivot) i++;
      while (pivot < values[j]) j--;
      if (i <= j) {
        const swap = values[i];
        values[i] = values[j];
        values[j] = swap;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) left = i;
    if (k < i) right = j;
  }
}

/**
 * Scores values 1..5 by quintile, ties sharing a score.
 *
 * @param values one finite value per customer, in any order; at least one.
 * @returns the breaks and, per value, 1 + the number of breaks strictly below it (3 for everyone when
 *   all values are equal).
 *
 * References: domain.md §4.1 (breaks = PERCENTILE.INC at .2/.4/.6/.8).
 */
export function quintileScores(values: Float64Array): QuintileScores {
  const n = values.length;
  const scores = new Uint8Array(n);
  if (n === 0) return { breaks: [0, 0, 0, 0], scores };
  let min = values[0];
  let max = values[0];
  for (let i = 1; i < n; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  if (min === max) {
    scores.fill(SINGLE_VALUE_SCORE);
    return { breaks: [min, min, min, min], scores };
  }
  // The breaks need 8 order statistics, not a full sort: select them in ascending order, each search
  // starting where the previous one ended (O(n) expected instead of O(n log n)).
  const work = values.slice();
  const found: number[] = [];
  let from = 0;
  for (let j = 1; j <= 4; j++) {
    const { low, fraction } = breakPosition(n, j);
    const positions = fraction === 0 ? [low] : [low, low + 1];
    for (const position of positions) {
      if (position >= from) {
        selectInPlace(work, position, from, n - 1);
        from = position;
      }
    }
    found.push(interpolate(work[low], fraction === 0 ? work[low] : work[low + 1], fraction));
  }
  const [b1, b2, b3, b4] = found;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    scores[i] = 1 + (b1 < v ? 1 : 0) + (b2 < v ? 1 : 0) + (b3 < v ? 1 : 0) + (b4 < v ? 1 : 0);
  }
  return { breaks: [b1, b2, b3, b4], scores };
}
