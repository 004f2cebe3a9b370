import type { CatalogueEntry } from "./entry";

/** Customer value: IMC.CLV and the probabilistic models (IMC.CUSTOMERS, IMC.CLV.FIT, IMC.CLV.PREDICT). */
export const CUSTOMER_VALUE_FUNCTIONS: readonly CatalogueEntry[] = [
  {
    name: "IMC.CLV",
    id: "CLV",
    category: "Customer value",
    signature: "IMC.CLV(margin, retention_rate, discount_rate, [periods], [margin_now])",
    summary:
      "Customer lifetime value from margin per period, retention rate and discount rate; works cell by cell over ranges.",
    example: "=IMC.CLV(100, 0.8, 0.1)",
    exampleResult: "266.67",
  },
];
