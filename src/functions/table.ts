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
 * Runs `build` and returns its rows, checked, as the 2-D array for Excel.
 *
 * The rows are checked and fixed in place (null → ""), not copied: a 100,000-customer table has a
 * million cells, and a copy costs as much as computing them. `build` must return rows it owns.
 *
 * @param functionName the Excel name, e.g. `IMC.CLV.FIT`, for unexpected-error messages.
 * @param build returns the rows (header first); they must all have the same length.
 * @throws CustomFunctions.Error for engine errors (by code) and for malformed output (a bug).
 */
export function spill(functionName: string, build: () => SpillCell[][]): (string | number | boolean)[][] {
  try {
    const rows = build();
    if (rows.length === 0 || rows[0].length === 0) throw new Error("the result is empty");
    const width = rows[0].length;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      if (row.length !== width) throw new Error(`result row ${r + 1} has ${row.length} cells, not ${width}`);
      for (let c = 0; c < width; c++) {
        const cell = row[c];
        if (typeof cell === "number") {
          // x − x is 0 for every finite number and NaN for NaN and ±Infinity.
          if (cell - cell !== 0) throw new Error(`result row ${r + 1}, column ${c + 1} is ${String(cell)}`);
        } else if (cell === null || cell === undefined) {
          row[c] = "";
        }
      }
    }
    return rows as (string | number | boolean)[][];
  } catch (error) {
    throw toExcelError(error, functionName);
  }
}
