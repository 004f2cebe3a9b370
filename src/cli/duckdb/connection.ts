/**
 * DuckDB for the runner's `--from` route: an in-memory database whose memory is capped and which
 * spills to a temporary directory, so Parquet or CSV files of any size are summarised out of core and
 * the runner's memory grows with the summary, not the rows. The native module is loaded only when a
 * command is given --from.
 *
 * Settings: memory_limit IMC_DUCKDB_MEMORY (default 1GB), threads IMC_DUCKDB_THREADS (default the
 * machine's cores), temp_directory a new folder under the system's temporary folder, removed on
 * close; preserve_insertion_order off (row order is not needed and keeping it costs memory).
 */

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { CliError } from "../errors";

/** An open DuckDB with its connection; `close` removes the spill folder. */
export interface DuckDb {
  readonly connection: DuckDBConnection;
  /** The spill folder (DuckDB's temp_directory), removed on close; the route may write its own files there. */
  readonly spill: string;
  /** Runs statements that return nothing. */
  run(sql: string): Promise<void>;
  /** Runs a query and returns its rows as JavaScript values (BIGINT as bigint, DATE as a DuckDB date value). */
  rows(sql: string): Promise<{ columns: string[]; rows: unknown[][] }>;
  /** Runs a query whose columns are all numeric and returns them as typed columns, read chunk by chunk. */
  numberColumns(sql: string): Promise<Float64Array[]>;
  close(): void;
}

/** Turns a DuckDB error (a missing file, a bad cast) into one plain runner error about the input. */
export function duckDbError(error: unknown, file: string): CliError {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split("\n").find((line) => line.trim() !== "") ?? message;
  return new CliError(`DuckDB could not read the data: ${first.trim()}`, { file });
}

/**
 * Opens DuckDB in memory with bounded memory and a spill folder.
 *
 * @returns the database; call `close` when done.
 */
export async function openDuckDb(): Promise<DuckDb> {
  const { DuckDBInstance: Instance } = await import("@duckdb/node-api");
  const spill = mkdtempSync(path.join(os.tmpdir(), "imc-duckdb-"));
  const threads = process.env.IMC_DUCKDB_THREADS ?? String(Math.max(1, os.cpus().length));
  const instance: DuckDBInstance = await Instance.create(":memory:", {
    memory_limit: process.env.IMC_DUCKDB_MEMORY ?? "1GB",
    threads,
    temp_directory: spill,
    preserve_insertion_order: "false",
  });
  const connection = await instance.connect();
  return {
    connection,
    spill,
    async run(sql) {
      await connection.run(sql);
    },
    async rows(sql) {
      const reader = await connection.runAndReadAll(sql);
      return { columns: reader.columnNames(), rows: reader.getRowsJS() as unknown[][] };
    },
    async numberColumns(sql) {
      const result = await connection.stream(sql);
      const width = result.columnCount;
      let columns = Array.from({ length: width }, () => new Float64Array(4096));
      let length = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) break;
        const n = chunk.rowCount;
        if (length + n > columns[0].length) {
          const capacity = Math.max(columns[0].length * 2, length + n);
          columns = columns.map((column) => {
            const grown = new Float64Array(capacity);
            grown.set(column.subarray(0, length));
            return grown;
          });
        }
        for (let c = 0; c < width; c++) {
          const values = chunk.getColumnValues(c);
          const column = columns[c];
          for (let i = 0; i < n; i++) column[length + i] = Number(values[i]);
        }
        length += n;
      }
      return columns.map((column) => column.slice(0, length));
    },
    close() {
      connection.closeSync();
      instance.closeSync();
      rmSync(spill, { recursive: true, force: true });
    },
  };
}

/** A SQL string literal (DuckDB: '' inside). */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Splits a relation, in one pass, into Parquet parts in the spill folder, one per customer-hash
 * bucket (`hash(customer) % batches`), keeping only the given columns under their own names; a
 * customer's rows all lie in one part. The parts are read back one at a time, so each batch reads
 * its own rows instead of the whole input again.
 *
 * @param db the open DuckDB.
 * @param relation the input relation (e.g. read_parquet('…')).
 * @param columns the column names to keep (the first is the customer id); duplicates are kept once.
 * @param batches the number of parts, ≥ 2.
 * @returns per bucket, the relation that reads its part, or null when no row fell in it.
 */
export async function splitByCustomer(db: DuckDb, relation: string, columns: readonly string[], batches: number): Promise<(string | null)[]> {
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const parts = mkdtempSync(path.join(db.spill, "parts-"));
  const kept = [...new Set(columns)].map(quote).join(", ");
  await db.run(`COPY (SELECT ${kept}, hash(${quote(columns[0])}) % ${batches} AS imc_bucket FROM ${relation}) TO ${literal(path.join(parts, "p"))} (FORMAT parquet, PARTITION_BY (imc_bucket))`);
  return Array.from({ length: batches }, (_, k) => {
    const part = path.join(parts, "p", `imc_bucket=${k}`);
    return existsSync(part) ? `read_parquet(${literal(path.join(part, "*.parquet"))}, hive_partitioning = false)` : null;
  });
}

/**
 * A statement run for the files named `display`: a DuckDB error becomes a CliError naming them.
 *
 * @param db the open DuckDB.
 * @param sql the statement.
 * @param display the files, as the user named them.
 */
export async function duckRun(db: DuckDb, sql: string, display: string): Promise<void> {
  try {
    await db.run(sql);
  } catch (error) {
    throw duckDbError(error, display);
  }
}

/** A query's rows as JS values, for the files named `display` (errors as {@link duckRun}'s). */
export async function duckRows(db: DuckDb, sql: string, display: string): Promise<unknown[][]> {
  try {
    return (await db.rows(sql)).rows;
  } catch (error) {
    throw duckDbError(error, display);
  }
}

/** A query's columns as numbers (`DuckDb.numberColumns`), for the files named `display` (errors as {@link duckRun}'s). */
export async function duckNumbers(db: DuckDb, sql: string, display: string): Promise<Float64Array[]> {
  try {
    return await db.numberColumns(sql);
  } catch (error) {
    throw duckDbError(error, display);
  }
}

/** {@link splitByCustomer} for the files named `display` (errors as {@link duckRun}'s). */
export async function duckSplit(db: DuckDb, relation: string, columns: readonly string[], batches: number, display: string): Promise<(string | null)[]> {
  try {
    return await splitByCustomer(db, relation, columns, batches);
  } catch (error) {
    throw duckDbError(error, display);
  }
}
