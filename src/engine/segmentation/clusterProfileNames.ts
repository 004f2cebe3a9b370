/**
 * Descriptive names for behavioural clusters from their averages against all customers' averages
 * ("Recent frequent big spenders", "Dormant one-time low spenders"), so a cluster reads as a group
 * of customers rather than a number or a rank code. Deterministic: the same averages give the same
 * names.
 *
 * Glossary (ratio = the cluster's average ÷ all customers' average of the same measure):
 * - recency (days since the last order, fewer is better): ratio ≤ 0.8 → "Recent", ≥ 1.25 → "Dormant",
 *   in between → "Cooling";
 * - orders: average below 1.5 → "one-time"; else ratio ≥ 1.25 → "frequent", ≤ 0.8 → "infrequent",
 *   in between → "occasional";
 * - revenue: ratio ≥ 1.25 → "big spenders", ≤ 0.8 → "low spenders", in between → "mid spenders".
 * The bands 0.8 and 1.25 are reciprocal (a fifth below, a quarter above), so "high" and "low" are
 * equally far from the average on a log scale. Two clusters with the same words get " (group 2)",
 * " (group 3)" in the order given.
 *
 * References: domain.md §4.3 (clusters named by their centres' recency, frequency and monetary
 * standing); the words avoid the RFM segment and lifecycle stage names, which mean other things.
 */

import { invalidArgument } from "../errors";

/** Averages of one group of customers (or of all customers). */
export interface RfmAverages {
  /** Average days since the last order, ≥ 0. */
  readonly recencyDays: number;
  /** Average number of orders, ≥ 0. */
  readonly orders: number;
  /** Average revenue per customer (the data's currency). */
  readonly revenue: number;
}

/** A cluster's average above this multiple of the overall average is "high". */
export const HIGH_RATIO = 1.25;
/** A cluster's average below this multiple of the overall average is "low". */
export const LOW_RATIO = 0.8;
/** Clusters averaging fewer orders than this are "one-time" buyers. */
export const ONE_TIME_ORDERS = 1.5;

function ratio(value: number, overall: number): number {
  // An overall average of 0 (every customer alike on the measure) makes every cluster average.
  return overall > 0 ? value / overall : 1;
}

function recencyWord(r: number): string {
  return r <= LOW_RATIO ? "Recent" : r >= HIGH_RATIO ? "Dormant" : "Cooling";
}

function ordersWord(orders: number, r: number): string {
  if (orders < ONE_TIME_ORDERS) return "one-time";
  return r >= HIGH_RATIO ? "frequent" : r <= LOW_RATIO ? "infrequent" : "occasional";
}

function revenueWord(r: number): string {
  return r >= HIGH_RATIO ? "big spenders" : r <= LOW_RATIO ? "low spenders" : "mid spenders";
}

/**
 * Names of clusters from their averages.
 *
 * @param clusters each cluster's averages, in cluster order.
 * @param overall all customers' averages.
 * @returns one distinct name per cluster, e.g. "Recent frequent big spenders".
 * @throws EngineError INVALID_INPUT when an average is not a finite number or recency or orders are below 0.
 */
export function clusterProfileNames(clusters: readonly RfmAverages[], overall: RfmAverages): string[] {
  for (const [index, averages] of [overall, ...clusters].entries()) {
    const what = index === 0 ? "all customers" : `cluster ${index}`;
    for (const [measure, value] of [["days since the last order", averages.recencyDays], ["orders", averages.orders], ["revenue", averages.revenue]] as const) {
      if (!Number.isFinite(value)) throw invalidArgument("clusterProfileNames", `the average ${measure} of ${what} is not a number`);
    }
    if (averages.recencyDays < 0 || averages.orders < 0) throw invalidArgument("clusterProfileNames", `the averages of ${what} are below 0`);
  }
  const names = clusters.map(
    (c) =>
      `${recencyWord(ratio(c.recencyDays, overall.recencyDays))} ${ordersWord(c.orders, ratio(c.orders, overall.orders))} ${revenueWord(ratio(c.revenue, overall.revenue))}`,
  );
  const seen = new Map<string, number>();
  return names.map((name) => {
    const times = (seen.get(name) ?? 0) + 1;
    seen.set(name, times);
    return times === 1 ? name : `${name} (group ${times})`;
  });
}
