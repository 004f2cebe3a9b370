/**
 * `imc clv --from` and `imc attribute --from` read files nobody here made as `imc report` reads them:
 * messy CSV layouts and text are written to a temporary folder, and each gives the same fit (or
 * credit) as the clean ISO file, and reads its cells as the report's own readers do
 * (src/reports/sheetLayout.ts `dataRowsOf`, src/reports/columnText.ts `readDateColumn`,
 * `readMoneyColumn`), called directly on the same cells:
 * - a trailing "Total" row (and blank lines) is left out and counted on stderr; a title line and a
 *   blank line above a `;` header are passed over; rows repeating the header are skipped and counted;
 * - yyyymmdd numbers (text in CSV, an integer column in Parquet) and English month names are read by
 *   the column rule of readDateColumn;
 * - money text (`$1,234.50`, `1.234,50 €`, `(12.00)`, `CHF 1'234.50`…) and decimal commas are read by
 *   readMoneyColumn's column rule, cell for cell the same numbers; `--decimal` says the mark when the
 *   column cannot;
 * - a bad cell in the middle of such a file still stops the run naming its row and column.
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatSerial, serialToCalendar } from "../../src/engine/data/dates";
import { dataRowsOf, sheetLayout } from "../../src/reports/sheetLayout";
import { isKnownHeader } from "../../src/reports/detect";
import { readDateColumn, readMoneyColumn, type DecimalMark } from "../../src/reports/columnText";
import { toOptionalNumber } from "../../src/engine/data/cells";
import { memoryIo } from "../../src/cli/io";
import { clvFromFiles } from "../../src/cli/duckdb/clvFrom";
import { moneyBadSql, moneyLayer, moneyScanOf, moneyScanSql, moneyValueSql } from "../../src/cli/duckdb/valueReading";
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

/** The orders as a clean ISO file (`name`), and their CSV lines, header first, for a messy copy. */
function writeClean(name: string, data: readonly Order[]): string[] {
  writeCsv(file(name), HEADER, data.map((o) => [o.id, formatSerial(o.serial), o.value]));
  return [HEADER.join(","), ...data.map((o) => `${o.id},${formatSerial(o.serial)},${o.value}`)];
}

