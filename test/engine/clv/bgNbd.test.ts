import { describe, expect, it } from "vitest";
import {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNew,
  bgNbdLogLikelihood,
  bgNbdLogLikelihoodDerivatives,
  bgNbdProbabilityAlive,
  bgNbdProbabilityOfPurchases,
  type BgNbdParams,
  fitBgNbd,
} from "../../../src/engine/clv/bgNbd";
import { simulateBgNbd } from "../../../src/engine/clv/simulate";
import { fitDataOf, summarizeCustomers } from "../../../src/engine/clv/summary";
import { isEngineError } from "../../../src/engine/errors";
import { hyp2f1 } from "../../../src/engine/math/hyp2f1";
import { seededUniform } from "../../../src/engine/math/random";
import { sharedDir, sharedSkipMessage } from "../../support/shared";
import { CDNOW_CALIBRATION_END, cdnowFrequencySummary, cdnowTransactions } from "./cdnowData";
import { secondDifference } from "../../support/engine";

function relative(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** Five significant digits: relative error below 5e-5 (half a unit in the 5th digit, rounded up). */
function expectSignificant5(actual: number, expected: number): void {
  expect(relative(actual, expected)).toBeLessThan(5e-5);
}

// Exact maximum-likelihood values on CDNOW (issue 3 table; checked against lifetimes, CLVTools and
// Fader, Hardie & Lee 2005, who publish 0.243, 4.414, 0.793, 2.426).
const R_PARAMS: BgNbdParams = { r: 0.242593, alpha: 4.41353, a: 0.792886, b: 2.42575 };

describe("fitBgNbd on CDNOW (Fader, Hardie & Lee 2005; lifetimes / CLVTools values)", () => {
  it("(R) cdnow_customers_summary.csv: r, alpha, a, b to 5 digits, LL −9582.42556, standard errors", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const R = cdnowFrequencySummary(dir);
    const data = fitDataOf({ frequency: R.x, recency: R.t_x, T: R.T });
    const fit = fitBgNbd(data);
    expect(fit.converged).toBe(true);
    expect(Math.abs(bgNbdLogLikelihood(fit.params, data) - fit.logLikelihood)).toBeLessThan(1e-8);
    expect(Math.abs(bgNbdLogLikelihood(R_PARAMS, data) - -9582.42556)).toBeLessThan(1e-3);
    expectSignificant5(fit.params.r, 0.242593);
    expectSignificant5(fit.params.alpha, 4.41353);
    expectSignificant5(fit.params.a, 0.792886);
    expectSignificant5(fit.params.b, 2.42575);
    expect(Math.abs(fit.logLikelihood - -9582.42556)).toBeLessThan(1e-4);
    expect(fit.standardErrors).not.toBeNull();
    expectSignificant5(fit.standardErrors!.r, 0.0125573);
    expectSignificant5(fit.standardErrors!.alpha, 0.378221);
    expectSignificant5(fit.standardErrors!.a, 0.185719);
    expectSignificant5(fit.standardErrors!.b, 0.705345);
  });

  it("(F) summary built from CDNOW_sample.txt: r, alpha, a, b to 5 digits, LL −9582.42921", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const summary = summarizeCustomers(cdnowTransactions(dir), { asOf: CDNOW_CALIBRATION_END, periodUnit: "week" });
    const fit = fitBgNbd(fitDataOf(summary));
    expect(fit.converged).toBe(true);
    expectSignificant5(fit.params.r, 0.242595);
    expectSignificant5(fit.params.alpha, 4.4136);
    expectSignificant5(fit.params.a, 0.792922);
    expectSignificant5(fit.params.b, 2.42591);
    expect(Math.abs(fit.logLikelihood - -9582.42921)).toBeLessThan(1e-4);
  });

  it("the same fit in days has alpha 7× larger and the same r, a, b and LL up to the unit's Jacobian (no unit-dependent tuning)", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const t = cdnowTransactions(dir);
    const weeks = fitBgNbd(fitDataOf(summarizeCustomers(t, { asOf: CDNOW_CALIBRATION_END, periodUnit: "week" })));
    const days = fitBgNbd(fitDataOf(summarizeCustomers(t, { asOf: CDNOW_CALIBRATION_END, periodUnit: "day" })));
    expect(days.converged).toBe(true);
    expect(relative(days.params.alpha, 7 * weeks.params.alpha)).toBeLessThan(1e-6);
    expect(relative(days.params.r, weeks.params.r)).toBeLessThan(1e-6);
    expect(relative(days.params.b, weeks.params.b)).toBeLessThan(1e-6);
  });
});

