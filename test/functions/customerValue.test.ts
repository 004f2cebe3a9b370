// IMC.CUSTOMERS, IMC.CLV.FIT and IMC.CLV.PREDICT called exactly as Excel calls them: every argument a
// 2-D array, omitted optional arguments as null, dates as serials or ISO text.
import { beforeAll, describe, expect, it } from "vitest";
import { excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { CDNOW_CALIBRATION_END, cdnowColumns } from "../engine/clv/cdnowData";
import { bgNbdExpectedPurchasesNew } from "../../src/engine/clv/bgNbd";

installCustomFunctionsStub();
let customers: typeof import("../../src/functions/customerValue").customers;
let clvFit: typeof import("../../src/functions/customerValue").clvFit;
let clvPredict: typeof import("../../src/functions/customerValue").clvPredict;
beforeAll(async () => {
  ({ customers, clvFit, clvPredict } = await import("../../src/functions/customerValue"));
});

const col = (...values: unknown[]) => values.map((v) => [v]);
const N = null as any;
const relative = (actual: unknown, expected: number) => Math.abs((actual as number) - expected) / Math.abs(expected);

// A small order list: a (3 purchase days, 4 rows), b (2), c (3), d (1), 1001 (numeric id, 2).
const IDS = col("a", "a", "b", "a", "a", "b", "c", "c", "d", "c", 1001, 1001);
const DATES = col("2024-01-05", "2024-01-05", "2024-01-20", "2024-02-10", "2024-04-01", "2024-05-15", "2024-02-01", "2024-06-01", "2024-03-01", "2024-06-20", 45400, 45430);
const VALUES = col(20, 5, 50, 35, 25, 40, 10, 15, 30, 12, 60, 80);

/** Value of a Parameter row of an IMC.CLV.FIT table. */
function parameter(table: unknown[][], name: string): unknown {
  const row = table.find((r) => r[0] === name);
  expect(row, `row ${name}`).toBeDefined();
  return row![1];
}

describe("IMC.CUSTOMERS", () => {
  it("one row per customer in order of first appearance, same-day orders merged, weeks by default", () => {
    const table = customers(IDS, DATES, VALUES, N, N);
    expect(table[0]).toEqual(["Customer", "First order", "Last order", "Orders", "Frequency", "Recency", "T", "Total value", "Average value"]);
    expect(table.map((r) => r[0])).toEqual(["Customer", "a", "b", "c", "d", 1001]);
    const a = table[1];
    expect(a[1]).toBe(45296); // 2024-01-05
    expect(a[2]).toBe(45383); // 2024-04-01
    expect(a[3]).toBe(4);
    expect(a[4]).toBe(2);
    expect(a[5]).toBeCloseTo(87 / 7, 12);
    expect(a[6]).toBeCloseTo((45463 - 45296) / 7, 12); // as_of = last order day, 2024-06-20
    expect(a[7]).toBe(85);
    expect(a[8]).toBe(30); // mean of 35 and 25; the first purchase (20 + 5) is not a repeat
    expect(table[4].slice(4, 9)).toEqual([0, 0, (45463 - 45352) / 7, 30, 0]);
  });
  it("as_of and period: days, orders after as_of left out", () => {
    const table = customers(IDS, DATES, VALUES, [["2024-03-01"]], [["day"]]);
    expect(table.map((r) => r[0])).toEqual(["Customer", "a", "b", "c", "d"]);
    expect(table[1][4]).toBe(1);
    expect(table[1][6]).toBe(45352 - 45296);
  });
});

describe("IMC.CLV.FIT and IMC.CLV.PREDICT on CDNOW (F: summary from CDNOW_sample.txt, as_of 1997-09-30)", () => {
  it("auto chooses MBG/NBD (highest log-likelihood) and the FIT table says so, with every candidate's log-likelihood", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const { ids, dates, values } = cdnowColumns(dir);
    const table = clvFit(ids, dates, values, [["auto"]], [[CDNOW_CALIBRATION_END]], N);
    expect(parameter(table, "Model")).toBe("MBG/NBD + Gamma-Gamma (purchase model chosen automatically)");
    expect(parameter(table, "Model choice")).toMatch(/^MBG\/NBD has the highest log-likelihood .*BG\/NBD log-likelihood −9582\.43; MBG\/NBD log-likelihood −9582\.\d\d; Pareto\/NBD log-likelihood −959\d\.\d\d\.$/);
    expect(Math.abs((parameter(table, "r") as number) - 0.525)).toBeLessThan(5e-3);
    expect(parameter(table, "Converged (MBG/NBD)")).toBe(true);
  });
  it("BG/NBD + Gamma-Gamma parameters to 5 digits (issue 3 table, F column)", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const { ids, dates, values } = cdnowColumns(dir);
    const table = clvFit(ids, dates, values, N, [[CDNOW_CALIBRATION_END]], N);
    expect(table[0]).toEqual(["Parameter", "Value", "Standard error"]);
    expect(parameter(table, "Model")).toBe("BG/NBD + Gamma-Gamma");
    expect(parameter(table, "Period")).toBe("week");
    expect(parameter(table, "As of")).toBe(CDNOW_CALIBRATION_END);
    for (const [name, expected] of [["r", 0.242595], ["alpha", 4.4136], ["a", 0.792922], ["b", 2.42591], ["p", 6.24957], ["q", 3.74423], ["gamma", 15.4435]] as const) {
      expect(relative(parameter(table, name), expected)).toBeLessThan(5e-5);
    }
    expect(Math.abs((parameter(table, "Log-likelihood (BG/NBD)") as number) - -9582.42921)).toBeLessThan(1e-4);
    expect(Math.abs((parameter(table, "Log-likelihood (Gamma-Gamma)") as number) - -4055.9177)).toBeLessThan(1e-4);
    expect(parameter(table, "Converged (BG/NBD)")).toBe(true);
    expect(parameter(table, "Customers")).toBe(2357);
    expect(parameter(table, "Repeat customers")).toBe(946);
    expect(parameter(table, "Customers in the spend model")).toBe(946);
    expect(parameter(table, "Orders after as_of (left out)")).toBeGreaterThan(0);
    expect(parameter(table, "Purchase days with value <= 0 (counted as purchases, not in average value)")).toBe(8);
    const fitted = { r: parameter(table, "r"), alpha: parameter(table, "alpha"), a: parameter(table, "a"), b: parameter(table, "b") } as never;
    expect(relative(parameter(table, "Expected repeat purchases of a new customer in the first year"), bgNbdExpectedPurchasesNew(fitted, 365.25 / 7))).toBeLessThan(1e-12);
    const r = table.find((row) => row[0] === "r")!;
    expect(relative(r[2], 0.0125574)).toBeLessThan(1e-3);
  });

  it("Pareto/NBD: log-likelihood −9594.97618 (F) to 1e-4, r and alpha to 4 digits", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const { ids, dates, values } = cdnowColumns(dir);
    const table = clvFit(ids, dates, values, [["Pareto/NBD"]], [[CDNOW_CALIBRATION_END]], [["week"]]);
    expect(parameter(table, "Model")).toBe("Pareto/NBD + Gamma-Gamma");
    expect(Math.abs((parameter(table, "Log-likelihood (Pareto/NBD)") as number) - -9594.97618)).toBeLessThan(1e-4);
    expect(relative(parameter(table, "r"), 0.553277)).toBeLessThan(5e-4);
    expect(relative(parameter(table, "alpha"), 10.5777)).toBeLessThan(5e-4);
    expect(table.map((row) => row[0])).toContain("beta");
  });

  it("PREDICT: 39 weeks without discounting; IDs 1, 2, 3, 100, 1000 match the (R) references to 1e-3 (F and R differ in the 5th digit)", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const { ids, dates, values } = cdnowColumns(dir);
    const table = clvPredict(ids, dates, values, [[39]], [[0]], N, [[CDNOW_CALIBRATION_END]], N);
    expect(table[0]).toEqual(["Customer", "Frequency", "Recency", "T", "Average value", "P(alive)", "Expected purchases", "Expected average value", "CLV"]);
    expect(table.length).toBe(2358);
    const bgExpected = [1.22591, 0.203251, 0.194781, 0.626795, 2.35296];
    const bgAlive = [0.726609, 0.212227, 1, 0.646988, 0.680351];
    const spend = [24.6586, 18.9115, 35.171, 28.9517, 18.1311];
    [1, 2, 3, 100, 1000].forEach((id, k) => {
      const row = table.find((r) => r[0] === id)!;
      expect(relative(row[5], bgAlive[k])).toBeLessThan(1e-3);
      expect(relative(row[6], bgExpected[k])).toBeLessThan(1e-3);
      expect(relative(row[7], spend[k])).toBeLessThan(1e-3);
      // Without discounting, CLV = expected purchases × expected average value.
      expect(relative(row[8], (row[6] as number) * (row[7] as number))).toBeLessThan(1e-12);
    });
    const pareto = clvPredict(ids, dates, values, [[39]], [[0]], [["pareto"]], [[CDNOW_CALIBRATION_END]], N);
    const paretoExpected = [1.45511, 0.170981, 0.10706, 0.786629, 2.60164];
    const paretoAlive = [0.869119, 0.167872, 0.295097, 0.764723, 0.791577];
    [1, 2, 3, 100, 1000].forEach((id, k) => {
      const row = pareto.find((r) => r[0] === id)!;
      expect(relative(row[5], paretoAlive[k])).toBeLessThan(1e-3);
      expect(relative(row[6], paretoExpected[k])).toBeLessThan(1e-3);
    });
  });

  it("PREDICT defaults: 52 weeks, 10% a year; CLV below the undiscounted value", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const { ids, dates, values } = cdnowColumns(dir);
    const table = clvPredict(ids, dates, values, N, N, N, [[CDNOW_CALIBRATION_END]], N);
    const row = table.find((r) => r[0] === 1)!;
    const undiscounted = (row[6] as number) * (row[7] as number);
    expect(row[8]).toBeLessThan(undiscounted);
    expect(row[8]).toBeGreaterThan(undiscounted / 1.1);
  });
});

