/**
 * The Pareto/NBD model of repeat buying (Schmittlein, Morrison & Colombo 1987): fit and predictions.
 *
 * While alive a customer buys as a Poisson process with rate λ; the customer dies after an
 * exponentially distributed lifetime with rate μ (unobserved). Across customers λ ~ Gamma(r, α) and
 * μ ~ Gamma(s, β). The fit maximises the likelihood of each customer's (x, t_x, T).
 *
 * Glossary (Fader & Hardie 2005 note):
 * - x    number of repeat purchases (frequency), whole number ≥ 0
 * - t_x  time of the last purchase since the first (recency), 0 ≤ t_x ≤ T
 * - T    time from the first purchase to the end of observation, > 0
 * - r, α shape and rate of the gamma distribution of purchase rates λ (α in time units)
 * - s, β shape and rate of the gamma distribution of dropout rates μ (β in time units)
 * - t    prediction horizon, in the same time unit as T
 * All times share one unit (weeks for the CDNOW reference numbers).
 *
 * Likelihood (F&H 2005 eq. 18: the individual likelihood integrated over λ ~ Gamma(r, α) and the
 * lifetime's rate μ ~ Gamma(s, β)):
 *   L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ ].
 * Writing (α+T)^−(r+x)(β+T)^−s as the integral of minus its derivative over (T, ∞) turns the bracket
 * into a sum of two positive terms, so nothing cancels (the papers' A0 is a difference):
 *   bracket = s · Q(t_x) + (r+x) · R(T),
 *   Q(t) = ∫_t^∞ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ,   R(T) = ∫_T^∞ (α+τ)^−(r+x+1) (β+τ)^−s dτ.
 * With a = r+s+x, and with the larger of α and β in the role of "α" below (the papers' case split,
 * F&H 2005 eq. 19–20 for A0, which keeps the hypergeometric argument in [0, 1)):
 *   α ≥ β, z = (α−β)/(α+t):  Q(t) = (α+t)^−(r+x) (β+t)^−s / a · S(r+x, a+1; z)
 *                             R(T) = (α+T)^−(r+x+1) (β+T)^(1−s) / a · S(r+x+1, a+1; z_T)
 *   α < β, w = (β−α)/(β+t):  Q(t) = (α+t)^(1−r−x) (β+t)^−(s+1) / a · S(s+1, a+1; w)
 *                             R(T) = (α+T)^−(r+x) (β+T)^−s / a · S(s, a+1; w_T)
 * where S(p, q; z) = Σ_k (p)_k/(q)_k z^k = 2F1(1, p; q; z) (Euler's transform, A&S 15.3.3, of the
 * papers' 2F1(a, b; a+1; z)). Every term of S is positive and each is less than z times the one before
 * (p < q), so S ≥ 1 never overflows and converges geometrically; its derivatives with respect to p, q
 * and z are summed alongside, which gives the analytic gradient. Everything else is in log space, so
 * heavy buyers (x = 500) neither overflow nor underflow.
 *
 * Cost: Q depends on a customer only through (x, t_x) and R only through (x, T), so each likelihood
 * evaluation sums one series per distinct pair (a few thousand for a million customers summarised by
 * day in weeks) and then one logSumExp per distinct triple. The series needs about 40 / (1 − z) terms,
 * so evaluations slow down when α/β or β/α is in the thousands (capped at 1,000,000 terms: the fit
 * backs off, the public functions throw NOT_CONVERGED).
 *
 * References:
 * - Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987), "Counting Your Customers: Who Are They
 *   and What Will They Do Next?", Management Science 33(1), 1–24.
 * - Fader, P. S. & Hardie, B. G. S. (2005), "A Note on Deriving the Pareto/NBD Model and Related
 *   Expressions", brucehardie.com/notes/009/, version 2005-11-05 — cited as "F&H 2005": likelihood
 *   eq. 18 with A0 eq. 19–20, E[X(t)] eq. 27, P(alive) eq. 36–37, conditional expectation eq. 41
 *   (equation numbers as cited by the lifetimes library's ParetoNBDFitter).
 * - Abramowitz & Stegun (1964), eq. 15.3.3.
 */

import { EngineError } from "../errors";
import { minimize, hessianFromGradient, invertPositiveDefinite } from "../math/minimize";
import { digamma, logGamma, logSumExp } from "../math/special";
import type { FitData } from "./fitData";

/** Pareto/NBD parameters: purchase-rate gamma (r, alpha) and dropout-rate gamma (s, beta). */
export interface ParetoNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}

