/**
 * The numbers of the Leads tab, before any layout: points per event (from the events' points column,
 * or by event type from a stated points table), the default fit rules built from the profile columns
 * the data has, and the engine's engagement, fit, grades and MQL flags for every lead, with the
 * conversion to customers when leads link to customer ids. Engagement and grades are taken at each
 * lead's qualification date (entered + 30 days, or earlier: see {@link analyseLeads}) and, separately,
 * as of the as-of date.
 *
 * Everything goes through the engine functions behind IMC.ENGAGEMENT, IMC.FITSCORE and IMC.LEADSCORE
 * (src/engine/leads), so the tab's scores are the functions' scores on the same data.
 */

import { isBlankCell, toDateSerial, toText } from "../../engine/data";
import { EngineError } from "../../engine/errors";
import {
  DEFAULT_ENGAGEMENT_BANDS,
  DEFAULT_ENGAGEMENT_CAP,
  DEFAULT_ENGAGEMENT_HALF_LIFE_DAYS,
  DEFAULT_FIT_BANDS,
  DEFAULT_FIT_CAP,
  DEFAULT_MQL_THRESHOLDS,
  engagementAtDates,
  engagementScores,
  fitScores,
  gradeLeads,
  parseFitRules,
  type EngagementResult,
  type FitRule,
  type LeadGrades,
  type ProfileColumn,
} from "../../engine/leads";
import type { LeadEventsInput, LeadsInput, OrdersInput } from "../inputs";

/** Default points of an event by its type (matched ignoring case); any other type earns {@link OTHER_EVENT_POINTS}. */
export const DEFAULT_EVENT_POINTS: readonly { readonly event: string; readonly points: number }[] = [
  { event: "Demo request", points: 30 },
  { event: "Pricing page", points: 15 },
  { event: "Webinar", points: 10 },
  { event: "Email click", points: 5 },
  { event: "Web visit", points: 2 },
];
/** Points of an event type not in the points table. */
export const OTHER_EVENT_POINTS = 1;
/** Label of the points table's last row. */
export const OTHER_EVENT_LABEL = "Any other event";

/** One row of the points table: an event type, its points and how many events had it. */
export interface PointsRow {
  readonly event: string;
  readonly points: number;
  readonly events: number;
}

/** A rule of the default rules table, as written on the tab, with why it is there. */
export interface RuleRow {
  readonly attribute: string;
  readonly condition: string;
  readonly points: number;
}

/** Everything the Leads tab shows. */
export interface LeadsAnalysis {
  /** Row indices (0-based, into the leads input) of the leads scored: rows with a lead id. */
  readonly rows: readonly number[];
  /** Lead id of each scored lead, as written. */
  readonly ids: readonly (string | number)[];
  readonly fit: Float64Array;
  /** Engagement at each lead's qualification date ({@link QUALIFY_AFTER_DAYS} after it entered, see {@link LeadsAnalysis.qualifiedAt}). */
  readonly engagement: Float64Array;
  /** Grades and MQL flags at each lead's qualification date: the grade matrix, MQL share and conversion by grade. */
  readonly grades: LeadGrades;
  /** Each lead's qualification date (serial): min(entered + 30 days, the day before it became a customer when known, the as-of date). */
  readonly qualifiedAt: Float64Array;
  /** How the qualification dates were bounded: by entry + 30 days, by the day before the first order, by the as-of date. */
  readonly qualifiedBy: { readonly entry: number; readonly customer: number; readonly asOf: number };
  /** Where the entry dates came from: the created column, the first event, or neither (scored at the as-of date). */
  readonly enteredFrom: { readonly created: number; readonly firstEvent: number; readonly unknown: number };
  /** Linked customers whose first order date was found (their conversion date); null without orders or links. */
  readonly conversionDatesKnown: number | null;
  /** Engagement and grades as of the analysis date (the "Sales follow-up now" list). */
  readonly engagementNow: Float64Array;
  readonly gradesNow: LeadGrades;
  /** Whether each lead became a customer; null when the leads do not link to customers. */
  readonly customer: readonly boolean[] | null;
  /** The profile columns (those of the lead rows scored). */
  readonly profile: readonly ProfileColumn[];
  /** The rules table written on the tab (header first) and the rules read from it. */
  readonly rulesTable: readonly (readonly (string | number)[])[];
  readonly rules: readonly FitRule[];
  /** Leads each rule matched, in the rules' order. */
  readonly ruleMatches: Int32Array;
  /** Points by event type; null when the events carry their own points. */
  readonly pointsTable: readonly PointsRow[] | null;
  readonly engagementResult: EngagementResult | null;
  /** Events given (rows of the events input). */
  readonly eventRows: number;
  /** Lead-table rows without a lead id, left out. */
  readonly blankLeadRows: number;
  /** Leads (scored) whose profile cells are all blank. */
  readonly leadsWithoutProfile: number;
  /** Of those, the ones with events. */
  readonly leadsWithEventsWithoutProfile: number;
  /** Profile columns the default rules could not use (by header). */
  readonly unusedColumns: readonly string[];
}

