/**
 * Budget from the end (the inverted funnel): start from the revenue target, take off what existing
 * customers will bring, and work back through the sales funnel to the new customers, opportunities,
 * SQLs, MQLs and leads needed, and what they cost (IMC step 5; domain.md §5.4).
 *
 * Glossary (keys of the plan, which are also the names its formula structure uses):
 * - target_revenue T; customers_at_start S; retention_rate r; revenue_per_customer p (per retained
 *   customer in the period); first_period_revenue_per_new_customer f;
 * - funnel rates: lead_to_mql_rate, mql_to_sql_rate, sql_to_opportunity_rate, win_rate;
 * - cost_per_lead or cac (cost per new customer); buffer b (0.2 for +20 %);
 * - clv (of a new customer, before acquisition cost), margin_per_customer_per_period, for checks.
 *
 * Lines: retained_customers = S·r; base_revenue = S·r·p; revenue_gap = max(0, T − base);
 * new_customers = gap / f; opportunities = new / win_rate; sqls = opportunities / SQL→opportunity;
 * mqls = sqls / MQL→SQL; leads = mqls / lead→MQL; budget_before_buffer = leads × cost per lead (or
 * new customers × CAC); buffer_amount = that × b; budget = before + buffer. The cost per new
 * customer of the plan, CAC × (1 + b), feeds the checks CLV:CAC ≥ 3 and payback = CAC / margin per
 * period ≤ target. Counts are not rounded: the plan is a set of live formulas.
 *
 * References: domain.md §5.4 and §1.3 (CAC, payback, CLV:CAC ≥ 3); D. E. Schultz and H. F. Schultz
 * (2004), *IMC, The Next Generation*, McGraw-Hill, ch. 11 ("budgeting from the end": start from the
 * returns wanted, not from last year's spend).
 */

import { EngineError } from "../errors";
import { add, computeLines, divide, max, multiply, num, ref, subtract, type BudgetCheck, type BudgetInputLine, type BudgetPlan, type BudgetValueUnit, type Formula } from "./formula";

/** Conversion rates of the sales funnel, each a share in (0, 1]. */
export interface FunnelRates {
  readonly leadToMql: number;
  readonly mqlToSql: number;
  readonly sqlToOpportunity: number;
  readonly winRate: number;
}

export interface BudgetFromTheEndInput {
  /** T: revenue wanted in the period (currency, ≥ 0). */
  readonly targetRevenue: number;
  /** S: customers at the start of the period (≥ 0). */
  readonly customersAtStart: number;
  /** r: share of them kept through the period, in [0, 1]. */
  readonly retentionRate: number;
  /** p: revenue per retained customer in the period (currency, ≥ 0). */
  readonly revenuePerCustomer: number;
  /** f: revenue a new customer brings in the period they are won (currency, > 0). */
  readonly firstPeriodRevenuePerNewCustomer: number;
  /** Funnel rates; required with `costPerLead`, optional (informative lines) with `cac`. */
  readonly funnel?: FunnelRates | null;
  /** Cost per lead (currency, > 0); give this or `cac`, not both. */
  readonly costPerLead?: number | null;
  /** Cost per new customer (currency, > 0); give this or `costPerLead`, not both. */
  readonly cac?: number | null;
  /** b: safety margin added to the budget, ≥ 0 (0.2 for +20 %); 0 when omitted. */
  readonly buffer?: number;
  /** CLV of a new customer before acquisition cost (currency, > 0), for the CLV:CAC check; optional. */
  readonly clv?: number | null;
  /** Margin per customer per period (currency, > 0), for the payback line; optional. */
  readonly marginPerCustomerPerPeriod?: number | null;
  /** Longest acceptable payback (periods, > 0); optional. */
  readonly targetPaybackPeriods?: number | null;
  /** Threshold of the CLV:CAC check (> 0); 3 when omitted. */
  readonly minimumClvToCac?: number;
}

/** Which input an {@link EngineError} from {@link budgetFromTheEnd} is about. */
export type BudgetFromTheEndField = keyof BudgetFromTheEndInput | keyof FunnelRates;

const NAME = "budgetFromTheEnd";

function invalid(field: BudgetFromTheEndField, message: string): EngineError {
  return new EngineError("INVALID_INPUT", `${NAME}: ${message}`, { argument: field });
}

