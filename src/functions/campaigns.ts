/**
 * Campaign custom function: IMC.CAMPAIGNKPIS (KPI table from a campaign table with recognised headers).
 *
 * Thin adapter: Excel arguments → engine → cells. The JSDoc of the `@customfunction` is what Excel
 * users see in formula autocomplete and the function dialog; it is written for them.
 */

import { campaignKpis as computeCampaignKpis, OPEN_RATE_BASES } from "../engine/campaigns/campaignKpis";
import { optionChoice } from "./arguments";
import { spill, type SpillCell } from "./table";

/**
 * Campaign KPIs (open rate, click-through, bounce and unsubscribe rates, conversion rates, CPL, CPA, ROAS…) from a table whose first row holds headers such as Sent, Delivered, Unique opens, Clicks, Spend; one row per campaign.
 * @customfunction CAMPAIGNKPIS
 * @param campaign_table The campaign table including its header row (e.g. Campaign, Sent, Hard bounces, Soft bounces, Unique opens, Unique clicks, Unsubscribes, Spend, Leads).
 * @param [open_rate_denominator] "delivered" (default: unique opens / delivered) or "sent" (unique opens / sent).
 * @returns A table: Campaign, then every KPI the columns allow; a KPI is blank where an input is blank or its denominator is 0.
 */
export function campaignKpis(campaign_table: any[][], open_rate_denominator?: any[][]): any[][] {
  return spill("IMC.CAMPAIGNKPIS", () => {
    const base = optionChoice(open_rate_denominator, "open_rate_denominator", OPEN_RATE_BASES) ?? "delivered";
    const result = computeCampaignKpis(campaign_table, { openRateBase: base, argument: "campaign_table" });
    const rows: SpillCell[][] = [["Campaign", ...result.headers]];
    result.rows.forEach((row, i) => {
      // Without a label column, a campaign is named by its row in the table (the header is row 1).
      const label = result.labelColumn === null ? `Row ${i + 2}` : (row.label ?? "");
      rows.push([label, ...row.values]);
    });
    return rows;
  });
}
