/**
 * Lead scoring (domain.md §6): fit from a rules table over profile columns, engagement from
 * decaying activity points, and the fit × engagement grade with the MQL flag. The custom functions
 * (src/functions/leads.ts) and the Leads tab import from here.
 */

export type { EngagementInput, EngagementNames, EngagementOptions, EngagementResult } from "./engagement";
export { DEFAULT_ENGAGEMENT_CAP, DEFAULT_ENGAGEMENT_HALF_LIFE_DAYS, engagementScores } from "./engagement";
export type { ConditionValue, FitCondition, FitResult, FitRule, ProfileColumn } from "./fit";
export { conditionMatches, DEFAULT_FIT_CAP, fitScores, parseCondition, parseFitRules } from "./fit";
export type { EngagementBand, EngagementBands, FitBand, FitBands, GradeOptions, LeadGrades, MqlThresholds } from "./grade";
export {
  checkGradeOptions,
  DEFAULT_ENGAGEMENT_BANDS,
  DEFAULT_FIT_BANDS,
  DEFAULT_MQL_THRESHOLDS,
  engagementBandOf,
  fitBandOf,
  gradeLeads,
  LEAD_GRADES,
} from "./grade";
export type { EngagementAtResult } from "./engagementAt";
export { engagementAtDates } from "./engagementAt";
