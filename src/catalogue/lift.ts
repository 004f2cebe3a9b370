import type { CatalogueEntry } from "./entry";

/** Holdout incrementality (IMC.LIFT) and loyalty (IMC.NPS). */
export const LIFT_FUNCTIONS: readonly CatalogueEntry[] = [];
