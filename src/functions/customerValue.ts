/**
 * Probabilistic customer value from an order export: IMC.CUSTOMERS, IMC.CLV.FIT, IMC.CLV.PREDICT.
 *
 * Thin adapters: Excel arguments → engine (summary, BG/NBD, MBG/NBD or Pareto/NBD or the automatic
 * choice among them, Gamma-Gamma, discounted CLV) → spilled tables. The JSDoc of each `@customfunction` is what Excel users see.
 *
 * Conventions shared by the three functions: orders on one calendar day are one purchase (values
 * summed); `period` is the time unit of frequency/recency/T and of the horizon ("week" by default; a
 * month is 365.25/12 days); orders after `as_of` are left out (counted in IMC.CLV.FIT); a purchase day
 * whose total is ≤ 0 (refunds) counts as a purchase but not in the average value. Customers are listed
 * in order of first appearance in the data.
 */

import { COUNTING_MODEL_CHOICES, COUNTING_MODEL_LABELS, type CountingModelChoice, type CountingModelFit, expectedPurchasesNew } from "../engine/clv/countingModels";
import { periodSchedule } from "../engine/clv/discountedClv";
import { type CustomerValueFit, type CustomerValuePredictions, fitCustomerValue, predictCustomerValue } from "../engine/clv/predict";
import { CLV_PREDICTION_HEADERS, clvPredictionValues } from "../engine/clv/predictionTable";
import { type CustomerSummary, DAYS_PER_PERIOD, type PeriodUnit, summarizeCustomers } from "../engine/clv/summary";
import { readTransactions } from "../engine/data/transactions";
import { invalidArgument } from "../engine/errors";
import { optionChoice, optionDate, optionNumber, optionText } from "./arguments";
import { type SpillCell, spill } from "./table";

const PERIODS: readonly PeriodUnit[] = ["day", "week", "month"];

/**
 * The model argument: "bgnbd" (default; also "BG/NBD", "bg-nbd"), "mbgnbd" (also "MBG/NBD"), "pareto"
 * (also "Pareto/NBD") or "auto" (the best of the three by log-likelihood).
 */
export function modelOption(range: unknown): CountingModelChoice {
  const text = optionText(range, "model");
  if (text === null) return "bgnbd";
  const key = text.toLowerCase().replace(/[\s/_-]+/g, "");
  if (key === "bgnbd") return "bgnbd";
  if (key === "mbgnbd") return "mbgnbd";
  if (key === "pareto" || key === "paretonbd") return "pareto";
  if (key === "auto") return "auto";
  throw invalidArgument("model", `"${text}" is not one of ${COUNTING_MODEL_CHOICES.map((m) => `"${m}"`).join(", ")}`);
}

/** The period argument: "day", "week" (default) or "month". */
export function periodOption(range: unknown): PeriodUnit {
  return optionChoice(range, "period", PERIODS) ?? "week";
}

/** Reads the orders and builds the summary (shared by the three functions). */
function summaryOf(customer_ids: unknown, order_dates: unknown, order_values: unknown, as_of: unknown, period: unknown): CustomerSummary {
  const transactions = readTransactions(customer_ids, order_dates, order_values);
  return summarizeCustomers(transactions, { asOf: optionDate(as_of, "as_of"), periodUnit: periodOption(period) });
}

/** An id back as Excel had it: canonical numbers as numbers (so lookups match), everything else as text. */
export function idCell(id: string): SpillCell {
  const number = Number(id);
  return id !== "" && Number.isFinite(number) && String(number) === id ? number : id;
}

/**
 * The purchase model's rows of a fit table (IMC.CLV.FIT and IMC.CLV.FIT.SUMMARY): each parameter with
 * its standard error, the log-likelihood, whether it converged, and at a limit (a, b → ∞) what ran off
 * and the limit model's own parameters with their standard errors.
 *
 * @param counting the purchase-model fit.
 * @returns the rows, three cells each.
 */
export function countingModelRows(counting: CountingModelFit): SpillCell[][] {
  const label = COUNTING_MODEL_LABELS[counting.model];
  const rows: SpillCell[][] = counting.parameterNames.map((name) => [name, counting.params[name], counting.standardErrors ? counting.standardErrors[name] : null]);
  rows.push([`Log-likelihood (${label})`, counting.logLikelihood, null]);
  rows.push([`Converged (${label})`, counting.converged, null]);
  if (counting.limit) {
    rows.push([`At its limit (${label})`, counting.limit.description, null]);
    const { params, standardErrors } = counting.limit;
    for (const name of Object.keys(params)) rows.push([`${name} (limit)`, params[name], standardErrors ? standardErrors[name] : null]);
  }
  return rows;
}

