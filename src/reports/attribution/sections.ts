/**
 * The sections of the Attribution tab, each a small function of the analysis returning its blocks
 * (see src/reports/layout.ts): scope, headline, warnings, the credit tables with their charts, the
 * removal effects, ROCI, and how the counts add up. Tables start on the row under their heading
 * ({@link TABLE_OFFSET}), so a builder knows where a section's cells are from the row it placed it on.
 */

import { ATTRIBUTION_MODELS, type AttributionModel } from "../../engine/attribution";
import { rociRatio } from "../../engine/roci/roci";
import { FORMAT, formatCount, moneyFormat } from "../format";
import { headingBlock, NOTHING, type HeadlineItem, type Section } from "../layout";
import { a1, type Cell, type ChartSpec, type ConditionalFormat } from "../sheet";
import { blendedRoci, MATERIAL_SHARE, type AttributionAnalysis } from "./analysis";
import { dateText, inCurrency, listText, moneyText, padded, percentText, plainNumber, signedPercentText } from "./text";

/** The label of a channel-less row: conversions with no touch in their window. */
export const NO_TOUCH = "(no touch)";

/** Rows between a section's top and its table's header row (the heading). */
export const TABLE_OFFSET = 1;

/** How a tab names the models and shows amounts. */
export interface Wording {
  /** Business name of a model. */
  readonly label: (model: AttributionModel) => string;
  readonly currency: string | undefined;
}

const MODELS = ATTRIBUTION_MODELS;
/** Column of a model in the credit tables (column A holds the channel). */
const modelColumn = (model: AttributionModel): number => 1 + MODELS.indexOf(model);
/** Models that credit whole conversions to one channel each (first, last touch): counts shown without decimals. */
const WHOLE_CREDIT_MODELS: readonly AttributionModel[] = ["first", "last"];
/** Fractional conversions credited (models that split a conversion between channels). */
const CREDIT_FORMAT = "#,##0.0";
/** The red of a rule "below 0". */
const BELOW_ZERO = { kind: "cellIs", operator: "lessThan", value: 0, look: "bad" } as const;

/** Format of the tab's amounts: whole numbers when the log's conversion value is above 10,000, else with cents. */
export function amountFormat(analysis: AttributionAnalysis, currency: string | undefined): string {
  return moneyFormat(currency, analysis.all.value > 10_000 ? 0 : 2);
}

/** Rows of a credit table's data: the channels, then the no-touch row when some conversion had no touch. */
export function creditRows(analysis: AttributionAnalysis): number {
  return analysis.channels.length + (analysis.summary.unattributedConversions > 0 ? 1 : 0);
}

/** Title, scope (data, dates, ids, window, currency) and the line that attribution is not incrementality. */
export function scopeSection(analysis: AttributionAnalysis, currency: string | undefined): Section {
  const { log } = analysis;
  const scope =
    `Seven attribution models side by side on the touchpoint log: ${formatCount(log.rows)} rows, ${dateText(log.first)} to ${dateText(log.last)}; ` +
    `${formatCount(log.ids)} ids: ${formatCount(log.customers)} customers (with a conversion), ${formatCount(log.prospects)} prospects (touches only); ` +
    `${analysis.lookbackDays}-day look-back; amounts ${inCurrency(currency)}.`;
  return (top) => ({
    blocks: [
      { kind: "cells", row: top, column: 0, values: [["Attribution"]], style: "title" },
      { kind: "cells", row: top + 1, column: 0, values: [[scope]], style: "subtitle" },
      {
        kind: "cells",
        row: top + 2,
        column: 0,
        values: [["Attribution is not incrementality: credit shares out conversions that happened; it is not proof that a channel caused them."]],
        style: "note",
      },
    ],
    rows: 3,
  });
}

/** Cells of the tab the headline quotes (0-based rows of table headers). */
export interface HeadlineCells {
  readonly conversionsHeader: number;
  readonly valueHeader: number;
  readonly sharesHeader: number;
  /** Header row of the ROCI table, when there is one. */
  readonly rociHeader: number | null;
}

/** Number of headline items (for reserving their rows). */
export function headlineCount(analysis: AttributionAnalysis): number {
  return 4 + (analysis.spend !== null && analysis.spend.paid.length > 0 ? 1 : 0);
}

