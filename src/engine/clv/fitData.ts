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
import { MURMUR_SEED, murmurFinal, murmurRound, rehashedSlots } from "../math/murmur";

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
  }
  const asFloat64 = (values: ArrayLike<number>) => (values instanceof Float64Array ? values : Float64Array.from(values));
  return compressTriples(asFloat64(x), asFloat64(t_x), asFloat64(T)).data;
}

/** Distinct (x, t_x, T) triples plus, per customer, the index of its triple. */
export interface CompressedSummary {
  readonly data: FitData;
  /** Per customer: index of its triple in `data`. */
  readonly tripleOf: Int32Array;
}

/**
 * Groups customers into distinct (x, t_x, T) triples with counts (the fit costs what the triples cost).
 *
 * A numeric open-addressing hash on the triples' bits (no string per customer: a million string keys
 * cost seconds). Checks nothing and keeps customers with T = 0 (first purchase on the as-of day):
 * their likelihood term is 1 in every model here, so fits may skip them, but predictions need their
 * triple. Use {@link toFitData} for unchecked input.
 *
 * @param x repeat purchases per customer (whole numbers ≥ 0).
 * @param t_x recency per customer (0 ≤ t_x ≤ T).
 * @param T age per customer (≥ 0).
 * @returns distinct triples in order of first appearance with weights, and each customer's triple.
 */
export function compressTriples(x: Float64Array, t_x: Float64Array, T: Float64Array): CompressedSummary {
  const n = x.length;
  // The table grows with the distinct triples (not the customers), so it stays small and in cache.
  let capacity = 1024;
  let mask = capacity - 1;
  let slots = new Int32Array(capacity).fill(-1);
  const hashes: number[] = [];
  const tripleOf = new Int32Array(n);
  const xs = new Float64Array(n);
  const ts = new Float64Array(n);
  const Ts = new Float64Array(n);
  const ws = new Float64Array(n);
  const scratch = new Float64Array(3);
  const bits = new Int32Array(scratch.buffer);
  let count = 0;
  for (let i = 0; i < n; i++) {
    scratch[0] = x[i];
    scratch[1] = t_x[i];
    scratch[2] = T[i];
    // MurmurHash3-style mixing of the six 32-bit words: every input bit reaches the low bits used
    // as the slot (a plain multiplicative hash leaves them equal for "round" doubles).
    let h = MURMUR_SEED;
    for (let k = 0; k < 6; k++) h = murmurRound(h, bits[k]);
    h = murmurFinal(h);
    let slot = h & mask;
    for (;;) {
      const at = slots[slot];
      if (at === -1) {
        slots[slot] = count;
        hashes.push(h);
        xs[count] = x[i];
        ts[count] = t_x[i];
        Ts[count] = T[i];
        ws[count] = 1;
        tripleOf[i] = count++;
        break;
      }
      if (xs[at] === x[i] && ts[at] === t_x[i] && Ts[at] === T[i]) {
        ws[at] += 1;
        tripleOf[i] = at;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (2 * count > capacity) {
      capacity *= 4;
      mask = capacity - 1;
      slots = rehashedSlots(hashes, count, capacity);
    }
  }
  return {
    data: { x: xs.slice(0, count), t_x: ts.slice(0, count), T: Ts.slice(0, count), weight: ws.slice(0, count) },
    tripleOf,
  };
}

/**
 * Fit data of a customer summary given as rows with customer counts (a warehouse's GROUP BY of
 * frequency, recency and T): the distinct (x, t_x, T) triples with the summed counts as weights, in
 * order of first appearance. The same customers listed one per row (all counts 1) give the same
 * triples, in the same order, with the same weights, so the fits are identical. Rows with count 0 and
 * rows with T = 0 add nothing to a likelihood and are left out. Checks nothing (see {@link toFitData}).
 *
 * @param x repeat purchases per row (whole numbers ≥ 0).
 * @param t_x recency per row (0 ≤ t_x ≤ T).
 * @param T age per row (≥ 0).
 * @param counts customers per row (≥ 0); null for one customer per row.
 * @returns the distinct triples with weights.
 */
export function weightedFitData(x: Float64Array, t_x: Float64Array, T: Float64Array, counts: Float64Array | null): FitData {
  const { data, tripleOf } = compressTriples(x, t_x, T);
  const weight = new Float64Array(data.x.length);
  if (counts === null) weight.set(data.weight);
  else for (let i = 0; i < tripleOf.length; i++) weight[tripleOf[i]] += counts[i];
  let keep = 0;
  for (let k = 0; k < weight.length; k++) if (weight[k] > 0 && data.T[k] > 0) keep++;
  const out = { x: new Float64Array(keep), t_x: new Float64Array(keep), T: new Float64Array(keep), weight: new Float64Array(keep) };
  for (let k = 0, j = 0; k < weight.length; k++) {
    if (!(weight[k] > 0 && data.T[k] > 0)) continue;
    out.x[j] = data.x[k];
    out.t_x[j] = data.t_x[k];
    out.T[j] = data.T[k];
    out.weight[j++] = weight[k];
  }
  return out;
}
