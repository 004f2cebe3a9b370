/**
 * The Budget tab's inputs derived from data, every derivation plain and stated in the tab.
 *
 * With as_of the last order date (or the date given) and two 365-day windows before it, "this
 * year" (as_of − 365, as_of] and "last year" (as_of − 730, as_of − 365], whole days:
 * - target revenue = net revenue this year (orders minus refunds) × (1 + target growth);
 * - customers at start = customers who bought (an order above 0) last year;
 * - retention rate = the share of them who bought again this year;
 * - revenue per retained customer = their net revenue this year ÷ their number;
 * - first-period revenue per new customer = net revenue this year of the customers whose first
 *   purchase was this year ÷ their number;
 * - CAC = spend this year (spend rows whose period starts in the window) ÷ new customers this year;
 * - CLV of a new customer: from the Customer Value tab;
 * - margin per customer per period = revenue per retained customer × gross margin rate (only when a
 *   gross margin rate is given: orders carry revenue, not margin);
 * - channel response curves: a Hill curve per paid channel through its current monthly spend c and
 *   the response y it buys now, y = c × (value credited to the channel by the chosen attribution
 *   model ÷ the channel's spend in the Attribution tab), with the ASSUMPTION that c already buys a
 *   share s of the ceiling (default 50%) and shape α (default 1): ceiling β = y / s, half-saturation
 *   γ = c / (s / (1 − s))^(1/α). The user should replace it with curves from experiments.
 */

import { ATTRIBUTION_MODELS, type AttributionModel } from "../engine/attribution";
import { budgetFromTheEnd, type AllocationUnit, type BudgetFromTheEndInput } from "../engine/budget";
import { formatSerial } from "../engine/data";
import { transactionsOf } from "./format";
import { EngineError, invalidArgument } from "../engine/errors";
import { channelKey, readSpend, type AttributionReport } from "./attribution";
import type { BudgetTabInput } from "./budget";
import type { OrdersInput, SpendInput } from "./inputs";
import { summarisedOf } from "./summarisedOrders";
import { summarisedPart, type ComputedFor } from "./summarisedPart";

export interface BudgetEvidence {
  readonly orders: OrdersInput;
  readonly spend: SpendInput | null;
  /** Credited value per channel (for channel response curves). */
  readonly attribution: AttributionReport | null;
  /** CLV of a new customer, from the Customer Value tab. */
  readonly newCustomerClv: number | null;
  /** As-of date (Excel serial); the last order date when omitted. */
  readonly asOf?: number | null;
}

export interface BudgetAssumptions {
  /** Growth wanted: target revenue = last 12 months × (1 + growth); default 0.10. */
  readonly targetGrowth?: number;
  /** Revenue target for the next 12 months (currency); when given it replaces the growth target. */
  readonly targetRevenue?: number | null;
  /** Safety margin added to the budget (share, ≥ 0); default 0.10. */
  readonly buffer?: number;
  /** Share of a channel's ceiling its current spend is assumed to buy, in (0, 1); default 0.5. */
  readonly saturationAtCurrentSpend?: number;
  /** Longest acceptable payback, in periods of 12 months; default 1 (used only with a gross margin rate). */
  readonly targetPaybackPeriods?: number;
  /** Gross margin as a share of revenue, for the margin per customer and the payback check; none when omitted. */
  readonly grossMarginRate?: number | null;
  /** Threshold of the CLV:CAC check; default 3. */
  readonly minimumClvToCac?: number;
  /** Cost of acquiring a customer (currency per new customer); when given it replaces spend ÷ new customers. */
  readonly cac?: number | null;
  /** Attribution model whose credited value feeds the channel curves; default "linear". */
  readonly attributionModel?: AttributionModel;
  /** Shape α of the channel curves; default 1 (diminishing returns from the first unit). */
  readonly curveShape?: number;
  /** Budget to allocate across channels: the plan's budget ÷ 12 per month (default) or the current total monthly spend. */
  readonly allocationBudget?: "plan" | "current";
}

const WINDOW_DAYS = 365;
/** Gross margin rate the profit plan assumes when none is given (orders carry revenue, not margin). */
const DEFAULT_PROFIT_PLAN_MARGIN = 0.5;

function money(x: number): string {
  return Math.round(x).toLocaleString("en-US");
}