/**
 * The headline: credit, value credited, the largest channel, last touch against data-driven and the
 * blended ROCI, each a formula over the tables below and a sentence.
 */
export function headlineItems(analysis: AttributionAnalysis, words: Wording, cells: HeadlineCells): HeadlineItem[] {
  const { summary, channels, all, credited, lookbackDays } = analysis;
  const markov = modelColumn("markov");
  const n = channels.length;
  const sumOf = (header: number) => `SUM(${a1(header + 1, markov)}:${a1(header + n, markov)})`;
  const top = channels[0];
  const shares = MODELS.map((model) => top.conversions[model] / all.conversions);
  const items: HeadlineItem[] = [
    {
      label: "Conversions credited",
      value: { formula: sumOf(cells.conversionsHeader), value: credited.conversions },
      format: padded(FORMAT.integer),
      sentence:
        summary.unattributedConversions > 0
          ? `${percentText(credited.conversions / all.conversions)} of the ${formatCount(summary.conversions)} conversions in the log; ${formatCount(summary.unattributedConversions)} had no touch in the ${lookbackDays} days before them and are credited to no channel.`
          : `All ${formatCount(summary.conversions)} conversions in the log had a touch in the ${lookbackDays} days before them.`,
    },
    {
      label: "Value credited",
      value: { formula: sumOf(cells.valueHeader), value: credited.value },
      format: padded(amountFormat(analysis, words.currency)),
      sentence: `${percentText(credited.value / all.value)} of the ${moneyText(words.currency, all.value)} conversion value in the log; every model shares out the same total, only the split between channels differs.`,
    },
    {
      label: "Largest credit",
      value: { formula: a1(cells.sharesHeader + 1, markov), value: top.conversions.markov / all.conversions },
      format: padded(FORMAT.percent),
      sentence: `${top.name} gets the most credit on average over the seven models (${percentText(Math.min(...shares))} to ${percentText(Math.max(...shares))} of all conversions); ${percentText(top.conversions.markov / all.conversions)} under ${words.label("markov")}.`,
    },
    lastTouchItem(analysis, words, cells.conversionsHeader),
  ];
  if (cells.rociHeader !== null && analysis.spend !== null && analysis.spend.paid.length > 0) {
    const spend = analysis.spend;
    const negative = spend.paid.filter((i) => channels[i].value.markov < channels[i].spend!).map((i) => channels[i].name);
    items.push({
      label: "Blended ROCI",
      value: { formula: a1(cells.rociHeader + spend.paid.length + 1, markov), value: blendedRoci(analysis, "markov") },
      format: padded("0.0%;-0.0%"),
      sentence: `${words.label("markov")}: net return on the ${moneyText(words.currency, spend.paidSpend)} spent on ${spend.paid.length} paid channels: (value credited − spend) ÷ spend. ${
        negative.length === 0 ? "Every paid channel earns back its spend." : `${negative.length} of the ${spend.paid.length} paid channels are below break-even (red in the table).`
      }`,
    });
  }
  return items;
}

/** The line naming the channels last touch under- and over-credits most against data-driven. */
function lastTouchItem(analysis: AttributionAnalysis, words: Wording, conversionsHeader: number): HeadlineItem {
  const { under, over } = analysis.lastTouch;
  const name = (index: number) => analysis.channels[index].name;
  const parts: string[] = [];
  if (under !== null) parts.push(`under-credits ${name(under.index)} by ${percentText(under.gap)}`);
  if (over !== null) parts.push(`over-credits ${name(over.index)} by ${percentText(over.gap)}`);
  const shown = under ?? over;
  const row = shown === null ? -1 : conversionsHeader + 1 + shown.index;
  return {
    label: "Last touch vs data-driven",
    value: shown === null ? 0 : { formula: `${a1(row, modelColumn("last"))}/${a1(row, modelColumn("markov"))}-1`, value: shown.gap },
    format: "+0%_);-0%_);0%_)",
    sentence:
      parts.length === 0
        ? `${words.label("last")} and ${words.label("markov")} credit every channel within 0.5% of each other.`
        : `${words.label("last")} ${parts.join(" and ")} against ${words.label("markov")} (conversions credited).`,
  };
}

