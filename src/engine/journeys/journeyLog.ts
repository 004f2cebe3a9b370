/**
 * Journeys from a touchpoint log, kept one by one (customer, touches, start and end time, converted?,
 * value), for the buyer-journey views that need more than attribution's per-path totals: time from
 * first touch to conversion, new vs returning customers, the stage and content of each touch.
 *
 * The log is cut exactly as IMC.ATTRIBUTE.EVENTS cuts it (touchpointJourneys.ts, domain.md §3):
 * a customer's rows in time order (touches before a conversion at equal times, then log order); a
 * conversion's journey is the customer's touches after their previous conversion and at most
 * `lookbackDays` before it; a conversion row that names a channel is also its own last touch;
 * touches after a customer's last conversion form one non-converting journey; a conversion with no
 * touch in its window is counted apart (not a journey).
 *
 * Glossary: times in days (Excel serials); a journey's start is its first touch, its end the
 * conversion (converting) or its last touch (not converting).
 */

import { EngineError } from "../errors";
import { DEFAULT_LOOKBACK_DAYS, type TouchpointLog } from "../attribution/touchpointJourneys";

/** One journey. */
export interface LogJourney {
  /** Customer number (the log's customerIndex). */
  readonly customer: number;
  /** Channel ids of the touches in time order (see {@link LogJourneys.channels}). */
  readonly channelIds: Int32Array;
  /** 0-based log row of each touch, in the same order (to look up its stage or content). */
  readonly touchRows: Int32Array;
  /** Time of the first touch (days). */
  readonly start: number;
  /** Time of the conversion, or of the last touch when not converting (days). */
  readonly end: number;
  readonly converted: boolean;
  /** Conversion value (0 when not converting). */
  readonly value: number;
  /** 0-based log row of the conversion, −1 when not converting. */
  readonly conversionRow: number;
  /** Conversions of this customer in the log before this journey's conversion (or before its first touch, not converting). */
  readonly earlierConversions: number;
}

/** What {@link journeysOfLog} returns. */
export interface LogJourneys {
  /** Channel names by id, in order of first appearance in the log. */
  readonly channels: readonly string[];
  /** Journeys by customer, then time. */
  readonly journeys: readonly LogJourney[];
  /** Conversion rows in the log. */
  readonly conversions: number;
  /** Conversions with no touch in their window (not journeys), and their value. */
  readonly conversionsWithoutTouch: number;
  readonly valueWithoutTouch: number;
  /** Touches left out: more than lookbackDays before the next conversion. */
  readonly touchesOutsideLookback: number;
}

/**
 * Cuts a touchpoint log into journeys, keeping each one.
 *
 * @param log the rows (see TouchpointLog; read with readTouchpointLog).
 * @param lookbackDays window before each conversion in days, > 0 (default 30).
 * @returns the journeys and what was left out; see {@link LogJourneys}.
 * @throws EngineError INVALID_INPUT (lookback_days) for a look-back that is not a positive number,
 *   (conversions, with its row) for a negative or non-finite conversion value.
 */
export function journeysOfLog(log: TouchpointLog, lookbackDays: number = DEFAULT_LOOKBACK_DAYS): LogJourneys {
  if (!(lookbackDays > 0) || !Number.isFinite(lookbackDays)) {
    throw new EngineError("INVALID_INPUT", `lookback_days: ${String(lookbackDays)} must be a positive number of days`, { argument: "lookback_days" });
  }
  const rows = log.customerIndex.length;
  const { customerIndex: customer, timestamps: time, conversionValues: conversion } = log;
  for (let i = 0; i < rows; i++) {
    const value = conversion[i];
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new EngineError("INVALID_INPUT", `conversions row ${i + 1}: ${String(value)} must be blank, 0 or a positive value`, { argument: "conversions", row: i + 1 });
    }
  }
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  order.sort((a, b) => customer[a] - customer[b] || time[a] - time[b] || (conversion[a] > 0 ? 1 : 0) - (conversion[b] > 0 ? 1 : 0) || a - b);

  const channelIds = new Map<string, number>();
  const channels: string[] = [];
  const idOf = (name: string) => {
    let id = channelIds.get(name);
    if (id === undefined) {
      id = channels.length;
      channels.push(name);
      channelIds.set(name, id);
    }
    return id;
  };
  // Channels numbered in log order (not customer order), as a reader of the log would list them.
  for (let i = 0; i < rows; i++) {
    const channel = log.channels[i];
    if (channel !== null) idOf(channel);
  }

  const journeys: LogJourney[] = [];
  let pending: number[] = [];
  let conversions = 0;
  let earlier = 0;
  let conversionsWithoutTouch = 0;
  let valueWithoutTouch = 0;
  let touchesOutsideLookback = 0;
  const closeNonConverting = (who: number) => {
    if (pending.length > 0) {
      journeys.push({
        customer: who,
        channelIds: Int32Array.from(pending, (row) => idOf(log.channels[row]!)),
        touchRows: Int32Array.from(pending),
        start: time[pending[0]],
        end: time[pending[pending.length - 1]],
        converted: false,
        value: 0,
        conversionRow: -1,
        earlierConversions: earlier,
      });
    }
    pending = [];
  };
  for (let p = 0; p < rows; p++) {
    const row = order[p];
    if (p > 0 && customer[row] !== customer[order[p - 1]]) {
      closeNonConverting(customer[order[p - 1]]);
      earlier = 0;
    }
    if (log.channels[row] !== null) pending.push(row);
    const value = conversion[row];
    if (value === 0) continue;
    conversions++;
    const t = time[row];
    const kept = pending.filter((touch) => t - time[touch] <= lookbackDays);
    touchesOutsideLookback += pending.length - kept.length;
    pending = [];
    if (kept.length === 0) {
      conversionsWithoutTouch++;
      valueWithoutTouch += value;
    } else {
      journeys.push({
        customer: customer[row],
        channelIds: Int32Array.from(kept, (touch) => idOf(log.channels[touch]!)),
        touchRows: Int32Array.from(kept),
        start: time[kept[0]],
        end: t,
        converted: true,
        value,
        conversionRow: row,
        earlierConversions: earlier,
      });
    }
    earlier++;
  }
  if (rows > 0) closeNonConverting(customer[order[rows - 1]]);
  return { channels, journeys, conversions, conversionsWithoutTouch, valueWithoutTouch, touchesOutsideLookback };
}
