// IMC.ALLOCATE and IMC.RESPONSE called exactly as Excel calls them: every argument a 2-D array
// (a single cell is [[v]]), omitted optional arguments as null, blanks as "" / null or 0.
import { beforeAll, describe, expect, it } from "vitest";
import { hillMarginal, hillResponse } from "../../src/engine/budget/hillCurve";
import { asExcelError, excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";

installCustomFunctionsStub();
let allocate: typeof import("../../src/functions/budget").allocate;
let response: typeof import("../../src/functions/budget").response;
beforeAll(async () => {
  ({ allocate, response } = await import("../../src/functions/budget"));
});

const col = (...values: unknown[]) => values.map((v) => [v]);
const HEADER = ["Unit", "Spend", "Share", "Response", "ROI", "Marginal ROI", "Change vs current"];
const units = col("Search", "Social", "Email");
const ceilings = col(800, 500, 300);
const halves = col(300, 200, 100);

describe("IMC.ALLOCATE as Excel calls it", () => {
  it('=IMC.ALLOCATE(1000, {"Search";"Social";"Email"}, {800;500;300}, {300;200;100}) spills a header, 3 units and Total', () => {
    const table = allocate([[1000]], units, ceilings, halves, null as any, null as any, null as any, null as any);
    expect(table[0]).toEqual(HEADER);
    expect(table.map((row) => row[0])).toEqual(["Unit", "Search", "Social", "Email", "Total"]);
    expect(table.every((row) => row.length === 7)).toBe(true);
    const spends = table.slice(1, 4).map((row) => row[1] as number);
    expect(spends.reduce((a, b) => a + b, 0)).toBeCloseTo(1000, 9);
    // Shape 1 closed form (domain.md §5.2): x = √(βγ/λ) − γ with one λ for all three.
    const lambda = table[4][5] as number;
    [800, 500, 300].forEach((b, i) => expect(spends[i]).toBeCloseTo(Math.sqrt((b * [300, 200, 100][i]) / lambda) - [300, 200, 100][i], 6));
    for (const row of table.slice(1, 4)) {
      expect(row[2]).toBeCloseTo((row[1] as number) / 1000, 12);
      expect(row[4]).toBeCloseTo((row[3] as number) / (row[1] as number), 12);
      expect((row[5] as number) / lambda).toBeCloseTo(1, 6);
      expect(row[6]).toBe(""); // no current spend given
    }
    expect(table[4].slice(1, 5)).toEqual([1000, 1, expect.any(Number), expect.any(Number)]);
    expect(table[4][6]).toBe("");
  });

  it("omitted optional arguments may also arrive as undefined", () => {
    expect(allocate([[1000]], units, ceilings, halves)).toHaveLength(5);
  });

  it("with current_spend: Change vs current per unit, then Current and Lift rows", () => {
    const table = allocate([[1000]], units, ceilings, halves, null as any, null as any, null as any, col(400, 400, 200));
    expect(table.map((row) => row[0])).toEqual(["Unit", "Search", "Social", "Email", "Total", "Current", "Lift"]);
    expect(table[1][6]).toBeCloseTo((table[1][1] as number) - 400, 9);
    expect(table[4][6]).toBeCloseTo(0, 9);
    const current = [400, 400, 200].reduce((sum, x, i) => sum + hillResponse(x, { ceiling: [800, 500, 300][i], halfSaturation: [300, 200, 100][i], shape: 1 }), 0);
    expect(table[5][1]).toBe(1000);
    expect(table[5][3]).toBeCloseTo(current, 9);
    expect(table[6][3]).toBeCloseTo((table[4][3] as number) - current, 9);
    expect(table[6][3] as number).toBeGreaterThan(0);
  });

  it("a single cell broadcasts to every unit; shapes, min and max per unit; a blank max means no limit", () => {
    const table = allocate([[900]], units, [[500]], [[200]], col(1, 2.5, ""), col(0, 0, 100), col(300, "", ""), null as any);
    const spends = table.slice(1, 4).map((row) => row[1] as number);
    expect(spends[0]).toBeLessThanOrEqual(300);
    expect(spends[2]).toBeGreaterThanOrEqual(100);
    expect(spends.reduce((a, b) => a + b, 0)).toBeCloseTo(900, 9);
    // The blank shape is 1: Email's marginal is that of a shape-1 curve.
    expect(table[3][5]).toBeCloseTo(hillMarginal(spends[2], { ceiling: 500, halfSaturation: 200, shape: 1 }), 12);
  });

  it("units may be a row; trailing blank rows (whole-column references) are dropped", () => {
    const table = allocate([[100]], [["A", "B"]], [[10, 20]], [[5, 5]]);
    expect(table.map((row) => row[0])).toEqual(["Unit", "A", "B", "Total"]);
    const trimmed = allocate([[100]], col("A", "B", "", ""), col(10, 20, "", ""), col(5, 5, null, null));
    expect(trimmed.map((row) => row[0])).toEqual(["Unit", "A", "B", "Total"]);
  });

  it("numbers typed as text and percentages are read", () => {
    const table = allocate([["1000"]], units, col("800", "500", "300"), halves);
    expect(table[4][1]).toBe(1000);
  });
});

describe("IMC.ALLOCATE bad input → #VALUE! with a message naming the argument", () => {
  const cases: [string, () => unknown, string][] = [
    ["negative budget", () => allocate([[-1000]], units, ceilings, halves), "budget: must be a number of at least 0, got -1000"],
    ["missing budget", () => allocate([[""]], units, ceilings, halves), "budget: a budget is required (a single number, e.g. 100000)"],
    ["budget as a range", () => allocate(col(1, 2), units, ceilings, halves), "budget: expected a single cell"],
    [
      "zero half-saturation",
      () => allocate([[1000]], units, ceilings, col(300, 0, 100)),
      "half_saturations row 2: half-saturation must be greater than 0 (the spend that buys half the ceiling), got 0",
    ],
    [
      "zero half-saturation broadcast from one cell",
      () => allocate([[1000]], units, ceilings, [[0]]),
      "half_saturations row 1: half-saturation must be greater than 0 (the spend that buys half the ceiling), got 0",
    ],
    ["negative ceiling", () => allocate([[1000]], units, col(800, -5, 300), halves), "ceilings row 2: ceiling must be a number of at least 0 (the most response spend can buy), got -5"],
    ["zero shape", () => allocate([[1000]], units, ceilings, halves, col(1, 1, 0)), "shapes row 3: shape must be greater than 0 and at most 50 (1 for diminishing returns, above 1 for an S-curve), got 0"],
    ["mismatched lengths", () => allocate([[1000]], units, col(800, 500), halves), "units has 3 rows but ceilings has 2; row-aligned ranges must be the same size"],
    [
      "minimums above the budget",
      () => allocate([[1000]], units, ceilings, halves, null as any, col(500, 400, 300)),
      "min_spend: the minimum spends add up to 1200, more than the budget 1000; lower the minimums or raise the budget",
    ],
    [
      "maximums below the budget",
      () => allocate([[1000]], units, ceilings, halves, null as any, null as any, [[200]]),
      "max_spend: the maximum spends add up to 600, less than the budget 1000, so the budget cannot be spent; raise the maximums or lower the budget",
    ],
    ["a maximum below its minimum", () => allocate([[1000]], units, ceilings, halves, null as any, col(0, 50, 0), col(900, 40, 900)), "max_spend row 2: maximum spend must be a number of at least the minimum spend (50), got 40"],
    ["negative current spend", () => allocate([[1000]], units, ceilings, halves, null as any, null as any, null as any, col(1, -1, 1)), "current_spend row 2: current spend must be a number of at least 0, got -1"],
    ["text in ceilings", () => allocate([[1000]], units, col(800, "lots", 300), halves), 'ceilings row 2: "lots" is not a number'],
    ["a unit listed twice", () => allocate([[1000]], col("Search", "Email", "search"), ceilings, halves), 'units row 3: "search" is listed twice (also row 1); give each unit one row'],
    ["a blank unit name", () => allocate([[1000]], col("Search", "", "Email"), ceilings, halves), "units row 2: is blank; a value is required"],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => {
      const error = excelErrorOf(call);
      expect(error.code).toBe("#VALUE!");
      expect(error.message).toBe(message);
    });
  }

  it("no units at all is #N/A", () => {
    const error = excelErrorOf(() => allocate([[1000]], col("", ""), [[1]], [[1]]));
    expect(error.code).toBe("#N/A");
    expect(error.message).toMatch(/^units: every row is blank/);
  });
});

