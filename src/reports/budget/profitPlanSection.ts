/**
 * The profit plan beside the target plan: per channel the spend where one more unit of spend brings
 * back one unit of contribution (gross margin rate × marginal revenue = 1; src/engine/budget/
 * profitPlan.ts, a snapshot), and both plans' spend, contribution and marginal contribution as
 * formulas over the target plan table's curve cells and the margin rate cell.
 */

import type { ProfitPlanUnit } from "../../engine/budget";
import { headingBlock, type Section } from "../layout";
import { a1, type Block, type Cell, type ChartSpec } from "../sheet";
import { rowBlock } from "./planSections";
import { MULTIPLE, RECOMPUTE, belowOne, type BudgetModel, type CellAddresses, type ChannelPlans } from "./model";

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

function notesBlock(row: number): Block {
  return {
    kind: "cells",
    row,
    column: 0,
    values: [
      ["Profit plan: each channel funded while one more unit of spend brings back at least one unit of contribution (gross margin rate × marginal revenue ≥ 1), whatever the budget."],
      [`Contribution = gross margin rate × revenue − spend. Profit plan spend is a snapshot: after changing inputs, recompute with ${RECOMPUTE}. The other columns are formulas.`],
      ["Red: marginal contribution below 1 (the last unit of spend, or a channel's first when it is not funded, brings back less contribution than it costs)."],
    ],
    style: "note",
  };
}

/** The profit plan section: margin rate, the two plans side by side per channel, and a chart of both plans' spend. */
export function profitPlanSection(model: BudgetModel, plans: ChannelPlans, cells: CellAddresses): Section {
  const profit = plans.profit!;
  const money = model.formats.money;
  return (sectionTop) => {
    const blocks: Block[] = [headingBlock(sectionTop, `Profit plan beside the target plan, per ${model.allocationPeriod}`)];
    let row = sectionTop + 1;
    cells.set("margin", row);
    blocks.push(marginBlock(row++, profit.rate, profit.given));
    blocks.push(notesBlock(row));
    row += 3;
    const m = cells.get("margin");
    const targetTop = cells.row("target_table");
    const R = (offset: number, column: number) => a1(targetTop + 1 + offset, column);
    const top = row;
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
    blocks.push({
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
    });
    const chart: ChartSpec = {
      type: "column",
      title: "Target and profit plan spend per channel",
      categories: { row: top + 1, column: 0, rowCount: n, columnCount: 1 },
      series: [
        { name: "Target plan spend", values: { row: top + 1, column: 2, rowCount: n, columnCount: 1 } },
        { name: "Profit plan spend", values: { row: top + 1, column: 5, rowCount: n, columnCount: 1 } },
      ],
      yAxisTitle: "Spend",
      valueFormat: money.split(";")[0],
      anchor: { row: totalsRow + 2, column: 1, rows: CHART_ROWS - 1, columns: 8 },
    };
    const conditionalFormats = [belowOne({ row: top + 1, column: 4, rowCount: n, columnCount: 1 }), belowOne({ row: top + 1, column: 8, rowCount: n, columnCount: 1 })];
    return { blocks, charts: [chart], conditionalFormats, rows: totalsRow + 1 + CHART_ROWS - sectionTop + 1 };
  };
}
