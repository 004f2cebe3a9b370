/**
 * The sections of the Journey tab (see src/reports/layout.ts): scope, headline, warnings, top paths
 * overall and per segment, path length and time to conversion with a chart, channel roles with a
 * stacked column chart, and the stage funnel with the contents that convert best at each stage.
 * Each table starts on the row under its heading ({@link TABLE_OFFSET}).
 */

import { CHART_SIZE, FORMAT, formatCount, moneyFormat, tableColumn } from "../format";
import { dateText, inCurrency, percentText } from "../attribution/text";
import { headingBlock, NOTHING, type HeadlineItem, type Section } from "../layout";
import { a1, type Block, type Cell, type ChartSpec, type TableBlock } from "../sheet";
import { JOURNEY_LOOKBACK_DAYS, MIN_CONTENT_JOURNEYS, type JourneyAnalysis } from "./analysis";

/** Rows between a section's top and its table's header row (the heading). */
export const TABLE_OFFSET = 1;
/** Columns the tables take (A–F); charts go to the right of them. */
const TABLE_COLUMNS = 6;
const CHART_COLUMN = TABLE_COLUMNS + 1;
/** Days to convert, one decimal. */
const DAYS_FORMAT = "0.0";

/** Conversion rate as a live formula over the row's journeys (column `of`) and converting journeys (column `part`). */
function rateCell(row: number, part: number, of: number, value: number): Cell {
  return { formula: `IF(${a1(row, of)}>0,${a1(row, part)}/${a1(row, of)},"")`, value: Number.isFinite(value) ? value : "" };
}

/** Title and scope line. */
export function scopeSection(analysis: JourneyAnalysis, currency: string | undefined): Section {
  const { log } = analysis;
  const scope =
    `The buyer journey in the touchpoint log: ${formatCount(log.rows)} rows, ${dateText(log.first)} to ${dateText(log.last)}, ${formatCount(log.customers)} ids; ` +
    `each conversion's journey is the customer's touches in the ${JOURNEY_LOOKBACK_DAYS} days before it; amounts ${inCurrency(currency)}.`;
  return (top) => ({
    blocks: [
      { kind: "cells", row: top, column: 0, values: [["Buyer journey"]], style: "title" },
      { kind: "cells", row: top + 1, column: 0, values: [[scope]], style: "subtitle" },
    ],
    rows: 2,
  });
}

/** The five headline numbers (their keys follow the items' order: see journey.ts). */
export function headlineItems(analysis: JourneyAnalysis): HeadlineItem[] {
  const total = analysis.journeyCount;
  const rate = analysis.converting / total;
  const opener = analysis.stats.roles.find((r) => r.channel === analysis.topOpener)!;
  return [
    {
      label: "Journeys",
      value: total,
      format: `${FORMAT.integer}_)`,
      sentence: `${formatCount(analysis.converting)} ended in a conversion, ${formatCount(total - analysis.converting)} did not.`,
    },
    { label: "Conversion rate", value: rate, format: `${FORMAT.percent}_)`, sentence: "of journeys end in a conversion." },
    {
      label: "Median touches to convert",
      value: analysis.medianTouches,
      format: `${DAYS_FORMAT}_)`,
      sentence: "touches in the middle converting journey (half take fewer, half more).",
    },
    {
      label: "Median days to convert",
      value: analysis.medianDays,
      format: `${DAYS_FORMAT}_)`,
      sentence: "days from the first touch to the conversion, middle converting journey.",
    },
    {
      label: "Top opener",
      value: analysis.topOpener,
      format: "@",
      sentence: `opens ${percentText(opener.firstShare)} of converting journeys: the channel that starts most sales.`,
    },
  ];
}

