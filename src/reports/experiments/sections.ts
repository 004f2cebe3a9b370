/**
 * The sections of the Experiments tab (see src/reports/layout.ts): scope, headline, warnings, the
 * campaign table, the lift chart, and how the control groups feed ROCI (live formulas).
 */

import { FORMAT, formatCount, moneyFormat, tableColumn } from "../format";
import { headingBlock, titleSection, type HeadlineItem, type Section } from "../layout";
import { a1, a1Range, cellValue, type Block, type Cell, type TableBlock } from "../sheet";
import { dateText, inCurrency, moneyText, padded, signedPercentText } from "../attribution/text";
import { headlineCampaign, MIN_CONTROL_CUSTOMERS, MIN_CONTROL_SHARE, SINGLE_EXPERIMENT, type CampaignExperiment, type ExperimentAnalysis } from "./analysis";

/** Signed percentages: "+20.0%", "-4.0%". */
export const LIFT_FORMAT = "+0.0%;-0.0%;0.0%";
/** Multiples such as iROAS: "3.00×". */
export const MULTIPLE_FORMAT = '0.00"×"';
/** p-values. */
export const P_FORMAT = "0.0000";

/** What the iROAS cell says when a campaign has no spend. */
export const NO_SPEND = "not computed: no spend for this campaign";

const levelText = (analysis: ExperimentAnalysis): string => `${Math.round(analysis.confidence * 100)}%`;

/** One column of the campaign table: header, format and the cell of a campaign. */
interface TableColumn {
  readonly key: string;
  readonly header: string;
  readonly format: string | null;
  readonly cell: (c: CampaignExperiment) => Cell;
}

/** The columns the data allows: revenue columns only with revenues, spend and iROAS only with a spend table. */
export function campaignColumns(analysis: ExperimentAnalysis, currency: string | undefined): TableColumn[] {
  const level = levelText(analysis);
  const money = moneyFormat(currency, 0);
  const columns: TableColumn[] = [
    { key: "campaign", header: "Campaign", format: null, cell: (c) => c.name },
    { key: "testSize", header: "Test customers", format: FORMAT.integer, cell: (c) => c.testSize },
    { key: "controlSize", header: "Control customers", format: FORMAT.integer, cell: (c) => c.controlSize },
    { key: "testRate", header: "Test conversion rate", format: FORMAT.percentPrecise, cell: (c) => (c.testSize > 0 ? c.testConversions / c.testSize : null) },
    { key: "controlRate", header: "Control conversion rate", format: FORMAT.percentPrecise, cell: (c) => (c.controlSize > 0 ? c.controlConversions / c.controlSize : null) },
    { key: "lift", header: "Lift (test over control)", format: LIFT_FORMAT, cell: (c) => c.result?.lift ?? null },
    { key: "liftLow", header: `Lift ${level} CI low`, format: LIFT_FORMAT, cell: (c) => c.result?.liftLow ?? null },
    { key: "liftHigh", header: `Lift ${level} CI high`, format: LIFT_FORMAT, cell: (c) => c.result?.liftHigh ?? null },
    { key: "pValue", header: "p-value", format: P_FORMAT, cell: (c) => c.result?.pValue ?? null },
    { key: "significant", header: `Significant at ${level}?`, format: null, cell: (c) => (c.result ? (c.result.significant ? "Yes" : "No") : (c.problem ?? "")) },
    { key: "incrementalConversions", header: "Incremental conversions", format: FORMAT.integer, cell: (c) => c.result?.incrementalConversions ?? null },
  ];
  if (analysis.revenuesFrom !== null) {
    columns.push({ key: "incrementalRevenue", header: "Incremental revenue", format: money, cell: (c) => c.result?.incrementalRevenue ?? null });
  }
  if (analysis.spendFrom !== null) {
    columns.push({ key: "spend", header: "Spend", format: money, cell: (c) => c.spend });
    if (analysis.revenuesFrom !== null) {
      columns.push({ key: "iroas", header: "iROAS (incremental revenue ÷ spend)", format: MULTIPLE_FORMAT, cell: (c) => (c.result === null ? null : (c.result.iroas ?? NO_SPEND)) });
    }
  }
  return columns;
}

