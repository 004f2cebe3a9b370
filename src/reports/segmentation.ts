/**
 * The Segmentation tab (IMC step 1: identify customers by what they do, then describe them): RFM
 * scores and named segments with a recommended action each, lifecycle stages named by their rule,
 * behavioural groups named by their averages, the demographic profile of each segment (behaviour
 * first, then demographics), and one row per customer.
 *
 * The numbers are exactly those of the custom functions on the same orders: IMC.RFM (monetary = the
 * total of order values), IMC.CLUSTER on the RFM table's recency, frequency and monetary columns (a
 * revenue below 0, which IMC.CLUSTER refuses, is clustered as 0 here and counted), IMC.LIFECYCLE.
 *
 * One vocabulary: scores run 1–5 with 5 the best everywhere (5 = most recent); RFM segments keep the
 * 11-segment map's names, lifecycle stages have words of their own that say their rule ("Lapsing:
 * last order 61–90 days ago", not a second "At risk"), and behavioural groups are named by their
 * averages ("Recent frequent big spenders"), not numbered.
 *
 * The tab is a list of sections (src/reports/segmentation/sections.ts) placed by the shared layout
 * (src/reports/layout.ts). The summaries count and add up the per-customer table with COUNTIF /
 * SUMIF / AVERAGEIF; it is placed last, so their rows are reserved first and filled once its place
 * is known.
 *
 * Personal data: columns of the customer table marked `pii` are written only when masking is asked
 * for, and then masked (hash, partial or redact); without masking they are left out (the customer id
 * is enough to look a customer up in the source sheet). Customer ids that are themselves email
 * addresses or phone numbers are masked too when masking is on.
 */

import { DEFAULT_CANDIDATE_COUNTS } from "../engine/segmentation";
import { SEGMENT_ACTIONS_SOURCE } from "../engine/segmentation/segmentActions";
import { formatCount } from "./format";
import type { CustomersInput, OrdersInput } from "./inputs";
import { headlineSection, TabLayout, titleSection, warningsSection } from "./layout";
import { cellValue, tableNamed, type Block, type Provenance, type ReportContext, type ReportSheet } from "./sheet";
import type { Figure } from "./tabBuild";
import { labelledFigure, present, tableFigure } from "./tabFigures";
import { customersText, dateText, STAGE_NAMES, stageRule } from "./segmentation/labels";
import { asOfIso, segmentationModel, type SegmentationModel, type SegmentationOptions } from "./segmentation/model";
import {
  demographicsSection,
  detailColumns,
  detailRefs,
  detailSection,
  detailTableRow,
  groupsRows,
  groupsSection,
  headlineItems,
  headlineRows,
  lifecycleRows,
  REPEAT_LABEL,
  lifecycleSection,
  segmentActionsSection,
  segmentationWarnings,
  segmentSummaryRows,
  segmentSummarySection,
} from "./segmentation/sections";

export type { SegmentationOptions } from "./segmentation/model";

export interface SegmentationReport {
  readonly sheet: ReportSheet;
  /** The tab's headline numbers for the Scorecard; see {@link segmentationFigures}. */
  readonly figures: readonly Figure[];
  /** RFM named segment per customer id (the engine's id text: trimmed, numbers as displayed); null past the customer cap (only the listed customers are in memory). */
  readonly segmentByCustomer: ReadonlyMap<string, string> | null;
  /** Lifecycle stage per customer id, as the engine (IMC.LIFECYCLE) names it (the tab shows STAGE_NAMES of it); null past the customer cap. */
  readonly lifecycleByCustomer: ReadonlyMap<string, string> | null;
}

