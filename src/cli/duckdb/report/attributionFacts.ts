/**
 * `imc report --from FILES`: the Attribution tab's facts (src/reports/attribution/facts.ts) computed
 * by DuckDB on a touchpoint log too large to read row by row, the same facts the rows give.
 *
 * The log is cut into journeys by the path SQL of `imc attribute --from` (src/sql/queries.ts
 * `pathQuery`, in customer batches as src/cli/duckdb/attributeFrom.ts runs it, one per
 * IMC_ATTRIBUTE_BATCH_ROWS rows, default 2,500,000: its windows do not spill); each batch's cut rows
 * go once into a temporary table that the queries below read (touchpointCut.ts; a run building the
 * Journey tab too cuts each batch once for both, and the paths are then grouped from the Journey
 * facts' journeys). The runner streams the distinct paths with their conversions, value and nulls,
 * sorted, into the engine's aggregator: the runner holds the aggregator's state, not the paths or
 * the rows. What the aggregator would take from the rows themselves
 * is computed in SQL:
 * - channel names are replaced by a number (their rank by name) in the cut, so a path is a list
 *   of numbers that no channel name can break (a name may hold " > ");
 * - channel ids are given in the order the in-memory route meets the channels: customers in order of
 *   first appearance in the log, each customer's rows in time order, touches before a conversion at
 *   the same time, then the log's order (each channel's first row in that order is found in SQL);
 * - the time-decay model weights each touch by 2^(−Δ/h), Δ the real days between the touch and the
 *   journey's latest touch, normalised within each converting journey (as addTouchpointLog does with
 *   the touch times), summed per channel in SQL; grouped paths alone only know the path convention
 *   (touch i of L is L − 1 − i days before), so the aggregator runs the six other models;
 * - the log's first and last time, ids, customers with a conversion and the touches left outside the
 *   look-back are plain aggregates (per batch: a customer's rows are in one);
 * - the value credited to channels and the value of conversions without a touch are added one
 *   conversion at a time in the rows' route's order (streamed sorted), so they are its sums exactly.
 *
 * The credit per channel is added in another order than the rows' route adds it (per path, per
 * batch, over threads), and the days between two times come from microseconds rather than Excel
 * serials, so it may differ from the in-memory route in the last bits (the test allows 1e-9
 * relative); counts, channels, the period and the two value sums are exact.
 */

import { ATTRIBUTION_MODELS, requireConvertingJourneys, type AttributionModel, type ModelCredit, type TouchpointSummary } from "../../../engine/attribution";
import { EngineError } from "../../../engine/errors";
import { attributionAggregator, type AttributionFacts, type AttributionFactsOptions } from "../../../reports/attribution/facts";
import { pathLookbackMicros } from "../../../sql/queries";
import { duckDbError, duckRows as rows, duckRun as run } from "../connection";
import type { OpenTouchpoints } from "./summariseTouchpoints";
import { CUT_PATH_SQL, cutTouchpoints, dropCut, keptTouchSql, readBatches, streamRows, type BatchReader, type CutJourneys, type CutNeeds } from "./touchpointCut";

/** What the Attribution facts read from the cut log: the customers' first rows (for the order of meeting channels). */
export const ATTRIBUTION_CUT_NEEDS: CutNeeds = { passThrough: [], customerFirst: true };

/** The distinct paths of the journeys of one batch (the path SQL's grouping, a path as its channels' numbers joined by commas), for {@link PATHS}. */
const PATHS = "imc_attribution_paths";
/** The conversion rows with their place in the rows' route's order, for the value sums. */
const CONVERSIONS = "imc_attribution_conversions";
/** The view through which a batch's cut table is read. */
const CUT_VIEW = "imc_attribution_cut";

/** A channel's first row in the in-memory route's order: its customer's first row in the log, then its place in the customer's ordered rows. */
type FirstMeeting = readonly [customerFirstRow: number, seq: number];

/** The Attribution facts computed on a cut log batch by batch: fed each batch's cut table, then finished. */
export interface AttributionReader extends BatchReader {
  /** The facts, once every batch has been read (throws as {@link attributionFactsFrom}). */
  finish(): Promise<AttributionFacts>;
}

