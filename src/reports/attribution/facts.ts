/**
 * What the Attribution tab needs of the touchpoint log, computed once: the log's rows, period and
 * ids, the journeys cut from it (addTouchpointLog's summary) and the credit of every channel under
 * the seven models (the JourneyAggregator's result, Markov order 1, time decay on the real touch
 * times). Everything else on the tab (spend, ROCI, the last-touch gap, orders on the log's days) is
 * computed from these facts by analysis.ts.
 *
 * Two routes give the same facts: {@link attributionFactsOf} from the log's rows in memory (here),
 * and src/cli/duckdb/report/attributionFacts.ts from a log summarised out of core by SQL, carried on
 * `TouchpointsInput.summarised.attribution` for the options it was computed for. A test checks that
 * both give the same facts and the same tab (test/sql/reportTouchpoints.attribution.test.ts).
 */

import {
  ATTRIBUTION_MODELS,
  addTouchpointLog,
  JourneyAggregator,
  readTouchpointLog,
  requireConvertingJourneys,
  type AttributionResult,
  type TouchpointSummary,
} from "../../engine/attribution";
import { EngineError, isEngineError } from "../../engine/errors";
import type { TouchpointsInput } from "../inputs";
import { touchpointRowsOf } from "../summarisedTouchpoints";

/** The options the facts depend on (days, both > 0). */
export interface AttributionFactsOptions {
  /** Look-back window before each conversion. */
  readonly lookbackDays: number;
  /** Half-life of the time-decay model. */
  readonly halfLifeDays: number;
}

/** The log's size, period and ids. */
export interface AttributionLogFacts {
  /** Rows of the log (touches and conversion rows). */
  readonly rows: number;
  /** First and last timestamp (Excel serials, the fraction the time of day). */
  readonly first: number;
  readonly last: number;
  /** Distinct ids in the log. */
  readonly ids: number;
  /** Ids with at least one conversion row. */
  readonly customers: number;
}

/** What the Attribution tab is built from, for the options in `computedFor`. */
export interface AttributionFacts {
  readonly computedFor: AttributionFactsOptions;
  readonly log: AttributionLogFacts;
  /** The journeys cut from the log (conversions, converting and non-converting journeys, unattributed conversions…). */
  readonly summary: TouchpointSummary;
  /**
   * The seven models' credit (ATTRIBUTION_MODELS), Markov order 1: channels by id in the order the
   * log's rows name them (customers in order of first appearance, each customer's rows in time order),
   * time decay weighted by the real days between each touch and its conversion.
   */
  readonly result: AttributionResult;
}

/**
 * The Attribution part of a log summarised out of core when the log cannot be attributed (no
 * conversion, none with a touch in its window, a Markov solve that does not converge): the error the
 * rows would have given, so the tab is skipped with the same words.
 */
export interface AttributionRefusal {
  readonly computedFor: AttributionFactsOptions;
  readonly cannotAttribute: { readonly code: "INSUFFICIENT_DATA" | "NOT_CONVERGED"; readonly message: string; readonly argument?: string };
}

/** The Attribution part of SummarisedTouchpoints: the facts, or why there are none. */
export type AttributionPart = AttributionFacts | AttributionRefusal;

/**
 * The aggregator every route feeds: the seven models, Markov order 1.
 *
 * @param halfLifeDays the time-decay half-life, days.
 * @param models the models (default all seven).
 */
export function attributionAggregator(halfLifeDays: number, models: readonly (typeof ATTRIBUTION_MODELS)[number][] = ATTRIBUTION_MODELS): JourneyAggregator {
  return new JourneyAggregator({ models, markovOrder: 1, halfLifeDays });
}

/**
 * The facts from the log's rows in memory.
 *
 * @param touchpoints the log, read row by row.
 * @param options look-back and half-life (checked by the caller: positive numbers of days).
 * @returns the facts.
 * @throws EngineError INVALID_INPUT for bad cells (argument and row, as readTouchpointLog);
 *   INSUFFICIENT_DATA when the log is blank, has no conversion, no conversion has a touch in its
 *   window, or the log was summarised out of core (no rows).
 */
