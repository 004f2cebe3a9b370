/**
 * The numbers behind the Segmentation tab, computed once before any cell is placed: RFM scores and
 * segments (IMC.RFM), lifecycle stages (IMC.LIFECYCLE), behavioural groups (IMC.CLUSTER on the RFM
 * table's recency, frequency and monetary columns) with descriptive names, the customer table lined
 * up with the ordering customers (personal data masked or left out), CLV per customer when given,
 * and the per-segment, per-stage and per-group totals the sections write.
 */

import { alignRows, formatSerial, isBlankCell, toText } from "../../engine/data";
import { EngineError, invalidCell, isEngineError } from "../../engine/errors";
import { createMasker, isEmail, isPhone, type Masker, type MaskMode } from "../../engine/privacy/mask";
import {
  behaviouralClusters,
  DEFAULT_CLUSTER_SEED,
  DEFAULT_LIFECYCLE_THRESHOLDS,
  checkLifecycleThresholds,
  LIFECYCLE_STAGES,
  lifecycleStageOf,
  RFM_SEGMENT_NAMES,
  rfmFromColumns,
  type BehaviouralClusters,
  type LifecycleStage,
  type LifecycleThresholds,
  type RfmResult,
} from "../../engine/segmentation";
import { clusterProfileNames } from "../../engine/segmentation/clusterProfileNames";
import { checkFactsFor, rfmMeasuresOf, sameAsOf, segmentFactsOf, type SegmentFacts } from "../customerFacts";
import type { LargeSegmentFacts, SegmentTotals } from "../largeCustomerFacts";
import { formatCount, idCell } from "../format";
import { descendingOrder } from "../rankOrder";
import type { CustomersInput, OrdersInput } from "../inputs";
import type { CellValue } from "../sheet";
import { customerFactsMissing, summarisedOf } from "../summarisedOrders";
import { readableHeader } from "./labels";

/** What the Segmentation tab is asked for. */
export interface SegmentationOptions {
  /** Excel serial; default the last order date (engine default). Later orders are left out and counted. */
  readonly asOf?: number | null;
  /** k-means clusters (2..100); null = chosen from 3..8 by the best silhouette (engine default). */
  readonly clusterCount?: number | null;
  /** k-means seed, a whole number (engine default 42). */
  readonly seed?: number;
  /** Lifecycle day thresholds (engine default 30 / 60 / 90). */
  readonly lifecycleThresholds?: LifecycleThresholds;
  /** Mask the PII columns of the customer table (hash, partial, redact); null = leave them out. */
  readonly mask?: MaskMode | null;
  /** Secret salt for `hash` masking (HMAC key); null for a plain SHA-256. */
  readonly maskSalt?: string | null;
  /** CLV per customer id (from the Customer Value tab); adds CLV columns. Keys: the engine's id text. */
  readonly clvByCustomer?: ReadonlyMap<string, number> | null;
}

/** A customer-table column as the tab writes it: a readable header, one cell per ordering customer. */
export interface AttributeColumn {
  readonly header: string;
  readonly cells: readonly CellValue[];
}

/** The customer table lined up with the ordering customers. */
export interface CustomerColumns {
  readonly pii: readonly AttributeColumn[];
  readonly demographics: readonly AttributeColumn[];
  /** Readable headers not written (personal data without masking, columns that are neither personal nor demographic). */
  readonly leftOut: readonly string[];
  /** Ordering customers without a row in the customer table. */
  readonly unmatched: number;
  /** Customer-table rows whose customer has no order up to as of. */
  readonly withoutOrders: number;
}

/** Customers and revenue of one group (a segment, a stage, a behavioural group). */
export interface GroupTotals {
  readonly name: string;
  readonly customers: number;
  readonly revenue: number;
}

/** A behavioural group: its name, cluster number and averages. */
export interface BehaviouralGroup extends GroupTotals {
  readonly cluster: number;
  readonly meanRecencyDays: number;
  readonly meanOrders: number;
}

/** The counts of the orders read that the tab's provenance states. */
export type SegmentCounts = Pick<SegmentFacts, "rowCount" | "asOfDay" | "ordersAfterAsOf" | "customersAfterAsOf" | "refundRows">;

