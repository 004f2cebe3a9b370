/**
 * The NBD model of repeat purchasing without drop-out (Ehrenberg 1959; Morrison & Schmittlein 1988):
 * fit and predictions. It is the limit of BG/NBD and MBG/NBD when the drop-out probability p → 0
 * (a → 0 or b → ∞), and of Pareto/NBD when the drop-out rate μ → 0 (s → 0 or β → ∞): every customer
 * stays active and buys as a Poisson process with rate λ ~ Gamma(r, α).
 *
 * Glossary: x frequency (repeat purchases), t_x recency, T age, t horizon, all in one period unit;
 * r, α (alpha) shape and rate of the purchase-rate gamma; λ̂ = Σx/ΣT the pooled purchase rate.
 *
 * The likelihood uses the purchase times, as the drop-out models do (so their log-likelihoods are
 * comparable and the NBD's is their limit): per customer L = Γ(r+x)/Γ(r) · α^r / (α+T)^{r+x}, which
 * does not depend on t_x. When customers buy at the same rate (no heterogeneity), the maximum lies at
 * r → ∞ with r/α → λ̂, the Poisson model: the fit then reports r = 10⁸ and α = r/λ̂ (within 10⁻⁸ of the
 * limit in every prediction) and says so with `poissonLimit`.
 *
 * References: Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy Way", Marketing Science
 * 24(2), eq. 6 with a → 0 (its terms without drop-out) and eq. 10 with the same limit, which gives the
 * conditional expectation (r+x)/(α+T)·t; Morrison, D. G. & Schmittlein, D. C. (1988), "Generalizing
 * the NBD Model for Customer Purchases: What Are the Implications and Is It Worth the Effort?",
 * Journal of Business & Economic Statistics 6(2), 145-159.
 *
 * Shared with BG/NBD and MBG/NBD (the NBD is their part without drop-out): the likelihood terms in T
 * alone ({@link addAgeTerms}, used by betaGeometric.ts) and the count probabilities NBD(x) with their
 * upper tail ({@link nbdCountProbability}, used by their P(X(t) = x)). Both are internal: index.ts does
 * not export them.
 */

import { EngineError } from "../errors";
import { logParameterDerivatives } from "../math/logParameterDerivatives";
import { invertPositiveDefinite, minimizeNewton } from "../math/minimize";
import { digamma, logGamma, trigamma } from "../math/special";
import type { FitData } from "./fitData";

export interface NbdParams {
  readonly r: number;
  readonly alpha: number;
}

export interface NbdFit {
  readonly params: NbdParams;
  /** Standard errors from the inverse Hessian of −log L; null when it is not positive definite or at the Poisson limit. */
  readonly standardErrors: NbdParams | null;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** True when the maximum is the Poisson limit r → ∞ (customers buy at one common rate). */
  readonly poissonLimit: boolean;
}

/** r reported at the Poisson limit (predictions then differ from the limit by about x/r). */
const POISSON_LIMIT_SHAPE = 1e8;

/** Distinct x and T with weight sums (the NBD likelihood depends on nothing else). */
interface Prepared {
  readonly xValues: Float64Array;
  readonly weightOfX: Float64Array;
  readonly TValues: Float64Array;
  readonly weightOfT: Float64Array;
  readonly weightedXOfT: Float64Array;
  readonly totalWeight: number;
  readonly totalX: number;
  readonly totalT: number;
}

function prepare(data: FitData): Prepared {
  const xMap = new Map<number, number>();
  const TMap = new Map<number, { w: number; wx: number }>();
  let totalWeight = 0;
  let totalX = 0;
  let totalT = 0;
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i];
    xMap.set(data.x[i], (xMap.get(data.x[i]) ?? 0) + w);
    const entry = TMap.get(data.T[i]) ?? { w: 0, wx: 0 };
    entry.w += w;
    entry.wx += w * data.x[i];
    TMap.set(data.T[i], entry);
    totalWeight += w;
    totalX += w * data.x[i];
    totalT += w * data.T[i];
  }
  return {
    xValues: Float64Array.from(xMap.keys()),
    weightOfX: Float64Array.from(xMap.values()),
    TValues: Float64Array.from(TMap.keys()),
    weightOfT: Float64Array.from(TMap.values(), (e) => e.w),
    weightedXOfT: Float64Array.from(TMap.values(), (e) => e.wx),
    totalWeight,
    totalX,
    totalT,
  };
}

