/**
 * The likelihood and fit shared by BG/NBD and MBG/NBD (internal: the public API, its documentation and
 * the predictions live in bgNbd.ts and mbgNbd.ts, one model per file).
 *
 * Both models let a customer buy as a Poisson process with rate λ ~ Gamma(r, α) while alive and drop
 * out with probability p ~ Beta(a, b) at each drop-out opportunity. They differ only in where the
 * first opportunity lies, which shifts b in the likelihood by one:
 *
 * | variant  | first drop-out opportunity      | alive term B(a, ·)/B(a, b) | drop-out log-odds d uses | customers with a drop-out term |
 * | -------- | ------------------------------- | -------------------------- | ------------------------ | ------------------------------ |
 * | "bgNbd"  | after the first repeat purchase | B(a, b+x)                  | log(b+x−1)               | repeat buyers (x ≥ 1)          |
 * | "mbgNbd" | at time 0, after the first one  | B(a, b+x+1)                | log(b+x)                 | every customer (x ≥ 0)         |
 *
 * Glossary (paper symbols): x frequency (repeat purchases), t_x recency, T age, all in one period
 * unit; r, α (alpha) shape and rate of the purchase-rate gamma; a, b shapes of the drop-out beta;
 * B(·,·) beta function; d the log-odds of dead against alive; ρ = e^d / (1 + e^d).
 *
 * The terms in T alone are the NBD's ({@link addAgeTerms} in nbd.ts, the model without drop-out).
 *
 * Two edges of the parameter space are limits that are models in their own right: a → 0 or b/a → ∞
 * (no drop-out: the NBD, nbd.ts) and a, b → ∞ with a/(a + b) = p (the same drop-out probability p for
 * every customer, the common-drop-out limit here: {@link commonDropoutLogLikelihood}). When the fit
 * runs off along the second, that 3-parameter model is fitted exactly and reported as the maximum.
 *
 * Numerics: log space, A + log(1 + e^d) per customer with the two-term sum written as
 * max(d, 0) + log(1 + e^{−|d|}), so a customer with 500 purchases cannot overflow; gradient (digamma)
 * and Hessian (trigamma) analytic; the fit is Newton's method in log-parameters, with standard errors
 * from the analytic Hessian in the natural parameters.
 *
 * References: Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005), "'Counting Your Customers' the Easy
 * Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275-284, eq. 6 (the BG/NBD
 * likelihood) and §3 (maximum likelihood); Batislam, E. P., Denizel, M. & Filiztekin, A. (2007),
 * "Empirical validation and comparison of models for customer base analysis", International Journal of
 * Research in Marketing 24(3), 201-209 (the MBG/NBD likelihood; lifetimes' ModifiedBetaGeoFitter terms
 * A₁ + A₂ + A₃ + log(1 + e^{A₄})).
 */

import { EngineError } from "../errors";
import { logParameterDerivatives } from "../math/logParameterDerivatives";
import { invertPositiveDefinite, minimizeNewton } from "../math/minimize";
import { digamma, log1pExp, logGamma, trigamma } from "../math/special";
import type { FitData } from "./fitData";
import { addAgeTerms } from "./nbd";

/** The member of the family: BG/NBD (Fader, Hardie & Lee 2005) or MBG/NBD (Batislam et al. 2007). */
export type BetaGeometricVariant = "bgNbd" | "mbgNbd";

export interface BetaGeometricParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