export interface SegmentationModel {
  /** The counts of the facts the model was computed from (from the rows, or summarised out of core). */
  readonly facts: SegmentCounts;
  /** All customers with an order up to as of. */
  readonly n: number;
  /**
   * Customers whose rows the model holds (the per-customer arrays below): all `n`, or, past the
   * customer cap (facts summarised by DuckDB), the first of the detail table; the tab then lists
   * only these and is written shortened (src/reports/rowLimit.ts).
   */
  readonly listed: number;
  /** Totals over all `n` customers. */
  readonly totals: SegmentTotals;
  /** Why the customer table's profiles are not shown, or null. */
  readonly profilesLeftOut: string | null;
  readonly asOfSerial: number;
  /** RFM of the listed customers (breaks over all customers). */
  readonly rfm: RfmResult;
  /** The engine's lifecycle stage per listed customer. */
  readonly stage: readonly LifecycleStage[];
  readonly thresholds: LifecycleThresholds;
  readonly clusters: BehaviouralClusters;
  /** Why every customer is in one group (too few distinct customers), or null. */
  readonly clusterFallback: string | null;
  readonly clusterCountOption: number | null;
  readonly seed: number;
  /** Behavioural group name per customer. */
  readonly groupOf: readonly string[];
  /** Groups, highest average revenue first. */
  readonly groups: readonly BehaviouralGroup[];
  /** RFM segments present, in the order of the RFM map. */
  readonly segments: readonly GroupTotals[];
  /** Lifecycle stages in lifecycle order (all of them, empty ones too). */
  readonly stages: readonly (GroupTotals & { readonly stage: LifecycleStage })[];
  readonly totalRevenue: number;
  /** Customers with revenue below 0, clustered as 0. */
  readonly negativeRevenue: number;
  /** CLV per customer (NaN where missing), or null without CLV. */
  readonly clv: Float64Array | null;
  readonly missingClv: number;
  readonly attributes: CustomerColumns;
  readonly masker: Masker | null;
  /** The customer cell per customer (the id, masked when it is an email or phone and masking is on). */
  readonly idCells: readonly CellValue[];
  readonly maskedIds: number;
  /** Customers in the order of the detail table: highest revenue first, ties in order of first appearance. */
  readonly detailOrder: readonly number[];
}

/** Arguments named in messages about the customer table. */
const CUSTOMER_ID_ARGUMENT = "customers.customer_ids";

/**
 * The Segmentation tab's numbers.
 *
 * @throws EngineError as buildSegmentationTab documents.
 */
