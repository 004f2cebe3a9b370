/**
 * The journey facts of the Journey tab: what the tab is built from, as counts and sums that a GROUP
 * BY gives, so that a touchpoint log read row by row (here) and one summarised out of core by DuckDB
 * (src/cli/duckdb/report/journeyFacts.ts) give the same facts and the same tab (analysis.ts turns
 * facts into the tab's numbers).
 *
 * The log is cut into journeys as IMC.ATTRIBUTE.EVENTS cuts it (journeysOfLog, 30-day look-back).
 * The facts are:
 * - per distinct (path, returning?, RFM segment): converting and non-converting journeys and the
 *   value of the conversions (the path statistics, the segments' top paths, the stage funnel from a
 *   channel → stage table are all sums over these);
 * - per (touches, converted?): journeys (median touches, one-touch share, the longest journey);
 * - per (length band, converted?): journeys and the median days from first touch to the end (the
 *   conversion, or the last touch), and the median days to convert over all converting journeys;
 * - per stage of the log's stage column, and per (stage, content): journeys that reached it and
 *   converting ones (a journey counted once per stage, once per stage and content);
 * - the log's rows, first and last time, ids, conversions and what the cut left out.
 *
 * Definitions (stated on the tab): returning: with orders read row by row, the customer had an
 * order on a day before the journey's first touch; else the customer converted earlier in the log.
 * RFM segment of a journey: the customer's segment (IMC.RFM) as of the first day of the month the
 * journey ended in, from the orders before that day; "No earlier orders" when there were none.
 */

import { readTouchpointLog } from "../../engine/attribution";
import { calendarToSerial, serialToCalendar } from "../../engine/data";
import { toOptionalText } from "../../engine/data/cells";
import { textColumn } from "../../engine/data/range";
import { EngineError } from "../../engine/errors";
import { journeysOfLog, PATH_LENGTH_BANDS, type LogJourney } from "../../engine/journeys";
import type { Transactions } from "../../engine/data";
import { rfmScores } from "../../engine/segmentation/rfm";
import type { BusinessData } from "../detect";
import { transactionsOf } from "../format";
import type { OrdersInput } from "../inputs";

/** Look-back window of the journeys, days (IMC.ATTRIBUTE.EVENTS's default). */
export const JOURNEY_LOOKBACK_DAYS = 30;

/** Buyer-journey stages in their order; other stages written in the data follow them. */
export const STAGE_ORDER = ["Awareness", "Consideration", "Decision", "Retention", "Advocacy"] as const;

/** The RFM "segment" of a journey whose customer had no order before the month it ended in. */
export const NO_EARLIER_ORDERS = "No earlier orders";

/** How the orders were available when the facts were computed. */
export type JourneyOrders = "rows" | "summarised" | "none";

/** What the facts were computed for; the tab checks it (see {@link checkedJourneyFacts}). */
export interface JourneyFactsFor {
  /** Look-back of the journeys, days. */
  readonly lookbackDays: number;
  /** The run's orders: read row by row, summarised out of core, or none. */
  readonly orders: JourneyOrders;
}

/** Journeys of one distinct path with one returning flag and RFM segment. */
export interface PathFact {
  /** Channel names of the touches in time order. */
  readonly channels: readonly string[];
  readonly returning: boolean;
  /** RFM segment (or {@link NO_EARLIER_ORDERS}); null when segments were not computed. */
  readonly segment: string | null;
  /** Converting journeys. */
  readonly conversions: number;
  /** Journeys that did not convert. */
  readonly nulls: number;
  /** Total conversion value of the converting journeys. */
  readonly value: number;
}

/** Journeys of one number of touches. */
export interface TouchCountFact {
  readonly touches: number;
  readonly converted: boolean;
  readonly journeys: number;
}

/** Journeys of one length band (1 … PATH_LENGTH_BANDS, the last one "or more"). */
export interface LengthDaysFact {
  readonly band: number;
  readonly converted: boolean;
  readonly journeys: number;
  /** Median days from the first touch to the end of the journey (conversion, or last touch). */
  readonly medianDays: number;
}

/** Journeys that reached a stage (one of their touches carries it). */
export interface StageFact {
  readonly stage: string;
  readonly journeys: number;
  readonly converting: number;
}

/** Journeys that saw a content at a stage. */
export interface StageContentFact {
  readonly stage: string;
  readonly content: string;
  readonly journeys: number;
  readonly converting: number;
}

