/**
 * The Campaign KPIs tab: the KPI table of IMC.CAMPAIGNKPIS (src/engine/campaigns/campaignKpis.ts)
 * as an Excel table, rates as percentages, with conditional formatting, and the list of the
 * campaign table's columns that were recognised or ignored.
 *
 * Conditional formatting:
 * - colour scales on every rate column: green for high and red for low on rates where more is
 *   better (open, click-through, click-to-open, ad CTR, conversion rates), reversed on rates where
 *   less is better (bounce and unsubscribe rates);
 * - red fills (cellIs, "bad") where a threshold is natural: ROAS below 1 (the campaign returned less
 *   revenue than it cost), pipeline growth below 0, email bounce rate above 2% and unsubscribe rate
 *   above 0.5% (common deliverability rules of thumb, stated in the tab).
 */

import { campaignKpis, type OpenRateBase } from "../engine/campaigns/campaignKpis";
import type { CampaignsInput } from "./inputs";
import { provenanceBlock, type Block, type Cell, type ConditionalFormat, type ConditionalRule, type Provenance, type ReportContext, type ReportSheet } from "./sheet";

const GREEN = "63BE7B";
const YELLOW = "FFEB84";
const RED = "F8696B";

/** Rates where a lower value is better (the colour scale is reversed). */
const LOWER_IS_BETTER = /bounce|unsubscribe/i;

/** Thresholds marked red, by KPI header (prefix match); the note says why. */
const BAD_THRESHOLDS: readonly { readonly header: RegExp; readonly rule: ConditionalRule; readonly note: string }[] = [
  { header: /^ROAS$/, rule: { kind: "cellIs", operator: "lessThan", value: 1, look: "bad" }, note: "ROAS below 1 is red: the campaign brought less revenue than it cost." },
  { header: /^Pipeline growth$/, rule: { kind: "cellIs", operator: "lessThan", value: 0, look: "bad" }, note: "Pipeline growth below 0 is red: the pipeline shrank." },
  {
    header: /^Email bounce rate$/,
    rule: { kind: "cellIs", operator: "greaterThan", value: 0.02, look: "bad" },
    note: "Email bounce rate above 2% is red (a common deliverability rule of thumb; lists need cleaning).",
  },
  {
    header: /^Unsubscribe rate/,
    rule: { kind: "cellIs", operator: "greaterThan", value: 0.005, look: "bad" },
    note: "Unsubscribe rate above 0.5% is red (a common rule of thumb for email programmes).",
  },
];

function isRate(header: string): boolean {
  return /rate|CTR|growth/i.test(header);
}

function numberFormatOf(header: string): string {
  if (isRate(header)) return "0.0%";
  if (header === "Delivered") return "#,##0";
  if (header === "ROAS") return "0.00";
  return "#,##0.00"; // CPL, CPA: currency per lead or conversion
}

/**
 * Builds the Campaign KPIs tab from a campaign table.
 *
 * @param campaigns the table with its header row (IMC.CAMPAIGNKPIS's input).
 * @param options the open-rate denominator, "delivered" (default) or "sent".
 * @param context the generation time.
 * @returns the sheet: a `CampaignKpis` table (Campaign, then every KPI the columns allow; blank where
 *   an input is blank or its denominator 0), the recognised and ignored columns, provenance.
 * @throws EngineError from campaignKpis (argument `campaign_table`): INVALID_INPUT for a
 *   non-rectangular table or a bad or negative number in a recognised column (row and header named);
 *   INSUFFICIENT_DATA when there is no campaign row, no recognised header or no computable KPI.
 */
export function buildCampaignKpisTab(campaigns: CampaignsInput, options: { readonly openRateBase?: OpenRateBase }, context: ReportContext): ReportSheet {
  const result = campaignKpis(campaigns.table, { openRateBase: options.openRateBase ?? "delivered", argument: "campaign_table" });
  const blocks: Block[] = [];
  blocks.push({ kind: "cells", row: 0, column: 0, values: [["Campaign KPIs"]], style: "title" });
  blocks.push({
    kind: "cells",
    row: 1,
    column: 0,
    values: [["Every KPI the campaign table's columns allow, one row per campaign; blank where an input is blank or its denominator is 0."]],
    style: "subtitle",
  });
  const tableRow = 3;
  const rows: Cell[][] = result.rows.map((row, i) => [result.labelColumn === null ? `Row ${i + 2}` : (row.label ?? ""), ...row.values]);
  blocks.push({
    kind: "table",
    name: "CampaignKpis",
    row: tableRow,
    column: 0,
    headers: ["Campaign", ...result.headers],
    rows,
    numberFormats: [null, ...result.headers.map(numberFormatOf)],
  });

  const conditionalFormats: ConditionalFormat[] = [];
  const notes: string[] = [];
  result.headers.forEach((header, k) => {
    const range = { row: tableRow + 1, column: 1 + k, rowCount: rows.length, columnCount: 1 };
    if (isRate(header) && header !== "Pipeline growth") {
      const lowerIsBetter = LOWER_IS_BETTER.test(header);
      conditionalFormats.push({ range, rule: { kind: "colorScale", low: lowerIsBetter ? GREEN : RED, mid: YELLOW, high: lowerIsBetter ? RED : GREEN } });
    }
    for (const bad of BAD_THRESHOLDS) {
      if (bad.header.test(header)) {
        conditionalFormats.push({ range, rule: bad.rule });
        notes.push(bad.note);
      }
    }
  });
  notes.unshift("Colour scales on rates: green is better (for bounce and unsubscribe rates green is low, red high).");

  let row = tableRow + 1 + rows.length + 2;
  blocks.push({ kind: "cells", row, column: 0, values: [["Columns of the campaign table"]], style: "heading" });
  row++;
  const columnRows: Cell[][] = [
    ...result.recognised.map((c): Cell[] => [c.column, c.header, "used", c.field]),
    ...result.ignored.map((c): Cell[] => [c.column, c.header === "" ? "(blank)" : c.header, "ignored", c.reason]),
  ].sort((a, b) => (a[0] as number) - (b[0] as number));
  blocks.push({ kind: "cells", row, column: 0, values: [["Column", "Header", "Status", "Read as / reason"]], style: "header" });
  blocks.push({ kind: "cells", row: row + 1, column: 0, values: columnRows });
  row += 1 + columnRows.length + 2;

  notes.push(
    `Open rate and click-through rate are per ${result.openRateBase} email${result.openRateBase === "sent" ? " (header says \"(of sent)\")" : ""}.`,
    `${rows.length} campaigns; ${result.recognised.length} columns used, ${result.ignored.length} ignored (listed above).`,
  );
  if (result.labelColumn === null) notes.push("No campaign name column: campaigns are named by their row in the table (the header is row 1).");
  notes.push(...(context.notes ?? []));
  const provenance: Provenance = {
    sources: [campaigns.source],
    options: [
      { label: "Open-rate denominator", value: result.openRateBase },
      { label: "Definitions", value: "as IMC.CAMPAIGNKPIS (README: Campaign KPIs)" },
    ],
    generatedAt: context.generatedAt,
    notes,
  };
  blocks.push(provenanceBlock(provenance, row, 0));
  return {
    name: "Campaign KPIs",
    blocks,
    columnWidths: [28, ...result.headers.map((h) => Math.max(12, Math.min(24, h.length + 2)))],
    freeze: { rows: tableRow + 1, columns: 1 },
    conditionalFormats,
    charts: [],
    provenance,
  };
}
