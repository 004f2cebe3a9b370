import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { freeSheetName } from "../../src/cli/xlsx/sheetNames";
import { addReportSheet, writeNewWorkbook } from "../../src/cli/xlsx/writeReport";
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
