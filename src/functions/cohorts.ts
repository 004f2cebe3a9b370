/**
 * Acquisition cohorts from an order export: IMC.COHORTS.
 *
 * Thin adapter: Excel arguments → engine (src/engine/cohorts) → a spilled matrix. Same order rules as
 * IMC.CUSTOMERS: a date's calendar day counts; orders after `as_of` are left out; a refund (value ≤ 0)
 * is still an order (its customer is active in its period) and reduces revenue.
 *
 * The table: a header row "Cohort", "Customers", then one column per period since acquisition, named
 * after the period ("Month 0", "Month 1", … or "Week 0", "Quarter 0", "Year 0"); then one row per
 * cohort, oldest first, only periods in which some customer placed a first order. The cohort is the
 * first day of its period (a date serial; weeks start on Monday). Periods a cohort has not reached as
 * of `as_of` are blank, never 0 (the period holding `as_of` counts as reached).
 */

import { COHORT_MEASURES, COHORT_PERIODS, type CohortMatrix, type CohortMeasure, cohortMatrix, cohortRow, periodColumnName } from "../engine/cohorts";
import { readTransactions } from "../engine/data/transactions";
import { invalidArgument } from "../engine/errors";
import { optionChoice, optionDate } from "./arguments";
import { type SpillCell, spill } from "./table";

/** Columns of an Excel sheet: a spill wider than this cannot be shown. */
const EXCEL_COLUMNS = 16_384;

/**
 * IMC.COHORTS's table from a matrix: header, then per cohort its first day, its size and the measure
 * per period (null where not reached). Pure: the Cohorts tab shows the same rows.
 *
 * @param matrix from `cohortMatrix`.
 * @param measure what the cells show.
 * @returns rows, header first.
 */
export function cohortRows(matrix: CohortMatrix, measure: CohortMeasure): SpillCell[][] {
  const header: SpillCell[] = ["Cohort", "Customers"];
  for (let k = 0; k < matrix.periodCount; k++) header.push(periodColumnName(matrix.period, k));
  const rows: SpillCell[][] = [header];
  for (let c = 0; c < matrix.cohortCount; c++) {
    rows.push([matrix.cohortStarts[c], matrix.cohortSizes[c], ...cohortRow(matrix, measure, c)]);
  }
  return rows;
}

/**
 * Acquisition cohorts: customers grouped by the month (or week, quarter, year) of their first order, and the share still ordering (or cumulative revenue per customer) in each period since. Example: =IMC.COHORTS(A2:A500, B2:B500, C2:C500).
 * @customfunction COHORTS
 * @param customer_ids Customer id of each order (text or numbers), one column.
 * @param order_dates Order date of each order (dates or date text like 2024-01-31), same size.
 * @param order_values Order value of each order, same size. Refunds (negative) are allowed: they reduce revenue and still count as an order.
 * @param [period] Cohort period: "month" (default), "week" (Monday to Sunday), "quarter" or "year".
 * @param [as_of] Date to look at; later orders are left out and later periods are blank. Default: the last order date.
 * @param [measure] "retention" (default: share of the cohort ordering in the period; 100% in period 0), "revenue" (cumulative revenue per cohort customer up to and including the period), "customers" (customers ordering in the period) or "orders" (orders in the period).
 * @returns A table with a header row (Cohort, Customers, Month 0, Month 1, …), one row per cohort, oldest first; the cohort is the first day of its period.
 */
export function cohorts(
  customer_ids: any[][],
  order_dates: any[][],
  order_values: any[][],
  period?: any[][],
  as_of?: any[][],
  measure?: any[][],
): any[][] {
  return spill("IMC.COHORTS", () => {
    const periodUnit = optionChoice(period ?? null, "period", COHORT_PERIODS) ?? "month";
    const asOf = optionDate(as_of ?? null, "as_of");
    const shown = optionChoice(measure ?? null, "measure", COHORT_MEASURES) ?? "retention";
    const transactions = readTransactions(customer_ids, order_dates, order_values);
    const matrix = cohortMatrix(transactions, { period: periodUnit, asOf });
    if (matrix.periodCount + 2 > EXCEL_COLUMNS) {
      throw invalidArgument(
        asOf === null ? "period" : "as_of",
        `${matrix.periodCount} ${matrix.period}s from the first order to the as-of date do not fit in Excel's ${EXCEL_COLUMNS} columns; choose a longer period${asOf === null ? "" : " or an earlier as_of"}`,
      );
    }
    return cohortRows(matrix, shown);
  });
}