function amount(x: number): string {
  return x.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function checkAssumption(value: number, argument: string, ok: (x: number) => boolean, wanted: string): number {
  if (!Number.isFinite(value) || !ok(value)) throw invalidArgument(argument, `must be ${wanted}, got ${value}`);
  return value;
}

/**
 * Derives the Budget tab's inputs from orders, spend, the Attribution tab and the CLV of a new customer.
 *
 * @param evidence orders (required), spend, attribution report and CLV (each may be null), as-of date.
 * @param assumptions growth target, buffer, curve saturation and shape, payback target, gross margin
 *   rate, CLV:CAC threshold, fallback CAC, attribution model, allocation budget basis; see
 *   {@link BudgetAssumptions} for the defaults.
 * @returns the plan's inputs, the channel allocation (null without spend and attribution, or when no
 *   channel has both), sources and one note per derivation and assumption.
 * @throws EngineError INVALID_INPUT for bad order or spend cells (argument and row named) or an
 *   assumption out of range (named); INSUFFICIENT_DATA when no order falls in the 12 months before
 *   as_of, no customer was acquired in them, new customers bring no revenue, or there is neither
 *   spend in the window nor a CAC assumption.
 */
export function budgetInputsFromData(evidence: BudgetEvidence, assumptions: BudgetAssumptions): BudgetTabInput {
  const settings = checkedAssumptions(assumptions);
  const facts = budgetOrderFacts(evidence.orders, evidence.asOf ?? null);
  const window = analysisWindow(evidence.asOf ?? null, facts.lastOrderDay);
  const notes: string[] = [];
  const sources = [evidence.orders.source];
  const year = yearOf(facts.year, window);
  const targetRevenue = revenueTarget(year, window, settings, notes);
  const spend = spendOfTheYear(evidence.spend, window, notes);
  if (evidence.spend !== null) sources.push(evidence.spend.source);
  const cac = costPerNewCustomer(settings, spend, year.newCustomers, window, evidence.spend === null, notes);
  notes.push(`Buffer = ${percent(settings.buffer)}, an assumption (a safety margin on the budget).`);
  const clv = newCustomerValue(evidence.newCustomerClv, settings, sources, notes);
  const margin = marginPerCustomer(year.revenuePerCustomer, settings, notes);
  const plan: BudgetFromTheEndInput = {
    targetRevenue,
    customersAtStart: year.customersAtStart,
    retentionRate: year.retentionRate,
    revenuePerCustomer: year.revenuePerCustomer,
    firstPeriodRevenuePerNewCustomer: year.firstPeriodRevenue,
    cac,
    buffer: settings.buffer,
    clv,
    marginPerCustomerPerPeriod: margin,
    targetPaybackPeriods: margin === null ? null : settings.targetPayback,
    minimumClvToCac: settings.minimumClvToCac,
  };
  const channels = channelAllocation(evidence.attribution, spend, plan, settings, sources, notes);
  return {
    plan,
    allocation: channels?.allocation ?? null,
    sources,
    notes,
    periodLabel: "12 months",
    allocationBasis: channels?.basis,
    allocationPeriodLabel: "month",
    spendLastYear: spend === null ? null : spend.paid,
  };
}

/** The assumptions with their defaults, each checked (named in the error when out of range). */
interface Settings {
  readonly growth: number;
  readonly buffer: number;
  readonly saturation: number;
  readonly shape: number;
  readonly targetPayback: number;
  readonly grossMargin: number | null;
  readonly minimumClvToCac: number;
  readonly model: AttributionModel;
  readonly targetRevenue: number | null;
  readonly cac: number | null;
  readonly allocationBudget: "plan" | "current";
}

function checkedAssumptions(assumptions: BudgetAssumptions): Settings {
  const grossMargin = assumptions.grossMarginRate ?? null;
  if (grossMargin !== null) checkAssumption(grossMargin, "grossMarginRate", (x) => x > 0 && x <= 1, "a share above 0 and at most 1");
  const model = assumptions.attributionModel ?? "linear";
  if (!(ATTRIBUTION_MODELS as readonly string[]).includes(model)) throw invalidArgument("attributionModel", `must be one of ${ATTRIBUTION_MODELS.join(", ")}, got ${String(model)}`);
  const targetRevenue = assumptions.targetRevenue ?? null;
  if (targetRevenue !== null) checkAssumption(targetRevenue, "targetRevenue", (x) => x > 0, "a revenue above 0");
  const cac = assumptions.cac ?? null;
  if (cac !== null) checkAssumption(cac, "cac", (x) => x > 0, "a cost per new customer above 0");
  return {
    growth: checkAssumption(assumptions.targetGrowth ?? 0.1, "targetGrowth", (x) => x > -1, "a growth rate above −1 (0.10 for +10%)"),
    buffer: checkAssumption(assumptions.buffer ?? 0.1, "buffer", (x) => x >= 0, "a share of at least 0 (0.10 for +10%)"),
    saturation: checkAssumption(assumptions.saturationAtCurrentSpend ?? 0.5, "saturationAtCurrentSpend", (x) => x > 0 && x < 1, "a share strictly between 0 and 1"),
    shape: checkAssumption(assumptions.curveShape ?? 1, "curveShape", (x) => x > 0 && x <= 50, "a number above 0 and at most 50"),
    targetPayback: checkAssumption(assumptions.targetPaybackPeriods ?? 1, "targetPaybackPeriods", (x) => x > 0, "a number of periods above 0"),
    grossMargin,
    minimumClvToCac: checkAssumption(assumptions.minimumClvToCac ?? 3, "minimumClvToCac", (x) => x > 0, "a number above 0"),
    model,
    targetRevenue,
    cac,
    allocationBudget: assumptions.allocationBudget ?? "plan",
  };
}

/** "This year" (start, asOf] and "last year" (previousStart, start], whole days (Excel serials). */
interface Window {
  readonly asOf: number;
  readonly start: number;
  readonly previousStart: number;
  /** Whether as_of is the last order date (not given). */
  readonly asOfIsLastOrder: boolean;
  /** "yyyy-mm-dd to yyyy-mm-dd". */
  readonly text: string;
}

/** The window of an as-of option (null: the last order day). */
function analysisWindow(asOfOption: number | null, lastOrder: number): Window {
  const asOf = asOfOption ?? lastOrder;
  if (!Number.isFinite(asOf)) throw invalidArgument("as_of", `must be a date, got ${asOf}`);
  const start = asOf - WINDOW_DAYS;
  return { asOf, start, previousStart: asOf - 2 * WINDOW_DAYS, asOfIsLastOrder: asOfOption == null, text: `${formatSerial(start + 1)} to ${formatSerial(asOf)}` };
}

/**
 * What the Budget tab reads of the orders (rows → facts), for one as-of option: the last order day
 * and the counts and sums of "this year" and "last year" (see the module comment for the windows).
 */
export interface BudgetOrderFacts {
  readonly computedFor: ComputedFor;
  /** The last order day of all rows (integer serial; −Infinity without rows): the as-of day when none is given. */
  readonly lastOrderDay: number;
  readonly year: YearCounts;
}

/** The orders of this year and last year, counted for the window of the as-of day. */
export interface YearCounts {
  /** Net revenue this year, its order rows, and those of them with a value ≤ 0 (refunds, zero values). */
  readonly revenue: number;
  readonly orders: number;
  readonly refunds: number;
  /** Order rows dated after the as-of day. */
  readonly afterAsOf: number;
  /** Customers who bought (an order above 0) last year; those of them who bought again this year, and their net revenue this year. */
  readonly customersAtStart: number;
  readonly retained: number;
  readonly retainedRevenue: number;
  /** Customers whose first purchase (an order above 0) was this year, and their net revenue this year. */
  readonly newCustomers: number;
  readonly newRevenue: number;
}

/**
 * The Budget tab's order facts: from the summaries when the orders are summarised out of core, else
 * from the rows.
 *
 * @param orders the orders.
 * @param asOf the as-of option (Excel serial), or null for the last order date.
 * @returns the facts.
 * @throws EngineError INVALID_INPUT for bad order cells (argument and row named) or an as-of that is
 *   not a date; Error when the summaries lack them or were made for another as-of date (a bug).
 */
export function budgetOrderFacts(orders: OrdersInput, asOf: number | null): BudgetOrderFacts {
  const summarised = summarisedOf(orders);
  if (summarised !== null) return summarisedPart(summarised.budgetYear, "the Budget tab's order facts", asOf);
  const tx = transactionsOf(orders);
  let lastOrderDay = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < tx.rowCount; i++) lastOrderDay = Math.max(lastOrderDay, Math.floor(tx.orderDates[i]));
  const window = analysisWindow(asOf, lastOrderDay);
  return { computedFor: { asOf }, lastOrderDay, year: yearCountsOf(orders, window) };
}