describe("BG/NBD predictions on CDNOW (R) (issue 3 reference values, lifetimes)", () => {
  // ID 1, 2, 3, 100, 1000 of cdnow_customers_summary.csv.
  const customers = [
    { id: 1, x: 2, t_x: 30.43, T: 38.86, expected: 1.22591, alive: 0.726609 },
    { id: 2, x: 1, t_x: 1.71, T: 38.86, expected: 0.203251, alive: 0.212227 },
    { id: 3, x: 0, t_x: 0, T: 38.86, expected: 0.194781, alive: 1 },
    { id: 100, x: 1, t_x: 23.86, T: 38.29, expected: 0.626795, alive: 0.646988 },
    { id: 1000, x: 4, t_x: 24.43, T: 33.57, expected: 2.35296, alive: 0.680351 },
  ];
  it("the histories of IDs 1, 2, 3, 100, 1000 are as assumed here", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const R = cdnowFrequencySummary(dir);
    for (const c of customers) {
      const i = R.id.indexOf(String(c.id));
      expect([R.x[i], R.t_x[i], R.T[i]]).toEqual([c.x, c.t_x, c.T]);
    }
  });
  for (const c of customers) {
    it(`ID ${c.id}: expected purchases in 39 weeks ${c.expected}, P(alive) ${c.alive}`, () => {
      expect(relative(bgNbdExpectedPurchases(R_PARAMS, 39, c.x, c.t_x, c.T), c.expected)).toBeLessThan(1e-4);
      expect(relative(bgNbdProbabilityAlive(R_PARAMS, c.x, c.t_x, c.T), c.alive)).toBeLessThan(1e-4);
    });
  }
  it("one-time buyers are alive with probability 1 by the model's construction (they had no chance to drop out)", () => {
    expect(bgNbdProbabilityAlive(R_PARAMS, 0, 0, 38.86)).toBe(1);
    expect(bgNbdProbabilityAlive(R_PARAMS, 0, 0, 1000)).toBe(1);
  });
});

