import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { calendarToSerial } from "../../../src/engine/data";
import { readTransactions } from "../../../src/engine/data/transactions";
import { rfmScores } from "../../../src/engine/segmentation/rfm";
import { engineErrorOf } from "../../support/engine";

const col = (...values: unknown[]) => values.map((v) => [v]);
const day = (iso: string) => {
  const [year, month, dayOfMonth] = iso.split("-").map(Number);
  return calendarToSerial({ year, month, day: dayOfMonth });
};

// Four customers, five orders; as_of defaults to the last order date, 2024-03-10.
const IDS = col("a", "b", "a", "c", "d");
const DATES = col("2024-01-01", "2024-02-01", "2024-03-01", "2024-03-10", "2024-01-09");
const VALUES = col(100, 50, 70, 20, 10);

describe("rfmScores: worked example by hand (domain.md §4.1)", () => {
  const result = rfmScores(readTransactions(IDS, DATES, VALUES), { asOf: null, monetary: "sum" });

  it("as_of defaults to the last order date", () => {
    expect(result.asOf).toBe(day("2024-03-10"));
    expect(result.excludedOrders).toBe(0);
  });

  it("customers in order of first appearance with recency days, orders and total value", () => {
    expect(result.customerIds).toEqual(["a", "b", "c", "d"]);
    expect(Array.from(result.recencyDays)).toEqual([9, 38, 0, 61]); // 2024 is a leap year: 1 Feb → 10 Mar is 38 days
    expect(Array.from(result.frequency)).toEqual([2, 1, 1, 1]);
    expect(Array.from(result.monetary)).toEqual([170, 50, 20, 10]);
  });

  it("quintile breaks are PERCENTILE.INC at .2/.4/.6/.8 over customers", () => {
    // recency sorted 0, 9, 38, 61: h = 0.6, 1.2, 1.8, 2.4
    expect(result.breaks.recencyDays).toEqual([5.4, 14.8, 32.2, 47.2].map((x) => expect.closeTo(x, 10)));
    expect(result.breaks.frequency).toEqual([1, 1, 1, 1.4].map((x) => expect.closeTo(x, 10)));
    // monetary sorted 10, 20, 50, 170: 10 + 0.6·10, 20 + 0.2·30, 20 + 0.8·30, 50 + 0.4·120
    expect(result.breaks.monetary).toEqual([16, 26, 44, 98].map((x) => expect.closeTo(x, 10)));
  });

  it("R = 6 − score of recency days (recent = 5); F and M score directly; code and segment", () => {
    expect(Array.from(result.r)).toEqual([4, 2, 5, 1]);
    expect(Array.from(result.f)).toEqual([5, 1, 1, 1]);
    expect(Array.from(result.m)).toEqual([5, 4, 2, 1]);
    expect(Array.from(result.code)).toEqual([455, 214, 512, 111]);
    expect(result.segment).toEqual(["Champions", "Can't Lose Them", "New Customers", "Lost"]);
  });
});

