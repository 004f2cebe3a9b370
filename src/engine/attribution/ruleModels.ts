/**
 * Rule-based attribution: how one converting journey splits its credit over its touches.
 *
 * Every model here fills `weights[0 .. L)` with non-negative weights that sum to 1, one per touch
 * (per occurrence: a channel touched twice gets two weights). The aggregator multiplies them by the
 * journey's conversions and value and adds them to the touched channels.
 *
 * Glossary:
 * - L: number of touches in the journey (≥ 1), touch i = 0 … L − 1 in time order;
 * - dᵢ: days between touch i and the conversion (≥ 0); with path text only, dᵢ = L − 1 − i
 *   (the last touch is 0 days before, the one before it 1 day, …, as in the reference data);
 * - h: half-life of the time-decay weight, in days.
 *
 * References: domain.md §3; Google Analytics attribution model definitions (first, last, linear,
 * position-based 40/20/40, time decay with a 7-day half-life); ChannelAttribution 2.1.7
 * `heuristic_models` (first, last, linear touch).
 */

/** Fills `weights[0 .. length)` for one journey; `daysBefore` is null for path text. */
export type TouchWeights = (length: number, daysBefore: Float64Array | null, weights: Float64Array) => void;

/** First touch: all credit to touch 0. */
export const firstTouchWeights: TouchWeights = (length, _daysBefore, weights) => {
  weights.fill(0, 0, length);
  weights[0] = 1;
};

/** Last touch: all credit to touch L − 1. */
export const lastTouchWeights: TouchWeights = (length, _daysBefore, weights) => {
  weights.fill(0, 0, length);
  weights[length - 1] = 1;
};

/** Linear: 1/L to every touch (a channel touched m times gets m/L). */
export const linearWeights: TouchWeights = (length, _daysBefore, weights) => {
  weights.fill(1 / length, 0, length);
};

/** Position-based (U-shaped): 40 % first, 40 % last, 20 % over the middle touches; 1 touch 100 %, 2 touches 50/50. */
export const positionWeights: TouchWeights = (length, _daysBefore, weights) => {
  if (length === 1) {
    weights[0] = 1;
    return;
  }
  if (length === 2) {
    weights[0] = 0.5;
    weights[1] = 0.5;
    return;
  }
  weights.fill(0.2 / (length - 2), 1, length - 1);
  weights[0] = 0.4;
  weights[length - 1] = 0.4;
};

/**
 * Time decay: weight 2^(−dᵢ / h), normalised over the journey.
 *
 * @param halfLifeDays h, days, > 0 and finite (the caller validates).
 * @returns the weight function; with path text (no days) touch i counts as L − 1 − i days before.
 */
export function timeDecayWeights(halfLifeDays: number): TouchWeights {
  // 2^(−d/h) for whole days, grown on demand: path text only ever needs these.
  let table = new Float64Array(0);
  const ensure = (length: number) => {
    if (table.length >= length) return;
    const grown = new Float64Array(Math.max(length, table.length * 2, 16));
    for (let d = 0; d < grown.length; d++) grown[d] = Math.pow(2, -d / halfLifeDays);
    table = grown;
  };
  return (length, daysBefore, weights) => {
    let total = 0;
    if (daysBefore === null) {
      ensure(length);
      for (let i = 0; i < length; i++) total += weights[i] = table[length - 1 - i];
    } else {
      // Relative to the most recent touch, so that very old journeys cannot underflow to 0 / 0.
      let nearest = Infinity;
      for (let i = 0; i < length; i++) if (daysBefore[i] < nearest) nearest = daysBefore[i];
      for (let i = 0; i < length; i++) total += weights[i] = Math.pow(2, -(daysBefore[i] - nearest) / halfLifeDays);
    }
    for (let i = 0; i < length; i++) weights[i] /= total;
  };
}
