// IMC.ATTRIBUTE and IMC.ATTRIBUTE.EVENTS called exactly as Excel calls them: every argument a 2-D
// array (a single cell is [[v]]), omitted optional arguments as null, blanks as "" / null (web) or
// 0 (desktop). Errors are checked by Excel code and message.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";
import { sharedDir, sharedSkipMessage } from "../support/shared";

installCustomFunctionsStub();
let attribute: typeof import("../../src/functions/attribution").attribute;
let attributeEvents: typeof import("../../src/functions/attribution").attributeEvents;
beforeAll(async () => {
  ({ attribute, attributeEvents } = await import("../../src/functions/attribution"));
});

const col = (...values: unknown[]) => values.map((v) => [v]);
const N = null as any;

describe("IMC.ATTRIBUTE as Excel calls it", () => {
  it('=IMC.ATTRIBUTE({"A > B";"B"}, {3;1}, "linear") → B 2.5, A 1.5 with shares', () => {
    expect(attribute(col("A > B", "B"), col(3, 1), [["linear"]], N, N, N)).toEqual([
      ["Channel", "Conversions", "Value", "Share"],
      ["B", 2.5, "", 0.625],
      ["A", 1.5, "", 0.375],
    ]);
  });

  it("the model defaults to linear; model names ignore case and spaces", () => {
    const linear = attribute(col("A > B", "B"), col(3, 1), N, N, N, N);
    expect(attribute(col("A > B", "B"), col(3, 1), [[" LINEAR "]], N, N, N)).toEqual(linear);
  });

  it("values fill the Value column; ties in conversions are ordered by name", () => {
    const result = attribute(col("Zeta > Alpha"), col(2), [["linear"]], col(50), N, N);
    expect(result).toEqual([
      ["Channel", "Conversions", "Value", "Share"],
      ["Alpha", 1, 25, 0.5],
      ["Zeta", 1, 25, 0.5],
    ]);
  });

  it("markov adds the raw removal effect; without nulls its header says so", () => {
    const noNulls = attribute(col("A > B", "B"), col(3, 1), [["markov"]], col(30, 5), N, N);
    expect(noNulls[0]).toEqual(["Channel", "Conversions", "Value", "Share", "Removal effect (no nulls)"]);
    expect(noNulls[1][0]).toBe("B");
    expect(noNulls[1][4]).toBeCloseTo(1, 14);
    expect(noNulls[2][4]).toBeCloseTo(0.75, 14);
    expect(noNulls[1][1] as number).toBeCloseTo(4 / 1.75, 12);
    const withNulls = attribute(col("A > B", "B"), col(3, 1), [["markov"]], col(30, 5), col(1, 3), N);
    expect(withNulls[0][4]).toBe("Removal effect");
  });

  it("markov2 .. markov4 choose the order of the chain", () => {
    const order2 = attribute(col("A > B > C", "B > C", "A > C"), col(1, 1, 1), [["markov2"]], N, col(2, 2, 2), N);
    expect(order2).toHaveLength(4);
    const total = order2.slice(1).reduce((sum, row) => sum + (row[1] as number), 0);
    expect(total).toBeCloseTo(3, 12);
  });

  it('model "all": one column of conversions per model, then value columns when values are given', () => {
    const result = attribute(col("A > B", "B"), col(3, 1), [["all"]], col(30, 5), col(2, 4), N);
    expect(result[0]).toEqual([
      "Channel",
      "first",
      "last",
      "linear",
      "position",
      "time_decay",
      "markov",
      "shapley",
      "first value",
      "last value",
      "linear value",
      "position value",
      "time_decay value",
      "markov value",
      "shapley value",
    ]);
    expect(result[1].slice(0, 4)).toEqual(["B", 1, 4, 2.5]);
    expect(result[2].slice(0, 4)).toEqual(["A", 3, 0, 1.5]);
    for (let c = 1; c < 15; c++) expect((result[1][c] as number) + (result[2][c] as number)).toBeCloseTo(c < 8 ? 4 : 35, 12);
    expect(attribute(col("A > B", "B"), col(3, 1), [["all"]], N, N, N)[0]).toHaveLength(8);
  });

  it("a one-character separator other than >, and trailing blank rows from a whole-column reference", () => {
    const result = attribute(col("A | B", "B", "", null, ""), col(3, 1, "", null, 0), [["first"]], N, N, [["|"]]);
    expect(result).toEqual([
      ["Channel", "Conversions", "Value", "Share"],
      ["A", 3, "", 0.75],
      ["B", 1, "", 0.25],
    ]);
  });

  it("ChannelAttribution example data through the function: exact Markov (o1_null) and linear (2.1.7) columns", (ctx) => {
    const dir = sharedDir("data", "attribution");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "attribution"));
    const rows = readFileSync(path.join(dir, "channelattribution_example_Data.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(";"));
    const result = attribute(
      rows.map((r) => [r[0]]),
      rows.map((r) => [Number(r[1])]),
      [["all"]],
      rows.map((r) => [Number(r[2])]),
      rows.map((r) => [Number(r[3])]),
      N,
    );
    const alpha = result.find((row) => row[0] === "alpha")!;
    expect(Math.abs((alpha[3] as number) / 7574.718594 - 1)).toBeLessThan(1e-9);
    expect(Math.abs((alpha[6] as number) / 5344.947682 - 1)).toBeLessThan(1e-9);
    expect(Math.abs((alpha[13] as number) / 18799.17063 - 1)).toBeLessThan(1e-9);
    expect(result).toHaveLength(13);
  });
});

