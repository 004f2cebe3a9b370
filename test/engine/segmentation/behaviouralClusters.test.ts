import { describe, expect, it } from "vitest";
import { behaviouralClusters, type FeatureMatrix } from "../../../src/engine/segmentation/behaviouralClusters";
import { engineErrorOf } from "../../support/engine";
import { blobs, samePartition } from "./blobs";

const features = (rows: number[][]): FeatureMatrix => ({
  rows: rows.length,
  columns: rows[0].length,
  values: Float64Array.from(rows.flat()),
});

// Four customer groups in log space (recency days, orders, spend), mapped back to original units.
const CENTRES_LOG = [
  [Math.log1p(5), Math.log1p(20), Math.log1p(2000)], // recent, frequent, big spenders
  [Math.log1p(300), Math.log1p(1), Math.log1p(30)], // lapsed one-off buyers
  [Math.log1p(40), Math.log1p(5), Math.log1p(300)], // regulars
  [Math.log1p(150), Math.log1p(2), Math.log1p(1500)], // occasional big tickets
];
const SIZES = [60, 140, 100, 30];
const truth = blobs(CENTRES_LOG, SIZES, 0.12, 2026);
const rows = truth.rows.map((row) => row.map((y) => Math.expm1(y)));

describe("behaviouralClusters on well-separated customer groups (seeded blobs)", () => {
  it("recovers the four groups with k = 4 and numbers clusters by size, largest first", () => {
    const result = behaviouralClusters(features(rows), { clusterCount: 4, seed: 42 });
    expect(result.converged).toBe(true);
    expect(samePartition(result.cluster, truth.labels)).toBe(true);
    expect(Array.from(result.sizes)).toEqual([140, 100, 60, 30]);
    // Cluster 1 is the lapsed one-off buyers (group 1), cluster 4 the occasional big tickets (group 3).
    expect(result.cluster[truth.labels.indexOf(1)]).toBe(1);
    expect(result.cluster[truth.labels.indexOf(3)]).toBe(4);
  });

  it("chooses k = 4 by silhouette when k is left out, and then equals the run with k = 4", () => {
    const chosen = behaviouralClusters(features(rows), { clusterCount: null, seed: 42 });
    expect(chosen.clusterCount).toBe(4);
    expect(chosen.silhouetteByCount.map((s) => s.clusterCount)).toEqual([3, 4, 5, 6, 7, 8]);
    const best = Math.max(...chosen.silhouetteByCount.map((s) => s.silhouette));
    expect(chosen.silhouetteByCount.find((s) => s.clusterCount === 4)!.silhouette).toBe(best);
    const given = behaviouralClusters(features(rows), { clusterCount: 4, seed: 42 });
    expect(Array.from(chosen.cluster)).toEqual(Array.from(given.cluster));
    expect(chosen.silhouette).toBeGreaterThan(0.7);
  });

  it("chooses k = 3 on three groups and k = 6 on six", () => {
    const three = blobs(CENTRES_LOG.slice(0, 3), [50, 50, 50], 0.1, 3);
    expect(behaviouralClusters(features(three.rows.map((r) => r.map(Math.expm1))), { clusterCount: null, seed: 42 }).clusterCount).toBe(3);
    const sixCentres = [...CENTRES_LOG, [Math.log1p(10), Math.log1p(1), Math.log1p(20)], [Math.log1p(600), Math.log1p(30), Math.log1p(5000)]];
    const six = blobs(sixCentres, [40, 40, 40, 40, 40, 40], 0.08, 6);
    expect(behaviouralClusters(features(six.rows.map((r) => r.map(Math.expm1))), { clusterCount: null, seed: 42 }).clusterCount).toBe(6);
  });

  it("with more rows than the silhouette sample, k is chosen on a sample and the fit uses all rows", () => {
    const big = blobs(CENTRES_LOG, [900, 700, 500, 400], 0.12, 77);
    const bigRows = big.rows.map((row) => row.map((y) => Math.expm1(y)));
    const result = behaviouralClusters(features(bigRows), { clusterCount: null, seed: 42 });
    expect(result.sampleSize).toBe(2000);
    expect(result.clusterCount).toBe(4);
    expect(samePartition(result.cluster, big.labels)).toBe(true);
    const given = behaviouralClusters(features(bigRows), { clusterCount: 4, seed: 42 });
    expect(Array.from(result.cluster)).toEqual(Array.from(given.cluster));
  });

  it("is deterministic with a seed", () => {
    const a = behaviouralClusters(features(rows), { clusterCount: 5, seed: 9 });
    const b = behaviouralClusters(features(rows), { clusterCount: 5, seed: 9 });
    expect(Array.from(a.cluster)).toEqual(Array.from(b.cluster));
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
  });

  it("centroids map back to the features' units; means are the clusters' arithmetic means", () => {
    const result = behaviouralClusters(features(rows), { clusterCount: 4, seed: 42 });
    // Cluster 1 = lapsed one-off buyers around 300 days, 1 order, 30 spent (geometric-type centre).
    expect(result.centroids[0]).toBeGreaterThan(250);
    expect(result.centroids[0]).toBeLessThan(360);
    expect(result.centroids[2]).toBeGreaterThan(24);
    expect(result.centroids[2]).toBeLessThan(37);
    const members = rows.filter((_, i) => result.cluster[i] === 1);
    const meanSpend = members.reduce((sum, row) => sum + row[2], 0) / members.length;
    expect(result.means[2]).toBeCloseTo(meanSpend, 9);
  });
});