describe("BG/NBD numerics (mpmath 40-digit values of Fader, Hardie & Lee 2005 eq. 10 at the (R) parameters)", () => {
  it("frequency 500 with recency = T = 1 (heavy buyer): finite and exact", () => {
    expect(relative(bgNbdExpectedPurchases(R_PARAMS, 39, 500, 1, 1), 1320.0498407618372)).toBeLessThan(1e-10);
    expect(relative(bgNbdProbabilityAlive(R_PARAMS, 500, 1, 1), 0.9984212334167544)).toBeLessThan(1e-12);
  });
  it("frequency 500, recency = T = 38.86", () => {
    expect(relative(bgNbdExpectedPurchases(R_PARAMS, 39, 500, 38.86, 38.86), 343.52001145586433)).toBeLessThan(1e-10);
  });
  it("frequency 500, last purchase long ago: P(alive) underflows to 0, never NaN", () => {
    const e = bgNbdExpectedPurchases(R_PARAMS, 39, 500, 0.5, 50);
    const p = bgNbdProbabilityAlive(R_PARAMS, 500, 0.5, 50);
    expect(Number.isFinite(e) && e >= 0 && e < 1e-300).toBe(true);
    expect(p >= 0 && p < 1e-300).toBe(true);
  });
  it("T tiny (1e-6): one-time buyer", () => {
    expect(relative(bgNbdExpectedPurchases(R_PARAMS, 39, 0, 0, 1e-6), 1.1950164260903817)).toBeLessThan(1e-10);
  });
  it("long horizon: 520 weeks, x = 3, t_x = 10, T = 20", () => {
    expect(relative(bgNbdExpectedPurchases(R_PARAMS, 520, 3, 10, 20), 9.105457834470233)).toBeLessThan(1e-10);
    expect(relative(bgNbdProbabilityAlive(R_PARAMS, 3, 10, 20), 0.502691449104486)).toBeLessThan(1e-12);
  });
  it("is continuous through a = 1, where the textbook form divides by a − 1 (mpmath at a = 1 ± 1e-7)", () => {
    const at = (a: number) => bgNbdExpectedPurchases({ ...R_PARAMS, a }, 39, 2, 30.43, 38.86);
    expect(relative(at(1.0000001), 1.1019669177500786)).toBeLessThan(1e-9);
    expect(relative(at(0.9999999), 1.1019670269761224)).toBeLessThan(1e-9);
    const exact = at(1);
    expect(exact).toBeGreaterThan(1.1019669177);
    expect(exact).toBeLessThan(1.101967027);
  });
  it("agrees with eq. 10 evaluated with the general hyp2f1 (src/engine/math/hyp2f1)", () => {
    const { r, alpha, a, b } = R_PARAMS;
    for (const [t, x, t_x, T] of [[10, 0, 0, 5], [39, 4, 20, 30], [100, 12, 35, 39]]) {
      const z = t / (alpha + T + t);
      const textbook =
        (((a + b + x - 1) / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z))) /
        (1 + (x > 0 ? (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + t_x), r + x) : 0));
      expect(relative(bgNbdExpectedPurchases(R_PARAMS, t, x, t_x, T), textbook)).toBeLessThan(1e-9);
    }
  });
  it("new-customer expectation equals eq. 7 and grows with t", () => {
    const { r, alpha, a, b } = R_PARAMS;
    const t = 39;
    const eq7 = ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, t / (alpha + t)));
    expect(relative(bgNbdExpectedPurchasesNew(R_PARAMS, t), eq7)).toBeLessThan(1e-9);
    let previous = 0;
    for (const horizon of [0, 1, 5, 26, 52, 104]) {
      const value = bgNbdExpectedPurchasesNew(R_PARAMS, horizon);
      expect(value).toBeGreaterThanOrEqual(previous);
      previous = value;
    }
    expect(bgNbdExpectedPurchasesNew(R_PARAMS, 0)).toBe(0);
  });
  it("P(X(t) = x) (eq. 8) sums to 1 and its mean is E[X(t)] (eq. 7)", () => {
    let total = 0;
    let mean = 0;
    for (let x = 0; x < 400; x++) {
      const p = bgNbdProbabilityOfPurchases(R_PARAMS, 39, x);
      total += p;
      mean += x * p;
    }
    expect(Math.abs(total - 1)).toBeLessThan(1e-9);
    expect(relative(mean, bgNbdExpectedPurchasesNew(R_PARAMS, 39))).toBeLessThan(1e-6);
  });
});

describe("fitBgNbd errors and recovery", () => {
  it("refuses data where nobody bought twice (INSUFFICIENT_DATA)", () => {
    const data = { x: Float64Array.from([0]), t_x: Float64Array.from([0]), T: Float64Array.from([10]), weight: Float64Array.from([50]) };
    try {
      fitBgNbd(data);
      expect.unreachable();
    } catch (error) {
      expect(isEngineError(error, "INSUFFICIENT_DATA")).toBe(true);
      expect((error as Error).message).toMatch(/^fitBgNbd needs at least one customer with a repeat purchase/);
    }
  });
  it("refuses a single customer (INSUFFICIENT_DATA)", () => {
    const data = { x: Float64Array.from([3]), t_x: Float64Array.from([5]), T: Float64Array.from([10]), weight: Float64Array.from([1]) };
    expect(() => fitBgNbd(data)).toThrow(/^fitBgNbd needs at least 2 customers/);
  });
  it("simulation (seed 20241122, 20,000 customers): recovers r, alpha, a, b within 3 standard errors", () => {
    const truth: BgNbdParams = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
    const uniform = seededUniform(20241122);
    const T = Float64Array.from({ length: 20_000 }, () => 26 + 13 * uniform());
    const sim = simulateBgNbd(truth, T, uniform);
    const fit = fitBgNbd(fitDataOf({ frequency: sim.x, recency: sim.t_x, T: sim.T }));
    expect(fit.converged).toBe(true);
    for (const key of ["r", "alpha", "a", "b"] as const) {
      expect(Math.abs(fit.params[key] - truth[key])).toBeLessThan(3 * fit.standardErrors![key]);
    }
  });
});

