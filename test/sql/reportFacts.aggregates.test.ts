/**
 * The aggregate tabs' order facts computed by DuckDB out of core (src/cli/duckdb/report/orderAggregates.ts)
 * against the same facts from the rows: the Cohorts tab's monthly cohort cells, the Scorecard's order
 * measures and the Budget tab's year counts, on CDNOW and on generated orders (same-day orders,
 * refunds, zero values, month ends and 29 February, one-time buyers, times of day, 30 months),
 * written as CSV (ISO text) and as Parquet (TIMESTAMP or DATE), with the as-of date found (the last order day) and given before the
 * last order. Then the Cohorts, Scorecard and Budget tabs built from the summarised orders equal
 * those built from the rows, cell for cell, or both routes fail with the same message.
 *
 * Tolerance: counts, days and periods exactly; sums of money to 1e-9 relative (DuckDB adds per day,
 * per month and per customer, the engine row by row). Texts (which show rounded amounts) exactly.
 */

import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { ORDER_COLUMNS } from "../../src/cli/csv/columns";
import { openDuckDb } from "../../src/cli/duckdb/connection";
import { orderAggregatesFrom, type OrderAggregates } from "../../src/cli/duckdb/report/orderAggregates";
import { fileSource } from "../../src/cli/duckdb/source";
import { cohortMatrixFromCells } from "../../src/engine/cohorts";
import { calendarToSerial, formatSerial } from "../../src/engine/data/dates";
import { seededUniform } from "../../src/engine/math/random";
import { buildBudgetTab } from "../../src/reports/budget";
import { budgetInputsFromData, budgetOrderFacts } from "../../src/reports/budgetInputs";
import { buildCohortsTab } from "../../src/reports/cohorts";
import { cohortFactsOf } from "../../src/reports/cohorts/analysis";
import type { BusinessData } from "../../src/reports/detect";
import type { OrdersInput } from "../../src/reports/inputs";
import { buildScorecardTab } from "../../src/reports/scorecard";
import { orderMeasures } from "../../src/reports/scorecard/measures";
import { cdnowTransactions } from "../engine/clv/cdnowData";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { scratchFolder, writeCsv } from "./engines";

const TIMEOUT = 180_000;
const TOLERANCE = 1e-9;
const CONTEXT = { generatedAt: "2026-12-06T07:00:00Z", currency: "$" };
const COLUMNS = { customer: "Client", date: "Invoice date", value: "Amount" };
const scratch = scratchFolder("imc-report-aggregates-");

/** Orders as JavaScript columns: ids, date serials (time of day as a fraction), values. */
interface Orders {
  readonly ids: string[];
  readonly dates: number[];
  readonly values: number[];
}

/**
 * Expects `actual` to equal `expected` in shape and content: typed arrays as arrays, integers
 * exactly, other numbers to {@link TOLERANCE} relative, everything else exactly.
 */
