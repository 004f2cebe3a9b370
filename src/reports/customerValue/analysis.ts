/**
 * Everything the Customer Value tab shows, computed once before any cell is placed: the fitted
 * purchase and spend models (the automatic choice among BG/NBD, MBG/NBD and Pareto/NBD by default),
 * per-customer predictions, segments, the ranking by CLV, the high-value customers at risk, the
 * repeat-purchase histogram and the holdout check. The sections of the tab only lay these out.
 * Past the customer cap of `imc report --from` the same analysis is made from facts summarised in
 * DuckDB (large.ts): the counts and sums over every customer, the per-customer columns of the
 * customers the tab lists.
 */

import {
  COUNTING_MODEL_CHOICES,
  COUNTING_MODEL_LABELS,
  type CountingModelChoice,
  type CountingModelName,
  countingModelPurchaseHistogram,
  type CustomerSummary,
  type CustomerValueFit,
  type CustomerValuePredictions,
  DAYS_PER_PERIOD,
  type DiscountSchedule,
  discountedPurchases,
  expectedPurchasesNew,
  fitCustomerValue,
  forecastCustomer,
  gammaGammaExpectedSpend,
  type ModelSelection,
  type PeriodUnit,
  periodSchedule,
  predictCustomerValue,
  type PurchaseHistogram,
} from "../../engine/clv";
import { invalidArgument } from "../../engine/errors";
import { RFM_SEGMENT_NAMES, rfmFromColumns, type RfmResult } from "../../engine/segmentation";
import { checkFactsFor, rfmMeasuresOf, valueFactsOf, type ValueFacts } from "../customerFacts";
import { isPlainCriterion, rfmOf, transactionsOf } from "../format";
import { customerFactsMissing, summarisedOf } from "../summarisedOrders";
import { descendingOrder } from "../rankOrder";
import type { OrdersInput } from "../inputs";
import { holdoutCheck, LAST_BIN, type HoldoutResult } from "./holdout";
import { largeValueAnalysis, largeValueFactsFor } from "./large";

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

/** The options' defaults (the summaries computed out of core take the same). */
export const CUSTOMER_VALUE_DEFAULTS = { model: "auto", period: "week", horizonPeriods: 52, annualDiscountRate: 0.1 } as const satisfies Required<
  Pick<CustomerValueOptions, "model" | "period" | "horizonPeriods" | "annualDiscountRate">
>;

/** Bands of P(alive) the tab counts customers in (tenths). */
export const ALIVE_BANDS = 10;

/**
 * The tenth of P(alive) a probability falls in: [k/10, (k+1)/10), the last band closed; -1 outside [0, 1].
 *
 * @param p a P(alive).
 */
export function aliveBand(p: number): number {
  for (let band = 0; band < ALIVE_BANDS; band++) {
    if (p >= band / ALIVE_BANDS && (band === ALIVE_BANDS - 1 ? p <= 1 : p < (band + 1) / ALIVE_BANDS)) return band;
  }
  return -1;
}

/** Label of customers the given segment map does not know. */
export const NO_SEGMENT = "(no segment)";

/** High value at risk: the top share of customers by past revenue … */
export const RISK_TOP_SHARE = 0.2;
/** … whose P(alive) is below this. */
export const RISK_ALIVE = 0.5;
/** The high-value customers at risk the tab lists at most, those who spent most first. */
export const RISK_LISTED = 20;
/** Customers "likely active": P(alive) at or above this. */
export const LIKELY_ACTIVE = 0.5;
/** The holdout check passes when predicted / actual purchases is within these bounds. */
export const HOLDOUT_BOUNDS = { low: 0.8, high: 1.25 } as const;
/** The model fits the repeat-purchase histogram badly when it places more than this share of customers in another bin. */
export const HISTOGRAM_MISFIT = 0.1;

/** Segments per customer and their totals. */
export interface SegmentView {
  /** Segment of each customer (summary order). */
  readonly of: readonly string[];
  /** Segments in the RFM order, then others in order of first appearance. */
  readonly order: readonly string[];
  readonly totals: ReadonlyMap<string, { readonly customers: number; readonly clv: number }>;
  /** True when every label matches only itself in COUNTIF / SUMIF (no wildcards, no two differing only in case). */
  readonly formulas: boolean;
  /** Where the segments come from, in words. */
  readonly source: string;
  /** Customers the given segments do not know. */
  readonly missing: number;
  /** True for RFM segments computed here (lifecycle-like names "Lost", "Hibernating"). */
  readonly rfm: boolean;
}

/**
 * The per-customer columns the tab's tables show: every customer when the orders are in memory; past
 * the customer cap only the customers the tab lists (its first rows by CLV, then the first high-value
 * customers at risk).
 */
