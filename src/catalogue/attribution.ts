import type { CatalogueEntry } from "./entry";

/** Attribution: IMC.ATTRIBUTE and IMC.ATTRIBUTE.EVENTS. */
export const ATTRIBUTION_FUNCTIONS: readonly CatalogueEntry[] = [];
