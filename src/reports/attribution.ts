/**
 * The Attribution tab: conversions and value credited to each channel by the seven attribution
 * models side by side (engine ids first, last, linear, position, time_decay, markov, shapley, shown
 * by their business names, {@link attributionModelName}), their shares, the Markov removal effects
 * in their own table and, when spend is given, net ROCI per channel and model with a blended total.
 * A headline block on top gives the credit, the largest channel, where last touch differs most
 * from data-driven (Markov) and the blended ROCI, each with a sentence.
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
import { alignRows, calendarToSerial, isBlankCell, serialToCalendar, numberColumn, textColumn, toDateSerial } from "../engine/data";
import { EngineError, invalidArgument, invalidCell } from "../engine/errors";
import { rociRatio } from "../engine/roci/roci";
import type { SpendInput, TouchpointsInput } from "./inputs";
import { a1, provenanceBlock, type Block, type Cell, type ChartSpec, type ConditionalFormat, type Provenance, type ReportContext, type ReportSheet } from "./sheet";
import { FORMAT, formatCount } from "./format";

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
  /**
   * Where last touch differs most from data-driven (Markov), in conversions credited: the channel it
   * under-credits most and by how much (a fraction of the Markov credit, > 0), and the one it
   * over-credits most; null when no channel differs by 0.5% or more in that direction.
   */
  readonly lastTouchAgainstMarkov: {
    readonly underCredited: string | null;
    readonly underBy: number;
    readonly overCredited: string | null;
    readonly overBy: number;
  };
  /** Ids in the touchpoint log: customers (with a conversion) and prospects (touches only). */
  readonly ids: { readonly total: number; readonly customers: number; readonly prospects: number };
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

/**
 * The business name of an attribution model, as every cell, header, chart and note of the tab shows it.
 *
 * @param model an engine model id ({@link ATTRIBUTION_MODELS}).
 * @param halfLifeDays the time-decay half-life in days (named in the time-decay model's name).
 * @returns e.g. "First touch", "Position-based (40/20/40)", "Time decay (7-day half-life)", "Data-driven (Markov)".
 */
export function attributionModelName(model: AttributionModel, halfLifeDays: number = DEFAULT_HALF_LIFE_DAYS): string {
  switch (model) {
    case "first":
      return "First touch";
    case "last":
      return "Last touch";
    case "linear":
      return "Linear";
    case "position":
      return "Position-based (40/20/40)";
    case "time_decay":
      return `Time decay (${plain(halfLifeDays)}-day half-life)`;
    case "markov":
      return "Data-driven (Markov)";
    case "shapley":
      return "Shapley";
  }
}

