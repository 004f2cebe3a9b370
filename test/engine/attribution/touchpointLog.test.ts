// Reading a touchpoint log from cells (the one reader of IMC.ATTRIBUTE.EVENTS, the Attribution tab and
// `imc attribute`): customer numbering, timestamps, blank channels and conversions, trailing blank rows,
// and every error naming its argument and row; then the check that some conversion had a touch.
import { describe, expect, it } from "vitest";
import { addTouchpointLog, JourneyAggregator, readTouchpointLog, requireConvertingJourneys, type TouchpointCells } from "../../../src/engine/attribution";
import { engineErrorOf } from "../../support/engine";

/** Rows as [customer, timestamp, channel, conversion] cells → the four columns. */
function cellsOf(rows: readonly (readonly unknown[])[]): TouchpointCells {
  return {
    customerIds: rows.map((r) => r[0]),
    timestamps: rows.map((r) => r[1]),
    channels: rows.map((r) => r[2]),
    conversions: rows.map((r) => r[3]),
  };
}

describe("readTouchpointLog", () => {
  it("numbers customers in order of first appearance and reads times, channels and conversions", () => {
    const log = readTouchpointLog(
      cellsOf([
        ["c2", 45292, "Email", 0],
        [101, "2024-01-02", " Search ", null],
        ["c2", "2024-01-03 12:00", "", 120],
        ["101", 45295.25, "Direct", 40],
        ["c3", 45296, "Social", ""],
      ]),
    );
    expect(Array.from(log.customerIndex)).toEqual([0, 1, 0, 1, 2]);
    expect(Array.from(log.timestamps)).toEqual([45292, 45293, 45294.5, 45295.25, 45296]);
    expect(log.channels).toEqual(["Email", "Search", null, "Direct", "Social"]);
    expect(Array.from(log.conversionValues)).toEqual([0, 0, 120, 40, 0]);
  });

  it("drops trailing blank rows, and trailing rows of zeros (desktop Excel's empty cells)", () => {
    const log = readTouchpointLog(
      cellsOf([
        ["a", 45000, "Email", 0],
        ["a", 45001, null, 9],
        [null, null, null, null],
        [0, 0, 0, 0],
        ["", " ", "", ""],
      ]),
    );
    expect(log.customerIndex.length).toBe(2);
    expect(Array.from(log.conversionValues)).toEqual([0, 9]);
  });

  it("an all-blank log is INSUFFICIENT_DATA on customer_ids, worded for ranges unless told otherwise", () => {
    const blank = cellsOf([[null, null, null, null]]);
    const ranges = engineErrorOf(() => readTouchpointLog(blank));
    expect(ranges.code).toBe("INSUFFICIENT_DATA");
    expect(ranges.argument).toBe("customer_ids");
    expect(ranges.message).toBe("customer_ids: the ranges are blank; no touchpoints to attribute");
    const table = engineErrorOf(() => readTouchpointLog(cellsOf([]), { blankText: "the touchpoint log is blank" }));
    expect(table.message).toBe("customer_ids: the touchpoint log is blank; no touchpoints to attribute");
  });

  it("names the argument and row of each bad cell", () => {
    const cases: { rows: unknown[][]; argument: string; row: number; message: string }[] = [
      {
        rows: [["a", 45000, "Email", 0], ["a", 45001, "", 0]],
        argument: "channels",
        row: 2,
        message: "channels row 2: is blank on a touch row; give the channel, or a conversion value in conversions",
      },
      {
        rows: [["a", 45000, "Email", 0], ["a", 45001, "", -5]],
        argument: "conversions",
        row: 2,
        message: "conversions row 2: -5 is negative; use blank or 0 for a touch, a positive value for a conversion",
      },
      {
        rows: [["a", 45000, "Email", 0], ["a", "yesterday", "", 5]],
        argument: "timestamps",
        row: 2,
        message: 'timestamps row 2: "yesterday" is not a date; use a date cell or text like 2024-01-31',
      },
      { rows: [["a", 45000, "Email", 0], [null, 45001, "", 5]], argument: "customer_ids", row: 2, message: "customer_ids row 2: is blank; a value is required" },
      { rows: [["a", 45000, "Email", "lots"]], argument: "conversions", row: 1, message: 'conversions row 1: "lots" is not a number' },
    ];
    for (const c of cases) {
      const error = engineErrorOf(() => readTouchpointLog(cellsOf(c.rows)));
      expect({ code: error.code, argument: error.argument, row: error.row, message: error.message }, c.message).toEqual({
        code: "INVALID_INPUT",
        argument: c.argument,
        row: c.row,
        message: c.message,
      });
    }
  });

  it("refuses columns of different lengths, naming both", () => {
    const error = engineErrorOf(() =>
      readTouchpointLog({ customerIds: ["a", "a", "b"], timestamps: [45000, 45001], channels: ["E", ""], conversions: [0, 5] }),
    );
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toBe("customer_ids has 3 rows but timestamps has 2; row-aligned ranges must be the same size");
  });
});

describe("requireConvertingJourneys", () => {
  function summaryOf(rows: unknown[][], lookbackDays: number) {
    return addTouchpointLog(readTouchpointLog(cellsOf(rows)), new JourneyAggregator(), lookbackDays);
  }

  it("passes when a conversion has a touch in its window", () => {
    const summary = summaryOf([["a", 45000, "Email", 0], ["a", 45010, "", 5]], 30);
    expect(summary.convertingJourneys).toBe(1);
    expect(() => requireConvertingJourneys(summary, 30)).not.toThrow();
  });

  it("is INSUFFICIENT_DATA on timestamps when no conversion has a touch within lookback_days", () => {
    const summary = summaryOf([["a", 45000, "Email", 0], ["a", 45010, "", 5], ["b", 45020, "", 7]], 7);
    expect(summary.convertingJourneys).toBe(0);
    const error = engineErrorOf(() => requireConvertingJourneys(summary, 7));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.argument).toBe("timestamps");
    expect(error.message).toBe("timestamps: none of the 2 conversions has a touch within lookback_days (7 days) before it; nothing to attribute");
  });
});
