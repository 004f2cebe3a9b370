/**
 * The Scorecard's own numbers, computed from the data rather than read from another tab: revenue of
 * the last 12 months against the 12 before, the share of revenue from returning customers, NPS
 * (overall and per RFM segment) from a survey, referrals per 100 customers. Pure: no cells here.
 */

import { toOptionalNumber, toOptionalText } from "../../engine/data/cells";
import { netPromoterScore, netPromoterScoreByGroup, type GroupNps, type NpsResult } from "../../engine/survey/nps";
import { transactionsOf } from "../format";
import type { OrdersInput, ReferralsInput, SurveyInput } from "../inputs";
import { summarisedOf } from "../summarisedOrders";
import { summarisedPart, type ComputedFor } from "../summarisedPart";

/** Days in the 12-month windows the revenue change compares (365, as the Budget tab's last 12 months). */
export const YEAR_DAYS = 365;

/** What the orders say, up to as of. */
export interface OrderMeasures {
  /** Excel serial of the analysis date (the last order date by default). */
  readonly asOf: number;
  /** First order date (serial). */
  readonly first: number;
  /** Distinct customers with an order up to as of. */
  readonly customers: number;
  /** Revenue of the 365 days up to as of, and of the 365 days before; `previous` is null when the orders do not reach back that far. */
  readonly revenueLast12: number;
  readonly revenuePrevious12: number | null;
  /** Revenue up to as of, and the part from orders after a customer's first order day (returning customers). */
  readonly revenue: number;
  readonly returningRevenue: number;
}

/** The order measures when the orders are summarised out of core, and the as-of option they were computed for. */
export interface OrderMeasureFacts {
  readonly computedFor: ComputedFor;
  /** Null when no order is dated up to as of. */
  readonly measures: OrderMeasures | null;
}

/**
 * Revenue windows and returning customers' revenue from the orders, up to `asOf`: from the
 * summaries when the orders are summarised out of core, else from the rows.
 *
 * @param orders the orders.
 * @param asOf Excel serial of the analysis date; null: the last order date.
 * @returns null when no order is dated up to as of.
 * @throws EngineError INVALID_INPUT for a bad order cell (argument and row named); Error when the
 *   summaries lack the measures or were made for another as-of date (a bug).
 */
export function orderMeasures(orders: OrdersInput, asOf: number | null): OrderMeasures | null {
  const summarised = summarisedOf(orders);
  if (summarised !== null) return summarisedPart(summarised.measures, "the Scorecard's order measures", asOf).measures;
  const t = transactionsOf(orders);
  const values = t.orderValues;
  let last = -Infinity;
  for (let i = 0; i < t.rowCount; i++) last = Math.max(last, Math.floor(t.orderDates[i]));
  const end = asOf ?? last;
  const firstDay = new Map<number, number>();
  let first = Infinity;
  for (let i = 0; i < t.rowCount; i++) {
    const day = Math.floor(t.orderDates[i]);
    if (day > end) continue;
    first = Math.min(first, day);
    const c = t.customerIndex[i];
    firstDay.set(c, Math.min(firstDay.get(c) ?? Infinity, day));
  }
  if (firstDay.size === 0) return null;
  let revenueLast12 = 0;
  let revenuePrevious12 = 0;
  let revenue = 0;
  let returningRevenue = 0;
  for (let i = 0; i < t.rowCount; i++) {
    const day = Math.floor(t.orderDates[i]);
    if (day > end) continue;
    const value = values === null ? 0 : values[i];
    revenue += value;
    if (day > firstDay.get(t.customerIndex[i])!) returningRevenue += value;
    if (day > end - YEAR_DAYS) revenueLast12 += value;
    else if (day > end - 2 * YEAR_DAYS) revenuePrevious12 += value;
  }
  return {
    asOf: end,
    first,
    customers: firstDay.size,
    revenueLast12,
    revenuePrevious12: first <= end - 2 * YEAR_DAYS + 1 ? revenuePrevious12 : null,
    revenue,
    returningRevenue,
  };
}

/** NPS of a survey, and per RFM segment when the answers carry customer ids and segments are known. */
export interface SurveyMeasures {
  readonly all: NpsResult;
  /** Per RFM segment, largest first; null when the answers have no customer ids or no segments were computed. */
  readonly bySegment: readonly GroupNps[] | null;
  /** Answers whose customer id has no order (so no segment), counted under "(no orders)". */
  readonly withoutSegment: number;
}

/**
 * NPS from the survey's 0–10 answers (the engine's netPromoterScore), split by RFM segment when
 * the answers carry customer ids and `segmentOf` knows them.
 *
 * @param survey the survey answers.
 * @param segmentOf RFM segment by customer id text (the Segmentation tab's), or null.
 * @throws EngineError INVALID_INPUT for an answer that is not 0–10 (row named); INSUFFICIENT_DATA when every answer is blank.
 */
export function surveyMeasures(survey: SurveyInput, segmentOf: ReadonlyMap<string, string> | null): SurveyMeasures {
  const scores = survey.scores;
  if (survey.customerIds === undefined || segmentOf === null) return { all: netPromoterScore(scores, "scores"), bySegment: null, withoutSegment: 0 };
  const ids = survey.customerIds;
  let withoutSegment = 0;
  const groups = scores.map((_, i) => {
    const id = i < ids.length ? toOptionalText(ids[i], "customer_ids", i + 1) : null;
    const segment = id === null ? undefined : segmentOf.get(id);
    if (segment === undefined) {
      withoutSegment++;
      return "(no orders)";
    }
    return segment;
  });
  const { groups: bySegment, all } = netPromoterScoreByGroup(scores, groups, "scores", "customer_ids");
  return { all, bySegment: [...bySegment].sort((a, b) => b.respondents - a.respondents || a.group.localeCompare(b.group)), withoutSegment };
}

/**
 * Referrals made, in total, from a referrals column or table (blank counts left out).
 *
 * @throws EngineError INVALID_INPUT for a count that is not a number (row named).
 */
export function referralCount(referrals: ReferralsInput): number {
  let total = 0;
  referrals.counts.forEach((cell, i) => {
    const count = toOptionalNumber(cell, "referrals", i + 1);
    if (count !== null) total += count;
  });
  return total;
}