/**
 * IMC.CLV.FIT's table (Parameter | Value | Standard error) from the summary and the fit. Pure: `imc
 * clv --fit-only` prints the same rows. The model shown is the one fitted: with "auto", the chosen one,
 * followed by a "Model choice" row with the reason and every candidate's log-likelihood.
 *
 * @param asOfCell how the as-of date is shown (default: the date serial, for Excel to format).
 */
export function clvFitRows(summary: CustomerSummary, fit: CustomerValueFit, asOfCell: (serial: number) => SpillCell = (serial) => serial): SpillCell[][] {
  const { counting, spend } = fit;
  const label = COUNTING_MODEL_LABELS[counting.model];
  const rows: SpillCell[][] = [
    ["Parameter", "Value", "Standard error"],
    ["Model", `${label} + Gamma-Gamma${fit.selection ? " (purchase model chosen automatically)" : ""}`, null],
  ];
  if (fit.selection) rows.push(["Model choice", fit.selection.reason, null]);
  rows.push(["Period", summary.periodUnit, null]);
  rows.push(["As of", asOfCell(summary.asOf), null]);
  rows.push(...countingModelRows(counting));
  const se = spend.standardErrors;
  rows.push(["p", spend.params.p, se ? se.p : null]);
  rows.push(["q", spend.params.q, se ? se.q : null]);
  rows.push(["gamma", spend.params.gamma, se ? se.gamma : null]);
  rows.push(["Log-likelihood (Gamma-Gamma)", spend.logLikelihood, null]);
  rows.push(["Converged (Gamma-Gamma)", spend.converged, null]);
  const q = spend.params.q;
  rows.push([
    "Average value of a new customer",
    q > 1 ? (spend.params.p * spend.params.gamma) / (q - 1) : "does not exist (q <= 1)",
    null,
  ]);
  rows.push([
    "Expected repeat purchases of a new customer in the first year",
    expectedPurchasesNew(counting, 365.25 / DAYS_PER_PERIOD[summary.periodUnit]),
    null,
  ]);
  rows.push(["Customers", fit.customers, null]);
  rows.push(["Repeat customers", fit.repeatCustomers, null]);
  rows.push(["Customers in the spend model", spend.customers, null]);
  let orders = 0;
  let refundDays = 0;
  for (let i = 0; i < summary.customerIds.length; i++) {
    orders += summary.orders[i];
    refundDays += summary.nonPositiveDays[i];
  }
  rows.push(["Orders used", orders, null]);
  rows.push(["Orders after as_of (left out)", summary.ordersAfterAsOf, null]);
  rows.push(["Customers first ordering after as_of (left out)", summary.customersAfterAsOf, null]);
  rows.push(["Purchase days with value <= 0 (counted as purchases, not in average value)", refundDays, null]);
  return rows;
}

/**
 * IMC.CLV.PREDICT's table, one row per customer in order of first appearance. Pure: `imc clv` prints
 * the same rows.
 *
 * @param customerCell how an id is shown (default {@link idCell}: canonical numbers back as numbers).
 */
export function clvPredictRows(
  summary: CustomerSummary,
  predictions: CustomerValuePredictions,
  customerCell: (id: string) => SpillCell = idCell,
): SpillCell[][] {
  const rows: SpillCell[][] = [[...CLV_PREDICTION_HEADERS]];
  for (let i = 0; i < summary.customerIds.length; i++) {
    rows.push([customerCell(summary.customerIds[i]), ...clvPredictionValues(summary, predictions, i)]);
  }
  return rows;
}

/**
 * Per-customer summary of an order list: first and last order, orders, repeat purchases (frequency), recency, age (T), total and average value. Example: =IMC.CUSTOMERS(A2:A500, B2:B500, C2:C500).
 * @customfunction CUSTOMERS
 * @param customer_ids Customer id of each order (text or numbers), one column.
 * @param order_dates Order date of each order (dates or date text like 2024-01-31), same size. Orders on the same day count as one purchase.
 * @param order_values Order value of each order, same size. Refunds (negative) are allowed.
 * @param [as_of] Date to summarise at; later orders are left out. Default: the last order date.
 * @param [period] Time unit of recency and T: "day", "week" (default) or "month" (365.25/12 days).
 * @returns A table with a header row, one row per customer in order of first appearance.
 */