/**
 * Builds the Segmentation tab from an order list and, optionally, a customer table.
 *
 * @param orders order rows (customer id, date, value; refunds negative).
 * @param customers customer attributes (PII to mask, demographics to profile by), or null.
 * @param options as_of, clusters, seed, lifecycle thresholds, masking, CLV per customer.
 * @param context generation time, notes and currency.
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
  const model = segmentationModel(orders, customers, options);
  const { currency } = context;
  const columns = detailColumns(model, currency);
  const asOf = dateText(model.asOfSerial);

  const tab = new TabLayout();
  tab.add(titleSection("Customer segmentation", subtitle(model, orders.source, asOf, currency)));
  const headline = tab.reserve(headlineRows(model));
  tab.add(warningsSection(segmentationWarnings(model)));
  const summary = tab.reserve(segmentSummaryRows(model));
  tab.add(segmentActionsSection(model));
  const lifecycle = tab.reserve(lifecycleRows(model));
  const groups = tab.reserve(groupsRows(model));
  tab.add(demographicsSection(model, customers !== null));
  const detail = tab.add(detailSection(model, columns, asOf));

  const refs = detailRefs(detailTableRow(detail), columns, model.n);
  tab.fill(headline, headlineRows(model), headlineSection(headlineItems(model, refs, currency)));
  tab.fill(summary, segmentSummaryRows(model), segmentSummarySection(model, refs, currency));
  tab.fill(lifecycle, lifecycleRows(model), lifecycleSection(model, refs, currency));
  tab.fill(groups, groupsRows(model), groupsSection(model, refs, currency));

  const provenance = provenanceOf(model, orders, customers, options, context);
  const draft = tab.sheet({ name: "Segmentation", columnWidths: [], freeze: { rows: 2, columns: 1 }, provenance });
  const sheet: ReportSheet = { ...draft, columnWidths: columnWidthsOf(draft.blocks) };

  // Past the customer cap only the listed customers are in memory: no per-customer maps (they would be partial).
  if (model.listed < model.n) return { sheet, figures: segmentationFigures(sheet), segmentByCustomer: null, lifecycleByCustomer: null };
  const segmentByCustomer = new Map<string, string>();
  const lifecycleByCustomer = new Map<string, string>();
  model.rfm.customerIds.forEach((id, c) => {
    segmentByCustomer.set(id, model.rfm.segment[c]);
    lifecycleByCustomer.set(id, model.stage[c]);
  });
  return { sheet, figures: segmentationFigures(sheet), segmentByCustomer, lifecycleByCustomer };
}

/**
 * The Segmentation tab's figures, each the cell that shows it:
 * - `segmentation.customers`: customers segmented (headline);
 * - `segmentation.repeatRate`: share of customers with 2+ orders (headline);
 * - `segmentation.revenue`: revenue of all customers up to as of (segment summary, totals row);
 * - `segmentation.championsShare`: share of customers who are Champions (segment summary);
 * - `segmentation.championsRevenueShare`: share of revenue from Champions (segment summary);
 * - `segmentation.averageClv.<segment>` (e.g. `segmentation.averageClv.Champions`): average CLV of
 *   the customers of each RFM segment, when the Customer Value tab gave CLV (segment summary).
 * A figure is left out when the tab does not show it (no Champions, no CLV).
 */
export function segmentationFigures(sheet: ReportSheet): Figure[] {
  const summary = tableNamed(sheet, "SegmentSummary");
  const segments = summary === undefined ? [] : summary.rows.map((row) => String(cellValue(row[0])));
  return present([
    labelledFigure(sheet, "Customers segmented", { key: "segmentation.customers", label: "Customers" }),
    labelledFigure(sheet, REPEAT_LABEL, { key: "segmentation.repeatRate", label: "Repeat customers (2+ orders)" }),
    tableFigure(sheet, "SegmentSummary", "totals", "Revenue", { key: "segmentation.revenue", label: "Revenue up to as of" }),
    tableFigure(sheet, "SegmentSummary", "Champions", "Share of customers", { key: "segmentation.championsShare", label: "Champions: share of customers" }),
    tableFigure(sheet, "SegmentSummary", "Champions", "Share of revenue", { key: "segmentation.championsRevenueShare", label: "Champions: share of revenue" }),
    ...segments.map((segment) => tableFigure(sheet, "SegmentSummary", segment, "Average CLV", { key: `segmentation.averageClv.${segment}`, label: `${segment}: average CLV` })),
  ]);
}

