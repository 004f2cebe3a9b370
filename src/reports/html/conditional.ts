/**
 * The red and green of a tab's conditional formats, worked out for the HTML report: which cells the
 * workbook paints "bad" (red) or "good" (green). Number rules ("cellIs") are compared directly;
 * formula rules are evaluated for the small formula language builders use (cell references, numbers,
 * text, comparisons, AND, OR, NOT, ISNUMBER, TRUE, FALSE); a formula outside it paints nothing.
 * Colour scales and data bars (magnitude, not a rule) become a cell's background: the scale's colour
 * at the value's place between the range's smallest and largest number, or a bar of the value's share
 * of the largest.
 */
import { cellAt, cellValue, type CellValue, type ConditionalFormat, type ReportSheet } from "../sheet";

export type Look = "good" | "bad";

/** Key of a cell in the map of looks. */
export function cellKey(row: number, column: number): string {
  return `${row},${column}`;
}

type Value = CellValue | undefined;

/** Column index of letters: "A" → 0, "AA" → 26. */
function columnIndex(letters: string): number {
  let index = 0;
  for (const ch of letters.toUpperCase()) index = index * 26 + (ch.charCodeAt(0) - 64);
  return index - 1;
}

const TOKEN = /\s*(?:(\$?[A-Za-z]{1,3}\$?\d+)(?![A-Za-z(])|([A-Za-z]+)\s*\(|(TRUE|FALSE)\b|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|"((?:[^"]|"")*)"|(<>|<=|>=|[=<>(),-]))/y;

/**
 * Evaluates a formula for the cell `offset` rows and columns from the range's top-left cell.
 * @returns the formula's value, or undefined when it uses anything outside the small language
 */
function evaluate(sheet: ReportSheet, formula: string, offsetRow: number, offsetColumn: number): Value {
  const tokens: string[][] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < formula.length) {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(formula);
    if (match === null) {
      if (formula.slice(position).trim() === "") break;
      return undefined;
    }
    tokens.push(match);
    position = TOKEN.lastIndex;
  }
  let i = 0;
  const fail = Symbol("fail");
  const read = (address: string): Value => {
    const m = /^(\$?)([A-Za-z]{1,3})(\$?)(\d+)$/.exec(address);
    if (!m) return undefined;
    const row = Number(m[4]) - 1 + (m[3] ? 0 : offsetRow);
    const column = columnIndex(m[2]) + (m[1] ? 0 : offsetColumn);
    const cell = cellAt(sheet, row, column);
    return cell === undefined ? null : cellValue(cell);
  };
  const primary = (): Value | typeof fail => {
    const token = tokens[i++];
    if (!token) return fail;
    if (token[1]) return read(token[1]);
    if (token[3]) return token[3] === "TRUE";
    if (token[4]) return Number(token[4]);
    if (token[5] !== undefined) return token[5].replace(/""/g, '"');
    if (token[6] === "-") {
      const value = primary();
      return typeof value === "number" ? -value : fail;
    }
    if (token[6] === "(") {
      const value = comparison();
      return tokens[i++]?.[6] === ")" ? value : fail;
    }
    if (token[2]) {
      const name = token[2].toUpperCase();
      const args: (Value | typeof fail)[] = [];
      if (tokens[i]?.[6] === ")") i++;
      else {
        for (;;) {
          args.push(comparison());
          const next = tokens[i++]?.[6];
          if (next === ")") break;
          if (next !== ",") return fail;
        }
      }
      if (args.includes(fail)) return fail;
      if (name === "AND") return args.every((a) => a === true || (typeof a === "number" && a !== 0));
      if (name === "OR") return args.some((a) => a === true || (typeof a === "number" && a !== 0));
      if (name === "NOT" && args.length === 1) return !(args[0] === true || (typeof args[0] === "number" && args[0] !== 0));
      if (name === "ISNUMBER" && args.length === 1) return typeof args[0] === "number";
      if (name === "ISBLANK" && args.length === 1) return args[0] === null;
      return fail;
    }
    return fail;
  };
  const comparison = (): Value | typeof fail => {
    const left = primary();
    const op = tokens[i]?.[6];
    if (op === undefined || !["=", "<>", "<", ">", "<=", ">="].includes(op)) return left;
    i++;
    const right = primary();
    if (left === fail || right === fail || left === undefined || right === undefined) return fail;
    const a = left === null ? (typeof right === "string" ? "" : 0) : left;
    const b = right === null ? (typeof left === "string" ? "" : 0) : right;
    if (typeof a !== typeof b) return op === "<>";
    const order = typeof a === "string" ? a.toLowerCase().localeCompare(String(b).toLowerCase()) : Number(a) - Number(b);
    if (op === "=") return order === 0;
    if (op === "<>") return order !== 0;
    if (op === "<") return order < 0;
    if (op === ">") return order > 0;
    if (op === "<=") return order <= 0;
    return order >= 0;
  };
  const value = comparison();
  return value === fail || i !== tokens.length ? undefined : value;
}

