import { describe, expect, it } from "vitest";
import { cellOf, planBroadcast, sourcePosition } from "../../../src/engine/data/broadcast";
import { EngineError } from "../../../src/engine/errors";

describe("planBroadcast (Excel-style element-wise shapes)", () => {
  it("single cells give a 1×1 result", () => {
    const plan = planBroadcast([{ argument: "a", range: [[1]] }, { argument: "b", range: [[2]] }]);
    expect([plan.rows, plan.columns]).toEqual([1, 1]);
  });

  it("a column and a row combine into a grid; cells line up", () => {
    const plan = planBroadcast([
      { argument: "col", range: [[1], [2], [3]] },
      { argument: "row", range: [[10, 20]] },
    ]);
    expect([plan.rows, plan.columns]).toEqual([3, 2]);
    const [col, row] = plan.grids;
    expect(cellOf(col, 2, 1)).toBe(3);
    expect(cellOf(row, 2, 1)).toBe(20);
    expect(sourcePosition(col, 2, 1)).toEqual({ row: 3 });
    expect(sourcePosition(row, 2, 1)).toEqual({ row: 1, column: 2 });
  });

  it("omitted arguments (null) are left out", () => {
    const plan = planBroadcast([{ argument: "a", range: [[1], [2]] }, { argument: "b", range: null }]);
    expect(plan.grids.map((g) => g.argument)).toEqual(["a"]);
    expect(plan.rows).toBe(2);
  });

  it("incompatible sizes are an INVALID_INPUT error naming both arguments", () => {
    try {
      planBroadcast([
        { argument: "margin", range: [[1], [2], [3]] },
        { argument: "retention_rate", range: [[1], [2]] },
      ]);
      expect.unreachable("should have thrown");
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe("INVALID_INPUT");
      expect((error as EngineError).message).toBe(
        "retention_rate has 2 rows but margin has 3; ranges must have the same number of rows, or just one to be repeated",
      );
    }
  });

  it("trailing rows blank in every row-varying argument are dropped", () => {
    const plan = planBroadcast([
      { argument: "a", range: [[1], [""], [null], [" "]] },
      { argument: "b", range: [[5], [6], [null], [""]] },
      { argument: "c", range: [[0.1]] },
    ]);
    expect(plan.rows).toBe(2);
  });

  it("a scalar blank does not trim anything", () => {
    const plan = planBroadcast([{ argument: "a", range: [[""]] }]);
    expect(plan.rows).toBe(1);
  });
});
