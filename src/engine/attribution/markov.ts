/**
 * Markov-chain attribution by removal effects, computed exactly (no simulation).
 *
 * Glossary (chain symbols as in markovChain.ts):
 * - C: the states that contain channel c; "removing c" redirects every transition into C to (null);
 * - h = N·r: probability of converting from each state; P = π·h, the conversion probability;
 * - hᵛ = N·(m ⊙ r): value-weighted conversion from each state; Pᵛ = π·hᵛ;
 * - x: expected visits to the states outside C before C is first entered (x = π + x·Q on those states);
 * - F[j] = π[j] + Σᵢ x[i]·Q[i][j] for j in C: probability that C is first entered at j;
 * - RE_c = 1 − P(conversion | c removed) / P = Σ_{j∈C} F[j]·h[j] / P, the removal effect;
 * - REᵛ_c = Σ_{j∈C} F[j]·hᵛ[j] / Pᵛ, its value version (domain.md §3: Σ_s m_s P(convert via s ∧ visit c) / Σ_s m_s P(convert via s)).
 *
 * Writing RE_c as the probability of converting *through* c (first entry into C, then conversion
 * from there, by the strong Markov property) avoids the cancellation in 1 − P_c / P, so a channel
 * with a removal effect of 10⁻⁴ keeps all its significant digits.
 *
 * With `maxSteps` = n, a journey counts only when it converts after visiting at most n states (the
 * horizon of a capped simulation such as ChannelAttribution's `max_step`); the same quantities are
 * then sums over the first n steps of the chain, found by stepping two distributions: not yet in C,
 * and already through C.
 *
 * References: Anderl et al. (2016), IJRM 33(3) (removal effect); Kemeny & Snell (1960), ch. III
 * (absorption probabilities B = N·R); domain.md §3 (the value version and the no-nulls case).
 */

import { EngineError } from "../errors";
import { createAbsorbingSolver } from "./absorbingChain";
import type { MarkovChain } from "./markovChain";

/** Options for {@link markovRemovalEffects}. */
export interface MarkovOptions {
  /** Count only conversions within this many states of a journey (whole number ≥ 1); null for no limit (exact). */
  readonly maxSteps?: number | null;
}

/** Removal effects per channel. */
export interface MarkovRemovalEffects {
  /** RE_c for conversions, in [0, 1], by channel id. */
  readonly removalEffect: Float64Array;
  /** REᵛ_c for value, in [0, 1], by channel id (all 0 when no conversion has a value). */
  readonly valueRemovalEffect: Float64Array;
  /** P: probability that a journey converts (1 when no nulls were given). */
  readonly conversionProbability: number;
  /** The step cap used, or null for the exact infinite horizon. */
  readonly maxSteps: number | null;
  /** Largest Gauss–Seidel sweep count used (0 when every loop was solved directly). */
  readonly sweeps: number;
}

function statesByChannel(chain: MarkovChain, channelCount: number): { start: Int32Array; states: Int32Array } {
  const start = new Int32Array(channelCount + 1);
  for (let p = 0; p < chain.stateChannels.length; p++) start[chain.stateChannels[p] + 1]++;
  for (let c = 0; c < channelCount; c++) start[c + 1] += start[c];
  const fill = start.slice(0, channelCount);
  const states = new Int32Array(chain.stateChannels.length);
  for (let s = 0; s < chain.stateCount; s++) {
    for (let p = chain.stateChannelStart[s]; p < chain.stateChannelStart[s + 1]; p++) {
      states[fill[chain.stateChannels[p]]++] = s;
    }
  }
  return { start, states };
}

/**
 * Removal effects of every channel, for conversions and for value.
 *
 * @param chain the Markov chain of the journeys ({@link MarkovChainBuilder.build}).
 * @param channelCount number of channel ids (0 … channelCount − 1) to report; ids absent from the
 *   chain get 0.
 * @param options `maxSteps`: null (default) for the exact infinite horizon, or a whole number ≥ 1.
 * @returns RE and REᵛ per channel and P; see {@link MarkovRemovalEffects}.
 * @throws EngineError INVALID_INPUT when maxSteps is not a whole number ≥ 1; INSUFFICIENT_DATA when
 *   no journey converts (within maxSteps); NOT_CONVERGED when an iterative solve hits its cap.
 *
 * References: Anderl et al. (2016) (removal effect); Kemeny & Snell (1960), ch. III; domain.md §3.
 */