/** Models that credit whole conversions to one channel each (first, last touch): counts shown without decimals. */
const WHOLE_CREDIT_MODELS: readonly AttributionModel[] = ["first", "last"];

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A date serial in words, "6 Dec 2026", the same on every machine. */
function dateText(serial: number): string {
  const { year, month, day } = serialToCalendar(Math.floor(serial));
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

/** A share as text, "41%" (one decimal below 10%: "4.5%"). */
function percentText(share: number): string {
  const percent = Math.abs(share) * 100;
  return `${percent < 9.95 ? percent.toFixed(1) : percent.toFixed(0)}%`;
}

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
  const label = (model: AttributionModel) => attributionModelName(model, halfLife);
  const hasNoTouch = summary.unattributedConversions > 0;
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  const conditionalFormats: ConditionalFormat[] = [];
  const modelColumns = models.length;
  const totalConversions = result.totals.conversions + summary.unattributedConversions;
  const totalValue = result.totals.value + summary.unattributedValue;

  // Ids of the log: customers converted at least once, prospects only touched.
  const converted = new Uint8Array(customerCount);
  for (let i = 0; i < rowCount; i++) if (log.conversionValues[i] > 0) converted[log.customerIndex[i]] = 1;
  let customers = 0;
  for (let c = 0; c < customerCount; c++) customers += converted[c];
  const prospects = customerCount - customers;
  const idsText = `${formatCount(customerCount)} ids in the touchpoint log: ${formatCount(customers)} customers (ids with a conversion) and ${formatCount(prospects)} prospects (ids with touches only)`;

  blocks.push({ kind: "cells", row: 0, column: 0, values: [["Attribution"]], style: "title" });
  blocks.push({
    kind: "cells",
    row: 1,
    column: 0,
    values: [
      [
        `Seven attribution models side by side on the touchpoint log: ${formatCount(rowCount)} rows, ${dateText(first)} to ${dateText(last)}; ${formatCount(customerCount)} ids: ${formatCount(customers)} customers (with a conversion), ${formatCount(prospects)} prospects (touches only); ${lookback}-day look-back; amounts in the data's currency.`,
      ],
    ],
    style: "subtitle",
  });
  blocks.push({
    kind: "cells",
    row: 2,
    column: 0,
    values: [["Attribution is not incrementality: credit shares out conversions that happened; it is not proof that a channel caused them."]],
    style: "note",
  });

  // Headline: label | number | what it means.
  let row = 4;
  blocks.push({ kind: "cells", row, column: 0, values: [["At a glance"]], style: "heading" });
  row++;
  const headline = (name: string, value: number, format: string, sentence: string) => {
    blocks.push({ kind: "cells", row, column: 0, values: [[name, value, sentence]], numberFormats: [null, format, null], columnStyles: ["label", "total", "body"] });
    row++;
  };
  const markovShare = (id: number) => credit("markov").conversions[id] / totalConversions;
  headline(
    "Conversions credited",
    result.totals.conversions,
    HEADLINE_FORMAT.count,
    hasNoTouch
      ? `${percentText(result.totals.conversions / totalConversions)} of the ${formatCount(summary.conversions)} conversions in the log; ${formatCount(summary.unattributedConversions)} had no touch in the ${lookback} days before them and are credited to no channel.`
      : `All ${formatCount(summary.conversions)} conversions in the log had a touch in the ${lookback} days before them.`,
  );
  headline(
    "Value credited",
    result.totals.value,
    HEADLINE_FORMAT.count,
    `${percentText(result.totals.value / totalValue)} of the ${formatCount(totalValue)} conversion value in the log; every model shares out the same total, only the split between channels differs.`,
  );
  const top = order[0];
  let lowShare = Number.POSITIVE_INFINITY;
  let highShare = Number.NEGATIVE_INFINITY;
  for (const model of models) {
    lowShare = Math.min(lowShare, credit(model).conversions[top] / totalConversions);
    highShare = Math.max(highShare, credit(model).conversions[top] / totalConversions);
  }
  headline(
    "Largest credit",
    markovShare(top),
    HEADLINE_FORMAT.share,
    `${names[top]} gets the most credit on average over the seven models (${percentText(lowShare)} to ${percentText(highShare)} of all conversions); ${percentText(markovShare(top))} under ${label("markov")}.`,
  );
  // Last touch against data-driven: relative difference of credited conversions, channel by channel.
  let under = -1;
  let over = -1;
  const gap = (id: number) => credit("last").conversions[id] / credit("markov").conversions[id] - 1;
  for (const id of order) {
    if (!(credit("markov").conversions[id] > 0)) continue;
    if (under < 0 || gap(id) < gap(under)) under = id;
    if (over < 0 || gap(id) > gap(over)) over = id;
  }
  const lastAgainstMarkov = { underCredited: null as string | null, underBy: 0, overCredited: null as string | null, overBy: 0 };
  if (under >= 0) {
    const parts: string[] = [];
    if (gap(under) <= -0.005) {
      parts.push(`under-credits ${names[under]} by ${percentText(gap(under))}`);
      lastAgainstMarkov.underCredited = names[under];
      lastAgainstMarkov.underBy = -gap(under);
    }
    if (gap(over) >= 0.005) {
      parts.push(`over-credits ${names[over]} by ${percentText(gap(over))}`);
      lastAgainstMarkov.overCredited = names[over];
      lastAgainstMarkov.overBy = gap(over);
    }
    headline(
      "Last touch vs data-driven",
      parts.length === 0 ? 0 : lastAgainstMarkov.underCredited !== null ? gap(under) : gap(over),
      HEADLINE_FORMAT.difference,
      parts.length === 0
        ? `${label("last")} and ${label("markov")} credit every channel within 0.5% of each other.`
        : `${label("last")} ${parts.join(" and ")} against ${label("markov")} (conversions credited).`,
    );
  }

  // Spend per paid channel (spend above 0), for ROCI and its headline.
  const spendOf = (id: number) => spendByKey.get(channelKey(names[id]))?.amount ?? 0;
  // Largest spend first.
  const paid = (spendRows === null ? [] : order.map((id, r) => ({ id, r })).filter(({ id }) => spendOf(id) > 0)).sort((a, b) => spendOf(b.id) - spendOf(a.id));
  let paidSpend = 0;
  for (const { id } of paid) paidSpend += spendOf(id);
  const blended = (model: AttributionModel) => {
    let value = 0;
    for (const { id } of paid) value += credit(model).value[id];
    return rociRatio(value, paidSpend, "net");
  };
  if (paid.length > 0) {
    const negative = paid.filter(({ id }) => credit("markov").value[id] < spendOf(id)).map(({ id }) => names[id]);
    headline(
      "Blended ROCI",
      blended("markov"),
      HEADLINE_FORMAT.roci,
      `${label("markov")}: net return on the ${formatCount(paidSpend)} spent on ${paid.length} paid channels: (value credited − spend) ÷ spend. ${
        negative.length === 0 ? "Every paid channel earns back its spend." : `Below break-even (negative, red in the table): ${negative.join(", ")}.`
      }`,
    );
    // Red below 0%, the rule the ROCI table states.
    conditionalFormats.push({ range: { row: row - 1, column: 1, rowCount: 1, columnCount: 1 }, rule: { kind: "cellIs", operator: "lessThan", value: 0, look: "bad" } });
  }
  row++;

  // Conversions by model.
  blocks.push({ kind: "cells", row, column: 0, values: [["Conversions credited to each channel, by model (number of conversions)"]], style: "heading" });
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
  const modelHeaders = models.map(label);
  const conversionTable = creditTable((model, id) => credit(model).conversions[id], summary.unattributedConversions);
  blocks.push({
    kind: "table",
    name: "AttributionConversions",
    row,
    column: 0,
    headers: ["Channel", ...modelHeaders],
    rows: conversionTable.rows,
    numberFormats: [null, ...models.map((model) => (WHOLE_CREDIT_MODELS.includes(model) ? FORMAT.integer : CREDIT_FORMAT))],
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
    anchor: { row: conversionsTop, column: modelColumns + 2, rows: 18, columns: 9 },
  });
  conditionalFormats.push({
    range: { row: conversionsTop + 1, column: 1, rowCount: order.length, columnCount: modelColumns },
    rule: { kind: "colorScale", low: "FFFFFF", high: "63BE7B" },
  });
  row = conversionsTotalRow + 1;
  blocks.push({ kind: "cells", row, column: 0, values: [["Shading: darker green is more conversions credited (magnitude only, not good or bad)."]], style: "note" });
  row += 2;

  // Value by model.
  blocks.push({ kind: "cells", row, column: 0, values: [["Value credited to each channel, by model (conversion value, in the data's currency)"]], style: "heading" });
  row++;
  const valueTop = row;
  const valueTable = creditTable((model, id) => credit(model).value[id], summary.unattributedValue);
  blocks.push({
    kind: "table",
    name: "AttributionValue",
    row,
    column: 0,
    headers: ["Channel", ...modelHeaders],
    rows: valueTable.rows,
    numberFormats: [null, ...models.map(() => FORMAT.integer)],
    totals: valueTable.totals,
  });
  row = valueTop + dataRows + 3;

  // Shares of conversions (formulas over the conversions table).
  blocks.push({ kind: "cells", row, column: 0, values: [["Share of all conversions, by model (% of conversions)"]], style: "heading" });
  row++;
  const shareRows: Cell[][] = [];
  const sourceRows = [...order, -1].slice(0, dataRows);
  sourceRows.forEach((id, r) => {
    const cells: Cell[] = [id < 0 ? NO_TOUCH : names[id]];
    models.forEach((model, m) => {
      const conversions = id < 0 ? summary.unattributedConversions : credit(model).conversions[id];
      cells.push({ formula: `${a1(conversionsTop + 1 + r, 1 + m)}/${a1(conversionsTotalRow, 1 + m, true)}`, value: conversions / totalConversions });
    });
    shareRows.push(cells);
  });
  blocks.push({
    kind: "table",
    name: "AttributionShares",
    row,
    column: 0,
    headers: ["Channel", ...modelHeaders],
    rows: shareRows,
    numberFormats: [null, ...models.map(() => FORMAT.percent)],
  });
  row += 1 + dataRows + 2;

  // Markov removal effects: their own table, largest first.
  if (result.markov !== null) {
    const removal = result.markov.removalEffect;
    let removalSum = 0;
    for (const id of order) removalSum += removal[id];
    blocks.push({ kind: "cells", row, column: 0, values: [[`${label("markov")}: removal effects (% of conversions lost)`]], style: "heading" });
    row++;
    blocks.push({
      kind: "cells",
      row,
      column: 0,
      values: [
        [
          `Conversions lost if the channel were taken out of every journey. Journeys need several channels, so these do not add up to 100% (here ${percentText(removalSum)}).`,
        ],
      ],
      style: "note",
    });
    row++;
    const byEffect = [...order].sort((a, b) => removal[b] - removal[a] || names[a].localeCompare(names[b]));
    blocks.push({
      kind: "table",
      name: "AttributionRemovalEffects",
      row,
      column: 0,
      headers: ["Channel", "Removal effect"],
      rows: byEffect.map((id) => [names[id], removal[id]]),
      numberFormats: [null, FORMAT.percent],
    });
    charts.push({
      type: "bar",
      title: "Removal effect by channel",
      categories: { row: row + 1, column: 0, rowCount: byEffect.length, columnCount: 1 },
      series: [{ name: "Removal effect", values: { row: row + 1, column: 1, rowCount: byEffect.length, columnCount: 1 } }],
      yAxisTitle: "Conversions lost if removed (%)",
      valueFormat: "0%",
      anchor: { row, column: 2, rows: REMOVAL_CHART_ROWS, columns: 3 },
    });
    // The chart beside the table is taller than a short table: the next section starts below both.
    row += Math.max(1 + byEffect.length, REMOVAL_CHART_ROWS) + 2;
  }

  // Spend and ROCI.
  const notes: string[] = [];
  if (spendRows !== null) {
    blocks.push({ kind: "cells", row, column: 0, values: [["Net ROCI by model (% of spend): (value credited − spend) ÷ spend"]], style: "heading" });
    row++;
    if (paid.length > 0) {
      const rociTop = row;
      const spendColumn = 1 + modelColumns;
      const rows: Cell[][] = paid.map(({ id, r }, k) => {
        const amount = spendOf(id);
        const spendCell = a1(rociTop + 1 + k, spendColumn);
        return [
          names[id],
          ...models.map((model, m) => {
            const valueCell = a1(valueTop + 1 + r, 1 + m);
            return { formula: `(${valueCell}-${spendCell})/${spendCell}`, value: rociRatio(credit(model).value[id], amount, "net") };
          }),
          amount,
        ];
      });
      const firstData = rociTop + 1;
      const lastData = rociTop + paid.length;
      const totalRow = lastData + 1;
      const spendRange = `${a1(firstData, spendColumn, true)}:${a1(lastData, spendColumn, true)}`;
      blocks.push({
        kind: "table",
        name: "AttributionRoci",
        row,
        column: 0,
        headers: ["Channel", ...modelHeaders, "Spend (data's currency)"],
        rows,
        numberFormats: [null, ...models.map(() => FORMAT.percent), FORMAT.integer],
        totals: [
          "Total (blended)",
          // Spend-weighted ROCI = (Σ value − Σ spend) / Σ spend over the channels above.
          ...models.map((model, m) => ({
            formula: `SUMPRODUCT(${a1(firstData, 1 + m)}:${a1(lastData, 1 + m)},${spendRange})/${a1(totalRow, spendColumn, true)}`,
            value: blended(model),
          })),
          { formula: `SUM(${a1(firstData, spendColumn)}:${a1(lastData, spendColumn)})`, value: paidSpend },
        ],
      });
      conditionalFormats.push({
        range: { row: firstData, column: 1, rowCount: paid.length + 1, columnCount: modelColumns },
        rule: { kind: "cellIs", operator: "lessThan", value: 0, look: "bad" },
      });
      row = totalRow + 1;
      blocks.push({
        kind: "cells",
        row,
        column: 0,
        values: [
          [
            "Red: ROCI below 0%, value credited below spend. 0% is break-even. Total (blended): (value credited to these channels − their spend) ÷ their spend. Spend in the data's currency.",
          ],
        ],
        style: "note",
      });
      row += 2;
    } else {
      blocks.push({ kind: "cells", row, column: 0, values: [["No channel of the log has spend above 0 in the spend table."]], style: "note" });
      row += 2;
    }
    const unpaid = order.filter((id) => !(spendOf(id) > 0)).map((id) => names[id]);
    if (unpaid.length > 0) notes.push(`No spend (or spend 0) for ${unpaid.join(", ")}: no ROCI for these channels.`);
    if (unmatchedSpend.length > 0) {
      notes.push(`Spend on channels with no touch in the log is left out of ROCI: ${unmatchedSpend.map((e) => `${e.name} (${plain(e.amount)})`).join(", ")}.`);
    }
    const dated = spendRows.periods.filter((p): p is number => p !== null);
    const spendPeriod = dated.length > 0 ? `${dateText(Math.min(...dated))} to ${dateText(Math.max(...dated))}` : "no periods given";
    notes.push(
      `ROCI divides value credited over the whole log (${dateText(first)} to ${dateText(last)}) by spend over all ${spendRows.rowCount} rows of the spend table (periods: ${spendPeriod}); both should cover the same period.`,
    );
  }

  notes.unshift(
    "Attribution is not incrementality: credit shares out conversions that happened; it does not say which would have happened without the channel. Use a holdout experiment to measure lift.",
    `${formatCount(summary.conversions)} conversions (total value ${formatCount(totalValue)}) in ${formatCount(rowCount)} log rows, ${dateText(first)} to ${dateText(last)}.`,
    `${idsText}. Only customers appear in conversions; prospects' touches count as journeys that did not convert.`,
    "Value credited is the conversion value recorded in the touchpoint log, shared out among the touches before each conversion. It can differ from order revenue: conversions with no touch in the window go to no channel, and the log may leave out orders never tracked to a touch, returns, tax or shipping.",
    `Journeys: ${formatCount(summary.convertingJourneys)} converting and ${formatCount(summary.nonConvertingJourneys)} non-converting (touches after a customer's last conversion or of a prospect; used by ${label("markov")}).`,
    hasNoTouch
      ? `${formatCount(summary.unattributedConversions)} conversions (value ${formatCount(summary.unattributedValue)}) had no touch in their ${lookback}-day window: shown as "${NO_TOUCH}", credited to no channel.`
      : "Every conversion had at least one touch in its window.",
    ...(summary.touchesOutsideLookback > 0
      ? [`${formatCount(summary.touchesOutsideLookback)} ${summary.touchesOutsideLookback === 1 ? "touch was" : "touches were"} more than ${lookback} days before their conversion and belong to no journey.`]
      : []),
    ...(noNulls ? [`No non-converting journeys: ${label("markov")} removal effects are computed without them.`] : []),
    `Conversion counts: ${label("first")} and ${label("last")} give each conversion to one channel (whole numbers); the other models split it (one decimal).`,
  );

  notes.push(...(context.notes ?? []));
  const provenance: Provenance = {
    sources: [touchpoints.source, ...(spend === null ? [] : [spend.source])],
    options: [
      { label: "Models", value: models.map(label).join(", ") },
      { label: "Look-back window", value: `${lookback} days` },
      { label: "Time-decay half-life", value: `${plain(halfLife)} days` },
      { label: "Data-driven (Markov)", value: "first-order chain, removal effects" },
      { label: "ROCI", value: spend === null ? "no spend given" : "net: (value credited − spend) ÷ spend, as a percentage" },
    ],
    generatedAt: context.generatedAt,
    notes,
  };
  blocks.push(provenanceBlock(provenance, row, 0));

  const sheet: ReportSheet = {
    name: "Attribution",
    blocks,
    columnWidths: columnWidthsOf(blocks, modelColumns + 2),
    freeze: { rows: 3, columns: 1 },
    conditionalFormats,
    charts,
    provenance,
  };
  return { sheet, channels, summary, logPeriod: { first, last }, lastTouchAgainstMarkov: lastAgainstMarkov, ids: { total: customerCount, customers, prospects } };
}