export type ListedSummary = Pick<CustomerSummary, "asOf" | "customerIds" | "frequency" | "recency" | "T" | "monetary" | "totalValue" | "ordersAfterAsOf" | "customersAfterAsOf">;

/** What the tab shows, computed. */
export interface CustomerValueAnalysis {
  readonly source: string;
  readonly orderRows: number;
  readonly periodUnit: PeriodUnit;
  readonly horizonPeriods: number;
  readonly annualRate: number;
  readonly schedule: DiscountSchedule;
  /** Per customer of the tables (see {@link ListedSummary}); the counts and sums below are over all customers. */
  readonly summary: ListedSummary;
  readonly fit: CustomerValueFit;
  /** The model used: the named one, or the one the automatic choice picked (maybe the NBD). */
  readonly chosen: CountingModelName;
  readonly label: string;
  readonly selection: ModelSelection | null;
  /** Per customer of `summary`. */
  readonly predictions: CustomerValuePredictions;
  readonly holdout: HoldoutResult | null;
  /** Model counts of customers by repeat purchases (null for Pareto/NBD). */
  readonly histogram: PurchaseHistogram | null;
  /** Customers with an order up to as of (all of them, listed or not). */
  readonly customers: number;
  /** True when no id is a decimal number (whole-number ids are then written on the left, like text ids). */
  readonly integerIds: boolean;
  /** CLV per customer id; null past the customer cap (only the listed customers are in memory). */
  readonly clvByCustomer: ReadonlyMap<string, number> | null;
  readonly clvTotal: number;
  readonly averageClv: number;
  readonly purchasesTotal: number;
  readonly newSpend: number;
  readonly newPurchases: number;
  readonly newCustomerClv: number;
  readonly segments: SegmentView;
  /** Customer indexes (into `summary`) by CLV, highest first: the detail table's rows (all customers, or the first past the cap). */
  readonly byClv: readonly number[];
  /** Customers in the top 10% by CLV, and their share of the total CLV. */
  readonly topCount: number;
  readonly topShare: number;
  readonly oneTimeBuyers: number;
  /**
   * True when P(alive) of one-time buyers says nothing: BG/NBD lets customers stop only after a
   * repeat purchase, so it gives every one-time buyer P(alive) = 1 however long ago they bought.
   */
  readonly oneTimeNotEstimated: boolean;
  /** Customers whose P(alive) is estimated (all, or the repeat customers when one-time buyers' is not). */
  readonly judged: number;
  /** Of those, customers with P(alive) ≥ 50%. */
  readonly likelyActive: number;
  /** Customers whose P(alive) is estimated per tenth of P(alive) ([k/10, (k+1)/10), the last closed). */
  readonly aliveBands: readonly number[];
  /**
   * High value at risk: past revenue at or above `threshold` (top 20%), P(alive) below 50%: `count`
   * customers, `customers` indexes (into `summary`) by past revenue (all of them, or the first past the cap).
   */
  readonly risk: { readonly threshold: number; readonly count: number; readonly customers: readonly number[]; readonly pastRevenue: number; readonly clv: number };
  /** Customers in the RFM segments "Lost" or "Hibernating" whom the model still finds likely active (RFM segments only). */
  readonly lifecycle: { readonly segments: readonly string[]; readonly likelyActive: number };
  /** Share of customers the model places in another repeat-purchase bin than they are (half the sum of absolute differences over n). */
  readonly histogramMisfit: number | null;
  /** Purchase days with a total value ≤ 0. */
  readonly refundDays: number;
}

/**
 * Fits the models and computes every number of the tab.
 *
 * @throws EngineError as `buildCustomerValueTab` documents.
 */
