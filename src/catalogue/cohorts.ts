import type { CatalogueEntry } from "./entry";

/** Acquisition cohorts (IMC.COHORTS). */
export const COHORT_FUNCTIONS: readonly CatalogueEntry[] = [
  {
    name: "IMC.COHORTS",
    id: "COHORTS",
    category: "Customer value",
    signature: "IMC.COHORTS(customer_ids, order_dates, order_values, [period], [as_of], [measure])",
    summary:
      "Acquisition cohorts: customers grouped by the month (or week, quarter, year) of their first order, with the share still ordering, or the cumulative revenue per customer, in each period since; periods not yet reached are blank.",
    example:
      '=IMC.COHORTS({"A";"A";"B";"C";"C"}, {"2024-01-05";"2024-02-10";"2024-01-20";"2024-02-03";"2024-03-01"}, {10;20;30;40;50})',
    exampleResult: "Cohort",
    returns:
      "A table: one row per cohort (its first day and its customers) with one column per period since acquisition (Month 0, Month 1, …): retention by default, or revenue per customer, active customers or orders.",
  },
];
