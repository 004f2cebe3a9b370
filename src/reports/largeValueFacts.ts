/**
 * The Customer Value tab's facts past the customer cap, computed by DuckDB for `imc report --from`
 * (src/cli/duckdb/report/largeValue.ts): the models fitted on the distinct (frequency, recency, T)
 * triples and spend pairs of every customer, the tab's counts and sums over all customers, and the
 * few customers the tab lists (the first rows of its customer table and the high-value customers at
 * risk), scored by the engine. The tab is built from these as from per-customer arrays
 * (customerValue/analysis.ts); its customer table then lists the first customers and stands for all.
 */

import type { CountingModelChoice, CustomerValueFit, CustomerValuePredictions } from "../engine/clv";
import type { CustomerFactsOptions } from "./customerFacts";
import type { HoldoutResult } from "./customerValue/holdout";

/** The options the facts were computed for (the tab checks them against its own). */
export interface LargeValueOptions extends CustomerFactsOptions {
  /** The purchase model choice ("auto" as the tab's default). */
  readonly model: CountingModelChoice;
  /** Horizon in periods. */
  readonly horizonPeriods: number;
  /** Yearly discount rate. */
  readonly annualDiscountRate: number;
  /** Customers of the tab's table to list at most. */
  readonly maxListed: number;
}

/** Customers the tab lists: one entry each, in the order of the table they are listed in. */
export interface LargeValueListed {
  /** The engine's id text. */
  readonly customerIds: readonly string[];
  /** RFM segment at the same as-of day. */
  readonly segment: readonly string[];
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  readonly monetary: Float64Array;
  readonly monetaryCount: Float64Array;
  /** Past revenue: every order value up to as of, refunds included. */
  readonly totalValue: Float64Array;
  /** The engine's predictions for them (`predictRows` with the fit). */
  readonly predictions: CustomerValuePredictions;
}

/** The Customer Value tab's facts over every customer, and its listed customers. */
export interface LargeValueFacts {
  readonly options: LargeValueOptions;
  readonly fit: CustomerValueFit;
  /** The as-of day used (Excel serial). */
  readonly asOfDay: number;
  /** Order rows read, those dated after as of, and the customers whose orders all are. */
  readonly orderRows: number;
  readonly ordersAfterAsOf: number;
  readonly customersAfterAsOf: number;
  /** True when no id is a decimal number (the tab then writes whole-number ids on the left, like text). */
  readonly integerIds: boolean;
  /** The holdout check (as `holdoutCheck`), or null without a holdout. */
  readonly holdout: HoldoutResult | null;
  /** The first customers by CLV (ties: first appearance first), at most `options.maxListed`. */
  readonly listed: LargeValueListed;
  /** Customers with an order up to as of. */
  readonly customers: number;
  /** Distinct triples and spend pairs fitted on. */
  readonly triples: number;
  readonly spendPairs: number;
  /** Sums over all customers (added by DuckDB, in no fixed order). */
  readonly clvTotal: number;
  readonly purchasesTotal: number;
  readonly oneTimeBuyers: number;
  /** True when the model cannot estimate one-time buyers' P(alive) (BG/NBD): they are left out of `judged`, `likelyActive` and `aliveBands`. */
  readonly oneTimeNotEstimated: boolean;
  /** Customers whose P(alive) is estimated, and of those the ones at or above the threshold asked for. */
  readonly judged: number;
  readonly likelyActive: number;
  /** Purchase days with a total value ≤ 0. */
  readonly refundDays: number;
  /** Customers per tenth of P(alive) (the last band closed), of those estimated. */
  readonly aliveBands: readonly number[];
  /** Customers by repeat purchases 0 .. the tab's last bin (the last: that many or more). */
  readonly repeatPurchases: readonly number[];
  /** The model's customers by repeat purchases (as `countingModelPurchaseHistogram`), null for Pareto/NBD. */
  readonly modelRepeatPurchases: readonly number[] | null;
  /** The top 10% of customers by CLV and their share of the total. */
  readonly topCount: number;
  readonly topShare: number;
  /**
   * High value at risk: the past-revenue threshold (the top share), the customers at or above it with
   * a low P(alive), their past revenue and CLV, and the first of them by past revenue (ties: first
   * appearance first).
   */
  readonly risk: { readonly threshold: number; readonly customers: number; readonly pastRevenue: number; readonly clv: number; readonly listed: LargeValueListed };
  /** Customers and CLV per segment (by name; the tab orders them). */
  readonly segments: readonly { readonly name: string; readonly customers: number; readonly clv: number }[];
  /** Customers in the segments Lost or Hibernating whose P(alive) is estimated and at or above the threshold. */
  readonly lifecycleLikelyActive: number;
  /** A new customer's expected value per purchase, CLV and expected purchases (the Budget tab's CLV : CAC check). */
  readonly newSpend: number;
  readonly newCustomerClv: number;
  readonly newPurchases: number;
}
