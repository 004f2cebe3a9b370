import { describe, expect, it } from "vitest";
import { toDateSerial, toNumber, toText } from "../../../src/engine/data/cells";
import { alignRows, toColumn } from "../../../src/engine/data/range";
import { readTransactions } from "../../../src/engine/data/transactions";
import { EngineError } from "../../../src/engine/errors";
import { seededUniform } from "../../../src/engine/math/random";
import { engineErrorOf } from "../../support/engine";

const col = (...values: unknown[]) => values.map((v) => [v]);

describe("readTransactions", () => {
  it("numbers customers in order of first appearance; 1001 and \"1001\" are one id", () => {
    const t = readTransactions(col("b", 1001, "b", "1001", " a "), col(45000, "2023-03-01", 45001, 45002, 45003), col(10, "12.5", -3, 0, 7));
    expect(t.rowCount).toBe(5);
    expect(t.customerIds).toEqual(["b", "1001", "a"]);
    expect([...t.customerIndex]).toEqual([0, 1, 0, 1, 2]);
    expect(t.orderDates[1]).toBe(44986);
    expect([...t.orderValues!]).toEqual([10, 12.5, -3, 0, 7]);
  });

  it("accepts a row instead of a column and works without values", () => {
    const t = readTransactions([["x", "y"]], [[45000, 45001]], null);
    expect(t.customerIds).toEqual(["x", "y"]);
    expect(t.orderValues).toBeNull();
  });

  it("drops trailing blank rows (whole-column references; desktop sends 0 for empty cells)", () => {
    const t = readTransactions(col("a", "b", null, 0), col(45000, 45001, "", 0), col(1, 2, null, 0));
    expect(t.rowCount).toBe(2);
  });

  it("a blank inside the data is an error naming the argument and row", () => {
    const error = engineErrorOf(() => readTransactions(col("a", "", "c"), col(45000, 45001, 45002), col(1, 2, 3)));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toBe("customer_ids row 2: is blank; a value is required");
  });

  it("text that is not a date, and a non-numeric value, name their rows", () => {
    expect(engineErrorOf(() => readTransactions(col("a", "b"), col(45000, "soon"), col(1, 2))).message).toMatch(/^order_dates row 2: "soon" is not a date/);
    expect(engineErrorOf(() => readTransactions(col("a", "b"), col(45000, 45001), col(1, "abc"))).message).toMatch(/^order_values row 2: "abc" is not a number/);
  });

  it("mismatched lengths and all-blank ranges", () => {
    expect(engineErrorOf(() => readTransactions(col("a", "b"), col(45000), col(1, 2))).message).toMatch(/order_dates has 1 row but customer_ids has 2|customer_ids has 2 rows but order_dates has 1/);
    const empty = engineErrorOf(() => readTransactions(col(null, null), col(null, null), col(null, null)));
    expect(empty.code).toBe("INSUFFICIENT_DATA");
  });

  it("uses the caller's argument names", () => {
    const error = engineErrorOf(() =>
      readTransactions(col("a"), col("x"), null, { customerIds: "ids", orderDates: "dates", orderValues: "values" }),
    );
    expect(error.message).toMatch(/^dates row 1:/);
  });
});

/**
 * The cell-by-cell reading readTransactions is defined by (toText, toDateSerial, toNumber on every
 * cell, ids matched by their text), written apart from its fast paths for plain numbers and strings.
 */
function readCellByCell(ids: unknown[][], dates: unknown[][], values: unknown[][]) {
  const columns = [
    { argument: "customer_ids", values: toColumn(ids, "customer_ids") },
    { argument: "order_dates", values: toColumn(dates, "order_dates") },
    { argument: "order_values", values: toColumn(values, "order_values") },
  ];
  const rowCount = alignRows(columns, { zeroIsBlank: true });
  if (rowCount === 0) throw new EngineError("INSUFFICIENT_DATA", "customer_ids: no orders; the ranges are blank");
  const texts = columns[0].values.slice(0, rowCount).map((cell, i) => toText(cell, "customer_ids", i + 1));
  const customerIds = [...new Set(texts)];
  return {
    rowCount,
    customerIds,
    customerIndex: texts.map((text) => customerIds.indexOf(text)),
    orderDates: columns[1].values.slice(0, rowCount).map((cell, i) => toDateSerial(cell, "order_dates", i + 1)),
    orderValues: columns[2].values.slice(0, rowCount).map((cell, i) => toNumber(cell, "order_values", i + 1)),
  };
}

