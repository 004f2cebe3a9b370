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
  const growth = checkAssumption(assumptions.targetGrowth ?? 0.1, "targetGrowth", (x) => x > -1, "a growth rate above −1 (0.10 for +10%)");
  const buffer = checkAssumption(assumptions.buffer ?? 0.1, "buffer", (x) => x >= 0, "a share of at least 0 (0.10 for +10%)");
  const saturation = checkAssumption(assumptions.saturationAtCurrentSpend ?? 0.5, "saturationAtCurrentSpend", (x) => x > 0 && x < 1, "a share strictly between 0 and 1");
  const shape = checkAssumption(assumptions.curveShape ?? 1, "curveShape", (x) => x > 0 && x <= 50, "a number above 0 and at most 50");
  const targetPayback = checkAssumption(assumptions.targetPaybackPeriods ?? 1, "targetPaybackPeriods", (x) => x > 0, "a number of periods above 0");
  const grossMargin = assumptions.grossMarginRate ?? null;
  if (grossMargin !== null) checkAssumption(grossMargin, "grossMarginRate", (x) => x > 0 && x <= 1, "a share above 0 and at most 1");
  const minimumClvToCac = checkAssumption(assumptions.minimumClvToCac ?? 3, "minimumClvToCac", (x) => x > 0, "a number above 0");
  const model = assumptions.attributionModel ?? "linear";
  if (!(ATTRIBUTION_MODELS as readonly string[]).includes(model)) throw invalidArgument("attributionModel", `must be one of ${ATTRIBUTION_MODELS.join(", ")}, got ${String(model)}`);

  const { orders } = evidence;
  const tx = transactionsOf(orders);
  const values = tx.orderValues!;
  let lastOrder = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < tx.rowCount; i++) lastOrder = Math.max(lastOrder, Math.floor(tx.orderDates[i]));
  const asOf = evidence.asOf ?? lastOrder;
  if (!Number.isFinite(asOf)) throw invalidArgument("as_of", `must be a date, got ${asOf}`);
  const start = asOf - WINDOW_DAYS;
  const previousStart = asOf - 2 * WINDOW_DAYS;

  const customerCount = tx.customerIds.length;
  const firstPurchase = new Float64Array(customerCount).fill(Number.POSITIVE_INFINITY);
  const boughtLastYear = new Uint8Array(customerCount);
  const boughtThisYear = new Uint8Array(customerCount);
  const revenueThisYear = new Float64Array(customerCount);
  let revenue = 0;
  let ordersThisYear = 0;
  let refundsThisYear = 0;
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
      else refundsThisYear++;
    } else if (day > previousStart && value > 0) {
      boughtLastYear[c] = 1;
    }
  }
  if (ordersThisYear === 0) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      `there are no orders in the 12 months before the analysis date (${formatSerial(start + 1)} to ${formatSerial(asOf)}); the budget needs this year's revenue and customers`,
      { argument: "order_dates" },
    );
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
  if (newCustomers === 0) {
    throw new EngineError("INSUFFICIENT_DATA", `no customer made a first purchase in the 12 months before the analysis date (${formatSerial(asOf)}), so the budget for new customers cannot be planned`, {
      argument: "order_dates",
    });
  }
  const firstPeriodRevenue = newRevenue / newCustomers;
  if (!(firstPeriodRevenue > 0)) {
    throw new EngineError("INSUFFICIENT_DATA", `the ${money(newCustomers)} new customers of the last 12 months brought no net revenue (refunds are at least the orders)`, { argument: "order_values" });
  }
  const retentionRate = customersAtStart === 0 ? 0 : retained / customersAtStart;
  const revenuePerCustomer = retained === 0 ? 0 : retainedRevenue / retained;
  const givenTarget = assumptions.targetRevenue ?? null;
  if (givenTarget !== null) checkAssumption(givenTarget, "targetRevenue", (x) => x > 0, "a revenue above 0");
  const targetRevenue = givenTarget ?? Math.max(0, revenue * (1 + growth));
  const window = `${formatSerial(start + 1)} to ${formatSerial(asOf)}`;
  const notes: string[] = [
    `"This year" is ${window} (365 days up to the analysis date ${formatSerial(asOf)}${evidence.asOf == null ? ", the last order date" : ""}); "last year" the 365 days before it. One period of the plan = 12 months.`,
    givenTarget !== null
      ? `Target revenue = ${money(givenTarget)}, given (net revenue this year: ${money(revenue)}, ${money(ordersThisYear)} orders incl. ${money(refundsThisYear)} refunds or zero-value rows).`
      : `Target revenue = net revenue this year (${money(revenue)}, ${money(ordersThisYear)} orders incl. ${money(refundsThisYear)} refunds or zero-value rows) × (1 + ${percent(growth)} growth, an assumption).`,
    `Customers at start = ${money(customersAtStart)} customers who bought (an order above 0) last year; retention rate = ${money(retained)} of them bought again this year (${percent(retentionRate)}).`,
    `Revenue per retained customer = their net revenue this year ÷ ${money(retained)} = ${amount(revenuePerCustomer)}.`,
    `First-period revenue per new customer = net revenue this year of the ${money(newCustomers)} customers whose first purchase was this year ÷ ${money(newCustomers)} = ${amount(firstPeriodRevenue)} (customers won late in the year had less time to buy, so this is conservative).`,
  ];
  if (afterAsOf > 0) notes.push(afterAsOf === 1 ? "1 order dated after the analysis date was left out." : `${money(afterAsOf)} orders dated after the analysis date were left out.`);
  if (customersAtStart === 0) notes.push("No customer bought last year: the base business is 0 and the whole target must come from new customers.");
  const sources = [orders.source];

  // Spend this year, per channel.
  const spendRows = evidence.spend === null ? null : readSpend(evidence.spend);
  const spendThisYear = new Map<string, { name: string; amount: number }>();
  let paidSpend = 0;
  if (spendRows !== null && evidence.spend !== null) {
    sources.push(evidence.spend.source);
    const dated = spendRows.periods.some((p) => p !== null);
    let undated = 0;
    let outside = 0;
    for (let i = 0; i < spendRows.rowCount; i++) {
      const period = spendRows.periods[i];
      if (dated && period === null) {
        undated++;
        continue;
      }
      if (period !== null && !(Math.floor(period) > start && Math.floor(period) <= asOf)) {
        outside++;
        continue;
      }
      const key = channelKey(spendRows.channels[i]);
      const entry = spendThisYear.get(key) ?? { name: spendRows.channels[i], amount: 0 };
      entry.amount += spendRows.amounts[i];
      spendThisYear.set(key, entry);
      paidSpend += spendRows.amounts[i];
    }
    notes.push(
      dated
        ? `Spend this year = ${money(paidSpend)}: the spend rows whose period starts in ${window} (${outside} rows outside it${undated > 0 ? `, ${undated} rows without a period` : ""} left out).`
        : `Spend periods are blank: the whole spend table (${money(paidSpend)}) is taken as this year's spend.`,
    );
  }
  let cac: number;
  if (assumptions.cac != null) {
    cac = checkAssumption(assumptions.cac, "cac", (x) => x > 0, "a cost per new customer above 0");
    notes.push(
      paidSpend > 0
        ? `CAC = ${amount(cac)}, given (the spend this year ÷ new customers would give ${amount(paidSpend / newCustomers)}).`
        : `CAC = ${amount(cac)}, given (${evidence.spend === null ? "no spend table" : "no spend in the window"}).`,
    );
  } else if (paidSpend > 0) {
    cac = paidSpend / newCustomers;
    notes.push(`CAC = spend this year ÷ new customers this year = ${money(paidSpend)} ÷ ${money(newCustomers)} = ${amount(cac)} (all spend is counted as acquisition spend, so this is an upper bound).`);
  } else {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      evidence.spend === null
        ? "there is no marketing spend table, so the cost of acquiring a customer cannot be worked out"
        : `there is no marketing spend in the 12 months before the analysis date (${formatSerial(start + 1)} to ${formatSerial(asOf)}), so the cost of acquiring a customer cannot be worked out`,
      { argument: "cac" },
    );
  }
  notes.push(`Buffer = ${percent(buffer)}, an assumption (a safety margin on the budget).`);

  const clv = evidence.newCustomerClv !== null && evidence.newCustomerClv > 0 ? evidence.newCustomerClv : null;
  if (clv !== null) {
    sources.push("Customer Value tab (CLV of a new customer)");
    notes.push(`CLV of a new customer = ${amount(clv)}, from the Customer Value tab; the check wants CLV : CAC ≥ ${minimumClvToCac}.`);
  } else {
    notes.push("No CLV of a new customer was given: no CLV : CAC check.");
  }
  const margin = grossMargin !== null && revenuePerCustomer > 0 ? revenuePerCustomer * grossMargin : null;
  if (margin !== null) {
    notes.push(
      `Margin per customer per period = revenue per retained customer × gross margin rate ${percent(grossMargin!)} (an assumption) = ${amount(margin)}; payback = cost per new customer ÷ that margin, target ≤ ${targetPayback} period(s) of 12 months.`,
    );
  } else {
    notes.push("No gross margin rate given (orders carry revenue, not margin): no payback line or check.");
  }

  const plan: BudgetFromTheEndInput = {
    targetRevenue,
    customersAtStart,
    retentionRate,
    revenuePerCustomer,
    firstPeriodRevenuePerNewCustomer: firstPeriodRevenue,
    cac,
    buffer,
    clv,
    marginPerCustomerPerPeriod: margin,
    targetPaybackPeriods: margin === null ? null : targetPayback,
    minimumClvToCac,
  };

  // Channel response curves through the current monthly spend and the value it buys now.
  let allocation: BudgetTabInput["allocation"] = null;
  let allocationBasis: string | undefined;
  const attribution = evidence.attribution;
  if (attribution !== null && spendRows !== null) {
    sources.push(`Attribution tab (${model} model)`);
    const units: AllocationUnit[] = [];
    const left: string[] = [];
    const odds = saturation / (1 - saturation);
    for (const channel of attribution.channels) {
      const monthly = (spendThisYear.get(channelKey(channel.channel))?.amount ?? 0) / 12;
      const totalSpend = channel.spend ?? 0;
      if (!(monthly > 0) || !(totalSpend > 0)) {
        left.push(channel.channel);
        continue;
      }
      const response = monthly * (channel.value[model] / totalSpend);
      units.push({
        name: channel.channel,
        curve: { ceiling: response / saturation, halfSaturation: monthly / Math.pow(odds, 1 / shape), shape },
        currentSpend: monthly,
      });
    }
    if (units.length > 0) {
      const planBudget = budgetFromTheEnd(plan).budget;
      const currentTotal = units.reduce((s, unit) => s + (unit.currentSpend ?? 0), 0);
      const usePlan = (assumptions.allocationBudget ?? "plan") === "plan";
      const budget = usePlan ? planBudget / 12 : currentTotal;
      allocationBasis = usePlan
        ? `per month: the plan's budget ÷ 12 (${money(planBudget)} ÷ 12); current spend ${money(currentTotal)} per month`
        : `per month: the current total monthly spend of these channels`;
      allocation = { kind: "channels", budget, units, curveAssumption: { saturationAtCurrentSpend: saturation, shape }, grossMargin: { rate: grossMargin ?? DEFAULT_PROFIT_PLAN_MARGIN, given: grossMargin !== null } };
      notes.push(
        `Channel curves (an ASSUMPTION to replace with experiment results): each paid channel's current monthly spend (this year's spend ÷ 12) is assumed to buy ${percent(saturation)} of its ceiling, shape ${shape}; the response it buys now = monthly spend × value credited by the ${model} model ÷ the channel's spend in the Attribution tab.`,
        `Responses are attributed revenue per month; attribution is not incrementality, so the curves overstate what spend causes.`,
      );
      if (left.length > 0) notes.push(`Channels without spend this year are not allocated: ${left.join(", ")}.`);
    } else {
      notes.push("No channel has both spend this year and credited value: no allocation.");
    }
  } else {
    notes.push("Channel allocation needs the spend table and the Attribution tab: none made.");
  }
  return { plan, allocation, sources, notes, periodLabel: "12 months", allocationBasis, allocationPeriodLabel: "month", spendLastYear: spendRows === null ? null : paidSpend };
}
