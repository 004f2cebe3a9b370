/**
 * Formula structure of a budget plan: each line of a plan says how it is computed from the inputs
 * and from earlier lines, as a small expression tree, so that a report builder can write the
 * Budget tab as live Excel formulas (`=B5/B6`) that a finance user can tweak, and so that the
 * numbers the engine returns are, by construction, the formulas evaluated.
 *
 * Glossary: a key is a snake_case name of an input (`target_revenue`) or of a line (`new_customers`);
 * a reference is a key used inside a formula.
 */

import { EngineError } from "../errors";

/** An expression over input and line keys. */
export type Formula =
  | { readonly kind: "ref"; readonly key: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "add" | "subtract" | "multiply" | "divide"; readonly left: Formula; readonly right: Formula }
  | { readonly kind: "max"; readonly args: readonly Formula[] };

/** What a value counts, for number formats. */
export type BudgetValueUnit = "currency" | "customers" | "count" | "ratio" | "periods";

/** One input of a plan: a cell the user fills in. */
export interface BudgetInputLine {
  readonly key: string;
  readonly label: string;
  readonly value: number;
  readonly unit: BudgetValueUnit;
}

/** One computed line of a plan. */
export interface BudgetLine {
  readonly key: string;
  readonly label: string;
  /** The formula evaluated (finite). */
  readonly value: number;
  readonly unit: BudgetValueUnit;
  /** How the value is computed from inputs and earlier lines. */
  readonly formula: Formula;
  /** Keys the formula uses, in order of first use (inputs and earlier lines). */
  readonly references: readonly string[];
}

/** A health check on a plan line (CLV:CAC ≥ 3, payback ≤ target). */
export interface BudgetCheck {
  readonly key: string;
  readonly label: string;
  /** The line checked. */
  readonly line: string;
  readonly value: number;
  readonly rule: "at least" | "at most";
  readonly threshold: number;
  readonly passed: boolean;
}

/** A budget worked out line by line. */
export interface BudgetPlan {
  readonly method: "from the end" | "percentage of revenue" | "objective and task";
  readonly inputs: readonly BudgetInputLine[];
  readonly lines: readonly BudgetLine[];
  /** The value of the line keyed `budget`. */
  readonly budget: number;
  readonly checks: readonly BudgetCheck[];
}

// Builders for plan formulas: ref("leads") reads an input or an earlier line; the others combine.
export const ref = (key: string): Formula => ({ kind: "ref", key });
export const num = (value: number): Formula => ({ kind: "number", value });
export const add = (left: Formula, right: Formula): Formula => ({ kind: "add", left, right });
export const subtract = (left: Formula, right: Formula): Formula => ({ kind: "subtract", left, right });
export const multiply = (left: Formula, right: Formula): Formula => ({ kind: "multiply", left, right });
export const divide = (left: Formula, right: Formula): Formula => ({ kind: "divide", left, right });
export const max = (...args: Formula[]): Formula => ({ kind: "max", args });

/**
 * Value of a formula.
 *
 * @param formula the expression.
 * @param values numbers by key (inputs and lines computed so far).
 * @returns the value.
 * @throws EngineError INVALID_INPUT when a key has no value, a division is by 0, or the result is
 *   not finite; the message starts with `evaluateFormula` (callers validate inputs first, so this
 *   means a plan was built wrongly).
 */
export function evaluateFormula(formula: Formula, values: Readonly<Record<string, number>>): number {
  let result: number;
  switch (formula.kind) {
    case "ref": {
      const value = values[formula.key];
      if (value === undefined) throw new EngineError("INVALID_INPUT", `evaluateFormula: "${formula.key}" has no value`);
      result = value;
      break;
    }
    case "number":
      result = formula.value;
      break;
    case "add":
      result = evaluateFormula(formula.left, values) + evaluateFormula(formula.right, values);
      break;
    case "subtract":
      result = evaluateFormula(formula.left, values) - evaluateFormula(formula.right, values);
      break;
    case "multiply":
      result = evaluateFormula(formula.left, values) * evaluateFormula(formula.right, values);
      break;
    case "divide": {
      const denominator = evaluateFormula(formula.right, values);
      if (denominator === 0) {
        throw new EngineError("INVALID_INPUT", `evaluateFormula: division by 0 in ${formulaText(formula)}`);
      }
      result = evaluateFormula(formula.left, values) / denominator;
      break;
    }
    case "max":
      result = Math.max(...formula.args.map((arg) => evaluateFormula(arg, values)));
      break;
  }
  if (!Number.isFinite(result)) throw new EngineError("INVALID_INPUT", `evaluateFormula: ${formulaText(formula)} is not finite`);
  return result;
}

