/**
 * The Segmentation tab (IMC step 1: identify customers by what they do, then describe them): RFM
 * scores and named segments, behavioural clusters named by their R/F/M ranks and lifecycle stages per
 * customer, a segment summary, lifecycle and cluster counts, a demographic profile of each segment
 * (behaviour first, then demographics), charts and the provenance of every number.
 *
 * The numbers are exactly those of the custom functions on the same orders: IMC.RFM (monetary = the
 * total of order values), IMC.CLUSTER on the RFM table's recency, frequency and monetary columns (a
 * revenue below 0, which IMC.CLUSTER refuses, is clustered as 0 here and counted), IMC.LIFECYCLE.
 *
 * Layout (the per-customer table can have 20,000 rows, so everything a reader looks at first sits
 * above it): title and subtitle (frozen, with column A: segment names and customer ids); the segment
 * summary with two charts to its right; lifecycle stages and clusters with two more charts; the
 * demographic profiles; the provenance block; then the per-customer Excel table. The summaries count
 * and add up the per-customer table with COUNTIF / SUMIF / AVERAGEIF, so they are live formulas that
 * carry the engine's numbers.
 *
 * Personal data: columns of the customer table marked `pii` are written only when masking is asked
 * for, and then masked (hash, partial or redact); without masking they are left out (the customer id
 * is enough to look a customer up in the source sheet). Customer ids that are themselves email
 * addresses or phone numbers are masked too when masking is on.
 */

import { isBlankCell, toText, alignRows, formatSerial } from "../engine/data";
import { EngineError, invalidCell, isEngineError } from "../engine/errors";
import { createMasker, isEmail, isPhone, type Masker, type MaskMode } from "../engine/privacy/mask";
import {
  ALL_CUSTOMERS,
  behaviouralClusters,
  crossTab,
  DEFAULT_CANDIDATE_COUNTS,
  DEFAULT_CLUSTER_SEED,
  DEFAULT_LIFECYCLE_THRESHOLDS,
  LIFECYCLE_STAGES,
  lifecycleStages,
  rfmClusterNames,
  rfmScores,
  RFM_SEGMENT_NAMES,
  type BehaviouralClusters,
  type LifecycleThresholds,
} from "../engine/segmentation";
import { absolute, CHART_SIZE, FORMAT, formatCount, idCell, tableColumn, tableName, transactionsOf, uniqueHeader } from "./format";
import type { CustomersInput, OrdersInput } from "./inputs";
import {
  a1,
  type Block,
  type Cell,
  type CellValue,
  type ChartSpec,
  type ConditionalFormat,
  type Provenance,
  provenanceBlock,
  type RangeRef,
  type ReportContext,
  type ReportSheet,
  type TableBlock,
} from "./sheet";

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

export interface SegmentationReport {
  readonly sheet: ReportSheet;
  /** RFM named segment per customer id (the engine's id text: trimmed, numbers as displayed). */
  readonly segmentByCustomer: ReadonlyMap<string, string>;
  /** Lifecycle stage per customer id. */
  readonly lifecycleByCustomer: ReadonlyMap<string, string>;
}

/** Arguments named in messages about the customer table. */
const CUSTOMER_ID_ARGUMENT = "customers.customer_ids";