describe("bad input as Excel sends it", () => {
  const cases: Array<[string, () => unknown, string, RegExp]> = [
    ["text that is not a date", () => customers(col("a", "b"), col("2024-01-01", "soon"), col(1, 2), N, N), "#VALUE!", /^order_dates row 2: /],
    ["a blank inside the data", () => clvFit(col("a", "", "b"), col(45300, 45301, 45302), col(1, 2, 3), N, N, N), "#VALUE!", /^customer_ids row 2: /],
    ["mismatched lengths", () => clvPredict(col("a", "b", "c"), col(45300, 45301), col(1, 2, 3), N, N, N, N, N), "#VALUE!", /order_dates/],
    ["a non-numeric value", () => customers(col("a", "b"), col(45300, 45301), col(1, "abc"), N, N), "#VALUE!", /^order_values row 2: "abc" is not a number/],
    ["a single customer", () => clvFit(col("a", "a", "a"), col(45300, 45310, 45320), col(1, 2, 3), N, N, N), "#N/A", /^only 1 customer with an order up to the as-of date; the purchase model needs at least 2 customers/],
    ["all customers with one purchase", () => clvPredict(col("a", "b", "c", "c"), col(45300, 45310, 45320, 45320.5), col(1, 2, 3, 4), N, N, N, N, N), "#N/A", /^no customer bought more than once \(on different days\) up to the as-of date, so repeat buying cannot be modelled$/],
    ["as_of before the first order", () => customers(IDS, DATES, VALUES, [["2023-12-31"]], N), "#VALUE!", /^as_of: the date is before the first order/],
    ["an unknown model", () => clvFit(IDS, DATES, VALUES, [["gamma"]], N, N), "#VALUE!", /^model: "gamma" is not one of "bgnbd", "mbgnbd", "pareto", "auto"$/],
    ["an unknown period", () => customers(IDS, DATES, VALUES, N, [["year"]]), "#VALUE!", /^period: "year" is not one of "day", "week", "month"/],
    ["a horizon of 0", () => clvPredict(IDS, DATES, VALUES, [[0]], N, N, N, N), "#VALUE!", /^horizon: must be a number of periods above 0/],
    ["a discount rate of −100%", () => clvPredict(IDS, DATES, VALUES, N, [[-1]], N, N, N), "#VALUE!", /^annual_discount_rate: must be above -1/],
    ["no repeat spend to fit (all repeat days refunds)", () => clvFit(col("a", "a", "b", "b"), col(45300, 45310, 45300, 45320), col(10, -10, 10, 0), N, N, N), "#N/A", /^order_values: fewer than 2 repeat customers/],
  ];
  for (const [label, call, code, message] of cases) {
    it(`${label} → ${code}`, () => {
      const error = excelErrorOf(call);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });
  }
});

