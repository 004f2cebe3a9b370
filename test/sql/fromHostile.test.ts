/**
 * `imc clv --from` and `imc attribute --from` read files nobody here made as `imc report` reads them:
 * messy CSV layouts and text are written to a temporary folder, and each gives the same fit (or
 * credit) as the clean ISO file, and reads its cells as the report's own readers do
 * (src/reports/sheetLayout.ts `dataRowsOf`, src/reports/columnText.ts `readDateColumn`,
 * `readMoneyColumn`), called directly on the same cells:
 * - a trailing "Total" row (and blank lines) is left out and counted on stderr; a title line and a
 *   blank line above a `;` header are passed over;
 * - yyyymmdd numbers (text in CSV, an integer column in Parquet) and English month names are read by
 *   the column rule of readDateColumn;
 * - a bad cell in the middle of such a file still stops the run naming its row and column.
 */

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatSerial, serialToCalendar } from "../../src/engine/data/dates";
import { dataRowsOf, sheetLayout } from "../../src/reports/sheetLayout";
import { isKnownHeader } from "../../src/reports/detect";
import { readDateColumn } from "../../src/reports/columnText";
import { DuckDBInstance } from "@duckdb/node-api";
import { csvRows, expectSameTable, runImcIn, scratchFolder, writeCsv } from "./engines";

const TIMEOUT = 120_000;
const scratch = scratchFolder("imc-from-hostile-");

const imc = (args: string[]) => runImcIn(scratch.path, args);
const file = (name: string): string => path.join(scratch.path, name);

/** A deterministic generator in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const pad = (n: number): string => String(n).padStart(2, "0");

interface Order {
  readonly id: string;
  /** Excel serial of the day. */
  readonly serial: number;
  readonly value: number;
}

/** Orders of 500 customers, each with their own pace, drop-out chance and spend (increasing days, repeats), in day order. */
function orders(seed: number): Order[] {
  const next = random(seed);
  const rows: Order[] = [];
  for (let c = 0; c < 500; c++) {
    let serial = 44927 + Math.floor(next() * 180);
    const pace = 5 + next() * 60;
    const churn = 0.05 + next() * 0.4;
    const spend = 20 + next() * 2000;
    for (;;) {
      rows.push({ id: `C${1000 + c}`, serial, value: Math.round(spend * (0.5 + next()) * 100) / 100 });
      serial += 1 + Math.floor(-Math.log(1 - next()) * pace);
      if (next() < churn || serial > 45290) break;
    }
  }
  return rows.sort((a, b) => a.serial - b.serial);
}

const HEADER = ["customer_id", "order_date", "order_value"];
const COMMON = ["--as-of", "2023-12-31"];

/** dd.mm.yyyy */
function dotted(serial: number): string {
  const { year, month, day } = serialToCalendar(serial);
  return `${pad(day)}.${pad(month)}.${year}`;
}

/** The rows of CSV text at their lines (row i is line i + 1), split by `delimiter` (no quotes in these files). */
function sheetRows(text: string, delimiter: string): string[][] {
  return text.replace(/\n$/, "").split("\n").map((line) => (line.trim() === "" ? [] : line.split(delimiter)));
}

/** The fit of `imc clv FILE` on the clean ISO orders, and the same run with --from on `messy`. */
async function sameFit(clean: string, messy: string, extra: string[] = []): Promise<{ stderr: string }> {
  const memory = await imc(["clv", clean, "--fit-only", ...COMMON]);
  expect(memory.code, memory.stderr).toBe(0);
  const duck = await imc(["clv", "--from", messy, "--fit-only", ...COMMON, ...extra]);
  expect(duck.code, duck.stderr).toBe(0);
  expectSameTable(csvRows(duck.stdout), csvRows(memory.stdout), 1e-9);
  // A fit that means something: it converged.
  expect(csvRows(memory.stdout).filter((row) => row[0].startsWith("Converged")).map((row) => row[1])).toEqual(["TRUE", "TRUE"]);
  return duck;
}

