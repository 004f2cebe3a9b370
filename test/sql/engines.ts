/**
 * Two real SQL engines for the tests of the generated SQL: DuckDB in process (@duckdb/node-api) and a
 * throw-away PostgreSQL server (initdb in a temporary directory, listening only on a Unix socket in
 * that directory, no TCP port; stopped and removed afterwards), driven with `psql`. Test helper, no tests.
 *
 * PostgreSQL refuses to run as root: when the tests run as root the server runs as `nobody` through
 * `runuser` (the temporary directory is given to that user); psql connects as the database superuser
 * `postgres` with trust authentication on the socket.
 */

import { afterAll, beforeAll, expect } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import ExcelJS from "exceljs";
import { memoryIo } from "../../src/cli/io";
import { main } from "../../src/cli/main";
import { cdnowTransactions } from "../engine/clv/cdnowData";

/** Where Debian puts the server binaries (package `postgresql`); PG_BIN names the one folder to use instead. */
const PG_BIN_CANDIDATES = process.env.PG_BIN ? [process.env.PG_BIN] : ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"];

/** The directory with initdb and pg_ctl, or null when PostgreSQL is not installed. */
export function postgresBin(): string | null {
  for (const dir of PG_BIN_CANDIDATES) {
    if (existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"))) {
      const psql = spawnSync("psql", ["--version"], { encoding: "utf8" });
      if (psql.status === 0) return dir;
    }
  }
  return null;
}

/** A table's rows as text cells (NULL as null), header left out. */
export type TextRows = (string | null)[][];

