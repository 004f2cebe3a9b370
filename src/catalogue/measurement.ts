import type { CatalogueEntry } from "./entry";

/** Measurement: ROCI (IMC.ROCI, IMC.ROCI.GROUPS, IMC.ROCI.LONGTERM), unit economics (IMC.CAC, IMC.RETENTION, IMC.CHURN, IMC.PAYBACK), campaigns (IMC.CAMPAIGNKPIS), experiments (IMC.ABTEST, IMC.SAMPLESIZE) and privacy (IMC.MASK). */
export const MEASUREMENT_FUNCTIONS: readonly CatalogueEntry[] = [];
