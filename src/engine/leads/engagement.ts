/**
 * Engagement score of leads (domain.md §6, lead scoring's second axis): each activity earns points
 * that fade with a half-life, and a lead's score is the sum of its faded points, capped.
 *
 * Glossary:
 * - p_e: points of event e (negative points are allowed, e.g. an unsubscribe);
 * - a_e: age of event e in days, as_of − date (fractions of a day count);
 * - h: half-life in days (an event h days old counts half);
 * - score = min(cap, max(0, Σ_e p_e · 0.5^(a_e / h))).
 *
 * Events dated after as_of are left out and counted; events of ids that are not in the lead list are
 * left out and counted. Check (domain check of the task): 10 points on as_of and 20 points 14 days
 * before, half-life 14 → 10 + 20 · 0.5 = 20.
 *
 * Built for a million events: one pass converts the cells into typed arrays (no object per event),
 * lead ids go through one Map from id text to lead index, and a second pass sums.
 */

import { EngineError, invalidArgument } from "../errors";
import { isBlankCell, toDateSerial, toNumber, toText } from "../data/cells";

/** Default half-life of an event's points, in days. */
export const DEFAULT_ENGAGEMENT_HALF_LIFE_DAYS = 30;
/** Default cap of an engagement score. */
export const DEFAULT_ENGAGEMENT_CAP = 100;

/** The cells of the lead list and of the event log (row-aligned event columns). */
export interface EngagementInput {
  /** One id per lead (text or numbers); a blank row is a blank lead (score 0, flagged in {@link EngagementResult.blankLead}). */
  readonly leadIds: readonly unknown[];
  /** Lead id of each event. */
  readonly eventLeadIds: readonly unknown[];
  /** Date of each event (serials or date text). */
  readonly eventDates: readonly unknown[];
  /** Points of each event (cells, or numbers already read). */
  readonly eventPoints: readonly unknown[] | Float64Array;
}

/** Options of {@link engagementScores}. */
export interface EngagementOptions {
  /** Excel serial of the scoring date; null or omitted: the latest event date. */
  readonly asOf?: number | null;
  /** Half-life in days, > 0. Default 30. */
  readonly halfLifeDays?: number;
  /** Highest score, > 0. Default 100. */
  readonly cap?: number;
  /** Names of the inputs in messages (the user's argument or column names). */
  readonly names?: Partial<EngagementNames>;
}

/** Names of the inputs as the user sees them. */
export interface EngagementNames {
  readonly leadIds: string;
  readonly eventLeadIds: string;
  readonly eventDates: string;
  readonly eventPoints: string;
  readonly asOf: string;
  readonly halfLifeDays: string;
  readonly cap: string;
}

/** One past the last valid date serial (9999-12-31 + 1). */
const MAX_SERIAL_END = 2958466;

const DEFAULT_NAMES: EngagementNames = {
  leadIds: "lead_ids",
  eventLeadIds: "event_lead_ids",
  eventDates: "event_dates",
  eventPoints: "event_points",
  asOf: "as_of",
  halfLifeDays: "half_life_days",
  cap: "cap",
};

/** Engagement per lead row and what was left out. */
export interface EngagementResult {
  /** Score of each row of the lead list, in [0, cap] (0 for a blank row or a lead without events). */
  readonly scores: Float64Array;
  /** 1 where the lead list's row is blank. */
  readonly blankLead: Uint8Array;
  /** Events counted per lead row (events on or before as_of). */
  readonly eventCounts: Int32Array;
  /** The scoring date used (serial); null when there is no event. */
  readonly asOf: number | null;
  readonly halfLifeDays: number;
  readonly cap: number;
  /** Events counted in a score. */
  readonly eventsCounted: number;
  /** Events dated after as_of, left out. */
  readonly eventsAfterAsOf: number;
  /** Events whose lead id is not in the lead list, left out. */
  readonly eventsOfUnknownLeads: number;
  /** Event rows blank in every column, skipped. */
  readonly blankEventRows: number;
  /** Leads (rows) whose raw sum reached the cap, and whose raw sum was negative (shown as 0). */
  readonly cappedLeads: number;
  readonly flooredLeads: number;
}

