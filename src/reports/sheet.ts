/**
 * A generated tab as plain data: what to write where, how to format it, which ranges are Excel
 * tables, which charts to draw and where the numbers came from. Report builders (one per tab) turn
 * engine results into a {@link ReportSheet}; writers turn it into a real sheet: ExcelJS in the
 * headless runner (src/cli), Office.js in the task pane (src/excel), SVG in the HTML report.
 *
 * Conventions:
 * - rows and columns are 0-based (row 0 is Excel row 1, column 0 is column A);
 * - a formula is Excel text without the leading "=", in A1 notation, and carries the value it
 *   computes, so a file shows numbers before any recalculation. It refers to cells of its own sheet
 *   by plain A1 addresses, and to cells of another generated tab of the same run only through
 *   {@link tabCell} / {@link tabRange} tokens, never by a sheet name (the writer chooses every
 *   sheet's final name, e.g. "Customer Value 2" when the name is taken). Every writer resolves the
 *   tokens with {@link resolveTabReferences}; a formula whose tab is not written in the run is
 *   written as its value (builders only refer to tabs built in the same run);
 * - dates are Excel serials with a date number format;
 * - nothing here knows Office, ExcelJS, the DOM, Node or the clock: the generation time is given
 *   by the caller in {@link Provenance}.
 */

import type { TabId } from "./tabIds";

/** A constant cell: text, number, boolean, or null for blank. */
export type CellValue = string | number | boolean | null;

/** A live formula and the value it computes (the value is what the engine computed). */
export interface FormulaCell {
  /** Excel formula without the leading "=", e.g. "B5/B6" or "SUM(C10:C20)". */
  readonly formula: string;
  /** The value the formula evaluates to. */
  readonly value: CellValue;
}

export type Cell = CellValue | FormulaCell;

/** How a block of cells looks; writers map these to fonts and fills. */
export type CellStyle =
  | "title" // the tab's title (large, bold)
  | "subtitle" // one line under the title saying what the tab is
  | "heading" // a section heading above a block or table
  | "header" // column headers of a plain block (tables style their own header)
  | "label" // a row label in a label | value block
  | "body" // ordinary values (the default)
  | "input" // a cell the user is meant to change (highlighted)
  | "total" // a total (bold, a rule above)
  | "figure" // a headline number (bold, no rule)
  | "note" // small explanatory text, provenance
  | "warning"; // a warning that changes a decision (bold dark red on a light red fill)

/** A rectangle of cells written at (row, column). */
export interface CellsBlock {
  readonly kind: "cells";
  readonly row: number;
  readonly column: number;
  /** Rows of cells; rows may be shorter than others (missing cells are left untouched). */
  readonly values: readonly (readonly Cell[])[];
  /** Excel number format per column of the block (e.g. "#,##0.00", "0.0%", "yyyy-mm-dd"); null or missing: General. */
  readonly numberFormats?: readonly (string | null)[];
  /** Style of every cell of the block; "body" when omitted. */
  readonly style?: CellStyle;
  /** Style per column, overriding `style` (e.g. ["label", "input"] for an inputs block). */
  readonly columnStyles?: readonly (CellStyle | null)[];
}

/** An Excel table (ListObject): a header row of unique texts, then data rows. */
export interface TableBlock {
  readonly kind: "table";
  /** Table name: letters, digits and underscores, starting with a letter (e.g. "SegmentSummary"); the writer makes it unique in the workbook. */
  readonly name: string;
  readonly row: number;
  readonly column: number;
  readonly headers: readonly string[];
  /** Data rows, each exactly `headers.length` cells. */
  readonly rows: readonly (readonly Cell[])[];
  /** Number format per column; null or missing: General. */
  readonly numberFormats?: readonly (string | null)[];
  /** Total row under the data (a formula per column or null); omitted when none. */
  readonly totals?: readonly Cell[];
  /**
   * Rows the table stands for when it holds only its first rows (a per-customer table past the
   * customer cap, src/reports/rowLimit.ts shortens the tab); omitted when it holds them all.
   */
  readonly standsFor?: number;
}

export type Block = CellsBlock | TableBlock;