/**
 * log L = Σ w [log Γ(r+x) − log Γ(r) + r log α − (r+x) log(α+T)] and, on request, its gradient
 * (ψ(r+x) − ψ(r) + log α − log(α+T), r/α − (r+x)/(α+T)) and Hessian
 * ((ψ'(r+x) − ψ'(r), 1/α − 1/(α+T)), (·, −r/α² + (r+x)/(α+T)²)), summed per distinct x and T.
 */
function logLikelihoodAndGradient(prepared: Prepared, r: number, alpha: number, gradient: Float64Array | null, hessian: Float64Array | null): number {
  const { xValues, weightOfX } = prepared;
  const lgR = logGamma(r);
  const dgR = gradient ? digamma(r) : 0;
  const tgR = hessian ? trigamma(r) : 0;
  let total = 0;
  let gr = 0;
  let hrr = 0;
  for (let k = 0; k < xValues.length; k++) {
    const x = xValues[k];
    if (x === 0) continue;
    const w = weightOfX[k];
    total += w * (logGamma(r + x) - lgR);
    if (gradient) gr += w * (digamma(r + x) - dgR);
    if (hessian) hrr += w * (trigamma(r + x) - tgR);
  }
  const age = addAgeTerms(prepared, r, alpha, total, gr, null, null);
  if (gradient) {
    gradient[0] = age.gr;
    gradient[1] = age.galpha;
  }
  if (gradient && hessian) hessian.set([hrr, age.hralpha, age.hralpha, age.halphaalpha]);
  return age.total;
}

/** Distinct ages T with Σ weight and Σ weight · x per T, and Σ weight: all the terms in T alone need. */
export interface AgeTermData {
  readonly TValues: Float64Array;
  readonly weightOfT: Float64Array;
  readonly weightedXOfT: Float64Array;
  readonly totalWeight: number;
}

/**
 * The terms in T alone of the gamma-Poisson purchase likelihood, Σ w [r log α − (r+x) log(α+T)], with
 * their derivatives: the whole of the NBD likelihood but log Γ(r+x) − log Γ(r), and the part of the
 * BG/NBD and MBG/NBD likelihoods without drop-out that depends on T (see betaGeometric.ts).
 *
 * @param data distinct T with weight sums.
 * @param r shape of the purchase-rate gamma (> 0).
 * @param alpha rate of the purchase-rate gamma (> 0, per period of the data).
 * @param total the running log-likelihood the terms are added to, in the caller's order of additions
 *   (each model rounds as it did with its own copy of these terms).
 * @param gr the running ∂ log L/∂r, likewise.
 * @param logAlphaT receives log(α+T) per distinct T when given (the drop-out term reuses it).
 * @param inverseAlphaT receives 1/(α+T) per distinct T when given.
 * @returns total and ∂/∂r with the terms added, and ∂/∂α, ∂²/∂r∂α, ∂²/∂α² of the terms (∂²/∂r² is 0).
 * References: Fader, Hardie & Lee (2005), eq. 6 (its factor α^r / (α+T)^{r+x}).
 */
