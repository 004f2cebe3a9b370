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
 * cannot overflow; gradient (digamma) and Hessian (trigamma) are analytic, and the fit is Newton's
 * method in log-parameters. The conditional expectation uses Euler's transformation of ₂F₁, which
 * removes the removable singularity at a = 1 (see {@link bgNbdExpectedPurchases}).
 *
 * References: Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005), "'Counting Your Customers' the Easy
 * Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275-284 (eq. 6 likelihood,
 * eq. 7 E[X(t)], eq. 8 P(X(t) = x), eq. 10 conditional expectation); Fader, Hardie & Lee (2008),
 * "Computing P(alive) Using the BG/NBD Model" (brucehardie.com/notes/021/), eq. 2; Abramowitz & Stegun
 * 15.3.3 (Euler's transformation).
 */

import { EngineError } from "../errors";
import { invertPositiveDefinite, minimizeNewton } from "../math/minimize";
import { digamma, log1pExp, logGamma, trigamma } from "../math/special";
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
  /** Newton iteration cap (default 100). */
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

/** Per-fit constants: distinct x, T and t_x values, weight sums for the terms without drop-out, and the repeat buyers' triples. */
interface Prepared {
  readonly xValues: Float64Array;
  readonly TValues: Float64Array;
  readonly txValues: Float64Array;
  /** Σ weight per distinct x. */
  readonly weightOfX: Float64Array;
  /** Σ weight per distinct T. */
  readonly weightOfT: Float64Array;
  /** Σ weight · x per distinct T. */
  readonly weightedXOfT: Float64Array;
  /** Σ weight (customers). */
  readonly totalWeight: number;
  /** The triples with x > 0 (the only ones with a drop-out term): weight and indices into xValues, TValues, txValues. */
  readonly repeatWeight: Float64Array;
  readonly repeatX: Int32Array;
  readonly repeatT: Int32Array;
  readonly repeatTx: Int32Array;
}

function prepare(data: FitData): Prepared {
  const x = distinctValues(data.x);
  const T = distinctValues(data.T);
  const tx = distinctValues(data.t_x);
  const weightOfX = new Float64Array(x.values.length);
  const weightOfT = new Float64Array(T.values.length);
  const weightedXOfT = new Float64Array(T.values.length);
  let totalWeight = 0;
  let repeats = 0;
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i];
    weightOfX[x.indexOf[i]] += w;
    weightOfT[T.indexOf[i]] += w;
    weightedXOfT[T.indexOf[i]] += w * data.x[i];
    totalWeight += w;
    if (data.x[i] > 0) repeats++;
  }
  const repeatWeight = new Float64Array(repeats);
  const repeatX = new Int32Array(repeats);
  const repeatT = new Int32Array(repeats);
  const repeatTx = new Int32Array(repeats);
  for (let i = 0, j = 0; i < data.x.length; i++) {
    if (data.x[i] > 0) {
      repeatWeight[j] = data.weight[i];
      repeatX[j] = x.indexOf[i];
      repeatT[j] = T.indexOf[i];
      repeatTx[j++] = tx.indexOf[i];
    }
  }
  return {
    xValues: x.values,
    TValues: T.values,
    txValues: tx.values,
    weightOfX,
    weightOfT,
    weightedXOfT,
    totalWeight,
    repeatWeight,
    repeatX,
    repeatT,
    repeatTx,
  };
}

