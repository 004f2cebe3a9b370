/**
 * Acquisition cohorts: customers grouped by the period of their first order, and what each cohort
 * does in the periods since (share still ordering, cumulative revenue per customer, active customers,
 * orders).
 *
 * Glossary:
 * - cohort: the customers whose first order (on or before `asOf`) falls in one calendar period;
 * - period k (k = 0, 1, 2, …): the k-th calendar period after the cohort's own (k = 0 is the cohort's
 *   period); periods are calendar weeks (Monday to Sunday), months, quarters or years;
 * - reached: a cohort has reached period k when the period containing `asOf` is k or more periods
 *   after its own (the period of `asOf` counts, even though it is not over); later periods are blank.
 *
 * Rules (the same as IMC.CUSTOMERS, domain.md §1.2, src/engine/clv/summary.ts):
 * - a date's calendar day counts (time of day dropped); orders dated after `asOf` (its calendar day)
 *   are left out and counted; customers whose first order is after `asOf` are left out and counted;
 * - `asOf` defaults to the last order day; a date before the first order is an error;
 * - an order with a value ≤ 0 (refund, free order) is still an order: it makes its customer active in
 *   its period (and may be their first order), and its value counts in revenue (refunds reduce it);
 * - several orders of a customer on one day are one purchase for activity; the `orders` count is of
 *   order rows, like IMC.CUSTOMERS's "Orders".
 *
 * Two halves: rows → the non-empty cells (`cohortCells`), cells → the matrix (`cohortMatrixFromCells`),
 * so cells summarised elsewhere (DuckDB out of core, src/cli/duckdb/report/orderAggregates.ts) make the
 * same matrix.
 *
 * Performance: one pass to find first orders, a counting sort of rows by customer, a day → period
 * lookup table over the span of dates, then one pass over the rows with integer period indexes into
 * typed arrays (a stamp per period marks a customer already counted active there). No per-row objects.
 */

import { MAX_SERIAL, calendarToSerial, epochDayToSerial, serialToCalendar, serialToEpochDay } from "../data/dates";
import type { Transactions } from "../data/transactions";
import { EngineError } from "../errors";

/** Calendar period of cohorts and of the periods since acquisition. */
export type CohortPeriod = "week" | "month" | "quarter" | "year";

/** Most cells (cohorts × periods) a matrix may have: 20 million (160 MB per measure array at most). */
const MAX_CELLS = 20_000_000;

/** The periods accepted, in the order documented. */
export const COHORT_PERIODS: readonly CohortPeriod[] = ["month", "week", "quarter", "year"];

/** What a cohort matrix cell shows. */
export type CohortMeasure = "retention" | "revenue" | "customers" | "orders";

/** The measures accepted, in the order documented. */
export const COHORT_MEASURES: readonly CohortMeasure[] = ["retention", "revenue", "customers", "orders"];

/** A cohort × period-since-acquisition matrix (row-major arrays, `cohortCount × periodCount`). */
export interface CohortMatrix {
  readonly period: CohortPeriod;
  /** Calendar day (integer serial) the matrix is taken at. */
  readonly asOf: number;
  /** Cohorts (periods with at least one new customer), oldest first. */
  readonly cohortCount: number;
  /** Columns: periods 0 .. periodCount − 1 (the oldest cohort reaches them all). */
  readonly periodCount: number;
  /** Per cohort: first day of its period (integer serial). */
  readonly cohortStarts: Float64Array;
  /** Per cohort: customers acquired. */
  readonly cohortSizes: Int32Array;
  /** Per cohort: periods reached as of `asOf` (1 .. periodCount); cells at k ≥ this are blank. */
  readonly periodsReached: Int32Array;
  /** Customers of the cohort with at least one order in period k. */
  readonly activeCustomers: Int32Array;
  /** Order rows of the cohort's customers in period k. */
  readonly orders: Int32Array;
  /** Sum of order values of the cohort's customers in period k (refunds included; not cumulative). */
  readonly revenue: Float64Array;
  /** Customers counted (first order on or before `asOf`). */
  readonly customerCount: number;
  /** Order rows used (on or before `asOf`). */
  readonly ordersUsed: number;
  /** Order rows dated after `asOf` (left out). */
  readonly ordersAfterAsOf: number;
  /** Customers whose first order is after `asOf` (left out). */
  readonly customersAfterAsOf: number;
}

