/**
 * Single-cell coercion: one value as Excel sends it -> one typed value, or an error that names the
 * argument and the 1-based row.
 *
 * Excel sends numbers, text, booleans, blanks (`""` or `null` on the web, `0` on desktop) and dates as
 * serial numbers or as text. Every function here takes `(value, argument, row)` and throws
 * `invalidCell(argument, row, problem)`, so a message reads `order_values row 17: "abc" is not a number`.
 * Text is quoted in double quotes, trimmed, and cut to 60 characters.
 *
 * Desktop Excel's `0` for an empty cell cannot be told apart from a real 0 here: 0 is never blank for
 * these functions (see `alignRows` in range.ts for the one place where it may be).
 */

import { invalidCell, isEngineError } from "../errors";
import { MAX_SERIAL, parseDateText } from "./dates";

const MAX_QUOTED_LENGTH = 60;
// Plain decimal or scientific notation; no hex, no "Infinity", no separators (Number() alone accepts too much).
const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const THOUSANDS_TEXT = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;
const DECIMAL_COMMA_TEXT = /^[+-]?\d*,\d+$/;
const DATE_TEXT_PREFIX = "parseDateText: ";

/** Text as shown in a message: trimmed, in double quotes, long text cut with an ellipsis. */
function quote(text: string): string {
  const shown = text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH - 1)}…` : text;
  return `"${shown}"`;
}

function booleanText(value: boolean): string {
  return value ? "TRUE" : "FALSE";
}

/** How Excel shows each data-type error (`ErrorCellValue.errorType`), for messages. */
const ERROR_DISPLAY: Readonly<Record<string, string>> = {
  Blocked: "#BLOCKED!",
  Busy: "#BUSY!",
  Calc: "#CALC!",
  Connect: "#CONNECT!",
  Div0: "#DIV/0!",
  Field: "#FIELD!",
  GettingData: "#GETTING_DATA",
  Name: "#NAME?",
  NotAvailable: "#N/A",
  Null: "#NULL!",
  Num: "#NUM!",
  Ref: "#REF!",
  Spill: "#SPILL!",
  Value: "#VALUE!",
};

/** What an object that is not a cell value becomes: a value every coercion rejects by its type. */
const NOT_A_CELL = Symbol("not a cell value");

/**
 * An object cell as a plain value: unwraps Excel data types.
 *
 * Microsoft's metadata generator sets `allowCustomDataForDataTypeAny` in functions.json, so a cell
 * holding a data type reaches an `any` parameter as an object rather than a plain value: a formatted
 * number (`{ type: "Double", basicValue: 45322, numberFormat: "yyyy-mm-dd" }`), an entity or linked
 * data type (`basicValue` is its display text), an empty value (`{ type: "Empty" }`) or an error
 * (`{ type: "Error", errorType: "NotAvailable", basicValue: "#N/A" }`). Everything but an error
 * reduces to its `basicValue`, which is what the cell shows; an error is reported by name.
 *
 * @returns the primitive `basicValue` (`null` for an empty data type), or {@link NOT_A_CELL} for an
 *   object that is not a data type (the caller then rejects it; unwrapping never loops).
 * @throws EngineError INVALID_INPUT for an error data type: `order_values row 4: is an error value (#N/A); …`.
 */
function plainCell(value: object, argument: string, row: number): unknown {
  const cell = value as { type?: unknown; basicType?: unknown; basicValue?: unknown; errorType?: unknown };
  if (cell.type === "Error" || cell.basicType === "Error") {
    const shown =
      typeof cell.basicValue === "string" && cell.basicValue.startsWith("#")
        ? cell.basicValue
        : (ERROR_DISPLAY[String(cell.errorType)] ?? "an error");
    throw invalidCell(argument, row, `is an error value (${shown}); fix the cell or leave the row out`);
  }
  if (cell.type === "Empty") return null;
  if ("basicValue" in cell && (cell.basicValue === null || typeof cell.basicValue !== "object")) return cell.basicValue;
  return NOT_A_CELL;
}

/**
 * True for a cell that holds nothing: `null`, `undefined`, `""` or a string of spaces only.
 *
 * The number 0 is NOT blank, although desktop Excel sends 0 for an empty cell: it cannot be told
 * apart from a real 0 (use `alignRows(..., { zeroIsBlank: true })` for trailing rows only).
 *
 * @param value a cell value as Excel sends it.
 * @returns whether the cell is blank.
 */
export function isBlankCell(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (typeof value === "string") return value.trim().length === 0;
  return typeof value === "object" && (value as { type?: unknown }).type === "Empty";
}

/**
 * A cell as a finite number.
 *
 * Numbers pass unchanged. Text is accepted when, trimmed, it is plain decimal or scientific notation
 * (`"12.5"`, `"-3"`, `"+4"`, `".5"`, `"1e3"`), optionally with a percent sign (`"80%"` → 0.8), because
 * CSV imports and pasted values often leave numbers as text. Thousands separators (`"1,234"`) and
 * decimal commas (`"1,5"`) are rejected with a hint rather than guessed.
 *
 * @param value a cell value as Excel sends it.
 * @param argument the argument's name as the user sees it, e.g. `order_values`.
 * @param row 1-based row within the argument's range.
 * @returns the number.
 * @throws EngineError INVALID_INPUT (via invalidCell) when the cell is blank, text that is not a
 *   number, a boolean, NaN or ±Infinity, or any other value (e.g. an Excel error object).
 */
export function toNumber(value: unknown, argument: string, row: number): number {
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw invalidCell(argument, row, `${String(value)} is not a finite number`);
  }
  if (typeof value === "object" && value !== null) return toNumber(plainCell(value, argument, row), argument, row);
  if (typeof value === "string") {
    const text = value.trim();
    if (text.length === 0) throw invalidCell(argument, row, "is blank; a number is required");
    const isPercent = text.endsWith("%");
    const body = isPercent ? text.slice(0, -1).trimEnd() : text;
    if (NUMERIC_TEXT.test(body)) {
      const parsed = isPercent ? Number(body) / 100 : Number(body);
      if (Number.isFinite(parsed)) return parsed;
      throw invalidCell(argument, row, `${quote(text)} is too large to be a number`);
    }
    if (THOUSANDS_TEXT.test(body)) {
      throw invalidCell(
        argument,
        row,
        `${quote(text)} is not a number: it has a thousands separator; remove the separators or format the cell as a number`,
      );
    }
    if (DECIMAL_COMMA_TEXT.test(body)) {
      throw invalidCell(
        argument,
        row,
        `${quote(text)} is not a number: it has a decimal comma; use a decimal point or format the cell as a number`,
      );
    }
    throw invalidCell(argument, row, `${quote(text)} is not a number`);
  }
  if (typeof value === "boolean") throw invalidCell(argument, row, `${booleanText(value)} is not a number`);
  if (value === null || value === undefined) throw invalidCell(argument, row, "is blank; a number is required");
  throw invalidCell(argument, row, "is not a number");
}

