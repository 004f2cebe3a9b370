/**
 * Customer acquisition cost (CAC): acquisition spend per new customer.
 *
 * Glossary (domain.md §1.3): S_acq acquisition spend in the period (currency); N_new new customers
 * acquired in the period; CAC = S_acq / N_new.
 *
 * References: P. W. Farris et al., *Marketing Metrics*, 2nd ed. (2010), ch. 5 (average acquisition
 * cost); domain.md §1.3.
 */

import { EngineError } from "../errors";

/** Which input an {@link EngineError} from {@link customerAcquisitionCost} is about. */
export type CacField = "spend" | "newCustomers";

/**
 * Acquisition spend per new customer.
 *
 * @param spend acquisition spend in the period, currency, ≥ 0.
 * @param newCustomers new customers acquired in the period, > 0.
 * @returns CAC in the spend's currency.
 * @throws EngineError INVALID_INPUT when a number is not finite, the spend is negative, or there are
 *   no (or negative) new customers; `error.argument` is the {@link CacField}.
 *
 * References: Farris et al. (2010) ch. 5; domain.md §1.3. Check: 50,000 / 400 = 125.
 */
export function customerAcquisitionCost(spend: number, newCustomers: number): number {
  if (!Number.isFinite(spend) || spend < 0) {
    throw new EngineError("INVALID_INPUT", `customerAcquisitionCost: spend must be a number of at least 0, got ${spend}`, { argument: "spend" });
  }
  if (!Number.isFinite(newCustomers) || newCustomers < 0) {
    throw new EngineError("INVALID_INPUT", `customerAcquisitionCost: new customers must be a number of at least 0, got ${newCustomers}`, { argument: "newCustomers" });
  }
  if (newCustomers === 0) {
    throw new EngineError("INVALID_INPUT", "customerAcquisitionCost: new customers is 0; CAC is spend per new customer, so it needs at least one", { argument: "newCustomers" });
  }
  return spend / newCustomers;
}
