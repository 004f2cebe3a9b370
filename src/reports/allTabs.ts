/**
 * Every generated tab from one business's data, in workbook order: the Scorecard first, then
 * Segmentation, Customer Value, Cohorts, Leads, Journey, Attribution, Campaign KPIs, Experiments,
 * Budget. The tabs feed each other: the Segmentation tab shows the Customer Value tab's CLV per
 * segment, the Budget tab takes the CLV of a new customer and the channels' attributed value, and
 * the Scorecard (built last) refers by formula to the figures of the tabs built in the run. Used by
 * `imc demo` and `imc report`, and by the wizards.
 */

import { EngineError, isEngineError } from "../engine/errors";
import type { PeriodUnit } from "../engine/clv/summary";
import type { MaskMode } from "../engine/privacy/mask";
import { buildAttributionTab, type AttributionReport } from "./attribution";
import { buildBudgetTab } from "./budget";
import { budgetInputsFromData } from "./budgetInputs";
import { buildCampaignKpisTab } from "./campaignKpis";
import { buildCohortsTab } from "./cohorts";
import { buildCustomerValueTab, type CustomerValueOptions, type CustomerValueReport } from "./customerValue";
import type { BusinessData } from "./detect";
import { buildExperimentsTab } from "./experiments";
import { buildJourneyTab } from "./journey";
import { buildLeadsTab } from "./leads";
import { EXCEL_MAX_ROWS, shortenToFit, tooLongReason } from "./rowLimit";
import { buildScorecardTab } from "./scorecard";
import { buildSegmentationTab, type SegmentationReport } from "./segmentation";
import type { ReportContext, ReportSheet } from "./sheet";
import type { Figure, TabBuilder, TabOptions } from "./tabBuild";
import { TAB_IDS, TAB_TITLES, type TabId } from "./tabIds";
import { summarisedOf } from "./summarisedOrders";

export { TAB_IDS, TAB_TITLES, type TabId } from "./tabIds";

/** The tables of BusinessData (not its row numbers nor its currency). */
type Table = Exclude<keyof BusinessData, "rowNumbers" | "currency">;

/** What each tab needs from the data (any one of `tables`), for messages. */
const NEEDS: Readonly<Record<TabId, { readonly tables: readonly Table[]; readonly what: string }>> = {
  scorecard: { tables: ["orders", "touchpoints"], what: "orders (customer id, order date, order value) or a touchpoint log" },
  segmentation: { tables: ["orders"], what: "orders (customer id, order date, order value)" },
  "customer-value": { tables: ["orders"], what: "orders (customer id, order date, order value)" },
  cohorts: { tables: ["orders"], what: "orders (customer id, order date, order value)" },
  leads: { tables: ["leads"], what: "a lead table (lead id and profile columns such as company size or industry)" },
  journey: { tables: ["touchpoints"], what: "a touchpoint log (customer id, timestamp, channel, conversion)" },
  attribution: { tables: ["touchpoints"], what: "a touchpoint log (customer id, timestamp, channel, conversion)" },
  "campaign-kpis": { tables: ["campaigns"], what: "a campaign table (campaign name and KPI columns)" },
  experiments: { tables: ["experiments"], what: "a holdout experiment table (customer id and test or control group)" },
  budget: { tables: ["orders"], what: "orders (customer id, order date, order value)" },
};

/** The tables each tab reads, whose reading notes (rows left out) go into its provenance. */
const READS: Readonly<Record<TabId, readonly Table[]>> = {
  scorecard: ["orders", "survey", "referrals"],
  segmentation: ["orders", "customers"],
  "customer-value": ["orders"],
  cohorts: ["orders"],
  leads: ["leads", "leadEvents"],
  journey: ["touchpoints", "stages"],
  attribution: ["touchpoints", "spend"],
  "campaign-kpis": ["campaigns"],
  experiments: ["experiments", "orders", "campaigns"],
  budget: ["orders", "spend"],
};

