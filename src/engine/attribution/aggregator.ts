/**
 * One streaming pass over journeys that collects everything every attribution model needs.
 *
 * Feed journeys one at a time (path text with {@link JourneyAggregator.addPath}, or channel ids with
 * {@link JourneyAggregator.addJourney}); the rule models (first, last, linear, position, time decay,
 * Shapley) add their credit at once, the Markov model adds its transition counts. Memory grows with
 * the channels, Markov states and transitions, never with the number of journeys, so a 5-million-row
 * CSV can be streamed through it line by line.
 *
 * Glossary: a journey is a path of L ≥ 1 touches (channels in time order) with its conversions
 * (≥ 0), their total value (≥ 0) and its nulls (journeys with the same path that did not convert,
 * ≥ 0). A row of path data with 3 conversions and 5 nulls is eight journeys with one path.
 *
 * References: domain.md §3 (definitions); see ruleModels.ts, shapley.ts, markovChain.ts and markov.ts.
 */

import { EngineError } from "../errors";
import { markovRemovalEffects } from "./markov";
import { isBlank, NAME_HASH_SEED, NameTable } from "./intTables";
import { MarkovChainBuilder, MAX_MARKOV_ORDER } from "./markovChain";
import {
  firstTouchWeights,
  lastTouchWeights,
  linearWeights,
  positionWeights,
  timeDecayWeights,
  type TouchWeights,
} from "./ruleModels";
import { shapleyWeights } from "./shapley";

/** The models, in the order they are reported side by side. */
export const ATTRIBUTION_MODELS = ["first", "last", "linear", "position", "time_decay", "markov", "shapley"] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

/** The models that split each converting journey's credit over its touches by a fixed rule. */
type RuleModel = Exclude<AttributionModel, "markov">;

/** Default half-life of the time-decay model, days. */
export const DEFAULT_HALF_LIFE_DAYS = 7;

export interface AggregatorOptions {
  /** Models to compute (default: all of {@link ATTRIBUTION_MODELS}). */
  readonly models?: readonly AttributionModel[];
  /** Order k of the Markov chain, 1 to 4 (default 1). */
  readonly markovOrder?: number;
  /** Half-life of the time-decay weight in days, > 0 (default 7). */
  readonly halfLifeDays?: number;
}

/** Conversions and value credited to each channel by one model, indexed by channel id. */
export interface ModelCredit {
  readonly conversions: Float64Array;
  readonly value: Float64Array;
}

/** The Markov model's own figures. */
export interface MarkovSummary {
  /** k. */
  readonly order: number;
  /** Number of transient states (merged channel windows). */
  readonly states: number;
  /** Raw removal effect per channel id, for conversions (RE_c in [0, 1]). */
  readonly removalEffect: Float64Array;
  /** Raw removal effect per channel id, for value. */
  readonly valueRemovalEffect: Float64Array;
  /** P(conversion) of the chain; exactly 1 when no nulls were given. */
  readonly conversionProbability: number;
  /** False when no journey had nulls: the chain then only knows converting journeys. */
  readonly hasNulls: boolean;
  /** Step cap used, or null for the exact infinite horizon. */
  readonly maxSteps: number | null;
  /** Largest Gauss–Seidel sweep count of the exact solve (0: every loop of states was solved directly). */
  readonly solverSweeps: number;
}

/** What {@link JourneyAggregator.result} returns. */
export interface AttributionResult {
  /** Channel names by id (order of first appearance). */
  readonly channels: readonly string[];
  /** Sums over the journeys fed. */
  readonly totals: {
    readonly conversions: number;
    readonly value: number;
    readonly nulls: number;
    /** Journeys (rows) fed, converting or not. */
    readonly rows: number;
  };
  /** Credit per model computed. */
  readonly credit: Partial<Record<AttributionModel, ModelCredit>>;
  /** Markov details, or null when the Markov model was not requested. */
  readonly markov: MarkovSummary | null;
}

