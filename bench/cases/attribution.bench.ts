/**
 * Attribution: the one-pass aggregator on seeded synthetic journeys.
 *
 * Journeys (bench/data/journeys.ts): 10 channels with Zipf-like popularity (weight 1/rank), 1–15 touches (uniform), the
 * previous channel repeated 30% of the time, about 3% converting (value 10–200), the rest one null.
 *
 * Cases, in this order so that the streaming case's peak memory is its own:
 * 1. 5,000,000 journeys written to a CSV in os.tmpdir() (not timed), then streamed into the aggregator,
 *    all models (Markov order 1), with the runner's chunked reader (what `imc attribute` does), with a
 *    bare chunk loop, and, for comparison, line by line with node:readline — time and peak RSS;
 * 2. 1,000,000 in-memory journeys (path text), all models;
 * 3. IMC.ATTRIBUTE on a 100,000-row range, each model, called as Excel calls it.
 */
import { createReadStream, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { ATTRIBUTION_MODELS, JourneyAggregator, type AttributionResult } from "../../src/engine/attribution";
import { attribute } from "../../src/functions/attribution";
import { streamCsv } from "../../src/cli/csv/reader";
import { installCustomFunctionsStub } from "../../test/support/customFunctions";
import { CHANNELS, journeySource, writeJourneyCsv } from "../data/journeys";
import { bench, type BenchFigure } from "../harness";

installCustomFunctionsStub();

/** The number in `line[start .. end)`: plain digits with an optional decimal point, else Number(). */
function fieldNumber(line: string, start: number, end: number): number {
  let whole = 0;
  let i = start;
  for (; i < end; i++) {
    const code = line.charCodeAt(i) - 48;
    if (code < 0 || code > 9) break;
    whole = whole * 10 + code;
  }
  if (i === end && end > start) return whole;
  return Number(line.slice(start, end));
}

/**
 * Streams the CSV into a fresh aggregator with the runner's own reader (src/cli/csv/reader.ts, as
 * `imc attribute` does): 1 MB chunks, fields read straight from the chunk.
 */
async function streamRunnerReader(file: string): Promise<AttributionResult> {
  const aggregator = new JourneyAggregator({ markovOrder: 1 });
  await streamCsv(
    file,
    {
      header() {},
      record(record) {
        const { text, starts, ends } = record;
        aggregator.addPathRange(text, starts[0], ends[0], ">", fieldNumber(text, starts[1], ends[1]), fieldNumber(text, starts[2], ends[2]), fieldNumber(text, starts[3], ends[3]), record.line);
      },
    },
    { delimiter: ";" },
  );
  return aggregator.result();
}

/** Streams the CSV into a fresh aggregator, one line at a time with node:readline (for comparison: the runner does not). */
async function streamReadline(file: string): Promise<AttributionResult> {
  const aggregator = new JourneyAggregator({ markovOrder: 1 });
  const lines = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  let row = 0;
  for await (const line of lines) {
    row++;
    if (row === 1) continue; // header
    const a = line.indexOf(";");
    const b = line.indexOf(";", a + 1);
    const c = line.indexOf(";", b + 1);
    aggregator.addPathRange(line, 0, a, ">", fieldNumber(line, a + 1, b), fieldNumber(line, b + 1, c), fieldNumber(line, c + 1, line.length), row);
  }
  return aggregator.result();
}

/**
 * Streams the CSV in 1 MB chunks, finding lines with indexOf and handing each path to the aggregator
 * as a slice of the chunk: no string per line (what a runner can do when readline is the bottleneck).
 * The chunk strings are read as they come from the decoder; only the line that straddles two chunks
 * is glued into a short string of its own (gluing the whole chunk to the previous remainder would
 * make a cons string, whose every charCodeAt costs an indirection).
 */
async function streamCsvChunks(file: string): Promise<AttributionResult> {
  const aggregator = new JourneyAggregator({ markovOrder: 1 });
  let rest = "";
  let row = 0;
  const lines = (text: string, from: number): number => {
    let i = from;
    for (;;) {
      const end = text.indexOf("\n", i);
      if (end < 0) return i;
      row++;
      if (row > 1) {
        const a = text.indexOf(";", i);
        const b = text.indexOf(";", a + 1);
        const c = text.indexOf(";", b + 1);
        aggregator.addPathRange(text, i, a, ">", fieldNumber(text, a + 1, b), fieldNumber(text, b + 1, c), fieldNumber(text, c + 1, end), row);
      }
      i = end + 1;
    }
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20, encoding: "utf8" })) {
    const text = chunk as string;
    let from = 0;
    if (rest !== "") {
      const first = text.indexOf("\n");
      if (first < 0) {
        rest += text;
        continue;
      }
      lines(rest + text.slice(0, first + 1), 0);
      from = first + 1;
    }
    rest = text.slice(lines(text, from));
  }
  if (rest !== "") lines(`${rest}\n`, 0);
  return aggregator.result();
}

