/**
 * `imc report --from FILES`: the order facts of the aggregate tabs — the Cohorts tab's monthly cohort
 * cells, the Scorecard's order measures and the Budget tab's year counts — computed by DuckDB out of
 * core, for the orders' SummarisedOrders (src/reports/summarisedOrders.ts). The tabs are then built
 * from these facts exactly as from the rows (src/reports/cohorts/analysis.ts, scorecard/measures.ts,
 * budgetInputs.ts); test/sql/reportFacts.aggregates.test.ts checks both routes give the same facts
 * and the same tabs.
 *
 * The rules are the engine's (src/engine/cohorts/cohortMatrix.ts, the two files above): a date's
 * calendar day counts (the order_rows of src/sql/queries.ts: typed dates, or ISO text as written);
 * orders dated after the as-of day are left out and counted, and so are customers with no order up
 * to it; the as-of day defaults to the last order day; an order with a value ≤ 0 is still an order
 * (it makes its customer active, may be their first order, and its value counts in revenue); the
 * Budget's purchases are orders above 0; month k of a cohort is the k-th calendar month after the
 * month of the customer's first order; "this year" is (as-of − 365, as-of], "last year" the 365 days
 * before, in whole days (DuckDB's date arithmetic, which is the serials' after 1 March 1900).
 *
 * Memory: two scans of the orders. The first finds the first and last order days and the row count;
 * the second groups the rows by customer and day and then by customer and month into a temporary
 * table (customer-months: DuckDB's memory limit holds or spills it, the runner never sees it). The
 * runner reads only the cohort cells (cohort months × months since) and a few totals.
 *
 * Sums of money are added in another order than the engine adds them (per day, per month, per
 * customer), so they may differ from the in-memory route in the last bits; counts and days are exact.
 */

import { calendarToSerial, formatSerial } from "../../../engine/data/dates";
import type { CohortCells } from "../../../engine/cohorts";
import type { BudgetOrderFacts } from "../../../reports/budgetInputs";
import type { CohortFacts } from "../../../reports/cohorts/analysis";
import type { OrderMeasureFacts, OrderMeasures } from "../../../reports/scorecard/measures";
import { customerSummaryQuery, type OrdersSource } from "../../../sql/queries";
import { CliError } from "../../errors";
import { duckDbError, type DuckDb } from "../connection";
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

