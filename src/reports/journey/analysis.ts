/**
 * The numbers of the Journey tab, computed once from the business data: the touchpoint log cut into
 * journeys (as IMC.ATTRIBUTE.EVENTS cuts it, 30-day look-back), their path statistics (as IMC.PATHS
 * computes them), time from first touch to conversion, new vs returning customers and RFM segments,
 * and the buyer-journey stages and contents of the touches.
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

import { readTouchpointLog } from "../../engine/attribution";
import { calendarToSerial, serialToCalendar } from "../../engine/data";
import { toOptionalText } from "../../engine/data/cells";
import { textColumn } from "../../engine/data/range";
import { EngineError } from "../../engine/errors";
import { journeysOfLog, PathStatsAggregator, type LogJourney, type PathStats } from "../../engine/journeys";
import { rfmScores } from "../../engine/segmentation/rfm";
import type { BusinessData } from "../detect";
import { transactionsOf } from "../format";
import { touchpointRowsOf } from "../summarisedTouchpoints";

/** Look-back window of the journeys, days (IMC.ATTRIBUTE.EVENTS's default). */
export const JOURNEY_LOOKBACK_DAYS = 30;
/** Paths listed overall, and per segment. */
export const TOP_PATHS = 10;
export const TOP_SEGMENT_PATHS = 3;
/** RFM segments shown (the largest by journeys). */
export const RFM_SEGMENTS_SHOWN = 3;
/** A content is ranked only when at least this many journeys saw it at the stage. */
export const MIN_CONTENT_JOURNEYS = 5;
/** Contents listed per stage. */
export const TOP_CONTENTS = 3;

/** Buyer-journey stages in their order; other stages written in the data follow them. */
export const STAGE_ORDER = ["Awareness", "Consideration", "Decision", "Retention", "Advocacy"] as const;

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
  readonly journeys: readonly LogJourney[];
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
  readonly log: {
    readonly rows: number;
    readonly first: number;
    readonly last: number;
    readonly customers: number;
    readonly conversionsWithoutTouch: number;
    readonly touchesOutsideLookback: number;
  };
}

/** Median of numbers (sorted copy); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The first day of the month of a date serial. */
function monthStart(serial: number): number {
  const { year, month } = serialToCalendar(Math.floor(serial));
  return calendarToSerial({ year, month, day: 1 });
}

/** A stage as shown: one of the five canonical names when it matches one (case and spaces ignored), else as written, trimmed. */
export function stageName(text: string): string {
  const key = text.trim().toLowerCase();
  const known = STAGE_ORDER.find((stage) => stage.toLowerCase() === key);
  return known ?? text.trim();
}

/** Path statistics of some journeys. */
function statsOf(journeys: readonly LogJourney[], channels: readonly string[], top: number): PathStats {
  const aggregator = new PathStatsAggregator();
  for (const name of channels) aggregator.channelId(name);
  journeys.forEach((j, i) => aggregator.addJourney(j.channelIds, j.channelIds.length, j.converted ? 1 : 0, j.value, j.converted ? 0 : 1, i + 1));
  return aggregator.result({ top });
}

