/**
 * A streaming RFC 4180 CSV reader over a file read in 1 MB chunks.
 *
 * - The first line is the header; its delimiter (`,`, `;` or tab, whichever occurs most outside
 *   quotes) is the file's delimiter unless one is given.
 * - Fields may be quoted ("a, b", "say ""hi""", a quoted line break); CRLF and LF line ends; a
 *   UTF-8 byte-order mark is skipped; blank lines are skipped.
 * - Each record comes with the 1-based line it starts on: the header is line 1, and without quoted
 *   line breaks data row r is line r + 1 — the row number a spreadsheet shows for the same file.
 *
 * Speed: the chunk text is not cut into a string per line or per field. A {@link CsvRecord} holds
 * the chunk and the start/end of each field, so a consumer like the attribution aggregator can read
 * a field straight from the chunk (`addPathRange`); only quoted fields are unquoted into strings.
 * Only the line that straddles two chunks is glued into a string of its own.
 */

import { CliError } from "../errors";
import { binaryKindOf, notCsvError } from "./fileKind";
import { textChunks } from "./textFile";

/** Chunk size of the file reads. */
export const CHUNK_BYTES = 1 << 20;

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * One record of the file. Valid only during the callback it is passed to (the reader reuses it).
 *
 * Field i is `text.slice(starts[i], ends[i])` unless `unquoted[i]` holds its text (a quoted field).
 */
export class CsvRecord {
  /** The text the unquoted fields are read from (a chunk of the file). */
  text = "";
  /** 1-based line of the file the record starts on. */
  line = 0;
  /** Number of fields in the record. */
  fieldCount = 0;
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  /** Text of each quoted field (unquoted), undefined for fields to read from `text`. */
  unquoted: (string | undefined)[] = [];

  /** Field i as a string; "" when the record has fewer fields. */
  field(i: number): string {
    if (i >= this.fieldCount) return "";
    const own = this.unquoted[i];
    return own !== undefined ? own : this.text.slice(this.starts[i], this.ends[i]);
  }

  /** All fields as strings. */
  fields(): string[] {
    const out = new Array<string>(this.fieldCount);
    for (let i = 0; i < this.fieldCount; i++) out[i] = this.field(i);
    return out;
  }

  /** Whether field i is empty or only spaces. */
  isBlank(i: number): boolean {
    if (i >= this.fieldCount) return true;
    const own = this.unquoted[i];
    if (own !== undefined) return own.trim().length === 0;
    for (let k = this.starts[i]; k < this.ends[i]; k++) {
      const code = this.text.charCodeAt(k);
      if (code !== 32 && code !== 9) return false;
    }
    return true;
  }

  /** @internal Makes room for `count` fields. */
  reserve(count: number): void {
    if (count <= this.starts.length) return;
    const size = Math.max(count, this.starts.length * 2);
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}

/** What {@link streamCsv} found. */
export interface CsvStreamSummary {
  /** The header's field names (unquoted, trimmed). */
  readonly header: readonly string[];
  /** The delimiter used. */
  readonly delimiter: string;
  /** Data records read (blank lines not counted). */
  readonly rows: number;
}

export interface CsvStreamOptions {
  /** The delimiter; default: detected from the header line. */
  readonly delimiter?: string;
  /** File name as the user typed it, for messages (default: the path). */
  readonly displayName?: string;
  /** Chunk size in bytes (tests use small chunks to exercise records across chunk ends). */
  readonly chunkBytes?: number;
  /** Called after each data record with the number read so far (progress reporting). */
  readonly onRow?: (rows: number) => void;
}

/** Callbacks of {@link streamCsv}. */
export interface CsvHandler {
  /** Called once with the header before any record; may throw (e.g. a missing column). */
  header(fields: readonly string[], delimiter: string): void;
  /** Called for each data record, in file order. */
  record(record: CsvRecord): void;
}

/** Chooses the delimiter of a header line: the most frequent of `,` `;` tab outside quotes (`,` on a tie or none). */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([[",", 0], [";", 0], ["\t", 0]]);
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ",";
  for (const [char, count] of counts) if (count > counts.get(best)!) best = char;
  return best;
}

