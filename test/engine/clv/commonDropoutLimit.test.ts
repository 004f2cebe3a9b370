/**
 * BG/NBD and MBG/NBD at the edge of their parameter space: a, b → ∞ with a/(a+b) → p, the model in
 * which every customer drops out with the same probability p after each purchase. Oracles: the
 * closed forms of that limit (E[X(t)] of the homogeneous-drop-out model, P(alive) with a/(b+x−1) →
 * p/(1−p), P(X(t) = x) with B(a, b+x)/B(a, b) → (1−p)^x), and, for moderate a and b, the two series
 * of the expectation against each other and against hyp2f1.
 */
import { describe, expect, it } from "vitest";
import {
  aliveExpectation,
  aliveExpectationSeries,
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNew,
  bgNbdProbabilityAlive,
  bgNbdProbabilityOfPurchases,
  type BgNbdParams,
} from "../../../src/engine/clv/bgNbd";
import { commonDropoutLogLikelihood } from "../../../src/engine/clv/betaGeometric";
import { selectCountingModel } from "../../../src/engine/clv/autoModel";
import { fitBgNbd, bgNbdLogLikelihood } from "../../../src/engine/clv/bgNbd";
import { fitCountingModel, forecastCustomer } from "../../../src/engine/clv/countingModels";
import { fitPurchaseModel, notConvergedError, predictCustomerValue } from "../../../src/engine/clv/predict";
import { scoreTriples } from "../../../src/cli/duckdb/clvFrom";
import { fitMbgNbd, mbgNbdLogLikelihood } from "../../../src/engine/clv/mbgNbd";
import { COMMON_DROPOUT_CASES, commonDropoutData } from "./commonDropoutData";
import {
  mbgNbdExpectedPurchases,
  mbgNbdExpectedPurchasesNew,
  mbgNbdProbabilityAlive,
  mbgNbdProbabilityOfPurchases,
} from "../../../src/engine/clv/mbgNbd";
import { hyp2f1 } from "../../../src/engine/math/hyp2f1";
import { logGamma } from "../../../src/engine/math/special";

function relative(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

const r = 0.5;
const alpha = 4;
const p = 0.25;

/** a, b with a/(a+b) = p and a + b = concentration. */
function atConcentration(concentration: number): BgNbdParams {
  return { r, alpha, a: p * concentration, b: (1 - p) * concentration };
}

/** E[X(t) | alive] of the limit model: (1/p)·[1 − ((α+T)/(α+T+t))^{r+x} (1 − (1−p)z)^{−(r+x)}]. */
function limitAliveExpectation(t: number, x: number, T: number, survive = p): number {
  const z = t / (alpha + T + t);
  return (1 / survive) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * Math.pow(1 - (1 - survive) * z, -(r + x)));
}

/** P(alive) of the limit model: 1 / (1 + p/(1−p)·((α+T)/(α+t_x))^{r+x}). */
function limitProbabilityAlive(x: number, t_x: number, T: number): number {
  return 1 / (1 + (p / (1 - p)) * Math.pow((alpha + T) / (alpha + t_x), r + x));
}

/** NBD(j) probability of j purchases in t periods while alive. */
function nbd(j: number, t: number): number {
  return Math.exp(logGamma(r + j) - logGamma(r) - logGamma(j + 1) + r * Math.log(alpha / (alpha + t)) + j * Math.log(t / (alpha + t)));
}

/** P(N(t) ≥ x) = Σ_{j≥x} NBD(j), summed directly (no cancellation). */
function upperTail(x: number, t: number): number {
  let sum = 0;
  for (let j = x; j < x + 5000; j++) sum += nbd(j, t);
  return sum;
}

const HISTORIES: readonly (readonly [number, number, number])[] = [
  [0, 0, 20],
  [1, 3.5, 20],
  [4, 30, 45],
  [12, 60, 69],
  [40, 68.9, 69],
];