/** Keys used by a formula, in order of first use, without repeats. */
export function formulaReferences(formula: Formula): string[] {
  const keys: string[] = [];
  const visit = (f: Formula): void => {
    if (f.kind === "ref") {
      if (!keys.includes(f.key)) keys.push(f.key);
    } else if (f.kind === "max") f.args.forEach(visit);
    else if (f.kind !== "number") {
      visit(f.left);
      visit(f.right);
    }
  };
  visit(formula);
  return keys;
}

const PRECEDENCE = { add: 1, subtract: 1, multiply: 2, divide: 2 } as const;

interface Notation {
  readonly max: string;
  readonly separator: string;
  readonly symbols: Readonly<Record<"add" | "subtract" | "multiply" | "divide", string>>;
}

const PLAIN: Notation = { max: "max", separator: ", ", symbols: { add: " + ", subtract: " − ", multiply: " × ", divide: " / " } };
const EXCEL: Notation = { max: "MAX", separator: ",", symbols: { add: "+", subtract: "-", multiply: "*", divide: "/" } };

function render(formula: Formula, name: (key: string) => string, notation: Notation): string {
  switch (formula.kind) {
    case "ref":
      return name(formula.key);
    case "number":
      return String(formula.value);
    case "max":
      return `${notation.max}(${formula.args.map((arg) => render(arg, name, notation)).join(notation.separator)})`;
    default: {
      const own = PRECEDENCE[formula.kind];
      const side = (child: Formula, right: boolean): string => {
        const text = render(child, name, notation);
        if (child.kind === "ref" || child.kind === "number" || child.kind === "max") return text;
        const inner = PRECEDENCE[child.kind];
        // a − (b − c) and a / (b × c) need their brackets; a + (b + c) and a × (b × c) do not.
        const needs = inner < own || (right && inner === own && (formula.kind === "subtract" || formula.kind === "divide"));
        return needs ? `(${text})` : text;
      };
      return `${side(formula.left, false)}${notation.symbols[formula.kind]}${side(formula.right, true)}`;
    }
  }
}

/** The formula as plain text over keys, e.g. `revenue_gap / first_period_revenue_per_new_customer`. */
export function formulaText(formula: Formula): string {
  return render(formula, (key) => key, PLAIN);
}

/**
 * The formula as an Excel formula, given where each key lives.
 *
 * @param formula the expression.
 * @param cellOf the cell address (or defined name) holding a key's value, e.g. `B5`.
 * @returns the formula text starting with `=`, e.g. `=MAX(0,B2-B7)/B6`.
 */
export function formulaToExcel(formula: Formula, cellOf: (key: string) => string): string {
  return `=${render(formula, cellOf, EXCEL)}`;
}

/**
 * Builds a plan's lines by evaluating each formula over the inputs and the lines before it.
 *
 * @param inputs the plan's inputs.
 * @param specs the lines in order, each with key, label, unit and formula.
 * @returns the lines with their values and references.
 * @throws EngineError INVALID_INPUT from {@link evaluateFormula}, or when a formula refers to a
 *   key that is neither an input nor an earlier line.
 */
export function computeLines(
  inputs: readonly BudgetInputLine[],
  specs: readonly { key: string; label: string; unit: BudgetValueUnit; formula: Formula }[],
): BudgetLine[] {
  const values: Record<string, number> = {};
  for (const input of inputs) values[input.key] = input.value;
  return specs.map((spec) => {
    const value = evaluateFormula(spec.formula, values);
    values[spec.key] = value;
    return { ...spec, value, references: formulaReferences(spec.formula) };
  });
}