/** Days after a lead entered at which its qualification (engagement, grade, MQL) is scored. */
export const QUALIFY_AFTER_DAYS = 30;

/** Names of the events' columns in messages (plain words, as the user's table calls them). */
const EVENT_NAMES = {
  leadIds: "lead id",
  eventLeadIds: "lead event id",
  eventDates: "lead event date",
  eventPoints: "lead event points",
  asOf: "as-of date",
  halfLifeDays: "half-life",
  cap: "engagement cap",
};

const SIZE_HEADER = /employ|company size|headcount|staff/i;
const INDUSTRY_HEADER = /industry|sector|vertical/i;
const TITLE_HEADER = /title|role|position/i;
const COUNTRY_HEADER = /country/i;

/** Job-title words and their points (a title may hold several: their points add up, capped with the rest). */
export const TITLE_RULES: readonly { readonly word: string; readonly points: number }[] = [
  { word: "Chief", points: 30 },
  { word: "VP", points: 25 },
  { word: "Director", points: 20 },
  { word: "Head", points: 20 },
  { word: "Manager", points: 10 },
];
/** Company-size conditions on a numeric employee count. */
export const SIZE_RULES: readonly { readonly condition: string; readonly points: number }[] = [
  { condition: ">= 1000", points: 25 },
  { condition: "between 200 and 999", points: 20 },
  { condition: "between 50 and 199", points: 10 },
];
export const INDUSTRY_POINTS = 25;
export const COUNTRY_POINTS = 10;
/** Categories a rule names at most (industries, countries). */
const TOP_CATEGORIES = 3;

function textOf(value: unknown): string | null {
  if (isBlankCell(value)) return null;
  try {
    return toText(value, "", 0);
  } catch {
    return null;
  }
}

/** True when most non-blank cells of a column are numbers (numeric text included). */
function isNumericColumn(values: readonly unknown[]): boolean {
  let numbers = 0;
  let filled = 0;
  for (const value of values) {
    if (isBlankCell(value)) continue;
    filled++;
    if ((typeof value === "number" && Number.isFinite(value)) || (typeof value === "string" && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(value))) numbers++;
  }
  return filled > 0 && numbers >= 0.8 * filled;
}

/** Leads a category or band needs before a data-driven rule gives it points. */
const MIN_LEADS = 5;
/** Highest points of a data-driven job-title rule and of a company-size band. */
export const TITLE_POINTS = 30;
export const SIZE_POINTS = 25;
/** Points of the size bands (quartiles, smallest first) when leads do not link to customers. */
const SIZE_POINTS_BY_QUARTILE = [0, 10, 20, 25];

