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
  // An open-addressing hash table on the triples' bits: no string or Map entry per customer (a
  // million string keys cost seconds; this costs tens of milliseconds).
  let capacity = 16;
  while (capacity < 2 * n) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  const bits = new Float64Array(1);
  const words = new Int32Array(bits.buffer);
  const hashOf = (value: number, seed: number): number => {
    bits[0] = value === 0 ? 0 : value; // −0 and 0 are one key
    return Math.imul(seed ^ words[0], 0x9e3779b1) ^ Math.imul(words[1], 0x85ebca77);
  };
  const xs = new Float64Array(n);
  const ts = new Float64Array(n);
  const Ts = new Float64Array(n);
  const ws = new Float64Array(n);
  let distinct = 0;
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
    let h = hashOf(Ti, hashOf(ti, hashOf(xi, 0x2545f491)));
    // MurmurHash3's finaliser, so every input bit reaches the low bits that pick the slot.
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    let slot = ((h ^ (h >>> 16)) >>> 0) & mask;
    for (;;) {
      const at = slots[slot];
      if (at === -1) {
        slots[slot] = distinct;
        xs[distinct] = xi;
        ts[distinct] = ti;
        Ts[distinct] = Ti;
        ws[distinct] = 1;
        distinct++;
        break;
      }
      if (xs[at] === xi && ts[at] === ti && Ts[at] === Ti) {
        ws[at] += 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { x: xs.slice(0, distinct), t_x: ts.slice(0, distinct), T: Ts.slice(0, distinct), weight: ws.slice(0, distinct) };
}
