/**
 * `imc report --from FILES`: the order facts of the aggregate tabs — the Cohorts tab's monthly cohort
 * cells, the Scorecard's order measures and the Budget tab's year counts — computed by DuckDB out of
 * core, for the orders' SummarisedOrders (src/reports/summarisedOrders.ts). The tabs are then built
 * from these facts exactly as from the rows (src/reports/cohorts/analysis.ts, scorecard/measures.ts,
 * budgetInputs.ts); test/sql/reportFacts.aggregates.test.ts checks both routes give the same facts
 * and the same tabs.
 *
 * The rules are the engine's (src/engine/cohorts/cohortMatrix.ts and the tabs' files above): a date's
 * calendar day counts (the order_rows of src/sql/queries.ts: typed dates, or ISO text as written);
 * orders dated after the as-of day are left out and counted, and so are customers with no order up
 * to it; the as-of day defaults to the last order day; an order with a value ≤ 0 is still an order
 * (it makes its customer active, may be their first order, and its value counts in revenue); the
 * Budget's purchases are orders above 0; month k of a cohort is the k-th calendar month after the
 * month of the customer's first order; "this year" is (as-of − 365, as-of], "last year" the 365 days
 * before, in whole days (DuckDB's date arithmetic, which is the serials' after 1 March 1900).
 *
 * Work and memory: four scans of the orders, each a hash aggregation or join in DuckDB (its memory
 * limit holds or spills them; the runner never sees a row). 1: the first and last order days and the
 * row count. 2: one row per customer into a temporary table (first order day up to as-of, which years
 * they bought in, this year's revenue, a whole-number id and the cohort month). 3: the orders up to
 * as-of joined to it, grouped by customer and month, then by cohort and month since acquisition (the
 * cells, and the revenue after each customer's first day). 4: row counts and sums, ungrouped. The
 * runner reads the cells (cohort months × months since) and a handful of totals.
 *
 * Sums of money are added in another order than the engine adds them (per customer and month, per
 * cell, over threads), so they may differ from the in-memory route in the last bits (the test allows
 * 1e-9 relative); counts and days are exact.
 */

import { calendarToSerial, formatSerial } from "../../../engine/data/dates";
import type { CohortCells } from "../../../engine/cohorts";
import type { BudgetOrderFacts } from "../../../reports/budgetInputs";
import type { CohortFacts } from "../../../reports/cohorts/analysis";
import type { OrderMeasureFacts, OrderMeasures } from "../../../reports/scorecard/measures";
import { customerSummaryQuery, type OrdersSource } from "../../../sql/queries";
import { EngineError } from "../../../engine/errors";
import { CliError } from "../../errors";
import { type DuckDb, duckRun as run, duckRows as rows, duckNumbers as numbers } from "../connection";
import type { FileSource } from "../source";

/** What the order facts are computed for: the run's as-of option. */
export interface OrderAggregatesOptions {
  /** The as-of option (Excel serial) as the tabs are given it; null: the last order day. */
  readonly asOf: number | null;
}

/** The aggregate tabs' order facts, ready to go into SummarisedOrders (same field names). */
export interface OrderAggregates {
  /** Order rows in the source (before the as-of cut). */
  readonly rowCount: number;
  /** The as-of day the facts were computed at (integer serial): the given one or the last order day. */
  readonly asOf: number;
  readonly cohorts: CohortFacts;
  readonly measures: OrderMeasureFacts;
  readonly budgetYear: BudgetOrderFacts;
}

/** Days of the Budget's and the Scorecard's 12-month windows (budgetInputs.ts WINDOW_DAYS, measures.ts YEAR_DAYS). */
const YEAR_DAYS = 365;

/** The temporary table of customers. */
const CUSTOMERS_TABLE = "imc_order_customers";

const num = (value: unknown): number => (typeof value === "bigint" ? Number(value) : Number(value));

/** A date column as the number yyyymmdd (NULL stays NULL). */
const ymd = (column: string): string => `(YEAR(${column}) * 10000 + MONTH(${column}) * 100 + DAY(${column}))`;

/** The serial of a yyyymmdd number from {@link ymd}; null for NULL. */
function serialOfYmd(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = num(value);
  return calendarToSerial({ year: Math.floor(n / 10000), month: Math.floor(n / 100) % 100, day: n % 100 });
}

