/**
 * The numbers of the Experiments tab: the experiment table read (customers, campaign, test or
 * control group, assignment date, own outcomes), each customer's outcome (converted, revenue) from
 * the table's own columns or from the orders in a window after the assignment, the spend of each
 * campaign from the campaign table, and per campaign the holdout lift (src/engine/experiments/lift.ts,
 * the numbers of IMC.LIFT on the same counts).
 *
 * Pure: data in, analysis out; the sections (./sections.ts) turn it into cells.
 */

import { campaignFieldOf } from "../../engine/campaigns/campaignColumns";
import { alignRows, isBlankCell, toOptionalDateSerial, toOptionalNumber, toText, type Transactions } from "../../engine/data";
import { toBoolean } from "../../engine/data/cells";
import { EngineError, invalidCell, isEngineError } from "../../engine/errors";
import { holdoutLift, type LiftResult } from "../../engine/experiments/lift";
import type { BusinessData } from "../detect";
import { transactionsOf } from "../format";
import type { CampaignsInput, Column, ExperimentsInput } from "../inputs";

/** Days after the assignment in which an order counts as the campaign's outcome (the assignment day is day 0). */
export const DEFAULT_WINDOW_DAYS = 30;

/** Confidence level of the lift intervals and the significance verdicts. */
export const EXPERIMENT_CONFIDENCE = 0.95;

/** A control group below this many customers, or below this share of its test group, is flagged. */
export const MIN_CONTROL_CUSTOMERS = 100;
export const MIN_CONTROL_SHARE = 0.05;

/**
 * The argument names the experiment table's columns have in error messages (`groups row 5: …`), by
 * column of {@link ExperimentsInput}, so a caller that knows the sheet can point at the cell.
 */
export const EXPERIMENT_ARGUMENTS = {
  customerIds: "experiment_customer_ids",
  campaigns: "campaigns",
  groups: "groups",
  dates: "assigned_dates",
  conversions: "converted",
  revenues: "revenues",
} as const;

/** The name of the one experiment of a table without a campaign column. */
export const SINGLE_EXPERIMENT = "The experiment";

/** One campaign's test: counts, revenues, spend and the lift (null with the reason when it cannot be computed). */
export interface CampaignExperiment {
  readonly name: string;
  readonly testSize: number;
  readonly controlSize: number;
  readonly testConversions: number;
  readonly controlConversions: number;
  /** Revenue of each group in the window; null when no revenue is known. */
  readonly testRevenue: number | null;
  readonly controlRevenue: number | null;
  /** Spend from the campaign table; null when no row of it names this campaign with a spend. */
  readonly spend: number | null;
  /** First assignment date of the campaign (serial), when the table has dates. */
  readonly firstAssigned: number | null;
  readonly result: LiftResult | null;
  /** Why `result` is null, in words ("no control group"). */
  readonly problem: string | null;
}

/** Where the outcomes came from. */
export type OutcomeSource = "table" | "orders" | "revenue" | null;

export interface ExperimentAnalysis {
  readonly input: ExperimentsInput;
  /** Campaigns, lift descending (those without a lift last, by name). */
  readonly campaigns: readonly CampaignExperiment[];
  readonly hasCampaignColumn: boolean;
  /** Conversions from the table's column, from orders in the window, or from the table's revenue (> 0). */
  readonly conversionsFrom: Exclude<OutcomeSource, null>;
  /** Revenues from the table's column, from orders in the window, or none. */
  readonly revenuesFrom: "table" | "orders" | null;
  readonly windowDays: number;
  /** Last day of the orders read (serial), when orders were used. */
  readonly asOf: number | null;
  /** Customers whose window runs past the last day of the orders (their outcome is cut short). */
  readonly cutShort: number;
  /** Rows repeating a customer already listed in the same campaign (counted once). */
  readonly repeatedRows: number;
  /** Rows without a date that took their campaign's first assignment date. */
  readonly undatedRows: number;
  /** The campaign table's source and its spend header, when spend was read. */
  readonly spendFrom: { readonly source: string; readonly header: string } | null;
  readonly confidence: number;
  readonly ordersSource: string | null;
}

/** "test" or "control" from the labels people write; null for anything else. */
export function groupOf(value: unknown): "test" | "control" | null {
  if (typeof value === "boolean") return value ? "test" : "control";
  if (typeof value === "number") return value === 1 ? "test" : value === 0 ? "control" : null;
  if (typeof value !== "string") return null;
  const key = value.trim().toLowerCase().replace(/[\s_-]+/g, " ");
  if (["test", "treatment", "treated", "exposed", "1", "true"].includes(key)) return "test";
  if (["control", "holdout", "hold out", "held out", "heldout", "0", "false"].includes(key)) return "control";
  return null;
}

