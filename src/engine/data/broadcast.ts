/**
 * Excel-style broadcasting for element-wise functions.
 *
 * Excel lifts `=A1:A3*B1` cell by cell: a single cell (or a single row / single column) is repeated
 * to the size of the larger ranges. Element-wise IMC functions (IMC.CLV, IMC.ROCI, …) follow the same
 * rule, but where Excel pads mismatched sizes with #N/A we refuse them with a message that names the
 * arguments, since a silently padded result is easy to misread.
 */

import { EngineError } from "../errors";
import { isBlankCell } from "./cells";
import { shapeOf, type Range } from "./range";

/** One argument of an element-wise call; `range` is what Excel passed (`null` when omitted). */
export interface BroadcastArgument {
  /** Argument name as the user sees it, e.g. `retention_rate`. */
  readonly argument: string;
  /** The 2-D array Excel passed, or `null` for an omitted optional argument. */
  readonly range: unknown;
}

/** A present argument with its validated shape. */
export interface BroadcastGrid {
  readonly argument: string;
  readonly range: Range;
  readonly rows: number;
  readonly columns: number;
}

/** The result shape of an element-wise call and the grids to read cells from. */
export interface BroadcastPlan {
  /** Rows of the output, after dropping trailing rows that are blank in every row-varying argument. */
  readonly rows: number;
  readonly columns: number;
  /** Present arguments, in the order given; omitted ones (`null`) are left out. */
  readonly grids: readonly BroadcastGrid[];
}

/**
 * Plans an element-wise evaluation: validates every argument's shape, checks that the sizes are
 * compatible (each dimension equal to the output's or 1) and drops trailing rows that are blank in
 * every argument that varies by row (whole-column references such as `A:A`).
 *
 * @param args the arguments in signature order; `range: null` marks an omitted optional argument.
 * @returns the output size and the grids; {@link cellOf} reads a broadcast cell.
 * @throws EngineError INVALID_INPUT when a range is not a rectangular 2-D array, or two arguments
 *   have incompatible sizes (e.g. 3 rows against 2 rows).
 */
export function planBroadcast(args: readonly BroadcastArgument[]): BroadcastPlan {
  const grids: BroadcastGrid[] = [];
  for (const { argument, range } of args) {
    if (range === null || range === undefined) continue;
    const shape = shapeOf(range, argument);
    grids.push({ argument, range: range as Range, rows: shape.rows, columns: shape.columns });
  }
  const rows = commonSize(grids, "rows");
  const columns = commonSize(grids, "columns");
  return { rows: rowsBeforeTrailingBlanks(grids, rows), columns, grids };
}

/** The cell of `grid` that lines up with output cell (row, column), both 0-based. */
export function cellOf(grid: BroadcastGrid, row: number, column: number): unknown {
  return grid.range[grid.rows === 1 ? 0 : row][grid.columns === 1 ? 0 : column];
}

/**
 * The 1-based row and column, within the argument's own range, of the cell that lines up with
 * output cell (row, column); `column` is left out for single-column arguments.
 */
export function sourcePosition(grid: BroadcastGrid, row: number, column: number): { row: number; column?: number } {
  const sourceRow = grid.rows === 1 ? 1 : row + 1;
  return grid.columns === 1 ? { row: sourceRow } : { row: sourceRow, column: column + 1 };
}

function commonSize(grids: readonly BroadcastGrid[], dimension: "rows" | "columns"): number {
  let size = 1;
  let owner: BroadcastGrid | undefined;
  for (const grid of grids) {
    const n = grid[dimension];
    if (n === 1) continue;
    if (size === 1) {
      size = n;
      owner = grid;
    } else if (n !== size && owner) {
      throw new EngineError(
        "INVALID_INPUT",
        `${grid.argument} has ${n} ${dimension} but ${owner.argument} has ${size}; ` +
          `ranges must have the same number of ${dimension}, or just one to be repeated`,
        { argument: grid.argument },
      );
    }
  }
  return size;
}

function rowsBeforeTrailingBlanks(grids: readonly BroadcastGrid[], rows: number): number {
  const varying = grids.filter((grid) => grid.rows > 1);
  if (varying.length === 0) return rows;
  let keep = rows;
  while (keep > 0 && varying.every((grid) => grid.range[keep - 1].every(isBlankCell))) keep--;
  return keep;
}
