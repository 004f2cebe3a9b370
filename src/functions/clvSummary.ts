/**
 * Customer-value fits from a customer summary instead of orders: IMC.CLV.FIT.SUMMARY and
 * IMC.CLV.PREDICT.SUMMARY.
 *
 * A warehouse can send the summary (frequency, recency, T and average value per customer, or per
 * group of customers with a count) instead of the order rows. The tables are those of IMC.CLV.FIT and
 * IMC.CLV.PREDICT; customers listed one per row and the same customers grouped into distinct rows with
 * counts give the same parameters and the same per-row predictions (the engine fits on distinct
 * triples with weights either way).
 *
 * Argument order: the summary columns (frequency, recency, T), then the optional columns (monetary,
 * counts), then the options in IMC.CLV.FIT / IMC.CLV.PREDICT's order (horizon, annual_discount_rate,
 * model), then period, the time unit of recency and T (as IMC.CLV.FIT's last argument).
 */

import { COUNTING_MODEL_LABELS, type CountingModelFit, expectedPurchasesNew } from "../engine/clv/countingModels";
import { periodSchedule } from "../engine/clv/discountedClv";
import { weightedFitData } from "../engine/clv/fitData";
import { fitGammaGamma, type GammaGammaFit, toSpendData } from "../engine/clv/gammaGamma";
import { fitPurchaseModel, notConvergedError, predictRows } from "../engine/clv/predict";
import { CLV_PREDICTION_HEADERS } from "../engine/clv/predictionTable";
import { DAYS_PER_PERIOD, type PeriodUnit } from "../engine/clv/summary";
import type { ModelSelection } from "../engine/clv/autoModel";
import { alignRows, toColumn } from "../engine/data/range";
import { isBlankCell, toNumber } from "../engine/data/cells";
import { EngineError, invalidCell } from "../engine/errors";
import { optionNumber } from "./arguments";
import { countingModelRows, modelOption, periodOption } from "./customerValue";
import { type SpillCell, spill } from "./table";

/** A checked customer summary read from Excel columns. */
export interface SummaryColumns {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  /** Average repeat value per row (0 where frequency is 0 or the cell is blank); null when omitted. */
  readonly monetary: Float64Array | null;
  /** Customers per row; null when omitted (one customer per row). */
  readonly counts: Float64Array | null;
}

/**
 * Reads and checks the summary columns: frequency a whole number ≥ 0, 0 ≤ recency ≤ T, T > 0, recency
 * 0 when frequency is 0, monetary > 0 where frequency > 0 (blank or any number where it is 0), counts
 * whole numbers ≥ 0. Trailing blank rows (whole-column references) are dropped.
 *
 * @returns the columns as numbers.
 * @throws EngineError INVALID_INPUT naming the argument and the 1-based row of the first bad cell, or
 *   the two arguments whose sizes differ; INSUFFICIENT_DATA when every row is blank.
 */
