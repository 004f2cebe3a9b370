/**
 * ExcelJS writer for generated tabs: turns a {@link ReportSheet} into a real worksheet (cells,
 * styles, number formats, formulas with their computed values, Excel tables, column widths,
 * frozen panes, conditional formats).
 *
 * ExcelJS writes no charts: {@link addTabsToXlsx} adds each tab's charts as native Excel chart parts
 * while grafting (src/cli/xlsx/charts.ts); the HTML report also draws them as SVG.
 */
import ExcelJS from "exceljs";
import { columnLetters, finalNames, isFormulaCell, resolveSheetReferences, type Block, type Cell, type CellValue, type CellStyle, type ConditionalFormat, type ReportSheet, type TableBlock } from "../../reports/sheet";
import { isDateNumberFormat } from "../../reports/svgChart";
import { freeSheetName, freeTableName as freeName } from "../../reports/names";
import { assertSheetFits } from "../../reports/rowLimit";
import { dataSheetNames, writeDataWorkbook } from "./dataWorkbook";
import { graftReportTabs, type DirectTableRows } from "./graft";
import { GENERATED_TAB_COLOR } from "./openingTab";

/** A plain data table written as its own sheet (e.g. the sample business's Customers sheet). */
export interface DataSheet {
  readonly name: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly (string | number | boolean | null)[])[];
  /** Excel number format per column; null: General. */
  readonly numberFormats: readonly (string | null)[];
}

/** What the target file already holds, when the sheet is grafted into another workbook. */
export interface ReservedNames {
  /** Sheet names taken in the target. */
  readonly sheetNames: readonly string[];
  /** Table and defined names taken in the target. */
  readonly tableNames: readonly string[];
  /** The target counts dates from 1904: date serials (1900 system in a ReportSheet) are shifted. */
  readonly date1904?: boolean;
}

/** Days between Excel's 1900 and 1904 date systems. */
const DATE_1904_OFFSET = 1462;

/** Every generated font is named (the default Calibri 11), so other spreadsheets do not fall back to a serif face. */
const BASE_FONT: Partial<ExcelJS.Font> = { name: "Calibri", family: 2, size: 11 };

const STYLE_FONTS: Record<CellStyle, Partial<ExcelJS.Font> | undefined> = {
  title: { ...BASE_FONT, bold: true, size: 16, color: { argb: "FF1F3864" } },
  subtitle: { ...BASE_FONT, italic: true, size: 11, color: { argb: "FF595959" } },
  heading: { ...BASE_FONT, bold: true, size: 12, color: { argb: "FF1F3864" } },
  header: { ...BASE_FONT, bold: true },
  label: { ...BASE_FONT, color: { argb: "FF262626" } },
  body: undefined,
  input: { ...BASE_FONT, color: { argb: "FF0000FF" } },
  total: { ...BASE_FONT, bold: true },
  figure: { ...BASE_FONT, bold: true },
  note: { ...BASE_FONT, italic: true, size: 9, color: { argb: "FF595959" } },
  warning: { ...BASE_FONT, bold: true, color: { argb: "FF9C0006" } },
};

const THIN = { style: "thin" as const, color: { argb: "FFBFBFBF" } };

/** What a column of a table mostly holds: right-aligned numbers, left-aligned text, or nothing. */
export type ColumnKind = "number" | "text" | "blank";

/** Rows looked at to tell a column's kind. */
const KIND_SAMPLE_ROWS = 200;

/** The kind of each column of a table's rows (numbers, text or blank, by the majority of its first rows). */
function columnKinds(rows: readonly (readonly Cell[])[], columns: number): ColumnKind[] {
  const kinds: ColumnKind[] = [];
  for (let c = 0; c < columns; c++) {
    let numbers = 0;
    let texts = 0;
    for (let r = 0; r < rows.length && r < KIND_SAMPLE_ROWS; r++) {
      const value = cellValueOf(rows[r][c]);
      if (typeof value === "number") numbers++;
      else if (typeof value === "string" && value.trim() !== "") texts++;
    }
    kinds.push(numbers === 0 && texts === 0 ? "blank" : numbers >= texts ? "number" : "text");
  }
  return kinds;
}