/**
 * The Attribution facts of a log opened out of core.
 *
 * @param log the open log (summariseTouchpoints.ts), with its row-order column.
 * @param options look-back and half-life, days (positive numbers).
 * @returns the facts, as {@link attributionFactsOf} computes them from the rows.
 * @throws EngineError INSUFFICIENT_DATA when the log has no conversion row, or no conversion has a
 *   touch within the look-back (the rows' route's words); CliError when DuckDB fails on the files.
 */
export async function attributionFactsFrom(log: OpenTouchpoints, options: AttributionFactsOptions): Promise<AttributionFacts> {
  const cut = await cutTouchpoints(log, ATTRIBUTION_CUT_NEEDS);
  try {
    const reader = await attributionReader(log, options, cut.names, null);
    await readBatches(log, cut, [reader]);
    return await reader.finish();
  } finally {
    await dropCut(log, cut);
  }
}

/**
 * Starts the Attribution facts of a log read batch by batch from its cut (touchpointCut.ts): each
 * batch's share of the facts is computed on the batch's cut table, the paths are grouped and fed to
 * the engine's aggregator at the finish.
 *
 * @param log the open log, with its row-order column.
 * @param options look-back and half-life, days (positive numbers).
 * @param names the cut's channel names by their code.
 * @param journeys a table of the cut's journeys filled by another part by the finish (one row per
 *   journey: path, converted, value, touches; see {@link CutJourneys}), whose paths are then grouped
 *   rather than cut again here; only when its look-back is `options.lookbackDays`.
 * @returns the reader; its `finish` throws as {@link attributionFactsFrom}.
 */
