/**
 * The Scorecard tab: the first tab of the workbook, the one it opens on. It answers "how is
 * marketing doing, step by step, and what do we do next?" on one page:
 * - "At a glance": the few numbers that matter most;
 * - the five IMC steps (identify, value, plan delivery, ROCI, budget) as five blocks, each with its
 *   headline numbers taken BY FORMULA from the tabs that compute them (`='Budget'!$B$40`, the tab
 *   named beside each, so they follow the tabs when a user changes an input) and "What to do next"
 *   from stated rules (a live IF over the number, the rule written under it);
 * - the three C's (Contribution, Commitment, Champions): revenue of the last 12 months against the
 *   12 before and CLV per RFM segment; repeat rate, retention and revenue from returning customers;
 *   the share of Champions, NPS (overall and per RFM segment) and referrals per 100 customers;
 * - provenance, with the tabs not built in this run and why.
 * A measure the data does not allow says so in words ("No survey in the workbook: NPS not measured").
 *
 * It refers only to tabs built in the same run (the figures it is given); the writers resolve the
 * references to the tabs' final names (sheet.ts, tabCell).
 */

import { formatSerial } from "../engine/data/dates";
import { EngineError } from "../engine/errors";
import type { BusinessData } from "./detect";
import { formatCount, FORMAT, moneyFormat } from "./format";
import { headlineSection, TabLayout, titleSection, type HeadlineItem } from "./layout";
import { a1, tabCell, type Cell, type Provenance, type ReportContext } from "./sheet";
import { collapseNotMeasured, measureValue, notMeasured, fromFigure, FigureBook, type Measure, type Rule } from "./scorecard/rows";
import { orderMeasures, referralCount, surveyMeasures, YEAR_DAYS, type OrderMeasures, type SurveyMeasures } from "./scorecard/measures";
import { measuresSection, segmentTableSection, type MeasureRows } from "./scorecard/sections";
import { dateText, percentText } from "./segmentation/labels";
import type { Figure, TabBuild } from "./tabBuild";
import { TAB_IDS, TAB_TITLES, type TabId } from "./tabIds";

/** What the Scorecard is given besides the data. */
export interface ScorecardInput {
  /** Excel serial of the analysis date; null: the last order date. */
  readonly asOf: number | null;
  /** The figures of the tabs built in this run (only those: the Scorecard never refers to a tab not written). */
  readonly figures: ReadonlyMap<TabId, readonly Figure[]>;
  /** Tabs not built in this run and why. */
  readonly skipped: readonly { readonly tab: TabId; readonly title: string; readonly reason: string }[];
  /** RFM segment by customer id (the Segmentation tab's), for NPS per segment; null when not computed. */
  readonly segmentByCustomer: ReadonlyMap<string, string> | null;
  /** Why there is no customer value model (the purchase model could not be fitted, or the tab was not built), when there is none. */
  readonly modelFailure: string | null;
}

