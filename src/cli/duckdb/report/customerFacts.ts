/**
 * The per-customer facts of the Segmentation and Customer Value tabs (src/reports/customerFacts.ts)
 * summarised by DuckDB out of core, for `imc report --from` on order files too big to read row by
 * row. The runner's memory grows with the customers, not the rows: DuckDB groups the rows per
 * customer into one temporary table (spilling to disk beyond its memory limit) and the runner reads
 * only that table's columns.
 *
 * - The customer summary of the value models is the summary SQL of `imc clv --from`
 *   (src/sql/queries.ts `customerSummaryQuery`, the engine's rules), at as of and, with a holdout, at
 *   the calibration end.
 * - Customers come in order of first appearance: the source is opened with `rowOrder` and customers
 *   are ordered by their first row (all rows counted, later ones too), as the engine lists them.
 * - Sums are added from 0 in the engine's order (src/sql/queries.ts `foldedSum`), so they are the
 *   engine's numbers to the last bit: revenue is the total of a customer's values up to as of in
 *   ascending order of value (as orderHistory.ts adds them: it cannot move a customer across a
 *   quintile break); the summary's day totals, total value and m̄ with the summary SQL's row order
 *   (a day's values in row order, days in date order, as summary.ts adds them); holdout values in row
 *   order. The models fitted on them then give the same numbers as on the rows (an optimiser started
 *   from inputs one bit apart stops up to 1e-7 apart).
 * - The Reactivated flag: a purchase day at most A days before as of whose gap to the previous
 *   purchase day (LAG over the customer's distinct days up to as of) is more than L days.
 * - Ids: the source's ids are trimmed text; they were numbers in the source (written back as numbers)
 *   when the files are Parquet with a number-typed id column. A CSV id column is text, as the in-memory
 *   route reads it.
 */

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { type CustomerSummary, DAYS_PER_PERIOD, type PeriodUnit } from "../../../engine/clv/summary";
import { formatSerial } from "../../../engine/data/dates";
import { EngineError } from "../../../engine/errors";
import { checkLifecycleThresholds } from "../../../engine/segmentation/lifecycle";
import { calibrationEndOf, type CustomerFacts, type CustomerFactsOptions, type HoldoutFacts, type SegmentFacts, type ValueFacts } from "../../../reports/customerFacts";
import { customerSummaryQuery, foldedSum, renderQuery } from "../../../sql/queries";
import { duckDbError, literal, type DuckDb, duckRun as run, duckSplit as split, duckRows as rows, duckNumbers as numbers } from "../connection";
import { isParquet, type FileSource } from "../source";
import { isNumberType } from "../valueReading";

/** The options the facts are computed for, and where the source was opened from. */
export interface CustomerFactsFromOptions extends CustomerFactsOptions {
  /** The file or glob the source was opened from (resolved): a Parquet id column of a number type gives numeric ids. */
  readonly pattern: string;
}

/** The order source's columns, as `fileSource` finds them with ORDER_COLUMNS. */
export type OrderFileSource = FileSource<"customer" | "date" | "value">;

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A DATE expression as an Excel serial. */
export const serialOf = (date: string): string => `CAST(${date} - DATE '1899-12-30' AS DOUBLE)`;

/** Serial of a DuckDB date (yyyy-mm-dd) for an as-of or calibration day. */
const dateText = (serial: number): string => formatSerial(Math.floor(serial));

/**
 * Both tabs' per-customer facts from an order source, summarised by DuckDB.
 *
 * @param db the open DuckDB the source was opened in.
 * @param source the orders, opened with `rowOrder: true` (customers are ordered by their first row).
 * @param options as-of, period, holdout, lifecycle thresholds, and the pattern the source was opened from.
 * @param display the files' name for messages.
 * @returns the facts, equal to `customerFactsOf` on the same rows read in memory.
 * @throws EngineError INVALID_INPUT for bad lifecycle thresholds; INSUFFICIENT_DATA when there are no
 *   orders, or none up to as of (as IMC.RFM says it); CliError when DuckDB cannot read the data;
 *   Error when the source was opened without `rowOrder` (a bug of the caller).
 */