/**
 * log L and, on request, its gradient and Hessian with respect to the natural parameters (r, α, a, b),
 * summed over triples, in one pass. Per triple,
 *
 *   ℓ = log Γ(r+x) − log Γ(r) + log B(a, b+x) − log B(a, b) + r log α − (r+x) log(α+T) + δ_{x>0} log(1 + e^d),
 *   d = log a − log(b+x−1) + (r+x)·(log(α+T) − log(α+t_x)).
 *
 * Everything but the last term is a sum of functions of x alone and of T alone, so it is computed from
 * the weights per distinct x and per distinct T. Per repeat triple only d remains, with
 * ∂ log(1 + e^d) = ρ·∂d and ∂² log(1 + e^d) = ρ·∂²d + ρ(1 − ρ)·∂d ∂dᵀ, ρ = e^d / (1 + e^d), where
 * ∂d = (L, (r+x)M, 1/a, −1/(b+x−1)) with L = log(α+T) − log(α+t_x), M = 1/(α+T) − 1/(α+t_x), and the
 * non-zero second derivatives of d are ∂²d/∂r∂α = M, ∂²d/∂α² = −(r+x)·M·(1/(α+T) + 1/(α+t_x)),
 * ∂²d/∂a² = −1/a², ∂²d/∂b² = 1/(b+x−1)².
 *
 * @param gradient receives ∂ log L / ∂(r, α, a, b) when given.
 * @param hessian receives the 4×4 Hessian (row-major, both triangles) when given; needs `gradient`.
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
  const { xValues, TValues, txValues, weightOfX, weightOfT, weightedXOfT, totalWeight, repeatWeight, repeatX, repeatT, repeatTx } = prepared;
  const withHessian = gradient !== null && hessian !== null;
  let total = 0;
  let gr = 0;
  let galpha = 0;
  let ga = 0;
  let gb = 0;
  // Hessian parts from the terms in x alone (∂²/∂a∂b equals ∂²/∂a² there).
  let hrr = 0;
  let haa = 0;
  let hbb = 0;
  // Terms in x alone: log Γ(r+x) − log Γ(r) + log Γ(b+x) − log Γ(a+b+x) − log Γ(b) + log Γ(a+b), all 0 at x = 0.
  const m = xValues.length;
  const logBx1 = new Float64Array(m);
  const inverseBx1 = new Float64Array(m);
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
    if (x === 0) continue;
    logBx1[k] = Math.log(b + x - 1);
    inverseBx1[k] = 1 / (b + x - 1);
    const w = weightOfX[k];
    total += w * (logGamma(r + x) - lgR + logGamma(b + x) - logGamma(a + b + x) - lgB + lgAB);
    if (gradient) {
      const psiAB = digamma(a + b + x) - dgAB;
      gr += w * (digamma(r + x) - dgR);
      ga -= w * psiAB;
      gb += w * (digamma(b + x) - dgB - psiAB);
    }
    if (withHessian) {
      const trigammaAB = trigamma(a + b + x) - tgAB;
      hrr += w * (trigamma(r + x) - tgR);
      haa -= w * trigammaAB;
      hbb += w * (trigamma(b + x) - tgB - trigammaAB);
    }
  }
  // Terms in T alone: r log α − (r + x) log(α + T), summed with Σw and Σw·x per distinct T.
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
    const shape = r * weightOfT[k] + weightedXOfT[k]; // Σ w·(r + x)
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
  // Drop-out term log(1 + e^d) of the repeat buyers. Sums of w·ρ and w·ρ(1 − ρ) times parts of ∂d;
  // the factors 1/a and −1 are applied after the loop.
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
  for (let j = 0; j < repeatWeight.length; j++) {
    const w = repeatWeight[j];
    const k = repeatX[j];
    const kT = repeatT[j];
    const kx = repeatTx[j];
    const rx = r + xValues[k];
    const logRatio = logAlphaT[kT] - logAlphaTx[kx];
    const d = logA - logBx1[k] + rx * logRatio;
    // log(1 + e^d) and ρ = e^d / (1 + e^d) = 1 − P(alive) from one exponential; ρ(1 − ρ) = e/(1 + e)².
    const e = Math.exp(-Math.abs(d));
    total += w * ((d > 0 ? d : 0) + Math.log1p(e));
    if (gradient) {
      const inverse1e = 1 / (1 + e);
      const wRho = w * (d > 0 ? inverse1e : e * inverse1e);
      const M = inverseAlphaT[kT] - inverseAlphaTx[kx];
      const dAlpha = rx * M;
      const ib = inverseBx1[k];
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
 * Log-likelihood of BG/NBD parameters with its analytic gradient and Hessian in (r, α, a, b).
 *
 * @param params r, α, a, b > 0 (α in the data's period unit).
 * @param data distinct (x, t_x, T) with weights.
 * @returns the log-likelihood as {@link bgNbdLogLikelihood}, its gradient [∂/∂r, ∂/∂α, ∂/∂a, ∂/∂b]
 *   and its Hessian (4×4, row-major, symmetric) in that order of parameters.
 * @throws EngineError INVALID_INPUT when a parameter is not positive and finite.
 * References: Fader, Hardie & Lee (2005), eq. 6.
 */