/** A rectangle on the same sheet. */
export interface RangeRef {
  readonly row: number;
  readonly column: number;
  readonly rowCount: number;
  readonly columnCount: number;
}

/** Conditional formatting on a range. */
export type ConditionalRule =
  | { readonly kind: "colorScale"; readonly low: string; readonly mid?: string; readonly high: string } // colours as "RRGGBB"
  | { readonly kind: "dataBar"; readonly color: string }
  | {
      readonly kind: "cellIs";
      readonly operator: "lessThan" | "greaterThan" | "lessThanOrEqual" | "greaterThanOrEqual" | "equal";
      readonly value: number;
      /** good: green fill, bad: red fill. */
      readonly look: "good" | "bad";
    }
  | ExpressionRule;

export interface ConditionalFormat {
  readonly range: RangeRef;
  readonly rule: ConditionalRule;
}

export type ChartType = "column" | "bar" | "stackedColumn" | "line" | "pie" | "scatter";

/** A native chart over ranges of this sheet. */
export interface ChartSpec {
  readonly type: ChartType;
  readonly title: string;
  /** One column (or row) of category labels (x values for scatter). */
  readonly categories: RangeRef;
  /** Each series is one column (or row) of numbers, as long as `categories`. */
  readonly series: readonly { readonly name: string; readonly values: RangeRef }[];
  readonly xAxisTitle?: string;
  readonly yAxisTitle?: string;
  /** Number format of the value axis, e.g. "#,##0" or "0%". */
  readonly valueFormat?: string;
  /** Top-left cell where the chart is placed, and its size in cells. */
  readonly anchor: { readonly row: number; readonly column: number; readonly rows: number; readonly columns: number };
}

/** Where a tab's numbers came from and how they were computed. */
export interface Provenance {
  /** Sources, e.g. "Orders!A1:D61234" or "orders.csv (61,233 rows)". */
  readonly sources: readonly string[];
  /** Options as label/value pairs, e.g. { label: "Model", value: "BG/NBD" }. */
  readonly options: readonly { readonly label: string; readonly value: string }[];
  /** When the tab was generated (ISO 8601 text given by the caller; the builders have no clock). */
  readonly generatedAt: string;
  /** Counts of rows left out and why, and any other caveat a reader must see. */
  readonly notes: readonly string[];
}

/** A generated tab. */
export interface ReportSheet {
  /** Preferred tab name ("Segmentation"); the writer picks a free name ("Segmentation 2"). */
  readonly name: string;
  /** Which generated tab this is, for other tabs' cross-tab references ({@link tabCell}); absent on a tab no other tab refers to. */
  readonly tab?: TabId;
  readonly blocks: readonly Block[];
  /** Column widths in characters, from column A; missing columns keep the default. */
  readonly columnWidths: readonly number[];
  /** Rows and columns frozen at the top-left (the title and the main table's header). */
  readonly freeze: { readonly rows: number; readonly columns: number };
  readonly conditionalFormats: readonly ConditionalFormat[];
  readonly charts: readonly ChartSpec[];
  readonly provenance: Provenance;
}

/** What a builder is told about the run. */
export interface ReportContext {
  /** Generation time as ISO 8601 text (injected: builders have no clock). */
  readonly generatedAt: string;
  /**
   * Notes about this tab's data or the whole run, added to the tab's provenance: rows left out while
   * reading its tables, tabs not built in this run and why.
   */
  readonly notes?: readonly string[];
  /**
   * The data's currency as a symbol or ISO code ("€", "$", "EUR"), from the source cells' number
   * format or money text, or an option; amounts are shown with it. Omitted: amounts without a symbol.
   */
  readonly currency?: string;
}

// ---------------------------------------------------------------------------------------------
// Cross-tab references.

/** A cross-tab token: `{{tab:customer-value}}` stands for the quoted final name of that tab's sheet. */
const TAB_TOKEN = /\{\{tab:([a-z][a-z-]*)\}\}/g;

/**
 * A reference to one cell of another generated tab of the same run, for a formula: a token the
 * writers turn into `'Customer Value'!$C$6` with the sheet's final name ({@link resolveTabReferences}).
 *
 * @param tab the tab referred to.
 * @param row 0-based row of the cell on that tab.
 * @param column 0-based column.
 */
