/**
 * The generated tabs, in workbook order (a module of its own so that listing them loads no builder):
 * the Scorecard first (the tab the workbook opens on), then the tabs in the order of the IMC steps.
 */
export type TabId = "scorecard" | "segmentation" | "customer-value" | "cohorts" | "leads" | "journey" | "attribution" | "campaign-kpis" | "experiments" | "budget";
export const TAB_IDS: readonly TabId[] = ["scorecard", "segmentation", "customer-value", "cohorts", "leads", "journey", "attribution", "campaign-kpis", "experiments", "budget"];

/** Tab titles as users see them (the builders' preferred tab names). */
export const TAB_TITLES: Readonly<Record<TabId, string>> = {
  scorecard: "Scorecard",
  segmentation: "Segmentation",
  "customer-value": "Customer Value",
  cohorts: "Cohorts",
  leads: "Lead Scoring",
  journey: "Journey",
  attribution: "Attribution",
  "campaign-kpis": "Campaign KPIs",
  experiments: "Experiments",
  budget: "Budget",
};
