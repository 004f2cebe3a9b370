/**
 * Per-customer facts of the order tabs built on customers (Segmentation, Customer Value): what the
 * tabs read of the order rows, one entry per customer, so that they can be computed either from the
 * rows in memory (here) or summarised out of core by SQL (src/cli/duckdb/report/customerFacts.ts),
 * and the tabs built from them alike.
 *
 * Customers are those with an order on or before the as-of day, in order of first appearance in the
 * order rows (their first row, all rows counted). Days are whole calendar days; the as-of date is the
 * one given (its day) or the last order day.
 *
 * - Segment facts (IMC.RFM and IMC.LIFECYCLE): days since the last and the first order, orders
 *   (rows), revenue (the total of the values, added in ascending order as the engine adds them, so it
 *   does not depend on row order), and whether the customer came back within the active window (an
 *   order day at most A days before as of that follows the previous one by more than L days: the
 *   Reactivated rule, so these facts hold for the thresholds they were computed for).
 * - Value facts (the customer-value models): the engine's customer summary (frequency, recency, T,
 *   m̄…) and, with a holdout, the calibration summary at as of − holdout with each calibration
 *   customer's purchase days in the holdout.
 */

import { type CalibrationHoldout, type CustomerSummary, DAYS_PER_PERIOD, type PeriodUnit, splitCalibrationHoldout, summarizeCustomers } from "../engine/clv";
import type { Transactions } from "../engine/data";
import { checkLifecycleThresholds, type LifecycleThresholds, reactivatedWithin, type RfmMeasures } from "../engine/segmentation";
import { groupOrders } from "../engine/segmentation/orderHistory";
import { rfmOf, transactionsOf } from "./format";
import type { OrdersInput } from "./inputs";

/** The options the facts are computed for. */
export interface CustomerFactsOptions {
  /** The as-of date asked for (Excel serial; its day counts), or null for the last order day. */
  readonly asOf: number | null;
  /** Time unit of the customer summary (Customer Value's period). */
  readonly periodUnit: PeriodUnit;
  /** Holdout periods of the Customer Value check, or null for none. */
  readonly holdoutPeriods: number | null;
  /** Lifecycle thresholds (the Reactivated flag depends on A and L). */
  readonly thresholds: LifecycleThresholds;
}

/** What the Segmentation tab (and the Customer Value tab's RFM segments) read of the orders. */
export interface SegmentFacts {
  /** The as-of date asked for, or null. */
  readonly asOfOption: number | null;
  /** The thresholds the Reactivated flags were computed for. */
  readonly thresholds: LifecycleThresholds;
  /** Order rows read (all of them, later ones too). */
  readonly rowCount: number;
  /** The as-of day used (Excel serial of a whole day). */
  readonly asOfDay: number;
  /** Customers with an order up to as of (the engine's id text), in order of first appearance. */
  readonly customerIds: readonly string[];
  /** 1 where the source held the customer's id as a number (written back as a number), 0 as text. */
  readonly numericIds: Uint8Array;
  /** Days from the customer's last order (on or before as of) to as of. */
  readonly recencyDays: Int32Array;
  /** Days from the first order to as of. */
  readonly daysSinceFirst: Int32Array;
  /** Order rows up to as of. */
  readonly orders: Int32Array;
  /** Total of the order values up to as of (refunds reduce it), added in ascending order of value. */
  readonly revenue: Float64Array;
  /** 1 when the customer came back within the active window (the Reactivated rule for `thresholds`). */
  readonly reactivated: Uint8Array;
  /** Order rows dated after as of (left out). */
  readonly ordersAfterAsOf: number;
  /** Customers whose every order is after as of (left out). */
  readonly customersAfterAsOf: number;
  /** Order rows up to as of with a negative value. */
  readonly refundRows: number;
}

/** The holdout split: the calibration summary and the holdout purchases of its customers. */
export interface HoldoutFacts {
  /** The holdout periods asked for. */
  readonly holdoutPeriods: number;
  /** The first order day of all rows (Excel serial). */
  readonly firstDay: number;
  /** The split, or null when the holdout is not a positive number or reaches before the first order (the check says so). */
  readonly split: CalibrationHoldout | null;
}

