// Every message the report path can show a user, collected over the odd and bad workbooks people
// have, must be in the user's terms: no code identifiers (camelCase, snake_case, IMC.* functions,
// internal function names) other than the user's own headers and the runner's own --options.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { writeDataWorkbook } from "../../src/cli/xlsx/dataWorkbook";
import type { DataSheet } from "../../src/cli/xlsx/writeReport";
import { generateSampleBusiness } from "../../src/sample/business";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "imc-messages-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const D = 45_300; // 2024-01-08
const ORDERS = ["Customer", "Order date", "Amount"];
const orders = (rows: (string | number | null)[][], headers = ORDERS): DataSheet => ({ name: "Orders", headers, rows, numberFormats: headers.map(() => null) });
// A business whose purchase model fits: the sample business's orders (customer, date, value).
const sampleOrders = generateSampleBusiness({ customers: 300, seed: 7 }).tables.find((table) => table.name === "Orders")!;
const repeatBuyers = sampleOrders.rows.map((row) => [String(row[1]), Number(row[2]), Number(row[3])]);

interface Case {
  readonly name: string;
  readonly sheets: readonly DataSheet[] | "not a workbook";
  readonly options?: readonly string[];
}

const CASES: readonly Case[] = [
  { name: "orders only", sheets: [orders(repeatBuyers)] },
  { name: "all one-time buyers", sheets: [orders(Array.from({ length: 40 }, (_, c) => [`O${c}`, D + c, 10]))] },
  { name: "one customer", sheets: [orders([["Solo", D, 10], ["Solo", D + 40, 11]])] },
  { name: "20 customers buying alike", sheets: [orders(Array.from({ length: 20 }, (_, c) => Array.from({ length: 10 }, (_, w) => [`U${c}`, D + 7 * w, 25])).flat())] },
  { name: "text in the date column", sheets: [orders([...repeatBuyers.slice(0, 20), ["C9", "someday", 10]])] },
  { name: "text in the amount column", sheets: [orders([...repeatBuyers.slice(0, 20), ["C9", D, "lots"]])] },
  { name: "a partly blank row", sheets: [orders([...repeatBuyers.slice(0, 20), ["C9", null, 10], ...repeatBuyers.slice(20, 40)])] },
  { name: "no orders table", sheets: [{ name: "Notes", headers: ["Topic", "Text"], rows: [["a", "b"]], numberFormats: [null, null] }] },
  { name: "Budget asked for without spend", sheets: [orders(repeatBuyers)], options: ["--tabs", "budget"] },
  { name: "Attribution asked for without touchpoints", sheets: [orders(repeatBuyers)], options: ["--tabs", "attribution"] },
  { name: "Customer Value asked for on one-time buyers", sheets: [orders(Array.from({ length: 40 }, (_, c) => [`O${c}`, D + c, 10]))], options: ["--tabs", "customer-value"] },
  { name: "an analysis date before every order", sheets: [orders(repeatBuyers)], options: ["--as-of", "2020-01-01"] },
  { name: "a holdout longer than the data", sheets: [orders(repeatBuyers)], options: ["--holdout", "500"] },
  { name: "a bad analysis date", sheets: [orders(repeatBuyers)], options: ["--as-of", "yesterday"] },
  { name: "a negative cost per customer", sheets: [orders(repeatBuyers)], options: ["--cac", "-5"] },
  { name: "a margin above 100%", sheets: [orders(repeatBuyers)], options: ["--margin", "40"] },
  { name: "an unknown model", sheets: [orders(repeatBuyers)], options: ["--model", "magic"] },
  { name: "an unknown tab", sheets: [orders(repeatBuyers)], options: ["--tabs", "forecast"] },
  { name: "a column that is not there", sheets: [orders(repeatBuyers)], options: ["--columns", "orders.id=Client"] },
  { name: "a sheet that is not there", sheets: [orders(repeatBuyers)], options: ["--orders-sheet", "Sales"] },
  { name: "a budget with a target and a cost per customer", sheets: [orders(repeatBuyers)], options: ["--cac", "30", "--target-revenue", "100000"] },
  { name: "not a workbook", sheets: "not a workbook" },
  { name: "dates no value says the order of", sheets: [orders([["A", "01/02/2024", 10], ["B", "03/04/2024", 12], ["A", "05/06/2024", 9]])] },
  { name: "dates in two orders", sheets: [orders([["A", "31/01/2024", 10], ["B", "01/31/2024", 12], ["A", "05/06/2024", 9]])] },
  { name: "amounts no value says the decimal of", sheets: [orders([["A", D, "1,234"], ["B", D + 3, "2,500"], ["A", D + 9, "3,125"]])] },
  { name: "a header row that is not there", sheets: [orders(repeatBuyers)], options: ["--header-row", "9"] },
  { name: "a bad date order", sheets: [orders(repeatBuyers)], options: ["--date-order", "ymd"] },
  { name: "a workbook above --max-cells", sheets: [orders(repeatBuyers)], options: ["--max-cells", "100"] },
  { name: "a bad --max-cells", sheets: [orders(repeatBuyers)], options: ["--max-cells", "lots"] },
];

/** Words that are code, not English: snake_case, camelCase, IMC.FUNCTION names. */
const IDENTIFIER = /\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+[A-Z][A-Za-z]*\b|\bIMC\.[A-Z]/g;
/** The user's own headers and sheet names in these workbooks, and words that only look like code. */
const USERS_OWN = new Set<string>();

async function messagesOf(testCase: Case): Promise<{ code: number; lines: string[] }> {
  const book = path.join(dir, `${testCase.name.replace(/\W+/g, "-")}.xlsx`);
  if (testCase.sheets === "not a workbook") writeFileSync(book, "customer,date,amount\n1,2024-01-01,5\n");
  else writeFileSync(book, await writeDataWorkbook(testCase.sheets));
  const run = memoryIo({ cwd: dir });
  const code = await main(["report", book, "--no-html", ...(testCase.options ?? [])], run.io);
  const lines = `${run.stdout()}\n${run.stderr()}`.split("\n").filter((line) => line.trim() !== "");
  return { code, lines };
}

describe("messages of the report path", () => {
  for (const testCase of CASES) {
    it(`${testCase.name}: every line is in the user's terms`, async () => {
      const { code, lines } = await messagesOf(testCase);
      if (process.env.SHOW) console.log(`${testCase.name}\n  ${lines.join("\n  ")}`);
      expect(lines.length, "something is said").toBeGreaterThan(0);
      if (code !== 0) expect(lines.filter((line) => line.startsWith("imc: ")), "an error is one line").toHaveLength(1);
      for (const line of lines) {
        const words = (line.split(dir).join("").replace(/"[^"]*"/g, "").match(IDENTIFIER) ?? []).filter((word) => !USERS_OWN.has(word));
        expect(words, line).toEqual([]);
      }
    }, 60_000);
  }
});
