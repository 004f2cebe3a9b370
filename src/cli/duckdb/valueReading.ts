/**
 * Number columns of the `--from` route (the order value of `imc clv`, the conversion value of
 * `imc attribute`), read in DuckDB SQL as the runner reads a CSV cell (toNumber in
 * src/engine/data/cells.ts): trimmed text that is plain decimal or scientific notation (`12.5`, `-3`,
 * `+4`, `.5`, `1e3`), optionally with a percent sign (`80%` is 0.8). Everything else stops the run
 * with the runner's own message and row, never a NULL that SUM would skip: text that is not a number
 * (`abc`, money as text such as `$1,234.50` or `1.234,50` — the runner does not read those either),
 * a number too large, and by the column's rule a blank value (an order needs a value; a blank
 * conversion is a touch) or a negative one (a refund is an order; a conversion cannot be negative).
 *
 * Typed Parquet number columns are read as they are: only NULL, NaN and ±Infinity (and a negative
 * value where the rule forbids it) need checking. Everything here builds SQL text or checks one value
 * in TypeScript with the engine's own functions (for the messages and for finding the row in a CSV
 * file); the queries are run by source.ts.
 */

import { toOptionalNumber } from "../../engine/data/cells";
import { isEngineError } from "../../engine/errors";
import { CURRENCY_CODES, CURRENCY_SYMBOLS, readMoneyColumn } from "../../reports/columnText";
import { BLANK_PATTERN, blankSql, NUMBER_SHAPE, trimmedText } from "./dateReading";

/** How the runner treats a blank and a negative value in the column. */
export interface ValueRule {
  /** The runner's argument name, as its messages start (`order_values`, `conversions`). */
  readonly argument: string;
  /** A blank value is an error ("is blank; a number is required"), else it is read as NULL. */
  readonly blankIsError: boolean;
  /** The message for a negative value, or null when negative values are allowed (refunds). */
  readonly negative: ((value: number) => string) | null;
}

/** A number as the engine reads number text, spaces around and an optional percent sign (spaces before it allowed). */
const NUMBER_TEXT_PATTERN = `${BLANK_PATTERN}${NUMBER_SHAPE}(?:${BLANK_PATTERN}%)?${BLANK_PATTERN}`;

/** DuckDB types a Parquet number column may have that are read as they are. */
const NUMBER_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;

/**
 * Whether a column of this DuckDB type is read as it is (a number type), rather than as text.
 *
 * @param type the type DESCRIBE gives, upper case.
 * @returns true for integer, decimal and floating-point types.
 */
export function isNumberType(type: string): boolean {
  return NUMBER_TYPE.test(type);
}

/**
 * The value of a text column as a DOUBLE (NULL for a blank), for text that {@link badValueSql}
 * accepts: DuckDB's cast reads plain number text with ASCII spaces around as the engine does; only
 * when it cannot (a percent sign, a no-break space, a blank) does the slower reading run (COALESCE
 * evaluates it only for those rows), with replace() and a cast rather than a trim with a character
 * list, which costs ten times more per row.
 *
 * @param column the quoted column.
 * @returns the SQL expression.
 */
export function valueOfText(column: string): string {
  const spaced = `replace(${column}, '\u00a0', ' ')`;
  return `COALESCE(TRY_CAST(${column} AS DOUBLE), CASE WHEN contains(${column}, '%') THEN TRY_CAST(replace(${spaced}, '%', '') AS DOUBLE) / 100 ELSE TRY_CAST(${spaced} AS DOUBLE) END)`;
}

/**
 * The predicate of a row whose value the runner would stop at. Most values are plain numbers: the
 * CASE makes them cost two regular expressions and a few string searches.
 *
 * @param column the quoted column (for text, as text).
 * @param typed whether the column is a number type ({@link isNumberType}), else text.
 * @param rule blank and negative values.
 * @returns the SQL predicate (never NULL).
 */
