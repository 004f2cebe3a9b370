import { describe, expect, it } from "vitest";
import { budgetFromTheEnd, type BudgetFromTheEndInput } from "../../../src/engine/budget/budgetFromTheEnd";
import { formulaText, formulaToExcel, type BudgetPlan } from "../../../src/engine/budget/formula";
import { engineErrorOf } from "../../support/engine";

const input: BudgetFromTheEndInput = {
  targetRevenue: 1_000_000,
  customersAtStart: 1000,
  retentionRate: 0.8,
  revenuePerCustomer: 500,
  firstPeriodRevenuePerNewCustomer: 250,
  funnel: { leadToMql: 0.25, mqlToSql: 0.4, sqlToOpportunity: 0.5, winRate: 0.25 },
  costPerLead: 20,
  buffer: 0.2,
  clv: 6000,
  marginPerCustomerPerPeriod: 160,
  targetPaybackPeriods: 12,
};

const valueOf = (plan: BudgetPlan, key: string) => {
  const line = plan.lines.find((l) => l.key === key);
  expect(line, `line ${key}`).toBeDefined();
  return line!.value;
};

/**
 * Evaluates a plan through its Excel rendering, independently of the engine's evaluator: each key
 * becomes `v.key`, MAX becomes Math.max, and the text is run as JavaScript.
 */