/** A serial day as a SQL date literal. */
const dateLiteral = (serial: number): string => `DATE '${formatSerial(serial)}'`;

/**
 * Computes the aggregate tabs' order facts from the orders of a file source (see the module comment).
 *
 * @param db the open DuckDB.
 * @param source the orders (customer id, date, value columns), as `fileSource` opens them.
 * @param options the as-of option.
 * @param display the files as the user gave them, for messages.
 * @returns the facts, each computed for `options.asOf`.
 * @throws CliError when the files hold no order, or DuckDB cannot read them; EngineError INVALID_INPUT
 *   when the as-of option is not a finite serial.
 */
export async function orderAggregatesFrom(
  db: DuckDb,
  source: FileSource<"customer" | "date" | "value">,
  options: OrderAggregatesOptions,
  display: string,
): Promise<OrderAggregates> {
  const orders: OrdersSource = { table: "", relation: source.relation, customer: source.columns.customer, date: source.columns.date, value: source.columns.value, trimmedIds: true };
  const orderRows = customerSummaryQuery({ dialect: "duckdb", orders, dates: source.dates }).ctes[0];
  const withRows = `WITH ${orderRows[0]} AS (\n${orderRows[1]}\n)\n`;

  const bounds = await rows(db, `${withRows}SELECT ${ymd("MIN(order_day)")}, ${ymd("MAX(order_day)")}, COUNT(*) FROM order_rows`, display);
  const firstOrderDay = serialOfYmd(bounds[0][0]);
  const lastOrderDay = serialOfYmd(bounds[0][1]);
  const rowCount = num(bounds[0][2]);
  if (firstOrderDay === null || lastOrderDay === null) throw new CliError("there are no orders in the files", { file: display });
  if (options.asOf !== null && !Number.isFinite(options.asOf)) throw new EngineError("INVALID_INPUT", "as_of: not a date", { argument: "as_of" });
  const asOf = options.asOf === null ? lastOrderDay : Math.floor(options.asOf);
  const start = asOf - YEAR_DAYS;
  const previousStart = asOf - 2 * YEAR_DAYS;
  const cut = `order_day <= ${dateLiteral(asOf)}`;
  const thisYear = `order_day > ${dateLiteral(start)} AND ${cut}`;
  const lastYear = `order_day > ${dateLiteral(previousStart)} AND order_day <= ${dateLiteral(start)}`;
  const value = "COALESCE(order_value, 0)";
  const monthOf = (day: string) => `YEAR(${day}) * 12 + MONTH(${day}) - 1`;

  // Scan 2: one row per customer: the first order day up to as-of, what they bought (bits: 1 an order
  // above 0 this year, 2 one last year, 4 one on or before the start of this year) and this year's revenue.
  const positive = `${value} > 0`;
  await run(db, `DROP TABLE IF EXISTS ${CUSTOMERS_TABLE}`, display);
  await run(
    db,
    [
      `CREATE TEMP TABLE ${CUSTOMERS_TABLE} AS ${withRows.trimEnd()},`,
      `customers AS (SELECT customer_id, MIN(order_day) FILTER (WHERE ${cut}) AS first_day,`,
      `  BIT_OR(CASE WHEN NOT (${positive}) OR NOT (${cut}) THEN 0 WHEN order_day > ${dateLiteral(start)} THEN 1 WHEN order_day > ${dateLiteral(previousStart)} THEN 6 ELSE 4 END) AS bought,`,
      `  SUM(${value}) FILTER (WHERE ${thisYear}) AS revenue_this`,
      "FROM order_rows GROUP BY customer_id",
      ")",
      // A whole-number id and the cohort month, so the customer-month grouping below hashes numbers, not text.
      `SELECT *, ROW_NUMBER() OVER () AS customer_number, ${monthOf("first_day")} AS cohort FROM customers`,
    ].join("\n"),
    display,
  );
  try {
    // Scan 3: the orders up to as-of with their customer's first day, per customer and month, then per cohort cell.
    const [cohort, k, active, cellOrders, cellRevenue, cellReturning] = await numbers(
      db,
      [
        `${withRows.trimEnd()},`,
        "customer_months AS (",
        `  SELECT c.customer_number, c.cohort, ${monthOf("o.order_day")} AS m, COUNT(*) AS orders,`,
        `    SUM(COALESCE(o.order_value, 0)) AS revenue, SUM(CASE WHEN o.order_day > c.first_day THEN COALESCE(o.order_value, 0) ELSE 0 END) AS returning_revenue`,
        `  FROM order_rows o JOIN ${CUSTOMERS_TABLE} c ON o.customer_id = c.customer_id`,
        `  WHERE o.${cut}`,
        "  GROUP BY c.customer_number, c.cohort, m",
        ")",
        "SELECT cohort, m - cohort, COUNT(*), SUM(orders), SUM(revenue), SUM(returning_revenue) FROM customer_months GROUP BY cohort, m - cohort ORDER BY 1, 2",
      ].join("\n"),
      display,
    );
    // Scan 4 (no grouping): the row counts and sums.
    const sums = await rows(
      db,
      [
        `${withRows}SELECT COUNT(*) FILTER (WHERE ${cut}), COUNT(*) FILTER (WHERE NOT (${cut})), SUM(${value}) FILTER (WHERE ${cut}),`,
        `  COUNT(*) FILTER (WHERE ${thisYear}), SUM(${value}) FILTER (WHERE ${thisYear}), COUNT(*) FILTER (WHERE ${thisYear} AND NOT (${value} > 0)),`,
        `  SUM(${value}) FILTER (WHERE ${lastYear})`,
        "FROM order_rows",
      ].join("\n"),
      display,
    );
    const [ordersUsed, ordersAfterAsOf, revenue, thisOrders, thisRevenue, thisRefunds, lastRevenue] = sums[0].map((x) => (x === null ? 0 : num(x)));
    const counts = await rows(
      db,
      [
        `SELECT COUNT(first_day), COUNT(*) - COUNT(first_day), ${ymd("MIN(first_day)")},`,
        "  COUNT(*) FILTER (WHERE bought & 2 <> 0), COUNT(*) FILTER (WHERE bought & 3 = 3), SUM(revenue_this) FILTER (WHERE bought & 3 = 3),",
        "  COUNT(*) FILTER (WHERE bought & 5 = 1), SUM(revenue_this) FILTER (WHERE bought & 5 = 1)",
        `FROM ${CUSTOMERS_TABLE}`,
      ].join("\n"),
      display,
    );
    const t = counts[0];
    const first = serialOfYmd(t[2]);
    const [customers, customersAfterAsOf, , customersAtStart, retained, retainedRevenue, newCustomers, newRevenue] = t.map((x) => (x === null ? 0 : num(x)));
    let returningRevenue = 0;
    for (const r of cellReturning) returningRevenue += r;

    const computedFor = { asOf: options.asOf };
    const sizes: number[] = [];
    const periods: number[] = [];
    for (let j = 0; j < cohort.length; j++) {
      if (k[j] !== 0) continue;
      periods.push(cohort[j]);
      sizes.push(active[j]);
    }
    const rowOfCohort = new Map(periods.map((p, r) => [p, r]));
    const cells: CohortCells = {
      period: "month",
      asOf,
      firstOrderDay,
      cohortPeriods: Int32Array.from(periods),
      cohortSizes: Int32Array.from(sizes),
      cellCohorts: Int32Array.from(cohort, (p) => rowOfCohort.get(p)!),
      cellPeriods: Int32Array.from(k),
      cellActive: Int32Array.from(active),
      cellOrders: Int32Array.from(cellOrders),
      cellRevenue: Float64Array.from(cellRevenue),
      ordersUsed,
      ordersAfterAsOf,
      customersAfterAsOf,
    };
    const end = options.asOf ?? lastOrderDay;
    const measures: OrderMeasures | null =
      first === null
        ? null
        : {
            asOf: end,
            first,
            customers,
            revenueLast12: thisRevenue,
            revenuePrevious12: first <= end - 2 * YEAR_DAYS + 1 ? lastRevenue : null,
            revenue,
            returningRevenue,
          };
    return {
      rowCount,
      asOf,
      cohorts: { computedFor, cells },
      measures: { computedFor, measures },
      budgetYear: {
        computedFor,
        lastOrderDay,
        year: {
          revenue: thisRevenue,
          orders: thisOrders,
          refunds: thisRefunds,
          afterAsOf: ordersAfterAsOf,
          customersAtStart,
          retained,
          retainedRevenue,
          newCustomers,
          newRevenue,
        },
      },
    };
  } finally {
    await run(db, `DROP TABLE IF EXISTS ${CUSTOMERS_TABLE}`, display);
  }
}
