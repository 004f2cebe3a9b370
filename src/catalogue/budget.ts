import type { CatalogueEntry } from "./entry";

/** Budget: IMC.ALLOCATE and IMC.RESPONSE. */
export const BUDGET_FUNCTIONS: readonly CatalogueEntry[] = [];
