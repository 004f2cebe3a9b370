/**
 * Lead-scoring custom functions: IMC.ENGAGEMENT (decaying activity points per lead), IMC.FITSCORE
 * (profile points from a rules table) and IMC.LEADSCORE (fit and engagement bands, grade A1…C3,
 * MQL flag). domain.md §6.
 *
 * Thin adapters: Excel arguments → engine (src/engine/leads) → cells. The JSDoc of each
 * `@customfunction` is what Excel users see in formula autocomplete and the function dialog.
 */

import { alignRows, isBlankCell, shapeOf, toColumn, toNumber, toText, type Range } from "../engine/data";
import { EngineError, invalidArgument, invalidCell, isEngineError } from "../engine/errors";
import {
  checkGradeOptions,
  DEFAULT_ENGAGEMENT_BANDS,
  DEFAULT_ENGAGEMENT_CAP,
  DEFAULT_ENGAGEMENT_HALF_LIFE_DAYS,
  DEFAULT_FIT_BANDS,
  DEFAULT_FIT_CAP,
  DEFAULT_MQL_THRESHOLDS,
  engagementBandOf,
  engagementScores,
  fitBandOf,
  fitScores,
  parseFitRules,
  type GradeOptions,
  type ProfileColumn,
} from "../engine/leads";
import { optionDate, optionNumber } from "./arguments";
import { spill, type SpillCell } from "./table";

/** The header row of IMC.LEADSCORE, stable: tabs and users refer to its columns. */
export const LEADSCORE_HEADERS = ["Fit band", "Engagement band", "Grade", "MQL"] as const;

/**
 * Engagement score per lead: activity points halved every half_life_days days of age, summed and capped, e.g. =IMC.ENGAGEMENT(A2:A500, E2:E9000, F2:F9000, G2:G9000).
 * @customfunction ENGAGEMENT
 * @param lead_ids The lead list, one id per row (text or numbers). One score is returned per row.
 * @param event_lead_ids Lead id of each event (web visit, email click, demo request…), one row per event.
 * @param event_dates Date of each event (date cells or text like 2024-01-31).
 * @param event_points Points of each event (negative points allowed, e.g. for an unsubscribe).
 * @param [as_of] Date the scores are measured at. Default: the latest event date. Later events are left out.
 * @param [half_life_days] Days after which an event counts half, above 0. Default 30.
 * @param [cap] Highest score, above 0. Default 100.
 * @returns One engagement score per row of lead_ids (0 to cap; 0 for a lead without events), no header.
 */
export function engagement(
  lead_ids: any[][],
  event_lead_ids: any[][],
  event_dates: any[][],
  event_points: any[][],
  as_of?: any[][],
  half_life_days?: any[][],
  cap?: any[][],
): any[][] {
  return spill("IMC.ENGAGEMENT", () => {
    const asOf = optionDate(as_of, "as_of");
    const halfLifeDays = optionNumber(half_life_days, "half_life_days") ?? DEFAULT_ENGAGEMENT_HALF_LIFE_DAYS;
    const capValue = optionNumber(cap, "cap") ?? DEFAULT_ENGAGEMENT_CAP;
    const leads = toColumn(lead_ids, "lead_ids");
    leads.length = alignRows([{ argument: "lead_ids", values: leads }]);
    if (leads.length === 0) throw new EngineError("INSUFFICIENT_DATA", "lead_ids: the range is blank; no lead to score", { argument: "lead_ids" });
    const ids = toColumn(event_lead_ids, "event_lead_ids");
    const dates = toColumn(event_dates, "event_dates");
    const points = toColumn(event_points, "event_points");
    const events = alignRows([
      { argument: "event_lead_ids", values: ids },
      { argument: "event_dates", values: dates },
      { argument: "event_points", values: points },
    ]);
    ids.length = events;
    dates.length = events;
    points.length = events;
    const result = engagementScores({ leadIds: leads, eventLeadIds: ids, eventDates: dates, eventPoints: points }, { asOf, halfLifeDays, cap: capValue });
    const rows = new Array<SpillCell[]>(leads.length);
    for (let r = 0; r < leads.length; r++) rows[r] = [result.blankLead[r] === 1 ? null : result.scores[r]];
    return rows;
  });
}

/**
 * The profile range as columns: its first row the headers, trailing blank rows dropped.
 *
 * @throws EngineError INVALID_INPUT for a range that is not rectangular; INSUFFICIENT_DATA without a lead row.
 */
function readProfile(profile: unknown): ProfileColumn[] {
  const { rows, columns } = shapeOf(profile, "profile");
  const range = profile as Range;
  const headers = range[0].map((cell) => (isBlankCell(cell) ? "" : toText(cell, "profile", 1)));
  const aligned = Array.from({ length: columns }, (_, c) => ({ argument: "profile", values: range.slice(1).map((row) => row[c]) }));
  const leads = rows > 1 ? alignRows(aligned) : 0;
  if (leads === 0) {
    throw new EngineError("INSUFFICIENT_DATA", "profile: needs a header row of attribute names and at least one lead row under it", { argument: "profile" });
  }
  return headers.map((header, c) => ({ header, values: aligned[c].values.slice(0, leads) }));
}

