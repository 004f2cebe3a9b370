/**
 * The sections of the Segmentation tab, each a small function returning what it writes from the row
 * it starts on (src/reports/layout.ts): headline, warnings, RFM segment summary with its chart, the
 * recommended action per segment, lifecycle stages, behavioural groups, the demographic profile of
 * the segments, and the per-customer detail table. The summaries count and add up the detail table
 * with COUNTIF / SUMIF / AVERAGEIF, so they are live formulas that carry the engine's numbers.
 */

import { ALL_CUSTOMERS, crossTab, SINGLE_VALUE_SCORE } from "../../engine/segmentation";
import { RFM_SEGMENT_ACTIONS, SEGMENT_ACTIONS_SOURCE } from "../../engine/segmentation/segmentActions";
import { absolute, CHART_SIZE, FORMAT, formatCount, moneyFormat, tableName, uniqueHeader } from "../format";
import { headingBlock, type HeadlineItem, type Section } from "../layout";
import { a1, columnLetters, type Block, type Cell, type CellValue, type ChartSpec, type ConditionalFormat, type RangeRef, type TableBlock } from "../sheet";
import { customersText, moneyText, percentText, STAGE_NAMES, stageRule } from "./labels";
import type { SegmentationModel } from "./model";

/** Charts are at least this many rows high, and as high as the table beside them. */
const MIN_CHART_ROWS = 10;

/** Rows a section with a table of `tableRows` rows (heading and notes included) and a chart beside it takes. */
function rowsWithChart(tableRows: number): number {
  return Math.max(tableRows, MIN_CHART_ROWS);
}

/** Where a chart goes: from the section's top, `column`, as high as the section. */
function chartAnchor(top: number, column: number, tableRows: number): ChartSpec["anchor"] {
  return { row: top, column, rows: rowsWithChart(tableRows), columns: CHART_SIZE.columns };
}

/** A number format with room on its right, for the last number column before a text column (they would touch). */
function padded(format: string): string {
  return format
    .split(";")
    .map((section) => `${section}_)`)
    .join(";");
}
/** Silhouette below which k-means found no substantial structure (Kaufman & Rousseeuw 1990). */
export const WEAK_SILHOUETTE = 0.25;
/** A profile cell is coloured only when it differs from all customers' share by at least this many standard errors (binomial), so chance in small segments is not painted. */
export const CHANCE_SE = 2;
/** Over- and under-representation bands of the profiles: a share ≥ 1.2× or ≤ 0.8× all customers'. */
const OVER = 1.2;
const UNDER = 0.8;
/** Demographic columns with more categories than this are not profiled (too wide to read). */
export const PROFILE_MAX_CATEGORIES = 12;
/** Share of customers without a customer-table row above which the profiles are flagged. */
const UNMATCHED_WARNING = 0.1;
/** Fewer customers than this make quintile segments rough. */
const FEW_CUSTOMERS = 50;

/** The RFM segments whose customers bought much or often but not lately: the win-back list. */
const WIN_BACK_SEGMENTS = ["At Risk", "Can't Lose Them"];

const EXPLAIN_SCORES = "R, F and M are scores 1–5 against the other customers by quintile: 5 = most recent, most orders, highest revenue.";

/** The per-customer table's columns: headers, formats and where the summaries' formulas look. */
export interface DetailColumns {
  readonly headers: readonly string[];
  readonly formats: readonly (string | null)[];
  readonly segment: number;
  readonly stage: number;
  readonly group: number;
  readonly recency: number;
  readonly orders: number;
  readonly revenue: number;
  /** -1 without CLV. */
  readonly clv: number;
}

/** Absolute ranges of the detail table's data columns, for the summaries' formulas. */
export interface DetailRefs {
  readonly segment: string;
  readonly stage: string;
  readonly group: string;
  readonly recency: string;
  readonly orders: string;
  readonly revenue: string;
  readonly clv: string | null;
}

/**
 * The detail table's columns: the customer, the numbers (as IMC.RFM writes them), then the text
 * (segment, stage, group, demographics, masked personal data). A number id right-aligned in the
 * first column then meets another number, not text; the last number column is padded on the right
 * so it does not touch the text after it.
 */
