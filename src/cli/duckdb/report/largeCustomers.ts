/**
 * The Segmentation tab's facts past the customer cap (src/reports/largeCustomerFacts.ts), computed by
 * DuckDB so that the runner holds only the customers the tab lists and a few summaries:
 *
 * 1. the per-customer facts of `customerFactsFrom` (the same SQL, in customer batches) into a TEMP
 *    table with recency, orders, revenue and the Reactivated flag;
 * 2. the quintile breaks of each measure from its exact order statistics (a GROUP BY value
 *    histogram with running counts gives the values at the engine's ranks; PERCENTILE.INC's
 *    interpolation is done here as quintileScores.ts does it), the scores by the engine's rule
 *    (1 + breaks strictly below, 3 for everyone when a measure has one value), the code, the segment
 *    of the RFM map (a join on the 125 codes) and the lifecycle stage (lifecycleStageOf as a CASE);
 * 3. the behavioural groups: the engine's k-means (`groupFeatures`) on the features of a sample of
 *    the customers fetched in customer order (all of them when they fit: then each keeps the engine's
 *    label and the groups are the in-memory ones), every other customer joining the nearest centre
 *    in the engine's standardised log space (ties: the lower cluster number);
 * 4. the summaries as GROUP BYs, revenue added in customer order (`foldedSum` on the first row) as the
 *    in-memory model adds it, and the first `maxListed` customers of the tab's table (highest revenue
 *    first, ties in order of first appearance) fetched into memory.
 */

import { EngineError } from "../../../engine/errors";
import { checkLifecycleThresholds, LIFECYCLE_STAGES, type LifecycleThresholds, RFM_SEGMENT_NAMES, rfmSegment, type RfmResult } from "../../../engine/segmentation";
import type { ClusterSums, LargeGroupTotals, LargeSegmentFacts, ListedCustomers } from "../../../reports/largeCustomerFacts";
import { groupFeatures } from "../../../reports/segmentation/model";
import { foldedSum } from "../../../sql/queries";
import { literal, type DuckDb, duckRun as run, duckNumbers as numbers, duckRows as rows } from "../connection";
import { serialOf, texts, withCustomerFactsTable, type CustomerFactsFromOptions, type CustomerFactsTable, type OrderFileSource } from "./customerFacts";

/** Customers the behavioural groups are fitted on at most, by default (IMC_REPORT_CLUSTER_SAMPLE overrides it). */
export const DEFAULT_CLUSTER_SAMPLE = 200_000;

/** Customers the behavioural groups are fitted on at most: IMC_REPORT_CLUSTER_SAMPLE when a positive whole number, else {@link DEFAULT_CLUSTER_SAMPLE}. */
export function clusterSampleSize(): number {
  const given = Number(process.env.IMC_REPORT_CLUSTER_SAMPLE);
  return Number.isSafeInteger(given) && given > 0 ? given : DEFAULT_CLUSTER_SAMPLE;
}

/** The options of {@link largeSegmentFactsFrom}. */
export interface LargeSegmentFactsOptions extends CustomerFactsFromOptions {
  /** Customers of the tab's table to fetch at most (the rows a sheet may take). */
  readonly maxListed: number;
  /** Customers the groups are fitted on at most. */
  readonly clusterSample: number;
  /** k, or null to choose it (the Segmentation tab's option). */
  readonly clusterCount: number | null;
  /** The k-means seed (the tab's option). */
  readonly seed: number;
}

/** A number as a DOUBLE literal that reads back as the same number. */
const double = (value: number): string => `CAST('${String(value)}' AS DOUBLE)`;

/** The engine's PERCENTILE.INC rank of quintile j of n values (quintileScores.ts): the lower rank and the fraction. */
function breakPosition(n: number, j: number): { low: number; fraction: number } {
  const scaled = (n - 1) * j;
  const low = Math.floor(scaled / 5);
  return { low, fraction: (scaled - low * 5) / 5 };
}

