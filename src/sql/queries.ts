/**
 * The summary queries of `imc sql` and of the runner's DuckDB route, written once and rendered in
 * each dialect through the hooks of dialects.ts:
 *
 * - the per-customer summary (frequency, recency, T, monetary…) with exactly the engine's rules
 *   (src/engine/clv/summary.ts): orders on one calendar day are one purchase (their values summed);
 *   frequency = purchase days − 1; recency = first to last purchase day, T = first purchase day to the
 *   as-of day, in the period unit (day 1, week 7, month 365.25 / 12 days); orders after the as-of day
 *   are left out (customers whose first order is later drop out); a day whose summed value is ≤ 0
 *   counts as a purchase but not in m̄, the mean of the positive repeat purchase days;
 * - the distinct (frequency, recency, T) triples with customer counts (the purchase models' data)
 *   and the distinct (x, m̄) pairs of Gamma-Gamma;
 * - the journey paths of a touchpoint log with conversions, value and nulls, cut as IMC.ATTRIBUTE.EVENTS
 *   cuts them (src/engine/attribution/touchpointJourneys.ts): per customer in time order (at one time
 *   touches before a conversion), a conversion closes the touches since the previous one that are at
 *   most the look-back before it (a conversion row with a channel is its own last touch), trailing
 *   touches are one null. Conversions without a touch in their window come out as a row whose path
 *   is NULL.
 *
 * Dates: `typed` reads DATE / TIMESTAMP columns (a TIMESTAMP WITH TIME ZONE gives its day in the
 * session's time zone); `text` reads ISO text as written — the wall-clock date and time, an offset
 * such as +02:00 ignored, as the engine reads date text.
 */

import { EngineError } from "../engine/errors";
import { quoteTable, sqlDialect, stringLiteral, type SqlDialect, type SqlDialectName } from "./dialects";

/** Time unit of recency and T. */
export type SqlPeriod = "day" | "week" | "month";

/** How the date and timestamp columns are read: typed columns, or ISO text as written. */
export type DateReading = "typed" | "text";

/** Days per period, written as SQL numbers (the engine's DAYS_PER_PERIOD). */
const PERIOD_DAYS: Readonly<Record<SqlPeriod, string>> = { day: "1", week: "7", month: "30.4375" };

/** Where the orders are: a table (or a ready SQL relation) and its three columns. */
export interface OrdersSource {
  /** Table name, `name` or `schema.name`; quoted part by part. */
  readonly table: string;
  /** A SQL relation used as it is instead of `table` (e.g. DuckDB's read_parquet('…')); not quoted. */
  readonly relation?: string;
  readonly customer: string;
  readonly date: string;
  readonly value: string;
  /** The ids are already trimmed text with blanks NULL (the runner's --from relation): not trimmed again. */
  readonly trimmedIds?: boolean;
  /**
   * A column numbering the rows in their order (DuckDB's --from `imc_row`): the summary's sums are then
   * added as the engine adds them — a day's values in row order, the days in date order — so total
   * value and m̄ are the engine's to the last bit ({@link foldedSum}; DuckDB only).
   */
  readonly rowOrder?: string;
}

/** Where the touchpoints are: a table (or relation) and its columns. */
export interface TouchpointSource {
  readonly table: string;
  readonly relation?: string;
  readonly customer: string;
  readonly timestamp: string;
  readonly channel: string;
  readonly conversion: string;
  /** Optional column that orders rows at equal timestamps (the log's row order); default the channel name. */
  readonly order?: string | null;
  /** The ids are already trimmed text with blanks NULL (the runner's --from relation): not trimmed again. */
  readonly trimmedIds?: boolean;
}

/** Options of the order queries. */
export interface OrderQueryOptions {
  readonly dialect: SqlDialectName;
  readonly orders: OrdersSource;
  /** As-of day, yyyy-mm-dd; default the last order day in the table. */
  readonly asOf?: string | null;
  /** Default week. */
  readonly period?: SqlPeriod;
  /** Default typed. */
  readonly dates?: DateReading;
}

