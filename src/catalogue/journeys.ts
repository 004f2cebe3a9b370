import type { CatalogueEntry } from "./entry";

/** Buyer journeys (IMC.PATHS). */
export const JOURNEY_FUNCTIONS: readonly CatalogueEntry[] = [
  {
    name: "IMC.PATHS",
    id: "PATHS",
    category: "Attribution",
    signature: "IMC.PATHS(paths, conversions, [values], [nulls], [top])",
    summary:
      "The buyer journey from journey paths (Email > Search > Direct): the most frequent paths with their conversion rate and value, conversion by path length, and which channels open, assist and close converting journeys.",
    example: '=IMC.PATHS({"Email > Search";"Search";"Email > Search"}, {1;2;1}, , {3;2;1})',
    exampleResult: "Path",
    returns:
      "A table in three blocks, each under its own header row: the top paths (journeys, conversions, conversion rate, value); conversion by path length from 1 to 10+ touches; and per channel its share of first, assisting and last touches in converting journeys.",
  },
];