/** The Journey tab's facts; see the file comment. Lists are in a canonical order (see {@link canonicalJourneyFacts}). */
export interface JourneyFacts {
  readonly computedFor: JourneyFactsFor;
  readonly log: {
    /** Rows of the log. */
    readonly rows: number;
    /** Earliest and latest time of a row (Excel serials). */
    readonly first: number;
    readonly last: number;
    /** Distinct customer ids. */
    readonly customers: number;
    /** Conversion rows. */
    readonly conversions: number;
    readonly conversionsWithoutTouch: number;
    readonly touchesOutsideLookback: number;
  };
  /** Channel names in order of first appearance in the log. */
  readonly channels: readonly string[];
  readonly paths: readonly PathFact[];
  readonly touchCounts: readonly TouchCountFact[];
  readonly lengthDays: readonly LengthDaysFact[];
  /** Median days from first touch to conversion over all converting journeys; null when none. */
  readonly medianDaysConverting: number | null;
  /** "orders": returning told from the orders' first order day; "log": from earlier conversions in the log. */
  readonly returningFrom: "orders" | "log";
  /** True when the path facts carry RFM segments. */
  readonly rfm: boolean;
  /** Why the RFM split was left out although orders were read row by row; null otherwise. */
  readonly rfmLeftOut: string | null;
  /** From the log's stage column; null when the log has no stage column or every stage is blank. */
  readonly stages: readonly StageFact[] | null;
  /**
   * Contents per stage (the stage column's, or the channel → stage table's when the log has no
   * stage column and the table was given); null when not computed (no stage at all).
   */
  readonly stageContents: readonly StageContentFact[] | null;
  /** True when a touch of the log names a content. */
  readonly hasContents: boolean;
}

/** Median of numbers (sorted copy); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A stage as shown: one of the five canonical names when it matches one (case and spaces ignored), else as written, trimmed. */
export function stageName(text: string): string {
  const key = text.trim().toLowerCase();
  const known = STAGE_ORDER.find((stage) => stage.toLowerCase() === key);
  return known ?? text.trim();
}

/** The first day of the month of a date serial. */
export function monthStart(serial: number): number {
  const { year, month } = serialToCalendar(Math.floor(serial));
  return calendarToSerial({ year, month, day: 1 });
}

/** The length band of a journey of `touches` touches: 1 … PATH_LENGTH_BANDS. */
export function lengthBand(touches: number): number {
  return Math.min(touches, PATH_LENGTH_BANDS);
}

/** How the run's orders are available to the Journey tab. */
export function journeyOrdersOf(orders: OrdersInput | null | undefined): JourneyOrders {
  return orders === null || orders === undefined ? "none" : orders.summarised !== undefined ? "summarised" : "rows";
}

/**
 * Each customer's first order day (integer serial), from orders read row by row.
 *
 * @param transactions the orders.
 * @returns first order day by customer id.
 */
export function firstOrderDays(transactions: Transactions): Map<string, number> {
  const firstOrder = new Map<string, number>();
  for (let i = 0; i < transactions.rowCount; i++) {
    const id = transactions.customerIds[transactions.customerIndex[i]];
    const day = Math.floor(transactions.orderDates[i]);
    const known = firstOrder.get(id);
    if (known === undefined || day < known) firstOrder.set(id, day);
  }
  return firstOrder;
}

/**
 * The customers' RFM segments (IMC.RFM, monetary the sum) as of the first day of a month, from the
 * orders before it; empty when no order comes before it.
 *
 * @param transactions the orders.
 * @param monthFirstDay the first day of the month (integer serial).
 * @returns segment by customer id.
 */
export function rfmSegmentsBefore(transactions: Transactions, monthFirstDay: number): Map<string, string> {
  const map = new Map<string, string>();
  let result: ReturnType<typeof rfmScores> | null = null;
  try {
    // Orders before the month's first day: as of the day before.
    result = rfmScores(transactions, { asOf: monthFirstDay - 1, monetary: "sum" });
  } catch (error) {
    if (!(error instanceof EngineError && error.code === "INSUFFICIENT_DATA")) throw error;
  }
  if (result !== null) result.customerIds.forEach((id, c) => map.set(id, result.segment[c]));
  return map;
}

/** Code-unit order of two texts. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Path facts in order: channels (name by name, shorter first on a common prefix), returning, segment. */
function comparePathFacts(a: PathFact, b: PathFact): number {
  const n = Math.min(a.channels.length, b.channels.length);
  for (let i = 0; i < n; i++) {
    const d = compareText(a.channels[i], b.channels[i]);
    if (d !== 0) return d;
  }
  return a.channels.length - b.channels.length || Number(a.returning) - Number(b.returning) || compareText(a.segment ?? "", b.segment ?? "");
}

/**
 * The facts with their lists in the canonical order, so that two routes give equal objects and the
 * tab adds their sums in the same order: paths by channels, returning, segment; touch counts by
 * touches then converted; length bands by band then converted; stages and contents by name.
 *
 * @param facts the facts in any order.
 * @returns the same facts, sorted.
 */
