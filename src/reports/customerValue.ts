/**
 * The Customer Value tab (IMC step 2: the financial value of customers): per customer the chance
 * they are still active (P(alive)), their expected purchases and value per purchase over a horizon,
 * and their discounted lifetime value (CLV); value by segment; the fitted models in words; the check
 * of the model against a holdout period when one is chosen.
 *
 * The numbers are exactly those of IMC.CLV.PREDICT and IMC.CLV.FIT on the same orders and options
 * (summary → BG/NBD, MBG/NBD or Pareto/NBD, or the automatic choice among them, + Gamma-Gamma →
 * discounted CLV, src/engine/clv). The automatic choice (the default) keeps the converged fit with the
 * highest log-likelihood, or the NBD without drop-out when the data show none; the tab says which
 * model was used and why. A fit that does not converge raises the engine's NOT_CONVERGED error: no
 * half tab is built.
 *
 * The tab is a list of sections (customerValue/): title and scope; a headline of five numbers with a
 * sentence each; red warnings when the holdout check fails or the model misfits the repeat purchases;
 * value by segment, the P(alive) distribution and the repeat-purchase histogram with their charts;
 * the high-value customers at risk; the model parameters in words and how the model was chosen; the
 * holdout check; the per-customer table sorted by CLV; provenance. Headline figures and the tables
 * over customers are formulas over the per-customer table, so the tab is laid out twice: once to
 * learn where that table lands, once with formulas pointing at it.
 *
 * BG/NBD gives every one-time buyer P(alive) = 1 (customers may stop only after a repeat purchase):
 * the tab shows their P(alive) as "not estimated (one order)" and counts them apart, rather than
 * reporting long-gone customers as certainly active.
 *
 * A new customer's CLV (for the Budget tab's CLV:CAC check) is what the model predicts for a customer
 * just acquired (first purchase today): the discounted expected repeat purchases over the horizon
 * times the population's mean value per purchase. The first (acquisition) order itself is not in it,
 * just as no customer's CLV here includes past orders.
 */

import type { Figure } from "./tabBuild";
import { labelledFigure, present, tableFigure } from "./tabFigures";
import { formatSerial } from "../engine/data";
import { formatCount } from "./format";
import type { OrdersInput } from "./inputs";
import { TabLayout, titleSection, warningsSection } from "./layout";
import { type ReportContext, type ReportSheet, tableNamed } from "./sheet";
import { analyseCustomerValue, type CustomerValueAnalysis, type CustomerValueOptions } from "./customerValue/analysis";
import { chartPlacer, columnWidths, CUSTOMER_TABLE, customersSection, customerTableRefs, horizonText } from "./customerValue/customers";
import { holdoutCheckSection, modelChoice, parameters } from "./customerValue/modelSections";
import { provenanceOf } from "./customerValue/provenance";
import { aliveDistribution, headline, highValueAtRisk, repeatPurchases, valueBySegment, warningsOf } from "./customerValue/summaries";
import { percentText } from "./customerValue/text";

export type { CustomerValueOptions } from "./customerValue/analysis";

export interface CustomerValueReport {
  readonly sheet: ReportSheet;
  /** CLV per customer id (the engine's id text); null past the customer cap (only the listed customers are in memory). */
  readonly clvByCustomer: ReadonlyMap<string, number> | null;
  /** Expected CLV of a customer acquired today over the horizon (repeat purchases; see the module comment). */
  readonly newCustomerClv: number;
  /** Mean CLV over the customers of the tab. */
  readonly averageClv: number;
  /** The tab's headline numbers for the Scorecard; see {@link customerValueFigures}. */
  readonly figures: readonly Figure[];
}

/**
 * The Customer Value tab's figures, each the cell that shows it:
 * - `customerValue.totalClv`: total CLV of the customers over the horizon (headline);
 * - `customerValue.averageClv`: average CLV per customer (value by segment, totals row);
 * - `customerValue.likelyActive`: repeat customers with P(alive) ≥ 50% (headline, the P(alive) summary);
 * - `customerValue.highValueAtRisk`: high-value customers probably lost (headline).
 * A figure is left out when the tab does not show it.
 */
