/**
 * The per-customer prediction table shared by IMC.CLV.PREDICT, `imc clv` and the Customer Value tab:
 * its column headers and each customer's numbers, so the three show the same columns in the same order.
 */

import type { CustomerValuePredictions } from "./predict";
import type { CustomerSummary } from "./summary";

/** Headers of the per-customer prediction table: the customer, then the columns of {@link clvPredictionValues}. */
export const CLV_PREDICTION_HEADERS = [
  "Customer",
  "Frequency",
  "Recency",
  "T",
  "Average value",
  "P(alive)",
  "Expected purchases",
  "Expected average value",
  "CLV",
] as const;

/**
 * One customer's numbers in the prediction table, in the order of {@link CLV_PREDICTION_HEADERS}
 * after "Customer": frequency, recency, T, average value, P(alive), expected purchases, expected
 * average value, CLV.
 *
 * @param summary the customer summary the predictions were made from (its per-customer columns).
 * @param predictions `predictCustomerValue`'s result on that summary.
 * @param customer the customer's 0-based index in the summary.
 * @returns the eight numbers (the caller puts the customer cell first).
 */
export function clvPredictionValues(summary: Pick<CustomerSummary, "frequency" | "recency" | "T" | "monetary">, predictions: CustomerValuePredictions, customer: number): number[] {
  const i = customer;
  return [
    summary.frequency[i],
    summary.recency[i],
    summary.T[i],
    summary.monetary[i],
    predictions.probabilityAlive[i],
    predictions.expectedPurchases[i],
    predictions.expectedSpend[i],
    predictions.clv[i],
  ];
}
