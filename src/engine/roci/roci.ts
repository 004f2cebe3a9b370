/**
 * ROCI, return on customer investment, short term: the incremental contribution of a customer group
 * per unit of marketing-communications spend on it.
 *
 * Glossary (domain.md §2; Schultz & Schultz):
 * - C_g: contribution of group g in the period (revenue − variable cost), currency;
 * - B_g: baseline contribution, what the group would have contributed without the investment
 *   (a holdout control scaled to the group's size, or the prior period); 0 when there is none;
 * - ΔC_g = C_g − B_g: incremental contribution;
 * - I_g: investment (marketing-communications spend on g), currency, > 0;
 * - net ROCI (default) = (ΔC_g − I_g)/I_g; gross ROCI (Schultz worksheet) = ΔC_g/I_g = net + 1.
 *
 * Without a baseline the whole contribution counts as the return (B_g = 0), which overstates ROCI
 * whenever the group would have bought anyway; the function help says so.
 *
 * References: D. E. Schultz and H. Schultz, *IMC: The Next Generation* (2004), ch. 9–10 (ROCI, the
 * short-term incremental-return worksheet); domain.md §2 (worked example: margin per customer 60 → 62
 * after a programme costing 1 per customer gives gross +200%, net +100%).
 */

import { EngineError } from "../errors";

/** Net ROCI subtracts the investment from the return; gross ROCI does not (gross = net + 1). */
export type RociMode = "net" | "gross";

export const ROCI_MODES: readonly RociMode[] = ["net", "gross"];

export interface RociInput {
  /** C: contribution in the period (currency, any finite number). */
  readonly contribution: number;
  /** I: investment in the period (currency, > 0). */
  readonly investment: number;
  /** B: baseline contribution (currency, any finite number); null when there is none (counts as 0). */
  readonly baselineContribution: number | null;
  readonly mode: RociMode;
}

/** Which input an {@link EngineError} from the ROCI functions is about. */
export type RociField = "contribution" | "investment" | "baselineContribution";

function invalid(functionName: string, field: string, message: string): EngineError {
  return new EngineError("INVALID_INPUT", `${functionName}: ${message}`, { argument: field });
}

/**
 * Checks an investment I: finite and > 0. Zero spend has no return ratio (x/0), so it is an error
 * that says so rather than Infinity.
 *
 * @throws EngineError INVALID_INPUT naming `field`.
 */
export function checkInvestment(investment: number, functionName: string, field = "investment"): void {
  if (!Number.isFinite(investment)) throw invalid(functionName, field, `investment must be a finite number, got ${investment}`);
  if (investment === 0) {
    throw invalid(functionName, field, "investment is 0; ROCI is a return per unit of spend, so it needs a spend above 0");
  }
  if (investment < 0) throw invalid(functionName, field, `investment must be above 0, got ${investment}`);
}

/**
 * ROCI from an incremental return and an investment.
 *
 * @param incremental ΔC, currency (finite).
 * @param investment I, currency, > 0 (checked by the caller).
 * @param mode net: (ΔC − I)/I; gross: ΔC/I.
 * @returns the ratio (1 = 100%).
 */
export function rociRatio(incremental: number, investment: number, mode: RociMode): number {
  const gross = incremental / investment;
  return mode === "gross" ? gross : gross - 1;
}

/**
 * Short-term ROCI of one group (or one row): (C − B − I)/I net, (C − B)/I gross.
 *
 * @param input contribution, investment, optional baseline and mode; see {@link RociInput}.
 * @returns ROCI as a ratio (1.0 = +100%); finite.
 * @throws EngineError INVALID_INPUT when a number is not finite, the investment is 0 or negative, or
 *   the result overflows; `error.argument` is the {@link RociField}.
 *
 * References: Schultz & Schultz (2004) ch. 9; domain.md §2. Check: C = 62, B = 60, I = 1 → net 1
 * (+100%), gross 2 (+200%).
 */
export function roci(input: RociInput): number {
  const { contribution, investment, baselineContribution, mode } = input;
  if (!Number.isFinite(contribution)) throw invalid("roci", "contribution", `contribution must be a finite number, got ${contribution}`);
  if (baselineContribution !== null && !Number.isFinite(baselineContribution)) {
    throw invalid("roci", "baselineContribution", `baseline contribution must be a finite number, got ${baselineContribution}`);
  }
  checkInvestment(investment, "roci");
  const result = rociRatio(contribution - (baselineContribution ?? 0), investment, mode);
  if (!Number.isFinite(result)) throw invalid("roci", "investment", `the result is too large to represent; the investment (${investment}) is too small`);
  return result === 0 ? 0 : result;
}