export function readSummaryColumns(frequency: unknown, recency: unknown, T: unknown, monetary: unknown, counts: unknown): SummaryColumns {
  const columns = [
    { argument: "frequency", values: toColumn(frequency, "frequency") },
    { argument: "recency", values: toColumn(recency, "recency") },
    { argument: "T", values: toColumn(T, "T") },
  ];
  const monetaryCells = monetary === null || monetary === undefined ? null : toColumn(monetary, "monetary");
  const countCells = counts === null || counts === undefined ? null : toColumn(counts, "counts");
  if (monetaryCells) columns.push({ argument: "monetary", values: monetaryCells });
  if (countCells) columns.push({ argument: "counts", values: countCells });
  const n = alignRows(columns, { zeroIsBlank: true });
  if (n === 0) throw new EngineError("INSUFFICIENT_DATA", "frequency: no customers; the ranges are blank", { argument: "frequency" });
  const x = new Float64Array(n);
  const t_x = new Float64Array(n);
  const age = new Float64Array(n);
  const m = monetaryCells ? new Float64Array(n) : null;
  const w = countCells ? new Float64Array(n) : null;
  const [xCells, tCells, ageCells] = [columns[0].values, columns[1].values, columns[2].values];
  for (let i = 0; i < n; i++) {
    const row = i + 1;
    const xi = toNumber(xCells[i], "frequency", row);
    if (!(Number.isInteger(xi) && xi >= 0)) throw invalidCell("frequency", row, `${xi} is not a whole number of repeat purchases (0 or more)`);
    const Ti = toNumber(ageCells[i], "T", row);
    if (!(Ti > 0)) throw invalidCell("T", row, `${Ti} is not above 0 (T is the time from the first purchase to the end of the observation)`);
    const ti = toNumber(tCells[i], "recency", row);
    if (!(ti >= 0 && ti <= Ti)) throw invalidCell("recency", row, `${ti} is not between 0 and T (${Ti})`);
    if (xi === 0 && ti !== 0) throw invalidCell("recency", row, `${ti} must be 0 when frequency is 0 (no repeat purchase)`);
    x[i] = xi;
    t_x[i] = ti;
    age[i] = Ti;
    if (m && monetaryCells) {
      const cell = monetaryCells[i];
      if (xi > 0) {
        const mi = toNumber(cell, "monetary", row);
        if (!(mi > 0)) throw invalidCell("monetary", row, `${mi} is not above 0 (the average value of a customer with repeat purchases)`);
        m[i] = mi;
      } else if (!isBlankCell(cell)) {
        toNumber(cell, "monetary", row); // must still be a number; its value is not used
      }
    }
    if (w && countCells) {
      const ci = toNumber(countCells[i], "counts", row);
      if (!(Number.isInteger(ci) && ci >= 0)) throw invalidCell("counts", row, `${ci} is not a whole number of customers (0 or more)`);
      w[i] = ci;
    }
  }
  return { frequency: x, recency: t_x, T: age, monetary: m, counts: w };
}

/** Both fits on a summary (the spend fit null without monetary values) and the counts the FIT table reports. */
export interface SummaryFit {
  readonly counting: CountingModelFit;
  readonly selection: ModelSelection | null;
  readonly spend: GammaGammaFit | null;
  /** Customers: the sum of the counts (the rows without counts). */
  readonly customers: number;
  readonly repeatCustomers: number;
}

/**
 * Fits the purchase model and, with monetary values, Gamma-Gamma (x = frequency, m̄ = monetary) on the
 * summary, weighting each row by its count.
 *
 * @throws EngineError INSUFFICIENT_DATA with fewer than 2 customers, no repeat buyer, or fewer than 2
 *   repeat buyers with different average values; the fits' own errors.
 */
export function fitSummary(columns: SummaryColumns, model: ReturnType<typeof modelOption>): SummaryFit {
  const { frequency, counts } = columns;
  let customers = 0;
  let repeatCustomers = 0;
  for (let i = 0; i < frequency.length; i++) {
    const w = counts ? counts[i] : 1;
    customers += w;
    if (frequency[i] > 0) repeatCustomers += w;
  }
  if (customers < 2) {
    throw new EngineError("INSUFFICIENT_DATA", `${customers === 1 ? "only 1 customer" : "no customer"} in the summary; the purchase model needs at least 2 customers (and hundreds to be reliable)`, { argument: "frequency" });
  }
  if (repeatCustomers === 0) {
    throw new EngineError("INSUFFICIENT_DATA", "frequency: no customer has a repeat purchase, so repeat buying cannot be modelled", { argument: "frequency" });
  }
  const { counting, selection } = fitPurchaseModel(weightedFitData(columns.frequency, columns.recency, columns.T, counts), model);
  let spend: GammaGammaFit | null = null;
  if (columns.monetary) {
    const spendData = toSpendData(frequency, columns.monetary, counts);
    if (spendData.x.length < 2) {
      throw new EngineError("INSUFFICIENT_DATA", "monetary: fewer than 2 repeat customers with different positive average values; the spend model (Gamma-Gamma) cannot be fitted", { argument: "monetary" });
    }
    spend = fitGammaGamma(spendData);
  }
  return { counting, selection, spend, customers, repeatCustomers };
}

