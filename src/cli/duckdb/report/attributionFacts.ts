/**
 * `imc report --from FILES`: the Attribution tab's facts (src/reports/attribution/facts.ts) computed
 * by DuckDB on a touchpoint log too large to read row by row, the same facts the rows give.
 *
 * The log is cut into journeys by the path SQL of `imc attribute --from` (src/sql/queries.ts
 * `pathQuery`, in customer batches as src/cli/duckdb/attributeFrom.ts runs it, one per
 * IMC_ATTRIBUTE_BATCH_ROWS rows, default 2,500,000: its windows do not spill); each batch's cut rows
 * go once into a temporary table that the queries below read (touchpointCut.ts; a run building the
 * Journey tab too cuts the log once for both). The runner feeds the distinct paths
 * with their conversions, value and nulls to the engine's aggregator: its memory grows with the
 * distinct paths and channels, not the rows. What the aggregator would take from the rows themselves
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
import { pathQuery, PATH_SEPARATOR, renderQuery, type SqlQuery, type TouchpointSource } from "../../../sql/queries";
import { duckDbError, duckRows as rows, duckRun as run } from "../connection";
import type { OpenTouchpoints } from "./summariseTouchpoints";
import { cutServes, cutTouchpoints, dropCut, type CutNeeds, type TouchpointCut } from "./touchpointCut";

/** What the Attribution facts read from the cut log: the customers' first rows (for the order of meeting channels). */
export const ATTRIBUTION_CUT_NEEDS: CutNeeds = { passThrough: [], customerFirst: true };

/** The path SQL's grouping of journeys into paths (pathQuery's final SELECT without its ORDER BY: the paths are sorted below). */
const PATHS_SELECT = [
  "SELECT path, SUM(converted) AS conversions, SUM(CASE WHEN converted = 1 THEN value ELSE 0 END) AS value, SUM(1 - converted) AS nulls",
  "FROM journeys",
  "WHERE path IS NOT NULL OR converted = 1",
  "GROUP BY path",
].join("\n");

/** A channel's first row in the in-memory route's order: its customer's first row in the log, then its place in the customer's ordered rows. */
type FirstMeeting = readonly [customerFirstRow: number, seq: number];

/** One batch's share of the facts. */
interface BatchFacts {
  first: number;
  last: number;
  ids: number;
  customers: number;
  outsideLookback: number;
}

/**
 * The Attribution facts of a log opened out of core.
 *
 * @param log the open log (summariseTouchpoints.ts), with its row-order column.
 * @param options look-back and half-life, days (positive numbers).
 * @param shared the log already cut into journeys for several parts (touchpointCut.ts), or none: the
 *   log is then cut here (and the cut dropped after).
 * @returns the facts, as {@link attributionFactsOf} computes them from the rows.
 * @throws EngineError INSUFFICIENT_DATA when the log has no conversion row, or no conversion has a
 *   touch within the look-back (the rows' route's words); CliError when DuckDB fails on the files.
 */
