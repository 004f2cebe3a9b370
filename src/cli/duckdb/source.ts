/**
 * The input files of the `--from` route as a DuckDB relation: Parquet (`.parquet`, `.pq`) through
 * read_parquet, anything else as CSV through read_csv with DuckDB's type detection; globs such as
 * `data/orders-*.parquet` are allowed. The columns are found by header as the runner finds them in a
 * CSV file (src/cli/csv/columns.ts).
 *
 * The relation reads the data as `imc clv orders.csv` and `imc attribute log.csv` read it:
 * - ids are trimmed text (a CSV id column is read as text, so `001` stays `001`); a row with a blank
 *   id and a date, or an id and a blank date, is an error naming its row, as the runner's; a row
 *   with neither is left out;
 * - the date/time column comes out as a TIMESTAMP: typed Parquet DATE/TIMESTAMP columns as they are;
 *   text (every CSV date column, Parquet text and number columns) as dateReading.ts reads it — ISO
 *   text as the engine reads it, numbers as Excel serials, day/month text in the order the column
 *   shows or `--date-order` gives. One scan over every row decides; a value that cannot be read is
 *   an error naming it and its row;
 * - the order value or conversion value (`value`) as the runner reads a cell (valueReading.ts):
 *   number text, percent text, typed Parquet numbers; a value the runner stops at (a blank order
 *   value, text that is not a number, a negative conversion, a touch without its channel) stops here
 *   with its message and row, found by the same first scan (a row with only a value stops as a
 *   blank id does). Checked after the dates, as the runner reads them;
 * - with `rowOrder`, a column `imc_row` numbers the rows in file order (files in name order), for
 *   ties at equal times: Parquet's file_index and file_row_number; for CSV, whose reader has no row
 *   number in DuckDB 1.5, row_number() OVER () over the scan, which DuckDB computes in a streaming
 *   window in scan order.
 */

import path from "node:path";
import { toDateSerial } from "../../engine/data/cells";
import { isEngineError } from "../../engine/errors";
import { findColumns, type ColumnRole } from "../csv/columns";
import { rowList } from "../../reports/sheetLayout";
import { binaryKindOf, refuseWorkbooks } from "../csv/fileKind";
import { streamCsv } from "../csv/reader";
import { CliError } from "../errors";
import { duckDbError, literal, type DuckDb } from "./connection";
import { csvLayout, csvTail, trailingTotals, type CsvLayout, type CsvTail, type TrailingTotals } from "./csvLayout";
import {
  ambiguousPlainSql,
  badValueSql,
  blankOnZeroSql,
  isNumberType,
  MONEY_COLUMNS,
  moneyBadSql,
  moneyCellValue,
  moneyLayer,
  moneyScanOf,
  moneyScanSql,
  moneyValueProblem,
  moneyValueSql,
  moneyZeroSql,
  valueOfText,
  type DecimalMark,
  type MoneyScan,
  type ValueRule,
} from "./valueReading";
import { blankSql, columnScanOf, firstUnreadSql, plainTimestamp, quickScanOf, quickScanSql, scanSql, SHAPE_COLUMNS, shapesLayer, timestampOfText, trimmedText, type ColumnScan, type DateOrder } from "./dateReading";

export type { DateOrder } from "./dateReading";

/** The name of the row-order column added with `rowOrder`. */
export const ROW_ORDER_COLUMN = "imc_row";

/** A relation over the files and the chosen columns. */
export interface FileSource<K extends string> {
  /** The relation, e.g. (SELECT … FROM read_parquet('orders/*.parquet')). */
  readonly relation: string;
  /** Role → header of the column. */
  readonly columns: Record<K, string>;
  /** How the queries read the date/time column: always a TIMESTAMP or DATE column now. */
  readonly dates: "typed" | "text";
  /** The row-order column ({@link ROW_ORDER_COLUMN}) when asked for, else null. */
  readonly order: string | null;
  /** What reading left out or interpreted, in the words of `imc report`, each starting with its file (`orders.csv: 1 total row left out (row 1227)`), for stderr. */
  readonly notes: readonly string[];
}

/** How the columns are read beyond finding them. */
export interface SourceReading<K extends string> {
  /** The role of the customer id column. */
  readonly id: K;
  /** The day/month order the user gave (--date-order), for a column that does not show it. */
  readonly dateOrder?: DateOrder;
  /** The decimal mark the user gave (--decimal), for a value column of money text that does not show it. */
  readonly decimal?: DecimalMark;
  /** Add {@link ROW_ORDER_COLUMN}, the rows' order in the files. */
  readonly rowOrder?: boolean;
  /** The number column (order value, conversion value), read as valueReading.ts reads it, by its rule. */
  readonly value?: {
    readonly role: K;
    readonly rule: ValueRule;
    /** A column that must not be blank on a row whose value is blank or 0 (the channel of a touch), and the runner's words. */
    readonly touchLabel?: { readonly role: K; readonly problem: string };
  };
}

/** True for a Parquet file name (or glob): .parquet or .pq. */
export function isParquetName(pattern: string): boolean {
  return /\.(parquet|pq)$/i.test(pattern);
}