/** Result of {@link fitParetoNbd}. */
export interface ParetoNbdFit {
  readonly params: ParetoNbdParams;
  /** Asymptotic standard errors (inverse observed information); null when the Hessian is not positive definite. */
  readonly standardErrors: ParetoNbdParams | null;
  /** Maximised log-likelihood, summed over customers. */
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Cap on the terms of one S(p, q; z) series (z ≥ 1 − 4e-5 needs more; the fit then backs off). */
const MAX_SERIES_TERMS = 1_000_000;

/**
 * Terms left for the series of the fit that is running (see fitParetoNbd's seriesTermBudget);
 * Infinity outside such a fit. When it runs out, every series reports its cap as hit.
 */
let seriesTermsLeft = Infinity;
/** Terms summed by the series since the last reset (to measure what a fit needs). */
let seriesTermsUsed = 0;

// Scratch outputs of seriesS (module-level to avoid allocating in the innermost loop).
let seriesValue = 0;
let seriesDp = 0;
let seriesDq = 0;
let seriesDz = 0;

/**
 * S(p, q; z) = Σ_k (p)_k/(q)_k z^k for 0 < p < q, 0 ≤ z < 1, with ∂S/∂p, ∂S/∂q, ∂S/∂z when asked.
 * Writes seriesValue (and the derivatives); returns false when the term cap is hit.
 */
function seriesS(p: number, q: number, z: number, withGradient: boolean): boolean {
  let term = 1;
  let sum = 1;
  let hp = 0; // Σ_{j<k} 1/(p+j): ∂ log T_k / ∂p
  let hq = 0; // Σ_{j<k} 1/(q+j): −∂ log T_k / ∂q
  let dp = 0;
  let dq = 0;
  let kTerms = 0; // Σ k T_k = z ∂S/∂z
  const oneMinusZ = 1 - z;
  if (z === 0) {
    seriesValue = 1;
    seriesDp = 0;
    seriesDq = 0;
    seriesDz = p / q;
    return true;
  }
  const cap = Math.min(MAX_SERIES_TERMS, seriesTermsLeft);
  for (let k = 0; k < cap; k++) {
    term *= ((p + k) / (q + k)) * z;
    sum += term;
    if (withGradient) {
      hp += 1 / (p + k);
      hq += 1 / (q + k);
      dp += term * hp;
      dq -= term * hq;
      kTerms += (k + 1) * term;
    }
    // Ratios are below z: the tail after this term is below term · z / (1 − z); with the gradient,
    // Σ k T_k's tail is below term · ((k + 1)/(1 − z) + 1/(1 − z)²) and the harmonic weights grow like log k.
    const tail = withGradient ? term * ((k + 2) / oneMinusZ + 1 / (oneMinusZ * oneMinusZ)) * (1 + hp) : (term * z) / oneMinusZ;
    if (tail <= 1e-17 * sum) {
      seriesTermsLeft -= k + 1;
      seriesTermsUsed += k + 1;
      seriesValue = sum;
      seriesDp = dp;
      seriesDq = dq;
      seriesDz = kTerms / z;
      return true;
    }
  }
  seriesTermsLeft -= cap;
  seriesTermsUsed += cap;
  return false;
}

/**
 * log(s · Q(t)) for one customer; with `gradient`, writes its partial derivatives with respect to
 * (r, α, s, β) into gradient[offset..offset+3]. Returns NaN when the series hit its cap.
 */
function logSQ(r: number, alpha: number, s: number, beta: number, x: number, t: number, gradient: Float64Array | null, offset: number): number {
  const rx = r + x;
  const a = r + s + x;
  const logAt = Math.log(alpha + t);
  const logBt = Math.log(beta + t);
  const withGradient = gradient !== null;
  if (alpha >= beta) {
    if (!seriesS(rx, a + 1, (alpha - beta) / (alpha + t), withGradient)) return NaN;
    const S = seriesValue;
    if (gradient) {
      const dpS = seriesDp / S;
      const dqS = seriesDq / S;
      const dzS = seriesDz / S;
      gradient[offset] = -logAt - 1 / a + dpS + dqS;
      gradient[offset + 1] = -rx / (alpha + t) + (dzS * (beta + t)) / ((alpha + t) * (alpha + t));
      gradient[offset + 2] = 1 / s - logBt - 1 / a + dqS;
      gradient[offset + 3] = -s / (beta + t) - dzS / (alpha + t);
    }
    return Math.log(s) - rx * logAt - s * logBt - Math.log(a) + Math.log(S);
  }
  if (!seriesS(s + 1, a + 1, (beta - alpha) / (beta + t), withGradient)) return NaN;
  const S = seriesValue;
  if (gradient) {
    const dpS = seriesDp / S;
    const dqS = seriesDq / S;
    const dzS = seriesDz / S;
    gradient[offset] = -logAt - 1 / a + dqS;
    gradient[offset + 1] = (1 - rx) / (alpha + t) - dzS / (beta + t);
    gradient[offset + 2] = 1 / s - logBt - 1 / a + dpS + dqS;
    gradient[offset + 3] = -(s + 1) / (beta + t) + (dzS * (alpha + t)) / ((beta + t) * (beta + t));
  }
  return Math.log(s) + (1 - rx) * logAt - (s + 1) * logBt - Math.log(a) + Math.log(S);
}

/**
 * log((r+x) · R(T)) for one customer; with `gradient`, writes its partial derivatives with respect to
 * (r, α, s, β) into gradient[offset..offset+3]. Returns NaN when the series hit its cap.
 */
function logRR(r: number, alpha: number, s: number, beta: number, x: number, T: number, gradient: Float64Array | null, offset: number): number {
  const rx = r + x;
  const a = r + s + x;
  const logAT = Math.log(alpha + T);
  const logBT = Math.log(beta + T);
  const withGradient = gradient !== null;
  if (alpha >= beta) {
    if (!seriesS(rx + 1, a + 1, (alpha - beta) / (alpha + T), withGradient)) return NaN;
    const S = seriesValue;
    if (gradient) {
      const dpS = seriesDp / S;
      const dqS = seriesDq / S;
      const dzS = seriesDz / S;
      gradient[offset] = 1 / rx - logAT - 1 / a + dpS + dqS;
      gradient[offset + 1] = -(rx + 1) / (alpha + T) + (dzS * (beta + T)) / ((alpha + T) * (alpha + T));
      gradient[offset + 2] = -logBT - 1 / a + dqS;
      gradient[offset + 3] = (1 - s) / (beta + T) - dzS / (alpha + T);
    }
    return Math.log(rx) - (rx + 1) * logAT + (1 - s) * logBT - Math.log(a) + Math.log(S);
  }
  if (!seriesS(s, a + 1, (beta - alpha) / (beta + T), withGradient)) return NaN;
  const S = seriesValue;
  if (gradient) {
    const dpS = seriesDp / S;
    const dqS = seriesDq / S;
    const dzS = seriesDz / S;
    gradient[offset] = 1 / rx - logAT - 1 / a + dqS;
    gradient[offset + 1] = -rx / (alpha + T) - dzS / (beta + T);
    gradient[offset + 2] = -logBT - 1 / a + dpS + dqS;
    gradient[offset + 3] = -s / (beta + T) + (dzS * (alpha + T)) / ((beta + T) * (beta + T));
  }
  return Math.log(rx) - rx * logAT - s * logBT - Math.log(a) + Math.log(S);
}

/**
 * The fit data indexed for the likelihood: s·Q depends on a customer only through (x, t_x) and
 * (r+x)·R only through (x, T), and customers share few of each, so both are computed once per
 * distinct pair and per likelihood evaluation.
 */
interface Prepared {
  readonly data: FitData;
  readonly xValues: Float64Array;
  readonly xIndex: Int32Array;
  readonly qX: Float64Array;
  readonly qT: Float64Array;
  readonly qIndex: Int32Array;
  readonly rX: Float64Array;
  readonly rT: Float64Array;
  readonly rIndex: Int32Array;
  /** Σ weights: the number of customers. */
  readonly customers: number;
}

/** Distinct (a, b) pairs (b all 0 when absent) and each row's pair index; numeric maps, no string keys. */
function distinct(keysA: Float64Array, keysB: Float64Array | null): { index: Int32Array; a: Float64Array; b: Float64Array } {
  const n = keysA.length;
  const index = new Int32Array(n);
  const seen = new Map<number, Map<number, number>>();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    const first = keysA[i];
    const second = keysB ? keysB[i] : 0;
    let inner = seen.get(first);
    if (inner === undefined) {
      inner = new Map<number, number>();
      seen.set(first, inner);
    }
    let at = inner.get(second);
    if (at === undefined) {
      at = a.length;
      inner.set(second, at);
      a.push(first);
      b.push(second);
    }
    index[i] = at;
  }
  return { index, a: Float64Array.from(a), b: Float64Array.from(b) };
}

