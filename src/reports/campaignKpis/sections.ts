/**
 * The sections of the Campaign KPIs tab, each a small function of the analysis returning its blocks
 * (see src/reports/layout.ts): scope, headline, warnings, the channel summary with its chart, the
 * campaign table grouped by channel under its colour rules, and the column mapping in words.
 */

import { normaliseHeader } from "../../engine/campaigns/campaignColumns";
import { FORMAT, formatCount } from "../format";
import { headingBlock, NOTHING, titleSection, type HeadlineItem, type Section } from "../layout";
import type { Block, Cell, ConditionalFormat, ConditionalRule } from "../sheet";
import { dateText, inCurrency, listText, moneyText, padded } from "../attribution/text";
import { breaks, DEFINITIONS, FIELD_WORDS, numberFormatOf, ROAS_FORMAT, sum, type CampaignAnalysis, type CampaignLine, type ColourRule } from "./analysis";

const plural = (count: number, word: string): string => `${formatCount(count)} ${word}${count === 1 ? "" : "s"}`;

/** Title and scope: campaigns, channels, dates, source, currency. */
export function scopeSection(analysis: CampaignAnalysis, source: string, currency: string | undefined): Section {
  const { lines, channelColumn, channels, moneyFields } = analysis;
  const starts = lines.map((l) => l.start).filter((d): d is number => d !== null);
  const ends = lines.map((l) => l.end ?? l.start).filter((d): d is number => d !== null);
  const dates = starts.length > 0 ? `, ${dateText(Math.min(...starts))} – ${dateText(Math.max(...ends))}` : "";
  const money = moneyFields.some((f) => f !== "conversions") ? `; amounts ${inCurrency(currency)}` : "";
  const inChannels = channelColumn ? ` in ${plural(channels.length, "channel")}` : "";
  return titleSection(
    "Campaign KPIs",
    `${lines.length} campaigns${inChannels}${dates}, from ${source}: every KPI its columns allow${channelColumn ? ", by channel with subtotals" : ""}${money}.`,
  );
}

/** A campaign in words: its name, and its channel when the name does not say it. */
function campaignName(line: CampaignLine): string {
  return `${line.label}${line.channel && !line.label.includes(line.channel) ? ` (${line.channel})` : ""}`;
}

/** The headline: spend (or the campaign count), blended ROAS, best and worst campaign, campaigns breaking a rule; each with a sentence. */
export function headlineItems(analysis: CampaignAnalysis, currency: string | undefined): HeadlineItem[] {
  const { lines, channels, channelColumn, totalSpend, totalRevenue, totalKpis, result, amountFormat } = analysis;
  const money = (x: number) => moneyText(currency, x);
  const items: HeadlineItem[] = [];
  const inChannels = channelColumn ? ` in ${plural(channels.length, "channel")}` : "";
  if (totalSpend !== null) {
    const top = channels.length > 1 && totalSpend > 0 ? channels[0] : null;
    const topSpend = top ? (sum(top.lines.map((l) => l.inputs.spend)) ?? 0) : 0;
    items.push({
      label: "Total spend",
      value: totalSpend,
      format: amountFormat,
      sentence:
        `Across ${lines.length} campaigns${inChannels}` +
        (totalRevenue !== null ? `, bringing ${money(totalRevenue)} of revenue` : "") +
        (top ? `; ${top.name} spent most (${money(topSpend)}, ${Math.round((100 * topSpend) / totalSpend)}%).` : "."),
    });
  } else {
    items.push({ label: "Campaigns", value: lines.length, format: FORMAT.integer, sentence: `Campaigns in the table${inChannels}.` });
  }
  const roasIndex = result.headers.indexOf("ROAS");
  if (roasIndex >= 0 && totalKpis[roasIndex] !== null) {
    const roas = totalKpis[roasIndex]!;
    items.push({
      label: "Blended ROAS",
      value: roas,
      format: ROAS_FORMAT,
      sentence:
        roas < 1
          ? "Total revenue ÷ total spend: the campaigns brought less revenue than they cost."
          : `Total revenue ÷ total spend: each 1 spent brought ${roas.toFixed(2)} of revenue (before margins).`,
    });
  }
  items.push(...bestAndWorst(analysis, currency));
  const broken = brokenRules(analysis);
  if (broken !== null) {
    const counts = broken.filter((b) => b.lines.length > 0).map((b) => `${b.lines.length} with ${shortWords(b.rule)}`);
    const breaking = lines.filter((line) => analysis.badChecks.some((check) => breaks(line, check))).length;
    items.push({
      label: "Campaigns breaking a rule",
      value: breaking,
      format: FORMAT.integer,
      sentence: breaking === 0 ? `None of the ${lines.length} campaigns breaks a rule of thumb below.` : `Of ${lines.length} campaigns (red below): ${counts.join("; ")}.`,
      bad: breaking > 0 ? true : undefined,
    });
  }
  // Numbers padded on the right, so the sentence beside them does not touch them.
  return items.map((item) => ({ ...item, format: padded(item.format) }));
}

