/**
 * `imc report --from` (tabs from Parquet and CSV files), as a child process: the sample business's
 * first 300,000 orders as a Parquet file and as a CSV file, beside `imc report` on the same orders as
 * a workbook (the reportOrdersOnly case), and 1,000,000 generated orders (333,334 customers, three
 * orders each over two years) from Parquet, the size of a full Excel sheet. Targets: the workbook
 * route's (≤ 5 s, ≤ 600 MB) for 300,000 orders; ≤ 60 s and ≤ 2 GB for 1,000,000 (set with the route),
 * in memory and summarised out of core (--max-cells 1000); 20,000,000 orders of 2,000,000 customers
 * (the customer cap of the per-customer tabs), out of core as any file over --max-cells is, five
 * tabs (≤ 120 s, ≤ 2 GB); and 100,000,000 orders of 10,000,000 customers, past the cap: the
 * Scorecard, Cohorts and Budget tabs (≤ 90 s, ≤ 2 GB, as imc clv --from on 100M orders); and a
 * touchpoint log of 50,000,000 rows (5,000,000 visitors) out of core: the Attribution and Journey
 * tabs (≤ 90 s, as imc attribute --from on the same log; ≤ 2 GB).
 * IMC_BENCH_REPORT_ROWS changes the 1,000,000, IMC_BENCH_REPORT_OOC_ROWS the 20,000,000,
 * IMC_BENCH_REPORT_HUGE_ROWS the 100,000,000 and IMC_BENCH_REPORT_TOUCHPOINTS the 50,000,000 (0 skips one).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { writeDataWorkbook } from "../../src/cli/xlsx/dataWorkbook";
import { generateSampleBusiness } from "../../src/sample/business";
import { tableToCsv } from "../../src/sample/csv";
import { childFigure, runImc } from "../childProcess";
import { touchpointsSql } from "../generatedOrders";

const SAMPLE_ROWS = 300_000;
const BIG_ROWS = Number(process.env.IMC_BENCH_REPORT_ROWS ?? 1_000_000);
/** Orders of the out-of-core runs, far over --max-cells, ten per customer (0 skips one): at the customer cap, and past it. */
const OOC_ROWS = Number(process.env.IMC_BENCH_REPORT_OOC_ROWS ?? 20_000_000);
const HUGE_ROWS = Number(process.env.IMC_BENCH_REPORT_HUGE_ROWS ?? 100_000_000);
const TOUCHPOINT_ROWS = Number(process.env.IMC_BENCH_REPORT_TOUCHPOINTS ?? 50_000_000);

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "imc-report-from-bench-"));
  try {
    const business = generateSampleBusiness({ customers: 95_000, seed: 11 });
    const orders = business.tables.find((table) => table.name === "Orders")!;
    const sample = { ...orders, rows: orders.rows.slice(0, SAMPLE_ROWS) };
    writeFileSync(path.join(dir, "orders.csv"), tableToCsv(sample));
    writeFileSync(path.join(dir, "orders.xlsx"), await writeDataWorkbook([sample]));
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const csv = path.join(dir, "orders.csv");
    await connection.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${path.join(dir, "orders.parquet")}' (FORMAT parquet)`);
    if (BIG_ROWS > 0) {
      const customers = Math.ceil(BIG_ROWS / 3);
      await connection.run(
        `COPY (SELECT 'C' || (i % ${customers}) AS customer_id, DATE '2023-01-01' + CAST(hash(i) % 730 AS INTEGER) AS order_date, 5 + (hash(i * 7) % 20000) / 100.0 AS order_value FROM range(${BIG_ROWS}) t(i)) TO '${path.join(dir, "big.parquet")}' (FORMAT parquet)`,
      );
    }
    // Ten orders per customer over three years, one in fifty a refund.
    for (const [rows, file] of [
      [OOC_ROWS, "ooc.parquet"],
      [HUGE_ROWS, "huge.parquet"],
    ] as const) {
      if (rows <= 0) continue;
      await connection.run(
        `COPY (SELECT 'C' || (i % ${Math.ceil(rows / 10)}) AS customer_id, DATE '2022-01-01' + CAST(hash(i) % 1095 AS INTEGER) AS order_date, CASE WHEN hash(i * 3) % 50 = 0 THEN -20.0 ELSE 5 + (hash(i * 7) % 20000) / 100.0 END AS order_value FROM range(${rows}) t(i)) TO '${path.join(dir, file)}' (FORMAT parquet)`,
      );
    }
    if (TOUCHPOINT_ROWS > 0) {
      await connection.run(`COPY (${touchpointsSql(TOUCHPOINT_ROWS)}) TO '${path.join(dir, "touchpoints.parquet")}' (FORMAT parquet)`);
    }
    connection.closeSync();
    instance.closeSync();
    const rows = SAMPLE_ROWS.toLocaleString("en-US");
    const report = (name: string, args: string[], maxMs: number, maxMb: number) =>
      console.log(`BENCH ${JSON.stringify(childFigure(name, [runImc(["report", ...args, "--no-html", "--force"], dir)], maxMs, maxMb))}`);
    report(`imc report --from: ${rows} sample orders (Parquet), four tabs`, ["--from", "orders.parquet", "--out", "from-parquet.xlsx"], 5_000, 600);
    report(`imc report --from: ${rows} sample orders (CSV), four tabs`, ["--from", "orders.csv", "--out", "from-csv.xlsx"], 5_000, 600);
    report(`imc report: the same ${rows} orders as a workbook`, ["orders.xlsx", "--out", "from-book.xlsx"], 5_000, 600);
    if (BIG_ROWS > 0) {
      const big = `${BIG_ROWS.toLocaleString("en-US")} orders (Parquet, ${Math.ceil(BIG_ROWS / 3).toLocaleString("en-US")} customers)`;
      report(`imc report --from: ${big}`, ["--from", "big.parquet", "--out", "big.xlsx"], 60_000, 2048);
      // The same file summarised out of core, as a file over --max-cells is.
      report(`imc report --from: ${big}, summarised out of core (--max-cells 1000)`, ["--from", "big.parquet", "--out", "big-ooc.xlsx", "--max-cells", "1000"], 60_000, 2048);
    }
    if (OOC_ROWS > 0) {
      report(
        `imc report --from: ${OOC_ROWS.toLocaleString("en-US")} orders (Parquet, ${Math.ceil(OOC_ROWS / 10).toLocaleString("en-US")} customers), out of core, five tabs`,
        ["--from", "ooc.parquet", "--out", "ooc.xlsx", "--cac", "40"],
        120_000,
        2048,
      );
    }
    if (HUGE_ROWS > 0) {
      report(
        `imc report --from: ${HUGE_ROWS.toLocaleString("en-US")} orders (Parquet, ${Math.ceil(HUGE_ROWS / 10).toLocaleString("en-US")} customers, past the cap), out of core, Scorecard, Cohorts, Budget`,
        ["--from", "huge.parquet", "--out", "huge.xlsx", "--cac", "40"],
        90_000,
        2048,
      );
    }
    if (TOUCHPOINT_ROWS > 0) {
      report(
        `imc report --from: ${TOUCHPOINT_ROWS.toLocaleString("en-US")} touchpoints (Parquet, ${Math.floor(TOUCHPOINT_ROWS / 10).toLocaleString("en-US")} visitors), out of core, Attribution and Journey`,
        ["--from", "touchpoints.parquet", "--out", "touchpoints.xlsx", "--tabs", "attribution,journey", "--max-cells", "1000"],
        90_000,
        2048,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