function requireNumber(field: BudgetFromTheEndField, label: string, value: number, rule: "≥ 0" | "> 0" | "share" | "rate"): number {
  const ok =
    Number.isFinite(value) &&
    (rule === "≥ 0" ? value >= 0 : rule === "> 0" ? value > 0 : rule === "share" ? value >= 0 && value <= 1 : value > 0 && value <= 1);
  if (!ok) {
    const wanted =
      rule === "≥ 0"
        ? "a number of at least 0"
        : rule === "> 0"
          ? "a number above 0"
          : rule === "share"
            ? "a share between 0 and 1 (0.8 for 80%)"
            : "a rate above 0 and at most 1 (0.25 for 25%)";
    throw invalid(field, `${label} must be ${wanted}, got ${value}`);
  }
  return value;
}

interface LineSpec {
  key: string;
  label: string;
  unit: BudgetValueUnit;
  formula: Formula;
}

/**
 * Works a budget back from a revenue target through the funnel.
 *
 * @param input target, base business, first-period revenue per new customer, funnel rates, cost per
 *   lead or CAC, buffer and optional check inputs (see {@link BudgetFromTheEndInput}).
 * @returns the plan: inputs (with keys), lines in order (value, formula, references), the budget,
 *   and the checks CLV:CAC ≥ threshold (with `clv`) and payback ≤ target (with margin and target).
 * @throws EngineError INVALID_INPUT naming the field when a number is missing, not finite or out of
 *   range, when both or neither of cost per lead and CAC are given, or when cost per lead is given
 *   without funnel rates.
 *
 * References: domain.md §5.4, §1.3.
 * Check (test/engine/budget/budgetFromTheEnd.test.ts): T = 1,000,000, S = 1,000, r = 0.8,
 * p = 500, f = 250, rates 0.25/0.4/0.5/0.25, cost per lead 20, buffer 0.2 → 2,400 new customers,
 * 192,000 leads, budget 4,608,000.
 */
