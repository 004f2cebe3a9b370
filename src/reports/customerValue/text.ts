/**
 * Words, number formats and amounts in text shared by the sections of the Customer Value tab.
 */

import type { PeriodUnit } from "../../engine/clv";
import { moneyFormat } from "../format";

/** Number formats of this tab beyond the shared ones. */
export const CV_FORMAT = {
  logLikelihood: "#,##0.00",
  /** Expected (model) counts of customers or purchases: one decimal at most. */
  expectedCount: "#,##0.0",
  multiple: '0.00"×"',
} as const;

/** "52 weeks", "1 month". */
export function plural(count: number, unit: PeriodUnit): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

/** "10.0%" from 0.1 with one decimal (the same on every machine). */
export function percentText(rate: number, digits: number): string {
  return `${(rate * 100).toFixed(digits)}%`;
}

/** A whole number or decimals with thousands separators, the same on every machine ("1,234.50"). */
function grouped(amount: number, decimals: 0 | 2): string {
  const [whole, fraction] = Math.abs(amount).toFixed(decimals).split(".");
  const digits = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${amount < 0 ? "−" : ""}${digits}${fraction === undefined ? "" : `.${fraction}`}`;
}

/**
 * An amount for a sentence in the data's currency, as the cells show it: "$1,234.50", "1,234.50 EUR",
 * or "1,234.50" when the currency is unknown.
 *
 * @param decimals 0 for totals in the thousands, 2 for per-customer amounts.
 */
export function moneyText(amount: number, currency: string | undefined, decimals: 0 | 2 = 2): string {
  const number = grouped(amount, decimals);
  if (currency === undefined || currency.trim() === "") return number;
  return /^[A-Z]{3}$/.test(currency) ? `${number} ${currency}` : `${currency}${number}`;
}

/** The money format for an amount: no decimals from 1,000 up (totals), 2 below (per-customer amounts). */
export function moneyFormatFor(amount: number, currency: string | undefined): string {
  return moneyFormat(currency, Math.abs(amount) >= 1000 ? 0 : 2);
}

/** A number format padded on the right of each section (`_)`), so text in the next cell does not touch the number. */
export function padded(format: string): string {
  return format
    .split(";")
    .map((section) => `${section}_)`)
    .join(";");
}