/**
 * A cell as a finite number, or null when it is blank (for optional per-row values).
 *
 * @param value a cell value as Excel sends it.
 * @param argument the argument's name as the user sees it.
 * @param row 1-based row within the argument's range.
 * @returns null for a blank cell (see {@link isBlankCell}; 0 is a number), otherwise as {@link toNumber}.
 * @throws EngineError INVALID_INPUT when a non-blank cell is not a number (see {@link toNumber}).
 */
export function toOptionalNumber(value: unknown, argument: string, row: number): number | null {
  if (typeof value === "number") return toNumber(value, argument, row);
  return isBlankCell(value) ? null : toNumber(value, argument, row);
}

/**
 * A cell as TRUE or FALSE.
 *
 * Accepts booleans, the numbers 1 and 0, and the text TRUE, FALSE, yes, no, 1, 0 (any case, trimmed),
 * which is how flags usually arrive from CSV files and forms.
 *
 * @param value a cell value as Excel sends it.
 * @param argument the argument's name as the user sees it.
 * @param row 1-based row within the argument's range.
 * @returns the boolean.
 * @throws EngineError INVALID_INPUT when the cell is blank or anything else (`"maybe" is not TRUE or FALSE`).
 */
export function toBoolean(value: unknown, argument: string, row: number): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "object" && value !== null) return toBoolean(plainCell(value, argument, row), argument, row);
  if (typeof value === "number") {
    if (value === 1) return true;
    if (value === 0) return false;
    throw invalidCell(argument, row, `${String(value)} is not TRUE or FALSE`);
  }
  if (typeof value === "string") {
    const text = value.trim();
    if (text.length === 0) throw invalidCell(argument, row, "is blank; TRUE or FALSE is required");
    switch (text.toLowerCase()) {
      case "true":
      case "yes":
      case "1":
        return true;
      case "false":
      case "no":
      case "0":
        return false;
      default:
        throw invalidCell(argument, row, `${quote(text)} is not TRUE or FALSE`);
    }
  }
  if (value === null || value === undefined) throw invalidCell(argument, row, "is blank; TRUE or FALSE is required");
  throw invalidCell(argument, row, "is not TRUE or FALSE");
}

