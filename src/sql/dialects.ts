/**
 * SQL dialects for the summary queries of `imc sql` (src/sql/queries.ts): the few places where
 * DuckDB, PostgreSQL, BigQuery, Snowflake and Spark SQL differ — identifier quoting, type names in
 * casts, day differences, microseconds between two timestamps, ordered string aggregation and the
 * back-reference of a regular-expression replacement. Everything else in the queries is one text.
 *
 * Pure: no engine connection; the strings are only built here. DuckDB and PostgreSQL are run by the
 * tests (test/sql); BigQuery, Snowflake and Spark are generated and checked as text only.
 */

/** The dialects `imc sql` writes. */
export const SQL_DIALECTS = ["duckdb", "postgres", "bigquery", "snowflake", "spark"] as const;
export type SqlDialectName = (typeof SQL_DIALECTS)[number];

/** An ORDER BY key of an ordered aggregate: an expression, ascending. */
export type OrderKeys = readonly string[];

/** The dialect hooks. */
export interface SqlDialect {
  readonly name: SqlDialectName;
  /** Quotes one identifier (a column or one part of a table name), doubling the quote character inside. */
  quote(identifier: string): string;
  /** Text type for casts. */
  readonly text: string;
  /** 64-bit floating-point type for casts. */
  readonly double: string;
  /** Wall-clock timestamp type (no time zone) for casts. */
  readonly timestamp: string;
  /** Whole days from date `from` to date `to` (to − from), an integer expression. */
  daysBetween(from: string, to: string): string;
  /** Microseconds from timestamp `from` to timestamp `to` (to − from). */
  microsBetween(from: string, to: string): string;
  /**
   * Ordered string aggregation that skips NULL values: `value` joined by `separator` (a SQL string
   * literal) in the order of `keys`. May give '' instead of NULL when every value is NULL (callers
   * wrap it in NULLIF(…, '')).
   */
  stringAgg(value: string, separator: string, keys: OrderKeys): string;
  /** The replacement text (as a SQL literal) that puts back capture group 1 in REGEXP_REPLACE. */
  readonly backReference1: string;
}

/** Doubles `quote` inside `identifier` and wraps it in `quote`. */
function quoteWith(quote: string, identifier: string): string {
  return quote + identifier.split(quote).join(quote + quote) + quote;
}

/** ANSI double quotes; an embedded " is doubled. */
const doubleQuoted = (identifier: string): string => quoteWith('"', identifier);

/** Spark backticks; an embedded ` is doubled. */
const backticked = (identifier: string): string => quoteWith("`", identifier);

