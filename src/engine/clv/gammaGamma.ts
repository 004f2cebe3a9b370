/**
 * Gamma-Gamma model of spend per transaction (Fader & Hardie 2013): fit and conditional mean.
 *
 * A customer's transaction values z vary around their own mean: z ~ Gamma(p, ν); across customers
 * ν ~ Gamma(q, γ), so the mean spend of a customer is p/ν and the population mean is pγ/(q − 1).
 * The model sees each repeat customer's average repeat value m̄ over x transactions, and assumes spend
 * is independent of how often a customer buys (check it: the correlation of x and m̄ should be small).
 *
 * Glossary (paper symbols): x number of transactions averaged, m̄ (mbar) their mean value, p shape of
 * the transaction-value gamma, q and γ (gamma) shape and rate of the gamma of ν.
 *
 * References: Fader, P. S. & Hardie, B. G. S. (2013), "The Gamma-Gamma Model of Monetary Value"
 * (brucehardie.com/notes/025/): eq. 3 (marginal density of m̄, the likelihood), eq. 5 (conditional
 * expectation E(M | p, q, γ, m̄_x, x)); Colombo & Jiang (1999).
 */

import { EngineError } from "../errors";
import { logParameterDerivatives } from "../math/logParameterDerivatives";
import { invertPositiveDefinite, minimizeNewton } from "../math/minimize";
import { digamma, logGamma, trigamma } from "../math/special";
import { MURMUR_SEED, murmurFinal, murmurRound, rehashedSlots } from "../math/murmur";

export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly gamma: number;
}

export interface GammaGammaFit {
  readonly params: GammaGammaParams;
  /** From the inverse Hessian of −log L in (p, q, γ); null when not positive definite. */
  readonly standardErrors: GammaGammaParams | null;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Customers used (x > 0 and m̄ > 0), counting weights. */
  readonly customers: number;
}

/** Distinct (x, m̄) pairs with weights; x > 0 and m̄ > 0. */
export interface SpendData {
  readonly x: Float64Array;
  readonly mbar: Float64Array;
  readonly weight: Float64Array;
}

/**
 * Groups repeat customers into distinct (x, m̄) pairs with counts; customers with x = 0 or m̄ ≤ 0 are
 * left out (they have no repeat spend to learn from).
 *
 * @param x transactions averaged per customer (whole numbers ≥ 0).
 * @param mbar average value per customer.
 * @param counts customers per row (≥ 0; rows with 0 are left out); omitted or null: one customer per
 *   row. Rows listed one per customer or grouped with counts give the same pairs and weights.
 * @returns the distinct pairs with weights, in order of first appearance.
 */