/** The tables this route makes (dropped when it ends). */
const TABLES = ["imc_seg", "imc_seg_scored", "imc_seg_labels", "imc_seg_all", "imc_seg_listed"];

/**
 * The Segmentation tab's facts from an order source, every customer in DuckDB and only the listed
 * ones in memory.
 *
 * @param db the open DuckDB the source was opened in.
 * @param source the orders, opened with `rowOrder: true`.
 * @param options as-of, lifecycle thresholds, the pattern opened, and the listed rows, cluster sample, k and seed.
 * @param display the files' name for messages.
 * @returns the facts; the tab built from them equals the in-memory tab shortened to `maxListed`-ish rows.
 * @throws EngineError as `customerFactsFrom`; as `behaviouralClusters` for the groups (NOT_CONVERGED…).
 */
export async function largeSegmentFactsFrom(db: DuckDb, source: OrderFileSource, options: LargeSegmentFactsOptions, display: string): Promise<LargeSegmentFacts> {
  checkLifecycleThresholds(options.thresholds);
  return withCustomerFactsTable(db, source, { ...options, holdoutPeriods: null }, display, (table) => largeSegmentFactsOn(db, table, options, display));
}

/**
 * {@link largeSegmentFactsFrom} on a per-customer facts table already made (shared with the Customer
 * Value facts: the same as-of date, period and thresholds; a holdout in it is not read).
 *
 * @param db the open DuckDB the table is in.
 * @param table the facts table (`withCustomerFactsTable`).
 * @param options as for {@link largeSegmentFactsFrom} (the table's as-of date and thresholds).
 * @param display the files' name for messages.
 */
export async function largeSegmentFactsOn(db: DuckDb, table: CustomerFactsTable, options: LargeSegmentFactsOptions, display: string): Promise<LargeSegmentFacts> {
  try {
    return await segmentFacts(db, table.rowCount, table.asOfDay, table.numericIds, options, display);
  } finally {
    await run(db, TABLES.map((name) => `DROP TABLE IF EXISTS ${name};`).join(" "), display);
  }
}

/** The facts of the customers in imc_customer_facts (see {@link largeSegmentFactsFrom}). */
async function segmentFacts(db: DuckDb, rowCount: number, asOfDay: number, numericIds: boolean, options: LargeSegmentFactsOptions, display: string): Promise<LargeSegmentFacts> {
  const [[customersAfter], [rowsAfter], [refundRows]] = await numbers(
    db,
    "SELECT CAST(COUNT(CASE WHEN orders IS NULL THEN 1 END) AS DOUBLE), CAST(COALESCE(SUM(rows_after), 0) AS DOUBLE), CAST(COALESCE(SUM(refund_rows), 0) AS DOUBLE) FROM imc_customer_facts",
    display,
  );
  const { n, recency, frequency, monetary } = await scoreSegments(db, asOfDay, options.thresholds, display);
  const groups = await behaviouralGroups(db, n, options, display);
  const totals = await summaries(db, groups.clusters.clusterCount, display);
  const listed = await listedCustomers(db, options.maxListed, numericIds, display);
  return {
    asOfOption: options.asOf,
    thresholds: options.thresholds,
    clusterCount: options.clusterCount,
    seed: options.seed,
    rowCount,
    asOfDay,
    ordersAfterAsOf: rowsAfter,
    customersAfterAsOf: customersAfter,
    refundRows,
    customers: n,
    breaks: { recencyDays: recency.breaks, frequency: frequency.breaks, monetary: monetary.breaks },
    listed,
    ...totals,
    clusters: { ...groups.clusters, cluster: new Int32Array(0) },
    clusterFallback: groups.clusterFallback,
    clusterSample: groups.sample,
  };
}

/** What {@link scoreSegments} found: the customers and each measure's quintiles. */
export interface ScoredSegments {
  readonly n: number;
  readonly recency: Quintiles;
  readonly frequency: Quintiles;
  readonly monetary: Quintiles;
}

