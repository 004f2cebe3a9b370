/**
 * The numbers behind the Attribution tab, computed once before any cell is placed: the log's period
 * and ids, the credit of each channel under the seven models (IMC.ATTRIBUTE.EVENTS with model "all"
 * on the same log), spend matched to the log's channels, where last touch departs most from
 * data-driven, and the order revenue over the log's dates when orders are given. Pure: no cells here.
 */

import { ATTRIBUTION_MODELS, DEFAULT_HALF_LIFE_DAYS, DEFAULT_LOOKBACK_DAYS, rankChannels, type AttributionModel, type TouchpointSummary } from "../../engine/attribution";
import { alignRows, calendarToSerial, isBlankCell, numberColumn, textColumn, toDateSerial, type Transactions } from "../../engine/data";
import { EngineError, invalidArgument, invalidCell, isEngineError } from "../../engine/errors";
import { rociRatio } from "../../engine/roci/roci";
import { transactionsOf } from "../format";
import type { OrdersInput, SpendInput, TouchpointsInput } from "../inputs";
import { attributionFactsFor } from "./facts";

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

/** The credit of one channel under every model, and what the tab shows beside it. */
export interface ChannelCredit {
  readonly name: string;
  readonly conversions: Readonly<Record<AttributionModel, number>>;
  readonly value: Readonly<Record<AttributionModel, number>>;
  /** Total spend on the channel (all its rows); null without spend or without a row for it. */
  readonly spend: number | null;
  /** Data-driven (Markov) removal effect: share of conversions lost without the channel. */
  readonly removalEffect: number;
}

/** Spend matched to the log's channels. */
export interface SpendSummary {
  readonly rowCount: number;
  /** First and last period start of the spend table, or null when no row has a period. */
  readonly periods: { readonly first: number; readonly last: number } | null;
  /** Indices into the ranked channels with spend above 0, largest spend first. */
  readonly paid: readonly number[];
  /** Spend on the paid channels. */
  readonly paidSpend: number;
  /** Spend on channels with no touch in the log (left out of ROCI). */
  readonly unmatched: readonly { readonly name: string; readonly amount: number }[];
}

/** Where last touch departs most from data-driven (Markov), in conversions credited, among channels with 2% or more of them. */
export interface LastTouchGap {
  /** Index into the ranked channels and the relative gap (last ÷ Markov − 1, below −0.5%), or null. */
  readonly under: { readonly index: number; readonly gap: number } | null;
  /** The channel last touch over-credits most (gap above +0.5%), or null. */
  readonly over: { readonly index: number; readonly gap: number } | null;
}

/** Everything the Attribution tab shows, computed. */
export interface AttributionAnalysis {
  readonly lookbackDays: number;
  readonly halfLifeDays: number;
  readonly log: {
    readonly rows: number;
    readonly first: number;
    readonly last: number;
    /** Ids in the log: customers (with a conversion) and prospects (touches only). */
    readonly ids: number;
    readonly customers: number;
    readonly prospects: number;
  };
  readonly summary: TouchpointSummary;
  /** Channels ranked by their average credit over the models, largest first. */
  readonly channels: readonly ChannelCredit[];
  /** Conversions and value credited to channels (the same under every model). */
  readonly credited: { readonly conversions: number; readonly value: number };
  /** Conversions and value in the log, those with no touch in their window included. */
  readonly all: { readonly conversions: number; readonly value: number };
  /** False when no journey failed to convert (removal effects then come from converting journeys only). */
  readonly markovHasNulls: boolean;
  readonly spend: SpendSummary | null;
  readonly lastTouch: LastTouchGap;
  /** Orders dated within the log's first and last day, when orders were given. */
  readonly orders: { readonly count: number; readonly revenue: number } | null;
}

/** Options of the analysis (days). */
export interface AnalysisOptions {
  readonly lookbackDays?: number;
  readonly halfLifeDays?: number;
  readonly orders?: OrdersInput | null;
}

function positiveOption(value: number | undefined, argument: string, fallback: number): number {
  const x = value ?? fallback;
  if (!Number.isFinite(x) || x <= 0) throw invalidArgument(argument, `must be a positive number of days, got ${x}`);
  return x;
}

/**
 * Computes the Attribution tab's numbers from a touchpoint log, a spend table and orders.
 *
 * @throws EngineError as {@link buildAttributionTab} documents.
 */
