/**
 * The Budget tab's plan sections: the headline, the warnings, the inputs and the lines of the budget
 * worked back from the revenue target (budget from the end), each line a live formula over the
 * input cells carrying the engine's value.
 */

import { formulaText, formulaToExcel, type BudgetLine, type BudgetPlan } from "../../engine/budget";
import { headlineSection, type HeadlineItem, type Section } from "../layout";
import { a1, type Block, type Cell, type CellStyle, type ConditionalFormat } from "../sheet";
import { MULTIPLE, SIGNED_PERCENT, listOf, padded, wholeAmount, type BudgetFormats, type BudgetModel, type CellAddresses } from "./model";

/** Plain explanation of each input, shown beside its cell. */
const INPUT_NOTES: Readonly<Record<string, string>> = {
  target_revenue: "revenue wanted in the period",
  customers_at_start: "customers at the start of the period",
  retention_rate: "share of them who buy again in the period",
  revenue_per_customer: "revenue per retained customer in the period",
  first_period_revenue_per_new_customer: "revenue a new customer brings in the period they are won",
  lead_to_mql_rate: "funnel rate",
  mql_to_sql_rate: "funnel rate",
  sql_to_opportunity_rate: "funnel rate",
  win_rate: "funnel rate",
  cost_per_lead: "cost of one lead",
  cac: "acquisition cost per new customer",
  buffer: "safety margin added to the budget",
  clv: "customer lifetime value of a new customer",
  margin_per_customer_per_period: "margin a customer brings per period",
  target_payback_periods: "longest acceptable payback",
  minimum_clv_to_cac: "CLV : CAC should be at least this",
};

/** Labels that would read the same for an input and a line ("Buffer") are told apart. */
const LABELS: Readonly<Record<string, string>> = { buffer: "Buffer (share of budget)", buffer_amount: "Buffer amount" };

const PER_CUSTOMER = new Set(["revenue_per_customer", "first_period_revenue_per_new_customer", "cost_per_lead", "cac", "clv", "margin_per_customer_per_period", "planned_cac"]);

const INPUT_STYLES: CellStyle[] = ["label", "input", "note"];

function labelOf(line: { readonly key: string; readonly label: string }): string {
  return LABELS[line.key] ?? line.label;
}

function numberFormat(key: string, unit: BudgetLine["unit"], formats: BudgetFormats): string {
  if (key === "clv_to_cac" || key === "minimum_clv_to_cac") return MULTIPLE;
  switch (unit) {
    case "currency":
      return PER_CUSTOMER.has(key) ? formats.moneyPerUnit : formats.money;
    case "customers":
    case "count":
      return "#,##0";
    case "ratio":
      return "0.0%";
    case "periods":
      return "0.0";
  }
}

/**
 * A label | value | note row (each row of such a block has its own number format, padded on the
 * right so the note beside the number does not touch it).
 */
export function rowBlock(row: number, values: Cell[], format: string | null, styles: (CellStyle | null)[]): Block {
  return { kind: "cells", row, column: 0, values: [values], numberFormats: [null, format === null ? null : padded(format), null], columnStyles: styles };
}

/** A heading over a label | value | note block. */
function headingRow(row: number, title: string, third: string, second = "Value"): Block {
  return { kind: "cells", row, column: 0, values: [[title, second, third]], style: "heading" };
}

const clvCheckOf = (plan: BudgetPlan) => plan.checks.find((check) => check.key === "clv_to_cac_check");
const paybackCheckOf = (plan: BudgetPlan) => plan.checks.find((check) => check.key === "payback_check");

/**
 * The inputs, one yellow cell each: the plan's inputs, the checks' thresholds, then last year's
 * paid spend (data, for the headline's comparison).
 */
export function inputsSection(model: BudgetModel, cells: CellAddresses): Section {
  return (top) => {
    const blocks: Block[] = [headingRow(top, "Inputs", "What it is")];
    let row = top + 1;
    const add = (key: string, values: Cell[], format: string, styles = INPUT_STYLES) => {
      cells.set(key, row);
      blocks.push(rowBlock(row++, values, format, styles));
    };
    for (const line of model.plan.inputs) add(line.key, [labelOf(line), line.value, INPUT_NOTES[line.key] ?? ""], numberFormat(line.key, line.unit, model.formats));
    const clvCheck = clvCheckOf(model.plan);
    if (clvCheck) add("minimum_clv_to_cac", ["Minimum CLV : CAC", clvCheck.threshold, INPUT_NOTES.minimum_clv_to_cac], MULTIPLE);
    const paybackCheck = paybackCheckOf(model.plan);
    if (paybackCheck) add("target_payback_periods", ["Target payback (periods)", paybackCheck.threshold, INPUT_NOTES.target_payback_periods], "0.0");
    if (model.spendLastYear !== null) {
      add(
        "spend_last_year",
        [`Marketing spend in the last ${model.period}`, model.spendLastYear, "paid spend in the spend table over the same length of time (data)"],
        model.formats.money,
        ["label", "body", "note"],
      );
    }
    return { blocks, rows: row - top };
  };
}