async function streamedCase(name: string, file: string, journeys: number, stream: (file: string) => Promise<AttributionResult>): Promise<void> {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < 3; run++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const result = await stream(file);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
    checkTotals(result, journeys);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(`${name}: CPU time (user + system) median ${cpu[1].toFixed(0)} ms (less sensitive to other load than wall time)`);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const figure: BenchFigure = {
    name,
    runs: times.length,
    medianMs: times[1],
    minMs: times[0],
    peakRssMb,
    target: "≤ 8000 ms, ≤ 256 MB peak RSS",
    withinTarget: times[1] <= 8000 && peakRssMb <= 256,
  };
  console.log(`BENCH ${JSON.stringify(figure)}`);
}

function checkTotals(result: AttributionResult, journeys: number): void {
  if (result.totals.rows !== journeys) throw new Error(`expected ${journeys} journeys, got ${result.totals.rows}`);
  for (const model of ATTRIBUTION_MODELS) {
    const sum = result.credit[model]!.conversions.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - result.totals.conversions) > 1e-6 * result.totals.conversions) throw new Error(`${model} credit does not add up`);
  }
}

/** {@link bench}, plus a line with the CPU time per call (warm-up included), which other load on the machine inflates less than wall time. */
function benchWithCpu(options: Parameters<typeof bench>[0], body: () => unknown): void {
  const start = process.cpuUsage();
  bench(options, body);
  const used = process.cpuUsage(start);
  console.log(`${options.name}: CPU time ${((used.user + used.system) / 1000 / ((options.runs ?? 5) + 1)).toFixed(0)} ms per call`);
}

async function main(): Promise<void> {
  // 1. 5M journeys streamed from a CSV file.
  const STREAMED = 5_000_000;
  const file = path.join(os.tmpdir(), `imc-attribution-bench-${process.pid}.csv`);
  const generateStart = process.hrtime.bigint();
  writeJourneyCsv(file, STREAMED, 20240601, ";");
  console.log(`attribution: wrote ${STREAMED.toLocaleString("en")} journeys to ${file} in ${(Number(process.hrtime.bigint() - generateStart) / 1e9).toFixed(1)} s (not timed)`);
  try {
    await streamedCase("attribution: 5M journeys streamed from CSV (the runner's chunked reader), all models", file, STREAMED, streamRunnerReader);
    await streamedCase("attribution: 5M journeys streamed from CSV (1 MB chunks, no readline), all models", file, STREAMED, streamCsvChunks);
    await streamedCase("attribution: 5M journeys streamed from CSV (readline, for comparison; not used by the runner), all models", file, STREAMED, streamReadline);
  } finally {
    rmSync(file, { force: true });
  }

  // 2. 1M in-memory journeys, all models.
  const IN_MEMORY = 1_000_000;
  const next = journeySource(7);
  const paths = new Array<string>(IN_MEMORY);
  const conversions = new Float64Array(IN_MEMORY);
  const values = new Float64Array(IN_MEMORY);
  const nulls = new Float64Array(IN_MEMORY);
  for (let i = 0; i < IN_MEMORY; i++) {
    const j = next();
    paths[i] = j.path;
    conversions[i] = j.conversions;
    values[i] = j.value;
    nulls[i] = j.nulls;
  }
  benchWithCpu({ name: "attribution: 1M in-memory journeys, all models (Markov order 1)", target: "≤ 1500 ms", maxMedianMs: 1500, maxPeakRssMb: Infinity }, () => {
    const aggregator = new JourneyAggregator();
    for (let i = 0; i < IN_MEMORY; i++) aggregator.addPath(paths[i], ">", conversions[i], values[i], nulls[i]);
    const result = aggregator.result();
    checkTotals(result, IN_MEMORY);
    return result;
  });
  for (const order of [2, 3, 4]) {
    benchWithCpu({ name: `attribution: 1M in-memory journeys, Markov order ${order} only`, target: "(for information)", maxMedianMs: Infinity, maxPeakRssMb: Infinity, runs: 3 }, () => {
      const aggregator = new JourneyAggregator({ models: ["markov"], markovOrder: order });
      for (let i = 0; i < IN_MEMORY; i++) aggregator.addPath(paths[i], ">", conversions[i], values[i], nulls[i]);
      return aggregator.result();
    });
  }

  // 3. IMC.ATTRIBUTE on a 100,000-row range, per model.
  const RANGE = 100_000;
  const pathCells = paths.slice(0, RANGE).map((p) => [p]);
  const conversionCells = Array.from(conversions.subarray(0, RANGE), (c) => [c]);
  const valueCells = Array.from(values.subarray(0, RANGE), (v) => [v]);
  const nullCells = Array.from(nulls.subarray(0, RANGE), (n) => [n]);
  for (const model of [...ATTRIBUTION_MODELS, "all"]) {
    benchWithCpu({ name: `IMC.ATTRIBUTE 100k rows, model ${model}`, target: "≤ 300 ms", maxMedianMs: 300, maxPeakRssMb: Infinity }, () => {
      const out = attribute(pathCells, conversionCells, [[model]], valueCells, nullCells, null as any);
      if (out.length !== CHANNELS.length + 1) throw new Error(`expected ${CHANNELS.length} channels, got ${out.length - 1}`);
      return out;
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