export function toSpendData(x: ArrayLike<number>, mbar: ArrayLike<number>, counts: ArrayLike<number> | null = null): SpendData {
  // One pass: filter, and group into distinct pairs with an open-addressing hash on (x, bits of m̄).
  // The table and the pair arrays grow with the distinct pairs, not the customers (a million
  // customers with values in cents have about 100,000 distinct pairs).
  const n = x.length;
  let capacity = 1024;
  let mask = capacity - 1;
  let slots = new Int32Array(capacity).fill(-1);
  let hashes = new Int32Array(capacity >> 1);
  // Pair k as (m̄, x, weight) at 3k..3k+2: a probe touches one cache line, not three arrays.
  let pairs = new Float64Array(3 * (capacity >> 1));
  const scratch = new Float64Array(1);
  const bits = new Int32Array(scratch.buffer);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const mi = mbar[i];
    const wi = counts === null ? 1 : counts[i];
    if (!(xi > 0 && mi > 0 && mi - mi === 0 && wi > 0)) continue;
    scratch[0] = mi;
    // Murmur3-style mixing of m̄'s two words and x: every input bit reaches the low bits used as the slot.
    const h = murmurFinal(murmurRound(murmurRound(MURMUR_SEED, bits[0]), bits[1] ^ Math.imul(xi | 0, 0x27d4eb2f)));
    let slot = h & mask;
    for (;;) {
      const at = slots[slot];
      if (at === -1) {
        slots[slot] = count;
        hashes[count] = h;
        const to = 3 * count++;
        pairs[to] = mi;
        pairs[to + 1] = xi;
        pairs[to + 2] = wi;
        break;
      }
      const from = 3 * at;
      if (pairs[from] === mi && pairs[from + 1] === xi) {
        pairs[from + 2] += wi;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (2 * count >= capacity) {
      // Keep the load at most 1/2: four times the slots, and room for as many pairs.
      capacity *= 4;
      mask = capacity - 1;
      slots = rehashedSlots(hashes, count, capacity);
      const grownHashes = new Int32Array(capacity >> 1);
      grownHashes.set(hashes.subarray(0, count));
      hashes = grownHashes;
      const grownPairs = new Float64Array(3 * (capacity >> 1));
      grownPairs.set(pairs.subarray(0, 3 * count));
      pairs = grownPairs;
    }
  }
  const out = { x: new Float64Array(count), mbar: new Float64Array(count), weight: new Float64Array(count) };
  for (let k = 0; k < count; k++) {
    out.mbar[k] = pairs[3 * k];
    out.x[k] = pairs[3 * k + 1];
    out.weight[k] = pairs[3 * k + 2];
  }
  return out;
}

/** Per-fit constants: distinct x values, each pair's index into them, log m̄ and log x. */
interface PreparedSpend {
  readonly data: SpendData;
  readonly xValues: Float64Array;
  readonly xIndexOf: Int32Array;
  readonly logM: Float64Array;
  readonly logX: Float64Array;
}

function prepareSpend(data: SpendData): PreparedSpend {
  const map = new Map<number, number>();
  const values: number[] = [];
  const xIndexOf = new Int32Array(data.x.length);
  const logM = new Float64Array(data.x.length);
  const logX = new Float64Array(data.x.length);
  for (let i = 0; i < data.x.length; i++) {
    let k = map.get(data.x[i]);
    if (k === undefined) {
      k = values.length;
      values.push(data.x[i]);
      map.set(data.x[i], k);
    }
    xIndexOf[i] = k;
    logM[i] = Math.log(data.mbar[i]);
    logX[i] = Math.log(data.x[i]);
  }
  return { data, xValues: Float64Array.from(values), xIndexOf, logM, logX };
}

/**
 * Log-likelihood (eq. 3) and, on request, its gradient and Hessian in the natural parameters
 * (p, q, γ): one pass over the pairs, with the gamma-function terms once per distinct x.
 */
function logLikelihoodAndGradient(
  prepared: PreparedSpend,
  p: number,
  q: number,
  gamma: number,
  gradient: Float64Array | null,
  hessian: Float64Array | null = null,
): number {
  const { data, xValues, xIndexOf, logM, logX } = prepared;
  const m = xValues.length;
  // The gamma-function terms depend on x only: once per distinct x.
  const logGammas = new Float64Array(m);
  const psiPxQ = new Float64Array(m);
  const psiPx = new Float64Array(m);
  const weightOfX = new Float64Array(m);
  const lgQ = logGamma(q);
  for (let k = 0; k < m; k++) {
    const px = p * xValues[k];
    logGammas[k] = logGamma(px + q) - logGamma(px) - lgQ;
    if (gradient) {
      psiPxQ[k] = digamma(px + q);
      psiPx[k] = digamma(px);
    }
  }
  const dgQ = digamma(q);
  const logGammaRate = Math.log(gamma);
  let total = 0;
  let gp = 0;
  let gq = 0;
  let gg = 0;
  // Hessian sums over pairs: Σw·x/(γ+m̄x), Σw/(γ+m̄x), Σw·(px+q)/(γ+m̄x)².
  let hpg = 0;
  let hqg = 0;
  let hgg = 0;
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i];
    const w = data.weight[i];
    const k = xIndexOf[i];
    const px = p * x;
    const mx = data.mbar[i] * x;
    const logDenominator = Math.log(gamma + mx);
    total += w * (logGammas[k] + q * logGammaRate + (px - 1) * logM[i] + px * logX[i] - (px + q) * logDenominator);
    if (gradient) {
      const inverse = 1 / (gamma + mx);
      gp += w * x * (psiPxQ[k] - psiPx[k] + logM[i] + logX[i] - logDenominator);
      gq += w * (psiPxQ[k] - dgQ + logGammaRate - logDenominator);
      gg += w * (q / gamma - (px + q) * inverse);
      if (hessian) {
        weightOfX[k] += w;
        hpg += w * x * inverse;
        hqg += w * inverse;
        hgg += w * (px + q) * inverse * inverse;
      }
    }
  }
  if (gradient) {
    gradient[0] = gp;
    gradient[1] = gq;
    gradient[2] = gg;
  }
  if (hessian) {
    let hpp = 0;
    let hpq = 0;
    let hqq = 0;
    const tgQ = trigamma(q);
    for (let k = 0; k < m; k++) {
      const x = xValues[k];
      const tgPxQ = trigamma(p * x + q);
      hpp += weightOfX[k] * x * x * (tgPxQ - trigamma(p * x));
      hpq += weightOfX[k] * x * tgPxQ;
      hqq += weightOfX[k] * (tgPxQ - tgQ);
    }
    let weights = 0;
    for (let k = 0; k < m; k++) weights += weightOfX[k];
    hessian.set([
      hpp, hpq, -hpg,
      hpq, hqq, weights / gamma - hqg,
      -hpg, weights / gamma - hqg, -(weights * q) / (gamma * gamma) + hgg,
    ]);
  }
  return total;
}

