/**
 * The summaries `imc report --from` computes on an orders file read out of core, for the tabs of
 * the run (see summariseOrders.ts): each order tab's facts, computed in DuckDB for the run's
 * options exactly as its analysis computes them from rows.
 */

import type { AllTabsOptions } from "../../../reports/allTabs";
import { DEFAULT_LIFECYCLE_THRESHOLDS } from "../../../engine/segmentation";
import { customerFactsFrom } from "./customerFacts";
import { orderAggregatesFrom } from "./orderAggregates";
import type { SummaryParts } from "./summariseOrders";

/**
 * The summaries of the run's order tabs.
 *
 * @param options the run's options (as-of date, period, holdout, tabs asked for).
 * @returns the function that computes them on the open orders.
 */
export function summaryParts(options: AllTabsOptions): SummaryParts {
  return async ({ db, source, display, asOf, rowCount, pattern }) => {
    const aggregates = await orderAggregatesFrom(db, source, { asOf: options.asOf ?? null }, display);
    if (aggregates.asOf !== asOf || aggregates.rowCount !== rowCount) {
      throw new Error(`summaryParts: the aggregates were computed as of ${aggregates.asOf} on ${aggregates.rowCount} rows, the run is as of ${asOf} on ${rowCount} (a bug)`);
    }
    // The options as the Segmentation and Customer Value tabs take them from allTabs (their defaults included).
    const customers = await customerFactsFrom(
      db,
      source,
      { asOf: options.asOf ?? null, periodUnit: options.period ?? "week", holdoutPeriods: options.holdoutPeriods ?? null, thresholds: DEFAULT_LIFECYCLE_THRESHOLDS, pattern },
      display,
    );
    return { cohorts: aggregates.cohorts, measures: aggregates.measures, budgetYear: aggregates.budgetYear, customers };
  };
}
