/**
 * Segmentation (IMC step 1: identify customers by behaviour, then describe them): RFM scores and
 * named segments, lifecycle stages, behavioural clusters, and the demographic profile of any of them.
 * The custom functions (src/functions/segments.ts) and the Segmentation tab import from here.
 */

export type { MonetaryScheme, RfmMeasures, RfmOptions, RfmResult } from "./rfm";
export { rfmFromColumns, rfmScores } from "./rfm";
export type { RfmSegmentName } from "./rfmSegments";
export { RFM_SEGMENT_CODES, RFM_SEGMENT_NAMES, rfmSegment } from "./rfmSegments";
export type { QuintileScores } from "./quintileScores";
export { quintileBreak, quintileScores, SINGLE_VALUE_SCORE } from "./quintileScores";
export type { LifecycleResult, LifecycleStage, LifecycleThresholds } from "./lifecycle";
export { checkLifecycleThresholds, DEFAULT_LIFECYCLE_THRESHOLDS, LIFECYCLE_STAGES, lifecycleStageOf, lifecycleStages, reactivatedWithin } from "./lifecycle";
export type { BehaviouralClusters, ClusterOptions, FeatureMatrix } from "./behaviouralClusters";
export {
  behaviouralClusters,
  DEFAULT_CANDIDATE_COUNTS,
  DEFAULT_CLUSTER_SEED,
  DEFAULT_SILHOUETTE_SAMPLE,
  MAX_CLUSTER_COUNT,
} from "./behaviouralClusters";
export type { RfmColumns } from "./clusterNames";
export { rfmClusterNames } from "./clusterNames";
export type { ColumnProfile, ProfileColumn, SegmentProfile } from "./crossTab";
export { ALL_CUSTOMERS, BLANK_CATEGORY, crossTab } from "./crossTab";
export type { KMeansFit, KMeansOptions, PointMatrix } from "./kMeans";
export { DEFAULT_RESTART_SAMPLE, fitKMeans, kMeansPlusPlus, lloydKMeans } from "./kMeans";
export { meanSilhouette, pairwiseDistances, silhouetteFromDistances } from "./silhouette";
export type { OrderHistory } from "./orderHistory";
export { dayNumber, groupOrders } from "./orderHistory";
