/**
 * Calibration/holdout split for validating the customer-value models: the summary as of the end of a
 * calibration window, plus each calibration customer's actual purchases and value in the holdout window
 * that follows, and the comparison of actual and predicted holdout purchases.
 *
 * Rules: the calibration summary follows `summarizeCustomers` (orders on or before the calibration end).
 * Holdout purchases are distinct purchase days in (calibration end, holdout end], counted for the
 * calibration customers only; customers whose first order falls in the holdout are new customers, not
 * part of the validation, and are counted in `newCustomersInHoldout`.
 *
 * Glossary: x* (xStar) purchases in the holdout window of length t* (holdoutPeriods).
 *
 * References: Fader, Hardie & Lee (2005), §4 (calibration 39 weeks, holdout 39 weeks on CDNOW).
 */

import { EngineError } from "../errors";
import type { Transactions } from "../data/transactions";
import { type CustomerSummary, DAYS_PER_PERIOD, type PeriodUnit, summarizeCustomers } from "./summary";

export interface CalibrationHoldout {
  readonly calibration: CustomerSummary;
  /** Holdout window length t* in periods. */
  readonly holdoutPeriods: number;
  /** Per calibration customer: purchase days in the holdout window (x*). */
  readonly holdoutPurchases: Float64Array;
  /** Per calibration customer: sum of order values in the holdout window. */
  readonly holdoutValue: Float64Array;
  /** Customers whose first order is in the holdout window (left out). */
  readonly newCustomersInHoldout: number;
  /** Order rows after the holdout end (left out). */
  readonly ordersAfterHoldout: number;
}

/**
 * Splits orders into a calibration summary and holdout actuals.
 *
 * @param transactions order rows.
 * @param options calibrationEnd (date serial), holdoutEnd (date serial, default the last order day),
 *   periodUnit (default "week").
 * @returns the calibration summary and, per calibration customer, holdout purchases and value.
 * @throws EngineError INVALID_INPUT when the holdout end is not after the calibration end, or the
 *   calibration end is before the first order.
 */
export function splitCalibrationHoldout(
  transactions: Transactions,
  options: { readonly calibrationEnd: number; readonly holdoutEnd?: number | null; readonly periodUnit?: PeriodUnit },
): CalibrationHoldout {
  const periodUnit = options.periodUnit ?? "week";
  const calibrationEnd = Math.floor(options.calibrationEnd);
  let lastDay = -Infinity;
  for (let i = 0; i < transactions.rowCount; i++) lastDay = Math.max(lastDay, Math.floor(transactions.orderDates[i]));
  const holdoutEnd = options.holdoutEnd === null || options.holdoutEnd === undefined ? lastDay : Math.floor(options.holdoutEnd);
  if (!(holdoutEnd > calibrationEnd)) {
    throw new EngineError("INVALID_INPUT", "splitCalibrationHoldout requires the holdout end to be after the calibration end", {
      argument: "holdout_end",
    });
  }
  const calibration = summarizeCustomers(transactions, { asOf: calibrationEnd, periodUnit, asOfArgument: "calibration_end" });
  const position = new Map<string, number>();
  calibration.customerIds.forEach((id, i) => position.set(id, i));
  const n = calibration.customerIds.length;
  const holdoutPurchases = new Float64Array(n);
  const holdoutValue = new Float64Array(n);
  // Calibration position of each transaction customer (−1: first seen in the holdout).
  const calibrationIndex = Int32Array.from(transactions.customerIds, (id) => position.get(id) ?? -1);
  // Distinct (customer, day) in the window: sort the window's rows by customer and day.
  const rows: number[] = [];
  let ordersAfterHoldout = 0;
  const newCustomers = new Set<number>();
  for (let i = 0; i < transactions.rowCount; i++) {
    const day = Math.floor(transactions.orderDates[i]);
    if (day <= calibrationEnd) continue;
    if (day > holdoutEnd) {
      ordersAfterHoldout++;
      continue;
    }
    const c = calibrationIndex[transactions.customerIndex[i]];
    if (c < 0) {
      newCustomers.add(transactions.customerIndex[i]);
      continue;
    }
    rows.push(i);
    holdoutValue[c] += transactions.orderValues ? transactions.orderValues[i] : 0;
  }
  rows.sort(
    (i, j) =>
      calibrationIndex[transactions.customerIndex[i]] - calibrationIndex[transactions.customerIndex[j]] ||
      Math.floor(transactions.orderDates[i]) - Math.floor(transactions.orderDates[j]),
  );
  let previousCustomer = -1;
  let previousDay = NaN;
  for (const i of rows) {
    const c = calibrationIndex[transactions.customerIndex[i]];
    const day = Math.floor(transactions.orderDates[i]);
    if (c !== previousCustomer || day !== previousDay) holdoutPurchases[c]++;
    previousCustomer = c;
    previousDay = day;
  }
  return {
    calibration,
    holdoutPeriods: (holdoutEnd - calibrationEnd) / DAYS_PER_PERIOD[periodUnit],
    holdoutPurchases,
    holdoutValue,
    newCustomersInHoldout: newCustomers.size,
    ordersAfterHoldout,
  };
}

/** Accuracy of predicted holdout purchases against the actual ones. */
export interface HoldoutComparison {
  readonly customers: number;
  readonly actualTotal: number;
  readonly predictedTotal: number;
  /** Mean absolute error per customer. */
  readonly meanAbsoluteError: number;
  /** Root mean squared error per customer. */
  readonly rootMeanSquaredError: number;
  /** Pearson correlation of actual and predicted (0 when either is constant). */
  readonly correlation: number;
}

/**
 * Compares predicted and actual holdout purchases per customer (the holdout metric).
 *
 * @param actual purchases per customer in the holdout.
 * @param predicted conditional expected purchases for the same window, same order.
 * @returns totals, MAE, RMSE and correlation.
 * @throws EngineError INVALID_INPUT when the lengths differ or are 0.
 */
export function compareHoldout(actual: ArrayLike<number>, predicted: ArrayLike<number>): HoldoutComparison {
  const n = actual.length;
  if (n === 0 || predicted.length !== n) {
    throw new EngineError("INVALID_INPUT", "compareHoldout requires actual and predicted purchases of the same, non-zero length");
  }
  let actualTotal = 0;
  let predictedTotal = 0;
  let absolute = 0;
  let squared = 0;
  for (let i = 0; i < n; i++) {
    actualTotal += actual[i];
    predictedTotal += predicted[i];
    absolute += Math.abs(actual[i] - predicted[i]);
    squared += (actual[i] - predicted[i]) ** 2;
  }
  const meanA = actualTotal / n;
  const meanP = predictedTotal / n;
  let sab = 0;
  let saa = 0;
  let spp = 0;
  for (let i = 0; i < n; i++) {
    sab += (actual[i] - meanA) * (predicted[i] - meanP);
    saa += (actual[i] - meanA) ** 2;
    spp += (predicted[i] - meanP) ** 2;
  }
  const correlation = saa > 0 && spp > 0 ? sab / Math.sqrt(saa * spp) : 0;
  return {
    customers: n,
    actualTotal,
    predictedTotal,
    meanAbsoluteError: absolute / n,
    rootMeanSquaredError: Math.sqrt(squared / n),
    correlation,
  };
}
