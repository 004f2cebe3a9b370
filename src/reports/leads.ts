/**
 * The Leads tab: lead scoring on two axes (domain.md §6), fit from a rules table over the leads'
 * profile columns and engagement from their activity events (points halving every 30 days), the
 * grade matrix (fit band A/B/C × engagement band 1/2/3), the marketing-qualified leads (MQLs: fit
 * ≥ 40 and engagement ≥ 20) and, when leads link to customer ids, how often MQLs became customers
 * against the other leads.
 *
 * Leads are judged at qualification: engagement, grade and MQL flag as of min(entered + 30 days, the
 * day before the lead's customer's first order when orders show it, the as-of date), entered being the
 * created date, else the first event. Scoring every lead as of today would zero the engagement of any
 * lead that entered long ago, converted or not, and say nothing about whether the scoring picks buyers.
 * The "Sales follow-up now" list is the exception: MQLs as of the as-of date that are not customers.
 *
 * Sections, top to bottom: title and scope; "At a glance" (leads, MQLs at 30 days, their share, MQL
 * and other leads' conversion to customers, events counted); warnings; the grade matrix at
 * qualification under a one-hue colour scale (magnitude only); conversion by grade with its column
 * chart; the points table and the rules table used, as input cells (the scores are a snapshot of
 * them); the follow-up list sorted by the combined score; where the numbers come from.
 *
 * Figures published for the Scorecard (TabBuild.figures), each the cell that shows it:
 * - `leads.count`: leads scored;
 * - `leads.mqls`: MQLs at qualification (30 days after entering);
 * - `leads.mqlShare`: those MQLs ÷ leads (a formula over the two cells above it);
 * - `leads.mqlConversion`: share of MQLs that became customers (only when leads link to customers);
 * - `leads.nonMqlConversion`: the same for the other leads (only when leads link to customers).
 */

import { EngineError } from "../engine/errors";
import { DEFAULT_ENGAGEMENT_BANDS, DEFAULT_ENGAGEMENT_CAP, DEFAULT_ENGAGEMENT_HALF_LIFE_DAYS, DEFAULT_FIT_BANDS, DEFAULT_FIT_CAP, DEFAULT_MQL_THRESHOLDS, LEAD_GRADES } from "../engine/leads";
import { dateText, listText, padded } from "./attribution/text";
import { CHART_SIZE, FORMAT, formatCount, tableColumn, uniqueHeader } from "./format";
import { headingBlock, headlineSection, NOTHING, TabLayout, titleSection, warningsSection, type HeadlineItem, type Section } from "./layout";
import { analyseLeads, OTHER_EVENT_POINTS, QUALIFY_AFTER_DAYS, type LeadsAnalysis } from "./leads/analysis";
import { a1, type Block, type Cell, type ReportContext } from "./sheet";
import type { Figure, TabBuilder } from "./tabBuild";

/** Number format of scores (fit, engagement, combined). */
const SCORE_FORMAT = "0.0";
const plural = (count: number, word: string, many = `${word}s`): string => `${formatCount(count)} ${count === 1 ? word : many}`;

/** Band labels of the grade matrix, with their cut-offs. */
const FIT_LABELS = [`A: fit ${DEFAULT_FIT_BANDS.a} or more`, `B: fit ${DEFAULT_FIT_BANDS.b} to under ${DEFAULT_FIT_BANDS.a}`, `C: fit under ${DEFAULT_FIT_BANDS.b}`];
const ENGAGEMENT_LABELS = [
  `1: engagement ${DEFAULT_ENGAGEMENT_BANDS.one} or more`,
  `2: engagement ${DEFAULT_ENGAGEMENT_BANDS.two} to under ${DEFAULT_ENGAGEMENT_BANDS.one}`,
  `3: engagement under ${DEFAULT_ENGAGEMENT_BANDS.two}`,
];

/** The qualification rule, as stated on the tab. */
const QUALIFICATION_RULE = `Each lead's qualification (engagement, grade, MQL) is scored ${QUALIFY_AFTER_DAYS} days after it entered (created date, else first event), or the day before it became a customer (first order) or on the as-of date if earlier.`;

