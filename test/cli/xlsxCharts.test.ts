/**
 * Native charts in the .xlsx writer (src/cli/xlsx/charts.ts, grafted by graft.ts), the opening tab
 * and the tab colour (openingTab.ts). Oracles: the tab descriptions themselves (each ChartSpec's
 * ranges and cell values), the cells ExcelJS reads back, openpyxl (an independent reader of
 * DrawingML charts) and LibreOffice (draws them into a PDF).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chartPartXml, chartReference, quotedSheetName, withDrawingElement } from "../../src/cli/xlsx/charts";
import { anySheetSelected, sheetHeadIsSelected, withActiveTab, withTabSelected } from "../../src/cli/xlsx/openingTab";
import { addTabsToXlsx, writeNewWorkbook } from "../../src/cli/xlsx/writeReport";
import { buildAllTabs } from "../../src/reports/allTabs";
import { businessDataOf, detectTables } from "../../src/reports/detect";
import { a1Range, rangeValues, sheetProblems, type CellValue, type ChartSpec, type ChartType, type RangeRef, type ReportSheet } from "../../src/reports/sheet";
import { generateSampleBusiness } from "../../src/sample/business";

const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// ---------------------------------------------------------------------------------------------
// Reading the charts back from the package.

interface ChartSeriesRead {
  readonly categoryRef: string;
  readonly valueRef: string;
  readonly categoryCache: (string | undefined)[];
  readonly valueCache: (string | undefined)[];
}

interface ChartRead {
  readonly path: string;
  readonly xml: string;
  readonly series: ChartSeriesRead[];
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

function relsOf(xml: string | undefined): { id: string; type: string; target: string }[] {
  return (xml?.match(/<Relationship\b[^>]*>/g) ?? []).map((tag) => ({ id: attr(tag, "Id") ?? "", type: attr(tag, "Type") ?? "", target: attr(tag, "Target") ?? "" }));
}

function resolve(folder: string, target: string): string {
  const parts = (target.startsWith("/") ? target.slice(1) : folder + target).split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === "..") out.pop();
    else if (part !== ".") out.push(part);
  }
  return out.join("/");
}

function cacheOf(fragment: string): (string | undefined)[] {
  const count = Number(/<c:ptCount val="(\d+)"\/>/.exec(fragment)?.[1] ?? 0);
  const values: (string | undefined)[] = Array.from({ length: count }, () => undefined);
  for (const match of fragment.matchAll(/<c:pt idx="(\d+)"><c:v>([^<]*)<\/c:v><\/c:pt>/g)) values[Number(match[1])] = match[2].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  return values;
}

function seriesOf(xml: string): ChartSeriesRead[] {
  return (xml.match(/<c:ser>[\s\S]*?<\/c:ser>/g) ?? []).map((ser) => {
    const category = /<c:(?:cat|xVal)>([\s\S]*?)<\/c:(?:cat|xVal)>/.exec(ser)?.[1] ?? "";
    const value = /<c:(?:val|yVal)>([\s\S]*?)<\/c:(?:val|yVal)>/.exec(ser)?.[1] ?? "";
    const formula = (fragment: string): string => (/<c:f>([^<]*)<\/c:f>/.exec(fragment)?.[1] ?? "").replace(/&apos;/g, "'").replace(/&amp;/g, "&");
    return { categoryRef: formula(category), valueRef: formula(value), categoryCache: cacheOf(category), valueCache: cacheOf(value) };
  });
}

/** The charts of each sheet, by sheet name, in the drawing's order. */
async function chartsBySheet(bytes: Uint8Array): Promise<Map<string, ChartRead[]>> {
  const zip = await JSZip.loadAsync(bytes);
  const read = async (path: string): Promise<string | undefined> => zip.file(path)?.async("string");
  const workbookXml = (await read("xl/workbook.xml")) ?? "";
  const workbookRels = relsOf(await read("xl/_rels/workbook.xml.rels"));
  const out = new Map<string, ChartRead[]>();
  for (const tag of workbookXml.match(/<sheet\b[^>]*>/g) ?? []) {
    const name = (attr(tag, "name") ?? "").replace(/&amp;/g, "&").replace(/&apos;/g, "'");
    const rel = workbookRels.find((candidate) => candidate.id === attr(tag, "r:id"));
    const sheetPath = resolve("xl/", rel?.target ?? "");
    const sheetXml = (await read(sheetPath)) ?? "";
    const drawingId = /<drawing r:id="([^"]*)"\/>/.exec(sheetXml)?.[1];
    const charts: ChartRead[] = [];
    if (drawingId) {
      const folder = sheetPath.slice(0, sheetPath.lastIndexOf("/") + 1);
      const sheetRels = relsOf(await read(`${folder}_rels/${sheetPath.slice(folder.length)}.rels`));
      const drawingPath = resolve(folder, sheetRels.find((r) => r.id === drawingId)?.target ?? "");
      const drawingFolder = drawingPath.slice(0, drawingPath.lastIndexOf("/") + 1);
      const drawingXml = (await read(drawingPath)) ?? "";
      const drawingRels = relsOf(await read(`${drawingFolder}_rels/${drawingPath.slice(drawingFolder.length)}.rels`));
      for (const chartTag of drawingXml.match(/<c:chart\b[^>]*>/g) ?? []) {
        const chartPath = resolve(drawingFolder, drawingRels.find((r) => r.id === attr(chartTag, "r:id"))?.target ?? "");
        const xml = (await read(chartPath)) ?? "";
        charts.push({ path: chartPath, xml, series: seriesOf(xml) });
      }
    }
    out.set(name, charts);
  }
  return out;
}