export function customers(
  customer_ids: any[][],
  order_dates: any[][],
  order_values: any[][],
  as_of?: any[][],
  period?: any[][],
): any[][] {
  return spill("IMC.CUSTOMERS", () => {
    const summary = summaryOf(customer_ids, order_dates, order_values, as_of ?? null, period ?? null);
    const rows: SpillCell[][] = [["Customer", "First order", "Last order", "Orders", "Frequency", "Recency", "T", "Total value", "Average value"]];
    for (let i = 0; i < summary.customerIds.length; i++) {
      rows.push([
        idCell(summary.customerIds[i]),
        summary.firstPurchase[i],
        summary.lastPurchase[i],
        summary.orders[i],
        summary.frequency[i],
        summary.recency[i],
        summary.T[i],
        summary.totalValue[i],
        summary.monetary[i],
      ]);
    }
    return rows;
  });
}

/**
 * Fits the customer-value models (BG/NBD, MBG/NBD or Pareto/NBD for purchases, Gamma-Gamma for spend) to an order list and shows their parameters. Example: =IMC.CLV.FIT(A2:A500, B2:B500, C2:C500).
 * @customfunction CLV.FIT
 * @param customer_ids Customer id of each order (text or numbers), one column.
 * @param order_dates Order date of each order, same size. Orders on the same day count as one purchase.
 * @param order_values Order value of each order, same size.
 * @param [model] Purchase model: "bgnbd" (BG/NBD, default), "mbgnbd" (MBG/NBD: one-time buyers can have left too), "pareto" (Pareto/NBD) or "auto" (fits all three and keeps the best by log-likelihood; the NBD without drop-out when customers show no drop-out).
 * @param [as_of] End of the observation; later orders are left out. Default: the last order date.
 * @param [period] Time unit: "day", "week" (default) or "month". Rate parameters (alpha, beta) are in this unit.
 * @returns A Parameter | Value | Standard error table.
 */
export function clvFit(
  customer_ids: any[][],
  order_dates: any[][],
  order_values: any[][],
  model?: any[][],
  as_of?: any[][],
  period?: any[][],
): any[][] {
  return spill("IMC.CLV.FIT", () => {
    const modelName = modelOption(model ?? null);
    const summary = summaryOf(customer_ids, order_dates, order_values, as_of ?? null, period ?? null);
    const fit = fitCustomerValue(summary, modelName);
    return clvFitRows(summary, fit);
  });
}

/**
 * Predicts per customer the chance they are still active, their expected purchases and average value, and their discounted lifetime value (CLV) over a horizon. Example: =IMC.CLV.PREDICT(A2:A500, B2:B500, C2:C500, 52, 0.1).
 * @customfunction CLV.PREDICT
 * @param customer_ids Customer id of each order (text or numbers), one column.
 * @param order_dates Order date of each order, same size. Orders on the same day count as one purchase.
 * @param order_values Order value of each order, same size.
 * @param [horizon] Horizon in periods (default 52, a year of weeks).
 * @param [annual_discount_rate] Yearly discount rate (default 0.1 for 10%), converted to a rate per period: (1 + rate)^(days per period / 365.25) - 1; value is discounted at the end of each period.
 * @param [model] Purchase model: "bgnbd" (BG/NBD, default), "mbgnbd" (MBG/NBD: one-time buyers can have left too), "pareto" (Pareto/NBD) or "auto" (fits all three and keeps the best by log-likelihood; the NBD without drop-out when customers show no drop-out).
 * @param [as_of] End of the observation; later orders are left out. Default: the last order date.
 * @param [period] Time unit: "day", "week" (default) or "month" (365.25/12 days).
 * @returns A table with a header row, one row per customer in order of first appearance.
 */
export function clvPredict(
  customer_ids: any[][],
  order_dates: any[][],
  order_values: any[][],
  horizon?: any[][],
  annual_discount_rate?: any[][],
  model?: any[][],
  as_of?: any[][],
  period?: any[][],
): any[][] {
  return spill("IMC.CLV.PREDICT", () => {
    const horizonPeriods = optionNumber(horizon ?? null, "horizon") ?? 52;
    const annualRate = optionNumber(annual_discount_rate ?? null, "annual_discount_rate") ?? 0.1;
    const modelName = modelOption(model ?? null);
    const periodUnit = periodOption(period ?? null);
    const schedule = periodSchedule(horizonPeriods, annualRate, periodUnit);
    const summary = summaryOf(customer_ids, order_dates, order_values, as_of ?? null, period ?? null);
    const fit = fitCustomerValue(summary, modelName);
    const predictions = predictCustomerValue(summary, fit, schedule);
    return clvPredictRows(summary, predictions);
  });
}
