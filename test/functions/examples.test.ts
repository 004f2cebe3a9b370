// The numbers users read in the README and the task pane are computed, not typed: every literal
// IMC.* example in README.md's tables and every catalogue example is evaluated through the real
// function module and compared with the result printed next to it (numbers to the 2 decimals
// shown, text exactly, errors by code and message start). Functions are found from their
// `@customfunction` JSDoc, so a new function needs no change here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FUNCTION_CATALOGUE } from "../../src/catalogue/functions";
import { excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";
import { loadCustomFunctions, parseFormula, type CustomFunction } from "../support/functionRegistry";

installCustomFunctionsStub();
const FUNCTIONS = await loadCustomFunctions();

function functionFor(name: string): CustomFunction {
  const fn = FUNCTIONS.get(name);
  expect(fn, `no @customfunction declares ${name}`).toBeDefined();
  return fn!;
}

/** Top-left cell of a result (a 1×1 or spilled 2-D array). */
function topLeft(result: unknown): unknown {
  return Array.isArray(result) && Array.isArray(result[0]) ? result[0][0] : result;
}

/** Compares a displayed result (`266.67`, `Champions`, `12.5%`) with a computed cell. */
function expectShown(value: unknown, shown: string): void {
  const numeric = /^-?[\d.]+(?:e-?\d+)?/.exec(shown);
  if (typeof value === "number" && numeric) expect(value.toFixed(2)).toBe(numeric[0]);
  else expect(String(value)).toBe(shown.replace(/^`|`$/g, ""));
}

describe("README.md examples", () => {
  const readme = readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");
  const rows = [...readme.matchAll(/^\| `(=IMC\.[^`]+)` \| ([^|]+) \|$/gm)].map((m) => ({ formula: m[1], shown: m[2].trim() }));
  const literal = rows.filter((row) => parseFormula(row.formula) !== null);

  it("documents every function of the catalogue under its own heading", () => {
    const headings = [...readme.matchAll(/^#{3,5} (.+)$/gm)].map((m) => m[1]).join("\n");
    const missing = FUNCTION_CATALOGUE.filter((entry) => !headings.includes(`\`${entry.name}(`));
    expect(missing.map((entry) => entry.name)).toEqual([]);
  });

  it("has literal examples to check", () => {
    expect(literal.length).toBeGreaterThanOrEqual(4);
  });

  for (const { formula, shown } of literal) {
    it(`${formula} → ${shown}`, async () => {
      const { name, args } = parseFormula(formula)!;
      const fn = functionFor(name);
      if (shown.startsWith("`#")) {
        const error = excelErrorOf(() => fn(...args));
        const [, code, message] = /^`(#[A-Z/!?0]+)` "(.+?)(?:…|\.\.\.)?"$/.exec(shown) ?? [];
        expect(error.code).toBe(code);
        expect(error.message.startsWith(message.replace(/[ ;]*$/, ""))).toBe(true);
      } else {
        expectShown(topLeft(await fn(...args)), shown);
      }
    });
  }
});

describe("catalogue examples (shown in the task pane and the help page)", () => {
  for (const entry of FUNCTION_CATALOGUE) {
    it(`${entry.example} → ${entry.exampleResult}`, async () => {
      const parsed = parseFormula(entry.example);
      expect(parsed, "catalogue examples must be literal formulas").not.toBeNull();
      expect(parsed!.name).toBe(entry.name);
      expectShown(topLeft(await functionFor(entry.name)(...parsed!.args)), entry.exampleResult);
    });
  }
});
