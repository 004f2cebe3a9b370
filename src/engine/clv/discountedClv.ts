/**
 * Discounted customer lifetime value from a purchase model and a spend model.
 *
 * The horizon is cut into steps; each step's expected purchases (from the counting model,
 * E[Y(t_k)] − E[Y(t_{k−1})]) times the expected value per purchase (Gamma-Gamma) are discounted to
 * today at the end of the step:
 *
 *   CLV = Σ_{k=1..K} (E[Y(t_k)] − E[Y(t_{k−1})]) · E(M) / (1 + d)^{t_k / s}
 *
 * with s the step length and d the discount rate per step. The rate users give is **annual**; the rate
 * per step is its compound equivalent: d = (1 + annual)^{(s · days per period) / 365.25} − 1 (so 10% a
 * year is 0.1834% a week, 0.7974% a month). The last step may be shorter when the horizon is not a whole
 * number of steps; its discount exponent is then fractional.
 *
 * Glossary: t_k end of step k in periods, s step length in periods, d discount rate per step, K number
 * of steps, E(M) expected average value per purchase.
 *
 * References: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base
 * Analysis", J. Marketing Research 42(4) (discounted expected transactions); `lifetimes`
 * `customer_lifetime_value` (end-of-step discounting, the convention of its documentation examples).
 */

import { EngineError } from "../errors";
import { DAYS_PER_PERIOD, type PeriodUnit } from "./summary";

/** Steps and discounting of a CLV horizon. */
export interface DiscountSchedule {
  /** Step length in periods (> 0). */
  readonly stepPeriods: number;
  /** Horizon in periods (> 0); steps = ceil(horizon / step). */
  readonly horizonPeriods: number;
  /** Discount rate per step (> −1). */
  readonly discountRatePerStep: number;
}

/**
 * The schedule the custom functions use: one step per period unit, the annual rate converted to a
 * compound rate per period.
 *
 * @param horizonPeriods horizon in periods of `periodUnit` (> 0).
 * @param annualDiscountRate annual discount rate (0.1 for 10%), > −1.
 * @param periodUnit day, week (7 days) or month (365.25/12 days).
 * @returns steps of one period, discount per period (1 + annual)^{days per period / 365.25} − 1.
 * @throws EngineError INVALID_INPUT naming `horizon` or `annual_discount_rate` when out of range.
 */
export function periodSchedule(horizonPeriods: number, annualDiscountRate: number, periodUnit: PeriodUnit): DiscountSchedule {
  if (!(horizonPeriods > 0 && Number.isFinite(horizonPeriods))) {
    throw new EngineError("INVALID_INPUT", `horizon: must be a number of periods above 0 (got ${String(horizonPeriods)})`, { argument: "horizon" });
  }
  if (horizonPeriods > 100_000) {
    throw new EngineError("INVALID_INPUT", `horizon: at most 100000 periods (got ${String(horizonPeriods)}); use a longer period unit`, {
      argument: "horizon",
    });
  }
  if (!(annualDiscountRate > -1 && Number.isFinite(annualDiscountRate))) {
    throw new EngineError("INVALID_INPUT", `annual_discount_rate: must be above -1 (0.1 for 10%; got ${String(annualDiscountRate)})`, {
      argument: "annual_discount_rate",
    });
  }
  return {
    stepPeriods: 1,
    horizonPeriods,
    discountRatePerStep: Math.pow(1 + annualDiscountRate, DAYS_PER_PERIOD[periodUnit] / 365.25) - 1,
  };
}

/**
 * Discounted expected purchases over a schedule: Σ_k (E[Y(t_k)] − E[Y(t_{k−1})]) / (1 + d)^{t_k/s}.
 * Multiply by the expected value per purchase to get the CLV.
 *
 * @param cumulativePurchases t ↦ expected purchases in (T, T + t] (non-decreasing, 0 at t = 0).
 * @param schedule steps and discount rate per step.
 * @returns discounted expected purchases (≥ 0).
 * References: see the module comment.
 */
export function discountedPurchases(cumulativePurchases: (t: number) => number, schedule: DiscountSchedule): number {
  const { stepPeriods, horizonPeriods, discountRatePerStep } = schedule;
  const steps = Math.ceil(horizonPeriods / stepPeriods - 1e-12);
  const logDiscount = Math.log1p(discountRatePerStep);
  let previous = 0;
  let total = 0;
  for (let k = 1; k <= steps; k++) {
    const t = k === steps ? horizonPeriods : k * stepPeriods;
    const current = cumulativePurchases(t);
    total += (current - previous) * Math.exp((-logDiscount * t) / stepPeriods);
    previous = current;
  }
  return Math.max(0, total);
}

/**
 * Discounted CLV of one customer: discounted expected purchases times the expected value per purchase.
 *
 * @param cumulativePurchases t ↦ expected purchases in the next t periods.
 * @param expectedSpend expected value per purchase (currency, from Gamma-Gamma).
 * @param schedule steps and discount rate per step.
 * @returns the CLV in currency units.
 */
export function discountedClv(cumulativePurchases: (t: number) => number, expectedSpend: number, schedule: DiscountSchedule): number {
  return discountedPurchases(cumulativePurchases, schedule) * expectedSpend;
}
