/**
 * `imc report --from FILES`: the Journey tab's facts (src/reports/journey/facts.ts) from a touchpoint
 * log read out of core by DuckDB, equal to the facts of the same log read row by row.
 *
 * The journeys are cut by the path SQL's journey cutting (journeyCutCtes in src/sql/queries.ts, the
 * cutting of IMC.ATTRIBUTE.EVENTS: a customer's rows in time order, touches before a conversion at
 * equal times, then the log's order; a conversion's journey is the customer's touches after their
 * previous conversion and at most 30 days before it; the touches after the last conversion form one
 * journey that did not convert; a conversion with no touch in its window is in no journey). Each
 * journey becomes one row of a temporary table (converted, value, channels in order (as their
 * numbers, touchpointCut.ts, joined by commas), touches, days from first touch to the end, and with
 * the orders in memory the customer, first touch day and month it ended in, else whether the
 * customer converted before), and each (journey, stage, content) seen one row of another; the facts
 * are GROUP BYs over them, the medians DuckDB's `median` (the mean of the two middle values for an
 * even count, as the engine's). The runner reads only the groups, the paths streamed: distinct paths,
 * stages, contents.
 *
 * As `imc attribute --from`, a large log is cut in customer batches (IMC_ATTRIBUTE_BATCH_ROWS rows
 * per batch, default BATCH_ROWS): the window functions of the cutting do not spill to disk. The cut
 * is touchpointCut.ts's, read batch by batch ({@link journeyReader}); a run building both tabs feeds
 * each batch to the Attribution facts too, which group this part's journeys into their paths.
 *
 * Orders: read row by row (bounded by --max-cells), each customer's first order day is loaded into
 * DuckDB (returning: an order on a day before the journey's first touch), and the customers' RFM
 * segments at the first day of each month a journey ended in (when months × customers stays under
 * {@link MAX_RFM_ROWS}; else the RFM split is left out, said so). Summarised out of core, or none:
 * returning is told from the log's earlier conversions and there is no RFM split, as on the
 * in-memory route.
 *
 * Times: a TIMESTAMP's serial is 25569 + its epoch microseconds / 86,400,000,000 (the in-memory
 * route adds the time of day to the date's serial), so first and last times and days may differ from
 * it in the last bits.
 */

import { PATH_LENGTH_BANDS } from "../../../engine/journeys";
import { transactionsOf } from "../../../reports/format";
import {
  canonicalJourneyFacts,
  firstOrderDays,
  JOURNEY_LOOKBACK_DAYS,
  journeyOrdersOf,
  NO_EARLIER_ORDERS,
  rfmSegmentsBefore,
  STAGE_ORDER,
  type JourneyFacts,
  type LengthDaysFact,
  type PathFact,
  type StageContentFact,
  type StageFact,
  type TouchCountFact,
} from "../../../reports/journey/facts";
import { pathLookbackMicros } from "../../../sql/queries";
import { duckRows as rows, duckRun as run, type DuckDb } from "../connection";
import { trimmedText } from "../dateReading";
import type { OpenTouchpoints } from "./summariseTouchpoints";
import { CUT_CODES, CUT_PATH_SQL, cutTouchpoints, dropCut, keptTouchSql, readBatches, streamRows, type BatchReader, type CutJourneys, type CutNeeds } from "./touchpointCut";

/** Customer × month rows of RFM segments loaded at most (beyond, the RFM split is left out). */
export const MAX_RFM_ROWS = 10_000_000;

/** Microseconds in a day. */
const DAY_MICROS = 86_400_000_000;
/** The serial of 1970-01-01. */
const EPOCH_SERIAL = 25_569;

const JOURNEYS = "imc_tp_journeys";
const MARKS = "imc_tp_marks";
const FIRST_ORDERS = "imc_tp_first_orders";
const SEGMENTS = "imc_tp_segments";
const STAGE_TABLE = "imc_tp_stage_table";

/** Where the touches' stages come from: the log's column (its header), or the channel → stage table loaded in DuckDB. */
type StageSource = { readonly column: string } | { readonly table: string };

const num = (value: unknown): number => Number(value);
const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Serial of a TIMESTAMP's epoch microseconds. */
const serialOfMicros = (micros: unknown): number => EPOCH_SERIAL + num(micros) / DAY_MICROS;

