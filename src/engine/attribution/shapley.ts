/**
 * Simplified Shapley attribution (Zhao, Mahboobi & Bagheri 2018): each converting journey splits its
 * conversions and value equally among its distinct channels.
 *
 * Glossary:
 * - S: a set of channels (a coalition); v(S): conversions of the journeys whose channel set is a
 *   subset of S (the characteristic function of the paper's simplified model);
 * - D: the number of distinct channels of one journey.
 *
 * With that v, the Shapley value of channel c is Σ over journeys containing c of conversions / D
 * (the paper's closed form for v(S) = Σ_{T ⊆ S} R(T)), so no 2ⁿ enumeration of coalitions is
 * needed: the cost is linear in the touches.
 *
 * References: K. Zhao, S. H. Mahboobi, S. R. Bagheri, "Shapley Value Methods for Attribution
 * Modeling in Online Advertising", arXiv:1804.05327 (2018), §3 (simplified Shapley value); domain.md §3.
 */

import type { TouchWeights } from "./ruleModels";

/**
 * Weights that give 1/D to the first occurrence of each distinct channel and 0 to repeats.
 *
 * @param touchesOf returns the channel ids of the journey being weighted (the aggregator's buffer).
 * @returns the weight function (keeps a per-channel scratch array, grown as channel ids grow).
 */
export function shapleyWeights(touchesOf: () => Int32Array): TouchWeights {
  let stamp = new Int32Array(64);
  let journey = 0;
  return (length, _daysBefore, weights) => {
    const touches = touchesOf();
    journey++;
    let distinct = 0;
    for (let i = 0; i < length; i++) {
      const c = touches[i];
      if (c >= stamp.length) {
        const grown = new Int32Array(Math.max(c + 1, stamp.length * 2));
        grown.set(stamp);
        stamp = grown;
      }
      if (stamp[c] === journey) {
        weights[i] = 0;
      } else {
        stamp[c] = journey;
        weights[i] = 1;
        distinct++;
      }
    }
    const share = 1 / distinct;
    for (let i = 0; i < length; i++) if (weights[i] !== 0) weights[i] = share;
  };
}