/** Checks the fit data's shape and ranges (triples from `toFitData` always pass). */
function checkFitData(data: FitData, functionName: string): void {
  const n = data.x.length;
  if (data.t_x.length !== n || data.T.length !== n || data.weight.length !== n) {
    throw new EngineError("INVALID_INPUT", `${functionName} requires x, t_x, T and weight of the same length`);
  }
  for (let i = 0; i < n; i++) {
    const x = data.x[i];
    const t_x = data.t_x[i];
    const T = data.T[i];
    const w = data.weight[i];
    if (!(x >= 0 && Number.isFinite(x) && T >= 0 && Number.isFinite(T) && t_x >= 0 && t_x <= T && w >= 0 && Number.isFinite(w))) {
      throw new EngineError(
        "INVALID_INPUT",
        `${functionName} requires x >= 0, 0 <= t_x <= T and a weight >= 0 (triple ${i + 1}: x ${x}, t_x ${t_x}, T ${T}, weight ${w})`,
        { row: i + 1 },
      );
    }
  }
}

function prepare(data: FitData): Prepared {
  const xs = distinct(data.x, null);
  const qs = distinct(data.x, data.t_x);
  const rs = distinct(data.x, data.T);
  let customers = 0;
  for (let i = 0; i < data.weight.length; i++) customers += data.weight[i];
  return { data, xValues: xs.a, xIndex: xs.index, qX: qs.a, qT: qs.b, qIndex: qs.index, rX: rs.a, rT: rs.b, rIndex: rs.index, customers };
}