/** Points scaled to the best rate: max × (rate − overall) ÷ (best − overall), rounded to 5, at least 5. */
function liftPoints(rate: number, overall: number, best: number, max: number): number {
  if (!(best > overall)) return max;
  return Math.max(5, Math.round(((max * (rate - overall)) / (best - overall)) / 5) * 5);
}

/** Leads and customers per category (case-insensitive, first spelling kept). */
function categoryCounts(values: readonly unknown[], customer: readonly boolean[] | null): { label: string; leads: number; customers: number }[] {
  const counts = new Map<string, { label: string; leads: number; customers: number }>();
  values.forEach((value, i) => {
    const label = textOf(value);
    if (label === null) return;
    const key = label.toLowerCase();
    let entry = counts.get(key);
    if (entry === undefined) counts.set(key, (entry = { label, leads: 0, customers: 0 }));
    entry.leads++;
    if (customer?.[i] === true) entry.customers++;
  });
  return [...counts.values()];
}

/**
 * The categories a rule names: with customer links, those whose leads became customers more often
 * than all leads (at least 5 leads and 2% of them), best first; without, the most common ones.
 */
function topCategories(values: readonly unknown[], customer: readonly boolean[] | null): string[] {
  const entries = categoryCounts(values, customer);
  if (customer === null) {
    return entries
      .sort((a, b) => b.leads - a.leads || a.label.localeCompare(b.label))
      .slice(0, TOP_CATEGORIES)
      .map((e) => e.label);
  }
  const total = customer.length;
  const overall = customer.filter(Boolean).length / Math.max(1, total);
  const minimum = Math.max(MIN_LEADS, Math.ceil(0.02 * total));
  return entries
    .filter((e) => e.leads >= minimum && e.customers / e.leads > overall)
    .sort((a, b) => b.customers / b.leads - a.customers / a.leads || b.leads - a.leads)
    .slice(0, TOP_CATEGORIES)
    .map((e) => e.label);
}

