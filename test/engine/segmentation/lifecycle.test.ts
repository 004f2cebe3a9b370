import { describe, expect, it } from "vitest";
import { readTransactions } from "../../../src/engine/data/transactions";
import { DEFAULT_LIFECYCLE_THRESHOLDS, lifecycleStages } from "../../../src/engine/segmentation/lifecycle";
import { engineErrorOf } from "../../support/engine";

const AS_OF = 45500;

/** Stages of customers given as lists of "days before as_of" of their orders. */
function stagesOf(customers: Record<string, number[]>, thresholds = DEFAULT_LIFECYCLE_THRESHOLDS) {
  const ids: unknown[][] = [];
  const dates: unknown[][] = [];
  for (const [id, daysAgo] of Object.entries(customers)) {
    for (const ago of daysAgo) {
      ids.push([id]);
      dates.push([AS_OF - ago]);
    }
  }
  const result = lifecycleStages(readTransactions(ids, dates, null), AS_OF, thresholds);
  return Object.fromEntries(result.customerIds.map((id, c) => [id, result.stage[c]]));
}

describe("lifecycleStages: domain.md §4.4 boundaries with the default thresholds 30/60/90", () => {
  it("New: first purchase ≤ 30 days before as_of (30 is New, 31 is not)", () => {
    expect(stagesOf({ today: [0], d30: [30], d31: [31], twoOrders: [25, 3] })).toEqual({
      today: "New",
      d30: "New",
      d31: "Active",
      twoOrders: "New",
    });
  });

  it("Active ≤ 60, At risk 61–90, Lapsed > 90 days since the last purchase", () => {
    expect(stagesOf({ d60: [60], d61: [61], d90: [90], d91: [91], old: [400, 200] })).toEqual({
      d60: "Active",
      d61: "At risk",
      d90: "At risk",
      d91: "Lapsed",
      old: "Lapsed",
    });
  });

  it("Reactivated: came back after a gap of more than 90 days, the comeback within the last 60 days", () => {
    expect(
      stagesOf({
        comeback10: [200, 10], // gap 190, comeback 10 days ago
        comeback60: [300, 60], // comeback exactly 60 days ago: still in the window
        comebackThenMore: [300, 50, 5], // comeback 50 days ago, bought again since
        gap90: [100, 10], // gap of exactly 90 is not a lapse
        oldComeback: [300, 70, 10], // comeback 70 days ago: outside the window, now Active
        lapsedAgain: [400, 150, 100], // comeback long ago and lapsed again
      }),
    ).toEqual({
      comeback10: "Reactivated",
      comeback60: "Reactivated",
      comebackThenMore: "Reactivated",
      gap90: "Active",
      oldComeback: "Active",
      lapsedAgain: "Lapsed",
    });
  });

  it("reports days since first and last purchase and orders; several orders on a day count separately", () => {
    const result = lifecycleStages(readTransactions([["a"], ["a"], ["a"]], [[AS_OF - 40], [AS_OF - 5], [AS_OF - 5]], null), AS_OF);
    expect(Array.from(result.daysSinceFirst)).toEqual([40]);
    expect(Array.from(result.daysSinceLast)).toEqual([5]);
    expect(Array.from(result.orders)).toEqual([3]);
  });
});

describe("lifecycleStages: thresholds and as_of", () => {
  it("editable thresholds {7, 14, 28}", () => {
    const thresholds = { newDays: 7, activeDays: 14, atRiskDays: 28 };
    expect(stagesOf({ a: [7], b: [20, 8], c: [20], d: [29], e: [100, 3] }, thresholds)).toEqual({
      a: "New",
      b: "Active",
      c: "At risk",
      d: "Lapsed",
      e: "Reactivated",
    });
  });

  it("as_of defaults to the last order date; later orders are left out and counted", () => {
    const transactions = readTransactions([["a"], ["b"], ["a"]], [[45000], [45100], [45200]], null);
    expect(lifecycleStages(transactions, null).asOf).toBe(45200);
    const early = lifecycleStages(transactions, 45050);
    expect(early.customerIds).toEqual(["a"]);
    expect(early.excludedOrders).toBe(2);
    expect(early.excludedCustomers).toBe(1);
  });

  it("thresholds out of order or not whole days → INVALID_INPUT naming thresholds", () => {
    const transactions = readTransactions([["a"]], [[45000]], null);
    const order = engineErrorOf(() => lifecycleStages(transactions, null, { newDays: 30, activeDays: 90, atRiskDays: 60 }));
    expect(order.code).toBe("INVALID_INPUT");
    expect(order.message).toBe("thresholds: must be in order new ≤ active ≤ at risk (days), got 30, 90, 60");
    const fraction = engineErrorOf(() => lifecycleStages(transactions, null, { newDays: 30.5, activeDays: 60, atRiskDays: 90 }));
    expect(fraction.message).toBe("thresholds: the new threshold must be a whole number of days, 0 or more, got 30.5");
    const negative = engineErrorOf(() => lifecycleStages(transactions, null, { newDays: -1, activeDays: 60, atRiskDays: 90 }));
    expect(negative.message).toMatch(/^thresholds: the new threshold must be a whole number of days, 0 or more/);
  });
});
