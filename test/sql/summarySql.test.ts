/**
 * The generated SQL run on two real engines — DuckDB (in process) and PostgreSQL (a throw-away server
 * on a Unix socket) — must give exactly the in-memory engine's customer summaries, triples, spend
 * pairs and journey paths on the same data: the CDNOW sample, the ChannelAttribution example paths
 * expanded into a touchpoint log, and generated data with same-day orders, refunds, orders after the
 * as-of date and timestamps with time-zone offsets. Doubles that are sums (values, m̄) may differ in the
 * last bits (engines add in another order): they are compared to 1e-12 relative; counts, days,
 * recency and T exactly.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addTouchpointLog, readTouchpointLog, type JourneyAggregator } from "../../src/engine/attribution";
import { fitDataOf, summarizeCustomers, type CustomerSummary, type PeriodUnit } from "../../src/engine/clv/summary";
import { toSpendData } from "../../src/engine/clv/gammaGamma";
import { formatSerial } from "../../src/engine/data/dates";
import { readTransactions } from "../../src/engine/data/transactions";
import { customerSummaryQuery, pathQuery, renderQuery, spendQuery, tripleQuery, type DateReading, type OrdersSource, type TouchpointSource } from "../../src/sql/queries";
import { cdnowTransactions } from "../engine/clv/cdnowData";
import { sharedDir, sharedRequired, sharedSkipMessage } from "../support/shared";
import { openDuckDb, postgresBin, startPostgres, writeCsv, type SqlEngine } from "./engines";
import { seededUniform } from "../../src/engine/math/random";

const TIMEOUT = 180_000;

let work = "";
let duck: SqlEngine | null = null;
let pg: SqlEngine | null = null;
let pgSkip = "";

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "imc-sql-test-"));
  duck = await openDuckDb();
  const bin = postgresBin();
  if (bin === null) {
    if (sharedRequired()) throw new Error("PostgreSQL is required (REQUIRE_SHARED=1) but initdb/pg_ctl/psql are not installed; run scripts/setup.sh");
    pgSkip = "skipped: PostgreSQL is not installed (no initdb/pg_ctl under /usr/lib/postgresql/*/bin or no psql); scripts/setup.sh installs it";
  } else {
    pg = await startPostgres(bin);
  }
}, TIMEOUT);

afterAll(async () => {
  await duck?.close();
  await pg?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const ENGINES = ["duckdb", "postgres"] as const;
type EngineName = (typeof ENGINES)[number];

/** The engine of a test; a PostgreSQL test skips with a message when PostgreSQL is not installed. */
function engineOf(name: EngineName, ctx: { skip: (note?: string) => void }): SqlEngine {
  if (name === "postgres" && pg === null) ctx.skip(pgSkip);
  return (name === "duckdb" ? duck : pg)!;
}

const loaded = new Set<string>();

/** Creates and fills a table once per engine. */
async function ensureTable(engine: SqlEngine, name: string, columns: readonly (readonly [string, string])[], csv: () => string): Promise<void> {
  const key = `${engine.name}/${name}`;
  if (loaded.has(key)) return;
  await engine.loadCsv(name, columns, csv());
  loaded.add(key);
}

/** Memoises a data set's construction (shared by the two engines' tests). */
function once<T>(make: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: make() }).v;
}

// ---------------------------------------------------------------------------------------------
// Orders

/** The engine's seeded generator, so the generated data are the same on every run. */
const random = seededUniform;

const pad = (n: number) => String(n).padStart(2, "0");

