import { describe, expect, it } from "vitest";
import {
  alignRows,
  dateColumn,
  numberColumn,
  optionalNumberColumn,
  shapeOf,
  textColumn,
  toColumn,
} from "../../../src/engine/data/range";
import { engineErrorOf } from "../../support/engine";

describe("shapeOf", () => {
  it("measures a single cell, a column, a row and a block", () => {
    expect(shapeOf([[5]], "x")).toEqual({ rows: 1, columns: 1 });
    expect(shapeOf([[1], [2], [3]], "x")).toEqual({ rows: 3, columns: 1 });
    expect(shapeOf([[1, 2, 3, 4]], "x")).toEqual({ rows: 1, columns: 4 });
    expect(shapeOf([[1, "a"], [null, true], ["", 0]], "x")).toEqual({ rows: 3, columns: 2 });
  });

  it.each([
    [5, "order_values: expected a range of cells, got a number"],
    ["abc", "order_values: expected a range of cells, got text"],
    [null, "order_values: expected a range of cells, got nothing"],
    [undefined, "order_values: expected a range of cells, got nothing"],
    [{ 0: [1] }, "order_values: expected a range of cells, got an object"],
    [[], "order_values: the range is empty"],
    [[[]], "order_values: the range is empty"],
    [[1, 2, 3], "order_values: expected a range of cells (rows of values), got a flat list"],
    [[[1, 2], [3]], "order_values: row 2 has 1 cell but row 1 has 2; expected a rectangular range"],
    [[[1], [2], [3, 4]], "order_values: row 3 has 2 cells but row 1 has 1; expected a rectangular range"],
    [[[1], 2], "order_values: row 2 is not a row of cells; expected a rectangular range"],
  ])("rejects %j", (range, message) => {
    const error = engineErrorOf(() => shapeOf(range, "order_values"));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("order_values");
    expect(error.message).toBe(message);
  });
});

describe("toColumn", () => {
  it("flattens a single column top to bottom", () => {
    expect(toColumn([[1], ["b"], [null]], "x")).toEqual([1, "b", null]);
  });

  it("flattens a single row left to right", () => {
    expect(toColumn([[1, "b", null, true]], "x")).toEqual([1, "b", null, true]);
  });

  it("gives a one-element column for a single cell", () => {
    expect(toColumn([[42]], "x")).toEqual([42]);
  });

  it("returns a copy: changing it leaves Excel's array alone", () => {
    const row = [[1, 2]];
    const column = toColumn(row, "x");
    column[0] = 99;
    expect(row[0][0]).toBe(1);
  });

  it("rejects a block with the size in the message", () => {
    const error = engineErrorOf(() => toColumn([[1, 2], [3, 4], [5, 6]], "order_values"));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("order_values");
    expect(error.message).toBe("order_values: expected a single column or row, got 3 rows × 2 columns");
  });

  it("rejects a bare scalar: ranges arrive as rows of cells", () => {
    const error = engineErrorOf(() => toColumn(5, "order_values"));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toBe("order_values: expected a range of cells, got a number");
  });

  it("rejects a ragged range", () => {
    expect(engineErrorOf(() => toColumn([[1], [2, 3]], "x")).message).toMatch(/^x: row 2 has 2 cells but row 1 has 1/);
  });
});

