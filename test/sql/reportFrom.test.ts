/**
 * `imc report --from FILES`: the tables read from Parquet and CSV files give the tabs `imc report`
 * gives on a workbook holding the same tables — every number the same — on the sample business (ten
 * CSV files found by their headers through one glob) and on the real CDNOW orders as typed Parquet, a
 * plain CSV, a hostile CSV (title row, semicolons, day-first dates, money as text, a total row) and a
 * glob of yearly files that each repeat the title and header. Bad input gets the file, line and column.
 */

import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { csvDelimiter, sheetNameOf } from "../../src/cli/duckdb/fileSheets";
import { writeNewWorkbook } from "../../src/cli/xlsx/writeReport";
import { generateSampleBusiness } from "../../src/sample/business";
import { csvFileName, tableToCsv } from "../../src/sample/csv";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { cellsOf, runImcIn, scratchFolder, writeCdnowOrderFiles } from "./engines";

const TIMEOUT = 180_000;
const scratch = scratchFolder("imc-report-from-");

const imc = (args: string[]) => runImcIn(scratch.path, args);

/**
 * Expects the same tabs with the same numbers in the same cells, and text where the expected tab has
 * text. Text cells may differ where they name the source ("Orders!A1:D4868" against
 * "orders.csv!A1:D4868") or the currency's source.
 */
function expectSameNumbers(actual: Map<string, Map<string, unknown>>, expected: Map<string, Map<string, unknown>>, tabs: readonly string[], readingNotes = false, tolerance = 0): void {
  expect([...actual.keys()]).toEqual(tabs);
  for (const tab of tabs) {
    const a = actual.get(tab)!;
    const e = expected.get(tab);
    expect(e, tab).toBeDefined();
    let numbers = 0;
    for (const [address, value] of e!) {
      if (typeof value !== "number") {
        expect(a.has(address), `${tab}!${address}`).toBe(true);
        continue;
      }
      numbers++;
      if (tolerance === 0) expect(a.get(address), `${tab}!${address}`).toBe(value);
      else expect(Math.abs((a.get(address) as number) - value), `${tab}!${address}: ${String(a.get(address))} vs ${value}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(value)));
    }
    expect(numbers, tab).toBeGreaterThan(10);
    // Reading notes ("1 total row left out") add provenance lines at the foot of a tab.
    if (readingNotes) expect(a.size, tab).toBeGreaterThanOrEqual(e!.size);
    else expect(a.size, tab).toBe(e!.size);
  }
}

describe("imc report --from: the sample business as ten CSV files and as ten Parquet files", () => {
  it(
    "finds every table by its headers through one glob and builds the ten tabs with the workbook's numbers",
    async () => {
      const business = generateSampleBusiness({ customers: 400, seed: 7 });
      const dir = path.join(scratch.path, "sample");
      mkdirSync(dir);
      for (const table of business.tables) writeFileSync(path.join(dir, csvFileName(table.name)), tableToCsv(table));
      writeFileSync(path.join(scratch.path, "sample.xlsx"), (await writeNewWorkbook(business.tables, [])).bytes);

      const fromFiles = await imc(["report", "--from", "sample/*.csv", "--out", "from-files.xlsx", "--holdout", "26", "--no-html"]);
      expect(fromFiles.stderr).toBe("");
      expect(fromFiles.code).toBe(0);
      const fromBook = await imc(["report", "sample.xlsx", "--out", "from-book.xlsx", "--holdout", "26", "--no-html"]);
      expect(fromBook.code).toBe(0);
      const tabs = ["Scorecard", "Segmentation", "Customer Value", "Cohorts", "Lead Scoring", "Journey", "Attribution", "Campaign KPIs", "Experiments", "Budget"];
      expect(fromFiles.stdout).toContain(`Wrote ${tabs.map((tab) => `"${tab}"`).join(", ")} to from-files.xlsx`);
      const book = await cellsOf(path.join(scratch.path, "from-book.xlsx"));
      for (const table of business.tables) book.delete(table.name);
      expectSameNumbers(await cellsOf(path.join(scratch.path, "from-files.xlsx")), book, tabs);
      // The provenance names the files.
      const segmentation = [...(await cellsOf(path.join(scratch.path, "from-files.xlsx"))).get("Segmentation")!.values()].filter((v) => typeof v === "string");
      expect(segmentation.some((text) => (text as string).includes("orders.csv!A1:"))).toBe(true);

      // The same tables as typed Parquet (DATE, TIMESTAMP, BIGINT, DOUBLE columns as DuckDB types
      // them): the same numbers but for the last digits of the touch times (a timestamp becomes a
      // serial by arithmetic, text by parsing), which move time-decay credit by about 1e-14.
      mkdirSync(path.join(scratch.path, "parquet"));
      const instance = await DuckDBInstance.create(":memory:");
      const connection = await instance.connect();
      for (const table of business.tables) {
        const name = csvFileName(table.name);
        await connection.run(`COPY (SELECT * FROM read_csv('${path.join(dir, name)}')) TO '${path.join(scratch.path, "parquet", name.replace(/\.csv$/, ".parquet"))}' (FORMAT parquet)`);
      }
      const types = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM '${path.join(scratch.path, "parquet", "touchpoints.parquet")}'`)).getRowsJS();
      expect(types.find((row) => row[0] === "timestamp")?.[1]).toBe("TIMESTAMP");
      connection.closeSync();
      instance.closeSync();
      const fromParquet = await imc(["report", "--from", "parquet/*.parquet", "--out", "from-parquet.xlsx", "--holdout", "26", "--no-html"]);
      expect(fromParquet.code, fromParquet.stderr).toBe(0);
      expectSameNumbers(await cellsOf(path.join(scratch.path, "from-parquet.xlsx")), book, tabs, false, 1e-9);
    },
    TIMEOUT,
  );
});

