/**
 * The Markov chain of journeys (Anderl et al. 2016), built in one streaming pass.
 *
 * Glossary:
 * - k: order of the chain, 1 to 4: a state is a window of k consecutive touches (a journey shorter
 *   than k is one state holding all its touches);
 * - s, t: transient states (channel windows); (start), (conversion), (null) are the special states;
 * - w(s → t): transition weight, the number of journeys (conversions + nulls) that make the move;
 * - Q: transition probabilities between transient states, Q[s][t] = w(s → t) / W(s), with W(s) all
 *   weight leaving s (to states, to conversion and to null);
 * - π: start distribution, π[s] = w(start → s) / Σ w(start → ·);
 * - r: conversion probability per step, r[s] = w(s → conversion) / W(s);
 * - m: mean conversion value of the journeys whose last state is s (value / conversions).
 *
 * State construction (ChannelAttribution's, domain.md §3): windows slide one touch at a time over
 * the touches as given; consecutive identical windows are merged, so there are no self-loops.
 *
 * Memory grows with the distinct states and transitions, never with the number of journeys.
 *
 * References: E. Anderl, I. Becker, F. von Wangenheim, J. H. Schumann, "Mapping the customer journey:
 * Lessons learned from graph-based online attribution modeling", IJRM 33(3), 2016 (journeys as a
 * Markov chain with start, conversion and null states; higher orders as windows of channels).
 */

import { EngineError } from "../errors";
import { PairTable, TupleTable } from "./intTables";

/** Highest Markov order supported: windows of up to 4 touches. */
export const MAX_MARKOV_ORDER = 4;

/** The chain as sparse matrices: what the absorbing-chain solver reads. */
export interface MarkovChain {
  /** k, the order the chain was built with. */
  readonly order: number;
  /** Number of transient states. */
  readonly stateCount: number;
  /** π: start probability of each state. */
  readonly start: Float64Array;
  /** r: probability of converting right after each state. */
  readonly conversion: Float64Array;
  /** Probability of leaving the chain right after each state: to (conversion) or to (null). */
  readonly exit: Float64Array;
  /** m: mean conversion value of the journeys ending in each state (0 when none converted there). */
  readonly meanValue: Float64Array;
  /** Q by rows (CSR): transitions of state s are `outTo/outProbability[outStart[s] .. outStart[s+1])`. */
  readonly outStart: Int32Array;
  readonly outTo: Int32Array;
  readonly outProbability: Float64Array;
  /** Q by columns (CSC): transitions into state t are `inFrom/inProbability[inStart[t] .. inStart[t+1])`. */
  readonly inStart: Int32Array;
  readonly inFrom: Int32Array;
  readonly inProbability: Float64Array;
  /** Distinct channels of each state: `stateChannels[stateChannelStart[s] .. stateChannelStart[s+1])`. */
  readonly stateChannelStart: Int32Array;
  readonly stateChannels: Int32Array;
  /** Total weight leaving (start): conversions + nulls of every journey used. */
  readonly journeyWeight: number;
}

/**
 * Collects Markov states and transition weights journey by journey.
 *
 * Feed journeys with {@link MarkovChainBuilder.add}; {@link MarkovChainBuilder.build} gives the chain.
 */
export class MarkovChainBuilder {
  /** k. */
  readonly order: number;
  private readonly states: TupleTable;
  private readonly transitions = new PairTable(1024);
  private startWeight = new Float64Array(64);
  private exitWeight = new Float64Array(64);
  private conversions = new Float64Array(64);
  private values = new Float64Array(64);
  private nullWeight = new Float64Array(64);
  private totalWeight = 0;
  /** State id + 1 of the one-touch window of each channel id (0: not seen yet). */
  private singleState = new Int32Array(64);

  /**
   * @param order k, a whole number from 1 to {@link MAX_MARKOV_ORDER}.
   * @throws EngineError INVALID_INPUT when the order is not a whole number in range.
   */
  constructor(order: number) {
    if (!Number.isInteger(order) || order < 1 || order > MAX_MARKOV_ORDER) {
      throw new EngineError(
        "INVALID_INPUT",
        `MarkovChainBuilder: order ${String(order)} must be a whole number from 1 to ${MAX_MARKOV_ORDER}`,
        { argument: "order" },
      );
    }
    this.order = order;
    this.states = new TupleTable(order, 256);
  }

