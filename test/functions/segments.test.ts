// IMC.RFM, IMC.CLUSTER and IMC.LIFECYCLE called exactly as Excel calls them: every argument a 2-D
// array (a single cell is [[v]]), omitted optional arguments as null, blanks as "" / null or 0.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";
import { blobs, samePartition } from "../engine/segmentation/blobs";

installCustomFunctionsStub();
let segments: typeof import("../../src/functions/segments");
beforeAll(async () => {
  segments = await import("../../src/functions/segments");
});

const col = (...values: unknown[]) => values.map((v) => [v]);
const NONE = null as any;

// Four customers, five orders; as_of defaults to the last order date, 2024-03-10 (see the engine test).
const IDS = col("a", "b", "a", "c", 1001);
const DATES = col("2024-01-01", "2024-02-01", "2024-03-01", "2024-03-10", 45300); // 45300 = 2024-01-09
const VALUES = col(100, 50, 70, 20, 10);

describe("IMC.RFM as Excel calls it", () => {
  it("spills a header and one row per customer in order of first appearance (domain.md §4.1–4.2 by hand)", () => {
    expect(segments.rfm(IDS, DATES, VALUES, NONE, NONE)).toEqual([
      ["Customer", "Recency (days)", "Frequency", "Monetary", "R", "F", "M", "RFM", "Segment"],
      ["a", 9, 2, 170, 4, 5, 5, 455, "Champions"],
      ["b", 38, 1, 50, 2, 1, 4, 214, "Can't Lose Them"],
      ["c", 0, 1, 20, 5, 1, 2, 512, "New Customers"],
      [1001, 61, 1, 10, 1, 1, 1, 111, "Lost"],
    ]);
  });

  it("scheme \"mean\" scores the average order value", () => {
    const result = segments.rfm(IDS, DATES, VALUES, NONE, [["Mean"]]);
    expect(result[0][3]).toBe("Monetary (mean)");
    expect(result[1][3]).toBe(85);
  });

  it("as_of leaves later orders out (a date cell or ISO text)", () => {
    const result = segments.rfm(IDS, DATES, VALUES, [["2024-02-15"]], NONE);
    expect(result.map((row) => row[0])).toEqual(["Customer", "a", "b", 1001]);
    expect(result[1].slice(1, 4)).toEqual([45, 1, 100]);
  });

  it("one customer: everyone shares one value per measure → 333 Potential Loyalist (tiny-data rule)", () => {
    expect(segments.rfm([["x"]], [[45300]], [[99]])[1].slice(4)).toEqual([3, 3, 3, 333, "Potential Loyalist"]);
  });

  it("a row of ids works like a column; trailing blank rows are ignored", () => {
    const result = segments.rfm([["a", "b", "a", ""]], [[45300, 45301, 45302, ""]], [[1, 2, 3, ""]]);
    expect(result).toHaveLength(3);
    expect(result[1].slice(0, 4)).toEqual(["a", 0, 2, 4]);
  });
});

describe("IMC.RFM property", () => {
  it("the same orders in any row order give the same row per customer (only the row order changes)", () => {
    const order = fc.record({
      id: fc.constantFrom("a", "b", "c", "d", "e", "f", 7, 8),
      day: fc.integer({ min: 0, max: 300 }),
      cents: fc.integer({ min: -2000, max: 90000 }),
    });
    fc.assert(
      fc.property(fc.array(order, { minLength: 1, maxLength: 60 }), fc.integer(), (orders, seed) => {
        const shuffled = [...orders];
        let state = seed >>> 0;
        for (let i = shuffled.length - 1; i > 0; i--) {
          state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
          const j = state % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        const run = (list: typeof orders) =>
          segments
            .rfm(
              list.map((o) => [o.id]),
              list.map((o) => [45000 + o.day]),
              list.map((o) => [o.cents / 100]),
            )
            .slice(1)
            .map((row) => JSON.stringify(row))
            .sort();
        expect(run(shuffled)).toEqual(run(orders));
      }),
      { numRuns: 150, seed: 99 },
    );
  });
});

describe("IMC.RFM bad input → #VALUE! / #N/A with a message", () => {
  it("text in order_values names the argument and row", () => {
    const error = excelErrorOf(() => segments.rfm(col("a", "b"), col(45300, 45301), col(10, "abc")));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe('order_values row 2: "abc" is not a number');
  });

  it("mismatched lengths name both arguments", () => {
    const error = excelErrorOf(() => segments.rfm(col("a", "b", "c"), col(45300, 45301), col(1, 2, 3)));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe("customer_ids has 3 rows but order_dates has 2; row-aligned ranges must be the same size");
  });

  it("blank ranges → #N/A: no orders", () => {
    const error = excelErrorOf(() => segments.rfm(col("", ""), col("", ""), col("", "")));
    expect(error.code).toBe("#N/A");
    expect(error.message).toBe("customer_ids: no orders; the ranges are blank");
  });

  it("a text date that is not a date names order_dates", () => {
    const error = excelErrorOf(() => segments.rfm(col("a"), col("soon"), col(1)));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/^order_dates row 1: "soon"/);
  });

  it("an unknown scheme lists the choices", () => {
    const error = excelErrorOf(() => segments.rfm(IDS, DATES, VALUES, NONE, [["median"]]));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe('scheme: "median" is not one of "sum", "mean"');
  });

  it("as_of before every order → #N/A", () => {
    const error = excelErrorOf(() => segments.rfm(IDS, DATES, VALUES, [["2020-01-01"]], NONE));
    expect(error.code).toBe("#N/A");
    expect(error.message).toBe("IMC.RFM: no orders on or before as_of (2020-01-01); all 5 are later");
  });

  it("as_of of more than one cell → #VALUE!", () => {
    const error = excelErrorOf(() => segments.rfm(IDS, DATES, VALUES, [[45300, 45301]], NONE));
    expect(error.message).toBe("as_of: expected a single cell");
  });
});

