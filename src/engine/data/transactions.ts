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
  // Ids repeat (several orders per customer), so each cell is looked up as it is first — a number by
  // its value, a string as given — and only a miss pays for the text conversion (toText: trimming,
  // number formatting, data types). The number 1001 and the text "1001" still end up as one id.
  const indexOfText = new Map<string, number>();
  const indexOfNumber = new Map<number, number>();
  const indexOfRaw = new Map<string, number>();
  const distinct: string[] = [];
  const customerIndex = new Int32Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    const cell = idCells[i];
    let index = typeof cell === "number" ? indexOfNumber.get(cell) : typeof cell === "string" ? indexOfRaw.get(cell) : undefined;
    if (index === undefined) {
      const id = toText(cell, names.customerIds, i + 1);
      index = indexOfText.get(id);
      if (index === undefined) {
        index = distinct.length;
        distinct.push(id);
        indexOfText.set(id, index);
      }
      if (typeof cell === "number") indexOfNumber.set(cell, index);
      else if (typeof cell === "string") indexOfRaw.set(cell, index);
    }
    customerIndex[i] = index;
  }

  const dates = dateColumn(dateCells, names.orderDates, rowCount);
  const values = valueCells ? numberColumn(valueCells, names.orderValues, rowCount) : null;
  return { rowCount, customerIds: distinct, customerIndex, orderDates: dates, orderValues: values };
}