/** BigQuery backticks; an embedded ` or \ is escaped with a backslash (BigQuery has no doubling). */
const bigQueryQuoted = (identifier: string): string => "`" + identifier.replace(/[\\`]/g, (c) => "\\" + c) + "`";

/** STRING_AGG(value, sep ORDER BY keys), as DuckDB, PostgreSQL and BigQuery write it. */
const orderedStringAgg = (value: string, separator: string, keys: OrderKeys): string =>
  `STRING_AGG(${value}, ${separator} ORDER BY ${keys.join(", ")})`;

/**
 * DuckDB: the non-NULL values as (keys…, value) structs in a list, sorted (structs compare field by
 * field), joined. The same result as STRING_AGG(… ORDER BY keys) at about three quarters of its CPU:
 * DuckDB's ordered aggregates buffer and sort every group's rows, a list sort is cheaper.
 */
const duckDbStringAgg = (value: string, separator: string, keys: OrderKeys): string =>
  `ARRAY_TO_STRING(LIST_TRANSFORM(LIST_SORT(LIST({${keys.map((key, i) => `'k${i}': ${key}`).join(", ")}, 'v': ${value}}) FILTER (WHERE (${value}) IS NOT NULL)), s -> s.v), ${separator})`;

const DIALECTS: Readonly<Record<SqlDialectName, SqlDialect>> = {
  duckdb: {
    name: "duckdb",
    quote: doubleQuoted,
    text: "VARCHAR",
    double: "DOUBLE",
    timestamp: "TIMESTAMP",
    daysBetween: (from, to) => `(${to} - ${from})`,
    microsBetween: (from, to) => `(EPOCH_US(${to}) - EPOCH_US(${from}))`,
    stringAgg: duckDbStringAgg,
    backReference1: "'\\1'",
  },
  postgres: {
    name: "postgres",
    quote: doubleQuoted,
    text: "TEXT",
    double: "DOUBLE PRECISION",
    timestamp: "TIMESTAMP",
    daysBetween: (from, to) => `(${to} - ${from})`,
    microsBetween: (from, to) => `(EXTRACT(EPOCH FROM (${to} - ${from})) * 1000000)`,
    stringAgg: orderedStringAgg,
    backReference1: "'\\1'",
  },
  bigquery: {
    name: "bigquery",
    quote: bigQueryQuoted,
    text: "STRING",
    double: "FLOAT64",
    timestamp: "DATETIME",
    daysBetween: (from, to) => `DATE_DIFF(${to}, ${from}, DAY)`,
    microsBetween: (from, to) => `DATETIME_DIFF(${to}, ${from}, MICROSECOND)`,
    stringAgg: orderedStringAgg,
    backReference1: "'\\\\1'",
  },
  snowflake: {
    name: "snowflake",
    quote: doubleQuoted,
    text: "VARCHAR",
    double: "DOUBLE",
    timestamp: "TIMESTAMP_NTZ",
    daysBetween: (from, to) => `DATEDIFF(day, ${from}, ${to})`,
    microsBetween: (from, to) => `DATEDIFF(microsecond, ${from}, ${to})`,
    stringAgg: (value, separator, keys) => `LISTAGG(${value}, ${separator}) WITHIN GROUP (ORDER BY ${keys.join(", ")})`,
    backReference1: "'\\\\1'",
  },
  spark: {
    name: "spark",
    quote: backticked,
    text: "STRING",
    double: "DOUBLE",
    timestamp: "TIMESTAMP_NTZ",
    daysBetween: (from, to) => `DATEDIFF(${to}, ${from})`,
    microsBetween: (from, to) => `TIMESTAMPDIFF(MICROSECOND, ${from}, ${to})`,
    // Spark 3.x has no ordered string aggregate: collect the (keys…, value) structs of the non-NULL
    // values, sort them (structs compare field by field), keep the values and join them.
    stringAgg: (value, separator, keys) =>
      `ARRAY_JOIN(TRANSFORM(ARRAY_SORT(COLLECT_LIST(CASE WHEN (${value}) IS NOT NULL THEN STRUCT(${keys
        .map((key, i) => `${key} AS k${i}`)
        .join(", ")}, ${value} AS v) END)), s -> s.v), ${separator})`,
    backReference1: "'$1'",
  },
};

/**
 * The hooks of one dialect.
 *
 * @param name one of {@link SQL_DIALECTS}.
 * @returns its hooks.
 */
export function sqlDialect(name: SqlDialectName): SqlDialect {
  return DIALECTS[name];
}

/**
 * Quotes a table name given as `name` or `schema.name` (`project.dataset.name`): each dot-separated
 * part is quoted on its own, so a part with spaces or quotes is safe. A name whose parts themselves
 * contain dots cannot be written this way.
 *
 * @param dialect the dialect's hooks.
 * @param table the table name as the user gave it.
 * @returns the quoted name.
 */
export function quoteTable(dialect: SqlDialect, table: string): string {
  return table
    .split(".")
    .map((part) => dialect.quote(part))
    .join(".");
}

/**
 * A string literal. Standard SQL doubles a quote inside (DuckDB, PostgreSQL, Snowflake); BigQuery and
 * Spark escape it with a backslash (in Spark 'a''b' is two literals run together). Backslashes are
 * doubled for the dialects whose single-quoted strings treat backslash as an escape character
 * (BigQuery, Snowflake, Spark).
 *
 * @param dialect the dialect's hooks.
 * @param text the text.
 * @returns the literal.
 */
export function stringLiteral(dialect: SqlDialect, text: string): string {
  const escaped = dialect.name === "duckdb" || dialect.name === "postgres" ? text : text.replace(/\\/g, "\\\\");
  const quote = dialect.name === "bigquery" || dialect.name === "spark" ? "\\'" : "''";
  return `'${escaped.replace(/'/g, quote)}'`;
}
