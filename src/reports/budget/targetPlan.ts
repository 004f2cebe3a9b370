/**
 * The target plan: the allocation budget spread across channels (or lifecycle stages) on their
 * response curves so the marginal ROI is equal across the funded ones (domain.md §5.2–5.3). The
 * optimal spends are the engine's snapshot for the budget shown, or with the model's
 * `liveAllocation` live IMC.ALLOCATE formulas over the budget allocated and the table's curve cells
 * (liveAllocation.ts); the curves (from their assumption cells), responses, ROI and marginal ROI
 * around them are formulas over the table's own cells.
 */

import { headingBlock, type Section, type SectionOutput } from "../layout";
import { hillResponse } from "../../engine/budget";
import { a1, type Block, type Cell, type ChartSpec, type ConditionalFormat, type TableBlock } from "../sheet";
import { rowBlock } from "./planSections";
import { MULTIPLE, belowOne, recomputeClause, type BudgetModel, type CellAddresses, type ChannelPlans, type CurveAssumption } from "./model";
import { LIVE_NOTE, absolute, allocatesLive, columnRange, liveMarginalRoi, liveSpend, ratioOrBlank, slopeOrLimit, type AllocateArguments } from "./liveAllocation";

/** Rows a chart under a table takes. */
const CHART_ROWS = 16;

/**
 * The curve assumption as two input cells (share of the ceiling bought now, shape); their
 * addresses are kept as "saturation" and "shape".
 */
function assumptionBlocks(assumption: CurveAssumption, row: number, cells: CellAddresses, what: string): Block[] {
  cells.set("saturation", row);
  cells.set("shape", row + 1);
  const styles = ["label", "input", "note"] as const;
  return [
    rowBlock(
      row,
      ["Share of the ceiling bought now", assumption.saturationAtCurrentSpend, `assumption: the share of its ceiling each ${what}'s current spend buys (50%: today's spend is the half-saturation spend)`],
      "0.0%",
      [...styles],
    ),
    rowBlock(row + 1, ["Curve shape", assumption.shape, "assumption: 1 = each extra unit buys less than the one before; above 1 = S-shaped"], "0.00", [...styles]),
  ];
}

/** The Hill curve's value at a spend cell, from the ceiling, half-saturation and shape cells. */
function hill(ceiling: string, half: string, shape: string, spend: string): string {
  return `${ceiling}*(${spend}/${half})^${shape}/(1+(${spend}/${half})^${shape})`;
}

/** Its slope (the marginal response) at a spend cell above 0. */
function hillSlope(ceiling: string, half: string, shape: string, spend: string): string {
  return `${ceiling}*${shape}*(${spend}/${half})^${shape}/(${spend}*(1+(${spend}/${half})^${shape})^2)`;
}

/**
 * Column chart of current against optimal spend for a table whose header is at `top`, with `n`
 * rows, names in column A, the current spend in `current` and the optimal spend in `optimal`.
 */
function spendChart(title: string, top: number, n: number, current: number, optimal: number, anchorRow: number, money: string): ChartSpec {
  const column = (index: number) => ({ row: top + 1, column: index, rowCount: n, columnCount: 1 });
  return {
    type: "column",
    title,
    categories: column(0),
    series: [
      { name: "Current spend", values: column(current) },
      { name: "Target plan spend", values: column(optimal) },
    ],
    yAxisTitle: "Spend",
    valueFormat: money.split(";")[0],
    anchor: { row: anchorRow, column: 1, rows: CHART_ROWS - 1, columns: 8 },
  };
}

/**
 * The note over an allocation table: what follows the inputs, what does not, and how to recompute
 * (live: IMC.ALLOCATE recomputes the optimal spend itself).
 */
function allocationNote(row: number, what: string, live: boolean, recompute: string): Block {
  return {
    kind: "cells",
    row,
    column: 0,
    values: [
      [live ? LIVE_NOTE : `Optimal spend is a snapshot for the budget allocated: after changing inputs, ${recompute}. The other columns are formulas.`],
      [`Red: ROI or marginal ROI below 1 (less ${what} back than the spend costs).`],
    ],
    style: "note",
  };
}

/**
 * The target plan's heading, its curve assumption cells (when the curves were drawn through the
 * current spends), the budget allocated and the note; returns the blocks and the row of the
 * table's header. Live, the budget allocated is an input cell (kept as "allocation_budget") that
 * the optimal spends' IMC.ALLOCATE formulas read.
 */