export function segmentationModel(orders: OrdersInput, customers: CustomersInput | null, options: SegmentationOptions): SegmentationModel {
  const asOfOption = options.asOf ?? null;
  const thresholds = options.lifecycleThresholds ?? DEFAULT_LIFECYCLE_THRESHOLDS;
  const clusterCountOption = options.clusterCount ?? null;
  const seed = options.seed ?? DEFAULT_CLUSTER_SEED;
  const large = largeFactsFor(orders, asOfOption, thresholds, clusterCountOption, seed);
  if (large !== null) return largeSegmentationModel(large, customers, options);
  const facts = segmentFactsFor(orders, asOfOption, thresholds);
  const rfm = rfmFromColumns(rfmMeasuresOf(facts));
  const n = rfm.customerIds.length;
  const stage = Array.from({ length: n }, (_, c) => lifecycleStageOf(facts.daysSinceFirst[c], facts.recencyDays[c], facts.reactivated[c] === 1, thresholds));
  const { clusters, clusterFallback, negativeRevenue } = clustersOf(rfm, clusterCountOption, seed);
  const { groups, groupOf } = behaviouralGroups(rfm, clusters, clusterFallback);
  const masker = options.mask === null || options.mask === undefined ? null : createMasker(options.mask, options.maskSalt ?? null);
  const attributes = readCustomerColumns(customers, rfm.customerIds, masker);

  const totalsBy = (names: readonly string[], of: (c: number) => string): GroupTotals[] => {
    const index = new Map(names.map((name, i) => [name, i]));
    const customersIn = new Array<number>(names.length).fill(0);
    const revenueIn = new Array<number>(names.length).fill(0);
    for (let c = 0; c < n; c++) {
      const i = index.get(of(c))!;
      customersIn[i]++;
      revenueIn[i] += rfm.monetary[c];
    }
    return names.map((name, i) => ({ name, customers: customersIn[i], revenue: revenueIn[i] }));
  };
  const segments = totalsBy(RFM_SEGMENT_NAMES, (c) => rfm.segment[c]).filter((segment) => segment.customers > 0);
  const stages = totalsBy(LIFECYCLE_STAGES, (c) => stage[c]).map((totals, s) => ({ ...totals, stage: LIFECYCLE_STAGES[s] }));
  let totalRevenue = 0;
  for (let c = 0; c < n; c++) totalRevenue += rfm.monetary[c];
  const totals = totalsOf(rfm, stage, totalRevenue);

  const clvByCustomer = options.clvByCustomer ?? null;
  let clv: Float64Array | null = null;
  let missingClv = 0;
  if (clvByCustomer !== null) {
    clv = new Float64Array(n).fill(Number.NaN);
    for (let c = 0; c < n; c++) {
      const value = clvByCustomer.get(rfm.customerIds[c]);
      if (value === undefined || !Number.isFinite(value)) missingClv++;
      else clv[c] = value;
    }
  }

  let maskedIds = 0;
  const idCells = rfm.customerIds.map((id, c): CellValue => {
    if (masker !== null && (isEmail(id) || isPhone(id))) {
      maskedIds++;
      return masker.mask(id);
    }
    // Ids as the source had them: a number where the order list holds the id as a number (lookups
    // against that column match), text where it holds text ("0509" and "1901" stay alike).
    return facts.numericIds[c] === 1 ? idCell(id) : id;
  });
  const detailOrder = descendingOrder(rfm.monetary);

  return {
    facts,
    n,
    listed: n,
    totals,
    profilesLeftOut: null,
    asOfSerial: Math.floor(rfm.asOf),
    rfm,
    stage,
    thresholds,
    clusters,
    clusterFallback,
    clusterCountOption,
    seed,
    groupOf,
    groups,
    segments,
    stages,
    totalRevenue,
    negativeRevenue,
    clv,
    missingClv,
    attributes,
    masker,
    idCells,
    maskedIds,
    detailOrder,
  };
}

/** The totals over all customers of the model's per-customer columns (all customers listed). */
function totalsOf(rfm: RfmResult, stage: readonly LifecycleStage[], revenue: number): SegmentTotals {
  const n = rfm.customerIds.length;
  let recencyDays = 0;
  let orders = 0;
  let repeatCustomers = 0;
  let championsLapsing = 0;
  let minOrders = Infinity;
  let maxOrders = -Infinity;
  for (let c = 0; c < n; c++) {
    const count = rfm.frequency[c];
    recencyDays += rfm.recencyDays[c];
    orders += count;
    if (count >= 2) repeatCustomers++;
    if (rfm.segment[c] === "Champions" && (stage[c] === "At risk" || stage[c] === "Lapsed")) championsLapsing++;
    minOrders = Math.min(minOrders, count);
    maxOrders = Math.max(maxOrders, count);
  }
  return { revenue, recencyDays, orders, repeatCustomers, championsLapsing, minOrders, maxOrders };
}

/**
 * The Segmentation model of facts summarised past the customer cap: the summaries over all
 * customers as DuckDB computed them, the per-customer columns of the listed customers only (already
 * in the detail table's order).
 */
