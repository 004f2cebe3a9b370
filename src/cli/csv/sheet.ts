/**
 * A CSV file read as a sheet: every line in its place, so that the detection of `imc report`
 * (title rows, a header below them, blank rows, a "Total" row) finds its table as in a workbook and
 * "row 17" is line 17 of the file. Cells stay text, read as the workbook route reads text cells.
 *
 * Used by `imc report --from` (src/cli/duckdb/fileSheets.ts) and by the in-memory CSV routes of
 * `imc clv`, `imc rfm` and `imc attribute` (src/cli/csv/sheetTable.ts), which must not load DuckDB.
 */

import { CliError } from "../errors";
import { CsvParser, detectDelimiter } from "./reader";
import { textChunks, textHead } from "./textFile";

/** Bytes of a file's start read for its delimiter and its first line. */
export const HEAD_BYTES = 1 << 16;

/**
 * The first bytes of a file as text, without a byte-order mark (for the delimiter and the first line).
 *
 * @param file path of the file.
 * @param bytes how many bytes to read at most.
 * @throws the file system's error when the file cannot be opened or read.
 */
export function csvHead(file: string, bytes = HEAD_BYTES): string {
  // Decoded as the file is stored: UTF-8 or UTF-16, gzip or not (textFile.ts).
  return textHead(file, bytes);
}

/**
 * The delimiter of a CSV file: the one of `,` `;` tab that the most of its first 50 non-blank lines
 * split into the most fields (a title line above the header has none to show).
 *
 * @param text the file's first bytes ({@link csvHead}).
 * @returns `,`, `;` or a tab (`,` when no line shows one).
 */
export function csvDelimiter(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "").slice(0, 50);
  let best = ",";
  let bestCount = -1;
  for (const line of lines) {
    const delimiter = detectDelimiter(line);
    const count = line.split(delimiter).length;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

/**
 * 1-based line of the first non-blank line: the line the CSV reader takes as its header.
 *
 * @param text the file's first bytes ({@link csvHead}).
 */
export function firstLineOf(text: string): number {
  const lines = text.split("\n");
  const index = lines.findIndex((line) => line.trim() !== "");
  return index < 0 ? 1 : index + 1;
}

/** Options of {@link readCsvRows}. */
export interface CsvRowsOptions {
  /** Called with each record's fields as it is placed (may throw, e.g. for a cell budget). */
  readonly onRecord?: (fields: readonly string[]) => void;
  /** Called after each record with the number read so far (progress reporting). */
  readonly onRow?: (rows: number) => void;
  /** Stop after this many records (the header counts as one): the head of a file too large to read whole. */
  readonly maxRecords?: number;
}

/** A CSV file's rows by line, and the lines that are the inside of a quoted line break. */
export interface CsvRows {
  /** Row i is line i + 1 (blank lines are empty rows); rows are as long as their records (ragged). */
  readonly rows: string[][];
  /** 1-based lines inside a record that spans lines (a quoted line break): empty rows, but not blank lines. */
  readonly continuationLines: readonly number[];
  /** The delimiter read from the file's first lines. */
  readonly delimiter: string;
}

/**
 * One CSV file's rows, each at its line (row i is line i + 1; blank lines are empty rows).
 *
 * @param file path of the file.
 * @param display the file as the user named it, for messages.
 * @param text the file's first bytes ({@link csvHead}), for its delimiter and first line.
 * @param options callbacks per record.
 * @throws CliError "cannot read it: …" when the file cannot be read; CliError for an empty file or an
 *   unclosed quote; whatever `onRecord` throws.
 */
export async function readCsvRows(file: string, display: string, text: string, options: CsvRowsOptions = {}): Promise<CsvRows> {
  const delimiter = csvDelimiter(text);
  const rows: string[][] = [];
  const continuationLines: number[] = [];
  let records = 0;
  // The last line of the record placed last: its first line plus its quoted line breaks.
  let continuedTo = 0;
  const maxRecords = options.maxRecords ?? Infinity;
  const place = (line: number, fields: string[]) => {
    if (records >= maxRecords) return;
    // Lines skipped since the last record are the inside of its quoted line breaks, or blank lines.
    while (rows.length < line - 1) {
      if (rows.length + 1 <= continuedTo) continuationLines.push(rows.length + 1);
      rows.push([]);
    }
    options.onRecord?.(fields);
    rows.push(fields);
    records++;
    options.onRow?.(records);
    let breaks = 0;
    for (const field of fields) for (let n = field.indexOf("\n"); n >= 0; n = field.indexOf("\n", n + 1)) breaks++;
    continuedTo = line + breaks;
  };
  const headerLine = firstLineOf(text);
  const parser = new CsvParser(
    {
      header: (fields) => place(headerLine, [...fields]),
      record: (record) => place(record.line, record.fields()),
    },
    { delimiter, displayName: display },
  );
  try {
    for await (const chunk of textChunks(file, display, 1 << 20)) {
      parser.push(chunk);
      if (records >= maxRecords) break;
    }
  } catch (error) {
    if (typeof error === "object" && error !== null && "syscall" in error) throw new CliError(`cannot read it: ${String((error as { message?: unknown }).message)}`, { file: display });
    throw error;
  }
  if (records < maxRecords) parser.end();
  return { rows, continuationLines, delimiter };
}

/**
 * Makes rows a rectangle, as a sheet is: short rows (a title, a blank line) padded with blanks.
 *
 * @param rows the rows, changed in place.
 * @returns the width.
 */
export function padRows(rows: string[][]): number {
  let width = 0;
  for (const row of rows) width = Math.max(width, row.length);
  for (const row of rows) while (row.length < width) row.push("");
  return width;
}