export function detailColumns(model: SegmentationModel, currency: string | undefined): DetailColumns {
  const headers: string[] = [];
  const formats: (string | null)[] = [];
  const taken = new Set<string>();
  const add = (header: string, format: string | null): number => {
    formats.push(format);
    return headers.push(uniqueHeader(header, taken)) - 1;
  };
  add("Customer", numbersFormat(model.idCells));
  const recency = add("Days since last order", FORMAT.integer);
  const orders = add("Orders", FORMAT.integer);
  const revenue = add("Revenue", moneyFormat(currency, 2));
  add("R", "0");
  add("F", "0");
  add("M", "0");
  add("RFM code", "0");
  const clv = model.clv === null ? -1 : add("CLV", moneyFormat(currency, 2));
  formats[formats.length - 1] = padded(formats[formats.length - 1]!);
  const segment = add("Segment", null);
  const stage = add("Lifecycle stage", null);
  const group = add("Behavioural group", null);
  for (const column of model.attributes.demographics) add(column.header, numbersFormat(column.cells));
  for (const column of model.attributes.pii) add(column.header, numbersFormat(column.cells));
  return { headers, formats, segment, stage, group, recency, orders, revenue, clv };
}

/** The format of a column of ids or attributes that holds numbers: whole numbers as they are ("10003", not "10,003"), others to 2 decimals; null when it holds none. */
function numbersFormat(cells: readonly CellValue[]): string | null {
  let numbers = false;
  for (const cell of cells) {
    if (typeof cell !== "number") continue;
    if (!Number.isInteger(cell)) return "0.00";
    numbers = true;
  }
  return numbers ? "0" : null;
}

/** Where the detail table's header row is, from the section's top row (heading, note, table). */
export function detailTableRow(top: number): number {
  return top + 2;
}

/** The ranges of the detail table placed with its header on `tableRow`. */
export function detailRefs(tableRow: number, columns: DetailColumns, rowCount: number): DetailRefs {
  const range = (column: number): string => absolute({ row: tableRow + 1, column, rowCount, columnCount: 1 });
  return {
    segment: range(columns.segment),
    stage: range(columns.stage),
    group: range(columns.group),
    recency: range(columns.recency),
    orders: range(columns.orders),
    revenue: range(columns.revenue),
    clv: columns.clv < 0 ? null : range(columns.clv),
  };
}

/** The per-customer table, highest revenue first, as an Excel table (its header stays visible while scrolling). */
export function detailSection(model: SegmentationModel, columns: DetailColumns, asOf: string): Section {
  const { rfm, attributes } = model;
  const rows: Cell[][] = model.detailOrder.map((c) => {
    const row: Cell[] = [model.idCells[c], rfm.recencyDays[c], rfm.frequency[c], rfm.monetary[c], rfm.r[c], rfm.f[c], rfm.m[c], rfm.code[c]];
    if (model.clv !== null) row.push(Number.isNaN(model.clv[c]) ? null : model.clv[c]);
    row.push(rfm.segment[c], STAGE_NAMES[model.stage[c]], model.groupOf[c]);
    for (const column of attributes.demographics) row.push(column.cells[c]);
    for (const column of attributes.pii) row.push(column.cells[c]);
    return row;
  });
  return (top) => {
    const table: TableBlock = {
      kind: "table",
      name: "SegmentCustomers",
      row: detailTableRow(top),
      column: 0,
      headers: columns.headers,
      rows,
      numberFormats: columns.formats,
      // Past the customer cap the table holds the first customers only: the tab is written shortened.
      ...(model.listed < model.n ? { standsFor: model.n } : {}),
    };
    return {
      blocks: [
        headingBlock(top, `Customers, highest revenue first (one row per customer with an order up to ${asOf})`),
        { kind: "cells", row: top + 1, column: 0, values: [[EXPLAIN_SCORES]], style: "note" },
        table,
      ],
      rows: 3 + rows.length,
    };
  };
}

