/**
 * BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005): fit and predictions.
 *
 * While alive, a customer buys as a Poisson process with rate λ; after each purchase they drop out
 * ("die") with probability p. Across customers λ ~ Gamma(r, α) and p ~ Beta(a, b). The model is fitted
 * by maximum likelihood on (x, t_x, T) per customer, summed over distinct triples with weights.
 *
 * Glossary (paper symbols): x frequency (repeat purchases), t_x recency, T age, t horizon, all in one
 * period unit; r, α (alpha) shape and rate of the purchase-rate gamma; a, b shapes of the drop-out
 * beta; B(·,·) beta function; ₂F₁ Gauss hypergeometric function.
 *
 * Numerics: the likelihood is computed in log space as A + log(e^{term₁} + e^{term₂}) with the
 * two-term sum written as term₁ + log(1 + e^d) (d = term₂ − term₁), so a customer with 500 purchases
 * cannot overflow; the gradient is analytic (digamma), in log-parameters. The conditional expectation
 * uses Euler's transformation of ₂F₁, which removes the removable singularity at a = 1 (see
 * {@link bgNbdExpectedPurchases}).
 *
 * References: Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005), "'Counting Your Customers' the Easy
 * Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275-284 (eq. 6 likelihood,
 * eq. 7 E[X(t)], eq. 8 P(X(t) = x), eq. 10 conditional expectation); Fader, Hardie & Lee (2008),
 * "Computing P(alive) Using the BG/NBD Model" (brucehardie.com/notes/021/), eq. 2; Abramowitz & Stegun
 * 15.3.3 (Euler's transformation).
 */

import { EngineError } from "../errors";
import { hessianFromGradient, invertPositiveDefinite, minimize } from "../math/minimize";
import { digamma, log1pExp, logGamma } from "../math/special";
import type { FitData } from "./fitData";

export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

export interface BgNbdFit {
  readonly params: BgNbdParams;
  /** Standard errors from the inverse Hessian of −log L in the natural parameters; null when it is not positive definite. */
  readonly standardErrors: BgNbdParams | null;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
}

export interface BgNbdFitOptions {
  /** BFGS iteration cap (default 500). */
  readonly maxIterations?: number;
}

/** Distinct values of one column and each row's index into them (ages and recencies repeat a lot). */
function distinctValues(column: Float64Array): { values: Float64Array; indexOf: Int32Array } {
  const map = new Map<number, number>();
  const indexOf = new Int32Array(column.length);
  const values: number[] = [];
  for (let i = 0; i < column.length; i++) {
    let k = map.get(column[i]);
    if (k === undefined) {
      k = values.length;
      values.push(column[i]);
      map.set(column[i], k);
    }
    indexOf[i] = k;
  }
  return { values: Float64Array.from(values), indexOf };
}

/** Per-fit constants: distinct x, T and t_x values and each triple's index into them. */
interface Prepared {
  readonly data: FitData;
  readonly xValues: Float64Array;
  readonly xIndexOf: Int32Array;
  readonly TValues: Float64Array;
  readonly TIndexOf: Int32Array;
  readonly txValues: Float64Array;
  readonly txIndexOf: Int32Array;
}

function prepare(data: FitData): Prepared {
  const x = distinctValues(data.x);
  const T = distinctValues(data.T);
  const tx = distinctValues(data.t_x);
  return {
    data,
    xValues: x.values,
    xIndexOf: x.indexOf,
    TValues: T.values,
    TIndexOf: T.indexOf,
    txValues: tx.values,
    txIndexOf: tx.indexOf,
  };
}

/**
 * log L and its gradient with respect to the natural parameters (r, α, a, b), summed over triples.
 * Writes the gradient into `gradient` when given. Everything that depends on one of x, T or t_x alone
 * is computed once per distinct value; per triple only exp and log1p of the log-odds d remain.
 */