describe("BG/NBD analytic derivatives (Fader, Hardie & Lee 2005 eq. 6, differentiated; checked against differences of the log-likelihood)", () => {
  // 2,000 simulated customers with continuous times: every triple distinct, most with x > 0.
  const uniform = seededUniform(7);
  const ages = Float64Array.from({ length: 2000 }, () => 26 + 13 * uniform());
  const sim = simulateBgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, ages, uniform);
  const data = fitDataOf({ frequency: sim.x, recency: sim.t_x, T: sim.T });
  const ll = (v: readonly number[]) => bgNbdLogLikelihood({ r: v[0], alpha: v[1], a: v[2], b: v[3] }, data);
  const vector = (p: BgNbdParams) => [p.r, p.alpha, p.a, p.b];

  /** Richardson extrapolation of the O(h²) difference to O(h⁴): (4·D(h/2) − D(h)) / 3, h = 0.4 % of each parameter. */
  const numericHessian = (v: readonly number[]) =>
    [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (4 * secondDifference(ll, v, i, j, 2e-3) - secondDifference(ll, v, i, j, 4e-3)) / 3));

  const fit = fitBgNbd(data);
  const points: [string, BgNbdParams][] = [
    ["a point away from the optimum (r 0.4, alpha 3, a 1.2, b 1.5)", { r: 0.4, alpha: 3, a: 1.2, b: 1.5 }],
    ["the maximum-likelihood estimate", fit.params],
  ];
  for (const [name, params] of points) {
    it(`at ${name}: value as bgNbdLogLikelihood, gradient as first differences and all 16 Hessian entries within 1e-5 relative of differences`, () => {
      const v = vector(params);
      const analytic = bgNbdLogLikelihoodDerivatives(params, data);
      expect(analytic.logLikelihood).toBe(ll(v));
      for (let i = 0; i < 4; i++) {
        const h = 1e-5 * v[i];
        const up = [...v];
        const down = [...v];
        up[i] += h;
        down[i] -= h;
        const numeric = (ll(up) - ll(down)) / (2 * h);
        // The difference carries the rounding error of ℓ divided by h (about 1e-10·|ℓ|/1e-5): at the
        // optimum the gradient itself is 0 and only that floor is left.
        expect(Math.abs(analytic.gradient[i] - numeric)).toBeLessThan(1e-9 * Math.abs(analytic.logLikelihood) + 1e-8 * Math.abs(numeric));
      }
      const numeric = numericHessian(v);
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          expect(relative(analytic.hessian[i * 4 + j], numeric[i][j]), `H[${i}][${j}]`).toBeLessThan(1e-5);
        }
      }
    });
  }

  it("standard errors from the analytic Hessian equal those from second differences of the log-likelihood (1e-4 relative)", () => {
    expect(fit.converged).toBe(true);
    const information = numericHessian(vector(fit.params)).map((row) => row.map((value) => -value));
    // Invert the 4×4 observed information by Gauss-Jordan elimination with partial pivoting.
    const augmented = information.map((row, i) => [...row, ...[0, 1, 2, 3].map((j) => (i === j ? 1 : 0))]);
    for (let c = 0; c < 4; c++) {
      let pivot = c;
      for (let i = c + 1; i < 4; i++) if (Math.abs(augmented[i][c]) > Math.abs(augmented[pivot][c])) pivot = i;
      [augmented[c], augmented[pivot]] = [augmented[pivot], augmented[c]];
      const divisor = augmented[c][c];
      for (let j = 0; j < 8; j++) augmented[c][j] /= divisor;
      for (let i = 0; i < 4; i++) {
        if (i === c) continue;
        const factor = augmented[i][c];
        for (let j = 0; j < 8; j++) augmented[i][j] -= factor * augmented[c][j];
      }
    }
    const numeric = [0, 1, 2, 3].map((i) => Math.sqrt(augmented[i][4 + i]));
    const analytic = vector(fit.standardErrors!);
    analytic.forEach((se, i) => expect(relative(se, numeric[i])).toBeLessThan(1e-4));
  });

  it("Newton converges in a handful of iterations from the default start", () => {
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThanOrEqual(20);
  });
});
