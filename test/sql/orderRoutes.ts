/**
 * What the tests of `imc report --from`'s order summaries share (reportFacts.customers,
 * reportLargeCustomers, reportLargeValue): orders written as CSV and Parquet, read the two ways the
 * report reads them (in memory as a sheet; out of core by DuckDB), summarised orders standing in for
 * the rows, and tabs compared cell by cell as `buildAllTabs` writes them under a row limit.
 */

import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { ORDER_COLUMNS } from "../../src/cli/csv/columns";
import { openDuckDb, type DuckDb } from "../../src/cli/duckdb/connection";
import { readFileSheets } from "../../src/cli/duckdb/fileSheets";
import type { OrderFileSource } from "../../src/cli/duckdb/report/customerFacts";
import { fileSource } from "../../src/cli/duckdb/source";
import type { ValueRule } from "../../src/cli/duckdb/valueReading";
import { formatSerial } from "../../src/engine/data/dates";
import { businessDataOf, detectTables } from "../../src/reports/detect";
import type { OrdersInput } from "../../src/reports/inputs";
import { shortenToFit } from "../../src/reports/rowLimit";
import type { Cell, ReportSheet } from "../../src/reports/sheet";
import type { SummarisedOrders } from "../../src/reports/summarisedOrders";
import type { TabId } from "../../src/reports/tabIds";
import { cdnowTransactions } from "../engine/clv/cdnowData";
import { writeCsv } from "./engines";

/** How `imc report` reads an order table's values. */
export const ORDER_VALUE_RULE: ValueRule = { argument: "order_values", blankIsError: true, negative: null };

/** The orders of a file as `imc report --from` reads them in memory (the sheet, detection, the order table). */
export async function memoryOrders(file: string): Promise<OrdersInput> {
  const sheets = await readFileSheets([{ display: path.basename(file), pattern: file }]);
  const orders = businessDataOf(sheets, detectTables(sheets)).orders;
  if (orders === null) throw new Error(`no order table found in ${file}`);
  return orders;
}

/**
 * Runs `use` on the orders of a file opened by DuckDB as `imc report --from` opens them (rows in
 * file order), the database closed afterwards.
 */
export async function withOrderSource<T>(file: string, use: (db: DuckDb, source: OrderFileSource, display: string) => Promise<T>): Promise<T> {
  const db = await openDuckDb();
  try {
    const display = path.basename(file);
    const source = await fileSource(db, file, display, ORDER_COLUMNS, {}, "date", { id: "customer", rowOrder: true, value: { role: "value", rule: ORDER_VALUE_RULE } });
    return await use(db, source, display);
  } finally {
    db.close();
  }
}

/**
 * Summarised orders standing in for the rows of `memory` (no rows; the parts given, the other tabs'
 * parts empty).
 */
export function summarisedInstead(memory: OrdersInput, parts: Pick<SummarisedOrders, "rowCount" | "asOf" | "customers"> & Partial<SummarisedOrders>): OrdersInput {
  return {
    source: memory.source,
    ...(memory.currency === undefined ? {} : { currency: memory.currency }),
    customerIds: [],
    orderDates: [],
    orderValues: [],
    summarised: {
      ordersOfNamedCustomers: { source: memory.source, customerIds: [], orderDates: [], orderValues: [] },
      daily: { days: new Float64Array(0), orders: new Float64Array(0), revenue: new Float64Array(0) },
      cohorts: null,
      measures: null,
      budgetYear: null,
      ...parts,
    },
  };
}

/** The real CDNOW orders (../shared/data/cdnow) as rows of (id, date serial, value), in file order. */
export function cdnowOrderRows(dir: string): [string, number, number][] {
  const t = cdnowTransactions(dir);
  return Array.from(t.customerIndex, (c, i): [string, number, number] => [t.customerIds[c], t.orderDates[i], t.orderValues![i]]);
}

/** A small seeded generator of numbers in [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/**
 * Writes orders (id, date serial, value) as CSV and, through DuckDB, as Parquet (ids typed as numbers
 * when every id is a number).
 *
 * @param folder where to write them.
 * @param name the files' name without extension.
 */
export async function writeOrderFiles(folder: string, name: string, rows: readonly (readonly [string | number, number, number])[]): Promise<{ csv: string; parquet: string }> {
  const csv = writeCsv(
    path.join(folder, `${name}.csv`),
    ["customer_id", "order_date", "order_value"],
    rows.map(([id, day, value]) => [id, formatSerial(day), value]),
  );
  const parquet = path.join(folder, `${name}.parquet`);
  const numeric = rows.every(([id]) => typeof id === "number");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(
      `COPY (SELECT ${numeric ? "CAST(customer_id AS BIGINT)" : "CAST(customer_id AS VARCHAR)"} AS customer_id, CAST(order_date AS DATE) AS order_date, CAST(order_value AS DOUBLE) AS order_value FROM read_csv('${csv}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { csv, parquet };
}

/** A tab as buildAllTabs writes it with a row limit: shortened when it does not fit. */
export function writtenAs(sheet: ReportSheet, tab: TabId, maxRows: number): { sheet: ReportSheet; shortened: boolean } {
  const short = shortenToFit({ ...sheet, tab }, maxRows);
  return short === null ? { sheet: { ...sheet, tab }, shortened: false } : { sheet: short.sheet, shortened: true };
}

/** Every cell of a tab by position ("row,column"): table headers, rows and totals, and plain cells. */
export function cellsByPosition(sheet: ReportSheet): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  const put = (row: number, column: number, cell: Cell) => cells.set(`${row},${column}`, cell);
  for (const block of sheet.blocks) {
    if (block.kind === "table") {
      block.headers.forEach((header, c) => put(block.row, block.column + c, header));
      block.rows.forEach((row, r) => row.forEach((cell, c) => put(block.row + 1 + r, block.column + c, cell)));
      block.totals?.forEach((cell, c) => put(block.row + 1 + block.rows.length, block.column + c, cell));
    } else {
      block.values.forEach((row, r) => row.forEach((cell, c) => put(block.row + r, block.column + c, cell)));
    }
  }
  return cells;
}
