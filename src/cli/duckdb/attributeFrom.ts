/**
 * `imc attribute --from FILES`: attribution for a touchpoint log of any size (Parquet or CSV, globs
 * allowed). DuckDB cuts the log into journeys with the path SQL (src/sql/queries.ts: the cutting of
 * IMC.ATTRIBUTE.EVENTS) and groups them by path; the runner feeds the distinct paths with their
 * conversions, value and nulls to the engine's one-pass aggregator, as `imc attribute` does with
 * path data. Memory grows with the distinct paths, not the rows.
 *
 * The path query's windows and ordered string aggregation do not spill to disk, so a large log runs
 * in customer batches: the customers are split by a hash of their id into one batch per
 * {@link BATCH_ROWS} rows (IMC_ATTRIBUTE_BATCH_ROWS overrides it): one pass splits the log's four
 * columns into one Parquet part per batch in the spill folder, each part is cut on its own (a
 * customer's journeys lie in one batch) and the paths are summed across batches here.
 *
 * The time-decay model on grouped paths uses the path-data convention (touch i of L is L − i days
 * before the conversion); with the touch times, IMC.ATTRIBUTE.EVENTS and `imc attribute log.csv`
 * use the real times. The other models are the same as on the log.
 */

import { BLANK_TOUCH_CHANNEL_PROBLEM, negativeConversionProblem } from "../../engine/attribution/touchpointLog";
import { EngineError } from "../../engine/errors";
import { aggregatorFor, attributionRows, type ModelRequest } from "../../functions/attribution";
import type { SpillCell } from "../../functions/table";
import { pathQuery, renderQuery, type TouchpointSource } from "../../sql/queries";
import { TOUCHPOINT_COLUMNS } from "../csv/columns";
import type { CliIo } from "../io";
import { Progress } from "../progress";
import { duckDbError, openDuckDb, splitByCustomer, type DuckDb } from "./connection";
import { fileSource, type DateOrder } from "./source";
import type { DecimalMark, ValueRule } from "./valueReading";

/** Rows of the log per customer batch of the path query: at 5M rows one batch peaked at 1.1 GB, at 2.5M at 0.8 GB. */
export const BATCH_ROWS = 2_500_000;

/** A path's sums across batches: conversions, value, nulls. */
type PathSums = [conversions: number, value: number, nulls: number];

/**
 * The number of customer batches for a log of `rows` rows: one per `batchRows` rows, at least one.
 *
 * @param rows rows in the log.
 * @param batchRows rows per batch, > 0.
 * @returns the batch count.
 */
export function batchCount(rows: number, batchRows: number): number {
  return Math.max(1, Math.ceil(rows / batchRows));
}