describe("BG/NBD predictions as a, b → ∞ with a/(a+b) = p (the common-drop-out limit)", () => {
  for (const concentration of [4e7, 1e9, 1e12]) {
    // The model at a + b = K differs from its limit by O((x + 1)/K).
    const tolerance = Math.max(1e-10, 200 / concentration);
    it(`a + b = ${concentration}: E[Y(t) | x, t_x, T] and P(alive) match the limit formulas within ${tolerance}`, () => {
      const params = atConcentration(concentration);
      for (const [x, t_x, T] of HISTORIES) {
        const alive = x === 0 ? 1 : limitProbabilityAlive(x, t_x, T);
        expect(relative(bgNbdProbabilityAlive(params, x, t_x, T), alive)).toBeLessThan(tolerance);
        for (const t of [0.5, 10, 52, 520]) {
          const expected = alive * limitAliveExpectation(t, x, T);
          expect(relative(bgNbdExpectedPurchases(params, t, x, t_x, T), expected)).toBeLessThan(tolerance);
        }
      }
    });
    it(`a + b = ${concentration}: a new customer's E[X(t)] matches the limit formula`, () => {
      const params = atConcentration(concentration);
      for (const t of [0.01, 1, 10, 52, 520]) {
        expect(relative(bgNbdExpectedPurchasesNew(params, t), limitAliveExpectation(t, 0, 0))).toBeLessThan(tolerance);
      }
    });
    it(`a + b = ${concentration}: P(X(t) = x) matches (1−p)^x·NBD(x) + p(1−p)^{x−1}·P(N(t) ≥ x) and sums to 1`, () => {
      const params = atConcentration(concentration);
      for (const t of [5, 40]) {
        let total = 0;
        for (let x = 0; x < 400; x++) {
          const upper = upperTail(x, t);
          const expected = Math.pow(1 - p, x) * nbd(x, t) + (x > 0 ? p * Math.pow(1 - p, x - 1) * upper : 0);
          const actual = bgNbdProbabilityOfPurchases(params, t, x);
          if (x < 30) expect(relative(actual, expected)).toBeLessThan(tolerance);
          total += actual;
        }
        expect(Math.abs(total - 1)).toBeLessThan(1e-9);
      }
    });
  }

  it("a customer whose a, b come from a fit running off along the ridge (a ≈ 4e7) gets finite predictions", () => {
    const params = { r: 0.505, alpha: 4.44, a: 4.24e7, b: 1.14e8 };
    for (const t of [1, 52, 520]) {
      const value = bgNbdExpectedPurchases(params, t, 3, 10, 40);
      expect(Number.isFinite(value) && value > 0).toBe(true);
      expect(Number.isFinite(bgNbdExpectedPurchasesNew(params, t))).toBe(true);
    }
  });
});

describe("MBG/NBD predictions as a, b → ∞ with a/(a+b) = p", () => {
  const params = atConcentration(1e10);
  const tolerance = 1e-8;
  it("P(alive) = 1/(1 + p/(1−p)·((α+T)/(α+t_x))^{r+x}), also at x = 0; E[Y(t)] = P(alive) × the limit alive expectation", () => {
    for (const [x, t_x, T] of HISTORIES) {
      const alive = limitProbabilityAlive(x, t_x, T);
      expect(relative(mbgNbdProbabilityAlive(params, x, t_x, T), alive)).toBeLessThan(tolerance);
      for (const t of [1, 52]) {
        expect(relative(mbgNbdExpectedPurchases(params, t, x, t_x, T), alive * limitAliveExpectation(t, x, T))).toBeLessThan(tolerance);
      }
    }
  });
  it("a new customer's E[X(t)] is (1−p) × the limit alive expectation; P(X(t) = x) = (1−p)^{x+1}·NBD(x) + p(1−p)^x·P(N(t) ≥ x)", () => {
    for (const t of [1, 52]) expect(relative(mbgNbdExpectedPurchasesNew(params, t), (1 - p) * limitAliveExpectation(t, 0, 0))).toBeLessThan(tolerance);
    for (let x = 0; x < 20; x++) {
      const upper = upperTail(x, 10);
      const expected = Math.pow(1 - p, x + 1) * nbd(x, 10) + p * Math.pow(1 - p, x) * upper;
      expect(relative(mbgNbdProbabilityOfPurchases(params, 10, x), expected)).toBeLessThan(tolerance);
    }
  });
});