export function tabCell(tab: TabId, row: number, column: number): string {
  return `{{tab:${tab}}}!${a1(row, column, true)}`;
}

/** A reference to a range of another generated tab ({@link tabCell} for a rectangle), e.g. `'Segmentation'!$C$98:$C$2097`. */
export function tabRange(tab: TabId, range: RangeRef): string {
  return `{{tab:${tab}}}!${a1Range(range, true)}`;
}

/** The tabs a formula refers to through {@link tabCell} / {@link tabRange} tokens, in order of appearance, without repeats. */
export function tabReferences(formula: string): TabId[] {
  const tabs: TabId[] = [];
  for (const match of formula.matchAll(TAB_TOKEN)) if (!tabs.includes(match[1] as TabId)) tabs.push(match[1] as TabId);
  return tabs;
}

/** A sheet name as a formula quotes it: `'Customer Value 2'` (an apostrophe in the name doubled). */
export function quotedSheetName(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/**
 * A formula with its cross-tab tokens replaced by the quoted final sheet names of the tabs they
 * name, or null when one of those tabs has no sheet in this write (the writer then writes the
 * formula's value instead: a reference to a tab not written must never be written).
 *
 * @param formula a formula of a {@link FormulaCell}.
 * @param finalNameOf the final sheet name of a tab written in the same run, or undefined.
 */
export function resolveTabReferences(formula: string, finalNameOf: (tab: TabId) => string | undefined): string | null {
  let missing = false;
  const resolved = formula.replace(TAB_TOKEN, (_whole, tab: string) => {
    const name = finalNameOf(tab as TabId);
    if (name === undefined) {
      missing = true;
      return "";
    }
    return quotedSheetName(name);
  });
  return missing ? null : resolved;
}

/**
 * A cell as a writer writes it: formulas with their cross-tab tokens resolved, a formula referring
 * to a tab not written replaced by its value.
 */
export function resolvedCell(cell: Cell, finalNameOf: (tab: TabId) => string | undefined): Cell {
  if (!isFormulaCell(cell) || !cell.formula.includes("{{tab:")) return cell;
  const formula = resolveTabReferences(cell.formula, finalNameOf);
  return formula === null ? cell.value : { formula, value: cell.value };
}

/**
 * The sheet as a writer writes it: every formula cell's cross-tab tokens resolved
 * ({@link resolvedCell}); the sheet itself when it has no token.
 *
 * @param finalNameOf the final sheet name of each tab written in the same run (see {@link finalNames}).
 */
export function resolveSheetReferences(sheet: ReportSheet, finalNameOf: (tab: TabId) => string | undefined): ReportSheet {
  const hasToken = (rows: readonly (readonly Cell[])[]): boolean => rows.some((row) => row.some((cell) => isFormulaCell(cell) && cell.formula.includes("{{tab:")));
  if (!sheet.blocks.some((block) => (block.kind === "table" ? hasToken(block.rows) || hasToken(block.totals ? [block.totals] : []) : hasToken(block.values)))) return sheet;
  const resolveRows = (rows: readonly (readonly Cell[])[]): Cell[][] => rows.map((row) => row.map((cell) => resolvedCell(cell, finalNameOf)));
  const blocks = sheet.blocks.map((block): Block => {
    if (block.kind === "table") return { ...block, rows: resolveRows(block.rows), ...(block.totals ? { totals: resolveRows([block.totals])[0] } : {}) };
    return { ...block, values: resolveRows(block.values) };
  });
  return { ...sheet, blocks };
}

/** A lookup of final sheet names by tab, from the sheets of a run and the names they were written under (same order). */
export function finalNames(sheets: readonly Pick<ReportSheet, "tab">[], names: readonly string[]): (tab: TabId) => string | undefined {
  const byTab = new Map<TabId, string>();
  sheets.forEach((sheet, i) => {
    if (sheet.tab !== undefined && names[i] !== undefined) byTab.set(sheet.tab, names[i]);
  });
  return (tab) => byTab.get(tab);
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by builders, writers and tests.

/** Column letters of a 0-based column index: 0 → "A", 26 → "AA". */
export function columnLetters(column: number): string {
  let letters = "";
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** A1 address of a 0-based cell, e.g. (4, 1) → "B5"; absolute adds "$" ("$B$5"). */
export function a1(row: number, column: number, absolute = false): string {
  const dollar = absolute ? "$" : "";
  return `${dollar}${columnLetters(column)}${dollar}${row + 1}`;
}

/** A1 address of a range, e.g. "B5:D20" (a single cell gives "B5"). */
export function a1Range(range: RangeRef, absolute = false): string {
  const start = a1(range.row, range.column, absolute);
  if (range.rowCount === 1 && range.columnCount === 1) return start;
  return `${start}:${a1(range.row + range.rowCount - 1, range.column + range.columnCount - 1, absolute)}`;
}

/** True when a cell is a formula. */
export function isFormulaCell(cell: Cell): cell is FormulaCell {
  return cell !== null && typeof cell === "object";
}

/** The value shown by a cell (a formula's computed value). */
export function cellValue(cell: Cell): CellValue {
  return isFormulaCell(cell) ? cell.value : cell;
}

/** Rows and columns a block covers (a table: header, data rows and the totals row when present). */
export function blockRange(block: Block): RangeRef {
  if (block.kind === "table") {
    return { row: block.row, column: block.column, rowCount: 1 + block.rows.length + (block.totals ? 1 : 0), columnCount: block.headers.length };
  }
  let columnCount = 0;
  for (const values of block.values) columnCount = Math.max(columnCount, values.length);
  return { row: block.row, column: block.column, rowCount: block.values.length, columnCount };
}

/** The cell written at (row, column) by any block of the sheet, or undefined when none writes it. */
export function cellAt(sheet: Pick<ReportSheet, "blocks">, row: number, column: number): Cell | undefined {
  for (const block of sheet.blocks) {
    const range = blockRange(block);
    if (row < range.row || row >= range.row + range.rowCount || column < range.column || column >= range.column + range.columnCount) continue;
    const r = row - block.row;
    const c = column - block.column;
    if (block.kind === "table") {
      if (r === 0) return block.headers[c];
      if (r <= block.rows.length) return block.rows[r - 1][c];
      return block.totals?.[c];
    }
    const values = block.values[r];
    if (c < values.length) return values[c];
  }
  return undefined;
}

/** The values of a one-column or one-row range, in order (blank for cells nobody writes). */
export function rangeValues(sheet: Pick<ReportSheet, "blocks">, range: RangeRef): CellValue[] {
  const out: CellValue[] = [];
  for (let r = 0; r < range.rowCount; r++) {
    for (let c = 0; c < range.columnCount; c++) {
      const cell = cellAt(sheet, range.row + r, range.column + c);
      out.push(cell === undefined ? null : cellValue(cell));
    }
  }
  return out;
}

/** The table block of a sheet with this name, or undefined. */
export function tableNamed(sheet: Pick<ReportSheet, "blocks">, name: string): TableBlock | undefined {
  for (const block of sheet.blocks) if (block.kind === "table" && block.name === name) return block;
  return undefined;
}

/**
 * Problems with a sheet description, empty when it is well formed: blocks that overlap, tables
 * with bad or repeated names or headers or ragged rows, non-finite numbers, charts or conditional
 * formats pointing outside the written cells. Builders' tests assert this is empty.
 */
export function sheetProblems(sheet: ReportSheet): string[] {
  const problems: string[] = [];
  const ranges = sheet.blocks.map(blockRange);
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i];
      const b = ranges[j];
      const overlap =
        a.row < b.row + b.rowCount && b.row < a.row + a.rowCount && a.column < b.column + b.columnCount && b.column < a.column + a.columnCount;
      if (overlap) problems.push(`blocks ${i} (${a1Range(a)}) and ${j} (${a1Range(b)}) overlap`);
    }
  }
  const tableNames = new Set<string>();
  sheet.blocks.forEach((block, index) => {
    const cells: readonly (readonly Cell[])[] = block.kind === "table" ? block.rows : block.values;
    if (block.kind === "table") {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(block.name) || /^[A-Za-z]{1,3}[0-9]+$/.test(block.name) || /^[RrCc]$/.test(block.name)) {
        problems.push(`table name "${block.name}" is not a valid Excel table name`);
      }
      if (tableNames.has(block.name.toLowerCase())) problems.push(`table name "${block.name}" is used twice`);
      tableNames.add(block.name.toLowerCase());
      const headers = new Set<string>();
      for (const header of block.headers) {
        if (header.trim() === "") problems.push(`table ${block.name} has a blank header`);
        if (headers.has(header.toLowerCase())) problems.push(`table ${block.name} repeats the header "${header}"`);
        headers.add(header.toLowerCase());
      }
      block.rows.forEach((row, r) => {
        if (row.length !== block.headers.length) problems.push(`table ${block.name} row ${r + 1} has ${row.length} cells for ${block.headers.length} headers`);
      });
      if (block.rows.length === 0) problems.push(`table ${block.name} has no data rows (Excel needs at least one)`);
    }
    cells.forEach((row, r) =>
      row.forEach((cell, c) => {
        const value = cellValue(cell);
        if (typeof value === "number" && !Number.isFinite(value)) problems.push(`block ${index} cell ${a1(block.row + r + (block.kind === "table" ? 1 : 0), block.column + c)} is ${value}`);
        if (isFormulaCell(cell) && (cell.formula.startsWith("=") || cell.formula.trim() === "")) problems.push(`block ${index} formula "${cell.formula}" must be non-empty text without "="`);
      }),
    );
  });
  const written = (range: RangeRef): boolean => {
    for (let r = 0; r < range.rowCount; r++) {
      for (let c = 0; c < range.columnCount; c++) if (cellAt(sheet, range.row + r, range.column + c) === undefined) return false;
    }
    return true;
  };
  for (const chart of sheet.charts) {
    if (!written(chart.categories)) problems.push(`chart "${chart.title}" categories ${a1Range(chart.categories)} are not all written`);
    for (const series of chart.series) {
      if (!written(series.values)) problems.push(`chart "${chart.title}" series "${series.name}" ${a1Range(series.values)} is not all written`);
      if (series.values.rowCount * series.values.columnCount !== chart.categories.rowCount * chart.categories.columnCount) {
        problems.push(`chart "${chart.title}" series "${series.name}" is not as long as its categories`);
      }
    }
  }
  for (const format of sheet.conditionalFormats) {
    if (!written(format.range)) problems.push(`conditional format on ${a1Range(format.range)} covers unwritten cells`);
  }
  return problems;
}

