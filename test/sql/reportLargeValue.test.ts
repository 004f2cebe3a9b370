/**
 * The first piece of the Customer Value tab past the customer cap (src/cli/duckdb/report/largeValue.ts):
 * the models fitted on the distinct triples and spend pairs read from DuckDB choose the same model as
 * the in-memory analysis (fitCustomerValue on one entry per customer) with the same parameters, and
 * the totals over all customers (joined back per distinct triple in DuckDB) equal the in-memory sums.
 *
 * Tolerance, relative: the weighted fit sees the same distinct triples with the same weights in
 * another order (SQL sorts them, the engine keeps first appearance), so the log-likelihood sums differ
 * in the last bits and the optimiser may stop a hair apart; DuckDB adds the totals in no fixed order.
 * On CDNOW and on the generated orders as of AS_OF (MBG/NBD chosen) everything agrees within 1e-9.
 * As of the last order the automatic choice takes BG/NBD at its limit (a and b near 1e7 and 1e10,
 * only a / (a + b) identified: a flat ridge), where a and b agree within 2e-7 and the total CLV within
 * 2e-8 (log-likelihoods within 1e-14): 1e-6 there.
 *
 * The tab built from these facts (customerValue/large.ts) is then compared with the in-memory tab
 * under the same row limit, cell for cell: text and formulas exactly, numbers within the same tolerance.
 */

import { describe, expect, it } from "vitest";
import { largeValueFitFrom } from "../../src/cli/duckdb/report/largeValue";
import type { LargeValueFacts } from "../../src/reports/largeValueFacts";
import type { CountingModelChoice } from "../../src/engine/clv";
import { clvPredictionValues } from "../../src/engine/clv/predictionTable";
import { buildCustomerValueTab } from "../../src/reports/customerValue";
import { analyseCustomerValue } from "../../src/reports/customerValue/analysis";
import { CUSTOMER_TABLE } from "../../src/reports/customerValue/customers";
import { cellValue, type Cell, type ReportSheet, type TableBlock } from "../../src/reports/sheet";
import type { OrdersInput } from "../../src/reports/inputs";
import { serialOf } from "../engine/clv/cdnowData";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { scratchFolder } from "./engines";
import { cdnowOrderRows, cellsByPosition, memoryOrders, random, summarisedInstead, withOrderSource, writeOrderFiles, writtenAs } from "./orderRoutes";

const TIMEOUT = 240_000;
const scratch = scratchFolder("imc-report-large-value-");
const THRESHOLDS = { newDays: 30, activeDays: 60, atRiskDays: 90 };

async function largeFit(file: string, asOf: number | null, model: CountingModelChoice, listed: number, holdoutPeriods: number | null): Promise<LargeValueFacts> {
  return withOrderSource(file, (db, source, display) =>
    largeValueFitFrom(
      db,
      source,
      { asOf, periodUnit: "week", holdoutPeriods, thresholds: THRESHOLDS, pattern: file, model, horizonPeriods: 52, annualDiscountRate: 0.1, maxListed: listed },
      display,
    ),
  );
}

function expectClose(actual: number, expected: number, what: string, tolerance: number): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

