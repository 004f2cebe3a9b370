// IMC.ROCI, IMC.ROCI.GROUPS and IMC.ROCI.LONGTERM called exactly as Excel calls them: every argument
// a 2-D array, omitted optional arguments as null.
import { beforeAll, describe, expect, it } from "vitest";
import { asExcelError, excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";

installCustomFunctionsStub();
let mod: typeof import("../../src/functions/roci");
beforeAll(async () => {
  mod = await import("../../src/functions/roci");
});

const col = (...values: unknown[]) => values.map((v) => [v]);

describe("IMC.ROCI", () => {
  it("domain.md §2 worked example: =IMC.ROCI(62, 1, 60) → 1 (+100%), gross → 2 (+200%)", () => {
    expect(mod.roci([[62]], [[1]], [[60]], null as any)).toEqual([[1]]);
    expect(mod.roci([[62]], [[1]], [[60]], [["gross"]])).toEqual([[2]]);
    expect(mod.roci([[62]], [[1]], [[60]], [["GROSS"]])).toEqual([[2]]);
  });

  it("without a baseline the whole contribution counts as the return", () => {
    expect(mod.roci([[62]], [[1]])).toEqual([[61]]);
  });

  it("works cell by cell over ranges with broadcasting", () => {
    const result = mod.roci(col(62, 130, 90), [[10]], col(60, 100, 100));
    expect(result[0][0]).toBeCloseTo(-0.8, 12);
    expect(result[1][0]).toBeCloseTo(2, 12);
    expect(result[2][0]).toBeCloseTo(-2, 12);
  });

  it("zero investment is a #VALUE! naming the argument and row; the other rows compute", () => {
    const result = mod.roci(col(62, 62), col(1, 0), [[60]]);
    expect(result[0][0]).toBe(1);
    const error = asExcelError(result[1][0]);
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe("investment row 2: investment is 0; ROCI is a return per unit of spend, so it needs a spend above 0");
  });

  it("a single zero investment throws the #VALUE! for the cell", () => {
    const error = excelErrorOf(() => mod.roci([[62]], [[0]]));
    expect(error.message).toMatch(/^investment row 1: investment is 0/);
  });

  it("text in a numeric range names the argument and row", () => {
    const result = mod.roci(col(62, "abc"), [[1]]);
    expect(asExcelError(result[1][0]).message).toBe('contribution row 2: "abc" is not a number');
    const baseline = mod.roci(col(62, 70), [[1]], col(60, "n/a"));
    expect(asExcelError(baseline[1][0]).message).toBe('baseline_contribution row 2: "n/a" is not a number');
  });

  it("mismatched lengths are refused as a whole", () => {
    const error = excelErrorOf(() => mod.roci(col(1, 2, 3), col(1, 2)));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/^investment has 2 rows but contribution has 3/);
  });

  it("an unknown mode names the argument and the choices", () => {
    const error = excelErrorOf(() => mod.roci([[62]], [[1]], null as any, [["profit"]]));
    expect(error.message).toBe('mode: "profit" is not one of "net", "gross"');
  });

  it("empty ranges give #N/A", () => {
    const error = excelErrorOf(() => mod.roci(col("", ""), col("", "")));
    expect(error.code).toBe("#N/A");
    expect(error.message).toMatch(/every row is blank/);
  });
});

