/**
 * The Campaign KPIs tab: every KPI a campaign table allows (the numbers of IMC.CAMPAIGNKPIS, engine
 * src/engine/campaigns/campaignKpis.ts), with spend, revenue and conversions beside them, grouped by
 * channel with a subtotal per channel and a total row, under a headline block.
 *
 * Layout: title and scope line (campaigns, channels, dates); the headline (3–5 numbers, a sentence
 * each); the colour rules in words; the campaign table (header row frozen): per channel its
 * campaigns (spend descending) and a subtotal row, then the total row; the column mapping in words;
 * where the numbers come from.
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

import { campaignKpis, type OpenRateBase } from "../engine/campaigns/campaignKpis";
import { normaliseHeader, type CampaignField } from "../engine/campaigns/campaignColumns";
import { serialToCalendar, toOptionalDateSerial, toOptionalNumber, toOptionalText } from "../engine/data";
import { FORMAT, formatCount } from "./format";
import type { CampaignsInput } from "./inputs";
import { provenanceBlock, type Block, type Cell, type ConditionalFormat, type ConditionalRule, type Provenance, type ReportContext, type ReportSheet } from "./sheet";

/** What each input column gives, in words, for the column mapping at the foot of the tab. */
const FIELD_WORDS: Readonly<Record<CampaignField, string>> = {
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
const CHANNEL_HEADERS = ["channel", "channelname", "marketingchannel", "medium"];
const START_HEADERS = ["startdate", "start", "date", "launchdate", "senddate", "sentdate", "campaigndate", "launched"];
const END_HEADERS = ["enddate", "end", "finishdate", "stopdate"];

/** One line of each KPI's definition, for the foot of the tab (by the engine's header, prefix match). */
const DEFINITIONS: readonly { readonly header: RegExp; readonly text: string }[] = [
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

interface ColourRule {
  /** The engine's KPI header this rule reads. */
  readonly header: RegExp;
  readonly rule: ConditionalRule;
  /** True where the rule colours the value. */
  readonly hits: (value: number) => boolean;
  /** The rule in words, written above the table. */
  readonly words: string;
}

const RULES: readonly ColourRule[] = [
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

const GOOD_RULES: readonly ColourRule[] = [
  {
    header: /^ROAS$/,
    rule: { kind: "cellIs", operator: "greaterThanOrEqual", value: 3, look: "good" },
    hits: (v) => v >= 3,
    words: "ROAS of 3.00× or more (a common target: 3 of revenue for each 1 spent)",
  },
];

/** Display headers of the engine's KPIs where a unit helps. */
const DISPLAY_HEADER: Readonly<Record<string, string>> = { CPA: "CPA (per conversion)", CPL: "CPL (per lead)" };

interface CampaignLine {
  readonly label: string;
  readonly channel: string | null;
  readonly start: number | null;
  readonly end: number | null;
  readonly inputs: Partial<Record<CampaignField, number | null>>;
  /** The engine's KPI values, in the engine's header order. */
  readonly kpis: readonly (number | null)[];
}

/** A row of the campaign table as written: a campaign, a channel's subtotal or the total. */
interface TableLine {
  readonly kind: "campaign" | "subtotal" | "total";
  readonly cells: readonly Cell[];
  /** The KPI values by engine header index (for the colour runs). */
  readonly kpis: readonly (number | null)[];
}

function numberFormatOf(header: string): string {
  if (/rate|CTR|growth/i.test(header)) return FORMAT.percent;
  if (header === "Delivered") return FORMAT.integer;
  if (header === "ROAS") return '0.00"×"';
  return FORMAT.money; // CPL, CPA: amounts per lead or conversion
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function dateWords(serial: number): string {
  const d = serialToCalendar(Math.floor(serial));
  return `${d.day} ${MONTHS[d.month - 1]} ${d.year}`;
}

function sum(values: readonly (number | null | undefined)[]): number | null {
  let total: number | null = null;
  for (const v of values) if (v != null) total = (total ?? 0) + v;
  return total;
}

/**
 * Builds the Campaign KPIs tab from a campaign table.
 *
 * @param campaigns the table with its header row (IMC.CAMPAIGNKPIS's input).
 * @param options the open-rate denominator, "delivered" (default) or "sent".
 * @param context the generation time.
 * @returns the sheet: headline, colour rules, the campaign table grouped by channel (the engine's KPI
 *   values per campaign; blank where an input is blank or its denominator 0), the column mapping and
 *   provenance.
 * @throws EngineError from campaignKpis (argument `campaign_table`): INVALID_INPUT for a
 *   non-rectangular table or a bad or negative number in a recognised column (row and header named);
 *   INSUFFICIENT_DATA when there is no campaign row, no recognised header or no computable KPI.
 */
export function buildCampaignKpisTab(campaigns: CampaignsInput, options: { readonly openRateBase?: OpenRateBase }, context: ReportContext): ReportSheet {
  const argument = "campaign_table";
  const result = campaignKpis(campaigns.table, { openRateBase: options.openRateBase ?? "delivered", argument });
  const table = campaigns.table;

  // Channel and date columns: among the columns the engine did not use.
  const unused = result.ignored.filter((c) => c.reason === "not a recognised KPI input");
  const findColumn = (names: readonly string[]): { column: number; header: string } | null => {
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

  let unreadDates = 0;
  const readDate = (value: unknown, row: number): number | null => {
    try {
      return toOptionalDateSerial(value, argument, row);
    } catch {
      unreadDates++;
      return null;
    }
  };
  const lines: CampaignLine[] = result.rows.map((row, i) => {
    const cells = table[i + 1];
    const inputs: Partial<Record<CampaignField, number | null>> = {};
    // The engine has validated every recognised column (numbers ≥ 0 or blank).
    for (const c of numeric) inputs[c.field] = toOptionalNumber(cells[c.column - 1], argument, i + 2);
    let channel: string | null = null;
    if (channelColumn) {
      try {
        channel = toOptionalText(cells[channelColumn.column], argument, i + 2);
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

  /** KPIs of a group: the engine's definitions applied to counts summed over the campaigns that have the KPI. */
  const kpisOfSum = (group: readonly CampaignLine[]): (number | null)[] =>
    result.headers.map((header, k) => {
      const contributing = group.filter((line) => line.kpis[k] !== null);
      if (contributing.length === 0) return null;
      const sums = numeric.map((c) => sum(contributing.map((line) => line.inputs[c.field])));
      const synthetic = [["Campaign", ...numeric.map((c) => c.header)], ["Sum", ...sums.map((s) => s ?? "")]];
      const summed = campaignKpis(synthetic, { openRateBase: result.openRateBase, argument });
      const at = summed.headers.indexOf(header);
      return at < 0 ? null : (summed.rows[0].values[at] ?? null);
    });

  // Columns of the campaign table: names, channel, dates, money, then the engine's KPIs (money KPIs first).
  const moneyFields = (["spend", "revenue", "conversions"] as const).filter(has);
  const moneyKpis = ["ROAS", "CPA", "CPL"].filter((h) => result.headers.includes(h));
  const kpiOrder = [...moneyKpis, ...result.headers.filter((h) => !moneyKpis.includes(h))].map((h) => result.headers.indexOf(h));
  const totalSpend = has("spend") ? (sum(lines.map((l) => l.inputs.spend)) ?? 0) : null;
  const totalRevenue = has("revenue") ? (sum(lines.map((l) => l.inputs.revenue)) ?? 0) : null;
  const amountFormat = Math.max(totalSpend ?? 0, totalRevenue ?? 0) > 10_000 ? FORMAT.integer : FORMAT.money;
  const headers: string[] = ["Campaign"];
  const formats: (string | null)[] = [null];
  if (channelColumn) {
    headers.push("Channel");
    formats.push(null);
  }
  if (startColumn) {
    headers.push(endColumn ? "Start date" : "Date");
    formats.push(FORMAT.date);
  }
  if (endColumn) {
    headers.push("End date");
    formats.push(FORMAT.date);
  }
  for (const field of moneyFields) {
    headers.push(FIELD_WORDS[field]);
    formats.push(field === "conversions" ? FORMAT.integer : amountFormat);
  }
  const firstKpiColumn = headers.length;
  for (const k of kpiOrder) {
    headers.push(DISPLAY_HEADER[result.headers[k]] ?? result.headers[k]);
    formats.push(numberFormatOf(result.headers[k]));
  }
  const kpiColumnOf = (k: number): number => firstKpiColumn + kpiOrder.indexOf(k);

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
  const tableLines: TableLine[] = [];
  const campaignLine = (line: CampaignLine): TableLine => ({ kind: "campaign", cells: lineCells(line.label, line.channel, [line], line.kpis, line), kpis: line.kpis });
  let channels: { name: string; lines: CampaignLine[] }[] = [];
  if (channelColumn) {
    const groups = new Map<string, CampaignLine[]>();
    for (const line of lines) {
      const name = line.channel ?? "No channel";
      groups.set(name, [...(groups.get(name) ?? []), line]);
    }
    channels = [...groups].map(([name, group]) => ({ name, lines: [...group].sort(bySpend) }));
    const spendOf = (g: { lines: CampaignLine[] }) => sum(g.lines.map((l) => l.inputs.spend)) ?? 0;
    channels.sort((a, b) => spendOf(b) - spendOf(a) || b.lines.length - a.lines.length || a.name.localeCompare(b.name));
    for (const group of channels) {
      for (const line of group.lines) tableLines.push(campaignLine(line));
      const kpis = kpisOfSum(group.lines);
      const count = group.lines.length;
      tableLines.push({ kind: "subtotal", cells: lineCells(`${group.name} subtotal (${count} campaign${count === 1 ? "" : "s"})`, group.name, group.lines, kpis, null), kpis });
    }
  } else {
    for (const line of [...lines].sort((a, b) => (has("spend") ? bySpend(a, b) : 0))) tableLines.push(campaignLine(line));
  }
  const totalKpis = kpisOfSum(lines);
  tableLines.push({ kind: "total", cells: lineCells(`Total (${lines.length} campaign${lines.length === 1 ? "" : "s"})`, null, lines, totalKpis, null), kpis: totalKpis });

  // Rule checks per campaign, for the headline.
  const ruleHeaders = (rules: readonly ColourRule[]) =>
    rules.flatMap((rule) => result.headers.map((h, k) => ({ rule, k, h })).filter(({ h }) => rule.header.test(h)));
  const badChecks = ruleHeaders(RULES);
  const goodChecks = ruleHeaders(GOOD_RULES);
  const breaking = lines.filter((line) => badChecks.some(({ rule, k }) => line.kpis[k] !== null && rule.hits(line.kpis[k]!)));

  // Headline.
  const headline: { label: string; value: number; format: string; sentence: string }[] = [];
  const channelWords = channelColumn ? ` in ${channels.length} channel${channels.length === 1 ? "" : "s"}` : "";
  if (totalSpend !== null) {
    const top = channels.length > 1 && totalSpend > 0 ? channels[0] : null;
    const topSpend = top ? (sum(top.lines.map((l) => l.inputs.spend)) ?? 0) : 0;
    headline.push({
      label: "Total spend",
      value: totalSpend,
      format: amountFormat,
      sentence:
        `Across ${lines.length} campaigns${channelWords}` +
        (totalRevenue !== null ? `, bringing ${formatCount(totalRevenue)} of revenue` : "") +
        (top ? `; ${top.name} spent most (${formatCount(topSpend)}, ${Math.round((100 * topSpend) / totalSpend)}%).` : "."),
    });
  } else {
    headline.push({ label: "Campaigns", value: lines.length, format: FORMAT.integer, sentence: `Campaigns in the table${channelWords}.` });
  }
  const roasIndex = result.headers.indexOf("ROAS");
  if (roasIndex >= 0 && totalKpis[roasIndex] !== null) {
    const roas = totalKpis[roasIndex]!;
    headline.push({
      label: "Blended ROAS",
      value: roas,
      format: '0.00"×"',
      sentence:
        roas < 1
          ? `Total revenue ÷ total spend: the campaigns brought less revenue than they cost.`
          : `Total revenue ÷ total spend: each 1 spent brought ${roas.toFixed(2)} of revenue (before margins).`,
    });
  }
  // Best and worst campaign by ROAS, else by the first rate where more is better.
  const rankIndex = roasIndex >= 0 ? roasIndex : result.headers.findIndex((h) => /^(Conversion rate|Click-through rate|Ad CTR|Open rate|Form conversion rate)/.test(h));
  if (rankIndex >= 0) {
    const ranked = lines.filter((l) => l.kpis[rankIndex] !== null).sort((a, b) => b.kpis[rankIndex]! - a.kpis[rankIndex]!);
    const name = result.headers[rankIndex];
    const isRoas = rankIndex === roasIndex;
    const describe = (line: CampaignLine): string =>
      `${line.label}${line.channel && !line.label.includes(line.channel) ? ` (${line.channel})` : ""}` +
      (isRoas ? `: revenue ${formatCount(line.inputs.revenue ?? 0)} on spend ${formatCount(line.inputs.spend ?? 0)}` : "");
    const format = numberFormatOf(name);
    if (ranked.length >= 2) {
      headline.push({ label: `Best campaign by ${name}`, value: ranked[0].kpis[rankIndex]!, format, sentence: `${describe(ranked[0])}.` });
      const worst = ranked[ranked.length - 1];
      const worstValue = worst.kpis[rankIndex]!;
      headline.push({
        label: `Worst campaign by ${name}`,
        value: worstValue,
        format,
        sentence: `${describe(worst)}${isRoas && worstValue < 1 ? "; it returned less than it cost" : ""}.`,
      });
    }
  }
  if (badChecks.length > 0) {
    const counts = [...new Set(badChecks.map((c) => c.rule))].map((rule) => ({
      rule,
      count: lines.filter((line) => badChecks.some((c) => c.rule === rule && line.kpis[c.k] !== null && rule.hits(line.kpis[c.k]!))).length,
    }));
    const broken = counts.filter((c) => c.count > 0).map((c) => `${c.count} with ${c.rule.words.replace(/ \(.*\)$/, "")}`);
    headline.push({
      label: "Campaigns breaking a rule",
      value: breaking.length,
      format: FORMAT.integer,
      sentence: breaking.length === 0 ? `None of the ${lines.length} campaigns breaks a rule of thumb below.` : `Of ${lines.length} campaigns (red below): ${broken.join("; ")}.`,
    });
  }

  // Blocks.
  const blocks: Block[] = [];
  blocks.push({ kind: "cells", row: 0, column: 0, values: [["Campaign KPIs"]], style: "title" });
  const starts = lines.map((l) => l.start).filter((d): d is number => d !== null);
  const ends = lines.map((l) => l.end ?? l.start).filter((d): d is number => d !== null);
  const dates = starts.length > 0 ? `, ${dateWords(Math.min(...starts))} – ${dateWords(Math.max(...ends))}` : "";
  const money = moneyFields.some((f) => f !== "conversions") ? "; amounts in the data's currency" : "";
  blocks.push({
    kind: "cells",
    row: 1,
    column: 0,
    values: [[`${lines.length} campaigns${channelWords}${dates}, from ${campaigns.source}: every KPI its columns allow${channelColumn ? ", by channel with subtotals" : ""}${money}.`]],
    style: "subtitle",
  });
  let row = 3;
  const sentenceColumn = 3;
  const headlineRow = row;
  for (const item of headline) {
    blocks.push({ kind: "cells", row, column: 0, values: [[item.label, item.value]], numberFormats: [null, item.format], columnStyles: ["label", "total"] });
    blocks.push({ kind: "cells", row, column: sentenceColumn, values: [[item.sentence]] });
    row++;
  }
  row++;
  const ruleLines: string[] = [];
  const badWords = [...new Set(badChecks.map((c) => c.rule))].map((r) => r.words);
  const goodWords = [...new Set(goodChecks.map((c) => c.rule))].map((r) => r.words);
  for (const words of badWords) ruleLines.push(`Red: ${words}.`);
  for (const words of goodWords) ruleLines.push(`Green: ${words}.`);
  if (ruleLines.length === 0) ruleLines.push("No colours: none of these KPIs has a stated rule of thumb.");
  blocks.push({ kind: "cells", row, column: 0, values: ruleLines.map((t) => [t]), style: "body" });
  row += ruleLines.length + 1;

  const headerRow = row;
  blocks.push({ kind: "cells", row: headerRow, column: 0, values: [headers], style: "header" });
  const bodyStart = headerRow + 1;
  // Consecutive campaign rows share one block; subtotal and total rows are bold blocks of their own.
  let r = 0;
  while (r < tableLines.length) {
    const kind = tableLines[r].kind;
    let end = r + 1;
    if (kind === "campaign") while (end < tableLines.length && tableLines[end].kind === "campaign") end++;
    blocks.push({
      kind: "cells",
      row: bodyStart + r,
      column: 0,
      values: tableLines.slice(r, end).map((l) => l.cells),
      numberFormats: formats,
      style: kind === "campaign" ? "body" : "total",
    });
    r = end;
  }

  // Colours: one format per run of filled cells, so blank cells (compared as 0 by Excel) stay white.
  const conditionalFormats: ConditionalFormat[] = [];
  for (const { rule, k } of [...badChecks, ...goodChecks]) {
    let runStart = -1;
    for (let i = 0; i <= tableLines.length; i++) {
      const filled = i < tableLines.length && tableLines[i].kpis[k] !== null;
      if (filled && runStart < 0) runStart = i;
      if (!filled && runStart >= 0) {
        conditionalFormats.push({ range: { row: bodyStart + runStart, column: kpiColumnOf(k), rowCount: i - runStart, columnCount: 1 }, rule: rule.rule });
        runStart = -1;
      }
    }
  }

  // The count of campaigns breaking a rule is red when there is any: a warning that changes a decision.
  const brokenAt = headline.findIndex((h) => h.label === "Campaigns breaking a rule");
  if (brokenAt >= 0) {
    conditionalFormats.push({ range: { row: headlineRow + brokenAt, column: 1, rowCount: 1, columnCount: 1 }, rule: { kind: "cellIs", operator: "greaterThan", value: 0, look: "bad" } });
  }

  row = bodyStart + tableLines.length + 2;
  blocks.push({ kind: "cells", row, column: 0, values: [["Columns of the campaign table"]], style: "heading" });
  row++;
  const mapping: string[] = [];
  const byColumn = [
    ...result.recognised.map((c) => ({ column: c.column, text: `${FIELD_WORDS[c.field]} read from the column '${c.header}'.` })),
    ...(channelColumn ? [{ column: channelColumn.column + 1, text: `Channels read from the column '${channelColumn.header}'.` }] : []),
    ...(startColumn ? [{ column: startColumn.column + 1, text: `${endColumn ? "Start dates" : "Dates"} read from the column '${startColumn.header}'.` }] : []),
    ...(endColumn ? [{ column: endColumn.column + 1, text: `End dates read from the column '${endColumn.header}'.` }] : []),
  ];
  const used = new Set(byColumn.map((c) => c.column));
  for (const c of result.ignored) {
    if (used.has(c.column)) continue;
    const name = c.header === "" ? `Column ${c.column} (no header)` : `The column '${c.header}'`;
    const duplicate = result.recognised.find((u) => u.field !== "label" && normaliseHeader(u.header) !== "" && c.reason.startsWith(`column ${u.column} `));
    byColumn.push({
      column: c.column,
      text: duplicate ? `${name} (column ${c.column}) not used: column ${duplicate.column} already gives ${FIELD_WORDS[duplicate.field].toLowerCase()}.` : `${name} not used: not a KPI input the tab knows.`,
    });
  }
  byColumn.sort((a, b) => a.column - b.column);
  mapping.push(...byColumn.map((c) => c.text));
  if (result.labelColumn === null) mapping.push("No campaign name column: campaigns are named by their row in the table (the header is row 1).");
  blocks.push({ kind: "cells", row, column: 0, values: mapping.map((t) => [t]) });
  row += mapping.length + 2;

  const notes: string[] = [];
  notes.push(...DEFINITIONS.filter((d) => result.headers.some((h) => d.header.test(h))).map((d) => d.text));
  if (channelColumn || tableLines.length > 1) {
    notes.push("Subtotal and total rates are recomputed from summed counts (not averaged), over the campaigns that have the rate.");
  }
  if (unreadDates > 0) notes.push(`${unreadDates} date cell${unreadDates === 1 ? " is" : "s are"} not a date and left blank.`);
  for (const note of [...(campaigns.readingNotes ?? []), ...(context.notes ?? [])]) notes.push(note);
  const provenance: Provenance = {
    sources: [campaigns.source],
    options: [{ label: "Open-rate denominator", value: result.openRateBase === "sent" ? "emails sent" : "emails delivered" }],
    generatedAt: context.generatedAt,
    notes,
  };
  blocks.push(provenanceBlock(provenance, row, 0));

  // Widths: the longest campaign name (capped) and each header; numbers fit in 12.
  const labelWidth = Math.min(44, Math.max(28, ...tableLines.map((l) => String(l.cells[0]).length + 2), ...headline.map((h) => h.label.length + 2)));
  const widths = headers.map((h, c) => {
    if (c === 0) return labelWidth;
    if (h === "Channel") return Math.max(12, ...lines.map((l) => (l.channel ?? "").length + 2));
    return Math.max(12, Math.ceil(h.length * 1.1) + 2); // bold headers are wider than their character count
  });
  return {
    name: "Campaign KPIs",
    blocks,
    columnWidths: widths,
    freeze: { rows: bodyStart, columns: 1 },
    conditionalFormats,
    charts: [],
    provenance,
  };
}
