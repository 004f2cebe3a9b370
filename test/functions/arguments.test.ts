import { describe, expect, it } from "vitest";
import { optionBoolean, optionCell, optionChoice, optionDate, optionNumber, optionText } from "../../src/functions/arguments";
import { spill } from "../../src/functions/table";
import { excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";
import { engineErrorOf } from "../support/engine";

installCustomFunctionsStub();

describe("optional single-cell arguments", () => {
  it("omitted or blank is null", () => {
    for (const omitted of [null, undefined, [[null]], [[""]], [["  "]]]) expect(optionCell(omitted, "model")).toBeNull();
  });

  it("reads numbers, text, dates and booleans", () => {
    expect(optionNumber([[52]], "horizon")).toBe(52);
    expect(optionNumber([["10%"]], "rate")).toBe(0.1);
    expect(optionText([[" week "]], "period")).toBe("week");
    expect(optionDate([["1997-09-30"]], "as_of")).toBe(35703);
    expect(optionBoolean([[true]], "flag")).toBe(true);
  });

  it("a range of several cells is an error naming the argument", () => {
    expect(engineErrorOf(() => optionNumber([[1], [2]], "horizon")).message).toBe("horizon: expected a single cell");
  });

  it("choices match case- and space-insensitively and list the options when wrong", () => {
    expect(optionChoice([["BGNBD"]], "model", ["bgnbd", "pareto"] as const)).toBe("bgnbd");
    expect(optionChoice([["time decay"]], "model", ["time_decay", "timedecay"] as const)).toBe("timedecay");
    expect(engineErrorOf(() => optionChoice([["x"]], "model", ["bgnbd", "pareto"])).message).toBe(
      'model: "x" is not one of "bgnbd", "pareto"',
    );
  });
});

describe("spill", () => {
  it("returns the rows with null as a blank", () => {
    expect(spill("IMC.T", () => [["a", "b"], [1, null]])).toEqual([["a", "b"], [1, ""]]);
  });

  it("never lets NaN or Infinity reach a cell, and maps engine errors by code", () => {
    expect(excelErrorOf(() => spill("IMC.T", () => [["a"], [Number.NaN]])).message).toBe("IMC.T failed unexpectedly: result row 2, column 1 is NaN");
    expect(excelErrorOf(() => spill("IMC.T", () => [["a", "b"], [1]])).code).toBe("#VALUE!");
    const error = excelErrorOf(() =>
      spill("IMC.T", () => {
        optionNumber([["x"]], "horizon");
        return [];
      }),
    );
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/^horizon row 1: "x" is not a number/);
  });
});
