/**
 * `imc report --from FILES`: Parquet and CSV files (globs allowed) as the sheets `imc report` reads
 * from a workbook, so that the same detection (title rows, header synonyms, totals rows, text dates,
 * money as text) finds their tables and the same builders make the tabs.
 *
 * - Parquet is read through DuckDB, typed: DATE and TIMESTAMP columns become Excel serials shown as
 *   dates, numbers numbers, text text; the header is the file's column names. A glob is one table
 *   (read_parquet with union_by_name).
 * - CSV is read as a sheet by src/cli/csv/sheet.ts (the delimiter chosen from the first lines, not
 *   only the first), every line in its place, so a title row, blank lines and a "Total" row are found
 *   as in a sheet and "row 17" is line 17 of the file. Cells stay text, read as the workbook route
 *   reads text cells.
 * - A glob's files with the same columns (Parquet) or the same first line (CSV: the header, or the
 *   title above it) are one table, their rows one after the other — for CSV, each later file's
 *   leading rows are left out while they repeat the first file's (its title and header); files of
 *   other columns are tables of their own, named by file.
 *
 * The tabs are built in memory from every row, so the files may hold at most `maxCells` cells (the
 * workbook reader's budget, --max-cells). With `oversized: "head"` (imc report), a file or glob over
 * the budget is read only up to its first rows, enough to find its table: an orders table is then
 * summarised out of core (src/cli/duckdb/report/), any other is refused by the caller. Otherwise
 * bigger files get an error that points to `imc attribute --from`, `imc clv --from` and `imc sql`.
 */

import { statSync } from "node:fs";
import path from "node:path";
import type { SheetCells } from "../../reports/detect";
import { refuseWorkbooks } from "../csv/fileKind";
import { csvDelimiter, csvHead, padRows, readCsvRows } from "../csv/sheet";
import { CliError } from "../errors";
import { DEFAULT_MAX_CELLS } from "../xlsx/readWorkbook";
import { duckDbError, literal, openDuckDb, type DuckDb } from "./connection";
import { isParquet } from "./source";
import { isNumberType } from "./valueReading";

/** One --from file or glob, read as a sheet. */
export interface FileSheet extends SheetCells {
  /** The files it was read from, in order. */
  readonly files: readonly string[];
  /**
   * Set when the files hold more cells than the budget and only their first rows were read (with
   * `oversized: "head"`): enough to find the table and its columns, which are then read out of core.
   */
  readonly oversized?: OversizedFiles;
}

/** Files too large to read as a sheet: what was read of them and what they hold. */
export interface OversizedFiles {
  /** The pattern as given (resolved): DuckDB reads it whole. */
  readonly pattern: string;
  readonly parquet: boolean;
  /** Cells the files hold (Parquet: counted; CSV: estimated from the first 64 KB and the file sizes). */
  readonly cells: number;
  /** The budget they were over (--max-cells). */
  readonly maxCells: number;
}

/** What was read, and what it cost. */
export interface FileSheetOptions {
  /** Cells (rows × columns) the files may hold in all (default the workbook reader's, 8,000,000). */
  readonly maxCells?: number;
  /**
   * What to do with files over the budget: "error" (the default) stops with the routes that take any
   * size; "head" reads their first {@link HEAD_ROWS} rows and marks the sheet `oversized`, so that
   * the caller can find the table in them and read it out of core.
   */
  readonly oversized?: "error" | "head";
}

/** Rows read of a file too large to read whole: enough for the detection to find its table and columns. */
export const HEAD_ROWS = 2000;

/** A CliError for files over the cell budget. */
export class TooManyCells extends CliError {}

const DATE_FORMAT = "yyyy-mm-dd";
const TIMESTAMP_FORMAT = "yyyy-mm-dd hh:mm:ss";

/** True when the pattern has glob characters. */
function isGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/**
 * The sheet name of a pattern, which messages, provenance and --orders-sheet use: the file's name
 * ("orders.parquet"), or the glob as written ("orders/*.csv").
 */
export function sheetNameOf(display: string): string {
  return isGlob(display) ? display : path.basename(display);
}

/** An error for a budget overrun, with the routes that take any size. */
export function tooManyCells(display: string, cells: number, maxCells: number): CliError {
  return new TooManyCells(
    `holds ${cells.toLocaleString("en-US")} cells, more than --max-cells ${maxCells.toLocaleString("en-US")}: the tabs of this table are built in memory from every row (only orders and touchpoint logs of any size are summarised out of core); raise --max-cells (about 1 GB of memory per 8 million cells), or summarise files of this size with imc attribute --from, imc clv --from or the SQL of imc sql`,
    { file: display },
  );
}

/**
 * Reads each pattern as sheets: one per group of its files with the same columns (Parquet) or the
 * same first line (CSV) — one sheet for a single file or a glob of like files.
 *
 * @param patterns resolved files or globs, with the names the user gave.
 * @param options the cell budget.
 * @returns the sheets, named by {@link sheetNameOf} (a glob's odd files by their file names).
 * @throws CliError when a pattern matches no file, a file cannot be read, or the cells exceed the budget.
 */
