// The Scorecard from the demo data: every cross-tab formula resolves to a written cell of the right
// tab whose value is the Scorecard's; the figures of every builder are the cells that show them;
// tabs missing from the run fall back to words, never to a reference; the written workbook
// recomputed by HyperFormula (and by LibreOffice headless, when installed) gives the Scorecard the
// numbers of the tabs it reads.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { HyperFormula, type RawCellContent } from "hyperformula";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoWorkbooks } from "../../src/cli/commands/demo";
import { memoryIo } from "../../src/cli/io";
import { addTabsToXlsx } from "../../src/cli/xlsx/writeReport";
import type { AllTabsResult, TabId } from "../../src/reports/allTabs";
import { buildAllTabs } from "../../src/reports/allTabs";
import { businessDataOf, detectTables, type BusinessData } from "../../src/reports/detect";
import { buildScorecardTab } from "../../src/reports/scorecard";
import {
  a1,
  cellAt,
  cellValue,
  finalNames,
  isFormulaCell,
  resolveTabReferences,
  sheetProblems,
  tabCell,
  tabReferences,
  type Cell,
  type ReportSheet,
} from "../../src/reports/sheet";
import { generateSampleBusiness, type SampleBusiness } from "../../src/sample/business";
import { expectClose } from "../support/recalc";

const context = { generatedAt: "2026-12-06T08:00:00.000Z" };
let business: SampleBusiness;
let data: BusinessData;
let result: AllTabsResult;
let bytes: Uint8Array;
let names: string[];

beforeAll(async () => {
  business = generateSampleBusiness({ customers: 900, seed: 5 });
  const sheets = business.tables.map((table) => ({ name: table.name, rows: [table.headers, ...table.rows], numberFormats: table.numberFormats }));
  data = businessDataOf(sheets, detectTables(sheets));
  const { io } = memoryIo({});
  const demo = await demoWorkbooks(business, {}, io);
  result = demo.result;
  bytes = demo.demo.bytes;
  names = demo.demo.names;
}, 120_000);

/** Every formula cell of a sheet with its position. */
function formulaCells(sheet: ReportSheet): { row: number; column: number; formula: string; value: unknown }[] {
  const out: { row: number; column: number; formula: string; value: unknown }[] = [];
  for (const block of sheet.blocks) {
    const rows: readonly (readonly Cell[])[] = block.kind === "table" ? [[], ...block.rows, ...(block.totals ? [block.totals] : [])] : block.values;
    rows.forEach((cells, r) =>
      cells.forEach((cell, c) => {
        if (isFormulaCell(cell)) out.push({ row: block.row + r, column: block.column + c, formula: cell.formula, value: cell.value });
      }),
    );
  }
  return out;
}

/** The cell a plain cross-tab reference token points at: "{{tab:budget}}!$B$40" → budget, row 39, column 1. */
function target(formula: string): { tab: TabId; row: number; column: number } | null {
  const match = /^\{\{tab:([a-z-]+)\}\}!\$([A-Z]+)\$(\d+)$/.exec(formula);
  if (match === null) return null;
  let column = 0;
  for (const letter of match[2]) column = column * 26 + letter.charCodeAt(0) - 64;
  return { tab: match[1] as TabId, row: Number(match[3]) - 1, column: column - 1 };
}

function scorecard(run: AllTabsResult = result): ReportSheet {
  const sheet = run.sheets.find((candidate) => candidate.tab === "scorecard");
  expect(sheet).toBeDefined();
  return sheet!;
}

describe("cross-tab references", () => {
  it("tabCell makes a token that every writer resolves to the quoted final sheet name", () => {
    const token = tabCell("customer-value", 5, 2);
    expect(tabReferences(`${token}*2+${tabCell("budget", 0, 0)}`)).toEqual(["customer-value", "budget"]);
    expect(resolveTabReferences(`${token}*2`, (tab) => (tab === "customer-value" ? "Customer Value 2" : undefined))).toBe("'Customer Value 2'!$C$6*2");
    expect(resolveTabReferences(token, () => "Bob's tab")).toBe("'Bob''s tab'!$C$6");
    // A tab not written: no formula at all (the writer writes the value).
    expect(resolveTabReferences(`${token}+1`, () => undefined)).toBeNull();
    expect(finalNames([{ tab: "budget" }, {}], ["Budget 2", "Other"])("budget")).toBe("Budget 2");
  });
});