/** Counts of the tab's headline. */
interface Counts {
  readonly leads: number;
  readonly mqls: number;
  readonly withEvents: number;
  /** Customers among MQLs and among the other leads; null without customer links. */
  readonly mqlCustomers: number | null;
  readonly otherCustomers: number | null;
}

function countsOf(analysis: LeadsAnalysis): Counts {
  const { grades, customer, engagementResult } = analysis;
  const leads = analysis.ids.length;
  let mqls = 0;
  let withEvents = 0;
  let mqlCustomers = 0;
  let otherCustomers = 0;
  for (let i = 0; i < leads; i++) {
    if (grades.mql[i]) mqls++;
    if ((engagementResult?.eventCounts[i] ?? 0) > 0) withEvents++;
    if (customer?.[i] === true) {
      if (grades.mql[i]) mqlCustomers++;
      else otherCustomers++;
    }
  }
  return { leads, mqls, withEvents, mqlCustomers: customer === null ? null : mqlCustomers, otherCustomers: customer === null ? null : otherCustomers };
}

function scopeSection(analysis: LeadsAnalysis, counts: Counts): Section {
  const result = analysis.engagementResult;
  const asOf = result?.asOf ?? null;
  const when = asOf === null ? "" : ` as of ${dateText(asOf)}`;
  return titleSection(
    "Lead Scoring",
    `${plural(counts.leads, "lead")} scored on fit (profile rules) and engagement (activity points halving every ${DEFAULT_ENGAGEMENT_HALF_LIFE_DAYS} days); MQL when fit ≥ ${DEFAULT_MQL_THRESHOLDS.fit} and engagement ≥ ${DEFAULT_MQL_THRESHOLDS.engagement}, judged ${QUALIFY_AFTER_DAYS} days after a lead entered; the follow-up list is scored${when || " now"}.`,
  );
}

/** The headline items and the figure key of each row. */
function headlineItems(analysis: LeadsAnalysis, counts: Counts, top: number): { items: HeadlineItem[]; keys: (string | null)[] } {
  const items: HeadlineItem[] = [];
  const keys: (string | null)[] = [];
  const row = (index: number): number => top + 1 + index;
  const linked = counts.mqlCustomers !== null ? ` ${plural(counts.mqlCustomers + counts.otherCustomers!, "lead")} became customers.` : "";
  items.push({ label: "Leads", value: counts.leads, format: padded(FORMAT.integer), sentence: `Leads in the lead table, ${formatCount(counts.withEvents)} of them with engagement events.${linked}` });
  keys.push("leads.count");
  items.push({
    label: `MQLs at ${QUALIFY_AFTER_DAYS} days`,
    value: counts.mqls,
    format: padded(FORMAT.integer),
    sentence: `Fit ${DEFAULT_MQL_THRESHOLDS.fit}+ and engagement ${DEFAULT_MQL_THRESHOLDS.engagement}+ ${QUALIFY_AFTER_DAYS} days after entering (or the day before becoming a customer).`,
  });
  keys.push("leads.mqls");
  const share = counts.leads === 0 ? 0 : counts.mqls / counts.leads;
  items.push({
    label: `MQL share at ${QUALIFY_AFTER_DAYS} days`,
    value: { formula: `IF(${a1(row(0), 1)}=0,0,${a1(row(1), 1)}/${a1(row(0), 1)})`, value: share },
    format: padded(FORMAT.percent),
    sentence: counts.mqls === 0 ? "No lead qualified as an MQL: see the grade matrix for the nearest ones." : "Share of all leads that qualified for sales follow-up.",
  });
  keys.push("leads.mqlShare");
  if (counts.mqlCustomers !== null && counts.otherCustomers !== null) {
    const others = counts.leads - counts.mqls;
    const mqlRate = counts.mqls === 0 ? 0 : counts.mqlCustomers / counts.mqls;
    const otherRate = others === 0 ? 0 : counts.otherCustomers / others;
    const times = otherRate > 0 && counts.mqls > 0 ? ` MQLs became customers ${(mqlRate / otherRate).toFixed(1)}× as often as other leads.` : "";
    items.push({
      label: `MQLs at ${QUALIFY_AFTER_DAYS} days → customer`,
      value: mqlRate,
      format: padded(FORMAT.percent),
      sentence: `${formatCount(counts.mqlCustomers)} of ${plural(counts.mqls, "MQL")} became customers.${times}`,
      bad: counts.mqls > 0 && mqlRate <= otherRate ? true : undefined,
    });
    keys.push("leads.mqlConversion");
    items.push({
      label: "Other leads → customer",
      value: otherRate,
      format: padded(FORMAT.percent),
      sentence:
        counts.mqls > 0 && mqlRate <= otherRate
          ? `${formatCount(counts.otherCustomers)} of ${plural(others, "other lead")}: as high as the MQLs', so the scoring does not pick out buyers; revise the rules or points.`
          : `${formatCount(counts.otherCustomers)} of ${plural(others, "other lead")} (not MQLs) became customers.`,
    });
    keys.push("leads.nonMqlConversion");
  }
  const result = analysis.engagementResult;
  items.push({
    label: "Events counted",
    value: result?.eventsCounted ?? 0,
    format: padded(FORMAT.integer),
    sentence:
      result === null || result.asOf === null
        ? "No engagement events: every engagement score is 0."
        : `Engagement events up to ${dateText(result.asOf)}; an event ${DEFAULT_ENGAGEMENT_HALF_LIFE_DAYS} days old counts half.`,
  });
  keys.push(null);
  return { items, keys };
}