/** Options of the path query. */
export interface PathQueryOptions {
  readonly dialect: SqlDialectName;
  readonly touchpoints: TouchpointSource;
  /** Look-back window in days, > 0 (default 30). */
  readonly lookbackDays?: number;
  /** Default typed. */
  readonly dates?: DateReading;
}

/** A query as named common table expressions and a final SELECT, so queries can be built on each other. */
export interface SqlQuery {
  readonly ctes: readonly (readonly [name: string, sql: string])[];
  readonly select: string;
}

/** The separator between channels in a path (the engine's path reader splits on ">" and trims). */
export const PATH_SEPARATOR = " > ";

/** Output columns of the per-customer summary, in order. */
export const SUMMARY_COLUMNS = [
  "customer_id",
  "first_purchase",
  "last_purchase",
  "orders",
  "frequency",
  "recency",
  "t",
  "total_value",
  "monetary",
  "monetary_count",
  "non_positive_days",
] as const;

/**
 * Renders a query as one statement (no trailing semicolon).
 *
 * @param query the CTEs and the final SELECT.
 * @returns the SQL text.
 */
export function renderQuery(query: SqlQuery): string {
  if (query.ctes.length === 0) return query.select;
  const ctes = query.ctes.map(([name, sql]) => `${name} AS (\n${indent(sql)}\n)`).join(",\n");
  return `WITH ${ctes}\n${query.select}`;
}

function indent(sql: string): string {
  return sql
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

/** Checks a yyyy-mm-dd date and returns it. */
function checkedDate(text: string, argument: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return match[0];
  }
  throw new EngineError("INVALID_INPUT", `${argument}: "${text}" is not a date written yyyy-mm-dd`, { argument });
}

/** The FROM relation of a source. */
function relationOf(dialect: SqlDialect, source: { table: string; relation?: string }): string {
  return source.relation ?? quoteTable(dialect, source.table);
}

/** The calendar day of a date column. */
function dayOf(dialect: SqlDialect, column: string, dates: DateReading): string {
  if (dates === "typed") return `CAST(${column} AS DATE)`;
  return `CAST(SUBSTR(CAST(${column} AS ${dialect.text}), 1, 10) AS DATE)`;
}

/** A customer id as the engine reads one: trimmed text, blank as NULL (the row is then left out). */
function idOf(dialect: SqlDialect, column: string): string {
  return `NULLIF(TRIM(CAST(${column} AS ${dialect.text})), '')`;
}

/**
 * ISO text as a wall-clock timestamp: the offset after the time (Z, ±HH, ±HHMM, ±HH:MM) is cut off,
 * as the engine ignores it. The pattern has no backslash, so it is one literal in every dialect.
 */
const OFFSET_PATTERN = "([0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?) *([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$";

/** The timestamp of a timestamp column. */
function timestampOf(dialect: SqlDialect, column: string, dates: DateReading): string {
  if (dates === "typed") return `CAST(${column} AS ${dialect.timestamp})`;
  const text = `CAST(${column} AS ${dialect.text})`;
  return `CAST(REGEXP_REPLACE(${text}, ${stringLiteral(dialect, OFFSET_PATTERN)}, ${dialect.backReference1}) AS ${dialect.timestamp})`;
}

/**
 * The per-customer summary, one row per customer with an order on or before the as-of day; columns
 * {@link SUMMARY_COLUMNS} (`t` is T). Customer ids are trimmed text; rows with a NULL or blank
 * customer or a NULL date are left out.
 *
 * @param options dialect, source, as-of (yyyy-mm-dd, default the last order day), period, date reading.
 * @returns the query; render it with {@link renderQuery} or build on it (CTE `customer_summary`).
 * @throws EngineError INVALID_INPUT for an as-of that is not a yyyy-mm-dd date.
 */
