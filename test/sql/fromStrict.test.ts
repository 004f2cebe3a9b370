/**
 * The `--from` route is as strict and as forgiving about values as the in-memory runner (issue 16),
 * checked through the commands on small messy files written here:
 * - an order value (`imc clv`) or a conversion value (`imc attribute`) the runner does not read stops
 *   `--from` with the runner's message, byte for byte, and the row of the file: a blank order value,
 *   text that is not a number, a number too large, a negative conversion; in CSV, in a Parquet text
 *   column and in a typed Parquet number column, and in the second file of a glob (money text such
 *   as `$1,234.50` or `1.234,50` is read as `imc report` reads it: test/sql/fromHostile.test.ts);
 * - what the runner reads, `--from` reads the same: negative order values (refunds), percent text,
 *   scientific notation, spaces around a number, a blank conversion (a touch), a conversion row
 *   without a channel; a touch row without a channel stops both, at the same row;
 * - a row with a blank id and date but a value is not skipped: it stops as a blank id does;
 * - a --from path with a comma is kept whole: one file or glob for clv and attribute (a second --from
 *   is an error, not the last one winning), and for `imc report --from` a comma list that may repeat,
 *   whose value is one path when a file of that name exists.
 */

import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { fileList } from "../../src/cli/args";
import { formatSerial } from "../../src/engine/data/dates";
import { csvRows, expectSameTable, runImcIn, writeCsv, scratchFolder } from "./engines";

const TIMEOUT = 120_000;
const scratch = scratchFolder("imc-from-strict-");

const imc = (args: string[]) => runImcIn(scratch.path, args);
const ORDER_HEADER = ["customer_id", "order_date", "order_value"];
const LOG_HEADER = ["customer_id", "timestamp", "channel", "conversion"];

/** A deterministic generator in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Orders of 300 customers (values as numbers), enough for the models to fit. */
function orders(): (string | number | null)[][] {
  const next = random(11);
  const rows: (string | number | null)[][] = [];
  for (let c = 0; c < 300; c++) {
    let serial = 44927 + Math.floor(next() * 180);
    const spend = 20 + next() * 80;
    for (;;) {
      rows.push([`C${c}`, formatSerial(serial), Math.round(spend * (0.5 + next()) * 100) / 100]);
      serial += 1 + Math.floor(-Math.log(1 - next()) * 30);
      if (next() < 0.3 || serial > 45290) break;
    }
  }
  return rows;
}

/** Writes `rows` as CSV and as Parquet with every column as text; returns the two names. */
async function writeBoth(name: string, header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): Promise<[string, string]> {
  writeCsv(path.join(scratch.path, `${name}.csv`), header, rows);
  await toParquet(`${name}.csv`, `${name}.parquet`, "all_varchar = true");
  return [`${name}.csv`, `${name}.parquet`];
}

