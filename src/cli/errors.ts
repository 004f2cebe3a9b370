/**
 * User-facing errors of the runner: always one line on stderr and an exit code, never a stack trace.
 *
 * A {@link CliError} is a problem the user can fix (a bad cell, a missing file, a wrong flag). Engine
 * errors name the engine's argument and its 1-based row (`order_dates row 16: …`); with an
 * {@link ErrorContext} they are re-addressed to the file, its line and the column header the user
 * sees: `imc: orders.csv, row 17, column order_date: "31/02/2024" is not a valid date…`.
 */

import { isEngineError, type EngineError } from "../engine/errors";
import type { CliIo } from "./io";

/** Where a problem is in the user's input. */
export interface CliErrorLocation {
  /** Exit code: 1 for bad input (default), 2 for a usage error. */
  readonly exitCode?: number;
  /** File name as the user typed it. */
  readonly file?: string;
  /** Row of the file: its line number, the header being row 1 (the spreadsheet row when opened in Excel). */
  readonly row?: number;
  /** Column header as it appears in the file. */
  readonly column?: string;
}

/** A one-line user error: "imc: <file>, row <r>, column <name>: <problem>"; exit code 1 (usage errors 2). */
export class CliError extends Error {
  readonly exitCode: number;
  readonly file?: string;
  readonly row?: number;
  readonly column?: string;

  /**
   * @param message the problem, without the location (it is prefixed from `options`).
   * @param options exit code and location.
   */
  constructor(message: string, options: CliErrorLocation = {}) {
    super(message);
    this.name = "CliError";
    this.exitCode = options.exitCode ?? 1;
    this.file = options.file;
    this.row = options.row;
    this.column = options.column;
  }

  /** The full line without the "imc: " prefix: "orders.csv, row 17, column order_date: problem". */
  get line(): string {
    const where: string[] = [];
    if (this.file !== undefined) where.push(this.file);
    if (this.row !== undefined) where.push(`row ${this.row}`);
    if (this.column !== undefined) where.push(`column ${this.column}`);
    return where.length === 0 ? this.message : `${where.join(", ")}: ${this.message}`;
  }
}

/** A usage error (exit code 2): a wrong flag, a missing argument. */
export function usageError(message: string): CliError {
  return new CliError(message, { exitCode: 2 });
}

/** How engine errors of one command map back to the user's file and flags. */
export interface ErrorContext {
  /** The input file as the user typed it. */
  readonly file?: string;
  /** Engine argument name → column header in the file, e.g. `order_dates` → `order_date`. */
  readonly columns?: Readonly<Record<string, string>>;
  /** Engine argument name → flag, e.g. `horizon` → `--horizon`. */
  readonly flags?: Readonly<Record<string, string>>;
  /** 1-based data row (as the engine counts) → row of the file (its line number, header = 1). */
  readonly rowOf?: (dataRow: number) => number;
}

// "order_dates row 16: ", "margin row 2, column 3: ", "order_dates: ".
const ENGINE_PREFIX = /^[A-Za-z_][A-Za-z0-9_]* row \d+(?:, column \d+)?: |^[A-Za-z_][A-Za-z0-9_]*: /;

/**
 * Re-addresses an engine error to the file, row and column (or flag) it came from.
 *
 * @param error the engine error.
 * @param context the mapping of the command that ran the engine.
 * @returns a {@link CliError} with exit code 1.
 */
export function locateEngineError(error: EngineError, context: ErrorContext): CliError {
  const argument = error.argument;
  const problem = error.message.replace(ENGINE_PREFIX, "");
  // Only a rejected value is the flag's fault; a model that cannot be fitted is reported as it is.
  const flag = argument === undefined || error.code !== "INVALID_INPUT" ? undefined : context.flags?.[argument];
  if (flag !== undefined) return new CliError(`${flag}: ${problem}`);
  const column = argument === undefined ? undefined : context.columns?.[argument];
  if (column === undefined) {
    // Not about one of the file's columns: keep the engine's wording, which names what it is about.
    return new CliError(error.message, { file: context.file });
  }
  const row = error.row === undefined ? undefined : context.rowOf ? context.rowOf(error.row) : error.row + 1;
  return new CliError(problem, { file: context.file, row, column });
}

/**
 * Runs `body`, turning an engine error into a {@link CliError} located with `context`.
 *
 * @param context the mapping of engine arguments to the user's file and flags.
 * @param body the work.
 * @returns what `body` returns.
 * @throws CliError for engine errors; anything else unchanged.
 */
export async function withErrorContext<T>(context: ErrorContext, body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (isEngineError(error)) throw locateEngineError(error, context);
    throw error;
  }
}

/**
 * Turns any thrown error into one line on stderr and an exit code.
 *
 * CliError as is (its exit code); EngineError located with `context` when given (exit 1); anything
 * else "imc: internal error: <message>" (exit 1), with the stack trace only when IMC_DEBUG=1.
 *
 * @param error what was thrown.
 * @param io where to write.
 * @param context how engine errors map to the user's file, when the caller knows.
 * @returns the exit code.
 */
export function reportError(error: unknown, io: CliIo, context?: ErrorContext): number {
  let cliError: CliError | null = null;
  if (error instanceof CliError) cliError = error;
  else if (isEngineError(error)) cliError = locateEngineError(error, context ?? {});
  if (cliError !== null) {
    io.stderr(`imc: ${oneLine(cliError.line)}\n`);
    return cliError.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`imc: internal error: ${oneLine(message)}\n`);
  if (process.env.IMC_DEBUG === "1" && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return 1;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}