describe("IMC.ROCI.GROUPS", () => {
  const groups = col("Loyal", "New", "Loyal", "Lapsed");
  const contribution = col(620, 300, 640, 10);
  const investment = col(10, 20, 10, 0);
  const baseline = col(600, 250, 600, 10);

  it("spills a header and one row per group in order of first appearance, then All groups", () => {
    const result = mod.rociGroups(groups, contribution, investment, baseline, null as any);
    expect(result[0]).toEqual(["Group", "Rows", "Contribution", "Baseline", "Incremental", "Investment", "Investment share", "ROCI", "Note"]);
    expect(result.map((row) => row[0])).toEqual(["Group", "Loyal", "New", "Lapsed", "All groups"]);
    expect(result[1].slice(0, 7)).toEqual(["Loyal", 2, 1260, 1200, 60, 20, 0.5]);
    expect(result[1][7]).toBeCloseTo(2, 12);
    expect(result[2][7]).toBeCloseTo(1.5, 12);
    expect(result[3][7]).toBe("");
    expect(result[3][8]).toBe("no investment: ROCI is undefined");
    expect(result[4][7]).toBeCloseTo(1.75, 12);
    expect(result[4][8]).toBe("");
  });

  it("gross mode adds 1 to every ROCI", () => {
    const result = mod.rociGroups(groups, contribution, investment, baseline, [["gross"]]);
    expect(result[1][7]).toBeCloseTo(3, 12);
  });

  it("without a baseline the note says the whole contribution counts and Baseline is blank", () => {
    const result = mod.rociGroups(col("A", "A"), col(30, 20), col(5, 5));
    expect(result[1]).toEqual(["A", 2, 50, "", 50, 10, 1, 4, "no baseline: the whole contribution counts as the return"]);
  });

  it("ignores trailing blank rows (whole-column references), and all-0 rows as desktop Excel sends them", () => {
    const result = mod.rociGroups(col("A", "B", "", ""), col(1, 2, "", ""), col(1, 1, "", ""));
    expect(result).toHaveLength(4);
    const desktop = mod.rociGroups(col("A", "B", 0, 0), col(1, 2, 0, 0), col(1, 1, 0, 0), col(0, 0, 0, 0));
    expect(desktop.map((row) => row[0])).toEqual(["Group", "A", "B", "All groups"]);
  });

  it("bad input: text in a numeric column, blank group, negative investment, mismatched lengths", () => {
    expect(excelErrorOf(() => mod.rociGroups(col("A", "B"), col(1, "x"), col(1, 1))).message).toBe('contribution row 2: "x" is not a number');
    expect(excelErrorOf(() => mod.rociGroups(col("A", "", "B"), col(1, 2, 3), col(1, 1, 1))).message).toBe(
      "groups row 2: is blank; a value is required",
    );
    expect(excelErrorOf(() => mod.rociGroups(col("A", "B"), col(1, 2), col(1, -1))).message).toBe(
      "investment row 2: investment must be 0 or more, got -1",
    );
    expect(excelErrorOf(() => mod.rociGroups(col("A", "B"), col(1, 2), col(1, 1), col(0, "x"))).message).toBe(
      'baseline_contribution row 2: "x" is not a number',
    );
    expect(excelErrorOf(() => mod.rociGroups(col("A", "B"), col(1, 2, 3), col(1, 1))).message).toBe(
      "groups has 2 rows but contribution has 3; row-aligned ranges must be the same size",
    );
  });

  it("all-blank input is #N/A", () => {
    const error = excelErrorOf(() => mod.rociGroups(col(""), col(""), col("")));
    expect(error.code).toBe("#N/A");
    expect(error.message).toBe("rociByGroup: there are no rows to group");
  });
});

describe("IMC.ROCI.LONGTERM", () => {
  it("=IMC.ROCI.LONGTERM(1000, 300, 310, 5000) → 1 (+100%); gross → 2", () => {
    expect(mod.rociLongTerm([[1000]], [[300]], [[310]], [[5000]])).toEqual([[1]]);
    expect(mod.rociLongTerm([[1000]], [[300]], [[310]], [[5000]], [["gross"]])).toEqual([[2]]);
  });

  it("element-wise over groups", () => {
    const result = mod.rociLongTerm(col(1000, 200), col(300, 50), col(310, 40), col(5000, 1000));
    expect(result).toEqual([[1], [-3]]);
  });

  it("bad input names the argument and row", () => {
    const result = mod.rociLongTerm(col(1000, 1000, -5), [[300]], col(310, "?", 310), col(5000, 5000, 5000));
    expect(asExcelError(result[1][0]).message).toBe('clv_after row 2: "?" is not a number');
    expect(asExcelError(result[2][0]).message).toBe("customers row 3: customers must be a number of at least 0, got -5");
    expect(excelErrorOf(() => mod.rociLongTerm([[1]], [[1]], [[2]], [[0]])).message).toMatch(/^investment row 1: investment is 0/);
  });

  it("mismatched lengths and empty ranges are refused as a whole", () => {
    expect(excelErrorOf(() => mod.rociLongTerm(col(1, 2), col(1, 2, 3), [[2]], [[1]])).message).toMatch(/^clv_before has 3 rows but customers has 2/);
    const empty = excelErrorOf(() => mod.rociLongTerm(col("", ""), col("", ""), col("", ""), col("", "")));
    expect(empty.code).toBe("#N/A");
    expect(empty.message).toBe("IMC.ROCI.LONGTERM: every row is blank; there is nothing to compute");
  });
});
