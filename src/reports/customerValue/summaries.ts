/**
 * The top of the Customer Value tab: the headline, the warnings that change a decision, value by
 * segment, how likely customers are still active, the repeat-purchase histogram and the high-value
 * customers at risk. Each section is a small function of the analysis; counts and sums over
 * customers are formulas over the per-customer table below them.
 */

import { formatSerial } from "../../engine/data";
import { CHART_SIZE, FORMAT, formatCount, idCell } from "../format";
import { headingBlock, headlineSection, type HeadlineItem, NOTHING, type Section } from "../layout";
import { a1, type Block, type Cell, type ChartSpec, type TableBlock } from "../sheet";
import { ALIVE_BANDS, type CustomerValueAnalysis, HISTOGRAM_MISFIT, HOLDOUT_BOUNDS, LIKELY_ACTIVE, RISK_ALIVE, RISK_LISTED, RISK_TOP_SHARE } from "./analysis";
import { CUSTOMER_COLUMN, type CustomerTableRefs, horizonText, idFormat, NOT_ESTIMATED } from "./customers";
import { LAST_BIN } from "./holdout";
import { CV_FORMAT, moneyFormatFor, moneyText, padded, percentText, plural } from "./text";

/** Places a chart beside a summary: its top row and slot (0: first, 1: right of the first). */
export type ChartAt = (row: number, slot?: number) => ChartSpec["anchor"];

/** Share of customers likely active, in words, with what "likely active" means. */
function likelyActiveSentence(cv: CustomerValueAnalysis): string {
  if (cv.chosen === "nbd") return `${cv.label}: the data show no sign that customers stop buying, so every customer counts as active.`;
  const meaning = "more likely than not still buying, judged by their own buying rhythm (not by days since the last order, as the lifecycle stages are)";
  if (!cv.oneTimeNotEstimated) return `${percentText(cv.likelyActive / cv.judged, 0)} of the ${formatCount(cv.judged)} customers: ${meaning}.`;
  return `${percentText(cv.likelyActive / cv.judged, 0)} of the ${formatCount(cv.judged)} repeat customers: ${meaning}. One-time buyers: not estimated.`;
}

/** The headline: five numbers, each with a sentence. */
export function headline(cv: CustomerValueAnalysis, customers: CustomerTableRefs, currency: string | undefined): Section {
  const horizon = horizonText(cv);
  const alive = customers.column(CUSTOMER_COLUMN.alive);
  const risk = cv.risk;
  const riskTop = percentText(RISK_TOP_SHARE, 0);
  const threshold = moneyText(risk.threshold, currency);
  return (top) => {
    const totalCell = a1(top + 1, 1, true);
    const items: HeadlineItem[] = [
      {
        label: `Total CLV (next ${horizon})`,
        value: { formula: `SUM(${customers.column(CUSTOMER_COLUMN.clv)})`, value: cv.clvTotal },
        format: padded(moneyFormatFor(cv.clvTotal, currency)),
        sentence: `What the ${formatCount(cv.customers)} customers are expected to spend in the next ${horizon}, discounted to today: ${moneyText(cv.averageClv, currency)} per customer (past orders not included).`,
      },
      {
        label: "Top 10% of customers: share of CLV",
        value: { formula: `IFERROR(SUM(${customers.first(CUSTOMER_COLUMN.clv, cv.topCount)})/${totalCell},0)`, value: cv.topShare },
        format: padded(FORMAT.percent),
        sentence: `The ${formatCount(cv.topCount)} customers with the highest CLV (the first rows of the customer table) hold this share of the value to come.`,
      },
      {
        label: `Expected purchases (next ${horizon})`,
        value: { formula: `SUM(${customers.column(CUSTOMER_COLUMN.purchases)})`, value: cv.purchasesTotal },
        format: padded(FORMAT.integer),
        sentence: `Repeat purchases the customers are expected to make, ${(cv.purchasesTotal / cv.customers).toFixed(2)} per customer.`,
      },
      {
        label: `${cv.oneTimeNotEstimated ? "Repeat customers" : "Customers"} likely active (P(alive) ≥ ${percentText(LIKELY_ACTIVE, 0)})`,
        value: {
          formula: cv.oneTimeNotEstimated
            ? `COUNTIFS(${alive},">=${LIKELY_ACTIVE}",${customers.column(CUSTOMER_COLUMN.frequency)},">0")`
            : `COUNTIF(${alive},">=${LIKELY_ACTIVE}")`,
          value: cv.likelyActive,
        },
        format: padded(FORMAT.integer),
        sentence: likelyActiveSentence(cv),
      },
      {
        label: "High-value customers at risk",
        value: risk.count,
        format: padded(FORMAT.integer),
        sentence:
          risk.count === 0
            ? `No customer in the top ${riskTop} by past revenue (${threshold} or more) has probably stopped buying (P(alive) below ${percentText(RISK_ALIVE, 0)}).`
            : `In the top ${riskTop} by past revenue (${threshold} or more) but probably stopped buying (P(alive) below ${percentText(RISK_ALIVE, 0)}); together they spent ${moneyText(risk.pastRevenue, currency, 0)}. Listed below for a win-back contact.`,
      },
    ];
    return headlineSection(items)(top);
  };
}

