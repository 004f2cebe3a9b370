/**
 * MBG/NBD model of repeat purchasing (Batislam, Denizel & Filiztekin 2007): fit and predictions.
 *
 * As BG/NBD, while alive a customer buys as a Poisson process with rate λ and drops out with
 * probability p at each drop-out opportunity; λ ~ Gamma(r, α), p ~ Beta(a, b). The one change: the
 * first drop-out opportunity is at time 0, right after the first purchase, so a one-time buyer
 * (x = 0) can already be dead (BG/NBD keeps every x = 0 customer alive). Fitted by maximum
 * likelihood on (x, t_x, T) per customer, summed over distinct triples with weights.
 *
 * Glossary (paper symbols): x frequency (repeat purchases), t_x recency, T age, t horizon, all in one
 * period unit; r, α (alpha) shape and rate of the purchase-rate gamma; a, b shapes of the drop-out
 * beta; B(·,·) beta function; ₂F₁ Gauss hypergeometric function; d the log-odds of dead against alive.
 *
 * Numerics as bgNbd.ts: log-space likelihood A + log(1 + e^d), analytic gradient and Hessian
 * (digamma, trigamma), Newton in log-parameters, standard errors from the analytic Hessian. An alive
 * MBG/NBD customer with x repeat purchases has p ~ Beta(a, b + x + 1) (one more survived drop-out
 * opportunity than in BG/NBD), so the expectation of an alive customer is the BG/NBD one with b + 1
 * (same series, same removable singularity handled at a = 1).
 *
 * References:
 * - Batislam, E. P., Denizel, M. & Filiztekin, A. (2007), "Empirical validation and comparison of
 *   models for customer base analysis", International Journal of Research in Marketing 24(3), 201-209:
 *   the model, its likelihood, P(X(t) = x), E[X(t)] and P(alive) (Appendix A eq. 5, the number
 *   lifetimes' ModifiedBetaGeoFitter cites; the other formulas are named, not numbered, here).
 * - Wagner, U. & Hoppe, D. (2008), "Erratum on the MBG/NBD model", International Journal of Research in
 *   Marketing 25(3), 225-226: the corrected conditional expectation E[Y(t) | x, t_x, T].
 * Cross-checks: lifetimes' ModifiedBetaGeoFitter (the same likelihood terms A₁…A₄) and BTYDplus's
 * MBG/NBD fit on CDNOW (r 0.525, α 6.183, a 0.891, b 1.614).
 */

import { EngineError } from "../errors";
import { invertPositiveDefinite, minimizeNewton } from "../math/minimize";
import { digamma, log1pExp, logGamma, trigamma } from "../math/special";
import { bgNbdExpectedPurchasesIfAlive } from "./bgNbd";
import type { FitData } from "./fitData";

export interface MbgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

export interface MbgNbdFit {
  readonly params: MbgNbdParams;
  /** Standard errors from the inverse Hessian of −log L in the natural parameters; null when it is not positive definite. */
  readonly standardErrors: MbgNbdParams | null;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  /**
   * True when the fit ran to the edge where drop-out vanishes (a → 0 or b → ∞, p → 0): the data show
   * no drop-out and the model is then the NBD (see nbd.ts).
   */
  readonly noDropout: boolean;
}

export interface MbgNbdFitOptions {
  /** Newton iteration cap (default 100). */
  readonly maxIterations?: number;
}

/** Distinct values of one column and each row's index into them. */
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

/** Per-fit constants: distinct x, T and t_x values, weight sums per distinct x and T, each triple's indices. */
interface Prepared {
  readonly xValues: Float64Array;
  readonly TValues: Float64Array;
  readonly txValues: Float64Array;
  readonly weightOfX: Float64Array;
  readonly weightOfT: Float64Array;
  /** Σ weight · x per distinct T. */
  readonly weightedXOfT: Float64Array;
  readonly totalWeight: number;
  /** Every triple (all have a drop-out term in MBG/NBD): weight and indices into the distinct values. */
  readonly weight: Float64Array;
  readonly xIndex: Int32Array;
  readonly TIndex: Int32Array;
  readonly txIndex: Int32Array;
}