describe("the two series of the alive expectation agree where both are usable", () => {
  // Moderate shapes: Euler's series is still summable ((a − 1)·log(1 + t/(α+T)) up to about 60), the
  // Gauss series has a − 1 far above r + x.
  const cases: readonly BgNbdParams[] = [
    { r: 0.5, alpha: 4, a: 60, b: 180 },
    { r: 2.3, alpha: 11, a: 25, b: 7 },
    { r: 0.24, alpha: 4.4, a: 8, b: 30 },
  ];
  for (const params of cases) {
    it(`r ${params.r}, alpha ${params.alpha}, a ${params.a}, b ${params.b}: Euler and Gauss within 1e-12, and equal to (C/(a−1))·[1 − (1−z)^{r+x} ₂F₁] by hyp2f1`, () => {
      for (const [x, , T] of HISTORIES) {
        for (const t of [0.5, 10, 52]) {
          const euler = aliveExpectation(params, t, x, T, "euler");
          const gauss = aliveExpectation(params, t, x, T, "gauss");
          expect(relative(gauss, euler)).toBeLessThan(1e-12);
          const z = t / (params.alpha + T + t);
          const C = params.a + params.b + x - 1;
          const direct = (C / (params.a - 1)) * (1 - Math.pow(1 - z, params.r + x) * hyp2f1(params.r + x, params.b + x, C, z));
          expect(relative(euler, direct)).toBeLessThan(1e-9);
        }
      }
    });
  }
  it("the choice: Euler for CDNOW-like shapes (a < 1) at every horizon, Gauss for a ≈ 4e7", () => {
    const cdnow: BgNbdParams = { r: 0.242593, alpha: 4.41353, a: 0.792886, b: 2.42575 };
    for (const t of [1, 39, 520, 5200]) expect(aliveExpectationSeries(cdnow, t, 2, 38)).toBe("euler");
    expect(aliveExpectationSeries({ r: 0.5, alpha: 4, a: 4e7, b: 1.2e8 }, 1e-3, 2, 38)).toBe("gauss");
    expect(aliveExpectationSeries({ r: 0.5, alpha: 4, a: 4e7, b: 1.2e8 }, 52, 2, 38)).toBe("gauss");
  });
});

