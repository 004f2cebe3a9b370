import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { dataSheetNames, PartDeflater, rawZipEntries, writeDataWorkbook, zipParts } from "../../src/cli/xlsx/dataWorkbook";
import { readWorkbook } from "../../src/cli/xlsx/readWorkbook";
import { addReportSheet, addTabsToXlsx, DIRECT_ROWS_MIN, writeNewWorkbook, type DataSheet } from "../../src/cli/xlsx/writeReport";
import { sheetProblems, type ReportSheet } from "../../src/reports/sheet";

/** Text that needs every kind of escaping, numbers at the edges of doubles, booleans, blanks and dates. */
const MIXED: DataSheet = {
  name: "Mixed",
  headers: ["text", "amount", "flag", "day", "stamp"],
  numberFormats: ["@", "#,##0.00", null, "yyyy-mm-dd", "yyyy-mm-dd hh:mm"],
  rows: [
    [`a & b < c > d " e ' f`, 1e21, true, 45000, 45000.5],
    ["  padded both ends  ", 5e-324, false, 45001, 45001.25],
    ["bell\u0007here", -1234.5678, null, null, 45002.75],
    ["emoji 😀 ok", 0.1 + 0.2, true, 45003, null],
    ["007", 123456789.123456, false, 45004, 45004 + 1 / 1440],
    ["literal _x0041_ stays", -0, null, 45005, 45005],
    ["line\nbreak\ttab", 1.7976931348623157e308, null, 45006, 45006.999],
    ["lone \uD800 surrogate", Number.NaN, null, null, null],
    [null, null, null, null, null],
    ["", 42, null, null, null],
    ["x".repeat(100), 0, true, 45007, 45007],
  ],
};

/** Rows as readWorkbook returns them: each ends at its last cell (a row without cells is empty). */
function ragged(rows: (string | number | boolean | null)[][]): (string | number | boolean | null)[][] {
  return rows.map((row) => {
    let end = row.length;
    while (end > 0 && row[end - 1] === null) end--;
    return row.slice(0, end);
  });
}

/** How readWorkbook reads MIXED back: "" is blank, NaN shows as #NUM!, the lone surrogate as U+FFFD, -0 as 0. */
const MIXED_READ: (string | number | boolean | null)[][] = ragged([
  ["text", "amount", "flag", "day", "stamp"],
  [`a & b < c > d " e ' f`, 1e21, true, 45000, 45000.5],
  ["  padded both ends  ", 5e-324, false, 45001, 45001.25],
  ["bell\u0007here", -1234.5678, null, null, 45002.75],
  ["emoji 😀 ok", 0.1 + 0.2, true, 45003, null],
  ["007", 123456789.123456, false, 45004, 45004 + 1 / 1440],
  ["literal _x0041_ stays", 0, null, 45005, 45005],
  ["line\nbreak\ttab", 1.7976931348623157e308, null, 45006, 45006.999],
  ["lone \uFFFD surrogate", "#NUM!", null, null, null],
  [null, null, null, null, null],
  [null, 42, null, null, null],
  ["x".repeat(100), 0, true, 45007, 45007],
]);

const SHEETS: DataSheet[] = [
  MIXED,
  // Same sheet name (another case): "mixed 2", table "mixed_2".
  { name: "mixed", headers: ["amount", "Amount", ""], numberFormats: [null, null, null], rows: [[1, 2, 3]] },
  // A name that is not a valid table name; no rows: the table covers one blank row.
  { name: "2024 Orders", headers: ["order_id", "value"], numberFormats: ["@", "0.00"], rows: [] },
];

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook;
}

async function entries(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, Uint8Array>();
  for (const [path, file] of Object.entries(zip.files)) if (!file.dir) out.set(path, await file.async("uint8array"));
  return out;
}

function tables(sheet: ExcelJS.Worksheet): { name: string; tableRef: string }[] {
  return (sheet.getTables() as unknown as { table: { name: string; tableRef: string } }[]).map((t) => ({ name: t.table.name, tableRef: t.table.tableRef }));
}

/** Excel serial of an ExcelJS date (ExcelJS reads date-formatted numbers as UTC Dates). */
function serialOf(value: unknown): number {
  return (value as Date).getTime() / 86_400_000 + 25569;
}

