/**
 * The runner's DuckDB route (`--from FILES`) against the in-memory route on the same data: `imc clv
 * --from` (CSV and a glob of Parquet files) gives `imc clv`'s fit and per-customer table (to 1e-9:
 * the fit adds its weighted terms in another order), `imc attribute --from` gives `imc attribute`'s
 * credit on a touchpoint log (every model but time decay, which on grouped paths uses the path-data
 * convention), and `imc sql` prints SQL that DuckDB runs.
 */

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { batchCount } from "../../src/cli/duckdb/attributeFrom";
import { formatSerial } from "../../src/engine/data/dates";
import { cdnowTransactions } from "../engine/clv/cdnowData";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { csvRows, expectSameTable, writeCsv, runImcIn, scratchFolder } from "./engines";

const TIMEOUT = 180_000;
const scratch = scratchFolder("imc-duckdb-route-");

const imc = (args: string[], progress = false) => runImcIn(scratch.path, args, progress);

/** A Parquet file as rows of cells, the header first. */
async function parquetTable(file: string): Promise<string[][]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
    return [reader.columnNames(), ...reader.getRowsJson().map((row) => row.map(String))];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("imc clv --from (DuckDB)", () => {
  it("gives imc clv's fit and per-customer table on CDNOW, from CSV and from a glob of Parquet files", async (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const t = cdnowTransactions(dir);
    const csv = writeCsv(
      path.join(scratch.path, "orders.csv"),
      ["Client", "Invoice date", "Amount"],
      Array.from(t.customerIndex, (c, i) => [t.customerIds[c], formatSerial(t.orderDates[i]), t.orderValues![i]]),
    );
    const columns = ["--id-column", "Client", "--date-column", "Invoice date", "--value-column", "Amount"];
    const common = ["--as-of", "1997-09-30", ...columns];
    const memoryFit = await imc(["clv", csv, "--fit-only", ...common]);
    expect(memoryFit.code, memoryFit.stderr).toBe(0);
    const duckFit = await imc(["clv", "--from", "orders.csv", "--fit-only", ...common]);
    expect(duckFit.code, duckFit.stderr).toBe(0);
    expectSameTable(csvRows(duckFit.stdout), csvRows(memoryFit.stdout), 1e-9, { skipBooleans: true });

    const memory = await imc(["clv", csv, "--model", "pareto", "--period", "month", "--horizon", "12", ...common]);
    expect(memory.code, memory.stderr).toBe(0);
    const fromCsv = await imc(["clv", "--from", "orders.csv", "--model", "pareto", "--period", "month", "--horizon", "12", "--out", "clv.csv", ...common]);
    expect(fromCsv.code, fromCsv.stderr).toBe(0);
    expect(fromCsv.stderr).toContain("2,357 customers written to clv.csv");
    expectSameTable(csvRows(readFileSync(path.join(scratch.path, "clv.csv"), "utf8")), csvRows(memory.stdout), 1e-9, { skipBooleans: true });

    // The same orders as two Parquet files, read with a glob, written as Parquet.
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    for (const [part, where] of [["a", "<"], ["b", ">="]] as const) {
      await connection.run(
        `COPY (SELECT Client, CAST("Invoice date" AS DATE) AS "Invoice date", Amount FROM read_csv('${csv}') WHERE CAST(Client AS INTEGER) ${where} 1000) TO '${path.join(scratch.path, `orders-${part}.parquet`)}' (FORMAT parquet)`,
      );
    }
    const fromParquet = await imc(["clv", "--from", "orders-*.parquet", "--model", "pareto", "--period", "month", "--horizon", "12", "--out", "clv.parquet", ...common]);
    expect(fromParquet.code, fromParquet.stderr).toBe(0);
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${path.join(scratch.path, "clv.parquet")}')`);
    const parquetRows = [reader.columnNames(), ...reader.getRowsJson().map((row) => row.map(String))];
    connection.closeSync();
    instance.closeSync();
    expectSameTable(parquetRows, csvRows(memory.stdout), 1e-9, { skipBooleans: true });

    // In customer batches of about 1,000 orders (split once, summarised batch by batch), from CSV and
    // from Parquet, with the as-of day given and found (the last order day).
    const saved = process.env.IMC_CLV_BATCH_ROWS;
    process.env.IMC_CLV_BATCH_ROWS = "1000";
    try {
      for (const [input, out] of [["orders.csv", "batched.csv"], ["orders-*.parquet", "batched.parquet"]] as const) {
        const batched = await imc(["clv", "--from", input, "--model", "pareto", "--period", "month", "--horizon", "12", "--out", out, ...common], true);
        expect(batched.code, batched.stderr).toBe(0);
        expect(batched.stderr).toContain("customer batch 2 of");
        expect(batched.stderr).toContain("2,357 customers written");
        const table = out.endsWith(".csv") ? csvRows(readFileSync(path.join(scratch.path, out), "utf8")) : await parquetTable(path.join(scratch.path, out));
        expectSameTable(table, csvRows(memory.stdout), 1e-9, { skipBooleans: true });
      }
      const lastDay = await imc(["clv", "--from", "orders.csv", "--fit-only", ...columns]);
      expect(lastDay.code, lastDay.stderr).toBe(0);
      delete process.env.IMC_CLV_BATCH_ROWS;
      const lastDayOneBatch = await imc(["clv", "--from", "orders.csv", "--fit-only", ...columns]);
      expect(lastDayOneBatch.code, lastDayOneBatch.stderr).toBe(0);
      expectSameTable(csvRows(lastDay.stdout), csvRows(lastDayOneBatch.stdout), 1e-9, { skipBooleans: true });
    } finally {
      if (saved === undefined) delete process.env.IMC_CLV_BATCH_ROWS;
      else process.env.IMC_CLV_BATCH_ROWS = saved;
    }
  }, TIMEOUT);

  it("says what is wrong: no file, no --out, a column not found", async () => {
    const none = await imc(["clv", "--from", "nothing-*.parquet", "--out", "x.parquet"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^imc: nothing-\*\.parquet: DuckDB could not read the data: .*No files found/);
    writeFileSync(path.join(scratch.path, "bad.csv"), "who,when,amount\n1,2024-01-01,3\n");
    const noOut = await imc(["clv", "--from", "bad.csv"]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("--out");
    const noColumn = await imc(["clv", "--from", "bad.csv", "--fit-only"]);
    expect(noColumn.code).not.toBe(0);
    expect(noColumn.stderr).toMatch(/customer id/);
  }, TIMEOUT);
});

describe("imc attribute --from (DuckDB)", () => {
  it("gives imc attribute's credit on a touchpoint log", async () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const channels = ["Email", "Search", "Social", "Display"];
    const rows: (string | number | null)[][] = [];
    for (let c = 0; c < 500; c++) {
      let t = Date.UTC(2024, 0, 1) + Math.floor(next() * 60) * 86_400_000;
      const n = 1 + Math.floor(next() * 8);
      for (let k = 0; k < n; k++) {
        t += Math.floor(next() * 10 * 86_400_000);
        const stamp = new Date(t).toISOString().slice(0, 19);
        const converts = next() < 0.3;
        rows.push([`c${c}`, stamp, converts && next() < 0.5 ? null : channels[Math.floor(next() * channels.length)], converts ? Math.round(next() * 1000) / 10 + 1 : null]);
      }
    }
    writeCsv(path.join(scratch.path, "log.csv"), ["customer_id", "timestamp", "channel", "conversion"], rows);
    expect(batchCount(rows.length, 200)).toBeGreaterThan(5);
    // One batch, then customer batches of about 200 rows (the paths summed across batches).
    for (const [model, batchRows] of [["all", undefined], ["markov2", undefined], ["all", "200"], ["markov2", "200"]] as const) {
      const memory = await imc(["attribute", "log.csv", "--model", model, "--lookback-days", "14"]);
      expect(memory.code, memory.stderr).toBe(0);
      const saved = process.env.IMC_ATTRIBUTE_BATCH_ROWS;
      if (batchRows === undefined) delete process.env.IMC_ATTRIBUTE_BATCH_ROWS;
      else process.env.IMC_ATTRIBUTE_BATCH_ROWS = batchRows;
      const duck = await imc(["attribute", "--from", "log.csv", "--model", model, "--lookback-days", "14"], true).finally(() => {
        if (saved === undefined) delete process.env.IMC_ATTRIBUTE_BATCH_ROWS;
        else process.env.IMC_ATTRIBUTE_BATCH_ROWS = saved;
      });
      expect(duck.code, duck.stderr).toBe(0);
      expect(duck.stderr.includes("customer batch 2 of"), duck.stderr).toBe(batchRows !== undefined);
      const drop = (table: string[][]) => {
        const keep = table[0].map((h, i) => (/time.?decay/i.test(h) ? -1 : i)).filter((i) => i >= 0);
        return table.map((row) => keep.map((i) => row[i]));
      };
      expectSameTable(drop(csvRows(duck.stdout)), drop(csvRows(memory.stdout)), 1e-9, { skipBooleans: true });
    }
  }, TIMEOUT);
});

describe("imc sql", () => {
  it("prints SQL that DuckDB runs, with the columns given", async () => {
    writeCsv(path.join(scratch.path, "shop.csv"), ["Client", "Invoice date", "Amount"], [["a", "2024-01-01", 10], ["a", "2024-01-08", 20], ["b", "2024-01-02", 5]]);
    const result = await imc(["sql", "--orders-table", "shop", "--columns", "orders.id=Client,orders.date=Invoice date,orders.value=Amount", "--as-of", "2024-01-15"]);
    expect(result.code, result.stderr).toBe(0);
    const statements = result.stdout.split(/;\n/).filter((s) => s.includes("SELECT"));
    expect(statements).toHaveLength(3);
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(`CREATE TABLE shop AS SELECT * FROM read_csv('${path.join(scratch.path, "shop.csv")}')`);
    const triples = (await connection.runAndReadAll(statements[1])).getRowsJson();
    connection.closeSync();
    instance.closeSync();
    expect(triples).toEqual([
      ["0", 0, 13 / 7, "1"],
      ["1", 1, 2, "1"],
    ]);
    const usage = await imc(["sql"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--orders-table");
  }, TIMEOUT);
});
