/**
 * The purchase-count ("buy till you die") models behind one interface, so the custom functions and the
 * reports can switch between BG/NBD, MBG/NBD and Pareto/NBD by name (and autoModel.ts can choose
 * among them). The NBD (no drop-out) is their common limit, used when a fit finds no drop-out.
 *
 * Every model is fitted on distinct (x, t_x, T) triples and predicts, per customer, P(alive) and the
 * cumulative expected purchases t ↦ E[Y(t) | x, t_x, T]. Customers first seen on the as-of day (T = 0)
 * are alive with no information beyond the population: they get the new-customer expectation.
 *
 * Glossary: x frequency, t_x recency, T age, t horizon (one period unit); model parameters keep the
 * papers' symbols (BG/NBD and MBG/NBD r, α, a, b; Pareto/NBD r, α, s, β; NBD r, α).
 */

import {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesIfAlive,
  bgNbdExpectedPurchasesNew,
  bgNbdProbabilityAlive,
  fitBgNbd,
} from "./bgNbd";
import type { CommonDropoutFit } from "./betaGeometric";
import type { FitData } from "./fitData";
import {
  fitMbgNbd,
  type MbgNbdParams,
  mbgNbdExpectedPurchases,
  mbgNbdExpectedPurchasesIfAlive,
  mbgNbdProbabilityAlive,
} from "./mbgNbd";
import { fitNbd, nbdExpectedPurchases, type NbdParams } from "./nbd";
import {
  fitParetoNbd,
  paretoNbdExpectedPurchasesNew,
  paretoNbdProbabilityAlive,
  type ParetoNbdParams,
} from "./paretoNbd";

/**
 * Model names as users type them, plus "nbd": the no-drop-out limit the automatic choice falls back
 * to (it can be fitted by name here, but users are offered the three drop-out models and "auto").
 */
export type CountingModelName = "bgnbd" | "mbgnbd" | "pareto" | "nbd";

/** The models users choose from (besides "auto"), in the order they are tried and listed. */
export const COUNTING_MODEL_NAMES: readonly CountingModelName[] = ["bgnbd", "mbgnbd", "pareto"];

/** A model by name, or "auto": fit the candidates and keep the best (see autoModel.ts). */
export type CountingModelChoice = CountingModelName | "auto";

/** What users may type for the model: the models of {@link COUNTING_MODEL_NAMES} and "auto". */
export const COUNTING_MODEL_CHOICES: readonly CountingModelChoice[] = [...COUNTING_MODEL_NAMES, "auto"];

/** A fitted model with its parameters by paper symbol, in a fixed display order. */
export interface CountingModelFit {
  readonly model: CountingModelName;
  /** Parameter symbols in display order, e.g. ["r", "alpha", "a", "b"]. */
  readonly parameterNames: readonly string[];
  readonly params: Readonly<Record<string, number>>;
  readonly standardErrors: Readonly<Record<string, number>> | null;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  /**
   * Present when the maximum is a limit of the model rather than an interior point (BG/NBD and
   * MBG/NBD: a, b → ∞ with a/(a + b) = p). `params` then holds numbers standing for the unbounded
   * parameters, `standardErrors` is null, and this says what ran off and gives the limit model's own
   * parameters with their standard errors.
   */
  readonly limit?: CountingModelLimit;
}

/** A fit whose maximum is a limit of its model: what ran off, in words, and the limit's own parameters. */
export interface CountingModelLimit {
  /** Plain words for outputs, e.g. "a and b are unbounded (a, b → ∞ with a/(a + b) = p): …". */
  readonly description: string;
  /** The limit model's parameters by symbol, e.g. { r, alpha, p }. */
  readonly params: Readonly<Record<string, number>>;
  readonly standardErrors: Readonly<Record<string, number>> | null;
}

/**
 * The limit of a BG/NBD or MBG/NBD fit that ran off along a/(a + b) = p, for {@link CountingModelFit}.
 * References: Fader, Hardie & Lee (2005), eq. 6 in the limit a, b → ∞ (see betaGeometric.ts).
 */
function commonDropoutLimit(fit: CommonDropoutFit): CountingModelLimit {
  const percent = `${(100 * fit.params.p).toFixed(1)}%`;
  return {
    description:
      `a and b are unbounded (a, b → ∞ with a/(a + b) = p): the customers are alike in their drop-out, every one stopping with the same probability p = ${percent} after each purchase; ` +
      "the a and b shown are numbers standing for that limit, and the fit is that 3-parameter model (r, alpha, p), converged",
    params: { ...fit.params },
    standardErrors: fit.standardErrors && { ...fit.standardErrors },
  };
}

/** Per-customer predictions of a fitted model. */
export interface CustomerForecast {
  readonly probabilityAlive: number;
  /** t ↦ expected purchases in the next t periods (0 at t = 0, non-decreasing). */
  readonly cumulativePurchases: (t: number) => number;
  /**
   * t ↦ expected purchases in the next t periods if the customer is alive; cumulativePurchases =
   * probabilityAlive × this. It depends on (x, T) only, so scoring shares it across recencies.
   */
  readonly aliveCumulativePurchases: (t: number) => number;
}

