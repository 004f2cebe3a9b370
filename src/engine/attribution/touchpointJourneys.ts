/**
 * Cuts a touchpoint log (customer, timestamp, channel, conversion value) into journeys and feeds
 * them to a {@link JourneyAggregator}.
 *
 * Rules (domain.md §3):
 * - a customer's rows are taken in time order; at equal timestamps touches come before a conversion,
 *   then rows keep their order in the log;
 * - a conversion's journey is the customer's touches after their previous conversion and at most
 *   `lookbackDays` before it (touches older than that belong to no journey and are counted);
 * - a conversion row that names a channel is also the last touch of its own journey (logs where
 *   every row is an interaction flag the converting one); with a blank channel it is only the
 *   conversion;
 * - touches after a customer's last conversion form one non-converting journey (a null);
 * - a conversion with no touch in its window cannot be credited to a channel and is counted apart.
 *
 * Glossary: T, the conversion's timestamp; t, a touch's timestamp; both in days (Excel serials);
 * dᵢ = T − tᵢ, days before the conversion, used by the time-decay model.
 */

import { EngineError } from "../errors";
import type { JourneyAggregator } from "./aggregator";

/** Default look-back window, days. */
export const DEFAULT_LOOKBACK_DAYS = 30;

/** A touchpoint log as typed columns; row i of every array is one log row. */
export interface TouchpointLog {
  /** Customer number per row (0-based, e.g. order of first appearance). */
  readonly customerIndex: Int32Array;
  /** Timestamp per row, in days (an Excel serial: the fraction is the time of day). */
  readonly timestamps: Float64Array;
  /** Channel per row, or null for a conversion row without a channel. */
  readonly channels: readonly (string | null)[];
  /** Per row: 0 for a touch, the conversion value (> 0) for a conversion. */
  readonly conversionValues: Float64Array;
}

/** What cutting the log found. */
export interface TouchpointSummary {
  /** Conversion rows. */
  readonly conversions: number;
  /** Journeys that ended in a conversion and had at least one touch. */
  readonly convertingJourneys: number;
  /** Journeys without a conversion (touches after a customer's last conversion). */
  readonly nonConvertingJourneys: number;
  /** Conversions with no touch in their window: not credited to any channel. */
  readonly unattributedConversions: number;
  /** Their total value. */
  readonly unattributedValue: number;
  /** Touches left out because they were more than lookbackDays before the next conversion. */
  readonly touchesOutsideLookback: number;
}

/**
 * Builds journeys from a touchpoint log and adds them to `aggregator`.
 *
 * @param log the rows; see {@link TouchpointLog}.
 * @param aggregator receives one journey per conversion (1 conversion, its value) and one per
 *   customer's trailing touches (1 null).
 * @param lookbackDays window before each conversion in days, > 0 (default 30).
 * @returns counts of what was built and left out; see {@link TouchpointSummary}.
 * @throws EngineError INVALID_INPUT for a look-back that is not a positive number, columns of
 *   different lengths, or a negative or non-finite conversion value (with its row);
 *   INSUFFICIENT_DATA when the log has no conversion row.
 */
export function addTouchpointLog(
  log: TouchpointLog,
  aggregator: JourneyAggregator,
  lookbackDays: number = DEFAULT_LOOKBACK_DAYS,
): TouchpointSummary {
  if (!(lookbackDays > 0) || !Number.isFinite(lookbackDays)) {
    throw new EngineError("INVALID_INPUT", `lookback_days: ${String(lookbackDays)} must be a positive number of days`, {
      argument: "lookback_days",
    });
  }
  const rows = log.customerIndex.length;
  if (log.timestamps.length !== rows || log.channels.length !== rows || log.conversionValues.length !== rows) {
    throw new EngineError("INVALID_INPUT", "addTouchpointLog: the log's columns must have the same length");
  }
  let conversions = 0;
  for (let i = 0; i < rows; i++) {
    const value = log.conversionValues[i];
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new EngineError("INVALID_INPUT", `conversions row ${i + 1}: ${String(value)} must be blank, 0 or a positive value`, {
        argument: "conversions",
        row: i + 1,
      });
    }
    if (value > 0) conversions++;
  }
  if (conversions === 0) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      "conversions: the log has no conversion row (a positive value or 1 marks a conversion); nothing to attribute",
      { argument: "conversions" },
    );
  }

  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const { customerIndex: customer, timestamps: time, conversionValues: conversion } = log;
  order.sort(
    (a, b) =>
      customer[a] - customer[b] ||
      time[a] - time[b] ||
      (conversion[a] > 0 ? 1 : 0) - (conversion[b] > 0 ? 1 : 0) ||
      a - b,
  );

  // Touches since the customer's last conversion: channel id and timestamp.
  let pendingIds = new Int32Array(64);
  let pendingTimes = new Float64Array(64);
  let pending = 0;
  let journeyIds = new Int32Array(64);
  let daysBefore = new Float64Array(64);
  const push = (id: number, t: number) => {
    if (pending === pendingIds.length) {
      const ids = new Int32Array(pending * 2);
      ids.set(pendingIds);
      pendingIds = ids;
      const times = new Float64Array(pending * 2);
      times.set(pendingTimes);
      pendingTimes = times;
      journeyIds = new Int32Array(pending * 2);
      daysBefore = new Float64Array(pending * 2);
    }
    pendingIds[pending] = id;
    pendingTimes[pending] = t;
    pending++;
  };

  let convertingJourneys = 0;
  let nonConvertingJourneys = 0;
  let unattributedConversions = 0;
  let unattributedValue = 0;
  let touchesOutsideLookback = 0;
  const closeNonConverting = () => {
    if (pending > 0) {
      aggregator.addJourney(pendingIds, pending, 0, 0, 1);
      nonConvertingJourneys++;
    }
    pending = 0;
  };

  for (let p = 0; p < rows; p++) {
    const row = order[p];
    if (p > 0 && customer[row] !== customer[order[p - 1]]) closeNonConverting();
    const channel = log.channels[row];
    const value = conversion[row];
    if (channel !== null) push(aggregator.channelId(channel), time[row]);
    if (value === 0) continue;
    const t = time[row];
    let length = 0;
    for (let i = 0; i < pending; i++) {
      const before = t - pendingTimes[i];
      if (before > lookbackDays) {
        touchesOutsideLookback++;
        continue;
      }
      journeyIds[length] = pendingIds[i];
      daysBefore[length] = before;
      length++;
    }
    pending = 0;
    if (length === 0) {
      unattributedConversions++;
      unattributedValue += value;
      continue;
    }
    aggregator.addJourney(journeyIds, length, 1, value, 0, daysBefore, row + 1);
    convertingJourneys++;
  }
  closeNonConverting();
  return {
    conversions,
    convertingJourneys,
    nonConvertingJourneys,
    unattributedConversions,
    unattributedValue,
    touchesOutsideLookback,
  };
}