describe("imc report --from: CDNOW orders as Parquet, CSV, a hostile CSV and a glob", () => {
  it(
    "gives the same Scorecard, Segmentation, Customer Value, Cohorts and Budget from each, with the hostile file's reading said",
    async (ctx) => {
      const shared = sharedDir("data", "cdnow");
      if (!shared) return ctx.skip(sharedSkipMessage("data", "cdnow"));
      await writeCdnowOrderFiles(scratch.path, shared);

      const tabs = ["Scorecard", "Segmentation", "Customer Value", "Cohorts", "Budget"];
      const options = ["--as-of", "1997-12-31", "--cac", "40", "--currency", "USD", "--no-html"];
      const parquet = await imc(["report", "--from", "cdnow.parquet", "--out", "parquet.xlsx", ...options]);
      expect(parquet.stderr).toBe("");
      expect(parquet.code).toBe(0);
      expect(parquet.stdout).toContain("Skipped the Attribution tab");
      const expected = await cellsOf(path.join(scratch.path, "parquet.xlsx"));
      for (const [source, out] of [
        ["cdnow.csv", "csv.xlsx"],
        ["cdnow-hostile.csv", "hostile.xlsx"],
        ["yearly/*.csv", "yearly.xlsx"],
      ]) {
        const result = await imc(["report", "--from", source, "--out", out, ...options]);
        expect(result.code, `${source}: ${result.stderr}`).toBe(0);
        expectSameNumbers(await cellsOf(path.join(scratch.path, out)), expected, tabs, source !== "cdnow.csv");
        if (source !== "cdnow.csv") {
          expect(result.stderr).toContain("1 total row left out");
          expect(result.stderr).toContain("read day-first");
        }
      }
      // The yearly files' repeated title and header rows are not data: the row count is CDNOW's.
      const yearly = await imc(["report", "--from", "yearly/*.csv", "--out", "yearly-2.xlsx", ...options]);
      expect(yearly.stderr).toContain(`file "yearly/*.csv"`);
      const cohorts = [...(await cellsOf(path.join(scratch.path, "yearly-2.xlsx"))).get("Cohorts")!.values()].find((v) => typeof v === "string" && v.includes("orders of 2,357 customers"));
      expect(cohorts).toBeDefined();
    },
    TIMEOUT,
  );
});

