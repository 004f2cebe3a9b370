/**
 * The `--from` route reads dates, ids and ties as the in-memory runner does (issue 16), checked
 * through the commands on small messy files written here:
 * - dates: Excel serials, day-first and month-first text (with times, dots), ISO text with an offset,
 *   in CSV and in a Parquet text column, give the same fit and table as `imc clv` on the same orders
 *   written as ISO text (the runner itself rejects serial and day/month text: see the first test);
 *   a column that cannot tell day from month, or shows both, stops naming the column and
 *   `--date-order`; a bad date or a blank id stops with the runner's own message and row;
 * - ids: spaces around an id do not make another customer;
 * - ties: at equal times a touchpoint log keeps its row order (CSV and Parquet), as `imc attribute`.
 */

import { readFileSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { formatSerial, serialToCalendar } from "../../src/engine/data/dates";
import { csvRows, expectSameTable, writeCsv, runImcIn, scratchFolder } from "./engines";

const TIMEOUT = 120_000;
const scratch = scratchFolder("imc-from-reading-");

const imc = (args: string[]) => runImcIn(scratch.path, args);

/** A deterministic generator in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** An order date written in one of several messy ways; `monthFirst` writes day/month text month-first. */
function messyDate(serial: number, k: number, monthFirst: boolean): string {
  const { year, month, day } = serialToCalendar(serial);
  const minutes = Math.round((serial - Math.floor(serial)) * 1440);
  const time = `${Math.floor(minutes / 60)}:${pad(minutes % 60)}`;
  const [p, q] = monthFirst ? [month, day] : [day, month];
  switch (k % 5) {
    case 0:
      return String(serial); // an Excel serial, the fraction the time
    case 1:
      return `${pad(p)}/${pad(q)}/${year}${minutes === 0 ? "" : ` ${time}`}`;
    case 2:
      return `${p}.${q}.${year}${minutes === 0 ? "" : ` ${time}`}`;
    case 3:
      return `${formatSerial(serial).replace(" ", "T")}${minutes === 0 ? "" : ":00+02:00"}`;
    default:
      return `${p}/${q}/${String(year).slice(2)}`.concat(minutes === 0 ? "" : ` ${time}`);
  }
}

/** Orders of 300 customers who buy every month or so until they drop out: serial dates (some with a time), ids and values. */
function orders(): { id: string; serial: number; value: number }[] {
  const next = random(11);
  const rows: { id: string; serial: number; value: number }[] = [];
  for (let c = 0; c < 300; c++) {
    let serial = 44927 + Math.floor(next() * 180);
    const spend = 20 + next() * 80;
    for (;;) {
      const withTime = next() < 0.3;
      rows.push({ id: `C${c}`, serial: serial + (withTime ? Math.round(next() * 96) / 96 : 0), value: Math.round(spend * (0.5 + next()) * 100) / 100 });
      serial += 1 + Math.floor(-Math.log(1 - next()) * 30);
      if (next() < 0.3 || serial > 45290) break;
    }
  }
  return rows;
}

describe("imc clv --from reads dates and ids as imc clv", () => {
  it("serials, day-first text, ISO with offsets and ids with spaces give imc clv's fit and table", async () => {
    const data = orders();
    writeCsv(path.join(scratch.path, "iso.csv"), ["customer_id", "order_date", "order_value"], data.map((o) => [o.id, formatSerial(o.serial), o.value]));
    const messy = data.map((o, k) => [k % 3 === 0 ? `  ${o.id} ` : o.id, messyDate(o.serial, k, false), o.value]);
    expect(messy.some((row) => /^(1[3-9]|2\d|3[01])[/.]/.test(String(row[1])))).toBe(true);
    writeCsv(path.join(scratch.path, "messy.csv"), ["customer_id", "order_date", "order_value"], messy);
    // The in-memory runner reads only ISO text: the messy file is for --from.
    const strict = await imc(["clv", "messy.csv", "--fit-only"]);
    expect(strict.code).toBe(1);

    const common = ["--as-of", "2023-12-31"];
    const memoryFit = await imc(["clv", "iso.csv", "--fit-only", ...common]);
    expect(memoryFit.code, memoryFit.stderr).toBe(0);
    const duckFit = await imc(["clv", "--from", "messy.csv", "--fit-only", ...common]);
    expect(duckFit.code, duckFit.stderr).toBe(0);
    expectSameTable(csvRows(duckFit.stdout), csvRows(memoryFit.stdout), 1e-9);

    const memory = await imc(["clv", "iso.csv", ...common]);
    expect(memory.code, memory.stderr).toBe(0);
    const duck = await imc(["clv", "--from", "messy.csv", "--out", "messy-clv.csv", ...common]);
    expect(duck.code, duck.stderr).toBe(0);
    expectSameTable(csvRows(readFileSync(path.join(scratch.path, "messy-clv.csv"), "utf8")), csvRows(memory.stdout), 1e-9);

    // The same text in a Parquet VARCHAR column, and month-first text, read the same.
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT * FROM read_csv('${path.join(scratch.path, "messy.csv")}', all_varchar = true)) TO '${path.join(scratch.path, "messy.parquet")}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    const parquet = await imc(["clv", "--from", "messy.parquet", "--fit-only", ...common]);
    expect(parquet.code, parquet.stderr).toBe(0);
    expectSameTable(csvRows(parquet.stdout), csvRows(memoryFit.stdout), 1e-9);
    writeCsv(path.join(scratch.path, "us.csv"), ["customer_id", "order_date", "order_value"], data.map((o, k) => [o.id, messyDate(o.serial, k, true), o.value]));
    const monthFirst = await imc(["clv", "--from", "us.csv", "--fit-only", ...common]);
    expect(monthFirst.code, monthFirst.stderr).toBe(0);
    expectSameTable(csvRows(monthFirst.stdout), csvRows(memoryFit.stdout), 1e-9);
  }, TIMEOUT);

  it("asks for --date-order when the column cannot tell, and reads the order given", async () => {
    const rows = [
      ["a", "01/02/2023", 10],
      ["a", "03/04/2023", 20],
      ["b", "02/01/2023", 5],
      ["b", "05/03/2023", 7],
      ["c", "01/01/2023", 3],
    ];
    writeCsv(path.join(scratch.path, "ambiguous.csv"), ["customer_id", "order_date", "order_value"], rows);
    const asked = await imc(["clv", "--from", "ambiguous.csv", "--fit-only"]);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toMatch(/^imc: ambiguous\.csv, column order_date: dates like \d\d\/\d\d\/2023 \(row \d\) could be day-first or month-first.*--date-order dmy.*--date-order mdy/);
    for (const order of ["dmy", "mdy"] as const) {
      const iso = rows.map(([id, text, value]) => {
        const [p, q, year] = String(text).split("/");
        return [id, order === "dmy" ? `${year}-${q}-${p}` : `${year}-${p}-${q}`, value];
      });
      writeCsv(path.join(scratch.path, `ambiguous-${order}.csv`), ["customer_id", "order_date", "order_value"], iso);
      const memory = await imc(["clv", `ambiguous-${order}.csv`, "--fit-only", "--period", "day"]);
      const duck = await imc(["clv", "--from", "ambiguous.csv", "--fit-only", "--period", "day", "--date-order", order]);
      expect(duck.code, duck.stderr).toBe(memory.code);
      // Five orders cannot be fitted to a meaning (the fit does not converge and its numbers depend
      // on the order of the sums): the days read show in the as-of day and the counts.
      const facts = (text: string) => csvRows(text).filter((row) => /^(As of|Customers|Repeat customers|Orders used|Orders after as_of)/.test(row[0]));
      expect(facts(duck.stdout)).toEqual(facts(memory.stdout));
      expect(facts(memory.stdout)).toHaveLength(7);
    }
    writeCsv(path.join(scratch.path, "mixed.csv"), ["customer_id", "order_date", "order_value"], [["a", "31/01/2023", 1], ["a", "01/02/2023", 2], ["b", "01/13/2023", 3]]);
    const mixed = await imc(["clv", "--from", "mixed.csv", "--fit-only"]);
    expect(mixed.stderr).toBe("imc: mixed.csv, column order_date: 31/01/2023 (row 2) is day-first but 01/13/2023 (row 4) is month-first; make the column one date order\n");
    // The in-memory route reads the same text with the same flag (it used to refuse --date-order).
    const memoryAsked = await imc(["clv", "ambiguous.csv", "--fit-only", "--period", "day", "--date-order", "dmy"]);
    const memoryIso = await imc(["clv", "ambiguous-dmy.csv", "--fit-only", "--period", "day"]);
    expect(memoryAsked.code, memoryAsked.stderr).toBe(memoryIso.code);
    expect(memoryAsked.stdout).toBe(memoryIso.stdout);
    expect(memoryAsked.stderr).toContain("read day-first, as asked");
    const bad = await imc(["clv", "--from", "ambiguous.csv", "--date-order", "ymd"]);
    expect(bad.code).toBe(2);
  }, TIMEOUT);

  it("stops at a bad date or a blank id with the runner's message and row", async () => {
    const header = ["customer_id", "order_date", "order_value"];
    const cases: [string, (string | number | null)[][]][] = [
      ["impossible", [["a", "2023-01-05", 1], ["a", "2023-01-09", 1], ["b", "2023-02-30", 2]]],
      ["garbage", [["a", "2023-01-05", 1], ["b", "soon", 2], ["c", "later", 2], ["d", "2023-02-31", 2]]],
      ["blank-id", [["a", "2023-01-05", 1], ["  ", "2023-01-06", 2], ["b", "2023-01-07", 2]]],
      ["blank-date", [["a", "2023-01-05", 1], ["b", null, 2]]],
      ["bad-time", [["a", "2023-01-05 25:00", 1]]],
      ["early", [["a", "2023-01-05", 1], ["a", "1899-12-31", 1]]],
      ["month-13", [["a", "2023-13-01", 1]]],
      ["bad-offset", [["a", "2023-01-05T10:00+25:00", 1]]],
      ["leap", [["a", "2023-01-05", 1], ["a", "2023-02-29 10:00", 1]]],
    ];
    for (const [name, rows] of cases) {
      writeCsv(path.join(scratch.path, `${name}.csv`), header, rows);
      const memory = await imc(["clv", `${name}.csv`, "--fit-only"]);
      const duck = await imc(["clv", "--from", `${name}.csv`, "--fit-only"]);
      expect(memory.stderr, name).toMatch(/, row \d, column /);
      expect(duck.stderr, name).toBe(memory.stderr);
      expect(duck.code, name).toBe(1);
    }
    // Parquet: the row found by file_row_number, counted as in a sheet of the data (header row 1).
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT * FROM read_csv('${path.join(scratch.path, "impossible.csv")}', all_varchar = true)) TO '${path.join(scratch.path, "impossible.parquet")}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    const parquet = await imc(["clv", "--from", "impossible.parquet", "--fit-only"]);
    expect(parquet.stderr).toBe((await imc(["clv", "impossible.csv", "--fit-only"])).stderr.replace("impossible.csv", "impossible.parquet"));
    // A glob: the file that holds the value is named.
    writeCsv(path.join(scratch.path, "part-a.csv"), header, [["a", "2023-01-05", 1], ["b", "2023-01-06", 2]]);
    writeCsv(path.join(scratch.path, "part-b.csv"), header, [["c", "2023-01-05", 1], ["c", "2023-01-06", 2], ["d", "2023-04-31", 2]]);
    const glob = await imc(["clv", "--from", "part-*.csv", "--fit-only"]);
    expect(glob.stderr).toBe('imc: part-b.csv, row 4, column order_date: "2023-04-31" is not a valid date: April 2023 has 30 days\n');
    writeCsv(path.join(scratch.path, "feb.csv"), header, [["a", "31/01/2023", 1], ["a", "31/02/2023", 2]]);
    const feb = await imc(["clv", "--from", "feb.csv", "--fit-only"]);
    expect(feb.stderr).toBe('imc: feb.csv, row 3, column order_date: "31/02/2023" is not a day-first date like the rest of the column\n');
    writeCsv(path.join(scratch.path, "serial.csv"), header, [["a", "45000", 1], ["a", "0", 2]]);
    const serial = await imc(["clv", "--from", "serial.csv", "--fit-only"]);
    expect(serial.stderr).toMatch(/^imc: serial\.csv, row 3, column order_date: 0 is not a date/);
  }, TIMEOUT);
});

