/**
 * Spilled table results: a header row and data rows, checked before they reach Excel.
 *
 * Every table function builds its rows inside {@link spill}, which maps any thrown error to the Excel
 * error the user sees (src/functions/errors.ts), turns null/undefined into "" (Excel shows a returned
 * null as 0), and refuses to let NaN or ±Infinity out: that would be a bug, reported as #VALUE! with the
 * function name, never a wrong number in a cell.
 */

import { toExcelError } from "./errors";

/** What a spilled cell may hold. `null` is written as a blank. */
export type SpillCell = string | number | boolean | null;

/**
 * Runs `build` and returns its rows as a rectangular 2-D array for Excel.
 *
 * @param functionName the Excel name, e.g. `IMC.CLV.FIT`, for unexpected-error messages.
 * @param build returns the rows (header first); they must all have the same length.
 * @throws CustomFunctions.Error for engine errors (by code) and for malformed output (a bug).
 */
export function spill(functionName: string, build: () => readonly (readonly SpillCell[])[]): (string | number | boolean)[][] {
  try {
    const rows = build();
    if (rows.length === 0 || rows[0].length === 0) throw new Error("the result is empty");
    const width = rows[0].length;
    return rows.map((row, r) => {
      if (row.length !== width) throw new Error(`result row ${r + 1} has ${row.length} cells, not ${width}`);
      return row.map((cell, c) => {
        if (cell === null || cell === undefined) return "";
        if (typeof cell === "number" && !Number.isFinite(cell)) {
          throw new Error(`result row ${r + 1}, column ${c + 1} is ${String(cell)}`);
        }
        return cell;
      });
    });
  } catch (error) {
    throw toExcelError(error, functionName);
  }
}
