/**
 * Files as they come: UTF-16 text (Excel's "Unicode Text"), gzip-compressed CSV, and the file
 * commands (`imc clv`, `imc rfm`, `imc attribute`) given an .xlsx workbook or a Parquet file
 * instead of a CSV file read it as what it is — the workbook's sheets as `imc report` reads them, the
 * Parquet file as `imc report --from` reads it in memory — and give the CSV file's results. Before,
 * they read its bytes as text and named a "header" of binary garbage. A command that reads CSV only
 * (`imc allocate`), and an old .xls file, say what the file is.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { readFileSheets } from "../../src/cli/duckdb/fileSheets";
import { writeDataWorkbook } from "../../src/cli/xlsx/dataWorkbook";
import { generateSampleBusiness } from "../../src/sample/business";
import { csvFileName, tableToCsv } from "../../src/sample/csv";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { runImcIn, scratchFolder } from "./engines";

const TIMEOUT = 120_000;
const scratch = scratchFolder("imc-file-formats-");
const imc = (args: string[]) => runImcIn(scratch.path, args);

/** The sample business's tables as CSV files, one workbook of them all and Parquet files of the orders and the touchpoints. */
async function writeInputs(): Promise<void> {
  const business = generateSampleBusiness({ customers: 300, seed: 5 });
  for (const table of business.tables) writeFileSync(path.join(scratch.path, csvFileName(table.name)), tableToCsv(table));
  // Notes first, so that the tables are found by their content, not by being the first sheet.
  const notes = { name: "Notes", headers: ["Read me"], rows: [["Exported from the shop on 2025-01-02"]], numberFormats: [null] };
  writeFileSync(path.join(scratch.path, "book.xlsx"), await writeDataWorkbook([notes, ...business.tables]));
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    for (const name of ["orders", "touchpoints"]) {
      const csv = path.join(scratch.path, `${name}.csv`);
      await connection.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${path.join(scratch.path, `${name}.parquet`)}' (FORMAT parquet)`);
    }
    // An id column typed DOUBLE (a spreadsheet's export): 1001.0 is the customer "1001", as in memory.
    const orders = path.join(scratch.path, "orders.csv");
    await connection.run(
      `COPY (SELECT CAST(CAST(substr(customer_id, 2) AS INTEGER) AS DOUBLE) + CASE WHEN CAST(substr(customer_id, 2) AS INTEGER) % 7 = 0 THEN 0.5 ELSE 0 END AS customer_id, order_date, order_value FROM read_csv('${orders}')) TO '${path.join(scratch.path, "double-ids.parquet")}' (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Expects the same CSV output, numbers within 1e-9 relative: a Parquet TIMESTAMP becomes a serial
 * by other float steps than the same time read from text, which moves time decay in its last digits.
 */
function expectSameOutput(actual: string, expected: string, what: string): void {
  const cells = (text: string) => text.trim().split("\n").map((line) => line.split(","));
  const a = cells(actual);
  const e = cells(expected);
  expect(a.length, what).toBe(e.length);
  e.forEach((row, r) =>
    row.forEach((cell, c) => {
      const x = Number(cell);
      if (cell === "" || !Number.isFinite(x)) expect(a[r][c], `${what} row ${r} column ${c}`).toBe(cell);
      else expect(Math.abs(Number(a[r][c]) - x), `${what} row ${r} column ${c}: ${a[r][c]} vs ${cell}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
    }),
  );
}

/** The rows of a CSV output, sorted (the out-of-core route writes customers in another order). */
const sortedLines = (text: string) => text.trim().split("\n").slice(1).sort();