function cellValueOf(cell: Cell | undefined): CellValue {
  if (cell === undefined) return null;
  return isFormulaCell(cell) ? cell.value : cell;
}

/**
 * Left-aligned text right of right-aligned numbers starts one indent in, so a number never touches
 * the text beside it ("1,234Champions").
 */
const TEXT_AFTER_NUMBER: Partial<ExcelJS.Alignment> = { horizontal: "left", indent: 1 };

/** Header cells wrap (a long header grows its row instead of being clipped), their text at the bottom, next to the data. */
const HEADER_ALIGNMENT: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: "bottom" };

/** Default width of a column in characters (Excel's for Calibri 11). */
const DEFAULT_WIDTH = 8.43;
/** Height of a line of Calibri 11 in points. */
const LINE_HEIGHT = 15;
/** A column is widened to hold its header on one line when that takes at most this factor of its width. */
const WIDEN_AT_MOST = 1.25;
/** Bold text is about this much wider than the digits a column width counts. */
const BOLD_WIDTH = 1.1;

/** Lines a header takes when wrapped in a column `width` characters wide (words kept whole). */
export function wrappedLines(text: string, width: number): number {
  const capacity = Math.max(1, Math.floor((width - 1) / BOLD_WIDTH));
  let lines = 1;
  let used = 0;
  for (const word of text.trim().split(/\s+/)) {
    const length = Math.ceil(word.length);
    if (used === 0) used = length;
    else if (used + 1 + length <= capacity) used += 1 + length;
    else {
      lines++;
      used = length;
    }
    while (used > capacity) {
      lines++;
      used -= capacity;
    }
  }
  return lines;
}

/** A header cell written on a sheet (1-based row and column), for the column widths and row heights. */
interface HeaderCell {
  readonly row: number;
  readonly column: number;
  readonly text: string;
  /** True for a "header"-style cell of a plain block (a table's headers are aligned with its columns when written). */
  readonly plain?: boolean;
}

/** Rows under a plain block's header looked at (down to the first blank row) to tell what its column holds. */
const ROWS_UNDER_HEADER = 30;

/** What the cells under a header hold on the written sheet, down to a blank row (the end of its block). */
function kindUnder(worksheet: ExcelJS.Worksheet, row: number, column: number, firstColumn = column): ColumnKind {
  let numbers = 0;
  let texts = 0;
  for (let r = row + 1; r <= row + ROWS_UNDER_HEADER; r++) {
    // findRow and findCell: a look must not create rows (rows of a table written directly must stay empty here).
    const excelRow = worksheet.findRow(r);
    if (excelRow === undefined || excelRow.actualCellCount === 0) break;
    // A row with nothing in the block's first column is a note under the rows (the Scorecard's
    // rule under "What to do next"), not a value of the column.
    if (firstColumn < column) {
      const label = shownValue(excelRow.findCell(firstColumn));
      if (label === null || label === undefined || (typeof label === "string" && label.trim() === "")) continue;
    }
    const value = shownValue(excelRow.findCell(column));
    if (typeof value === "number") numbers++;
    else if (typeof value === "string" && value.trim() !== "") texts++;
  }
  return numbers === 0 && texts === 0 ? "blank" : numbers >= texts ? "number" : "text";
}

/** The value a written cell shows (a formula's result). */
function shownValue(cell: ExcelJS.Cell | undefined): unknown {
  const raw = cell?.value ?? null;
  return raw !== null && typeof raw === "object" && "result" in raw ? raw.result : raw;
}

/**
 * Text written right of a number, by any block, starts one indent in, so the number (right-aligned)
 * never touches it; text aligned otherwise on purpose (right, centred, indented) is left as it is.
 */