describe("fits on customers alike in their drop-out (r 0.5, alpha 4, a/(a+b) = 0.25, a + b large): the maximum is the limit", () => {
  for (const { a, b, customers, seed } of COMMON_DROPOUT_CASES) {
    const data = commonDropoutData(a, b, customers, seed);
    const label = `a ${a}, b ${b}, ${customers} customers, seed ${seed}`;
    it(`${label}: fitBgNbd converges at the limit; p near 0.25, the limit's likelihood at its maximum and above the 4-parameter one at a + b = 1e4`, () => {
      const fit = fitBgNbd(data);
      expect(fit.converged).toBe(true);
      const limit = fit.commonDropout!;
      expect(limit).not.toBeNull();
      const { r: fr, alpha: fAlpha, p: fp } = limit.params;
      expect(Math.abs(fp - 0.25)).toBeLessThan(4 * limit.standardErrors!.p);
      expect(Math.abs(fr - 0.5)).toBeLessThan(4 * limit.standardErrors!.r);
      // a and b stand for the limit: their ratio is p, their size unbounded.
      expect(fit.params.a / (fit.params.a + fit.params.b)).toBeCloseTo(fp, 12);
      expect(fit.params.a + fit.params.b).toBeGreaterThan(1e9);
      expect(fit.standardErrors).toBeNull();
      const ll = commonDropoutLogLikelihood("bgNbd", limit.params, data);
      expect(fit.logLikelihood).toBeCloseTo(ll, 9);
      // A maximum: every nearby point of the limit model is lower.
      for (const [dr, dAlpha, dp] of [[1e-3, 0, 0], [-1e-3, 0, 0], [0, 1e-3, 0], [0, -1e-3, 0], [0, 0, 1e-3], [0, 0, -1e-3]]) {
        const nearby = commonDropoutLogLikelihood("bgNbd", { r: fr * (1 + dr), alpha: fAlpha * (1 + dAlpha), p: fp * (1 + dp) }, data);
        expect(nearby).toBeLessThan(ll);
      }
      // The supremum of the 4-parameter model along a/(a+b) = p: above a finite point of the ridge.
      expect(ll).toBeGreaterThan(bgNbdLogLikelihood({ r: fr, alpha: fAlpha, a: fp * 1e4, b: (1 - fp) * 1e4 }, data));
      // Its predictions are finite and match the limit formulas.
      const newCustomer = bgNbdExpectedPurchasesNew(fit.params, 52);
      const z = 52 / (fAlpha + 52);
      const expected = (1 / fp) * (1 - Math.pow(fAlpha / (fAlpha + 52), fr) * Math.pow(1 - (1 - fp) * z, -fr));
      expect(relative(newCustomer, expected)).toBeLessThan(1e-8);
      for (let i = 0; i < customers; i += 37) {
        const value = bgNbdExpectedPurchases(fit.params, 52, data.x[i], data.t_x[i], data.T[i]);
        expect(Number.isFinite(value) && value >= 0).toBe(true);
      }
    });
    it(`${label}: fitMbgNbd converges at its limit too; its likelihood is the MBG/NBD limit's`, () => {
      const fit = fitMbgNbd(data);
      expect(fit.converged).toBe(true);
      expect(fit.commonDropout).not.toBeNull();
      expect(fit.noDropout).toBe(false);
      expect(fit.logLikelihood).toBeCloseTo(commonDropoutLogLikelihood("mbgNbd", fit.commonDropout!.params, data), 9);
      const { r: fr, alpha: fAlpha, p: fp } = fit.commonDropout!.params;
      expect(fit.logLikelihood).toBeGreaterThan(mbgNbdLogLikelihood({ r: fr, alpha: fAlpha, a: fp * 1e4, b: (1 - fp) * 1e4 }, data));
      expect(Number.isFinite(mbgNbdExpectedPurchasesNew(fit.params, 52))).toBe(true);
    });
    it(`${label}: the automatic choice picks a model, says when it is at its limit, and every customer gets a forecast`, () => {
      const selection = selectCountingModel(data);
      expect(selection.fit.converged).toBe(true);
      expect(selection.fit.model).toBe("bgnbd");
      expect(selection.fit.limit?.description).toMatch(/^a and b are unbounded .* p = \d+\.\d% after each purchase/);
      expect(selection.candidates[0].reason).toMatch(/at its limit: the same drop-out probability for every customer/);
      // Pareto/NBD either fits or says what ran off.
      expect(selection.candidates[2].reason).toMatch(/^log-likelihood|^did not converge: s and beta grew without bound/);
      for (let i = 0; i < customers; i += 41) {
        const forecast = forecastCustomer(selection.fit, data.x[i], data.t_x[i], data.T[i]);
        expect(forecast.probabilityAlive).toBeGreaterThanOrEqual(0);
        expect(forecast.probabilityAlive).toBeLessThanOrEqual(1);
        expect(Number.isFinite(forecast.cumulativePurchases(52))).toBe(true);
      }
    });
  }

  it("an interior maximum stays as it was: a fit on heterogeneous drop-out (a 0.8, b 2.5) has no limit", () => {
    const fit = fitCountingModel("bgnbd", commonDropoutData(0.8, 2.5, 2000, 7));
    expect(fit.converged).toBe(true);
    expect(fit.limit).toBeUndefined();
    expect(fit.standardErrors).not.toBeNull();
  });
});

describe("Pareto/NBD on customers alike in their drop-out: it runs off to s, beta → ∞ and says so", () => {
  const data = commonDropoutData(50, 150, 400, 3);
  it("fitted by name it stops within its series budget (it took 48 s without one), not converged, with s/beta stable", () => {
    const started = Date.now();
    const fit = fitCountingModel("pareto", data);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(fit.converged).toBe(false);
    expect(fit.params.s).toBeGreaterThan(100);
  });
  it("predicting from it names what ran off: s and beta, with the common drop-out rate", () => {
    const { counting } = fitPurchaseModel(data, "pareto");
    let message = "";
    try {
      predictCustomerValue({} as never, { counting } as never, {} as never);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^the Pareto\/NBD purchase model did not converge because s and beta grew without bound \(s\/beta ≈ 0\.0\d+ a period: the customers look alike in their drop-out rate/);
  });
  it("scoring per distinct triple (imc clv --from, the Customer Value tab past the cap) says the same", () => {
    const { counting } = fitPurchaseModel(data, "pareto");
    const expected = notConvergedError(counting).message;
    expect(expected).toMatch(/because s and beta grew without bound/);
    expect(() => scoreTriples({ counting } as never, { x: data.x, t_x: data.t_x, T: data.T, count: data.weight }, {} as never)).toThrow(expected);
  });
});