/** The headline: customers segmented, the top segment's share of revenue, the win-back list, lapsed customers, behavioural groups. */
export function headlineItems(model: SegmentationModel, refs: DetailRefs, currency: string | undefined): HeadlineItem[] {
  const { n, segments, totalRevenue } = model;
  const items: HeadlineItem[] = [
    {
      label: "Customers segmented",
      value: { formula: `ROWS(${refs.segment})`, value: n },
      format: "#,##0_)",
      sentence: `customers with an order, each in one of ${segments.length} RFM segments, one lifecycle stage and one behavioural group.`,
    },
  ];
  const top = segments.find((s) => s.name === "Champions") ?? [...segments].sort((a, b) => b.revenue - a.revenue)[0];
  const revenueShare = (revenue: number): number => (totalRevenue === 0 ? 0 : revenue / totalRevenue);
  items.push({
    label: `${top.name}: share of revenue`,
    value: { formula: `IFERROR(SUMIF(${refs.segment},"${top.name}",${refs.revenue})/SUM(${refs.revenue}),0)`, value: revenueShare(top.revenue) },
    format: "0.0%_)",
    sentence: `of all revenue comes from ${top.name}, ${percentText(top.customers / n)} of customers: ${RFM_SEGMENT_ACTIONS[top.name as keyof typeof RFM_SEGMENT_ACTIONS].action.split(";")[0]}.`,
  });
  const winBack = segments.filter((s) => WIN_BACK_SEGMENTS.includes(s.name));
  if (winBack.length > 0) {
    const count = winBack.reduce((sum, s) => sum + s.customers, 0);
    const revenue = winBack.reduce((sum, s) => sum + s.revenue, 0);
    items.push({
      label: "Customers to win back",
      value: { formula: WIN_BACK_SEGMENTS.map((name) => `COUNTIF(${refs.segment},"${name}")`).join("+"), value: count },
      format: "#,##0_)",
      sentence: `in At Risk and Can't Lose Them: they bought often or spent a lot, but not lately; they brought ${moneyText(revenue, currency)} (${percentText(revenueShare(revenue))} of revenue).`,
    });
  }
  const lapsed = model.stages.find((s) => s.stage === "Lapsed")!;
  items.push({
    label: "Lapsed customers",
    value: { formula: `COUNTIF(${refs.stage},"${STAGE_NAMES.Lapsed}")/ROWS(${refs.stage})`, value: lapsed.customers / n },
    format: "0.0%_)",
    sentence: `of customers have had no order for over ${model.thresholds.atRiskDays} days (lifecycle stage Lapsed).`,
  });
  const repeat = model.totals.repeatCustomers;
  items.push({
    label: REPEAT_LABEL,
    value: { formula: `COUNTIF(${refs.orders},">=2")/ROWS(${refs.orders})`, value: repeat / n },
    format: "0.0%_)",
    sentence: `of customers have ordered twice or more (${formatCount(repeat)} of ${formatCount(n)}); the others bought once.`,
  });
  return items;
}

/** Label of the headline row with the share of customers with 2+ orders (the Scorecard's repeat rate). */
export const REPEAT_LABEL = "Repeat customers (2+ orders)";

/** Rows the headline takes: its heading and one row per number of {@link headlineItems}. */
export function headlineRows(model: SegmentationModel): number {
  return 1 + 4 + (model.segments.some((s) => WIN_BACK_SEGMENTS.includes(s.name)) ? 1 : 0);
}

/** Warnings that change a decision: groups that do not hold, segments on too few customers, profiles on a part of the customers. */
export function segmentationWarnings(model: SegmentationModel): string[] {
  const warnings: string[] = [];
  if (model.n < FEW_CUSTOMERS) {
    warnings.push(`Only ${customersText(model.n)}: each RFM score holds about ${Math.max(1, Math.round(model.n / 5))}, so a few orders move a customer between segments. Read the segments as rough.`);
  }
  const { minOrders, maxOrders } = model.totals;
  if (model.n > 1 && minOrders === maxOrders) {
    // quintileScores gives every customer the neutral 3 when a measure has one value for everyone.
    const orders = minOrders === 1 ? "ordered once" : `placed ${formatCount(minOrders)} orders`;
    warnings.push(
      `Every customer ${orders}, so the F score (${SINGLE_VALUE_SCORE} for all) tells no one apart: the segments here rank customers by recency and spend alone, and names that speak of buying often (Loyal, Champions) mean recent, big spenders.`,
    );
  }
  if (model.clusterFallback !== null) {
    warnings.push(`Behavioural groups: ${model.clusterFallback}. Use the RFM segments instead.`);
  } else if (model.clusters.silhouette < WEAK_SILHOUETTE) {
    warnings.push(
      `Behavioural groups overlap (mean silhouette ${model.clusters.silhouette.toFixed(2)}, below ${WEAK_SILHOUETTE}): use their names as rough descriptions, not as separate audiences.`,
    );
  }
  const { attributes, n } = model;
  if (attributes.demographics.length > 0 && attributes.unmatched / n > UNMATCHED_WARNING) {
    warnings.push(
      `${customersText(attributes.unmatched)} (${percentText(attributes.unmatched / n)}) have no row in the customer table: the demographic profiles show them as "(blank)".`,
    );
  }
  return warnings;
}