/** The range a chart formula names, checked to be on `sheetName`. */
function rangeOfReference(reference: string, sheetName: string): string {
  const prefix = `${quotedSheetName(sheetName)}!`;
  expect(reference.startsWith(prefix), `${reference} refers to ${sheetName}`).toBe(true);
  return reference.slice(prefix.length);
}

/** A cell as ExcelJS reads it back: a formula's result, a rich or inline text's text. */
function writtenValue(worksheet: ExcelJS.Worksheet, row: number, column: number): CellValue {
  const value = worksheet.getCell(row + 1, column + 1).value;
  if (value === null || value === undefined) return null;
  if (typeof value === "object" && "result" in value) return (value.result ?? null) as CellValue;
  // ExcelJS reads a formula whose cached value is <v>0</v> back without a result (it drops a falsy
  // result); the writer wrote the 0, as the raw part shows.
  if (typeof value === "object" && "formula" in value) return 0;
  if (typeof value === "object" && "richText" in value) return value.richText.map((run) => run.text).join("");
  return value as CellValue;
}

function writtenRange(worksheet: ExcelJS.Worksheet, range: RangeRef): CellValue[] {
  const out: CellValue[] = [];
  for (let r = 0; r < range.rowCount; r++) for (let c = 0; c < range.columnCount; c++) out.push(writtenValue(worksheet, range.row + r, range.column + c));
  return out;
}

function expectCacheEquals(cache: readonly (string | undefined)[], values: readonly CellValue[], what: string): void {
  expect(cache.length, `${what}: cache length`).toBe(values.length);
  values.forEach((value, i) => {
    if (typeof value === "number") expect(Number(cache[i]), `${what} point ${i}`).toBeCloseTo(value, 9);
    else if (value === null) expect(cache[i], `${what} point ${i}`).toBeUndefined();
    else expect(cache[i], `${what} point ${i}`).toBe(String(value));
  });
}

// ---------------------------------------------------------------------------------------------
// A small tab with one chart of every type.

const TYPES: readonly ChartType[] = ["column", "bar", "stackedColumn", "line", "pie", "scatter"];