describe("behaviouralClusters: constant columns, small data and bad input", () => {
  it("a constant column (zero variance) is left out of the distances and reported", () => {
    const data = rows.map((row) => [row[0], 7, row[1], row[2]]);
    const result = behaviouralClusters(features(data), { clusterCount: 4, seed: 42 });
    expect(result.constantColumns).toEqual([1]);
    expect(result.usedColumns).toEqual([0, 2, 3]);
    expect(samePartition(result.cluster, truth.labels)).toBe(true);
    expect(result.centroids[1]).toBeCloseTo(7, 9);
  });

  it("every column constant → INSUFFICIENT_DATA", () => {
    const error = engineErrorOf(() => behaviouralClusters(features([[1, 2], [1, 2], [1, 2]]), { clusterCount: 2, seed: 42 }));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toBe("features: every column holds the same value in every row; there is nothing to tell customers apart");
  });

  it("a negative value → INVALID_INPUT naming the row and column", () => {
    const error = engineErrorOf(() => behaviouralClusters(features([[1, 2], [3, -4], [5, 6]]), { clusterCount: 2, seed: 42 }));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toBe(
      "features row 2, column 2: -4 is negative; features are compressed with log(1 + x), so they must be 0 or more (days, counts, amounts)",
    );
    expect([error.row, error.column]).toEqual([2, 2]);
  });

  it("k outside 2..100, above the rows, or a fractional seed → INVALID_INPUT", () => {
    const data = features([[1], [2], [3]]);
    expect(engineErrorOf(() => behaviouralClusters(data, { clusterCount: 1, seed: 42 })).message).toBe(
      "clusters: must be a whole number from 2 to 100, got 1",
    );
    expect(engineErrorOf(() => behaviouralClusters(data, { clusterCount: 2.5, seed: 42 })).message).toBe(
      "clusters: must be a whole number from 2 to 100, got 2.5",
    );
    expect(engineErrorOf(() => behaviouralClusters(data, { clusterCount: 4, seed: 42 })).message).toBe(
      "clusters: 4 clusters need at least 4 rows; features has 3",
    );
    expect(engineErrorOf(() => behaviouralClusters(data, { clusterCount: 2, seed: 1.5 })).message).toBe("seed: must be a whole number, got 1.5");
  });

  it("one row, or too few distinct rows to choose k → INSUFFICIENT_DATA", () => {
    expect(engineErrorOf(() => behaviouralClusters(features([[1, 2]]), { clusterCount: null, seed: 42 })).message).toBe(
      "features: 1 row; clustering needs at least 2 customers",
    );
    const error = engineErrorOf(() => behaviouralClusters(features([[1], [1], [5], [5]]), { clusterCount: null, seed: 42 }));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toBe(
      "features: fewer than 3 distinct rows (in the columns that vary); cannot choose a number of clusters — give clusters",
    );
  });

  it("two distinct rows with k = 2 work (the smallest clustering)", () => {
    const result = behaviouralClusters(features([[1], [1], [9]]), { clusterCount: 2, seed: 42 });
    expect(Array.from(result.cluster)).toEqual([1, 1, 2]);
    expect(result.centroids[0]).toBeCloseTo(1, 12);
    expect(result.centroids[1]).toBeCloseTo(9, 12);
  });
});