/**
 * Log-likelihood of Gamma-Gamma parameters.
 *
 * @param params p, q, γ > 0 (γ in currency units).
 * @param data distinct (x, m̄) pairs with weights.
 * @returns Σ weight · log f(m̄ | p, q, γ, x).
 * @throws EngineError INVALID_INPUT when a parameter is not positive and finite.
 * References: Fader & Hardie (2013), eq. 3.
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: SpendData): number {
  for (const key of ["p", "q", "gamma"] as const) {
    if (!(params[key] > 0 && Number.isFinite(params[key]))) {
      throw new EngineError("INVALID_INPUT", `gammaGammaLogLikelihood requires ${key} > 0 (got ${String(params[key])})`);
    }
  }
  return logLikelihoodAndGradient(prepareSpend(data), params.p, params.q, params.gamma, null);
}

/**
 * Fits the Gamma-Gamma spend model by maximum likelihood (Newton in log-parameters, analytic gradient
 * and Hessian).
 *
 * @param data distinct (x, m̄) pairs of repeat customers with weights.
 * @param options iteration cap (default 100).
 * @returns p, q, γ, standard errors, log-likelihood, iterations, the customers used and `converged`:
 *   Newton converged inside the parameter range (within e^20 of the start, at most 500 evaluations) at a
 *   point with positive-definite curvature; false when spend shows no variation to fit (q or p → ∞).
 * @throws EngineError INSUFFICIENT_DATA with fewer than 2 repeat customers, or when every repeat
 *   customer has the same average value (the spread of spend cannot be estimated).
 * References: Fader & Hardie (2013), eq. 3.
 */