/** Number formats of the headline numbers: padded on the right so the sentence beside them does not touch them. */
const HEADLINE_FORMAT = {
  count: "#,##0_);-#,##0_)",
  share: "0.0%_)",
  difference: "+0%_);-0%_);0%_)",
  roci: "0.0%_);-0.0%_)",
} as const;

/** Height in rows of the removal-effect chart beside its table. */
const REMOVAL_CHART_ROWS = 12;

/** Fractional conversions credited (models that split a conversion between channels). */
const CREDIT_FORMAT = "#,##0.0";

/** Column widths (characters) fitting each table's headers and channel names, for the first `count` columns. */
function columnWidthsOf(blocks: readonly Block[], count: number): number[] {
  const widths = new Array<number>(count).fill(12);
  // Column A also holds the headline labels ("Last touch vs data-driven").
  widths[0] = 27;
  for (const block of blocks) {
    if (block.kind !== "table") continue;
    block.headers.forEach((header, c) => {
      const column = block.column + c;
      // A table header carries a filter button: about three characters.
      if (column < count) widths[column] = Math.max(widths[column], Math.min(40, Math.ceil(header.length * 0.85) + 3));
    });
    for (const cells of block.rows) {
      const name = cells[0];
      if (typeof name === "string" && block.column === 0) widths[0] = Math.max(widths[0], Math.min(40, name.length + 2));
    }
    if (block.totals && typeof block.totals[0] === "string" && block.column === 0) widths[0] = Math.max(widths[0], block.totals[0].length + 2);
  }
  return widths;
}
