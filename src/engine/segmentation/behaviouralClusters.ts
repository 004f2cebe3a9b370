/**
 * Behavioural clusters of customers: k-means on standardised log features (domain.md §4.3).
 *
 * Glossary:
 * - X: n customers × m features in their own units (days, orders, currency…), all ≥ 0;
 * - y = log1p(x): compresses long tails (a few big spenders would otherwise be clusters of their own);
 * - z = (y − ȳ) / σ_y per column (population standard deviation): every feature weighs the same;
 * - constant column: one value in every row; it cannot separate anyone and σ_y = 0, so it is left out
 *   of the distances (and reported), rather than refused;
 * - k (`clusterCount`): given, or chosen in 3..8 by the highest mean silhouette (ties → smaller k);
 * - sample: the silhouette is quadratic in n, so k is chosen by fitting k-means to a seeded sample of
 *   up to 2,000 rows and scoring the silhouette there; the chosen k is then fitted to all rows with
 *   the same seed (so leaving k out gives exactly what giving the chosen k gives).
 *
 * Cluster numbers 1..k are ordered by size, largest first; equal sizes by their standardised centres
 * (first feature, then the next), so the numbering does not depend on the random starts.
 *
 * References: domain.md §4.3; Arthur & Vassilvitskii (2007) and Hamerly (2010) via kMeans.ts;
 * Rousseeuw (1987) via silhouette.ts.
 */

import { EngineError, invalidArgument, invalidCell } from "../errors";
import { fitKMeans, subsetRows, type KMeansFit, type PointMatrix } from "./kMeans";
import { sampleRows, seededUniform } from "../math/random";
import { pairwiseDistances, silhouetteFromDistances } from "./silhouette";

/** The feature range as numbers: n rows × m columns, row-major, in the features' own units. */
export interface FeatureMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly values: Float64Array;
}

export interface ClusterOptions {
  /** k, a whole number from 2 to 100 (and at most the number of distinct rows); null to choose 3..8. */
  readonly clusterCount: number | null;
  /** Seed of the random starts and the silhouette sample; a whole number (default in the product: 42). */
  readonly seed: number;
  /** k-means++ starts per fit (default 10). */
  readonly restarts?: number;
  /** Iteration cap per start (default 300). */
  readonly maxIterations?: number;
  /** Convergence threshold on the total squared centre shift in z units (default 1e-4). */
  readonly tolerance?: number;
  /** Candidate k when clusterCount is null (default 3..8). */
  readonly candidateCounts?: readonly number[];
  /** Rows in the silhouette sample (default 2,000). */
  readonly sampleSize?: number;
}

/** The largest k accepted: beyond it clusters stop being segments anyone can act on. */
export const MAX_CLUSTER_COUNT = 100;
export const DEFAULT_CLUSTER_SEED = 42;
export const DEFAULT_CANDIDATE_COUNTS: readonly number[] = [3, 4, 5, 6, 7, 8];
export const DEFAULT_SILHOUETTE_SAMPLE = 2000;

export interface BehaviouralClusters {
  /** k. */
  readonly clusterCount: number;
  /** Per row: its cluster 1..k. */
  readonly cluster: Int32Array;
  /** Rows per cluster (index 0 = cluster 1); descending. */
  readonly sizes: Int32Array;
  /** k × m cluster centres mapped back to the features' units: expm1(ȳ + z̄·σ) (a geometric-type mean). */
  readonly centroids: Float64Array;
  /** k × m arithmetic means of each cluster's rows, in the features' units. */
  readonly means: Float64Array;
  /** Number of feature columns m (for reading the k × m arrays). */
  readonly columns: number;
  /** 0-based columns used in the distances. */
  readonly usedColumns: readonly number[];
  /** 0-based columns left out because they hold one value in every row. */
  readonly constantColumns: readonly number[];
  /** Mean silhouette of the result, on the sample. */
  readonly silhouette: number;
  /** When k was chosen: the silhouette of every candidate that could be fitted; otherwise empty. */
  readonly silhouetteByCount: readonly { readonly clusterCount: number; readonly silhouette: number }[];
  /** Rows in the silhouette sample. */
  readonly sampleSize: number;
  /** Within-cluster sum of squares in z units. */
  readonly inertia: number;
  /** Lloyd iterations of the winning start. */
  readonly iterations: number;
  /** Whether the winning start converged within the iteration cap. */
  readonly converged: boolean;
}