describe("alignRows", () => {
  it("names both arguments and sizes when lengths differ", () => {
    const error = engineErrorOf(() =>
      alignRows([
        { argument: "order_values", values: new Array<unknown>(120).fill(1) },
        { argument: "customer_ids", values: new Array<unknown>(118).fill("c") },
      ]),
    );
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("customer_ids");
    expect(error.message).toBe(
      "order_values has 120 rows but customer_ids has 118; row-aligned ranges must be the same size",
    );
  });

  it("reports the first mismatching column against the first", () => {
    const error = engineErrorOf(() =>
      alignRows([
        { argument: "a", values: [1, 2] },
        { argument: "b", values: [1, 2] },
        { argument: "c", values: [1] },
      ]),
    );
    expect(error.message).toBe("a has 2 rows but c has 1; row-aligned ranges must be the same size");
  });

  it("keeps every row when the last row has data", () => {
    expect(alignRows([{ argument: "a", values: [1, 2, 3] }])).toBe(3);
  });

  it("drops trailing rows that are blank in every column", () => {
    const ids = ["c1", "c2", null, "", "  "];
    const values = [10, 20, null, null, undefined];
    expect(alignRows([
      { argument: "customer_ids", values: ids },
      { argument: "order_values", values },
    ])).toBe(2);
  });

  it("keeps a trailing row that has data in any one column", () => {
    expect(alignRows([
      { argument: "a", values: ["x", null, null] },
      { argument: "b", values: [1, null, 5] },
    ])).toBe(3);
  });

  it("keeps blank rows in the middle", () => {
    expect(alignRows([
      { argument: "a", values: ["x", null, "", "y", null] },
      { argument: "b", values: [1, null, null, 2, ""] },
    ])).toBe(4);
  });

  it("counts 0 as data unless zeroIsBlank is set", () => {
    const columns = [
      { argument: "customer_ids", values: ["c1", "c2", 0, 0] },
      { argument: "order_values", values: [5, 6, 0, 0] },
    ];
    expect(alignRows(columns)).toBe(4);
    expect(alignRows(columns, { zeroIsBlank: true })).toBe(2);
    expect(alignRows(columns, { zeroIsBlank: false })).toBe(4);
  });

  it("with zeroIsBlank, keeps a trailing row where only one column is 0", () => {
    expect(alignRows([
      { argument: "a", values: ["x", "y"] },
      { argument: "b", values: [1, 0] },
    ], { zeroIsBlank: true })).toBe(2);
  });

  it('does not treat the text "0" or FALSE as blank, even with zeroIsBlank', () => {
    expect(alignRows([{ argument: "a", values: [1, "0"] }], { zeroIsBlank: true })).toBe(2);
    expect(alignRows([{ argument: "a", values: [1, false] }], { zeroIsBlank: true })).toBe(2);
  });

  it("gives 0 for all-blank columns and for no columns", () => {
    expect(alignRows([
      { argument: "a", values: [null, "", " "] },
      { argument: "b", values: [undefined, null, ""] },
    ])).toBe(0);
    expect(alignRows([{ argument: "a", values: [0, 0] }], { zeroIsBlank: true })).toBe(0);
    expect(alignRows([{ argument: "a", values: [] }])).toBe(0);
    expect(alignRows([])).toBe(0);
  });

  it("trims a whole-column reference (1,048,576 rows) down to its data", () => {
    const rows = 1_048_576;
    const ids = new Array<unknown>(rows).fill(null);
    const values = new Array<unknown>(rows).fill("");
    for (let r = 0; r < 1000; r++) {
      ids[r] = `c${r}`;
      values[r] = r;
    }
    expect(alignRows([
      { argument: "customer_ids", values: ids },
      { argument: "order_values", values },
    ])).toBe(1000);
  });
});

