import { describe, expect, it } from "vitest";
import { bgNbdLogLikelihood } from "../../../src/engine/clv/bgNbd";
import {
  fitMbgNbd,
  mbgNbdExpectedPurchases,
  mbgNbdExpectedPurchasesNew,
  mbgNbdLogLikelihood,
  mbgNbdLogLikelihoodDerivatives,
  type MbgNbdParams,
  mbgNbdProbabilityAlive,
  mbgNbdProbabilityOfPurchases,
} from "../../../src/engine/clv/mbgNbd";
import { simulateBgNbd } from "../../../src/engine/clv/simulate";
import { fitDataOf } from "../../../src/engine/clv/summary";
import { isEngineError } from "../../../src/engine/errors";
import { hyp2f1 } from "../../../src/engine/math/hyp2f1";
import { betaDraw, exponentialDraw, gammaDraw, seededUniform } from "../../../src/engine/math/random";
import { logGamma } from "../../../src/engine/math/special";
import { sharedDir, sharedSkipMessage } from "../../support/shared";
import { cdnowFrequencySummary } from "./cdnowData";
import { secondDifference } from "../../support/engine";

function relative(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** The published CDNOW estimates (BTYDplus mbgcnbd with k = 1; lifetimes' ModifiedBetaGeoFitter gives the same to 3 decimals). */
const CDNOW_PARAMS: MbgNbdParams = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };

/**
 * The MBG/NBD likelihood of one customer in the paper's form, a sum of two products evaluated directly
 * (not in the engine's log(1 + e^d) form): alive after x + 1 drop-out opportunities, or dropped out
 * at the one after the last purchase.
 */
function paperLikelihood(p: MbgNbdParams, x: number, t_x: number, T: number): number {
  const { r, alpha, a, b } = p;
  const logB = (u: number, v: number) => logGamma(u) + logGamma(v) - logGamma(u + v);
  const nbdPart = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
  const alive = Math.exp(logB(a, b + x + 1) - logB(a, b) + nbdPart - (r + x) * Math.log(alpha + T));
  const dead = Math.exp(logB(a + 1, b + x) - logB(a, b) + nbdPart - (r + x) * Math.log(alpha + t_x));
  return alive + dead;
}

describe("fitMbgNbd on CDNOW (Batislam, Denizel & Filiztekin 2007; BTYDplus and lifetimes values)", () => {
  it("cdnow_customers_summary.csv: r 0.525, alpha 6.183, a 0.891, b 1.614 (3 decimals), converged with standard errors", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const R = cdnowFrequencySummary(dir);
    const data = fitDataOf({ frequency: R.x, recency: R.t_x, T: R.T });
    const fit = fitMbgNbd(data);
    expect(fit.converged).toBe(true);
    expect(fit.noDropout).toBe(false);
    expect(Math.abs(fit.params.r - CDNOW_PARAMS.r)).toBeLessThan(5e-4);
    expect(Math.abs(fit.params.alpha - CDNOW_PARAMS.alpha)).toBeLessThan(5e-4);
    expect(Math.abs(fit.params.a - CDNOW_PARAMS.a)).toBeLessThan(5e-4);
    expect(Math.abs(fit.params.b - CDNOW_PARAMS.b)).toBeLessThan(5e-4);
    expect(fit.standardErrors).not.toBeNull();
    for (const key of ["r", "alpha", "a", "b"] as const) expect(fit.standardErrors![key]).toBeGreaterThan(0);
    expect(Math.abs(mbgNbdLogLikelihood(fit.params, data) - fit.logLikelihood)).toBeLessThan(1e-8);
    expect(fit.iterations).toBeLessThanOrEqual(20);
  });

  it("the log-likelihood equals the paper's two-term likelihood summed customer by customer with plain loops", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const R = cdnowFrequencySummary(dir);
    const data = fitDataOf({ frequency: R.x, recency: R.t_x, T: R.T });
    let direct = 0;
    for (let i = 0; i < R.x.length; i++) direct += Math.log(paperLikelihood(CDNOW_PARAMS, R.x[i], R.t_x[i], R.T[i]));
    expect(relative(mbgNbdLogLikelihood(CDNOW_PARAMS, data), direct)).toBeLessThan(1e-12);
  });
});