export function attributionFactsOf(touchpoints: TouchpointsInput, options: AttributionFactsOptions): AttributionFacts {
  const { lookbackDays, halfLifeDays } = options;
  const log = readTouchpointLog(touchpointRowsOf(touchpoints), { blankText: "the touchpoint log is blank" });
  const rows = log.timestamps.length;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let ids = 0;
  for (let i = 0; i < rows; i++) {
    first = Math.min(first, log.timestamps[i]);
    last = Math.max(last, log.timestamps[i]);
    ids = Math.max(ids, log.customerIndex[i] + 1);
  }
  const converted = new Uint8Array(ids);
  for (let i = 0; i < rows; i++) if (log.conversionValues[i] > 0) converted[log.customerIndex[i]] = 1;
  let customers = 0;
  for (let c = 0; c < ids; c++) customers += converted[c];

  const aggregator = attributionAggregator(halfLifeDays);
  const summary = addTouchpointLog(log, aggregator, lookbackDays);
  requireConvertingJourneys(summary, lookbackDays);
  return { computedFor: { lookbackDays, halfLifeDays }, log: { rows, first, last, ids, customers }, summary, result: aggregator.result() };
}

/**
 * The refusal to keep for a log that cannot be attributed, or null when `error` is not that.
 *
 * @param error what computing the facts threw.
 * @param computedFor the options they were computed for.
 * @returns the refusal for an INSUFFICIENT_DATA or NOT_CONVERGED EngineError (the errors that skip a
 *   tab rather than stop the run), else null (the caller rethrows).
 */
export function attributionRefusalOf(error: unknown, computedFor: AttributionFactsOptions): AttributionRefusal | null {
  if (!isEngineError(error, "INSUFFICIENT_DATA") && !isEngineError(error, "NOT_CONVERGED")) return null;
  const code = error.code === "NOT_CONVERGED" ? "NOT_CONVERGED" : "INSUFFICIENT_DATA";
  return { computedFor, cannotAttribute: { code, message: error.message, ...(error.argument === undefined ? {} : { argument: error.argument }) } };
}

/**
 * The facts the tab is built from: the summarised part when the log was summarised out of core,
 * else computed from the rows.
 *
 * @param touchpoints the log.
 * @param options the options the tab is built for.
 * @returns the facts.
 * @throws EngineError as {@link attributionFactsOf}, or the summarised refusal's error;
 *   Error (a bug of the caller that summarised the log) when the part is missing or was computed
 *   for other options.
 */
export function attributionFactsFor(touchpoints: TouchpointsInput, options: AttributionFactsOptions): AttributionFacts {
  const summarised = touchpoints.summarised;
  if (summarised === undefined) return attributionFactsOf(touchpoints, options);
  const part = summarised.attribution;
  if (part === null || part === undefined) throw new Error("bug: the touchpoint log is summarised out of core but its Attribution facts were not computed");
  checkAttributionFactsFor(part, options);
  if ("cannotAttribute" in part) {
    const { code, message, argument } = part.cannotAttribute;
    throw new EngineError(code, message, argument === undefined ? {} : { argument });
  }
  return part;
}

/**
 * Checks that a summarised part was computed for the tab's options; a mismatch is a bug of the
 * caller that summarised the log (the tab would show numbers for other options).
 *
 * @param part the part.
 * @param wanted the options the tab is built for.
 * @throws Error naming the option that differs.
 */
export function checkAttributionFactsFor(part: AttributionPart, wanted: AttributionFactsOptions): void {
  const had = part.computedFor;
  const differs: string[] = [];
  if (had.lookbackDays !== wanted.lookbackDays) differs.push(`look-back ${had.lookbackDays} days instead of ${wanted.lookbackDays}`);
  if (had.halfLifeDays !== wanted.halfLifeDays) differs.push(`half-life ${had.halfLifeDays} days instead of ${wanted.halfLifeDays}`);
  if (differs.length > 0) throw new Error(`Attribution: the summarised facts were computed for other options (${differs.join("; ")}); a bug of the caller that summarised the log`);
}