/** Totals row label of the summaries. */
const ALL = "All customers";

/** The RFM segment summary (customers, revenue, their shares, revenue per customer, CLV) with its charts beside it. */
export function segmentSummarySection(model: SegmentationModel, refs: DetailRefs, currency: string | undefined): Section {
  return (top) => {
    const tableRow = top + 1;
    const first = tableRow + 1;
    const totalRow = first + model.segments.length;
    const rows: Cell[][] = model.segments.map((segment, s) => {
      const row = first + s;
      const cells: Cell[] = [
        segment.name,
        { formula: `COUNTIF(${refs.segment},${a1(row, 0)})`, value: segment.customers },
        { formula: `${a1(row, 1)}/${a1(totalRow, 1, true)}`, value: segment.customers / model.n },
        { formula: `SUMIF(${refs.segment},${a1(row, 0)},${refs.revenue})`, value: segment.revenue },
        { formula: `IFERROR(${a1(row, 3)}/${a1(totalRow, 3, true)},0)`, value: model.totalRevenue === 0 ? 0 : segment.revenue / model.totalRevenue },
        { formula: `${a1(row, 3)}/${a1(row, 1)}`, value: segment.revenue / segment.customers },
      ];
      if (refs.clv !== null) cells.push(averageClv(model, refs, row, (c) => model.rfm.segment[c] === segment.name));
      return cells;
    });
    const sum = (column: number): string => `SUM(${a1(first, column)}:${a1(totalRow - 1, column)})`;
    const totals: Cell[] = [
      ALL,
      { formula: sum(1), value: model.n },
      { formula: sum(2), value: 1 },
      { formula: sum(3), value: model.totalRevenue },
      { formula: sum(4), value: model.totalRevenue === 0 ? 0 : 1 },
      { formula: `${a1(totalRow, 3)}/${a1(totalRow, 1)}`, value: model.totalRevenue / model.n },
    ];
    if (refs.clv !== null) totals.push(averageClv(model, refs, null, () => true));
    const table: TableBlock = {
      kind: "table",
      name: "SegmentSummary",
      row: tableRow,
      column: 0,
      headers: ["Segment", "Customers", "Share of customers", "Revenue", "Share of revenue", "Revenue per customer", ...(refs.clv !== null ? ["Average CLV"] : [])],
      rows,
      numberFormats: [null, FORMAT.integer, FORMAT.percent, moneyFormat(currency, 0), FORMAT.percent, moneyFormat(currency, 2), ...(refs.clv !== null ? [moneyFormat(currency, 2)] : [])],
      totals,
    };
    const column = (c: number): RangeRef => ({ row: first, column: c, rowCount: model.segments.length, columnCount: 1 });
    const charts: ChartSpec[] = [
      {
        type: "bar",
        title: "Share of customers and of revenue per segment",
        categories: column(0),
        series: [
          { name: "Share of customers", values: column(2) },
          { name: "Share of revenue", values: column(4) },
        ],
        valueFormat: "0%",
        anchor: chartAnchor(top, table.headers.length + 1, 3 + model.segments.length),
      },
    ];
    if (refs.clv !== null) {
      charts.push({
        type: "bar",
        title: "Average CLV per segment",
        categories: column(0),
        series: [{ name: "Average CLV", values: column(6) }],
        valueFormat: FORMAT.integer,
        anchor: chartAnchor(top, table.headers.length + CHART_SIZE.columns + 2, 3 + model.segments.length),
      });
    }
    return {
      blocks: [headingBlock(top, "RFM segments: share of customers and of revenue"), table],
      charts,
      rows: segmentSummaryRows(model),
    };
  };
}