describe("IMC.CLUSTER as Excel calls it", () => {
  // Three groups of customers: (recency days, orders, spend).
  const groups = blobs(
    [
      [Math.log1p(5), Math.log1p(12), Math.log1p(900)],
      [Math.log1p(200), Math.log1p(1), Math.log1p(40)],
      [Math.log1p(60), Math.log1p(4), Math.log1p(300)],
    ],
    [50, 30, 20],
    0.1,
    12,
  );
  const rows = groups.rows.map((row) => row.map((y) => Math.round(Math.expm1(y) * 100) / 100));

  it("one cluster number per row, no header; clusters numbered by size", () => {
    const result = segments.cluster(rows, [[3]], NONE);
    expect(result).toHaveLength(100);
    expect(result.every((row) => row.length === 1)).toBe(true);
    const numbers = result.map((row) => row[0] as number);
    expect(samePartition(numbers, groups.labels)).toBe(true);
    expect([numbers[0], numbers[50], numbers[80]]).toEqual([1, 2, 3]);
  });

  it("k left out is chosen by silhouette (3 here); the seed defaults to 42", () => {
    expect(segments.cluster(rows, NONE, NONE)).toEqual(segments.cluster(rows, [[3]], [[42]]));
  });

  it("the catalogue example: six customers in three pairs", () => {
    const result = segments.cluster([[5, 12, 900], [7, 10, 850], [200, 1, 40], [220, 2, 35], [60, 4, 300], [70, 5, 280]], [[3]]);
    expect(result.map((row) => row[0])).toEqual([1, 1, 3, 3, 2, 2]);
  });

  it("numbers typed as text count; trailing blank (or all-zero, as desktop Excel sends) rows are dropped", () => {
    const withText: unknown[][] = rows.map((row) => [...row]);
    withText[3][2] = String(withText[3][2]);
    const padded = [...withText, ["", "", ""], [0, 0, 0]];
    expect(segments.cluster(padded, [[3]])).toEqual(segments.cluster(rows, [[3]]));
  });

  it("a zero-variance column is left out of the distances, not a zero-division", () => {
    const withConstant = rows.map((row) => [...row, 1]);
    expect(segments.cluster(withConstant, [[3]])).toEqual(segments.cluster(rows, [[3]]));
  });
});

