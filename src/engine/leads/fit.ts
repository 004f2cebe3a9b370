/**
 * Fit score of leads from a rules table (domain.md §6, lead scoring's first axis): each rule gives
 * points to the leads whose profile column meets its condition ("Industry | in (Retail, Software) |
 * 20"); a lead's fit is the sum of its rules' points, floored at 0 and capped (default 100).
 *
 * Conditions, case-insensitive, written in a cell:
 * - `value` or `= value`: equals (numbers compare as numbers: "50" equals 50);
 * - `<> value`: differs from the value;
 * - `> n`, `>= n`, `< n`, `<= n`: number comparisons (a cell that is not a number does not match);
 * - `between a and b`: a ≤ x ≤ b, numbers;
 * - `in (a, b, c)` or `a; b; c`: equals one of the values;
 * - `contains text`: the text appears in the cell;
 * - `*`: any non-blank cell.
 * A blank profile cell matches no condition (not even `<>`).
 */

import { EngineError, invalidCell } from "../errors";
import { isBlankCell, toNumber, toText } from "../data/cells";

/** Default cap of a fit score. */
export const DEFAULT_FIT_CAP = 100;

/** A value of a condition: its lower-case text and, when it reads as a number, the number. */
export interface ConditionValue {
  readonly text: string;
  readonly number: number | null;
}

/** A parsed condition. */
export type FitCondition =
  | { readonly kind: "any" }
  | { readonly kind: "equals"; readonly value: ConditionValue }
  | { readonly kind: "notEquals"; readonly value: ConditionValue }
  | { readonly kind: "compare"; readonly operator: ">" | ">=" | "<" | "<="; readonly limit: number }
  | { readonly kind: "between"; readonly low: number; readonly high: number }
  | { readonly kind: "in"; readonly values: readonly ConditionValue[] }
  | { readonly kind: "contains"; readonly text: string };

/** One rule of the table, read and checked. */
export interface FitRule {
  /** The attribute as written in the rules table. */
  readonly attribute: string;
  /** Index of the profile column it reads. */
  readonly column: number;
  /** The condition as written (numbers as displayed). */
  readonly conditionText: string;
  readonly condition: FitCondition;
  readonly points: number;
  /** 1-based row of the rule within the rules range (a header row counts). */
  readonly row: number;
}

/** A profile column: its header and one cell per lead. */
export interface ProfileColumn {
  readonly header: string;
  readonly values: readonly unknown[];
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A cell's number, or null when it is not a number (text that reads as one counts). */
function numberOf(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string") {
    const text = value.trim();
    return NUMBER_TEXT.test(text) ? Number(text) : null;
  }
  return null;
}

function conditionValue(text: string): ConditionValue {
  const trimmed = text.trim();
  return { text: trimmed.toLowerCase(), number: numberOf(trimmed) };
}

/** The text of a non-blank profile cell, lower case; null for a blank. */
function cellText(value: unknown): string | null {
  if (isBlankCell(value)) return null;
  if (typeof value === "string") return value.trim().toLowerCase();
  if (typeof value === "number") return Number.isFinite(value) ? toText(value, "", 0).toLowerCase() : null;
  if (typeof value === "boolean") return value ? "true" : "false";
  try {
    return toText(value, "", 0).toLowerCase();
  } catch {
    // An error value in a profile cell (#N/A) matches nothing, like a blank.
    return null;
  }
}

function sameValue(text: string, number: number | null, value: ConditionValue): boolean {
  if (number !== null && value.number !== null) return number === value.number;
  return text === value.text;
}

/**
 * A condition cell read into a {@link FitCondition}.
 *
 * @param cell the condition as the user wrote it (text, a number or TRUE/FALSE).
 * @returns the condition, or a reason it cannot be read.
 */
