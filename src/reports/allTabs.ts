/**
 * Every generated tab from one business's data, in the order of the IMC steps: Segmentation,
 * Customer Value, Attribution, Campaign KPIs, Budget. The tabs feed each other: the Segmentation
 * tab shows the Customer Value tab's CLV per segment, and the Budget tab takes the CLV of a new
 * customer and the channels' attributed value. Used by `imc demo` and `imc report`, and meant for a
 * wizard that generates several tabs at once.
 */

import { EngineError, isEngineError } from "../engine/errors";
import type { PeriodUnit } from "../engine/clv/summary";
import type { MaskMode } from "../engine/privacy/mask";
import { buildAttributionTab, type AttributionReport } from "./attribution";
import { buildBudgetTab } from "./budget";
import { budgetInputsFromData } from "./budgetInputs";
import { buildCampaignKpisTab } from "./campaignKpis";
import { buildCustomerValueTab, type CustomerValueOptions, type CustomerValueReport } from "./customerValue";
import type { BusinessData } from "./detect";
import { buildSegmentationTab } from "./segmentation";
import type { ReportContext, ReportSheet } from "./sheet";
import { TAB_IDS, type TabId } from "./tabIds";

export { TAB_IDS, type TabId } from "./tabIds";

/** Tab titles as users see them (the builders' preferred tab names). */
export const TAB_TITLES: Readonly<Record<TabId, string>> = {
  segmentation: "Segmentation",
  "customer-value": "Customer Value",
  attribution: "Attribution",
  "campaign-kpis": "Campaign KPIs",
  budget: "Budget",
};

/** What each tab needs from the data, for messages. */
const NEEDS: Readonly<Record<TabId, { readonly table: keyof BusinessData; readonly what: string }>> = {
  segmentation: { table: "orders", what: "orders (customer id, order date, order value)" },
  "customer-value": { table: "orders", what: "orders (customer id, order date, order value)" },
  attribution: { table: "touchpoints", what: "a touchpoint log (customer id, timestamp, channel, conversion)" },
  "campaign-kpis": { table: "campaigns", what: "a campaign table (campaign name and KPI columns)" },
  budget: { table: "orders", what: "orders (customer id, order date, order value)" },
};

/** The tables each tab reads, whose reading notes (rows left out) go into its provenance. */
const READS: Readonly<Record<TabId, readonly Exclude<keyof BusinessData, "rowNumbers" | "currency">[]>> = {
  segmentation: ["orders", "customers"],
  "customer-value": ["orders"],
  attribution: ["touchpoints", "spend"],
  "campaign-kpis": ["campaigns"],
  budget: ["orders", "spend"],
};

export interface AllTabsOptions {
  /** Tabs to build; null or omitted: every tab the data allows (the others are reported as skipped). */
  readonly tabs?: readonly TabId[] | null;
  /** Excel serial of the analysis date; default: each tab's own default (the last order date). */
  readonly asOf?: number | null;
  /** Mask personal data in the Segmentation tab. */
  readonly mask?: MaskMode | null;
  readonly maskSalt?: string | null;
  /** Purchase model of the Customer Value tab; "auto" (the default) picks the best fit. */
  readonly model?: CustomerValueOptions["model"];
  readonly period?: PeriodUnit;
  readonly horizonPeriods?: number;
  readonly annualDiscountRate?: number;
  /** Hold out this many periods to compare the CLV model's predictions with what happened. */
  readonly holdoutPeriods?: number | null;
  /** Budget: revenue target as growth over the last 12 months (0.1 = +10 %). */
  readonly targetGrowth?: number;
  /** Budget: revenue target of the next 12 months (currency); replaces the growth target. */
  readonly targetRevenue?: number | null;
  /** Budget: cost of acquiring a customer (currency); needed when there is no spend table. */
  readonly cac?: number | null;
  /** Budget: gross margin as a share of revenue, for the payback check. */
  readonly grossMarginRate?: number | null;
  /**
   * The data's currency as the user gives it (a symbol or ISO code: "€", "CHF"); replaces what the
   * data says (BusinessData.currency). Null or omitted: the data's own, if it names one.
   */
  readonly currency?: string | null;
  /** How the user gave `currency`, for the provenance ("given with --currency"); default "given as an option". */
  readonly currencyGiven?: string;
  /**
   * How the surface asks for a missing assumption, by the engine argument it concerns ("cac"):
   * the runner names its option ("give it with --cac AMOUNT"), a wizard its field. Added to the
   * reason a tab was skipped.
   */
  readonly advise?: (argument: string) => string | null;
  /**
   * Budget: the target plan's optimal spends as live IMC.ALLOCATE formulas over the tab's inputs.
   * Only where the add-in's functions are present (the task pane's wizards); the runner's .xlsx
   * keeps the engine's snapshot (the default, false).
   */
  readonly liveAllocation?: boolean;
}

