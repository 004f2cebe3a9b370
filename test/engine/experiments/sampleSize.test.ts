import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleSizeExact, sampleSizePerArm } from "../../../src/engine/experiments/sampleSize";
import { engineErrorOf } from "../../support/engine";

const base = { baselineRate: 0.05, expectedRate: 0.06, confidence: 0.95, power: 0.8 };

describe("sampleSizePerArm: domain.md §6 check (5% → 6%, α = 0.05, power 0.8)", () => {
  it("the formula gives 8,154.986 (mpmath at 40 digits: 8154.986043988703), so 8,155 per arm", () => {
    expect(Math.abs(sampleSizeExact(base) - 8154.986043988703)).toBeLessThan(1e-8);
    expect(sampleSizePerArm(base)).toBe(8155);
  });

  it("is symmetric in the direction of the change", () => {
    expect(sampleSizePerArm({ ...base, baselineRate: 0.06, expectedRate: 0.05 })).toBe(8155);
  });

  it("needs more visitors for more confidence or power", () => {
    expect(sampleSizePerArm({ ...base, confidence: 0.99 })).toBeGreaterThan(8155);
    expect(sampleSizePerArm({ ...base, power: 0.9 })).toBeGreaterThan(8155);
  });

  it("property: never fewer visitors than the formula, and less than one more", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (p1, p2) => {
        fc.pre(Math.abs(p1 - p2) > 1e-4);
        const input = { ...base, baselineRate: p1, expectedRate: p2 };
        const exact = sampleSizeExact(input);
        const whole = sampleSizePerArm(input);
        return Number.isInteger(whole) && whole >= exact - 1e-6 * exact && whole < exact + 1 + 1e-9;
      }),
      { seed: 3, numRuns: 500 },
    );
  });
});

describe("sampleSizePerArm errors", () => {
  it("rates must be shares", () => {
    const error = engineErrorOf(() => sampleSizePerArm({ ...base, baselineRate: 5 }));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("baselineRate");
    expect(error.message).toBe("sampleSizePerArm: baseline rate must be strictly between 0 and 1 (0.05 for 5%), got 5");
  });

  it("equal rates are refused", () => {
    const error = engineErrorOf(() => sampleSizePerArm({ ...base, expectedRate: 0.05 }));
    expect(error.argument).toBe("expectedRate");
    expect(error.message).toMatch(/^sampleSizePerArm: expected rate must differ from the baseline rate \(0\.05\)/);
  });

  it("power and confidence must be shares", () => {
    expect(engineErrorOf(() => sampleSizePerArm({ ...base, power: 1 })).argument).toBe("power");
    expect(engineErrorOf(() => sampleSizePerArm({ ...base, confidence: 0 })).argument).toBe("confidence");
  });
});