/** Customer-table columns as they appear in the tab, one cell per kept (ordering) customer. */
interface CustomerColumns {
  readonly pii: { readonly header: string; readonly cells: CellValue[] }[];
  readonly demographics: { readonly header: string; readonly cells: CellValue[] }[];
  /** Headers not written (PII without masking, columns that are neither PII nor demographic). */
  readonly leftOut: string[];
  /** Ordering customers without a row in the customer table. */
  readonly unmatched: number;
  /** Customer-table rows whose customer has no order up to as_of. */
  readonly withoutOrders: number;
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
  const pii: { header: string; cells: CellValue[] }[] = [];
  const demographics: { header: string; cells: CellValue[] }[] = [];
  const leftOut: string[] = [];
  for (const column of customers.columns) {
    const argument = argumentOf(column.header);
    if (column.pii && masker === null) {
      leftOut.push(column.header);
      continue;
    }
    if (!column.pii && !column.demographic) {
      leftOut.push(column.header);
      continue;
    }
    const cells = new Array<CellValue>(n);
    for (let c = 0; c < n; c++) {
      const r = sourceRow[c];
      const value = r < 0 ? null : plainCell(column.values[r], argument, r + 1);
      // PII is masked as text (a phone number stored as a number is still a phone number).
      cells[c] = column.pii && value !== null && masker !== null ? masker.mask(toText(value, argument, r + 1)) : value;
    }
    (column.pii ? pii : demographics).push({ header: column.header, cells });
  }
  return { pii, demographics, leftOut, unmatched, withoutOrders: rowCount - matched.size };
}

/** Decimal text with a fixed number of digits, for provenance. */
function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

/**
 * Builds the Segmentation tab from an order list and, optionally, a customer table.
 *
 * @param orders order rows (customer id, date, value; refunds negative).
 * @param customers customer attributes (PII to mask, demographics to profile by), or null.
 * @param options as_of, clusters, seed, lifecycle thresholds, masking, CLV per customer.
 * @param context generation time for the provenance.
 * @returns the sheet, and the RFM segment and lifecycle stage of every customer (for other tabs).
 * @throws EngineError INVALID_INPUT naming the argument and row for bad orders (text in dates,
 *   mismatched lengths, blank ids) or customer rows, bad options (clusters, seed, thresholds, mask);
 *   INSUFFICIENT_DATA when there are no orders up to as_of or too few distinct customers to cluster;
 *   NOT_CONVERGED when k-means did not settle.
 */
