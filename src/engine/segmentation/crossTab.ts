/**
 * Demographic profile of behavioural segments: a cross-tabulation of segment × category for each
 * descriptive column (region, age band, gender, channel…), with counts and shares within a segment.
 *
 * IMC segments customers by behaviour first and describes them with demographics afterwards
 * (domain.md §4.3): demographics never decide the segments, they profile them.
 *
 * Glossary:
 * - segment: a behavioural label per customer (RFM segment, cluster, lifecycle stage);
 * - category: a value of a descriptive column, as text; blank cells form the category "(blank)";
 * - count n_{s,c}: customers of segment s in category c; share = n_{s,c} / n_s (sums to 1 over the
 *   categories of each column for every segment); the "All customers" row profiles everyone.
 *
 * Order: segments in the order given (or of first appearance), categories in natural order (text
 * with numbers compared as numbers: "18-24", "25-34", …, "65+") with "(blank)" last.
 *
 * References: domain.md §4.3; product.md (Segmentation tab: a demographic profile of each segment).
 */

import { isBlankCell, toText } from "../data";
import { EngineError, invalidArgument } from "../errors";

/** The category of blank cells. */
export const BLANK_CATEGORY = "(blank)";
/** The label of the row over all customers. */
export const ALL_CUSTOMERS = "All customers";

/** One descriptive column: its header and one cell per customer. */
export interface ProfileColumn {
  readonly name: string;
  readonly values: readonly unknown[];
}

/** The profile of one descriptive column. */
export interface ColumnProfile {
  readonly name: string;
  /** Categories in order of first appearance, "(blank)" last when present. */
  readonly categories: readonly string[];
  /** counts[s][c]: customers of segment s (in `segments` order) in category c. */
  readonly counts: readonly (readonly number[])[];
  /** shares[s][c] = counts[s][c] / segment size; each row sums to 1. */
  readonly shares: readonly (readonly number[])[];
  /** The same over all customers. */
  readonly totalCounts: readonly number[];
  readonly totalShares: readonly number[];
}

export interface SegmentProfile {
  /** Segments in output order. */
  readonly segments: readonly string[];
  /** Customers per segment. */
  readonly sizes: readonly number[];
  /** Customers in all. */
  readonly total: number;
  readonly columns: readonly ColumnProfile[];
}

/**
 * Counts and shares of each category within each segment, for every descriptive column.
 *
 * @param segmentLabels one behavioural label per customer (non-blank text).
 * @param columns descriptive columns, each with one cell per customer (text, numbers, blanks).
 * @param segmentOrder optional order of segments (e.g. the RFM table's); segments not listed follow in
 *   order of first appearance, listed segments with no customer are left out.
 * @returns the profile; see {@link SegmentProfile}.
 * @throws EngineError INVALID_INPUT when a column's length differs from the labels' or a label is
 *   blank; INSUFFICIENT_DATA when there are no customers.
 */
export function crossTab(
  segmentLabels: readonly string[],
  columns: readonly ProfileColumn[],
  segmentOrder: readonly string[] = [],
): SegmentProfile {
  const n = segmentLabels.length;
  if (n === 0) throw new EngineError("INSUFFICIENT_DATA", "crossTab: no customers to profile", { argument: "segments" });
  for (const column of columns) {
    if (column.values.length !== n) {
      throw invalidArgument(column.name, `has ${column.values.length} rows but there are ${n} customers; the columns must be row-aligned`);
    }
  }
  const sizeOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const label = segmentLabels[i];
    if (typeof label !== "string" || label.trim().length === 0) {
      throw new EngineError("INVALID_INPUT", `segments row ${i + 1}: the segment label is blank`, { argument: "segments", row: i + 1 });
    }
    sizeOf.set(label, (sizeOf.get(label) ?? 0) + 1);
  }
  const segments = [...segmentOrder.filter((s) => sizeOf.has(s)), ...[...sizeOf.keys()].filter((s) => !segmentOrder.includes(s))];
  const segmentIndex = new Map(segments.map((s, i) => [s, i]));
  const rowSegment = Int32Array.from(segmentLabels, (label) => segmentIndex.get(label)!);
  const sizes = segments.map((s) => sizeOf.get(s)!);

  const profiles = columns.map((column): ColumnProfile => {
    const categoryIndex = new Map<string, number>();
    const rowCategory = new Int32Array(n);
    let hasBlank = false;
    for (let i = 0; i < n; i++) {
      const cell = column.values[i];
      if (isBlankCell(cell)) {
        rowCategory[i] = -1;
        hasBlank = true;
        continue;
      }
      const text = toText(cell, column.name, i + 1);
      let index = categoryIndex.get(text);
      if (index === undefined) {
        index = categoryIndex.size;
        categoryIndex.set(text, index);
      }
      rowCategory[i] = index;
    }
    // Categories in natural order ("18-24" before "25-34", "65+" last; regions alphabetically).
    const seen = [...categoryIndex.keys()];
    const sorted = [...seen].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const position = new Int32Array(seen.length);
    sorted.forEach((category, p) => (position[categoryIndex.get(category)!] = p));
    const categories = [...sorted, ...(hasBlank ? [BLANK_CATEGORY] : [])];
    const blankIndex = categoryIndex.size;
    const counts = segments.map(() => new Array<number>(categories.length).fill(0));
    const totalCounts = new Array<number>(categories.length).fill(0);
    for (let i = 0; i < n; i++) {
      const c = rowCategory[i] < 0 ? blankIndex : position[rowCategory[i]];
      counts[rowSegment[i]][c]++;
      totalCounts[c]++;
    }
    return {
      name: column.name,
      categories,
      counts,
      shares: counts.map((row, s) => row.map((count) => count / sizes[s])),
      totalCounts,
      totalShares: totalCounts.map((count) => count / n),
    };
  });
  return { segments, sizes, total: n, columns: profiles };
}