function logLikelihoodAndGradient(prepared: Prepared, r: number, alpha: number, a: number, b: number, gradient: Float64Array | null): number {
  const { data, xValues, xIndexOf, TValues, TIndexOf, txValues, txIndexOf } = prepared;
  const m = xValues.length;
  // Per distinct x: log Γ(r+x) − log Γ(r) + log Γ(b+x) − log Γ(a+b+x) − log Γ(b) + log Γ(a+b) and the digammas.
  const logCommon = new Float64Array(m);
  const psiR = new Float64Array(m);
  const psiB = new Float64Array(m);
  const psiAB = new Float64Array(m);
  const logBx1 = new Float64Array(m);
  const lgR = logGamma(r);
  const lgB = logGamma(b);
  const lgAB = logGamma(a + b);
  const dgR = digamma(r);
  const dgB = digamma(b);
  const dgAB = digamma(a + b);
  for (let k = 0; k < m; k++) {
    const x = xValues[k];
    logCommon[k] = logGamma(r + x) - lgR + logGamma(b + x) - logGamma(a + b + x) - lgB + lgAB;
    if (gradient) {
      psiR[k] = digamma(r + x) - dgR;
      psiB[k] = digamma(b + x) - dgB;
      psiAB[k] = digamma(a + b + x) - dgAB;
    }
    logBx1[k] = x > 0 ? Math.log(b + x - 1) : 0;
  }
  const logAlphaT = new Float64Array(TValues.length);
  const inverseAlphaT = new Float64Array(TValues.length);
  for (let k = 0; k < TValues.length; k++) {
    logAlphaT[k] = Math.log(alpha + TValues[k]);
    inverseAlphaT[k] = 1 / (alpha + TValues[k]);
  }
  const logAlphaTx = new Float64Array(txValues.length);
  const inverseAlphaTx = new Float64Array(txValues.length);
  for (let k = 0; k < txValues.length; k++) {
    logAlphaTx[k] = Math.log(alpha + txValues[k]);
    inverseAlphaTx[k] = 1 / (alpha + txValues[k]);
  }
  const logA = Math.log(a);
  const logAlpha = Math.log(alpha);
  let total = 0;
  let gr = 0;
  let galpha = 0;
  let ga = 0;
  let gb = 0;
  // Local references to the columns keep the loads out of the hot loop.
  const xs = data.x;
  const weights = data.weight;
  const n = xs.length;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const w = weights[i];
    const k = xIndexOf[i];
    const kT = TIndexOf[i];
    const rx = r + x;
    // term₁ (with the shared Beta/Gamma constants): r log α − (r + x) log(α + T)
    let ll = logCommon[k] + r * logAlpha - rx * logAlphaT[kT];
    if (x > 0) {
      const kx = txIndexOf[i];
      const logRatio = logAlphaT[kT] - logAlphaTx[kx];
      const d = logA - logBx1[k] + rx * logRatio;
      // log(1 + e^d) and ρ = e^d / (1 + e^d) = 1 − P(alive) from one exponential.
      const e = Math.exp(-Math.abs(d));
      ll += (d > 0 ? d : 0) + Math.log1p(e);
      const rho = d > 0 ? 1 / (1 + e) : e / (1 + e);
      total += w * ll;
      if (gradient) {
        gr += w * (psiR[k] + logAlpha - logAlphaT[kT] + rho * logRatio);
        galpha += w * (r / alpha - rx * inverseAlphaT[kT] + rho * rx * (inverseAlphaT[kT] - inverseAlphaTx[kx]));
        ga += w * (-psiAB[k] + rho / a);
        gb += w * (psiB[k] - psiAB[k] - rho / (b + x - 1));
      }
    } else {
      total += w * ll;
      if (gradient) {
        gr += w * (psiR[k] + logAlpha - logAlphaT[kT]);
        galpha += w * (r / alpha - rx * inverseAlphaT[kT]);
        ga += w * -psiAB[k];
        gb += w * (psiB[k] - psiAB[k]);
      }
    }
  }
  if (gradient) {
    gradient[0] = gr;
    gradient[1] = galpha;
    gradient[2] = ga;
    gradient[3] = gb;
  }
  return total;
}

function checkParams(params: BgNbdParams, functionName: string): void {
  for (const key of ["r", "alpha", "a", "b"] as const) {
    const value = params[key];
    if (!(value > 0 && Number.isFinite(value))) {
      throw new EngineError("INVALID_INPUT", `${functionName} requires ${key} > 0 (got ${String(value)})`);
    }
  }
}

/**
 * Log-likelihood of BG/NBD parameters on (weighted) customer data.
 *
 * @param params r, α, a, b > 0 (α in the data's period unit).
 * @param data distinct (x, t_x, T) with weights.
 * @returns Σ weight · log L(r, α, a, b | x, t_x, T).
 * @throws EngineError INVALID_INPUT when a parameter is not positive and finite.
 * References: Fader, Hardie & Lee (2005), eq. 6.
 */