describe("rfmScores options and edge cases", () => {
  it("monetary 'mean' is the average order value", () => {
    const result = rfmScores(readTransactions(IDS, DATES, VALUES), { asOf: null, monetary: "mean" });
    expect(Array.from(result.monetary)).toEqual([85, 50, 20, 10]);
  });

  it("orders after as_of are left out and counted; a customer with only later orders is left out", () => {
    const result = rfmScores(readTransactions(IDS, DATES, VALUES), { asOf: day("2024-02-15"), monetary: "sum" });
    expect(result.customerIds).toEqual(["a", "b", "d"]);
    expect(result.excludedOrders).toBe(2);
    expect(result.excludedCustomers).toBe(1);
    expect(Array.from(result.recencyDays)).toEqual([45, 14, 37]);
    expect(Array.from(result.monetary)).toEqual([100, 50, 10]);
  });

  it("as_of is inclusive and ignores the time of day; an order on the as_of day has recency 0", () => {
    const result = rfmScores(readTransactions(col("x", "y"), col(day("2024-03-10") + 0.9, day("2024-03-01")), col(5, 5)), {
      asOf: day("2024-03-10") + 0.1,
      monetary: "sum",
    });
    expect(result.excludedOrders).toBe(0);
    expect(Array.from(result.recencyDays)).toEqual([0, 9]);
  });

  it("refunds (negative values) reduce monetary; several orders on one day count as several", () => {
    const result = rfmScores(readTransactions(col("a", "a", "a"), col(45300, 45300, 45310), col(100, 40, -30)), {
      asOf: null,
      monetary: "sum",
    });
    expect(Array.from(result.frequency)).toEqual([3]);
    expect(Array.from(result.monetary)).toEqual([110]);
  });

  it("one customer: every measure has a single value, so R = F = M = 3 (333, Potential Loyalist)", () => {
    const result = rfmScores(readTransactions(col("solo"), col(45300), col(99)), { asOf: null, monetary: "sum" });
    expect(Array.from(result.code)).toEqual([333]);
    expect(result.segment).toEqual(["Potential Loyalist"]);
  });

  it("no order on or before as_of → INSUFFICIENT_DATA naming as_of", () => {
    const error = engineErrorOf(() => rfmScores(readTransactions(IDS, DATES, VALUES), { asOf: day("2023-12-31"), monetary: "sum" }));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toBe("IMC.RFM: no orders on or before as_of (2023-12-31); all 5 are later");
  });

  it("transactions without values → INVALID_INPUT naming order_values", () => {
    const error = engineErrorOf(() => rfmScores(readTransactions(IDS, DATES, null), { asOf: null, monetary: "sum" }));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toMatch(/^order_values: /);
  });
});

describe("rfmScores properties", () => {
  // Orders: customer 0..29, day 0..400, value with cents (inexact in binary, so summation order matters).
  const orders = fc.array(
    fc.record({
      customer: fc.integer({ min: 0, max: 29 }),
      dayOffset: fc.integer({ min: 0, max: 400 }),
      cents: fc.integer({ min: -5000, max: 100000 }),
    }),
    { minLength: 1, maxLength: 120 },
  );

  function scoresByCustomer(rows: { customer: number; dayOffset: number; cents: number }[]) {
    const result = rfmScores(
      readTransactions(
        rows.map((o) => [`C${o.customer}`]),
        rows.map((o) => [45000 + o.dayOffset]),
        rows.map((o) => [o.cents / 100]),
      ),
      { asOf: null, monetary: "sum" },
    );
    const byCustomer = new Map<string, string>();
    result.customerIds.forEach((id, c) =>
      byCustomer.set(id, `${result.recencyDays[c]}|${result.frequency[c]}|${result.monetary[c]}|${result.code[c]}|${result.segment[c]}`),
    );
    return byCustomer;
  }

  it("scores, codes and segments do not depend on the order of the rows", () => {
    fc.assert(
      fc.property(orders, fc.integer(), (rows, seed) => {
        // A seeded Fisher–Yates shuffle of the rows.
        const shuffled = [...rows];
        let state = seed >>> 0;
        for (let i = shuffled.length - 1; i > 0; i--) {
          state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
          const j = state % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        expect(scoresByCustomer(shuffled)).toEqual(scoresByCustomer(rows));
      }),
      { numRuns: 200, seed: 20261122 },
    );
  });

  it("scores are 1..5, codes are in the segment table, and a higher measure never scores lower", () => {
    fc.assert(
      fc.property(orders, (rows) => {
        const result = rfmScores(
          readTransactions(
            rows.map((o) => [`C${o.customer}`]),
            rows.map((o) => [45000 + o.dayOffset]),
            rows.map((o) => [o.cents / 100]),
          ),
          { asOf: null, monetary: "sum" },
        );
        const n = result.customerIds.length;
        const problems: string[] = [];
        for (let p = 0; p < n; p++) {
          for (const score of [result.r[p], result.f[p], result.m[p]]) if (!(score >= 1 && score <= 5)) problems.push(`score ${score}`);
          for (let q = 0; q < n; q++) {
            if (result.monetary[p] > result.monetary[q] && result.m[p] < result.m[q]) problems.push(`M of ${p} below ${q}`);
            if (result.frequency[p] > result.frequency[q] && result.f[p] < result.f[q]) problems.push(`F of ${p} below ${q}`);
            if (result.recencyDays[p] > result.recencyDays[q] && result.r[p] > result.r[q]) problems.push(`R of ${p} above ${q}`);
          }
        }
        expect(problems).toEqual([]);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