export function canonicalJourneyFacts(facts: JourneyFacts): JourneyFacts {
  return {
    ...facts,
    paths: [...facts.paths].sort(comparePathFacts),
    touchCounts: [...facts.touchCounts].sort((a, b) => a.touches - b.touches || Number(a.converted) - Number(b.converted)),
    lengthDays: [...facts.lengthDays].sort((a, b) => a.band - b.band || Number(a.converted) - Number(b.converted)),
    stages: facts.stages === null ? null : [...facts.stages].sort((a, b) => compareText(a.stage, b.stage)),
    stageContents: facts.stageContents === null ? null : [...facts.stageContents].sort((a, b) => compareText(a.stage, b.stage) || compareText(a.content, b.content)),
  };
}

/**
 * The facts as the tab reads them from a summarised log, checked against what the tab is built for.
 *
 * @param facts the part of SummarisedTouchpoints, or null when it was not computed.
 * @param orders how the run's orders are available.
 * @returns the facts.
 * @throws Error (a bug of the caller, not the data's fault) when the facts are missing or were
 *   computed for another look-back or other orders.
 */
export function checkedJourneyFacts(facts: JourneyFacts | null | undefined, orders: JourneyOrders): JourneyFacts {
  if (facts === null || facts === undefined) throw new Error("bug: the touchpoint log is summarised out of core but the journey facts were not computed");
  if (facts.computedFor.lookbackDays !== JOURNEY_LOOKBACK_DAYS || facts.computedFor.orders !== orders) {
    throw new Error(
      `bug: the journey facts were computed for a ${facts.computedFor.lookbackDays}-day look-back with orders "${facts.computedFor.orders}", and the tab is built for ${JOURNEY_LOOKBACK_DAYS} days with orders "${orders}"`,
    );
  }
  return facts;
}

/** Counts of a group: journeys, converting. */
interface Counts {
  journeys: number;
  converting: number;
}

/**
 * The journey facts of a touchpoint log read row by row.
 *
 * @param data the business data: the touchpoint log (rows, with its stage and content columns when
 *   given), the orders (row by row, summarised, or none) and the channel → stage table.
 * @returns the facts, in canonical order.
 * @throws EngineError INSUFFICIENT_DATA without a touchpoint log or when it was summarised out of
 *   core; INVALID_INPUT naming the column and row for a bad cell.
 */
