/**
 * `imc clv --from` and `imc attribute --from` read files nobody here made as `imc report` reads them:
 * messy CSV layouts and text are written to a temporary folder, and each gives the same fit (or
 * credit) as the clean ISO file, and reads its cells as the report's own readers do
 * (src/reports/sheetLayout.ts `dataRowsOf`, src/reports/columnText.ts `readDateColumn`,
 * `readMoneyColumn`), called directly on the same cells:
 * - a trailing "Total" row (and blank lines) is left out and counted on stderr; a title line and a
 *   blank line above a `;` header are passed over;
 * - a bad cell in the middle of such a file still stops the run naming its row and column.
 */

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatSerial, serialToCalendar } from "../../src/engine/data/dates";
import { dataRowsOf, sheetLayout } from "../../src/reports/sheetLayout";
import { isKnownHeader } from "../../src/reports/detect";
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
});
