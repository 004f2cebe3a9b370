/**
 * Excel's 1900 date system: serial numbers <-> calendar dates, epoch days, date text.
 *
 * Excel stores a date as a serial number of days: serial 1 is 1900-01-01 and the fraction is the time
 * of day. Excel (copying Lotus 1-2-3) treats 1900 as a leap year, so serial 60 is 1900-02-29, a day that
 * never existed. Serials 1..59 are therefore one day "late" against a real calendar and serials from
 * 61 on are right; all conversions here handle that single fake day explicitly.
 *
 * Glossary:
 * - serial: Excel date serial, 1900 date system; valid when its floor is in [1, MAX_SERIAL].
 * - epoch day: days since 1970-01-01 (proleptic Gregorian, UTC), fraction kept; the unit in which
 *   date differences are real day counts.
 *
 * Errors are EngineError INVALID_INPUT whose message starts with the function name, e.g.
 * `parseDateText: "2023-02-30" is not a valid date: February 2023 has 28 days`; the cell coercion in
 * `cells.ts` (and `locateError` in src/functions) swaps that prefix for the argument and row.
 *
 * References: Microsoft, "Excel incorrectly assumes that the year 1900 is a leap year" (KB 214326);
 * H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" (days_from_civil / civil_from_days).
 */

import { EngineError } from "../errors";

/** A day of the proleptic Gregorian calendar as people write it. */
export interface CalendarDate {
  /** Four-digit year, 1900..9999 for Excel. */
  year: number;
  /** Month, 1 (January) to 12 (December). */
  month: number;
  /** Day of the month, 1 to 31. */
  day: number;
}

/** The last serial Excel accepts: 9999-12-31. */
export const MAX_SERIAL = 2958465;

/** Serial of 1970-01-01: the offset between serials (from 61 on) and epoch days. */
const UNIX_EPOCH_SERIAL = 25569;
/** Excel's fake 1900-02-29. */
const FAKE_LEAP_DAY_SERIAL = 60;
/** Epoch day of 1900-03-01 (serial 61): the first day on which serial − 25569 is right. */
const EPOCH_DAY_OF_SERIAL_61 = 61 - UNIX_EPOCH_SERIAL;
const MS_PER_DAY = 86_400_000;
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function fail(functionName: string, problem: string): EngineError {
  return new EngineError("INVALID_INPUT", `${functionName}: ${problem}`);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month of the real calendar, except that February 1900 has 29 days as in Excel. */
function daysInExcelMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) || year === 1900 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(value: number, width: number): string {
  return value < 0 ? `-${String(-value).padStart(width, "0")}` : String(value).padStart(width, "0");
}

function isoDate(date: CalendarDate): string {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** Why whole-number calendar fields are not an Excel date, or null when they are one. */
function calendarProblem(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 9999) return `year ${year} is outside Excel's dates (1900 to 9999)`;
  if (month < 1 || month > 12) return `month ${month} must be 1 to 12`;
  const days = daysInExcelMonth(year, month);
  if (day < 1 || day > days) {
    return day < 1 ? `day ${day} must be 1 or more` : `${MONTH_NAMES[month - 1]} ${year} has ${days} days`;
  }
  return null;
}

/** Epoch day of a real calendar date (Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Real calendar date of an integer epoch day (Hinnant's civil_from_days). */
function civilFromDays(epochDay: number): CalendarDate {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** True when `serial` is a finite number whose day (floor) is in [1, MAX_SERIAL]. */
function isValidSerial(serial: number): boolean {
  return Number.isFinite(serial) && serial >= 1 && serial < MAX_SERIAL + 1;
}

function checkSerial(serial: number, functionName: string): void {
  if (!isValidSerial(serial)) {
    throw fail(
      functionName,
      `${String(serial)} is not a date serial; Excel dates run from 1 (1900-01-01) to ${MAX_SERIAL} (9999-12-31)`,
    );
  }
}

/**
 * Calendar date of an Excel date serial (the time of day is dropped).
 *
 * Serial 60 gives 1900-02-29, the day Excel invented, so that what is shown matches Excel.
 *
 * @param serial Excel serial, 1900 date system; its floor must be in [1, MAX_SERIAL]
 *   (e.g. 2958465.75 is 9999-12-31 18:00 and is valid).
 * @returns the calendar date of `Math.floor(serial)`.
 * @throws EngineError INVALID_INPUT when `serial` is not finite or its floor is outside [1, MAX_SERIAL].
 */
export function serialToCalendar(serial: number): CalendarDate {
  checkSerial(serial, "serialToCalendar");
  const day = Math.floor(serial);
  if (day === FAKE_LEAP_DAY_SERIAL) return { year: 1900, month: 2, day: 29 };
  return civilFromDays(day < FAKE_LEAP_DAY_SERIAL ? day - UNIX_EPOCH_SERIAL + 1 : day - UNIX_EPOCH_SERIAL);
}

/**
 * Excel date serial of a calendar date: the inverse of {@link serialToCalendar}.
 *
 * @param date year 1900..9999, month 1..12, day valid for that month; 1900-02-29 is accepted and
 *   gives 60, as in Excel.
 * @returns the integer serial in [1, MAX_SERIAL].
 * @throws EngineError INVALID_INPUT when a field is not a whole number or the date does not exist
 *   (2023-02-29, month 13, day 0) or is outside 1900..9999.
 */
export function calendarToSerial(date: CalendarDate): number {
  const { year, month, day } = date;
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) {
    throw fail(
      "calendarToSerial",
      `year, month and day must be whole numbers, got year ${String(year)}, month ${String(month)}, day ${String(day)}`,
    );
  }
  const problem = calendarProblem(year, month, day);
  if (problem !== null) throw fail("calendarToSerial", `${isoDate(date)} is not a valid date: ${problem}`);
  if (year === 1900 && month === 2 && day === 29) return FAKE_LEAP_DAY_SERIAL;
  const epochDay = daysFromCivil(year, month, day);
  return epochDay >= EPOCH_DAY_OF_SERIAL_61 ? epochDay + UNIX_EPOCH_SERIAL : epochDay + UNIX_EPOCH_SERIAL - 1;
}

