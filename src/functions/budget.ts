/**
 * Budget custom functions: IMC.ALLOCATE (optimal split of a budget on response curves) and
 * IMC.RESPONSE (the response curve itself, cell by cell, for plotting).
 *
 * Thin adapters: Excel arguments → engine (src/engine/budget) → cells. The JSDoc of each
 * `@customfunction` is what Excel users see in formula autocomplete and the function dialog.
 */

import { alignRows, toColumn, toNumber, toOptionalNumber, toText } from "../engine/data";
import { allocateBudget, allocationUnitProblem, type AllocationField, type AllocationResult, type AllocationUnit } from "../engine/budget/allocate";
import { hillCurveProblem, hillResponse, type HillCurve } from "../engine/budget/hillCurve";
import { EngineError, invalidArgument, invalidCell, isEngineError } from "../engine/errors";
import { optionCell } from "./arguments";
import { elementwise } from "./elementwise";
import { spill, type SpillCell } from "./table";

/** Header of IMC.ALLOCATE's table. */
export const ALLOCATE_HEADER = ["Unit", "Spend", "Share", "Response", "ROI", "Marginal ROI", "Change vs current"] as const;

/** Excel argument name of each engine field (the names `imc allocate` maps to its file's columns). */
export const ALLOCATE_ARGUMENTS: Readonly<Record<AllocationField, string>> = {
  budget: "budget",
  units: "units",
  ceiling: "ceilings",
  halfSaturation: "half_saturations",
  shape: "shapes",
  minSpend: "min_spend",
  maxSpend: "max_spend",
  currentSpend: "current_spend",
};

/** A per-unit argument: its cells and whether a single cell stands for every unit. */
interface UnitColumn {
  readonly argument: string;
  readonly cells: readonly unknown[];
  readonly broadcast: boolean;
}

function unitColumn(range: unknown, argument: string): UnitColumn | null {
  if (range === null || range === undefined) return null;
  const cells = toColumn(range, argument);
  return { argument, cells, broadcast: cells.length === 1 };
}

/** The cell of unit `i` (0-based) and its 1-based row within the argument's own range. */
function cellAt(column: UnitColumn, i: number): { value: unknown; row: number } {
  return column.broadcast ? { value: column.cells[0], row: 1 } : { value: column.cells[i], row: i + 1 };
}

/**
 * Re-addresses an engine error of allocateBudget (naming its fields: minSpend, unit 3) to the
 * argument name in {@link ALLOCATE_ARGUMENTS}; any other error is returned as it is.
 */
export function toAllocateArgument(error: unknown): unknown {
  if (!isEngineError(error, "INVALID_INPUT") || error.argument === undefined) return error;
  const argument = ALLOCATE_ARGUMENTS[error.argument as AllocationField];
  if (argument === undefined) return error;
  const reason = error.message.replace(/^allocateBudget: (unit \d+ \([^)]*\): )?/, "");
  return error.row === undefined ? invalidArgument(argument, reason) : invalidCell(argument, error.row, reason);
}