describe("MBG/NBD predictions (the formulas evaluated directly with the general hyp2f1)", () => {
  const p = CDNOW_PARAMS;
  const { r, alpha, a, b } = p;
  it("P(alive) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)), also for one-time buyers, who can be dead", () => {
    for (const [x, t_x, T] of [[0, 0, 30], [0, 0, 1], [2, 30, 31], [2, 5, 38], [10, 38, 39]]) {
      const direct = 1 / (1 + (a / (b + x)) * Math.pow((alpha + T) / (alpha + t_x), r + x));
      expect(relative(mbgNbdProbabilityAlive(p, x, t_x, T), direct)).toBeLessThan(1e-12);
    }
    expect(mbgNbdProbabilityAlive(p, 0, 0, 30)).toBeLessThan(1);
    // One-time buyers look less alive the longer they stay silent.
    expect(mbgNbdProbabilityAlive(p, 0, 0, 30)).toBeLessThan(mbgNbdProbabilityAlive(p, 0, 0, 5));
  });
  it("E[Y(t) | x, t_x, T] = (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; z)] · P(alive) (Wagner & Hoppe 2008)", () => {
    for (const [t, x, t_x, T] of [[10, 0, 0, 5], [39, 4, 20, 30], [100, 12, 35, 39], [52, 1, 2, 38]]) {
      const z = t / (alpha + T + t);
      const numerator = ((a + b + x) / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x + 1, a + b + x, z));
      const direct = numerator / (1 + (a / (b + x)) * Math.pow((alpha + T) / (alpha + t_x), r + x));
      expect(relative(mbgNbdExpectedPurchases(p, t, x, t_x, T), direct)).toBeLessThan(1e-9);
    }
  });
  it("new customer: E[X(t)] = b/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))], 0 at t = 0 and growing", () => {
    for (const t of [1, 39, 78]) {
      const direct = (b / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b + 1, a + b, t / (alpha + t)));
      expect(relative(mbgNbdExpectedPurchasesNew(p, t), direct)).toBeLessThan(1e-9);
    }
    expect(mbgNbdExpectedPurchasesNew(p, 0)).toBe(0);
    let previous = 0;
    for (const t of [1, 5, 26, 52, 104]) {
      const value = mbgNbdExpectedPurchasesNew(p, t);
      expect(value).toBeGreaterThan(previous);
      previous = value;
    }
  });
  it("P(X(t) = x) sums to 1 and its mean is E[X(t)]", () => {
    let total = 0;
    let mean = 0;
    for (let x = 0; x < 400; x++) {
      const probability = mbgNbdProbabilityOfPurchases(p, 39, x);
      expect(probability).toBeGreaterThanOrEqual(0);
      total += probability;
      mean += x * probability;
    }
    expect(Math.abs(total - 1)).toBeLessThan(1e-9);
    expect(relative(mean, mbgNbdExpectedPurchasesNew(p, 39))).toBeLessThan(1e-6);
  });
  it("P(X(t) = 0) includes the customers who dropped out right after the first purchase: a/(a+b) + b/(a+b)·P(no purchase)", () => {
    const t = 39;
    const direct = a / (a + b) + (b / (a + b)) * Math.pow(alpha / (alpha + t), r);
    expect(relative(mbgNbdProbabilityOfPurchases(p, t, 0), direct)).toBeLessThan(1e-12);
  });
  it("heavy buyer (x = 500, t_x = T = 1) and a long-silent one: finite, never NaN", () => {
    expect(Number.isFinite(mbgNbdExpectedPurchases(p, 39, 500, 1, 1))).toBe(true);
    expect(mbgNbdExpectedPurchases(p, 39, 500, 1, 1)).toBeGreaterThan(100);
    const silent = mbgNbdProbabilityAlive(p, 500, 1, 39);
    expect(silent).toBeGreaterThanOrEqual(0);
    expect(silent).toBeLessThan(1e-100);
  });
});

describe("MBG/NBD analytic derivatives (the likelihood differentiated; checked against differences of the log-likelihood)", () => {
  const uniform = seededUniform(11);
  const ages = Float64Array.from({ length: 2000 }, () => 26 + 13 * uniform());
  const sim = simulateBgNbd({ r: 0.5, alpha: 6, a: 0.9, b: 1.6 }, ages, uniform);
  const data = fitDataOf({ frequency: sim.x, recency: sim.t_x, T: sim.T });
  const ll = (v: readonly number[]) => mbgNbdLogLikelihood({ r: v[0], alpha: v[1], a: v[2], b: v[3] }, data);
  const fit = fitMbgNbd(data);
  for (const [name, params] of [
    ["a point away from the optimum", { r: 0.4, alpha: 3, a: 1.2, b: 1.5 }],
    ["the maximum-likelihood estimate", fit.params],
  ] as [string, MbgNbdParams][]) {
    it(`at ${name}: gradient as first differences, all 16 Hessian entries within 1e-5 relative of differences`, () => {
      const v = [params.r, params.alpha, params.a, params.b];
      const analytic = mbgNbdLogLikelihoodDerivatives(params, data);
      expect(analytic.logLikelihood).toBe(ll(v));
      for (let i = 0; i < 4; i++) {
        const h = 1e-5 * v[i];
        const up = [...v];
        const down = [...v];
        up[i] += h;
        down[i] -= h;
        const numeric = (ll(up) - ll(down)) / (2 * h);
        expect(Math.abs(analytic.gradient[i] - numeric)).toBeLessThan(1e-9 * Math.abs(analytic.logLikelihood) + 1e-8 * Math.abs(numeric));
      }
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          const numeric = (4 * secondDifference(ll, v, i, j, 2e-3) - secondDifference(ll, v, i, j, 4e-3)) / 3;
          expect(relative(analytic.hessian[i * 4 + j], numeric), `H[${i}][${j}]`).toBeLessThan(1e-5);
        }
      }
    });
  }
  it("Newton converges in a handful of iterations with standard errors", () => {
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThanOrEqual(20);
    expect(fit.standardErrors).not.toBeNull();
  });
});