/** What the orders say about this year: the counts, with the retention rate and the retained and new customers' revenue per customer derived from them. */
interface Year extends Omit<YearCounts, "retainedRevenue" | "newRevenue"> {
  readonly retentionRate: number;
  readonly revenuePerCustomer: number;
  readonly firstPeriodRevenue: number;
}

/** This year's counts from the order rows. */
function yearCountsOf(orders: OrdersInput, window: Window): YearCounts {
  const { asOf, start, previousStart } = window;
  const tx = transactionsOf(orders);
  const values = tx.orderValues!;
  const customerCount = tx.customerIds.length;
  const firstPurchase = new Float64Array(customerCount).fill(Number.POSITIVE_INFINITY);
  const boughtLastYear = new Uint8Array(customerCount);
  const boughtThisYear = new Uint8Array(customerCount);
  const revenueThisYear = new Float64Array(customerCount);
  let revenue = 0;
  let ordersThisYear = 0;
  let refunds = 0;
  let afterAsOf = 0;
  for (let i = 0; i < tx.rowCount; i++) {
    const day = Math.floor(tx.orderDates[i]);
    if (day > asOf) {
      afterAsOf++;
      continue;
    }
    const c = tx.customerIndex[i];
    const value = values[i];
    if (value > 0) firstPurchase[c] = Math.min(firstPurchase[c], day);
    if (day > start) {
      ordersThisYear++;
      revenue += value;
      revenueThisYear[c] += value;
      if (value > 0) boughtThisYear[c] = 1;
      else refunds++;
    } else if (day > previousStart && value > 0) {
      boughtLastYear[c] = 1;
    }
  }
  let customersAtStart = 0;
  let retained = 0;
  let retainedRevenue = 0;
  let newCustomers = 0;
  let newRevenue = 0;
  for (let c = 0; c < customerCount; c++) {
    if (boughtLastYear[c]) {
      customersAtStart++;
      if (boughtThisYear[c]) {
        retained++;
        retainedRevenue += revenueThisYear[c];
      }
    }
    if (firstPurchase[c] > start && firstPurchase[c] <= asOf) {
      newCustomers++;
      newRevenue += revenueThisYear[c];
    }
  }
  return { revenue, orders: ordersThisYear, refunds, afterAsOf, customersAtStart, retained, retainedRevenue, newCustomers, newRevenue };
}