/**
 * A user-readable reason for a failed read: "no such file", "it is a directory", "permission denied".
 *
 * @param error the file system's error.
 */
export function readProblem(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}

/**
 * The record parser: feed it text pieces in order, it calls back with records.
 * Kept apart from the file reading so tests can feed it strings cut anywhere.
 */
export class CsvParser {
  private readonly handler: CsvHandler;
  private readonly displayName: string;
  private delimiter: string;
  private delimiterCode: number;
  private headerSeen = false;
  private header: string[] = [];
  private readonly record = new CsvRecord();
  private line = 1;
  private rest = "";
  private first = true;
  /** Within one parse call: the next quote / delimiter at or after the last search (−1: none; −2: not searched). */
  private nextQuote = -2;
  private nextDelimiter = -2;
  rows = 0;

  constructor(handler: CsvHandler, options: { delimiter?: string; displayName: string }) {
    this.handler = handler;
    this.displayName = options.displayName;
    this.delimiter = options.delimiter ?? "";
    this.delimiterCode = this.delimiter === "" ? -1 : this.delimiter.charCodeAt(0);
  }

  /** The delimiter in use ("" before the header line is seen and none was given). */
  get currentDelimiter(): string {
    return this.delimiter;
  }

  /** The header fields (empty before the header). */
  get headerFields(): readonly string[] {
    return this.header;
  }