/** Title and scope: campaigns, source, outcome window, currency. */
export function scopeSection(analysis: ExperimentAnalysis, currency: string | undefined): Section {
  const count = analysis.campaigns.length;
  const what = analysis.hasCampaignColumn ? `${count} campaign${count === 1 ? "" : "s"}` : "one experiment";
  const outcomes =
    analysis.conversionsFrom === "orders"
      ? `outcomes from orders within ${analysis.windowDays} days of each customer's assignment`
      : "outcomes from the experiment table's own columns";
  const amounts = analysis.revenuesFrom !== null ? `; amounts ${inCurrency(currency)}` : "";
  return titleSection(
    "Experiments",
    `Holdout tests of ${what} from ${analysis.input.source}: how much more the contacted customers (test) bought than those held out (control); ${outcomes}${amounts}.`,
  );
}

/** Where the headline's numbers are, for the figures. */
export interface HeadlineCells {
  readonly items: readonly HeadlineItem[];
  /** Figure key of each item (campaigns, bestLift, incrementalRevenue, iroas), null for an item that is no figure. */
  readonly keys: readonly (string | null)[];
}

/**
 * The headline: campaigns tested, best lift, incremental revenue in total (a SUM over the table),
 * iROAS (total incremental revenue ÷ total spend over the campaigns with spend, a formula).
 *
 * @param table the campaign table block, for the formulas.
 */
export function headlineItems(analysis: ExperimentAnalysis, table: TableBlock, columns: readonly TableColumn[], currency: string | undefined): HeadlineCells {
  const level = levelText(analysis);
  const computed = analysis.campaigns.filter((c) => c.result !== null);
  const significant = computed.filter((c) => c.result!.significant);
  const testCustomers = analysis.campaigns.reduce((s, c) => s + c.testSize, 0);
  const controlCustomers = analysis.campaigns.reduce((s, c) => s + c.controlSize, 0);
  const items: HeadlineItem[] = [];
  const keys: (string | null)[] = [];
  items.push({
    label: analysis.hasCampaignColumn ? "Campaigns tested" : "Experiments",
    value: analysis.campaigns.length,
    format: FORMAT.integer,
    sentence: `${significant.length} with a significant difference at ${level} confidence; ${formatCount(testCustomers)} customers in test groups, ${formatCount(controlCustomers)} held out.`,
  });
  keys.push("experiments.campaigns");

  const best = headlineCampaign(analysis.campaigns);
  const r = best.result!;
  const name = best.name === SINGLE_EXPERIMENT ? "The test group" : best.name;
  items.push({
    label: best.result!.significant ? "Best lift" : "Lift of the largest test",
    value: r.lift,
    format: LIFT_FORMAT,
    sentence: `${name}: ${(r.rateTest * 100).toFixed(2)}% converted against ${(r.rateControl * 100).toFixed(2)}% held out (${level} interval ${signedPercentText(r.liftLow ?? -1)} to ${signedPercentText(r.liftHigh ?? 0)})${r.significant ? "." : "; not significant, so no campaign has a proven lift."}`,
  });
  keys.push("experiments.bestLift");

  const column = (key: string) => columns.findIndex((c) => c.key === key);
  const incremental = column("incrementalRevenue");
  if (incremental >= 0) {
    const total = computed.reduce((s, c) => s + (c.result!.incrementalRevenue ?? 0), 0);
    items.push({
      label: "Incremental revenue in total",
      value: { formula: `SUM(${a1Range(tableColumn(table, incremental))})`, value: total },
      format: moneyFormat(currency, 0),
      sentence: `Revenue the test groups brought beyond their control groups' revenue per customer, in ${analysis.conversionsFrom === "orders" ? `${analysis.windowDays} days` : "the test window"}${total < 0 ? ": the campaigns lost revenue against doing nothing" : ""}.`,
      bad: total < 0 ? true : undefined,
    });
    keys.push("experiments.incrementalRevenue");
  }
  const spendColumn = column("spend");
  const iroasColumn = column("iroas");
  if (spendColumn >= 0 && iroasColumn >= 0) {
    const withSpend = computed.filter((c) => c.result!.iroas !== null);
    const spend = withSpend.reduce((s, c) => s + c.spend!, 0);
    const gained = withSpend.reduce((s, c) => s + c.result!.incrementalRevenue!, 0);
    const spendRange = a1Range(tableColumn(table, spendColumn));
    const iroasRange = a1Range(tableColumn(table, iroasColumn));
    const revenueRange = a1Range(tableColumn(table, incremental));
    if (withSpend.length > 0) {
      const iroas = gained / spend;
      items.push({
        label: "iROAS",
        // Only campaigns showing an iROAS (a spend and a lift) count, on both sides of the ratio.
        value: { formula: `SUMPRODUCT(ISNUMBER(${iroasRange})*${revenueRange})/SUMPRODUCT(ISNUMBER(${iroasRange})*${spendRange})`, value: iroas },
        format: MULTIPLE_FORMAT,
        sentence: `Incremental revenue ÷ spend over the ${withSpend.length} campaign${withSpend.length === 1 ? "" : "s"} with spend (${moneyText(currency, gained)} on ${moneyText(currency, spend)})${iroas < 1 ? ": less came back than was spent" : ""}.`,
        bad: iroas < 1 ? true : undefined,
      });
      keys.push("experiments.iroas");
    }
  }
  if (incremental >= 0 && !keys.includes("experiments.iroas")) {
    items.push({
      label: "iROAS",
      value: "not computed",
      format: "@",
      sentence: "No campaign table gives a spend for these campaigns (a Spend or Cost column matched by campaign name), so there is nothing to divide by.",
    });
    keys.push(null);
  }
  return { items: items.map((item) => ({ ...item, format: padded(item.format) })), keys };
}

