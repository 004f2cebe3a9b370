/**
 * `imc report` on an orders-only workbook of 300,000 order rows (no spend, touchpoints or
 * campaigns), as a child process: read, detect, fit the purchase model (auto), segment, write the
 * tabs. Target (issue 12): ≤ 5 s and ≤ 600 MB peak.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeDataWorkbook } from "../../src/cli/xlsx/dataWorkbook";
import { generateSampleBusiness } from "../../src/sample/business";
import { childFigure, runImc, type ChildRun } from "../childProcess";

const ORDER_ROWS = 300_000;
const RUNS = 3;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "imc-orders-bench-"));
  try {
    // The sample business has about 3.3 orders per customer over two years; draw enough customers.
    const business = generateSampleBusiness({ customers: 95_000, seed: 11 });
    const orders = business.tables.find((table) => table.name === "Orders")!;
    if (orders.rows.length < ORDER_ROWS) throw new Error(`the sample has only ${orders.rows.length} orders`);
    const rows = orders.rows.slice(0, ORDER_ROWS);
    const bytes = await writeDataWorkbook([{ name: "Orders", headers: orders.headers, rows, numberFormats: orders.numberFormats }]);
    writeFileSync(path.join(dir, "orders.xlsx"), bytes);
    const runs: ChildRun[] = [];
    for (let run = 0; run < RUNS; run++) {
      copyFileSync(path.join(dir, "orders.xlsx"), path.join(dir, "book.xlsx"));
      runs.push(runImc(["report", "book.xlsx", "--no-html"], dir));
    }
    console.log(`imc report on ${ORDER_ROWS.toLocaleString("en-US")} order rows: ${runs[0].stdout.trim().split("\n").join(" | ")}`);
    console.log(`BENCH ${JSON.stringify(childFigure(`imc report on an orders-only workbook (${ORDER_ROWS.toLocaleString("en-US")} order rows)`, runs, 5_000, 600))}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
