import type { CatalogueEntry } from "./entry";

/** Segments: IMC.RFM, IMC.CLUSTER and IMC.LIFECYCLE. */
export const SEGMENT_FUNCTIONS: readonly CatalogueEntry[] = [];