/** A stage cell as stageName reads it: trimmed, one of the canonical names when it matches one case-insensitively; NULL when blank. */
function stageSql(column: string): string {
  const text = trimmedText(quote(column));
  const cases = STAGE_ORDER.map((stage) => `WHEN '${stage.toLowerCase()}' THEN '${stage}'`).join(" ");
  return `CASE lower(${text}) ${cases} ELSE NULLIF(${text}, '') END`;
}

/** A content cell trimmed; NULL when blank. */
function contentSql(column: string): string {
  return `NULLIF(${trimmedText(quote(column))}, '')`;
}

/** Days from 1899-12-30 to a DATE: the integer serial. */
const serialDay = (date: string): string => `date_diff('day', DATE '1899-12-30', ${date})`;

/**
 * The journey facts of a touchpoint log opened in DuckDB.
 *
 * @param log the open log (see summariseTouchpoints.ts), with the run's orders.
 * @param stageTable the channel → stage table (stageTableOf: stage by channel, trimmed and lower
 *   case), for a log without a stage column; without it such a log's contents are not counted per
 *   stage (stageContents null), and the tab says so.
 * @returns the facts, in canonical order, as journeyFactsOf gives them for the same rows.
 * @throws CliError naming the files when DuckDB cannot read them.
 */
export async function journeyFactsFrom(log: OpenTouchpoints, stageTable: ReadonlyMap<string, string> | null = null): Promise<JourneyFacts> {
  const reader = await journeyReader(log, stageTable);
  const cut = await cutTouchpoints(log, reader.needs);
  try {
    await readBatches(log, cut, [reader]);
    return await reader.finish(cut.names);
  } finally {
    await dropCut(log, cut);
  }
}

/** The journey facts computed on a cut log batch by batch (see {@link journeyReader}). */
export interface JourneyReader extends BatchReader {
  /** What the facts read from the cut (the stage and content columns they count). */
  readonly needs: CutNeeds;
  /** The journeys' table, filled batch by batch and kept until the finish (another part may group its paths before). */
  readonly journeys: CutJourneys;
  /** The facts, once every batch has been read, given the cut's channel names by code; drops the tables. */
  finish(names: readonly string[]): Promise<JourneyFacts>;
}

/**
 * Starts the journey facts of a touchpoint log opened in DuckDB: the log's plain aggregates now, the
 * journeys batch by batch from its cut (touchpointCut.ts, with {@link JourneyReader.needs}), the
 * facts at the finish.
 *
 * @param log the open log, with the run's orders.
 * @param stageTable as {@link journeyFactsFrom}.
 * @returns the reader.
 * @throws CliError naming the files when DuckDB cannot read them.
 */
