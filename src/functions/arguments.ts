/**
 * Optional single-cell arguments (`[model]`, `[as_of]`, `[period]`, …) as Excel sends them.
 *
 * Custom functions declare every argument as `any[][]`, so an option arrives as `[[value]]`, or as
 * `null`/`undefined` when omitted. A blank cell counts as omitted (desktop Excel sends 0 for an empty
 * cell, so an option that a user could leave as a blank reference must not give 0 a meaning). A range
 * of more than one cell is an error naming the argument.
 */

import { invalidArgument } from "../engine/errors";
import { isBlankCell, toBoolean, toDateSerial, toNumber, toText } from "../engine/data/cells";

/** The single cell of an optional argument, or null when it is omitted or blank. */
export function optionCell(range: unknown, argument: string): unknown {
  if (range === null || range === undefined) return null;
  if (!Array.isArray(range)) return isBlankCell(range) ? null : range;
  if (range.length !== 1 || !Array.isArray(range[0]) || range[0].length !== 1) {
    throw invalidArgument(argument, "expected a single cell");
  }
  const value: unknown = range[0][0];
  return isBlankCell(value) ? null : value;
}

/** An optional number; null when omitted or blank. */
export function optionNumber(range: unknown, argument: string): number | null {
  const value = optionCell(range, argument);
  return value === null ? null : toNumber(value, argument, 1);
}

/** An optional text; null when omitted or blank. */
export function optionText(range: unknown, argument: string): string | null {
  const value = optionCell(range, argument);
  return value === null ? null : toText(value, argument, 1);
}

/** An optional date (serial or ISO text); null when omitted or blank. */
export function optionDate(range: unknown, argument: string): number | null {
  const value = optionCell(range, argument);
  return value === null ? null : toDateSerial(value, argument, 1);
}

/** An optional TRUE/FALSE; null when omitted or blank. */
export function optionBoolean(range: unknown, argument: string): boolean | null {
  const value = optionCell(range, argument);
  return value === null ? null : toBoolean(value, argument, 1);
}

/**
 * An optional keyword from a fixed list, matched case- and space-insensitively (`"BG/NBD"` is not
 * `"bgnbd"`: list accepted spellings in `choices`); null when omitted or blank.
 *
 * @throws EngineError INVALID_INPUT listing the choices when the text is not one of them.
 */
export function optionChoice<T extends string>(range: unknown, argument: string, choices: readonly T[]): T | null {
  const text = optionText(range, argument);
  if (text === null) return null;
  const key = text.toLowerCase().replace(/\s+/g, "");
  const match = choices.find((choice) => choice.toLowerCase().replace(/\s+/g, "") === key);
  if (match === undefined) {
    throw invalidArgument(argument, `"${text}" is not one of ${choices.map((c) => `"${c}"`).join(", ")}`);
  }
  return match;
}
