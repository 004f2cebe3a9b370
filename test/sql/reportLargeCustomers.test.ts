/**
 * The Segmentation tab past the customer cap (src/cli/duckdb/report/largeCustomers.ts): every customer
 * in DuckDB, the summaries as GROUP BYs, only the listed customers in memory. Against the in-memory
 * tab built from the same rows and shortened to the same row limit (src/reports/rowLimit.ts), cell for
 * cell.
 *
 * No tolerance: the quintile breaks come from the exact order statistics, and every sum the tab shows
 * (revenue per segment, stage and group, the totals) is added in customer order as the in-memory model
 * adds it (foldedSum), so the numbers are the same to the last bit; the groups are the engine's
 * k-means on all customers when they fit in the sample.
 */

import { describe, expect, it } from "vitest";
import { largeSegmentFactsFrom } from "../../src/cli/duckdb/report/largeCustomers";
import { DEFAULT_CLUSTER_SEED, type LifecycleThresholds } from "../../src/engine/segmentation";
import type { OrdersInput } from "../../src/reports/inputs";
import type { LargeSegmentFacts } from "../../src/reports/largeCustomerFacts";
import { buildSegmentationTab } from "../../src/reports/segmentation";
import { cellValue, type ReportSheet, type TableBlock } from "../../src/reports/sheet";
import { serialOf } from "../engine/clv/cdnowData";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { scratchFolder } from "./engines";
import { cdnowOrderRows, cellsByPosition, memoryOrders, random, summarisedInstead, withOrderSource, writeOrderFiles, writtenAs } from "./orderRoutes";

const TIMEOUT = 240_000;
const scratch = scratchFolder("imc-report-large-");
const CONTEXT = { generatedAt: "2026-12-06T12:00:00Z" };
const DEFAULT_THRESHOLDS: LifecycleThresholds = { newDays: 30, activeDays: 60, atRiskDays: 90 };

interface LargeOptions {
  readonly asOf: number | null;
  readonly thresholds: LifecycleThresholds;
  readonly maxListed: number;
  readonly clusterSample: number;
}

/** The large route's facts of a file. */
async function largeFacts(file: string, options: LargeOptions): Promise<LargeSegmentFacts> {
  return withOrderSource(file, (db, source, display) =>
    largeSegmentFactsFrom(db, source, { ...options, periodUnit: "week", holdoutPeriods: null, pattern: file, clusterCount: null, seed: DEFAULT_CLUSTER_SEED }, display),
  );
}

/** Summarised orders past the cap: no per-customer facts, the large facts instead. */
const largeOrders = (memory: OrdersInput, facts: LargeSegmentFacts): OrdersInput =>
  summarisedInstead(memory, { rowCount: facts.rowCount, asOf: facts.asOfDay, customers: null, customersLeftOut: "too many customers (test)", largeSegments: facts });

/** A tab as buildAllTabs writes it with a row limit. */
const written = (sheet: ReportSheet, maxRows: number) => writtenAs(sheet, "segmentation", maxRows);

/** Writes orders as CSV and as Parquet. */
const writeOrders = (name: string, rows: readonly (readonly [string, number, number])[]) => writeOrderFiles(scratch.path, name, rows);

/**
 * Expects two tabs equal cell for cell (formulas and values), and in their charts, formats and
 * provenance. Column widths are compared only when both tabs list every customer: a shortened
 * in-memory tab sizes its columns for customers it no longer lists (a longer id, a larger revenue),
 * the large route for those it lists, so its widths may only be narrower.
 */
function expectSameTab(actual: ReportSheet, expected: ReportSheet, shortened: boolean): void {
  const a = cellsByPosition(actual);
  const e = cellsByPosition(expected);
  expect([...a.keys()].length).toBe([...e.keys()].length);
  for (const [at, cell] of e) expect(a.get(at), `cell ${at}`).toEqual(cell);
  const strip = (sheet: ReportSheet) => ({
    ...sheet,
    columnWidths: shortened ? [] : sheet.columnWidths,
    blocks: sheet.blocks.map((block) => ({ ...block, rows: undefined, values: undefined, totals: undefined })),
  });
  expect(strip(actual)).toEqual(strip(expected));
  expect(actual.columnWidths.length).toBe(expected.columnWidths.length);
  actual.columnWidths.forEach((width, c) => expect(width, `column ${c} width`).toBeLessThanOrEqual(expected.columnWidths[c]));
}