export async function customerFactsFrom(db: DuckDb, source: OrderFileSource, options: CustomerFactsFromOptions, display: string): Promise<CustomerFacts> {
  return withCustomerFactsTable(db, source, options, display, async (table) => {
    const { rowCount, asOfDay, firstDay, calibrationEnd, numericIds, batches } = table;
    const [customersAfter, rowsAfter, refundRows] = await numbers(
      db,
      "SELECT CAST(COUNT(CASE WHEN orders IS NULL THEN 1 END) AS DOUBLE), CAST(SUM(rows_after) AS DOUBLE), CAST(SUM(refund_rows) AS DOUBLE) FROM imc_customer_facts",
      display,
    );
    const kept = "FROM imc_customer_facts WHERE orders IS NOT NULL ORDER BY first_row";
    const customerIds = await texts(db, `SELECT customer_id ${kept}`, display);
    const [revenue, reactivated, ...summaryColumns] = await numbers(
      db,
      `SELECT revenue, reactivated, ${serialOf("first_purchase")}, ${serialOf("last_purchase")}, ${SUMMARY_NUMBERS} ${kept}`,
      display,
    );
    const summary = summaryOf(options.periodUnit, asOfDay, customerIds, summaryColumns, { orders: rowsAfter[0], customers: customersAfter[0] });
    const n = customerIds.length;
    const segments: SegmentFacts = {
      asOfOption: options.asOf,
      thresholds: options.thresholds,
      rowCount,
      asOfDay,
      customerIds,
      numericIds: new Uint8Array(n).fill(numericIds ? 1 : 0),
      recencyDays: Int32Array.from(summary.lastPurchase, (d) => asOfDay - d),
      daysSinceFirst: Int32Array.from(summary.firstPurchase, (d) => asOfDay - d),
      orders: summary.orders,
      revenue,
      reactivated: Uint8Array.from(reactivated),
      ordersAfterAsOf: rowsAfter[0],
      customersAfterAsOf: customersAfter[0],
      refundRows: refundRows[0],
    };
    const value: ValueFacts = {
      asOfOption: options.asOf,
      periodUnit: options.periodUnit,
      rowCount,
      summary,
      holdout:
        options.holdoutPeriods === null
          ? null
          : await holdoutFacts(
              db,
              batches,
              options.holdoutPeriods,
              calibrationEnd,
              asOfDay,
              firstDay,
              options.periodUnit,
              { rowCount, ordersAfterHoldout: rowsAfter[0] },
              display,
            ),
    };
    return { options: { asOf: options.asOf, periodUnit: options.periodUnit, holdoutPeriods: options.holdoutPeriods, thresholds: options.thresholds }, segments, value };
  });
}

/** The per-customer facts table while it exists (see {@link withCustomerFactsTable}). */
export interface CustomerFactsTable {
  /** Order rows read (all of them). */
  readonly rowCount: number;
  /** The as-of day used (Excel serial). */
  readonly asOfDay: number;
  /** The first order day of all rows. */
  readonly firstDay: number;
  /** The calibration end of the holdout, or null. */
  readonly calibrationEnd: number | null;
  /** Whether the source holds its ids as numbers. */
  readonly numericIds: boolean;
  /** The customer batches and their summary SQL (for the holdout split). */
  readonly batches: FactsBatches;
}

/** The customer batches of the facts, with the spill folder and the summary SQL at a day. */
interface FactsBatches {
  readonly parts: readonly (string | null)[];
  readonly folder: string;
  readonly summaryAt: (relation: string, day: number) => ReturnType<typeof customerSummaryQuery>;
}

/**
 * Summarises the orders into one row per customer, readable as the view `imc_customer_facts` while
 * `use` runs (dropped afterwards, its files removed): customer_id, first_row, first_day, revenue,
 * refund_rows, rows_after, holdout_days, holdout_value, the summary SQL's columns (first_purchase,
 * last_purchase, orders … NULL for a customer whose orders are all after as of) and reactivated.
 *
 * @param db the open DuckDB the source was opened in.
 * @param source the orders, opened with `rowOrder: true`.
 * @param options as-of, period, holdout, lifecycle thresholds, and the pattern the source was opened from.
 * @param display the files' name for messages.
 * @param use what to read of the table.
 * @returns what `use` returns.
 * @throws as {@link customerFactsFrom}.
 */
