import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { abTest, formatPValue } from "../../../src/engine/experiments/abTest";
import { engineErrorOf } from "../../support/engine";

const base = { conversionsA: 250, visitorsA: 5000, conversionsB: 295, visitorsB: 5000, confidence: 0.95 };

describe("abTest: domain.md §6 check values (250/5000 vs 295/5000)", () => {
  const result = abTest(base);

  it("rates and lifts", () => {
    expect(result.rateA).toBe(0.05);
    expect(result.rateB).toBe(0.059);
    expect(result.absoluteLift).toBeCloseTo(0.009, 15);
    expect(result.relativeLift).toBeCloseTo(0.18, 14);
  });

  it("z = 1.982 and p = 0.0474 (mpmath at 40 digits: z = 1.9823644281093058, p = 0.04743846786449448)", () => {
    expect(result.z.toFixed(3)).toBe("1.982");
    expect(result.pValue.toFixed(4)).toBe("0.0474");
    expect(Math.abs(result.z - 1.9823644281093058)).toBeLessThan(1e-13);
    expect(Math.abs(result.pValue - 0.04743846786449448)).toBeLessThan(1e-13);
  });

  it("CI of the difference [+0.01%, +1.79%] (unpooled Wald; mpmath: 0.000103447339, 0.017896552661)", () => {
    expect((result.differenceLow * 100).toFixed(2)).toBe("0.01");
    expect((result.differenceHigh * 100).toFixed(2)).toBe("1.79");
    expect(Math.abs(result.differenceLow - 0.0001034473390072246)).toBeLessThan(1e-13);
    expect(Math.abs(result.differenceHigh - 0.017896552660992774)).toBeLessThan(1e-13);
  });

  it("CI of the relative lift by the log rate ratio (Katz 1978; mpmath: +0.165%, +39.01%)", () => {
    expect(Math.abs(result.relativeLiftLow! - 0.0016526094063819413)).toBeLessThan(1e-12);
    expect(Math.abs(result.relativeLiftHigh! - 0.3901027031968599)).toBeLessThan(1e-12);
  });

  it("verdict names the direction and the p-value", () => {
    expect(result.significant).toBe(true);
    expect(result.verdict).toBe("B is higher than A (p = 0.0474 < 0.05)");
  });
});

describe("abTest: other cases", () => {
  it("at 99% confidence the same data is not significant", () => {
    const result = abTest({ ...base, confidence: 0.99 });
    expect(result.significant).toBe(false);
    expect(result.verdict).toBe("No significant difference (p = 0.0474 ≥ 0.01)");
    expect(result.differenceLow).toBeLessThan(0);
  });

  it("a lower B says lower", () => {
    const result = abTest({ conversionsA: 295, visitorsA: 5000, conversionsB: 250, visitorsB: 5000, confidence: 0.95 });
    expect(result.z).toBeCloseTo(-1.982364428109306, 12);
    expect(result.verdict).toBe("B is lower than A (p = 0.0474 < 0.05)");
  });

  it("identical rates: z = 0, p = 1", () => {
    const result = abTest({ conversionsA: 10, visitorsA: 100, conversionsB: 20, visitorsB: 200, confidence: 0.95 });
    expect(result.z).toBe(0);
    expect(result.pValue).toBe(1);
    expect(result.verdict).toBe("No significant difference (p = 1 ≥ 0.05)");
  });

  it("zero conversions in A: no relative lift and no relative interval, the rest still computes", () => {
    const result = abTest({ conversionsA: 0, visitorsA: 1000, conversionsB: 12, visitorsB: 1000, confidence: 0.95 });
    expect(result.relativeLift).toBeNull();
    expect(result.relativeLiftLow).toBeNull();
    expect(result.relativeLiftHigh).toBeNull();
    expect(Number.isFinite(result.z)).toBe(true);
  });

  it("the p-value shows more digits when three would land on α", () => {
    expect(formatPValue(0.049996, 0.05)).toBe("0.049996");
    expect(formatPValue(0.0500004, 0.05)).toBe("0.05"); // "p = 0.05 ≥ 0.05" is true as shown
    expect(formatPValue(1.2345e-9, 0.05)).toBe("1.23e-9");
  });

  it("property: p is in [0, 1], the difference lies inside its interval, and the relative interval is above −100%", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100000 }), fc.integer({ min: 1, max: 100000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (n1, n2, s1, s2) => {
        const x1 = Math.floor(s1 * n1);
        const x2 = Math.floor(s2 * n2);
        fc.pre(x1 + x2 > 0 && x1 + x2 < n1 + n2);
        const r = abTest({ conversionsA: x1, visitorsA: n1, conversionsB: x2, visitorsB: n2, confidence: 0.95 });
        const inside = r.differenceLow <= r.absoluteLift + 1e-15 && r.absoluteLift <= r.differenceHigh + 1e-15;
        const rel = r.relativeLiftLow === null || (r.relativeLiftLow > -1 && r.relativeLiftLow <= r.relativeLift! + 1e-12);
        return r.pValue >= 0 && r.pValue <= 1 && inside && rel && (r.pValue < 0.05) === r.significant;
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe("abTest errors", () => {
  it("counts must be whole numbers", () => {
    const error = engineErrorOf(() => abTest({ ...base, conversionsA: 0.05 }));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("conversionsA");
    expect(error.message).toBe("abTest: conversions of A must be a whole number of at least 0 (a count, not a rate), got 0.05");
  });

  it("visitors must be at least 1", () => {
    const error = engineErrorOf(() => abTest({ ...base, visitorsB: 0 }));
    expect(error.argument).toBe("visitorsB");
    expect(error.message).toBe("abTest: visitors of B must be a whole number of at least 1, got 0");
  });

  it("conversions cannot exceed visitors", () => {
    const error = engineErrorOf(() => abTest({ ...base, conversionsB: 6000 }));
    expect(error.message).toBe("abTest: conversions of B (6000) cannot exceed its visitors (5000)");
  });

  it("confidence must be a share", () => {
    const error = engineErrorOf(() => abTest({ ...base, confidence: 95 }));
    expect(error.argument).toBe("confidence");
    expect(error.message).toMatch(/^abTest: confidence must be strictly between 0 and 1/);
  });

  it("no conversions at all is INSUFFICIENT_DATA, not NaN", () => {
    const error = engineErrorOf(() => abTest({ ...base, conversionsA: 0, conversionsB: 0 }));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toMatch(/^abTest: both variants converted no visitor/);
  });
});