function everyTypeTab(name = "Chart Test"): ReportSheet {
  const charts: ChartSpec[] = TYPES.map((type, i) => ({
    type,
    title: `Every type: ${type}`,
    categories: { row: 3, column: type === "scatter" ? 1 : 0, rowCount: 4, columnCount: 1 },
    series: [
      { name: "Alpha", values: { row: 3, column: type === "scatter" ? 2 : 1, rowCount: 4, columnCount: 1 } },
      ...(type === "pie" || type === "scatter" ? [] : [{ name: "Beta & co", values: { row: 3, column: 2, rowCount: 4, columnCount: 1 } }]),
    ],
    xAxisTitle: "Segment axis",
    yAxisTitle: "Amount axis",
    valueFormat: "#,##0",
    anchor: { row: 8 + 16 * Math.floor(i / 2), column: 8 * (i % 2), rows: 15, columns: 7 },
  }));
  return {
    name,
    blocks: [
      { kind: "cells", row: 0, column: 0, values: [["Charts of every type"]], style: "title" },
      { kind: "table", name: "ChartData", row: 2, column: 0, headers: ["Segment", "A", "B"], rows: [["One", 10, 4], ["Two <&>", 30, 8], ["Three", 20, 12], ["Four", 5, 1]], numberFormats: [null, "#,##0", "#,##0"] },
    ],
    columnWidths: [12, 8, 8],
    freeze: { rows: 0, columns: 0 },
    conditionalFormats: [{ range: { row: 3, column: 1, rowCount: 4, columnCount: 1 }, rule: { kind: "dataBar", color: "5B9BD5" } }],
    charts,
    provenance: { sources: ["test"], options: [], generatedAt: "2026-12-06T00:00:00Z", notes: [] },
  };
}

