import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { abTest } from "../../../src/engine/experiments/abTest";
import { holdoutLift, type LiftInput } from "../../../src/engine/experiments/lift";
import { engineErrorOf, invalidInputOf } from "../../support/engine";

const base: LiftInput = { conversionsTest: 300, sizeTest: 10000, conversionsControl: 250, sizeControl: 10000, confidence: 0.95 };

describe("holdoutLift: domain.md §6 check values (300/10,000 test vs 250/10,000 control)", () => {
  const result = holdoutLift(base);

  it("rates, lift 20.0% and incremental conversions 50", () => {
    expect(result.rateTest).toBe(0.03);
    expect(result.rateControl).toBe(0.025);
    expect((result.lift * 100).toFixed(1)).toBe("20.0");
    expect(result.lift).toBeCloseTo(0.2, 12);
    expect(result.incrementalConversions).toBeCloseTo(50, 9);
  });

  it("z 2.162 and p 0.0306 (Python statistics.NormalDist: z = 2.1619410838005555, p = 0.03062271773350833)", () => {
    expect(result.z.toFixed(3)).toBe("2.162");
    expect(result.pValue.toFixed(4)).toBe("0.0306");
    expect(Math.abs(result.z - 2.1619410838005555)).toBeLessThan(1e-12);
    expect(Math.abs(result.pValue - 0.03062271773350833)).toBeLessThan(1e-10);
    expect(result.significant).toBe(true);
  });

  it("lift interval by the log rate ratio (delta method): [+1.69%, +41.6%] (Python: 0.01692649181972864, 0.41603155349331766)", () => {
    expect(Math.abs(result.liftLow! - 0.01692649181972864)).toBeLessThan(1e-9);
    expect(Math.abs(result.liftHigh! - 0.41603155349331766)).toBeLessThan(1e-9);
    // Asymmetric around the lift on the ratio scale: the log of 1 + lift is the midpoint.
    expect(Math.log1p(result.liftLow!) + Math.log1p(result.liftHigh!)).toBeCloseTo(2 * Math.log(1.2), 12);
  });

  it("difference interval, unpooled Wald (Python: 0.0004676495012342829, 0.009532350498765711)", () => {
    expect(result.difference).toBeCloseTo(0.005, 15);
    expect(Math.abs(result.differenceLow - 0.0004676495012342829)).toBeLessThan(1e-10);
    expect(Math.abs(result.differenceHigh - 0.009532350498765711)).toBeLessThan(1e-10);
  });

  it("z, p and intervals are IMC.ABTEST's with control as A and test as B", () => {
    const ab = abTest({ conversionsA: 250, visitorsA: 10000, conversionsB: 300, visitorsB: 10000, confidence: 0.95 });
    expect(result.z).toBe(ab.z);
    expect(result.pValue).toBe(ab.pValue);
    expect(result.liftLow).toBe(ab.relativeLiftLow);
  });

  it("a verdict in words", () => {
    expect(result.verdict).toBe("Test converts more than control: lift +20.0% (p = 0.0306 < 0.05)");
  });

  it("without revenue or spend the money measures are null", () => {
    expect(result.incrementalRevenue).toBeNull();
    expect(result.iroas).toBeNull();
    expect(result.baselineRevenue).toBeNull();
    expect(result.costPerIncrementalConversion).toBeNull();
  });
});

describe("holdoutLift: revenue 15,000 vs 12,000 and spend 1,000", () => {
  const result = holdoutLift({ ...base, revenueTest: 15000, revenueControl: 12000, spend: 1000 });

  it("incremental revenue 3,000 and iROAS 3.0", () => {
    expect(result.incrementalRevenue).toBeCloseTo(3000, 9);
    expect(result.iroas).toBeCloseTo(3, 12);
  });

  it("revenue per customer 1.50 vs 1.20; the baseline (ROCI's) is 1.20 × 10,000 = 12,000", () => {
    expect(result.revenuePerCustomerTest).toBeCloseTo(1.5, 12);
    expect(result.revenuePerCustomerControl).toBeCloseTo(1.2, 12);
    expect(result.baselineRevenue).toBeCloseTo(12000, 9);
  });

  it("cost per incremental conversion 1,000 / 50 = 20", () => {
    expect(result.costPerIncrementalConversion).toBeCloseTo(20, 9);
  });

  it("unequal group sizes scale the control's revenue per customer to the test group", () => {
    const r = holdoutLift({ conversionsTest: 300, sizeTest: 10000, conversionsControl: 25, sizeControl: 1000, revenueTest: 15000, revenueControl: 1200, confidence: 0.95 });
    expect(r.incrementalRevenue).toBeCloseTo(15000 - 1.2 * 10000, 9);
    expect(r.incrementalConversions).toBeCloseTo((0.03 - 0.025) * 10000, 9);
  });
});

