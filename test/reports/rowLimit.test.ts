// A tab never passes a sheet's last row: buildAllTabs leaves a tab that would out, whole, with the
// reason, and writes every other tab; the writers refuse such a tab before writing anything. The
// limit is an option (Excel's 1,048,576 by default), so a small business and a small limit stand in
// for two million customers.
import { beforeAll, describe, expect, it } from "vitest";
import { addTabsToXlsx, writeNewWorkbook } from "../../src/cli/xlsx/writeReport";
import { isEngineError } from "../../src/engine/errors";
import { writeReportSheet } from "../../src/excel/writeReport";
import { buildAllTabs, type AllTabsResult, type TabId } from "../../src/reports/allTabs";
import { businessDataOf, detectTables, type BusinessData } from "../../src/reports/detect";
import { EXCEL_MAX_ROWS, assertSheetFits, sheetRowCount, tooLongReason } from "../../src/reports/rowLimit";
import { cellValue, isFormulaCell, sheetProblems, tabReferences, type ReportSheet } from "../../src/reports/sheet";
import { generateSampleBusiness } from "../../src/sample/business";

const context = { generatedAt: "2026-12-06T08:00:00.000Z" };
let data: BusinessData;
let full: AllTabsResult;
/** A limit that the per-customer tabs pass and every other tab meets. */
let limit: number;
let customers: number;

const rowsOf = (result: AllTabsResult): Map<TabId, number> => new Map(result.sheets.map((sheet) => [sheet.tab!, sheetRowCount(sheet)]));
const PER_CUSTOMER: readonly TabId[] = ["segmentation", "customer-value"];

beforeAll(() => {
  const business = generateSampleBusiness({ customers: 600, seed: 11 });
  const sheets = business.tables.map((table) => ({ name: table.name, rows: [table.headers, ...table.rows] }));
  data = businessDataOf(sheets, detectTables(sheets));
  full = buildAllTabs(data, {}, context);
  const rows = rowsOf(full);
  const others = [...rows].filter(([tab]) => !PER_CUSTOMER.includes(tab)).map(([, count]) => count);
  // The Scorecard lists the tabs left out in its provenance: a few rows of headroom for those notes.
  limit = Math.max(...others) + 10;
  for (const tab of PER_CUSTOMER) expect(rows.get(tab)!, tab).toBeGreaterThan(limit);
  customers = new Set(data.orders!.customerIds.map(String)).size;
});

describe("sheetRowCount and tooLongReason", () => {
  it("count a tab's rows from row 1 to its last block or chart, and give a reason only past the limit", () => {
    const sheet = full.sheets.find((candidate) => candidate.tab === "segmentation")!;
    const rows = sheetRowCount(sheet);
    const provenance = sheet.blocks[sheet.blocks.length - 1];
    expect(provenance.kind === "cells" && provenance.row + provenance.values.length).toBe(rows);
    expect(tooLongReason(sheet)).toBeNull();
    expect(tooLongReason(sheet, rows)).toBeNull();
    expect(tooLongReason(sheet, rows - 1)).toBe(
      `its ${customers.toLocaleString("en-US")} customers do not fit in one sheet: the tab needs ${rows.toLocaleString("en-US")} rows and this run writes at most ${(rows - 1).toLocaleString("en-US")} rows a tab`,
    );
    const moved = { ...sheet, blocks: sheet.blocks.map((block) => ({ ...block, row: block.row + EXCEL_MAX_ROWS - rows + 1 })), charts: [] };
    expect(tooLongReason(moved)).toMatch(/^its [\d,]+ customers do not fit in one sheet: the tab needs 1,048,577 rows and an Excel sheet has 1,048,576$/);
    // A tab without a noun for its rows says "table of N rows".
    expect(tooLongReason({ ...moved, tab: undefined })).toMatch(/^its table of [\d,]+ rows does not fit in one sheet/);
  });
});

