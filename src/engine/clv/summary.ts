/**
 * Customer summary for the buy-till-you-die models: frequency, recency, T and average repeat value per
 * customer, from order rows, as of a date.
 *
 * Rules (domain.md §1.2, as in the BG/NBD literature and the `lifetimes` library):
 * - Orders are grouped per customer per **calendar day** (the integer part of the date serial), for
 *   every period unit: several orders on one day are one purchase, their values summed.
 * - frequency x = purchase days − 1 (repeat purchases); recency t_x = time from the first to the last
 *   purchase day; T = time from the first purchase day to `asOf`; all in the period unit:
 *   day = 1 day, week = 7 days, month = 365.25 / 12 = 30.4375 days.
 * - Orders dated after `asOf` (its calendar day) are left out and counted; customers whose first
 *   order is after `asOf` are left out of the summary and counted.
 * - Refund rule: a purchase day whose summed value is ≤ 0 (refunds, free orders) still counts as a
 *   purchase (a transaction happened, so it counts for BG/NBD and Pareto/NBD), but not in the average
 *   repeat value (Gamma-Gamma needs positive spend). Such days are counted in `nonPositiveDays`.
 * - monetary m̄ = mean value of the repeat purchase days with a positive value (0 when there are
 *   none); `monetaryCount` is how many days that mean covers (the Gamma-Gamma x).
 *
 * Performance: rows are grouped by customer with one counting-sort pass and put in day order within
 * each customer, then scanned once; no per-row strings or objects.
 */

import { EngineError } from "../errors";
import type { Transactions } from "../data/transactions";
import { compressTriples, type FitData } from "./fitData";

/** Time unit of frequency/recency/T and of every model fitted on them. */
export type PeriodUnit = "day" | "week" | "month";

/** Days per period unit: day 1, week 7, month 365.25 / 12 (an average Gregorian month). */
export const DAYS_PER_PERIOD: Readonly<Record<PeriodUnit, number>> = { day: 1, week: 7, month: 365.25 / 12 };

/** Per-customer summary, customers in order of first appearance in the orders. */
export interface CustomerSummary {
  readonly periodUnit: PeriodUnit;
  /** Calendar day (integer date serial) the summary is taken at. */
  readonly asOf: number;
  /** Customer ids (those with an order on or before `asOf`), in order of first appearance. */
  readonly customerIds: readonly string[];
  /** Per customer: first purchase day (integer serial). */
  readonly firstPurchase: Float64Array;
  /** Per customer: last purchase day on or before `asOf` (integer serial). */
  readonly lastPurchase: Float64Array;
  /** Per customer: order rows on or before `asOf`. */
  readonly orders: Int32Array;
  /** x: repeat purchase days. */
  readonly frequency: Float64Array;
  /** t_x: first to last purchase, in periods. */
  readonly recency: Float64Array;
  /** T: first purchase to `asOf`, in periods. */
  readonly T: Float64Array;
  /** Sum of all order values on or before `asOf` (refunds included). */
  readonly totalValue: Float64Array;
  /** m̄: mean value of the positive repeat purchase days (0 when none). */
  readonly monetary: Float64Array;
  /** Number of positive repeat purchase days averaged in `monetary`. */
  readonly monetaryCount: Float64Array;
  /** Per customer: purchase days (first included) whose summed value is ≤ 0. */
  readonly nonPositiveDays: Int32Array;
  /** Order rows dated after `asOf` (left out). */
  readonly ordersAfterAsOf: number;
  /** Customers whose first order is after `asOf` (left out). */
  readonly customersAfterAsOf: number;
}

export interface SummaryOptions {
  /** As-of date (serial; its calendar day counts); default the last order day in the data. */
  readonly asOf?: number | null;
  /** Time unit (default "week"). */
  readonly periodUnit?: PeriodUnit;
  /** Argument name of the as-of date, for messages (default "as_of"). */
  readonly asOfArgument?: string;
}

/**
 * Rows grouped by customer (one counting-sort pass, stable), with each customer's rows then put in day
 * order by insertion sort (customers have few rows; a customer with many rows falls back to a typed
 * sort of (day, row) keys). Returns, in that order, the calendar days, the values and the segment start
 * of each customer (`start[c]` .. `start[c + 1]`).
 */