export function markovRemovalEffects(
  chain: MarkovChain,
  channelCount: number,
  options: MarkovOptions = {},
): MarkovRemovalEffects {
  const maxSteps = options.maxSteps ?? null;
  if (maxSteps !== null && (!Number.isInteger(maxSteps) || maxSteps < 1)) {
    throw new EngineError("INVALID_INPUT", `markovRemovalEffects: maxSteps ${String(maxSteps)} must be a whole number of 1 or more`, {
      argument: "maxSteps",
    });
  }
  const n = chain.stateCount;
  const valueExit = new Float64Array(n);
  for (let s = 0; s < n; s++) valueExit[s] = chain.meanValue[s] * chain.conversion[s];
  const { start: channelStart, states: channelStates } = statesByChannel(chain, channelCount);
  const removalEffect = new Float64Array(channelCount);
  const valueRemovalEffect = new Float64Array(channelCount);
  const removed = new Uint8Array(n);

  if (maxSteps === null) {
    const solver = createAbsorbingSolver(chain);
    const h = solver.absorption(chain.conversion);
    const hv = solver.absorption(valueExit);
    let p = 0;
    let pv = 0;
    for (let s = 0; s < n; s++) {
      p += chain.start[s] * h[s];
      pv += chain.start[s] * hv[s];
    }
    if (!(p > 0)) throw new EngineError("INSUFFICIENT_DATA", "markovRemovalEffects: no journey converts");
    for (let c = 0; c < channelCount; c++) {
      const from = channelStart[c];
      const to = channelStart[c + 1];
      if (from === to) continue;
      for (let q = from; q < to; q++) removed[channelStates[q]] = 1;
      const x = solver.visits(chain.start, removed);
      let through = 0;
      let throughValue = 0;
      for (let q = from; q < to; q++) {
        const j = channelStates[q];
        let entry = chain.start[j];
        for (let e = chain.inStart[j]; e < chain.inStart[j + 1]; e++) {
          const i = chain.inFrom[e];
          if (removed[i] === 0) entry += x[i] * chain.inProbability[e];
        }
        through += entry * h[j];
        throughValue += entry * hv[j];
      }
      for (let q = from; q < to; q++) removed[channelStates[q]] = 0;
      removalEffect[c] = Math.min(1, through / p);
      valueRemovalEffect[c] = pv > 0 ? Math.min(1, throughValue / pv) : 0;
    }
    return { removalEffect, valueRemovalEffect, conversionProbability: p, maxSteps, sweeps: solver.sweeps };
  }

  // Capped horizon: step the distribution over states n times.
  const step = (from: Float64Array, to: Float64Array) => {
    to.fill(0);
    for (let s = 0; s < n; s++) {
      const mass = from[s];
      if (mass === 0) continue;
      for (let e = chain.outStart[s]; e < chain.outStart[s + 1]; e++) to[chain.outTo[e]] += mass * chain.outProbability[e];
    }
  };
  let p = 0;
  let pv = 0;
  {
    let current = Float64Array.from(chain.start);
    let next = new Float64Array(n);
    for (let k = 1; k <= maxSteps; k++) {
      for (let s = 0; s < n; s++) {
        p += current[s] * chain.conversion[s];
        pv += current[s] * valueExit[s];
      }
      if (k === maxSteps) break;
      step(current, next);
      [current, next] = [next, current];
    }
  }
  if (!(p > 0)) {
    throw new EngineError("INSUFFICIENT_DATA", `markovRemovalEffects: no journey converts within ${maxSteps} steps`);
  }
  let before = new Float64Array(n);
  let through = new Float64Array(n);
  let beforeNext = new Float64Array(n);
  let throughNext = new Float64Array(n);
  for (let c = 0; c < channelCount; c++) {
    const from = channelStart[c];
    const to = channelStart[c + 1];
    if (from === to) continue;
    for (let q = from; q < to; q++) removed[channelStates[q]] = 1;
    for (let s = 0; s < n; s++) {
      before[s] = removed[s] ? 0 : chain.start[s];
      through[s] = removed[s] ? chain.start[s] : 0;
    }
    let converted = 0;
    let convertedValue = 0;
    for (let k = 1; k <= maxSteps; k++) {
      for (let s = 0; s < n; s++) {
        converted += through[s] * chain.conversion[s];
        convertedValue += through[s] * valueExit[s];
      }
      if (k === maxSteps) break;
      step(through, throughNext);
      step(before, beforeNext);
      for (let s = 0; s < n; s++) {
        if (removed[s]) {
          throughNext[s] += beforeNext[s];
          beforeNext[s] = 0;
        }
      }
      [before, beforeNext] = [beforeNext, before];
      [through, throughNext] = [throughNext, through];
    }
    for (let q = from; q < to; q++) removed[channelStates[q]] = 0;
    removalEffect[c] = Math.min(1, converted / p);
    valueRemovalEffect[c] = pv > 0 ? Math.min(1, convertedValue / pv) : 0;
  }
  return { removalEffect, valueRemovalEffect, conversionProbability: p, maxSteps, sweeps: 0 };
}