function planIntro(model: BudgetModel, title: string, budget: number, assumption: CurveAssumption | null, unit: string, what: string, sectionTop: number, cells: CellAddresses, live: boolean): { blocks: Block[]; tableTop: number } {
  const blocks: Block[] = [headingBlock(sectionTop, `${title}, per ${model.allocationPeriod}`)];
  let row = sectionTop + 1;
  if (assumption !== null) {
    blocks.push(...assumptionBlocks(assumption, row, cells, unit));
    row += 2;
  }
  if (live) cells.set("allocation_budget", row);
  blocks.push(rowBlock(row++, ["Budget allocated", budget, model.input.allocationBasis ?? ""], model.formats.money, ["label", live ? "input" : "total", "note"]));
  blocks.push(allocationNote(row, what, live, recomputeClause(model)));
  return { blocks, tableTop: row + 2 };
}

/** The target plan across channels: assumption cells, the budget allocated, the table and its chart below it. */
export function channelTargetSection(model: BudgetModel, plans: ChannelPlans, cells: CellAddresses): Section {
  return (sectionTop) => {
    const { input, target } = plans;
    const live = allocatesLive(model.liveAllocation, target.converged, input.units);
    const intro = planIntro(model, "Target plan: the budget across channels", input.budget, input.curveAssumption ?? null, "channel", "attributed revenue", sectionTop, cells, live);
    const top = intro.tableTop;
    cells.setRow("target_table", top);
    const table = channelTable(model, plans, top, cells, live);
    const n = table.rows.length;
    const totalsRow = top + 1 + n;
    const conditionalFormats: ConditionalFormat[] = [belowOne({ row: top + 1, column: 9, rowCount: n, columnCount: 3 })];
    const charts = target.units.every((unit) => unit.currentSpend !== null) ? [spendChart("Current and target plan spend per channel", top, n, 4, 5, totalsRow + 2, model.formats.money)] : [];
    return withChart({ blocks: [...intro.blocks, table], conditionalFormats, charts }, sectionTop, totalsRow);
  };
}

/**
 * The channel table at `top`: curves (formulas of the assumption cells when the curves were drawn
 * through the current spends), current and optimal spend (live: IMC.ALLOCATE over the budget
 * allocated, names, ceilings, half-saturations and shapes), responses, ROI and marginal ROI.
 */
function channelTable(model: BudgetModel, plans: ChannelPlans, top: number, cells: CellAddresses, allocates: boolean): TableBlock {
  const { input, target: result } = plans;
  const assumption = input.curveAssumption ?? null;
  const money = model.formats.money;
  const R = (offset: number, column: number) => a1(top + 1 + offset, column);
  const s = assumption === null ? "" : cells.get("saturation");
  const a = assumption === null ? "" : cells.get("shape");
  const count = result.units.length;
  const allocation: AllocateArguments | null = allocates
    ? {
        budget: absolute(cells.get("allocation_budget")),
        units: columnRange(top + 1, 0, count),
        ceilings: columnRange(top + 1, 1, count),
        halfSaturations: columnRange(top + 1, 2, count),
        shapes: columnRange(top + 1, 3, count),
      }
    : null;
  const rows = result.units.map((unit, i): Cell[] => {
    const curve = input.units[i].curve;
    const [ceiling, half, shape] = [R(i, 1), R(i, 2), R(i, 3)];
    const known = unit.currentSpend !== null;
    // With the curve assumption the current response is the data (what current spend buys now)
    // and the curve is drawn through it by formulas of the two assumption cells.
    const live = assumption !== null && known && unit.currentSpend! > 0 && unit.currentResponse !== null;
    return [
      unit.name,
      live ? { formula: `${R(i, 7)}/${s}`, value: curve.ceiling } : curve.ceiling,
      live ? { formula: `${R(i, 4)}/(${s}/(1-${s}))^(1/${a})`, value: curve.halfSaturation } : curve.halfSaturation,
      live ? { formula: a, value: curve.shape } : curve.shape,
      unit.currentSpend,
      allocation ? { formula: liveSpend(allocation, i), value: unit.spend } : unit.spend,
      known ? { formula: `${R(i, 5)}-${R(i, 4)}`, value: unit.change } : null,
      live ? unit.currentResponse : known ? { formula: hill(ceiling, half, shape, R(i, 4)), value: unit.currentResponse } : null,
      allocation || unit.spend > 0 ? { formula: hill(ceiling, half, shape, R(i, 5)), value: unit.response } : 0,
      known && unit.currentSpend! > 0 ? { formula: `${R(i, 7)}/${R(i, 4)}`, value: unit.currentResponse! / unit.currentSpend! } : null,
      // Live, a channel at 0 may be funded after a change: ROI and marginal ROI hold at any spend.
      allocation ? { formula: ratioOrBlank(R(i, 8), R(i, 5)), value: unit.roi ?? "" } : unit.spend > 0 ? { formula: `${R(i, 8)}/${R(i, 5)}`, value: unit.roi } : null,
      allocation
        ? { formula: slopeOrLimit(hillSlope(ceiling, half, shape, R(i, 5)), R(i, 5), ceiling, half, shape), value: unit.marginalRoi ?? "" }
        : unit.spend > 0 && unit.marginalRoi !== null
          ? { formula: hillSlope(ceiling, half, shape, R(i, 5)), value: unit.marginalRoi }
          : unit.marginalRoi,
    ];
  });
  const n = rows.length;
  const totalsRow = top + 1 + n;
  const sum = (column: number, value: number | null): Cell => (value === null ? null : { formula: `SUM(${R(0, column)}:${R(n - 1, column)})`, value });
  const currentSpend = result.currentTotalSpend;
  const currentResponse = result.currentTotalResponse;
  return {
    kind: "table",
    name: "BudgetAllocation",
    row: top,
    column: 0,
    headers: ["Channel", "Ceiling", "Half-saturation spend", "Shape", "Current spend", "Optimal spend", "Change", "Current response", "Optimal response", "Current ROI", "Optimal ROI", "Marginal ROI"],
    rows,
    numberFormats: [null, money, money, "0.00", money, money, model.formats.signedMoney, money, money, MULTIPLE, MULTIPLE, MULTIPLE],
    totals: [
      "Total",
      null,
      null,
      null,
      sum(4, currentSpend),
      sum(5, result.units.reduce((total, u) => total + u.spend, 0)),
      currentSpend === null ? null : sum(6, result.units.reduce((total, u) => total + (u.change ?? 0), 0)),
      sum(7, currentResponse),
      sum(8, result.totalResponse),
      currentSpend !== null && currentSpend > 0 && currentResponse !== null ? { formula: `${a1(totalsRow, 7)}/${a1(totalsRow, 4)}`, value: currentResponse / currentSpend } : null,
      result.totalRoi === null ? null : { formula: `${a1(totalsRow, 8)}/${a1(totalsRow, 5)}`, value: result.totalRoi },
      allocation && result.marginalRoi !== null ? { formula: liveMarginalRoi(allocation, n), value: result.marginalRoi } : result.marginalRoi,
    ],
  };
}

