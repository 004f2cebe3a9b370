// The numbers users read in the README and the task pane are computed, not typed: every literal
// IMC.* example in README.md's tables and every catalogue example is evaluated through the real
// function module and compared with the result printed next to it (to the 2 decimals shown).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FUNCTION_CATALOGUE } from "../../src/catalogue/functions";
import { clv } from "../../src/functions/clv";
import { excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";

installCustomFunctionsStub();

const FUNCTIONS: Record<string, (...args: any[]) => unknown[][]> = { "IMC.CLV": clv };

/** Parses `=IMC.CLV(100, 0.8, 0.1, , TRUE)` into the name and Excel-style arguments ([[v]] or null). */
function parseFormula(formula: string): { name: string; args: (unknown[][] | null)[] } | null {
  const match = /^=([A-Z.]+)\((.*)\)$/.exec(formula.trim());
  if (!match) return null;
  const args: (unknown[][] | null)[] = [];
  for (const raw of match[2].split(",").map((part) => part.trim())) {
    if (raw === "") args.push(null);
    else if (/^(TRUE|FALSE)$/i.test(raw)) args.push([[raw.toUpperCase() === "TRUE"]]);
    else if (/^-?\d+(\.\d+)?$/.test(raw)) args.push([[Number(raw)]]);
    else return null; // a range reference: not evaluable here
  }
  return { name: match[1], args };
}

describe("README.md examples", () => {
  const readme = readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");
  const rows = [...readme.matchAll(/^\| `(=IMC\.[^`]+)` \| ([^|]+) \|$/gm)].map((m) => ({ formula: m[1], shown: m[2].trim() }));
  const literal = rows.filter((row) => parseFormula(row.formula) !== null);

  it("has literal examples to check", () => {
    expect(literal.length).toBeGreaterThanOrEqual(4);
  });

  for (const { formula, shown } of literal) {
    it(`${formula} → ${shown}`, () => {
      const { name, args } = parseFormula(formula)!;
      const fn = FUNCTIONS[name];
      expect(fn, `no test binding for ${name}`).toBeDefined();
      if (shown.startsWith("`#")) {
        const error = excelErrorOf(() => fn(...args));
        const [, code, message] = /^`(#[A-Z/!?0]+)` "(.+?)(?:…|\.\.\.)?"$/.exec(shown) ?? [];
        expect(error.code).toBe(code);
        expect(error.message.startsWith(message.replace(/[ ;]*$/, ""))).toBe(true);
      } else {
        const value = fn(...args)[0][0] as number;
        expect(value.toFixed(2)).toBe(/^-?[\d.]+/.exec(shown)![0]);
      }
    });
  }
});

describe("catalogue examples (shown in the task pane and the help page)", () => {
  for (const entry of FUNCTION_CATALOGUE) {
    it(`${entry.example} → ${entry.exampleResult}`, () => {
      const parsed = parseFormula(entry.example);
      expect(parsed, "catalogue examples must be literal formulas").not.toBeNull();
      expect(parsed!.name).toBe(entry.name);
      const value = FUNCTIONS[entry.name](...parsed!.args)[0][0] as number;
      expect(value.toFixed(2)).toBe(entry.exampleResult);
    });
  }
});
