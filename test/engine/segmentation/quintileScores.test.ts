import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quintileBreak, quintileScores, SINGLE_VALUE_SCORE } from "../../../src/engine/segmentation/quintileScores";

const scores = (values: number[]) => Array.from(quintileScores(Float64Array.from(values)).scores);

describe("quintileBreak (Excel PERCENTILE.INC at j/5)", () => {
  it("PERCENTILE.INC definition by hand: {1,2,3,4} at .2/.4/.6/.8 → 1.6, 2.2, 2.8, 3.4", () => {
    const sorted = Float64Array.from([1, 2, 3, 4]);
    expect([1, 2, 3, 4].map((j) => quintileBreak(sorted, j))).toEqual([1.6, 2.2, 2.8, 3.4].map((x) => expect.closeTo(x, 12)));
  });

  it("PERCENTILE.INC definition by hand: 1..10 → 2.8, 4.6, 6.4, 8.2; ends are the minimum and maximum", () => {
    const sorted = Float64Array.from({ length: 10 }, (_, i) => i + 1);
    expect([1, 2, 3, 4].map((j) => quintileBreak(sorted, j))).toEqual([2.8, 4.6, 6.4, 8.2].map((x) => expect.closeTo(x, 12)));
    expect(quintileBreak(sorted, 0)).toBe(1);
    expect(quintileBreak(sorted, 5)).toBe(10);
  });

  it("lands exactly on a value when (n − 1)·j/5 is whole (6 values: h = 1, 2, 3, 4)", () => {
    const sorted = Float64Array.from([0.1, 0.7, 1.3, 2.9, 3.3, 8]);
    expect([1, 2, 3, 4].map((j) => quintileBreak(sorted, j))).toEqual([0.7, 1.3, 2.9, 3.3]);
  });
});

describe("quintileScores", () => {
  it("1..10 score in pairs 1,1,2,2,3,3,4,4,5,5 (score = 1 + breaks strictly below)", () => {
    expect(scores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it("ties share a score: a value equal to a break takes the lower score", () => {
    // sorted 1,5,5,5,5: breaks 4.2, 5, 5, 5 → every 5 has one break below it.
    expect(scores([5, 5, 1, 5, 5])).toEqual([2, 2, 1, 2, 2]);
  });

  it("does not depend on the order of the values", () => {
    const values = [3, 17, 3, 8, 0, 12, 12, 5, 99, 1, 8];
    const reversed = [...values].reverse();
    const forward = scores(values);
    expect(scores(reversed)).toEqual([...forward].reverse());
  });

  it("tiny-data rule: two distinct values get scores 1 and 5", () => {
    expect(scores([10, 20])).toEqual([1, 5]);
  });

  it("tiny-data rule: one value for everyone (or one customer) gives everyone 3", () => {
    expect(SINGLE_VALUE_SCORE).toBe(3);
    expect(scores([7, 7, 7])).toEqual([3, 3, 3]);
    expect(scores([42])).toEqual([3]);
    expect(quintileScores(Float64Array.from([7, 7])).breaks).toEqual([7, 7, 7, 7]);
  });

  it("three distinct values use three scores, low to high", () => {
    expect(scores([1, 2, 3])).toEqual([1, 3, 5]);
  });

  it("negative values (net refunds) score like any other", () => {
    expect(scores([-50, 0, 50, 100, 150])).toEqual([1, 2, 3, 4, 5]);
  });

  it("property: the breaks (found by selection) equal PERCENTILE.INC on the sorted values, ties and all", () => {
    const values = fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), {
      minLength: 2,
      maxLength: 300,
    });
    fc.assert(
      fc.property(values, (list) => {
        const input = Float64Array.from(list);
        const sorted = Float64Array.from(list).sort();
        const { breaks } = quintileScores(input);
        if (sorted[0] === sorted[sorted.length - 1]) return;
        // x + 0 turns −0 into 0: the two are equal as numbers, and selection may return either.
        expect(breaks.map((x) => x + 0)).toEqual([1, 2, 3, 4].map((j) => quintileBreak(sorted, j) + 0));
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
