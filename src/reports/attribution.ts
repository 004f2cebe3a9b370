/**
 * The Attribution tab: conversions and value credited to each channel by the seven attribution
 * models side by side (first, last, linear, position, time_decay, markov, shapley), their shares,
 * the Markov removal effects and, when spend is given, spend and net ROCI per channel and model.
 *
 * The numbers are those of IMC.ATTRIBUTE.EVENTS with model "all" on the same log: the log is read
 * by the same reader ({@link readTouchpointLog}) and fed to the engine's one-pass
 * {@link JourneyAggregator} through {@link addTouchpointLog}. Totals, shares and ROCI are live
 * formulas over the tab's own cells.
 *
 * Net ROCI per channel = (credited value − spend) / spend (src/engine/roci, Schultz & Schultz ch. 9).
 * Credited value is not incremental value: a channel may get credit for sales that would have happened
 * anyway, so ROCI here is an upper bound until an experiment measures the lift.
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
  type TouchpointSummary,
} from "../engine/attribution";
import { alignRows, calendarToSerial, formatSerial, isBlankCell, numberColumn, textColumn, toDateSerial } from "../engine/data";
import { EngineError, invalidArgument, invalidCell } from "../engine/errors";
import { rociRatio } from "../engine/roci/roci";
import type { SpendInput, TouchpointsInput } from "./inputs";
import { a1, provenanceBlock, type Block, type Cell, type ChartSpec, type Provenance, type ReportContext, type ReportSheet } from "./sheet";
import { formatCount } from "./format";

export interface AttributionOptions {
  /** Touches count for a conversion when at most this many days before it (default 30). */
  readonly lookbackDays?: number;
  /** Half-life of the time_decay weight, in days (default 7). */
  readonly halfLifeDays?: number;
}

/** Credit of one channel under every model. */
export interface AttributionChannel {
  readonly channel: string;
  /** Conversions credited, by model (keys: {@link ATTRIBUTION_MODELS}). */
  readonly conversions: Readonly<Record<string, number>>;
  /** Value credited, by model. */
  readonly value: Readonly<Record<string, number>>;
  /** Total spend on the channel in the spend table (all its rows); null without spend or without a row for it. */
  readonly spend: number | null;
}

export interface AttributionReport {
  readonly sheet: ReportSheet;
  /** Per channel: conversions and value credited by each model (engine ATTRIBUTION_MODELS), spend when given. Conversions without a touch are not a channel and are left out (see `summary`). */
  readonly channels: readonly AttributionChannel[];
  /** What the log gave: conversions, journeys, conversions without a touch, touches outside the window. */
  readonly summary: TouchpointSummary;
  /** First and last timestamp of the log (Excel serials). */
  readonly logPeriod: { readonly first: number; readonly last: number };
}

/** Spend rows read and checked. */
export interface SpendRows {
  readonly rowCount: number;
  /** Period start of each row as an Excel serial, or null when the period is blank. */
  readonly periods: readonly (number | null)[];
  readonly channels: readonly string[];
  readonly amounts: Float64Array;
}

const MONTH_TEXT = /^(\d{4})-(\d{1,2})$/;

/**
 * Reads a spend table: channels (text), amounts (numbers ≥ 0) and optional periods (a date, or
 * month text such as "2025-03" meaning its first day; blank allowed).
 *
 * @param spend the spend columns.
 * @returns the rows (trailing blank rows dropped).
 * @throws EngineError INVALID_INPUT naming `spend_channels`, `spend_amounts` or `spend_periods` and
 *   the row for a blank channel, a non-numeric or negative amount or a period that is not a date;
 *   INSUFFICIENT_DATA when the table has no rows.
 */