describe("the Scorecard of the demo", () => {
  it("is the first tab, well formed, and says what it is", () => {
    expect(result.sheets[0].tab).toBe("scorecard");
    expect(result.sheets[0].name).toBe("Scorecard");
    expect(sheetProblems(scorecard())).toEqual([]);
    expect(cellValue(cellAt(scorecard(), 0, 0)!)).toBe("Scorecard");
    const text = scorecard().blocks.flatMap((block) => (block.kind === "cells" ? block.values.flat().map(cellValue) : []));
    for (const heading of ["At a glance", "1. Identify customers by what they do", "2. Value customers", "3. Plan delivery and content", "4. Return on customer investment (ROCI)", "5. Budget, allocate, evaluate", "Contribution", "Commitment", "Champions", "Where these numbers come from"]) {
      expect(text, heading).toContain(heading);
    }
  });

  it("every cross-tab formula points at a written cell of a tab built in the run, showing the Scorecard's value", () => {
    const built = new Map(result.sheets.map((sheet) => [sheet.tab!, sheet]));
    let references = 0;
    for (const cell of formulaCells(scorecard())) {
      const tabs = tabReferences(cell.formula);
      if (tabs.length === 0) continue;
      references++;
      const point = target(cell.formula);
      expect(point, `${a1(cell.row, cell.column)}: ${cell.formula} is a plain reference`).not.toBeNull();
      const sheet = built.get(point!.tab);
      expect(sheet, `${a1(cell.row, cell.column)} refers to ${point!.tab}, built in the run`).toBeDefined();
      const shown = cellAt(sheet!, point!.row, point!.column);
      expect(shown, `${cell.formula} is written`).toBeDefined();
      expect(cellValue(shown!), `${a1(cell.row, cell.column)} = ${cell.formula}`).toEqual(cell.value);
    }
    // The five older tabs are all read: customers, CLV, ROCI, ROAS, CLV : CAC, CLV per segment...
    expect(references).toBeGreaterThanOrEqual(15);
    const read = new Set(formulaCells(scorecard()).flatMap((cell) => tabReferences(cell.formula)));
    for (const tab of ["segmentation", "customer-value", "attribution", "campaign-kpis", "budget"] as const) expect(read, tab).toContain(tab);
  });

  it("names the tab each number comes from beside it", () => {
    const sheet = scorecard();
    for (const cell of formulaCells(sheet)) {
      const point = target(cell.formula);
      if (point === null || cell.column !== 1) continue;
      const title = result.sheets.find((candidate) => candidate.tab === point.tab)!.name;
      expect(cellValue(cellAt(sheet, cell.row, 2)!), a1(cell.row, 2)).toBe(`${title} tab`);
    }
  });

  it("states its rules and gives the advice by a formula over the number", () => {
    const sheet = scorecard();
    const advice = formulaCells(sheet).filter((cell) => cell.formula.startsWith("IF("));
    expect(advice.length).toBeGreaterThanOrEqual(4);
    for (const cell of advice) {
      expect(cellValue(cellAt(sheet, cell.row, 0)!)).toBe("What to do next");
      expect(String(cellValue(cellAt(sheet, cell.row + 1, 1)!))).toMatch(/^Rule: .+ (below|at least) .+ → /);
    }
    // CLV : CAC below 3 → cut acquisition spend or raise first-order margin.
    const clvToCac = result.figures.get("budget")!.find((figure) => figure.key === "budget.clvToCac")!;
    const rule = advice.find((cell) => /CLV : CAC|first-order margin/.test(cell.formula));
    expect(rule).toBeDefined();
    expect(String(rule!.value).startsWith((clvToCac.value as number) < 3 ? "Cut acquisition spend or raise first-order margin" : "Acquisition pays for itself")).toBe(true);
  });

  it("says in words what the data does not measure", () => {
    const text = scorecard().blocks.flatMap((block) => (block.kind === "cells" ? block.values.flat().map(cellValue) : []));
    if (!data.survey) expect(text).toContain("No survey in the workbook: NPS not measured.");
    if (!data.referrals) expect(text).toContain("No referral column in the workbook: referrals not measured.");
    for (const entry of result.skipped) {
      expect(text.some((value) => typeof value === "string" && value.startsWith(`Not measured: the ${entry.title} tab`)), entry.title).toBe(true);
    }
  });

  it("lists the tabs not built in its provenance", () => {
    for (const entry of result.skipped) expect(scorecard().provenance.notes).toContain(`Not built in this run: the ${entry.title} tab, because ${entry.reason}.`);
  });
});

