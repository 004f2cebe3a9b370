/**
 * Geometric adstock (carry-over): part of this period's advertising effect carries into the next.
 *
 * Glossary: x_t spend in period t; θ carry-over (decay) rate in [0, 1), the share of last period's
 * adstock still working this period; A_t = x_t + θ·A_{t−1} the adstocked spend.
 *
 * With constant spend x the adstock settles at A = x/(1 − θ): the steady state that a response
 * curve fitted on adstocked spend should be evaluated at.
 *
 * References: S. Broadbent (1979), "One Way TV Advertisements Work", J. Market Research Society
 * 21(3) (adstock); Jin et al. (2017), Google, eq. (1) (geometric adstock); domain.md §5.1.
 */

import { EngineError } from "../errors";

function checkCarryOver(carryOver: number, where: string): void {
  if (!Number.isFinite(carryOver) || carryOver < 0 || carryOver >= 1) {
    throw new EngineError(
      "INVALID_INPUT",
      `${where}: carry-over must be at least 0 and below 1 (the share of last period's effect still working), got ${carryOver}`,
      { argument: "carryOver" },
    );
  }
}

/**
 * Steady-state adstock of a constant spend: A = x/(1 − θ).
 *
 * @param spend x, spend per period (currency, finite).
 * @param carryOver θ in [0, 1).
 * @returns the adstocked spend per period (currency).
 * @throws EngineError INVALID_INPUT when θ is outside [0, 1) or the spend is not finite.
 *
 * References: Jin et al. (2017) eq. (1) with constant spend; domain.md §5.1.
 */
export function adstockSteadyState(spend: number, carryOver: number): number {
  checkCarryOver(carryOver, "adstockSteadyState");
  if (!Number.isFinite(spend)) {
    throw new EngineError("INVALID_INPUT", `adstockSteadyState: spend must be a finite number, got ${spend}`, { argument: "spend" });
  }
  return spend / (1 - carryOver);
}

/**
 * Adstocked series A_t = x_t + θ·A_{t−1}, starting from A_0 = x_0 (no carry-over before the data).
 *
 * @param spends x_t per period, in time order (currency, finite).
 * @param carryOver θ in [0, 1).
 * @returns A_t per period.
 * @throws EngineError INVALID_INPUT when θ is outside [0, 1) or a spend is not finite (row = period).
 *
 * References: Broadbent (1979); Jin et al. (2017) eq. (1) (geometric weights, unnormalised).
 */
export function adstockSeries(spends: ArrayLike<number>, carryOver: number): Float64Array {
  checkCarryOver(carryOver, "adstockSeries");
  const out = new Float64Array(spends.length);
  let carried = 0;
  for (let t = 0; t < spends.length; t++) {
    const x = spends[t];
    if (!Number.isFinite(x)) {
      throw new EngineError("INVALID_INPUT", `adstockSeries: spend of period ${t + 1} must be a finite number, got ${x}`, {
        argument: "spends",
        row: t + 1,
      });
    }
    carried = x + carryOver * carried;
    out[t] = carried;
  }
  return out;
}