function largeSegmentationModel(large: LargeSegmentFacts, customers: CustomersInput | null, options: SegmentationOptions): SegmentationModel {
  const { listed: rows } = large;
  const listed = rows.customerIds.length;
  const rfm: RfmResult = {
    asOf: large.asOfDay,
    excludedOrders: large.ordersAfterAsOf,
    excludedCustomers: large.customersAfterAsOf,
    customerIds: rows.customerIds,
    sourceCustomer: Int32Array.from({ length: listed }, (_, c) => c),
    recencyDays: rows.recencyDays,
    frequency: rows.orders,
    monetary: rows.revenue,
    r: rows.r,
    f: rows.f,
    m: rows.m,
    code: rows.code,
    segment: rows.segment,
    breaks: large.breaks,
  };
  const stage = rows.stage.map((name) => {
    if (!(LIFECYCLE_STAGES as readonly string[]).includes(name)) throw new Error(`segmentationModel: unknown lifecycle stage "${name}" from the summaries (a bug)`);
    return name as LifecycleStage;
  });
  const n = large.customers;
  const all = { recency: large.totals.recencyDays, orders: large.totals.orders, revenue: large.totals.revenue };
  const { groups, names } = namedGroups(large.clusterSums, all, n, large.clusterFallback);
  const masker = options.mask === null || options.mask === undefined ? null : createMasker(options.mask, options.maskSalt ?? null);
  let maskedIds = 0;
  const idCells = rows.customerIds.map((id, c): CellValue => {
    if (masker !== null && (isEmail(id) || isPhone(id))) {
      maskedIds++;
      return masker.mask(id);
    }
    return rows.numericIds[c] === 1 ? idCell(id) : id;
  });
  if ((options.clvByCustomer ?? null) !== null) throw new Error("segmentationModel: CLV per customer cannot be given past the customer cap (a bug of the caller)");
  return {
    facts: large,
    n,
    listed,
    totals: large.totals,
    profilesLeftOut:
      customers === null
        ? null
        : `the orders hold ${formatCount(n)} customers, summarised out of core: the customer table is not matched to them (no demographic profiles, no personal-data columns)`,
    asOfSerial: large.asOfDay,
    rfm,
    stage,
    thresholds: large.thresholds,
    clusters: large.clusters,
    clusterFallback: large.clusterFallback,
    clusterCountOption: large.clusterCount,
    seed: large.seed,
    groupOf: Array.from(rows.cluster, (cluster) => names[cluster - 1]),
    groups,
    segments: large.segments,
    stages: large.stages.map((totals, s) => ({ ...totals, stage: LIFECYCLE_STAGES[s] })),
    totalRevenue: large.totals.revenue,
    negativeRevenue: large.negativeRevenue,
    clv: null,
    missingClv: 0,
    // The customer table is not matched past the cap (the profiles section says so).
    attributes: { pii: [], demographics: [], leftOut: [], unmatched: 0, withoutOrders: 0 },
    masker,
    idCells,
    maskedIds,
    detailOrder: Array.from({ length: listed }, (_, c) => c),
  };
}

/**
 * The facts summarised past the customer cap, checked to be for these options, or null when the
 * orders are in memory or their per-customer facts were summarised.
 */
function largeFactsFor(orders: OrdersInput, asOf: number | null, thresholds: LifecycleThresholds, clusterCount: number | null, seed: number): LargeSegmentFacts | null {
  const summarised = summarisedOf(orders);
  const large = summarised?.largeSegments ?? null;
  if (summarised === null || summarised.customers !== null || large === null) return null;
  checkLifecycleThresholds(thresholds);
  const t = large.thresholds;
  const same =
    sameAsOf(asOf, large.asOfOption) &&
    t.newDays === thresholds.newDays &&
    t.activeDays === thresholds.activeDays &&
    t.atRiskDays === thresholds.atRiskDays &&
    large.clusterCount === clusterCount &&
    large.seed === seed;
  if (!same) throw new Error("Segmentation: the summarised customer facts were computed for other options (as of, thresholds, clusters or seed); a bug of the caller that summarised them");
  return large;
}

/**
 * The segment facts: summarised out of core when the orders are (checked to be for these options),
 * else from the rows.
 */
function segmentFactsFor(orders: OrdersInput, asOf: number | null, thresholds: LifecycleThresholds): SegmentFacts {
  const summarised = summarisedOf(orders);
  if (summarised === null) return segmentFactsOf(orders, asOf, thresholds);
  if (summarised.customers === null) throw customerFactsMissing(summarised);
  checkLifecycleThresholds(thresholds);
  checkFactsFor(summarised.customers, { asOf, thresholds }, "Segmentation");
  return summarised.customers.segments;
}

/** The as-of date as the provenance shows it (ISO). */
export function asOfIso(model: SegmentationModel): string {
  return formatSerial(model.asOfSerial);
}

/**
 * IMC.CLUSTER on the RFM table's recency, frequency and monetary columns. A negative revenue
 * (refunds above purchases) cannot be log-compressed, so it is clustered as 0 and counted; data with
 * too few distinct customers to cluster (one customer, everyone alike) is one group, said so.
 */