describe("the file commands given a workbook or a Parquet file", () => {
  it(
    "read it as what it is and give the CSV file's results; say plainly what they cannot read",
    async () => {
      await writeInputs();
      for (const command of [["clv"], ["rfm"]]) {
        const csv = await imc([...command, "orders.csv"]);
        expect(csv.code, csv.stderr).toBe(0);
        expect(csv.stdout.split("\n").length).toBeGreaterThan(100);
        for (const file of ["book.xlsx", "orders.parquet"]) {
          const other = await imc([...command, file]);
          expect(other.code, `${command[0]} ${file}: ${other.stderr}`).toBe(0);
          expect(other.stdout, `${command[0]} ${file}`).toBe(csv.stdout);
        }
      }
      const log = await imc(["attribute", "touchpoints.csv", "--model", "all"]);
      expect(log.code, log.stderr).toBe(0);
      for (const file of ["book.xlsx", "touchpoints.parquet"]) {
        const other = await imc(["attribute", file, "--model", "all"]);
        expect(other.code, `attribute ${file}: ${other.stderr}`).toBe(0);
        if (file === "book.xlsx") expect(other.stdout, `attribute ${file}`).toBe(log.stdout);
        else expectSameOutput(other.stdout, log.stdout, `attribute ${file}`);
      }
      // A workbook without the table names its sheets; the Parquet orders are no touchpoint log.
      const noLog = await imc(["attribute", "orders.parquet"]);
      expect(noLog.code).not.toBe(0);
      expect(noLog.stderr).toContain("no timestamp column");
      expect(noLog.stderr).not.toMatch(/PAR1/);
      // Commands that read CSV only, and an old binary workbook, say what the file is.
      const allocate = await imc(["allocate", "book.xlsx", "--budget", "1000"]);
      expect(allocate.code).not.toBe(0);
      expect(allocate.stderr).toContain("book.xlsx: is an Excel workbook (.xlsx), not a CSV file; save the table as a CSV file");
      // --from reads CSV and Parquet: a workbook, alone or in a glob, is named with the route that reads it.
      const from = await imc(["clv", "--from", "book.xlsx", "--out", "from-book.csv"]);
      expect(from.stderr).toContain("book.xlsx: is an Excel workbook (.xlsx); --from reads CSV and Parquet files: give it without --from");
      const glob = await imc(["report", "--from", "*.xlsx", "--out", "from-glob.xlsx"]);
      expect(glob.stderr).toContain("*.xlsx: book.xlsx is an Excel workbook (.xlsx); --from reads CSV and Parquet files");
      writeFileSync(path.join(scratch.path, "old.xls"), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
      const xls = await imc(["clv", "old.xls"]);
      expect(xls.code).not.toBe(0);
      expect(xls.stderr).toContain("old.xls: is an old binary Excel file (.xls), not a CSV file; save it as .xlsx or CSV first");
    },
    TIMEOUT,
  );

  it(
    "a Parquet id column typed DOUBLE gives the same customer ids out of core as in memory (1001.0 is 1001)",
    async () => {
      const memory = await imc(["clv", "double-ids.parquet"]);
      expect(memory.code, memory.stderr).toBe(0);
      const ooc = await imc(["clv", "--from", "double-ids.parquet", "--out", "double-ids-ooc.csv"]);
      expect(ooc.code, ooc.stderr).toBe(0);
      const ids = (text: string) => sortedLines(text).map((line) => line.split(",")[0]);
      const written = readFileSync(path.join(scratch.path, "double-ids-ooc.csv"), "utf8");
      expect(ids(written)).toEqual(ids(memory.stdout));
      expect(ids(memory.stdout)).toContain("1");
      expect(ids(memory.stdout)).toContain("7.5");
      expect(ids(written).some((id) => id.endsWith(".0"))).toBe(false);
    },
    TIMEOUT,
  );
});

describe("CSV files stored as UTF-16 or gzip", () => {
  it(
    "are read as the same file in UTF-8, in memory and with --from (title, semicolons, total row); what cannot be read is said",
    async () => {
      const business = generateSampleBusiness({ customers: 200, seed: 9 });
      const orders = business.tables.find((table) => table.name === "Orders")!;
      // A hostile export: a title, semicolons, and a total row at the end.
      const text = `Shop export;;;\n\n${tableToCsv(orders).replace(/,/g, ";")}Total;;;99999\n`;
      const utf16le = (withMark: boolean) => Buffer.concat([Buffer.from(withMark ? [0xff, 0xfe] : []), Buffer.from(text, "utf16le")]);
      const utf16be = Buffer.from(utf16le(false)).swap16();
      const files: Record<string, Buffer> = {
        "plain.csv": Buffer.from(text, "utf8"),
        "unicode.txt": utf16le(true),
        "unmarked16.csv": utf16le(false),
        "bigendian.csv": Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]),
        "orders.csv.gz": gzipSync(Buffer.from(text, "utf8")),
        "unnamed-gzip": gzipSync(utf16le(true)),
      };
      for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(scratch.path, name), bytes);
      const plain = await imc(["rfm", "plain.csv"]);
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stderr).toContain("1 total row left out");
      expect(plain.stdout.split("\n").length).toBeGreaterThan(100);
      for (const name of Object.keys(files)) {
        const other = await imc(["rfm", name]);
        expect(other.code, `${name}: ${other.stderr}`).toBe(0);
        expect(other.stdout, name).toBe(plain.stdout);
        expect(other.stderr, name).toContain("1 total row left out");
      }
      const from = async (name: string) => {
        const out = `from-${name.replace(/\W/g, "-")}.csv`;
        const result = await imc(["clv", "--from", name, "--out", out]);
        return { result, rows: result.code === 0 ? sortedLines(readFileSync(path.join(scratch.path, out), "utf8")) : [] };
      };
      const expected = await from("plain.csv");
      expect(expected.result.code, expected.result.stderr).toBe(0);
      const totalNote = /1 total row left out \(row \d+\)/.exec(expected.result.stderr)?.[0];
      expect(totalNote).toBeDefined();
      for (const name of ["unicode.txt", "unmarked16.csv", "orders.csv.gz", "unnamed-gzip"]) {
        const got = await from(name);
        expect(got.result.code, `${name}: ${got.result.stderr}`).toBe(0);
        expect(got.result.stderr, name).toContain(totalNote);
        // DuckDB adds a customer's values over threads in no fixed order: the last bits may differ from run to run.
        expectSameOutput(["header", ...got.rows].join("\n"), ["header", ...expected.rows].join("\n"), name);
      }
      // imc report on a gzip file (or an export without an extension) reads it as --from does, into a workbook beside it.
      const report = await imc(["report", "orders.csv.gz", "--no-html", "--tabs", "segmentation"]);
      expect(report.code, report.stderr).toBe(0);
      expect(report.stdout).toContain('Wrote "Segmentation" to orders.xlsx');
      const unnamed = await imc(["report", "unnamed-gzip", "--no-html", "--tabs", "segmentation"]);
      expect(unnamed.code, unnamed.stderr).toBe(0);
      expect(unnamed.stdout).toContain('Wrote "Segmentation" to unnamed-gzip.xlsx');
      const bigEndian = await from("bigendian.csv");
      expect(bigEndian.result.code).not.toBe(0);
      expect(bigEndian.result.stderr).toContain("bigendian.csv: is UTF-16 big-endian text, which DuckDB does not read; read it without --from");
      // A gzip file cut short names itself, not a zlib error.
      writeFileSync(path.join(scratch.path, "cut.csv.gz"), files["orders.csv.gz"].subarray(0, 200));
      const cut = await imc(["rfm", "cut.csv.gz"]);
      expect(cut.code).not.toBe(0);
      expect(cut.stderr).toContain("cut.csv.gz: cannot read it: its gzip data is damaged or cut short");
    },
    TIMEOUT,
  );
});

