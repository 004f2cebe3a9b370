/**
 * Where the data of a CSV file of the `--from` route sit, found as `imc report` finds them in a sheet
 * (src/reports/sheetLayout.ts), so that DuckDB is told the delimiter, the lines to skip and the header
 * instead of guessing them (its sniffer takes a title line above a `;` header for the header):
 * - the delimiter: the one of `,` `;` tab that the most of the first 50 non-blank lines split into
 *   the most fields (a title line has none to show), as `imc report --from` chooses it;
 * - the header line: {@link sheetLayout} over the rows of the file's first 64 KB (title and blank
 *   lines above the header are passed over; the row with the most known header names wins);
 * - the trailing total rows: read from the file's end, as {@link dataRowsOf} leaves them out — after
 *   any blank rows at the end, a row whose id cell (or first non-blank cell) says Total, Totals,
 *   Grand total, Summe, Итого… is left out, again and again, blank rows between them passed over.
 *
 * Only the file's first and last 64 KB are read ({@link csvLayout}, {@link csvTail}), plus, when a
 * file ends in total rows, a count of its line ends (to name their rows). A UTF-16 or gzip file's last
 * 64 KB are known only once it is read through decoded: {@link csvTail} does that once, and both its
 * total rows and its line ends are found in what it keeps.
 */

import { closeSync, createReadStream, fstatSync, openSync, readSync, statSync } from "node:fs";
import { isKnownHeader, type SheetCells } from "../../reports/detect";
import { isTotalLabel, sheetLayout } from "../../reports/sheetLayout";
import { CsvParser } from "../csv/reader";
import { csvDelimiter, csvHead, firstLineOf } from "../csv/sheet";
import { textChunks, textFormatOf, type TextFormat } from "../csv/textFile";

/** Bytes read at each end of a file. */
const EDGE_BYTES = 1 << 16;

/** The layout of one CSV file. */
export interface CsvLayout {
  readonly delimiter: string;
  /** 1-based line of the header. */
  readonly headerLine: number;
  /** The header's fields, trimmed. */
  readonly header: readonly string[];
  /** The non-blank rows above the header (a title, a date line), fields trimmed: rows repeating one of them inside the data are skipped as a repeated header is. */
  readonly titles: readonly (readonly string[])[];
  /** How the file is stored (UTF-8 or UTF-16, gzip or not): DuckDB is told, and the ends are read decoded. */
  readonly format: TextFormat;
  /**
   * Lines end both in CR LF and in LF alone within the file's first 64 KB (a title line typed above a
   * Windows export): DuckDB's CSV sniffer gives up on such a file unless its strict mode is off. The
   * last 64 KB are looked at by {@link csvTail}.
   */
  readonly mixedLineEnds: boolean;
}

/** Whether text holds both CR LF and a bare LF line end. */
function mixedLineEnds(text: string): boolean {
  const crlf = text.indexOf("\r\n") >= 0;
  const bare = /(^|[^\r])\n/.test(text);
  return crlf && bare;
}

/** A plain file's last {@link EDGE_BYTES} bytes as text, and whether they are all of it. */
function plainTail(file: string): { text: string; whole: boolean } {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - EDGE_BYTES);
    const buffer = Buffer.alloc(size - start);
    const read = readSync(fd, buffer, 0, buffer.length, start);
    return { text: buffer.subarray(0, read).toString("utf8").replace(/^\uFEFF/, ""), whole: start === 0 };
  } finally {
    closeSync(fd);
  }
}

/** Rows of CSV text, each at its line (row i is line i + 1; blank lines are empty rows); a record cut at the text's end is left out. */
function rowsOf(text: string, delimiter: string, final: boolean): string[][] {
  const rows: string[][] = [];
  const place = (line: number, fields: readonly string[]): void => {
    while (rows.length < line - 1) rows.push([]);
    rows.push([...fields]);
  };
  const headerLine = firstLineOf(text);
  const parser = new CsvParser({ header: (fields) => place(headerLine, fields), record: (record) => place(record.line, record.fields()) }, { delimiter, displayName: "" });
  parser.push(text);
  if (final) parser.end();
  return rows;
}

/**
 * The delimiter and the header line of a CSV file, found as `imc report` finds them.
 *
 * @param file the file's path.
 * @param named headers the user named with a flag (`--id-column Kunde`): known headers too, so that
 *   a header of unknown names is not taken for data (in a CSV file every cell is text).
 * @returns its layout.
 */
export function csvLayout(file: string, named: readonly string[] = []): CsvLayout {
  const text = csvHead(file, EDGE_BYTES);
  // Read whole when shorter than the bytes read: its last record then ends the text (a gzip file's first bytes are never known to be all of it).
  const format = textFormatOf(file);
  const whole = statSync(file).size < EDGE_BYTES && !format.gzip;
  const delimiter = csvDelimiter(text);
  const rows = rowsOf(text, delimiter, whole);
  const sheet: SheetCells = { name: file, rows };
  const names = new Set(named.map((name) => name.trim().toLowerCase()));
  const layout = sheetLayout(sheet, (header) => isKnownHeader(header) || names.has(header.trim().toLowerCase()));
  const headerIndex = layout?.headerIndex ?? 0;
  const titles = rows.slice(0, headerIndex).map((row) => row.map((cell) => cell.trim())).filter((row) => row.some((cell) => cell !== ""));
  // The text ends as the rows were read (a record cut at 64 KB is not a line end).
  const mixed = mixedLineEnds(text.replace(/\r?\n?[^\n]*$/, ""));
  return { delimiter, headerLine: headerIndex + 1, header: (rows[headerIndex] ?? []).map((cell) => cell.trim()), titles, format, mixedLineEnds: mixed };
}

