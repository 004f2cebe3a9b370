// `imc report` on workbooks nobody on the project made: the real CDNOW transactions and the real
// ChannelAttribution paths laid out as people lay out their exports, and thin or odd data. Every
// run must end with the tabs the data allows, a reason for the rest, and the workbook's own parts
// byte-identical.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { writeDataWorkbook } from "../../src/cli/xlsx/dataWorkbook";
import { readWorkbook, type WorkbookSheetData } from "../../src/cli/xlsx/readWorkbook";
import type { DataSheet } from "../../src/cli/xlsx/writeReport";
import { sharedDir, sharedSkipMessage } from "../support/shared";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "imc-real-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Excel serial of a yyyymmdd date. */
function serialOf(yyyymmdd: string): number {
  return (Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

/** CDNOW_sample.txt as rows: [master id, sample id, yyyymmdd, CDs, dollars]. */
function cdnowRows(): string[][] | null {
  const folder = sharedDir("data", "cdnow");
  if (folder === null) return null;
  return readFileSync(path.join(folder, "CDNOW_sample.txt"), "utf8")
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/));
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly book: string;
}

/** Writes the sheets as book.xlsx in a folder of its own and runs `imc report` on it. */
async function report(name: string, sheets: readonly DataSheet[], options: readonly string[] = []): Promise<Run & { original: Uint8Array }> {
  const book = path.join(dir, `${name}.xlsx`);
  const original = await writeDataWorkbook(sheets);
  writeFileSync(book, original);
  const run = memoryIo({ cwd: dir });
  const code = await main(["report", book, "--no-html", ...options], run.io);
  return { code, stdout: run.stdout(), stderr: run.stderr(), book, original };
}

/** Every part of the original is in the result, byte for byte, except the ones a graft must change. */
async function expectOriginalPartsKept(original: Uint8Array, result: Uint8Array): Promise<void> {
  const changing = new Set(["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml", "docProps/app.xml"]);
  const before = await JSZip.loadAsync(original);
  const after = await JSZip.loadAsync(result);
  for (const name of Object.keys(before.files)) {
    if (before.files[name].dir || changing.has(name)) continue;
    const kept = after.file(name);
    expect(kept, name).not.toBeNull();
    expect(Buffer.from(await kept!.async("uint8array")).equals(Buffer.from(await before.file(name)!.async("uint8array"))), name).toBe(true);
  }
}

function sheetOf(sheets: readonly WorkbookSheetData[], name: string): WorkbookSheetData {
  const sheet = sheets.find((candidate) => candidate.name === name);
  if (!sheet) throw new Error(`no sheet ${name} (sheets: ${sheets.map((s) => s.name).join(", ")})`);
  return sheet;
}

/** The number right of the first cell whose text is `label` exactly. */
function valueRightOf(sheet: WorkbookSheetData, label: string): number {
  for (const row of sheet.rows) {
    const cells = row ?? [];
    for (let c = 0; c + 1 < cells.length; c++) {
      if (cells[c] === label && typeof cells[c + 1] === "number") return cells[c + 1] as number;
    }
  }
  throw new Error(`no number right of "${label}" in ${sheet.name}`);
}