function prepare(data: FitData): Prepared {
  const x = distinctValues(data.x);
  const T = distinctValues(data.T);
  const tx = distinctValues(data.t_x);
  const weightOfX = new Float64Array(x.values.length);
  const weightOfT = new Float64Array(T.values.length);
  const weightedXOfT = new Float64Array(T.values.length);
  let totalWeight = 0;
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i];
    weightOfX[x.indexOf[i]] += w;
    weightOfT[T.indexOf[i]] += w;
    weightedXOfT[T.indexOf[i]] += w * data.x[i];
    totalWeight += w;
  }
  return {
    xValues: x.values,
    TValues: T.values,
    txValues: tx.values,
    weightOfX,
    weightOfT,
    weightedXOfT,
    totalWeight,
    weight: data.weight,
    xIndex: x.indexOf,
    TIndex: T.indexOf,
    txIndex: tx.indexOf,
  };
}

/**
 * log L and, on request, its gradient and Hessian with respect to (r, α, a, b), summed over triples.
 * Per triple (Batislam et al. 2007; lifetimes' A₁ + A₂ + A₃ + log(1 + e^{A₄})):
 *
 *   ℓ = log Γ(r+x) − log Γ(r) + r log α + log B(a, b+x+1) − log B(a, b) − (r+x) log(α+T) + log(1 + e^d),
 *   d = log a − log(b+x) + (r+x)·(log(α+T) − log(α+t_x)),
 *
 * for every x, including x = 0 (t_x = 0: the customer may have dropped out right after the first
 * purchase). With ρ = e^d/(1 + e^d): ∂ log(1 + e^d) = ρ·∂d and ∂² = ρ·∂²d + ρ(1 − ρ)·∂d ∂dᵀ, where
 * ∂d = (L, (r+x)M, 1/a, −1/(b+x)), L = log(α+T) − log(α+t_x), M = 1/(α+T) − 1/(α+t_x), and the non-zero
 * second derivatives of d are ∂²d/∂r∂α = M, ∂²d/∂α² = −(r+x)·M·(1/(α+T) + 1/(α+t_x)), ∂²d/∂a² = −1/a²,
 * ∂²d/∂b² = 1/(b+x)².
 */