/** Best and worst campaign by ROAS, else by the first rate where more is better. */
function bestAndWorst(analysis: CampaignAnalysis, currency: string | undefined): HeadlineItem[] {
  const { result, lines } = analysis;
  const roasIndex = result.headers.indexOf("ROAS");
  const rankIndex = roasIndex >= 0 ? roasIndex : result.headers.findIndex((h) => /^(Conversion rate|Click-through rate|Ad CTR|Open rate|Form conversion rate)/.test(h));
  if (rankIndex < 0) return [];
  const ranked = lines.filter((l) => l.kpis[rankIndex] !== null).sort((a, b) => b.kpis[rankIndex]! - a.kpis[rankIndex]!);
  if (ranked.length < 2) return [];
  const name = result.headers[rankIndex];
  const isRoas = rankIndex === roasIndex;
  const describe = (line: CampaignLine): string =>
    campaignName(line) + (isRoas ? `: revenue ${moneyText(currency, line.inputs.revenue ?? 0)} on spend ${moneyText(currency, line.inputs.spend ?? 0)}` : "");
  const format = numberFormatOf(name, currency);
  const worst = ranked[ranked.length - 1];
  const worstValue = worst.kpis[rankIndex]!;
  return [
    { label: `Best campaign by ${name}`, value: ranked[0].kpis[rankIndex]!, format, sentence: `${describe(ranked[0])}.` },
    { label: `Worst campaign by ${name}`, value: worstValue, format, sentence: `${describe(worst)}${isRoas && worstValue < 1 ? "; it returned less than it cost" : ""}.` },
  ];
}

/** A rule's words without the explanation in brackets: "ROAS below 1.00×". */
function shortWords(rule: ColourRule): string {
  return rule.words.replace(/ \(.*\)$/, "");
}

/** Each stated red rule the table can check, with the campaigns breaking it; null when no KPI has a rule. */
function brokenRules(analysis: CampaignAnalysis): { rule: ColourRule; lines: CampaignLine[]; k: number }[] | null {
  if (analysis.badChecks.length === 0) return null;
  return [...new Set(analysis.badChecks.map((c) => c.rule))].map((rule) => {
    const checks = analysis.badChecks.filter((c) => c.rule === rule);
    return { rule, k: checks[0].k, lines: analysis.lines.filter((line) => checks.some((check) => breaks(line, check))) };
  });
}

/** Warnings that change a decision: each broken rule with the campaigns breaking it (worst first, three named). */
export function campaignWarnings(analysis: CampaignAnalysis): string[] {
  const warnings: string[] = [];
  for (const { rule, lines, k } of brokenRules(analysis) ?? []) {
    if (lines.length === 0) continue;
    const format = (value: number) => (analysis.result.headers[k] === "ROAS" ? `${value.toFixed(2)}×` : `${(value * 100).toFixed(1)}%`);
    const valueOf = (line: CampaignLine) => analysis.badChecks.filter((c) => c.rule === rule).map((c) => line.kpis[c.k]).find((v) => v !== null)!;
    const worstFirst = [...lines].sort((a, b) => (rule.rule.kind === "cellIs" && rule.rule.operator === "lessThan" ? valueOf(a) - valueOf(b) : valueOf(b) - valueOf(a)));
    const named = worstFirst.slice(0, 3).map((line) => `${campaignName(line)} ${format(valueOf(line))}`);
    if (worstFirst.length > 3) named.push(`${worstFirst.length - 3} more`);
    const reason = /\((.*)\)$/.exec(rule.words)?.[1];
    const what = shortWords(rule);
    warnings.push(`${what[0].toUpperCase()}${what.slice(1)} in ${plural(lines.length, "campaign")}: ${listText(named)}${reason ? `; ${reason}` : ""}.`);
  }
  return warnings;
}

