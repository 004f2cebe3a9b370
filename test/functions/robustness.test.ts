// Every custom function, called as Excel could call it with junk in any argument, either returns a
// rectangular 2-D array of plain cells (no NaN, no ±Infinity, no undefined) or throws the Excel error
// CustomFunctions.Error — never a bare exception (which Excel shows as a bare #VALUE! with no reason).
// Starting from each catalogue example (valid input), one argument at a time is replaced by junk.
import { describe, expect, it } from "vitest";
import { FUNCTION_CATALOGUE } from "../../src/catalogue/functions";
import { installCustomFunctionsStub, StubCustomFunctionsError } from "../support/customFunctions";
import { loadCustomFunctions, parseFormula } from "../support/functionRegistry";

installCustomFunctionsStub();
const FUNCTIONS = await loadCustomFunctions();

const JUNK: readonly [string, unknown][] = [
  ["omitted (null)", null],
  ["an empty range", []],
  ["a range with an empty row", [[]]],
  ["a blank cell", [[null]]],
  ["an empty string", [[""]]],
  ["text", [["abc"]]],
  ["NaN", [[Number.NaN]]],
  ["Infinity", [[Number.POSITIVE_INFINITY]]],
  ["a negative number", [[-1]]],
  ["zero", [[0]]],
  ["a huge number", [[1e308]]],
  ["TRUE", [[true]]],
  ["an error data type", [[{ type: "Error", basicValue: "#N/A", errorType: "NotAvailable" }]]],
  ["a ragged range", [[1], [2, 3]]],
  ["a bare scalar", 5],
  ["a 2×2 block of text", [["a", "b"], ["c", "d"]]],
];

function expectExcelShaped(outcome: () => unknown): void {
  let result: unknown;
  try {
    result = outcome();
  } catch (error) {
    expect(error, `threw ${String(error)}`).toBeInstanceOf(StubCustomFunctionsError);
    expect((error as StubCustomFunctionsError).message.length).toBeGreaterThan(0);
    return;
  }
  expect(Array.isArray(result)).toBe(true);
  const rows = result as unknown[][];
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(Array.isArray(row)).toBe(true);
    expect(row.length).toBe(rows[0].length);
    for (const cell of row) {
      if (cell instanceof StubCustomFunctionsError) continue;
      expect(["string", "number", "boolean"]).toContain(typeof cell);
      if (typeof cell === "number") expect(Number.isFinite(cell), `cell ${cell}`).toBe(true);
    }
  }
}

describe("every function answers junk with a result or an Excel error, never a crash or NaN", () => {
  for (const entry of FUNCTION_CATALOGUE) {
    const parsed = parseFormula(entry.example)!;
    const fn = FUNCTIONS.get(entry.name)!;
    const arity = fn.length;
    it(`${entry.name}: each of its ${arity} arguments replaced by ${JUNK.length} kinds of junk`, () => {
      for (let position = 0; position < arity; position++) {
        for (const [, junk] of JUNK) {
          const args: unknown[] = Array.from({ length: arity }, (_, i) => parsed.args[i] ?? null);
          args[position] = junk;
          expectExcelShaped(() => fn(...args));
        }
      }
    });
  }
});