function logLikelihoodAndGradient(
  prepared: Prepared,
  r: number,
  alpha: number,
  a: number,
  b: number,
  gradient: Float64Array | null,
  hessian: Float64Array | null = null,
): number {
  const { xValues, TValues, txValues, weightOfX, weightOfT, weightedXOfT, totalWeight, weight, xIndex, TIndex, txIndex } = prepared;
  const withHessian = gradient !== null && hessian !== null;
  let total = 0;
  let gr = 0;
  let galpha = 0;
  let ga = 0;
  let gb = 0;
  let hrr = 0;
  let haa = 0;
  let hbb = 0;
  // Terms in x alone: log Γ(r+x) − log Γ(r) + log Γ(b+x+1) − log Γ(a+b+x+1) − log Γ(b) + log Γ(a+b).
  const m = xValues.length;
  const logBx = new Float64Array(m);
  const inverseBx = new Float64Array(m);
  const lgR = logGamma(r);
  const lgB = logGamma(b);
  const lgAB = logGamma(a + b);
  const dgR = gradient ? digamma(r) : 0;
  const dgB = gradient ? digamma(b) : 0;
  const dgAB = gradient ? digamma(a + b) : 0;
  const tgR = withHessian ? trigamma(r) : 0;
  const tgB = withHessian ? trigamma(b) : 0;
  const tgAB = withHessian ? trigamma(a + b) : 0;
  for (let k = 0; k < m; k++) {
    const x = xValues[k];
    logBx[k] = Math.log(b + x);
    inverseBx[k] = 1 / (b + x);
    const w = weightOfX[k];
    total += w * (logGamma(r + x) - lgR + logGamma(b + x + 1) - logGamma(a + b + x + 1) - lgB + lgAB);
    if (gradient) {
      const psiAB = digamma(a + b + x + 1) - dgAB;
      gr += w * (digamma(r + x) - dgR);
      ga -= w * psiAB;
      gb += w * (digamma(b + x + 1) - dgB - psiAB);
    }
    if (withHessian) {
      const trigammaAB = trigamma(a + b + x + 1) - tgAB;
      hrr += w * (trigamma(r + x) - tgR);
      haa -= w * trigammaAB;
      hbb += w * (trigamma(b + x + 1) - tgB - trigammaAB);
    }
  }
  // Terms in T alone: r log α − (r + x) log(α + T).
  const logAlpha = Math.log(alpha);
  total += totalWeight * r * logAlpha;
  gr += totalWeight * logAlpha;
  galpha += (totalWeight * r) / alpha;
  let hralpha = totalWeight / alpha;
  let halphaalpha = (-totalWeight * r) / (alpha * alpha);
  const logAlphaT = new Float64Array(TValues.length);
  const inverseAlphaT = new Float64Array(TValues.length);
  for (let k = 0; k < TValues.length; k++) {
    const logT = Math.log(alpha + TValues[k]);
    const inverse = 1 / (alpha + TValues[k]);
    logAlphaT[k] = logT;
    inverseAlphaT[k] = inverse;
    const shape = r * weightOfT[k] + weightedXOfT[k];
    total -= shape * logT;
    gr -= weightOfT[k] * logT;
    galpha -= shape * inverse;
    hralpha -= weightOfT[k] * inverse;
    halphaalpha += shape * inverse * inverse;
  }
  const logAlphaTx = new Float64Array(txValues.length);
  const inverseAlphaTx = new Float64Array(txValues.length);
  for (let k = 0; k < txValues.length; k++) {
    logAlphaTx[k] = Math.log(alpha + txValues[k]);
    inverseAlphaTx[k] = 1 / (alpha + txValues[k]);
  }
  // Drop-out term log(1 + e^d) of every triple; the factors 1/a and −1 of ∂d/∂a, ∂d/∂b are applied after the loop.
  const logA = Math.log(a);
  let sRho = 0;
  let sRhoB = 0;
  let sS = 0;
  let sSB = 0;
  let sRR = 0;
  let sRAlpha = 0;
  let sRA = 0;
  let sRB = 0;
  let sAlphaAlpha = 0;
  let sAlphaA = 0;
  let sAlphaB = 0;
  let sBB = 0;
  for (let j = 0; j < weight.length; j++) {
    const w = weight[j];
    const k = xIndex[j];
    const kT = TIndex[j];
    const kx = txIndex[j];
    const rx = r + xValues[k];
    const logRatio = logAlphaT[kT] - logAlphaTx[kx];
    const d = logA - logBx[k] + rx * logRatio;
    const e = Math.exp(-Math.abs(d));
    total += w * ((d > 0 ? d : 0) + Math.log1p(e));
    if (gradient) {
      const inverse1e = 1 / (1 + e);
      const wRho = w * (d > 0 ? inverse1e : e * inverse1e);
      const M = inverseAlphaT[kT] - inverseAlphaTx[kx];
      const dAlpha = rx * M;
      const ib = inverseBx[k];
      gr += wRho * logRatio;
      galpha += wRho * dAlpha;
      sRho += wRho;
      sRhoB += wRho * ib;
      if (withHessian) {
        const wS = w * e * inverse1e * inverse1e;
        sS += wS;
        sSB += wS * ib;
        sRR += wS * logRatio * logRatio;
        sRAlpha += wRho * M + wS * logRatio * dAlpha;
        sRA += wS * logRatio;
        sRB += wS * logRatio * ib;
        sAlphaAlpha += wS * dAlpha * dAlpha - wRho * dAlpha * (inverseAlphaT[kT] + inverseAlphaTx[kx]);
        sAlphaA += wS * dAlpha;
        sAlphaB += wS * dAlpha * ib;
        sBB += (wRho + wS) * ib * ib;
      }
    }
  }
  if (gradient) {
    gradient[0] = gr;
    gradient[1] = galpha;
    gradient[2] = ga + sRho / a;
    gradient[3] = gb - sRhoB;
  }
  if (withHessian) {
    const hra = sRA / a;
    const hrb = -sRB;
    const halphaa = sAlphaA / a;
    const halphab = -sAlphaB;
    const hab = haa - sSB / a;
    hessian.set([
      hrr + sRR, hralpha + sRAlpha, hra, hrb,
      hralpha + sRAlpha, halphaalpha + sAlphaAlpha, halphaa, halphab,
      hra, halphaa, haa + (sS - sRho) / (a * a), hab,
      hrb, halphab, hab, hbb + sBB,
    ]);
  }
  return total;
}

