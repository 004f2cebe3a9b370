/**
 * Cell-by-cell evaluation for element-wise custom functions (IMC.CLV, later IMC.ROCI, IMC.RESPONSE…).
 *
 * Arguments broadcast like Excel arithmetic (a single cell, row or column is repeated); the result
 * has the broadcast shape. A cell whose inputs are bad gets its own #VALUE! with a message naming
 * the argument and row, and the other cells still compute — as `=A1:A3/B1:B3` gives #DIV/0! in one
 * cell only. A cell that is blank in every argument given as a range (rather than a single cell)
 * gives a blank result (""), and trailing blank rows (whole-column references) are dropped.
 *
 * Speed: with a column fast path, each argument is converted once into a Float64Array and the cells
 * whose inputs are plain values run a tight kernel; only the other cells pay for per-cell coercion.
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

  /** The arguments given as a range (more than one cell). */
  readonly varyingGrids: readonly BroadcastGrid[];

  constructor(private readonly grids: readonly BroadcastGrid[]) {
    this.varyingGrids = grids.filter((grid) => grid.rows > 1 || grid.columns > 1);
  }

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

/** How `compute` reads an argument, for the column fast path (see {@link ElementwiseFastPath}). */
export type FastInputKind = "number" | "optionalNumber" | "optionalBoolean";

/**
 * A column fast path: when the cells of an output cell's arguments are plain values (numbers; blanks
 * for optional arguments; TRUE/FALSE for optional flags), `kernel` computes the cell from them without
 * the per-cell coercion. Every argument is converted once into a Float64Array; the other cells (text,
 * errors, blanks of required arguments…) and any cell whose kernel throws go through `compute`, so the
 * result is exactly the per-cell path's, error cells and blanks included.
 */
export interface ElementwiseFastPath {
  /** Every argument of the call, with how `compute` reads it (the kernel's `values` follow this order). */
  readonly inputs: readonly { readonly argument: string; readonly kind: FastInputKind }[];
  /**
   * The cell's value from its inputs: `values[i]` is input i as `compute` would read it (a number;
   * TRUE/FALSE as 1/0; NaN for an omitted or blank optional argument). Must return what `compute`
   * returns for the same cells, or throw (the cell is then left to `compute`).
   */
  readonly kernel: (values: Float64Array) => number;
}

/** Fast-path flags per cell: not convertible, blank optional (converted as NaN), converted value. */
const SLOW = 0;
const BLANK = 1;
const VALUE = 2;

/** One argument converted once: its value and flag per cell of its own range (row-major). */
interface FastColumn {
  readonly values: Float64Array;
  readonly flags: Uint8Array;
  readonly rows: number;
  readonly columns: number;
  readonly varying: boolean;
}

/** Converts an argument's cells as `compute` would read them, without coercing anything but plain values. */
function convertColumn(grid: BroadcastGrid | undefined, argument: string, kind: FastInputKind): FastColumn {
  if (grid === undefined) {
    // Omitted optional argument: the cursor reads it as null (a required one fails: leave it to compute).
    return { values: Float64Array.of(NaN), flags: Uint8Array.of(kind === "number" ? SLOW : BLANK), rows: 1, columns: 1, varying: false };
  }
  const { rows, columns, range } = grid;
  const values = new Float64Array(rows * columns);
  const flags = new Uint8Array(rows * columns);
  const single = rows === 1 && columns === 1;
  for (let r = 0, at = 0; r < rows; r++) {
    const line = range[r];
    for (let c = 0; c < columns; c++, at++) {
      const cell = line[c];
      if (typeof cell === "number") {
        if (kind === "optionalBoolean" ? cell === 0 || cell === 1 : cell - cell === 0) {
          values[at] = cell;
          flags[at] = VALUE;
        }
      } else if (kind === "optionalBoolean" && typeof cell === "boolean") {
        values[at] = cell ? 1 : 0;
        flags[at] = VALUE;
      } else if (kind !== "number" && (cell === null || cell === undefined || cell === "")) {
        values[at] = NaN;
        flags[at] = BLANK;
      } else if (single) {
        // A single cell is converted once with the full coercion (text numbers, "80%", "yes"…).
        try {
          const value =
            kind === "number" ? toNumber(cell, argument, 1) : kind === "optionalNumber" ? toOptionalNumber(cell, argument, 1) : toOptionalBoolean(cell, argument, 1);
          values[at] = value === null ? NaN : Number(value);
          flags[at] = value === null ? BLANK : VALUE;
        } catch {
          flags[at] = SLOW;
        }
      }
    }
  }
  return { values, flags, rows, columns, varying: rows > 1 || columns > 1 };
}

