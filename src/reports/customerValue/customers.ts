/**
 * The per-customer table of the Customer Value tab (one row per customer, sorted by CLV), the column
 * widths it sets for the whole tab, and references into it for the formulas of the sections above.
 */

import { clvPredictionValues } from "../../engine/clv/predictionTable";
import { absolute, CHART_SIZE, FORMAT, formatCount, idCell } from "../format";
import { headingBlock, type Section } from "../layout";
import type { Cell, TableBlock } from "../sheet";
import type { CustomerValueAnalysis } from "./analysis";
import { moneyFormatFor, plural } from "./text";

/** Name of the per-customer table (other tabs' tests and readers look it up by name). */
export const CUSTOMER_TABLE = "CustomerValues";

/** Columns of the per-customer table used by formulas elsewhere. */
export const CUSTOMER_COLUMN = { segment: 1, frequency: 2, alive: 6, purchases: 7, clv: 9 } as const;

/** What one-time buyers' P(alive) shows when the model cannot estimate it (BG/NBD gives them exactly 1). */
export const NOT_ESTIMATED = "not estimated (one order)";

/** Where the per-customer table's data rows are, for formulas. */
export interface CustomerTableRefs {
  /** Absolute range of a column's data cells ("$J$120:$J$2119"). */
  column(index: number): string;
  /** Absolute range of the first `count` data cells of a column (the top customers by CLV). */
  first(index: number, count: number): string;
}

/**
 * References into the per-customer table whose header is on `headerRow`.
 *
 * @param customers rows of the table (one per customer).
 */
export function customerTableRefs(headerRow: number, customers: number): CustomerTableRefs {
  const range = (index: number, count: number): string => absolute({ row: headerRow + 1, column: index, rowCount: count, columnCount: 1 });
  return { column: (index) => range(index, customers), first: (index, count) => range(index, Math.min(count, customers)) };
}

/** The horizon as headers say it: "next 52 weeks". */
export function horizonText(cv: CustomerValueAnalysis): string {
  return plural(cv.horizonPeriods, cv.periodUnit);
}

function headers(cv: CustomerValueAnalysis): string[] {
  const unit = `${cv.periodUnit}s`;
  return [
    "Customer",
    "Segment",
    "Repeat purchases",
    `Recency (${unit})`,
    `Customer age (${unit})`,
    "Average value per purchase",
    "P(alive)",
    `Expected purchases (next ${horizonText(cv)})`,
    "Expected value per purchase",
    `CLV (next ${horizonText(cv)})`,
  ];
}

/** Customers' ids as the user had them, numbers on the left like text ids, so the segment beside them does not touch them. */
export function idFormat(cv: CustomerValueAnalysis): string | null {
  // "* " fills the cell after the number with spaces: whole-number ids sit on the left like text ids.
  return cv.integerIds ? "0* ;-0* ;0* ;@" : null;
}

/** The P(alive) format of the tab: one-time buyers' 100% shown as "not estimated" when the model cannot tell. */
export function aliveFormat(cv: CustomerValueAnalysis): string {
  // The condition on the percent section, the words in the other: a reader that ignores conditions shows the percent.
  return cv.oneTimeNotEstimated ? `[<1]${FORMAT.percent};"${NOT_ESTIMATED}"` : FORMAT.percent;
}

/**
 * Column widths of the tab: the per-customer table's headers plus two characters (the widest table),
 * column A wide enough for the headline's labels.
 */
export function columnWidths(cv: CustomerValueAnalysis): number[] {
  const widths = headers(cv).map((header) => header.length + 2);
  // The summaries' headers above ("Customers (actual)", "Actual per customer", "Predicted per customer",
  // "Since last purchase (weeks)") in columns B to F.
  const unit = `${cv.periodUnit}s`;
  const summaries = [44, 22, 21, 24, `Since last purchase (${unit})`.length + 2, `CLV (next ${horizonText(cv)})`.length + 2];
  summaries.forEach((width, c) => (widths[c] = Math.max(widths[c], width)));
  widths[CUSTOMER_COLUMN.alive] = Math.max(widths[CUSTOMER_COLUMN.alive], cv.oneTimeNotEstimated ? NOT_ESTIMATED.length + 3 : 12);
  return widths;
}

/**
 * Places charts beside the summaries (columns A to E), about 96 characters wide whatever the
 * columns' widths; `slot` 1 is a second chart right of the first.
 */
export function chartPlacer(widths: readonly number[]): (row: number, slot?: number) => { row: number; column: number; rows: number; columns: number } {
  const FIRST = 5; // column F
  const span = (start: number): number => {
    let width = 0;
    let columns = 0;
    while (width < 96) width += widths[start + columns++] ?? 9;
    return columns;
  };
  return (row, slot = 0) => {
    let column = FIRST;
    for (let s = 0; s < slot; s++) column += span(column) + 1;
    return { row, column, rows: CHART_SIZE.rows, columns: span(column) };
  };
}

/**
 * Customers, one row each, sorted by CLV, under a heading and a note saying how to read P(alive).
 * Past the customer cap the table holds the first customers and stands for all of them (the tab is
 * then written shortened).
 */
export function customersSection(cv: CustomerValueAnalysis, currency: string | undefined): Section {
  const notes = [`Sorted by CLV, highest first: the first ${formatCount(cv.topCount)} rows are the top 10% of the headline.`];
  if (cv.oneTimeNotEstimated) {
    notes.push(`P(alive) reads "${NOT_ESTIMATED}" for customers who bought on one day only: ${cv.label} cannot tell from one order whether they stopped, and their CLV assumes they did not.`);
  }
  const money = moneyFormatFor(0, currency);
  return (top) => {
    const table: TableBlock = {
      kind: "table",
      name: CUSTOMER_TABLE,
      row: top + 1 + notes.length,
      column: 0,
      headers: headers(cv),
      rows: cv.byClv.map((i): Cell[] => [idCell(cv.summary.customerIds[i]), cv.segments.of[i], ...clvPredictionValues(cv.summary, cv.predictions, i)]),
      numberFormats: [idFormat(cv), null, FORMAT.integer, FORMAT.decimal, FORMAT.decimal, money, aliveFormat(cv), FORMAT.decimal, money, money],
      ...(cv.byClv.length < cv.customers ? { standsFor: cv.customers } : {}),
    };
    return {
      blocks: [
        headingBlock(top, `Customers (one row per customer with an order up to the as-of date; horizon ${horizonText(cv)})`),
        { kind: "cells", row: top + 1, column: 0, values: notes.map((note) => [note]), style: "note" },
        table,
      ],
      rows: 1 + notes.length + 1 + cv.byClv.length,
    };
  };
}
