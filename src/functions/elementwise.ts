/**
 * Cell-by-cell evaluation for element-wise custom functions (IMC.CLV, later IMC.ROCI, IMC.RESPONSE…).
 *
 * Arguments broadcast like Excel arithmetic (a single cell, row or column is repeated); the result
 * has the broadcast shape. A cell whose inputs are bad gets its own #VALUE! with a message naming
 * the argument and row, and the other cells still compute — as `=A1:A3/B1:B3` gives #DIV/0! in one
 * cell only. A cell that is blank in every argument given as a range (rather than a single cell)
 * gives a blank result (""), and trailing blank rows (whole-column references) are dropped.
 */

import { cellOf, planBroadcast, sourcePosition, type BroadcastGrid } from "../engine/data/broadcast";
import { isBlankCell, toNumber, toOptionalBoolean, toOptionalNumber, toText } from "../engine/data/cells";
import { EngineError } from "../engine/errors";
import { locateError, toExcelError } from "./errors";

/** What a per-cell computation sees: the inputs of one output cell, coerced on request. */
export interface ElementwiseCell {
  /** The named argument's cell as a number (see `toNumber`); errors name the argument and row. */
  number(argument: string): number;
  /** As {@link number}, but a blank cell or an omitted argument gives `null`. */
  optionalNumber(argument: string): number | null;
  /** The named argument's cell as TRUE/FALSE; a blank cell or an omitted argument gives `null`. */
  optionalBoolean(argument: string): boolean | null;
  /** The named argument's cell as trimmed text (see `toText`: numbers as displayed); errors name the argument and row. */
  text(argument: string): string;
  /** 1-based row and, for 2-D arguments, column of that value within its argument's range. */
  position(argument: string): { row: number; column?: number };
}

/**
 * The cursor over the broadcast result. One instance serves every cell, and the hot path
 * allocates nothing: IMC.CLV runs it a million times for a whole-column range. Grids are found by
 * a linear scan, faster than a hash lookup for a handful of interned argument names.
 */
class Cursor implements ElementwiseCell {
  r = 0;
  c = 0;

  constructor(private readonly grids: readonly BroadcastGrid[]) {}

  grid(argument: string): BroadcastGrid | undefined {
    const grids = this.grids;
    for (let i = 0; i < grids.length; i++) if (grids[i].argument === argument) return grids[i];
    return undefined;
  }

  number(argument: string): number {
    const grid = this.grid(argument);
    return toNumber(grid === undefined ? null : cellOf(grid, this.r, this.c), argument, this.rowIn(grid));
  }

  optionalNumber(argument: string): number | null {
    const grid = this.grid(argument);
    return grid === undefined ? null : toOptionalNumber(cellOf(grid, this.r, this.c), argument, this.rowIn(grid));
  }

  optionalBoolean(argument: string): boolean | null {
    const grid = this.grid(argument);
    return grid === undefined ? null : toOptionalBoolean(cellOf(grid, this.r, this.c), argument, this.rowIn(grid));
  }

  text(argument: string): string {
    const grid = this.grid(argument);
    return toText(grid === undefined ? null : cellOf(grid, this.r, this.c), argument, this.rowIn(grid));
  }

  position(argument: string): { row: number; column?: number } {
    const grid = this.grid(argument);
    return grid === undefined ? { row: 1 } : sourcePosition(grid, this.r, this.c);
  }

  private rowIn(grid: BroadcastGrid | undefined): number {
    return grid === undefined || grid.rows === 1 ? 1 : this.r + 1;
  }
}

export type ElementwiseResult = number | string | boolean | CustomFunctions.Error;

/**
 * Evaluates `compute` for every cell of the broadcast result.
 *
 * @param functionName the Excel name (`IMC.CLV`), for messages.
 * @param args argument names and the ranges Excel passed, in signature order (`null` = omitted).
 * @param compute returns the value of one cell; an error it throws becomes that cell's Excel error,
 *   re-addressed with {@link locateError} to the argument named in `error.argument` when it is one
 *   of the call's arguments (after translation through `engineArgumentNames`).
 * @param engineArgumentNames engine field name → Excel argument name (`retentionRate` → `retention_rate`).
 * @returns a 2-D array for Excel to spill.
 * @throws CustomFunctions.Error for an invalid call as a whole (incompatible sizes, nothing to
 *   compute) or when the result is a single cell holding an error.
 */
export function elementwise(
  functionName: string,
  args: readonly { argument: string; range: unknown }[],
  compute: (cell: ElementwiseCell) => ElementwiseResult,
  engineArgumentNames: Readonly<Record<string, string>> = {},
): ElementwiseResult[][] {
  let plan;
  try {
    plan = planBroadcast(args);
  } catch (error) {
    throw toExcelError(error, functionName);
  }
  if (plan.rows === 0) {
    throw toExcelError(new EngineError("INSUFFICIENT_DATA", `${functionName}: every row is blank; there is nothing to compute`), functionName);
  }
  const cursor = new Cursor(plan.grids);
  const varying = plan.grids.filter((grid) => grid.rows > 1 || grid.columns > 1);

  const out: ElementwiseResult[][] = new Array(plan.rows);
  for (let row = 0; row < plan.rows; row++) {
    const line: ElementwiseResult[] = new Array(plan.columns);
    cursor.r = row;
    for (let column = 0; column < plan.columns; column++) {
      cursor.c = column;
      if (isBlankAcross(varying, row, column)) {
        line[column] = "";
        continue;
      }
      try {
        line[column] = compute(cursor);
      } catch (error) {
        const excelError = toExcelError(relocate(error, cursor, engineArgumentNames), functionName);
        // A one-cell result that is an error is thrown, so the cell shows it like any scalar function.
        if (plan.rows === 1 && plan.columns === 1) throw excelError;
        line[column] = excelError;
      }
    }
    out[row] = line;
  }
  return out;
}

/** True when every argument given as a range is blank at this cell (no closure: this runs per cell). */
function isBlankAcross(varying: readonly BroadcastGrid[], row: number, column: number): boolean {
  if (varying.length === 0) return false;
  for (let i = 0; i < varying.length; i++) {
    if (!isBlankCell(cellOf(varying[i], row, column))) return false;
  }
  return true;
}

function relocate(error: unknown, cursor: Cursor, engineArgumentNames: Readonly<Record<string, string>>): unknown {
  const field = error instanceof EngineError ? error.argument : undefined;
  if (field === undefined) return error;
  const argument = engineArgumentNames[field] ?? field;
  if (cursor.grid(argument) === undefined) return error;
  return locateError(error, argument, cursor.position(argument));
}
