import { describe, expect, it } from "vitest";
import { budgetObjectiveAndTask, budgetPercentOfRevenue } from "../../../src/engine/budget/budgetRules";
import { evaluateFormula, formulaText } from "../../../src/engine/budget/formula";
import { engineErrorOf } from "../../support/engine";

describe("budget rules (domain.md §5.4, other modes)", () => {
  it("percentage of revenue: 5% of 2,000,000 is 100,000", () => {
    const plan = budgetPercentOfRevenue(2_000_000, 0.05);
    expect(plan.budget).toBeCloseTo(100_000, 9);
    expect(formulaText(plan.lines[0].formula)).toBe("revenue × percentage_of_revenue");
  });

  it("objective and task: (12,000 + 30,000 + 8,000) × 1.1 = 55,000, each line re-evaluates from its formula", () => {
    const plan = budgetObjectiveAndTask(
      [
        { name: "Launch webinar", cost: 12_000 },
        { name: "Paid search", cost: 30_000 },
        { name: "Email nurture", cost: 8_000 },
      ],
      0.1,
    );
    expect(plan.lines.map((l) => [l.key, l.value])).toEqual([
      ["tasks_total", 50_000],
      ["buffer_amount", 5000],
      ["budget", 55_000],
    ]);
    expect(formulaText(plan.lines[0].formula)).toBe("task_1 + task_2 + task_3");
    const values: Record<string, number> = Object.fromEntries(plan.inputs.map((i) => [i.key, i.value]));
    for (const line of plan.lines) {
      values[line.key] = evaluateFormula(line.formula, values);
      expect(values[line.key]).toBe(line.value);
    }
  });

  it("bad input names the field", () => {
    expect(engineErrorOf(() => budgetPercentOfRevenue(-1, 0.05)).argument).toBe("revenue");
    expect(engineErrorOf(() => budgetPercentOfRevenue(1, -0.05)).argument).toBe("percentage");
    expect(engineErrorOf(() => budgetObjectiveAndTask([])).argument).toBe("tasks");
    const error = engineErrorOf(() => budgetObjectiveAndTask([{ name: "a", cost: 1 }, { name: "b", cost: -2 }]));
    expect(error.row).toBe(2);
    expect(engineErrorOf(() => budgetObjectiveAndTask([{ name: "a", cost: 1 }], -1)).argument).toBe("buffer");
  });
});
