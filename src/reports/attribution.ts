/**
 * The Attribution tab: conversions and value credited to each channel by the seven attribution
 * models side by side (engine ids first, last, linear, position, time_decay, markov, shapley, shown
 * by their business names, {@link attributionModelName}), their shares, the Markov removal effects
 * in their own table and, when spend is given, net ROCI per channel and model with a blended total.
 * The builder reads as its list of sections (src/reports/attribution/sections.ts) placed by the
 * shared layout: scope, headline (credit, value, the largest channel, where last touch differs most
 * from data-driven (Markov), blended ROCI, each a formula over the tables and a sentence), warnings
 * that change a decision, the credit tables with their charts, removal effects, ROCI, how the
 * numbers add up (ids, value against revenue), and where the numbers come from.
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

import { ATTRIBUTION_MODELS, DEFAULT_HALF_LIFE_DAYS, type AttributionModel, type TouchpointSummary } from "../engine/attribution";
import type { OrdersInput, SpendInput, TouchpointsInput } from "./inputs";
import { headlineSection, TabLayout, warningsSection, type Section } from "./layout";
import { tableNamed, type Block, type Provenance, type ReportContext, type ReportSheet } from "./sheet";
import type { Figure } from "./tabBuild";
import { figureAtCell, labelledFigure, present } from "./tabFigures";
import { analyseAttribution, type AttributionAnalysis } from "./attribution/analysis";
import {
  attributionNotes,
  attributionWarnings,
  conversionsSection,
  headlineCount,
  headlineItems,
  reconciliationSection,
  removalSection,
  rociSection,
  scopeSection,
  sharesSection,
  TABLE_OFFSET,
  valueSection,
  type Wording,
} from "./attribution/sections";
import { plainNumber } from "./attribution/text";

export { channelKey, readSpend, type SpendRows } from "./attribution/analysis";

export interface AttributionOptions {
  /** Touches count for a conversion when at most this many days before it (default 30). */
  readonly lookbackDays?: number;
  /** Half-life of the time_decay weight, in days (default 7). */
  readonly halfLifeDays?: number;
  /** Orders, when known: their revenue on the log's days is set beside the log's conversion value. */
  readonly orders?: OrdersInput | null;
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
  /** The tab's headline numbers for the Scorecard; see {@link attributionFigures}. */
  readonly figures: readonly Figure[];
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
      return `Time decay (${plainNumber(halfLifeDays)}-day half-life)`;
    case "markov":
      return "Data-driven (Markov)";
    case "shapley":
      return "Shapley";
  }
}

/**
 * Builds the Attribution tab from a touchpoint log.
 *
 * @param touchpoints the log: customer, timestamp, channel (blank on a separate conversion row),
 *   conversion value (0 or blank on a touch); IMC.ATTRIBUTE.EVENTS's layout.
 * @param spend spend per period and channel, or null; with it the tab adds spend and net ROCI per
 *   channel and model (spend summed over all rows of the table: it should cover the log's period).
 * @param options look-back window (days, default 30), time-decay half-life (days, default 7) and
 *   the orders, whose revenue on the log's days is set beside the log's conversion value.
 * @param context the generation time and the data's currency.
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
  const analysis = analyseAttribution(touchpoints, spend, options);
  const words: Wording = { label: (model) => attributionModelName(model, analysis.halfLifeDays), currency: context.currency };
  const tab = new TabLayout();
  tab.add(scopeSection(analysis, context.currency));
  const headline = tab.reserve(1 + headlineCount(analysis));
  tab.add(warningsSection(attributionWarnings(analysis, words)));
  const conversionsHeader = tab.add(conversionsSection(analysis, words)) + TABLE_OFFSET;
  const valueHeader = tab.add(valueSection(analysis, words)) + TABLE_OFFSET;
  const sharesHeader = tab.add(sharesSection(analysis, words, conversionsHeader)) + TABLE_OFFSET;
  tab.add(removalSection(analysis, words));
  const rociTop = tab.add(rociSection(analysis, words, valueHeader));
  const rociHeader = analysis.spend !== null && analysis.spend.paid.length > 0 ? rociTop + TABLE_OFFSET : null;
  tab.add(reconciliationSection(analysis, words));
  tab.fill(headline, 1 + headlineCount(analysis), blendedRociRed(headlineSection(headlineItems(analysis, words, { conversionsHeader, valueHeader, sharesHeader, rociHeader }))));
  const sheet = tab.sheet({ name: "Attribution", columnWidths: [], freeze: { rows: 3, columns: 1 }, provenance: provenanceOf(analysis, words, touchpoints, spend, context) });
  return reportOf(analysis, { ...sheet, columnWidths: columnWidthsOf(sheet.blocks, ATTRIBUTION_MODELS.length + 2) });
}

/** The headline's blended ROCI red below 0%, the rule the ROCI table states (the fifth number, when there is one). */
function blendedRociRed(section: Section): Section {
  return (top) => {
    const output = section(top);
    const at = output.blocks.findIndex((block) => block.kind === "cells" && block.values[0]?.[0] === "Blended ROCI");
    if (at < 0) return output;
    const row = output.blocks[at].row;
    return { ...output, conditionalFormats: [...(output.conditionalFormats ?? []), { range: { row, column: 1, rowCount: 1, columnCount: 1 }, rule: { kind: "cellIs", operator: "lessThan", value: 0, look: "bad" } }] };
  };
}

