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
 * method in log-parameters (likelihood and fit in betaGeometric.ts, shared with MBG/NBD). The
 * conditional expectation uses Euler's transformation of ₂F₁, which removes the removable singularity
 * at a = 1 (see {@link bgNbdExpectedPurchases}); for large a (where that series' terms grow like
 * ((a − 1)z)^k / k!) it sums the direct Gauss series instead, and beta-function ratios become products
 * (see {@link aliveExpectationSeries}, {@link logBetaRatio}).
 *
 * Edge of the parameter space: when customers are alike in their drop-out, the likelihood keeps
 * rising along a, b → ∞ with a/(a + b) = p (the Beta(a, b) mixing distribution collapses onto p). The
 * maximum is then the limit model "every customer drops out with probability p after each purchase",
 * which the fit reports as converged with a = p·10¹⁰, b = (1 − p)·10¹⁰ standing for it
 * (`commonDropout`, see betaGeometric.ts); every prediction here stays accurate at such shapes and
 * tends to the limit's closed forms, e.g. E[X(t)] = (1/p)·[1 − (α/(α+t))^r (1 − (1 − p)·t/(α+t))^{−r}].
 *
 * References: Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005), "'Counting Your Customers' the Easy
 * Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275-284 (eq. 6 likelihood,
 * eq. 7 E[X(t)], eq. 8 P(X(t) = x), eq. 10 conditional expectation); Fader, Hardie & Lee (2008),
 * "Computing P(alive) Using the BG/NBD Model" (brucehardie.com/notes/021/), eq. 2; Abramowitz & Stegun
 * 15.3.3 (Euler's transformation).
 */

import { EngineError } from "../errors";
import { log1pExp, logGamma } from "../math/special";
import { betaGeometricLogLikelihood, betaGeometricLogLikelihoodDerivatives, type CommonDropoutFit, fitBetaGeometric } from "./betaGeometric";
import type { FitData } from "./fitData";
import { nbdCountProbability } from "./nbd";

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
  /**
   * Set when the maximum is the common-drop-out limit a, b → ∞ with a/(a + b) = p (every customer
   * drops out with the same probability p after each purchase): the limit's r, α, p and their standard
   * errors. `params` then holds a = p·10¹⁰, b = (1 − p)·10¹⁰ standing for it and `standardErrors` is
   * null. Null for an interior maximum.
   */
  readonly commonDropout: CommonDropoutFit | null;
}

export interface BgNbdFitOptions {
  /** Newton iteration cap (default 100). */
  readonly maxIterations?: number;
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
  return betaGeometricLogLikelihood("bgNbd", params, data, "bgNbdLogLikelihood");
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
  return betaGeometricLogLikelihoodDerivatives("bgNbd", params, data, "bgNbdLogLikelihoodDerivatives");
}

/**
 * Fits the BG/NBD model by maximum likelihood (Newton in log-parameters, analytic gradient and Hessian).
 *
 * @param data distinct (x, t_x, T) with weights; needs at least one repeat purchase and T > 0.
 * @param options iteration cap.
 * @returns parameters, standard errors (inverse Hessian of −log L, natural parameters), log-likelihood,
 *   iterations and `converged`: Newton converged inside the parameter range (within e^20 of the start,
 *   at most 500 evaluations) at a point with positive-definite curvature. When the likelihood keeps
 *   rising along the ridge a, b → ∞ with a/(a + b) = p (customers alike in their drop-out: the Beta
 *   mixing distribution collapses onto p), the maximum is that limit: it is fitted exactly as the
 *   3-parameter model (r, α, p) and reported as converged with `commonDropout` set (see BgNbdFit).
 *   False means the maximum is on another boundary or a flat ridge (too few customers, no variation
 *   between them).
 * @throws EngineError INSUFFICIENT_DATA when there are fewer than 2 customers or no repeat purchase
 *   (the drop-out and rate parameters are then not identified).
 * References: Fader, Hardie & Lee (2005), eq. 6 and §3 (maximum likelihood).
 */
