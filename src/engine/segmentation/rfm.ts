/**
 * RFM: recency, frequency and monetary value per customer, quintile scores, RFM code and named
 * segment (domain.md §4.1–4.2).
 *
 * Glossary:
 * - as_of: the day the analysis looks back from (default: the last order date in the data); orders
 *   after it are left out and counted;
 * - recency: calendar days from the customer's last order on or before as_of to as_of (0 = bought
 *   on the as_of day). This is RFM recency, time since the last purchase — not the BG/NBD
 *   "recency" (time between first and last purchase, domain.md §1.2);
 * - frequency: number of orders (rows) on or before as_of; several rows on one day count as several
 *   orders, and a refund on its own row counts as an order;
 * - monetary: the total of the order values ("sum", default) or their mean ("mean"); negative values
 *   (refunds) reduce it;
 * - R, F, M: quintile scores 1..5 (see quintileScores.ts); R = 6 − score(recency), so the most recent
 *   customers get R = 5;
 * - code: the three digits R·F·M as a number (555 = best); segment: its name from rfmSegments.ts.
 *
 * References: A. M. Hughes, *Strategic Database Marketing* (RFM analysis); domain.md §4.1–4.2.
 */

import type { Transactions } from "../data";
import { invalidArgument } from "../errors";
import { groupOrders } from "./orderHistory";
import { quintileScores } from "./quintileScores";
import { rfmSegment, type RfmSegmentName } from "./rfmSegments";

/** How monetary value is measured: the total of a customer's orders or their mean. */
export type MonetaryScheme = "sum" | "mean";

export interface RfmOptions {
  /** as_of as an Excel serial, or null for the last order date in the data. */
  readonly asOf: number | null;
  /** "sum" (total value, default in the product) or "mean" (average order value). */
  readonly monetary: MonetaryScheme;
}

/** RFM per customer, customers in order of first appearance in the ranges. */
export interface RfmResult {
  /** The as_of serial used. */
  readonly asOf: number;
  /** Orders dated after as_of, left out. */
  readonly excludedOrders: number;
  /** Customers whose every order is after as_of, left out. */
  readonly excludedCustomers: number;
  /** Kept customers' ids (trimmed text), in order of first appearance. */
  readonly customerIds: readonly string[];
  /** Per customer: index into `Transactions.customerIds`. */
  readonly sourceCustomer: Int32Array;
  /** Days since the last order, ≥ 0. */
  readonly recencyDays: Int32Array;
  /** Number of orders, ≥ 1. */
  readonly frequency: Int32Array;
  /** Total (or mean) order value, in the values' currency. */
  readonly monetary: Float64Array;
  readonly r: Uint8Array;
  readonly f: Uint8Array;
  readonly m: Uint8Array;
  /** R·100 + F·10 + M. */
  readonly code: Uint16Array;
  readonly segment: readonly RfmSegmentName[];
  /** Quintile breaks (PERCENTILE.INC at .2/.4/.6/.8) of recency days, frequency and monetary. */
  readonly breaks: {
    readonly recencyDays: readonly number[];
    readonly frequency: readonly number[];
    readonly monetary: readonly number[];
  };
}

/**
 * RFM scores and named segments from orders.
 *
 * @param transactions orders with values (`readTransactions` with order_values).
 * @param options as_of (serial or null) and the monetary scheme.
 * @returns one row per customer with an order on or before as_of; see {@link RfmResult}.
 * @throws EngineError INVALID_INPUT when the transactions have no values;
 *   INSUFFICIENT_DATA when no order is dated on or before as_of.
 *
 * References: domain.md §4.1 (scores), §4.2 (segments).
 */
export function rfmScores(transactions: Transactions, options: RfmOptions): RfmResult {
  if (transactions.orderValues === null) throw invalidArgument("order_values", "RFM needs the order values");
  const history = groupOrders(transactions, options.asOf, "IMC.RFM");
  const { offsets, days, asOfDay } = history;
  const values = history.values!;
  const n = history.customerIds.length;

  const recencyDays = new Int32Array(n);
  const frequency = new Int32Array(n);
  const monetary = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const start = offsets[c];
    const end = offsets[c + 1];
    let total = 0;
    for (let i = start; i < end; i++) total += values[i]; // ascending within the customer: order-free
    const count = end - start;
    recencyDays[c] = asOfDay - days[end - 1];
    frequency[c] = count;
    monetary[c] = options.monetary === "mean" ? total / count : total;
  }

  return rfmFromColumns({
    asOf: history.asOf,
    excludedOrders: history.excludedOrders,
    excludedCustomers: history.excludedCustomers,
    customerIds: history.customerIds,
    sourceCustomer: history.sourceCustomer,
    recencyDays,
    frequency,
    monetary,
  });
}

/** The per-customer measures RFM scores: what {@link rfmScores} reads from the orders, or a summary gives. */
export type RfmMeasures = Pick<
  RfmResult,
  "asOf" | "excludedOrders" | "excludedCustomers" | "customerIds" | "sourceCustomer" | "recencyDays" | "frequency" | "monetary"
>;

/**
 * RFM scores and named segments from per-customer recency, frequency and monetary columns (the
 * second half of {@link rfmScores}, for measures summarised elsewhere, e.g. by SQL).
 *
 * @param columns the measures per customer, customers in order of first appearance (the columns are kept, not copied).
 * @returns the RFM result of those customers; see {@link RfmResult}.
 *
 * References: domain.md §4.1 (scores), §4.2 (segments).
 */
export function rfmFromColumns(columns: RfmMeasures): RfmResult {
  const { recencyDays, frequency, monetary } = columns;
  const n = columns.customerIds.length;
  const recencyScores = quintileScores(Float64Array.from(recencyDays));
  const frequencyScores = quintileScores(Float64Array.from(frequency));
  const monetaryScores = quintileScores(monetary);
  const r = new Uint8Array(n);
  const code = new Uint16Array(n);
  const segment = new Array<RfmSegmentName>(n);
  const f = frequencyScores.scores;
  const m = monetaryScores.scores;
  for (let c = 0; c < n; c++) {
    r[c] = 6 - recencyScores.scores[c];
    code[c] = r[c] * 100 + f[c] * 10 + m[c];
    segment[c] = rfmSegment(r[c], f[c], m[c]);
  }
  return {
    ...columns,
    r,
    f,
    m,
    code,
    segment,
    breaks: {
      recencyDays: recencyScores.breaks,
      frequency: frequencyScores.breaks,
      monetary: monetaryScores.breaks,
    },
  };
}