function clustersOf(
  rfm: RfmResult,
  clusterCount: number | null,
  seed: number,
): { clusters: BehaviouralClusters; clusterFallback: string | null; negativeRevenue: number } {
  const n = rfm.customerIds.length;
  const features = new Float64Array(n * 3);
  let negativeRevenue = 0;
  for (let c = 0; c < n; c++) {
    features[c * 3] = rfm.recencyDays[c];
    features[c * 3 + 1] = rfm.frequency[c];
    features[c * 3 + 2] = Math.max(0, rfm.monetary[c]);
    if (rfm.monetary[c] < 0) negativeRevenue++;
  }
  return { ...groupFeatures(features, n, clusterCount, seed, n), negativeRevenue };
}

/**
 * The behavioural groups of customers' features (days since the last order, orders, revenue floored
 * at 0; n × 3, row-major): the engine's k-means, or one group when there are too few distinct
 * customers and k was not given.
 *
 * @param features the features of the customers fitted on (all, or a sample of them).
 * @param n rows of `features`.
 * @param clusterCount k, or null to choose it.
 * @param seed the k-means seed.
 * @param customers all the customers the groups stand for (for the one-group message).
 * @throws EngineError as `behaviouralClusters` (but INSUFFICIENT_DATA when k is chosen); NOT_CONVERGED when k-means did not settle.
 */
export function groupFeatures(
  features: Float64Array,
  n: number,
  clusterCount: number | null,
  seed: number,
  customers: number,
): { clusters: BehaviouralClusters; clusterFallback: string | null } {
  let clusters: BehaviouralClusters;
  let clusterFallback: string | null = null;
  try {
    clusters = behaviouralClusters({ rows: n, columns: 3, values: features }, { clusterCount, seed });
  } catch (error) {
    if (clusterCount !== null || !isEngineError(error, "INSUFFICIENT_DATA")) throw error;
    clusters = oneGroup(n, features);
    clusterFallback = `${formatCount(customers)} customer${customers === 1 ? "" : "s"} with too few distinct recency, order and revenue values to form groups: every customer is in one group`;
  }
  if (!clusters.converged) {
    throw new EngineError("NOT_CONVERGED", `clusters: k-means did not settle within ${clusters.iterations} iterations; try another seed or fewer clusters`, {
      argument: "clusters",
    });
  }
  return { clusters, clusterFallback };
}

/** The behavioural groups with their names and averages, highest average revenue first. */
function behaviouralGroups(rfm: RfmResult, clusters: BehaviouralClusters, fallback: string | null): { groups: BehaviouralGroup[]; groupOf: string[] } {
  const n = rfm.customerIds.length;
  const k = clusters.clusterCount;
  const sums = Array.from({ length: k }, () => ({ customers: 0, recency: 0, orders: 0, revenue: 0 }));
  const all = { recency: 0, orders: 0, revenue: 0 };
  for (let c = 0; c < n; c++) {
    const s = sums[clusters.cluster[c] - 1];
    s.customers++;
    s.recency += rfm.recencyDays[c];
    s.orders += rfm.frequency[c];
    s.revenue += rfm.monetary[c];
    all.recency += rfm.recencyDays[c];
    all.orders += rfm.frequency[c];
    all.revenue += rfm.monetary[c];
  }
  const { groups, names } = namedGroups(sums, all, n, fallback);
  const groupOf = Array.from({ length: n }, (_, c) => names[clusters.cluster[c] - 1]);
  return { groups, groupOf };
}

/**
 * The groups named by their averages against all customers', highest average revenue first (equal
 * averages by cluster number), and the name of each cluster 1..k (index 0 = cluster 1).
 *
 * @param sums per cluster: customers and the totals of days since the last order, orders and revenue.
 * @param all the totals over all customers.
 * @param n all customers.
 * @param fallback why every customer is in one group, or null.
 */
