/**
 * Fitting data for the buy-till-you-die models: distinct (x, t_x, T) combinations with counts.
 *
 * A million customers share far fewer distinct (frequency, recency, T) triples (with daily data and
 * weekly units, tens of thousands), so likelihoods are summed over the distinct triples, each weighted
 * by how many customers have it: the fit costs what the distinct triples cost.
 *
 * Glossary (Fader, Hardie & Lee 2005): x = number of repeat purchases (frequency), t_x = time of the
 * last purchase since the first (recency), T = time from the first purchase to the end of observation;
 * all in one time unit (see the summary's `periodUnit`).
 */

import { EngineError } from "../errors";

/** Distinct (x, t_x, T) triples and how many customers have each. */
export interface FitData {
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
  /** Number of customers with this triple (≥ 1; may be fractional for weighted fits). */
  readonly weight: Float64Array;
}

/**
 * Groups per-customer (x, t_x, T) into distinct triples with counts, checking each customer.
 *
 * @param x repeat purchases per customer, whole numbers ≥ 0.
 * @param t_x recency per customer, 0 ≤ t_x ≤ T (0 when x = 0).
 * @param T age per customer, > 0.
 * @param functionName for messages, e.g. `fitBgNbd`.
 * @returns the distinct triples in order of first appearance, with counts.
 * @throws EngineError INVALID_INPUT naming the 1-based customer row when a value is outside its range.
 */
export function toFitData(x: ArrayLike<number>, t_x: ArrayLike<number>, T: ArrayLike<number>, functionName: string): FitData {
  const n = x.length;
  if (t_x.length !== n || T.length !== n) {
    throw new EngineError("INVALID_INPUT", `${functionName} requires x, t_x and T of the same length`);
  }
  const index = new Map<string, number>();
  const xs: number[] = [];
  const ts: number[] = [];
  const Ts: number[] = [];
  const ws: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = t_x[i];
    const Ti = T[i];
    if (!(Number.isInteger(xi) && xi >= 0)) {
      throw new EngineError("INVALID_INPUT", `${functionName} requires a whole number x >= 0 (customer row ${i + 1}: ${xi})`, { row: i + 1 });
    }
    if (!(Ti > 0 && Number.isFinite(Ti))) {
      throw new EngineError("INVALID_INPUT", `${functionName} requires T > 0 (customer row ${i + 1}: ${Ti})`, { row: i + 1 });
    }
    if (!(ti >= 0 && ti <= Ti) || (xi === 0 && ti !== 0)) {
      throw new EngineError("INVALID_INPUT", `${functionName} requires 0 <= t_x <= T, and t_x = 0 when x = 0 (customer row ${i + 1})`, { row: i + 1 });
    }
    const key = `${xi}|${ti}|${Ti}`;
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, xs.length);
      xs.push(xi);
      ts.push(ti);
      Ts.push(Ti);
      ws.push(1);
    } else {
      ws[at] += 1;
    }
  }
  return { x: Float64Array.from(xs), t_x: Float64Array.from(ts), T: Float64Array.from(Ts), weight: Float64Array.from(ws) };
}
