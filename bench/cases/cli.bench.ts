/**
 * The `imc` runner: `imc attribute` on 5,000,000 journeys, as a user runs it.
 *
 * A seeded path CSV (bench/data/journeys.ts, the journeys of attribution.bench.ts: 10 channels with
 * Zipf-like popularity, 1–15 touches, about 3% converting) is written to a temporary directory (not timed), then
 * `node bin/imc.mjs attribute <file> --model all --out /dev/null` runs as a child process three
 * times. Figures: wall time of the whole process (tsx start-up included, about 1 s) and the child's
 * peak RSS, which the runner reports on stderr when IMC_REPORT_RSS=1. Target: ≤ 256 MB (issue 7).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeJourneyCsv } from "../data/journeys";
import type { BenchFigure } from "../harness";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../../bin/imc.mjs");
const JOURNEYS = 5_000_000;
const RUNS = 3;
const TARGET_MB = 256;

function main(): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), "imc-cli-bench-"));
  const file = path.join(dir, "journeys.csv");
  try {
    const generateStart = process.hrtime.bigint();
    writeJourneyCsv(file, JOURNEYS, 20240601, ",");
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