function checkParams(params: MbgNbdParams, functionName: string): void {
  for (const key of ["r", "alpha", "a", "b"] as const) {
    const value = params[key];
    if (!(value > 0 && Number.isFinite(value))) {
      throw new EngineError("INVALID_INPUT", `${functionName} requires ${key} > 0 (got ${String(value)})`);
    }
  }
}

/**
 * Log-likelihood of MBG/NBD parameters on (weighted) customer data.
 *
 * @param params r, α, a, b > 0 (α in the data's period unit).
 * @param data distinct (x, t_x, T) with weights.
 * @returns Σ weight · log L(r, α, a, b | x, t_x, T).
 * @throws EngineError INVALID_INPUT when a parameter is not positive and finite.
 * References: Batislam et al. (2007), the MBG/NBD likelihood.
 */
export function mbgNbdLogLikelihood(params: MbgNbdParams, data: FitData): number {
  checkParams(params, "mbgNbdLogLikelihood");
  return logLikelihoodAndGradient(prepare(data), params.r, params.alpha, params.a, params.b, null);
}

/**
 * Log-likelihood of MBG/NBD parameters with its analytic gradient and Hessian in (r, α, a, b).
 *
 * @param params r, α, a, b > 0.
 * @param data distinct (x, t_x, T) with weights.
 * @returns the log-likelihood, its gradient [∂/∂r, ∂/∂α, ∂/∂a, ∂/∂b] and its Hessian (4×4, row-major).
 * @throws EngineError INVALID_INPUT when a parameter is not positive and finite.
 * References: Batislam et al. (2007), the MBG/NBD likelihood.
 */
export function mbgNbdLogLikelihoodDerivatives(
  params: MbgNbdParams,
  data: FitData,
): { logLikelihood: number; gradient: Float64Array; hessian: Float64Array } {
  checkParams(params, "mbgNbdLogLikelihoodDerivatives");
  const gradient = new Float64Array(4);
  const hessian = new Float64Array(16);
  const logLikelihood = logLikelihoodAndGradient(prepare(data), params.r, params.alpha, params.a, params.b, gradient, hessian);
  return { logLikelihood, gradient, hessian };
}

/** Largest distance of a log-parameter from its start (e^20 ≈ 5e8): beyond it the fit is on the boundary. */
const PARAMETER_RANGE = 20;

/** Cap on likelihood evaluations of one fit (Newton iterations are capped separately). */
const MAX_EVALUATIONS = 500;

/**
 * Fits the MBG/NBD model by maximum likelihood (Newton in log-parameters, analytic gradient and Hessian).
 *
 * @param data distinct (x, t_x, T) with weights; needs at least 2 customers, one repeat purchase and T > 0.
 * @param options iteration cap.
 * @returns parameters, standard errors (inverse Hessian of −log L, natural parameters), log-likelihood,
 *   iterations, `converged` (an interior maximum with positive-definite curvature, as fitBgNbd) and
 *   `noDropout` (the fit ran to a → 0 or b/a → ∞: no drop-out in the data, the NBD limit).
 * @throws EngineError INSUFFICIENT_DATA when there are fewer than 2 customers or no repeat purchase.
 * References: Batislam et al. (2007), the MBG/NBD likelihood, fitted by maximum likelihood.
 */
