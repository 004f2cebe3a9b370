/** ReportSheets for the adapter's tests: the sample business's tabs, and a synthetic big table. */
import { buildAllTabs } from "../../src/reports/allTabs";
import { businessDataOf, detectTables, type SheetCells } from "../../src/reports/detect";
import { columnLetters, type Cell, type ReportSheet } from "../../src/reports/sheet";
import { generateSampleBusiness } from "../../src/sample/business";

export const GENERATED_AT = "2026-12-06T04:00:00.000Z";

/**
 * The sample business's tables as the sample workbook holds them (`imc demo`'s
 * sample-business.xlsx): one sheet per table from A1, each an Excel table named after its sheet,
 * with the table's number formats on the data cells. Give them to `createFakeExcel({ sheets })`.
 */
export function sampleSheets(customers: number, seed = 7): SheetCells[] {
  const business = generateSampleBusiness({ customers, seed });
  return business.tables.map((table) => ({
    name: table.name,
    rows: [table.headers, ...table.rows],
    numberFormats: table.numberFormats,
    tables: [{ name: table.name, ref: `A1:${columnLetters(table.headers.length - 1)}${table.rows.length + 1}`, headerRowCount: 1, totalsRowCount: 0 }],
  }));
}

/** Every tab `imc report` builds from the sample business. */
export function sampleTabs(customers: number, seed = 7): readonly ReportSheet[] {
  const sheets = sampleSheets(customers, seed);
  return buildAllTabs(businessDataOf(sheets, detectTables(sheets)), {}, { generatedAt: GENERATED_AT }).sheets;
}

/** A tab holding one table of `rows` × `columns`: ids, dates, amounts, text, and a formula column. */
export function bigTableSheet(rows: number, columns: number): ReportSheet {
  const headers = Array.from({ length: columns }, (_, c) => `Column ${c + 1}`);
  const body: Cell[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: Cell[] = [];
    for (let c = 0; c < columns; c++) {
      if (c === 0) row.push(`C${String(r + 1).padStart(7, "0")}`);
      else if (c === 1) row.push(45000 + (r % 700));
      else if (c === columns - 1) row.push({ formula: `C${r + 3}*2`, value: 0 });
      else row.push(Math.round((r * 7919 + c * 104729) % 1000003) / 100);
    }
    body.push(row);
  }
  return {
    name: "Big",
    blocks: [
      { kind: "cells", row: 0, column: 0, values: [[`A table of ${rows} rows`]], style: "title" },
      { kind: "table", name: "BigTable", row: 1, column: 0, headers, rows: body, numberFormats: headers.map((_, c) => (c === 1 ? "yyyy-mm-dd" : c === 0 ? null : "#,##0.00")) },
    ],
    columnWidths: headers.map(() => 12),
    freeze: { rows: 2, columns: 1 },
    conditionalFormats: [],
    charts: [],
    provenance: { sources: [], options: [], generatedAt: GENERATED_AT, notes: [] },
  };
}