/** The stated rules, one per measure they read. */
export const SCORECARD_RULES: readonly Rule[] = [
  {
    key: "segmentation.championsRevenueShare",
    test: "atLeast",
    threshold: 0.5,
    thresholdText: "50%",
    what: "Champions' share of revenue",
    then: "revenue hangs on a few customers: protect the Champions (early access, loyalty perks, no discounts) and move Loyal Customers up",
    otherwise: "grow the Champions: ask Loyal Customers and Potential Loyalists for their next order",
  },
  {
    key: "customerValue.highValueAtRisk",
    test: "atLeast",
    threshold: 1,
    thresholdText: "1 customer",
    what: "High-value customers at risk",
    then: "contact the high-value customers at risk (listed on the Customer Value tab) with a personal win-back offer",
    otherwise: "no high-value customer is slipping away: keep the contact rhythm",
  },
  {
    key: "leads.mqlShare",
    test: "below",
    threshold: 0.1,
    thresholdText: "10%",
    what: "Share of leads that qualify (MQL)",
    then: "too few leads qualify: loosen the MQL threshold or nurture leads longer before sales",
    otherwise: "keep the MQL threshold and check that MQLs convert better than other leads",
  },
  {
    key: "experiments.iroas",
    test: "below",
    threshold: 1,
    thresholdText: "1.00×",
    what: "A campaign's incremental ROAS (iROAS)",
    then: "stop or re-target the campaign: it brings less incremental revenue than it costs",
    otherwise: "the tested campaigns pay for themselves: keep them and test the next against a holdout",
  },
  {
    key: "attribution.blendedRoci",
    test: "below",
    threshold: 0,
    thresholdText: "0%",
    what: "Blended ROCI of paid channels",
    then: "paid channels earn back less than they cost: move spend away from the channels below break-even (red on the Attribution tab)",
    otherwise: "paid channels earn back their spend: shift budget towards the best ROCI",
  },
  {
    key: "campaignKpis.roas",
    test: "below",
    threshold: 1,
    thresholdText: "1.00×",
    what: "Campaign ROAS",
    then: "campaigns bring less revenue than they cost: cut the campaigns below 1.00× (red on the Campaign KPIs tab)",
    otherwise: "campaigns return more than they cost: cut only the ones below 1.00× (red on the Campaign KPIs tab)",
  },
  {
    key: "budget.clvToCac",
    test: "below",
    threshold: 3,
    thresholdText: "3.00",
    what: "CLV : CAC",
    then: "cut acquisition spend or raise first-order margin: a new customer is worth less than 3 times what they cost",
    otherwise: "acquisition pays for itself at this budget: fund the plan",
  },
  {
    key: "segmentation.repeatRate",
    test: "below",
    threshold: 0.3,
    thresholdText: "30%",
    what: "Repeat customers (2+ orders)",
    then: "most customers buy once: make the second order the goal (a follow-up offer within 30 days of the first)",
    otherwise: "customers come back: reward the Champions and win back At Risk customers before they lapse",
  },
  {
    key: "cohorts.retention3",
    test: "below",
    threshold: 0.2,
    thresholdText: "20%",
    what: "3-month retention",
    then: "fix the first 90 days: a welcome series and a first-repeat offer",
    otherwise: "early retention holds: reach more customers like the best cohorts",
  },
];

/**
 * Builds the Scorecard from the figures of the tabs built in the run and the data (orders, survey,
 * referrals).
 *
 * @param data the business's tables.
 * @param input the figures of the tabs built, the tabs skipped, RFM segments by customer.
 * @param context generation time, notes (the tabs not built, rows left out), currency.
 * @returns the sheet and its own figures (`scorecard.revenue12`, `scorecard.revenueChange`,
 *   `scorecard.returningShare`, `scorecard.nps`, `scorecard.referralsPer100`, when measured).
 * @throws EngineError INSUFFICIENT_DATA when there are neither orders nor figures of another tab;
 *   INVALID_INPUT for a bad order, survey or referral cell (argument and row named).
 */
