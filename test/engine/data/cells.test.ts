import { describe, expect, it } from "vitest";
import {
  isBlankCell,
  toBoolean,
  toDateSerial,
  toNumber,
  toOptionalBoolean,
  toOptionalDateSerial,
  toOptionalNumber,
  toOptionalText,
  toText,
} from "../../../src/engine/data/cells";
import { MAX_SERIAL } from "../../../src/engine/data/dates";
import { engineErrorOf } from "../../support/engine";

/** An object that is not an Excel value at all (no data type shape). */
const NON_CELL_OBJECT = { foo: 1 };

/** Asserts the full contract of a cell error: code, argument, row and exact message. */
function expectCellError(action: () => unknown, argument: string, row: number, message: string): void {
  const error = engineErrorOf(action);
  expect(error.code).toBe("INVALID_INPUT");
  expect(error.argument).toBe(argument);
  expect(error.row).toBe(row);
  expect(error.message).toBe(message);
}

describe("isBlankCell", () => {
  it.each([null, undefined, "", " ", "\t \n", "\u00a0"])("%j is blank", (value) => {
    expect(isBlankCell(value)).toBe(true);
  });

  it.each([0, -0, false, "0", " x ", Number.NaN, NON_CELL_OBJECT, []])("%j is not blank", (value) => {
    expect(isBlankCell(value)).toBe(false);
  });
});

describe("toNumber", () => {
  it.each([
    [12, 12],
    [0, 0],
    [-3.25, -3.25],
    [Number.MAX_VALUE, Number.MAX_VALUE],
    ["12.5", 12.5],
    ["  12.5  ", 12.5],
    ["-3", -3],
    ["+4", 4],
    [".5", 0.5],
    ["5.", 5],
    ["1e3", 1000],
    ["1E-2", 0.01],
    ["-2.5e+2", -250],
    ["0", 0],
    ["007", 7],
  ])("reads %j as %d", (value, expected) => {
    expect(toNumber(value, "order_values", 1)).toBe(expected);
  });

  it.each([
    ["80%", 0.8],
    ["12.5%", 0.125],
    ["-5 %", -0.05],
    ["100%", 1],
    ["0.5%", 0.005],
  ])("reads the percentage %j as %d", (value, expected) => {
    expect(toNumber(value, "retention_rate", 1)).toBeCloseTo(expected, 15);
  });

  it('says which text is not a number: order_values row 17: "abc" is not a number', () => {
    expectCellError(() => toNumber("abc", "order_values", 17), "order_values", 17, 'order_values row 17: "abc" is not a number');
  });

  it("quotes the trimmed text", () => {
    expectCellError(() => toNumber("  n/a ", "order_values", 3), "order_values", 3, 'order_values row 3: "n/a" is not a number');
  });

  it("cuts very long text in the message", () => {
    const message = engineErrorOf(() => toNumber("x".repeat(500), "order_values", 1)).message;
    expect(message).toBe(`order_values row 1: "${"x".repeat(59)}…" is not a number`);
  });

  it.each(["1,234", "12,345,678", "1,234.50", "-1,000"])("rejects the thousands separator in %j with a hint", (text) => {
    expectCellError(
      () => toNumber(text, "order_values", 4),
      "order_values",
      4,
      `order_values row 4: "${text}" is not a number: it has a thousands separator; remove the separators or format the cell as a number`,
    );
  });

  it("rejects a decimal comma with a hint", () => {
    expectCellError(
      () => toNumber("1,5", "order_values", 2),
      "order_values",
      2,
      'order_values row 2: "1,5" is not a number: it has a decimal comma; use a decimal point or format the cell as a number',
    );
  });

  it.each(["Infinity", "NaN", "0x10", "1e", "e3", "1.2.3", "$12", "12 EUR", "--3", "%", "1 234"])(
    "rejects %j as not a number",
    (text) => {
      expectCellError(() => toNumber(text, "x", 9), "x", 9, `x row 9: "${text}" is not a number`);
    },
  );

  it("rejects text too large for a number", () => {
    expectCellError(() => toNumber("1e400", "x", 1), "x", 1, 'x row 1: "1e400" is too large to be a number');
  });

  it("rejects booleans by their Excel name", () => {
    expectCellError(() => toNumber(true, "order_values", 5), "order_values", 5, "order_values row 5: TRUE is not a number");
    expectCellError(() => toNumber(false, "order_values", 6), "order_values", 6, "order_values row 6: FALSE is not a number");
  });

  it.each([null, undefined, "", "   "])("rejects the blank %j", (value) => {
    expectCellError(() => toNumber(value, "order_values", 8), "order_values", 8, "order_values row 8: is blank; a number is required");
  });

  it.each([
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [Number.NEGATIVE_INFINITY, "-Infinity"],
  ])("rejects %s as not finite", (value, shown) => {
    expectCellError(() => toNumber(value, "x", 2), "x", 2, `x row 2: ${shown} is not a finite number`);
  });

  it.each([NON_CELL_OBJECT, [1], 10n, Symbol("s")])("rejects the non-cell value %s", (value) => {
    expectCellError(() => toNumber(value, "x", 3), "x", 3, "x row 3: is not a number");
  });
});

