import type { CatalogueEntry } from "./entry";

/** Lead scoring (IMC.ENGAGEMENT, IMC.LEADSCORE and the fit score from a rules table, IMC.FITSCORE). */
export const LEAD_FUNCTIONS: readonly CatalogueEntry[] = [
  {
    name: "IMC.ENGAGEMENT",
    id: "ENGAGEMENT",
    category: "Leads",
    signature: "IMC.ENGAGEMENT(lead_ids, event_lead_ids, event_dates, event_points, [as_of], [half_life_days], [cap])",
    summary: "Engagement score of each lead: its activity points (visits, clicks, demo requests) halved every half-life, summed and capped at 100.",
    example: '=IMC.ENGAGEMENT({"L1";"L2"}, {"L1";"L1";"L2"}, {"2024-03-15";"2024-03-01";"2024-02-14"}, {10;20;30}, "2024-03-15", 14)',
    exampleResult: "20.00",
    returns: "A column: one engagement score (0 to the cap) per row of the lead list, lined up with it.",
  },
  {
    name: "IMC.FITSCORE",
    id: "FITSCORE",
    category: "Leads",
    signature: "IMC.FITSCORE(profile, rules, [cap])",
    summary: "Fit score of each lead from a rules table (attribute, condition, points) applied to its profile columns, from 0 to 100.",
    example:
      '=IMC.FITSCORE({"Industry","Employees","Job title";"Software",250,"Head of Marketing";"Retail",12,"Analyst"}, {"Industry","Software",30;"Employees","between 50 and 1000",25;"Job title","contains Head",20})',
    exampleResult: "75.00",
    returns: "A column: one fit score (0 to the cap) per lead row of the profile, lined up with it.",
  },
  {
    name: "IMC.LEADSCORE",
    id: "LEADSCORE",
    category: "Leads",
    signature: "IMC.LEADSCORE(fit_scores, engagement_scores, [fit_bands], [engagement_bands], [mql_thresholds])",
    summary: "Grade of each lead from its fit and engagement scores: fit band A/B/C × engagement band 1/2/3 (A1 … C3) and whether it is an MQL.",
    example: "=IMC.LEADSCORE({75;45;20}, {60;10;80})",
    exampleResult: "Fit band",
    returns: "A table: a header row, then one row per lead with the fit band, engagement band, grade (A1 … C3) and MQL (TRUE/FALSE).",
  },
];
