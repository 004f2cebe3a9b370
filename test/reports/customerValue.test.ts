// The Customer Value tab against the engine and the custom functions (IMC.CLV.PREDICT, IMC.CLV.FIT)
// on small seeded order data; its formulas recomputed by a formula engine.
import { beforeAll, describe, expect, it } from "vitest";
import { installCustomFunctionsStub } from "../support/customFunctions";
import { expectFormulasHold } from "../support/recalc";
import {
  compareHoldout,
  fitCustomerValue,
  fitDataOf,
  forecastCustomer,
  selectCountingModel,
  splitCalibrationHoldout,
  summarizeCustomers,
} from "../../src/engine/clv";
import { readTransactions } from "../../src/engine/data";
import { EngineError } from "../../src/engine/errors";
import { betaDraw, exponentialDraw, gammaDraw, seededUniform } from "../../src/engine/math/random";
import { rfmScores } from "../../src/engine/segmentation";
import { buildCustomerValueTab } from "../../src/reports/customerValue";
import { analyseCustomerValue } from "../../src/reports/customerValue/analysis";
import { warningsOf } from "../../src/reports/customerValue/summaries";
import { significantFormat } from "../../src/reports/format";
import type { OrdersInput } from "../../src/reports/inputs";
import { blockRange, cellAt, cellValue, isFormulaCell, rangeValues, sheetProblems, tableNamed } from "../../src/reports/sheet";
import { columnOf, tableOf } from "../support/reports";

installCustomFunctionsStub();
let clvFit: typeof import("../../src/functions/customerValue").clvFit;
let clvPredict: typeof import("../../src/functions/customerValue").clvPredict;
beforeAll(async () => {
  ({ clvFit, clvPredict } = await import("../../src/functions/customerValue"));
});

const CONTEXT = { generatedAt: "2026-01-01T00:00:00Z" };
const START = 45292; // 2024-01-01
const END = START + 540;

/**
 * A tiny seeded shop following buy till you die: customers join over 15 months, buy at a personal
 * Poisson rate, may drop out after each purchase, spend around a personal mean; a few orders are
 * refunded (a negative row on the same day). The last customer's only order is on the last day.
 */
function shop(customerCount: number, seed: number): OrdersInput {
  const u = seededUniform(seed);
  const ids: unknown[] = [];
  const dates: unknown[] = [];
  const values: unknown[] = [];
  for (let c = 0; c < customerCount; c++) {
    const id = c % 9 === 4 ? 20_000 + c : `K${c + 1}`;
    const lambda = gammaDraw(u, 0.9, 25);
    const p = betaDraw(u, 1, 5);
    const mean = gammaDraw(u, 5, 0.1);
    let t = START + Math.floor(u() * 450);
    for (let purchases = 0; purchases < 60; purchases++) {
      const value = Math.round(gammaDraw(u, 8, 8 / mean) * 100) / 100;
      const day = Math.floor(t);
      ids.push(id);
      dates.push(day);
      values.push(value);
      if (u() < 0.04) {
        ids.push(id);
        dates.push(day);
        values.push(-value);
      }
      t += exponentialDraw(u, lambda);
      if (t > END || u() < p) break;
    }
  }
  ids.push("NEWBIE");
  dates.push(END + 1);
  values.push(42);
  return { source: "orders.csv", customerIds: ids, orderDates: dates, orderValues: values };
}

const col = (values: readonly unknown[]) => values.map((v) => [v]);
const N = null as never;

/** The Value column of a Parameter | Value table, by parameter name. */
function valueOf(rows: readonly (readonly unknown[])[], name: string): unknown {
  const row = rows.find((r) => cellValue(r[0] as never) === name);
  expect(row, `row ${name}`).toBeDefined();
  return cellValue(row![1] as never);
}

type Sheet = ReturnType<typeof buildCustomerValueTab>["sheet"];

/**
 * The label | value | … rows written under a header row whose first cell is `header` (the model
 * parameters under "Parameter", the holdout measures under "Measure"): one cells block per row, so
 * each row has its own number format.
 */
function rowsUnder(sheet: Sheet, header: string): { cells: readonly unknown[]; formats: readonly (string | null)[] }[] {
  const byRow = new Map<number, (typeof sheet.blocks)[number]>();
  for (const block of sheet.blocks) if (block.kind === "cells" && block.column === 0) byRow.set(block.row, block);
  const start = sheet.blocks.find((b) => b.kind === "cells" && b.column === 0 && cellValue(b.values[0][0]) === header);
  expect(start, `header ${header}`).toBeDefined();
  const rows: { cells: readonly unknown[]; formats: readonly (string | null)[] }[] = [];
  for (let row = start!.row + 1; byRow.has(row); row++) {
    const block = byRow.get(row)!;
    if (block.kind !== "cells") break;
    rows.push({ cells: block.values[0], formats: block.numberFormats ?? [] });
  }
  return rows;
}
const parameterRows = (sheet: Sheet) => rowsUnder(sheet, "Parameter").map((r) => r.cells);
const holdoutRows = (sheet: Sheet) => rowsUnder(sheet, "Measure").map((r) => r.cells);

/** The per-customer table's rows as IMC.CLV.PREDICT lays them out: customer, then its eight numbers (the tab adds the segment second). */
function asPredicted(row: readonly unknown[]): unknown[] {
  return [cellValue(row[0] as never), ...row.slice(2).map((c) => cellValue(c as never))];
}

/** Each tab row equals IMC.CLV.PREDICT's row for the same customer, and the tab is sorted by CLV, highest first. */
function expectSameAsPredict(sheet: Sheet, predicted: readonly (readonly unknown[])[]): void {
  const rows = tableOf(sheet, "CustomerValues").rows;
  expect(rows.length).toBe(predicted.length - 1);
  const byId = new Map(predicted.slice(1).map((row) => [row[0], row]));
  for (const row of rows) expect(asPredicted(row)).toEqual(byId.get(cellValue(row[0])));
  const clvs = rows.map((row) => cellValue(row[9]) as number);
  for (let k = 1; k < clvs.length; k++) expect(clvs[k]).toBeLessThanOrEqual(clvs[k - 1]);
}

const ORDERS = shop(260, 11);
// BG/NBD named explicitly: the tests comparing with IMC.CLV.PREDICT / IMC.CLV.FIT use their default model.
const BASE = buildCustomerValueTab(ORDERS, { model: "bgnbd" }, CONTEXT);
// The tab's default: the automatic model choice.
const AUTO = buildCustomerValueTab(ORDERS, {}, CONTEXT);