export async function attributionReader(log: OpenTouchpoints, options: AttributionFactsOptions, names: readonly string[], journeys: CutJourneys | null): Promise<AttributionReader> {
  const { lookbackDays, halfLifeDays } = options;
  const { db, source, display } = log;
  if (source.order === null) throw new Error("attributionReader: the log was opened without its row-order column (a bug)");
  if (journeys !== null && journeys.lookbackDays !== lookbackDays) throw new Error(`attributionReader: journeys cut with a ${journeys.lookbackDays}-day look-back for a ${lookbackDays}-day one (a bug)`);
  const lookbackMicros = pathLookbackMicros({ dialect: "duckdb", touchpoints: { table: "", customer: "", timestamp: "", channel: "", conversion: "" }, lookbackDays });
  const decay = { conversions: new Float64Array(names.length), value: new Float64Array(names.length) };
  const firstMeeting: (FirstMeeting | undefined)[] = new Array<FirstMeeting | undefined>(names.length);
  const total = { first: Infinity, last: -Infinity, ids: 0, customers: 0, outsideLookback: 0 };
  await run(db, `CREATE OR REPLACE TEMP TABLE ${CONVERSIONS} (customer_first BIGINT, seq BIGINT, value DOUBLE, attributed INTEGER)`, display);
  if (journeys === null) await run(db, `CREATE OR REPLACE TEMP TABLE ${PATHS} (path VARCHAR, conversions DOUBLE, value DOUBLE, nulls DOUBLE)`, display);

  const batch = async (_k: number, table: string): Promise<void> => {
    await run(
      db,
      `CREATE OR REPLACE TEMP VIEW ${CUT_VIEW} AS SELECT touch_time, channel, conversion, is_conversion, journey, conversion_time, seq, customer_first, ${keptTouchSql(lookbackMicros)} AS kept FROM ${table}`,
      display,
    );
    // The distinct paths: the path SQL's grouping of journeys, each path built as the Journey facts build theirs.
    if (journeys === null) {
      await run(
        db,
        [
          `INSERT INTO ${PATHS}`,
          "SELECT path, SUM(converted), SUM(CASE WHEN converted = 1 THEN value ELSE 0 END), SUM(1 - converted)",
          "FROM (",
          `  SELECT customer_first, journey, MAX(is_conversion) AS converted, MAX(conversion) AS value, CASE WHEN bool_or(kept) THEN ${CUT_PATH_SQL} END AS path`,
          `  FROM ${CUT_VIEW} GROUP BY customer_first, journey`,
          ")",
          "WHERE path IS NOT NULL OR converted = 1",
          "GROUP BY path",
        ].join("\n"),
        display,
      );
    }
    // Time decay on the real times, per channel.
    for (const [code, conversions, value] of await rows(db, timeDecaySql(lookbackMicros, lookbackDays, halfLifeDays), display)) {
      decay.conversions[Number(code)] += Number(conversions);
      decay.value[Number(code)] += Number(value);
    }
    // Where the rows' route meets each channel first.
    for (const [code, customerFirst, seq] of await rows(db, FIRST_MEETING_SQL, display)) {
      const key: FirstMeeting = [Number(customerFirst), Number(seq)];
      const had = firstMeeting[Number(code)];
      if (had === undefined || key[0] < had[0] || (key[0] === had[0] && key[1] < had[1])) firstMeeting[Number(code)] = key;
    }
    // Each conversion row closes its journey (the journey number counts the conversions before a
    // row, so a journey holds at most one): one row per journey with a conversion, no join back.
    await run(
      db,
      [
        `INSERT INTO ${CONVERSIONS}`,
        "SELECT MAX(customer_first), MAX(seq) FILTER (WHERE is_conversion = 1), MAX(conversion) FILTER (WHERE is_conversion = 1), CAST(bool_or(kept) AS INTEGER)",
        `FROM ${CUT_VIEW} WHERE conversion_time IS NOT NULL GROUP BY customer_first, journey HAVING bool_or(is_conversion = 1)`,
      ].join("\n"),
      display,
    );
    // A customer's first row is seq 1; a customer who converted has one conversion with none before it (journey 0).
    const [[first, last, ids, customers, outside]] = await rows(
      db,
      [
        "SELECT EPOCH_US(MIN(touch_time)) / 86400000000.0 + 25569, EPOCH_US(MAX(touch_time)) / 86400000000.0 + 25569,",
        "  CAST(COUNT(*) FILTER (WHERE seq = 1) AS DOUBLE), CAST(COUNT(*) FILTER (WHERE is_conversion = 1 AND journey = 0) AS DOUBLE),",
        `  CAST(COUNT(CASE WHEN channel IS NOT NULL AND conversion_time IS NOT NULL AND EPOCH_US(conversion_time) - EPOCH_US(touch_time) > ${lookbackMicros} THEN 1 END) AS DOUBLE)`,
        `FROM ${CUT_VIEW}`,
      ].join("\n"),
      display,
    );
    total.first = Math.min(total.first, Number(first));
    total.last = Math.max(total.last, Number(last));
    total.ids += Number(ids);
    total.customers += Number(customers);
    total.outsideLookback += Number(outside);
  };

  const finish = async (): Promise<AttributionFacts> => {
    await run(db, `DROP VIEW IF EXISTS ${CUT_VIEW}`, display);
    const values = await valueSums(log);
    // Channel ids in the rows' route's order of meeting them.
    const byMeeting = names.map((_, code) => code).sort((a, b) => {
      const x = firstMeeting[a]!;
      const y = firstMeeting[b]!;
      return x[0] - y[0] || x[1] - y[1];
    });
    const aggregator = attributionAggregator(
      halfLifeDays,
      ATTRIBUTION_MODELS.filter((model) => model !== "time_decay"),
    );
    const idOfCode = new Int32Array(names.length);
    for (const code of byMeeting) idOfCode[code] = aggregator.channelId(names[code]);

    // The paths in one order whatever the batches (conversions descending, then path), streamed
    // into the aggregator: the runner holds the aggregator's sums, not the millions of paths.
    const grouped =
      journeys === null
        ? `SELECT path, SUM(conversions) AS c, SUM(value), SUM(nulls) FROM ${PATHS} GROUP BY path`
        : [
            "SELECT CASE WHEN touches > 0 THEN path END AS p, CAST(SUM(converted) AS DOUBLE) AS c, SUM(CASE WHEN converted = 1 THEN value ELSE 0 END), CAST(SUM(1 - converted) AS DOUBLE)",
            `FROM ${journeys.table} WHERE touches > 0 OR converted = 1 GROUP BY p`,
          ].join("\n");
    let conversions = 0;
    let convertingJourneys = 0;
    let nonConvertingJourneys = 0;
    let unattributedConversions = 0;
    let touches = new Int32Array(64);
    await streamRows(log, `SELECT * FROM (${grouped}) ORDER BY 2 DESC, 1 NULLS LAST`, (columns, n) => {
      const [path, c, value, nulls] = columns;
      for (let i = 0; i < n; i++) {
        const count = Number(c[i]);
        conversions += count;
        if (path[i] === null) {
          unattributedConversions += count;
          continue;
        }
        convertingJourneys += count;
        nonConvertingJourneys += Number(nulls[i]);
        const text = String(path[i]);
        // The path's codes, read straight from the text.
        let length = 0;
        let code = 0;
        for (let at = 0; at <= text.length; at++) {
          const ch = at === text.length ? 44 : text.charCodeAt(at);
          if (ch === 44) {
            if (length === touches.length) {
              const grown = new Int32Array(touches.length * 2);
              grown.set(touches);
              touches = grown;
            }
            touches[length++] = idOfCode[code];
            code = 0;
          } else code = code * 10 + ch - 48;
        }
        aggregator.addJourney(touches, length, count, Number(value[i]), Number(nulls[i]));
      }
    });
    await run(db, `DROP TABLE IF EXISTS ${PATHS}`, display);
    if (conversions === 0) {
      throw new EngineError("INSUFFICIENT_DATA", "conversions: the log has no conversion row (a positive value or 1 marks a conversion); nothing to attribute", { argument: "conversions" });
    }
    const summary: TouchpointSummary = {
      conversions,
      convertingJourneys,
      nonConvertingJourneys,
      unattributedConversions,
      unattributedValue: values.unattributed,
      touchesOutsideLookback: total.outsideLookback,
    };
    requireConvertingJourneys(summary, lookbackDays);
    const result = aggregator.result();
    const timeDecay: ModelCredit = { conversions: new Float64Array(names.length), value: new Float64Array(names.length) };
    for (let code = 0; code < names.length; code++) {
      timeDecay.conversions[idOfCode[code]] = decay.conversions[code];
      timeDecay.value[idOfCode[code]] = decay.value[code];
    }
    const credit: Partial<Record<AttributionModel, ModelCredit>> = {};
    for (const model of ATTRIBUTION_MODELS) credit[model] = model === "time_decay" ? timeDecay : result.credit[model];
    return {
      computedFor: { lookbackDays, halfLifeDays },
      log: { rows: log.rowCount, first: total.first, last: total.last, ids: total.ids, customers: total.customers },
      summary,
      result: { ...result, totals: { ...result.totals, value: values.attributed }, credit },
    };
  };
  return { batch, finish };
}