/** Human-readable model names for outputs. */
export const COUNTING_MODEL_LABELS: Readonly<Record<CountingModelName, string>> = {
  bgnbd: "BG/NBD",
  mbgnbd: "MBG/NBD",
  pareto: "Pareto/NBD",
  nbd: "NBD (no drop-out)",
};

/**
 * Series-term budget of a Pareto/NBD fit (by name here, or as a candidate of the automatic choice):
 * 10,000,000 plus 50,000 per distinct (x, t_x, T) triple. Converged fits need about 700 terms per
 * triple on CDNOW, 3,300 on a small simulated shop and 11,000 on the demo business (β/α ≈ 33); a fit
 * drifting to α/β in the hundreds, or to s, β → ∞ (customers alike in their drop-out rate: 48 s on
 * 400 such customers without a budget), needs many times more. A term costs about 15 ns, so the budget
 * bounds the fit at about 0.15 s plus 0.75 ms per triple; with it spent the fit stops and counts as
 * not converged.
 *
 * @param data the triples to fit.
 * @returns the budget in series terms.
 */
export function paretoTermBudget(data: FitData): number {
  return PARETO_TERMS_BASE + PARETO_TERMS_PER_TRIPLE * data.x.length;
}

const PARETO_TERMS_PER_TRIPLE = 50_000;
const PARETO_TERMS_BASE = 10_000_000;

/** A BG/NBD or MBG/NBD fit (r, α, a, b) as a {@link CountingModelFit}, with its common-drop-out limit when it has one. */
function betaGeometricFit(
  model: "bgnbd" | "mbgnbd",
  { commonDropout, ...fit }: Omit<CountingModelFit, "model" | "parameterNames" | "params" | "standardErrors"> & {
    readonly params: { readonly r: number; readonly alpha: number; readonly a: number; readonly b: number };
    readonly standardErrors: { readonly r: number; readonly alpha: number; readonly a: number; readonly b: number } | null;
    readonly commonDropout: CommonDropoutFit | null;
  },
): CountingModelFit {
  const limit = commonDropout ? { limit: commonDropoutLimit(commonDropout) } : {};
  return { model, parameterNames: ["r", "alpha", "a", "b"], ...fit, params: { ...fit.params }, standardErrors: fit.standardErrors && { ...fit.standardErrors }, ...limit };
}

/**
 * Fits a counting model by name.
 *
 * @param model "bgnbd" (Fader, Hardie & Lee 2005), "mbgnbd" (Batislam et al. 2007), "pareto"
 *   (Schmittlein et al. 1987) or "nbd" (no drop-out, their common limit).
 * @param data distinct (x, t_x, T) triples with weights, T > 0.
 * @param options maxIterations for every model; seriesTermBudget for Pareto/NBD only (see fitParetoNbd;
 *   default {@link paretoTermBudget}, so a fit running off cannot take minutes).
 * @returns the fit with parameters by paper symbol.
 * @throws EngineError INSUFFICIENT_DATA when the data cannot identify the model (see the model files).
 */
export function fitCountingModel(
  model: CountingModelName,
  data: FitData,
  options: { maxIterations?: number; seriesTermBudget?: number } = {},
): CountingModelFit {
  if (model === "bgnbd") return betaGeometricFit(model, fitBgNbd(data, { maxIterations: options.maxIterations }));
  if (model === "mbgnbd") {
    const { noDropout: _noDropout, ...fit } = fitMbgNbd(data, { maxIterations: options.maxIterations });
    return betaGeometricFit(model, fit);
  }
  if (model === "nbd") {
    const { poissonLimit: _poissonLimit, ...fit } = fitNbd(data, { maxIterations: options.maxIterations });
    return { model, parameterNames: ["r", "alpha"], ...fit, params: { ...fit.params }, standardErrors: fit.standardErrors && { ...fit.standardErrors } };
  }
  const fit = fitParetoNbd(data, { maxIterations: options.maxIterations, seriesTermBudget: options.seriesTermBudget ?? paretoTermBudget(data) });
  return { model, parameterNames: ["r", "alpha", "s", "beta"], ...fit, params: { ...fit.params }, standardErrors: fit.standardErrors && { ...fit.standardErrors } };
}

/**
 * P(alive) of one customer history, as {@link forecastCustomer} gives it, without building the
 * forecast's functions (for scoring millions of histories).
 *
 * @param fit a fit from {@link fitCountingModel}.
 * @param x repeat purchases (≥ 0).
 * @param t_x recency (0 ≤ t_x ≤ T).
 * @param T age (≥ 0).
 * @returns P(alive): 1 for NBD and, for BG/NBD and Pareto/NBD, at T = 0.
 * References: as {@link forecastCustomer}.
 */