function warningsOf(analysis: LeadsAnalysis): string[] {
  const warnings: string[] = [];
  const result = analysis.engagementResult;
  if (result === null) warnings.push("No lead events were found: every engagement score is 0, so no lead can be an MQL.");
  else {
    if (result.eventsAfterAsOf > 0) {
      warnings.push(`${plural(result.eventsAfterAsOf, "event")} dated after the as-of date (${dateText(result.asOf!)}) ${result.eventsAfterAsOf === 1 ? "was" : "were"} left out.`);
    }
    if (result.eventsOfUnknownLeads > 0) {
      warnings.push(`${plural(result.eventsOfUnknownLeads, "event")} of lead ids that are not in the lead table ${result.eventsOfUnknownLeads === 1 ? "was" : "were"} left out.`);
    }
  }
  if (analysis.leadsWithEventsWithoutProfile > 0) {
    warnings.push(`${plural(analysis.leadsWithEventsWithoutProfile, "lead")} with events ${analysis.leadsWithEventsWithoutProfile === 1 ? "has" : "have"} no profile: fit 0, so never an MQL; fill in their company details.`);
  }
  if (analysis.rules.length === 0) {
    warnings.push("No profile column the default rules know (company size in employees, industry, job title, country): every fit score is 0.");
  }
  return warnings;
}

/** The grade matrix: counts of leads per fit band × engagement band, with totals (formulas) and a one-hue colour scale. */
function gradeMatrixSection(analysis: LeadsAnalysis): Section {
  const counts = [0, 0, 0].map(() => [0, 0, 0]);
  analysis.grades.fitBand.forEach((band, i) => {
    counts["ABC".indexOf(band)][analysis.grades.engagementBand[i] - 1]++;
  });
  return (top) => {
    const header = top + 1;
    const first = header + 1;
    const values: Cell[][] = counts.map((row, r) => {
      const total = row.reduce((a, b) => a + b, 0);
      return [FIT_LABELS[r], ...row, { formula: `SUM(${a1(first + r, 1)}:${a1(first + r, 3)})`, value: total }];
    });
    const columnTotals = [0, 1, 2].map((c) => counts.reduce((sum, row) => sum + row[c], 0));
    const all = columnTotals.reduce((a, b) => a + b, 0);
    values.push([
      "All leads",
      ...columnTotals.map((total, c) => ({ formula: `SUM(${a1(first, c + 1)}:${a1(first + 2, c + 1)})`, value: total })),
      { formula: `SUM(${a1(first, 4)}:${a1(first + 2, 4)})`, value: all },
    ]);
    const mqlGrades = LEAD_GRADES.filter((grade) => {
      const fitLow = grade[0] === "A" ? DEFAULT_FIT_BANDS.a : grade[0] === "B" ? DEFAULT_FIT_BANDS.b : 0;
      const engagementLow = grade[1] === "1" ? DEFAULT_ENGAGEMENT_BANDS.one : grade[1] === "2" ? DEFAULT_ENGAGEMENT_BANDS.two : 0;
      return fitLow >= DEFAULT_MQL_THRESHOLDS.fit && engagementLow >= DEFAULT_MQL_THRESHOLDS.engagement;
    });
    const blocks: Block[] = [
      headingBlock(top, `Leads by grade ${QUALIFY_AFTER_DAYS} days after entering: fit band × engagement band`),
      { kind: "cells", row: header, column: 0, values: [["Fit band", ...ENGAGEMENT_LABELS, "All leads"]], style: "header" },
      { kind: "cells", row: first, column: 0, values: values.slice(0, 3), numberFormats: [null, FORMAT.integer, FORMAT.integer, FORMAT.integer, FORMAT.integer], columnStyles: ["label", null, null, null, "total"] },
      { kind: "cells", row: first + 3, column: 0, values: [values[3]], numberFormats: [null, FORMAT.integer, FORMAT.integer, FORMAT.integer, FORMAT.integer], style: "total" },
      {
        kind: "cells",
        row: first + 4,
        column: 0,
        values: [[`Grade = fit band and engagement band (A1 best fit and most engaged). MQLs are grades ${listText(mqlGrades)}; darker cells hold more leads.`]],
        style: "note",
      },
      { kind: "cells", row: first + 5, column: 0, values: [[QUALIFICATION_RULE]], style: "note" },
    ];
    return {
      blocks,
      conditionalFormats: [{ range: { row: first, column: 1, rowCount: 3, columnCount: 3 }, rule: { kind: "colorScale", low: "FFFFFF", high: "5B9BD5" } }],
      rows: 8,
    };
  };
}

