/**
 * The numbers of the Journey tab, made from its journey facts (facts.ts: from the log's rows, or
 * summarised out of core by DuckDB when the log is over --max-cells, the same either way): the
 * touchpoint log cut into journeys (as IMC.ATTRIBUTE.EVENTS cuts it, 30-day look-back), their path
 * statistics (as IMC.PATHS computes them), time from first touch to conversion, new vs returning
 * customers and RFM segments, and the buyer-journey stages and contents of the touches.
 *
 * Definitions (stated on the tab):
 * - returning customer: with orders, the customer had an order on a day before the journey's first
 *   touch; without orders, the customer converted earlier in the log;
 * - RFM segment of a journey: the customer's segment (IMC.RFM) as of the first day of the month the
 *   journey ended in, from orders before that day (so the journey's own order does not count);
 *   "No earlier orders" when there were none;
 * - a journey reaches a stage when one of its touches carries it; conversion rate from a stage =
 *   converting journeys that reached it / journeys that reached it.
 */

import { EngineError } from "../../engine/errors";
import { PATH_LENGTH_BANDS, PathStatsAggregator, type PathStats } from "../../engine/journeys";
import type { BusinessData } from "../detect";
import {
  checkedJourneyFacts,
  JOURNEY_LOOKBACK_DAYS,
  journeyFactsOf,
  journeyOrdersOf,
  NO_EARLIER_ORDERS,
  STAGE_ORDER,
  stageTableOf,
  type JourneyFacts,
  type PathFact,
} from "./facts";

export { JOURNEY_LOOKBACK_DAYS, median, stageName, STAGE_ORDER } from "./facts";

/** Paths listed overall, and per segment. */
export const TOP_PATHS = 10;
export const TOP_SEGMENT_PATHS = 3;
/** RFM segments shown (the largest by journeys). */
export const RFM_SEGMENTS_SHOWN = 3;
/** A content is ranked only when at least this many journeys saw it at the stage. */
export const MIN_CONTENT_JOURNEYS = 5;
/** Contents listed per stage. */
export const TOP_CONTENTS = 3;


/** One segment's journeys and their paths. */
export interface SegmentPaths {
  readonly segment: string;
  readonly journeys: number;
  readonly conversions: number;
  readonly stats: PathStats;
}

/** Path length band: journeys and days. */
export interface LengthRow {
  readonly label: string;
  readonly journeys: number;
  readonly converting: number;
  /** Median days from first touch to conversion over the converting journeys; null when none. */
  readonly medianDaysConverting: number | null;
  /** Median days from first to last touch over the journeys that did not convert; null when none. */
  readonly medianDaysNotConverting: number | null;
}

/** One stage of the funnel. */
export interface StageRow {
  readonly stage: string;
  readonly journeys: number;
  readonly converting: number;
  /** Contents with at least MIN_CONTENT_JOURNEYS journeys at this stage, best conversion rate first. */
  readonly contents: readonly { readonly content: string; readonly journeys: number; readonly converting: number }[];
}

export interface JourneyAnalysis {
  /** The facts the analysis was made from. */
  readonly facts: JourneyFacts;
  /** Journeys, converting or not. */
  readonly journeyCount: number;
  readonly converting: number;
  readonly value: number;
  readonly stats: PathStats;
  readonly channels: readonly string[];
  readonly medianTouches: number;
  readonly medianDays: number;
  /** The channel that opens most converting journeys (ties by name). */
  readonly topOpener: string;
  /** Share of conversions from one-touch journeys. */
  readonly singleTouchShare: number;
  readonly segments: readonly SegmentPaths[];
  /** How "returning" was decided, in words. */
  readonly returningRule: string;
  readonly lengths: readonly LengthRow[];
  /** Stages in funnel order, or null when no touch carries a stage. */
  readonly stages: readonly StageRow[] | null;
  /** Where stages came from: "the log's stage column", "the channel → stage table", or null. */
  readonly stageSource: string | null;
  readonly hasContents: boolean;
  /** Why contents are not ranked although the touches name them, in words; null when they are (or there are none). */
  readonly contentsLeftOut: string | null;
  readonly log: {
    readonly rows: number;
    readonly first: number;
    readonly last: number;
    readonly customers: number;
    readonly conversionsWithoutTouch: number;
    readonly touchesOutsideLookback: number;
  };
}

/** Path statistics of some path facts. */
function statsOf(paths: readonly PathFact[], channels: readonly string[], top: number): PathStats {
  const aggregator = new PathStatsAggregator();
  for (const name of channels) aggregator.channelId(name);
  paths.forEach((p, i) => {
    const ids = p.channels.map((name) => aggregator.channelId(name));
    aggregator.addJourney(ids, ids.length, p.conversions, p.value, p.nulls, i + 1);
  });
  return aggregator.result({ top });
}

