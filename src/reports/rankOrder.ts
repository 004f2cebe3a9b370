/**
 * Customers ranked by a number, highest first, ties in their own order: the order of the tabs'
 * per-customer tables (by CLV, by revenue). The same order as sorting the indexes with the
 * comparator `values[j] - values[i] || i - j`, without calling a comparator for every comparison.
 */

/**
 * The indexes 0 … n − 1 ordered by `values` from highest to lowest, equal values (0 and −0 among
 * them) in increasing index order. The values are sorted as numbers once (natively), and each index
 * is placed at its value's first place in that order plus the indexes of the same value placed
 * before it. With a NaN among the values the comparator sort is used, as before.
 *
 * @param values one number per index.
 * @returns the indexes in rank order.
 */
export function descendingOrder(values: ArrayLike<number>): number[] {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i])) return Array.from({ length: n }, (_, k) => k).sort((a, b) => values[b] - values[a] || a - b);
  }
  // Ascending natively (−0 before 0), read from the end: sorted[n − 1 − k] is the k-th highest.
  const sorted = Float64Array.from(values).sort();
  const placed = new Int32Array(n);
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const value = values[i];
    // The first rank whose value is not above this one (the highest-first order's lower bound).
    let low = 0;
    let high = n;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (sorted[n - 1 - middle] > value) low = middle + 1;
      else high = middle;
    }
    order[low + placed[low]++] = i;
  }
  return order;
}
