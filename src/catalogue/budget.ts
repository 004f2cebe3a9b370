import type { CatalogueEntry } from "./entry";

/** Budget: IMC.ALLOCATE and IMC.RESPONSE. */
export const BUDGET_FUNCTIONS: readonly CatalogueEntry[] = [
  {
    name: "IMC.ALLOCATE",
    id: "ALLOCATE",
    category: "Budget",
    signature: "IMC.ALLOCATE(budget, units, ceilings, half_saturations, [shapes], [min_spend], [max_spend], [current_spend])",
    summary:
      "Splits a budget across channels or lifecycle stages for the most response on diminishing-return curves: spend, share, response, ROI and marginal ROI per unit, and a Total row.",
    example: '=IMC.ALLOCATE(1000, {"Search";"Social";"Email"}, {800;500;300}, {300;200;100})',
    exampleResult: "Unit",
    returns: "A table: one row per channel with its optimal spend, expected response, ROI and marginal ROI.",
  },
  {
    name: "IMC.RESPONSE",
    id: "RESPONSE",
    category: "Budget",
    signature: "IMC.RESPONSE(spend, ceiling, half_saturation, [shape])",
    summary: "Response that a spend buys on a diminishing-return (Hill) curve; works cell by cell over ranges, for plotting curves.",
    example: "=IMC.RESPONSE(300, 800, 300)",
    exampleResult: "400.00",
    returns: "A number: the response the spend buys on the channel's curve.",
  },
];
