/**
 * The Segmentation and Customer Value facts summarised by DuckDB (`customerFactsFrom`, the out-of-core
 * route of `imc report --from`) against the same facts computed from the rows in memory
 * (`customerFactsOf` on the orders `imc report --from` reads row by row), and both tabs built from
 * each: the same facts, and the same tabs cell for cell.
 *
 * No tolerance: DuckDB adds every sum in the engine's order (foldedSum), so the facts are the same
 * numbers to the last bit and so is every cell of both tabs, in one batch or in customer batches.
 */

import { describe, expect, it } from "vitest";
import { customerFactsFrom } from "../../src/cli/duckdb/report/customerFacts";
import type { CustomerSummary } from "../../src/engine/clv";
import { customerFactsOf, type CustomerFacts, type CustomerFactsOptions } from "../../src/reports/customerFacts";
import { buildCustomerValueTab } from "../../src/reports/customerValue";
import type { OrdersInput } from "../../src/reports/inputs";
import { buildSegmentationTab } from "../../src/reports/segmentation";
import { serialOf } from "../engine/clv/cdnowData";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { ORDER_COLUMNS } from "../../src/cli/csv/columns";
import { openDuckDb } from "../../src/cli/duckdb/connection";
import { fileSource } from "../../src/cli/duckdb/source";
import { scratchFolder } from "./engines";
import { cdnowOrderRows, memoryOrders, ORDER_VALUE_RULE, random, summarisedInstead, withOrderSource, writeOrderFiles } from "./orderRoutes";

const TIMEOUT = 240_000;
const scratch = scratchFolder("imc-report-facts-");
const CONTEXT = { generatedAt: "2026-12-06T12:00:00Z" };
const DEFAULT_THRESHOLDS = { newDays: 30, activeDays: 60, atRiskDays: 90 };

/** The facts DuckDB summarises from the file, as summarised orders standing in for the rows. */
async function duckFacts(file: string, options: CustomerFactsOptions): Promise<CustomerFacts> {
  return withOrderSource(file, (db, source, display) => customerFactsFrom(db, source, { ...options, pattern: file }, display));
}

const summarisedOrders = (memory: OrdersInput, facts: CustomerFacts): OrdersInput =>
  summarisedInstead(memory, { rowCount: facts.segments.rowCount, asOf: facts.segments.asOfDay, customers: facts });

/** Writes orders as CSV and, through DuckDB, as Parquet (ids typed as numbers when they are numbers). */
const writeOrders = (name: string, rows: readonly (readonly [string | number, number, number])[]) => writeOrderFiles(scratch.path, name, rows);

const close = (actual: number, expected: number, relative: number): boolean =>
  (Number.isNaN(actual) && Number.isNaN(expected)) || actual === expected || Math.abs(actual - expected) <= relative * Math.max(1, Math.abs(expected));

/** Expects equal values, numbers to a relative tolerance; reports the path of the first difference. */
function expectClose(actual: unknown, expected: unknown, relative: number, at: string): void {
  if (typeof expected === "number" && typeof actual === "number") {
    if (!close(actual, expected, relative)) expect(actual, at).toBe(expected);
    return;
  }
  if (ArrayBuffer.isView(expected) && ArrayBuffer.isView(actual)) {
    expect(actual.constructor.name, at).toBe(expected.constructor.name);
    expectClose(Array.from(actual as unknown as ArrayLike<number>), Array.from(expected as unknown as ArrayLike<number>), relative, at);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), at).toBe(true);
    const a = actual as unknown[];
    expect(a.length, `${at}.length`).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) expectClose(a[i], expected[i], relative, `${at}[${i}]`);
    return;
  }
  if (expected instanceof Map) {
    expect(actual instanceof Map, at).toBe(true);
    expectClose([...(actual as Map<unknown, unknown>).entries()], [...expected.entries()], relative, at);
    return;
  }
  if (typeof expected === "object" && expected !== null) {
    expect(typeof actual, at).toBe("object");
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    expect(Object.keys(a).sort(), `${at} keys`).toEqual(Object.keys(e).sort());
    for (const key of Object.keys(e)) expectClose(a[key], e[key], relative, `${at}.${key}`);
    return;
  }
  expect(actual, at).toEqual(expected);
}