/** Copies a CSV file of the work folder to Parquet, read with the given read_csv options. */
async function toParquet(csv: string, parquet: string, options: string): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (SELECT * FROM read_csv('${path.join(scratch.path, csv)}', ${options})) TO '${path.join(scratch.path, parquet)}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("imc clv --from reads order values as imc clv", () => {
  it("stops at a value the runner does not read, with the runner's message and row", async () => {
    const base = orders().slice(0, 40);
    const cases: [string, string | null][] = [
      ["blank", null],
      ["spaces", "   "],
      ["abc", "abc"],
      ["huge", "1e999"],
      ["infinity", "inf"],
      ["underscore", "1_000"],
    ];
    // Money text is read by imc clv orders.csv and by --from as imc report reads it (by column):
    // "$1,234.50", "1,234.50" and "(12)" are read; "1.234,50" and "12,5" beside 29.33 mix two marks.
    for (const [name, text, read] of [["dollar", "$1,234.50", true], ["thousands", "1,234.50", true], ["paren", "(12)", true], ["euro", "1.234,50", false], ["decimal-comma", "12,5", false]] as const) {
      const [csv] = await writeBoth(`clv-${name}`, ORDER_HEADER, base.map((row, k) => (k === 17 || k === 30 ? [row[0], row[1], text] : row)));
      const memory = await imc(["rfm", csv]);
      const duck = await imc(["clv", "--from", csv, "--fit-only"]);
      if (read) {
        expect(memory.code, `${name}: ${memory.stderr}`).toBe(0);
        expect(duck.code, `${name}: ${duck.stderr}`).toBe(0);
      } else {
        expect(memory.stderr, name).toMatch(/^imc: clv-[a-z-]+\.csv, column order_value: .* has a decimal point but .*\(row 19\) a decimal comma/);
        expect(duck.stderr, name).toMatch(/^imc: clv-[a-z-]+\.csv, column order_value: .*decimal point.*decimal comma/);
      }
    }
    for (const [name, bad] of cases) {
      const rows = base.map((row, k) => (k === 17 || k === 30 ? [row[0], row[1], bad] : row));
      const [csv, parquet] = await writeBoth(`clv-${name}`, ORDER_HEADER, rows);
      const memory = await imc(["clv", csv, "--fit-only"]);
      expect(memory.stderr, name).toMatch(/^imc: clv-[a-z-]+\.csv, row 19, column order_value: /);
      const duck = await imc(["clv", "--from", csv, "--fit-only"]);
      expect(duck.stderr, name).toBe(memory.stderr);
      expect(duck.code, name).toBe(1);
      const fromParquet = await imc(["clv", "--from", parquet, "--fit-only"]);
      expect(fromParquet.stderr, name).toBe(memory.stderr.replace(csv, parquet));
    }
  }, TIMEOUT);

  it("stops at a NULL in a typed Parquet number column, and names the file of a glob", async () => {
    const rows = orders().slice(0, 30);
    rows[12] = [rows[12][0], rows[12][1], null];
    writeCsv(path.join(scratch.path, "typed.csv"), ORDER_HEADER, rows);
    await toParquet("typed.csv", "typed.parquet", "types = {'order_value': 'DOUBLE'}");
    const memory = await imc(["clv", "typed.csv", "--fit-only"]);
    expect(memory.stderr).toBe("imc: typed.csv, row 14, column order_value: is blank; a number is required\n");
    expect((await imc(["clv", "--from", "typed.parquet", "--fit-only"])).stderr).toBe(memory.stderr.replace("typed.csv", "typed.parquet"));

    writeCsv(path.join(scratch.path, "part-1.csv"), ORDER_HEADER, orders().slice(0, 10));
    writeCsv(path.join(scratch.path, "part-2.csv"), ORDER_HEADER, [...orders().slice(10, 14), ["C99", "2023-03-01", "n/a"]]);
    const glob = await imc(["clv", "--from", "part-*.csv", "--fit-only"]);
    expect(glob.stderr).toBe('imc: part-2.csv, row 6, column order_value: "n/a" is not a number\n');
  }, TIMEOUT);

  it("reads refunds, percent text, scientific notation and spaces as the runner does", async () => {
    const data = orders();
    const messy = data.map((row, k) => {
      const value = Number(row[2]);
      const text = [`\u00a0${value} `, `${value * 100}%`, `${value / 100}e2`, k % 12 === 3 ? `-${value}` : `${value}`, `+${value}`, String(value)][k % 6];
      return [row[0], row[1], text];
    });
    expect(messy.some((row) => String(row[2]).startsWith("-"))).toBe(true);
    const [csv, parquet] = await writeBoth("clv-messy", ORDER_HEADER, messy);
    const common = ["--as-of", "2023-12-31", "--model", "auto", "--fit-only"];
    const memory = await imc(["clv", csv, ...common]);
    expect(memory.code, memory.stderr).toBe(0);
    for (const file of [csv, parquet]) {
      const duck = await imc(["clv", "--from", file, ...common]);
      expect(duck.code, duck.stderr).toBe(0);
      expectSameTable(csvRows(duck.stdout), csvRows(memory.stdout), 1e-9);
    }
    // Dropping the percent rows would change the fit: the check above sees every value.
    const dropped = messy.filter((row) => !String(row[2]).endsWith("%"));
    writeCsv(path.join(scratch.path, "clv-dropped.csv"), ORDER_HEADER, dropped);
    expect((await imc(["clv", "clv-dropped.csv", ...common])).stdout).not.toBe(memory.stdout);
  }, TIMEOUT);

  it("stops at a row with a blank id and date but a value", async () => {
    const rows: (string | number | null)[][] = [...orders().slice(0, 6), [null, null, 12], ...orders().slice(6, 10)];
    writeCsv(path.join(scratch.path, "only-value.csv"), ORDER_HEADER, rows);
    const memory = await imc(["clv", "only-value.csv", "--fit-only"]);
    expect(memory.stderr).toBe("imc: only-value.csv, row 8, column customer_id: is blank; a value is required\n");
    expect((await imc(["clv", "--from", "only-value.csv", "--fit-only"])).stderr).toBe(memory.stderr);
  }, TIMEOUT);
});

/** A log of 100 customers: touches with blank or 0 conversions, conversions with positive values. */
function log(): (string | number | null)[][] {
  const next = random(3);
  const channels = ["Search", "Email", "Display"];
  const rows: (string | number | null)[][] = [];
  for (let c = 0; c < 100; c++) {
    const n = 1 + Math.floor(next() * 4);
    for (let k = 0; k < n; k++) {
      const converts = k === n - 1 && next() < 0.6;
      const value = converts ? String(Math.round(next() * 500) / 10 + 1) : [null, "0", " "][k % 3];
      rows.push([`c${c}`, `2024-01-${String(1 + k * 3).padStart(2, "0")} 10:00`, channels[Math.floor(next() * 3)], value]);
    }
  }
  return rows;
}

