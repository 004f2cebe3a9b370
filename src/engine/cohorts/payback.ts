/**
 * Cohort payback and the averages a cohort report quotes: the first period in which a cohort's
 * cumulative revenue (or contribution, × gross margin) per customer covers what it cost to acquire
 * a customer (CAC), and retention / revenue per customer averaged over the cohorts that reached a
 * period, weighted by cohort size.
 */

import { invalidArgument } from "../errors";
import { type CohortMatrix, cohortRow } from "./cohortMatrix";

/**
 * Payback period of each cohort: the first period k at which cumulative revenue per customer ×
 * `grossMargin` ≥ CAC.
 *
 * @param matrix from `cohortMatrix`.
 * @param cac cost of acquiring one customer (currency, > 0): one number for every cohort, or one per
 *   cohort (null for a cohort whose CAC is unknown).
 * @param grossMargin share of revenue kept as contribution, in (0, 1]; default 1 (revenue).
 * @returns per cohort: the payback period (0-based periods since acquisition), −1 when not paid back
 *   in the periods reached, −2 when the cohort's CAC is unknown.
 * @throws EngineError INVALID_INPUT naming `cac` when a CAC is not a positive finite number, or
 *   `gross_margin` when it is outside (0, 1].
 * References: domain.md §1 (cohort payback: first period in which cumulative cohort contribution ≥ CAC).
 */
export function cohortPayback(matrix: CohortMatrix, cac: number | readonly (number | null)[], grossMargin = 1): Int32Array {
  if (!(grossMargin > 0 && grossMargin <= 1)) throw invalidArgument("gross_margin", "must be a share above 0 and at most 1 (e.g. 0.4 for 40%)");
  const out = new Int32Array(matrix.cohortCount);
  for (let c = 0; c < matrix.cohortCount; c++) {
    const target = typeof cac === "number" ? cac : cac[c];
    if (target === null || target === undefined) {
      out[c] = -2;
      continue;
    }
    if (!(Number.isFinite(target) && target > 0)) throw invalidArgument("cac", `${String(target)} is not a positive amount`);
    const revenue = cohortRow(matrix, "revenue", c);
    out[c] = -1;
    for (let k = 0; k < matrix.periodsReached[c]; k++) {
      if ((revenue[k] as number) * grossMargin >= target) {
        out[c] = k;
        break;
      }
    }
  }
  return out;
}

/** A measure averaged over the cohorts that reached a period. */
export interface CohortAverage {
  /** The average (weighted by cohort size), or null when no cohort reached the period. */
  readonly value: number | null;
  /** Cohorts in the average. */
  readonly cohorts: number;
  /** Their customers. */
  readonly customers: number;
}

/**
 * Retention or cumulative revenue per customer at period k, over the cohorts that reached it,
 * weighted by cohort size (so it equals the pooled share or amount per customer of those cohorts).
 *
 * @param matrix from `cohortMatrix`.
 * @param measure "retention" or "revenue".
 * @param k period since acquisition (0-based).
 * @param cohorts optional 0-based cohort rows to average over (default all).
 * @returns the average and what it covers.
 */
export function averageAtPeriod(
  matrix: CohortMatrix,
  measure: "retention" | "revenue",
  k: number,
  cohorts: readonly number[] = Array.from({ length: matrix.cohortCount }, (_, c) => c),
): CohortAverage {
  let weighted = 0;
  let customers = 0;
  let count = 0;
  for (const c of cohorts) {
    if (k >= matrix.periodsReached[c]) continue;
    const value = cohortRow(matrix, measure, c)[k] as number;
    weighted += value * matrix.cohortSizes[c];
    customers += matrix.cohortSizes[c];
    count++;
  }
  return { value: customers > 0 ? weighted / customers : null, cohorts: count, customers };
}

/**
 * Median of the payback periods of the cohorts that paid back, counting a cohort that has not paid
 * back as later than every period (so the median says "not yet" when half have not).
 *
 * @param payback from {@link cohortPayback}; cohorts with unknown CAC (−2) are left out.
 * @returns the median period, −1 when the median cohort has not paid back, null when no cohort has a CAC.
 */
export function medianPayback(payback: Int32Array): number | null {
  const known = Array.from(payback).filter((k) => k !== -2).map((k) => (k === -1 ? Infinity : k));
  if (known.length === 0) return null;
  known.sort((a, b) => a - b);
  const mid = known.length / 2;
  // Even count: the lower middle, a period that did happen (no half months).
  const median = known.length % 2 === 1 ? known[Math.floor(mid)] : known[mid - 1];
  return median === Infinity ? -1 : median;
}
