/**
 * Date and time text of the `--from` route, read in DuckDB SQL as the runner reads it.
 *
 * A text (or numeric) date column is read value by value by its shape:
 * - ISO text as the engine's parseDateText reads it (src/engine/data/dates.ts): `2024-01-31` or
 *   `2024/1/31`, optionally `T` or spaces and `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fff` (kept to the
 *   millisecond), optionally `Z` or an offset `±HH:MM`, `±HHMM`, `±HH` that is checked and ignored
 *   (the wall clock as written);
 * - a number (`45000`, `45000.5`): an Excel date serial, 1900 date system, the fraction the time of
 *   day (the engine's reading of a number cell);
 * - text with an English month name (`1-Dec-2010`, `Dec 1, 2010 8:26`) as it says, whatever the
 *   order of the other dates (columnText.ts's monthNameSerial);
 * - a column whose every non-blank value is a yyyymmdd day (`20220101`, as digits text or a number
 *   column): those days (columnText.ts's rule; in another column such a number is an Excel serial,
 *   out of range);
 * - day/month text (`31/01/2023`, `1/2/2023 14:05`, `31.01.2023`, `01-02-23 8:26 PM`) in the
 *   column's one order, as `imc report` reads a workbook column (src/reports/columnText.ts): a value
 *   with a first part above 12 shows day-first, a second part above 12 month-first; when no value
 *   shows it the order must be given (`--date-order dmy|mdy`), and a column showing both is an error.
 *
 * The order is decided from every row of the column (one DuckDB scan, {@link scanSql}), never from a
 * sample. Everything here builds SQL text; the queries are run by source.ts.
 */

/** Order of day and month in date text: 31/01/2023 is "dmy", 01/31/2023 is "mdy". */
export type DateOrder = "dmy" | "mdy";

/** Characters trimmed off a value, as JavaScript's trim does for the usual ones (space, tab, line ends, no-break space). */
const SPACES = "' \t\n\r\u00a0'";

/**
 * A value as trimmed text, NULL kept.
 *
 * @param expression a SQL expression of any type.
 * @returns the SQL expression.
 */
export function trimmedText(expression: string): string {
  return `TRIM(CAST(${expression} AS VARCHAR), ${SPACES})`;
}

/** ISO date, optional time and offset; groups y, s1, mo, s2, d, h, mi, s, f, off (the two separators must be equal). */
const ISO_PATTERN =
  "^([0-9]{4})([-/])([0-9]{1,2})([-/])([0-9]{1,2})(?:(?:[Tt]|\\s+)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.]([0-9]+))?)?(?:\\s*([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?))?)?$";
const ISO_FIELDS = ["y", "s1", "mo", "s2", "d", "h", "mi", "s", "f", "off"];

/** Day/month text with an optional 24-hour or AM/PM time; groups a, s1, b, s2, y, h, mi, s, ap. */
const DAY_MONTH_PATTERN = "^([0-9]{1,2})([/.-])([0-9]{1,2})([/.-])([0-9]{4}|[0-9]{2})(?:(?:\\s+|T)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\\s*([AaPp][Mm])?)?$";
const DAY_MONTH_FIELDS = ["a", "s1", "b", "s2", "y", "h", "mi", "s", "ap"];

/** The time of day after a date with a month name, as columnText.ts reads it. */
const NAME_TIME = "(?:(?:\\s+|T)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\\s*([AaPp][Mm])?)?";
/**
 * Date text with an English month name, as columnText.ts's monthNameSerial reads it: `1-Dec-2010`,
 * `01 Dec 10`, `1. December 2010` (day first: groups d1, m1, y1) or `Dec 1, 2010`, `December 1 2010`
 * (month first: groups m2, d2, y2), with an optional time (groups h, mi, s, ap).
 */
