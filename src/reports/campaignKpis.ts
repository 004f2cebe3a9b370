/**
 * The Campaign KPIs tab: every KPI a campaign table allows (the numbers of IMC.CAMPAIGNKPIS, engine
 * src/engine/campaigns/campaignKpis.ts), with spend, revenue and conversions beside them, grouped by
 * channel with a subtotal per channel and a total row, under a headline block.
 *
 * The builder reads as its list of sections (src/reports/campaignKpis/sections.ts) placed by the
 * shared layout: title and scope line (campaigns, channels, dates); the headline (3–5 numbers, a
 * sentence each); warnings naming the campaigns that break a stated rule; spend, revenue, ROAS and
 * CPA by channel with their chart; the campaign table under its colour rules: per channel its
 * campaigns (spend descending) and a subtotal row, then the total row; the column mapping in words;
 * where the numbers come from. Amounts carry the data's currency when it is known.
 *
 * Subtotal and total rates are recomputed from summed counts (the engine's definitions applied to
 * the sums), never averaged: for each KPI the counts are summed over the campaigns whose KPI is
 * defined, so a campaign without email columns does not dilute an email rate.
 *
 * Colour means a stated rule only: red where a rule of thumb is broken (email bounce rate above 2%,
 * unsubscribe rate above 0.5%, ROAS below 1, pipeline growth below 0), green where the stated target
 * ROAS of 3 or more is met. Each rule is written in the tab above the table. Blank cells are never
 * coloured (the rules cover runs of filled cells only: Excel compares a blank cell as 0).
 */

import type { OpenRateBase } from "../engine/campaigns/campaignKpis";
import type { CampaignsInput } from "./inputs";
import { headlineSection, TabLayout, warningsSection } from "./layout";
import type { Block, ReportContext, ReportSheet } from "./sheet";
import type { Figure } from "./tabBuild";
import { labelledFigure, present, tableFigure } from "./tabFigures";
import { analyseCampaigns, type CampaignAnalysis } from "./campaignKpis/analysis";
import { campaignNotes, campaignTableSection, campaignWarnings, channelSummarySection, headlineItems, mappingSection, scopeSection } from "./campaignKpis/sections";

/**
 * Builds the Campaign KPIs tab from a campaign table.
 *
 * @param campaigns the table with its header row (IMC.CAMPAIGNKPIS's input).
 * @param options the open-rate denominator, "delivered" (default) or "sent".
 * @param context the generation time and the data's currency.
 * @returns the sheet: headline, warnings, the channel summary and its chart, the campaign table grouped
 *   by channel under its colour rules (the engine's KPI values per campaign; blank where an input is
 *   blank or its denominator 0), the column mapping and provenance.
 * @throws EngineError from campaignKpis (argument `campaign_table`): INVALID_INPUT for a
 *   non-rectangular table or a bad or negative number in a recognised column (row and header named);
 *   INSUFFICIENT_DATA when there is no campaign row, no recognised header or no computable KPI.
 */
export function buildCampaignKpisTab(campaigns: CampaignsInput, options: { readonly openRateBase?: OpenRateBase }, context: ReportContext): CampaignKpisSheet {
  const analysis = analyseCampaigns(campaigns, options.openRateBase ?? "delivered", context.currency);
  const headline = headlineItems(analysis, context.currency);
  const tab = new TabLayout();
  tab.add(scopeSection(analysis, campaigns.source, context.currency));
  tab.add(headlineSection(headline));
  tab.add(warningsSection(campaignWarnings(analysis)));
  tab.add(channelSummarySection(analysis, context.currency));
  tab.add(campaignTableSection(analysis));
  tab.add(mappingSection(analysis));
  const sheet = tab.sheet({
    name: "Campaign KPIs",
    columnWidths: [],
    freeze: { rows: 2, columns: 1 },
    provenance: {
      sources: [campaigns.source],
      options: [{ label: "Open-rate denominator", value: analysis.result.openRateBase === "sent" ? "emails sent" : "emails delivered" }],
      generatedAt: context.generatedAt,
      notes: [...campaignNotes(analysis), ...(campaigns.readingNotes ?? []), ...(context.notes ?? [])],
    },
  });
  const finished: ReportSheet = { ...sheet, columnWidths: columnWidthsOf(analysis, sheet.blocks, headline.map((h) => h.label)) };
  return { ...finished, figures: campaignKpisFigures(finished) };
}

/** The Campaign KPIs tab, with its headline numbers for the Scorecard ({@link campaignKpisFigures}). */
export type CampaignKpisSheet = ReportSheet & { readonly figures: readonly Figure[] };

/**
 * The Campaign KPIs tab's figures, each the cell that shows it:
 * - `campaignKpis.spend`: total spend of the campaigns (headline);
 * - `campaignKpis.revenue`: their total revenue (channel summary, totals row);
 * - `campaignKpis.roas`: blended ROAS, total revenue ÷ total spend (headline);
 * - `campaignKpis.rulesBroken`: campaigns breaking a stated rule (headline).
 * A figure is left out when the table has no such column.
 */
export function campaignKpisFigures(sheet: ReportSheet): Figure[] {
  return present([
    labelledFigure(sheet, "Total spend", { key: "campaignKpis.spend", label: "Campaign spend" }),
    tableFigure(sheet, "CampaignChannels", "totals", "Revenue", { key: "campaignKpis.revenue", label: "Campaign revenue" }),
    labelledFigure(sheet, "Blended ROAS", { key: "campaignKpis.roas", label: "Campaign ROAS (revenue ÷ spend)" }),
    labelledFigure(sheet, "Campaigns breaking a rule", { key: "campaignKpis.rulesBroken", label: "Campaigns breaking a rule" }),
  ]);
}

/** Widths: the longest campaign name or headline label (capped) and each header of the tables; numbers fit in 12. */
function columnWidthsOf(analysis: CampaignAnalysis, blocks: readonly Block[], labels: readonly string[]): number[] {
  const labelWidth = Math.min(44, Math.max(28, ...analysis.tableLines.map((l) => String(l.cells[0]).length + 2), ...labels.map((label) => label.length + 2)));
  const widths = analysis.headers.map((h, c) => {
    if (c === 0) return labelWidth;
    if (h === "Channel") return Math.max(12, ...analysis.lines.map((l) => (l.channel ?? "").length + 2));
    return Math.max(12, Math.ceil(h.length * 1.1) + 2); // bold headers are wider than their character count
  });
  for (const block of blocks) {
    if (block.kind !== "table") continue;
    // An Excel table's header carries a filter button: about three characters.
    block.headers.forEach((header, c) => {
      const column = block.column + c;
      while (widths.length <= column) widths.push(12);
      widths[column] = Math.max(widths[column], Math.ceil(header.length * 1.1) + 3);
    });
  }
  return widths;
}
