/**
 * Mean silhouette of a clustering: how much closer points are to their own cluster than to the next
 * one, from −1 (wrong cluster) through 0 (on a border) to 1 (tight, well separated clusters).
 *
 * Glossary (Rousseeuw's symbols, Euclidean distance):
 * - a(i): mean distance from point i to the other points of its cluster;
 * - b(i): the smallest mean distance from point i to the points of another cluster;
 * - s(i) = (b(i) − a(i)) / max(a(i), b(i)), and s(i) = 0 when i is alone in its cluster.
 *
 * The cost is quadratic in the number of points, so the product computes it on a seeded sample of rows
 * (2,000 by default): distances and cluster memberships are those of the sampled rows only.
 *
 * References: P. J. Rousseeuw, "Silhouettes: a graphical aid to the interpretation and validation of
 * cluster analysis", J. Comput. Appl. Math. 20 (1987), eq. (1)–(2) and the singleton convention.
 */

import type { PointMatrix } from "./kMeans";

/**
 * Euclidean distances between the chosen rows, each pair once: (0,1), (0,2), …, (0,s−1), (1,2), …
 * Computed once and shared by the silhouettes of every candidate k (they differ only in the labels).
 *
 * @param points the data.
 * @param rows the chosen rows (s of them).
 * @returns s·(s−1)/2 distances in that pair order.
 */
export function pairwiseDistances(points: PointMatrix, rows: Int32Array): Float64Array {
  const { dims: d, values } = points;
  const s = rows.length;
  const x = new Float64Array(s * d);
  for (let p = 0; p < s; p++) for (let t = 0; t < d; t++) x[p * d + t] = values[rows[p] * d + t];
  const distances = new Float64Array((s * (s - 1)) / 2);
  let index = 0;
  for (let p = 0; p < s; p++) {
    const pi = p * d;
    for (let q = p + 1; q < s; q++) {
      const qi = q * d;
      let squared = 0;
      for (let t = 0; t < d; t++) {
        const diff = x[pi + t] - x[qi + t];
        squared += diff * diff;
      }
      distances[index++] = Math.sqrt(squared);
    }
  }
  return distances;
}

/**
 * Mean silhouette s̄ from pairwise distances.
 *
 * @param distances the rows' pairwise distances from {@link pairwiseDistances}.
 * @param labels 0-based cluster of each of those rows (s of them).
 * @param clusterCount k: clusters are 0..k−1.
 * @returns s̄ in [−1, 1]; 0 when the rows fall in fewer than two clusters.
 *
 * References: Rousseeuw (1987), eq. (1)–(2).
 */
export function silhouetteFromDistances(distances: Float64Array, labels: Int32Array, clusterCount: number): number {
  const s = labels.length;
  const k = clusterCount;
  const counts = new Int32Array(k);
  for (let p = 0; p < s; p++) counts[labels[p]]++;
  let occupied = 0;
  for (let j = 0; j < k; j++) if (counts[j] > 0) occupied++;
  if (occupied < 2) return 0;
  // Sum of distances from each row to each cluster.
  const sums = new Float64Array(s * k);
  let index = 0;
  for (let p = 0; p < s; p++) {
    const pk = p * k;
    const cp = labels[p];
    for (let q = p + 1; q < s; q++) {
      const distance = distances[index++];
      sums[pk + labels[q]] += distance;
      sums[q * k + cp] += distance;
    }
  }
  let total = 0;
  for (let p = 0; p < s; p++) {
    const own = labels[p];
    if (counts[own] < 2) continue; // s(i) = 0 for a point alone in its cluster
    const a = sums[p * k + own] / (counts[own] - 1);
    let b = Infinity;
    for (let j = 0; j < k; j++) {
      if (j === own || counts[j] === 0) continue;
      const mean = sums[p * k + j] / counts[j];
      if (mean < b) b = mean;
    }
    const larger = Math.max(a, b);
    if (larger > 0) total += (b - a) / larger;
  }
  return total / s;
}

/**
 * Mean silhouette s̄ over the chosen rows.
 *
 * @param points the data (the distances are Euclidean in these coordinates).
 * @param assignment 0-based cluster of every row of `points`.
 * @param clusterCount k: clusters are 0..k−1.
 * @param rows the rows to use (a sample, or all); distances only among these rows.
 * @returns s̄ in [−1, 1]; 0 when the rows fall in fewer than two clusters.
 *
 * References: Rousseeuw (1987), eq. (1)–(2).
 */
export function meanSilhouette(points: PointMatrix, assignment: Int32Array, clusterCount: number, rows: Int32Array): number {
  const labels = Int32Array.from(rows, (row) => assignment[row]);
  return silhouetteFromDistances(pairwiseDistances(points, rows), labels, clusterCount);
}