export async function readFileSheets(patterns: readonly { readonly display: string; readonly pattern: string }[], options: FileSheetOptions = {}): Promise<FileSheet[]> {
  const maxCells = options.maxCells ?? DEFAULT_MAX_CELLS;
  const db = await openDuckDb();
  try {
    // Rows in file order, as a sheet holds them: a multi-threaded scan of a large Parquet file hands
    // row groups back in any order otherwise (touches at one time, repeated conversions and first
    // appearance depend on the order).
    await db.rows("SET preserve_insertion_order = true");
    const sheets: FileSheet[] = [];
    let used = 0;
    const names = new Set<string>();
    // The first 64 KB of each CSV file, read once: for the grouping and for the delimiter.
    const heads = new Map<string, string>();
    const headOf = (file: string): string => {
      let text = heads.get(file);
      if (text === undefined) heads.set(file, (text = csvHead(file)));
      return text;
    };
    for (const { display, pattern } of patterns) {
      const parquet = isParquet(pattern);
      const files = await filesOf(db, pattern, display);
      if (!parquet) refuseWorkbooks(files, display);
      const groups = parquet ? await parquetGroups(db, files, display) : csvGroups(files, headOf);
      for (const group of groups) {
        const shown = groups.length === 1 ? display : group.length === 1 ? path.basename(group[0]) : `${display} (${path.basename(group[0])} and ${group.length - 1} more)`;
        const budget = maxCells - used;
        // Only files DuckDB can read as one pattern are read out of core: the whole pattern, or one file of it.
        const own = groups.length === 1 ? pattern : group.length === 1 ? group[0] : null;
        const head = async (cells: number): Promise<Omit<FileSheet, "name">> => {
          const oversized: OversizedFiles = { pattern: own!, parquet, cells, maxCells };
          return { ...(parquet ? await parquetSheet(db, group, shown, Infinity, maxCells, HEAD_ROWS) : await csvHeadSheet(group[0], shown, headOf)), oversized };
        };
        const summarise = options.oversized === "head" && own !== null;
        const estimate = parquet ? 0 : csvCellEstimate(group, headOf);
        let sheet: Omit<FileSheet, "name">;
        if (summarise && estimate > budget * 1.5) {
          sheet = await head(estimate);
        } else {
          try {
            sheet = parquet ? await parquetSheet(db, group, shown, budget, maxCells) : await csvSheet(group, shown, budget, maxCells, headOf);
          } catch (error) {
            if (!summarise || !(error instanceof TooManyCells)) throw error;
            sheet = await head(parquet ? await parquetCells(db, group, shown) : Math.max(estimate, budget + 1));
          }
        }
        used += sheet.rows.reduce((sum, row) => sum + row.length, 0);
        const base = groups.length === 1 ? sheetNameOf(display) : group.length === 1 ? path.basename(group[0]) : shown;
        let name = base;
        for (let k = 2; names.has(name.toLowerCase()); k++) name = `${base} ${k}`;
        names.add(name.toLowerCase());
        sheets.push({ ...sheet, name });
      }
    }
    return sheets;
  } finally {
    db.close();
  }
}

/** Files in groups of the same first non-blank line (a CSV's header, or its title), in file order. */
function csvGroups(files: readonly string[], headOf: (file: string) => string): string[][] {
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const first = headOf(file).split(/\r?\n/).find((line) => line.trim() !== "") ?? "";
    const key = first.trim();
    const group = groups.get(key);
    if (group) group.push(file);
    else groups.set(key, [file]);
  }
  return [...groups.values()];
}

/** Parquet files in groups of the same column names, in file order. */
async function parquetGroups(db: DuckDb, files: readonly string[], display: string): Promise<string[][]> {
  if (files.length === 1) return [[...files]];
  const groups = new Map<string, string[]>();
  for (const file of files) {
    let described;
    try {
      described = await db.rows(`DESCRIBE SELECT * FROM read_parquet(${literal(file)})`);
    } catch (error) {
      throw duckDbError(error, `${display} (${path.basename(file)})`);
    }
    const key = JSON.stringify(described.rows.map((row) => String(row[0])));
    const group = groups.get(key);
    if (group) group.push(file);
    else groups.set(key, [file]);
  }
  return [...groups.values()];
}

/** The files a pattern names, sorted; an error when none. */
async function filesOf(db: DuckDb, pattern: string, display: string): Promise<string[]> {
  let files: string[];
  try {
    files = (await db.rows(`SELECT file FROM glob(${literal(pattern)}) ORDER BY file`)).rows.map((row) => String(row[0]));
  } catch (error) {
    throw duckDbError(error, display);
  }
  if (files.length === 0) throw new CliError(isGlob(pattern) ? "no file matches this pattern" : "cannot read it: no such file", { file: display });
  return files;
}

