/**
 * The numbers behind the Campaign KPIs tab, computed before any cell is placed: the engine's KPIs per
 * campaign (IMC.CAMPAIGNKPIS), the channel and date columns it does not read, campaigns grouped by
 * channel with subtotals recomputed from summed counts, the columns of the campaign table and which
 * campaigns break a stated rule. Pure: no cells are placed here.
 */

import { campaignKpis, type CampaignKpiResult, type OpenRateBase } from "../../engine/campaigns/campaignKpis";
import { normaliseHeader, type CampaignField } from "../../engine/campaigns/campaignColumns";
import { toOptionalDateSerial, toOptionalNumber, toOptionalText } from "../../engine/data";
import { FORMAT, moneyFormat } from "../format";
import type { CampaignsInput } from "../inputs";
import type { Cell, ConditionalRule } from "../sheet";

/** What each input column gives, in words, for the column mapping at the foot of the tab. */
export const FIELD_WORDS: Readonly<Record<CampaignField, string>> = {
  label: "Campaign names",
  sent: "Emails sent",
  delivered: "Emails delivered",
  hardBounces: "Hard bounces",
  softBounces: "Soft bounces",
  bounces: "Bounces (hard and soft)",
  uniqueOpens: "Unique opens",
  opens: "Opens",
  uniqueClicks: "Unique clicks",
  clicks: "Clicks",
  unsubscribes: "Unsubscribes",
  impressions: "Ad impressions",
  sessions: "Web sessions",
  visitors: "Visitors",
  engagedSessions: "Engaged sessions",
  bouncedSessions: "Bounced (non-engaged) sessions",
  formViews: "Form views",
  formSubmissions: "Form submissions",
  leads: "Leads",
  conversions: "Conversions",
  spend: "Spend",
  revenue: "Revenue",
  pipelineStart: "Pipeline at start",
  pipelineEnd: "Pipeline at end",
};

/** Headers (normalised) of the columns the tab reads besides the engine's: channel and dates. */
export const CHANNEL_HEADERS = ["channel", "channelname", "marketingchannel", "medium"];
const START_HEADERS = ["startdate", "start", "date", "launchdate", "senddate", "sentdate", "campaigndate", "launched"];
const END_HEADERS = ["enddate", "end", "finishdate", "stopdate"];

/** One line of each KPI's definition, for the foot of the tab (by the engine's header, prefix match). */
export const DEFINITIONS: readonly { readonly header: RegExp; readonly text: string }[] = [
  { header: /^Delivered$/, text: "Delivered = the Delivered column, else sent − hard and soft bounces." },
  { header: /bounce rate$/, text: "Email bounce rates = bounces ÷ emails sent." },
  { header: /^Open rate/, text: "Open rate = unique opens ÷ delivered emails (÷ sent emails where the header says so)." },
  { header: /^Click-through rate/, text: "Click-through rate = unique clicks ÷ delivered emails; click-to-open rate = unique clicks ÷ unique opens." },
  { header: /^Unsubscribe rate/, text: "Unsubscribe rate = unsubscribes ÷ delivered emails." },
  { header: /^Ad CTR$/, text: "Ad CTR = ad clicks ÷ impressions." },
  { header: /^Conversion rate/, text: "Conversion rate = conversions ÷ web sessions (÷ visitors where the header says so)." },
  { header: /^Web bounce rate$/, text: "Web bounce rate = non-engaged sessions ÷ sessions." },
  { header: /^Form conversion rate$/, text: "Form conversion rate = form submissions ÷ form views." },
  { header: /^Pipeline growth$/, text: "Pipeline growth = (pipeline at end − pipeline at start) ÷ pipeline at start." },
  { header: /^CPL$/, text: "CPL = spend ÷ leads; CPA = spend ÷ conversions." },
  { header: /^ROAS$/, text: "ROAS = revenue ÷ spend (1.00× returns the spend in revenue, before margins)." },
];

export interface ColourRule {
  /** The engine's KPI header this rule reads. */
  readonly header: RegExp;
  readonly rule: ConditionalRule;
  /** True where the rule colours the value. */
  readonly hits: (value: number) => boolean;
  /** The rule in words, written above the table. */
  readonly words: string;
}