/**
 * Scores every customer of imc_customer_facts with an order up to as of into the TEMP table
 * imc_seg_scored (the columns of imc_seg, then r, f, m, code, the RFM segment and the lifecycle stage),
 * by the engine's rules (see the module comment). The caller drops imc_seg and imc_seg_scored.
 *
 * @param db the open DuckDB, with imc_customer_facts.
 * @param asOfDay the as-of day (Excel serial).
 * @param thresholds the lifecycle thresholds.
 * @param display the files' name for messages.
 * @returns the customers and the quintiles.
 */
export async function scoreSegments(db: DuckDb, asOfDay: number, thresholds: LifecycleThresholds, display: string): Promise<ScoredSegments> {
  await run(
    db,
    [
      "CREATE OR REPLACE TEMP TABLE imc_seg AS",
      "SELECT customer_id, CAST(first_row AS BIGINT) AS first_row, CAST(revenue AS DOUBLE) AS revenue, CAST(COALESCE(reactivated, 0) AS INTEGER) AS reactivated,",
      `  CAST(${asOfDay} - ${serialOf("last_purchase")} AS INTEGER) AS recency_days, CAST(${asOfDay} - ${serialOf("first_purchase")} AS INTEGER) AS days_since_first,`,
      "  CAST(orders AS INTEGER) AS orders",
      "FROM imc_customer_facts WHERE orders IS NOT NULL",
    ].join("\n"),
    display,
  );
  const [[count]] = await numbers(db, "SELECT CAST(COUNT(*) AS DOUBLE) FROM imc_seg", display);
  const n = count;
  const recency = await quintiles(db, "recency_days", n, display);
  const frequency = await quintiles(db, "orders", n, display);
  const monetary = await quintiles(db, "revenue", n, display);
  const codes = RFM_SEGMENT_CODES_ALL.map(([r, f, m]) => `(${r * 100 + f * 10 + m}, ${literal(rfmSegment(r, f, m))})`).join(", ");
  const { newDays, activeDays, atRiskDays } = thresholds;
  await run(
    db,
    [
      "CREATE OR REPLACE TEMP TABLE imc_seg_scored AS",
      "WITH scored AS (",
      `  SELECT *, 6 - ${recency.score("recency_days")} AS r, ${frequency.score("orders")} AS f, ${monetary.score("revenue")} AS m FROM imc_seg`,
      ")",
      "SELECT s.*, CAST(s.r * 100 + s.f * 10 + s.m AS INTEGER) AS code, c.segment,",
      `  CASE WHEN s.days_since_first <= ${newDays} THEN 'New' WHEN s.reactivated = 1 THEN 'Reactivated' WHEN s.recency_days <= ${activeDays} THEN 'Active'`,
      `    WHEN s.recency_days <= ${atRiskDays} THEN 'At risk' ELSE 'Lapsed' END AS stage`,
      `FROM scored s JOIN (VALUES ${codes}) c(code, segment) ON c.code = s.r * 100 + s.f * 10 + s.m`,
    ].join("\n"),
    display,
  );
  return { n, recency, frequency, monetary };
}

/** Every (R, F, M) score triple 1..5. */
const RFM_SEGMENT_CODES_ALL: readonly (readonly [number, number, number])[] = (() => {
  const all: [number, number, number][] = [];
  for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) all.push([r, f, m]);
  return all;
})();

/** A measure's quintile breaks over all customers and the SQL of its score. */
export interface Quintiles {
  readonly breaks: RfmResult["breaks"]["monetary"];
  readonly score: (column: string) => string;
}

/**
 * The quintile breaks of a column of imc_seg as quintileScores computes them: the values at the
 * engine's ranks (from a histogram of the column with running counts), interpolated as PERCENTILE.INC.
 */