function padTextAfterNumbers(worksheet: ExcelJS.Worksheet): void {
  worksheet.eachRow((row) => {
    row.eachCell((cell, column) => {
      if (column === 1) return;
      const value = shownValue(cell);
      if (typeof value !== "string" || value.trim() === "") return;
      const alignment = cell.alignment ?? {};
      if ((alignment.horizontal !== undefined && alignment.horizontal !== "left") || (alignment.indent ?? 0) > 0) return;
      if (typeof shownValue(row.findCell(column - 1)) === "number") cell.alignment = { ...alignment, ...TEXT_AFTER_NUMBER };
    });
  });
}

/**
 * A plain block's headers aligned with what is under them, as a table's are: right over numbers,
 * one indent in over text that follows numbers.
 */
function alignPlainHeaders(worksheet: ExcelJS.Worksheet, headers: readonly HeaderCell[]): void {
  for (const header of headers) {
    if (header.plain !== true) continue;
    // The block's first column: the leftmost plain header of the row, next to this one.
    let firstColumn = header.column;
    for (const other of headers) {
      if (other.plain === true && other.row === header.row && other.column < firstColumn) firstColumn = other.column;
    }
    const kind = kindUnder(worksheet, header.row, header.column, firstColumn);
    const cell = worksheet.getCell(header.row, header.column);
    if (kind === "number") cell.alignment = { ...cell.alignment, horizontal: "right" };
    else if (kind === "text" && header.column > 1 && kindUnder(worksheet, header.row, header.column - 1, firstColumn) === "number") cell.alignment = { ...cell.alignment, ...TEXT_AFTER_NUMBER };
  }
}

/**
 * Columns at least as wide as their headers' longest word (bold, plus a character), and header rows
 * tall enough for their wrapped headers.
 */
function fitHeaders(worksheet: ExcelJS.Worksheet, headers: readonly HeaderCell[]): void {
  for (const header of headers) {
    const longest = header.text.trim().split(/\s+/).reduce((max, word) => Math.max(max, word.length), 0);
    const column = worksheet.getColumn(header.column);
    const width = column.width ?? DEFAULT_WIDTH;
    // A header a little longer than its column widens it (one line reads better than two); a
    // long one wraps, in a column at least as wide as its longest word.
    const whole = Math.ceil(header.text.trim().length * BOLD_WIDTH) + 1;
    const wanted = whole <= width * WIDEN_AT_MOST ? whole : Math.ceil(longest * BOLD_WIDTH) + 1;
    if (width < wanted) column.width = wanted;
  }
  const lines = new Map<number, number>();
  for (const header of headers) {
    const width = worksheet.getColumn(header.column).width ?? DEFAULT_WIDTH;
    lines.set(header.row, Math.max(lines.get(header.row) ?? 1, wrappedLines(header.text, width)));
  }
  for (const [row, count] of lines) {
    if (count <= 1) continue;
    const excelRow = worksheet.getRow(row);
    excelRow.height = Math.max(excelRow.height ?? LINE_HEIGHT, count * LINE_HEIGHT);
  }
}

/** Applies a CellStyle to an ExcelJS cell (fonts, fills, borders; "body" leaves the default). */
function applyStyle(cell: ExcelJS.Cell, style: CellStyle): void {
  const font = STYLE_FONTS[style];
  if (font) cell.font = font;
  if (style === "header") {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFD9E1F2" } };
    cell.border = { bottom: THIN };
    cell.alignment = { ...cell.alignment, ...HEADER_ALIGNMENT };
  } else if (style === "input") {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF2CC" } };
    cell.border = { top: THIN, left: THIN, bottom: THIN, right: THIN };
  } else if (style === "total") {
    cell.border = { top: { style: "thin", color: { argb: "FF000000" } } };
  } else if (style === "warning") {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFC7CE" } };
  }
}

/**
 * The ExcelJS value of a report cell: formulas carry their computed result. `shiftDays` moves date
 * serials into a 1904-system workbook (only for cells with a date format).
 */