/** Both routes on one file: the large route's tab equals the in-memory tab under the same row limit. */
async function expectSameTabs(file: string, options: LargeOptions): Promise<{ facts: LargeSegmentFacts; shortened: boolean; memory: ReportSheet }> {
  const memory = await memoryOrders(file);
  const facts = await largeFacts(file, options);
  const segmentation = { asOf: options.asOf, lifecycleThresholds: options.thresholds };
  const expected = written(buildSegmentationTab(memory, null, segmentation, CONTEXT).sheet, options.maxListed);
  const large = buildSegmentationTab(largeOrders(memory, facts), null, segmentation, CONTEXT);
  expect(large.segmentByCustomer === null).toBe(facts.listed.customerIds.length < facts.customers);
  const actual = written(large.sheet, options.maxListed);
  expect(actual.shortened).toBe(expected.shortened);
  expectSameTab(actual.sheet, expected.sheet, expected.shortened);
  return { facts, shortened: expected.shortened, memory: expected.sheet };
}

const START = serialOf("20230101");
const END = serialOf("20241231");
const AS_OF = serialOf("20241031");

/**
 * Generated orders with ties on revenue (many customers with the same total, across the listed
 * limit), one-time buyers, refunds (some customers below 0 in all), orders after AS_OF, comebacks,
 * rows shuffled (first appearance is not id order).
 */
