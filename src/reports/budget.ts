/**
 * The Budget tab: a budget worked back from a revenue target (budget from the end, domain.md §5.4)
 * written as live Excel formulas over an inputs block, its CLV : CAC and payback checks, and two
 * plans for spending it across channels (domain.md §5.2–5.3): the target plan, which spends the
 * budget at equal marginal ROI, and the profit plan, which funds each channel only while its next
 * unit of spend brings back at least one unit of contribution.
 *
 * The tab is a short list of sections (src/reports/budget/): headline, warnings, inputs, the plan's
 * lines, the target plan with its chart, the profit plan with its chart, provenance. Every line of
 * the plan is the engine's own formula (src/engine/budget/formula.ts) turned into Excel text over
 * the input cells: change the target revenue (or any yellow input) and the budget and the checks
 * follow. The plans' spends are optimisations, not formulas: they are the engine's snapshot for the
 * inputs shown, marked so, with the command that recomputes them; responses, contributions and
 * marginal returns around them are formulas. With `liveAllocation` (the task pane, where the
 * add-in's functions are present) the target plan's spends are IMC.ALLOCATE formulas over the
 * table's inputs instead (budget/liveAllocation.ts); the profit plan's stay a snapshot.
 */

import { NOTHING, TabLayout, titleSection, warningsSection } from "./layout";
import type { Provenance, ReportContext, ReportSheet } from "./sheet";
import type { Figure } from "./tabBuild";
import { labelledFigure, present } from "./tabFigures";
import { budgetModel, CellAddresses, warningWidth, type BudgetModel, type BudgetTabInput, type BudgetTabOptions } from "./budget/model";
import { budgetWarnings, headlineRows, headlineWithChecks, inputsSection, planLinesSection } from "./budget/planSections";
import { allocatesLive } from "./budget/liveAllocation";
import { profitPlanSection } from "./budget/profitPlanSection";
import { channelTargetSection, lifecycleTargetSection } from "./budget/targetPlan";

export type { BudgetTabInput, BudgetTabOptions, CurveAssumption } from "./budget/model";

/** Column widths: labels in A, then numbers wide enough for the tables' headers once wrapped. */
const COLUMN_WIDTHS = [40, 16, 23, 16, 16, 19, 14, 18, 18, 14, 14, 14, 14, 16];

/**
 * Builds the Budget tab.
 *
 * @param input the plan's inputs, the allocation (channels with response curves and a margin rate,
 *   or lifecycle stages with customer curves and values per customer, or null), sources and notes.
 * @param context the generation time and the data's currency.
 * @param options `liveAllocation`: the target plan's optimal spends as live IMC.ALLOCATE formulas
 *   (for the task pane, where the add-in's functions are present); default the engine's snapshot.
 * @returns the sheet: headline, warnings, inputs (style "input"), the plan's lines as live formulas,
 *   the target plan and the profit plan with their charts, provenance.
 * @throws EngineError INVALID_INPUT from budgetFromTheEnd (naming the plan field), allocateBudget,
 *   allocateLifecycle or profitPlan (naming the field and the unit or stage number).
 */
export function buildBudgetTab(input: BudgetTabInput, context: ReportContext, options: BudgetTabOptions = {}): BudgetSheet {
  const model = budgetModel(input, context, options);
  const cells = new CellAddresses();
  const tab = new TabLayout();
  tab.add(titleSection("Budget", subtitleOf(model)));
  const headline = tab.reserve(headlineRows(model));
  tab.add(warningsSection(budgetWarnings(model), "Read this first", warningWidth(model)));
  tab.add(inputsSection(model, cells));
  tab.add(planLinesSection(model, cells));
  const channels = model.channels;
  if (channels) tab.add(channelTargetSection(model, channels, cells));
  if (model.lifecycle) tab.add(lifecycleTargetSection(model, cells));
  tab.add(channels?.profit ? profitPlanSection(model, channels, cells) : () => NOTHING);
  tab.fill(headline, headlineRows(model), headlineWithChecks(model, cells));
  const sheet = tab.sheet({ name: "Budget", columnWidths: COLUMN_WIDTHS, freeze: { rows: 2, columns: 0 }, provenance: provenanceOf(model) });
  return { ...sheet, figures: budgetFigures(sheet) };
}

/** The Budget tab, with its headline numbers for the Scorecard ({@link budgetFigures}). */
export type BudgetSheet = ReportSheet & { readonly figures: readonly Figure[] };

/**
 * The Budget tab's figures, each the cell that shows it (live formulas over the tab's inputs):
 * - `budget.budget`: the budget worked back from the revenue target (plan lines, "Budget");
 * - `budget.newCustomers`: new customers needed (plan lines);
 * - `budget.cac`: cost per new customer (input);
 * - `budget.retentionRate`: share of customers at start who buy again in the period (input);
 * - `budget.newCustomerClv`: CLV of a new customer (input; only when the purchase model was fitted);
 * - `budget.clvToCac`: CLV : CAC with the buffer (plan lines; only with a CLV);
 * - `budget.minimumClvToCac`: the CLV : CAC threshold set (input; only with a CLV).
 */
