/**
 * The Cohorts tab (acquisition cohorts, IMC steps 2 and 5: what customers are worth over time, and
 * when they earn back what they cost): customers grouped by the month of their first order, the
 * share of each cohort still ordering in each month since, cumulative revenue per customer, and the
 * month in which each cohort's revenue per customer reaches the cost of acquiring a customer (CAC).
 *
 * The matrices are exactly IMC.COHORTS's (measure "retention" and "revenue", period "month") on the
 * same orders and as-of date (src/engine/cohorts). The tab shows the latest 24 cohorts and months 0
 * to 23 and says so when it cuts. CAC: the CAC option, else the spend table (per cohort month when
 * spend rows have months), else none and the payback part says why and how to give it
 * (src/reports/cohorts/analysis.ts).
 *
 * Sections: title and scope; "At a glance" (cohorts, month-3 retention, 12-month revenue per
 * customer, median payback month); red warnings (young cohorts, retention falling for recent
 * cohorts, no payback yet); the retention matrix with a one-hue colour scale and its average row;
 * the revenue matrix with its average row and the CAC line; retention curves and revenue against
 * CAC (line charts over those rows); the payback table; where the numbers come from.
 *
 * Figures (TabBuild.figures), each pointing at its headline cell:
 * - `cohorts.count`: number of monthly cohorts;
 * - `cohorts.retention3`: share of customers ordering in month 3 after their first order, weighted
 *   by cohort size, over the cohorts that reached month 3 (text "not reached" when none did);
 * - `cohorts.revenue12`: cumulative revenue per customer at month 12 over the cohorts that reached
 *   it, or at the oldest cohort's latest month when none did (the label names the month);
 * - `cohorts.paybackMonth`: median payback month (text "not yet" when the median cohort has not
 *   paid back), only when a CAC is known.
 */

import { cohortRow } from "../engine/cohorts";
import { serialToCalendar } from "../engine/data";
import { analyseCohorts, type CohortAnalysis } from "./cohorts/analysis";
import { cacLineSection, chartsSection, headlineItems, type MatrixPlace, matrixSection, moneyText, paybackSection, warningsOf } from "./cohorts/sections";
import { formatCount } from "./format";
import { headlineSection, TabLayout, titleSection, warningsSection } from "./layout";
import { cellAt, cellValue, type ReportContext } from "./sheet";
import type { Figure, TabBuilder } from "./tabBuild";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "31 Dec 1997" for a date serial. */
function dayText(serial: number): string {
  const { year, month, day } = serialToCalendar(serial);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** Where the CAC came from, in words, for provenance. */
function cacText(cv: CohortAnalysis, currency: string | undefined): string {
  const source = cv.cacSource;
  switch (source.kind) {
    case "given":
      return `${moneyText(source.cac, currency)} per new customer, given`;
    case "spendTotal":
      return `marketing spend ${moneyText(source.spend, currency, 0)} ÷ ${formatCount(source.customers)} customers acquired = ${moneyText(source.cac, currency)} (spend has no months; all spend counted as acquisition spend, so an upper bound)`;
    case "spendByMonth":
      return `per cohort: the month's marketing spend ÷ the customers acquired in it (${formatCount(source.cohortsWithSpend)} cohorts with spend, ${moneyText(source.spend, currency, 0)} in all; all spend counted as acquisition spend, so an upper bound)`;
    case "none":
      return `none (${source.reason})`;
  }
}

/** Width of a month column: "Month 23" with its filter button, or the widest revenue per customer or CAC as shown. */
function monthWidth(cv: CohortAnalysis, currency: string | undefined): number {
  const { matrix } = cv;
  let largest = cv.averageCac ?? 0;
  for (const c of cv.shownCohorts) {
    const revenue = cohortRow(matrix, "revenue", c);
    for (let k = 0; k < cv.shownMonths; k++) largest = Math.max(largest, Math.abs(revenue[k] ?? 0));
  }
  return Math.max(11, moneyText(largest, currency).length + 3);
}

/**
 * Builds the Cohorts tab from the orders (required), the spend table (optional) and the CAC option.
 *
 * @param data the workbook's tables: `orders` required, `spend` optional.
 * @param options `asOf` (default the last order date) and `cac` (currency per new customer).
 * @param context generation time, the data's currency, run notes.
 * @returns the sheet and its figures (see the module comment).
 * @throws EngineError INSUFFICIENT_DATA without orders; INVALID_INPUT for a bad order or spend cell
 *   (argument and row named), an as-of date before the first order, or a CAC that is not positive.
 */
export const buildCohortsTab: TabBuilder = (data, options, context: ReportContext) => {
  const currency = context.currency;
  const cv = analyseCohorts(data.orders, data.spend, options.asOf, options.cac);
  const { matrix } = cv;
  const tab = new TabLayout();
  tab.add(
    titleSection(
      "Cohorts",
      `Customers grouped by the month of their first order: who keeps ordering and what they spend, from ${formatCount(matrix.ordersUsed)} orders of ${formatCount(matrix.customerCount)} customers up to ${dayText(matrix.asOf)}. Amounts in ${currency ?? "the data's currency"}.`,
    ),
  );
  const headline = headlineItems(cv, currency);
  const headlineTop = tab.add(headlineSection(headline.map((h) => h.item)));
  tab.add(warningsSection(warningsOf(cv), "Read this first", 14));
  let retention: MatrixPlace | null = null;
  let revenue: MatrixPlace | null = null;
  tab.add(matrixSection(cv, "retention", currency, (place) => (retention = place)));
  tab.add(matrixSection(cv, "revenue", currency, (place) => (revenue = place)));
  const cacRow = cv.averageCac === null ? null : tab.add(cacLineSection(cv, currency));
  tab.add(chartsSection(cv, retention!, revenue!, cacRow, currency));
  tab.add(paybackSection(cv, currency));

  const notes: string[] = [];
  if (matrix.ordersAfterAsOf > 0) notes.push(`${formatCount(matrix.ordersAfterAsOf)} orders dated after ${dayText(matrix.asOf)} were left out.`);
  if (matrix.customersAfterAsOf > 0) notes.push(`${formatCount(matrix.customersAfterAsOf)} customers whose first order is after ${dayText(matrix.asOf)} were left out.`);
  notes.push("Revenue is the order values; refunds (negative values) reduce it and still count as an order in their month.");
  notes.push(...cv.spendNotes, ...(data.orders?.readingNotes ?? []), ...(context.notes ?? []));
  const sheet = tab.sheet({
    name: "Cohorts",
    columnWidths: [Math.max(32, ...headline.map((h) => h.item.label.length + 2)), 13, ...Array<number>(cv.shownMonths).fill(monthWidth(cv, currency))],
    freeze: { rows: 2, columns: 1 },
    provenance: {
      sources: [data.orders!.source, ...(data.spend ? [data.spend.source] : [])],
      options: [
        { label: "As of", value: dayText(matrix.asOf) },
        { label: "Cohorts", value: "calendar months of the first order; month 0 is that month, month 1 the next calendar month" },
        { label: "CAC", value: cacText(cv, currency) },
      ],
      generatedAt: context.generatedAt,
      notes,
    },
  });

  const figures: Figure[] = headline.flatMap(({ item, key }, i) => {
    if (key === null) return [];
    const row = headlineTop + 1 + i;
    const cell = cellAt(sheet, row, 1);
    const value = cell === undefined ? null : cellValue(cell);
    return [{ key, label: item.label, row, column: 1, value: typeof value === "boolean" ? null : value, format: item.format }];
  });
  return { sheet, figures };
};
