/**
 * Campaign KPIs from a campaign table whose first row holds the headers.
 *
 * Definitions (domain.md §6); every rate is a share (0.25 = 25%):
 * - Delivered = the Delivered column, else sent − (hard + soft bounces), else sent − bounces;
 * - Hard / soft / email bounce rate = hard / soft / all bounces ÷ sent;
 * - Open rate = unique opens ÷ delivered (÷ sent with the "sent" base, or when delivered cannot be
 *   worked out; the header then says "(of sent)"); "Opens" is used when there is no unique count;
 * - Click-through rate = unique clicks ÷ delivered (same fallback); click-to-open = unique clicks ÷
 *   unique opens; "Clicks" is used when there is no unique count;
 * - Unsubscribe rate = unsubscribes ÷ delivered (same fallback);
 * - Ad CTR = clicks ÷ impressions (unique clicks when there is no Clicks column);
 * - Conversion rate = conversions ÷ sessions; with visitors/users but no sessions, ÷ visitors and the
 *   header says "(per visitor)";
 * - Web bounce rate = bounced (non-engaged) sessions ÷ sessions, or (sessions − engaged sessions) ÷ sessions;
 * - Form conversion rate = form submissions ÷ form views;
 * - Pipeline growth = (pipeline end − pipeline start) ÷ pipeline start;
 * - CPL = spend ÷ leads; CPA = spend ÷ conversions; ROAS = revenue ÷ spend.
 * A KPI is a column of the result when the table has its inputs; in a row it is blank (null) when an
 * input cell is blank or its denominator is 0 — never an error, never Infinity. Trailing rows that
 * are blank or all 0 (desktop Excel's empty rows under a whole-column reference) are dropped.
 *
 * References: domain.md §6; P. W. Farris et al., *Marketing Metrics*, 2nd ed. (2010), ch. 9
 * (web and email metrics); ch. 10 (ROAS as a neighbour of ROMI).
 */

import { EngineError } from "../errors";
import { isBlankCell, shapeOf, toOptionalNumber, toOptionalText, type Range } from "../data";
import { campaignFieldOf, type CampaignField } from "./campaignColumns";

/** Denominator of the open rate: delivered emails (default) or sent emails. */
export type OpenRateBase = "delivered" | "sent";

export const OPEN_RATE_BASES: readonly OpenRateBase[] = ["delivered", "sent"];

export interface CampaignKpiOptions {
  readonly openRateBase: OpenRateBase;
  /** The argument name users see, for messages (e.g. `campaign_table`). */
  readonly argument: string;
}

/** A column of the table that was used, and what for. */
export interface RecognisedColumn {
  /** 1-based column in the table. */
  readonly column: number;
  readonly header: string;
  readonly field: CampaignField;
}

/** A column of the table that was not used, and why. */
export interface IgnoredColumn {
  readonly column: number;
  readonly header: string;
  readonly reason: string;
}

export interface CampaignKpiResult {
  /** KPI headers, in output order (without the campaign label). */
  readonly headers: readonly string[];
  /** One row per table row after the header (trailing blank rows dropped), in table order. */
  readonly rows: readonly { readonly label: string | null; readonly values: readonly (number | null)[] }[];
  /** 1-based column of the campaign label, or null (rows are then labelled by the caller). */
  readonly labelColumn: number | null;
  readonly recognised: readonly RecognisedColumn[];
  readonly ignored: readonly IgnoredColumn[];
  /** The denominator the open rate used. */
  readonly openRateBase: OpenRateBase;
}

type Values = Partial<Record<CampaignField, number | null>>;

interface KpiDefinition {
  readonly header: string;
  readonly compute: (v: Values) => number | null;
}

function ratio(numerator: number | null | undefined, denominator: number | null | undefined): number | null {
  if (numerator === null || numerator === undefined || denominator === null || denominator === undefined || denominator === 0) {
    return null;
  }
  const value = numerator / denominator;
  return Number.isFinite(value) ? value : null;
}