/** Warnings that change a decision. */
export function journeyWarnings(analysis: JourneyAnalysis): string[] {
  const warnings: string[] = [];
  if (analysis.singleTouchShare >= 0.5) {
    warnings.push(
      `${percentText(analysis.singleTouchShare)} of conversions come from one-touch journeys: multi-touch attribution has little to share out there, so judge channel roles on the longer journeys.`,
    );
  }
  if (analysis.converting === analysis.journeyCount) {
    warnings.push("Every journey in the log ends in a conversion (no touches without a later conversion): conversion rates are 100% and cannot tell good paths from bad.");
  }
  const conversions = analysis.converting + analysis.log.conversionsWithoutTouch;
  if (analysis.log.conversionsWithoutTouch > 0.2 * conversions) {
    warnings.push(
      `${formatCount(analysis.log.conversionsWithoutTouch)} of ${formatCount(conversions)} conversions had no touch in the ${JOURNEY_LOOKBACK_DAYS} days before them and are in no journey: the paths here describe only ${percentText(analysis.converting / conversions)} of sales.`,
    );
  }
  return warnings;
}

/** The top paths overall. */
export function topPathsSection(analysis: JourneyAnalysis, currency: string | undefined): Section {
  return (top) => {
    const header = top + TABLE_OFFSET;
    const rows: Cell[][] = analysis.stats.topPaths.map((p, i) => [
      p.path,
      p.journeys,
      p.conversions,
      rateCell(header + 1 + i, 2, 1, p.conversionRate ?? Number.NaN),
      p.value,
      p.valuePerJourney ?? 0,
    ]);
    const table: TableBlock = {
      kind: "table",
      name: "JourneyTopPaths",
      row: header,
      column: 0,
      headers: ["Path (channels in order)", "Journeys", "Converting journeys", "Conversion rate", "Value", "Value per journey"],
      rows,
      numberFormats: [null, FORMAT.integer, FORMAT.integer, FORMAT.percent, moneyFormat(currency, analysis.value > 10_000 ? 0 : 2), moneyFormat(currency, 2)],
    };
    return {
      blocks: [headingBlock(top, `Most frequent paths (top ${analysis.stats.topPaths.length} of ${formatCount(analysis.stats.totals.paths)})`), table],
      rows: TABLE_OFFSET + 1 + rows.length,
    };
  };
}

/** The top paths of each segment. */
export function segmentPathsSection(analysis: JourneyAnalysis, currency: string | undefined): Section {
  if (analysis.segments.length === 0) return () => NOTHING;
  return (top) => {
    const header = top + TABLE_OFFSET;
    const rows: Cell[][] = [];
    for (const segment of analysis.segments) {
      for (const p of segment.stats.topPaths) {
        const row = header + 1 + rows.length;
        rows.push([p.path, segment.segment, p.journeys, p.conversions, rateCell(row, 3, 2, p.conversionRate ?? Number.NaN), p.value]);
      }
    }
    const table: TableBlock = {
      kind: "table",
      name: "JourneyPathsBySegment",
      row: header,
      column: 0,
      headers: ["Path (channels in order)", "Customer segment", "Journeys", "Converting journeys", "Conversion rate", "Value"],
      rows,
      numberFormats: [null, null, FORMAT.integer, FORMAT.integer, FORMAT.percent, moneyFormat(currency, analysis.value > 10_000 ? 0 : 2)],
    };
    const note = `Segments: new vs ${analysis.returningRule}.` + (analysis.segments.some((s) => s.segment.startsWith("RFM")) ? " RFM segment as of the first day of the month the journey ended, from the orders before it; the largest segments shown." : "");
    return {
      blocks: [headingBlock(top, "Most frequent paths by customer segment"), table, { kind: "cells", row: header + 1 + rows.length, column: 0, values: [[note]], style: "note" }],
      rows: TABLE_OFFSET + 2 + rows.length,
    };
  };
}