/** The large route's fit and totals against the in-memory analysis of the same file. */
async function expectSameFit(file: string, asOf: number | null, model: CountingModelChoice, tolerance: number, listed = 500, holdoutPeriods: number | null = null): Promise<LargeValueFacts> {
  const memory = analyseCustomerValue(await memoryOrders(file), { asOf, model, holdoutPeriods });
  const large = await largeFit(file, asOf, model, listed, holdoutPeriods);
  expect(large.fit.counting.model).toBe(memory.chosen);
  expect(large.fit.customers).toBe(memory.fit.customers);
  expect(large.fit.repeatCustomers).toBe(memory.fit.repeatCustomers);
  expect(large.fit.selection?.candidates.map((c) => c.model)).toEqual(memory.selection?.candidates.map((c) => c.model));
  for (const [name, value] of Object.entries(memory.fit.counting.params as unknown as Record<string, number>)) {
    expectClose((large.fit.counting.params as unknown as Record<string, number>)[name], value, `counting ${name}`, tolerance);
  }
  for (const [name, value] of Object.entries(memory.fit.spend.params as unknown as Record<string, number>)) {
    expectClose((large.fit.spend.params as unknown as Record<string, number>)[name], value, `spend ${name}`, tolerance);
  }
  expect(large.customers).toBe(memory.customers);
  expectClose(large.clvTotal, memory.clvTotal, "total CLV", tolerance);
  expectClose(large.purchasesTotal, memory.purchasesTotal, "expected purchases", tolerance);
  expectClose(large.newCustomerClv, memory.newCustomerClv, "new customer CLV", tolerance);
  expectClose(large.newPurchases, memory.newPurchases, "new customer purchases", tolerance);
  expect(large.oneTimeBuyers).toBe(memory.oneTimeBuyers);
  expect(large.refundDays).toBe(memory.refundDays);
  expectClose(large.fit.counting.logLikelihood, memory.fit.counting.logLikelihood, "log-likelihood", 1e-12);
  expect(large.oneTimeNotEstimated).toBe(memory.oneTimeNotEstimated);
  expect(large.judged).toBe(memory.judged);
  expect(large.likelyActive).toBe(memory.likelyActive);
  expect(large.topCount).toBe(memory.topCount);
  expectClose(large.topShare, memory.topShare, "top 10% share", tolerance);
  // The tab's P(alive) bands and actual repeat purchases, from its own sections' counting.
  const bands = new Array<number>(10).fill(0);
  for (let i = 0; i < memory.customers; i++) {
    if (memory.oneTimeNotEstimated && memory.summary.frequency[i] === 0) continue;
    const p = memory.predictions.probabilityAlive[i];
    for (let band = 0; band < 10; band++) if (p >= band / 10 && (band === 9 ? p <= 1 : p < (band + 1) / 10)) bands[band]++;
  }
  expect(large.aliveBands).toEqual(bands);
  if (memory.histogram !== null) expect(large.repeatPurchases).toEqual(Array.from(memory.histogram.actual));
  expect(large.modelRepeatPurchases === null).toBe(memory.histogram === null);
  memory.histogram?.expected.forEach((count, bin) => expectClose(large.modelRepeatPurchases![bin], count, `model repeat purchases ${bin}`, tolerance));
  // The listed customers: the first rows of the in-memory customer table, the same numbers.
  const first = memory.byClv.slice(0, listed);
  expect(large.listed.customerIds).toEqual(first.map((i) => memory.summary.customerIds[i]));
  expect(large.listed.segment).toEqual(first.map((i) => memory.segments.of[i]));
  first.forEach((i, row) => {
    const expected = clvPredictionValues(memory.summary, memory.predictions, i);
    const l = large.listed;
    const actual = [l.frequency[row], l.recency[row], l.T[row], l.monetary[row], l.predictions.probabilityAlive[row], l.predictions.expectedPurchases[row], l.predictions.expectedSpend[row], l.predictions.clv[row]];
    actual.forEach((value, c) => expectClose(value, expected[c], `listed row ${row} column ${c}`, tolerance));
    expect(l.totalValue[row]).toBe(memory.summary.totalValue[i]);
  });
  expect(large.orderRows).toBe(memory.orderRows);
  expect(large.ordersAfterAsOf).toBe(memory.summary.ordersAfterAsOf);
  expect(large.customersAfterAsOf).toBe(memory.summary.customersAfterAsOf);
  expect(large.integerIds).toBe(memory.summary.customerIds.every((id) => !/^-?\d+(\.\d+)?$/.test(id) || /^-?\d+$/.test(id)));
  expect(large.holdout === null).toBe(memory.holdout === null);
  if (memory.holdout !== null) {
    const h = large.holdout!;
    expect(h.calibrationEnd).toBe(memory.holdout.calibrationEnd);
    expect(h.holdoutEnd).toBe(memory.holdout.holdoutEnd);
    expect(h.holdoutPeriods).toBe(memory.holdout.holdoutPeriods);
    expect(h.newCustomers).toBe(memory.holdout.newCustomers);
    for (const [name, value] of Object.entries(memory.holdout.comparison)) expectClose((h.comparison as unknown as Record<string, number>)[name], value, `holdout ${name}`, tolerance);
    memory.holdout.buckets.forEach((bucket, b) => {
      expect(h.buckets[b].customers).toBe(bucket.customers);
      expect(h.buckets[b].actual).toBe(bucket.actual);
      expectClose(h.buckets[b].predicted, bucket.predicted, `holdout bucket ${b}`, tolerance);
    });
  }
  expect(large.risk.threshold).toBe(memory.risk.threshold);
  expect(large.risk.customers).toBe(memory.risk.customers.length);
  expectClose(large.risk.pastRevenue, memory.risk.pastRevenue, "at-risk revenue", tolerance);
  expectClose(large.risk.clv, memory.risk.clv, "at-risk CLV", tolerance);
  const shown = memory.risk.customers.slice(0, 20);
  const r = large.risk.listed;
  expect(r.customerIds).toEqual(shown.map((i) => memory.summary.customerIds[i]));
  expect(r.segment).toEqual(shown.map((i) => memory.segments.of[i]));
  shown.forEach((i, k) => {
    expect(r.totalValue[k]).toBe(memory.summary.totalValue[i]);
    expect(r.frequency[k]).toBe(memory.summary.frequency[i]);
    expect(r.T[k] - r.recency[k]).toBe(memory.summary.T[i] - memory.summary.recency[i]);
    expectClose(r.predictions.clv[k], memory.predictions.clv[i], `at-risk CLV ${k}`, tolerance);
    expectClose(r.predictions.probabilityAlive[k], memory.predictions.probabilityAlive[i], `at-risk P(alive) ${k}`, tolerance);
  });
  // Value by segment: the same segments, customers and CLV.
  expect(memory.segments.rfm).toBe(true);
  expect(large.segments.map((g) => g.name).sort()).toEqual([...memory.segments.totals.keys()].sort());
  for (const g of large.segments) {
    const expected = memory.segments.totals.get(g.name)!;
    expect(g.customers).toBe(expected.customers);
    expectClose(g.clv, expected.clv, `CLV of ${g.name}`, tolerance);
  }
  expect(large.lifecycleLikelyActive).toBe(memory.lifecycle.likelyActive);
  return large;
}