/** Warnings that change a decision: paid channels below break-even, many conversions without a touch, spend and log over different periods. */
export function attributionWarnings(analysis: AttributionAnalysis, words: Wording): string[] {
  const warnings: string[] = [];
  const { channels, spend, summary, all, log } = analysis;
  if (spend !== null) {
    const losing = spend.paid.filter((i) => channels[i].value.markov < channels[i].spend!);
    if (losing.length > 0) {
      const list = losing.map((i) => `${channels[i].name} ${signedPercentText(rociRatio(channels[i].value.markov, channels[i].spend!, "net"))}`);
      const [their, them] = losing.length === 1 ? ["its", "it"] : ["their", "them"];
      warnings.push(
        `Below break-even under ${words.label("markov")}: ${listText(list)} net ROCI; value credited is less than ${their} spend. Credit is not lift: test with a holdout before cutting ${them}.`,
      );
    }
  }
  const noTouch = summary.unattributedConversions / all.conversions;
  if (noTouch > 0.1) {
    warnings.push(
      `${percentText(noTouch)} of conversions (more than 10%) had no touch in the ${analysis.lookbackDays} days before them: channels share only the other ${percentText(1 - noTouch)}, and ROCI leaves that value out.`,
    );
  }
  if (spend !== null && spend.periods !== null) {
    const month = 31;
    const apart = spend.periods.first > Math.floor(log.first) + month || spend.periods.last < Math.floor(log.last) - month || spend.periods.first < Math.floor(log.first) - month || spend.periods.last > Math.floor(log.last);
    if (apart) {
      warnings.push(
        `Spend periods start between ${dateText(spend.periods.first)} and ${dateText(spend.periods.last)}, but the log runs ${dateText(log.first)} to ${dateText(log.last)}: ROCI compares value and spend over different periods.`,
      );
    }
  }
  return warnings;
}

/** A credit table (conversions or value) under its heading, the no-touch row and a total row of SUM formulas. */
function creditTable(analysis: AttributionAnalysis, words: Wording, top: number, name: string, of: "conversions" | "value", formats: readonly string[]) {
  const header = top + TABLE_OFFSET;
  const dataRows = creditRows(analysis);
  const { summary } = analysis;
  const rows: Cell[][] = analysis.channels.map((channel) => [channel.name, ...MODELS.map((model) => channel[of][model])]);
  const unattributed = of === "conversions" ? summary.unattributedConversions : summary.unattributedValue;
  if (dataRows > analysis.channels.length) rows.push([NO_TOUCH, ...MODELS.map(() => unattributed)]);
  const totals: Cell[] = [
    "Total",
    ...MODELS.map((model, m) => ({ formula: `SUM(${a1(header + 1, 1 + m)}:${a1(header + dataRows, 1 + m)})`, value: analysis.all[of] })),
  ];
  return { kind: "table" as const, name, row: header, column: 0, headers: ["Channel", ...MODELS.map(words.label)], rows, numberFormats: [null, ...formats], totals };
}

/** Conversions credited by model, shaded by magnitude, with the column chart of the same cells beside it. */
export function conversionsSection(analysis: AttributionAnalysis, words: Wording): Section {
  return (top) => {
    const formats = MODELS.map((model) => (WHOLE_CREDIT_MODELS.includes(model) ? FORMAT.integer : CREDIT_FORMAT));
    const table = creditTable(analysis, words, top, "AttributionConversions", "conversions", formats);
    const n = analysis.channels.length;
    const tableRows = 1 + table.rows.length + 1;
    const chartRows = Math.max(15, tableRows + 1);
    const chart: ChartSpec = {
      type: "column",
      title: "Conversions credited by model",
      categories: { row: table.row + 1, column: 0, rowCount: n, columnCount: 1 },
      series: MODELS.map((model, m) => ({ name: words.label(model), values: { row: table.row + 1, column: 1 + m, rowCount: n, columnCount: 1 } })),
      yAxisTitle: "Conversions",
      valueFormat: "#,##0",
      anchor: { row: table.row, column: MODELS.length + 2, rows: chartRows, columns: 9 },
    };
    const shading: ConditionalFormat = { range: { row: table.row + 1, column: 1, rowCount: n, columnCount: MODELS.length }, rule: { kind: "colorScale", low: "FFFFFF", high: "63BE7B" } };
    return {
      blocks: [
        headingBlock(top, "Conversions credited to each channel, by model (number of conversions)"),
        table,
        { kind: "cells", row: table.row + tableRows, column: 0, values: [["Shading: darker green is more conversions credited (magnitude only, not good or bad)."]], style: "note" },
      ],
      charts: [chart],
      conditionalFormats: [shading],
      rows: TABLE_OFFSET + Math.max(tableRows + 1, chartRows),
    };
  };
}

