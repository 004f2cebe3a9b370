/**
 * Text in imported data, read by column rather than by cell: day-first or month-first date text,
 * dates stored as yyyymmdd numbers, and money written as text ("$1,458.30", "1.458,30 €",
 * "(1,234.50)"). One cell alone often cannot say what it means ("03/04/2023", "1,234"); its column
 * usually can, as soon as one value shows the convention ("31/01/2023", "1,234.50").
 *
 * Used by the runner's workbook reading ({@link businessDataOf} in detect.ts) before the builders
 * see the columns. The custom functions keep the engine's strict per-cell rules
 * (src/engine/data/cells.ts): a formula's argument has no column to learn from.
 *
 * What is not recognised is left as it is, so the engine still reports it with its row. Excel date
 * serials and real numbers pass unchanged.
 */

import { EngineError } from "../engine/errors";
import { calendarToSerial, formatSerial } from "../engine/data/dates";

/** Order of day and month in date text: 31/01/2023 is "dmy", 01/31/2023 is "mdy". */
export type DateOrder = "dmy" | "mdy";
/** The decimal mark of money text: "." in 1,234.50, "," in 1.234,50. */
export type DecimalMark = "." | ",";

/** Where a column is, for messages and notes. */
export interface ColumnPlace {
  readonly sheet: string;
  /** The header as the user typed it. */
  readonly header: string;
  /** Column letters, e.g. "B". */
  readonly letters: string;
  /** Excel row number of each cell of the column. */
  readonly rows: readonly number[];
}

/** A column read: the cells with recognised text replaced by numbers, and what was done, in words. */
export interface ColumnReading {
  readonly values: unknown[];
  readonly notes: string[];
  /** The one currency the money text names ("€", "EUR", "$"), when it names exactly one. */
  readonly currency?: string;
}

function where(place: ColumnPlace): string {
  return `Sheet "${place.sheet}", column ${place.header || "(no header)"} (${place.letters})`;
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}

// Day/month first, with any of / . - and an optional time (24-hour, or 12-hour with AM/PM).
const DAY_MONTH_TEXT = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;

interface DayMonthText {
  readonly first: number;
  readonly second: number;
  readonly year: number;
  /** Fraction of the day. */
  readonly time: number;
}

function dayMonthText(text: string): DayMonthText | null {
  const match = DAY_MONTH_TEXT.exec(text.trim());
  if (match === null) return null;
  const [, first, , second, yearText, hourText, minuteText, secondText, meridiem] = match;
  // Two-digit years as Excel reads them: 00-29 are 2000-2029, 30-99 are 1930-1999.
  const year = yearText.length === 4 ? Number(yearText) : Number(yearText) + (Number(yearText) < 30 ? 2000 : 1900);
  const time = timeFraction(hourText, minuteText, secondText, meridiem);
  if (time === null) return null;
  return { first: Number(first), second: Number(second), year, time };
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const TIME = "(?:(?:\\s+|T)(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*([AaPp][Mm])?)?";
// 1-Dec-2010, 01 Dec 10, 1. December 2010 (day first); Dec 1, 2010, December 1 2010 (month first).
const DAY_MONTH_NAME = new RegExp(`^(\\d{1,2})\\.?[-\\s/]([A-Za-z]{3,9})\\.?[-\\s/,]+(\\d{4}|\\d{2})${TIME}$`);
const MONTH_NAME_DAY = new RegExp(`^([A-Za-z]{3,9})\\.?\\s+(\\d{1,2}),?\\s+(\\d{4})${TIME}$`);

/** Fraction of the day of a matched time, 0 without one, or null when it is not a time. */
function timeFraction(hourText: string | undefined, minuteText: string | undefined, secondText: string | undefined, meridiem: string | undefined): number | null {
  if (hourText === undefined) return 0;
  let hours = Number(hourText);
  const minutes = Number(minuteText);
  const seconds = secondText === undefined ? 0 : Number(secondText);
  if (meridiem !== undefined) {
    if (hours < 1 || hours > 12) return null;
    hours = (hours % 12) + (meridiem.toLowerCase() === "pm" ? 12 : 0);
  }
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  return (hours * 3600 + minutes * 60 + seconds) / 86_400;
}

function monthNumber(name: string): number {
  const lower = name.toLowerCase();
  const index = MONTHS.indexOf(lower.slice(0, 3));
  // "Sept" and full names are fine; "Decoy" is not a month.
  const full = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"][index];
  return index >= 0 && (lower.length === 3 || lower === "sept" || lower === full) ? index + 1 : -1;
}

/** Serial of date text with an English month name (1-Dec-2010, Dec 1, 2010 8:26), or null. */
function monthNameSerial(text: string): number | null {
  const trimmed = text.trim();
  let match = DAY_MONTH_NAME.exec(trimmed);
  let day: number, month: number, year: number;
  if (match !== null) {
    [day, month, year] = [Number(match[1]), monthNumber(match[2]), Number(match[3])];
  } else {
    match = MONTH_NAME_DAY.exec(trimmed);
    if (match === null) return null;
    [day, month, year] = [Number(match[2]), monthNumber(match[1]), Number(match[3])];
  }
  if (month < 0) return null;
  if (match[3].length === 2) year += year < 30 ? 2000 : 1900;
  const time = timeFraction(match[4], match[5], match[6], match[7]);
  const serial = serialOf(year, month, day);
  return serial === null || time === null ? null : serial + time;
}

function serialOf(year: number, month: number, day: number): number | null {
  try {
    return calendarToSerial({ year, month, day });
  } catch {
    return null;
  }
}

/** Serial of a yyyymmdd number or digit text (19970101), or null when it is not one. */
function yyyymmddSerial(value: unknown): number | null {
  const text = typeof value === "number" ? (Number.isInteger(value) ? String(value) : "") : typeof value === "string" ? value.trim() : "";
  if (!/^\d{8}$/.test(text)) return null;
  const year = Number(text.slice(0, 4));
  if (year < 1900) return null;
  return serialOf(year, Number(text.slice(4, 6)), Number(text.slice(6, 8)));
}

const ISO_DATE_TEXT = /^\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:[\sT].*)?$/;

