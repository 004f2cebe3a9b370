/**
 * Where a table sits in a sheet as people make them: its header row below a title and blank rows,
 * an Excel table's header and totals rows, blank rows inside the data, and a "Total" row at the
 * end. Pure: the runner reads a workbook into rows of cells, the wizards will read a range.
 *
 * Rows are indexes into `sheet.rows` here; what reaches a user is the Excel row number
 * (`firstRow + index`). Rows may be ragged: a cell past a row's end is blank.
 */

import { EngineError } from "../engine/errors";
import type { SheetCells } from "./detect";

/** Rows looked at to find the header: the first ones that hold anything. */
const HEADER_SEARCH_ROWS = 20;

/** A cell of a sheet, blank (null) past a row's end. */
export function cellAt(sheet: SheetCells, row: number, column: number): unknown {
  return sheet.rows[row]?.[column] ?? null;
}

/** True for null, undefined and text of spaces only. */
export function isBlankValue(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}

/** True when every cell of the row is blank (a missing row too). */
export function isBlankRow(sheet: SheetCells, row: number): boolean {
  const cells = sheet.rows[row];
  return cells === undefined || cells.every(isBlankValue);
}

/** Excel row number of a row index. */
export function excelRowOf(sheet: SheetCells, row: number): number {
  return (sheet.firstRow ?? 1) + row;
}

/** Column letters of a column index of the sheet's rows ("A" for the sheet's first column). */
export function columnLettersOf(sheet: SheetCells, column: number): string {
  let text = "";
  for (let n = (sheet.firstColumn ?? 0) + column + 1; n > 0; n = Math.floor((n - 1) / 26)) text = String.fromCharCode(65 + ((n - 1) % 26)) + text;
  return text;
}

/** Where the header and the data of a sheet are. */
export interface SheetLayout {
  /** Index in `rows` of the header row. */
  readonly headerIndex: number;
  /** The headers as the user typed them (trimmed; "" for a blank header), by column index. */
  readonly headers: readonly string[];
  /** Index of the first row after the header, and one past the last row that may hold data. */
  readonly dataStart: number;
  readonly dataEnd: number;
  /** Excel rows of an Excel table's totals row(s): never data. */
  readonly tableTotals: readonly number[];
  /** How the header row was found: "first row", "given", "Excel table Sales", "below the title rows". */
  readonly how: string;
}

function parseRef(ref: string): { firstRow: number; lastRow: number } | null {
  const match = /^\$?[A-Z]+\$?(\d+)(?::\$?[A-Z]+\$?(\d+))?$/i.exec(ref.trim());
  if (match === null) return null;
  const firstRow = Number(match[1]);
  return { firstRow, lastRow: match[2] === undefined ? firstRow : Number(match[2]) };
}

function headersOf(sheet: SheetCells, row: number): string[] {
  return (sheet.rows[row] ?? []).map((cell) => (isBlankValue(cell) ? "" : String(cell).trim()));
}

/**
 * The header row and data range of a sheet.
 *
 * The header is, in order: the row the caller gives; an Excel table's header row; else the best of
 * the first {@link HEADER_SEARCH_ROWS} non-blank rows, scored by how many cells are known header
 * names (four points each) and how many are text (one point), counting only rows of two or more
 * cells that are all text, have a row below them and come before the first row holding numbers
 * under a candidate (the data); the earliest wins a tie, and the first non-blank row when no row
 * qualifies.
 *
 * @param sheet the sheet.
 * @param isKnownHeader whether a header names a known column (a role synonym, a KPI, a PII name).
 * @param headerRow Excel row number of the header, when the caller gives it.
 * @returns the layout, or null when the given header row is outside the sheet.
 */