  /** Feeds the next piece of the file. */
  push(piece: string): void {
    let text = piece;
    if (this.first) {
      if (text.length === 0) return;
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let from = 0;
    if (this.rest !== "") {
      // Glue the unfinished record to the next piece line by line (a quoted field may span lines).
      let offset = 0;
      for (;;) {
        const newline = text.indexOf("\n", offset);
        if (newline < 0) {
          this.rest += text.slice(offset);
          return;
        }
        const glued = this.rest + text.slice(offset, newline + 1);
        const consumed = this.parse(glued, 0, false);
        offset = newline + 1;
        if (consumed === glued.length) {
          this.rest = "";
          break;
        }
        this.rest = glued.slice(consumed);
      }
      from = offset;
    }
    const consumed = this.parse(text, from, false);
    this.rest = text.slice(consumed);
  }

  /** Signals the end of the file: parses what is left. */
  end(): void {
    if (this.rest !== "") {
      const text = this.rest;
      this.rest = "";
      this.parse(text, 0, true);
    }
    if (!this.headerSeen) throw new CliError("the file is empty; expected a header row", { file: this.displayName });
  }

  /**
   * Parses records in `text` from `from`; returns the index just after the last complete record.
   * With `final`, a last line without a newline is a complete record.
   */
  private parse(text: string, from: number, final: boolean): number {
    const length = text.length;
    let pos = from;
    // The cached positions hold for the text and start position of one call only (a search started
    // at an earlier position of another, equal-looking text proves nothing about this one).
    this.nextQuote = -2;
    this.nextDelimiter = -2;
    while (pos < length) {
      let newline = text.indexOf("\n", pos);
      if (newline < 0) {
        if (!final) return pos;
        newline = length;
      }
      if (!this.headerSeen) {
        // The header line decides the delimiter; a quoted line break in a header is not supported.
        let end = newline;
        if (end > pos && text.charCodeAt(end - 1) === CR) end--;
        const headerLine = text.slice(pos, end);
        if (this.delimiter === "") {
          this.delimiter = detectDelimiter(headerLine);
          this.delimiterCode = this.delimiter.charCodeAt(0);
          this.nextDelimiter = -2;
        }
        if (headerLine.trim().length === 0) {
          this.line++;
          pos = newline + 1;
          continue;
        }
        const end2 = this.parseRecord(text, pos, true);
        if (end2 < 0) throw new CliError("the header row has an unterminated quote", { file: this.displayName, row: this.line });
        this.header = this.record.fields().map((name) => name.trim());
        this.headerSeen = true;
        this.handler.header(this.header, this.delimiter);
        this.line++;
        pos = end2;
        continue;
      }
      if (this.nextQuote !== -1 && this.nextQuote < pos) {
        this.nextQuote = text.indexOf('"', pos);
      }
      if (this.nextQuote === -1 || this.nextQuote >= newline) {
        // Fast path: no quote on this line.
        let end = newline;
        if (end > pos && text.charCodeAt(end - 1) === CR) end--;
        if (end === pos) {
          this.line++;
          pos = newline + 1;
          continue;
        }
        this.splitLine(text, pos, end);
        this.record.line = this.line;
        this.rows++;
        this.handler.record(this.record);
        this.line++;
        pos = newline + 1;
        continue;
      }
      const startLine = this.line;
      const next = this.parseRecord(text, pos, final);
      if (next < 0) {
        if (!final) {
          this.line = startLine;
          return pos;
        }
        throw new CliError("a quoted field is not closed before the end of the file", { file: this.displayName, row: startLine });
      }
      this.record.line = startLine;
      this.rows++;
      this.handler.record(this.record);
      this.line++;
      pos = next;
    }
    return pos;
  }

  /** Splits the quote-free line `text[start, end)` into the record's fields. */
  private splitLine(text: string, start: number, end: number): void {
    const record = this.record;
    record.text = text;
    let count = 0;
    let fieldStart = start;
    for (;;) {
      if (this.nextDelimiter !== -1 && this.nextDelimiter < fieldStart) {
        this.nextDelimiter = text.indexOf(this.delimiter, fieldStart);
      }
      const d = this.nextDelimiter;
      if (count === record.starts.length) record.reserve(count + 1);
      record.starts[count] = fieldStart;
      if (d === -1 || d >= end) {
        record.ends[count] = end;
        count++;
        break;
      }
      record.ends[count] = d;
      count++;
      fieldStart = d + 1;
    }
    if (record.unquoted.length > 0) record.unquoted.length = 0;
    record.fieldCount = count;
  }

  /**
   * Parses one record that may hold quoted fields, character by character, from `start`.
   * Returns the index after its line end, or −1 when the text ends inside a quoted field
   * (or, when not `final`, before the record's line end). Counts the line breaks inside quotes.
   */
  private parseRecord(text: string, start: number, final: boolean): number {
    const record = this.record;
    record.text = text;
    record.unquoted.length = 0;
    const length = text.length;
    const delimiter = this.delimiterCode;
    let count = 0;
    let i = start;
    let extraLines = 0;
    for (;;) {
      if (count === record.starts.length) record.reserve(count + 1);
      // Skip spaces before an opening quote: ` "a, b"` is still a quoted field.
      let j = i;
      while (j < length && text.charCodeAt(j) === 32) j++;
      if (j < length && text.charCodeAt(j) === QUOTE) {
        let value = "";
        let k = j + 1;
        for (;;) {
          const close = text.indexOf('"', k);
          if (close < 0) return -1;
          value += text.slice(k, close);
          if (close + 1 < length && text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            k = close + 2;
            continue;
          }
          if (close + 1 >= length && !final) return -1;
          k = close + 1;
          break;
        }
        for (let n = value.indexOf("\n"); n >= 0; n = value.indexOf("\n", n + 1)) extraLines++;
        // Anything after the closing quote up to the delimiter is kept as written (lenient).
        let e = k;
        while (e < length) {
          const code = text.charCodeAt(e);
          if (code === delimiter || code === LF || code === CR) break;
          e++;
        }
        if (e > k) value += text.slice(k, e).trimEnd();
        record.starts[count] = j;
        record.ends[count] = e;
        record.unquoted[count] = value;
        count++;
        i = e;
      } else {
        let e = i;
        while (e < length) {
          const code = text.charCodeAt(e);
          if (code === delimiter || code === LF || code === CR) break;
          e++;
        }
        record.starts[count] = i;
        record.ends[count] = e;
        record.unquoted[count] = undefined;
        count++;
        i = e;
      }
      if (i >= length) {
        if (!final) return -1;
        record.fieldCount = count;
        this.line += extraLines;
        return length;
      }
      const code = text.charCodeAt(i);
      if (code === delimiter) {
        i++;
        continue;
      }
      // CR or LF: the record ends.
      if (code === CR) {
        if (i + 1 < length && text.charCodeAt(i + 1) === LF) i++;
        else if (i + 1 >= length && !final) return -1;
      }
      record.fieldCount = count;
      this.line += extraLines;
      return i + 1;
    }
  }
}

/**
 * Streams a CSV file through `handler`, one record at a time, never holding the file in memory.
 *
 * @param file path of the file.
 * @param handler header and record callbacks.
 * @param options delimiter, display name, chunk size.
 * @returns the header, delimiter and number of data records.
 * @throws CliError "cannot read <file>: no such file" (and the like) when the file cannot be read;
 *   CliError for a workbook or Parquet file (not text), an empty file or an unclosed quote; whatever
 *   the handler throws.
 */
export async function streamCsv(file: string, handler: CsvHandler, options: CsvStreamOptions = {}): Promise<CsvStreamSummary> {
  const displayName = options.displayName ?? file;
  // A workbook or a Parquet file read as text would show a "header" of binary garbage.
  const binary = binaryKindOf(file);
  if (binary !== null) throw notCsvError(binary, displayName, binary === "xls" ? "save it as .xlsx or CSV first" : "save the table as a CSV file (in Excel: File > Save As > CSV)");
  const onRow = options.onRow;
  const counted: CsvHandler =
    onRow === undefined
      ? handler
      : {
          header: (fields, delimiter) => handler.header(fields, delimiter),
          record: (record) => {
            handler.record(record);
            onRow(parser.rows);
          },
        };
  const parser = new CsvParser(counted, { delimiter: options.delimiter, displayName });
  try {
    // Decoded as the file is stored: UTF-8 or UTF-16, gzip or not (textFile.ts).
    for await (const chunk of textChunks(file, displayName, options.chunkBytes ?? CHUNK_BYTES)) parser.push(chunk);
  } catch (error) {
    // File-system errors (open, read) carry the failing system call; errors of the handler do not.
    if (typeof error === "object" && error !== null && "syscall" in error) {
      throw new CliError(`cannot read ${displayName}: ${readProblem(error)}`);
    }
    throw error;
  }
  parser.end();
  return { header: parser.headerFields, delimiter: parser.currentDelimiter, rows: parser.rows };
}

/** A whole CSV file in memory. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly delimiter: string;
  /** Data rows as strings (short rows are padded with ""). */
  readonly rows: readonly (readonly string[])[];
  /** Per data row: the file line it starts on (header = line 1). */
  readonly lines: Int32Array;
}