/**
 * Σ over the triples of weight · log L and, when `gradient` is given, its gradient with respect to
 * (r, α, s, β). Returns NaN when a series hit its cap (the caller decides what that means).
 */
function logLikelihoodSum(params: ParetoNbdParams, prepared: Prepared, gradient: Float64Array | null): number {
  const { r, alpha, s, beta } = params;
  const { data, xValues, xIndex, qX, qT, qIndex, rX, rT, rIndex } = prepared;
  const withGradient = gradient !== null;
  // log Γ(r+x) − log Γ(r) and ψ(r+x) − ψ(r) per distinct x.
  const logGammaR = logGamma(r);
  const digammaR = withGradient ? digamma(r) : 0;
  const logRatio = new Float64Array(xValues.length);
  const digammaDiff = new Float64Array(xValues.length);
  for (let k = 0; k < xValues.length; k++) {
    logRatio[k] = logGamma(r + xValues[k]) - logGammaR;
    if (withGradient) digammaDiff[k] = digamma(r + xValues[k]) - digammaR;
  }
  const qLog = new Float64Array(qX.length);
  const qGrad = withGradient ? new Float64Array(4 * qX.length) : null;
  for (let k = 0; k < qX.length; k++) {
    qLog[k] = logSQ(r, alpha, s, beta, qX[k], qT[k], qGrad, 4 * k);
    if (Number.isNaN(qLog[k])) return NaN;
  }
  const rLog = new Float64Array(rX.length);
  const rGrad = withGradient ? new Float64Array(4 * rX.length) : null;
  for (let k = 0; k < rX.length; k++) {
    rLog[k] = logRR(r, alpha, s, beta, rX[k], rT[k], rGrad, 4 * k);
    if (Number.isNaN(rLog[k])) return NaN;
  }
  const logAlphaR = r * Math.log(alpha);
  const logBetaS = s * Math.log(beta);
  // Neumaier-compensated sums (sum, compensation per component): with a million customers plain
  // running sums lose ~1e-13 relative, which is above the optimiser's convergence tolerance.
  let f = 0;
  let fc = 0;
  let g0 = 0;
  let g0c = 0;
  let g1 = 0;
  let g1c = 0;
  let g2 = 0;
  let g2c = 0;
  let g3 = 0;
  let g3c = 0;
  let next = 0;
  let v = 0;
  const weight = data.weight;
  const n = weight.length;
  for (let i = 0; i < n; i++) {
    const qi = qIndex[i];
    const ri = rIndex[i];
    const la = qLog[qi];
    const lb = rLog[ri];
    // log(e^la + e^lb), inline in the hot loop.
    const aHigher = la > lb;
    const e = Math.exp(aHigher ? lb - la : la - lb);
    const bracket = (aHigher ? la : lb) + Math.log1p(e);
    const w = weight[i];
    const xi = xIndex[i];
    v = w * (logRatio[xi] + bracket);
    next = f + v;
    fc += Math.abs(f) >= Math.abs(v) ? f - next + v : v - next + f;
    f = next;
    if (qGrad !== null && rGrad !== null) {
      const wA = aHigher ? 1 / (1 + e) : e / (1 + e);
      const wB = 1 - wA;
      const q4 = 4 * qi;
      const r4 = 4 * ri;
      v = w * (digammaDiff[xi] + wA * qGrad[q4] + wB * rGrad[r4]);
      next = g0 + v;
      g0c += Math.abs(g0) >= Math.abs(v) ? g0 - next + v : v - next + g0;
      g0 = next;
      v = w * (wA * qGrad[q4 + 1] + wB * rGrad[r4 + 1]);
      next = g1 + v;
      g1c += Math.abs(g1) >= Math.abs(v) ? g1 - next + v : v - next + g1;
      g1 = next;
      v = w * (wA * qGrad[q4 + 2] + wB * rGrad[r4 + 2]);
      next = g2 + v;
      g2c += Math.abs(g2) >= Math.abs(v) ? g2 - next + v : v - next + g2;
      g2 = next;
      v = w * (wA * qGrad[q4 + 3] + wB * rGrad[r4 + 3]);
      next = g3 + v;
      g3c += Math.abs(g3) >= Math.abs(v) ? g3 - next + v : v - next + g3;
      g3 = next;
    }
  }
  const weights = prepared.customers;
  const total = f + fc + weights * (logAlphaR + logBetaS);
  if (gradient) {
    gradient[0] = g0 + g0c + weights * Math.log(alpha);
    gradient[1] = g1 + g1c + (weights * r) / alpha;
    gradient[2] = g2 + g2c + weights * Math.log(beta);
    gradient[3] = g3 + g3c + (weights * s) / beta;
  }
  return total;
}

