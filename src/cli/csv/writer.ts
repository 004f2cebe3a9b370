/**
 * CSV and JSON output of a result table (a header row, then data rows).
 *
 * CSV follows RFC 4180 quoting: a field holding the delimiter, a quote, a line break, or leading or
 * trailing spaces is quoted, with quotes doubled. Numbers are written in full precision (JavaScript's
 * shortest round-trip form), booleans as TRUE/FALSE, blanks as empty fields; lines end with LF.
 * Text that a spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or CR,
 * and not a plain number) gets a leading `'` (csvSafeText). JSON is an array of objects keyed by the
 * header, numbers as numbers and blanks as null, text unchanged.
 */

import { csvSafeText } from "../../engine/data/csvSafe";

/** A cell of a result table. */
export type OutputCell = string | number | boolean | null;

/** One field as CSV text. */
export function csvField(cell: OutputCell, delimiter = ","): string {
  if (cell === null) return "";
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  if (typeof cell === "number") return String(cell);
  const text = csvSafeText(cell);
  const needsQuotes =
    text.includes(delimiter) || text.includes('"') || text.includes("\n") || text.includes("\r") || text !== text.trim();
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A table as CSV text.
 *
 * @param rows header row first.
 * @param delimiter field delimiter (default `,`).
 * @returns the text, each row ending with a newline.
 */
export function formatCsv(rows: readonly (readonly OutputCell[])[], delimiter = ","): string {
  let out = "";
  for (const row of rows) out += `${row.map((cell) => csvField(cell, delimiter)).join(delimiter)}\n`;
  return out;
}

/**
 * A table as JSON: an array of objects keyed by the header row.
 *
 * @param rows header row first (header cells become keys as text).
 * @returns pretty-printed JSON text ending with a newline.
 */
export function formatJson(rows: readonly (readonly OutputCell[])[]): string {
  if (rows.length === 0) return "[]\n";
  const keys = rows[0].map((cell) => String(cell ?? ""));
  const objects = rows.slice(1).map((row) => {
    const object: Record<string, OutputCell> = {};
    keys.forEach((key, i) => {
      object[key] = row[i] ?? null;
    });
    return object;
  });
  return `${JSON.stringify(objects, null, 2)}\n`;
}