/** Conditional formats for a stated rule over the filled runs of a column (Excel compares a blank cell as 0). */
function ruleRuns(values: readonly (number | null)[], firstRow: number, column: number, rule: ConditionalRule): ConditionalFormat[] {
  const formats: ConditionalFormat[] = [];
  let start = -1;
  for (let i = 0; i <= values.length; i++) {
    const filled = i < values.length && values[i] !== null;
    if (filled && start < 0) start = i;
    if (!filled && start >= 0) {
      formats.push({ range: { row: firstRow + start, column, rowCount: i - start, columnCount: 1 }, rule });
      start = -1;
    }
  }
  return formats;
}

/**
 * Spend, revenue, conversions, ROAS and CPA per channel with a total row, ROAS coloured by the stated
 * rules, and a column chart of spend and revenue by channel beside it; nothing without two channels
 * and an amount.
 */
export function channelSummarySection(analysis: CampaignAnalysis, currency: string | undefined): Section {
  const { channels, moneyFields, result, lines, totalKpis, startColumn, endColumn } = analysis;
  const amounts = moneyFields.filter((f) => f !== "conversions");
  if (channels.length < 2 || amounts.length === 0) return () => NOTHING;
  const kpis = ["ROAS", "CPA"].map((h) => ({ header: h, k: result.headers.indexOf(h) })).filter((c) => c.k >= 0);
  // Columns line up with the campaign table's below: its dates here are each channel's first and last.
  const dates = startColumn === null ? [] : endColumn === null ? ["First date"] : ["From", "To"];
  const firstMoney = 2 + dates.length;
  const headers = ["Channel", "Campaigns", ...dates, ...moneyFields.map((f) => FIELD_WORDS[f]), ...kpis.map((c) => (c.header === "CPA" ? "CPA (per conversion)" : c.header))];
  const formats = [
    null,
    FORMAT.integer,
    ...dates.map(() => FORMAT.date),
    ...moneyFields.map((f) => (f === "conversions" ? FORMAT.integer : analysis.amountFormat)),
    ...kpis.map((c) => numberFormatOf(c.header, currency)),
  ];
  const dateCells = (group: readonly CampaignLine[]): (number | null)[] => {
    const starts = group.map((l) => l.start).filter((d): d is number => d !== null);
    const ends = group.map((l) => l.end ?? l.start).filter((d): d is number => d !== null);
    const first = starts.length > 0 ? Math.min(...starts) : null;
    return dates.length === 1 ? [first] : dates.length === 2 ? [first, ends.length > 0 ? Math.max(...ends) : null] : [];
  };
  const rowOf = (name: string, group: readonly CampaignLine[], values: readonly (number | null)[]): Cell[] => [
    name,
    group.length,
    ...dateCells(group),
    ...moneyFields.map((f) => sum(group.map((l) => l.inputs[f]))),
    ...kpis.map((c) => values[c.k]),
  ];
  return (top) => {
    const header = top + 1;
    const rows = channels.map((g) => rowOf(g.name, g.lines, g.kpis));
    const totals = rowOf("Total", lines, totalKpis);
    const categories = { row: header + 1, column: 0, rowCount: channels.length, columnCount: 1 };
    const chartRows = Math.max(12, channels.length + 5);
    const conditionalFormats: ConditionalFormat[] = [];
    const roas = kpis.findIndex((c) => c.header === "ROAS");
    if (roas >= 0) {
      const column = firstMoney + moneyFields.length + roas;
      const values = [...rows, totals].map((r) => r[column] as number | null);
      for (const check of [...analysis.badChecks, ...analysis.goodChecks].filter((c) => c.k === kpis[roas].k)) conditionalFormats.push(...ruleRuns(values, header + 1, column, check.rule.rule));
    }
    const blocks: Block[] = [
      headingBlock(top, `By channel (amounts ${inCurrency(currency)}; ROAS and CPA from summed counts)`),
      { kind: "table", name: "CampaignChannels", row: header, column: 0, headers, rows, numberFormats: formats, totals },
    ];
    return {
      blocks,
      conditionalFormats,
      charts: [
        {
          type: "column",
          title: amounts.length === 2 ? "Spend and revenue by channel" : `${FIELD_WORDS[amounts[0]]} by channel`,
          categories,
          series: amounts.map((f) => ({ name: FIELD_WORDS[f], values: { ...categories, column: firstMoney + moneyFields.indexOf(f) } })),
          yAxisTitle: currency ? `Amount (${currency})` : "Amount",
          valueFormat: "#,##0",
          anchor: { row: header, column: headers.length + 1, rows: chartRows, columns: 7 },
        },
      ],
      rows: 1 + Math.max(rows.length + 2, chartRows),
    };
  };
}

