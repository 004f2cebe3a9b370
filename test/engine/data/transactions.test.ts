import { describe, expect, it } from "vitest";
import { readTransactions } from "../../../src/engine/data/transactions";
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
