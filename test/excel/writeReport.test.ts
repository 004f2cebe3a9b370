// Writing generated tabs into a workbook through the Office adapter, against the recording fake
// Excel (test/support/fakeExcel.ts): what lands in the cells, how requests are split, names,
// all-or-nothing cleanup, the API names used and degradation on older Excel.
import { beforeAll, describe, expect, it } from "vitest";
import { createOfficeWorkbook } from "../../src/excel/officeWorkbook";
import { WriteCancelled } from "../../src/excel/workbook";
import { DEFAULT_REQUEST_BUDGET_BYTES, EXCEL_PAYLOAD_LIMIT_BYTES } from "../../src/excel/payload";
import { columnWidthPoints, STYLE_LOOKS } from "../../src/excel/styles";
import { a1, blockRange, isFormulaCell, resolveSheetReferences, type Cell, type ReportSheet } from "../../src/reports/sheet";
import type { TabId } from "../../src/reports/tabIds";
import { createFakeExcel, FakeExcelError, type FakeExcel, type FakeExcelOptions } from "../support/fakeExcel";
import { bigTableSheet, GENERATED_AT, sampleTabs } from "../support/reportSheets";

function setUp(options: FakeExcelOptions = {}): { fake: FakeExcel; port: ReturnType<typeof createOfficeWorkbook> } {
  const fake = createFakeExcel({ sheets: [{ name: "Orders", rows: [["Customer", "Date", "Amount"], ["C1", 45000, 12.5]] }], ...options });
  return { fake, port: createOfficeWorkbook(fake.Excel, { isSetSupported: fake.isSetSupported }) };
}

const PROVENANCE = { sources: [], options: [], generatedAt: GENERATED_AT, notes: [] };

/** A small tab using every feature: styles, a table with totals, each conditional rule and chart type. */
function featureSheet(name = "Segmentation"): ReportSheet {
  const categories = { row: 4, column: 0, rowCount: 3, columnCount: 1 };
  const values = { row: 4, column: 1, rowCount: 3, columnCount: 1 };
  const more = { row: 4, column: 2, rowCount: 3, columnCount: 1 };
  const anchor = { row: 0, column: 6, rows: 12, columns: 6 };
  return {
    name,
    blocks: [
      { kind: "cells", row: 0, column: 0, values: [["Segments"]], style: "title" },
      { kind: "cells", row: 1, column: 0, values: [["Check the data: 3 rows were skipped."]], style: "warning" },
      { kind: "table", name: "SegmentSummary", row: 3, column: 0, headers: ["Segment", "Customers", "Revenue"], rows: [["Champions", 10, 1200.5], ["Loyal", 20, 800], ["At risk", 5, { formula: "B7*10", value: 50 }]], numberFormats: [null, "#,##0", '"€"#,##0.00'], totals: ["Total", { formula: "SUBTOTAL(109,B5:B7)", value: 35 }, null] },
      { kind: "cells", row: 9, column: 0, values: [["Discount rate", 0.1], ["Month", "2024-03"], ["Code", "00123"], ["Town", "'s-Hertogenbosch"], [], ["TRUE"]], numberFormats: [null, "0.0%"], columnStyles: ["label", "input"] },
    ],
    columnWidths: [18, 12, 14],
    freeze: { rows: 4, columns: 1 },
    conditionalFormats: [
      { range: values, rule: { kind: "colorScale", low: "F8696B", mid: "FFEB84", high: "63BE7B" } },
      { range: more, rule: { kind: "dataBar", color: "638EC6" } },
      { range: values, rule: { kind: "cellIs", operator: "lessThan", value: 6, look: "bad" } },
      { range: categories, rule: { kind: "expression", formula: 'A5="Champions"', look: "good" } },
    ],
    charts: (["column", "bar", "stackedColumn", "line", "pie", "scatter"] as const).map((type) => ({
      type,
      title: `${type} chart`,
      categories,
      series: type === "pie" ? [{ name: "Customers", values }] : [{ name: "Customers", values }, { name: "Revenue", values: more }],
      xAxisTitle: "Segment",
      yAxisTitle: "Customers",
      valueFormat: "#,##0",
      anchor,
    })),
    provenance: PROVENANCE,
  };
}