/**
 * An Excel date serial written as text, as a spreadsheet exports an unformatted date column to CSV:
 * five digits (10000 to 99999: 1927-05-18 to 2173-10-14), a fraction for the time of day.
 */
const SERIAL_TEXT = /^\d{5}(?:\.\d+)?$/;

/** True when a cell is a date written as text or a yyyymmdd number (for reading roles from content). */
export function looksLikeDateText(value: unknown): boolean {
  if (typeof value === "number") return yyyymmddSerial(value) !== null;
  if (typeof value !== "string") return false;
  const text = value.trim();
  return ISO_DATE_TEXT.test(text) || yyyymmddSerial(text) !== null || dayMonthText(text) !== null || monthNameSerial(text) !== null;
}

/**
 * A column of dates: day/month-first text read in the column's one order, text with an English
 * month name (1-Dec-2010, Dec 1, 2010) read as it says, yyyymmdd numbers and Excel serials written as
 * text (44929) read as dates when every cell of the column is one; anything else unchanged.
 *
 * @param cells the column's cells, as read from the sheet.
 * @param place where the column is, for messages and notes.
 * @param order the order the user gave, or undefined to learn it from the column (a part above 12
 *   shows it).
 * @returns the cells, recognised dates as Excel serials, and notes in plain words.
 * @throws EngineError INVALID_INPUT naming sheet, column and rows when the order cannot be told
 *   (argument `date_order`), when two rows show different orders, or when a value does not fit the
 *   order given.
 */
export function readDateColumn(cells: readonly unknown[], place: ColumnPlace, order?: DateOrder): ColumnReading {
  const first = cells.findIndex((cell) => !isBlank(cell));
  if (first >= 0 && cells.every((cell) => isBlank(cell) || yyyymmddSerial(cell) !== null)) {
    const example = cells[first];
    return {
      values: cells.map((cell) => (isBlank(cell) ? cell : yyyymmddSerial(cell))),
      notes: [`dates in ${place.header} read from yyyymmdd numbers (${String(example).trim()} is ${formatSerial(yyyymmddSerial(example)!)})`],
    };
  }
  // Excel dates (numbers) need nothing: the common case, on columns of a million cells.
  if (!cells.some((cell) => typeof cell === "string")) return { values: [...cells], notes: [] };
  // Serials as text (a CSV of an unformatted date column): read when every cell is a serial.
  if (first >= 0 && cells.every((cell) => isBlank(cell) || typeof cell === "number" || (typeof cell === "string" && SERIAL_TEXT.test(cell.trim())))) {
    const textual = cells.findIndex((cell) => typeof cell === "string" && !isBlank(cell));
    const example = String(cells[textual]).trim();
    return {
      values: cells.map((cell) => (typeof cell === "string" && !isBlank(cell) ? Number(cell.trim()) : cell)),
      notes: [`dates in ${place.header} read from Excel date serials written as text (${example} is ${formatSerial(Math.floor(Number(example)))})`],
    };
  }
  // Month names say which part is the month: read them whatever the order of the other dates.
  const named: { first: number; count: number } = { first: -1, count: 0 };
  const withNames = cells.map((cell, i) => {
    const serial = typeof cell === "string" ? monthNameSerial(cell) : null;
    if (serial === null) return cell;
    if (named.first < 0) named.first = i;
    named.count++;
    return serial;
  });
  const nameNote = named.count === 0 ? [] : [`dates in ${place.header} read from text with month names (${String(cells[named.first]).trim()})`];
  const dayMonth = readDayMonthColumn(withNames, place, order);
  return { values: dayMonth.values, notes: [...nameNote, ...dayMonth.notes] };
}