/** Red warnings, only where they change what a reader does with the numbers. */
export function warningsOf(cv: CustomerValueAnalysis): string[] {
  const warnings: string[] = [];
  const holdout = cv.holdout;
  if (holdout !== null && holdout.comparison.actualTotal > 0) {
    const c = holdout.comparison;
    const ratio = c.predictedTotal / c.actualTotal;
    if (ratio < HOLDOUT_BOUNDS.low || ratio > HOLDOUT_BOUNDS.high) {
      warnings.push(
        `The holdout check failed: fitted on the orders up to ${formatSerial(holdout.calibrationEnd)}, the model predicted ${formatCount(c.predictedTotal)} purchases in the next ${plural(Math.round(holdout.holdoutPeriods * 100) / 100, cv.periodUnit)} where customers made ${formatCount(c.actualTotal)} (${ratio.toFixed(2)}×, outside ${HOLDOUT_BOUNDS.low.toFixed(2)}×–${HOLDOUT_BOUNDS.high.toFixed(2)}×).`,
        `The CLV totals ${ratio > 1 ? "overstate" : "understate"} what customers will buy: read them as rough, not as a forecast to plan on.`,
      );
    }
  }
  if (cv.histogramMisfit !== null && cv.histogramMisfit > HISTOGRAM_MISFIT) {
    warnings.push(
      `${cv.label} fits these customers' repeat purchases poorly: it puts ${percentText(cv.histogramMisfit, 0)} of them at another number of repeat purchases than they made (above ${percentText(HISTOGRAM_MISFIT, 0)}); see "Repeat purchases" below before relying on the CLV.`,
    );
  }
  return warnings;
}

