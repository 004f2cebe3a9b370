/**
 * One table of a CSV file read the way `imc report` reads a sheet: the file as a sheet
 * (sheet.ts), the table found by the report's detection (header below title and blank rows, header
 * synonyms, columns read from content when headers say nothing, invoice lines), its rows as the
 * report reads them (blank rows skipped, a trailing "Total" row left out, dates read day-first or
 * month-first as the column shows, yyyymmdd numbers and month names, money text with currency and
 * thousands separators). Used by `imc clv`, `imc rfm` and `imc attribute` on a whole file.
 *
 * What the detection and the column reading throw about the sheet is re-addressed to the file, its
 * line and the column header: `imc: orders.csv, row 17, column Date: …`.
 */

import { isEngineError } from "../../engine/errors";
import { businessDataOf, detectTables, isKnownHeader, kindFlagName, type BusinessData, type ColumnRole, type FoundTable, type ReadingOptions, type SheetCells } from "../../reports/detect";
import { dataRowsOf, rowList, sheetLayout } from "../../reports/sheetLayout";
import { CliError } from "../errors";
import { findColumns, type ColumnRole as CsvColumnRole } from "./columns";
import { binaryKindOf, notCsvError } from "./fileKind";
import { readProblem } from "./reader";
import { csvHead, padRows, readCsvRows } from "./sheet";

/** The kinds of table a command reads from one file. */
export type FileTableKind = "orders" | "touchpoints";

/** How to settle what the data cannot say, by the engine's argument name (as `imc report` says it). */
export const READING_FIXES: Readonly<Record<string, string>> = {
  date_order: "say which with --date-order dmy (day first) or --date-order mdy (month first)",
  decimal: "say which with --decimal . (1,234.50) or --decimal , (1.234,50)",
  header_row: "give the header's row with --header-row N",
};

/** The file holds no table of the kind asked for (a column missing, no header row, no data rows). */
export class TableNotFoundError extends CliError {
  /** @param error the message and location, as the command words them. */
  constructor(error: CliError) {
    super(error.message, { exitCode: error.exitCode, file: error.file, row: error.row, column: error.column });
    this.name = "TableNotFoundError";
  }
}

/** What {@link readFileTable} is asked for. */
export interface FileTableRequest<K extends string> {
  /** The kind of table the file holds. */
  readonly kind: FileTableKind;
  /** The command's columns (for the message when one is missing), by the command's role key. */
  readonly roles: Readonly<Record<K, CsvColumnRole>>;
  /** The detection's role of each of the command's role keys. */
  readonly detectionRoles: Readonly<Record<K, ColumnRole>>;
  /** Column headers the user named (--id-column …), by the command's role key. */
  readonly columns: Readonly<Partial<Record<K, string>>>;
  /** The header's line, when the user gave it (--header-row). */
  readonly headerRow?: number;
  /** Date order and decimal mark, when the user gave them. */
  readonly reading: ReadingOptions;
  /** Called with the number of records read so far (progress). */
  readonly onRow?: (rows: number) => void;
}

/** A table read from a file. */
export interface FileTable {
  /** Where the table was found and which column is which. */
  readonly found: FoundTable;
  /** The table as the report's reading leaves it (only `found.kind` is set). */
  readonly data: BusinessData;
  /** The file line of each row handed on (an order's first line for invoice lines). */
  readonly lines: readonly number[];
  /** What reading left out or interpreted, as lines for stderr (`orders (file "x.csv"): …`), without newlines. */
  readonly notes: readonly string[];
  /** How the table was found, in words (`file "x.csv", headers in row 3 …: read …`). */
  readonly description: string;
}

/**
 * Re-addresses what the detection and the column reading say of the sheet to the file:
 * `Sheet "x.csv", column Date (B), row 17: …` → row 17, column Date; `Sheet "x.csv" has …` →
 * `the file has …`; with the option that settles it, when there is one.
 *
 * @param error what was thrown.
 * @param sheet the sheet's name (the file as the user named it).
 * @returns a CliError naming the file (and row and column when the message names them), or `error` unchanged.
 */