/** Conversion to customers by grade, a table and a column chart beside it; nothing without customer links. */
function conversionSection(analysis: LeadsAnalysis): Section {
  const { customer, grades } = analysis;
  if (customer === null) return () => NOTHING;
  const leads = new Map(LEAD_GRADES.map((grade) => [grade, 0]));
  const customers = new Map(LEAD_GRADES.map((grade) => [grade, 0]));
  grades.grade.forEach((grade, i) => {
    leads.set(grade, leads.get(grade)! + 1);
    if (customer[i]) customers.set(grade, customers.get(grade)! + 1);
  });
  return (top) => {
    const tableTop = top + 1;
    const rows: Cell[][] = LEAD_GRADES.map((grade, i) => {
      const r = tableTop + 1 + i;
      const n = leads.get(grade)!;
      const c = customers.get(grade)!;
      return [grade, n, c, { formula: `IF(${a1(r, 1)}=0,0,${a1(r, 2)}/${a1(r, 1)})`, value: n === 0 ? 0 : c / n }];
    });
    const table = { kind: "table" as const, name: "LeadConversionByGrade", row: tableTop, column: 0, headers: ["Grade", "Leads", "Became customers", "Conversion rate"], rows, numberFormats: [null, FORMAT.integer, FORMAT.integer, FORMAT.percent] };
    const chartRows = Math.max(CHART_SIZE.rows, rows.length + 2);
    return {
      blocks: [headingBlock(top, `Leads who became customers, by grade ${QUALIFY_AFTER_DAYS} days after entering`), table],
      charts: [
        {
          type: "column",
          title: "Conversion to customer by grade",
          categories: tableColumn(table, 0),
          series: [{ name: "Conversion rate", values: tableColumn(table, 3) }],
          xAxisTitle: "Grade (fit band, engagement band)",
          yAxisTitle: "Leads who became customers",
          valueFormat: "0%",
          anchor: { row: tableTop, column: 5, rows: chartRows, columns: CHART_SIZE.columns },
        },
      ],
      rows: 1 + chartRows,
    };
  };
}

