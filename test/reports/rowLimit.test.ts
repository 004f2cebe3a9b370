// A tab never passes a sheet's last row: buildAllTabs shortens the per-customer tabs (summaries as
// values over every customer, the first customers listed, a red line saying so) or leaves a tab out,
// whole, with the reason, and writes every other tab; the writers refuse such a tab before writing
// anything. The limit is an option (Excel's 1,048,576 by default), so a small business and a small
// limit stand in for two million customers.
import { beforeAll, describe, expect, it } from "vitest";
import { addTabsToXlsx, writeNewWorkbook } from "../../src/cli/xlsx/writeReport";
import { isEngineError } from "../../src/engine/errors";
import { writeReportSheet } from "../../src/excel/writeReport";
import { buildAllTabs, type AllTabsResult, type TabId } from "../../src/reports/allTabs";
import { businessDataOf, detectTables, type BusinessData } from "../../src/reports/detect";
import { EXCEL_MAX_ROWS, assertSheetFits, sheetRowCount, shortenToFit, tooLongReason } from "../../src/reports/rowLimit";
import { cellValue, isFormulaCell, sheetProblems, tableNamed, tabReferences, type ReportSheet } from "../../src/reports/sheet";
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
    // A tab whose rows have no name says "it".
    expect(tooLongReason({ ...moved, tab: undefined })).toBe("it does not fit in one sheet: the tab needs 1,048,577 rows and an Excel sheet has 1,048,576");
  });
});

/** Every cell a sheet writes, by "row,column", as its value (a formula's carried value). */
function cellMap(blocks: readonly ReportSheet["blocks"][number][]): Map<string, unknown> {
  const cells = new Map<string, unknown>();
  for (const block of blocks) {
    const rows = block.kind === "table" ? [block.headers, ...block.rows, ...(block.totals ? [block.totals] : [])] : block.values;
    rows.forEach((row, r) => row.forEach((cell, c) => cells.set(`${block.row + r},${block.column + c}`, cellValue(cell))));
  }
  return cells;
}

describe("shortenToFit", () => {
  for (const [tab, table] of [["segmentation", "SegmentCustomers"], ["customer-value", "CustomerValues"]] as const) {
    it(`${tab}: summaries keep every number (as values), the table lists its first rows, a red line says so, nothing past the limit`, () => {
      const sheet = full.sheets.find((candidate) => candidate.tab === tab)!;
      const whole = tableNamed(sheet, table)!;
      const max = whole.row + 1 + 40 + 3; // room for 40 customers, the line and the provenance's move
      const short = shortenToFit(sheet, max);
      expect(short).not.toBeNull();
      const { sheet: shortened, listed, total, note } = short!;
      expect(total).toBe(customers);
      expect(sheetRowCount(shortened)).toBe(max);
      expect(sheetProblems(shortened)).toEqual([]);
      // No formula left: the summaries' COUNTIF / SUMIF over the whole table would be wrong over the part listed.
      for (const block of shortened.blocks) {
        const cells = block.kind === "table" ? block.rows.flat() : block.values.flat();
        expect(cells.some(isFormulaCell), `${block.row}`).toBe(false);
      }
      // Above the table, every cell shows what the whole tab showed.
      const before = cellMap(sheet.blocks);
      const after = cellMap(shortened.blocks);
      for (const [key, value] of before) if (Number(key.split(",")[0]) < whole.row) expect(after.get(key), key).toEqual(value);
      // The line, in red, where the table's header was; the table under it with its first rows.
      const line = shortened.blocks.find((block) => block.kind === "cells" && block.row === whole.row);
      expect(line?.kind === "cells" && line.style).toBe("warning");
      expect(line?.kind === "cells" && line.values[0][0]).toBe(note);
      expect(note).toBe(
        `This table lists the first ${listed} of the ${total.toLocaleString("en-US")} customers (${tab === "segmentation" ? "highest revenue" : "highest CLV"} first): this run writes at most ${max} rows a tab. Every number above counts all ${total.toLocaleString("en-US")} and is a value, not a formula over this table.`,
      );
      const kept = tableNamed(shortened, table)!;
      expect(kept.row).toBe(whole.row + 1);
      expect(kept.rows).toEqual(whole.rows.slice(0, listed).map((row) => row.map(cellValue)));
      expect(listed).toBe(max - (sheetRowCount(sheet) - whole.rows.length) - 1);
      // The provenance moved up under it, whole.
      expect(shortened.provenance).toEqual(sheet.provenance);
      const lastBefore = sheet.blocks[sheet.blocks.length - 1];
      const lastAfter = shortened.blocks[shortened.blocks.length - 1];
      expect(lastAfter.kind === "cells" && lastBefore.kind === "cells" && lastAfter.values).toEqual(lastBefore.kind === "cells" ? lastBefore.values : null);
      expect(lastAfter.row).toBe(kept.row + 1 + listed + (lastBefore.row - (whole.row + 1 + whole.rows.length)));
    });
  }

  it("leaves alone a tab that fits, a tab of another kind, and a tab whose table cannot start in time", () => {
    const segmentation = full.sheets.find((candidate) => candidate.tab === "segmentation")!;
    expect(shortenToFit(segmentation)).toBeNull();
    expect(shortenToFit(segmentation, tableNamed(segmentation, "SegmentCustomers")!.row + 3)).toBeNull();
    const cohorts = full.sheets.find((candidate) => candidate.tab === "cohorts");
    if (cohorts) expect(shortenToFit(cohorts, 10)).toBeNull();
  });
});

