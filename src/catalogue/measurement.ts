import type { CatalogueEntry } from "./entry";

/** Measurement: ROCI (IMC.ROCI, IMC.ROCI.GROUPS, IMC.ROCI.LONGTERM), unit economics (IMC.CAC, IMC.RETENTION, IMC.CHURN, IMC.PAYBACK), campaigns (IMC.CAMPAIGNKPIS), experiments (IMC.ABTEST, IMC.SAMPLESIZE) and privacy (IMC.MASK). */
export const MEASUREMENT_FUNCTIONS: readonly CatalogueEntry[] = [
  {
    name: "IMC.ROCI",
    id: "ROCI",
    category: "ROCI",
    signature: "IMC.ROCI(contribution, investment, [baseline_contribution], [mode])",
    summary:
      "Return on customer investment: (contribution − baseline − investment) / investment, net by default or gross (= net + 1); cell by cell over ranges. Without a baseline the whole contribution counts as the return.",
    example: "=IMC.ROCI(62, 1, 60)",
    exampleResult: "1.00",
  },
  {
    name: "IMC.ROCI.GROUPS",
    id: "ROCI.GROUPS",
    category: "ROCI",
    signature: "IMC.ROCI.GROUPS(groups, contribution, investment, [baseline_contribution], [mode])",
    summary:
      "ROCI per customer group (segment, lifecycle stage, cluster): contribution, baseline, incremental contribution, investment and ROCI per group, with an All groups total.",
    example: '=IMC.ROCI.GROUPS({"Loyal";"New";"Loyal"}, {620;300;640}, {10;20;10}, {600;250;600})',
    exampleResult: "Group",
  },
  {
    name: "IMC.ROCI.LONGTERM",
    id: "ROCI.LONGTERM",
    category: "ROCI",
    signature: "IMC.ROCI.LONGTERM(customers, clv_before, clv_after, investment, [mode])",
    summary: "Long-term ROCI from the change in lifetime value: (customers × (CLV after − CLV before) − investment) / investment.",
    example: "=IMC.ROCI.LONGTERM(1000, 300, 310, 5000)",
    exampleResult: "1.00",
  },
  {
    name: "IMC.CAC",
    id: "CAC",
    category: "Unit economics",
    signature: "IMC.CAC(spend, new_customers)",
    summary: "Customer acquisition cost: acquisition spend per new customer; cell by cell over ranges.",
    example: "=IMC.CAC(50000, 400)",
    exampleResult: "125.00",
  },
  {
    name: "IMC.RETENTION",
    id: "RETENTION",
    category: "Unit economics",
    signature: "IMC.RETENTION(customers_start, customers_end, new_customers)",
    summary: "Retention rate: (customers at the end − new customers) / customers at the start.",
    example: "=IMC.RETENTION(1000, 1050, 200)",
    exampleResult: "0.85",
  },
  {
    name: "IMC.CHURN",
    id: "CHURN",
    category: "Unit economics",
    signature: "IMC.CHURN(customers_start, customers_end, new_customers)",
    summary: "Churn rate: 1 − retention rate, the share of the starting customers lost in the period.",
    example: "=IMC.CHURN(1000, 1050, 200)",
    exampleResult: "0.15",
  },
  {
    name: "IMC.PAYBACK",
    id: "PAYBACK",
    category: "Unit economics",
    signature: "IMC.PAYBACK(cac, margin_per_period)",
    summary: "Payback period: periods of margin needed to recover the acquisition cost (CAC / margin per period).",
    example: "=IMC.PAYBACK(125, 50)",
    exampleResult: "2.50",
  },
  {
    name: "IMC.CAMPAIGNKPIS",
    id: "CAMPAIGNKPIS",
    category: "Campaigns",
    signature: "IMC.CAMPAIGNKPIS(campaign_table, [open_rate_denominator])",
    summary:
      "Campaign KPIs (delivered, bounce, open, click-through, click-to-open, unsubscribe and conversion rates, pipeline growth, CPL, CPA, ROAS) from a table with recognised headers; one row per campaign.",
    example:
      '=IMC.CAMPAIGNKPIS({"Campaign","Sent","Hard bounces","Soft bounces","Unique opens","Unique clicks";"Spring",1000,10,40,380,95})',
    exampleResult: "Campaign",
  },
  {
    name: "IMC.ABTEST",
    id: "ABTEST",
    category: "Experiments",
    signature: "IMC.ABTEST(conversions_a, visitors_a, conversions_b, visitors_b, [confidence])",
    summary:
      "A/B test of two conversion rates (two-proportion z-test): rates, absolute and relative lift, z, p-value, confidence intervals and a verdict.",
    example: "=IMC.ABTEST(250, 5000, 295, 5000)",
    exampleResult: "Measure",
  },
  {
    name: "IMC.SAMPLESIZE",
    id: "SAMPLESIZE",
    category: "Experiments",
    signature: "IMC.SAMPLESIZE(baseline_rate, expected_rate, [confidence], [power])",
    summary: "Visitors needed per variant to detect a change in conversion rate (two-sided z-test, 95% confidence and 80% power by default).",
    example: "=IMC.SAMPLESIZE(0.05, 0.06)",
    exampleResult: "8155.00",
  },
  {
    name: "IMC.MASK",
    id: "MASK",
    category: "Privacy",
    signature: "IMC.MASK(values, [mode], [salt])",
    summary:
      'Masks personal data cell by cell: "hash" (a stable pseudonym, salted when a salt is given), "partial" (first letter and email domain, last 2 phone digits) or "redact".',
    example: '=IMC.MASK("ann@example.com", "partial")',
    exampleResult: "a***@example.com",
  },
];