export function bgNbdLogLikelihood(params: BgNbdParams, data: FitData): number {
  checkParams(params, "bgNbdLogLikelihood");
  return logLikelihoodAndGradient(prepare(data), params.r, params.alpha, params.a, params.b, null);
}

/**
 * Fits the BG/NBD model by maximum likelihood (BFGS in log-parameters, analytic gradient).
 *
 * @param data distinct (x, t_x, T) with weights; needs at least one repeat purchase and T > 0.
 * @param options iteration cap.
 * @returns parameters, standard errors (inverse Hessian of −log L, natural parameters), log-likelihood,
 *   iterations and `converged`: BFGS converged inside the parameter range (within e^20 of the start,
 *   at most 500 evaluations) at a point with positive-definite curvature. False means the maximum is
 *   on the boundary or a flat ridge (too few customers, no variation between them).
 * @throws EngineError INSUFFICIENT_DATA when there are fewer than 2 customers or no repeat purchase
 *   (the drop-out and rate parameters are then not identified).
 * References: Fader, Hardie & Lee (2005), eq. 6 and §3 (maximum likelihood).
 */
export function fitBgNbd(data: FitData, options: BgNbdFitOptions = {}): BgNbdFit {
  let customers = 0;
  let repeaters = 0;
  let sumT = 0;
  let sumX = 0;
  for (let i = 0; i < data.x.length; i++) {
    if (!(data.T[i] > 0)) throw new EngineError("INVALID_INPUT", `fitBgNbd requires T > 0 (triple ${i + 1})`, { row: i + 1 });
    customers += data.weight[i];
    sumT += data.weight[i] * data.T[i];
    sumX += data.weight[i] * data.x[i];
    if (data.x[i] > 0) repeaters += data.weight[i];
  }
  if (customers < 2) throw new EngineError("INSUFFICIENT_DATA", "fitBgNbd needs at least 2 customers");
  if (repeaters === 0) {
    throw new EngineError("INSUFFICIENT_DATA", "fitBgNbd needs at least one customer with a repeat purchase; every customer bought once");
  }
  const prepared = prepare(data);
  const natural = new Float64Array(4);
  // Start: r = 1 and α matched to the mean purchase rate (scale-free in the period unit), a = b = 1.
  const meanRate = Math.max(sumX / sumT, 1e-6);
  const start = [0, Math.log(1 / meanRate), 0, 0];
  let evaluations = 0;
  const objective = (theta: Float64Array, gradient: Float64Array): number => {
    // Parameters more than e^20 away from the start are a drift to the boundary (for example no
    // heterogeneity at all): refuse the step, so the fit stops there and reports it instead of
    // spending its iterations on an ever flatter ridge.
    for (let i = 0; i < 4; i++) if (Math.abs(theta[i] - start[i]) > PARAMETER_RANGE) return Infinity;
    // Evaluation budget: a fit creeping along a flat ridge stops here and reports that it did not converge.
    if (++evaluations > MAX_EVALUATIONS) return Infinity;
    const r = Math.exp(theta[0]);
    const alpha = Math.exp(theta[1]);
    const a = Math.exp(theta[2]);
    const b = Math.exp(theta[3]);
    // −log L per customer: the same minimiser whatever the number of customers.
    const ll = logLikelihoodAndGradient(prepared, r, alpha, a, b, natural);
    gradient[0] = (-natural[0] * r) / customers;
    gradient[1] = (-natural[1] * alpha) / customers;
    gradient[2] = (-natural[2] * a) / customers;
    gradient[3] = (-natural[3] * b) / customers;
    return -ll / customers;
  };
  const result = minimize(objective, start, { maxIterations: options.maxIterations ?? 500 });
  const params: BgNbdParams = {
    r: Math.exp(result.x[0]),
    alpha: Math.exp(result.x[1]),
    a: Math.exp(result.x[2]),
    b: Math.exp(result.x[3]),
  };
  const p = [params.r, params.alpha, params.a, params.b];
  const hessian = hessianFromGradient((point, gradient) => {
    logLikelihoodAndGradient(prepared, point[0], point[1], point[2], point[3], gradient);
    for (let i = 0; i < 4; i++) gradient[i] = -gradient[i];
  }, p);
  const covariance = invertPositiveDefinite(hessian, 4);
  let standardErrors: BgNbdParams | null = null;
  if (covariance) {
    const se = [0, 1, 2, 3].map((i) => Math.sqrt(covariance[i * 5]));
    if (se.every(Number.isFinite)) standardErrors = { r: se[0], alpha: se[1], a: se[2], b: se[3] };
  }
  const atBoundary = Array.from(result.x).some((theta, i) => Math.abs(theta - start[i]) > PARAMETER_RANGE - 1);
  return {
    params,
    standardErrors: atBoundary ? null : standardErrors,
    logLikelihood: logLikelihoodAndGradient(prepared, params.r, params.alpha, params.a, params.b, null),
    iterations: result.iterations,
    // A maximum needs negative-definite curvature: without standard errors the fit sits on a flat ridge.
    converged: result.converged && !atBoundary && evaluations <= MAX_EVALUATIONS && standardErrors !== null,
  };
}

