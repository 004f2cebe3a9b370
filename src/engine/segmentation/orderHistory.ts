/**
 * Orders grouped per customer up to an `as_of` date: the common ground of RFM scores and lifecycle
 * stages (both measure time back from `as_of` in calendar days).
 *
 * Glossary:
 * - day number: a calendar day as a whole number, from an Excel serial (the time of day is dropped);
 *   differences of day numbers are real day counts (Excel's fake 1900-02-29 is folded into 1 March);
 * - as_of: the day the analysis looks back from; orders on the as_of day count, orders after it are
 *   left out and counted (a report "as of" a past date must not see the future);
 * - kept customer: a customer with at least one order on or before as_of.
 *
 * Grouping is a counting sort by customer (O(rows)); within a customer the days and the values are
 * each sorted ascending, so that sums do not depend on row order (floating-point addition is not
 * associative: 0.1 + 0.2 + 0.3 differs from 0.3 + 0.2 + 0.1 in the last bit, which could move a
 * customer across a quintile break when the same orders arrive in another order).
 */

import { formatSerial, type Transactions } from "../data";
import { EngineError } from "../errors";

/** Serial of Excel's fake 1900-02-29; from serial 61 on, one serial is one real day after the previous. */
const FAKE_LEAP_DAY_SERIAL = 60;

/**
 * Calendar day number of an Excel date serial: whole days, time of day dropped.
 *
 * @param serial an Excel date serial (1900 date system), ≥ 1.
 * @returns an integer whose differences are real calendar-day counts.
 */
export function dayNumber(serial: number): number {
  const day = Math.floor(serial);
  // Serials 1..59 lie one day "late" against the real calendar (Excel's 1900 leap-year bug);
  // serial 60 (the day that never was) is counted as 1 March.
  return day > FAKE_LEAP_DAY_SERIAL ? day - 1 : day;
}

/** Orders on or before as_of, grouped per kept customer. */
export interface OrderHistory {
  /** The as_of serial used: the given one, or the last order date in the data. */
  readonly asOf: number;
  /** Day number of as_of (see {@link dayNumber}). */
  readonly asOfDay: number;
  /** Kept customers' ids in order of first appearance in the ranges. */
  readonly customerIds: readonly string[];
  /** Per kept customer: index into `Transactions.customerIds` (to find the customer's first row). */
  readonly sourceCustomer: Int32Array;
  /** Per kept customer c, its orders are positions offsets[c] .. offsets[c+1]−1 of `days` and `values`. */
  readonly offsets: Int32Array;
  /** Order day numbers, grouped by customer, ascending within a customer. */
  readonly days: Int32Array;
  /** Order values grouped by customer, ascending within a customer (not paired with `days`); null without values. */
  readonly values: Float64Array | null;
  /** Orders dated after as_of, left out. */
  readonly excludedOrders: number;
  /** Customers whose every order is after as_of, left out. */
  readonly excludedCustomers: number;
}

// Two copies of one insertion sort, one per array type: a function that sees both an Int32Array and a
// Float64Array gets slow polymorphic element access. Most customers have a handful of orders, and
// subarray().sort() would allocate for each of them, so only long segments use the built-in sort.
function sortDays(array: Int32Array, start: number, end: number): void {
  if (end - start > 24) {
    array.subarray(start, end).sort();
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const value = array[i];
    let j = i - 1;
    while (j >= start && array[j] > value) {
      array[j + 1] = array[j];
      j--;
    }
    array[j + 1] = value;
  }
}

function sortValues(array: Float64Array, start: number, end: number): void {
  if (end - start > 24) {
    array.subarray(start, end).sort();
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const value = array[i];
    let j = i - 1;
    while (j >= start && array[j] > value) {
      array[j + 1] = array[j];
      j--;
    }
    array[j + 1] = value;
  }
}

/**
 * Groups orders on or before `asOf` per customer.
 *
 * @param transactions orders from `readTransactions` (at least one row).
 * @param asOf the as_of date as an Excel serial, or null for the last order date in the data.
 * @param functionName the caller's name for messages, e.g. `IMC.RFM`.
 * @returns the grouped orders; see {@link OrderHistory}.
 * @throws EngineError INSUFFICIENT_DATA when no order is dated on or before as_of.
 */
export function groupOrders(transactions: Transactions, asOf: number | null, functionName: string): OrderHistory {
  const { rowCount, orderDates, customerIndex, orderValues } = transactions;
  const sourceCount = transactions.customerIds.length;
  let asOfSerial = asOf ?? -Infinity;
  if (asOf === null) for (let i = 0; i < rowCount; i++) if (orderDates[i] > asOfSerial) asOfSerial = orderDates[i];
  const asOfDay = dayNumber(asOfSerial);

  const rowDays = new Int32Array(rowCount);
  const counts = new Int32Array(sourceCount);
  let excludedOrders = 0;
  for (let i = 0; i < rowCount; i++) {
    const day = dayNumber(orderDates[i]);
    rowDays[i] = day;
    if (day > asOfDay) excludedOrders++;
    else counts[customerIndex[i]]++;
  }

  // Kept customers keep their order of first appearance; `slot` maps a source customer to it.
  const slot = new Int32Array(sourceCount).fill(-1);
  let keptCount = 0;
  for (let c = 0; c < sourceCount; c++) if (counts[c] > 0) slot[c] = keptCount++;
  if (keptCount === 0) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      `${functionName}: no orders on or before as_of (${formatSerial(Math.floor(asOfSerial))}); all ${rowCount} are later`,
      { argument: "as_of" },
    );
  }
  const customerIds = new Array<string>(keptCount);
  const sourceCustomer = new Int32Array(keptCount);
  const offsets = new Int32Array(keptCount + 1);
  for (let c = 0; c < sourceCount; c++) {
    const k = slot[c];
    if (k < 0) continue;
    customerIds[k] = transactions.customerIds[c];
    sourceCustomer[k] = c;
    offsets[k + 1] = counts[c];
  }
  for (let k = 0; k < keptCount; k++) offsets[k + 1] += offsets[k];

  const keptRows = rowCount - excludedOrders;
  const days = new Int32Array(keptRows);
  const values = orderValues === null ? null : new Float64Array(keptRows);
  const cursor = offsets.slice(0, keptCount);
  for (let i = 0; i < rowCount; i++) {
    if (rowDays[i] > asOfDay) continue;
    const position = cursor[slot[customerIndex[i]]]++;
    days[position] = rowDays[i];
    if (values !== null) values[position] = orderValues![i];
  }
  for (let k = 0; k < keptCount; k++) {
    sortDays(days, offsets[k], offsets[k + 1]);
    if (values !== null) sortValues(values, offsets[k], offsets[k + 1]);
  }
  return {
    asOf: asOfSerial,
    asOfDay,
    customerIds,
    sourceCustomer,
    offsets,
    days,
    values,
    excludedOrders,
    excludedCustomers: sourceCount - keptCount,
  };
}