describe("buildAllTabs with a row limit", () => {
  it("shortens the per-customer tabs, their numbers and the Scorecard's unchanged, and writes every other tab whole", () => {
    const result = buildAllTabs(data, { maxRows: limit, tooLongAdvice: (tab) => (tab === "customer-value" ? "use the CLV export" : null) }, context);
    expect(result.sheets.map((sheet) => sheet.tab)).toEqual(full.sheets.map((sheet) => sheet.tab));
    expect(result.skipped).toEqual(full.skipped);
    for (const sheet of result.sheets) {
      expect(sheetRowCount(sheet), sheet.name).toBeLessThanOrEqual(limit);
      expect(sheetProblems(sheet), sheet.name).toEqual([]);
      if (!PER_CUSTOMER.includes(sheet.tab!)) expect(sheet, sheet.name).toEqual(full.sheets.find((other) => other.tab === sheet.tab));
    }
    expect(result.shortened?.map((entry) => entry.tab)).toEqual(PER_CUSTOMER);
    const customerValue = result.shortened!.find((entry) => entry.tab === "customer-value")!;
    expect(customerValue.title).toBe("Customer Value");
    expect(customerValue.note).toMatch(/^This table lists the first [\d,]+ of the [\d,]+ customers \(highest CLV first\): .* Use the CLV export\.$/);
    // Every headline number the Scorecard reads, and the Scorecard itself, as in the run that fits.
    expect(result.figures).toEqual(full.figures);
    for (const [tab, figures] of result.figures) {
      const sheet = result.sheets.find((candidate) => candidate.tab === tab)!;
      for (const figure of figures) expect(cellMap(sheet.blocks).get(`${figure.row},${figure.column}`), figure.key).toEqual(figure.value);
    }
  });

  it("leaves out whole, with the reason, a tab that cannot be shortened, and writes the others", () => {
    const fullRows = rowsOf(full);
    // The Segmentation tab's customer table starts below this limit, so it cannot be shortened.
    const segmentationTable = tableNamed(full.sheets.find((sheet) => sheet.tab === "segmentation")!, "SegmentCustomers")!;
    const small = segmentationTable.row;
    const result = buildAllTabs(data, { maxRows: small }, context);
    for (const sheet of result.sheets) expect(sheetRowCount(sheet), sheet.name).toBeLessThanOrEqual(small);
    const reasons = new Map(result.skipped.map((entry) => [entry.tab, entry.reason]));
    expect(reasons.get("segmentation")).toBe(
      `its ${customers.toLocaleString("en-US")} customers do not fit in one sheet: the tab needs ${fullRows.get("segmentation")!.toLocaleString("en-US")} rows and this run writes at most ${small} rows a tab`,
    );
    // Each tab of the full run is written (whole or shortened) or left out for its length.
    for (const [tab, rows] of fullRows) {
      const written = result.sheets.some((sheet) => sheet.tab === tab);
      if (rows <= small - 5) expect(written, tab).toBe(true);
      if (!written) expect(reasons.get(tab), tab).toMatch(/do(es)? not fit in one sheet: the tab needs [\d,]+ rows and this run writes at most/);
    }
    expect(result.sheets.length).toBeGreaterThan(0);
    // The tabs written never refer to a tab left out.
    const built = result.sheets.map((sheet) => sheet.tab!);
    for (const sheet of result.sheets) {
      for (const block of sheet.blocks) {
        const cells = block.kind === "table" ? [...block.rows.flat(), ...(block.totals ?? [])] : block.values.flat();
        for (const cell of cells) if (isFormulaCell(cell)) for (const tab of tabReferences(cell.formula)) expect(built, `${sheet.name}: ${cell.formula}`).toContain(tab);
      }
    }
    const first = result.sheets[0];
    expect(first.provenance.notes).toContain(`Not built in this run: the Segmentation tab, because ${reasons.get("segmentation")}.`);
  });

  it("refuses a tab asked for by name that cannot fit, giving the reason", () => {
    const segmentationTable = tableNamed(full.sheets.find((sheet) => sheet.tab === "segmentation")!, "SegmentCustomers")!;
    try {
      buildAllTabs(data, { tabs: ["segmentation"], maxRows: segmentationTable.row }, context);
      expect.unreachable();
    } catch (error) {
      expect(isEngineError(error, "INVALID_INPUT")).toBe(true);
      expect((error as Error).message).toMatch(/^The Segmentation tab cannot be built: its [\d,]+ customers do not fit in one sheet: the tab needs [\d,]+ rows/);
    }
  });

  it("never raises the limit past Excel's last row", () => {
    const result = buildAllTabs(data, { maxRows: 10 * EXCEL_MAX_ROWS }, context);
    expect(result.sheets.map((sheet) => sheet.tab)).toEqual(full.sheets.map((sheet) => sheet.tab));
    expect(result.shortened).toEqual([]);
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

describe("shortenToFit refuses what it cannot move", () => {
  it("leaves a tab with cells beside its customer table, or a chart below it, to be left out", () => {
    const sheet = full.sheets.find((candidate) => candidate.tab === "segmentation")!;
    const table = tableNamed(sheet, "SegmentCustomers")!;
    const max = table.row + 50;
    expect(shortenToFit(sheet, max)).not.toBeNull();
    const beside: ReportSheet = { ...sheet, blocks: [...sheet.blocks, { kind: "cells", row: table.row + 5, column: table.headers.length + 1, values: [["beside"]] }] };
    expect(shortenToFit(beside, max)).toBeNull();
    const chart = { type: "column" as const, title: "t", categories: { row: table.row + 1, column: 0, rowCount: 3, columnCount: 1 }, series: [], anchor: { row: table.row + 2, column: 20, rows: 10, columns: 5 } };
    expect(shortenToFit({ ...sheet, charts: [...sheet.charts, chart] }, max)).toBeNull();
  });
});