/** The text Excel holds for a report cell: "=formula" for formulas, else the constant. */
function expectCell(fake: FakeExcel, sheet: string, row: number, column: number, cell: Cell, where: string): void {
  const written = fake.cell(sheet, row, column);
  if (isFormulaCell(cell)) expect(written?.formula, where).toBe(`=${cell.formula}`);
  else if (cell === null) expect(written === undefined || (written.value === "" && written.formula === undefined), where).toBe(true);
  else expect(written?.value, where).toBe(cell);
}

/** Compares every cell and number format a ReportSheet writes with what the fake holds. */
function expectWritten(fake: FakeExcel, name: string, report: ReportSheet): number {
  let compared = 0;
  for (const block of report.blocks) {
    if (block.kind === "table") {
      block.headers.forEach((header, c) => expectCell(fake, name, block.row, block.column + c, header, `${name}!${a1(block.row, block.column + c)} header`));
      const rows = block.totals ? [...block.rows, block.totals] : block.rows;
      rows.forEach((row, r) =>
        block.headers.forEach((_, c) => {
          const at = `${name}!${a1(block.row + 1 + r, block.column + c)}`;
          expectCell(fake, name, block.row + 1 + r, block.column + c, row[c] ?? null, at);
          const format = block.numberFormats?.[c];
          if (format) expect(fake.cell(name, block.row + 1 + r, block.column + c)?.numberFormat, `${at} format`).toBe(format);
          compared++;
        }),
      );
    } else {
      block.values.forEach((row, r) =>
        row.forEach((cell, c) => {
          const at = `${name}!${a1(block.row + r, block.column + c)}`;
          expectCell(fake, name, block.row + r, block.column + c, cell, at);
          const format = block.numberFormats?.[c];
          if (format) expect(fake.cell(name, block.row + r, block.column + c)?.numberFormat, `${at} format`).toBe(format);
          // The look of the cell's style, as the runner's writer gives it (fonts and fill).
          const look = STYLE_LOOKS[block.columnStyles?.[c] ?? block.style ?? "body"];
          const written = fake.cell(name, block.row + r, block.column + c);
          expect(written?.font, `${at} font`).toEqual(look?.font);
          expect(written?.fill, `${at} fill`).toEqual(look?.fill);
          compared++;
        }),
      );
      // A short row's missing cells keep the default look.
      const width = Math.max(...block.values.map((row) => row.length));
      block.values.forEach((row, r) => {
        for (let c = row.length; c < width; c++) expect(fake.cell(name, block.row + r, block.column + c)?.font, `${name}!${a1(block.row + r, block.column + c)} unstyled`).toBeUndefined();
      });
    }
  }
  return compared;
}

