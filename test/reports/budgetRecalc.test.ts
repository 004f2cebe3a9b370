// The Budget tab recalculated by a real formula engine (HyperFormula): every formula evaluates to
// the value the engine stored, and changing the target revenue input (or the CLV) changes the budget
// and the checks through the formulas alone, to the numbers budgetFromTheEnd gives for the new inputs.
import { describe, expect, it } from "vitest";
import { budgetFromTheEnd, hillMarginal, hillResponse, type BudgetFromTheEndInput } from "../../src/engine/budget";
import { buildBudgetTab, type BudgetTabInput } from "../../src/reports/budget";
import { a1, cellAt, type ReportSheet } from "../../src/reports/sheet";
import { expectClose, loadReportSheet } from "../support/recalc";

const context = { generatedAt: "2026-11-23T00:00:00Z" };

/** Row of the label | value block whose label is `label` (column A), value in column B. */
function rowOf(sheet: ReportSheet, label: string, after = 0): number {
  for (let r = after; r < 500; r++) if (cellAt(sheet, r, 0) === label) return r;
  throw new Error(`no row labelled "${label}"`);
}

const funnelPlan: BudgetFromTheEndInput = {
  targetRevenue: 1_000_000,
  customersAtStart: 1_000,
  retentionRate: 0.8,
  revenuePerCustomer: 500,
  firstPeriodRevenuePerNewCustomer: 250,
  funnel: { leadToMql: 0.25, mqlToSql: 0.4, sqlToOpportunity: 0.5, winRate: 0.25 },
  costPerLead: 20,
  buffer: 0.2,
  clv: 7_000,
  marginPerCustomerPerPeriod: 1_200,
  targetPaybackPeriods: 2,
  minimumClvToCac: 3,
};

const input: BudgetTabInput = {
  plan: funnelPlan,
  allocation: {
    kind: "channels",
    budget: 30_000,
    units: [
      { name: "Email", curve: { ceiling: 40_000, halfSaturation: 5_000, shape: 1 }, currentSpend: 8_000 },
      { name: "Paid search", curve: { ceiling: 90_000, halfSaturation: 20_000, shape: 1 }, currentSpend: 15_000 },
      { name: "Social", curve: { ceiling: 30_000, halfSaturation: 12_000, shape: 1.5 }, currentSpend: 7_000 },
    ],
  },
  sources: ["test"],
  notes: ["hand-made inputs"],
};

