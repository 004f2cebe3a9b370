// IMC.LIFT and IMC.NPS called exactly as Excel calls them (every argument a 2-D array).
import { beforeAll, describe, expect, it } from "vitest";
import { excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";

installCustomFunctionsStub();
let mod: typeof import("../../src/functions/lift");
beforeAll(async () => {
  mod = await import("../../src/functions/lift");
});

const col = (...values: unknown[]) => values.map((v) => [v]);

/** Value of a Measure row in a Measure | Value result. */
function measure(result: any[][], name: string): unknown {
  const row = result.find((r) => r[0] === name);
  if (!row) throw new Error(`no measure ${name}`);
  return row[1];
}

describe("IMC.LIFT: domain.md §6 check (300/10,000 test vs 250/10,000 control)", () => {
  const result = () => mod.lift([[300]], [[10000]], [[250]], [[10000]]);

  it("spills a Measure | Value table in the documented order", () => {
    expect(result().map((row) => row[0])).toEqual([
      "Measure",
      "Test conversion rate",
      "Control conversion rate",
      "Lift (test / control − 1)",
      "Lift 95% CI low",
      "Lift 95% CI high",
      "Difference (test − control)",
      "Difference 95% CI low",
      "Difference 95% CI high",
      "z",
      "p-value (two-sided)",
      "Incremental conversions",
      "Verdict",
    ]);
    expect(result()[0]).toEqual(["Measure", "Value"]);
  });

  it("lift 20.0%, z 2.162, p 0.0306, incremental conversions 50", () => {
    const r = result();
    expect(measure(r, "Test conversion rate")).toBe(0.03);
    expect(measure(r, "Control conversion rate")).toBe(0.025);
    expect(((measure(r, "Lift (test / control − 1)") as number) * 100).toFixed(1)).toBe("20.0");
    expect((measure(r, "z") as number).toFixed(3)).toBe("2.162");
    expect((measure(r, "p-value (two-sided)") as number).toFixed(4)).toBe("0.0306");
    expect((measure(r, "Incremental conversions") as number).toFixed(6)).toBe("50.000000");
    expect(((measure(r, "Lift 95% CI low") as number) * 100).toFixed(2)).toBe("1.69");
    expect(((measure(r, "Lift 95% CI high") as number) * 100).toFixed(1)).toBe("41.6");
    expect(measure(r, "Verdict")).toBe("Test converts more than control: lift +20.0% (p = 0.0306 < 0.05)");
  });

  it("with revenues 15,000 vs 12,000 and spend 1,000: incremental revenue 3,000, iROAS 3.0", () => {
    const r = mod.lift([[300]], [[10000]], [[250]], [[10000]], [[15000]], [[12000]], [[1000]]);
    expect((measure(r, "Incremental revenue") as number).toFixed(6)).toBe("3000.000000");
    expect((measure(r, "iROAS (incremental revenue / spend)") as number).toFixed(6)).toBe("3.000000");
    expect((measure(r, "Baseline revenue (control per customer × test size)") as number).toFixed(6)).toBe("12000.000000");
    expect((measure(r, "Cost per incremental conversion") as number).toFixed(6)).toBe("20.000000");
    expect(measure(r, "Spend")).toBe(1000);
    expect(r[r.length - 1][0]).toBe("Verdict");
  });

  it("revenues without spend: no iROAS row; spend without revenues: no iROAS row, a cost per incremental conversion", () => {
    const revenues = mod.lift([[300]], [[10000]], [[250]], [[10000]], [[15000]], [[12000]]);
    expect(revenues.some((row) => row[0] === "Incremental revenue")).toBe(true);
    expect(revenues.some((row) => String(row[0]).startsWith("iROAS"))).toBe(false);
    const spendOnly = mod.lift([[300]], [[10000]], [[250]], [[10000]], null as any, null as any, [[1000]]);
    expect(spendOnly.some((row) => String(row[0]).startsWith("iROAS"))).toBe(false);
    expect((measure(spendOnly, "Cost per incremental conversion") as number).toFixed(6)).toBe("20.000000");
  });

  it("a 90% confidence level renames and narrows the interval rows; text numbers are read", () => {
    const r95 = mod.lift([[300]], [[10000]], [[250]], [[10000]]);
    const r90 = mod.lift([["300"]], [["10000"]], [["250"]], [["10000"]], null as any, null as any, null as any, [["90%"]]);
    expect(measure(r90, "Lift 90% CI low") as number).toBeGreaterThan(measure(r95, "Lift 95% CI low") as number);
  });

  it("no test conversion leaves the lift interval blank (Excel shows no 0)", () => {
    const r = mod.lift([[0]], [[1000]], [[10]], [[1000]]);
    expect(measure(r, "Lift (test / control − 1)")).toBe(-1);
    expect(measure(r, "Lift 95% CI low")).toBe("");
  });
});

describe("IMC.LIFT bad input names the argument and row", () => {
  it("zero control conversions", () => {
    const error = excelErrorOf(() => mod.lift([[300]], [[10000]], [[0]], [[10000]]));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/^conversions_control row 1: the control group has no conversions/);
  });

  it("size 0", () => {
    const error = excelErrorOf(() => mod.lift([[0]], [[0]], [[250]], [[10000]]));
    expect(error.message).toBe("size_test row 1: the test group's size must be a whole number of at least 1 customer, got 0");
  });

  it("conversions above the size", () => {
    const error = excelErrorOf(() => mod.lift([[300]], [[10000]], [[250]], [[200]]));
    expect(error.message).toBe("conversions_control row 1: conversions of the control group (250) cannot exceed its size (200)");
  });

  it("text in a count, a blank count", () => {
    expect(excelErrorOf(() => mod.lift([["many"]], [[10000]], [[250]], [[10000]])).message).toBe('conversions_test row 1: "many" is not a number');
    expect(excelErrorOf(() => mod.lift([[300]], [[null]], [[250]], [[10000]])).message).toBe("size_test row 1: is blank; a number is required");
  });

  it("one revenue without the other", () => {
    const error = excelErrorOf(() => mod.lift([[300]], [[10000]], [[250]], [[10000]], [[15000]]));
    expect(error.message).toMatch(/^revenue_control row 1: the control group's revenue is missing/);
  });

  it("spend 0 and a range where one cell is expected", () => {
    expect(excelErrorOf(() => mod.lift([[300]], [[10000]], [[250]], [[10000]], [[1]], [[1]], [[-5]])).message).toBe("spend row 1: spend must be above 0, got -5");
    expect(excelErrorOf(() => mod.lift(col(1, 2), [[10000]], [[250]], [[10000]])).message).toBe("conversions_test: expected a single cell");
  });
});

describe("IMC.NPS", () => {
  it("{10;10;9;8;7;6}: NPS 33.3, shares, respondents", () => {
    const r = mod.nps(col(10, 10, 9, 8, 7, 6));
    expect(r.map((row) => row[0])).toEqual(["Measure", "NPS", "Promoters %", "Passives %", "Detractors %", "Respondents"]);
    expect((measure(r, "NPS") as number).toFixed(1)).toBe("33.3");
    expect(measure(r, "Promoters %")).toBeCloseTo(0.5, 15);
    expect(measure(r, "Passives %")).toBeCloseTo(1 / 3, 15);
    expect(measure(r, "Detractors %")).toBeCloseTo(1 / 6, 15);
    expect(measure(r, "Respondents")).toBe(6);
  });

  it("a row range and trailing blanks (a whole-column reference) are read; blanks are left out", () => {
    const r = mod.nps([[10, 0, "", 9, null, null]]);
    expect(measure(r, "Respondents")).toBe(3);
    expect((measure(r, "NPS") as number).toFixed(1)).toBe("33.3");
  });

  it("with groups: one row per group in order of first appearance, then All", () => {
    const r = mod.nps(col(10, 3, 9, 8, 6, 10, null), col("North", "South", "North", "North", "South", "South", "West"));
    expect(r[0]).toEqual(["Group", "Respondents", "Promoters %", "Passives %", "Detractors %", "NPS"]);
    expect(r.map((row) => row[0])).toEqual(["Group", "North", "South", "West", "All"]);
    const north = r[1] as number[];
    expect(north[1]).toBe(3);
    expect(north[5]).toBeCloseTo((100 * 2) / 3, 12);
    const south = r[2] as number[];
    expect(south[5]).toBeCloseTo((100 * (1 - 2)) / 3, 12);
    // A group whose answers are all blank: no respondents, no NPS (blank, not 0).
    expect(r[3]).toEqual(["West", 0, "", "", "", ""]);
    expect(r[4][1]).toBe(6);
    expect(r[4][5]).toBeCloseTo((100 * (3 - 2)) / 6, 12);
  });

  it("bad answers name the argument and row", () => {
    const error = excelErrorOf(() => mod.nps(col(10, 9, 11)));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe("scores row 3: 11 is not a whole number from 0 to 10");
    expect(excelErrorOf(() => mod.nps(col(10, "yes"))).message).toBe('scores row 2: "yes" is not a number');
  });

  it("groups of another length, all blank answers", () => {
    expect(excelErrorOf(() => mod.nps(col(10, 9), col("a", "b", "c"))).code).toBe("#VALUE!");
    const none = excelErrorOf(() => mod.nps(col(null, "")));
    expect(none.code).toBe("#N/A");
  });
});
