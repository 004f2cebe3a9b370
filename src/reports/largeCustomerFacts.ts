/**
 * The Segmentation tab's facts for more customers than fit in memory one by one (past
 * `IMC_REPORT_MAX_CUSTOMERS`, src/cli/duckdb/report/parts.ts): everything the tab shows over all
 * customers, computed by DuckDB (RFM scores, segments, lifecycle stages and behavioural groups per
 * customer in a temporary table, then GROUP BYs), and only the customers the tab lists, in its order
 * (highest revenue first, ties in order of first appearance), fetched into memory.
 *
 * The numbers are the engine's: quintile breaks from the exact order statistics, scores, segments and
 * stages by the engine's rules, sums added in customer order as the in-memory model adds them. The
 * behavioural groups are fitted by the engine's k-means on a sample of the customers (all of them
 * when they fit in it, then the groups are the in-memory ones) and every other customer joins the
 * nearest centre.
 */

import type { BehaviouralClusters, LifecycleThresholds, RfmResult } from "../engine/segmentation";

/** Customers and revenue of one group (a segment, a stage). */
export interface LargeGroupTotals {
  readonly name: string;
  readonly customers: number;
  readonly revenue: number;
}

/** A behavioural cluster's sums over its customers (cluster numbers 1..k in index order). */
export interface ClusterSums {
  readonly customers: number;
  /** Total of the days since the last order. */
  readonly recency: number;
  readonly orders: number;
  readonly revenue: number;
}

/** Totals over all customers that the tab's headline, warnings and summaries show. */
export interface SegmentTotals {
  /** Total revenue, added in customer order. */
  readonly revenue: number;
  /** Total of the days since the last order. */
  readonly recencyDays: number;
  /** Total orders. */
  readonly orders: number;
  /** Customers with two orders or more. */
  readonly repeatCustomers: number;
  /** Champions whose lifecycle stage is At risk or Lapsed. */
  readonly championsLapsing: number;
  /** Fewest and most orders of a customer. */
  readonly minOrders: number;
  readonly maxOrders: number;
}

/** The customers the tab lists, in its order: each column holds one entry per listed customer. */
export interface ListedCustomers {
  readonly customerIds: readonly string[];
  /** 1 where the source held the id as a number. */
  readonly numericIds: Uint8Array;
  readonly recencyDays: Int32Array;
  readonly orders: Int32Array;
  readonly revenue: Float64Array;
  readonly r: Uint8Array;
  readonly f: Uint8Array;
  readonly m: Uint8Array;
  readonly code: Uint16Array;
  readonly segment: RfmResult["segment"];
  /** The engine's lifecycle stage names. */
  readonly stage: readonly string[];
  /** Behavioural cluster 1..k. */
  readonly cluster: Int32Array;
}

/** The Segmentation tab's facts past the customer cap. */
export interface LargeSegmentFacts {
  /** The options they were computed for. */
  readonly asOfOption: number | null;
  readonly thresholds: LifecycleThresholds;
  readonly clusterCount: number | null;
  readonly seed: number;
  /** Order rows read (all of them). */
  readonly rowCount: number;
  /** The as-of day used (Excel serial). */
  readonly asOfDay: number;
  readonly ordersAfterAsOf: number;
  readonly customersAfterAsOf: number;
  readonly refundRows: number;
  /** Customers with an order up to as of (all of them, not only those listed). */
  readonly customers: number;
  /** The quintile breaks over all customers. */
  readonly breaks: RfmResult["breaks"];
  /** The first customers of the tab's table, at most as many as a sheet holds. */
  readonly listed: ListedCustomers;
  /** RFM segments with customers, in the order of the RFM map. */
  readonly segments: readonly LargeGroupTotals[];
  /** Lifecycle stages in lifecycle order, empty ones too. */
  readonly stages: readonly LargeGroupTotals[];
  readonly totals: SegmentTotals;
  /** The k-means fit (on the sample; its per-row `cluster` is left empty). */
  readonly clusters: BehaviouralClusters;
  /** Why every customer is in one group, or null. */
  readonly clusterFallback: string | null;
  /** Per cluster 1..k, over all customers. */
  readonly clusterSums: readonly ClusterSums[];
  /** Customers with revenue below 0 (clustered as 0). */
  readonly negativeRevenue: number;
  /** Customers the groups were fitted on (all customers when they fit in the sample). */
  readonly clusterSample: number;
}