/** A summary compared column by column: exact but for the two sums DuckDB adds in its own order. */
function expectSameSummary(actual: CustomerSummary, expected: CustomerSummary, at: string): void {
  const { totalValue, monetary, ...rest } = expected;
  const { totalValue: actualTotal, monetary: actualMonetary, ...actualRest } = actual;
  expect(actualRest, at).toEqual(rest);
  expectClose(actualTotal, totalValue, 0, `${at}.totalValue`);
  expectClose(actualMonetary, monetary, 0, `${at}.monetary`);
}

/** The facts compared part by part (each column exactly, but the summary's two sums). */
function expectSameFacts(actual: CustomerFacts, expected: CustomerFacts): void {
  expect(actual.options).toEqual(expected.options);
  for (const key of Object.keys(expected.segments) as (keyof CustomerFacts["segments"])[]) {
    expect(actual.segments[key], `segments.${key}`).toEqual(expected.segments[key]);
  }
  expect(Object.keys(actual.segments).sort()).toEqual(Object.keys(expected.segments).sort());
  expect(actual.value.rowCount).toBe(expected.value.rowCount);
  expectSameSummary(actual.value.summary, expected.value.summary, "value.summary");
  const e = expected.value.holdout;
  const a = actual.value.holdout;
  expect(a === null, "holdout").toBe(e === null);
  if (a === null || e === null) return;
  expect(a.firstDay).toBe(e.firstDay);
  expect(a.holdoutPeriods).toBe(e.holdoutPeriods);
  expect(a.split === null).toBe(e.split === null);
  if (a.split === null || e.split === null) return;
  const { calibration, holdoutValue, ...rest } = e.split;
  const { calibration: actualCalibration, holdoutValue: actualValue, ...actualRest } = a.split;
  expect(actualRest).toEqual(rest);
  expectSameSummary(actualCalibration, calibration, "holdout.calibration");
  expectClose(actualValue, holdoutValue, 0, "holdout.holdoutValue");
}

/** Both routes' facts and tabs on one file, for one set of options. */
async function expectSameRoutes(file: string, options: CustomerFactsOptions): Promise<CustomerFacts> {
  const memory = await memoryOrders(file);
  const expected = customerFactsOf(memory, options);
  const facts = await duckFacts(file, options);
  expectSameFacts(facts, expected);

  const summarised = summarisedOrders(memory, facts);
  const segmentation = { asOf: options.asOf, lifecycleThresholds: options.thresholds };
  const fromRows = buildSegmentationTab(memory, null, segmentation, CONTEXT);
  const fromFacts = buildSegmentationTab(summarised, null, segmentation, CONTEXT);
  expectClose(fromFacts.sheet, fromRows.sheet, 0, "Segmentation");
  expectClose(fromFacts.segmentByCustomer, fromRows.segmentByCustomer, 0, "segmentByCustomer");
  expectClose(fromFacts.lifecycleByCustomer, fromRows.lifecycleByCustomer, 0, "lifecycleByCustomer");

  const value = { asOf: options.asOf, period: options.periodUnit, holdoutPeriods: options.holdoutPeriods };
  const valueFromRows = buildCustomerValueTab(memory, value, CONTEXT);
  const valueFromFacts = buildCustomerValueTab(summarised, value, CONTEXT);
  expectClose(valueFromFacts.sheet, valueFromRows.sheet, 0, "Customer Value");
  return facts;
}

/** Runs `run` with the facts summarised in customer batches of `rows` orders (IMC_FACTS_BATCH_ROWS). */
async function inBatches<T>(rows: number, run: () => Promise<T>): Promise<T> {
  const before = process.env.IMC_FACTS_BATCH_ROWS;
  process.env.IMC_FACTS_BATCH_ROWS = String(rows);
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env.IMC_FACTS_BATCH_ROWS;
    else process.env.IMC_FACTS_BATCH_ROWS = before;
  }
}

const START = serialOf("20230101");
const END = serialOf("20241231");
/** An as-of date before the last order: later orders, and customers who only buy later, are left out. */
const AS_OF = serialOf("20241031");

/**
 * Generated orders with what the facts must get right: several orders on one day, refunds, zero
 * values, orders and whole customers after AS_OF, one-time buyers, customers tied on revenue,
 * cents that add up differently in another order, comebacks after long gaps (Reactivated), rows in
 * shuffled order (first appearance is not id order). Ids: numbers, or text and number-like text.
 */