export function buildScorecardTab(data: BusinessData, input: ScorecardInput, context: ReportContext): TabBuild {
  const book = new FigureBook(input.figures);
  const orders = data.orders === null ? null : orderMeasures(data.orders, input.asOf);
  if (orders === null && input.figures.size === 0) {
    throw new EngineError("INSUFFICIENT_DATA", "the Scorecard needs orders or another tab of this run to read its numbers from");
  }
  const survey = data.survey ? surveyMeasures(data.survey, input.segmentByCustomer) : null;
  const currency = context.currency;
  const why = (tab: TabId, what: string): string => {
    const skipped = input.skipped.find((entry) => entry.tab === tab);
    const title = TAB_TITLES[tab];
    if (skipped !== undefined) {
      const reason = skipped.reason.replace(/ \([^)]*\)/g, "");
      return reason.startsWith("it needs ") ? `Not measured: the ${title} tab ${reason.slice(3)}.` : `Not measured: the ${title} tab was not built (${reason}).`;
    }
    if (book.hasTab(tab)) return `Not measured: the ${title} tab does not show ${what} for this data.`;
    return `Not measured: the ${title} tab is not in this run.`;
  };
  const fig = (key: string, label: string, note: string, tab: TabId, what: string): Measure => fromFigure(book, key, label, note, why(tab, what), (t) => TAB_TITLES[t], what);

  const steps: { heading: string; lead: string; measures: Measure[] }[] = [
    {
      heading: "1. Identify customers by what they do",
      lead: "Who buys, and who matters most (RFM segments from the orders).",
      measures: [
        fig("segmentation.customers", "Customers with an order", "each in one RFM segment", "segmentation", "customers"),
        fig("segmentation.championsRevenueShare", "Champions: share of revenue", "Champions bought recently, buy often and spend the most", "segmentation", "Champions"),
      ],
    },
    {
      heading: "2. Value customers",
      lead: "What customers are worth: lifetime value (CLV) from the purchase model, and how fast a cohort pays back.",
      measures: [
        fig("customerValue.totalClv", "Total CLV of today's customers", "what they are expected to spend over the model's horizon", "customer-value", "CLV"),
        fig("customerValue.averageClv", "Average CLV per customer", "the basis of what acquiring a customer may cost", "customer-value", "CLV"),
        fig("customerValue.likelyActive", "Repeat customers likely still active", "more likely than not still buying (P(alive) ≥ 50%)", "customer-value", "P(alive)"),
        fig("customerValue.highValueAtRisk", "High-value customers at risk", "top 20% by past revenue, probably lost", "customer-value", "customers at risk"),
        fig("cohorts.revenue12", "Revenue per customer in the first 12 months", "average over the cohorts", "cohorts", "12-month revenue"),
        fig("cohorts.paybackMonth", "Months for a cohort to pay back its CAC", "from the cohorts' cumulative revenue", "cohorts", "payback"),
      ],
    },
    {
      heading: "3. Plan delivery and content",
      lead: "Where customers meet the brand: the channels that convert, the journeys, and the leads that qualify.",
      measures: [
        fig("attribution.topChannel", "Channel with the most credit", "over the seven attribution models", "attribution", "channels"),
        fig("attribution.topChannelShare", "Its share of conversions", "data-driven (Markov) credit", "attribution", "credit"),
        fig("journey.journeys", "Customer journeys", "in the touchpoint log", "journey", "journeys"),
        fig("journey.conversionRate", "Journeys that convert", "share of journeys ending in a conversion", "journey", "conversion"),
        fig("journey.medianTouches", "Touches before a conversion (median)", "a long journey needs more content per stage", "journey", "touches"),
        fig("journey.topOpener", "Channel that opens most journeys", "the first touch of converting journeys", "journey", "openers"),
        fig("leads.count", "Leads", "in the lead table", "leads", "leads"),
        fig("leads.mqlShare", "Share of leads that qualify (MQL)", "marketing-qualified by fit and engagement 30 days after they came in", "leads", "MQLs"),
        fig("leads.mqlConversion", "MQLs that become customers", "leads that qualified within 30 days, against other leads beside it", "leads", "MQL conversion"),
        fig("leads.nonMqlConversion", "Other leads that become customers", "if close to MQLs, the score does not sort", "leads", "conversion"),
      ],
    },
    {
      heading: "4. Return on customer investment (ROCI)",
      lead: "What marketing brought back for what it cost: credited value, campaign results, and lift over a holdout.",
      measures: [
        fig("attribution.blendedRoci", "Blended ROCI of paid channels", "(value credited − spend) ÷ spend, data-driven", "attribution", "ROCI (no spend table)"),
        fig("campaignKpis.spend", "Campaign spend", "in the campaign table", "campaign-kpis", "spend"),
        fig("campaignKpis.roas", "Campaign ROAS", "campaign revenue ÷ spend", "campaign-kpis", "ROAS"),
        fig("experiments.campaigns", "Campaigns tested against a holdout", "test group against a control group", "experiments", "experiments"),
        fig("experiments.bestLift", "Best lift over the holdout", "test conversion against control", "experiments", "lift"),
        fig("experiments.incrementalRevenue", "Incremental revenue", "revenue the campaigns caused, beyond the holdout", "experiments", "incremental revenue"),
        fig("experiments.iroas", "Incremental ROAS (iROAS)", "incremental revenue ÷ spend", "experiments", "iROAS"),
      ],
    },
    {
      heading: "5. Budget, allocate, evaluate",
      lead: "What the revenue target costs when worked back from the end, and whether acquisition pays.",
      measures: [
        fig("budget.budget", "Budget for the next 12 months", "worked back from the revenue target", "budget", "a budget"),
        fig("budget.newCustomers", "New customers needed", "to fill the gap existing customers leave", "budget", "new customers"),
        fig("budget.cac", "Cost per new customer (CAC)", "spend on acquisition ÷ new customers", "budget", "CAC"),
        fig(
          "budget.clvToCac",
          "CLV : CAC",
          "CLV of a new customer ÷ what winning them costs",
          "budget",
          input.modelFailure === null ? "CLV : CAC" : `CLV : CAC (no customer value model: ${input.modelFailure})`,
        ),
      ],
    },
  ];

  // The three C's.
  const asOfText = orders === null ? null : dateText(orders.asOf);
  const contribution = contributionMeasures(orders, currency);
  const commitment: Measure[] = [
    fig("segmentation.repeatRate", "Repeat customers (2+ orders)", "share of customers who ordered twice or more", "segmentation", "repeat customers"),
    fig("cohorts.retention3", "Customers still buying 3 months after their first order", "average over the cohorts", "cohorts", "3-month retention"),
    fig("budget.retentionRate", "Customers who buy again within 12 months", "the Budget tab's retention rate", "budget", "retention"),
    orders === null || orders.revenue === 0
      ? notMeasured("scorecard.returningShare", "Share of revenue from returning customers", "", "Not measured: no orders with revenue in the workbook.")
      : {
          key: "scorecard.returningShare",
          label: "Share of revenue from returning customers",
          cell: orders.returningRevenue / orders.revenue,
          format: FORMAT.percent,
          from: "Orders",
          note: "revenue of orders after a customer's first order day",
        },
  ];
  const champions = championsMeasures(book, fig, survey, data, orders);

  const tab = new TabLayout();
  tab.add(titleSection("Scorecard", subtitleOf(orders, asOfText, currency, data)));
  const headlineKeys = headlineKeysOf(steps, contribution, commitment, champions);
  const headlineTop = tab.reserve(1 + headlineKeys.length);
  const rows: MeasureRows = new Map();
  const rulesFor = (measures: readonly Measure[]): Rule[] => SCORECARD_RULES.filter((rule) => measures.some((m) => m.key === rule.key && m.cell !== null));
  tab.add((top) => ({ blocks: [{ kind: "cells", row: top, column: 0, values: [["The five IMC steps"]], style: "title" }], rows: 1 }));
  for (const step of steps) tab.add(measuresSection(step.heading, step.lead, collapseNotMeasured(step.measures), rulesFor(step.measures), rows));
  tab.add((top) => ({ blocks: [{ kind: "cells", row: top, column: 0, values: [["The three C's: how customers pay back"]], style: "title" }], rows: 1 }));
  tab.add(measuresSection("Contribution", "What customers bring in, and how it changes.", contribution, [], rows));
  tab.add(clvBySegmentSection(book, currency));
  tab.add(measuresSection("Commitment", "Whether customers stay and come back.", commitment, rulesFor(commitment), rows));
  tab.add(measuresSection("Champions", "Whether customers recommend the brand.", champions, rulesFor(champions), rows));
  tab.add(npsBySegmentSection(survey));

  const all = [...steps.flatMap((s) => s.measures), ...contribution, ...commitment, ...champions];
  tab.fill(headlineTop, 1 + headlineKeys.length, headlineSection(headlineItems(headlineKeys, all, rows, orders, survey)));

  const sheet = tab.sheet({ name: "Scorecard", columnWidths: [46, 16, 20, 70], freeze: { rows: 2, columns: 0 }, provenance: provenanceOf(data, input, orders, context) });
  const figures: Figure[] = [];
  for (const measure of [...contribution, ...commitment, ...champions]) {
    if (!measure.key.startsWith("scorecard.") || measure.cell === null) continue;
    const value = measureValue(measure);
    figures.push({ key: measure.key, label: measure.label, row: rows.get(measure.key)!, column: 1, value: typeof value === "boolean" ? null : value, format: measure.format });
  }
  return { sheet, figures };
}

