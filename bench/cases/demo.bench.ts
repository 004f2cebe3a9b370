/**
 * `imc demo` end to end (20,000 customers: generate the sample business, write it as CSV and as a
 * workbook, build the five tabs, add them to the workbook, draw the HTML report) and `imc report`
 * on the sample workbook, each as a child process like a user runs it (tsx start-up included).
 * Peak memory is the child's own, printed by the runner when IMC_REPORT_RSS=1.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { childFigure as figure, runImc, type ChildRun } from "../childProcess";

const RUNS = 3;

function main(): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), "imc-demo-bench-"));
  try {
    const demo: ChildRun[] = [];
    for (let run = 0; run < RUNS; run++) demo.push(runImc(["demo", "--out-dir", "out"], dir));
    console.log(`BENCH ${JSON.stringify(figure("imc demo end to end: 20,000 customers, 10 data sheets + 10 tabs + HTML report", demo, 20_000, 1024))}`);

    const report: ChildRun[] = [];
    for (let run = 0; run < RUNS; run++) {
      // A fresh copy each time, so every run adds the five tabs to the same workbook.
      copyFileSync(path.join(dir, "out", "sample-business.xlsx"), path.join(dir, "book.xlsx"));
      report.push(runImc(["report", "book.xlsx", "--no-html"], dir));
    }
    console.log(`BENCH ${JSON.stringify(figure("imc report on the sample workbook (20,000 customers, 333k data rows): read, 10 tabs, write", report, 20_000, 1024))}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