/** Largest distance of a log-parameter from its start (e^20 ≈ 5e8): beyond it the fit is on the boundary. */
const PARAMETER_RANGE = 20;

/** Cap on likelihood evaluations of one fit (BFGS iterations are capped separately). */
const MAX_EVALUATIONS = 500;

/**
 * Probability that a customer with history (x, t_x, T) is still alive at T.
 *
 * A customer without repeat purchases (x = 0) is alive with probability 1 by the model's
 * construction: BG/NBD customers can only drop out right after a purchase, so a one-time buyer has
 * had no chance to leave. (Pareto/NBD, where drop-out happens in continuous time, does not do this.)
 *
 * @param params fitted r, α, a, b.
 * @param x repeat purchases (≥ 0).
 * @param t_x recency, 0 ≤ t_x ≤ T (period unit of the fit).
 * @param T age (period unit of the fit).
 * @returns P(alive | x, t_x, T) in [0, 1].
 * References: Fader, Hardie & Lee (2008), "Computing P(alive) Using the BG/NBD Model", eq. 2.
 */
export function bgNbdProbabilityAlive(params: BgNbdParams, x: number, t_x: number, T: number): number {
  if (x === 0) return 1;
  const d = bgNbdLogOdds(params, x, t_x, T);
  return Math.exp(-log1pExp(d));
}

/** d = log[a / (b + x − 1) · ((α + T)/(α + t_x))^{r+x}]: log-odds of dead vs alive (x > 0). */
function bgNbdLogOdds(params: BgNbdParams, x: number, t_x: number, T: number): number {
  const { r, alpha, a, b } = params;
  return Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + t_x));
}

/** Term cap of the hypergeometric series (reached only when t exceeds about 10⁴ α). */
const SERIES_CAP = 1_000_000;

/**
 * E[X(t) | alive customer] / C with C = a + b + x − 1, in the form −L·φ(u)·C − e^u·C·S, computed without
 * the removable singularity at a = 1 (see {@link bgNbdExpectedPurchases}).
 */
function aliveExpectation(params: BgNbdParams, t: number, x: number, T: number): number {
  const { r, alpha, a, b } = params;
  if (t === 0) return 0;
  const A = r + x;
  const C = a + b + x - 1;
  const z = t / (alpha + T + t);
  const L = -Math.log1p(t / (alpha + T)); // log(1 − z)
  const u = (a - 1) * L;
  const phi = Math.abs(u) < 1e-8 ? 1 + u / 2 : Math.expm1(u) / u;
  // C·S = Σ_{k≥1} (C − A)_k (a)_{k−1} / ((C + 1)_{k−1} k!) z^k   (C·(C+1)_{k−1} = (C)_k)
  let term = (C - A) * z;
  let sum = term;
  let converged = false;
  for (let k = 1; k < SERIES_CAP; k++) {
    term *= ((C - A + k) * (a + k - 1) * z) / ((C + k) * (k + 1));
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum) || term === 0) {
      converged = true;
      break;
    }
  }
  if (!converged || !Number.isFinite(sum)) {
    throw new EngineError(
      "NOT_CONVERGED",
      `bgNbdExpectedPurchases: the hypergeometric series did not converge for a horizon of ${String(t)} periods; use a shorter horizon or a longer period unit`,
    );
  }
  return -L * phi * C - Math.exp(u) * sum;
}