/** The line under the title. */
function subtitleOf(orders: OrderMeasures | null, asOf: string | null, currency: string | undefined, data: BusinessData): string {
  const amounts = currency === undefined || currency.trim() === "" ? " Amounts in the data's currency." : "";
  const scope = orders === null ? `From ${data.touchpoints?.source ?? "the data"}` : `${formatCount(orders.customers)} customers with an order from ${dateText(orders.first)} to ${asOf}, from ${data.orders!.source}`;
  return `How marketing is doing at each IMC step, and what to do next. ${scope}. Numbers from other tabs are formulas that follow them (the tab is named beside each).${amounts}`;
}

/** Revenue of the last 12 months, the 12 before, and the change between them (a formula over the two). */
function contributionMeasures(orders: OrderMeasures | null, currency: string | undefined): Measure[] {
  const money = `${moneyFormat(currency, 0)}_)`;
  if (orders === null) {
    return [notMeasured("scorecard.revenue12", "Revenue, last 12 months", "", "Not measured: no orders in the workbook.")];
  }
  const last: Measure = {
    key: "scorecard.revenue12",
    label: "Revenue, last 12 months",
    cell: orders.revenueLast12,
    format: money,
    from: "Orders",
    note: `orders of the ${YEAR_DAYS} days up to ${dateText(orders.asOf)}`,
  };
  if (orders.revenuePrevious12 === null || orders.revenuePrevious12 === 0) {
    return [last, notMeasured("scorecard.revenueChange", "Change against the 12 months before", "", `Not measured: the orders start on ${dateText(orders.first)}, less than 24 months before the last one.`)];
  }
  const previous = orders.revenuePrevious12;
  return [
    last,
    { key: "scorecard.revenuePrevious12", label: "Revenue, the 12 months before", cell: previous, format: money, from: "Orders", note: `orders of the ${YEAR_DAYS} days before those` },
    {
      key: "scorecard.revenueChange",
      label: "Change against the 12 months before",
      cell: orders.revenueLast12 / previous - 1,
      format: "+0.0%;-0.0%;0.0%",
      from: "Orders",
      note: "the contribution's change: last 12 months ÷ the 12 before − 1",
      formulaOf: (rowOf) => `${a1(rowOf("scorecard.revenue12"), 1)}/${a1(rowOf("scorecard.revenuePrevious12"), 1)}-1`,
    },
  ];
}

