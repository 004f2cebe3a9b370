/**
 * Seeded pseudo-random numbers for the engine (which never uses Math.random), its tests and benchmarks:
 * one small fast generator, the distributions the customer-value models need, and row sampling
 * (k-means restarts, silhouette). The same seed gives the same stream on every machine.
 *
 * Glossary: U uniform on (0, 1); Gamma(shape k, rate θ) has mean k/θ; Beta(a, b) has mean a/(a + b).
 *
 * References: Vigna, "Further scramblings of Marsaglia's xorshift generators" / the splitmix32 mixer
 * (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators"); Marsaglia & Tsang
 * (2000), "A simple method for generating gamma variables", ACM TOMS 26(3) (with the U^{1/k} boost for
 * k < 1).
 */

/** A source of uniform numbers in (0, 1). */
export type Uniform = () => number;

/**
 * A seeded uniform generator (splitmix32): fast, 2³² period, good enough for simulation.
 *
 * @param seed any integer; the same seed gives the same sequence.
 * @returns a function returning numbers strictly inside (0, 1).
 */
export function seededUniform(seed: number): Uniform {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    return (z + 0.5) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller, one of the pair). */
export function normalDraw(uniform: Uniform): number {
  return Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * A Gamma(shape, rate) draw.
 *
 * @param uniform the generator.
 * @param shape k > 0.
 * @param rate θ > 0 (mean k/θ).
 * @returns a positive draw.
 * References: Marsaglia & Tsang (2000), §6 (and the boost Gamma(k) = Gamma(k + 1)·U^{1/k} for k < 1).
 */
export function gammaDraw(uniform: Uniform, shape: number, rate: number): number {
  if (shape < 1) return gammaDraw(uniform, shape + 1, rate) * Math.pow(uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalDraw(uniform);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniform();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

/** A Beta(a, b) draw as G_a / (G_a + G_b). */
export function betaDraw(uniform: Uniform, a: number, b: number): number {
  const x = gammaDraw(uniform, a, 1);
  const y = gammaDraw(uniform, b, 1);
  return x / (x + y);
}

/** An exponential draw with the given rate. */
export function exponentialDraw(uniform: Uniform, rate: number): number {
  return -Math.log(uniform()) / rate;
}

/**
 * A uniform random sample of row indices without replacement (partial Fisher–Yates), ascending.
 *
 * @param rows number of rows to sample from, ≥ 0.
 * @param size sample size; all rows (0..rows−1 in order) when size ≥ rows.
 * @param uniform the generator.
 * @returns the sampled indices in ascending order.
 */
export function sampleRows(rows: number, size: number, uniform: Uniform): Int32Array {
  const pool = new Int32Array(rows);
  for (let i = 0; i < rows; i++) pool[i] = i;
  if (size >= rows) return pool;
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(uniform() * (rows - i));
    const swap = pool[i];
    pool[i] = pool[j];
    pool[j] = swap;
  }
  return pool.slice(0, size).sort();
}