function evaluateThroughExcelText(plan: BudgetPlan): Record<string, number> {
  const v: Record<string, number> = {};
  for (const i of plan.inputs) v[i.key] = i.value;
  for (const line of plan.lines) {
    const text = formulaToExcel(line.formula, (key) => `v.${key}`).slice(1).replace(/MAX\(/g, "Math.max(");
    v[line.key] = new Function("v", `return ${text};`)(v) as number;
  }
  return v;
}

describe("budgetFromTheEnd: hand check of every funnel line (domain.md §5.4)", () => {
  const plan = budgetFromTheEnd(input);
  // By hand: base = 1000 × 0.8 × 500 = 400,000; gap = 600,000; new = 600,000 / 250 = 2,400;
  // opportunities = 2,400 / 0.25 = 9,600; SQLs = 9,600 / 0.5 = 19,200; MQLs = 19,200 / 0.4 = 48,000;
  // leads = 48,000 / 0.25 = 192,000; before buffer = 192,000 × 20 = 3,840,000; buffer 20 % = 768,000;
  // budget = 4,608,000; CAC = 4,608,000 / 2,400 = 1,920; CLV:CAC = 6,000 / 1,920 = 3.125;
  // payback = 1,920 / 160 = 12 periods.
  const expected: [string, number][] = [
    ["retained_customers", 800],
    ["base_revenue", 400_000],
    ["revenue_gap", 600_000],
    ["new_customers", 2400],
    ["opportunities", 9600],
    ["sqls", 19_200],
    ["mqls", 48_000],
    ["leads", 192_000],
    ["budget_before_buffer", 3_840_000],
    ["buffer_amount", 768_000],
    ["budget", 4_608_000],
    ["planned_cac", 1920],
    ["clv_to_cac", 3.125],
    ["payback_periods", 12],
  ];
  for (const [key, value] of expected) {
    it(`${key} = ${value}`, () => expect(valueOf(plan, key)).toBeCloseTo(value, 6));
  }

  it("lines come in this order and the budget is the budget line", () => {
    expect(plan.lines.map((l) => l.key)).toEqual(expected.map(([key]) => key));
    expect(plan.budget).toBeCloseTo(4_608_000, 6);
  });

  it("checks: CLV:CAC ≥ 3 passes at 3.125, payback 12 ≤ 12 passes", () => {
    expect(plan.checks.map((c) => [c.key, c.passed])).toEqual([
      ["clv_to_cac_check", true],
      ["payback_check", true],
    ]);
    const failing = budgetFromTheEnd({ ...input, clv: 5000, targetPaybackPeriods: 10 });
    expect(failing.checks.map((c) => c.passed)).toEqual([false, false]);
  });
});

describe("budgetFromTheEnd: formula structure", () => {
  const plan = budgetFromTheEnd(input);

  it("evaluating the structure from the inputs reproduces every number", () => {
    const values = evaluateThroughExcelText(plan);
    for (const line of plan.lines) expect(values[line.key]).toBeCloseTo(line.value, 6);
  });

  it("each line names the inputs and earlier lines it uses", () => {
    const known = new Set(plan.inputs.map((i) => i.key));
    for (const line of plan.lines) {
      for (const key of line.references) expect(known.has(key), `${line.key} uses ${key}`).toBe(true);
      known.add(line.key);
    }
    const newCustomers = plan.lines.find((l) => l.key === "new_customers")!;
    expect(newCustomers.references).toEqual(["revenue_gap", "first_period_revenue_per_new_customer"]);
    expect(formulaText(newCustomers.formula)).toBe("revenue_gap / first_period_revenue_per_new_customer");
  });

  it("renders as Excel formulas over cell addresses", () => {
    const cells = new Map([...plan.inputs.map((i) => i.key), ...plan.lines.map((l) => l.key)].map((key, row) => [key, `B${row + 2}`]));
    const excel = (key: string) => formulaToExcel(plan.lines.find((l) => l.key === key)!.formula, (k) => cells.get(k)!);
    expect(excel("revenue_gap")).toBe(`=MAX(0,${cells.get("target_revenue")}-${cells.get("base_revenue")})`);
    expect(excel("new_customers")).toBe(`=${cells.get("revenue_gap")}/${cells.get("first_period_revenue_per_new_customer")}`);
    expect(excel("planned_cac")).toMatch(/^=B\d+\/\(B\d+\*B\d+\*B\d+\*B\d+\)\*\(1\+B\d+\)$/);
  });
});

describe("budgetFromTheEnd: other inputs", () => {
  it("with a CAC instead of cost per lead: budget = new customers × CAC × (1 + buffer); the funnel is optional", () => {
    const plan = budgetFromTheEnd({ ...input, funnel: null, costPerLead: null, cac: 1500 });
    expect(plan.lines.some((l) => l.key === "leads")).toBe(false);
    expect(plan.budget).toBeCloseTo(2400 * 1500 * 1.2, 6);
    expect(valueOf(plan, "planned_cac")).toBeCloseTo(1800, 9);
  });

  it("no gap (base revenue already meets the target): no new customers, budget 0, CAC still defined", () => {
    const plan = budgetFromTheEnd({ ...input, targetRevenue: 300_000 });
    expect(valueOf(plan, "revenue_gap")).toBe(0);
    expect(valueOf(plan, "leads")).toBe(0);
    expect(plan.budget).toBe(0);
    expect(valueOf(plan, "planned_cac")).toBeCloseTo(1920, 9);
  });

  it("bad input names the field", () => {
    expect(engineErrorOf(() => budgetFromTheEnd({ ...input, cac: 100 })).message).toBe("budgetFromTheEnd: give either a cost per lead or a CAC, not both");
    expect(engineErrorOf(() => budgetFromTheEnd({ ...input, costPerLead: null })).argument).toBe("costPerLead");
    expect(engineErrorOf(() => budgetFromTheEnd({ ...input, funnel: null })).argument).toBe("funnel");
    const rate = engineErrorOf(() => budgetFromTheEnd({ ...input, funnel: { ...input.funnel!, winRate: 0 } }));
    expect(rate.argument).toBe("winRate");
    expect(rate.message).toBe("budgetFromTheEnd: win rate must be a rate above 0 and at most 1 (0.25 for 25%), got 0");
    expect(engineErrorOf(() => budgetFromTheEnd({ ...input, retentionRate: 1.2 })).argument).toBe("retentionRate");
    expect(engineErrorOf(() => budgetFromTheEnd({ ...input, firstPeriodRevenuePerNewCustomer: 0 })).argument).toBe("firstPeriodRevenuePerNewCustomer");
    expect(engineErrorOf(() => budgetFromTheEnd({ ...input, buffer: -0.1 })).argument).toBe("buffer");
    expect(engineErrorOf(() => budgetFromTheEnd({ ...input, targetRevenue: Number.NaN })).code).toBe("INVALID_INPUT");
  });
});