/** The rows `imc report` reads and leaves out of the same comma-separated text, read as a sheet. */
function reportRows(name: string, text: string): ReturnType<typeof dataRowsOf> {
  const sheet = { name, rows: sheetRows(text, ",") };
  return dataRowsOf(sheet, sheetLayout(sheet, isKnownHeader)!, 0);
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
    const body = writeClean("clean.csv", data).join("\n");
    const sum = data.reduce((total, o) => total + o.value, 0).toFixed(2);
    const text = `${body}\nTotal,,${sum}\n\n,,\nGrand total:,,${sum}\n\n`;
    writeFileSync(file("totals.csv"), text);
    const duck = await sameFit("clean.csv", "totals.csv");
    // The rows the report leaves out of the same cells.
    const left = reportRows("totals.csv", text).totalRows;
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

  it("skips rows repeating the header (two exports pasted into one file) and counts them, as dataRowsOf", async () => {
    const data = orders(5);
    const lines = writeClean("clean-5.csv", data);
    // The second export's header as its tool wrote it (other case, spaces), and a third one.
    lines.splice(400, 0, " Customer_ID,ORDER_DATE , order_value");
    lines.splice(900, 0, HEADER.join(","));
    const text = `${lines.join("\n")}\n`;
    writeFileSync(file("pasted.csv"), text);
    const duck = await sameFit("clean-5.csv", "pasted.csv");
    const skipped = reportRows("pasted.csv", text).headingRows;
    expect(skipped).toEqual([401, 901]);
    expect(duck.stderr).toBe("imc clv: pasted.csv: 2 rows repeating the header skipped (the first at row 401)\n");
    // A row that differs from the header in one cell is data: its date stops the run, naming its row.
    writeFileSync(file("near.csv"), text.replace(" Customer_ID,ORDER_DATE , order_value", "customer_id,order date,order_value"));
    const near = await imc(["clv", "--from", "near.csv", "--fit-only"]);
    expect(near.code).toBe(1);
    expect(near.stderr).toMatch(/^imc: near\.csv, row 401, column order_date: /);
  }, TIMEOUT);

  it("skips a title row and header repeated inside the data (two titled exports pasted into one file), as dataRowsOf", async () => {
    const data = orders(11);
    const clean = writeClean("clean-11.csv", data);
    const title = ["Sales export 2023,,", ""];
    const lines = [...title, ...clean];
    // The second export, pasted below the first: its title, a blank line, its header.
    lines.splice(2 + 300, 0, ...title, clean[0]);
    const text = `${lines.join("\n")}\n`;
    writeFileSync(file("titled-twice.csv"), text);
    const duck = await sameFit("clean-11.csv", "titled-twice.csv");
    const skipped = reportRows("titled-twice.csv", text).headingRows;
    expect(skipped).toEqual([303, 305]);
    expect(duck.stderr).toBe("imc clv: titled-twice.csv: 2 rows repeating the header or title skipped (the first at row 303)\n");
    // A title-like row that is not the title is data: it stops the run, naming its row.
    writeFileSync(file("not-title.csv"), text.replace(/\nSales export 2023,,\n/g, (match, offset: number) => (offset > 10 ? "\nSales export 2024,,\n" : match)));
    const near = await imc(["clv", "--from", "not-title.csv", "--fit-only"]);
    expect(near.code).toBe(1);
    expect(near.stderr).toMatch(/^imc: not-title\.csv, row 303, column /);
  }, TIMEOUT);

  it("reads a glob of titled exports each ending in a total row, naming each file, and refuses files of two layouts", async () => {
    const data = orders(17);
    writeClean("glob-clean.csv", data);
    mkdirSync(file("exports"));
    const half = Math.floor(data.length / 2);
    const parts = [data.slice(0, half), data.slice(half)];
    parts.forEach((part, k) => {
      const lines = [`Export ${k + 1}`, HEADER.join(";"), ...part.map((o) => `${o.id};${formatSerial(o.serial)};${o.value}`)];
      writeFileSync(file(`exports/part-${k + 1}.csv`), `${lines.join("\n")}\nTotal;;${part.reduce((sum, o) => sum + o.value, 0).toFixed(2)}\n`);
    });
    const duck = await sameFit("glob-clean.csv", "exports/part-*.csv");
    expect(duck.stderr).toBe(
      [`imc clv: exports/part-1.csv: 1 total row left out (row ${half + 3})`, `imc clv: exports/part-2.csv: 1 total row left out (row ${data.length - half + 3})`, ""].join("\n"),
    );
    writeFileSync(file("exports/part-3.csv"), `${HEADER.join(",")}\nC1,2023-05-01,12\n`);
    const refused = await imc(["clv", "--from", "exports/part-*.csv", "--fit-only"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('imc: exports/part-*.csv: part-1.csv has ";" with the header on line 2 but part-3.csv "," with the header on line 1; the files of one glob are read with one delimiter and header line: give them one layout, or read them apart\n');
  }, TIMEOUT);

  it("passes over a title line and a blank line above a ; header, with day-first dotted dates", async () => {
    const data = orders(5);
    writeClean("clean5.csv", data);
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

  it("reads money text cell for cell as readMoneyColumn", async () => {
    const amounts = [0, 0.5, 7, 12.5, 295.18, 1234.5, 1000, 98765.43, 1234567.891, -3.5, -1234.5];
    const forms: ((value: number) => string)[] = [
      (v) => `$${v < 0 ? "-" : ""}${Math.abs(v).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
      (v) => `${v.toLocaleString("de-DE", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} €`,
      (v) => (v < 0 ? `(${Math.abs(v).toFixed(2)})` : v.toFixed(2)),
      (v) => `EUR ${v.toLocaleString("de-DE", { maximumFractionDigits: 3 })}`,
      (v) => `CHF ${v.toLocaleString("de-CH", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
      (v) => `${v.toLocaleString("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} zł`,
      (v) => `${Math.abs(v).toFixed(2)}${v < 0 ? "-" : ""} US$`,
      (v) => `£ ${v.toLocaleString("en-GB", { maximumFractionDigits: 3 })}`,
      (v) => String(v),
    ];
    const odd = ["abc", "1,2,3", "$", "12.", "(12", "--5", "-12-", "1 23,5", "1e3", "80%", "+7", "−4,50", "€-12,00", "12 € -", "1.234.567", "1,234,567", ".5", "0.500", "0,500", "Decoy 12", "12 kr", "руб. 1 234,50", "$12$"];
    const cells = [...amounts.flatMap((v) => forms.map((form) => form(v))), ...odd];
    const { DuckDBInstance: Instance } = await import("@duckdb/node-api");
    const instance = await Instance.create(":memory:");
    const connection = await instance.connect();
    await connection.run("CREATE TABLE t (k INTEGER, v VARCHAR)");
    const appender = await connection.createAppender("t");
    cells.forEach((cell, k) => {
      appender.appendInteger(k);
      appender.appendVarchar(cell);
      appender.endRow();
    });
    appender.closeSync();
    const place = { sheet: "s", header: "v", letters: "A", rows: [1] };
    for (const mark of [".", ","] as DecimalMark[]) {
      // NULL where the run stops (the value check), else the value read.
      const rule = { argument: "order_values", blankIsError: true, negative: null };
      const read = await connection.runAndReadAll(`SELECT k, CASE WHEN ${moneyBadSql("v", rule)} THEN NULL ELSE ${moneyValueSql("v", mark)} END FROM ${moneyLayer("t", "v")} ORDER BY k`);
      const sql = read.getRows().map((row) => (row[1] === null ? null : Number(row[1])));
      cells.forEach((cell, k) => {
        // Beside an amount that needs reading, as in a column of money text read with this mark.
        const anchor = mark === "." ? "$1.50" : "1,50 €";
        let one: unknown;
        try {
          one = readMoneyColumn([cell, anchor], { ...place, rows: [1, 2] }, mark).values[0];
        } catch {
          return; // the cell shows the other mark: the column stops before any cell is read
        }
        let expected: number | null;
        try {
          expected = typeof one === "number" ? one : toOptionalNumber(cell, "v", 1);
        } catch {
          expected = null; // not a number for the engine either: the SQL reading gives NULL and the run stops at it
        }
        expect(sql[k], `${JSON.stringify(cell)} with "${mark}"`).toBe(expected === null ? null : expected);
      });
    }
    // The column scan finds the marks the columns of each form show, as readMoneyColumn's notes say.
    for (const form of forms) {
      const column = amounts.map(form);
      await connection.run("DELETE FROM t");
      const again = await connection.createAppender("t");
      column.forEach((cell, k) => {
        again.appendInteger(k);
        again.appendVarchar(cell);
        again.endRow();
      });
      again.closeSync();
      const scan = moneyScanOf((await connection.runAndReadAll(moneyScanSql("t", "v"))).getRows()[0]);
      const report = readMoneyColumn(column, { ...place, rows: column.map((_, i) => i + 2) });
      const note = report.notes.find((text) => text.startsWith("amounts in"));
      expect(scan.needsReading, column[5]).toBe(note !== undefined);
      if (note?.includes("decimal comma")) expect(scan.comma).not.toBeNull();
      if (note?.includes("decimal point")) expect(scan.point).not.toBeNull();
    }
    connection.closeSync();
    instance.closeSync();
  }, TIMEOUT);

  it("gives the clean file's fit on money text, decimal commas and a ; file with a title, and stops at a bad amount", async () => {
    const data = orders(11).map((o, k) => (k % 29 === 5 ? { ...o, value: -Math.round(o.value / 3) } : o));
    const place = { sheet: "orders", header: "order_value", letters: "C", rows: data.map((_, i) => i + 2) };
    const us = data.map((o) => (o.value < 0 ? `($${(-o.value).toLocaleString("en-US", { minimumFractionDigits: 2 })})` : `$${o.value.toLocaleString("en-US", { minimumFractionDigits: 2 })}`));
    const de = data.map((o) => `${o.value.toLocaleString("de-DE", { minimumFractionDigits: 2 })} €`);
    for (const [name, cells] of [
      ["us", us],
      ["de", de],
    ] as const) {
      const read = readMoneyColumn(cells, place);
      expect(read.values.every((value) => typeof value === "number")).toBe(true);
      writeCsv(file(`${name}-clean.csv`), HEADER, data.map((o, k) => [o.id, formatSerial(o.serial), read.values[k] as number]));
      writeCsv(file(`${name}.csv`), HEADER, data.map((o, k) => [o.id, formatSerial(o.serial), cells[k]]));
      const duck = await sameFit(`${name}-clean.csv`, `${name}.csv`);
      // The report's notes on the same cells (its example is the first value, ours any one).
      expect(read.notes.length).toBeGreaterThan(0);
      for (const note of read.notes) expect(duck.stderr).toContain(`imc clv: ${name}.csv: ${note.split(" (")[0]}`);
    }
    // The ; file with a title and decimal commas without a currency, and the same text in Parquet.
    const lines = ["Umsatz 2023", "", "Kunde;Datum;Betrag", ...data.map((o) => `${o.id};${dotted(o.serial)};${o.value.toLocaleString("de-DE", { useGrouping: false })}`)];
    writeFileSync(file("de-title.csv"), `${lines.join("\n")}\nSumme;;${data.reduce((sum, o) => sum + o.value, 0).toFixed(2).replace(".", ",")}\n`);
    const columns = ["--id-column", "Kunde", "--date-column", "Datum", "--value-column", "Betrag"];
    const title = await sameFit("de-clean.csv", "de-title.csv", columns);
    expect(title.stderr).toContain(`imc clv: de-title.csv: 1 total row left out (row ${lines.length + 1})`);
    const { DuckDBInstance: Instance } = await import("@duckdb/node-api");
    const instance = await Instance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT * FROM read_csv('${file("us.csv")}', all_varchar = true)) TO '${file("us.parquet")}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    await sameFit("us-clean.csv", "us.parquet");

    // A bad amount in the middle stops at its row; a column showing both marks names both.
    const bad = [...de];
    bad[120] = "zwölf";
    writeCsv(file("de-bad.csv"), HEADER, data.map((o, k) => [o.id, formatSerial(o.serial), bad[k]]));
    expect((await imc(["clv", "--from", "de-bad.csv", "--fit-only"])).stderr).toBe('imc: de-bad.csv, row 122, column order_value: "zwölf" is not a number\n');
    const both = [...de];
    both[77] = "$12.50";
    writeCsv(file("de-both.csv"), HEADER, data.map((o, k) => [o.id, formatSerial(o.serial), both[k]]));
    const stopped = await imc(["clv", "--from", "de-both.csv", "--fit-only"]);
    expect(stopped.stderr).toMatch(/^imc: de-both\.csv, column order_value: \$12\.50 \(row 79\) has a decimal point but .* \(row \d+\) a decimal comma; make the column one convention\n$/);
  }, TIMEOUT);

  it("asks for --decimal when no amount shows the mark, and reads the mark given", async () => {
    const data = orders(13).map((o) => ({ ...o, value: 1000 + Math.round(o.value * 3) }));
    // Every amount is like 1.234: thousands or a fraction?
    const cells = data.map((o) => o.value.toLocaleString("de-DE"));
    expect(cells.every((cell) => /^\d\.\d{3}$/.test(cell))).toBe(true);
    writeCsv(file("grouped.csv"), HEADER, data.map((o, k) => [o.id, formatSerial(o.serial), cells[k]]));
    const asked = await imc(["clv", "--from", "grouped.csv", "--fit-only"]);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toMatch(/^imc: grouped\.csv, column order_value: amounts like \d\.\d{3} \(row \d+\) could be thousands or fractions.*--decimal \. or --decimal ,\n$/);
    const place = { sheet: "orders", header: "order_value", letters: "C", rows: data.map((_, i) => i + 2) };
    for (const mark of [",", "."] as DecimalMark[]) {
      const read = readMoneyColumn(cells, place, mark);
      writeCsv(file(`grouped-${mark === "," ? "comma" : "point"}.csv`), HEADER, data.map((o, k) => [o.id, formatSerial(o.serial), read.values[k] as number]));
      const memory = await imc(["clv", `grouped-${mark === "," ? "comma" : "point"}.csv`, "--fit-only", ...COMMON]);
      const memoryRows = csvRows(memory.stdout);
      const memory_io = memoryIo({ cwd: scratch.path });
      const result = await clvFromFiles(
        { display: "grouped.csv", pattern: file("grouped.csv"), overrides: {}, decimal: mark, model: "bgnbd", periodUnit: "week", asOf: 45291, schedule: null, out: null },
        memory_io.io,
      );
      expect(memory_io.stderr()).toContain(`amounts in order_value read with "${mark}" as the decimal mark, as asked`);
      const params = result.fit.counting.params as unknown as Record<string, number>;
      for (const name of ["r", "alpha", "a", "b"]) {
        const expected = Number(memoryRows.find((row) => row[0] === name)![1]);
        expect(Math.abs(params[name] - expected), name).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
      }
      expect(Math.abs(result.fit.spend.params.p - Number(memoryRows.find((row) => row[0] === "p")![1]))).toBeLessThanOrEqual(1e-9 * result.fit.spend.params.p);
    }
  }, TIMEOUT);
});

describe("imc attribute --from reads a hostile touchpoint log as imc report", () => {
  it("gives the clean log's credit on a titled ; file with day-first times, money conversions and a total row", async () => {
    const next = random(21);
    const channels = ["Search", "Email", "Display", "Social"];
    const touches: { id: string; serial: number; channel: string; value: number | null }[] = [];
    for (let c = 0; c < 300; c++) {
      let serial = 45292 + Math.floor(next() * 60) + Math.round(next() * 24) / 24;
      const n = 1 + Math.floor(next() * 5);
      for (let k = 0; k < n; k++) {
        const converts = k === n - 1 && next() < 0.6;
        touches.push({ id: `V${c}`, serial, channel: channels[Math.floor(next() * channels.length)], value: converts ? Math.round(next() * 300000) / 100 : null });
        serial += Math.round(next() * 4 * 24) / 24 + 1 / 24;
      }
    }
    const header = ["customer_id", "timestamp", "channel", "conversion"];
    writeCsv(file("log-clean.csv"), header, touches.map((t) => [t.id, formatSerial(t.serial), t.channel, t.value]));
    const stamp = (serial: number): string => {
      const minutes = Math.round(serial * 1440);
      return `${dotted(Math.floor(minutes / 1440))} ${pad(Math.floor((minutes % 1440) / 60))}:${pad(minutes % 60)}`;
    };
    const money = (value: number | null): string => (value === null ? "" : `${value.toLocaleString("de-DE", { minimumFractionDigits: 2 })} €`);
    const lines = ["Kontaktpunkte Q1", "", "Kunde;Zeitpunkt;Kanal;Umsatz", ...touches.map((t) => `${t.id};${stamp(t.serial)};${t.channel};${money(t.value)}`)];
    const total = touches.reduce((sum, t) => sum + (t.value ?? 0), 0);
    writeFileSync(file("log-hostile.csv"), `${lines.join("\n")}\nGesamt;;;${money(total)}\n`);
    // The report reads the same conversion cells to the same numbers.
    const cells = touches.map((t) => money(t.value));
    const read = readMoneyColumn(cells, { sheet: "log", header: "Umsatz", letters: "D", rows: cells.map((_, i) => i + 4) });
    expect(read.values.map((v) => (v === "" ? null : v))).toEqual(touches.map((t) => t.value));
    const memory = await imc(["attribute", "log-clean.csv", "--model", "all"]);
    expect(memory.code, memory.stderr).toBe(0);
    const flags = ["--id-column", "Kunde", "--time-column", "Zeitpunkt", "--channel-column", "Kanal", "--conversion-column", "Umsatz"];
    const duck = await imc(["attribute", "--from", "log-hostile.csv", "--model", "all", ...flags]);
    expect(duck.code, duck.stderr).toBe(0);
    expect(duck.stderr).toContain(`imc attribute: log-hostile.csv: 1 total row left out (row ${lines.length + 1})`);
    const withoutTimeDecay = (table: string[][]): string[][] => {
      const keep = table[0].map((h, i) => (/time.?decay/i.test(h) ? -1 : i)).filter((i) => i >= 0);
      return table.map((row) => keep.map((i) => row[i]));
    };
    expectSameTable(withoutTimeDecay(csvRows(duck.stdout)), withoutTimeDecay(csvRows(memory.stdout)), 1e-9);
    // A negative amount in brackets is a negative conversion: it stops at its row, in the runner's words.
    const bad = [...lines];
    bad[100] = bad[100].replace(/;[^;]*$/, ";(12,00 €)");
    writeFileSync(file("log-bad.csv"), `${bad.join("\n")}\n`);
    const stopped = await imc(["attribute", "--from", "log-bad.csv", ...flags]);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/^imc: log-bad\.csv, row 101, column Umsatz: .*-12/);
  }, TIMEOUT);
});