/**
 * The key of an id cell: its trimmed text, numbers as displayed ("1001"), so 1001 and "1001" are one id.
 * Strings without surrounding spaces are returned as they are (no allocation).
 */
function idKey(value: unknown, argument: string, row: number): string {
  if (typeof value === "string") {
    const first = value.charCodeAt(0);
    const last = value.charCodeAt(value.length - 1);
    if (value.length > 0 && first > 32 && last > 32) return value;
  }
  return toText(value, argument, row);
}

/** Ages (whole days) whose decay factor is kept once computed: about 11 years. */
const DECAY_CACHE_DAYS = 4096;

function checkPositive(value: number, argument: string, what: string): void {
  if (!(Number.isFinite(value) && value > 0)) throw invalidArgument(argument, `${what} must be a number above 0, got ${String(value)}`);
}

/**
 * Engagement score of each lead: the sum of its events' points halved every `halfLifeDays` days of
 * age at `asOf`, floored at 0 and capped at `cap`.
 *
 * @param input the lead list and the event columns (event columns equally long).
 * @param options scoring date (default the latest event date), half-life in days (> 0, default 30),
 *   cap (> 0, default 100), names for messages.
 * @returns one score per row of the lead list, with counts of what was left out.
 * @throws EngineError INVALID_INPUT for unequal event columns, a bad id, date or points cell (argument
 *   and 1-based row named), or a half-life or cap that is not above 0.
 *
 * References: exponential decay with a half-life, the usual form of engagement ("behavioural")
 * scoring in marketing automation (e.g. HubSpot score decay); domain.md §6.
 */
