/**
 * A1 addresses as Excel reports them ("Orders!A1:D6001", "'Q3 Budget'!D7") and back.
 */
import { columnLetters, type RangeRef } from "../reports/sheet";

/** A rectangle of a named sheet, 0-based as in a ReportSheet. */
export interface SheetRange extends RangeRef {
  readonly sheet: string;
}

/** Excel's sheet size. */
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;

function columnIndex(letters: string): number {
  let index = 0;
  for (const ch of letters.toUpperCase()) index = index * 26 + (ch.charCodeAt(0) - 64);
  return index - 1;
}

/**
 * Parses an address Excel returns (`Range.address`): an optional sheet (quoted when it has spaces,
 * with '' for an apostrophe), then a cell, a cell range, whole columns ("A:C") or whole rows ("2:5").
 * @throws Error when the text is not such an address.
 */
export function parseAddress(address: string): SheetRange {
  const bang = address.lastIndexOf("!");
  let sheet = bang < 0 ? "" : address.slice(0, bang);
  if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  const cells = bang < 0 ? address : address.slice(bang + 1);
  const columns = /^\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})$/.exec(cells);
  if (columns !== null) return { sheet, row: 0, column: columnIndex(columns[1]), rowCount: MAX_ROWS, columnCount: columnIndex(columns[2]) - columnIndex(columns[1]) + 1 };
  const rows = /^\$?(\d+):\$?(\d+)$/.exec(cells);
  if (rows !== null) return { sheet, row: Number(rows[1]) - 1, column: 0, rowCount: Number(rows[2]) - Number(rows[1]) + 1, columnCount: MAX_COLUMNS };
  const match = /^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$/.exec(cells);
  if (match === null) throw new Error(`Excel returned an address this add-in cannot read: "${address}".`);
  const row = Number(match[2]) - 1;
  const column = columnIndex(match[1]);
  const lastRow = match[4] === undefined ? row : Number(match[4]) - 1;
  const lastColumn = match[3] === undefined ? column : columnIndex(match[3]);
  return { sheet, row, column, rowCount: lastRow - row + 1, columnCount: lastColumn - column + 1 };
}

/** A1 text of a 0-based rectangle without the sheet: "B5:D20" ("B5" for one cell). */
export function rangeAddress(row: number, column: number, rowCount: number, columnCount: number): string {
  const start = `${columnLetters(column)}${row + 1}`;
  if (rowCount === 1 && columnCount === 1) return start;
  return `${start}:${columnLetters(column + columnCount - 1)}${row + rowCount}`;
}

/** A1 text of whole columns: "C:E". */
export function columnsAddress(column: number, columnCount: number): string {
  return `${columnLetters(column)}:${columnLetters(column + columnCount - 1)}`;
}
