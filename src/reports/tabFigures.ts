/**
 * Finding the cells a tab's figures ({@link Figure}) live in, on the finished sheet: a headline or
 * inputs row by its label, a table cell by its row label and header. The builders of the older tabs
 * (Segmentation, Customer Value, Attribution, Campaign KPIs, Budget) publish their figures with
 * these, so a figure's cell is by construction the cell that shows its value.
 */

import { blockRange, cellAt, cellValue, tableNamed, type ReportSheet } from "./sheet";
import type { Figure } from "./tabBuild";

/** Key and label of a figure; the cell, value and format are read from the sheet. */
export interface FigureName {
  readonly key: string;
  readonly label: string;
}

/** The figure in the cell at (row, column), with the number format of the block that writes it; null when no block writes it. */
export function figureAtCell(sheet: ReportSheet, name: FigureName, row: number, column: number): Figure | null {
  const cell = cellAt(sheet, row, column);
  if (cell === undefined) return null;
  const value = cellValue(cell);
  if (typeof value === "boolean") return null;
  let format: string | null = null;
  for (const block of sheet.blocks) {
    const range = blockRange(block);
    if (row < range.row || row >= range.row + range.rowCount || column < range.column || column >= range.column + range.columnCount) continue;
    format = block.numberFormats?.[column - block.column] ?? null;
    break;
  }
  return { key: name.key, label: name.label, row, column, value, format };
}

/**
 * The figure in the cell right of a label (a headline row "Total CLV | 302,419 | …", an inputs row
 * "CAC | 101.46 | …"): the first cells block whose first column holds exactly `label` (or matches it).
 *
 * @returns null when the sheet has no such row (the tab left that part out).
 */
export function labelledFigure(sheet: ReportSheet, label: string | RegExp, name: FigureName): Figure | null {
  const matches = (text: unknown): boolean => (typeof label === "string" ? text === label : typeof text === "string" && label.test(text));
  for (const block of sheet.blocks) {
    if (block.kind !== "cells") continue;
    for (let r = 0; r < block.values.length; r++) {
      const first = block.values[r][0];
      if (first !== undefined && matches(cellValue(first)) && block.values[r].length > 1) return figureAtCell(sheet, name, block.row + r, block.column + 1);
    }
  }
  return null;
}

/**
 * The figure in a table's cell: the row whose first cell is `rowLabel` ("totals" for the totals
 * row) and the column headed `header`.
 *
 * @returns null when the table, the row or the column is not on the sheet.
 */
export function tableFigure(sheet: ReportSheet, table: string, rowLabel: string | "totals", header: string, name: FigureName): Figure | null {
  const block = tableNamed(sheet, table);
  if (block === undefined) return null;
  const c = block.headers.indexOf(header);
  if (c < 0) return null;
  let r: number;
  if (rowLabel === "totals") {
    if (block.totals === undefined) return null;
    r = block.rows.length + 1;
  } else {
    const index = block.rows.findIndex((row) => row[0] !== undefined && cellValue(row[0]) === rowLabel);
    if (index < 0) return null;
    r = index + 1;
  }
  return figureAtCell(sheet, name, block.row + r, block.column + c);
}

/** The figures found, in order, without the ones the sheet does not show. */
export function present(figures: readonly (Figure | null)[]): Figure[] {
  return figures.filter((figure): figure is Figure => figure !== null);
}
