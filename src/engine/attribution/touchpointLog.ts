/**
 * Reading a touchpoint log from cells: the four columns of IMC.ATTRIBUTE.EVENTS, of the Attribution
 * tab's touchpoint table and of `imc attribute` on a log, checked through the data layer and typed as
 * the engine's {@link TouchpointLog}. One reader, so the three give the same journeys and the same
 * messages.
 *
 * Rules: customers are numbered in order of first appearance; a blank (or 0) conversion is a touch;
 * a positive conversion is a conversion row, whose channel may be blank (the conversion alone).
 */

import { toOptionalNumber, toOptionalText } from "../data/cells";
import { alignRows, dateColumn, textColumn } from "../data/range";
import { EngineError, invalidCell } from "../errors";
import type { TouchpointLog, TouchpointSummary } from "./touchpointJourneys";

/** The log's four row-aligned columns, as cells (arguments customer_ids, timestamps, channels, conversions). */
export interface TouchpointCells {
  /** Customer id on each row (text or numbers). */
  readonly customerIds: readonly unknown[];
  /** Date and time of each row (a date serial or date text). */
  readonly timestamps: readonly unknown[];
  /** Channel of each row; blank only on a conversion row. */
  readonly channels: readonly unknown[];
  /** Blank or 0 on a touch, the conversion value (> 0) on a conversion. */
  readonly conversions: readonly unknown[];
}

/** Options of {@link readTouchpointLog}. */
export interface TouchpointLogOptions {
  /**
   * What the message of an all-blank log says before "; no touchpoints to attribute": default "the
   * ranges are blank" (worksheet arguments), e.g. "the touchpoint log is blank" for a table.
   */
  readonly blankText?: string;
}

/** The words for a negative conversion value (after "conversions row N: "), shared with the runner's --from route. */
export function negativeConversionProblem(value: number): string {
  return `${String(value)} is negative; use blank or 0 for a touch, a positive value for a conversion`;
}

/** The words for a touch row without its channel (after "channels row N: "), shared with the runner's --from route. */
export const BLANK_TOUCH_CHANNEL_PROBLEM = "is blank on a touch row; give the channel, or a conversion value in conversions";

/**
 * Reads a touchpoint log from cells into a {@link TouchpointLog}. Trailing blank (or all-zero) rows
 * are dropped; customers are numbered in order of first appearance; blank conversions are 0.
 *
 * @param cells the four columns; see {@link TouchpointCells}.
 * @param options how the blank log is named in its message; see {@link TouchpointLogOptions}.
 * @returns the log, one entry per kept row.
 * @throws EngineError INVALID_INPUT naming the argument and row: columns of different lengths, a
 *   blank or bad id, a bad time, a conversion that is not a number or is negative, a blank channel
 *   on a touch row; INSUFFICIENT_DATA (customer_ids) when every row is blank.
 */
export function readTouchpointLog(cells: TouchpointCells, options: TouchpointLogOptions = {}): TouchpointLog {
  const rowCount = alignRows(
    [
      { argument: "customer_ids", values: cells.customerIds },
      { argument: "timestamps", values: cells.timestamps },
      { argument: "channels", values: cells.channels },
      { argument: "conversions", values: cells.conversions },
    ],
    { zeroIsBlank: true },
  );
  if (rowCount === 0) {
    const blank = options.blankText ?? "the ranges are blank";
    throw new EngineError("INSUFFICIENT_DATA", `customer_ids: ${blank}; no touchpoints to attribute`, { argument: "customer_ids" });
  }
  const ids = textColumn(cells.customerIds, "customer_ids", rowCount);
  const times = dateColumn(cells.timestamps, "timestamps", rowCount);
  const channels = new Array<string | null>(rowCount);
  const values = new Float64Array(rowCount);
  const customerIndex = new Int32Array(rowCount);
  const customers = new Map<string, number>();
  for (let i = 0; i < rowCount; i++) {
    const value = toOptionalNumber(cells.conversions[i], "conversions", i + 1) ?? 0;
    if (value < 0) throw invalidCell("conversions", i + 1, negativeConversionProblem(value));
    values[i] = value;
    const channel = toOptionalText(cells.channels[i], "channels", i + 1);
    if (channel === null && value === 0) {
      throw invalidCell("channels", i + 1, BLANK_TOUCH_CHANNEL_PROBLEM);
    }
    channels[i] = channel;
    let customer = customers.get(ids[i]);
    if (customer === undefined) {
      customer = customers.size;
      customers.set(ids[i], customer);
    }
    customerIndex[i] = customer;
  }
  return { customerIndex, timestamps: times, channels, conversionValues: values };
}

/**
 * Checks that cutting the log gave at least one conversion with a touch in its window.
 *
 * @param summary what `addTouchpointLog` returned for the log.
 * @param lookbackDays the look-back window it was given, in days (named in the message).
 * @throws EngineError INSUFFICIENT_DATA (timestamps) when no conversion has a touch within
 *   lookback_days before it: there is nothing to attribute.
 */
export function requireConvertingJourneys(summary: TouchpointSummary, lookbackDays: number): void {
  if (summary.convertingJourneys === 0) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      `timestamps: none of the ${summary.conversions} conversions has a touch within lookback_days (${lookbackDays} days) before it; nothing to attribute`,
      { argument: "timestamps" },
    );
  }
}