/** Champions: their share of customers, NPS from a survey, referrals per 100 customers. */
function championsMeasures(
  book: FigureBook,
  fig: (key: string, label: string, note: string, tab: TabId, what: string) => Measure,
  survey: SurveyMeasures | null,
  data: BusinessData,
  orders: OrderMeasures | null,
): Measure[] {
  const measures: Measure[] = [fig("segmentation.championsShare", "Champions: share of customers", "bought recently, buy often and spend the most", "segmentation", "Champions")];
  if (survey === null) {
    measures.push(notMeasured("scorecard.nps", "Net Promoter Score (NPS)", "", "No survey in the workbook: NPS not measured."));
  } else {
    const { all } = survey;
    measures.push({
      key: "scorecard.nps",
      label: "Net Promoter Score (NPS)",
      cell: Math.round(all.nps * 10) / 10,
      format: "+0;-0;0",
      from: "Survey",
      note: `% promoters (9–10) − % detractors (0–6) of ${formatCount(all.respondents)} answers: ${percentText(all.promoterShare)} promoters, ${percentText(all.detractorShare)} detractors`,
    });
  }
  const referrals = data.referrals ?? null;
  const customers = book.get("segmentation.customers")?.figure.value ?? orders?.customers ?? null;
  if (referrals === null) {
    measures.push(notMeasured("scorecard.referralsPer100", "Referrals per 100 customers", "", "No referral column in the workbook: referrals not measured."));
  } else if (typeof customers !== "number" || customers === 0) {
    measures.push(notMeasured("scorecard.referralsPer100", "Referrals per 100 customers", "", "Not measured: no customers with an order to divide by."));
  } else {
    const count = referralCount(referrals);
    measures.push({
      key: "scorecard.referralsPer100",
      label: "Referrals per 100 customers",
      cell: (100 * count) / customers,
      format: "0.0",
      from: "Referrals",
      note: `${formatCount(count)} referrals by ${formatCount(customers)} customers with an order`,
    });
  }
  return measures;
}