describe("the figures of every builder", () => {
  const documented: Readonly<Partial<Record<TabId, readonly string[]>>> = {
    segmentation: ["segmentation.customers", "segmentation.repeatRate", "segmentation.revenue", "segmentation.championsShare", "segmentation.championsRevenueShare", "segmentation.averageClv.Champions"],
    "customer-value": ["customerValue.totalClv", "customerValue.averageClv", "customerValue.likelyActive", "customerValue.highValueAtRisk"],
    attribution: ["attribution.topChannel", "attribution.topChannelShare", "attribution.valueCredited", "attribution.blendedRoci"],
    "campaign-kpis": ["campaignKpis.spend", "campaignKpis.revenue", "campaignKpis.roas", "campaignKpis.rulesBroken"],
    budget: ["budget.budget", "budget.newCustomers", "budget.cac", "budget.retentionRate", "budget.newCustomerClv", "budget.clvToCac", "budget.minimumClvToCac"],
    scorecard: ["scorecard.revenue12", "scorecard.returningShare"],
  };

  it("publishes the documented keys, each the cell that shows its value in its format", () => {
    for (const sheet of result.sheets) {
      const figures = result.figures.get(sheet.tab!) ?? [];
      const keys = figures.map((figure) => figure.key);
      for (const key of documented[sheet.tab!] ?? []) expect(keys, sheet.name).toContain(key);
      expect(new Set(keys).size, `${sheet.name}: keys are unique`).toBe(keys.length);
      for (const figure of figures) {
        const cell = cellAt(sheet, figure.row, figure.column);
        expect(cell, `${figure.key} at ${a1(figure.row, figure.column)} is written`).toBeDefined();
        expect(cellValue(cell!), figure.key).toEqual(figure.value);
        expect(figure.label.length, figure.key).toBeGreaterThan(3);
        if (typeof figure.value === "number") expect(figure.format, `${figure.key} has a number format`).toBeTruthy();
      }
    }
  });

  it("the shares and the CLV per segment agree with the tabs' own tables", () => {
    const segmentation = result.figures.get("segmentation")!;
    const value = (key: string) => segmentation.find((figure) => figure.key === key)!.value as number;
    expect(value("segmentation.championsShare")).toBeGreaterThan(0);
    expect(value("segmentation.championsShare")).toBeLessThan(1);
    expect(value("segmentation.repeatRate")).toBeGreaterThan(0);
    const customers = new Set(business.tables.find((t) => t.name === "Orders")!.rows.map((row) => String(row[1])));
    expect(value("segmentation.customers")).toBeLessThanOrEqual(customers.size);
  });
});

describe("tabs missing from the run", () => {
  it("a Scorecard with only the Budget tab refers to the Budget tab alone and says why the rest is not measured", () => {
    const run = buildAllTabs(data, { tabs: ["scorecard", "budget"] }, context);
    expect(run.sheets.map((sheet) => sheet.tab)).toEqual(["scorecard", "budget"]);
    const read = new Set(formulaCells(scorecard(run)).flatMap((cell) => tabReferences(cell.formula)));
    expect([...read]).toEqual(["budget"]);
    const text = scorecard(run).blocks.flatMap((block) => (block.kind === "cells" ? block.values.flat().map(cellValue) : []));
    expect(text).toContain("Not measured: the Segmentation tab is not in this run.");
  });

  it("without figures, the Scorecard stands on the orders alone", () => {
    const built = buildScorecardTab(data, { asOf: null, figures: new Map(), skipped: [], segmentByCustomer: null, modelFailure: null }, context);
    expect(formulaCells(built.sheet).every((cell) => tabReferences(cell.formula).length === 0)).toBe(true);
    expect(built.figures.map((figure) => figure.key)).toContain("scorecard.revenue12");
  });

  it("a writer given the Scorecard without the tabs it reads writes their values, never a reference", async () => {
    const alone = await addTabsToXlsx(bytes.slice(0), [scorecard()]);
    const zip = await JSZip.loadAsync(alone.bytes);
    for (const file of Object.keys(zip.files).filter((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name))) {
      const xml = await zip.file(file)!.async("string");
      expect(xml, file).not.toContain("{{tab:");
    }
  });

  it("NPS and referrals from a survey and a referral table, NPS per RFM segment by customer id", () => {
    const orders = data.orders!;
    const ids = orders.customerIds.slice(0, 300);
    const scores = ids.map((_, i) => [10, 9, 8, 7, 3, 10, 6, 9][i % 8]);
    const withSurvey: BusinessData = {
      ...data,
      survey: { source: "Survey!A1:B301", customerIds: ids, scores },
      referrals: { source: "Referrals!A1:B11", customerIds: ids.slice(0, 10), counts: ids.slice(0, 10).map(() => 2) },
    };
    const run = buildAllTabs(withSurvey, { tabs: ["scorecard", "segmentation"] }, context);
    const figures = run.figures.get("scorecard")!;
    const promoters = scores.filter((s) => s >= 9).length;
    const detractors = scores.filter((s) => s <= 6).length;
    const nps = figures.find((figure) => figure.key === "scorecard.nps")!;
    expect(nps.value).toBeCloseTo(Math.round(((promoters - detractors) / scores.length) * 1000) / 10, 9);
    const customers = run.figures.get("segmentation")!.find((figure) => figure.key === "segmentation.customers")!.value as number;
    expect(figures.find((figure) => figure.key === "scorecard.referralsPer100")!.value).toBeCloseTo((100 * 20) / customers, 9);
    const table = scorecard(run).blocks.find((block) => block.kind === "table" && block.name === "ScorecardNpsBySegment");
    expect(table).toBeDefined();
    if (table?.kind === "table") expect(table.rows.reduce((sum, row) => sum + (cellValue(row[2]) as number), 0)).toBe(scores.length);
    expect(sheetProblems(scorecard(run))).toEqual([]);
  });
});