describe("numberColumn", () => {
  it("converts numbers and numeric text into a Float64Array", () => {
    const column = numberColumn([1, "2.5", " -3 ", "50%", 0], "order_values");
    expect(column).toBeInstanceOf(Float64Array);
    expect(Array.from(column)).toEqual([1, 2.5, -3, 0.5, 0]);
  });

  it("reports the first bad row, 1-based", () => {
    const error = engineErrorOf(() => numberColumn([1, 2, "abc", "def"], "order_values"));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("order_values");
    expect(error.row).toBe(3);
    expect(error.message).toBe('order_values row 3: "abc" is not a number');
  });

  it("rejects a blank in the middle", () => {
    expect(engineErrorOf(() => numberColumn([1, null, 3], "order_values")).message).toBe(
      "order_values row 2: is blank; a number is required",
    );
  });

  it("rejects NaN in the number fast path", () => {
    expect(engineErrorOf(() => numberColumn([1, 2, Number.NaN], "x")).message).toBe("x row 3: NaN is not a finite number");
  });

  it("converts only the first rowCount cells, e.g. after alignRows", () => {
    const values = [1, 2, 3, null, null];
    const rowCount = alignRows([{ argument: "x", values }]);
    expect(Array.from(numberColumn(values, "x", rowCount))).toEqual([1, 2, 3]);
    expect(numberColumn(values, "x", 0)).toHaveLength(0);
  });

  it.each([-1, 6, 1.5, Number.NaN])("rejects rowCount %s outside the column", (rowCount) => {
    const error = engineErrorOf(() => numberColumn([1, 2, 3, 4, 5], "x", rowCount));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toMatch(/^x: row count .* must be a whole number from 0 to 5$/);
  });

  it("converts a 1,000,000-row column", () => {
    const rows = 1_000_000;
    const values = new Array<unknown>(rows);
    for (let i = 0; i < rows; i++) values[i] = i % 1000 === 0 ? String(i * 0.5) : i * 0.5;
    const column = numberColumn(values, "order_values");
    expect(column).toHaveLength(rows);
    let sum = 0;
    let mismatches = 0;
    for (let i = 0; i < rows; i++) {
      sum += column[i];
      if (column[i] !== i * 0.5) mismatches++;
    }
    expect(mismatches).toBe(0);
    // Σ i/2 for i < n = n(n − 1)/4, exact in doubles at this size.
    expect(sum).toBe((rows * (rows - 1)) / 4);
  });

  it("reports the bad row near the end of a 1,000,000-row column", () => {
    const values = new Array<unknown>(1_000_000).fill(1);
    values[999_998] = "oops";
    const error = engineErrorOf(() => numberColumn(values, "order_values"));
    expect(error.row).toBe(999_999);
    expect(error.message).toBe('order_values row 999999: "oops" is not a number');
  });
});

describe("optionalNumberColumn", () => {
  it("gives null for blanks and keeps 0", () => {
    expect(optionalNumberColumn([1, null, "", " ", 0, "7"], "discount")).toEqual([1, null, null, null, 0, 7]);
  });

  it("reports the first bad non-blank row", () => {
    const error = engineErrorOf(() => optionalNumberColumn([null, 1, true], "discount"));
    expect(error.row).toBe(3);
    expect(error.message).toBe("discount row 3: TRUE is not a number");
  });

  it("respects rowCount", () => {
    expect(optionalNumberColumn([1, null, 3, "x"], "discount", 3)).toEqual([1, null, 3]);
  });
});

describe("dateColumn", () => {
  it("converts serials and date text into serials", () => {
    const column = dateColumn([45322, "2024-02-01", 45322.5, "2024/02/02 06:00"], "order_dates");
    expect(column).toBeInstanceOf(Float64Array);
    const expected = [45322, 45323, 45322.5, 45324.25];
    for (let i = 0; i < expected.length; i++) expect(column[i]).toBeCloseTo(expected[i], 9);
  });

  it("reports the first bad row with the date problem", () => {
    const error = engineErrorOf(() => dateColumn([45322, 45323, "31/01/2024", 0], "order_dates"));
    expect(error.row).toBe(3);
    expect(error.message).toMatch(/^order_dates row 3: "31\/01\/2024" is ambiguous/);
  });

  it("rejects 0 with the empty-cell hint", () => {
    const error = engineErrorOf(() => dateColumn([45322, 0], "order_dates"));
    expect(error.row).toBe(2);
    expect(error.message).toMatch(/^order_dates row 2: 0 is not a date; desktop Excel sends 0 for an empty cell/);
  });

  it("respects rowCount", () => {
    expect(Array.from(dateColumn([45322, 45323, null], "order_dates", 2))).toEqual([45322, 45323]);
  });
});

describe("textColumn", () => {
  it("converts ids to trimmed text; numeric ids match their text form", () => {
    expect(textColumn([1001, " 1001 ", "C-7", 12.5, true], "customer_ids")).toEqual(["1001", "1001", "C-7", "12.5", "TRUE"]);
  });

  it("reports the first blank row", () => {
    const error = engineErrorOf(() => textColumn(["a", "b", "", null], "customer_ids"));
    expect(error.row).toBe(3);
    expect(error.message).toBe("customer_ids row 3: is blank; a value is required");
  });

  it("respects rowCount", () => {
    expect(textColumn(["a", "b", ""], "customer_ids", 2)).toEqual(["a", "b"]);
  });
});