describe("IMC.RESPONSE as Excel calls it", () => {
  it("=IMC.RESPONSE(300, 800, 300) → 400 (half the ceiling at the half-saturation spend)", () => {
    expect(response([[300]], [[800]], [[300]], null as any)[0][0]).toBeCloseTo(400, 12);
  });

  it("a column of spends spills the curve; shape 2 gives an S-curve", () => {
    const result = response(col(0, 100, 300, 900), [[800]], [[300]], [[2]]);
    expect(result.map((row) => row[0])).toEqual([0, 80, 400, 720].map((v) => expect.closeTo(v, 10)));
  });

  it("a blank shape is 1", () => {
    expect(response([[100]], [[800]], [[300]], [[""]])[0][0]).toBeCloseTo(200, 12);
  });

  it("bad cells get their own #VALUE! naming the argument and row; the others compute", () => {
    const result = response(col(100, -5, 200), [[800]], col(300, 300, 0));
    expect(result[0][0]).toBeCloseTo(200, 12);
    expect(asExcelError(result[1][0]).message).toBe("spend row 2: spend must be at least 0, got -5");
    expect(asExcelError(result[2][0]).message).toBe("half_saturation row 3: half-saturation must be greater than 0 (the spend that buys half the ceiling), got 0");
  });

  it("a single bad cell is thrown as #VALUE!", () => {
    const error = excelErrorOf(() => response([[100]], [[800]], [[0]]));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe("half_saturation row 1: half-saturation must be greater than 0 (the spend that buys half the ceiling), got 0");
    expect(excelErrorOf(() => response([[100]], [[800]], [[300]], [[-1]])).message).toMatch(/^shape row 1: shape must be greater than 0/);
  });
});
