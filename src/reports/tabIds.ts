/** The generated tabs, in the order of the IMC steps (a module of its own so that listing them loads no builder). */
export type TabId = "segmentation" | "customer-value" | "attribution" | "campaign-kpis" | "budget";
export const TAB_IDS: readonly TabId[] = ["segmentation", "customer-value", "attribution", "campaign-kpis", "budget"];