describe("Budget tab in HyperFormula", () => {
  const sheet = buildBudgetTab(input, context);
  const { formulas, valueAt, setValue } = loadReportSheet(sheet, "Budget");

  it("has formulas for every plan line, the checks and the allocation, and each evaluates to its stored value", () => {
    // 11 funnel lines + clv_to_cac + payback, the headline (budget, 2 checks × 2), allocation formulas.
    expect(formulas.length).toBeGreaterThan(30);
    for (const f of formulas) expectClose(valueAt(f.row, f.column), f.expected, `${a1(f.row, f.column)}`);
  });

  it("the budget line equals budgetFromTheEnd (4,608,000, the engine's worked example)", () => {
    const budgetRow = rowOf(sheet, "Budget", rowOf(sheet, "Budget from the end"));
    expectClose(valueAt(budgetRow, 1), 4_608_000, "budget");
    expectClose(valueAt(budgetRow, 1), budgetFromTheEnd(funnelPlan).budget, "budget");
  });

  it("changing the target revenue cell changes every line and the budget to the engine's new plan", () => {
    const targetRow = rowOf(sheet, "Target revenue");
    for (const target of [1_500_000, 650_000, 300_000 /* below the base: gap 0, budget 0 */]) {
      setValue(targetRow, 1, target);
      const plan = budgetFromTheEnd({ ...funnelPlan, targetRevenue: target });
      const linesTop = rowOf(sheet, "Budget from the end") + 1;
      plan.lines.forEach((line, i) => {
        expect(cellAt(sheet, linesTop + i, 0)).toBe(line.key === "buffer_amount" ? "Buffer amount" : line.label);
        expectClose(valueAt(linesTop + i, 1), line.value, `${line.key} at target ${target}`);
      });
      expectClose(valueAt(rowOf(sheet, "Budget", linesTop), 1), plan.budget, `budget at target ${target}`);
    }
    expect(budgetFromTheEnd({ ...funnelPlan, targetRevenue: 300_000 }).budget).toBe(0);
    setValue(targetRow, 1, funnelPlan.targetRevenue);
  });

  it("the checks follow their inputs: a lower CLV or margin, a dearer lead turn Pass into a failure saying why, as budgetFromTheEnd says", () => {
    const checksTop = rowOf(sheet, "CLV : CAC check");
    expect(cellAt(sheet, checksTop + 1, 0)).toBe("Payback check (periods)");
    const failures = ["Below 3.00: acquisition too expensive at this budget", "Above 2.0 periods: payback too slow"];
    const rows = { clv: rowOf(sheet, "CLV of a new customer"), costPerLead: rowOf(sheet, "Cost per lead"), margin: rowOf(sheet, "Margin per customer per period") };
    // Planned CAC = 20 / (0.25 × 0.4 × 0.5 × 0.25) × 1.2 = 1,920: CLV:CAC 3.65 ≥ 3, payback 1.6 ≤ 2.
    const cases = [
      { clv: 7_000, costPerLead: 20, margin: 1_200, passed: [true, true] },
      { clv: 4_000, costPerLead: 20, margin: 1_200, passed: [false, true] },
      { clv: 7_000, costPerLead: 20, margin: 800, passed: [true, false] },
      { clv: 7_000, costPerLead: 40, margin: 1_200, passed: [false, false] },
    ];
    setValue(rowOf(sheet, "Target revenue"), 1, funnelPlan.targetRevenue);
    for (const { clv, costPerLead, margin, passed } of cases) {
      setValue(rows.clv, 1, clv);
      setValue(rows.costPerLead, 1, costPerLead);
      setValue(rows.margin, 1, margin);
      const plan = budgetFromTheEnd({ ...funnelPlan, clv, costPerLead, marginPerCustomerPerPeriod: margin });
      expect(plan.checks.map((c) => c.passed)).toEqual(passed);
      plan.checks.forEach((check, i) => {
        expectClose(valueAt(checksTop + i, 1), check.value, `${check.key} value`);
        expect(valueAt(checksTop + i, 2), `${check.key} with clv ${clv}, cost per lead ${costPerLead}, margin ${margin}`).toBe(check.passed ? "Pass" : failures[i]);
      });
      expectClose(valueAt(rowOf(sheet, "Budget", rowOf(sheet, "Budget from the end")), 1), plan.budget, "budget");
    }
  });

  it("with the curve assumption as inputs, the curves, responses, ROI and marginal ROI follow a change of the share bought now and the shape", () => {
    // Curves drawn through the current spend c at share s of the ceiling, shape α: β = y(c) / s, γ = c / (s / (1 − s))^(1/α).
    const now = [
      { name: "Email", spend: 8_000, response: 20_000 },
      { name: "Paid search", spend: 15_000, response: 30_000 },
    ];
    const curveOf = (c: number, y: number, s: number, alpha: number) => ({ ceiling: y / s, halfSaturation: c / Math.pow(s / (1 - s), 1 / alpha), shape: alpha });
    const units = now.map((u) => ({ name: u.name, curve: curveOf(u.spend, u.response, 0.5, 1), currentSpend: u.spend }));
    const live = buildBudgetTab(
      { ...input, allocation: { kind: "channels", budget: 30_000, units, curveAssumption: { saturationAtCurrentSpend: 0.5, shape: 1 } }, allocationPeriodLabel: "month" },
      context,
    );
    const loaded = loadReportSheet(live, "Budget");
    for (const f of loaded.formulas) expectClose(loaded.valueAt(f.row, f.column), f.expected, a1(f.row, f.column));
    const shareRow = rowOf(live, "Share of the ceiling bought now");
    const shapeRow = rowOf(live, "Curve shape");
    const top = rowOf(live, "Channel") + 1;
    expect(cellAt(live, top - 1, 5)).toBe("Optimal spend");
    for (const [s, alpha] of [
      [0.3, 1],
      [0.7, 1.5],
    ]) {
      loaded.setValue(shareRow, 1, s);
      loaded.setValue(shapeRow, 1, alpha);
      now.forEach((u, i) => {
        const curve = curveOf(u.spend, u.response, s, alpha);
        const x = loaded.valueAt(top + i, 5) as number; // the snapshot of the optimal spend
        expectClose(loaded.valueAt(top + i, 1), curve.ceiling, `ceiling ${u.name}`);
        expectClose(loaded.valueAt(top + i, 2), curve.halfSaturation, `half-saturation ${u.name}`);
        expectClose(loaded.valueAt(top + i, 3), alpha, `shape ${u.name}`);
        expectClose(loaded.valueAt(top + i, 8), hillResponse(x, curve), `optimal response ${u.name}`);
        expectClose(loaded.valueAt(top + i, 10), hillResponse(x, curve) / x, `optimal ROI ${u.name}`);
        expectClose(loaded.valueAt(top + i, 11), hillMarginal(x, curve), `marginal ROI ${u.name}`);
        // The current response is the data the curve goes through, whatever the assumption.
        expectClose(loaded.valueAt(top + i, 7), u.response, `current response ${u.name}`);
      });
    }
    loaded.destroy();
  });

  it("lifecycle stages: with the curve assumption as inputs, the stage curves, customers, value, value ROI and marginal value follow the share bought now and the shape", () => {
    // Customer curves drawn through each stage's current spend c and the customers it buys now n at share s, shape α.
    const now = [
      { stage: "acquisition", spend: 30_000, customers: 250, value: 300 },
      { stage: "retention", spend: 5_000, customers: 400, value: 120 },
      { stage: "win-back", spend: 5_000, customers: 60, value: 90 },
    ];
    const curveOf = (c: number, n: number, s: number, alpha: number) => ({ ceiling: n / s, halfSaturation: c / Math.pow(s / (1 - s), 1 / alpha), shape: alpha });
    const stages = now.map((u) => ({ stage: u.stage, customerCurve: curveOf(u.spend, u.customers, 0.5, 1), valuePerCustomer: u.value, currentSpend: u.spend }));
    const live = buildBudgetTab(
      { ...input, allocation: { kind: "lifecycle", budget: 40_000, stages, curveAssumption: { saturationAtCurrentSpend: 0.5, shape: 1 } }, allocationPeriodLabel: "month" },
      context,
    );
    const loaded = loadReportSheet(live, "Budget");
    for (const f of loaded.formulas) expectClose(loaded.valueAt(f.row, f.column), f.expected, a1(f.row, f.column));
    const shareRow = rowOf(live, "Share of the ceiling bought now");
    const shapeRow = rowOf(live, "Curve shape");
    const top = rowOf(live, "Stage") + 1;
    expect([5, 6, 7, 9, 10, 12, 13].map((c) => cellAt(live, top - 1, c))).toEqual(["Current spend", "Current customers", "Optimal spend", "Customers", "Value", "Value ROI", "Marginal value"]);
    for (const [s, alpha] of [
      [0.3, 1],
      [0.7, 1.5],
    ]) {
      loaded.setValue(shareRow, 1, s);
      loaded.setValue(shapeRow, 1, alpha);
      now.forEach((u, i) => {
        const curve = curveOf(u.spend, u.customers, s, alpha);
        const x = loaded.valueAt(top + i, 7) as number; // the snapshot of the optimal spend
        expectClose(loaded.valueAt(top + i, 2), curve.ceiling, `ceiling ${u.stage}`);
        expectClose(loaded.valueAt(top + i, 3), curve.halfSaturation, `half-saturation ${u.stage}`);
        expectClose(loaded.valueAt(top + i, 4), alpha, `shape ${u.stage}`);
        expectClose(loaded.valueAt(top + i, 6), u.customers, `current customers ${u.stage}`);
        expectClose(loaded.valueAt(top + i, 9), hillResponse(x, curve), `customers ${u.stage}`);
        expectClose(loaded.valueAt(top + i, 10), u.value * hillResponse(x, curve), `value ${u.stage}`);
        expectClose(loaded.valueAt(top + i, 12), (u.value * hillResponse(x, curve)) / x, `value ROI ${u.stage}`);
        expectClose(loaded.valueAt(top + i, 13), u.value * hillMarginal(x, curve), `marginal value ${u.stage}`);
      });
    }
    loaded.destroy();
  });

  it("a plan with a CAC (no funnel) recalculates too", () => {
    const cacPlan: BudgetFromTheEndInput = { targetRevenue: 836, customersAtStart: 4, retentionRate: 0.5, revenuePerCustomer: 200, firstPeriodRevenuePerNewCustomer: 150, cac: 300, buffer: 0.1, clv: 1_200 };
    const cacSheet = buildBudgetTab({ plan: cacPlan, allocation: null, sources: [], notes: [] }, context);
    const loaded = loadReportSheet(cacSheet, "Budget");
    for (const f of loaded.formulas) expectClose(loaded.valueAt(f.row, f.column), f.expected, a1(f.row, f.column));
    const targetRow = rowOf(cacSheet, "Target revenue");
    loaded.setValue(targetRow, 1, 2_000);
    const budgetRow = rowOf(cacSheet, "Budget", rowOf(cacSheet, "Budget from the end"));
    expectClose(loaded.valueAt(budgetRow, 1), budgetFromTheEnd({ ...cacPlan, targetRevenue: 2_000 }).budget, "budget");
    expect(budgetFromTheEnd({ ...cacPlan, targetRevenue: 2_000 }).budget).toBeCloseTo(((2_000 - 400) / 150) * 300 * 1.1, 9);
    loaded.destroy();
  });
});
