/**
 * `imc report --from` on an orders file over --max-cells: the orders are summarised out of core by
 * DuckDB and the order tabs (Scorecard, Segmentation, Customer Value, Cohorts, Budget) are built from
 * the summaries, with the numbers the in-memory route gives on the same file; past the customer cap
 * (IMC_REPORT_MAX_CUSTOMERS) too, from summaries in DuckDB and the listed customers. Checked on the real
 * CDNOW orders as Parquet, a plain CSV, a hostile CSV (title row, semicolons, day-first dates, money
 * as text, a total row) and a glob of yearly files; and `imc report orders.csv`, which reads a data
 * file given in place of the workbook as --from does.
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateSampleBusiness } from "../../src/sample/business";
import { csvFileName, tableToCsv } from "../../src/sample/csv";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { cdnowPlainCsv, cellsOf, runImcIn, scratchFolder, writeCdnowOrderFiles } from "./engines";

const TIMEOUT = 300_000;
const scratch = scratchFolder("imc-report-ooc-");

const imc = (args: string[]) => runImcIn(scratch.path, args);

/**
 * Expects the same tabs with the same numbers in the same cells (within `tolerance`, relative), and
 * text where the expected tab has text, up to the provenance at the foot, which says how the orders
 * were read. Returns how many numbers were compared.
 */