/** Path length and days to convert, converting vs not, with a chart of the conversion rate by length. */
export function lengthSection(analysis: JourneyAnalysis): Section {
  return (top) => {
    const header = top + TABLE_OFFSET;
    const rows: Cell[][] = analysis.lengths.map((l, i) => [
      l.label,
      l.journeys,
      l.converting,
      rateCell(header + 1 + i, 2, 1, l.journeys > 0 ? l.converting / l.journeys : Number.NaN),
      l.medianDaysConverting,
      l.medianDaysNotConverting,
    ]);
    const table: TableBlock = {
      kind: "table",
      name: "JourneyLength",
      row: header,
      column: 0,
      headers: ["Path length", "Journeys", "Converting journeys", "Conversion rate", "Median days to convert", "Median days, not converting"],
      rows,
      numberFormats: [null, FORMAT.integer, FORMAT.integer, FORMAT.percent, DAYS_FORMAT, DAYS_FORMAT],
    };
    const chart: ChartSpec = {
      type: "column",
      title: "Conversion rate by path length",
      categories: tableColumn(table, 0),
      series: [{ name: "Conversion rate", values: tableColumn(table, 3) }],
      xAxisTitle: "Touches in the journey",
      yAxisTitle: "Conversion rate",
      valueFormat: "0%",
      anchor: { row: top, column: CHART_COLUMN, rows: CHART_SIZE.rows, columns: CHART_SIZE.columns },
    };
    const note = "Days to convert: first touch to conversion. Not converting: first to last touch of the journeys without a conversion.";
    return tableWithChart(top, "Path length and time to conversion", table, TABLE_OFFSET + 1 + rows.length, note, chart);
  };
}

/**
 * A section of a heading, a table taking `tableRows` rows from `top` (its totals included), a note
 * under it and a chart beside it; the section is as tall as the taller of the two.
 */
function tableWithChart(top: number, heading: string, table: TableBlock, tableRows: number, note: string, chart: ChartSpec): ReturnType<Section> {
  return {
    blocks: [headingBlock(top, heading), table, { kind: "cells", row: top + tableRows, column: 0, values: [[note]], style: "note" }],
    charts: [chart],
    rows: Math.max(tableRows + 1, CHART_SIZE.rows),
  };
}

/** Each channel's share of first, assisting and last touches, with a stacked column chart (one column per role, stacked by channel). */
export function rolesSection(analysis: JourneyAnalysis): Section {
  return (top) => {
    const header = top + TABLE_OFFSET;
    const roles = analysis.stats.roles.filter((r) => r.touched > 0);
    const rows: Cell[][] = roles.map((r) => [r.channel, r.firstShare, r.assistShare, r.lastShare, r.touchedShare]);
    const table: TableBlock = {
      kind: "table",
      name: "JourneyChannelRoles",
      row: header,
      column: 0,
      headers: ["Channel", "First touch share", "Assisting touch share", "Last touch share", "Converting journeys touched"],
      rows,
      numberFormats: [null, FORMAT.percent, FORMAT.percent, FORMAT.percent, FORMAT.percent],
      totals: [
        "All channels",
        { formula: `SUM(${a1(header + 1, 1)}:${a1(header + rows.length, 1)})`, value: roles.reduce((s, r) => s + r.firstShare, 0) },
        { formula: `SUM(${a1(header + 1, 2)}:${a1(header + rows.length, 2)})`, value: roles.reduce((s, r) => s + r.assistShare, 0) },
        { formula: `SUM(${a1(header + 1, 3)}:${a1(header + rows.length, 3)})`, value: roles.reduce((s, r) => s + r.lastShare, 0) },
        null,
      ],
    };
    const chart: ChartSpec = {
      type: "stackedColumn",
      title: "Who opens, assists and closes converting journeys",
      categories: { row: header, column: 1, rowCount: 1, columnCount: 3 },
      series: roles.map((r, i) => ({ name: r.channel, values: { row: header + 1 + i, column: 1, rowCount: 1, columnCount: 3 } })),
      yAxisTitle: "Share of touches",
      valueFormat: "0%",
      anchor: { row: top, column: CHART_COLUMN, rows: CHART_SIZE.rows, columns: CHART_SIZE.columns },
    };
    const note =
      "Shares of converting journeys, weighted by conversions: a one-touch journey counts as first and last; assisting touches are those between the first and the last.";
    return tableWithChart(top, "Channel roles in converting journeys", table, TABLE_OFFSET + 2 + rows.length, note, chart);
  };
}