/** The cells of a Parquet column, converted in SQL: dates and timestamps to serials, numbers to doubles. */
function parquetColumn(name: string, type: string): { sql: string; format: string | null } {
  const column = `"${name.replace(/"/g, '""')}"`;
  const t = type.toUpperCase();
  if (t === "DATE") return { sql: `CAST(${column} - DATE '1899-12-30' AS DOUBLE)`, format: DATE_FORMAT };
  if (t.startsWith("TIMESTAMP")) {
    return { sql: `EPOCH_US(CAST(${column} AS TIMESTAMP)) / 86400000000.0 + 25569`, format: TIMESTAMP_FORMAT };
  }
  if (isNumberType(t)) return { sql: `CAST(${column} AS DOUBLE)`, format: null };
  if (t === "BOOLEAN" || t === "VARCHAR") return { sql: column, format: null };
  return { sql: `CAST(${column} AS VARCHAR)`, format: null };
}

/** The relation of Parquet files read as one table. */
function parquetRelation(files: readonly string[]): string {
  return `read_parquet([${files.map(literal).join(", ")}], union_by_name = true)`;
}

/** Cells of Parquet files (header row included), from their row count. */
async function parquetCells(db: DuckDb, files: readonly string[], display: string): Promise<number> {
  const relation = parquetRelation(files);
  try {
    const columns = (await db.rows(`DESCRIBE SELECT * FROM ${relation}`)).rows.length;
    return (Number((await db.rows(`SELECT COUNT(*) FROM ${relation}`)).rows[0][0]) + 1) * columns;
  } catch (error) {
    throw duckDbError(error, display);
  }
}

/**
 * Cells of CSV files, estimated from the first 64 KB (fields per line, bytes per line) and the
 * files' sizes: to tell a file far over the budget before reading it.
 */
function csvCellEstimate(files: readonly string[], headOf: (file: string) => string): number {
  let cells = 0;
  for (const file of files) {
    const text = headOf(file);
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    if (lines.length < 2) continue;
    const delimiter = csvDelimiter(text);
    const fields = Math.max(...lines.slice(0, 20).map((line) => line.split(delimiter).length));
    const bytes = Buffer.byteLength(text, "utf8") / lines.length;
    cells += (statSync(file).size / bytes) * fields;
  }
  return Math.round(cells);
}

/** The first {@link HEAD_ROWS} lines of a CSV file as a sheet. */
async function csvHeadSheet(file: string, display: string, headOf: (file: string) => string): Promise<Omit<FileSheet, "name">> {
  const { rows } = await readCsvRows(file, display, headOf(file), { maxRecords: HEAD_ROWS });
  padRows(rows);
  return { rows, files: [file] };
}

async function parquetSheet(db: DuckDb, files: readonly string[], display: string, budget: number, maxCells: number, limit: number | null = null): Promise<Omit<FileSheet, "name">> {
  const relation = parquetRelation(files);
  try {
    const described = await db.rows(`DESCRIBE SELECT * FROM ${relation}`);
    const header = described.rows.map((row) => String(row[0]));
    const columns = described.rows.map((row) => parquetColumn(String(row[0]), String(row[1])));
    if (limit === null) {
      const count = Number((await db.rows(`SELECT COUNT(*) FROM ${relation}`)).rows[0][0]);
      const cells = (count + 1) * header.length;
      if (cells > budget) throw tooManyCells(display, cells, maxCells);
    }
    const rows: unknown[][] = [header];
    const result = await db.connection.stream(`SELECT ${columns.map((c) => c.sql).join(", ")} FROM ${relation}${limit === null ? "" : ` LIMIT ${limit}`}`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const values = columns.map((_, c) => chunk.getColumnValues(c));
      for (let i = 0; i < chunk.rowCount; i++) rows.push(values.map((column) => column[i] ?? null));
    }
    return { rows, files, numberFormats: columns.map((c) => c.format) };
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw duckDbError(error, display);
  }
}

/** The delimiter of a CSV file (moved to src/cli/csv/sheet.ts; exported here as before). */
export { csvDelimiter } from "../csv/sheet";

/** One CSV file's rows, each at its line (row i is line i + 1; blank lines are empty rows). */
async function csvRows(file: string, display: string, budget: { left: number; total: number; max: number }, text: string): Promise<string[][]> {
  const read = await readCsvRows(file, display, text, {
    onRecord: (fields) => {
      budget.left -= fields.length;
      budget.total += fields.length;
      if (budget.left < 0) throw tooManyCells(display, budget.total, budget.max);
    },
  });
  return read.rows;
}

function sameRow(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].trim() !== b[i].trim()) return false;
  return true;
}

async function csvSheet(files: readonly string[], display: string, left: number, max: number, headOf: (file: string) => string): Promise<Omit<FileSheet, "name">> {
  const budget = { left, total: max - left, max };
  const rows: string[][] = [];
  let first: string[][] = [];
  for (const [k, file] of files.entries()) {
    const own = await csvRows(file, files.length === 1 ? display : `${display} (${path.basename(file)})`, budget, headOf(file));
    if (k === 0) {
      first = own;
      for (const row of own) rows.push(row);
      continue;
    }
    let skip = 0;
    while (skip < own.length && skip < first.length && sameRow(own[skip], first[skip])) skip++;
    for (let i = skip; i < own.length; i++) rows.push(own[i]);
  }
  // A sheet is a rectangle: short rows (a title, a blank line) are padded with blanks.
  padRows(rows);
  return { rows, files };
}