/** Reads IMC.ALLOCATE's arguments into engine units, checking every cell where the user can see it. */
function readAllocation(
  budget: unknown,
  units: unknown,
  ceilings: unknown,
  halfSaturations: unknown,
  shapes: unknown,
  minSpend: unknown,
  maxSpend: unknown,
  currentSpend: unknown,
): { budget: number; units: AllocationUnit[]; hasCurrent: boolean } {
  const budgetCell = optionCell(budget, "budget");
  if (budgetCell === null) throw invalidArgument("budget", "a budget is required (a single number, e.g. 100000)");
  const total = toNumber(budgetCell, "budget", 1);
  if (total < 0) throw invalidArgument("budget", `must be a number of at least 0, got ${total}`);

  const names = toColumn(units, "units");
  const ceilingColumn = unitColumn(ceilings, "ceilings");
  const halfColumn = unitColumn(halfSaturations, "half_saturations");
  if (ceilingColumn === null) throw invalidArgument("ceilings", "a ceiling per unit (or one for all) is required");
  if (halfColumn === null) throw invalidArgument("half_saturations", "a half-saturation spend per unit (or one for all) is required");
  const optional = [unitColumn(shapes, "shapes"), unitColumn(minSpend, "min_spend"), unitColumn(maxSpend, "max_spend"), unitColumn(currentSpend, "current_spend")];
  const [shapeColumn, minColumn, maxColumn, currentColumn] = optional;
  const perUnit = [ceilingColumn, halfColumn, ...optional].filter((column): column is UnitColumn => column !== null && !column.broadcast);
  // A single unit: every per-unit argument is a single cell, and lines up with it.
  const count = alignRows([{ argument: "units", values: names }, ...perUnit.map((column) => ({ argument: column.argument, values: column.cells }))]);
  if (count === 0) throw new EngineError("INSUFFICIENT_DATA", "units: every row is blank; there are no units to allocate the budget to");

  const seen = new Map<string, number>();
  const result: AllocationUnit[] = [];
  for (let i = 0; i < count; i++) {
    const name = toText(names[i], "units", i + 1);
    const previous = seen.get(name.toLowerCase());
    if (previous !== undefined) {
      throw invalidCell("units", i + 1, `"${name}" is listed twice (also row ${previous}); give each unit one row`);
    }
    seen.set(name.toLowerCase(), i + 1);
    const number = (column: UnitColumn) => {
      const { value, row } = cellAt(column, i);
      return toNumber(value, column.argument, row);
    };
    const optionalNumber = (column: UnitColumn | null) => {
      if (column === null) return null;
      const { value, row } = cellAt(column, i);
      return toOptionalNumber(value, column.argument, row);
    };
    const curve: HillCurve = { ceiling: number(ceilingColumn), halfSaturation: number(halfColumn), shape: optionalNumber(shapeColumn) ?? 1 };
    const curveProblem = hillCurveProblem(curve);
    if (curveProblem !== null) {
      const column = curveProblem.field === "ceiling" ? ceilingColumn : curveProblem.field === "halfSaturation" ? halfColumn : (shapeColumn as UnitColumn);
      throw invalidCell(column.argument, cellAt(column, i).row, curveProblem.problem);
    }
    const unit: AllocationUnit = {
      name,
      curve,
      minSpend: optionalNumber(minColumn) ?? 0,
      maxSpend: optionalNumber(maxColumn),
      currentSpend: currentColumn === null ? null : (optionalNumber(currentColumn) ?? 0),
    };
    const unitProblem = allocationUnitProblem(unit);
    if (unitProblem !== null) {
      const column = { minSpend: minColumn, maxSpend: maxColumn, currentSpend: currentColumn }[unitProblem.field as "minSpend" | "maxSpend" | "currentSpend"];
      throw column ? invalidCell(column.argument, cellAt(column, i).row, unitProblem.problem) : invalidArgument(ALLOCATE_ARGUMENTS[unitProblem.field], unitProblem.problem);
    }
    result.push(unit);
  }
  return { budget: total, units: result, hasCurrent: currentColumn !== null };
}

/**
 * IMC.ALLOCATE's table: a row per unit in the order given, then Total and, when current spends were
 * given, Current and Lift. Pure: `imc allocate` prints the same rows.
 *
 * @param hasCurrent whether current spends were given (a current_spend argument or column).
 */
export function allocationRows(result: AllocationResult, hasCurrent: boolean): SpillCell[][] {
  const rows: SpillCell[][] = [[...ALLOCATE_HEADER]];
  for (const unit of result.units) {
    rows.push([unit.name, unit.spend, unit.share, unit.response, unit.roi, unit.marginalRoi, unit.change]);
  }
  const currentSpend = result.currentTotalSpend;
  const currentResponse = result.currentTotalResponse;
  rows.push([
    "Total",
    result.budget,
    result.budget > 0 ? 1 : null,
    result.totalResponse,
    result.totalRoi,
    result.marginalRoi,
    currentSpend === null ? null : result.budget - currentSpend,
  ]);
  if (hasCurrent && currentSpend !== null && currentResponse !== null) {
    rows.push(["Current", currentSpend, null, currentResponse, currentSpend > 0 ? currentResponse / currentSpend : null, null, null]);
    rows.push(["Lift", null, null, result.lift, null, null, null]);
  }
  return rows;
}