export function journeyFactsOf(data: BusinessData): JourneyFacts {
  const touchpoints = data.touchpoints;
  if (touchpoints === null) {
    throw new EngineError("INSUFFICIENT_DATA", "there is no touchpoint log: the Journey tab needs one row per touch (customer, time, channel) with the conversions");
  }
  if (touchpoints.summarised !== undefined) throw new Error("bug: journeyFactsOf needs the touchpoint log row by row; take the summarised facts");
  const log = readTouchpointLog(
    { customerIds: touchpoints.customerIds, timestamps: touchpoints.timestamps, channels: touchpoints.channels, conversions: touchpoints.conversions },
    { blankText: "the touchpoint log is blank" },
  );
  const rows = log.customerIndex.length;
  const cut = journeysOfLog(log, JOURNEY_LOOKBACK_DAYS);
  const journeys = cut.journeys;

  // Customer ids as text, by customer number.
  const idText = textColumn(touchpoints.customerIds, "customer_ids", rows);
  const customerId: string[] = [];
  for (let i = 0; i < rows; i++) customerId[log.customerIndex[i]] ??= idText[i];

  const ordersAre = journeyOrdersOf(data.orders);
  const returning = new Array<boolean>(journeys.length).fill(false);
  let segmentOf: (journey: LogJourney) => string | null = () => null;
  if (ordersAre === "rows") {
    const transactions = transactionsOf(data.orders!);
    const firstOrder = firstOrderDays(transactions);
    journeys.forEach((j, i) => {
      const first = firstOrder.get(customerId[j.customer]);
      returning[i] = first !== undefined && first < Math.floor(j.start);
    });
    const snapshots = new Map<number, Map<string, string>>();
    segmentOf = (journey) => {
      const asOf = monthStart(journey.end);
      let map = snapshots.get(asOf);
      if (map === undefined) {
        map = rfmSegmentsBefore(transactions, asOf);
        snapshots.set(asOf, map);
      }
      return map.get(customerId[journey.customer]) ?? NO_EARLIER_ORDERS;
    };
  } else {
    journeys.forEach((j, i) => {
      returning[i] = j.earlierConversions > 0;
    });
  }

  // Paths, touch counts, length bands.
  const paths = new Map<string, { channels: string[]; returning: boolean; segment: string | null; conversions: number; nulls: number; value: number }>();
  const touchCounts = new Map<string, TouchCountFact & { journeys: number }>();
  const days = new Map<string, { band: number; converted: boolean; days: number[] }>();
  const convertingDays: number[] = [];
  journeys.forEach((j, i) => {
    const channels = Array.from(j.channelIds, (id) => cut.channels[id]);
    const segment = segmentOf(j);
    const key = JSON.stringify([channels, returning[i], segment]);
    let path = paths.get(key);
    if (path === undefined) {
      path = { channels, returning: returning[i], segment, conversions: 0, nulls: 0, value: 0 };
      paths.set(key, path);
    }
    if (j.converted) {
      path.conversions++;
      path.value += j.value;
      convertingDays.push(j.end - j.start);
    } else {
      path.nulls++;
    }
    const touchKey = `${j.channelIds.length}:${j.converted}`;
    const count = touchCounts.get(touchKey) ?? { touches: j.channelIds.length, converted: j.converted, journeys: 0 };
    count.journeys++;
    touchCounts.set(touchKey, count);
    const band = lengthBand(j.channelIds.length);
    const dayKey = `${band}:${j.converted}`;
    const entry = days.get(dayKey) ?? { band, converted: j.converted, days: [] };
    entry.days.push(j.end - j.start);
    days.set(dayKey, entry);
  });

  // Stages and contents of the touches.
  let stageOfRow: ((row: number) => string | null) | null = null;
  let fromColumn = false;
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
      fromColumn = true;
    }
  }
  if (stageOfRow === null && data.stages) {
    const byChannel = stageTableOf(data.stages);
    if (byChannel.size > 0) stageOfRow = (row) => byChannel.get((log.channels[row] ?? "").trim().toLowerCase()) ?? null;
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
  const stageCounts = new Map<string, Counts>();
  const contentCounts = new Map<string, Counts & { stage: string; content: string }>();
  if (stageOfRow !== null) {
    for (const j of journeys) {
      const seen = new Set<string>();
      const seenContent = new Set<string>();
      for (const row of j.touchRows) {
        const stage = stageOfRow(row);
        if (stage === null) continue;
        if (!seen.has(stage)) {
          seen.add(stage);
          const entry = stageCounts.get(stage) ?? { journeys: 0, converting: 0 };
          entry.journeys++;
          if (j.converted) entry.converting++;
          stageCounts.set(stage, entry);
        }
        const content = contentOfRow?.(row) ?? null;
        const key = `${stage}\u0000${content}`;
        if (content !== null && !seenContent.has(key)) {
          seenContent.add(key);
          const c = contentCounts.get(key) ?? { stage, content, journeys: 0, converting: 0 };
          c.journeys++;
          if (j.converted) c.converting++;
          contentCounts.set(key, c);
        }
      }
    }
  }

  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < rows; i++) {
    first = Math.min(first, log.timestamps[i]);
    last = Math.max(last, log.timestamps[i]);
  }
  return canonicalJourneyFacts({
    computedFor: { lookbackDays: JOURNEY_LOOKBACK_DAYS, orders: ordersAre },
    log: {
      rows,
      first,
      last,
      customers: customerId.length,
      conversions: cut.conversions,
      conversionsWithoutTouch: cut.conversionsWithoutTouch,
      touchesOutsideLookback: cut.touchesOutsideLookback,
    },
    channels: cut.channels,
    paths: [...paths.values()],
    touchCounts: [...touchCounts.values()],
    lengthDays: [...days.values()].map((d) => ({ band: d.band, converted: d.converted, journeys: d.days.length, medianDays: median(d.days)! })),
    medianDaysConverting: median(convertingDays),
    returningFrom: ordersAre === "rows" ? "orders" : "log",
    rfm: ordersAre === "rows",
    rfmLeftOut: null,
    stages: fromColumn ? [...stageCounts].map(([stage, c]) => ({ stage, ...c })) : null,
    stageContents: stageOfRow === null ? null : [...contentCounts.values()],
    hasContents: contentOfRow !== null,
  });
}

/**
 * The channel → stage table as a map from the channel (trimmed, lower case) to the stage name.
 *
 * @param table the table's columns.
 * @returns stage by channel key.
 * @throws EngineError INVALID_INPUT naming the column and row of a bad cell.
 */
export function stageTableOf(table: NonNullable<BusinessData["stages"]>): Map<string, string> {
  const byChannel = new Map<string, string>();
  const count = Math.max(table.channels.length, table.stages.length);
  for (let i = 0; i < count; i++) {
    const channel = toOptionalText(table.channels[i], "stage table channels", i + 1);
    const stage = toOptionalText(table.stages[i], "stage table stages", i + 1);
    if (channel !== null && stage !== null) byChannel.set(channel.trim().toLowerCase(), stageName(stage));
  }
  return byChannel;
}
