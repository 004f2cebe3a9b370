/**
 * `imc sql`: prints the SQL that summarises a warehouse's orders and touchpoints where they live —
 * the per-customer summary, the distinct (frequency, recency, T) triples with counts, the Gamma-Gamma
 * (x, m̄) pairs and the journey paths with conversions, value and nulls — in DuckDB, PostgreSQL,
 * BigQuery, Snowflake or Spark SQL, from one definition (src/sql/queries.ts). The few thousand rows
 * that come back are what the models need: fit them in Excel (IMC.CLV.FIT.SUMMARY, IMC.ATTRIBUTE).
 */

import { SQL_DIALECTS, type SqlDialectName } from "../../sql/dialects";
import {
  customerSummaryQuery,
  pathQuery,
  renderQuery,
  spendQuery,
  tripleQuery,
  type DateReading,
  type OrdersSource,
  type SqlPeriod,
  type TouchpointSource,
} from "../../sql/queries";
import { helpText, parseArgs, type CommandSpec, type ParsedArgs } from "../args";
import { usageError, withErrorContext } from "../errors";
import type { CliIo } from "../io";
import { writeFileAtomically } from "../safeWrite";
import type { Command } from "./index";
import { resolvePath } from "./shared";

/** The queries `--query` picks from. */
const QUERIES = ["summary", "triples", "spend", "paths"] as const;
type QueryName = (typeof QUERIES)[number];

const SPEC: CommandSpec = {
  command: "sql",
  positionals: [],
  flags: [
    { name: "dialect", kind: "value", valueName: "NAME", description: `SQL dialect: ${SQL_DIALECTS.join(", ")} (default duckdb).` },
    { name: "orders-table", kind: "value", valueName: "NAME", description: "Table (or schema.table) with one row per order." },
    { name: "touchpoints-table", kind: "value", valueName: "NAME", description: "Table (or schema.table) with one row per touch or conversion." },
    {
      name: "columns",
      kind: "list",
      valueName: "LIST",
      description:
        "Column names where they differ from the defaults, as in imc report: orders.id, orders.date, orders.value; touchpoints.id, touchpoints.timestamp, touchpoints.channel, touchpoints.conversion, touchpoints.order (row order at equal times).",
    },
    { name: "query", kind: "list", valueName: "LIST", description: `Which queries: ${QUERIES.join(", ")} (default: all the tables given allow).` },
    { name: "as-of", kind: "value", valueName: "yyyy-mm-dd", description: "End of the observation; later orders are left out (default: the last order date)." },
    { name: "period", kind: "value", valueName: "day|week|month", description: "Time unit of recency and T (default week)." },
    { name: "lookback-days", kind: "value", valueName: "N", description: "Touches count when at most N days before the conversion (default 30)." },
    {
      name: "dates",
      kind: "value",
      valueName: "typed|text",
      description: "typed (default): DATE/TIMESTAMP columns; text: ISO text read as written, an offset such as +02:00 ignored (as Excel and the add-in read it).",
    },
    { name: "out", kind: "value", valueName: "FILE", description: "Write the SQL to FILE (default: standard output)." },
  ],
};

const SUMMARY = "Prints SQL that summarises orders and touchpoints inside a warehouse (DuckDB, PostgreSQL, BigQuery, Snowflake, Spark).";

const DETAILS = `The models need far fewer rows than the data: the purchase models only the distinct
(frequency, recency, T) triples with counts, Gamma-Gamma the (x, average value) pairs, attribution
the distinct paths with conversions, value and nulls. These are GROUP BYs any warehouse runs at scale;
paste the few thousand rows they return into Excel and fit there (IMC.CLV.FIT.SUMMARY, IMC.ATTRIBUTE).
The rules are the add-in's: orders on one day are one purchase; a day worth <= 0 (refunds) counts as
a purchase but not in the average value; orders after --as-of are left out; a conversion's journey is
the touches since the previous conversion at most --lookback-days before it, trailing touches are a
null; a row with an empty path counts the conversions with no touch in their window.
Default columns: orders customer_id, order_date, order_value; touchpoints customer_id, timestamp,
channel, conversion (blank or 0 on a touch, the value on a conversion). The DuckDB and PostgreSQL
SQL is run by the tests; BigQuery, Snowflake and Spark are generated the same way and tested as text.

Examples:
  imc sql --dialect bigquery --orders-table shop.orders --as-of 2025-06-30 --period week
  imc sql --dialect snowflake --touchpoints-table web.events --columns touchpoints.timestamp=event_time --lookback-days 14`;

const ORDER_DEFAULTS = { id: "customer_id", date: "order_date", value: "order_value" };
const TOUCHPOINT_DEFAULTS = { id: "customer_id", timestamp: "timestamp", channel: "channel", conversion: "conversion", order: "" };