/** The line under the title: what, how many, up to when, from where. */
function subtitle(model: SegmentationModel, source: string, asOf: string, currency: string | undefined): string {
  const amounts = currency === undefined || currency.trim() === "" ? " Amounts in the data's currency." : "";
  return `RFM segments, lifecycle stages and behavioural groups of ${customersText(model.n)} with an order up to ${asOf}, from ${source}.${amounts}`;
}

/** "Where these numbers come from": sources, options, the method in one line each, rows left out and why. */
function provenanceOf(
  model: SegmentationModel,
  orders: OrdersInput,
  customers: CustomersInput | null,
  options: SegmentationOptions,
  context: ReportContext,
): Provenance {
  const { rfm, clusters, attributes, masker, facts } = model;
  const { refundRows } = facts;
  const candidates = `${DEFAULT_CANDIDATE_COUNTS[0]}–${DEFAULT_CANDIDATE_COUNTS[DEFAULT_CANDIDATE_COUNTS.length - 1]}`;
  const chosen =
    model.clusterFallback !== null
      ? `1 (${model.clusterFallback})`
      : model.clusterCountOption === null
        ? `${clusters.clusterCount}, chosen by the best mean silhouette among ${candidates} (${clusters.silhouetteByCount.map((s) => `${s.clusterCount}: ${s.silhouette.toFixed(3)}`).join(", ")})`
        : `${clusters.clusterCount}, as given`;
  const notes: string[] = [];
  if (rfm.excludedOrders > 0 || rfm.excludedCustomers > 0) {
    notes.push(
      `${formatCount(facts.rowCount)} order rows read; ${formatCount(rfm.excludedOrders)} dated after as of left out; ${formatCount(rfm.excludedCustomers)} customers whose orders are all after as of left out.`,
    );
  }
  if (refundRows > 0) notes.push(`${formatCount(refundRows)} order rows with a negative value (refunds) up to as of count as orders and reduce revenue.`);
  if (model.negativeRevenue > 0) notes.push(`${customersText(model.negativeRevenue)} with revenue below 0 are grouped as revenue 0 (the group features are log-compressed).`);
  if (clusters.constantColumns.length > 0) {
    const names = ["days since last order", "orders", "revenue"];
    notes.push(`Group features with one value for every customer, left out of the distances: ${clusters.constantColumns.map((c) => names[c]).join(", ")}.`);
  }
  if (customers !== null) {
    if (attributes.unmatched > 0) notes.push(`${customersText(attributes.unmatched)} with orders have no row in the customer table (their demographics show as "(blank)").`);
    if (attributes.withoutOrders > 0) notes.push(`${formatCount(attributes.withoutOrders)} rows of the customer table have no order up to as of and are not in this tab.`);
    if (attributes.leftOut.length > 0) {
      notes.push(`Customer table columns left out: ${attributes.leftOut.join(", ")}${masker === null ? " (personal data is written only when masking is asked for)" : ""}.`);
    }
  }
  if (model.maskedIds > 0) notes.push(`${formatCount(model.maskedIds)} customer ids that are email addresses or phone numbers are masked too.`);
  if (model.clv !== null && model.missingClv > 0) notes.push(`${customersText(model.missingClv)} have no CLV from the Customer Value tab (left blank, not in the averages).`);
  notes.push(...(context.notes ?? []));
  const sources = [orders.source];
  if (customers !== null) sources.push(customers.source);
  const t = model.thresholds;
  return {
    sources,
    options: [
      { label: "As of", value: asOfIso(model) },
      { label: "Revenue", value: "total of the order values up to as of (refunds reduce it)" },
      { label: "RFM scores", value: "quintiles 1–5 of days since the last order (5 = most recent), orders (5 = most) and revenue (5 = highest)" },
      { label: "RFM segments", value: "the widely used 11-segment map of the three scores" },
      { label: "Recommended actions", value: SEGMENT_ACTIONS_SOURCE },
      {
        label: "Lifecycle stages",
        value: (["New", "Active", "At risk", "Lapsed", "Reactivated"] as const).map((stage) => `${STAGE_NAMES[stage]}: ${stageRule(stage, t)}`).join("; "),
      },
      { label: "Behavioural groups", value: chosen },
      { label: "Group silhouette", value: model.clusterFallback !== null ? "none (one group)" : `${clusters.silhouette.toFixed(3)} (mean, on ${formatCount(clusters.sampleSize)} customers)` },
      { label: "Group seed", value: String(model.seed) },
      { label: "Group features", value: "days since last order, orders, revenue; log(1 + x), standardised; k-means++ with 10 restarts" },
      {
        label: "Personal data",
        value:
          customers === null
            ? "no customer table given"
            : masker === null
              ? "left out (not masked)"
              : `masked: ${masker.mode}${masker.mode === "hash" ? (options.maskSalt ? " with a secret salt" : " without a salt") : ""}`,
      },
      { label: "CLV", value: model.clv === null ? "not given" : "from the Customer Value tab" },
    ],
    generatedAt: context.generatedAt,
    notes,
  };
}