/** This year's rates from its counts (facts → the plan's inputs), with the checks the plan needs. */
function yearOf(counts: YearCounts, window: Window): Year {
  const { asOf } = window;
  const { customersAtStart, retained, retainedRevenue, newCustomers, newRevenue } = counts;
  if (counts.orders === 0) {
    throw new EngineError("INSUFFICIENT_DATA", `there are no orders in the 12 months before the analysis date (${window.text}); the budget needs this year's revenue and customers`, { argument: "order_dates" });
  }
  if (newCustomers === 0) {
    throw new EngineError("INSUFFICIENT_DATA", `no customer made a first purchase in the 12 months before the analysis date (${formatSerial(asOf)}), so the budget for new customers cannot be planned`, {
      argument: "order_dates",
    });
  }
  const firstPeriodRevenue = newRevenue / newCustomers;
  if (!(firstPeriodRevenue > 0)) {
    throw new EngineError("INSUFFICIENT_DATA", `the ${money(newCustomers)} new customers of the last 12 months brought no net revenue (refunds are at least the orders)`, { argument: "order_values" });
  }
  return {
    revenue: counts.revenue,
    orders: counts.orders,
    refunds: counts.refunds,
    afterAsOf: counts.afterAsOf,
    customersAtStart,
    retained,
    retentionRate: customersAtStart === 0 ? 0 : retained / customersAtStart,
    revenuePerCustomer: retained === 0 ? 0 : retainedRevenue / retained,
    newCustomers,
    firstPeriodRevenue,
  };
}

