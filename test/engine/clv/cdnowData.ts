/**
 * Loaders for the CDNOW 1/10 sample in `<repo>/../shared/data/cdnow/` (see its README): the raw
 * transactions as the arrays the engine takes, and the published summaries. Test helper, no tests.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Transactions } from "../../../src/engine/data/transactions";

/** Excel serial of a YYYYMMDD text (1900 date system, dates after 1900-03-01). */
export function serialOf(yyyymmdd: string): number {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  return Date.UTC(y, m - 1, d) / 86_400_000 + 25_569;
}

/** CDNOW_sample.txt as typed transactions (customer = sample id, column 2). */
export function cdnowTransactions(dir: string): Transactions {
  const lines = readFileSync(path.join(dir, "CDNOW_sample.txt"), "utf8").split("\n").filter((l) => l.trim() !== "");
  const ids: string[] = [];
  const indexOf = new Map<string, number>();
  const customerIndex = new Int32Array(lines.length);
  const orderDates = new Float64Array(lines.length);
  const orderValues = new Float64Array(lines.length);
  lines.forEach((line, i) => {
    const [, id, date, , value] = line.trim().split(/\s+/);
    const key = String(Number(id));
    let k = indexOf.get(key);
    if (k === undefined) {
      k = ids.length;
      ids.push(key);
      indexOf.set(key, k);
    }
    customerIndex[i] = k;
    orderDates[i] = serialOf(date);
    orderValues[i] = Number(value);
  });
  return { rowCount: lines.length, customerIds: ids, customerIndex, orderDates, orderValues };
}

/** The raw rows as Excel would pass them: [[id], [serial], [value]] columns. */
export function cdnowColumns(dir: string): { ids: unknown[][]; dates: unknown[][]; values: unknown[][] } {
  const t = cdnowTransactions(dir);
  return {
    ids: Array.from(t.customerIndex, (k) => [Number(t.customerIds[k])]),
    dates: Array.from(t.orderDates, (d) => [d]),
    values: Array.from(t.orderValues ?? [], (v) => [v]),
  };
}

export interface PublishedSummary {
  readonly id: string[];
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
  /** zbar (only from the _with_transactions file). */
  readonly zbar: Float64Array;
}

/** The rows of one of the CDNOW summary CSVs, header left out, cells trimmed. */
function csvRows(dir: string, file: string): string[][] {
  return readFileSync(path.join(dir, file), "utf8")
    .split("\n")
    .slice(1)
    .filter((l) => l.trim() !== "")
    .map((l) => l.split(",").map((c) => c.trim()));
}

/** cdnow_customers_summary_with_transactions.csv: ID, x, t_x, T, zbar (recency and T rounded to 2 decimals). */
export function cdnowSummary(dir: string): PublishedSummary {
  const rows = csvRows(dir, "cdnow_customers_summary_with_transactions.csv");
  return { ...cdnowFrequencyColumns(rows), zbar: Float64Array.from(rows, (r) => Number(r[4])) };
}

/** cdnow_customers_summary.csv: ID, frequency, recency, T. */
export function cdnowFrequencySummary(dir: string): Omit<PublishedSummary, "zbar"> {
  return cdnowFrequencyColumns(csvRows(dir, "cdnow_customers_summary.csv"));
}

function cdnowFrequencyColumns(rows: readonly string[][]): Omit<PublishedSummary, "zbar"> {
  return {
    id: rows.map((r) => r[0]),
    x: Float64Array.from(rows, (r) => Number(r[1])),
    t_x: Float64Array.from(rows, (r) => Number(r[2])),
    T: Float64Array.from(rows, (r) => Number(r[3])),
  };
}

/** Calibration end of the CDNOW studies, 1997-09-30, as a serial. */
export const CDNOW_CALIBRATION_END = serialOf("19970930");
