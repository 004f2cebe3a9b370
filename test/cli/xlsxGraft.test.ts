import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { readWorkbook, XlsxError } from "../../src/cli/xlsx/readWorkbook";
import { addTabsToXlsx, writeNewWorkbook } from "../../src/cli/xlsx/writeReport";
import { sheetProblems, type ReportSheet } from "../../src/reports/sheet";

/** A small tab: title, an input block with a formula, a table (named like the user's own table) with formulas and totals, a date, conditional formats. */
function report(name = "Segmentation", tableName = "Orders", look: "good" | "bad" = "good"): ReportSheet {
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
        name: tableName,
        row: 6,
        column: 0,
        headers: ["Segment", "Customers", "Share"],
        rows: [
          ["Champions", 10, { formula: "B8/SUM(B8:B9)", value: 0.25 }],
          ["Lost", 30, { formula: "B9/SUM(B8:B9)", value: 0.75 }],
        ],
        numberFormats: [null, "#,##0", "0.0%"],
        totals: ["Total", { formula: "SUM(B8:B9)", value: 40 }, null],
      },
      { kind: "cells", row: 11, column: 0, values: [["First order", 45000]], numberFormats: [null, "yyyy-mm-dd"] },
    ],
    columnWidths: [18, 12, 10],
    freeze: { rows: 7, columns: 0 },
    conditionalFormats: [
      { range: { row: 7, column: 1, rowCount: 2, columnCount: 1 }, rule: { kind: "dataBar", color: "5B9BD5" } },
      { range: { row: 7, column: 2, rowCount: 2, columnCount: 1 }, rule: { kind: "cellIs", operator: "greaterThan", value: 0.5, look } },
    ],
    charts: [],
    provenance: { sources: ["Orders!A1:C3"], options: [], generatedAt: "2026-11-23T00:00:00Z", notes: [] },
  };
}

const CT = "application/vnd.openxmlformats-officedocument";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/**
 * A workbook as another producer might write it: shared strings, a custom number format (id 164),
 * a style layout unlike ExcelJS's (2 fonts, 3 fills, 2 cellXfs, no dxfs), a table named "Orders",
 * and a drawing and chart part ExcelJS would drop on a re-save.
 */
