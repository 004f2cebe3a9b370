import type { CatalogueEntry } from "./entry";

/** Segments: IMC.RFM, IMC.CLUSTER and IMC.LIFECYCLE. */
export const SEGMENT_FUNCTIONS: readonly CatalogueEntry[] = [
  {
    name: "IMC.RFM",
    id: "RFM",
    category: "Segments",
    signature: "IMC.RFM(customer_ids, order_dates, order_values, [as_of], [scheme])",
    summary:
      "Recency, frequency and monetary value per customer with 1–5 quintile scores, the RFM code and its named segment (Champions, Loyal, At Risk…).",
    example: '=IMC.RFM({"A";"B";"A";"C"}, {"2024-01-05";"2024-02-10";"2024-03-01";"2024-03-20"}, {120;80;60;200})',
    exampleResult: "Customer",
    returns: "A table: one row per customer with recency (days), frequency, monetary value, the 1–5 R, F and M scores, the RFM code and segment.",
  },
  {
    name: "IMC.CLUSTER",
    id: "CLUSTER",
    category: "Segments",
    signature: "IMC.CLUSTER(features, [clusters], [seed])",
    summary:
      "Behavioural cluster of each customer row: k-means on standardised log features, the number of clusters chosen by silhouette when left out.",
    example: "=IMC.CLUSTER({5,12,900;7,10,850;200,1,40;220,2,35;60,4,300;70,5,280}, 3)",
    exampleResult: "1.00",
    returns: "A column: the group number of each row (k-means), lined up with the rows given.",
  },
  {
    name: "IMC.LIFECYCLE",
    id: "LIFECYCLE",
    category: "Segments",
    signature: "IMC.LIFECYCLE(customer_ids, order_dates, [as_of], [thresholds])",
    summary: "Lifecycle stage of each customer (New, Active, At risk, Lapsed, Reactivated) from order dates, with editable day thresholds.",
    example: '=IMC.LIFECYCLE({"A";"B";"A"}, {"2024-01-05";"2024-02-10";"2024-06-01"}, , {30,60,90})',
    exampleResult: "Customer",
    returns: "A table: one row per customer with the lifecycle stage, days since the last and the first purchase, and orders.",
  },
];
