/**
 * `imc report --from` on a touchpoint log too large to read row by row (more cells than
 * --max-cells): the table and its columns are found in the file's first rows by the report's own
 * detection, then DuckDB reads the whole log out of core (src/cli/duckdb/source.ts, with the reading
 * rules of `imc attribute --from`) and summarises it into what the Attribution and Journey tabs are
 * built from (src/reports/summarisedTouchpoints.ts). Memory is bounded by the summaries (distinct
 * paths, channels, stages), not by the rows.
 */

import { BLANK_TOUCH_CHANNEL_PROBLEM, negativeConversionProblem } from "../../../engine/attribution/touchpointLog";
import type { FoundTable } from "../../../reports/detect";
import type { OrdersInput, TouchpointExtras, TouchpointsInput } from "../../../reports/inputs";
import type { SummarisedTouchpoints } from "../../../reports/summarisedTouchpoints";
import { TOUCHPOINT_COLUMNS } from "../../csv/columns";
import { CliError } from "../../errors";
import { duckRows as query, openDuckDb, type DuckDb } from "../connection";
import { fileSource, type DateOrder, type FileSource } from "../source";
import type { DecimalMark, ValueRule } from "../valueReading";
import type { OversizedFiles } from "../fileSheets";
import { foundHeader, outOfCoreNotes } from "./summariseOrders";

/** Conversion values as the report reads them (readTouchpointLog): blank is a touch, negative stops the run. */
const CONVERSION_RULE: ValueRule = { argument: "conversions", blankIsError: false, negative: negativeConversionProblem };

/** The run's reading options. */
export interface TouchpointRunOptions {
  readonly dateOrder?: DateOrder;
  readonly decimal?: DecimalMark;
}

/** The touchpoint log opened in DuckDB, with what the summaries are computed on. */
export interface OpenTouchpoints {
  readonly db: DuckDb;
  /** The log's four columns (ids trimmed text, times TIMESTAMP, conversion values DOUBLE), numbered in file order (`source.order`). */
  readonly source: FileSource<"customer" | "timestamp" | "channel" | "conversion">;
  /** Headers of the stage and content columns in `source.relation` (raw cells as the file holds them), when the log has them. */
  readonly extras: { readonly stage: string | null; readonly content: string | null };
  readonly display: string;
  /** The file or glob DuckDB reads (resolved). */
  readonly pattern: string;
  /** Rows of the log. */
  readonly rowCount: number;
  /** The orders of the run (rows in memory, or summarised out of core), or null without orders. */
  readonly orders: OrdersInput | null;
}

/** The parts of SummarisedTouchpoints beyond the row count, computed on the open log. */
export type TouchpointParts = (log: OpenTouchpoints) => Promise<Omit<SummarisedTouchpoints, "rowCount">>;

/**
 * Reads the touchpoint log out of core and summarises it.
 *
 * @param files the oversized files (from readFileSheets with `oversized: "head"`).
 * @param display the files as the user named them.
 * @param found where the detection found the log in the files' first rows, and its columns.
 * @param orders the run's orders, or null.
 * @param options reading options.
 * @param parts computes the tabs' summaries on the open log.
 * @returns a TouchpointsInput without rows, carrying the summaries, and the notes of the reading.
 * @throws CliError as `fileSource` does for a bad cell, and when the log has no row.
 */
export async function summariseTouchpoints(
  files: OversizedFiles,
  display: string,
  found: FoundTable,
  orders: OrdersInput | null,
  options: TouchpointRunOptions,
  parts: TouchpointParts,
): Promise<{ readonly touchpoints: TouchpointsInput & TouchpointExtras; readonly notes: readonly string[] }> {
  const header = (role: "stage" | "content"): string | null => (found.columns[role] === undefined ? null : foundHeader(found, role, "summariseTouchpoints"));
  const required = (role: "customerId" | "timestamp" | "channel" | "conversion"): string => foundHeader(found, role, "summariseTouchpoints");
  const db = await openDuckDb();
  try {
    const source = await fileSource(
      db,
      files.pattern,
      display,
      TOUCHPOINT_COLUMNS,
      { customer: required("customerId"), timestamp: required("timestamp"), channel: required("channel"), conversion: required("conversion") },
      "timestamp",
      {
        id: "customer",
        dateOrder: options.dateOrder,
        decimal: options.decimal,
        rowOrder: true,
        value: { role: "conversion", rule: CONVERSION_RULE, touchLabel: { role: "channel", problem: BLANK_TOUCH_CHANNEL_PROBLEM } },
      },
    );
    const rowCount = Number((await query(db, `SELECT COUNT(*) FROM ${source.relation}`, display))[0][0]);
    if (rowCount === 0) throw new CliError("there are no touches in the files", { file: display });
    const log: OpenTouchpoints = { db, source, extras: { stage: header("stage"), content: header("content") }, display, pattern: files.pattern, rowCount, orders };
    const summarised: SummarisedTouchpoints = { rowCount, ...(await parts(log)) };
    const notes = outOfCoreNotes(`${rowCount.toLocaleString("en-US")} touchpoint rows`, files, "summarised out of core with DuckDB", source, display);
    const touchpoints = {
      source: `${display} (${rowCount.toLocaleString("en-US")} touchpoint rows, summarised)`,
      readingNotes: notes,
      customerIds: [],
      timestamps: [],
      channels: [],
      conversions: [],
      summarised,
    };
    return { touchpoints, notes };
  } finally {
    db.close();
  }
}
