// `imc report` on every file of the hostile set, as a real process (bin/imc.mjs): each ends within
// 30 s with exit code 1 and one line on stderr (the refusal, or "no orders … found" for the files
// that read correctly), never a V8 abort, and the process's peak RSS stays under 1 GB. The peak is
// the runner's own figure (IMC_REPORT_RSS=1 adds a line "imc: peak RSS N MB", as for the benchmark).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HOSTILE_CASES, type HostileCase } from "../support/hostileXlsx";

const root = path.resolve(__dirname, "../..");
const bin = path.join(root, "bin", "imc.mjs");
const dir = mkdtempSync(path.join(os.tmpdir(), "imc-hostile-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LIMIT_MS = 30_000;
const LIMIT_MB = 1024;

interface Run {
  readonly file: string;
  readonly status: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  readonly stdout: string;
  readonly ms: number;
}

function report(hostile: HostileCase): Promise<Run> {
  writeFileSync(path.join(dir, hostile.file), hostile.bytes());
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, "report", hostile.file, "--out", `out-${hostile.file}`, "--no-html"], {
      cwd: dir,
      env: { ...process.env, IMC_PROGRESS: "0", IMC_DEBUG: "", IMC_REPORT_RSS: "1" },
      timeout: LIMIT_MS,
    });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.on("close", (status, signal) => {
      rmSync(path.join(dir, hostile.file), { force: true });
      resolve({ file: hostile.file, status, signal, stderr, stdout, ms: performance.now() - started });
    });
  });
}

/** Runs the cases one at a time, so that each child's time is its own (the machine has two cores). */
async function reportAll(cases: readonly HostileCase[]): Promise<Run[]> {
  const runs: Run[] = [];
  for (const hostile of cases) runs.push(await report(hostile));
  return runs;
}

describe("imc report on the hostile set (child processes)", () => {
  it("every file ends within 30 s with exit code 1, one line of message and a peak RSS under 1 GB", async () => {
    const runs = await reportAll(HOSTILE_CASES);
    const figures: string[] = [];
    for (const [i, run] of runs.entries()) {
      const hostile = HOSTILE_CASES[i];
      const lines = run.stderr.split("\n").filter((line) => line !== "");
      const rss = /^imc: peak RSS ([\d.]+) MB$/.exec(lines.at(-1) ?? "");
      figures.push(`${run.file}: ${(run.ms / 1000).toFixed(1)} s, ${rss?.[1] ?? "?"} MB`);
      expect(run.signal, `${run.file}: ${run.stderr}`).toBeNull();
      expect(run.status, `${run.file}: ${run.stderr}`).toBe(1);
      expect(run.stdout, run.file).toBe("");
      expect(lines, `${run.file}: ${run.stderr}`).toHaveLength(2);
      const message = lines[0].replace(/^imc: /, "");
      if (hostile.refused) expect(message, run.file).toMatch(hostile.refused);
      else expect(message, run.file).toMatch(new RegExp(`^${hostile.file.replace(".", "\\.")}: no orders, touchpoints or campaigns found \\(sheets: Data\\)`));
      expect(run.ms, run.file).toBeLessThan(LIMIT_MS);
      expect(Number(rss?.[1]), `${run.file}: ${run.stderr}`).toBeLessThan(LIMIT_MB);
    }
    // The figures, for the record (vitest shows them with --reporter=verbose or on failure).
    console.info(`imc report on the hostile set:\n  ${figures.join("\n  ")}`);
  }, 240_000);
});