export function customerSummaryQuery(options: OrderQueryOptions): SqlQuery {
  const d = sqlDialect(options.dialect);
  const dates = options.dates ?? "typed";
  const period = options.period ?? "week";
  const { orders } = options;
  const customer = orders.trimmedIds === true ? d.quote(orders.customer) : idOf(d, d.quote(orders.customer));
  const date = d.quote(orders.date);
  const value = d.quote(orders.value);
  const asOf = options.asOf === null || options.asOf === undefined ? null : checkedDate(options.asOf, "as_of");
  const perPeriod = period === "day" ? "" : ` / ${PERIOD_DAYS[period]}`;
  const repeatPositive = "f.order_day > f.first_day AND f.day_value > 0";
  const rowOrder = orders.rowOrder === undefined ? null : d.quote(orders.rowOrder);
  // With the row order: sums added from 0 in the engine's order, m̄ as that sum / count.
  const dayValue = rowOrder === null ? "SUM(o.order_value)" : foldedSum("o.row_order", "o.order_value");
  const totalValue = rowOrder === null ? "SUM(f.day_value)" : foldedSum("f.order_day", "f.day_value");
  const monetary =
    rowOrder === null
      ? `COALESCE(AVG(CASE WHEN ${repeatPositive} THEN f.day_value END), 0)`
      : `COALESCE(${foldedSum("f.order_day", "f.day_value", repeatPositive)} / SUM(CASE WHEN ${repeatPositive} THEN 1 END), 0)`;
  return {
    ctes: [
      [
        "order_rows",
        [
          `SELECT ${customer} AS customer_id, ${dayOf(d, date, dates)} AS order_day, CAST(${value} AS ${d.double}) AS order_value${rowOrder === null ? "" : `, ${rowOrder} AS row_order`}`,
          `FROM ${relationOf(d, orders)}`,
          `WHERE ${customer} IS NOT NULL AND ${date} IS NOT NULL`,
        ].join("\n"),
      ],
      ["as_of", asOf === null ? "SELECT MAX(order_day) AS as_of_day FROM order_rows" : `SELECT DATE '${asOf}' AS as_of_day`],
      [
        "purchase_days",
        [
          `SELECT o.customer_id, o.order_day, ${dayValue} AS day_value, COUNT(*) AS order_rows`,
          "FROM order_rows o CROSS JOIN as_of a",
          "WHERE o.order_day <= a.as_of_day",
          "GROUP BY o.customer_id, o.order_day",
        ].join("\n"),
      ],
      [
        "first_days",
        "SELECT customer_id, order_day, day_value, order_rows, MIN(order_day) OVER (PARTITION BY customer_id) AS first_day\nFROM purchase_days",
      ],
      [
        "customer_summary",
        [
          "SELECT f.customer_id,",
          "  MIN(f.order_day) AS first_purchase,",
          "  MAX(f.order_day) AS last_purchase,",
          "  SUM(f.order_rows) AS orders,",
          "  COUNT(*) - 1 AS frequency,",
          `  CAST(${d.daysBetween("MIN(f.order_day)", "MAX(f.order_day)")} AS ${d.double})${perPeriod} AS recency,`,
          `  CAST(${d.daysBetween("MIN(f.order_day)", "MAX(a.as_of_day)")} AS ${d.double})${perPeriod} AS t,`,
          `  ${totalValue} AS total_value,`,
          `  ${monetary} AS monetary,`,
          `  SUM(CASE WHEN ${repeatPositive} THEN 1 ELSE 0 END) AS monetary_count,`,
          "  SUM(CASE WHEN f.day_value > 0 THEN 0 ELSE 1 END) AS non_positive_days",
          "FROM first_days f CROSS JOIN as_of a",
          "GROUP BY f.customer_id",
        ].join("\n"),
      ],
    ],
    select: "SELECT * FROM customer_summary",
  };
}

/**
 * A group's values added one by one from 0 in the order of a key, as a loop adds them (DuckDB: the
 * (key, value) pairs listed, sorted and folded; an ordered aggregate, SUM(value ORDER BY key), keeps a
 * buffer per group that does not spill and runs out of memory on a million customers).
 *
 * @param key the order (unique within a group).
 * @param value the DOUBLE to add.
 * @param filter only the rows where this holds; none: NULL.
 */