/** The points table used (input cells); a sentence instead when the events carry their own points. */
function pointsSection(analysis: LeadsAnalysis): Section {
  if (analysis.engagementResult === null) return () => NOTHING;
  const table = analysis.pointsTable;
  if (table === null) {
    return (top) => ({
      blocks: [headingBlock(top, "Points per event"), { kind: "cells", row: top + 1, column: 0, values: [["Points come from the points column of the lead events table."]], style: "note" }],
      rows: 2,
    });
  }
  return (top) => ({
    blocks: [
      headingBlock(top, "Points per event (inputs)"),
      {
        kind: "cells",
        row: top + 1,
        column: 0,
        values: [[`Points of each event type, matched ignoring case; an event type not listed earns ${OTHER_EVENT_POINTS}. Yellow cells are inputs: the scores above are a snapshot, so rebuild the tab after changing them.`]],
        style: "note",
      },
      { kind: "cells", row: top + 2, column: 0, values: [["Event", "Points", "Events in the data"]], style: "header" },
      { kind: "cells", row: top + 3, column: 0, values: table.map((row) => [row.event, row.points, row.events]), numberFormats: [null, FORMAT.integer, FORMAT.integer], columnStyles: ["input", "input", "body"] },
    ],
    rows: 3 + table.length,
  });
}

/** The fit rules used (input cells), with how many leads each matched. */
function rulesSection(analysis: LeadsAnalysis): Section {
  if (analysis.rules.length === 0) return () => NOTHING;
  return (top) => ({
    blocks: [
      headingBlock(top, "Fit rules (inputs)"),
      {
        kind: "cells",
        row: top + 1,
        column: 0,
        values: [[`A lead's fit is the points of the rules it meets, summed, from 0 to ${DEFAULT_FIT_CAP}. Conditions: a value, <> value, > n, between a and b, in (a, b), contains text, *.`]],
        style: "note",
      },
      {
        kind: "cells",
        row: top + 2,
        column: 0,
        values: [
          [
            analysis.customer !== null
              ? "Default rules from the data: job titles and employee bands (cut at the quartiles) whose leads became customers more often than all leads (5 leads or more) get points by how much more; the best-converting industries and countries get fixed points."
              : "Default rules without customer links: seniority words in job titles, larger employee bands (cut at the quartiles) and the most common industries and countries.",
          ],
        ],
        style: "note",
      },
      { kind: "cells", row: top + 3, column: 0, values: [["Attribute", "Condition", "Points", "Leads matched"]], style: "header" },
      {
        kind: "cells",
        row: top + 4,
        column: 0,
        values: analysis.rules.map((rule, i) => [rule.attribute, rule.conditionText, rule.points, analysis.ruleMatches[i]]),
        numberFormats: [null, null, FORMAT.integer, FORMAT.integer],
        columnStyles: ["input", "input", "input", "body"],
      },
    ],
    rows: 4 + analysis.rules.length,
  });
}