/** A tab that was not built, and why, in plain words. */
export interface SkippedTab {
  readonly tab: TabId;
  /** The tab's title ("Customer Value"). */
  readonly title: string;
  /** Why, as a sentence fragment after "the Budget tab was not built: " ("there is no marketing spend table, …"). */
  readonly reason: string;
}

export interface AllTabsResult {
  /** The tabs, in workbook order. */
  readonly sheets: readonly ReportSheet[];
  /** Tabs not built: their data is missing, too thin, or a model could not be fitted. */
  readonly skipped: readonly SkippedTab[];
}

/** Errors that mean "this tab cannot be made from this data", as opposed to a bad cell or option. */
function cannotBuild(error: unknown): error is EngineError {
  return isEngineError(error, "INSUFFICIENT_DATA") || isEngineError(error, "NOT_CONVERGED");
}

function reasonOf(error: EngineError, options: AllTabsOptions): string {
  const advice = error.argument === undefined ? null : (options.advise?.(error.argument) ?? null);
  // Engine messages start with the argument at fault ("customer_ids: only one customer…"): a code
  // word to a reader of the tab, so it is left out of the reason.
  let text = error.message.replace(/[.\s]+$/, "");
  const argument = error.argument ?? "";
  if (argument !== "" && text.startsWith(argument)) text = text.slice(argument.length).replace(/^(?: row \d+(?:, column \d+)?)?: /, "");
  else text = text.replace(/^[a-z]+(?:_[a-z]+)+(?: row \d+(?:, column \d+)?)?: /, "");
  return advice === null ? text : `${text}; ${advice}`;
}

/** The notes listing the tabs not built, one a tab, for the first tab's provenance. */
export function skippedNotes(skipped: readonly SkippedTab[]): string[] {
  return skipped.map((entry) => `Not built in this run: the ${entry.title} tab, because ${entry.reason}.`);
}

/**
 * Builds every tab the data allows, each on its own: a tab that cannot be made from the data (its
 * table is missing, the data is too thin, the purchase model cannot be fitted) is skipped with a
 * reason in plain words, and the others are built. Dependencies degrade: without a fitted purchase
 * model the Segmentation tab has no CLV column and the Budget tab no CLV : CAC check. The tabs not
 * built are listed in the first tab's provenance.
 *
 * @param data the business's tables (any may be null).
 * @param options tabs and analysis options.
 * @param context generation time.
 * @param progress called before each step with a short message (for the runner's stderr).
 * @throws EngineError INVALID_INPUT for bad cells (with argument and row) or options; for a tab asked
 *   for by name, whatever keeps it from being built.
 */