describe("IMC.ATTRIBUTE bad input → #VALUE! / #N/A naming the argument and row", () => {
  const paths = col("A > B", "B");
  it("an unknown model name", () => {
    const error = excelErrorOf(() => attribute(paths, col(3, 1), [["markov9"]], N, N, N));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/^model: "markov9" is not one of "first", "last", "linear"/);
  });
  it("a separator of the wrong length", () => {
    const error = excelErrorOf(() => attribute(paths, col(3, 1), N, N, N, [[">>"]]));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe('separator: ">>" must be a single character, such as >');
  });
  it("negative conversions", () => {
    const error = excelErrorOf(() => attribute(paths, col(3, -1), N, N, N, N));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe("conversions row 2: -1 is negative; conversions must be 0 or more");
  });
  it("non-numeric values", () => {
    const error = excelErrorOf(() => attribute(paths, col(3, 1), N, col(10, "abc"), N, N));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe('values row 2: "abc" is not a number');
  });
  it("value on a row without conversions", () => {
    const error = excelErrorOf(() => attribute(paths, col(3, 0), N, col(10, 4), col(0, 2), N));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/^values row 2: a value of 4 with 0 conversions/);
  });
  it("a path of separators only", () => {
    const error = excelErrorOf(() => attribute(col("A", " > > "), col(3, 1), N, N, N, N));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe('paths row 2: " > > " has no channel name');
  });
  it("a blank path inside the data", () => {
    const error = excelErrorOf(() => attribute(col("A", "", "B"), col(3, 1, 1), N, N, N, N));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe("paths row 2: is blank; a value is required");
  });
  it("empty ranges: an empty array is #VALUE!, an all-blank range #N/A", () => {
    const empty = excelErrorOf(() => attribute([], [], N, N, N, N));
    expect(empty.code).toBe("#VALUE!");
    expect(empty.message).toBe("paths: the range is empty");
    const blank = excelErrorOf(() => attribute(col("", ""), col("", ""), N, N, N, N));
    expect(blank.code).toBe("#N/A");
    expect(blank.message).toBe("paths: the ranges are blank; no journeys to attribute");
  });
  it("mismatched lengths", () => {
    const error = excelErrorOf(() => attribute(col("A", "B", "C"), col(1, 2), N, N, N, N));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe("paths has 3 rows but conversions has 2; row-aligned ranges must be the same size");
  });
  it("no conversions at all → #N/A", () => {
    const error = excelErrorOf(() => attribute(paths, col(0, 0), N, N, col(4, 5), N));
    expect(error.code).toBe("#N/A");
    expect(error.message).toMatch(/^conversions: no conversions to attribute/);
  });
});

