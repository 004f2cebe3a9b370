/**
 * The Journey tab from a touchpoint log over --max-cells: DuckDB's journey facts
 * (src/cli/duckdb/report/journeyFacts.ts) equal the facts of the same log read row by row
 * (src/reports/journey/facts.ts), and `imc report --from` builds the same Journey tab, cell for cell
 * (apart from the provenance, which says how the log was read), with and without a small
 * --max-cells. Checked on the sample business (stages, contents, orders in memory), the
 * ChannelAttribution paths turned into a log, and generated logs with what the cutting must get
 * right (same-time touches, conversions without a touch in the look-back, repeated conversions of a
 * customer, conversion rows with and without a channel, blank and odd-cased stages and contents,
 * text and numeric ids, even and odd counts for the medians), as CSV and as Parquet.
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { readFileSheets } from "../../src/cli/duckdb/fileSheets";
import { attributionFactsFrom } from "../../src/cli/duckdb/report/attributionFacts";
import { journeyFactsFrom } from "../../src/cli/duckdb/report/journeyFacts";
import { touchpointParts } from "../../src/cli/duckdb/report/parts";
import { summariseTouchpoints } from "../../src/cli/duckdb/report/summariseTouchpoints";
import { DEFAULT_HALF_LIFE_DAYS, DEFAULT_LOOKBACK_DAYS } from "../../src/engine/attribution";
import { seededUniform } from "../../src/engine/math/random";
import { businessDataOf, detectTables, type BusinessData } from "../../src/reports/detect";
import type { OrdersInput } from "../../src/reports/inputs";
import { analysisOfFacts } from "../../src/reports/journey/analysis";
import { journeyFactsOf, stageTableOf, type JourneyFacts } from "../../src/reports/journey/facts";
import { generateSampleBusiness } from "../../src/sample/business";
import { csvFileName, tableToCsv } from "../../src/sample/csv";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { cellsOf, runImcIn, scratchFolder, writeCsv } from "./engines";

const TIMEOUT = 300_000;
const scratch = scratchFolder("imc-tp-journey-");
const imc = (args: string[]) => runImcIn(scratch.path, args);
/** Sums of money and times (serials, days) are computed in another order or unit by DuckDB: compared to this, relative. */
const RELATIVE = 1e-9;

/** The data as `imc report --from` reads the files in memory (sheets, detection). */
async function memoryData(files: readonly string[]): Promise<{ data: BusinessData; found: ReturnType<typeof detectTables> }> {
  const sheets = await readFileSheets(files.map((file) => ({ display: path.basename(file), pattern: file })));
  const found = detectTables(sheets);
  return { data: businessDataOf(sheets, found), found };
}

/** The log of `file` summarised out of core, as `imc report --from` summarises it past --max-cells, with only the journey facts. */
async function summarisedData(file: string, memory: { data: BusinessData; found: ReturnType<typeof detectTables> }, withStageTable: boolean): Promise<BusinessData> {
  const table = memory.found.touchpoints;
  if (table === undefined) throw new Error(`no touchpoint log found in ${file}`);
  const { touchpoints } = await summariseTouchpoints(
    { pattern: file, parquet: file.endsWith(".parquet"), cells: 0, maxCells: 0 },
    path.basename(file),
    table,
    memory.data.orders,
    {},
    async (log) => ({ attribution: null, journeys: await journeyFactsFrom(log, withStageTable && memory.data.stages ? stageTableOf(memory.data.stages) : null) }),
  );
  return { ...memory.data, touchpoints };
}

const close = (actual: number, expected: number): boolean => actual === expected || Math.abs(actual - expected) <= RELATIVE * Math.max(1, Math.abs(expected));

/** Expects equal values, numbers to {@link RELATIVE}; reports the path of the first difference. */
function expectClose(actual: unknown, expected: unknown, at: string): void {
  if (typeof expected === "number" && typeof actual === "number") {
    if (!close(actual, expected)) expect(actual, at).toBe(expected);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), at).toBe(true);
    const a = actual as unknown[];
    expect(a.length, `${at}.length`).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) expectClose(a[i], expected[i], `${at}[${i}]`);
    return;
  }
  if (typeof expected === "object" && expected !== null) {
    expect(typeof actual, at).toBe("object");
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    expect(Object.keys(a).sort(), `${at} keys`).toEqual(Object.keys(e).sort());
    for (const key of Object.keys(e)) expectClose(a[key], e[key], `${at}.${key}`);
    return;
  }
  expect(actual, at).toEqual(expected);
}