export function budgetFromTheEnd(input: BudgetFromTheEndInput): BudgetPlan {
  const inputs: BudgetInputLine[] = [];
  const put = (key: string, label: string, value: number, unit: BudgetValueUnit) => inputs.push({ key, label, value, unit });
  put("target_revenue", "Target revenue", requireNumber("targetRevenue", "target revenue", input.targetRevenue, "≥ 0"), "currency");
  put("customers_at_start", "Customers at start", requireNumber("customersAtStart", "customers at start", input.customersAtStart, "≥ 0"), "customers");
  put("retention_rate", "Retention rate", requireNumber("retentionRate", "retention rate", input.retentionRate, "share"), "ratio");
  put("revenue_per_customer", "Revenue per retained customer", requireNumber("revenuePerCustomer", "revenue per customer", input.revenuePerCustomer, "≥ 0"), "currency");
  put(
    "first_period_revenue_per_new_customer",
    "First-period revenue per new customer",
    requireNumber("firstPeriodRevenuePerNewCustomer", "first-period revenue per new customer", input.firstPeriodRevenuePerNewCustomer, "> 0"),
    "currency",
  );
  const funnel = input.funnel ?? null;
  if (funnel !== null) {
    put("lead_to_mql_rate", "Lead → MQL rate", requireNumber("leadToMql", "lead → MQL rate", funnel.leadToMql, "rate"), "ratio");
    put("mql_to_sql_rate", "MQL → SQL rate", requireNumber("mqlToSql", "MQL → SQL rate", funnel.mqlToSql, "rate"), "ratio");
    put("sql_to_opportunity_rate", "SQL → opportunity rate", requireNumber("sqlToOpportunity", "SQL → opportunity rate", funnel.sqlToOpportunity, "rate"), "ratio");
    put("win_rate", "Win rate", requireNumber("winRate", "win rate", funnel.winRate, "rate"), "ratio");
  }
  const costPerLead = input.costPerLead ?? null;
  const cac = input.cac ?? null;
  if (costPerLead !== null && cac !== null) throw invalid("cac", "give either a cost per lead or a CAC, not both");
  if (costPerLead === null && cac === null) throw invalid("costPerLead", "a cost per lead (with funnel rates) or a CAC is required");
  if (costPerLead !== null) {
    if (funnel === null) throw invalid("funnel", "a cost per lead needs the funnel rates (lead → MQL, MQL → SQL, SQL → opportunity, win rate)");
    put("cost_per_lead", "Cost per lead", requireNumber("costPerLead", "cost per lead", costPerLead, "> 0"), "currency");
  } else {
    put("cac", "CAC (cost per new customer)", requireNumber("cac", "CAC", cac as number, "> 0"), "currency");
  }
  put("buffer", "Buffer", requireNumber("buffer", "buffer", input.buffer ?? 0, "≥ 0"), "ratio");
  const clv = input.clv ?? null;
  if (clv !== null) put("clv", "CLV of a new customer", requireNumber("clv", "CLV", clv, "> 0"), "currency");
  const margin = input.marginPerCustomerPerPeriod ?? null;
  if (margin !== null) {
    put("margin_per_customer_per_period", "Margin per customer per period", requireNumber("marginPerCustomerPerPeriod", "margin per customer per period", margin, "> 0"), "currency");
  }
  const targetPayback = input.targetPaybackPeriods ?? null;
  if (targetPayback !== null) requireNumber("targetPaybackPeriods", "target payback", targetPayback, "> 0");
  const minimumClvToCac = requireNumber("minimumClvToCac", "minimum CLV:CAC", input.minimumClvToCac ?? 3, "> 0");

  const specs: LineSpec[] = [
    { key: "retained_customers", label: "Retained customers", unit: "customers", formula: multiply(ref("customers_at_start"), ref("retention_rate")) },
    { key: "base_revenue", label: "Base revenue (retained customers)", unit: "currency", formula: multiply(ref("retained_customers"), ref("revenue_per_customer")) },
    { key: "revenue_gap", label: "Revenue gap to fill", unit: "currency", formula: max(num(0), subtract(ref("target_revenue"), ref("base_revenue"))) },
    { key: "new_customers", label: "New customers needed", unit: "customers", formula: divide(ref("revenue_gap"), ref("first_period_revenue_per_new_customer")) },
  ];
  if (funnel !== null) {
    specs.push(
      { key: "opportunities", label: "Opportunities", unit: "count", formula: divide(ref("new_customers"), ref("win_rate")) },
      { key: "sqls", label: "SQLs", unit: "count", formula: divide(ref("opportunities"), ref("sql_to_opportunity_rate")) },
      { key: "mqls", label: "MQLs", unit: "count", formula: divide(ref("sqls"), ref("mql_to_sql_rate")) },
      { key: "leads", label: "Leads", unit: "count", formula: divide(ref("mqls"), ref("lead_to_mql_rate")) },
    );
  }
  // The plan's cost per new customer; with cost per lead it does not depend on the counts, so it
  // exists even when no new customers are needed.
  const funnelYield = funnel === null ? null : multiply(multiply(multiply(ref("lead_to_mql_rate"), ref("mql_to_sql_rate")), ref("sql_to_opportunity_rate")), ref("win_rate"));
  const baseCac = costPerLead !== null && funnelYield !== null ? divide(ref("cost_per_lead"), funnelYield) : ref("cac");
  specs.push(
    {
      key: "budget_before_buffer",
      label: "Budget before buffer",
      unit: "currency",
      formula: costPerLead !== null ? multiply(ref("leads"), ref("cost_per_lead")) : multiply(ref("new_customers"), ref("cac")),
    },
    { key: "buffer_amount", label: "Buffer", unit: "currency", formula: multiply(ref("budget_before_buffer"), ref("buffer")) },
    { key: "budget", label: "Budget", unit: "currency", formula: add(ref("budget_before_buffer"), ref("buffer_amount")) },
    { key: "planned_cac", label: "Cost per new customer (with buffer)", unit: "currency", formula: multiply(baseCac, add(num(1), ref("buffer"))) },
  );
  if (clv !== null) specs.push({ key: "clv_to_cac", label: "CLV : CAC", unit: "ratio", formula: divide(ref("clv"), ref("planned_cac")) });
  if (margin !== null) {
    specs.push({ key: "payback_periods", label: "Payback (periods)", unit: "periods", formula: divide(ref("planned_cac"), ref("margin_per_customer_per_period")) });
  }
  const lines = computeLines(inputs, specs);
  const valueOf = (key: string) => lines.find((line) => line.key === key)?.value ?? 0;
  const checks: BudgetCheck[] = [];
  if (clv !== null) {
    const value = valueOf("clv_to_cac");
    checks.push({ key: "clv_to_cac_check", label: `CLV : CAC at least ${minimumClvToCac}`, line: "clv_to_cac", value, rule: "at least", threshold: minimumClvToCac, passed: value >= minimumClvToCac });
  }
  if (margin !== null && targetPayback !== null) {
    const value = valueOf("payback_periods");
    checks.push({ key: "payback_check", label: `Payback at most ${targetPayback} periods`, line: "payback_periods", value, rule: "at most", threshold: targetPayback, passed: value <= targetPayback });
  }
  return { method: "from the end", inputs, lines, budget: valueOf("budget"), checks };
}