/** The day/month-first text of a date column, read in the column's one order. */
function readDayMonthColumn(cells: readonly unknown[], place: ColumnPlace, order: DateOrder | undefined): ColumnReading {
  const parsed: (DayMonthText | null)[] = cells.map((cell) => (typeof cell === "string" ? dayMonthText(cell) : null));
  let dmyShown = -1;
  let mdyShown = -1;
  let firstAmbiguous = -1;
  parsed.forEach((date, i) => {
    if (date === null) return;
    if (date.first > 12 && date.second <= 12 && dmyShown < 0) dmyShown = i;
    else if (date.second > 12 && date.first <= 12 && mdyShown < 0) mdyShown = i;
    else if (date.first <= 12 && date.second <= 12 && firstAmbiguous < 0) firstAmbiguous = i;
  });
  if (dmyShown < 0 && mdyShown < 0 && firstAmbiguous < 0) return { values: [...cells], notes: [] };
  const shown = (i: number): string => `${String(cells[i]).trim()} (row ${place.rows[i]})`;
  let chosen: DateOrder;
  let note: string;
  if (order !== undefined) {
    chosen = order;
    note = `dates in ${place.header} read ${order === "dmy" ? "day-first" : "month-first"}, as asked`;
  } else if (dmyShown >= 0 && mdyShown >= 0) {
    throw new EngineError(
      "INVALID_INPUT",
      `${where(place)}: ${shown(dmyShown)} is day-first but ${shown(mdyShown)} is month-first; make the column one date order`,
    );
  } else if (dmyShown >= 0 || mdyShown >= 0) {
    chosen = dmyShown >= 0 ? "dmy" : "mdy";
    const example = String(cells[dmyShown >= 0 ? dmyShown : mdyShown]).trim();
    note = `dates in ${place.header} read ${chosen === "dmy" ? "day-first" : "month-first"} (${example} shows it)`;
  } else {
    throw new EngineError(
      "INVALID_INPUT",
      `${where(place)}: dates like ${shown(firstAmbiguous)} could be day-first or month-first, and no date in the column has a day above 12 to show which`,
      { argument: "date_order" },
    );
  }
  const values = cells.map((cell, i) => {
    const date = parsed[i];
    if (date === null) return cell;
    const [day, month] = chosen === "dmy" ? [date.first, date.second] : [date.second, date.first];
    const serial = serialOf(date.year, month, day);
    if (serial === null) {
      throw new EngineError(
        "INVALID_INPUT",
        `${where(place)}, row ${place.rows[i]}: "${String(cell).trim()}" is not a ${chosen === "dmy" ? "day-first" : "month-first"} date like the rest of the column`,
        { argument: order === undefined ? undefined : "date_order" },
      );
    }
    return serial + date.time;
  });
  return { values, notes: [note] };
}

/** Currency symbols written before or after an amount (the `--from` route reads money text by the same list). */
export const CURRENCY_SYMBOLS: readonly string[] = ["US$", "R$", "A$", "C$", "$", "€", "£", "¥", "₹", "₽", "₩", "₺", "₴", "₪", "฿", "₫", "₦", "zł", "kr", "Kč", "Ft", "lei", "руб.", "руб", "р.", "CHF"];
/** ISO 4217 codes people write beside amounts and in headers ("Amount EUR", "USD 12.00"). */
export const CURRENCY_CODES: ReadonlySet<string> = new Set(
  "EUR USD GBP CHF JPY CNY RMB INR RUB RON PLN CZK HUF SEK NOK DKK ISK BGN CAD AUD NZD BRL MXN ARS CLP COP ZAR TRY UAH ILS KRW SGD HKD TWD THB MYR IDR PHP VND AED SAR EGP NGN KES".split(" "),
);
// What the engine reads as a number alone (cells.ts): plain decimal notation.
const ENGINE_NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
const SPACES = /[\s\u00a0\u202f\u2009]+/g;

