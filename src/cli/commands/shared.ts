/**
 * What the per-analysis commands share: the --out/--format flags, reading the input CSV with
 * progress, option values checked the way the custom functions check them, and writing the table.
 */

import path from "node:path";
import type { CustomerValueFit } from "../../engine/clv/predict";
import { formatSerial } from "../../engine/data/dates";
import { readTransactions, type Transactions } from "../../engine/data/transactions";
import type { ReadingOptions } from "../../reports/detect";
import type { FlagSpec, ParsedArgs } from "../args";
import { CliError, usageError, type ErrorContext } from "../errors";
import type { CliIo } from "../io";
import { Progress } from "../progress";
import { ORDER_COLUMNS } from "../csv/columns";
import { readCsvTable, type CsvTable } from "../csv/reader";
import { readFileTable, type FileTable, type FileTableRequest } from "../csv/sheetTable";
import { formatCsv, formatJson, type OutputCell } from "../csv/writer";
import { writeFileAtomically } from "../safeWrite";

/** --out and --format, on every command. */
export const OUTPUT_FLAGS: readonly FlagSpec[] = [
  { name: "out", kind: "value", valueName: "FILE", description: "Write the table to FILE (default: standard output)." },
  { name: "format", kind: "value", valueName: "csv|json", description: "Output format: csv (default) or json (an array of objects)." },
];

/** --id-column, --date-column and --value-column: the columns of an order list, when their headers are not the usual ones. */
export const ORDER_COLUMN_FLAGS: readonly FlagSpec[] = [
  { name: "id-column", kind: "value", valueName: "NAME", description: "Header of the customer id column (default: found by name)." },
  { name: "date-column", kind: "value", valueName: "NAME", description: "Header of the order date column." },
  { name: "value-column", kind: "value", valueName: "NAME", description: "Header of the order value column." },
];

/**
 * --header-row, --date-order and --decimal: how a whole CSV file is read as `imc report` reads a
 * sheet, for what the file cannot say itself.
 */
export const READING_FLAGS: readonly FlagSpec[] = [
  { name: "header-row", kind: "value", valueName: "N", description: "Line of the header row (default: found below title and blank lines)." },
  { name: "date-order", kind: "value", valueName: "dmy|mdy", description: "Order of day and month in date text such as 03/04/2024, when no date in the column shows it." },
  { name: "decimal", kind: "value", valueName: ".|,", description: "Decimal mark of amounts written as text such as 1,234 or 1.234, when no amount in the column shows it." },
];

/**
 * --date-order and --decimal, checked (the options of `imc report` and of the CSV routes).
 *
 * @param values the parsed option values.
 * @returns the reading options given.
 * @throws CliError (usage) for a value that is not dmy/mdy or . / ,.
 */
export function readingOptions(values: Readonly<Record<string, string>>): ReadingOptions {
  const dateOrder = values["date-order"]?.trim().toLowerCase();
  if (dateOrder !== undefined && dateOrder !== "dmy" && dateOrder !== "mdy") throw usageError(`--date-order: "${values["date-order"]}" is not dmy or mdy`);
  const decimal = values.decimal?.trim();
  if (decimal !== undefined && decimal !== "." && decimal !== ",") throw usageError(`--decimal: "${values.decimal}" is not . or ,`);
  return { ...(dateOrder === undefined ? {} : { dateOrder }), ...(decimal === undefined ? {} : { decimal }) };
}

/**
 * --header-row N of a command that reads one file, checked.
 *
 * @throws CliError (usage) for anything but a row number from 1 to 1048576.
 */
export function headerRowOption(values: Readonly<Record<string, string>>): number | undefined {
  const given = values["header-row"];
  if (given === undefined) return undefined;
  const row = /^\d+$/.test(given.trim()) ? Number(given.trim()) : NaN;
  if (!(row >= 1 && row <= 1_048_576)) throw usageError(`--header-row: "${given}" is not a row number (1 to 1048576)`);
  return row;
}