/** Generated orders: text timestamps with offsets, same-day orders, refunds and zero orders, orders after the as-of date. */
function generatedOrders(): { ids: string[]; dates: string[]; values: number[] } {
  const next = random(16);
  const ids: string[] = [];
  const dates: string[] = [];
  const values: number[] = [];
  const offsets = ["", "Z", "+02:00", "-05:00", "+0530", "-11", "+14:00"];
  for (let c = 0; c < 300; c++) {
    const id = c % 7 === 0 ? `Kunde "${c}", o'Brien` : `C${c}`;
    const start = Date.UTC(2024, 0, 1) + Math.floor(next() * 200) * 86_400_000;
    const orders = 1 + Math.floor(next() * 8);
    let day = start;
    for (let k = 0; k < orders; k++) {
      if (k > 0 && next() > 0.3) day += Math.floor(next() * 40) * 86_400_000; // else the same day again
      const at = new Date(day + Math.floor(next() * 86_400) * 1000);
      const date = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
      const kind = next();
      const text = kind < 0.2 ? date : `${date}${kind < 0.5 ? "T" : " "}${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}${offsets[Math.floor(next() * offsets.length)]}`;
      const roll = next();
      const value = roll < 0.1 ? -Math.round(next() * 5000) / 100 : roll < 0.15 ? 0 : Math.round(next() * 20000) / 100;
      ids.push(id);
      dates.push(text);
      values.push(value);
    }
  }
  return { ids, dates, values };
}