export async function journeyReader(log: OpenTouchpoints, stageTable: ReadonlyMap<string, string> | null = null): Promise<JourneyReader> {
  const { db, source, display, extras } = log;
  const relation = source.relation;
  const c = source.columns;
  const stageColumn = extras.stage;
  const contentColumn = extras.content;

  // The log: rows, times, conversions (the ids are counted batch by batch, below).
  const [[count, firstUs, lastUs, conversions]] = await rows(
    db,
    `SELECT COUNT(*), MIN(EPOCH_US(${quote(c.timestamp)})), MAX(EPOCH_US(${quote(c.timestamp)})), COUNT(*) FILTER (WHERE COALESCE(${quote(c.conversion)}, 0) > 0) FROM ${relation}`,
    display,
  );
  const channelOrder = source.order === null ? `MIN(${quote(c.channel)})` : `MIN(${quote(source.order)})`;
  const channels = (
    await rows(db, `SELECT channel FROM (SELECT NULLIF(TRIM(CAST(${quote(c.channel)} AS VARCHAR)), '') AS channel, ${channelOrder} AS first_row FROM ${relation} GROUP BY channel) WHERE channel IS NOT NULL ORDER BY first_row`, display)
  ).map(([name]) => String(name));
  const anyNonBlank = async (column: string | null, sql: (column: string) => string): Promise<boolean> => {
    if (column === null) return false;
    const [[found]] = await rows(db, `SELECT EXISTS (SELECT 1 FROM ${relation} WHERE ${sql(column)} IS NOT NULL)`, display);
    return found === true;
  };
  const hasStages = await anyNonBlank(stageColumn, stageSql);
  const hasContents = await anyNonBlank(contentColumn, contentSql);

  // Stages from the log's column, else from the channel → stage table (loaded for a join on the channel).
  let stages: StageSource | null = hasStages ? { column: stageColumn! } : null;
  if (stages === null && stageTable !== null && stageTable.size > 0) {
    await run(db, `CREATE OR REPLACE TABLE ${STAGE_TABLE} (channel_key VARCHAR, stage VARCHAR)`, display);
    await append(db, STAGE_TABLE, stageTable, (appender, [channel, stage]) => {
      appender.appendVarchar(channel);
      appender.appendVarchar(stage);
    });
    stages = { table: STAGE_TABLE };
  }

  // One row per journey, one per (journey, stage, content) seen, batch by batch.
  // A path is grouped and read as its channels' numbers (touchpointCut.ts) joined by commas: text
  // groups and reads faster than a list of names, and no name can break it.
  const ordersAre = journeyOrdersOf(log.orders);
  const journeys = await journeyTables(log, stages, stages !== null && hasContents ? contentColumn : null, ordersAre === "rows");
  const finish = async (channelNames: readonly string[]): Promise<JourneyFacts> => {
    // Returning and RFM segments.
    let returningSql = "j.converted_before";
    let segmentSql = "NULL";
    let joins = "";
    let rfm = false;
    let rfmLeftOut: string | null = null;
    if (ordersAre === "rows") {
      const transactions = transactionsOf(log.orders!);
      const firstOrder = firstOrderDays(transactions);
      await run(db, `CREATE OR REPLACE TABLE ${FIRST_ORDERS} (id VARCHAR, day INTEGER)`, display);
      await append(db, FIRST_ORDERS, firstOrder, (appender, [id, day]) => {
        appender.appendVarchar(id);
        appender.appendInteger(day);
      });
      joins += ` LEFT JOIN ${FIRST_ORDERS} f ON f.id = j.customer_id`;
      returningSql = "COALESCE(f.day < j.start_day, false)";
      const months = (await rows(db, `SELECT DISTINCT end_month FROM ${JOURNEYS} WHERE touches > 0 ORDER BY end_month`, display)).map(([m]) => num(m));
      if (months.length * firstOrder.size > MAX_RFM_ROWS) {
        rfmLeftOut = `the RFM segments at each of the ${months.length} months of the log for ${firstOrder.size.toLocaleString("en-US")} customers are more than ${MAX_RFM_ROWS.toLocaleString("en-US")} to look through`;
      } else {
        rfm = true;
        await run(db, `CREATE OR REPLACE TABLE ${SEGMENTS} (month INTEGER, id VARCHAR, segment VARCHAR)`, display);
        for (const month of months) {
          const segments = rfmSegmentsBefore(transactions, month);
          await append(db, SEGMENTS, segments, (appender, [id, segment]) => {
            appender.appendInteger(month);
            appender.appendVarchar(id);
            appender.appendVarchar(segment);
          });
        }
        joins += ` LEFT JOIN ${SEGMENTS} s ON s.month = j.end_month AND s.id = j.customer_id`;
        segmentSql = `COALESCE(s.segment, '${NO_EARLIER_ORDERS.replace(/'/g, "''")}')`;
      }
    }

    // The paths streamed in (nearly) their canonical order, so that sorting them (canonicalJourneyFacts)
    // only checks the order: channel codes rank the names as the canonical order does but for names
    // outside the Basic Multilingual Plane. A path's rows come together: its channel list is made once.
    let lastPath = "";
    let lastNames: string[] = [];
    const channelsOf = (path: string): string[] => {
      if (path !== lastPath) {
        lastPath = path;
        lastNames = path.split(",").map((code) => channelNames[Number(code)]);
      }
      return lastNames;
    };
    const paths: PathFact[] = [];
    await streamRows(
      log,
      `SELECT path, is_returning, segment_name, CAST(SUM(converted) AS DOUBLE), CAST(SUM(1 - converted) AS DOUBLE), SUM(CASE WHEN converted = 1 THEN value ELSE 0 END)
       FROM (SELECT j.path, j.converted, j.value, ${returningSql} AS is_returning, ${segmentSql} AS segment_name FROM ${JOURNEYS} j${joins} WHERE j.touches > 0)
       GROUP BY path, is_returning, segment_name
       ORDER BY CAST(string_split(path, ',') AS INTEGER[]), is_returning, segment_name NULLS FIRST`,
      ([path, returning, segment, conv, nulls, value], n) => {
        for (let i = 0; i < n; i++) {
          paths.push({
            channels: channelsOf(String(path[i])),
            returning: returning[i] === true,
            segment: segment[i] === null ? null : String(segment[i]),
            conversions: num(conv[i]),
            nulls: num(nulls[i]),
            value: num(value[i]),
          });
        }
      },
    );
    const touchCounts: TouchCountFact[] = (await rows(db, `SELECT touches, converted, COUNT(*) FROM ${JOURNEYS} WHERE touches > 0 GROUP BY touches, converted`, display)).map(
      ([touches, converted, journeys]) => ({ touches: num(touches), converted: num(converted) === 1, journeys: num(journeys) }),
    );
    const lengthDays: LengthDaysFact[] = (
      await rows(db, `SELECT LEAST(touches, ${PATH_LENGTH_BANDS}) AS band, converted, COUNT(*), median(days_us) FROM ${JOURNEYS} WHERE touches > 0 GROUP BY band, converted`, display)
    ).map(([band, converted, journeys, days]) => ({ band: num(band), converted: num(converted) === 1, journeys: num(journeys), medianDays: num(days) / DAY_MICROS }));
    const [[convertingMedian]] = await rows(db, `SELECT median(days_us) FROM ${JOURNEYS} WHERE touches > 0 AND converted = 1`, display);
    const [[withoutTouch]] = await rows(db, `SELECT COUNT(*) FILTER (WHERE touches = 0 AND converted = 1) FROM ${JOURNEYS}`, display);

    let stageFacts: StageFact[] | null = null;
    let stageContents: StageContentFact[] | null = null;
    if (hasStages) {
      stageFacts = (
        await rows(db, `SELECT stage, COUNT(*), SUM(converted) FROM (SELECT DISTINCT batch, customer_first, journey, converted, stage FROM ${MARKS}) GROUP BY stage`, display)
      ).map(([stage, journeys, converting]) => ({ stage: String(stage), journeys: num(journeys), converting: num(converting) }));
    }
    if (stages !== null) {
      stageContents = (
        await rows(
          db,
          `SELECT stage, content, COUNT(*), SUM(converted) FROM (SELECT DISTINCT batch, customer_first, journey, converted, stage, content FROM ${MARKS} WHERE content IS NOT NULL) GROUP BY stage, content`,
          display,
        )
      ).map(([stage, content, journeys, converting]) => ({ stage: String(stage), content: String(content), journeys: num(journeys), converting: num(converting) }));
    }
    for (const table of [JOURNEYS, MARKS, FIRST_ORDERS, SEGMENTS, STAGE_TABLE]) await run(db, `DROP TABLE IF EXISTS ${table}`, display);

    return canonicalJourneyFacts({
      computedFor: { lookbackDays: JOURNEY_LOOKBACK_DAYS, orders: ordersAre },
      log: {
        rows: num(count),
        first: serialOfMicros(firstUs),
        last: serialOfMicros(lastUs),
        customers: journeys.counts.customers,
        conversions: num(conversions),
        conversionsWithoutTouch: num(withoutTouch),
        touchesOutsideLookback: journeys.counts.outside,
      },
      channels,
      paths,
      touchCounts,
      lengthDays,
      medianDaysConverting: convertingMedian === null ? null : num(convertingMedian) / DAY_MICROS,
      returningFrom: ordersAre === "rows" ? "orders" : "log",
      rfm,
      rfmLeftOut,
      // The funnel of a channel → stage table is made from the paths (analysis.ts): only the column's here.
      stages: stageFacts,
      stageContents,
      hasContents,
    });
  };
  return { needs: journeys.needs, journeys: { table: JOURNEYS, lookbackDays: JOURNEY_LOOKBACK_DAYS }, batch: journeys.batch, finish };
}

