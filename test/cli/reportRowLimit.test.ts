// `imc report --from` when tabs are longer than a sheet (issue 16): run with --max-tab-rows as a
// small stand-in for Excel's 1,048,576, the Segmentation and Customer Value tabs are shortened
// (their summaries the same numbers as the whole tabs'), every other tab is written, nothing in the
// workbook passes the limit, and the run says what it did.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIo } from "../../src/cli/io";
import { main } from "../../src/cli/main";
import { generateSampleBusiness, sampleTable } from "../../src/sample/business";
import { tableToCsv } from "../../src/sample/csv";

const TIMEOUT = 120_000;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "imc-rowlimit-"));
  writeFileSync(path.join(dir, "orders.csv"), tableToCsv(sampleTable(generateSampleBusiness({ customers: 300, seed: 5 }), "Orders")));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function imc(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = memoryIo({ cwd: dir });
  const code = await main(args, run.io);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Per sheet: its last row with a cell, and its cells' values (a formula's cached result) by address. */
async function sheetsOf(file: string): Promise<Map<string, { lastRow: number; cells: Map<string, unknown> }>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path.join(dir, file));
  const sheets = new Map<string, { lastRow: number; cells: Map<string, unknown> }>();
  for (const sheet of book.worksheets) {
    const cells = new Map<string, unknown>();
    let lastRow = 0;
    sheet.eachRow((row, number) => {
      row.eachCell((cell) => {
        const value = cell.value as unknown;
        cells.set(cell.address, typeof value === "object" && value !== null && "result" in value ? (value as { result: unknown }).result : value);
        lastRow = Math.max(lastRow, number);
      });
    });
    sheets.set(sheet.name, { lastRow, cells });
  }
  return sheets;
}

describe("imc report --from with tabs longer than a sheet", () => {
  it(
    "shortens the per-customer tabs to the limit with the same summaries, writes the others whole, and says so",
    async () => {
      const whole = await imc(["report", "--from", "orders.csv", "--out", "whole.xlsx", "--cac", "40"]);
      expect(whole.code, whole.stderr).toBe(0);
      const limit = 220;
      const short = await imc(["report", "--from", "orders.csv", "--out", "short.xlsx", "--cac", "40", "--max-tab-rows", String(limit)]);
      expect(short.code, short.stderr).toBe(0);
      const wholeBook = await sheetsOf("whole.xlsx");
      const shortBook = await sheetsOf("short.xlsx");
      expect([...shortBook.keys()]).toEqual([...wholeBook.keys()]);
      expect(wholeBook.get("Segmentation")!.lastRow).toBeGreaterThan(limit);
      expect(wholeBook.get("Customer Value")!.lastRow).toBeGreaterThan(limit);
      for (const [name, sheet] of shortBook) expect(sheet.lastRow, name).toBeLessThanOrEqual(limit);
      for (const tab of ["Segmentation", "Customer Value"]) {
        expect(short.stdout).toMatch(new RegExp(`Shortened the ${tab} tab: This table lists the first [\\d,]+ of the 300 customers \\(highest (revenue|CLV) first\\): this run writes at most 220 rows a tab\\. .*For each customer's`));
        // Every number above the customer table is the whole tab's.
        const before = wholeBook.get(tab)!.cells;
        const after = shortBook.get(tab)!.cells;
        const lineRow = [...after].find(([, value]) => typeof value === "string" && value.startsWith("This table lists the first"))![0].replace(/^[A-Z]+/, "");
        let compared = 0;
        for (const [address, value] of before) {
          if (Number(address.replace(/^[A-Z]+/, "")) >= Number(lineRow)) continue;
          expect(after.get(address), `${tab}!${address}`).toEqual(value);
          compared++;
        }
        expect(compared).toBeGreaterThan(50);
      }
      // The other tabs are the whole run's.
      for (const tab of ["Scorecard", "Cohorts", "Budget"]) expect(shortBook.get(tab)?.cells, tab).toEqual(wholeBook.get(tab)?.cells);
      expect(short.stdout).not.toContain("Skipped the Segmentation");
    },
    TIMEOUT,
  );

  it(
    "leaves a tab out with the reason when it cannot be shortened, and writes the others",
    async () => {
      const run = await imc(["report", "--from", "orders.csv", "--out", "tiny.xlsx", "--no-html", "--max-tab-rows", "90"]);
      expect(run.code, run.stderr).toBe(0);
      // The Customer Value tab's customer table starts below row 90: it cannot be shortened.
      expect(run.stdout).toMatch(/Skipped the Customer Value tab: its 300 customers do not fit in one sheet: the tab needs [\d,]+ rows and this run writes at most 90 rows a tab; for each customer's CLV use imc clv --from FILES --out clv\.parquet\n/);
      expect(run.stdout).toMatch(/Skipped the Cohorts tab: it does not fit in one sheet: the tab needs [\d,]+ rows and this run writes at most 90 rows a tab\n/);
      const book = await sheetsOf("tiny.xlsx");
      expect(book.size).toBeGreaterThan(0);
      for (const [name, sheet] of book) expect(sheet.lastRow, name).toBeLessThanOrEqual(90);
    },
    TIMEOUT,
  );

  it("refuses a --max-tab-rows that is not a row count of a sheet", async () => {
    for (const bad of ["0", "1048577", "ten"]) {
      const run = await imc(["report", "--from", "orders.csv", "--out", "bad.xlsx", "--max-tab-rows", bad]);
      expect(run.code, bad).not.toBe(0);
      expect(run.stderr, bad).toContain(`--max-tab-rows: "${bad}" is not a whole number of rows from 1 to 1048576`);
    }
  });
});