function outcome(read: () => { rowCount: number; customerIds: readonly string[]; customerIndex: ArrayLike<number>; orderDates: ArrayLike<number>; orderValues: ArrayLike<number> | null }) {
  try {
    const t = read();
    return { rowCount: t.rowCount, customerIds: [...t.customerIds], customerIndex: Array.from(t.customerIndex), orderDates: Array.from(t.orderDates), orderValues: Array.from(t.orderValues!) };
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    return { code: error.code, message: error.message };
  }
}

describe("readTransactions: plain cells (fast) and other cells (converted one by one) read the same", () => {
  const pick = <T,>(random: () => number, choices: readonly T[]): T => choices[Math.floor(random() * choices.length)];
  // Ids: whole numbers (small and large), their text, decimals that show as a whole number, data types, spaces.
  const ID_CELLS = [7, 7, 12, 12, 1001, "1001", " 1001 ", 1001.0000000000001, 12.5, "12.5", -3, 0, 3e9, "3000000000", 2 ** 40, "b", " b", "b ", true, "TRUE", { type: "Double", basicValue: 12 }, { type: "String", basicValue: "b" }];
  const BAD_IDS = [null, "", "   ", Number.NaN, Number.POSITIVE_INFINITY, { type: "Error", errorType: "NotAvailable" }, { type: "Empty" }, {}];
  const DATE_CELLS = [45000, 45001.5, 1, 2958465.9, "2024-01-31", " 2024/02/29 ", "2024-01-31 13:45", { type: "Double", basicValue: 45100 }];
  const BAD_DATES = [0, 0.5, -1, 2958466, Number.NaN, Number.POSITIVE_INFINITY, "", null, "soon", "31/01/2024", "2023-02-29", false, { type: "Error", errorType: "Div0" }, {}];
  const VALUE_CELLS = [10, 0, -3, 12.5, 1e300, "12.5", " -3 ", "80%", ".5", "1e3", { type: "Double", basicValue: 9 }];
  const BAD_VALUES = [Number.NaN, Number.NEGATIVE_INFINITY, "", null, "abc", "1,234", "1,5", "1e999", true, { type: "Error", errorType: "Value", basicValue: "#VALUE!" }, {}];

  it("gives the same result, or the same error (argument and row), on 600 mixed columns", () => {
    const random = seededUniform(20261206);
    let clean = 0;
    for (let trial = 0; trial < 600; trial++) {
      const rows = 1 + Math.floor(random() * 25);
      const ids: unknown[][] = [];
      const dates: unknown[][] = [];
      const values: unknown[][] = [];
      // A third of the trials have no bad cell; the others about one bad cell per column.
      const bad = trial % 3 === 0 ? 0 : 1 / rows;
      for (let r = 0; r < rows; r++) {
        // Runs of the same id, as in exports grouped by customer.
        ids.push([r > 0 && random() < 0.3 ? ids[r - 1][0] : random() < bad ? pick(random, BAD_IDS) : pick(random, ID_CELLS)]);
        dates.push([random() < bad ? pick(random, BAD_DATES) : pick(random, DATE_CELLS)]);
        values.push([random() < bad ? pick(random, BAD_VALUES) : pick(random, VALUE_CELLS)]);
      }
      // Trailing blank rows (web: null or ""; desktop: 0) in some trials.
      if (random() < 0.3) for (let k = 0; k < 3; k++) [ids, dates, values].forEach((column) => column.push([pick(random, [null, "", 0])]));
      const expected = outcome(() => readCellByCell(ids, dates, values));
      if (!("code" in expected)) clean++;
      expect(outcome(() => readTransactions(ids, dates, values)), `trial ${trial}`).toEqual(expected);
    }
    // Both kinds of outcome are exercised.
    expect(clean).toBeGreaterThan(150);
    expect(clean).toBeLessThan(550);
  });

  it("whole-number ids then the same ids as text, and ids beyond the typed-array range, are matched by their text", () => {
    const ids = col(5, 6, 5, "5", " 6", 5, 2 ** 31, String(2 ** 31), 1e15, "1000000000000000");
    const t = readTransactions(ids, col(...ids.map(() => 45000)), col(...ids.map(() => 1)));
    expect(t.customerIds).toEqual(["5", "6", "2147483648", "1000000000000000"]);
    expect([...t.customerIndex]).toEqual([0, 1, 0, 0, 1, 0, 2, 2, 3, 3]);
  });
});