/**
 * Evaluates `compute` for every cell of the broadcast result.
 *
 * @param functionName the Excel name (`IMC.CLV`), for messages.
 * @param args argument names and the ranges Excel passed, in signature order (`null` = omitted).
 * @param compute returns the value of one cell; an error it throws becomes that cell's Excel error,
 *   re-addressed with {@link locateError} to the argument named in `error.argument` when it is one
 *   of the call's arguments (after translation through `engineArgumentNames`).
 * @param engineArgumentNames engine field name → Excel argument name (`retentionRate` → `retention_rate`).
 * @param fast optional column fast path (see {@link ElementwiseFastPath}): used when it covers every
 *   argument of the call; the result is the same cell for cell.
 * @returns a 2-D array for Excel to spill.
 * @throws CustomFunctions.Error for an invalid call as a whole (incompatible sizes, nothing to
 *   compute) or when the result is a single cell holding an error.
 */
export function elementwise(
  functionName: string,
  args: readonly { argument: string; range: unknown }[],
  compute: (cell: ElementwiseCell) => ElementwiseResult,
  engineArgumentNames: Readonly<Record<string, string>> = {},
  fast: ElementwiseFastPath | null = null,
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
  if (fast !== null && plan.grids.every((grid) => fast.inputs.some((input) => input.argument === grid.argument))) {
    return withFastPath(functionName, plan.rows, plan.columns, cursor, compute, engineArgumentNames, fast);
  }

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

/**
 * {@link elementwise} with a column fast path: each argument converted once, the kernel on cells whose
 * inputs all converted, `compute` (with its blank rule and per-cell errors) on the others.
 */
function withFastPath(
  functionName: string,
  rows: number,
  columns: number,
  cursor: Cursor,
  compute: (cell: ElementwiseCell) => ElementwiseResult,
  engineArgumentNames: Readonly<Record<string, string>>,
  fast: ElementwiseFastPath,
): ElementwiseResult[][] {
  const inputs = fast.inputs.map(({ argument, kind }) => convertColumn(cursor.grid(argument), argument, kind));
  const count = inputs.length;
  const anyVarying = inputs.some((input) => input.varying);
  const values = new Float64Array(count);
  const kernel = fast.kernel;
  const out: ElementwiseResult[][] = new Array(rows);
  const cellAt = (row: number, column: number): ElementwiseResult => {
    let ready = true;
    // A cell blank in every argument given as a range is "" on the per-cell path: leave it to it.
    let nonBlank = !anyVarying;
    for (let i = 0; i < count; i++) {
      const input = inputs[i];
      const at = (input.rows === 1 ? 0 : row) * input.columns + (input.columns === 1 ? 0 : column);
      const flag = input.flags[at];
      if (flag === SLOW) {
        ready = false;
        break;
      }
      if (flag === VALUE && input.varying) nonBlank = true;
      values[i] = input.values[at];
    }
    if (ready && nonBlank) {
      try {
        return kernel(values);
      } catch {
        // The per-cell path below gives this cell its error, located as usual.
      }
    }
    return slowCell(functionName, rows, columns, row, column, cursor, compute, engineArgumentNames);
  };
  for (let row = 0; row < rows; row++) {
    // A one-cell row as a literal: one allocation for the row and its number, not an array of holes
    // that is then converted to hold a double (a million rows: a quarter of the time in allocation).
    if (columns === 1) {
      out[row] = [cellAt(row, 0)];
      continue;
    }
    const line: ElementwiseResult[] = new Array(columns);
    for (let column = 0; column < columns; column++) line[column] = cellAt(row, column);
    out[row] = line;
  }
  return out;
}

/** One cell on the per-cell path: "" when blank across the ranges, else `compute` or its located error. */
function slowCell(
  functionName: string,
  rows: number,
  columns: number,
  row: number,
  column: number,
  cursor: Cursor,
  compute: (cell: ElementwiseCell) => ElementwiseResult,
  engineArgumentNames: Readonly<Record<string, string>>,
): ElementwiseResult {
  cursor.r = row;
  cursor.c = column;
  const grids = cursor.varyingGrids;
  if (isBlankAcross(grids, row, column)) return "";
  try {
    return compute(cursor);
  } catch (error) {
    const excelError = toExcelError(relocate(error, cursor, engineArgumentNames), functionName);
    if (rows === 1 && columns === 1) throw excelError;
    return excelError;
  }
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
