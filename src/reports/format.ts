/**
 * Number formats and small layout helpers shared by the report builders: one place for the Excel
 * format codes, the size of a chart, the conversion of input columns to the range shape the engine's
 * data layer reads, and names that are valid as Excel table names and headers.
 */

import { readTransactions, type Transactions } from "../engine/data";
import { rfmScores, type RfmResult } from "../engine/segmentation/rfm";
import type { Column, OrdersInput } from "./inputs";
import { rowsNeededError } from "./summarisedOrders";
import { a1Range, type RangeRef, type TableBlock } from "./sheet";

/** Excel number format codes used across the generated tabs. */
export const FORMAT = {
  /** Whole numbers with thousands separators: counts, days. */
  integer: "#,##0",
  /** Currency amounts without a currency symbol (the data's own currency). */
  money: "#,##0.00",
  /** Shares and rates. */
  percent: "0.0%",
  /** Probabilities and rates that need more digits (P(alive), discount per period). */
  percentPrecise: "0.00%",
  /** Dates (Excel serials). */
  date: "yyyy-mm-dd",
  /** Model quantities (expected purchases, periods). */
  decimal: "0.00",
  /** Parameters and statistics with small magnitudes. */
  precise: "0.0000",
} as const;

/**
 * The number format of an amount in the data's currency: the symbol before the number for symbols
 * ("€"#,##0), the code after it for ISO codes (#,##0 "CHF"), no symbol when the currency is unknown.
 *
 * @param currency a symbol or ISO 4217 code, or undefined.
 * @param decimals decimals shown (0 for totals in the thousands and more, 2 for per-customer amounts).
 */
export function moneyFormat(currency: string | undefined, decimals: 0 | 2 = 2): string {
  const number = decimals === 0 ? "#,##0" : "#,##0.00";
  if (currency === undefined || currency.trim() === "") return number;
  const quoted = `"${currency.replace(/"/g, "")}"`;
  const positive = /^[A-Z]{3}$/.test(currency) ? `${number} ${quoted}` : `${quoted}${number}`;
  const negative = /^[A-Z]{3}$/.test(currency) ? `-${number} ${quoted}` : `-${quoted}${number}`;
  return `${positive};${negative}`;
}

/** Size of a chart in cells (rows × columns), so builders place charts on one grid. */
export const CHART_SIZE = { rows: 15, columns: 8 } as const;

/** Orders read once per input, shared by the tabs built from them (the engine's result is not changed by its readers). */
const transactionsRead = new WeakMap<OrdersInput, Transactions>();

/**
 * The orders as the engine reads them (ids, dates, values validated, with row-numbered errors),
 * read once per input object however many tabs use them.
 *
 * @param orders the orders input.
 * @throws EngineError as `readTransactions` does, for a bad cell (argument and row named).
 */
export function transactionsOf(orders: OrdersInput): Transactions {
  let transactions = transactionsRead.get(orders);
  if (transactions === undefined) {
    if (orders.summarised !== undefined) throw rowsNeededError("it");
    transactions = readTransactions(rowRange(orders.customerIds), rowRange(orders.orderDates), rowRange(orders.orderValues));
    transactionsRead.set(orders, transactions);
  }
  return transactions;
}

/** RFM scores computed once per orders and as-of date, by the resolved as-of serial. */
const rfmComputed = new WeakMap<Transactions, Map<number, RfmResult>>();

/**
 * The orders' RFM scores (monetary: the sum), computed once per as-of date however many tabs use
 * them (the Customer Value tab's segments and the Segmentation tab's). `rfmScores` with no as-of
 * date takes the last order date, exactly as when given that date, so both share one result.
 *
 * @param transactions the orders, from {@link transactionsOf}.
 * @param asOf the as-of date (Excel serial), or null for the last order date.
 * @throws EngineError as `rfmScores` does.
 */
export function rfmOf(transactions: Transactions, asOf: number | null): RfmResult {
  let resolved = asOf ?? -Infinity;
  if (asOf === null) for (let i = 0; i < transactions.rowCount; i++) if (transactions.orderDates[i] > resolved) resolved = transactions.orderDates[i];
  let byDate = rfmComputed.get(transactions);
  if (byDate === undefined) {
    byDate = new Map();
    rfmComputed.set(transactions, byDate);
  }
  let rfm = byDate.get(resolved);
  if (rfm === undefined) {
    rfm = rfmScores(transactions, { asOf: resolved, monetary: "sum" });
    byDate.set(resolved, rfm);
  }
  return rfm;
}