/** The generated sheets of a written workbook as HyperFormula sheets (formulas as written, dates as serials). */
async function hyperFormulaOf(book: Uint8Array, generated: readonly string[]): Promise<{ hf: HyperFormula; cached: Map<string, unknown>; formulas: Map<string, string> }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(book as unknown as ArrayBuffer);
  const sheets: Record<string, RawCellContent[][]> = {};
  const cached = new Map<string, unknown>();
  const formulas = new Map<string, string>();
  for (const name of generated) {
    const worksheet = workbook.getWorksheet(name)!;
    const grid: RawCellContent[][] = [];
    worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      row.eachCell({ includeEmpty: false }, (cell, columnNumber) => {
        const line = (grid[rowNumber - 1] ??= []);
        const value = cell.value as unknown;
        const plain = (v: unknown): RawCellContent => {
          if (v instanceof Date) return v.getTime() / 86_400_000 + 25_569;
          if (typeof v === "string") return `'${v}`;
          if (typeof v === "number" || typeof v === "boolean") return v;
          if (v && typeof v === "object" && "richText" in v) return `'${(v as { richText: { text: string }[] }).richText.map((t) => t.text).join("")}`;
          return null;
        };
        if (value && typeof value === "object" && "formula" in value) {
          const formula = (value as { formula: string }).formula;
          line[columnNumber - 1] = `=${formula}`;
          const key = `${name}!${a1(rowNumber - 1, columnNumber - 1)}`;
          formulas.set(key, formula);
          const result = (value as { result?: unknown }).result;
          cached.set(key, result instanceof Date ? result.getTime() / 86_400_000 + 25_569 : result);
        } else line[columnNumber - 1] = plain(value);
      });
    });
    sheets[name] = Array.from(grid, (line) => Array.from(line ?? [], (cell) => cell ?? null));
  }
  return { hf: HyperFormula.buildFromSheets(sheets, { licenseKey: "gpl-v3" }), cached, formulas };
}

/** "'Customer Value'!$C$6" → sheet, row, column. */
function reference(formula: string): { sheet: string; row: number; column: number } | null {
  const match = /^'((?:[^']|'')+)'!\$([A-Z]+)\$(\d+)$/.exec(formula);
  if (match === null) return null;
  let column = 0;
  for (const letter of match[2]) column = column * 26 + letter.charCodeAt(0) - 64;
  return { sheet: match[1].replace(/''/g, "'"), row: Number(match[3]) - 1, column: column - 1 };
}

