/**
 * Attribution custom functions: IMC.ATTRIBUTE (journey paths) and IMC.ATTRIBUTE.EVENTS (a raw
 * touchpoint log).
 *
 * Thin adapters: Excel arguments → the engine's one-pass aggregator → a spilled table. The JSDoc of
 * each `@customfunction` is what Excel users see in formula autocomplete; it is written for them.
 *
 * Output (documented in the README):
 * - one model: `Channel | Conversions | Value | Share`, plus `Removal effect` for the Markov models
 *   (headed `Removal effect (no nulls)` when no non-converting journeys were given); rows by credited
 *   conversions, descending, ties by name;
 * - `model = "all"`: `Channel` then one column of credited conversions per model (first, last,
 *   linear, position, time_decay, markov, shapley), then the same for value when there is value;
 *   rows by the average credit over the seven models, descending, ties by name.
 * - IMC.ATTRIBUTE.EVENTS adds a last row `(no touch)` for conversions with no touch in their
 *   look-back window, so the columns still add up to every conversion in the log.
 */

import {
  ATTRIBUTION_MODELS,
  addTouchpointLog,
  DEFAULT_HALF_LIFE_DAYS,
  DEFAULT_LOOKBACK_DAYS,
  JourneyAggregator,
  rankChannels,
  readTouchpointLog,
  requireConvertingJourneys,
  type AttributionModel,
  type AttributionResult,
} from "../engine/attribution";
import { toText } from "../engine/data/cells";
import { alignRows, numberColumn, toColumn } from "../engine/data/range";
import { EngineError, invalidArgument, invalidCell } from "../engine/errors";
import { optionChoice, optionNumber, optionText } from "./arguments";
import { spill, type SpillCell } from "./table";

const MODEL_CHOICES = [
  "first",
  "last",
  "linear",
  "position",
  "time_decay",
  "markov",
  "markov2",
  "markov3",
  "markov4",
  "shapley",
  "all",
] as const;
type ModelChoice = (typeof MODEL_CHOICES)[number];

/** The model argument read: one model or "all", and the Markov order. */
export interface ModelRequest {
  /** One model, or "all". */
  readonly model: AttributionModel | "all";
  /** Markov order (1 unless markov2..markov4). */
  readonly order: number;
}

/** Reads the model argument ("first" … "shapley", "markov2".."markov4", "all"; default "linear"). */
export function modelRequest(range: unknown): ModelRequest {
  const choice: ModelChoice = optionChoice(range, "model", MODEL_CHOICES) ?? "linear";
  if (choice.startsWith("markov")) return { model: "markov", order: choice === "markov" ? 1 : Number(choice.slice(6)) };
  return { model: choice as AttributionModel | "all", order: 1 };
}

/** The one-pass aggregator for the requested model(s). */
export function aggregatorFor(request: ModelRequest, halfLifeDays: number): JourneyAggregator {
  return new JourneyAggregator({
    models: request.model === "all" ? ATTRIBUTION_MODELS : [request.model],
    markovOrder: request.order,
    halfLifeDays,
  });
}

/** Conversions and value that no channel could take (EVENTS: conversions without a touch). */
export interface Unattributed {
  readonly conversions: number;
  readonly value: number;
}

const NO_TOUCH = "(no touch)";

/**
 * The result table of IMC.ATTRIBUTE / IMC.ATTRIBUTE.EVENTS, header first (see the file comment for
 * its columns and row order). Pure: `imc attribute` prints the same rows.
 *
 * @param result the aggregator's result.
 * @param request model (or all) and Markov order.
 * @param hasValue whether there is a value column.
 * @param unattributed conversions and value no channel could take (touchpoint log), else zeros; a
 *   "(no touch)" row when there are any.
 */