async function quintiles(db: DuckDb, column: string, n: number, display: string): Promise<Quintiles> {
  const [[min], [max]] = await numbers(db, `SELECT CAST(MIN(${column}) AS DOUBLE), CAST(MAX(${column}) AS DOUBLE) FROM imc_seg`, display);
  if (min === max) return { breaks: [min, min, min, min], score: () => "3" };
  const ranks = new Set<number>();
  for (let j = 1; j <= 4; j++) {
    const { low, fraction } = breakPosition(n, j);
    ranks.add(low);
    if (fraction !== 0) ranks.add(low + 1);
  }
  const [rank, value] = await numbers(
    db,
    [
      `WITH h AS (SELECT ${column} AS v, COUNT(*) AS c FROM imc_seg GROUP BY ${column}),`,
      "cum AS (SELECT v, SUM(c) OVER (ORDER BY v) - c AS first_rank, SUM(c) OVER (ORDER BY v) AS end_rank FROM h)",
      `SELECT CAST(p.rank AS DOUBLE), CAST(cum.v AS DOUBLE) FROM (VALUES ${[...ranks].map((r) => `(${r})`).join(", ")}) p(rank) JOIN cum ON cum.first_rank <= p.rank AND p.rank < cum.end_rank`,
    ].join("\n"),
    display,
  );
  const at = new Map<number, number>();
  rank.forEach((r, i) => at.set(r, value[i]));
  const found: number[] = [];
  for (let j = 1; j <= 4; j++) {
    const { low, fraction } = breakPosition(n, j);
    const a = at.get(low)!;
    const b = fraction === 0 ? a : at.get(low + 1)!;
    found.push(fraction === 0 || a === b ? a : a + fraction * (b - a));
  }
  const breaks = found as unknown as readonly [number, number, number, number];
  return { breaks, score: (x) => `(1 + ${breaks.map((b) => `CAST(${double(b)} < ${x} AS INTEGER)`).join(" + ")})` };
}

/** The features of the groups, as the in-memory model builds them. */
const FEATURES = ["CAST(recency_days AS DOUBLE)", "CAST(orders AS DOUBLE)", "GREATEST(revenue, 0)"];

/**
 * The behavioural groups: k-means on a sample (all customers when they fit), labels into
 * imc_seg_all: the engine's labels when every customer was fitted, else the nearest centre.
 */
async function behaviouralGroups(
  db: DuckDb,
  n: number,
  options: LargeSegmentFactsOptions,
  display: string,
): Promise<{ clusters: ReturnType<typeof groupFeatures>["clusters"]; clusterFallback: string | null; sample: number }> {
  const all = n <= options.clusterSample;
  const sampled = all ? "imc_seg_scored" : `(SELECT * FROM imc_seg_scored ORDER BY hash(customer_id, ${Math.trunc(options.seed)}), first_row LIMIT ${options.clusterSample})`;
  const [firstRow, ...columns] = await numbers(db, `SELECT CAST(first_row AS DOUBLE), ${FEATURES.join(", ")} FROM ${sampled} ORDER BY first_row`, display);
  const size = firstRow.length;
  const features = new Float64Array(size * 3);
  for (let i = 0; i < size; i++) for (let j = 0; j < 3; j++) features[i * 3 + j] = columns[j][i];
  const { clusters, clusterFallback } = groupFeatures(features, size, options.clusterCount, options.seed, n);
  if (clusterFallback !== null) {
    await run(db, "CREATE OR REPLACE TEMP TABLE imc_seg_all AS SELECT *, 1 AS cluster FROM imc_seg_scored", display);
  } else if (all) {
    // Every customer was fitted: each keeps the engine's label (joined back on its first row).
    await run(db, "CREATE OR REPLACE TEMP TABLE imc_seg_labels (first_row BIGINT, cluster INTEGER)", display);
    const chunk = 20_000;
    for (let start = 0; start < size; start += chunk) {
      const values: string[] = [];
      for (let i = start; i < Math.min(size, start + chunk); i++) values.push(`(${firstRow[i]}, ${clusters.cluster[i]})`);
      await run(db, `INSERT INTO imc_seg_labels VALUES ${values.join(", ")}`, display);
    }
    await run(db, "CREATE OR REPLACE TEMP TABLE imc_seg_all AS SELECT s.*, l.cluster FROM imc_seg_scored s JOIN imc_seg_labels l ON l.first_row = s.first_row", display);
  } else {
    await run(db, `CREATE OR REPLACE TEMP TABLE imc_seg_all AS SELECT *, ${nearestCentre(features, size, clusters)} AS cluster FROM imc_seg_scored`, display);
  }
  return { clusters, clusterFallback, sample: size };
}