/** True for a Parquet file name (or glob), or a single file without such a name that is Parquet by its first bytes. */
export function isParquet(pattern: string): boolean {
  return isParquetName(pattern) || (!/[*?[]/.test(pattern) && binaryKindOf(pattern) === "parquet");
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The select item that numbers the rows in file order (files in name order). */
function rowOrderOf(parquet: boolean): string {
  return parquet ? `CAST(file_index AS BIGINT) * 4294967296 + CAST(file_row_number AS BIGINT) AS ${ROW_ORDER_COLUMN}` : `row_number() OVER () AS ${ROW_ORDER_COLUMN}`;
}

/**
 * A Parquet id column of a number type as the text the in-memory route gives it (the cell read as
 * a double, then as JavaScript writes a number): 1001.0 as "1001", 12.50 as "12.5" — DuckDB's cast
 * of a DOUBLE or DECIMAL writes "1001.0" and "12.50". Whole numbers beyond 2^53 are not ids a
 * double holds exactly; they keep DuckDB's text.
 */
function numberIdText(column: string, type: string): string {
  if (!/^(FLOAT|DOUBLE|REAL|DECIMAL|NUMERIC)/.test(type.toUpperCase())) return `CAST(${column} AS VARCHAR)`;
  const value = `CAST(${column} AS DOUBLE)`;
  return `(CASE WHEN ${value} = TRUNC(${value}) AND ABS(${value}) < 9007199254740992 THEN CAST(CAST(${value} AS BIGINT) AS VARCHAR) ELSE CAST(${value} AS VARCHAR) END)`;
}

/** The id as trimmed text, blank as NULL. */
function idText(column: string): string {
  return `NULLIF(${trimmedText(column)}, '')`;
}

/**
 * Opens the files as a relation and finds the columns.
 *
 * @param db the open DuckDB.
 * @param pattern the file or glob, as the user gave it (resolved by the caller).
 * @param display the name for messages.
 * @param roles the columns to find, by header synonyms.
 * @param overrides role → header given with a flag.
 * @param timeRole the role whose column is a date or timestamp.
 * @param reading the id role, the date order given, whether to number the rows.
 * @returns the relation and the column headers.
 * @throws CliError when no file matches, a file cannot be read, a column is not found, an id or a
 *   date is blank, a date cannot be read, or the day/month order cannot be told.
 */
export async function fileSource<K extends string>(
  db: DuckDb,
  pattern: string,
  display: string,
  roles: Readonly<Record<K, ColumnRole>>,
  overrides: Readonly<Partial<Record<K, string>>>,
  timeRole: NoInfer<K>,
  reading: SourceReading<NoInfer<K>>,
): Promise<FileSource<K>> {
  const parquet = isParquet(pattern);
  const csv = parquet ? null : await csvFiles(db, pattern, display, Object.values<string | undefined>(overrides).filter((name): name is string => name !== undefined));
  const request: SourceRequest<K> = { pattern, display, roles, overrides, timeRole, reading };
  const open = (repeats: HeaderRepeats | null): Promise<FileSource<K>> => openSource(db, request, csv, repeats);
  try {
    return await open(null);
  } catch (error) {
    // Rows repeating the header (two exports pasted into one file) stop the reading at their first
    // cell; looked for only then, so that a clean file pays nothing. imc report skips and counts them.
    if (!(error instanceof CliError) || csv === null) throw error;
    const repeats = await headerRepeats(db, pattern, csv, display);
    if (repeats === null) throw error;
    return open(repeats);
  }
}

/** Rows of a CSV file that repeat its header, cell for cell (case and spaces around aside). */
interface HeaderRepeats {
  /** The predicate over the read_csv relation. */
  readonly sql: string;
  readonly count: number;
}

/**
 * The read_csv call of CSV files of one layout: every column as text, the lines above the header
 * skipped, strict mode off when their line ends are mixed; `padded` reads short rows (a total row, a
 * repeated header) as NULLs instead of refusing them.
 */
function csvRead(pattern: string, csv: CsvFiles, padded: boolean, extra = ""): string {
  const layout = csv.layout;
  // DuckDB reads UTF-16 little-endian ('utf-16'), and gzip by the .gz name or when told.
  const stored = `${layout.format.encoding === "utf-16le" ? ", encoding = 'utf-16'" : ""}${layout.format.gzip ? ", compression = 'gzip'" : ""}${csv.mixedLineEnds ? ", strict_mode = false" : ""}`;
  return `read_csv(${literal(pattern)}, header = true, delim = ${literal(layout.delimiter)}, skip = ${layout.headerLine - 1}, all_varchar = true${padded ? ", null_padding = true" : ""}${stored}${extra})`;
}

/** The rows a repeated header may take: the header, and the title rows above it (two exports pasted one after the other). */
function headingRowsOf(layout: CsvLayout): (readonly string[])[] {
  return [layout.header, ...layout.titles];
}

/** The predicate of a row repeating the header or a title row above it, and how many rows meet it; null when none does. */
async function headerRepeats(db: DuckDb, pattern: string, csv: CsvFiles, display: string): Promise<HeaderRepeats | null> {
  const relation = csvRead(pattern, csv, true);
  const named = await query(db, `DESCRIBE SELECT * FROM ${relation}`, display);
  const columns = named.map((row) => String(row[0]));
  const header = csv.layout.header;
  if (columns.length < header.length || header.every((cell) => cell === "")) return null;
  // A heading row with more fields than the columns cannot be read as one row of them.
  const headings = headingRowsOf(csv.layout).filter((row) => row.filter((cell) => cell !== "").length > 0 && row.slice(columns.length).every((cell) => cell === ""));
  const sameAs = (row: readonly string[]) => `(${columns.map((column, i) => `lower(COALESCE(${trimmedText(quote(column))}, '')) = ${literal((row[i] ?? "").toLowerCase())}`).join(" AND ")})`;
  const sql = `(${headings.map(sameAs).join(" OR ")})`;
  const count = Number((await query(db, `SELECT COUNT(*) FROM ${relation} WHERE ${sql}`, display))[0][0]);
  return count === 0 ? null : { sql, count };
}

/** The arguments of {@link fileSource}, as {@link openSource} takes them. */
interface SourceRequest<K extends string> {
  readonly pattern: string;
  readonly display: string;
  readonly roles: Readonly<Record<K, ColumnRole>>;
  readonly overrides: Readonly<Partial<Record<K, string>>>;
  readonly timeRole: K;
  readonly reading: SourceReading<K>;
}

/** {@link fileSource} once the files are known, leaving out the rows repeating the header when `repeats` is given. */
async function openSource<K extends string>(db: DuckDb, request: SourceRequest<K>, csv: CsvFiles | null, repeats: HeaderRepeats | null): Promise<FileSource<K>> {
  const { pattern, display, roles, overrides, timeRole, reading } = request;
  const parquet = csv === null;
  const csvCall = (padded: boolean, extra = ""): string => csvRead(pattern, csv!, padded, extra);
  const probe = parquet ? `read_parquet(${literal(pattern)})` : csvCall(false);
  const described = await query(db, `DESCRIBE SELECT * FROM ${probe}`, display);
  const header = described.map((row) => String(row[0]));
  const types = described.map((row) => String(row[1]).toUpperCase());
  const found = findColumns(header, roles, overrides, display);
  const columns = {} as Record<K, string>;
  for (const key of Object.keys(found) as K[]) columns[key] = header[found[key]];
  const time = quote(columns[timeRole]);
  const id = quote(columns[reading.id]);
  const valueRole = reading.value?.role;
  // CSV: every column as text, as the runner reads every cell; trailing total rows as imc report finds them.
  const totals = csv === null ? [] : await Promise.all(csv.files.map((file, k) => trailingTotals(file, csv.tails[k], csv.layout, found[reading.id])));
  const anyTotals = totals.some((rows) => rows.lines.length > 0);
  const dropped = [anyTotals ? totalRowsSql(header, totals) : null, repeats?.sql ?? null].filter((sql): sql is string => sql !== null);
  const drop = dropped.length === 0 ? null : `(${dropped.join(" OR ")})`;
  const csvRelation = csv === null ? null : csvCall(totals.some((rows) => rows.short) || repeats !== null);
  const raw = parquet ? `read_parquet(${literal(pattern)})` : drop === null ? csvRelation! : `(SELECT * FROM ${csvRelation!} WHERE NOT ${drop})`;
  const notes = csv === null ? [] : totalNotes(csv.files, totals, display);
  const rowOrder = reading.rowOrder !== true ? "" : rowOrderOf(parquet);
  const withOrder = rowOrder === "" ? "" : `, ${rowOrder}`;
  const order = rowOrder === "" ? null : ROW_ORDER_COLUMN;
  const locator = new RowLocator(db, {
    parquet,
    pattern,
    display,
    csv:
      csv === null
        ? null
        : {
            read: (extra) => csvCall(totals.some((rows) => rows.short) || repeats !== null, extra),
            drop,
            delimiter: csv.layout.delimiter,
            headerLine: csv.layout.headerLine,
            trailing: new Map(csv.files.map((file, k) => [file, new Set(totals[k].lines)])),
          },
    header,
    idIndex: found[reading.id],
    timeIndex: found[timeRole],
    id,
    time,
  });
  const idType = parquet ? types[found[reading.id]] : "VARCHAR";
  const timeTyped = parquet && /^(DATE|TIMESTAMP)/.test(types[found[timeRole]]);
  const timeText = !timeTyped && parquet && types[found[timeRole]] !== "VARCHAR" ? `CAST(${time} AS VARCHAR)` : time;
  const idAsText = idType === "VARCHAR" ? id : numberIdText(id, idType);
  // A row with a blank id and date but something else in it is a row, as for the runner (an empty one is left out).
  const others = Object.values<string>(columns).filter((column) => column !== columns[reading.id] && column !== columns[timeRole]);
  // Blank as the quick scan tells it: regular expressions on text (CSV: id, date and value are text).
  const isText = (column: string): boolean => !parquet || types[header.indexOf(column)] === "VARCHAR";
  const othersBlank = others.map((column) => blankSql(quote(column), isText(column))).join(" AND ");
  const idBlank = blankSql(idAsText, true);
  const timeBlank = blankSql(timeText, !timeTyped);
  const idOnlyBlank = others.length === 0 ? "FALSE" : `${idBlank} AND ${timeBlank} AND NOT (${othersBlank})`;
  const value = valueRole === undefined ? null : valueOf(reading, columns[valueRole], parquet ? types[header.indexOf(columns[valueRole])] : "VARCHAR");
  const label = reading.value?.touchLabel;
  const labelBlank = value === null || label === undefined ? "" : ` OR (${blankOnZeroSql({ sql: quote(columns[label.role]), text: isText(columns[label.role]) }, value.sql, value.typed)})`;
  // The id guard second: it is evaluated only on the (few) rows with a bad value.
  const badValue = value === null ? "FALSE" : `((${badValueSql(value.sql, value.typed, value.rule)})${labelBlank}) AND NOT ${idBlank}`;
  // A plain number that could group thousands (1.234): the column must show its mark, as for money text.
  const ambiguousValue = value === null || value.typed ? "FALSE" : `${ambiguousPlainSql(value.sql)} AND NOT ${idBlank}`;
  const quick = quickScanOf((await query(db, quickScanSql(drop === null ? raw : csvRelation!, idAsText, timeText, !timeTyped, [idOnlyBlank, badValue, ambiguousValue], drop), display))[0]);
  const trailing = totals.reduce((sum, rows) => sum + rows.lines.length, 0);
  if (repeats !== null) {
    const headings = headingRowsOf(csv!.layout).map((row) => row.map((cell) => cell.toLowerCase()));
    const first = await locator.ofRow(repeats.sql, (fields) => headings.some((row) => sameFields(fields.map((field) => field.toLowerCase()), row)), { sql: id, index: found[reading.id] }, false);
    const what = csv!.layout.titles.length === 0 ? "the header" : "the header or title";
    notes.push(`${first.file}: ${repeats.count} row${repeats.count === 1 ? "" : "s"} repeating ${what} skipped (${repeats.count === 1 ? "row" : "the first at row"} ${first.row ?? "?"})`);
  }
  if (quick.dropped > trailing + (repeats?.count ?? 0)) {
    // A row like a trailing total row inside the data: imc report reads it as data, which cannot be told from the last rows here.
    const where = await locator.ofRow(drop!, (fields) => totals.some((rows) => rows.rows.some((row) => sameFields(row, fields))), { sql: id, index: found[reading.id] }, false);
    throw new CliError("is a total row inside the data, not at its end (where total rows are left out); remove it or the rows after it", { ...where, column: columns[reading.id] });
  }
  const [blankRow, firstValueBad, ambiguous] = quick.checks;
  if (quick.blankId || blankRow) throw new CliError("is blank; a value is required", { ...(await locator.ofBlank("id", others)), column: columns[reading.id] });
  if (quick.blankTime) throw new CliError("is blank; a date is required", { ...(await locator.ofBlank("time")), column: columns[timeRole] });
  // Money text (and plain numbers that could group thousands): read by the column's decimal mark, as readMoneyColumn reads it.
  let mark: DecimalMark | null = null;
  let from = raw;
  let valueBad = firstValueBad;
  let valueCheck = badValue;
  if (value !== null && !value.typed && (firstValueBad || ambiguous)) {
    // The check of the values read as money, in the same scan: a value's sign and whether it is 0 do not depend on the mark.
    const labelBlank = label === undefined ? "" : ` OR (${blankSql(quote(columns[label.role]), isText(columns[label.role]))} AND ${moneyZeroSql(value.sql)})`;
    const moneyCheck = `((${moneyBadSql(value.sql, value.rule)})${labelBlank}) AND NOT ${idBlank}`;
    const money = moneyScanOf((await query(db, moneyScanSql(raw, value.sql, [moneyCheck]), display))[0]);
    if (money.needsReading) {
      mark = await chooseMark(money, reading.decimal, locator, value, notes);
      from = moneyLayer(raw, value.sql);
      valueCheck = moneyCheck;
      valueBad = money.checks[0];
    }
  }
  // Ids as trimmed text; untouched (and faster) when none has a space around it.
  const idValue = quick.idsPadded ? idText(id) : idAsText;
  const ids = idValue === id ? "" : `${idValue} AS ${id}`;
  const values = value === null || value.typed ? "" : `${mark === null ? valueOfText(value.sql) : moneyValueSql(value.sql, mark)} AS ${value.quoted}`;
  const moneyExclude = mark === null ? [] : MONEY_COLUMNS;
  const replace = (...items: string[]): string => {
    const exclude = moneyExclude.length === 0 ? "" : ` EXCLUDE (${moneyExclude.join(", ")})`;
    return items.every((item) => item === "") ? `*${exclude}` : `*${exclude} REPLACE (${items.filter((item) => item !== "").join(", ")})`;
  };
  /** The relation, once the dates are known to read: the values checked first (the runner reads them after the dates). */
  const checked = async (relation: string): Promise<FileSource<K>> => {
    if (valueBad && value !== null) {
      const touch = label === undefined ? null : { header: columns[label.role], problem: label.problem };
      await throwBadValue(locator, value, touch, valueCheck, found[reading.id], mark);
    }
    return { relation, columns, dates: "typed", order, notes };
  };
  if (timeTyped) return checked(`(SELECT ${replace(ids, values)}${withOrder} FROM ${from})`);
  if (quick.plain) {
    // yyyy-mm-dd[ hh:mm[:ss]] only: DuckDB's cast reads them as the engine does, and fast.
    return checked(`(SELECT ${replace(`${plainTimestamp(timeText)} AS ${time}`, ids, values)}${withOrder} FROM ${from})`);
  }

  const scan = columnScanOf((await query(db, scanSql(shapesLayer(raw, time, "")), display))[0]);
  const dateNote = (note: string): void => void notes.push(`${display}: dates in ${columns[timeRole]} read ${note}`);
  if (scan.allYmd) {
    dateNote(`from yyyymmdd numbers (${scan.ymd} is ${scan.ymd!.slice(0, 4)}-${scan.ymd!.slice(4, 6)}-${scan.ymd!.slice(6)})`);
  } else if (scan.named !== null) {
    dateNote(`from text with month names (${scan.named})`);
  }
  const dateOrder = scan.allYmd ? null : await chooseOrder(scan, reading.dateOrder, locator, columns[timeRole]);
  const bad = scan.allYmd ? null : (scan.bad ?? (dateOrder === "dmy" ? scan.badDayFirst : dateOrder === "mdy" ? scan.badMonthFirst : null));
  if (bad !== null) {
    // The first such value in file order, as the runner stops at the first (one more scan, on this path only).
    const first = (await query(db, firstUnreadSql(shapesLayer(raw, time, rowOrderOf(parquet)), dateOrder, ROW_ORDER_COLUMN), display))[0];
    const value = first === undefined ? bad : String(first[0]);
    const dayMonth = first === undefined ? bad !== scan.bad : first[1] === true;
    const where = await locator.ofValue(value);
    throw new CliError(dayMonth ? `"${value}" is not a ${dateOrder === "dmy" ? "day-first" : "month-first"} date like the rest of the column` : problemOf(value), {
      ...where,
      column: columns[timeRole],
    });
  }
  const relation = [
    `(SELECT * EXCLUDE (${[...SHAPE_COLUMNS, ...moneyExclude].join(", ")}) REPLACE (${[`${timestampOfText(dateOrder, scan.allYmd)} AS ${time}`, ids, values].filter((item) => item !== "").join(", ")})`,
    `FROM ${shapesLayer(from, time, rowOrder)})`,
  ].join("\n");
  return checked(relation);
}

/** The value column: quoted, as the checks read it (text unless a number type), its rule and header. */
interface ValueColumn {
  readonly quoted: string;
  /** The column as the checks read it: the quoted column, or it cast to text. */
  readonly sql: string;
  readonly typed: boolean;
  readonly rule: ValueRule;
  readonly header: string;
}

function valueOf<K extends string>(reading: SourceReading<K>, header: string, type: string | undefined): ValueColumn | null {
  if (reading.value === undefined) return null;
  const quoted = quote(header);
  const typed = type !== undefined && isNumberType(type);
  const sql = typed || type === "VARCHAR" ? quoted : `CAST(${quoted} AS VARCHAR)`;
  return { quoted, sql, typed, rule: reading.value.rule, header };
}

/**
 * Stops at the first row whose value the runner would not read, with the runner's words.
 *
 * @throws CliError naming the file, the row and the column.
 */
async function throwBadValue(locator: RowLocator, value: ValueColumn, label: { header: string; problem: string } | null, bad: string, idIndex: number, mark: DecimalMark | null): Promise<never> {
  const { header } = locator.options;
  const index = header.indexOf(value.header);
  const labelIndex = label === null ? -1 : header.indexOf(label.header);
  const pick = value.typed ? `CAST(${value.quoted} AS DOUBLE)` : value.sql;
  // The runner reads a row's value, then its label (readTouchpointLog): the first row with either wrong.
  const wrong = (cell: string | number | null, labelCell: string | null): string | null => {
    const problem = moneyValueProblem(cell, value.rule, mark);
    if (problem !== null || label === null) return problem;
    return (labelCell ?? "").trim() === "" && (moneyCellValue(cell, mark) ?? 0) === 0 ? label.problem : null;
  };
  const layer = mark === null ? undefined : (relation: string): string => moneyLayer(relation, value.sql);
  const where = await locator.ofRow(bad, (fields) => (fields[idIndex] ?? "").trim() !== "" && wrong(fields[index] ?? null, labelIndex < 0 ? null : (fields[labelIndex] ?? null)) !== null, { sql: pick, index }, true, layer);
  const cell = where.value === undefined ? undefined : typeof where.value === "bigint" ? Number(where.value) : (where.value as string | number | null);
  const problem = cell === undefined ? null : moneyValueProblem(cell, value.rule, mark);
  // A row the check found whose value reads is a blank label on a touch.
  if (problem === null && label !== null && cell !== undefined) throw new CliError(label.problem, { file: where.file, row: where.row, column: label.header });
  throw new CliError(problem ?? "is not a number the runner reads", { file: where.file, row: where.row, column: value.header });
}

/** The engine's words for a date value it cannot read (toDateSerial's, with serials read as numbers). */
function problemOf(text: string): string {
  const number = Number(text);
  const value = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text) && Number.isFinite(number) ? number : text;
  try {
    toDateSerial(value, "date", 1);
  } catch (error) {
    if (isEngineError(error)) return error.message.replace(/^date row 1: /, "");
    throw error;
  }
  if (typeof value === "number" && Math.floor(value) === 60) {
    return `${text} is 29 February 1900, a day that exists only in Excel's 1900 date system (1900 was not a leap year); use a real date`;
  }
  return `"${text}" is not a date`;
}

/**
 * The day/month order of the column: the one its values show, or the one given; null when it has no
 * day/month text.
 *
 * @throws CliError when the values show both orders (and none was given), or none and none was given.
 */
async function chooseOrder(scan: ColumnScan, given: DateOrder | undefined, locator: RowLocator, header: string): Promise<DateOrder | null> {
  if (scan.dayFirst === null && scan.monthFirst === null && scan.ambiguous === null) return null;
  if (given !== undefined) return given;
  const shown = async (value: string): Promise<string> => {
    const where = await locator.ofValue(value);
    return where.row === undefined ? value : `${value} (row ${where.row}${where.file === locator.options.display ? "" : ` of ${where.file}`})`;
  };
  if (scan.dayFirst !== null && scan.monthFirst !== null) {
    throw new CliError(`${await shown(scan.dayFirst)} is day-first but ${await shown(scan.monthFirst)} is month-first; make the column one date order`, {
      file: locator.options.display,
      column: header,
    });
  }
  if (scan.dayFirst !== null) return "dmy";
  if (scan.monthFirst !== null) return "mdy";
  throw new CliError(
    `dates like ${await shown(scan.ambiguous!)} could be day-first or month-first, and no date in the column has a day above 12 to show which; say which with --date-order dmy (day first) or --date-order mdy (month first)`,
    { file: locator.options.display, column: header },
  );
}

/**
 * The decimal mark of a value column read as money, as readMoneyColumn chooses it: the one given
 * (checked against the values), else the one its values show, else "." when none could be either;
 * the note on stderr as the report words it.
 *
 * @throws CliError when a value shows the other mark than the one given, the values show both, or
 *   some could be either and none shows which (asking for --decimal).
 */
async function chooseMark(money: MoneyScan, given: DecimalMark | undefined, locator: RowLocator, value: ValueColumn, notes: string[]): Promise<DecimalMark> {
  const { display, header } = locator.options;
  const index = header.indexOf(value.header);
  const find = (text: string): Promise<{ file: string; row?: number }> =>
    locator.ofRow(`${trimmedText(value.sql)} = ${literal(text)}`, (fields) => (fields[index] ?? "").trim() === text, { sql: value.sql, index });
  const shown = async (text: string): Promise<string> => {
    const where = await find(text);
    return where.row === undefined ? text : `${text} (row ${where.row}${where.file === display ? "" : ` of ${where.file}`})`;
  };
  const name = value.header;
  let mark: DecimalMark;
  if (given !== undefined) {
    const against = given === "." ? money.comma : money.point;
    if (against !== null) {
      throw new CliError(`"${against}" has "${given === "." ? "," : "."}" as its decimal mark, not "${given}"`, { ...(await find(against)), column: name });
    }
    mark = given;
    notes.push(`${display}: amounts in ${name} read with "${given}" as the decimal mark, as asked`);
  } else if (money.point !== null && money.comma !== null) {
    throw new CliError(`${await shown(money.point)} has a decimal point but ${await shown(money.comma)} a decimal comma; make the column one convention`, { file: display, column: name });
  } else if (money.point !== null || money.comma !== null) {
    mark = money.point !== null ? "." : ",";
    notes.push(`${display}: amounts in ${name} read from text with a decimal ${mark === "." ? "point" : "comma"} (${money.point ?? money.comma} shows it)`);
  } else if (money.ambiguous !== null) {
    throw new CliError(
      `amounts like ${await shown(money.ambiguous)} could be thousands or fractions, and no amount in the column shows which mark is the decimal one; say which with --decimal . or --decimal ,`,
      { file: display, column: name },
    );
  } else {
    mark = ".";
    notes.push(`${display}: amounts in ${name} read from text`);
  }
  if (money.bracketed > 0) notes.push(`${display}: ${money.bracketed} amount${money.bracketed === 1 ? "" : "s"} in brackets in ${name} read as negative`);
  return mark;
}

/** What {@link RowLocator} needs. */
interface LocatorOptions {
  readonly parquet: boolean;
  readonly pattern: string;
  readonly display: string;
  /** CSV: the read_csv call with further options, the predicate of the trailing total rows left out, the delimiter, the header's line and the lines of the trailing total rows of each file. */
  readonly csv: {
    readonly read: (extra: string) => string;
    readonly drop: string | null;
    readonly delimiter: string;
    readonly headerLine: number;
    readonly trailing: ReadonlyMap<string, ReadonlySet<number>>;
  } | null;
  readonly header: readonly string[];
  readonly idIndex: number;
  readonly timeIndex: number;
  /** Quoted id and date columns. */
  readonly id: string;
  readonly time: string;
}

/** Thrown to stop reading a CSV file once the row is found. */
class Found {
  constructor(
    readonly line: number,
    readonly value?: string | null,
  ) {}
}

/**
 * Finds the row of a value for a message, only when there is an error to report: DuckDB finds the
 * file (read_csv's filename) and, for Parquet, the row (file_row_number + 2: counted as a sheet of the
 * data shows it, the header being row 1, as for CSV); a CSV file is then read
 * with the runner's CSV reader up to the row, whose number is its line (header = row 1).
 */
class RowLocator {
  constructor(
    private readonly db: DuckDb,
    readonly options: LocatorOptions,
  ) {}

  /** The first row whose date text is `value`. */
  ofValue(value: string): Promise<{ file: string; row?: number }> {
    const { time, timeIndex } = this.options;
    return this.locate(`${trimmedText(time)} = ${literal(value)}`, (fields) => (fields[timeIndex] ?? "").trim() === value);
  }

  /**
   * The first row with a blank id and a date, or a blank id and date but something in one of the
   * `others` columns ("id"), or an id and a blank date ("time").
   */
  ofBlank(which: "id" | "time", others: readonly string[] = []): Promise<{ file: string; row?: number }> {
    const { id, time, idIndex, timeIndex, header } = this.options;
    const blank = (column: string): string => `NULLIF(${trimmedText(column)}, '') IS NULL`;
    const [idBlank, timeBlank] = [blank(id), blank(time)];
    const othersFilled = others.length === 0 ? "FALSE" : `NOT (${others.map((column) => blank(quote(column))).join(" AND ")})`;
    const sql = which === "id" ? `${idBlank} AND (NOT ${timeBlank} OR ${othersFilled})` : `NOT ${idBlank} AND ${timeBlank}`;
    const otherIndexes = others.map((column) => header.indexOf(column));
    return this.locate(sql, (fields) => {
      const empty = (index: number): boolean => (fields[index] ?? "").trim() === "";
      return which === "id" ? empty(idIndex) && (!empty(timeIndex) || !otherIndexes.every(empty)) : !empty(idIndex) && empty(timeIndex);
    });
  }

  /**
   * The first row that meets `predicate` (SQL over the raw relation) and `matches` (the same over a
   * CSV record's fields), with the value of `pick` in it: `pick.sql` for Parquet, field `pick.index`
   * of the record for CSV.
   */
  ofRow(
    predicate: string,
    matches: (fields: readonly string[]) => boolean,
    pick: { sql: string; index: number },
    kept = true,
    layer?: (relation: string) => string,
  ): Promise<{ file: string; row?: number; value?: unknown }> {
    return this.locate(predicate, matches, pick, kept, layer);
  }

  /** See {@link ofRow}; `kept`: among the rows read (trailing total rows left out), else among all. */
  private async locate(
    predicate: string,
    matches: (fields: readonly string[]) => boolean,
    pick?: { sql: string; index: number },
    kept = true,
    layer: (relation: string) => string = (relation) => relation,
  ): Promise<{ file: string; row?: number; value?: unknown }> {
    const { parquet, pattern, display, csv } = this.options;
    const single = !/[*?[]/.test(display);
    try {
      if (parquet) {
        const picked = pick === undefined ? "" : `, ${pick.sql}`;
        const files = `read_parquet(${literal(pattern)}, filename = true, file_row_number = true)`;
        const rows = await query(this.db, `SELECT filename, file_row_number${picked} FROM ${layer(files)} WHERE ${predicate} ORDER BY filename, file_row_number LIMIT 1`, display);
        if (rows.length === 0) return { file: display };
        return { file: single ? display : shownName(display, String(rows[0][0])), row: Number(rows[0][1]) + 2, ...(pick === undefined ? {} : { value: rows[0][2] }) };
      }
      const where = kept && csv!.drop !== null ? `NOT ${csv!.drop} AND (${predicate})` : predicate;
      const files = await query(this.db, `SELECT filename FROM ${layer(csv!.read(", filename = true"))} WHERE ${where} ORDER BY filename LIMIT 1`, display);
      if (files.length === 0) return { file: display };
      const file = String(files[0][0]);
      const shown = single ? display : shownName(display, file);
      const trailing = csv!.trailing.get(file);
      try {
        await streamCsv(file, {
          header: () => undefined,
          record: (record) => {
            // The lines above the header (a title) and the trailing total rows are not data.
            if (record.line <= csv!.headerLine || trailing?.has(record.line) === true) return;
            const fields = record.fields();
            if (matches(fields)) throw new Found(record.line, pick === undefined ? undefined : (fields[pick.index] ?? null));
          },
        }, { delimiter: csv!.delimiter });
      } catch (error) {
        if (error instanceof Found) return { file: shown, row: error.line, ...(pick === undefined ? {} : { value: error.value }) };
        throw error;
      }
      return { file: shown };
    } catch (error) {
      if (error instanceof CliError) return { file: display };
      throw error;
    }
  }
}

/** The CSV files of a pattern (sorted), their one layout and their tails. */
interface CsvFiles {
  readonly files: readonly string[];
  readonly layout: CsvLayout;
  /** Each file's end, read once (a UTF-16 or gzip file read through decoded), in the order of `files`. */
  readonly tails: readonly CsvTail[];
  /**
   * Lines end both in CR LF and in LF alone within the first or last 64 KB of one of the files (a
   * title line or a total row typed under a Windows export): DuckDB's CSV sniffer gives up on such a
   * file unless its strict mode is off, which is turned off then.
   */
  readonly mixedLineEnds: boolean;
}

/**
 * The files of a CSV pattern and their layout, found as `imc report` finds it (csvLayout.ts), the
 * headers `named` with flags counting as known names.
 *
 * @throws CliError when no file matches, or the files differ in delimiter or header line (DuckDB reads
 *   a glob with one of each).
 */
async function csvFiles(db: DuckDb, pattern: string, display: string, named: readonly string[]): Promise<CsvFiles> {
  const files = (await query(db, `SELECT file FROM glob(${literal(pattern)}) ORDER BY file`, display)).map((row) => String(row[0]));
  if (files.length === 0) throw new CliError(/[*?[]/.test(pattern) ? "no file matches this pattern" : "cannot read it: no such file", { file: display });
  refuseWorkbooks(files, display);
  let layout: CsvLayout;
  try {
    layout = csvLayout(files[0], named);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read it: ${error instanceof Error ? error.message : String(error)}`, { file: display });
  }
  if (layout.format.encoding === "utf-16be") {
    throw new CliError("is UTF-16 big-endian text, which DuckDB does not read; read it without --from (imc clv orders.csv, imc report orders.csv), or save it as CSV UTF-8", { file: display });
  }
  let mixedHead = layout.mixedLineEnds;
  for (const file of files.slice(1)) {
    const other = csvLayout(file, named);
    mixedHead ||= other.mixedLineEnds;
    if (other.format.encoding !== layout.format.encoding || other.format.gzip !== layout.format.gzip) {
      const what = (l: CsvLayout): string => `${l.format.encoding.toUpperCase()}${l.format.gzip ? " gzip" : ""}`;
      throw new CliError(`${path.basename(files[0])} is ${what(layout)} but ${path.basename(file)} ${what(other)}; the files of one glob are read as one: store them alike, or read them apart`, { file: display });
    }
    if (other.delimiter !== layout.delimiter || other.headerLine !== layout.headerLine) {
      const what = (l: CsvLayout): string => `"${l.delimiter === "\t" ? "tab" : l.delimiter}" with the header on line ${l.headerLine}`;
      throw new CliError(
        `${path.basename(files[0])} has ${what(layout)} but ${path.basename(file)} ${what(other)}; the files of one glob are read with one delimiter and header line: give them one layout, or read them apart`,
        { file: display },
      );
    }
  }
  // Read before DuckDB is first asked (its sniffer needs strict mode off for mixed line ends): a UTF-16 or gzip file's end is known only read through.
  const tails = await Promise.all(files.map((file) => csvTail(file, layout.format, files.length === 1 && !/[*?[]/.test(display) ? display : shownName(display, file))));
  return { files, layout, tails, mixedLineEnds: mixedHead || tails.some((tail) => tail.mixedLineEnds) };
}

/** Whether two rows hold the same cells, spaces around ignored and missing cells blank. */
function sameFields(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? "").trim() !== (b[i] ?? "").trim()) return false;
  return true;
}

/**
 * The predicate of the trailing total rows: a row whose cells are those of one of them (the id
 * compared first, so other rows cost one comparison). A row inside the data with the same cells is
 * counted by the quick scan and stops the run.
 */
function totalRowsSql(header: readonly string[], totals: readonly TrailingTotals[]): string {
  const seen = new Set<string>();
  const alternatives: string[] = [];
  for (const row of totals.flatMap((file) => file.rows)) {
    const cells = header.map((_, i) => (row[i] ?? "").trim());
    const key = JSON.stringify(cells);
    if (seen.has(key)) continue;
    seen.add(key);
    alternatives.push(`(${cells.map((cell, i) => `COALESCE(${trimmedText(quote(header[i]))}, '') = ${literal(cell)}`).join(" AND ")})`);
  }
  return `(${alternatives.join(" OR ")})`;
}

/** The notes on the total rows left out, as `imc report` words them (`1 total row left out (row 1227)`), each file named in a glob. */
function totalNotes(files: readonly string[], totals: readonly TrailingTotals[], display: string): string[] {
  const notes: string[] = [];
  files.forEach((file, k) => {
    const lines = totals[k].lines;
    if (lines.length === 0) return;
    const note = `${lines.length} total row${lines.length === 1 ? "" : "s"} left out (${rowList(lines)})`;
    notes.push(`${files.length === 1 && !/[*?[]/.test(display) ? display : shownName(display, file)}: ${note}`);
  });
  return notes;
}

/** A file DuckDB matched, named as the user wrote the glob's folder. */
function shownName(display: string, file: string): string {
  const folder = path.dirname(display);
  return folder === "." ? path.basename(file) : path.join(folder, path.basename(file));
}

async function query(db: DuckDb, sql: string, display: string): Promise<unknown[][]> {
  try {
    return (await db.rows(sql)).rows;
  } catch (error) {
    throw duckDbError(error, display);
  }
}
