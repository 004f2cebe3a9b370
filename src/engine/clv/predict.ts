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
import { type ModelSelection, selectCountingModel } from "./autoModel";
import { COUNTING_MODEL_LABELS, type CountingModelChoice, type CountingModelFit, fitCountingModel, forecastCustomer } from "./countingModels";
import { type DiscountSchedule, discountedPurchases } from "./discountedClv";
import { fitGammaGamma, gammaGammaExpectedSpend, type GammaGammaFit, toSpendData } from "./gammaGamma";
import { compressTriples } from "./fitData";
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
  // Plain words without argument names: the runner shows these as they are (they are not a bad value).
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
  // Customers first seen on the as-of day (T = 0) add a factor 1 to every likelihood: fitDataOf leaves them out.
  const data = fitDataOf(summary);
  let selection: ModelSelection | null = null;
  let counting: CountingModelFit;
  if (model === "auto") {
    selection = selectCountingModel(data);
    counting = selection.fit;
  } else {
    counting = fitCountingModel(model, data);
  }
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

/** Per-customer predictions, in the summary's customer order. */
export interface CustomerValuePredictions {
  readonly probabilityAlive: Float64Array;
  /** Expected purchases in the horizon. */
  readonly expectedPurchases: Float64Array;
  /** Gamma-Gamma conditional mean value per purchase. */
  readonly expectedSpend: Float64Array;
  /** Discounted expected purchases × expected spend. */
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
  if (!fit.counting.converged) {
    throw new EngineError(
      "NOT_CONVERGED",
      `the ${COUNTING_MODEL_LABELS[fit.counting.model]} purchase model did not converge (its parameters run to the edge of their range, which happens with few customers or little variation between them), so its predictions would not mean anything; use more customers, another model, or the automatic choice ("auto"), which keeps only models that converge`,
      { argument: "model" },
    );
  }
  const n = summary.customerIds.length;
  const { data, tripleOf } = compressTriples(summary.frequency, summary.recency, summary.T);
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
    const forecast = forecastCustomer(fit.counting, data.x[k], data.t_x[k], data.T[k]);
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
  const expectedSpend = new Float64Array(n);
  const clv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = tripleOf[i];
    probabilityAlive[i] = tripleAlive[k];
    expectedPurchases[i] = triplePurchases[k];
    expectedSpend[i] = gammaGammaExpectedSpend(fit.spend.params, summary.monetaryCount[i], summary.monetary[i]);
    clv[i] = tripleDiscounted[k] * expectedSpend[i];
    if (!Number.isFinite(clv[i]) || !Number.isFinite(probabilityAlive[i]) || !Number.isFinite(expectedPurchases[i])) {
      throw new EngineError("NOT_CONVERGED", `predictCustomerValue: the prediction for customer ${summary.customerIds[i]} is not a finite number`);
    }
  }
  return { probabilityAlive, expectedPurchases, expectedSpend, clv };
}