/** The revenue target (given, or this year's net revenue grown), with the notes on this year's customers. */
function revenueTarget(year: Year, window: Window, settings: Settings, notes: string[]): number {
  const given = settings.targetRevenue;
  const thisYear = `${money(year.revenue)}, ${money(year.orders)} orders incl. ${money(year.refunds)} refunds or zero-value rows`;
  notes.push(
    `"This year" is ${window.text} (365 days up to the analysis date ${formatSerial(window.asOf)}${window.asOfIsLastOrder ? ", the last order date" : ""}); "last year" the 365 days before it. One period of the plan = 12 months.`,
    given !== null
      ? `Target revenue = ${money(given)}, given (net revenue this year: ${thisYear}).`
      : `Target revenue = net revenue this year (${thisYear}) × (1 + ${percent(settings.growth)} growth, an assumption).`,
    `Customers at start = ${money(year.customersAtStart)} customers who bought (an order above 0) last year; retention rate = ${money(year.retained)} of them bought again this year (${percent(year.retentionRate)}).`,
    `Revenue per retained customer = their net revenue this year ÷ ${money(year.retained)} = ${amount(year.revenuePerCustomer)}.`,
    `First-period revenue per new customer = net revenue this year of the ${money(year.newCustomers)} customers whose first purchase was this year ÷ ${money(year.newCustomers)} = ${amount(year.firstPeriodRevenue)} (customers won late in the year had less time to buy, so this is conservative).`,
  );
  if (year.afterAsOf > 0) notes.push(year.afterAsOf === 1 ? "1 order dated after the analysis date was left out." : `${money(year.afterAsOf)} orders dated after the analysis date were left out.`);
  if (year.customersAtStart === 0) notes.push("No customer bought last year: the base business is 0 and the whole target must come from new customers.");
  return given ?? Math.max(0, year.revenue * (1 + settings.growth));
}

/** This year's spend per channel (by channel key) and in all; null without a spend table. */
interface Spend {
  readonly byChannel: ReadonlyMap<string, { readonly name: string; readonly amount: number }>;
  readonly paid: number;
}

function spendOfTheYear(input: SpendInput | null, window: Window, notes: string[]): Spend | null {
  if (input === null) return null;
  const rows = readSpend(input);
  const byChannel = new Map<string, { name: string; amount: number }>();
  let paid = 0;
  const dated = rows.periods.some((p) => p !== null);
  let undated = 0;
  let outside = 0;
  for (let i = 0; i < rows.rowCount; i++) {
    const period = rows.periods[i];
    if (dated && period === null) {
      undated++;
      continue;
    }
    if (period !== null && !(Math.floor(period) > window.start && Math.floor(period) <= window.asOf)) {
      outside++;
      continue;
    }
    const key = channelKey(rows.channels[i]);
    const entry = byChannel.get(key) ?? { name: rows.channels[i], amount: 0 };
    entry.amount += rows.amounts[i];
    byChannel.set(key, entry);
    paid += rows.amounts[i];
  }
  notes.push(
    dated
      ? `Spend this year = ${money(paid)}: the spend rows whose period starts in ${window.text} (${outside} rows outside it${undated > 0 ? `, ${undated} rows without a period` : ""} left out).`
      : `Spend periods are blank: the whole spend table (${money(paid)}) is taken as this year's spend.`,
  );
  return { byChannel, paid };
}

/** CAC: given, or this year's spend ÷ new customers this year. */
function costPerNewCustomer(settings: Settings, spend: Spend | null, newCustomers: number, window: Window, noSpendTable: boolean, notes: string[]): number {
  const paid = spend?.paid ?? 0;
  if (settings.cac !== null) {
    notes.push(
      paid > 0
        ? `CAC = ${amount(settings.cac)}, given (the spend this year ÷ new customers would give ${amount(paid / newCustomers)}).`
        : `CAC = ${amount(settings.cac)}, given (${noSpendTable ? "no spend table" : "no spend in the window"}).`,
    );
    return settings.cac;
  }
  if (paid > 0) {
    const cac = paid / newCustomers;
    notes.push(`CAC = spend this year ÷ new customers this year = ${money(paid)} ÷ ${money(newCustomers)} = ${amount(cac)} (all spend is counted as acquisition spend, so this is an upper bound).`);
    return cac;
  }
  throw new EngineError(
    "INSUFFICIENT_DATA",
    noSpendTable
      ? "there is no marketing spend table, so the cost of acquiring a customer cannot be worked out"
      : `there is no marketing spend in the 12 months before the analysis date (${window.text}), so the cost of acquiring a customer cannot be worked out`,
    { argument: "cac" },
  );
}