export function badValueSql(column: string, typed: boolean, rule: ValueRule): string {
  const negative = rule.negative !== null;
  if (typed) {
    // NaN and ±Infinity exist only in floating-point columns.
    return `CASE WHEN ${column} IS NULL THEN ${rule.blankIsError} WHEN NOT isfinite(CAST(${column} AS DOUBLE)) THEN TRUE ELSE ${negative ? `${column} < 0` : "FALSE"} END`;
  }
  const number = valueOfText(column);
  return [
    `CASE WHEN ${blankSql(column, true)} THEN ${rule.blankIsError}`,
    `  WHEN NOT regexp_full_match(${column}, '${NUMBER_TEXT_PATTERN}') THEN TRUE`,
    // Too large to be a number: only with an exponent or hundreds of digits.
    `  WHEN (contains(${column}, 'e') OR contains(${column}, 'E') OR length(${column}) > 300) AND NOT isfinite(${number}) THEN TRUE`,
    `  ELSE ${negative ? `contains(${column}, '-') AND ${number} < 0` : "FALSE"} END`,
  ].join("\n");
}

/**
 * The predicate of a row whose `label` column is blank while its value is blank or 0 (a touch without
 * its channel), for a value column {@link badValueSql} accepts on the row.
 *
 * @param label the quoted label column, and whether it is text.
 * @param column the quoted value column (for text, as text).
 * @param typed whether the value column is a number type.
 * @returns the SQL predicate.
 */
export function blankOnZeroSql(label: { sql: string; text: boolean }, column: string, typed: boolean): string {
  return `${blankSql(label.sql, label.text)} AND COALESCE(${typed ? column : valueOfText(column)}, 0) = 0`;
}

/**
 * Whether a value the runner reads is blank or 0 (a touch).
 *
 * @param value the cell, as for {@link valueProblem}.
 * @returns true for a blank or zero value.
 */
export function isBlankOrZero(value: string | number | null): boolean {
  return (toOptionalNumber(value, "value", 1) ?? 0) === 0;
}

/**
 * What the runner says about one value of the column, without its "argument row N: " start, or null
 * when it reads the value.
 *
 * @param value the cell: text (a CSV field, a Parquet text value), a number (a typed Parquet value), or
 *   null for a missing one.
 * @param rule blank and negative values.
 * @returns the problem, e.g. `"abc" is not a number`, or null.
 */
export function valueProblem(value: string | number | null, rule: ValueRule): string | null {
  const prefix = `${rule.argument} row 1: `;
  try {
    const number = toOptionalNumber(value, rule.argument, 1);
    if (number === null) return rule.blankIsError ? "is blank; a number is required" : null;
    if (rule.negative !== null && number < 0) return rule.negative(number);
    return null;
  } catch (error) {
    if (isEngineError(error) && error.message.startsWith(prefix)) return error.message.slice(prefix.length);
    throw error;
  }
}

/** The decimal mark of money text: "." in 1,234.50, "," in 1.234,50. */
export type DecimalMark = "." | ",";

/** Spaces as JavaScript's trim and `\s` know them, as the body of an RE2 class. */
const JS_SPACE = "\\s\\x{000B}\\x{00A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
const W = `[${JS_SPACE}]*`;
const CURRENCY = `(?:${[...CURRENCY_SYMBOLS.map((symbol) => symbol.replace(/[$.]/g, (c) => `\\${c}`)), ...CURRENCY_CODES].join("|")})`;
/** The amount in money text: the first run of digits and marks (spaces and apostrophes inside it), with a digit. */
const AMOUNT_PATTERN = `[0-9.,]*[0-9](?:[0-9.,'\\x{2019}${JS_SPACE}]*[0-9])?`;
/**
 * What may stand before and after the amount, as columnText.ts's moneyText strips it: an opening
 * bracket, a currency before or after the sign, one sign (`-`, `−`, `+`); after it a currency, a sign
 * (`-`, `−`), a currency and the closing bracket. Full matches without groups: RE2 runs them as a DFA
 * (one pattern with nine groups cost 3.7 µs a value).
 */