/**
 * The conversion value credited to channels (the aggregator's total) and the value of the conversions
 * without a touch in their window, added one conversion at a time in the rows' route's order, so both
 * are its sums to the last bit (the tab writes them in words, rounded: a sum added in another order
 * can round the other way). The rows are streamed in that order (DuckDB sorts them out of core); the
 * runner holds two numbers.
 */
async function valueSums(log: OpenTouchpoints): Promise<{ attributed: number; unattributed: number }> {
  let attributed = 0;
  let unattributed = 0;
  try {
    const result = await log.db.connection.stream(`SELECT value, attributed FROM ${CONVERSIONS} ORDER BY customer_first, seq`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const value = chunk.getColumnValues(0);
      const credited = chunk.getColumnValues(1);
      for (let i = 0; i < chunk.rowCount; i++) {
        if (Number(credited[i]) === 1) attributed += Number(value[i]);
        else unattributed += Number(value[i]);
      }
    }
    await log.db.run(`DROP TABLE IF EXISTS ${CONVERSIONS}`);
  } catch (error) {
    throw duckDbError(error, log.display);
  }
  return { attributed, unattributed };
}

/**
 * Each channel's first row in the rows' route's order, on the cut rows: the smallest first row of a
 * customer touching it, then the smallest place among that customer's ordered rows.
 */