export async function withCustomerFactsTable<T>(
  db: DuckDb,
  source: OrderFileSource,
  options: CustomerFactsFromOptions,
  display: string,
  use: (table: CustomerFactsTable) => Promise<T>,
): Promise<T> {
  checkLifecycleThresholds(options.thresholds);
  const order = source.order;
  if (order === null) throw new Error("customerFactsFrom: the source must be opened with rowOrder: true (customers are listed in order of their first row)");
  const numericIds = await idsAreNumbers(db, options.pattern, source.columns.customer, display);
  const customer = quote(source.columns.customer);
  const date = quote(source.columns.date);
  const day = source.dates === "typed" ? `CAST(${date} AS DATE)` : `CAST(SUBSTR(CAST(${date} AS VARCHAR), 1, 10) AS DATE)`;
  const rawRowsOf = (relation: string): string =>
    [
      `SELECT ${customer} AS customer_id, ${day} AS order_day, CAST(${quote(source.columns.value)} AS DOUBLE) AS order_value, ${quote(order)} AS first_row`,
      `FROM ${relation}`,
      `WHERE ${customer} IS NOT NULL AND ${date} IS NOT NULL`,
    ].join("\n");
  const rawRows = rawRowsOf(source.relation);

  const [count, first, last] = await numbers(db, `SELECT CAST(COUNT(*) AS DOUBLE), ${serialOf("MIN(order_day)")}, ${serialOf("MAX(order_day)")} FROM (${rawRows})`, display);
  const rowCount = count[0];
  if (!(rowCount > 0)) throw new EngineError("INSUFFICIENT_DATA", "there are no orders in the files", { argument: "orders" });
  const firstDay = first[0];
  const asOfDay = options.asOf === null ? last[0] : Math.floor(options.asOf);
  if (asOfDay < firstDay) {
    throw new EngineError("INSUFFICIENT_DATA", `IMC.RFM: no orders on or before as_of (${formatSerial(asOfDay)}); all ${rowCount} are later`, { argument: "as_of" });
  }
  const calibrationEnd = options.holdoutPeriods === null ? null : calibrationEndOf(asOfDay, options.holdoutPeriods, options.periodUnit, firstDay);
  const summaryAt = (relation: string, day: number) =>
    customerSummaryQuery({
      dialect: "duckdb",
      orders: { table: "", relation, customer: source.columns.customer, date: source.columns.date, value: source.columns.value, trimmedIds: true, rowOrder: order },
      asOf: dateText(day),
      period: options.periodUnit,
      dates: source.dates,
    });

  // Customer batches of at most factsBatchRows() orders (a customer's orders in one batch), each
  // summarised into a Parquet part of the spill folder: DuckDB's memory holds one batch's groups.
  const folder = mkdtempSync(path.join(db.spill, "facts-"));
  const batches = Math.max(1, Math.ceil(rowCount / factsBatchRows()));
  const parts = batches === 1 ? [source.relation] : await split(db, source.relation, [source.columns.customer, source.columns.date, source.columns.value, order], batches, display);
  const window = calibrationEnd === null ? null : `r.order_day > DATE '${dateText(calibrationEnd)}' AND r.order_day <= a.as_of_day`;
  const { activeDays, atRiskDays } = options.thresholds;
  // One row per customer: the first row, the segment measures, the summary, the holdout window.
  const factsOf = (relation: string): string =>
    renderQuery({
      ctes: [
        ...summaryAt(relation, asOfDay).ctes,
        ["raw_rows", rawRowsOf(relation)],
        [
          "customer_rows",
          [
            "SELECT r.customer_id, MIN(r.first_row) AS first_row, MIN(r.order_day) AS first_day,",
            // Ascending, as the engine adds a customer's values: the same total to the last bit.
            `  ${foldedSum("r.order_value", "r.order_value", "r.order_day <= a.as_of_day")} AS revenue,`,
            "  COUNT(CASE WHEN r.order_day <= a.as_of_day AND r.order_value < 0 THEN 1 END) AS refund_rows,",
            "  COUNT(CASE WHEN r.order_day > a.as_of_day THEN 1 END) AS rows_after,",
            `  ${window === null ? "0" : `COUNT(DISTINCT CASE WHEN ${window} THEN r.order_day END)`} AS holdout_days,`,
            `  ${window === null ? "0" : `COALESCE(${foldedSum("r.first_row", "r.order_value", window)}, 0)`} AS holdout_value`,
            "FROM raw_rows r CROSS JOIN as_of a",
            "GROUP BY r.customer_id",
          ].join("\n"),
        ],
        ["gaps", "SELECT customer_id, order_day, order_day - LAG(order_day) OVER (PARTITION BY customer_id ORDER BY order_day) AS gap\nFROM purchase_days"],
        [
          "comebacks",
          [
            `SELECT g.customer_id, MAX(CASE WHEN g.gap > ${atRiskDays} AND g.order_day >= a.as_of_day - ${activeDays} THEN 1 ELSE 0 END) AS reactivated`,
            "FROM gaps g CROSS JOIN as_of a",
            "GROUP BY g.customer_id",
          ].join("\n"),
        ],
      ],
      select: [
        "SELECT c.*, s.* EXCLUDE (customer_id), b.reactivated",
        "FROM customer_rows c LEFT JOIN customer_summary s ON s.customer_id = c.customer_id LEFT JOIN comebacks b ON b.customer_id = c.customer_id",
      ].join("\n"),
    });
  try {
    await writeParts(db, parts, factsOf, path.join(folder, "facts"), "imc_customer_facts", display);
    return await use({ rowCount, asOfDay, firstDay, calibrationEnd, numericIds, batches: { parts, folder, summaryAt } });
  } finally {
    await run(db, "DROP VIEW IF EXISTS imc_customer_facts; DROP VIEW IF EXISTS imc_calibration", display);
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Orders per customer batch of the facts (IMC_FACTS_BATCH_ROWS overrides it). The per-customer lists
 * that add sums in the engine's order do not spill: at DuckDB's 1 GB, 1M orders (150,000 customers)
 * took 625 MB peak in all and 10M in one batch ran out of memory.
 */
export const FACTS_BATCH_ROWS = 1_000_000;

/** Rows per facts batch: IMC_FACTS_BATCH_ROWS when it is a positive number, else {@link FACTS_BATCH_ROWS}. */
function factsBatchRows(): number {
  const fromEnv = Number(process.env.IMC_FACTS_BATCH_ROWS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : FACTS_BATCH_ROWS;
}

/**
 * Runs a per-customer query on each batch into a Parquet part of `folder` and makes `view` read
 * them all (a customer's rows are all in one batch, so each customer is in one part).
 *
 * @param db the open DuckDB.
 * @param parts the batches' relations (null: an empty batch).
 * @param query the per-customer SQL of one batch.
 * @param folder a new folder for the parts.
 * @param view the view to make.
 * @param display the files' name for messages.
 */
export async function writeParts(db: DuckDb, parts: readonly (string | null)[], query: (relation: string) => string, folder: string, view: string, display: string): Promise<void> {
  mkdirSync(folder);
  for (let k = 0; k < parts.length; k++) {
    const relation = parts[k];
    if (relation === null) continue;
    await run(db, `COPY (${query(relation)}) TO ${literal(path.join(folder, `${k}.parquet`))} (FORMAT parquet)`, display);
  }
  await run(db, `CREATE OR REPLACE TEMP VIEW ${view} AS SELECT * FROM read_parquet(${literal(path.join(folder, "*.parquet"))})`, display);
}

/**
 * The holdout split: the summary SQL at the calibration end, its customers in order of first row,
 * with their purchase days and values in the holdout window (from imc_customer_facts).
 */
async function holdoutFacts(
  db: DuckDb,
  batches: FactsBatches,
  holdoutPeriods: number,
  calibrationEnd: number | null,
  asOfDay: number,
  firstDay: number,
  periodUnit: PeriodUnit,
  counts: { readonly rowCount: number; readonly ordersAfterHoldout: number },
  display: string,
): Promise<HoldoutFacts> {
  const { rowCount, ordersAfterHoldout } = counts;
  if (calibrationEnd === null) return { holdoutPeriods, firstDay, split: null };
  const select = [
    `SELECT s.customer_id, f.first_row, ${serialOf("s.first_purchase")} AS first_purchase, ${serialOf("s.last_purchase")} AS last_purchase,`,
    "  s.orders, s.frequency, s.recency, s.t, s.total_value, s.monetary, s.monetary_count, s.non_positive_days, f.holdout_days, f.holdout_value",
    "FROM customer_summary s JOIN imc_customer_facts f ON f.customer_id = s.customer_id",
  ].join("\n");
  const calibrationOf = (relation: string): string => renderQuery({ ctes: batches.summaryAt(relation, calibrationEnd).ctes, select });
  await writeParts(db, batches.parts, calibrationOf, path.join(batches.folder, "calibration"), "imc_calibration", display);
  const customerIds = await texts(db, "SELECT customer_id FROM imc_calibration ORDER BY first_row", display);
  const [holdoutPurchases, holdoutValue, ...summaryColumns] = await numbers(
    db,
    `SELECT holdout_days, holdout_value, first_purchase, last_purchase, ${SUMMARY_NUMBERS} FROM imc_calibration ORDER BY first_row`,
    display,
  );
  const calibrationEndDate = `DATE '${dateText(calibrationEnd)}'`;
  const [customers, newCustomers] = await numbers(
    db,
    `SELECT CAST(COUNT(*) AS DOUBLE), CAST(COUNT(CASE WHEN first_day > ${calibrationEndDate} AND first_day <= DATE '${dateText(asOfDay)}' THEN 1 END) AS DOUBLE) FROM imc_customer_facts`,
    display,
  );
  const [, , calibrationOrders] = summaryColumns;
  let ordersUsed = 0;
  for (const count of calibrationOrders) ordersUsed += count;
  return {
    holdoutPeriods,
    firstDay,
    split: {
      calibration: summaryOf(periodUnit, calibrationEnd, customerIds, summaryColumns, { orders: rowCount - ordersUsed, customers: customers[0] - customerIds.length }),
      holdoutPeriods: (asOfDay - calibrationEnd) / DAYS_PER_PERIOD[periodUnit],
      holdoutPurchases,
      holdoutValue,
      newCustomersInHoldout: newCustomers[0],
      ordersAfterHoldout,
    },
  };
}

/** The summary SQL's number columns after the first and last purchase days, in the order {@link summaryOf} reads them. */
const SUMMARY_NUMBERS = "orders, frequency, recency, t, total_value, monetary, monetary_count, non_positive_days";

/**
 * The engine's customer summary from the summary SQL's columns read in customer order: the first and
 * last purchase days as serials, then {@link SUMMARY_NUMBERS}.
 *
 * @param after the orders and customers left out after the summary's as-of day.
 */
function summaryOf(periodUnit: PeriodUnit, asOf: number, customerIds: readonly string[], columns: readonly Float64Array[], after: { readonly orders: number; readonly customers: number }): CustomerSummary {
  const [firstPurchase, lastPurchase, orders, frequency, recency, T, totalValue, monetary, monetaryCount, nonPositiveDays] = columns;
  return {
    periodUnit,
    asOf,
    customerIds,
    firstPurchase,
    lastPurchase,
    orders: Int32Array.from(orders),
    frequency,
    recency,
    T,
    totalValue,
    monetary,
    monetaryCount,
    nonPositiveDays: Int32Array.from(nonPositiveDays),
    ordersAfterAsOf: after.orders,
    customersAfterAsOf: after.customers,
  };
}

/** True when the files are Parquet whose id column has a number type (the in-memory route then reads numbers). */
async function idsAreNumbers(db: DuckDb, pattern: string, header: string, display: string): Promise<boolean> {
  if (!isParquet(pattern)) return false;
  const described = await rows(db, `DESCRIBE SELECT * FROM read_parquet(${literal(pattern)})`, display);
  const column = described.find((row) => String(row[0]) === header);
  return column !== undefined && isNumberType(String(column[1]).toUpperCase());
}

/**
 * The first column of a query as text, read chunk by chunk.
 *
 * @param db the open DuckDB.
 * @param sql the query.
 * @param display the files, for messages.
 */
export async function texts(db: DuckDb, sql: string, display: string): Promise<string[]> {
  try {
    const result = await db.connection.stream(sql);
    const out: string[] = [];
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const values = chunk.getColumnValues(0);
      for (let i = 0; i < chunk.rowCount; i++) out.push(String(values[i]));
    }
    return out;
  } catch (error) {
    throw duckDbError(error, display);
  }
}
