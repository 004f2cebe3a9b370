/**
 * Numbers and dates in the words of a tab's sentences, the same on every machine (no locale): dates
 * as "6 Dec 2026", shares as "41%", amounts with the data's currency when it is known.
 */

import { serialToCalendar } from "../../engine/data";
import { formatCount } from "../format";

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A date serial in words, "6 Dec 2026". */
export function dateText(serial: number): string {
  const { year, month, day } = serialToCalendar(Math.floor(serial));
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

/** A share as text without its sign, "41%" (one decimal below 10%: "4.5%"). */
export function percentText(share: number): string {
  const percent = Math.abs(share) * 100;
  return `${percent < 9.95 ? percent.toFixed(1) : percent.toFixed(0)}%`;
}

/** A signed share as text, "−12.6%" or "+4.0%", one decimal. */
export function signedPercentText(share: number): string {
  const percent = (share * 100).toFixed(1);
  return share < 0 ? `−${percent.slice(1)}%` : `+${percent}%`;
}

/** A number as text with at most two decimals and thousands separators, "1,234.5". */
export function plainNumber(x: number): string {
  return Number.parseFloat(x.toPrecision(10)).toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/**
 * A whole amount as text with its currency: "€1,234" for a symbol, "1,234 CHF" for an ISO code,
 * "1,234" when the currency is unknown (the tab's scope line then says the amounts are in the data's currency).
 */
export function moneyText(currency: string | undefined, amount: number): string {
  const number = formatCount(amount);
  if (currency === undefined || currency.trim() === "") return number;
  if (/^[A-Z]{3}$/.test(currency)) return `${number} ${currency}`;
  return amount < 0 ? `-${currency}${number.slice(1)}` : `${currency}${number}`;
}

/** "in €" or "in EUR" when the currency is known, else "in the data's currency". */
export function inCurrency(currency: string | undefined): string {
  return currency === undefined || currency.trim() === "" ? "in the data's currency" : `in ${currency}`;
}

/** A list in words: "A", "A and B", "A, B and C". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * A number format with room on its right (`_)`), so a sentence in the next cell does not touch it.
 *
 * @param format an Excel number format, one to three sections.
 */
export function padded(format: string): string {
  return format
    .split(";")
    .map((section) => `${section}_)`)
    .join(";");
}
