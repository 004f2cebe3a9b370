/**
 * Files that are not text, told by their first bytes: an .xlsx workbook (a zip), an old binary
 * Excel file (.xls, a compound file), a Parquet file. The CSV reader would read their bytes as
 * text and report a "header" of binary garbage; the commands instead read a workbook or a Parquet
 * file as what it is (src/cli/csv/sheetTable.ts), or say plainly what the file is.
 */

import { closeSync, openSync, readSync } from "node:fs";
import { CliError } from "../errors";

/** What a file is when it is not text. */
export type BinaryKind = "xlsx" | "xls" | "parquet";

const SIGNATURES: readonly { readonly kind: BinaryKind; readonly bytes: readonly number[] }[] = [
  { kind: "xlsx", bytes: [0x50, 0x4b, 0x03, 0x04] },
  { kind: "xls", bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { kind: "parquet", bytes: [0x50, 0x41, 0x52, 0x31] },
];

/** The files' kinds in words, for messages. */
export const BINARY_KIND_WORDS: Readonly<Record<BinaryKind, string>> = {
  xlsx: "an Excel workbook (.xlsx)",
  xls: "an old binary Excel file (.xls)",
  parquet: "a Parquet file",
};

/**
 * The kind of a file that is not text, from its first bytes.
 *
 * @param file path of the file.
 * @returns the kind, or null for anything else (text, an empty file, or a file that cannot be opened: the reader then says why).
 */
export function binaryKindOf(file: string): BinaryKind | null {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(8);
    const read = readSync(fd, head, 0, 8, 0);
    const match = SIGNATURES.find(({ bytes }) => read >= bytes.length && bytes.every((byte, i) => head[i] === byte));
    return match?.kind ?? null;
  } finally {
    closeSync(fd);
  }
}

/**
 * The error of a reader that takes CSV only, given a file that is not text.
 *
 * @param kind what the file is.
 * @param display the file as the user named it.
 * @param advice what to do instead, in words after a semicolon ("save the sheet as CSV").
 */
export function notCsvError(kind: BinaryKind, display: string, advice: string): CliError {
  return new CliError(`is ${BINARY_KIND_WORDS[kind]}, not a CSV file; ${advice}`, { file: display });
}

/**
 * Refuses a workbook among the files of `--from` (read by DuckDB as CSV or Parquet): a workbook
 * read as CSV fails deep in DuckDB's CSV reader ("CSV Error on Line: 8").
 *
 * @param files the files a pattern names that are read as CSV.
 * @param display the pattern as the user gave it.
 * @throws CliError naming the first workbook and the route that reads it.
 */
export function refuseWorkbooks(files: readonly string[], display: string): void {
  for (const file of files) {
    const kind = binaryKindOf(file);
    if (kind === "xlsx" || kind === "xls") {
      const name = file.split(/[\\/]/).pop() ?? file;
      const advice = kind === "xls" ? "save it as .xlsx, then give it without --from (imc report book.xlsx, imc clv book.xlsx)" : "give it without --from (imc report book.xlsx, imc clv book.xlsx)";
      // The file is named when the pattern does not name it alone (a glob).
      const subject = files.length === 1 && display.endsWith(name) ? "" : `${name} `;
      throw new CliError(`${subject}is ${BINARY_KIND_WORDS[kind]}; --from reads CSV and Parquet files: ${advice}`, { file: display });
    }
  }
}