export interface BetaGeometricFit {
  readonly params: BetaGeometricParams;
  readonly standardErrors: BetaGeometricParams | null;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  /**
   * The common-drop-out limit when the maximum is there (a, b → ∞ with a/(a + b) = p: every customer
   * drops out with the same probability p), else null. `params` then holds r, α of the limit and
   * a = p·10¹⁰, b = (1 − p)·10¹⁰ standing for it, `standardErrors` is null (a and b have none) and the
   * limit's own standard errors of r, α and p are here.
   */
  readonly commonDropout: CommonDropoutFit | null;
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

/**
 * Per-fit constants: distinct x, T and t_x values, weight sums for the terms without drop-out, and the
 * triples with a drop-out term.
 */
interface Prepared {
  readonly variant: BetaGeometricVariant;
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
  /**
   * The triples with a drop-out term (BG/NBD: x > 0; MBG/NBD: all): weight and indices into xValues,
   * TValues, txValues.
   */
  readonly dropoutWeight: Float64Array;
  readonly dropoutX: Int32Array;
  readonly dropoutT: Int32Array;
  readonly dropoutTx: Int32Array;
}

function prepare(data: FitData, variant: BetaGeometricVariant): Prepared {
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
  const common = { variant, xValues: x.values, TValues: T.values, txValues: tx.values, weightOfX, weightOfT, weightedXOfT, totalWeight };
  // MBG/NBD: every triple has a drop-out term, so the indices serve as they are.
  if (variant === "mbgNbd") {
    return { ...common, dropoutWeight: data.weight, dropoutX: x.indexOf, dropoutT: T.indexOf, dropoutTx: tx.indexOf };
  }
  const dropoutWeight = new Float64Array(repeats);
  const dropoutX = new Int32Array(repeats);
  const dropoutT = new Int32Array(repeats);
  const dropoutTx = new Int32Array(repeats);
  for (let i = 0, j = 0; i < data.x.length; i++) {
    if (data.x[i] > 0) {
      dropoutWeight[j] = data.weight[i];
      dropoutX[j] = x.indexOf[i];
      dropoutT[j] = T.indexOf[i];
      dropoutTx[j++] = tx.indexOf[i];
    }
  }
  return { ...common, dropoutWeight, dropoutX, dropoutT, dropoutTx };
}

/**
 * log L and, on request, its gradient and Hessian with respect to the natural parameters (r, α, a, b),
 * summed over triples, in one pass. Per triple, with β = b + x (BG/NBD) or β = b + x + 1 (MBG/NBD),
 *
 *   ℓ = log Γ(r+x) − log Γ(r) + log B(a, β) − log B(a, b) + r log α − (r+x) log(α+T) + δ log(1 + e^d),
 *   d = log a − log(β−1) + (r+x)·(log(α+T) − log(α+t_x)),
 *
 * δ = [x > 0] for BG/NBD (its x = 0 customers cannot have dropped out) and δ = 1 for MBG/NBD. Everything
 * but the last term is a sum of functions of x alone and of T alone, so it is computed from the weights
 * per distinct x and per distinct T. Per drop-out triple only d remains, with ∂ log(1 + e^d) = ρ·∂d and
 * ∂² log(1 + e^d) = ρ·∂²d + ρ(1 − ρ)·∂d ∂dᵀ, ρ = e^d / (1 + e^d), where
 * ∂d = (L, (r+x)M, 1/a, −1/(β−1)) with L = log(α+T) − log(α+t_x), M = 1/(α+T) − 1/(α+t_x), and the
 * non-zero second derivatives of d are ∂²d/∂r∂α = M, ∂²d/∂α² = −(r+x)·M·(1/(α+T) + 1/(α+t_x)),
 * ∂²d/∂a² = −1/a², ∂²d/∂b² = 1/(β−1)².
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
  const { variant, xValues, TValues, txValues, weightOfX, dropoutWeight, dropoutX, dropoutT, dropoutTx } = prepared;
  const modified = variant === "mbgNbd";
  const withHessian = gradient !== null && hessian !== null;
  let total = 0;
  let gr = 0;
  let ga = 0;
  let gb = 0;
  // Hessian parts from the terms in x alone (∂²/∂a∂b equals ∂²/∂a² there).
  let hrr = 0;
  let haa = 0;
  let hbb = 0;
  // Terms in x alone: log Γ(r+x) − log Γ(r) + log Γ(β) − log Γ(a+β) − log Γ(b) + log Γ(a+b).
  const m = xValues.length;
  const logBDropout = new Float64Array(m);
  const inverseBDropout = new Float64Array(m);
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
    // BG/NBD: the terms in x alone are all 0 at x = 0 and such a customer has no drop-out term.
    if (x === 0 && !modified) continue;
    // β and a + β written as (b + x) + 1, (a + b + x) + 1 so that each variant rounds as its own formula.
    const bx = b + x;
    const abx = a + b + x;
    const beta = modified ? bx + 1 : bx;
    const aBeta = modified ? abx + 1 : abx;
    const betaDropout = modified ? bx : bx - 1;
    logBDropout[k] = Math.log(betaDropout);
    inverseBDropout[k] = 1 / betaDropout;
    const w = weightOfX[k];
    total += w * (logGamma(r + x) - lgR + logGamma(beta) - logGamma(aBeta) - lgB + lgAB);
    if (gradient) {
      const psiAB = digamma(aBeta) - dgAB;
      gr += w * (digamma(r + x) - dgR);
      ga -= w * psiAB;
      gb += w * (digamma(beta) - dgB - psiAB);
    }
    if (withHessian) {
      const trigammaAB = trigamma(aBeta) - tgAB;
      hrr += w * (trigamma(r + x) - tgR);
      haa -= w * trigammaAB;
      hbb += w * (trigamma(beta) - tgB - trigammaAB);
    }
  }
  // Terms in T alone: r log α − (r + x) log(α + T), summed with Σw and Σw·x per distinct T (the NBD's).
  const logAlphaT = new Float64Array(TValues.length);
  const inverseAlphaT = new Float64Array(TValues.length);
  const age = addAgeTerms(prepared, r, alpha, total, gr, logAlphaT, inverseAlphaT);
  total = age.total;
  gr = age.gr;
  let galpha = age.galpha;
  const logAlphaTx = new Float64Array(txValues.length);
  const inverseAlphaTx = new Float64Array(txValues.length);
  for (let k = 0; k < txValues.length; k++) {
    logAlphaTx[k] = Math.log(alpha + txValues[k]);
    inverseAlphaTx[k] = 1 / (alpha + txValues[k]);
  }
  // Drop-out term log(1 + e^d), the hot loop (one pass over the triples). Sums of w·ρ and w·ρ(1 − ρ)
  // times parts of ∂d; the factors 1/a and −1 of ∂d/∂a, ∂d/∂b are applied after the loop.
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
  for (let j = 0; j < dropoutWeight.length; j++) {
    const w = dropoutWeight[j];
    const k = dropoutX[j];
    const kT = dropoutT[j];
    const kx = dropoutTx[j];
    const rx = r + xValues[k];
    const logRatio = logAlphaT[kT] - logAlphaTx[kx];
    const d = logA - logBDropout[k] + rx * logRatio;
    // log(1 + e^d) and ρ = e^d / (1 + e^d) = 1 − P(alive) from one exponential; ρ(1 − ρ) = e/(1 + e)².
    const e = Math.exp(-Math.abs(d));
    total += w * ((d > 0 ? d : 0) + Math.log1p(e));
    if (gradient) {
      const inverse1e = 1 / (1 + e);
      const wRho = w * (d > 0 ? inverse1e : e * inverse1e);
      const M = inverseAlphaT[kT] - inverseAlphaTx[kx];
      const dAlpha = rx * M;
      const ib = inverseBDropout[k];
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
      hrr + sRR, age.hralpha + sRAlpha, hra, hrb,
      age.hralpha + sRAlpha, age.halphaalpha + sAlphaAlpha, halphaa, halphab,
      hra, halphaa, haa + (sS - sRho) / (a * a), hab,
      hrb, halphab, hab, hbb + sBB,
    ]);
  }
  return total;
}

function checkParams(params: BetaGeometricParams, functionName: string): void {
  for (const key of ["r", "alpha", "a", "b"] as const) {
    const value = params[key];
    if (!(value > 0 && Number.isFinite(value))) {
      throw new EngineError("INVALID_INPUT", `${functionName} requires ${key} > 0 (got ${String(value)})`);
    }
  }
}

/**
 * Log-likelihood of BG/NBD or MBG/NBD parameters on (weighted) customer data.
 *
 * @param variant "bgNbd" or "mbgNbd".
 * @param params r, α, a, b > 0 (α in the data's period unit).
 * @param data distinct (x, t_x, T) with weights.
 * @param functionName the public function, named in the error message.
 * @returns Σ weight · log L(r, α, a, b | x, t_x, T).
 * @throws EngineError INVALID_INPUT when a parameter is not positive and finite.
 * References: Fader, Hardie & Lee (2005), eq. 6; Batislam et al. (2007), the MBG/NBD likelihood.
 */
export function betaGeometricLogLikelihood(
  variant: BetaGeometricVariant,
  params: BetaGeometricParams,
  data: FitData,
  functionName: string,
): number {
  checkParams(params, functionName);
  return logLikelihoodAndGradient(prepare(data, variant), params.r, params.alpha, params.a, params.b, null);
}

/**
 * Log-likelihood of BG/NBD or MBG/NBD parameters with its analytic gradient and Hessian in (r, α, a, b).
 *
 * @param variant "bgNbd" or "mbgNbd".
 * @param params r, α, a, b > 0 (α in the data's period unit).
 * @param data distinct (x, t_x, T) with weights.
 * @param functionName the public function, named in the error message.
 * @returns the log-likelihood, its gradient [∂/∂r, ∂/∂α, ∂/∂a, ∂/∂b] and its Hessian (4×4, row-major,
 *   symmetric) in that order of parameters.
 * @throws EngineError INVALID_INPUT when a parameter is not positive and finite.
 * References: Fader, Hardie & Lee (2005), eq. 6; Batislam et al. (2007), the MBG/NBD likelihood.
 */
export function betaGeometricLogLikelihoodDerivatives(
  variant: BetaGeometricVariant,
  params: BetaGeometricParams,
  data: FitData,
  functionName: string,
): { logLikelihood: number; gradient: Float64Array; hessian: Float64Array } {
  checkParams(params, functionName);
  const gradient = new Float64Array(4);
  const hessian = new Float64Array(16);
  const logLikelihood = logLikelihoodAndGradient(prepare(data, variant), params.r, params.alpha, params.a, params.b, gradient, hessian);
  return { logLikelihood, gradient, hessian };
}

/** Largest distance of a log-parameter from its start (e^20 ≈ 5e8): beyond it the fit is on the boundary. */
const PARAMETER_RANGE = 20;

/** Cap on likelihood evaluations of one fit (Newton iterations are capped separately). */
const MAX_EVALUATIONS = 500;

/**
 * Fits BG/NBD or MBG/NBD by maximum likelihood (Newton in log-parameters, analytic gradient and Hessian).
 *
 * @param variant "bgNbd" or "mbgNbd".
 * @param data distinct (x, t_x, T) with weights; needs at least 2 customers, one repeat purchase and T > 0.
 * @param functionName the public function, named in the error messages.
 * @param maxIterations Newton iteration cap.
 * @returns parameters, standard errors (inverse Hessian of −log L, natural parameters), log-likelihood,
 *   iterations and `converged`: Newton converged inside the parameter range (within e^20 of the start,
 *   at most 500 evaluations) at a point with positive-definite curvature; or, when the fit runs off
 *   along the ridge a/(a + b) = p (a + b above 10³ without converging, or above 10⁶), the
 *   common-drop-out limit fitted exactly (`commonDropout`, converged, a and b standing for ∞) when its
 *   log-likelihood is within 0.01 (plus rounding) of the 4-parameter fit's.
 * @throws EngineError INVALID_INPUT when a T is not positive; INSUFFICIENT_DATA when there are fewer
 *   than 2 customers or no repeat purchase (the drop-out and rate parameters are then not identified).
 * References: Fader, Hardie & Lee (2005), eq. 6 and §3; Batislam et al. (2007), the MBG/NBD likelihood.
 */
export function fitBetaGeometric(variant: BetaGeometricVariant, data: FitData, functionName: string, maxIterations: number): BetaGeometricFit {
  let customers = 0;
  let repeaters = 0;
  let sumT = 0;
  let sumX = 0;
  for (let i = 0; i < data.x.length; i++) {
    if (!(data.T[i] > 0)) throw new EngineError("INVALID_INPUT", `${functionName} requires T > 0 (triple ${i + 1})`, { row: i + 1 });
    customers += data.weight[i];
    sumT += data.weight[i] * data.T[i];
    sumX += data.weight[i] * data.x[i];
    if (data.x[i] > 0) repeaters += data.weight[i];
  }
  if (customers < 2) throw new EngineError("INSUFFICIENT_DATA", `${functionName} needs at least 2 customers`);
  if (repeaters === 0) {
    throw new EngineError("INSUFFICIENT_DATA", `${functionName} needs at least one customer with a repeat purchase; every customer bought once`);
  }
  const prepared = prepare(data, variant);
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
    logParameterDerivatives(u, natural, hessianNatural, customers, gradient, hessian);
    return -ll / customers;
  };
  // Newton with the analytic Hessian: about ten passes over the triples (BFGS needed about 40 with
  // its second-difference standard errors).
  const result = minimizeNewton(objective, start, { maxIterations });
  const params: BetaGeometricParams = {
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
  let standardErrors: BetaGeometricParams | null = null;
  if (covariance) {
    const se = [0, 1, 2, 3].map((i) => Math.sqrt(covariance[i * 5]));
    if (se.every(Number.isFinite)) standardErrors = { r: se[0], alpha: se[1], a: se[2], b: se[3] };
  }
  const atBoundary = Array.from(result.x).some((theta, i) => Math.abs(theta - start[i]) > PARAMETER_RANGE - 1);
  // A maximum needs negative-definite curvature: without standard errors the fit sits on a flat ridge.
  const converged = result.converged && !atBoundary && evaluations <= MAX_EVALUATIONS && standardErrors !== null;
  const shapes = params.a + params.b;
  // Ran off along the ridge a/(a + b) = p (or stopped so far out on it that a and b mean nothing):
  // the maximum is the common-drop-out limit when that model fits at least as well.
  if (shapes > RIDGE_SHAPES && (!converged || shapes > UNBOUNDED_SHAPES)) {
    const p = params.a / shapes;
    const limit = fitCommonDropout(prepared, [Math.log(params.r), Math.log(params.alpha), Math.log(p) - Math.log1p(-p)], maxIterations);
    // The 4-parameter log-likelihood out there carries the rounding of log Γ(a + b) ≈ (a+b)·log(a+b)
    // per customer, which can exceed the tolerance on its own: allow for it.
    const rounding = 4 * Number.EPSILON * customers * shapes * Math.log(shapes);
    if (limit.converged && limit.logLikelihood >= logLikelihood - LIMIT_TOLERANCE - rounding) {
      const { r, alpha, p: limitP } = limit.params;
      return {
        params: { r, alpha, a: limitP * COMMON_DROPOUT_CONCENTRATION, b: (1 - limitP) * COMMON_DROPOUT_CONCENTRATION },
        standardErrors: null,
        logLikelihood: limit.logLikelihood,
        iterations: result.iterations + limit.iterations,
        converged: true,
        commonDropout: limit,
      };
    }
  }
  return { params, standardErrors: atBoundary ? null : standardErrors, logLikelihood, iterations: result.iterations, converged, commonDropout: null };
}

/** a + b beyond which a fit that did not converge is tried against the common-drop-out limit. */
const RIDGE_SHAPES = 1e3;

/** a + b beyond which even a converged fit is replaced by the limit (its a and b are meaningless there). */
const UNBOUNDED_SHAPES = 1e6;

/**
 * How much lower than the 4-parameter fit's log-likelihood the limit's may be and still be the answer
 * (besides the rounding of the former): 0.01, a likelihood-ratio statistic of 0.02, no evidence at all
 * of heterogeneous drop-out.
 */
const LIMIT_TOLERANCE = 0.01;

/**
 * The common-drop-out limit of the family: a, b → ∞ with a/(a + b) → p, every customer dropping out
 * with the same probability p at each drop-out opportunity (no heterogeneity in drop-out). Its
 * log-likelihood follows from the 4-parameter one term by term: B(a, β)/B(a, b) → (1 − p)^n with n = x
 * (BG/NBD) or x + 1 (MBG/NBD) survived opportunities, and a/(β − 1) → p/(1 − p) in d, so per triple
 *
 *   ℓ = log Γ(r+x) − log Γ(r) + r log α − (r+x) log(α+T) + n·log(1 − p) + δ log(1 + e^d),
 *   d = η + (r+x)·(log(α+T) − log(α+t_x)),  η = log(p/(1 − p)).
 *
 * It is the supremum of the 4-parameter likelihood along the ridge a/(a + b) = p, so when the
 * 4-parameter fit runs off along that ridge this 3-parameter model is the maximum it approaches.
 * Computes log L and, on request, the gradient and Hessian in (r, α, η).
 */
function limitLogLikelihoodAndGradient(
  prepared: Prepared,
  r: number,
  alpha: number,
  eta: number,
  gradient: Float64Array | null,
  hessian: Float64Array | null,
): number {
  const { variant, xValues, txValues, weightOfX, dropoutWeight, dropoutX, dropoutT, dropoutTx } = prepared;
  const modified = variant === "mbgNbd";
  const p = 1 / (1 + Math.exp(-eta));
  const logSurvive = -log1pExp(eta); // log(1 − p)
  let total = 0;
  let gr = 0;
  let geta = 0;
  let hrr = 0;
  let hetaeta = 0;
  const lgR = logGamma(r);
  const dgR = gradient ? digamma(r) : 0;
  const tgR = hessian ? trigamma(r) : 0;
  for (let k = 0; k < xValues.length; k++) {
    const x = xValues[k];
    if (x === 0 && !modified) continue;
    const w = weightOfX[k];
    const survived = modified ? x + 1 : x;
    total += w * (logGamma(r + x) - lgR + survived * logSurvive);
    if (gradient) {
      gr += w * (digamma(r + x) - dgR);
      geta -= w * survived * p;
    }
    if (hessian) {
      hrr += w * (trigamma(r + x) - tgR);
      hetaeta -= w * survived * p * (1 - p);
    }
  }
  const logAlphaT = new Float64Array(prepared.TValues.length);
  const inverseAlphaT = new Float64Array(prepared.TValues.length);
  const age = addAgeTerms(prepared, r, alpha, total, gr, logAlphaT, inverseAlphaT);
  total = age.total;
  gr = age.gr;
  let galpha = age.galpha;
  let hralpha = age.hralpha;
  let halphaalpha = age.halphaalpha;
  let hreta = 0;
  let halphaeta = 0;
  for (let j = 0; j < dropoutWeight.length; j++) {
    const w = dropoutWeight[j];
    const rx = r + xValues[dropoutX[j]];
    const tx = txValues[dropoutTx[j]];
    const logRatio = logAlphaT[dropoutT[j]] - Math.log(alpha + tx);
    const d = eta + rx * logRatio;
    const e = Math.exp(-Math.abs(d));
    total += w * ((d > 0 ? d : 0) + Math.log1p(e));
    if (!gradient) continue;
    const inverse1e = 1 / (1 + e);
    const rho = d > 0 ? inverse1e : e * inverse1e;
    const M = inverseAlphaT[dropoutT[j]] - 1 / (alpha + tx);
    const dAlpha = rx * M;
    gr += w * rho * logRatio;
    galpha += w * rho * dAlpha;
    geta += w * rho;
    if (hessian) {
      const s = w * e * inverse1e * inverse1e; // w·ρ(1 − ρ)
      hrr += s * logRatio * logRatio;
      hralpha += w * rho * M + s * logRatio * dAlpha;
      hreta += s * logRatio;
      halphaalpha += s * dAlpha * dAlpha - w * rho * dAlpha * (inverseAlphaT[dropoutT[j]] + 1 / (alpha + tx));
      halphaeta += s * dAlpha;
      hetaeta += s;
    }
  }
  if (gradient) gradient.set([gr, galpha, geta]);
  if (hessian) hessian.set([hrr, hralpha, hreta, hralpha, halphaalpha, halphaeta, hreta, halphaeta, hetaeta]);
  return total;
}

/** The common-drop-out limit model: purchase-rate gamma (r, α) and one drop-out probability p. */
export interface CommonDropoutParams {
  readonly r: number;
  readonly alpha: number;
  readonly p: number;
}

/**
 * a + b reported for a fit at the common-drop-out limit: a = p·10¹⁰, b = (1 − p)·10¹⁰ stand for
 * a, b → ∞. Every prediction at these shapes is within about (x + 1)·10⁻¹⁰ of the limit's (the
 * predictions handle such shapes: see bgNbd.ts), and such a pair reads at once as "unbounded".
 */
export const COMMON_DROPOUT_CONCENTRATION = 1e10;

/**
 * log-likelihood of the common-drop-out limit of BG/NBD or MBG/NBD (a, b → ∞ with a/(a + b) = p).
 *
 * @param variant "bgNbd" or "mbgNbd".
 * @param params r, α > 0 and 0 < p < 1.
 * @param data distinct (x, t_x, T) with weights.
 * @returns Σ weight · log L(r, α, p | x, t_x, T), the supremum of the 4-parameter log-likelihood over
 *   a/(a + b) = p.
 * @throws EngineError INVALID_INPUT when a parameter is outside its range.
 * References: Fader, Hardie & Lee (2005), eq. 6; Batislam et al. (2007), the MBG/NBD likelihood; both
 * in the limit a, b → ∞ with a/(a + b) = p.
 */
export function commonDropoutLogLikelihood(variant: BetaGeometricVariant, params: CommonDropoutParams, data: FitData): number {
  const { r, alpha, p } = params;
  if (!(r > 0 && Number.isFinite(r) && alpha > 0 && Number.isFinite(alpha) && p > 0 && p < 1)) {
    throw new EngineError("INVALID_INPUT", `the common drop-out model requires r > 0, alpha > 0 and 0 < p < 1 (got r ${r}, alpha ${alpha}, p ${p})`);
  }
  return limitLogLikelihoodAndGradient(prepare(data, variant), r, alpha, Math.log(p) - Math.log1p(-p), null, null);
}

/** A fit of the common-drop-out limit (r, α, p), with standard errors from the analytic Hessian. */
export interface CommonDropoutFit {
  readonly params: CommonDropoutParams;
  readonly standardErrors: CommonDropoutParams | null;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Fits the common-drop-out limit by maximum likelihood: Newton in (log r, log α, logit p) from the
 * given start (the point the 4-parameter fit ran off to), analytic gradient and Hessian.
 */
function fitCommonDropout(prepared: Prepared, start: readonly number[], maxIterations: number): CommonDropoutFit {
  const customers = prepared.totalWeight;
  const natural = new Float64Array(3);
  const hessianNatural = new Float64Array(9);
  let evaluations = 0;
  // f = −log L / N in θ = (log r, log α, η): the first two by the chain rule of log-parameters, η as it is.
  const objective = (theta: Float64Array, gradient: Float64Array, hessian: Float64Array | null): number => {
    for (let i = 0; i < 3; i++) if (Math.abs(theta[i] - start[i]) > PARAMETER_RANGE) return Infinity;
    if (++evaluations > MAX_EVALUATIONS) return Infinity;
    const c = [Math.exp(theta[0]), Math.exp(theta[1]), 1];
    const ll = limitLogLikelihoodAndGradient(prepared, c[0], c[1], theta[2], natural, hessian ? hessianNatural : null);
    for (let i = 0; i < 3; i++) gradient[i] = (-natural[i] * c[i]) / customers;
    if (hessian) {
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          hessian[i * 3 + j] = -(hessianNatural[i * 3 + j] * c[i] * c[j] + (i === j && i < 2 ? natural[i] * c[i] : 0)) / customers;
        }
      }
    }
    return -ll / customers;
  };
  const result = minimizeNewton(objective, start, { maxIterations });
  const [r, alpha, eta] = [Math.exp(result.x[0]), Math.exp(result.x[1]), result.x[2]];
  const p = 1 / (1 + Math.exp(-eta));
  const logLikelihood = limitLogLikelihoodAndGradient(prepared, r, alpha, eta, natural, hessianNatural);
  const covariance = invertPositiveDefinite(Float64Array.from(hessianNatural, (h) => -h), 3);
  let standardErrors: CommonDropoutParams | null = null;
  if (covariance) {
    // p = 1/(1 + e^{−η}): dp/dη = p(1 − p).
    const se = [Math.sqrt(covariance[0]), Math.sqrt(covariance[4]), p * (1 - p) * Math.sqrt(covariance[8])];
    if (se.every(Number.isFinite)) standardErrors = { r: se[0], alpha: se[1], p: se[2] };
  }
  const atBoundary = Array.from(result.x).some((theta, i) => Math.abs(theta - start[i]) > PARAMETER_RANGE - 1);
  return {
    params: { r, alpha, p },
    standardErrors: atBoundary ? null : standardErrors,
    logLikelihood,
    iterations: result.iterations,
    converged: result.converged && !atBoundary && evaluations <= MAX_EVALUATIONS && standardErrors !== null && p > 0 && p < 1,
  };
}
