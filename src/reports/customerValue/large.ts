/**
 * The Customer Value analysis past the customer cap: the same {@link CustomerValueAnalysis} the tab's
 * sections lay out, made from the facts DuckDB computed over every customer (src/reports/largeValueFacts.ts)
 * instead of per-customer arrays. The counts and sums are over all customers; `summary` and
 * `predictions` hold only the customers the tab lists (its first rows by CLV, then the first
 * high-value customers at risk), so the customer table stands for all customers and the tab is
 * written shortened (src/reports/rowLimit.ts), its formulas as the values computed here.
 */

import { COUNTING_MODEL_LABELS, type CountingModelChoice, type CustomerValuePredictions, type DiscountSchedule, type PeriodUnit, type PurchaseHistogram } from "../../engine/clv";
import { sameAsOf } from "../customerFacts";
import type { LargeValueFacts, LargeValueListed } from "../largeValueFacts";
import { summarisedOf } from "../summarisedOrders";
import type { OrdersInput } from "../inputs";
import { type CustomerValueAnalysis, histogramMisfitOf, type ListedSummary, NO_SEGMENT, segmentOrder } from "./analysis";
import { LAST_BIN } from "./holdout";

/** The options of the tab that the facts must have been computed for. */
export interface LargeValueWanted {
  readonly asOf: number | null;
  readonly periodUnit: PeriodUnit;
  readonly holdoutPeriods: number | null;
  readonly model: CountingModelChoice;
  readonly horizonPeriods: number;
  readonly annualDiscountRate: number;
}

/**
 * The facts summarised past the customer cap, checked to be for the tab's options, or null when the
 * orders are in memory or their per-customer facts were summarised.
 *
 * @throws Error when the facts were computed for other options (a bug of the caller).
 */
export function largeValueFactsFor(orders: OrdersInput, wanted: LargeValueWanted): LargeValueFacts | null {
  const summarised = summarisedOf(orders);
  if (summarised === null || summarised.customers !== null) return null;
  if (summarised.largeValueRefusal !== undefined) throw summarised.largeValueRefusal;
  const large = summarised.largeValue ?? null;
  if (large === null) return null;
  const had = large.options;
  const differs = [
    sameAsOf(had.asOf, wanted.asOf) ? null : `as-of ${String(had.asOf)} instead of ${String(wanted.asOf)}`,
    had.periodUnit === wanted.periodUnit ? null : `period ${had.periodUnit} instead of ${wanted.periodUnit}`,
    had.holdoutPeriods === wanted.holdoutPeriods ? null : `holdout ${String(had.holdoutPeriods)} instead of ${String(wanted.holdoutPeriods)}`,
    had.model === wanted.model ? null : `model ${had.model} instead of ${wanted.model}`,
    had.horizonPeriods === wanted.horizonPeriods ? null : `horizon ${had.horizonPeriods} instead of ${wanted.horizonPeriods}`,
    had.annualDiscountRate === wanted.annualDiscountRate ? null : `discount rate ${had.annualDiscountRate} instead of ${wanted.annualDiscountRate}`,
  ].filter((text) => text !== null);
  if (differs.length > 0) throw new Error(`Customer Value: the summarised value facts were computed for other options (${differs.join("; ")}); a bug of the caller that summarised them`);
  return large;
}

/** Two runs of listed customers one after the other. */
function joined(first: LargeValueListed, second: LargeValueListed): { summary: Omit<ListedSummary, "asOf" | "ordersAfterAsOf" | "customersAfterAsOf">; predictions: CustomerValuePredictions; segment: string[] } {
  const both = (a: Float64Array, b: Float64Array): Float64Array => {
    const out = new Float64Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  const p = first.predictions;
  const q = second.predictions;
  return {
    summary: {
      customerIds: [...first.customerIds, ...second.customerIds],
      frequency: both(first.frequency, second.frequency),
      recency: both(first.recency, second.recency),
      T: both(first.T, second.T),
      monetary: both(first.monetary, second.monetary),
      totalValue: both(first.totalValue, second.totalValue),
    },
    predictions: {
      probabilityAlive: both(p.probabilityAlive, q.probabilityAlive),
      expectedPurchases: both(p.expectedPurchases, q.expectedPurchases),
      expectedSpend: both(p.expectedSpend, q.expectedSpend),
      clv: both(p.clv, q.clv),
    },
    segment: [...first.segment, ...second.segment],
  };
}

/**
 * The tab's analysis from the facts over every customer.
 *
 * @param source the orders' source, in words.
 * @param large the facts (checked for the tab's options).
 * @param schedule the discount schedule of the tab's options.
 * @returns the analysis: counts and sums over all customers, per-customer columns of the listed ones.
 */
export function largeValueAnalysis(source: string, large: LargeValueFacts, schedule: DiscountSchedule): CustomerValueAnalysis {
  const { fit, options } = large;
  const chosen = fit.counting.model;
  const listed = large.listed.customerIds.length;
  const atRisk = large.risk.listed.customerIds.length;
  const rows = joined(large.listed, large.risk.listed);
  const totals = new Map(large.segments.map((segment) => [segment.name, { customers: segment.customers, clv: segment.clv }]));
  const histogram: PurchaseHistogram | null =
    large.modelRepeatPurchases === null
      ? null
      : {
          labels: Array.from({ length: LAST_BIN + 1 }, (_, k) => (k === LAST_BIN ? `${k}+` : String(k))),
          actual: Float64Array.from(large.repeatPurchases),
          expected: Float64Array.from(large.modelRepeatPurchases),
        };
  const n = large.customers;
  return {
    source,
    orderRows: large.orderRows,
    periodUnit: options.periodUnit,
    horizonPeriods: options.horizonPeriods,
    annualRate: options.annualDiscountRate,
    schedule,
    summary: { ...rows.summary, asOf: large.asOfDay, ordersAfterAsOf: large.ordersAfterAsOf, customersAfterAsOf: large.customersAfterAsOf },
    fit,
    chosen,
    label: COUNTING_MODEL_LABELS[chosen],
    selection: fit.selection ?? null,
    predictions: rows.predictions,
    holdout: large.holdout,
    histogram,
    customers: n,
    integerIds: large.integerIds,
    clvByCustomer: null,
    clvTotal: large.clvTotal,
    averageClv: large.clvTotal / n,
    purchasesTotal: large.purchasesTotal,
    newSpend: large.newSpend,
    newPurchases: large.newPurchases,
    newCustomerClv: large.newCustomerClv,
    segments: {
      of: rows.segment,
      ...segmentOrder(totals),
      totals,
      source: "RFM segments at the same as-of date",
      missing: totals.get(NO_SEGMENT)?.customers ?? 0,
      rfm: true,
    },
    byClv: Array.from({ length: listed }, (_, i) => i),
    topCount: large.topCount,
    topShare: large.topShare,
    oneTimeBuyers: large.oneTimeBuyers,
    oneTimeNotEstimated: large.oneTimeNotEstimated,
    judged: large.judged,
    likelyActive: large.likelyActive,
    aliveBands: large.aliveBands,
    risk: {
      threshold: large.risk.threshold,
      count: large.risk.customers,
      customers: Array.from({ length: atRisk }, (_, k) => listed + k),
      pastRevenue: large.risk.pastRevenue,
      clv: large.risk.clv,
    },
    lifecycle: { segments: ["Lost", "Hibernating"].filter((s) => totals.has(s)), likelyActive: large.lifecycleLikelyActive },
    histogramMisfit: histogramMisfitOf(histogram, n),
    refundDays: large.refundDays,
  };
}