/** Widest column allowed, in characters. */
const MAX_WIDTH = 40;

/**
 * Column widths that fit every table header and value, and every label a value sits right of.
 * Text that is the last cell of its row (sentences, notes, the last column of a table) may run on
 * into the empty cells beside it, so it does not widen its column.
 */
function columnWidthsOf(blocks: readonly Block[]): number[] {
  const widths: number[] = [];
  const need = (column: number, chars: number): void => {
    widths[column] = Math.min(MAX_WIDTH, Math.max(widths[column] ?? 10, chars));
  };
  for (const block of blocks) {
    const rows = block.kind === "table" ? [...block.rows, ...(block.totals ? [block.totals] : [])] : block.values;
    if (block.kind === "table") block.headers.forEach((header, c) => need(block.column + c, header.length + 2));
    for (const row of rows) {
      let last = row.length - 1;
      while (last >= 0 && cellValue(row[last]) === null) last--;
      row.forEach((cell, c) => {
        const value = cellValue(cell);
        if (value === null || (c === last && typeof value === "string")) return;
        need(block.column + c, shownLength(value, block.numberFormats?.[c] ?? null) + 2);
      });
    }
  }
  return Array.from(widths, (width) => width ?? 10);
}

/** What {@link shownLength} reads from a number format: its quoted symbol's length, percent, decimals. */
interface FormatLook {
  readonly symbol: number;
  readonly percent: boolean;
  readonly decimals: number;
}

/** Number formats read, by format code (a tab has a handful; its tables repeat them on every row). */
const formatLooks = new Map<string, FormatLook>();

function formatLook(format: string): FormatLook {
  let look = formatLooks.get(format);
  if (look === undefined) {
    look = { symbol: (/"([^"]*)"/.exec(format)?.[1] ?? "").length, percent: format.includes("%"), decimals: /\.(0+)/.exec(format)?.[1].length ?? 0 };
    formatLooks.set(format, look);
  }
  return look;
}

/** `formatCount(whole).length` for a whole number, counted without making the text. */
function countLength(whole: number): number {
  const size = Math.abs(whole);
  // NaN, infinities and numbers written with an exponent: as the text says.
  if (!(size < 1e21)) return formatCount(whole).length;
  let digits = 1;
  for (let power = 10; power <= size; power *= 10) digits++;
  return digits + Math.floor((digits - 1) / 3) + (whole < 0 ? 1 : 0);
}

/** About how many characters a value shows in a format. */
function shownLength(value: string | number | boolean, format: string | null): number {
  if (typeof value !== "number") return String(value).length;
  if (format === null) return String(value).length;
  const look = formatLook(format);
  if (look.percent) return (value * 100).toFixed(1).length + 1;
  return countLength(Math.trunc(value)) + (look.decimals > 0 ? look.decimals + 1 : 0) + look.symbol + 1;
}