interface MoneyText {
  /** "." or "," when the text shows its decimal mark, "ambiguous" for 1,234 or 1.234, "plain" for digits only. */
  readonly shows: DecimalMark | "ambiguous" | "plain";
  readonly body: string;
  readonly negative: boolean;
  readonly currency: string | null;
  readonly bracketed: boolean;
}

/** Money text taken apart, or null when the text is not an amount. */
function moneyText(raw: string): MoneyText | null {
  let text = raw.trim();
  let negative = false;
  let bracketed = false;
  if (/^\(.*\)$/.test(text)) {
    bracketed = negative = true;
    text = text.slice(1, -1).trim();
  }
  let currency: string | null = null;
  const takeCurrency = (): void => {
    for (const symbol of CURRENCY_SYMBOLS) {
      if (text.startsWith(symbol)) {
        currency ??= symbol;
        text = text.slice(symbol.length).trim();
      } else if (text.endsWith(symbol)) {
        currency ??= symbol;
        text = text.slice(0, text.length - symbol.length).trim();
      }
    }
    const code = /^([A-Z]{3})\s*|\s*([A-Z]{3})$/.exec(text);
    if (code !== null && CURRENCY_CODES.has(code[1] ?? code[2])) {
      currency ??= code[1] ?? code[2];
      text = text.replace(code[0], "").trim();
    }
  };
  takeCurrency();
  if (/^[-\u2212]/.test(text)) {
    negative = !negative;
    text = text.slice(1).trim();
  } else if (/[-\u2212]$/.test(text)) {
    negative = !negative;
    text = text.slice(0, -1).trim();
  } else if (text.startsWith("+")) text = text.slice(1).trim();
  takeCurrency();
  // Spaces and apostrophes group thousands (1 234,50; 1'234.50) only between groups of three digits.
  if (/^\d{1,3}(?:[\s\u00a0\u202f\u2009'’]\d{3})+(?:[.,]\d+)?$/.test(text)) text = text.replace(SPACES, "").replace(/['’]/g, "");
  if (text.length === 0) return null;
  const base = { body: text, negative, currency, bracketed };
  if (/^\d+$/.test(text)) return { ...base, shows: "plain" };
  for (const [mark, other] of [
    [".", ","],
    [",", "."],
  ] as const) {
    const m = mark === "." ? "\\." : ",";
    const o = other === "." ? "\\." : ",";
    // One mark: a decimal unless it could group thousands (1-3 digits, the mark, exactly 3 digits).
    if (new RegExp(`^\\d*${m}\\d+$`).test(text)) {
      const [whole, fraction] = text.split(mark);
      const couldGroup = whole.length >= 1 && whole.length <= 3 && whole !== "0" && fraction.length === 3;
      return { ...base, shows: couldGroup ? "ambiguous" : mark };
    }
    // The mark repeated between groups of three: it groups thousands, so the other is the decimal.
    if (new RegExp(`^\\d{1,3}(?:${m}\\d{3}){2,}$`).test(text)) return { ...base, shows: other };
    // Thousands groups, then the decimal: 1,234.50 or 1.234,50.
    if (new RegExp(`^\\d{1,3}(?:${o}\\d{3})+${m}\\d+$`).test(text)) return { ...base, shows: mark };
  }
  return null;
}

// 1.234 or -12.345: one to three digits (not a lone 0), a point, exactly three: thousands or a fraction.
const COULD_GROUP_TEXT = /^[+-]?(?!0\.)\d{1,3}\.\d{3}$/;

/** True for blank text and for number text the engine reads alone that no column could read otherwise. */
function isPlainNumberText(text: string): boolean {
  return text === "" || (ENGINE_NUMBER_TEXT.test(text) && !COULD_GROUP_TEXT.test(text));
}

function moneyValue(money: MoneyText, mark: DecimalMark): number {
  const body = mark === "." ? money.body.replace(/,/g, "") : money.body.replace(/\./g, "").replace(",", ".");
  const value = Number(body);
  return money.negative ? -value : value;
}

/**
 * A column of amounts: money text (currency symbol or code, thousands separators, decimal comma,
 * accounting brackets for negatives) read with the column's one decimal mark; anything else
 * unchanged.
 *
 * @param cells the column's cells, as read from the sheet.
 * @param place where the column is, for messages and notes.
 * @param decimal the decimal mark the user gave, or undefined to learn it from the column.
 * @returns the cells, recognised amounts as numbers, notes, and the currency when the text names one.
 * @throws EngineError INVALID_INPUT naming sheet, column and rows when the decimal mark cannot be told
 *   (argument `decimal`) or two rows show different marks.
 */
export function readMoneyColumn(cells: readonly unknown[], place: ColumnPlace, decimal?: DecimalMark): ColumnReading {
  if (!cells.some((cell) => typeof cell === "string")) return { values: [...cells], notes: [] };
  // Plain number text the engine reads alone, none of it shaped like thousands (1.234): nothing to
  // read, as the full pass below would find, without taking a million cells apart (a CSV file).
  if (cells.every((cell) => typeof cell !== "string" || isPlainNumberText(cell.trim()))) return { values: [...cells], notes: [] };
  const parsed: (MoneyText | null)[] = cells.map((cell) => (typeof cell === "string" && cell.trim() !== "" ? moneyText(cell) : null));
  let pointShown = -1;
  let commaShown = -1;
  let firstAmbiguous = -1;
  let needsReading = false;
  const currencies = new Set<string>();
  let bracketed = 0;
  parsed.forEach((money, i) => {
    if (money === null) return;
    if (money.shows === "." && pointShown < 0) pointShown = i;
    if (money.shows === "," && commaShown < 0) commaShown = i;
    if (money.shows === "ambiguous" && firstAmbiguous < 0) firstAmbiguous = i;
    if (money.currency !== null) currencies.add(money.currency);
    if (money.bracketed) bracketed++;
    // Plain number text the engine reads alone ("12.5", "40") needs nothing from the column, unless
    // it could group thousands ("1.234"): then the column must say which it is.
    if (money.shows === "ambiguous" || !ENGINE_NUMBER_TEXT.test(String(cells[i]).trim())) needsReading = true;
  });
  if (!needsReading) return { values: [...cells], notes: [] };
  const shown = (i: number): string => `${String(cells[i]).trim()} (row ${place.rows[i]})`;
  let mark: DecimalMark;
  const notes: string[] = [];
  const name = place.header;
  if (decimal !== undefined) {
    mark = decimal;
    const against = decimal === "." ? commaShown : pointShown;
    if (against >= 0) {
      throw new EngineError(
        "INVALID_INPUT",
        `${where(place)}, row ${place.rows[against]}: "${String(cells[against]).trim()}" has "${decimal === "." ? "," : "."}" as its decimal mark, not "${decimal}"`,
        { argument: "decimal" },
      );
    }
    notes.push(`amounts in ${name} read with "${decimal}" as the decimal mark, as asked`);
  } else if (pointShown >= 0 && commaShown >= 0) {
    throw new EngineError(
      "INVALID_INPUT",
      `${where(place)}: ${shown(pointShown)} has a decimal point but ${shown(commaShown)} a decimal comma; make the column one convention`,
    );
  } else if (pointShown >= 0 || commaShown >= 0) {
    mark = pointShown >= 0 ? "." : ",";
    const example = String(cells[pointShown >= 0 ? pointShown : commaShown]).trim();
    notes.push(`amounts in ${name} read from text with a decimal ${mark === "." ? "point" : "comma"} (${example} shows it)`);
  } else if (firstAmbiguous >= 0) {
    throw new EngineError(
      "INVALID_INPUT",
      `${where(place)}: amounts like ${shown(firstAmbiguous)} could be thousands or fractions, and no amount in the column shows which mark is the decimal one`,
      { argument: "decimal" },
    );
  } else {
    mark = ".";
    notes.push(`amounts in ${name} read from text`);
  }
  if (bracketed > 0) notes.push(`${bracketed} amount${bracketed === 1 ? "" : "s"} in brackets in ${name} read as negative`);
  const values = cells.map((cell, i) => (parsed[i] === null ? cell : moneyValue(parsed[i]!, mark)));
  const currency = currencies.size === 1 ? [...currencies][0] : undefined;
  return currency === undefined ? { values, notes } : { values, notes, currency };
}
