/**
 * The Budget tab: a budget worked back from a revenue target (budget from the end, domain.md §5.4)
 * written as live Excel formulas over an inputs block, its CLV:CAC and payback checks, and the split
 * of a budget across channels or lifecycle stages on response curves (domain.md §5.2–5.3).
 *
 * Every line of the plan is the engine's own formula (src/engine/budget/formula.ts) turned into
 * Excel text over the input cells, carrying the engine's value: change the target revenue (or any
 * yellow input) and the budget and the checks follow through the formulas alone. The allocation is
 * an optimisation, not a formula: its optimal spends are constants computed by the engine for the
 * budget shown; responses, changes and ROI around them are formulas over the table's own cells.
 */

import {
  allocateBudget,
  allocateLifecycle,
  budgetFromTheEnd,
  formulaText,
  formulaToExcel,
  type AllocationUnit,
  type BudgetFromTheEndInput,
  type BudgetLine,
  type BudgetPlan,
  profitPlan,
  type LifecycleStageInput,
} from "../engine/budget";
import { a1, provenanceBlock, type Block, type Cell, type CellStyle, type ChartSpec, type ConditionalFormat, type Provenance, type RangeRef, type ReportContext, type ReportSheet } from "./sheet";
import { formatCount } from "./format";

export interface BudgetTabInput {
  /** The plan's inputs (src/engine/budget/budgetFromTheEnd.ts). */
  readonly plan: BudgetFromTheEndInput;
  /** What to split and across what; null for no allocation section. */
  readonly allocation:
    | {
        readonly kind: "channels";
        readonly budget: number;
        readonly units: readonly AllocationUnit[];
        /**
         * How the curves were made, when every unit's curve was drawn through its current spend: that
         * spend buys this share of the ceiling, with this shape. The tab then shows both as input cells
         * and the ceilings and half-saturation spends as formulas of them.
         */
        readonly curveAssumption?: { readonly saturationAtCurrentSpend: number; readonly shape: number };
        /**
         * Gross margin rate for the profit plan (the curves' responses are revenue); `given` false
         * when the data has no margin and the rate is an assumption. No profit plan when omitted.
         */
        readonly grossMargin?: { readonly rate: number; readonly given: boolean } | null;
      }
    | { readonly kind: "lifecycle"; readonly budget: number; readonly stages: readonly LifecycleStageInput[] }
    | null;
  /** Where the inputs came from, for provenance. */
  readonly sources: readonly string[];
  /** How each input was derived, and the assumptions. */
  readonly notes: readonly string[];
  /** The plan's period in words (default "period"), e.g. "12 months". */
  readonly periodLabel?: string;
  /** One line saying what the allocation budget is and its period, e.g. "the plan's budget ÷ 12, per month". */
  readonly allocationBasis?: string;
  /** The allocation's period in words, e.g. "month"; the plan's period when omitted. */
  readonly allocationPeriodLabel?: string;
  /** Paid marketing spend in the 12 months before the plan (currency), to compare the budget with; null or omitted when unknown. */
  readonly spendLastYear?: number | null;
}

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

function labelOf(line: { readonly key: string; readonly label: string }): string {
  return LABELS[line.key] ?? line.label;
}

const PER_CUSTOMER = new Set(["revenue_per_customer", "first_period_revenue_per_new_customer", "cost_per_lead", "cac", "clv", "margin_per_customer_per_period", "planned_cac"]);

/** Multiples (CLV : CAC, ROI): 2.16×. */
const MULTIPLE = '0.00"×"';
/** A change against a reference, signed: +27.6%. */
const SIGNED_PERCENT = "+0.0%;-0.0%;0.0%";
/** A change in money, signed: +1,907. */
const SIGNED_INTEGER = "+#,##0;-#,##0;0";

/** Red where a number in the range is below 1 (blank cells, an unknown ROI, stay plain). */
function belowOne(range: RangeRef): ConditionalFormat {
  const corner = a1(range.row, range.column);
  return { range, rule: { kind: "expression", formula: `AND(ISNUMBER(${corner}),${corner}<1)`, look: "bad" } };
}