describe("buildCustomerValueTab: structure", () => {
  it("is a well-formed sheet with the per-customer, segment, distribution, histogram and parameter tables", () => {
    const sheet = BASE.sheet;
    expect(sheetProblems(sheet)).toEqual([]);
    expect(sheet.name).toBe("Customer Value");
    expect(tableOf(sheet, "CustomerValues").headers).toEqual([
      "Customer", "Segment", "Repeat purchases", "Recency (weeks)", "Customer age (weeks)", "Average value per purchase", "P(alive)",
      "Expected purchases (next 52 weeks)", "Expected value per purchase", "CLV (next 52 weeks)",
    ]);
    // Whole-number ids on the left like text ids; BG/NBD's one-time buyers' P(alive) (exactly 1) shown as not estimated.
    expect(tableOf(sheet, "CustomerValues").numberFormats).toEqual(["0* ;-0* ;0* ;@", null, "#,##0", "0.00", "0.00", "#,##0.00", '[<1]0.0%;"not estimated (one order)"', "0.00", "#,##0.00", "#,##0.00"]);
    expect(tableOf(sheet, "ValueBySegment").headers).toEqual(["Segment", "Customers", "Total CLV", "Average CLV", "Share of CLV"]);
    // Ten bands of P(alive) over the repeat customers, and BG/NBD's one-time buyers apart.
    expect(tableOf(sheet, "AliveDistribution").rows.length).toBe(11);
    expect(tableOf(sheet, "RepeatPurchases").headers).toEqual(["Repeat purchases", "Customers (actual)", "Customers (model)"]);
    expect(tableNamed(sheet, "ModelParameters")).toBeUndefined();
    expect(cellTexts(sheet)).toEqual(expect.arrayContaining(["Parameter", "Value", "Standard error", "Meaning"]));
    expect(tableOf(sheet, "HighValueAtRisk").headers).toEqual(["Customer", "Segment", "Past revenue", "Purchase days", "Since last purchase (weeks)", "CLV (next 52 weeks)", "P(alive)"]);
    expect(tableNamed(sheet, "HoldoutCheck")).toBeUndefined();
    const texts = sheet.blocks.flatMap((b) => (b.kind === "cells" ? b.values.flat().map((c) => cellValue(c)) : []));
    expect(texts.some((t) => typeof t === "string" && t.startsWith("No holdout was chosen"))).toBe(true);
    expect(sheet.freeze).toEqual({ rows: 2, columns: 1 });
    expect(sheet.charts.map((c) => c.title)).toEqual([
      "Total CLV by segment",
      "Average CLV by segment",
      "Repeat customers by chance of being active",
      "Repeat purchases: actual and BG/NBD",
    ]);
    const customers = tableOf(sheet, "CustomerValues");
    // Summaries above the per-customer table, "Where these numbers come from" at the bottom.
    // The heading "Where these numbers come from", then the provenance rows under it.
    const [heading, provenance] = sheet.blocks.slice(-2);
    expect(heading.kind === "cells" && heading.style === "heading" && cellValue(heading.values[0][0])).toBe("Where these numbers come from");
    expect(provenance.kind === "cells" && cellValue(provenance.values[0][0])).toBe("Source");
    expect(provenance.row).toBeGreaterThan(customers.row + customers.rows.length);
    for (const block of sheet.blocks) if (block !== customers && block !== provenance && block !== heading) expect(blockRange(block).row).toBeLessThan(customers.row);
    for (const chart of sheet.charts) expect(chart.anchor.row + chart.anchor.rows).toBeLessThan(customers.row);
  });

  it("states model, period, horizon, discount rates, as_of and refunds in the provenance", () => {
    const options = Object.fromEntries(BASE.sheet.provenance.options.map((o) => [o.label, o.value]));
    expect(options.Model).toContain("BG/NBD");
    expect(options.Period).toBe("week (7 days)");
    expect(options.Horizon).toBe("52 weeks");
    expect(options["Annual discount rate"]).toBe("10.0%");
    // (1.1)^(7/365.25) − 1 = 0.18283%.
    expect(options["Discount rate per period"]).toMatch(/^0\.1828% per week = \(1 \+ 0\.1\)\^\(7 \/ 365\.25\) − 1/);
    expect(options["As of"]).toBe("2025-06-25");
    expect(options.Holdout).toBe("none chosen");
    expect(BASE.sheet.provenance.notes.join(" ")).toMatch(/\d+ purchase days with a total value ≤ 0/);
  });

  it("is deterministic", () => {
    expect(buildCustomerValueTab(ORDERS, { model: "bgnbd" }, CONTEXT)).toEqual(BASE);
    expect(buildCustomerValueTab(ORDERS, {}, CONTEXT)).toEqual(AUTO);
  });
});