function generatedOrders(seed: number, customers: number): [id: string, day: number, value: number][] {
  const next = random(seed);
  const rows: [string, number, number][] = [];
  const cents = (low: number, high: number) => Math.round((low + next() * (high - low)) * 100) / 100;
  const day = (low: number, high: number) => Math.floor(low + next() * (high - low + 1));
  for (let k = 0; k < customers; k++) {
    const id = k % 2 === 0 ? `C-${k}` : String(1000 + k);
    if (k % 7 === 0) {
      // Tied on revenue: one order of 50 (one-time buyers) or two of 25.
      if (k % 14 === 0) rows.push([id, day(START, END), 50]);
      else rows.push([id, day(START, END), 25], [id, day(START, END), 25]);
      continue;
    }
    if (k % 53 === 0) {
      // Refunds above the purchases.
      const d = day(START, AS_OF);
      rows.push([id, d, 10], [id, d, -30]);
      continue;
    }
    if (k % 41 === 0) {
      rows.push([id, day(AS_OF + 1, END), cents(10, 90)]);
      continue;
    }
    if (k % 17 === 0) {
      rows.push([id, day(START, START + 100), cents(20, 80)], [id, day(AS_OF - 40, AS_OF - 1), cents(20, 80)], [id, day(END - 40, END), cents(20, 80)]);
      continue;
    }
    const first = day(START, END - 30);
    const purchases = next() < 0.4 ? 1 : 1 + Math.floor(next() * 9);
    for (let p = 0; p < purchases; p++) {
      const d = p === 0 ? first : day(first, END);
      rows.push([id, d, cents(5, 200)]);
      if (next() < 0.06) rows.push([id, d, -cents(5, 40)]);
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

/** The detail table of a tab. */
function detailOf(sheet: ReportSheet): TableBlock {
  return sheet.blocks.find((block): block is TableBlock => block.kind === "table" && block.name === "SegmentCustomers")!;
}

describe("the Segmentation tab past the customer cap (summaries in DuckDB, the listed customers in memory)", () => {
  it(
    "equals the in-memory tab under the same row limit on generated orders with ties, one-time buyers and refunds, CSV and Parquet, shortened or whole",
    async () => {
      const files = await writeOrders("generated", generatedOrders(7, 3000));
      for (const file of [files.csv, files.parquet]) {
        // Shortened: the table lists the first customers (ties on revenue across the cut).
        const cut = await expectSameTabs(file, { asOf: null, thresholds: DEFAULT_THRESHOLDS, maxListed: 1200, clusterSample: 1_000_000 });
        expect(cut.shortened).toBe(true);
        expect(cut.facts.clusterSample).toBe(cut.facts.customers);
        expect(cut.facts.negativeRevenue).toBeGreaterThan(0);
        expect(cut.facts.totals.repeatCustomers).toBeLessThan(cut.facts.customers);
        const listed = detailOf(cut.memory).rows.map((row) => cellValue(row[3]));
        expect(new Set(listed).size).toBeLessThan(listed.length); // ties on revenue among the listed
        // Whole: every customer fits, the tab keeps its formulas.
        const whole = await expectSameTabs(file, { asOf: AS_OF, thresholds: { newDays: 14, activeDays: 45, atRiskDays: 120 }, maxListed: 1_048_576, clusterSample: 1_000_000 });
        expect(whole.shortened).toBe(false);
        expect(whole.facts.customersAfterAsOf).toBeGreaterThan(0);
        expect(whole.facts.refundRows).toBeGreaterThan(0);
      }
    },
    TIMEOUT,
  );

  it(
    "equals the in-memory tab on CDNOW shortened to 1,000 rows",
    async (ctx) => {
      const dir = sharedDir("data", "cdnow");
      if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
      const rows = cdnowOrderRows(dir);
      const files = await writeOrders("cdnow", rows);
      const result = await expectSameTabs(files.parquet, { asOf: serialOf("19971231"), thresholds: DEFAULT_THRESHOLDS, maxListed: 1000, clusterSample: 1_000_000 });
      expect(result.facts.customers).toBe(2357);
      expect(result.shortened).toBe(true);
    },
    TIMEOUT,
  );

  it(
    "with a cluster sample smaller than the customers, names the groups and counts every customer in one",
    async () => {
      const files = await writeOrders("sampled", generatedOrders(13, 3000));
      const memory = await memoryOrders(files.parquet);
      const facts = await largeFacts(files.parquet, { asOf: null, thresholds: DEFAULT_THRESHOLDS, maxListed: 800, clusterSample: 500 });
      expect(facts.clusterSample).toBe(500);
      const sheet = written(buildSegmentationTab(largeOrders(memory, facts), null, {}, CONTEXT).sheet, 800).sheet;
      const groups = sheet.blocks.find((block): block is TableBlock => block.kind === "table" && block.name === "SegmentClusters")!;
      const sizes = groups.rows.map((row) => Number(cellValue(row[1])));
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(facts.customers);
      expect(sizes.every((size) => size > 0)).toBe(true);
      expect(groups.rows.every((row) => typeof cellValue(row[0]) === "string" && String(cellValue(row[0])).length > 0)).toBe(true);
      expect(new Set(groups.rows.map((row) => cellValue(row[0]))).size).toBe(groups.rows.length);
      const listedGroups = new Set(detailOf(sheet).rows.map((row) => cellValue(row[10])));
      for (const name of listedGroups) expect(groups.rows.map((row) => cellValue(row[0]))).toContain(name);
      // A customer table is not matched to customers summarised out of core: the tab says so, and writes no column of it.
      const customers = { source: "customers.csv", customerIds: ["C-2", "1001"], columns: [{ header: "Region", values: ["North", "South"], pii: false, demographic: true }] };
      const withTable = buildSegmentationTab(largeOrders(memory, facts), customers, {}, CONTEXT).sheet;
      const text = withTable.blocks.flatMap((block) => (block.kind === "cells" ? block.values.flat() : [])).map((cell) => cellValue(cell));
      expect(text).toContain("Not profiled: the orders hold 3,000 customers, summarised out of core: the customer table is not matched to them (no demographic profiles, no personal-data columns).");
      expect(detailOf(withTable).headers).not.toContain("Region");
      expect(withTable.provenance.notes.join(" ")).not.toContain("no row in the customer table");
    },
    TIMEOUT,
  );
});