export function fitMbgNbd(data: FitData, options: MbgNbdFitOptions = {}): MbgNbdFit {
  let customers = 0;
  let repeaters = 0;
  let sumT = 0;
  let sumX = 0;
  for (let i = 0; i < data.x.length; i++) {
    if (!(data.T[i] > 0)) throw new EngineError("INVALID_INPUT", `fitMbgNbd requires T > 0 (triple ${i + 1})`, { row: i + 1 });
    customers += data.weight[i];
    sumT += data.weight[i] * data.T[i];
    sumX += data.weight[i] * data.x[i];
    if (data.x[i] > 0) repeaters += data.weight[i];
  }
  if (customers < 2) throw new EngineError("INSUFFICIENT_DATA", "fitMbgNbd needs at least 2 customers");
  if (repeaters === 0) {
    throw new EngineError("INSUFFICIENT_DATA", "fitMbgNbd needs at least one customer with a repeat purchase; every customer bought once");
  }
  const prepared = prepare(data);
  const natural = new Float64Array(4);
  const hessianNatural = new Float64Array(16);
  // Start as fitBgNbd: r = 1, α matched to the mean purchase rate, a = b = 1.
  const meanRate = Math.max(sumX / sumT, 1e-6);
  const start = [0, Math.log(1 / meanRate), 0, 0];
  let evaluations = 0;
  // −log L per customer in θ = log(r, α, a, b) (chain rule as in fitBgNbd).
  const objective = (theta: Float64Array, gradient: Float64Array, hessian: Float64Array | null): number => {
    for (let i = 0; i < 4; i++) if (Math.abs(theta[i] - start[i]) > PARAMETER_RANGE) return Infinity;
    if (++evaluations > MAX_EVALUATIONS) return Infinity;
    const u = [Math.exp(theta[0]), Math.exp(theta[1]), Math.exp(theta[2]), Math.exp(theta[3])];
    const ll = logLikelihoodAndGradient(prepared, u[0], u[1], u[2], u[3], natural, hessian ? hessianNatural : null);
    for (let i = 0; i < 4; i++) gradient[i] = (-natural[i] * u[i]) / customers;
    if (hessian) {
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          hessian[i * 4 + j] = -(hessianNatural[i * 4 + j] * u[i] * u[j] + (i === j ? natural[i] * u[i] : 0)) / customers;
        }
      }
    }
    return -ll / customers;
  };
  const result = minimizeNewton(objective, start, { maxIterations: options.maxIterations ?? 100 });
  const params: MbgNbdParams = {
    r: Math.exp(result.x[0]),
    alpha: Math.exp(result.x[1]),
    a: Math.exp(result.x[2]),
    b: Math.exp(result.x[3]),
  };
  const hessian = new Float64Array(16);
  const logLikelihood = logLikelihoodAndGradient(prepared, params.r, params.alpha, params.a, params.b, natural, hessian);
  for (let i = 0; i < 16; i++) hessian[i] = -hessian[i];
  const covariance = invertPositiveDefinite(hessian, 4);
  let standardErrors: MbgNbdParams | null = null;
  if (covariance) {
    const se = [0, 1, 2, 3].map((i) => Math.sqrt(covariance[i * 5]));
    if (se.every(Number.isFinite)) standardErrors = { r: se[0], alpha: se[1], a: se[2], b: se[3] };
  }
  const atBoundary = Array.from(result.x).some((theta, i) => Math.abs(theta - start[i]) > PARAMETER_RANGE - 1);
  return {
    params,
    standardErrors: atBoundary ? null : standardErrors,
    logLikelihood,
    iterations: result.iterations,
    converged: result.converged && !atBoundary && evaluations <= MAX_EVALUATIONS && standardErrors !== null,
    noDropout: dropoutVanishes(params.a, params.b),
  };
}

/**
 * True when the drop-out probability p ~ Beta(a, b) has all but vanished: its mean a/(a+b) below 1e-6
 * (a → 0 or b → ∞). Shared with BG/NBD by the automatic model choice.
 */
export function dropoutVanishes(a: number, b: number): boolean {
  return a / (a + b) < 1e-6;
}

/** d = log[a/(b+x) · ((α+T)/(α+t_x))^{r+x}]: log-odds of dead against alive. */
function logOdds(params: MbgNbdParams, x: number, t_x: number, T: number): number {
  const { r, alpha, a, b } = params;
  return Math.log(a) - Math.log(b + x) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + t_x));
}

/**
 * Probability that a customer with history (x, t_x, T) is still alive at T.
 *
 * Unlike BG/NBD, a customer with no repeat purchase (x = 0) can be dead: they may have dropped out
 * right after their first purchase.
 *
 * @param params fitted r, α, a, b.
 * @param x repeat purchases (≥ 0).
 * @param t_x recency, 0 ≤ t_x ≤ T (period unit of the fit).
 * @param T age (≥ 0, period unit of the fit).
 * @returns P(alive | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^{r+x}), in [0, 1].
 * References: Batislam et al. (2007), Appendix A eq. 5.
 */
export function mbgNbdProbabilityAlive(params: MbgNbdParams, x: number, t_x: number, T: number): number {
  return Math.exp(-log1pExp(logOdds(params, x, t_x, T)));
}