/**
 * The campaign table: its heading, the colour rules in words, the header row, then per channel its
 * campaigns and a bold subtotal, then the bold total; colours by the stated rules only, never on a blank cell.
 */
export function campaignTableSection(analysis: CampaignAnalysis): Section {
  const { tableLines, headers, formats, badChecks, goodChecks, kpiOrder, firstKpiColumn, channelColumn } = analysis;
  const legend = [
    ...[...new Set(badChecks.map((c) => c.rule))].map((r) => `Red: ${r.words}.`),
    ...[...new Set(goodChecks.map((c) => c.rule))].map((r) => `Green: ${r.words}.`),
  ];
  if (legend.length === 0) legend.push("No colours: none of these KPIs has a stated rule of thumb.");
  return (top) => {
    const headerRow = top + 1 + legend.length;
    const bodyStart = headerRow + 1;
    const blocks: Block[] = [
      headingBlock(top, channelColumn ? "Campaigns by channel, largest spend first, with subtotals" : "Campaigns, largest spend first"),
      { kind: "cells", row: top + 1, column: 0, values: legend.map((t) => [t]), style: "body" },
      { kind: "cells", row: headerRow, column: 0, values: [headers], style: "header" },
    ];
    // Consecutive campaign rows share one block; subtotal and total rows are bold blocks of their own.
    for (let r = 0; r < tableLines.length; ) {
      const kind = tableLines[r].kind;
      let end = r + 1;
      if (kind === "campaign") while (end < tableLines.length && tableLines[end].kind === "campaign") end++;
      blocks.push({ kind: "cells", row: bodyStart + r, column: 0, values: tableLines.slice(r, end).map((l) => l.cells), numberFormats: formats, style: kind === "campaign" ? "body" : "total" });
      r = end;
    }
    const conditionalFormats = [...badChecks, ...goodChecks].flatMap(({ rule, k }) =>
      ruleRuns(
        tableLines.map((l) => l.kpis[k]),
        bodyStart,
        firstKpiColumn + kpiOrder.indexOf(k),
        rule.rule,
      ),
    );
    return { blocks, conditionalFormats, rows: 2 + legend.length + tableLines.length };
  };
}

/** Which column of the source gave what, in words, every column accounted for. */
export function mappingSection(analysis: CampaignAnalysis): Section {
  const { result, channelColumn, startColumn, endColumn } = analysis;
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
  const lines = byColumn.map((c) => c.text);
  if (result.labelColumn === null) lines.push("No campaign name column: campaigns are named by their row in the table (the header is row 1).");
  return (top) => ({
    blocks: [headingBlock(top, "Columns of the campaign table"), { kind: "cells", row: top + 1, column: 0, values: lines.map((t) => [t]) }],
    rows: 1 + lines.length,
  });
}

/** Notes for the provenance: the KPIs' definitions, how subtotals are made, dates not read. */
export function campaignNotes(analysis: CampaignAnalysis): string[] {
  const notes = DEFINITIONS.filter((d) => analysis.result.headers.some((h) => d.header.test(h))).map((d) => d.text);
  if (analysis.channelColumn || analysis.tableLines.length > 1) {
    notes.push("Subtotal and total rates are recomputed from summed counts (not averaged), over the campaigns that have the rate.");
  }
  if (analysis.unreadDates > 0) notes.push(`${analysis.unreadDates} date cell${analysis.unreadDates === 1 ? " is" : "s are"} not a date and left blank.`);
  return notes;
}
