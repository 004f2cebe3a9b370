/**
 * A small seeded pseudo-random source for the engine (which never calls Math.random): the same seed
 * gives the same stream on every machine, so clusterings are reproducible.
 *
 * Mulberry32 (Tommy Ettinger, public domain): a 32-bit state advanced by a Weyl sequence and mixed by
 * multiply–xorshift steps; period 2^32 — ample for choosing k-means++ centres and samples of a few
 * thousand rows (not for cryptography).
 *
 * References: T. Ettinger, "Mulberry32" (2017, github.com/tommyettinger, public domain).
 */

/** A stream of numbers uniform on [0, 1). */
export type RandomSource = () => number;

/**
 * A seeded uniform [0, 1) stream.
 *
 * @param seed any integer; only its low 32 bits matter (42 and 42 + 2^32 give the same stream).
 * @returns a function returning the next number of the stream on each call.
 */
export function mulberry32(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A uniform random sample of row indices without replacement (partial Fisher–Yates), ascending.
 *
 * @param rows number of rows to sample from, ≥ 0.
 * @param size sample size; all rows (0..rows−1 in order) when size ≥ rows.
 * @param random the random stream to draw from.
 * @returns the sampled indices in ascending order.
 */
export function sampleRows(rows: number, size: number, random: RandomSource): Int32Array {
  const pool = new Int32Array(rows);
  for (let i = 0; i < rows; i++) pool[i] = i;
  if (size >= rows) return pool;
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (rows - i));
    const swap = pool[i];
    pool[i] = pool[j];
    pool[j] = swap;
  }
  return pool.slice(0, size).sort();
}