/** The stage funnel and the best contents per stage, or one line saying there is no stage data. */
export function stagesSection(analysis: JourneyAnalysis): Section {
  const stages = analysis.stages;
  if (stages === null) {
    return (top) => ({
      blocks: [
        headingBlock(top, "Buyer-journey stages"),
        {
          kind: "cells",
          row: top + 1,
          column: 0,
          values: [["No stage data: the touches carry no stage (awareness, consideration, decision…) and no channel → stage table was given, so there is no stage funnel."]],
          style: "note",
        },
      ],
      rows: 2,
    });
  }
  return (top) => {
    const header = top + TABLE_OFFSET;
    const rows: Cell[][] = stages.map((s, i) => [s.stage, s.journeys, s.converting, rateCell(header + 1 + i, 2, 1, s.converting / s.journeys)]);
    const funnel: TableBlock = {
      kind: "table",
      name: "JourneyStages",
      row: header,
      column: 0,
      headers: ["Stage", "Journeys reaching it", "Converting journeys", "Conversion rate from this stage"],
      rows,
      numberFormats: [null, FORMAT.integer, FORMAT.integer, FORMAT.percent],
    };
    const blocks: Block[] = [headingBlock(top, "Buyer-journey stages"), funnel];
    let row = header + 1 + rows.length;
    const chart: ChartSpec = {
      type: "bar",
      title: "Journeys reaching each stage",
      categories: tableColumn(funnel, 0),
      series: [
        { name: "Journeys reaching it", values: tableColumn(funnel, 1) },
        { name: "Converting journeys", values: tableColumn(funnel, 2) },
      ],
      valueFormat: "#,##0",
      anchor: { row: top, column: CHART_COLUMN, rows: CHART_SIZE.rows, columns: CHART_SIZE.columns },
    };
    blocks.push({ kind: "cells", row, column: 0, values: [[`Stages from ${analysis.stageSource}; a journey reaches a stage when one of its touches carries it.`]], style: "note" });
    row += 2;
    if (analysis.contentsLeftOut !== null) {
      blocks.push({ kind: "cells", row, column: 0, values: [[`No content ranking: ${analysis.contentsLeftOut}.`]], style: "note" });
      row += 1;
    } else if (!analysis.hasContents) {
      blocks.push({ kind: "cells", row, column: 0, values: [["No content data: the touches name no content, so there is no content ranking."]], style: "note" });
      row += 1;
    } else {
      const contentRows: Cell[][] = [];
      for (const s of stages) {
        for (const c of s.contents) {
          const r = row + 2 + contentRows.length;
          contentRows.push([s.stage, c.content, c.journeys, c.converting, rateCell(r, 3, 2, c.converting / c.journeys)]);
        }
      }
      blocks.push(headingBlock(row, `Content that converts best at each stage (seen in at least ${MIN_CONTENT_JOURNEYS} journeys)`));
      if (contentRows.length === 0) {
        blocks.push({ kind: "cells", row: row + 1, column: 0, values: [[`No content was seen in ${MIN_CONTENT_JOURNEYS} or more journeys at one stage.`]], style: "note" });
        row += 2;
      } else {
        blocks.push({
          kind: "table",
          name: "JourneyContents",
          row: row + 1,
          column: 0,
          headers: ["Stage", "Content", "Journeys", "Converting journeys", "Conversion rate"],
          rows: contentRows,
          numberFormats: [null, null, FORMAT.integer, FORMAT.integer, FORMAT.percent],
        });
        row += 2 + contentRows.length;
      }
    }
    return { blocks, charts: [chart], rows: Math.max(row - top, CHART_SIZE.rows) };
  };
}