const BEFORE_PATTERN = `[(]?${W}(?:${CURRENCY})?${W}[-\\x{2212}+]?${W}(?:${CURRENCY})?${W}`;
const AFTER_PATTERN = `${W}(?:${CURRENCY})?${W}[-\\x{2212}]?${W}(?:${CURRENCY})?${W}[)]?`;
/** Thousands grouped by spaces or apostrophes (1 234,50; 1'234.50): those are dropped. */
const SPACE_GROUPED = `^[0-9]{1,3}(?:[${JS_SPACE}'\\x{2019}][0-9]{3})+(?:[.,][0-9]+)?$`;
/** The columns {@link moneyLayer} adds: the trimmed text, the amount as found, what stands before and after it, the amount's digits and marks. */
const TEXT = "imc_money_text";
const AMOUNT = "imc_money_amount";
const BEFORE = "imc_money_before";
const AFTER = "imc_money_after";
const BODY_COLUMN = "imc_money_body";
/** Every column {@link moneyLayer} adds, for EXCLUDE. */
export const MONEY_COLUMNS: readonly string[] = [TEXT, AMOUNT, BEFORE, AFTER, BODY_COLUMN];

const sqlText = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * The layer that adds the money parts of a text value column to every row of `relation`.
 *
 * @param relation the relation (a table function call or a subquery).
 * @param column the quoted value column, as text.
 * @returns a subquery.
 */
