/**
 * Budget engine (IMC step 5; domain.md §5): Hill response curves, allocation across channels or
 * lifecycle stages, and budgets from the end (inverted funnel) with their formula structure.
 */

export type { HillCurve, HillCurveField } from "./hillCurve";
export { MAX_SHAPE, checkHillCurve, hillCurveProblem, hillInflection, hillMarginal, hillResponse, hillSpendForMarginal } from "./hillCurve";
export type { TwoPointElicitation, TwoPointField } from "./elicitHill";
export { hillFromTwoPoints } from "./elicitHill";
export { adstockSeries, adstockSteadyState } from "./adstock";
export type { AllocationProblem, GridClimbOptions, GridClimbResult } from "./gridHillClimb";
export { DEFAULT_GRID_STEPS, gridHillClimb } from "./gridHillClimb";
export type { EqualMarginalResult } from "./equalMarginal";
export { equalMarginalAllocation, spreadResidual } from "./equalMarginal";
export type { PairwiseTransferResult } from "./pairwiseTransfer";
export { pairwiseTransfer } from "./pairwiseTransfer";
export type { AllocationField, AllocationInput, AllocationOptions, AllocationResult, AllocationUnit, BoundStatus, UnitAllocation } from "./allocate";
export { allocateBudget, allocationProblem, allocationUnitProblem } from "./allocate";
export type { LifecycleAllocationResult, LifecycleStageInput, StageAllocation } from "./lifecycleAllocation";
export { LIFECYCLE_STAGES, allocateLifecycle } from "./lifecycleAllocation";
export type { BudgetCheck, BudgetInputLine, BudgetLine, BudgetPlan, BudgetValueUnit, Formula } from "./formula";
export { computeLines, evaluateFormula, formulaReferences, formulaText, formulaToExcel } from "./formula";
export type { BudgetFromTheEndField, BudgetFromTheEndInput, FunnelRates } from "./budgetFromTheEnd";
export { budgetFromTheEnd } from "./budgetFromTheEnd";
export { budgetObjectiveAndTask, budgetPercentOfRevenue } from "./budgetRules";
export { profitPlan, type ProfitPlanUnit } from "./profitPlan";
