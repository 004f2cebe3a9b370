/**
 * The probabilistic-CLV pipeline: customer summary → distinct triples → fit (a counting model and
 * Gamma-Gamma) → per-customer P(alive), expected purchases, expected average value and discounted CLV.
 *
 * Scoring works per distinct (x, t_x, T) triple for P(alive), and per distinct (x, T) pair for the
 * expected purchases of an alive customer and their discounted sum (the costly hypergeometric series);
 * the spend model is closed form per customer. A million customers cost what their distinct pairs cost.
 *
 * Glossary: x frequency, t_x recency, T age (period unit of the summary), m̄ average repeat value.
 */

import { EngineError } from "../errors";
import { type ModelSelection, ranOffText, selectCountingModel } from "./autoModel";
import { COUNTING_MODEL_LABELS, type CountingModelChoice, type CountingModelFit, fitCountingModel, forecastCustomer } from "./countingModels";
import { type DiscountSchedule, discountedPurchases } from "./discountedClv";
import { fitGammaGamma, gammaGammaExpectedSpend, type GammaGammaFit, toSpendData } from "./gammaGamma";
import { compressTriples, type FitData } from "./fitData";
import { type CustomerSummary, fitDataOf } from "./summary";

/** Both fitted models plus the counts the FIT table reports. */
export interface CustomerValueFit {
  readonly counting: CountingModelFit;
  /** With the "auto" choice: every candidate's outcome and why `counting` was chosen; null when a model was named. */
  readonly selection?: ModelSelection | null;
  readonly spend: GammaGammaFit;
  /** Customers in the summary (as of the as-of date). */
  readonly customers: number;
  /** Customers with at least one repeat purchase. */
  readonly repeatCustomers: number;
}

/**
 * The purchase model needs at least two customers, and someone who bought twice (on different days).
 *
 * @param customers customers with an order up to the as-of date.
 * @param repeatCustomers those of them with a repeat purchase.
 * @throws EngineError INSUFFICIENT_DATA otherwise, in plain words (the runner shows them as they are).
 */
export function requirePurchaseCustomers(customers: number, repeatCustomers: number): void {
  if (customers < 2) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      `${customers === 1 ? "only 1 customer" : "no customer"} with an order up to the as-of date; the purchase model needs at least 2 customers (and hundreds to be reliable)`,
      { argument: "customer_ids" },
    );
  }
  if (repeatCustomers === 0) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      "no customer bought more than once (on different days) up to the as-of date, so repeat buying cannot be modelled",
      { argument: "customer_ids" },
    );
  }
}

/**
 * Fits a counting model and the Gamma-Gamma spend model on a customer summary.
 *
 * @param summary from `summarizeCustomers`.
 * @param model "bgnbd", "mbgnbd", "pareto", "nbd" or "auto" (the best of BG/NBD, MBG/NBD and
 *   Pareto/NBD by log-likelihood, or the NBD when they find no drop-out; see autoModel.ts).
 * @returns both fits, the model choice (with "auto") and the customer counts.
 * @throws EngineError INSUFFICIENT_DATA when there is one customer, when nobody bought twice, when
 *   "auto" can fit no model, or when fewer than 2 repeat customers have positive average values
 *   (messages say which).
 */
export function fitCustomerValue(summary: CustomerSummary, model: CountingModelChoice): CustomerValueFit {
  const customers = summary.customerIds.length;
  let repeatCustomers = 0;
  for (let i = 0; i < customers; i++) if (summary.frequency[i] > 0) repeatCustomers++;
  requirePurchaseCustomers(customers, repeatCustomers);
  // Customers first seen on the as-of day (T = 0) add a factor 1 to every likelihood: fitDataOf leaves them out.
  const { counting, selection } = fitPurchaseModel(fitDataOf(summary), model);
  const spendData = toSpendData(summary.monetaryCount, summary.monetary);
  if (spendData.x.length < 2) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      "order_values: fewer than 2 repeat customers with different positive average values; the spend model (Gamma-Gamma) cannot be fitted",
    );
  }
  const spend = fitGammaGamma(spendData);
  return { counting, selection, spend, customers, repeatCustomers };
}

/**
 * Fits the named purchase model, or with "auto" chooses among them (see autoModel.ts).
 *
 * @param data distinct (x, t_x, T) triples with weights, T > 0.
 * @param model "bgnbd", "mbgnbd", "pareto", "nbd" or "auto".
 * @returns the fit, and with "auto" the model choice (null otherwise).
 * @throws EngineError as `fitCountingModel` and `selectCountingModel`.
 */
export function fitPurchaseModel(data: FitData, model: CountingModelChoice): { counting: CountingModelFit; selection: ModelSelection | null } {
  if (model === "auto") {
    const selection = selectCountingModel(data);
    return { counting: selection.fit, selection };
  }
  return { counting: fitCountingModel(model, data), selection: null };
}

/** Per-customer predictions, in the summary's customer order. */
export interface CustomerValuePredictions {
  readonly probabilityAlive: Float64Array;
  /** Expected purchases in the horizon. */
  readonly expectedPurchases: Float64Array;
  /** Gamma-Gamma conditional mean value per purchase (NaN when scored without a spend model). */
  readonly expectedSpend: Float64Array;
  /** Discounted expected purchases × expected spend (NaN when scored without a spend model). */
  readonly clv: Float64Array;
}