/** Value credited by model. */
export function valueSection(analysis: AttributionAnalysis, words: Wording): Section {
  return (top) => {
    const table = creditTable(analysis, words, top, "AttributionValue", "value", MODELS.map(() => amountFormat(analysis, words.currency)));
    return {
      blocks: [headingBlock(top, `Value credited to each channel, by model (conversion value, ${inCurrency(words.currency)})`), table],
      rows: TABLE_OFFSET + 2 + table.rows.length,
    };
  };
}

/** Shares of all conversions by model: formulas over the conversions table (its header row given). */
export function sharesSection(analysis: AttributionAnalysis, words: Wording, conversionsHeader: number): Section {
  return (top) => {
    const dataRows = creditRows(analysis);
    const totalRow = conversionsHeader + dataRows + 1;
    const { channels, summary, all } = analysis;
    const rows: Cell[][] = [];
    for (let r = 0; r < dataRows; r++) {
      const channel = r < channels.length ? channels[r] : null;
      rows.push([
        channel?.name ?? NO_TOUCH,
        ...MODELS.map((model, m) => ({
          formula: `${a1(conversionsHeader + 1 + r, 1 + m)}/${a1(totalRow, 1 + m, true)}`,
          value: (channel === null ? summary.unattributedConversions : channel.conversions[model]) / all.conversions,
        })),
      ]);
    }
    return {
      blocks: [
        headingBlock(top, "Share of all conversions, by model (% of conversions)"),
        { kind: "table", name: "AttributionShares", row: top + TABLE_OFFSET, column: 0, headers: ["Channel", ...MODELS.map(words.label)], rows, numberFormats: [null, ...MODELS.map(() => FORMAT.percent)] },
      ],
      rows: TABLE_OFFSET + 1 + dataRows,
    };
  };
}

/** Least height in rows of the removal-effect chart beside its table (more rows for many channels, so every label shows). */
const REMOVAL_CHART_ROWS = 12;

/** Data-driven (Markov) removal effects in their own table, largest first, explained, with a bar chart beside it. */
export function removalSection(analysis: AttributionAnalysis, words: Wording): Section {
  return (top) => {
    const byEffect = [...analysis.channels].sort((a, b) => b.removalEffect - a.removalEffect || a.name.localeCompare(b.name));
    let sum = 0;
    for (const channel of byEffect) sum += channel.removalEffect;
    const tableRow = top + 2;
    const chartRows = Math.max(REMOVAL_CHART_ROWS, Math.ceil(byEffect.length * 1.5) + 3);
    return {
      blocks: [
        headingBlock(top, `${words.label("markov")}: removal effects (% of conversions lost)`),
        {
          kind: "cells",
          row: top + 1,
          column: 0,
          values: [[`Conversions lost if the channel were taken out of every journey. Journeys need several channels, so these do not add up to 100% (here ${percentText(sum)}).`]],
          style: "note",
        },
        { kind: "table", name: "AttributionRemovalEffects", row: tableRow, column: 0, headers: ["Channel", "Removal effect"], rows: byEffect.map((c) => [c.name, c.removalEffect]), numberFormats: [null, FORMAT.percent] },
      ],
      charts: [
        {
          type: "bar",
          title: "Removal effect by channel",
          categories: { row: tableRow + 1, column: 0, rowCount: byEffect.length, columnCount: 1 },
          series: [{ name: "Removal effect", values: { row: tableRow + 1, column: 1, rowCount: byEffect.length, columnCount: 1 } }],
          yAxisTitle: "Conversions lost if removed (%)",
          valueFormat: "0%",
          anchor: { row: tableRow, column: 2, rows: chartRows, columns: 3 },
        },
      ],
      rows: 2 + Math.max(1 + byEffect.length, chartRows),
    };
  };
}

/**
 * Net ROCI per paid channel and model, largest spend first, a blended total per model, red below 0%,
 * with a chart of last touch against data-driven beside it; a line when no channel has spend.
 */