const MONTH_NAME_PATTERN = `^(?:([0-9]{1,2})[.]?[-\\s/]([A-Za-z]{3,9})[.]?[-\\s/,]+([0-9]{4}|[0-9]{2})|([A-Za-z]{3,9})[.]?\\s+([0-9]{1,2}),?\\s+([0-9]{4}))${NAME_TIME}$`;
const MONTH_NAME_FIELDS = ["d1", "m1", "y1", "m2", "d2", "y2", "h", "mi", "s", "ap"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
/** yyyymmdd digits, the whole value. */
const YMD_PATTERN = "^[0-9]{8}$";

/** A number as the engine reads number text (plain decimal or scientific notation), unanchored. */
export const NUMBER_SHAPE = "[+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][+-]?[0-9]+)?";
const NUMBER_PATTERN = `^${NUMBER_SHAPE}$`;

/** The columns the reading adds to a relation (source.ts removes them again with EXCLUDE). */
export const TEXT_COLUMN = "imc_time_text";
const ISO_COLUMN = "imc_time_iso";
const DAY_MONTH_COLUMN = "imc_time_dm";
const MONTH_NAME_COLUMN = "imc_time_mn";
/** Every column {@link shapesLayer} adds, for EXCLUDE. */
export const SHAPE_COLUMNS: readonly string[] = [TEXT_COLUMN, ISO_COLUMN, DAY_MONTH_COLUMN, MONTH_NAME_COLUMN];

const int = (text: string): string => `TRY_CAST(${text} AS BIGINT)`;
const seconds = (field: string): string => `COALESCE(TRY_CAST(NULLIF(${field}, '') AS BIGINT), 0)`;

/**
 * The layer that adds the trimmed text and the two shapes taken apart to every row of `relation`.
 *
 * @param relation the raw relation (a table function call or a subquery).
 * @param column the quoted date/time column.
 * @param extra further select items (e.g. a row number), or "".
 * @returns a subquery.
 */
export function shapesLayer(relation: string, column: string, extra: string): string {
  const text = `${trimmedText(column)} AS ${TEXT_COLUMN}`;
  const list = (fields: string[]): string => `[${fields.map((f) => `'${f}'`).join(", ")}]`;
  // Month names only where neither ISO nor day/month text is (NULL elsewhere): a third pattern on every row cost a sixth more CPU.
  return [
    `(SELECT *, CASE WHEN ${ISO_COLUMN}.y = '' AND ${DAY_MONTH_COLUMN}.a = '' THEN regexp_extract(${TEXT_COLUMN}, '${MONTH_NAME_PATTERN}', ${list(MONTH_NAME_FIELDS)}) END AS ${MONTH_NAME_COLUMN}`,
    `FROM (SELECT *, regexp_extract(${TEXT_COLUMN}, '${ISO_PATTERN}', ${list(ISO_FIELDS)}) AS ${ISO_COLUMN},`,
    `  regexp_extract(${TEXT_COLUMN}, '${DAY_MONTH_PATTERN}', ${list(DAY_MONTH_FIELDS)}) AS ${DAY_MONTH_COLUMN}`,
    `FROM (SELECT *, ${text}${extra === "" ? "" : `, ${extra}`} FROM ${relation})))`,
  ].join("\n");
}

/** Whether the row's text is ISO-shaped. */
const isIso = `(${ISO_COLUMN}.y <> '' AND ${ISO_COLUMN}.s1 = ${ISO_COLUMN}.s2)`;
/** Whether the row's text is day/month-shaped. */
const isDayMonth = `(${DAY_MONTH_COLUMN}.a <> '' AND ${DAY_MONTH_COLUMN}.s1 = ${DAY_MONTH_COLUMN}.s2)`;
/** Whether the row's text has a month name's shape (false, not NULL, where the shape was not looked for). */
const isMonthName = `COALESCE(${MONTH_NAME_COLUMN}.m1 <> '' OR ${MONTH_NAME_COLUMN}.m2 <> '', FALSE)`;
/** Whether the row's text is eight digits. */
const isYmd = `regexp_full_match(${TEXT_COLUMN}, '${YMD_PATTERN}')`;
/** Whether the row's text is a number. */
const isNumber = `regexp_full_match(${TEXT_COLUMN}, '${NUMBER_PATTERN}')`;

/**
 * The date of year, month and day, NULL when there is no such day. Guarded by CASE rather than
 * TRY(make_date(…)): TRY evaluates a whole chunk row by row once one row fails, 20 times slower.
 */
function safeDate(year: string, month: string, day: string): string {
  return `CASE WHEN ${year} BETWEEN 1900 AND 9999 AND ${month} BETWEEN 1 AND 12 AND ${day} >= 1 AND ${day} <= dayofmonth(last_day(make_date(${year}, ${month}, 1))) THEN make_date(${year}, ${month}, ${day}) END`;
}

/** Milliseconds into the day, capped inside the day as the engine caps a fraction like .9999. */
function dayMillis(hours: string, minutes: string, secondsText: string, fraction: string | null): string {
  const millis = fraction === null ? "0" : `CASE WHEN ${fraction} = '' THEN 0 ELSE CAST(round(CAST('0.' || ${fraction} AS DOUBLE) * 1000) AS BIGINT) END`;
  return `LEAST(((${hours} * 60 + ${int(minutes)}) * 60 + ${seconds(secondsText)}) * 1000 + ${millis}, 86399999)`;
}

/** The ISO text as a TIMESTAMP, NULL when it is not a valid date and time. */
function isoTimestamp(): string {
  const i = ISO_COLUMN;
  const date = safeDate(int(`${i}.y`), int(`${i}.mo`), int(`${i}.d`));
  const offsetOk = `(${i}.off = '' OR upper(${i}.off) = 'Z' OR (${int(`substr(${i}.off, 2, 2)`)} <= 23 AND (length(${i}.off) = 3 OR ${int(`right(${i}.off, 2)`)} <= 59)))`;
  const timeOk = `(${i}.h = '' OR (${int(`${i}.h`)} <= 23 AND ${int(`${i}.mi`)} <= 59 AND ${seconds(`${i}.s`)} <= 59 AND ${offsetOk}))`;
  const millis = `CASE WHEN ${i}.h = '' THEN 0 ELSE ${dayMillis(int(`${i}.h`), `${i}.mi`, `${i}.s`, `${i}.f`)} END`;
  return `CASE WHEN ${int(`${i}.y`)} BETWEEN 1900 AND 9999 AND ${timeOk} THEN CAST(${date} AS TIMESTAMP) + to_milliseconds(${millis}) END`;
}

/**
 * An Excel serial as a TIMESTAMP, NULL outside Excel's dates and on Excel's invented 1900-02-29
 * (serial 60). Serials below 60 are one day "late" as in Excel.
 */
function serialTimestamp(): string {
  const n = `TRY_CAST(${TEXT_COLUMN} AS DOUBLE)`;
  const day = `floor(${n})`;
  const micros = `LEAST(CAST(round((${n} - ${day}) * 86400000000) AS BIGINT), 86399999999)`;
  return [
    `CASE WHEN ${n} >= 1 AND ${n} < 2958466 AND ${day} <> 60`,
    `  THEN CAST(DATE '1899-12-30' + CAST(${day} AS INTEGER) + CASE WHEN ${day} < 60 THEN 1 ELSE 0 END AS TIMESTAMP) + to_microseconds(${micros}) END`,
  ].join("\n");
}

/** Day/month text in `order` as a TIMESTAMP, NULL when it is not a valid date and time in that order. */
function dayMonthTimestamp(order: DateOrder): string {
  const m = DAY_MONTH_COLUMN;
  const [day, month] = order === "dmy" ? [int(`${m}.a`), int(`${m}.b`)] : [int(`${m}.b`), int(`${m}.a`)];
  const twoDigits = int(`${m}.y`);
  // Two-digit years as Excel reads them: 00-29 are 2000-2029, 30-99 are 1930-1999.
  const year = `CASE WHEN length(${m}.y) = 4 THEN ${twoDigits} WHEN ${twoDigits} < 30 THEN 2000 + ${twoDigits} ELSE 1900 + ${twoDigits} END`;
  const rawHours = int(`${m}.h`);
  const hours = `CASE WHEN ${m}.ap = '' THEN ${rawHours} ELSE ${rawHours} % 12 + CASE WHEN lower(${m}.ap) = 'pm' THEN 12 ELSE 0 END END`;
  const timeOk = `(${m}.h = '' OR ((${m}.ap = '' OR ${rawHours} BETWEEN 1 AND 12) AND ${hours} <= 23 AND ${int(`${m}.mi`)} <= 59 AND ${seconds(`${m}.s`)} <= 59))`;
  const millis = `CASE WHEN ${m}.h = '' THEN 0 ELSE ${dayMillis(hours, `${m}.mi`, `${m}.s`, null)} END`;
  return `CASE WHEN ${year} >= 1900 AND ${timeOk} THEN CAST(${safeDate(`(${year})`, month, day)} AS TIMESTAMP) + to_milliseconds(${millis}) END`;
}

/** The time of day of hours, minutes, seconds and AM/PM text as milliseconds, and whether it is a time (for the month-name shape). */
function clockOf(h: string, mi: string, s: string, ap: string): { ok: string; millis: string } {
  const rawHours = int(h);
  const hours = `CASE WHEN ${ap} = '' THEN ${rawHours} ELSE ${rawHours} % 12 + CASE WHEN lower(${ap}) = 'pm' THEN 12 ELSE 0 END END`;
  return {
    ok: `(${h} = '' OR ((${ap} = '' OR ${rawHours} BETWEEN 1 AND 12) AND ${hours} <= 23 AND ${int(mi)} <= 59 AND ${seconds(s)} <= 59))`,
    millis: `CASE WHEN ${h} = '' THEN 0 ELSE ${dayMillis(hours, mi, s, null)} END`,
  };
}

/**
 * Month-name text as a TIMESTAMP, NULL when the name is not a month (`Jan`, `Sept`, `January`, any
 * case: three letters or the whole name) or the day or time does not exist.
 */
function monthNameTimestamp(): string {
  const n = MONTH_NAME_COLUMN;
  const name = `lower(CASE WHEN ${n}.m1 <> '' THEN ${n}.m1 ELSE ${n}.m2 END)`;
  const index = `list_position(${`[${MONTHS.map((m) => `'${m.slice(0, 3)}'`).join(", ")}]`}, left(${name}, 3))`;
  const full = `[${MONTHS.map((m) => `'${m}'`).join(", ")}][${index}]`;
  const month = `CASE WHEN length(${name}) = 3 OR ${name} = 'sept' OR ${name} = ${full} THEN ${index} END`;
  const day = int(`CASE WHEN ${n}.m1 <> '' THEN ${n}.d1 ELSE ${n}.d2 END`);
  const yearText = `CASE WHEN ${n}.m1 <> '' THEN ${n}.y1 ELSE ${n}.y2 END`;
  const twoDigits = int(yearText);
  const year = `CASE WHEN length(${yearText}) = 4 THEN ${twoDigits} WHEN ${twoDigits} < 30 THEN 2000 + ${twoDigits} ELSE 1900 + ${twoDigits} END`;
  const clock = clockOf(`${n}.h`, `${n}.mi`, `${n}.s`, `${n}.ap`);
  return `CASE WHEN ${index} IS NOT NULL AND ${clock.ok} THEN CAST(${safeDate(`(${year})`, `(${month})`, day)} AS TIMESTAMP) + to_milliseconds(${clock.millis}) END`;
}

/** yyyymmdd digits as a TIMESTAMP (the day), NULL when not a day from 1900 on. */
function ymdTimestamp(): string {
  const t = TEXT_COLUMN;
  return `CAST(${safeDate(int(`left(${t}, 4)`), int(`substr(${t}, 5, 2)`), int(`right(${t}, 2)`))} AS TIMESTAMP)`;
}

/**
 * The reading of one row's text as a TIMESTAMP over the columns of {@link shapesLayer}: NULL for a
 * blank value and for one that cannot be read (the scan reports those before any result is made).
 *
 * @param order the column's day/month order, or null when it has no day/month text.
 * @param ymd whether the column holds yyyymmdd numbers only ({@link ColumnScan.allYmd}).
 * @returns the SQL expression.
 */
export function timestampOfText(order: DateOrder | null, ymd = false): string {
  // A column of yyyymmdd numbers only (the scan's allYmd): every value a day.
  if (ymd) return `CASE WHEN ${isYmd} THEN ${ymdTimestamp()} END`;
  return [
    "CASE",
    `  WHEN ${isIso} THEN ${isoTimestamp()}`,
    `  WHEN ${isMonthName} THEN ${monthNameTimestamp()}`,
    `  WHEN ${isNumber} THEN ${serialTimestamp()}`,
    ...(order === null ? [] : [`  WHEN ${isDayMonth} THEN ${dayMonthTimestamp(order)}`]),
    "END",
  ].join("\n");
}

/** Spaces only, or nothing (any whitespace, the no-break space included): blank text, and the padding around a value. */
export const BLANK_PATTERN = "[\\s\\x{00A0}]*";
/** The characters of BLANK_PATTERN's class (RE2's \s: tab, line feed, form feed, carriage return, space; and the no-break space) as SQL. */
const SPACE_CHARS = ["' '", "chr(9)", "chr(10)", "chr(12)", "chr(13)", "chr(160)"];

/**
 * Text that may have a space at either end, or is empty: to be trimmed. Text below '!' begins with a
 * space, a control character or nothing; the rest is told by prefix and suffix. A control character
 * other than those spaces only makes it choose trimming, which leaves such an id as it is.
 */
function paddedSql(id: string): string {
  return `(${id} < '!' OR starts_with(${id}, chr(160)) OR ${SPACE_CHARS.map((space) => `suffix(${id}, ${space})`).join(" OR ")})`;
}

/**
 * Whether a value is blank: NULL, or for text empty or spaces only. The regular expression runs only
 * on text that may be padded ({@link paddedSql}: blank text is), so most values cost a comparison
 * and a few prefix/suffix tests.
 *
 * @param column the SQL expression of the column.
 * @param text whether it is text (else only NULL is blank).
 * @returns the SQL predicate.
 */
export function blankSql(column: string, text: boolean): string {
  return text ? `(${column} IS NULL OR (${paddedSql(column)} AND regexp_full_match(${column}, '${BLANK_PATTERN}')))` : `(${column} IS NULL)`;
}

/** yyyy-mm-dd with an optional hh:mm[:ss] within the day, spaces around allowed: DuckDB's cast reads it as the engine does. */
const PLAIN_PATTERN = "^ *[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?)? *$";

/**
 * The first value in file order that cannot be read, and whether it is day/month text: for the
 * message, only once the scan found one (its example is any such value, not the first).
 *
 * @param shapes the relation of {@link shapesLayer} with a row-order column `order` added.
 * @param order the column's day/month order, or null.
 * @param rowOrder the name of the row-order column.
 * @returns the query: one row (text, is day/month) or none.
 */
export function firstUnreadSql(shapes: string, order: DateOrder | null, rowOrder: string): string {
  return `SELECT ${TEXT_COLUMN}, ${isDayMonth} FROM ${shapes} WHERE ${TEXT_COLUMN} <> '' AND (${timestampOfText(order)}) IS NULL ORDER BY ${rowOrder} LIMIT 1`;
}

/** What the first, cheap scan of a relation found (one row of {@link quickScanSql}). */
export interface QuickScan {
  /** Some id has spaces around it or is empty: the ids need trimming. */
  readonly idsPadded: boolean;
  /** Some row has a blank id but a date; some row an id but a blank date. */
  readonly blankId: boolean;
  readonly blankTime: boolean;
  /** Every date is plain yyyy-mm-dd[ hh:mm[:ss]] text, and a valid one (false for a typed column). */
  readonly plain: boolean;
  /** Rows that meet the `drop` predicate given to {@link quickScanSql} (0 without one). */
  readonly dropped: number;
  /** Whether some row meets each of the further predicates given to {@link quickScanSql}. */
  readonly checks: readonly boolean[];
}

/**
 * The first scan over every row: blanks, padded ids, and whether every date is plain ISO text that
 * DuckDB's own cast reads exactly as the engine does. An id is tested for spaces with comparisons and
 * prefix/suffix tests (a regular expression per row cost three times as much CPU on 100M Parquet ids),
 * and for blankness by the regular expression only when it may be padded.
 *
 * @param raw the raw relation.
 * @param id the quoted id column, as text.
 * @param time the quoted date/time column.
 * @param timeIsText whether the date/time column is text (else typed: only NULL is blank).
 * @param checks further row predicates (e.g. a value the runner would not read), each answered by
 *   whether some row meets it, in {@link QuickScan.checks}.
 * @param drop the predicate of rows left out (trailing total rows), or null: such rows are counted
 *   ({@link QuickScan.dropped}) and left out of every other finding.
 * @returns the query; its one row is read with {@link quickScanOf}.
 */
export function quickScanSql(raw: string, id: string, time: string, timeIsText: boolean, checks: readonly string[] = [], drop: string | null = null): string {
  // Rows left out (trailing total rows): counted, and kept out of every other finding.
  const kept = (predicate: string): string => (drop === null ? predicate : `NOT imc_drop AND (${predicate})`);
  const padded = paddedSql(id);
  const idBlank = blankSql(id, true);
  const timeBlank = blankSql(time, timeIsText);
  const notPlain = timeIsText
    ? `NOT ${timeBlank} AND (NOT regexp_full_match(${time}, '${PLAIN_PATTERN}') OR TRY_CAST(trim(${time}) AS TIMESTAMP) IS NULL OR trim(${time}) < '1900')`
    : "TRUE";
  return [
    "SELECT",
    `  COUNT(*) FILTER (WHERE ${kept(padded)}) > 0,`,
    `  COUNT(*) FILTER (WHERE ${kept(`${idBlank} AND NOT ${timeBlank}`)}) > 0,`,
    `  COUNT(*) FILTER (WHERE ${kept(`${timeBlank} AND NOT ${idBlank}`)}) > 0,`,
    `  COUNT(*) FILTER (WHERE ${kept(notPlain)}) = 0,`,
    `  ${drop === null ? "0" : "COUNT(*) FILTER (WHERE imc_drop)"}${checks.map((check) => `,\n  COUNT(*) FILTER (WHERE ${kept(check)}) > 0`).join("")}`,
    `FROM ${drop === null ? raw : `(SELECT *, ${drop} AS imc_drop FROM ${raw})`}`,
  ].join("\n");
}

/**
 * The quick scan's one row as a {@link QuickScan}.
 *
 * @param row the row of {@link quickScanSql}.
 * @returns the findings.
 */
export function quickScanOf(row: readonly unknown[]): QuickScan {
  return { idsPadded: row[0] === true, blankId: row[1] === true, blankTime: row[2] === true, plain: row[3] === true, dropped: Number(row[4]), checks: row.slice(5).map((cell) => cell === true) };
}

/** Plain ISO text (checked by {@link quickScanSql}) as a TIMESTAMP: DuckDB's cast. */
export function plainTimestamp(time: string): string {
  return `CAST(NULLIF(trim(${time}), '') AS TIMESTAMP)`;
}

/** What the full scan of a column found (one row of {@link scanSql}). */
export interface ColumnScan {
  /** A day/month value that shows day-first, one that shows month-first, one that shows neither. */
  readonly dayFirst: string | null;
  readonly monthFirst: string | null;
  readonly ambiguous: string | null;
  /** A value that is not day/month text and cannot be read. */
  readonly bad: string | null;
  /** A day/month value that is not a date read day-first, and one read month-first. */
  readonly badDayFirst: string | null;
  readonly badMonthFirst: string | null;
  /** Every non-blank value is a yyyymmdd day (and there is one): the column is read as such, as columnText.ts reads it. */
  readonly allYmd: boolean;
  /** A yyyymmdd value and a month-name value, for the notes. */
  readonly ymd: string | null;
  readonly named: string | null;
}

/**
 * The full scan over every row, when some date is not plain ISO text: the day/month evidence and a
 * value that cannot be read in each order.
 *
 * @param shapes the relation of {@link shapesLayer}.
 * @returns the query; its one row is read with {@link columnScanOf}.
 */
export function scanSql(shapes: string): string {
  const text = TEXT_COLUMN;
  const dm = DAY_MONTH_COLUMN;
  const a = int(`${dm}.a`);
  const b = int(`${dm}.b`);
  // Per row first (each expression once), then simple filters: DuckDB evaluates every FILTER apart.
  const rows = [
    `SELECT ${text} AS t,`,
    `  CASE WHEN ${isDayMonth} THEN CASE WHEN ${a} > 12 AND ${b} <= 12 THEN 1 WHEN ${b} > 12 AND ${a} <= 12 THEN 2 ELSE 3 END ELSE 0 END AS shows,`,
    `  CASE WHEN ${isDayMonth} THEN (${dayMonthTimestamp("dmy")}) IS NULL END AS bad_dmy,`,
    `  CASE WHEN ${isDayMonth} THEN (${dayMonthTimestamp("mdy")}) IS NULL END AS bad_mdy,`,
    `  CASE WHEN ${text} <> '' AND NOT ${isDayMonth} THEN (${timestampOfText(null)}) IS NULL END AS bad,`,
    `  CASE WHEN ${text} <> '' THEN ${isYmd} AND ${ymdTimestamp()} IS NOT NULL END AS ymd,`,
    `  ${isMonthName} AS named`,
    `FROM ${shapes}`,
  ].join("\n");
  return [
    "SELECT ANY_VALUE(t) FILTER (WHERE shows = 1), ANY_VALUE(t) FILTER (WHERE shows = 2), ANY_VALUE(t) FILTER (WHERE shows = 3),",
    "  ANY_VALUE(t) FILTER (WHERE bad), ANY_VALUE(t) FILTER (WHERE bad_dmy), ANY_VALUE(t) FILTER (WHERE bad_mdy),",
    "  COUNT(*) FILTER (WHERE ymd) > 0 AND COUNT(*) FILTER (WHERE NOT ymd) = 0, ANY_VALUE(t) FILTER (WHERE ymd), ANY_VALUE(t) FILTER (WHERE named)",
    `FROM (${rows})`,
  ].join("\n");
}

/**
 * The scan's one row as a {@link ColumnScan}.
 *
 * @param row the row of {@link scanSql}.
 * @returns the findings.
 */
export function columnScanOf(row: readonly unknown[]): ColumnScan {
  const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
  return {
    dayFirst: text(row[0]),
    monthFirst: text(row[1]),
    ambiguous: text(row[2]),
    bad: text(row[3]),
    badDayFirst: text(row[4]),
    badMonthFirst: text(row[5]),
    allYmd: row[6] === true,
    ymd: text(row[7]),
    named: text(row[8]),
  };
}
