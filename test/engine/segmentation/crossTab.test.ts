import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALL_CUSTOMERS, BLANK_CATEGORY, crossTab } from "../../../src/engine/segmentation/crossTab";
import { engineErrorOf } from "../../support/engine";

describe("crossTab: demographic profile of behavioural segments", () => {
  const segments = ["Champions", "Lost", "Champions", "Lost", "Lost", "Champions"];
  const region = ["North", "South", "North", "", "North", "East"];
  const age = [25, 61, 34, 61, null, 25];

  it("counts and shares of each category within each segment, categories in natural order, blanks as (blank) last", () => {
    const profile = crossTab(segments, [{ name: "Region", values: region }]);
    expect(profile.segments).toEqual(["Champions", "Lost"]);
    expect(profile.sizes).toEqual([3, 3]);
    expect(profile.total).toBe(6);
    const column = profile.columns[0];
    expect(column.categories).toEqual(["East", "North", "South", BLANK_CATEGORY]);
    expect(column.counts).toEqual([
      [1, 2, 0, 0],
      [0, 1, 1, 1],
    ]);
    expect(column.shares[0]).toEqual([1 / 3, 2 / 3, 0, 0]);
    expect(column.totalCounts).toEqual([1, 3, 1, 1]);
    expect(column.totalShares).toEqual([1 / 6, 0.5, 1 / 6, 1 / 6]);
    expect(ALL_CUSTOMERS).toBe("All customers");
  });

  it("numbers are categories by their text; several columns at once", () => {
    const profile = crossTab(segments, [
      { name: "Region", values: region },
      { name: "Age", values: age },
    ]);
    expect(profile.columns.map((c) => c.name)).toEqual(["Region", "Age"]);
    expect(profile.columns[1].categories).toEqual(["25", "34", "61", BLANK_CATEGORY]);
    expect(profile.columns[1].totalCounts).toEqual([2, 1, 2, 1]);
  });

  it("age bands and numbered categories sort as people read them", () => {
    const bands = ["65+", "18-24", "5-9", "35-44", "25-34", "100+"];
    const profile = crossTab(["A", "A", "A", "A", "A", "A"], [{ name: "Age band", values: bands }]);
    expect(profile.columns[0].categories).toEqual(["5-9", "18-24", "25-34", "35-44", "65+", "100+"]);
  });

  it("a given segment order comes first; unlisted segments follow; empty listed segments are left out", () => {
    const profile = crossTab(segments, [{ name: "Region", values: region }], ["Lost", "Loyal"]);
    expect(profile.segments).toEqual(["Lost", "Champions"]);
  });

  it("a column of another length, a blank label or no customers → errors with the argument", () => {
    const mismatch = engineErrorOf(() => crossTab(segments, [{ name: "Region", values: ["North"] }]));
    expect(mismatch.code).toBe("INVALID_INPUT");
    expect(mismatch.message).toBe("Region: has 1 rows but there are 6 customers; the columns must be row-aligned");
    const blank = engineErrorOf(() => crossTab(["A", " "], []));
    expect(blank.message).toBe("segments row 2: the segment label is blank");
    const empty = engineErrorOf(() => crossTab([], []));
    expect(empty.code).toBe("INSUFFICIENT_DATA");
  });

  it("property: shares sum to 1 within every segment and overall; counts add up to the segment sizes", () => {
    const row = fc.record({
      segment: fc.constantFrom("Champions", "Loyal", "At Risk", "Lost"),
      category: fc.oneof(fc.constantFrom("North", "South", "East", "", null), fc.integer({ min: 0, max: 3 })),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 200 }), (rows) => {
        const profile = crossTab(
          rows.map((r) => r.segment),
          [{ name: "Region", values: rows.map((r) => r.category) }],
        );
        const column = profile.columns[0];
        column.shares.forEach((shares, s) => {
          expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
          expect(column.counts[s].reduce((a, b) => a + b, 0)).toBe(profile.sizes[s]);
        });
        expect(column.totalShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        expect(profile.sizes.reduce((a, b) => a + b, 0)).toBe(rows.length);
      }),
      { numRuns: 200, seed: 4 },
    );
  });
});