describe("imc attribute --from keeps the log's row order at equal times", () => {
  it("gives imc attribute's credit on a log with ties, from CSV and Parquet", async () => {
    const next = random(5);
    const channels = ["Search", "Email", "Display", "Social"];
    const rows: (string | number | null)[][] = [];
    for (let c = 0; c < 300; c++) {
      let day = Math.floor(next() * 30);
      const n = 2 + Math.floor(next() * 5);
      for (let k = 0; k < n; k++) {
        // Few distinct hours: many touches of one customer share a time.
        if (next() < 0.4) day += Math.floor(next() * 4);
        const stamp = `2024-01-${pad(1 + (day % 28))} ${pad(9 + (day % 3))}:00`;
        const converts = k === n - 1 && next() < 0.6;
        rows.push([next() < 0.2 ? ` c${c} ` : `c${c}`, stamp, channels[Math.floor(next() * channels.length)], converts ? Math.round(next() * 500) / 10 + 1 : null]);
      }
    }
    const header = ["customer_id", "timestamp", "channel", "conversion"];
    writeCsv(path.join(scratch.path, "ties.csv"), header, rows);
    // The ties matter: the same log with ties broken by channel name credits differently.
    const byName = rows
      .map((row, i) => ({ row, i }))
      .sort((x, y) => {
        const [a, b] = [x.row, y.row];
        const key = (r: (string | number | null)[]) => `${String(r[0]).trim()}|${String(r[1])}`;
        return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : String(a[2]) < String(b[2]) ? -1 : String(a[2]) > String(b[2]) ? 1 : x.i - y.i;
      })
      .map(({ row }) => row);
    writeCsv(path.join(scratch.path, "ties-by-name.csv"), header, byName);
    const drop = (table: string[][]) => {
      const keep = table[0].map((h, i) => (/time.?decay/i.test(h) ? -1 : i)).filter((i) => i >= 0);
      return table.map((row) => keep.map((i) => row[i]));
    };
    const memory = await imc(["attribute", "ties.csv", "--model", "all", "--lookback-days", "10"]);
    expect(memory.code, memory.stderr).toBe(0);
    const sorted = await imc(["attribute", "ties-by-name.csv", "--model", "all", "--lookback-days", "10"]);
    expect(sorted.stdout).not.toBe(memory.stdout);

    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT * FROM read_csv('${path.join(scratch.path, "ties.csv")}', all_varchar = true)) TO '${path.join(scratch.path, "ties.parquet")}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    for (const file of ["ties.csv", "ties.parquet"]) {
      for (const batchRows of [undefined, "150"]) {
        const saved = process.env.IMC_ATTRIBUTE_BATCH_ROWS;
        if (batchRows === undefined) delete process.env.IMC_ATTRIBUTE_BATCH_ROWS;
        else process.env.IMC_ATTRIBUTE_BATCH_ROWS = batchRows;
        const duck = await imc(["attribute", "--from", file, "--model", "all", "--lookback-days", "10"]).finally(() => {
          if (saved === undefined) delete process.env.IMC_ATTRIBUTE_BATCH_ROWS;
          else process.env.IMC_ATTRIBUTE_BATCH_ROWS = saved;
        });
        expect(duck.code, duck.stderr).toBe(0);
        expectSameTable(drop(csvRows(duck.stdout)), drop(csvRows(memory.stdout)), 1e-9);
      }
    }
  }, TIMEOUT);
});
