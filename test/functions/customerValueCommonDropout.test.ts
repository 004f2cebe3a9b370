// IMC.CLV.FIT and IMC.CLV.PREDICT on customers alike in their drop-out (simulated BG/NBD with a = 50,
// b = 150): the BG/NBD and MBG/NBD fits reach the limit a, b → ∞, which the fit table shows, and
// PREDICT returns a value for every customer instead of an error.
import { beforeAll, describe, expect, it } from "vitest";
import { installCustomFunctionsStub } from "../support/customFunctions";
import { AS_OF_SERIAL, commonDropoutOrders } from "../engine/clv/commonDropoutData";
import { buildCustomerValueTab } from "../../src/reports/customerValue";
import { cellValue } from "../../src/reports/sheet";

installCustomFunctionsStub();
let clvFit: typeof import("../../src/functions/customerValue").clvFit;
let clvPredict: typeof import("../../src/functions/customerValue").clvPredict;
let customers: typeof import("../../src/functions/customerValue").customers;
let clvFitSummary: typeof import("../../src/functions/clvSummary").clvFitSummary;
beforeAll(async () => {
  ({ clvFit, clvPredict, customers } = await import("../../src/functions/customerValue"));
  ({ clvFitSummary } = await import("../../src/functions/clvSummary"));
});

const N = null as any;
const ORDERS = commonDropoutOrders(50, 150, 400, 2);
const IDS = ORDERS.map((row) => [row[0]]);
const DATES = ORDERS.map((row) => [row[1]]);
const VALUES = ORDERS.map((row) => [row[2]]);

/** Value and standard error of a Parameter row of an IMC.CLV.FIT table. */
function row(table: unknown[][], name: string): unknown[] {
  const found = table.find((r) => r[0] === name);
  expect(found, `row ${name}`).toBeDefined();
  return found!;
}

describe("IMC.CLV.FIT / IMC.CLV.PREDICT when the purchase model's maximum is its common-drop-out limit", () => {
  for (const [model, label] of [["bgnbd", "BG/NBD"], ["mbgnbd", "MBG/NBD"], ["auto", "BG/NBD"]] as const) {
    it(`${model}: FIT says converged at its limit, with p and its standard error; PREDICT gives every customer finite values`, () => {
      const fit = clvFit(IDS, DATES, VALUES, [[model]], [[AS_OF_SERIAL]], N);
      expect(row(fit, `Converged (${label})`)[1]).toBe(true);
      expect(String(row(fit, `At its limit (${label})`)[1])).toMatch(/^a and b are unbounded/);
      const [, p, pError] = row(fit, "p (limit)");
      expect(p as number).toBeGreaterThan(0.1);
      expect(p as number).toBeLessThan(0.4);
      expect(pError as number).toBeGreaterThan(0);
      // a and b have no standard error: they stand for ∞.
      expect(row(fit, "a")[2]).toBe("");
      const predict = clvPredict(IDS, DATES, VALUES, [[52]], [[0.1]], [[model]], [[AS_OF_SERIAL]], N);
      expect(predict.length).toBe(401);
      for (const cells of predict.slice(1)) for (const cell of cells.slice(1)) expect(Number.isFinite(cell), String(cells)).toBe(true);
    });
  }
});

describe("IMC.CLV.FIT.SUMMARY on the same customers' summary (IMC.CUSTOMERS)", () => {
  it("shows the same limit rows as IMC.CLV.FIT, with the same p", () => {
    const table = customers(IDS, DATES, VALUES, [[AS_OF_SERIAL]], N);
    const column = (header: string) => table.slice(1).map((r) => [r[table[0].indexOf(header)]]);
    const summary = clvFitSummary(column("Frequency"), column("Recency"), column("T"), N, N, [["bgnbd"]], N);
    const fit = clvFit(IDS, DATES, VALUES, [["bgnbd"]], [[AS_OF_SERIAL]], N);
    expect(String(row(summary, "At its limit (BG/NBD)")[1])).toMatch(/^a and b are unbounded/);
    for (const name of ["r (limit)", "alpha (limit)", "p (limit)"]) {
      expect(row(summary, name)[1] as number, name).toBeCloseTo(row(fit, name)[1] as number, 9);
      expect(row(summary, name)[2] as number, name).toBeGreaterThan(0);
    }
  });
});

describe("the Customer Value tab on the same orders (built from the same engine fit)", () => {
  it("is written, with and without a holdout check, and says the purchase model is at its limit", () => {
    const orders = { source: "orders", customerIds: IDS.flat(), orderDates: DATES.flat(), orderValues: VALUES.flat() };
    for (const options of [{}, { holdoutPeriods: 8 }, { model: "mbgnbd" as const, holdoutPeriods: 8 }]) {
      const { sheet } = buildCustomerValueTab(orders, options, { generatedAt: "2026-01-01T00:00:00Z" });
      const texts = sheet.blocks.flatMap((b) => (b.kind === "cells" ? b.values.flat().map((c) => cellValue(c)) : []));
      expect(texts.some((t) => typeof t === "string" && t.startsWith("At its limit: a and b are unbounded")), JSON.stringify(options)).toBe(true);
      if ("holdoutPeriods" in options) expect(texts).toContain("Holdout end");
    }
  });
});
