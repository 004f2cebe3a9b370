// IMC.CLV called exactly as Excel calls it: every argument a 2-D array (a single cell is [[v]]),
// omitted optional arguments as null, blanks as "" / null (web) or 0 (desktop).
import { beforeAll, describe, expect, it } from "vitest";
import { asExcelError, excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";

installCustomFunctionsStub();
let clv: typeof import("../../src/functions/clv").clv;
beforeAll(async () => {
  ({ clv } = await import("../../src/functions/clv"));
});

const col = (...values: unknown[]) => values.map((v) => [v]);

describe("IMC.CLV as Excel calls it", () => {
  it("=IMC.CLV(100, 0.8, 0.1) → 266.666…", () => {
    const result = clv([[100]], [[0.8]], [[0.1]], null as any, null as any);
    expect(result).toHaveLength(1);
    expect(result[0][0]).toBeCloseTo(266.6666666666667, 10);
  });

  it("=IMC.CLV(100, 0.8, 0.1, , TRUE) → 366.666…", () => {
    expect(clv([[100]], [[0.8]], [[0.1]], null as any, [[true]])[0][0]).toBeCloseTo(366.6666666666667, 10);
  });

  it("omitted optional arguments may also arrive as undefined", () => {
    expect(clv([[100]], [[0.8]], [[0.1]])[0][0]).toBeCloseTo(266.6666666666667, 10);
  });

  it("a 3×1 range of margins spills 3 results", () => {
    const result = clv(col(100, 200, 50), [[0.8]], [[0.1]], null as any, null as any);
    expect(result.map((row) => row.length)).toEqual([1, 1, 1]);
    expect(result[0][0]).toBeCloseTo(800 / 3, 10);
    expect(result[1][0]).toBeCloseTo(1600 / 3, 10);
    expect(result[2][0]).toBeCloseTo(400 / 3, 10);
  });

  it("ranges of the same size pair up row by row", () => {
    const result = clv(col(100, 100), col(0.8, 0.5), col(0.1, 0.2), col(null, 3), col(false, true));
    expect(result[0][0]).toBeCloseTo(800 / 3, 10);
    const q = 0.5 / 1.2;
    expect(result[1][0]).toBeCloseTo(100 + 100 * (q + q ** 2 + q ** 3), 10);
  });

  it("a row of margins against a column of retention rates gives a grid (Excel broadcasting)", () => {
    const result = clv([[100, 200, 300]], col(0.5, 0.8), [[0.1]]);
    expect(result).toHaveLength(2);
    expect(result[0]).toHaveLength(3);
    expect(result[1][2]).toBeCloseTo((300 * 0.8) / 0.3, 10);
    expect(result[0][1]).toBeCloseTo((200 * 0.5) / 0.6, 10);
  });

  it("accepts numbers typed as text, percentages and TRUE/FALSE as text", () => {
    expect(clv([["100"]], [["80%"]], [["10%"]], null as any, [["TRUE"]])[0][0]).toBeCloseTo(1100 / 3, 10);
  });

  it("formatted-number data types (currency, percent) count as their numbers", () => {
    const money = { type: "Double", basicType: "Double", basicValue: 100, numberFormat: "$#,##0.00" };
    const percent = { type: "Double", basicType: "Double", basicValue: 0.8, numberFormat: "0%" };
    expect(clv([[money]], [[percent]], [[0.1]])[0][0]).toBeCloseTo(800 / 3, 10);
  });

  it("blank periods means an unlimited horizon; a whole number limits it", () => {
    expect(clv([[100]], [[0.8]], [[0.1]], [[""]], null as any)[0][0]).toBeCloseTo(800 / 3, 10);
    expect(clv([[100]], [[0.8]], [[0.1]], [[1]], null as any)[0][0]).toBeCloseTo(80 / 1.1, 10);
  });

  it("trailing blank rows (a whole-column reference) are dropped; a blank row inside stays blank", () => {
    const result = clv(col(100, "", 200, "", null, ""), [[0.8]], [[0.1]]);
    expect(result).toHaveLength(3);
    expect(result[1][0]).toBe("");
    expect(result[2][0]).toBeCloseTo(1600 / 3, 10);
  });
});

describe("IMC.CLV bad input → #VALUE! with a message naming the argument and row", () => {
  it("=IMC.CLV(100, 1.2, 0.1) → #VALUE! saying why", () => {
    const error = excelErrorOf(() => clv([[100]], [[1.2]], [[0.1]], null as any, null as any));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/^retention_rate row 1: retention rate 1\.2 must be below 1 \+ discount rate \(1\.1\)/);
  });

  it("text that is not a number names the argument and its row, and the other cells still compute", () => {
    const result = clv(col(100, "abc", 300), [[0.8]], [[0.1]]);
    expect(result[0][0]).toBeCloseTo(800 / 3, 10);
    const error = asExcelError(result[1][0]);
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe('margin row 2: "abc" is not a number');
    expect(result[2][0]).toBeCloseTo(800, 10);
  });

  it("a bad rate inside a range is reported at its own row", () => {
    const result = clv([[100]], col(0.8, 0.9, 1.5), [[0.1]]);
    expect(typeof result[0][0]).toBe("number");
    expect(typeof result[1][0]).toBe("number");
    expect(asExcelError(result[2][0]).message).toMatch(/^retention_rate row 3: /);
  });

  it("a bad cell in a 2-D range is named by row and column", () => {
    const result = clv([[100, 200], [300, "x"]], [[0.8]], [[0.1]]);
    expect(result[1][0]).toBeCloseTo(800, 10);
    expect(asExcelError(result[1][1]).message).toBe('margin row 2, column 2: "x" is not a number');
    const rates = clv([[100]], [[0.8, 1.3]], [[0.1]]);
    expect(asExcelError(rates[0][1]).message).toMatch(/^retention_rate row 1, column 2: retention rate 1\.3 must be below/);
  });

  it("periods that are not whole numbers are refused", () => {
    const error = excelErrorOf(() => clv([[100]], [[0.8]], [[0.1]], [[2.5]], null as any));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/^periods row 1: number of periods must be a whole number/);
  });

  it("a finite horizon refuses a retention rate typed as a percentage number", () => {
    const error = excelErrorOf(() => clv([[100]], [[80]], [[0.1]], [[5]], null as any));
    expect(error.message).toMatch(/^retention_rate row 1: retention rate must be between 0 and 1/);
  });

  it("a missing required argument is named", () => {
    const error = excelErrorOf(() => clv([[100]], null as any, [[0.1]]));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/^retention_rate row 1: /);
  });

  it("a margin_now that is not TRUE/FALSE is named", () => {
    const error = excelErrorOf(() => clv([[100]], [[0.8]], [[0.1]], null as any, [["maybe"]]));
    expect(error.message).toMatch(/^margin_now row 1: "maybe" is not TRUE or FALSE/);
  });

  it("ranges of different lengths are refused as a whole, naming both", () => {
    const error = excelErrorOf(() => clv(col(100, 200, 300), col(0.8, 0.7), [[0.1]]));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/retention_rate has 2 rows but margin has 3/);
  });

  it("a cell holding an error value is named, and the rest still compute", () => {
    const result = clv(col(100, { type: "Error", basicType: "Error", errorType: "NotAvailable", basicValue: "#N/A" }), [[0.8]], [[0.1]]);
    expect(result[0][0]).toBeCloseTo(800 / 3, 10);
    expect(asExcelError(result[1][0]).message).toBe("margin row 2: is an error value (#N/A); fix the cell or leave the row out");
  });

  it("booleans are not margins", () => {
    const error = excelErrorOf(() => clv([[true]], [[0.8]], [[0.1]]));
    expect(error.message).toBe("margin row 1: TRUE is not a number");
  });

  it("all-blank input is #N/A (no result), not a number", () => {
    const error = excelErrorOf(() => clv(col("", null), [[0.8]], [[0.1]]));
    expect(error.code).toBe("#N/A");
    expect(error.message).toMatch(/blank/);
  });
});

