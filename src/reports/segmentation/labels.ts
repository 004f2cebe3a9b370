/**
 * Words of the Segmentation tab: readable names for the customer table's column headers, the
 * lifecycle stages' names and rules as the tab shows them, dates and amounts in sentences.
 *
 * One vocabulary across the tab: RFM segments keep the names of the 11-segment map ("At Risk",
 * "Lost"); lifecycle stages get words of their own that say their rule ("Lapsing: last order 61–90
 * days ago"), so no name means two things; behavioural groups are named by their averages
 * (engine/segmentation/clusterProfileNames).
 */

import { formatCount } from "../format";
import type { LifecycleStage, LifecycleThresholds } from "../../engine/segmentation";

/**
 * A column header as a reader writes it: "age_band" → "Age band", "signupDate" → "Signup date", "region" → "Region",
 * "home_ZIP" → "Home ZIP", "AGE_BAND" → "Age band"; a header that is already words is kept, capitalised.
 *
 * @param header the header of the source column.
 * @returns the label for the tab.
 */
export function readableHeader(header: string): string {
  const trimmed = header.trim();
  if (!/[_.]|[a-z][A-Z]/.test(trimmed)) return trimmed === "" ? trimmed : trimmed[0].toUpperCase() + trimmed.slice(1);
  const words = trimmed
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[\s_.-]+/)
    .filter((word) => word !== "")
    // Capitals are an acronym ("ZIP", "ID") only beside lower-case words; in an all-capitals header they are just words.
    .map((word) => (/[a-z]/.test(trimmed) && /^[A-Z0-9]{2,4}$/.test(word) ? word : word.toLowerCase()));
  if (words.length === 0) return trimmed;
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  return words.join(" ");
}

/** The tab's name of each lifecycle stage: words no RFM segment or behavioural group uses. */
export const STAGE_NAMES: Readonly<Record<LifecycleStage, string>> = {
  New: "Joined recently",
  Active: "Active",
  "At risk": "Lapsing",
  Lapsed: "Lapsed",
  Reactivated: "Returned",
};

/**
 * The rule of a lifecycle stage in words, with the thresholds used.
 *
 * @param stage the engine's stage.
 * @param thresholds the day thresholds [N, A, L].
 * @returns e.g. "last order 61–90 days ago".
 */
export function stageRule(stage: LifecycleStage, thresholds: LifecycleThresholds): string {
  const { newDays, activeDays, atRiskDays } = thresholds;
  switch (stage) {
    case "New":
      return `first order ≤ ${newDays} days ago`;
    case "Active":
      return `last order ≤ ${activeDays} days ago`;
    case "At risk":
      return atRiskDays > activeDays ? `last order ${activeDays + 1}–${atRiskDays} days ago` : "none (the thresholds leave no days for it)";
    case "Lapsed":
      return `no order for over ${atRiskDays} days`;
    case "Reactivated":
      return `back ≤ ${activeDays} days ago after ${atRiskDays}+ days away`;
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * An Excel date serial as a reader writes it: 45657 → "31 Dec 2024".
 *
 * @param serial a whole Excel serial (days since 1899-12-30).
 */
export function dateText(serial: number): string {
  const date = new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/**
 * An amount for a sentence, whole units with separators and the currency where known: "€12,345",
 * "12,345 CHF", "12,345".
 *
 * @param value the amount.
 * @param currency a symbol or ISO code, or undefined.
 */
export function moneyText(value: number, currency: string | undefined): string {
  const number = formatCount(value);
  if (currency === undefined || currency.trim() === "") return number;
  return /^[A-Z]{3}$/.test(currency) ? `${number} ${currency}` : `${currency}${number}`;
}

/**
 * A share for a sentence: 0.3172 → "31.7%".
 *
 * @param share a fraction.
 */
export function percentText(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** "1 customer", "2,357 customers". */
export function customersText(count: number): string {
  return `${formatCount(count)} customer${count === 1 ? "" : "s"}`;
}