/** A credit table without its time-decay columns (--from credits time decay by the path-data convention). */
function withoutTimeDecay(table: string[][]): string[][] {
  const keep = table[0].map((h, i) => (/time.?decay/i.test(h) ? -1 : i)).filter((i) => i >= 0);
  return table.map((row) => keep.map((i) => row[i]));
}

describe("imc attribute --from reads conversion values as imc attribute", () => {
  it("stops at a negative or unreadable conversion with the runner's message and row", async () => {
    const base = log();
    // "$12" is read as imc report reads money text, by imc attribute touchpoints.csv and by --from.
    const [dollar] = await writeBoth("log-dollar", LOG_HEADER, base.map((row, k) => (k === 20 ? [row[0], row[1], row[2], "$12"] : row)));
    expect((await imc(["attribute", dollar])).code).toBe(0);
    expect((await imc(["attribute", "--from", dollar])).code).toBe(0);
    for (const [name, bad] of [["negative", "-5.50"], ["abc", "abc"], ["huge", "1e400"]] as const) {
      const rows = base.map((row, k) => (k === 20 ? [row[0], row[1], row[2], bad] : row));
      const [csv, parquet] = await writeBoth(`log-${name}`, LOG_HEADER, rows);
      const memory = await imc(["attribute", csv]);
      expect(memory.stderr, name).toMatch(/^imc: log-[a-z]+\.csv, row 22, column conversion: /);
      expect((await imc(["attribute", "--from", csv])).stderr, name).toBe(memory.stderr);
      expect((await imc(["attribute", "--from", parquet])).stderr, name).toBe(memory.stderr.replace(csv, parquet));
    }
  }, TIMEOUT);

  /** Writes the log as CSV and Parquet and expects `--from` on each to give `imc attribute`'s credit on the CSV. */
  async function expectRunnersCredit(name: string, rows: (string | number | null)[][]): Promise<void> {
    const [csv, parquet] = await writeBoth(name, LOG_HEADER, rows);
    const memory = await imc(["attribute", csv, "--model", "all"]);
    expect(memory.code, memory.stderr).toBe(0);
    for (const file of [csv, parquet]) {
      const duck = await imc(["attribute", "--from", file, "--model", "all"]);
      expect(duck.code, duck.stderr).toBe(0);
      expectSameTable(withoutTimeDecay(csvRows(duck.stdout)), withoutTimeDecay(csvRows(memory.stdout)), 1e-9);
    }
  }

  it("stops at a touch without a channel as the runner, and reads a conversion without one", async () => {
    const base = log();
    // A conversion row without a channel is read by both (it closes the journey, no touch of its own).
    const withConversion = base.map((row, k) => (Number(row[3]) > 0 && k % 3 === 0 ? [row[0], row[1], "", row[3]] : row));
    expect(withConversion.some((row) => row[2] === "")).toBe(true);
    await expectRunnersCredit("log-no-channel", withConversion);
    for (const touch of [null, "0", " "]) {
      const rows = base.map((row, k) => (k === 12 ? [row[0], row[1], "  ", touch] : k === 40 ? [row[0], row[1], row[2], "abc"] : row));
      const [bad, badParquet] = await writeBoth("log-touch", LOG_HEADER, rows);
      const runner = await imc(["attribute", bad]);
      expect(runner.stderr).toBe("imc: log-touch.csv, row 14, column channel: is blank on a touch row; give the channel, or a conversion value in conversions\n");
      expect((await imc(["attribute", "--from", bad])).stderr).toBe(runner.stderr);
      expect((await imc(["attribute", "--from", badParquet])).stderr).toBe(runner.stderr.replace(bad, badParquet));
    }
  }, TIMEOUT);

  it("reads a typed Parquet conversion column as the runner reads the CSV: NULL a touch, a negative one stops", async () => {
    const rows = log().map((row) => (row[3] === " " ? [row[0], row[1], row[2], null] : row));
    writeCsv(path.join(scratch.path, "typed-log.csv"), LOG_HEADER, rows);
    await toParquet("typed-log.csv", "typed-log.parquet", "types = {'conversion': 'DOUBLE'}");
    const memory = await imc(["attribute", "typed-log.csv", "--model", "all"]);
    expect(memory.code, memory.stderr).toBe(0);
    const duck = await imc(["attribute", "--from", "typed-log.parquet", "--model", "all"]);
    expect(duck.code, duck.stderr).toBe(0);
    expectSameTable(withoutTimeDecay(csvRows(duck.stdout)), withoutTimeDecay(csvRows(memory.stdout)), 1e-9);
    writeCsv(path.join(scratch.path, "typed-negative.csv"), LOG_HEADER, rows.map((row, k) => (k === 33 ? [row[0], row[1], row[2], -2.5] : row)));
    await toParquet("typed-negative.csv", "typed-negative.parquet", "types = {'conversion': 'DOUBLE'}");
    const runner = await imc(["attribute", "typed-negative.csv"]);
    expect(runner.stderr).toBe("imc: typed-negative.csv, row 35, column conversion: -2.5 is negative; use blank or 0 for a touch, a positive value for a conversion\n");
    expect((await imc(["attribute", "--from", "typed-negative.parquet"])).stderr).toBe(runner.stderr.replace("typed-negative.csv", "typed-negative.parquet"));
  }, TIMEOUT);

  it("reads blank and zero conversions as touches and percent text as numbers", async () => {
    const rows = log().map((row, k) => (row[3] !== null && Number(row[3]) > 0 && k % 2 === 0 ? [row[0], row[1], row[2], `${Number(row[3]) * 100} %`] : row));
    expect(rows.some((row) => String(row[3]).endsWith("%"))).toBe(true);
    await expectRunnersCredit("log-messy", rows);
  }, TIMEOUT);
});

