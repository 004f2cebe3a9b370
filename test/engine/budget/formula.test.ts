import { describe, expect, it } from "vitest";
import { evaluateFormula, formulaReferences, formulaText, formulaToExcel, type Formula } from "../../../src/engine/budget/formula";
import { engineErrorOf } from "../../support/engine";

const ref = (key: string): Formula => ({ kind: "ref", key });
const op = (kind: "add" | "subtract" | "multiply" | "divide", left: Formula, right: Formula): Formula => ({ kind, left, right });

describe("formula structure", () => {
  it("brackets only where precedence needs them", () => {
    expect(formulaText(op("subtract", ref("a"), op("subtract", ref("b"), ref("c"))))).toBe("a − (b − c)");
    expect(formulaText(op("subtract", op("subtract", ref("a"), ref("b")), ref("c")))).toBe("a − b − c");
    expect(formulaText(op("divide", ref("a"), op("multiply", ref("b"), ref("c"))))).toBe("a / (b × c)");
    expect(formulaText(op("multiply", op("add", ref("a"), ref("b")), ref("c")))).toBe("(a + b) × c");
    expect(formulaToExcel(op("divide", ref("a"), op("multiply", ref("b"), ref("c"))), (k) => k.toUpperCase() + "1")).toBe("=A1/(B1*C1)");
  });

  it("evaluates with the same precedence it prints", () => {
    const f = op("subtract", ref("a"), op("divide", ref("b"), op("add", ref("c"), { kind: "number", value: 1 })));
    expect(evaluateFormula(f, { a: 10, b: 6, c: 2 })).toBe(8);
    expect(formulaReferences(f)).toEqual(["a", "b", "c"]);
  });

  it("a missing key or a division by zero is an error, never NaN", () => {
    expect(engineErrorOf(() => evaluateFormula(ref("x"), {})).message).toBe('evaluateFormula: "x" has no value');
    expect(engineErrorOf(() => evaluateFormula(op("divide", ref("a"), ref("b")), { a: 1, b: 0 })).code).toBe("INVALID_INPUT");
  });
});
