/**
 * Generated orders and touchpoints for the DuckDB benchmarks (duckdb.bench.ts, reportFacts.bench.ts,
 * reportFrom.bench.ts): the same deterministic data in each, so their figures can be set side by side.
 */

import { execFileSync } from "node:child_process";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

/** "12.5M" for 12,500,000. */
export const millions = (n: number) => `${(n / 1e6).toLocaleString("en-US", { maximumFractionDigits: 1 })}M`;

/**
 * Orders of `rows` rows as SQL (deterministic: hashes, no random()), drawn as the Pareto/NBD story
 * goes: each customer has a first day in the first year, a purchase rate (exponentially spread, about
 * one purchase per 25 days on average) and a lifetime (exponential with a spread mean); their repeat
 * purchases fall uniformly in the part of the lifetime inside the two years. Values 5 to 155 with a
 * customer level, one order in fifty a refund of 10.
 */
export function ordersSql(rows: number): string {
  const customers = Math.max(2, Math.ceil(rows / 3));
  const unit = (expression: string) => `((hash(${expression}) % 999983 + 1) / 999984.0)`;
  return `SELECT 'C' || c AS customer_id,
      DATE '2023-01-01' + first_day + CASE WHEN k = 0 THEN 0 ELSE CAST(floor(${unit("c * 1000 + k")} * span) AS INTEGER) END AS order_date,
      CASE WHEN hash(c * 1000 + k + 7) % 50 = 0 THEN -10.0 ELSE 5 + (hash(c * 31 + 3) % 10000) / 100.0 + (hash(c * 1000 + k + 3) % 5000) / 100.0 END AS order_value
    FROM (
      SELECT c, first_day, span, unnest(range(1 + CAST(floor(rate * span) AS BIGINT))) AS k
      FROM (
        SELECT c, first_day, -ln(${unit("c * 5 + 1")}) / 25 AS rate,
          least(730 - first_day, -ln(${unit("c * 5 + 2")}) * 200 * -ln(${unit("c * 5 + 3")})) AS span
        FROM (SELECT i AS c, CAST(hash(i) % 365 AS INTEGER) AS first_day FROM range(${customers}) t(i))
      )
    )
    LIMIT ${rows}`;
}

/**
 * Touchpoints of `rows` rows as SQL (deterministic): ten rows per visitor over 120 days, five
 * channels, one row in eight a conversion worth 10 to 100 (blank conversion on the touches).
 */
export function touchpointsSql(rows: number): string {
  const customers = Math.max(2, Math.floor(rows / 10));
  return `SELECT 'V' || (i % ${customers}) AS customer_id,
      TIMESTAMP '2024-01-01 00:00:00' + to_seconds(CAST(hash(i * 3 + 11) % (120 * 86400) AS BIGINT)) AS timestamp,
      (['Email', 'Search', 'Social', 'Display', 'Direct'])[1 + CAST(hash(i * 17 + 2) % 5 AS INTEGER)] AS channel,
      CASE WHEN hash(i * 29 + 7) % 8 = 0 THEN 10 + (hash(i) % 9000) / 100.0 ELSE NULL END AS conversion
    FROM range(${rows}) t(i)`;
}

/**
 * Writes `rows` generated orders ({@link ordersSql}) as Parquet files in `dir`/orders with DuckDB
 * (not timed), flushed to disk so the timed run does not pay for their write-back.
 *
 * @param dir the bench's temporary folder (DuckDB spills into `dir`/spill).
 * @param rows the orders.
 * @param bench the bench's name, for the line saying how long it took.
 * @returns the glob of the files.
 */
export async function writeGeneratedOrders(dir: string, rows: number, bench: string): Promise<string> {
  const instance = await DuckDBInstance.create(":memory:", { temp_directory: path.join(dir, "spill"), memory_limit: "2GB" });
  const connection = await instance.connect();
  const started = Date.now();
  try {
    await connection.run(`COPY (${ordersSql(rows)}) TO '${path.join(dir, "orders")}' (FORMAT parquet, PER_THREAD_OUTPUT true)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  execFileSync("sync");
  console.log(`${bench}: generated ${millions(rows)} orders in ${((Date.now() - started) / 1000).toFixed(0)} s (not timed)`);
  return path.join(dir, "orders", "*.parquet");
}