/** Warnings that change a decision: small control groups, tests without a significant result, campaigns not computed. */
export function experimentWarnings(analysis: ExperimentAnalysis): string[] {
  const level = levelText(analysis);
  const warnings: string[] = [];
  for (const c of analysis.campaigns) {
    const name = c.name === SINGLE_EXPERIMENT ? "The experiment" : c.name;
    if (c.controlSize > 0 && c.testSize > 0 && (c.controlSize < MIN_CONTROL_CUSTOMERS || c.controlSize < MIN_CONTROL_SHARE * c.testSize)) {
      warnings.push(
        `${name}: the control group has ${formatCount(c.controlSize)} customers (${((100 * c.controlSize) / c.testSize).toFixed(1)}% of the test group), below ${MIN_CONTROL_CUSTOMERS} or 5%: its rate is too uncertain to judge the lift; hold out more customers next time.`,
      );
    }
    if (c.result !== null && !c.result.significant) {
      warnings.push(
        `${name}: the lift of ${signedPercentText(c.result.lift)} is not significant at ${level} confidence (p = ${c.result.pValue.toFixed(2)}): treat it as no proven effect.`,
      );
    }
    if (c.result === null) warnings.push(`${name}: ${c.problem}.`);
  }
  return warnings;
}

/** The campaign table (one row per campaign, lift descending). */
export function campaignTable(analysis: ExperimentAnalysis, columns: readonly TableColumn[], top: number): TableBlock {
  const at = (key: string) => columns.findIndex((c) => c.key === key);
  const [iroas, spend, revenue] = [at("iroas"), at("spend"), at("incrementalRevenue")];
  const rows = analysis.campaigns.map((campaign, i) => {
    const cells = columns.map((c) => c.cell(campaign));
    // iROAS follows an edited spend: a formula over the row's incremental revenue and spend.
    if (iroas >= 0 && campaign.result !== null) {
      const row = top + 1 + i;
      const spendRef = a1(row, spend);
      cells[iroas] = { formula: `IF(N(${spendRef})>0,${a1(row, revenue)}/${spendRef},"${NO_SPEND}")`, value: cellValue(cells[iroas]) };
    }
    return cells;
  });
  return { kind: "table", name: "ExperimentCampaigns", row: top, column: 0, headers: columns.map((c) => c.header), rows, numberFormats: columns.map((c) => c.format) };
}