export function foldedSum(key: string, value: string, filter?: string): string {
  const pairs = `list({'k': ${key}, 'v': ${value}})${filter === undefined ? "" : ` FILTER (WHERE ${filter})`}`;
  return `list_reduce(list_transform(list_sort(${pairs}), lambda p: p.v), lambda a, b: a + b, CAST(0 AS DOUBLE))`;
}

/** The summary's CTEs with a new final SELECT. */
function onSummary(options: OrderQueryOptions, select: string): SqlQuery {
  return { ctes: customerSummaryQuery(options).ctes, select };
}

/**
 * Distinct (frequency, recency, T) triples with their customer counts — all the purchase models
 * (BG/NBD, MBG/NBD, Pareto/NBD) need. Customers with T = 0 (first seen on the as-of day) are kept;
 * the fit leaves them out as the engine does.
 *
 * @param options as {@link customerSummaryQuery}.
 * @returns columns frequency, recency, t, customers.
 */
export function tripleQuery(options: OrderQueryOptions): SqlQuery {
  return onSummary(
    options,
    "SELECT frequency, recency, t, COUNT(*) AS customers\nFROM customer_summary\nGROUP BY frequency, recency, t\nORDER BY frequency, recency, t",
  );
}

/**
 * Distinct (x, m̄) pairs of the customers with a positive repeat purchase day, with counts — the
 * Gamma-Gamma spend model's data.
 *
 * @param options as {@link customerSummaryQuery}.
 * @returns columns monetary_count (x), monetary (m̄), customers.
 */
export function spendQuery(options: OrderQueryOptions): SqlQuery {
  return onSummary(
    options,
    "SELECT monetary_count, monetary, COUNT(*) AS customers\nFROM customer_summary\nWHERE monetary_count > 0 AND monetary > 0\nGROUP BY monetary_count, monetary\nORDER BY monetary_count, monetary",
  );
}

/**
 * The look-back of a path query in microseconds, as text for SQL.
 *
 * @param options the path query's options (look-back days, > 0, default 30).
 * @returns the whole number of microseconds.
 * @throws EngineError INVALID_INPUT for a look-back that is not a positive number.
 */
export function pathLookbackMicros(options: PathQueryOptions): string {
  const lookback = options.lookbackDays ?? 30;
  if (!(lookback > 0) || !Number.isFinite(lookback)) {
    throw new EngineError("INVALID_INPUT", `lookback_days: ${String(lookback)} must be a positive number of days`, { argument: "lookback_days" });
  }
  return String(Math.round(lookback * 86_400_000_000));
}

/**
 * The journey cutting of {@link pathQuery}: the CTEs `log_rows` (customer_id, touch_time, channel,
 * conversion, is_conversion, row_order when the source has one, and the pass-through columns) and
 * `cut` (the same, with journey: the customer's conversions before the row; conversion_time: the
 * time of the conversion that closes the row's journey, NULL after the last one; seq: the row's
 * place in the customer's time order).
 *
 * @param options as {@link pathQuery}.
 * @param passThrough more columns of the source, as [column name, alias] pairs, carried through unchanged.
 * @param customerFirst whether `cut` also carries customer_first, the customer's first row_order
 *   (their first row in the log; the source must have a row order): a window over the same sort as
 *   the cutting's, where a GROUP BY joined back took half as long again (measured on 2.5M rows).
 * @returns the two CTEs.
 * @throws EngineError INVALID_INPUT for a look-back that is not a positive number, Error (a bug) for
 *   customerFirst without a row order.
 */
