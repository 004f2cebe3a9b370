/**
 * MurmurHash3 (x86, 32-bit) building blocks for the open-addressing tables that group numbers by
 * their bits (fitData.ts, gammaGamma.ts): a round that mixes one 32-bit word into the hash, and the
 * finaliser that spreads every input bit to the low bits used as the slot, and the slot array of a
 * table grown to a new capacity.
 */

/** The seed the grouping tables start from. */
export const MURMUR_SEED = 0x9747b28c;

/** One MurmurHash3 round: `word` mixed into `hash` (both 32-bit integers). */
export function murmurRound(hash: number, word: number): number {
  let w = Math.imul(word, 0xcc9e2d51);
  w = (w << 15) | (w >>> 17);
  let h = hash ^ Math.imul(w, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser (fmix32). */
export function murmurFinal(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * The slots of an open-addressing table (linear probing, -1 for empty) holding entries 0..count-1
 * whose hashes are `hashes`, at `capacity` slots (a power of two): the table rebuilt after growing.
 *
 * @param hashes the entries' hashes (at least `count`).
 * @param count the entries.
 * @param capacity the new number of slots, a power of two above `count`.
 * @returns the slots, each the index of its entry or -1.
 */
export function rehashedSlots(hashes: ArrayLike<number>, count: number, capacity: number): Int32Array<ArrayBuffer> {
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  for (let k = 0; k < count; k++) {
    let s = hashes[k] & mask;
    while (slots[s] !== -1) s = (s + 1) & mask;
    slots[s] = k;
  }
  return slots;
}
