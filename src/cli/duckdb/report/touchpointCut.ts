/**
 * `imc report --from FILES`: a touchpoint log read out of core cut into journeys once, for both the
 * Attribution and the Journey facts (attributionFacts.ts, journeyFacts.ts).
 *
 * The cutting is the path SQL's (journeyCutCtes in src/sql/queries.ts): a customer's rows in time
 * order, touches before a conversion at equal times, then the log's order. As `imc attribute --from`
 * runs it, a large log is cut in customer batches (IMC_ATTRIBUTE_BATCH_ROWS rows per batch, default
 * BATCH_ROWS: the cutting's windows are the costly sort), after one split of the log into a Parquet
 * part per batch (a customer's rows are all in one). Each batch's cut rows go into a temporary table,
 * read by every part of the run in turn, then dropped ({@link readBatches}): one batch's rows are
 * held at a time, and the cut, the largest cost of either part (measured on 5M rows: about half of
 * each), is paid once by a run building both tabs. Each part reads a batch's table through a view
 * of its own (its queries then need not name the batch).
 *
 * A cut table's columns: customer_id, touch_time, channel (the channel's number, its rank by
 * trimmed name from 0 in {@link CUT_CODES}, NULL when blank: a path is then a list of numbers that
 * no channel name can break; the names are replaced before the cutting's sort, which then carries
 * a number rather than a text, 15–20% faster on 2.5M rows), conversion, is_conversion, the
 * pass-through columns asked for, journey, conversion_time, seq (see journeyCutCtes), and with
 * `customerFirst` the customer's first row in the log (customer_first).
 */

import { journeyCutCtes, renderQuery } from "../../../sql/queries";
import { batchCount, batchRows } from "../attributeFrom";
import { duckDbError, duckRows as rows, duckRun as run, duckSplit } from "../connection";
import type { OpenTouchpoints } from "./summariseTouchpoints";

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** What the parts reading a cut need from it. */
export interface CutNeeds {
  /** More columns of the log carried through, as [column name, alias] pairs. */
  readonly passThrough: readonly (readonly [column: string, alias: string])[];
  /** Whether each row carries its customer's first row in the log (customer_first; the log must have its row-order column). */
  readonly customerFirst: boolean;
}

/** A log cut into journeys: one temporary table per customer batch. */
export interface TouchpointCut {
  /** Customer batches (each customer's rows in one). */
  readonly batches: number;
  /** Batch k's table (cut when first asked for, then kept until dropped), or null when no row fell in it. */
  table(k: number): Promise<string | null>;
  /** The needs it was cut for. */
  readonly needs: CutNeeds;
  /** The channels' names by their code. */
  readonly names: readonly string[];
}

/** The prefix of the cut tables' names. */
const CUT_TABLE = "imc_tp_cut";
/** The channels' codes while a cut lasts: channel (trimmed name), code (its number in the cut tables). */
export const CUT_CODES = "imc_tp_codes";

/**
 * The needs of several parts together: every pass-through column any asks for (once per alias), the
 * customer's first row if any asks for it.
 *
 * @param needs each part's needs.
 * @returns what a cut read by all of them must hold.
 */
export function unionOfNeeds(...needs: readonly CutNeeds[]): CutNeeds {
  const passThrough = new Map<string, readonly [string, string]>();
  for (const need of needs) for (const pair of need.passThrough) if (!passThrough.has(pair[1])) passThrough.set(pair[1], pair);
  return { passThrough: [...passThrough.values()], customerFirst: needs.some((need) => need.customerFirst) };
}

/** A part computed on a cut log batch by batch: fed each batch's cut table in turn (its facts are then finished by the part's own means). */
export interface BatchReader {
  /** Reads batch `k`'s cut table (its share of the part's facts). */
  batch(k: number, table: string): Promise<void>;
}

/**
 * A table of a cut's journeys, filled batch by batch by the part that makes it (the Journey facts):
 * one row per journey with path (the kept touches' codes in order, joined by commas, {@link CUT_PATH_SQL}),
 * converted (0 or 1), value (the conversion's value when converted) and touches (kept touches; 0:
 * a conversion with no touch in its window), the touches kept within `lookbackDays`.
 */
export interface CutJourneys {
  readonly table: string;
  readonly lookbackDays: number;
}

/**
 * Whether a cut row is a touch kept in its journey's path: a channel, and within the look-back of
 * the conversion closing the journey (any time when no conversion closes it).
 *
 * @param lookbackMicros the look-back in microseconds, as text (pathLookbackMicros).
 * @returns a boolean SQL expression on a cut table's columns.
 */
export function keptTouchSql(lookbackMicros: string): string {
  return `(channel IS NOT NULL AND (conversion_time IS NULL OR EPOCH_US(conversion_time) - EPOCH_US(touch_time) <= ${lookbackMicros}))`;
}

/**
 * A journey's path in a GROUP BY of a cut's journeys (with a boolean `kept`, {@link keptTouchSql}):
 * the kept touches' channel codes in time order (seq), joined by commas. The path is built from the
 * (seq, code) pairs sorted: an ordered aggregate (list(code ORDER BY seq), or the path SQL's
 * string_agg) sorts per group and took 2–3 times as long (measured on 2.5M rows).
 */