/** AVERAGEIF of the CLV column for one summary row (or AVERAGE for the totals), with its value. */
function averageClv(model: SegmentationModel, refs: DetailRefs, row: number | null, member: (c: number) => boolean): Cell {
  let sum = 0;
  let count = 0;
  // CLV is given only with every customer listed (listed = n).
  for (let c = 0; c < model.listed; c++) {
    if (!member(c) || Number.isNaN(model.clv![c])) continue;
    sum += model.clv![c];
    count++;
  }
  const formula = row === null ? `IFERROR(AVERAGE(${refs.clv}),"")` : `IFERROR(AVERAGEIF(${refs.segment},${a1(row, 0)},${refs.clv}),"")`;
  return { formula, value: count > 0 ? sum / count : "" };
}

/** Rows the summary section takes. */
export function segmentSummaryRows(model: SegmentationModel): number {
  return rowsWithChart(3 + model.segments.length);
}

/** The recommended action per RFM segment present, from the engine's playbook, with its source. */
export function segmentActionsSection(model: SegmentationModel): Section {
  const rows = model.segments.map((segment) => {
    const { who, action } = RFM_SEGMENT_ACTIONS[segment.name as keyof typeof RFM_SEGMENT_ACTIONS];
    return [segment.name, `${capitalise(who)}. ${capitalise(action)}.`];
  });
  return (top) => ({
    blocks: [
      headingBlock(top, "What to do with each RFM segment"),
      { kind: "table", name: "SegmentActions", row: top + 1, column: 0, headers: ["Segment", "Profile and action"], rows },
      { kind: "cells", row: top + 2 + rows.length, column: 0, values: [[`Source: ${SEGMENT_ACTIONS_SOURCE}. A starting point: adapt it to your margins and channels.`]], style: "note" },
    ],
    rows: 3 + rows.length,
  });
}

function capitalise(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}

/** Lifecycle stages (fixed day rules), how they differ from RFM segments, and a chart beside them. */
export function lifecycleSection(model: SegmentationModel, refs: DetailRefs, currency: string | undefined): Section {
  const championsLapsing = model.totals.championsLapsing;
  const explain =
    "RFM segments rank customers against each other; lifecycle stages apply fixed day rules to each customer's own dates, so the two can disagree" +
    (championsLapsing > 0 ? ` (here ${customersText(championsLapsing)} in Champions ${championsLapsing === 1 ? "is" : "are"} Lapsing or Lapsed).` : ".");
  return (top) => {
    const tableRow = top + 2;
    const first = tableRow + 1;
    const totalRow = first + model.stages.length;
    const rows: Cell[][] = model.stages.map((stage, s) => {
      const row = first + s;
      return [
        STAGE_NAMES[stage.stage],
        { formula: `COUNTIF(${refs.stage},${a1(row, 0)})`, value: stage.customers },
        { formula: `${a1(row, 1)}/${a1(totalRow, 1, true)}`, value: stage.customers / model.n },
        { formula: `SUMIF(${refs.stage},${a1(row, 0)},${refs.revenue})`, value: stage.revenue },
        { formula: `IFERROR(${a1(row, 3)}/${a1(totalRow, 3, true)},0)`, value: model.totalRevenue === 0 ? 0 : stage.revenue / model.totalRevenue },
        stageRule(stage.stage, model.thresholds),
      ];
    });
    const sum = (column: number): string => `SUM(${a1(first, column)}:${a1(totalRow - 1, column)})`;
    const table: TableBlock = {
      kind: "table",
      name: "LifecycleStages",
      row: tableRow,
      column: 0,
      headers: ["Lifecycle stage", "Customers", "Share of customers", "Revenue", "Share of revenue", "Rule"],
      rows,
      numberFormats: [null, FORMAT.integer, FORMAT.percent, moneyFormat(currency, 0), padded(FORMAT.percent), null],
      totals: [
        ALL,
        { formula: sum(1), value: model.n },
        { formula: sum(2), value: 1 },
        { formula: sum(3), value: model.totalRevenue },
        { formula: sum(4), value: model.totalRevenue === 0 ? 0 : 1 },
        null,
      ],
    };
    const chart: ChartSpec = {
      type: "column",
      title: "Customers per lifecycle stage",
      categories: { row: first, column: 0, rowCount: model.stages.length, columnCount: 1 },
      series: [{ name: "Customers", values: { row: first, column: 1, rowCount: model.stages.length, columnCount: 1 } }],
      valueFormat: FORMAT.integer,
      anchor: chartAnchor(top, table.headers.length + 2, 4 + model.stages.length), // the rules run on into the next column
    };
    return {
      blocks: [headingBlock(top, "Lifecycle stages: where each customer is, by the days since their orders"), { kind: "cells", row: top + 1, column: 0, values: [[explain]], style: "note" }, table],
      charts: [chart],
      rows: lifecycleRows(model),
    };
  };
}