export function readSpend(spend: SpendInput): SpendRows {
  const columns = [
    { argument: "spend_periods", values: spend.periods },
    { argument: "spend_channels", values: spend.channels },
    { argument: "spend_amounts", values: spend.amounts },
  ];
  // A spend table may have no period column at all: an empty column stands for all blanks.
  const periodCells = spend.periods.length === 0 ? spend.channels.map(() => null) : spend.periods;
  const rowCount = alignRows([{ ...columns[0], values: periodCells }, columns[1], columns[2]], { zeroIsBlank: true });
  if (rowCount === 0) throw new EngineError("INSUFFICIENT_DATA", "spend_channels: the spend table has no rows", { argument: "spend_channels" });
  const channels = textColumn(spend.channels, "spend_channels", rowCount);
  const amounts = numberColumn(spend.amounts, "spend_amounts", rowCount);
  for (let i = 0; i < rowCount; i++) {
    if (amounts[i] < 0) throw invalidCell("spend_amounts", i + 1, `${amounts[i]} is negative; spend must be 0 or more`);
  }
  const periods = new Array<number | null>(rowCount);
  for (let i = 0; i < rowCount; i++) {
    const cell = periodCells[i];
    if (isBlankCell(cell)) {
      periods[i] = null;
      continue;
    }
    const month = typeof cell === "string" ? MONTH_TEXT.exec(cell.trim()) : null;
    if (month !== null) {
      const m = Number(month[2]);
      if (m < 1 || m > 12) throw invalidCell("spend_periods", i + 1, `"${cell as string}" is not a month; use text like 2025-03 or a date`);
      periods[i] = calendarToSerial({ year: Number(month[1]), month: m, day: 1 });
    } else {
      periods[i] = toDateSerial(cell, "spend_periods", i + 1);
    }
  }
  return { rowCount, periods, channels, amounts };
}

/** Channel names are matched between the log and the spend table ignoring case and surrounding spaces. */
export function channelKey(name: string): string {
  return name.trim().toLowerCase();
}

const NO_TOUCH = "(no touch)";

function plain(x: number): string {
  return Number.parseFloat(x.toPrecision(10)).toLocaleString("en-US", { maximumFractionDigits: 2 });
}

function positiveOption(value: number | undefined, argument: string, fallback: number): number {
  const x = value ?? fallback;
  if (!Number.isFinite(x) || x <= 0) throw invalidArgument(argument, `must be a positive number of days, got ${x}`);
  return x;
}

/**
 * Builds the Attribution tab from a touchpoint log.
 *
 * @param touchpoints the log: customer, timestamp, channel (blank on a separate conversion row),
 *   conversion value (0 or blank on a touch); IMC.ATTRIBUTE.EVENTS's layout.
 * @param spend spend per period and channel, or null; with it the tab adds spend and net ROCI per
 *   channel and model (spend summed over all rows of the table: it should cover the log's period).
 * @param options look-back window (days, default 30) and time-decay half-life (days, default 7).
 * @param context the generation time.
 * @returns the sheet, the credit per channel and the log summary.
 * @throws EngineError INVALID_INPUT naming the argument (`customer_ids`, `timestamps`, `channels`,
 *   `conversions`, `spend_*`, `lookback_days`, `half_life_days`) and the row for bad cells;
 *   INSUFFICIENT_DATA when the log is blank, has no conversion, or no conversion has a touch in its window.
 */