describe("chart parts (charts.ts)", () => {
  it("quotes sheet names in chart formulas as Excel does", () => {
    expect(quotedSheetName("Budget")).toBe("Budget");
    expect(quotedSheetName("Customer Value")).toBe("'Customer Value'");
    expect(quotedSheetName("O'Brien")).toBe("'O''Brien'");
    expect(quotedSheetName("A1")).toBe("'A1'");
    expect(quotedSheetName("Segmentation 2")).toBe("'Segmentation 2'");
    expect(chartReference("Customer Value", { row: 13, column: 1, rowCount: 11, columnCount: 1 })).toBe("'Customer Value'!$B$14:$B$24");
  });

  it("writes the plot type, formulas, caches, titles, value format, and a legend only for several series (or a pie)", () => {
    const tab = everyTypeTab();
    const xml = (type: ChartType): string => chartPartXml(tab.charts[TYPES.indexOf(type)], tab, "Chart Test");
    expect(xml("column")).toMatch(/<c:barChart><c:barDir val="col"\/><c:grouping val="clustered"\/>/);
    expect(xml("bar")).toMatch(/<c:barChart><c:barDir val="bar"\/><c:grouping val="clustered"\/>/);
    expect(xml("stackedColumn")).toMatch(/<c:barDir val="col"\/><c:grouping val="stacked"\/>[\s\S]*<c:overlap val="100"\/>/);
    expect(xml("line")).toContain("<c:lineChart>");
    expect(xml("pie")).toContain("<c:pieChart>");
    expect(xml("pie")).not.toContain("<c:valAx>");
    expect(xml("scatter")).toMatch(/<c:scatterChart>[\s\S]*<c:xVal><c:numRef><c:f>'Chart Test'!\$B\$4:\$B\$7<\/c:f>[\s\S]*<c:yVal><c:numRef><c:f>'Chart Test'!\$C\$4:\$C\$7<\/c:f>/);
    const column = xml("column");
    expect(column).toContain("<c:cat><c:strRef><c:f>'Chart Test'!$A$4:$A$7</c:f><c:strCache><c:ptCount val=\"4\"/>");
    expect(column).toContain('<c:pt idx="1"><c:v>Two &lt;&amp;&gt;</c:v></c:pt>');
    expect(column).toContain("<c:val><c:numRef><c:f>'Chart Test'!$B$4:$B$7</c:f><c:numCache><c:formatCode>#,##0</c:formatCode>");
    expect(column).toContain("<a:t>Every type: column</a:t>");
    expect(column).toContain("<a:t>Segment axis</a:t>");
    expect(column).toContain("<a:t>Amount axis</a:t>");
    expect(column).toContain("<c:tx><c:v>Beta &amp; co</c:v></c:tx>");
    expect(column).toMatch(/<c:valAx>[\s\S]*<c:numFmt formatCode="#,##0" sourceLinked="0"\/>/);
    expect(column).toContain("<c:legend>");
    expect(xml("scatter")).not.toContain("<c:legend>");
    expect(xml("pie")).toContain("<c:legend>");
  });

  it("puts <drawing> among the worksheet's own children, before tableParts and extLst, not inside a conditional format", () => {
    const sheet =
      '<worksheet xmlns="m" xmlns:r="' + REL + '"><sheetData><row r="1"/></sheetData>' +
      '<conditionalFormatting sqref="A1"><cfRule type="dataBar" priority="1"><dataBar/><extLst><ext uri="x"><x14:id>1</x14:id></ext></extLst></cfRule></conditionalFormatting>' +
      '<pageMargins left="0.7"/><pageSetup orientation="portrait"/><tableParts count="1"><tablePart r:id="rId1"/></tableParts><extLst><ext uri="y"/></extLst></worksheet>';
    expect(withDrawingElement(sheet, "rIdD")).toContain('<pageSetup orientation="portrait"/><drawing r:id="rIdD"/><tableParts count="1">');
    const bare = '<worksheet xmlns="m"><sheetData/><pageMargins left="0.7"/></worksheet>';
    expect(withDrawingElement(bare, "rIdD")).toBe(`<worksheet xmlns="m"><sheetData/><pageMargins left="0.7"/><drawing xmlns:r="${REL}" r:id="rIdD"/></worksheet>`);
    const extOnly = '<x:worksheet xmlns:x="m" xmlns:r="' + REL + '"><x:sheetData></x:sheetData><x:extLst/></x:worksheet>';
    expect(withDrawingElement(extOnly, "rIdD")).toContain('</x:sheetData><x:drawing r:id="rIdD"/><x:extLst/>');
  });

  it("opens the workbook on a given tab and selects one sheet view", () => {
    expect(withActiveTab('<workbook><bookViews><workbookView xWindow="0" activeTab="0" firstSheet="4"/></bookViews><sheets/></workbook>', "", 3)).toBe(
      '<workbook><bookViews><workbookView xWindow="0" activeTab="3" firstSheet="0"/></bookViews><sheets/></workbook>',
    );
    expect(withActiveTab("<x:workbook><x:sheets/></x:workbook>", "x:", 2)).toBe('<x:workbook><x:bookViews><x:workbookView activeTab="2"/></x:bookViews><x:sheets/></x:workbook>');
    expect(withTabSelected('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')).toBe('<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>');
  });

  it("finds a sheet saved selected from the start of its part, and reads the whole part when the start is not enough", async () => {
    const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
    expect(sheetHeadIsSelected(bytesOf('<worksheet><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetData>'))).toBe(true);
    expect(sheetHeadIsSelected(bytesOf('<x:worksheet><x:sheetViews><x:sheetView workbookViewId="0"/></x:sheetViews><x:sheetData>'))).toBe(false);
    expect(sheetHeadIsSelected(bytesOf('<worksheet><sheetViews><sheetView workbookViewId="0">'))).toBeUndefined();
    // A selected sheet whose cells come first in a big part: only the whole part says so.
    const rows = Array.from({ length: 20_000 }, (_, r) => `<row r="${r + 1}"><c r="A${r + 1}"><v>${(r * 7919) % 1000}</v></c></row>`).join("");
    const zip = new JSZip();
    zip.file("xl/worksheets/sheet1.xml", `<worksheet><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData>${rows}</sheetData></worksheet>`);
    zip.file("xl/worksheets/sheet2.xml", `<worksheet><sheetPr>${" ".repeat(200_000)}</sheetPr><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetData/></worksheet>`);
    const bytes = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
    const wholeReads: string[] = [];
    const whole = (path: string): Uint8Array | undefined => {
      wholeReads.push(path);
      return undefined;
    };
    expect(anySheetSelected(bytes, ["xl/worksheets/sheet1.xml"], whole)).toBe(false);
    expect(wholeReads).toEqual([]);
    expect(anySheetSelected(bytes, ["xl/worksheets/sheet2.xml"], whole)).toBe(false);
    expect(wholeReads).toEqual(["xl/worksheets/sheet2.xml"]);
  });
});