describe("IMC.ATTRIBUTE.EVENTS as Excel calls it", () => {
  it('=IMC.ATTRIBUTE.EVENTS({"c1";"c1";"c1"}, {45292;45293;45294}, {"Email";"Search";""}, {0;0;120}, "linear")', () => {
    expect(attributeEvents(col("c1", "c1", "c1"), col(45292, 45293, 45294), col("Email", "Search", ""), col(0, 0, 120), [["linear"]], N, N)).toEqual([
      ["Channel", "Conversions", "Value", "Share"],
      ["Email", 0.5, 60, 0.5],
      ["Search", 0.5, 60, 0.5],
    ]);
  });

  it("date text timestamps, numeric customer ids, blank conversions on touch rows, and a (no touch) row", () => {
    const result = attributeEvents(
      col(1001, 1001, "1001", 2002),
      col("2024-01-01 09:00", "2024-01-03", "2024-03-01", "2024-01-05"),
      col("Email", "", "", "Search"),
      col("", 1, 1, 0),
      [["last"]],
      N,
      N,
    );
    expect(result).toEqual([
      ["Channel", "Conversions", "Value", "Share"],
      ["Email", 1, 1, 0.5],
      ["Search", 0, 0, 0],
      ["(no touch)", 1, 1, 0.5],
    ]);
  });

  it("lookback_days and half_life_days change the journeys and the time-decay weights", () => {
    const args = [col("c", "c", "c"), col(45000, 45010, 45014), col("Email", "Search", ""), col(0, 0, 1)] as const;
    const short = attributeEvents(...args, [["first"]], [[7]], N);
    expect(short[1]).toEqual(["Search", 1, 1, 1]);
    const decay = attributeEvents(...args, [["time_decay"]], N, [[2]]);
    const email = decay.find((row) => row[0] === "Email")!;
    expect(email[1] as number).toBeCloseTo(2 ** -7 / (2 ** -7 + 2 ** -2), 12);
  });

  it('markov with model "all" keeps the (no touch) row in every column', () => {
    const result = attributeEvents(col("a", "a", "b", "b"), col(45000, 45001, 45000, 45100), col("Email", "", "Search", ""), col(0, 5, 0, 9), [["all"]], N, N);
    const last = result[result.length - 1];
    expect(last[0]).toBe("(no touch)");
    expect(last.slice(1, 8)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(last.slice(8)).toEqual([9, 9, 9, 9, 9, 9, 9]);
  });
});

describe("IMC.ATTRIBUTE.EVENTS bad input", () => {
  it("a log with no conversions → #N/A", () => {
    const error = excelErrorOf(() => attributeEvents(col("a", "a"), col(45000, 45001), col("Email", "Search"), col(0, ""), N, N, N));
    expect(error.code).toBe("#N/A");
    expect(error.message).toMatch(/^conversions: the log has no conversion row/);
  });
  it("no conversion has a touch in its window → #N/A naming lookback_days", () => {
    const error = excelErrorOf(() => attributeEvents(col("a", "a"), col(45000, 45100), col("Email", ""), col(0, 1), N, N, N));
    expect(error.code).toBe("#N/A");
    expect(error.message).toMatch(/^timestamps: none of the 1 conversions has a touch within lookback_days \(30 days\)/);
  });
  it("a touch row without a channel", () => {
    const error = excelErrorOf(() => attributeEvents(col("a", "a"), col(45000, 45001), col("", ""), col(0, 1), N, N, N));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe("channels row 1: is blank on a touch row; give the channel, or a conversion value in conversions");
  });
  it("a negative conversion, a bad timestamp, a non-numeric conversion", () => {
    expect(excelErrorOf(() => attributeEvents(col("a"), col(45000), col("E"), col(-1), N, N, N)).message).toBe(
      "conversions row 1: -1 is negative; use blank or 0 for a touch, a positive value for a conversion",
    );
    expect(excelErrorOf(() => attributeEvents(col("a", "a"), col(45000, "31/01/2024"), col("E", ""), col(0, 1), N, N, N)).message).toMatch(
      /^timestamps row 2: "31\/01\/2024" is ambiguous/,
    );
    expect(excelErrorOf(() => attributeEvents(col("a"), col(45000), col("E"), col("yes"), N, N, N)).message).toBe(
      'conversions row 1: "yes" is not a number',
    );
  });
  it("mismatched lengths, a bad look-back or half-life, an unknown model", () => {
    expect(excelErrorOf(() => attributeEvents(col("a", "b"), col(45000), col("E"), col(1), N, N, N)).message).toBe(
      "customer_ids has 2 rows but timestamps has 1; row-aligned ranges must be the same size",
    );
    expect(excelErrorOf(() => attributeEvents(col("a"), col(45000), col("E"), col(1), N, [[-5]], N)).message).toBe(
      "lookback_days: -5 must be a positive number of days",
    );
    expect(excelErrorOf(() => attributeEvents(col("a"), col(45000), col("E"), col(1), N, N, [["x"]])).message).toBe(
      'half_life_days row 1: "x" is not a number',
    );
    expect(excelErrorOf(() => attributeEvents(col("a"), col(45000), col("E"), col(1), [["best"]], N, N)).code).toBe("#VALUE!");
  });
});
