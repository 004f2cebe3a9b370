/**
 * `imc report --from` on an orders file too large to read row by row (more cells than --max-cells):
 * the table and its columns are found in the file's first rows by the report's own detection, then
 * DuckDB reads the whole file out of core (src/cli/duckdb/source.ts, with the reading rules of
 * `imc clv --from`) and summarises it into what the order tabs are built from
 * (src/reports/summarisedOrders.ts). Memory is bounded by the summaries (per customer, per cohort
 * month), not by the rows.
 */

import { toDateSerial } from "../../../engine/data/cells";
import { formatSerial } from "../../../engine/data";
import { customerSummaryQuery, renderQuery, type OrdersSource } from "../../../sql/queries";
import type { ColumnRole, FoundTable } from "../../../reports/detect";
import type { OrdersInput } from "../../../reports/inputs";
import type { SummarisedOrders } from "../../../reports/summarisedOrders";
import { ORDER_COLUMNS } from "../../csv/columns";
import { CliError } from "../../errors";
import { duckRows as query, literal, openDuckDb, type DuckDb } from "../connection";
import { fileSource, ROW_ORDER_COLUMN, type DateOrder, type FileSource } from "../source";
import type { DecimalMark, ValueRule } from "../valueReading";
import type { OversizedFiles } from "../fileSheets";

/** Order values as the report reads them: a blank one stops the run, a negative one is a refund. */
const ORDER_VALUE_RULE: ValueRule = { argument: "order_values", blankIsError: true, negative: null };

/** The run's options the summaries depend on. */
export interface SummaryRunOptions {
  /** As-of date (Excel serial); null: the last order date. */
  readonly asOf: number | null;
  /** Customers whose order rows are read into memory (those the experiment and lead tables name). */
  readonly namedCustomers?: readonly string[];
  readonly dateOrder?: DateOrder;
  readonly decimal?: DecimalMark;
}

/** The orders file opened in DuckDB, with what the summaries are computed for. */
export interface OpenOrders {
  readonly db: DuckDb;
  readonly source: FileSource<"customer" | "date" | "value">;
  readonly display: string;
  /** The file or glob DuckDB reads (resolved). */
  readonly pattern: string;
  /** The as-of date: the given one or the last order date (Excel serial, whole day). */
  readonly asOf: number;
  /** Order rows in the files. */
  readonly rowCount: number;
}

/** The parts of SummarisedOrders beyond the row count and the as-of date, computed on the open orders. */
export type SummaryParts = (orders: OpenOrders) => Promise<Omit<SummarisedOrders, "rowCount" | "asOf" | "ordersOfNamedCustomers" | "daily">>;

/**
 * The header of a column the detection found, for `fileSource`'s overrides.
 *
 * @param found the table found in the file's first rows.
 * @param role the column's role.
 * @param caller the function asking, for the error.
 * @throws Error (a bug of the caller) when the table has no such column.
 */
export function foundHeader(found: FoundTable, role: ColumnRole, caller: string): string {
  const index = found.columns[role];
  if (index === undefined) throw new Error(`${caller}: the ${found.kind} table has no ${role} column (a bug)`);
  return found.headers[index];
}

/**
 * The reading notes of a table summarised out of core: why (its rows, over --max-cells), then what
 * reading the whole file left out or interpreted. The report says which table and file a note is
 * of, so a note of the file itself does not repeat its name.
 *
 * @param rows the rows in words ("1,000 order rows").
 * @param files the oversized files.
 * @param how what was done, after the reason ("summarised out of core with DuckDB").
 * @param source the file source, with its notes.
 * @param display the files as the user named them.
 */
export function outOfCoreNotes(rows: string, files: OversizedFiles, how: string, source: { readonly notes: readonly string[] }, display: string): string[] {
  return [
    `${rows}, more cells than --max-cells (${files.maxCells.toLocaleString("en-US")}) allows in memory: ${how}`,
    ...source.notes.map((note) => (note.startsWith(`${display}: `) ? note.slice(display.length + 2) : note)),
  ];
}

/**
 * Reads the orders out of core and summarises them.
 *
 * @param files the oversized files (from readFileSheets with `oversized: "head"`).
 * @param display the files as the user named them.
 * @param found where the detection found the orders table in the files' first rows, and its columns.
 * @param head the orders input read from those first rows (its currency is kept; its reading notes,
 *   which speak of those rows only, are replaced by the whole file's).
 * @param options as-of date and reading options.
 * @param parts computes the tabs' summaries on the open orders.
 * @returns an OrdersInput without rows, carrying the summaries, and the notes of the reading.
 * @throws CliError for invoice lines (not summarised), and as `fileSource` does for a bad cell.
 */
