import type { CatalogueEntry } from "./entry";

/** Buyer journeys (IMC.PATHS). */
export const JOURNEY_FUNCTIONS: readonly CatalogueEntry[] = [];
