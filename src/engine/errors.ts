/**
 * The one error type of the engine.
 *
 * Every validation failure, every model that cannot be fitted and every input that yields no result
 * throws an {@link EngineError} with a stable {@link EngineErrorCode}. Callers (custom functions, the
 * task pane, the runner) map the code to what their user sees; see `src/functions/errors.ts`.
 */

/** Stable error codes. Never rename one: callers and tests match on them. */
export type EngineErrorCode =
  /** An argument or a cell is invalid: wrong type, out of range, mismatched lengths. */
  | "INVALID_INPUT"
  /** Valid input, but too little of it to compute the result (no rows, too few customers). */
  | "INSUFFICIENT_DATA"
  /** An iteration hit its cap before converging. */
  | "NOT_CONVERGED";

/** Where a problem is: the argument's user-facing name and, when known, the 1-based row (or cell). */
export interface ErrorLocation {
  /** Argument name as the user sees it, e.g. `order_values`. */
  readonly argument?: string;
  /** 1-based row within the argument's range. */
  readonly row?: number;
  /** 1-based column within the argument's range, for 2-D arguments. */
  readonly column?: number;
}

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly argument?: string;
  readonly row?: number;
  readonly column?: number;

  constructor(code: EngineErrorCode, message: string, location: ErrorLocation = {}) {
    super(message);
    this.name = "EngineError";
    this.code = code;
    this.argument = location.argument;
    this.row = location.row;
    this.column = location.column;
  }
}

/** True when `error` is an {@link EngineError} (optionally with the given code). */
export function isEngineError(error: unknown, code?: EngineErrorCode): error is EngineError {
  return error instanceof EngineError && (code === undefined || error.code === code);
}

/**
 * An INVALID_INPUT error whose message names the argument and row the way users read it:
 * `order_values row 17: "abc" is not a number`.
 */
export function invalidCell(argument: string, row: number, problem: string, column?: number): EngineError {
  const where = column === undefined ? `${argument} row ${row}` : `${argument} row ${row}, column ${column}`;
  return new EngineError("INVALID_INPUT", `${where}: ${problem}`, { argument, row, column });
}

/** An INVALID_INPUT error about a whole argument: `retention_rate: must be a number between 0 and 1`. */
export function invalidArgument(argument: string, problem: string): EngineError {
  return new EngineError("INVALID_INPUT", `${argument}: ${problem}`, { argument });
}