export function addAgeTerms(
  data: AgeTermData,
  r: number,
  alpha: number,
  total: number,
  gr: number,
  logAlphaT: Float64Array | null,
  inverseAlphaT: Float64Array | null,
): { total: number; gr: number; galpha: number; hralpha: number; halphaalpha: number } {
  const { TValues, weightOfT, weightedXOfT, totalWeight } = data;
  const logAlpha = Math.log(alpha);
  total += totalWeight * r * logAlpha;
  gr += totalWeight * logAlpha;
  let galpha = (totalWeight * r) / alpha;
  let hralpha = totalWeight / alpha;
  let halphaalpha = (-totalWeight * r) / (alpha * alpha);
  for (let k = 0; k < TValues.length; k++) {
    const logT = Math.log(alpha + TValues[k]);
    const inverse = 1 / (alpha + TValues[k]);
    if (logAlphaT) logAlphaT[k] = logT;
    if (inverseAlphaT) inverseAlphaT[k] = inverse;
    const shape = r * weightOfT[k] + weightedXOfT[k]; // Σ w·(r + x)
    total -= shape * logT;
    gr -= weightOfT[k] * logT;
    galpha -= shape * inverse;
    hralpha -= weightOfT[k] * inverse;
    halphaalpha += shape * inverse * inverse;
  }
  return { total, gr, galpha, hralpha, halphaalpha };
}

/**
 * Log-likelihood of NBD parameters on (weighted) customer data.
 *
 * @param params r, α > 0 (α in the data's period unit).
 * @param data distinct (x, t_x, T) with weights (t_x is not used).
 * @returns Σ weight · [log Γ(r+x) − log Γ(r) + r log α − (r+x) log(α+T)].
 * @throws EngineError INVALID_INPUT when a parameter is not positive and finite.
 * References: Fader, Hardie & Lee (2005), eq. 6 in the limit a → 0.
 */
export function nbdLogLikelihood(params: NbdParams, data: FitData): number {
  for (const key of ["r", "alpha"] as const) {
    if (!(params[key] > 0 && Number.isFinite(params[key]))) {
      throw new EngineError("INVALID_INPUT", `nbdLogLikelihood requires ${key} > 0 (got ${String(params[key])})`);
    }
  }
  return logLikelihoodAndGradient(prepare(data), params.r, params.alpha, null, null);
}

/** Largest distance of a log-parameter from its start: beyond it the fit is on the boundary. */
const PARAMETER_RANGE = 20;

/**
 * Fits the NBD model by maximum likelihood (Newton in log-parameters, analytic gradient and Hessian).
 *
 * @param data distinct (x, t_x, T) with weights; needs at least 2 customers, a repeat purchase and T > 0.
 * @param options Newton iteration cap (default 100).
 * @returns parameters, standard errors, log-likelihood, iterations, `converged` and `poissonLimit`
 *   (the maximum is r → ∞: reported as r = 10⁸, α = r/λ̂, converged, no standard errors).
 * @throws EngineError INSUFFICIENT_DATA when there are fewer than 2 customers or no repeat purchase.
 * References: Morrison & Schmittlein (1988); Fader, Hardie & Lee (2005), eq. 6 with a → 0.
 */