export function analyseCustomerValue(orders: OrdersInput, options: CustomerValueOptions): CustomerValueAnalysis {
  const model = options.model ?? CUSTOMER_VALUE_DEFAULTS.model;
  const periodUnit = options.period ?? CUSTOMER_VALUE_DEFAULTS.period;
  const horizonPeriods = options.horizonPeriods ?? CUSTOMER_VALUE_DEFAULTS.horizonPeriods;
  const annualRate = options.annualDiscountRate ?? CUSTOMER_VALUE_DEFAULTS.annualDiscountRate;
  if (!COUNTING_MODEL_CHOICES.includes(model)) {
    throw invalidArgument("model", `"${String(model)}" is not one of ${COUNTING_MODEL_CHOICES.map((m) => `"${m}"`).join(", ")}`);
  }
  if (!(periodUnit in DAYS_PER_PERIOD)) throw invalidArgument("period", `"${String(periodUnit)}" is not one of "day", "week", "month"`);
  const schedule = periodSchedule(horizonPeriods, annualRate, periodUnit);
  const holdoutPeriods = options.holdoutPeriods ?? null;
  const large = largeValueFactsFor(orders, { asOf: options.asOf ?? null, periodUnit, holdoutPeriods, model, horizonPeriods, annualDiscountRate: annualRate });
  if (large !== null) {
    if ((options.segmentByCustomer ?? null) !== null) throw new Error("analyseCustomerValue: segments per customer cannot be given past the customer cap (a bug of the caller)");
    return largeValueAnalysis(orders.source, large, schedule);
  }
  const facts = valueFactsFor(orders, options.asOf ?? null, periodUnit, holdoutPeriods);
  const summary = facts.summary;
  const fit = fitCustomerValue(summary, model);
  const chosen = fit.counting.model;
  // Raises NOT_CONVERGED before anything is built when the counting model did not converge.
  const predictions = predictCustomerValue(summary, fit, schedule);
  const holdout = holdoutPeriods === null ? null : holdoutCheck(facts.holdout!, summary.asOf, holdoutPeriods, periodUnit, chosen);

  const n = summary.customerIds.length;
  const newSpend = gammaGammaExpectedSpend(fit.spend.params, 0, 0);
  const newCustomerClv = discountedPurchases(forecastCustomer(fit.counting, 0, 0, 0).cumulativePurchases, schedule) * newSpend;

  const clvByCustomer = new Map<string, number>();
  let clvTotal = 0;
  let purchasesTotal = 0;
  let oneTimeBuyers = 0;
  let refundDays = 0;
  for (let i = 0; i < n; i++) {
    clvByCustomer.set(summary.customerIds[i], predictions.clv[i]);
    clvTotal += predictions.clv[i];
    purchasesTotal += predictions.expectedPurchases[i];
    if (summary.frequency[i] === 0) oneTimeBuyers++;
    refundDays += summary.nonPositiveDays[i];
  }
  const oneTimeNotEstimated = chosen === "bgnbd" && oneTimeBuyers > 0;
  const estimated = (i: number): boolean => !oneTimeNotEstimated || summary.frequency[i] > 0;
  let judged = 0;
  let likelyActive = 0;
  const aliveBands = new Array<number>(ALIVE_BANDS).fill(0);
  for (let i = 0; i < n; i++) {
    if (!estimated(i)) continue;
    judged++;
    const p = predictions.probabilityAlive[i];
    if (p >= LIKELY_ACTIVE) likelyActive++;
    const band = aliveBand(p);
    if (band >= 0) aliveBands[band]++;
  }

  const segments = segmentView(orders, options, summary, predictions);
  const byClv = descendingOrder(predictions.clv);
  const topCount = Math.max(1, Math.ceil(n / 10));
  let topClv = 0;
  for (let k = 0; k < topCount; k++) topClv += predictions.clv[byClv[k]];

  const histogram = countingModelPurchaseHistogram(fit.counting, summary.frequency, summary.T, LAST_BIN);

  const lifecycleSegments = segments.rfm ? ["Lost", "Hibernating"].filter((s) => segments.totals.has(s)) : [];
  let lifecycleAlive = 0;
  for (let i = 0; i < n; i++) {
    if (estimated(i) && lifecycleSegments.includes(segments.of[i]) && predictions.probabilityAlive[i] >= LIKELY_ACTIVE) lifecycleAlive++;
  }

  return {
    source: orders.source,
    orderRows: facts.rowCount,
    periodUnit,
    horizonPeriods,
    annualRate,
    schedule,
    summary,
    fit,
    chosen,
    label: COUNTING_MODEL_LABELS[chosen],
    selection: fit.selection ?? null,
    predictions,
    holdout,
    histogram,
    customers: n,
    integerIds: summary.customerIds.every((id) => !/^-?\d+(\.\d+)?$/.test(id) || /^-?\d+$/.test(id)),
    clvByCustomer,
    clvTotal,
    averageClv: clvTotal / n,
    purchasesTotal,
    newSpend,
    newPurchases: expectedPurchasesNew(fit.counting, horizonPeriods),
    newCustomerClv,
    segments,
    byClv,
    topCount,
    topShare: clvTotal > 0 ? topClv / clvTotal : 0,
    oneTimeBuyers,
    oneTimeNotEstimated,
    judged,
    likelyActive,
    aliveBands,
    risk: atRisk(summary, predictions),
    lifecycle: { segments: lifecycleSegments, likelyActive: lifecycleAlive },
    histogramMisfit: histogramMisfitOf(histogram, n),
    refundDays,
  };
}