function excelValue(cell: Cell, shiftDays = 0): ExcelJS.CellValue {
  const shift = (value: CellValue): CellValue => (typeof value === "number" && shiftDays !== 0 ? value - shiftDays : value);
  if (isFormulaCell(cell)) {
    const result = cell.value === null ? undefined : shift(cell.value);
    return { formula: cell.formula, result } as ExcelJS.CellFormulaValue;
  }
  return shift(cell);
}

/** A table name not used (case-insensitively) by any table in the workbook nor in `reserved`. */
function freeTableName(workbook: ExcelJS.Workbook, preferred: string, reserved: readonly string[]): string {
  const used = new Set(reserved.map((name) => name.toLowerCase()));
  workbook.eachSheet((worksheet) => {
    // ExcelJS's typings say [Table, void][]; at run time getTables() returns the Table objects.
    for (const table of worksheet.getTables() as unknown as { name: string }[]) used.add(table.name.toLowerCase());
  });
  for (const name of workbook.definedNames.model.map((defined) => defined.name)) used.add(name.toLowerCase());
  return freeName([...used], preferred);
}

function writeTable(worksheet: ExcelJS.Worksheet, block: TableBlock, name: string, date1904: boolean, headers: HeaderCell[], kindsHint?: readonly ColumnKind[]): void {
  const formats = block.numberFormats ?? [];
  const kinds = kindsHint ?? columnKinds(block.rows, block.headers.length);
  const textAfterNumber = (c: number): boolean => c > 0 && kinds[c - 1] === "number" && kinds[c] === "text";
  const shiftOf = (c: number): number => (date1904 && isDateNumberFormat(formats[c]) ? DATE_1904_OFFSET : 0);
  const totals = block.totals;
  const columns: ExcelJS.TableColumnProperties[] = block.headers.map((header, j) => {
    const total = totals?.[j];
    const column: ExcelJS.TableColumnProperties = { name: header, filterButton: true };
    if (totals) {
      // The totals cells are written below as plain cells (formulas with results); the table
      // only records a label for a text total and "none" otherwise.
      if (typeof total === "string") column.totalsRowLabel = total;
      else if (j === 0) column.totalsRowLabel = "";
      else column.totalsRowFunction = "none";
    }
    return column;
  });
  worksheet.addTable({
    name,
    displayName: name,
    ref: `${columnLetters(block.column)}${block.row + 1}`,
    headerRow: true,
    totalsRow: totals !== undefined,
    style: { theme: "TableStyleMedium2", showRowStripes: true },
    columns,
    rows: block.rows.map((row) => row.map((cell, c) => excelValue(cell, shiftOf(c)))),
  } as ExcelJS.TableProperties);
  block.headers.forEach((header, c) => {
    const cell = worksheet.getCell(block.row + 1, block.column + 1 + c);
    // A numbers column's header sits right, over its numbers; text after numbers is indented.
    const horizontal = kinds[c] === "number" ? { horizontal: "right" as const } : textAfterNumber(c) ? TEXT_AFTER_NUMBER : {};
    cell.alignment = { ...HEADER_ALIGNMENT, ...horizontal };
    headers.push({ row: block.row + 1, column: block.column + 1 + c, text: header });
  });
  block.rows.forEach((row, r) => {
    row.forEach((value, c) => {
      const cell = worksheet.getCell(block.row + 2 + r, block.column + 1 + c);
      // ExcelJS's table writes values; set them again so formulas keep their results.
      cell.value = excelValue(value, shiftOf(c));
      const format = formats[c];
      if (format) cell.numFmt = format;
      if (textAfterNumber(c)) cell.alignment = TEXT_AFTER_NUMBER;
    });
  });
  if (totals) {
    const totalsRow = block.row + 2 + block.rows.length;
    block.headers.forEach((_, c) => {
      const cell = worksheet.getCell(totalsRow, block.column + 1 + c);
      const total = totals[c];
      cell.value = total === undefined ? null : excelValue(total, shiftOf(c));
      const format = formats[c];
      if (format) cell.numFmt = format;
      applyStyle(cell, "total");
      if (textAfterNumber(c)) cell.alignment = TEXT_AFTER_NUMBER;
    });
  }
}