/** Options for {@link JourneyAggregator.result}. */
export interface ResultOptions {
  /** Markov: count only conversions within this many states (whole number ≥ 1); null (default) for the exact model. */
  readonly maxSteps?: number | null;
}

// Read once: under CommonJS interop (tsx, vitest) every read of an imported binding is a getter call.
const HASH_SEED = NAME_HASH_SEED;

// The same function object as the name table uses, so that both trim exactly the same characters.
const isWhitespace = isBlank;

/**
 * Collects journeys for every attribution model in one pass.
 *
 * ```ts
 * const aggregator = new JourneyAggregator({ markovOrder: 1 });
 * aggregator.addPath("Email > Search > Direct", ">", 1, 120, 4);
 * const { channels, credit, markov } = aggregator.result();
 * ```
 */
export class JourneyAggregator {
  private readonly channelTable = new NameTable();
  private readonly models: readonly AttributionModel[];
  private readonly ruleModels: { model: AttributionModel; weights: TouchWeights }[] = [];
  private ruleConversions: Float64Array[] = [];
  private ruleValue: Float64Array[] = [];
  private readonly chain: MarkovChainBuilder | null;
  /** Index into ruleConversions / ruleValue of each rule model, −1 when not requested. */
  private readonly ruleSlots: Record<RuleModel, number> = { first: -1, last: -1, linear: -1, position: -1, time_decay: -1, shapley: -1 };
  private readonly halfLifeDays: number;
  /** 2^(−d/h) by whole days d (time decay of path text), grown on demand. */
  private decay = new Float64Array(0);
  /** Shapley: the number of the last journey that touched each channel id (sized with the channels). */
  private shapleyStamp = new Int32Array(16);
  private shapleyJourney = 0;
  private touches = new Int32Array(64);
  private weights = new Float64Array(64);
  private capacity = 16;
  private conversions = 0;
  private value = 0;
  private nulls = 0;
  private rows = 0;

  /**
   * @param options models, Markov order (1–4, default 1) and time-decay half-life (days > 0, default 7).
   * @throws EngineError INVALID_INPUT for an unknown model, an order outside 1–4 or a half-life that
   *   is not a positive finite number.
   */
  constructor(options: AggregatorOptions = {}) {
    const models = options.models ?? ATTRIBUTION_MODELS;
    for (const model of models) {
      if (!(ATTRIBUTION_MODELS as readonly string[]).includes(model)) {
        throw new EngineError("INVALID_INPUT", `JourneyAggregator: unknown model "${String(model)}"`, { argument: "model" });
      }
    }
    this.models = ATTRIBUTION_MODELS.filter((model) => models.includes(model));
    const order = options.markovOrder ?? 1;
    if (!Number.isInteger(order) || order < 1 || order > MAX_MARKOV_ORDER) {
      throw new EngineError(
        "INVALID_INPUT",
        `JourneyAggregator: Markov order ${String(order)} must be a whole number from 1 to ${MAX_MARKOV_ORDER}`,
        { argument: "order" },
      );
    }
    const halfLife = options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
    if (!(halfLife > 0) || !Number.isFinite(halfLife)) {
      throw new EngineError("INVALID_INPUT", `JourneyAggregator: half-life ${String(halfLife)} days must be a positive number`, {
        argument: "half_life_days",
      });
    }
    const rules: Partial<Record<AttributionModel, TouchWeights>> = {
      first: firstTouchWeights,
      last: lastTouchWeights,
      linear: linearWeights,
      position: positionWeights,
      time_decay: timeDecayWeights(halfLife),
      shapley: shapleyWeights(() => this.touches),
    };
    this.halfLifeDays = halfLife;
    for (const model of this.models) {
      const weights = rules[model];
      if (weights !== undefined) {
        this.ruleSlots[model as RuleModel] = this.ruleModels.length;
        this.ruleModels.push({ model, weights });
        this.ruleConversions.push(new Float64Array(this.capacity));
        this.ruleValue.push(new Float64Array(this.capacity));
      }
    }
    this.chain = this.models.includes("markov") ? new MarkovChainBuilder(order) : null;
  }