describe("imc report on the real CDNOW transactions", () => {
  it("an orders-only workbook with ordinary headers gets Segmentation and Customer Value, and reasons for the rest", async (ctx) => {
    const rows = cdnowRows();
    if (rows === null) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const run = await report("cdnow-plain", [
      { name: "Orders", headers: ["Customer ID", "Order date", "Amount"], rows: rows.map((r) => [r[1], serialOf(r[2]), Number(r[4])]), numberFormats: [null, "yyyy-mm-dd", "#,##0.00"] },
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Added "Scorecard", "Segmentation", "Customer Value"(, "Cohorts")? to /);
    expect(run.stdout).toContain("Skipped the Attribution tab: it needs a touchpoint log");
    expect(run.stdout).toContain("Skipped the Budget tab: ");
    const result = readFileSync(run.book);
    await expectOriginalPartsKept(run.original, result);
    const sheets = await readWorkbook(result, "book.xlsx");
    // The Cohorts tab joins them when its builder and the data allow.
    expect(sheets.map((sheet) => sheet.name).filter((name) => name !== "Cohorts")).toEqual(["Orders", "Scorecard", "Segmentation", "Customer Value"]);
  }, 120_000);

  it("reproduces the published BG/NBD parameters with --as-of 1997-09-30 (Fader, Hardie & Lee 2005)", async (ctx) => {
    const rows = cdnowRows();
    if (rows === null) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const run = await report(
      "cdnow-bgnbd",
      [{ name: "Orders", headers: ["Customer ID", "Order date", "Amount"], rows: rows.map((r) => [r[1], serialOf(r[2]), Number(r[4])]), numberFormats: [null, "yyyy-mm-dd", "#,##0.00"] }],
      ["--as-of", "1997-09-30", "--model", "bgnbd", "--tabs", "customer-value"],
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const value = sheetOf(await readWorkbook(readFileSync(run.book), "book.xlsx"), "Customer Value");
    // Published: r 0.243, alpha 4.414, a 0.793, b 2.426 (the summary's rounding moves the 4th digit).
    expect(valueRightOf(value, "r")).toBeCloseTo(0.243, 3);
    expect(valueRightOf(value, "alpha")).toBeCloseTo(4.414, 2);
    expect(valueRightOf(value, "a")).toBeCloseTo(0.793, 3);
    expect(valueRightOf(value, "b")).toBeCloseTo(2.426, 2);
  }, 120_000);
});

/** A workbook as another program writes it (ExcelJS, cells placed where given), run through `imc report`. */
async function reportOnCells(name: string, sheets: Record<string, unknown[][]>, options: readonly string[] = []): Promise<Run & { original: Uint8Array }> {
  const workbook = new ExcelJS.Workbook();
  for (const [sheetName, rows] of Object.entries(sheets)) {
    const sheet = workbook.addWorksheet(sheetName);
    rows.forEach((row, r) => row.forEach((value, c) => {
      if (value !== null && value !== undefined) sheet.getCell(r + 1, c + 1).value = value as ExcelJS.CellValue;
    }));
  }
  const original = new Uint8Array(await workbook.xlsx.writeBuffer());
  const book = path.join(dir, `${name}.xlsx`);
  writeFileSync(book, original);
  const run = memoryIo({ cwd: dir });
  const code = await main(["report", book, "--no-html", ...options], run.io);
  return { code, stdout: run.stdout(), stderr: run.stderr(), book, original };
}

const money = (x: number): string => `$${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

describe("imc report on CDNOW laid out as exports are", () => {
  it("under a title and a blank row, with Cust No., yyyymmdd numbers and dollars as text, and a total row", async (ctx) => {
    const rows = cdnowRows();
    if (rows === null) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const cells: unknown[][] = [["CDNOW sales export, cohort Q1 1997"], [], ["Cust No.", "Purchase date", "CDs", "Sales ($)"]];
    let total = 0;
    for (const r of rows) {
      cells.push([r[1], Number(r[2]), Number(r[3]), money(Number(r[4]))]);
      total += Number(r[4]);
    }
    cells.push(["Total", null, null, money(total)]);
    const run = await reportOnCells("cdnow-export", { "Sales export": cells }, ["--as-of", "1997-09-30", "--model", "bgnbd"]);
    if (process.env.SHOW) console.log(run.stdout + run.stderr);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Added "Scorecard", "Segmentation", "Customer Value"(, "Cohorts")? to /);
    expect(run.stderr).toMatch(/1 total row left out/);
    await expectOriginalPartsKept(run.original, readFileSync(run.book));
    const value = sheetOf(await readWorkbook(readFileSync(run.book), "book.xlsx"), "Customer Value");
    // The same published parameters as from the plain layout: nothing was lost or misread.
    expect(valueRightOf(value, "r")).toBeCloseTo(0.243, 3);
    expect(valueRightOf(value, "alpha")).toBeCloseTo(4.414, 2);
    expect(valueRightOf(value, "a")).toBeCloseTo(0.793, 3);
    expect(valueRightOf(value, "b")).toBeCloseTo(2.426, 2);
  }, 120_000);

  it("as online-retail invoice lines (two lines an order, guest lines, a cancelled invoice): every tab the data allows", async (ctx) => {
    const rows = cdnowRows();
    if (rows === null) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const cells: unknown[][] = [["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]];
    rows.forEach((r, i) => {
      const date = `${Number(r[2].slice(4, 6))}/${Number(r[2].slice(6, 8))}/${r[2].slice(0, 4)} 10:${String(i % 60).padStart(2, "0")}`;
      const cds = Math.max(1, Number(r[3]));
      const value = Number(r[4]);
      // The order's value split over two lines: the CDs at a unit price, and a delivery line.
      cells.push([`${500000 + i}`, "CD", "Compact discs", cds, date, Math.round(((value * 0.9) / cds) * 1e6) / 1e6, Number(r[1]), "United States"]);
      cells.push([`${500000 + i}`, "POST", "Delivery", 1, date, Math.round(value * 0.1 * 1e6) / 1e6, Number(r[1]), "United States"]);
      if (i % 500 === 0) cells.push([`${600000 + i}`, "CD", "Guest order", 1, date, 9.99, null, "United Kingdom"]);
    });
    cells.push(["C700000", "CD", "Cancelled", -1, "3/2/1997 10:00", 12.5, 4, "United States"]);
    const run = await reportOnCells("cdnow-retail", { "Online Retail": cells });
    if (process.env.SHOW) console.log(run.stdout + run.stderr);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Added "Scorecard", "Segmentation", "Customer Value"(, "Cohorts")? to /);
    expect(run.stderr).toMatch(/14 lines? without a customer id|14 rows without a customer id/);
    await expectOriginalPartsKept(run.original, readFileSync(run.book));
    const segmentation = sheetOf(await readWorkbook(readFileSync(run.book), "book.xlsx"), "Segmentation");
    expect(segmentation.rows.some((row) => (row ?? []).some((cell) => typeof cell === "string" && cell.includes("2,357 customers")))).toBe(true);
  }, 120_000);
});

describe("imc report on an Excel table with its own totals row", () => {
  it("never reads the totals row as an order, and says it left it out", async (ctx) => {
    const rows = cdnowRows();
    if (rows === null) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Sales");
    sheet.getCell("A1").value = "Orders of the Q1 1997 cohort";
    sheet.addTable({
      name: "Orders",
      ref: "A3",
      headerRow: true,
      totalsRow: true,
      // No label in the totals row, only the sum: the table part, not a "Total" label, marks it.
      columns: [{ name: "Customer" }, { name: "Date" }, { name: "Amount", totalsRowFunction: "sum" }],
      rows: rows.map((r) => [r[1], new Date(Date.UTC(Number(r[2].slice(0, 4)), Number(r[2].slice(4, 6)) - 1, Number(r[2].slice(6, 8)))), Number(r[4])]),
    });
    const original = new Uint8Array(await workbook.xlsx.writeBuffer());
    const book = path.join(dir, "table-totals.xlsx");
    writeFileSync(book, original);
    const run = memoryIo({ cwd: dir });
    const code = await main(["report", book, "--no-html", "--tabs", "segmentation"], run.io);
    expect(code, run.stderr()).toBe(0);
    // Header in row 3, 6,919 orders in rows 4 to 6922, the table's totals row 6923.
    expect(run.stderr()).toContain('orders (sheet "Sales"): 1 total row left out (row 6923)');
    const segmentation = sheetOf(await readWorkbook(readFileSync(book), "book.xlsx"), "Segmentation");
    expect(segmentation.rows.some((row) => (row ?? []).some((cell) => typeof cell === "string" && cell.includes("2,357 customers")))).toBe(true);
    expect(segmentation.rows.some((row) => row?.[0] === "Total")).toBe(false);
    await expectOriginalPartsKept(original, readFileSync(book));
  }, 120_000);
});

describe("imc report on the real ChannelAttribution paths, as a touchpoint log", () => {
  it("gets the Attribution tab, whose last-touch conversions are each path's last channel", async (ctx) => {
    const folder = sharedDir("data", "attribution");
    if (folder === null) return ctx.skip(sharedSkipMessage("data", "attribution"));
    const lines = readFileSync(path.join(folder, "channelattribution_example_Data.csv"), "utf8").trim().split("\n").slice(1, 301);
    // Each converting journey is a customer: one touch a day, the conversion on the last touch's day.
    const rows: (string | number)[][] = [];
    const lastTouch = new Map<string, number>();
    let journeys = 0;
    const start = serialOf("20240101");
    for (const line of lines) {
      const [pathText, conversions, value] = line.split(";");
      const channels = pathText.split(">").map((channel) => channel.trim()).filter((channel) => channel !== "");
      for (let k = 0; k < Number(conversions); k++) {
        const customer = `J${++journeys}`;
        const day = start + (journeys % 300);
        channels.forEach((channel, i) => rows.push([customer, day + i, channel, 0]));
        rows.push([customer, day + channels.length - 1 + 0.5, "", Number(value) / Number(conversions)]);
        const last = channels[channels.length - 1];
        lastTouch.set(last, (lastTouch.get(last) ?? 0) + 1);
      }
    }
    const run = await report("paths", [{ name: "Touchpoints", headers: ["customer_id", "timestamp", "channel", "conversion_value"], rows, numberFormats: [null, "yyyy-mm-dd hh:mm", null, "0.000"] }], ["--tabs", "attribution"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const tab = sheetOf(await readWorkbook(readFileSync(run.book), "book.xlsx"), "Attribution");
    const header = tab.rows.find((row) => (row ?? []).includes("Channel") && (row ?? []).some((cell) => typeof cell === "string" && /last/i.test(cell)));
    expect(header, "a table with a Channel column and a last-touch column").toBeDefined();
    const channelColumn = header!.indexOf("Channel");
    const lastColumn = header!.findIndex((cell) => typeof cell === "string" && /^last/i.test(cell));
    const credited = new Map<string, number>();
    for (const row of tab.rows.slice(tab.rows.indexOf(header!) + 1)) {
      const channel = row?.[channelColumn];
      if (typeof channel !== "string" || channel === "" || !lastTouch.has(channel)) break;
      credited.set(channel, row![lastColumn] as number);
    }
    expect(credited.size).toBe(lastTouch.size);
    for (const [channel, count] of lastTouch) expect(credited.get(channel), channel).toBeCloseTo(count, 6);
  }, 120_000);
});

describe("imc report on thin data", () => {
  const D = serialOf("20240108");
  const thin: Record<string, (string | number)[][]> = {
    "uniform purchasing (no one stops buying)": Array.from({ length: 60 }, (_, c) => Array.from({ length: 30 }, (_, w) => [`U${c + 1}`, D + 7 * w + (c % 7), 25 + (c % 5)])).flat(),
    "20 customers": Array.from({ length: 20 }, (_, c) => Array.from({ length: 1 + (c % 4) }, (_, k) => [`T${c + 1}`, D + 11 * c + 40 * k, 30 + c])).flat(),
    "all one-time buyers": Array.from({ length: 50 }, (_, c) => [`O${c + 1}`, D + 3 * c, 10 + c]),
    "one customer": [["Solo", D, 10], ["Solo", D + 30, 12], ["Solo", D + 61, 9]],
  };
  for (const [name, rows] of Object.entries(thin)) {
    it(`${name}: the Scorecard and Segmentation tabs and a stated reason for each tab skipped`, async () => {
      const run = await report(name.replace(/\W+/g, "-"), [{ name: "Orders", headers: ["Customer", "Date", "Amount"], rows, numberFormats: [null, "yyyy-mm-dd", "0.00"] }]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      if (process.env.SHOW) console.log(run.stdout);
      expect(run.stdout).toMatch(/^Added "Scorecard", "Segmentation"/);
      const sheets = await readWorkbook(readFileSync(run.book), "book.xlsx");
      expect(sheets.map((sheet) => sheet.name)).toContain("Segmentation");
      for (const line of run.stdout.split("\n").filter((text) => text.startsWith("Skipped"))) {
        expect(line).toMatch(/^Skipped the [A-Z][A-Za-z ]+ tab: [a-z].{20,}$/);
      }
      await expectOriginalPartsKept(run.original, readFileSync(run.book));
    }, 120_000);
  }
});
