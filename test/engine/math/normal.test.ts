import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { erfc, normalCdf, normalQuantile, normalUpperTail } from "../../../src/engine/math/normal";
import { engineErrorOf } from "../../support/engine";

/** Relative difference, for values spanning many orders of magnitude. */
const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe("normalCdf against mpmath.ncdf at 40 digits", () => {
  // x, Φ(x) computed with mpmath (mp.dps = 40), rounded to 20 significant digits.
  const cases: [number, number][] = [
    [-37.5, 4.605353009581955e-308],
    [-20, 2.7536241186062337e-89],
    [-10, 7.619853024160525e-24],
    [-8, 6.220960574271784e-16],
    [-5, 2.866515718791939e-7],
    [-3, 0.0013498980316300946],
    [-1.96, 0.024997895148220435],
    [-1, 0.15865525393145705],
    [-0.5, 0.3085375387259869],
    [0, 0.5],
    [0.3, 0.6179114221889527],
    [1, 0.8413447460685429],
    [2, 0.9772498680518208],
    [3, 0.9986501019683699],
    [5, 0.9999997133484281],
    [8, 0.9999999999999993],
  ];
  for (const [x, expected] of cases) {
    it(`Φ(${x}) = ${expected}`, () => {
      // The deep tail keeps its relative digits because erfc is computed directly (not 1 − erf); the
      // rounding of x/√2 costs about 2·(x²/2)·2⁻⁵³ relative, 4e-14 at x = −20.
      expect(relative(normalCdf(x), expected)).toBeLessThan(x < -5 ? 1e-12 : 1e-14);
    });
  }

  it("Φ(1.959963984540054) = 0.975 to 1e-15 (the two-sided 95% critical value)", () => {
    expect(Math.abs(normalCdf(1.959963984540054) - 0.975)).toBeLessThan(1e-15);
  });

  it("the upper tail equals Φ(−x) and keeps its relative accuracy where 1 − Φ(x) would be 0", () => {
    expect(normalUpperTail(8)).toBe(normalCdf(-8));
    expect(relative(normalUpperTail(10), 7.619853024160525e-24)).toBeLessThan(1e-14);
    expect(1 - normalCdf(10)).toBe(0);
  });

  it("is 0 and 1 at the infinities and far out, never NaN", () => {
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
  });
});

describe("erfc against mpmath.erfc", () => {
  it("matches at points in each of Cody's three intervals, both signs", () => {
    // mpmath.erfc at 40 digits.
    expect(relative(erfc(0.25), 0.7236736098317631)).toBeLessThan(1e-15);
    expect(relative(erfc(-0.25), 1.276326390168237)).toBeLessThan(1e-15);
    expect(relative(erfc(2), 0.004677734981047266)).toBeLessThan(1e-15);
    expect(relative(erfc(-2), 1.9953222650189528)).toBeLessThan(1e-15);
    expect(relative(erfc(6), 2.1519736712498913e-17)).toBeLessThan(1e-14);
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
  });
});

describe("normalQuantile (Wichura AS 241)", () => {
  it("gives the classic critical values (mpmath: √2·erfinv(2p − 1))", () => {
    expect(Math.abs(normalQuantile(0.975) - 1.9599639845400543)).toBeLessThan(1e-15);
    expect(Math.abs(normalQuantile(0.8) - 0.8416212335729142)).toBeLessThan(1e-15);
    expect(Math.abs(normalQuantile(0.995) - 2.575829303548901)).toBeLessThan(1e-14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(Math.abs(normalQuantile(1e-10) + 6.361340902404056)).toBeLessThan(1e-12);
  });

  it("is antisymmetric: Φ⁻¹(1 − p) = −Φ⁻¹(p)", () => {
    for (const p of [0.001, 0.01, 0.1, 0.3, 0.45]) expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 12);
  });

  it("inverts the CDF to 1e-12 on a grid of 100,000 probabilities", () => {
    let worst = 0;
    for (let i = 1; i < 100_000; i++) {
      const p = i / 100_000;
      worst = Math.max(worst, Math.abs(normalCdf(normalQuantile(p)) - p));
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it("property: Φ(Φ⁻¹(p)) = p to 1e-12 absolute and 1e-12 relative in the tails", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1 - 1e-16, noNaN: true }), (p) => {
        fc.pre(p > 0 && p < 1);
        const back = normalCdf(normalQuantile(p));
        return Math.abs(back - p) <= 1e-12 && (p > 1e-3 || relative(back, p) < 1e-12);
      }),
      { seed: 20261122, numRuns: 2000 },
    );
  });

  it("property: Φ⁻¹(Φ(x)) = x for −8 ≤ x ≤ 5", () => {
    // Above 5, Φ(x) is within 3e-7 of 1 and doubles there are too coarse to pin x down.
    fc.assert(
      fc.property(fc.double({ min: -8, max: 5, noNaN: true }), (x) => Math.abs(normalQuantile(normalCdf(x)) - x) <= 1e-9),
      { seed: 7, numRuns: 2000 },
    );
  });

  it("refuses probabilities outside (0, 1) with INVALID_INPUT", () => {
    for (const p of [0, 1, -0.1, 1.5, Number.NaN]) {
      const error = engineErrorOf(() => normalQuantile(p));
      expect(error.code).toBe("INVALID_INPUT");
      expect(error.message).toMatch(/^normalQuantile: probability must be strictly between 0 and 1/);
    }
  });
});