describe("holdoutLift: edges and invariants", () => {
  it("a test group converting less gives a negative lift and says so", () => {
    const r = holdoutLift({ ...base, conversionsTest: 200 });
    expect(r.lift).toBeCloseTo(-0.2, 12);
    expect(r.incrementalConversions).toBeCloseTo(-50, 9);
    expect(r.verdict).toMatch(/^Test converts less than control/);
  });

  it("a small difference is not significant", () => {
    const r = holdoutLift({ ...base, conversionsTest: 260 });
    expect(r.significant).toBe(false);
    expect(r.verdict).toMatch(/^No significant difference between test and control: lift \+4\.0% \(p = 0\.\d+ ≥ 0\.05\)$/);
  });

  it("no test conversion: lift −100% and no interval (the log ratio is undefined)", () => {
    const r = holdoutLift({ ...base, conversionsTest: 0 });
    expect(r.lift).toBe(-1);
    expect(r.liftLow).toBeNull();
    expect(r.liftHigh).toBeNull();
  });

  it("a negative incremental result gives no cost per incremental conversion", () => {
    const r = holdoutLift({ ...base, conversionsTest: 200, spend: 500 });
    expect(r.costPerIncrementalConversion).toBeNull();
  });

  it("the interval holds the lift and widens with the confidence level", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 500, max: 5000 }), (xT, xC, n) => {
        const at95 = holdoutLift({ conversionsTest: xT, sizeTest: n, conversionsControl: xC, sizeControl: n, confidence: 0.95 });
        const at99 = holdoutLift({ conversionsTest: xT, sizeTest: n, conversionsControl: xC, sizeControl: n, confidence: 0.99 });
        expect(at95.liftLow!).toBeLessThanOrEqual(at95.lift + 1e-12);
        expect(at95.liftHigh!).toBeGreaterThanOrEqual(at95.lift - 1e-12);
        expect(at95.liftLow!).toBeGreaterThan(-1);
        expect(at99.liftLow!).toBeLessThanOrEqual(at95.liftLow! + 1e-12);
        expect(at99.liftHigh!).toBeGreaterThanOrEqual(at95.liftHigh! - 1e-12);
        expect(at95.pValue).toBeGreaterThanOrEqual(0);
        expect(at95.pValue).toBeLessThanOrEqual(1);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe("holdoutLift: errors name the input", () => {
  it("zero control conversions", () => {
    const error = invalidInputOf(() => holdoutLift({ ...base, conversionsControl: 0 }));
    expect(error.argument).toBe("conversionsControl");
    expect(error.message).toMatch(/control group has no conversions/);
  });

  it("size 0", () => {
    expect(invalidInputOf(() => holdoutLift({ ...base, sizeTest: 0 })).argument).toBe("sizeTest");
    expect(invalidInputOf(() => holdoutLift({ ...base, sizeControl: 0 })).argument).toBe("sizeControl");
  });

  it("conversions above the size", () => {
    const error = invalidInputOf(() => holdoutLift({ ...base, conversionsTest: 10001 }));
    expect(error.argument).toBe("conversionsTest");
    expect(error.message).toBe("holdoutLift: conversions of the test group (10001) cannot exceed its size (10000)");
  });

  it("a rate instead of a count", () => {
    expect(invalidInputOf(() => holdoutLift({ ...base, conversionsControl: 0.025 })).argument).toBe("conversionsControl");
  });

  it("one revenue without the other names the missing one", () => {
    expect(invalidInputOf(() => holdoutLift({ ...base, revenueTest: 100 })).argument).toBe("revenueControl");
    expect(invalidInputOf(() => holdoutLift({ ...base, revenueControl: 100 })).argument).toBe("revenueTest");
  });

  it("revenues too large to subtract are refused, not returned as Infinity", () => {
    expect(invalidInputOf(() => holdoutLift({ ...base, revenueTest: 1e308, revenueControl: -1e308 })).argument).toBe("revenueTest");
  });

  it("spend 0 or below, confidence outside (0, 1)", () => {
    expect(invalidInputOf(() => holdoutLift({ ...base, spend: 0 })).argument).toBe("spend");
    expect(invalidInputOf(() => holdoutLift({ ...base, confidence: 95 })).argument).toBe("confidence");
  });

  it("everyone converted in both groups: nothing to compare", () => {
    const error = engineErrorOf(() => holdoutLift({ conversionsTest: 10, sizeTest: 10, conversionsControl: 5, sizeControl: 5, confidence: 0.95 }));
    expect(error.code).toBe("INSUFFICIENT_DATA");
  });
});
