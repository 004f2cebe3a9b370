/** Acquisition cohorts: the cohort × period matrix (retention, revenue per customer) and payback against CAC. */

export type { CohortCells, CohortMatrix, CohortMeasure, CohortOptions, CohortPeriod } from "./cohortMatrix";
export { COHORT_MEASURES, COHORT_PERIODS, cohortCells, cohortMatrix, cohortMatrixFromCells, cohortRow, cohortValue, periodColumnName, periodStart } from "./cohortMatrix";
export type { CohortAverage } from "./payback";
export { averageAtPeriod, cohortPayback, medianPayback } from "./payback";