export function fitBgNbd(data: FitData, options: BgNbdFitOptions = {}): BgNbdFit {
  return fitBetaGeometric("bgNbd", data, "fitBgNbd", options.maxIterations ?? 100);
}

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
 * Largest −(a − 1)·log(1 − z) = (a − 1)·log(1 + t/(α+T)) for which the Euler-transformed series is
 * summed whatever the other shapes. Its terms grow like ((a − 1)·z)^k / k! before they fall, so their
 * sum is about (1 − z)^{−(a−1)} and needs about (a − 1)·z/(1 − z) terms: e^30 ≈ 10¹³ and a few hundred
 * terms are harmless, while the a ≈ 10⁷ of a fit running to the common-drop-out limit would need
 * millions of terms and overflow.
 */
const EULER_EXPONENT_LIMIT = 30;

/**
 * a + b above which ratios of beta functions are taken as products (see {@link logBetaRatio}) and the
 * alive expectation may prefer the Gauss series (see {@link aliveExpectationSeries}): there log Γ(a + b)
 * exceeds about 10⁵, so each log Γ difference loses five digits or more.
 */
export const LARGE_BETA_SHAPES = 1e4;

/** The series behind the alive expectation: Euler's transformation (a near 1) or the direct Gauss series (large a). */
export type AliveExpectationSeries = "euler" | "gauss";

/**
 * The series {@link aliveExpectation} sums for these arguments. Both end in a difference of two
 * positive numbers: Euler's loses about log₁₀(C/(r+x)) digits to it, Gauss's about log₁₀(C/(a−1)),
 * C = a + b + x − 1. "gauss" when Euler's would overflow ((a − 1)·log(1 + t/(α+T)) > 30), or when
 * a + b is large (> 10⁴, where Euler's loses four digits or more) and a − 1 > r + x (where Gauss's
 * loses fewer); else "euler", which serves every fit with a ≤ 1 + r (CDNOW's a ≈ 0.79) exactly as
 * before. Internal (index.ts does not export it); the tests use it to reach both.
 */
export function aliveExpectationSeries(params: BgNbdParams, t: number, x: number, T: number): AliveExpectationSeries {
  const { r, alpha, a, b } = params;
  if ((a - 1) * Math.log1p(t / (alpha + T)) > EULER_EXPONENT_LIMIT) return "gauss";
  return a + b > LARGE_BETA_SHAPES && a - 1 > r + x ? "gauss" : "euler";
}

function seriesNotConverged(t: number): EngineError {
  return new EngineError(
    "NOT_CONVERGED",
    `bgNbdExpectedPurchases: the hypergeometric series did not converge for a horizon of ${String(t)} periods; use a shorter horizon or a longer period unit`,
  );
}

/**
 * E[X(t) | alive customer] of a customer with x repeat purchases and age T (BG/NBD eq. 10 without
 * its P(alive) factor), by the series the arguments suit (see {@link aliveExpectationSeries}).
 *
 * - "euler", as E = −L·φ(u)·C − e^u·C·S, C = a + b + x − 1, L = log(1 − z), u = (a − 1)·L: every
 *   term beyond the first carries (a − 1), so the removable singularity at a = 1 is gone. Its terms
 *   grow like ((a − 1)z)^k / k!, hopeless when a is large.
 * - "gauss", the direct series ₂F₁(r+x, b+x; C; z) = 1 + S with ratio (r+x+k)(b+x+k)/((C+k)(k+1))·z,
 *   which falls geometrically from the start when a is large ((b+x)/C·z ≈ (1 − p)·z with
 *   p = a/(a+b)): E = C/(a − 1)·[−expm1((r+x)L) − e^{(r+x)L}·S]. The bracket is the difference of two
 *   positive numbers whose ratio is about C/(a − 1) ≈ 1/p, so it loses only log₁₀(1/p) digits; as
 *   a, b → ∞ with a/(a+b) → p it tends to the common-drop-out limit
 *   (1/p)·[1 − ((α+T)/(α+T+t))^{r+x} (1 − (1 − p)z)^{−(r+x)}].
 *
 * @param series which series to sum; by default the one {@link aliveExpectationSeries} chooses.
 * @throws EngineError NOT_CONVERGED when the series does not converge in 10⁶ terms (t beyond about 10⁴ α).
 * References: Fader, Hardie & Lee (2005), eq. 10; Abramowitz & Stegun 15.1.1 (the Gauss series) and
 * 15.3.3 (Euler's transformation).
 */