describe("writeReport: what lands on the sheet", () => {
  it("writes values, formulas, number formats, styles, widths, frozen panes, tab colour and activates the sheet", async () => {
    const { fake, port } = setUp();
    const report = featureSheet();

    const result = await port.writeReport(report, { activate: true });

    expect(result).toEqual({ sheetName: "Segmentation", notes: [] });
    expectWritten(fake, "Segmentation", report);
    const sheet = fake.exportSheet("Segmentation");
    // Text Excel would turn into a date or a number stays text.
    expect(sheet.cells.B11.value).toBe("2024-03");
    expect(sheet.cells.B12.value).toBe("00123");
    expect(sheet.cells.B13.value).toBe("'s-Hertogenbosch");
    expect(sheet.cells.A15.value).toBe("TRUE");
    expect(sheet.cells.A1.font).toMatchObject({ bold: true, size: 16, color: "#1F3864" });
    expect(sheet.cells.A2).toMatchObject({ font: { bold: true, color: "#9C0006" }, fill: "#FFC7CE" });
    expect(sheet.cells.B10).toMatchObject({ font: { color: "#0000FF" }, fill: "#FFF2CC", numberFormat: "0.0%" });
    expect(sheet.columnWidths).toEqual({ A: columnWidthPoints(18), B: columnWidthPoints(12), C: columnWidthPoints(14) });
    expect(columnWidthPoints(10)).toBe(56.25); // 10 characters: 75 px at 7 px a character plus 5 px padding, 0.75 pt a pixel
    expect(sheet.freeze).toEqual({ rows: 4, columns: 1 });
    expect(sheet.tabColor).toBe("#1F3864");
    expect(sheet.showGridlines).toBe(false);
    expect(fake.activeSheet()).toBe("Segmentation");
  });

  it("makes an Excel table with its totals row (blank totals cleared, not Excel's default SUBTOTAL)", async () => {
    const { fake, port } = setUp();
    await port.writeReport(featureSheet());
    const sheet = fake.exportSheet("Segmentation");
    expect(sheet.tables).toEqual([{ name: "SegmentSummary", ref: "A4:C8", showHeaders: true, showTotals: true, style: "TableStyleMedium2" }]);
    expect(sheet.cells.A8.value).toBe("Total");
    expect(sheet.cells.B8.formula).toBe("=SUBTOTAL(109,B5:B7)");
    expect(sheet.cells.C8.formula).toBeUndefined();
    expect(sheet.cells.C8.value).toBe("");
    expect(sheet.cells.B8.font?.bold).toBe(true);
  });

  it("draws native charts with series from ranges, titles, axis titles, value format and position", async () => {
    const { fake, port } = setUp();
    await port.writeReport(featureSheet());
    const charts = fake.exportSheet("Segmentation").charts;
    expect(charts.map((chart) => chart.type)).toEqual(["ColumnClustered", "BarClustered", "ColumnStacked", "Line", "Pie", "XYScatter"]);
    const column = charts[0];
    expect(column).toMatchObject({ title: "column chart", categoryAxisTitle: "Segment", valueAxisTitle: "Customers", valueAxisNumberFormat: "#,##0", position: { start: "G1", end: "L12" } });
    expect(column.series).toEqual([
      { name: "Customers", values: "B5:B7", xValues: "A5:A7" },
      { name: "Revenue", values: "C5:C7", xValues: "A5:A7" },
    ]);
    expect(charts[4]).toMatchObject({ categoryAxisTitle: null, valueAxisTitle: null, series: [{ name: "Customers", values: "B5:B7", xValues: "A5:A7" }] });
  });

  it("adds the four kinds of conditional format with Excel's rule objects", async () => {
    const { fake, port } = setUp();
    await port.writeReport(featureSheet());
    const formats = fake.exportSheet("Segmentation").conditionalFormats;
    expect(formats.map((f) => [f.type, f.address])).toEqual([
      ["ColorScale", "B5:B7"],
      ["DataBar", "C5:C7"],
      ["CellValue", "B5:B7"],
      ["Custom", "A5:A7"],
    ]);
    expect(formats[0].colorScale?.criteria).toEqual({
      minimum: { formula: undefined, type: "LowestValue", color: "#F8696B" },
      midpoint: { formula: "50", type: "Percentile", color: "#FFEB84" },
      maximum: { formula: undefined, type: "HighestValue", color: "#63BE7B" },
    });
    expect(formats[1].dataBar).toEqual({ barDirection: "LeftToRight", fillColor: "#638EC6", gradientFill: false });
    expect(formats[2].cellValue).toEqual({ rule: { formula1: "=6", operator: "LessThan" }, fill: "#FFC7CE", fontColor: "#9C0006" });
    expect(formats[3].custom).toEqual({ formula: '=A5="Champions"', fill: "#C6EFCE", fontColor: "#006100" });
  });

  it("calls the Excel API by its real member names (as @types/office-js spells them)", async () => {
    const { fake, port } = setUp();
    await port.writeReport(featureSheet(), { activate: true });
    const calls = fake.calls.map((call) => `${call.target.replace(/\(.*?\)/g, "()")}.${call.member}${call.kind === "call" ? `(${JSON.stringify(call.args).slice(1, -1)})` : ""}`);
    const has = (pattern: RegExp) => expect(calls.some((call) => pattern.test(call)), String(pattern)).toBe(true);
    has(/^workbook\.worksheets\.add\(/);
    has(/\.tables\.add\("A4:C7",true\)/);
    has(/\.tables\.add\(\)\.showTotals$/);
    has(/\.conditionalFormats\.add\("ColorScale"\)/);
    has(/\.conditionalFormats\.add\("DataBar"\)/);
    has(/\.conditionalFormats\.add\("CellValue"\)/);
    has(/\.conditionalFormats\.add\("Custom"\)/);
    has(/\.charts\.add\("ColumnClustered",.*"Columns"/);
    has(/\.series\.getItemAt\(\)\.setValues\(/);
    has(/\.series\.getItemAt\(\)\.setXAxisValues\(/);
    has(/\.series\.add\(\)\.setValues\(/);
    has(/\.charts\.add\(\)\.setPosition\("G1","L12"\)/);
    has(/\.freezePanes\.freezeAt\(/);
    has(/\.format\.columnWidth$/);
    has(/\.format\.borders\.getItem\(\)\.style$/);
    has(/^application\.suspendApiCalculationUntilNextSync\(/);
    has(/^application\.suspendScreenUpdatingUntilNextSync\(/);
    has(/\.activate\(/);
    // Every sync of the write was awaited: the last call was sent before writeReport resolved.
    expect(fake.syncs.every((sync) => sync.error === undefined)).toBe(true);
  });

  it("round trip: every tab imc report builds from the sample business lands cell for cell, with formulas and number formats", async () => {
    const tabs = sampleTabs(1200);
    const older = ["Scorecard", "Segmentation", "Customer Value", "Attribution", "Campaign KPIs", "Budget"];
    expect(tabs.map((tab) => tab.name).filter((name) => older.includes(name))).toEqual(older);
    const { fake, port } = setUp();
    // As the wizards write them: the Scorecard last, with the other tabs' sheet names, placed before them.
    const order = [...tabs.slice(1), tabs[0]];
    const tabNames = new Map<TabId, string>();
    let crossTab = 0;
    for (const tab of order) {
      const scorecard = tab.tab === "scorecard";
      const { sheetName, notes } = await port.writeReport(tab, scorecard ? { tabNames, before: tabNames.get(tabs[1].tab!) } : {});
      expect(notes).toEqual([]);
      tabNames.set(tab.tab!, sheetName);
      const resolved = resolveSheetReferences(tab, (id) => tabNames.get(id));
      if (scorecard) {
        for (const block of resolved.blocks) {
          for (const row of block.kind === "table" ? block.rows : block.values) {
            for (const cell of row) if (isFormulaCell(cell) && /^'[^']+'!\$[A-Z]+\$\d+$/.test(cell.formula)) crossTab++;
          }
        }
      }
      const compared = expectWritten(fake, sheetName, resolved);      expect(compared).toBeGreaterThan(50);
      const sheet = fake.exportSheet(sheetName);
      const tables = tab.blocks.filter((b) => b.kind === "table");
      expect(sheet.tables.map((t) => t.ref)).toEqual(tables.map((t) => {
        const r = blockRange(t);
        return `${a1(r.row, r.column)}:${a1(r.row + r.rowCount - 1, r.column + r.columnCount - 1)}`;
      }));
      expect(sheet.charts.length).toBe(tab.charts.length);
      expect(sheet.conditionalFormats.length).toBe(tab.conditionalFormats.length);
      expect(sheet.freeze).toEqual(tab.freeze.rows > 0 && tab.freeze.columns > 0 ? tab.freeze : { rows: tab.freeze.rows, columns: tab.freeze.columns });
    }
    expect(fake.sheetNames()).toEqual(["Orders", ...tabs.map((tab) => tab.name)]);
    expect(crossTab).toBeGreaterThanOrEqual(15);
  }, 60_000);
});

describe("writeReport: requests under Excel on the web's 5 MB limit", () => {
  let big: ReportSheet;
  beforeAll(() => {
    big = bigTableSheet(200_000, 10);
  });

  it("splits a 200,000 × 10 table into requests each under the budget, measured as serialised size", async () => {
    const { fake, port } = setUp({ keepArgs: false });
    const progress: number[] = [];

    const { sheetName } = await port.writeReport(big, { onProgress: (done) => progress.push(done) });

    const sizes = fake.syncs.map((sync) => sync.requestBytes);
    const largest = Math.max(...sizes);
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(largest).toBeLessThan(EXCEL_PAYLOAD_LIMIT_BYTES);
    // The adapter's estimate keeps the fake's own measurement within the budget (some slack for the fake's object paths).
    expect(largest).toBeLessThanOrEqual(DEFAULT_REQUEST_BUDGET_BYTES * 1.1);
    expect(total).toBeGreaterThan(20 * DEFAULT_REQUEST_BUDGET_BYTES);
    expect(fake.syncs.length).toBeGreaterThan(total / DEFAULT_REQUEST_BUDGET_BYTES);
    // All of it landed: the last row, its formula and formats.
    expect(fake.cell(sheetName, 200_001, 0)?.value).toBe("C0200000");
    expect(fake.cell(sheetName, 200_001, 9)?.formula).toBe("=C200002*2");
    expect(fake.cell(sheetName, 200_001, 1)?.numberFormat).toBe("yyyy-mm-dd");
    expect(fake.exportSheet(sheetName, { cells: false }).tables[0].ref).toBe("A2:J200002");
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1])).toBe(true);
    expect(progress.at(-1)).toBe(1);
  }, 120_000);

  it("a smaller budget gives more, smaller requests (the split follows the budget)", async () => {
    const { fake } = setUp({ keepArgs: false });
    const port = createOfficeWorkbook(fake.Excel, { isSetSupported: fake.isSetSupported, requestBudgetBytes: 256 * 1024 });
    await port.writeReport(bigTableSheet(20_000, 10));
    const largest = Math.max(...fake.syncs.map((sync) => sync.requestBytes));
    expect(largest).toBeLessThanOrEqual(256 * 1024 * 1.1);
    expect(fake.syncs.length).toBeGreaterThan(8);
  });

  it("the fake refuses a request over 5 MB, as Excel on the web does (so the test above can fail)", async () => {
    const { fake } = setUp();
    const huge = Array.from({ length: 60_000 }, (_, r) => Array.from({ length: 10 }, (_, c) => r * 10 + c + 0.123456789));
    await expect(
      fake.Excel.run(async (context) => {
        context.workbook.worksheets.getItem("Orders").getRange("A1:J60000").values = huge;
        await context.sync();
      }),
    ).rejects.toMatchObject({ code: "RequestPayloadSizeLimitExceeded" });
  });
});

describe("writeReport: free sheet and table names", () => {
  it('writes "Segmentation 2" when "Segmentation" exists (compared ignoring case), never overwriting', async () => {
    const { fake, port } = setUp({ sheets: [{ name: "segmentation", rows: [["keep me"]] }] });
    const first = await port.writeReport(featureSheet());
    const second = await port.writeReport(featureSheet());
    expect([first.sheetName, second.sheetName]).toEqual(["Segmentation 2", "Segmentation 3"]);
    expect(fake.cell("segmentation", 0, 0)?.value).toBe("keep me");
    // Table names are workbook-wide: the second copy's table gets a free one.
    expect(fake.exportSheet("Segmentation 3").tables[0].name).toBe("SegmentSummary_2");
  });

  it("truncates long names to Excel's 31 characters and replaces []:*?/\\", async () => {
    const { fake, port } = setUp();
    const long = await port.writeReport(featureSheet("Customer Value by Acquisition Channel and Month"));
    const odd = await port.writeReport(featureSheet("Q1/Q2: [draft]*?"));
    const again = await port.writeReport(featureSheet("Customer Value by Acquisition Channel and Month"));
    expect(long.sheetName).toBe("Customer Value by Acquisition C");
    expect(long.sheetName.length).toBe(31);
    expect(odd.sheetName).toBe("Q1 Q2 draft");
    expect(again.sheetName).toBe("Customer Value by Acquisition 2");
    expect(fake.sheetNames()).toContain(again.sheetName);
  });
});

describe("writeReport: all or nothing", () => {
  it("an error in the middle of the cells deletes the new sheet and rejects with Excel's reason", async () => {
    let formulasSeen = 0;
    const { fake, port } = setUp({
      keepArgs: false,
      failAt: (call) => (call.member === "formulas" && ++formulasSeen === 3 ? new FakeExcelError("GeneralException", "An internal error has occurred.") : undefined),
    });
    await expect(port.writeReport(bigTableSheet(30_000, 10))).rejects.toThrow("An internal error has occurred.");
    expect(fake.sheetNames()).toEqual(["Orders"]);
    expect(fake.syncs.filter((sync) => sync.error === undefined).length).toBeGreaterThan(2); // some chunks had landed
  });

  it("a failing chart (the last step) also leaves no sheet and no table behind", async () => {
    const { fake, port } = setUp({ failAt: (call) => (call.member === "setPosition" ? new FakeExcelError("InvalidArgument", "The argument is invalid or missing.") : undefined) });
    await expect(port.writeReport(featureSheet())).rejects.toMatchObject({ code: "InvalidArgument" });
    expect(fake.sheetNames()).toEqual(["Orders"]);
    const tables = await fake.Excel.run(async (context) => {
      const items = context.workbook.tables;
      items.load("items/name");
      await context.sync();
      return items.items.length;
    });
    expect(tables).toBe(0);
  });

  it("cancel between requests deletes the new sheet and rejects with WriteCancelled", async () => {
    const { fake, port } = setUp({ keepArgs: false });
    const controller = new AbortController();
    const write = port.writeReport(bigTableSheet(30_000, 10), {
      signal: controller.signal,
      onProgress: (done) => {
        if (done > 0.2) controller.abort();
      },
    });
    await expect(write).rejects.toBeInstanceOf(WriteCancelled);
    expect(fake.sheetNames()).toEqual(["Orders"]);
  });

  it("an already aborted signal writes nothing", async () => {
    const { fake, port } = setUp();
    const controller = new AbortController();
    controller.abort();
    await expect(port.writeReport(featureSheet(), { signal: controller.signal })).rejects.toBeInstanceOf(WriteCancelled);
    expect(fake.syncs.length).toBe(0);
    expect(fake.runs).toBe(0);
  });
});

describe("writeReport on an older Excel: degrade with notes, never fail", () => {
  it("ExcelApi 1.6: no tab colour, frozen panes, series APIs or axis formats; charts whose ranges sit side by side still drawn", async () => {
    const { fake, port } = setUp({ apiVersion: "1.6" });
    const report = featureSheet();
    const { sheetName, notes } = await port.writeReport(report);
    expectWritten(fake, sheetName, report);
    expect(notes).toContain("The tab colour needs ExcelApi 1.7: left as it is.");
    expect(notes).toContain("Frozen panes need ExcelApi 1.7: the title and headers scroll with the sheet.");
    expect(notes.filter((note) => note.includes("value axis format needs ExcelApi 1.8")).length).toBe(5);
    const sheet = fake.exportSheet(sheetName);
    // Categories in A, series in B and C: one range A5:C7 serves every chart.
    expect(sheet.charts.map((chart) => chart.source)).toEqual(Array(6).fill("A5:C7").map((s, i) => (i === 4 ? "A5:B7" : s)));
    expect(sheet.conditionalFormats.length).toBe(4);
    expect(fake.calls.some((call) => call.member === "suspendScreenUpdatingUntilNextSync")).toBe(false);
  });

  it("ExcelApi 1.5: conditional formats left out with a note; charts over ranges apart are not drawn, with a note", async () => {
    const { fake, port } = setUp({ apiVersion: "1.5" });
    const report = featureSheet();
    const apart: ReportSheet = { ...report, charts: [{ ...report.charts[0], series: [{ name: "Revenue", values: { row: 4, column: 2, rowCount: 3, columnCount: 1 } }] }] };
    const { sheetName, notes } = await port.writeReport(apart);
    expect(notes).toContain("Conditional formats need ExcelApi 1.6: left out.");
    expect(notes).toContain('Chart "column chart" needs ExcelApi 1.7 (chart series from ranges): not drawn.');
    expect(fake.exportSheet(sheetName).charts).toEqual([]);
    expect(fake.calls.some((call) => call.member === "suspendApiCalculationUntilNextSync")).toBe(false);
  });
});
