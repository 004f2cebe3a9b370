/**
 * Lifecycle stages of customers from their order dates (B2C, domain.md §4.4).
 *
 * Glossary (days are calendar days back from as_of, as_of inclusive; thresholds editable):
 * - N (new threshold, default 30), A (active threshold, default 60), L (at-risk threshold, default 90);
 * - first / last: days since the customer's first / last order on or before as_of;
 * - comeback: an order day that follows the previous order day by more than L days (the customer had
 *   lapsed and came back).
 *
 * Stages, checked in this order (the first that applies):
 * 1. New — first ≤ N (the first purchase is recent);
 * 2. Reactivated — a comeback happened within the active window (comeback ≤ A days ago): the customer
 *    was lapsed and has bought again recently; once the comeback is more than A days old the customer
 *    is Active, At risk or Lapsed like anyone else;
 * 3. Active — last ≤ A;
 * 4. At risk — A < last ≤ L;
 * 5. Lapsed — last > L.
 * Prospects (no purchase yet) cannot appear in an order list, so no customer here is one.
 *
 * References: domain.md §4.4 (Prospect → New → Active → At risk → Lapsed → Reactivated).
 */

import type { Transactions } from "../data";
import { invalidArgument } from "../errors";
import { groupOrders } from "./orderHistory";

/** Stage names as users see them, in lifecycle order. */
export const LIFECYCLE_STAGES = ["New", "Active", "At risk", "Lapsed", "Reactivated"] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** Day thresholds [N, A, L] of the stages; 0 ≤ N ≤ A ≤ L, whole days. */
export interface LifecycleThresholds {
  /** N: a first purchase at most this many days ago makes a customer New. */
  readonly newDays: number;
  /** A: a last purchase at most this many days ago makes a customer Active. */
  readonly activeDays: number;
  /** L: a last purchase more than A and at most this many days ago makes a customer At risk; beyond it, Lapsed. */
  readonly atRiskDays: number;
}

export const DEFAULT_LIFECYCLE_THRESHOLDS: LifecycleThresholds = { newDays: 30, activeDays: 60, atRiskDays: 90 };

export interface LifecycleResult {
  /** The as_of serial used. */
  readonly asOf: number;
  readonly excludedOrders: number;
  readonly excludedCustomers: number;
  /** Kept customers' ids in order of first appearance. */
  readonly customerIds: readonly string[];
  /** Per customer: index into `Transactions.customerIds`. */
  readonly sourceCustomer: Int32Array;
  readonly stage: readonly LifecycleStage[];
  readonly daysSinceFirst: Int32Array;
  readonly daysSinceLast: Int32Array;
  /** Orders (rows) on or before as_of. */
  readonly orders: Int32Array;
}

/**
 * Checks stage thresholds.
 *
 * @param thresholds candidate [N, A, L].
 * @param argument the argument name for messages (`thresholds`).
 * @throws EngineError INVALID_INPUT when a threshold is not a whole number ≥ 0 or they are not in order N ≤ A ≤ L.
 */
export function checkLifecycleThresholds(thresholds: LifecycleThresholds, argument = "thresholds"): void {
  const entries: [string, number][] = [
    ["new", thresholds.newDays],
    ["active", thresholds.activeDays],
    ["at-risk", thresholds.atRiskDays],
  ];
  for (const [name, days] of entries) {
    if (!Number.isInteger(days) || days < 0) {
      throw invalidArgument(argument, `the ${name} threshold must be a whole number of days, 0 or more, got ${days}`);
    }
  }
  if (thresholds.newDays > thresholds.activeDays || thresholds.activeDays > thresholds.atRiskDays) {
    throw invalidArgument(
      argument,
      `must be in order new ≤ active ≤ at risk (days), got ${thresholds.newDays}, ${thresholds.activeDays}, ${thresholds.atRiskDays}`,
    );
  }
}

/**
 * Lifecycle stage of each customer.
 *
 * @param transactions orders (values are not used).
 * @param asOf as_of as an Excel serial, or null for the last order date in the data.
 * @param thresholds [N, A, L] in days; see {@link LifecycleThresholds}.
 * @returns one row per customer with an order on or before as_of, in order of first appearance.
 * @throws EngineError INVALID_INPUT for bad thresholds (see {@link checkLifecycleThresholds});
 *   INSUFFICIENT_DATA when no order is dated on or before as_of.
 *
 * References: domain.md §4.4.
 */
export function lifecycleStages(
  transactions: Transactions,
  asOf: number | null,
  thresholds: LifecycleThresholds = DEFAULT_LIFECYCLE_THRESHOLDS,
): LifecycleResult {
  checkLifecycleThresholds(thresholds);
  const history = groupOrders(transactions, asOf, "IMC.LIFECYCLE");
  const { offsets, days, asOfDay } = history;
  const n = history.customerIds.length;
  const stage = new Array<LifecycleStage>(n);
  const daysSinceFirst = new Int32Array(n);
  const daysSinceLast = new Int32Array(n);
  const orders = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const start = offsets[c];
    const end = offsets[c + 1];
    const first = asOfDay - days[start];
    const last = asOfDay - days[end - 1];
    daysSinceFirst[c] = first;
    daysSinceLast[c] = last;
    orders[c] = end - start;
    stage[c] = lifecycleStageOf(first, last, reactivatedWithin(days, start, end, asOfDay, thresholds), thresholds);
  }
  return {
    asOf: history.asOf,
    excludedOrders: history.excludedOrders,
    excludedCustomers: history.excludedCustomers,
    customerIds: history.customerIds,
    sourceCustomer: history.sourceCustomer,
    stage,
    daysSinceFirst,
    daysSinceLast,
    orders,
  };
}

/**
 * Whether a customer came back within the active window: an order day at most A days before as_of
 * that follows the previous order day by more than L days (the comeback of the Reactivated stage).
 *
 * @param days the customer's order day numbers, ascending, positions start .. end − 1 (at least one).
 * @param start first position.
 * @param end one past the last position.
 * @param asOfDay as_of's day number.
 * @param thresholds the stage thresholds (A and L are read).
 * @returns true when such a comeback happened.
 */
export function reactivatedWithin(days: ArrayLike<number>, start: number, end: number, asOfDay: number, thresholds: LifecycleThresholds): boolean {
  // Days are ascending: look back from the latest order through the active window for a comeback.
  for (let i = end - 1; i > start && asOfDay - days[i] <= thresholds.activeDays; i--) {
    if (days[i] - days[i - 1] > thresholds.atRiskDays) return true;
  }
  return false;
}

/**
 * The lifecycle stage of one customer from its measures (the rule of {@link lifecycleStages}, for
 * measures summarised elsewhere, e.g. by SQL).
 *
 * @param daysSinceFirst days from the first order to as_of.
 * @param daysSinceLast days from the last order on or before as_of to as_of.
 * @param reactivated whether a comeback happened within the active window ({@link reactivatedWithin}).
 * @param thresholds [N, A, L] in days.
 * @returns the stage.
 */
export function lifecycleStageOf(daysSinceFirst: number, daysSinceLast: number, reactivated: boolean, thresholds: LifecycleThresholds): LifecycleStage {
  if (daysSinceFirst <= thresholds.newDays) return "New";
  if (reactivated) return "Reactivated";
  if (daysSinceLast <= thresholds.activeDays) return "Active";
  if (daysSinceLast <= thresholds.atRiskDays) return "At risk";
  return "Lapsed";
}