/**
 * The facts of both routes on one log (and its orders): equal, counts and names exactly; the
 * tab's numbers made from them equal too. Returns the facts.
 */
async function expectSameFacts(files: readonly string[], log: string, change: (data: BusinessData) => BusinessData = (data) => data): Promise<JourneyFacts> {
  const read = await memoryData(files);
  const memory = { ...read, data: change(read.data) };
  const expected = journeyFactsOf(memory.data);
  const summarised = await summarisedData(log, memory, true);
  const actual = summarised.touchpoints!.summarised!.journeys!;
  // Counts and names exactly; then everything, sums and times within RELATIVE.
  expect(actual.paths.map((p) => [p.channels, p.returning, p.segment, p.conversions, p.nulls])).toEqual(expected.paths.map((p) => [p.channels, p.returning, p.segment, p.conversions, p.nulls]));
  expect(actual.touchCounts).toEqual(expected.touchCounts);
  expect(actual.lengthDays.map((d) => [d.band, d.converted, d.journeys])).toEqual(expected.lengthDays.map((d) => [d.band, d.converted, d.journeys]));
  expect(actual.stages).toEqual(expected.stages);
  expect(actual.stageContents).toEqual(expected.stageContents);
  expectClose(actual, expected, "facts");
  const stages = memory.data.stages ?? null;
  expectClose(analysisOfFacts(actual, stages), analysisOfFacts(expected, stages), "analysis");
  return actual;
}

/** The Journey tab's cells above the provenance ("Where these numbers come from"), and the row it starts on. */
function journeyCells(cells: Map<string, Map<string, unknown>>): { above: Map<string, unknown>; foot: number } {
  const sheet = cells.get("Journey");
  if (sheet === undefined) throw new Error("no Journey tab");
  let foot = Infinity;
  for (const [address, value] of sheet) if (value === "Where these numbers come from") foot = Math.min(foot, Number(address.replace(/^[A-Z]+/, "")));
  return { above: new Map([...sheet].filter(([address]) => Number(address.replace(/^[A-Z]+/, "")) < foot)), foot };
}

/**
 * `imc report --from FROM --tabs journey` in memory and with `maxCells` (only the log over it): the
 * same Journey tab, cell for cell above the provenance (numbers within RELATIVE, texts exactly).
 * With `memoryMaxCells`, the first run is given that (the log within it, other files perhaps not)
 * and `memoryFrom` (the same files, perhaps in another order).
 */
async function expectSameTab(from: string, maxCells: number, memoryFrom = from, memoryMaxCells: number | null = null): Promise<{ readonly memory: string; readonly ooc: string }> {
  const options = ["--tabs", "journey", "--no-html", "--force"];
  const memory = await imc(["report", "--from", memoryFrom, "--out", "journey-memory.xlsx", ...(memoryMaxCells === null ? [] : ["--max-cells", String(memoryMaxCells)]), ...options]);
  expect(memory.code, memory.stderr).toBe(0);
  expect(memory.stderr).not.toContain("touchpoint rows, more cells than --max-cells");
  const ooc = await imc(["report", "--from", from, "--out", "journey-ooc.xlsx", "--max-cells", String(maxCells), ...options]);
  expect(ooc.code, ooc.stderr).toBe(0);
  expect(ooc.stderr).toMatch(/touchpoint rows, more cells than --max-cells .* summarised out of core with DuckDB/);
  expect(ooc.stdout).toContain('Wrote "Journey" to journey-ooc.xlsx');
  const expected = journeyCells(await cellsOf(path.join(scratch.path, "journey-memory.xlsx")));
  const actual = journeyCells(await cellsOf(path.join(scratch.path, "journey-ooc.xlsx")));
  expect(actual.foot, "the provenance starts on the same row").toBe(expected.foot);
  expect([...actual.above.keys()].sort()).toEqual([...expected.above.keys()].sort());
  let numbers = 0;
  for (const [address, value] of expected.above) {
    const got = actual.above.get(address);
    if (typeof value === "number") {
      numbers++;
      expect(typeof got, address).toBe("number");
      if (!close(got as number, value)) expect(got, address).toBe(value);
    } else {
      expect(got, address).toEqual(value);
    }
  }
  expect(numbers).toBeGreaterThan(30);
  return { memory: memory.stderr, ooc: ooc.stderr };
}

