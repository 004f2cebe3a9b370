/**
 * Order (transaction) columns -> typed, row-aligned arrays with customers numbered in order of first
 * appearance. Shared by the customer summary (probabilistic CLV), RFM and lifecycle stages, which all
 * take `customer_ids, order_dates[, order_values]`.
 *
 * Blank rows at the end (whole-column references) are dropped; a blank cell anywhere else is an error
 * naming the argument and row, never a silently skipped order. Desktop Excel sends 0 for an empty cell,
 * and a row whose id, date and value are all 0 cannot be a real order (0 is not a date), so trailing
 * all-zero rows count as blank too.
 */

import { EngineError } from "../errors";
import { toText } from "./cells";
import { alignRows, dateColumn, numberColumn, toColumn } from "./range";

/** Whole-number ids below this (and below a few times the row count) are looked up in a typed array, not a Map. */
const MAX_DENSE_ID = 1 << 26;

/** Argument names as the user sees them, for messages. */
export interface TransactionArgumentNames {
  readonly customerIds: string;
  readonly orderDates: string;
  readonly orderValues: string;
}

export const DEFAULT_TRANSACTION_ARGUMENTS: TransactionArgumentNames = {
  customerIds: "customer_ids",
  orderDates: "order_dates",
  orderValues: "order_values",
};

/** Orders as typed columns. Row i of every array is row i + 1 of the user's ranges. */
export interface Transactions {
  /** Number of order rows used (trailing blank rows excluded). */
  readonly rowCount: number;
  /** Distinct customer ids (trimmed text; the number 1001 and the text "1001" are one id), in order of first appearance. */
  readonly customerIds: readonly string[];
  /** Per row: index into `customerIds`. */
  readonly customerIndex: Int32Array;
  /** Per row: order date as an Excel serial (fraction = time of day). */
  readonly orderDates: Float64Array;
  /** Per row: order value (may be negative or zero: refunds are the caller's rule), or null when no values were given. */
  readonly orderValues: Float64Array | null;
}

/**
 * Reads order columns into {@link Transactions}.
 *
 * @param customerIds a one-column (or one-row) range of ids: text or numbers.
 * @param orderDates a range of the same size: date serials or ISO date text.
 * @param orderValues a range of the same size with numbers, or null when the caller needs no values.
 * @param names argument names for messages (defaults: customer_ids, order_dates, order_values).
 * @returns the typed columns.
 * @throws EngineError INVALID_INPUT for a non-range, a 2-D range, mismatched lengths, or a bad cell
 *   (blank, text date that is not a date, non-numeric value) with its row;
 *   INSUFFICIENT_DATA when there are no orders at all.
 */
export function readTransactions(
  customerIds: unknown,
  orderDates: unknown,
  orderValues: unknown | null,
  names: TransactionArgumentNames = DEFAULT_TRANSACTION_ARGUMENTS,
): Transactions {
  const idCells = toColumn(customerIds, names.customerIds);
  const dateCells = toColumn(orderDates, names.orderDates);
  const valueCells = orderValues === null || orderValues === undefined ? null : toColumn(orderValues, names.orderValues);
  const columns = [
    { argument: names.customerIds, values: idCells },
    { argument: names.orderDates, values: dateCells },
    ...(valueCells ? [{ argument: names.orderValues, values: valueCells }] : []),
  ];
  const rowCount = alignRows(columns, { zeroIsBlank: true });
  if (rowCount === 0) {
    throw new EngineError("INSUFFICIENT_DATA", `${names.customerIds}: no orders; the ranges are blank`, {
      argument: names.customerIds,
    });
  }
  const { distinct, customerIndex } = readCustomerIds(idCells, names.customerIds, rowCount);
  const dates = dateColumn(dateCells, names.orderDates, rowCount);
  const values = valueCells ? numberColumn(valueCells, names.orderValues, rowCount) : null;
  return { rowCount, customerIds: distinct, customerIndex, orderDates: dates, orderValues: values };
}