export function rociSection(analysis: AttributionAnalysis, words: Wording, valueHeader: number): Section {
  const spend = analysis.spend;
  if (spend === null) return () => NOTHING;
  const heading = "Net ROCI by model (% of spend): (value credited − spend) ÷ spend";
  if (spend.paid.length === 0) {
    return (top) => ({
      blocks: [headingBlock(top, heading), { kind: "cells", row: top + 1, column: 0, values: [["No channel of the log has spend above 0 in the spend table."]], style: "note" }],
      rows: 2,
    });
  }
  return (top) => {
    const header = top + TABLE_OFFSET;
    const spendColumn = 1 + MODELS.length;
    const first = header + 1;
    const last = header + spend.paid.length;
    const totalRow = last + 1;
    const rows: Cell[][] = spend.paid.map((index, k) => {
      const channel = analysis.channels[index];
      const spendCell = a1(first + k, spendColumn);
      return [
        channel.name,
        ...MODELS.map((model, m) => ({ formula: `(${a1(valueHeader + 1 + index, 1 + m)}-${spendCell})/${spendCell}`, value: rociRatio(channel.value[model], channel.spend!, "net") })),
        channel.spend!,
      ];
    });
    const spendRange = `${a1(first, spendColumn, true)}:${a1(last, spendColumn, true)}`;
    const totals: Cell[] = [
      "Total (blended)",
      // Spend-weighted ROCI = (Σ value − Σ spend) / Σ spend over the channels above.
      ...MODELS.map((model, m) => ({ formula: `SUMPRODUCT(${a1(first, 1 + m)}:${a1(last, 1 + m)},${spendRange})/${a1(totalRow, spendColumn, true)}`, value: blendedRoci(analysis, model) })),
      { formula: `SUM(${a1(first, spendColumn)}:${a1(last, spendColumn)})`, value: spend.paidSpend },
    ];
    const spendHeader = words.currency === undefined || words.currency.trim() === "" ? "Spend (data's currency)" : `Spend (${words.currency})`;
    const categories = { row: first, column: 0, rowCount: spend.paid.length, columnCount: 1 };
    const chartRows = Math.max(12, Math.ceil(spend.paid.length * 1.5) + 4);
    return {
      blocks: [
        headingBlock(top, heading),
        { kind: "table", name: "AttributionRoci", row: header, column: 0, headers: ["Channel", ...MODELS.map(words.label), spendHeader], rows, numberFormats: [null, ...MODELS.map(() => FORMAT.percent), moneyFormat(words.currency, 0)], totals },
        {
          kind: "cells",
          row: totalRow + 1,
          column: 0,
          values: [["Red: ROCI below 0%, value credited below spend. 0% is break-even. Total (blended): (value credited to these channels − their spend) ÷ their spend."]],
          style: "note",
        },
      ],
      charts: [
        {
          type: "bar",
          title: "Net ROCI: last touch against data-driven",
          categories,
          series: (["last", "markov"] as const).map((model) => ({ name: words.label(model), values: { ...categories, column: modelColumn(model) } })),
          yAxisTitle: "Net ROCI (% of spend)",
          valueFormat: "0%",
          anchor: { row: header, column: spendColumn + 2, rows: chartRows, columns: 7 },
        },
      ],
      conditionalFormats: [{ range: { row: first, column: 1, rowCount: spend.paid.length + 1, columnCount: MODELS.length }, rule: BELOW_ZERO }],
      rows: TABLE_OFFSET + Math.max(spend.paid.length + 3, chartRows),
    };
  };
}