async function handMadeWorkbook(): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${CT}.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="${CT}.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="${CT}.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="${CT}.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/tables/table1.xml" ContentType="${CT}.spreadsheetml.table+xml"/><Override PartName="/xl/drawings/drawing1.xml" ContentType="${CT}.drawing+xml"/><Override PartName="/xl/charts/chart1.xml" ContentType="${CT}.drawingml.chart+xml"/></Types>`,
  );
  zip.file("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  zip.file(
    "xl/workbook.xml",
    `<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="Orders" sheetId="3" r:id="rId7"/></sheets></workbook>`,
  );
  zip.file(
    "xl/_rels/workbook.xml.rels",
    `<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId8" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId9" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  );
  zip.file(
    "xl/styles.xml",
    `<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.000"/></numFmts><fonts count="2"><font><sz val="10"/><name val="Arial"/></font><font><b/><sz val="10"/><name val="Arial"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFF0000"/></patternFill></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="1" fillId="2" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="1"><dxf><fill><patternFill><bgColor rgb="FF0000FF"/></patternFill></fill></dxf></dxfs></styleSheet>`,
  );
  zip.file("xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="${MAIN}" count="3" uniqueCount="3"><si><t>order_id</t></si><si><t>amount</t></si><si><t>date</t></si></sst>`);
  zip.file(
    "xl/worksheets/sheet1.xml",
    `<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2"><v>1</v></c><c r="B2" s="1"><v>12.5</v></c><c r="C2" s="2"><v>45001</v></c></row><row r="3"><c r="A3"><v>2</v></c><c r="B3" s="1"><f>B2*2</f><v>25</v></c><c r="C3" s="2"><v>45002</v></c></row></sheetData><drawing r:id="rId2"/><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>`,
  );
  zip.file(
    "xl/worksheets/_rels/sheet1.xml.rels",
    `<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/table" Target="../tables/table1.xml"/><Relationship Id="rId2" Type="${REL}/drawing" Target="../drawings/drawing1.xml"/></Relationships>`,
  );
  zip.file(
    "xl/tables/table1.xml",
    `<?xml version="1.0" encoding="UTF-8"?>\n<table xmlns="${MAIN}" id="5" name="Orders" displayName="Orders" ref="A1:C3"><autoFilter ref="A1:C3"/><tableColumns count="3"><tableColumn id="1" name="order_id"/><tableColumn id="2" name="amount"/><tableColumn id="3" name="date"/></tableColumns><tableStyleInfo name="TableStyleLight1" showRowStripes="1"/></table>`,
  );
  zip.file(
    "xl/drawings/drawing1.xml",
    `<?xml version="1.0" encoding="UTF-8"?>\n<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"></xdr:wsDr>`,
  );
  zip.file("xl/charts/chart1.xml", `<?xml version="1.0" encoding="UTF-8"?>\n<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><!-- a chart ExcelJS cannot keep --></c:chartSpace>`);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/**
 * A workbook with prefixed SpreadsheetML elements (as the Open XML SDK writes) and no styles part:
 * the grafted styles part must be added and the new sheet elements must carry the prefix.
 */
async function prefixedWorkbook(withStyles: boolean): Promise<Uint8Array> {
  const zip = new JSZip();
  const styles = withStyles ? `<Relationship Type="${REL}/styles" Target="styles.xml" Id="R10"/>` : "";
  if (withStyles) {
    // No numFmts, borders or dxfs sections: the merge must insert them in schema order.
    zip.file(
      "xl/styles.xml",
      `<?xml version="1.0" encoding="utf-8"?><x:styleSheet xmlns:x="${MAIN}"><x:fonts count="1"><x:font><x:sz val="11"/><x:name val="Calibri"/></x:font></x:fonts><x:fills count="2"><x:fill><x:patternFill patternType="none"/></x:fill><x:fill><x:patternFill patternType="gray125"/></x:fill></x:fills><x:cellXfs count="1"><x:xf numFmtId="0" fontId="0" fillId="0"/></x:cellXfs></x:styleSheet>`,
    );
  }
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${CT}.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/data.xml" ContentType="${CT}.spreadsheetml.worksheet+xml"/>${withStyles ? `<Override PartName="/xl/styles.xml" ContentType="${CT}.spreadsheetml.styles+xml"/>` : ""}</Types>`,
  );
  zip.file("_rels/.rels", `<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="${REL}/officeDocument" Target="/xl/workbook.xml" Id="R1"/></Relationships>`);
  zip.file("xl/workbook.xml", `<?xml version="1.0" encoding="utf-8"?><x:workbook xmlns:x="${MAIN}" xmlns:rel="${REL}"><x:sheets><x:sheet name="Data" sheetId="1" rel:id="R9"/></x:sheets></x:workbook>`);
  zip.file("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="${REL}/worksheet" Target="/xl/worksheets/data.xml" Id="R9"/>${styles}</Relationships>`);
  zip.file(
    "xl/worksheets/data.xml",
    `<?xml version="1.0" encoding="utf-8"?><x:worksheet xmlns:x="${MAIN}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>customer</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>value</x:t></x:is></x:c></x:row><x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>C1</x:t></x:is></x:c><x:c r="B2"><x:v>42</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
  );
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

async function entries(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, Uint8Array>();
  for (const [path, file] of Object.entries(zip.files)) if (!file.dir) out.set(path, await file.async("uint8array"));
  return out;
}

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook;
}

/** The parts addTabsToXlsx is allowed to change. */
const INDEX_PARTS = new Set(["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"]);

/** Checks a grafted report tab as ExcelJS reads it: values, formula results and the styles after the style indices were shifted. */
function expectReportTab(sheet: ExcelJS.Worksheet | undefined, conditionalFill = "FFC6EFCE"): void {
  expect(sheet).toBeDefined();
  const s = sheet!;
  expect(s.getCell("A1").value).toBe("Segments & <value>");
  expect(s.getCell("A1").font).toMatchObject({ bold: true, size: 16 });
  expect(s.getCell("B3").value).toBe(1000);
  expect(s.getCell("B3").numFmt).toBe("#,##0.00");
  expect(s.getCell("B3").fill).toMatchObject({ type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF2CC" } });
  expect(s.getCell("B5").value).toEqual({ formula: "B3*B4", result: 250 });
  expect(s.getCell("A7").value).toBe("Segment");
  expect(s.getCell("C8").value).toEqual({ formula: "B8/SUM(B8:B9)", result: 0.25 });
  expect(s.getCell("C8").numFmt).toBe("0.0%");
  expect(s.getCell("B10").value).toEqual({ formula: "SUM(B8:B9)", result: 40 });
  expect(s.getCell("B12").numFmt).toBe("yyyy-mm-dd");
  expect(s.views[0]).toMatchObject({ state: "frozen", ySplit: 7 });
  expect(s.getColumn(1).width).toBe(18);
  const formats = (s as unknown as { conditionalFormattings: { ref: string; rules: { type: string; style?: { fill?: { bgColor?: { argb?: string } } } }[] }[] }).conditionalFormattings;
  expect(formats.map((f) => [f.ref, f.rules[0].type])).toEqual([
    ["B8:B9", "dataBar"],
    ["C8:C9", "cellIs"],
  ]);
  // The dxf index was shifted with the appended styles: the rule still points at its own fill.
  expect(formats[1].rules[0].style?.fill?.bgColor?.argb).toBe(conditionalFill);
}

function tableIdsAndNames(files: Map<string, Uint8Array>): { ids: number[]; names: string[] } {
  const ids: number[] = [];
  const names: string[] = [];
  for (const [path, data] of files) {
    if (!/^xl\/tables\/.*\.xml$/.test(path)) continue;
    const tag = /<table\b[^>]*>/.exec(Buffer.from(data).toString("utf8"))![0];
    ids.push(Number(/\sid="(\d+)"/.exec(tag)![1]));
    names.push(/\sname="([^"]+)"/.exec(tag)![1]);
  }
  return { ids, names };
}

describe("addTabsToXlsx", () => {
  it("adds tabs twice to another producer's workbook, keeping every original part byte-identical", async () => {
    const original = await handMadeWorkbook();
    const report1 = report();
    expect(sheetProblems(report1)).toEqual([]);
    const first = await addTabsToXlsx(original, [report1]);
    const second = await addTabsToXlsx(first.bytes, [report()]);
    expect(first.names).toEqual(["Segmentation"]);
    expect(second.names).toEqual(["Segmentation 2"]);

    const before = await entries(original);
    const afterFirst = await entries(first.bytes);
    const after = await entries(second.bytes);
    for (const [path, data] of before) {
      expect(after.has(path), path).toBe(true);
      if (!INDEX_PARTS.has(path)) expect(Buffer.from(after.get(path)!).equals(Buffer.from(data)), `${path} changed`).toBe(true);
    }
    // The first run's new parts are original parts for the second run.
    for (const [path, data] of afterFirst) {
      if (!INDEX_PARTS.has(path)) expect(Buffer.from(after.get(path)!).equals(Buffer.from(data)), `${path} changed on the second run`).toBe(true);
    }
    // Styles are appended: the original's formats, fonts, fills and cell formats are still there, in place.
    const stylesBefore = Buffer.from(before.get("xl/styles.xml")!).toString("utf8");
    const stylesAfter = Buffer.from(after.get("xl/styles.xml")!).toString("utf8");
    for (const section of ["numFmts", "fonts", "fills", "cellXfs"]) {
      const inner = new RegExp(`<${section}[^>]*>([\\s\\S]*?)</${section}>`).exec(stylesBefore)![1];
      const innerAfter = new RegExp(`<${section}[^>]*>([\\s\\S]*?)</${section}>`).exec(stylesAfter)![1];
      expect(innerAfter.startsWith(inner), section).toBe(true);
    }
    // Identical formats are reused: the second run adds no styles.
    const stylesFirst = Buffer.from(afterFirst.get("xl/styles.xml")!).toString("utf8");
    expect(stylesAfter).toBe(stylesFirst);
    expect(stylesFirst.length).toBeGreaterThan(stylesBefore.length);
    // The shared strings part is untouched: the new tabs use inline strings.
    expect(after.get("xl/sharedStrings.xml")).toEqual(before.get("xl/sharedStrings.xml"));

    // Table names and ids are unique across the workbook (the report's "Orders" table was renamed).
    const { ids, names } = tableIdsAndNames(after);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(names).toContain("Orders");
    expect(names).toContain("Orders_2");
    expect(names).toContain("Orders_3");

    const workbook = await load(second.bytes);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Orders", "Segmentation", "Segmentation 2"]);
    const orders = workbook.getWorksheet("Orders")!;
    expect(orders.getCell("A1").value).toBe("order_id");
    expect(orders.getCell("B2").value).toBe(12.5);
    expect(orders.getCell("B2").numFmt).toBe("0.000");
    expect(orders.getCell("B2").font).toMatchObject({ bold: true, name: "Arial" });
    expect(orders.getCell("B3").value).toEqual({ formula: "B2*2", result: 25 });
    expectReportTab(workbook.getWorksheet("Segmentation"));
    expectReportTab(workbook.getWorksheet("Segmentation 2"));
    // Only the user's own sheet stays selected.
    const workbookXml = Buffer.from(after.get("xl/workbook.xml")!).toString("utf8");
    expect(workbookXml).toContain('<sheet name="Segmentation 2" sheetId="5"');
    for (const [path, data] of after) {
      if (path.startsWith("xl/worksheets/sheet") && path !== "xl/worksheets/sheet1.xml") expect(Buffer.from(data).toString("utf8")).not.toContain("tabSelected");
    }

    const read = await readWorkbook(second.bytes, "book.xlsx");
    expect(read.map((s) => s.name)).toEqual(["Orders", "Segmentation", "Segmentation 2"]);
    expect(read[0].rows).toEqual([
      ["order_id", "amount", "date"],
      [1, 12.5, 45001],
      [2, 25, 45002],
    ]);
    expect(read[2].rows[4]).toEqual(["Budget", 250]);
  });

  it("adds tabs twice to a workbook written by ExcelJS, with free names next to its own Segmentation tab", async () => {
    const { bytes: original } = await writeNewWorkbook([{ name: "Customers", headers: ["id", "signup"], rows: [["C1", 45000]], numberFormats: [null, "yyyy-mm-dd"] }], [report("Segmentation", "Summary", "bad")]);
    const first = await addTabsToXlsx(original, [report("Segmentation", "Summary"), report("budget", "Summary")]);
    const second = await addTabsToXlsx(first.bytes, [report("SEGMENTATION", "Summary")]);
    expect(first.names).toEqual(["Segmentation 2", "budget"]);
    expect(second.names).toEqual(["SEGMENTATION 3"]);
    const before = await entries(original);
    const after = await entries(second.bytes);
    for (const [path, data] of before) {
      if (!INDEX_PARTS.has(path)) expect(Buffer.from(after.get(path)!).equals(Buffer.from(data)), `${path} changed`).toBe(true);
    }
    const { ids, names } = tableIdsAndNames(after);
    expect(new Set(ids).size).toBe(ids.length);
    expect(names.sort()).toEqual(["Customers", "Summary", "Summary_2", "Summary_3", "Summary_4"]);
    const workbook = await load(second.bytes);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Customers", "Segmentation", "Segmentation 2", "budget", "SEGMENTATION 3"]);
    // The original tab's rule shows red (its own dxf 0); the new tabs' rules show green.
    expectReportTab(workbook.getWorksheet("Segmentation"), "FFFFC7CE");
    for (const name of ["Segmentation 2", "budget", "SEGMENTATION 3"]) expectReportTab(workbook.getWorksheet(name));
    expect(workbook.getWorksheet("Customers")!.getCell("A2").value).toBe("C1");
  });

  it("adds a styles part to a workbook without one, and writes prefixed sheet entries into a prefixed workbook", async () => {
    const original = await prefixedWorkbook(false);
    const { bytes, names } = await addTabsToXlsx(original, [report("Data")]);
    expect(names).toEqual(["Data 2"]);
    const after = await entries(bytes);
    const workbookXml = Buffer.from(after.get("xl/workbook.xml")!).toString("utf8");
    expect(workbookXml).toMatch(/<x:sheet name="Data 2" sheetId="2" rel:id="rIdImc\d+"\/><\/x:sheets>/);
    expect(after.get("xl/worksheets/data.xml")).toEqual((await entries(original)).get("xl/worksheets/data.xml"));
    const contentTypes = Buffer.from(after.get("[Content_Types].xml")!).toString("utf8");
    expect(contentTypes).toContain('PartName="/xl/styles.xml"');
    const styles = Buffer.from(after.get("xl/styles.xml")!).toString("utf8");
    expect(styles).toContain('<cellXfs count="');
    const rels = Buffer.from(after.get("xl/_rels/workbook.xml.rels")!).toString("utf8");
    expect(rels).toMatch(/Type="http:\/\/schemas\.openxmlformats\.org\/officeDocument\/2006\/relationships\/styles" Target="styles\.xml"/);
    // ExcelJS cannot load prefixed workbooks at all (before or after); our reader can.
    const read = await readWorkbook(bytes, "prefixed.xlsx");
    expect(read.map((s) => s.name)).toEqual(["Data", "Data 2"]);
    expect(read[0].rows).toEqual([
      ["customer", "value"],
      ["C1", 42],
    ]);
    expect(read[1].rows[0][0]).toBe("Segments & <value>");
    expect(read[1].rows[4]).toEqual(["Budget", 250]);
    expect(read[1].rows[11]).toEqual(["First order", 45000]);
    // Without the prefixed original in the way, ExcelJS reads the grafted tab with its styles.
    const zip = await JSZip.loadAsync(bytes);
    zip.file("xl/workbook.xml", (await zip.file("xl/workbook.xml")!.async("string")).replace(/x:/g, "").replace("xmlns:x=", "xmlns=").replace(/rel:/g, "r:").replace("xmlns:rel=", "xmlns:r="));
    zip.file("xl/worksheets/data.xml", `<?xml version="1.0" encoding="utf-8"?><worksheet xmlns="${MAIN}"><sheetData/></worksheet>`);
    const workbook = await load(await zip.generateAsync({ type: "uint8array" }));
    expectReportTab(workbook.getWorksheet("Data 2"));
  });

  it("appends styles to a prefixed styles part that lacks sections, keeping the prefix on every element", async () => {
    const original = await prefixedWorkbook(true);
    const { bytes } = await addTabsToXlsx(original, [report()]);
    const after = await entries(bytes);
    const styles = Buffer.from(after.get("xl/styles.xml")!).toString("utf8");
    const elementNames = [...styles.matchAll(/<\/?([A-Za-z_][\w.:-]*)/g)].map((m) => m[1]);
    expect(elementNames.filter((name) => !name.startsWith("x:"))).toEqual([]);
    const order = ["x:numFmts", "x:fonts", "x:fills", "x:borders", "x:cellStyleXfs", "x:cellXfs", "x:dxfs"].map((name) => styles.indexOf(`<${name} `));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The original's own font and cell format keep their positions (index 0).
    expect(styles).toContain('<x:fonts count="');
    expect(/<x:fonts[^>]*><x:font><x:sz val="11"\/><x:name val="Calibri"\/><\/x:font>/.test(styles)).toBe(true);
    expect(/<x:cellXfs[^>]*><x:xf numFmtId="0" fontId="0" fillId="0"\/>/.test(styles)).toBe(true);
    // ExcelJS reads the new tab's styles once the prefixes are removed (it cannot read prefixed parts).
    const zip = await JSZip.loadAsync(bytes);
    for (const path of ["xl/workbook.xml", "xl/styles.xml"]) {
      zip.file(path, (await zip.file(path)!.async("string")).replace(/<(\/?)x:/g, "<$1").replace("xmlns:x=", "xmlns=").replace(/rel:/g, "r:").replace("xmlns:rel=", "xmlns:r="));
    }
    zip.file("xl/worksheets/data.xml", `<?xml version="1.0" encoding="utf-8"?><worksheet xmlns="${MAIN}"><sheetData/></worksheet>`);
    const workbook = await load(await zip.generateAsync({ type: "uint8array" }));
    expectReportTab(workbook.getWorksheet("Segmentation"));
  });

  /** The hand-made workbook with extra elements before <sheets> in workbook.xml. */
  async function handMadeWith(workbookElements: string): Promise<Uint8Array> {
    const zip = await JSZip.loadAsync(await handMadeWorkbook());
    const xml = await zip.file("xl/workbook.xml")!.async("string");
    zip.file("xl/workbook.xml", xml.replace("<sheets>", `${workbookElements}<sheets>`));
    return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
  }

  it("writes dates into a 1904-system workbook as 1904 serials, so they show the same day", async () => {
    const { bytes } = await addTabsToXlsx(await handMadeWith('<workbookPr date1904="1"/>'), [report()]);
    const zip = await JSZip.loadAsync(bytes);
    const sheetXml = await zip.file("xl/worksheets/sheet2.xml")!.async("string");
    expect(sheetXml).toMatch(/<c r="B12" s="\d+"><v>43538<\/v><\/c>/); // 45000 - 1462
    expect(sheetXml).toMatch(/<c r="B3" s="\d+"><v>1000<\/v><\/c>/); // not a date: unchanged
    // Our reader converts 1904 dates back to 1900 serials through the (appended) date style.
    const read = await readWorkbook(bytes, "mac.xlsx");
    expect(read[1].rows[11]).toEqual(["First order", 45000]);
    expect(read[0].rows[1]).toEqual([1, 12.5, 45001 + 1462]);
  });

  it("refuses to add sheets to a workbook whose structure is protected", async () => {
    const original = await handMadeWith('<workbookProtection lockStructure="1"/>');
    await expect(addTabsToXlsx(original, [report()])).rejects.toThrow(/structure is protected/);
  });

  it("rejects a file that is not an xlsx with an XlsxError", async () => {
    await expect(addTabsToXlsx(new Uint8Array([1, 2, 3, 4]), [report()])).rejects.toBeInstanceOf(XlsxError);
  });

  const soffice = ["soffice", "libreoffice"].find((command) => spawnSync("which", [command]).status === 0);
  it.skipIf(!soffice)("LibreOffice opens the grafted workbook and converts every sheet (only when soffice is installed)", async () => {
    const { bytes } = await addTabsToXlsx(await handMadeWorkbook(), [report()]);
    const dir = mkdtempSync(join(tmpdir(), "imc-graft-"));
    try {
      writeFileSync(join(dir, "book.xlsx"), bytes);
      // A profile of its own: two soffice runs at once (test files run in parallel) share none.
      execFileSync(soffice!, [`-env:UserInstallation=file://${join(dir, "profile")}`, "--headless", "--convert-to", "ods", "--outdir", dir, join(dir, "book.xlsx")], { timeout: 60_000 });
      expect(existsSync(join(dir, "book.ods"))).toBe(true);
      expect(readFileSync(join(dir, "book.ods")).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
