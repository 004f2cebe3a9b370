/**
 * Buyer journeys: path statistics (top paths, path lengths, channel roles) from aggregated paths,
 * and journeys kept one by one from a touchpoint log.
 */

export type { ChannelRole, LengthBand, PathStats, PathStatsOptions, PathSummary } from "./pathStats";
export { DEFAULT_TOP_PATHS, PATH_LENGTH_BANDS, PathStatsAggregator } from "./pathStats";
export type { LogJourney, LogJourneys } from "./journeyLog";
export { journeysOfLog } from "./journeyLog";
