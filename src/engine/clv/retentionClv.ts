/**
 * Customer lifetime value by the retention formula.
 *
 * Glossary (symbols of Farris et al.):
 * - m: margin per period of a customer who is still a customer (currency);
 * - r: retention rate per period, the share of customers who stay from one period to the next;
 * - d: discount rate per period;
 * - N: number of periods counted (the horizon); infinite when absent.
 *
 * Convention (domain.md §1.1): the margin of a period arrives at the end of every period the
 * customer survives, so period t contributes m·r^t/(1+d)^t. With `marginNow`, the margin in hand
 * today (period 0) is added: CLV = m + m·r/(1+d−r).
 *
 * References: P. W. Farris, N. T. Bendle, P. E. Pfeifer, D. J. Reibstein, *Marketing Metrics*,
 * 2nd ed. (2010), ch. 5, "Customer lifetime value"; the infinite-horizon formula m·r/(1+d−r) is
 * their eq. for CLV with margins at period end.
 */

import { EngineError } from "../errors";

export interface RetentionClvInput {
  /** m: margin per period (currency, any finite number; negative margins give negative value). */
  readonly margin: number;
  /** r: retention rate per period: 0 ≤ r < 1 + d for an infinite horizon, 0 ≤ r ≤ 1 for a finite one. */
  readonly retentionRate: number;
  /** d: discount rate per period, d > −1 (e.g. 0.1 for 10 %). */
  readonly discountRate: number;
  /** N: number of periods counted, a whole number ≥ 1; `null` for an infinite horizon. */
  readonly horizonPeriods: number | null;
  /** When true, the margin of the current period (t = 0) is counted too. */
  readonly marginNow: boolean;
}

/** Which input an {@link EngineError} from {@link retentionClv} is about. */
export type RetentionClvField = "margin" | "retentionRate" | "discountRate" | "horizonPeriods";

function invalid(field: RetentionClvField, message: string): EngineError {
  // The argument is the engine field name; the Excel adapter renames it for its users.
  return new EngineError("INVALID_INPUT", `retentionClv: ${message}`, { argument: field });
}

/**
 * Lifetime value of one customer from margin, retention and discount rates.
 *
 * Infinite horizon: `m·r/(1+d−r)`; finite horizon N: `Σ_{t=1..N} m·r^t/(1+d)^t`, evaluated in
 * closed form as `m·r·(1 − q^N)/(1+d−r)` with q = r/(1+d) (and `m·N` when q = 1); `marginNow`
 * adds m. Computing 1+d−r directly, rather than 1 − q, avoids cancellation when r is close to 1+d.
 *
 * @param input margin, rates per period, horizon and timing; see {@link RetentionClvInput}.
 * @returns the discounted lifetime value in the margin's currency (finite).
 * @throws EngineError INVALID_INPUT when a number is not finite, r < 0, d ≤ −1, N is not a whole
 *   number ≥ 1, the horizon is infinite and r ≥ 1 + d (domain.md §1.1: the value would be
 *   unbounded), or the horizon is finite and r > 1 (not a share; no convergence condition is needed).
 *   `error.argument` is the {@link RetentionClvField} at fault.
 *
 * References: Farris et al. (2010), *Marketing Metrics*, ch. 5; domain.md §1.1.
 * Check: m = 100, r = 0.8, d = 0.1 → 266.667 (366.667 with marginNow).
 */
export function retentionClv(input: RetentionClvInput): number {
  const { margin: m, retentionRate: r, discountRate: d, horizonPeriods: n, marginNow } = input;
  if (!Number.isFinite(m)) throw invalid("margin", `margin must be a finite number, got ${m}`);
  if (!Number.isFinite(r) || r < 0) {
    throw invalid("retentionRate", `retention rate must be a number of at least 0 (a share of customers kept per period, e.g. 0.8), got ${r}`);
  }
  if (!Number.isFinite(d) || d <= -1) {
    throw invalid("discountRate", `discount rate must be a number greater than -1 (e.g. 0.1 for 10% per period), got ${d}`);
  }
  const onePlusD = 1 + d;
  const gap = onePlusD - r;
  const now = marginNow ? m : 0;

  if (n === null) {
    if (gap <= 0) {
      throw invalid(
        "retentionRate",
        `retention rate ${r} must be below 1 + discount rate (${formatPlain(onePlusD)}); ` +
          "otherwise each future period is worth at least as much as the one before and the lifetime value has no finite limit. " +
          "Give a finite number of periods or a lower retention rate.",
      );
    }
    return finiteResult(now + (m * r) / gap);
  }

  if (!Number.isInteger(n) || n < 1) {
    throw invalid("horizonPeriods", `number of periods must be a whole number of at least 1, got ${n}`);
  }
  // A finite sum always converges; what is left to check is that r is a share at all. Above 1 it is
  // most likely a percentage typed as a whole number (80 for 80%), which would silently explode.
  if (r > 1) {
    throw invalid("retentionRate", `retention rate must be between 0 and 1 (a share of customers kept per period, e.g. 0.8 for 80%), got ${r}`);
  }
  if (r === 0) return finiteResult(now);
  const q = r / onePlusD;
  if (q === 1) return finiteResult(now + m * n);
  // 1 − q^N = −expm1(N·ln q): accurate when q^N is close to 1.
  const oneMinusQn = -Math.expm1(n * Math.log(q));
  return finiteResult(now + (m * r * oneMinusQn) / gap);
}

function finiteResult(value: number): number {
  if (!Number.isFinite(value)) {
    throw new EngineError("INVALID_INPUT", `retentionClv: the result is too large to represent (${value}); check the margin and the number of periods`);
  }
  // -0 would display as 0 anyway; normalise so tests and callers never see it.
  return value === 0 ? 0 : value;
}

function formatPlain(x: number): string {
  return Number.parseFloat(x.toPrecision(12)).toString();
}