function tab(): ReportSheet {
  return {
    name: "Summary",
    blocks: [
      { kind: "cells", row: 0, column: 0, values: [["Totals & more"]], style: "title" },
      {
        kind: "table",
        name: "Mixed",
        row: 2,
        column: 0,
        headers: ["Label", "Value"],
        rows: [
          ["a", 1],
          ["b", { formula: "B4*2", value: 2 }],
        ],
        numberFormats: [null, "#,##0"],
      },
    ],
    columnWidths: [12, 10],
    freeze: { rows: 3, columns: 0 },
    conditionalFormats: [],
    charts: [],
    provenance: { sources: ["Mixed!A1:E12"], options: [], generatedAt: "2026-11-23T00:00:00Z", notes: [] },
  };
}

describe("writeDataWorkbook", () => {
  it("writes tricky values that ExcelJS reads back with their values, number formats, tables, frozen header and widths", async () => {
    const bytes = await writeDataWorkbook(SHEETS);
    const workbook = await load(bytes);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Mixed", "mixed 2", "2024 Orders"]);
    expect(dataSheetNames(SHEETS)).toEqual(["Mixed", "mixed 2", "2024 Orders"]);
    const sheet = workbook.getWorksheet("Mixed")!;
    expect(sheet.getCell("A1").value).toBe("text");
    expect(sheet.getCell("A1").font?.bold).toBe(true);
    expect(sheet.getCell("A2").value).toBe(`a & b < c > d " e ' f`);
    expect(sheet.getCell("A3").value).toBe("  padded both ends  ");
    // ExcelJS does not decode "_xHHHH_" escapes in inline strings (Excel and readWorkbook do): A4 and A7 are checked below with readWorkbook.
    expect(sheet.getCell("A4").value).toBe("bell_x0007_here");
    expect(sheet.getCell("A5").value).toBe("emoji 😀 ok");
    expect(sheet.getCell("A6").value).toBe("007");
    expect(sheet.getCell("A8").value).toBe("line\nbreak\ttab");
    expect(sheet.getCell("A9").value).toBe("lone \uFFFD surrogate");
    expect(sheet.getCell("A10").value).toBeNull();
    expect(sheet.getCell("A11").value).toBeNull();
    expect(sheet.getCell("B2").value).toBe(1e21);
    expect(sheet.getCell("B3").value).toBe(5e-324);
    expect(sheet.getCell("B4").value).toBe(-1234.5678);
    expect(sheet.getCell("B5").value).toBe(0.1 + 0.2);
    expect(sheet.getCell("B8").value).toBe(1.7976931348623157e308);
    expect(sheet.getCell("B9").value).toEqual({ error: "#NUM!" });
    expect(sheet.getCell("C2").value).toBe(true);
    expect(sheet.getCell("C3").value).toBe(false);
    expect(sheet.getCell("C4").value).toBeNull();
    expect(serialOf(sheet.getCell("D2").value)).toBeCloseTo(45000, 9);
    expect(serialOf(sheet.getCell("E3").value)).toBeCloseTo(45001.25, 9);
    expect(serialOf(sheet.getCell("E6").value)).toBeCloseTo(45004 + 1 / 1440, 9);
    expect(sheet.getCell("A6").numFmt).toBe("@");
    expect(sheet.getCell("B2").numFmt).toBe("#,##0.00");
    expect(sheet.getCell("D2").numFmt).toBe("yyyy-mm-dd");
    expect(sheet.getCell("E2").numFmt).toBe("yyyy-mm-dd hh:mm");
    expect(sheet.getCell("C2").numFmt).toBeUndefined();
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1, topLeftCell: "A2" });
    expect(tables(sheet)).toEqual([{ name: "Mixed", tableRef: "A1:E12" }]);
    // Widths follow the data within 8..60 characters: the 100-character text is capped.
    expect(sheet.getColumn(1).width).toBe(60);
    expect(sheet.getColumn(3).width).toBe(8);
    expect(sheet.getColumn(4).width).toBeGreaterThanOrEqual("yyyy-mm-dd".length);
    expect(sheet.getColumn(5).width).toBeGreaterThanOrEqual("yyyy-mm-dd hh:mm".length);

    const second = workbook.getWorksheet("mixed 2")!;
    // Header names are made unique and non-blank for the table, and the header cells show them.
    expect([1, 2, 3].map((c) => second.getCell(1, c).value)).toEqual(["amount", "Amount2", "Column3"]);
    expect(tables(second)).toEqual([{ name: "mixed_2", tableRef: "A1:C2" }]);
    const orders = workbook.getWorksheet("2024 Orders")!;
    expect(tables(orders)).toEqual([{ name: "T_2024_Orders", tableRef: "A1:B2" }]);
    expect(orders.getCell("A2").value).toBeNull();
  });

  it("is read back exactly by readWorkbook (values, blanks, escapes, dates as serials)", async () => {
    const read = await readWorkbook(await writeDataWorkbook(SHEETS), "mixed.xlsx");
    expect(read.map((s) => s.name)).toEqual(["Mixed", "mixed 2", "2024 Orders"]);
    expect(read[0].rows).toEqual(MIXED_READ);
    expect(read[1].rows).toEqual([
      ["amount", "Amount2", "Column3"],
      [1, 2, 3],
    ]);
    expect(read[2].rows).toEqual([["order_id", "value"]]);
  });

  it("writes the parts Excel expects: worksheet elements in schema order, tables with autoFilter and columns, styles with the formats", async () => {
    const files = await entries(await writeDataWorkbook(SHEETS));
    const text = (path: string): string => Buffer.from(files.get(path)!).toString("utf8");
    expect([...files.keys()].sort()).toEqual(
      [
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/app.xml",
        "docProps/core.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/workbook.xml",
        ...[1, 2, 3].flatMap((n) => [`xl/worksheets/sheet${n}.xml`, `xl/worksheets/_rels/sheet${n}.xml.rels`, `xl/tables/table${n}.xml`]),
      ].sort(),
    );
    const sheet = text("xl/worksheets/sheet1.xml");
    const order = ["<dimension ", "<sheetViews>", "<sheetFormatPr ", "<cols>", "<sheetData>", "<pageMargins ", "<tableParts "].map((tag) => sheet.indexOf(tag));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(sheet).toContain('<dimension ref="A1:E12"/>');
    expect(sheet).toContain('<t xml:space="preserve">  padded both ends  </t>');
    expect(sheet).toContain("bell_x0007_here");
    expect(sheet).toContain("literal _x005F_x0041_ stays");
    expect(sheet).toContain("a &amp; b &lt; c &gt; d");
    const table = text("xl/tables/table1.xml");
    expect(table).toMatch(/<table [^>]*id="1" name="Mixed" displayName="Mixed" ref="A1:E12"/);
    expect(table).toContain('<autoFilter ref="A1:E12"/>');
    expect(table).toContain('<tableColumns count="5"><tableColumn id="1" name="text"/>');
    expect(table).toContain('<tableStyleInfo name="TableStyleMedium2"');
    const styles = text("xl/styles.xml");
    expect(styles).toContain('formatCode="yyyy-mm-dd"');
    expect(styles).toContain('formatCode="yyyy-mm-dd hh:mm"');
    const contentTypes = text("[Content_Types].xml");
    for (const n of [1, 2, 3]) expect(contentTypes).toContain(`PartName="/xl/tables/table${n}.xml"`);
  });

  it("accepts addTabsToXlsx, which keeps the data parts byte-identical", async () => {
    const original = await writeDataWorkbook(SHEETS);
    const report = tab();
    expect(sheetProblems(report)).toEqual([]);
    const { bytes, names } = await addTabsToXlsx(original, [report]);
    expect(names).toEqual(["Summary"]);
    const before = await entries(original);
    const after = await entries(bytes);
    const changed = new Set(["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"]);
    for (const [path, data] of before) {
      if (changed.has(path)) continue;
      expect(Buffer.from(after.get(path)!).equals(Buffer.from(data)), `${path} changed`).toBe(true);
    }
    // The original entries are copied compressed as they were, not re-deflated.
    const rawBefore = new Map(rawZipEntries(original)!.map(({ path, entry }) => [path, entry]));
    for (const { path, entry } of rawZipEntries(bytes)!) {
      const old = rawBefore.get(path);
      if (old && !changed.has(path)) expect(Buffer.from(entry.data).equals(Buffer.from(old.data)), path).toBe(true);
    }
    const read = await readWorkbook(bytes, "grafted.xlsx");
    expect(read.map((s) => s.name)).toEqual(["Mixed", "mixed 2", "2024 Orders", "Summary"]);
    expect(read[0].rows).toEqual(MIXED_READ);
    const workbook = await load(bytes);
    const summary = workbook.getWorksheet("Summary")!;
    expect(summary.getCell("A1").value).toBe("Totals & more");
    expect(summary.getCell("B5").value).toEqual({ formula: "B4*2", result: 2 });
    // The report's table "Mixed" takes a free name: "Mixed" and "mixed_2" are the data tables'.
    expect(tables(summary).map((t) => t.name)).toEqual(["Mixed_3"]);
    expect(workbook.getWorksheet("Mixed")!.getCell("B2").numFmt).toBe("#,##0.00");
  });

  it("writeNewWorkbook writes the data sheets with it and adds the reports in the same file", async () => {
    const { bytes, names } = await writeNewWorkbook([MIXED], [tab()]);
    expect(names).toEqual(["Mixed", "Summary"]);
    const read = await readWorkbook(bytes, "new.xlsx");
    expect(read[0].rows).toEqual(MIXED_READ);
    expect(read[1].rows[0]).toEqual(["Totals & more"]);
  });

  it("refuses text longer than Excel allows in a cell, naming the sheet and cell", async () => {
    const long: DataSheet = { name: "Notes", headers: ["note"], numberFormats: [null], rows: [["ok"], ["y".repeat(32_768)]] };
    await expect(writeDataWorkbook([long])).rejects.toThrow(/sheet "Notes" cell A3 holds 32,768 characters/);
  });

  it("writes 20,000 rows quickly (well under ExcelJS's time)", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [`C${String(i).padStart(6, "0")}`, 45000 + i / 24, i * 1.25, i % 2 === 0]);
    const sheet: DataSheet = { name: "Big", headers: ["id", "when", "value", "even"], numberFormats: ["@", "yyyy-mm-dd hh:mm", "#,##0.00", null], rows };
    const started = performance.now();
    const bytes = await writeDataWorkbook([sheet]);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(5_000);
    const read = await readWorkbook(bytes, "big.xlsx");
    expect(read[0].rows.length).toBe(20_001);
    expect(read[0].rows[20_000]).toEqual(rows[19_999]);
  });
});