export async function attributionFactsFrom(log: OpenTouchpoints, options: AttributionFactsOptions, shared?: TouchpointCut): Promise<AttributionFacts> {
  const { lookbackDays, halfLifeDays } = options;
  const { db, source, display } = log;
  if (source.order === null) throw new Error("attributionFactsFrom: the log was opened without its row-order column (a bug)");
  const columns = source.columns;

  // The log cut into journeys (shared with the Journey facts when the run builds both), read with
  // each channel as its number (text: its rank by name), so a path is a list of numbers that no
  // channel name can break.
  const own = shared === undefined || !cutServes(shared, ATTRIBUTION_CUT_NEEDS);
  const cut = own ? await cutTouchpoints(log, ATTRIBUTION_CUT_NEEDS) : shared;
  const names = cut.names;
  const touchpoints: TouchpointSource = { table: "imc_attribution_cut", customer: columns.customer, timestamp: columns.timestamp, channel: columns.channel, conversion: columns.conversion, order: source.order, trimmedIds: true };
  const lookbackMicros = String(Math.round(lookbackDays * 86_400_000_000));
  const paths = new Map<string | null, [conversions: number, value: number, nulls: number]>();
  const decay = { conversions: new Float64Array(names.length), value: new Float64Array(names.length) };
  const firstMeeting: (FirstMeeting | undefined)[] = new Array<FirstMeeting | undefined>(names.length);
  const total: BatchFacts = { first: Infinity, last: -Infinity, ids: 0, customers: 0, outsideLookback: 0 };
  // The conversion rows with their place in the rows' route's order, for the value sums (below).
  await run(db, "DROP TABLE IF EXISTS imc_attribution_conversions", display);
  await run(db, "CREATE TEMP TABLE imc_attribution_conversions (customer_first BIGINT, seq BIGINT, value DOUBLE, attributed INTEGER)", display);
  const [journeys] = cteNamed(pathQuery({ dialect: "duckdb", touchpoints, lookbackDays, dates: source.dates }), "journeys");
  for (let k = 0; k < cut.batches; k++) {
    const table = await cut.table(k);
    if (table === null) continue;
    await run(
      db,
      [
        "CREATE OR REPLACE TEMP VIEW imc_attribution_cut AS",
        "SELECT customer_id, touch_time, CAST(code AS VARCHAR) AS channel, conversion, is_conversion, journey, conversion_time, seq, customer_first",
        `FROM ${table}`,
      ].join("\n"),
      display,
    );
    // The distinct paths: the path SQL's own grouping on the cut rows.
    for (const [path, conversions, value, nulls] of await rows(db, renderQuery({ ctes: [["cut", "SELECT * FROM imc_attribution_cut"], journeys], select: PATHS_SELECT }), display)) {
      const key = path === null ? null : String(path);
      const sum = paths.get(key) ?? [0, 0, 0];
      sum[0] += Number(conversions);
      sum[1] += Number(value);
      sum[2] += Number(nulls);
      paths.set(key, sum);
    }
    // Time decay on the real times, per channel.
    for (const [code, conversions, value] of await rows(db, timeDecaySql(lookbackMicros, halfLifeDays), display)) {
      decay.conversions[Number(code)] += Number(conversions);
      decay.value[Number(code)] += Number(value);
    }
    // Where the rows' route meets each channel first.
    for (const [code, customerFirst, seq] of await rows(db, FIRST_MEETING_SQL, display)) {
      const key: FirstMeeting = [Number(customerFirst), Number(seq)];
      const had = firstMeeting[Number(code)];
      if (had === undefined || key[0] < had[0] || (key[0] === had[0] && key[1] < had[1])) firstMeeting[Number(code)] = key;
    }
    await run(
      db,
      [
        "INSERT INTO imc_attribution_conversions",
        "SELECT c.customer_first, c.seq, c.conversion, COALESCE(j.attributed, 0) FROM imc_attribution_cut AS c LEFT JOIN (",
        `  SELECT customer_id, journey, MAX(CASE WHEN channel IS NOT NULL AND EPOCH_US(conversion_time) - EPOCH_US(touch_time) <= ${lookbackMicros} THEN 1 ELSE 0 END) AS attributed`,
        "  FROM imc_attribution_cut WHERE conversion_time IS NOT NULL GROUP BY customer_id, journey",
        ") AS j USING (customer_id, journey) WHERE c.is_conversion = 1",
      ].join("\n"),
      display,
    );
    const [[first, last, ids, customers, outside]] = await rows(
      db,
      [
        "SELECT EPOCH_US(MIN(touch_time)) / 86400000000.0 + 25569, EPOCH_US(MAX(touch_time)) / 86400000000.0 + 25569,",
        "  CAST(COUNT(DISTINCT customer_id) AS DOUBLE), CAST(COUNT(DISTINCT CASE WHEN is_conversion = 1 THEN customer_id END) AS DOUBLE),",
        `  CAST(COUNT(CASE WHEN channel IS NOT NULL AND conversion_time IS NOT NULL AND EPOCH_US(conversion_time) - EPOCH_US(touch_time) > ${lookbackMicros} THEN 1 END) AS DOUBLE)`,
        "FROM imc_attribution_cut",
      ].join("\n"),
      display,
    );
    total.first = Math.min(total.first, Number(first));
    total.last = Math.max(total.last, Number(last));
    total.ids += Number(ids);
    total.customers += Number(customers);
    total.outsideLookback += Number(outside);
    // A cut of its own is read once: each batch's table is dropped as soon as it has been read.
    if (own) await run(db, `DROP TABLE IF EXISTS ${table}`, display);
  }
  await run(db, "DROP VIEW IF EXISTS imc_attribution_cut", display);
  if (own) await dropCut(log, cut);
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

  // The paths in one order whatever the batches: conversions descending, then path (as imc attribute --from).
  const sorted = [...paths].sort((a, b) => b[1][0] - a[1][0] || (a[0] === null ? 1 : b[0] === null ? -1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let conversions = 0;
  let convertingJourneys = 0;
  let nonConvertingJourneys = 0;
  let unattributedConversions = 0;
  let touches = new Int32Array(64);
  for (const [path, [c, value, nulls]] of sorted) {
    conversions += c;
    if (path === null) {
      unattributedConversions += c;
      continue;
    }
    convertingJourneys += c;
    nonConvertingJourneys += nulls;
    const codes = path.split(PATH_SEPARATOR);
    if (codes.length > touches.length) touches = new Int32Array(codes.length * 2);
    for (let i = 0; i < codes.length; i++) touches[i] = idOfCode[Number(codes[i])];
    aggregator.addJourney(touches, codes.length, c, value, nulls);
  }
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
    const result = await log.db.connection.stream("SELECT value, attributed FROM imc_attribution_conversions ORDER BY customer_first, seq");
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
    await log.db.run("DROP TABLE IF EXISTS imc_attribution_conversions");
  } catch (error) {
    throw duckDbError(error, log.display);
  }
  return { attributed, unattributed };
}

/** The CTEs of a query by name, in the order asked. */
function cteNamed(query: SqlQuery, ...names: string[]): (readonly [string, string])[] {
  return names.map((name) => {
    const cte = query.ctes.find(([n]) => n === name);
    if (cte === undefined) throw new Error(`attributionFactsFrom: the path query has no CTE ${name} (a bug)`);
    return cte;
  });
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
 * Time decay with the touch times (addTouchpointLog and ruleModels.ts timeDecayWeights): in each
 * converting journey, the touches within the look-back weigh 2^(−Δ/h), Δ the days between the touch
 * and the journey's latest touch, normalised to sum to 1; a channel's credit is the sum of its
 * weights (conversions) and of its weights times the journey's conversion value (value).
 */
function timeDecaySql(lookbackMicros: string, halfLifeDays: number): string {
  return [
    "WITH touches AS (",
    "  SELECT customer_id, journey, channel, touch_time FROM imc_attribution_cut",
    `  WHERE channel IS NOT NULL AND conversion_time IS NOT NULL AND EPOCH_US(conversion_time) - EPOCH_US(touch_time) <= ${lookbackMicros}`,
    "),",
    "ends AS (SELECT customer_id, journey, MAX(conversion) AS value FROM imc_attribution_cut WHERE is_conversion = 1 GROUP BY customer_id, journey),",
    "weighted AS (",
    `  SELECT customer_id, journey, channel, POW(2.0, -((EPOCH_US(MAX(touch_time) OVER (PARTITION BY customer_id, journey)) - EPOCH_US(touch_time)) / 86400000000.0) / CAST(${String(halfLifeDays)} AS DOUBLE)) AS w`,
    "  FROM touches",
    "),",
    "normalised AS (SELECT customer_id, journey, channel, w / SUM(w) OVER (PARTITION BY customer_id, journey) AS share FROM weighted)",
    "SELECT CAST(n.channel AS INTEGER), SUM(n.share), SUM(n.share * e.value)",
    "FROM normalised AS n JOIN ends AS e USING (customer_id, journey)",
    "GROUP BY n.channel",
  ].join("\n");
}