/**
 * Expected purchases in the next t periods of a customer with x repeat purchases and age T, given
 * that they are alive: the BG/NBD expectation with b + x + 1 in place of b + x (see the module comment).
 *
 * @param params fitted r, α, a, b.
 * @param t horizon in periods (≥ 0).
 * @param x repeat purchases (≥ 0).
 * @param T age (≥ 0).
 * @returns (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))], ≥ 0.
 * @throws EngineError NOT_CONVERGED when the series does not converge (t beyond about 10⁴ α).
 * References: Wagner & Hoppe (2008), numerator of the conditional expectation.
 */
export function mbgNbdExpectedPurchasesIfAlive(params: MbgNbdParams, t: number, x: number, T: number): number {
  return bgNbdExpectedPurchasesIfAlive({ r: params.r, alpha: params.alpha, a: params.a, b: params.b + 1 }, t, x, T);
}

/**
 * Expected number of purchases in the next t periods by a customer with history (x, t_x, T).
 *
 * @param params fitted r, α, a, b.
 * @param t horizon in periods (≥ 0).
 * @param x repeat purchases (≥ 0).
 * @param t_x recency (0 ≤ t_x ≤ T).
 * @param T age (≥ 0).
 * @returns E[Y(t) | x, t_x, T] = (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x+1; a+b+x; z)]
 *   / (1 + a/(b+x) · ((α+T)/(α+t_x))^{r+x}), z = t/(α+T+t); ≥ 0.
 * @throws EngineError NOT_CONVERGED when the series does not converge.
 * References: Wagner & Hoppe (2008), the conditional expectation (erratum to Batislam et al. 2007).
 */
export function mbgNbdExpectedPurchases(params: MbgNbdParams, t: number, x: number, t_x: number, T: number): number {
  return Math.max(0, mbgNbdProbabilityAlive(params, x, t_x, T) * mbgNbdExpectedPurchasesIfAlive(params, t, x, T));
}

/**
 * Expected purchases in the first t periods of a new customer (after the first purchase).
 *
 * @param params fitted r, α, a, b.
 * @param t periods since the first purchase (≥ 0).
 * @returns E[X(t)] = b/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))]: the alive expectation times
 *   the chance b/(a+b) of surviving the drop-out opportunity at time 0.
 * References: Batislam et al. (2007), E[X(t)] (as lifetimes evaluates it).
 */
export function mbgNbdExpectedPurchasesNew(params: MbgNbdParams, t: number): number {
  return (params.b / (params.a + params.b)) * mbgNbdExpectedPurchasesIfAlive(params, t, 0, 0);
}

/**
 * Probability that a new customer makes exactly x repeat purchases in the first t periods.
 *
 * P(X(t) = x) = B(a, b+x+1)/B(a, b) · NBD(x) + B(a+1, b+x)/B(a, b) · [1 − Σ_{j<x} NBD(j)], with
 * NBD(j) = Γ(r+j)/(Γ(r) j!) (α/(α+t))^r (t/(α+t))^j: alive after x + 1 drop-out opportunities with x
 * Poisson events, or dropped out at the opportunity after the x-th purchase (at time 0 when x = 0).
 *
 * @param params fitted r, α, a, b.
 * @param t periods since the first purchase (> 0).
 * @param x number of repeat purchases (whole number ≥ 0).
 * @returns P(X(t) = x) in [0, 1].
 * References: Batislam et al. (2007), P(X(t) = x) (as lifetimes evaluates it).
 */
export function mbgNbdProbabilityOfPurchases(params: MbgNbdParams, t: number, x: number): number {
  const { r, alpha, a, b } = params;
  const logBab = logGamma(a) + logGamma(b) - logGamma(a + b);
  const logP = Math.log(alpha / (alpha + t));
  const logQ = Math.log(t / (alpha + t));
  const logNbd = (j: number): number => logGamma(r + j) - logGamma(r) - logGamma(j + 1) + r * logP + (j > 0 ? j * logQ : 0);
  const alive = Math.exp(logGamma(a) + logGamma(b + x + 1) - logGamma(a + b + x + 1) - logBab + logNbd(x));
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
  const dead = Math.exp(logGamma(a + 1) + logGamma(b + x) - logGamma(a + b + x + 1) - logBab) * upper;
  return Math.min(1, Math.max(0, alive + dead));
}