/** Minutes since 2024-01-01 00:00 as `yyyy-mm-dd hh:mm`. */
function timeText(minutes: number): string {
  return new Date(Date.UTC(2024, 0, 1) + minutes * 60_000).toISOString().slice(0, 16).replace("T", " ");
}

const CHANNELS = ["Email", "Paid Search", "Display", "Social", "Direct", "Referral"];
const STAGES = ["Awareness", "awareness ", " DECISION", "Consideration", "Retention", "Loyalty", "", ""];
const CONTENTS = ["Video", "Offer", "Case study", "Guide", "", ""];
const DAY = 24 * 60;

/**
 * A generated touchpoint log and orders, seeded: per customer, episodes of touches (some at the
 * same minute, some more than 30 days before their conversion) closed by a conversion (a row with
 * or without its own channel, sometimes at the minute of the last touch) or left open at the end;
 * several conversions per customer; customers who never convert; blank and odd-cased stages,
 * blank contents. Ids are text (`C0042`) or numbers (`1042`). Orders: some customers before and
 * during the log, some never.
 */
function generatedLog(seed: number, numericIds: boolean): { log: string[][]; orders: string[][] } {
  const random = seededUniform(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const log: string[][] = [];
  const orders: string[][] = [];
  for (let c = 0; c < 160; c++) {
    const id = numericIds ? String(1000 + c) : `C${String(c).padStart(4, "0")}`;
    let t = Math.floor(random() * 60 * DAY);
    // Some customers order on the day of their first touch: not an earlier order, so not returning.
    let orderOnFirstTouch = random() < 0.25;
    const episodes = 1 + Math.floor(random() * 3);
    for (let e = 0; e < episodes; e++) {
      // Now and then no touch at all: a repeated conversion with no touch since the previous one.
      const touches = random() < 0.08 ? 0 : 1 + Math.floor(random() * (random() < 0.1 ? 13 : 5));
      for (let k = 0; k < touches; k++) {
        // Same minute as the previous touch now and then; a long gap (past the look-back) now and then.
        t += k > 0 && random() < 0.15 ? 0 : random() < 0.08 ? 35 * DAY : Math.floor(random() * 4 * DAY);
        log.push([id, timeText(t), pick(CHANNELS), "", pick(STAGES), pick(CONTENTS)]);
        if (orderOnFirstTouch) orders.push([id, timeText(t).slice(0, 10), "25.00"]);
        orderOnFirstTouch = false;
      }
      const last = e === episodes - 1;
      if (last && random() < 0.35) continue; // the tail does not convert
      // At the minute of the last touch now and then; 40 days after it (no touch in the look-back) now and then.
      t += random() < 0.2 ? 0 : random() < 0.06 ? 40 * DAY : Math.floor(random() * 3 * DAY);
      const value = (10 + Math.floor(random() * 9000) / 100).toFixed(2);
      log.push([id, timeText(t), touches > 0 && random() < 0.3 ? pick(CHANNELS) : "", value, random() < 0.5 ? pick(STAGES) : "", ""]);
      t += Math.floor(random() * 20 * DAY);
    }
    if (random() < 0.6) {
      const count = 1 + Math.floor(random() * 4);
      for (let o = 0; o < count; o++) {
        const day = Math.floor(random() * 500) - 300;
        orders.push([id, new Date(Date.UTC(2024, 0, 1) + day * 86_400_000).toISOString().slice(0, 10), (5 + Math.floor(random() * 20000) / 100).toFixed(2)]);
      }
    }
  }
  // Rows in no particular order: the cutting sorts by time, and the file's order breaks ties.
  return { log, orders };
}

/** Writes a CSV as Parquet with DuckDB: typed timestamps, ids as numbers when `numericIds`. */
async function csvToParquet(csv: string, parquet: string, numericIds: boolean): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const id = numericIds ? "CAST(customer_id AS BIGINT)" : "customer_id";
    await connection.run(
      `COPY (SELECT ${id} AS customer_id, CAST(timestamp AS TIMESTAMP) AS timestamp, channel, TRY_CAST(conversion_value AS DOUBLE) AS conversion_value, stage, content FROM read_csv('${csv}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("imc report --from: the Journey tab from a touchpoint log summarised out of core", () => {
  it(
    "the sample business (stages, contents, orders in memory, only the log over --max-cells): same facts, same tab",
    async () => {
      const business = generateSampleBusiness({ customers: 400, seed: 7 });
      mkdirSync(path.join(scratch.path, "sample", "rest"), { recursive: true });
      for (const table of business.tables) {
        const name = csvFileName(table.name);
        writeFileSync(path.join(scratch.path, "sample", name === "touchpoints.csv" ? name : path.join("rest", name)), tableToCsv(table));
      }
      const restFiles = business.tables.map((t) => csvFileName(t.name)).filter((name) => name !== "touchpoints.csv").map((name) => path.join(scratch.path, "sample", "rest", name));
      const log = path.join(scratch.path, "sample", "touchpoints.csv");
      const facts = await expectSameFacts([...restFiles, log], log);
      expect(facts.computedFor.orders).toBe("rows");
      expect(facts.rfm).toBe(true);
      expect(facts.stages!.length).toBeGreaterThan(2);
      expect(facts.stageContents!.length).toBeGreaterThan(5);
      expect(facts.paths.some((p) => p.returning) && facts.paths.some((p) => !p.returning)).toBe(true);
      await expectSameTab("sample/rest/*.csv,sample/touchpoints.csv", 20_000);
    },
    TIMEOUT,
  );

  it(
    "a log without a stage column and a channel → stage table: the same funnel; contents per stage only when the table is given to DuckDB",
    async () => {
      const business = generateSampleBusiness({ customers: 150, seed: 3 });
      const folder = path.join(scratch.path, "no-stage");
      mkdirSync(folder, { recursive: true });
      const files: string[] = [];
      for (const table of business.tables) {
        const name = csvFileName(table.name);
        if (name !== "touchpoints.csv" && name !== "journey-stages.csv" && name !== "orders.csv") continue;
        // The log without its stage column.
        const stage = name === "touchpoints.csv" ? table.headers.indexOf("stage") : -1;
        if (name === "touchpoints.csv") expect(stage).toBeGreaterThan(0);
        const keep = (_: unknown, i: number) => i !== stage;
        const text = tableToCsv({ ...table, headers: table.headers.filter(keep), rows: table.rows.map((row) => row.filter(keep)), numberFormats: table.numberFormats.filter(keep) });
        writeFileSync(path.join(folder, name), text);
        files.push(path.join(folder, name));
      }
      const log = path.join(folder, "touchpoints.csv");
      const facts = await expectSameFacts(files, log);
      expect(facts.stages).toBeNull();
      expect(facts.stageContents!.length).toBeGreaterThan(3);
      // Without the table, DuckDB does not count contents per stage, and the tab says so instead of ranking them.
      const memory = await memoryData(files);
      const without = await summarisedData(log, memory, false);
      const analysis = analysisOfFacts(without.touchpoints!.summarised!.journeys!, memory.data.stages ?? null);
      expect(analysis.stageSource).toBe("the channel → stage table");
      expect(analysis.stages!.every((s) => s.contents.length === 0)).toBe(true);
      expect(analysis.contentsLeftOut).toMatch(/summarised out of core/);
      expect(analysisOfFacts(facts, memory.data.stages ?? null).stages).toEqual(analysisOfFacts(journeyFactsOf(memory.data), memory.data.stages ?? null).stages);
      // imc report gives DuckDB the run's channel → stage table: the tab is the in-memory one, contents ranked.
      const cellCount = (name: string) => {
        const lines = readFileSync(path.join(folder, name), "utf8").trim().split("\n");
        return lines.length * lines[0].split(",").length;
      };
      const budget = cellCount("orders.csv") + cellCount("journey-stages.csv") + 10;
      expect(cellCount("touchpoints.csv")).toBeGreaterThan(budget);
      const { ooc } = await expectSameTab("no-stage/orders.csv,no-stage/journey-stages.csv,no-stage/touchpoints.csv", budget);
      expect(ooc).not.toContain("orders (file");
    },
    TIMEOUT,
  );

  it(
    "the ChannelAttribution paths turned into a log (no orders, no stages): same facts, same tab",
    async (ctx) => {
      const dir = sharedDir("data", "attribution");
      if (!dir) return ctx.skip(sharedSkipMessage("data", "attribution"));
      const lines = readFileSync(path.join(dir, "channelattribution_example_Data.csv"), "utf8").trim().split("\n").slice(1, 401);
      const rows: string[][] = [];
      let customer = 0;
      for (const line of lines) {
        const [pathText, conv, value, nulls] = line.split(";");
        const tokens = pathText.split(">").map((t) => t.trim()).filter((t) => t !== "");
        const journeys = Number(conv) + Number(nulls);
        for (let j = 0; j < journeys; j++) {
          const id = `P${customer++}`;
          tokens.forEach((token, k) => rows.push([id, timeText(k * 180), token, ""]));
          if (j < Number(conv)) rows.push([id, timeText(tokens.length * 180), "", String(Number(value) / Number(conv) || 1)]);
        }
      }
      const log = writeCsv(path.join(scratch.path, "paths-log.csv"), ["customer_id", "timestamp", "channel", "conversion_value"], rows);
      const facts = await expectSameFacts([log], log);
      expect(facts.computedFor.orders).toBe("none");
      expect(facts.stages).toBeNull();
      expect(facts.paths.length).toBeGreaterThan(100);
      await expectSameTab("paths-log.csv", 5_000);
    },
    TIMEOUT,
  );

  for (const numericIds of [false, true]) {
    it(
      `generated logs with ${numericIds ? "numeric" : "text"} ids, as CSV and Parquet, with orders: same facts, same tab`,
      async () => {
        const { log, orders } = generatedLog(numericIds ? 11 : 5, numericIds);
        const tag = numericIds ? "numeric" : "text";
        const ordersFile = writeCsv(path.join(scratch.path, `orders-${tag}.csv`), ["customer_id", "order_date", "order_value"], orders);
        const csv = writeCsv(path.join(scratch.path, `log-${tag}.csv`), ["customer_id", "timestamp", "channel", "conversion_value", "stage", "content"], log);
        const parquet = path.join(scratch.path, `log-${tag}.parquet`);
        await csvToParquet(csv, parquet, numericIds);
        for (const file of [csv, parquet]) {
          const facts = await expectSameFacts([ordersFile, file], file);
          // The fixture has what it is meant to have.
          expect(facts.log.conversionsWithoutTouch).toBeGreaterThan(0);
          expect(facts.log.touchesOutsideLookback).toBeGreaterThan(0);
          expect(facts.touchCounts.some((t) => t.touches >= 10)).toBe(true);
          expect(facts.lengthDays.some((d) => d.journeys % 2 === 0 && d.journeys > 1)).toBe(true);
          expect(facts.lengthDays.some((d) => d.journeys % 2 === 1 && d.journeys > 1)).toBe(true);
          expect(facts.stages!.map((s) => s.stage)).toEqual(expect.arrayContaining(["Awareness", "Decision", "Loyalty"]));
          expect(facts.paths.some((p) => p.returning)).toBe(true);
          expect(facts.paths.some((p) => p.segment !== null && p.segment !== "No earlier orders")).toBe(true);
          // Only the log goes over: the orders (about 1,000 cells) come first and are read in memory.
          await expectSameTab(`${path.basename(ordersFile)},${path.basename(file)}`, 3_000);
          // Orders summarised out of core too (a stand-in: the journey facts only ask whether they are): returning
          // from the log's conversions, no RFM split, on both routes.
          const withSummarisedOrders = await expectSameFacts([ordersFile, file], file, (data) => ({ ...data, orders: { ...data.orders!, summarised: {} as NonNullable<OrdersInput["summarised"]> } }));
          expect(withSummarisedOrders.computedFor.orders).toBe("summarised");
          expect([withSummarisedOrders.returningFrom, withSummarisedOrders.rfm]).toEqual(["log", false]);
          expect(withSummarisedOrders.paths.some((p) => p.returning)).toBe(true);
          // The same through imc report: both files over --max-cells, against the orders alone over it.
          const files = `${path.basename(ordersFile)},${path.basename(file)}`;
          const said = await expectSameTab(files, 500, `${path.basename(file)},${path.basename(ordersFile)}`, log.length * 6 + 100);
          for (const stderr of [said.memory, said.ooc]) expect(stderr).toMatch(/order rows, more cells than --max-cells .* summarised out of core/);
        }
      },
      TIMEOUT,
    );
  }

  it(
    "both tabs from one cut of the log (touchpointParts): the facts of each part computed alone, in one batch and in two and three customer batches",
    async () => {
      const { log, orders } = generatedLog(29, false);
      const ordersFile = writeCsv(path.join(scratch.path, "orders-shared.csv"), ["customer_id", "order_date", "order_value"], orders);
      const csv = writeCsv(path.join(scratch.path, "log-shared.csv"), ["customer_id", "timestamp", "channel", "conversion_value", "stage", "content"], log);
      const memory = await memoryData([ordersFile, csv]);
      const summarise = async (parts: Parameters<typeof summariseTouchpoints>[5]) =>
        (await summariseTouchpoints({ pattern: csv, parquet: false, cells: 0, maxCells: 0 }, path.basename(csv), memory.found.touchpoints!, memory.data.orders, {}, parts)).touchpoints.summarised!;
      const before = process.env.IMC_ATTRIBUTE_BATCH_ROWS;
      try {
        // Each batch is cut once and read by both parts; the Attribution paths are grouped from the Journey facts' journeys.
        for (const batchRows of [undefined, String(Math.ceil(log.length / 2)), String(Math.ceil(log.length / 3))]) {
          if (batchRows === undefined) delete process.env.IMC_ATTRIBUTE_BATCH_ROWS;
          else process.env.IMC_ATTRIBUTE_BATCH_ROWS = batchRows;
          const both = await summarise(touchpointParts({ tabs: ["attribution", "journey"] }, memory.data.stages ?? null));
          const alone = await summarise(async (open) => ({
            attribution: await attributionFactsFrom(open, { lookbackDays: DEFAULT_LOOKBACK_DAYS, halfLifeDays: DEFAULT_HALF_LIFE_DAYS }),
            journeys: await journeyFactsFrom(open, memory.data.stages ? stageTableOf(memory.data.stages) : null),
          }));
          expect(both.journeys).not.toBeNull();
          expect(both.attribution).not.toBeNull();
          expectClose(both.journeys, alone.journeys, `journeys (batch rows ${batchRows})`);
          expectClose(both.attribution, alone.attribution, `attribution (batch rows ${batchRows})`);
        }
      } finally {
        if (before === undefined) delete process.env.IMC_ATTRIBUTE_BATCH_ROWS;
        else process.env.IMC_ATTRIBUTE_BATCH_ROWS = before;
      }
    },
    TIMEOUT,
  );

  it(
    "cut in customer batches (IMC_ATTRIBUTE_BATCH_ROWS), the facts are those of one batch",
    async () => {
      const { log, orders } = generatedLog(23, false);
      const ordersFile = writeCsv(path.join(scratch.path, "orders-batches.csv"), ["customer_id", "order_date", "order_value"], orders);
      const csv = writeCsv(path.join(scratch.path, "log-batches.csv"), ["customer_id", "timestamp", "channel", "conversion_value", "stage", "content"], log);
      const before = process.env.IMC_ATTRIBUTE_BATCH_ROWS;
      process.env.IMC_ATTRIBUTE_BATCH_ROWS = "200";
      try {
        await expectSameFacts([ordersFile, csv], csv);
      } finally {
        if (before === undefined) delete process.env.IMC_ATTRIBUTE_BATCH_ROWS;
        else process.env.IMC_ATTRIBUTE_BATCH_ROWS = before;
      }
    },
    TIMEOUT,
  );
});