/**
 * Analyses the business data for the Journey tab.
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
  touchpointRowsOf(touchpoints);
  const log = readTouchpointLog(
    { customerIds: touchpoints.customerIds, timestamps: touchpoints.timestamps, channels: touchpoints.channels, conversions: touchpoints.conversions },
    { blankText: "the touchpoint log is blank" },
  );
  const rows = log.customerIndex.length;
  const cut = journeysOfLog(log, JOURNEY_LOOKBACK_DAYS);
  const journeys = cut.journeys;
  const convertingJourneys = journeys.filter((j) => j.converted);
  if (convertingJourneys.length === 0) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      cut.conversions === 0
        ? "the touchpoint log has no conversion (a positive value or 1 in the conversion column marks one): there is no journey to follow"
        : `none of the ${cut.conversions} conversions has a touch within ${JOURNEY_LOOKBACK_DAYS} days before it: there is no journey to follow`,
    );
  }
  const channels = cut.channels;
  const stats = statsOf(journeys, channels, TOP_PATHS);

  // Customer ids as text, by customer number.
  const idText = textColumn(touchpoints.customerIds, "customer_ids", rows);
  const customerId: string[] = [];
  for (let i = 0; i < rows; i++) customerId[log.customerIndex[i]] ??= idText[i];

  // New vs returning. Orders summarised out of core (a file too large to read row by row) cannot be
  // looked through per journey: the log's own conversions tell returning customers then, as without orders.
  const summarised = data.orders?.summarised !== undefined;
  const orders = summarised ? null : (data.orders ?? null);
  const returning = new Array<boolean>(journeys.length).fill(false);
  let returningRule: string;
  let rfmOf: ((journey: LogJourney) => string) | null = null;
  if (orders !== null) {
    const transactions = transactionsOf(orders);
    const firstOrder = new Map<string, number>();
    for (let i = 0; i < transactions.rowCount; i++) {
      const id = transactions.customerIds[transactions.customerIndex[i]];
      const day = Math.floor(transactions.orderDates[i]);
      const known = firstOrder.get(id);
      if (known === undefined || day < known) firstOrder.set(id, day);
    }
    journeys.forEach((j, i) => {
      const first = firstOrder.get(customerId[j.customer]);
      returning[i] = first !== undefined && first < Math.floor(j.start);
    });
    returningRule = "returning: the customer had an order on a day before the journey's first touch";
    // RFM as of the first day of each journey's end month, from the orders before it.
    const snapshots = new Map<number, Map<string, string>>();
    const segmentsAt = (asOf: number): Map<string, string> => {
      let map = snapshots.get(asOf);
      if (map === undefined) {
        map = new Map();
        let result: ReturnType<typeof rfmScores> | null = null;
        try {
          // Orders before the month's first day: as of the day before.
          result = rfmScores(transactions, { asOf: asOf - 1, monetary: "sum" });
        } catch (error) {
          if (!(error instanceof EngineError && error.code === "INSUFFICIENT_DATA")) throw error;
        }
        if (result !== null) result.customerIds.forEach((id, c) => map!.set(id, result!.segment[c]));
        snapshots.set(asOf, map);
      }
      return map;
    };
    rfmOf = (journey) => segmentsAt(monthStart(journey.end)).get(customerId[journey.customer]) ?? "No earlier orders";
  } else {
    journeys.forEach((j, i) => {
      returning[i] = j.earlierConversions > 0;
    });
    returningRule = summarised
      ? "returning: the customer converted earlier in the touchpoint log (the orders were summarised out of core, too many to look through per journey; no RFM split)"
      : "returning: the customer converted earlier in the touchpoint log (no orders table to look further back)";
  }

  const segmentOf = (name: string, members: LogJourney[]): SegmentPaths => ({
    segment: name,
    journeys: members.length,
    conversions: members.filter((j) => j.converted).length,
    stats: statsOf(members, channels, TOP_SEGMENT_PATHS),
  });
  const segments: SegmentPaths[] = [];
  const newJourneys = journeys.filter((_, i) => !returning[i]);
  const returningJourneys = journeys.filter((_, i) => returning[i]);
  // Not "New Customers": that is an RFM segment with its own definition.
  const [newName, returningName] = orders !== null ? ["New (no earlier order)", "Returning (earlier order)"] : ["New (first conversion)", "Returning (converted before)"];
  if (newJourneys.length > 0) segments.push(segmentOf(newName, newJourneys));
  if (returningJourneys.length > 0) segments.push(segmentOf(returningName, returningJourneys));
  if (rfmOf !== null) {
    const groups = new Map<string, LogJourney[]>();
    for (const j of journeys) {
      const name = rfmOf(j);
      if (name === "No earlier orders") continue;
      const list = groups.get(name) ?? [];
      list.push(j);
      groups.set(name, list);
    }
    [...groups.entries()]
      .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
      .slice(0, RFM_SEGMENTS_SHOWN)
      .forEach(([name, members]) => segments.push(segmentOf(`RFM: ${name}`, members)));
  }

  // Lengths and days.
  const lengths: LengthRow[] = [];
  const bands = stats.lengths.length;
  let longest = 0;
  for (const j of journeys) longest = Math.max(longest, j.channelIds.length);
  for (let b = 0; b < Math.min(bands, longest); b++) {
    const inBand = journeys.filter((j) => (b === bands - 1 ? j.channelIds.length >= bands : j.channelIds.length === b + 1));
    const conv = inBand.filter((j) => j.converted);
    const notConv = inBand.filter((j) => !j.converted);
    lengths.push({
      label: b === bands - 1 ? `${bands}+ touches` : b === 0 ? "1 touch" : `${b + 1} touches`,
      journeys: inBand.length,
      converting: conv.length,
      medianDaysConverting: median(conv.map((j) => j.end - j.start)),
      medianDaysNotConverting: median(notConv.map((j) => j.end - j.start)),
    });
  }

  // Stages and contents of the touches.
  let stageOfRow: ((row: number) => string | null) | null = null;
  let stageSource: string | null = null;
  if (touchpoints.stages !== undefined) {
    const stageCells = touchpoints.stages;
    const texts = new Array<string | null>(rows);
    let any = false;
    for (let i = 0; i < rows; i++) {
      const text = toOptionalText(stageCells[i], "stages", i + 1);
      texts[i] = text === null ? null : stageName(text);
      any ||= texts[i] !== null;
    }
    if (any) {
      stageOfRow = (row) => texts[row];
      stageSource = "the stage column of the touchpoint log";
    }
  }
  if (stageOfRow === null && data.stages) {
    const table = data.stages;
    const byChannel = new Map<string, string>();
    const count = Math.max(table.channels.length, table.stages.length);
    for (let i = 0; i < count; i++) {
      const channel = toOptionalText(table.channels[i], "stage table channels", i + 1);
      const stage = toOptionalText(table.stages[i], "stage table stages", i + 1);
      if (channel !== null && stage !== null) byChannel.set(channel.trim().toLowerCase(), stageName(stage));
    }
    if (byChannel.size > 0) {
      stageOfRow = (row) => byChannel.get((log.channels[row] ?? "").trim().toLowerCase()) ?? null;
      stageSource = "the channel → stage table";
    }
  }
  let contentOfRow: ((row: number) => string | null) | null = null;
  if (touchpoints.contents !== undefined) {
    const cells = touchpoints.contents;
    const texts = new Array<string | null>(rows);
    let any = false;
    for (let i = 0; i < rows; i++) {
      texts[i] = toOptionalText(cells[i], "contents", i + 1);
      any ||= texts[i] !== null;
    }
    if (any) contentOfRow = (row) => texts[row];
  }
  let stages: StageRow[] | null = null;
  if (stageOfRow !== null) {
    const reach = new Map<string, { journeys: number; converting: number; contents: Map<string, { journeys: number; converting: number }> }>();
    for (const j of journeys) {
      const seen = new Set<string>();
      const seenContent = new Set<string>();
      for (const row of j.touchRows) {
        const stage = stageOfRow(row);
        if (stage === null) continue;
        let entry = reach.get(stage);
        if (entry === undefined) {
          entry = { journeys: 0, converting: 0, contents: new Map() };
          reach.set(stage, entry);
        }
        if (!seen.has(stage)) {
          seen.add(stage);
          entry.journeys++;
          if (j.converted) entry.converting++;
        }
        const content = contentOfRow?.(row) ?? null;
        if (content !== null && !seenContent.has(`${stage}\u0000${content}`)) {
          seenContent.add(`${stage}\u0000${content}`);
          const c = entry.contents.get(content) ?? { journeys: 0, converting: 0 };
          c.journeys++;
          if (j.converted) c.converting++;
          entry.contents.set(content, c);
        }
      }
    }
    const rank = (stage: string) => {
      const i = STAGE_ORDER.indexOf(stage as (typeof STAGE_ORDER)[number]);
      return i < 0 ? STAGE_ORDER.length : i;
    };
    stages = [...reach.entries()]
      .sort((a, b) => rank(a[0]) - rank(b[0]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([stage, entry]) => ({
        stage,
        journeys: entry.journeys,
        converting: entry.converting,
        contents: [...entry.contents.entries()]
          .filter(([, c]) => c.journeys >= MIN_CONTENT_JOURNEYS)
          .sort((a, b) => b[1].converting / b[1].journeys - a[1].converting / a[1].journeys || b[1].journeys - a[1].journeys || (a[0] < b[0] ? -1 : 1))
          .slice(0, TOP_CONTENTS)
          .map(([content, c]) => ({ content, journeys: c.journeys, converting: c.converting })),
      }));
    if (stages.length === 0) stages = null;
  }

  const opener = [...stats.roles].sort((a, b) => b.first - a.first || (a.channel < b.channel ? -1 : 1))[0];
  const singleTouch = convertingJourneys.filter((j) => j.channelIds.length === 1).length;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < rows; i++) {
    first = Math.min(first, log.timestamps[i]);
    last = Math.max(last, log.timestamps[i]);
  }
  return {
    journeys,
    converting: convertingJourneys.length,
    value: convertingJourneys.reduce((s, j) => s + j.value, 0),
    stats,
    channels,
    medianTouches: median(convertingJourneys.map((j) => j.channelIds.length))!,
    medianDays: median(convertingJourneys.map((j) => j.end - j.start))!,
    topOpener: opener.channel,
    singleTouchShare: singleTouch / convertingJourneys.length,
    segments,
    returningRule,
    lengths,
    stages,
    stageSource,
    hasContents: contentOfRow !== null,
    log: {
      rows,
      first,
      last,
      customers: customerId.length,
      conversionsWithoutTouch: cut.conversionsWithoutTouch,
      touchesOutsideLookback: cut.touchesOutsideLookback,
    },
  };
}