export const CUT_PATH_SQL = "array_to_string(list_transform(list_sort(list({'s': seq, 'c': channel}) FILTER (WHERE kept)), lambda t: t.c), ',')";

/**
 * Feeds a cut batch by batch to several parts: each batch is cut once, read by every part, then
 * dropped, so one batch's rows are held at a time whatever the parts (holding every batch until all
 * parts had read them spilled to disk: 20M rows, 88 s against 72 s cut once per part). The caller
 * then finishes each part.
 *
 * @param log the open log.
 * @param cut the cut (its tables are dropped as read; {@link dropCut} removes the rest).
 * @param readers the parts, each fed every batch in turn.
 */
export async function readBatches(log: OpenTouchpoints, cut: TouchpointCut, readers: readonly BatchReader[]): Promise<void> {
  for (let k = 0; k < cut.batches; k++) {
    const table = await cut.table(k);
    if (table === null) continue;
    for (const reader of readers) await reader.batch(k, table);
    await run(log.db, `DROP TABLE IF EXISTS ${table}`, log.display);
  }
}

/**
 * Cuts the log into journeys, batch by batch, into temporary tables (see the file header).
 *
 * @param log the open log.
 * @param needs the columns the reading parts need.
 * @returns the cut; {@link dropCut} removes its tables.
 * @throws CliError naming the files when DuckDB cannot read them.
 */
export async function cutTouchpoints(log: OpenTouchpoints, needs: CutNeeds): Promise<TouchpointCut> {
  const { db, source, display } = log;
  const c = source.columns;
  // The row order breaks ties in time (the channel would, and it is replaced by its number).
  if (source.order === null) throw new Error("cutTouchpoints: the log was opened without its row-order column (a bug)");
  // Channel codes by name: the only per-channel table read before the cut.
  await run(
    db,
    `CREATE OR REPLACE TEMP TABLE ${CUT_CODES} AS SELECT channel, CAST(ROW_NUMBER() OVER (ORDER BY channel) - 1 AS INTEGER) AS code FROM (SELECT DISTINCT NULLIF(TRIM(CAST(${quote(c.channel)} AS VARCHAR)), '') AS channel FROM ${source.relation}) WHERE channel IS NOT NULL`,
    display,
  );
  const names: string[] = [];
  for (const [channel, code] of await rows(db, `SELECT channel, code FROM ${CUT_CODES} ORDER BY code`, display)) names[Number(code)] = String(channel);
  const batches = batchCount(log.rowCount, batchRows());
  const columns = [c.customer, c.timestamp, c.channel, c.conversion, ...(source.order === null ? [] : [source.order]), ...needs.passThrough.map(([column]) => column)];
  const parts = batches === 1 ? [source.relation] : await duckSplit(db, source.relation, columns, batches, display);
  const made = new Map<number, string>();
  const table = async (k: number): Promise<string | null> => {
    const relation = parts[k];
    if (relation === null) return null;
    const had = made.get(k);
    if (had !== undefined) return had;
    const name = `${CUT_TABLE}_${k}`;
    const ctes = journeyCutCtes(
      {
        dialect: "duckdb",
        touchpoints: { table: "", relation, customer: c.customer, timestamp: c.timestamp, channel: c.channel, conversion: c.conversion, order: source.order, trimmedIds: true },
        dates: source.dates,
      },
      needs.passThrough,
      needs.customerFirst,
    );
    // The channels' numbers in place of their names, before the cutting's sort: log_rows renamed, read through a join.
    const [[logRows, read], cutting] = ctes;
    if (logRows !== "log_rows") throw new Error("cutTouchpoints: journeyCutCtes no longer starts with log_rows (a bug)");
    const query = renderQuery({
      ctes: [["read_rows", read], ["log_rows", `SELECT r.* REPLACE (k.code AS channel) FROM read_rows AS r LEFT JOIN ${CUT_CODES} AS k ON r.channel = k.channel`], cutting],
      select: "SELECT * FROM cut",
    });
    await run(db, `CREATE OR REPLACE TEMP TABLE ${name} AS ${query}`, display);
    made.set(k, name);
    return name;
  };
  return { batches: parts.length, table, needs, names };
}

/**
 * Removes a cut's tables.
 *
 * @param log the open log.
 * @param cut the cut.
 */
export async function dropCut(log: OpenTouchpoints, cut: TouchpointCut): Promise<void> {
  for (const table of [...Array.from({ length: cut.batches }, (_, k) => `${CUT_TABLE}_${k}`), CUT_CODES]) await run(log.db, `DROP TABLE IF EXISTS ${table}`, log.display);
}

/**
 * Streams a query's rows chunk by chunk, so the runner holds one chunk of them at a time (a result
 * read whole as JS rows took twice the memory of what the parts make of it).
 *
 * @param log the open log.
 * @param sql the query.
 * @param take called with each chunk's columns (their values as JS values) and its row count.
 * @throws CliError naming the files when DuckDB fails.
 */
export async function streamRows(log: OpenTouchpoints, sql: string, take: (columns: readonly (readonly unknown[])[], n: number) => void): Promise<void> {
  try {
    const result = await log.db.connection.stream(sql);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      take(
        Array.from({ length: chunk.columnCount }, (_, c) => chunk.getColumnValues(c)),
        chunk.rowCount,
      );
    }
  } catch (error) {
    throw duckDbError(error, log.display);
  }
}