describe("zipParts and rawZipEntries", () => {
  it("copy entries of a stored (uncompressed) zip with a comment unchanged, next to deflated text parts", async () => {
    const source = new JSZip();
    source.file("a.txt", "stored text é");
    source.file("b/c.xml", "<x/>");
    const original = await source.generateAsync({ type: "uint8array", compression: "STORE", comment: "a zip comment" });
    const raw = rawZipEntries(original);
    expect(raw?.map((e) => [e.path, e.entry.method])).toEqual([
      ["a.txt", 0],
      ["b/", 0],
      ["b/c.xml", 0],
    ]);
    const zipped = await zipParts([...raw!.map(({ entry }) => ({ raw: entry })), { path: "new/ü.xml", text: "<new>ü</new>".repeat(100) }]);
    const files = await entries(zipped);
    expect(Buffer.from(files.get("a.txt")!).toString("utf8")).toBe("stored text é");
    expect(Buffer.from(files.get("b/c.xml")!).toString("utf8")).toBe("<x/>");
    expect(Buffer.from(files.get("new/ü.xml")!).toString("utf8")).toBe("<new>ü</new>".repeat(100));
  });

  it("deflate a part added in pieces (compressed apart, joined into one deflate stream) to the bytes of the pieces joined, with their CRC-32", async () => {
    const text = "<row>é ü 中</row>".repeat(5_000);
    const bytes = Buffer.from(text, "utf8");
    // Split at arbitrary byte offsets, even inside a character: the part is their concatenation.
    const deflater = new PartDeflater();
    for (const piece of [bytes.subarray(0, 7), bytes.subarray(7, 30_001), new Uint8Array(0), bytes.subarray(30_001)]) deflater.add(piece);
    const zipped = await zipParts([{ path: "pieces.xml", deflater }, { path: "text.xml", text }]);
    const files = await entries(zipped);
    expect(Buffer.from(files.get("pieces.xml")!).toString("utf8")).toBe(text);
    const raw = rawZipEntries(zipped)!;
    expect(raw[0].entry.crc32).toBe(raw[1].entry.crc32);
    expect(raw[0].entry.uncompressedSize).toBe(bytes.length);
    expect((await deflater.bytes()).equals(bytes)).toBe(true);
  });

  it("deflate an empty part added in no pieces", async () => {
    const files = await entries(await zipParts([{ path: "empty.xml", deflater: new PartDeflater() }]));
    expect(files.get("empty.xml")!.length).toBe(0);
  });

  it("reports a zip it does not copy (not a zip) as undefined", () => {
    expect(rawZipEntries(new Uint8Array([1, 2, 3]))).toBeUndefined();
    expect(rawZipEntries(new Uint8Array(100))).toBeUndefined();
  });
});