/** The campaign table under its heading and a line on how to read it. */
export function campaignTableSection(analysis: ExperimentAnalysis, table: TableBlock): Section {
  const level = levelText(analysis);
  return (top) => {
    if (table.row !== top + 2) throw new Error("campaignTableSection: the table was placed for another row");
    const lines: Cell[][] = [
      [
        `Lift = test conversion rate ÷ control conversion rate − 1, with its ${level} interval; significant when the p-value is below ${(1 - analysis.confidence).toFixed(2)}. Incremental = (test − control per customer) × test customers.`,
      ],
    ];
    const blocks: Block[] = [headingBlock(top, "Lift by campaign, largest first"), { kind: "cells", row: top + 1, column: 0, values: lines, style: "note" }, table];
    return { blocks, rows: 2 + 1 + table.rows.length };
  };
}

/** A column chart of the lift of each campaign, over the table's cells. */
export function liftChartSection(table: TableBlock, columns: readonly TableColumn[]): Section {
  const lift = columns.findIndex((c) => c.key === "lift");
  const rows = Math.max(12, table.rows.length + 6);
  return (top) => ({
    blocks: [],
    charts: [
      {
        type: "column",
        title: "Lift of the test group over its control group, by campaign",
        categories: tableColumn(table, 0),
        series: [{ name: "Lift", values: tableColumn(table, lift) }],
        yAxisTitle: "Lift",
        valueFormat: "0%",
        anchor: { row: top, column: 0, rows, columns: 8 },
      },
    ],
    rows,
  });
}

/**
 * How the control groups feed ROCI: per campaign with revenues, the test revenue, the control's
 * revenue per customer, the baseline (a formula: control per customer × the table's test
 * customers) and ROCI = (test revenue − baseline − spend) ÷ spend (a formula over the table's spend
 * cell, so it follows an edited spend).
 */
export function rociSection(analysis: ExperimentAnalysis, table: TableBlock, columns: readonly TableColumn[], currency: string | undefined): Section {
  const withRevenue = analysis.campaigns.map((c, i) => ({ c, i })).filter(({ c }) => c.testRevenue !== null && c.controlSize > 0 && c.testSize > 0);
  if (withRevenue.length === 0) return () => ({ blocks: [], rows: 0 });
  const testColumn = columns.findIndex((c) => c.key === "testSize");
  const spendColumn = columns.findIndex((c) => c.key === "spend");
  return (top) => {
    const lines: Cell[][] = [
      ["The control group shows what the test group would have bought without the campaign: baseline revenue = control revenue per customer × test customers, the baseline of ROCI."],
      [
        "ROCI = (test revenue − baseline − spend) ÷ spend; here on revenue, as the margin is not known (use contribution, revenue less variable costs, when you have it). Change a spend in the table above and ROCI follows.",
      ],
    ];
    const headerRow = top + 1 + lines.length;
    const rows: Cell[][] = withRevenue.map(({ c, i }, k) => {
      const row = headerRow + 1 + k;
      const tableRow = table.row + 1 + i;
      const perCustomer = c.controlRevenue! / c.controlSize;
      const baseline = perCustomer * c.testSize;
      const baselineCell: Cell = { formula: `${a1(row, 2)}*${a1(tableRow, testColumn)}`, value: baseline };
      let roci: Cell = "not computed: no spend for this campaign";
      if (spendColumn >= 0) {
        const spendRef = a1(tableRow, spendColumn);
        const value = c.spend !== null && c.spend > 0 ? (c.testRevenue! - baseline - c.spend) / c.spend : "not computed: no spend for this campaign";
        roci = { formula: `IF(N(${spendRef})>0,(${a1(row, 1)}-${a1(row, 3)}-${spendRef})/${spendRef},"not computed: no spend for this campaign")`, value };
      }
      return [c.name, c.testRevenue!, perCustomer, baselineCell, roci];
    });
    const blocks: Block[] = [
      headingBlock(top, "How this feeds ROCI"),
      { kind: "cells", row: top + 1, column: 0, values: lines, style: "note" },
      {
        kind: "table",
        name: "ExperimentRoci",
        row: headerRow,
        column: 0,
        headers: ["Campaign", "Test revenue", "Control revenue per customer", "Baseline revenue", "ROCI on revenue"],
        rows,
        numberFormats: [null, moneyFormat(currency, 0), moneyFormat(currency, 2), moneyFormat(currency, 0), LIFT_FORMAT],
      },
    ];
    return { blocks, rows: 1 + lines.length + 1 + rows.length };
  };
}