export function analyseAttribution(touchpoints: TouchpointsInput, spend: SpendInput | null, options: AnalysisOptions): AttributionAnalysis {
  const lookbackDays = positiveOption(options.lookbackDays, "lookback_days", DEFAULT_LOOKBACK_DAYS);
  const halfLifeDays = positiveOption(options.halfLifeDays, "half_life_days", DEFAULT_HALF_LIFE_DAYS);
  const { log, summary, result } = attributionFactsFor(touchpoints, { lookbackDays, halfLifeDays });
  const credit = (model: AttributionModel) => result.credit[model]!;
  const average = new Float64Array(result.channels.length);
  for (const model of ATTRIBUTION_MODELS) for (let id = 0; id < average.length; id++) average[id] += credit(model).conversions[id] / ATTRIBUTION_MODELS.length;

  const spendRows = spend === null ? null : readSpend(spend);
  const spendByKey = spendPerChannel(spendRows);
  // Ranked on averages rounded to 12 significant digits: channels with the same credit (symmetric
  // journeys) stay in name order whichever order their sums were added in (the rows, or the paths
  // of a log summarised out of core).
  const ranked = rankChannels(
    average.map((x) => Number(x.toPrecision(12))),
    result.channels,
  );
  const channels: ChannelCredit[] = ranked.map((id) => {
    const conversions = {} as Record<AttributionModel, number>;
    const value = {} as Record<AttributionModel, number>;
    for (const model of ATTRIBUTION_MODELS) {
      conversions[model] = credit(model).conversions[id];
      value[model] = credit(model).value[id];
    }
    const name = result.channels[id];
    return { name, conversions, value, spend: spendRows === null ? null : (spendByKey.get(channelKey(name))?.amount ?? null), removalEffect: result.markov?.removalEffect[id] ?? 0 };
  });

  return {
    lookbackDays,
    halfLifeDays,
    log: { ...log, prospects: log.ids - log.customers },
    summary,
    channels,
    credited: { conversions: result.totals.conversions, value: result.totals.value },
    all: { conversions: result.totals.conversions + summary.unattributedConversions, value: result.totals.value + summary.unattributedValue },
    markovHasNulls: result.markov === null || result.markov.hasNulls,
    spend: spendRows === null ? null : spendSummary(spendRows, spendByKey, channels),
    lastTouch: lastTouchGap(channels),
    orders: options.orders ? ordersWithin(options.orders, log.first, log.last) : null,
  };
}

function spendPerChannel(rows: SpendRows | null): Map<string, { name: string; amount: number }> {
  const byKey = new Map<string, { name: string; amount: number }>();
  if (rows === null) return byKey;
  for (let i = 0; i < rows.rowCount; i++) {
    const key = channelKey(rows.channels[i]);
    const entry = byKey.get(key) ?? { name: rows.channels[i], amount: 0 };
    entry.amount += rows.amounts[i];
    byKey.set(key, entry);
  }
  return byKey;
}

function spendSummary(rows: SpendRows, byKey: Map<string, { name: string; amount: number }>, channels: readonly ChannelCredit[]): SpendSummary {
  const paid = channels
    .map((channel, index) => ({ index, amount: channel.spend ?? 0 }))
    .filter((c) => c.amount > 0)
    .sort((a, b) => b.amount - a.amount)
    .map((c) => c.index);
  let paidSpend = 0;
  for (const index of paid) paidSpend += channels[index].spend!;
  const logKeys = new Set(channels.map((c) => channelKey(c.name)));
  const dated = rows.periods.filter((p): p is number => p !== null);
  return {
    rowCount: rows.rowCount,
    periods: dated.length === 0 ? null : { first: Math.min(...dated), last: Math.max(...dated) },
    paid,
    paidSpend,
    unmatched: [...byKey.entries()].filter(([key]) => !logKeys.has(key)).map(([, entry]) => entry),
  };
}

/**
 * Channels with less than this share of the conversions data-driven credits are left out of the
 * last-touch comparison: on a handful of conversions a relative gap swings by hundreds of percent.
 */
export const MATERIAL_SHARE = 0.02;

/** Relative gap of last touch against data-driven, channel by channel (material channels only); beyond ±0.5% counts. */
function lastTouchGap(channels: readonly ChannelCredit[]): LastTouchGap {
  let under: { index: number; gap: number } | null = null;
  let over: { index: number; gap: number } | null = null;
  let credited = 0;
  for (const channel of channels) credited += channel.conversions.markov;
  channels.forEach((channel, index) => {
    if (!(channel.conversions.markov > 0) || channel.conversions.markov < MATERIAL_SHARE * credited) return;
    const gap = channel.conversions.last / channel.conversions.markov - 1;
    if (gap <= -0.005 && (under === null || gap < under.gap)) under = { index, gap };
    if (gap >= 0.005 && (over === null || gap > over.gap)) over = { index, gap };
  });
  return { under, over };
}

/** Orders and their revenue on the log's days (first to last day, whole days). */
function ordersWithin(orders: OrdersInput, first: number, last: number): { count: number; revenue: number } | null {
  const daily = orders.summarised?.daily;
  if (daily !== undefined) {
    // Orders summarised out of core: their counts and revenue per day.
    let count = 0;
    let revenue = 0;
    for (let d = 0; d < daily.days.length; d++) {
      if (daily.days[d] < Math.floor(first) || daily.days[d] >= Math.floor(last) + 1) continue;
      count += daily.orders[d];
      revenue += daily.revenue[d];
    }
    return { count, revenue };
  }
  let transactions: Transactions;
  try {
    transactions = transactionsOf(orders);
  } catch (error) {
    // Orders only add a line here; a bad order cell is reported by the tabs built from the orders.
    if (isEngineError(error, "INVALID_INPUT") || isEngineError(error, "INSUFFICIENT_DATA")) return null;
    throw error;
  }
  if (transactions.orderValues === null) return null;
  let count = 0;
  let revenue = 0;
  for (let i = 0; i < transactions.rowCount; i++) {
    const day = transactions.orderDates[i];
    if (day < Math.floor(first) || day >= Math.floor(last) + 1) continue;
    count++;
    revenue += transactions.orderValues[i];
  }
  return { count, revenue };
}

/** Net ROCI over a set of channels: (value credited − spend) ÷ spend. */
export function blendedRoci(analysis: AttributionAnalysis, model: AttributionModel): number {
  const spend = analysis.spend!;
  let value = 0;
  for (const index of spend.paid) value += analysis.channels[index].value[model];
  return rociRatio(value, spend.paidSpend, "net");
}