export function attributionRows(
  result: AttributionResult,
  request: ModelRequest,
  hasValue: boolean,
  unattributed: Unattributed,
): SpillCell[][] {
  const names = result.channels;
  const totalConversions = result.totals.conversions + unattributed.conversions;
  const noNulls = result.markov !== null && !result.markov.hasNulls;
  if (request.model !== "all") {
    const credit = result.credit[request.model]!;
    const isMarkov = request.model === "markov";
    const header: SpillCell[] = ["Channel", "Conversions", "Value", "Share"];
    if (isMarkov) header.push(noNulls ? "Removal effect (no nulls)" : "Removal effect");
    const rows: SpillCell[][] = [header];
    for (const id of rankChannels(credit.conversions, names)) {
      const row: SpillCell[] = [
        names[id],
        credit.conversions[id],
        hasValue ? credit.value[id] : null,
        credit.conversions[id] / totalConversions,
      ];
      if (isMarkov) row.push(result.markov!.removalEffect[id]);
      rows.push(row);
    }
    if (unattributed.conversions > 0) {
      const row: SpillCell[] = [NO_TOUCH, unattributed.conversions, unattributed.value, unattributed.conversions / totalConversions];
      if (isMarkov) row.push(null);
      rows.push(row);
    }
    return rows;
  }
  const models = ATTRIBUTION_MODELS;
  const label = (model: AttributionModel) => (model === "markov" && noNulls ? "markov (no nulls)" : model);
  const header: SpillCell[] = ["Channel", ...models.map(label)];
  if (hasValue) header.push(...models.map((model) => `${label(model)} value`));
  const average = new Float64Array(names.length);
  for (const model of models) {
    const conversions = result.credit[model]!.conversions;
    for (let id = 0; id < names.length; id++) average[id] += conversions[id] / models.length;
  }
  const rows: SpillCell[][] = [header];
  for (const id of rankChannels(average, names)) {
    const row: SpillCell[] = [names[id], ...models.map((model) => result.credit[model]!.conversions[id])];
    if (hasValue) row.push(...models.map((model) => result.credit[model]!.value[id]));
    rows.push(row);
  }
  if (unattributed.conversions > 0) {
    const row: SpillCell[] = [NO_TOUCH, ...models.map(() => unattributed.conversions)];
    if (hasValue) row.push(...models.map(() => unattributed.value));
    rows.push(row);
  }
  return rows;
}

function nonNegative(column: Float64Array, argument: string, what: string): void {
  for (let i = 0; i < column.length; i++) {
    if (column[i] < 0) throw invalidCell(argument, i + 1, `${String(column[i])} is negative; ${what} must be 0 or more`);
  }
}

/** Reads the separator argument: one character, default ">". */
export function separatorOption(range: unknown): string {
  const text = optionText(range, "separator");
  if (text === null) return ">";
  if (text.length !== 1) {
    throw invalidArgument("separator", `"${text}" must be a single character, such as >`);
  }
  return text;
}

/** Reads an optional positive number argument (lookback_days, half_life_days), `fallback` when blank. */
export function positiveOption(range: unknown, argument: string, fallback: number, unit: string): number {
  const value = optionNumber(range, argument);
  if (value === null) return fallback;
  if (!(value > 0)) throw invalidArgument(argument, `${String(value)} must be a positive number of ${unit}`);
  return value;
}

/**
 * Credits conversions and value to channels from journey paths such as "Email > Search > Direct", by first, last, linear, position, time_decay, markov, shapley or all models side by side (credit, not incrementality). Takes aggregated paths: one row per distinct path with its conversions and nulls (counts). Example: =IMC.ATTRIBUTE({"A > B";"B"}, {3;1}, "linear").
 * @customfunction ATTRIBUTE
 * @param paths Journey paths, one per row: channels in time order separated by ">" (e.g. Email > Search > Direct). Repeated paths are added up.
 * @param conversions Conversions of each path (0 or more).
 * @param [model] "first", "last", "linear" (default), "position" (40/20/40), "time_decay" (7-day half-life, one day per step), "markov" (removal effects; "markov2".."markov4" for higher orders), "shapley", or "all" for every model side by side.
 * @param [values] Total conversion value of each path (0 or more). Leave out for conversions only.
 * @param [nulls] Journeys with each path that did not convert (0 or more). The Markov model needs them to measure real conversion probabilities.
 * @param [separator] The one character between channels. Default ">".
 * @returns Channel | Conversions | Value | Share (and Removal effect for markov); with "all", one column per model. Attribution shares credit among the touches of converting journeys; it does not measure incrementality (use a control group, IMC.ABTEST).
 */
