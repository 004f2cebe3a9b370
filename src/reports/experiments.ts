/**
 * The Experiments tab: holdout tests of campaigns. For each campaign of the experiment table
 * (customers assigned to a test group, contacted, or a control group, held out), the conversion
 * rates of both groups, the lift of the test group with its confidence interval and p-value, the
 * incremental conversions and revenue, and iROAS when the campaign table gives its spend: the
 * numbers IMC.LIFT gives on the same counts (src/engine/experiments/lift.ts).
 *
 * Outcomes come from the experiment table's own conversion and revenue columns when it has them,
 * otherwise from the orders: a customer converted when they ordered in the 30 days from their
 * assignment (the window is stated on the tab), and their revenue is those orders' value.
 *
 * The builder reads as its list of sections (src/reports/experiments/sections.ts): title and scope;
 * "At a glance" (campaigns tested, best lift, incremental revenue in total, iROAS); warnings (small
 * control groups, tests without a significant result); the campaign table; a chart of the lift by
 * campaign; how the control groups feed ROCI (live formulas); where the numbers come from.
 *
 * Figures (for the Scorecard): `experiments.campaigns` (campaigns tested), `experiments.bestLift`
 * (lift of the best significant campaign, or of the largest test when none is significant),
 * `experiments.incrementalRevenue` (total, when revenues are known), `experiments.iroas` (total
 * incremental revenue ÷ total spend over the campaigns with spend, when any has spend). Each points
 * at the headline cell that shows it.
 */

import { cellValue, type Block } from "./sheet";
import { analyseExperiments, DEFAULT_WINDOW_DAYS } from "./experiments/analysis";
import {
  campaignColumns,
  campaignTable,
  campaignTableSection,
  experimentNotes,
  experimentWarnings,
  headlineItems,
  liftChartSection,
  provenanceOptions,
  NO_SPEND,
  rociSection,
  scopeSection,
} from "./experiments/sections";
import { headlineSection, TabLayout, warningsSection } from "./layout";
import type { Figure, TabBuilder } from "./tabBuild";

/**
 * Builds the Experiments tab from `data.experiments`, with outcomes from its own columns or from
 * `data.orders`, and spend from `data.campaigns`.
 *
 * @param data the business data; `experiments` is required.
 * @param options `asOf`: last day of the orders read (default: the last order date).
 * @param context generation time, currency, notes.
 * @returns the sheet and its figures.
 * @throws EngineError INSUFFICIENT_DATA without an experiment table, outcomes or a computable lift;
 *   INVALID_INPUT for a bad cell of the experiment table (column and row named, e.g. `groups row 5`)
 *   or of the orders.
 */
export const buildExperimentsTab: TabBuilder = (data, options, context) => {
  const analysis = analyseExperiments(data, options.asOf, DEFAULT_WINDOW_DAYS);
  const currency = context.currency;
  const columns = campaignColumns(analysis, currency);
  const tab = new TabLayout();
  tab.add(scopeSection(analysis, currency));
  // The headline quotes the table below (SUM formulas), so its rows are kept and filled afterwards.
  const headlineRows = 1 + headlineItems(analysis, campaignTable(analysis, columns, 0), columns, currency).items.length;
  const headlineTop = tab.reserve(headlineRows);
  tab.add(warningsSection(experimentWarnings(analysis), "Read this first", columns.length));
  const table = campaignTable(analysis, columns, tab.top + 2);
  tab.add(campaignTableSection(analysis, table));
  tab.add(liftChartSection(table, columns));
  tab.add(rociSection(analysis, table, columns, currency));
  const headline = headlineItems(analysis, table, columns, currency);
  tab.fill(headlineTop, headlineRows, headlineSection(headline.items));

  const sources = [analysis.input.source];
  if (analysis.ordersSource !== null) sources.push(analysis.ordersSource);
  if (analysis.spendFrom !== null) sources.push(analysis.spendFrom.source);
  const sheet = tab.sheet({
    name: "Experiments",
    columnWidths: [],
    freeze: { rows: 2, columns: 0 },
    provenance: {
      sources,
      options: provenanceOptions(analysis),
      generatedAt: context.generatedAt,
      notes: [...experimentNotes(analysis), ...(analysis.input.readingNotes ?? []), ...(context.notes ?? [])],
    },
  });
  const figures: Figure[] = [];
  headline.items.forEach((item, i) => {
    const key = headline.keys[i];
    if (key !== null) figures.push({ key, label: item.label, row: headlineTop + 1 + i, column: 1, value: cellValue(item.value) as number | string | null, format: item.format });
  });
  return { sheet: { ...sheet, columnWidths: columnWidthsOf(sheet.blocks, analysis.campaigns.map((c) => c.name), headline.items.map((h) => h.label)) }, figures };
};

/**
 * Widths: column A fits the longest campaign name or headline label (capped); the other columns fit
 * each table header on about two lines (an Excel table header carries a filter button, about three
 * characters); the last column of the campaign table is wide enough for "not computed: no spend…".
 */
function columnWidthsOf(blocks: readonly Block[], names: readonly string[], labels: readonly string[]): number[] {
  const widths: number[] = [Math.min(40, Math.max(24, ...names.map((n) => n.length + 2), ...labels.map((l) => l.length + 2)))];
  for (const block of blocks) {
    if (block.kind !== "table") continue;
    block.headers.forEach((header, c) => {
      const column = block.column + c;
      if (column === 0) return;
      while (widths.length <= column) widths.push(13);
      widths[column] = Math.max(widths[column], Math.min(22, Math.ceil((header.length * 1.1) / 2) + 3));
    });
    const last = block.column + block.headers.length - 1;
    if (block.name === "ExperimentCampaigns" && block.rows.some((row) => cellValue(row[row.length - 1]) === NO_SPEND)) widths[last] = Math.max(widths[last], NO_SPEND.length + 2);
  }
  return widths;
}