/** The KPIs a set of present fields allows, in output order. */
function kpiDefinitions(present: ReadonlySet<CampaignField>, openRateBase: OpenRateBase): { kpis: KpiDefinition[]; openRateBase: OpenRateBase } {
  const has = (field: CampaignField) => present.has(field);
  const kpis: KpiDefinition[] = [];
  const hasSplitBounces = has("hardBounces") || has("softBounces");
  const hasBounceInfo = hasSplitBounces || has("bounces");
  const bounces = (v: Values): number | null => {
    if (hasSplitBounces) {
      const hard = v.hardBounces ?? null;
      const soft = v.softBounces ?? null;
      if (hard === null && soft === null) return null;
      return (hard ?? 0) + (soft ?? 0);
    }
    return v.bounces ?? null;
  };
  const canDeliver = has("delivered") || (has("sent") && hasBounceInfo);
  const delivered = (v: Values): number | null => {
    if (has("delivered")) return v.delivered ?? null;
    const sent = v.sent ?? null;
    const bounced = bounces(v);
    return sent === null || bounced === null ? null : sent - bounced;
  };
  const emailBase = canDeliver ? delivered : has("sent") ? (v: Values) => v.sent ?? null : null;
  const emailSuffix = canDeliver ? "" : " (of sent)";
  const opensField: CampaignField | null = has("uniqueOpens") ? "uniqueOpens" : has("opens") ? "opens" : null;
  const emailClicksField: CampaignField | null = has("uniqueClicks") ? "uniqueClicks" : has("clicks") ? "clicks" : null;
  const adClicksField: CampaignField | null = has("clicks") ? "clicks" : has("uniqueClicks") ? "uniqueClicks" : null;

  if (canDeliver) kpis.push({ header: "Delivered", compute: delivered });
  if (has("sent") && has("hardBounces")) kpis.push({ header: "Hard bounce rate", compute: (v) => ratio(v.hardBounces, v.sent) });
  if (has("sent") && has("softBounces")) kpis.push({ header: "Soft bounce rate", compute: (v) => ratio(v.softBounces, v.sent) });
  if (has("sent") && hasBounceInfo) kpis.push({ header: "Email bounce rate", compute: (v) => ratio(bounces(v), v.sent) });

  let usedOpenBase: OpenRateBase = canDeliver ? openRateBase : "sent";
  if (opensField !== null) {
    if (usedOpenBase === "sent" && has("sent")) {
      kpis.push({ header: "Open rate (of sent)", compute: (v) => ratio(v[opensField], v.sent) });
    } else if (canDeliver) {
      usedOpenBase = "delivered";
      kpis.push({ header: "Open rate", compute: (v) => ratio(v[opensField], delivered(v)) });
    }
  }
  if (emailClicksField !== null && emailBase !== null) {
    kpis.push({ header: `Click-through rate${emailSuffix}`, compute: (v) => ratio(v[emailClicksField], emailBase(v)) });
  }
  if (emailClicksField !== null && opensField !== null) {
    kpis.push({ header: "Click-to-open rate", compute: (v) => ratio(v[emailClicksField], v[opensField]) });
  }
  if (has("unsubscribes") && emailBase !== null) {
    kpis.push({ header: `Unsubscribe rate${emailSuffix}`, compute: (v) => ratio(v.unsubscribes, emailBase(v)) });
  }
  if (adClicksField !== null && has("impressions")) kpis.push({ header: "Ad CTR", compute: (v) => ratio(v[adClicksField], v.impressions) });
  if (has("conversions") && has("sessions")) {
    kpis.push({ header: "Conversion rate", compute: (v) => ratio(v.conversions, v.sessions) });
  } else if (has("conversions") && has("visitors")) {
    kpis.push({ header: "Conversion rate (per visitor)", compute: (v) => ratio(v.conversions, v.visitors) });
  }
  if (has("sessions") && has("bouncedSessions")) {
    kpis.push({ header: "Web bounce rate", compute: (v) => ratio(v.bouncedSessions, v.sessions) });
  } else if (has("sessions") && has("engagedSessions")) {
    kpis.push({
      header: "Web bounce rate",
      compute: (v) => (v.sessions == null || v.engagedSessions == null ? null : ratio(v.sessions - v.engagedSessions, v.sessions)),
    });
  }
  if (has("formViews") && has("formSubmissions")) {
    kpis.push({ header: "Form conversion rate", compute: (v) => ratio(v.formSubmissions, v.formViews) });
  }
  if (has("pipelineStart") && has("pipelineEnd")) {
    kpis.push({
      header: "Pipeline growth",
      compute: (v) => (v.pipelineEnd == null || v.pipelineStart == null ? null : ratio(v.pipelineEnd - v.pipelineStart, v.pipelineStart)),
    });
  }
  if (has("spend") && has("leads")) kpis.push({ header: "CPL", compute: (v) => ratio(v.spend, v.leads) });
  if (has("spend") && has("conversions")) kpis.push({ header: "CPA", compute: (v) => ratio(v.spend, v.conversions) });
  if (has("spend") && has("revenue")) kpis.push({ header: "ROAS", compute: (v) => ratio(v.revenue, v.spend) });
  return { kpis, openRateBase: usedOpenBase };
}

function plainNumber(x: number): string {
  return Number.parseFloat(x.toPrecision(15)).toString();
}

/**
 * Every KPI of domain.md §6 that a campaign table's columns allow, one row per campaign.
 *
 * @param table the range including its header row (first row), as Excel sends it.
 * @param options open-rate denominator and the argument name for messages; see {@link CampaignKpiOptions}.
 * @returns KPI headers and rows, the label column, recognised and ignored columns; see {@link CampaignKpiResult}.
 * @throws EngineError INVALID_INPUT when the table is not a rectangular range, or a cell in a
 *   recognised column is not a number or is negative (the message names the table row and the column
 *   header); INSUFFICIENT_DATA when there is no row after the header, no header is recognised, or the
 *   recognised columns allow no KPI.
 *
 * References: domain.md §6.
 */
