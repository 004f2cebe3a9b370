import { describe, expect, it } from "vitest";
import { bgNbdLogLikelihood } from "../../../src/engine/clv/bgNbd";
import { fitNbd, nbdExpectedPurchases, nbdLogLikelihood } from "../../../src/engine/clv/nbd";
import { fitDataOf } from "../../../src/engine/clv/summary";
import { isEngineError } from "../../../src/engine/errors";
import { logGamma } from "../../../src/engine/math/special";
import { sharedDir, sharedSkipMessage } from "../../support/shared";
import { cdnowFrequencySummary } from "./cdnowData";

function relative(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe("NBD (no drop-out): the limit of BG/NBD as a → 0", () => {
  const data = fitDataOf({
    frequency: Float64Array.from([0, 2, 5, 1, 7, 0]),
    recency: Float64Array.from([0, 12, 38, 3, 30, 0]),
    T: Float64Array.from([20, 30, 39, 39, 35, 4]),
  });
  it("log-likelihood = Σ log Γ(r+x) − log Γ(r) + r log α − (r+x) log(α+T), customer by customer", () => {
    const r = 0.7;
    const alpha = 5;
    let direct = 0;
    for (let i = 0; i < data.x.length; i++) {
      const x = data.x[i];
      direct += data.weight[i] * (logGamma(r + x) - logGamma(r) + r * Math.log(alpha) - (r + x) * Math.log(alpha + data.T[i]));
    }
    expect(relative(nbdLogLikelihood({ r, alpha }, data), direct)).toBeLessThan(1e-13);
  });
  it("equals BG/NBD's log-likelihood with a = 1e-12 (Fader, Hardie & Lee 2005 eq. 6 in the limit)", () => {
    const nbd = nbdLogLikelihood({ r: 0.7, alpha: 5 }, data);
    expect(Math.abs(bgNbdLogLikelihood({ r: 0.7, alpha: 5, a: 1e-12, b: 3 }, data) - nbd)).toBeLessThan(1e-9);
  });
  it("E[Y(t) | x, T] = (r + x)/(α + T)·t, linear in t", () => {
    expect(nbdExpectedPurchases({ r: 0.5, alpha: 4 }, 10, 3, 26)).toBeCloseTo((3.5 / 30) * 10, 14);
    expect(nbdExpectedPurchases({ r: 0.5, alpha: 4 }, 0, 3, 26)).toBe(0);
  });
});

describe("fitNbd", () => {
  it("CDNOW: an interior maximum — both score equations are 0 (checked by differences of the log-likelihood)", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const R = cdnowFrequencySummary(dir);
    const data = fitDataOf({ frequency: R.x, recency: R.t_x, T: R.T });
    const fit = fitNbd(data);
    expect(fit.converged).toBe(true);
    expect(fit.poissonLimit).toBe(false);
    expect(fit.standardErrors).not.toBeNull();
    const { r, alpha } = fit.params;
    const h = 1e-6;
    const dr = (nbdLogLikelihood({ r: r * (1 + h), alpha }, data) - nbdLogLikelihood({ r: r * (1 - h), alpha }, data)) / (2 * h);
    const da = (nbdLogLikelihood({ r, alpha: alpha * (1 + h) }, data) - nbdLogLikelihood({ r, alpha: alpha * (1 - h) }, data)) / (2 * h);
    expect(Math.abs(dr)).toBeLessThan(1e-4);
    expect(Math.abs(da)).toBeLessThan(1e-4);
    expect(Math.abs(nbdLogLikelihood(fit.params, data) - fit.logLikelihood)).toBeLessThan(1e-8);
  });
  it("customers who all buy every week: the Poisson limit, r/α = Σx/ΣT, finite predictions", () => {
    const T = Float64Array.from({ length: 40 }, (_, i) => 10 + (i % 21));
    const fit = fitNbd(fitDataOf({ frequency: T, recency: T, T }));
    expect(fit.poissonLimit).toBe(true);
    expect(fit.converged).toBe(true);
    expect(fit.standardErrors).toBeNull();
    expect(relative(fit.params.r / fit.params.alpha, 1)).toBeLessThan(1e-12);
    expect(relative(nbdExpectedPurchases(fit.params, 52, 20, 20), 52)).toBeLessThan(1e-6);
  });
  it("refuses one customer and data without repeat purchases (INSUFFICIENT_DATA)", () => {
    for (const data of [
      { x: Float64Array.from([3]), t_x: Float64Array.from([8]), T: Float64Array.from([10]), weight: Float64Array.from([1]) },
      { x: Float64Array.from([0]), t_x: Float64Array.from([0]), T: Float64Array.from([10]), weight: Float64Array.from([9]) },
    ]) {
      let thrown: unknown = null;
      try {
        fitNbd(data);
      } catch (error) {
        thrown = error;
      }
      expect(isEngineError(thrown, "INSUFFICIENT_DATA")).toBe(true);
    }
  });
});
