/**
 * The Customer Value tab (IMC step 2: the financial value of customers): per customer the chance
 * they are still active (P(alive)), their expected purchases and value per purchase over a horizon,
 * and their discounted lifetime value (CLV); value by segment; the fitted models with standard errors;
 * the check of the model against a holdout period when one is chosen; charts and provenance.
 *
 * The numbers are exactly those of IMC.CLV.PREDICT and IMC.CLV.FIT on the same orders and options
 * (summary → BG/NBD, MBG/NBD or Pareto/NBD, or the automatic choice among them, + Gamma-Gamma →
 * discounted CLV, src/engine/clv). The automatic choice (the default) keeps the converged fit with the
 * highest log-likelihood, or the NBD without drop-out when the data show none; the tab says which
 * model was used and why. A fit that does not converge raises the engine's NOT_CONVERGED error: no
 * half tab is built.
 *
 * Layout (the per-customer table can have 20,000 rows, so the summaries sit above it): title and
 * scope line (frozen, with column A); a headline of five numbers with a sentence each; value by
 * segment with two charts to the right; the P(alive) distribution (with BG/NBD's one-time-buyer
 * artefact and P(alive) against the RFM lifecycle segments explained in words) and the
 * repeat-purchase histogram (actual against the model) with their charts; the high-value customers
 * at risk; the model parameters to 4 significant digits with their meaning, and how the purchase
 * model was chosen; the calibration-vs-holdout check (or a note that none was chosen); provenance;
 * the per-customer Excel table, sorted by CLV. Headline figures and the tables over customers are
 * COUNTIF / SUMIF / COUNTIFS formulas over the per-customer table carrying the engine's numbers.
 *
 * A new customer's CLV (for the Budget tab's CLV:CAC check) is what the model predicts for a customer
 * just acquired (first purchase today): the discounted expected repeat purchases over the horizon
 * times the population's mean value per purchase. The first (acquisition) order itself is not in it,
 * just as no customer's CLV here includes past orders.
 */

import {
  COUNTING_MODEL_CHOICES,
  COUNTING_MODEL_LABELS,
  compareHoldout,
  compressTriples,
  type CountingModelChoice,
  type CountingModelName,
  countingModelPurchaseHistogram,
  DAYS_PER_PERIOD,
  discountedPurchases,
  expectedPurchasesNew,
  fitCustomerValue,
  forecastCustomer,
  gammaGammaExpectedSpend,
  type PeriodUnit,
  periodSchedule,
  predictCustomerValue,
  splitCalibrationHoldout,
  summarizeCustomers,
} from "../engine/clv";
import { clvPredictionValues } from "../engine/clv/predictionTable";
import { formatSerial, type Transactions } from "../engine/data";
import { EngineError, invalidArgument } from "../engine/errors";
import { rfmScores, RFM_SEGMENT_NAMES } from "../engine/segmentation";
import { absolute, CHART_SIZE, FORMAT, formatCount, idCell, isPlainCriterion, significantFormat, tableColumn, tableName, transactionsOf } from "./format";
import type { OrdersInput } from "./inputs";
import {
  a1,
  type Block,
  type Cell,
  type ChartSpec,
  type ConditionalFormat,
  type Provenance,
  provenanceBlock,
  type RangeRef,
  type ReportContext,
  type ReportSheet,
  type TableBlock,
} from "./sheet";

export interface CustomerValueOptions {
  /**
   * Purchase model: "auto" (default: the best of BG/NBD, MBG/NBD and Pareto/NBD by log-likelihood, or
   * the NBD without drop-out when they find none), "bgnbd", "mbgnbd" or "pareto".
   */
  readonly model?: CountingModelChoice;
  /** Time unit of frequency, recency, T and the horizon: "week" (default), "day" or "month". */
  readonly period?: PeriodUnit;
  /** Horizon in periods (default 52). */
  readonly horizonPeriods?: number;
  /** Yearly discount rate (default 0.1 for 10%), converted to a compound rate per period. */
  readonly annualDiscountRate?: number;
  /** Excel serial; default the last order date. Later orders are left out and counted. */
  readonly asOf?: number | null;
  /** When given: calibrate on the orders up to as_of − holdout and compare predicted with actual purchases in the holdout. */
  readonly holdoutPeriods?: number | null;
  /** Segment per customer id (e.g. from the Segmentation tab); null: RFM segments at the same as_of. */
  readonly segmentByCustomer?: ReadonlyMap<string, string> | null;
}

export interface CustomerValueReport {
  readonly sheet: ReportSheet;
  /** CLV per customer id (the engine's id text). */
  readonly clvByCustomer: ReadonlyMap<string, number>;
  /** Expected CLV of a customer acquired today over the horizon (repeat purchases; see the module comment). */
  readonly newCustomerClv: number;
  /** Mean CLV over the customers of the tab. */
  readonly averageClv: number;
}

/** Label of customers the given segment map does not know. */
const NO_SEGMENT = "(no segment)";
/** Last (open) bin of the repeat-purchase histogram and of the holdout table: "7+". */
const LAST_BIN = 7;

const PERIOD_TEXT: Readonly<Record<PeriodUnit, string>> = { day: "day (1 day)", week: "week (7 days)", month: "month (365.25 / 12 = 30.4375 days)" };

function plural(count: number, unit: PeriodUnit): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

/** Number formats of this tab beyond the shared ones. */
const FORMAT_LOG_LIKELIHOOD = "#,##0.00";
const FORMAT_ONE_DECIMAL = "#,##0.0";
const FORMAT_MULTIPLE = '0.00"×"';

/** An amount for text, with thousands separators and 2 decimals, the same on every machine ("1,234.50"). */
function formatAmount(amount: number): string {
  const [whole, fraction] = Math.abs(amount).toFixed(2).split(".");
  return `${amount < 0 ? "−" : ""}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction}`;
}

function percentText(rate: number, digits: number): string {
  return `${(rate * 100).toFixed(digits)}%`;
}

