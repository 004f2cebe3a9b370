/**
 * The check of the purchase model against a holdout period: the model fitted again on the orders
 * before the holdout, its forecast for the holdout compared with what customers then bought, in
 * total and per calibration repeat-purchase bucket.
 */

import {
  COUNTING_MODEL_LABELS,
  compareHoldout,
  compressTriples,
  type CountingModelName,
  DAYS_PER_PERIOD,
  fitCustomerValue,
  forecastCustomer,
  type PeriodUnit,
} from "../../engine/clv";
import { formatSerial } from "../../engine/data";
import { EngineError, invalidArgument } from "../../engine/errors";
import type { HoldoutFacts } from "../customerFacts";

/** Last (open) bin of the repeat-purchase histogram and of the holdout table: "7+". */
export const LAST_BIN = 7;

/** The holdout check: metrics and per-frequency buckets. */
export interface HoldoutResult {
  readonly calibrationEnd: number;
  readonly holdoutEnd: number;
  readonly holdoutPeriods: number;
  readonly comparison: ReturnType<typeof compareHoldout>;
  readonly newCustomers: number;
  /** Per bucket 0..LAST_BIN: customers, actual total, predicted total. */
  readonly buckets: { customers: number; actual: number; predicted: number }[];
}

/**
 * Fits the model on the orders up to as_of − holdout and compares its predicted purchases in the
 * holdout with the actual ones (per customer, and per calibration repeat-purchase bucket), from the
 * holdout facts (the calibration summary and the holdout purchases, from the rows or summarised out
 * of core; src/reports/customerFacts.ts).
 *
 * @param facts the holdout split for these options.
 * @param asOf the as-of day (the holdout's end).
 * @param holdoutPeriods holdout length in periods.
 * @param periodUnit the period unit.
 * @param model the model used for the whole tab (with "auto", the one chosen on all orders up to as of).
 * @throws EngineError INVALID_INPUT (holdout_periods) for a non-positive holdout or one reaching before
 *   the first order; NOT_CONVERGED (holdout_periods) when the calibration fit does not converge;
 *   INSUFFICIENT_DATA from the fit when the calibration period has no repeat purchases.
 */
export function holdoutCheck(facts: HoldoutFacts, asOf: number, holdoutPeriods: number, periodUnit: PeriodUnit, model: CountingModelName): HoldoutResult {
  if (!(Number.isFinite(holdoutPeriods) && holdoutPeriods > 0)) {
    throw invalidArgument("holdout_periods", `must be a number of periods above 0, got ${String(holdoutPeriods)}`);
  }
  const calibrationEnd = Math.floor(asOf - holdoutPeriods * DAYS_PER_PERIOD[periodUnit]);
  const firstDay = facts.firstDay;
  if (calibrationEnd < firstDay) {
    throw invalidArgument(
      "holdout_periods",
      `${holdoutPeriods} ${periodUnit}s before as of (${formatSerial(asOf)}) is ${formatSerial(Math.max(1, calibrationEnd))}, before the first order (${formatSerial(firstDay)}); choose a shorter holdout`,
    );
  }
  const split = facts.split;
  if (split === null || split.calibration.asOf !== calibrationEnd) throw new Error("holdoutCheck: the holdout facts were split at another calibration end (a bug)");
  const calibration = split.calibration;
  const fit = fitCustomerValue(calibration, model);
  // Not a bad value, so the runner shows these messages as they are: plain words, no argument names.
  if (!fit.counting.converged) {
    throw new EngineError(
      "NOT_CONVERGED",
      `the ${COUNTING_MODEL_LABELS[model]} fit on the orders before the holdout (up to ${formatSerial(calibrationEnd)}) did not converge; choose a shorter holdout or use more customers`,
      { argument: "holdout_periods" },
    );
  }
  const { data, tripleOf } = compressTriples(calibration.frequency, calibration.recency, calibration.T);
  const tripleForecast = new Float64Array(data.x.length);
  for (let k = 0; k < data.x.length; k++) {
    tripleForecast[k] = forecastCustomer(fit.counting, data.x[k], data.t_x[k], data.T[k]).cumulativePurchases(split.holdoutPeriods);
  }
  const customers = calibration.customerIds.length;
  const predicted = new Float64Array(customers);
  const buckets = Array.from({ length: LAST_BIN + 1 }, () => ({ customers: 0, actual: 0, predicted: 0 }));
  for (let i = 0; i < customers; i++) {
    predicted[i] = tripleForecast[tripleOf[i]];
    if (!Number.isFinite(predicted[i])) {
      throw new EngineError("NOT_CONVERGED", `the holdout prediction for customer ${calibration.customerIds[i]} is not a finite number`, {
        argument: "holdout_periods",
      });
    }
    const bucket = buckets[Math.min(LAST_BIN, calibration.frequency[i])];
    bucket.customers++;
    bucket.actual += split.holdoutPurchases[i];
    bucket.predicted += predicted[i];
  }
  return {
    calibrationEnd,
    holdoutEnd: asOf,
    holdoutPeriods: split.holdoutPeriods,
    comparison: compareHoldout(split.holdoutPurchases, predicted),
    newCustomers: split.newCustomersInHoldout,
    buckets,
  };
}