/** The leads to follow up now: MQLs as of the as-of date that are not customers yet, combined score descending. */
function followUpSection(analysis: LeadsAnalysis): Section {
  const order: number[] = [];
  for (let i = 0; i < analysis.ids.length; i++) if (analysis.gradesNow.mql[i] && analysis.customer?.[i] !== true) order.push(i);
  const asOf = analysis.engagementResult?.asOf ?? null;
  const when = asOf === null ? "now" : `as of ${dateText(asOf)}`;
  return (top) => {
    if (order.length === 0) {
      const heading = `Sales follow-up now: MQLs ${when} that are not customers yet`;
      const note = `No lead is an MQL ${when} without being a customer already: no lead has both fit ${DEFAULT_MQL_THRESHOLDS.fit}+ and engagement ${DEFAULT_MQL_THRESHOLDS.engagement}+ from recent events.`;
      return { blocks: [headingBlock(top, heading), { kind: "cells", row: top + 1, column: 0, values: [[note]], style: "note" }], rows: 2 };
    }
    const attributeColumns = [...new Set(analysis.rules.map((rule) => rule.column))];
    const taken = new Set<string>();
    const headers = ["Lead ID", "Combined score", "Fit", "Engagement", "Grade"].map((h) => uniqueHeader(h, taken));
    headers.push(...attributeColumns.map((c) => uniqueHeader(analysis.profile[c].header, taken)));
    const combined = (i: number): number => (analysis.fit[i] + analysis.engagementNow[i]) / 2;
    order.sort((a, b) => combined(b) - combined(a) || String(analysis.ids[a]).localeCompare(String(analysis.ids[b])));
    // A column the rules compare as numbers (employees) shows numbers typed as text as numbers.
    const numeric = attributeColumns.map((c) => analysis.rules.some((rule) => rule.column === c && (rule.condition.kind === "compare" || rule.condition.kind === "between")));
    const rows: Cell[][] = order.map((i) => {
      const profile = attributeColumns.map((c, k): Cell => {
        const value = analysis.profile[c].values[i];
        if (numeric[k] && typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
        return typeof value === "number" || typeof value === "string" || typeof value === "boolean" ? value : null;
      });
      // Ids as text, so ids typed as numbers and as text line up alike.
      return [String(analysis.ids[i]), combined(i), analysis.fit[i], analysis.engagementNow[i], analysis.gradesNow.grade[i], ...profile];
    });
    // Padded on the right, so a number does not touch the text of the next column.
    const formats = headers.map((_, c): string | null => (c >= 1 && c <= 3 ? padded(SCORE_FORMAT) : null));
    // A numeric profile column (employees) gets a count format.
    attributeColumns.forEach((c, k) => {
      if (rows.some((row) => typeof row[5 + k] === "number")) formats[5 + k] = padded(FORMAT.integer);
    });
    return {
      blocks: [
        headingBlock(top, `Sales follow-up now: ${plural(order.length, "MQL")} ${when} not yet customers, by combined score (average of fit and engagement)`),
        { kind: "table", name: "LeadMqls", row: top + 1, column: 0, headers, rows, numberFormats: formats },
      ],
      rows: 2 + rows.length,
    };
  };
}

/** Column widths from the cells that sit in columns (tables, matrices, inputs), not the sentences that overflow. */
function columnWidths(blocks: readonly Block[], labels: readonly string[]): number[] {
  const widths: number[] = [Math.min(40, Math.max(24, ...labels.map((label) => label.length + 2)))];
  const widen = (column: number, length: number): void => {
    while (widths.length <= column) widths.push(10);
    widths[column] = Math.min(40, Math.max(widths[column], length));
  };
  for (const block of blocks) {
    if (block.kind === "table") {
      block.headers.forEach((header, c) => widen(block.column + c, Math.ceil(header.length * 1.1) + 3));
      block.rows.forEach((row) => row.forEach((cell, c) => widen(block.column + c, textLength(cell) + 2)));
      continue;
    }
    if (block.style === "header") {
      block.values.forEach((row) => row.forEach((cell, c) => widen(block.column + c, Math.min(22, Math.ceil(textLength(cell) * 1.1) + 2))));
    } else if (block.columnStyles !== undefined && block.columnStyles.some((style) => style === "input")) {
      block.values.forEach((row) => row.forEach((cell, c) => widen(block.column + c, textLength(cell) + 2)));
    }
  }
  return widths;
}

function textLength(cell: Cell): number {
  const value = cell !== null && typeof cell === "object" ? cell.value : cell;
  if (typeof value === "number") return Number.isInteger(value) ? formatCount(value).length : 6;
  return value === null ? 0 : String(value).length;
}

/**
 * Builds the Leads tab from the lead table and the lead events.
 *
 * @param data the business's tables: `leads` (required) and `leadEvents` (optional: without them every
 *   engagement is 0, said in red).
 * @param options `asOf`: the scoring date (serial), or null for the latest event date.
 * @param context generation time and notes.
 * @returns the sheet and its figures (`leads.count`, `leads.mqls`, `leads.mqlShare`, and
 *   `leads.mqlConversion`, `leads.nonMqlConversion` when leads link to customer ids).
 * @throws EngineError INSUFFICIENT_DATA without a lead table or without a lead id in it;
 *   INVALID_INPUT for a bad event date or points cell (column and row named).
 */
export const buildLeadsTab: TabBuilder = (data, options, context: ReportContext) => {
  const leads = data.leads ?? null;
  if (leads === null || leads.leadIds.length === 0) {
    throw new EngineError("INSUFFICIENT_DATA", "no lead table was found; the Leads tab needs a table of leads with a lead id column");
  }
  const events = data.leadEvents ?? null;
  const analysis = analyseLeads(leads, events, options.asOf, data.orders ?? null);
  const counts = countsOf(analysis);
  const tab = new TabLayout();
  tab.add(scopeSection(analysis, counts));
  const headlineTop = tab.top;
  const { items, keys } = headlineItems(analysis, counts, headlineTop);
  tab.add(headlineSection(items));
  tab.add(warningsSection(warningsOf(analysis)));
  tab.add(gradeMatrixSection(analysis));
  tab.add(conversionSection(analysis));
  tab.add(pointsSection(analysis));
  tab.add(rulesSection(analysis));
  tab.add(followUpSection(analysis));

  const result = analysis.engagementResult;
  const notes: string[] = [];
  if (analysis.blankLeadRows > 0) notes.push(`${plural(analysis.blankLeadRows, "row")} of the lead table without a lead id left out.`);
  if (result !== null && result.blankEventRows > 0) notes.push(`${plural(result.blankEventRows, "blank event row")} skipped.`);
  if (analysis.customer !== null) notes.push("A lead counts as a customer when its customer id cell is filled.");
  {
    const { entry, customer, asOf } = analysis.qualifiedBy;
    const { created, firstEvent, unknown } = analysis.enteredFrom;
    notes.push(
      `Entry dates: ${formatCount(created)} from the created column, ${formatCount(firstEvent)} from the first event, ${formatCount(unknown)} unknown (scored at the as-of date). Qualification scored at entry + ${QUALIFY_AFTER_DAYS} days for ${formatCount(entry)}, the day before the first order for ${formatCount(customer)}, the as-of date for ${formatCount(asOf)}.`,
    );
    if (analysis.customer !== null && analysis.conversionDatesKnown === null) notes.push("No orders: when a lead became a customer is unknown, so only entry + 30 days and the as-of date bound its qualification date.");
  }
  if (analysis.unusedColumns.length > 0) notes.push(`Profile columns without a default rule: ${listText(analysis.unusedColumns)} (add rules for them on a sheet with the fit-score function).`);
  if (result !== null && result.cappedLeads > 0) notes.push(`${plural(result.cappedLeads, "lead")} reached the engagement cap of ${DEFAULT_ENGAGEMENT_CAP}.`);
  const sheet = tab.sheet({
    name: "Lead Scoring",
    columnWidths: [],
    freeze: { rows: 2, columns: 0 },
    provenance: {
      sources: [leads.source, ...(events !== null ? [events.source] : [])],
      options: [
        { label: "As of", value: result?.asOf != null ? `${dateText(result.asOf)}${options.asOf === null ? " (the latest event)" : ""}` : "no events" },
        { label: "Engagement", value: `points × 0.5^(age in days ÷ ${DEFAULT_ENGAGEMENT_HALF_LIFE_DAYS}), summed per lead, from 0 to ${DEFAULT_ENGAGEMENT_CAP}` },
        { label: "Points per event", value: analysis.pointsTable === null ? "the events' points column" : "by event type, from the points table above" },
        { label: "Fit", value: `points of the rules table above, summed per lead, from 0 to ${DEFAULT_FIT_CAP}` },
        { label: "Bands", value: `fit A ≥ ${DEFAULT_FIT_BANDS.a}, B ≥ ${DEFAULT_FIT_BANDS.b}, else C; engagement 1 ≥ ${DEFAULT_ENGAGEMENT_BANDS.one}, 2 ≥ ${DEFAULT_ENGAGEMENT_BANDS.two}, else 3` },
        { label: "MQL", value: `fit ≥ ${DEFAULT_MQL_THRESHOLDS.fit} and engagement ≥ ${DEFAULT_MQL_THRESHOLDS.engagement}` },
        { label: "Qualification", value: QUALIFICATION_RULE },
      ],
      generatedAt: context.generatedAt,
      notes: [...notes, ...(leads.readingNotes ?? []), ...(events?.readingNotes ?? []), ...(context.notes ?? [])],
    },
  });
  const figures: Figure[] = [];
  items.forEach((item, i) => {
    const key = keys[i];
    if (key === null) return;
    const shown = item.value !== null && typeof item.value === "object" ? item.value.value : item.value;
    const value = typeof shown === "boolean" ? String(shown) : shown;
    figures.push({ key, label: item.label, row: headlineTop + 1 + i, column: 1, value, format: item.format });
  });
  const labels = [...items.map((item) => item.label), ...FIT_LABELS, "Where these numbers come from"];
  return { sheet: { ...sheet, columnWidths: columnWidths(sheet.blocks, labels) }, figures };
};
