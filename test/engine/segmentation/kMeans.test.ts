import { describe, expect, it } from "vitest";
import { fitKMeans, kMeansPlusPlus, lloydKMeans, type PointMatrix } from "../../../src/engine/segmentation/kMeans";
import { seededUniform } from "../../../src/engine/math/random";
import { engineErrorOf } from "../../support/engine";
import { blobs, samePartition } from "./blobs";

const matrix = (rows: number[][]): PointMatrix => ({ rows: rows.length, dims: rows[0].length, values: Float64Array.from(rows.flat()) });

/** Plain Lloyd (every distance, every iteration) until no point moves: the oracle for the bounded version. */
function naiveLloyd(points: PointMatrix, initial: Float64Array, k: number) {
  const { rows: n, dims: d, values } = points;
  const centres = Float64Array.from(initial);
  const assignment = new Int32Array(n).fill(-1);
  for (let iteration = 0; iteration < 1000; iteration++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestDistance = Infinity;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += (values[i * d + t] - centres[j * d + t]) ** 2;
        if (s < bestDistance) {
          bestDistance = s;
          best = j;
        }
      }
      if (assignment[i] !== best) changed = true;
      assignment[i] = best;
    }
    if (!changed) break;
    const sums = new Float64Array(k * d);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      counts[assignment[i]]++;
      for (let t = 0; t < d; t++) sums[assignment[i] * d + t] += values[i * d + t];
    }
    for (let j = 0; j < k; j++) if (counts[j] > 0) for (let t = 0; t < d; t++) centres[j * d + t] = sums[j * d + t] / counts[j];
  }
  return { assignment, centres };
}

describe("lloydKMeans (Hamerly's bounds) against plain Lloyd", () => {
  it("gives the same assignments and centres from the same start on overlapping random data", () => {
    const random = seededUniform(5);
    const rows = Array.from({ length: 1500 }, () => [random() * 4, random() * 2, random()]);
    const points = matrix(rows);
    for (const k of [3, 5, 8]) {
      const initial = kMeansPlusPlus(points, k, seededUniform(k))!;
      const fast = lloydKMeans(points, initial, k, 1000, 0);
      const slow = naiveLloyd(points, initial, k);
      expect(fast.converged).toBe(true);
      expect(Array.from(fast.assignment)).toEqual(Array.from(slow.assignment));
      Array.from(fast.centres).forEach((x, i) => expect(x).toBeCloseTo(slow.centres[i], 9));
    }
  });

  it("stops at the iteration cap and says it did not converge", () => {
    const random = seededUniform(6);
    const points = matrix(Array.from({ length: 500 }, () => [random(), random()]));
    const fit = lloydKMeans(points, kMeansPlusPlus(points, 6, seededUniform(1))!, 6, 1, 0);
    expect(fit.iterations).toBe(1);
    expect(fit.converged).toBe(false);
  });

  it("moves an empty cluster to the point farthest from its centre, so no cluster ends empty", () => {
    const points = matrix([[0], [0.1], [0.2], [10], [10.1], [10.2]]);
    const fit = lloydKMeans(points, Float64Array.from([0, 10, 1000]), 3, 300, 1e-4);
    expect(Array.from(fit.sizes).every((size) => size > 0)).toBe(true);
    expect(fit.sizes.reduce((a, b) => a + b, 0)).toBe(6);
    expect(Number.isFinite(fit.inertia)).toBe(true);
  });
});

describe("kMeansPlusPlus", () => {
  it("picks k distinct data points", () => {
    const points = matrix([[0, 0], [0, 1], [5, 5], [9, 9], [9, 8]]);
    const centres = kMeansPlusPlus(points, 3, seededUniform(3))!;
    const chosen = new Set<string>();
    for (let j = 0; j < 3; j++) chosen.add(`${centres[2 * j]},${centres[2 * j + 1]}`);
    expect(chosen.size).toBe(3);
    for (const key of chosen) expect(["0,0", "0,1", "5,5", "9,9", "9,8"]).toContain(key);
  });

  it("returns null when there are fewer distinct points than clusters", () => {
    expect(kMeansPlusPlus(matrix([[1], [1], [2], [2]]), 3, seededUniform(1))).toBeNull();
  });
});