/**
 * Fit score per lead from a rules table: the points of every rule the lead's profile meets, summed, from 0 to the cap, e.g. =IMC.FITSCORE(A1:E500, H1:J12).
 * @customfunction FITSCORE
 * @param profile The leads' profile with a header row of attribute names (Industry, Employees, Job title…) and one row per lead.
 * @param rules Three columns: attribute (a profile header), condition (Retail; = Retail; <> Retail; > 50; between 50 and 500; in (UK, DE); contains Director; *) and points (negative allowed). A header row is optional.
 * @param [cap] Highest score, above 0. Default 100.
 * @returns One fit score per lead row of profile (0 to cap; 0 for a row with a blank profile), no header.
 */
export function fitScore(profile: any[][], rules: any[][], cap?: any[][]): any[][] {
  return spill("IMC.FITSCORE", () => {
    const capValue = optionNumber(cap, "cap") ?? DEFAULT_FIT_CAP;
    const columns = readProfile(profile);
    shapeOf(rules, "rules");
    const parsed = parseFitRules(rules, columns.map((column) => column.header), "rules");
    const result = fitScores(columns, parsed.rules, capValue);
    return Array.from(result.scores, (score) => [score]);
  });
}

/** A pair of numbers from a 1×2 or 2×1 range; null when omitted or blank. */
function optionPair(range: unknown, argument: string, what: string): [number, number] | null {
  if (range === null || range === undefined) return null;
  const cells = toColumn(range, argument);
  if (cells.every(isBlankCell)) return null;
  if (cells.length !== 2) throw invalidArgument(argument, `expected two numbers (${what}), got ${cells.length} cells`);
  return [toNumber(cells[0], argument, 1), toNumber(cells[1], argument, 2)];
}

const GRADE_ARGUMENTS: Readonly<Record<string, string>> = { fitBands: "fit_bands", engagementBands: "engagement_bands", mql: "mql_thresholds" };

/**
 * Grade of each lead from its fit and engagement scores: fit band A/B/C, engagement band 1/2/3, grade A1…C3 and MQL TRUE/FALSE, e.g. =IMC.LEADSCORE(B2:B500, C2:C500).
 * @customfunction LEADSCORE
 * @param fit_scores Fit score of each lead (e.g. from IMC.FITSCORE), one row per lead.
 * @param engagement_scores Engagement score of each lead (e.g. from IMC.ENGAGEMENT), in the same rows.
 * @param [fit_bands] Two numbers: the lowest fit of band A and of band B. Default {70,40}.
 * @param [engagement_bands] Two numbers: the lowest engagement of band 1 and of band 2. Default {50,20}.
 * @param [mql_thresholds] Two numbers: the fit and the engagement a lead needs, both, to be an MQL. Default {40,20}.
 * @returns A table with a header: Fit band, Engagement band, Grade, MQL; one row per lead.
 */
export function leadScore(fit_scores: any[][], engagement_scores: any[][], fit_bands?: any[][], engagement_bands?: any[][], mql_thresholds?: any[][]): any[][] {
  return spill("IMC.LEADSCORE", () => {
    const fitPair = optionPair(fit_bands, "fit_bands", "the lowest fit of A and of B");
    const engagementPair = optionPair(engagement_bands, "engagement_bands", "the lowest engagement of band 1 and of band 2");
    const mqlPair = optionPair(mql_thresholds, "mql_thresholds", "the fit and the engagement an MQL needs");
    let options: Required<GradeOptions>;
    try {
      options = checkGradeOptions({
        fitBands: fitPair === null ? DEFAULT_FIT_BANDS : { a: fitPair[0], b: fitPair[1] },
        engagementBands: engagementPair === null ? DEFAULT_ENGAGEMENT_BANDS : { one: engagementPair[0], two: engagementPair[1] },
        mql: mqlPair === null ? DEFAULT_MQL_THRESHOLDS : { fit: mqlPair[0], engagement: mqlPair[1] },
      });
    } catch (error) {
      const name = isEngineError(error) && error.argument !== undefined ? GRADE_ARGUMENTS[error.argument] : undefined;
      if (name === undefined || !isEngineError(error)) throw error;
      throw invalidArgument(name, error.message.replace(/^[A-Za-z]+: /, ""));
    }
    const fit = toColumn(fit_scores, "fit_scores");
    const engaged = toColumn(engagement_scores, "engagement_scores");
    const leads = alignRows([
      { argument: "fit_scores", values: fit },
      { argument: "engagement_scores", values: engaged },
    ]);
    if (leads === 0) throw new EngineError("INSUFFICIENT_DATA", "fit_scores: the range is blank; no lead to grade", { argument: "fit_scores" });
    const rows: SpillCell[][] = [[...LEADSCORE_HEADERS]];
    for (let r = 0; r < leads; r++) {
      if (isBlankCell(fit[r]) && isBlankCell(engaged[r])) {
        rows.push([null, null, null, null]);
        continue;
      }
      if (isBlankCell(fit[r])) throw invalidCell("fit_scores", r + 1, "is blank but the lead has an engagement score");
      if (isBlankCell(engaged[r])) throw invalidCell("engagement_scores", r + 1, "is blank but the lead has a fit score");
      const f = toNumber(fit[r], "fit_scores", r + 1);
      const e = toNumber(engaged[r], "engagement_scores", r + 1);
      const fitBand = fitBandOf(f, options.fitBands);
      const engagementBand = engagementBandOf(e, options.engagementBands);
      rows.push([fitBand, engagementBand, `${fitBand}${engagementBand}`, f >= options.mql.fit && e >= options.mql.engagement]);
    }
    return rows;
  });
}