export function aliveExpectation(
  params: BgNbdParams,
  t: number,
  x: number,
  T: number,
  series: AliveExpectationSeries = aliveExpectationSeries(params, t, x, T),
): number {
  const { r, alpha, a, b } = params;
  if (t === 0) return 0;
  const A = r + x;
  const C = a + b + x - 1;
  const z = t / (alpha + T + t);
  const L = -Math.log1p(t / (alpha + T)); // log(1 − z)
  if (series === "gauss") {
    const B = b + x;
    let term = ((A * B) / C) * z;
    let sum = term;
    let converged = false;
    for (let k = 1; k < SERIES_CAP; k++) {
      term *= ((A + k) * (B + k) * z) / ((C + k) * (k + 1));
      sum += term;
      if (term <= 1e-17 * sum) {
        converged = true;
        break;
      }
    }
    if (!converged || !Number.isFinite(sum)) throw seriesNotConverged(t);
    const AL = A * L;
    return (C / (a - 1)) * (-Math.expm1(AL) - Math.exp(AL) * sum);
  }
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
  if (!converged || !Number.isFinite(sum)) throw seriesNotConverged(t);
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
  // log NBD(x) and the upper tail 1 − Σ_{j<x} NBD(j) of the purchases while alive.
  const nbd = nbdCountProbability(r, alpha, t, x);
  if (a + b > LARGE_BETA_SHAPES) {
    // B(a, b+x)/B(a, b) as a product, and B(a+1, b+x−1)/B(a, b) = a/(b+x−1) times it (see logBetaRatio).
    const logSurvive = logBetaRatio(a, b, x);
    const first = Math.exp(logSurvive + nbd.logProbability);
    if (x === 0) return Math.min(1, first);
    const second = (a / (b + x - 1)) * Math.exp(logSurvive) * nbd.upperTail;
    return Math.min(1, Math.max(0, first + second));
  }
  const logBab = logGamma(a) + logGamma(b) - logGamma(a + b);
  const first = Math.exp(logGamma(a) + logGamma(b + x) - logGamma(a + b + x) - logBab + nbd.logProbability);
  if (x === 0) return Math.min(1, first);
  const second = Math.exp(logGamma(a + 1) + logGamma(b + x - 1) - logGamma(a + b + x) - logBab) * nbd.upperTail;
  return Math.min(1, Math.max(0, first + second));
}

/**
 * log[B(a, b + n)/B(a, b)] = Σ_{j<n} log(1 − a/(a + b + j)) for a whole n ≥ 0: the log-probability of
 * surviving n drop-out opportunities when p ~ Beta(a, b), without the log Γ differences that lose
 * their digits when a and b are large (log Γ(10⁸) ≈ 1.7·10⁹, so the difference keeps about seven
 * digits). As a, b → ∞ with a/(a+b) → p it tends to n·log(1 − p). Internal (mbgNbd.ts uses it).
 *
 * @param a first shape of the drop-out beta (> 0).
 * @param b second shape of the drop-out beta (> 0).
 * @param n drop-out opportunities (whole number ≥ 0; the sum costs n logarithms).
 * @returns log B(a, b+n) − log B(a, b).
 * References: Abramowitz & Stegun 6.2.2 and 6.1.15 (Γ(z+1) = zΓ(z)).
 */
export function logBetaRatio(a: number, b: number, n: number): number {
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.log1p(-a / (a + b + j));
  return sum;
}