describe("CSV files whose last line alone ends otherwise (CR LF rows, a total row ending in LF)", () => {
  it(
    "read with --from as UTF-8, UTF-16 and gzip give the customers of the same file with one line end (DuckDB's sniffer needs the mix known from the file's end)",
    async (ctx) => {
      const dir = sharedDir("data", "cdnow");
      if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
      // CDNOW orders: customer id, order id, yyyymmdd date, quantity, amount, separated by spaces.
      const orders = readFileSync(path.join(dir, "CDNOW_sample.txt"), "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => line.trim().split(/\s+/));
      const total = orders.reduce((sum, row) => sum + Number(row[4]), 0).toFixed(2);
      const body = `customer_id,order_id,order_date,quantity,amount\r\n${orders.map((row) => `${row.join(",")}\r\n`).join("")}`;
      const mixed = `${body}Total,,,,${total}\n`;
      // The mix must lie beyond the first 64 KB, where only the file's end shows it.
      expect(Buffer.byteLength(body), "bytes before the total row").toBeGreaterThan(1 << 16);
      expect(/(^|[^\r])\n/.test(body), "a bare LF before the total row").toBe(false);
      const files: Record<string, Buffer> = {
        "cdnow-crlf.csv": Buffer.from(`${body}Total,,,,${total}\r\n`, "utf8"),
        "cdnow-mixed.csv": Buffer.from(mixed, "utf8"),
        "cdnow-mixed-unicode.txt": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(mixed, "utf16le")]),
        "cdnow-mixed.csv.gz": gzipSync(Buffer.from(mixed, "utf8")),
      };
      for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(scratch.path, name), bytes);
      const from = async (name: string) => {
        const out = `from-${name.replace(/\W/g, "-")}.csv`;
        const result = await imc(["clv", "--from", name, "--out", out]);
        expect(result.code, `${name}: ${result.stderr}`).toBe(0);
        // The total row is the line after the header and the orders.
        expect(result.stderr, name).toContain(`${name}: 1 total row left out (row ${orders.length + 2})`);
        return sortedLines(readFileSync(path.join(scratch.path, out), "utf8"));
      };
      const expected = await from("cdnow-crlf.csv");
      expect(expected.length).toBe(new Set(orders.map((row) => row[0])).size);
      for (const name of ["cdnow-mixed.csv", "cdnow-mixed-unicode.txt", "cdnow-mixed.csv.gz"]) {
        const rows = await from(name);
        expect(rows.map((row) => row.split(",")[0]), name).toEqual(expected.map((row) => row.split(",")[0]));
        // DuckDB adds a customer's values over threads in no fixed order: the last bits may differ from run to run.
        expectSameOutput(["header", ...rows].join("\n"), ["header", ...expected].join("\n"), name);
      }
    },
    TIMEOUT,
  );
});

describe("a Parquet file of many row groups read in memory", () => {
  it("keeps the file's row order (DuckDB's threads hand row groups back in any order unless told)", async () => {
    const file = path.join(scratch.path, "many-groups.parquet");
    const instance = await DuckDBInstance.create(":memory:", { threads: "4" });
    const connection = await instance.connect();
    try {
      await connection.run(`COPY (SELECT i AS seq, 'C' || (i % 1000) AS customer_id FROM range(400000) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const [sheet] = await readFileSheets([{ display: "many-groups.parquet", pattern: file }], { maxCells: 1_000_000 });
    expect(sheet.rows.length).toBe(400_001);
    let outOfPlace = 0;
    for (let r = 1; r < sheet.rows.length; r++) if (sheet.rows[r][0] !== r - 1) outOfPlace++;
    expect(outOfPlace).toBe(0);
  });
});