describe("toOptionalNumber", () => {
  it.each([null, undefined, "", "  "])("gives null for the blank %j", (value) => {
    expect(toOptionalNumber(value, "x", 1)).toBeNull();
  });

  it("keeps 0 as a number, not a blank", () => {
    expect(toOptionalNumber(0, "x", 1)).toBe(0);
  });

  it("reads numbers and numeric text like toNumber", () => {
    expect(toOptionalNumber(7, "x", 1)).toBe(7);
    expect(toOptionalNumber(" 2.5 ", "x", 1)).toBe(2.5);
  });

  it("still rejects non-numbers with the row", () => {
    expectCellError(() => toOptionalNumber("abc", "discount", 12), "discount", 12, 'discount row 12: "abc" is not a number');
    expectCellError(() => toOptionalNumber(Number.NaN, "discount", 2), "discount", 2, "discount row 2: NaN is not a finite number");
  });
});

describe("toBoolean and toOptionalBoolean", () => {
  it.each([
    [true, true],
    [false, false],
    [1, true],
    [0, false],
    ["TRUE", true],
    ["true", true],
    [" True ", true],
    ["FALSE", false],
    ["false", false],
    ["yes", true],
    ["YES", true],
    ["no", false],
    ["No", false],
    ["1", true],
    ["0", false],
  ])("reads %j as %s", (value, expected) => {
    expect(toBoolean(value, "converted", 1)).toBe(expected);
  });

  it('rejects other text: converted row 4: "maybe" is not TRUE or FALSE', () => {
    expectCellError(() => toBoolean("maybe", "converted", 4), "converted", 4, 'converted row 4: "maybe" is not TRUE or FALSE');
  });

  it.each([
    ["y", '"y" is not TRUE or FALSE'],
    ["2", '"2" is not TRUE or FALSE'],
    [2, "2 is not TRUE or FALSE"],
    [0.5, "0.5 is not TRUE or FALSE"],
    [Number.NaN, "NaN is not TRUE or FALSE"],
    [NON_CELL_OBJECT, "is not TRUE or FALSE"],
    [null, "is blank; TRUE or FALSE is required"],
    ["  ", "is blank; TRUE or FALSE is required"],
  ])("rejects %j", (value, problem) => {
    expectCellError(() => toBoolean(value, "converted", 7), "converted", 7, `converted row 7: ${problem}`);
  });

  it("toOptionalBoolean gives null for blanks and reads the rest", () => {
    expect(toOptionalBoolean(null, "converted", 1)).toBeNull();
    expect(toOptionalBoolean("", "converted", 1)).toBeNull();
    expect(toOptionalBoolean(" ", "converted", 1)).toBeNull();
    expect(toOptionalBoolean(0, "converted", 1)).toBe(false);
    expect(toOptionalBoolean("yes", "converted", 1)).toBe(true);
    expectCellError(() => toOptionalBoolean("maybe", "converted", 3), "converted", 3, 'converted row 3: "maybe" is not TRUE or FALSE');
  });
});