/**
 * IMC.CLV.FIT.SUMMARY's table: the rows of IMC.CLV.FIT that a summary can give (no as-of date or order
 * counts), the Gamma-Gamma rows only with monetary values, and the summary rows read.
 */
export function clvFitSummaryRows(fit: SummaryFit, periodUnit: PeriodUnit, rows: number): SpillCell[][] {
  const { counting, spend } = fit;
  const label = COUNTING_MODEL_LABELS[counting.model];
  const table: SpillCell[][] = [
    ["Parameter", "Value", "Standard error"],
    ["Model", `${label}${spend ? " + Gamma-Gamma" : ""}${fit.selection ? " (purchase model chosen automatically)" : ""}`, null],
  ];
  if (fit.selection) table.push(["Model choice", fit.selection.reason, null]);
  table.push(["Period", periodUnit, null]);
  table.push(...countingModelRows(counting));
  if (spend) {
    const se = spend.standardErrors;
    table.push(["p", spend.params.p, se ? se.p : null]);
    table.push(["q", spend.params.q, se ? se.q : null]);
    table.push(["gamma", spend.params.gamma, se ? se.gamma : null]);
    table.push(["Log-likelihood (Gamma-Gamma)", spend.logLikelihood, null]);
    table.push(["Converged (Gamma-Gamma)", spend.converged, null]);
    const q = spend.params.q;
    table.push(["Average value of a new customer", q > 1 ? (spend.params.p * spend.params.gamma) / (q - 1) : "does not exist (q <= 1)", null]);
  }
  table.push(["Expected repeat purchases of a new customer in the first year", expectedPurchasesNew(counting, 365.25 / DAYS_PER_PERIOD[periodUnit]), null]);
  table.push(["Customers", fit.customers, null]);
  table.push(["Repeat customers", fit.repeatCustomers, null]);
  if (spend) table.push(["Customers in the spend model", spend.customers, null]);
  table.push(["Summary rows", rows, null]);
  return table;
}

/**
 * Fits the customer-value models (BG/NBD, MBG/NBD or Pareto/NBD for purchases, Gamma-Gamma for spend) to a customer summary instead of orders. Example: =IMC.CLV.FIT.SUMMARY(B2:B500, C2:C500, D2:D500, E2:E500).
 * @customfunction CLV.FIT.SUMMARY
 * @param frequency Repeat purchases per customer (purchase days after the first), whole numbers 0 or more; one row per customer or per group of customers.
 * @param recency Time from the first to the last purchase (0 when frequency is 0), same size, in periods.
 * @param T Time from the first purchase to the end of the observation, above 0 and at least recency, in periods.
 * @param [monetary] Average value of the repeat purchases, above 0 where frequency is above 0 (ignored where it is 0). Leave out to fit the purchase model only.
 * @param [counts] Number of customers each row stands for (whole numbers 0 or more), when the summary is grouped. Default: 1 per row.
 * @param [model] Purchase model: "bgnbd" (BG/NBD, default), "mbgnbd" (MBG/NBD), "pareto" (Pareto/NBD) or "auto" (the best of the three by log-likelihood).
 * @param [period] Time unit of recency and T: "day", "week" (default) or "month" (365.25/12 days).
 * @returns A Parameter | Value | Standard error table, as IMC.CLV.FIT.
 */
export function clvFitSummary(
  frequency: any[][],
  recency: any[][],
  T: any[][],
  monetary?: any[][],
  counts?: any[][],
  model?: any[][],
  period?: any[][],
): any[][] {
  return spill("IMC.CLV.FIT.SUMMARY", () => {
    const modelName = modelOption(model ?? null);
    const periodUnit = periodOption(period ?? null);
    const columns = readSummaryColumns(frequency, recency, T, monetary ?? null, counts ?? null);
    return clvFitSummaryRows(fitSummary(columns, modelName), periodUnit, columns.frequency.length);
  });
}