/** Average CLV per RFM segment, each by formula from the Segmentation tab, with a bar chart. */
function clvBySegmentSection(book: FigureBook, currency: string | undefined) {
  const keys = book.keys("segmentation.averageClv.");
  const money = moneyFormat(currency, 2);
  const lines = keys.map((key) => {
    const { tab, figure } = book.get(key)!;
    const segment = key.slice("segmentation.averageClv.".length);
    const cell: Cell = { formula: tabCell(tab, figure.row, figure.column), value: figure.value };
    return [segment, cell, "Segmentation tab"] as const;
  });
  return segmentTableSection(
    "Contribution per RFM segment",
    "Average CLV of each segment's customers: where future revenue sits. By formula from the Segmentation tab.",
    "ScorecardClvBySegment",
    ["RFM segment", "Average CLV", "From"],
    lines,
    [money, money],
    "Average CLV per RFM segment",
  );
}

/** NPS per RFM segment, when the survey's answers carry customer ids. */
function npsBySegmentSection(survey: SurveyMeasures | null) {
  const groups = survey?.bySegment ?? [];
  return segmentTableSection(
    "NPS per RFM segment",
    "Survey answers matched to the customers' RFM segments by customer id.",
    "ScorecardNpsBySegment",
    ["RFM segment", "NPS", "Answers"],
    groups.map((g) => [g.group, Math.round(g.nps * 10) / 10, g.respondents] as const),
    ["+0;-0;0", FORMAT.integer],
    "NPS per RFM segment",
  );
}

/** The measures the headline shows, most telling first, among the measured ones (3 to 5). */
function headlineKeysOf(...groups: (readonly Measure[] | readonly { measures: readonly Measure[] }[])[]): string[] {
  const measured = new Set<string>();
  for (const group of groups) {
    for (const item of group) {
      const list = "measures" in item ? item.measures : [item];
      for (const m of list) if (m.cell !== null) measured.add(m.key);
    }
  }
  const preferred = [
    "segmentation.customers",
    "scorecard.revenue12",
    "customerValue.totalClv",
    "budget.clvToCac",
    "scorecard.nps",
    "segmentation.championsRevenueShare",
    "attribution.blendedRoci",
    "experiments.iroas",
    "campaignKpis.roas",
  ];
  return preferred.filter((key) => measured.has(key)).slice(0, 5);
}