export function campaignKpis(table: unknown, options: CampaignKpiOptions): CampaignKpiResult {
  const { argument } = options;
  const { rows: height, columns: width } = shapeOf(table, argument);
  const cells = table as Range;
  // Trailing rows that are blank — or all 0, which is how desktop Excel sends the empty rows of a
  // whole-column reference such as A:F — are not campaigns.
  let last = height;
  while (last > 1 && cells[last - 1].every(isBlankOrZero)) last--;
  if (last < 2) {
    throw new EngineError("INSUFFICIENT_DATA", `${argument}: needs a header row and at least one campaign row below it`, { argument });
  }

  const headers: (string | null)[] = [];
  for (let c = 0; c < width; c++) headers.push(toOptionalText(cells[0][c], argument, 1));

  const recognised: RecognisedColumn[] = [];
  const ignored: IgnoredColumn[] = [];
  const columnOf = new Map<CampaignField, number>();
  const unrecognised: number[] = [];
  for (let c = 0; c < width; c++) {
    const header = headers[c];
    if (header === null) {
      ignored.push({ column: c + 1, header: "", reason: "blank header" });
      continue;
    }
    const field = campaignFieldOf(header);
    if (field === null) {
      unrecognised.push(c);
      continue;
    }
    const first = columnOf.get(field);
    if (first !== undefined) {
      ignored.push({ column: c + 1, header, reason: `column ${first + 1} ("${headers[first]}") already gives ${field}` });
      continue;
    }
    columnOf.set(field, c);
    recognised.push({ column: c + 1, header, field });
  }

  // Without a label header, the first unrecognised column holding text names the campaigns.
  if (!columnOf.has("label")) {
    const textColumn = unrecognised.find((c) => {
      for (let r = 1; r < last; r++) {
        const value = cells[r][c];
        if (typeof value === "string" && value.trim() !== "" && toOptionalNumberOrNull(value) === null) return true;
      }
      return false;
    });
    if (textColumn !== undefined) {
      columnOf.set("label", textColumn);
      recognised.push({ column: textColumn + 1, header: headers[textColumn] ?? "", field: "label" });
    }
  }
  for (const c of unrecognised) {
    if (columnOf.get("label") !== c) ignored.push({ column: c + 1, header: headers[c] ?? "", reason: "not a recognised KPI input" });
  }
  recognised.sort((a, b) => a.column - b.column);
  ignored.sort((a, b) => a.column - b.column);

  const numericFields = [...columnOf.keys()].filter((field) => field !== "label");
  if (numericFields.length === 0) {
    const seen = headers.filter((h): h is string => h !== null).map((h) => `"${h}"`).join(", ") || "none";
    throw new EngineError(
      "INSUFFICIENT_DATA",
      `${argument}: no column header is a recognised KPI input (headers: ${seen}); use names such as Sent, Delivered, Unique opens, Clicks, Impressions, Sessions, Conversions, Spend`,
      { argument },
    );
  }
  const { kpis, openRateBase } = kpiDefinitions(new Set(numericFields), options.openRateBase);
  if (kpis.length === 0) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      `${argument}: no KPI can be computed from the recognised columns (${recognised.map((r) => `"${r.header}"`).join(", ")}); ` +
        "a rate needs its numerator and its denominator (e.g. Unique opens with Delivered or Sent)",
      { argument },
    );
  }

  const labelColumn = columnOf.get("label") ?? null;
  const rows: { label: string | null; values: (number | null)[] }[] = [];
  const values: Values = {};
  for (let r = 1; r < last; r++) {
    const line = cells[r];
    for (const field of numericFields) {
      const c = columnOf.get(field)!;
      values[field] = readCount(line[c], argument, r + 1, c + 1, headers[c]!);
    }
    const label = labelColumn === null ? null : toOptionalText(line[labelColumn], argument, r + 1);
    const blankRow = line.every(isBlankCell);
    rows.push({ label, values: kpis.map((kpi) => (blankRow ? null : kpi.compute(values))) });
  }
  return {
    headers: kpis.map((kpi) => kpi.header),
    rows,
    labelColumn: labelColumn === null ? null : labelColumn + 1,
    recognised,
    ignored,
    openRateBase,
  };
}

function isBlankOrZero(value: unknown): boolean {
  return value === 0 || isBlankCell(value);
}

function toOptionalNumberOrNull(text: string): number | null {
  try {
    return toOptionalNumber(text, "", 1);
  } catch {
    return null;
  }
}

/** One cell of a recognised numeric column: a number ≥ 0, or null when blank. */
function readCount(value: unknown, argument: string, row: number, column: number, header: string): number | null {
  if (typeof value === "number" && value >= 0 && value < Infinity) return value;
  const where = `${argument} row ${row}, column "${header}"`;
  let number: number | null;
  try {
    number = toOptionalNumber(value, argument, row);
  } catch (error) {
    const problem = error instanceof Error ? error.message.replace(`${argument} row ${row}: `, "") : String(error);
    throw new EngineError("INVALID_INPUT", `${where}: ${problem}`, { argument, row, column });
  }
  if (number !== null && number < 0) {
    throw new EngineError("INVALID_INPUT", `${where}: ${plainNumber(number)} is negative; counts and amounts cannot be below 0`, { argument, row, column });
  }
  return number;
}