export function buildSegmentationTab(
  orders: OrdersInput,
  customers: CustomersInput | null,
  options: SegmentationOptions,
  context: ReportContext,
): SegmentationReport {
  const transactions = transactionsOf(orders);
  const asOfOption = options.asOf ?? null;
  const thresholds = options.lifecycleThresholds ?? DEFAULT_LIFECYCLE_THRESHOLDS;
  const rfm = rfmScores(transactions, { asOf: asOfOption, monetary: "sum" });
  const life = lifecycleStages(transactions, asOfOption, thresholds);
  const n = rfm.customerIds.length;
  if (life.customerIds.length !== n || life.customerIds.some((id, c) => id !== rfm.customerIds[c])) {
    throw new Error("buildSegmentationTab: RFM and lifecycle stages list different customers (a bug)");
  }

  // IMC.CLUSTER on the RFM table's recency, frequency and monetary columns; a negative revenue
  // (refunds above purchases) cannot be log-compressed, so it is clustered as 0 and counted.
  const features = new Float64Array(n * 3);
  let negativeRevenue = 0;
  for (let c = 0; c < n; c++) {
    features[c * 3] = rfm.recencyDays[c];
    features[c * 3 + 1] = rfm.frequency[c];
    features[c * 3 + 2] = Math.max(0, rfm.monetary[c]);
    if (rfm.monetary[c] < 0) negativeRevenue++;
  }
  const clusterCountOption = options.clusterCount ?? null;
  const seed = options.seed ?? DEFAULT_CLUSTER_SEED;
  // Too few distinct customers to cluster (one customer, or everyone alike): one group, said so.
  let clusters: BehaviouralClusters;
  let clusterFallback: string | null = null;
  try {
    clusters = behaviouralClusters({ rows: n, columns: 3, values: features }, { clusterCount: clusterCountOption, seed });
  } catch (error) {
    if (clusterCountOption !== null || !isEngineError(error, "INSUFFICIENT_DATA")) throw error;
    clusters = oneGroup(n, features);
    clusterFallback = `${formatCount(n)} customer${n === 1 ? "" : "s"} with too few distinct recency, order and revenue values to form clusters: every customer is in one group`;
  }
  if (!clusters.converged) {
    throw new EngineError(
      "NOT_CONVERGED",
      `clusters: k-means did not settle within ${clusters.iterations} iterations; try another seed or fewer clusters`,
      { argument: "clusters" },
    );
  }
  const clusterNames = clusterFallback === null ? rfmClusterNames(clusters.centroids, 3, { recency: 0, frequency: 1, monetary: 2 }) : ["All customers"];

  const masker = options.mask === null || options.mask === undefined ? null : createMasker(options.mask, options.maskSalt ?? null);
  const attributes = readCustomerColumns(customers, rfm.customerIds, masker);
  const clvByCustomer = options.clvByCustomer ?? null;

  // Segments present, in the order of the RFM map.
  const segmentSizes = new Map<string, number>();
  for (const segment of rfm.segment) segmentSizes.set(segment, (segmentSizes.get(segment) ?? 0) + 1);
  const segments = RFM_SEGMENT_NAMES.filter((name) => segmentSizes.has(name));

  // ---- Per-customer table (written last, but its place is needed by the summaries' formulas).
  const customerHeaders: string[] = [];
  const takenHeaders = new Set<string>();
  const addHeader = (header: string): number => customerHeaders.push(uniqueHeader(header, takenHeaders)) - 1;
  addHeader("Customer");
  const RECENCY = addHeader("Recency (days)");
  const FREQUENCY = addHeader("Frequency");
  const MONETARY = addHeader("Monetary");
  addHeader("R");
  addHeader("F");
  addHeader("M");
  addHeader("RFM");
  const SEGMENT = addHeader("Segment");
  const CLUSTER = addHeader("Cluster");
  addHeader("Cluster profile");
  const STAGE = addHeader("Lifecycle stage");
  const CLV = clvByCustomer === null ? -1 : addHeader("CLV");
  for (const column of attributes.pii) addHeader(column.header);
  for (const column of attributes.demographics) addHeader(column.header);

  let maskedIds = 0;
  let missingClv = 0;
  const customerRows: Cell[][] = new Array(n);
  const segmentByCustomer = new Map<string, string>();
  const lifecycleByCustomer = new Map<string, string>();
  const clvOf = new Float64Array(n).fill(NaN);
  for (let c = 0; c < n; c++) {
    const id = rfm.customerIds[c];
    segmentByCustomer.set(id, rfm.segment[c]);
    lifecycleByCustomer.set(id, life.stage[c]);
    let idValue: CellValue = idCell(id);
    if (masker !== null && (isEmail(id) || isPhone(id))) {
      idValue = masker.mask(id);
      maskedIds++;
    }
    const row: Cell[] = [
      idValue,
      rfm.recencyDays[c],
      rfm.frequency[c],
      rfm.monetary[c],
      rfm.r[c],
      rfm.f[c],
      rfm.m[c],
      rfm.code[c],
      rfm.segment[c],
      clusters.cluster[c],
      clusterNames[clusters.cluster[c] - 1],
      life.stage[c],
    ];
    if (clvByCustomer !== null) {
      const clv = clvByCustomer.get(id);
      if (clv === undefined || !Number.isFinite(clv)) {
        missingClv++;
        row.push(null);
      } else {
        clvOf[c] = clv;
        row.push(clv);
      }
    }
    for (const column of attributes.pii) row.push(column.cells[c]);
    for (const column of attributes.demographics) row.push(column.cells[c]);
    customerRows[c] = row;
  }
  const customerFormats: (string | null)[] = customerHeaders.map(() => null);
  customerFormats[RECENCY] = FORMAT.integer;
  customerFormats[FREQUENCY] = FORMAT.integer;
  customerFormats[MONETARY] = FORMAT.money;
  if (CLV >= 0) customerFormats[CLV] = FORMAT.money;

  // ---- Provenance (its height fixes where the per-customer table starts).
  const asOfText = formatSerial(Math.floor(rfm.asOf));
  const asOfDay = Math.floor(rfm.asOf);
  let refundRows = 0;
  for (let i = 0; i < transactions.rowCount; i++) {
    if (transactions.orderValues![i] < 0 && Math.floor(transactions.orderDates[i]) <= asOfDay) refundRows++;
  }
  const chosen =
    clusterFallback !== null
      ? `1 (${clusterFallback})`
      : clusterCountOption === null
      ? `${clusters.clusterCount}, chosen by the best mean silhouette among ${DEFAULT_CANDIDATE_COUNTS[0]}–${DEFAULT_CANDIDATE_COUNTS[DEFAULT_CANDIDATE_COUNTS.length - 1]} (${clusters.silhouetteByCount
          .map((s) => `${s.clusterCount}: ${fixed(s.silhouette, 3)}`)
          .join(", ")})`
      : `${clusters.clusterCount}, as given`;
  const sources = [orders.source];
  if (customers !== null) sources.push(customers.source);
  const notes: string[] = [
    `${formatCount(transactions.rowCount)} order rows read; ${formatCount(rfm.excludedOrders)} dated after as of left out; ${formatCount(rfm.excludedCustomers)} customers whose orders are all after as of left out.`,
    `${formatCount(refundRows)} order rows with a negative value (refunds) up to as of count as orders and reduce Monetary (revenue).`,
  ];
  if (negativeRevenue > 0) notes.push(`${formatCount(negativeRevenue)} customers with revenue below 0 are clustered as revenue 0 (the cluster features are log-compressed).`);
  if (clusters.constantColumns.length > 0) {
    const names = ["recency", "frequency", "monetary"];
    notes.push(`Cluster features with one value for every customer, left out of the distances: ${clusters.constantColumns.map((c) => names[c]).join(", ")}.`);
  }
  if (customers === null) notes.push("No customer table given: no demographic profile and no personal data columns.");
  else {
    notes.push(`${formatCount(attributes.unmatched)} customers with orders have no row in the customer table (their demographics show as "(blank)").`);
    notes.push(`${formatCount(attributes.withoutOrders)} rows of the customer table have no order up to as of and are not in this tab.`);
    if (attributes.leftOut.length > 0) {
      notes.push(`Customer table columns left out: ${attributes.leftOut.join(", ")}${masker === null ? " (personal data is written only when masking is asked for)" : ""}.`);
    }
  }
  if (maskedIds > 0) notes.push(`${formatCount(maskedIds)} customer ids that are email addresses or phone numbers are masked too.`);
  if (clvByCustomer !== null) notes.push(`${formatCount(missingClv)} customers have no CLV from the Customer Value tab (left blank, not in the averages).`);
  notes.push(...(context.notes ?? []));
  const provenance: Provenance = {
    sources,
    options: [
      { label: "As of", value: asOfText },
      { label: "Monetary", value: "total of the order values up to as of (refunds reduce it)" },
      { label: "RFM scores", value: "quintiles 1–5 of days since the last order (5 = most recent), orders and revenue; segments from the 11-segment RFM map" },
      { label: "Lifecycle thresholds (days)", value: `new ≤ ${thresholds.newDays}, active ≤ ${thresholds.activeDays}, at risk ≤ ${thresholds.atRiskDays}, lapsed beyond` },
      { label: "Clusters", value: chosen },
      { label: "Cluster silhouette", value: clusterFallback !== null ? "none (one group)" : `${fixed(clusters.silhouette, 3)} (mean, on ${formatCount(clusters.sampleSize)} customers)` },
      { label: "Cluster seed", value: String(seed) },
      { label: "Cluster features", value: "recency days, orders, revenue; log(1 + x), standardised; k-means++ with 10 restarts" },
      {
        label: "Personal data",
        value:
          customers === null
            ? "no customer table given"
            : masker === null
              ? "left out (not masked)"
              : `masked: ${masker.mode}${masker.mode === "hash" ? (options.maskSalt ? " with a secret salt" : " without a salt") : ""}`,
      },
      { label: "CLV", value: clvByCustomer === null ? "not given" : "from the Customer Value tab" },
    ],
    generatedAt: context.generatedAt,
    notes,
  };

  // ---- Layout of everything above the per-customer table.
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  const conditionalFormats: ConditionalFormat[] = [];
  const tableNames = new Set<string>();
  const customersName = tableName("SegmentCustomers", tableNames);
  const summaryName = tableName("SegmentSummary", tableNames);
  const lifecycleName = tableName("LifecycleStages", tableNames);
  const clusterName = tableName("SegmentClusters", tableNames);

  const k = clusters.clusterCount;
  const hasClv = clvByCustomer !== null;
  const summaryHeight = 1 + 1 + segments.length + 1; // heading, header, rows, totals
  const lifecycleHeight = 1 + 1 + LIFECYCLE_STAGES.length + 1;
  const clusterHeight = 1 + 1 + k + 1;
  const CHART_COLUMN = 8; // column I: the widest summary (clusters) covers A..G
  const sectionA = 3;
  const sectionB = sectionA + Math.max(summaryHeight, CHART_SIZE.rows) + 1;
  const sectionC = sectionB + Math.max(lifecycleHeight + 1 + clusterHeight, CHART_SIZE.rows) + 1;
  const profileColumns = attributes.demographics;
  const profileHeight = profileColumns.length === 0 ? 2 : 1 + profileColumns.reduce((sum) => sum + 1 + segments.length + 1 + 1, 0);
  const provenanceRow = sectionC + profileHeight + 1;
  const provenanceCells = provenanceBlock(provenance, provenanceRow, 0);
  const customerHeadingRow = provenanceRow + provenanceCells.values.length + 1;
  const customerTable: TableBlock = {
    kind: "table",
    name: customersName,
    row: customerHeadingRow + 1,
    column: 0,
    headers: customerHeaders,
    rows: customerRows,
    numberFormats: customerFormats,
  };
  const customerColumn = (column: number): string => absolute(tableColumn(customerTable, column));
  const segmentRange = customerColumn(SEGMENT);

  // Title.
  blocks.push({ kind: "cells", row: 0, column: 0, values: [["Customer segmentation"]], style: "title" });
  blocks.push({
    kind: "cells",
    row: 1,
    column: 0,
    values: [
      [
        `RFM segments, behavioural clusters and lifecycle stages of ${formatCount(n)} customer${n === 1 ? "" : "s"} as of ${asOfText}, from ${orders.source}. Summaries first; one row per customer below (table ${customersName}).`,
      ],
    ],
    style: "subtitle",
  });

  // Section A: segment summary.
  blocks.push({ kind: "cells", row: sectionA, column: 0, values: [["Segment summary"]], style: "heading" });
  const summaryRow = sectionA + 1;
  const firstSummaryData = summaryRow + 1;
  const summaryTotalRow = firstSummaryData + segments.length;
  const summaryRows: Cell[][] = [];
  let totalRevenue = 0;
  let clvSum = 0;
  let clvCount = 0;
  segments.forEach((segment, s) => {
    const row = firstSummaryData + s;
    let count = 0;
    let revenue = 0;
    let segmentClvSum = 0;
    let segmentClvCount = 0;
    for (let c = 0; c < n; c++) {
      if (rfm.segment[c] !== segment) continue;
      count++;
      revenue += rfm.monetary[c];
      if (!Number.isNaN(clvOf[c])) {
        segmentClvSum += clvOf[c];
        segmentClvCount++;
      }
    }
    totalRevenue += revenue;
    clvSum += segmentClvSum;
    clvCount += segmentClvCount;
    const cells: Cell[] = [
      segment,
      { formula: `COUNTIF(${segmentRange},${a1(row, 0)})`, value: count },
      { formula: `${a1(row, 1)}/${a1(summaryTotalRow, 1, true)}`, value: count / n },
      { formula: `SUMIF(${segmentRange},${a1(row, 0)},${customerColumn(MONETARY)})`, value: revenue },
      { formula: `${a1(row, 3)}/${a1(row, 1)}`, value: revenue / count },
    ];
    if (hasClv) {
      cells.push({
        formula: `IFERROR(AVERAGEIF(${segmentRange},${a1(row, 0)},${customerColumn(CLV)}),"")`,
        value: segmentClvCount > 0 ? segmentClvSum / segmentClvCount : "",
      });
    }
    summaryRows.push(cells);
  });
  const dataRange = (column: number): string => `${a1(firstSummaryData, column)}:${a1(summaryTotalRow - 1, column)}`;
  const summaryTotals: Cell[] = [
    "All customers",
    { formula: `SUM(${dataRange(1)})`, value: n },
    { formula: `SUM(${dataRange(2)})`, value: 1 },
    { formula: `SUM(${dataRange(3)})`, value: totalRevenue },
    { formula: `${a1(summaryTotalRow, 3)}/${a1(summaryTotalRow, 1)}`, value: totalRevenue / n },
  ];
  if (hasClv) {
    summaryTotals.push({ formula: `IFERROR(AVERAGE(${customerColumn(CLV)}),"")`, value: clvCount > 0 ? clvSum / clvCount : "" });
  }
  const summaryTable: TableBlock = {
    kind: "table",
    name: summaryName,
    row: summaryRow,
    column: 0,
    headers: ["Segment", "Customers", "Share of customers", "Revenue", "Average value per customer", ...(hasClv ? ["Average CLV"] : [])],
    rows: summaryRows,
    numberFormats: [null, FORMAT.integer, FORMAT.percent, FORMAT.money, FORMAT.money, ...(hasClv ? [FORMAT.money] : [])],
    totals: summaryTotals,
  };
  blocks.push(summaryTable);
  const summaryColumn = (column: number): RangeRef => tableColumn(summaryTable, column);
  conditionalFormats.push({ range: summaryColumn(3), rule: { kind: "dataBar", color: "5B9BD5" } });
  charts.push({
    type: "bar",
    title: "Customers per segment",
    categories: summaryColumn(0),
    series: [{ name: "Customers", values: summaryColumn(1) }],
    valueFormat: FORMAT.integer,
    anchor: { row: sectionA, column: CHART_COLUMN, rows: CHART_SIZE.rows, columns: CHART_SIZE.columns },
  });
  charts.push({
    type: "bar",
    title: "Revenue per segment",
    categories: summaryColumn(0),
    series: [{ name: "Revenue", values: summaryColumn(3) }],
    valueFormat: FORMAT.integer,
    anchor: { row: sectionA, column: CHART_COLUMN + CHART_SIZE.columns + 1, rows: CHART_SIZE.rows, columns: CHART_SIZE.columns },
  });

  // Section B: lifecycle stages, then clusters.
  blocks.push({ kind: "cells", row: sectionB, column: 0, values: [["Lifecycle stages"]], style: "heading" });
  const lifecycleRow = sectionB + 1;
  const lifecycleTotalRow = lifecycleRow + 1 + LIFECYCLE_STAGES.length;
  const stageRange = customerColumn(STAGE);
  const lifecycleRows: Cell[][] = LIFECYCLE_STAGES.map((stage, s) => {
    const row = lifecycleRow + 1 + s;
    let count = 0;
    for (let c = 0; c < n; c++) if (life.stage[c] === stage) count++;
    return [
      stage,
      { formula: `COUNTIF(${stageRange},${a1(row, 0)})`, value: count },
      { formula: `${a1(row, 1)}/${a1(lifecycleTotalRow, 1, true)}`, value: count / n },
    ];
  });
  const lifecycleTable: TableBlock = {
    kind: "table",
    name: lifecycleName,
    row: lifecycleRow,
    column: 0,
    headers: ["Lifecycle stage", "Customers", "Share of customers"],
    rows: lifecycleRows,
    numberFormats: [null, FORMAT.integer, FORMAT.percent],
    totals: [
      "All customers",
      { formula: `SUM(${a1(lifecycleRow + 1, 1)}:${a1(lifecycleTotalRow - 1, 1)})`, value: n },
      { formula: `SUM(${a1(lifecycleRow + 1, 2)}:${a1(lifecycleTotalRow - 1, 2)})`, value: 1 },
    ],
  };
  blocks.push(lifecycleTable);

  const clusterHeadingRow = sectionB + lifecycleHeight + 1;
  blocks.push({ kind: "cells", row: clusterHeadingRow, column: 0, values: [["Behavioural clusters (k-means on recency, frequency, revenue)"]], style: "heading" });
  const clusterRow = clusterHeadingRow + 1;
  const clusterTotalRow = clusterRow + 1 + k;
  const clusterRange = customerColumn(CLUSTER);
  const clusterRows: Cell[][] = [];
  for (let j = 0; j < k; j++) {
    const row = clusterRow + 1 + j;
    let recency = 0;
    let frequency = 0;
    let revenue = 0;
    let count = 0;
    for (let c = 0; c < n; c++) {
      if (clusters.cluster[c] !== j + 1) continue;
      count++;
      recency += rfm.recencyDays[c];
      frequency += rfm.frequency[c];
      revenue += rfm.monetary[c];
    }
    clusterRows.push([
      j + 1,
      clusterNames[j],
      { formula: `COUNTIF(${clusterRange},${a1(row, 0)})`, value: count },
      { formula: `${a1(row, 2)}/${a1(clusterTotalRow, 2, true)}`, value: count / n },
      { formula: `AVERAGEIF(${clusterRange},${a1(row, 0)},${customerColumn(RECENCY)})`, value: recency / count },
      { formula: `AVERAGEIF(${clusterRange},${a1(row, 0)},${customerColumn(FREQUENCY)})`, value: frequency / count },
      { formula: `AVERAGEIF(${clusterRange},${a1(row, 0)},${customerColumn(MONETARY)})`, value: revenue / count },
    ]);
  }
  let allRecency = 0;
  let allFrequency = 0;
  for (let c = 0; c < n; c++) {
    allRecency += rfm.recencyDays[c];
    allFrequency += rfm.frequency[c];
  }
  const clusterTable: TableBlock = {
    kind: "table",
    name: clusterName,
    row: clusterRow,
    column: 0,
    headers: ["Cluster", "Profile (R F M rank)", "Customers", "Share of customers", "Mean days since last order", "Mean orders", "Mean revenue"],
    rows: clusterRows,
    numberFormats: [FORMAT.integer, null, FORMAT.integer, FORMAT.percent, FORMAT.decimal, FORMAT.decimal, FORMAT.money],
    totals: [
      "All",
      null,
      { formula: `SUM(${a1(clusterRow + 1, 2)}:${a1(clusterTotalRow - 1, 2)})`, value: n },
      { formula: `SUM(${a1(clusterRow + 1, 3)}:${a1(clusterTotalRow - 1, 3)})`, value: 1 },
      { formula: `AVERAGE(${customerColumn(RECENCY)})`, value: allRecency / n },
      { formula: `AVERAGE(${customerColumn(FREQUENCY)})`, value: allFrequency / n },
      { formula: `AVERAGE(${customerColumn(MONETARY)})`, value: totalRevenue / n },
    ],
  };
  blocks.push(clusterTable);
  charts.push({
    type: "column",
    title: "Customers per lifecycle stage",
    categories: tableColumn(lifecycleTable, 0),
    series: [{ name: "Customers", values: tableColumn(lifecycleTable, 1) }],
    valueFormat: FORMAT.integer,
    anchor: { row: sectionB, column: CHART_COLUMN, rows: CHART_SIZE.rows, columns: CHART_SIZE.columns },
  });
  charts.push(
    hasClv
      ? {
          type: "bar",
          title: "Average CLV per segment",
          categories: summaryColumn(0),
          series: [{ name: "Average CLV", values: summaryColumn(5) }],
          valueFormat: FORMAT.integer,
          anchor: { row: sectionB, column: CHART_COLUMN + CHART_SIZE.columns + 1, rows: CHART_SIZE.rows, columns: CHART_SIZE.columns },
        }
      : {
          type: "column",
          title: "Customers per cluster",
          categories: tableColumn(clusterTable, 1),
          series: [{ name: "Customers", values: tableColumn(clusterTable, 2) }],
          valueFormat: FORMAT.integer,
          anchor: { row: sectionB, column: CHART_COLUMN + CHART_SIZE.columns + 1, rows: CHART_SIZE.rows, columns: CHART_SIZE.columns },
        },
  );

  // Section C: demographic profile of each segment.
  blocks.push({ kind: "cells", row: sectionC, column: 0, values: [["Demographic profile of each segment (share of the segment's customers)"]], style: "heading" });
  if (profileColumns.length === 0) {
    blocks.push({
      kind: "cells",
      row: sectionC + 1,
      column: 0,
      values: [[customers === null ? "No customer table given, so there are no demographics to profile the segments by." : "The customer table has no demographic columns."]],
      style: "note",
    });
  } else {
    const profile = crossTab(
      rfm.segment,
      profileColumns.map((column) => ({ name: column.header, values: column.cells })),
      segments,
    );
    let row = sectionC + 1;
    profile.columns.forEach((column) => {
      blocks.push({ kind: "cells", row, column: 0, values: [[column.name]], style: "heading" });
      const taken = new Set<string>();
      const headers = [uniqueHeader("Segment", taken), ...column.categories.map((category) => uniqueHeader(category, taken)), uniqueHeader("Customers", taken)];
      const table: TableBlock = {
        kind: "table",
        name: tableName(`Profile_${column.name}`, tableNames),
        row: row + 1,
        column: 0,
        headers,
        rows: profile.segments.map((segment, s) => [segment, ...column.shares[s], profile.sizes[s]]),
        numberFormats: [null, ...column.categories.map(() => FORMAT.percent), FORMAT.integer],
        totals: [ALL_CUSTOMERS, ...column.totalShares, profile.total],
      };
      blocks.push(table);
      conditionalFormats.push({
        range: { row: row + 2, column: 1, rowCount: profile.segments.length, columnCount: column.categories.length },
        rule: { kind: "colorScale", low: "FFFFFF", high: "63BE7B" },
      });
      row += 1 + 1 + profile.segments.length + 1 + 1;
    });
  }

  blocks.push(provenanceCells);
  blocks.push({ kind: "cells", row: customerHeadingRow, column: 0, values: [["Customers (one row per customer with an order up to as of)"]], style: "heading" });
  blocks.push(customerTable);

  const widths = customerHeaders.map((header) => Math.min(30, Math.max(12, header.length + 2)));
  widths[0] = 22;
  for (let c = widths.length; c < CHART_COLUMN; c++) widths.push(14);
  for (let c = 1; c < CHART_COLUMN; c++) widths[c] = Math.max(widths[c], 14);

  const sheet: ReportSheet = {
    name: "Segmentation",
    blocks,
    columnWidths: widths,
    freeze: { rows: 2, columns: 1 },
    conditionalFormats,
    charts,
    provenance,
  };
  return { sheet, segmentByCustomer, lifecycleByCustomer };
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
