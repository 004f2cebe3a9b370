/**
 * Running `imc` as a child process like a user does (tsx start-up included), with the child's own
 * peak memory, which the runner prints on stderr when IMC_REPORT_RSS=1.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchFigure } from "./harness";

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/imc.mjs");

export interface ChildRun {
  readonly ms: number;
  readonly peakMb: number;
  readonly stdout: string;
}

/** Runs `imc args…` in `cwd`; throws when it fails or does not report its peak memory. */
export function runImc(args: readonly string[], cwd: string): ChildRun {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, IMC_REPORT_RSS: "1", IMC_PROGRESS: "0" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`imc ${args.join(" ")} failed (exit ${String(child.status)}): ${child.stderr}`);
  const match = /imc: peak RSS ([\d.]+) MB/.exec(child.stderr);
  if (match === null) throw new Error(`imc ${args[0]} did not report its peak RSS: ${child.stderr}`);
  return { ms, peakMb: Number(match[1]), stdout: child.stdout };
}

/** The figure of several runs against a time and memory target. */
export function childFigure(name: string, runs: readonly ChildRun[], maxMs: number, maxMb: number): BenchFigure {
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

/**
 * Runs a bench file's own child mode (`node --import tsx file --child args…`), which prints its time
 * and peak memory, and what else it measured, as JSON on its last line.
 *
 * @param file the bench file (its `import.meta.url` as a path).
 * @param args the child's arguments after `--child`.
 * @returns the child's JSON, as a run for {@link childFigure}.
 * @throws Error with the child's stderr when it fails.
 */
export function runBenchChild<T extends { ms: number; peakMb: number }>(file: string, args: readonly string[]): T & ChildRun {
  const run = spawnSync(process.execPath, ["--import", "tsx", file, "--child", ...args], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`the child ${args.join(" ")} of ${path.basename(file)} failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout.trim().split("\n").pop()!) as T;
  return { ...result, stdout: run.stdout };
}