describe("the written demo workbook", () => {
  const generatedOf = () => names.slice(names.indexOf("Scorecard"));

  it("has the Scorecard first among the generated tabs, with formulas naming the tabs as written", async () => {
    expect(generatedOf()[0]).toBe("Scorecard");
    expect(generatedOf()).toEqual(result.sheets.map((sheet) => sheet.name));
    const zip = await JSZip.loadAsync(bytes);
    for (const file of Object.keys(zip.files).filter((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name))) {
      expect(await zip.file(file)!.async("string"), file).not.toContain("{{tab:");
    }
  });

  it("recomputed by HyperFormula, each Scorecard formula equals its stored value and the cell of the tab it reads", async () => {
    const generated = generatedOf();
    const { hf, cached, formulas } = await hyperFormulaOf(bytes, generated);
    try {
      const sheetId = hf.getSheetId("Scorecard")!;
      let crossTab = 0;
      for (const [key, formula] of formulas) {
        if (!key.startsWith("Scorecard!")) continue;
        const address = key.slice("Scorecard!".length);
        const at = hf.simpleCellAddressFromString(address, sheetId)!;
        const actual = hf.getCellValue(at);
        expectClose(actual, cached.get(key), key);
        const point = reference(formula);
        if (point === null) continue;
        crossTab++;
        expect(generated, `${key} reads a generated tab`).toContain(point.sheet);
        const read = hf.getCellValue({ sheet: hf.getSheetId(point.sheet)!, row: point.row, col: point.column });
        expectClose(actual, read, `${key} = ${formula}`);
      }
      expect(crossTab).toBeGreaterThanOrEqual(15);
    } finally {
      hf.destroy();
    }
  }, 120_000);
});

describe("the written demo workbook in LibreOffice", () => {
  const soffice = spawnSync("soffice", ["--version"], { encoding: "utf8" });
  const available = soffice.status === 0;
  let dir: string;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!available)("recomputes the Scorecard's formulas (their stored values removed) to the numbers of the tabs they read", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "imc-scorecard-lo-"));
    // The Scorecard's stored formula values are removed: LibreOffice must compute them.
    const zip = await JSZip.loadAsync(bytes);
    const workbookXml = await zip.file("xl/workbook.xml")!.async("string");
    const sheetTags = [...workbookXml.matchAll(/<sheet\b[^>]*name="([^"]+)"[^>]*r:id="([^"]+)"/g)];
    const index = sheetTags.findIndex((tag) => tag[1] === "Scorecard");
    const rels = await zip.file("xl/_rels/workbook.xml.rels")!.async("string");
    const targetPath = new RegExp(`<Relationship\\b[^>]*Id="${sheetTags[index][2]}"[^>]*Target="([^"]+)"`).exec(rels) ?? new RegExp(`<Relationship\\b[^>]*Target="([^"]+)"[^>]*Id="${sheetTags[index][2]}"`).exec(rels);
    const part = `xl/${targetPath![1].replace(/^\/?xl\//, "")}`;
    const xml = await zip.file(part)!.async("string");
    zip.file(part, xml.replace(/(<\/f>)<v>[^<]*<\/v>/g, "$1"));
    const book = path.join(dir, "book.xlsx");
    writeFileSync(book, await zip.generateAsync({ type: "uint8array" }));
    const profile = path.join(dir, "profile");
    mkdirSync(path.join(profile, "user"), { recursive: true });
    writeFileSync(
      path.join(profile, "user", "registrymodifications.xcu"),
      '<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item></oor:items>',
    );
    const run = spawnSync(
      "soffice",
      [`-env:UserInstallation=file://${profile}`, "--headless", "--convert-to", `csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,${index + 1}`, "--outdir", dir, book],
      { encoding: "utf8", timeout: 240_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const csvFile = readdirSync(dir).find((file) => file.endsWith(".csv"));
    expect(csvFile, readdirSync(dir).join(", ")).toBeDefined();
    const rows = parseCsv(readFileSync(path.join(dir, csvFile!), "utf8"));
    const sheet = scorecard();
    let checked = 0;
    for (const cell of formulaCells(sheet)) {
      const shown = rows[cell.row]?.[cell.column];
      expect(shown, `${a1(cell.row, cell.column)} computed by LibreOffice`).toBeDefined();
      if (typeof cell.value === "number") {
        // Raw values, but LibreOffice keeps a percentage's "%": 30.44…% is 0.3044….
        const number = shown!.endsWith("%") ? Number(shown!.slice(0, -1).replace(/[^0-9.eE+-]/g, "")) / 100 : Number(shown!.replace(/[^0-9.eE+-]/g, ""));
        expect(Math.abs(number - cell.value), `${a1(cell.row, cell.column)} = ${cell.formula}: ${shown} against ${cell.value}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(cell.value)));
      } else expect(shown, a1(cell.row, cell.column)).toBe(String(cell.value ?? ""));
      if (tabReferences(cell.formula).length > 0) checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  }, 300_000);

  it.runIf(!available)("is skipped: soffice (LibreOffice) is not installed", () => {
    console.warn("soffice not found: the LibreOffice recalculation of the Scorecard is skipped");
  });
});

/** A CSV as LibreOffice writes it (comma, double quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n") {
      row.push(field.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}