/** A tab with a small table with formulas and totals (written by ExcelJS) and a big plain table below (rows written directly). */
function bigTab(tricky = false, rowCount = DIRECT_ROWS_MIN + 50): ReportSheet {
  // ExcelJS drops control characters and does not protect a literal "_x0041_" (readers decode it
  // to "A"); the direct rows keep both. `tricky` adds them, for the tests that do not compare with ExcelJS.
  const rows = Array.from({ length: rowCount }, (_, i) => [
    i % 7 === 0 ? `a & b <${i}> "q"${tricky ? " _x0041_ \u0001" : ""}` : `C${String(i).padStart(5, "0")}`,
    i % 5 === 0 ? null : i * 1.5,
    45000 + i,
    i % 3 === 0,
    i % 11 === 0 ? "" : `  spaced ${i} `,
  ]);
  return {
    name: "Customers Tab",
    blocks: [
      { kind: "cells", row: 0, column: 0, values: [["Per customer"]], style: "title" },
      {
        kind: "table",
        name: "Small",
        row: 2,
        column: 0,
        headers: ["k", "v"],
        rows: [
          ["a", 1],
          ["b", { formula: "B4+1", value: 2 }],
        ],
        numberFormats: [null, "#,##0"],
        totals: ["Total", { formula: "SUM(B4:B5)", value: 3 }],
      },
      { kind: "table", name: "Everyone", row: 8, column: 1, headers: ["id", "value", "first", "flag", "note"], rows, numberFormats: [null, "#,##0.00", "yyyy-mm-dd", null, "@"] },
    ],
    columnWidths: [14, 12, 12, 12],
    freeze: { rows: 9, columns: 0 },
    conditionalFormats: [{ range: { row: 9, column: 2, rowCount: rowCount, columnCount: 1 }, rule: { kind: "dataBar", color: "5B9BD5" } }],
    charts: [],
    provenance: { sources: ["Mixed!A1:E12"], options: [], generatedAt: "2026-11-23T00:00:00Z", notes: [] },
  };
}

