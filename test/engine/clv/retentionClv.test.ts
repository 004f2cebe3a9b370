import { describe, expect, it } from "vitest";
import { retentionClv, type RetentionClvInput } from "../../../src/engine/clv/retentionClv";
import type { EngineError } from "../../../src/engine/errors";
import { engineErrorOf } from "../../support/engine";

const base: RetentionClvInput = { margin: 100, retentionRate: 0.8, discountRate: 0.1, horizonPeriods: null, marginNow: false };

/** The definition of domain.md §1.1 summed term by term: the oracle for the closed form. */
function seriesClv(m: number, r: number, d: number, n: number, marginNow: boolean): number {
  let total = marginNow ? m : 0;
  for (let t = 1; t <= n; t++) total += (m * r ** t) / (1 + d) ** t;
  return total;
}

function errorOf(input: Partial<RetentionClvInput>): EngineError {
  return engineErrorOf(() => retentionClv({ ...base, ...input }));
}

describe("retentionClv: check values of domain.md §1.1 (Farris et al., Marketing Metrics)", () => {
  it("m = 100, r = 0.8, d = 0.1 gives 266.667 with margin at period end", () => {
    expect(retentionClv(base)).toBeCloseTo(800 / 3, 12);
  });

  it("m = 100, r = 0.8, d = 0.1 gives 366.667 when the margin in hand now is counted", () => {
    expect(retentionClv({ ...base, marginNow: true })).toBeCloseTo(1100 / 3, 12);
  });

  it("margin_now form equals m(1+d)/(1+d−r)", () => {
    expect(retentionClv({ margin: 250, retentionRate: 0.65, discountRate: 0.08, horizonPeriods: null, marginNow: true })).toBeCloseTo(
      (250 * 1.08) / (1.08 - 0.65),
      10,
    );
  });
});

describe("retentionClv: finite horizon matches the term-by-term sum", () => {
  const cases: Array<[number, number, number, number, boolean]> = [
    [100, 0.8, 0.1, 1, false],
    [100, 0.8, 0.1, 3, false],
    [100, 0.8, 0.1, 3, true],
    [42.5, 0.95, 0.02, 40, false],
    [-30, 0.5, 0.12, 7, true],
    [100, 1, 0, 5, false],
    [100, 1, 0.05, 10, false],
    [100, 0.999999, 0, 1000, false],
  ];
  for (const [m, r, d, n, now] of cases) {
    it(`m=${m} r=${r} d=${d} N=${n} marginNow=${now}`, () => {
      const expected = seriesClv(m, r, d, n, now);
      expect(retentionClv({ margin: m, retentionRate: r, discountRate: d, horizonPeriods: n, marginNow: now })).toBeCloseTo(expected, 8);
    });
  }

  it("r = 1 and d = 0 counts the margin N times (no discounting, no churn)", () => {
    expect(retentionClv({ ...base, retentionRate: 1, discountRate: 0, horizonPeriods: 5 })).toBe(500);
  });

  it("r = 0 is worth nothing after today", () => {
    expect(retentionClv({ ...base, retentionRate: 0, horizonPeriods: 10 })).toBe(0);
    expect(retentionClv({ ...base, retentionRate: 0, marginNow: true })).toBe(100);
  });
});

describe("retentionClv: invariants", () => {
  it("grows with the horizon and tends to the infinite-horizon value", () => {
    let previous = -Infinity;
    for (const n of [1, 2, 5, 10, 50, 200]) {
      const value = retentionClv({ ...base, horizonPeriods: n });
      expect(value).toBeGreaterThan(previous);
      previous = value;
    }
    expect(retentionClv({ ...base, horizonPeriods: 2000 })).toBeCloseTo(retentionClv(base), 9);
  });

  it("grows with retention and falls with the discount rate", () => {
    expect(retentionClv({ ...base, retentionRate: 0.85 })).toBeGreaterThan(retentionClv(base));
    expect(retentionClv({ ...base, discountRate: 0.15 })).toBeLessThan(retentionClv(base));
  });

  it("is linear in the margin", () => {
    expect(retentionClv({ ...base, margin: 300 })).toBeCloseTo(3 * retentionClv(base), 10);
  });

  it("stays finite and accurate when r is just below 1 + d", () => {
    const value = retentionClv({ ...base, retentionRate: 1.0999999, discountRate: 0.1 });
    expect(value).toBeCloseTo((100 * 1.0999999) / (1.1 - 1.0999999), 0);
    expect(Number.isFinite(value)).toBe(true);
  });

  it("never returns −0", () => {
    expect(Object.is(retentionClv({ ...base, margin: -0 }), -0)).toBe(false);
  });
});

describe("retentionClv: invalid input is an INVALID_INPUT error naming the field", () => {
  it("r ≥ 1 + d on an infinite horizon explains why", () => {
    const error = errorOf({ retentionRate: 1.2 });
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("retentionRate");
    expect(error.message).toMatch(/retention rate 1\.2 must be below 1 \+ discount rate \(1\.1\)/);
    expect(error.message).toMatch(/no finite limit/);
  });

  it("r = 1 + d exactly is refused too", () => {
    expect(errorOf({ retentionRate: 1, discountRate: 0 }).argument).toBe("retentionRate");
  });

  it("a finite horizon refuses a retention rate above 1 (a percentage typed as a whole number)", () => {
    const error = errorOf({ retentionRate: 80, horizonPeriods: 5 });
    expect(error.argument).toBe("retentionRate");
    expect(error.message).toMatch(/between 0 and 1/);
  });

  it("negative retention, discount ≤ −1, non-finite margin and bad horizons are refused", () => {
    expect(errorOf({ retentionRate: -0.1 }).argument).toBe("retentionRate");
    expect(errorOf({ discountRate: -1 }).argument).toBe("discountRate");
    expect(errorOf({ discountRate: Number.NaN }).argument).toBe("discountRate");
    expect(errorOf({ margin: Number.POSITIVE_INFINITY }).argument).toBe("margin");
    expect(errorOf({ horizonPeriods: 0 }).argument).toBe("horizonPeriods");
    expect(errorOf({ horizonPeriods: 2.5 }).argument).toBe("horizonPeriods");
    expect(errorOf({ horizonPeriods: -3 }).argument).toBe("horizonPeriods");
  });

  it("an overflowing result is an error, not Infinity", () => {
    const error = errorOf({ margin: 1e308, retentionRate: 0.99, discountRate: 0 });
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toMatch(/too large/);
  });
});