export const RULES: readonly ColourRule[] = [
  {
    header: /^Email bounce rate$/,
    rule: { kind: "cellIs", operator: "greaterThan", value: 0.02, look: "bad" },
    hits: (v) => v > 0.02,
    words: "email bounce rate above 2% (a common deliverability rule of thumb: the list needs cleaning)",
  },
  {
    header: /^Unsubscribe rate/,
    rule: { kind: "cellIs", operator: "greaterThan", value: 0.005, look: "bad" },
    hits: (v) => v > 0.005,
    words: "unsubscribe rate above 0.5% (a common rule of thumb for email programmes)",
  },
  {
    header: /^ROAS$/,
    rule: { kind: "cellIs", operator: "lessThan", value: 1, look: "bad" },
    hits: (v) => v < 1,
    words: "ROAS below 1.00× (the campaign brought less revenue than it cost)",
  },
  {
    header: /^Pipeline growth$/,
    rule: { kind: "cellIs", operator: "lessThan", value: 0, look: "bad" },
    hits: (v) => v < 0,
    words: "pipeline growth below 0% (the pipeline shrank)",
  },
];

export const GOOD_RULES: readonly ColourRule[] = [
  {
    header: /^ROAS$/,
    rule: { kind: "cellIs", operator: "greaterThanOrEqual", value: 3, look: "good" },
    hits: (v) => v >= 3,
    words: "ROAS of 3.00× or more (a common target: 3 of revenue for each 1 spent)",
  },
];

/** Display headers of the engine's KPIs where a unit helps. */
export const DISPLAY_HEADER: Readonly<Record<string, string>> = { CPA: "CPA (per conversion)", CPL: "CPL (per lead)" };

export interface CampaignLine {
  readonly label: string;
  readonly channel: string | null;
  readonly start: number | null;
  readonly end: number | null;
  readonly inputs: Partial<Record<CampaignField, number | null>>;
  /** The engine's KPI values, in the engine's header order. */
  readonly kpis: readonly (number | null)[];
}

/** A row of the campaign table as written: a campaign, a channel's subtotal or the total. */
export interface TableLine {
  readonly kind: "campaign" | "subtotal" | "total";
  readonly cells: readonly Cell[];
  /** The KPI values by engine header index (for the colour runs). */
  readonly kpis: readonly (number | null)[];
}

/** The number format of a KPI column: rates as percentages, Delivered a count, ROAS a multiple, CPL and CPA amounts per lead or conversion. */
export function numberFormatOf(header: string, currency: string | undefined): string {
  if (/rate|CTR|growth/i.test(header)) return FORMAT.percent;
  if (header === "Delivered") return FORMAT.integer;
  if (header === "ROAS") return ROAS_FORMAT;
  return moneyFormat(currency, 2);
}

/** Multiples: ROAS. */
export const ROAS_FORMAT = '0.00"×"';

/** A column the tab reads besides the engine's: its 0-based index and header. */
export interface ExtraColumn {
  readonly column: number;
  readonly header: string;
}

/** A channel and its campaigns, spend descending. */
export interface ChannelGroup {
  readonly name: string;
  readonly lines: readonly CampaignLine[];
  /** KPIs of the channel from summed counts, by engine header index. */
  readonly kpis: readonly (number | null)[];
}

/** Everything the Campaign KPIs tab shows, computed. */
export interface CampaignAnalysis {
  readonly result: CampaignKpiResult;
  readonly lines: readonly CampaignLine[];
  /** Channels, most spend first; empty without a channel column. */
  readonly channels: readonly ChannelGroup[];
  readonly channelColumn: ExtraColumn | null;
  readonly startColumn: ExtraColumn | null;
  readonly endColumn: ExtraColumn | null;
  /** Spend, revenue and conversions, those the table has. */
  readonly moneyFields: readonly ("spend" | "revenue" | "conversions")[];
  /** Engine header indices in the order shown: ROAS, CPA, CPL first. */
  readonly kpiOrder: readonly number[];
  /** Headers and number formats of the campaign table. */
  readonly headers: readonly string[];
  readonly formats: readonly (string | null)[];
  /** Column of the first KPI in the campaign table. */
  readonly firstKpiColumn: number;
  /** Rows of the campaign table: campaigns, channel subtotals, the total. */
  readonly tableLines: readonly TableLine[];
  readonly totalKpis: readonly (number | null)[];
  readonly totalSpend: number | null;
  readonly totalRevenue: number | null;
  /** Format of spend and revenue: whole numbers when a total is above 10,000. */
  readonly amountFormat: string;
  /** The stated rules, each with the engine header index it reads. */
  readonly badChecks: readonly RuleCheck[];
  readonly goodChecks: readonly RuleCheck[];
  /** Date cells that are not dates (left blank). */
  readonly unreadDates: number;
}