/** The output format asked for. */
export function outputFormat(args: ParsedArgs): "csv" | "json" {
  const format = (args.values.format ?? "csv").toLowerCase();
  if (format !== "csv" && format !== "json") throw usageError(`--format must be csv or json, not "${args.values.format}"`);
  return format;
}

/** Absolute path of a file name the user gave, relative to the run's working directory. */
export function resolvePath(io: CliIo, file: string): string {
  return path.resolve(io.cwd, file);
}

/**
 * Writes a result table to --out (or stdout) as CSV or JSON.
 *
 * @param rows header row first.
 * @param args parsed arguments (for --out and --format).
 * @param io where stdout goes and what --out is relative to.
 * @throws CliError when the output file cannot be written; Error (an internal error) for a NaN or
 *   infinite number in the table.
 */
export function writeTable(rows: readonly (readonly OutputCell[])[], args: ParsedArgs, io: CliIo): void {
  // As spill() does for Excel: a NaN or an infinity would be a bug, never a number to print.
  rows.forEach((row, r) =>
    row.forEach((cell, c) => {
      if (typeof cell === "number" && !Number.isFinite(cell)) throw new Error(`result row ${r + 1}, column ${c + 1} is ${String(cell)}`);
    }),
  );
  const text = outputFormat(args) === "json" ? formatJson(rows) : formatCsv(rows);
  const out = args.values.out;
  if (out === undefined || out === "-") {
    io.stdout(text);
    return;
  }
  // Whole or not at all, keeping an existing file's mode and owner and writing through a symlink.
  writeFileAtomically(resolvePath(io, out), text, out);
}

/** Reads a whole CSV input, with a progress line on long files. */
export async function readInput(io: CliIo, file: string): Promise<CsvTable> {
  const progress = new Progress(io, `reading ${file}`);
  const table = await readCsvTable(resolvePath(io, file), { displayName: file, onRow: (rows) => progress.update(rows) });
  progress.done(table.rows.length);
  if (table.rows.length === 0) throw new CliError("the file has a header but no data rows", { file });
  return table;
}

/** The cells of column `index` of a table (one string per data row). */
export function columnCells(table: CsvTable, index: number): string[] {
  return table.rows.map((row) => row[index]);
}

/** An option value as a one-cell range, the way a custom function receives it (null when absent). */
export function optionRange(value: string | undefined): string[][] | null {
  return value === undefined ? null : [[value]];
}

/**
 * The note `imc clv` writes to standard error when it writes per-customer values from a Gamma-Gamma
 * spend fit that did not converge (the fit table says so in its "Converged (Gamma-Gamma)" row, which
 * a per-customer table does not show), or null when the fit converged.
 *
 * @param fit the customer-value fit.
 * @returns the line, with its newline, or null.
 */
export function spendFitNote(fit: CustomerValueFit): string | null {
  if (fit.spend.converged) return null;
  return "imc clv: note: the spend model (Gamma-Gamma) did not converge: customers spend much alike, so each customer's expected value per purchase is close to the common mean (--fit-only shows the fit)\n";
}

/** A result cell for output: serial dates as yyyy-mm-dd text. */
export function dateCell(serial: number): string {
  return formatSerial(serial);
}

/** Maps a data row (1-based, as the engine counts) to its file line. */
export function rowOfTable(table: CsvTable): (dataRow: number) => number {
  return (dataRow) => (dataRow >= 1 && dataRow <= table.lines.length ? table.lines[dataRow - 1] : dataRow + 1);
}

/** Maps a data row (1-based, as the engine counts) of a table read as a sheet to its file line. */
export function rowOfFileTable(table: FileTable): (dataRow: number) => number {
  return (dataRow) => table.lines[dataRow - 1] ?? dataRow + table.found.headerRow;
}

/**
 * Refuses --header-row with --from: the DuckDB route finds a CSV file's header line itself (title
 * and blank lines passed over).
 *
 * @param route the in-memory route that reads it, for the message ("imc clv orders.csv").
 * @throws CliError (usage) when both are given.
 */
export function refuseHeaderRowWithFrom(args: ParsedArgs, route: string): void {
  if (args.values.from !== undefined && args.values["header-row"] !== undefined) throw usageError(`--header-row is read on the in-memory route (${route}), not with --from FILES`);
}