export function buildAttributionTab(
  touchpoints: TouchpointsInput,
  spend: SpendInput | null,
  options: AttributionOptions,
  context: ReportContext,
): AttributionReport {
  const lookback = positiveOption(options.lookbackDays, "lookback_days", DEFAULT_LOOKBACK_DAYS);
  const halfLife = positiveOption(options.halfLifeDays, "half_life_days", DEFAULT_HALF_LIFE_DAYS);
  const log = readTouchpointLog(touchpoints, { blankText: "the touchpoint log is blank" });
  // The log's period and customers (numbered 0, 1, … in order of first appearance), for the notes.
  const rowCount = log.timestamps.length;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let customerCount = 0;
  for (let i = 0; i < rowCount; i++) {
    first = Math.min(first, log.timestamps[i]);
    last = Math.max(last, log.timestamps[i]);
    customerCount = Math.max(customerCount, log.customerIndex[i] + 1);
  }
  const aggregator = new JourneyAggregator({ models: ATTRIBUTION_MODELS, markovOrder: 1, halfLifeDays: halfLife });
  const summary = addTouchpointLog(log, aggregator, lookback);
  requireConvertingJourneys(summary, lookback);
  const result = aggregator.result();
  const names = result.channels;
  const models = ATTRIBUTION_MODELS;
  const credit = (model: AttributionModel) => result.credit[model]!;
  const average = new Float64Array(names.length);
  for (const model of models) for (let id = 0; id < names.length; id++) average[id] += credit(model).conversions[id] / models.length;
  const order = rankChannels(average, names);

  // Spend per channel (all rows), matched to the log's channels by name.
  const spendRows = spend === null ? null : readSpend(spend);
  const spendByKey = new Map<string, { name: string; amount: number }>();
  if (spendRows !== null) {
    for (let i = 0; i < spendRows.rowCount; i++) {
      const key = channelKey(spendRows.channels[i]);
      const entry = spendByKey.get(key) ?? { name: spendRows.channels[i], amount: 0 };
      entry.amount += spendRows.amounts[i];
      spendByKey.set(key, entry);
    }
  }
  const logKeys = new Set(names.map(channelKey));
  const unmatchedSpend = [...spendByKey.entries()].filter(([key]) => !logKeys.has(key)).map(([, entry]) => entry);

  const channels: AttributionChannel[] = order.map((id) => {
    const conversions: Record<string, number> = {};
    const value: Record<string, number> = {};
    for (const model of models) {
      conversions[model] = credit(model).conversions[id];
      value[model] = credit(model).value[id];
    }
    return { channel: names[id], conversions, value, spend: spendRows === null ? null : (spendByKey.get(channelKey(names[id]))?.amount ?? null) };
  });

  const noNulls = result.markov !== null && !result.markov.hasNulls;
  const label = (model: AttributionModel) => (model === "markov" && noNulls ? "markov (no nulls)" : model);
  const hasNoTouch = summary.unattributedConversions > 0;
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  const modelColumns = models.length;

  blocks.push({ kind: "cells", row: 0, column: 0, values: [["Attribution"]], style: "title" });
  blocks.push({
    kind: "cells",
    row: 1,
    column: 0,
    values: [["Conversions and value credited to each channel by seven models, side by side. Attribution is not incrementality: credit is not proof that a channel caused the sale."]],
    style: "subtitle",
  });

  // Conversions by model.
  let row = 3;
  blocks.push({ kind: "cells", row, column: 0, values: [["Conversions credited by model"]], style: "heading" });
  row++;
  const conversionsTop = row;
  const dataRows = order.length + (hasNoTouch ? 1 : 0);
  const creditTable = (valueOf: (model: AttributionModel, id: number) => number, unattributed: number): { rows: Cell[][]; totals: Cell[] } => {
    const rows: Cell[][] = order.map((id) => [names[id], ...models.map((model) => valueOf(model, id))]);
    if (hasNoTouch) rows.push([NO_TOUCH, ...models.map(() => unattributed)]);
    const totals: Cell[] = [
      "Total",
      ...models.map((model, m) => {
        let total = 0;
        for (const r of rows) total += r[m + 1] as number;
        const column = 1 + m;
        return { formula: `SUM(${a1(row + 1, column)}:${a1(row + dataRows, column)})`, value: total };
      }),
    ];
    return { rows, totals };
  };
  const conversionTable = creditTable((model, id) => credit(model).conversions[id], summary.unattributedConversions);
  blocks.push({
    kind: "table",
    name: "AttributionConversions",
    row,
    column: 0,
    headers: ["Channel", ...models.map(label)],
    rows: conversionTable.rows,
    numberFormats: [null, ...models.map(() => "#,##0.0")],
    totals: conversionTable.totals,
  });
  const conversionsTotalRow = row + dataRows + 1;
  charts.push({
    type: "column",
    title: "Conversions credited by model",
    categories: { row: row + 1, column: 0, rowCount: order.length, columnCount: 1 },
    series: models.map((model, m) => ({ name: label(model), values: { row: row + 1, column: 1 + m, rowCount: order.length, columnCount: 1 } })),
    yAxisTitle: "Conversions",
    valueFormat: "#,##0",
    anchor: { row: conversionsTop, column: modelColumns + 3, rows: 18, columns: 9 },
  });
  row = conversionsTotalRow + 2;

  // Value by model.
  blocks.push({ kind: "cells", row, column: 0, values: [["Value credited by model"]], style: "heading" });
  row++;
  const valueTop = row;
  const valueTable = creditTable((model, id) => credit(model).value[id], summary.unattributedValue);
  blocks.push({
    kind: "table",
    name: "AttributionValue",
    row,
    column: 0,
    headers: ["Channel", ...models.map((model) => `${label(model)} value`)],
    rows: valueTable.rows,
    numberFormats: [null, ...models.map(() => "#,##0.00")],
    totals: valueTable.totals,
  });
  row = valueTop + dataRows + 3;

  // Shares of conversions (formulas over the conversions table) and Markov removal effects.
  blocks.push({ kind: "cells", row, column: 0, values: [["Share of conversions by model"]], style: "heading" });
  row++;
  const totalConversions = result.totals.conversions + summary.unattributedConversions;
  const removalHeader = noNulls ? "Markov removal effect (no nulls)" : "Markov removal effect";
  const shareRows: Cell[][] = [];
  const sourceRows = [...order, -1].slice(0, dataRows);
  sourceRows.forEach((id, r) => {
    const cells: Cell[] = [id < 0 ? NO_TOUCH : names[id]];
    models.forEach((model, m) => {
      const conversions = id < 0 ? summary.unattributedConversions : credit(model).conversions[id];
      cells.push({ formula: `${a1(conversionsTop + 1 + r, 1 + m)}/${a1(conversionsTotalRow, 1 + m, true)}`, value: conversions / totalConversions });
    });
    cells.push(id < 0 || result.markov === null ? null : result.markov.removalEffect[id]);
    shareRows.push(cells);
  });
  blocks.push({
    kind: "table",
    name: "AttributionShares",
    row,
    column: 0,
    headers: ["Channel", ...models.map((model) => `${label(model)} share`), removalHeader],
    rows: shareRows,
    numberFormats: [null, ...models.map(() => "0.0%"), "0.0%"],
  });
  row += 1 + dataRows + 2;

  // Spend and ROCI.
  const notes: string[] = [];
  if (spendRows !== null) {
    const paid = order.map((id, r) => ({ id, r })).filter(({ id }) => (spendByKey.get(channelKey(names[id]))?.amount ?? 0) > 0);
    blocks.push({ kind: "cells", row, column: 0, values: [["Spend and net ROCI by model: (credited value − spend) / spend"]], style: "heading" });
    row++;
    if (paid.length > 0) {
      const rociTop = row;
      const rows: Cell[][] = paid.map(({ id, r }, k) => {
        const amount = spendByKey.get(channelKey(names[id]))!.amount;
        const spendCell = a1(rociTop + 1 + k, 1);
        return [
          names[id],
          amount,
          ...models.map((model, m) => {
            const valueCell = a1(valueTop + 1 + r, 1 + m);
            return { formula: `(${valueCell}-${spendCell})/${spendCell}`, value: rociRatio(credit(model).value[id], amount, "net") };
          }),
        ];
      });
      let spendTotal = 0;
      for (const { id } of paid) spendTotal += spendByKey.get(channelKey(names[id]))!.amount;
      blocks.push({
        kind: "table",
        name: "AttributionRoci",
        row,
        column: 0,
        headers: ["Channel", "Spend", ...models.map((model) => `${label(model)} ROCI`)],
        rows,
        numberFormats: [null, "#,##0.00", ...models.map(() => "0.0%")],
        totals: ["Total", { formula: `SUM(${a1(rociTop + 1, 1)}:${a1(rociTop + paid.length, 1)})`, value: spendTotal }, ...models.map(() => null)],
      });
      row += 1 + paid.length + 1 + 2;
    } else {
      blocks.push({ kind: "cells", row, column: 0, values: [["No channel of the log has spend above 0 in the spend table."]], style: "note" });
      row += 2;
    }
    const unpaid = order.filter((id) => !((spendByKey.get(channelKey(names[id]))?.amount ?? 0) > 0)).map((id) => names[id]);
    if (unpaid.length > 0) notes.push(`No spend (or spend 0) for ${unpaid.join(", ")}: no ROCI for these channels.`);
    if (unmatchedSpend.length > 0) {
      notes.push(`Spend on channels with no touch in the log is left out of ROCI: ${unmatchedSpend.map((e) => `${e.name} (${plain(e.amount)})`).join(", ")}.`);
    }
    const dated = spendRows.periods.filter((p): p is number => p !== null);
    const spendPeriod = dated.length > 0 ? `${formatSerial(Math.min(...dated))} to ${formatSerial(Math.max(...dated))}` : "no periods given";
    notes.push(
      `ROCI divides value credited over the whole log (${formatSerial(first)} to ${formatSerial(last)}) by spend over all ${spendRows.rowCount} rows of the spend table (periods: ${spendPeriod}); both should cover the same period.`,
    );
  }

  notes.unshift(
    "Attribution is not incrementality: credit shares out conversions that happened; it does not say which would have happened without the channel. Use a holdout experiment to measure lift.",
    `${formatCount(summary.conversions)} conversions (total value ${plain(result.totals.value + summary.unattributedValue)}) in ${formatCount(rowCount)} log rows from ${formatCount(customerCount)} customers, ${formatSerial(first)} to ${formatSerial(last)}.`,
    `Journeys: ${formatCount(summary.convertingJourneys)} converting and ${formatCount(summary.nonConvertingJourneys)} non-converting (nulls, the touches after a customer's last conversion; used by the Markov model).`,
    hasNoTouch
      ? `${formatCount(summary.unattributedConversions)} conversions (value ${plain(summary.unattributedValue)}) had no touch in their ${lookback}-day window: shown as "${NO_TOUCH}", credited to no channel.`
      : "Every conversion had at least one touch in its window.",
    `${formatCount(summary.touchesOutsideLookback)} touches were more than ${lookback} days before their conversion and belong to no journey.`,
    noNulls ? "No non-converting journeys: Markov removal effects are computed without nulls." : "Markov removal effect: the share of conversions lost if the channel were removed from every journey.",
  );

  notes.push(...(context.notes ?? []));
  const provenance: Provenance = {
    sources: [touchpoints.source, ...(spend === null ? [] : [spend.source])],
    options: [
      { label: "Models", value: models.join(", ") },
      { label: "Look-back window", value: `${lookback} days` },
      { label: "Time-decay half-life", value: `${halfLife} days` },
      { label: "Markov order", value: "1" },
      { label: "ROCI", value: spend === null ? "no spend given" : "net: (credited value − spend) / spend" },
    ],
    generatedAt: context.generatedAt,
    notes,
  };
  blocks.push(provenanceBlock(provenance, row, 0));

  const sheet: ReportSheet = {
    name: "Attribution",
    blocks,
    columnWidths: [22, ...models.map(() => 14), 16],
    freeze: { rows: 3, columns: 1 },
    conditionalFormats: [
      { range: { row: conversionsTop + 1, column: 1, rowCount: order.length, columnCount: modelColumns }, rule: { kind: "colorScale", low: "FFFFFF", high: "63BE7B" } },
    ],
    charts,
    provenance,
  };
  return { sheet, channels, summary, logPeriod: { first, last } };
}