/** Big past spenders the model thinks have probably stopped, those who spent most first. */
function atRisk(summary: CustomerSummary, predictions: CustomerValuePredictions): CustomerValueAnalysis["risk"] {
  const n = summary.customerIds.length;
  const revenueRank = descendingOrder(summary.totalValue);
  const threshold = summary.totalValue[revenueRank[Math.max(0, Math.ceil(n * RISK_TOP_SHARE) - 1)]];
  const customers = revenueRank.filter((i) => summary.totalValue[i] >= threshold && summary.totalValue[i] > 0 && predictions.probabilityAlive[i] < RISK_ALIVE);
  let pastRevenue = 0;
  let clv = 0;
  for (const i of customers) {
    pastRevenue += summary.totalValue[i];
    clv += predictions.clv[i];
  }
  return { threshold, count: customers.length, customers, pastRevenue, clv };
}

/**
 * The share of customers the model places in another repeat-purchase bin than they are (half the sum
 * of absolute differences over the customers), or null without the model's counts.
 */
export function histogramMisfitOf(histogram: PurchaseHistogram | null, customers: number): number | null {
  if (histogram === null) return null;
  let difference = 0;
  for (let k = 0; k < histogram.actual.length; k++) difference += Math.abs(histogram.actual[k] - histogram.expected[k]);
  return difference / 2 / customers;
}

/** Segments: given, or RFM at the same as_of (the same customers: both keep those with an order up to as_of). */
function segmentView(orders: OrdersInput, options: CustomerValueOptions, summary: CustomerSummary, predictions: CustomerValuePredictions): SegmentView {
  let segmentOf: (id: string) => string;
  let source: string;
  const given = options.segmentByCustomer ?? null;
  if (given !== null) {
    segmentOf = (id) => {
      const segment = given.get(id);
      return segment === undefined || segment.trim() === "" ? NO_SEGMENT : segment;
    };
    source = "given (from the Segmentation tab)";
  } else {
    const rfm = rfmAt(orders, summary.asOf);
    const map = new Map<string, string>();
    rfm.customerIds.forEach((id, c) => map.set(id, rfm.segment[c]));
    segmentOf = (id) => map.get(id) ?? NO_SEGMENT;
    source = "RFM segments at the same as-of date";
  }
  const n = summary.customerIds.length;
  const of = new Array<string>(n);
  const totals = new Map<string, { customers: number; clv: number }>();
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const segment = segmentOf(summary.customerIds[i]);
    if (segment === NO_SEGMENT) missing++;
    of[i] = segment;
    const entry = totals.get(segment) ?? { customers: 0, clv: 0 };
    entry.customers++;
    entry.clv += predictions.clv[i];
    totals.set(segment, entry);
  }
  return { of, ...segmentOrder(totals), totals, source, missing, rfm: given === null };
}

/**
 * The order the tab lists segments in (the RFM map's, then others in order of first appearance) and
 * whether their totals may be COUNTIF / SUMIF formulas.
 *
 * @param totals the segments with customers, in order of first appearance.
 */
export function segmentOrder(totals: ReadonlyMap<string, unknown>): Pick<SegmentView, "order" | "formulas"> {
  const rfmOrder: readonly string[] = RFM_SEGMENT_NAMES;
  const order = [...rfmOrder.filter((s) => totals.has(s)), ...[...totals.keys()].filter((s) => !rfmOrder.includes(s))];
  // COUNTIF / SUMIF match case-insensitively and read wildcards: use them only when every label matches just itself.
  const lowered = new Set(order.map((s) => s.toLowerCase()));
  return { order, formulas: lowered.size === order.length && order.every(isPlainCriterion) };
}

/**
 * The value facts: summarised out of core when the orders are (checked to be for these options),
 * else from the rows.
 */
function valueFactsFor(orders: OrdersInput, asOf: number | null, periodUnit: PeriodUnit, holdoutPeriods: number | null): ValueFacts {
  const summarised = summarisedOf(orders);
  if (summarised === null) return valueFactsOf(transactionsOf(orders), asOf, periodUnit, holdoutPeriods);
  if (summarised.customers === null) throw customerFactsMissing(summarised);
  checkFactsFor(summarised.customers, { asOf, periodUnit, holdoutPeriods }, "Customer Value");
  return summarised.customers.value;
}

/** RFM scores at an as-of day: of the summarised segment facts (for the same as-of date), else of the rows. */
function rfmAt(orders: OrdersInput, asOfDay: number): RfmResult {
  const summarised = summarisedOf(orders);
  if (summarised === null) return rfmOf(transactionsOf(orders), asOfDay);
  const segments = summarised.customers!.segments;
  if (segments.asOfDay !== asOfDay) throw new Error("Customer Value: the summarised segment facts are for another as-of day than the customer summary (a bug)");
  return rfmFromColumns(rfmMeasuresOf(segments));
}
