/**
 * Orders summarised where they are stored (DuckDB over Parquet or CSV files of any size), for
 * `imc report --from` when the order rows are too many to read one by one. The order tabs
 * (Segmentation, Customer Value, Cohorts, the Scorecard's order measures, Budget) are built from
 * these summaries (per customer, per cohort month, per year) exactly as from the rows: each tab's
 * analysis turns rows into the same kind of facts first, and a test checks that both routes give
 * the same facts and the same tab.
 *
 * An `OrdersInput` that carries `summarised` has no rows (its columns are empty): a reader that
 * needs the rows (`transactionsOf`) throws INSUFFICIENT_DATA saying so, so a tab that has no
 * summary route is skipped with that reason instead of being built from nothing.
 *
 * Each part records the options it was computed for (as-of date, period, holdout, lifecycle
 * thresholds), and the tab that reads it checks them: a part computed for other options is a bug of
 * the caller, not a fault of the data, and a plain Error says so (src/reports/summarisedPart.ts).
 */

import { EngineError } from "../engine/errors";
import type { CohortFacts } from "./cohorts/analysis";
import type { BudgetOrderFacts } from "./budgetInputs";
import type { CustomerFacts } from "./customerFacts";
import type { OrdersInput } from "./inputs";
import type { LargeSegmentFacts } from "./largeCustomerFacts";
import type { LargeValueFacts } from "./largeValueFacts";
import type { OrderMeasureFacts } from "./scorecard/measures";

/** Orders summarised out of core; the parts are filled by src/cli/duckdb/report/. */
export interface SummarisedOrders {
  /** Order rows in the source (before the as-of cut). */
  readonly rowCount: number;
  /** The as-of date the parts were computed for (Excel serial, whole day): the given one or the last order date. */
  readonly asOf: number;
  /**
   * The order rows (in file order) of the customers the experiment table and the lead table name:
   * the Experiments tab's outcomes and the Lead Scoring tab's conversion dates are per customer, so
   * these rows give exactly what all the rows would. Empty when those tables name no customer.
   */
  readonly ordersOfNamedCustomers: OrdersInput;
  /** Orders per calendar day (Excel serial of the day, ascending): count and revenue, every order of the files (no as-of cut). */
  readonly daily: { readonly days: Float64Array; readonly orders: Float64Array; readonly revenue: Float64Array };
  /** The Cohorts tab's monthly cohort cells (src/reports/cohorts/analysis.ts); null when not computed. */
  readonly cohorts: CohortFacts | null;
  /** The Scorecard's order measures (src/reports/scorecard/measures.ts); null when not computed. */
  readonly measures: OrderMeasureFacts | null;
  /** The Budget tab's last order day and this year's order counts (src/reports/budgetInputs.ts); null when not computed. */
  readonly budgetYear: BudgetOrderFacts | null;
  /** Per-customer facts of Segmentation and Customer Value (src/reports/customerFacts.ts), with the options they were computed for. */
  readonly customers: CustomerFacts | null;
  /**
   * Past the customer cap (`customers` null): the Segmentation tab's summaries over all customers and
   * its listed customers, computed by DuckDB (src/reports/largeCustomerFacts.ts); null or absent when
   * not computed.
   */
  readonly largeSegments?: LargeSegmentFacts | null;
  /**
   * Past the customer cap: the Customer Value tab's fit, counts and sums over all customers and its
   * listed customers, computed by DuckDB (src/reports/largeValueFacts.ts); null or absent when not computed.
   */
  readonly largeValue?: LargeValueFacts | null;
  /** Past the customer cap: why the Customer Value facts could not be computed (the models do not fit these orders), the tab's reason. */
  readonly largeValueRefusal?: EngineError;
  /** Why `customers` is null, in words after "the X tab was not built: " (too many customers for the tabs' one row each). */
  readonly customersLeftOut?: string;
}

/** The orders' summaries when they are summarised out of core, else null. */
export function summarisedOf(orders: OrdersInput): SummarisedOrders | null {
  return orders.summarised ?? null;
}

/**
 * The error of a tab built on per-customer facts when the summaries have none: the reason they were
 * left out, or that the rows are needed.
 *
 * @param summarised the summaries.
 */
export function customerFactsMissing(summarised: SummarisedOrders): EngineError {
  return summarised.customersLeftOut === undefined ? rowsNeededError("it") : new EngineError("INSUFFICIENT_DATA", summarised.customersLeftOut, { argument: "orders" });
}

/**
 * The error of a reader that needs the order rows when the orders are summarised.
 *
 * @param what what needs the rows, as the subject of the reason ("it": the tab being built; "the split of new and returning customers").
 */
export function rowsNeededError(what: string): EngineError {
  return new EngineError(
    "INSUFFICIENT_DATA",
    `${what} needs the orders row by row, and they were summarised out of core (too many to read one by one); give a smaller file or more --max-cells to read them in memory`,
    { argument: "orders" },
  );
}