/** The plan's lines, each a live formula over the inputs with its explanation in words. */
export function planLinesSection(model: BudgetModel, cells: CellAddresses): Section {
  const { plan } = model;
  return (top) => {
    const blocks: Block[] = [headingRow(top, "Budget from the end", "How it is computed", `For ${model.period}`)];
    plan.lines.forEach((line, i) => {
      const row = top + 1 + i;
      const formula = formulaToExcel(line.formula, (key) => cells.get(key)).slice(1);
      const explanation = formulaText(line.formula).replace(/[a-z_]+/g, (key) => {
        const named = plan.inputs.find((input) => input.key === key) ?? plan.lines.find((l) => l.key === key);
        return named === undefined ? key : labelOf(named);
      });
      blocks.push(rowBlock(row, [labelOf(line), { formula, value: line.value }, explanation], numberFormat(line.key, line.unit, model.formats), ["label", line.key === "budget" ? "total" : "body", "note"]));
      cells.set(line.key, row);
    });
    return { blocks, rows: 1 + plan.lines.length };
  };
}

/** What a failed check says, in the result cell (the formula's text and the engine's value). */
function checkResult(check: BudgetPlan["checks"][number], valueCell: string, thresholdCell: string): Cell {
  const clv = check.key === "clv_to_cac_check";
  const operator = check.rule === "at least" ? ">=" : "<=";
  const format = clv ? "0.00" : "0.0";
  const failed = clv ? ": acquisition too expensive at this budget" : " periods: payback too slow";
  const word = clv ? "Below " : "Above ";
  const text = `${word}${check.threshold.toFixed(clv ? 2 : 1)}${failed}`;
  return { formula: `IF(${valueCell}${operator}${thresholdCell},"Pass","${word}"&TEXT(${thresholdCell},"${format}")&"${failed}")`, value: check.passed ? "Pass" : text };
}

/** The headline's numbers: the budget, its change against last year's spend, the two plans side by side. */
function headlineItems(model: BudgetModel, cells: CellAddresses): HeadlineItem[] {
  const { plan, formats } = model;
  const items: HeadlineItem[] = [
    {
      label: `Budget for the next ${model.period}`,
      value: { formula: cells.get("budget"), value: plan.budget },
      format: padded(formats.money),
      sentence: "what winning the new customers the revenue target needs costs, buffer included",
    },
  ];
  const newCustomers = plan.lines.find((line) => line.key === "new_customers");
  if (newCustomers !== undefined) {
    items.push({
      label: "New customers needed",
      value: { formula: cells.get(newCustomers.key), value: newCustomers.value },
      format: padded("#,##0"),
      sentence: "to fill the revenue gap existing customers leave; the budget is their cost",
    });
  }
  if (model.spendLastYear !== null) {
    items.push({
      label: `Change against the last ${model.period} of spend`,
      value: { formula: `${cells.get("budget")}/${cells.get("spend_last_year")}-1`, value: plan.budget / model.spendLastYear - 1 },
      format: padded(SIGNED_PERCENT),
      sentence: `against ${wholeAmount(model.spendLastYear)} of paid spend in the last ${model.period}: what the plan asks for on top of today`,
    });
  }
  const profit = model.channels?.profit ?? null;
  if (model.channels !== null && profit !== null) {
    const per = model.allocationPeriod;
    const targetSpend = model.channels.target.units.reduce((s, u) => s + u.spend, 0);
    const targetContribution = profit.rate * model.channels.target.totalResponse - targetSpend;
    const profitSpend = profit.units.reduce((s, u) => s + u.spend, 0);
    const profitContribution = profit.units.reduce((s, u) => s + u.contribution, 0);
    const margin = `${(100 * profit.rate).toFixed(1)}% gross margin${profit.given ? "" : ", assumed"}`;
    items.push(
      {
        label: `Profit plan spend per ${per}`,
        value: { formula: cells.get("profit_spend_total"), value: profitSpend },
        format: padded(formats.money),
        sentence: `against ${wholeAmount(targetSpend)} in the target plan: each channel funded only while its next unit of spend brings back at least one of contribution`,
      },
      {
        label: `Profit plan contribution per ${per}`,
        value: { formula: cells.get("profit_contribution_total"), value: profitContribution },
        format: padded(formats.money),
        sentence: `against ${wholeAmount(targetContribution)} for the target plan (contribution = margin × revenue − spend, at ${margin})`,
        bad: profitContribution < targetContribution - 1e-9 ? true : undefined,
      },
    );
  }
  return items;
}

/** Rows the headline takes, for the layout to keep before the cells it quotes are placed. */
export function headlineRows(model: BudgetModel): number {
  const profit = model.channels?.profit ? 2 : 0;
  const checks = model.plan.checks.length;
  const newCustomers = model.plan.lines.some((line) => line.key === "new_customers") ? 1 : 0;
  return 1 + 1 + newCustomers + (model.spendLastYear === null ? 0 : 1) + profit + checks + (checks > 0 ? 1 : 0);
}