describe("buildCustomerValueTab: the same numbers as IMC.CLV.PREDICT and IMC.CLV.FIT", () => {
  it("per customer: frequency, recency, T, average value, P(alive), expected purchases and value, CLV", () => {
    const predicted = clvPredict(col(ORDERS.customerIds), col(ORDERS.orderDates), col(ORDERS.orderValues), N, N, N, N, N);
    const t = tableOf(BASE.sheet, "CustomerValues");
    expectSameAsPredict(BASE.sheet, predicted);
    expect(BASE.clvByCustomer!.get("K1")).toBe(cellValue(t.rows.find((row) => cellValue(row[0]) === "K1")![9]));
    const clvs = predicted.slice(1).map((row) => row[8] as number);
    expect(BASE.averageClv).toBeCloseTo(clvs.reduce((a, b) => a + b, 0) / clvs.length, 9);
  });

  it("Pareto/NBD, months, another horizon and rate", () => {
    const options = { model: "pareto", period: "month", horizonPeriods: 24, annualDiscountRate: 0.2 } as const;
    const { sheet } = buildCustomerValueTab(ORDERS, options, CONTEXT);
    expect(sheetProblems(sheet)).toEqual([]);
    const predicted = clvPredict(col(ORDERS.customerIds), col(ORDERS.orderDates), col(ORDERS.orderValues), [[24]], [[0.2]], [["pareto"]], N, [["month"]]);
    expectSameAsPredict(sheet, predicted);
    expect(tableNamed(sheet, "RepeatPurchases")).toBeUndefined();
    expect(sheet.charts.map((c) => c.title)).not.toContain("Repeat purchases: actual and BG/NBD");
    expect(valueOf(parameterRows(sheet), "s")).toBeGreaterThan(0);
    expect(tableOf(sheet, "CustomerValues").headers[7]).toBe("Expected purchases (next 24 months)");
  });

  it("as_of leaves later orders out, counted in the provenance, as IMC.CLV.PREDICT does", () => {
    const asOf = START + 400;
    const { sheet } = buildCustomerValueTab(ORDERS, { model: "bgnbd", asOf, holdoutPeriods: 13 }, CONTEXT);
    expect(sheetProblems(sheet)).toEqual([]);
    const predicted = clvPredict(col(ORDERS.customerIds), col(ORDERS.orderDates), col(ORDERS.orderValues), N, N, N, [[asOf]], N);
    expectSameAsPredict(sheet, predicted);
    const later = ORDERS.orderDates.filter((d) => (d as number) > asOf).length;
    expect(later).toBeGreaterThan(0);
    expect(sheet.provenance.notes[0]).toContain(`${later.toLocaleString("en-US")} dated after as of left out`);
    expect(valueOf(holdoutRows(sheet), "Holdout end")).toBe("2025-02-04");
  });

  it("model parameters, standard errors, log-likelihoods and converged flags", () => {
    const fit = clvFit(col(ORDERS.customerIds), col(ORDERS.orderDates), col(ORDERS.orderValues), N, N, N);
    const mine = parameterRows(BASE.sheet);
    for (const name of ["r", "alpha", "a", "b", "p", "q", "gamma", "Log-likelihood (BG/NBD)", "Log-likelihood (Gamma-Gamma)", "Average value of a new customer", "Customers", "Repeat customers", "Customers in the spend model"]) {
      expect(valueOf(mine, name), name).toEqual(valueOf(fit, name));
    }
    // Converged flags in words.
    expect(valueOf(fit, "Converged (BG/NBD)")).toBe(true);
    expect(valueOf(mine, "Converged (BG/NBD)")).toBe("Yes");
    expect(valueOf(mine, "Converged (Gamma-Gamma)")).toBe(valueOf(fit, "Converged (Gamma-Gamma)") ? "Yes" : "No");
    const r = mine.find((row) => row[0] === "r")!;
    const fitR = fit.find((row) => row[0] === "r")!;
    expect(cellValue(r[2] as never)).toBe(fitR[2]);
    // Each parameter's meaning in words.
    for (const name of ["r", "alpha", "a", "b", "p", "q", "gamma"]) {
      const row = mine.find((cells) => cells[0] === name)!;
      expect(typeof row[4] === "string" && (row[4] as string).length > 30, name).toBe(true);
    }
    expect(mine.find((row) => row[0] === "alpha")![4]).toMatch(/^Purchase rate, scale \(in weeks\): an average active customer buys r \/ alpha = \d\.\d{3} times a week$/);
  });

  it("a new customer's CLV is what the model gives a customer first seen on the as-of day", () => {
    // NEWBIE's only order is on the last day (T = 0): the model gives it the new-customer expectation.
    expect(BASE.clvByCustomer!.get("NEWBIE")).toBeCloseTo(BASE.newCustomerClv, 9);
    expect(BASE.newCustomerClv).toBeGreaterThan(0);
    expect(valueOf(parameterRows(BASE.sheet), "Expected CLV of a new customer")).toBe(BASE.newCustomerClv);
  });

  it("value by segment uses RFM segments at the same as_of, or the ones given", () => {
    const transactions = readTransactions(col(ORDERS.customerIds), col(ORDERS.orderDates), col(ORDERS.orderValues));
    const rfm = rfmScores(transactions, { asOf: null, monetary: "sum" });
    const t = tableOf(BASE.sheet, "CustomerValues");
    const rfmSegment = new Map(rfm.customerIds.map((id, c) => [id, rfm.segment[c]]));
    t.rows.forEach((row) => expect(cellValue(row[1])).toBe(rfmSegment.get(String(cellValue(row[0])))));
    const bySegment = tableOf(BASE.sheet, "ValueBySegment");
    columnOf(bySegment, "Segment").forEach((segment, s) => {
      const clvs = t.rows.filter((row) => cellValue(row[1]) === segment).map((row) => cellValue(row[9]) as number);
      expect(columnOf(bySegment, "Customers")[s]).toBe(clvs.length);
      expect(columnOf(bySegment, "Total CLV")[s]).toBeCloseTo(clvs.reduce((a, b) => a + b, 0), 6);
    });

    const given = new Map<string, string>([["K1", "Gold"], ["K2", "Gold"], ["K3", "Silver*"]]);
    const { sheet } = buildCustomerValueTab(ORDERS, { model: "bgnbd", segmentByCustomer: given }, CONTEXT);
    expect(sheetProblems(sheet)).toEqual([]);
    const segmentsGiven = tableOf(sheet, "ValueBySegment");
    expect(columnOf(segmentsGiven, "Segment")).toEqual(["Gold", "Silver*", "(no segment)"]);
    // "Silver*" would be a wildcard in COUNTIF: the table holds plain values then.
    expect(segmentsGiven.rows.flat().some((cell) => isFormulaCell(cell))).toBe(false);
    expect(columnOf(segmentsGiven, "Customers")).toEqual([2, 1, t.rows.length - 3]);
    expect(sheet.provenance.notes.join(" ")).toContain(`${t.rows.length - 3} customers have no segment`);
  });
});

describe("buildCustomerValueTab: formulas", () => {
  it("every formula recomputes to the value it carries (HyperFormula)", () => {
    expect(expectFormulasHold(BASE.sheet)).toBeGreaterThan(30);
  });

  it("key figures: total CLV is the SUM of the CLV column and the segment shares add up to 1", () => {
    const t = tableOf(BASE.sheet, "CustomerValues");
    const clvs = t.rows.map((row) => cellValue(row[9]) as number);
    // The headline's first figure, right under the "At a glance" heading.
    expect(cellValue(cellAt(BASE.sheet, 3, 0)!)).toBe("At a glance");
    expect(cellValue(cellAt(BASE.sheet, 4, 0)!)).toBe("Total CLV (next 52 weeks)");
    const totalCell = cellAt(BASE.sheet, 4, 1)!;
    expect(isFormulaCell(totalCell) && totalCell.formula).toBe(`SUM($J$${t.row + 2}:$J$${t.row + 1 + t.rows.length})`);
    expect(cellValue(totalCell)).toBeCloseTo(clvs.reduce((a, b) => a + b, 0), 6);
    const bySegment = tableOf(BASE.sheet, "ValueBySegment");
    expect(cellValue(bySegment.totals![4])).toBeCloseTo(1, 12);
    const histogram = tableOf(BASE.sheet, "RepeatPurchases");
    expect(cellValue(histogram.totals![1])).toBe(t.rows.length);
    expect(cellValue(histogram.totals![2])).toBeCloseTo(t.rows.length, 6);
    const chart = BASE.sheet.charts[3];
    expect(rangeValues(BASE.sheet, chart.series[0].values)).toEqual(columnOf(histogram, "Customers (actual)"));
  });
});