/** Rows per batch: IMC_ATTRIBUTE_BATCH_ROWS when it is a positive number, else {@link BATCH_ROWS}. */
export function batchRows(): number {
  const fromEnv = Number(process.env.IMC_ATTRIBUTE_BATCH_ROWS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : BATCH_ROWS;
}

/**
 * Runs the path query batch by batch and sums the paths (path NULL: the conversions without a touch
 * in the look-back), in the query's order: conversions descending, then path.
 */
async function batchedPaths(db: DuckDb, touchpoints: TouchpointSource, options: AttributeFromOptions, dates: "typed" | "text", progress: Progress): Promise<[string | null, ...PathSums][]> {
  const counted = await db.rows(`SELECT COUNT(*) FROM ${touchpoints.relation ?? ""}`);
  const batches = batchCount(Number(counted.rows[0][0]), batchRows());
  const sums = new Map<string | null, PathSums>();
  if (batches > 1) progress.stage(`attribute: splitting ${options.display} into ${batches} customer batches…`);
  const parts =
    batches === 1
      ? [touchpoints.relation ?? ""]
      : await splitByCustomer(
          db,
          touchpoints.relation ?? "",
          // The row-order column (the log's order at equal times) goes with the parts.
          [touchpoints.customer, touchpoints.timestamp, touchpoints.channel, touchpoints.conversion, ...(touchpoints.order ? [touchpoints.order] : [])],
          batches,
        );
  for (let k = 0; k < parts.length; k++) {
    const relation = parts[k];
    if (relation === null) continue;
    if (batches > 1) progress.stage(`attribute: cutting customer batch ${k + 1} of ${batches} into journeys with DuckDB…`);
    const sql = renderQuery(pathQuery({ dialect: "duckdb", touchpoints: { ...touchpoints, relation }, lookbackDays: options.lookbackDays, dates }));
    for (const [path, conversions, value, nulls] of (await db.rows(sql)).rows) {
      const key = path === null ? null : String(path);
      const sum = sums.get(key) ?? [0, 0, 0];
      sum[0] += Number(conversions);
      sum[1] += Number(value);
      sum[2] += Number(nulls);
      sums.set(key, sum);
    }
  }
  return [...sums]
    .map(([path, sum]): [string | null, ...PathSums] => [path, ...sum])
    .sort((a, b) => b[1] - a[1] || (a[0] === null ? 1 : b[0] === null ? -1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * Conversion values as `imc attribute` reads them (readTouchpointLog): a blank one is a touch, a
 * negative one stops the run with the engine's words.
 */
const CONVERSION_RULE: ValueRule = {
  argument: "conversions",
  blankIsError: false,
  negative: negativeConversionProblem,
};

/** What the route needs from the command's options. */
export interface AttributeFromOptions {
  readonly display: string;
  readonly pattern: string;
  readonly overrides: { customer?: string; timestamp?: string; channel?: string; conversion?: string };
  /** --date-order: the day/month order of time text, for a column that does not show it. */
  readonly dateOrder?: DateOrder;
  /** --decimal: the decimal mark of amounts written as text, for a column that does not show it. */
  readonly decimal?: DecimalMark;
  readonly request: ModelRequest;
  readonly lookbackDays: number;
  readonly halfLifeDays: number;
}

/**
 * Runs the route.
 *
 * @returns the table of `imc attribute` (Channel, Conversions, Value, Share…).
 * @throws CliError for files DuckDB cannot read or columns not found; EngineError INSUFFICIENT_DATA
 *   when no conversion has a touch within the look-back.
 */
export async function attributeFromFiles(options: AttributeFromOptions, io: CliIo): Promise<SpillCell[][]> {
  const progress = new Progress(io, "attribute");
  const db = await openDuckDb();
  try {
    const source = await fileSource(db, options.pattern, options.display, TOUCHPOINT_COLUMNS, options.overrides, "timestamp", {
      id: "customer",
      dateOrder: options.dateOrder,
      decimal: options.decimal,
      rowOrder: true,
      value: {
        role: "conversion",
        rule: CONVERSION_RULE,
        touchLabel: { role: "channel", problem: BLANK_TOUCH_CHANNEL_PROBLEM },
      },
    });
    // What reading left out or interpreted matters to the numbers: always said, as imc report says it.
    for (const note of source.notes) io.stderr(`imc attribute: ${note}\n`);
    const touchpoints: TouchpointSource = {
      table: "",
      relation: source.relation,
      customer: source.columns.customer,
      timestamp: source.columns.timestamp,
      channel: source.columns.channel,
      conversion: source.columns.conversion,
      order: source.order,
      trimmedIds: true,
    };
    progress.stage(`attribute: cutting ${options.display} into journeys with DuckDB…`);
    let rows: [string | null, ...PathSums][];
    try {
      rows = await batchedPaths(db, touchpoints, options, source.dates, progress);
    } catch (error) {
      throw duckDbError(error, options.display);
    }
    const aggregator = aggregatorFor(options.request, options.halfLifeDays);
    let unattributedConversions = 0;
    let unattributedValue = 0;
    let converting = 0;
    let conversions = 0;
    for (const [path, conversionCount, value, nulls] of rows) {
      const c = conversionCount;
      conversions += c;
      if (path === null) {
        unattributedConversions += c;
        unattributedValue += value;
        continue;
      }
      converting += c;
      aggregator.addPath(path, ">", c, value, nulls);
    }
    if (converting === 0) {
      throw new EngineError(
        "INSUFFICIENT_DATA",
        `none of the ${conversions} conversions has a touch within --lookback-days (${options.lookbackDays} days) before it; nothing to attribute`,
      );
    }
    progress.stage(`attribute: ${rows.length.toLocaleString("en-US")} distinct paths…`);
    return attributionRows(aggregator.result(), options.request, true, { conversions: unattributedConversions, value: unattributedValue });
  } finally {
    db.close();
  }
}