describe("imc clv --from reads hostile layouts as imc report", () => {
  it("leaves trailing total rows out and counts them, as dataRowsOf", async () => {
    const data = orders(3);
    writeCsv(file("clean.csv"), HEADER, data.map((o) => [o.id, formatSerial(o.serial), o.value]));
    const sum = data.reduce((total, o) => total + o.value, 0).toFixed(2);
    const body = [HEADER.join(","), ...data.map((o) => `${o.id},${formatSerial(o.serial)},${o.value}`)].join("\n");
    const text = `${body}\nTotal,,${sum}\n\n,,\nGrand total:,,${sum}\n\n`;
    writeFileSync(file("totals.csv"), text);
    const duck = await sameFit("clean.csv", "totals.csv");
    // The rows the report leaves out of the same cells.
    const sheet = { name: "totals.csv", rows: sheetRows(text, ",") };
    const left = dataRowsOf(sheet, sheetLayout(sheet, isKnownHeader)!, 0).totalRows;
    expect(left).toEqual([data.length + 2, data.length + 5]);
    expect(duck.stderr).toBe(`imc clv: totals.csv: 2 total rows left out (rows ${left.join(", ")})\n`);

    // The per-customer table too, and a glob of two such files names each.
    const memory = await imc(["clv", "clean.csv", ...COMMON]);
    const table = await imc(["clv", "--from", "totals.csv", "--out", "totals-clv.csv", ...COMMON]);
    expect(table.code, table.stderr).toBe(0);
    expectSameTable(csvRows(readFileSync(file("totals-clv.csv"), "utf8")), csvRows(memory.stdout), 1e-9);

    // A total row that is not at the end is data, as for the report: here a partly blank row, an error naming it.
    const lines = text.split("\n");
    lines.splice(50, 0, `Total,,${sum}`);
    writeFileSync(file("middle.csv"), lines.join("\n"));
    const middle = await imc(["clv", "--from", "middle.csv", "--fit-only"]);
    expect(middle.code).toBe(1);
    expect(middle.stderr).toMatch(/^imc: middle\.csv, row 51, column customer_id: /);
  }, TIMEOUT);

  it("passes over a title line and a blank line above a ; header, with day-first dotted dates", async () => {
    const data = orders(5);
    writeCsv(file("clean5.csv"), HEADER, data.map((o) => [o.id, formatSerial(o.serial), o.value]));
    const lines = ["Orders export 2022-2023", "", "Kunde;Datum;Betrag", ...data.map((o) => `${o.id};${dotted(o.serial)};${o.value}`)];
    writeFileSync(file("title.csv"), `${lines.join("\n")}\n`);
    // The report finds the header on line 3 of the same cells.
    const sheet = { name: "title.csv", rows: sheetRows(lines.join("\n"), ";") };
    expect(sheetLayout(sheet, isKnownHeader)?.headerIndex).toBe(2);
    await sameFit("clean5.csv", "title.csv", ["--id-column", "Kunde", "--date-column", "Datum", "--value-column", "Betrag"]);

    // A bad date in the middle stops at its line, the row a sheet of the file shows.
    const bad = [...lines];
    bad[200] = bad[200].replace(/;[^;]*;/, ";31.02.2023;");
    writeFileSync(file("title-bad.csv"), `${bad.join("\n")}\n`);
    const stopped = await imc(["clv", "--from", "title-bad.csv", "--fit-only", "--id-column", "Kunde", "--date-column", "Datum", "--value-column", "Betrag"]);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toBe('imc: title-bad.csv, row 201, column Datum: "31.02.2023" is not a day-first date like the rest of the column\n');
    // A blank value likewise.
    const blank = [...lines];
    blank[300] = blank[300].replace(/;[^;]*$/, ";");
    writeFileSync(file("title-blank.csv"), `${blank.join("\n")}\n`);
    const blankRun = await imc(["clv", "--from", "title-blank.csv", "--fit-only", "--id-column", "Kunde", "--date-column", "Datum", "--value-column", "Betrag"]);
    expect(blankRun.stderr).toBe("imc: title-blank.csv, row 301, column Betrag: is blank; a number is required\n");
  }, TIMEOUT);

  it("reads yyyymmdd numbers and month names by readDateColumn's column rule, in CSV and Parquet", async () => {
    const data = orders(7);
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const long = ["January", "February", "March", "April", "May", "June", "July", "August", "Sept", "October", "November", "December"];
    const named = (serial: number, k: number): string => {
      const { year, month, day } = serialToCalendar(serial);
      switch (k % 4) {
        case 0:
          return `${day}-${months[month - 1]}-${year}`;
        case 1:
          return `${months[month - 1]} ${day}, ${year}`;
        case 2:
          return `${pad(day)} ${long[month - 1]} ${String(year).slice(2)}`;
        default:
          return `${long[month - 1].toUpperCase()} ${day} ${year} ${k % 3 === 0 ? "8:30 PM" : "11:05"}`;
      }
    };
    const ymd = (serial: number): string => formatSerial(serial).replace(/-/g, "");
    const place = { sheet: "orders", header: "order_date", letters: "B", rows: data.map((_, i) => i + 2) };
    for (const [name, cells] of [
      ["ymd", data.map((o) => ymd(o.serial))],
      ["named", data.map((o, k) => named(o.serial, k))],
    ] as const) {
      // The clean file holds the days the report reads from the same cells.
      const read = readDateColumn(cells, place);
      expect(read.values.every((value) => typeof value === "number")).toBe(true);
      writeCsv(file(`${name}-clean.csv`), HEADER, data.map((o, k) => [o.id, formatSerial(read.values[k] as number), o.value]));
      writeCsv(file(`${name}.csv`), HEADER, data.map((o, k) => [o.id, cells[k], o.value]));
      const duck = await sameFit(`${name}-clean.csv`, `${name}.csv`);
      expect(duck.stderr).toBe(`imc clv: ${name}.csv: dates in order_date read from ${name === "ymd" ? "yyyymmdd numbers" : "text with month names"} (${duck.stderr.split("(")[1]}`);
    }
    // Parquet: yyyymmdd as an integer column, month names as text.
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT customer_id, CAST(order_date AS INTEGER) AS order_date, order_value FROM read_csv('${file("ymd.csv")}', all_varchar = true)) TO '${file("ymd.parquet")}' (FORMAT parquet)`);
    await connection.run(`COPY (SELECT * FROM read_csv('${file("named.csv")}', all_varchar = true)) TO '${file("named.parquet")}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    await sameFit("ymd-clean.csv", "ymd.parquet");
    await sameFit("named-clean.csv", "named.parquet");

    // One value that is not yyyymmdd: the column is not read as days, and the first value is no serial (as readDateColumn leaves it to the engine).
    const mixed = data.map((o) => ymd(o.serial));
    mixed[100] = formatSerial(data[100].serial);
    expect(readDateColumn(mixed, place).values[0]).toBe(mixed[0]);
    writeCsv(file("ymd-mixed.csv"), HEADER, data.map((o, k) => [o.id, mixed[k], o.value]));
    const stopped = await imc(["clv", "--from", "ymd-mixed.csv", "--fit-only"]);
    expect(stopped.stderr).toMatch(new RegExp(`^imc: ymd-mixed\\.csv, row 2, column order_date: ${mixed[0]} is not a date serial`));
    // A month name that is no day in the middle stops at its row.
    const bad = data.map((o, k) => named(o.serial, k));
    bad[150] = "31-Feb-2023";
    writeCsv(file("named-bad.csv"), HEADER, data.map((o, k) => [o.id, bad[k], o.value]));
    const badRun = await imc(["clv", "--from", "named-bad.csv", "--fit-only"]);
    expect(badRun.stderr).toMatch(/^imc: named-bad\.csv, row 152, column order_date: "31-Feb-2023" is not a date/);
  }, TIMEOUT);
});