function namedGroups(
  sums: readonly { readonly customers: number; readonly recency: number; readonly orders: number; readonly revenue: number }[],
  all: { readonly recency: number; readonly orders: number; readonly revenue: number },
  n: number,
  fallback: string | null,
): { groups: BehaviouralGroup[]; names: string[] } {
  const averages = sums.map((s) => ({ recencyDays: s.recency / s.customers, orders: s.orders / s.customers, revenue: s.revenue / s.customers }));
  const names =
    fallback === null ? clusterProfileNames(averages, { recencyDays: all.recency / n, orders: all.orders / n, revenue: all.revenue / n }) : ["All customers (one group)"];
  const groups = sums
    .map((s, j) => ({
      name: names[j],
      cluster: j + 1,
      customers: s.customers,
      revenue: s.revenue,
      meanRecencyDays: averages[j].recencyDays,
      meanOrders: averages[j].orders,
    }))
    .filter((group) => group.customers > 0)
    .sort((a, b) => b.revenue / b.customers - a.revenue / a.customers || a.cluster - b.cluster);
  return { groups, names };
}

/** Every customer in one group, for data too thin to cluster (the tab keeps its layout). */
function oneGroup(n: number, features: Float64Array): BehaviouralClusters {
  const means = new Float64Array(3);
  for (let c = 0; c < n; c++) for (let j = 0; j < 3; j++) means[j] += features[c * 3 + j] / n;
  return {
    clusterCount: 1,
    cluster: new Int32Array(n).fill(1),
    sizes: Int32Array.of(n),
    centroids: Float64Array.from(means),
    means,
    columns: 3,
    usedColumns: [],
    constantColumns: [],
    silhouette: Number.NaN,
    silhouetteByCount: [],
    sampleSize: n,
    inertia: 0,
    iterations: 0,
    converged: true,
  };
}

/** A cell of the customer table as written in the tab: blanks null, numbers and booleans as they are, anything else as text. */
function plainCell(value: unknown, argument: string, row: number): CellValue {
  if (isBlankCell(value)) return null;
  if (typeof value === "number" || typeof value === "boolean") return value;
  return toText(value, argument, row);
}

/**
 * Reads the customer table and lines its columns up with the ordering customers.
 *
 * @throws EngineError INVALID_INPUT naming the argument (`customers.customer_ids` or
 *   `customers.<header>`) and row for mismatched lengths, blank or repeated ids and unreadable cells.
 */
function readCustomerColumns(customers: CustomersInput | null, customerIds: readonly string[], masker: Masker | null): CustomerColumns {
  const n = customerIds.length;
  if (customers === null) return { pii: [], demographics: [], leftOut: [], unmatched: n, withoutOrders: 0 };
  const argumentOf = (header: string): string => `customers.${header}`;
  const rowCount = alignRows([
    { argument: CUSTOMER_ID_ARGUMENT, values: customers.customerIds },
    ...customers.columns.map((column) => ({ argument: argumentOf(column.header), values: column.values })),
  ]);
  const rowOf = new Map<string, number>();
  for (let r = 0; r < rowCount; r++) {
    const id = toText(customers.customerIds[r], CUSTOMER_ID_ARGUMENT, r + 1);
    const first = rowOf.get(id);
    if (first !== undefined) throw invalidCell(CUSTOMER_ID_ARGUMENT, r + 1, `"${id}" appears twice (first at row ${first + 1}); each customer needs one row`);
    rowOf.set(id, r);
  }
  const sourceRow = new Int32Array(n);
  let unmatched = 0;
  const matched = new Set<number>();
  for (let c = 0; c < n; c++) {
    const row = rowOf.get(customerIds[c]);
    sourceRow[c] = row ?? -1;
    if (row === undefined) unmatched++;
    else matched.add(row);
  }
  const pii: AttributeColumn[] = [];
  const demographics: AttributeColumn[] = [];
  const leftOut: string[] = [];
  for (const column of customers.columns) {
    const argument = argumentOf(column.header);
    const header = readableHeader(column.header);
    if ((column.pii && masker === null) || (!column.pii && !column.demographic)) {
      leftOut.push(header);
      continue;
    }
    const cells = new Array<CellValue>(n);
    for (let c = 0; c < n; c++) {
      const r = sourceRow[c];
      const value = r < 0 ? null : plainCell(column.values[r], argument, r + 1);
      // Personal data is masked as text (a phone number stored as a number is still a phone number).
      cells[c] = column.pii && value !== null && masker !== null ? masker.mask(toText(value, argument, r + 1)) : value;
    }
    (column.pii ? pii : demographics).push({ header, cells });
  }
  return { pii, demographics, leftOut, unmatched, withoutOrders: rowCount - matched.size };
}