export function budgetFigures(sheet: ReportSheet): Figure[] {
  return present([
    labelledFigure(sheet, "Budget", { key: "budget.budget", label: "Budget for the next 12 months" }),
    labelledFigure(sheet, "New customers needed", { key: "budget.newCustomers", label: "New customers needed" }),
    labelledFigure(sheet, "CAC (cost per new customer)", { key: "budget.cac", label: "Cost per new customer (CAC)" }),
    labelledFigure(sheet, "Retention rate", { key: "budget.retentionRate", label: "Customers who buy again within 12 months" }),
    labelledFigure(sheet, "CLV of a new customer", { key: "budget.newCustomerClv", label: "CLV of a new customer" }),
    labelledFigure(sheet, "CLV : CAC", { key: "budget.clvToCac", label: "CLV : CAC" }),
    labelledFigure(sheet, "Minimum CLV : CAC", { key: "budget.minimumClvToCac", label: "Minimum CLV : CAC" }),
  ]);
}

function subtitleOf(model: BudgetModel): string {
  const split = model.channels || model.lifecycle ? `, and two ways to spend it per ${model.allocationPeriod}` : "";
  const currency = model.context.currency ? "" : " Amounts in the data's currency.";
  return `Budget for the next ${model.period} worked back from the revenue target${split}. Yellow cells are inputs.${currency}`;
}

const HILL_NOTE = "Hill curve: response = ceiling × (spend / half-saturation)^shape / (1 + (spend / half-saturation)^shape).";

/** With `liveAllocation`, whether the target plan's optimal spends are live IMC.ALLOCATE formulas, and if not why. */
function liveAllocationNotes(model: BudgetModel, converged: boolean, units: Parameters<typeof allocatesLive>[2]): string[] {
  if (!model.liveAllocation) return [];
  if (allocatesLive(true, converged, units)) return ["Optimal spends are IMC.ALLOCATE formulas over the budget allocated and the curve cells: they follow the inputs wherever the IMC add-in is loaded."];
  return [converged ? "Optimal spends are a snapshot: some channels or stages have a minimum or maximum spend, which IMC.ALLOCATE would need cells for." : "Optimal spends are a snapshot: IMC.ALLOCATE would not converge on these curves either."];
}

/** Where the numbers come from: sources, method, the allocation's method and caveats, the caller's notes. */
function provenanceOf(model: BudgetModel): Provenance {
  const { input, plan } = model;
  const notes: string[] = [...input.notes];
  const options: { label: string; value: string }[] = [
    { label: "Method", value: "budget from the end (inverted funnel): target − what existing customers bring, ÷ first-period revenue per new customer, × cost" },
    { label: "Period", value: model.period },
  ];
  for (const check of plan.checks) notes.push(`${check.label}: ${check.passed ? "passed" : "not met"} (${Number.parseFloat(check.value.toPrecision(4))}).`);
  const rounded = (x: number) => Math.round(x).toLocaleString("en-US");
  if (model.channels) {
    const { target, profit } = model.channels;
    options.push({ label: "Target plan", value: "grid hill-climb, then equal marginal ROI across channels, on Hill response curves" });
    notes.push(HILL_NOTE, "ROI = response ÷ spend; marginal ROI = the response of the last unit of spend (equal across channels strictly inside their bounds at the optimum).");
    if (target.lift !== null) notes.push(`Moving from the current to the target plan's split adds ${rounded(target.lift)} of response (${target.liftShare === null ? "n/a" : `${(100 * target.liftShare).toFixed(1)}%`}) on these curves.`);
    if (!target.converged) notes.push("The allocation did not fully converge; treat the optimal spends as approximate.");
    notes.push(...liveAllocationNotes(model, target.converged, model.channels.input.units));
    if (target.units.some((unit) => unit.currentSpend !== null) && !target.units.every((unit) => unit.currentSpend !== null)) notes.push("Some channels have no current spend: the spend chart is left out.");
    if (profit) {
      options.push({ label: "Profit plan", value: "each channel's spend of highest contribution (gross margin rate × revenue − spend), on the same curves" });
      notes.push("Profit plan: each channel stops where one more unit of spend brings back one unit of contribution, or stays at its minimum when no spend pays.");
    }
  }
  if (model.lifecycle) {
    const { result } = model.lifecycle;
    options.push({ label: "Target plan", value: "equal marginal customer value across stages (Blattberg & Deighton 1996)" });
    notes.push(HILL_NOTE.replace("response", "customers"), "Value = value per customer × customers; value ROI = value ÷ spend.");
    if (result.lift !== null) notes.push(`Moving from the current to the target plan's split adds ${rounded(result.lift)} of customer value on these curves.`);
    if (!result.converged) notes.push("The allocation did not fully converge; treat the optimal spends as approximate.");
    notes.push(...liveAllocationNotes(model, result.converged, model.lifecycle.input.stages));
  }
  notes.push(...(model.context.notes ?? []));
  return { sources: input.sources, options, generatedAt: model.context.generatedAt, notes };
}