function writeBlock(worksheet: ExcelJS.Worksheet, block: Block, tableName: (preferred: string) => string, date1904: boolean, headers: HeaderCell[], kindsHint?: readonly ColumnKind[]): void {
  if (block.kind === "table") {
    writeTable(worksheet, block, tableName(block.name), date1904, headers, kindsHint);
    return;
  }
  const formats = block.numberFormats ?? [];
  block.values.forEach((row, r) => {
    row.forEach((value, c) => {
      const cell = worksheet.getCell(block.row + 1 + r, block.column + 1 + c);
      const format = formats[c];
      cell.value = excelValue(value, date1904 && isDateNumberFormat(format) ? DATE_1904_OFFSET : 0);
      if (format) cell.numFmt = format;
      const style = block.columnStyles?.[c] ?? block.style ?? "body";
      applyStyle(cell, style);
      const shown = cellValueOf(value);
      if (style === "header" && typeof shown === "string" && shown.trim() !== "") headers.push({ row: block.row + 1 + r, column: block.column + 1 + c, text: shown, plain: true });
    });
  });
}

function toArgb(color: string): string {
  const hex = color.replace(/^#/, "").toUpperCase();
  return hex.length === 6 ? `FF${hex}` : hex;
}

function conditionalRule(format: ConditionalFormat, priority: number): ExcelJS.ConditionalFormattingRule {
  const rule = format.rule;
  if (rule.kind === "colorScale") {
    const cfvo: ExcelJS.Cvfo[] = rule.mid ? [{ type: "min" }, { type: "percentile", value: 50 }, { type: "max" }] : [{ type: "min" }, { type: "max" }];
    const color = (rule.mid ? [rule.low, rule.mid, rule.high] : [rule.low, rule.high]).map((c) => ({ argb: toArgb(c) }));
    return { type: "colorScale", priority, cfvo, color } as ExcelJS.ConditionalFormattingRule;
  }
  if (rule.kind === "dataBar") {
    return {
      type: "dataBar",
      priority,
      gradient: false,
      cfvo: [{ type: "min" }, { type: "max" }],
      color: { argb: toArgb(rule.color) },
    } as unknown as ExcelJS.ConditionalFormattingRule;
  }
  const fill = rule.look === "good" ? "FFC6EFCE" : "FFFFC7CE";
  const font = rule.look === "good" ? "FF006100" : "FF9C0006";
  if (rule.kind === "expression") {
    return {
      type: "expression",
      priority,
      formulae: [rule.formula],
      style: { fill: { type: "pattern", pattern: "solid", bgColor: { argb: fill } }, font: { color: { argb: font } } },
    } as ExcelJS.ConditionalFormattingRule;
  }
  return {
    type: "cellIs",
    priority,
    operator: rule.operator,
    formulae: [String(rule.value)],
    style: { fill: { type: "pattern", pattern: "solid", bgColor: { argb: fill } }, font: { color: { argb: font } } },
  } as ExcelJS.ConditionalFormattingRule;
}

/**
 * Writes a ReportSheet as a new worksheet, with names free in the workbook and in `reserved`.
 * `tableKinds` gives, by block index, the column kinds of tables whose rows were cut to a template
 * row (see {@link lightReport}), so their cells are aligned as their real rows need.
 */
export function addReportSheetReserving(workbook: ExcelJS.Workbook, sheet: ReportSheet, reserved: ReservedNames, tableKinds?: ReadonlyMap<number, readonly ColumnKind[]>): string {
  const existing = [...reserved.sheetNames, ...workbook.worksheets.map((w) => w.name)];
  const name = freeSheetName(existing, sheet.name);
  const views: Partial<ExcelJS.WorksheetView>[] =
    sheet.freeze.rows > 0 || sheet.freeze.columns > 0
      ? [{ state: "frozen", xSplit: sheet.freeze.columns, ySplit: sheet.freeze.rows, showGridLines: false }]
      : [{ showGridLines: false }];
  const worksheet = workbook.addWorksheet(name, { views, properties: { tabColor: { argb: GENERATED_TAB_COLOR } } });
  sheet.columnWidths.forEach((width, c) => {
    if (Number.isFinite(width) && width > 0) worksheet.getColumn(c + 1).width = width;
  });
  const tableName = (preferred: string): string => freeTableName(workbook, preferred, reserved.tableNames);
  const headers: HeaderCell[] = [];
  sheet.blocks.forEach((block, index) => writeBlock(worksheet, block, tableName, reserved.date1904 === true, headers, tableKinds?.get(index)));
  alignPlainHeaders(worksheet, headers);
  padTextAfterNumbers(worksheet);
  fitHeaders(worksheet, headers);
  // Rules on the same range go into one conditionalFormatting element: LibreOffice applies the
  // first of two elements with the same range to every cell of it when their rules are formulas.
  const rulesByRef = new Map<string, ExcelJS.ConditionalFormattingRule[]>();
  sheet.conditionalFormats.forEach((format, i) => {
    const r = format.range;
    const ref = `${columnLetters(r.column)}${r.row + 1}:${columnLetters(r.column + r.columnCount - 1)}${r.row + r.rowCount}`;
    const rules = rulesByRef.get(ref) ?? [];
    rules.push(conditionalRule(format, i + 1));
    rulesByRef.set(ref, rules);
  });
  for (const [ref, rules] of rulesByRef) worksheet.addConditionalFormatting({ ref, rules });
  return name;
}

/**
 * Writes a ReportSheet into an ExcelJS workbook as a new worksheet with a free name ("Segmentation
 * 2" when "Segmentation" exists) and returns the name used. Writes cells with styles per CellStyle,
 * number formats, formulas with their computed values ({formula, result}), Excel tables (names made
 * unique in the workbook), column widths, frozen panes, conditional formats and a tab colour. Charts
 * are not written here (ExcelJS writes none): {@link addTabsToXlsx} adds them as native chart parts.
 */
export function addReportSheet(workbook: ExcelJS.Workbook, sheet: ReportSheet): string {
  // Alone, the sheet has no other tab of its run to refer to: cross-tab formulas are written as their values.
  return addReportSheetReserving(workbook, resolveSheetReferences(sheet, () => undefined), { sheetNames: [], tableNames: [] });
}

/**
 * A new workbook: the data tables first (each an Excel table with number formats, written by
 * {@link writeDataWorkbook} without ExcelJS), then the report sheets (added as by
 * {@link addTabsToXlsx}). Returns the file's bytes and the sheet names used, in order.
 */
export async function writeNewWorkbook(dataSheets: readonly DataSheet[], reports: readonly ReportSheet[]): Promise<{ bytes: Uint8Array; names: string[] }> {
  const bytes = await writeDataWorkbook(dataSheets);
  const names = dataSheetNames(dataSheets);
  if (reports.length === 0) return { bytes, names };
  const withTabs = await addTabsToXlsx(bytes, reports);
  return { bytes: withTabs.bytes, names: [...names, ...withTabs.names] };
}

/** Tables with at least this many plain rows have their data rows written as XML directly (see {@link lightReport}). */
export const DIRECT_ROWS_MIN = 200;

function cellsOverlap(block: Block, firstRow: number, lastRow: number, firstColumn: number, lastColumn: number): boolean {
  const rows = block.kind === "table" ? block.rows.length + 1 + (block.totals ? 1 : 0) : block.values.length;
  const columns = block.kind === "table" ? block.headers.length : Math.max(0, ...block.values.map((row) => row.length));
  return block.row <= lastRow && block.row + rows - 1 >= firstRow && block.column <= lastColumn && block.column + columns - 1 >= firstColumn;
}

/**
 * The report with its big plain tables cut to one template row, and those tables' rows for the
 * graft to write itself. ExcelJS's cell model costs seconds and hundreds of megabytes for tables of
 * tens of thousands of rows; a table qualifies when it has at least {@link DIRECT_ROWS_MIN} rows,
 * no totals row, no formulas, and no other block on its data rows (in any column), so its rows can
 * replace the template row in the sheet XML unchanged otherwise; blocks below its last row (the
 * provenance under a per-customer table) keep their rows and follow the written rows. The template row
 * holds 0 in every column, so ExcelJS writes each column's cell format for the graft to copy.
 */
function lightReport(sheet: ReportSheet, date1904: boolean): { sheet: ReportSheet; tables: DirectTableRows[]; kinds: Map<number, ColumnKind[]> } {
  const tables: DirectTableRows[] = [];
  const kinds = new Map<number, ColumnKind[]>();
  const blocks = sheet.blocks.map((block, i) => {
    if (block.kind !== "table" || block.rows.length < DIRECT_ROWS_MIN || block.totals !== undefined || block.headers.length === 0) return block;
    if (block.rows.some((row) => row.length > block.headers.length || row.some((cell) => isFormulaCell(cell)))) return block;
    const firstDataRow = block.row + 1;
    const lastColumn = block.column + block.headers.length - 1;
    const lastDataRow = block.row + block.rows.length;
    const others = sheet.blocks.filter((_, j) => j !== i);
    if (others.some((other) => cellsOverlap(other, firstDataRow, lastDataRow, 0, Number.MAX_SAFE_INTEGER))) return block;
    const formats = block.numberFormats ?? [];
    tables.push({
      headerRow: block.row,
      column: block.column,
      columnCount: lastColumn - block.column + 1,
      rows: block.rows as readonly (readonly CellValue[])[],
      shiftDays: block.headers.map((_, c) => (date1904 && isDateNumberFormat(formats[c]) ? DATE_1904_OFFSET : 0)),
    });
    const template: CellValue[] = block.headers.map(() => 0);
    kinds.set(i, columnKinds(block.rows, block.headers.length));
    return { ...block, rows: [template] };
  });
  return { sheet: tables.length === 0 ? sheet : { ...sheet, blocks }, tables, kinds };
}

/**
 * Adds report tabs to an existing .xlsx without touching its own sheets: every original part
 * (sheet XML, drawings, charts, pivot tables, ...) stays byte-for-byte identical; only the
 * workbook index, its relationships, the content types and the styles (appended to) change, plus
 * the new sheet, table, drawing and chart parts (each tab's charts, native, referring to its cells).
 * The workbook opens on the first new tab unless one of its own sheets is saved selected (see
 * openingTab.ts). Tab names are free names ("Segmentation 2").
 * @throws XlsxError when the original is not a readable .xlsx; Error, before anything is written,
 *   when a tab passes an Excel sheet's last row
 */
export async function addTabsToXlsx(original: Uint8Array, reports: readonly ReportSheet[]): Promise<{ bytes: Uint8Array; names: string[] }> {
  // Nothing is written when a tab passes the sheet's last row (buildAllTabs leaves such tabs out).
  for (const report of reports) assertSheetFits(report);
  return graftReportTabs(original, (reserved) => {
    const workbook = new ExcelJS.Workbook();
    const names: string[] = [];
    const directRows = new Map<string, DirectTableRows[]>();
    const written = new Map<string, ReportSheet>();
    // Every tab's final name first: a tab's formulas may refer to a tab written after it (the
    // Scorecard, first, reads all the others).
    const planned: string[] = [];
    for (const report of reports) planned.push(freeSheetName([...reserved.sheetNames, ...planned], report.name));
    const nameOf = finalNames(reports, planned);
    for (const report of reports) {
      const light = lightReport(resolveSheetReferences(report, nameOf), reserved.date1904);
      const name = addReportSheetReserving(workbook, light.sheet, { ...reserved, sheetNames: [...reserved.sheetNames, ...names] }, light.kinds);
      names.push(name);
      written.set(name, report);
      if (light.tables.length > 0) directRows.set(name, light.tables);
    }
    return { workbook, names, directRows, reports: written };
  });
}