/** Rows the lifecycle section takes. */
export function lifecycleRows(model: SegmentationModel): number {
  return rowsWithChart(4 + model.stages.length);
}

/** Behavioural groups (k-means clusters) by name, with their averages and a chart beside them. */
export function groupsSection(model: SegmentationModel, refs: DetailRefs, currency: string | undefined): Section {
  const explain =
    model.clusterFallback === null
      ? "Groups found by k-means on days since last order, orders and revenue, named by their averages against all customers: a quarter above is high (recent, frequent, big), a fifth below is low."
      : "Too few distinct customers to form groups: every customer is in one group.";
  return (top) => {
    const tableRow = top + 2;
    const first = tableRow + 1;
    const totalRow = first + model.groups.length;
    const averageIf = (row: number, range: string): string => `AVERAGEIF(${refs.group},${a1(row, 0)},${range})`;
    const rows: Cell[][] = model.groups.map((group, g) => {
      const row = first + g;
      return [
        group.name,
        { formula: `COUNTIF(${refs.group},${a1(row, 0)})`, value: group.customers },
        { formula: `${a1(row, 1)}/${a1(totalRow, 1, true)}`, value: group.customers / model.n },
        { formula: averageIf(row, refs.recency), value: group.meanRecencyDays },
        { formula: averageIf(row, refs.orders), value: group.meanOrders },
        { formula: averageIf(row, refs.revenue), value: group.revenue / group.customers },
        { formula: `IFERROR(SUMIF(${refs.group},${a1(row, 0)},${refs.revenue})/SUM(${refs.revenue}),0)`, value: model.totalRevenue === 0 ? 0 : group.revenue / model.totalRevenue },
      ];
    });
    const { recencyDays: recency, orders } = model.totals;
    const sum = (column: number): string => `SUM(${a1(first, column)}:${a1(totalRow - 1, column)})`;
    const table: TableBlock = {
      kind: "table",
      name: "SegmentClusters",
      row: tableRow,
      column: 0,
      headers: ["Behavioural group", "Customers", "Share of customers", "Average days since last order", "Average orders", "Average revenue", "Share of revenue"],
      rows,
      numberFormats: [null, FORMAT.integer, FORMAT.percent, FORMAT.integer, "0.0", moneyFormat(currency, 2), FORMAT.percent],
      totals: [
        ALL,
        { formula: sum(1), value: model.n },
        { formula: sum(2), value: 1 },
        { formula: `AVERAGE(${refs.recency})`, value: recency / model.n },
        { formula: `AVERAGE(${refs.orders})`, value: orders / model.n },
        { formula: `AVERAGE(${refs.revenue})`, value: model.totalRevenue / model.n },
        { formula: sum(6), value: model.totalRevenue === 0 ? 0 : 1 },
      ],
    };
    const chart: ChartSpec = {
      type: "bar",
      title: "Customers per behavioural group",
      categories: { row: first, column: 0, rowCount: model.groups.length, columnCount: 1 },
      series: [{ name: "Customers", values: { row: first, column: 1, rowCount: model.groups.length, columnCount: 1 } }],
      valueFormat: FORMAT.integer,
      anchor: chartAnchor(top, table.headers.length + 1, 4 + model.groups.length),
    };
    return {
      blocks: [headingBlock(top, "Behavioural groups: customers who buy alike"), { kind: "cells", row: top + 1, column: 0, values: [[explain]], style: "note" }, table],
      charts: [chart],
      rows: groupsRows(model),
    };
  };
}

/** Rows the behavioural groups section takes. */
export function groupsRows(model: SegmentationModel): number {
  return rowsWithChart(4 + model.groups.length);
}

/**
 * The demographic profile of each RFM segment (behaviour first, then demographics): per demographic
 * column, the share of each segment's customers in each category, coloured against the All customers
 * row (green: at least 1.2× as common as among all customers, red: at most 0.8×).
 */
