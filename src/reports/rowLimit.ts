/**
 * Excel's last row, and whether a tab fits above it. An Excel sheet holds rows 1 to 1,048,576; a
 * file with a cell below that is refused or "repaired" (rows dropped) by Excel. The summaries of a
 * tab are formulas over its per-row tables (COUNTIF / SUMIF over the per-customer table), so a tab
 * simply cut at the last row would show wrong numbers. {@link buildAllTabs} therefore either
 * - shortens the tab ({@link shortenToFit}: the Segmentation and Customer Value tabs, whose
 *   per-customer table is sorted by what matters and sits last): every formula of the tab becomes
 *   the value it carries, which the engine computed over all customers, so the summaries stay exact;
 *   the table lists the first customers that fit; a red line above it says so; or
 * - leaves the tab out whole with the reason from {@link tooLongReason}, like a tab whose data is
 *   missing.
 * Every writer (the runner's .xlsx, the HTML report, the Office.js writer of the wizards) thus gets
 * only tabs that fit; {@link assertSheetFits} is the writers' last guard.
 */

import { formatCount } from "./format";
import { blockRange, cellValue, type Block, type Cell, type ReportSheet, type TableBlock } from "./sheet";
import type { TabId } from "./tabIds";

/** Excel's last row (XFD1048576): the most rows a sheet holds. */
export const EXCEL_MAX_ROWS = 1_048_576;

/** What one row of a tab's largest table stands for, by tab, for the reason ("2,100,000 customers"). */
const ROW_NOUNS: Readonly<Partial<Record<TabId, string>>> = {
  segmentation: "customers",
  "customer-value": "customers",
  leads: "leads",
  "campaign-kpis": "campaigns",
  experiments: "campaigns",
};

/**
 * Rows a tab takes: from row 1 to its last written row (blocks and chart anchors).
 *
 * @param sheet the tab.
 * @returns the count of rows, 0 for an empty tab.
 */
export function sheetRowCount(sheet: Pick<ReportSheet, "blocks" | "charts">): number {
  let rows = 0;
  for (const block of sheet.blocks) {
    const range = blockRange(block);
    if (range.rowCount > 0) rows = Math.max(rows, range.row + range.rowCount);
  }
  for (const chart of sheet.charts) rows = Math.max(rows, chart.anchor.row + chart.anchor.rows);
  return rows;
}

/**
 * Why a tab does not fit in a sheet, in plain words (a sentence fragment after "because"), or null
 * when it fits. Names the tab's largest table by what its rows are, when they are customers, leads
 * or campaigns ("its 2,100,000 customers do not fit in one sheet: the tab needs 2,100,072 rows and
 * an Excel sheet has 1,048,576"), else "it does not fit in one sheet: …".
 *
 * @param sheet the built tab.
 * @param maxRows the most rows a sheet may take (Excel's {@link EXCEL_MAX_ROWS}, or less when asked).
 * @returns the reason, or null.
 */
export function tooLongReason(sheet: Pick<ReportSheet, "blocks" | "charts" | "tab">, maxRows: number = EXCEL_MAX_ROWS): string | null {
  const rows = sheetRowCount(sheet);
  if (rows <= maxRows) return null;
  const index = largestTable(sheet.blocks);
  const noun = sheet.tab === undefined ? undefined : ROW_NOUNS[sheet.tab];
  const limit = maxRows === EXCEL_MAX_ROWS ? `an Excel sheet has ${formatCount(maxRows)}` : `this run writes at most ${formatCount(maxRows)} rows a tab`;
  const what =
    index < 0 || noun === undefined
      ? "it does not fit in one sheet"
      : `its ${formatCount(rowsOf(sheet.blocks[index] as TableBlock))} ${noun} do not fit in one sheet`;
  return `${what}: the tab needs ${formatCount(rows)} rows and ${limit}`;
}

/**
 * A writer's last guard: throws before anything is written when a tab passes the sheet's last row,
 * which the tab builders and {@link buildAllTabs} never hand over (a bug, not the user's data).
 *
 * @param sheet the tab about to be written.
 * @throws Error naming the tab and its row count.
 */
export function assertSheetFits(sheet: Pick<ReportSheet, "blocks" | "charts" | "name">): void {
  const rows = sheetRowCount(sheet);
  if (rows > EXCEL_MAX_ROWS) throw new Error(`The ${sheet.name} tab takes ${formatCount(rows)} rows, more than the ${formatCount(EXCEL_MAX_ROWS)} of an Excel sheet; it is not written`);
}

/** How the per-row table of a tab that may be shortened is sorted (only these tabs are shortened). */
const LISTED_FIRST: Readonly<Partial<Record<TabId, string>>> = {
  segmentation: "highest revenue first",
  "customer-value": "highest CLV first",
};

