/**
 * Retention and churn rates of a customer base over a period.
 *
 * Glossary (domain.md §1.3): S customers at the start of the period, E at the end, N new customers
 * acquired during it; retention r = (E − N)/S (the share of the starting customers still there at
 * the end); churn = 1 − r.
 *
 * References: P. W. Farris et al., *Marketing Metrics*, 2nd ed. (2010), ch. 5 (retention rate);
 * domain.md §1.3.
 */

import { EngineError } from "../errors";

/** Which input an {@link EngineError} from {@link retentionRate} is about. */
export type RetentionField = "customersStart" | "customersEnd" | "newCustomers";

function invalid(field: RetentionField, message: string): EngineError {
  return new EngineError("INVALID_INPUT", `retentionRate: ${message}`, { argument: field });
}

/**
 * Share of the customers at the start of a period who are still customers at its end.
 *
 * @param customersStart S, customers at the start, > 0.
 * @param customersEnd E, customers at the end, ≥ 0.
 * @param newCustomers N, customers acquired during the period, 0 ≤ N ≤ E.
 * @returns r = (E − N)/S in [0, 1].
 * @throws EngineError INVALID_INPUT when a number is not finite or negative, S is 0, N > E (more new
 *   customers than customers at the end), or E − N > S (more customers kept than there were);
 *   `error.argument` is the {@link RetentionField}.
 *
 * References: Farris et al. (2010) ch. 5; domain.md §1.3. Check: S = 1,000, E = 1,050, N = 200 → 0.85.
 */
export function retentionRate(customersStart: number, customersEnd: number, newCustomers: number): number {
  const S = customersStart;
  const E = customersEnd;
  const N = newCustomers;
  if (!Number.isFinite(S) || S < 0) throw invalid("customersStart", `customers at the start must be a number of at least 0, got ${S}`);
  if (!Number.isFinite(E) || E < 0) throw invalid("customersEnd", `customers at the end must be a number of at least 0, got ${E}`);
  if (!Number.isFinite(N) || N < 0) throw invalid("newCustomers", `new customers must be a number of at least 0, got ${N}`);
  if (S === 0) {
    throw invalid("customersStart", "customers at the start is 0; retention is a share of the starting customers, so it needs at least one");
  }
  if (N > E) {
    throw invalid("newCustomers", `${N} new customers is more than the ${E} customers at the end; check the columns`);
  }
  const kept = E - N;
  if (kept > S) {
    throw invalid(
      "customersEnd",
      `customers at the end minus new customers (${kept}) is more than the ${S} customers at the start; count every new customer in new_customers`,
    );
  }
  return kept / S;
}

/**
 * Share of the customers at the start of a period lost by its end: 1 − {@link retentionRate}.
 *
 * @returns churn in [0, 1]; arguments and errors as {@link retentionRate} (messages name retentionRate).
 *
 * References: domain.md §1.3. Check: S = 1,000, E = 1,050, N = 200 → 0.15.
 */
export function churnRate(customersStart: number, customersEnd: number, newCustomers: number): number {
  const churn = 1 - retentionRate(customersStart, customersEnd, newCustomers);
  return churn === 0 ? 0 : churn;
}