export interface CohortOptions {
  /** Cohort period (default "month"). */
  readonly period?: CohortPeriod;
  /** As-of date (serial; its calendar day counts); default the last order day. */
  readonly asOf?: number | null;
  /** Argument name of the as-of date, for messages (default "as_of"). */
  readonly asOfArgument?: string;
}

/**
 * Integer index of the calendar period holding an integer serial day: weeks from a Monday
 * (epoch day 4 was a Monday), months and quarters counted from year 0, years as the year.
 */
function periodIndexOf(day: number, period: CohortPeriod): number {
  if (period === "week") return Math.floor((serialToEpochDay(day) - 4) / 7);
  const { year, month } = serialToCalendar(day);
  if (period === "month") return year * 12 + month - 1;
  if (period === "quarter") return year * 4 + Math.floor((month - 1) / 3);
  return year;
}

/**
 * Column name of a period since acquisition, as IMC.COHORTS and the Cohorts tab head their columns.
 *
 * @param period the cohort period.
 * @param k period since acquisition (0-based).
 * @returns "Month 3", "Week 0", "Quarter 1", "Year 2".
 */
export function periodColumnName(period: CohortPeriod, k: number): string {
  const unit = period === "month" ? "Month" : period === "week" ? "Week" : period === "quarter" ? "Quarter" : "Year";
  return `${unit} ${k}`;
}

/**
 * First day (integer serial) of a period from {@link periodIndexOf}.
 *
 * @param index the period's integer index.
 * @param period its unit.
 * @returns the serial of its first day (a Monday for weeks, the 1st of the month, quarter or year).
 */
export function periodStart(index: number, period: CohortPeriod): number {
  if (period === "week") return epochDayToSerial(index * 7 + 4);
  if (period === "month") return calendarToSerial({ year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 });
  if (period === "quarter") return calendarToSerial({ year: Math.floor(index / 4), month: (index % 4) * 3 + 1, day: 1 });
  return calendarToSerial({ year: index, month: 1, day: 1 });
}

/** Last day (integer serial) of a period; the last valid serial for the period holding 9999-12-31. */
function periodEnd(index: number, period: CohortPeriod): number {
  const lastIndex = periodIndexOf(MAX_SERIAL, period);
  return index >= lastIndex ? MAX_SERIAL : periodStart(index + 1, period) - 1;
}

/**
 * The non-empty cells of a cohort matrix, as rows → cells gives them ({@link cohortCells}) or as a
 * store summarises them out of core (GROUP BY cohort period and period since acquisition): the half
 * of the work that reads the orders. {@link cohortMatrixFromCells} makes the matrix from them.
 */
export interface CohortCells {
  readonly period: CohortPeriod;
  /** Calendar day (integer serial) the cells are taken at: the given as-of day or the last order day. */
  readonly asOf: number;
  /** The earliest order day of all rows (integer serial); Infinity when there are no rows. */
  readonly firstOrderDay: number;
  /** Per cohort, oldest first: the integer index of its period (months from year 0 for "month", see periodStart). */
  readonly cohortPeriods: Int32Array;
  /** Per cohort: customers acquired. */
  readonly cohortSizes: Int32Array;
  /** Per non-empty cell (any order): its cohort (0-based row of cohortPeriods), its period since acquisition k, active customers, order rows, revenue. */
  readonly cellCohorts: Int32Array;
  readonly cellPeriods: Int32Array;
  readonly cellActive: Int32Array;
  readonly cellOrders: Int32Array;
  readonly cellRevenue: Float64Array;
  /** Order rows used (on or before `asOf`), dated after it, and customers whose first order is after it. */
  readonly ordersUsed: number;
  readonly ordersAfterAsOf: number;
  readonly customersAfterAsOf: number;
}

/**
 * The as-of day of a cohort matrix, checked against the first order day.
 *
 * @throws EngineError INSUFFICIENT_DATA when there are no orders; INVALID_INPUT when `asOf` is not a
 *   date or is before the first order (names the as-of argument).
 */