/**
 * The SQL of the nearest centre of a customer in the engine's space: log(1 + x) standardised by the
 * fitted rows' mean and population standard deviation, constant columns left out; the centres are
 * the fitted clusters' means there; ties go to the lower cluster number.
 */
function nearestCentre(features: Float64Array, size: number, clusters: ReturnType<typeof groupFeatures>["clusters"]): string {
  const k = clusters.clusterCount;
  const used = clusters.usedColumns;
  const mean = [0, 0, 0];
  const sd = [0, 0, 0];
  for (const j of used) {
    for (let i = 0; i < size; i++) mean[j] += Math.log1p(features[i * 3 + j]);
    mean[j] /= size;
    for (let i = 0; i < size; i++) sd[j] += (Math.log1p(features[i * 3 + j]) - mean[j]) ** 2;
    sd[j] = Math.sqrt(sd[j] / size);
  }
  const centres = Array.from({ length: k }, () => [0, 0, 0]);
  const members = new Array<number>(k).fill(0);
  for (let i = 0; i < size; i++) {
    const c = clusters.cluster[i] - 1;
    members[c]++;
    for (const j of used) centres[c][j] += (Math.log1p(features[i * 3 + j]) - mean[j]) / sd[j];
  }
  const distances = centres.map((centre, c) =>
    used.map((j) => `POW((LN(1 + ${FEATURES[j]}) - ${double(mean[j])}) / ${double(sd[j])} - ${double(centre[j] / Math.max(1, members[c]))}, 2)`).join(" + "),
  );
  return `CAST(list_position([${distances.join(", ")}], list_min([${distances.join(", ")}])) AS INTEGER)`;
}

/**
 * The summaries over all customers: per segment, per stage and per cluster 1..k the customers and
 * revenue (and the clusters' day and order totals), and the totals. One grouping a query: the exact
 * sums list a group's revenues, so the four groupings at once hold every customer four times (10
 * million customers ran out of DuckDB's 1 GB; one at a time they do not).
 */