/** True when the data has one of the tables a tab needs. */
function hasInput(data: BusinessData, tab: TabId): boolean {
  return NEEDS[tab].tables.some((table) => (data[table] ?? null) !== null);
}

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
  /**
   * The most rows a tab may take; default and most: Excel's last row (1,048,576). A tab that would
   * pass it (2 million customers in the Segmentation tab's per-customer table) is never cut as it
   * stands, since its summaries are formulas over that table: the Segmentation and Customer Value
   * tabs are shortened (summaries as values, the first customers listed), any other is left out with
   * the reason. Less only to keep a workbook small, or in tests.
   */
  readonly maxRows?: number;
  /**
   * How the surface offers the rows of a tab too long for a sheet (the runner: "for each customer's
   * CLV use imc clv --from FILES --out clv.parquet"), added to the reason it was not built; null: nothing.
   */
  readonly tooLongAdvice?: (tab: TabId) => string | null;
}

/** A tab that was not built, and why, in plain words. */
export interface SkippedTab {
  readonly tab: TabId;
  /** The tab's title ("Customer Value"). */
  readonly title: string;
  /** Why, as a sentence fragment after "the Budget tab was not built: " ("there is no marketing spend table, …"). */
  readonly reason: string;
}

/** A tab written shortened to fit a sheet (its per-row table lists only the first rows), and what it says about it. */
export interface ShortenedTab {
  readonly tab: TabId;
  readonly title: string;
  /** The line above the shortened table, then the surface's advice ("For each customer's CLV use …"). */
  readonly note: string;
}