function checkParams(params: ParetoNbdParams, functionName: string): void {
  for (const name of ["r", "alpha", "s", "beta"] as const) {
    const v = params[name];
    if (!(v > 0 && Number.isFinite(v))) {
      throw new EngineError("INVALID_INPUT", `${functionName} requires ${name} > 0 and finite (got ${v})`, { argument: name });
    }
  }
}

function checkCustomer(x: number, t_x: number, T: number, functionName: string): void {
  if (!(x >= 0 && Number.isFinite(x))) throw new EngineError("INVALID_INPUT", `${functionName} requires x >= 0 (got ${x})`, { argument: "x" });
  if (!(T > 0 && Number.isFinite(T))) throw new EngineError("INVALID_INPUT", `${functionName} requires T > 0 (got ${T})`, { argument: "T" });
  if (!(t_x >= 0 && t_x <= T)) {
    throw new EngineError("INVALID_INPUT", `${functionName} requires 0 <= t_x <= T (got t_x = ${t_x}, T = ${T})`, { argument: "t_x" });
  }
}

function seriesCapError(functionName: string, params: ParetoNbdParams): EngineError {
  return new EngineError(
    "NOT_CONVERGED",
    `${functionName}: the hypergeometric series did not converge in ${MAX_SERIES_TERMS} terms (alpha = ${params.alpha} and beta = ${params.beta} are too far apart for these customers)`,
  );
}

/**
 * Pareto/NBD log-likelihood of a data set: Σ over distinct (x, t_x, T) of count × log L.
 *
 * @param params r, alpha, s, beta > 0 (alpha, beta in the time unit of t_x and T).
 * @param data distinct triples with counts (see `toFitData`).
 * @returns the log-likelihood (finite).
 * @throws EngineError INVALID_INPUT for a non-positive parameter or a triple outside its range; NOT_CONVERGED when a hypergeometric
 *   series needs more than 1,000,000 terms (alpha/beta ratios beyond about 1e4).
 *
 * References: F&H 2005 eq. 18–20 (likelihood), rearranged as in the module comment.
 */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: FitData): number {
  checkParams(params, "paretoNbdLogLikelihood");
  checkFitData(data, "paretoNbdLogLikelihood");
  const value = logLikelihoodSum(params, prepare(data), null);
  if (Number.isNaN(value)) throw seriesCapError("paretoNbdLogLikelihood", params);
  if (!Number.isFinite(value)) {
    throw new EngineError("INVALID_INPUT", `paretoNbdLogLikelihood is not finite for these parameters (${value})`);
  }
  return value;
}

/**
 * Pareto/NBD log-likelihood of a data set and its gradient with respect to (r, alpha, s, beta).
 *
 * @param params r, alpha, s, beta > 0.
 * @param data distinct triples with counts (see `toFitData`).
 * @returns the log-likelihood and ∂LL/∂(r, alpha, s, beta) (analytic: the hypergeometric series'
 *   derivatives are summed with the series).
 * @throws EngineError as {@link paretoNbdLogLikelihood}.
 *
 * References: as {@link paretoNbdLogLikelihood}.
 */
export function paretoNbdLogLikelihoodGradient(params: ParetoNbdParams, data: FitData): { logLikelihood: number; gradient: ParetoNbdParams } {
  checkParams(params, "paretoNbdLogLikelihoodGradient");
  checkFitData(data, "paretoNbdLogLikelihoodGradient");
  const g = new Float64Array(4);
  const value = logLikelihoodSum(params, prepare(data), g);
  if (Number.isNaN(value)) throw seriesCapError("paretoNbdLogLikelihoodGradient", params);
  if (!Number.isFinite(value) || !g.every(Number.isFinite)) {
    throw new EngineError("INVALID_INPUT", `paretoNbdLogLikelihoodGradient is not finite for these parameters (${value})`);
  }
  return { logLikelihood: value, gradient: { r: g[0], alpha: g[1], s: g[2], beta: g[3] } };
}