/** Parses --columns into the two tables' column names. */
function columnsOf(args: ParsedArgs): { orders: Record<string, string>; touchpoints: Record<string, string> } {
  const orders: Record<string, string> = { ...ORDER_DEFAULTS };
  const touchpoints: Record<string, string> = { ...TOUCHPOINT_DEFAULTS };
  for (const item of args.lists.columns ?? []) {
    const match = /^([a-z]+)\.([a-z]+)=(.+)$/i.exec(item);
    const table = match?.[1].toLowerCase();
    const role = match?.[2].toLowerCase() ?? "";
    const target = table === "orders" ? orders : table === "touchpoints" ? touchpoints : null;
    if (!match || target === null || !(role in target)) {
      throw usageError(
        `--columns: "${item}" is not table.role=Column (orders: ${Object.keys(ORDER_DEFAULTS).join(", ")}; touchpoints: ${Object.keys(TOUCHPOINT_DEFAULTS).join(", ")})`,
      );
    }
    target[role] = match[3].trim();
  }
  return { orders, touchpoints };
}

/** A flag's value checked against its choices. */
function choice<T extends string>(args: ParsedArgs, flag: string, choices: readonly T[], fallback: T): T {
  const value = args.values[flag];
  if (value === undefined) return fallback;
  const lower = value.trim().toLowerCase() as T;
  if (!choices.includes(lower)) throw usageError(`--${flag} must be ${choices.join(", ")}, not "${value}"`);
  return lower;
}

/**
 * The SQL text of the queries asked for, each with a comment line saying what it returns.
 *
 * @param args parsed arguments of `imc sql`.
 * @returns the statements, separated by blank lines, each ending with a semicolon.
 * @throws CliError (usage) for a missing table, an unknown dialect, query or column role.
 */
export function sqlText(args: ParsedArgs): string {
  const dialect = choice<SqlDialectName>(args, "dialect", SQL_DIALECTS, "duckdb");
  const period = choice<SqlPeriod>(args, "period", ["day", "week", "month"], "week");
  const dates = choice<DateReading>(args, "dates", ["typed", "text"], "typed");
  const ordersTable = args.values["orders-table"];
  const touchpointsTable = args.values["touchpoints-table"];
  if (ordersTable === undefined && touchpointsTable === undefined) throw usageError("imc sql needs --orders-table, --touchpoints-table or both");
  const wanted = (args.lists.query ?? []).map((q) => q.trim().toLowerCase());
  for (const q of wanted) if (!QUERIES.includes(q as QueryName)) throw usageError(`--query: "${q}" is not one of ${QUERIES.join(", ")}`);
  const queries: QueryName[] =
    wanted.length > 0 ? (wanted as QueryName[]) : [...(ordersTable !== undefined ? (["summary", "triples", "spend"] as const) : []), ...(touchpointsTable !== undefined ? (["paths"] as const) : [])];
  const columns = columnsOf(args);
  const lookbackText = args.values["lookback-days"];
  const lookbackDays = lookbackText === undefined ? undefined : Number(lookbackText);
  if (lookbackDays !== undefined && !(lookbackDays > 0 && Number.isFinite(lookbackDays))) throw usageError(`--lookback-days must be a positive number of days, not "${lookbackText}"`);

  const parts: string[] = [];
  for (const query of queries) {
    if (query === "paths") {
      if (touchpointsTable === undefined) throw usageError("--query paths needs --touchpoints-table");
      const source: TouchpointSource = {
        table: touchpointsTable,
        customer: columns.touchpoints.id,
        timestamp: columns.touchpoints.timestamp,
        channel: columns.touchpoints.channel,
        conversion: columns.touchpoints.conversion,
        order: columns.touchpoints.order || null,
      };
      const text = renderQuery(pathQuery({ dialect, touchpoints: source, lookbackDays, dates }));
      parts.push(`-- Journey paths: path (channels joined by " > "), conversions, value, nulls; an empty path holds the conversions with no touch within ${lookbackDays ?? 30} days.\n${text};`);
      continue;
    }
    if (ordersTable === undefined) throw usageError(`--query ${query} needs --orders-table`);
    const source: OrdersSource = { table: ordersTable, customer: columns.orders.id, date: columns.orders.date, value: columns.orders.value };
    const options = { dialect, orders: source, asOf: args.values["as-of"] ?? null, period, dates };
    const unit = `${period}s`;
    if (query === "summary") {
      parts.push(`-- Per-customer summary (recency and T in ${unit}): customer_id, first_purchase, last_purchase, orders, frequency, recency, t, total_value, monetary, monetary_count, non_positive_days.\n${renderQuery(customerSummaryQuery(options))};`);
    } else if (query === "triples") {
      parts.push(`-- Purchase-model data (in ${unit}): distinct frequency, recency, t with the number of customers.\n${renderQuery(tripleQuery(options))};`);
    } else {
      parts.push(`-- Gamma-Gamma data: distinct monetary_count (x), monetary (average repeat value) with the number of customers.\n${renderQuery(spendQuery(options))};`);
    }
  }
  return `-- imc sql --dialect ${dialect}\n\n${parts.join("\n\n")}\n`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.help) {
    io.stdout(sqlCommand.help);
    return 0;
  }
  const text = await withErrorContext({ flags: { as_of: "--as-of", lookback_days: "--lookback-days" } }, () => sqlText(args));
  const out = args.values.out;
  if (out === undefined || out === "-") io.stdout(text);
  else writeFileAtomically(resolvePath(io, out), text, out);
  return 0;
}

export const sqlCommand: Command = { name: "sql", summary: SUMMARY, help: helpText(SPEC, SUMMARY, DETAILS), run };