function groupByCustomerAndDay(
  customerIndex: Int32Array,
  customerCount: number,
  dates: Float64Array,
  values: Float64Array | null,
): { days: Float64Array; dayValues: Float64Array; start: Int32Array } {
  const n = customerIndex.length;
  const start = new Int32Array(customerCount + 1);
  for (let i = 0; i < n; i++) start[customerIndex[i] + 1]++;
  for (let k = 1; k <= customerCount; k++) start[k] += start[k - 1];
  const next = start.slice(0, customerCount);
  const days = new Float64Array(n);
  const dayValues = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const at = next[customerIndex[i]]++;
    days[at] = Math.floor(dates[i]);
    dayValues[at] = values === null ? 0 : values[i];
  }
  for (let c = 0; c < customerCount; c++) {
    const from = start[c];
    const to = start[c + 1];
    if (to - from <= 64) {
      for (let i = from + 1; i < to; i++) {
        const day = days[i];
        const value = dayValues[i];
        let j = i - 1;
        while (j >= from && days[j] > day) {
          days[j + 1] = days[j];
          dayValues[j + 1] = dayValues[j];
          j--;
        }
        days[j + 1] = day;
        dayValues[j + 1] = value;
      }
    } else {
      const order = Int32Array.from({ length: to - from }, (_, k) => from + k).sort((i, j) => days[i] - days[j] || i - j);
      const sortedDays = Float64Array.from(order, (i) => days[i]);
      const sortedValues = Float64Array.from(order, (i) => dayValues[i]);
      days.set(sortedDays, from);
      dayValues.set(sortedValues, from);
    }
  }
  return { days, dayValues, start };
}

/**
 * Builds the per-customer summary (frequency, recency, T, values) from order rows.
 *
 * @param transactions order rows from `readTransactions` (values may be null: then all values are 0).
 * @param options `asOf` (date serial, default the last order day), `periodUnit` (default "week").
 * @returns the summary; customers in order of first appearance.
 * @throws EngineError INVALID_INPUT when `asOf` is before the first order (names the as-of argument);
 *   INSUFFICIENT_DATA when there are no orders.
 * References: Fader, Hardie & Lee (2005), §2 (x, t_x, T); Fader & Hardie (2013), §2 (m̄ = mean of the
 * repeat transactions).
 */