export function demographicsSection(model: SegmentationModel, hasCustomerTable: boolean): Section {
  const columns = model.attributes.demographics;
  const heading = "Who is in each RFM segment: share of the segment's customers in each group";
  if (model.profilesLeftOut !== null) {
    const text = `Not profiled: ${model.profilesLeftOut}.`;
    return (top) => ({ blocks: [headingBlock(top, heading), { kind: "cells", row: top + 1, column: 0, values: [[text]], style: "note" }], rows: 2 });
  }
  if (columns.length === 0) {
    const text = hasCustomerTable ? "The customer table has no demographic columns." : "No customer table given, so there are no demographics to profile the segments by.";
    return (top) => ({ blocks: [headingBlock(top, heading), { kind: "cells", row: top + 1, column: 0, values: [[text]], style: "note" }], rows: 2 });
  }
  const segmentNames = model.segments.map((s) => s.name);
  const profile = crossTab(
    model.rfm.segment,
    columns.map((column) => ({ name: column.header, values: column.cells })),
    segmentNames,
  );
  const shown = profile.columns.filter((column) => column.categories.length <= PROFILE_MAX_CATEGORIES);
  const notShown = profile.columns.filter((column) => !shown.includes(column)).map((column) => column.name);
  const notShownText = `Not profiled (more than ${PROFILE_MAX_CATEGORIES} values each): ${notShown.join(", ")}.`;
  if (shown.length === 0) {
    return (top) => ({ blocks: [headingBlock(top, heading), { kind: "cells", row: top + 1, column: 0, values: [[notShownText]], style: "note" }], rows: 2 });
  }
  const note = `Green: at least ${OVER}× as common in the segment as among all customers, and by more than ${CHANCE_SE} standard errors (beyond chance); red: at most ${UNDER}× as common, likewise.`;
  return (top) => {
    const blocks: Block[] = [headingBlock(top, heading), { kind: "cells", row: top + 1, column: 0, values: [[note]], style: "note" }];
    const conditionalFormats: ConditionalFormat[] = [];
    const names = new Set<string>(["segmentcustomers", "segmentsummary", "segmentactions", "lifecyclestages", "segmentclusters"]);
    let row = top + 2;
    for (const column of shown) {
      blocks.push(headingBlock(row, column.name));
      const taken = new Set<string>();
      const headers = [uniqueHeader("Segment", taken), ...column.categories.map((category) => uniqueHeader(category, taken)), uniqueHeader("Customers", taken)];
      const tableRow = row + 1;
      const first = tableRow + 1;
      const allRow = first + profile.segments.length;
      blocks.push({
        kind: "table",
        name: tableName(`Profile_${column.name}`, names),
        row: tableRow,
        column: 0,
        headers,
        rows: profile.segments.map((segment, s) => [segment, ...column.shares[s], profile.sizes[s]]),
        numberFormats: [null, ...column.categories.map(() => FORMAT.percent), FORMAT.integer],
        totals: [ALL_CUSTOMERS, ...column.totalShares, profile.total],
      });
      const range: RangeRef = { row: first, column: 1, rowCount: profile.segments.length, columnCount: column.categories.length };
      // Relative to the range's top-left cell: the share, the All customers share of its column, the segment's size.
      const share = a1(first, 1);
      const all = `${columnLetters(1)}$${allRow + 1}`;
      const size = `$${columnLetters(1 + column.categories.length)}${first + 1}`;
      const standardError = `SQRT(${all}*(1-${all})/${size})`;
      conditionalFormats.push(
        { range, rule: { kind: "expression", formula: `AND(${share}>=${OVER}*${all},${share}-${all}>=${CHANCE_SE}*${standardError})`, look: "good" } },
        { range, rule: { kind: "expression", formula: `AND(${share}<=${UNDER}*${all},${all}-${share}>=${CHANCE_SE}*${standardError})`, look: "bad" } },
      );
      row = allRow + 2;
    }
    let end = row - 1; // the row after the last totals row
    if (notShown.length > 0) {
      blocks.push({ kind: "cells", row, column: 0, values: [[notShownText]], style: "note" });
      end = row + 1;
    }
    return { blocks, conditionalFormats, rows: end - top };
  };
}
