/**
 * Ranges and columns: what Excel sends for a range argument -> typed columns.
 *
 * A range arrives as rows of cells (`unknown[][]`), a single cell as `[[value]]`. Row-aligned arguments
 * (customer_ids, order_dates, order_values…) are checked for equal size, trailing blank rows from
 * whole-column references (`A:A`, about a million rows) are dropped, and each column is converted cell
 * by cell with the first bad row reported (1-based, counted from the first row of the range).
 *
 * These functions run over up to 1,048,576 cells, so the number paths test `typeof value === "number"`
 * before anything else and allocate nothing per plain number.
 */

import { EngineError, invalidArgument } from "../errors";
import { isBlankCell, toDateSerial, toNumber, toOptionalNumber, toText } from "./cells";
import { MAX_SERIAL } from "./dates";

/** Serials below this are dates (see toDateSerial); read once, not per cell. */
const SERIAL_END = MAX_SERIAL + 1;

/** A 2-D block of cells as Excel sends it: rows of cells. */
export type Range = readonly (readonly unknown[])[];

/** One row-aligned column for {@link alignRows}: its argument name and its cells in row order. */
export interface AlignedColumn {
  /** Argument name as the user sees it, e.g. `order_values`. */
  readonly argument: string;
  /** Cells in row order (e.g. from {@link toColumn}). */
  readonly values: readonly unknown[];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") return "text";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * Size of a range after checking that it is a non-empty rectangular 2-D array.
 *
 * @param range the argument as received; expected `unknown[][]`.
 * @param argument the argument's name as the user sees it.
 * @returns the number of rows and columns, both ≥ 1.
 * @throws EngineError INVALID_INPUT (via invalidArgument) when `range` is not an array of arrays, is
 *   empty, or its rows differ in length.
 */
export function shapeOf(range: unknown, argument: string): { rows: number; columns: number } {
  if (!Array.isArray(range)) {
    throw invalidArgument(argument, `expected a range of cells, got ${describeType(range)}`);
  }
  if (range.length === 0) throw invalidArgument(argument, "the range is empty");
  const first: unknown = range[0];
  if (!Array.isArray(first)) throw invalidArgument(argument, "expected a range of cells (rows of values), got a flat list");
  const columns = first.length;
  if (columns === 0) throw invalidArgument(argument, "the range is empty");
  for (let r = 1; r < range.length; r++) {
    const row: unknown = range[r];
    if (!Array.isArray(row)) {
      throw invalidArgument(argument, `row ${r + 1} is not a row of cells; expected a rectangular range`);
    }
    if (row.length !== columns) {
      throw invalidArgument(
        argument,
        `row ${r + 1} has ${plural(row.length, "cell")} but row 1 has ${columns}; expected a rectangular range`,
      );
    }
  }
  return { rows: range.length, columns };
}

/**
 * The cells of a one-column or one-row range, in order.
 *
 * A single row is accepted as well as a single column because users select either; a single cell gives
 * a one-element column. A bare scalar is not a range and is rejected (custom functions declare ranges
 * as `any[][]`, so Excel always sends rows of cells).
 *
 * @param range the argument as received; expected `unknown[][]` of n×1 or 1×n.
 * @param argument the argument's name as the user sees it.
 * @returns a new array of the cells, top to bottom or left to right.
 * @throws EngineError INVALID_INPUT when the range is not a valid range (see {@link shapeOf}) or has more
 *   than one row AND more than one column (`expected a single column or row, got 3 rows × 2 columns`).
 */
export function toColumn(range: unknown, argument: string): unknown[] {
  // The common case, a column of one-cell rows, is checked and copied in one pass; anything else
  // (or any irregular row) goes through shapeOf for its exact message.
  if (Array.isArray(range) && range.length > 1 && Array.isArray(range[0]) && range[0].length === 1) {
    const rows = range.length;
    const column = new Array<unknown>(rows);
    let r = 0;
    for (; r < rows; r++) {
      const row: unknown = range[r];
      if (!Array.isArray(row) || row.length !== 1) break;
      column[r] = row[0];
    }
    if (r === rows) return column;
  }
  const { rows, columns } = shapeOf(range, argument);
  const cells = range as Range;
  if (rows === 1) return cells[0].slice();
  if (columns !== 1) {
    throw invalidArgument(
      argument,
      `expected a single column or row, got ${plural(rows, "row")} × ${plural(columns, "column")}`,
    );
  }
  const column = new Array<unknown>(rows);
  for (let r = 0; r < rows; r++) column[r] = cells[r][0];
  return column;
}

/**
 * Number of rows to use for row-aligned columns: checks equal sizes, then drops trailing blank rows.
 *
 * A trailing row is dropped when every column is blank in it (`null`, `undefined`, `""`, spaces), which
 * is what whole-column references such as `A:A` send after the data. Blank rows before the last
 * non-blank row are kept: whether they are an error or skipped is the caller's decision.
 *
 * @param columns the row-aligned columns, in the order the user sees the arguments; may be empty (→ 0).
 * @param options.zeroIsBlank when true, the number 0 also counts as blank for this trimming only,
 *   because desktop Excel sends 0 for empty cells; use it only where a real row can never be all zeros.
 * @returns the row count to pass to the column functions, in [0, common length].
 * @throws EngineError INVALID_INPUT naming both arguments when two columns differ in length
 *   (`order_values has 120 rows but customer_ids has 118; row-aligned ranges must be the same size`).
 */
export function alignRows(columns: readonly AlignedColumn[], options: { zeroIsBlank?: boolean } = {}): number {
  if (columns.length === 0) return 0;
  const length = columns[0].values.length;
  for (let c = 1; c < columns.length; c++) {
    const other = columns[c];
    if (other.values.length !== length) {
      throw new EngineError(
        "INVALID_INPUT",
        `${columns[0].argument} has ${plural(length, "row")} but ${other.argument} has ${other.values.length}; ` +
          "row-aligned ranges must be the same size",
        { argument: other.argument },
      );
    }
  }
  const zeroIsBlank = options.zeroIsBlank === true;
  // Backwards from the end: the cost is the trailing blank rows plus one, whatever the data size.
  let count = length;
  while (count > 0) {
    const r = count - 1;
    let rowIsBlank = true;
    for (let c = 0; c < columns.length; c++) {
      const value = columns[c].values[r];
      if (isBlankCell(value) || (zeroIsBlank && value === 0)) continue;
      rowIsBlank = false;
      break;
    }
    if (!rowIsBlank) break;
    count = r;
  }
  return count;
}

function checkRowCount(values: readonly unknown[], argument: string, rowCount: number): void {
  if (!Number.isInteger(rowCount) || rowCount < 0 || rowCount > values.length) {
    throw invalidArgument(argument, `row count ${String(rowCount)} must be a whole number from 0 to ${values.length}`);
  }
}

/**
 * A column of required numbers.
 *
 * @param values cells in row order (from {@link toColumn}).
 * @param argument the argument's name as the user sees it.
 * @param rowCount how many leading cells to convert, in [0, values.length]; defaults to all (pass the
 *   result of {@link alignRows}).
 * @returns the numbers.
 * @throws EngineError INVALID_INPUT at the first cell that {@link toNumber} rejects (blank included),
 *   with its 1-based row; or when `rowCount` is out of range.
 */
export function numberColumn(values: readonly unknown[], argument: string, rowCount = values.length): Float64Array {
  checkRowCount(values, argument, rowCount);
  const column = new Float64Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    const value = values[i];
    // A finite number as it is (x - x is 0 only for finite x); anything else through toNumber.
    column[i] = typeof value === "number" && value - value === 0 ? value : toNumber(value, argument, i + 1);
  }
  return column;
}

