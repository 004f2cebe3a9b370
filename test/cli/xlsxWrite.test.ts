import ExcelJS from "exceljs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { freeSheetName } from "../../src/reports/names";
import { addReportSheet, DIRECT_ROWS_MIN, wrappedLines, writeNewWorkbook } from "../../src/cli/xlsx/writeReport";
import { sheetProblems, type ReportSheet } from "../../src/reports/sheet";

/** A small tab with every feature the writer handles: styles, inputs, formulas, a table with totals, a date, conditional formats and a chart. */
function sampleReport(name = "Segmentation"): ReportSheet {
  return {
    name,
    blocks: [
      { kind: "cells", row: 0, column: 0, values: [["Segments & <value>"]], style: "title" },
      {
        kind: "cells",
        row: 2,
        column: 0,
        values: [
          ["Target", 1000],
          ["Rate", 0.25],
          ["Budget", { formula: "B3*B4", value: 250 }],
        ],
        numberFormats: [null, "#,##0.00"],
        columnStyles: ["label", "input"],
      },
      {
        kind: "table",
        name: "SegmentSummary",
        row: 6,
        column: 0,
        headers: ["Segment", "Customers", "Share", "Revenue"],
        rows: [
          ["Champions", 10, { formula: "B8/SUM(B8:B10)", value: 10 / 60 }, 5000.5],
          ["Loyal", 20, { formula: "B9/SUM(B8:B10)", value: 20 / 60 }, -250],
          ["Lost", 30, { formula: "B10/SUM(B8:B10)", value: 30 / 60 }, 0],
        ],
        numberFormats: [null, "#,##0", "0.0%", "#,##0.00"],
        totals: ["Total", { formula: "SUM(B8:B10)", value: 60 }, null, { formula: "SUM(D8:D10)", value: 4750.5 }],
      },
      { kind: "cells", row: 13, column: 0, values: [["First order", 45000]], numberFormats: [null, "yyyy-mm-dd"] },
    ],
    columnWidths: [18, 12, 10, 14],
    freeze: { rows: 7, columns: 1 },
    conditionalFormats: [
      { range: { row: 7, column: 1, rowCount: 3, columnCount: 1 }, rule: { kind: "dataBar", color: "5B9BD5" } },
      { range: { row: 7, column: 3, rowCount: 3, columnCount: 1 }, rule: { kind: "cellIs", operator: "lessThan", value: 0, look: "bad" } },
      { range: { row: 7, column: 2, rowCount: 3, columnCount: 1 }, rule: { kind: "colorScale", low: "F8696B", mid: "FFEB84", high: "63BE7B" } },
      { range: { row: 7, column: 0, rowCount: 3, columnCount: 1 }, rule: { kind: "expression", formula: 'A8="Pass"', look: "good" } },
    ],
    charts: [
      {
        type: "column",
        title: "Revenue by segment",
        categories: { row: 7, column: 0, rowCount: 3, columnCount: 1 },
        series: [{ name: "Revenue", values: { row: 7, column: 3, rowCount: 3, columnCount: 1 } }],
        anchor: { row: 2, column: 6, rows: 15, columns: 8 },
      },
    ],
    provenance: { sources: ["Orders!A1:D100"], options: [], generatedAt: "2026-11-23T00:00:00Z", notes: [] },
  };
}

async function readBack(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook;
}

describe("freeSheetName", () => {
  it("keeps an unused name", () => {
    expect(freeSheetName(["Orders", "Customers"], "Segmentation")).toBe("Segmentation");
  });
  it("numbers a taken name, comparing case-insensitively as Excel does", () => {
    expect(freeSheetName(["segmentation"], "Segmentation")).toBe("Segmentation 2");
    expect(freeSheetName(["Segmentation", "SEGMENTATION 2"], "Segmentation")).toBe("Segmentation 3");
  });
  it("stays within 31 characters, also with a suffix", () => {
    const long = "Customer Value by Acquisition Channel";
    const first = freeSheetName([], long);
    expect(first).toBe(long.slice(0, 31).trimEnd());
    const second = freeSheetName([first], long);
    expect(second.length).toBeLessThanOrEqual(31);
    expect(second.endsWith(" 2")).toBe(true);
    expect(second.toLowerCase()).not.toBe(first.toLowerCase());
  });
  it("replaces characters Excel forbids and never returns a blank name", () => {
    const name = freeSheetName([], "Q1/Q2: [ROCI]*?\\");
    expect(name).not.toMatch(/[[\]:*?/\\]/);
    expect(name).toBe("Q1 Q2 ROCI");
    expect(freeSheetName([], "''")).toBe("Sheet");
    expect(freeSheetName(["Sheet"], "")).toBe("Sheet 2");
  });
  it("treats Excel's reserved name History as taken", () => {
    expect(freeSheetName([], "history")).toBe("history 2");
  });
});