/**
 * The headline: the budget, its change against last year's spend, the profit plan against the
 * target plan, then the checks (CLV : CAC, payback) with a live Pass or the reason they fail,
 * green where they pass and red where they fail.
 */
export function headlineWithChecks(model: BudgetModel, cells: CellAddresses): Section {
  const numbers = headlineSection(headlineItems(model, cells));
  return (top) => {
    const head = numbers(top);
    const blocks: Block[] = [...head.blocks];
    const conditionalFormats: ConditionalFormat[] = [...(head.conditionalFormats ?? [])];
    const checksTop = top + head.rows;
    model.plan.checks.forEach((check, i) => {
      const clv = check.key === "clv_to_cac_check";
      const valueCell = cells.get(check.line);
      const thresholdCell = cells.get(clv ? "minimum_clv_to_cac" : "target_payback_periods");
      blocks.push(
        rowBlock(checksTop + i, [clv ? "CLV : CAC check" : "Payback check (periods)", { formula: valueCell, value: check.value }, checkResult(check, valueCell, thresholdCell)], clv ? MULTIPLE : "0.0", [
          "label",
          "total",
          "total",
        ]),
      );
    });
    const n = model.plan.checks.length;
    if (n === 0) return { blocks, conditionalFormats, rows: head.rows };
    const range = { row: checksTop, column: 1, rowCount: n, columnCount: 2 };
    const result = `$${a1(checksTop, 2)}`;
    conditionalFormats.push({ range, rule: { kind: "expression", formula: `${result}="Pass"`, look: "good" } });
    conditionalFormats.push({ range, rule: { kind: "expression", formula: `${result}<>"Pass"`, look: "bad" } });
    blocks.push({
      kind: "cells",
      row: checksTop + n,
      column: 0,
      values: [[null, "Green: the check meets its threshold (CLV : CAC at least the minimum, payback at most the target, both inputs below); red: it does not."]],
      style: "note",
    });
    return { blocks, conditionalFormats, rows: head.rows + n + 1 };
  };
}

/**
 * Warnings that change the decision: failed checks, and target-plan channels whose last unit of
 * spend (marginal ROI) or whole spend (ROI) brings back less than it costs.
 */
export function budgetWarnings(model: BudgetModel): string[] {
  const warnings: string[] = [];
  for (const check of model.plan.checks) {
    if (check.passed) continue;
    warnings.push(
      check.key === "clv_to_cac_check"
        ? `CLV : CAC is ${check.value.toFixed(2)}, below the ${check.threshold.toFixed(2)} set: acquisition is too expensive at this budget.`
        : `Payback takes ${check.value.toFixed(1)} periods, above the ${check.threshold.toFixed(1)} set: each new customer pays back their cost too slowly.`,
    );
  }
  const funded = model.channels
    ? model.channels.target.units.map((u) => ({ name: u.name, spend: u.spend, roi: u.roi, marginal: u.marginalRoi }))
    : model.lifecycle
      ? model.lifecycle.result.stages.map((s) => ({ name: s.stage, spend: s.spend, roi: s.valueRoi, marginal: s.marginalValue }))
      : [];
  const what = model.channels ? "attributed revenue" : "customer value";
  const marginalLosers = funded.filter((u) => u.spend > 0 && u.marginal !== null && u.marginal < 1);
  if (marginalLosers.length > 0) {
    const range = marginalLosers.map((u) => u.marginal!);
    const lo = Math.min(...range).toFixed(2);
    const hi = Math.max(...range).toFixed(2);
    warnings.push(
      `Marginal ROI below 1 (${lo === hi ? lo : `${lo} to ${hi}`}) on ${listOf(marginalLosers.map((u) => u.name))}: their last unit of spend brings back less ${what} than it costs; a smaller budget earns more.`,
    );
    const profit = model.channels?.profit ?? null;
    if (model.channels !== null && profit !== null) {
      const targetSpend = model.channels.target.units.reduce((s, u) => s + u.spend, 0);
      const targetContribution = profit.rate * model.channels.target.totalResponse - targetSpend;
      const profitSpend = profit.units.reduce((s, u) => s + u.spend, 0);
      const profitContribution = profit.units.reduce((s, u) => s + u.contribution, 0);
      warnings.push(
        `At a ${(100 * profit.rate).toFixed(1)}% gross margin the profit plan below spends ${wholeAmount(profitSpend)} per ${model.allocationPeriod} for ${wholeAmount(profitContribution)} of contribution, against ${wholeAmount(targetSpend)} for ${wholeAmount(targetContribution)} in the target plan.`,
      );
    }
  }
  const roiLosers = funded.filter((u) => u.spend > 0 && u.roi !== null && u.roi < 1);
  if (roiLosers.length > 0) {
    const one = roiLosers.length === 1;
    warnings.push(`ROI below 1 at the target plan's spend on ${listOf(roiLosers.map((u) => u.name))}: ${one ? "it brings" : "they bring"} back less ${what} than ${one ? "it costs" : "they cost"}.`);
  }
  return warnings;
}
