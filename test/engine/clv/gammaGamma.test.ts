import { describe, expect, it } from "vitest";
import { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood, toSpendData } from "../../../src/engine/clv/gammaGamma";
import { summarizeCustomers } from "../../../src/engine/clv/summary";
import { isEngineError } from "../../../src/engine/errors";
import { gammaDraw, seededUniform } from "../../../src/engine/math/random";
import { sharedDir, sharedSkipMessage } from "../../support/shared";
import { CDNOW_CALIBRATION_END, cdnowSummary, cdnowTransactions } from "./cdnowData";

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe("fitGammaGamma on CDNOW (Fader & Hardie 2013; lifetimes values in issue 3)", () => {
  it("(R) zbar of cdnow_customers_summary_with_transactions.csv: p, q, gamma to 5 digits, LL −4055.92324, 946 customers", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const R = cdnowSummary(dir);
    const data = toSpendData(R.x, R.zbar);
    const fit = fitGammaGamma(data);
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(946);
    expect(relative(fit.params.p, 6.2488)).toBeLessThan(5e-5);
    expect(relative(fit.params.q, 3.74459)).toBeLessThan(5e-5);
    expect(relative(fit.params.gamma, 15.4477)).toBeLessThan(5e-5);
    expect(Math.abs(fit.logLikelihood - -4055.92324)).toBeLessThan(1e-4);
    expect(Math.abs(gammaGammaLogLikelihood(fit.params, data) - fit.logLikelihood)).toBeLessThan(1e-8);
  });

  it("(F) average repeat values built from CDNOW_sample.txt: p, q, gamma to 5 digits, LL −4055.91770", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const s = summarizeCustomers(cdnowTransactions(dir), { asOf: CDNOW_CALIBRATION_END, periodUnit: "week" });
    const fit = fitGammaGamma(toSpendData(s.monetaryCount, s.monetary));
    expect(relative(fit.params.p, 6.24957)).toBeLessThan(5e-5);
    expect(relative(fit.params.q, 3.74423)).toBeLessThan(5e-5);
    expect(relative(fit.params.gamma, 15.4435)).toBeLessThan(5e-5);
    expect(Math.abs(fit.logLikelihood - -4055.9177)).toBeLessThan(1e-4);
  });

  it("conditional average value of IDs 1, 2, 3, 100, 1000 (R): 24.6586, 18.9115, 35.1710, 28.9517, 18.1311", () => {
    const params = { p: 6.2488, q: 3.74459, gamma: 15.4477 };
    // (x, zbar) of the five customers; ID 3 has no repeat purchase: the population mean pγ/(q − 1).
    const cases: Array<[number, number, number]> = [
      [2, 22.35, 24.6586],
      [1, 11.77, 18.9115],
      [0, 0, 35.171],
      [1, 26.22, 28.9517],
      [4, 16.26, 18.1311],
    ];
    for (const [x, mbar, expected] of cases) expect(relative(gammaGammaExpectedSpend(params, x, mbar), expected)).toBeLessThan(1e-4);
  });
});

describe("Gamma-Gamma edge cases", () => {
  it("q <= 1: the mean of a customer without repeat purchases does not exist (INSUFFICIENT_DATA, not NaN)", () => {
    try {
      gammaGammaExpectedSpend({ p: 2, q: 0.9, gamma: 10 }, 0, 0);
      expect.unreachable();
    } catch (error) {
      expect(isEngineError(error, "INSUFFICIENT_DATA")).toBe(true);
      expect((error as Error).message).toMatch(/^gammaGammaExpectedSpend: the Gamma-Gamma fit has q = 0\.9000 <= 1/);
    }
    // A repeat customer still has a mean when px + q > 1.
    expect(gammaGammaExpectedSpend({ p: 2, q: 0.9, gamma: 10 }, 1, 20)).toBeCloseTo((2 * 30) / 1.9, 12);
  });
  it("leaves out customers with zero or negative average values and x = 0", () => {
    const data = toSpendData([0, 1, 2, 1, 1], [0, 10, -5, 0, 10]);
    expect(Array.from(data.x)).toEqual([1]);
    expect(Array.from(data.weight)).toEqual([2]);
  });
  it("refuses fewer than 2 distinct repeat customers", () => {
    expect(() => fitGammaGamma(toSpendData([1, 1], [10, 10]))).toThrow(/^fitGammaGamma needs at least 2 repeat customers/);
  });
  it("simulation (seed 7, 5,000 customers): recovers p, q, gamma within 3 standard errors", () => {
    const truth = { p: 6, q: 4, gamma: 15 };
    const uniform = seededUniform(7);
    const n = 5000;
    const x = new Float64Array(n);
    const mbar = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const nu = gammaDraw(uniform, truth.q, truth.gamma);
      x[i] = 1 + Math.floor(uniform() * 6);
      let sum = 0;
      for (let k = 0; k < x[i]; k++) sum += gammaDraw(uniform, truth.p, nu);
      mbar[i] = sum / x[i];
    }
    const fit = fitGammaGamma(toSpendData(x, mbar));
    expect(fit.converged).toBe(true);
    for (const key of ["p", "q", "gamma"] as const) expect(Math.abs(fit.params[key] - truth[key])).toBeLessThan(3 * fit.standardErrors![key]);
  });

  it("standard errors from the analytic Hessian equal those from second differences of the log-likelihood (1e-4 relative)", () => {
    const uniform = seededUniform(11);
    const n = 3000;
    const x = new Float64Array(n);
    const mbar = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const nu = gammaDraw(uniform, 4, 15);
      x[i] = 1 + Math.floor(uniform() * 6);
      let sum = 0;
      for (let k = 0; k < x[i]; k++) sum += gammaDraw(uniform, 6, nu);
      mbar[i] = sum / x[i];
    }
    const data = toSpendData(x, mbar);
    const fit = fitGammaGamma(data);
    const point = [fit.params.p, fit.params.q, fit.params.gamma];
    const ll = (v: number[]) => gammaGammaLogLikelihood({ p: v[0], q: v[1], gamma: v[2] }, data);
    // Observed information −∂²ℓ by central second differences, written here apart from the engine.
    const information: number[][] = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    const h = point.map((v) => 1e-4 * v);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const at = (di: number, dj: number) => {
          const v = [...point];
          v[i] += di * h[i];
          v[j] += dj * h[j];
          return ll(v);
        };
        information[i][j] = -(at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h[i] * h[j]);
      }
    }
    // Invert the 3×3 matrix by cofactors.
    const [a, b, c] = information;
    const det = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
    const varianceDiagonal = [
      (b[1] * c[2] - b[2] * c[1]) / det,
      (a[0] * c[2] - a[2] * c[0]) / det,
      (a[0] * b[1] - a[1] * b[0]) / det,
    ];
    const numeric = varianceDiagonal.map(Math.sqrt);
    const analytic = [fit.standardErrors!.p, fit.standardErrors!.q, fit.standardErrors!.gamma];
    analytic.forEach((se, i) => expect(Math.abs(se / numeric[i] - 1)).toBeLessThan(1e-4));
  });
});
