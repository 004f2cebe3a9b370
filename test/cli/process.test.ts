// The real `imc` binary as a child process: bin/imc.mjs loads the TypeScript through tsx, prints
// help with exit code 0, and a bad file gives exactly one line on stderr and exit code 1; demo and
// report, which load their modules lazily, run as a real process too.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const bin = path.join(root, "bin", "imc.mjs");
const dir = mkdtempSync(path.join(os.tmpdir(), "imc-process-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function imc(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, IMC_PROGRESS: "0", IMC_DEBUG: "" }, timeout: 30_000 });
}

describe("bin/imc.mjs as a process", () => {
  it("--help exits 0 with the usage and nothing on stderr", () => {
    const result = imc("--help");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: imc <command>/);
  }, 30_000);

  it("a bad file exits 1 with one line on stderr and no stack trace", () => {
    writeFileSync(path.join(dir, "orders.csv"), "customer_id,order_date,order_value\nc1,2024-01-01,10\nc2,31/02/2024,5\n");
    const result = imc("rfm", "orders.csv");
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^imc: orders\.csv, row 3, column order_date: "31\/02\/2024" is not a day-first date[^\n]*\n$/);
  }, 30_000);

  it("demo and report run as a process (their modules are loaded on demand)", () => {
    const demo = imc("demo", "--customers", "300", "--out-dir", "out");
    expect(demo.stderr).toBe("");
    expect(demo.status).toBe(0);
    for (const file of ["imc-demo.xlsx", "imc-demo.html", "sample-business.xlsx", "sample/orders.csv"]) expect(existsSync(path.join(dir, "out", file)), file).toBe(true);
    const report = imc("report", path.join("out", "sample-business.xlsx"), "--out", "book.xlsx", "--tabs", "campaign-kpis");
    expect(report.stderr).toBe("");
    expect(report.status).toBe(0);
    expect(report.stdout).toContain('Added "Campaign KPIs" to book.xlsx');
  }, 60_000);
});