/** Converted or not, from a cell of the table's own conversion column: TRUE/FALSE, yes/no, or a count (> 0 is converted). */
function convertedOf(value: unknown, row: number): boolean {
  if (isBlankCell(value)) return false;
  if (typeof value === "number") {
    if (!(value >= 0) || !Number.isFinite(value)) throw invalidCell(EXPERIMENT_ARGUMENTS.conversions, row, `${value} is not a conversion count (0 or more) or TRUE/FALSE`);
    return value > 0;
  }
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value.trim()))) return convertedOf(Number(value.trim()), row);
  return toBoolean(value, EXPERIMENT_ARGUMENTS.conversions, row);
}

/** Spend per campaign name (lower case) from the campaign table's label and spend columns, summed over rows. */
function spendByCampaign(campaigns: CampaignsInput | null | undefined): { readonly spend: Map<string, number>; readonly header: string; readonly source: string } | null {
  if (!campaigns || campaigns.table.length < 2) return null;
  const headers = campaigns.table[0].map((cell) => (isBlankCell(cell) ? "" : String(cell)));
  const label = headers.findIndex((h) => campaignFieldOf(h) === "label");
  const spendColumn = headers.findIndex((h) => campaignFieldOf(h) === "spend");
  if (label < 0 || spendColumn < 0) return null;
  const spend = new Map<string, number>();
  for (let r = 1; r < campaigns.table.length; r++) {
    const row = campaigns.table[r];
    if (isBlankCell(row[label])) continue;
    const name = toText(row[label], "campaign_table", r + 1).toLowerCase();
    const amount = toOptionalNumber(row[spendColumn], "campaign_table", r + 1);
    if (amount === null) continue;
    spend.set(name, (spend.get(name) ?? 0) + amount);
  }
  return { spend, header: headers[spendColumn], source: campaigns.source };
}

interface Assigned {
  readonly row: number;
  readonly id: string;
  readonly campaign: string;
  /** The campaign compared case-insensitively. */
  readonly key: string;
  readonly group: "test" | "control";
  date: number | null;
  converted: boolean | null;
  revenue: number | null;
}

/**
 * Reads the experiment table and the outcomes, and computes each campaign's lift.
 *
 * @param data the business data; `data.experiments` is required, `data.orders` gives the outcomes
 *   when the table has no conversion or revenue column, `data.campaigns` the spend.
 * @param asOf last day of the orders to read (serial); null: the last order date.
 * @param windowDays days after the assignment counted as outcome (default 30).
 * @returns the analysis; see {@link ExperimentAnalysis}.
 * @throws EngineError INSUFFICIENT_DATA without an experiment table, without rows, without outcomes
 *   (no conversion column and no orders), without assignment dates when outcomes come from orders,
 *   or when no campaign has both groups with a computable lift; INVALID_INPUT for a bad cell, naming
 *   the column ({@link EXPERIMENT_ARGUMENTS}) and the 1-based row (`groups row 5: "maybe" is not…`).
 */