function generatedOrders(seed: number, numericIds: boolean): [id: string | number, day: number, value: number][] {
  const next = random(seed);
  const rows: [string | number, number, number][] = [];
  const cents = (low: number, high: number) => Math.round((low + next() * (high - low)) * 100) / 100;
  for (let k = 0; k < 420; k++) {
    const id = numericIds ? 1000 + k * 7 : k % 3 === 0 ? `C-${k}` : k % 3 === 1 ? String(1000 + k) : `0${500 + k}`;
    const day = (low: number, high: number) => Math.floor(low + next() * (high - low + 1));
    if (k % 25 === 0) {
      // Tied on revenue: two orders of 25.
      rows.push([id, day(START, END), 25], [id, day(START, END), 25]);
      continue;
    }
    if (k % 31 === 0) {
      // Every order after AS_OF.
      rows.push([id, day(AS_OF + 1, END), cents(10, 90)], [id, day(AS_OF + 1, END), cents(10, 90)]);
      continue;
    }
    if (k % 17 === 0) {
      // A comeback: early orders, a long gap, orders in the last weeks before AS_OF and before the end.
      rows.push([id, day(START, START + 100), cents(20, 80)], [id, day(AS_OF - 40, AS_OF - 1), cents(20, 80)], [id, day(END - 40, END), cents(20, 80)]);
      continue;
    }
    if (k % 13 === 0) {
      // Cents whose total depends on the order they are added in.
      const d = day(START, END);
      rows.push([id, d, 0.1], [id, d, 0.2], [id, day(START, END), 0.3], [id, day(START, END), 0.7]);
      continue;
    }
    const first = day(START, END - 30);
    const purchases = next() < 0.35 ? 1 : 1 + Math.floor(next() * 9);
    for (let p = 0; p < purchases; p++) {
      const d = p === 0 ? first : day(first, END);
      rows.push([id, d, cents(5, 200)]);
      if (next() < 0.15) rows.push([id, d, cents(5, 60)]);
      if (next() < 0.05) rows.push([id, d, 0]);
      if (next() < 0.06) rows.push([id, d, -cents(5, 40)]);
    }
  }
  // On the lifecycle boundaries, for as of END with 30 / 60 / 90 and AS_OF with 14 / 45 / 120: a gap
  // of exactly L (not a comeback) and L + 1 (one) on the day exactly A before as of and the day
  // before it; a first order exactly N days and N + 1 days before as of. The last order is on END.
  const boundaries: number[][] = [];
  for (const [asOf, n, a, l] of [
    [END, 30, 60, 90],
    [AS_OF, 14, 45, 120],
  ]) {
    for (const gap of [l, l + 1]) for (const back of [a, a + 1]) boundaries.push([asOf - back - gap, asOf - back]);
    boundaries.push([asOf - n], [asOf - n - 1]);
  }
  boundaries.push([END]);
  boundaries.forEach((days, b) => {
    for (const day of days) rows.push([numericIds ? 90_000 + b : `B-${b}`, day, 40 + b]);
  });
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

describe("Segmentation and Customer Value from DuckDB-summarised customer facts", () => {
  it(
    "give the facts and the tabs of the rows on generated orders (text and number-like ids), CSV and Parquet, with and without a holdout and an as-of before the last order",
    async () => {
      const files = await writeOrders("mixed", generatedOrders(7, false));
      for (const file of [files.csv, files.parquet]) {
        const latest = await expectSameRoutes(file, { asOf: null, periodUnit: "week", holdoutPeriods: null, thresholds: DEFAULT_THRESHOLDS });
        expect(latest.segments.numericIds.every((flag) => flag === 0)).toBe(true);
        // In customer batches of about 500 orders (split once, summarised batch by batch).
        const past = await inBatches(500, () =>
          expectSameRoutes(file, { asOf: AS_OF, periodUnit: "week", holdoutPeriods: 12, thresholds: { newDays: 14, activeDays: 45, atRiskDays: 120 } }),
        );
        // What the data was made to hold is there (the comparison above would not see a route that lost it).
        expect(past.segments.ordersAfterAsOf).toBeGreaterThan(0);
        expect(past.segments.customersAfterAsOf).toBeGreaterThan(0);
        expect(past.segments.refundRows).toBeGreaterThan(0);
        expect(past.segments.reactivated.some((flag) => flag === 1)).toBe(true);
        expect(past.value.holdout?.split?.newCustomersInHoldout).toBeGreaterThan(0);
      }
    },
    TIMEOUT,
  );

  it(
    "give the facts and the tabs of the rows on orders with number ids (numbers again in the tab from Parquet), by month with a holdout",
    async () => {
      const files = await writeOrders("numeric", generatedOrders(11, true));
      const fromParquet = await expectSameRoutes(files.parquet, { asOf: AS_OF, periodUnit: "month", holdoutPeriods: 3, thresholds: DEFAULT_THRESHOLDS });
      expect(fromParquet.segments.numericIds.every((flag) => flag === 1)).toBe(true);
      const fromCsv = await inBatches(1000, () => expectSameRoutes(files.csv, { asOf: null, periodUnit: "day", holdoutPeriods: 90, thresholds: DEFAULT_THRESHOLDS }));
      expect(fromCsv.segments.numericIds.every((flag) => flag === 0)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    "give the facts and the tabs of the rows on CDNOW, from CSV and Parquet, with a 26-week holdout at 1997-09-30 and as of the last order",
    async (ctx) => {
      const dir = sharedDir("data", "cdnow");
      if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
      const rows = cdnowOrderRows(dir);
      const files = await writeOrders("cdnow", rows);
      for (const file of [files.csv, files.parquet]) {
        const facts = await expectSameRoutes(file, { asOf: serialOf("19970930"), periodUnit: "week", holdoutPeriods: 26, thresholds: DEFAULT_THRESHOLDS });
        expect(facts.segments.customerIds.length).toBe(2357);
        await expectSameRoutes(file, { asOf: null, periodUnit: "week", holdoutPeriods: null, thresholds: DEFAULT_THRESHOLDS });
      }
    },
    TIMEOUT,
  );

  it("refuses facts computed for other options than the tab's, naming the bug", async () => {
    const files = await writeOrders("small", generatedOrders(3, false));
    const memory = await memoryOrders(files.csv);
    const facts = await duckFacts(files.csv, { asOf: null, periodUnit: "week", holdoutPeriods: null, thresholds: DEFAULT_THRESHOLDS });
    const orders = summarisedOrders(memory, facts);
    expect(() => buildSegmentationTab(orders, null, { asOf: AS_OF }, CONTEXT)).toThrow(/other options \(as-of/);
    expect(() => buildSegmentationTab(orders, null, { lifecycleThresholds: { newDays: 10, activeDays: 60, atRiskDays: 90 } }, CONTEXT)).toThrow(/lifecycle thresholds/);
    expect(() => buildCustomerValueTab(orders, { period: "month" }, CONTEXT)).toThrow(/period week instead of month/);
    expect(() => buildCustomerValueTab(orders, { holdoutPeriods: 4 }, CONTEXT)).toThrow(/holdout null instead of 4/);
    expect(() => buildSegmentationTab({ ...orders, summarised: { ...orders.summarised!, customers: null } }, null, {}, CONTEXT)).toThrow(/summarised out of core/);
  });

  it("says what is wrong with the options or the source before summarising", async () => {
    const files = await writeOrders("checks", generatedOrders(5, false));
    const options: CustomerFactsOptions = { asOf: null, periodUnit: "week", holdoutPeriods: null, thresholds: DEFAULT_THRESHOLDS };
    await expect(duckFacts(files.csv, { ...options, asOf: START - 1 })).rejects.toMatchObject({ code: "INSUFFICIENT_DATA", argument: "as_of" });
    await expect(duckFacts(files.csv, { ...options, thresholds: { newDays: 60, activeDays: 30, atRiskDays: 90 } })).rejects.toMatchObject({ code: "INVALID_INPUT", argument: "thresholds" });
    const db = await openDuckDb();
    try {
      const source = await fileSource(db, files.csv, "checks.csv", ORDER_COLUMNS, {}, "date", { id: "customer", value: { role: "value", rule: ORDER_VALUE_RULE } });
      await expect(customerFactsFrom(db, source, { ...options, pattern: files.csv }, "checks.csv")).rejects.toThrow(/rowOrder: true/);
    } finally {
      db.close();
    }
  });
});