describe("fitKMeans", () => {
  const truth = blobs(
    [
      [0, 0, 0],
      [8, 0, 0],
      [0, 8, 0],
      [0, 0, 8],
    ],
    [120, 80, 60, 40],
    0.7,
    11,
  );

  it("recovers four well-separated blobs exactly", () => {
    const fit = fitKMeans(matrix(truth.rows), { clusterCount: 4, seed: 42 });
    expect(fit.converged).toBe(true);
    expect(samePartition(fit.assignment, truth.labels)).toBe(true);
  });

  it("is deterministic: the same seed gives the same result", () => {
    const a = fitKMeans(matrix(truth.rows), { clusterCount: 4, seed: 7 });
    const b = fitKMeans(matrix(truth.rows), { clusterCount: 4, seed: 7 });
    expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
    expect(a.inertia).toBe(b.inertia);
  });

  it("keeps the best of its restarts: never worse than a single start", () => {
    const random = seededUniform(8);
    const points = matrix(Array.from({ length: 400 }, () => [random(), random(), random()]));
    const ten = fitKMeans(points, { clusterCount: 6, seed: 3, restarts: 10 });
    const one = fitKMeans(points, { clusterCount: 6, seed: 3, restarts: 1 });
    expect(ten.inertia).toBeLessThanOrEqual(one.inertia);
  });

  it("above the restart sample, compares starts on a sample and still recovers the blobs on all rows", () => {
    const fit = fitKMeans(matrix(truth.rows), { clusterCount: 4, seed: 42, restartSample: 50 });
    expect(fit.converged).toBe(true);
    expect(samePartition(fit.assignment, truth.labels)).toBe(true);
  });

  it("fewer distinct rows than clusters → INSUFFICIENT_DATA naming features", () => {
    const error = engineErrorOf(() => fitKMeans(matrix([[1], [1], [2]]), { clusterCount: 3, seed: 1 }));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toBe("features: fewer than 3 distinct rows (in the columns that vary); cannot form 3 clusters");
  });
});

describe("fitKMeans on skewed RFM-like data above the restart sample", () => {
  /**
   * n customers as IMC.CLUSTER sees them: log1p then z-scores of recency (exponential days), frequency
   * (geometric, 1 or more) and monetary (frequency × log-normal order value).
   */
  function rfmLike(n: number, seed: number): PointMatrix {
    const u = seededUniform(seed);
    const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    const raw = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      const frequency = 1 + Math.floor(Math.log(1 - u()) / Math.log(0.6));
      raw[i * 3] = Math.floor(-200 * Math.log(1 - u()));
      raw[i * 3 + 1] = frequency;
      raw[i * 3 + 2] = frequency * Math.exp(3.5 + 0.9 * normal());
    }
    const z = new Float64Array(n * 3);
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += Math.log1p(raw[i * 3 + c]);
      const mean = sum / n;
      let squares = 0;
      for (let i = 0; i < n; i++) squares += (Math.log1p(raw[i * 3 + c]) - mean) ** 2;
      const sd = Math.sqrt(squares / n);
      for (let i = 0; i < n; i++) z[i * 3 + c] = (Math.log1p(raw[i * 3 + c]) - mean) / sd;
    }
    return { rows: n, dims: 3, values: z };
  }

  // (data seed, k): cases where the sample's single best start lands 0.24–0.82% above ten full restarts.
  const cases: Array<[number, number]> = [
    [4, 7],
    [8, 8],
    [7, 8],
    [1, 6],
  ];

  it("refining the distinct sample solutions on all rows lands within 0.1% of ten full k-means++ restarts", () => {
    let worstSampleBestOnly = 0;
    for (const [seed, k] of cases) {
      const points = rfmLike(50_000, seed);
      const full = fitKMeans(points, { clusterCount: k, seed, restartSample: Infinity });
      const fit = fitKMeans(points, { clusterCount: k, seed });
      expect(fit.inertia / full.inertia - 1, `seed ${seed}, k ${k}`).toBeLessThan(0.001);
      expect(fit.converged).toBe(true);
      const sampleBestOnly = fitKMeans(points, { clusterCount: k, seed, refineStarts: 1 });
      worstSampleBestOnly = Math.max(worstSampleBestOnly, sampleBestOnly.inertia / full.inertia - 1);
    }
    // The data are the hard case the refinement is for: the sample's best alone is further off.
    expect(worstSampleBestOnly).toBeGreaterThan(0.003);
  }, 120_000);

  it("stays deterministic for a given seed", () => {
    const points = rfmLike(20_000, 5);
    const a = fitKMeans(points, { clusterCount: 6, seed: 11 });
    const b = fitKMeans(points, { clusterCount: 6, seed: 11 });
    expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
    expect(a.inertia).toBe(b.inertia);
  }, 60_000);
});
