/**
 * Small random draws the sample business needs on top of the engine's generator
 * (src/engine/math/random.ts): independent streams from one seed, categorical, Poisson and log-normal
 * noise, and rounding to cents.
 *
 * Glossary: U uniform on (0, 1); a stream is one `Uniform` generator.
 */

import { normalDraw, seededUniform, type Uniform } from "../engine/math/random";

/**
 * An independent stream for one part of the generator, so that changing how one table is drawn does
 * not shift the others.
 *
 * @param seed the user's seed (any integer).
 * @param stream a small constant per part (1, 2, 3...).
 * @returns a seeded generator.
 */
export function streamOf(seed: number, stream: number): Uniform {
  const mixed = (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(stream, 0x9e3779b9)) >>> 0;
  return seededUniform(mixed);
}

/**
 * Index drawn with probability proportional to `weights` (non-negative, not all 0).
 *
 * @param uniform the generator.
 * @param weights relative weights.
 * @returns an index into `weights`.
 */
export function categoricalDraw(uniform: Uniform, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  let target = uniform() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i];
    if (target < 0) return i;
  }
  // Rounding can leave a sliver at the top: the last index with a positive weight takes it.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return weights.length - 1;
}

/**
 * A Poisson draw: multiplication of uniforms below a mean of 30, a rounded normal above
 * (accurate enough for counts of touches).
 *
 * @param uniform the generator.
 * @param mean ≥ 0.
 * @returns a whole number ≥ 0.
 */
export function poissonDraw(uniform: Uniform, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normalDraw(uniform)));
  const limit = Math.exp(-mean);
  let count = 0;
  let product = uniform();
  while (product > limit) {
    count++;
    product *= uniform();
  }
  return count;
}

/**
 * Log-normal noise with mean 1: exp(σ·Z − σ²/2).
 *
 * @param uniform the generator.
 * @param sigma σ ≥ 0 of the log.
 */
export function noiseFactor(uniform: Uniform, sigma: number): number {
  return Math.exp(sigma * normalDraw(uniform) - (sigma * sigma) / 2);
}

/** A number rounded to cents (2 decimals), as money is stored. */
export function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A uniform draw in [low, high). */
export function uniformBetween(uniform: Uniform, low: number, high: number): number {
  return low + (high - low) * uniform();
}

/** Text of a whole number padded with zeros to `width` digits (ids such as C00042). */
export function padNumber(value: number, width: number): string {
  return String(value).padStart(width, "0");
}
