/**
 * The Cohorts tab's numbers: the monthly cohort matrix of IMC.COHORTS (src/engine/cohorts), the
 * cost of acquiring a customer (CAC) per cohort, payback, and the headline averages; no layout.
 *
 * CAC, in this order: the CAC option when given (one amount for every cohort); else from the spend
 * table: with dated spend rows, per cohort month = that month's spend ÷ the customers acquired in it
 * (a cohort whose month has no spend rows has no CAC); with undated rows, all spend ÷ all customers
 * acquired up to the as-of date; else none (no payback section). All spend counts as acquisition
 * spend, so a CAC from spend is an upper bound. Payback compares revenue (order values, refunds
 * subtracted) with CAC: no gross margin is applied.
 */

import { averageAtPeriod, cohortCells, type CohortCells, cohortMatrixFromCells, type CohortMatrix, cohortPayback, medianPayback } from "../../engine/cohorts";
import { serialToCalendar } from "../../engine/data";
import { EngineError } from "../../engine/errors";
import { readSpend } from "../attribution/analysis";
import { formatCount, transactionsOf } from "../format";
import type { OrdersInput, SpendInput } from "../inputs";
import { summarisedOf } from "../summarisedOrders";
import { summarisedPart, type ComputedFor } from "../summarisedPart";

/** Most cohorts and months the matrices show (the latest cohorts, the first months). */
export const SHOWN_COHORTS = 24;
export const SHOWN_MONTHS = 24;

/** Month of retention the headline quotes, and of revenue per customer. */
export const RETENTION_MONTH = 3;
export const REVENUE_MONTH = 12;

/** Where the CAC came from. */
export type CacSource =
  | { readonly kind: "given"; readonly cac: number }
  | { readonly kind: "spendTotal"; readonly spend: number; readonly customers: number; readonly cac: number }
  | { readonly kind: "spendByMonth"; readonly spend: number; readonly customers: number; readonly cohortsWithSpend: number; readonly monthsWithoutCustomers: number }
  | { readonly kind: "none"; readonly reason: string };

export interface CohortAnalysis {
  readonly matrix: CohortMatrix;
  /** Cohort rows shown (the latest SHOWN_COHORTS), oldest first. */
  readonly shownCohorts: readonly number[];
  /** Months shown: 0 .. shownMonths − 1. */
  readonly shownMonths: number;
  readonly cacSource: CacSource;
  /** CAC per cohort (null: unknown); null when there is no CAC at all. */
  readonly cacByCohort: readonly (number | null)[] | null;
  /** Customer-weighted CAC over the cohorts that have one (the chart's line); null without a CAC. */
  readonly averageCac: number | null;
  /** Payback month per cohort (−1 not yet, −2 no CAC); null without a CAC. */
  readonly payback: Int32Array | null;
  /** Median payback month (−1: the median cohort has not paid back); null without a CAC. */
  readonly medianPayback: number | null;
  /** Weighted share ordering in month 3, over the cohorts that reached it. */
  readonly retention3: { readonly value: number | null; readonly cohorts: number; readonly customers: number };
  /** Cumulative revenue per customer at `month` (12, or earlier when no cohort reached 12), over the cohorts that reached it. */
  readonly revenue12: { readonly month: number; readonly value: number | null; readonly cohorts: number; readonly customers: number };
  /** Spend rows left out, in words, for provenance. */
  readonly spendNotes: readonly string[];
}

/**
 * The Cohorts tab's order facts when the orders are summarised out of core: the monthly cohort cells
 * (what `cohortCells` gives from the rows), and the as-of option they were computed for.
 */
export interface CohortFacts {
  readonly computedFor: ComputedFor;
  readonly cells: CohortCells;
}

/** Argument name of the as-of date in the tab's messages. */
const AS_OF_ARGUMENT = "as-of date";

/**
 * The monthly cohort cells of the orders (rows → facts): from the summaries when the orders are
 * summarised out of core, else from the rows.
 *
 * @param orders the orders.
 * @param asOf the as-of option (serial), or null for the last order date.
 * @returns the cells.
 * @throws EngineError as `cohortCells` (rows); Error when the summaries lack them or were made for another as-of date (a bug).
 */
export function cohortFactsOf(orders: OrdersInput, asOf: number | null): CohortCells {
  const summarised = summarisedOf(orders);
  if (summarised !== null) return summarisedPart(summarised.cohorts, "the cohort facts", asOf).cells;
  return cohortCells(transactionsOf(orders), { period: "month", asOf, asOfArgument: AS_OF_ARGUMENT });
}

/** "Jan 1997" for a month's first day (a date serial). */
export function monthText(serial: number): string {
  const { year, month } = serialToCalendar(serial);
  return `${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month - 1]} ${year}`;
}

/** Integer month index (year × 12 + month − 1) of a date serial. */
function monthIndex(serial: number): number {
  const { year, month } = serialToCalendar(serial);
  return year * 12 + month - 1;
}

/**
 * Computes everything the Cohorts tab shows.
 *
 * @param orders the order rows.
 * @param spend the spend table, or null.
 * @param asOf analysis date (serial), or null for the last order date.
 * @param cac the CAC option (currency per new customer), or null.
 * @returns the analysis.
 * @throws EngineError INSUFFICIENT_DATA without orders; INVALID_INPUT for bad order or spend cells
 *   (argument and row named), an as-of date before the first order, or a CAC that is not a positive amount.
 */
