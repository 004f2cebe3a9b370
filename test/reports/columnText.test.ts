// Text in imported data read by column: date order learnt from the column, yyyymmdd numbers,
// money text with currency, separators and brackets.
import { describe, expect, it } from "vitest";
import { calendarToSerial } from "../../src/engine/data/dates";
import { readDateColumn, readMoneyColumn, type ColumnPlace } from "../../src/reports/columnText";
import { invalidInputOf } from "../support/engine";

function place(cells: readonly unknown[], header = "Purchase date", firstRow = 2): ColumnPlace {
  return { sheet: "Orders", header, letters: "B", rows: cells.map((_, i) => firstRow + i) };
}

const serial = (year: number, month: number, day: number): number => calendarToSerial({ year, month, day });

describe("readDateColumn", () => {
  it("reads the whole column day-first when one date has a day above 12", () => {
    const cells = ["03/04/2023", "31/01/2023", 45000, "2023-05-06", null];
    const read = readDateColumn(cells, place(cells));
    expect(read.values).toEqual([serial(2023, 4, 3), serial(2023, 1, 31), 45000, "2023-05-06", null]);
    expect(read.notes).toEqual(["dates in Purchase date read day-first (31/01/2023 shows it)"]);
  });

  it("reads month-first with a time of day, as online-retail exports write it", () => {
    const cells = ["12/1/2010 8:26", "12/13/2010 14:05", "1/2/2011 2:30 PM"];
    const read = readDateColumn(cells, place(cells, "InvoiceDate"));
    expect(read.values[0]).toBeCloseTo(serial(2010, 12, 1) + (8 * 60 + 26) / 1440, 9);
    expect(read.values[1]).toBeCloseTo(serial(2010, 12, 13) + (14 * 60 + 5) / 1440, 9);
    expect(read.values[2]).toBeCloseTo(serial(2011, 1, 2) + (14 * 60 + 30) / 1440, 9);
    expect(read.notes[0]).toMatch(/month-first \(12\/13\/2010 14:05 shows it\)/);
  });

  it("refuses a column no date disambiguates, naming the column, an example and its row", () => {
    const cells = ["03/04/2023", "05/06/2023"];
    const error = invalidInputOf(() => readDateColumn(cells, place(cells)));
    expect(error.message).toBe(
      'Sheet "Orders", column Purchase date (B): dates like 03/04/2023 (row 2) could be day-first or month-first, and no date in the column has a day above 12 to show which',
    );
    expect(error.argument).toBe("date_order");
    expect(readDateColumn(cells, place(cells), "mdy").values).toEqual([serial(2023, 3, 4), serial(2023, 5, 6)]);
    expect(readDateColumn(cells, place(cells), "dmy").notes).toEqual(["dates in Purchase date read day-first, as asked"]);
  });

  it("refuses contradictory dates, naming both rows", () => {
    const cells = ["31/01/2023", "01/02/2023", "01/31/2023"];
    expect(invalidInputOf(() => readDateColumn(cells, place(cells))).message).toBe(
      'Sheet "Orders", column Purchase date (B): 31/01/2023 (row 2) is day-first but 01/31/2023 (row 4) is month-first; make the column one date order',
    );
  });

  it("names the row of a date that does not fit the order given", () => {
    const cells = ["31/01/2023"];
    expect(invalidInputOf(() => readDateColumn(cells, place(cells), "mdy")).message).toMatch(/row 2: "31\/01\/2023" is not a month-first date/);
  });

  it("reads yyyymmdd numbers as dates when the whole column is made of them (CDNOW's format)", () => {
    const cells = [19970101, 19970118, "19971212", null];
    const read = readDateColumn(cells, place(cells));
    expect(read.values).toEqual([serial(1997, 1, 1), serial(1997, 1, 18), serial(1997, 12, 12), null]);
    expect(read.notes[0]).toEqual("dates in Purchase date read from yyyymmdd numbers (19970101 is 1997-01-01)");
    // One value that is not a valid yyyymmdd date: the column is left as it is (the engine says which row).
    expect(readDateColumn([19970101, 19971332], place([1, 2])).values).toEqual([19970101, 19971332]);
  });

  it("reads Excel date serials written as text (a CSV of an unformatted date column) when the whole column is made of them", () => {
    const cells = ["44929", " 44930.5", 44931, null, ""];
    const read = readDateColumn(cells, place(cells));
    expect(read.values).toEqual([serial(2023, 1, 3), serial(2023, 1, 4) + 0.5, serial(2023, 1, 5), null, ""]);
    expect(read.notes).toEqual(["dates in Purchase date read from Excel date serials written as text (44929 is 2023-01-03)"]);
    // A cell that is not five digits (a row number, a year) leaves the column as it is, for the engine to name its row.
    expect(readDateColumn(["44929", "2023"], place([1, 2])).values).toEqual(["44929", "2023"]);
    expect(readDateColumn(["44929", "next week"], place([1, 2])).values).toEqual(["44929", "next week"]);
  });

  it("reads English month names as they say, beside day/month text that still needs its order", () => {
    const cells = ["1-Dec-2010", "Dec 13, 2010 8:26", "03 Jan 11", "September 5 2011", "05/01/2011", "Decoy 1 2010"];
    const read = readDateColumn(cells, place(cells), "dmy");
    expect(read.values.slice(0, 5)).toEqual([serial(2010, 12, 1), serial(2010, 12, 13) + (8 * 60 + 26) / 1440, serial(2011, 1, 3), serial(2011, 9, 5), serial(2011, 1, 5)]);
    expect(read.values[5]).toBe("Decoy 1 2010");
    expect(read.notes).toEqual(["dates in Purchase date read from text with month names (1-Dec-2010)", "dates in Purchase date read day-first, as asked"]);
    expect(readDateColumn(["1-Dec-2010"], place([1])).notes).toEqual(["dates in Purchase date read from text with month names (1-Dec-2010)"]);
  });

  it("passes Excel serials, ISO text and blanks unchanged and notes nothing", () => {
    const cells = [45000, 45000.5, "2024-01-31", "", null];
    expect(readDateColumn(cells, place(cells))).toEqual({ values: cells, notes: [] });
  });
});

