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
import { BLANK_PATTERN, blankSql, NUMBER_SHAPE } from "./dateReading";

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
