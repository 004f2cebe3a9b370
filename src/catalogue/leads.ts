import type { CatalogueEntry } from "./entry";

/** Lead scoring (IMC.ENGAGEMENT, IMC.LEADSCORE and the fit score from a rules table). */
export const LEAD_FUNCTIONS: readonly CatalogueEntry[] = [];