export function summarizeCustomers(transactions: Transactions, options: SummaryOptions = {}): CustomerSummary {
  const periodUnit = options.periodUnit ?? "week";
  const asOfArgument = options.asOfArgument ?? "as_of";
  const daysPerPeriod = DAYS_PER_PERIOD[periodUnit];
  const n = transactions.rowCount;
  if (n === 0) throw new EngineError("INSUFFICIENT_DATA", "summarizeCustomers: there are no orders");
  const customerCount = transactions.customerIds.length;
  const { days, dayValues, start } = groupByCustomerAndDay(
    transactions.customerIndex,
    customerCount,
    transactions.orderDates,
    transactions.orderValues,
  );
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (let c = 0; c < customerCount; c++) {
    if (start[c + 1] === start[c]) continue;
    if (days[start[c]] < firstDay) firstDay = days[start[c]];
    if (days[start[c + 1] - 1] > lastDay) lastDay = days[start[c + 1] - 1];
  }
  const asOf = options.asOf === null || options.asOf === undefined ? lastDay : Math.floor(options.asOf);
  if (!Number.isFinite(asOf)) throw new EngineError("INVALID_INPUT", `${asOfArgument}: not a date`, { argument: asOfArgument });
  if (asOf < firstDay) {
    throw new EngineError("INVALID_INPUT", `${asOfArgument}: the date is before the first order; choose a date on or after it`, {
      argument: asOfArgument,
    });
  }

  const firstPurchase = new Float64Array(customerCount);
  const lastPurchase = new Float64Array(customerCount);
  const orders = new Int32Array(customerCount);
  const frequency = new Float64Array(customerCount);
  const recency = new Float64Array(customerCount);
  const T = new Float64Array(customerCount);
  const totalValue = new Float64Array(customerCount);
  const monetary = new Float64Array(customerCount);
  const monetaryCount = new Float64Array(customerCount);
  const nonPositiveDays = new Int32Array(customerCount);
  const included = new Uint8Array(customerCount);
  let ordersAfterAsOf = 0;

  for (let c = 0; c < customerCount; c++) {
    const from = start[c];
    const to = start[c + 1];
    let end = from;
    while (end < to && days[end] <= asOf) end++;
    ordersAfterAsOf += to - end;
    if (end === from) continue;
    let purchaseDays = 0;
    let total = 0;
    let repeatSum = 0;
    let repeatCount = 0;
    let nonPositive = 0;
    let j = from;
    while (j < end) {
      const day = days[j];
      let daySum = 0;
      for (; j < end && days[j] === day; j++) daySum += dayValues[j];
      purchaseDays++;
      total += daySum;
      if (!(daySum > 0)) nonPositive++;
      else if (purchaseDays > 1) {
        repeatSum += daySum;
        repeatCount++;
      }
    }
    const first = days[from];
    const last = days[end - 1];
    included[c] = 1;
    firstPurchase[c] = first;
    lastPurchase[c] = last;
    orders[c] = end - from;
    frequency[c] = purchaseDays - 1;
    recency[c] = (last - first) / daysPerPeriod;
    T[c] = (asOf - first) / daysPerPeriod;
    totalValue[c] = total;
    monetary[c] = repeatCount > 0 ? repeatSum / repeatCount : 0;
    monetaryCount[c] = repeatCount;
    nonPositiveDays[c] = nonPositive;
  }

  let kept = 0;
  for (let c = 0; c < customerCount; c++) kept += included[c];
  if (kept === customerCount) {
    return {
      periodUnit,
      asOf,
      customerIds: transactions.customerIds,
      firstPurchase,
      lastPurchase,
      orders,
      frequency,
      recency,
      T,
      totalValue,
      monetary,
      monetaryCount,
      nonPositiveDays,
      ordersAfterAsOf,
      customersAfterAsOf: 0,
    };
  }
  const keep = new Int32Array(kept);
  for (let c = 0, k = 0; c < customerCount; c++) if (included[c]) keep[k++] = c;
  const pick64 = (a: Float64Array): Float64Array => {
    const out = new Float64Array(kept);
    for (let k = 0; k < kept; k++) out[k] = a[keep[k]];
    return out;
  };
  const pick32 = (a: Int32Array): Int32Array => {
    const out = new Int32Array(kept);
    for (let k = 0; k < kept; k++) out[k] = a[keep[k]];
    return out;
  };
  const ids = new Array<string>(kept);
  for (let k = 0; k < kept; k++) ids[k] = transactions.customerIds[keep[k]];
  return {
    periodUnit,
    asOf,
    customerIds: ids,
    firstPurchase: pick64(firstPurchase),
    lastPurchase: pick64(lastPurchase),
    orders: pick32(orders),
    frequency: pick64(frequency),
    recency: pick64(recency),
    T: pick64(T),
    totalValue: pick64(totalValue),
    monetary: pick64(monetary),
    monetaryCount: pick64(monetaryCount),
    nonPositiveDays: pick32(nonPositiveDays),
    ordersAfterAsOf,
    customersAfterAsOf: customerCount - kept,
  };
}

/**
 * The fit data of a summary: distinct triples of the customers with T > 0 (a customer first seen on
 * the as-of day adds a factor 1 to every likelihood here, so leaving them out changes nothing).
 */
export function fitDataOf(summary: Pick<CustomerSummary, "frequency" | "recency" | "T">): FitData {
  const { data } = compressTriples(summary.frequency, summary.recency, summary.T);
  let keep = 0;
  for (let i = 0; i < data.T.length; i++) if (data.T[i] > 0) keep++;
  if (keep === data.T.length) return data;
  const x = new Float64Array(keep);
  const t_x = new Float64Array(keep);
  const T = new Float64Array(keep);
  const weight = new Float64Array(keep);
  for (let i = 0, k = 0; i < data.T.length; i++) {
    if (data.T[i] > 0) {
      x[k] = data.x[i];
      t_x[k] = data.t_x[i];
      T[k] = data.T[i];
      weight[k++] = data.weight[i];
    }
  }
  return { x, t_x, T, weight };
}