/** True when a number rule holds for a value. */
function cellIs(value: Value, operator: string, threshold: number): boolean {
  if (typeof value !== "number") return false;
  if (operator === "lessThan") return value < threshold;
  if (operator === "greaterThan") return value > threshold;
  if (operator === "lessThanOrEqual") return value <= threshold;
  if (operator === "greaterThanOrEqual") return value >= threshold;
  return value === threshold;
}

/** The cells a tab's conditional formats paint red or green (the first rule that applies wins, as in Excel). */
export function conditionalLooks(sheet: ReportSheet): Map<string, Look> {
  const looks = new Map<string, Look>();
  for (const format of sheet.conditionalFormats as readonly ConditionalFormat[]) {
    const { range, rule } = format;
    if (rule.kind !== "cellIs" && rule.kind !== "expression") continue;
    for (let r = 0; r < range.rowCount; r++) {
      for (let c = 0; c < range.columnCount; c++) {
        const key = cellKey(range.row + r, range.column + c);
        if (looks.has(key)) continue;
        let holds: boolean;
        if (rule.kind === "cellIs") {
          const cell = cellAt(sheet, range.row + r, range.column + c);
          holds = cellIs(cell === undefined ? undefined : cellValue(cell), rule.operator, rule.value);
        } else holds = evaluate(sheet, rule.formula, r, c) === true;
        if (holds) looks.set(key, rule.look);
      }
    }
  }
  return looks;
}

/** A colour "RRGGBB" between two others, at t in [0, 1]. */
function mix(low: string, high: string, t: number): string {
  const channel = (hex: string, i: number): number => Number.parseInt(hex.slice(i, i + 2), 16);
  const out = [0, 2, 4].map((i) => Math.round(channel(low, i) + (channel(high, i) - channel(low, i)) * t));
  return `#${out.map((v) => v.toString(16).padStart(2, "0")).join("").toUpperCase()}`;
}

/**
 * CSS backgrounds of the cells under colour scales and data bars: key → CSS `background` value.
 * Plain colours and linear gradients only (no images, nothing outside the page).
 */
export function magnitudeFills(sheet: ReportSheet): Map<string, string> {
  const fills = new Map<string, string>();
  for (const { range, rule } of sheet.conditionalFormats) {
    if (rule.kind !== "colorScale" && rule.kind !== "dataBar") continue;
    const cells: { key: string; value: number }[] = [];
    for (let r = 0; r < range.rowCount; r++) {
      for (let c = 0; c < range.columnCount; c++) {
        const cell = cellAt(sheet, range.row + r, range.column + c);
        const value = cell === undefined ? null : cellValue(cell);
        if (typeof value === "number" && Number.isFinite(value)) cells.push({ key: cellKey(range.row + r, range.column + c), value });
      }
    }
    if (cells.length === 0) continue;
    const min = Math.min(...cells.map((cell) => cell.value));
    const max = Math.max(...cells.map((cell) => cell.value));
    for (const { key, value } of cells) {
      if (fills.has(key)) continue;
      if (rule.kind === "dataBar") {
        const share = max > 0 ? Math.max(0, value) / max : 0;
        const percent = Math.round(share * 1000) / 10;
        // A light bar (the colour at 40% opacity), so the number on it stays readable.
        fills.set(key, `linear-gradient(90deg,#${rule.color}66 ${percent}%,transparent ${percent}%)`);
      } else {
        const t = max > min ? (value - min) / (max - min) : 0.5;
        const color = rule.mid === undefined ? mix(rule.low, rule.high, t) : t < 0.5 ? mix(rule.low, rule.mid, t * 2) : mix(rule.mid, rule.high, t * 2 - 1);
        fills.set(key, color);
      }
    }
  }
  return fills;
}