async function summaries(db: DuckDb, k: number, display: string): Promise<Pick<LargeSegmentFacts, "segments" | "stages" | "totals" | "negativeRevenue" | "clusterSums">> {
  const grouped: unknown[][] = [];
  for (const by of ["segment", "stage", "cluster", null]) {
    // Which grouping a row is of, as GROUPING() says it (0 = grouped by that column), and its key.
    const key = (column: string) => (column === by ? `0, ${column}` : "1, NULL");
    const query = [
      `SELECT ${key("segment")}, ${key("stage")}, ${key("cluster")},`,
      `  CAST(COUNT(*) AS DOUBLE), ${foldedSum("first_row", "revenue")}, CAST(SUM(recency_days) AS DOUBLE), CAST(SUM(orders) AS DOUBLE),`,
      "  CAST(COUNT(CASE WHEN orders >= 2 THEN 1 END) AS DOUBLE), CAST(COUNT(CASE WHEN segment = 'Champions' AND stage IN ('At risk', 'Lapsed') THEN 1 END) AS DOUBLE),",
      "  CAST(MIN(orders) AS DOUBLE), CAST(MAX(orders) AS DOUBLE), CAST(COUNT(CASE WHEN revenue < 0 THEN 1 END) AS DOUBLE)",
      `FROM imc_seg_all${by === null ? "" : ` GROUP BY ${by}`}`,
    ].join("\n");
    grouped.push(...(await rows(db, query, display)));
  }
  const bySegment = new Map<string, LargeGroupTotals>();
  const byStage = new Map<string, LargeGroupTotals>();
  const clusterSums: ClusterSums[] = Array.from({ length: k }, () => ({ customers: 0, recency: 0, orders: 0, revenue: 0 }));
  let all: readonly number[] | null = null;
  for (const row of grouped) {
    const [noSegment, segment, noStage, stage, noCluster, cluster] = row;
    const [customers, revenue, recency, orders, ...rest] = row.slice(6).map(Number);
    if (Number(noSegment) === 0) bySegment.set(String(segment), { name: String(segment), customers, revenue });
    else if (Number(noStage) === 0) byStage.set(String(stage), { name: String(stage), customers, revenue });
    else if (Number(noCluster) === 0) {
      const c = Number(cluster);
      if (!(c >= 1 && c <= k)) throw new Error(`largeSegmentFactsFrom: cluster ${String(cluster)} outside 1..${k} (a bug)`);
      clusterSums[c - 1] = { customers, recency, orders, revenue };
    } else all = [customers, revenue, recency, orders, ...rest];
  }
  if (all === null) throw new Error("largeSegmentFactsFrom: no totals row (a bug)");
  const totalsBy = (known: ReadonlyMap<string, LargeGroupTotals>, names: readonly string[], what: string): LargeGroupTotals[] => {
    for (const name of known.keys()) if (!names.includes(name)) throw new Error(`largeSegmentFactsFrom: unknown ${what} "${name}" (a bug)`);
    return names.map((name) => known.get(name) ?? { name, customers: 0, revenue: 0 });
  };
  const [, revenue, recencyDays, orders, repeatCustomers, championsLapsing, minOrders, maxOrders, negativeRevenue] = all;
  return {
    segments: totalsBy(bySegment, RFM_SEGMENT_NAMES, "segment").filter((segment) => segment.customers > 0),
    stages: totalsBy(byStage, LIFECYCLE_STAGES, "stage"),
    totals: { revenue, recencyDays, orders, repeatCustomers, championsLapsing, minOrders, maxOrders },
    negativeRevenue,
    clusterSums,
  };
}

/** The first `maxListed` customers of the tab's table: highest revenue first (0 and −0 alike), ties in order of first appearance. */
async function listedCustomers(db: DuckDb, maxListed: number, numericIds: boolean, display: string): Promise<ListedCustomers> {
  await run(
    db,
    [
      "CREATE OR REPLACE TEMP TABLE imc_seg_listed AS SELECT row_number() OVER (ORDER BY revenue + 0.0 DESC, first_row) AS place, *",
      `FROM (SELECT * FROM imc_seg_all ORDER BY revenue + 0.0 DESC, first_row LIMIT ${Math.max(0, Math.floor(maxListed))})`,
    ].join("\n"),
    display,
  );
  const read = (column: string) => texts(db, `SELECT ${column} FROM imc_seg_listed ORDER BY place`, display);
  const customerIds = await read("customer_id");
  const segment = (await read("segment")) as unknown as RfmResult["segment"];
  const stage = await read("stage");
  const [recencyDays, orders, revenue, r, f, m, code, cluster] = await numbers(
    db,
    "SELECT recency_days, orders, revenue, r, f, m, code, cluster FROM imc_seg_listed ORDER BY place",
    display,
  );
  if (customerIds.length !== revenue.length) throw new EngineError("INSUFFICIENT_DATA", "the listed customers changed while they were read", { argument: "orders" });
  return {
    customerIds,
    numericIds: new Uint8Array(customerIds.length).fill(numericIds ? 1 : 0),
    recencyDays: Int32Array.from(recencyDays),
    orders: Int32Array.from(orders),
    revenue,
    r: Uint8Array.from(r),
    f: Uint8Array.from(f),
    m: Uint8Array.from(m),
    code: Uint16Array.from(code),
    segment,
    stage,
    cluster: Int32Array.from(cluster),
  };
}