/** A stated rule on one KPI column. */
export interface RuleCheck {
  readonly rule: ColourRule;
  /** Engine header index. */
  readonly k: number;
}

/** Sum of the numbers given, null when there are none. */
export function sum(values: readonly (number | null | undefined)[]): number | null {
  let total: number | null = null;
  for (const v of values) if (v != null) total = (total ?? 0) + v;
  return total;
}

const ARGUMENT = "campaign_table";

/**
 * Computes the Campaign KPIs tab's numbers.
 *
 * @throws EngineError from campaignKpis, as buildCampaignKpisTab documents.
 */
export function analyseCampaigns(campaigns: CampaignsInput, openRateBase: OpenRateBase, currency: string | undefined): CampaignAnalysis {
  const result = campaignKpis(campaigns.table, { openRateBase, argument: ARGUMENT });
  // Channel and date columns: among the columns the engine did not use.
  const unused = result.ignored.filter((c) => c.reason === "not a recognised KPI input");
  const findColumn = (names: readonly string[]): ExtraColumn | null => {
    for (const name of names) {
      const hit = unused.find((c) => normaliseHeader(c.header) === name);
      if (hit) return { column: hit.column - 1, header: hit.header };
    }
    return null;
  };
  const channelColumn = findColumn(CHANNEL_HEADERS);
  const startColumn = findColumn(START_HEADERS);
  const endColumn = findColumn(END_HEADERS);
  const numeric = result.recognised.filter((c) => c.field !== "label");
  const has = (field: CampaignField): boolean => numeric.some((c) => c.field === field);
  const { lines, unreadDates } = campaignLines(campaigns, result, channelColumn, startColumn, endColumn);

  /** KPIs of a group: the engine's definitions applied to counts summed over the campaigns that have the KPI. */
  const kpisOfSum = (group: readonly CampaignLine[]): (number | null)[] =>
    result.headers.map((header, k) => {
      const contributing = group.filter((line) => line.kpis[k] !== null);
      if (contributing.length === 0) return null;
      const sums = numeric.map((c) => sum(contributing.map((line) => line.inputs[c.field])));
      const synthetic = [["Campaign", ...numeric.map((c) => c.header)], ["Sum", ...sums.map((s) => s ?? "")]];
      const summed = campaignKpis(synthetic, { openRateBase: result.openRateBase, argument: ARGUMENT });
      const at = summed.headers.indexOf(header);
      return at < 0 ? null : (summed.rows[0].values[at] ?? null);
    });

  // Columns of the campaign table: names, channel, dates, money, then the engine's KPIs (money KPIs first).
  const moneyFields = (["spend", "revenue", "conversions"] as const).filter(has);
  const moneyKpis = ["ROAS", "CPA", "CPL"].filter((h) => result.headers.includes(h));
  const kpiOrder = [...moneyKpis, ...result.headers.filter((h) => !moneyKpis.includes(h))].map((h) => result.headers.indexOf(h));
  const totalSpend = has("spend") ? (sum(lines.map((l) => l.inputs.spend)) ?? 0) : null;
  const totalRevenue = has("revenue") ? (sum(lines.map((l) => l.inputs.revenue)) ?? 0) : null;
  const amountFormat = moneyFormat(currency, Math.max(totalSpend ?? 0, totalRevenue ?? 0) > 10_000 ? 0 : 2);
  const headers: string[] = ["Campaign"];
  const formats: (string | null)[] = [null];
  const column = (header: string, format: string | null) => {
    headers.push(header);
    formats.push(format);
  };
  if (channelColumn) column("Channel", null);
  if (startColumn) column(endColumn ? "Start date" : "Date", FORMAT.date);
  if (endColumn) column("End date", FORMAT.date);
  for (const field of moneyFields) column(FIELD_WORDS[field], field === "conversions" ? FORMAT.integer : amountFormat);
  const firstKpiColumn = headers.length;
  for (const k of kpiOrder) column(DISPLAY_HEADER[result.headers[k]] ?? result.headers[k], numberFormatOf(result.headers[k], currency));

  const lineCells = (label: string, channel: string | null, group: readonly CampaignLine[], kpis: readonly (number | null)[], single: CampaignLine | null): Cell[] => {
    const cells: Cell[] = [label];
    if (channelColumn) cells.push(channel);
    if (startColumn) cells.push(single ? single.start : null);
    if (endColumn) cells.push(single ? single.end : null);
    for (const field of moneyFields) cells.push(sum(group.map((l) => l.inputs[field])));
    for (const k of kpiOrder) cells.push(kpis[k]);
    return cells;
  };
  const bySpend = (a: CampaignLine, b: CampaignLine): number => (b.inputs.spend ?? -1) - (a.inputs.spend ?? -1);
  const campaignLine = (line: CampaignLine): TableLine => ({ kind: "campaign", cells: lineCells(line.label, line.channel, [line], line.kpis, line), kpis: line.kpis });
  const campaignsText = (count: number) => `${count} campaign${count === 1 ? "" : "s"}`;
  const tableLines: TableLine[] = [];
  let channels: ChannelGroup[] = [];
  if (channelColumn) {
    const groups = new Map<string, CampaignLine[]>();
    for (const line of lines) {
      const name = line.channel ?? "No channel";
      groups.set(name, [...(groups.get(name) ?? []), line]);
    }
    const spendOf = (g: ChannelGroup) => sum(g.lines.map((l) => l.inputs.spend)) ?? 0;
    channels = [...groups].map(([name, group]) => ({ name, lines: [...group].sort(bySpend), kpis: kpisOfSum(group) }));
    channels.sort((a, b) => spendOf(b) - spendOf(a) || b.lines.length - a.lines.length || a.name.localeCompare(b.name));
    for (const group of channels) {
      for (const line of group.lines) tableLines.push(campaignLine(line));
      tableLines.push({ kind: "subtotal", cells: lineCells(`${group.name} subtotal (${campaignsText(group.lines.length)})`, group.name, group.lines, group.kpis, null), kpis: group.kpis });
    }
  } else {
    for (const line of [...lines].sort((a, b) => (has("spend") ? bySpend(a, b) : 0))) tableLines.push(campaignLine(line));
  }
  const totalKpis = kpisOfSum(lines);
  tableLines.push({ kind: "total", cells: lineCells(`Total (${campaignsText(lines.length)})`, null, lines, totalKpis, null), kpis: totalKpis });

  const checksOf = (rules: readonly ColourRule[]): RuleCheck[] =>
    rules.flatMap((rule) => result.headers.map((h, k) => ({ rule, k, h })).filter(({ h }) => rule.header.test(h)).map(({ k }) => ({ rule, k })));
  return {
    result,
    lines,
    channels,
    channelColumn,
    startColumn,
    endColumn,
    moneyFields,
    kpiOrder,
    headers,
    formats,
    firstKpiColumn,
    tableLines,
    totalKpis,
    totalSpend,
    totalRevenue,
    amountFormat,
    badChecks: checksOf(RULES),
    goodChecks: checksOf(GOOD_RULES),
    unreadDates,
  };
}

