import { describe, expect, it } from "vitest";
import { mulberry32, sampleRows } from "../../../src/engine/segmentation/random";

describe("mulberry32", () => {
  it("the same seed gives the same stream; another seed another stream", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
  });

  it("numbers are in [0, 1) and roughly uniform (mean ≈ 0.5, each tenth ≈ 10%)", () => {
    const random = mulberry32(1);
    const bins = new Array<number>(10).fill(0);
    let sum = 0;
    let outside = 0;
    const count = 100_000;
    for (let i = 0; i < count; i++) {
      const x = random();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
      bins[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    expect(sum / count).toBeCloseTo(0.5, 2);
    for (const bin of bins) expect(Math.abs(bin / count - 0.1)).toBeLessThan(0.005);
  });
});

describe("sampleRows", () => {
  it("all rows in order when the sample is as large as the data", () => {
    expect(Array.from(sampleRows(4, 10, mulberry32(1)))).toEqual([0, 1, 2, 3]);
  });

  it("distinct ascending rows, reproducible with the seed", () => {
    const sample = sampleRows(1000, 50, mulberry32(9));
    expect(sample).toHaveLength(50);
    expect(new Set(sample).size).toBe(50);
    for (let i = 1; i < sample.length; i++) expect(sample[i]).toBeGreaterThan(sample[i - 1]);
    expect(Array.from(sampleRows(1000, 50, mulberry32(9)))).toEqual(Array.from(sample));
  });
});
