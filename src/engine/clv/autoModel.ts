/**
 * The automatic choice of purchase model: fit BG/NBD, MBG/NBD and Pareto/NBD, keep the fits that
 * converged to finite parameters inside their range, and pick the one with the highest
 * log-likelihood. All three have 4 parameters, so the log-likelihood order is also the AIC and BIC
 * order. A fit that runs to the edge where drop-out vanishes (BG/NBD and MBG/NBD a → 0 or b → ∞;
 * Pareto/NBD s → 0 or β → ∞) is not a failure: the data show no drop-out, and the model is then the NBD
 * (every customer stays active). When the best fit is such a fit, the NBD is fitted and returned,
 * with that reason.
 *
 * Glossary: x frequency, t_x recency, T age (one period unit); LL log-likelihood (summed over
 * customers); model parameters keep the papers' symbols.
 *
 * References: Fader, Hardie & Lee (2005); Batislam, Denizel & Filiztekin (2007); Schmittlein,
 * Morrison & Colombo (1987) — the candidates; Akaike (1974) and Schwarz (1978) for why equal
 * parameter counts make the likelihood comparison the information-criterion comparison.
 */

import { EngineError, isEngineError } from "../errors";
import { COUNTING_MODEL_LABELS, COUNTING_MODEL_NAMES, type CountingModelFit, type CountingModelName, fitCountingModel, paretoTermBudget } from "./countingModels";
import type { FitData } from "./fitData";
import { dropoutVanishes } from "./mbgNbd";
import { fitNbd } from "./nbd";

/** Customers below which the choice refuses to fit (the fits need 2; hundreds make them reliable). */
export const MINIMUM_CUSTOMERS = 2;

/** What happened to one candidate. */
export interface CandidateOutcome {
  readonly model: CountingModelName;
  /** "fitted": usable; "no-dropout": usable as the NBD limit; "rejected": not usable (see `reason`). */
  readonly status: "fitted" | "no-dropout" | "rejected";
  /** The fit's log-likelihood when it produced finite parameters, else null. */
  readonly logLikelihood: number | null;
  /** Plain words, e.g. "log-likelihood −9582.13" or "did not converge". */
  readonly reason: string;
}

/** The chosen model, every candidate's outcome, and the reason in plain words. */
export interface ModelSelection {
  readonly fit: CountingModelFit;
  readonly candidates: readonly CandidateOutcome[];
  /** One or two sentences for the report, e.g. "MBG/NBD has the highest log-likelihood …". */
  readonly reason: string;
}

/** A log-likelihood for messages: two decimals with a true minus sign. */
function llText(value: number): string {
  const text = value.toFixed(2);
  return text.startsWith("-") ? `−${text.slice(1)}` : text;
}

/** Log-parameter range beyond which a converged fit is still on a meaningless boundary (e^±16 of the data's scale). */
const RANGE = Math.exp(16);

/**
 * Shape parameters above which a fit that did not converge is said to have run off: a gamma or beta
 * this concentrated (coefficient of variation about 1/√100 = 10%) is close to one common value.
 */
const RUN_OFF_SHAPE = 100;

/**
 * What a fit that did not converge ran off to, in plain words (empty when nothing grew past
 * {@link RUN_OFF_SHAPE}): r and α together (customers alike in how often they buy), a and b together
 * (alike in their chance of stopping after a purchase), s and β together (alike in their drop-out rate).
 * Each pair keeps its ratio while both grow, which is why the likelihood no longer changes along it.
 */
export function ranOffText(fit: CountingModelFit): string {
  const { params } = fit;
  const parts: string[] = [];
  if (params.r > RUN_OFF_SHAPE) {
    parts.push(`r and alpha grew without bound (r/alpha ≈ ${significant(params.r / params.alpha)} a period: the customers look alike in how often they buy)`);
  }
  if (fit.model === "pareto" && params.s > RUN_OFF_SHAPE) {
    parts.push(`s and beta grew without bound (s/beta ≈ ${significant(params.s / params.beta)} a period: the customers look alike in their drop-out rate, a limit this model does not reach)`);
  }
  if (fit.model !== "pareto" && params.a + params.b > RUN_OFF_SHAPE) {
    parts.push(`a and b grew without bound (a/(a + b) ≈ ${significant(params.a / (params.a + params.b))}: the customers look alike in their chance of stopping after a purchase)`);
  }
  return parts.join(" and ");
}