function expectClose(actual: unknown, expected: unknown, where = "facts"): void {
  if (ArrayBuffer.isView(actual) && ArrayBuffer.isView(expected)) {
    expectClose(Array.from(actual as unknown as ArrayLike<number>), Array.from(expected as unknown as ArrayLike<number>), where);
    return;
  }
  if (typeof actual === "number" && typeof expected === "number") {
    if (Number.isInteger(actual) && Number.isInteger(expected)) expect(actual, where).toBe(expected);
    else if (!Number.isFinite(expected)) expect(actual, where).toBe(expected);
    else expect(Math.abs(actual - expected), `${where}: ${actual} against ${expected}`).toBeLessThanOrEqual(TOLERANCE * Math.max(1, Math.abs(expected)));
    return;
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    expect(actual.length, `${where}.length`).toBe(expected.length);
    expected.forEach((value, i) => expectClose(actual[i], value, `${where}[${i}]`));
    return;
  }
  if (actual !== null && expected !== null && typeof actual === "object" && typeof expected === "object") {
    expect(Object.keys(actual).sort(), `${where} keys`).toEqual(Object.keys(expected).sort());
    for (const key of Object.keys(expected)) expectClose((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${where}.${key}`);
    return;
  }
  expect(actual, where).toEqual(expected);
}

/** The result of a build, or its error's message (both routes must fail alike). */
function outcome<T>(build: () => T): { value: T } | { error: string } {
  try {
    return { value: build() };
  } catch (error) {
    return { error: error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error) };
  }
}

/** ISO text of a serial with its time of day, "yyyy-mm-dd HH:MM:SS". */
function isoOf(serial: number): string {
  const day = Math.floor(serial);
  const seconds = Math.round((serial - day) * 86_400);
  const hh = String(Math.floor(seconds / 3600)).padStart(2, "0");
  const mm = String(Math.floor(seconds / 60) % 60).padStart(2, "0");
  const ss = String(seconds % 60).padStart(2, "0");
  return `${formatSerial(day)} ${hh}:${mm}:${ss}`;
}

/** Writes the orders as CSV (dates as ISO text with times) and as Parquet (dates as `dateType`, values DOUBLE); returns both paths. */
async function writeFiles(name: string, orders: Orders, dateType: "TIMESTAMP" | "DATE"): Promise<{ csv: string; parquet: string }> {
  const csv = writeCsv(
    path.join(scratch.path, `${name}.csv`),
    [COLUMNS.customer, COLUMNS.date, COLUMNS.value],
    orders.ids.map((id, i) => [id, isoOf(orders.dates[i]), orders.values[i]]),
  );
  const parquet = path.join(scratch.path, `${name}.parquet`);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(
      `COPY (SELECT CAST(Client AS VARCHAR) AS Client, CAST(CAST("Invoice date" AS TIMESTAMP) AS ${dateType}) AS "Invoice date", CAST(Amount AS DOUBLE) AS Amount FROM read_csv('${csv}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { csv, parquet };
}

/** The facts from DuckDB on a file. */
async function aggregatesOf(file: string, asOf: number | null): Promise<OrderAggregates> {
  const db = await openDuckDb();
  try {
    const display = path.basename(file);
    const source = await fileSource(db, file, display, ORDER_COLUMNS, COLUMNS, "date", {
      id: "customer",
      value: { role: "value", rule: { argument: "order_values", blankIsError: true, negative: null } },
    });
    return await orderAggregatesFrom(db, source, { asOf }, display);
  } finally {
    db.close();
  }
}

const SOURCE = "orders";

/** The orders as the in-memory route reads them. */
function rowsInput(orders: Orders): OrdersInput {
  return { source: SOURCE, customerIds: orders.ids, orderDates: orders.dates, orderValues: orders.values };
}

/** The orders summarised by DuckDB, without rows. */
function summarisedInput(aggregates: OrderAggregates): OrdersInput {
  const none = { source: SOURCE, customerIds: [], orderDates: [], orderValues: [] };
  const daily = { days: new Float64Array(0), orders: new Float64Array(0), revenue: new Float64Array(0) };
  return { ...none, summarised: { ...aggregates, ordersOfNamedCustomers: none, daily, customers: null } };
}

function dataOf(orders: OrdersInput): BusinessData {
  return { orders, customers: null, touchpoints: null, campaigns: null, spend: null };
}

/** The three tabs (or their errors) built from one OrdersInput. */
function tabsOf(orders: OrdersInput, asOf: number | null) {
  return {
    cohorts: outcome(() => buildCohortsTab(dataOf(orders), { asOf, cac: 40 }, CONTEXT)),
    scorecard: outcome(() => buildScorecardTab(dataOf(orders), { asOf, figures: new Map(), skipped: [], segmentByCustomer: null, modelFailure: null }, CONTEXT)),
    budget: outcome(() =>
      buildBudgetTab(budgetInputsFromData({ orders, spend: null, attribution: null, newCustomerClv: null, asOf }, { cac: 50, grossMarginRate: 0.4 }), CONTEXT),
    ),
  };
}

/** Both routes on a file: the same facts, the same tabs; returns what the rows gave, for further checks. */
async function expectSameRoutes(file: string, orders: Orders, asOf: number | null) {
  const rows = rowsInput(orders);
  const aggregates = await aggregatesOf(file, asOf);
  expect(aggregates.rowCount).toBe(orders.ids.length);
  const fromRows = {
    cohorts: outcome(() => cohortFactsOf(rows, asOf)),
    measures: orderMeasures(rows, asOf),
    budget: outcome(() => budgetOrderFacts(rows, asOf)),
  };
  // Where the rows fail (an as-of before the first order), the matrix of the summarised cells fails alike.
  if ("value" in fromRows.cohorts) expectClose(aggregates.cohorts.cells, fromRows.cohorts.value, "cohort cells");
  else expect(outcome(() => cohortMatrixFromCells(aggregates.cohorts.cells, "as-of date"))).toEqual(fromRows.cohorts);
  expectClose(aggregates.measures.measures, fromRows.measures, "order measures");
  expectClose(outcome(() => aggregates.budgetYear), fromRows.budget, "budget facts");
  expect(aggregates.cohorts.computedFor.asOf).toBe(asOf);

  const summarised = summarisedInput(aggregates);
  const memory = tabsOf(rows, asOf);
  const duck = tabsOf(summarised, asOf);
  expectClose(duck, memory, "tabs");
  return { memory, fromRows };
}

/**
 * Generated orders: 30 months (Jan 2022 – Jun 2024) of customers acquired each month, some buying
 * once, others again; same-day orders, refunds (negative), zero values, orders on month ends and on
 * 29 February 2024, on the first and last days of the 12-month windows, times of day; the seeded
 * draws make the test repeatable.
 */
function generatedOrders(): Orders {
  const random = seededUniform(20_240_229);
  const ids: string[] = [];
  const dates: number[] = [];
  const values: number[] = [];
  const first = calendarToSerial({ year: 2022, month: 1, day: 1 });
  const last = calendarToSerial({ year: 2024, month: 6, day: 30 });
  const add = (id: string, day: number, value: number) => {
    ids.push(id);
    dates.push(day + Math.floor(random() * 96) / 96);
    values.push(value);
  };
  const money = () => Math.round(5 + random() * 20_000) / 100;
  for (let c = 0; c < 600; c++) {
    const id = `C${String(c).padStart(4, "0")}`;
    let day = first + Math.floor(random() * (last - first + 1));
    // Month ends, 29 February and 1 March for some first orders.
    if (c % 25 === 0) day = calendarToSerial({ year: 2024, month: 2, day: 29 });
    else if (c % 25 === 1) day = calendarToSerial({ year: 2023, month: 1 + (c % 12), day: 1 }) - 1;
    else if (c % 25 === 2) day = calendarToSerial({ year: 2024, month: 3, day: 1 });
    const kind = c % 10;
    // A refund or a zero value as the first order of some customers.
    add(id, day, kind === 3 ? -money() : kind === 4 ? 0 : money());
    if (kind === 5) add(id, day, money()); // a second order the same day
    if (kind === 6) add(id, day, -values[values.length - 1]); // refunded the same day
    if (kind === 0 || kind === 1) continue; // one-time buyers
    while (day < last && random() < 0.8) {
      day += 1 + Math.floor(random() * 120);
      if (day > last) break;
      add(id, day, random() < 0.1 ? -money() : random() < 0.05 ? 0 : money());
      if (random() < 0.1) add(id, day, money());
    }
  }
  // Orders on the edges of the 12-month windows of both as-of dates (the last order day is `last`):
  // a customer buying only on the edge day, and again 10 days before the as-of date.
  for (const anchor of [last, calendarToSerial({ year: 2024, month: 2, day: 29 })]) {
    for (const offset of [-730, -729, -365, -364]) {
      add(`E${anchor}${offset}`, anchor + offset, money());
      add(`E${anchor}${offset}`, anchor - 10, money());
    }
  }
  add("LAST", last, money());
  return { ids, dates, values };
}

describe("order aggregates from DuckDB (Cohorts, Scorecard, Budget)", () => {
  it(
    "give the rows' facts and tabs on generated orders, from CSV and Parquet, as of the last order and as of 29 Feb 2024",
    async () => {
      const orders = generatedOrders();
      const files = await writeFiles("generated", orders, "TIMESTAMP");
      const feb29 = calendarToSerial({ year: 2024, month: 2, day: 29 });
      for (const file of [files.csv, files.parquet]) {
        for (const asOf of [null, feb29]) {
          const { memory, fromRows } = await expectSameRoutes(file, orders, asOf);
          // The cases the data is made for are there: the tabs were built, and the cut left orders out.
          expect("value" in memory.cohorts && "value" in memory.budget && "value" in memory.scorecard).toBe(true);
          if ("value" in fromRows.cohorts) {
            expect(fromRows.cohorts.value.cohortPeriods.length).toBeGreaterThan(24);
            if (asOf !== null) expect(fromRows.cohorts.value.ordersAfterAsOf).toBeGreaterThan(0);
            if (asOf !== null) expect(fromRows.cohorts.value.customersAfterAsOf).toBeGreaterThan(0);
          }
        }
      }
      // An as-of before the first order: the same errors and the same "no measures" both ways.
      const early = calendarToSerial({ year: 2021, month: 6, day: 30 });
      const { memory } = await expectSameRoutes(files.parquet, orders, early);
      expect("error" in memory.cohorts && "error" in memory.budget).toBe(true);
    },
    TIMEOUT,
  );

  it("give the rows' facts and tabs on CDNOW, from CSV and Parquet", async (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const t = cdnowTransactions(dir);
    const orders: Orders = {
      ids: Array.from(t.customerIndex, (c) => t.customerIds[c]),
      dates: Array.from(t.orderDates),
      values: Array.from(t.orderValues!),
    };
    const files = await writeFiles("cdnow", orders, "DATE");
    for (const file of [files.csv, files.parquet]) {
      for (const asOf of [null, calendarToSerial({ year: 1997, month: 9, day: 30 })]) {
        const { memory } = await expectSameRoutes(file, orders, asOf);
        expect("value" in memory.cohorts && "value" in memory.scorecard).toBe(true);
        // As of the last order (June 1998) no customer is new in the year: the Budget fails alike both ways.
        expect("value" in memory.budget).toBe(asOf !== null);
      }
    }
  }, TIMEOUT);

  it("refuse facts computed for another as-of date or not computed, naming the bug", async () => {
    const orders = generatedOrders();
    const files = await writeFiles("other-as-of", orders, "DATE");
    const summarised = summarisedInput(await aggregatesOf(files.parquet, null));
    const asOf = calendarToSerial({ year: 2024, month: 1, day: 31 });
    for (const build of [() => cohortFactsOf(summarised, asOf), () => orderMeasures(summarised, asOf), () => budgetOrderFacts(summarised, asOf)]) {
      expect(build).toThrow(/^bug: .* computed as of the last order date, and the tab is built as of 2024-01-31$/);
    }
    const missing: OrdersInput = { ...summarised, summarised: { ...summarised.summarised!, cohorts: null, measures: null, budgetYear: null } };
    for (const build of [() => cohortFactsOf(missing, null), () => orderMeasures(missing, null), () => budgetOrderFacts(missing, null)]) {
      expect(build).toThrow(/^bug: the orders are summarised out of core but .* were not computed$/);
    }
  }, TIMEOUT);
});