/** True when a value written alone in a condition cell reads back as "equals this value". */
function plainValue(label: string): boolean {
  return !/[;]/.test(label) && !/^\s*([<>=*]|in\s*\(|between\b|contains\b)/i.test(label);
}

/**
 * Job-title rules from the data: each title whose leads became customers more often than all leads
 * (at least 5 leads) gets points scaled to its conversion, the best title {@link TITLE_POINTS}.
 */
function titleRules(values: readonly unknown[], customer: readonly boolean[]): { condition: string; points: number }[] {
  const overall = customer.filter(Boolean).length / Math.max(1, customer.length);
  const above = categoryCounts(values, customer)
    .filter((e) => e.leads >= MIN_LEADS && e.customers / e.leads > overall && plainValue(e.label))
    .sort((a, b) => b.customers / b.leads - a.customers / a.leads || b.leads - a.leads);
  if (above.length === 0) return [];
  const best = above[0].customers / above[0].leads;
  return above.map((e) => ({ condition: e.label, points: liftPoints(e.customers / e.leads, overall, best, TITLE_POINTS) }));
}

/** A cell's number (numbers typed as text count), or null. */
function numberCell(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

/**
 * Company-size rules from the data: the employee counts cut at their quartiles (whole numbers) into
 * up to four bands; with customer links a band that converts better than all leads (at least 5 leads)
 * gets points scaled to its conversion (the best {@link SIZE_POINTS}), without links the larger bands
 * get 10, 20 and 25. Null when the counts are not whole numbers or do not spread into two bands.
 */
function sizeRules(values: readonly unknown[], customer: readonly boolean[] | null): { condition: string; points: number }[] | null {
  const numbers: { value: number; index: number }[] = [];
  values.forEach((value, index) => {
    const number = numberCell(value);
    if (number !== null) numbers.push({ value: number, index });
  });
  if (numbers.length < 2 * MIN_LEADS || numbers.some((n) => !Number.isInteger(n.value))) return null;
  const sorted = numbers.map((n) => n.value).sort((a, b) => a - b);
  const cuts: number[] = [];
  for (const q of [0.25, 0.5, 0.75]) {
    const cut = sorted[Math.floor(q * sorted.length)];
    if (cut > sorted[0] && (cuts.length === 0 || cut > cuts[cuts.length - 1])) cuts.push(cut);
  }
  if (cuts.length === 0) return null;
  const bands = [...cuts.map((cut, k) => ({ low: k === 0 ? null : cuts[k - 1], high: cut - 1 })), { low: cuts[cuts.length - 1], high: null }];
  const conditionOf = (band: { low: number | null; high: number | null }): string =>
    band.low === null ? `< ${band.high! + 1}` : band.high === null ? `>= ${band.low}` : band.low === band.high ? `= ${band.low}` : `between ${band.low} and ${band.high}`;
  const bandOf = (value: number): number => {
    let k = 0;
    while (k < cuts.length && value >= cuts[k]) k++;
    return k;
  };
  if (customer === null) {
    const points = SIZE_POINTS_BY_QUARTILE.slice(SIZE_POINTS_BY_QUARTILE.length - bands.length);
    return bands.map((band, k) => ({ condition: conditionOf(band), points: points[k] })).filter((rule) => rule.points > 0).reverse();
  }
  const leads = bands.map(() => 0);
  const customers = bands.map(() => 0);
  for (const { value, index } of numbers) {
    const k = bandOf(value);
    leads[k]++;
    if (customer[index]) customers[k]++;
  }
  const overall = customer.filter(Boolean).length / Math.max(1, customer.length);
  const rate = (k: number): number => (leads[k] === 0 ? 0 : customers[k] / leads[k]);
  const good = bands.map((_, k) => k).filter((k) => leads[k] >= MIN_LEADS && rate(k) > overall);
  if (good.length === 0) return [];
  const best = Math.max(...good.map(rate));
  return good.map((k) => ({ condition: conditionOf(bands[k]), points: liftPoints(rate(k), overall, best, SIZE_POINTS) })).sort((a, b) => b.points - a.points);
}

/** A list condition that reads back as written: "in (Software, Retail)"; names with a comma or bracket are left out. */
function listCondition(labels: readonly string[]): string | null {
  const usable = labels.filter((label) => !/[,;()]/.test(label));
  return usable.length === 0 ? null : `in (${usable.join(", ")})`;
}

/**
 * The default rules for the profile columns the data has: company size (bands at the employee
 * counts' quartiles, with points by their conversion when leads link to customers), industry and
 * country (the categories that convert best when leads link to customers, else the most common),
 * job title (the titles that convert better than average, points by their conversion, when leads
 * link to customers; else seniority words).
 *
 * @returns the rules (attribute as the data's header) and the headers no rule uses.
 */
export function defaultRules(profile: readonly ProfileColumn[], customer: readonly boolean[] | null): { rules: RuleRow[]; unused: string[] } {
  const rules: RuleRow[] = [];
  const used = new Set<number>();
  const find = (pattern: RegExp): number => profile.findIndex((column, index) => !used.has(index) && pattern.test(column.header));
  const size = find(SIZE_HEADER);
  if (size >= 0 && isNumericColumn(profile[size].values)) {
    used.add(size);
    const banded = sizeRules(profile[size].values, customer) ?? SIZE_RULES;
    for (const rule of banded) rules.push({ attribute: profile[size].header, condition: rule.condition, points: rule.points });
  }
  const industry = find(INDUSTRY_HEADER);
  if (industry >= 0) {
    const condition = listCondition(topCategories(profile[industry].values, customer));
    if (condition !== null) {
      used.add(industry);
      rules.push({ attribute: profile[industry].header, condition, points: INDUSTRY_POINTS });
    }
  }
  const title = find(TITLE_HEADER);
  if (title >= 0) {
    used.add(title);
    if (customer !== null) {
      for (const rule of titleRules(profile[title].values, customer)) rules.push({ attribute: profile[title].header, condition: rule.condition, points: rule.points });
    } else {
      for (const rule of TITLE_RULES) rules.push({ attribute: profile[title].header, condition: `contains ${rule.word}`, points: rule.points });
    }
  }
  const country = find(COUNTRY_HEADER);
  if (country >= 0) {
    const condition = listCondition(topCategories(profile[country].values, customer));
    if (condition !== null) {
      used.add(country);
      rules.push({ attribute: profile[country].header, condition, points: COUNTRY_POINTS });
    }
  }
  return { rules, unused: profile.filter((column, index) => !used.has(index) && column.header.trim() !== "").map((column) => column.header) };
}

/** Points per event by type from the points table (types matched ignoring case and spaces), with counts per row. */
function pointsByType(events: readonly unknown[]): { points: Float64Array; table: PointsRow[] } {
  const key = (text: string): string => text.trim().replace(/\s+/g, " ").toLowerCase();
  const rows = DEFAULT_EVENT_POINTS.map((row) => ({ ...row, events: 0 }));
  const indexOf = new Map(rows.map((row, i) => [key(row.event), i]));
  // Types in the data not in the table get their own row (1 point), so the user sees and can change them.
  const others = new Map<string, { event: string; points: number; events: number }>();
  let unnamed = 0;
  const points = new Float64Array(events.length);
  // An event log repeats a handful of type texts: each raw text is matched once.
  const seen = new Map<string, { points: number; row: { events: number } | null }>();
  for (let i = 0; i < events.length; i++) {
    const cell = events[i];
    const known = typeof cell === "string" ? seen.get(cell) : undefined;
    if (known !== undefined) {
      points[i] = known.points;
      if (known.row === null) unnamed++;
      else known.row.events++;
      continue;
    }
    const text = textOf(cell);
    if (text === null) {
      points[i] = OTHER_EVENT_POINTS;
      unnamed++;
      if (typeof cell === "string") seen.set(cell, { points: OTHER_EVENT_POINTS, row: null });
      continue;
    }
    const index = indexOf.get(key(text));
    let row: { points: number; events: number };
    if (index !== undefined) row = rows[index];
    else {
      let other = others.get(key(text));
      if (other === undefined) others.set(key(text), (other = { event: text, points: OTHER_EVENT_POINTS, events: 0 }));
      row = other;
    }
    points[i] = row.points;
    row.events++;
    if (typeof cell === "string") seen.set(cell, { points: row.points, row });
  }
  const listed = [...others.values()].sort((a, b) => b.events - a.events).slice(0, 20);
  const rest = [...others.values()].reduce((n, o) => n + o.events, 0) - listed.reduce((n, o) => n + o.events, 0) + unnamed;
  return { points, table: [...rows, ...listed, { event: OTHER_EVENT_LABEL, points: OTHER_EVENT_POINTS, events: rest }] };
}

/** First order date of each customer id in `wanted` (ids as text); bad or blank date cells are skipped. */
function firstOrderDates(orders: OrdersInput, wanted: ReadonlySet<string>): Map<string, number> {
  const first = new Map<string, number>();
  for (let r = 0; r < orders.customerIds.length; r++) {
    const id = textOf(orders.customerIds[r]);
    if (id === null || !wanted.has(id.trim())) continue;
    const cell = orders.orderDates[r];
    let date: number;
    if (typeof cell === "number") date = cell;
    else {
      try {
        date = toDateSerial(cell, "order date", r + 1);
      } catch {
        continue;
      }
    }
    const key = id.trim();
    const known = first.get(key);
    if (known === undefined || date < known) first.set(key, date);
  }
  return first;
}

/**
 * Scores every lead of the leads input: fit from the default rules; engagement, grade and MQL flag
 * at the lead's qualification date (min of entered + {@link QUALIFY_AFTER_DAYS} days, the day before
 * its customer's first order when known, the as-of date) and, separately, as of the as-of date.
 *
 * @param leads the lead table (ids, optional customer ids and created dates, profile columns).
 * @param events the lead events, or null (every engagement is then 0).
 * @param asOf the scoring date (serial) or null for the latest event date.
 * @param orders the orders, or null: the first order of a lead's customer id is when it became a customer.
 * @throws EngineError INSUFFICIENT_DATA when no row has a lead id; INVALID_INPUT for a bad event date,
 *   points or created cell (column and row named).
 */
export function analyseLeads(leads: LeadsInput, events: LeadEventsInput | null, asOf: number | null, orders: OrdersInput | null = null): LeadsAnalysis {
  const rows: number[] = [];
  const ids: (string | number)[] = [];
  leads.leadIds.forEach((cell, i) => {
    if (isBlankCell(cell)) return;
    rows.push(i);
    ids.push(typeof cell === "number" ? cell : toText(cell, "Lead ID", i + 1));
  });
  if (rows.length === 0) throw new EngineError("INSUFFICIENT_DATA", "the lead table has no lead ids; the Leads tab needs at least one lead");
  const blankLeadRows = leads.leadIds.length - rows.length;
  const customer = leads.customerIds === undefined ? null : rows.map((i) => !isBlankCell(leads.customerIds![i]));
  const profile: ProfileColumn[] = leads.columns.map((column) => ({ header: column.header, values: rows.map((i) => column.values[i]) }));

  const built = defaultRules(profile, customer);
  const rulesTable: (string | number)[][] = [["Attribute", "Condition", "Points"], ...built.rules.map((rule) => [rule.attribute, rule.condition, rule.points])];
  const parsed = built.rules.length === 0 ? { rules: [] } : parseFitRules(rulesTable, profile.map((column) => column.header), "rules");
  const fitResult = fitScores(profile, parsed.rules, DEFAULT_FIT_CAP);

  let engagementResult: EngagementResult | null = null;
  let pointsTable: PointsRow[] | null = null;
  let engagementNow: Float64Array = new Float64Array(rows.length);
  let points: readonly unknown[] | Float64Array | null = null;
  if (events !== null && events.leadIds.length > 0) {
    if (events.points !== undefined) points = events.points;
    else {
      const typed = pointsByType(events.events ?? events.leadIds.map(() => null));
      points = typed.points;
      pointsTable = typed.table;
    }
    engagementResult = engagementScores(
      { leadIds: ids, eventLeadIds: events.leadIds, eventDates: events.dates, eventPoints: points },
      { asOf, halfLifeDays: DEFAULT_ENGAGEMENT_HALF_LIFE_DAYS, cap: DEFAULT_ENGAGEMENT_CAP, names: EVENT_NAMES },
    );
    engagementNow = engagementResult.scores;
  }
  const gradeOptions = { fitBands: DEFAULT_FIT_BANDS, engagementBands: DEFAULT_ENGAGEMENT_BANDS, mql: DEFAULT_MQL_THRESHOLDS };
  const gradesNow = gradeLeads(fitResult.scores, engagementNow, gradeOptions);

  // Qualification dates: entered (created column, else first event) + 30 days, the day before the
  // customer's first order, the as-of date, whichever comes first.
  const analysisDate = engagementResult?.asOf ?? asOf ?? Number.NaN;
  const qualifiedAt = new Float64Array(rows.length).fill(analysisDate);
  let engagement: Float64Array = new Float64Array(rows.length);
  let firstEvents: Float64Array | null = null;
  const needFirstEvents = rows.some((row) => leads.createdDates === undefined || isBlankCell(leads.createdDates[row]));
  if (events !== null && points !== null && engagementResult !== null && needFirstEvents) {
    // First pass for the first event dates (scores unused), then the scores at the qualification dates.
    firstEvents = engagementAtDates(ids, { leadIds: events.leadIds, dates: events.dates, points }, new Float64Array(rows.length).fill(Number.NaN), DEFAULT_ENGAGEMENT_HALF_LIFE_DAYS, DEFAULT_ENGAGEMENT_CAP, EVENT_NAMES).firstEventDates;
  }
  const enteredFrom = { created: 0, firstEvent: 0, unknown: 0 };
  const qualifiedBy = { entry: 0, customer: 0, asOf: 0 };
  let conversion: Map<string, number> | null = null;
  // Orders summarised out of core come with the rows of the customers the lead table names.
  const summarised = orders?.summarised;
  if (orders !== null && (summarised !== undefined || orders.customerIds.length > 0) && leads.customerIds !== undefined) {
    const wanted = new Set<string>();
    for (const i of rows) {
      const id = textOf(leads.customerIds[i]);
      if (id !== null) wanted.add(id.trim());
    }
    conversion = firstOrderDates(summarised === undefined ? orders : summarised.ordersOfNamedCustomers, wanted);
  }
  let conversionDatesKnown = 0;
  rows.forEach((row, i) => {
    const createdCell = leads.createdDates?.[row];
    let entered = Number.NaN;
    if (createdCell !== undefined && !isBlankCell(createdCell)) {
      entered = typeof createdCell === "number" ? createdCell : toDateSerial(createdCell, "lead created date", row + 1);
      enteredFrom.created++;
    } else if (firstEvents !== null && Number.isFinite(firstEvents[i])) {
      entered = firstEvents[i];
      enteredFrom.firstEvent++;
    } else enteredFrom.unknown++;
    let date = analysisDate;
    let by: keyof typeof qualifiedBy = "asOf";
    if (Number.isFinite(entered) && !(entered + QUALIFY_AFTER_DAYS >= date)) {
      date = entered + QUALIFY_AFTER_DAYS;
      by = "entry";
    }
    const customerId = conversion === null ? null : textOf(leads.customerIds![row]);
    const converted = customerId === null ? undefined : conversion!.get(customerId.trim());
    if (converted !== undefined) {
      conversionDatesKnown++;
      if (!(converted - 1 >= date)) {
        date = converted - 1;
        by = "customer";
      }
    }
    qualifiedAt[i] = date;
    qualifiedBy[by]++;
  });
  if (events !== null && points !== null && engagementResult !== null) {
    engagement = engagementAtDates(ids, { leadIds: events.leadIds, dates: events.dates, points }, qualifiedAt, DEFAULT_ENGAGEMENT_HALF_LIFE_DAYS, DEFAULT_ENGAGEMENT_CAP, EVENT_NAMES).scores;
  }
  const grades = gradeLeads(fitResult.scores, engagement, gradeOptions);

  let leadsWithoutProfile = 0;
  let leadsWithEventsWithoutProfile = 0;
  for (let i = 0; i < rows.length; i++) {
    if (profile.length > 0 && !profile.every((column) => isBlankCell(column.values[i]))) continue;
    leadsWithoutProfile++;
    if ((engagementResult?.eventCounts[i] ?? 0) > 0) leadsWithEventsWithoutProfile++;
  }
  return {
    rows,
    ids,
    fit: fitResult.scores,
    engagement,
    grades,
    qualifiedAt,
    qualifiedBy,
    enteredFrom,
    conversionDatesKnown: conversion === null ? null : conversionDatesKnown,
    engagementNow,
    gradesNow,
    customer,
    profile,
    rulesTable,
    rules: parsed.rules,
    ruleMatches: fitResult.matches,
    pointsTable,
    engagementResult,
    eventRows: events?.leadIds.length ?? 0,
    blankLeadRows,
    leadsWithoutProfile,
    leadsWithEventsWithoutProfile,
    unusedColumns: built.unused,
  };
}