export function fileReadingError(error: unknown, sheet: string): unknown {
  if (!isEngineError(error)) return error;
  const fix = error.argument === undefined ? undefined : READING_FIXES[error.argument];
  const withFix = (problem: string): string => (fix === undefined ? problem : `${problem}; ${fix}`);
  const prefix = `Sheet "${sheet}"`;
  if (error.message.startsWith(prefix)) {
    const rest = error.message.slice(prefix.length);
    const cell = /^, column (.+?) \([A-Z]{1,3}\)(?:, row (\d+))?: ([\s\S]*)$/.exec(rest) ?? null;
    if (cell !== null) return new CliError(withFix(cell[3]), { file: sheet, row: cell[2] === undefined ? undefined : Number(cell[2]), column: cell[1] });
    const rowCell = /^, row (\d+), column (.+?) \([A-Z]{1,3}\): ([\s\S]*)$/.exec(rest);
    if (rowCell !== null) return new CliError(withFix(rowCell[3]), { file: sheet, row: Number(rowCell[1]), column: rowCell[2] });
  }
  const reworded = error.message.split(prefix).join("The file").split(`sheet "${sheet}"`).join("the file");
  return new CliError(withFix(reworded.replace(/^The file/, "the file")), { file: sheet });
}

/**
 * Reads a whole CSV file as a sheet and the one table it holds as `imc report` reads it; an .xlsx
 * workbook or a Parquet file given instead is read as what it is ({@link readBinaryTable}).
 *
 * @param file path of the file.
 * @param display the file as the user named it (the sheet's name, and the name in messages).
 * @param request the kind of table, the columns and options the user gave.
 * @returns the table found, its data as the report reads it, the file line of each row, and notes.
 * @throws TableNotFoundError (a CliError) when the table is not there: a column missing (as the
 *   command's column flags say it), a header row that cannot be, no data rows; CliError naming the
 *   file (and row and column) for a file that cannot be read, a row with more fields than the
 *   header, or a cell the column reading cannot read.
 */
export async function readFileTable<K extends string>(file: string, display: string, request: FileTableRequest<K>): Promise<FileTable> {
  const binary = binaryKindOf(file);
  if (binary === "xls") throw notCsvError(binary, display, "save it as .xlsx or CSV first");
  if (binary !== null) return readBinaryTable(file, display, binary, request);
  let head: string;
  try {
    head = csvHead(file);
  } catch (error) {
    throw new CliError(`cannot read ${display}: ${readProblem(error)}`);
  }
  const read = await readCsvRows(file, display, head, { onRow: request.onRow });
  // The records as written, before the sheet is made a rectangle: a record longer than its header
  // is a delimiter inside an unquoted field (1,234.50 in a comma-separated file), never data to drop.
  const widths = read.rows.map((row) => row.length);
  padRows(read.rows);
  const sheet: SheetCells = { name: display, rows: read.rows };
  const kind = request.kind;
  const given: Partial<Record<ColumnRole, string>> = {};
  for (const key of Object.keys(request.roles) as K[]) {
    const header = request.columns[key];
    if (header !== undefined) given[request.detectionRoles[key]] = header;
  }
  const overrides = { sheets: { [kind]: display }, columns: { [kind]: given }, ...(request.headerRow === undefined ? {} : { headerRow: request.headerRow }) };
  let found: FoundTable | undefined;
  try {
    found = detectTables([sheet], overrides)[kind];
  } catch (error) {
    let problem: unknown;
    try {
      if (isEngineError(error) && error.argument !== "header_row") missingColumns(sheet, request, display);
      problem = fileReadingError(error, display);
    } catch (missing) {
      problem = missing;
    }
    throw problem instanceof CliError ? new TableNotFoundError(problem) : problem;
  }
  if (found === undefined) throw new TableNotFoundError(new CliError(`no ${kind} table found`, { file: display }));
  const headerIndex = found.headerRow - 1;
  const headerWidth = widths[headerIndex];
  for (let i = headerIndex + 1; i < read.rows.length; i++) {
    if (widths[i] <= headerWidth) continue;
    for (let c = headerWidth; c < widths[i]; c++) {
      if (read.rows[i][c].trim() !== "") {
        throw new CliError(`the row has ${widths[i]} fields but the header has ${headerWidth}; quote fields that contain the delimiter`, { file: display, row: i + 1 });
      }
    }
  }
  let data: BusinessData;
  try {
    data = businessDataOf([sheet], { [kind]: found }, request.reading);
  } catch (error) {
    throw fileReadingError(error, display);
  }
  const lines = data.rowNumbers?.[kind] ?? [];
  if (lines.length === 0) throw new CliError("the file has a header but no data rows", { file: display });
  const readingNotes = (kind === "orders" ? data.orders?.readingNotes : data.touchpoints?.readingNotes) ?? [];
  const notes = withoutContinuationLines(readingNotes, sheet, found, read.continuationLines).map((note) => `${kindFlagName(kind)} (file "${display}"): ${note}`);
  const description = found.description.split(`sheet "${display}"`).join(`file "${display}"`);
  return { found, data, lines, notes, description };
}