// ---------------------------------------------------------------------------------------------
// The demo's workbook: every chart of every generated tab.

describe("native charts in the demo workbook", () => {
  let tabs: readonly ReportSheet[];
  let names: string[];
  let bytes: Uint8Array;
  let dataSheetCount: number;
  let workbook: ExcelJS.Workbook;
  let charts: Map<string, ChartRead[]>;
  let dir: string;

  beforeAll(async () => {
    // As `imc demo` builds it: the sample's sheets, detected and read as `imc report` reads them.
    const business = generateSampleBusiness({ customers: 600, seed: 11 });
    const sheets = business.tables.map((table) => ({ name: table.name, rows: [table.headers, ...table.rows] }));
    const result = buildAllTabs(businessDataOf(sheets, detectTables(sheets)), { holdoutPeriods: 26 }, { generatedAt: "2026-12-06T00:00:00Z" });
    tabs = result.sheets;
    dataSheetCount = business.tables.length;
    const written = await writeNewWorkbook(business.tables, tabs);
    bytes = written.bytes;
    names = written.names.slice(dataSheetCount);
    workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    charts = await chartsBySheet(bytes);
    dir = mkdtempSync(join(tmpdir(), "imc-charts-"));
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("has a chart part for every ChartSpec, referring to written cells of its own tab, with caches equal to the cells", () => {
    expect(tabs.reduce((n, tab) => n + tab.charts.length, 0)).toBeGreaterThan(5);
    tabs.forEach((tab, t) => {
      const name = names[t];
      expect(sheetProblems(tab), name).toEqual([]);
      const read = charts.get(name) ?? [];
      expect(read.length, `charts on ${name}`).toBe(tab.charts.length);
      const worksheet = workbook.getWorksheet(name);
      if (!worksheet) throw new Error(`no sheet ${name}`);
      tab.charts.forEach((spec, c) => {
        const chart = read[c];
        const series = spec.type === "pie" ? spec.series.slice(0, 1) : spec.series;
        expect(chart.series.length, `${name} "${spec.title}" series`).toBe(series.length);
        expect(chart.xml).toContain(`<a:t>${spec.title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</a:t>`);
        series.forEach((s, i) => {
          const got = chart.series[i];
          expect(rangeOfReference(got.categoryRef, name)).toBe(a1Range(spec.categories, true));
          expect(rangeOfReference(got.valueRef, name)).toBe(a1Range(s.values, true));
          const what = `${name} "${spec.title}" ${s.name}`;
          // The cache holds the tab's values, and the cells written hold the same.
          expectCacheEquals(got.valueCache, rangeValues(tab, s.values), `${what} values`);
          expectCacheEquals(got.valueCache, writtenRange(worksheet, s.values), `${what} values as written`);
          expectCacheEquals(got.categoryCache, writtenRange(worksheet, spec.categories), `${what} categories as written`);
          for (const value of writtenRange(worksheet, s.values)) expect(value === null || typeof value === "number", `${what}: ${String(value)}`).toBe(true);
        });
      });
    });
  });

  it("declares each chart and drawing part in the content types, under part numbers of their own", async () => {
    const zip = await JSZip.loadAsync(bytes);
    const types = (await zip.file("[Content_Types].xml")?.async("string")) ?? "";
    const chartPaths = [...charts.values()].flat().map((chart) => chart.path);
    expect(new Set(chartPaths).size).toBe(chartPaths.length);
    for (const path of chartPaths) expect(types).toContain(`<Override PartName="/${path}" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>`);
    const drawings = Object.keys(zip.files).filter((path) => /^xl\/drawings\/drawing\d+\.xml$/.test(path));
    expect(drawings.length).toBe(tabs.filter((tab) => tab.charts.length > 0).length);
    for (const path of drawings) expect(types).toContain(`<Override PartName="/${path}" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>`);
  });

  it("opens on the first generated tab, the only one selected, and colours the generated tabs", async () => {
    const zip = await JSZip.loadAsync(bytes);
    const workbookXml = (await zip.file("xl/workbook.xml")?.async("string")) ?? "";
    expect(attr(/<workbookView\b[^>]*>/.exec(workbookXml)?.[0] ?? "", "activeTab")).toBe(String(dataSheetCount));
    const workbookRels = relsOf(await zip.file("xl/_rels/workbook.xml.rels")?.async("string"));
    const selected: string[] = [];
    const coloured: string[] = [];
    for (const tag of workbookXml.match(/<sheet\b[^>]*>/g) ?? []) {
      const target = workbookRels.find((rel) => rel.id === attr(tag, "r:id"))?.target ?? "";
      const sheetXml = (await zip.file(resolve("xl/", target))?.async("string")) ?? "";
      if (/<sheetView\b[^>]*\stabSelected="1"/.test(sheetXml)) selected.push(attr(tag, "name") ?? "");
      if (/<sheetPr\b[^>]*>\s*<tabColor rgb="FF1F3864"\/>/.test(sheetXml)) coloured.push(attr(tag, "name") ?? "");
    }
    expect(selected).toEqual([names[0]]);
    expect(coloured).toEqual(names);
  });

  it("grafts again into the workbook that already has charts: its parts stay byte-identical, new charts get new part numbers", async () => {
    const again = await addTabsToXlsx(bytes, [everyTypeTab("Segmentation")]);
    expect(again.names).toEqual(["Segmentation 2"]);
    const before = await JSZip.loadAsync(bytes);
    const after = await JSZip.loadAsync(again.bytes);
    const rewritten = new Set(["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"]);
    for (const path of Object.keys(before.files)) {
      if (rewritten.has(path)) continue;
      const original = await before.file(path)?.async("uint8array");
      expect(Buffer.from((await after.file(path)?.async("uint8array")) ?? []).equals(Buffer.from(original ?? [])), path).toBe(true);
    }
    const afterCharts = await chartsBySheet(again.bytes);
    const added = afterCharts.get("Segmentation 2") ?? [];
    expect(added.length).toBe(TYPES.length);
    for (const chart of added) {
      expect(before.file(chart.path)).toBeNull();
      expect(chart.series[0].valueRef.startsWith("'Segmentation 2'!$")).toBe(true);
    }
    // The first run's tab is saved selected in its own part (unchanged), so the opening tab stays
    // there: moving it would open both tabs grouped.
    const workbookXml = (await after.file("xl/workbook.xml")?.async("string")) ?? "";
    expect(attr(/<workbookView\b[^>]*>/.exec(workbookXml)?.[0] ?? "", "activeTab")).toBe(String(dataSheetCount));
    writeFileSync(join(dir, "again.xlsx"), again.bytes);
  });

  // Debian's python3-openpyxl is in the system Python's packages: try it before a python3 found first on PATH (pyenv).
  const python = ["/usr/bin/python3", "python3"].find((command) => spawnSync(command, ["-c", "import openpyxl"]).status === 0);
  const requireTools = Boolean(process.env.CI);
  it("openpyxl (python3-openpyxl) is installed where CI runs", () => {
    if (!python && !requireTools) console.warn("python3-openpyxl is not installed: the openpyxl chart check is skipped (scripts/setup.sh installs it)");
    expect(python !== undefined || !requireTools, "CI needs python3-openpyxl (apt-get install python3-openpyxl)").toBe(true);
  });

  it.skipIf(!python)("openpyxl finds every chart with its series references", { timeout: 60_000 }, () => {
    const path = join(dir, "demo.xlsx");
    writeFileSync(path, bytes);
    const script = [
      "import json, sys, openpyxl",
      "wb = openpyxl.load_workbook(sys.argv[1])",
      "out = {}",
      "for ws in wb.worksheets:",
      "    charts = []",
      "    for chart in ws._charts:",
      "        series = []",
      "        for s in chart.series:",
      "            cat = s.xVal if s.xVal is not None else s.cat",
      "            val = s.yVal if s.yVal is not None else s.val",
      "            ref = lambda d: (d.numRef or d.strRef).f if d is not None else None",
      "            series.append([ref(cat), ref(val)])",
      "        charts.append({'type': chart.tagname, 'series': series})",
      "    out[ws.title] = charts",
      "print(json.dumps(out))",
    ].join("\n");
    // -W ignore: openpyxl warns that it drops the conditional formats' x14 extensions it does not model.
    const run = spawnSync(python!, ["-W", "ignore", "-c", script, path], { encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const found = JSON.parse(run.stdout) as Record<string, { type: string; series: [string, string][] }[]>;
    const plot: Record<ChartType, string> = { column: "barChart", bar: "barChart", stackedColumn: "barChart", line: "lineChart", pie: "pieChart", scatter: "scatterChart" };
    tabs.forEach((tab, t) => {
      const name = names[t];
      expect(found[name].map((chart) => chart.type)).toEqual(tab.charts.map((spec) => plot[spec.type]));
      tab.charts.forEach((spec, c) => {
        const series = spec.type === "pie" ? spec.series.slice(0, 1) : spec.series;
        expect(found[name][c].series).toEqual(series.map((s) => [chartReference(name, spec.categories), chartReference(name, s.values)]));
      });
    });
  });

  const soffice = ["soffice", "libreoffice"].find((command) => spawnSync("which", [command]).status === 0);
  const pdftotext = spawnSync("which", ["pdftotext"]).status === 0;
  it("LibreOffice and pdftotext are installed where CI runs", () => {
    expect((soffice !== undefined && pdftotext) || !requireTools, "CI needs libreoffice-calc-nogui and poppler-utils").toBe(true);
  });

  it.skipIf(!soffice || !pdftotext)("LibreOffice draws every chart type (its title and axis titles are in the PDF)", { timeout: 120_000 }, async () => {
    const book = join(dir, "types.xlsx");
    const { bytes: typesBytes } = await writeNewWorkbook([{ name: "Data", headers: ["id"], rows: [[1]], numberFormats: [null] }], [everyTypeTab()]);
    writeFileSync(book, typesBytes);
    // A profile of its own: two soffice runs at once (test files run in parallel) share none.
    execFileSync(soffice!, [`-env:UserInstallation=file://${join(dir, "profile")}`, "--headless", "--convert-to", "pdf", "--outdir", dir, book], { timeout: 90_000 });
    const pdf = join(dir, "types.pdf");
    expect(existsSync(pdf)).toBe(true);
    const text = execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" });
    // The titles are only in the charts (no cell holds them).
    for (const type of TYPES) expect(text).toContain(`Every type: ${type}`);
    expect(text).toContain("Amount axis");
    expect(text).toContain("Segment axis");
  });
});