function checkWhole(value: number, argument: string, low: number, high: number, what: string): void {
  if (!Number.isInteger(value) || value < low || value > high) {
    throw invalidArgument(argument, `${what}, got ${value}`);
  }
}

/**
 * Clusters customers by behaviour.
 *
 * @param features n × m values ≥ 0 (rows = customers), e.g. recency days, orders, total value.
 * @param options k (or null to choose 3..8 by silhouette), seed and k-means settings.
 * @returns the cluster of every row and the clusters' sizes, centres, means and silhouette.
 * @throws EngineError INVALID_INPUT (argument `features`, with row and column) for a negative or
 *   non-finite value; INVALID_INPUT (argument `clusters` / `seed`) for k outside 2..100 or above the
 *   number of rows, or a seed that is not a whole number; INSUFFICIENT_DATA when there are fewer than
 *   2 rows, every column is constant, or there are fewer distinct rows than k (or than 3 when k is chosen).
 *
 * References: domain.md §4.3.
 */
export function behaviouralClusters(features: FeatureMatrix, options: ClusterOptions): BehaviouralClusters {
  const { rows: n, columns: m, values } = features;
  const { clusterCount, seed } = options;
  if (!Number.isInteger(seed) || Math.abs(seed) > 2 ** 53) throw invalidArgument("seed", `must be a whole number, got ${seed}`);
  if (clusterCount !== null) {
    checkWhole(clusterCount, "clusters", 2, MAX_CLUSTER_COUNT, `must be a whole number from 2 to ${MAX_CLUSTER_COUNT}`);
  }
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < m; c++) {
      const x = values[i * m + c];
      if (!(x >= 0) || !Number.isFinite(x)) {
        throw invalidCell(
          "features",
          i + 1,
          Number.isFinite(x)
            ? `${x} is negative; features are compressed with log(1 + x), so they must be 0 or more (days, counts, amounts)`
            : `${x} is not a finite number`,
          c + 1,
        );
      }
    }
  }
  if (n < 2) throw new EngineError("INSUFFICIENT_DATA", `features: ${n} row; clustering needs at least 2 customers`, { argument: "features" });
  if (clusterCount !== null && clusterCount > n) {
    throw invalidArgument("clusters", `${clusterCount} clusters need at least ${clusterCount} rows; features has ${n}`);
  }

  // log1p, then z-scores of the columns that vary.
  const logValues = new Float64Array(n * m);
  for (let i = 0; i < n * m; i++) logValues[i] = Math.log1p(values[i]);
  const logMean = new Float64Array(m);
  const logSd = new Float64Array(m);
  const usedColumns: number[] = [];
  const constantColumns: number[] = [];
  for (let c = 0; c < m; c++) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const y = logValues[i * m + c];
      sum += y;
      if (y < min) min = y;
      if (y > max) max = y;
    }
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const diff = logValues[i * m + c] - mean;
      squares += diff * diff;
    }
    logMean[c] = mean;
    logSd[c] = Math.sqrt(squares / n);
    if (min === max || !(logSd[c] > 0)) constantColumns.push(c);
    else usedColumns.push(c);
  }
  if (usedColumns.length === 0) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      "features: every column holds the same value in every row; there is nothing to tell customers apart",
      { argument: "features" },
    );
  }
  const d = usedColumns.length;
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) {
      const c = usedColumns[t];
      z[i * d + t] = (logValues[i * m + c] - logMean[c]) / logSd[c];
    }
  }
  const points: PointMatrix = { rows: n, dims: d, values: z };
  const kMeansSettings = { restarts: options.restarts, maxIterations: options.maxIterations, tolerance: options.tolerance };

  // The silhouette sample has its own stream, so that choosing k does not change the fit's starts.
  const sampleSize = Math.min(n, options.sampleSize ?? DEFAULT_SILHOUETTE_SAMPLE);
  const sample = sampleRows(n, sampleSize, seededUniform((seed ^ 0x5bd1e995) >>> 0));
  const samplePoints: PointMatrix = sampleSize === n ? points : subsetRows(points, sample);
  const sampleIndex = sampleSize === n ? sample : Int32Array.from({ length: sampleSize }, (_, i) => i);

  // Distances among the sample rows, shared by every silhouette below.
  const distances = pairwiseDistances(samplePoints, sampleIndex);
  let fit: KMeansFit | null = null;
  const silhouetteByCount: { clusterCount: number; silhouette: number }[] = [];
  let k = clusterCount;
  if (k === null) {
    let bestScore = -Infinity;
    let bestFit: KMeansFit | null = null;
    for (const candidate of options.candidateCounts ?? DEFAULT_CANDIDATE_COUNTS) {
      if (candidate > sampleSize) continue;
      let candidateFit: KMeansFit;
      try {
        candidateFit = fitKMeans(samplePoints, { clusterCount: candidate, seed, ...kMeansSettings });
      } catch (error) {
        if (error instanceof EngineError && error.code === "INSUFFICIENT_DATA") continue;
        throw error;
      }
      const score = silhouetteFromDistances(distances, candidateFit.assignment, candidate);
      silhouetteByCount.push({ clusterCount: candidate, silhouette: score });
      if (score > bestScore) {
        bestScore = score;
        bestFit = candidateFit;
        k = candidate;
      }
    }
    if (k === null || bestFit === null) {
      const fewest = Math.min(...(options.candidateCounts ?? DEFAULT_CANDIDATE_COUNTS));
      throw new EngineError(
        "INSUFFICIENT_DATA",
        `features: fewer than ${fewest} distinct rows (in the columns that vary); cannot choose a number of clusters — give clusters`,
        { argument: "features" },
      );
    }
    if (sampleSize === n) fit = bestFit; // the sample is all rows: the same fit as a run with k given
  }
  fit ??= fitKMeans(points, { clusterCount: k, seed, ...kMeansSettings });
  const finalFit = fit;
  const silhouette = silhouetteFromDistances(
    distances,
    Int32Array.from(sample, (row) => finalFit.assignment[row]),
    k,
  );
  return describe(features, fit, { logMean, logSd, usedColumns, constantColumns, silhouette, silhouetteByCount, sampleSize });
}