/** The headline's items: each a reference to the measure's number below, with a sentence. */
function headlineItems(keys: readonly string[], measures: readonly Measure[], rows: MeasureRows, orders: OrderMeasures | null, survey: SurveyMeasures | null): HeadlineItem[] {
  return keys.map((key) => {
    const measure = measures.find((m) => m.key === key)!;
    const value = measureValue(measure);
    const number = typeof value === "number" ? value : 0;
    const cell: Cell = { formula: a1(rows.get(key)!, 1), value };
    const format = `${measure.format ?? FORMAT.decimal}`;
    const base = { label: measure.label, value: cell, format: format.endsWith("_)") ? format : `${format}_)` };
    switch (key) {
      case "segmentation.customers":
        return { ...base, sentence: "customers with an order, each in one RFM segment (Segmentation tab)." };
      case "scorecard.revenue12": {
        const change = orders?.revenuePrevious12 ? orders.revenueLast12 / orders.revenuePrevious12 - 1 : null;
        return { ...base, sentence: change === null ? "revenue of the last 12 months of orders." : `${change >= 0 ? "+" : ""}${percentText(change)} on the 12 months before (Contribution, below).` };
      }
      case "customerValue.totalClv":
        return { ...base, sentence: "what today's customers are expected to spend over the model's horizon (Customer Value tab)." };
      case "budget.clvToCac":
        return {
          ...base,
          sentence: number < 3 ? "below 3: acquisition is too expensive at this budget; cut spend or raise first-order margin (Budget tab)." : "3 or more: a new customer is worth at least 3 times what they cost (Budget tab).",
          bad: number < 3,
        };
      case "scorecard.nps":
        return { ...base, sentence: `promoters minus detractors, from ${formatCount(survey?.all.respondents ?? 0)} survey answers (Champions, below).`, bad: number < 0 };
      case "segmentation.championsRevenueShare":
        return { ...base, sentence: "of revenue comes from the Champions (Segmentation tab)." };
      case "attribution.blendedRoci":
        return { ...base, sentence: "net return of the paid channels on credited value (Attribution tab).", bad: number < 0 };
      case "experiments.iroas":
        return { ...base, sentence: "incremental revenue per unit of spend, against a holdout (Experiments tab).", bad: number < 1 };
      default:
        return { ...base, sentence: "campaign revenue per unit of spend (Campaign KPIs tab).", bad: number < 1 };
    }
  });
}

/** "Where these numbers come from". */
function provenanceOf(data: BusinessData, input: ScorecardInput, orders: OrderMeasures | null, context: ReportContext): Provenance {
  const sources: string[] = [];
  const tabs = TAB_IDS.filter((tab) => input.figures.has(tab)).map((tab) => TAB_TITLES[tab]);
  if (tabs.length > 0) sources.push(`The tabs of this run: ${tabs.join(", ")}`);
  if (data.orders) sources.push(data.orders.source);
  if (data.survey) sources.push(data.survey.source);
  if (data.referrals) sources.push(data.referrals.source);
  const options: { label: string; value: string }[] = [];
  if (orders !== null) options.push({ label: "As of", value: formatSerial(orders.asOf) });
  options.push(
    { label: "Numbers from other tabs", value: "formulas that read the other tabs' cells, so they follow those tabs when an input changes" },
    { label: "Revenue windows", value: `the ${YEAR_DAYS} days up to as of, and the ${YEAR_DAYS} days before; refunds reduce revenue` },
    { label: "Returning customers", value: "orders dated after the customer's first order day" },
    { label: "NPS", value: "% promoters (answers 9–10) − % detractors (0–6), −100 to 100" },
    { label: "Referrals per 100 customers", value: "referrals counted ÷ customers with an order × 100" },
    { label: "What to do next", value: "the rules stated under each block; the advice is a formula over the number it reads" },
  );
  return { sources, options, generatedAt: context.generatedAt, notes: [...(context.notes ?? [])] };
}