/**
 * Days since 1970-01-01 of an Excel date serial, keeping the time of day as the fraction.
 *
 * Use it before subtracting dates that may straddle March 1900: serial differences across Excel's
 * fake 1900-02-29 are one day too long, epoch-day differences are right.
 *
 * @param serial Excel serial, 1900 date system; floor in [1, MAX_SERIAL], not 60.
 * @returns epoch days (may be negative and fractional): serial − 25569 from serial 61 on,
 *   serial − 25568 for serials 1..59.
 * @throws EngineError INVALID_INPUT when `serial` is out of range, or its floor is 60 (29 February
 *   1900 exists only in Excel's 1900 date system, not in the real calendar).
 */
export function serialToEpochDay(serial: number): number {
  checkSerial(serial, "serialToEpochDay");
  if (serial >= FAKE_LEAP_DAY_SERIAL + 1) return serial - UNIX_EPOCH_SERIAL;
  if (serial < FAKE_LEAP_DAY_SERIAL) return serial - UNIX_EPOCH_SERIAL + 1;
  throw fail(
    "serialToEpochDay",
    `${String(serial)} is 29 February 1900, a day that exists only in Excel's 1900 date system (1900 was not a leap year); use a real date`,
  );
}

/**
 * Excel date serial of a day count since 1970-01-01: the inverse of {@link serialToEpochDay}.
 *
 * @param epochDay days since 1970-01-01, fraction = time of day; between −25567 (1900-01-01) and
 *   2932896 (9999-12-31) inclusive of that last day.
 * @returns the serial, never in [60, 61): the real calendar has no 1900-02-29.
 * @throws EngineError INVALID_INPUT when `epochDay` is not finite or falls outside Excel's dates.
 */
export function epochDayToSerial(epochDay: number): number {
  if (!Number.isFinite(epochDay)) throw fail("epochDayToSerial", `${String(epochDay)} is not a finite day count`);
  const serial = epochDay >= EPOCH_DAY_OF_SERIAL_61 ? epochDay + UNIX_EPOCH_SERIAL : epochDay + UNIX_EPOCH_SERIAL - 1;
  if (!isValidSerial(serial)) {
    throw fail(
      "epochDayToSerial",
      `day ${String(epochDay)} since 1970-01-01 is outside Excel's dates (1900-01-01 to 9999-12-31)`,
    );
  }
  return serial;
}

/**
 * Text for a serial as used in messages: `2024-01-31`, `2024-01-31 10:30`, `2024-01-31 10:30:15`
 * or `2024-01-31 10:30:15.250`, showing only as much of the time as is not zero.
 *
 * The time is rounded to the millisecond; a time that rounds up to midnight moves to the next day
 * (except on 9999-12-31, which shows 23:59:59.999).
 *
 * @param serial Excel serial, 1900 date system; floor in [1, MAX_SERIAL].
 * @returns ISO-style text of the date and wall-clock time.
 * @throws EngineError INVALID_INPUT when `serial` is out of range.
 */