export async function summariseOrders(
  files: OversizedFiles,
  display: string,
  found: FoundTable,
  head: OrdersInput,
  options: SummaryRunOptions,
  parts: SummaryParts,
): Promise<{ readonly orders: OrdersInput; readonly notes: readonly string[] }> {
  if (found.lines) {
    throw new CliError("holds invoice lines (quantity × price) in more cells than --max-cells: the lines are added up per order only in memory; raise --max-cells, or give one row per order", { file: display });
  }
  const header = (role: "customerId" | "orderDate" | "orderValue"): string => foundHeader(found, role, "summariseOrders");
  const db = await openDuckDb();
  try {
    const source = await fileSource(
      db,
      files.pattern,
      display,
      ORDER_COLUMNS,
      { customer: header("customerId"), date: header("orderDate"), value: header("orderValue") },
      "date",
      { id: "customer", dateOrder: options.dateOrder, decimal: options.decimal, rowOrder: true, value: { role: "value", rule: ORDER_VALUE_RULE } },
    );
    const orders: OrdersSource = { table: "", relation: source.relation, customer: source.columns.customer, date: source.columns.date, value: source.columns.value, trimmedIds: true };
    const rowCount = Number((await query(db, `SELECT COUNT(*) FROM ${source.relation}`, display))[0][0]);
    if (rowCount === 0) throw new CliError("there are no orders in the files", { file: display });
    // The last order day exactly as the summary SQL reads it (typed dates or ISO text).
    const lastDay = await query(db, renderQuery({ ctes: customerSummaryQuery({ dialect: "duckdb", orders, asOf: null, dates: source.dates }).ctes.slice(0, 2), select: "SELECT CAST(as_of_day AS VARCHAR) FROM as_of" }), display);
    const asOf = options.asOf === null ? toDateSerial(String(lastDay[0][0]), "as_of", 1) : Math.floor(options.asOf);
    const open: OpenOrders = { db, source, display, pattern: files.pattern, asOf, rowCount };
    const ordersOfNamedCustomers = await ordersOfCustomers(open, options.namedCustomers ?? []);
    const daily = await dailyOrders(open);
    const summarised: SummarisedOrders = { rowCount, asOf, ordersOfNamedCustomers, daily, ...(await parts(open)) };
    const notes = outOfCoreNotes(`${rowCount.toLocaleString("en-US")} order rows`, files, `summarised out of core with DuckDB (as of ${formatSerial(asOf)})`, source, display);
    return {
      orders: { source: `${display} (${rowCount.toLocaleString("en-US")} order rows, summarised)`, readingNotes: notes, currency: head.currency, customerIds: [], orderDates: [], orderValues: [], summarised },
      notes,
    };
  } finally {
    db.close();
  }
}

/**
 * The order rows of some customers, in file order, as an OrdersInput in memory (dates as serials,
 * values as numbers): bounded by those customers' orders, not the file's.
 *
 * @param orders the open orders.
 * @param ids the customers' ids as text (trimmed).
 */
async function ordersOfCustomers(orders: OpenOrders, ids: readonly string[]): Promise<OrdersInput> {
  const { db, source, display } = orders;
  const distinct = [...new Set(ids.map((id) => id.trim()).filter((id) => id !== ""))];
  const named = `${display} (the orders of the customers the experiment and lead tables name)`;
  if (distinct.length === 0) return { source: named, customerIds: [], orderDates: [], orderValues: [] };
  await query(db, "CREATE OR REPLACE TEMP TABLE imc_wanted (id VARCHAR)", display);
  for (let start = 0; start < distinct.length; start += 1000) {
    const batch = distinct.slice(start, start + 1000);
    await query(db, `INSERT INTO imc_wanted VALUES ${batch.map((id) => `(${literal(id)})`).join(", ")}`, display);
  }
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const { customer, date, value } = source.columns;
  const found = await query(
    db,
    `SELECT ${quote(customer)}, EPOCH_US(CAST(${quote(date)} AS TIMESTAMP)) / 86400000000.0 + 25569, CAST(${quote(value)} AS DOUBLE) FROM ${source.relation} WHERE ${quote(customer)} IN (SELECT id FROM imc_wanted) ORDER BY ${ROW_ORDER_COLUMN}`,
    display,
  );
  return {
    source: named,
    customerIds: found.map((row) => String(row[0])),
    orderDates: found.map((row) => Number(row[1])),
    orderValues: found.map((row) => Number(row[2])),
  };
}

/** Orders per calendar day: count and revenue (see SummarisedOrders.daily). */
async function dailyOrders(orders: OpenOrders): Promise<SummarisedOrders["daily"]> {
  const { db, source, display } = orders;
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const day = `CAST(CAST(${quote(source.columns.date)} AS DATE) - DATE '1899-12-30' AS DOUBLE)`;
  const found = await query(db, `SELECT ${day} AS day, COUNT(*), SUM(CAST(${quote(source.columns.value)} AS DOUBLE)) FROM ${source.relation} GROUP BY day ORDER BY day`, display);
  return {
    days: Float64Array.from(found, (row) => Number(row[0])),
    orders: Float64Array.from(found, (row) => Number(row[1])),
    revenue: Float64Array.from(found, (row) => Number(row[2])),
  };
}