describe("writeNewWorkbook", () => {
  it("writes data sheets then report sheets that ExcelJS reads back with values, formulas, formats, tables, widths, panes and conditional formats", async () => {
    const report = sampleReport();
    expect(sheetProblems(report)).toEqual([]);
    const { bytes, names } = await writeNewWorkbook(
      [
        {
          name: "Customers",
          headers: ["customer_id", "signup_date", "orders"],
          rows: [
            ["C1", 45000, 3],
            ["C2", 45001.5, 0],
          ],
          numberFormats: [null, "yyyy-mm-dd", "#,##0"],
        },
      ],
      [report, sampleReport()],
    );
    expect(names).toEqual(["Customers", "Segmentation", "Segmentation 2"]);
    const workbook = await readBack(bytes);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(names);

    const customers = workbook.getWorksheet("Customers")!;
    expect(customers.getCell("A1").value).toBe("customer_id");
    expect(customers.getCell("B2").numFmt).toBe("yyyy-mm-dd");
    expect(customers.getCell("C2").numFmt).toBe("#,##0");
    expect(customers.getCell("A3").value).toBe("C2");
    const customerTables = customers.getTables() as unknown as { table: { name: string; tableRef: string } }[];
    expect(customerTables.map((t) => t.table.name)).toEqual(["Customers"]);
    expect(customers.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });

    const sheet = workbook.getWorksheet("Segmentation")!;
    expect(sheet.getCell("A1").value).toBe("Segments & <value>");
    expect(sheet.getCell("A1").font?.bold).toBe(true);
    expect(sheet.getCell("B3").value).toBe(1000);
    expect(sheet.getCell("B3").fill).toMatchObject({ type: "pattern", fgColor: { argb: "FFFFF2CC" } });
    expect(sheet.getCell("B3").numFmt).toBe("#,##0.00");
    expect(sheet.getCell("B5").value).toEqual({ formula: "B3*B4", result: 250 });
    expect(sheet.getCell("C8").value).toMatchObject({ formula: "B8/SUM(B8:B10)" });
    expect((sheet.getCell("C8").value as ExcelJS.CellFormulaValue).result as number).toBeCloseTo(10 / 60, 12);
    expect(sheet.getCell("C8").numFmt).toBe("0.0%");
    expect(sheet.getCell("D9").value).toBe(-250);
    expect(sheet.getCell("D9").numFmt).toBe("#,##0.00");
    expect(sheet.getCell("A11").value).toBe("Total");
    expect(sheet.getCell("D11").value).toEqual({ formula: "SUM(D8:D10)", result: 4750.5 });
    // Dates stay Excel serials with a date format (ExcelJS reads them back as Dates).
    expect(sheet.getCell("B14").numFmt).toBe("yyyy-mm-dd");
    const date = sheet.getCell("B14").value as Date;
    expect(date.getTime() / 86_400_000 + 25569).toBeCloseTo(45000, 9);

    const tables = sheet.getTables() as unknown as { table: { name: string; tableRef: string; totalsRow: boolean } }[];
    expect(tables.map((t) => t.table.name)).toEqual(["SegmentSummary"]);
    expect(tables[0].table.tableRef).toBe("A7:D11");
    expect(tables[0].table.totalsRow).toBe(true);
    const second = workbook.getWorksheet("Segmentation 2")!.getTables() as unknown as { table: { name: string } }[];
    expect(second.map((t) => t.table.name)).toEqual(["SegmentSummary_2"]);

    expect(sheet.getColumn(1).width).toBe(18);
    expect(sheet.getColumn(4).width).toBe(14);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", xSplit: 1, ySplit: 7 });

    const formats = (sheet as unknown as { conditionalFormattings: { ref: string; rules: { type: string; operator?: string }[] }[] }).conditionalFormattings;
    expect(formats.map((f) => [f.ref, f.rules[0].type])).toEqual([
      ["B8:B10", "dataBar"],
      ["D8:D10", "cellIs"],
      ["C8:C10", "colorScale"],
      ["A8:A10", "expression"],
    ]);
    expect(formats[1].rules[0].operator).toBe("lessThan");
    const expression = formats[3].rules[0] as unknown as { formulae: string[]; style: { fill: { bgColor: { argb: string } } } };
    expect(expression.formulae).toEqual(['A8="Pass"']);
    expect(expression.style.fill.bgColor.argb).toBe("FFC6EFCE");
  });

  it("puts the rules of one range into one conditionalFormatting element (LibreOffice misapplies a repeated range)", async () => {
    const base = sampleReport();
    const range = { row: 7, column: 0, rowCount: 3, columnCount: 1 };
    const report: ReportSheet = {
      ...base,
      conditionalFormats: [
        { range, rule: { kind: "expression", formula: 'A8="Pass"', look: "good" } },
        { range, rule: { kind: "expression", formula: 'A8<>"Pass"', look: "bad" } },
      ],
    };
    const { bytes } = await writeNewWorkbook([], [report]);
    const zip = await JSZip.loadAsync(bytes);
    const xml = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    const elements = xml.match(/<conditionalFormatting\b[^>]*>.*?<\/conditionalFormatting>/gs) ?? [];
    expect(elements).toHaveLength(1);
    expect(elements[0]).toContain('sqref="A8:A10"');
    expect(elements[0]?.match(/<cfRule\b/g)).toHaveLength(2);
  });

  it("addReportSheet picks free sheet and table names in a workbook that already has them", () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("SEGMENTATION");
    const first = addReportSheet(workbook, sampleReport());
    const second = addReportSheet(workbook, sampleReport());
    expect([first, second]).toEqual(["Segmentation 2", "Segmentation 3"]);
    const tableNames = workbook.worksheets.flatMap((w) => (w.getTables() as unknown as { name: string }[]).map((t) => t.name));
    expect(new Set(tableNames.map((n) => n.toLowerCase())).size).toBe(tableNames.length);
    expect(tableNames).toEqual(["SegmentSummary", "SegmentSummary_2"]);
  });
});