describe("IMC.CLV's column fast path gives exactly the per-cell path's result", () => {
  /** IMC.CLV through the per-cell path only (elementwise without the fast path), as before it existed. */
  async function perCell(...args: unknown[]): Promise<unknown[][]> {
    const { elementwise } = await import("../../src/functions/elementwise");
    const { retentionClv } = await import("../../src/engine/clv/retentionClv");
    const names = ["margin", "retention_rate", "discount_rate", "periods", "margin_now"];
    return elementwise(
      "IMC.CLV",
      names.map((argument, i) => ({ argument, range: args[i] ?? null })),
      (cell) =>
        retentionClv({
          margin: cell.number("margin"),
          retentionRate: cell.number("retention_rate"),
          discountRate: cell.number("discount_rate"),
          horizonPeriods: cell.optionalNumber("periods"),
          marginNow: cell.optionalBoolean("margin_now") ?? false,
        }),
      { margin: "margin", retentionRate: "retention_rate", discountRate: "discount_rate", horizonPeriods: "periods" },
    );
  }
  /** A comparable form of a result: numbers exact, errors as code + message. */
  const shown = (rows: unknown[][]) =>
    rows.map((row) => row.map((cell) => (typeof cell === "object" && cell !== null ? `${asExcelError(cell).code} ${asExcelError(cell).message}` : cell)));

  // Seeded mixed cells: plain numbers, numeric text, percent text, blanks ("" / null / spaces), text,
  // booleans, NaN/Infinity, out-of-range values (errors), Excel's "Empty" objects.
  function mixedRange(seed: number, rows: number, columns: number, kind: "margin" | "rate" | "periods" | "flag"): unknown[][] {
    let state = seed;
    const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const plain = () => (kind === "margin" ? Math.round(next() * 20000 - 2000) / 100 : kind === "rate" ? Math.round(next() * 130) / 100 : kind === "periods" ? Math.floor(next() * 7) : next() < 0.5 ? 0 : 1);
    const odd = [() => "", () => null, () => "  ", () => `${plain()}`, () => "80%", () => "abc", () => true, () => false, () => NaN, () => Infinity, () => -5, () => 2.5, () => ({ type: "Empty" }), () => "1,5"];
    return Array.from({ length: rows }, () => Array.from({ length: columns }, () => (next() < 0.8 ? plain() : odd[Math.floor(next() * odd.length)]())));
  }

  it("random mixed columns, rows, grids and scalars: same numbers, same blanks, same error cells and messages", async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rows = 1 + (seed % 7) * 9;
      const columns = seed % 5 === 0 ? 3 : 1;
      const shape = (s: number, kind: "margin" | "rate" | "periods" | "flag") => {
        const pick = (seed * 31 + s) % 4;
        return pick === 0 ? mixedRange(seed * 97 + s, 1, 1, kind) : pick === 1 && columns > 1 ? mixedRange(seed * 97 + s, 1, columns, kind) : mixedRange(seed * 97 + s, rows, columns, kind);
      };
      const args = [shape(1, "margin"), shape(2, "rate"), mixedRange(seed, 1, 1, "rate"), seed % 3 === 0 ? null : shape(4, "periods"), seed % 4 === 0 ? null : shape(5, "flag")];
      let fast: unknown;
      let slow: unknown;
      try {
        fast = shown(clv(...(args as [any[][], any[][], any[][], any[][], any[][]])));
      } catch (error) {
        fast = `throws ${asExcelError(error).code} ${asExcelError(error).message}`;
      }
      try {
        slow = shown(await perCell(...args));
      } catch (error) {
        slow = `throws ${asExcelError(error).code} ${asExcelError(error).message}`;
      }
      expect(fast, `seed ${seed}`).toEqual(slow);
    }
  });

  it("a whole column of plain numbers with a few bad cells: the bad cells get their own errors, the rest are numbers", async () => {
    const margins: unknown[][] = Array.from({ length: 2000 }, (_, i) => [50 + (i % 100)]);
    margins[17] = ["abc"];
    margins[1500] = [""];
    const rates: unknown[][] = Array.from({ length: 2000 }, (_, i) => [0.5 + (i % 40) / 100]);
    rates[1500] = [null];
    rates[99] = [1.2];
    const fast = clv(margins, rates, [[0.1]]);
    expect(shown(fast)).toEqual(shown(await perCell(margins, rates, [[0.1]])));
    expect(asExcelError(fast[17][0]).message).toMatch(/^margin row 18: "abc" is not a number/);
    expect(fast[1500][0]).toBe("");
    expect(asExcelError(fast[99][0]).message).toMatch(/^retention_rate row 100: /);
    expect(typeof fast[0][0]).toBe("number");
  });
});