describe("buildCustomerValueTab: holdout", () => {
  const HOLDOUT = 26;
  const report = buildCustomerValueTab(ORDERS, { model: "bgnbd", holdoutPeriods: HOLDOUT }, CONTEXT);

  it("appears only when a holdout is chosen, and compares with the engine's split", () => {
    const { sheet } = report;
    expect(sheetProblems(sheet)).toEqual([]);
    const check = holdoutRows(sheet);
    const metrics = check;
    const transactions = readTransactions(col(ORDERS.customerIds), col(ORDERS.orderDates), col(ORDERS.orderValues));
    const asOf = END + 1;
    const calibrationEnd = asOf - HOLDOUT * 7;
    const split = splitCalibrationHoldout(transactions, { calibrationEnd, holdoutEnd: asOf, periodUnit: "week" });
    const fit = fitCustomerValue(split.calibration, "bgnbd");
    const predicted = split.calibration.customerIds.map((_, i) =>
      forecastCustomer(fit.counting, split.calibration.frequency[i], split.calibration.recency[i], split.calibration.T[i]).cumulativePurchases(HOLDOUT),
    );
    const comparison = compareHoldout(split.holdoutPurchases, predicted);
    expect(valueOf(metrics, "Customers compared")).toBe(comparison.customers);
    expect(valueOf(metrics, "Actual purchases")).toBe(comparison.actualTotal);
    expect(valueOf(metrics, "Predicted purchases") as number).toBeCloseTo(comparison.predictedTotal, 9);
    expect(valueOf(metrics, "Mean absolute error per customer") as number).toBeCloseTo(comparison.meanAbsoluteError, 9);
    expect(valueOf(metrics, "Root mean squared error per customer") as number).toBeCloseTo(comparison.rootMeanSquaredError, 9);
    expect(valueOf(metrics, "Correlation (actual, predicted)") as number).toBeCloseTo(comparison.correlation, 9);
    expect(valueOf(metrics, "Calibration end")).toBe("2024-12-25");

    // Actual holdout purchases counted by hand from the rows: distinct (customer, day) after the
    // calibration end among customers who bought before it.
    const known = new Set<unknown>();
    const days = new Set<string>();
    ORDERS.customerIds.forEach((id, i) => {
      if ((ORDERS.orderDates[i] as number) <= calibrationEnd) known.add(id);
    });
    ORDERS.customerIds.forEach((id, i) => {
      const day = ORDERS.orderDates[i] as number;
      if (day > calibrationEnd && day <= asOf && known.has(id)) days.add(`${String(id)}|${day}`);
    });
    expect(valueOf(metrics, "Actual purchases")).toBe(days.size);

    const buckets = tableOf(sheet, "HoldoutByFrequency");
    expect((columnOf(buckets, "Customers") as number[]).reduce((a, b) => a + b, 0)).toBe(comparison.customers);
    expect(sheet.charts.map((c) => c.title)).toContain("Holdout purchases per customer: actual and predicted");
    expect(sheet.provenance.options.find((o) => o.label === "Holdout")!.value).toContain("calibration on orders up to 2024-12-25");
    expect(expectFormulasHold(sheet)).toBeGreaterThan(30);
  });

  it("the rest of the tab does not change with a holdout", () => {
    expect(tableOf(report.sheet, "CustomerValues").rows).toEqual(tableOf(BASE.sheet, "CustomerValues").rows);
    expect(report.newCustomerClv).toBe(BASE.newCustomerClv);
  });
});

/** Texts of the cells blocks (headings and notes). */
function cellTexts(sheet: ReturnType<typeof buildCustomerValueTab>["sheet"]): string[] {
  return sheet.blocks.flatMap((b) => (b.kind === "cells" ? b.values.flat().map((c) => cellValue(c)) : [])).filter((t): t is string => typeof t === "string");
}

