import { describe, expect, it } from "vitest";
import { bgNbdExpectedPurchases } from "../../../src/engine/clv/bgNbd";
import { discountedClv, discountedPurchases, periodSchedule } from "../../../src/engine/clv/discountedClv";
import { gammaGammaExpectedSpend } from "../../../src/engine/clv/gammaGamma";
import { isEngineError } from "../../../src/engine/errors";

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);
const BG = { r: 0.242593, alpha: 4.41353, a: 0.792886, b: 2.42575 };
const GG = { p: 6.2488, q: 3.74459, gamma: 15.4477 };

describe("discountedClv, lifetimes convention (12 monthly steps of 4.345 weeks, 1% per month, end of step)", () => {
  // CDNOW (R) IDs 1, 2, 3, 100, 1000 with BG/NBD + Gamma-Gamma: issue 3 reference values from lifetimes.
  const customers: Array<[number, number, number, number, number, number]> = [
    [2, 30.43, 38.86, 2, 22.35, 36.2785],
    [1, 1.71, 38.86, 1, 11.77, 4.63747],
    [0, 0, 38.86, 0, 0, 8.34409],
    [1, 23.86, 38.29, 1, 26.22, 21.8863],
    [4, 24.43, 33.57, 4, 16.26, 50.7023],
  ];
  const schedule = { stepPeriods: 4.345, horizonPeriods: 12 * 4.345, discountRatePerStep: 0.01 };
  customers.forEach(([x, t_x, T, xm, mbar, expected], i) => {
    it(`customer ${[1, 2, 3, 100, 1000][i]}: CLV ${expected}`, () => {
      const clv = discountedClv((t) => bgNbdExpectedPurchases(BG, t, x, t_x, T), gammaGammaExpectedSpend(GG, xm, mbar), schedule);
      expect(relative(clv, expected)).toBeLessThan(1e-4);
    });
  });
});

describe("periodSchedule (annual rate → compound rate per period, one step per period)", () => {
  it("10% a year is (1.1)^(7/365.25) − 1 per week and (1.1)^(1/12) − 1 per month", () => {
    expect(periodSchedule(52, 0.1, "week").discountRatePerStep).toBeCloseTo(Math.pow(1.1, 7 / 365.25) - 1, 15);
    expect(periodSchedule(12, 0.1, "month").discountRatePerStep).toBeCloseTo(Math.pow(1.1, 1 / 12) - 1, 15);
    expect(periodSchedule(365, 0.1, "day").discountRatePerStep).toBeCloseTo(Math.pow(1.1, 1 / 365.25) - 1, 15);
  });
  it("a year in weeks, months or days discounts a year of purchases alike (no hidden unit conversion)", () => {
    const flat = (periodsPerYear: number) => (t: number) => (10 * t) / periodsPerYear; // 10 purchases a year
    const weeks = discountedPurchases(flat(365.25 / 7), periodSchedule(365.25 / 7, 0.1, "week"));
    const months = discountedPurchases(flat(12), periodSchedule(12, 0.1, "month"));
    const days = discountedPurchases(flat(365.25), periodSchedule(365.25, 0.1, "day"));
    expect(relative(weeks, months)).toBeLessThan(0.01);
    expect(relative(days, months)).toBeLessThan(0.01);
    expect(months).toBeLessThan(10);
    expect(months).toBeGreaterThan(10 / 1.1);
  });
  it("with a 0% rate, discounted purchases are the expected purchases in the horizon", () => {
    const f = (t: number) => bgNbdExpectedPurchases(BG, t, 2, 30.43, 38.86);
    expect(relative(discountedPurchases(f, periodSchedule(52, 0, "week")), f(52))).toBeLessThan(1e-12);
  });
  it("a horizon that is not a whole number of steps ends with a partial step", () => {
    const linear = (t: number) => t;
    expect(discountedPurchases(linear, { stepPeriods: 1, horizonPeriods: 2.5, discountRatePerStep: 0 })).toBeCloseTo(2.5, 12);
    expect(discountedPurchases(linear, { stepPeriods: 1, horizonPeriods: 2.5, discountRatePerStep: 0.1 })).toBeCloseTo(
      1 / 1.1 + 1 / 1.21 + 0.5 / Math.pow(1.1, 2.5),
      12,
    );
  });
  it("grows with the horizon and falls with the discount rate", () => {
    const f = (t: number) => bgNbdExpectedPurchases(BG, t, 4, 24.43, 33.57);
    const at = (h: number, d: number) => discountedPurchases(f, periodSchedule(h, d, "week"));
    expect(at(104, 0.1)).toBeGreaterThan(at(52, 0.1));
    expect(at(52, 0.2)).toBeLessThan(at(52, 0.1));
  });
  it("rejects a horizon <= 0 and a rate <= −1, naming the argument", () => {
    for (const [h, d, message] of [
      [0, 0.1, /^horizon: must be a number of periods above 0/],
      [52, -1, /^annual_discount_rate: must be above -1/],
    ] as const) {
      try {
        periodSchedule(h, d, "week");
        expect.unreachable();
      } catch (error) {
        expect(isEngineError(error, "INVALID_INPUT")).toBe(true);
        expect((error as Error).message).toMatch(message);
      }
    }
  });
});
