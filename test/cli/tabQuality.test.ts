// The generated tabs as an analyst meets them (docs/tabs.md in ../shared/docs), checked on the
// written .xlsx read back independently of the writer (test/support/tabQuality.ts): no computed
// number in General, headers that fit or wrap, no code identifiers in the cells, every chart a
// native chart part referring to its tab's written cells, and the workbook opening on a generated
// tab. On the demo workbook (the same code as `imc demo`) and on a workbook of the real CDNOW
// orders (the same code as `imc report`).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { demoWorkbooks } from "../../src/cli/commands/demo";
import { reportTabs } from "../../src/cli/commands/report";
import { memoryIo } from "../../src/cli/io";
import { writeDataWorkbook } from "../../src/cli/xlsx/dataWorkbook";
import { generateSampleBusiness } from "../../src/sample/business";
import { DEFAULT_SEED } from "../../src/sample/defaults";
import {
  activeTabViolations,
  chartViolations,
  codeIdentifiersIn,
  generalFormatViolations,
  headerFitViolations,
  identifierViolations,
  loadWritten,
  violationLines,
  type WrittenWorkbook,
} from "../support/tabQuality";
import { sharedDir, sharedSkipMessage } from "../support/shared";

/** A workbook with generated tabs, read back: which tabs are generated and how many charts each has. */
interface Checked {
  readonly written: WrittenWorkbook;
  /** Sheets of the result that the original did not have. */
  readonly tabs: readonly string[];
  /** Charts each tab's description asks for, by the tab's written name. */
  readonly charts: Readonly<Record<string, number>>;
}

async function checkedOf(original: Uint8Array, bytes: Uint8Array, names: readonly string[], charts: readonly number[]): Promise<Checked> {
  const before = await loadWritten(original);
  const written = await loadWritten(bytes);
  const tabs = written.sheetNames.filter((name) => !before.sheetNames.includes(name));
  // The runner's names and the file's new sheets are one list: nothing else was added or renamed.
  expect(tabs).toEqual(names);
  return { written, tabs, charts: Object.fromEntries(names.map((name, i) => [name, charts[i]])) };
}

let demo: Promise<Checked> | undefined;

/** The demo workbook (1,500 customers), built once, as `imc demo` builds it. */
function demoWorkbook(): Promise<Checked> {
  demo ??= (async () => {
    const business = generateSampleBusiness({ customers: 1500, seed: DEFAULT_SEED });
    const run = memoryIo({ cwd: "/" });
    const { sample, demo: built, result } = await demoWorkbooks(business, { holdoutPeriods: 26 }, run.io);
    return checkedOf(sample.bytes, built.bytes, built.names, result.sheets.map((sheet) => sheet.charts.length));
  })();
  return demo;
}

let cdnow: Promise<Checked> | undefined;