describe("addTabsToXlsx with a big plain table (data rows written as XML, not through ExcelJS)", () => {
  it("gives the same values, number formats, fonts and table ranges as ExcelJS writing the whole tab", async () => {
    const report = bigTab();
    expect(sheetProblems(report)).toEqual([]);
    const { bytes, names } = await addTabsToXlsx(await writeDataWorkbook([MIXED]), [report]);
    expect(names).toEqual(["Customers Tab"]);
    const reference = new ExcelJS.Workbook();
    addReportSheet(reference, report);
    const referenceBytes = new Uint8Array(await reference.xlsx.writeBuffer());
    const grafted = (await readWorkbook(bytes, "grafted.xlsx"))[1];
    const expected = (await readWorkbook(referenceBytes, "reference.xlsx"))[0];
    expect(grafted.rows.length).toBe(9 + DIRECT_ROWS_MIN + 50);
    expect(grafted).toEqual(expected);
    expect(grafted.rows[9][1]).toBe('a & b <0> "q"');
    expect(grafted.rows[10][5]).toBe("  spaced 1 ");

    const ours = (await load(bytes)).getWorksheet("Customers Tab")!;
    const theirs = (await load(referenceBytes)).getWorksheet("Customers Tab")!;
    let compared = 0;
    theirs.eachRow({ includeEmpty: true }, (row, r) => {
      row.eachCell({ includeEmpty: true }, (cell, c) => {
        const other = ours.getCell(r, c);
        expect([cell.address, other.numFmt, other.font]).toEqual([cell.address, cell.numFmt, cell.font]);
        compared++;
      });
    });
    expect(compared).toBeGreaterThan(5 * (DIRECT_ROWS_MIN + 50));
    expect(tables(ours)).toEqual(tables(theirs));
    expect(tables(ours).find((t) => t.name === "Everyone")?.tableRef).toBe(`B9:F${9 + DIRECT_ROWS_MIN + 50}`);
    const files = await entries(bytes);
    const sheetXml = Buffer.from(files.get("xl/worksheets/sheet2.xml")!).toString("utf8");
    expect(sheetXml).toContain(`<dimension ref="A1:F${9 + DIRECT_ROWS_MIN + 50}"/>`);
    const table = [...files].map(([path, data]) => [path, Buffer.from(data).toString("utf8")]).find(([path, xml]) => path.startsWith("xl/tables/") && xml.includes('name="Everyone"'))![1];
    expect(table).toContain(`<autoFilter ref="B9:F${9 + DIRECT_ROWS_MIN + 50}"`);
  });

  it("writes a big table directly when other blocks follow below it (a tab's provenance), as ExcelJS writes the whole tab", async () => {
    const below = (report: ReportSheet, column: number): ReportSheet => {
      const last = 8 + DIRECT_ROWS_MIN + 50;
      return {
        ...report,
        blocks: [
          ...report.blocks,
          { kind: "cells", row: last + 2, column: 0, values: [["Where these numbers come from"], ["Orders!A1:C90"]], style: "title" },
          { kind: "table", name: "After", row: last + 5, column, headers: ["k", "v"], rows: [["x", 1], ["y", { formula: "C" + String(last + 7) + "+1", value: 2 }]], numberFormats: [null, "#,##0"] },
        ],
      };
    };
    const report = below(bigTab(), 1);
    expect(sheetProblems(report)).toEqual([]);
    const { bytes } = await addTabsToXlsx(await writeDataWorkbook([MIXED]), [report]);
    const reference = new ExcelJS.Workbook();
    addReportSheet(reference, report);
    const grafted = (await readWorkbook(bytes, "grafted.xlsx"))[1];
    expect(grafted).toEqual((await readWorkbook(new Uint8Array(await reference.xlsx.writeBuffer()), "reference.xlsx"))[0]);
    expect(grafted.rows.length).toBe(9 + DIRECT_ROWS_MIN + 50 + 7);
    const ours = (await load(bytes)).getWorksheet("Customers Tab")!;
    expect(ours.getCell(`C${9 + DIRECT_ROWS_MIN + 50 + 7}`).value).toEqual({ formula: `C${8 + DIRECT_ROWS_MIN + 50 + 7}+1`, result: 2 });
    // Only the direct path keeps a control character (ExcelJS drops it): the big table went direct.
    const tricky = (await readWorkbook((await addTabsToXlsx(await writeDataWorkbook([MIXED]), [below(bigTab(true), 1)])).bytes, "tricky.xlsx"))[1];
    expect(tricky.rows[9][1]).toBe('a & b <0> "q" _x0041_ \u0001');
    // A block beside the table's rows keeps it on ExcelJS's path.
    const beside: ReportSheet = { ...bigTab(true), blocks: [...bigTab(true).blocks, { kind: "cells", row: 20, column: 8, values: [["Note beside the rows"]] }] };
    const besideRead = (await readWorkbook((await addTabsToXlsx(await writeDataWorkbook([MIXED]), [beside])).bytes, "beside.xlsx"))[1];
    expect(besideRead.rows[9][1]).toBe('a & b <0> "q" A ');
    expect(besideRead.rows[20 - (besideRead.firstRow ?? 1) + 1][8]).toBe("Note beside the rows");
  });

  it("keeps text that ExcelJS would change: control characters and a literal _x0041_", async () => {
    const { bytes } = await addTabsToXlsx(await writeDataWorkbook([MIXED]), [bigTab(true)]);
    const read = (await readWorkbook(bytes, "tricky.xlsx"))[1];
    expect(read.rows[9][1]).toBe('a & b <0> "q" _x0041_ \u0001');
    expect(read.rows[16][1]).toBe('a & b <7> "q" _x0041_ \u0001');
  });

  it("keeps a big table with formulas on ExcelJS's path (values and formulas intact)", async () => {
    const report = bigTab();
    const block = report.blocks[2] as Extract<ReportSheet["blocks"][number], { kind: "table" }>;
    const withFormula: ReportSheet = { ...report, blocks: [...report.blocks.slice(0, 2), { ...block, rows: block.rows.map((row, i) => (i === 3 ? [row[0], { formula: "1+1", value: 2 }, ...row.slice(2)] : row)) }] };
    const workbook = await load((await addTabsToXlsx(await writeDataWorkbook([MIXED]), [withFormula])).bytes);
    const sheet = workbook.getWorksheet("Customers Tab")!;
    expect(sheet.getCell("C13").value).toEqual({ formula: "1+1", result: 2 });
    expect(sheet.getCell("C12").value).toBe(3);
    expect(tables(sheet).find((t) => t.name === "Everyone")?.tableRef).toBe(`B9:F${9 + DIRECT_ROWS_MIN + 50}`);
  });

  it("writes the direct rows through JSZip's writer too, for an original zip the entry copying does not take (a duplicated entry)", async () => {
    const plain = await writeDataWorkbook([MIXED]);
    const raw = rawZipEntries(plain)!;
    const original = await zipParts([...raw.map(({ entry }) => ({ raw: entry })), { raw: raw[raw.length - 1].entry }]);
    const { bytes } = await addTabsToXlsx(original, [bigTab()]);
    const expected = (await readWorkbook((await addTabsToXlsx(plain, [bigTab()])).bytes, "copied.xlsx"))[1];
    const read = (await readWorkbook(bytes, "rezipped.xlsx"))[1];
    expect(read.rows.length).toBe(9 + DIRECT_ROWS_MIN + 50);
    expect(read).toEqual(expected);
  });

  it("writes the dates of a direct table as 1904 serials into a 1904-system workbook", async () => {
    const zip = await JSZip.loadAsync(await writeDataWorkbook([MIXED]));
    const workbookXml = await zip.file("xl/workbook.xml")!.async("string");
    zip.file("xl/workbook.xml", workbookXml.replace("<workbookPr/>", '<workbookPr date1904="1"/>'));
    const original = await zip.generateAsync({ type: "uint8array" });
    const { bytes } = await addTabsToXlsx(original, [bigTab()]);
    const files = await entries(bytes);
    const sheetXml = Buffer.from(files.get("xl/worksheets/sheet2.xml")!).toString("utf8");
    // Row 11 holds i = 1: first = 45001 in the 1900 system, 45001 - 1462 in the 1904 system.
    expect(sheetXml).toMatch(new RegExp(`<c r="D11"[^>]*><v>${45001 - 1462}</v></c>`));
    const read = (await readWorkbook(bytes, "1904.xlsx"))[1];
    expect(read.rows[10][3]).toBe(45001);
  });
});