/** Value by segment: customers, total and average CLV, share; two charts beside the table. */
export function valueBySegment(cv: CustomerValueAnalysis, customers: CustomerTableRefs, chartAt: ChartAt, currency: string | undefined): Section {
  const { order, totals, formulas } = cv.segments;
  return (top) => {
    const tableRow = top + 1;
    const totalRow = tableRow + 1 + order.length;
    const segmentColumn = customers.column(CUSTOMER_COLUMN.segment);
    const clvColumn = customers.column(CUSTOMER_COLUMN.clv);
    const share = (clv: number): number => (cv.clvTotal > 0 ? clv / cv.clvTotal : 0);
    const rows: Cell[][] = order.map((segment, s) => {
      const row = tableRow + 1 + s;
      const { customers: count, clv } = totals.get(segment)!;
      if (!formulas) return [segment, count, clv, clv / count, share(clv)];
      return [
        segment,
        { formula: `COUNTIF(${segmentColumn},${a1(row, 0)})`, value: count },
        { formula: `SUMIF(${segmentColumn},${a1(row, 0)},${clvColumn})`, value: clv },
        { formula: `${a1(row, 2)}/${a1(row, 1)}`, value: clv / count },
        { formula: `IFERROR(${a1(row, 2)}/${a1(totalRow, 2, true)},0)`, value: share(clv) },
      ];
    });
    const sum = (c: number): string => `SUM(${a1(tableRow + 1, c)}:${a1(totalRow - 1, c)})`;
    const table: TableBlock = {
      kind: "table",
      name: "ValueBySegment",
      row: tableRow,
      column: 0,
      headers: ["Segment", "Customers", "Total CLV", "Average CLV", "Share of CLV"],
      rows,
      numberFormats: [null, FORMAT.integer, moneyFormatFor(cv.clvTotal, currency), moneyFormatFor(0, currency), FORMAT.percent],
      totals: formulas
        ? [
            "All customers",
            { formula: sum(1), value: cv.customers },
            { formula: sum(2), value: cv.clvTotal },
            { formula: `${a1(totalRow, 2)}/${a1(totalRow, 1)}`, value: cv.averageClv },
            { formula: sum(4), value: order.reduce((total, s) => total + share(totals.get(s)!.clv), 0) },
          ]
        : ["All customers", cv.customers, cv.clvTotal, cv.averageClv, cv.clvTotal > 0 ? 1 : 0],
    };
    const column = (c: number) => ({ row: tableRow + 1, column: c, rowCount: order.length, columnCount: 1 });
    const charts: ChartSpec[] = [
      { type: "column", title: "Total CLV by segment", categories: column(0), series: [{ name: "Total CLV", values: column(2) }], valueFormat: FORMAT.integer, anchor: chartAt(top, 0) },
      { type: "bar", title: "Average CLV by segment", categories: column(0), series: [{ name: "Average CLV", values: column(3) }], valueFormat: FORMAT.integer, anchor: chartAt(top, 1) },
    ];
    return {
      blocks: [headingBlock(top, "Value by segment"), table],
      charts,
      conditionalFormats: [{ range: column(3), rule: { kind: "dataBar", color: "5B9BD5" } }],
      rows: Math.max(1 + 1 + order.length + 1, CHART_SIZE.rows),
    };
  };
}

/** Notes above the P(alive) distribution: what P(alive) means, and where it cannot be read as it stands. */
function aliveNotes(cv: CustomerValueAnalysis): string[] {
  const notes = [`P(alive) is the model's chance that a customer has not stopped buying, judged by their own buying rhythm; likely active: ${percentText(LIKELY_ACTIVE, 0)} or more.`];
  if (cv.oneTimeNotEstimated) {
    notes.push(
      `The ${formatCount(cv.oneTimeBuyers)} customers who bought on one day only are counted apart: ${cv.label} lets customers stop only after a repeat purchase, so it gives them 100% however long ago they bought.`,
      `Their P(alive) reads "${NOT_ESTIMATED}": there is no evidence either way. MBG/NBD and Pareto/NBD (the automatic choice may pick them) estimate it.`,
    );
  }
  if (cv.chosen === "nbd") notes.push(`${cv.label}: every customer shows P(alive) 100%, as the data gave no sign that customers stop buying.`);
  if (cv.lifecycle.likelyActive > 0) {
    notes.push(
      `${formatCount(cv.lifecycle.likelyActive)} customers in the segments ${cv.lifecycle.segments.map((s) => `"${s}"`).join(" and ")} are likely active here: the segments rank recency against other customers, P(alive) against each customer's own rhythm.`,
    );
  }
  return notes;
}