/** The holdout check: metrics and per-frequency buckets. */
interface HoldoutResult {
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
 * holdout with the actual ones (per customer, and per calibration repeat-purchase bucket).
 *
 * @param model the model used for the whole tab (with "auto", the one chosen on all orders up to as of).
 * @throws EngineError INVALID_INPUT (holdout_periods) for a non-positive holdout or one reaching before
 *   the first order; NOT_CONVERGED (holdout_periods) when the calibration fit does not converge;
 *   INSUFFICIENT_DATA from the fit when the calibration period has no repeat purchases.
 */
function holdoutCheck(
  transactions: Transactions,
  asOf: number,
  holdoutPeriods: number,
  periodUnit: PeriodUnit,
  model: CountingModelName,
): HoldoutResult {
  if (!(Number.isFinite(holdoutPeriods) && holdoutPeriods > 0)) {
    throw invalidArgument("holdout_periods", `must be a number of periods above 0, got ${String(holdoutPeriods)}`);
  }
  const calibrationEnd = Math.floor(asOf - holdoutPeriods * DAYS_PER_PERIOD[periodUnit]);
  let firstDay = Infinity;
  for (let i = 0; i < transactions.rowCount; i++) firstDay = Math.min(firstDay, Math.floor(transactions.orderDates[i]));
  if (calibrationEnd < firstDay) {
    throw invalidArgument(
      "holdout_periods",
      `${holdoutPeriods} ${periodUnit}s before as of (${formatSerial(asOf)}) is ${formatSerial(Math.max(1, calibrationEnd))}, before the first order (${formatSerial(firstDay)}); choose a shorter holdout`,
    );
  }
  const split = splitCalibrationHoldout(transactions, { calibrationEnd, holdoutEnd: asOf, periodUnit });
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

/**
 * Builds the Customer Value tab from an order list.
 *
 * @param orders order rows (customer id, date, value; refunds negative).
 * @param options model, period, horizon, discount rate, as_of, holdout, segments.
 * @param context generation time for the provenance.
 * @returns the sheet, CLV per customer, a new customer's CLV and the average CLV.
 * @throws EngineError INVALID_INPUT naming the argument and row for bad orders (text in dates,
 *   mismatched lengths, blank ids) and naming the option for a bad horizon, discount rate, as_of or
 *   holdout; INSUFFICIENT_DATA when the models cannot be fitted (one customer, no repeat purchases,
 *   no purchase model converges under "auto", spend mean does not exist); NOT_CONVERGED when a named
 *   model's fit did not converge.
 */
export function buildCustomerValueTab(orders: OrdersInput, options: CustomerValueOptions, context: ReportContext): CustomerValueReport {
  const model = options.model ?? "auto";
  const periodUnit = options.period ?? "week";
  const horizonPeriods = options.horizonPeriods ?? 52;
  const annualRate = options.annualDiscountRate ?? 0.1;
  if (!COUNTING_MODEL_CHOICES.includes(model)) {
    throw invalidArgument("model", `"${String(model)}" is not one of ${COUNTING_MODEL_CHOICES.map((m) => `"${m}"`).join(", ")}`);
  }
  if (!(periodUnit in DAYS_PER_PERIOD)) throw invalidArgument("period", `"${String(periodUnit)}" is not one of "day", "week", "month"`);
  const schedule = periodSchedule(horizonPeriods, annualRate, periodUnit);
  const transactions = transactionsOf(orders);
  const summary = summarizeCustomers(transactions, { asOf: options.asOf ?? null, periodUnit });
  const fit = fitCustomerValue(summary, model);
  // The model actually used: the named one, or what the automatic choice picked (maybe the NBD).
  const chosen = fit.counting.model;
  const selection = fit.selection ?? null;
  // Raises NOT_CONVERGED before anything is built when the counting model did not converge.
  const predictions = predictCustomerValue(summary, fit, schedule);
  const holdout =
    options.holdoutPeriods === null || options.holdoutPeriods === undefined
      ? null
      : holdoutCheck(transactions, summary.asOf, options.holdoutPeriods, periodUnit, chosen);

  const n = summary.customerIds.length;
  const label = COUNTING_MODEL_LABELS[chosen];
  const newSpend = gammaGammaExpectedSpend(fit.spend.params, 0, 0);
  const newPurchases = expectedPurchasesNew(fit.counting, horizonPeriods);
  const newCustomerClv = discountedPurchases(forecastCustomer(fit.counting, 0, 0, 0).cumulativePurchases, schedule) * newSpend;

  // Segments: given, or RFM at the same as_of (the same customers: both keep those with an order up to as_of).
  let segmentOf: (id: string) => string;
  let segmentSource: string;
  if (options.segmentByCustomer) {
    const given = options.segmentByCustomer;
    segmentOf = (id) => {
      const segment = given.get(id);
      return segment === undefined || segment.trim() === "" ? NO_SEGMENT : segment;
    };
    segmentSource = "given (from the Segmentation tab)";
  } else {
    const rfm = rfmScores(transactions, { asOf: summary.asOf, monetary: "sum" });
    const map = new Map<string, string>();
    rfm.customerIds.forEach((id, c) => map.set(id, rfm.segment[c]));
    segmentOf = (id) => map.get(id) ?? NO_SEGMENT;
    segmentSource = "RFM segments at the same as-of date";
  }

  const clvByCustomer = new Map<string, number>();
  const segmentOfCustomer = new Array<string>(n);
  let clvTotal = 0;
  let purchasesTotal = 0;
  let noSegment = 0;
  const customerRows: Cell[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const id = summary.customerIds[i];
    const segment = segmentOf(id);
    if (segment === NO_SEGMENT) noSegment++;
    segmentOfCustomer[i] = segment;
    clvByCustomer.set(id, predictions.clv[i]);
    clvTotal += predictions.clv[i];
    purchasesTotal += predictions.expectedPurchases[i];
    customerRows[i] = [idCell(id), segment, ...clvPredictionValues(summary, predictions, i)];
  }
  const averageClv = clvTotal / n;

  // Segments in the RFM map's order, then any others in order of first appearance.
  const segmentTotals = new Map<string, { customers: number; clv: number }>();
  for (let i = 0; i < n; i++) {
    const entry = segmentTotals.get(segmentOfCustomer[i]) ?? { customers: 0, clv: 0 };
    entry.customers++;
    entry.clv += predictions.clv[i];
    segmentTotals.set(segmentOfCustomer[i], entry);
  }
  const rfmOrder: readonly string[] = RFM_SEGMENT_NAMES;
  const segments = [...rfmOrder.filter((s) => segmentTotals.has(s)), ...[...segmentTotals.keys()].filter((s) => !rfmOrder.includes(s))];
  // COUNTIF / SUMIF match case-insensitively and read wildcards: use them only when every label matches just itself.
  const lowered = new Set(segments.map((s) => s.toLowerCase()));
  const segmentFormulas = lowered.size === segments.length && segments.every(isPlainCriterion);

  // ---- Provenance.
  let refundDays = 0;
  for (let i = 0; i < n; i++) refundDays += summary.nonPositiveDays[i];
  const asOfText = formatSerial(summary.asOf);
  const perPeriod = schedule.discountRatePerStep;
  const notes: string[] = [
    `${formatCount(transactions.rowCount)} order rows read; ${formatCount(summary.ordersAfterAsOf)} dated after as of left out; ${formatCount(summary.customersAfterAsOf)} customers whose first order is after as of left out.`,
    `Orders on one calendar day are one purchase (their values summed). Repeat purchases = purchase days after the first; Recency = time from the first to the last purchase; Customer age = time from the first purchase to the as-of date (both in ${periodUnit}s). Past revenue = all order values up to the as-of date, refunds included.`,
    `${formatCount(refundDays)} purchase days with a total value ≤ 0 (refunds, free orders) count as purchases but not in the average value.`,
    `Customers: ${formatCount(n)}; with repeat purchases: ${formatCount(fit.repeatCustomers)}; in the spend model (positive repeat purchases): ${formatCount(fit.spend.customers)}.`,
    "A new customer's CLV is the model's value of a customer acquired on the as-of day: discounted expected repeat purchases over the horizon × the mean value per purchase (the first order itself not included).",
  ];
  if (noSegment > 0) notes.push(`${formatCount(noSegment)} customers have no segment in the given segments (shown as "${NO_SEGMENT}").`);
  if (!segmentFormulas) notes.push("Segment labels contain wildcard characters or differ only in case, so the value-by-segment numbers are written as values, not COUNTIF/SUMIF formulas.");
  if (!fit.spend.converged) notes.push("The Gamma-Gamma spend fit ended on the edge of its range (customers spend much alike); expected values per purchase are close to the common mean.");
  if (selection) notes.push(`Purchase model: ${selection.reason}`);
  if (holdout !== null) {
    notes.push(`Holdout: ${formatCount(holdout.newCustomers)} customers whose first order is in the holdout are not part of the check.`);
  }
  notes.push(...(context.notes ?? []));
  const provenance: Provenance = {
    sources: [orders.source],
    options: [
      {
        label: "Model",
        value: `${label} (purchases${selection ? ", chosen automatically by log-likelihood" : ""}) + Gamma-Gamma (value per purchase)`,
      },
      { label: "Period", value: PERIOD_TEXT[periodUnit] },
      { label: "Horizon", value: plural(horizonPeriods, periodUnit) },
      { label: "Annual discount rate", value: percentText(annualRate, 1) },
      {
        label: "Discount rate per period",
        value: `${percentText(perPeriod, 4)} per ${periodUnit} = (1 + ${annualRate})^(${DAYS_PER_PERIOD[periodUnit].toFixed(4).replace(/\.?0+$/, "")} / 365.25) − 1; value discounted at the end of each ${periodUnit}`,
      },
      { label: "As of", value: asOfText },
      {
        label: "Holdout",
        value:
          holdout === null
            ? "none chosen"
            : `${holdout.holdoutPeriods.toFixed(2).replace(/\.00$/, "")} ${periodUnit}s: calibration on orders up to ${formatSerial(holdout.calibrationEnd)}, holdout ${formatSerial(holdout.calibrationEnd + 1)} to ${formatSerial(holdout.holdoutEnd)}`,
      },
      { label: "Segments", value: segmentSource },
    ],
    generatedAt: context.generatedAt,
    notes,
  };

  // ---- Layout.
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  const conditionalFormats: ConditionalFormat[] = [];
  const tableNames = new Set<string>();
  const horizonText = plural(horizonPeriods, periodUnit);
  const unitText = `${periodUnit}s`;
  // Widths fit the per-customer table's headers (the longest: expected purchases with the horizon).
  const purchasesHeader = `Expected purchases (next ${horizonText})`;
  const columnWidths = [44, 20, 17, 17, 28, 27, 12, Math.max(22, purchasesHeader.length + 2), 28, 22];
  const CHART_COLUMN = 5; // column F: the summaries cover A..E
  // Charts about 96 characters wide whatever the columns' widths, the second one a column after the first.
  const chartSpan = (start: number): number => {
    let width = 0;
    let columns = 0;
    while (width < 96) width += columnWidths[start + columns++] ?? 9;
    return columns;
  };
  const chartAt = (row: number, slot: number) => {
    let column = CHART_COLUMN;
    for (let s = 0; s < slot; s++) column += chartSpan(column) + 1;
    return { row, column, rows: CHART_SIZE.rows, columns: chartSpan(column) };
  };
  const moneyFormat = (amount: number): string => (Math.abs(amount) >= 10_000 ? FORMAT.integer : FORMAT.money);
  const label2 = (cells: Cell[], formats: (string | null)[], row: number): Block => ({
    kind: "cells",
    row,
    column: 0,
    values: [cells],
    numberFormats: formats,
    columnStyles: ["label", "body"],
  });

  // Ranking by CLV (the per-customer table's order) and the customers at risk.
  const byClv = Array.from({ length: n }, (_, i) => i).sort((i, j) => predictions.clv[j] - predictions.clv[i] || i - j);
  const topCount = Math.max(1, Math.ceil(n / 10));
  let topClv = 0;
  for (let k = 0; k < topCount; k++) topClv += predictions.clv[byClv[k]];
  const topShare = clvTotal > 0 ? topClv / clvTotal : 0;
  let likelyAlive = 0;
  let oneTimeBuyers = 0;
  for (let i = 0; i < n; i++) {
    if (predictions.probabilityAlive[i] >= 0.5) likelyAlive++;
    if (summary.frequency[i] === 0) oneTimeBuyers++;
  }
  // BG/NBD lets customers drop out only after a repeat purchase: one-time buyers are always "alive".
  const oneTimeArtefact = chosen === "bgnbd" && oneTimeBuyers > 0;
  const revenueRank = Array.from({ length: n }, (_, i) => i).sort((i, j) => summary.totalValue[j] - summary.totalValue[i] || i - j);
  const RISK_TOP_SHARE = 0.2;
  const RISK_ALIVE = 0.5;
  const RISK_ROWS = 20;
  const revenueThreshold = summary.totalValue[revenueRank[Math.max(0, Math.ceil(n * RISK_TOP_SHARE) - 1)]];
  const atRisk = revenueRank.filter((i) => summary.totalValue[i] >= revenueThreshold && summary.totalValue[i] > 0 && predictions.probabilityAlive[i] < RISK_ALIVE);

  const KEY_FIGURES = 5;
  const sectionA = 3;
  const keyRow = sectionA + 1;
  const segmentHeadingRow = keyRow + KEY_FIGURES + 1;
  const segmentRow = segmentHeadingRow + 1;
  const segmentTotalRow = segmentRow + 1 + segments.length;
  const sectionB = Math.max(segmentTotalRow + 1, segmentHeadingRow + CHART_SIZE.rows) + 1;
  // Notes under the P(alive) heading: the one-time-buyer artefact, and P(alive) against the segments.
  const lifecycleSegments = options.segmentByCustomer ? [] : ["Lost", "Hibernating"].filter((s) => segmentTotals.has(s));
  let lifecycleAlive = 0;
  for (let i = 0; i < n; i++) if (lifecycleSegments.includes(segmentOfCustomer[i]) && predictions.probabilityAlive[i] >= 0.5) lifecycleAlive++;
  const aliveNotes: string[] = [];
  if (oneTimeArtefact) {
    aliveNotes.push(
      `Caution: ${formatCount(oneTimeBuyers)} one-time buyers show P(alive) 100% however long ago they bought, because BG/NBD lets customers stop only after a repeat purchase.`,
      `Read their P(alive) as "no evidence yet", not as "active". MBG/NBD, which the automatic choice may pick, does not make this assumption.`,
    );
  }
  if (lifecycleAlive > 0) {
    aliveNotes.push(
      `${formatCount(lifecycleAlive)} customers in the segments ${lifecycleSegments.map((s) => `"${s}"`).join(" and ")} are still likely active here${oneTimeArtefact ? " (one-time buyers among them)" : ""}:`,
      "the segments rank recency against other customers, while P(alive) weighs it against each customer's own buying rhythm.",
    );
  }
  if (chosen === "nbd") aliveNotes.push(`${label}: every customer shows P(alive) 100%, as the data gave no sign that customers stop buying.`);
  aliveNotes.push("Likely active: P(alive) of 50% or more, the model's chance the customer has not stopped buying.");
  const aliveRow = sectionB + 1 + aliveNotes.length;
  const ALIVE_BANDS = 10;
  const aliveTotalRow = aliveRow + 1 + ALIVE_BANDS;
  const histogramHeadingRow = aliveTotalRow + 2;
  const histogramRow = histogramHeadingRow + 1;
  const histogram = countingModelPurchaseHistogram(fit.counting, summary.frequency, summary.T, LAST_BIN);
  const histogramHeight = histogram !== null ? 1 + (LAST_BIN + 1) + 1 : 1;
  const sectionRisk = Math.max(histogramRow + histogramHeight, aliveRow + (histogram !== null ? 2 : 1) * (CHART_SIZE.rows + 1)) + 1;
  const riskRow = sectionRisk + 2;
  const riskShown = atRisk.slice(0, RISK_ROWS);
  const sectionC = riskShown.length > 0 ? riskRow + 1 + riskShown.length + 1 : sectionRisk + 3;
  const parameterRow = sectionC + 1;

  // Parameters: value and standard error to 4 significant digits, and what each means.
  const cp = fit.counting.params;
  const sp = fit.spend.params;
  const MEANING: Readonly<Record<string, string>> = {
    r: "Purchase rate, shape: how much customers differ in how often they buy (smaller: more unequal)",
    alpha: `Purchase rate, scale (in ${unitText}): an average active customer buys r / alpha = ${(cp.r / cp.alpha).toFixed(3)} times a ${periodUnit}`,
    a: `Drop-out, first shape: the average chance of stopping after a purchase is a / (a + b) = ${percentText(cp.a / (cp.a + cp.b), 1)}`,
    b: "Drop-out, second shape: the larger a + b, the more alike customers are in how soon they stop",
    s: "Lifetime, shape: how much customers differ in how long they stay (smaller: more unequal)",
    beta: `Lifetime, scale (in ${unitText}): the average customer stops at a rate of s / beta = ${(cp.s / cp.beta).toFixed(4)} a ${periodUnit}`,
    p: "Spend, shape per customer: how steady a customer's value per purchase is around their own average (larger: steadier)",
    q: "Spend, shape across customers: how much customers' average values differ (larger: more alike)",
    gamma: `Spend, scale (in the data's currency): the average value per purchase is p × gamma / (q − 1) = ${sp.q > 1 ? formatAmount(newSpend) : "not defined (q ≤ 1)"}`,
  };
  type ParameterRow = { label: string; value: Cell; error?: number | null; format: string | null; meaning?: string };
  const parameterRows: ParameterRow[] = [];
  const parameter = (name: string, value: number, error: number | null): void => {
    parameterRows.push({ label: name, value, error, format: significantFormat(value), meaning: MEANING[name] });
  };
  for (const name of fit.counting.parameterNames) parameter(name, cp[name], fit.counting.standardErrors ? fit.counting.standardErrors[name] : null);
  const yesNo = (flag: boolean): string => (flag ? "Yes" : "No");
  parameterRows.push({ label: `Log-likelihood (${label})`, value: fit.counting.logLikelihood, format: FORMAT_LOG_LIKELIHOOD, meaning: "How probable the purchase history is under the model (higher is better)" });
  parameterRows.push({ label: `Converged (${label})`, value: yesNo(fit.counting.converged), format: null });
  parameterRows.push({ label: `Iterations (${label})`, value: fit.counting.iterations, format: FORMAT.integer });
  const spendErrors = fit.spend.standardErrors;
  parameter("p", sp.p, spendErrors ? spendErrors.p : null);
  parameter("q", sp.q, spendErrors ? spendErrors.q : null);
  parameter("gamma", sp.gamma, spendErrors ? spendErrors.gamma : null);
  parameterRows.push({ label: "Log-likelihood (Gamma-Gamma)", value: fit.spend.logLikelihood, format: FORMAT_LOG_LIKELIHOOD });
  parameterRows.push({ label: "Converged (Gamma-Gamma)", value: yesNo(fit.spend.converged), format: null });
  parameterRows.push({ label: "Average value of a new customer", value: newSpend, format: FORMAT.money, meaning: "Expected value per purchase of a customer the model knows nothing about yet" });
  parameterRows.push({ label: "Expected purchases of a new customer", value: newPurchases, format: FORMAT.decimal, meaning: `Repeat purchases in the next ${horizonText}` });
  parameterRows.push({ label: "Expected CLV of a new customer", value: newCustomerClv, format: FORMAT.money, meaning: "Discounted repeat purchases × average value per purchase" });
  parameterRows.push({ label: "Customers", value: fit.customers, format: FORMAT.integer });
  parameterRows.push({ label: "Repeat customers", value: fit.repeatCustomers, format: FORMAT.integer, meaning: "Customers who bought on at least two different days" });
  parameterRows.push({ label: "Customers in the spend model", value: fit.spend.customers, format: FORMAT.integer, meaning: "Repeat customers with a positive average value per repeat purchase" });
  // How the purchase model was chosen: a sentence, and with the automatic choice a table of the candidates.
  const choiceHeadingRow = parameterRow + 1 + parameterRows.length + 1;
  const choiceRows: Cell[][] = [];
  let choiceText: string;
  if (selection) {
    for (const candidate of selection.candidates) {
      const outcome =
        candidate.model === chosen
          ? "Chosen: fits best"
          : candidate.status === "fitted"
            ? "Fits less well"
            : candidate.status === "no-dropout"
              ? "Found no drop-out"
              : candidate.reason;
      choiceRows.push([COUNTING_MODEL_LABELS[candidate.model], outcome, candidate.logLikelihood ?? ""]);
    }
    if (chosen === "nbd") choiceRows.push([label, "Chosen: no drop-out found", fit.counting.logLikelihood]);
    if (chosen === "nbd") {
      const best = selection.candidates.filter((c) => c.status === "no-dropout").sort((x, y) => (y.logLikelihood ?? -Infinity) - (x.logLikelihood ?? -Infinity))[0];
      choiceText = `No drop-out detected: in the best fit${best ? ` (${COUNTING_MODEL_LABELS[best.model]})` : ""} customers never stop buying, so the tab uses the ${label} model: every customer counts as active and only purchase rates differ.`;
    } else {
      const fitted = selection.candidates.filter((c) => c.status === "fitted").length;
      choiceText = `${fitted} of the ${selection.candidates.length} purchase models were fitted to the same customers; ${label} is used because it describes their purchase history best (the highest log-likelihood; all have 4 parameters, so none is favoured for being more flexible).`;
    }
  } else {
    choiceText = `${label}, as chosen in the options. The automatic choice fits BG/NBD, MBG/NBD and Pareto/NBD and uses the one that describes the purchases best (highest log-likelihood).`;
  }
  const choiceTableRow = choiceHeadingRow + 2;
  const sectionD = selection ? choiceTableRow + 1 + choiceRows.length + 1 : choiceHeadingRow + 3;

  const holdoutMetricsRow = sectionD + 2;
  const HOLDOUT_METRICS = 11;
  const bucketHeadingRow = holdoutMetricsRow + 1 + HOLDOUT_METRICS + 1;
  const bucketRow = bucketHeadingRow + 1;
  const holdoutHeight = holdout === null ? 2 : Math.max(bucketRow + 1 + (LAST_BIN + 1) + 1, holdoutMetricsRow + CHART_SIZE.rows) - sectionD;
  const provenanceRow = sectionD + holdoutHeight + 1;
  const provenanceCells = provenanceBlock(provenance, provenanceRow, 0);
  const customerHeadingRow = provenanceRow + provenanceCells.values.length + 1;
  const customerNotes: string[] = [`Sorted by CLV, highest first. ${aliveNotes.length > 1 ? "P(alive): see the notes under \"How likely customers are still active\"." : ""}`.trim()];

  const customersName = tableName("CustomerValues", tableNames);
  const customerTable: TableBlock = {
    kind: "table",
    name: customersName,
    row: customerHeadingRow + 1 + customerNotes.length,
    column: 0,
    headers: [
      "Customer",
      "Segment",
      "Repeat purchases",
      `Recency (${unitText})`,
      `Customer age (${unitText})`,
      "Average value per purchase",
      "P(alive)",
      purchasesHeader,
      "Expected value per purchase",
      `CLV (next ${horizonText})`,
    ],
    rows: byClv.map((i) => customerRows[i]),
    numberFormats: [null, null, FORMAT.integer, FORMAT.decimal, FORMAT.decimal, FORMAT.money, FORMAT.percent, FORMAT.decimal, FORMAT.money, FORMAT.money],
  };
  const column = (index: number): string => absolute(tableColumn(customerTable, index));
  const SEGMENT = 1;
  const FREQUENCY = 2;
  const ALIVE = 6;
  const PURCHASES = 7;
  const CLV = 9;

  // Title and scope.
  blocks.push({ kind: "cells", row: 0, column: 0, values: [["Customer value"]], style: "title" });
  blocks.push({
    kind: "cells",
    row: 1,
    column: 0,
    values: [
      [
        `Chance each of ${formatCount(n)} customers is still active, expected purchases and lifetime value (CLV) over the next ${horizonText}, discounted at ${percentText(annualRate, 1)} a year; ${label} + Gamma-Gamma fitted on orders up to ${asOfText} from ${orders.source}; amounts in the data's currency.`,
      ],
    ],
    style: "subtitle",
  });

  // Section A: the headline, then value by segment with two charts to the right.
  blocks.push({ kind: "cells", row: sectionA, column: 0, values: [["In short"]], style: "heading" });
  const notActive = n - likelyAlive;
  const keyFigures: [string, Cell, string, string][] = [
    [
      `Total CLV (next ${horizonText})`,
      { formula: `SUM(${column(CLV)})`, value: clvTotal },
      moneyFormat(clvTotal),
      `What the ${formatCount(n)} customers are expected to spend in the next ${horizonText}, discounted to today (past orders not included): ${formatAmount(averageClv)} per customer.`,
    ],
    [
      "Top 10% of customers: share of CLV",
      topShare,
      FORMAT.percent,
      `The ${formatCount(topCount)} customers with the highest CLV (the first rows of the customer table) hold this share of the value to come.`,
    ],
    [
      "Customers likely active (P(alive) ≥ 50%)",
      { formula: `COUNTIF(${column(ALIVE)},">=0.5")`, value: likelyAlive },
      FORMAT.integer,
      `${percentText(likelyAlive / n, 0)} of the customers are more likely than not still buying; ${formatCount(notActive)} have probably stopped.${oneTimeArtefact ? ` Includes ${formatCount(oneTimeBuyers)} one-time buyers the model cannot judge (see the caution below).` : ""}`,
    ],
    [
      "Expected CLV of a new customer",
      newCustomerClv,
      FORMAT.money,
      `What a customer acquired today is expected to spend on repeat purchases in the next ${horizonText}, discounted: the most a new customer may cost to acquire and still break even on repeat purchases.`,
    ],
    [
      `Expected purchases (next ${horizonText})`,
      { formula: `SUM(${column(PURCHASES)})`, value: purchasesTotal },
      FORMAT.integer,
      `Repeat purchases the customers are expected to make, ${(purchasesTotal / n).toFixed(2)} per customer.`,
    ],
  ];
  if (keyFigures.length !== KEY_FIGURES) throw new Error("buildCustomerValueTab: headline layout (a bug)");
  keyFigures.forEach(([text, cell, format, sentence], i) => {
    // The sentence one column off, so the right-aligned number does not touch it.
    blocks.push({ kind: "cells", row: keyRow + i, column: 0, values: [[text, cell, null, sentence]], numberFormats: [null, format, null, null], columnStyles: ["label", "total", null, "note"] });
  });

  blocks.push({ kind: "cells", row: segmentHeadingRow, column: 0, values: [["Value by segment"]], style: "heading" });
  const segmentRows: Cell[][] = segments.map((segment, s) => {
    const row = segmentRow + 1 + s;
    const { customers, clv } = segmentTotals.get(segment)!;
    if (!segmentFormulas) return [segment, customers, clv, clv / customers, clvTotal > 0 ? clv / clvTotal : 0];
    return [
      segment,
      { formula: `COUNTIF(${column(SEGMENT)},${a1(row, 0)})`, value: customers },
      { formula: `SUMIF(${column(SEGMENT)},${a1(row, 0)},${column(CLV)})`, value: clv },
      { formula: `${a1(row, 2)}/${a1(row, 1)}`, value: clv / customers },
      { formula: `IFERROR(${a1(row, 2)}/${a1(segmentTotalRow, 2, true)},0)`, value: clvTotal > 0 ? clv / clvTotal : 0 },
    ];
  });
  const segmentRange = (c: number): string => `${a1(segmentRow + 1, c)}:${a1(segmentTotalRow - 1, c)}`;
  const segmentTable: TableBlock = {
    kind: "table",
    name: tableName("ValueBySegment", tableNames),
    row: segmentRow,
    column: 0,
    headers: ["Segment", "Customers", "Total CLV", "Average CLV", "Share of CLV"],
    rows: segmentRows,
    numberFormats: [null, FORMAT.integer, moneyFormat(clvTotal), FORMAT.money, FORMAT.percent],
    totals: segmentFormulas
      ? [
          "All customers",
          { formula: `SUM(${segmentRange(1)})`, value: n },
          { formula: `SUM(${segmentRange(2)})`, value: clvTotal },
          { formula: `${a1(segmentTotalRow, 2)}/${a1(segmentTotalRow, 1)}`, value: averageClv },
          { formula: `SUM(${segmentRange(4)})`, value: segments.reduce((sum, s) => sum + (clvTotal > 0 ? segmentTotals.get(s)!.clv / clvTotal : 0), 0) },
        ]
      : ["All customers", n, clvTotal, averageClv, clvTotal > 0 ? 1 : 0],
  };
  blocks.push(segmentTable);
  const segmentColumn = (c: number): RangeRef => tableColumn(segmentTable, c);
  conditionalFormats.push({ range: segmentColumn(3), rule: { kind: "dataBar", color: "5B9BD5" } });
  charts.push({
    type: "column",
    title: "Total CLV by segment",
    categories: segmentColumn(0),
    series: [{ name: "Total CLV", values: segmentColumn(2) }],
    valueFormat: FORMAT.integer,
    anchor: chartAt(segmentHeadingRow, 0),
  });
  charts.push({
    type: "bar",
    title: "Average CLV by segment",
    categories: segmentColumn(0),
    series: [{ name: "Average CLV", values: segmentColumn(3) }],
    valueFormat: FORMAT.integer,
    anchor: chartAt(segmentHeadingRow, 1),
  });

  // Section B: P(alive) distribution (with what it cannot tell) and the repeat-purchase histogram.
  blocks.push({ kind: "cells", row: sectionB, column: 0, values: [["How likely customers are still active"]], style: "heading" });
  blocks.push({ kind: "cells", row: sectionB + 1, column: 0, values: aliveNotes.map((note) => [note]), style: "note" });
  const aliveRows: Cell[][] = [];
  for (let band = 0; band < ALIVE_BANDS; band++) {
    const low = band / ALIVE_BANDS;
    const high = (band + 1) / ALIVE_BANDS;
    const last = band === ALIVE_BANDS - 1;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const p = predictions.probabilityAlive[i];
      if (p >= low && (last ? p <= high : p < high)) count++;
    }
    const row = aliveRow + 1 + band;
    aliveRows.push([
      `${band * 10}–${(band + 1) * 10}%`,
      { formula: `COUNTIFS(${column(ALIVE)},">=${low}",${column(ALIVE)},"${last ? "<=" : "<"}${high}")`, value: count },
      { formula: `${a1(row, 1)}/${a1(aliveTotalRow, 1, true)}`, value: count / n },
    ]);
  }
  const aliveTable: TableBlock = {
    kind: "table",
    name: tableName("AliveDistribution", tableNames),
    row: aliveRow,
    column: 0,
    headers: ["P(alive)", "Customers", "Share of customers"],
    rows: aliveRows,
    numberFormats: [null, FORMAT.integer, FORMAT.percent],
    totals: [
      "All customers",
      { formula: `SUM(${a1(aliveRow + 1, 1)}:${a1(aliveTotalRow - 1, 1)})`, value: n },
      { formula: `SUM(${a1(aliveRow + 1, 2)}:${a1(aliveTotalRow - 1, 2)})`, value: 1 },
    ],
  };
  blocks.push(aliveTable);
  charts.push({
    type: "column",
    title: "Customers by chance of being active",
    categories: tableColumn(aliveTable, 0),
    series: [{ name: "Customers", values: tableColumn(aliveTable, 1) }],
    xAxisTitle: "P(alive)",
    valueFormat: FORMAT.integer,
    anchor: chartAt(aliveRow, 0),
  });

  blocks.push({ kind: "cells", row: histogramHeadingRow, column: 0, values: [["Repeat purchases up to the as-of date: actual and model"]], style: "heading" });
  if (histogram !== null) {
    const histogramTable: TableBlock = {
      kind: "table",
      name: tableName("RepeatPurchases", tableNames),
      row: histogramRow,
      column: 0,
      headers: ["Repeat purchases", "Customers (actual)", "Customers (model)"],
      rows: histogram.labels.map((text, k) => [
        text,
        { formula: k === LAST_BIN ? `COUNTIF(${column(FREQUENCY)},">=${k}")` : `COUNTIF(${column(FREQUENCY)},${k})`, value: histogram.actual[k] },
        histogram.expected[k],
      ]),
      numberFormats: [null, FORMAT.integer, FORMAT_ONE_DECIMAL],
      totals: [
        "All customers",
        { formula: `SUM(${a1(histogramRow + 1, 1)}:${a1(histogramRow + LAST_BIN + 1, 1)})`, value: n },
        { formula: `SUM(${a1(histogramRow + 1, 2)}:${a1(histogramRow + LAST_BIN + 1, 2)})`, value: histogram.expected.reduce((a, b) => a + b, 0) },
      ],
    };
    blocks.push(histogramTable);
    charts.push({
      type: "column",
      title: `Repeat purchases: actual and ${label}`,
      categories: tableColumn(histogramTable, 0),
      series: [
        { name: "Actual", values: tableColumn(histogramTable, 1) },
        { name: "Model", values: tableColumn(histogramTable, 2) },
      ],
      xAxisTitle: "Repeat purchases",
      yAxisTitle: "Customers",
      valueFormat: FORMAT.integer,
      anchor: chartAt(aliveRow + CHART_SIZE.rows + 1, 0),
    });
  } else {
    blocks.push({
      kind: "cells",
      row: histogramRow,
      column: 0,
      values: [[`The model's repeat-purchase histogram is drawn for BG/NBD, MBG/NBD and the NBD; the holdout check below compares ${label} with actual purchases.`]],
      style: "note",
    });
  }

  // High value at risk: big past spenders the model thinks have probably stopped.
  blocks.push({ kind: "cells", row: sectionRisk, column: 0, values: [["High value at risk"]], style: "heading" });
  blocks.push({
    kind: "cells",
    row: sectionRisk + 1,
    column: 0,
    values: [
      [
        atRisk.length === 0
          ? `No customer among the top 20% by past revenue (${formatAmount(revenueThreshold)} or more) has a P(alive) below 50%.`
          : `${formatCount(atRisk.length)} of the top 20% of customers by past revenue (${formatAmount(revenueThreshold)} or more up to the as-of date) have probably stopped buying (P(alive) below 50%)${atRisk.length > RISK_ROWS ? `; the ${RISK_ROWS} who spent most are listed` : ""}: candidates for a win-back contact.`,
      ],
    ],
    style: "note",
  });
  if (riskShown.length > 0) {
    blocks.push({
      kind: "table",
      name: tableName("HighValueAtRisk", tableNames),
      row: riskRow,
      column: 0,
      headers: ["Customer", "Segment", "Past revenue", "Purchase days", `Since last purchase (${unitText})`, `CLV (next ${horizonText})`, "P(alive)"],
      rows: riskShown.map((i) => [
        idCell(summary.customerIds[i]),
        segmentOfCustomer[i],
        summary.totalValue[i],
        summary.frequency[i] + 1,
        summary.T[i] - summary.recency[i],
        predictions.clv[i],
        predictions.probabilityAlive[i],
      ]),
      numberFormats: [null, null, FORMAT.money, FORMAT.integer, FORMAT.decimal, FORMAT.money, FORMAT.percent],
    });
  }

  // Section C: model parameters.
  blocks.push({ kind: "cells", row: sectionC, column: 0, values: [[`Model parameters (${label} + Gamma-Gamma, time in ${unitText})`]], style: "heading" });
  // The meaning one column off, so the right-aligned standard error does not touch it.
  blocks.push({ kind: "cells", row: parameterRow, column: 0, values: [["Parameter", "Value", "Standard error", null, "Meaning"]], style: "header" });
  parameterRows.forEach((p, k) => {
    blocks.push({
      kind: "cells",
      row: parameterRow + 1 + k,
      column: 0,
      values: [[p.label, p.value, p.error ?? null, null, p.meaning ?? null]],
      numberFormats: [null, p.format, p.format, null, null],
      columnStyles: ["label", "body", "body", null, "note"],
    });
  });

  blocks.push({ kind: "cells", row: choiceHeadingRow, column: 0, values: [["How the purchase model was chosen"]], style: "heading" });
  blocks.push({ kind: "cells", row: choiceHeadingRow + 1, column: 0, values: [[choiceText]], style: "note" });
  if (selection) {
    blocks.push({
      kind: "table",
      name: tableName("ModelChoice", tableNames),
      row: choiceTableRow,
      column: 0,
      // Outcome before the number, so the right-aligned log-likelihood does not touch text.
      headers: ["Model", "Outcome", "Log-likelihood"],
      rows: choiceRows,
      numberFormats: [null, null, FORMAT_LOG_LIKELIHOOD],
    });
  }

  // Section D: calibration against holdout.
  blocks.push({ kind: "cells", row: sectionD, column: 0, values: [["Check against a holdout period"]], style: "heading" });
  if (holdout === null) {
    blocks.push({
      kind: "cells",
      row: sectionD + 1,
      column: 0,
      values: [["No holdout was chosen. Give a holdout (e.g. 26 weeks) to fit the model on the earlier orders and compare its predicted purchases with what customers actually bought."]],
      style: "note",
    });
  } else {
    const c = holdout.comparison;
    blocks.push({
      kind: "cells",
      row: sectionD + 1,
      column: 0,
      values: [
        [
          `The model was fitted again on the orders up to ${formatSerial(holdout.calibrationEnd)} only, and its forecast for the next ${plural(Math.round(holdout.holdoutPeriods * 100) / 100, periodUnit)} compared with what customers then bought: predicted / actual near 1.00× means its totals can be trusted.`,
        ],
      ],
      style: "note",
    });
    const metrics: [string, Cell, string | null][] = [
      ["Calibration end", formatSerial(holdout.calibrationEnd), null],
      ["Holdout end", formatSerial(holdout.holdoutEnd), null],
      [`Holdout length (${unitText})`, holdout.holdoutPeriods, FORMAT.decimal],
      ["Customers compared", c.customers, FORMAT.integer],
      ["New in the holdout (not compared)", holdout.newCustomers, FORMAT.integer],
      ["Actual purchases", c.actualTotal, FORMAT.integer],
      ["Predicted purchases", c.predictedTotal, FORMAT_ONE_DECIMAL],
      ["Predicted / actual", c.actualTotal > 0 ? c.predictedTotal / c.actualTotal : "", FORMAT_MULTIPLE],
      ["Mean absolute error per customer", c.meanAbsoluteError, FORMAT.decimal],
      ["Root mean squared error per customer", c.rootMeanSquaredError, FORMAT.decimal],
      ["Correlation (actual, predicted)", c.correlation, FORMAT.decimal],
    ];
    if (metrics.length !== HOLDOUT_METRICS) throw new Error("buildCustomerValueTab: holdout metrics layout (a bug)");
    const metricsRow = holdoutMetricsRow;
    const ratioRow = metricsRow + 1 + 7;
    if (c.actualTotal > 0) metrics[7] = ["Predicted / actual", { formula: `${a1(ratioRow - 1, 1)}/${a1(ratioRow - 2, 1)}`, value: c.predictedTotal / c.actualTotal }, FORMAT_MULTIPLE];
    blocks.push({ kind: "cells", row: metricsRow, column: 0, values: [["Measure", "Value"]], style: "header" });
    metrics.forEach(([text, cell, format], k) => blocks.push(label2([text, cell], [null, format], metricsRow + 1 + k)));
    blocks.push({ kind: "cells", row: bucketHeadingRow, column: 0, values: [["Holdout purchases per customer by repeat purchases in the calibration period"]], style: "heading" });
    const bucketRows: Cell[][] = holdout.buckets.map((bucket, k) => [
      k === LAST_BIN ? `${k}+` : String(k),
      bucket.customers,
      bucket.customers > 0 ? bucket.actual / bucket.customers : 0,
      bucket.customers > 0 ? bucket.predicted / bucket.customers : 0,
    ]);
    const bucketTable: TableBlock = {
      kind: "table",
      name: tableName("HoldoutByFrequency", tableNames),
      row: bucketRow,
      column: 0,
      headers: ["Repeat purchases (calibration)", "Customers", "Actual per customer", "Predicted per customer"],
      rows: bucketRows,
      numberFormats: [null, FORMAT.integer, FORMAT.decimal, FORMAT.decimal],
      totals: [
        "All customers",
        { formula: `SUM(${a1(bucketRow + 1, 1)}:${a1(bucketRow + LAST_BIN + 1, 1)})`, value: c.customers },
        {
          formula: `SUMPRODUCT(${a1(bucketRow + 1, 1)}:${a1(bucketRow + LAST_BIN + 1, 1)},${a1(bucketRow + 1, 2)}:${a1(bucketRow + LAST_BIN + 1, 2)})/${a1(bucketRow + LAST_BIN + 2, 1)}`,
          value: c.actualTotal / c.customers,
        },
        {
          formula: `SUMPRODUCT(${a1(bucketRow + 1, 1)}:${a1(bucketRow + LAST_BIN + 1, 1)},${a1(bucketRow + 1, 3)}:${a1(bucketRow + LAST_BIN + 1, 3)})/${a1(bucketRow + LAST_BIN + 2, 1)}`,
          value: c.predictedTotal / c.customers,
        },
      ],
    };
    blocks.push(bucketTable);
    charts.push({
      type: "column",
      title: "Holdout purchases per customer: actual and predicted",
      categories: tableColumn(bucketTable, 0),
      series: [
        { name: "Actual", values: tableColumn(bucketTable, 2) },
        { name: "Predicted", values: tableColumn(bucketTable, 3) },
      ],
      xAxisTitle: "Repeat purchases in the calibration period",
      valueFormat: FORMAT.decimal,
      anchor: chartAt(holdoutMetricsRow, 0),
    });
  }

  blocks.push(provenanceCells);
  blocks.push({ kind: "cells", row: customerHeadingRow, column: 0, values: [[`Customers (one row per customer with an order up to the as-of date; horizon ${horizonText})`]], style: "heading" });
  blocks.push({ kind: "cells", row: customerHeadingRow + 1, column: 0, values: customerNotes.map((note) => [note]), style: "note" });
  blocks.push(customerTable);

  const sheet: ReportSheet = {
    name: "Customer Value",
    blocks,
    columnWidths,
    freeze: { rows: 2, columns: 1 },
    conditionalFormats,
    charts,
    provenance,
  };
  return { sheet, clvByCustomer, newCustomerClv, averageClv };
}