export function buildAllTabs(data: BusinessData, options: AllTabsOptions, runContext: ReportContext, progress: (message: string) => void = () => {}): AllTabsResult {
  const context = withCurrency(runContext, data, options);
  const named = options.tabs !== null && options.tabs !== undefined;
  const wanted = new Set<TabId>(options.tabs ?? TAB_IDS);
  const skipped = new Map<TabId, SkippedTab>();
  const skip = (tab: TabId, reason: string): void => {
    if (named && wanted.has(tab)) throw new EngineError("INVALID_INPUT", `The ${TAB_TITLES[tab]} tab cannot be built: ${reason}`, { argument: "tabs" });
    skipped.set(tab, { tab, title: TAB_TITLES[tab], reason });
  };
  for (const tab of TAB_IDS) {
    if (!wanted.has(tab) || data[NEEDS[tab].table] !== null) continue;
    if (named) throw new EngineError("INVALID_INPUT", `The ${TAB_TITLES[tab]} tab needs ${NEEDS[tab].what}, and none was found`, { argument: "tabs" });
    wanted.delete(tab);
    skipped.set(tab, { tab, title: TAB_TITLES[tab], reason: `it needs ${NEEDS[tab].what}, and none was found` });
  }
  const contextOf = (tab: TabId, extra: readonly string[] = []): ReportContext => {
    const notes = READS[tab].flatMap((table) => data[table]?.readingNotes ?? []);
    return { ...context, notes: [...(context.notes ?? []), ...notes, ...extra] };
  };
  /** Runs a step; a "cannot be made from this data" error skips the tab instead of failing the run. */
  const attempt = <T>(tab: TabId, step: () => T, onFailure?: (error: EngineError) => void): T | null => {
    try {
      return step();
    } catch (error) {
      if (!cannotBuild(error)) throw error;
      if (onFailure) onFailure(error);
      else skip(tab, reasonOf(error, options));
      return null;
    }
  };

  const asOf = options.asOf ?? null;
  const sheets = new Map<TabId, ReportSheet>();
  let customerValue: CustomerValueReport | null = null;
  let modelFailure: string | null = null;
  // Customer value first: the Segmentation and Budget tabs use its CLV.
  if (data.orders && (wanted.has("customer-value") || wanted.has("segmentation") || wanted.has("budget"))) {
    progress("fitting the customer value model");
    const orders = data.orders;
    customerValue = attempt(
      "customer-value",
      () =>
        buildCustomerValueTab(
          orders,
          {
            model: options.model,
            period: options.period,
            horizonPeriods: options.horizonPeriods,
            annualDiscountRate: options.annualDiscountRate,
            asOf,
            holdoutPeriods: options.holdoutPeriods ?? null,
          },
          contextOf("customer-value"),
        ),
      (error) => {
        modelFailure = reasonOf(error, options);
        if (wanted.has("customer-value")) skip("customer-value", modelFailure);
      },
    );
    if (customerValue && wanted.has("customer-value")) sheets.set("customer-value", customerValue.sheet);
  }
  let attribution: AttributionReport | null = null;
  if (data.touchpoints && (wanted.has("attribution") || wanted.has("budget"))) {
    progress("attributing conversions to channels");
    const touchpoints = data.touchpoints;
    attribution = attempt("attribution", () => buildAttributionTab(touchpoints, data.spend, { orders: data.orders }, contextOf("attribution")), (error) => {
      if (wanted.has("attribution")) skip("attribution", reasonOf(error, options));
    });
    if (attribution && wanted.has("attribution")) sheets.set("attribution", attribution.sheet);
  }
  if (wanted.has("campaign-kpis") && data.campaigns) {
    progress("computing campaign KPIs");
    const campaigns = data.campaigns;
    const sheet = attempt("campaign-kpis", () => buildCampaignKpisTab(campaigns, {}, contextOf("campaign-kpis")));
    if (sheet) sheets.set("campaign-kpis", sheet);
  }
  if (wanted.has("budget") && data.orders) {
    progress("planning the budget");
    const orders = data.orders;
    const sheet = attempt("budget", () => {
      const input = budgetInputsFromData(
        { orders, spend: data.spend, attribution, newCustomerClv: customerValue?.newCustomerClv ?? null, asOf },
        { targetGrowth: options.targetGrowth, targetRevenue: options.targetRevenue ?? null, cac: options.cac ?? null, grossMarginRate: options.grossMarginRate ?? null },
      );
      const extra = modelFailure === null ? [] : [`No CLV : CAC check: the purchase model could not be fitted (${modelFailure}).`];
      return buildBudgetTab(input, contextOf("budget", extra), { liveAllocation: options.liveAllocation ?? false });
    });
    if (sheet) sheets.set("budget", sheet);
  }
  // Segmentation last, although it is the first tab: its provenance lists the tabs not built.
  if (wanted.has("segmentation") && data.orders) {
    progress("segmenting customers (RFM, clusters, lifecycle)");
    const orders = data.orders;
    const extra: string[] = [];
    if (modelFailure !== null) extra.push(`No CLV column: the purchase model could not be fitted (${modelFailure}).`);
    extra.push(...skippedNotes(TAB_IDS.filter((tab) => skipped.has(tab)).map((tab) => skipped.get(tab)!)));
    const segmentation = attempt("segmentation", () =>
      buildSegmentationTab(
        orders,
        data.customers,
        { asOf, mask: options.mask ?? null, maskSalt: options.maskSalt ?? null, clvByCustomer: customerValue?.clvByCustomer ?? null },
        contextOf("segmentation", extra),
      ),
    );
    if (segmentation) sheets.set("segmentation", segmentation.sheet);
  }
  const order = TAB_IDS.filter((tab) => sheets.has(tab));
  const skippedList = TAB_IDS.filter((tab) => skipped.has(tab)).map((tab) => skipped.get(tab)!);
  // When the Segmentation tab was not built, the first tab is built again with the list of the others.
  if (order.length > 0 && order[0] !== "segmentation" && skippedList.length > 0) {
    const first = order[0];
    const rebuilt = rebuild(first, data, options, contextOf(first, skippedNotes(skippedList)), attribution);
    if (rebuilt !== null) sheets.set(first, rebuilt);
  }
  return { sheets: order.map((tab) => sheets.get(tab)!), skipped: skippedList };
}