export function formatSerial(serial: number): string {
  checkSerial(serial, "formatSerial");
  let day = Math.floor(serial);
  let ms = Math.round((serial - day) * MS_PER_DAY);
  if (ms >= MS_PER_DAY) {
    if (day < MAX_SERIAL) {
      day += 1;
      ms = 0;
    } else {
      ms = MS_PER_DAY - 1;
    }
  }
  const date = isoDate(serialToCalendar(day));
  if (ms === 0) return date;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const seconds = Math.floor(ms / 1000) % 60;
  const millis = ms % 1000;
  let time = `${pad(hours, 2)}:${pad(minutes, 2)}`;
  if (seconds !== 0 || millis !== 0) time += `:${pad(seconds, 2)}`;
  if (millis !== 0) time += `.${pad(millis, 3)}`;
  return `${date} ${time}`;
}

// Year first: YYYY-MM-DD or YYYY/MM/DD (one-digit month/day allowed, the order is unambiguous),
// then an optional time and an optional Z / ±HH:MM / ±HHMM / ±HH offset.
const YEAR_FIRST =
  /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:\s*(Z|[+-]\d{2}(?::?\d{2})?))?)?$/i;
// Day/month first with any common separator, e.g. 31/01/2024, 01/02/24, 31.01.2024 10:00.
const DAY_OR_MONTH_FIRST = /^\d{1,2}([-/.])\d{1,2}\1(?:\d{2}|\d{4})(?:(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/i;

/**
 * Excel date serial of date text such as `2024-01-31`, or null when the text is not a date at all.
 *
 * Recognised (leading and trailing spaces allowed): `YYYY-MM-DD` or `YYYY/MM/DD` (month and day may
 * have one digit), optionally followed by `T` or spaces and `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff`
 * (any number of fraction digits, kept to the millisecond), optionally followed by `Z` or an offset
 * `±HH:MM` / `±HHMM` / `±HH`. The offset is checked but otherwise IGNORED: the wall-clock date and
 * time as written are returned, because Excel itself has no time zones and a user who writes
 * `2024-01-31T23:30+02:00` means the 31st, not the UTC day.
 *
 * Day-first or month-first text (`31/01/2024`, `01/02/2024`, `31.01.2024`, `01-02-24`) is never
 * guessed: its meaning depends on regional settings, so it throws INVALID_INPUT saying the day/month
 * order is ambiguous (a caller never gets null for it).
 *
 * @param text cell text; any string.
 * @returns the serial (fraction = time of day), or null when the text does not look like a date.
 * @throws EngineError INVALID_INPUT when the text has a recognised date shape but an impossible value
 *   (`2023-02-30`, `2024-13-01`, `1899-12-31`, `25:00`, offset `+25:00`), or is day/month-first text.
 */
export function parseDateText(text: string): number | null {
  const trimmed = text.trim();
  const match = YEAR_FIRST.exec(trimmed);
  if (match === null) {
    if (DAY_OR_MONTH_FIRST.test(trimmed)) {
      throw fail(
        "parseDateText",
        `"${trimmed}" is ambiguous: its day/month order depends on regional settings; use text like 2024-01-31 or a date cell`,
      );
    }
    return null;
  }
  const [, yearText, , monthText, dayText, hourText, minuteText, secondText, fractionText, offsetText] = match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const dateProblem = calendarProblem(year, month, day);
  if (dateProblem !== null) throw fail("parseDateText", `"${trimmed}" is not a valid date: ${dateProblem}`);
  const serial = calendarToSerial({ year, month, day });
  if (hourText === undefined) return serial;

  const hours = Number(hourText);
  const minutes = Number(minuteText);
  const seconds = secondText === undefined ? 0 : Number(secondText);
  // Only milliseconds are kept: more digits would promise a precision the serial cannot hold.
  const millis = fractionText === undefined ? 0 : Math.round(Number(`0.${fractionText}`) * 1000);
  let timeProblem: string | null = null;
  if (hours > 23) timeProblem = `hour ${hours} must be 0 to 23`;
  else if (minutes > 59) timeProblem = `minute ${minutes} must be 0 to 59`;
  else if (seconds > 59) timeProblem = `second ${seconds} must be 0 to 59`;
  else if (offsetText !== undefined && offsetText.toUpperCase() !== "Z") {
    const offsetHours = Number(offsetText.slice(1, 3));
    const offsetMinutes = offsetText.length > 3 ? Number(offsetText.slice(-2)) : 0;
    if (offsetHours > 23 || offsetMinutes > 59) timeProblem = `time zone offset ${offsetText} does not exist`;
  }
  if (timeProblem !== null) throw fail("parseDateText", `"${trimmed}" is not a valid time: ${timeProblem}`);
  // A fraction like .9999 rounds to 1000 ms; keep it inside the day rather than spill into the next.
  const ms = Math.min(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis, MS_PER_DAY - 1);
  return serial + ms / MS_PER_DAY;
}