/** How the counts add up: ids (customers and prospects), conversion value (credited and not), and order revenue over the same days. */
export function reconciliationSection(analysis: AttributionAnalysis, words: Wording): Section {
  const { log, summary, all, credited, orders, lookbackDays } = analysis;
  const money = (x: number) => moneyText(words.currency, x);
  const lines = [
    `${formatCount(log.ids)} ids in the touchpoint log: ${formatCount(log.customers)} customers (ids with a conversion) and ${formatCount(log.prospects)} prospects (ids with touches only). Only customers have conversions; prospects' touches count as journeys that did not convert.`,
    summary.unattributedConversions > 0
      ? `Conversion value in the log, ${money(all.value)} = ${money(credited.value)} credited to channels + ${money(summary.unattributedValue)} of the ${formatCount(summary.unattributedConversions)} conversions with no touch in the ${lookbackDays} days before them.`
      : `Conversion value in the log, ${money(all.value)}, is all credited to channels: every conversion had a touch in the ${lookbackDays} days before it.`,
    "Value credited is the conversion value recorded in the touchpoint log, shared out among the touches before each conversion.",
    orders === null
      ? "It can differ from order revenue: the log may leave out orders never tracked to a touch, returns, tax or shipping."
      : `Order revenue on the same days (${dateText(log.first)} to ${dateText(log.last)}): ${money(orders.revenue)} from ${formatCount(orders.count)} orders; the log's ${money(all.value)} is ${orders.revenue > 0 ? percentText(all.value / orders.revenue) : "none"} of it. ${
          all.value <= orders.revenue
            ? "The difference is orders never tracked to a touch, returns, tax or shipping."
            : "The log records more: its conversion values may include tax, shipping or orders later returned, or conversions that are not orders."
        }`,
  ];
  return (top) => ({
    blocks: [headingBlock(top, "How the numbers add up"), { kind: "cells", row: top + 1, column: 0, values: lines.map((line) => [line]), style: "body" }],
    rows: 1 + lines.length,
  });
}

/** Notes for the provenance: journeys, conversions without a touch, touches outside the window, spend left out. */
export function attributionNotes(analysis: AttributionAnalysis, words: Wording): string[] {
  const { summary, log, lookbackDays, spend, channels } = analysis;
  const notes = [
    "Attribution is not incrementality: credit shares out conversions that happened; it does not say which would have happened without the channel. Use a holdout experiment to measure lift.",
    `${formatCount(summary.conversions)} conversions (total value ${moneyText(words.currency, analysis.all.value)}) in ${formatCount(log.rows)} log rows, ${dateText(log.first)} to ${dateText(log.last)}.`,
    `Journeys: ${formatCount(summary.convertingJourneys)} converting and ${formatCount(summary.nonConvertingJourneys)} non-converting (touches after a customer's last conversion or of a prospect; used by ${words.label("markov")}).`,
    summary.unattributedConversions > 0
      ? `${formatCount(summary.unattributedConversions)} conversions (value ${moneyText(words.currency, summary.unattributedValue)}) had no touch in their ${lookbackDays}-day window: shown as "${NO_TOUCH}", credited to no channel.`
      : "Every conversion had at least one touch in its window.",
  ];
  if (summary.touchesOutsideLookback > 0) {
    notes.push(`${formatCount(summary.touchesOutsideLookback)} ${summary.touchesOutsideLookback === 1 ? "touch was" : "touches were"} more than ${lookbackDays} days before their conversion and belong to no journey.`);
  }
  if (!analysis.markovHasNulls) notes.push(`No non-converting journeys: ${words.label("markov")} removal effects are computed without them.`);
  notes.push(`Conversion counts: ${words.label("first")} and ${words.label("last")} give each conversion to one channel (whole numbers); the other models split it (one decimal).`);
  const minor = channels.filter((c) => c.conversions.markov < MATERIAL_SHARE * analysis.credited.conversions).map((c) => c.name);
  if (minor.length > 0) {
    notes.push(`${words.label("last")} against ${words.label("markov")} leaves out ${listText(minor)} (under 2% of the conversions credited): on so few conversions a difference swings by hundreds of percent.`);
  }
  if (spend !== null) {
    const unpaid = channels.filter((c) => !((c.spend ?? 0) > 0)).map((c) => c.name);
    if (unpaid.length > 0) notes.push(`No spend (or spend 0) for ${unpaid.join(", ")}: no ROCI for these channels.`);
    if (spend.unmatched.length > 0) {
      notes.push(`Spend on channels with no touch in the log is left out of ROCI: ${spend.unmatched.map((e) => `${e.name} (${words.currency ? moneyText(words.currency, e.amount) : plainNumber(e.amount)})`).join(", ")}.`);
    }
    const periods = spend.periods === null ? "no periods given" : `${dateText(spend.periods.first)} to ${dateText(spend.periods.last)}`;
    notes.push(
      `ROCI divides value credited over the whole log (${dateText(log.first)} to ${dateText(log.last)}) by spend over all ${spend.rowCount} rows of the spend table (periods: ${periods}); both should cover the same period.`,
    );
  }
  return notes;
}