describe("readMoneyColumn", () => {
  const amounts = (cells: unknown[], decimal?: "." | ",") => readMoneyColumn(cells, place(cells, "Amount"), decimal);

  it("reads currency symbols, thousands separators and accounting brackets with a decimal point", () => {
    const read = amounts(["$1,458.30", "$12.00", "($1,234.50)", 7, "-$3.10"]);
    expect(read.values).toEqual([1458.3, 12, -1234.5, 7, -3.1]);
    expect(read.currency).toBe("$");
    expect(read.notes).toEqual(["amounts in Amount read from text with a decimal point ($1,458.30 shows it)", "1 amount in brackets in Amount read as negative"]);
  });

  it("reads a decimal comma with dots or spaces grouping thousands, and currency codes", () => {
    const read = amounts(["1.458,30 €", "12,5 €", "1 234,00 €", "EUR 2.000.000"]);
    expect(read.values).toEqual([1458.3, 12.5, 1234, 2_000_000]);
    expect(read.currency).toBeUndefined();
    expect(amounts(["1.458,30 €", "3,20 €"]).currency).toBe("€");
  });

  it("learns the mark from one value and applies it to values that alone are ambiguous", () => {
    expect(amounts(["1,234", "5.50"]).values).toEqual([1234, 5.5]);
    expect(amounts(["1.234", "5,50"]).values).toEqual([1234, 5.5]);
    expect(amounts(["1,234,567", "1,234"]).values).toEqual([1234567, 1234]);
  });

  it("refuses a column where every value could be thousands or a fraction, naming the option's argument", () => {
    const error = invalidInputOf(() => amounts(["1,234", "2,500"]));
    expect(error.message).toBe(
      'Sheet "Orders", column Amount (B): amounts like 1,234 (row 2) could be thousands or fractions, and no amount in the column shows which mark is the decimal one',
    );
    expect(error.argument).toBe("decimal");
    expect(amounts(["1,234", "2,500"], ",").values).toEqual([1.234, 2.5]);
    expect(amounts(["1,234", "2,500"], ".").values).toEqual([1234, 2500]);
  });

  it("refuses contradictory decimal marks, naming both rows", () => {
    expect(invalidInputOf(() => amounts(["1,234.50", "1.234,50"])).message).toMatch(/1,234\.50 \(row 2\) has a decimal point but 1\.234,50 \(row 3\) a decimal comma/);
    expect(invalidInputOf(() => amounts(["1,234.50"], ",")).message).toMatch(/row 2: "1,234\.50" has "\." as its decimal mark, not ","/);
  });

  it("refuses a column of values like 1.234 only, although each alone reads as a decimal", () => {
    expect(invalidInputOf(() => amounts(["1.234", "12.500"])).argument).toBe("decimal");
    expect(amounts(["1.234", "12.500"], ",").values).toEqual([1234, 12500]);
  });

  it("leaves numbers, plain number text and what is not an amount to the engine", () => {
    expect(amounts(["40", "12.5", "0"])).toEqual({ values: ["40", "12.5", "0"], notes: [] });
    expect(amounts([12.5, "12.5", "abc", null])).toEqual({ values: [12.5, "12.5", "abc", null], notes: [] });
    expect(amounts(["$5", "abc"]).values).toEqual([5, "abc"]);
  });
});