describe("imc report --from: bad input", () => {
  it(
    "names the file, line and column of a bad date, refuses a missing file and a missing --out, and summarises a log over --max-cells",
    async () => {
      const lines = ["Sales;;", "", "Client;Purchase date;Amount", "A;01/02/2024;10", "A;15/03/2024;12", "B;31/13/2024;5", "B;20/03/2024;7"];
      writeFileSync(path.join(scratch.path, "bad.csv"), lines.join("\n") + "\n");
      const bad = await imc(["report", "--from", "bad.csv", "--out", "bad.xlsx"]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("row 6");
      expect(bad.stderr).toContain(`File "bad.csv"`);
      expect(bad.stderr).toContain("Purchase date (B)");
      expect(bad.stderr).toContain('"31/13/2024"');
      expect(existsSync(path.join(scratch.path, "bad.xlsx"))).toBe(false);

      const none = await imc(["report", "--from", "missing/*.parquet", "--out", "none.xlsx"]);
      expect(none.code).toBe(1);
      expect(none.stderr).toContain("missing/*.parquet: no file matches this pattern");

      writeFileSync(path.join(scratch.path, "small.csv"), "customer_id,order_date,order_value\nA,2024-01-01,10\nA,2024-02-01,12\n");
      // Orders and touchpoint logs of any size are summarised out of core (reportOutOfCore.test.ts,
      // reportTouchpoints.*.test.ts): a log over --max-cells still gives its Journey and Attribution tabs.
      writeFileSync(path.join(scratch.path, "touches.csv"), "customer_id,timestamp,channel,conversion_value\nA,2024-01-01 10:00,Email,\nA,2024-01-02 09:00,,50\n");
      const big = await imc(["report", "--from", "touches.csv", "--out", "big.xlsx", "--max-cells", "5", "--no-html"]);
      expect(big.code, big.stderr).toBe(0);
      expect(big.stderr).toContain("2 touchpoint rows, more cells than --max-cells (5) allows in memory: summarised out of core with DuckDB");
      expect(big.stdout).toContain('Wrote "Scorecard", "Journey", "Attribution" to big.xlsx');

      const noOut = await imc(["report", "--from", "small.csv"]);
      expect(noOut.code).toBe(2);
      expect(noOut.stderr).toContain("give --out FILE.xlsx");
      const both = await imc(["report", "book.xlsx", "--from", "small.csv", "--out", "x.xlsx"]);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain("not both");

      writeFileSync(path.join(scratch.path, "other.csv"), "a,b\n1,2\n");
      const other = await imc(["report", "--from", "other.csv", "--out", "other.xlsx"]);
      expect(other.code).toBe(1);
      expect(other.stderr).toContain("no orders, touchpoints or campaigns found (files: other.csv)");

      writeFileSync(path.join(scratch.path, "exists.xlsx"), "keep");
      const exists = await imc(["report", "--from", "small.csv", "--out", "exists.xlsx"]);
      expect(exists.code).toBe(1);
      expect(readFileSync(path.join(scratch.path, "exists.xlsx"), "utf8")).toBe("keep");
    },
    TIMEOUT,
  );

  it("chooses the delimiter from the lines below a title and names sheets by file", () => {
    expect(csvDelimiter("Sales export 2024\n\nClient;Date;Amount\nA;2024-01-01;10\n")).toBe(";");
    expect(csvDelimiter("Sales, export\nClient\tDate\tAmount\tNote\nA\t2024-01-01\t10\tx\n")).toBe("\t");
    expect(sheetNameOf("data/orders.parquet")).toBe("orders.parquet");
    expect(sheetNameOf("data/orders-*.csv")).toBe("data/orders-*.csv");
  });
});
