/**
 * Long-term ROCI: the return on a customer investment measured by the change it makes in the
 * lifetime value of the customers it reaches.
 *
 * Glossary (domain.md §2):
 * - N_g: customers in group g;
 * - CLV_before, CLV_after: lifetime value per customer without and with the programme (currency);
 * - I_g: investment in the group (currency, > 0);
 * - net: ROCI_LT = (N_g·(CLV_after − CLV_before) − I_g)/I_g; gross: N_g·(CLV_after − CLV_before)/I_g.
 *
 * References: D. E. Schultz and H. Schultz, *IMC: The Next Generation* (2004), ch. 10 (long-term
 * returns through customer value); domain.md §2.
 */

import { EngineError } from "../errors";
import { checkInvestment, rociRatio, type RociMode } from "./roci";

export interface LongTermRociInput {
  /** N: customers in the group, ≥ 0 (may be fractional: an expected count). */
  readonly customers: number;
  /** CLV per customer before (without) the programme, currency. */
  readonly clvBefore: number;
  /** CLV per customer after (with) the programme, currency. */
  readonly clvAfter: number;
  /** I: investment, currency, > 0. */
  readonly investment: number;
  readonly mode: RociMode;
}

/** Which input an {@link EngineError} from {@link longTermRoci} is about. */
export type LongTermRociField = "customers" | "clvBefore" | "clvAfter" | "investment";

function invalid(field: LongTermRociField, message: string): EngineError {
  return new EngineError("INVALID_INPUT", `longTermRoci: ${message}`, { argument: field });
}

/**
 * Long-term ROCI of a group from the change in CLV per customer.
 *
 * @param input customers, CLV before and after, investment and mode; see {@link LongTermRociInput}.
 * @returns ROCI as a ratio (1.0 = +100%); finite.
 * @throws EngineError INVALID_INPUT when a number is not finite, customers < 0, the investment is 0
 *   or negative, or the result overflows; `error.argument` is the {@link LongTermRociField}.
 *
 * References: Schultz & Schultz (2004) ch. 10; domain.md §2. Check: 1,000 customers, CLV 300 → 310,
 * investment 5,000 → net (10,000 − 5,000)/5,000 = 1 (+100%).
 */
export function longTermRoci(input: LongTermRociInput): number {
  const { customers, clvBefore, clvAfter, investment, mode } = input;
  if (!Number.isFinite(customers) || customers < 0) {
    throw invalid("customers", `customers must be a number of at least 0, got ${customers}`);
  }
  if (!Number.isFinite(clvBefore)) throw invalid("clvBefore", `CLV before must be a finite number, got ${clvBefore}`);
  if (!Number.isFinite(clvAfter)) throw invalid("clvAfter", `CLV after must be a finite number, got ${clvAfter}`);
  checkInvestment(investment, "longTermRoci");
  const result = rociRatio(customers * (clvAfter - clvBefore), investment, mode);
  if (!Number.isFinite(result)) throw invalid("investment", "the result is too large to represent; check the investment and the number of customers");
  return result === 0 ? 0 : result;
}