describe("--from paths with commas", () => {
  it("fileList splits comma lists but keeps an existing path or a glob in a comma folder whole", () => {
    const existing = new Set(["sales, 2024.csv", "exports,2024/"]);
    const exists = (name: string) => existing.has(name);
    expect(fileList(["a.csv,b.csv", "c.csv"], exists)).toEqual(["a.csv", "b.csv", "c.csv"]);
    expect(fileList(["sales, 2024.csv", " d.parquet , e.parquet,"], exists)).toEqual(["sales, 2024.csv", "d.parquet", "e.parquet"]);
    expect(fileList(["exports,2024/*.csv", "x/*.csv,y.csv"], exists)).toEqual(["exports,2024/*.csv", "x/*.csv", "y.csv"]);
    expect(fileList([" ", ""], exists)).toEqual([]);
  });

  it("clv and attribute keep a comma in the name and refuse a second --from", async () => {
    writeCsv(path.join(scratch.path, "orders, 2023.csv"), ORDER_HEADER, orders());
    writeCsv(path.join(scratch.path, "orders-2023.csv"), ORDER_HEADER, orders());
    const common = ["--as-of", "2023-12-31", "--model", "auto", "--fit-only"];
    const comma = await imc(["clv", "--from", "orders, 2023.csv", ...common]);
    expect(comma.code, comma.stderr).toBe(0);
    // DuckDB's parallel sums may order a customer's day values differently from run to run: the fits
    // agree to rounding, not bit for bit.
    expectSameTable(csvRows(comma.stdout), csvRows((await imc(["clv", "--from", "orders-2023.csv", ...common])).stdout), 1e-9);
    const twice = await imc(["clv", "--from", "orders-2023.csv", "--from", "orders, 2023.csv", ...common]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("--from takes one file or glob, given 2 times");
    mkdirSync(path.join(scratch.path, "logs,2024"), { recursive: true });
    writeCsv(path.join(scratch.path, "logs,2024", "log.csv"), LOG_HEADER, [["a", "2024-01-01 10:00", "Search", null], ["a", "2024-01-02 10:00", "Email", 5]]);
    const glob = await imc(["attribute", "--from", "logs,2024/*.csv"]);
    expect(glob.code, glob.stderr).toBe(0);
    expect((await imc(["attribute", "--from", "logs,2024/*.csv", "--from", "x.csv"])).code).toBe(2);
  }, TIMEOUT);

  it("imc report --from reads a comma in a file name, a repeated flag and a comma list", async () => {
    writeCsv(path.join(scratch.path, "sales, 2023.csv"), ORDER_HEADER, orders());
    writeCsv(path.join(scratch.path, "sales-2023.csv"), ORDER_HEADER, orders());
    writeCsv(path.join(scratch.path, "visits.csv"), LOG_HEADER, log());
    const options = ["--no-html", "--force", "--tabs", "segmentation"];
    const comma = await imc(["report", "--from", "sales, 2023.csv", "--out", "comma.xlsx", ...options]);
    expect(comma.code, comma.stderr).toBe(0);
    expect(existsSync(path.join(scratch.path, "comma.xlsx"))).toBe(true);
    const repeated = await imc(["report", "--from", "sales, 2023.csv", "--from", "visits.csv", "--out", "repeated.xlsx", ...options]);
    expect(repeated.code, repeated.stderr).toBe(0);
    const list = await imc(["report", "--from", "sales-2023.csv,visits.csv", "--out", "list.xlsx", ...options]);
    expect(list.code, list.stderr).toBe(0);
    const missing = await imc(["report", "--from", "sales-2023.csv,nowhere.csv", "--out", "missing.xlsx", ...options]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("nowhere.csv");
  }, TIMEOUT);
});