function checkedAsOf(asOf: number, firstOrderDay: number, asOfArgument: string): number {
  if (firstOrderDay === Infinity) throw new EngineError("INSUFFICIENT_DATA", "there are no orders");
  if (!Number.isFinite(asOf)) throw new EngineError("INVALID_INPUT", `${asOfArgument}: not a date`, { argument: asOfArgument });
  if (asOf < firstOrderDay) {
    throw new EngineError("INVALID_INPUT", `${asOfArgument}: the date is before the first order; choose a date on or after it`, {
      argument: asOfArgument,
    });
  }
  return asOf;
}

/**
 * Builds the acquisition-cohort matrix from order rows: {@link cohortCells} then
 * {@link cohortMatrixFromCells}.
 *
 * @param transactions order rows from `readTransactions` (values may be null: revenue is then 0).
 * @param options `period` (default "month"), `asOf` (serial, default the last order day).
 * @returns the matrix; cohorts oldest first, only periods in which some customer was acquired.
 * @throws EngineError INVALID_INPUT when `asOf` is not a date or is before the first order (names the
 *   as-of argument), or the matrix would have too many cells; INSUFFICIENT_DATA when there are no orders.
 * References: Fader & Hardie (2010), "Customer-base valuation in a contractual setting" (cohort
 *   survival tables); domain.md §1 (payback: first period in which cumulative cohort contribution ≥ CAC).
 */
export function cohortMatrix(transactions: Transactions, options: CohortOptions = {}): CohortMatrix {
  return cohortMatrixFromCells(cohortCells(transactions, options), options.asOfArgument);
}

/**
 * The non-empty cells of the cohort matrix of order rows (rows → cells; see the module comment for the rules).
 *
 * @param transactions order rows from `readTransactions` (values may be null: revenue is then 0).
 * @param options `period` (default "month"), `asOf` (serial, default the last order day).
 * @returns the cells, cohorts oldest first, cells by cohort then period.
 * @throws EngineError as {@link cohortMatrix}.
 */