export interface AllTabsResult {
  /** The tabs, in workbook order. */
  readonly sheets: readonly ReportSheet[];
  /** Tabs not built: their data is missing, too thin, a model could not be fitted, or the tab does not fit in a sheet. */
  readonly skipped: readonly SkippedTab[];
  /** Tabs written shortened to fit in a sheet (none or omitted: every tab is whole). */
  readonly shortened?: readonly ShortenedTab[];
  /** The headline numbers each tab built publishes (the Scorecard reads them), by tab. */
  readonly figures: ReadonlyMap<TabId, readonly Figure[]>;
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
 * reason in plain words, and the others are built. A tab that would pass the sheet's last row
 * (`options.maxRows`, Excel's 1,048,576 by default) is never cut as it stands, since its summaries
 * are formulas over its per-row tables: the Segmentation and Customer Value tabs are shortened
 * (src/reports/rowLimit.ts, shortenToFit: summaries as values over every customer, the first
 * customers listed, a red line saying so; in `shortened`), any other is skipped whole with the count
 * that does not fit; either way its results (CLV and segment per customer) still feed the other
 * tabs. Dependencies degrade: without a fitted purchase
 * model the Segmentation tab has no CLV column and the Budget tab no CLV : CAC check. The Scorecard
 * is built last, from the figures of the tabs built in the run (never a tab that is not written),
 * and lists the tabs not built in its provenance; without a Scorecard the first tab built lists them.
 *
 * @param data the business's tables (any may be null).
 * @param options tabs and analysis options.
 * @param context generation time.
 * @param progress called before each step with a short message (for the runner's stderr).
 * @returns the sheets in workbook order, each carrying its TabId (`sheet.tab`) for cross-tab references.
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
    if (!wanted.has(tab) || hasInput(data, tab)) continue;
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
  const maxRows = Math.min(options.maxRows ?? EXCEL_MAX_ROWS, EXCEL_MAX_ROWS);
  const shortened = new Map<TabId, ShortenedTab>();
  /**
   * A built tab as it can be written: whole when it fits in a sheet, else shortened (summaries as
   * values over every row, the first rows of its per-row table), else the reason with the surface's advice.
   */
  const fitted = (tab: TabId, sheet: ReportSheet): { sheet: ReportSheet; shortened: ShortenedTab | null } | { reason: string } => {
    const reason = tooLongReason({ ...sheet, tab }, maxRows);
    if (reason === null) return { sheet, shortened: null };
    const advice = options.tooLongAdvice?.(tab) ?? null;
    const short = shortenToFit({ ...sheet, tab }, maxRows);
    if (short !== null) {
      const note = advice === null ? short.note : `${short.note} ${advice.charAt(0).toUpperCase()}${advice.slice(1)}.`;
      return { sheet: short.sheet, shortened: { tab, title: TAB_TITLES[tab], note } };
    }
    return { reason: advice === null ? reason : `${reason}; ${advice}` };
  };
  const sheets = new Map<TabId, ReportSheet>();
  const figures = new Map<TabId, readonly Figure[]>();
  /** Builds a tab again with other notes in its provenance (the first tab, when there is no Scorecard). */
  const rebuilders = new Map<TabId, (context: ReportContext) => ReportSheet>();
  /** Keeps a built tab, shortened when it does not fit in a sheet, or skips it when it cannot be (its results still feed the other tabs). */
  const keep = (tab: TabId, built: ReportSheet, tabFigures: readonly Figure[], rebuild: (context: ReportContext) => ReportSheet): void => {
    const fit = fitted(tab, built);
    if ("reason" in fit) {
      skip(tab, fit.reason);
      return;
    }
    if (fit.shortened !== null) shortened.set(tab, fit.shortened);
    sheets.set(tab, { ...fit.sheet, tab });
    figures.set(tab, tabFigures);
    rebuilders.set(tab, rebuild);
  };
  let customerValue: CustomerValueReport | null = null;
  let modelFailure: string | null = null;
  // Customer value first: the Segmentation and Budget tabs use its CLV.
  if (data.orders && (wanted.has("customer-value") || wanted.has("segmentation") || wanted.has("budget"))) {
    progress("fitting the customer value model");
    const orders = data.orders;
    const build = (tabContext: ReportContext): CustomerValueReport =>
      buildCustomerValueTab(
        orders,
        { model: options.model, period: options.period, horizonPeriods: options.horizonPeriods, annualDiscountRate: options.annualDiscountRate, asOf, holdoutPeriods: options.holdoutPeriods ?? null },
        tabContext,
      );
    customerValue = attempt(
      "customer-value",
      () => build(contextOf("customer-value")),
      (error) => {
        modelFailure = reasonOf(error, options);
        if (wanted.has("customer-value")) skip("customer-value", modelFailure);
      },
    );
    if (customerValue && wanted.has("customer-value")) keep("customer-value", customerValue.sheet, customerValue.figures, (c) => build(c).sheet);
  }
  const tabOptions: TabOptions = { asOf, cac: options.cac ?? null };
  /** A tab of the newer kind (TabBuilder). */
  const buildNewer = (tab: TabId, builder: TabBuilder): void => {
    if (!wanted.has(tab)) return;
    progress(`building the ${TAB_TITLES[tab]} tab`);
    const built = attempt(tab, () => builder(data, tabOptions, contextOf(tab)));
    if (built) keep(tab, built.sheet, built.figures, (c) => builder(data, tabOptions, c).sheet);
  };
  buildNewer("cohorts", buildCohortsTab);
  buildNewer("leads", buildLeadsTab);
  buildNewer("journey", buildJourneyTab);
  let attribution: AttributionReport | null = null;
  if (data.touchpoints && (wanted.has("attribution") || wanted.has("budget"))) {
    progress("attributing conversions to channels");
    const touchpoints = data.touchpoints;
    const build = (tabContext: ReportContext): AttributionReport => buildAttributionTab(touchpoints, data.spend, { orders: data.orders }, tabContext);
    attribution = attempt("attribution", () => build(contextOf("attribution")), (error) => {
      if (wanted.has("attribution")) skip("attribution", reasonOf(error, options));
    });
    if (attribution && wanted.has("attribution")) keep("attribution", attribution.sheet, attribution.figures, (c) => build(c).sheet);
  }
  if (wanted.has("campaign-kpis") && data.campaigns) {
    progress("computing campaign KPIs");
    const campaigns = data.campaigns;
    const sheet = attempt("campaign-kpis", () => buildCampaignKpisTab(campaigns, {}, contextOf("campaign-kpis")));
    if (sheet) keep("campaign-kpis", sheet, sheet.figures, (c) => buildCampaignKpisTab(campaigns, {}, c));
  }
  buildNewer("experiments", buildExperimentsTab);
  if (wanted.has("budget") && data.orders) {
    progress("planning the budget");
    const orders = data.orders;
    const extra = modelFailure === null ? [] : [`No CLV : CAC check: no customer value model (${modelFailure}).`];
    const build = (tabContext: ReportContext) => {
      const input = budgetInputsFromData(
        { orders, spend: data.spend, attribution, newCustomerClv: customerValue?.newCustomerClv ?? null, asOf },
        { targetGrowth: options.targetGrowth, targetRevenue: options.targetRevenue ?? null, cac: options.cac ?? null, grossMarginRate: options.grossMarginRate ?? null },
      );
      return buildBudgetTab(input, { ...tabContext, notes: [...(tabContext.notes ?? []), ...extra] }, { liveAllocation: options.liveAllocation ?? false });
    };
    const sheet = attempt("budget", () => build(contextOf("budget")));
    if (sheet) keep("budget", sheet, sheet.figures, build);
  }
  // Segmentation also for the Scorecard alone: its NPS per RFM segment needs each customer's segment.
  let segmentation: SegmentationReport | null = null;
  const surveyById = wanted.has("scorecard") && (data.survey?.customerIds ?? null) !== null;
  if ((wanted.has("segmentation") || surveyById) && data.orders) {
    progress("segmenting customers (RFM, clusters, lifecycle)");
    const orders = data.orders;
    // Past the customer cap the model's CLV is summed in DuckDB, not held per customer.
    const notHeld = customerValue !== null && customerValue.clvByCustomer === null ? (summarisedOf(orders)?.customersLeftOut ?? "the CLV of each customer is not held in memory") : null;
    const extra =
      modelFailure !== null ? [`No CLV column: no customer value model (${modelFailure}).`] : notHeld !== null ? [`No CLV column: ${notHeld}; the Customer Value tab lists the customers of highest CLV.`] : [];
    const build = (tabContext: ReportContext): SegmentationReport =>
      buildSegmentationTab(
        orders,
        data.customers,
        { asOf, mask: options.mask ?? null, maskSalt: options.maskSalt ?? null, clvByCustomer: customerValue?.clvByCustomer ?? null },
        { ...tabContext, notes: [...(tabContext.notes ?? []), ...extra] },
      );
    segmentation = attempt("segmentation", () => build(contextOf("segmentation")), (error) => {
      if (wanted.has("segmentation")) skip("segmentation", reasonOf(error, options));
    });
    if (segmentation && wanted.has("segmentation")) keep("segmentation", segmentation.sheet, segmentation.figures, (c) => build(c).sheet);
  }
  let scorecardFigures: readonly Figure[] | null = null;
  // The Scorecard last: it reads the figures of the tabs built (only those), and lists the tabs not built.
  if (wanted.has("scorecard")) {
    progress("scoring the five IMC steps and the three C's");
    const notBuilt = (): SkippedTab[] => TAB_IDS.filter((tab) => skipped.has(tab)).map((tab) => skipped.get(tab)!);
    const built = attempt("scorecard", () =>
      buildScorecardTab(
        data,
        { asOf, figures, skipped: notBuilt(), segmentByCustomer: segmentation?.segmentByCustomer ?? null, modelFailure },
        contextOf("scorecard", skippedNotes(notBuilt())),
      ),
    );
    const fit = built === null ? null : fitted("scorecard", built.sheet);
    if (fit !== null && "reason" in fit) skip("scorecard", fit.reason);
    else if (built !== null && fit !== null) {
      sheets.set("scorecard", { ...fit.sheet, tab: "scorecard" });
      scorecardFigures = built.figures;
    }
  }
  const order = TAB_IDS.filter((tab) => sheets.has(tab));
  const skippedList = TAB_IDS.filter((tab) => skipped.has(tab)).map((tab) => skipped.get(tab)!);
  // Without a Scorecard, the first tab is built again with the list of the tabs not built.
  if (order.length > 0 && order[0] !== "scorecard" && skippedList.length > 0) {
    const first = order[0];
    const fit = fitted(first, rebuilders.get(first)!(contextOf(first, skippedNotes(skippedList))));
    // The notes lengthen the provenance: a tab that fitted only just keeps its first version.
    if (!("reason" in fit)) {
      sheets.set(first, { ...fit.sheet, tab: first });
      if (fit.shortened !== null) shortened.set(first, fit.shortened);
    }
  }
  const published = new Map<TabId, readonly Figure[]>(order.filter((tab) => figures.has(tab)).map((tab) => [tab, figures.get(tab)!]));
  if (scorecardFigures !== null) published.set("scorecard", scorecardFigures);
  return { sheets: order.map((tab) => sheets.get(tab)!), skipped: skippedList, shortened: order.filter((tab) => shortened.has(tab)).map((tab) => shortened.get(tab)!), figures: published };
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
