/**
 * Two simple budget rules next to budgeting from the end (domain.md §5.4 "other modes"):
 * percentage of revenue (budget = revenue × a share) and objective and task (budget = the sum of
 * the costs of the tasks that reach the objectives, plus an optional buffer). Both return a
 * {@link BudgetPlan}, with the same formula structure as the inverted funnel.
 *
 * Glossary: R revenue (expected or last period's), q percentage of revenue, c_k cost of task k,
 * b buffer.
 *
 * References: P. Kotler and K. L. Keller, *Marketing Management*, 15th ed. (2016), ch. 19
 * ("Deciding on the marketing communications budget": percentage-of-sales and objective-and-task
 * methods); domain.md §5.4.
 */

import { EngineError } from "../errors";
import { add, computeLines, multiply, ref, type BudgetInputLine, type BudgetPlan, type Formula } from "./formula";

/**
 * Budget as a percentage of revenue: budget = R × q.
 *
 * @param revenue R (currency, ≥ 0).
 * @param percentage q, a share ≥ 0 (0.05 for 5 %; above 1 is allowed but unusual).
 * @returns the plan with one line, `budget`.
 * @throws EngineError INVALID_INPUT (argument `revenue` or `percentage`) for a negative or non-finite number.
 *
 * References: Kotler & Keller (2016) ch. 19; domain.md §5.4.
 */
export function budgetPercentOfRevenue(revenue: number, percentage: number): BudgetPlan {
  if (!Number.isFinite(revenue) || revenue < 0) {
    throw new EngineError("INVALID_INPUT", `budgetPercentOfRevenue: revenue must be a number of at least 0, got ${revenue}`, { argument: "revenue" });
  }
  if (!Number.isFinite(percentage) || percentage < 0) {
    throw new EngineError("INVALID_INPUT", `budgetPercentOfRevenue: percentage must be a number of at least 0 (0.05 for 5%), got ${percentage}`, {
      argument: "percentage",
    });
  }
  const inputs: BudgetInputLine[] = [
    { key: "revenue", label: "Revenue", value: revenue, unit: "currency" },
    { key: "percentage_of_revenue", label: "Percentage of revenue", value: percentage, unit: "ratio" },
  ];
  const lines = computeLines(inputs, [{ key: "budget", label: "Budget", unit: "currency", formula: multiply(ref("revenue"), ref("percentage_of_revenue")) }]);
  return { method: "percentage of revenue", inputs, lines, budget: lines[0].value, checks: [] };
}

/**
 * Objective-and-task budget: the cost of each task needed to reach the objectives, summed, plus a
 * buffer: budget = (Σ c_k) × (1 + b).
 *
 * @param tasks task names and costs (currency, ≥ 0), at least one.
 * @param buffer b ≥ 0 (0.1 for +10 %); 0 when omitted.
 * @returns the plan: inputs `task_1…task_n` (labelled with the task names) and `buffer`, lines
 *   `tasks_total`, `buffer_amount`, `budget`.
 * @throws EngineError INVALID_INPUT (argument `tasks` with row = task number, or `buffer`) for no
 *   tasks, or a negative or non-finite number.
 *
 * References: Kotler & Keller (2016) ch. 19; domain.md §5.4.
 */
export function budgetObjectiveAndTask(tasks: readonly { name: string; cost: number }[], buffer = 0): BudgetPlan {
  if (tasks.length === 0) throw new EngineError("INVALID_INPUT", "budgetObjectiveAndTask: there are no tasks to cost", { argument: "tasks" });
  tasks.forEach((task, i) => {
    if (!Number.isFinite(task.cost) || task.cost < 0) {
      throw new EngineError("INVALID_INPUT", `budgetObjectiveAndTask: task ${i + 1} (${task.name}): cost must be a number of at least 0, got ${task.cost}`, {
        argument: "tasks",
        row: i + 1,
      });
    }
  });
  if (!Number.isFinite(buffer) || buffer < 0) {
    throw new EngineError("INVALID_INPUT", `budgetObjectiveAndTask: buffer must be a number of at least 0, got ${buffer}`, { argument: "buffer" });
  }
  const inputs: BudgetInputLine[] = tasks.map((task, i) => ({ key: `task_${i + 1}`, label: task.name, value: task.cost, unit: "currency" as const }));
  inputs.push({ key: "buffer", label: "Buffer", value: buffer, unit: "ratio" });
  let total: Formula = ref("task_1");
  for (let i = 2; i <= tasks.length; i++) total = add(total, ref(`task_${i}`));
  const lines = computeLines(inputs, [
    { key: "tasks_total", label: "Cost of the tasks", unit: "currency", formula: total },
    { key: "buffer_amount", label: "Buffer", unit: "currency", formula: multiply(ref("tasks_total"), ref("buffer")) },
    { key: "budget", label: "Budget", unit: "currency", formula: add(ref("tasks_total"), ref("buffer_amount")) },
  ]);
  return { method: "objective and task", inputs, lines, budget: lines[2].value, checks: [] };
}