/** How many customers fall in each tenth of P(alive), with a chart; one-time buyers apart when their P(alive) is not estimated. */
export function aliveDistribution(cv: CustomerValueAnalysis, customers: CustomerTableRefs, chartAt: ChartAt): Section {
  const BANDS = ALIVE_BANDS;
  const notes = aliveNotes(cv);
  const alive = customers.column(CUSTOMER_COLUMN.alive);
  const frequency = customers.column(CUSTOMER_COLUMN.frequency);
  const repeatOnly = cv.oneTimeNotEstimated ? `,${frequency},">0"` : "";
  return (top) => {
    const tableRow = top + 1 + notes.length;
    const extra = cv.oneTimeNotEstimated ? 1 : 0;
    const totalRow = tableRow + 1 + BANDS + extra;
    const rows: Cell[][] = [];
    for (let band = 0; band < BANDS; band++) {
      const low = band / BANDS;
      const high = (band + 1) / BANDS;
      const last = band === BANDS - 1;
      const count = cv.aliveBands[band];
      const row = tableRow + 1 + band;
      rows.push([
        `${band * 10}–${(band + 1) * 10}%`,
        { formula: `COUNTIFS(${alive},">=${low}",${alive},"${last ? "<=" : "<"}${high}"${repeatOnly})`, value: count },
        { formula: `${a1(row, 1)}/${a1(totalRow, 1, true)}`, value: count / cv.customers },
      ]);
    }
    if (extra) {
      const row = tableRow + 1 + BANDS;
      rows.push([
        "One order: not estimated",
        { formula: `COUNTIF(${frequency},0)`, value: cv.oneTimeBuyers },
        { formula: `${a1(row, 1)}/${a1(totalRow, 1, true)}`, value: cv.oneTimeBuyers / cv.customers },
      ]);
    }
    const table: TableBlock = {
      kind: "table",
      name: "AliveDistribution",
      row: tableRow,
      column: 0,
      headers: ["P(alive)", "Customers", "Share of customers"],
      rows,
      numberFormats: [null, FORMAT.integer, FORMAT.percent],
      totals: [
        "All customers",
        { formula: `SUM(${a1(tableRow + 1, 1)}:${a1(totalRow - 1, 1)})`, value: cv.customers },
        { formula: `SUM(${a1(tableRow + 1, 2)}:${a1(totalRow - 1, 2)})`, value: 1 },
      ],
    };
    const bands = (c: number) => ({ row: tableRow + 1, column: c, rowCount: BANDS, columnCount: 1 });
    const chart: ChartSpec = {
      type: "column",
      title: cv.oneTimeNotEstimated ? "Repeat customers by chance of being active" : "Customers by chance of being active",
      categories: bands(0),
      series: [{ name: "Customers", values: bands(1) }],
      xAxisTitle: "P(alive)",
      valueFormat: FORMAT.integer,
      anchor: chartAt(tableRow),
    };
    const blocks: Block[] = [
      headingBlock(top, "How likely customers are still active"),
      { kind: "cells", row: top + 1, column: 0, values: notes.map((note) => [note]), style: "note" },
      table,
    ];
    return { blocks, charts: [chart], rows: Math.max(totalRow + 1, tableRow + CHART_SIZE.rows) - top };
  };
}