/** Headers of IMC.CLV.PREDICT.SUMMARY: IMC.CLV.PREDICT's columns, with the row's count first. */
export const CLV_PREDICT_SUMMARY_HEADERS = ["Customers", ...CLV_PREDICTION_HEADERS.slice(1)] as const;

/**
 * Predicts, per row of a customer summary, the chance the customer is still active, their expected purchases and average value, and their discounted lifetime value (CLV). Example: =IMC.CLV.PREDICT.SUMMARY(B2:B500, C2:C500, D2:D500, E2:E500, , 52, 0.1).
 * @customfunction CLV.PREDICT.SUMMARY
 * @param frequency Repeat purchases per customer (purchase days after the first), whole numbers 0 or more; one row per customer or per group of customers.
 * @param recency Time from the first to the last purchase (0 when frequency is 0), same size, in periods.
 * @param T Time from the first purchase to the end of the observation, above 0 and at least recency, in periods.
 * @param [monetary] Average value of the repeat purchases, above 0 where frequency is above 0. Leave out for P(alive) and expected purchases only (no value or CLV).
 * @param [counts] Number of customers each row stands for (whole numbers 0 or more); the fit weights each row by it, the predictions are per customer of the row. Default: 1 per row.
 * @param [horizon] Horizon in periods (default 52, a year of weeks).
 * @param [annual_discount_rate] Yearly discount rate (default 0.1 for 10%), converted to a rate per period: (1 + rate)^(days per period / 365.25) - 1.
 * @param [model] Purchase model: "bgnbd" (BG/NBD, default), "mbgnbd" (MBG/NBD), "pareto" (Pareto/NBD) or "auto" (the best of the three by log-likelihood).
 * @param [period] Time unit of recency, T and the horizon: "day", "week" (default) or "month" (365.25/12 days).
 * @returns A table with a header row, one row per summary row in the same order.
 */
export function clvPredictSummary(
  frequency: any[][],
  recency: any[][],
  T: any[][],
  monetary?: any[][],
  counts?: any[][],
  horizon?: any[][],
  annual_discount_rate?: any[][],
  model?: any[][],
  period?: any[][],
): any[][] {
  return spill("IMC.CLV.PREDICT.SUMMARY", () => {
    const horizonPeriods = optionNumber(horizon ?? null, "horizon") ?? 52;
    const annualRate = optionNumber(annual_discount_rate ?? null, "annual_discount_rate") ?? 0.1;
    const modelName = modelOption(model ?? null);
    const periodUnit = periodOption(period ?? null);
    const schedule = periodSchedule(horizonPeriods, annualRate, periodUnit);
    const columns = readSummaryColumns(frequency, recency, T, monetary ?? null, counts ?? null);
    const fit = fitSummary(columns, modelName);
    if (!fit.counting.converged) throw notConvergedError(fit.counting);
    const n = columns.frequency.length;
    const monetaryValues = columns.monetary ?? new Float64Array(n);
    const predictions = predictRows(
      { frequency: columns.frequency, recency: columns.recency, T: columns.T, monetaryCount: columns.frequency, monetary: monetaryValues },
      fit.counting,
      fit.spend,
      schedule,
      (i) => `row ${i + 1}`,
    );
    const rows: SpillCell[][] = [[...CLV_PREDICT_SUMMARY_HEADERS]];
    for (let i = 0; i < n; i++) {
      const hasSpend = fit.spend !== null;
      rows.push([
        columns.counts ? columns.counts[i] : 1,
        columns.frequency[i],
        columns.recency[i],
        columns.T[i],
        columns.monetary ? columns.monetary[i] : null,
        predictions.probabilityAlive[i],
        predictions.expectedPurchases[i],
        hasSpend ? predictions.expectedSpend[i] : null,
        hasSpend ? predictions.clv[i] : null,
      ]);
    }
    return rows;
  });
}
