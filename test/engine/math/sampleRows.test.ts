import { describe, expect, it } from "vitest";
import { sampleRows, seededUniform } from "../../../src/engine/math/random";

describe("sampleRows", () => {
  it("all rows in order when the sample is as large as the data", () => {
    expect(Array.from(sampleRows(4, 10, seededUniform(1)))).toEqual([0, 1, 2, 3]);
  });

  it("distinct ascending rows, reproducible with the seed", () => {
    const sample = sampleRows(1000, 50, seededUniform(9));
    expect(sample).toHaveLength(50);
    expect(new Set(sample).size).toBe(50);
    for (let i = 1; i < sample.length; i++) expect(sample[i]).toBeGreaterThan(sample[i - 1]);
    expect(Array.from(sampleRows(1000, 50, seededUniform(9)))).toEqual(Array.from(sample));
  });
});