/** Three significant digits for messages. */
function significant(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/**
 * Classifies a fit: finite and converged inside the range, on the no-drop-out edge, or rejected.
 * Rates (α, β) are compared with the mean age, shapes with 1.
 */
function classify(fit: CountingModelFit, meanT: number): { status: CandidateOutcome["status"]; reason: string } {
  const values = fit.parameterNames.map((name) => fit.params[name]);
  if (!values.every((v) => Number.isFinite(v) && v > 0) || !Number.isFinite(fit.logLikelihood)) {
    return { status: "rejected", reason: "gave no finite parameters" };
  }
  const { params } = fit;
  const noDropout =
    fit.model === "pareto"
      ? params.s * Math.log1p(meanT / params.beta) < 1e-6 // chance of dropping out by the mean age
      : dropoutVanishes(params.a, params.b); // mean drop-out probability per purchase
  if (noDropout) return { status: "no-dropout", reason: `found no drop-out (log-likelihood ${llText(fit.logLikelihood)})` };
  if (!fit.converged) {
    const ranOff = ranOffText(fit);
    return { status: "rejected", reason: ranOff ? `did not converge: ${ranOff}` : "did not converge" };
  }
  // At a limit the unbounded parameters are stand-ins (a, b ≈ 10¹⁰): check the limit's own instead.
  if (fit.limit) {
    const limitOutOfRange = Object.entries(fit.limit.params).some(([name, value]) => {
      const scaled = name === "alpha" ? value / meanT : value;
      return name !== "p" && (scaled > RANGE || scaled < 1 / RANGE);
    });
    if (limitOutOfRange) return { status: "rejected", reason: "ran to the edge of its parameter range" };
    return { status: "fitted", reason: `log-likelihood ${llText(fit.logLikelihood)} (at its limit: the same drop-out probability for every customer)` };
  }
  const outOfRange = fit.parameterNames.some((name) => {
    const scaled = name === "alpha" || name === "beta" ? fit.params[name] / meanT : fit.params[name];
    return scaled > RANGE || scaled < 1 / RANGE;
  });
  if (outOfRange) return { status: "rejected", reason: "ran to the edge of its parameter range" };
  return { status: "fitted", reason: `log-likelihood ${llText(fit.logLikelihood)}` };
}

/**
 * Fits the candidate models and returns the best by log-likelihood, or the NBD limit when the best
 * fit shows no drop-out.
 *
 * @param data distinct (x, t_x, T) triples with weights, T > 0.
 * @param options maxIterations passed to every fit.
 * @returns the chosen fit, every candidate's outcome, and the reason in plain words.
 * @throws EngineError INSUFFICIENT_DATA when there are fewer than 2 customers, nobody bought twice,
 *   or no candidate could be fitted (the message lists why each failed); INVALID_INPUT from the fits
 *   for a triple outside its range (T ≤ 0).
 * References: see the module comment.
 */
export function selectCountingModel(data: FitData, options: { maxIterations?: number } = {}): ModelSelection {
  let customers = 0;
  let repeaters = 0;
  let sumT = 0;
  for (let i = 0; i < data.x.length; i++) {
    customers += data.weight[i];
    sumT += data.weight[i] * data.T[i];
    if (data.x[i] > 0) repeaters += data.weight[i];
  }
  if (customers < MINIMUM_CUSTOMERS) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      `only ${customers} customer${customers === 1 ? "" : "s"} with a purchase before the as-of date; the purchase model needs at least ${MINIMUM_CUSTOMERS} (and hundreds to be reliable)`,
    );
  }
  if (repeaters === 0) {
    throw new EngineError("INSUFFICIENT_DATA", "no customer bought more than once, so repeat buying cannot be modelled");
  }
  const meanT = sumT / customers;
  const fits = new Map<CountingModelName, CountingModelFit>();
  const candidates: CandidateOutcome[] = COUNTING_MODEL_NAMES.map((model) => {
    let fit: CountingModelFit;
    try {
      fit = fitCountingModel(model, data, { maxIterations: options.maxIterations, seriesTermBudget: paretoTermBudget(data) });
    } catch (error) {
      // A model the data cannot identify is one rejected candidate, not the end of the choice; bad
      // input (INVALID_INPUT) is the caller's to fix and goes on.
      if (!isEngineError(error, "INSUFFICIENT_DATA") && !isEngineError(error, "NOT_CONVERGED")) throw error;
      return { model, status: "rejected", logLikelihood: null, reason: "could not be fitted to these customers" };
    }
    fits.set(model, fit);
    const { status, reason } = classify(fit, meanT);
    return { model, status, logLikelihood: status === "rejected" && !Number.isFinite(fit.logLikelihood) ? null : fit.logLikelihood, reason };
  });
  const listing = candidates.map((c) => `${COUNTING_MODEL_LABELS[c.model]} ${c.reason}`).join("; ");
  let best: CandidateOutcome | null = null;
  for (const c of candidates) {
    if (c.status !== "rejected" && (best === null || c.logLikelihood! > best.logLikelihood!)) best = c;
  }
  if (best === null) {
    throw new EngineError("INSUFFICIENT_DATA", `none of the purchase models could be fitted to these customers: ${listing}. More customers, or a longer history, usually help`);
  }
  const bestLabel = COUNTING_MODEL_LABELS[best.model];
  if (best.status === "no-dropout") {
    const { poissonLimit, ...nbdFit } = fitNbd(data, options);
    const nbd: CountingModelFit = { model: "nbd", parameterNames: ["r", "alpha"], ...nbdFit, params: { ...nbdFit.params }, standardErrors: nbdFit.standardErrors && { ...nbdFit.standardErrors } };
    if (!nbd.converged || !Number.isFinite(nbd.logLikelihood)) {
      throw new EngineError("INSUFFICIENT_DATA", `the purchases show no drop-out, and the model without drop-out could not be fitted either: ${listing}`);
    }
    return {
      fit: nbd,
      candidates,
      reason:
        `No drop-out detected: the best fit, ${bestLabel} (log-likelihood ${llText(best.logLikelihood!)}), ran to the edge where customers never stop buying, ` +
        `so the NBD model without drop-out is used (every customer counts as active; log-likelihood ${llText(nbd.logLikelihood)}).` +
        (poissonLimit
          ? " Customers also buy at much the same rate, so r and alpha stand at their limit (a large r with r/alpha the common purchase rate per period)."
          : "") +
        ` Candidates: ${listing}.`,
    };
  }
  return {
    fit: fits.get(best.model)!,
    candidates,
    reason: `${bestLabel} has the highest log-likelihood of the models that converged (all have 4 parameters, so this is also the AIC and BIC choice). Candidates: ${listing}.`,
  };
}