/**
 * Fits the Pareto/NBD model by maximum likelihood (BFGS on log-parameters, analytic gradient).
 *
 * @param data distinct (x, t_x, T) triples with customer counts (see `toFitData`); needs at least one
 *   customer with a repeat purchase.
 * @param options maxIterations: BFGS iteration cap (default 500); seriesTermBudget: cap on the
 *   hypergeometric series terms summed over the whole fit (default none). The series need about
 *   40·max(α, β)/min(α + T, β + T) terms each, so a fit drifting to α/β in the hundreds can take
 *   seconds; with a budget it stops when the budget is spent and reports that it did not converge
 *   (the automatic model choice uses this to bound its time).
 * @returns parameters, standard errors (null when the observed information is not positive definite,
 *   e.g. on a flat ridge), maximised log-likelihood, iterations and whether BFGS converged.
 * @throws EngineError INSUFFICIENT_DATA when there are no customers or none with x > 0; INVALID_INPUT
 *   for a triple outside its range (x < 0, t_x outside [0, T], a negative weight) or a bad maxIterations.
 *
 * References: Schmittlein et al. 1987; F&H 2005 eq. 18–20 (likelihood); Nocedal & Wright (BFGS, see math/minimize).
 */
export function fitParetoNbd(data: FitData, options: { maxIterations?: number; seriesTermBudget?: number } = {}): ParetoNbdFit {
  const budget = options.seriesTermBudget ?? Infinity;
  if (!(budget >= 1000)) {
    throw new EngineError("INVALID_INPUT", `fitParetoNbd requires a series term budget of at least 1000 (got ${budget})`);
  }
  seriesTermsLeft = budget;
  try {
    const fit = fitWithinBudget(data, options);
    // A fit that spent its budget stopped because of it, wherever it was: not converged.
    return seriesTermsLeft <= 0 ? { ...fit, converged: false } : fit;
  } finally {
    seriesTermsLeft = Infinity;
  }
}

/** Series terms summed since the last call (a measuring aid for benchmarks and tests). */
export function paretoNbdSeriesTermsUsed(): number {
  const used = seriesTermsUsed;
  seriesTermsUsed = 0;
  return used;
}

function fitWithinBudget(data: FitData, options: { maxIterations?: number }): ParetoNbdFit {
  checkFitData(data, "fitParetoNbd");
  const maxIterations = options.maxIterations ?? 500;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new EngineError("INVALID_INPUT", `fitParetoNbd requires maxIterations to be a whole number >= 1 (got ${maxIterations})`, { argument: "maxIterations" });
  }
  const n = data.x.length;
  let customers = 0;
  let repeaters = 0;
  let weightedT = 0;
  for (let i = 0; i < n; i++) {
    customers += data.weight[i];
    weightedT += data.weight[i] * data.T[i];
    if (data.x[i] > 0) repeaters += data.weight[i];
  }
  if (customers === 0) throw new EngineError("INSUFFICIENT_DATA", "fitParetoNbd requires at least one customer");
  if (repeaters === 0) {
    throw new EngineError("INSUFFICIENT_DATA", "fitParetoNbd requires at least one customer with a repeat purchase (x > 0)");
  }
  // Start: unit shapes, and rates on the time scale of the data (so the start does not depend on the unit).
  const timeScale = weightedT > 0 ? weightedT / customers : 1;
  const start = [0, Math.log(timeScale), 0, Math.log(timeScale)];
  const natural = new Float64Array(4);
  const prepared = prepare(data);
  const objective = (u: Float64Array, g: Float64Array): number => {
    const params = { r: Math.exp(u[0]), alpha: Math.exp(u[1]), s: Math.exp(u[2]), beta: Math.exp(u[3]) };
    const value = logLikelihoodSum(params, prepared, natural);
    if (!Number.isFinite(value)) return Infinity; // series cap or overflow far from the optimum: back off
    // Minimise −LL / customers (a scale that does not grow with the data) in log-parameters: ∂/∂u = θ ∂/∂θ.
    g[0] = (-natural[0] * params.r) / customers;
    g[1] = (-natural[1] * params.alpha) / customers;
    g[2] = (-natural[2] * params.s) / customers;
    g[3] = (-natural[3] * params.beta) / customers;
    return -value / customers;
  };
  // Converged when every ∂(−LL/customers)/∂log θ is below 1e-8: the log-likelihood is then within
  // about customers · 1e-16 / curvature of its maximum (1e-7 for a million customers), while the
  // default 1e-10 lies below the rounding noise of ill-conditioned fits, where BFGS would cycle.
  const result = minimize(objective, start, { maxIterations, gradientTolerance: 1e-8 });
  const params: ParetoNbdParams = { r: Math.exp(result.x[0]), alpha: Math.exp(result.x[1]), s: Math.exp(result.x[2]), beta: Math.exp(result.x[3]) };
  return {
    params,
    standardErrors: standardErrors(params, prepared),
    logLikelihood: -result.value * customers,
    iterations: result.iterations,
    converged: result.converged,
  };
}

