/**
 * Customer value: the retention-formula CLV and the probabilistic models (customer summary, BG/NBD,
 * MBG/NBD, Pareto/NBD, the NBD without drop-out, the automatic choice among them, Gamma-Gamma,
 * discounted CLV, holdout validation). One model per file; this index is the public surface for the
 * functions, reports and the runner.
 */

export type { BgNbdFit, BgNbdFitOptions, BgNbdParams } from "./bgNbd";
export {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesIfAlive,
  bgNbdExpectedPurchasesNew,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  bgNbdProbabilityOfPurchases,
  fitBgNbd,
} from "./bgNbd";
export type { CommonDropoutFit, CommonDropoutParams } from "./betaGeometric";
export type { CandidateOutcome, ModelSelection } from "./autoModel";
export { selectCountingModel } from "./autoModel";
export type { CountingModelChoice, CountingModelFit, CountingModelLimit, CountingModelName, CustomerForecast } from "./countingModels";
export {
  COUNTING_MODEL_CHOICES,
  COUNTING_MODEL_LABELS,
  COUNTING_MODEL_NAMES,
  expectedPurchasesNew,
  fitCountingModel,
  forecastCustomer,
} from "./countingModels";
export type { DiscountSchedule } from "./discountedClv";
export { discountedClv, discountedPurchases, periodSchedule } from "./discountedClv";
export type { CompressedSummary, FitData } from "./fitData";
export { compressTriples, toFitData, weightedFitData } from "./fitData";
export type { MbgNbdFit, MbgNbdFitOptions, MbgNbdParams } from "./mbgNbd";
export {
  fitMbgNbd,
  mbgNbdExpectedPurchases,
  mbgNbdExpectedPurchasesIfAlive,
  mbgNbdExpectedPurchasesNew,
  mbgNbdLogLikelihood,
  mbgNbdProbabilityAlive,
  mbgNbdProbabilityOfPurchases,
} from "./mbgNbd";
export type { NbdFit, NbdParams } from "./nbd";
export { fitNbd, nbdExpectedPurchases, nbdLogLikelihood } from "./nbd";
export type { GammaGammaFit, GammaGammaParams, SpendData } from "./gammaGamma";
export { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood, toSpendData } from "./gammaGamma";
export type { PurchaseHistogram } from "./histogram";
export { bgNbdPurchaseHistogram, countingModelPurchaseHistogram } from "./histogram";
export type { CalibrationHoldout, HoldoutComparison } from "./holdout";
export { compareHoldout, splitCalibrationHoldout } from "./holdout";
export type { ParetoNbdFit, ParetoNbdParams } from "./paretoNbd";
export {
  fitParetoNbd,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNew,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
} from "./paretoNbd";
export type { CustomerValueFit, CustomerValuePredictions, PredictionInputs } from "./predict";
export { fitCustomerValue, fitPurchaseModel, notConvergedError, predictCustomerValue, predictRows } from "./predict";
export type { RetentionClvInput } from "./retentionClv";
export { retentionClv } from "./retentionClv";
export type { SimulatedCustomers } from "./simulate";
export { simulateBgNbd } from "./simulate";
export type { CustomerSummary, PeriodUnit, SummaryOptions } from "./summary";
export { DAYS_PER_PERIOD, fitDataOf, summarizeCustomers } from "./summary";