describe("buildCustomerValueTab: the automatic model choice (the default)", () => {
  const transactions = readTransactions(col(ORDERS.customerIds), col(ORDERS.orderDates), col(ORDERS.orderValues));
  const summary = summarizeCustomers(transactions, { asOf: null, periodUnit: "week" });
  const selection = selectCountingModel(fitDataOf(summary));

  it("uses the engine's choice (MBG/NBD on this shop) and says so in the provenance, with the reason", () => {
    expect(selection.fit.model).toBe("mbgnbd");
    const options = Object.fromEntries(AUTO.sheet.provenance.options.map((o) => [o.label, o.value]));
    expect(options.Model).toBe("MBG/NBD (purchases, chosen automatically by log-likelihood) + Gamma-Gamma (value per purchase)");
    expect(AUTO.sheet.provenance.notes).toContain(`Purchase model: ${selection.reason}`);
    expect(sheetProblems(AUTO.sheet)).toEqual([]);
  });

  it("states which model was used and why, with each candidate's log-likelihood", () => {
    const texts = cellTexts(AUTO.sheet);
    expect(texts).toContain("How the purchase model was chosen");
    expect(selection.reason).toMatch(/^MBG\/NBD has the highest log-likelihood/);
    expect(texts).toContain(
      "3 of the 3 purchase models were fitted to the same customers; MBG/NBD is used because it describes their purchase history best (the highest log-likelihood; all have 4 parameters, so none is favoured for being more flexible).",
    );
    const choice = tableOf(AUTO.sheet, "ModelChoice");
    expect(choice.headers).toEqual(["Model", "Outcome", "Log-likelihood"]);
    expect(columnOf(choice, "Model")).toEqual(["BG/NBD", "MBG/NBD", "Pareto/NBD"]);
    expect(columnOf(choice, "Log-likelihood")).toEqual(selection.candidates.map((c) => c.logLikelihood));
    expect(columnOf(choice, "Outcome")).toEqual(["Fits less well", "Chosen: fits best", "Fits less well"]);
  });

  it("the parameters table and every prediction are the chosen model's (as IMC.CLV.PREDICT with that model)", () => {
    const parameters = parameterRows(AUTO.sheet);
    for (const name of ["r", "alpha", "a", "b"]) expect(valueOf(parameters, name)).toBe(selection.fit.params[name]);
    expect(valueOf(parameters, "Log-likelihood (MBG/NBD)")).toBe(selection.fit.logLikelihood);
    const predicted = clvPredict(col(ORDERS.customerIds), col(ORDERS.orderDates), col(ORDERS.orderValues), N, N, [["mbgnbd"]], N, N);
    expectSameAsPredict(AUTO.sheet, predicted);
  });

  it("the repeat-purchase histogram is drawn for MBG/NBD too, its model column summing to the customers", () => {
    const histogram = tableOf(AUTO.sheet, "RepeatPurchases");
    expect(cellValue(histogram.totals![2])).toBeCloseTo(tableOf(AUTO.sheet, "CustomerValues").rows.length, 6);
    expect(AUTO.sheet.charts.map((c) => c.title)).toContain("Repeat purchases: actual and MBG/NBD");
    expect(expectFormulasHold(AUTO.sheet)).toBeGreaterThan(30);
  });

  it("the holdout check fits the chosen model on the orders before the holdout", () => {
    const HOLDOUT = 26;
    const { sheet } = buildCustomerValueTab(ORDERS, { holdoutPeriods: HOLDOUT }, CONTEXT);
    const split = splitCalibrationHoldout(transactions, { calibrationEnd: END + 1 - HOLDOUT * 7, holdoutEnd: END + 1, periodUnit: "week" });
    const fit = fitCustomerValue(split.calibration, "mbgnbd");
    const predicted = split.calibration.customerIds.map((_, i) =>
      forecastCustomer(fit.counting, split.calibration.frequency[i], split.calibration.recency[i], split.calibration.T[i]).cumulativePurchases(HOLDOUT),
    );
    expect(valueOf(holdoutRows(sheet), "Predicted purchases") as number).toBeCloseTo(compareHoldout(split.holdoutPurchases, predicted).predictedTotal, 9);
  });

  it("a named model says it was chosen in the options and lists no candidates", () => {
    expect(cellTexts(BASE.sheet).some((t) => t.startsWith("BG/NBD, as chosen in the options."))).toBe(true);
    expect(tableNamed(BASE.sheet, "ModelChoice")).toBeUndefined();
    expect(Object.fromEntries(BASE.sheet.provenance.options.map((o) => [o.label, o.value])).Model).toBe("BG/NBD (purchases) + Gamma-Gamma (value per purchase)");
  });

  it("customers who spend alike: a model not used says why in a column of its own, and the spend model's edge parameters say they mean nothing alone", () => {
    const ids: string[] = [];
    const dates: number[] = [];
    const values: number[] = [];
    let state = 1;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
    const purchases = [1, 1, 2, 3, 4, 6];
    for (let c = 0; c < 800; c++) {
      const days = new Set<number>();
      const n = purchases[Math.floor(next() * purchases.length)];
      while (days.size < n) days.add(START + Math.floor(next() * 700));
      for (const day of days) {
        ids.push(`C${c}`);
        dates.push(day);
        values.push(c % 2 === 0 ? 49.5 : 50);
      }
    }
    const { sheet } = buildCustomerValueTab({ source: "alike.csv", customerIds: ids, orderDates: dates, orderValues: values }, {}, CONTEXT);
    expect(sheetProblems(sheet)).toEqual([]);
    const choice = tableOf(sheet, "ModelChoice");
    expect(choice.headers).toEqual(["Model", "Outcome", "Log-likelihood", "Why not used"]);
    const outcomes = columnOf(choice, "Outcome");
    const why = columnOf(choice, "Why not used");
    expect(outcomes).toContain("Not used");
    outcomes.forEach((outcome, k) => {
      // Each model not used has its reason, capitalised; the others none.
      if (outcome === "Not used") expect(why[k]).toMatch(/^(Did not converge|Ran to the edge|Gave no finite|Could not be fitted)/);
      else expect(why[k]).toBe("");
    });
    const rows = parameterRows(sheet);
    expect(rows.find((row) => row[0] === "Converged (Gamma-Gamma)")![1]).toBe("No");
    for (const name of ["p", "q"]) expect(rows.find((row) => row[0] === name)![4]).toMatch(/^At the edge of its range \(customers spend much alike\): this value means nothing alone/);
    expect(rows.find((row) => row[0] === "gamma")![4]).toMatch(/^Spend, scale/);
  });

  it("customers who buy every week until the as-of date: the NBD without drop-out, every customer active, finite values", () => {
    const ids: unknown[] = [];
    const dates: unknown[] = [];
    const values: unknown[] = [];
    for (let c = 0; c < 30; c++) {
      for (let day = START + 7 * (c % 12); day <= START + 7 * 40; day += 7) {
        ids.push(`W${c}`);
        dates.push(day);
        values.push(20 + ((c * 7 + day) % 13));
      }
    }
    const weekly: OrdersInput = { source: "weekly.csv", customerIds: ids, orderDates: dates, orderValues: values };
    const { sheet } = buildCustomerValueTab(weekly, {}, CONTEXT);
    expect(sheetProblems(sheet)).toEqual([]);
    expect(sheet.provenance.options.find((o) => o.label === "Model")!.value).toMatch(/^NBD \(no drop-out\) \(purchases, chosen automatically/);
    expect(cellTexts(sheet).some((t) => t.startsWith("No drop-out detected"))).toBe(true);
    expect(cellTexts(sheet)).toContain("NBD (no drop-out): every customer shows P(alive) 100%, as the data gave no sign that customers stop buying.");
    expect(columnOf(tableOf(sheet, "ModelChoice"), "Model")).toEqual(["BG/NBD", "MBG/NBD", "Pareto/NBD", "NBD (no drop-out)"]);
    const rows = tableOf(sheet, "CustomerValues").rows;
    for (const row of rows) {
      expect(cellValue(row[6])).toBe(1);
      for (const cell of row.slice(2, 10)) expect(Number.isFinite(cellValue(cell) as number)).toBe(true);
    }
    // One purchase a week: about 52 in the next year.
    expect(cellValue(rows[0][7]) as number).toBeCloseTo(52, 3);
  });
});

describe("buildCustomerValueTab: what a reader sees (tabs.md)", () => {
  const HOLDOUT_REPORT = buildCustomerValueTab(ORDERS, { model: "bgnbd", holdoutPeriods: 26 }, CONTEXT);
  const transactions = readTransactions(col(ORDERS.customerIds), col(ORDERS.orderDates), col(ORDERS.orderValues));
  const summary = summarizeCustomers(transactions, { asOf: null, periodUnit: "week" });

  it("a headline of five numbers, each with a sentence, right under the title and scope line", () => {
    const sheet = BASE.sheet;
    expect(cellValue(cellAt(sheet, 1, 0)!)).toMatch(/amounts in the data's currency\.$/);
    const labels = [4, 5, 6, 7, 8].map((row) => cellValue(cellAt(sheet, row, 0)!));
    expect(labels).toEqual([
      "Total CLV (next 52 weeks)",
      "Top 10% of customers: share of CLV",
      "Expected purchases (next 52 weeks)",
      "Repeat customers likely active (P(alive) ≥ 50%)",
      "High-value customers at risk",
    ]);
    for (const row of [4, 5, 6, 7, 8]) expect(String(cellValue(cellAt(sheet, row, 2)!)).length, `row ${row}`).toBeGreaterThan(40);
    const rows = tableOf(sheet, "CustomerValues").rows;
    const clvs = rows.map((row) => cellValue(row[9]) as number);
    const top = Math.ceil(rows.length / 10);
    const share = clvs.slice(0, top).reduce((a, b) => a + b, 0) / clvs.reduce((a, b) => a + b, 0);
    expect(cellValue(cellAt(sheet, 5, 1)!) as number).toBeCloseTo(share, 12);
    expect(cellValue(cellAt(sheet, 5, 2)!)).toBe(`The ${top} customers with the highest CLV (the first rows of the customer table) hold this share of the value to come.`);
    const purchases = rows.reduce((sum, row) => sum + (cellValue(row[7]) as number), 0);
    expect(cellValue(cellAt(sheet, 6, 1)!) as number).toBeCloseTo(purchases, 9);
    // BG/NBD: likely active counted among repeat customers only (one-time buyers' P(alive) is not estimated).
    const repeat = rows.filter((row) => (cellValue(row[2]) as number) > 0);
    const alive = repeat.filter((row) => (cellValue(row[6]) as number) >= 0.5).length;
    expect(cellValue(cellAt(sheet, 7, 1)!)).toBe(alive);
    expect(cellValue(cellAt(sheet, 7, 2)!)).toBe(
      `${Math.round((100 * alive) / repeat.length)}% of the ${repeat.length} repeat customers: more likely than not still buying, judged by their own buying rhythm (not by days since the last order, as the lifecycle stages are). One-time buyers: not estimated.`,
    );
    // Totals in the thousands without cents; shares as percentages; counts whole; all padded from the sentence beside them.
    const formats = [4, 5, 6, 7, 8].map((row) => {
      const block = sheet.blocks.find((b) => b.kind === "cells" && b.row === row && b.column === 0)!;
      return block.numberFormats![1];
    });
    const total = cellValue(cellAt(sheet, 4, 1)!) as number;
    // MBG/NBD estimates every customer's P(alive): all are counted.
    expect(cellValue(cellAt(AUTO.sheet, 7, 0)!)).toBe("Customers likely active (P(alive) ≥ 50%)");
    const autoRows = tableOf(AUTO.sheet, "CustomerValues").rows;
    expect(cellValue(cellAt(AUTO.sheet, 7, 1)!)).toBe(autoRows.filter((row) => (cellValue(row[6]) as number) >= 0.5).length);
    expect(formats).toEqual([total >= 1000 ? "#,##0_)" : "#,##0.00_)", "0.0%_)", "#,##0_)", "#,##0_)", "#,##0_)"]);
  });

  it("amounts carry the data's currency: totals without cents, per-customer amounts with them, in cells and sentences", () => {
    const { sheet } = buildCustomerValueTab(ORDERS, { model: "bgnbd" }, { ...CONTEXT, currency: "$" });
    expect(sheetProblems(sheet)).toEqual([]);
    expect(cellValue(cellAt(sheet, 1, 0)!)).toMatch(/amounts in \$\.$/);
    const total = cellValue(cellAt(sheet, 4, 1)!) as number;
    expect(total).toBeGreaterThan(1000);
    const headline = sheet.blocks.find((b) => b.kind === "cells" && b.row === 4 && b.column === 0)!;
    expect(headline.numberFormats![1]).toBe('"$"#,##0_);-"$"#,##0_)');
    expect(String(cellValue(cellAt(sheet, 4, 2)!))).toMatch(/: \$[\d,]+\.\d\d per customer/);
    const customers = tableOf(sheet, "CustomerValues").numberFormats!;
    for (const c of [5, 8, 9]) expect(customers[c]).toBe('"$"#,##0.00;-"$"#,##0.00');
    const segments = tableOf(sheet, "ValueBySegment").numberFormats!;
    expect(segments.slice(2, 4)).toEqual(['"$"#,##0;-"$"#,##0', '"$"#,##0.00;-"$"#,##0.00']);
    expect(tableOf(sheet, "HighValueAtRisk").numberFormats![2]).toBe('"$"#,##0.00;-"$"#,##0.00');
    expect(rowsUnder(sheet, "Parameter").find((r) => r.cells[0] === "Expected CLV of a new customer")!.formats[1]).toBe('"$"#,##0.00;-"$"#,##0.00');
    const iso = buildCustomerValueTab(ORDERS, { model: "bgnbd" }, { ...CONTEXT, currency: "EUR" }).sheet;
    expect(tableOf(iso, "CustomerValues").numberFormats![9]).toBe('#,##0.00 "EUR";-#,##0.00 "EUR"');
    expect(cellTexts(iso).find((t) => t.includes("of the top 20% of customers by past revenue"))).toMatch(/\([\d,]+\.\d{2} EUR or more/);
  });

  it("no computed number in General format, in any table or block (with and without a holdout, chosen or named model)", () => {
    for (const sheet of [BASE.sheet, AUTO.sheet, HOLDOUT_REPORT.sheet]) {
      for (const block of sheet.blocks) {
        const rows = block.kind === "table" ? [...block.rows, ...(block.totals ? [block.totals] : [])] : block.values;
        for (const row of rows) {
          row.forEach((cell, c) => {
            // Customer ids are the user's own cells, not computed numbers.
            const isId = block.kind === "table" && block.headers[c] === "Customer";
            if (typeof cellValue(cell) === "number" && !isId) expect(block.numberFormats?.[c], `${block.kind} at row ${block.row + 1} column ${c + 1}`).toBeTruthy();
          });
        }
      }
    }
  });

  it("every table header fits its column (width at least the header plus two characters)", () => {
    const holdout = buildCustomerValueTab(ORDERS, { model: "bgnbd", holdoutPeriods: 26 }, CONTEXT).sheet;
    const months = buildCustomerValueTab(ORDERS, { model: "pareto", period: "month", horizonPeriods: 24 }, CONTEXT).sheet;
    for (const sheet of [BASE.sheet, AUTO.sheet, holdout, months]) {
      for (const block of sheet.blocks) {
        const headers = block.kind === "table" ? block.headers : block.style === "header" ? block.values[0].map((c) => String(cellValue(c) ?? "")) : [];
        headers.forEach((header, c) => {
          expect(sheet.columnWidths[block.column + c] ?? 0, `${header} (column ${block.column + c + 1})`).toBeGreaterThanOrEqual(header.length + 2);
        });
      }
    }
  });

  it("model parameters and their standard errors to 4 significant digits, in the same format; log-likelihoods with 2 decimals", () => {
    expect([0.9462546, 11.528, 1234.5, 0.05055, 0].map((v) => significantFormat(v))).toEqual(["#,##0.0000", "#,##0.00", "#,##0", "#,##0.00000", "#,##0.000"]);
    const rows = rowsUnder(BASE.sheet, "Parameter");
    for (const name of ["r", "alpha", "a", "b", "p", "q", "gamma"]) {
      const row = rows.find((r) => r.cells[0] === name)!;
      const format = significantFormat(row.cells[1] as number);
      expect(row.formats.slice(1, 3), name).toEqual([format, format]);
      expect(typeof row.cells[2], name).toBe("number");
    }
    expect(rows.find((r) => r.cells[0] === "Log-likelihood (BG/NBD)")!.formats[1]).toBe("#,##0.00");
    expect(tableOf(AUTO.sheet, "ModelChoice").numberFormats).toEqual([null, null, "#,##0.00"]);
    // The model's histogram counts with one decimal, the holdout ratio as a multiple.
    expect(tableOf(BASE.sheet, "RepeatPurchases").numberFormats).toEqual([null, "#,##0", "#,##0.0"]);
    expect(rowsUnder(HOLDOUT_REPORT.sheet, "Measure").find((r) => r.cells[0] === "Predicted / actual")!.formats[1]).toBe('0.00"×"');
  });

  it("the holdout check is explained in one line", () => {
    expect(cellTexts(HOLDOUT_REPORT.sheet)).toContain(
      "The model was fitted again on the orders up to 2024-12-25 only, and its forecast for the next 26 weeks compared with what customers then bought: predicted / actual near 1.00× means its totals can be trusted.",
    );
  });

  it("high value at risk: top 20% by past revenue with P(alive) below 50%, the 20 who spent most, with a sentence", () => {
    const risk = tableOf(BASE.sheet, "HighValueAtRisk");
    const customers = tableOf(BASE.sheet, "CustomerValues").rows;
    const aliveOf = new Map(customers.map((row) => [cellValue(row[0]), cellValue(row[6]) as number]));
    const revenue = summary.customerIds.map((id, i) => ({ id, revenue: summary.totalValue[i] }));
    const sorted = [...revenue].sort((x, y) => y.revenue - x.revenue);
    const threshold = sorted[Math.ceil(sorted.length * 0.2) - 1].revenue;
    const cell = (id: string): string | number => (/^\d+$/.test(id) ? Number(id) : id);
    const expected = sorted.filter((c) => c.revenue >= threshold && aliveOf.get(cell(c.id))! < 0.5);
    expect(expected.length).toBeGreaterThan(0);
    expect(columnOf(risk, "Customer")).toEqual(expected.slice(0, 20).map((c) => cell(c.id)));
    // The headline counts them all (the table lists the 20 who spent most).
    expect(cellValue(cellAt(BASE.sheet, 8, 1)!)).toBe(expected.length);
    expect(columnOf(risk, "Past revenue")).toEqual(expected.slice(0, 20).map((c) => c.revenue));
    for (const p of columnOf(risk, "P(alive)")) expect(p as number).toBeLessThan(0.5);
    const sentence = cellTexts(BASE.sheet).find((t) => t.includes("of the top 20% of customers by past revenue"));
    expect(sentence).toMatch(new RegExp(`^${expected.length} of the top 20% of customers by past revenue \\([\\d,]+\\.\\d{2} or more up to the as-of date\\) have probably stopped buying \\(P\\(alive\\) below 50%\\)`));
  });

  it("BG/NBD's one-time buyers: P(alive) shown as not estimated, counted apart and explained; MBG/NBD estimates theirs", () => {
    let oneTime = 0;
    for (let i = 0; i < summary.customerIds.length; i++) if (summary.frequency[i] === 0) oneTime++;
    expect(oneTime).toBeGreaterThan(0);
    // The engine gives them exactly 1, which the P(alive) format shows in words; repeat customers are below 1.
    const rows = tableOf(BASE.sheet, "CustomerValues").rows;
    for (const row of rows) expect(cellValue(row[6]) === 1, String(cellValue(row[0]))).toBe(cellValue(row[2]) === 0);
    expect(tableOf(BASE.sheet, "CustomerValues").numberFormats![6]).toBe('[<1]0.0%;"not estimated (one order)"');
    const alive = tableOf(BASE.sheet, "AliveDistribution");
    expect(cellValue(alive.rows[10][0])).toBe("One order: not estimated");
    expect(cellValue(alive.rows[10][1])).toBe(oneTime);
    expect(columnOf(alive, "Customers").slice(0, 10).reduce((a: number, b) => a + (b as number), 0)).toBe(rows.length - oneTime);
    const heading = BASE.sheet.blocks.find((b) => b.kind === "cells" && cellValue(b.values[0][0]) === "How likely customers are still active")!;
    const notes = BASE.sheet.blocks.find((b) => b.kind === "cells" && b.row === heading.row + 1)!;
    expect(notes.kind === "cells" && notes.values.map((r) => cellValue(r[0]))).toContain(
      `The ${oneTime} customers who bought on one day only are counted apart: BG/NBD lets customers stop only after a repeat purchase, so it gives them 100% however long ago they bought.`,
    );
    // MBG/NBD lets customers stop at any purchase: their P(alive) is an estimate, shown as one.
    expect(tableOf(AUTO.sheet, "CustomerValues").numberFormats![6]).toBe("0.0%");
    expect(tableOf(AUTO.sheet, "AliveDistribution").rows.length).toBe(10);
    expect(cellTexts(AUTO.sheet).some((t) => t.includes("not estimated"))).toBe(false);
  });

  it("P(alive) against the lifecycle segments: likely active customers in Lost or Hibernating are counted and explained", () => {
    const rows = tableOf(BASE.sheet, "CustomerValues").rows;
    // Repeat customers only: BG/NBD does not estimate one-time buyers' P(alive).
    const count = rows.filter((row) => ["Lost", "Hibernating"].includes(cellValue(row[1]) as string) && (cellValue(row[2]) as number) > 0 && (cellValue(row[6]) as number) >= 0.5).length;
    const present = ["Lost", "Hibernating"].filter((s) => rows.some((row) => cellValue(row[1]) === s));
    const sentence = cellTexts(BASE.sheet).find((t) => / customers in the segments .* are likely active here/.test(t));
    // The shop has such customers.
    expect(count).toBeGreaterThan(0);
    if (count === 0) expect(sentence).toBeUndefined();
    else {
      expect(sentence).toBe(
        `${count} customers in the segments ${present.map((s) => `"${s}"`).join(" and ")} are likely active here: the segments rank recency against other customers, P(alive) against each customer's own rhythm.`,
      );
    }
    expect(cellTexts(BASE.sheet)).toContain("P(alive) is the model's chance that a customer has not stopped buying, judged by their own buying rhythm; likely active: 50% or more.");
  });

  it("business words only: no code identifiers in any cell text", () => {
    for (const sheet of [BASE.sheet, AUTO.sheet, HOLDOUT_REPORT.sheet]) {
      const texts = [...cellTexts(sheet), ...sheet.blocks.flatMap((b) => (b.kind === "table" ? b.headers : []))];
      for (const text of texts) {
        expect(text, text).not.toMatch(/\b[a-z]+_[a-z_]+\b|\b[a-z]+[A-Z][a-zA-Z]*\b|IMC\.|"auto"|\bas_of\b/);
      }
    }
  });
});

describe("buildCustomerValueTab: bad input raises EngineError naming the argument and row", () => {
  function errorOf(build: () => unknown): EngineError {
    try {
      build();
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      return error as EngineError;
    }
    throw new Error("expected an EngineError");
  }

  it("text in a date, a value that is not a number, mismatched lengths", () => {
    const dates = [...ORDERS.orderDates];
    dates[6] = "31/02/2024";
    const date = errorOf(() => buildCustomerValueTab({ ...ORDERS, orderDates: dates }, {}, CONTEXT));
    expect([date.code, date.argument, date.row]).toEqual(["INVALID_INPUT", "order_dates", 7]);
    const values = [...ORDERS.orderValues];
    values[2] = "abc";
    const value = errorOf(() => buildCustomerValueTab({ ...ORDERS, orderValues: values }, {}, CONTEXT));
    expect([value.argument, value.row]).toEqual(["order_values", 3]);
    expect(value.message).toContain("order_values row 3");
    const short = errorOf(() => buildCustomerValueTab({ ...ORDERS, customerIds: ORDERS.customerIds.slice(1) }, {}, CONTEXT));
    expect(short.code).toBe("INVALID_INPUT");
  });

  it("bad options name the option", () => {
    expect(errorOf(() => buildCustomerValueTab(ORDERS, { horizonPeriods: 0 }, CONTEXT)).argument).toBe("horizon");
    expect(errorOf(() => buildCustomerValueTab(ORDERS, { annualDiscountRate: -2 }, CONTEXT)).argument).toBe("annual_discount_rate");
    expect(errorOf(() => buildCustomerValueTab(ORDERS, { holdoutPeriods: -1 }, CONTEXT)).argument).toBe("holdout_periods");
    expect(errorOf(() => buildCustomerValueTab(ORDERS, { holdoutPeriods: 500 }, CONTEXT)).argument).toBe("holdout_periods");
    const model = errorOf(() => buildCustomerValueTab(ORDERS, { model: "gamma" as never }, CONTEXT));
    expect([model.argument, model.message]).toEqual(["model", 'model: "gamma" is not one of "bgnbd", "mbgnbd", "pareto", "auto"']);
  });

  it("data the models cannot learn from raises instead of writing a half tab", () => {
    const once: OrdersInput = { source: "x", customerIds: ["a", "b", "c"], orderDates: [45300, 45301, 45302], orderValues: [1, 2, 3] };
    const onceError = errorOf(() => buildCustomerValueTab(once, {}, CONTEXT));
    expect([onceError.code, onceError.message]).toEqual([
      "INSUFFICIENT_DATA",
      "no customer bought more than once (on different days) up to the as-of date, so repeat buying cannot be modelled",
    ]);
    const single: OrdersInput = { source: "x", customerIds: ["a", "a", "a"], orderDates: [45300, 45310, 45320], orderValues: [1, 2, 3] };
    const singleError = errorOf(() => buildCustomerValueTab(single, {}, CONTEXT));
    expect(singleError.code).toBe("INSUFFICIENT_DATA");
    expect(singleError.message).toMatch(/^only 1 customer with an order up to the as-of date; the purchase model needs at least 2 customers/);
    // A clockwork pattern (customer c orders c % 5 + 1 times on a fixed grid): the BG/NBD maximum is its
    // common-drop-out limit (a, b → ∞), fitted as such and said on the tab.
    const ids: unknown[] = [];
    const dates: unknown[] = [];
    const values: unknown[] = [];
    for (let c = 0; c < 300; c++) {
      for (let k = 0; k <= c % 5; k++) {
        ids.push(`C${c}`);
        dates.push(START + ((c * 37 + k * 53) % 500));
        values.push(10 + ((c * 13 + k) % 90));
      }
    }
    const clockwork: OrdersInput = { source: "x", customerIds: ids, orderDates: dates, orderValues: values };
    for (const options of [{ model: "bgnbd" as const }, {}]) {
      const texts = cellTexts(buildCustomerValueTab(clockwork, options, CONTEXT).sheet);
      expect(texts.some((t) => t.startsWith("At its limit: a and b are unbounded"))).toBe(true);
    }
  });
});

describe("buildCustomerValueTab: red warnings only where they change a decision", () => {
  /** Texts of the red warning cells. */
  function warningTexts(sheet: Sheet): string[] {
    return sheet.blocks.flatMap((b) => (b.kind === "cells" && b.style === "warning" ? b.values.map((row) => String(cellValue(row[0]))) : []));
  }

  it("none when the holdout check passes and the model fits the repeat purchases", () => {
    const holdout = buildCustomerValueTab(ORDERS, { model: "bgnbd", holdoutPeriods: 26 }, CONTEXT).sheet;
    expect(cellTexts(holdout).some((t) => t.startsWith("Passed: predicted / actual is"))).toBe(true);
    for (const sheet of [BASE.sheet, AUTO.sheet, holdout]) expect(warningTexts(sheet)).toEqual([]);
  });

  it("a failed holdout check is red, above the summaries, and says which way the totals are off", () => {
    // Every customer known before the holdout buys four more times in it: far above the model's forecast.
    const calibrationEnd = END + 1 - 26 * 7;
    const known = new Set(ORDERS.customerIds.filter((_, i) => (ORDERS.orderDates[i] as number) <= calibrationEnd));
    const ids = [...ORDERS.customerIds];
    const dates = [...ORDERS.orderDates];
    const values = [...ORDERS.orderValues];
    [...known].forEach((id, c) => {
      for (let k = 0; k < 4; k++) {
        ids.push(id);
        dates.push(calibrationEnd + 5 + ((c * 11 + k * 40) % 175));
        values.push(30);
      }
    });
    const surge: OrdersInput = { ...ORDERS, customerIds: ids, orderDates: dates, orderValues: values };
    const { sheet } = buildCustomerValueTab(surge, { holdoutPeriods: 26 }, CONTEXT);
    expect(sheetProblems(sheet)).toEqual([]);
    const warnings = warningTexts(sheet);
    expect(warnings[0]).toMatch(/^The holdout check failed: fitted on the orders up to 2024-12-25, the model predicted [\d,]+ purchases in the next 26 weeks where customers made [\d,]+ \(0\.\d\d×, outside 0\.80×–1\.25×\)\.$/);
    expect(warnings[1]).toBe("The CLV totals understate what customers will buy: read them as rough, not as a forecast to plan on.");
    expect(cellTexts(sheet).some((t) => /^Failed: predicted \/ actual is 0\.\d\d×, outside 0\.80×–1\.25× \(see the warning at the top\)\.$/.test(t))).toBe(true);
    const red = sheet.blocks.find((b) => b.kind === "cells" && b.style === "warning")!;
    expect(red.row).toBeLessThan(tableOf(sheet, "ValueBySegment").row);
  });

  it("a model that puts many customers at another number of repeat purchases is red", () => {
    const cv = analyseCustomerValue(ORDERS, { model: "bgnbd" });
    expect(cv.histogramMisfit!).toBeLessThan(0.1);
    expect(warningsOf(cv)).toEqual([]);
    expect(warningsOf({ ...cv, histogramMisfit: 0.15 })).toEqual([
      'BG/NBD fits these customers\' repeat purchases poorly: it puts 15% of them at another number of repeat purchases than they made (above 10%); see "Repeat purchases" below before relying on the CLV.',
    ]);
  });
});