/** Throws the command's own message for a column it cannot find (as `imc clv` has always said it); returns when every column is there. */
function missingColumns<K extends string>(sheet: SheetCells, request: FileTableRequest<K>, display: string): void {
  const layout = sheetLayout(sheet, isKnownHeader, request.headerRow);
  if (layout === null) return;
  findColumns(layout.headers, request.roles, request.columns, display);
  const hasData = sheet.rows.slice(layout.dataStart).some((row) => row.some((cell) => String(cell).trim() !== ""));
  if (!hasData) throw new CliError("the file has a header but no data rows", { file: display });
}

/**
 * The reading notes with the blank-row note counting only blank lines: the lines inside a quoted
 * line break are empty rows of the sheet but not blank lines of the file.
 */
function withoutContinuationLines(notes: readonly string[], sheet: SheetCells, found: FoundTable, continuationLines: readonly number[]): string[] {
  if (continuationLines.length === 0) return [...notes];
  const layout = sheetLayout(sheet, isKnownHeader, found.headerRow);
  if (layout === null) return [...notes];
  const labelColumn = found.columns.customerId ?? -1;
  const inside = new Set(continuationLines);
  const blank = dataRowsOf(sheet, layout, labelColumn).blankRows.filter((row) => !inside.has(row));
  const out: string[] = [];
  for (const note of notes) {
    if (!/^[\d,]+ blank rows? skipped \(/.test(note)) out.push(note);
    else if (blank.length > 0) out.push(`${blank.length.toLocaleString("en-US")} blank ${blank.length === 1 ? "row" : "rows"} skipped (${rowList(blank)})`);
  }
  return out;
}

/**
 * The table of an .xlsx workbook (its sheets, as `imc report` reads them) or a Parquet file (as
 * `imc report --from` reads it in memory), found and read as a CSV file's is: a finance user's
 * orders are often a workbook, and a warehouse export a Parquet file.
 *
 * @param file path of the file.
 * @param display the file as the user named it.
 * @param binary what the file is.
 * @param request the kind of table, the columns and options the user gave.
 * @throws TableNotFoundError when no sheet holds the table; CliError for a file that cannot be read,
 *   is over the cell budget (with the out-of-core route), or has a bad cell (naming sheet, row and column).
 */
async function readBinaryTable<K extends string>(file: string, display: string, binary: "xlsx" | "parquet", request: FileTableRequest<K>): Promise<FileTable> {
  const sheets = binary === "xlsx" ? await workbookSheets(file, display) : await parquetSheets(file, display);
  const kind = request.kind;
  const given: Partial<Record<ColumnRole, string>> = {};
  for (const key of Object.keys(request.roles) as K[]) {
    const header = request.columns[key];
    if (header !== undefined) given[request.detectionRoles[key]] = header;
  }
  const single = sheets.length === 1 ? sheets[0] : null;
  const overrides = { ...(single === null ? {} : { sheets: { [kind]: single.name } }), columns: { [kind]: given }, ...(request.headerRow === undefined ? {} : { headerRow: request.headerRow }) };
  // A Parquet file is one sheet named as the file, said as the file; a workbook's sheets keep their names.
  const reword = (error: unknown): unknown => (binary === "parquet" && single !== null ? fileReadingError(error, single.name) : isEngineError(error) ? new CliError(error.message, { file: display }) : error);
  let found: FoundTable | undefined;
  try {
    found = detectTables(sheets, overrides)[kind];
  } catch (error) {
    let problem: unknown;
    try {
      if (single !== null && isEngineError(error) && error.argument !== "header_row") missingColumns(single, request, display);
      problem = reword(error);
    } catch (missing) {
      problem = missing;
    }
    throw problem instanceof CliError ? new TableNotFoundError(problem) : problem;
  }
  if (found === undefined) {
    if (single !== null) missingColumns(single, request, display);
    const names = sheets.map((sheet) => `"${sheet.name}"`).join(", ");
    throw new TableNotFoundError(new CliError(`no ${kind} table found in ${sheets.length === 1 ? "the sheet" : "the sheets"} ${names}`, { file: display }));
  }
  let data: BusinessData;
  try {
    data = businessDataOf(sheets, { [kind]: found }, request.reading);
  } catch (error) {
    throw reword(error);
  }
  const lines = data.rowNumbers?.[kind] ?? [];
  if (lines.length === 0) throw new CliError(binary === "xlsx" ? `sheet "${found.sheet}" has a header but no data rows` : "the file has a header but no data rows", { file: display });
  const where = binary === "xlsx" ? `sheet "${found.sheet}" of ${display}` : `file "${display}"`;
  const readingNotes = (kind === "orders" ? data.orders?.readingNotes : data.touchpoints?.readingNotes) ?? [];
  const notes = readingNotes.map((note) => `${kindFlagName(kind)} (${where}): ${note}`);
  const description = binary === "parquet" ? found.description.split(`sheet "${found.sheet}"`).join(`file "${display}"`) : `${found.description} of ${display}`;
  return { found, data, lines, notes, description };
}

/** The sheets of an .xlsx workbook, as `imc report` reads them. */
async function workbookSheets(file: string, display: string): Promise<SheetCells[]> {
  const [{ readFileSync }, { readWorkbook }, { XlsxError }] = await Promise.all([import("node:fs"), import("../xlsx/readWorkbook"), import("../xlsx/xlsxError")]);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new CliError(`cannot read ${display}: ${readProblem(error)}`);
  }
  try {
    return await readWorkbook(bytes, display);
  } catch (error) {
    if (error instanceof XlsxError) throw new CliError(error.message);
    throw error;
  }
}

/** A Parquet file as one sheet, as `imc report --from` reads it in memory (DuckDB). */
async function parquetSheets(file: string, display: string): Promise<SheetCells[]> {
  const { readFileSheets, TooManyCells } = await import("../duckdb/fileSheets");
  try {
    return await readFileSheets([{ display, pattern: file }]);
  } catch (error) {
    if (!(error instanceof TooManyCells)) throw error;
    const size = /^holds ([\d,]+) cells, more than --max-cells ([\d,]+)/.exec(error.message);
    const what = size === null ? "holds more cells than are read into memory" : `holds ${size[1]} cells, more than the ${size[2]} read into memory`;
    throw new CliError(`${what}: read it out of core with --from ${display} instead`, { file: display });
  }
}