export function sheetLayout(sheet: SheetCells, isKnownHeader: (header: string) => boolean, headerRow?: number): SheetLayout | null {
  const table = (sheet.tables ?? [])
    .map((candidate) => ({ candidate, ref: parseRef(candidate.ref) }))
    .find(({ candidate, ref }) => ref !== null && candidate.headerRowCount > 0);
  let dataEnd = sheet.rows.length;
  const tableTotals: number[] = [];
  let tableHeader = -1;
  if (table !== undefined && table.ref !== null) {
    tableHeader = table.ref.firstRow - (sheet.firstRow ?? 1);
    const totals = Math.max(0, table.candidate.totalsRowCount);
    dataEnd = Math.min(sheet.rows.length, table.ref.lastRow - (sheet.firstRow ?? 1) + 1 - totals);
    for (let t = 0; t < totals; t++) tableTotals.push(table.ref.lastRow - t);
    tableTotals.reverse();
  }
  const make = (headerIndex: number, how: string): SheetLayout => ({
    headerIndex,
    headers: headersOf(sheet, headerIndex),
    dataStart: headerIndex + 1,
    dataEnd: Math.max(dataEnd, headerIndex + 1),
    tableTotals,
    how,
  });
  if (headerRow !== undefined) {
    const index = headerRow - (sheet.firstRow ?? 1);
    if (!Number.isInteger(index) || index < 0 || index >= sheet.rows.length) return null;
    // A row of numbers is data: taking it for the header would drop it and every row above it.
    const numbers = (sheet.rows[index] ?? []).filter((cell) => typeof cell === "number" || typeof cell === "boolean");
    if (numbers.length > 0) {
      throw new EngineError("INVALID_INPUT", `row ${headerRow} of sheet "${sheet.name}" holds data (${numbers.slice(0, 3).map(String).join(", ")}), not column headers`, { argument: "header_row" });
    }
    return make(index, "given");
  }
  if (tableHeader >= 0 && tableHeader < sheet.rows.length) return make(tableHeader, `Excel table ${table!.candidate.name}`);

  let best = -1;
  let bestScore = 0;
  let firstFilled = -1;
  let looked = 0;
  for (let r = 0; r < sheet.rows.length && looked < HEADER_SEARCH_ROWS; r++) {
    if (isBlankRow(sheet, r)) continue;
    looked++;
    if (firstFilled < 0) firstFilled = r;
    const cells = (sheet.rows[r] ?? []).filter((cell) => !isBlankValue(cell));
    const allText = cells.every((cell) => typeof cell === "string");
    // The header comes before the data: once a row holds numbers, later rows are data too.
    if (cells.length >= 2 && !allText && best >= 0) break;
    if (cells.length < 2 || !allText) continue;
    let below = r + 1;
    while (below < sheet.rows.length && isBlankRow(sheet, below)) below++;
    if (below >= sheet.rows.length) continue;
    const score = cells.reduce<number>((sum, cell) => sum + (isKnownHeader(String(cell)) ? 4 : 1), 0);
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  if (best < 0) return make(Math.max(0, firstFilled), "first row");
  return make(best, best === firstFilled ? "first row" : "below the title rows");
}

// Labels of a row that sums the rows above it, compared in lower case with letters only.
const TOTAL_LABELS = new Set([
  "total",
  "totals",
  "grandtotal",
  "subtotal",
  "sum",
  "overalltotal",
  "summe",
  "gesamt",
  "gesamtsumme",
  "insgesamt",
  "endsumme",
  "totale",
  "totalegenerale",
  "totaal",
  "totaalgeneraal",
  "totaux",
  "totalgénéral",
  "totalgeneral",
  "suma",
  "razem",
  "ogółem",
  "łącznie",
  "итого",
  "всего",
  "合计",
  "总计",
  "總計",
  "合計",
]);

/** True when a cell labels a total row: "Total", "Grand total:", "SUMME", "Totaal"… */
export function isTotalLabel(value: unknown): boolean {
  if (typeof value !== "string") return false;
  return TOTAL_LABELS.has(value.toLowerCase().replace(/[^\p{L}]+/gu, ""));
}

/** The data rows of a table, and the rows left out. */
export interface DataRows {
  /** Row indexes of the data, in order. */
  readonly rows: readonly number[];
  /** Excel rows of fully blank rows inside the data. */
  readonly blankRows: readonly number[];
  /** Excel rows of total rows left out (trailing "Total" rows and an Excel table's totals row). */
  readonly totalRows: readonly number[];
  /**
   * Excel rows inside the data that repeat the header row, or a title row above it, cell for cell:
   * files pasted or exported one after the other ("customer_id,order_date,…" again on line 5,001).
   */
  readonly headingRows: readonly number[];
}

/** A row's cells as one comparable text: trimmed, case folded, trailing blanks dropped. */
function rowText(cells: readonly unknown[]): string {
  const texts = cells.map((cell) => (isBlankValue(cell) ? "" : String(cell).trim().toLowerCase()));
  while (texts.length > 0 && texts[texts.length - 1] === "") texts.pop();
  return texts.join("\u0001");
}

/**
 * Tells a data row that repeats the header row or a non-blank row above it (a title), cell for cell;
 * only rows whose first cell matches one of those rows' first cells are compared whole.
 */
function headingRepeats(sheet: SheetCells, layout: SheetLayout): (row: number) => boolean {
  const texts = new Set<string>();
  const firsts = new Set<string>();
  for (let r = 0; r <= layout.headerIndex; r++) {
    const cells = sheet.rows[r];
    if (cells === undefined || cells.every(isBlankValue)) continue;
    texts.add(rowText(cells));
    firsts.add(isBlankValue(cells[0]) ? "" : String(cells[0]).trim().toLowerCase());
  }
  return (row) => {
    const cells = sheet.rows[row];
    if (cells === undefined || cells.length === 0) return false;
    const first = cells[0];
    if (typeof first !== "string" && !isBlankValue(first)) return false;
    if (!firsts.has(isBlankValue(first) ? "" : (first as string).trim().toLowerCase())) return false;
    return texts.has(rowText(cells));
  };
}

/**
 * The data rows under the header: fully blank rows inside the data skipped, rows that repeat the
 * header (or a title above it) skipped, trailing rows labelled as totals (in the label column or
 * their first non-blank cell) left out, an Excel table's totals row never read; blank rows after the
 * last data row are not data and not counted.
 *
 * @param sheet the sheet.
 * @param layout its layout.
 * @param labelColumn the column whose cell says "Total" on a total row (the customer id), or -1.
 */
export function dataRowsOf(sheet: SheetCells, layout: SheetLayout, labelColumn: number): DataRows {
  let end = layout.dataEnd;
  while (end > layout.dataStart && isBlankRow(sheet, end - 1)) end--;
  const totalRows: number[] = [];
  const isTotalRow = (row: number): boolean => {
    if (labelColumn >= 0 && isTotalLabel(cellAt(sheet, row, labelColumn))) return true;
    return isTotalLabel((sheet.rows[row] ?? []).find((cell) => !isBlankValue(cell)));
  };
  while (end > layout.dataStart && isTotalRow(end - 1)) {
    totalRows.unshift(excelRowOf(sheet, end - 1));
    end--;
    while (end > layout.dataStart && isBlankRow(sheet, end - 1)) end--;
  }
  const rows: number[] = [];
  const blankRows: number[] = [];
  const headingRows: number[] = [];
  const isHeading = headingRepeats(sheet, layout);
  for (let r = layout.dataStart; r < end; r++) {
    if (isBlankRow(sheet, r)) blankRows.push(excelRowOf(sheet, r));
    else if (isHeading(r)) headingRows.push(excelRowOf(sheet, r));
    else rows.push(r);
  }
  return { rows, blankRows, totalRows: [...totalRows, ...layout.tableTotals], headingRows };
}

/** "rows 14, 15, 200" or "rows 14, 15, 16 … and 9 more", for notes. */
export function rowList(rows: readonly number[], shown = 5): string {
  const head = rows.slice(0, shown).join(", ");
  const word = rows.length === 1 ? "row" : "rows";
  return rows.length > shown ? `${word} ${head} and ${rows.length - shown} more` : `${word} ${head}`;
}
