/**
 * Every generated tab from one business's data, in the order of the IMC steps: Segmentation,
 * Customer Value, Attribution, Campaign KPIs, Budget. The tabs feed each other: the Segmentation
 * tab shows the Customer Value tab's CLV per segment, and the Budget tab takes the CLV of a new
 * customer and the channels' attributed value. Used by `imc demo` and `imc report`, and meant for a
 * wizard that generates several tabs at once.
 */

import { EngineError } from "../engine/errors";
import type { CountingModelName } from "../engine/clv/countingModels";
import type { PeriodUnit } from "../engine/clv/summary";
import type { MaskMode } from "../engine/privacy/mask";
import { buildAttributionTab, type AttributionReport } from "./attribution";
import { buildBudgetTab } from "./budget";
import { budgetInputsFromData } from "./budgetInputs";
import { buildCampaignKpisTab } from "./campaignKpis";
import { buildCustomerValueTab, type CustomerValueReport } from "./customerValue";
import type { BusinessData } from "./detect";
import { buildSegmentationTab } from "./segmentation";
import type { ReportContext, ReportSheet } from "./sheet";
import { TAB_IDS, type TabId } from "./tabIds";

export { TAB_IDS, type TabId } from "./tabIds";

/** What each tab needs from the data, for messages. */
const NEEDS: Readonly<Record<TabId, { readonly table: keyof BusinessData; readonly what: string }>> = {
  segmentation: { table: "orders", what: "orders (customer id, order date, order value)" },
  "customer-value": { table: "orders", what: "orders (customer id, order date, order value)" },
  attribution: { table: "touchpoints", what: "a touchpoint log (customer id, timestamp, channel, conversion)" },
  "campaign-kpis": { table: "campaigns", what: "a campaign table (campaign name and KPI columns)" },
  budget: { table: "orders", what: "orders (customer id, order date, order value)" },
};

export interface AllTabsOptions {
  /** Tabs to build; null or omitted: every tab the data allows (the others are reported as skipped). */
  readonly tabs?: readonly TabId[] | null;
  /** Excel serial of the analysis date; default: each tab's own default (the last order date). */
  readonly asOf?: number | null;
  /** Mask personal data in the Segmentation tab. */
  readonly mask?: MaskMode | null;
  readonly maskSalt?: string | null;
  readonly model?: CountingModelName;
  readonly period?: PeriodUnit;
  readonly horizonPeriods?: number;
  readonly annualDiscountRate?: number;
  /** Hold out this many periods to compare the CLV model's predictions with what happened. */
  readonly holdoutPeriods?: number | null;
  /** Budget: revenue target as growth over the last 12 months (0.1 = +10 %). */
  readonly targetGrowth?: number;
}

export interface AllTabsResult {
  /** The tabs, in workbook order. */
  readonly sheets: readonly ReportSheet[];
  /** Tabs not built because their data is missing. */
  readonly skipped: readonly { readonly tab: TabId; readonly reason: string }[];
}

/**
 * Builds the tabs.
 *
 * @param data the business's tables (any may be null).
 * @param options tabs and analysis options.
 * @param context generation time.
 * @param progress called before each step with a short message (for the runner's stderr).
 * @throws EngineError INVALID_INPUT when a tab asked for by name lacks its data, and whatever the
 *   builders throw for bad cells (with argument and row).
 */
export function buildAllTabs(data: BusinessData, options: AllTabsOptions, context: ReportContext, progress: (message: string) => void = () => {}): AllTabsResult {
  const wanted = new Set<TabId>(options.tabs ?? TAB_IDS);
  const skipped: { tab: TabId; reason: string }[] = [];
  for (const tab of TAB_IDS) {
    if (!wanted.has(tab) || data[NEEDS[tab].table] !== null) continue;
    if (options.tabs) throw new EngineError("INVALID_INPUT", `The ${tab} tab needs ${NEEDS[tab].what}, and none was found`, { argument: "tabs" });
    wanted.delete(tab);
    skipped.push({ tab, reason: `needs ${NEEDS[tab].what}; none was found` });
  }

  const asOf = options.asOf ?? null;
  let customerValue: CustomerValueReport | null = null;
  // Customer value first: the Segmentation and Budget tabs use its CLV.
  if (data.orders && (wanted.has("customer-value") || wanted.has("segmentation") || wanted.has("budget"))) {
    progress("fitting the customer value model");
    customerValue = buildCustomerValueTab(
      data.orders,
      {
        model: options.model,
        period: options.period,
        horizonPeriods: options.horizonPeriods,
        annualDiscountRate: options.annualDiscountRate,
        asOf,
        holdoutPeriods: options.holdoutPeriods ?? null,
      },
      context,
    );
  }

  const sheets = new Map<TabId, ReportSheet>();
  if (wanted.has("customer-value") && customerValue) sheets.set("customer-value", customerValue.sheet);
  if (wanted.has("segmentation") && data.orders) {
    progress("segmenting customers (RFM, clusters, lifecycle)");
    const segmentation = buildSegmentationTab(
      data.orders,
      data.customers,
      { asOf, mask: options.mask ?? null, maskSalt: options.maskSalt ?? null, clvByCustomer: customerValue?.clvByCustomer ?? null },
      context,
    );
    sheets.set("segmentation", segmentation.sheet);
  }
  let attribution: AttributionReport | null = null;
  if (data.touchpoints && (wanted.has("attribution") || wanted.has("budget"))) {
    progress("attributing conversions to channels");
    attribution = buildAttributionTab(data.touchpoints, data.spend, {}, context);
    if (wanted.has("attribution")) sheets.set("attribution", attribution.sheet);
  }
  if (wanted.has("campaign-kpis") && data.campaigns) {
    progress("computing campaign KPIs");
    sheets.set("campaign-kpis", buildCampaignKpisTab(data.campaigns, {}, context));
  }
  if (wanted.has("budget") && data.orders) {
    progress("planning the budget");
    const input = budgetInputsFromData(
      { orders: data.orders, spend: data.spend, attribution, newCustomerClv: customerValue?.newCustomerClv ?? null, asOf },
      { targetGrowth: options.targetGrowth },
    );
    sheets.set("budget", buildBudgetTab(input, context));
  }
  return { sheets: TAB_IDS.filter((tab) => sheets.has(tab)).map((tab) => sheets.get(tab)!), skipped };
}
