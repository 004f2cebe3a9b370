// IMC.CLV.FIT.SUMMARY and IMC.CLV.PREDICT.SUMMARY called exactly as Excel calls them: every argument a
// 2-D array, omitted optional arguments as null.
import { beforeAll, describe, expect, it } from "vitest";
import { excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { CDNOW_CALIBRATION_END, cdnowColumns, cdnowSummary } from "../engine/clv/cdnowData";

installCustomFunctionsStub();
type Module = typeof import("../../src/functions/clvSummary");
let fitSummary: Module["clvFitSummary"];
let predictSummary: Module["clvPredictSummary"];
let clvFit: typeof import("../../src/functions/customerValue").clvFit;
let customers: typeof import("../../src/functions/customerValue").customers;
beforeAll(async () => {
  ({ clvFitSummary: fitSummary, clvPredictSummary: predictSummary } = await import("../../src/functions/clvSummary"));
  ({ clvFit, customers } = await import("../../src/functions/customerValue"));
});

const col = (values: ArrayLike<unknown>) => Array.from(values, (v) => [v]);
const N = null as any;
const relative = (actual: unknown, expected: number) => Math.abs((actual as number) - expected) / Math.abs(expected);

/** Value (or standard error) of a Parameter row of a FIT table. */
function parameter(table: unknown[][], name: string, column = 1): unknown {
  const row = table.find((r) => r[0] === name);
  expect(row, `row ${name}`).toBeDefined();
  return row![column];
}

/** The CDNOW summary (with zbar) collapsed to distinct (x, t_x, T, zbar) rows with counts, in order of first appearance. */
function collapse(s: ReturnType<typeof cdnowSummary>): { x: number[]; t_x: number[]; T: number[]; zbar: number[]; count: number[]; rowOf: number[] } {
  const index = new Map<string, number>();
  const out = { x: [] as number[], t_x: [] as number[], T: [] as number[], zbar: [] as number[], count: [] as number[], rowOf: [] as number[] };
  for (let i = 0; i < s.x.length; i++) {
    const key = `${s.x[i]}|${s.t_x[i]}|${s.T[i]}|${s.zbar[i]}`;
    let k = index.get(key);
    if (k === undefined) {
      k = out.x.length;
      index.set(key, k);
      out.x.push(s.x[i]);
      out.t_x.push(s.t_x[i]);
      out.T.push(s.T[i]);
      out.zbar.push(s.zbar[i]);
      out.count.push(0);
    }
    out.count[k]++;
    out.rowOf.push(k);
  }
  return out;
}

// Exact maximum-likelihood values on the CDNOW summary files (test/engine/clv/bgNbd.test.ts and
// gammaGamma.test.ts; Fader, Hardie & Lee 2005 publish r 0.243, alpha 4.414, a 0.793, b 2.426;
// Fader & Hardie 2013 p 6.25, q 3.74, gamma 15.44), to 5 significant digits.
const BG = { r: 0.242593, alpha: 4.41353, a: 0.792886, b: 2.42575 };
const GG = { p: 6.2488, q: 3.74459, gamma: 15.4477 };

describe("IMC.CLV.FIT.SUMMARY and IMC.CLV.PREDICT.SUMMARY on the CDNOW summary", () => {
  it("cdnow_customers_summary_with_transactions.csv: the published BG/NBD and Gamma-Gamma parameters", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const s = cdnowSummary(dir);
    const table = fitSummary(col(s.x), col(s.t_x), col(s.T), col(s.zbar), N, N, N);
    expect(table[0]).toEqual(["Parameter", "Value", "Standard error"]);
    expect(parameter(table, "Model")).toBe("BG/NBD + Gamma-Gamma");
    expect(parameter(table, "Converged (BG/NBD)")).toBe(true);
    expect(parameter(table, "Converged (Gamma-Gamma)")).toBe(true);
    for (const [name, value] of Object.entries({ ...BG, ...GG })) expect(relative(parameter(table, name), value), name).toBeLessThan(5e-5);
    expect(Math.abs((parameter(table, "Log-likelihood (BG/NBD)") as number) - -9582.42556)).toBeLessThan(1e-3);
    expect(Math.abs((parameter(table, "Log-likelihood (Gamma-Gamma)") as number) - -4055.92324)).toBeLessThan(1e-3);
    expect(relative(parameter(table, "r", 2), 0.0125573)).toBeLessThan(5e-4);
    expect(parameter(table, "Customers")).toBe(2357);
    expect(parameter(table, "Repeat customers")).toBe(946);
    expect(parameter(table, "Customers in the spend model")).toBe(946);
    // Without monetary values: the purchase model only, the same parameters.
    const purchasesOnly = fitSummary(col(s.x), col(s.t_x), col(s.T), N, N, N, N);
    expect(parameter(purchasesOnly, "Model")).toBe("BG/NBD");
    expect(purchasesOnly.some((r) => r[0] === "p")).toBe(false);
    expect(parameter(purchasesOnly, "r")).toBe(parameter(table, "r"));
  });

  it("the same summary collapsed to distinct rows with counts: identical parameters and per-row predictions", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const s = cdnowSummary(dir);
    const c = collapse(s);
    expect(c.x.length).toBeLessThan(s.x.length * 0.9); // the collapse does collapse
    for (const model of ["bgnbd", "mbgnbd"]) {
      const full = fitSummary(col(s.x), col(s.t_x), col(s.T), col(s.zbar), N, [[model]], N);
      const grouped = fitSummary(col(c.x), col(c.t_x), col(c.T), col(c.zbar), col(c.count), [[model]], N);
      const numbers = (t: unknown[][]) => t.filter((r) => typeof r[1] === "number" && r[0] !== "Summary rows");
      const a = numbers(full);
      const b = numbers(grouped);
      expect(b.map((r) => r[0])).toEqual(a.map((r) => r[0]));
      for (let i = 0; i < a.length; i++) {
        for (const k of [1, 2]) {
          if (typeof a[i][k] !== "number") continue;
          expect(relative(b[i][k], a[i][k] as number), `${model} ${String(a[i][0])}`).toBeLessThan(1e-9);
        }
      }
      expect(parameter(grouped, "Summary rows")).toBe(c.x.length);
    }
    const fullRows = predictSummary(col(s.x), col(s.t_x), col(s.T), col(s.zbar), N, [[39]], [[0.1]], N, N);
    const groupedRows = predictSummary(col(c.x), col(c.t_x), col(c.T), col(c.zbar), col(c.count), [[39]], [[0.1]], N, N);
    expect(fullRows[0]).toEqual(["Customers", "Frequency", "Recency", "T", "Average value", "P(alive)", "Expected purchases", "Expected average value", "CLV"]);
    expect(groupedRows.length).toBe(c.x.length + 1);
    for (let i = 0; i < s.x.length; i++) {
      const own = fullRows[i + 1];
      const group = groupedRows[c.rowOf[i] + 1];
      expect(own[0]).toBe(1);
      expect(group[0]).toBe(c.count[c.rowOf[i]]);
      for (let k = 1; k < own.length; k++) {
        const expected = own[k] as number;
        expect(Math.abs((group[k] as number) - expected), `row ${i + 1} column ${k}`).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
      }
    }
    // Sanity of the numbers themselves: P(alive) in (0, 1], CLV positive, ID 1's expected value (Gamma-Gamma eq. 5).
    for (const row of fullRows.slice(1)) {
      expect(row[5]).toBeGreaterThan(0);
      expect(row[5]).toBeLessThanOrEqual(1);
      expect(row[8]).toBeGreaterThan(0);
    }
    expect(fullRows[1][7]).toBeCloseTo(24.6586, 2);
  }, 30_000);

  it("from IMC.CUSTOMERS' summary of the CDNOW orders: the same BG/NBD parameters as IMC.CLV.FIT on the orders", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const { ids, dates, values } = cdnowColumns(dir);
    const asOf = [[CDNOW_CALIBRATION_END]];
    const summary = customers(ids, dates, values, asOf, N).slice(1);
    const fromSummary = fitSummary(summary.map((r) => [r[4]]), summary.map((r) => [r[5]]), summary.map((r) => [r[6]]), N, N, N, N);
    const fromOrders = clvFit(ids, dates, values, N, asOf, N);
    for (const name of ["r", "alpha", "a", "b", "Log-likelihood (BG/NBD)"]) {
      expect(relative(parameter(fromSummary, name), parameter(fromOrders, name) as number), name).toBeLessThan(1e-9);
    }
  });
});

