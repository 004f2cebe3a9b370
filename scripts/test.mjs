#!/usr/bin/env node
// `npm test`: every test, in order of cost. Stages after a failed build are skipped (they test the
// build). Prints a closing line `tests: N passed, N failed, N skipped` and exits non-zero on any
// failure. `node scripts/test.mjs unit dom` runs only the named stages (lint, typecheck, unit, dom,
// build, checks, browser).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const resultsDir = path.join(root, "test-results");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
// The production build under test rewrites the manifest for this base URL (never contacted).
const TEST_BASE_URL = "https://imc-analytics.example.com/addin/";

const vitest = (project) => ({
  name: project,
  command: [bin("vitest"), "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile=${path.join(resultsDir, `${project}.json`)}`],
  results: path.join(resultsDir, `${project}.json`),
});

const STAGES = [
  { name: "lint", command: [bin("eslint"), "."] },
  { name: "typecheck", command: [bin("tsc"), "-p", "tsconfig.json", "--noEmit"], then: [bin("tsc"), "-p", "src/engine/tsconfig.json", "--noEmit"] },
  vitest("unit"),
  vitest("dom"),
  { name: "build", command: [bin("webpack"), "--mode", "production"], env: { IMC_BASE_URL: TEST_BASE_URL }, produces: "build" },
  { ...vitest("build"), name: "checks", needs: "build" },
  { ...vitest("browser"), needs: "build" },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !STAGES.some((stage) => stage.name === name));
if (unknown.length > 0) {
  console.error(`Unknown stage(s): ${unknown.join(", ")}. Stages: ${STAGES.map((s) => s.name).join(", ")}`);
  process.exit(2);
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedStages = [];
const summary = [];
const broken = new Set();

function run(argv, env) {
  const started = Date.now();
  const result = spawnSync(argv[0], argv.slice(1), { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return { ok: result.status === 0, seconds: (Date.now() - started) / 1000, error: result.error };
}

for (const stage of STAGES) {
  if (wanted.length > 0 && !wanted.includes(stage.name)) continue;
  if (stage.needs && broken.has(stage.needs)) {
    summary.push(`${stage.name.padEnd(10)} skipped (the ${stage.needs} failed)`);
    failedStages.push(stage.name);
    continue;
  }
  console.log(`\n=== ${stage.name} ===`);
  let outcome = run(stage.command, stage.env);
  if (outcome.ok && stage.then) {
    const next = run(stage.then, stage.env);
    outcome = { ok: next.ok, seconds: outcome.seconds + next.seconds, error: next.error };
  }
  if (outcome.error) console.error(`${stage.name}: could not start ${stage.command[0]}: ${outcome.error.message}`);
  let counts = "";
  if (stage.results) {
    try {
      const report = JSON.parse(readFileSync(stage.results, "utf8"));
      const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
      totals.passed += report.numPassedTests;
      totals.failed += report.numFailedTests;
      totals.skipped += skipped;
      counts = `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`;
      if (report.numTotalTests === 0) {
        outcome.ok = false;
        counts = "no test ran";
      }
    } catch {
      counts = "no results written";
      outcome.ok = false;
    }
  }
  if (!outcome.ok) {
    failedStages.push(stage.name);
    if (stage.produces) broken.add(stage.produces);
  }
  summary.push(`${stage.name.padEnd(10)} ${outcome.ok ? "ok    " : "FAILED"} ${outcome.seconds.toFixed(1).padStart(6)} s  ${counts}`);
}

console.log("\n=== summary ===");
for (const line of summary) console.log(line);
if (failedStages.length > 0) console.log(`failed stages: ${failedStages.join(", ")}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStages.length > 0 ? 1 : 0);