/** Standard errors from the inverse of the observed information in natural parameters. */
function standardErrors(params: ParetoNbdParams, prepared: Prepared): ParetoNbdParams | null {
  const theta = [params.r, params.alpha, params.s, params.beta];
  let failed = false;
  const hessian = hessianFromGradient(
    (point, g) => {
      const value = logLikelihoodSum({ r: point[0], alpha: point[1], s: point[2], beta: point[3] }, prepared, g);
      if (!Number.isFinite(value)) failed = true;
      for (let i = 0; i < 4; i++) g[i] = -g[i];
    },
    theta,
  );
  if (failed) return null;
  const covariance = invertPositiveDefinite(hessian, 4);
  if (!covariance) return null;
  const se = [0, 1, 2, 3].map((i) => Math.sqrt(covariance[i * 4 + i]));
  if (!se.every(Number.isFinite)) return null;
  return { r: se[0], alpha: se[1], s: se[2], beta: se[3] };
}

/**
 * Probability that a customer with history (x, t_x, T) is still alive at T.
 *
 * @param params fitted r, alpha, s, beta (> 0).
 * @param x repeat purchases, ≥ 0.
 * @param t_x recency, 0 ≤ t_x ≤ T (time units of the fit).
 * @param T customer age, > 0.
 * @returns P(alive) in [0, 1].
 * @throws EngineError INVALID_INPUT for invalid parameters or history; NOT_CONVERGED when a series
 *   hits its term cap.
 *
 * References: F&H 2005 eq. 36–37: P(alive) = (α+T)^−(r+x) (β+T)^−s / bracket, the likelihood's
 * "still alive at T" share (bracket as in the module comment).
 */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, x: number, t_x: number, T: number): number {
  checkParams(params, "paretoNbdProbabilityAlive");
  checkCustomer(x, t_x, T, "paretoNbdProbabilityAlive");
  return probabilityAlive(params, x, t_x, T, "paretoNbdProbabilityAlive");
}

function probabilityAlive(params: ParetoNbdParams, x: number, t_x: number, T: number, functionName: string): number {
  const { r, alpha, s, beta } = params;
  const logA = logSQ(r, alpha, s, beta, x, t_x, null, 0);
  const logB = logRR(r, alpha, s, beta, x, T, null, 0);
  if (Number.isNaN(logA) || Number.isNaN(logB)) throw seriesCapError(functionName, params);
  // The "alive at T" term of the bracket: (α+T)^−(r+x) (β+T)^−s.
  const logAlive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const p = Math.exp(logAlive - logSumExp(logA, logB));
  if (Number.isNaN(p)) throw new EngineError("INVALID_INPUT", `${functionName} is not defined for these inputs`);
  return Math.min(1, Math.max(0, p));
}

/** [1 − u^(s−1)] / (s − 1) for 0 < u ≤ 1, with its limit −log u at s = 1. */
function powerDifference(u: number, s: number): number {
  const logU = Math.log(u);
  const e = (s - 1) * logU;
  return -logU * (e === 0 ? 1 : Math.expm1(e) / e);
}

/**
 * Expected number of purchases in the next t periods of a customer with history (x, t_x, T).
 *
 * @param params fitted r, alpha, s, beta (> 0).
 * @param t horizon, ≥ 0, in the time unit of the fit.
 * @param x repeat purchases, ≥ 0.
 * @param t_x recency, 0 ≤ t_x ≤ T.
 * @param T customer age, > 0.
 * @returns E[Y(t) | x, t_x, T] ≥ 0 (finite).
 * @throws EngineError INVALID_INPUT for invalid parameters, horizon or history; NOT_CONVERGED when a
 *   series hits its term cap.
 *
 * References: F&H 2005 eq. 41:
 * E = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive), with the limit
 * (r+x)(β+T)/(α+T) · log((β+T+t)/(β+T)) at s = 1.
 */
export function paretoNbdExpectedPurchases(params: ParetoNbdParams, t: number, x: number, t_x: number, T: number): number {
  const name = "paretoNbdExpectedPurchases";
  checkParams(params, name);
  checkHorizon(t, name);
  checkCustomer(x, t_x, T, name);
  if (t === 0) return 0;
  const { r, alpha, s, beta } = params;
  const alive = probabilityAlive(params, x, t_x, T, name);
  const value = (((r + x) * (beta + T)) / (alpha + T)) * powerDifference((beta + T) / (beta + T + t), s) * alive;
  return finiteNonNegative(value, name);
}