describe("IMC.CLUSTER bad input → #VALUE! / #N/A with a message", () => {
  it("text in a numeric cell names the row and column", () => {
    const error = excelErrorOf(() => segments.cluster([[1, 2, 3], [4, 5, "abc"], [7, 8, 9]], [[2]]));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe('features row 2, column 3: "abc" is not a number');
  });

  it("a blank cell inside the range names the row and column", () => {
    const error = excelErrorOf(() => segments.cluster([[1, 2], ["", 5], [7, 8]], [[2]]));
    expect(error.message).toBe("features row 2, column 1: is blank; a number is required");
  });

  it("a negative value says why features must be 0 or more", () => {
    const error = excelErrorOf(() => segments.cluster([[1, 2], [3, -4], [5, 6]], [[2]]));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/^features row 2, column 2: -4 is negative; features are compressed with log\(1 \+ x\)/);
  });

  it("clusters outside 2..100 or more than the rows; a seed that is not whole", () => {
    expect(excelErrorOf(() => segments.cluster([[1], [2], [3]], [[1]])).message).toBe("clusters: must be a whole number from 2 to 100, got 1");
    expect(excelErrorOf(() => segments.cluster([[1], [2], [3]], [["many"]])).message).toBe('clusters row 1: "many" is not a number');
    expect(excelErrorOf(() => segments.cluster([[1], [2], [3]], [[5]])).message).toBe("clusters: 5 clusters need at least 5 rows; features has 3");
    expect(excelErrorOf(() => segments.cluster([[1], [2], [3]], [[2]], [[0.5]])).message).toBe("seed: must be a whole number, got 0.5");
  });

  it("every column constant (all standard deviations zero) → #N/A", () => {
    const error = excelErrorOf(() => segments.cluster([[3, 1], [3, 1], [3, 1]], [[2]]));
    expect(error.code).toBe("#N/A");
    expect(error.message).toBe("features: every column holds the same value in every row; there is nothing to tell customers apart");
  });

  it("rows of different lengths (a ragged range) → #VALUE! naming the row", () => {
    const error = excelErrorOf(() => segments.cluster([[1, 2], [3], [5, 6]], [[2]]));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe("features: row 2 has 1 cell but row 1 has 2; expected a rectangular range");
  });

  it("an empty (all blank) range → #N/A; a flat value → #VALUE!", () => {
    const blank = excelErrorOf(() => segments.cluster([[""], [""]], NONE));
    expect(blank.code).toBe("#N/A");
    expect(blank.message).toBe("features: the range is blank; nothing to cluster");
    expect(excelErrorOf(() => segments.cluster([] as any, NONE)).message).toBe("features: the range is empty");
  });
});

describe("IMC.LIFECYCLE as Excel calls it", () => {
  // as_of 45500; orders given as days before it.
  const ids = col("new", "active", "risk", "lapsed", "back", "back");
  const dates = col(45500 - 10, 45500 - 45, 45500 - 75, 45500 - 120, 45500 - 300, 45500 - 20);

  it("stages per domain.md §4.4 with the default thresholds {30,60,90}", () => {
    expect(segments.lifecycle(ids, dates, [[45500]], NONE)).toEqual([
      ["Customer", "Stage", "Days since last purchase", "Days since first purchase", "Orders"],
      ["new", "New", 10, 10, 1],
      ["active", "Active", 45, 45, 1],
      ["risk", "At risk", 75, 75, 1],
      ["lapsed", "Lapsed", 120, 120, 1],
      ["back", "Reactivated", 20, 300, 2],
    ]);
  });

  it("thresholds as a 1×3 or 3×1 range; a blank cell means the defaults", () => {
    const tight = segments.lifecycle(ids, dates, [[45500]], [[5, 40, 70]]);
    expect(tight.slice(1).map((row) => row[1])).toEqual(["Active", "At risk", "Lapsed", "Lapsed", "Reactivated"]);
    expect(segments.lifecycle(ids, dates, [[45500]], col(5, 40, 70))).toEqual(tight);
    expect(segments.lifecycle(ids, dates, [[45500]], [[""]])).toEqual(segments.lifecycle(ids, dates, [[45500]], NONE));
  });

  it("as_of defaults to the last order date", () => {
    expect(segments.lifecycle(ids, dates)[1]).toEqual(["new", "New", 0, 0, 1]);
  });
});

describe("IMC.LIFECYCLE bad input → #VALUE! / #N/A with a message", () => {
  const ids = col("a", "b");
  const dates = col(45000, 45010);

  it("thresholds of the wrong size, out of order, or text", () => {
    expect(excelErrorOf(() => segments.lifecycle(ids, dates, NONE, [[30, 60]])).message).toBe(
      "thresholds: expected 3 cells (new, active, at-risk days, e.g. {30,60,90}), got 2",
    );
    expect(excelErrorOf(() => segments.lifecycle(ids, dates, NONE, [[30, 90, 60]])).message).toBe(
      "thresholds: must be in order new ≤ active ≤ at risk (days), got 30, 90, 60",
    );
    const text = excelErrorOf(() => segments.lifecycle(ids, dates, NONE, [[30, "sixty", 90]]));
    expect(text.code).toBe("#VALUE!");
    expect(text.message).toBe('thresholds row 1, column 2: "sixty" is not a number');
    expect(excelErrorOf(() => segments.lifecycle(ids, dates, NONE, col(30, 60, "x"))).message).toBe('thresholds row 3: "x" is not a number');
  });

  it("mismatched lengths, a blank id inside the range, empty ranges", () => {
    expect(excelErrorOf(() => segments.lifecycle(col("a", "b", "c"), dates)).message).toBe(
      "customer_ids has 3 rows but order_dates has 2; row-aligned ranges must be the same size",
    );
    expect(excelErrorOf(() => segments.lifecycle(col("a", "", "c"), col(1, 2, 3))).message).toMatch(/^customer_ids row 2: is blank/);
    const empty = excelErrorOf(() => segments.lifecycle(col(""), col("")));
    expect(empty.code).toBe("#N/A");
  });
});
