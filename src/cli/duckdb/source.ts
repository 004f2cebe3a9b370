/**
 * The input files of the `--from` route as a DuckDB relation: Parquet (`.parquet`, `.pq`) through
 * read_parquet, anything else as CSV through read_csv with DuckDB's type detection; globs such as
 * `data/orders-*.parquet` are allowed. The columns are found by header as the runner finds them in a
 * CSV file (src/cli/csv/columns.ts). Date and timestamp columns of a CSV are read as text and cut by
 * the SQL as the engine reads date text (wall clock as written, an offset ignored); typed Parquet
 * columns are read as they are.
 */

import { findColumns, type ColumnRole } from "../csv/columns";
import { duckDbError, literal, type DuckDb } from "./connection";

/** A relation over the files and the chosen columns. */
export interface FileSource<K extends string> {
  /** The relation, e.g. read_parquet('orders/*.parquet'). */
  readonly relation: string;
  /** Role → header of the column. */
  readonly columns: Record<K, string>;
  /** How the date/time column is read: typed, or text as written. */
  readonly dates: "typed" | "text";
}

/** True for a Parquet file name (or glob). */
export function isParquet(pattern: string): boolean {
  return /\.(parquet|pq)$/i.test(pattern);
}

/**
 * Opens the files as a relation and finds the columns.
 *
 * @param db the open DuckDB.
 * @param pattern the file or glob, as the user gave it (resolved by the caller).
 * @param display the name for messages.
 * @param roles the columns to find, by header synonyms.
 * @param overrides role → header given with a flag.
 * @param timeRole the role whose column is a date or timestamp (read as text from CSV).
 * @returns the relation and the column headers.
 * @throws CliError when no file matches, a file cannot be read, or a column is not found.
 */
export async function fileSource<K extends string>(
  db: DuckDb,
  pattern: string,
  display: string,
  roles: Readonly<Record<K, ColumnRole>>,
  overrides: Readonly<Partial<Record<K, string>>>,
  timeRole: NoInfer<K>,
): Promise<FileSource<K>> {
  const parquet = isParquet(pattern);
  const base = parquet ? `read_parquet(${literal(pattern)})` : `read_csv(${literal(pattern)}, header = true)`;
  let described: { columns: string[]; rows: unknown[][] };
  try {
    described = await db.rows(`DESCRIBE SELECT * FROM ${base}`);
  } catch (error) {
    throw duckDbError(error, display);
  }
  const header = described.rows.map((row) => String(row[0]));
  const types = described.rows.map((row) => String(row[1]).toUpperCase());
  const found = findColumns(header, roles, overrides, display);
  const columns = {} as Record<K, string>;
  for (const key of Object.keys(found) as K[]) columns[key] = header[found[key]];
  const time = found[timeRole];
  if (parquet) return { relation: base, columns, dates: types[time] === "VARCHAR" ? "text" : "typed" };
  // CSV: keep the time column as text so that an offset is ignored as the engine ignores it.
  const relation = `read_csv(${literal(pattern)}, header = true, types = {${literal(header[time])}: 'VARCHAR'})`;
  return { relation, columns, dates: "text" };
}