/** One line per campaign: its inputs, channel, dates and the engine's KPIs. */
function campaignLines(
  campaigns: CampaignsInput,
  result: CampaignKpiResult,
  channelColumn: ExtraColumn | null,
  startColumn: ExtraColumn | null,
  endColumn: ExtraColumn | null,
): { lines: CampaignLine[]; unreadDates: number } {
  const numeric = result.recognised.filter((c) => c.field !== "label");
  let unreadDates = 0;
  const readDate = (value: unknown, row: number): number | null => {
    try {
      return toOptionalDateSerial(value, ARGUMENT, row);
    } catch {
      unreadDates++;
      return null;
    }
  };
  const lines = result.rows.map((row, i): CampaignLine => {
    const cells = campaigns.table[i + 1];
    const inputs: Partial<Record<CampaignField, number | null>> = {};
    // The engine has validated every recognised column (numbers ≥ 0 or blank).
    for (const c of numeric) inputs[c.field] = toOptionalNumber(cells[c.column - 1], ARGUMENT, i + 2);
    let channel: string | null = null;
    if (channelColumn) {
      try {
        channel = toOptionalText(cells[channelColumn.column], ARGUMENT, i + 2);
      } catch {
        channel = null;
      }
    }
    return {
      label: result.labelColumn === null ? `Row ${i + 2}` : (row.label ?? `Row ${i + 2}`),
      channel,
      start: startColumn ? readDate(cells[startColumn.column], i + 2) : null,
      end: endColumn ? readDate(cells[endColumn.column], i + 2) : null,
      inputs,
      kpis: row.values,
    };
  });
  return { lines, unreadDates };
}

/** True where a campaign's KPI breaks the check's rule. */
export function breaks(line: { readonly kpis: readonly (number | null)[] }, check: RuleCheck): boolean {
  const value = line.kpis[check.k];
  return value !== null && check.rule.hits(value);
}
