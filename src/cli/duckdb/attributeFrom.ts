/**
 * `imc attribute --from FILES`: attribution for a touchpoint log of any size (Parquet or CSV, globs
 * allowed). DuckDB cuts the log into journeys with the path SQL (src/sql/queries.ts: the cutting of
 * IMC.ATTRIBUTE.EVENTS) and groups them by path; the runner feeds the distinct paths with their
 * conversions, value and nulls to the engine's one-pass aggregator, as `imc attribute` does with
 * path data. Memory grows with the distinct paths, not the rows.
 *
 * The time-decay model on grouped paths uses the path-data convention (touch i of L is L − i days
 * before the conversion); with the touch times, IMC.ATTRIBUTE.EVENTS and `imc attribute log.csv`
 * use the real times. The other models are the same as on the log.
 */

import { EngineError } from "../../engine/errors";
import { aggregatorFor, attributionRows, type ModelRequest } from "../../functions/attribution";
import type { SpillCell } from "../../functions/table";
import { pathQuery, renderQuery, type TouchpointSource } from "../../sql/queries";
import { TOUCHPOINT_COLUMNS } from "../csv/columns";
import type { CliIo } from "../io";
import { Progress } from "../progress";
import { duckDbError, openDuckDb } from "./connection";
import { fileSource } from "./source";

/** What the route needs from the command's options. */
export interface AttributeFromOptions {
  readonly display: string;
  readonly pattern: string;
  readonly overrides: { customer?: string; timestamp?: string; channel?: string; conversion?: string };
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
    const source = await fileSource(db, options.pattern, options.display, TOUCHPOINT_COLUMNS, options.overrides, "timestamp");
    const touchpoints: TouchpointSource = {
      table: "",
      relation: source.relation,
      customer: source.columns.customer,
      timestamp: source.columns.timestamp,
      channel: source.columns.channel,
      conversion: source.columns.conversion,
    };
    progress.stage(`attribute: cutting ${options.display} into journeys with DuckDB…`);
    let rows: unknown[][];
    try {
      rows = (await db.rows(renderQuery(pathQuery({ dialect: "duckdb", touchpoints, lookbackDays: options.lookbackDays, dates: source.dates })))).rows;
    } catch (error) {
      throw duckDbError(error, options.display);
    }
    const aggregator = aggregatorFor(options.request, options.halfLifeDays);
    let unattributedConversions = 0;
    let unattributedValue = 0;
    let converting = 0;
    let conversions = 0;
    for (const [path, conversionCount, value, nulls] of rows) {
      const c = Number(conversionCount);
      conversions += c;
      if (path === null) {
        unattributedConversions += c;
        unattributedValue += Number(value);
        continue;
      }
      converting += c;
      aggregator.addPath(String(path), ">", c, Number(value), Number(nulls));
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