export function moneyLayer(relation: string, column: string): string {
  const cleaned = `CASE WHEN regexp_full_match(${AMOUNT}, ${sqlText(SPACE_GROUPED)}) THEN regexp_replace(${AMOUNT}, ${sqlText(`[${JS_SPACE}'\\x{2019}]`)}, '', 'g') ELSE ${AMOUNT} END`;
  const at = `strpos(${TEXT}, ${AMOUNT})`;
  return [
    `(SELECT *, left(${TEXT}, ${at} - 1) AS ${BEFORE}, substr(${TEXT}, ${at} + length(${AMOUNT})) AS ${AFTER}, ${cleaned} AS ${BODY_COLUMN}`,
    `FROM (SELECT *, regexp_extract(${TEXT}, ${sqlText(AMOUNT_PATTERN)}) AS ${AMOUNT}`,
    `FROM (SELECT *, ${trimmedText(column)} AS ${TEXT} FROM ${relation})))`,
  ].join("\n");
}

/** Whether what stands around the amount is what money text may have: brackets both or neither, one sign. */
function affixesOk(): string {
  const signBefore = `regexp_matches(${BEFORE}, '[-+\\x{2212}]')`;
  const signAfter = `regexp_matches(${AFTER}, '[-\\x{2212}]')`;
  return [
    `(${AMOUNT} <> '' AND regexp_full_match(${BEFORE}, ${sqlText(BEFORE_PATTERN)}) AND regexp_full_match(${AFTER}, ${sqlText(AFTER_PATTERN)})`,
    ` AND starts_with(${BEFORE}, '(') = suffix(${AFTER}, ')') AND NOT (${signBefore} AND ${signAfter}))`,
  ].join("");
}

/** Whether the amount of one mark could group thousands (1,234): 1-3 digits, not 0, the mark, 3 digits. */
function couldGroup(mark: DecimalMark): string {
  const whole = `split_part(${BODY_COLUMN}, '${mark}', 1)`;
  return `(length(${whole}) BETWEEN 1 AND 3 AND ${whole} <> '0' AND length(split_part(${BODY_COLUMN}, '${mark}', 2)) = 3)`;
}

/** The mark a row's money text shows ('.', ',', 'ambiguous', 'plain'), NULL when it is not money text (over {@link moneyLayer}). */
function showsSql(): string {
  const b = BODY_COLUMN;
  const full = (pattern: string): string => `regexp_full_match(${b}, '${pattern}')`;
  return [
    `CASE WHEN NOT ${affixesOk()} THEN NULL`,
    `  WHEN ${full("[0-9]+")} THEN 'plain'`,
    `  WHEN ${full("[0-9]*[.][0-9]+")} THEN CASE WHEN ${couldGroup(".")} THEN 'ambiguous' ELSE '.' END`,
    `  WHEN ${full("[0-9]{1,3}(?:[.][0-9]{3}){2,}")} THEN ','`,
    `  WHEN ${full("[0-9]{1,3}(?:,[0-9]{3})+[.][0-9]+")} THEN '.'`,
    `  WHEN ${full("[0-9]*,[0-9]+")} THEN CASE WHEN ${couldGroup(",")} THEN 'ambiguous' ELSE ',' END`,
    `  WHEN ${full("[0-9]{1,3}(?:,[0-9]{3}){2,}")} THEN '.'`,
    `  WHEN ${full("[0-9]{1,3}(?:[.][0-9]{3})+,[0-9]+")} THEN ','`,
    "END",
  ].join("\n");
}

/** The amount of money text read with `mark` (over {@link moneyLayer}; for text that is money text). */
function moneyNumberSql(mark: DecimalMark): string {
  const b = BODY_COLUMN;
  const digits = mark === "." ? `replace(${b}, ',', '')` : `replace(replace(${b}, '.', ''), ',', '.')`;
  return `(TRY_CAST(${digits} AS DOUBLE) * CASE WHEN ${moneyNegativeSql()} THEN -1 ELSE 1 END)`;
}

/**
 * The value of a text column read with the column's mark, for a column whose values
 * {@link moneyBadSql} accepts: money text by the mark, anything else as {@link valueOfText} reads it
 * (over {@link moneyLayer}).
 */
export function moneyValueSql(column: string, mark: DecimalMark): string {
  // Once the column is checked, a value with money's affixes is money text (an amount that is none stopped the run).
  return `CASE WHEN ${affixesOk()} THEN ${moneyNumberSql(mark)} ELSE ${valueOfText(column)} END`;
}

/** Whether money text is negative: brackets, or a minus before or after the amount, not both (over {@link moneyLayer}). */
function moneyNegativeSql(): string {
  const minus = (side: string): string => `(contains(${side}, '-') OR contains(${side}, '\u2212'))`;
  return `(starts_with(${BEFORE}, '(') <> (${minus(BEFORE)} OR ${minus(AFTER)}))`;
}

/**
 * The predicate of a row whose value the runner stops at once the column is read as money: money
 * text by the rule's negative check only (a minus and a digit other than 0: whatever the mark), anything
 * else as {@link badValueSql} (over {@link moneyLayer}).
 *
 * @param column the quoted value column, as text.
 * @param rule blank and negative values.
 * @returns the SQL predicate.
 */
export function moneyBadSql(column: string, rule: ValueRule): string {
  return `CASE WHEN (${showsSql()}) IS NOT NULL THEN ${rule.negative !== null ? `${moneyNegativeSql()} AND regexp_matches(${BODY_COLUMN}, '[1-9]')` : "FALSE"} ELSE ${badValueSql(column, false, rule)} END`;
}

/**
 * Whether a value of a column read as money is blank or 0, whatever the mark (over {@link moneyLayer};
 * for values {@link moneyBadSql} accepts).
 *
 * @param column the quoted value column, as text.
 * @returns the SQL predicate.
 */
export function moneyZeroSql(column: string): string {
  return `CASE WHEN ${affixesOk()} THEN NOT regexp_matches(${BODY_COLUMN}, '[1-9]') ELSE COALESCE(${valueOfText(column)}, 0) = 0 END`;
}

/** What the money scan of a column found (one row of {@link moneyScanSql}). */
export interface MoneyScan {
  /** A value that shows a decimal point, one a decimal comma, one that could be either. */
  readonly point: string | null;
  readonly comma: string | null;
  readonly ambiguous: string | null;
  /** Some value is money text the engine does not read alone (or could group thousands): the column is read as money. */
  readonly needsReading: boolean;
  /** Amounts in brackets. */
  readonly bracketed: number;
  /** Whether some row meets each of the checks given to {@link moneyScanSql}. */
  readonly checks: readonly boolean[];
}

/** Plain number text the engine reads alone, as columnText.ts's ENGINE_NUMBER_TEXT. */
const ENGINE_NUMBER = "[+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)";

/**
 * The scan of a text value column for readMoneyColumn's column rule (src/reports/columnText.ts): the
 * marks its values show and whether it needs reading as money at all.
 *
 * @param relation the relation.
 * @param column the quoted value column, as text.
 * @param checks further row predicates over {@link moneyLayer}'s columns, each answered by whether
 *   some row meets it ({@link MoneyScan.checks}).
 * @returns the query; its one row is read with {@link moneyScanOf}.
 */
export function moneyScanSql(relation: string, column: string, checks: readonly string[] = []): string {
  const trimmed = trimmedText(column);
  const checked = checks.map((check, k) => `, ${check} AS imc_check_${k}`).join("");
  const rows = `SELECT ${trimmed} AS t, starts_with(${BEFORE}, '(') AS bracketed, ${showsSql()} AS shows${checked} FROM ${moneyLayer(relation, column)}`;
  return [
    "SELECT ANY_VALUE(t) FILTER (WHERE shows = '.'), ANY_VALUE(t) FILTER (WHERE shows = ','), ANY_VALUE(t) FILTER (WHERE shows = 'ambiguous'),",
    `  COUNT(*) FILTER (WHERE shows = 'ambiguous' OR (shows IS NOT NULL AND NOT regexp_full_match(t, '${ENGINE_NUMBER}'))) > 0,`,
    `  COUNT(*) FILTER (WHERE shows IS NOT NULL AND bracketed)${checks.map((_, k) => `,\n  COUNT(*) FILTER (WHERE imc_check_${k}) > 0`).join("")}`,
    `FROM (${rows})`,
  ].join("\n");
}

/**
 * The money scan's one row as a {@link MoneyScan}.
 *
 * @param row the row of {@link moneyScanSql}.
 * @returns the findings.
 */
export function moneyScanOf(row: readonly unknown[]): MoneyScan {
  const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
  return { point: text(row[0]), comma: text(row[1]), ambiguous: text(row[2]), needsReading: row[3] === true, bracketed: Number(row[4]), checks: row.slice(5).map((cell) => cell === true) };
}

/**
 * The predicate of a plain number value that could group thousands (`1.234`): such a column must
 * show its decimal mark (readMoneyColumn). Cheap: the regular expression runs only on text with a
 * point three characters from its end.
 *
 * @param column the quoted value column, as text.
 * @returns the SQL predicate.
 */
export function ambiguousPlainSql(column: string): string {
  return `(strpos(${column}, '.') > 0 AND strpos(${column}, '.') = length(${column}) - 3 AND regexp_full_match(${column}, '${BLANK_PATTERN}[+-]?(?:[1-9][0-9]{0,2}|0[0-9]{1,2})[.][0-9]{3}${BLANK_PATTERN}'))`;
}

/**
 * The value of one cell as the runner reads it in a column read with `mark` (readMoneyColumn on the
 * cell), and what it says about it, for the messages.
 *
 * @param value the cell.
 * @param rule blank and negative values.
 * @param mark the column's decimal mark, or null when the column is not read as money.
 * @returns the problem, or null.
 */
export function moneyValueProblem(value: string | number | null, rule: ValueRule, mark: DecimalMark | null): string | null {
  if (mark !== null && typeof value === "string") {
    const read = readMoneyColumn([value], { sheet: "", header: "", letters: "", rows: [1] }, mark).values[0];
    if (typeof read === "number") return rule.negative !== null && read < 0 ? rule.negative(read) : null;
  }
  return valueProblem(value, rule);
}

/**
 * The number the runner reads from one cell of a column read with `mark` (null for a blank), for the
 * touch check; only for cells {@link moneyValueProblem} accepts.
 *
 * @param value the cell.
 * @param mark the column's decimal mark, or null.
 * @returns the number, or null.
 */
export function moneyCellValue(value: string | number | null, mark: DecimalMark | null): number | null {
  if (mark !== null && typeof value === "string") {
    const read = readMoneyColumn([value], { sheet: "", header: "", letters: "", rows: [1] }, mark).values[0];
    if (typeof read === "number") return read;
  }
  return toOptionalNumber(value, "value", 1);
}
