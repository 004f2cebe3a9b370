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
 * (digamma, trigamma), Newton in log-parameters, standard errors from the analytic Hessian (likelihood
 * and fit in betaGeometric.ts, shared with BG/NBD: MBG/NBD is its variant "mbgNbd"). An alive
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

import { log1pExp, logGamma } from "../math/special";
import { bgNbdExpectedPurchasesIfAlive, LARGE_BETA_SHAPES, logBetaRatio } from "./bgNbd";
import { betaGeometricLogLikelihood, betaGeometricLogLikelihoodDerivatives, type CommonDropoutFit, fitBetaGeometric } from "./betaGeometric";
import type { FitData } from "./fitData";
import { nbdCountProbability } from "./nbd";

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
  /**
   * Set when the maximum is the common-drop-out limit a, b → ∞ with a/(a + b) = p (as BgNbdFit): the
   * limit's r, α, p and their standard errors; `params` then holds a = p·10¹⁰, b = (1 − p)·10¹⁰.
   */
  readonly commonDropout: CommonDropoutFit | null;
}

export interface MbgNbdFitOptions {
  /** Newton iteration cap (default 100). */
  readonly maxIterations?: number;
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
  return betaGeometricLogLikelihood("mbgNbd", params, data, "mbgNbdLogLikelihood");
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
  return betaGeometricLogLikelihoodDerivatives("mbgNbd", params, data, "mbgNbdLogLikelihoodDerivatives");
}

/**
 * Fits the MBG/NBD model by maximum likelihood (Newton in log-parameters, analytic gradient and Hessian).
 *
 * @param data distinct (x, t_x, T) with weights; needs at least 2 customers, one repeat purchase and T > 0.
 * @param options iteration cap.
 * @returns parameters, standard errors (inverse Hessian of −log L, natural parameters), log-likelihood,
 *   iterations, `converged` (an interior maximum with positive-definite curvature, or the
 *   common-drop-out limit a, b → ∞ fitted exactly, `commonDropout`, as fitBgNbd) and `noDropout`
 *   (the fit ran to a → 0 or b/a → ∞: no drop-out in the data, the NBD limit).
 * @throws EngineError INSUFFICIENT_DATA when there are fewer than 2 customers or no repeat purchase.
 * References: Batislam et al. (2007), the MBG/NBD likelihood, fitted by maximum likelihood.
 */
export function fitMbgNbd(data: FitData, options: MbgNbdFitOptions = {}): MbgNbdFit {
  const fit = fitBetaGeometric("mbgNbd", data, "fitMbgNbd", options.maxIterations ?? 100);
  return { ...fit, noDropout: dropoutVanishes(fit.params.a, fit.params.b) };
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
  // log NBD(x) and the upper tail 1 − Σ_{j<x} NBD(j) (as in BG/NBD).
  const nbd = nbdCountProbability(r, alpha, t, x);
  if (a + b > LARGE_BETA_SHAPES) {
    // Large a, b (the common-drop-out limit): B(a, b+x+1)/B(a, b) as a product, and
    // B(a+1, b+x)/B(a, b) = a/(b+x) times it, instead of log Γ differences that lose their digits.
    const logSurvive = logBetaRatio(a, b, x + 1);
    const alive = Math.exp(logSurvive + nbd.logProbability);
    const dead = (a / (b + x)) * Math.exp(logSurvive) * nbd.upperTail;
    return Math.min(1, Math.max(0, alive + dead));
  }
  const logBab = logGamma(a) + logGamma(b) - logGamma(a + b);
  const alive = Math.exp(logGamma(a) + logGamma(b + x + 1) - logGamma(a + b + x + 1) - logBab + nbd.logProbability);
  const dead = Math.exp(logGamma(a + 1) + logGamma(b + x) - logGamma(a + b + x + 1) - logBab) * nbd.upperTail;
  return Math.min(1, Math.max(0, alive + dead));
}