const FIRST_MEETING_SQL = [
  "WITH earliest AS (SELECT channel, MIN(customer_first) AS customer_first FROM imc_attribution_cut WHERE channel IS NOT NULL GROUP BY channel)",
  "SELECT CAST(c.channel AS INTEGER), CAST(e.customer_first AS DOUBLE), CAST(MIN(c.seq) AS DOUBLE)",
  "FROM imc_attribution_cut AS c JOIN earliest AS e ON c.channel = e.channel AND c.customer_first = e.customer_first",
  "GROUP BY c.channel, e.customer_first",
].join("\n");

/**
 * Half-lives between a touch and its conversion up to which time decay weighs touches from the
 * conversion (2^−1000 and above are normal doubles), not from the journey's latest touch.
 */
const MAX_DECAY_HALF_LIVES = 1000;

/**
 * Time decay with the touch times (addTouchpointLog and ruleModels.ts timeDecayWeights): in each
 * converting journey, the touches within the look-back weigh 2^(−Δ/h), Δ the days between the touch
 * and the journey's latest touch, normalised to sum to 1; a channel's credit is the sum of its
 * weights (conversions) and of its weights times the journey's conversion value (value).
 *
 * Normalised, the weights are the same measured from the conversion (every touch's weight changes by
 * one factor), which each cut row carries: one window (the sum per journey) instead of two (its
 * latest touch, then the sum), a third of the time on 2.5M rows. Measured from the conversion, the
 * weights of a journey may all round to 0 when its touches lie more than about 1,000 half-lives
 * before it: past {@link MAX_DECAY_HALF_LIVES} half-lives of look-back they are measured from the
 * latest touch, as the rows' route does.
 */
function timeDecaySql(lookbackMicros: string, lookbackDays: number, halfLifeDays: number): string {
  const days = (from: string) => `(EPOCH_US(${from}) - EPOCH_US(touch_time)) / 86400000000.0`;
  const halfLife = `CAST(${String(halfLifeDays)} AS DOUBLE)`;
  if (lookbackDays / halfLifeDays <= MAX_DECAY_HALF_LIVES) {
    return [
      "WITH weighted AS (",
      `  SELECT customer_first, journey, channel, POW(2.0, -${days("conversion_time")} / ${halfLife}) AS w, CASE WHEN is_conversion = 1 THEN conversion END AS value`,
      `  FROM ${CUT_VIEW}`,
      `  WHERE conversion_time IS NOT NULL AND ((channel IS NOT NULL AND EPOCH_US(conversion_time) - EPOCH_US(touch_time) <= ${lookbackMicros}) OR is_conversion = 1)`,
      "),",
      "normalised AS (",
      "  SELECT channel, w / SUM(w) FILTER (WHERE channel IS NOT NULL) OVER (PARTITION BY customer_first, journey) AS share, MAX(value) OVER (PARTITION BY customer_first, journey) AS value",
      "  FROM weighted",
      ")",
      "SELECT CAST(channel AS INTEGER), SUM(share), SUM(share * value) FROM normalised WHERE channel IS NOT NULL GROUP BY channel",
    ].join("\n");
  }
  return [
    "WITH touches AS (",
    `  SELECT customer_first, journey, channel, touch_time FROM ${CUT_VIEW}`,
    `  WHERE channel IS NOT NULL AND conversion_time IS NOT NULL AND EPOCH_US(conversion_time) - EPOCH_US(touch_time) <= ${lookbackMicros}`,
    "),",
    `ends AS (SELECT customer_first, journey, MAX(conversion) AS value FROM ${CUT_VIEW} WHERE is_conversion = 1 GROUP BY customer_first, journey),`,
    "weighted AS (",
    `  SELECT customer_first, journey, channel, POW(2.0, -${days("MAX(touch_time) OVER (PARTITION BY customer_first, journey)")} / ${halfLife}) AS w`,
    "  FROM touches",
    "),",
    "normalised AS (SELECT customer_first, journey, channel, w / SUM(w) OVER (PARTITION BY customer_first, journey) AS share FROM weighted)",
    "SELECT CAST(n.channel AS INTEGER), SUM(n.share), SUM(n.share * e.value)",
    "FROM normalised AS n JOIN ends AS e USING (customer_first, journey)",
    "GROUP BY n.channel",
  ].join("\n");
}
