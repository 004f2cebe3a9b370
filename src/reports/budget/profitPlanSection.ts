/**
 * The profit plan beside the target plan: per channel the spend where one more unit of spend brings
 * back one unit of contribution (gross margin rate × marginal revenue = 1; src/engine/budget/
 * profitPlan.ts, a snapshot), and both plans' spend, contribution and marginal contribution as
 * formulas over the target plan table's curve cells and the margin rate cell.
 */

import type { ProfitPlanUnit } from "../../engine/budget";
import { tableColumn } from "../format";
import { headingBlock, type Section } from "../layout";
import { a1, type Block, type Cell, type ChartSpec, type TableBlock } from "../sheet";
import { rowBlock } from "./planSections";
import { MULTIPLE, belowOne, recomputeClause, type BudgetModel, type CellAddresses, type ChannelPlans } from "./model";

/** Rows the chart under the table takes. */
const CHART_ROWS = 16;

/** Where the profit plan leaves a channel, in words. */
function funding(unit: ProfitPlanUnit, minSpend: number): string {
  if (unit.spend > minSpend) return unit.bound === "max" ? "At its maximum" : "Funded";
  return minSpend > 0 ? "At its minimum" : "Not funded";
}

/** The margin rate input, saying whether the data gave it or the plan assumes it. */
function marginBlock(row: number, rate: number, given: boolean): Block {
  const note = given ? "share of revenue kept as contribution, for the profit plan below" : "the data has no margin: the profit plan below assumes the rate shown";
  return rowBlock(row, ["Gross margin rate", rate, note], "0.0%", ["label", "input", "note"]);
}

/**
 * The profit plan's notes. Its spends stay a snapshot even when the target plan's are live (no
 * IMC function finds the spend of highest contribution), so the note says how to recompute them.
 */
function notesBlock(row: number, recompute: string): Block {
  return {
    kind: "cells",
    row,
    column: 0,
    values: [
      ["Profit plan: each channel funded while one more unit of spend brings back at least one unit of contribution (gross margin rate × marginal revenue ≥ 1), whatever the budget."],
      [`Contribution = gross margin rate × revenue − spend. Profit plan spend is a snapshot: after changing inputs, ${recompute}. The other columns are formulas.`],
      ["Red: marginal contribution below 1 (the last unit of spend, or a channel's first when it is not funded, brings back less contribution than it costs)."],
    ],
    style: "note",
  };
}

/** The profit plan section: margin rate, the two plans side by side per channel, and a chart of both plans' spend. */
export function profitPlanSection(model: BudgetModel, plans: ChannelPlans, cells: CellAddresses): Section {
  return (sectionTop) => {
    const profit = plans.profit!;
    cells.set("margin", sectionTop + 1);
    const blocks: Block[] = [headingBlock(sectionTop, `Profit plan beside the target plan, per ${model.allocationPeriod}`), marginBlock(sectionTop + 1, profit.rate, profit.given), notesBlock(sectionTop + 2, recomputeClause(model))];
    const top = sectionTop + 5;
    const table = profitTable(model, plans, top, cells);
    const n = table.rows.length;
    const totalsRow = top + 1 + n;
    const column = (index: number) => tableColumn(table, index);
    const chart: ChartSpec = {
      type: "column",
      title: "Target and profit plan spend per channel",
      categories: column(0),
      series: [
        { name: "Target plan spend", values: column(2) },
        { name: "Profit plan spend", values: column(5) },
      ],
      yAxisTitle: "Spend",
      valueFormat: model.formats.money.split(";")[0],
      anchor: { row: totalsRow + 2, column: 1, rows: CHART_ROWS - 1, columns: 8 },
    };
    const conditionalFormats = [belowOne(column(4)), belowOne(column(8))];
    return { blocks: [...blocks, table], charts: [chart], conditionalFormats, rows: totalsRow + 1 + CHART_ROWS - sectionTop + 1 };
  };
}

/**
 * The two plans per channel at `top`: the target plan's spend (from its table), contribution and
 * marginal contribution; the profit plan's spend (a snapshot), revenue, contribution and marginal
 * contribution, all formulas over the target plan table's curve cells and the margin rate cell.
 * The profit plan's totals are kept as "profit_spend_total" and "profit_contribution_total".
 */
function profitTable(model: BudgetModel, plans: ChannelPlans, top: number, cells: CellAddresses): TableBlock {
  const profit = plans.profit!;
  const money = model.formats.money;
  const m = cells.get("margin");
  const targetTop = cells.row("target_table");
  const R = (offset: number, column: number) => a1(targetTop + 1 + offset, column);
  const P = (offset: number, column: number) => a1(top + 1 + offset, column);
  const rows = profit.units.map((unit, i): Cell[] => {
    const target = plans.target.units[i];
    const x = P(i, 5);
    const t = `(${x}/${R(i, 2)})^${R(i, 3)}`;
    return [
      unit.name,
      funding(unit, plans.input.units[i].minSpend ?? 0),
      { formula: R(i, 5), value: target.spend },
      { formula: `${m}*${R(i, 8)}-${R(i, 5)}`, value: profit.rate * target.response - target.spend },
      target.marginalRoi === null ? null : { formula: `${m}*${R(i, 11)}`, value: profit.rate * target.marginalRoi },
      unit.spend,
      // At a spend of 0 (a snapshot) revenue and contribution are 0 whatever the inputs: written as
      // numbers, since a formula's stored result of 0 did not survive the trip through the written file.
      unit.spend > 0 ? { formula: `${R(i, 1)}*${t}/(1+${t})`, value: unit.response } : 0,
      unit.spend > 0 ? { formula: `${m}*${P(i, 6)}-${x}`, value: unit.contribution } : 0,
      unit.spend > 0 && unit.marginalContribution !== null ? { formula: `${m}*${R(i, 1)}*${R(i, 3)}*${t}/(${x}*(1+${t})^2)`, value: unit.marginalContribution } : unit.marginalContribution,
    ];
  });
  const n = rows.length;
  const totalsRow = top + 1 + n;
  const sum = (column: number, value: number): Cell => ({ formula: `SUM(${P(0, column)}:${P(n - 1, column)})`, value });
  const total = (pick: (unit: ProfitPlanUnit) => number) => profit.units.reduce((s, unit) => s + pick(unit), 0);
  const targetSpend = plans.target.units.reduce((s, unit) => s + unit.spend, 0);
  cells.set("profit_spend_total", totalsRow, 5);
  cells.set("profit_contribution_total", totalsRow, 7);
  return {
    kind: "table",
    name: "ProfitPlan",
    row: top,
    column: 0,
    headers: [
      "Channel",
      "Profit plan",
      "Target plan spend",
      "Target plan contribution",
      "Target plan marginal contribution",
      "Profit plan spend",
      "Profit plan revenue",
      "Profit plan contribution",
      "Profit plan marginal contribution",
    ],
    rows,
    numberFormats: [null, null, money, money, MULTIPLE, money, money, money, MULTIPLE],
    totals: [
      "Total",
      null,
      sum(2, targetSpend),
      sum(3, profit.rate * plans.target.totalResponse - targetSpend),
      null,
      sum(5, total((u) => u.spend)),
      sum(6, total((u) => u.response)),
      sum(7, total((u) => u.contribution)),
      null,
    ],
  };
}