/** Median of a distribution given as (value, count) pairs sorted by value; null for none. */
function medianOfCounts(counts: readonly (readonly [value: number, count: number])[]): number | null {
  const n = counts.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return null;
  const at = (index: number): number => {
    let seen = 0;
    for (const [value, count] of counts) {
      seen += count;
      if (index < seen) return value;
    }
    throw new Error("medianOfCounts: index out of range");
  };
  const mid = n >> 1;
  return n % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/**
 * Analyses the business data for the Journey tab: the journey facts (from the summarised log when it
 * was read out of core, else from its rows: src/reports/journey/facts.ts), turned into the tab's numbers.
 *
 * @param data the business data; the touchpoint log is required, orders and the stage table optional.
 * @returns see {@link JourneyAnalysis}.
 * @throws EngineError INSUFFICIENT_DATA without a touchpoint log, without a conversion, or when no
 *   conversion has a touch in its window; INVALID_INPUT naming the column and row for a bad cell.
 */
export function analyseJourneys(data: BusinessData): JourneyAnalysis {
  const touchpoints = data.touchpoints;
  if (touchpoints === null) {
    throw new EngineError("INSUFFICIENT_DATA", "there is no touchpoint log: the Journey tab needs one row per touch (customer, time, channel) with the conversions");
  }
  const facts =
    touchpoints.summarised !== undefined ? checkedJourneyFacts(touchpoints.summarised.journeys, journeyOrdersOf(data.orders)) : journeyFactsOf(data);
  return analysisOfFacts(facts, data.stages ?? null);
}

/**
 * The Journey tab's numbers from its facts.
 *
 * @param facts the journey facts (see facts.ts).
 * @param stageTable the channel → stage table, used when the log has no stage column; null without one.
 * @returns see {@link JourneyAnalysis}.
 * @throws EngineError INSUFFICIENT_DATA without a conversion, or when no conversion has a touch in its window.
 */
export function analysisOfFacts(facts: JourneyFacts, stageTable: NonNullable<BusinessData["stages"]> | null): JourneyAnalysis {
  const paths = facts.paths;
  const converting = paths.reduce((s, p) => s + p.conversions, 0);
  if (converting === 0) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      facts.log.conversions === 0
        ? "the touchpoint log has no conversion (a positive value or 1 in the conversion column marks one): there is no journey to follow"
        : `none of the ${facts.log.conversions} conversions has a touch within ${JOURNEY_LOOKBACK_DAYS} days before it: there is no journey to follow`,
    );
  }
  const journeyCount = paths.reduce((s, p) => s + p.conversions + p.nulls, 0);
  const channels = facts.channels;
  const stats = statsOf(paths, channels, TOP_PATHS);

  // New vs returning, then the largest RFM segments.
  const byOrders = facts.returningFrom === "orders";
  const returningRule = byOrders
    ? "returning: the customer had an order on a day before the journey's first touch"
    : facts.computedFor.orders === "summarised"
      ? "returning: the customer converted earlier in the touchpoint log (the orders were summarised out of core, too many to look through per journey; no RFM split)"
      : facts.computedFor.orders === "rows"
        ? `returning: the customer converted earlier in the touchpoint log (${facts.rfmLeftOut ?? "the orders were not looked through per journey"}; no RFM split)`
        : "returning: the customer converted earlier in the touchpoint log (no orders table to look further back)";
  const segmentOf = (name: string, members: readonly PathFact[]): SegmentPaths => ({
    segment: name,
    journeys: members.reduce((s, p) => s + p.conversions + p.nulls, 0),
    conversions: members.reduce((s, p) => s + p.conversions, 0),
    stats: statsOf(members, channels, TOP_SEGMENT_PATHS),
  });
  const segments: SegmentPaths[] = [];
  const newPaths = paths.filter((p) => !p.returning);
  const returningPaths = paths.filter((p) => p.returning);
  // Not "New Customers": that is an RFM segment with its own definition.
  const [newName, returningName] = byOrders ? ["New (no earlier order)", "Returning (earlier order)"] : ["New (first conversion)", "Returning (converted before)"];
  if (newPaths.length > 0) segments.push(segmentOf(newName, newPaths));
  if (returningPaths.length > 0) segments.push(segmentOf(returningName, returningPaths));
  if (facts.rfm) {
    const groups = new Map<string, PathFact[]>();
    for (const p of paths) {
      if (p.segment === null || p.segment === NO_EARLIER_ORDERS) continue;
      const list = groups.get(p.segment) ?? [];
      list.push(p);
      groups.set(p.segment, list);
    }
    const journeysOf = (list: readonly PathFact[]) => list.reduce((s, p) => s + p.conversions + p.nulls, 0);
    [...groups.entries()]
      .map(([name, members]) => [name, members, journeysOf(members)] as const)
      .sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : 1))
      .slice(0, RFM_SEGMENTS_SHOWN)
      .forEach(([name, members]) => segments.push(segmentOf(`RFM: ${name}`, members)));
  }

  // Lengths and days.
  const lengths: LengthRow[] = [];
  const bands = PATH_LENGTH_BANDS;
  let longest = 0;
  for (const t of facts.touchCounts) longest = Math.max(longest, t.touches);
  for (let b = 0; b < Math.min(bands, longest); b++) {
    const conv = facts.lengthDays.find((d) => d.band === b + 1 && d.converted);
    const notConv = facts.lengthDays.find((d) => d.band === b + 1 && !d.converted);
    lengths.push({
      label: b === bands - 1 ? `${bands}+ touches` : b === 0 ? "1 touch" : `${b + 1} touches`,
      journeys: (conv?.journeys ?? 0) + (notConv?.journeys ?? 0),
      converting: conv?.journeys ?? 0,
      medianDaysConverting: conv?.medianDays ?? null,
      medianDaysNotConverting: notConv?.medianDays ?? null,
    });
  }

  // Stages: the log's stage column, else the channel → stage table over the paths' channels.
  let stageSource: string | null = null;
  let reach: { stage: string; journeys: number; converting: number }[] | null = null;
  if (facts.stages !== null) {
    stageSource = "the stage column of the touchpoint log";
    reach = [...facts.stages];
  } else if (stageTable !== null) {
    const byChannel = stageTableOf(stageTable);
    if (byChannel.size > 0) {
      stageSource = "the channel → stage table";
      const counts = new Map<string, { stage: string; journeys: number; converting: number }>();
      for (const p of paths) {
        const seen = new Set<string>();
        for (const channel of p.channels) {
          const stage = byChannel.get(channel.trim().toLowerCase());
          if (stage === undefined || seen.has(stage)) continue;
          seen.add(stage);
          const entry = counts.get(stage) ?? { stage, journeys: 0, converting: 0 };
          entry.journeys += p.conversions + p.nulls;
          entry.converting += p.conversions;
          counts.set(stage, entry);
        }
      }
      reach = [...counts.values()];
    }
  }
  // Contents are ranked when the facts counted them at the stages shown; a summarised log without a
  // stage column cannot know the channel → stage table, so its contents are left out, said so.
  const contentsLeftOut =
    stageSource !== null && facts.hasContents && facts.stageContents === null
      ? "the contents were not counted per stage: the touchpoint log was summarised out of core and has no stage column, and the channel → stage table is applied after the summary"
      : null;
  let stages: StageRow[] | null = null;
  if (reach !== null) {
    const rank = (stage: string) => {
      const i = STAGE_ORDER.indexOf(stage as (typeof STAGE_ORDER)[number]);
      return i < 0 ? STAGE_ORDER.length : i;
    };
    const contentsOf = (stage: string) =>
      (facts.stageContents ?? [])
        .filter((c) => c.stage === stage && c.journeys >= MIN_CONTENT_JOURNEYS)
        .sort((a, b) => b.converting / b.journeys - a.converting / a.journeys || b.journeys - a.journeys || (a.content < b.content ? -1 : 1))
        .slice(0, TOP_CONTENTS)
        .map((c) => ({ content: c.content, journeys: c.journeys, converting: c.converting }));
    stages = reach
      .sort((a, b) => rank(a.stage) - rank(b.stage) || (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0))
      .map((entry) => ({ stage: entry.stage, journeys: entry.journeys, converting: entry.converting, contents: contentsOf(entry.stage) }));
    if (stages.length === 0) stages = null;
  }

  const opener = [...stats.roles].sort((a, b) => b.first - a.first || (a.channel < b.channel ? -1 : 1))[0];
  const convertingTouches = facts.touchCounts.filter((t) => t.converted).map((t) => [t.touches, t.journeys] as const);
  const singleTouch = convertingTouches.find(([touches]) => touches === 1)?.[1] ?? 0;
  return {
    facts,
    journeyCount,
    converting,
    value: paths.reduce((s, p) => s + p.value, 0),
    stats,
    channels,
    medianTouches: medianOfCounts(convertingTouches)!,
    medianDays: facts.medianDaysConverting!,
    topOpener: opener.channel,
    singleTouchShare: singleTouch / converting,
    segments,
    returningRule,
    lengths,
    stages,
    stageSource,
    hasContents: facts.hasContents,
    contentsLeftOut,
    log: {
      rows: facts.log.rows,
      first: facts.log.first,
      last: facts.log.last,
      customers: facts.log.customers,
      conversionsWithoutTouch: facts.log.conversionsWithoutTouch,
      touchesOutsideLookback: facts.log.touchesOutsideLookback,
    },
  };
}
