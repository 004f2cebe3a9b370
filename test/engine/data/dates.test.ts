import { describe, expect, it } from "vitest";
import {
  MAX_SERIAL,
  calendarToSerial,
  epochDayToSerial,
  formatSerial,
  parseDateText,
  serialToCalendar,
  serialToEpochDay,
  type CalendarDate,
} from "../../../src/engine/data/dates";
import { engineErrorOf } from "../../support/engine";

const MS_PER_DAY = 86_400_000;
/** Half a millisecond, in days: parsed times must land within it. */
const TIME_TOLERANCE_DAYS = 0.5 / MS_PER_DAY;

/** The calendar date JavaScript's own (proleptic Gregorian, UTC) calendar gives for a serial ≥ 61. */
function calendarFromDateUtc(serial: number): CalendarDate {
  const date = new Date((serial - 25569) * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function serialFromDateUtc(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY + 25569;
}

describe("serialToCalendar: Excel's documented check serials", () => {
  const cases: [number, CalendarDate][] = [
    [1, { year: 1900, month: 1, day: 1 }],
    [59, { year: 1900, month: 2, day: 28 }],
    [60, { year: 1900, month: 2, day: 29 }],
    [61, { year: 1900, month: 3, day: 1 }],
    [25569, { year: 1970, month: 1, day: 1 }],
    [45322, { year: 2024, month: 1, day: 31 }],
    [MAX_SERIAL, { year: 9999, month: 12, day: 31 }],
  ];
  it.each(cases)("serial %i is %o", (serial, expected) => {
    expect(serialToCalendar(serial)).toEqual(expected);
  });

  it("uses the floor: the time of day does not change the date", () => {
    expect(serialToCalendar(45322.999)).toEqual({ year: 2024, month: 1, day: 31 });
    expect(serialToCalendar(60.5)).toEqual({ year: 1900, month: 2, day: 29 });
    expect(serialToCalendar(MAX_SERIAL + 0.75)).toEqual({ year: 9999, month: 12, day: 31 });
  });

  it.each([0, 0.999, -1, MAX_SERIAL + 1, 1e9, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    "rejects serial %s with INVALID_INPUT",
    (serial) => {
      const error = engineErrorOf(() => serialToCalendar(serial));
      expect(error.code).toBe("INVALID_INPUT");
      expect(error.message).toMatch(/^serialToCalendar: .* is not a date serial; Excel dates run from 1 \(1900-01-01\)/);
    },
  );
});

describe("calendarToSerial", () => {
  it("gives the check serials", () => {
    expect(calendarToSerial({ year: 1900, month: 1, day: 1 })).toBe(1);
    expect(calendarToSerial({ year: 1900, month: 2, day: 28 })).toBe(59);
    expect(calendarToSerial({ year: 1900, month: 2, day: 29 })).toBe(60);
    expect(calendarToSerial({ year: 1900, month: 3, day: 1 })).toBe(61);
    expect(calendarToSerial({ year: 1970, month: 1, day: 1 })).toBe(25569);
    expect(calendarToSerial({ year: 2024, month: 1, day: 31 })).toBe(45322);
    expect(calendarToSerial({ year: 9999, month: 12, day: 31 })).toBe(MAX_SERIAL);
  });

  it("round-trips every serial from 1 to MAX_SERIAL, one day after another", () => {
    let mismatches = 0;
    let firstMismatch: number | null = null;
    let previous: CalendarDate = { year: 1899, month: 12, day: 31 };
    for (let serial = 1; serial <= MAX_SERIAL; serial++) {
      const date = serialToCalendar(serial);
      // Independent of the round trip: each serial must be the calendar successor of the one before,
      // so an offset shared by both directions cannot hide.
      const nextDay = date.year === previous.year && date.month === previous.month && date.day === previous.day + 1;
      const nextMonth = date.year === previous.year && date.month === previous.month + 1 && date.day === 1;
      const nextYear = date.year === previous.year + 1 && date.month === 1 && date.day === 1 && previous.month === 12;
      if (calendarToSerial(date) !== serial || !(nextDay || nextMonth || nextYear)) {
        mismatches++;
        firstMismatch ??= serial;
      }
      previous = date;
    }
    expect({ mismatches, firstMismatch }).toEqual({ mismatches: 0, firstMismatch: null });
    expect(previous).toEqual({ year: 9999, month: 12, day: 31 });
  });

  it("agrees with Date.UTC on a spread of dates, including the leap years 2000 and not 2100", () => {
    const dates: [number, number, number][] = [
      [1900, 3, 1],
      [1904, 2, 29],
      [1970, 1, 1],
      [1999, 12, 31],
      [2000, 2, 29],
      [2000, 3, 1],
      [2023, 2, 28],
      [2024, 2, 29],
      [2024, 12, 31],
      [2100, 2, 28],
      [2100, 3, 1],
      [2400, 2, 29],
      [9999, 12, 31],
    ];
    for (const [year, month, day] of dates) {
      expect(calendarToSerial({ year, month, day }), `${year}-${month}-${day}`).toBe(serialFromDateUtc(year, month, day));
    }
    // 2100-02-28 and 2100-03-01 are consecutive because 2100 is not a leap year.
    expect(calendarToSerial({ year: 2100, month: 3, day: 1 }) - calendarToSerial({ year: 2100, month: 2, day: 28 })).toBe(1);
    expect(calendarToSerial({ year: 2000, month: 3, day: 1 }) - calendarToSerial({ year: 2000, month: 2, day: 28 })).toBe(2);
  });

  it("agrees with Date.UTC for every 997th serial from 61 on", () => {
    const disagreements: number[] = [];
    for (let serial = 61; serial <= MAX_SERIAL; serial += 997) {
      const expected = calendarFromDateUtc(serial);
      const actual = serialToCalendar(serial);
      if (actual.year !== expected.year || actual.month !== expected.month || actual.day !== expected.day) {
        disagreements.push(serial);
      }
    }
    expect(disagreements).toEqual([]);
  });

  const invalid: [string, CalendarDate, RegExp][] = [
    ["2023-02-29 (2023 is not a leap year)", { year: 2023, month: 2, day: 29 }, /February 2023 has 28 days/],
    ["2100-02-29 (2100 is not a leap year)", { year: 2100, month: 2, day: 29 }, /February 2100 has 28 days/],
    ["1901-02-29", { year: 1901, month: 2, day: 29 }, /February 1901 has 28 days/],
    ["2024-04-31", { year: 2024, month: 4, day: 31 }, /April 2024 has 30 days/],
    ["month 13", { year: 2024, month: 13, day: 1 }, /month 13 must be 1 to 12/],
    ["month 0", { year: 2024, month: 0, day: 1 }, /month 0 must be 1 to 12/],
    ["day 0", { year: 2024, month: 1, day: 0 }, /day 0 must be 1 or more/],
    ["year 1899", { year: 1899, month: 12, day: 31 }, /year 1899 is outside Excel's dates \(1900 to 9999\)/],
    ["year 10000", { year: 10000, month: 1, day: 1 }, /year 10000 is outside/],
    ["a fractional day", { year: 2024, month: 1, day: 1.5 }, /whole numbers, got year 2024, month 1, day 1.5/],
    ["a NaN month", { year: 2024, month: Number.NaN, day: 1 }, /whole numbers/],
  ];
  it.each(invalid)("rejects %s with INVALID_INPUT", (_name, date, message) => {
    const error = engineErrorOf(() => calendarToSerial(date));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toMatch(/^calendarToSerial: /);
    expect(error.message).toMatch(message);
  });

  it("names the invalid date in ISO form", () => {
    expect(engineErrorOf(() => calendarToSerial({ year: 2023, month: 2, day: 29 })).message).toBe(
      "calendarToSerial: 2023-02-29 is not a valid date: February 2023 has 28 days",
    );
  });
});

describe("serialToEpochDay and epochDayToSerial", () => {
  it("maps the check serials to days since 1970-01-01", () => {
    expect(serialToEpochDay(25569)).toBe(0);
    expect(serialToEpochDay(45322)).toBe(45322 - 25569);
    expect(serialToEpochDay(61)).toBe(-25508);
    expect(serialToEpochDay(59)).toBe(-25509);
    expect(serialToEpochDay(1)).toBe(-25567);
  });

  it("counts 1900-02-28 to 1900-03-01 as one real day, not two as serials do", () => {
    expect(serialToEpochDay(61) - serialToEpochDay(59)).toBe(1);
  });

  it("keeps the time of day as the fraction", () => {
    expect(serialToEpochDay(45322.25)).toBeCloseTo(19753.25, 12);
    expect(serialToEpochDay(59.5)).toBeCloseTo(-25508.5, 12);
  });

  it("matches Date.UTC: epoch day × 86 400 000 is the UTC timestamp", () => {
    for (const [year, month, day] of [
      [2000, 2, 29],
      [2100, 3, 1],
      [1900, 3, 1],
      [1900, 1, 1],
      [1900, 2, 28],
    ] as const) {
      const epochDay = serialToEpochDay(calendarToSerial({ year, month, day }));
      expect(epochDay * MS_PER_DAY, `${year}-${month}-${day}`).toBe(Date.UTC(year, month - 1, day));
    }
  });

  it.each([60, 60.5, 60.999])("rejects serial %s: 29 February 1900 exists only in Excel", (serial) => {
    const error = engineErrorOf(() => serialToEpochDay(serial));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toMatch(/^serialToEpochDay: .*29 February 1900.*exists only in Excel's 1900 date system/);
  });

  it.each([0, MAX_SERIAL + 1, Number.NaN])("rejects out-of-range serial %s", (serial) => {
    expect(engineErrorOf(() => serialToEpochDay(serial)).code).toBe("INVALID_INPUT");
  });

  it("round-trips every real day (skipping serial 60), with and without a time of day", () => {
    let mismatches = 0;
    for (let serial = 1; serial <= MAX_SERIAL; serial += serial < 100 ? 1 : 37) {
      if (serial === 60) continue;
      if (epochDayToSerial(serialToEpochDay(serial)) !== serial) mismatches++;
      const withTime = serial + 0.375;
      if (Math.abs(epochDayToSerial(serialToEpochDay(withTime)) - withTime) > 1e-9) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(epochDayToSerial(serialToEpochDay(MAX_SERIAL))).toBe(MAX_SERIAL);
  });

  it("never returns serial 60: the day after 1900-02-28 is serial 61", () => {
    expect(epochDayToSerial(-25509)).toBe(59);
    expect(epochDayToSerial(-25508)).toBe(61);
    expect(epochDayToSerial(-25508.5)).toBeCloseTo(59.5, 12);
    expect(epochDayToSerial(-25567)).toBe(1);
  });

  it.each([-25568, 2932897, Number.NaN, Number.POSITIVE_INFINITY])("rejects epoch day %s", (epochDay) => {
    const error = engineErrorOf(() => epochDayToSerial(epochDay));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toMatch(/^epochDayToSerial: /);
  });
});

describe("formatSerial", () => {
  it.each([
    [45322, "2024-01-31"],
    [1, "1900-01-01"],
    [60, "1900-02-29"],
    [MAX_SERIAL, "9999-12-31"],
    [45322 + 10.5 / 24, "2024-01-31 10:30"],
    [45322 + (10 * 3600 + 30 * 60 + 15) / 86400, "2024-01-31 10:30:15"],
    [45322 + (10 * 3600 + 30 * 60 + 15.25) / 86400, "2024-01-31 10:30:15.250"],
    [45322.1, "2024-01-31 02:24"],
    [45322 + 0.9999999999, "2024-02-01"],
    [MAX_SERIAL + 0.999999999, "9999-12-31 23:59:59.999"],
  ])("formats %s as %s", (serial, text) => {
    expect(formatSerial(serial)).toBe(text);
  });

  it("rejects an out-of-range serial", () => {
    expect(engineErrorOf(() => formatSerial(0)).message).toMatch(/^formatSerial: 0 is not a date serial/);
  });
});

describe("parseDateText: accepted formats", () => {
  const date = 45322; // 2024-01-31
  const cases: [string, number][] = [
    ["2024-01-31", date],
    ["2024/01/31", date],
    ["  2024-01-31  ", date],
    ["2024-1-5", calendarToSerial({ year: 2024, month: 1, day: 5 })],
    ["2024/1/5", calendarToSerial({ year: 2024, month: 1, day: 5 })],
    ["1900-02-29", 60],
    ["9999-12-31", MAX_SERIAL],
    ["2024-01-31T10:30", date + 10.5 / 24],
    ["2024-01-31 10:30", date + 10.5 / 24],
    ["2024-01-31t10:30", date + 10.5 / 24],
    ["2024-01-31 9:05", date + (9 * 60 + 5) / 1440],
    ["2024/01/31 10:30:15", date + (10 * 3600 + 30 * 60 + 15) / 86400],
    ["2024-01-31T10:30:15.250", date + (10 * 3600 + 30 * 60 + 15.25) / 86400],
    ["2024-01-31T10:30:15.123456", date + (10 * 3600 + 30 * 60 + 15.123) / 86400],
    ["2024-01-31T00:00:00Z", date],
    ["2024-01-31T23:30:00z", date + 23.5 / 24],
    ["2024-01-31T23:30:00+02:00", date + 23.5 / 24],
    ["2024-01-31T23:30-05:00", date + 23.5 / 24],
    ["2024-01-31T23:30:00+0530", date + 23.5 / 24],
    ["2024-01-31T23:30:00+01", date + 23.5 / 24],
    ["2024-01-31 23:30 +01:00", date + 23.5 / 24],
    ["2024-01-31T23:59:59.9999", date + (86400 - 0.001) / 86400],
  ];
  it.each(cases)("reads %j", (text, serial) => {
    const parsed = parseDateText(text);
    expect(parsed).not.toBeNull();
    expect(Math.abs((parsed as number) - serial)).toBeLessThanOrEqual(TIME_TOLERANCE_DAYS);
  });

  it("keeps the written wall-clock time and ignores the offset", () => {
    expect(parseDateText("2024-01-31T23:30:00+02:00")).toBe(parseDateText("2024-01-31T23:30:00Z"));
    expect(formatSerial(parseDateText("2024-01-31T23:30:00-11:00") as number)).toBe("2024-01-31 23:30");
  });
});

describe("parseDateText: rejections", () => {
  it.each(["", "   ", "abc", "soon", "2024", "20240131", "2024-01", "2024.01.31", "Jan 31 2024", "31 Jan 2024", "45322", "10:30", "2024-01-31Z", "2024-01-31T10", "2024-01-31 10:30 UTC", "2024-01/31", "024-01-31", "2024-001-31"])(
    "returns null for %j, which is not a date",
    (text) => {
      expect(parseDateText(text)).toBeNull();
    },
  );

  const impossible: [string, string][] = [
    ["2023-02-30", 'parseDateText: "2023-02-30" is not a valid date: February 2023 has 28 days'],
    ["2023-02-29", 'parseDateText: "2023-02-29" is not a valid date: February 2023 has 28 days'],
    ["2100-02-29", 'parseDateText: "2100-02-29" is not a valid date: February 2100 has 28 days'],
    ["2024-13-01", 'parseDateText: "2024-13-01" is not a valid date: month 13 must be 1 to 12'],
    ["2024-00-10", 'parseDateText: "2024-00-10" is not a valid date: month 0 must be 1 to 12'],
    ["2024-01-00", 'parseDateText: "2024-01-00" is not a valid date: day 0 must be 1 or more'],
    ["2024-06-31", 'parseDateText: "2024-06-31" is not a valid date: June 2024 has 30 days'],
    ["1899-12-31", `parseDateText: "1899-12-31" is not a valid date: year 1899 is outside Excel's dates (1900 to 9999)`],
    ["2024-01-31 25:00", 'parseDateText: "2024-01-31 25:00" is not a valid time: hour 25 must be 0 to 23'],
    ["2024-01-31 24:00", 'parseDateText: "2024-01-31 24:00" is not a valid time: hour 24 must be 0 to 23'],
    ["2024-01-31 10:60", 'parseDateText: "2024-01-31 10:60" is not a valid time: minute 60 must be 0 to 59'],
    ["2024-01-31 10:30:60", 'parseDateText: "2024-01-31 10:30:60" is not a valid time: second 60 must be 0 to 59'],
    ["2024-01-31T10:30+25:00", 'parseDateText: "2024-01-31T10:30+25:00" is not a valid time: time zone offset +25:00 does not exist'],
    ["2024-01-31T10:30+01:75", 'parseDateText: "2024-01-31T10:30+01:75" is not a valid time: time zone offset +01:75 does not exist'],
  ];
  it.each(impossible)("throws INVALID_INPUT for the impossible %j", (text, message) => {
    const error = engineErrorOf(() => parseDateText(text));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toBe(message);
  });

  it.each(["31/01/2024", "01/02/2024", "1/2/2024", "01-02-2024", "31.01.2024", "01/02/24", "31/01/2024 10:30", " 12/11/2023 "])(
    "throws INVALID_INPUT for the day/month-first %j, saying the order is ambiguous",
    (text) => {
      const error = engineErrorOf(() => parseDateText(text));
      expect(error.code).toBe("INVALID_INPUT");
      expect(error.message).toBe(
        `parseDateText: "${text.trim()}" is ambiguous: its day/month order depends on regional settings; use text like 2024-01-31 or a date cell`,
      );
    },
  );
});