// The first JSDoc paragraph is the description Excel shows: one line, for users.
/**
 * Splits a budget across channels or lifecycle stages for the most total response on diminishing-return curves; spills Unit, Spend, Share, Response, ROI, Marginal ROI, Change vs current and a Total row.
 * @customfunction ALLOCATE
 * @param budget Total budget to spend, a number of at least 0 (e.g. 100000).
 * @param units Names of the units (channels, lifecycle stages…), one per row.
 * @param ceilings Most response each unit can ever reach (revenue, customers…), one per unit or one cell for all.
 * @param half_saturations Spend at which each unit reaches half its ceiling (above 0), one per unit or one cell for all.
 * @param [shapes] Curve shape: 1 for diminishing returns from the first dollar (default), above 1 for an S-curve that needs a minimum spend to work.
 * @param [min_spend] Lowest spend per unit (default 0).
 * @param [max_spend] Highest spend per unit (default: no limit; a blank cell means no limit).
 * @param [current_spend] Today's spend per unit, to show the change and the lift of the new split.
 * @returns A table with a header row, one row per unit in the order given, then Total (and, with current_spend, Current and Lift).
 */
export function allocate(
  budget: any[][],
  units: any[][],
  ceilings: any[][],
  half_saturations: any[][],
  shapes?: any[][],
  min_spend?: any[][],
  max_spend?: any[][],
  current_spend?: any[][],
): any[][] {
  return spill("IMC.ALLOCATE", () => {
    const input = readAllocation(budget, units, ceilings, half_saturations, shapes, min_spend, max_spend, current_spend);
    let result;
    try {
      result = allocateBudget({ budget: input.budget, units: input.units });
    } catch (error) {
      throw toAllocateArgument(error);
    }
    if (!result.converged) {
      throw new EngineError("NOT_CONVERGED", "IMC.ALLOCATE: the allocation did not converge; check for extreme ceilings or half-saturations");
    }
    return allocationRows(result, input.hasCurrent);
  });
}

/** Excel argument name of each engine field of a curve, for IMC.RESPONSE's per-cell messages. */
const RESPONSE_ARGUMENTS: Readonly<Record<string, string>> = {
  spend: "spend",
  ceiling: "ceiling",
  halfSaturation: "half_saturation",
  shape: "shape",
};

/**
 * Response that a spend buys on a diminishing-return (Hill) curve: ceiling × spend^shape / (spend^shape + half_saturation^shape); cell by cell, for plotting. Example: =IMC.RESPONSE(300, 800, 300) returns 400.
 * @customfunction RESPONSE
 * @param spend Spend, a number of at least 0. A cell or a range (e.g. a column of spend levels to plot).
 * @param ceiling Most response the spend can ever reach (at least 0).
 * @param half_saturation Spend that reaches half the ceiling (above 0).
 * @param [shape] Curve shape: 1 for diminishing returns (default), above 1 for an S-curve.
 * @returns The response for each spend.
 */
export function response(spend: any[][], ceiling: any[][], half_saturation: any[][], shape?: any[][]): any[][] {
  return elementwise(
    "IMC.RESPONSE",
    [
      { argument: "spend", range: spend },
      { argument: "ceiling", range: ceiling },
      { argument: "half_saturation", range: half_saturation },
      { argument: "shape", range: shape ?? null },
    ],
    (cell) => {
      const x = cell.number("spend");
      if (x < 0) throw new EngineError("INVALID_INPUT", `hillResponse: spend must be at least 0, got ${x}`, { argument: "spend" });
      const curve: HillCurve = { ceiling: cell.number("ceiling"), halfSaturation: cell.number("half_saturation"), shape: cell.optionalNumber("shape") ?? 1 };
      const found = hillCurveProblem(curve);
      if (found !== null) throw new EngineError("INVALID_INPUT", `hillResponse: ${found.problem}`, { argument: found.field });
      return hillResponse(x, curve);
    },
    RESPONSE_ARGUMENTS,
  );
}