/** A tab shortened to fit a sheet, and what it leaves out. */
export interface ShortenedSheet {
  readonly sheet: ReportSheet;
  /** Rows of the per-row table listed, and the rows it had. */
  readonly listed: number;
  readonly total: number;
  /** The line written above the table, in plain words (also for the runner's output). */
  readonly note: string;
}

/** The rows a table stands for: its data rows, or all of them when it holds only the first ({@link TableBlock.standsFor}). */
function rowsOf(table: TableBlock): number {
  return table.standsFor ?? table.rows.length;
}

/** The index of the sheet's table with the most data rows, or -1. */
function largestTable(blocks: readonly Block[]): number {
  let index = -1;
  blocks.forEach((block, i) => {
    if (block.kind === "table" && (index < 0 || block.rows.length > (blocks[index] as TableBlock).rows.length)) index = i;
  });
  return index;
}

/** A row of cells with every formula replaced by the value it carries. */
function valuesOf(row: readonly Cell[]): Cell[] {
  return row.map((cell) => cellValue(cell));
}

/**
 * A tab too long for a sheet, shortened so that it fits and its numbers stay right: every formula
 * becomes the value it carries (computed by the engine over every row, so the summaries above the
 * per-row table still count all of them), the per-row table keeps its first rows (it is sorted by
 * what matters), a red line above it says how many it lists of how many, and what is below it (the
 * provenance) moves up. Only for the tabs whose per-row table is sorted and sits last, below every
 * chart and conditional format. A table that holds only its first rows already (`standsFor`, the
 * Segmentation tab past the customer cap) is shortened the same way, counting the rows it stands for.
 *
 * @param sheet the built tab, with its TabId.
 * @param maxRows the most rows the tab may take.
 * @returns the shortened tab, or null when the tab fits already or cannot be shortened this way.
 */
export function shortenToFit(sheet: ReportSheet, maxRows: number = EXCEL_MAX_ROWS): ShortenedSheet | null {
  const order = sheet.tab === undefined ? undefined : LISTED_FIRST[sheet.tab];
  const rows = sheetRowCount(sheet);
  const index = largestTable(sheet.blocks);
  if (order === undefined || rows <= maxRows || index < 0) return null;
  const table = sheet.blocks[index] as TableBlock;
  if (table.totals) return null;
  // Only what can move without breaking a reference: plain cells under the table (none beside it), no chart or format there.
  const below = (row: number): boolean => row >= table.row;
  const tableEnd = table.row + 1 + table.rows.length;
  if (sheet.blocks.some((block, i) => i !== index && below(block.row) && (block.kind !== "cells" || block.row < tableEnd))) return null;
  if (sheet.charts.some((chart) => below(chart.anchor.row + chart.anchor.rows - 1) || below(chart.categories.row + chart.categories.rowCount - 1))) return null;
  if (sheet.conditionalFormats.some((format) => below(format.range.row + format.range.rowCount - 1))) return null;
  // One more row for the line saying so.
  const cut = rows + 1 - maxRows;
  const listed = table.rows.length - cut;
  if (listed < 1) return null;
  const total = rowsOf(table);
  const noun = ROW_NOUNS[sheet.tab!] ?? "rows";
  const sheetWords = maxRows === EXCEL_MAX_ROWS ? `an Excel sheet holds ${formatCount(maxRows)} rows` : `this run writes at most ${formatCount(maxRows)} rows a tab`;
  const note = `This table lists the first ${formatCount(listed)} of the ${formatCount(total)} ${noun} (${order}): ${sheetWords}. Every number above counts all ${formatCount(total)} and is a value, not a formula over this table.`;
  const blocks: Block[] = [];
  sheet.blocks.forEach((block, i) => {
    const shift = i === index ? 1 : below(block.row) ? 1 - cut : 0;
    if (i === index) {
      // Blank cells after the text carry the red fill across the table's width, as warningsSection does.
      blocks.push({ kind: "cells", row: table.row, column: table.column, values: [[note, ...Array<null>(Math.max(0, table.headers.length - 1)).fill(null)]], style: "warning" });
    }
    if (block.kind === "table") {
      const kept = i === index ? block.rows.slice(0, listed) : block.rows;
      const { standsFor, ...rest } = block;
      void standsFor;
      blocks.push({ ...rest, row: block.row + shift, rows: kept.map(valuesOf), ...(block.totals ? { totals: valuesOf(block.totals) } : {}) });
    } else {
      blocks.push({ ...block, row: block.row + shift, values: block.values.map(valuesOf) });
    }
  });
  return { sheet: { ...sheet, blocks }, listed, total, note };
}
