// IMC.ABTEST and IMC.SAMPLESIZE called exactly as Excel calls them.
import { beforeAll, describe, expect, it } from "vitest";
import { asExcelError, excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";

installCustomFunctionsStub();
let mod: typeof import("../../src/functions/experiments");
beforeAll(async () => {
  mod = await import("../../src/functions/experiments");
});

const col = (...values: unknown[]) => values.map((v) => [v]);

/** Value of a Measure row in an ABTEST result. */
function measure(result: any[][], name: string): unknown {
  const row = result.find((r) => r[0] === name);
  if (!row) throw new Error(`no measure ${name}`);
  return row[1];
}

describe("IMC.ABTEST: domain.md §6 check (250/5000 vs 295/5000)", () => {
  const result = () => mod.abTest([[250]], [[5000]], [[295]], [[5000]], null as any);

  it("spills a Measure | Value table in the documented order", () => {
    expect(result().map((row) => row[0])).toEqual([
      "Measure",
      "Conversion rate A",
      "Conversion rate B",
      "Absolute lift (B − A)",
      "Relative lift (B / A − 1)",
      "z",
      "p-value (two-sided)",
      "Absolute lift 95% CI low",
      "Absolute lift 95% CI high",
      "Relative lift 95% CI low",
      "Relative lift 95% CI high",
      "Verdict",
    ]);
    expect(result()[0]).toEqual(["Measure", "Value"]);
  });

  it("z 1.982, p 0.0474, CI [+0.01%, +1.79%], verdict", () => {
    const r = result();
    expect(measure(r, "Conversion rate A")).toBe(0.05);
    expect(measure(r, "Conversion rate B")).toBe(0.059);
    expect((measure(r, "z") as number).toFixed(3)).toBe("1.982");
    expect((measure(r, "p-value (two-sided)") as number).toFixed(4)).toBe("0.0474");
    expect(((measure(r, "Absolute lift 95% CI low") as number) * 100).toFixed(2)).toBe("0.01");
    expect(((measure(r, "Absolute lift 95% CI high") as number) * 100).toFixed(2)).toBe("1.79");
    expect(measure(r, "Relative lift (B / A − 1)")).toBeCloseTo(0.18, 14);
    expect(measure(r, "Verdict")).toBe("B is higher than A (p = 0.0474 < 0.05)");
  });

  it("a 90% confidence level renames the interval rows", () => {
    const r = mod.abTest([[250]], [[5000]], [[295]], [[5000]], [[0.9]]);
    expect(measure(r, "Absolute lift 90% CI low")).toBeGreaterThan(0.001);
  });

  it("numbers typed as text and 95% as text are accepted", () => {
    const r = mod.abTest([["250"]], [["5000"]], [["295"]], [["5000"]], [["95%"]]);
    expect(measure(r, "Verdict")).toBe("B is higher than A (p = 0.0474 < 0.05)");
  });

  it("no conversions in A leaves the relative lift and its interval blank", () => {
    const r = mod.abTest([[0]], [[1000]], [[10]], [[1000]]);
    expect(measure(r, "Relative lift (B / A − 1)")).toBe("");
    expect(measure(r, "Relative lift 95% CI low")).toBe("");
  });
});

describe("IMC.ABTEST bad input", () => {
  it("text in a count names the argument", () => {
    const error = excelErrorOf(() => mod.abTest([["many"]], [[5000]], [[295]], [[5000]]));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe('conversions_a row 1: "many" is not a number');
  });

  it("a rate instead of a count is refused with the reason", () => {
    const error = excelErrorOf(() => mod.abTest([[0.05]], [[5000]], [[295]], [[5000]]));
    expect(error.message).toBe("conversions_a row 1: conversions of A must be a whole number of at least 0 (a count, not a rate), got 0.05");
  });

  it("zero visitors (a zero denominator) names visitors_b", () => {
    const error = excelErrorOf(() => mod.abTest([[250]], [[5000]], [[0]], [[0]]));
    expect(error.message).toBe("visitors_b row 1: visitors of B must be a whole number of at least 1, got 0");
  });

  it("a blank or a range where a single cell is expected", () => {
    expect(excelErrorOf(() => mod.abTest([[""]], [[5000]], [[295]], [[5000]])).message).toBe(
      "conversions_a row 1: is blank; a number is required",
    );
    expect(excelErrorOf(() => mod.abTest(col(1, 2), [[5000]], [[295]], [[5000]])).message).toBe("conversions_a: expected a single cell");
  });

  it("confidence outside (0, 1)", () => {
    expect(excelErrorOf(() => mod.abTest([[250]], [[5000]], [[295]], [[5000]], [[95]])).message).toMatch(
      /^confidence row 1: confidence must be strictly between 0 and 1/,
    );
  });

  it("no conversions at all is #N/A", () => {
    const error = excelErrorOf(() => mod.abTest([[0]], [[5000]], [[0]], [[5000]]));
    expect(error.code).toBe("#N/A");
    expect(error.message).toMatch(/^abTest: both variants converted no visitor/);
  });
});

describe("IMC.SAMPLESIZE", () => {
  it("domain.md §6: =IMC.SAMPLESIZE(0.05, 0.06) → 8155 (the formula gives 8,154.986, rounded up)", () => {
    expect(mod.sampleSize([[0.05]], [[0.06]])).toEqual([[8155]]);
    expect(mod.sampleSize([["5%"]], [["6%"]], [[0.95]], [[0.8]])).toEqual([[8155]]);
  });

  it("element-wise over expected rates", () => {
    const result = mod.sampleSize([[0.05]], col(0.06, 0.07, 0.1));
    expect(result[0][0]).toBe(8155);
    expect(result[1][0] as number).toBeLessThan(8155);
    expect(result[2][0] as number).toBeLessThan(result[1][0] as number);
  });

  it("equal rates name expected_rate; a percentage typed as 5 names baseline_rate", () => {
    expect(excelErrorOf(() => mod.sampleSize([[0.05]], [[0.05]])).message).toMatch(/^expected_rate row 1: expected rate must differ/);
    expect(excelErrorOf(() => mod.sampleSize([[5]], [[6]])).message).toBe(
      "baseline_rate row 1: baseline rate must be strictly between 0 and 1 (0.05 for 5%), got 5",
    );
  });

  it("text, mismatched lengths, empty ranges", () => {
    const result = mod.sampleSize(col(0.05, "low"), [[0.06]]);
    expect(asExcelError(result[1][0]).message).toBe('baseline_rate row 2: "low" is not a number');
    expect(excelErrorOf(() => mod.sampleSize(col(0.05, 0.1), col(0.06, 0.07, 0.08))).message).toMatch(/^expected_rate has 3 rows but baseline_rate has 2/);
    expect(excelErrorOf(() => mod.sampleSize(col("", null), col("", null))).message).toBe("IMC.SAMPLESIZE: every row is blank; there is nothing to compute");
    expect(excelErrorOf(() => mod.sampleSize([[0.05]], [[0.06]], null as any, [[1.2]])).message).toMatch(/^power row 1: power must be strictly between 0 and 1/);
  });
});