/**
 * Reads a whole CSV file into memory (for analyses that need every row at once).
 *
 * @param file path of the file.
 * @param options delimiter and display name.
 * @returns header, rows and their line numbers.
 * @throws CliError as {@link streamCsv}, and when a row has more non-blank fields than the header.
 */
export async function readCsvTable(file: string, options: CsvStreamOptions = {}): Promise<CsvTable> {
  const displayName = options.displayName ?? file;
  const rows: string[][] = [];
  let lines = new Int32Array(1024);
  let width = 0;
  const summary = await streamCsv(
    file,
    {
      header(fields) {
        width = fields.length;
      },
      record(record) {
        const fields = record.fields();
        if (fields.length > width) {
          for (let i = width; i < fields.length; i++) {
            if (fields[i].trim() !== "") {
              throw new CliError(`the row has ${fields.length} fields but the header has ${width}; quote fields that contain the delimiter`, {
                file: displayName,
                row: record.line,
              });
            }
          }
          fields.length = width;
        }
        while (fields.length < width) fields.push("");
        if (rows.length === lines.length) {
          const grown = new Int32Array(lines.length * 2);
          grown.set(lines);
          lines = grown;
        }
        lines[rows.length] = record.line;
        rows.push(fields);
      },
    },
    options,
  );
  return { header: summary.header, delimiter: summary.delimiter, rows, lines: lines.slice(0, rows.length) };
}
