/**
 * Engagement of each lead measured at its own date (domain.md §6): the same score as
 * {@link engagementScores} — Σ_e p_e · 0.5^(a_e / h), floored at 0 and capped — but with the age
 * a_e = asOf_i − date_e taken at lead i's own scoring date asOf_i, and only the lead's events on or
 * before that date counted. The Lead Scoring tab scores each lead's qualification at a fixed time
 * after it entered this way, so a lead that entered long ago is judged on what it did then.
 *
 * Also gives each lead's first event date (the lead's entry date when the lead table has none).
 */

import { EngineError } from "../errors";
import { isBlankCell, toDateSerial, toNumber, toText } from "../data/cells";
import type { EngagementNames } from "./engagement";

/** Engagement of each lead at its own date. */
export interface EngagementAtResult {
  /** Score of each lead row, in [0, cap] (0 for a blank row, a lead without events or without a date). */
  readonly scores: Float64Array;
  /** Events counted per lead row (on or before its date). */
  readonly eventCounts: Int32Array;
  /** Date of each lead row's first event (any date), NaN when it has none. */
  readonly firstEventDates: Float64Array;
}

function keyOf(value: unknown, argument: string, row: number): string {
  return typeof value === "string" && value.length > 0 && value.trim() === value ? value : toText(value, argument, row);
}

/**
 * Engagement of each lead at its own scoring date.
 *
 * @param leadIds one id per lead row (a repeated id shares its events; a blank row scores 0).
 * @param events the event columns, equally long: lead id, date, points (cells or numbers already read).
 * @param asOfByLead scoring date (serial) of each lead row; NaN: the lead is not scored (0).
 * @param halfLifeDays half-life in days, > 0.
 * @param cap highest score, > 0.
 * @param names the inputs' names in messages.
 * @returns scores, event counts and first event dates, one per lead row.
 * @throws EngineError INVALID_INPUT for unequal columns, a bad id, date or points cell (argument and
 *   1-based row named), or a half-life or cap not above 0.
 */
export function engagementAtDates(
  leadIds: readonly unknown[],
  events: { readonly leadIds: readonly unknown[]; readonly dates: readonly unknown[]; readonly points: readonly unknown[] | Float64Array },
  asOfByLead: Float64Array,
  halfLifeDays: number,
  cap: number,
  names: Pick<EngagementNames, "leadIds" | "eventLeadIds" | "eventDates" | "eventPoints">,
): EngagementAtResult {
  if (!(Number.isFinite(halfLifeDays) && halfLifeDays > 0)) throw new EngineError("INVALID_INPUT", `the half-life must be a number above 0, got ${String(halfLifeDays)}`);
  if (!(Number.isFinite(cap) && cap > 0)) throw new EngineError("INVALID_INPUT", `the cap must be a number above 0, got ${String(cap)}`);
  if (asOfByLead.length !== leadIds.length) throw new EngineError("INVALID_INPUT", `${asOfByLead.length} scoring dates for ${leadIds.length} leads`);
  const count = events.leadIds.length;
  if (events.dates.length !== count || events.points.length !== count) {
    throw new EngineError("INVALID_INPUT", `${names.eventLeadIds} has ${count} rows but the dates or points have ${events.dates.length} and ${events.points.length}`);
  }
  const rowsOf = new Map<string, number[]>();
  leadIds.forEach((cell, r) => {
    if (isBlankCell(cell)) return;
    const key = keyOf(cell, names.leadIds, r + 1);
    const rows = rowsOf.get(key);
    if (rows === undefined) rowsOf.set(key, [r]);
    else rows.push(r);
  });
  const sums = new Float64Array(leadIds.length);
  const eventCounts = new Int32Array(leadIds.length);
  const firstEventDates = new Float64Array(leadIds.length).fill(Number.NaN);
  const decayPerDay = Math.LN2 / halfLifeDays;
  for (let e = 0; e < count; e++) {
    const idCell = events.leadIds[e];
    const dateCell = events.dates[e];
    const pointCell = events.points[e];
    if (isBlankCell(idCell) && isBlankCell(dateCell) && (events.points instanceof Float64Array || isBlankCell(pointCell))) continue;
    const rows = rowsOf.get(keyOf(idCell, names.eventLeadIds, e + 1));
    if (rows === undefined) continue;
    const date = typeof dateCell === "number" && dateCell >= 1 ? dateCell : toDateSerial(dateCell, names.eventDates, e + 1);
    const points = typeof pointCell === "number" ? pointCell : toNumber(pointCell, names.eventPoints, e + 1);
    if (!Number.isFinite(points)) throw new EngineError("INVALID_INPUT", `${names.eventPoints} row ${e + 1}: ${String(points)} is not a finite number`, { argument: names.eventPoints, row: e + 1 });
    for (const r of rows) {
      if (!(date >= firstEventDates[r])) firstEventDates[r] = date;
      const age = asOfByLead[r] - date;
      if (!(age >= 0)) continue;
      sums[r] += points * Math.exp(-age * decayPerDay);
      eventCounts[r]++;
    }
  }
  const scores = new Float64Array(leadIds.length);
  for (let r = 0; r < scores.length; r++) scores[r] = Math.min(cap, Math.max(0, sums[r]));
  return { scores, eventCounts, firstEventDates };
}