/**
 * Expected number of purchases in (0, t] of a new customer (one just acquired at time 0).
 *
 * @param params fitted r, alpha, s, beta (> 0).
 * @param t horizon, ≥ 0, in the time unit of the fit.
 * @returns E[X(t)] ≥ 0 (finite).
 * @throws EngineError INVALID_INPUT for invalid parameters or horizon.
 *
 * References: F&H 2005 eq. 27: E[X(t)] = rβ/(α(s−1)) [1 − (β/(β+t))^(s−1)],
 * with the limit (rβ/α) log((β+t)/β) at s = 1.
 */
export function paretoNbdExpectedPurchasesNew(params: ParetoNbdParams, t: number): number {
  const name = "paretoNbdExpectedPurchasesNew";
  checkParams(params, name);
  checkHorizon(t, name);
  if (t === 0) return 0;
  const { r, alpha, s, beta } = params;
  return finiteNonNegative(((r * beta) / alpha) * powerDifference(beta / (beta + t), s), name);
}

function checkHorizon(t: number, functionName: string): void {
  if (!(t >= 0 && Number.isFinite(t))) {
    throw new EngineError("INVALID_INPUT", `${functionName} requires a horizon t >= 0 (got ${t})`, { argument: "t" });
  }
}

function finiteNonNegative(value: number, functionName: string): number {
  if (!Number.isFinite(value)) {
    throw new EngineError("INVALID_INPUT", `${functionName} is beyond the range of doubles for these inputs (${value})`);
  }
  return Math.max(0, value);
}

/** Simulated customer histories (one entry per customer). */
export interface ParetoNbdSample {
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
}

/**
 * Simulates customer histories from the Pareto/NBD process, for benchmarks and recovery tests.
 *
 * Each customer draws λ ~ Gamma(r, α) and μ ~ Gamma(s, β), a lifetime τ ~ Exponential(μ), and buys
 * as a Poisson process with rate λ until min(τ, T); x is the number of purchases after time 0 (the
 * first purchase) and t_x the time of the last one (0 when x = 0).
 *
 * @param params true r, alpha, s, beta (> 0).
 * @param T observation length per customer (> 0), one entry per customer, in the time unit of alpha and beta.
 * @param random a seeded uniform [0, 1) source (the engine has no hidden randomness).
 * @returns x, t_x and T per customer.
 * @throws EngineError INVALID_INPUT for invalid parameters or T; NOT_CONVERGED when a customer would
 *   make more than 10,000,000 purchases (parameters far outside any real data).
 *
 * References: Schmittlein et al. 1987, section 2 (model assumptions); gamma draws by Marsaglia & Tsang
 * (2000), "A simple method for generating gamma variables", ACM TOMS 26(3), with the shape < 1 boost
 * G(k) = G(k+1) U^(1/k).
 */
export function simulateParetoNbd(params: ParetoNbdParams, T: ArrayLike<number>, random: () => number): ParetoNbdSample {
  checkParams(params, "simulateParetoNbd");
  const n = T.length;
  const xs = new Float64Array(n);
  const ts = new Float64Array(n);
  const Ts = Float64Array.from(T);
  const normal = (): number => {
    // Box–Muller; 1 − u keeps the logarithm finite.
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const gamma = (shape: number): number => {
    if (shape < 1) return gamma(shape + 1) * Math.pow(1 - random(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (let attempt = 0; attempt < 1000; attempt++) {
      let z = 0;
      let v = 0;
      do {
        z = normal();
        v = 1 + c * z;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - random();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
    }
    throw new EngineError("NOT_CONVERGED", "simulateParetoNbd: the gamma sampler rejected 1000 proposals in a row");
  };
  for (let i = 0; i < n; i++) {
    const Ti = Ts[i];
    if (!(Ti > 0 && Number.isFinite(Ti))) {
      throw new EngineError("INVALID_INPUT", `simulateParetoNbd requires T > 0 (customer row ${i + 1}: ${Ti})`, { row: i + 1 });
    }
    const lambda = gamma(params.r) / params.alpha;
    const mu = gamma(params.s) / params.beta;
    const lifetime = -Math.log(1 - random()) / mu;
    const end = Math.min(lifetime, Ti);
    let time = 0;
    let count = 0;
    let last = 0;
    for (;;) {
      time += -Math.log(1 - random()) / lambda;
      if (!(time <= end)) break;
      count++;
      last = time;
      if (count > 10_000_000) {
        throw new EngineError("NOT_CONVERGED", `simulateParetoNbd: customer row ${i + 1} makes more than 10,000,000 purchases`, { row: i + 1 });
      }
    }
    xs[i] = count;
    ts[i] = last;
  }
  return { x: xs, t_x: ts, T: Ts };
}