describe("fitMbgNbd edge cases", () => {
  it("refuses data where nobody bought twice, and a single customer (INSUFFICIENT_DATA)", () => {
    const once = { x: Float64Array.from([0]), t_x: Float64Array.from([0]), T: Float64Array.from([10]), weight: Float64Array.from([50]) };
    const single = { x: Float64Array.from([3]), t_x: Float64Array.from([8]), T: Float64Array.from([10]), weight: Float64Array.from([1]) };
    for (const data of [once, single]) {
      let thrown: unknown = null;
      try {
        fitMbgNbd(data);
      } catch (error) {
        thrown = error;
      }
      expect(isEngineError(thrown, "INSUFFICIENT_DATA")).toBe(true);
    }
  });
  it("customers who buy every week until the end show no drop-out: the fit reports the no-drop-out edge", () => {
    const T = Float64Array.from({ length: 40 }, (_, i) => 10 + (i % 21));
    const fit = fitMbgNbd(fitDataOf({ frequency: T, recency: T, T }));
    expect(fit.noDropout).toBe(true);
    expect(fit.converged).toBe(false);
  });
  it("MBG/NBD and BG/NBD differ only in the drop-out at time 0: with a → 0 both log-likelihoods approach the same NBD value", () => {
    const T = Float64Array.from([20, 30, 39, 39]);
    const data = fitDataOf({ frequency: Float64Array.from([0, 2, 5, 1]), recency: Float64Array.from([0, 12, 38, 3]), T });
    const tiny = { r: 0.5, alpha: 6, a: 1e-12, b: 2 };
    expect(Math.abs(mbgNbdLogLikelihood(tiny, data) - bgNbdLogLikelihood(tiny, data))).toBeLessThan(1e-9);
  });
});

describe("fitMbgNbd recovers the parameters of the process it describes (simulation written here, seed 2007)", () => {
  it("20,000 customers: r, alpha, a, b within 3 standard errors; one-time buyers' P(alive) below 1 as the process implies", () => {
    // The MBG/NBD story told directly: λ ~ Gamma(r, α), p ~ Beta(a, b); a drop-out chance p right after
    // the first purchase (time 0) and after every repeat purchase; purchases as a Poisson process.
    const truth: MbgNbdParams = { r: 0.5, alpha: 6, a: 0.9, b: 1.6 };
    const uniform = seededUniform(2007);
    const n = 20_000;
    const x = new Float64Array(n);
    const t_x = new Float64Array(n);
    const T = new Float64Array(n);
    let deadOneTimers = 0;
    let oneTimers = 0;
    for (let i = 0; i < n; i++) {
      T[i] = 26 + 13 * uniform();
      const lambda = gammaDraw(uniform, truth.r, truth.alpha);
      const p = betaDraw(uniform, truth.a, truth.b);
      let alive = uniform() >= p;
      let time = 0;
      let count = 0;
      let last = 0;
      while (alive) {
        time += exponentialDraw(uniform, lambda);
        if (time > T[i]) break;
        count++;
        last = time;
        alive = uniform() >= p;
      }
      x[i] = count;
      t_x[i] = last;
      if (count === 0) {
        oneTimers++;
        if (!alive) deadOneTimers++;
      }
    }
    const fit = fitMbgNbd(fitDataOf({ frequency: x, recency: t_x, T }));
    expect(fit.converged).toBe(true);
    for (const key of ["r", "alpha", "a", "b"] as const) {
      expect(Math.abs(fit.params[key] - truth[key]) / fit.standardErrors![key], key).toBeLessThan(3);
    }
    // The model's mean P(alive) over one-time buyers against the share of them still alive in the simulation, within 2 points.
    let expectedAlive = 0;
    for (let i = 0; i < n; i++) if (x[i] === 0) expectedAlive += mbgNbdProbabilityAlive(fit.params, 0, 0, T[i]);
    expect(Math.abs(expectedAlive / oneTimers - (1 - deadOneTimers / oneTimers))).toBeLessThan(0.02);
  });
});