const START = serialOf("20230101");
const END = serialOf("20241231");
const AS_OF = serialOf("20241031");

/** Generated orders: customers who spend more or less, one-time buyers, refunds (some customers below 0 in all), orders after AS_OF, rows shuffled. */
function generatedOrders(seed: number, customers: number): [string, number, number][] {
  const next = random(seed);
  const rows: [string, number, number][] = [];
  const cents = (low: number, high: number) => Math.round((low + next() * (high - low)) * 100) / 100;
  const day = (low: number, high: number) => Math.floor(low + next() * (high - low + 1));
  for (let k = 0; k < customers; k++) {
    const id = k % 2 === 0 ? `C-${k}` : String(1000 + k);
    if (k % 53 === 0) {
      const d = day(START, AS_OF);
      rows.push([id, d, 10], [id, d, -30]);
      continue;
    }
    if (k % 41 === 0) {
      rows.push([id, day(AS_OF + 1, END), cents(10, 90)]);
      continue;
    }
    // Customers differ in what they spend (the spend model then has an interior fit).
    const scale = 40 / (0.2 + 2 * next());
    const first = day(START, END - 30);
    const purchases = next() < 0.4 ? 1 : 1 + Math.floor(next() * 9);
    for (let p = 0; p < purchases; p++) {
      const d = p === 0 ? first : day(first, END);
      rows.push([id, d, Math.round(100 * (1 + scale * -Math.log(1 - next()))) / 100]);
      if (next() < 0.06) rows.push([id, d, -cents(5, 40)]);
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

describe("the Customer Value fit past the customer cap (distinct triples in DuckDB)", () => {
  it(
    "chooses the model of the in-memory analysis with the same parameters and totals on generated orders",
    async () => {
      const file = await writeOrders("generated", generatedOrders(7, 3000));
      // Every customer listed: one-time buyers of the same day tie on CLV, listed in order of first appearance.
      const auto = await expectSameFit(file, AS_OF, "auto", 1e-9, 10_000);
      expect(auto.listed.customerIds.length).toBe(auto.customers);
      expect(auto.oneTimeBuyers).toBeGreaterThan(0);
      expect(auto.refundDays).toBeGreaterThan(0);
      expect(auto.triples).toBeLessThan(auto.customers);
      expect(auto.risk.customers).toBeGreaterThan(20);
      await expectSameFit(file, null, "auto", 1e-6);
      const withHoldout = await expectSameFit(file, AS_OF, "auto", 1e-9, 500, 26);
      expect(withHoldout.holdout!.newCustomers).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    "chooses the model of the in-memory analysis with the same parameters and totals on CDNOW",
    async (ctx) => {
      const dir = sharedDir("data", "cdnow");
      if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
      const rows = cdnowOrderRows(dir);
      const file = await writeOrders("cdnow", rows);
      await expectSameFit(file, null, "auto", 1e-9);
      await expectSameFit(file, null, "bgnbd", 1e-9);
      const withHoldout = await expectSameFit(file, null, "auto", 1e-9, 500, 39);
      expect(withHoldout.holdout!.comparison.customers).toBe(2357);
    },
    TIMEOUT,
  );
});

/** Writes orders as Parquet (and CSV beside it). */
const writeOrders = async (name: string, rows: readonly (readonly [string, number, number])[]): Promise<string> => (await writeOrderFiles(scratch.path, name, rows)).parquet;

/** Summarised orders past the cap: no per-customer facts, the Customer Value facts instead. */
const pastTheCap = (memory: OrdersInput, facts: LargeValueFacts): OrdersInput =>
  summarisedInstead(memory, { rowCount: facts.orderRows, asOf: facts.asOfDay, customers: null, customersLeftOut: "too many customers (test)", largeValue: facts });

const CONTEXT = { generatedAt: "2026-12-06T12:00:00Z", currency: "USD" };

/**
 * Expects two tabs alike: the same cells in the same places, text and formulas equal, numbers within
 * `tolerance` (relative); the same charts, formats, widths and provenance. Returns the numbers compared.
 */
function expectSameTab(actual: ReportSheet, expected: ReportSheet, tolerance: number): number {
  const a = cellsByPosition(actual);
  const e = cellsByPosition(expected);
  expect([...a.keys()].sort()).toEqual([...e.keys()].sort());
  let numbers = 0;
  for (const [at, cell] of e) {
    const got = a.get(at)!;
    const formula = (c: Cell) => (c !== null && typeof c === "object" && "formula" in c ? c.formula : null);
    expect(formula(got), `formula at ${at}`).toBe(formula(cell));
    const value = cellValue(cell);
    const label = String(cellValue(e.get(`${at.split(",")[0]},0`) ?? null));
    if (typeof value === "number" && label.startsWith("Iterations (")) {
      // The optimiser's path differs on the distinct triples (see the tolerance above): a count, not compared.
      expect(Number.isSafeInteger(cellValue(got)), `cell ${at}`).toBe(true);
    } else if (typeof value === "number") {
      numbers++;
      expectClose(cellValue(got) as number, value, `cell ${at} (row of ${label})`, tolerance);
    } else {
      expect(cellValue(got), `cell ${at}`).toEqual(value);
    }
  }
  const strip = (sheet: ReportSheet) => ({ ...sheet, blocks: sheet.blocks.map((block) => ({ ...block, rows: undefined, values: undefined, totals: undefined })) });
  expect(strip(actual)).toEqual(strip(expected));
  return numbers;
}

/** Both routes on one file: the tab from the facts past the cap equals the in-memory tab under the same row limit. */
async function expectSameTabs(file: string, asOf: number | null, maxRows: number, tolerance: number, holdoutPeriods: number | null = null): Promise<{ facts: LargeValueFacts; shortened: boolean; sheet: ReportSheet }> {
  const memory = await memoryOrders(file);
  const options = { asOf, holdoutPeriods };
  const built = buildCustomerValueTab(memory, options, CONTEXT);
  const expected = writtenAs(built.sheet, "customer-value", maxRows);
  // As imc report lists them: as many as the row limit (the tab is then shortened to fit).
  const facts = await largeFit(file, asOf, "auto", maxRows, holdoutPeriods);
  const large = buildCustomerValueTab(pastTheCap(memory, facts), options, CONTEXT);
  expect(large.clvByCustomer).toBeNull();
  expectClose(large.averageClv, built.averageClv, "average CLV", tolerance);
  expectClose(large.newCustomerClv, built.newCustomerClv, "new customer CLV", tolerance);
  const actual = writtenAs(large.sheet, "customer-value", maxRows);
  expect(actual.shortened).toBe(expected.shortened);
  expect(expectSameTab(actual.sheet, expected.sheet, tolerance)).toBeGreaterThan(100);
  return { facts, shortened: expected.shortened, sheet: expected.sheet };
}

/** The per-customer table of a tab. */
function customerTable(sheet: ReportSheet): TableBlock {
  return sheet.blocks.find((block): block is TableBlock => block.kind === "table" && block.name === CUSTOMER_TABLE)!;
}

describe("the Customer Value tab past the customer cap (built from the facts in DuckDB)", () => {
  it(
    "equals the in-memory tab under the same row limit on generated orders, shortened or whole, with and without a holdout",
    async () => {
      const file = await writeOrders("generated-tab", generatedOrders(11, 3000));
      const cut = await expectSameTabs(file, AS_OF, 900, 1e-9);
      expect(cut.shortened).toBe(true);
      expect(cut.facts.risk.customers).toBeGreaterThan(20);
      const listed = customerTable(cut.sheet).rows.length;
      expect(listed).toBeGreaterThan(100);
      expect(listed).toBeLessThan(cut.facts.customers);
      // Whole: every customer fits, the tab keeps its formulas over the table.
      const whole = await expectSameTabs(file, AS_OF, 1_048_576, 1e-9, 26);
      expect(whole.shortened).toBe(false);
      expect(customerTable(whole.sheet).rows.length).toBe(whole.facts.customers);
      expect(whole.facts.holdout).not.toBeNull();
      // As of the last order: BG/NBD at the edge of its range (see the tolerance above).
      await expectSameTabs(file, null, 700, 1e-6);
    },
    TIMEOUT,
  );

  it(
    "equals the in-memory tab on CDNOW shortened to 600 rows",
    async (ctx) => {
      const dir = sharedDir("data", "cdnow");
      if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
      const rows = cdnowOrderRows(dir);
      const file = await writeOrders("cdnow-tab", rows);
      const result = await expectSameTabs(file, serialOf("19971231"), 600, 1e-9);
      expect(result.shortened).toBe(true);
      expect(result.facts.customers).toBe(2357);
    },
    TIMEOUT,
  );
});