/**
 * Scores every customer: P(alive), expected purchases in the horizon, expected average value and CLV.
 *
 * @param summary the summary the fit was made on (same period unit).
 * @param fit from {@link fitCustomerValue}.
 * @param schedule horizon, step and discount per step (see `periodSchedule`).
 * @returns per-customer arrays.
 * @throws EngineError NOT_CONVERGED when the counting model's fit did not converge (its predictions
 *   would be meaningless) or a series does not converge; INSUFFICIENT_DATA when the spend model's
 *   mean does not exist (q ≤ 1). Never returns NaN. A Gamma-Gamma fit that ends on its boundary (all
 *   customers spend alike) still predicts: its conditional means are then close to the common mean.
 */
export function predictCustomerValue(summary: CustomerSummary, fit: CustomerValueFit, schedule: DiscountSchedule): CustomerValuePredictions {
  if (!fit.counting.converged) throw notConvergedError(fit.counting);
  return predictRows(summary, fit.counting, fit.spend, schedule, (i) => `customer ${summary.customerIds[i]}`);
}

/**
 * The error of predicting from a purchase-model fit that did not converge: it names the pair of
 * parameters that ran off when one did (e.g. s and beta: customers alike in their drop-out rate), and
 * what to do instead. Every route that scores customers raises it (in memory, per distinct triple,
 * from a summary).
 *
 * @param counting the fit that did not converge.
 * @returns the NOT_CONVERGED error naming the argument "model".
 */
export function notConvergedError(counting: CountingModelFit): EngineError {
  const ranOff = ranOffText(counting);
  const why = ranOff ? ` because ${ranOff},` : " (its parameters run to the edge of their range, which happens with few customers or little variation between them),";
  return new EngineError(
    "NOT_CONVERGED",
    `the ${COUNTING_MODEL_LABELS[counting.model]} purchase model did not converge${why} so its predictions would not mean anything; use more customers, another model, or the automatic choice ("auto"), which keeps only models that converge`,
    { argument: "model" },
  );
}

/** Per-row inputs of {@link predictRows}: a customer summary's columns (one row per customer or per group). */
export interface PredictionInputs {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  /** Gamma-Gamma x per row: the repeat purchases averaged in `monetary`. */
  readonly monetaryCount: Float64Array;
  /** m̄ per row (ignored where `monetaryCount` is 0). */
  readonly monetary: Float64Array;
}

/**
 * Scores rows of a summary with fitted models: P(alive), expected purchases in the horizon, expected
 * average value and CLV. The work is per distinct (x, t_x, T) triple and (x, T) pair (see the module
 * comment), so a row gets the same numbers whether customers are listed one per row or grouped.
 *
 * @param rows the summary's columns.
 * @param counting a converged purchase-model fit (the caller checks convergence).
 * @param spend the Gamma-Gamma fit, or null: then expected average value and CLV are NaN.
 * @param schedule horizon, step and discount per step (see `periodSchedule`).
 * @param rowLabel names row i in a message, e.g. "customer 17" or "row 17".
 * @returns per-row arrays.
 * @throws EngineError NOT_CONVERGED when a prediction is not finite; INSUFFICIENT_DATA when the spend
 *   model's mean does not exist (q ≤ 1).
 */
export function predictRows(
  rows: PredictionInputs,
  counting: CountingModelFit,
  spend: GammaGammaFit | null,
  schedule: DiscountSchedule,
  rowLabel: (row: number) => string,
): CustomerValuePredictions {
  const n = rows.frequency.length;
  const { data, tripleOf } = compressTriples(rows.frequency, rows.recency, rows.T);
  const m = data.x.length;
  // Expected purchases of an alive customer depend on (x, T) only: compute them (and their discounted
  // sum) once per distinct (x, T) pair, then scale by each triple's P(alive).
  const { data: pairs, tripleOf: pairOf } = compressTriples(data.x, data.T, new Float64Array(m));
  const pairCount = pairs.x.length;
  const pairPurchases = new Float64Array(pairCount).fill(NaN);
  const pairDiscounted = new Float64Array(pairCount);
  const tripleAlive = new Float64Array(m);
  const triplePurchases = new Float64Array(m);
  const tripleDiscounted = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const forecast = forecastCustomer(counting, data.x[k], data.t_x[k], data.T[k]);
    const pair = pairOf[k];
    if (Number.isNaN(pairPurchases[pair])) {
      pairPurchases[pair] = forecast.aliveCumulativePurchases(schedule.horizonPeriods);
      pairDiscounted[pair] = discountedPurchases(forecast.aliveCumulativePurchases, schedule);
    }
    tripleAlive[k] = forecast.probabilityAlive;
    triplePurchases[k] = forecast.probabilityAlive * pairPurchases[pair];
    tripleDiscounted[k] = forecast.probabilityAlive * pairDiscounted[pair];
  }
  const probabilityAlive = new Float64Array(n);
  const expectedPurchases = new Float64Array(n);
  const expectedSpend = new Float64Array(n).fill(NaN);
  const clv = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    const k = tripleOf[i];
    probabilityAlive[i] = tripleAlive[k];
    expectedPurchases[i] = triplePurchases[k];
    if (spend !== null) {
      expectedSpend[i] = gammaGammaExpectedSpend(spend.params, rows.monetaryCount[i], rows.monetary[i]);
      clv[i] = tripleDiscounted[k] * expectedSpend[i];
    }
    if ((spend !== null && !Number.isFinite(clv[i])) || !Number.isFinite(probabilityAlive[i]) || !Number.isFinite(expectedPurchases[i])) {
      throw new EngineError("NOT_CONVERGED", `predictCustomerValue: the prediction for ${rowLabel(i)} is not a finite number`);
    }
  }
  return { probabilityAlive, expectedPurchases, expectedSpend, clv };
}
