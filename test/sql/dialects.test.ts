/**
 * BigQuery, Snowflake and Spark cannot run here: their SQL is checked as text. Each dialect's text,
 * with its expected differences mapped back (quoting, type names, day and microsecond differences,
 * ordered string aggregation, the regex back-reference), must be exactly DuckDB's text — which the
 * engine tests (summarySql.test.ts) run. PostgreSQL is mapped back the same way. So the dialects
 * differ only where the engines do.
 */

import { describe, expect, it } from "vitest";
import { quoteTable, SQL_DIALECTS, sqlDialect, stringLiteral, type SqlDialectName } from "../../src/sql/dialects";
import { customerSummaryQuery, pathQuery, renderQuery, spendQuery, tripleQuery, type DateReading } from "../../src/sql/queries";

const orders = { table: "shop.order lines", customer: 'customer "id"', date: "order`date", value: "net amount" };
const touchpoints = { table: "touch points", customer: "visitor", timestamp: "seen at", channel: "Channel", conversion: "conv. value", order: "row" };

/** Every query in `dialect`, each date reading and period. */
function allQueries(dialect: SqlDialectName): string[] {
  const texts: string[] = [];
  for (const dates of ["typed", "text"] as DateReading[]) {
    for (const period of ["day", "week", "month"] as const) {
      const options = { dialect, orders, asOf: period === "week" ? "2024-06-30" : null, period, dates };
      texts.push(renderQuery(customerSummaryQuery(options)), renderQuery(tripleQuery(options)), renderQuery(spendQuery(options)));
    }
    texts.push(renderQuery(pathQuery({ dialect, touchpoints, lookbackDays: 14, dates })));
    texts.push(renderQuery(pathQuery({ dialect, touchpoints: { ...touchpoints, order: null }, dates })));
  }
  return texts;
}

const unquote = (body: string, quote: string, escape: string) => `"${body.split(escape + quote).join(quote).split(escape + escape).join(escape).replace(/"/g, '""')}"`;