/**
 * The profit plan beside the target plan: per channel the spend where one more unit brings back one
 * unit of contribution (profitPlan, a snapshot), its revenue, contribution and marginal contribution as
 * formulas over the allocation table's curve cells and the margin rate cell. Returns the next free row.
 */
function profitPlanBlocks(
  blocks: Block[],
  conditionalFormats: ConditionalFormat[],
  startRow: number,
  units: readonly AllocationUnit[],
  target: ReturnType<typeof allocateBudget>,
  rate: number,
  marginCell: string,
  R: (offset: number, column: number) => string,
  n: number,
  allocationPeriod: string,
): number {
  const plan = profitPlan(units, rate);
  let row = startRow;
  blocks.push({ kind: "cells", row, column: 0, values: [[`Profit plan beside the target plan, per ${allocationPeriod}`]], style: "heading" });
  row++;
  const profitSpend = plan.reduce((s, u) => s + u.spend, 0);
  const targetSpend = target.units.reduce((s, u) => s + u.spend, 0);
  blocks.push({
    kind: "cells",
    row,
    column: 0,
    values: [
      [
        `Each channel funded while one more unit of spend brings back at least one unit of contribution (gross margin rate × marginal revenue ≥ 1): ${formatCount(profitSpend)} in all against the target plan's ${formatCount(targetSpend)}.`,
      ],
      ["Profit plan spend is computed by the runner; recompute after changing inputs. Revenue and contribution at the profit plan's spend. Red: marginal contribution below 1 (one more unit of spend would lose money)."],
    ],
    style: "note",
  });
  row += 2;
  const top = row;
  const P = (offset: number, column: number) => a1(top + 1 + offset, column);
  const rows: Cell[][] = plan.map((unit, i): Cell[] => {
    const x = P(i, 2);
    const t = `(${x}/${R(i, 2)})^${R(i, 3)}`;
    const marginal = target.units[i].marginalRoi;
    return [
      unit.name,
      { formula: R(i, 5), value: target.units[i].spend },
      unit.spend,
      // At a spend of 0 (a snapshot) both are 0 whatever the inputs: written as numbers, since a
      // formula's stored result of 0 did not survive the trip through the written file.
      unit.spend > 0 ? { formula: `${R(i, 1)}*${t}/(1+${t})`, value: unit.response } : 0,
      unit.spend > 0 ? { formula: `${marginCell}*${P(i, 3)}-${x}`, value: unit.contribution } : 0,
      unit.spend > 0 && unit.marginalContribution !== null
        ? { formula: `${marginCell}*${R(i, 1)}*${R(i, 3)}*${t}/(${x}*(1+${t})^2)`, value: unit.marginalContribution }
        : unit.marginalContribution,
      marginal === null ? null : { formula: `${marginCell}*${R(i, 11)}`, value: rate * marginal },
    ];
  });
  const totalsRow = top + 1 + n;
  const sum = (column: number, value: number): Cell => ({ formula: `SUM(${P(0, column)}:${P(n - 1, column)})`, value });
  blocks.push({
    kind: "table",
    name: "ProfitPlan",
    row: top,
    column: 0,
    headers: ["Channel", "Target plan spend", "Profit plan spend", "Revenue", "Contribution", "Marginal contribution", "Marginal contribution at the target plan"],
    rows,
    numberFormats: [null, "#,##0", "#,##0", "#,##0", "#,##0", MULTIPLE, MULTIPLE],
    totals: [
      "Total",
      sum(1, targetSpend),
      sum(2, profitSpend),
      sum(3, plan.reduce((s, u) => s + u.response, 0)),
      sum(4, plan.reduce((s, u) => s + u.contribution, 0)),
      null,
      null,
    ],
  });
  conditionalFormats.push(belowOne({ row: top + 1, column: 5, rowCount: n, columnCount: 2 }));
  return totalsRow + 2;
}