export function cohortCells(transactions: Transactions, options: CohortOptions = {}): CohortCells {
  const period = options.period ?? "month";
  const asOfArgument = options.asOfArgument ?? "as_of";
  const n = transactions.rowCount;
  if (n === 0) throw new EngineError("INSUFFICIENT_DATA", "there are no orders");
  const customerIndex = transactions.customerIndex;
  const dates = transactions.orderDates;
  const values = transactions.orderValues;
  const customerCount = transactions.customerIds.length;

  let firstOrderDay = Infinity;
  let lastOrderDay = -Infinity;
  for (let i = 0; i < n; i++) {
    const day = Math.floor(dates[i]);
    if (day < firstOrderDay) firstOrderDay = day;
    if (day > lastOrderDay) lastOrderDay = day;
  }
  const asOf = checkedAsOf(options.asOf === null || options.asOf === undefined ? lastOrderDay : Math.floor(options.asOf), firstOrderDay, asOfArgument);

  // Day → period index (relative to the first order's period), over the days that can occur.
  const span = asOf - firstOrderDay + 1;
  const basePeriod = periodIndexOf(firstOrderDay, period);
  const periodOfDay = new Int32Array(span);
  {
    let day = firstOrderDay;
    while (day <= asOf) {
      const index = periodIndexOf(day, period);
      const end = Math.min(asOf, periodEnd(index, period));
      periodOfDay.fill(index - basePeriod, day - firstOrderDay, end - firstOrderDay + 1);
      day = end + 1;
    }
  }
  const periodCount = periodOfDay[span - 1] + 1;

  // First order day per customer, and rows counted per customer (for the counting sort).
  const firstDay = new Float64Array(customerCount).fill(Infinity);
  const start = new Int32Array(customerCount + 1);
  let ordersAfterAsOf = 0;
  for (let i = 0; i < n; i++) {
    const day = Math.floor(dates[i]);
    if (day > asOf) {
      ordersAfterAsOf++;
      continue;
    }
    const c = customerIndex[i];
    start[c + 1]++;
    if (day < firstDay[c]) firstDay[c] = day;
  }
  for (let c = 1; c <= customerCount; c++) start[c] += start[c - 1];
  const ordersUsed = start[customerCount];

  // Cohorts: periods with at least one first order, numbered oldest first.
  const sizeByPeriod = new Int32Array(periodCount);
  const cohortPeriodOf = new Int32Array(customerCount).fill(-1);
  let customersAfterAsOf = 0;
  for (let c = 0; c < customerCount; c++) {
    if (firstDay[c] === Infinity) {
      customersAfterAsOf++;
      continue;
    }
    const p = periodOfDay[firstDay[c] - firstOrderDay];
    cohortPeriodOf[c] = p;
    sizeByPeriod[p]++;
  }
  const rowOfPeriod = new Int32Array(periodCount).fill(-1);
  let cohortCount = 0;
  for (let p = 0; p < periodCount; p++) if (sizeByPeriod[p] > 0) rowOfPeriod[p] = cohortCount++;
  const cohortPeriods = new Int32Array(cohortCount);
  const cohortSizes = new Int32Array(cohortCount);
  for (let p = 0; p < periodCount; p++) {
    const r = rowOfPeriod[p];
    if (r < 0) continue;
    cohortPeriods[r] = basePeriod + p;
    cohortSizes[r] = sizeByPeriod[p];
  }

  // Rows grouped by customer (counting sort), as period indexes and values.
  const rowPeriod = new Int32Array(ordersUsed);
  const rowValue = new Float64Array(ordersUsed);
  const next = start.slice(0, customerCount);
  for (let i = 0; i < n; i++) {
    const day = Math.floor(dates[i]);
    if (day > asOf) continue;
    const at = next[customerIndex[i]]++;
    rowPeriod[at] = periodOfDay[day - firstOrderDay];
    rowValue[at] = values === null ? 0 : values[i];
  }

  // Dense cells (cohort row × period since acquisition) while counting, then the non-empty ones.
  checkedCellCount(cohortCount, periodCount);
  const cells = cohortCount * periodCount;
  const activeCustomers = new Int32Array(cells);
  const orders = new Int32Array(cells);
  const revenue = new Float64Array(cells);
  // stamp[k] = the last customer counted active in period k (rows of one customer are contiguous).
  const stamp = new Int32Array(periodCount).fill(-1);
  for (let c = 0; c < customerCount; c++) {
    const own = cohortPeriodOf[c];
    if (own < 0) continue;
    const base = rowOfPeriod[own] * periodCount - own;
    for (let j = start[c]; j < start[c + 1]; j++) {
      const p = rowPeriod[j];
      const cell = base + p;
      orders[cell]++;
      revenue[cell] += rowValue[j];
      if (stamp[p - own] !== c) {
        stamp[p - own] = c;
        activeCustomers[cell]++;
      }
    }
  }
  let filled = 0;
  for (let cell = 0; cell < cells; cell++) if (orders[cell] > 0) filled++;
  const cellCohorts = new Int32Array(filled);
  const cellPeriods = new Int32Array(filled);
  const cellActive = new Int32Array(filled);
  const cellOrders = new Int32Array(filled);
  const cellRevenue = new Float64Array(filled);
  for (let cell = 0, j = 0; cell < cells; cell++) {
    if (orders[cell] === 0) continue;
    cellCohorts[j] = Math.floor(cell / periodCount);
    cellPeriods[j] = cell % periodCount;
    cellActive[j] = activeCustomers[cell];
    cellOrders[j] = orders[cell];
    cellRevenue[j++] = revenue[cell];
  }
  return {
    period,
    asOf,
    firstOrderDay,
    cohortPeriods,
    cohortSizes,
    cellCohorts,
    cellPeriods,
    cellActive,
    cellOrders,
    cellRevenue,
    ordersUsed,
    ordersAfterAsOf,
    customersAfterAsOf,
  };
}

/** Throws when cohorts × periods is more than a matrix can hold. */
function checkedCellCount(cohortCount: number, periodCount: number): void {
  if (cohortCount * periodCount > MAX_CELLS) {
    throw new EngineError(
      "INVALID_INPUT",
      `period: ${cohortCount} cohorts × ${periodCount} periods is more than the ${MAX_CELLS.toLocaleString("en")} cells a cohort table can hold; choose a longer period or an earlier as-of date`,
      { argument: "period" },
    );
  }
}

/**
 * Makes the cohort matrix from its non-empty cells (cells → matrix): the columns run from the first
 * order's period to the as-of day's, each cohort reaches the periods from its own to the as-of day's.
 *
 * @param cells from {@link cohortCells} or an out-of-core summary with the same rules.
 * @param asOfArgument argument name of the as-of date, for messages (default "as_of").
 * @returns the matrix.
 * @throws EngineError INSUFFICIENT_DATA when there are no orders; INVALID_INPUT when the as-of day is
 *   not a date or is before the first order, or the matrix would have too many cells.
 */