export function analyseExperiments(data: BusinessData, asOf: number | null, windowDays = DEFAULT_WINDOW_DAYS): ExperimentAnalysis {
  const input = data.experiments;
  if (!input) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      "there is no experiment table: the Experiments tab needs customers assigned to a test group (contacted) or a control group (held out), with a Customer ID and a Group column",
    );
  }
  const A = EXPERIMENT_ARGUMENTS;
  const columns: { argument: string; values: Column }[] = [
    { argument: A.customerIds, values: input.customerIds },
    { argument: A.groups, values: input.groups },
  ];
  if (input.campaigns) columns.push({ argument: A.campaigns, values: input.campaigns });
  if (input.dates) columns.push({ argument: A.dates, values: input.dates });
  if (input.conversions) columns.push({ argument: A.conversions, values: input.conversions });
  if (input.revenues) columns.push({ argument: A.revenues, values: input.revenues });
  const rowCount = alignRows(columns);
  if (rowCount === 0) throw new EngineError("INSUFFICIENT_DATA", "the experiment table has no rows");

  if (!input.conversions && !data.orders && !input.revenues) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      "the experiment table has no conversion or revenue column and there are no orders, so there is no outcome to compare test and control on",
    );
  }
  const conversionsFrom: ExperimentAnalysis["conversionsFrom"] = input.conversions ? "table" : data.orders ? "orders" : "revenue";
  const revenuesFrom: ExperimentAnalysis["revenuesFrom"] = input.revenues ? "table" : data.orders ? "orders" : null;
  const useOrders = conversionsFrom === "orders" || revenuesFrom === "orders";

  // Read the rows; a customer is counted once per campaign.
  const rows: Assigned[] = [];
  // Customers already read, per campaign (case-insensitive).
  const seen = new Map<string, Map<string, Assigned>>();
  // Labels repeat on every row: each distinct one is read once.
  const groupLabels = new Map<unknown, "test" | "control" | null>();
  let repeatedRows = 0;
  for (let i = 0; i < rowCount; i++) {
    const row = i + 1;
    const id = toText(input.customerIds[i], A.customerIds, row);
    const groupCell = input.groups[i];
    let group = typeof groupCell === "object" ? groupOf(groupCell) : groupLabels.get(groupCell);
    if (group === undefined) groupLabels.set(groupCell, (group = groupOf(groupCell)));
    if (group === null) {
      const shown = isBlankCell(groupCell) ? "is blank" : `"${String(groupCell).trim()}" is not a group this tab knows`;
      throw invalidCell(A.groups, row, `${shown}: write test (or treatment, exposed, 1, TRUE) or control (or holdout, held out, 0, FALSE)`);
    }
    const campaign = input.campaigns ? (isBlankCell(input.campaigns[i]) ? "(no campaign)" : toText(input.campaigns[i], A.campaigns, row)) : SINGLE_EXPERIMENT;
    const date = input.dates ? toOptionalDateSerial(input.dates[i], A.dates, row) : null;
    const converted = input.conversions ? convertedOf(input.conversions[i], row) : null;
    const revenue = input.revenues ? (toOptionalNumber(input.revenues[i], A.revenues, row) ?? 0) : null;
    const campaignKey = campaign.toLowerCase();
    let inCampaign = seen.get(campaignKey);
    if (inCampaign === undefined) seen.set(campaignKey, (inCampaign = new Map()));
    const before = inCampaign.get(id);
    if (before !== undefined) {
      if (before.group !== group) {
        throw invalidCell(A.groups, row, `customer ${id} is already in the ${before.group} group of ${campaign} (row ${before.row}); a customer is in one group of a campaign`);
      }
      repeatedRows++;
      continue;
    }
    const assigned: Assigned = { row, id, campaign, key: campaignKey, group, date, converted, revenue };
    inCampaign.set(id, assigned);
    rows.push(assigned);
  }

  // Campaign names as first written (case-insensitive), and each campaign's first assignment date.
  const campaignNames = new Map<string, string>();
  const members = new Map<string, Assigned[]>();
  const firstAssigned = new Map<string, number>();
  for (const a of rows) {
    let list = members.get(a.key);
    if (list === undefined) {
      members.set(a.key, (list = []));
      campaignNames.set(a.key, a.campaign);
    }
    list.push(a);
    if (a.date !== null) firstAssigned.set(a.key, Math.min(firstAssigned.get(a.key) ?? Infinity, a.date));
  }

  let lastDay: number | null = null;
  let cutShort = 0;
  let undatedRows = 0;
  if (useOrders) {
    // Orders summarised out of core: the rows of the experiment's customers were read for this tab,
    // and the as-of date (given, or the last order date of all the orders) comes with the summary.
    const summarised = data.orders!.summarised;
    const orders = summarised === undefined ? data.orders! : summarised.ordersOfNamedCustomers;
    // None of the experiment's customers ordered: no rows to read (the engine refuses an empty order list).
    const transactions: Transactions =
      orders.customerIds.length === 0 ? { rowCount: 0, customerIds: [], customerIndex: new Int32Array(0), orderDates: new Float64Array(0), orderValues: new Float64Array(0) } : transactionsOf(orders);
    let lastOrder = -Infinity;
    for (let r = 0; r < transactions.rowCount; r++) lastOrder = Math.max(lastOrder, transactions.orderDates[r]);
    lastDay = Math.floor(summarised === undefined ? (asOf ?? lastOrder) : summarised.asOf);
    const indexOf = new Map<string, number>();
    transactions.customerIds.forEach((id, index) => indexOf.set(id, index));
    // Each customer's order rows, contiguous: rows of customer c are orderRows[first[c] .. first[c + 1]).
    const customers = transactions.customerIds.length;
    const first = new Int32Array(customers + 1);
    for (let r = 0; r < transactions.rowCount; r++) first[transactions.customerIndex[r] + 1]++;
    for (let c = 0; c < customers; c++) first[c + 1] += first[c];
    const orderRows = new Int32Array(transactions.rowCount);
    const next = first.slice(0, customers);
    for (let r = 0; r < transactions.rowCount; r++) orderRows[next[transactions.customerIndex[r]]++] = r;
    for (const a of rows) {
      if (a.date === null) {
        const first = firstAssigned.get(a.key);
        if (first === undefined) {
          throw new EngineError(
            "INSUFFICIENT_DATA",
            `the experiment table gives no assignment date for ${a.campaign === SINGLE_EXPERIMENT ? "the experiment" : `the campaign ${a.campaign}`}, so its outcomes cannot be read from the orders: add an assignment date column (Assigned on), or Converted and Revenue columns`,
          );
        }
        a.date = first;
        undatedRows++;
      }
      const start = Math.floor(a.date);
      const end = start + windowDays; // exclusive
      if (end > lastDay + 1) cutShort++;
      let converted = false;
      let revenue = 0;
      const index = indexOf.get(a.id);
      const from = index === undefined ? 0 : first[index];
      const to = index === undefined ? 0 : first[index + 1];
      for (let k = from; k < to; k++) {
        const r = orderRows[k];
        const day = transactions.orderDates[r];
        if (day < start || day >= end || day >= lastDay + 1) continue;
        const value = transactions.orderValues ? transactions.orderValues[r] : 1;
        revenue += value;
        if (value > 0) converted = true;
      }
      if (conversionsFrom === "orders") a.converted = converted;
      if (revenuesFrom === "orders") a.revenue = revenue;
    }
  }
  if (conversionsFrom === "revenue") for (const a of rows) a.converted = (a.revenue ?? 0) > 0;

  const spend = spendByCampaign(data.campaigns);
  const campaigns: CampaignExperiment[] = [];
  for (const [key, name] of campaignNames) {
    const list = members.get(key)!;
    const test = list.filter((a) => a.group === "test");
    const control = list.filter((a) => a.group === "control");
    const count = (group: readonly Assigned[]) => group.filter((a) => a.converted).length;
    const total = (group: readonly Assigned[]) => (revenuesFrom === null ? null : group.reduce((s, a) => s + (a.revenue ?? 0), 0));
    const experiment = {
      name,
      testSize: test.length,
      controlSize: control.length,
      testConversions: count(test),
      controlConversions: count(control),
      testRevenue: total(test),
      controlRevenue: total(control),
      spend: name === SINGLE_EXPERIMENT ? null : (spend?.spend.get(key) ?? null),
      firstAssigned: firstAssigned.get(key) ?? null,
    };
    let result: LiftResult | null = null;
    let problem: string | null = null;
    if (experiment.testSize === 0) problem = "not computed: no test group";
    else if (experiment.controlSize === 0) problem = "not computed: no control group";
    else if (experiment.controlConversions === 0) problem = "not computed: nobody in the control group converted, so the lift over its rate is undefined";
    else {
      try {
        result = holdoutLift({
          conversionsTest: experiment.testConversions,
          sizeTest: experiment.testSize,
          conversionsControl: experiment.controlConversions,
          sizeControl: experiment.controlSize,
          revenueTest: experiment.testRevenue,
          revenueControl: experiment.controlRevenue,
          spend: experiment.spend !== null && experiment.spend > 0 ? experiment.spend : null,
          confidence: EXPERIMENT_CONFIDENCE,
        });
      } catch (error) {
        if (!isEngineError(error, "INSUFFICIENT_DATA")) throw error;
        problem = "not computed: every customer of both groups converted";
      }
    }
    campaigns.push({ ...experiment, result, problem });
  }
  if (!campaigns.some((c) => c.result !== null)) {
    const reasons = [...new Set(campaigns.map((c) => c.problem!.replace(/^not computed: /, "")))].join("; ");
    throw new EngineError("INSUFFICIENT_DATA", `no campaign of the experiment table has a lift to show (${reasons})`);
  }
  campaigns.sort((a, b) => {
    if (a.result && b.result) return b.result.lift - a.result.lift || a.name.localeCompare(b.name);
    if (a.result || b.result) return a.result ? -1 : 1;
    return a.name.localeCompare(b.name);
  });
  return {
    input,
    campaigns,
    hasCampaignColumn: input.campaigns !== undefined,
    conversionsFrom,
    revenuesFrom,
    windowDays,
    asOf: lastDay,
    cutShort,
    repeatedRows,
    undatedRows,
    spendFrom: spend && campaigns.some((c) => c.spend !== null) ? { source: spend.source, header: spend.header } : null,
    confidence: EXPERIMENT_CONFIDENCE,
    ordersSource: useOrders ? data.orders!.source : null,
  };
}

/** The campaign whose lift the headline shows: the best significant one, else the largest test. */
export function headlineCampaign(campaigns: readonly CampaignExperiment[]): CampaignExperiment {
  const computed = campaigns.filter((c) => c.result !== null);
  const significant = computed.filter((c) => c.result!.significant);
  if (significant.length > 0) return significant.reduce((best, c) => (c.result!.lift > best.result!.lift ? c : best));
  return computed.reduce((largest, c) => (c.testSize > largest.testSize ? c : largest));
}
