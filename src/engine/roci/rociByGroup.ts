/**
 * Short-term ROCI per customer group (segment, lifecycle stage, cluster) from row-level data.
 *
 * Rows (customers, or any finer unit) are summed per group: contribution C_g, baseline B_g,
 * investment I_g; then ΔC_g = C_g − B_g and ROCI_g = (ΔC_g − I_g)/I_g (net) or ΔC_g/I_g (gross), as
 * in {@link roci}. A group whose investment sums to 0 has no ROCI (null, reported as a note, not as
 * Infinity). A row of "All groups" totals follows.
 *
 * Group labels are compared without case (as in an Excel PivotTable); the label shown is the first
 * spelling seen.
 *
 * References: Schultz & Schultz (2004) ch. 9; domain.md §2.
 */

import { EngineError, invalidCell } from "../errors";
import { rociRatio, type RociMode } from "./roci";

export interface RociByGroupInput {
  /** Group label per row (non-empty text). */
  readonly groups: readonly string[];
  /** Contribution per row, currency. */
  readonly contribution: Float64Array;
  /** Investment per row, currency, ≥ 0 (spend may sit on a few rows only). */
  readonly investment: Float64Array;
  /** Baseline contribution per row, currency; null when there is no baseline (counts as 0). */
  readonly baselineContribution: Float64Array | null;
  readonly mode: RociMode;
}

export interface RociGroupRow {
  /** Group label as first seen (groups are compared without case). */
  readonly group: string;
  /** Number of input rows in the group. */
  readonly rows: number;
  /** C_g. */
  readonly contribution: number;
  /** B_g; null without a baseline. */
  readonly baselineContribution: number | null;
  /** ΔC_g = C_g − B_g (C_g without a baseline). */
  readonly incremental: number;
  /** I_g. */
  readonly investment: number;
  /** I_g / Σ I; null when nothing was invested at all. */
  readonly investmentShare: number | null;
  /** ROCI_g; null when I_g = 0. */
  readonly roci: number | null;
}

export interface RociByGroupResult {
  /** One entry per group, in order of first appearance. */
  readonly groups: readonly RociGroupRow[];
  /** The same figures over all rows. */
  readonly total: RociGroupRow;
  /** False when no baseline was given: the whole contribution counted as the return. */
  readonly hasBaseline: boolean;
}

/** Field names of {@link RociByGroupInput} as they appear in `error.argument`. */
export type RociByGroupField = "groups" | "contribution" | "investment" | "baselineContribution";

function finiteAt(values: Float64Array, field: RociByGroupField, i: number): number {
  const v = values[i];
  if (!Number.isFinite(v)) throw invalidCell(field, i + 1, `${v} is not a finite number`);
  return v;
}

/**
 * ROCI per group, in order of first appearance, with an all-groups total.
 *
 * @param input row-aligned groups, contribution, investment and optional baseline; see {@link RociByGroupInput}.
 * @returns per-group sums, incremental contribution, investment share and ROCI; see {@link RociByGroupResult}.
 * @throws EngineError INVALID_INPUT when the columns differ in length, a value is not finite, or an
 *   investment is negative (naming the field and 1-based row); INSUFFICIENT_DATA when there are no rows.
 *
 * References: Schultz & Schultz (2004) ch. 9; domain.md §2.
 */
export function rociByGroup(input: RociByGroupInput): RociByGroupResult {
  const { groups, contribution, investment, baselineContribution: baseline, mode } = input;
  const n = groups.length;
  if (n === 0) throw new EngineError("INSUFFICIENT_DATA", "rociByGroup: there are no rows to group");
  for (const [field, column] of [
    ["contribution", contribution],
    ["investment", investment],
    ["baselineContribution", baseline],
  ] as const) {
    if (column !== null && column.length !== n) {
      throw new EngineError("INVALID_INPUT", `rociByGroup: ${field} has ${column.length} rows but groups has ${n}`, { argument: field });
    }
  }
  const index = new Map<string, number>();
  const exact = new Map<string, number>();
  const labels: string[] = [];
  const rowCounts: number[] = [];
  const sumC: number[] = [];
  const sumB: number[] = [];
  const sumI: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = finiteAt(contribution, "contribution", i);
    const inv = finiteAt(investment, "investment", i);
    if (inv < 0) throw invalidCell("investment", i + 1, `investment must be 0 or more, got ${inv}`);
    const b = baseline === null ? 0 : finiteAt(baseline, "baselineContribution", i);
    // Groups compare without case, as in an Excel PivotTable or GROUPBY: "Loyal" and "loyal" are one
    // group. Exact spellings are cached, so most rows cost one lookup and no lower-casing.
    const label = groups[i];
    let g = exact.get(label);
    if (g === undefined) {
      const key = label.toLowerCase();
      g = index.get(key);
      if (g === undefined) {
        g = labels.length;
        index.set(key, g);
        labels.push(label);
        rowCounts.push(0);
        sumC.push(0);
        sumB.push(0);
        sumI.push(0);
      }
      exact.set(label, g);
    }
    rowCounts[g]++;
    sumC[g] += c;
    sumB[g] += b;
    sumI[g] += inv;
  }
  let totalC = 0;
  let totalB = 0;
  let totalI = 0;
  for (let g = 0; g < labels.length; g++) {
    totalC += sumC[g];
    totalB += sumB[g];
    totalI += sumI[g];
  }
  const hasBaseline = baseline !== null;
  const row = (group: string, rows: number, c: number, b: number, inv: number): RociGroupRow => {
    const incremental = c - b;
    const value = inv > 0 ? rociRatio(incremental, inv, mode) : null;
    if (value !== null && !Number.isFinite(value)) {
      throw new EngineError("INVALID_INPUT", `rociByGroup: the ROCI of group "${group}" is too large to represent; its investment (${inv}) is too small`, { argument: "investment" });
    }
    return {
      group,
      rows,
      contribution: c,
      baselineContribution: hasBaseline ? b : null,
      incremental,
      investment: inv,
      investmentShare: totalI > 0 ? inv / totalI : null,
      roci: value,
    };
  };
  const rows = labels.map((label, g) => row(label, rowCounts[g], sumC[g], sumB[g], sumI[g]));
  return { groups: rows, total: row("All groups", n, totalC, totalB, totalI), hasBaseline };
}
