/**
 * Multi-touch attribution (domain.md §3): journeys in, credit per channel out, for first, last,
 * linear, position, time_decay, markov (exact removal effects) and shapley, from one pass.
 */

export type { AggregatorOptions, AttributionModel, AttributionResult, MarkovSummary, ModelCredit, ResultOptions } from "./aggregator";
export { ATTRIBUTION_MODELS, DEFAULT_HALF_LIFE_DAYS, JourneyAggregator, rankChannels } from "./aggregator";
export type { TouchpointLog, TouchpointSummary } from "./touchpointJourneys";
export { DEFAULT_LOOKBACK_DAYS, addTouchpointLog } from "./touchpointJourneys";
export type { TouchpointCells, TouchpointLogOptions } from "./touchpointLog";
export { readTouchpointLog, requireConvertingJourneys } from "./touchpointLog";
export type { MarkovChain } from "./markovChain";
export { MAX_MARKOV_ORDER, MarkovChainBuilder } from "./markovChain";
export type { MarkovOptions, MarkovRemovalEffects } from "./markov";
export { markovRemovalEffects } from "./markov";