describe("toText and toOptionalText", () => {
  it.each([
    ["C-001", "C-001"],
    ["  Email  ", "Email"],
    [1001, "1001"],
    [12.5, "12.5"],
    [-7, "-7"],
    [-0, "0"],
    [0, "0"],
    [1e20, "100000000000000000000"],
    [123456789012345, "123456789012345"],
    [0.1 + 0.2, "0.3"],
    [1 / 3, "0.333333333333333"],
    [true, "TRUE"],
    [false, "FALSE"],
  ])("reads %j as %j", (value, expected) => {
    expect(toText(value, "customer_ids", 1)).toBe(expected);
  });

  it("gives the same id for a number and its text", () => {
    expect(toText(1001, "customer_ids", 1)).toBe(toText(" 1001 ", "customer_ids", 2));
  });

  it.each([null, undefined, "", "   "])("rejects the blank %j", (value) => {
    expectCellError(() => toText(value, "customer_ids", 9), "customer_ids", 9, "customer_ids row 9: is blank; a value is required");
  });

  it("rejects non-finite numbers and other values", () => {
    expectCellError(() => toText(Number.NaN, "customer_ids", 2), "customer_ids", 2, "customer_ids row 2: NaN is not a finite number");
    expectCellError(
      () => toText(NON_CELL_OBJECT, "customer_ids", 3),
      "customer_ids",
      3,
      "customer_ids row 3: is not text, a number or TRUE/FALSE",
    );
  });

  it("toOptionalText gives null for blanks, keeps 0 as text", () => {
    expect(toOptionalText(null, "segment", 1)).toBeNull();
    expect(toOptionalText(" ", "segment", 1)).toBeNull();
    expect(toOptionalText(0, "segment", 1)).toBe("0");
    expect(toOptionalText(" VIP ", "segment", 1)).toBe("VIP");
  });
});

describe("toDateSerial and toOptionalDateSerial", () => {
  it.each([
    [45322, 45322],
    [45322.4375, 45322.4375],
    [1, 1],
    [60, 60],
    [MAX_SERIAL, MAX_SERIAL],
    ["2024-01-31", 45322],
    [" 2024/01/31 ", 45322],
    ["2024-01-31 10:30", 45322 + 10.5 / 24],
  ])("reads %j as serial %d", (value, serial) => {
    expect(toDateSerial(value, "order_dates", 1)).toBeCloseTo(serial, 9);
  });

  it("hints that 0 may be an empty cell on desktop Excel", () => {
    expectCellError(
      () => toDateSerial(0, "order_dates", 5),
      "order_dates",
      5,
      "order_dates row 5: 0 is not a date; desktop Excel sends 0 for an empty cell, so fill in the date or remove the row",
    );
  });

  it.each([
    [-1, "-1 is not a date serial; Excel dates run from 1 (1900-01-01) to 2958465 (9999-12-31)"],
    [MAX_SERIAL + 1, "2958466 is not a date serial; Excel dates run from 1 (1900-01-01) to 2958465 (9999-12-31)"],
    [1e12, "1000000000000 is not a date serial; Excel dates run from 1 (1900-01-01) to 2958465 (9999-12-31)"],
    [0.5, "0.5 is a time of day without a date"],
    [Number.NaN, "NaN is not a date"],
    [Number.POSITIVE_INFINITY, "Infinity is not a date"],
  ])("rejects the number %s", (value, problem) => {
    expectCellError(() => toDateSerial(value, "order_dates", 3), "order_dates", 3, `order_dates row 3: ${problem}`);
  });

  it('rejects text that is not a date: "soon" is not a date', () => {
    expectCellError(
      () => toDateSerial("soon", "order_dates", 8),
      "order_dates",
      8,
      'order_dates row 8: "soon" is not a date; use a date cell or text like 2024-01-31',
    );
  });

  it("reports impossible date text with the row, without the parser's name", () => {
    expectCellError(
      () => toDateSerial("2023-02-30", "order_dates", 4),
      "order_dates",
      4,
      'order_dates row 4: "2023-02-30" is not a valid date: February 2023 has 28 days',
    );
    expectCellError(
      () => toDateSerial("2024-01-31 25:00", "order_dates", 6),
      "order_dates",
      6,
      'order_dates row 6: "2024-01-31 25:00" is not a valid time: hour 25 must be 0 to 23',
    );
  });

  it("reports day/month-first text as ambiguous", () => {
    expectCellError(
      () => toDateSerial("31/01/2024", "order_dates", 2),
      "order_dates",
      2,
      'order_dates row 2: "31/01/2024" is ambiguous: its day/month order depends on regional settings; use text like 2024-01-31 or a date cell',
    );
  });

  it("rejects booleans, blanks and other values", () => {
    expectCellError(() => toDateSerial(true, "order_dates", 1), "order_dates", 1, "order_dates row 1: TRUE is not a date");
    expectCellError(() => toDateSerial(null, "order_dates", 2), "order_dates", 2, "order_dates row 2: is blank; a date is required");
    expectCellError(() => toDateSerial(" ", "order_dates", 3), "order_dates", 3, "order_dates row 3: is blank; a date is required");
    expectCellError(() => toDateSerial(NON_CELL_OBJECT, "order_dates", 4), "order_dates", 4, "order_dates row 4: is not a date");
  });

  it("toOptionalDateSerial gives null for blanks but still rejects 0", () => {
    expect(toOptionalDateSerial(null, "as_of", 1)).toBeNull();
    expect(toOptionalDateSerial("", "as_of", 1)).toBeNull();
    expect(toOptionalDateSerial("2024-01-31", "as_of", 1)).toBe(45322);
    expect(engineErrorOf(() => toOptionalDateSerial(0, "as_of", 1)).message).toMatch(/^as_of row 1: 0 is not a date;/);
  });
});