/** The keys of a Spark STRUCT(k AS k0, …, v AS v), as an ORDER BY list. */
const structKeys = (fields: string) =>
  fields
    .split(/, (?=[\w(])/)
    .map((field) => field.replace(/ AS k\d+$/, ""))
    .join(", ");

/** STRING_AGG(value, sep ORDER BY keys) as DuckDB writes it (a sorted list of structs, joined). */
const duckDbAgg = (sql: string) =>
  sql.replace(
    /STRING_AGG\((.+), ('[^']*') ORDER BY ([^)]*)\)/g,
    (_, value: string, separator: string, keys: string) =>
      `ARRAY_TO_STRING(LIST_TRANSFORM(LIST_SORT(LIST({${keys
        .split(", ")
        .map((key, i) => `'k${i}': ${key}`)
        .join(", ")}, 'v': ${value}}) FILTER (WHERE (${value}) IS NOT NULL)), s -> s.v), ${separator})`,
  );

/** Maps a dialect's text back to DuckDB's by its expected differences only. */
const TO_DUCKDB: Readonly<Record<Exclude<SqlDialectName, "duckdb">, (sql: string) => string>> = {
  postgres: (sql) =>
    sql
      .replace(/\bTEXT\b/g, "VARCHAR")
      .replace(/\bDOUBLE PRECISION\b/g, "DOUBLE")
      .replace(/\(EXTRACT\(EPOCH FROM \((\w+) - (\w+)\)\) \* 1000000\)/g, "(EPOCH_US($1) - EPOCH_US($2))"),
  bigquery: (sql) =>
    sql
      .replace(/`((?:[^`\\]|\\.)*)`/g, (_, body: string) => unquote(body.replace(/\\(.)/g, "$1"), "`", "\\"))
      .replace(/\bSTRING\b/g, "VARCHAR")
      .replace(/\bFLOAT64\b/g, "DOUBLE")
      .replace(/DATETIME_DIFF\((\w+), (\w+), MICROSECOND\)/g, "(EPOCH_US($1) - EPOCH_US($2))")
      .replace(/\bDATETIME\b/g, "TIMESTAMP")
      .replace(/DATE_DIFF\(((?:MIN|MAX)\([\w.]+\)), ((?:MIN|MAX)\([\w.]+\)), DAY\)/g, "($1 - $2)")
      .replace(/'\\\\1'/g, "'\\1'"),
  snowflake: (sql) =>
    sql
      .replace(/\bTIMESTAMP_NTZ\b/g, "TIMESTAMP")
      .replace(/DATEDIFF\(day, ((?:MIN|MAX)\([\w.]+\)), ((?:MIN|MAX)\([\w.]+\))\)/g, "($2 - $1)")
      .replace(/DATEDIFF\(microsecond, (\w+), (\w+)\)/g, "(EPOCH_US($2) - EPOCH_US($1))")
      .replace(/LISTAGG\((.*), (' > ')\) WITHIN GROUP \(ORDER BY ([^)]*)\)/g, "STRING_AGG($1, $2 ORDER BY $3)")
      .replace(/'\\\\1'/g, "'\\1'"),
  spark: (sql) =>
    sql
      .replace(/`((?:[^`]|``)*)`/g, (_, body: string) => unquote(body.replace(/``/g, "`"), "`", "\u0000"))
      .replace(
        /ARRAY_JOIN\(TRANSFORM\(ARRAY_SORT\(COLLECT_LIST\(CASE WHEN \((.+)\) IS NOT NULL THEN STRUCT\((.+?), \1 AS v\) END\)\), s -> s\.v\), ('[^']*')\)/g,
        (_, value: string, fields: string, separator: string) => `STRING_AGG(${value}, ${separator} ORDER BY ${structKeys(fields)})`,
      )
      .replace(/\bSTRING\b/g, "VARCHAR")
      .replace(/\bTIMESTAMP_NTZ\b/g, "TIMESTAMP")
      .replace(/DATEDIFF\(((?:MIN|MAX)\([\w.]+\)), ((?:MIN|MAX)\([\w.]+\))\)/g, "($1 - $2)")
      .replace(/TIMESTAMPDIFF\(MICROSECOND, (\w+), (\w+)\)/g, "(EPOCH_US($2) - EPOCH_US($1))")
      .replace(/'\$1'/g, "'\\1'"),
};

describe("the five dialects", () => {
  const duckdb = allQueries("duckdb");

  for (const dialect of ["postgres", "bigquery", "snowflake", "spark"] as const) {
    it(`${dialect}: DuckDB's text but for the expected differences`, () => {
      const texts = allQueries(dialect);
      texts.forEach((text, i) => {
        expect(text).not.toBe(duckdb[i]);
        expect(duckDbAgg(TO_DUCKDB[dialect](text))).toBe(duckdb[i]);
      });
    });
  }

  it("writes each dialect's own constructs", () => {
    const path = (dialect: SqlDialectName) => renderQuery(pathQuery({ dialect, touchpoints, dates: "text" }));
    expect(path("snowflake")).toContain("LISTAGG(CASE WHEN channel IS NOT NULL");
    expect(path("snowflake")).toContain("WITHIN GROUP (ORDER BY seq)");
    expect(path("spark")).toContain("ARRAY_SORT(COLLECT_LIST(CASE WHEN");
    expect(path("bigquery")).toContain("DATETIME_DIFF(conversion_time, touch_time, MICROSECOND) <= 2592000000000");
    expect(path("bigquery")).toContain("'\\\\1'");
    expect(path("spark")).toContain("'$1'");
    const summary = (dialect: SqlDialectName) => renderQuery(customerSummaryQuery({ dialect, orders, period: "month" }));
    expect(summary("bigquery")).toContain("CAST(DATE_DIFF(MAX(a.as_of_day), MIN(f.order_day), DAY) AS FLOAT64) / 30.4375 AS t");
    expect(summary("snowflake")).toContain("CAST(DATEDIFF(day, MIN(f.order_day), MAX(f.order_day)) AS DOUBLE) / 30.4375 AS recency");
    expect(summary("spark")).toContain("CAST(DATEDIFF(MAX(f.order_day), MIN(f.order_day)) AS DOUBLE) / 30.4375 AS recency");
  });

  it("quotes identifiers safely in every dialect", () => {
    const name = 'a "b" `c` \\d';
    expect(sqlDialect("duckdb").quote(name)).toBe('"a ""b"" `c` \\d"');
    expect(sqlDialect("postgres").quote(name)).toBe('"a ""b"" `c` \\d"');
    expect(sqlDialect("snowflake").quote(name)).toBe('"a ""b"" `c` \\d"');
    expect(sqlDialect("spark").quote(name)).toBe('`a "b" ``c`` \\d`');
    expect(sqlDialect("bigquery").quote(name)).toBe('`a "b" \\`c\\` \\\\d`');
    expect(quoteTable(sqlDialect("bigquery"), "my-project.sales.order lines")).toBe("`my-project`.`sales`.`order lines`");
    for (const dialect of SQL_DIALECTS) {
      const text = renderQuery(customerSummaryQuery({ dialect, orders }));
      expect(text).toContain(sqlDialect(dialect).quote('customer "id"'));
      expect(text).not.toContain("customer \"id\" IS");
    }
    expect(stringLiteral(sqlDialect("postgres"), "it's")).toBe("'it''s'");
    expect(stringLiteral(sqlDialect("spark"), "it's")).toBe("'it\\'s'");
    expect(stringLiteral(sqlDialect("bigquery"), "a\\b")).toBe("'a\\\\b'");
  });

  it("refuses a bad as-of date and look-back", () => {
    expect(() => customerSummaryQuery({ dialect: "duckdb", orders, asOf: "2024-02-30" })).toThrow(/as_of: "2024-02-30" is not a date/);
    expect(() => pathQuery({ dialect: "duckdb", touchpoints, lookbackDays: 0 })).toThrow(/lookback_days: 0 must be a positive number/);
  });
});