/**
 * A cell as TRUE or FALSE, or null when it is blank.
 *
 * @param value a cell value as Excel sends it.
 * @param argument the argument's name as the user sees it.
 * @param row 1-based row within the argument's range.
 * @returns null for a blank cell (0 is FALSE, not blank), otherwise as {@link toBoolean}.
 * @throws EngineError INVALID_INPUT when a non-blank cell is not a boolean (see {@link toBoolean}).
 */
export function toOptionalBoolean(value: unknown, argument: string, row: number): boolean | null {
  return isBlankCell(value) ? null : toBoolean(value, argument, row);
}

/** A number the way a person reads it in a cell: integers in full, others to 15 significant digits. */
function numberToText(value: number): string {
  // String() writes every integer below 1e21 without an exponent, and -0 as "0".
  if (Number.isInteger(value)) return String(value);
  // Excel shows 15 significant digits, so 0.1 + 0.2 reads "0.3" as it does in the sheet.
  const rounded = value.toPrecision(15);
  if (rounded.includes("e")) return String(value);
  return rounded.includes(".") ? rounded.replace(/\.?0+$/, "") : rounded;
}

/**
 * A cell as trimmed text: for ids, names, channels, segments.
 *
 * Numbers become the text a person reads (customer id 1001 → `"1001"`, 12.5 → `"12.5"`), so that an id
 * typed as a number in one row and as text in another is the same id. Booleans become `"TRUE"`/`"FALSE"`.
 *
 * @param value a cell value as Excel sends it.
 * @param argument the argument's name as the user sees it.
 * @param row 1-based row within the argument's range.
 * @returns non-empty trimmed text.
 * @throws EngineError INVALID_INPUT when the cell is blank, NaN or ±Infinity, or any other value
 *   (e.g. an Excel error object).
 */
export function toText(value: unknown, argument: string, row: number): string {
  if (typeof value === "object" && value !== null) return toText(plainCell(value, argument, row), argument, row);
  if (typeof value === "string") {
    const text = value.trim();
    if (text.length === 0) throw invalidCell(argument, row, "is blank; a value is required");
    return text;
  }
  if (typeof value === "number") {
    if (Number.isFinite(value)) return numberToText(value);
    throw invalidCell(argument, row, `${String(value)} is not a finite number`);
  }
  if (typeof value === "boolean") return booleanText(value);
  if (value === null || value === undefined) throw invalidCell(argument, row, "is blank; a value is required");
  throw invalidCell(argument, row, "is not text, a number or TRUE/FALSE");
}