  /**
   * Adds one journey (or `conversions + nulls` identical journeys).
   *
   * @param touches channel ids in time order; only the first `length` are read; `length` ≥ 1.
   * @param length number of touches.
   * @param conversions conversions of the journey (≥ 0).
   * @param value their total value (≥ 0).
   * @param nulls journeys with this path that did not convert (≥ 0).
   */
  add(touches: Int32Array, length: number, conversions: number, value: number, nulls: number): void {
    const weight = conversions + nulls;
    if (!(weight > 0) || length === 0) return;
    const k = this.order;
    let previous = -1;
    if (length <= k) {
      previous = this.stateOf(touches, 0, length);
      this.startWeight[previous] += weight;
    } else {
      for (let i = 0; i + k <= length; i++) {
        const state = this.stateOf(touches, i, k);
        if (state === previous) continue;
        if (previous < 0) this.startWeight[state] += weight;
        else {
          this.transitions.add(previous, state, weight);
          this.exitWeight[previous] += weight;
        }
        previous = state;
      }
    }
    this.exitWeight[previous] += weight;
    this.conversions[previous] += conversions;
    this.values[previous] += value;
    this.nullWeight[previous] += nulls;
    this.totalWeight += weight;
  }

  /** Number of states so far. */
  get stateCount(): number {
    return this.states.size;
  }

  private stateOf(touches: Int32Array, start: number, length: number): number {
    if (length === 1) {
      // A one-touch window: the state of a channel, remembered by channel id (no tuple hashing).
      const channel = touches[start];
      if (channel < this.singleState.length) {
        const known = this.singleState[channel];
        if (known > 0) return known - 1;
      } else {
        const grown = new Int32Array(Math.max(channel + 1, this.singleState.length * 2));
        grown.set(this.singleState);
        this.singleState = grown;
      }
      const state = this.states.idOf(touches, start, 1);
      if (state >= this.startWeight.length) this.grow();
      this.singleState[channel] = state + 1;
      return state;
    }
    const state = this.states.idOf(touches, start, length);
    if (state >= this.startWeight.length) this.grow();
    return state;
  }

  private grow(): void {
    const size = this.startWeight.length * 2;
    const grow = (array: Float64Array) => {
      const grown = new Float64Array(size);
      grown.set(array);
      return grown;
    };
    this.startWeight = grow(this.startWeight);
    this.exitWeight = grow(this.exitWeight);
    this.conversions = grow(this.conversions);
    this.values = grow(this.values);
    this.nullWeight = grow(this.nullWeight);
  }

  /**
   * The chain as probabilities.
   *
   * @returns the {@link MarkovChain}; with no journey added it has no states and zero weight.
   */
  build(): MarkovChain {
    const n = this.states.size;
    const { from, to, weights } = this.transitions.entries();
    const edgeCount = from.length;
    const outStart = new Int32Array(n + 1);
    const inStart = new Int32Array(n + 1);
    for (let e = 0; e < edgeCount; e++) {
      outStart[from[e] + 1]++;
      inStart[to[e] + 1]++;
    }
    for (let s = 0; s < n; s++) {
      outStart[s + 1] += outStart[s];
      inStart[s + 1] += inStart[s];
    }
    const outTo = new Int32Array(edgeCount);
    const outProbability = new Float64Array(edgeCount);
    const inFrom = new Int32Array(edgeCount);
    const inProbability = new Float64Array(edgeCount);
    const outFill = outStart.slice(0, n);
    const inFill = inStart.slice(0, n);
    for (let e = 0; e < edgeCount; e++) {
      const s = from[e];
      const t = to[e];
      const p = weights[e] / this.exitWeight[s];
      const o = outFill[s]++;
      outTo[o] = t;
      outProbability[o] = p;
      const i = inFill[t]++;
      inFrom[i] = s;
      inProbability[i] = p;
    }
    const start = new Float64Array(n);
    const conversion = new Float64Array(n);
    const meanValue = new Float64Array(n);
    const exit = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      exit[s] = this.exitWeight[s] > 0 ? (this.conversions[s] + this.nullWeight[s]) / this.exitWeight[s] : 0;
      start[s] = this.totalWeight > 0 ? this.startWeight[s] / this.totalWeight : 0;
      conversion[s] = this.exitWeight[s] > 0 ? this.conversions[s] / this.exitWeight[s] : 0;
      meanValue[s] = this.conversions[s] > 0 ? this.values[s] / this.conversions[s] : 0;
    }
    // Distinct channels per state, for "every state containing channel c".
    const stateChannelStart = new Int32Array(n + 1);
    const channels: number[] = [];
    for (let s = 0; s < n; s++) {
      const key = this.states.keyOf(s);
      for (let i = 0; i < key.length && key[i] >= 0; i++) {
        let seen = false;
        for (let j = 0; j < i; j++) if (key[j] === key[i]) seen = true;
        if (!seen) channels.push(key[i]);
      }
      stateChannelStart[s + 1] = channels.length;
    }
    return {
      order: this.order,
      stateCount: n,
      start,
      conversion,
      exit,
      meanValue,
      outStart,
      outTo,
      outProbability,
      inStart,
      inFrom,
      inProbability,
      stateChannelStart,
      stateChannels: Int32Array.from(channels),
      journeyWeight: this.totalWeight,
    };
  }
}
