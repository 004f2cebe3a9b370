/**
 * The Attribution tab's facts summarised by DuckDB from a touchpoint log (`attributionFactsFrom`, the
 * out-of-core route of `imc report --from`) against the same facts computed from the rows in memory
 * (`attributionFactsOf` on the log `imc report --from` reads row by row), and the Attribution tab of
 * `imc report --from` built each way (with and without a small --max-cells): the same facts, and the
 * same tab cell for cell apart from the source line of the provenance.
 *
 * Tolerance: counts, channel order, the log's period and the value sums are exact (the value sums are
 * added in the rows' order); the credit per channel may differ in the last bits, 1e-9 relative,
 * because DuckDB adds it per distinct path and per batch rather than journey by journey, and the time
 * decay takes the days between two times from microseconds rather than from Excel serials.
 *
 * Logs: the real ChannelAttribution example paths (../shared/data/attribution) expanded into a log,
 * and generated logs with ties in time, several touches at the same time, conversions with no touch
 * in the look-back, conversion rows with and without a channel, repeated conversions of one customer
 * (two at the same time), prospects, text and numeric ids, a channel named with " > ", rows out of
 * time order; each as CSV and Parquet, in one batch and in customer batches.
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { TOUCHPOINT_COLUMNS } from "../../src/cli/csv/columns";
import { openDuckDb } from "../../src/cli/duckdb/connection";
import { readFileSheets } from "../../src/cli/duckdb/fileSheets";
import { attributionFactsFrom } from "../../src/cli/duckdb/report/attributionFacts";
import { touchpointParts } from "../../src/cli/duckdb/report/parts";
import { fileSource } from "../../src/cli/duckdb/source";
import type { ValueRule } from "../../src/cli/duckdb/valueReading";
import { ATTRIBUTION_MODELS, DEFAULT_HALF_LIFE_DAYS, DEFAULT_LOOKBACK_DAYS } from "../../src/engine/attribution";
import { BLANK_TOUCH_CHANNEL_PROBLEM, negativeConversionProblem } from "../../src/engine/attribution/touchpointLog";
import { attributionFactsFor, attributionFactsOf, attributionRefusalOf, type AttributionFacts, type AttributionFactsOptions } from "../../src/reports/attribution/facts";
import { EngineError } from "../../src/engine/errors";
import { businessDataOf, detectTables } from "../../src/reports/detect";
import type { TouchpointsInput } from "../../src/reports/inputs";
import type { SummarisedTouchpoints } from "../../src/reports/summarisedTouchpoints";
import { generateSampleBusiness } from "../../src/sample/business";
import { csvFileName, tableToCsv } from "../../src/sample/csv";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { cellsOf, runImcIn, scratchFolder, writeCsv } from "./engines";

const TIMEOUT = 240_000;
const scratch = scratchFolder("imc-report-tp-attribution-");
const imc = (args: string[]) => runImcIn(scratch.path, args);
const CONVERSION_RULE: ValueRule = { argument: "conversions", blankIsError: false, negative: negativeConversionProblem };
const DEFAULTS: AttributionFactsOptions = { lookbackDays: DEFAULT_LOOKBACK_DAYS, halfLifeDays: DEFAULT_HALF_LIFE_DAYS };
/** Relative tolerance of the credits (see the header). */
const CREDIT_TOLERANCE = 1e-9;

/** A touchpoint log's rows: id, "yyyy-mm-dd hh:mm:ss", channel (null: blank), conversion value (null: blank). */
type LogRow = [id: string | number, time: string, channel: string | null, conversion: number | null];

const HEADER = ["customer_id", "timestamp", "channel", "conversion"];