// functions.json allows custom data for `any` parameters (Microsoft's generator sets it), so cells
// holding Excel data types arrive as objects: they count as their basicValue, errors are named.
describe("Excel data types (allowCustomDataForDataTypeAny)", () => {
  const formattedDate = { type: "Double", basicType: "Double", basicValue: 45322, numberFormat: "yyyy-mm-dd" };
  const formattedNumber = { type: "FormattedNumber", basicType: "Double", basicValue: 0.8, numberFormat: "0%" };
  const entity = { type: "Entity", basicType: "Error", basicValue: "#VALUE!", text: "Contoso" };
  const linked = { type: "LinkedEntity", basicType: "String", basicValue: "Contoso Ltd", text: "Contoso Ltd" };
  const notAvailable = { type: "Error", basicType: "Error", errorType: "NotAvailable", basicValue: "#N/A" };
  const divByZero = { type: "Error", errorType: "Div0" };
  const empty = { type: "Empty", basicType: "Empty", basicValue: "" };

  it("a formatted number counts as its number", () => {
    expect(toNumber(formattedNumber, "retention_rate", 1)).toBe(0.8);
    expect(toDateSerial(formattedDate, "order_dates", 1)).toBe(45322);
    expect(toText(formattedDate, "customer_ids", 1)).toBe("45322");
  });

  it("a linked data type counts as its display text", () => {
    expect(toText(linked, "customer_ids", 2)).toBe("Contoso Ltd");
    expectCellError(() => toNumber(linked, "order_values", 2), "order_values", 2, 'order_values row 2: "Contoso Ltd" is not a number');
  });

  it("an empty data type is blank", () => {
    expect(isBlankCell(empty)).toBe(true);
    expect(toOptionalNumber(empty, "periods", 1)).toBeNull();
    expectCellError(() => toNumber(empty, "margin", 3), "margin", 3, "margin row 3: is blank; a number is required");
  });

  it("an error value is named, in every coercion", () => {
    const message = "is an error value (#N/A); fix the cell or leave the row out";
    expectCellError(() => toNumber(notAvailable, "order_values", 4), "order_values", 4, `order_values row 4: ${message}`);
    expectCellError(() => toText(notAvailable, "customer_ids", 4), "customer_ids", 4, `customer_ids row 4: ${message}`);
    expectCellError(() => toBoolean(notAvailable, "margin_now", 4), "margin_now", 4, `margin_now row 4: ${message}`);
    expectCellError(() => toDateSerial(notAvailable, "order_dates", 4), "order_dates", 4, `order_dates row 4: ${message}`);
    expectCellError(() => toOptionalNumber(notAvailable, "periods", 4), "periods", 4, `periods row 4: ${message}`);
  });

  it("an error without its display text is named from its type", () => {
    expectCellError(() => toNumber(divByZero, "margin", 5), "margin", 5, "margin row 5: is an error value (#DIV/0!); fix the cell or leave the row out");
  });

  it("an entity whose basic value is an error is reported as that error", () => {
    expectCellError(() => toNumber(entity, "margin", 6), "margin", 6, "margin row 6: is an error value (#VALUE!); fix the cell or leave the row out");
  });

  it("an object whose basicValue is itself an object is not unwrapped again", () => {
    expectCellError(() => toNumber({ basicValue: { basicValue: 1 } }, "margin", 7), "margin", 7, "margin row 7: is not a number");
  });
});