export function cohortMatrixFromCells(cells: CohortCells, asOfArgument = "as_of"): CohortMatrix {
  const { period } = cells;
  const asOf = checkedAsOf(cells.asOf, cells.firstOrderDay, asOfArgument);
  const basePeriod = periodIndexOf(cells.firstOrderDay, period);
  const periodCount = periodIndexOf(asOf, period) - basePeriod + 1;
  const cohortCount = cells.cohortPeriods.length;
  checkedCellCount(cohortCount, periodCount);
  const cohortStarts = new Float64Array(cohortCount);
  const periodsReached = new Int32Array(cohortCount);
  let customerCount = 0;
  for (let r = 0; r < cohortCount; r++) {
    cohortStarts[r] = periodStart(cells.cohortPeriods[r], period);
    periodsReached[r] = periodCount - (cells.cohortPeriods[r] - basePeriod);
    customerCount += cells.cohortSizes[r];
  }
  const size = cohortCount * periodCount;
  const activeCustomers = new Int32Array(size);
  const orders = new Int32Array(size);
  const revenue = new Float64Array(size);
  for (let j = 0; j < cells.cellCohorts.length; j++) {
    const cell = cells.cellCohorts[j] * periodCount + cells.cellPeriods[j];
    activeCustomers[cell] = cells.cellActive[j];
    orders[cell] = cells.cellOrders[j];
    revenue[cell] = cells.cellRevenue[j];
  }
  return {
    period,
    asOf,
    cohortCount,
    periodCount,
    cohortStarts,
    cohortSizes: Int32Array.from(cells.cohortSizes),
    periodsReached,
    activeCustomers,
    orders,
    revenue,
    customerCount,
    ordersUsed: cells.ordersUsed,
    ordersAfterAsOf: cells.ordersAfterAsOf,
    customersAfterAsOf: cells.customersAfterAsOf,
  };
}

/**
 * The value of one matrix cell for a measure, or null when the cohort has not reached the period.
 *
 * @param matrix from {@link cohortMatrix}.
 * @param measure "retention" (share of the cohort with an order in period k; 1 at k = 0), "revenue"
 *   (cumulative revenue per cohort customer up to and including period k), "customers" (active
 *   customers in period k) or "orders" (order rows in period k).
 * @param cohort 0-based cohort row.
 * @param k period since acquisition (0-based).
 * @returns the number, or null for a period not reached.
 */
export function cohortValue(matrix: CohortMatrix, measure: CohortMeasure, cohort: number, k: number): number | null {
  if (k >= matrix.periodsReached[cohort]) return null;
  const cell = cohort * matrix.periodCount + k;
  const size = matrix.cohortSizes[cohort];
  switch (measure) {
    case "retention":
      return matrix.activeCustomers[cell] / size;
    case "customers":
      return matrix.activeCustomers[cell];
    case "orders":
      return matrix.orders[cell];
    case "revenue": {
      let total = 0;
      for (let j = cohort * matrix.periodCount; j <= cell; j++) total += matrix.revenue[j];
      return total / size;
    }
  }
}

/**
 * One cohort's row of a measure, periods 0 .. periodCount − 1, null where not reached.
 *
 * @param matrix from {@link cohortMatrix}.
 * @param measure see {@link cohortValue}.
 * @param cohort 0-based cohort row.
 * @returns `periodCount` values.
 */
export function cohortRow(matrix: CohortMatrix, measure: CohortMeasure, cohort: number): (number | null)[] {
  const out: (number | null)[] = new Array<number | null>(matrix.periodCount).fill(null);
  const reached = matrix.periodsReached[cohort];
  const size = matrix.cohortSizes[cohort];
  const base = cohort * matrix.periodCount;
  let cumulative = 0;
  for (let k = 0; k < reached; k++) {
    const cell = base + k;
    if (measure === "retention") out[k] = matrix.activeCustomers[cell] / size;
    else if (measure === "customers") out[k] = matrix.activeCustomers[cell];
    else if (measure === "orders") out[k] = matrix.orders[cell];
    else {
      cumulative += matrix.revenue[cell];
      out[k] = cumulative / size;
    }
  }
  return out;
}