/** Writes the log as `name`.csv and `name`.parquet (TIMESTAMP and DOUBLE columns, ids as text) in the scratch folder. */
async function writeLog(name: string, rows: readonly LogRow[]): Promise<{ csv: string; parquet: string }> {
  const csv = writeCsv(path.join(scratch.path, `${name}.csv`), HEADER, rows);
  const parquet = path.join(scratch.path, `${name}.parquet`);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(
      `COPY (SELECT * FROM read_csv('${csv}', header = true, types = {'customer_id': 'VARCHAR', 'timestamp': 'TIMESTAMP', 'channel': 'VARCHAR', 'conversion': 'DOUBLE'})) TO '${parquet}' (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { csv: `${name}.csv`, parquet: `${name}.parquet` };
}

/** The log of a file as `imc report --from` reads it in memory (the sheet, detection, the touchpoint table). */
async function memoryLog(file: string): Promise<TouchpointsInput> {
  const sheets = await readFileSheets([{ display: file, pattern: path.join(scratch.path, file) }]);
  const touchpoints = businessDataOf(sheets, detectTables(sheets)).touchpoints;
  if (touchpoints === null) throw new Error(`no touchpoint log found in ${file}`);
  return touchpoints;
}

/** The facts DuckDB computes from the file, opened as summariseTouchpoints opens it. */
async function duckFacts(file: string, options: AttributionFactsOptions, rowCount: number): Promise<AttributionFacts> {
  const db = await openDuckDb();
  try {
    const source = await fileSource(
      db,
      path.join(scratch.path, file),
      file,
      TOUCHPOINT_COLUMNS,
      { customer: "customer_id", timestamp: "timestamp", channel: "channel", conversion: "conversion" },
      "timestamp",
      { id: "customer", rowOrder: true, value: { role: "conversion", rule: CONVERSION_RULE, touchLabel: { role: "channel", problem: BLANK_TOUCH_CHANNEL_PROBLEM } } },
    );
    return await attributionFactsFrom({ db, source, extras: { stage: null, content: null }, display: file, pattern: file, rowCount, orders: null }, options);
  } finally {
    db.close();
  }
}

const close = (actual: number, expected: number, relative: number): boolean => actual === expected || Math.abs(actual - expected) <= relative * Math.max(1, Math.abs(expected));

/** Expects the same facts: counts, channels, period and value sums exactly, credits within the tolerance. Returns the numbers compared. */
function expectSameFacts(actual: AttributionFacts, expected: AttributionFacts, label: string): number {
  expect(actual.computedFor, label).toEqual(expected.computedFor);
  expect(actual.log, `${label}: log`).toEqual(expected.log);
  expect(actual.summary, `${label}: journeys`).toEqual(expected.summary);
  const a = actual.result;
  const e = expected.result;
  expect(a.channels, `${label}: channels in the order the rows name them`).toEqual(e.channels);
  expect(a.totals.conversions, `${label}: conversions credited`).toBe(e.totals.conversions);
  expect(a.totals.value, `${label}: value credited`).toBe(e.totals.value);
  expect(a.totals.nulls, `${label}: nulls`).toBe(e.totals.nulls);
  let compared = 0;
  for (const model of ATTRIBUTION_MODELS) {
    for (const of of ["conversions", "value"] as const) {
      const got = a.credit[model]![of];
      const want = e.credit[model]![of];
      expect(got.length, `${label}: ${model} ${of}`).toBe(want.length);
      want.forEach((x, id) => {
        expect(close(got[id], x, CREDIT_TOLERANCE), `${label}: ${model} ${of} of ${e.channels[id]}: ${got[id]} vs ${x}`).toBe(true);
        compared++;
      });
    }
  }
  expect(a.markov!.hasNulls).toBe(e.markov!.hasNulls);
  expect(a.markov!.states).toBe(e.markov!.states);
  e.markov!.removalEffect.forEach((x, id) => {
    expect(close(a.markov!.removalEffect[id], x, CREDIT_TOLERANCE), `${label}: removal effect of ${e.channels[id]}`).toBe(true);
    compared++;
  });
  return compared;
}

/** Where the provenance starts ("Where these numbers come from"), as a row number. */
function footOf(cells: Map<string, unknown>): number {
  for (const [address, value] of cells) if (value === "Where these numbers come from") return Number(address.replace(/^[A-Z]+/, ""));
  return Infinity;
}

/** Text of the provenance that says how and when the log was read: the source, the reading notes, the time. */
const READING = /\.csv|\.parquet|touchpoint rows|read from text|\d{2}:\d{2} UTC/;

/**
 * Expects the same Attribution tab: every cell above the provenance the same (numbers within the
 * tolerance, text equal), and every line of the provenance found in the other tab's provenance but
 * those that say how and when the log was read (the source, reading notes, time of generation).
 * Returns the numbers compared.
 */
function expectSameTab(actual: Map<string, unknown>, expected: Map<string, unknown>, label: string): number {
  const foot = footOf(expected);
  expect(foot, label).toBeLessThan(Infinity);
  expect(footOf(actual), `${label}: the provenance starts on the same row`).toBe(foot);
  const rowOf = (address: string) => Number(address.replace(/^[A-Z]+/, ""));
  const provenance = new Set([...actual].filter(([address]) => rowOf(address) >= foot).map(([, value]) => value));
  let numbers = 0;
  for (const [address, value] of expected) {
    const got = actual.get(address);
    if (rowOf(address) >= foot) {
      if (!(typeof value === "string" && READING.test(value))) expect(provenance.has(value), `${label}: ${address} ${String(value)} in the provenance`).toBe(true);
      continue;
    }
    if (typeof value === "number") {
      numbers++;
      expect(typeof got, `${label}: ${address}`).toBe("number");
      expect(close(got as number, value, CREDIT_TOLERANCE), `${label}: ${address}: ${String(got)} vs ${value}`).toBe(true);
    } else {
      expect(got, `${label}: ${address}`).toEqual(value);
    }
  }
  for (const address of actual.keys()) {
    if (rowOf(address) < foot) expect(expected.has(address), `${label}: ${address} only out of core`).toBe(true);
  }
  return numbers;
}

/** Runs the report on `file` in memory and out of core (--max-cells 200) and expects the same Attribution tab. */
async function expectSameReport(file: string, label: string): Promise<{ numbers: number; source: string }> {
  const options = ["--tabs", "attribution", "--currency", "USD", "--no-html", "--force"];
  const memory = await imc(["report", "--from", file, "--out", "memory.xlsx", ...options]);
  expect(memory.code, `${label}: ${memory.stderr}`).toBe(0);
  expect(memory.stderr, label).not.toContain("summarised out of core");
  const ooc = await imc(["report", "--from", file, "--out", "ooc.xlsx", "--max-cells", "200", ...options]);
  expect(ooc.code, `${label}: ${ooc.stderr}`).toBe(0);
  expect(ooc.stderr, label).toContain("summarised out of core with DuckDB");
  expect(ooc.stdout, label).toContain('Wrote "Attribution" to ooc.xlsx');
  const actual = (await cellsOf(path.join(scratch.path, "ooc.xlsx"))).get("Attribution")!;
  const expected = (await cellsOf(path.join(scratch.path, "memory.xlsx"))).get("Attribution")!;
  const source = [...actual.values()].find((v): v is string => typeof v === "string" && v.includes("touchpoint rows, summarised"));
  return { numbers: expectSameTab(actual, expected, label), source: source ?? "" };
}

/** A seeded generator (mulberry32), so the generated logs are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
const DAY = 86_400_000;

/**
 * A generated log: customers with text ids ("C12") and numeric ids (5012), most touches on a 6-hour
 * grid (so ties in time are common), others at any second, some at the very time of a conversion or
 * of another touch, conversion rows with and without a channel, repeated conversions (two at the
 * same time), conversions whose touches are all more than the look-back before them or who have
 * none, prospects; rows shuffled.
 */
function generatedLog(seed: number, customers: number): LogRow[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const channels = ["Email", "Paid Search", "Display", "Social", "Direct", "Email > Newsletter", "Affiliate"];
  const start = Date.UTC(2024, 0, 1);
  const rows: LogRow[] = [];
  for (let c = 0; c < customers; c++) {
    const id: string | number = c % 3 === 0 ? 5000 + c : `C${c}`;
    const kind = next();
    const touches = 1 + Math.floor(next() * 6);
    const times: number[] = [];
    for (let k = 0; k < touches; k++) {
      // On the 6-hour grid, or (one touch in five) at any second.
      const t = start + Math.floor(next() * 120) * DAY + (next() < 0.2 ? Math.floor(next() * 86_400) * 1000 : Math.floor(next() * 4) * 6 * 3_600_000);
      times.push(t);
      rows.push([id, stamp(t), pick(channels), null]);
      // Two touches at once.
      if (next() < 0.1) rows.push([id, stamp(t), pick(channels), 0]);
    }
    if (kind < 0.25) continue; // a prospect
    const last = Math.max(...times);
    const value = () => Math.round(next() * 20000) / 100 + 0.01;
    if (kind < 0.35) {
      // Converts long after every touch: no touch in the look-back.
      rows.push([id, stamp(last + 45 * DAY), null, value()]);
      continue;
    }
    if (kind < 0.4) {
      // Converts before any touch (the touches then form a non-converting journey).
      rows.push([id, stamp(start - 5 * DAY), next() < 0.5 ? "Direct" : null, value()]);
      continue;
    }
    // Converts at the last touch's time or after it, with the channel of the conversion or not.
    const at = next() < 0.3 ? last : last + Math.floor(next() * 10) * 3_600_000;
    rows.push([id, stamp(at), next() < 0.4 ? pick(channels) : null, value()]);
    if (next() < 0.3) {
      // A repeated conversion: at the same time, or later with new touches.
      if (next() < 0.5) rows.push([id, stamp(at), null, value()]);
      else {
        rows.push([id, stamp(at + 3 * DAY), pick(channels), null]);
        rows.push([id, stamp(at + 4 * DAY), null, value()]);
      }
    }
  }
  // Rows out of time order: shuffle.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

/** The first `lines` paths of the ChannelAttribution example, expanded into a log (as test/sql/summarySql.test.ts does). */
function channelAttributionLog(dir: string, lines: number): LogRow[] {
  const paths = readFileSync(path.join(dir, "channelattribution_example_Data.csv"), "utf8").split("\n").slice(1, 1 + lines).filter((l) => l.trim() !== "");
  const rows: LogRow[] = [];
  let customer = 0;
  const journey = (who: string, channels: string[], from: number, value: number | null): number => {
    let t = from;
    for (const channel of channels) {
      rows.push([who, stamp(t), channel, null]);
      t += 6 * 3_600_000;
    }
    if (value !== null) rows.push([who, stamp(t - 5 * 3_600_000), null, value]);
    return t + DAY;
  };
  for (const line of paths) {
    const [pathText, c, v, n] = line.split(";");
    const channels = pathText.split(">").map((s) => s.trim()).filter((s) => s !== "");
    const conversions = Number(c);
    // The first customer of the row converts on every conversion of the row, then leaves a null;
    // each further null is a customer of its own.
    for (let k = 0; k < Math.max(1, Number(n)); k++) {
      const who = `u${customer++}`;
      let t = Date.UTC(2024, 0, 1) + (customer % 97) * DAY;
      if (k === 0) for (let j = 0; j < conversions; j++) t = journey(who, channels, t, Number(v) / conversions);
      journey(who, channels, t, null);
    }
  }
  return rows;
}

describe("Attribution facts from a touchpoint log: DuckDB out of core = the rows in memory", () => {
  it(
    "on the ChannelAttribution example paths expanded into a log (CSV and Parquet), and the tab of imc report --from both ways",
    async (ctx) => {
      const dir = sharedDir("data", "attribution");
      if (!dir) return ctx.skip(sharedSkipMessage("data", "attribution"));
      const rows = channelAttributionLog(dir, 400);
      const files = await writeLog("touchpoints-ca", rows);
      const expected = attributionFactsOf(await memoryLog(files.csv), DEFAULTS);
      expect(expected.log.rows).toBe(rows.length);
      expect(expected.summary.nonConvertingJourneys).toBeGreaterThan(100);
      for (const file of [files.csv, files.parquet]) {
        expect(expectSameFacts(await duckFacts(file, DEFAULTS, rows.length), expected, file)).toBeGreaterThan(100);
      }
      const { numbers, source } = await expectSameReport(files.csv, "touchpoints-ca.csv");
      expect(numbers).toBeGreaterThan(100);
      expect(source).toBe(`touchpoints-ca.csv (${rows.length.toLocaleString("en-US")} touchpoint rows, summarised)`);
    },
    TIMEOUT,
  );

  it(
    "on generated logs with ties in time, conversions without a touch, repeated conversions, text and numeric ids (CSV and Parquet, one batch and customer batches)",
    async () => {
      for (const seed of [1, 2]) {
        const rows = generatedLog(seed, 300);
        const files = await writeLog(`touchpoints-${seed}`, rows);
        const memory = await memoryLog(files.csv);
        const options: AttributionFactsOptions = seed === 1 ? DEFAULTS : { lookbackDays: 14.5, halfLifeDays: 3 };
        const expected = attributionFactsOf(memory, options);
        // The generated cases are there.
        expect(expected.summary.unattributedConversions, `seed ${seed}`).toBeGreaterThan(5);
        expect(expected.summary.touchesOutsideLookback, `seed ${seed}`).toBeGreaterThan(5);
        expect(expected.log.ids - expected.log.customers, `seed ${seed}: prospects`).toBeGreaterThan(20);
        expect(expected.summary.conversions, `seed ${seed}: repeated conversions`).toBeGreaterThan(expected.log.customers);
        expect(expected.result.channels).toContain("Email > Newsletter");
        for (const file of [files.csv, files.parquet]) {
          expectSameFacts(await duckFacts(file, options, rows.length), expected, `${file}`);
        }
        // Several customer batches: a customer's rows in one, channel order and value sums across them.
        const before = process.env.IMC_ATTRIBUTE_BATCH_ROWS;
        process.env.IMC_ATTRIBUTE_BATCH_ROWS = "250";
        try {
          expectSameFacts(await duckFacts(files.parquet, options, rows.length), expected, `${files.parquet} in batches`);
        } finally {
          if (before === undefined) delete process.env.IMC_ATTRIBUTE_BATCH_ROWS;
          else process.env.IMC_ATTRIBUTE_BATCH_ROWS = before;
        }
        for (const file of [files.csv, files.parquet]) expect((await expectSameReport(file, file)).numbers).toBeGreaterThan(50);
      }
    },
    TIMEOUT,
  );

  it(
    "time decay with a half-life far shorter than the look-back (weights measured from the latest touch, not the conversion): the same facts",
    async () => {
      // 30 days of look-back over 0.01-day half-lives: 3,000 half-lives, where 2^-3000 rounds to 0. The
      // far customers' touches lie 12 to 20 days (1,200 to 2,000 half-lives) before their conversions.
      const far: LogRow[] = [
        ["far-1", "2024-02-01 09:00:00", "Email", null],
        ["far-1", "2024-02-05 12:00:00", "Display", null],
        ["far-1", "2024-02-21 09:00:00", null, 40],
        ["far-2", "2024-03-01 08:00:00", "Search", null],
        ["far-2", "2024-03-13 08:00:00", "Search", 25],
      ];
      const rows = [...generatedLog(3, 300), ...far];
      const files = await writeLog("touchpoints-short-half-life", rows);
      const options: AttributionFactsOptions = { lookbackDays: 30, halfLifeDays: 0.01 };
      const expected = attributionFactsOf(await memoryLog(files.csv), options);
      const credit = expected.result.credit.time_decay!.conversions;
      expect(credit.every((c) => Number.isFinite(c))).toBe(true);
      expect(credit.reduce((s, c) => s + c, 0)).toBeCloseTo(expected.summary.convertingJourneys, 6);
      expectSameFacts(await duckFacts(files.parquet, options, rows.length), expected, `${files.parquet}, half-life 0.01 days`);
    },
    TIMEOUT,
  );

  it(
    "on the sample business with its log over --max-cells: the Attribution and Budget tabs (which reads the attribution) the same",
    async () => {
      const business = generateSampleBusiness({ customers: 400, seed: 7 });
      mkdirSync(path.join(scratch.path, "sample"), { recursive: true });
      for (const table of business.tables) {
        const name = csvFileName(table.name);
        writeFileSync(path.join(scratch.path, name === "touchpoints.csv" ? name : path.join("sample", name)), tableToCsv(table));
      }
      const options = ["--tabs", "attribution,budget", "--no-html", "--force"];
      const memory = await imc(["report", "--from", "sample/*.csv,touchpoints.csv", "--out", "sample-memory.xlsx", ...options]);
      expect(memory.code, memory.stderr).toBe(0);
      // The other tables hold about 12,300 cells and the log 30,500 (4,364 rows of 7 columns): only the log goes over.
      const ooc = await imc(["report", "--from", "sample/*.csv,touchpoints.csv", "--out", "sample-ooc.xlsx", "--max-cells", "20000", ...options]);
      expect(ooc.code, ooc.stderr).toBe(0);
      expect(ooc.stderr).toContain("touchpoint rows, more cells than --max-cells (20,000) allows in memory: summarised out of core with DuckDB");
      expect(ooc.stdout).toContain('Wrote "Attribution", "Budget" to sample-ooc.xlsx');
      const actual = await cellsOf(path.join(scratch.path, "sample-ooc.xlsx"));
      const expected = await cellsOf(path.join(scratch.path, "sample-memory.xlsx"));
      expect(expectSameTab(actual.get("Attribution")!, expected.get("Attribution")!, "Attribution")).toBeGreaterThan(200);
      expect(expectSameTab(actual.get("Budget")!, expected.get("Budget")!, "Budget")).toBeGreaterThan(50);
    },
    TIMEOUT,
  );

  it("computes the facts only for a run that builds the Attribution or the Budget tab (the Journey facts only for the Journey tab)", async () => {
    // A log whose every query would fail: only a run that wants the facts touches it.
    const log = { db: null, source: null, rowCount: 1 } as unknown as Parameters<ReturnType<typeof touchpointParts>>[0];
    expect(await touchpointParts({ tabs: ["segmentation", "cohorts"] })(log)).toEqual({ attribution: null, journeys: null });
    await expect(touchpointParts({ tabs: ["journey"] })(log)).rejects.toThrow();
    await expect(touchpointParts({ tabs: ["budget"] })(log)).rejects.toThrow();
    await expect(touchpointParts({})(log)).rejects.toThrow();
  });

  it("skips the tab with the rows' words when no conversion has a touch in its window", async () => {
    const rows: LogRow[] = [
      ["a", "2024-01-01 10:00:00", "Email", null],
      ["a", "2024-03-01 10:00:00", null, 20],
      ["b", "2024-01-02 10:00:00", "Display", null],
      ["b", "2024-04-02 10:00:00", "Display", null],
      ["c", "2024-05-02 10:00:00", null, 15],
      ...Array.from({ length: 60 }, (_, i): LogRow => [`p${i}`, `2024-02-${String(1 + (i % 28)).padStart(2, "0")} 09:00:00`, "Social", null]),
    ];
    const files = await writeLog("touchpoints-no-window", rows);
    const memory = await imc(["report", "--from", files.csv, "--out", "nw-memory.xlsx", "--no-html", "--force"]);
    const ooc = await imc(["report", "--from", files.csv, "--out", "nw-ooc.xlsx", "--max-cells", "100", "--no-html", "--force"]);
    // No tab is built: the run fails, listing why each tab was skipped.
    const reason = (run: { stdout: string; stderr: string }) => `${run.stdout}\n${run.stderr}`.split("\n").find((line) => line.startsWith("Skipped the Attribution tab:"));
    expect(reason(memory)).toBe("Skipped the Attribution tab: none of the 2 conversions has a touch within lookback_days (30 days) before it; nothing to attribute");
    expect(reason(ooc)).toBe(reason(memory));
    expect(ooc.stderr).toContain("summarised out of core with DuckDB");
  }, TIMEOUT);

  it("refuses, as a bug, facts summarised for another look-back or half-life", () => {
    const rows: LogRow[] = [
      ["a", "2024-01-01 10:00:00", "Email", null],
      ["a", "2024-01-03 10:00:00", null, 20],
    ];
    const log: TouchpointsInput = { source: "log", customerIds: rows.map((r) => r[0]), timestamps: rows.map((r) => r[1]), channels: rows.map((r) => r[2]), conversions: rows.map((r) => r[3]) };
    const facts = attributionFactsOf(log, DEFAULTS);
    const summarised: TouchpointsInput = { source: "log", customerIds: [], timestamps: [], channels: [], conversions: [], summarised: { rowCount: 2, attribution: facts } as SummarisedTouchpoints };
    expect(attributionFactsFor(summarised, DEFAULTS)).toBe(facts);
    expect(() => attributionFactsFor(summarised, { ...DEFAULTS, halfLifeDays: 3 })).toThrow(/computed for other options \(half-life 7 days instead of 3\)/);
    expect(() => attributionFactsFor({ ...summarised, summarised: { rowCount: 2, attribution: null } as SummarisedTouchpoints }, DEFAULTS)).toThrow(/bug: .* not computed/);
    // A log that cannot be attributed is kept as the error that skips the tab, and thrown again by the tab.
    expect(attributionRefusalOf(new EngineError("INVALID_INPUT", "conversions row 3: bad"), DEFAULTS)).toBeNull();
    expect(attributionRefusalOf(new Error("DuckDB failed"), DEFAULTS)).toBeNull();
    const refusal = attributionRefusalOf(new EngineError("NOT_CONVERGED", "markov: the solve did not converge", { argument: "markov" }), DEFAULTS)!;
    expect(refusal).toEqual({ computedFor: DEFAULTS, cannotAttribute: { code: "NOT_CONVERGED", message: "markov: the solve did not converge", argument: "markov" } });
    const refused = { ...summarised, summarised: { rowCount: 2, attribution: refusal } as SummarisedTouchpoints };
    expect(() => attributionFactsFor(refused, DEFAULTS)).toThrow(expect.objectContaining({ code: "NOT_CONVERGED", argument: "markov", message: "markov: the solve did not converge" }));
  });
});