describe("headers, alignment and warnings as a reader sees them", () => {
  /** A tab with a long table header over a narrow column, a block of "header" cells, a number beside text, a warning and a big table. */
  function layoutReport(): ReportSheet {
    const big = Array.from({ length: DIRECT_ROWS_MIN + 5 }, (_, i) => [1000 + i, `Segment ${i % 3}`, i * 1.5]);
    return {
      name: "Layout",
      blocks: [
        { kind: "cells", row: 0, column: 0, values: [["Customers", 1234, "are active, 12% of revenue"]], numberFormats: [null, "#,##0"] },
        { kind: "cells", row: 1, column: 0, values: [["CLV : CAC is 2.15, below the 3.00 you set"]], style: "warning" },
        // A number and, from another block, a note beside it.
        { kind: "cells", row: 2, column: 0, values: [["Budget", 113510]], numberFormats: [null, "#,##0"] },
        { kind: "cells", row: 2, column: 2, values: [["what winning the new customers costs"]], style: "note" },
        { kind: "cells", row: 3, column: 0, values: [["Channel", "Marginal contribution at the target plan"]], style: "header" },
        { kind: "cells", row: 4, column: 0, values: [["Email", 12.5]], numberFormats: [null, "#,##0.00"] },
        {
          kind: "table",
          name: "Clusters",
          row: 6,
          column: 0,
          headers: ["Cluster", "Profile", "Mean days since last order"],
          rows: [
            [1, "R3 F3 M3", 265.3],
            [2, "R2 F1 M1", 136.4],
          ],
          numberFormats: ["0", null, "#,##0.0"],
        },
        { kind: "table", name: "Customers", row: 10, column: 0, headers: ["Customer", "Segment", "Revenue"], rows: big, numberFormats: ["0", null, "#,##0.00"] },
      ],
      columnWidths: [12, 10, 12],
      freeze: { rows: 0, columns: 0 },
      conditionalFormats: [],
      charts: [],
      provenance: { sources: [], options: [], generatedAt: "2026-12-06T00:00:00Z", notes: [] },
    };
  }

  it("wraps every header at the bottom, widens columns to the longest word and grows the header row to fit", async () => {
    const { bytes } = await writeNewWorkbook([], [layoutReport()]);
    const sheet = (await readBack(bytes)).getWorksheet("Layout")!;
    for (const address of ["A4", "B4", "A7", "B7", "C7", "A11", "B11", "C11"]) {
      expect(sheet.getCell(address).alignment?.wrapText, address).toBe(true);
      expect(sheet.getCell(address).alignment?.vertical, address).toBe("bottom");
    }
    // "contribution" (12 letters, bold) needs more than the 10 characters asked for column B.
    expect(sheet.getColumn(2).width!).toBeGreaterThanOrEqual("contribution".length + 1);
    // "Marginal contribution at the target plan" (40 characters) takes several lines; so does the table's long header.
    expect(sheet.getRow(4).height!).toBeGreaterThanOrEqual(3 * 15);
    expect(sheet.getRow(7).height!).toBeGreaterThanOrEqual(2 * 15);
    // Rows without a long header keep the default height.
    expect(sheet.getRow(5).height).toBeUndefined();
  });

  it("sits the headers of number columns right and indents text that follows numbers, also in tables written row by row", async () => {
    const { bytes } = await writeNewWorkbook([], [layoutReport()]);
    const sheet = (await readBack(bytes)).getWorksheet("Layout")!;
    // A number, then text: the text starts one indent in.
    expect(sheet.getCell("C1").alignment).toMatchObject({ horizontal: "left", indent: 1 });
    // Also when the text is another block's.
    expect(sheet.getCell("C3").alignment).toMatchObject({ horizontal: "left", indent: 1 });
    // Text, then a number: nothing to do.
    expect(sheet.getCell("B1").alignment?.indent ?? 0).toBe(0);
    // The table: the Cluster numbers' header sits right; the Profile column after them is indented, header and cells.
    expect(sheet.getCell("A7").alignment?.horizontal).toBe("right");
    expect(sheet.getCell("B7").alignment).toMatchObject({ horizontal: "left", indent: 1 });
    expect(sheet.getCell("B8").alignment).toMatchObject({ horizontal: "left", indent: 1 });
    expect(sheet.getCell("C8").alignment?.indent ?? 0).toBe(0);
    // The big table (written row by row from a template row) keeps the indent on every row.
    expect(sheet.getCell("B12").value).toBe("Segment 0");
    expect(sheet.getCell("B12").alignment).toMatchObject({ horizontal: "left", indent: 1 });
    expect(sheet.getCell(`B${12 + DIRECT_ROWS_MIN}`).alignment).toMatchObject({ horizontal: "left", indent: 1 });
    expect(sheet.getCell("A11").alignment?.horizontal).toBe("right");
    // A plain block's header over numbers sits right too; over text it stays left.
    expect(sheet.getCell("B4").alignment).toMatchObject({ horizontal: "right", wrapText: true });
    expect(sheet.getCell("A4").alignment?.horizontal).toBeUndefined();
  });

  it("sits a plain block's number header right when notes under the rows (blank first column) are text", async () => {
    const sheet: ReportSheet = {
      ...layoutReport(),
      name: "Steps",
      blocks: [
        { kind: "cells", row: 0, column: 0, values: [["Measure", "Value", "From"]], style: "header" },
        {
          kind: "cells",
          row: 1,
          column: 0,
          values: [
            ["Customers", 1500, "Segmentation tab"],
            ["Champions' share", 0.318, "Segmentation tab"],
            ["What to do next", "Grow the Champions", null],
            [null, "Rule: a long note that runs across the columns", null],
            [null, "otherwise: keep going", null],
          ],
          numberFormats: [null, "#,##0", null],
        },
      ],
    };
    const written = (await readBack((await writeNewWorkbook([], [sheet])).bytes)).getWorksheet("Steps")!;
    expect(written.getCell("B1").alignment?.horizontal).toBe("right");
    expect(written.getCell("C1").alignment).toMatchObject({ horizontal: "left", indent: 1 });
  });

  it("writes a warning bold dark red on a light red fill", async () => {
    const { bytes } = await writeNewWorkbook([], [layoutReport()]);
    const cell = (await readBack(bytes)).getWorksheet("Layout")!.getCell("A2");
    expect(cell.font).toMatchObject({ bold: true, color: { argb: "FF9C0006" } });
    expect(cell.fill).toMatchObject({ type: "pattern", pattern: "solid", fgColor: { argb: "FFFFC7CE" } });
  });

  it("widens a column a little rather than wrap a header just longer than it", async () => {
    const sheet: ReportSheet = {
      ...layoutReport(),
      name: "Models",
      blocks: [{ kind: "table", name: "Models", row: 0, column: 0, headers: ["Channel", "Position-based (40/20/40)"], rows: [["Email", 707.9]], numberFormats: [null, "#,##0.0"] }],
      columnWidths: [14, 25],
    };
    const written = (await readBack((await writeNewWorkbook([], [sheet])).bytes)).getWorksheet("Models")!;
    expect(written.getColumn(2).width!).toBeGreaterThanOrEqual("Position-based (40/20/40)".length + 1);
    expect(written.getRow(1).height).toBeUndefined();
  });

  it("counts the lines of a wrapped header with words kept whole", () => {
    expect(wrappedLines("Customers", 14)).toBe(1);
    expect(wrappedLines("Share of customers", 14)).toBe(2);
    expect(wrappedLines("Marginal contribution at the target plan", 14)).toBeGreaterThanOrEqual(4);
  });
});
