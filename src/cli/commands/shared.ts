/**
 * What the per-analysis commands share: the --out/--format flags, reading the input CSV with
 * progress, option values checked the way the custom functions check them, and writing the table.
 */

import path from "node:path";
import type { CustomerValueFit } from "../../engine/clv/predict";
import { formatSerial } from "../../engine/data/dates";
import { readTransactions, type Transactions } from "../../engine/data/transactions";
import type { FlagSpec, ParsedArgs } from "../args";
import { CliError, usageError, type ErrorContext } from "../errors";
import type { CliIo } from "../io";
import { Progress } from "../progress";
import { findColumns, ORDER_COLUMNS } from "../csv/columns";
import { readCsvTable, type CsvTable } from "../csv/reader";
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

/** An order list read from a CSV file, for the commands that take one (imc clv, imc rfm). */
export interface OrdersFile {
  /** Maps the engine's argument names to the file's columns and rows, and options to `flags`. */
  readonly context: ErrorContext;
  /** The orders as the engine reads them (IMC.* functions' readTransactions); call inside withErrorContext(context). */
  transactions(): Transactions;
}

/**
 * Reads a whole order list and finds its customer id, order date and order value columns by header
 * (or by --id-column, --date-column, --value-column).
 *
 * @param flags engine option name → the command's flag, for messages (e.g. `as_of` → `--as-of`).
 * @throws CliError for a missing file, an empty file or a column not found.
 */
export async function readOrdersFile(io: CliIo, file: string, args: ParsedArgs, flags: Readonly<Record<string, string>>): Promise<OrdersFile> {
  const table = await readInput(io, file);
  const columns = findColumns(
    table.header,
    ORDER_COLUMNS,
    { customer: args.values["id-column"], date: args.values["date-column"], value: args.values["value-column"] },
    file,
  );
  const context: ErrorContext = {
    file,
    columns: {
      customer_ids: table.header[columns.customer],
      order_dates: table.header[columns.date],
      order_values: table.header[columns.value],
    },
    flags,
    rowOf: rowOfTable(table),
  };
  return {
    context,
    transactions: () => readTransactions([columnCells(table, columns.customer)], [columnCells(table, columns.date)], [columnCells(table, columns.value)]),
  };
}