  /** Number of distinct channels seen so far. */
  get channelCount(): number {
    return this.channelTable.names.length;
  }

  /** Id of a channel name (trimmed by the caller), created on first use. */
  channelId(name: string): number {
    return this.channelIdOfRange(name, 0, name.length);
  }

  private channelIdOfRange(text: string, start: number, end: number): number {
    const id = this.channelTable.idOfRange(text, start, end);
    if (id >= this.capacity) this.growChannels();
    return id;
  }

  /**
   * Adds one row of path data: `Email > Search > Direct` with its conversions, value and nulls.
   *
   * The text is split on `separator`, spaces around channel names are trimmed and empty tokens are
   * skipped (`"A >> B"` is A, B).
   *
   * @param text the path.
   * @param separator one character, e.g. `>`.
   * @param conversions conversions of the path, ≥ 0 (may be fractional).
   * @param value total value of those conversions, ≥ 0; must be 0 when conversions is 0.
   * @param nulls non-converting journeys with this path, ≥ 0.
   * @param row 1-based row for messages (default: the number of rows fed so far + 1).
   * @throws EngineError INVALID_INPUT when the path has no channel or a number is invalid (see {@link addJourney}).
   */
  addPath(text: string, separator: string, conversions: number, value: number, nulls: number, row?: number): void {
    this.addPathRange(text, 0, text.length, separator, conversions, value, nulls, row);
  }

  /**
   * As {@link addPath} for the path `text[start .. end)`, e.g. the first field of a CSV line, without
   * cutting it out first (a streamed file has millions of lines).
   *
   * @param text text holding the path.
   * @param start index of the path's first character.
   * @param end index just after its last character (≤ text.length).
   * @param separator one character, e.g. `>`.
   * @param conversions conversions of the path, ≥ 0.
   * @param value total value of those conversions, ≥ 0; 0 when conversions is 0.
   * @param nulls non-converting journeys with this path, ≥ 0.
   * @param row 1-based row for messages (default: the number of rows fed so far + 1).
   * @throws EngineError INVALID_INPUT as {@link addPath}, or when the separator is not one character
   *   or the range is outside the text.
   */
  addPathRange(
    text: string,
    start: number,
    end: number,
    separator: string,
    conversions: number,
    value: number,
    nulls: number,
    row?: number,
  ): void {
    if (separator.length !== 1) {
      throw new EngineError("INVALID_INPUT", `separator: "${separator}" must be a single character, such as >`, { argument: "separator" });
    }
    if (!(start >= 0 && start <= end && end <= text.length)) {
      throw new EngineError("INVALID_INPUT", `JourneyAggregator: path range ${start}..${end} is outside the text (length ${text.length})`);
    }
    const sep = separator.charCodeAt(0);
    let length = 0;
    let i = start;
    // One pass: find each token, trim it and look it up; a token that is not quickly matched is hashed
    // as it is scanned (the hash stops at its last non-blank character).
    const table = this.channelTable;
    while (i <= end) {
      let code = 0;
      while (i < end && isWhitespace((code = text.charCodeAt(i)))) i++;
      if (i < end && code !== sep) {
        // A known name is usually found from its first two characters and one comparison.
        const id = table.matchAt(text, i, end, sep);
        if (id >= 0) {
          if (length === this.touches.length) this.growTouches(length * 2);
          this.touches[length++] = id;
          i = table.matchEnd + 1;
          continue;
        }
      }
      const a = i;
      let b = i;
      let hash = HASH_SEED;
      let trimmedHash = hash;
      while (i < end && (code = text.charCodeAt(i)) !== sep) {
        // nameHashStep, inlined: a call through a module binding per character costs more than the hash.
        hash = Math.imul(hash ^ code, 0x01000193);
        i++;
        if (!isWhitespace(code)) {
          b = i;
          trimmedHash = hash;
        }
      }
      if (b > a) {
        if (length === this.touches.length) this.growTouches(length * 2);
        const id = this.channelTable.idOfHashed(text, a, b, trimmedHash);
        if (id >= this.capacity) this.growChannels();
        this.touches[length++] = id;
      }
      i++;
    }
    if (length === 0) {
      const where = row ?? this.rows + 1;
      const path = text.slice(start, end);
      const shown = path.length > 40 ? `${path.slice(0, 39)}…` : path;
      throw new EngineError("INVALID_INPUT", `paths row ${where}: "${shown}" has no channel name`, { argument: "paths", row: where });
    }
    this.addTouches(length, conversions, value, nulls, null, row);
  }

