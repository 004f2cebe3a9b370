/**
 * Simulated order exports for the customer-value benchmarks (seeded, deterministic).
 *
 * Customers follow the BG/NBD process at CDNOW-like parameters (r 0.243, alpha 4.414 weeks, a 0.793,
 * b 2.426): first purchases spread over 13 weeks, observation to week 39, purchase times on a daily
 * grid (as in real order exports), a second order on 20% of purchase days; spend per purchase from
 * Gamma-Gamma (p 6.25, q 3.74, gamma 15.44), in cents.
 *
 * Orders are written straight into typed arrays, and a large summary is built batch by batch, so a
 * benchmark's peak memory is its own input and work, not the simulation's scaffolding.
 */
import { summarizeCustomers, type CustomerSummary } from "../../src/engine/clv/summary";
import type { Transactions } from "../../src/engine/data/transactions";
import { betaDraw, exponentialDraw, gammaDraw, seededUniform, type Uniform } from "../../src/engine/math/random";

export const TRUE_BG = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
export const TRUE_GG = { p: 6.25, q: 3.74, gamma: 15.44 };
export const START_SERIAL = 45292; // 2024-01-01
export const LAST_DAY = 273; // observation ends 39 weeks after the start

/** A growable Float64Array. */
class Column {
  values: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.values = new Float64Array(Math.max(16, capacity));
  }
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  /** The filled part, without copying. */
  toArray(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}

function simulateInto(customers: number, uniform: Uniform, firstId: number, ids: Column, days: Column, values: Column): void {
  for (let c = 0; c < customers; c++) {
    const lambda = gammaDraw(uniform, TRUE_BG.r, TRUE_BG.alpha) / 7; // per day
    const p = betaDraw(uniform, TRUE_BG.a, TRUE_BG.b);
    const nu = gammaDraw(uniform, TRUE_GG.q, TRUE_GG.gamma);
    // First purchase at a random time of day within the first 13 weeks (days are then floored, as
    // calendar dates are, so recency is not biased by the day grid).
    let t = uniform() * 91;
    for (let k = 0; k < 10_000; k++) {
      const day = Math.floor(t);
      const value = Math.round(gammaDraw(uniform, TRUE_GG.p, nu) * 100) / 100;
      ids.push(firstId + c);
      days.push(START_SERIAL + day);
      values.push(value);
      if (uniform() < 0.2) {
        ids.push(firstId + c);
        days.push(START_SERIAL + day + 0.5);
        values.push(Math.round(value * 20) / 100);
      }
      // BG/NBD assumption (iii): a customer may drop out right after each repeat purchase.
      if (k > 0 && uniform() < p) break;
      t += exponentialDraw(uniform, lambda);
      if (t > LAST_DAY) break;
    }
  }
}

function toIndex(ids: Float64Array, firstId: number): Int32Array {
  // A plain loop: Int32Array.from(array, mapFn) first collects every mapped value in a JS list.
  const index = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) index[i] = ids[i] - firstId;
  return index;
}

function toTransactions(customers: number, firstId: number, ids: Column, days: Column, values: Column): Transactions {
  return {
    rowCount: ids.length,
    customerIds: Array.from({ length: customers }, (_, c) => String(firstId + c + 1)),
    customerIndex: toIndex(ids.toArray(), firstId),
    orderDates: days.toArray(),
    orderValues: values.toArray(),
  };
}

/** Order rows of `customers` simulated customers (customer i has id "i + 1"). */
export function simulateOrders(customers: number, seed: number): Transactions {
  // About 2.5 order rows per customer: sized so the columns rarely grow (a doubling copies).
  const capacity = Math.ceil(customers * 2.6);
  const ids = new Column(capacity);
  const days = new Column(capacity);
  const values = new Column(capacity);
  simulateInto(customers, seededUniform(seed), 0, ids, days, values);
  return toTransactions(customers, 0, ids, days, values);
}

/**
 * The weekly customer summary (as of the end of week 39) of `customers` simulated customers, built
 * 100,000 customers at a time so that the order rows never all exist at once.
 */
export function simulateSummary(customers: number, seed: number): CustomerSummary {
  const uniform = seededUniform(seed);
  const batch = 100_000;
  const parts: CustomerSummary[] = [];
  for (let first = 0; first < customers; first += batch) {
    const count = Math.min(batch, customers - first);
    const ids = new Column(count * 3);
    const days = new Column(count * 3);
    const values = new Column(count * 3);
    simulateInto(count, uniform, first, ids, days, values);
    parts.push(summarizeCustomers(toTransactions(count, first, ids, days, values), { periodUnit: "week", asOf: START_SERIAL + LAST_DAY }));
  }
  const concat = <T extends Float64Array | Int32Array>(pick: (s: CustomerSummary) => T, make: (n: number) => T): T => {
    const out = make(customers);
    let at = 0;
    for (const part of parts) {
      out.set(pick(part), at);
      at += pick(part).length;
    }
    return out;
  };
  const f64 = (n: number) => new Float64Array(n);
  const i32 = (n: number) => new Int32Array(n);
  return {
    periodUnit: "week",
    asOf: parts[0].asOf,
    customerIds: parts.flatMap((part) => part.customerIds),
    firstPurchase: concat((s) => s.firstPurchase, f64),
    lastPurchase: concat((s) => s.lastPurchase, f64),
    orders: concat((s) => s.orders, i32),
    frequency: concat((s) => s.frequency, f64),
    recency: concat((s) => s.recency, f64),
    T: concat((s) => s.T, f64),
    totalValue: concat((s) => s.totalValue, f64),
    monetary: concat((s) => s.monetary, f64),
    monetaryCount: concat((s) => s.monetaryCount, f64),
    nonPositiveDays: concat((s) => s.nonPositiveDays, i32),
    ordersAfterAsOf: parts.reduce((sum, part) => sum + part.ordersAfterAsOf, 0),
    customersAfterAsOf: parts.reduce((sum, part) => sum + part.customersAfterAsOf, 0),
  };
}