/** CLV of a new customer, from the Customer Value tab; null without one. */
function newCustomerValue(given: number | null, settings: Settings, sources: string[], notes: string[]): number | null {
  const clv = given !== null && given > 0 ? given : null;
  if (clv !== null) {
    sources.push("Customer Value tab (CLV of a new customer)");
    notes.push(`CLV of a new customer = ${amount(clv)}, from the Customer Value tab; the check wants CLV : CAC ≥ ${settings.minimumClvToCac}.`);
  } else {
    notes.push("No CLV of a new customer was given: no CLV : CAC check.");
  }
  return clv;
}

/** Margin per customer per period = revenue per retained customer × gross margin rate; null without a rate. */
function marginPerCustomer(revenuePerCustomer: number, settings: Settings, notes: string[]): number | null {
  const rate = settings.grossMargin;
  const margin = rate !== null && revenuePerCustomer > 0 ? revenuePerCustomer * rate : null;
  notes.push(
    margin !== null
      ? `Margin per customer per period = revenue per retained customer × gross margin rate ${percent(rate!)} (an assumption) = ${amount(margin)}; payback = cost per new customer ÷ that margin, target ≤ ${settings.targetPayback} period(s) of 12 months.`
      : "No gross margin rate given (orders carry revenue, not margin): no payback line or check.",
  );
  return margin;
}

/**
 * Channel response curves through each paid channel's current monthly spend and the value it buys
 * now, and the monthly budget to split on them; null without spend and attribution or when no
 * channel has both.
 */
function channelAllocation(
  attribution: AttributionReport | null,
  spend: Spend | null,
  plan: BudgetFromTheEndInput,
  settings: Settings,
  sources: string[],
  notes: string[],
): { allocation: BudgetTabInput["allocation"]; basis: string } | null {
  if (attribution === null || spend === null) {
    notes.push("Channel allocation needs the spend table and the Attribution tab: none made.");
    return null;
  }
  const { model, saturation, shape } = settings;
  sources.push(`Attribution tab (${model} model)`);
  const units: AllocationUnit[] = [];
  const left: string[] = [];
  const odds = saturation / (1 - saturation);
  for (const channel of attribution.channels) {
    const monthly = (spend.byChannel.get(channelKey(channel.channel))?.amount ?? 0) / 12;
    const totalSpend = channel.spend ?? 0;
    if (!(monthly > 0) || !(totalSpend > 0)) {
      left.push(channel.channel);
      continue;
    }
    const response = monthly * (channel.value[model] / totalSpend);
    units.push({ name: channel.channel, curve: { ceiling: response / saturation, halfSaturation: monthly / Math.pow(odds, 1 / shape), shape }, currentSpend: monthly });
  }
  if (units.length === 0) {
    notes.push("No channel has both spend this year and credited value: no allocation.");
    return null;
  }
  const planBudget = budgetFromTheEnd(plan).budget;
  const currentTotal = units.reduce((s, unit) => s + (unit.currentSpend ?? 0), 0);
  const usePlan = settings.allocationBudget === "plan";
  const budget = usePlan ? planBudget / 12 : currentTotal;
  const basis = usePlan
    ? `per month: the plan's budget ÷ 12 (${money(planBudget)} ÷ 12); current spend ${money(currentTotal)} per month`
    : `per month: the current total monthly spend of these channels`;
  notes.push(
    `Channel curves (an ASSUMPTION to replace with experiment results): each paid channel's current monthly spend (this year's spend ÷ 12) is assumed to buy ${percent(saturation)} of its ceiling, shape ${shape}; the response it buys now = monthly spend × value credited by the ${model} model ÷ the channel's spend in the Attribution tab.`,
    `Responses are attributed revenue per month; attribution is not incrementality, so the curves overstate what spend causes.`,
  );
  if (settings.grossMargin === null) notes.push(`Profit plan: the data has no margin, so it assumes a gross margin rate of ${percent(DEFAULT_PROFIT_PLAN_MARGIN)} (an input cell on the tab).`);
  if (left.length > 0) notes.push(`Channels without spend this year are not allocated: ${left.join(", ")}.`);
  const grossMargin = { rate: settings.grossMargin ?? DEFAULT_PROFIT_PLAN_MARGIN, given: settings.grossMargin !== null };
  return { allocation: { kind: "channels", budget, units, curveAssumption: { saturationAtCurrentSpend: saturation, shape }, grossMargin }, basis };
}
