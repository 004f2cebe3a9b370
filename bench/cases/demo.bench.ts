/**
 * `imc demo` end to end (20,000 customers: generate the sample business, write it as CSV and as a
 * workbook, build the five tabs, add them to the workbook, draw the HTML report) and `imc report`
 * on the sample workbook, each as a child process like a user runs it (tsx start-up included).
 * Peak memory is the child's own, printed by the runner when IMC_REPORT_RSS=1.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchFigure } from "../harness";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../../bin/imc.mjs");
const RUNS = 3;

function runImc(args: readonly string[], cwd: string): { ms: number; peakMb: number } {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, IMC_REPORT_RSS: "1", IMC_PROGRESS: "0" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`imc ${args.join(" ")} failed (exit ${String(child.status)}): ${child.stderr}`);
  const match = /imc: peak RSS ([\d.]+) MB/.exec(child.stderr);
  if (match === null) throw new Error(`imc ${args[0]} did not report its peak RSS: ${child.stderr}`);
  return { ms, peakMb: Number(match[1]) };
}

function figure(name: string, runs: { ms: number; peakMb: number }[], maxMs: number, maxMb: number): BenchFigure {
  const times = runs.map((run) => run.ms).sort((a, b) => a - b);
  const peakRssMb = Math.max(...runs.map((run) => run.peakMb));
  const medianMs = times[Math.floor(times.length / 2)];
  return {
    name,
    runs: runs.length,
    medianMs,
    minMs: times[0],
    peakRssMb,
    target: `≤ ${maxMs / 1000} s, ≤ ${maxMb} MB (child process)`,
    withinTarget: medianMs <= maxMs && peakRssMb <= maxMb,
  };
}

function main(): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), "imc-demo-bench-"));
  try {
    const demo: { ms: number; peakMb: number }[] = [];
    for (let run = 0; run < RUNS; run++) demo.push(runImc(["demo", "--out-dir", "out"], dir));
    console.log(`BENCH ${JSON.stringify(figure("imc demo end to end: 20,000 customers, 5 data sheets + 5 tabs + HTML report", demo, 20_000, 1024))}`);

    const report: { ms: number; peakMb: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      // A fresh copy each time, so every run adds the five tabs to the same workbook.
      copyFileSync(path.join(dir, "out", "sample-business.xlsx"), path.join(dir, "book.xlsx"));
      report.push(runImc(["report", "book.xlsx", "--no-html"], dir));
    }
    console.log(`BENCH ${JSON.stringify(figure("imc report on the sample workbook (20,000 customers, 300k data rows): read, 5 tabs, write", report, 20_000, 1024))}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