export function customerValueFigures(sheet: ReportSheet): Figure[] {
  return present([
    labelledFigure(sheet, /^Total CLV/, { key: "customerValue.totalClv", label: "Total CLV of today's customers" }),
    tableFigure(sheet, "ValueBySegment", "totals", "Average CLV", { key: "customerValue.averageClv", label: "Average CLV per customer" }),
    labelledFigure(sheet, /^Repeat customers likely active/, { key: "customerValue.likelyActive", label: "Repeat customers likely still active (P(alive) ≥ 50%)" }),
    labelledFigure(sheet, "High-value customers at risk", { key: "customerValue.highValueAtRisk", label: "High-value customers at risk" }),
  ]);
}

/**
 * Builds the Customer Value tab from an order list.
 *
 * @param orders order rows (customer id, date, value; refunds negative).
 * @param options model, period, horizon, discount rate, as_of, holdout, segments.
 * @param context generation time for the provenance, the data's currency.
 * @returns the sheet, CLV per customer, a new customer's CLV and the average CLV.
 * @throws EngineError INVALID_INPUT naming the argument and row for bad orders (text in dates,
 *   mismatched lengths, blank ids) and naming the option for a bad horizon, discount rate, as_of or
 *   holdout; INSUFFICIENT_DATA when the models cannot be fitted (one customer, no repeat purchases,
 *   no purchase model converges under "auto", spend mean does not exist); NOT_CONVERGED when a named
 *   model's fit did not converge.
 */
export function buildCustomerValueTab(orders: OrdersInput, options: CustomerValueOptions, context: ReportContext): CustomerValueReport {
  const cv = analyseCustomerValue(orders, options);
  // The summaries' formulas refer to the per-customer table at the bottom: lay out once to find it.
  const draft = layOut(cv, context, 0);
  const sheet = layOut(cv, context, tableNamed(draft, CUSTOMER_TABLE)!.row);
  if (tableNamed(sheet, CUSTOMER_TABLE)!.row !== tableNamed(draft, CUSTOMER_TABLE)!.row) throw new Error("buildCustomerValueTab: the layout moved (a bug)");
  return { sheet, figures: customerValueFigures(sheet), clvByCustomer: cv.clvByCustomer, newCustomerClv: cv.newCustomerClv, averageClv: cv.averageClv };
}

/** The tab as its list of sections, the per-customer table's header on `customersRow`. */
function layOut(cv: CustomerValueAnalysis, context: ReportContext, customersRow: number): ReportSheet {
  const currency = context.currency;
  const customers = customerTableRefs(customersRow, cv.customers);
  const widths = columnWidths(cv);
  const chartAt = chartPlacer(widths);
  const tab = new TabLayout();
  tab.add(titleSection("Customer value", scopeLine(cv, currency)));
  tab.add(headline(cv, customers, currency));
  tab.add(warningsSection(warningsOf(cv)));
  tab.add(valueBySegment(cv, customers, chartAt, currency));
  tab.add(aliveDistribution(cv, customers, chartAt));
  tab.add(repeatPurchases(cv, customers, chartAt));
  tab.add(highValueAtRisk(cv, currency));
  tab.add(parameters(cv, currency));
  tab.add(modelChoice(cv));
  tab.add(holdoutCheckSection(cv, chartAt));
  tab.add(customersSection(cv, currency));
  return tab.sheet({ name: "Customer Value", columnWidths: widths, freeze: { rows: 2, columns: 1 }, provenance: provenanceOf(cv, context) });
}

/** The line under the title: what the tab answers, from what data, with which model. */
function scopeLine(cv: CustomerValueAnalysis, currency: string | undefined): string {
  const amounts = currency === undefined || currency.trim() === "" ? "amounts in the data's currency" : `amounts in ${currency}`;
  return `Chance each of ${formatCount(cv.customers)} customers is still active, expected purchases and lifetime value (CLV) over the next ${horizonText(cv)}, discounted at ${percentText(cv.annualRate, 1)} a year; ${cv.label} + Gamma-Gamma fitted on orders up to ${formatSerial(cv.summary.asOf)} from ${cv.source}; ${amounts}.`;
}
