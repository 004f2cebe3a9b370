import type { CatalogueEntry } from "./entry";

/** Holdout incrementality (IMC.LIFT) and loyalty (IMC.NPS). */
export const LIFT_FUNCTIONS: readonly CatalogueEntry[] = [
  {
    name: "IMC.LIFT",
    id: "LIFT",
    category: "Experiments",
    signature: "IMC.LIFT(conversions_test, size_test, conversions_control, size_control, [revenue_test], [revenue_control], [spend], [confidence])",
    summary:
      "What a campaign added over a held-out control group: conversion rates, lift with its confidence interval, z, p-value, incremental conversions and, with revenues and spend, incremental revenue and iROAS.",
    example: "=IMC.LIFT(300, 10000, 250, 10000, 15000, 12000, 1000)",
    exampleResult: "Measure",
    returns:
      "A Measure | Value table: test and control conversion rates, lift and its interval, difference and its interval, z, p-value, incremental conversions, incremental revenue, spend, iROAS and a verdict.",
  },
  {
    name: "IMC.NPS",
    id: "NPS",
    category: "Loyalty",
    signature: "IMC.NPS(scores, [groups])",
    summary: "Net Promoter Score of 0–10 answers: % promoters (9–10) − % detractors (0–6), from −100 to 100; per group with an All row when groups are given.",
    example: "=IMC.NPS({10;10;9;8;7;6})",
    exampleResult: "Measure",
    returns: "A Measure | Value table (NPS, promoters, passives and detractors as shares, respondents), or with groups one row per group and an All row.",
  },
];