/**
 * A column of optional numbers: blank cells become null.
 *
 * @param values cells in row order.
 * @param argument the argument's name as the user sees it.
 * @param rowCount how many leading cells to convert, in [0, values.length]; defaults to all.
 * @returns the numbers, null where the cell is blank (0 stays 0).
 * @throws EngineError INVALID_INPUT at the first non-blank cell that is not a number, with its 1-based
 *   row; or when `rowCount` is out of range.
 */
export function optionalNumberColumn(
  values: readonly unknown[],
  argument: string,
  rowCount = values.length,
): (number | null)[] {
  checkRowCount(values, argument, rowCount);
  const column = new Array<number | null>(rowCount);
  for (let i = 0; i < rowCount; i++) {
    column[i] = toOptionalNumber(values[i], argument, i + 1);
  }
  return column;
}

/**
 * A column of required dates as Excel serials (1900 date system, fraction = time of day).
 *
 * @param values cells in row order: date serials or date text such as `2024-01-31`.
 * @param argument the argument's name as the user sees it.
 * @param rowCount how many leading cells to convert, in [0, values.length]; defaults to all.
 * @returns the serials.
 * @throws EngineError INVALID_INPUT at the first cell that {@link toDateSerial} rejects, with its
 *   1-based row; or when `rowCount` is out of range.
 */
export function dateColumn(values: readonly unknown[], argument: string, rowCount = values.length): Float64Array {
  checkRowCount(values, argument, rowCount);
  const column = new Float64Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    const value = values[i];
    // A serial in range as it is (toDateSerial's own first test); anything else through toDateSerial.
    column[i] = typeof value === "number" && value >= 1 && value < SERIAL_END ? value : toDateSerial(value, argument, i + 1);
  }
  return column;
}

/**
 * A column of required text (ids, channels, names), trimmed; numbers become their displayed text.
 *
 * @param values cells in row order.
 * @param argument the argument's name as the user sees it.
 * @param rowCount how many leading cells to convert, in [0, values.length]; defaults to all.
 * @returns the texts.
 * @throws EngineError INVALID_INPUT at the first cell that {@link toText} rejects (blank included), with
 *   its 1-based row; or when `rowCount` is out of range.
 */
export function textColumn(values: readonly unknown[], argument: string, rowCount = values.length): string[] {
  checkRowCount(values, argument, rowCount);
  const column = new Array<string>(rowCount);
  for (let i = 0; i < rowCount; i++) column[i] = toText(values[i], argument, i + 1);
  return column;
}