/**
 * A cell as trimmed text, or null when it is blank.
 *
 * @param value a cell value as Excel sends it.
 * @param argument the argument's name as the user sees it.
 * @param row 1-based row within the argument's range.
 * @returns null for a blank cell (0 is the text "0", not blank), otherwise as {@link toText}.
 * @throws EngineError INVALID_INPUT when a non-blank cell cannot be read as text (see {@link toText}).
 */
export function toOptionalText(value: unknown, argument: string, row: number): string | null {
  return isBlankCell(value) ? null : toText(value, argument, row);
}

function serialProblem(value: number): string {
  if (value === 0) {
    return "0 is not a date; desktop Excel sends 0 for an empty cell, so fill in the date or remove the row";
  }
  if (value > 0 && value < 1) return `${String(value)} is a time of day without a date`;
  if (!Number.isFinite(value)) return `${String(value)} is not a date`;
  return `${String(value)} is not a date serial; Excel dates run from 1 (1900-01-01) to ${MAX_SERIAL} (9999-12-31)`;
}

/**
 * A cell as an Excel date serial (1900 date system).
 *
 * Numbers are serials and must have their floor in [1, MAX_SERIAL]. Text goes through
 * {@link parseDateText}: `2024-01-31`, `2024/01/31`, with an optional time and offset; day/month-first
 * text such as `31/01/2024` is rejected as ambiguous, never guessed.
 *
 * @param value a cell value as Excel sends it.
 * @param argument the argument's name as the user sees it, e.g. `order_dates`.
 * @param row 1-based row within the argument's range.
 * @returns the serial; its fraction is the time of day.
 * @throws EngineError INVALID_INPUT when the cell is blank, a number outside the serial range
 *   (0 gets a hint that it may be an empty cell on desktop Excel), text that is not a date, impossible
 *   or ambiguous date text, a boolean, or any other value.
 */
export function toDateSerial(value: unknown, argument: string, row: number): number {
  if (typeof value === "number") {
    // NaN fails both comparisons.
    if (value >= 1 && value < MAX_SERIAL + 1) return value;
    throw invalidCell(argument, row, serialProblem(value));
  }
  if (typeof value === "object" && value !== null) return toDateSerial(plainCell(value, argument, row), argument, row);
  if (typeof value === "string") {
    const text = value.trim();
    if (text.length === 0) throw invalidCell(argument, row, "is blank; a date is required");
    let serial: number | null;
    try {
      serial = parseDateText(text);
    } catch (error) {
      if (isEngineError(error) && error.message.startsWith(DATE_TEXT_PREFIX)) {
        throw invalidCell(argument, row, error.message.slice(DATE_TEXT_PREFIX.length));
      }
      throw error;
    }
    if (serial === null) {
      throw invalidCell(argument, row, `${quote(text)} is not a date; use a date cell or text like 2024-01-31`);
    }
    return serial;
  }
  if (typeof value === "boolean") throw invalidCell(argument, row, `${booleanText(value)} is not a date`);
  if (value === null || value === undefined) throw invalidCell(argument, row, "is blank; a date is required");
  throw invalidCell(argument, row, "is not a date");
}

/**
 * A cell as an Excel date serial, or null when it is blank.
 *
 * @param value a cell value as Excel sends it.
 * @param argument the argument's name as the user sees it.
 * @param row 1-based row within the argument's range.
 * @returns null for a blank cell, otherwise as {@link toDateSerial} (so 0 is still an error, with its hint).
 * @throws EngineError INVALID_INPUT when a non-blank cell is not a date (see {@link toDateSerial}).
 */
export function toOptionalDateSerial(value: unknown, argument: string, row: number): number | null {
  return isBlankCell(value) ? null : toDateSerial(value, argument, row);
}