/** One engine the tests run SQL on. */
export interface SqlEngine {
  readonly name: "duckdb" | "postgres";
  /** Runs statements that return nothing. */
  exec(sql: string): Promise<void>;
  /** Runs one query; every cell as text (NULL as null), numbers in their shortest exact form. */
  query(sql: string): Promise<{ columns: string[]; rows: TextRows }>;
  /** Creates table `name` with `columns` (name → SQL type) and loads a CSV file (with a header) into it. */
  loadCsv(name: string, columns: readonly (readonly [string, string])[], csvFile: string): Promise<void>;
  close(): Promise<void>;
}

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/** An in-memory DuckDB. */
export async function openDuckDb(): Promise<SqlEngine> {
  const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
  const connection: DuckDBConnection = await instance.connect();
  return {
    name: "duckdb",
    async exec(sql) {
      await connection.run(sql);
    },
    async query(sql) {
      const reader = await connection.runAndReadAll(sql);
      const rows = reader.getRowsJson().map((row) => row.map((cell) => (cell === null ? null : String(cell))));
      return { columns: reader.columnNames(), rows };
    },
    async loadCsv(name, columns, csvFile) {
      await connection.run(`CREATE TABLE ${quote(name)} (${columns.map(([c, t]) => `${quote(c)} ${t}`).join(", ")})`);
      await connection.run(`COPY ${quote(name)} FROM '${csvFile.replace(/'/g, "''")}' (FORMAT csv, HEADER true, NULL '', allow_quoted_nulls false)`);
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Starts a PostgreSQL server in a new temporary directory.
 *
 * @param bin the directory of initdb and pg_ctl ({@link postgresBin}).
 * @returns the engine; `close` stops the server and removes the directory.
 */
export async function startPostgres(bin: string): Promise<SqlEngine> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "imc-pg-"));
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => {
    const argv = asRoot ? ["runuser", ["-u", "nobody", "--", command, ...args]] : [command, args];
    execFileSync(argv[0] as string, argv[1] as string[], { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  };
  if (asRoot) {
    const nobody = execFileSync("id", ["-u", "nobody"], { encoding: "utf8" }).trim();
    chownSync(dir, Number(nobody), Number(execFileSync("id", ["-g", "nobody"], { encoding: "utf8" }).trim()));
  }
  chmodSync(dir, 0o700);
  const data = path.join(dir, "data");
  run(path.join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
  run(path.join(bin, "pg_ctl"), ["-D", data, "-l", path.join(dir, "server.log"), "-w", "-o", `-c listen_addresses='' -k ${dir} -c fsync=off -c TimeZone=UTC`, "start"]);
  // psql (as the current user) reaches the socket through the directory: let others traverse it.
  chmodSync(dir, 0o711);
  const psql = (args: string[], input?: string): string => {
    const result = spawnSync("psql", ["-h", dir, "-U", "postgres", "-d", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1", ...args], {
      encoding: "utf8",
      input,
      maxBuffer: 1 << 30,
    });
    if (result.status !== 0) throw new Error(`psql failed: ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  // Doubles printed in their shortest exact form (the default since PostgreSQL 12, set anyway).
  const settings = "SET extra_float_digits = 3;\n";
  return {
    name: "postgres",
    async exec(sql) {
      psql(["-f", "-"], settings + sql + ";\n");
    },
    async query(sql) {
      const file = path.join(os.tmpdir(), `imc-pg-out-${process.pid}-${Date.now()}.csv`);
      try {
        psql(["-f", "-"], `${settings}\\copy (${sql.replace(/\n/g, " ")}) TO '${file}' WITH (FORMAT csv, HEADER true, FORCE_QUOTE *)\n`);
        return parseCsv(readText(file));
      } finally {
        rmSync(file, { force: true });
      }
    },
    async loadCsv(name, columns, csvFile) {
      psql(["-f", "-"], `CREATE TABLE ${quote(name)} (${columns.map(([c, t]) => `${quote(c)} ${t}`).join(", ")});\n\\copy ${quote(name)} FROM '${csvFile}' WITH (FORMAT csv, HEADER true)\n`);
    },
    async close() {
      try {
        run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function readText(file: string): string {
  return execFileSync("cat", [file], { encoding: "utf8", maxBuffer: 1 << 30 });
}

/** Parses psql's CSV output with every non-NULL cell quoted (FORCE_QUOTE *): an unquoted empty cell is NULL. */
function parseCsv(text: string): { columns: string[]; rows: TextRows } {
  const rows: TextRows = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    let cell: string | null;
    if (text[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const next = text.indexOf('"', i);
        value += text.slice(i, next);
        i = next + 1;
        if (text[i] === '"') {
          value += '"';
          i++;
        } else break;
      }
      cell = value;
    } else {
      let end = i;
      while (end < text.length && text[end] !== "," && text[end] !== "\n") end++;
      cell = end === i ? null : text.slice(i, end);
      i = end;
    }
    row.push(cell);
    if (text[i] === ",") i++;
    else {
      rows.push(row);
      row = [];
      i++;
    }
  }
  const [header, ...data] = rows;
  return { columns: (header ?? []).map(String), rows: data };
}

/** Writes rows as a CSV file (every cell quoted; null as an empty unquoted cell) and returns its path. */
export function writeCsv(file: string, header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (value: string | number | null) => (value === null ? "" : `"${String(value).replace(/"/g, '""')}"`);
  writeFileSync(file, [header.map(cell).join(","), ...rows.map((row) => row.map(cell).join(","))].join("\n") + "\n");
  return file;
}

/** A CSV text as rows of cells (no quoted commas in these tables but the header's). */
export function csvRows(text: string): string[][] {
  return text
    .trim()
    .split("\n")
    .map((line) => line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((cell) => cell.replace(/^"|"$/g, "")));
}

/**
 * Expects two tables keyed by their first column to hold the same: same keys and header, numbers to
 * `tolerance` relative, text equal.
 *
 * @param options.skipBooleans leave TRUE/FALSE cells uncompared (Parquet writes booleans as true/false).
 */
export function expectSameTable(actual: string[][], expected: string[][], tolerance: number, options: { skipBooleans?: boolean } = {}): void {
  expect(actual[0]).toEqual(expected[0]);
  const byKey = new Map(actual.slice(1).map((row) => [row[0], row]));
  expect(byKey.size).toBe(expected.length - 1);
  for (const row of expected.slice(1)) {
    const other = byKey.get(row[0]);
    expect(other, `row ${row[0]}`).toBeDefined();
    row.forEach((cell, c) => {
      const a = Number(cell);
      if (Number.isFinite(a) && cell.trim() !== "") {
        expect(Math.abs(a - Number(other![c])), `${row[0]} ${expected[0][c]}: ${other![c]} vs ${cell}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(a)));
      } else if (!(options.skipBooleans === true && /^(TRUE|FALSE)$/.test(cell))) {
        expect(other![c], `${row[0]} ${expected[0][c]}`).toBe(cell);
      }
    });
  }
}

/**
 * Runs `imc args…` in memory with `cwd` as the working directory, as the route tests run the runner.
 *
 * @returns the exit code and what went to stdout and stderr.
 */
export async function runImcIn(cwd: string, args: string[], progress = false): Promise<{ code: number; stdout: string; stderr: string }> {
  const memory = memoryIo({ cwd, progress });
  const code = await main(args, memory.io);
  return { code, stdout: memory.stdout(), stderr: memory.stderr() };
}

/**
 * A temporary folder for one test file: made before its tests run, removed with what they wrote
 * after them.
 *
 * @param prefix the start of the folder's name.
 * @returns the folder; its `path` is set once the tests start.
 */
export function scratchFolder(prefix: string): { readonly path: string } {
  const folder = { path: "" };
  beforeAll(() => {
    folder.path = mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => {
    if (folder.path) rmSync(folder.path, { recursive: true, force: true });
  });
  return folder;
}

/** Every cell of every sheet as sheet → address → value (a formula's cached result). */
export async function cellsOf(file: string): Promise<Map<string, Map<string, unknown>>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheets = new Map<string, Map<string, unknown>>();
  for (const sheet of book.worksheets) {
    const cells = new Map<string, unknown>();
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        const value = cell.value as unknown;
        cells.set(cell.address, typeof value === "object" && value !== null && "result" in value ? (value as { result: unknown }).result : value);
      }),
    );
    sheets.set(sheet.name, cells);
  }
  return sheets;
}

/** ISO yyyy-mm-dd of an Excel date serial. */
function isoOf(serial: number): string {
  return new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
}

/**
 * CDNOW's orders (../shared/data/cdnow) as a plain CSV: `customer_id,order_date,order_value`, ISO
 * dates, one line per order in the file's order.
 *
 * @param shared the CDNOW folder.
 */
export function cdnowPlainCsv(shared: string): string {
  const t = cdnowTransactions(shared);
  const values = t.orderValues ?? new Float64Array(0);
  const lines = Array.from(t.customerIndex, (k, i) => `${t.customerIds[k]},${isoOf(t.orderDates[i])},${values[i]}`);
  return ["customer_id,order_date,order_value", ...lines].join("\n") + "\n";
}

/**
 * Writes CDNOW's orders into `dir` as the `imc report --from` tests read them: `cdnow.csv` (plain),
 * `cdnow-hostile.csv` (a title row, `;`, day-first dates, dollars as text, a Total row),
 * `yearly/orders-a.csv` and `orders-b.csv` (the hostile layout in two files, each with its title,
 * the second ending in a blank line and a Total row) and `cdnow.parquet` (DATE and DECIMAL columns).
 *
 * @param dir the folder to write into.
 * @param shared the CDNOW folder.
 */
export async function writeCdnowOrderFiles(dir: string, shared: string): Promise<void> {
  const t = cdnowTransactions(shared);
  const ids = Array.from(t.customerIndex, (k) => t.customerIds[k]);
  const values = t.orderValues ?? new Float64Array(0);
  const dayFirst = (serial: number) => isoOf(serial).split("-").reverse().join("/");
  const money = (value: number) => `"$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}"`;
  writeFileSync(path.join(dir, "cdnow.csv"), cdnowPlainCsv(shared));
  const hostileLines = (from: number, to: number) => ids.slice(from, to).map((id, i) => `${id};${dayFirst(t.orderDates[from + i])};${money(values[from + i])}`);
  const title = ["CDNOW sales export;;", "", "Client;Purchase date;Amount (USD)"];
  writeFileSync(path.join(dir, "cdnow-hostile.csv"), [...title, ...hostileLines(0, ids.length), "Total;;"].join("\n") + "\n");
  mkdirSync(path.join(dir, "yearly"));
  const half = Math.floor(ids.length / 2);
  writeFileSync(path.join(dir, "yearly", "orders-a.csv"), [...title, ...hostileLines(0, half)].join("\n") + "\n");
  writeFileSync(path.join(dir, "yearly", "orders-b.csv"), [...title, ...hostileLines(half, ids.length), "", "Total;;"].join("\n") + "\n");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT customer_id, CAST(order_date AS DATE) AS order_date, CAST(order_value AS DECIMAL(10, 2)) AS order_value FROM read_csv('${path.join(dir, "cdnow.csv")}', types = {'customer_id': 'VARCHAR'})) TO '${path.join(dir, "cdnow.parquet")}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
}
