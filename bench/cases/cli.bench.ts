/**
 * The `imc` runner: `imc attribute` on 5,000,000 journeys, as a user runs it.
 *
 * A seeded path CSV (the journeys of attribution.bench.ts: 10 channels with Zipf-like popularity,
 * 1–15 touches, about 3% converting) is written to a temporary directory (not timed), then
 * `node bin/imc.mjs attribute <file> --model all --out /dev/null` runs as a child process three
 * times. Figures: wall time of the whole process (tsx start-up included, about 1 s) and the child's
 * peak RSS, which the runner reports on stderr when IMC_REPORT_RSS=1. Target: ≤ 256 MB (issue 7).
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchFigure } from "../harness";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../../bin/imc.mjs");
const JOURNEYS = 5_000_000;
const RUNS = 3;
const TARGET_MB = 256;

const CHANNELS = ["Email", "Search", "Direct", "Social", "Display", "Affiliate", "Video", "Referral", "Push", "SMS"];

/** mulberry32: a small seeded generator, uniform in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `rows` journeys as path,conversions,value,nulls (the generator of attribution.bench.ts). */
function writeJourneys(file: string, rows: number, seed: number): void {
  const random = seededRandom(seed);
  const weights = CHANNELS.map((_, rank) => 1 / (rank + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  const cdf = weights.map((w) => (cumulative += w / total));
  const pick = () => {
    const u = random();
    let i = 0;
    while (i < cdf.length - 1 && cdf[i] < u) i++;
    return i;
  };
  const fd = openSync(file, "w");
  try {
    writeSync(fd, "path,conversions,value,nulls\n");
    let chunk = "";
    const touches: string[] = [];
    for (let r = 0; r < rows; r++) {
      const length = 1 + Math.floor(random() * 15);
      touches.length = 0;
      let previous = pick();
      for (let i = 0; i < length; i++) {
        const channel = i > 0 && random() < 0.3 ? previous : pick();
        touches.push(CHANNELS[channel]);
        previous = channel;
      }
      const converts = random() < 0.03;
      const value = converts ? Math.round((10 + random() * 190) * 100) / 100 : 0;
      chunk += `${touches.join(" > ")},${converts ? 1 : 0},${value},${converts ? 0 : 1}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = "";
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

function main(): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), "imc-cli-bench-"));
  const file = path.join(dir, "journeys.csv");
  try {
    const generateStart = process.hrtime.bigint();
    writeJourneys(file, JOURNEYS, 20240601);
    const megabytes = statSync(file).size / 1024 / 1024;
    console.log(
      `cli: wrote ${JOURNEYS.toLocaleString("en")} journeys (${megabytes.toFixed(0)} MB) in ${(Number(process.hrtime.bigint() - generateStart) / 1e9).toFixed(1)} s (not timed)`,
    );
    const times: number[] = [];
    const peaks: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const start = process.hrtime.bigint();
      const child = spawnSync(process.execPath, [bin, "attribute", file, "--model", "all", "--out", os.devNull], {
        encoding: "utf8",
        env: { ...process.env, IMC_REPORT_RSS: "1", IMC_PROGRESS: "0" },
      });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (child.status !== 0) throw new Error(`imc attribute failed (exit ${String(child.status)}): ${child.stderr}`);
      const match = /imc: peak RSS ([\d.]+) MB/.exec(child.stderr);
      if (match === null) throw new Error(`imc attribute did not report its peak RSS: ${child.stderr}`);
      peaks.push(Number(match[1]));
    }
    times.sort((a, b) => a - b);
    const peakRssMb = Math.max(...peaks);
    const medianMs = times[Math.floor(times.length / 2)];
    console.log(`cli: imc attribute peak RSS per run ${peaks.map((p) => `${p.toFixed(0)} MB`).join(", ")}`);
    const figure: BenchFigure = {
      name: "imc attribute: 5M journeys from CSV, --model all (child process, start-up included)",
      runs: RUNS,
      medianMs,
      minMs: times[0],
      peakRssMb,
      target: `≤ ${TARGET_MB} MB peak RSS of the child (time for information)`,
      withinTarget: peakRssMb <= TARGET_MB,
    };
    console.log(`BENCH ${JSON.stringify(figure)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