/**
 * The run's context with the data's currency: the option's, else the one the data names, else none
 * (the tabs then say "amounts in the data's currency"); every tab's provenance says where it came from.
 */
export function withCurrency(context: ReportContext, data: Pick<BusinessData, "currency">, options: Pick<AllTabsOptions, "currency" | "currencyGiven">): ReportContext {
  const given = options.currency?.trim();
  if (given !== undefined && given !== "") {
    return { ...context, currency: given, notes: [...(context.notes ?? []), `Currency: ${given} (${options.currencyGiven ?? "given as an option"}).`] };
  }
  const found = data.currency;
  if (found === undefined) return context;
  return { ...context, currency: found.currency, notes: [...(context.notes ?? []), `Currency: ${found.currency} (from ${found.from}).`] };
}

/** Builds a tab again with other notes (only when the first tab is not Segmentation and some tab was skipped). */
function rebuild(
  tab: TabId,
  data: BusinessData,
  options: AllTabsOptions,
  context: ReportContext,
  attribution: AttributionReport | null,
): ReportSheet | null {
  const asOf = options.asOf ?? null;
  switch (tab) {
    case "customer-value":
      return buildCustomerValueTab(
        data.orders!,
        { model: options.model, period: options.period, horizonPeriods: options.horizonPeriods, annualDiscountRate: options.annualDiscountRate, asOf, holdoutPeriods: options.holdoutPeriods ?? null },
        context,
      ).sheet;
    case "attribution":
      return attribution === null ? null : buildAttributionTab(data.touchpoints!, data.spend, { orders: data.orders }, context).sheet;
    case "campaign-kpis":
      return buildCampaignKpisTab(data.campaigns!, {}, context);
    default:
      return null;
  }
}