export function attribute(
  paths: any[][],
  conversions: any[][],
  model?: any[][],
  values?: any[][],
  nulls?: any[][],
  separator?: any[][],
): any[][] {
  return spill("IMC.ATTRIBUTE", () => {
    const request = modelRequest(model);
    const sep = separatorOption(separator);
    const pathCells = toColumn(paths, "paths");
    const conversionCells = toColumn(conversions, "conversions");
    const valueCells = values === null || values === undefined ? null : toColumn(values, "values");
    const nullCells = nulls === null || nulls === undefined ? null : toColumn(nulls, "nulls");
    const rowCount = alignRows(
      [
        { argument: "paths", values: pathCells },
        { argument: "conversions", values: conversionCells },
        ...(valueCells ? [{ argument: "values", values: valueCells }] : []),
        ...(nullCells ? [{ argument: "nulls", values: nullCells }] : []),
      ],
      { zeroIsBlank: true },
    );
    if (rowCount === 0) throw new EngineError("INSUFFICIENT_DATA", "paths: the ranges are blank; no journeys to attribute", { argument: "paths" });
    const conversionColumn = numberColumn(conversionCells, "conversions", rowCount);
    nonNegative(conversionColumn, "conversions", "conversions");
    const valueColumn = valueCells ? numberColumn(valueCells, "values", rowCount) : null;
    if (valueColumn) nonNegative(valueColumn, "values", "values");
    const nullColumn = nullCells ? numberColumn(nullCells, "nulls", rowCount) : null;
    if (nullColumn) nonNegative(nullColumn, "nulls", "nulls");
    const aggregator = aggregatorFor(request, DEFAULT_HALF_LIFE_DAYS);
    for (let i = 0; i < rowCount; i++) {
      const cell = pathCells[i];
      const text = typeof cell === "string" && cell.length > 0 ? cell : toText(cell, "paths", i + 1);
      aggregator.addPath(text, sep, conversionColumn[i], valueColumn ? valueColumn[i] : 0, nullColumn ? nullColumn[i] : 0, i + 1);
    }
    const result = aggregator.result();
    return attributionRows(result, request, valueColumn !== null, { conversions: 0, value: 0 });
  });
}

/**
 * Credits conversions to channels from a raw touchpoint log (customer, time, channel, conversion value), cutting each customer's touches into journeys before each conversion; credit, not incrementality. Example: =IMC.ATTRIBUTE.EVENTS({"c1";"c1";"c1"}, {45292;45293;45294}, {"Email";"Search";""}, {0;0;120}, "linear").
 * @customfunction ATTRIBUTE.EVENTS
 * @param customer_ids Customer id on each row (text or numbers).
 * @param timestamps Date and time of each row (a date cell or text like 2024-01-31 10:30).
 * @param channels Channel of each touch. On a conversion row a channel counts as the last touch before the conversion; leave it blank when the conversion is a separate event.
 * @param conversions Blank or 0 on a touch row; the conversion value (or 1) on a conversion row.
 * @param [model] "first", "last", "linear" (default), "position", "time_decay", "markov" ("markov2".."markov4"), "shapley", or "all".
 * @param [lookback_days] Touches count for a conversion when at most this many days before it (and after the customer's previous conversion). Default 30.
 * @param [half_life_days] Half-life of the time_decay weight, in days. Default 7.
 * @returns Channel | Conversions | Value | Share (Removal effect for markov), and a "(no touch)" row for conversions without a touch in their window. Attribution is not incrementality.
 */
export function attributeEvents(
  customer_ids: any[][],
  timestamps: any[][],
  channels: any[][],
  conversions: any[][],
  model?: any[][],
  lookback_days?: any[][],
  half_life_days?: any[][],
): any[][] {
  return spill("IMC.ATTRIBUTE.EVENTS", () => {
    const request = modelRequest(model);
    const lookback = positiveOption(lookback_days, "lookback_days", DEFAULT_LOOKBACK_DAYS, "days");
    const halfLife = positiveOption(half_life_days, "half_life_days", DEFAULT_HALF_LIFE_DAYS, "days");
    const log = readTouchpointLog({
      customerIds: toColumn(customer_ids, "customer_ids"),
      timestamps: toColumn(timestamps, "timestamps"),
      channels: toColumn(channels, "channels"),
      conversions: toColumn(conversions, "conversions"),
    });
    const aggregator = aggregatorFor(request, halfLife);
    const summary = addTouchpointLog(log, aggregator, lookback);
    requireConvertingJourneys(summary, lookback);
    const result = aggregator.result();
    return attributionRows(result, request, true, {
      conversions: summary.unattributedConversions,
      value: summary.unattributedValue,
    });
  });
}