export function bgNbdLogLikelihoodDerivatives(
  params: BgNbdParams,
  data: FitData,
): { logLikelihood: number; gradient: Float64Array; hessian: Float64Array } {
  checkParams(params, "bgNbdLogLikelihoodDerivatives");
  const gradient = new Float64Array(4);
  const hessian = new Float64Array(16);
  const logLikelihood = logLikelihoodAndGradient(prepare(data), params.r, params.alpha, params.a, params.b, gradient, hessian);
  return { logLikelihood, gradient, hessian };
}

/**
 * Fits the BG/NBD model by maximum likelihood (Newton in log-parameters, analytic gradient and Hessian).
 *
 * @param data distinct (x, t_x, T) with weights; needs at least one repeat purchase and T > 0.
 * @param options iteration cap.
 * @returns parameters, standard errors (inverse Hessian of −log L, natural parameters), log-likelihood,
 *   iterations and `converged`: Newton converged inside the parameter range (within e^20 of the start,
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
  const hessianNatural = new Float64Array(16);
  // Start: r = 1 and α matched to the mean purchase rate (scale-free in the period unit), a = b = 1.
  const meanRate = Math.max(sumX / sumT, 1e-6);
  const start = [0, Math.log(1 / meanRate), 0, 0];
  let evaluations = 0;
  // −log L per customer (the same minimiser whatever the number of customers) in θ = log(r, α, a, b),
  // with the chain rule: ∂f/∂θᵢ = −gᵢ·uᵢ/N and ∂²f/∂θᵢ∂θⱼ = −(Hᵢⱼ·uᵢ·uⱼ + [i = j]·gᵢ·uᵢ)/N, u = (r, α, a, b).
  const objective = (theta: Float64Array, gradient: Float64Array, hessian: Float64Array | null): number => {
    // Parameters more than e^20 away from the start are a drift to the boundary (for example no
    // heterogeneity at all): refuse the step, so the fit stops there and reports it instead of
    // spending its iterations on an ever flatter ridge.
    for (let i = 0; i < 4; i++) if (Math.abs(theta[i] - start[i]) > PARAMETER_RANGE) return Infinity;
    // Evaluation budget: a fit creeping along a flat ridge stops here and reports that it did not converge.
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
  // Newton with the analytic Hessian: about ten passes over the triples (BFGS needed about 40 with
  // its second-difference standard errors).
  const result = minimizeNewton(objective, start, { maxIterations: options.maxIterations ?? 100 });
  const params: BgNbdParams = {
    r: Math.exp(result.x[0]),
    alpha: Math.exp(result.x[1]),
    a: Math.exp(result.x[2]),
    b: Math.exp(result.x[3]),
  };
  // Standard errors: the inverse of the analytic Hessian of −log L in the natural parameters.
  const hessian = new Float64Array(16);
  const logLikelihood = logLikelihoodAndGradient(prepared, params.r, params.alpha, params.a, params.b, natural, hessian);
  for (let i = 0; i < 16; i++) hessian[i] = -hessian[i];
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
    logLikelihood,
    iterations: result.iterations,
    // A maximum needs negative-definite curvature: without standard errors the fit sits on a flat ridge.
    converged: result.converged && !atBoundary && evaluations <= MAX_EVALUATIONS && standardErrors !== null,
  };
}

/** Largest distance of a log-parameter from its start (e^20 ≈ 5e8): beyond it the fit is on the boundary. */
const PARAMETER_RANGE = 20;

/** Cap on likelihood evaluations of one fit (Newton iterations are capped separately). */
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