/** Names as a list in words: "A", "A and B", "A, B and C". */
function listOf(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

function numberFormat(key: string, unit: BudgetLine["unit"]): string {
  if (key === "clv_to_cac" || key === "minimum_clv_to_cac") return MULTIPLE;
  switch (unit) {
    case "currency":
      return PER_CUSTOMER.has(key) ? "#,##0.00" : "#,##0";
    case "customers":
    case "count":
      return "#,##0";
    case "ratio":
      return "0.0%";
    case "periods":
      return "0.0";
  }
}

/** A one-row block (each row of a label | value block has its own number format). */
function rowBlock(row: number, values: Cell[], format: string | null, styles: (CellStyle | null)[]): Block {
  return { kind: "cells", row, column: 0, values: [values], numberFormats: [null, format, null], columnStyles: styles };
}

const HILL_NOTE = "Hill curve: response = ceiling × (spend / half-saturation)^shape / (1 + (spend / half-saturation)^shape).";

/**
 * Column chart of current against optimal spend for an allocation table whose header is at `top`,
 * with `n` rows, unit names in column A and the current spend in `currentColumn` (optimal next to it).
 */
function currentAndOptimalChart(title: string, top: number, n: number, currentColumn: number): ChartSpec {
  const column = (index: number) => ({ row: top + 1, column: index, rowCount: n, columnCount: 1 });
  return {
    type: "column",
    title,
    categories: column(0),
    series: [
      { name: "Current spend", values: column(currentColumn) },
      { name: "Optimal spend", values: column(currentColumn + 1) },
    ],
    yAxisTitle: "Spend",
    valueFormat: "#,##0",
    anchor: { row: top + n + 3, column: 4, rows: 16, columns: 8 },
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

/**
 * The headline block: the budget, its change against last year's spend (when known) and the checks,
 * each check's result green where it passes and red where it fails (conditional formats added to
 * `conditionalFormats`).
 */
function headlineBlocks(
  plan: BudgetPlan,
  period: string,
  spendLastYear: number | null,
  top: number,
  cellOf: (key: string) => string,
  conditionalFormats: ConditionalFormat[],
): Block[] {
  const blocks: Block[] = [];
  let row = top;
  blocks.push({ kind: "cells", row, column: 0, values: [["At a glance", "Value", "What it means"]], style: "heading" });
  row++;
  const budgetRow = row;
  blocks.push(
    rowBlock(row, [`Budget for the next ${period}`, { formula: cellOf("budget"), value: plan.budget }, "what winning the new customers the revenue target needs costs, buffer included"], "#,##0", [
      "label",
      "total",
      "note",
    ]),
  );
  row++;
  if (spendLastYear !== null) {
    blocks.push(rowBlock(row, [`Marketing spend in the last ${period}`, spendLastYear, "paid spend in the spend table over the same length of time"], "#,##0", ["label", "body", "note"]));
    row++;
    blocks.push(
      rowBlock(
        row,
        ["Change against that spend", { formula: `${a1(budgetRow, 1)}/${a1(row - 1, 1)}-1`, value: plan.budget / spendLastYear - 1 }, "budget ÷ last spend − 1: what the plan asks for on top of today"],
        SIGNED_PERCENT,
        ["label", "total", "note"],
      ),
    );
    row++;
  }
  const checksTop = row;
  for (const check of plan.checks) {
    const clv = check.key === "clv_to_cac_check";
    const valueCell = cellOf(check.line);
    const thresholdCell = cellOf(clv ? "minimum_clv_to_cac" : "target_payback_periods");
    blocks.push(
      rowBlock(row, [clv ? "CLV : CAC check" : "Payback check (periods)", { formula: valueCell, value: check.value }, checkResult(check, valueCell, thresholdCell)], clv ? MULTIPLE : "0.0", [
        "label",
        "body",
        "total",
      ]),
    );
    row++;
  }
  if (plan.checks.length > 0) {
    const range = { row: checksTop, column: 2, rowCount: plan.checks.length, columnCount: 1 };
    conditionalFormats.push({ range, rule: { kind: "expression", formula: `${a1(checksTop, 2)}="Pass"`, look: "good" } });
    conditionalFormats.push({ range, rule: { kind: "expression", formula: `${a1(checksTop, 2)}<>"Pass"`, look: "bad" } });
    blocks.push({
      kind: "cells",
      row,
      column: 0,
      values: [[null, "Green: the check meets its threshold (CLV : CAC at least the minimum, payback at most the target, both inputs below); red: it does not."]],
      style: "note",
    });
  }
  return blocks;
}

/**
 * Builds the Budget tab.
 *
 * @param input the plan's inputs, the allocation (channels with response curves, or lifecycle
 *   stages with customer curves and values per customer, or null), sources and derivation notes.
 * @param context the generation time.
 * @returns the sheet: inputs (style "input"), the plan's lines as live formulas, checks as IF
 *   formulas, the allocation table, two charts and provenance.
 * @throws EngineError INVALID_INPUT from budgetFromTheEnd (naming the plan field), allocateBudget or
 *   allocateLifecycle (naming the field and the unit or stage number).
 */
export function buildBudgetTab(input: BudgetTabInput, context: ReportContext): ReportSheet {
  const plan = budgetFromTheEnd(input.plan);
  const period = input.periodLabel ?? "period";
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  const address = new Map<string, string>();
  const cellOf = (key: string): string => {
    const found = address.get(key);
    if (found === undefined) throw new Error(`buildBudgetTab: no cell for "${key}"`); // a plan built wrongly, not user input
    return found;
  };

  blocks.push({ kind: "cells", row: 0, column: 0, values: [["Budget"]], style: "title" });
  blocks.push({
    kind: "cells",
    row: 1,
    column: 0,
    values: [[`Budget worked back from the revenue target (budget from the end), per ${period}. The yellow cells are inputs: change them and the budget and checks follow.`]],
    style: "subtitle",
  });

  // Headline: the budget, its change against last year's spend, and the checks, written once the
  // lines' cells are known (its formulas refer to them below).
  const clvCheck = plan.checks.find((check) => check.key === "clv_to_cac_check");
  const paybackCheck = plan.checks.find((check) => check.key === "payback_check");
  const spendLastYear = input.spendLastYear != null && input.spendLastYear > 0 ? input.spendLastYear : null;
  const headlineTop = 3;
  const headlineRows = 2 + (spendLastYear === null ? 0 : 2) + plan.checks.length + (plan.checks.length > 0 ? 1 : 0);
  const conditionalFormats: ConditionalFormat[] = [];

  // Inputs.
  let row = headlineTop + headlineRows + 1;
  blocks.push({ kind: "cells", row, column: 0, values: [["Inputs", "Value", "What it is"]], style: "heading" });
  row++;
  const inputStyles: CellStyle[] = ["label", "input", "note"];
  for (const line of plan.inputs) {
    address.set(line.key, a1(row, 1));
    blocks.push(rowBlock(row, [labelOf(line), line.value, INPUT_NOTES[line.key] ?? ""], numberFormat(line.key, line.unit), inputStyles));
    row++;
  }
  if (clvCheck !== undefined) {
    address.set("minimum_clv_to_cac", a1(row, 1));
    blocks.push(rowBlock(row, ["Minimum CLV : CAC", clvCheck.threshold, INPUT_NOTES.minimum_clv_to_cac], MULTIPLE, inputStyles));
    row++;
  }
  if (paybackCheck !== undefined) {
    address.set("target_payback_periods", a1(row, 1));
    blocks.push(rowBlock(row, ["Target payback (periods)", paybackCheck.threshold, INPUT_NOTES.target_payback_periods], "0.0", inputStyles));
    row++;
  }

  // The plan's lines as live formulas.
  row++;
  blocks.push({ kind: "cells", row, column: 0, values: [["Budget from the end", "Value", "How it is computed"]], style: "heading" });
  row++;
  for (const line of plan.lines) {
    const formula = formulaToExcel(line.formula, cellOf).slice(1);
    const explanation = formulaText(line.formula).replace(/[a-z_]+/g, (key) => {
      const named = plan.inputs.find((i) => i.key === key) ?? plan.lines.find((l) => l.key === key);
      return named === undefined ? key : labelOf(named);
    });
    const isBudget = line.key === "budget";
    blocks.push(rowBlock(row, [labelOf(line), { formula, value: line.value }, explanation], numberFormat(line.key, line.unit), ["label", isBudget ? "total" : "body", "note"]));
    address.set(line.key, a1(row, 1));
    row++;
  }

  blocks.push(...headlineBlocks(plan, period, spendLastYear, headlineTop, cellOf, conditionalFormats));

  const notes: string[] = [...input.notes];
  const options: { label: string; value: string }[] = [
    { label: "Method", value: "budget from the end (inverted funnel): target − what existing customers bring, ÷ first-period revenue per new customer, × cost" },
    { label: "Period", value: period },
  ];
  for (const check of plan.checks) notes.push(`${check.label}: ${check.passed ? "passed" : "not met"} (${Number.parseFloat(check.value.toPrecision(4))}).`);

  // Allocation.
  const allocation = input.allocation;
  if (allocation !== null) {
    row++;
    const allocationPeriod = input.allocationPeriodLabel ?? period;
    const title = `${allocation.kind === "channels" ? "Allocation across channels" : "Allocation across lifecycle stages"}, per ${allocationPeriod}`;
    blocks.push({ kind: "cells", row, column: 0, values: [[title]], style: "heading" });
    row++;
    const assumption = allocation.kind === "channels" ? (allocation.curveAssumption ?? null) : null;
    let saturationCell = "";
    let shapeCell = "";
    if (assumption !== null) {
      saturationCell = a1(row, 1, true);
      blocks.push(
        rowBlock(row, ["Share of the ceiling bought now", assumption.saturationAtCurrentSpend, "assumption: the share of its ceiling each channel's current spend buys (50%: today's spend is the half-saturation spend)"], "0.0%", inputStyles),
      );
      row++;
      shapeCell = a1(row, 1, true);
      blocks.push(rowBlock(row, ["Curve shape", assumption.shape, "assumption: 1 = each extra unit buys less than the one before; above 1 = S-shaped"], "0.00", inputStyles));
      row++;
    }
    const grossMargin = allocation.kind === "channels" ? (allocation.grossMargin ?? null) : null;
    let marginCell = "";
    if (grossMargin !== null) {
      marginCell = a1(row, 1, true);
      const note = grossMargin.given
        ? "share of revenue kept as contribution, for the profit plan below"
        : "the data has no margin: the profit plan below assumes the rate shown";
      blocks.push(rowBlock(row, ["Gross margin rate", grossMargin.rate, note], "0.0%", inputStyles));
      row++;
    }
    blocks.push({
      kind: "cells",
      row,
      column: 0,
      values: [["Budget allocated", allocation.budget, input.allocationBasis ?? ""]],
      numberFormats: [null, "#,##0", null],
      columnStyles: ["label", "total", "note"],
    });
    row++;
    const channelResult = allocation.kind === "channels" ? allocateBudget({ budget: allocation.budget, units: allocation.units }) : null;
    const lifecycleResult = allocation.kind === "lifecycle" ? allocateLifecycle({ budget: allocation.budget, stages: allocation.stages }) : null;
    // Warnings that change the decision, in red, above the table.
    const funded = channelResult
      ? channelResult.units.map((u) => ({ name: u.name, spend: u.spend, roi: u.roi, marginal: u.marginalRoi }))
      : lifecycleResult!.stages.map((s) => ({ name: s.stage, spend: s.spend, roi: s.valueRoi, marginal: s.marginalValue }));
    const what = channelResult ? "attributed revenue" : "customer value";
    const warnings: string[] = [];
    const marginalLosers = funded.filter((u) => u.spend > 0 && u.marginal !== null && u.marginal < 1);
    if (marginalLosers.length > 0) {
      const range = marginalLosers.map((u) => u.marginal!);
      const lo = Math.min(...range).toFixed(2);
      const hi = Math.max(...range).toFixed(2);
      warnings.push(
        `Marginal ROI below 1 (${lo === hi ? lo : `${lo} to ${hi}`}) on ${listOf(marginalLosers.map((u) => u.name))}: their last unit of spend brings back less ${what} than it costs; a smaller budget earns more.`,
      );
    }
    const roiLosers = funded.filter((u) => u.spend > 0 && u.roi !== null && u.roi < 1);
    if (roiLosers.length > 0) {
      warnings.push(`ROI below 1 at the optimal spend on ${listOf(roiLosers.map((u) => u.name))}: ${roiLosers.length === 1 ? "it brings" : "they bring"} back less ${what} than ${roiLosers.length === 1 ? "it costs" : "they cost"}.`);
    }
    for (const warning of warnings) {
      blocks.push({ kind: "cells", row, column: 0, values: [[warning, ...Array<Cell>(11).fill(null)]], style: "total" });
      conditionalFormats.push({ range: { row, column: 0, rowCount: 1, columnCount: 12 }, rule: { kind: "expression", formula: `$${a1(row, 0)}<>""`, look: "bad" } });
      row++;
    }
    blocks.push({
      kind: "cells",
      row,
      column: 0,
      values: [
        [
          `Optimal spend is computed by the runner; recompute after changing inputs. Red: ROI or marginal ROI below 1 (less ${what} back than the spend costs).`,
        ],
      ],
      style: "note",
    });
    row += 1;
    const top = row;
    const R = (offset: number, column: number) => a1(top + 1 + offset, column);
    let channelRows = 0;
    if (allocation.kind === "channels") {
      const result = channelResult!;
      const rows: Cell[][] = result.units.map((unit, i): Cell[] => {
        const curve = allocation.units[i].curve;
        const response = (spendCell: string) => `${R(i, 1)}*(${spendCell}/${R(i, 2)})^${R(i, 3)}/(1+(${spendCell}/${R(i, 2)})^${R(i, 3)})`;
        const known = unit.currentSpend !== null;
        // With the curve assumption the current response is the data (what current spend buys now)
        // and the curve is drawn through it by formulas of the two assumption cells.
        const live = assumption !== null && known && unit.currentSpend! > 0 && unit.currentResponse !== null;
        const s = saturationCell;
        const a = shapeCell;
        return [
          unit.name,
          live ? { formula: `${R(i, 7)}/${s}`, value: curve.ceiling } : curve.ceiling,
          live ? { formula: `${R(i, 4)}/(${s}/(1-${s}))^(1/${a})`, value: curve.halfSaturation } : curve.halfSaturation,
          live ? { formula: a, value: curve.shape } : curve.shape,
          unit.currentSpend,
          unit.spend,
          known ? { formula: `${R(i, 5)}-${R(i, 4)}`, value: unit.change } : null,
          live ? unit.currentResponse : known ? { formula: response(R(i, 4)), value: unit.currentResponse } : null,
          unit.spend > 0 ? { formula: response(R(i, 5)), value: unit.response } : 0,
          known && unit.currentSpend! > 0 ? { formula: `${R(i, 7)}/${R(i, 4)}`, value: unit.currentResponse! / unit.currentSpend! } : null,
          unit.spend > 0 ? { formula: `${R(i, 8)}/${R(i, 5)}`, value: unit.roi } : null,
          unit.spend > 0 && unit.marginalRoi !== null
            ? { formula: `${R(i, 1)}*${R(i, 3)}*(${R(i, 5)}/${R(i, 2)})^${R(i, 3)}/(${R(i, 5)}*(1+(${R(i, 5)}/${R(i, 2)})^${R(i, 3)})^2)`, value: unit.marginalRoi }
            : unit.marginalRoi,
        ];
      });
      const n = rows.length;
      channelRows = n;
      const sum = (column: number, value: number | null): Cell => (value === null ? null : { formula: `SUM(${R(0, column)}:${R(n - 1, column)})`, value });
      const totalsRow = top + 1 + n;
      const currentSpend = result.currentTotalSpend;
      const currentResponse = result.currentTotalResponse;
      blocks.push({
        kind: "table",
        name: "BudgetAllocation",
        row: top,
        column: 0,
        headers: [
          "Channel",
          "Ceiling",
          "Half-saturation spend",
          "Shape",
          "Current spend",
          "Optimal spend",
          "Change",
          "Current response",
          "Optimal response",
          "Current ROI",
          "Optimal ROI",
          "Marginal ROI",
        ],
        rows,
        numberFormats: [null, "#,##0", "#,##0", "0.00", "#,##0", "#,##0", SIGNED_INTEGER, "#,##0", "#,##0", MULTIPLE, MULTIPLE, MULTIPLE],
        totals: [
          "Total",
          null,
          null,
          null,
          sum(4, currentSpend),
          sum(5, result.units.reduce((s, u) => s + u.spend, 0)),
          currentSpend === null ? null : sum(6, result.units.reduce((s, u) => s + (u.change ?? 0), 0)),
          sum(7, currentResponse),
          sum(8, result.totalResponse),
          currentSpend !== null && currentSpend > 0 && currentResponse !== null
            ? { formula: `${a1(totalsRow, 7)}/${a1(totalsRow, 4)}`, value: currentResponse / currentSpend }
            : null,
          result.totalRoi === null ? null : { formula: `${a1(totalsRow, 8)}/${a1(totalsRow, 5)}`, value: result.totalRoi },
          result.marginalRoi,
        ],
      });
      conditionalFormats.push(belowOne({ row: top + 1, column: 9, rowCount: n, columnCount: 3 }));
      if (result.units.every((unit) => unit.currentSpend !== null)) {
        charts.push(currentAndOptimalChart("Current and optimal spend per channel", top, n, 4));
      }
      row = totalsRow + 2;
      options.push({ label: "Allocation", value: "grid hill-climb, then equal marginal ROI across channels, on Hill response curves" });
      notes.push(HILL_NOTE, "ROI = response ÷ spend; marginal ROI = the response of the last unit of spend (equal across channels strictly inside their bounds at the optimum).");
      if (result.lift !== null) notes.push(`Moving from the current to the optimal split adds ${Math.round(result.lift).toLocaleString("en-US")} of response (${result.liftShare === null ? "n/a" : `${(100 * result.liftShare).toFixed(1)}%`}) on these curves.`);
      if (!result.converged) notes.push("The allocation did not fully converge; treat the optimal spends as approximate.");
      if (result.units.some((unit) => unit.currentSpend !== null) && !result.units.every((unit) => unit.currentSpend !== null)) {
        notes.push("Some channels have no current spend: the spend chart is left out.");
      }
    } else {
      const result = lifecycleResult!;
      const rows: Cell[][] = result.stages.map((stage, i): Cell[] => {
        const input = allocation.stages[i];
        const curve = input.customerCurve;
        const current = input.currentSpend ?? null;
        return [
          stage.stage,
          input.valuePerCustomer,
          curve.ceiling,
          curve.halfSaturation,
          curve.shape,
          current,
          stage.spend,
          current === null ? null : { formula: `${R(i, 6)}-${R(i, 5)}`, value: stage.change },
          { formula: `${R(i, 2)}*(${R(i, 6)}/${R(i, 3)})^${R(i, 4)}/(1+(${R(i, 6)}/${R(i, 3)})^${R(i, 4)})`, value: stage.customers },
          { formula: `${R(i, 1)}*${R(i, 8)}`, value: stage.value },
          stage.costPerCustomer === null ? null : { formula: `${R(i, 6)}/${R(i, 8)}`, value: stage.costPerCustomer },
          stage.valueRoi === null ? null : { formula: `${R(i, 9)}/${R(i, 6)}`, value: stage.valueRoi },
          stage.marginalValue,
        ];
      });
      const n = rows.length;
      const totalsRow = top + 1 + n;
      const everyCurrent = allocation.stages.every((stage) => (stage.currentSpend ?? null) !== null);
      const currentTotal = everyCurrent ? allocation.stages.reduce((s, stage) => s + (stage.currentSpend ?? 0), 0) : null;
      blocks.push({
        kind: "table",
        name: "LifecycleAllocation",
        row: top,
        column: 0,
        headers: ["Stage", "Value per customer", "Ceiling (customers)", "Half-saturation spend", "Shape", "Current spend", "Optimal spend", "Change", "Customers", "Value", "Cost per customer", "Value ROI", "Marginal value"],
        rows,
        numberFormats: [null, "#,##0.00", "#,##0", "#,##0", "0.00", "#,##0", "#,##0", SIGNED_INTEGER, "#,##0", "#,##0", "#,##0.00", MULTIPLE, MULTIPLE],
        totals: [
          "Total",
          null,
          null,
          null,
          null,
          currentTotal === null ? null : { formula: `SUM(${R(0, 5)}:${R(n - 1, 5)})`, value: currentTotal },
          { formula: `SUM(${R(0, 6)}:${R(n - 1, 6)})`, value: result.stages.reduce((s, stage) => s + stage.spend, 0) },
          currentTotal === null ? null : { formula: `SUM(${R(0, 7)}:${R(n - 1, 7)})`, value: result.stages.reduce((s, stage) => s + (stage.change ?? 0), 0) },
          null,
          { formula: `SUM(${R(0, 9)}:${R(n - 1, 9)})`, value: result.totalValue },
          null,
          result.budget > 0 ? { formula: `${a1(totalsRow, 9)}/${a1(totalsRow, 6)}`, value: result.totalValue / result.budget } : null,
          result.marginalValue,
        ],
      });
      conditionalFormats.push(belowOne({ row: top + 1, column: 11, rowCount: n, columnCount: 2 }));
      if (everyCurrent) {
        charts.push(currentAndOptimalChart("Current and optimal spend per lifecycle stage", top, n, 5));
      }
      row = totalsRow + 2;
      options.push({ label: "Allocation", value: "equal marginal customer value across stages (Blattberg & Deighton 1996)" });
      notes.push(HILL_NOTE.replace("response", "customers"), "Value = value per customer × customers; value ROI = value ÷ spend.");
      if (result.lift !== null) notes.push(`Moving from the current to the optimal split adds ${Math.round(result.lift).toLocaleString("en-US")} of customer value on these curves.`);
      if (!result.converged) notes.push("The allocation did not fully converge; treat the optimal spends as approximate.");
    }
    notes.push("The optimal spends are computed by the engine for the budget allocated above; they do not follow edits to the inputs (run the report again to re-allocate).");
    // Leave room for the spend chart under the table.
    if (charts.length > 0) row = Math.max(row, charts[charts.length - 1].anchor.row + charts[charts.length - 1].anchor.rows + 1);
    if (allocation.kind === "channels" && grossMargin !== null) {
      row = profitPlanBlocks(blocks, conditionalFormats, row, allocation.units, channelResult!, grossMargin.rate, marginCell, R, channelRows, allocationPeriod);
      notes.push("Profit plan: each channel's spend of highest contribution (gross margin rate × revenue − spend), where one more unit of spend brings back one unit of contribution, or its minimum when no spend pays.");
    }
  }

  notes.push(...(context.notes ?? []));
  const provenance: Provenance = { sources: input.sources, options, generatedAt: context.generatedAt, notes };
  blocks.push(provenanceBlock(provenance, row + 1, 0));
  return {
    name: "Budget",
    blocks,
    columnWidths: [40, 16, 18, 12, 14, 20, 12, 16, 16, 12, 12, 12, 14],
    freeze: { rows: 2, columns: 0 },
    conditionalFormats,
    charts,
    provenance,
  };
}
