/**
 * One part of the orders' out-of-core summaries (src/reports/summarisedOrders.ts), taken by the tab
 * that reads it: a part that is missing, or that was computed for another as-of date than the tab is
 * built for, is a bug of the caller that filled the summaries, so a plain Error says so.
 */

import { formatSerial } from "../engine/data/dates";

/** What a part was computed for. */
export interface ComputedFor {
  /** The as-of option (Excel serial) as given to the tabs; null: the last order date. */
  readonly asOf: number | null;
}

/**
 * The part, checked against the options the tab is built for.
 *
 * @param part the part of SummarisedOrders, or null when it was not computed.
 * @param what the part in words, for the message ("the cohort facts").
 * @param asOf the as-of option the tab is built for (null: the last order date).
 * @returns the part.
 * @throws Error (a bug, not the data's fault) when the part is missing or was computed for another as-of date.
 */
export function summarisedPart<T extends { readonly computedFor: ComputedFor }>(part: T | null | undefined, what: string, asOf: number | null): T {
  if (part === null || part === undefined) throw new Error(`bug: the orders are summarised out of core but ${what} were not computed`);
  if (part.computedFor.asOf !== asOf) {
    const text = (date: number | null) => (date === null ? "the last order date" : Number.isFinite(date) ? formatSerial(Math.floor(date)) : String(date));
    throw new Error(`bug: ${what} were computed as of ${text(part.computedFor.asOf)}, and the tab is built as of ${text(asOf)}`);
  }
  return part;
}