export function journeyCutCtes(options: PathQueryOptions, passThrough: readonly (readonly [column: string, alias: string])[] = [], customerFirst = false): [name: string, sql: string][] {
  const d = sqlDialect(options.dialect);
  const dates = options.dates ?? "typed";
  pathLookbackMicros(options);
  const { touchpoints: tp } = options;
  const customer = tp.trimmedIds === true ? d.quote(tp.customer) : idOf(d, d.quote(tp.customer));
  const timestamp = d.quote(tp.timestamp);
  const conversion = `COALESCE(CAST(${d.quote(tp.conversion)} AS ${d.double}), 0)`;
  const tie = tp.order ? d.quote(tp.order) : null;
  const tieKey = tie === null ? "COALESCE(channel, '')" : "row_order";
  if (customerFirst && tie === null) throw new Error("journeyCutCtes: customer_first needs the source's row order (a bug)");
  // Named windows (WINDOW w AS …) are not in every dialect: the same spec is written out twice.
  const ordered = `PARTITION BY customer_id ORDER BY touch_time, is_conversion, ${tieKey}`;
  const extras = passThrough.map(([column, alias]) => `,\n  ${d.quote(column)} AS ${d.quote(alias)}`).join("");
  const extraNames = passThrough.map(([, alias]) => `, ${d.quote(alias)}`).join("");
  return [
    [
      "log_rows",
      [
        `SELECT ${customer} AS customer_id, ${timestampOf(d, timestamp, dates)} AS touch_time,`,
        `  NULLIF(TRIM(CAST(${d.quote(tp.channel)} AS ${d.text})), '') AS channel,`,
        `  ${conversion} AS conversion,`,
        `  CASE WHEN ${conversion} > 0 THEN 1 ELSE 0 END AS is_conversion${tie === null ? "" : `,\n  ${tie} AS row_order`}${extras}`,
        `FROM ${relationOf(d, tp)}`,
        `WHERE ${customer} IS NOT NULL AND ${timestamp} IS NOT NULL`,
      ].join("\n"),
    ],
    [
      "cut",
      // One window (one sort): the journey is the number of conversions before the row; the time of
      // the conversion that closes it is that of the first conversion at or after the row; seq is the
      // row's place in that order, so the path's ordered aggregation sorts on one number.
      [
        `SELECT customer_id, touch_time, channel, conversion, is_conversion${extraNames},`,
        `  COALESCE(SUM(is_conversion) OVER (${ordered} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS journey,`,
        `  MIN(CASE WHEN is_conversion = 1 THEN touch_time END) OVER (${ordered} ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS conversion_time,`,
        `  ROW_NUMBER() OVER (${ordered}) AS seq${customerFirst ? `,\n  MIN(row_order) OVER (${ordered} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS customer_first` : ""}`,
        "FROM log_rows",
      ].join("\n"),
    ],
  ];
}

/**
 * Journey paths of a touchpoint log, grouped: path (channels joined by " > "), conversions, value
 * (their total conversion value) and nulls (journeys of the path that did not convert). A row with a
 * NULL path holds the conversions that had no touch within the look-back. Customer ids are trimmed;
 * rows with a NULL or blank customer or a NULL timestamp are left out; a blank conversion is a touch, a positive one a conversion.
 *
 * @param options dialect, source, look-back days (> 0, default 30), date reading.
 * @returns the query.
 * @throws EngineError INVALID_INPUT for a look-back that is not a positive number.
 */
export function pathQuery(options: PathQueryOptions): SqlQuery {
  const d = sqlDialect(options.dialect);
  const lookbackMicros = pathLookbackMicros(options);
  return {
    ctes: [
      ...journeyCutCtes(options),
      [
        "journeys",
        [
          "SELECT customer_id, journey, MAX(is_conversion) AS converted, MAX(conversion) AS value,",
          `  NULLIF(${d.stringAgg(
            `CASE WHEN channel IS NOT NULL AND (conversion_time IS NULL OR ${d.microsBetween("touch_time", "conversion_time")} <= ${lookbackMicros}) THEN channel END`,
            stringLiteral(d, PATH_SEPARATOR),
            ["seq"],
          )}, '') AS path`,
          "FROM cut",
          "GROUP BY customer_id, journey",
        ].join("\n"),
      ],
    ],
    select: [
      "SELECT path, SUM(converted) AS conversions, SUM(CASE WHEN converted = 1 THEN value ELSE 0 END) AS value, SUM(1 - converted) AS nulls",
      "FROM journeys",
      "WHERE path IS NOT NULL OR converted = 1",
      "GROUP BY path",
      "ORDER BY conversions DESC, path",
    ].join("\n"),
  };
}