describe("small data", () => {
  // Nine customers, 25 orders (the catalogue example): both fits converge inside their ranges.
  const NINE = {
    ids: col(..."aaaaaaabbbcdefffffgggghii".split("")),
    dates: col(45346, 45370, 45388, 45398, 45444, 45459, 45463, 45312, 45329, 45344, 45330, 45321, 45313, 45350, 45363, 45406, 45427, 45466, 45304, 45323, 45344, 45449, 45298, 45309, 45345),
    values: col(50, 60, 40, 50, 50, 30, 50, 40, 10, 40, 30, 40, 20, 30, 10, 10, 30, 60, 40, 40, 10, 30, 40, 50, 50),
  };
  it("nine customers: FIT converges, PREDICT returns finite values for each (a: 6 repeat purchases, P(alive) 0.97)", () => {
    const fit = clvFit(NINE.ids, NINE.dates, NINE.values, N, N, N);
    expect(parameter(fit, "Converged (BG/NBD)")).toBe(true);
    const predict = clvPredict(NINE.ids, NINE.dates, NINE.values, [[52]], [[0.1]], N, N, N);
    expect(predict.map((r) => r[0])).toEqual(["Customer", ..."abcdefghi".split("")]);
    for (const row of predict.slice(1)) for (const cell of row.slice(1)) expect(Number.isFinite(cell)).toBe(true);
    expect(predict[1][5]).toBeCloseTo(0.97217, 4);
  });
  it("five customers: the BG/NBD fit runs to the edge of its range; FIT says Converged FALSE, PREDICT refuses with #N/A", () => {
    const fit = clvFit(IDS, DATES, VALUES, N, N, N);
    expect(parameter(fit, "Converged (BG/NBD)")).toBe(false);
    const error = excelErrorOf(() => clvPredict(IDS, DATES, VALUES, N, N, N, N, N));
    expect(error.code).toBe("#N/A");
    expect(error.message).toMatch(/^the BG\/NBD purchase model did not converge .*or the automatic choice \("auto"\)/);
  });
  it("the model argument takes mbgnbd (also MBG/NBD) and auto; the default stays bgnbd", () => {
    for (const typed of ["mbgnbd", "MBG/NBD", "mbg-nbd"]) {
      expect(parameter(clvFit(NINE.ids, NINE.dates, NINE.values, [[typed]], N, N), "Model")).toBe("MBG/NBD + Gamma-Gamma");
    }
    expect(parameter(clvFit(NINE.ids, NINE.dates, NINE.values, N, N, N), "Model")).toBe("BG/NBD + Gamma-Gamma");
    const auto = clvFit(NINE.ids, NINE.dates, NINE.values, [["auto"]], N, N);
    const model = parameter(auto, "Model") as string;
    expect(model).toMatch(/^(BG\/NBD|MBG\/NBD|Pareto\/NBD|NBD \(no drop-out\)) \+ Gamma-Gamma \(purchase model chosen automatically\)$/);
    const reason = parameter(auto, "Model choice") as string;
    for (const label of ["BG/NBD", "MBG/NBD", "Pareto/NBD"]) expect(reason).toContain(label);
    expect(reason).toContain(model.replace(/ \+ Gamma-Gamma.*/, ""));
    // The parameter rows are the chosen model's: the same as naming it.
    const chosen = model.startsWith("MBG") ? "mbgnbd" : model.startsWith("BG") ? "bgnbd" : model.startsWith("Pareto") ? "pareto" : null;
    if (chosen !== null) {
      const named = clvFit(NINE.ids, NINE.dates, NINE.values, [[chosen]], N, N);
      for (const name of ["r", "alpha"]) expect(parameter(auto, name)).toBe(parameter(named, name));
      const predicted = clvPredict(NINE.ids, NINE.dates, NINE.values, [[52]], [[0.1]], [["auto"]], N, N);
      expect(predicted).toEqual(clvPredict(NINE.ids, NINE.dates, NINE.values, [[52]], [[0.1]], [[chosen]], N, N));
    }
  });
  it("refund rows are reported in FIT and kept as purchases", () => {
    const ids = col("a", "a", "a", "b", "b", "c", "c", "c");
    const dates = col(45300, 45310, 45320, 45305, 45330, 45301, 45311, 45340);
    const values = col(10, 20, -5, 15, 25, 30, 12, 18);
    const fit = clvFit(ids, dates, values, N, N, [["day"]]);
    expect(parameter(fit, "Purchase days with value <= 0 (counted as purchases, not in average value)")).toBe(1);
    const table = customers(ids, dates, values, N, [["day"]]);
    expect(table[1][4]).toBe(2);
    expect(table[1][8]).toBe(20);
  });
});