/** The temporary table of customer-months. */
const MONTHS_TABLE = "imc_order_months";

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
 * @throws CliError when the files hold no order, or DuckDB cannot read them.
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
  const asOf = options.asOf === null ? lastOrderDay : Math.floor(options.asOf);
  const start = asOf - YEAR_DAYS;
  const previousStart = asOf - 2 * YEAR_DAYS;
  const thisYear = `day > ${dateLiteral(start)}`;
  const lastYear = `day > ${dateLiteral(previousStart)} AND day <= ${dateLiteral(start)}`;

  // Customer-days (orders after the as-of day in one NULL day per customer), then customer-months.
  await run(db, `DROP TABLE IF EXISTS ${MONTHS_TABLE}`, display);
  await run(
    db,
    [
      `CREATE TEMP TABLE ${MONTHS_TABLE} AS ${withRows.trimEnd()},`,
      "days AS (",
      `  SELECT customer_id, CASE WHEN order_day <= ${dateLiteral(asOf)} THEN order_day END AS day, COUNT(*) AS n,`,
      "    SUM(COALESCE(order_value, 0)) AS value, MAX(CASE WHEN order_value > 0 THEN 1 ELSE 0 END) AS positive,",
      "    SUM(CASE WHEN order_value > 0 THEN 0 ELSE 1 END) AS non_positive",
      "  FROM order_rows GROUP BY ALL",
      ")",
      "SELECT customer_id, YEAR(day) * 12 + MONTH(day) - 1 AS m, SUM(n) AS orders, SUM(value) AS revenue,",
      "  MIN(day) AS min_day, ARG_MIN(value, day) AS min_day_value, MIN(CASE WHEN positive = 1 THEN day END) AS min_positive_day,",
      `  SUM(CASE WHEN ${thisYear} THEN n ELSE 0 END) AS this_orders,`,
      `  SUM(CASE WHEN ${thisYear} THEN value ELSE 0 END) AS this_revenue,`,
      `  SUM(CASE WHEN ${thisYear} THEN non_positive ELSE 0 END) AS this_refunds,`,
      `  MAX(CASE WHEN ${thisYear} THEN positive ELSE 0 END) AS this_positive,`,
      `  MAX(CASE WHEN ${lastYear} THEN positive ELSE 0 END) AS last_positive,`,
      `  SUM(CASE WHEN ${lastYear} THEN value ELSE 0 END) AS last_revenue`,
      "FROM days GROUP BY customer_id, m",
    ].join("\n"),
    display,
  );
  try {
    const [cohort, k, active, cellOrders, cellRevenue] = await numbers(
      db,
      [
        `WITH c AS (SELECT m, orders, revenue, MIN(m) OVER (PARTITION BY customer_id) AS cohort FROM ${MONTHS_TABLE} WHERE m IS NOT NULL)`,
        "SELECT cohort, m - cohort, COUNT(*), SUM(orders), SUM(revenue) FROM c GROUP BY cohort, m - cohort ORDER BY 1, 2",
      ].join("\n"),
      display,
    );
    const totals = await rows(
      db,
      [
        "WITH per AS (",
        "  SELECT customer_id, COUNT(m) AS months, MIN(min_day) AS first_day, ARG_MIN(min_day_value, min_day) AS first_day_value,",
        "    SUM(CASE WHEN m IS NOT NULL THEN revenue ELSE 0 END) AS total, MIN(min_positive_day) AS first_purchase,",
        "    MAX(this_positive) AS bought_this, MAX(last_positive) AS bought_last, SUM(this_revenue) AS revenue_this,",
        "    SUM(CASE WHEN m IS NOT NULL THEN orders ELSE 0 END) AS used, SUM(CASE WHEN m IS NULL THEN orders ELSE 0 END) AS after,",
        "    SUM(this_orders) AS this_orders, SUM(this_refunds) AS this_refunds, SUM(last_revenue) AS last_revenue",
        `  FROM ${MONTHS_TABLE} GROUP BY customer_id`,
        ")",
        "SELECT COUNT(*) FILTER (WHERE months > 0), COUNT(*) FILTER (WHERE months = 0), SUM(used), SUM(after),",
        `  ${ymd("MIN(first_day)")}, SUM(total), COALESCE(SUM(total - first_day_value) FILTER (WHERE months > 0), 0),`,
        "  SUM(this_orders), SUM(revenue_this), SUM(this_refunds), SUM(last_revenue),",
        "  COUNT(*) FILTER (WHERE bought_last = 1), COUNT(*) FILTER (WHERE bought_last = 1 AND bought_this = 1),",
        "  COALESCE(SUM(revenue_this) FILTER (WHERE bought_last = 1 AND bought_this = 1), 0),",
        `  COUNT(*) FILTER (WHERE first_purchase > ${dateLiteral(start)}), COALESCE(SUM(revenue_this) FILTER (WHERE first_purchase > ${dateLiteral(start)}), 0)`,
        "FROM per",
      ].join("\n"),
      display,
    );
    const t = totals[0];
    const [customers, customersAfterAsOf, ordersUsed, ordersAfterAsOf] = [t[0], t[1], t[2], t[3]].map(num);
    const first = serialOfYmd(t[4]);
    const [revenue, returningRevenue, thisOrders, thisRevenue, thisRefunds, lastRevenue, customersAtStart, retained, retainedRevenue, newCustomers, newRevenue] = t
      .slice(5)
      .map((x) => (x === null ? 0 : num(x)));

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
    await run(db, `DROP TABLE IF EXISTS ${MONTHS_TABLE}`, display);
  }
}

async function run(db: DuckDb, sql: string, display: string): Promise<void> {
  try {
    await db.run(sql);
  } catch (error) {
    throw duckDbError(error, display);
  }
}

async function numbers(db: DuckDb, sql: string, display: string): Promise<Float64Array[]> {
  try {
    return await db.numberColumns(sql);
  } catch (error) {
    throw duckDbError(error, display);
  }
}

async function rows(db: DuckDb, sql: string, display: string): Promise<unknown[][]> {
  try {
    return (await db.rows(sql)).rows;
  } catch (error) {
    throw duckDbError(error, display);
  }
}
