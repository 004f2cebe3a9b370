/**
 * The wizards: what tab each makes, from which tables, with which options. Plain data (no engine),
 * so the home view can list them without loading the wizards.
 */
import type { TableKind } from "../../reports/detect";
import { TAB_TITLES, type TabId } from "../../reports/tabIds";

export type WizardId = "all" | TabId;

/** Groups of options a wizard shows. */
export type OptionGroup = "customerValue" | "privacy" | "budget" | "attribution";

export interface WizardDefinition {
  readonly id: WizardId;
  /** "Segmentation", "All tabs". */
  readonly title: string;
  /** The tabs it builds; null: every tab the data allows. */
  readonly tabs: readonly TabId[] | null;
  /** What it makes from what data, for its card. */
  readonly summary: string;
  /** Tables the data step shows, in this order. */
  readonly tables: readonly TableKind[];
  /** Tables it cannot do without (at least one of them for All tabs). */
  readonly required: readonly TableKind[];
  readonly options: readonly OptionGroup[];
}

/** Tab titles, as the builders name the tabs. */
export const TAB_NAMES: Readonly<Record<TabId, string>> = TAB_TITLES;

/** Table kinds as the user reads them. */
export const TABLE_NAMES: Readonly<Record<TableKind, string>> = {
  orders: "Orders",
  customers: "Customers",
  touchpoints: "Touchpoints",
  campaigns: "Campaigns",
  spend: "Marketing spend",
  leads: "Leads",
  leadEvents: "Lead events",
  survey: "Survey (NPS)",
  referrals: "Referrals",
  experiments: "Experiment groups",
  stages: "Channel stages",
};

export const WIZARDS: readonly WizardDefinition[] = [
  {
    id: "all",
    title: "All tabs",
    tabs: null,
    summary: "Every tab your data allows, from the tables found in the workbook: the Scorecard first (the IMC steps and the three C's on one page, by formula from the other tabs), then Segmentation, Customer Value, Cohorts, Leads, Journey, Attribution, Campaign KPIs, Experiments and Budget.",
    tables: ["orders", "customers", "touchpoints", "campaigns", "spend"],
    required: ["orders", "touchpoints", "campaigns"],
    options: ["customerValue", "privacy", "budget"],
  },
  {
    id: "segmentation",
    title: "Segmentation",
    tabs: ["segmentation"],
    summary: "RFM segments, behavioural clusters and lifecycle stages from your orders, profiled by the customers' demographics when a customer table is there.",
    tables: ["orders", "customers"],
    required: ["orders"],
    options: ["customerValue", "privacy"],
  },
  {
    id: "customer-value",
    title: "Customer Value",
    tabs: ["customer-value"],
    summary: "Customer lifetime value per customer (BG/NBD, MBG/NBD or Pareto/NBD with Gamma-Gamma spend) from your orders.",
    tables: ["orders"],
    required: ["orders"],
    options: ["customerValue"],
  },
  {
    id: "attribution",
    title: "Attribution",
    tabs: ["attribution"],
    summary: "Conversions and value credited to channels by seven models side by side, from a touchpoint log; ROCI per channel when a spend table is there.",
    tables: ["touchpoints", "spend"],
    required: ["touchpoints"],
    options: ["attribution"],
  },
  {
    id: "campaign-kpis",
    title: "Campaign KPIs",
    tabs: ["campaign-kpis"],
    summary: "Open, click, bounce, unsubscribe and conversion rates per campaign, from a campaign results table.",
    tables: ["campaigns"],
    required: ["campaigns"],
    options: [],
  },
  {
    id: "budget",
    title: "Budget",
    tabs: ["budget"],
    summary: "A budget worked back from your revenue target, allocated on response curves, with CAC and payback checks, from orders (and spend and touchpoints when there).",
    tables: ["orders", "spend", "touchpoints"],
    required: ["orders"],
    options: ["customerValue", "budget"],
  },
];

export function wizardById(id: WizardId): WizardDefinition {
  const wizard = WIZARDS.find((candidate) => candidate.id === id);
  if (wizard === undefined) throw new Error(`No wizard "${id}"`);
  return wizard;
}