/** What the Customer Value tab reads of the orders. */
export interface ValueFacts {
  readonly asOfOption: number | null;
  readonly periodUnit: PeriodUnit;
  /** Order rows read. */
  readonly rowCount: number;
  /** The engine's customer summary at as of (the same customers, in the same order, as the segment facts). */
  readonly summary: CustomerSummary;
  /** The holdout split, or null without a holdout. */
  readonly holdout: HoldoutFacts | null;
}

/** Both tabs' facts, computed for one set of options. */
export interface CustomerFacts {
  readonly options: CustomerFactsOptions;
  readonly segments: SegmentFacts;
  readonly value: ValueFacts;
}

/**
 * The calibration end of a holdout: as of − holdout periods, its whole day; null when the holdout is
 * not a positive number or the end is before the first order day (then the check explains).
 *
 * @param asOfDay the as-of day (serial).
 * @param holdoutPeriods holdout length in periods.
 * @param periodUnit the period unit.
 * @param firstDay the first order day of all rows.
 */
export function calibrationEndOf(asOfDay: number, holdoutPeriods: number, periodUnit: PeriodUnit, firstDay: number): number | null {
  if (!(Number.isFinite(holdoutPeriods) && holdoutPeriods > 0)) return null;
  const end = Math.floor(asOfDay - holdoutPeriods * DAYS_PER_PERIOD[periodUnit]);
  return end < firstDay ? null : end;
}

/**
 * The segment facts of order rows in memory.
 *
 * @param orders the orders (their raw id cells tell numeric ids).
 * @param asOf the as-of date asked for, or null.
 * @param thresholds lifecycle thresholds.
 * @throws EngineError as `rfmScores` and `lifecycleStages` do (bad cells, no order up to as of, bad thresholds).
 */
export function segmentFactsOf(orders: OrdersInput, asOf: number | null, thresholds: LifecycleThresholds): SegmentFacts {
  const transactions = transactionsOf(orders);
  const rfm = rfmOf(transactions, asOf);
  checkLifecycleThresholds(thresholds);
  const history = groupOrders(transactions, asOf, "IMC.LIFECYCLE");
  const n = history.customerIds.length;
  const daysSinceFirst = new Int32Array(n);
  const reactivated = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    const start = history.offsets[c];
    const end = history.offsets[c + 1];
    daysSinceFirst[c] = history.asOfDay - history.days[start];
    reactivated[c] = reactivatedWithin(history.days, start, end, history.asOfDay, thresholds) ? 1 : 0;
  }
  const asOfDay = Math.floor(rfm.asOf);
  // Ids as the source had them: a number where the order list holds the id as a number.
  const numeric = new Set<string>();
  for (const raw of orders.customerIds) if (typeof raw === "number") numeric.add(String(raw));
  let refundRows = 0;
  for (let i = 0; i < transactions.rowCount; i++) {
    if (transactions.orderValues![i] < 0 && Math.floor(transactions.orderDates[i]) <= asOfDay) refundRows++;
  }
  return {
    asOfOption: asOf,
    thresholds,
    rowCount: transactions.rowCount,
    asOfDay,
    customerIds: rfm.customerIds,
    numericIds: Uint8Array.from(rfm.customerIds, (id) => (numeric.has(id) ? 1 : 0)),
    recencyDays: rfm.recencyDays,
    daysSinceFirst,
    orders: rfm.frequency,
    revenue: rfm.monetary,
    reactivated,
    ordersAfterAsOf: rfm.excludedOrders,
    customersAfterAsOf: rfm.excludedCustomers,
    refundRows,
  };
}

/**
 * The value facts of order rows in memory.
 *
 * @param transactions the orders as the engine reads them.
 * @param asOf the as-of date asked for, or null.
 * @param periodUnit the period unit.
 * @param holdoutPeriods holdout periods, or null for none.
 * @throws EngineError as `summarizeCustomers` does.
 */