export function probabilityAliveOf(fit: CountingModelFit, x: number, t_x: number, T: number): number {
  if (fit.model === "nbd") return 1;
  if (fit.model === "mbgnbd") return mbgNbdProbabilityAlive(fit.params as unknown as MbgNbdParams, x, t_x, T);
  if (T === 0) return 1;
  if (fit.model === "bgnbd") return bgNbdProbabilityAlive(fit.params as unknown as { r: number; alpha: number; a: number; b: number }, x, t_x, T);
  return paretoNbdProbabilityAlive(fit.params as unknown as ParetoNbdParams, x, t_x, T);
}

/**
 * Predictions of a fitted model for one customer history.
 *
 * @param fit a fit from {@link fitCountingModel}.
 * @param x repeat purchases (≥ 0).
 * @param t_x recency (0 ≤ t_x ≤ T).
 * @param T age (≥ 0; 0 for a customer first seen on the as-of day).
 * @returns P(alive) and the cumulative expected purchases.
 * References: BG/NBD: Fader, Hardie & Lee (2005) eq. 10 and the P(alive) note; MBG/NBD: Batislam et
 * al. (2007) Appendix A eq. 5 and Wagner & Hoppe (2008); NBD: (r + x)/(α + T)·t, P(alive) = 1; Pareto/NBD:
 * Schmittlein et al. (1987) eq. 22 written as P(alive) × E[X(t)] of a new customer with the posterior
 * parameters (r + x, α + T, s, β + T) (Fader & Hardie 2005 note, eq. 21).
 */
export function forecastCustomer(fit: CountingModelFit, x: number, t_x: number, T: number): CustomerForecast {
  if (fit.model === "bgnbd") {
    const params = fit.params as unknown as { r: number; alpha: number; a: number; b: number };
    if (T === 0) {
      const newCustomer = (t: number): number => bgNbdExpectedPurchasesNew(params, t);
      return { probabilityAlive: 1, cumulativePurchases: newCustomer, aliveCumulativePurchases: newCustomer };
    }
    return {
      probabilityAlive: probabilityAliveOf(fit, x, t_x, T),
      cumulativePurchases: (t) => bgNbdExpectedPurchases(params, t, x, t_x, T),
      aliveCumulativePurchases: (t) => bgNbdExpectedPurchasesIfAlive(params, t, x, T),
    };
  }
  if (fit.model === "mbgnbd") {
    // No special case at T = 0: a customer who bought on the as-of day has P(alive) = b/(a+b) (the
    // drop-out opportunity right after the first purchase), and P(alive) × the alive expectation is
    // then the new-customer expectation.
    const params = fit.params as unknown as MbgNbdParams;
    const probabilityAlive = probabilityAliveOf(fit, x, t_x, T);
    return {
      probabilityAlive,
      cumulativePurchases: (t) => mbgNbdExpectedPurchases(params, t, x, t_x, T),
      aliveCumulativePurchases: (t) => mbgNbdExpectedPurchasesIfAlive(params, t, x, T),
    };
  }
  if (fit.model === "nbd") {
    const params = fit.params as unknown as NbdParams;
    const purchases = (t: number): number => nbdExpectedPurchases(params, t, x, T);
    return { probabilityAlive: 1, cumulativePurchases: purchases, aliveCumulativePurchases: purchases };
  }
  const params = fit.params as unknown as ParetoNbdParams;
  if (T === 0) {
    const newCustomer = (t: number): number => paretoNbdExpectedPurchasesNew(params, t);
    return { probabilityAlive: 1, cumulativePurchases: newCustomer, aliveCumulativePurchases: newCustomer };
  }
  const probabilityAlive = probabilityAliveOf(fit, x, t_x, T);
  // Alive customers have λ ~ Gamma(r + x, α + T) and μ ~ Gamma(s, β + T): the new-customer formula
  // with these posterior parameters, times P(alive), is the conditional expectation.
  const posterior: ParetoNbdParams = { r: params.r + x, alpha: params.alpha + T, s: params.s, beta: params.beta + T };
  return {
    probabilityAlive,
    cumulativePurchases: (t) => probabilityAlive * paretoNbdExpectedPurchasesNew(posterior, t),
    aliveCumulativePurchases: (t) => paretoNbdExpectedPurchasesNew(posterior, t),
  };
}

/**
 * Expected purchases of a new customer in the first t periods after the first purchase.
 *
 * @param fit a fit from {@link fitCountingModel}.
 * @param t periods (≥ 0).
 * @returns E[X(t)].
 * References: Fader, Hardie & Lee (2005) eq. 7; Batislam et al. (2007) E[X(t)]; Schmittlein et al.
 * (1987) eq. 17; NBD r/α·t.
 */
export function expectedPurchasesNew(fit: CountingModelFit, t: number): number {
  return forecastCustomer(fit, 0, 0, 0).cumulativePurchases(t);
}