function expectSameNumbers(actual: Map<string, Map<string, unknown>>, expected: Map<string, Map<string, unknown>>, tabs: readonly string[], tolerance: number): number {
  expect([...actual.keys()]).toEqual(tabs);
  let compared = 0;
  for (const tab of tabs) {
    const a = actual.get(tab)!;
    const e = expected.get(tab)!;
    expect(e, tab).toBeDefined();
    // The provenance starts at "Where these numbers come from"; above it the tabs are the same.
    const footOf = (cells: Map<string, unknown>) => {
      for (const [address, value] of cells) if (value === "Where these numbers come from") return Number(address.replace(/^[A-Z]+/, ""));
      return Infinity;
    };
    const foot = footOf(e);
    expect(footOf(a), `${tab}: the provenance starts on the same row`).toBe(foot);
    let numbers = 0;
    for (const [address, value] of e) {
      if (Number(address.replace(/^[A-Z]+/, "")) >= foot) continue;
      if (typeof value !== "number") {
        expect(a.has(address), `${tab}!${address}`).toBe(true);
        continue;
      }
      numbers++;
      const got = a.get(address);
      expect(typeof got, `${tab}!${address}`).toBe("number");
      expect(Math.abs((got as number) - value), `${tab}!${address}: ${String(got)} vs ${value}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(value)));
    }
    expect(numbers, tab).toBeGreaterThan(10);
    compared += numbers;
  }
  return compared;
}

describe("imc report --from: CDNOW orders over --max-cells, summarised out of core", () => {
  it(
    "builds the Scorecard, Segmentation, Customer Value, Cohorts and Budget from the summaries with the in-memory numbers",
    async (ctx) => {
      const shared = sharedDir("data", "cdnow");
      if (!shared) return ctx.skip(sharedSkipMessage("data", "cdnow"));
      await writeCdnowOrderFiles(scratch.path, shared);

      // As of the end of 1997 every order tab is built; as of March 1998 with a holdout, the Budget is
      // not (no customer's first order falls in the last 12 months), on either route.
      for (const [extra, tabs] of [
        [["--as-of", "1997-12-31"], ["Scorecard", "Segmentation", "Customer Value", "Cohorts", "Budget"]],
        [["--as-of", "1998-03-31", "--holdout", "13"], ["Scorecard", "Segmentation", "Customer Value", "Cohorts"]],
      ]) {
        const options = [...extra, "--cac", "40", "--currency", "USD", "--no-html", "--force"];
        const memory = await imc(["report", "--from", "cdnow.parquet", "--out", "memory.xlsx", ...options]);
        expect(memory.code, memory.stderr).toBe(0);
        expect(memory.stdout).toContain(`Wrote ${tabs.map((tab) => `"${tab}"`).join(", ")} to`);
        const expected = await cellsOf(path.join(scratch.path, "memory.xlsx"));
        for (const source of ["cdnow.parquet", "cdnow.csv", "cdnow-hostile.csv", "yearly/*.csv"]) {
          const result = await imc(["report", "--from", source, "--out", "ooc.xlsx", "--max-cells", "20000", ...options]);
          expect(result.code, `${source}: ${result.stderr}`).toBe(0);
          expect(result.stderr, source).toContain("summarised out of core with DuckDB");
          expect(result.stdout, source).toContain(`Wrote ${tabs.map((tab) => `"${tab}"`).join(", ")}`);
          expect(expectSameNumbers(await cellsOf(path.join(scratch.path, "ooc.xlsx")), expected, tabs, 1e-9), source).toBeGreaterThan(500);
          if (source.includes("hostile") || source.includes("yearly")) expect(result.stderr, source).toContain("total row");
        }
      }
    },
    TIMEOUT,
  );
});

describe("imc report --from: more customers than the per-customer tabs are built for", () => {
  it("builds the Cohorts, Budget and Scorecard tabs from the aggregates and the Segmentation and Customer Value tabs from summaries in DuckDB", async (ctx) => {
    const shared = sharedDir("data", "cdnow");
    if (!shared) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    writeFileSync(path.join(scratch.path, "cdnow-cap.csv"), cdnowPlainCsv(shared));
    const options = ["--as-of", "1997-12-31", "--cac", "40", "--no-html", "--force"];
    const memory = await imc(["report", "--from", "cdnow-cap.csv", "--out", "cap-memory.xlsx", ...options]);
    expect(memory.code, memory.stderr).toBe(0);
    const before = process.env.IMC_REPORT_MAX_CUSTOMERS;
    process.env.IMC_REPORT_MAX_CUSTOMERS = "2000";
    try {
      const capped = await imc(["report", "--from", "cdnow-cap.csv", "--out", "cap-ooc.xlsx", "--max-cells", "20000", ...options]);
      expect(capped.code, capped.stderr).toBe(0);
      expect(capped.stdout).toContain('Wrote "Scorecard", "Segmentation", "Customer Value", "Cohorts", "Budget" to cap-ooc.xlsx');
      expect(capped.stdout).not.toContain("Skipped the Segmentation tab");
      expect(capped.stdout).not.toContain("Skipped the Customer Value tab");
      const actual = await cellsOf(path.join(scratch.path, "cap-ooc.xlsx"));
      const expected = await cellsOf(path.join(scratch.path, "cap-memory.xlsx"));
      // The Customer Value tab (2,357 customers fit in a sheet: whole) and the Budget's CLV : CAC check
      // from the model fitted on the distinct triples in DuckDB: the in-memory numbers.
      const tabs = ["Customer Value", "Cohorts", "Budget"];
      expectSameNumbers(new Map(tabs.map((tab) => [tab, actual.get(tab)!])), new Map(tabs.map((tab) => [tab, expected.get(tab)!])), tabs, 1e-9);
      // The Segmentation tab (whole, with its formulas) lists the customers of the in-memory tab in the
      // same order with the same numbers and scores; it has no CLV column (each customer's CLV is not
      // held past the cap) and says why.
      const detail = (cells: Map<string, unknown>): unknown[][] => {
        const header = [...cells].find(([address, value]) => value === "Customer" && address.startsWith("A"))!;
        const first = Number(header[0].slice(1)) + 1;
        return Array.from({ length: 2357 }, (_, k) => ["A", "B", "C", "D", "E", "F", "G", "H"].map((column) => cells.get(`${column}${first + k}`)));
      };
      const segmentation = actual.get("Segmentation")!;
      expect(detail(segmentation)).toEqual(detail(expected.get("Segmentation")!));
      const texts = [...segmentation.values()].filter((v): v is string => typeof v === "string");
      const reason = "the orders hold 2,357 customers, more than the 2,000 held in memory one row each; for each customer's CLV use imc clv --from cdnow-cap.csv --out clv.parquet";
      expect(texts.some((text) => text.startsWith(`No CLV column: ${reason}`))).toBe(true);
      // The Budget has its CLV : CAC check, in the in-memory words (the provenance apart: it says how the orders were read).
      const words = (cells: Map<string, unknown>) => {
        const all = [...cells.values()].filter((v): v is string => typeof v === "string");
        return all.slice(0, all.indexOf("Where these numbers come from"));
      };
      const budget = words(actual.get("Budget")!);
      expect(budget).toEqual(words(expected.get("Budget")!));
      expect(budget.some((text) => text.startsWith("No CLV : CAC check"))).toBe(false);
      expect(budget.some((text) => /CLV/.test(text))).toBe(true);
    } finally {
      if (before === undefined) delete process.env.IMC_REPORT_MAX_CUSTOMERS;
      else process.env.IMC_REPORT_MAX_CUSTOMERS = before;
    }
  }, TIMEOUT);
});

describe("imc report --from --tabs: only the summaries of the tabs asked for", () => {
  it("gives each tab asked for alone the in-memory numbers, the Budget with its CLV : CAC check from the Customer Value model", async (ctx) => {
    const shared = sharedDir("data", "cdnow");
    if (!shared) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    writeFileSync(path.join(scratch.path, "cdnow-tabs.csv"), cdnowPlainCsv(shared));
    for (const [tabs, title] of [
      ["cohorts", "Cohorts"],
      ["budget", "Budget"],
      ["segmentation", "Segmentation"],
    ]) {
      const options = ["--tabs", tabs, "--as-of", "1997-12-31", "--cac", "40", "--no-html", "--force"];
      const memory = await imc(["report", "--from", "cdnow-tabs.csv", "--out", "tabs-memory.xlsx", ...options]);
      expect(memory.code, memory.stderr).toBe(0);
      const ooc = await imc(["report", "--from", "cdnow-tabs.csv", "--out", "tabs-ooc.xlsx", "--max-cells", "20000", ...options]);
      expect(ooc.code, ooc.stderr).toBe(0);
      expect(ooc.stdout).toContain(`Wrote "${title}" to tabs-ooc.xlsx`);
      expectSameNumbers(await cellsOf(path.join(scratch.path, "tabs-ooc.xlsx")), await cellsOf(path.join(scratch.path, "tabs-memory.xlsx")), [title], 1e-9);
      if (title === "Budget") {
        const texts = [...(await cellsOf(path.join(scratch.path, "tabs-ooc.xlsx"))).get("Budget")!.values()].filter((v): v is string => typeof v === "string");
        expect(texts.some((text) => text.includes("no customer value model"))).toBe(false);
      }
    }
  }, TIMEOUT);
});

describe("imc report --from: the sample business with its orders over --max-cells", () => {
  it(
    "builds every tab, the order tabs from the summaries and Experiments from its customers' rows, with the in-memory numbers; Journey without the order split, saying so",
    async () => {
      const business = generateSampleBusiness({ customers: 400, seed: 7 });
      mkdirSync(path.join(scratch.path, "rest"));
      for (const table of business.tables) {
        const name = csvFileName(table.name);
        writeFileSync(path.join(scratch.path, name === "orders.csv" ? name : path.join("rest", name)), tableToCsv(table));
      }
      const options = ["--holdout", "26", "--no-html", "--force"];
      const memory = await imc(["report", "--from", "rest/*.csv,orders.csv", "--out", "sample-memory.xlsx", ...options]);
      expect(memory.code, memory.stderr).toBe(0);
      // The other tables hold about 37,500 cells and the orders 5,500: only the orders go over.
      const ooc = await imc(["report", "--from", "rest/*.csv,orders.csv", "--out", "sample-ooc.xlsx", "--max-cells", "40000", ...options]);
      expect(ooc.code, ooc.stderr).toBe(0);
      expect(ooc.stderr).toContain("summarised out of core with DuckDB");
      const tabs = ["Scorecard", "Segmentation", "Customer Value", "Cohorts", "Lead Scoring", "Journey", "Attribution", "Campaign KPIs", "Experiments", "Budget"];
      expect(ooc.stdout).toContain(`Wrote ${tabs.map((tab) => `"${tab}"`).join(", ")} to sample-ooc.xlsx`);
      const expected = await cellsOf(path.join(scratch.path, "sample-memory.xlsx"));
      const actual = await cellsOf(path.join(scratch.path, "sample-ooc.xlsx"));
      const same = tabs.filter((tab) => tab !== "Journey" && tab !== "Scorecard");
      expectSameNumbers(new Map(same.map((tab) => [tab, actual.get(tab)!])), new Map(same.map((tab) => [tab, expected.get(tab)!])), same, 1e-9);
      // Attribution compares the log with the order revenue of its days, from the daily order totals.
      const revenueLine = (cells: Map<string, unknown>) => [...cells.values()].find((v): v is string => typeof v === "string" && v.startsWith("Order revenue on the same days"));
      expect(revenueLine(actual.get("Attribution")!)).toBeDefined();
      expect(revenueLine(actual.get("Attribution")!)).toBe(revenueLine(expected.get("Attribution")!));
      // Journey: returning customers from the log's own conversions, and why.
      const journey = [...actual.get("Journey")!.values()].filter((v): v is string => typeof v === "string");
      expect(journey.some((text) => text.includes("the orders were summarised out of core"))).toBe(true);
      expect(journey.some((text) => text.includes("Returning (converted before)"))).toBe(true);
    },
    TIMEOUT,
  );
});

describe("imc report orders.csv", () => {
  it("reads a data file given in place of the workbook as --from does, into a new workbook beside it under a free name", async () => {
    const lines = ["customer_id,order_date,order_value"];
    for (let c = 0; c < 60; c++) for (let k = 0; k <= c % 4; k++) lines.push(`C${c},2024-${String(1 + ((c + k * 3) % 12)).padStart(2, "0")}-${String(1 + (c % 27)).padStart(2, "0")},${10 + c + k}`);
    const csv = lines.join("\n") + "\n";
    writeFileSync(path.join(scratch.path, "shop.csv"), csv);
    const first = await imc(["report", "shop.csv", "--no-html"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("to shop.xlsx");
    const via = await imc(["report", "--from", "shop.csv", "--out", "via-from.xlsx", "--no-html"]);
    expect(via.code, via.stderr).toBe(0);
    const a = await cellsOf(path.join(scratch.path, "shop.xlsx"));
    const b = await cellsOf(path.join(scratch.path, "via-from.xlsx"));
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [tab, cells] of b) for (const [address, value] of cells) if (typeof value === "number") expect(a.get(tab)!.get(address), `${tab}!${address}`).toBe(value);
    // A second run never overwrites the first workbook, and the CSV is left as it was.
    const second = await imc(["report", "shop.csv", "--no-html"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("to shop-2.xlsx");
    expect(existsSync(path.join(scratch.path, "shop-2.xlsx"))).toBe(true);
    expect(readFileSync(path.join(scratch.path, "shop.csv"), "utf8")).toBe(csv);
  }, TIMEOUT);
});