/**
 * Customer ids -> distinct ids (trimmed text, in order of first appearance) and each row's index.
 *
 * Ids repeat (several orders per customer), so each cell is looked up as it is first and only a miss
 * pays for the text conversion (toText: trimming, number formatting, data types, errors with the
 * row): a cell equal to the previous row's reuses its index (exports are often grouped by customer);
 * a whole number 0 ≤ id < a few times the row count is looked up in a typed array; other numbers in
 * a Map of numbers; a string by its trimmed text (its id, as toText gives it) in the Map of texts,
 * one look-up per row. Texts are matched in a Map only once some id is not such a whole number
 * (two different whole numbers never have the same text). The number 1001 and the text "1001" still
 * end up as one id, because every id goes through the same text.
 */
function readCustomerIds(
  idCells: readonly unknown[],
  argument: string,
  rowCount: number,
): { distinct: string[]; customerIndex: Int32Array } {
  const indexOfText = new Map<string, number>();
  const indexOfNumber = new Map<number, number>();
  // Index + 1 of the whole-number id k at dense[k] (0: not seen yet); grown on demand up to denseLimit.
  const denseLimit = Math.min(MAX_DENSE_ID, Math.max(1024, 4 * rowCount));
  let dense = new Int32Array(Math.min(denseLimit, 1024));
  const distinct: string[] = [];
  const customerIndex = new Int32Array(rowCount);
  let onlyDense = true;
  let previous: unknown = undefined;
  let previousIndex = -1;
  for (let i = 0; i < rowCount; i++) {
    const cell = idCells[i];
    if (previousIndex >= 0 && cell === previous) {
      customerIndex[i] = previousIndex;
      continue;
    }
    let index: number | undefined;
    const isDense = typeof cell === "number" && cell >= 0 && cell < denseLimit && Math.floor(cell) === cell;
    if (isDense) {
      if (cell >= dense.length) {
        let size = dense.length * 2;
        while (size <= cell) size *= 2;
        const grown = new Int32Array(Math.min(size, denseLimit));
        grown.set(dense);
        dense = grown;
      }
      const stored = dense[cell];
      index = stored === 0 ? undefined : stored - 1;
    } else if (typeof cell === "number") index = indexOfNumber.get(cell);
    else if (typeof cell === "string") {
      // A string's id is its trimmed text: looked up by that directly (one Map, not two).
      const id = cell.trim();
      if (id.length === 0) toText(cell, argument, i + 1); // throws: blank
      if (onlyDense) {
        onlyDense = false;
        for (let k = 0; k < distinct.length; k++) indexOfText.set(distinct[k], k);
      }
      index = indexOfText.get(id);
      if (index === undefined) {
        index = distinct.length;
        distinct.push(id);
        indexOfText.set(id, index);
      }
    }
    if (index === undefined) {
      const id = toText(cell, argument, i + 1);
      if (onlyDense && !isDense) {
        // The first id that is not a whole number: from now on texts are matched through the Map.
        onlyDense = false;
        for (let k = 0; k < distinct.length; k++) indexOfText.set(distinct[k], k);
      }
      // While every id so far is a whole number, distinct numbers are distinct texts: no Map needed.
      index = onlyDense ? undefined : indexOfText.get(id);
      if (index === undefined) {
        index = distinct.length;
        distinct.push(id);
        if (!onlyDense) indexOfText.set(id, index);
      }
      if (isDense) dense[cell as number] = index + 1;
      else if (typeof cell === "number") indexOfNumber.set(cell, index);
    }
    customerIndex[i] = index;
    // Only plain cells are reused as they are: an object (data type) is converted every time.
    if (typeof cell === "number" || typeof cell === "string") {
      previous = cell;
      previousIndex = index;
    } else previousIndex = -1;
  }
  return { distinct, customerIndex };
}
