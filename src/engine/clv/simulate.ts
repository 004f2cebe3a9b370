/**
 * Simulated customers from the BG/NBD process, for the recovery test and the benchmarks.
 *
 * Each customer draws λ ~ Gamma(r, α) and p ~ Beta(a, b); after the first purchase at time 0 they buy
 * at Poisson rate λ, and after each repeat purchase drop out with probability p; observation ends at T.
 *
 * Glossary: x repeat purchases, t_x time of the last one, T observation length (one period unit).
 *
 * References: Fader, Hardie & Lee (2005), §3 assumptions (i)-(v).
 */

import { betaDraw, exponentialDraw, gammaDraw, type Uniform } from "../math/random";
import type { BgNbdParams } from "./bgNbd";

/** Simulated histories, one entry per customer. */
export interface SimulatedCustomers {
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
}

/**
 * Simulates customer histories from the BG/NBD process.
 *
 * @param params true r, α, a, b.
 * @param T observation length per customer (periods, > 0).
 * @param uniform a seeded generator (see `seededUniform`).
 * @returns x, t_x, T per customer (continuous times).
 */
export function simulateBgNbd(params: BgNbdParams, T: ArrayLike<number>, uniform: Uniform): SimulatedCustomers {
  const n = T.length;
  const x = new Float64Array(n);
  const t_x = new Float64Array(n);
  const ages = Float64Array.from(T);
  for (let i = 0; i < n; i++) {
    const lambda = gammaDraw(uniform, params.r, params.alpha);
    const p = betaDraw(uniform, params.a, params.b);
    let t = 0;
    let count = 0;
    let last = 0;
    // Capped: a draw of λ so large that a customer would buy more than 10⁷ times is cut there.
    while (count < 10_000_000) {
      t += exponentialDraw(uniform, lambda);
      if (t > ages[i]) break;
      count++;
      last = t;
      if (uniform() < p) break;
    }
    x[i] = count;
    t_x[i] = last;
  }
  return { x, t_x, T: ages };
}