/**
 * An input column (one cell per row) as a one-row range, `[[cell, cell, …]]`, which the engine's
 * data layer (`readTransactions`, `toColumn`) reads as the same list of cells as a one-column range
 * (row i of its messages is cell i + 1 either way). A one-column range, `[[cell], [cell], …]`, cost
 * a small array per order (a million of them for 300,000 orders) for the collector to sweep.
 *
 * @param column cells in row order.
 * @returns the cells as one row (the column itself, not copied).
 */
export function rowRange(column: Column): unknown[][] {
  return [column as unknown[]];
}

/**
 * A customer id back as the user had it: canonical number text ("1001") as the number, so lookups
 * against the source column match; anything else as text.
 *
 * @param id the engine's id text (trimmed; numbers in their displayed form).
 * @returns the cell to write.
 */
export function idCell(id: string): string | number {
  const number = Number(id);
  return id !== "" && Number.isFinite(number) && String(number) === id ? number : id;
}

/**
 * A valid, sheet-unique Excel table name from a text: letters, digits and underscores, starting with
 * a letter, never an A1-like name; `taken` (lower-case names) gets the result added.
 *
 * @param text wanted name, e.g. "Profile_Age band".
 * @param taken names already used on the sheet (lower case); updated.
 * @returns e.g. "Profile_Age_band", or "Profile_Age_band_2" when taken.
 */
export function tableName(text: string, taken: Set<string>): string {
  let base = text.replace(/[^A-Za-z0-9_]+/g, "_").replace(/_+$/g, "");
  if (!/^[A-Za-z]/.test(base)) base = `T_${base}`;
  if (/^[A-Za-z]{1,3}[0-9]+$/.test(base) || /^[RrCc]$/.test(base)) base = `${base}_`;
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}_${n}`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * A table header that does not repeat one already used (case-insensitive, as Excel compares them);
 * blank headers become "Column".
 *
 * @param header wanted header.
 * @param taken headers already in the table (lower case); updated.
 * @returns the header, or "Header 2", "Header 3"… when taken.
 */
export function uniqueHeader(header: string, taken: Set<string>): string {
  const base = header.trim() === "" ? "Column" : header.trim();
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * The data cells of one column of a table (header and totals row excluded).
 *
 * @param table a table block.
 * @param column 0-based column within the table.
 * @returns the range of its data rows.
 */
export function tableColumn(table: Pick<TableBlock, "row" | "column" | "rows">, column: number): RangeRef {
  return { row: table.row + 1, column: table.column + column, rowCount: table.rows.length, columnCount: 1 };
}

/** Absolute A1 text of a range, for formulas ("$I$70:$I$270"). */
export function absolute(range: RangeRef): string {
  return a1Range(range, true);
}

/**
 * A whole number with thousands separators for text ("20,000"), the same on every machine (no locale).
 *
 * @param value a finite number; rounded to a whole number.
 * @returns e.g. "1,234,567" or "-12".
 */
export function formatCount(value: number): string {
  const rounded = Math.round(value);
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return rounded < 0 ? `-${digits}` : digits;
}

/**
 * True when a label can be a COUNTIF/SUMIF criterion that matches exactly itself: no wildcards
 * (`*`, `?`, `~`) and no leading comparison (`<`, `>`, `=`).
 *
 * @param label a category label written in a cell.
 * @returns whether `COUNTIF(range, cell)` counts exactly the cells equal to it (ignoring case).
 */
export function isPlainCriterion(label: string): boolean {
  return !/[*?~]/.test(label) && !/^\s*[<>=]/.test(label);
}

/**
 * A number format showing a value to a number of significant digits (model parameters: "0.9463",
 * "11.53", "1,234"), with thousands separators. Excel formats fix decimals, not significant digits,
 * so the format is chosen from the value's magnitude; a standard error written beside its parameter
 * takes the parameter's format.
 *
 * @param value the number to show (0 or non-finite: digits − 1 decimals).
 * @param digits significant digits, 1 to 10 (default 4).
 * @returns e.g. "#,##0.0000" for 0.9463, "#,##0.00" for 11.53, "#,##0" for 1234.
 */
export function significantFormat(value: number, digits = 4): string {
  const magnitude = Number.isFinite(value) && value !== 0 ? Math.floor(Math.log10(Math.abs(value))) : 0;
  const decimals = Math.min(10, Math.max(0, digits - 1 - magnitude));
  return decimals === 0 ? "#,##0" : `#,##0.${"0".repeat(decimals)}`;
}