/** A section's output, its rows running to the chart under its table when it has one. */
function withChart(output: Omit<SectionOutput, "rows">, sectionTop: number, lastTableRow: number): SectionOutput {
  const bottom = output.charts && output.charts.length > 0 ? lastTableRow + 1 + CHART_ROWS : lastTableRow;
  return { ...output, rows: bottom - sectionTop + 1 };
}

/** The target plan across lifecycle stages, on customer curves and values per customer. */
export function lifecycleTargetSection(model: BudgetModel, cells: CellAddresses): Section {
  return (sectionTop) => {
    const { input, result } = model.lifecycle!;
    const live = allocatesLive(model.liveAllocation, result.converged, input.stages);
    const intro = planIntro(model, "Target plan: the budget across lifecycle stages", input.budget, input.curveAssumption ?? null, "stage", "customer value", sectionTop, cells, live);
    const top = intro.tableTop;
    const table = lifecycleTable(model, top, cells, live);
    const n = table.rows.length;
    const totalsRow = top + 1 + n;
    const everyCurrent = input.stages.every((stage) => (stage.currentSpend ?? null) !== null);
    const conditionalFormats = [belowOne({ row: top + 1, column: 12, rowCount: n, columnCount: 2 })];
    const charts = everyCurrent ? [spendChart("Current and target plan spend per lifecycle stage", top, n, 5, 7, totalsRow + 2, model.formats.money)] : [];
    return withChart({ blocks: [...intro.blocks, table], conditionalFormats, charts }, sectionTop, totalsRow);
  };
}

/**
 * The stage table at `top`: value per customer, customer curves (formulas of the assumption cells
 * when drawn through the current spends), current and optimal spend (live: IMC.ALLOCATE on the
 * value curves, ceilings × value per customer, as allocateLifecycle does), customers, value, cost
 * per customer, value ROI and marginal value.
 */