function provenanceOf(analysis: AttributionAnalysis, words: Wording, touchpoints: TouchpointsInput, spend: SpendInput | null, context: ReportContext): Provenance {
  return {
    sources: [touchpoints.source, ...(spend === null ? [] : [spend.source])],
    options: [
      { label: "Models", value: ATTRIBUTION_MODELS.map(words.label).join(", ") },
      { label: "Look-back window", value: `${analysis.lookbackDays} days` },
      { label: "Time-decay half-life", value: `${plainNumber(analysis.halfLifeDays)} days` },
      { label: "Data-driven (Markov)", value: "first-order chain, removal effects" },
      { label: "ROCI", value: spend === null ? "no spend given" : "net: (value credited − spend) ÷ spend, as a percentage" },
    ],
    generatedAt: context.generatedAt,
    notes: [...attributionNotes(analysis, words), ...(context.notes ?? [])],
  };
}

/**
 * The Attribution tab's figures, each the cell that shows it:
 * - `attribution.topChannel`: the channel with the most credit (first row of the shares table, text);
 * - `attribution.topChannelShare`: its share of conversions under data-driven (Markov) (headline);
 * - `attribution.valueCredited`: conversion value credited to channels (headline);
 * - `attribution.blendedRoci`: net ROCI of the paid channels under data-driven (Markov) (headline; only with a spend table).
 */
export function attributionFigures(sheet: ReportSheet): Figure[] {
  const shares = tableNamed(sheet, "AttributionShares");
  return present([
    shares === undefined ? null : figureAtCell(sheet, { key: "attribution.topChannel", label: "Channel with the most credit" }, shares.row + 1, shares.column),
    labelledFigure(sheet, "Largest credit", { key: "attribution.topChannelShare", label: "Its share of conversions (data-driven)" }),
    labelledFigure(sheet, "Value credited", { key: "attribution.valueCredited", label: "Conversion value credited to channels" }),
    labelledFigure(sheet, "Blended ROCI", { key: "attribution.blendedRoci", label: "Blended ROCI of paid channels (data-driven)" }),
  ]);
}

/** The report's public shape from the analysis. */
function reportOf(analysis: AttributionAnalysis, sheet: ReportSheet): AttributionReport {
  const { under, over } = analysis.lastTouch;
  const name = (index: number) => analysis.channels[index].name;
  return {
    sheet,
    figures: attributionFigures(sheet),
    channels: analysis.channels.map((c) => ({ channel: c.name, conversions: c.conversions, value: c.value, spend: c.spend })),
    summary: analysis.summary,
    logPeriod: { first: analysis.log.first, last: analysis.log.last },
    lastTouchAgainstMarkov: {
      underCredited: under === null ? null : name(under.index),
      underBy: under === null ? 0 : -under.gap,
      overCredited: over === null ? null : name(over.index),
      overBy: over === null ? 0 : over.gap,
    },
    ids: { total: analysis.log.ids, customers: analysis.log.customers, prospects: analysis.log.prospects },
  };
}

/** Column widths (characters) fitting each table's headers and channel names, for the first `count` columns. */
function columnWidthsOf(blocks: readonly Block[], count: number): number[] {
  const widths = new Array<number>(count).fill(12);
  // Column A also holds the headline labels ("Last touch vs data-driven").
  widths[0] = 27;
  for (const block of blocks) {
    if (block.kind !== "table") continue;
    block.headers.forEach((header, c) => {
      const column = block.column + c;
      // A table header carries a filter button: about three characters beyond its text.
      if (column < count) widths[column] = Math.max(widths[column], Math.min(40, header.length + 3));
    });
    for (const cells of block.rows) {
      const name = cells[0];
      if (typeof name === "string" && block.column === 0) widths[0] = Math.max(widths[0], Math.min(40, name.length + 2));
    }
    if (block.totals && typeof block.totals[0] === "string" && block.column === 0) widths[0] = Math.max(widths[0], block.totals[0].length + 2);
  }
  return widths;
}