describe("buildAllTabs with a row limit", () => {
  it("leaves out the tabs that pass it, whole and with the reason, and builds every other tab", () => {
    const result = buildAllTabs(data, { maxRows: limit, tooLongAdvice: (tab) => (tab === "customer-value" ? "use the CLV export" : null) }, context);
    const built = result.sheets.map((sheet) => sheet.tab!);
    expect(built).toEqual(full.sheets.map((sheet) => sheet.tab!).filter((tab) => !PER_CUSTOMER.includes(tab)));
    for (const sheet of result.sheets) {
      expect(sheetRowCount(sheet), sheet.name).toBeLessThanOrEqual(limit);
      expect(sheetProblems(sheet), sheet.name).toEqual([]);
    }
    const fullRows = rowsOf(full);
    const reasons = new Map(result.skipped.map((entry) => [entry.tab, entry.reason]));
    const words = (tab: TabId) =>
      `its ${customers.toLocaleString("en-US")} customers do not fit in one sheet: the tab needs ${fullRows.get(tab)!.toLocaleString("en-US")} rows and this run writes at most ${limit.toLocaleString("en-US")} rows a tab`;
    expect(reasons.get("segmentation")).toBe(words("segmentation"));
    expect(reasons.get("customer-value")).toBe(`${words("customer-value")}; use the CLV export`);
    // The Scorecard says so, reads no figure of a tab not written, and no formula points at one.
    const scorecard = result.sheets[0];
    expect(scorecard.tab).toBe("scorecard");
    expect(scorecard.provenance.notes).toContain(`Not built in this run: the Segmentation tab, because ${words("segmentation")}.`);
    expect([...result.figures.keys()]).not.toContain("segmentation");
    expect([...result.figures.keys()]).not.toContain("customer-value");
    for (const sheet of result.sheets) {
      for (const block of sheet.blocks) {
        const cells = block.kind === "table" ? [...block.rows.flat(), ...(block.totals ?? [])] : block.values.flat();
        for (const cell of cells) if (isFormulaCell(cell)) for (const tab of tabReferences(cell.formula)) expect(built, `${sheet.name}: ${cell.formula}`).toContain(tab);
      }
    }
    // The Customer Value analysis still feeds the Budget tab: the same CLV of a new customer as in the full run.
    const newCustomerClv = (sheet: ReportSheet | undefined) =>
      sheet!.blocks.flatMap((block) => (block.kind === "cells" ? block.values : [])).find((row) => String(row[0]).startsWith("CLV of a new customer"))?.[1];
    const budgetOf = (run: AllTabsResult) => run.sheets.find((sheet) => sheet.tab === "budget");
    expect(cellValue(newCustomerClv(budgetOf(result))!)).toBe(cellValue(newCustomerClv(budgetOf(full))!));
  });

  it("refuses a tab asked for by name that passes the limit, giving the reason", () => {
    try {
      buildAllTabs(data, { tabs: ["segmentation", "budget"], maxRows: limit }, context);
      expect.unreachable();
    } catch (error) {
      expect(isEngineError(error, "INVALID_INPUT")).toBe(true);
      expect((error as Error).message).toMatch(/^The Segmentation tab cannot be built: its [\d,]+ customers do not fit in one sheet: the tab needs [\d,]+ rows/);
    }
  });

  it("never raises the limit past Excel's last row", () => {
    const result = buildAllTabs(data, { maxRows: 10 * EXCEL_MAX_ROWS }, context);
    expect(result.sheets.map((sheet) => sheet.tab)).toEqual(full.sheets.map((sheet) => sheet.tab));
  });
});

describe("the writers refuse a tab past Excel's last row before writing anything", () => {
  /** A tab whose last cell is on row 1,048,577. */
  const tooLong: ReportSheet = {
    name: "Too long",
    blocks: [
      { kind: "cells", row: 0, column: 0, values: [["Title"]] },
      { kind: "cells", row: EXCEL_MAX_ROWS, column: 0, values: [["past the last row"]] },
    ],
    columnWidths: [],
    freeze: { rows: 0, columns: 0 },
    conditionalFormats: [],
    charts: [],
    provenance: { sources: [], options: [], generatedAt: context.generatedAt, notes: [] },
  };
  const lastRow: ReportSheet = { ...tooLong, blocks: [{ kind: "cells", row: EXCEL_MAX_ROWS - 1, column: 0, values: [["on the last row"]] }] };

  it("assertSheetFits passes the last row and refuses the next", () => {
    expect(() => assertSheetFits(lastRow)).not.toThrow();
    expect(() => assertSheetFits(tooLong)).toThrow("The Too long tab takes 1,048,577 rows, more than the 1,048,576 of an Excel sheet; it is not written");
  });

  it("the runner's .xlsx writer", async () => {
    await expect(writeNewWorkbook([], [full.sheets[0], tooLong])).rejects.toThrow(/The Too long tab takes 1,048,577 rows/);
    await expect(addTabsToXlsx(new Uint8Array(), [tooLong])).rejects.toThrow(/The Too long tab takes 1,048,577 rows/);
  });

  it("the Office.js writer, before it opens a request", async () => {
    let runs = 0;
    const api = { run: () => (runs++, Promise.resolve()) } as unknown as typeof Excel;
    await expect(writeReportSheet(api, tooLong, {}, () => true)).rejects.toThrow(/The Too long tab takes 1,048,577 rows/);
    expect(runs).toBe(0);
  });
});