/** Provenance as a block of label | value rows, for the foot or side of a tab. */
export function provenanceBlock(provenance: Provenance, row: number, column: number, withHeading = true): CellsBlock {
  const values: Cell[][] = withHeading ? [["Where these numbers come from"]] : [];
  for (const source of provenance.sources) values.push(["Source", source]);
  for (const option of provenance.options) values.push([option.label, option.value]);
  values.push(["Generated", generatedText(provenance.generatedAt)]);
  for (const note of provenance.notes) values.push(["Note", note]);
  return { kind: "cells", row, column, values, style: "note", columnStyles: ["label", "note"] };
}

/**
 * A conditional format on a formula's truth (Excel's "expression" rule), for rules a number
 * threshold cannot state: a check's text result ("Pass"), a warning cell that is not blank.
 */
export interface ExpressionRule {
  readonly kind: "expression";
  /** Excel formula without "=", true where the look applies; relative references are to the range's top-left cell, e.g. `C5="Pass"`. */
  readonly formula: string;
  /** good: green fill, bad: red fill. */
  readonly look: "good" | "bad";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A generation time as a reader writes it: "6 Dec 2026, 00:20 UTC" from "2026-12-06T00:20:31.000Z";
 * text that is not an ISO 8601 UTC time is shown as it is.
 */
export function generatedText(iso: string): string {
  const match = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::\d\d(?:\.\d+)?)?Z$/.exec(iso);
  if (match === null) return iso;
  const month = MONTHS[Number(match[2]) - 1];
  return month === undefined ? iso : `${Number(match[3])} ${month} ${match[1]}, ${match[4]}:${match[5]} UTC`;
}