describe("small summaries", () => {
  const F = col([0, 1, 1, 2, 3, 4, 6, 0, 2, 1]);
  const R = col([0, 10, 30, 20, 35, 28, 38, 0, 8, 3]);
  const T = col([39, 39, 38, 39, 38, 36, 39, 30, 37, 33]);
  const M = col([0, 20, 35, 25, 30, 18, 40, 0, 22, 50]);
  const C = col([600, 120, 80, 60, 40, 25, 10, 300, 30, 90]);

  it("grouped rows: customers are the sum of the counts; rows with count 0 change nothing", () => {
    const table = fitSummary(F, R, T, M, C, N, N);
    expect(parameter(table, "Customers")).toBe(1355);
    expect(parameter(table, "Repeat customers")).toBe(455);
    expect(parameter(table, "Converged (BG/NBD)")).toBe(true);
    const withZero = fitSummary([...F, [5]], [...R, [20]], [...T, [30]], [...M, [99]], [...C, [0]], N, N);
    expect(parameter(withZero, "r")).toBe(parameter(table, "r"));
    expect(parameter(withZero, "p")).toBe(parameter(table, "p"));
    expect(parameter(withZero, "Summary rows")).toBe(11);
  });

  it("PREDICT without monetary: P(alive) and expected purchases, blank value and CLV; period and horizon as in IMC.CLV.PREDICT", () => {
    const rows = predictSummary(F, R, T, N, C, [[26]], N, N, N);
    expect(rows.length).toBe(11);
    expect(rows[1][0]).toBe(600);
    expect(rows[1][4]).toBe("");
    expect(rows[1][8]).toBe("");
    expect(rows[1][5]).toBe(1); // no repeat purchase: P(alive) = 1 under BG/NBD
    const longer = predictSummary(F, R, T, N, C, [[52]], N, N, N);
    expect(longer[2][6]).toBeGreaterThan(rows[2][6] as number);
    const withValue = predictSummary(F, R, T, M, C, [[52]], N, N, N);
    expect(withValue[2][6]).toBe(longer[2][6]);
    expect(withValue[2][8]).toBeGreaterThan(0);
  });

  const cases: Array<[string, () => unknown, string, RegExp]> = [
    ["a fractional frequency", () => fitSummary(col([0, 1.5]), col([0, 2]), col([5, 5]), N, N, N, N), "#VALUE!", /^frequency row 2: 1.5 is not a whole number/],
    ["a negative frequency", () => fitSummary(col([0, -1]), col([0, 2]), col([5, 5]), N, N, N, N), "#VALUE!", /^frequency row 2: /],
    ["recency above T", () => fitSummary(col([1, 1]), col([2, 6]), col([5, 5]), N, N, N, N), "#VALUE!", /^recency row 2: 6 is not between 0 and T \(5\)/],
    ["recency without repeat purchases", () => fitSummary(col([1, 0]), col([2, 1]), col([5, 5]), N, N, N, N), "#VALUE!", /^recency row 2: 1 must be 0 when frequency is 0/],
    ["T of 0 (a trailing all-zero row is an empty row from desktop Excel and dropped)", () => fitSummary(col([1, 0, 0]), col([2, 0, 0]), col([5, 0, 5]), N, N, N, N), "#VALUE!", /^T row 2: 0 is not above 0/],
    ["text in T", () => fitSummary(col([1, 0]), col([2, 0]), col([5, "x"]), N, N, N, N), "#VALUE!", /^T row 2: "x" is not a number/],
    ["monetary 0 for a repeat buyer", () => fitSummary(col([1, 2]), col([2, 3]), col([5, 5]), col([10, 0]), N, N, N), "#VALUE!", /^monetary row 2: 0 is not above 0/],
    ["a fractional count", () => fitSummary(col([1, 2]), col([2, 3]), col([5, 5]), N, col([1, 2.5]), N, N), "#VALUE!", /^counts row 2: 2.5 is not a whole number/],
    ["a negative count", () => fitSummary(col([1, 2]), col([2, 3]), col([5, 5]), N, col([1, -2]), N, N), "#VALUE!", /^counts row 2: /],
    ["mismatched lengths", () => fitSummary(col([1, 2, 0]), col([2, 3]), col([5, 5, 5]), N, N, N, N), "#VALUE!", /recency/],
    ["a single customer", () => fitSummary(col([1]), col([2]), col([5]), N, N, N, N), "#N/A", /^only 1 customer in the summary/],
    ["no repeat buyer", () => predictSummary(col([0, 0]), col([0, 0]), col([5, 5]), N, N, N, N, N, N), "#N/A", /^frequency: no customer has a repeat purchase/],
    ["an unknown model", () => fitSummary(F, R, T, N, N, [["gamma"]], N), "#VALUE!", /^model: "gamma" is not one of/],
    ["a horizon of 0", () => predictSummary(F, R, T, N, C, [[0]], N, N, N), "#VALUE!", /^horizon: must be a number of periods above 0/],
  ];
  for (const [label, call, code, message] of cases) {
    it(`${label} → ${code}`, () => {
      const error = excelErrorOf(call);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });
  }
});

describe("a named purchase model that does not converge", () => {
  it("IMC.CLV.PREDICT.SUMMARY names what ran off, in the words of every other route (notConvergedError)", async () => {
    const { commonDropoutData } = await import("../engine/clv/commonDropoutData");
    const { fitPurchaseModel, notConvergedError } = await import("../../src/engine/clv/predict");
    // Customers alike in their drop-out: Pareto/NBD runs off to s, beta → ∞.
    const data = commonDropoutData(50, 150, 400, 3);
    const expected = notConvergedError(fitPurchaseModel(data, "pareto").counting).message;
    const error = excelErrorOf(() => predictSummary(col(data.x), col(data.t_x), col(data.T), N, N, N, N, [["pareto"]], N));
    expect(error.message).toContain(expected);
    expect(error.message).toMatch(/because s and beta grew without bound/);
  });
});
