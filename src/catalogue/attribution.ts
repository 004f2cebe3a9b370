import type { CatalogueEntry } from "./entry";

/** Attribution: IMC.ATTRIBUTE and IMC.ATTRIBUTE.EVENTS. */
export const ATTRIBUTION_FUNCTIONS: readonly CatalogueEntry[] = [
  {
    name: "IMC.ATTRIBUTE",
    id: "ATTRIBUTE",
    category: "Attribution",
    signature: "IMC.ATTRIBUTE(paths, conversions, [model], [values], [nulls], [separator])",
    summary:
      "Conversions and value credited to each channel from journey paths (Email > Search > Direct): first, last, linear, position, time decay, exact Markov removal effects, Shapley, or all side by side. Takes aggregated paths: one row per distinct path with its conversions and nulls (counts). Credit is not incrementality.",
    example: '=IMC.ATTRIBUTE({"A > B";"B"}, {3;1}, "linear")',
    exampleResult: "Channel",
    returns: 'A table: one row per channel with the conversions and value it is credited under the model (all seven models side by side with "all").',
  },
  {
    name: "IMC.ATTRIBUTE.EVENTS",
    id: "ATTRIBUTE.EVENTS",
    category: "Attribution",
    signature:
      "IMC.ATTRIBUTE.EVENTS(customer_ids, timestamps, channels, conversions, [model], [lookback_days], [half_life_days])",
    summary:
      "The same credit from a raw touchpoint log: each customer's touches within the look-back window before a conversion form its journey; touches with no later conversion count as non-converting journeys. Credit is not incrementality.",
    example: '=IMC.ATTRIBUTE.EVENTS({"c1";"c1";"c1"}, {45292;45293;45294}, {"Email";"Search";""}, {0;0;120}, "linear")',
    exampleResult: "Channel",
    returns: "A table: one row per channel with the conversions and value credited, built from a raw touchpoint log.",
  },
];