export function parseCondition(cell: unknown): FitCondition | { readonly problem: string } {
  if (typeof cell === "number") return { kind: "equals", value: { text: toText(cell, "", 0).toLowerCase(), number: cell } };
  if (typeof cell === "boolean") return { kind: "equals", value: { text: cell ? "true" : "false", number: null } };
  if (typeof cell !== "string" || cell.trim() === "") return { problem: "the condition is blank; write * for any non-blank value" };
  const text = cell.trim();
  if (text === "*") return { kind: "any" };
  const between = /^between\s+(.+?)\s+and\s+(.+)$/i.exec(text);
  if (between !== null) {
    const low = numberOf(between[1]);
    const high = numberOf(between[2]);
    if (low === null || high === null) return { problem: `"${text}" needs two numbers: between 10 and 50` };
    if (low > high) return { problem: `"${text}": the first number must not be above the second` };
    return { kind: "between", low, high };
  }
  if (/^between\b/i.test(text)) return { problem: `"${text}" is not read: write between 10 and 50` };
  const list = /^in\s*\((.*)\)$/is.exec(text);
  if (list !== null || /^in\s*\(/i.test(text)) {
    if (list === null) return { problem: `"${text}" is missing its closing bracket: in (a, b, c)` };
    const values = list[1].split(/[,;]/).map((part) => part.trim()).filter((part) => part !== "");
    if (values.length === 0) return { problem: `"${text}" lists no values: in (a, b, c)` };
    return { kind: "in", values: values.map(conditionValue) };
  }
  const contains = /^contains\s+(.+)$/is.exec(text);
  if (contains !== null) return { kind: "contains", text: contains[1].trim().replace(/^"(.*)"$/s, "$1").toLowerCase() };
  if (/^contains$/i.test(text)) return { problem: `"${text}" needs the text to look for: contains Director` };
  const comparison = /^(<>|>=|<=|=|>|<)\s*(.*)$/s.exec(text);
  if (comparison !== null) {
    const [, operator, rest] = comparison;
    if (rest.trim() === "") return { problem: `"${text}" has no value after ${operator}` };
    if (/^[<>=]/.test(rest.trim())) return { problem: `"${text}" is not a comparison: use one of =, <>, >, >=, <, <=` };
    if (operator === "=") return { kind: "equals", value: conditionValue(rest) };
    if (operator === "<>") return { kind: "notEquals", value: conditionValue(rest) };
    const limit = numberOf(rest);
    if (limit === null) return { problem: `"${text}" compares with ${operator}, which needs a number` };
    return { kind: "compare", operator: operator as ">" | ">=" | "<" | "<=", limit };
  }
  if (text.includes(";")) {
    const values = text.split(";").map((part) => part.trim()).filter((part) => part !== "");
    return { kind: "in", values: values.map(conditionValue) };
  }
  return { kind: "equals", value: conditionValue(text) };
}

/**
 * True when a profile cell meets a condition.
 *
 * @param condition a parsed condition.
 * @param value the profile cell.
 */
export function conditionMatches(condition: FitCondition, value: unknown): boolean {
  const text = cellText(value);
  if (text === null) return false;
  switch (condition.kind) {
    case "any":
      return true;
    case "equals":
      return sameValue(text, numberOf(value), condition.value);
    case "notEquals":
      return !sameValue(text, numberOf(value), condition.value);
    case "contains":
      return text.includes(condition.text);
    case "in": {
      const number = numberOf(value);
      return condition.values.some((item) => sameValue(text, number, item));
    }
    case "between": {
      const number = numberOf(value);
      return number !== null && number >= condition.low && number <= condition.high;
    }
    case "compare": {
      const number = numberOf(value);
      if (number === null) return false;
      switch (condition.operator) {
        case ">":
          return number > condition.limit;
        case ">=":
          return number >= condition.limit;
        case "<":
          return number < condition.limit;
        default:
          return number <= condition.limit;
      }
    }
  }
}

/**
 * True when a rules row is a header row: its points cell is text that is not a number ("Points") and
 * its first cell is not a profile column (so a rule with mistyped points is reported, not skipped).
 */
function isHeaderRow(row: readonly unknown[], isColumn: (text: string) => boolean): boolean {
  const points = row[2];
  const attribute = row[0];
  return typeof points === "string" && points.trim() !== "" && numberOf(points) === null && !(typeof attribute === "string" && isColumn(attribute));
}

/**
 * The rules table read and checked against the profile's headers.
 *
 * @param rules rows of three cells (attribute, condition, points), with or without a header row
 *   (detected: a first row whose points cell is text such as "Points"); blank rows are skipped.
 * @param headers the profile's column headers (matched case- and space-insensitively).
 * @param argument the rules' name in messages.
 * @returns the rules and whether the first row was a header.
 * @throws EngineError INVALID_INPUT naming the rules and the rule's 1-based row for a rules range
 *   that is not three columns wide, an attribute that is not a profile header, a condition that cannot
 *   be read or points that are not a number; INSUFFICIENT_DATA when there is no rule.
 */
export function parseFitRules(rules: readonly (readonly unknown[])[], headers: readonly string[], argument = "rules"): { readonly rules: FitRule[]; readonly hasHeader: boolean } {
  if (rules.length > 0 && rules[0].length !== 3) {
    throw new EngineError("INVALID_INPUT", `${argument}: expected 3 columns (attribute, condition, points), got ${rules[0].length}`, { argument });
  }
  const key = (text: string): string => text.trim().replace(/\s+/g, " ").toLowerCase();
  const columnOf = new Map<string, number>();
  headers.forEach((header, index) => {
    if (!columnOf.has(key(header))) columnOf.set(key(header), index);
  });
  const hasHeader = rules.length > 0 && isHeaderRow(rules[0], (text) => columnOf.has(key(text)));
  const out: FitRule[] = [];
  for (let r = hasHeader ? 1 : 0; r < rules.length; r++) {
    const [attributeCell, conditionCell, pointsCell] = rules[r];
    const row = r + 1;
    if (isBlankCell(attributeCell) && isBlankCell(conditionCell) && isBlankCell(pointsCell)) continue;
    if (isBlankCell(attributeCell)) throw invalidCell(argument, row, "the attribute (first column) is blank");
    const attribute = toText(attributeCell, argument, row);
    const column = columnOf.get(key(attribute));
    if (column === undefined) {
      const known = headers.filter((header) => header.trim() !== "").map((header) => `"${header.trim()}"`);
      throw invalidCell(argument, row, `attribute "${attribute}" is not a profile column (columns: ${known.join(", ")})`);
    }
    const condition = parseCondition(conditionCell);
    if ("problem" in condition) throw invalidCell(argument, row, condition.problem);
    let points: number;
    try {
      points = toNumber(pointsCell, argument, row);
    } catch {
      throw invalidCell(argument, row, `the points (third column) ${isBlankCell(pointsCell) ? "are blank" : `"${String(pointsCell)}" are not a number`}`);
    }
    const conditionText = typeof conditionCell === "string" ? conditionCell.trim() : toText(conditionCell, argument, row);
    out.push({ attribute, column, conditionText, condition, points, row });
  }
  if (out.length === 0) throw new EngineError("INSUFFICIENT_DATA", `${argument}: no rules (every row is blank)`, { argument });
  return { rules: out, hasHeader };
}

/** Fit per lead and how often each rule matched. */
export interface FitResult {
  /** Score of each lead, in [0, cap]. */
  readonly scores: Float64Array;
  /** Leads each rule matched, in the rules' order. */
  readonly matches: Int32Array;
  readonly cap: number;
}

/**
 * Fit score of each lead: the points of the rules its profile meets, summed, floored at 0 and capped.
 *
 * @param columns the profile columns, equally long (one cell per lead).
 * @param rules rules from {@link parseFitRules} over the same columns' headers.
 * @param cap highest score, > 0 (default 100).
 * @returns the scores and each rule's match count.
 * @throws EngineError INVALID_INPUT for a cap that is not above 0 or columns of unequal length.
 *
 * References: rule-based ("explicit", firmographic) lead scoring as in marketing-automation tools
 * (HubSpot, Marketo, Pardot grading); domain.md §6.
 */
export function fitScores(columns: readonly ProfileColumn[], rules: readonly FitRule[], cap = DEFAULT_FIT_CAP, capArgument = "cap"): FitResult {
  if (!(Number.isFinite(cap) && cap > 0)) throw new EngineError("INVALID_INPUT", `${capArgument}: the cap must be a number above 0, got ${String(cap)}`, { argument: capArgument });
  const leads = columns.length === 0 ? 0 : columns[0].values.length;
  for (const column of columns) {
    if (column.values.length !== leads) throw new EngineError("INVALID_INPUT", `profile column "${column.header}" has ${column.values.length} rows, not ${leads}`);
  }
  const sums = new Float64Array(leads);
  const matches = new Int32Array(rules.length);
  rules.forEach((rule, index) => {
    const values = columns[rule.column].values;
    for (let i = 0; i < leads; i++) {
      if (conditionMatches(rule.condition, values[i])) {
        sums[i] += rule.points;
        matches[index]++;
      }
    }
  });
  for (let i = 0; i < leads; i++) sums[i] = Math.min(cap, Math.max(0, sums[i]));
  return { scores: sums, matches, cap };
}
