/**
 * The one place where errors become Excel errors.
 *
 * Engine errors keep their message (it already names the argument and row); the code decides the
 * Excel error: INVALID_INPUT → #VALUE!, INSUFFICIENT_DATA and NOT_CONVERGED → #N/A (no result).
 * Only #VALUE! and #N/A show a custom message in Excel, so no other code is used. Anything else
 * (a bug) becomes #VALUE! with the function name and the original message, never a bare exception.
 *
 * `CustomFunctions` is read when an error is made, not at import, so the module loads outside Excel.
 */

import { invalidCell, isEngineError } from "../engine/errors";

/** Turns any thrown value into the `CustomFunctions.Error` that Excel shows in the cell. */
export function toExcelError(error: unknown, functionName: string): CustomFunctions.Error {
  if (error instanceof CustomFunctions.Error) return error;
  if (isEngineError(error)) {
    const code =
      error.code === "INVALID_INPUT" ? CustomFunctions.ErrorCode.invalidValue : CustomFunctions.ErrorCode.notAvailable;
    return new CustomFunctions.Error(code, error.message);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, `${functionName} failed unexpectedly: ${detail}`);
}

/**
 * Re-addresses an engine error to the Excel argument and cell it came from:
 * `retentionClv: retention rate 1.2 must be …` becomes `retention_rate row 3: retention rate 1.2 must be …`,
 * and a cell error from a 2-D range gets its column: `margin row 2: "x" is not a number` becomes
 * `margin row 2, column 3: "x" is not a number`. Other errors are returned unchanged.
 */
export function locateError(error: unknown, argument: string, position: { row: number; column?: number }): unknown {
  if (!isEngineError(error, "INVALID_INPUT")) return error;
  if (error.row === undefined) {
    const reason = error.message.replace(/^[A-Za-z][A-Za-z0-9]*: /, "");
    return invalidCell(argument, position.row, reason, position.column);
  }
  const prefix = `${argument} row ${error.row}: `;
  if (error.argument === argument && error.column === undefined && position.column !== undefined && error.message.startsWith(prefix)) {
    return invalidCell(argument, error.row, error.message.slice(prefix.length), position.column);
  }
  return error;
}