/**
 * Expected purchases in the next t periods of a customer with x repeat purchases and age T, given
 * that they are still alive: E[Y(t) | x, t_x, T] = P(alive) × this. It does not depend on t_x, so
 * scoring can share it between customers with the same (x, T).
 *
 * @param params fitted r, α, a, b.
 * @param t horizon in periods (≥ 0).
 * @param x repeat purchases (≥ 0).
 * @param T age (≥ 0).
 * @returns expected purchases of an alive customer (≥ 0).
 * @throws EngineError NOT_CONVERGED when the series does not converge (t beyond about 10⁴ α).
 * References: Fader, Hardie & Lee (2005), eq. 10 (its numerator).
 */
export function bgNbdExpectedPurchasesIfAlive(params: BgNbdParams, t: number, x: number, T: number): number {
  return Math.max(0, aliveExpectation(params, t, x, T));
}

/**
 * Expected number of purchases in the next t periods by a customer with history (x, t_x, T).
 *
 * E[Y(t) | x, t_x, T] = (a + b + x − 1)/(a − 1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z)]
 * / (1 + δ_{x>0} a/(b+x−1) ((α+T)/(α+t_x))^{r+x}), z = t/(α+T+t). With Euler's transformation
 * (1−z)^{r+x} ₂F₁(r+x, b+x; C; z) = (1−z)^{a−1} ₂F₁(C−r−x, a−1; C; z), C = a+b+x−1, every series term
 * beyond the first carries a factor (a − 1), which cancels the 1/(a − 1): the result is exact at a = 1.
 *
 * @param params fitted r, α, a, b.
 * @param t horizon in periods (≥ 0).
 * @param x repeat purchases (≥ 0).
 * @param t_x recency (0 ≤ t_x ≤ T).
 * @param T age (≥ 0).
 * @returns expected purchases in (T, T + t], ≥ 0.
 * @throws EngineError NOT_CONVERGED when the series does not converge (t beyond about 10⁴ α).
 * References: Fader, Hardie & Lee (2005), eq. 10; Abramowitz & Stegun 15.3.3.
 */
export function bgNbdExpectedPurchases(params: BgNbdParams, t: number, x: number, t_x: number, T: number): number {
  const alive = aliveExpectation(params, t, x, T);
  const value = x > 0 ? alive * Math.exp(-log1pExp(bgNbdLogOdds(params, x, t_x, T))) : alive;
  return Math.max(0, value);
}

/**
 * Expected purchases in the first t periods of a new customer (after the first purchase).
 *
 * @param params fitted r, α, a, b.
 * @param t periods since the first purchase (≥ 0).
 * @returns E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
 * References: Fader, Hardie & Lee (2005), eq. 7 (eq. 10 with x = t_x = T = 0).
 */
export function bgNbdExpectedPurchasesNew(params: BgNbdParams, t: number): number {
  return Math.max(0, aliveExpectation(params, t, 0, 0));
}

/**
 * Probability that a new customer makes exactly x repeat purchases in the first t periods.
 *
 * @param params fitted r, α, a, b.
 * @param t periods since the first purchase (> 0).
 * @param x number of repeat purchases (whole number ≥ 0).
 * @returns P(X(t) = x) in [0, 1].
 * References: Fader, Hardie & Lee (2005), eq. 8.
 */
export function bgNbdProbabilityOfPurchases(params: BgNbdParams, t: number, x: number): number {
  const { r, alpha, a, b } = params;
  const logBab = logGamma(a) + logGamma(b) - logGamma(a + b);
  const logP = Math.log(alpha / (alpha + t));
  const logQ = Math.log(t / (alpha + t));
  // NBD(r, α/(α+t)) probability of j events, in log space.
  const logNbd = (j: number): number => logGamma(r + j) - logGamma(r) - logGamma(j + 1) + r * logP + (j > 0 ? j * logQ : 0);
  const first = Math.exp(logGamma(a) + logGamma(b + x) - logGamma(a + b + x) - logBab + logNbd(x));
  if (x === 0) return Math.min(1, first);
  // 1 − Σ_{j<x} NBD(j): the upper tail, summed directly when it is small to avoid cancellation.
  let lower = 0;
  for (let j = 0; j < x; j++) lower += Math.exp(logNbd(j));
  let upper = 1 - lower;
  if (upper < 0.5) {
    upper = 0;
    for (let j = x; j < x + 100_000; j++) {
      const term = Math.exp(logNbd(j));
      upper += term;
      if (term < 1e-17 * upper && j > x + 10) break;
    }
  }
  const second = Math.exp(logGamma(a + 1) + logGamma(b + x - 1) - logGamma(a + b + x) - logBab) * upper;
  return Math.min(1, Math.max(0, first + second));
}