/** Checks the SQL summary rows against the engine's summary, customer by customer. */
function expectSameSummary(engine: string, columns: string[], rows: (string | null)[][], summary: CustomerSummary): void {
  const col = (name: string) => columns.indexOf(name);
  expect(rows.length, `${engine}: customers`).toBe(summary.customerIds.length);
  const byId = new Map(rows.map((row) => [row[col("customer_id")] as string, row]));
  const close = (actual: number, expected: number, what: string) =>
    expect(Math.abs(actual - expected), `${engine} ${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
  summary.customerIds.forEach((id, i) => {
    const row = byId.get(id);
    expect(row, `${engine}: customer ${id}`).toBeDefined();
    if (!row) return;
    const num = (name: string) => Number(row[col(name)]);
    const what = `customer ${id}`;
    expect(row[col("first_purchase")], `${engine} ${what} first`).toBe(formatSerial(summary.firstPurchase[i]));
    expect(row[col("last_purchase")], `${engine} ${what} last`).toBe(formatSerial(summary.lastPurchase[i]));
    expect(num("orders"), `${engine} ${what} orders`).toBe(summary.orders[i]);
    expect(num("frequency"), `${engine} ${what} frequency`).toBe(summary.frequency[i]);
    expect(num("recency"), `${engine} ${what} recency`).toBe(summary.recency[i]);
    expect(num("t"), `${engine} ${what} T`).toBe(summary.T[i]);
    expect(num("monetary_count"), `${engine} ${what} monetary count`).toBe(summary.monetaryCount[i]);
    expect(num("non_positive_days"), `${engine} ${what} non-positive days`).toBe(summary.nonPositiveDays[i]);
    close(num("total_value"), summary.totalValue[i], `${what} total value`);
    close(num("monetary"), summary.monetary[i], `${what} monetary`);
  });
}

/** Runs the summary, triple and spend queries on every engine and compares them with the engine's. */
async function checkOrders(
  engine: SqlEngine,
  source: OrdersSource,
  summary: CustomerSummary,
  options: { asOf: string | null; period: PeriodUnit; dates: DateReading },
) {
  const base = { orders: source, asOf: options.asOf, period: options.period, dates: options.dates };
  const fit = fitDataOf(summary);
  const spend = toSpendData(summary.monetaryCount, summary.monetary);
  {
    const result = await engine.query(renderQuery(customerSummaryQuery({ dialect: engine.name, ...base })));
    expectSameSummary(engine.name, result.columns, result.rows, summary);

    const triples = await engine.query(renderQuery(tripleQuery({ dialect: engine.name, ...base })));
    const sqlTriples = new Map(triples.rows.filter((r) => Number(r[2]) > 0).map((r) => [`${Number(r[0])}|${Number(r[1])}|${Number(r[2])}`, Number(r[3])]));
    const engineTriples = new Map(Array.from(fit.x, (x, k) => [`${x}|${fit.t_x[k]}|${fit.T[k]}`, fit.weight[k]]));
    expect(sqlTriples, `${engine.name}: triples`).toEqual(engineTriples);

    const pairs = await engine.query(renderQuery(spendQuery({ dialect: engine.name, ...base })));
    const sqlCount = pairs.rows.reduce((sum, r) => sum + Number(r[2]), 0);
    const engineCount = spend.weight.reduce((sum, w) => sum + w, 0);
    expect(sqlCount, `${engine.name}: Gamma-Gamma customers`).toBe(engineCount);
    const sqlSum = pairs.rows.reduce((sum, r) => sum + Number(r[0]) * Number(r[1]) * Number(r[2]), 0);
    const engineSum = Array.from(spend.x).reduce((sum, x, k) => sum + x * spend.mbar[k] * spend.weight[k], 0);
    expect(Math.abs(sqlSum - engineSum)).toBeLessThanOrEqual(1e-9 * engineSum);
  }
}

const cdnowData = once(() => {
  const dir = sharedDir("data", "cdnow")!;
  const transactions = cdnowTransactions(dir);
  const csv = writeCsv(
    path.join(work, "cdnow.csv"),
    ["customer id", "date", "amount"],
    Array.from(transactions.customerIndex, (c, i) => [transactions.customerIds[c], formatSerial(transactions.orderDates[i]), transactions.orderValues![i]]),
  );
  return { transactions, csv };
});

const generatedData = once(() => {
  const data = generatedOrders();
  const csv = writeCsv(
    path.join(work, "generated.csv"),
    ["id", "when", "net"],
    data.ids.map((id, i) => [id, data.dates[i], data.values[i]]),
  );
  return { transactions: readTransactions([data.ids], [data.dates], [data.values]), csv };
});

describe.each(ENGINES)("the summary SQL on %s", (name) => {
  it("gives the engine's CDNOW summary (weeks, as of the calibration end, and months by default as-of)", async (ctx) => {
    if (!sharedDir("data", "cdnow")) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const engine = engineOf(name, ctx);
    const { transactions, csv } = cdnowData();
    const columns = [
      ["customer id", "TEXT"],
      ['order "date"', "DATE"],
      ["amount", "DOUBLE PRECISION"],
    ] as const;
    await ensureTable(engine, "cdnow orders", columns, () => csv);
    const source: OrdersSource = { table: "cdnow orders", customer: "customer id", date: 'order "date"', value: "amount" };
    const asOf = Date.UTC(1997, 8, 30) / 86_400_000 + 25_569;
    const weekly = summarizeCustomers(transactions, { asOf, periodUnit: "week" });
    expect(weekly.ordersAfterAsOf).toBeGreaterThan(0);
    await checkOrders(engine, source, weekly, { asOf: "1997-09-30", period: "week", dates: "typed" });
    await checkOrders(engine, source, summarizeCustomers(transactions, { periodUnit: "month" }), { asOf: null, period: "month", dates: "typed" });
  }, TIMEOUT);

  it("gives the engine's summary on generated orders: same-day orders, refunds, later orders, offsets, awkward names", async (ctx) => {
    const engine = engineOf(name, ctx);
    const { transactions, csv } = generatedData();
    const columns = [
      ["Customer's id", "TEXT"],
      ["order date", "TEXT"],
      ['amount "net"', "DOUBLE PRECISION"],
    ] as const;
    await ensureTable(engine, "Order lines", columns, () => csv);
    const source: OrdersSource = { table: "Order lines", customer: "Customer's id", date: "order date", value: 'amount "net"' };
    const asOf = Date.UTC(2024, 5, 15) / 86_400_000 + 25_569;
    for (const period of ["day", "week", "month"] as const) {
      const summary = summarizeCustomers(transactions, { asOf, periodUnit: period });
      // The data have what the test is about.
      expect(summary.ordersAfterAsOf).toBeGreaterThan(0);
      expect(summary.customersAfterAsOf).toBeGreaterThan(0);
      expect(Array.from(summary.nonPositiveDays).some((n) => n > 0)).toBe(true);
      expect(Array.from(summary.orders).some((n, i) => n > summary.frequency[i] + 1)).toBe(true);
      await checkOrders(engine, source, summary, { asOf: "2024-06-15", period, dates: "text" });
    }
  }, TIMEOUT);
});

// ---------------------------------------------------------------------------------------------
// Touchpoints

/** Grouped journeys: path → [conversions, value, nulls]; the key "" holds the unattributed conversions. */
type PathTable = Map<string, [number, number, number]>;

/** The engine's journeys (IMC.ATTRIBUTE.EVENTS's cutting) grouped by path, through a recording aggregator. */
function enginePaths(cells: { ids: unknown[]; times: unknown[]; channels: unknown[]; conversions: unknown[] }, lookbackDays: number): PathTable {
  const log = readTouchpointLog({ customerIds: cells.ids, timestamps: cells.times, channels: cells.channels, conversions: cells.conversions });
  const names: string[] = [];
  const ids = new Map<string, number>();
  const table: PathTable = new Map();
  const add = (key: string, conversions: number, value: number, nulls: number) => {
    const entry = table.get(key) ?? [0, 0, 0];
    entry[0] += conversions;
    entry[1] += value;
    entry[2] += nulls;
    table.set(key, entry);
  };
  const recorder = {
    channelId(name: string) {
      let id = ids.get(name);
      if (id === undefined) {
        id = names.length;
        names.push(name);
        ids.set(name, id);
      }
      return id;
    },
    addJourney(touches: ArrayLike<number>, length: number, conversions: number, value: number, nulls: number) {
      add(Array.from({ length }, (_, i) => names[touches[i]]).join(" > "), conversions, value, nulls);
    },
  };
  const summary = addTouchpointLog(log, recorder as unknown as JourneyAggregator, lookbackDays);
  if (summary.unattributedConversions > 0) add("", summary.unattributedConversions, summary.unattributedValue, 0);
  return table;
}

async function checkPaths(engine: SqlEngine, source: TouchpointSource, expected: PathTable, lookbackDays: number, dates: DateReading) {
  {
    const result = await engine.query(renderQuery(pathQuery({ dialect: engine.name, touchpoints: source, lookbackDays, dates })));
    expect(result.columns).toEqual(["path", "conversions", "value", "nulls"]);
    const actual: PathTable = new Map(result.rows.map((r) => [r[0] ?? "", [Number(r[1]), Number(r[2]), Number(r[3])]]));
    expect([...actual.keys()].sort(), `${engine.name}: paths`).toEqual([...expected.keys()].sort());
    for (const [key, [conversions, value, nulls]] of expected) {
      const got = actual.get(key)!;
      expect([got[0], got[2]], `${engine.name} "${key}": conversions, nulls`).toEqual([conversions, nulls]);
      expect(Math.abs(got[1] - value), `${engine.name} "${key}": value ${got[1]} vs ${value}`).toBeLessThanOrEqual(1e-9 * Math.max(1, value));
    }
  }
}

const TOUCHPOINT_COLUMNS = [
  ["visitor", "TEXT"],
  ["seen at", "TIMESTAMP"],
  ["Channel", "TEXT"],
  ["conv. value", "DOUBLE PRECISION"],
] as const;

const channelAttributionLog = once(() => {
  const dir = sharedDir("data", "attribution")!;
  const lines = readFileSync(path.join(dir, "channelattribution_example_Data.csv"), "utf8").split("\n").slice(1).filter((l) => l.trim() !== "");
  const ids: string[] = [];
  const times: string[] = [];
  const channels: (string | null)[] = [];
  const conversions: (number | null)[] = [];
  let customer = 0;
  const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
  const journey = (who: string, path: string[], start: number, value: number | null): number => {
    let t = start;
    for (const channel of path) {
      ids.push(who);
      times.push(stamp(t));
      channels.push(channel);
      conversions.push(null);
      t += 6 * 3_600_000;
    }
    if (value !== null) {
      ids.push(who);
      times.push(stamp(t - 5 * 3_600_000));
      channels.push(null);
      conversions.push(value);
    }
    return t + 86_400_000;
  };
  let totalConversions = 0;
  let totalNulls = 0;
  for (const line of lines) {
    const [pathText, c, v, n] = line.split(";");
    const path = pathText.split(">").map((s) => s.trim()).filter((s) => s !== "");
    const conversionCount = Number(c);
    const nullCount = Number(n);
    totalConversions += conversionCount;
    totalNulls += nullCount;
    // The first customer of the row converts on every conversion of the row, then leaves a null;
    // each further null is a customer of its own.
    for (let k = 0; k < nullCount; k++) {
      const who = `u${customer++}`;
      let t = Date.UTC(2024, 0, 1) + (customer % 97) * 86_400_000;
      if (k === 0) for (let j = 0; j < conversionCount; j++) t = journey(who, path, t, Number(v) / conversionCount);
      journey(who, path, t, null);
    }
  }
  expect([totalConversions, totalNulls]).toEqual([19_785, 68_602]);
  const csv = writeCsv(
    path.join(work, "ca-log.csv"),
    ["visitor", "seen at", "channel", "conversion"],
    ids.map((id, i) => [id, times[i], channels[i], conversions[i]]),
  );
  const expected = enginePaths({ ids, times, channels, conversions }, 30);
  return { csv, expected };
});

describe.each(ENGINES)("the path SQL on %s", (name) => {
  it("cuts the ChannelAttribution example paths, expanded into a touchpoint log, as IMC.ATTRIBUTE.EVENTS does", async (ctx) => {
    if (!sharedDir("data", "attribution")) return ctx.skip(sharedSkipMessage("data", "attribution"));
    const engine = engineOf(name, ctx);
    const { csv, expected } = channelAttributionLog();
    const sums = [...expected.values()].reduce((a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]], [0, 0, 0]);
    expect(sums[0]).toBe(19_785);
    expect(sums[2]).toBe(68_602);
    expect(Math.abs(sums[1] - 74_802.97158721084)).toBeLessThan(1e-6);
    await ensureTable(engine, "ca touchpoints", TOUCHPOINT_COLUMNS, () => csv);
    await checkPaths(engine, { table: "ca touchpoints", customer: "visitor", timestamp: "seen at", channel: "Channel", conversion: "conv. value" }, expected, 30, "typed");
  }, TIMEOUT);

  it("cuts a generated log: look-back, conversion rows with and without a channel, ties, unattributed conversions, offsets", async (ctx) => {
    const engine = engineOf(name, ctx);
    const next = random(3);
    const channelNames = ["Email", "Paid search", "Social", "Direct", "Affiliate 'A'"];
    const offsets = ["", "Z", "+02:00", "-0800", "+05"];
    const rows: [string, string, string | null, number | null, number][] = [];
    for (let c = 0; c < 400; c++) {
      let t = Date.UTC(2024, 0, 1) + Math.floor(next() * 100) * 86_400_000;
      const n = 1 + Math.floor(next() * 12);
      for (let k = 0; k < n; k++) {
        const step = next();
        // Same time (a tie), hours, days, or a gap past the look-back.
        t += step < 0.15 ? 0 : step < 0.6 ? Math.floor(next() * 20) * 3_600_000 : step < 0.9 ? Math.floor(next() * 9) * 86_400_000 : 20 * 86_400_000;
        const at = new Date(t).toISOString();
        const text = `${at.slice(0, 10)}T${at.slice(11, 19)}${offsets[Math.floor(next() * offsets.length)]}`;
        const kind = next();
        const isConversion = kind < 0.25;
        const channel = isConversion && next() < 0.5 ? null : channelNames[Math.floor(next() * channelNames.length)];
        rows.push([`v${c}`, text, channel, isConversion ? Math.round(next() * 10000) / 100 + 1 : null, rows.length + 1]);
      }
    }
    const csv = writeCsv(path.join(work, "generated-log.csv"), ["id", "time", "channel", "conversion", "seq"], rows);
    const columns = [
      ["visitor", "TEXT"],
      ["seen at", "TEXT"],
      ["Channel", "TEXT"],
      ["conv. value", "DOUBLE PRECISION"],
      ["row", "INTEGER"],
    ] as const;
    await ensureTable(engine, "generated touchpoints", columns, () => csv);
    const source: TouchpointSource = { table: "generated touchpoints", customer: "visitor", timestamp: "seen at", channel: "Channel", conversion: "conv. value", order: "row" };
    for (const lookback of [30, 7, 0.5]) {
      const expected = enginePaths(
        { ids: rows.map((r) => r[0]), times: rows.map((r) => r[1]), channels: rows.map((r) => r[2]), conversions: rows.map((r) => r[3]) },
        lookback,
      );
      expect(expected.has("")).toBe(true);
      await checkPaths(engine, source, expected, lookback, "text");
    }
  }, TIMEOUT);
});