export function analyseCohorts(orders: OrdersInput | null, spend: SpendInput | null, asOf: number | null, cac: number | null): CohortAnalysis {
  if (orders === null) {
    throw new EngineError("INSUFFICIENT_DATA", "there is no order table: cohorts need each order's customer, date and value");
  }
  const matrix = cohortMatrixFromCells(cohortFactsOf(orders, asOf), AS_OF_ARGUMENT);
  if (cac !== null && !(Number.isFinite(cac) && cac > 0)) {
    throw new EngineError("INVALID_INPUT", `CAC: ${String(cac)} is not a positive amount`, { argument: "cac" });
  }
  const first = Math.max(0, matrix.cohortCount - SHOWN_COHORTS);
  const shownCohorts = Array.from({ length: matrix.cohortCount - first }, (_, i) => first + i);
  const shownMonths = Math.min(SHOWN_MONTHS, matrix.periodCount);

  const spendNotes: string[] = [];
  const { cacSource, cacByCohort } = cacOf(matrix, spend, cac, spendNotes);
  let averageCac: number | null = null;
  if (cacByCohort !== null) {
    let weighted = 0;
    let customers = 0;
    cacByCohort.forEach((value, c) => {
      if (value === null) return;
      weighted += value * matrix.cohortSizes[c];
      customers += matrix.cohortSizes[c];
    });
    averageCac = customers > 0 ? weighted / customers : null;
  }
  const payback = cacByCohort === null ? null : cohortPayback(matrix, cacByCohort);

  const oldestReach = matrix.periodsReached[0] - 1;
  const revenueMonth = Math.min(REVENUE_MONTH, oldestReach);
  return {
    matrix,
    shownCohorts,
    shownMonths,
    cacSource,
    cacByCohort,
    averageCac,
    payback,
    medianPayback: payback === null ? null : medianPayback(payback),
    retention3: averageAtPeriod(matrix, "retention", RETENTION_MONTH),
    revenue12: { month: revenueMonth, ...averageAtPeriod(matrix, "revenue", revenueMonth) },
    spendNotes,
  };
}

/** CAC per cohort and where it came from (see the module comment). */
function cacOf(
  matrix: CohortMatrix,
  spend: SpendInput | null,
  cac: number | null,
  notes: string[],
): { cacSource: CacSource; cacByCohort: (number | null)[] | null } {
  if (cac !== null) return { cacSource: { kind: "given", cac }, cacByCohort: Array<number | null>(matrix.cohortCount).fill(cac) };
  if (spend === null) {
    return { cacSource: { kind: "none", reason: "no CAC was given and there is no marketing spend table" }, cacByCohort: null };
  }
  const rows = readSpend(spend);
  const dated = rows.periods.some((p) => p !== null);
  if (!dated) {
    let total = 0;
    for (let i = 0; i < rows.rowCount; i++) total += rows.amounts[i];
    if (!(total > 0)) return { cacSource: { kind: "none", reason: "the marketing spend table adds up to 0" }, cacByCohort: null };
    const value = total / matrix.customerCount;
    return {
      cacSource: { kind: "spendTotal", spend: total, customers: matrix.customerCount, cac: value },
      cacByCohort: Array<number | null>(matrix.cohortCount).fill(value),
    };
  }
  const cohortOfMonth = new Map<number, number>();
  for (let c = 0; c < matrix.cohortCount; c++) cohortOfMonth.set(monthIndex(matrix.cohortStarts[c]), c);
  const spendByCohort = new Float64Array(matrix.cohortCount);
  const monthsWithoutCustomers = new Set<number>();
  let undated = 0;
  let afterAsOf = 0;
  let used = 0;
  for (let i = 0; i < rows.rowCount; i++) {
    const period = rows.periods[i];
    if (period === null) {
      undated++;
      continue;
    }
    if (Math.floor(period) > matrix.asOf) {
      afterAsOf++;
      continue;
    }
    const c = cohortOfMonth.get(monthIndex(period));
    if (c === undefined) {
      if (rows.amounts[i] > 0) monthsWithoutCustomers.add(monthIndex(period));
      continue;
    }
    spendByCohort[c] += rows.amounts[i];
    used += rows.amounts[i];
  }
  if (undated > 0) notes.push(`${formatCount(undated)} spend rows without a month were left out of CAC (the other rows have months).`);
  if (afterAsOf > 0) notes.push(`${formatCount(afterAsOf)} spend rows after the as-of date were left out.`);
  if (monthsWithoutCustomers.size > 0) notes.push(`Spend in ${formatCount(monthsWithoutCustomers.size)} month(s) without new customers is not in any cohort's CAC.`);
  const cacByCohort: (number | null)[] = Array.from(spendByCohort, (amount, c) => (amount > 0 ? amount / matrix.cohortSizes[c] : null));
  const withSpend = cacByCohort.filter((v) => v !== null).length;
  if (withSpend === 0) {
    return { cacSource: { kind: "none", reason: "the marketing spend table has no spend in the months customers were acquired" }, cacByCohort: null };
  }
  let customers = 0;
  cacByCohort.forEach((v, c) => {
    if (v !== null) customers += matrix.cohortSizes[c];
  });
  return {
    cacSource: { kind: "spendByMonth", spend: used, customers, cohortsWithSpend: withSpend, monthsWithoutCustomers: monthsWithoutCustomers.size },
    cacByCohort,
  };
}