interface Scaling {
  readonly logMean: Float64Array;
  readonly logSd: Float64Array;
  readonly usedColumns: number[];
  readonly constantColumns: number[];
  readonly silhouette: number;
  readonly silhouetteByCount: { clusterCount: number; silhouette: number }[];
  readonly sampleSize: number;
}

function describe(features: FeatureMatrix, fit: KMeansFit, scaling: Scaling): BehaviouralClusters {
  const { rows: n, columns: m, values } = features;
  const { clusterCount: k, centres, assignment } = fit;
  const d = scaling.usedColumns.length;
  // Stable numbering: larger clusters first, then by standardised centre.
  const order = Array.from({ length: k }, (_, j) => j).sort((p, q) => {
    if (fit.sizes[p] !== fit.sizes[q]) return fit.sizes[q] - fit.sizes[p];
    for (let t = 0; t < d; t++) {
      const diff = centres[p * d + t] - centres[q * d + t];
      if (diff !== 0) return diff;
    }
    return p - q;
  });
  const numberOf = new Int32Array(k);
  order.forEach((j, position) => (numberOf[j] = position));

  const cluster = new Int32Array(n);
  const sizes = new Int32Array(k);
  const means = new Float64Array(k * m);
  for (let i = 0; i < n; i++) {
    const j = numberOf[assignment[i]];
    cluster[i] = j + 1;
    sizes[j]++;
    for (let c = 0; c < m; c++) means[j * m + c] += values[i * m + c];
  }
  const centroids = new Float64Array(k * m);
  for (let j = 0; j < k; j++) {
    if (sizes[j] > 0) for (let c = 0; c < m; c++) means[j * m + c] /= sizes[j];
    const source = order[j];
    for (let c = 0; c < m; c++) {
      const t = scaling.usedColumns.indexOf(c);
      const y = t < 0 ? scaling.logMean[c] : scaling.logMean[c] + centres[source * d + t] * scaling.logSd[c];
      centroids[j * m + c] = Math.max(0, Math.expm1(y));
    }
  }
  return {
    clusterCount: k,
    cluster,
    sizes,
    centroids,
    means,
    columns: m,
    usedColumns: scaling.usedColumns,
    constantColumns: scaling.constantColumns,
    silhouette: scaling.silhouette,
    silhouetteByCount: scaling.silhouetteByCount,
    sampleSize: scaling.sampleSize,
    inertia: fit.inertia,
    iterations: fit.iterations,
    converged: fit.converged,
  };
}