/**
 * Reads one table of a whole CSV file as `imc report` reads a sheet ({@link readFileTable}), with a
 * progress line on long files (and, with progress on, how the table was found).
 *
 * @param io where progress goes.
 * @param file the file as the user named it.
 * @param request the kind of table, columns and reading options.
 * @throws CliError as {@link readFileTable}.
 */
export async function readTableFile<K extends string>(io: CliIo, file: string, request: Omit<FileTableRequest<K>, "onRow">): Promise<FileTable> {
  const progress = new Progress(io, `reading ${file}`);
  const table = await readFileTable(resolvePath(io, file), file, { ...request, onRow: (rows) => progress.update(rows) });
  progress.done(table.lines.length);
  if (io.progress) io.stderr(`${request.kind}: ${table.description}\n`);
  return table;
}

/**
 * Writes to stderr what reading a file left out or interpreted — always, since it matters to the
 * numbers (`orders (file "x.csv"): 2 blank rows skipped (rows 14, 15)`) — and how the table was
 * found when columns were read from their content rather than their headers. Called once the
 * engine has read the cells, so that a run stopped by a bad cell says only that, in one line.
 */
export function writeReadingNotes(io: CliIo, table: FileTable): void {
  if (!io.progress && (table.found.guessed?.length ?? 0) > 0) io.stderr(`${table.found.kind}: ${table.description}\n`);
  for (const note of table.notes) io.stderr(`${note}\n`);
}

/** An order list read from a CSV file, for the commands that take one (imc clv, imc rfm). */
export interface OrdersFile {
  /** Maps the engine's argument names to the file's columns and rows, and options to `flags`. */
  readonly context: ErrorContext;
  /**
   * The orders as the engine reads them (IMC.* functions' readTransactions); call once, inside
   * withErrorContext(context). Then writes the reading notes to stderr.
   */
  transactions(): Transactions;
}

/**
 * Reads a whole order list as `imc report` reads an orders sheet: the header found below title and
 * blank lines (or --header-row), its customer id, order date and order value columns by header
 * synonyms (or --id-column, --date-column, --value-column; from their content when headers say
 * nothing), blank lines skipped and a trailing "Total" row left out (both said on stderr), dates
 * and amounts written as text read by column (--date-order, --decimal when the column cannot say).
 * The engine then reads the cells as the custom functions do, so a clean file gives the same numbers.
 *
 * @param flags engine option name → the command's flag, for messages (e.g. `as_of` → `--as-of`).
 * @throws CliError for a missing file, an empty file, a column not found or a cell that cannot be read.
 */
export async function readOrdersFile(io: CliIo, file: string, args: ParsedArgs, flags: Readonly<Record<string, string>>): Promise<OrdersFile> {
  const table = await readTableFile(io, file, {
    kind: "orders",
    roles: ORDER_COLUMNS,
    detectionRoles: { customer: "customerId", date: "orderDate", value: "orderValue" },
    columns: { customer: args.values["id-column"], date: args.values["date-column"], value: args.values["value-column"] },
    headerRow: headerRowOption(args.values),
    reading: readingOptions(args.values),
  });
  const orders = table.data.orders!;
  const { headers, columns } = table.found;
  const header = (column: number | undefined, fallback: string): string => (column === undefined ? fallback : headers[column] || fallback);
  const context: ErrorContext = {
    file,
    columns: {
      customer_ids: header(columns.customerId, "customer id"),
      order_dates: header(columns.orderDate, "order date"),
      // Invoice lines: the value is quantity × price, summed per order.
      order_values: table.found.lines && columns.orderValue === undefined ? `${header(columns.quantity, "quantity")} × ${header(columns.unitPrice, "price")}` : header(columns.orderValue, "order value"),
    },
    flags,
    rowOf: rowOfFileTable(table),
  };
  return {
    context,
    transactions: () => {
      const transactions = readTransactions([orders.customerIds as unknown[]], [orders.orderDates as unknown[]], [orders.orderValues as unknown[]]);
      writeReadingNotes(io, table);
      return transactions;
    },
  };
}
