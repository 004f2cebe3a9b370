/**
 * The catalogue of IMC custom functions that this build registers: what the task pane lists and
 * what the build checks compare with the generated `functions.json` (every registered function
 * must be here, and nothing here may be missing from the bundle).
 *
 * One file per area keeps additions apart; this module only puts them together in task-pane order.
 * Pure data: importable from the task pane, the function adapters, tests and scripts.
 */

import { ATTRIBUTION_FUNCTIONS } from "./attribution";
import { BUDGET_FUNCTIONS } from "./budget";
import { CUSTOMER_VALUE_FUNCTIONS } from "./customerValue";
import type { CatalogueEntry } from "./entry";
import { COHORT_FUNCTIONS } from "./cohorts";
import { JOURNEY_FUNCTIONS } from "./journeys";
import { LEAD_FUNCTIONS } from "./leads";
import { LIFT_FUNCTIONS } from "./lift";
import { MEASUREMENT_FUNCTIONS } from "./measurement";
import { SEGMENT_FUNCTIONS } from "./segments";

export type { CatalogueEntry } from "./entry";

export const FUNCTION_CATALOGUE: readonly CatalogueEntry[] = [
  ...CUSTOMER_VALUE_FUNCTIONS,
  ...COHORT_FUNCTIONS,
  ...SEGMENT_FUNCTIONS,
  ...LEAD_FUNCTIONS,
  ...ATTRIBUTION_FUNCTIONS,
  ...JOURNEY_FUNCTIONS,
  ...MEASUREMENT_FUNCTIONS,
  ...LIFT_FUNCTIONS,
  ...BUDGET_FUNCTIONS,
];