/** Provenance options: confidence, outcomes, window, methods, spend. */
export function provenanceOptions(analysis: ExperimentAnalysis): { label: string; value: string }[] {
  const level = levelText(analysis);
  const options = [
    { label: "Confidence level", value: level },
    {
      label: "Outcomes",
      value:
        analysis.conversionsFrom === "orders"
          ? `Orders from ${analysis.ordersSource}: a customer converted with an order of positive value in the ${analysis.windowDays} days from the assignment (the assignment day and the ${analysis.windowDays - 1} after), revenue = their orders' value in that window`
          : analysis.conversionsFrom === "table"
            ? "The experiment table's own conversion column (TRUE/FALSE, 1/0 or a count above 0)"
            : "The experiment table's revenue column: a customer with revenue above 0 converted",
    },
  ];
  if (analysis.conversionsFrom !== "orders" && analysis.revenuesFrom === "orders") {
    options.push({ label: "Revenue", value: `Orders from ${analysis.ordersSource} in the ${analysis.windowDays} days from the assignment` });
  }
  if (analysis.asOf !== null) options.push({ label: "Orders read up to", value: dateText(analysis.asOf) });
  options.push(
    { label: "Lift interval", value: "Delta method on the log of the rate ratio (Katz et al. 1978): asymmetric, never below −100%" },
    { label: "Significance", value: "Two-proportion z-test with the pooled standard error, two-sided" },
    {
      label: "Spend",
      value: analysis.spendFrom ? `From ${analysis.spendFrom.source}, column '${analysis.spendFrom.header}', matched by campaign name` : "No campaign table with a spend column matched the campaigns: iROAS not computed",
    },
  );
  return options;
}

/** Notes: windows cut short, repeated customers, undated rows. */
export function experimentNotes(analysis: ExperimentAnalysis): string[] {
  const notes: string[] = [];
  if (analysis.cutShort > 0 && analysis.asOf !== null) {
    notes.push(
      `${formatCount(analysis.cutShort)} customers were assigned less than ${analysis.windowDays} days before ${dateText(analysis.asOf)}, the last day of the orders: their window is cut short (alike in test and control, so the lift stays fair, but the incremental amounts are smaller).`,
    );
  }
  if (analysis.repeatedRows > 0) notes.push(`${formatCount(analysis.repeatedRows)} rows repeat a customer already listed in the same campaign and group: counted once.`);
  if (analysis.undatedRows > 0) notes.push(`${formatCount(analysis.undatedRows)} rows have no assignment date: their window starts on their campaign's first assignment date.`);
  const dated = analysis.campaigns.filter((c) => c.firstAssigned !== null);
  if (dated.length > 0 && analysis.hasCampaignColumn) {
    notes.push(`First assignments: ${dated.map((c) => `${c.name} ${dateText(c.firstAssigned!)}`).join("; ")}.`);
  }
  return notes;
}