/** Excel serial of a yyyymmdd date. */
function serialOf(yyyymmdd: string): number {
  return (Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

/**
 * The real CDNOW orders (2,357 customers, 1997-1998) as an Orders sheet with dollar amounts, given
 * every tab they allow (a cost per customer for the Budget tab), as `imc report` builds them; null
 * when ../shared is absent.
 */
function cdnowWorkbook(): Promise<Checked> | null {
  const folder = sharedDir("data", "cdnow");
  if (folder === null) return null;
  cdnow ??= (async () => {
    const rows = readFileSync(path.join(folder, "CDNOW_sample.txt"), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.trim().split(/\s+/));
    const original = await writeDataWorkbook([
      {
        name: "Orders",
        headers: ["Customer ID", "Order date", "Amount"],
        rows: rows.map((r) => [r[1], serialOf(r[2]), Number(r[4])]),
        numberFormats: [null, "yyyy-mm-dd", '"$"#,##0.00'],
      },
    ]);
    const run = memoryIo({ cwd: "/" });
    const { written, result } = await reportTabs(original, "cdnow.xlsx", { options: { cac: 25, asOf: null } }, run.io);
    return checkedOf(original, written.bytes, written.names, result.sheets.map((sheet) => sheet.charts.length));
  })();
  return cdnow;
}

/** The five checks, each an `it` listing every violation it finds. */
function qualityChecks(workbook: () => Promise<Checked> | null, skipMessage: () => string): void {
  const load = async (ctx: { skip: (message: string) => void }): Promise<Checked | null> => {
    const pending = workbook();
    if (pending === null) {
      ctx.skip(skipMessage());
      return null;
    }
    return pending;
  };

  it("1. no computed number in the General format (dates in a date format)", async (ctx) => {
    const checked = await load(ctx);
    if (checked === null) return;
    expect(violationLines(generalFormatViolations(checked.written, checked.tabs))).toEqual([]);
  }, 180_000);

  it("2. every header fits its column or wraps", async (ctx) => {
    const checked = await load(ctx);
    if (checked === null) return;
    expect(violationLines(await headerFitViolations(checked.written, checked.tabs))).toEqual([]);
  }, 180_000);

  it("3. no code identifier in any cell", async (ctx) => {
    const checked = await load(ctx);
    if (checked === null) return;
    expect(violationLines(identifierViolations(checked.written, checked.tabs))).toEqual([]);
  }, 180_000);

  it("4. every chart is a native chart part referring to written cells of its own tab", async (ctx) => {
    const checked = await load(ctx);
    if (checked === null) return;
    expect(Object.values(checked.charts).reduce((a, b) => a + b, 0), "the tabs have charts to check").toBeGreaterThan(0);
    expect(violationLines(await chartViolations(checked.written, checked.charts))).toEqual([]);
  }, 180_000);

  it("5. the workbook opens on a generated tab", async (ctx) => {
    const checked = await load(ctx);
    if (checked === null) return;
    expect(violationLines(await activeTabViolations(checked.written, checked.tabs))).toEqual([]);
  }, 180_000);
}

describe("the demo workbook's generated tabs", () => {
  qualityChecks(demoWorkbook, () => "");
});

describe("the generated tabs of a workbook of the real CDNOW orders", () => {
  qualityChecks(cdnowWorkbook, () => sharedSkipMessage("data", "cdnow"));

  it("every tab says the amounts are in dollars, read from the amounts' number format", async (ctx) => {
    const pending = cdnowWorkbook();
    if (pending === null) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const checked = await pending;
    for (const tab of checked.tabs) {
      const texts: string[] = [];
      checked.written.workbook.getWorksheet(tab)!.eachRow((row) => row.eachCell((cell) => {
        if (typeof cell.value === "string") texts.push(cell.value);
      }));
      expect(texts, tab).toContain("Currency: $ (from the number format of Orders column C).");
    }
  }, 180_000);
});

describe("the code-identifier detector", () => {
  it("finds snake_case, camelCase, function names, README and the texts of missing values", () => {
    expect(codeIdentifiersIn("Profile by age_band")).toHaveLength(1);
    expect(codeIdentifiersIn("hardBounces above 2%")).toHaveLength(1);
    expect(codeIdentifiersIn("Computed with IMC.CLV.PREDICT(A2:C100)")).toHaveLength(1);
    expect(codeIdentifiersIn("See README for the method")).toHaveLength(1);
    expect(codeIdentifiersIn("CLV: undefined")).toHaveLength(1);
    expect(codeIdentifiersIn("Share NaN")).toHaveLength(1);
    expect(codeIdentifiersIn("Segment [object Object]")).toHaveLength(1);
    expect(codeIdentifiersIn("Customer table columns left out: name, email, signup_date")).toHaveLength(1);
  });

  it("leaves business text alone", () => {
    for (const text of [
      "CLV : CAC is 2.15, below the 3.00 you set",
      "BG/NBD",
      "MBG/NBD + Gamma-Gamma",
      "P(alive)",
      "Position-based (40/20/40)",
      "Time decay (7-day half-life)",
      "Data-driven (Markov)",
      "Contact: jane_doe@example.com",
      "Source: Raw_orders!A1:C6920",
      "Hard bounces read from the column 'hard_bounces'.",
      "Generated 6 Dec 2026, 00:20 UTC",
      "Recency (days since last order)",
      "iPhone and e-mail customers",
      "Amounts in the data's currency",
    ]) {
      expect(codeIdentifiersIn(text), text).toEqual([]);
    }
  });
});