export function fitNbd(data: FitData, options: { maxIterations?: number } = {}): NbdFit {
  for (let i = 0; i < data.x.length; i++) {
    if (!(data.T[i] > 0)) throw new EngineError("INVALID_INPUT", `fitNbd requires T > 0 (triple ${i + 1})`, { row: i + 1 });
  }
  const prepared = prepare(data);
  const customers = prepared.totalWeight;
  if (customers < 2) throw new EngineError("INSUFFICIENT_DATA", "fitNbd needs at least 2 customers");
  if (prepared.totalX === 0) throw new EngineError("INSUFFICIENT_DATA", "fitNbd needs at least one customer with a repeat purchase");
  const pooledRate = prepared.totalX / prepared.totalT;
  const start = [0, Math.log(1 / pooledRate)];
  const natural = new Float64Array(2);
  const hessianNatural = new Float64Array(4);
  const objective = (theta: Float64Array, gradient: Float64Array, hessian: Float64Array | null): number => {
    for (let i = 0; i < 2; i++) if (Math.abs(theta[i] - start[i]) > PARAMETER_RANGE) return Infinity;
    const u = [Math.exp(theta[0]), Math.exp(theta[1])];
    const ll = logLikelihoodAndGradient(prepared, u[0], u[1], natural, hessian ? hessianNatural : null);
    logParameterDerivatives(u, natural, hessianNatural, customers, gradient, hessian);
    return -ll / customers;
  };
  const result = minimizeNewton(objective, start, { maxIterations: options.maxIterations ?? 100 });
  const r = Math.exp(result.x[0]);
  const alpha = Math.exp(result.x[1]);
  const atBoundary = Array.from(result.x).some((theta, i) => Math.abs(theta - start[i]) > PARAMETER_RANGE - 1);
  // The Poisson limit: its log-likelihood Σw[x log λ̂ − λ̂T] is the supremum over r → ∞. When it is at
  // least the interior fit's (customers no more dispersed than a Poisson process), report it.
  const poissonParams = { r: POISSON_LIMIT_SHAPE, alpha: POISSON_LIMIT_SHAPE / pooledRate };
  const poissonLL = logLikelihoodAndGradient(prepared, poissonParams.r, poissonParams.alpha, null, null);
  const interiorLL = logLikelihoodAndGradient(prepared, r, alpha, natural, hessianNatural);
  if (atBoundary || !result.converged || r > POISSON_LIMIT_SHAPE || poissonLL >= interiorLL) {
    if (r > 1e3 || poissonLL >= interiorLL) {
      return { params: poissonParams, standardErrors: null, logLikelihood: poissonLL, iterations: result.iterations, converged: true, poissonLimit: true };
    }
  }
  const information = Float64Array.from(hessianNatural, (h) => -h);
  const covariance = invertPositiveDefinite(information, 2);
  let standardErrors: NbdParams | null = null;
  if (covariance) {
    const se = [Math.sqrt(covariance[0]), Math.sqrt(covariance[3])];
    if (se.every(Number.isFinite)) standardErrors = { r: se[0], alpha: se[1] };
  }
  return {
    params: { r, alpha },
    standardErrors: atBoundary ? null : standardErrors,
    logLikelihood: interiorLL,
    iterations: result.iterations,
    converged: result.converged && !atBoundary && standardErrors !== null,
    poissonLimit: false,
  };
}

/**
 * Expected purchases in the next t periods of a customer with x repeat purchases and age T: every
 * customer is alive, with λ ~ Gamma(r + x, α + T) after their history.
 *
 * @param params fitted r, α.
 * @param t horizon in periods (≥ 0).
 * @param x repeat purchases (≥ 0).
 * @param T age (≥ 0; 0 gives a new customer's r/α·t).
 * @returns E[Y(t) | x, T] = (r + x)/(α + T) · t.
 * References: Fader, Hardie & Lee (2005), eq. 10 in the limit a → 0.
 */
export function nbdExpectedPurchases(params: NbdParams, t: number, x: number, T: number): number {
  return ((params.r + x) / (params.alpha + T)) * t;
}

/**
 * log NBD(x) and the upper tail 1 − Σ_{j<x} NBD(j) of the number of purchases in t periods by a customer
 * who stays alive, NBD(j) = Γ(r+j)/(Γ(r) j!) · (α/(α+t))^r · (t/(α+t))^j: the pieces of P(X(t) = x) in
 * BG/NBD and MBG/NBD (alive throughout, or dropped out after the x-th purchase).
 *
 * @param r shape of the purchase-rate gamma (> 0).
 * @param alpha rate of the purchase-rate gamma (> 0, per period).
 * @param t periods (> 0).
 * @param x number of purchases (whole number ≥ 0).
 * @returns logProbability = log NBD(x) and upperTail = P(N(t) ≥ x), summed directly when it is below
 *   0.5 to avoid cancellation.
 * References: Fader, Hardie & Lee (2005), eq. 8; Batislam et al. (2007), P(X(t) = x).
 */
export function nbdCountProbability(r: number, alpha: number, t: number, x: number): { logProbability: number; upperTail: number } {
  const logP = Math.log(alpha / (alpha + t));
  const logQ = Math.log(t / (alpha + t));
  // NBD(r, α/(α+t)) probability of j events, in log space.
  const logNbd = (j: number): number => logGamma(r + j) - logGamma(r) - logGamma(j + 1) + r * logP + (j > 0 ? j * logQ : 0);
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
  return { logProbability: logNbd(x), upperTail: upper };
}
