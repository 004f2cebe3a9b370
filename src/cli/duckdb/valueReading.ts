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
import { trimmedText } from "./dateReading";

/** How the runner treats a blank and a negative value in the column. */
export interface ValueRule {
  /** The runner's argument name, as its messages start (`order_values`, `conversions`). */
  readonly argument: string;
  /** A blank value is an error ("is blank; a number is required"), else it is read as NULL. */
  readonly blankIsError: boolean;
  /** The message for a negative value, or null when negative values are allowed (refunds). */
  readonly negative: ((value: number) => string) | null;
}

/** Characters trimmed off before the percent sign, as trimEnd does for the usual ones. */
const SPACES = "' \t\n\r\u00a0'";

/** A number as the engine reads number text, with an optional percent sign (spaces before it allowed). */
const NUMBER_TEXT_PATTERN = "^[+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][+-]?[0-9]+)?(?:[\\s\\x{00A0}]*%)?$";

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
 * Number text as a DOUBLE, NULL for a blank value; `cast` is CAST for a column already checked,
 * TRY_CAST inside the checks.
 */
function textDouble(column: string, cast: "CAST" | "TRY_CAST"): string {
  const t = trimmedText(column);
  return [
    `CASE WHEN ${t} = '' THEN NULL`,
    `  WHEN ends_with(${t}, '%') THEN ${cast}(rtrim(substr(${t}, 1, length(${t}) - 1), ${SPACES}) AS DOUBLE) / 100`,
    `  ELSE ${cast}(${t} AS DOUBLE) END`,
  ].join("\n");
}

/**
 * The value of a text column as a DOUBLE (NULL for a blank), for a column {@link badValueSql} found
 * no bad value in.
 *
 * @param column the quoted column.
 * @returns the SQL expression.
 */
export function valueOfText(column: string): string {
  return textDouble(column, "CAST");
}

/**
 * The predicate of a row whose value the runner would stop at (NULL counts as false).
 *
 * @param column the quoted column.
 * @param typed whether the column is a number type ({@link isNumberType}), else text.
 * @param rule blank and negative values.
 * @returns the SQL predicate.
 */
export function badValueSql(column: string, typed: boolean, rule: ValueRule): string {
  const parts: string[] = [];
  if (typed) {
    if (rule.blankIsError) parts.push(`${column} IS NULL`);
    // NaN and ±Infinity exist only in floating-point columns; isfinite on the value as a DOUBLE.
    parts.push(`NOT isfinite(CAST(${column} AS DOUBLE))`);
    if (rule.negative !== null) parts.push(`${column} < 0`);
  } else {
    const t = trimmedText(column);
    const blank = `(${column} IS NULL OR ${t} = '')`;
    if (rule.blankIsError) parts.push(blank);
    const number = textDouble(column, "TRY_CAST");
    parts.push(`(NOT ${blank} AND (NOT regexp_full_match(${t}, '${NUMBER_TEXT_PATTERN}') OR NOT isfinite(${number})))`);
    if (rule.negative !== null) parts.push(`(${number}) < 0`);
  }
  return `COALESCE(${parts.join(" OR ")}, FALSE)`;
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