  /**
   * Adds one journey given as channel ids (see {@link channelId}).
   *
   * @param touches channel ids in time order (first `length` read).
   * @param length number of touches, ≥ 1.
   * @param conversions conversions, ≥ 0.
   * @param value their total value, ≥ 0; 0 when conversions is 0.
   * @param nulls non-converting journeys with this path, ≥ 0.
   * @param daysBefore per touch, days before the conversion (≥ 0), for time decay; null to use L − 1 − i.
   * @param row 1-based row for messages (default: the number of rows fed so far + 1).
   * @throws EngineError INVALID_INPUT when length < 1, an id is unknown, or a number is negative,
   *   not finite, or a value is given without conversions.
   */
  addJourney(
    touches: ArrayLike<number>,
    length: number,
    conversions: number,
    value: number,
    nulls: number,
    daysBefore: Float64Array | null = null,
    row?: number,
  ): void {
    if (length > this.touches.length) this.growTouches(length);
    for (let i = 0; i < length; i++) {
      const c = touches[i];
      if (!Number.isInteger(c) || c < 0 || c >= this.channelTable.names.length) {
        throw new EngineError("INVALID_INPUT", `JourneyAggregator: touch ${i + 1} has unknown channel id ${String(c)}`);
      }
      this.touches[i] = c;
    }
    this.addTouches(length, conversions, value, nulls, daysBefore, row);
  }

