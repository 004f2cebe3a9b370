/**
 * CSV text of a sample table (RFC 4180): a header line, then one line per row, lines ending in CRLF
 * (the last line too).
 *
 * Cells are written according to the column's number format: a date column ("yyyy-mm-dd") as
 * `2024-03-15`, a timestamp column ("yyyy-mm-dd hh:mm") as `2024-03-15 09:05` (minutes rounded),
 * every other number in full precision without an exponent for ordinary magnitudes (1e-15 to 1e21),
 * booleans as TRUE/FALSE, null as an empty field. A field is quoted (inner quotes doubled) when it
 * contains a comma, a quote, CR or LF. Text a spreadsheet would run as a formula (first character
 * `=`, `+`, `-`, `@`, tab or CR, and not a plain number) gets a leading `'` first (csvSafeText).
 *
 * References: RFC 4180, "Common Format and MIME Type for Comma-Separated Values (CSV) Files", §2.
 */

import { EngineError } from "../engine/errors";
import { csvSafeText } from "../engine/data/csvSafe";
import { serialToCalendar } from "../engine/data/dates";
import type { SampleCell, SampleTable } from "./business";

/** Line ending of every line, the last one included (RFC 4180 §2.1). */
export const CSV_LINE_END = "\r\n";

const MINUTES_PER_DAY = 1440;

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function isoDay(day: number): string {
  const { year, month, day: dayOfMonth } = serialToCalendar(day);
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(dayOfMonth)}`;
}

/** `yyyy-mm-dd hh:mm` of a serial, the time rounded to the minute (23:59:40 rounds to the next day). */
function timestampText(serial: number): string {
  let day = Math.floor(serial);
  let minutes = Math.round((serial - day) * MINUTES_PER_DAY);
  if (minutes >= MINUTES_PER_DAY) {
    day += 1;
    minutes -= MINUTES_PER_DAY;
  }
  return `${isoDay(day)} ${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/**
 * Shortest round-trip text of a number, with the exponent expanded for magnitudes from 1e-15 up to
 * 1e21 (JavaScript writes 1e-7 for 0.0000001).
 */
export function plainNumberText(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  const magnitude = Math.abs(value);
  if (magnitude < 1e-15 || magnitude >= 1e21) return text;
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (match === null) return text;
  const [, sign, lead, rest = "", exponentText] = match;
  const exponent = Number(exponentText);
  const digits = lead + rest;
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  return `${sign}${digits.padEnd(exponent + 1, "0")}`;
}

function quoted(cell: string): string {
  const text = csvSafeText(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cellText(cell: SampleCell, format: string | null, table: string, row: number, column: string): string {
  if (cell === null) return "";
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  if (typeof cell === "string") return quoted(cell);
  if (!Number.isFinite(cell)) {
    throw new EngineError("INVALID_INPUT", `tableToCsv: ${table} row ${row}, column "${column}": ${String(cell)} is not a finite number`, {
      argument: table,
      row,
    });
  }
  if (format === "yyyy-mm-dd") return isoDay(cell);
  if (format === "yyyy-mm-dd hh:mm") return timestampText(cell);
  return plainNumberText(cell);
}

/**
 * RFC 4180 CSV of a table: header line, CRLF line endings (the last line too), dates and timestamps
 * as text according to the column's number format, numbers in full precision.
 *
 * @param table the table; `numberFormats` has one entry per header.
 * @returns the CSV text.
 * @throws EngineError INVALID_INPUT when a row's length differs from the headers', or a number cell is
 *   not finite (the message names the table, row and column).
 */
export function tableToCsv(table: SampleTable): string {
  const width = table.headers.length;
  const lines: string[] = [table.headers.map(quoted).join(",")];
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r];
    if (row.length !== width) {
      throw new EngineError(
        "INVALID_INPUT",
        `tableToCsv: ${table.name} row ${r + 1} has ${row.length} cells but the table has ${width} columns`,
        { argument: table.name, row: r + 1 },
      );
    }
    const fields = new Array<string>(width);
    for (let c = 0; c < width; c++) fields[c] = cellText(row[c], table.numberFormats[c] ?? null, table.name, r + 1, table.headers[c]);
    lines.push(fields.join(","));
  }
  return lines.join(CSV_LINE_END) + CSV_LINE_END;
}

/**
 * File name of a table's CSV: its name in lower case with spaces as hyphens ("Lead Events" →
 * `lead-events.csv`).
 *
 * @param name the table's name.
 */
export function csvFileName(name: string): string {
  return `${name.toLowerCase().replace(/\s+/g, "-")}.csv`;
}
