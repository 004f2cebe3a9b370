/**
 * Payback period of a customer acquisition: how many periods of margin repay what acquiring the
 * customer cost.
 *
 * Glossary (domain.md §1.3): CAC acquisition cost per customer (currency); m margin per customer per
 * period (currency); payback = CAC / m periods (fractional: 2.5 = half-way through the third period).
 * The cohort form (first period in which cumulative cohort contribution ≥ CAC) is not this function.
 *
 * References: domain.md §1.3; Farris et al., *Marketing Metrics*, 2nd ed. (2010), ch. 5.
 */

import { EngineError } from "../errors";

/** Which input an {@link EngineError} from {@link paybackPeriods} is about. */
export type PaybackField = "cac" | "marginPerPeriod";

/**
 * Periods of margin needed to recover the acquisition cost.
 *
 * @param cac acquisition cost per customer, currency, ≥ 0.
 * @param marginPerPeriod margin per customer per period, currency, > 0.
 * @returns CAC / m, in periods (the unit of the margin's period).
 * @throws EngineError INVALID_INPUT when a number is not finite, CAC is negative, or the margin is 0
 *   or negative (the cost is never paid back); `error.argument` is the {@link PaybackField}.
 *
 * References: domain.md §1.3. Check: CAC 125, margin 50 per month → 2.5 months.
 */
export function paybackPeriods(cac: number, marginPerPeriod: number): number {
  if (!Number.isFinite(cac) || cac < 0) {
    throw new EngineError("INVALID_INPUT", `paybackPeriods: CAC must be a number of at least 0, got ${cac}`, { argument: "cac" });
  }
  if (!Number.isFinite(marginPerPeriod)) {
    throw new EngineError("INVALID_INPUT", `paybackPeriods: margin per period must be a finite number, got ${marginPerPeriod}`, { argument: "marginPerPeriod" });
  }
  if (marginPerPeriod <= 0) {
    throw new EngineError(
      "INVALID_INPUT",
      `paybackPeriods: margin per period is ${marginPerPeriod}; with no positive margin the acquisition cost is never paid back`,
      { argument: "marginPerPeriod" },
    );
  }
  const periods = cac / marginPerPeriod;
  if (!Number.isFinite(periods)) {
    throw new EngineError("INVALID_INPUT", "paybackPeriods: the result is too large to represent; check the margin", { argument: "marginPerPeriod" });
  }
  return periods;
}