export function valueFactsOf(transactions: Transactions, asOf: number | null, periodUnit: PeriodUnit, holdoutPeriods: number | null): ValueFacts {
  const summary = summarizeCustomers(transactions, { asOf, periodUnit });
  let holdout: HoldoutFacts | null = null;
  if (holdoutPeriods !== null) {
    let firstDay = Infinity;
    for (let i = 0; i < transactions.rowCount; i++) firstDay = Math.min(firstDay, Math.floor(transactions.orderDates[i]));
    const calibrationEnd = calibrationEndOf(summary.asOf, holdoutPeriods, periodUnit, firstDay);
    const split = calibrationEnd === null ? null : splitCalibrationHoldout(transactions, { calibrationEnd, holdoutEnd: summary.asOf, periodUnit });
    holdout = { holdoutPeriods, firstDay, split };
  }
  return { asOfOption: asOf, periodUnit, rowCount: transactions.rowCount, summary, holdout };
}

/**
 * Both tabs' facts of order rows in memory (what the SQL route must equal).
 *
 * @param orders the orders, read row by row.
 * @param options the options to compute them for.
 * @throws EngineError as {@link segmentFactsOf} and {@link valueFactsOf}.
 */
export function customerFactsOf(orders: OrdersInput, options: CustomerFactsOptions): CustomerFacts {
  const segments = segmentFactsOf(orders, options.asOf, options.thresholds);
  const value = valueFactsOf(transactionsOf(orders), options.asOf, options.periodUnit, options.holdoutPeriods);
  return { options, segments, value };
}

/** The RFM measures of segment facts, for `rfmFromColumns` (each customer its own source index). */
export function rfmMeasuresOf(facts: SegmentFacts): RfmMeasures {
  return {
    asOf: facts.asOfDay,
    excludedOrders: facts.ordersAfterAsOf,
    excludedCustomers: facts.customersAfterAsOf,
    customerIds: facts.customerIds,
    sourceCustomer: Int32Array.from(facts.customerIds, (_, c) => c),
    recencyDays: facts.recencyDays,
    frequency: facts.orders,
    monetary: facts.revenue,
  };
}

/** True when two as-of options name the same day (both null, or equal days). */
export function sameAsOf(a: number | null, b: number | null): boolean {
  return a === null || b === null ? a === b : Math.floor(a) === Math.floor(b);
}

/**
 * Checks that summarised facts were computed for a tab's options; a mismatch is a bug of the caller
 * that summarised them (the tab would show numbers for other options), so a plain Error says so.
 *
 * @param facts the summarised facts.
 * @param wanted the options the tab is built for (only those given are compared).
 * @param tab the tab's name, for the message.
 * @throws Error naming the option that differs.
 */
export function checkFactsFor(facts: CustomerFacts, wanted: Partial<CustomerFactsOptions>, tab: string): void {
  const had = facts.options;
  const differs: string[] = [];
  if ("asOf" in wanted && !sameAsOf(had.asOf, wanted.asOf ?? null)) differs.push(`as-of ${String(had.asOf)} instead of ${String(wanted.asOf)}`);
  if (wanted.periodUnit !== undefined && had.periodUnit !== wanted.periodUnit) differs.push(`period ${had.periodUnit} instead of ${wanted.periodUnit}`);
  if ("holdoutPeriods" in wanted && had.holdoutPeriods !== (wanted.holdoutPeriods ?? null)) {
    differs.push(`holdout ${String(had.holdoutPeriods)} instead of ${String(wanted.holdoutPeriods)}`);
  }
  const t = wanted.thresholds;
  if (t !== undefined && (t.newDays !== had.thresholds.newDays || t.activeDays !== had.thresholds.activeDays || t.atRiskDays !== had.thresholds.atRiskDays)) {
    differs.push(`lifecycle thresholds ${JSON.stringify(had.thresholds)} instead of ${JSON.stringify(t)}`);
  }
  if (differs.length > 0) throw new Error(`${tab}: the summarised customer facts were computed for other options (${differs.join("; ")}); a bug of the caller that summarised them`);
}