/**
 * Creates the temporary tables the log's journeys are read into batch by batch, from the log cut into
 * journeys: {@link JOURNEYS} (one row per journey, conversions without a touch included with
 * touches = 0; a {@link CutJourneys} table) and {@link MARKS} (one row per kept touch that carries a
 * stage, with its content). A journey's row holds only what the facts group on: its customer, first
 * day and month only with orders read row by row (to join them), else whether the customer converted
 * before (the table, tens of millions of rows on a large log, then spills less).
 *
 * @param withCustomers whether each journey keeps its customer id, first touch day and end month.
 * @returns what the batches need from the cut, the reading of one batch, and the counts summed over
 *   the batches read (customers: each has one first row, seq 1; touches outside the look-back).
 */
async function journeyTables(
  log: OpenTouchpoints,
  stages: StageSource | null,
  contentColumn: string | null,
  withCustomers: boolean,
): Promise<{ needs: CutNeeds; batch: (k: number, table: string) => Promise<void>; counts: { customers: number; outside: number } }> {
  const { db, display } = log;
  const lookbackMicros = pathLookbackMicros({ dialect: "duckdb", touchpoints: { table: "", customer: "", timestamp: "", channel: "", conversion: "" }, lookbackDays: JOURNEY_LOOKBACK_DAYS });
  const passThrough: [string, string][] = [];
  if (stages !== null && "column" in stages) passThrough.push([stages.column, "imc_stage"]);
  if (contentColumn !== null) passThrough.push([contentColumn, "imc_content"]);
  await run(
    db,
    `CREATE OR REPLACE TEMP TABLE ${JOURNEYS} (converted TINYINT, value DOUBLE, path VARCHAR, touches INTEGER, days_us BIGINT, ${withCustomers ? "customer_id VARCHAR, start_day INTEGER, end_month INTEGER" : "converted_before BOOLEAN"})`,
    display,
  );
  await run(db, `CREATE OR REPLACE TEMP TABLE ${MARKS} (batch INTEGER, customer_first BIGINT, journey BIGINT, converted INTEGER, stage VARCHAR, content VARCHAR)`, display);
  const counts = { customers: 0, outside: 0 };
  const batch = async (k: number, table: string): Promise<void> => {
    await run(db, `CREATE OR REPLACE TEMP VIEW imc_tp_marked_rows AS SELECT *, ${keptTouchSql(lookbackMicros)} AS kept FROM ${table}`, display);
    const [[customers, outside]] = await rows(db, "SELECT COUNT(*) FILTER (WHERE seq = 1), COUNT(*) FILTER (WHERE channel IS NOT NULL AND NOT kept) FROM imc_tp_marked_rows", display);
    counts.customers += num(customers);
    counts.outside += num(outside);
    const ending = "CASE WHEN converted = 1 THEN conversion_at ELSE last_time END";
    const who = withCustomers
      ? `customer_id, ${serialDay("CAST(start_time AS DATE)")}, ${serialDay(`CAST(date_trunc('month', ${ending}) AS DATE)`)}`
      : "journey > 0";
    await run(
      db,
      `INSERT INTO ${JOURNEYS}
       SELECT converted, value, path, touches, EPOCH_US(${ending}) - EPOCH_US(start_time), ${who}
       FROM (
         SELECT customer_first, journey, ${withCustomers ? "any_value(customer_id) AS customer_id, " : ""}MAX(is_conversion) AS converted,
           MAX(CASE WHEN is_conversion = 1 THEN conversion END) AS value,
           ${CUT_PATH_SQL} AS path,
           COUNT(*) FILTER (WHERE kept) AS touches,
           MIN(touch_time) FILTER (WHERE kept) AS start_time,
           MAX(touch_time) FILTER (WHERE kept) AS last_time,
           MAX(CASE WHEN is_conversion = 1 THEN touch_time END) AS conversion_at
         FROM imc_tp_marked_rows
         GROUP BY customer_first, journey
       )`,
      display,
    );
    if (stages !== null) {
      const stage = "column" in stages ? stageSql("imc_stage") : `(SELECT t.stage FROM ${stages.table} t JOIN ${CUT_CODES} k ON t.channel_key = lower(k.channel) WHERE k.code = imc_tp_marked_rows.channel)`;
      await run(
        db,
        `INSERT INTO ${MARKS}
         SELECT DISTINCT ${k}, customer_first, journey, CASE WHEN conversion_time IS NULL THEN 0 ELSE 1 END, stage, content
         FROM (SELECT customer_first, journey, conversion_time, ${stage} AS stage, ${contentColumn === null ? "NULL" : contentSql("imc_content")} AS content FROM imc_tp_marked_rows WHERE kept)
         WHERE stage IS NOT NULL`,
        display,
      );
    }
    await run(db, "DROP VIEW IF EXISTS imc_tp_marked_rows", display);
  };
  return { needs: { passThrough, customerFirst: true }, batch, counts };
}

/** Appends the entries of a map to a table with DuckDB's appender. */
async function append<K, V>(db: DuckDb, table: string, entries: ReadonlyMap<K, V>, write: (appender: Appender, entry: [K, V]) => void): Promise<void> {
  const appender = await db.connection.createAppender(table);
  try {
    for (const entry of entries) {
      write(appender, entry);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

type Appender = Awaited<ReturnType<DuckDb["connection"]["createAppender"]>>;