export function engagementScores(input: EngagementInput, options: EngagementOptions = {}): EngagementResult {
  const names: EngagementNames = { ...DEFAULT_NAMES, ...options.names };
  const halfLifeDays = options.halfLifeDays ?? DEFAULT_ENGAGEMENT_HALF_LIFE_DAYS;
  const cap = options.cap ?? DEFAULT_ENGAGEMENT_CAP;
  checkPositive(halfLifeDays, names.halfLifeDays, "the half-life in days");
  checkPositive(cap, names.cap, "the cap");
  const asOfOption = options.asOf ?? null;
  if (asOfOption !== null && !Number.isFinite(asOfOption)) throw invalidArgument(names.asOf, "is not a date");

  const { leadIds, eventLeadIds, eventDates, eventPoints } = input;
  const eventCount = eventLeadIds.length;
  for (const [values, name] of [
    [eventDates, names.eventDates],
    [eventPoints, names.eventPoints],
  ] as const) {
    if (values.length !== eventCount) {
      throw new EngineError(
        "INVALID_INPUT",
        `${names.eventLeadIds} has ${eventCount} rows but ${name} has ${values.length}; the event columns must be the same size`,
        { argument: name },
      );
    }
  }

  // Leads: id text → unique lead index; each row points at its lead (a repeated id shares the score).
  const leadCount = leadIds.length;
  const indexOf = new Map<string, number>();
  const rowLead = new Int32Array(leadCount);
  const blankLead = new Uint8Array(leadCount);
  for (let r = 0; r < leadCount; r++) {
    const cell = leadIds[r];
    if (isBlankCell(cell)) {
      blankLead[r] = 1;
      rowLead[r] = -1;
      continue;
    }
    const key = idKey(cell, names.leadIds, r + 1);
    let index = indexOf.get(key);
    if (index === undefined) indexOf.set(key, (index = indexOf.size));
    rowLead[r] = index;
  }

  // Events → typed arrays: lead index (-1 unknown, -2 blank row), date, points.
  const eventLead = new Int32Array(eventCount);
  const dates = new Float64Array(eventCount);
  const points = eventPoints instanceof Float64Array ? eventPoints : new Float64Array(eventCount);
  const pointCells = eventPoints instanceof Float64Array ? null : eventPoints;
  let latest = Number.NEGATIVE_INFINITY;
  let blankEventRows = 0;
  let previousCell: unknown = undefined;
  let previousIndex = -1;
  for (let e = 0; e < eventCount; e++) {
    const idCell = eventLeadIds[e];
    const dateCell = eventDates[e];
    const pointCell = pointCells === null ? 0 : pointCells[e];
    let date: number;
    let index: number;
    // The common row (text id, date serial, number of points) takes no function call but the lookup.
    if (typeof idCell === "string" && typeof dateCell === "number" && typeof pointCell === "number" && dateCell >= 1 && dateCell < MAX_SERIAL_END && pointCell - pointCell === 0) {
      if (idCell === previousCell) index = previousIndex;
      else {
        index = indexOf.get(idCell) ?? -1;
        // Not found as it is: it may have spaces around it (or be blank, caught below).
        if (index < 0) index = indexOf.get(idKey(idCell, names.eventLeadIds, e + 1)) ?? -1;
        previousCell = idCell;
        previousIndex = index;
      }
      date = dateCell;
      if (pointCells !== null) points[e] = pointCell;
    } else {
      if (isBlankCell(idCell) && isBlankCell(dateCell) && (pointCells === null || isBlankCell(pointCell))) {
        eventLead[e] = -2;
        blankEventRows++;
        continue;
      }
      index = indexOf.get(idKey(idCell, names.eventLeadIds, e + 1)) ?? -1;
      date = toDateSerial(dateCell, names.eventDates, e + 1);
      if (pointCells !== null) points[e] = toNumber(pointCell, names.eventPoints, e + 1);
    }
    if (pointCells === null && !Number.isFinite(points[e])) {
      throw new EngineError("INVALID_INPUT", `${names.eventPoints} row ${e + 1}: ${String(points[e])} is not a finite number`, { argument: names.eventPoints, row: e + 1 });
    }
    eventLead[e] = index;
    dates[e] = date;
    if (date > latest) latest = date;
  }

  const asOf = asOfOption ?? (latest === Number.NEGATIVE_INFINITY ? null : latest);
  const sums = new Float64Array(indexOf.size);
  const leadEvents = new Int32Array(indexOf.size);
  const decayPerDay = Math.LN2 / halfLifeDays;
  // Decay factor of each whole-day age below DECAY_CACHE_DAYS, 0 until computed (a computed factor
  // that underflows to 0 is only computed again).
  const decayOfDay = new Float64Array(DECAY_CACHE_DAYS);
  let eventsCounted = 0;
  let eventsAfterAsOf = 0;
  let eventsOfUnknownLeads = 0;
  if (asOf !== null) {
    for (let e = 0; e < eventCount; e++) {
      const index = eventLead[e];
      if (index === -2) continue;
      const age = asOf - dates[e];
      if (age < 0) {
        eventsAfterAsOf++;
        continue;
      }
      if (index < 0) {
        eventsOfUnknownLeads++;
        continue;
      }
      // 0.5^(age/h) = e^(−age·ln2/h); whole-day ages (date serials without a time) repeat, so their
      // factor is computed once each (the same Math.exp, so the same value).
      let factor: number;
      if (age < DECAY_CACHE_DAYS && Math.floor(age) === age) {
        factor = decayOfDay[age];
        if (factor === 0) factor = decayOfDay[age] = Math.exp(-age * decayPerDay);
      } else factor = Math.exp(-age * decayPerDay);
      sums[index] += points[e] * factor;
      leadEvents[index]++;
      eventsCounted++;
    }
  }

  const scores = new Float64Array(leadCount);
  const eventCounts = new Int32Array(leadCount);
  let cappedLeads = 0;
  let flooredLeads = 0;
  const counted = new Uint8Array(indexOf.size);
  for (let r = 0; r < leadCount; r++) {
    const index = rowLead[r];
    if (index < 0) continue;
    const sum = sums[index];
    scores[r] = sum > cap ? cap : sum < 0 ? 0 : sum;
    eventCounts[r] = leadEvents[index];
    if (counted[index] === 0) {
      counted[index] = 1;
      if (sum >= cap) cappedLeads++;
      else if (sum < 0) flooredLeads++;
    }
  }
  return {
    scores,
    blankLead,
    eventCounts,
    asOf,
    halfLifeDays,
    cap,
    eventsCounted,
    eventsAfterAsOf,
    eventsOfUnknownLeads,
    blankEventRows,
    cappedLeads,
    flooredLeads,
  };
}