  private addTouches(
    length: number,
    conversions: number,
    value: number,
    nulls: number,
    daysBefore: Float64Array | null,
    row: number | undefined,
  ): void {
    const where = row ?? this.rows + 1;
    if (length < 1) {
      throw new EngineError("INVALID_INPUT", `journey ${where}: has no touch`, { row: where });
    }
    if (!(conversions >= 0) || !Number.isFinite(conversions)) {
      throw new EngineError("INVALID_INPUT", `conversions row ${where}: ${String(conversions)} must be a number ≥ 0`, {
        argument: "conversions",
        row: where,
      });
    }
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new EngineError("INVALID_INPUT", `values row ${where}: ${String(value)} must be a number ≥ 0`, { argument: "values", row: where });
    }
    if (value > 0 && conversions === 0) {
      throw new EngineError("INVALID_INPUT", `values row ${where}: a value of ${String(value)} with 0 conversions; value belongs to conversions`, {
        argument: "values",
        row: where,
      });
    }
    if (!(nulls >= 0) || !Number.isFinite(nulls)) {
      throw new EngineError("INVALID_INPUT", `nulls row ${where}: ${String(nulls)} must be a number ≥ 0`, { argument: "nulls", row: where });
    }
    this.rows++;
    this.conversions += conversions;
    this.value += value;
    this.nulls += nulls;
    if (conversions > 0) {
      if (this.weights.length < length) this.weights = new Float64Array(Math.max(length, this.weights.length * 2));
      if (daysBefore === null) this.addRuleCredit(length, conversions, value);
      else this.addRuleCreditByWeights(length, conversions, value, daysBefore);
    }
    this.chain?.add(this.touches, length, conversions, value, nulls);
  }

  /**
   * The rule models' credit for a journey without dates, all models in one place: the same weights
   * and the same additions, in the same order, as {@link addRuleCreditByWeights} with the functions
   * of ruleModels.ts and shapley.ts (so results are identical to the last bit), without a call and a
   * weight array per model.
   */
  private addRuleCredit(length: number, conversions: number, value: number): void {
    const touches = this.touches;
    const slots = this.ruleSlots;
    const last = length - 1;
    let slot = slots.first;
    if (slot >= 0) {
      const conv = this.ruleConversions[slot];
      const val = this.ruleValue[slot];
      conv[touches[0]] += conversions;
      val[touches[0]] += value;
    }
    slot = slots.last;
    if (slot >= 0) {
      const conv = this.ruleConversions[slot];
      const val = this.ruleValue[slot];
      conv[touches[last]] += conversions;
      val[touches[last]] += value;
    }
    slot = slots.linear;
    if (slot >= 0) {
      const conv = this.ruleConversions[slot];
      const val = this.ruleValue[slot];
      const w = 1 / length;
      const wc = w * conversions;
      const wv = w * value;
      for (let i = 0; i < length; i++) {
        conv[touches[i]] += wc;
        val[touches[i]] += wv;
      }
    }
    slot = slots.position;
    if (slot >= 0) {
      const conv = this.ruleConversions[slot];
      const val = this.ruleValue[slot];
      if (length === 1) {
        conv[touches[0]] += conversions;
        val[touches[0]] += value;
      } else {
        const end = length === 2 ? 0.5 : 0.4;
        const wc = end * conversions;
        const wv = end * value;
        conv[touches[0]] += wc;
        val[touches[0]] += wv;
        if (length > 2) {
          const w = 0.2 / (length - 2);
          const mc = w * conversions;
          const mv = w * value;
          for (let i = 1; i < last; i++) {
            conv[touches[i]] += mc;
            val[touches[i]] += mv;
          }
        }
        conv[touches[last]] += wc;
        val[touches[last]] += wv;
      }
    }
    slot = slots.time_decay;
    if (slot >= 0) {
      const conv = this.ruleConversions[slot];
      const val = this.ruleValue[slot];
      if (this.decay.length < length) this.growDecay(length);
      const decay = this.decay;
      let total = 0;
      for (let i = 0; i < length; i++) total += decay[last - i];
      for (let i = 0; i < length; i++) {
        const w = decay[last - i] / total;
        if (w === 0) continue;
        conv[touches[i]] += w * conversions;
        val[touches[i]] += w * value;
      }
    }
    slot = slots.shapley;
    if (slot >= 0) {
      const conv = this.ruleConversions[slot];
      const val = this.ruleValue[slot];
      // Stamp each channel with the journey number: the first occurrence of a channel counts, repeats do not.
      const journey = ++this.shapleyJourney;
      const stamp = this.shapleyStamp;
      const firsts = this.weights;
      let distinct = 0;
      for (let i = 0; i < length; i++) {
        const c = touches[i];
        if (stamp[c] === journey) {
          firsts[i] = 0;
        } else {
          stamp[c] = journey;
          firsts[i] = 1;
          distinct++;
        }
      }
      const share = 1 / distinct;
      const sc = share * conversions;
      const sv = share * value;
      for (let i = 0; i < length; i++) {
        if (firsts[i] === 0) continue;
        conv[touches[i]] += sc;
        val[touches[i]] += sv;
      }
    }
  }

  /** The rule models' credit through their weight functions (journeys with days before the conversion). */
  private addRuleCreditByWeights(length: number, conversions: number, value: number, daysBefore: Float64Array): void {
    const touches = this.touches;
    const weights = this.weights;
    for (let m = 0; m < this.ruleModels.length; m++) {
      this.ruleModels[m].weights(length, daysBefore, weights);
      const conv = this.ruleConversions[m];
      const val = this.ruleValue[m];
      for (let i = 0; i < length; i++) {
        const w = weights[i];
        if (w === 0) continue;
        conv[touches[i]] += w * conversions;
        val[touches[i]] += w * value;
      }
    }
  }

  /** 2^(−d/h) for whole days d, as in ruleModels.ts timeDecayWeights (same formula, same values). */
  private growDecay(length: number): void {
    const grown = new Float64Array(Math.max(length, this.decay.length * 2, 16));
    for (let d = 0; d < grown.length; d++) grown[d] = Math.pow(2, -d / this.halfLifeDays);
    this.decay = grown;
  }

  private growTouches(size: number): void {
    const grown = new Int32Array(Math.max(size, this.touches.length * 2));
    grown.set(this.touches);
    this.touches = grown;
  }

  private growChannels(): void {
    this.capacity *= 2;
    const grow = (array: Float64Array) => {
      const grown = new Float64Array(this.capacity);
      grown.set(array);
      return grown;
    };
    this.ruleConversions = this.ruleConversions.map(grow);
    this.ruleValue = this.ruleValue.map(grow);
    const stamp = new Int32Array(this.capacity);
    stamp.set(this.shapleyStamp);
    this.shapleyStamp = stamp;
  }

  /**
   * Credit per channel for every model requested.
   *
   * Markov credit is RE_c / Σ RE × total conversions (and the value analogue); rule models add up to
   * the totals by construction.
   *
   * @param options `maxSteps` for the Markov model (null: exact).
   * @returns the {@link AttributionResult}.
   * @throws EngineError INSUFFICIENT_DATA when no row was fed or there are no conversions;
   *   INVALID_INPUT for a bad maxSteps; NOT_CONVERGED if a Markov solve hits its cap.
   */
  result(options: ResultOptions = {}): AttributionResult {
    if (this.rows === 0) throw new EngineError("INSUFFICIENT_DATA", "paths: no journeys to attribute", { argument: "paths" });
    if (!(this.conversions > 0)) {
      throw new EngineError("INSUFFICIENT_DATA", "conversions: no conversions to attribute (every row has 0)", { argument: "conversions" });
    }
    const channelCount = this.channelTable.names.length;
    const credit: Partial<Record<AttributionModel, ModelCredit>> = {};
    for (let m = 0; m < this.ruleModels.length; m++) {
      credit[this.ruleModels[m].model] = {
        conversions: this.ruleConversions[m].slice(0, channelCount),
        value: this.ruleValue[m].slice(0, channelCount),
      };
    }
    let markov: MarkovSummary | null = null;
    if (this.chain !== null) {
      const chain = this.chain.build();
      const effects = markovRemovalEffects(chain, channelCount, { maxSteps: options.maxSteps ?? null });
      const conversions = new Float64Array(channelCount);
      const value = new Float64Array(channelCount);
      let sum = 0;
      let sumValue = 0;
      for (let c = 0; c < channelCount; c++) {
        sum += effects.removalEffect[c];
        sumValue += effects.valueRemovalEffect[c];
      }
      for (let c = 0; c < channelCount; c++) {
        conversions[c] = sum > 0 ? (effects.removalEffect[c] / sum) * this.conversions : 0;
        value[c] = sumValue > 0 ? (effects.valueRemovalEffect[c] / sumValue) * this.value : 0;
      }
      credit.markov = { conversions, value };
      markov = {
        order: chain.order,
        states: chain.stateCount,
        removalEffect: effects.removalEffect,
        valueRemovalEffect: effects.valueRemovalEffect,
        conversionProbability: effects.conversionProbability,
        hasNulls: this.nulls > 0,
        maxSteps: effects.maxSteps,
        solverSweeps: effects.sweeps,
      };
    }
    return {
      channels: this.channelTable.names.slice(),
      totals: { conversions: this.conversions, value: this.value, nulls: this.nulls, rows: this.rows },
      credit,
      markov,
    };
  }
}

/**
 * Channel ids in the order tables show them: by credited conversions, descending, ties by name.
 *
 * @param conversions credited conversions per channel id.
 * @param names channel names by id.
 * @returns the ids, sorted.
 */
export function rankChannels(conversions: Float64Array, names: readonly string[]): number[] {
  const ids = names.map((_, id) => id);
  ids.sort((a, b) => conversions[b] - conversions[a] || (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
  return ids;
}
