/**
 * Lead grades and MQLs (domain.md §6): the fit score falls in band A, B or C, the engagement score
 * in band 1, 2 or 3; the grade joins them (A1 = best fit, most engaged … C3). A lead is a
 * marketing-qualified lead (MQL) when its fit AND its engagement reach their thresholds.
 *
 * Defaults: A ≥ 70, B ≥ 40, else C; 1 ≥ 50, 2 ≥ 20, else 3; MQL at fit ≥ 40 and engagement ≥ 20.
 */

import { EngineError } from "../errors";

/** Cut-offs of the fit bands: A at `a` and above, B at `b` and above (b ≤ a), C below. */
export interface FitBands {
  readonly a: number;
  readonly b: number;
}

/** Cut-offs of the engagement bands: 1 at `one` and above, 2 at `two` and above (two ≤ one), 3 below. */
export interface EngagementBands {
  readonly one: number;
  readonly two: number;
}

/** MQL thresholds: fit and engagement must both reach them. */
export interface MqlThresholds {
  readonly fit: number;
  readonly engagement: number;
}

export const DEFAULT_FIT_BANDS: FitBands = { a: 70, b: 40 };
export const DEFAULT_ENGAGEMENT_BANDS: EngagementBands = { one: 50, two: 20 };
export const DEFAULT_MQL_THRESHOLDS: MqlThresholds = { fit: 40, engagement: 20 };

export type FitBand = "A" | "B" | "C";
export type EngagementBand = 1 | 2 | 3;

/** The grades of all nine cells, best first (A1, A2, A3, B1 … C3). */
export const LEAD_GRADES: readonly string[] = ["A1", "A2", "A3", "B1", "B2", "B3", "C1", "C2", "C3"];

/** Grade options. */
export interface GradeOptions {
  readonly fitBands?: FitBands;
  readonly engagementBands?: EngagementBands;
  readonly mql?: MqlThresholds;
}

/** Grades of leads, one entry per lead. */
export interface LeadGrades {
  readonly fitBand: FitBand[];
  readonly engagementBand: EngagementBand[];
  /** "A1" … "C3". */
  readonly grade: string[];
  readonly mql: boolean[];
}

/**
 * Checks band cut-offs and thresholds.
 *
 * @throws EngineError INVALID_INPUT naming `fitBands`, `engagementBands` or `mql` (the caller renames
 *   them) when a number is not finite or the higher band's cut-off is below the lower one's.
 */
export function checkGradeOptions(options: GradeOptions): Required<GradeOptions> {
  const fitBands = options.fitBands ?? DEFAULT_FIT_BANDS;
  const engagementBands = options.engagementBands ?? DEFAULT_ENGAGEMENT_BANDS;
  const mql = options.mql ?? DEFAULT_MQL_THRESHOLDS;
  const finite = (argument: string, ...values: number[]): void => {
    if (!values.every(Number.isFinite)) throw new EngineError("INVALID_INPUT", `${argument}: the cut-offs must be numbers`, { argument });
  };
  finite("fitBands", fitBands.a, fitBands.b);
  finite("engagementBands", engagementBands.one, engagementBands.two);
  finite("mql", mql.fit, mql.engagement);
  if (fitBands.b > fitBands.a) {
    throw new EngineError("INVALID_INPUT", `fitBands: the A cut-off (${fitBands.a}) must not be below the B cut-off (${fitBands.b})`, { argument: "fitBands" });
  }
  if (engagementBands.two > engagementBands.one) {
    throw new EngineError(
      "INVALID_INPUT",
      `engagementBands: the band 1 cut-off (${engagementBands.one}) must not be below the band 2 cut-off (${engagementBands.two})`,
      { argument: "engagementBands" },
    );
  }
  return { fitBands, engagementBands, mql };
}

/** Fit band of one score. */
export function fitBandOf(fit: number, bands: FitBands = DEFAULT_FIT_BANDS): FitBand {
  return fit >= bands.a ? "A" : fit >= bands.b ? "B" : "C";
}

/** Engagement band of one score. */
export function engagementBandOf(engagement: number, bands: EngagementBands = DEFAULT_ENGAGEMENT_BANDS): EngagementBand {
  return engagement >= bands.one ? 1 : engagement >= bands.two ? 2 : 3;
}

/**
 * Fit band, engagement band, grade and MQL flag of each lead.
 *
 * @param fit fit scores (any finite numbers; usually 0–100).
 * @param engagement engagement scores, as many as `fit`.
 * @param options band cut-offs and MQL thresholds (defaults above).
 * @returns one entry per lead in each array.
 * @throws EngineError INVALID_INPUT for unequal lengths, a score that is not finite, or bad options
 *   (see {@link checkGradeOptions}).
 *
 * References: the fit × engagement grid of lead grading (e.g. Salesforce Pardot's grade A–D with a
 * score; HubSpot's fit and engagement matrix); domain.md §6.
 */
export function gradeLeads(fit: ArrayLike<number>, engagement: ArrayLike<number>, options: GradeOptions = {}): LeadGrades {
  const { fitBands, engagementBands, mql } = checkGradeOptions(options);
  if (fit.length !== engagement.length) {
    throw new EngineError("INVALID_INPUT", `fit scores (${fit.length}) and engagement scores (${engagement.length}) must be as many`);
  }
  const out: LeadGrades = { fitBand: [], engagementBand: [], grade: [], mql: [] };
  for (let i = 0; i < fit.length; i++) {
    const f = fit[i];
    const e = engagement[i];
    if (!Number.isFinite(f) || !Number.isFinite(e)) throw new EngineError("INVALID_INPUT", `lead ${i + 1}: the scores must be finite numbers`, { row: i + 1 });
    const fitBand = fitBandOf(f, fitBands);
    const engagementBand = engagementBandOf(e, engagementBands);
    out.fitBand.push(fitBand);
    out.engagementBand.push(engagementBand);
    out.grade.push(`${fitBand}${engagementBand}`);
    out.mql.push(f >= mql.fit && e >= mql.engagement);
  }
  return out;
}