export function fitGammaGamma(data: SpendData, options: { readonly maxIterations?: number } = {}): GammaGammaFit {
  let customers = 0;
  let sum = 0;
  for (let i = 0; i < data.x.length; i++) {
    customers += data.weight[i];
    sum += data.weight[i] * data.mbar[i];
  }
  if (customers < 2 || data.x.length < 2) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      "fitGammaGamma needs at least 2 repeat customers with different positive average values to fit the spend model",
    );
  }
  const prepared = prepareSpend(data);
  const natural = new Float64Array(3);
  // Start at p = 1, q = 2 with the population mean pγ/(q − 1) equal to the mean of m̄ (currency-free).
  const start = [0, Math.log(2), Math.log(sum / customers)];
  let evaluations = 0;
  const hessianNatural = new Float64Array(9);
  // −log L per customer in θ = log(p, q, γ), with the chain rule for gradient and Hessian:
  // ∂f/∂θᵢ = −gᵢ·uᵢ/N and ∂²f/∂θᵢ∂θⱼ = −(Hᵢⱼ·uᵢ·uⱼ + [i = j]·gᵢ·uᵢ)/N, u = (p, q, γ).
  const objective = (theta: Float64Array, gradient: Float64Array, hessian: Float64Array | null): number => {
    // Beyond e^20 from the start the fit drifts to the boundary (all customers spend alike: q → ∞):
    // refuse the step so the fit stops and says so.
    for (let i = 0; i < 3; i++) if (Math.abs(theta[i] - start[i]) > PARAMETER_RANGE) return Infinity;
    // Evaluation budget: a fit creeping along a flat ridge stops here and reports that it did not converge.
    if (++evaluations > MAX_EVALUATIONS) return Infinity;
    const u = [Math.exp(theta[0]), Math.exp(theta[1]), Math.exp(theta[2])];
    const ll = logLikelihoodAndGradient(prepared, u[0], u[1], u[2], natural, hessian ? hessianNatural : null);
    logParameterDerivatives(u, natural, hessianNatural, customers, gradient, hessian);
    return -ll / customers;
  };
  // Newton with the analytic Hessian: a handful of passes over the pairs (BFGS needed about 30).
  const result = minimizeNewton(objective, start, { maxIterations: options.maxIterations ?? 100 });
  const params: GammaGammaParams = { p: Math.exp(result.x[0]), q: Math.exp(result.x[1]), gamma: Math.exp(result.x[2]) };
  // Standard errors: the inverse of the analytic Hessian of −log L in the natural parameters.
  const hessian = new Float64Array(9);
  logLikelihoodAndGradient(prepared, params.p, params.q, params.gamma, natural, hessian);
  for (let i = 0; i < 9; i++) hessian[i] = -hessian[i];
  const covariance = invertPositiveDefinite(hessian, 3);
  let standardErrors: GammaGammaParams | null = null;
  if (covariance) {
    const se = [0, 1, 2].map((i) => Math.sqrt(covariance[i * 4]));
    if (se.every(Number.isFinite)) standardErrors = { p: se[0], q: se[1], gamma: se[2] };
  }
  const atBoundary = Array.from(result.x).some((theta, i) => Math.abs(theta - start[i]) > PARAMETER_RANGE - 1);
  return {
    params,
    standardErrors: atBoundary ? null : standardErrors,
    logLikelihood: logLikelihoodAndGradient(prepared, params.p, params.q, params.gamma, null),
    iterations: result.iterations,
    // A maximum needs negative-definite curvature: without standard errors the fit sits on a flat ridge.
    converged: result.converged && !atBoundary && evaluations <= MAX_EVALUATIONS && standardErrors !== null,
    customers,
  };
}

/** Largest distance of a log-parameter from its start (e^20 ≈ 5e8): beyond it the fit is on the boundary. */
const PARAMETER_RANGE = 20;

/** Cap on likelihood evaluations of one fit (Newton iterations are capped separately). */
const MAX_EVALUATIONS = 500;

/**
 * Expected average transaction value of a customer with x transactions averaging m̄.
 *
 * E(M | p, q, γ, m̄, x) = p(γ + m̄x) / (px + q − 1): a weighted mean of the population mean pγ/(q − 1)
 * and the customer's own m̄, with weight px/(px + q − 1) on m̄. For x = 0 it is the population mean.
 *
 * @param params fitted p, q, γ.
 * @param x transactions averaged (≥ 0; 0 for a customer without a positive repeat purchase).
 * @param mbar their mean value (ignored when x = 0).
 * @returns the conditional mean (currency units), > 0.
 * @throws EngineError INSUFFICIENT_DATA when px + q ≤ 1 (for x = 0: q ≤ 1): the mean spend does not
 *   exist, spend is too heavy-tailed for this model.
 * References: Fader & Hardie (2013), eq. 5.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, mbar: number): number {
  const { p, q, gamma } = params;
  const denominator = p * x + q - 1;
  if (!(denominator > 0)) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      `gammaGammaExpectedSpend: the Gamma-Gamma fit has q = ${q.toPrecision(4)} <= 1, so the average value of a customer without repeat purchases does not exist (spend is too heavy-tailed); remove extreme order values or use the customers' own averages`,
    );
  }
  return x > 0 ? (p * (gamma + mbar * x)) / denominator : (p * gamma) / denominator;
}
