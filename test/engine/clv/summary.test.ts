import { describe, expect, it } from "vitest";
import { compressTriples } from "../../../src/engine/clv/fitData";
import { fitDataOf, summarizeCustomers } from "../../../src/engine/clv/summary";
import { isEngineError } from "../../../src/engine/errors";
import { sharedDir, sharedSkipMessage } from "../../support/shared";
import { CDNOW_CALIBRATION_END, cdnowSummary, cdnowTransactions } from "./cdnowData";
import { ordersOf } from "../../support/orders";

describe("summarizeCustomers on CDNOW (lifetimes summary_data_from_transaction_data, shared/data/cdnow)", () => {
  it("reproduces cdnow_customers_summary_with_transactions.csv: frequency exactly, recency/T/zbar to their 2-decimal rounding", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const published = cdnowSummary(dir);
    const summary = summarizeCustomers(cdnowTransactions(dir), { asOf: CDNOW_CALIBRATION_END, periodUnit: "week" });
    expect(summary.customerIds.length).toBe(2357);
    const position = new Map(summary.customerIds.map((id, i) => [id, i]));
    let repeaters = 0;
    for (let i = 0; i < published.id.length; i++) {
      const j = position.get(published.id[i])!;
      expect(summary.frequency[j]).toBe(published.x[i]);
      expect(Math.abs(summary.recency[j] - published.t_x[i])).toBeLessThanOrEqual(0.005);
      expect(Math.abs(summary.T[j] - published.T[i])).toBeLessThanOrEqual(0.005);
      expect(Math.abs(summary.monetary[j] - published.zbar[i])).toBeLessThanOrEqual(0.005 + 1e-9);
      if (summary.frequency[j] > 0) repeaters++;
    }
    expect(repeaters).toBe(946);
    // Orders after 1997-09-30 are left out and counted.
    expect(summary.ordersAfterAsOf).toBeGreaterThan(0);
    expect(summary.customersAfterAsOf).toBe(0);
  });
});

describe("summarizeCustomers rules", () => {
  it("groups same-day orders into one purchase and sums their value (hand-computed)", () => {
    const s = summarizeCustomers(
      ordersOf([
        ["a", 100.25, 10],
        ["a", 100.75, 5],
        ["a", 107, 20],
        ["a", 121, 30],
      ]),
      { periodUnit: "week" },
    );
    expect(Array.from(s.frequency)).toEqual([2]);
    expect(s.recency[0]).toBe(3);
    expect(s.T[0]).toBe(3);
    expect(s.orders[0]).toBe(4);
    expect(s.totalValue[0]).toBe(65);
    expect(s.monetary[0]).toBe(25);
    expect(s.firstPurchase[0]).toBe(100);
    expect(s.lastPurchase[0]).toBe(121);
  });

  it("uses days, 7-day weeks and 365.25/12-day months", () => {
    const t = ordersOf([
      ["a", 1000, 1],
      ["a", 1061, 1],
    ]);
    expect(summarizeCustomers(t, { periodUnit: "day", asOf: 1100 }).T[0]).toBe(100);
    expect(summarizeCustomers(t, { periodUnit: "week", asOf: 1100 }).T[0]).toBeCloseTo(100 / 7, 14);
    expect(summarizeCustomers(t, { periodUnit: "month", asOf: 1100 }).recency[0]).toBeCloseTo(61 / 30.4375, 14);
  });

  it("leaves out orders after as_of and customers who start after it, and counts them", () => {
    const s = summarizeCustomers(
      ordersOf([
        ["a", 100, 10],
        ["b", 150, 10],
        ["a", 120, 10],
        ["a", 140, 10],
      ]),
      { asOf: 130, periodUnit: "day" },
    );
    expect(s.customerIds).toEqual(["a"]);
    expect(s.frequency[0]).toBe(1);
    expect(s.T[0]).toBe(30);
    expect(s.ordersAfterAsOf).toBe(2);
    expect(s.customersAfterAsOf).toBe(1);
  });

  it("refund rule: a day totalling <= 0 counts as a purchase but not in the average value", () => {
    const s = summarizeCustomers(
      ordersOf([
        ["a", 100, 50],
        ["a", 110, -50],
        ["a", 120, 30],
        ["a", 120, -10],
        ["a", 130, 0],
      ]),
      { periodUnit: "day" },
    );
    expect(s.frequency[0]).toBe(3);
    expect(s.monetary[0]).toBe(20);
    expect(s.monetaryCount[0]).toBe(1);
    expect(s.nonPositiveDays[0]).toBe(2);
    expect(s.totalValue[0]).toBe(20);
  });

  it("keeps customers in order of first appearance whatever the date order", () => {
    const s = summarizeCustomers(ordersOf([["z", 300, 1], ["y", 100, 1], ["z", 50, 1], ["x", 200, 1]]), { periodUnit: "day" });
    expect(s.customerIds).toEqual(["z", "y", "x"]);
    expect(s.firstPurchase[0]).toBe(50);
    expect(s.recency[0]).toBe(250);
  });

  it("a customer with many rows in scrambled order (the typed-sort path) gives the same summary as sorted rows", () => {
    const rows: Array<[string, number, number]> = [];
    for (let k = 0; k < 150; k++) rows.push(["big", 1000 + ((k * 37) % 100), 1 + (k % 7)]);
    rows.push(["small", 1010, 5]);
    const scrambled = summarizeCustomers(ordersOf(rows), { periodUnit: "day" });
    const sorted = summarizeCustomers(ordersOf([...rows].sort((p, q) => (p[0] === q[0] ? p[1] - q[1] : p[0] < q[0] ? -1 : 1))), { periodUnit: "day" });
    const big = scrambled.customerIds.indexOf("big");
    const bigSorted = sorted.customerIds.indexOf("big");
    expect(scrambled.frequency[big]).toBe(99);
    expect(scrambled.recency[big]).toBe(99);
    expect(scrambled.orders[big]).toBe(150);
    expect(scrambled.monetary[big]).toBeCloseTo(sorted.monetary[bigSorted], 12);
    expect(scrambled.totalValue[big]).toBe(sorted.totalValue[bigSorted]);
  });

  it("rejects an as_of before the first order (INVALID_INPUT naming as_of)", () => {
    try {
      summarizeCustomers(ordersOf([["a", 100, 1]]), { asOf: 99 });
      expect.unreachable();
    } catch (error) {
      expect(isEngineError(error, "INVALID_INPUT")).toBe(true);
      expect((error as Error).message).toMatch(/^as_of: the date is before the first order/);
    }
  });
});

describe("compressTriples / fitDataOf", () => {
  it("counts distinct triples and maps each customer to its triple", () => {
    const x = Float64Array.from([0, 1, 0, 1, 2]);
    const t = Float64Array.from([0, 2, 0, 2, 3]);
    const T = Float64Array.from([5, 5, 5, 5, 0]);
    const { data, tripleOf } = compressTriples(x, t, T);
    expect(Array.from(data.weight)).toEqual([2, 2, 1]);
    expect(Array.from(tripleOf)).toEqual([0, 1, 0, 1, 2]);
    const fit = fitDataOf({ frequency: x, recency: t, T });
    expect(Array.from(fit.T)).toEqual([5, 5]);
    expect(Array.from(fit.weight)).toEqual([2, 2]);
  });
});