const soffice = ["soffice", "libreoffice"].find((command) => spawnSync("which", [command]).status === 0);
it.skipIf(!soffice)(
  "LibreOffice converts the data sheet to CSV showing the values with their formats (only when soffice is installed)",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "imc-data-"));
    try {
      const sheet: DataSheet = {
        name: "Plain",
        headers: ["id", "amount", "big", "flag", "day", "note"],
        numberFormats: ["@", "0.00", "#,##0.00", null, "yyyy-mm-dd", null],
        rows: [
          ["007", 1.5, 1234.5, true, 45000, "a & b <c>"],
          ["  x", -2, -0.25, false, 45001.75, null],
        ],
      };
      writeFileSync(join(dir, "data.xlsx"), await writeDataWorkbook([sheet]));
      // Token 9 "true": save the cells as shown (with their number formats); a profile of its own.
      const filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true";
      execFileSync(soffice!, [`-env:UserInstallation=file://${join(dir, "profile")}`, "--headless", "--convert-to", filter, "--outdir", dir, join(dir, "data.xlsx")], { timeout: 60_000 });
      const csv = readFileSync(join(dir, readdirSync(dir).find((file) => file.endsWith(".csv"))!), "utf8").trim().split(/\r?\n/);
      expect(csv).toEqual(["id,amount,big,flag,day,note", '007,1.50,"1,234.50",TRUE,2023-03-15,a & b <c>', "  x,-2.00,-0.25,FALSE,2023-03-16,"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  90_000,
);