function lifecycleTable(model: BudgetModel, top: number, cells: CellAddresses, allocates: boolean): TableBlock {
  const { input, result } = model.lifecycle!;
  const assumption = input.curveAssumption ?? null;
  const { money, moneyPerUnit, signedMoney } = model.formats;
  const R = (offset: number, column: number) => a1(top + 1 + offset, column);
  const s = assumption === null ? "" : cells.get("saturation");
  const a = assumption === null ? "" : cells.get("shape");
  const count = result.stages.length;
  const allocation: AllocateArguments | null = allocates
    ? {
        budget: absolute(cells.get("allocation_budget")),
        units: columnRange(top + 1, 0, count),
        ceilings: `${columnRange(top + 1, 2, count)}*${columnRange(top + 1, 1, count)}`,
        halfSaturations: columnRange(top + 1, 3, count),
        shapes: columnRange(top + 1, 4, count),
      }
    : null;
  const rows = result.stages.map((stage, i): Cell[] => {
    const stageInput = input.stages[i];
    const curve = stageInput.customerCurve;
    const current = stageInput.currentSpend ?? null;
    const [ceiling, half, shape] = [R(i, 2), R(i, 3), R(i, 4)];
    const currentCustomers = current === null ? null : hillResponse(current, curve);
    // As for channels: with the assumption, the customers current spend buys now are the data the curve goes through.
    const live = assumption !== null && current !== null && current > 0;
    return [
      stage.stage,
      stageInput.valuePerCustomer,
      live ? { formula: `${R(i, 6)}/${s}`, value: curve.ceiling } : curve.ceiling,
      live ? { formula: `${R(i, 5)}/(${s}/(1-${s}))^(1/${a})`, value: curve.halfSaturation } : curve.halfSaturation,
      live ? { formula: a, value: curve.shape } : curve.shape,
      current,
      live ? currentCustomers : current === null ? null : { formula: hill(ceiling, half, shape, R(i, 5)), value: currentCustomers },
      allocation ? { formula: liveSpend(allocation, i), value: stage.spend } : stage.spend,
      current === null ? null : { formula: `${R(i, 7)}-${R(i, 5)}`, value: stage.change },
      allocation || stage.spend > 0 ? { formula: hill(ceiling, half, shape, R(i, 7)), value: stage.customers } : 0,
      allocation || stage.spend > 0 ? { formula: `${R(i, 1)}*${R(i, 9)}`, value: stage.value } : 0,
      // Live, a stage at 0 may be funded after a change: the ratios and the marginal value hold at any spend.
      allocation
        ? { formula: ratioOrBlank(R(i, 7), R(i, 9)), value: stage.costPerCustomer ?? "" }
        : stage.costPerCustomer === null
          ? null
          : { formula: `${R(i, 7)}/${R(i, 9)}`, value: stage.costPerCustomer },
      allocation ? { formula: ratioOrBlank(R(i, 10), R(i, 7)), value: stage.valueRoi ?? "" } : stage.valueRoi === null ? null : { formula: `${R(i, 10)}/${R(i, 7)}`, value: stage.valueRoi },
      allocation
        ? { formula: slopeOrLimit(`${R(i, 1)}*${hillSlope(ceiling, half, shape, R(i, 7))}`, R(i, 7), `${R(i, 1)}*${ceiling}`, half, shape), value: stage.marginalValue ?? "" }
        : stage.spend > 0 && stage.marginalValue !== null
          ? { formula: `${R(i, 1)}*${hillSlope(ceiling, half, shape, R(i, 7))}`, value: stage.marginalValue }
          : stage.marginalValue,
    ];
  });
  const n = rows.length;
  const totalsRow = top + 1 + n;
  const everyCurrent = input.stages.every((stage) => (stage.currentSpend ?? null) !== null);
  const currentTotal = everyCurrent ? input.stages.reduce((total, stage) => total + (stage.currentSpend ?? 0), 0) : null;
  const sum = (column: number, value: number): Cell => ({ formula: `SUM(${R(0, column)}:${R(n - 1, column)})`, value });
  return {
    kind: "table",
    name: "LifecycleAllocation",
    row: top,
    column: 0,
    headers: [
      "Stage",
      "Value per customer",
      "Ceiling (customers)",
      "Half-saturation spend",
      "Shape",
      "Current spend",
      "Current customers",
      "Optimal spend",
      "Change",
      "Customers",
      "Value",
      "Cost per customer",
      "Value ROI",
      "Marginal value",
    ],
    rows,
    numberFormats: [null, moneyPerUnit, "#,##0", money, "0.00", money, "#,##0", money, signedMoney, "#,##0", money, moneyPerUnit, MULTIPLE, MULTIPLE],
    totals: [
      "Total",
      null,
      null,
      null,
      null,
      currentTotal === null ? null : sum(5, currentTotal),
      null,
      sum(7, result.stages.reduce((total, stage) => total + stage.spend, 0)),
      currentTotal === null ? null : sum(8, result.stages.reduce((total, stage) => total + (stage.change ?? 0), 0)),
      sum(9, result.stages.reduce((total, stage) => total + stage.customers, 0)),
      sum(10, result.totalValue),
      null,
      result.budget > 0 ? { formula: `${a1(totalsRow, 10)}/${a1(totalsRow, 7)}`, value: result.totalValue / result.budget } : null,
      allocation && result.marginalValue !== null ? { formula: liveMarginalRoi(allocation, n), value: result.marginalValue } : result.marginalValue,
    ],
  };
}
