/**
 * Excel's last row, and whether a tab fits above it. An Excel sheet holds rows 1 to 1,048,576; a
 * file with a cell below that is refused or "repaired" (rows dropped) by Excel, and the summaries of
 * a tab are formulas over its per-row tables (COUNTIF / SUMIF over the per-customer table), so a tab
 * cut at the last row would show wrong numbers. A tab that does not fit is therefore not written at
 * all: {@link buildAllTabs} leaves it out with the reason from {@link tooLongReason}, like a tab
 * whose data is missing, and every writer (the runner's .xlsx, the HTML report, the Office.js writer
 * of the wizards) gets only tabs that fit. {@link assertSheetFits} is the writers' last guard.
 */

import { formatCount } from "./format";
import { blockRange, type ReportSheet, type TableBlock } from "./sheet";
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
 * when it fits. Names the tab's largest table by what its rows are ("its 2,100,000 customers do
 * not fit in one sheet: the tab needs 2,100,072 rows and an Excel sheet has 1,048,576").
 *
 * @param sheet the built tab.
 * @param maxRows the most rows a sheet may take (Excel's {@link EXCEL_MAX_ROWS}, or less when asked).
 * @returns the reason, or null.
 */
export function tooLongReason(sheet: Pick<ReportSheet, "blocks" | "charts" | "tab">, maxRows: number = EXCEL_MAX_ROWS): string | null {
  const rows = sheetRowCount(sheet);
  if (rows <= maxRows) return null;
  let largest: TableBlock | null = null;
  for (const block of sheet.blocks) if (block.kind === "table" && (largest === null || block.rows.length > largest.rows.length)) largest = block;
  const noun = sheet.tab === undefined ? undefined : ROW_NOUNS[sheet.tab];
  const limit = maxRows === EXCEL_MAX_ROWS ? `an Excel sheet has ${formatCount(maxRows)}` : `this run writes at most ${formatCount(maxRows)} rows a tab`;
  const what =
    largest === null
      ? "it does not fit in one sheet"
      : noun === undefined
        ? `its table of ${formatCount(largest.rows.length)} rows does not fit in one sheet`
        : `its ${formatCount(largest.rows.length)} ${noun} do not fit in one sheet`;
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
