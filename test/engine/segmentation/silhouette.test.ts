import { describe, expect, it } from "vitest";
import { meanSilhouette } from "../../../src/engine/segmentation/silhouette";

const points = (xs: number[]) => ({ rows: xs.length, dims: 1, values: Float64Array.from(xs) });
const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe("meanSilhouette (Rousseeuw 1987, eq. 1–2)", () => {
  it("by hand: {0, 1 | 10, 11} → mean of 9.5/10.5, 8.5/9.5, 8.5/9.5, 9.5/10.5", () => {
    const expected = (2 * (9.5 / 10.5) + 2 * (8.5 / 9.5)) / 4;
    expect(meanSilhouette(points([0, 1, 10, 11]), Int32Array.from([0, 0, 1, 1]), 2, all(4))).toBeCloseTo(expected, 12);
  });

  it("a point alone in its cluster counts 0: {0, 1 | 10} → (0.9 + 8/9 + 0) / 3", () => {
    expect(meanSilhouette(points([0, 1, 10]), Int32Array.from([0, 0, 1]), 2, all(3))).toBeCloseTo((0.9 + 8 / 9) / 3, 12);
  });

  it("a wrong clustering scores below 0", () => {
    expect(meanSilhouette(points([0, 1, 10, 11]), Int32Array.from([0, 1, 0, 1]), 2, all(4))).toBeLessThan(0);
  });

  it("uses only the chosen rows; one cluster among them gives 0", () => {
    const p = points([0, 1, 10, 11, 500]);
    const labels = Int32Array.from([0, 0, 1, 1, 1]);
    expect(meanSilhouette(p, labels, 2, Int32Array.from([0, 1, 2, 3]))).toBeCloseTo((2 * (9.5 / 10.5) + 2 * (8.5 / 9.5)) / 4, 12);
    expect(meanSilhouette(p, labels, 2, Int32Array.from([2, 3]))).toBe(0);
  });
});
