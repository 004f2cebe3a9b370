/**
 * Names for behavioural clusters from their centres' recency, frequency and monetary ranks
 * (domain.md §4.3: "Name clusters by their centroids' R/F/M ranks").
 *
 * Glossary:
 * - rank 1 is the best cluster on a measure: the most recent (fewest days since the last order), the
 *   most frequent, the highest spending; equal centres share a rank (1 + the number of clusters
 *   strictly better);
 * - name: `R1 F2 M1`, read "most recent, second most frequent, highest spending".
 *
 * References: domain.md §4.3.
 */

import { invalidArgument } from "../errors";

/** Where recency days, frequency and monetary value are among the feature columns (0-based). */
export interface RfmColumns {
  readonly recency: number;
  readonly frequency: number;
  readonly monetary: number;
}

function ranks(centroids: Float64Array, columns: number, column: number, k: number, higherIsBetter: boolean): Int32Array {
  const result = new Int32Array(k);
  for (let j = 0; j < k; j++) {
    const own = centroids[j * columns + column];
    let better = 0;
    for (let other = 0; other < k; other++) {
      const value = centroids[other * columns + column];
      if (higherIsBetter ? value > own : value < own) better++;
    }
    result[j] = better + 1;
  }
  return result;
}

/**
 * `R·F·M` rank names of clusters, one per cluster in cluster order.
 *
 * @param centroids k × m cluster centres in the features' units (row-major), e.g. `BehaviouralClusters.centroids`.
 * @param columns m, the number of feature columns.
 * @param rfm which columns hold recency days, frequency and monetary value.
 * @returns names such as `R1 F3 M2`, cluster 1 first.
 * @throws EngineError INVALID_INPUT when a column index is outside 0..m−1 or the arrays disagree.
 */
export function rfmClusterNames(centroids: Float64Array, columns: number, rfm: RfmColumns): string[] {
  const k = columns > 0 ? centroids.length / columns : 0;
  if (!Number.isInteger(k)) throw invalidArgument("rfmClusterNames", `centroids hold ${centroids.length} values, not a multiple of ${columns} columns`);
  for (const [name, column] of Object.entries(rfm)) {
    if (!Number.isInteger(column) || column < 0 || column >= columns) {
      throw invalidArgument("rfmClusterNames", `the ${name} column ${column} is not one of the ${columns} feature columns`);
    }
  }
  const r = ranks(centroids, columns, rfm.recency, k, false);
  const f = ranks(centroids, columns, rfm.frequency, k, true);
  const m = ranks(centroids, columns, rfm.monetary, k, true);
  return Array.from({ length: k }, (_, j) => `R${r[j]} F${f[j]} M${m[j]}`);
}