/** Customers by repeat purchases up to the as-of date: actual (formulas) and the model's, with a chart. */
export function repeatPurchases(cv: CustomerValueAnalysis, customers: CustomerTableRefs, chartAt: ChartAt): Section {
  const histogram = cv.histogram;
  return (top) => {
    const heading = headingBlock(top, "Repeat purchases up to the as-of date: actual and model");
    if (histogram === null) {
      const note = `The model's repeat-purchase counts are drawn for BG/NBD, MBG/NBD and the NBD; the holdout check compares ${cv.label} with actual purchases.`;
      return { blocks: [heading, { kind: "cells", row: top + 1, column: 0, values: [[note]], style: "note" }], rows: 2 };
    }
    const tableRow = top + 1;
    const frequency = customers.column(CUSTOMER_COLUMN.frequency);
    const sum = (c: number): string => `SUM(${a1(tableRow + 1, c)}:${a1(tableRow + LAST_BIN + 1, c)})`;
    const table: TableBlock = {
      kind: "table",
      name: "RepeatPurchases",
      row: tableRow,
      column: 0,
      headers: ["Repeat purchases", "Customers (actual)", "Customers (model)"],
      rows: histogram.labels.map((text, k) => [
        text,
        { formula: k === LAST_BIN ? `COUNTIF(${frequency},">=${k}")` : `COUNTIF(${frequency},${k})`, value: histogram.actual[k] },
        histogram.expected[k],
      ]),
      numberFormats: [null, FORMAT.integer, CV_FORMAT.expectedCount],
      totals: [
        "All customers",
        { formula: sum(1), value: cv.customers },
        { formula: sum(2), value: histogram.expected.reduce((a, b) => a + b, 0) },
      ],
    };
    const column = (c: number) => ({ row: tableRow + 1, column: c, rowCount: LAST_BIN + 1, columnCount: 1 });
    const chart: ChartSpec = {
      type: "column",
      title: `Repeat purchases: actual and ${cv.label}`,
      categories: column(0),
      series: [
        { name: "Actual", values: column(1) },
        { name: "Model", values: column(2) },
      ],
      xAxisTitle: "Repeat purchases",
      yAxisTitle: "Customers",
      valueFormat: FORMAT.integer,
      anchor: chartAt(top),
    };
    return { blocks: [heading, table], charts: [chart], rows: Math.max(1 + 1 + LAST_BIN + 1 + 1, CHART_SIZE.rows) };
  };
}

/** Customers who spent most and have probably stopped buying: the 20 who spent most, with a sentence. */
export function highValueAtRisk(cv: CustomerValueAnalysis, currency: string | undefined): Section {
  const ROWS = RISK_LISTED;
  const risk = cv.risk;
  const shown = risk.customers.slice(0, ROWS);
  const unit = `${cv.periodUnit}s`;
  const sentence =
    risk.count === 0
      ? `No customer among the top ${percentText(RISK_TOP_SHARE, 0)} by past revenue (${moneyText(risk.threshold, currency)} or more) has a P(alive) below ${percentText(RISK_ALIVE, 0)}.`
      : `${formatCount(risk.count)} of the top ${percentText(RISK_TOP_SHARE, 0)} of customers by past revenue (${moneyText(risk.threshold, currency)} or more up to the as-of date) have probably stopped buying (P(alive) below ${percentText(RISK_ALIVE, 0)})${risk.count > ROWS ? `; the ${ROWS} who spent most are listed` : ""}: candidates for a win-back contact.`;
  const notes = [sentence];
  if (cv.oneTimeNotEstimated) notes.push(`One-time buyers cannot appear here: ${cv.label} does not estimate their P(alive).`);
  if (risk.count === 0 && cv.chosen === "nbd") return () => NOTHING;
  return (top) => {
    const blocks: Block[] = [headingBlock(top, "High value at risk"), { kind: "cells", row: top + 1, column: 0, values: notes.map((note) => [note]), style: "note" }];
    if (shown.length > 0) {
      blocks.push({
        kind: "table",
        name: "HighValueAtRisk",
        row: top + 1 + notes.length,
        column: 0,
        headers: ["Customer", "Segment", "Past revenue", "Purchase days", `Since last purchase (${unit})`, `CLV (next ${horizonText(cv)})`, "P(alive)"],
        rows: shown.map((i) => [
          idCell(cv.summary.customerIds[i]),
          cv.segments.of[i],
          cv.summary.totalValue[i],
          cv.summary.frequency[i] + 1,
          cv.summary.T[i] - cv.summary.recency[i],
          cv.predictions.clv[i],
          cv.predictions.probabilityAlive[i],
        ]),
        numberFormats: [idFormat(cv), null, moneyFormatFor(0, currency), FORMAT.integer, FORMAT.decimal, moneyFormatFor(0, currency), FORMAT.percent],
      });
    }
    return { blocks, rows: 1 + notes.length + (shown.length > 0 ? 1 + shown.length : 0) };
  };
}