/** The end of one CSV file, read once: its total rows are found in it, its line ends looked at. */
export interface CsvTail {
  /** Its last 64 KB (characters, for a UTF-16 or gzip file) as text, a byte order mark left out. */
  readonly text: string;
  /** Whether the text is all of the file (else its first line is cut). */
  readonly whole: boolean;
  /** The file's lines, when counted on the way (a UTF-16 or gzip file); null when they are counted only if needed. */
  readonly lines: number | null;
  /**
   * Lines end both in CR LF and in LF alone within the text (its first, cut line aside): a total row
   * typed under a Windows export. With {@link CsvLayout.mixedLineEnds}, DuckDB's strict mode is off.
   */
  readonly mixedLineEnds: boolean;
}

/**
 * The end of a CSV file: its last 64 KB, read from the end of a plain file, or read through decoded
 * from the start, once, for a UTF-16 or gzip file.
 *
 * @param file the file's path.
 * @param format how it is stored (its layout's format).
 * @param display the file's name for messages.
 * @returns its tail.
 * @throws CliError when its gzip data is damaged or cut short; the file system's error when it cannot be read.
 */
export async function csvTail(file: string, format: TextFormat, display: string): Promise<CsvTail> {
  const tail = format.gzip || format.encoding !== "utf-8" ? await decodedTail(file, display) : { ...plainTail(file), lines: null };
  return { ...tail, mixedLineEnds: mixedLineEnds(tail.text.replace(/^[^\n]*\n/, "")) };
}

/** The total rows a file ends with. */
export interface TrailingTotals {
  /** Their 1-based lines, in file order. */
  readonly lines: readonly number[];
  /** Their fields, as read. */
  readonly rows: readonly (readonly string[])[];
  /** Whether one of them has fewer fields than the header (DuckDB then needs null_padding). */
  readonly short: boolean;
}

/**
 * The end of a file stored otherwise than as plain UTF-8 (UTF-16, gzip), read through from the start
 * decoded: its last {@link EDGE_BYTES} characters, whether they are all of it, and its lines.
 */
async function decodedTail(file: string, display: string): Promise<{ text: string; whole: boolean; lines: number }> {
  let text = "";
  let whole = true;
  let lines = 0;
  let last = "";
  for await (const chunk of textChunks(file, display, 1 << 20)) {
    for (let i = chunk.indexOf("\n"); i >= 0; i = chunk.indexOf("\n", i + 1)) lines++;
    last = chunk[chunk.length - 1];
    text += chunk;
    if (text.length > 2 * EDGE_BYTES) {
      text = text.slice(text.length - EDGE_BYTES);
      whole = false;
    }
  }
  if (text.length > EDGE_BYTES) {
    text = text.slice(text.length - EDGE_BYTES);
    whole = false;
  }
  return { text: text.replace(/^\uFEFF/, ""), whole, lines: last === "\n" || last === "" ? lines : lines + 1 };
}

/** Lines of a file (line ends counted), read in 1 MB pieces. */
async function lineCount(file: string): Promise<number> {
  let count = 0;
  let last = -1;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buffer = chunk as Buffer;
    for (let i = buffer.indexOf(10); i >= 0; i = buffer.indexOf(10, i + 1)) count++;
    if (buffer.length > 0) last = buffer[buffer.length - 1];
  }
  return last === 10 || last === -1 ? count : count + 1;
}

/**
 * The total rows a CSV file ends with, as `imc report` leaves them out of a sheet: after blank rows
 * at the end, a row whose `idIndex` cell (or first non-blank cell) is a total label, again and again.
 *
 * @param file the file's path.
 * @param end its tail, as {@link csvTail} read it.
 * @param layout its layout.
 * @param idIndex the index of the id column in the header.
 * @returns the trailing total rows (none for most files).
 */
export async function trailingTotals(file: string, end: CsvTail, layout: CsvLayout, idIndex: number): Promise<TrailingTotals> {
  // The lines of the tail after the first (cut) one, or after the header when the tail holds it.
  const lines = end.text.split("\n");
  const skipped = end.whole ? layout.headerLine : 1;
  const tail = lines.slice(skipped);
  const blank = (fields: readonly string[]): boolean => fields.every((field) => field.trim() === "");
  const found: { index: number; fields: string[] }[] = [];
  for (let k = tail.length - 1; k >= 0; k--) {
    const line = tail[k].replace(/\r$/, "");
    if (line.trim() === "") continue;
    const fields = rowsOf(`${layout.header.join(layout.delimiter)}\n${line}\n`, layout.delimiter, true)[1] ?? [];
    if (blank(fields)) continue;
    const label = isTotalLabel(fields[idIndex]) || isTotalLabel(fields.find((field) => field.trim() !== ""));
    if (!label) break;
    found.unshift({ index: k, fields });
  }
  if (found.length === 0) return { lines: [], rows: [], short: false };
  // Line numbers: from the file's start when the tail is the whole file, else counted from its end.
  const total = end.whole ? 0 : (end.lines ?? (await lineCount(file)));
  const lineOf = (index: number): number => (end.whole ? skipped + index + 1 : total - (tail.length - 1 - index) + (lines[lines.length - 1] === "" ? 1 : 0));
  return { lines: found.map((row) => lineOf(row.index)), rows: found.map((row) => row.fields), short: found.some((row) => row.fields.length < layout.header.length) };
}
