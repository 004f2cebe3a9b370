import type { CatalogueEntry } from "./entry";

/** Acquisition cohorts (IMC.COHORTS). */
export const COHORT_FUNCTIONS: readonly CatalogueEntry[] = [];
