/**
 * Buyer-journey statistics from aggregated paths: the most frequent paths, the path-length summary
 * and the role each channel plays in converting journeys (who opens, who assists, who closes).
 *
 * Input is the same as IMC.ATTRIBUTE's (domain.md §3): path text split on a one-character separator
 * (default `>`), spaces around channel names trimmed, empty tokens skipped, duplicate paths summed;
 * each row carries conversions, optionally their value and nulls (journeys with the path that did
 * not convert).
 *
 * Glossary (per path or row): L, touches (channel occurrences, repeats kept); c, conversions;
 * n, nulls; journeys J = c + n; conversion rate c / J; value v (of the c conversions).
 *
 * Channel roles, over converting journeys and weighted by conversions:
 * - first touch share of a channel: Σ c over paths it opens / Σ c;
 * - last touch share: Σ c over paths it closes / Σ c (a one-touch path counts as first and last);
 * - assisting touch share: its touches strictly between the first and the last (each occurrence,
 *   × c) / all such touches; every share is 0 when no converting path has three or more touches;
 * - converting journeys touched: Σ c over paths it appears in (once per path) / Σ c.
 *
 * Channel names are interned once (NameTable); each path is scanned once into channel ids and
 * looked up as an integer sequence in an open-addressing table, so a million rows need no string
 * per row.
 *
 * References: domain.md §3 (path parsing); Google Analytics "conversion paths" and "assisted
 * conversions" reports (first / assisting / last interaction roles).
 */

import { EngineError } from "../errors";
import { isBlank, NameTable } from "../attribution/intTables";

/** Path lengths are summarised 1, 2, …, 9 and "10 or more" touches. */
export const PATH_LENGTH_BANDS = 10;

/** Default number of paths reported. */
export const DEFAULT_TOP_PATHS = 10;

/** One distinct path and its totals. */
export interface PathSummary {
  /** The channels in order, joined by " <separator> " ("Email > Search"). */
  readonly path: string;
  /** Channel ids in order (see {@link PathStats.channels}). */
  readonly channelIds: readonly number[];
  /** Touches L. */
  readonly touches: number;
  /** Journeys J = conversions + nulls. */
  readonly journeys: number;
  readonly conversions: number;
  /** conversions / journeys; null when there is no journey. */
  readonly conversionRate: number | null;
  /** Total value of the conversions. */
  readonly value: number;
  /** value / journeys; null when there is no journey. */
  readonly valuePerJourney: number | null;
}

/** One path-length band: journeys of `touches` touches (the last band: that many or more). */
export interface LengthBand {
  /** 1 … {@link PATH_LENGTH_BANDS}; the last band holds every longer path. */
  readonly touches: number;
  /** True for the last, open band ("10+"). */
  readonly orMore: boolean;
  readonly journeys: number;
  readonly conversions: number;
  /** conversions / journeys; null when there is no journey. */
  readonly conversionRate: number | null;
  readonly value: number;
}

/** A channel's role in converting journeys (shares in [0, 1]; see the file comment). */
export interface ChannelRole {
  readonly channel: string;
  readonly firstShare: number;
  readonly assistShare: number;
  readonly lastShare: number;
  /** Share of converting journeys that include the channel. */
  readonly touchedShare: number;
  /** Conversions whose path the channel opens / assists (touches) / closes / appears in. */
  readonly first: number;
  readonly assists: number;
  readonly last: number;
  readonly touched: number;
}

/** What {@link PathStatsAggregator.result} returns. */
export interface PathStats {
  /** Channel names by id (order of first appearance). */
  readonly channels: readonly string[];
  readonly totals: {
    /** Rows fed. */
    readonly rows: number;
    /** Distinct paths. */
    readonly paths: number;
    readonly journeys: number;
    readonly conversions: number;
    readonly nulls: number;
    readonly value: number;
  };
  /** The `top` most frequent paths: by journeys, descending, ties by path text (code-unit order). */
  readonly topPaths: readonly PathSummary[];
  /** Exactly {@link PATH_LENGTH_BANDS} bands, 1 touch first. */
  readonly lengths: readonly LengthBand[];
  /** Channels in converting journeys, by converting journeys touched (descending), ties by name; channels only in non-converting journeys come last with zeros. */
  readonly roles: readonly ChannelRole[];
}

/** Options of {@link PathStatsAggregator.result}. */
export interface PathStatsOptions {
  /** Number of paths in `topPaths`, a whole number ≥ 1 (default {@link DEFAULT_TOP_PATHS}). */
  readonly top?: number;
  /** Text between channels in path names (default " > "). */
  readonly joiner?: string;
}

const EMPTY = 0;

/** Rows whose path look-ups are done together (see PathStatsAggregator.flush). */
const BATCH = 32;

// Read once: under CommonJS interop (tsx, vitest) every read of an imported binding is a getter call.
const isWhitespace = isBlank;

/**
 * Collects path statistics in one pass.
 *
 * ```ts
 * const stats = new PathStatsAggregator();
 * stats.addPath("Email > Search", ">", 3, 120, 7);
 * const { topPaths, lengths, roles } = stats.result({ top: 10 });
 * ```
 */
export class PathStatsAggregator {
  private readonly names = new NameTable();
  private touches = new Int32Array(64);
  // Distinct paths, one record each, one after another in `pool`: at an even offset `base`, the
  // path's hash and its length L, then its journeys, conversions and value as three doubles (read
  // through `poolSums`, a view of the same memory: index base / 2 + 1 ..), then its L channel ids,
  // padded to an even count. The hash table holds record offsets + 1, so a look-up reads one slot
  // and one stretch of memory: with half a million distinct paths, memory latency is the cost.
  private pool = new Int32Array(4096);
  private poolSums = new Float64Array(this.pool.buffer);
  private poolUsed = 0;
  private pathCount = 0;
  private slots = new Int32Array(512);
  private mask = 511;
  // Per length band.
  private readonly bandJourneys = new Float64Array(PATH_LENGTH_BANDS);
  private readonly bandConversions = new Float64Array(PATH_LENGTH_BANDS);
  private readonly bandValue = new Float64Array(PATH_LENGTH_BANDS);
  // Per channel id (grown with the names).
  private first = new Float64Array(16);
  private last = new Float64Array(16);
  private assists = new Float64Array(16);
  private touched = new Float64Array(16);
  private stamp = new Int32Array(16);
  private journeyStamp = 0;
  private rows = 0;
  private conversions = 0;
  // Rows waiting for their path look-up (see flush): row k's channel ids at
  // batchTouches[batchOffset[k] .. + batchLength[k]), its journeys, conversions and value at batchSums[3k ..].
  private batchCount = 0;
  private batchUsed = 0;
  private batchTouches = new Int32Array(BATCH * 16);
  private readonly batchOffset = new Int32Array(BATCH);
  private readonly batchLength = new Int32Array(BATCH);
  private readonly batchHash = new Int32Array(BATCH);
  private readonly batchSums = new Float64Array(BATCH * 3);
  /** Where flush's early reads go, so that they are not optimised away. */
  private sink = 0;

  /**
   * @param expectedRows rows about to be fed, when known (≥ 0): the tables are sized for them at
   *   once. Growing a table of a million paths step by step allocates large buffers again and again,
   *   and each large allocation can set off a full garbage collection of the caller's data.
   */
  constructor(expectedRows = 0) {
    if (expectedRows > 256) {
      let slots = 1024;
      while (slots < expectedRows * 2) slots *= 2;
      this.slots = new Int32Array(slots);
      this.mask = slots - 1;
      // Room for every row being a distinct path of 4 touches, or 70% of them of 8 (each record is
      // 8 + L, rounded up to even, ints). Together with the slots this stays under 64 MB for a million
      // rows: V8 starts a full garbage collection (of the caller's cells too) after more new outside-
      // the-heap memory than that.
      this.pool = new Int32Array(expectedRows * 12);
      this.poolSums = new Float64Array(this.pool.buffer);
    }
  }
  private nulls = 0;
  private value = 0;

  /** Id of a channel name (trimmed by the caller), interning it when new. */
  channelId(name: string): number {
    const id = this.names.idOf(name);
    if (id >= this.first.length) this.growChannels();
    return id;
  }

  /**
   * Adds one row of path data.
   *
   * @param text path text, channels in time order separated by `separator`.
   * @param separator one character, e.g. `>`.
   * @param conversions conversions of the path, ≥ 0.
   * @param value their total value, ≥ 0.
   * @param nulls non-converting journeys with this path, ≥ 0.
   * @param row 1-based row for messages (default: rows fed so far + 1).
   * @throws EngineError INVALID_INPUT naming `paths`, `conversions`, `values` or `nulls` and the row:
   *   a path without a channel name, a negative or non-finite number, a value without conversions.
   */
  addPath(text: string, separator: string, conversions: number, value: number, nulls: number, row?: number): void {
    if (separator.length !== 1) {
      throw new EngineError("INVALID_INPUT", `separator: "${separator}" must be a single character, such as >`, { argument: "separator" });
    }
    const sep = separator.charCodeAt(0);
    const end = text.length;
    const table = this.names;
    let length = 0;
    let i = 0;
    while (i <= end) {
      let code = 0;
      while (i < end && isWhitespace((code = text.charCodeAt(i)))) i++;
      if (i < end && code !== sep) {
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
      while (i < end && text.charCodeAt(i) !== sep) {
        if (!isWhitespace(text.charCodeAt(i))) b = i + 1;
        i++;
      }
      if (b > a) {
        if (length === this.touches.length) this.growTouches(length * 2);
        const id = table.idOfRange(text, a, b);
        if (id >= this.first.length) this.growChannels();
        this.touches[length++] = id;
      }
      i++;
    }
    if (length === 0) {
      const where = row ?? this.rows + 1;
      const shown = text.length > 40 ? `${text.slice(0, 39)}…` : text;
      throw new EngineError("INVALID_INPUT", `paths row ${where}: "${shown}" has no channel name`, { argument: "paths", row: where });
    }
    this.addTouches(length, conversions, value, nulls, row);
  }

  /**
   * Adds one journey (or several with the same path) given as channel ids from {@link channelId}.
   *
   * @param ids channel ids in time order (the first `length` are read).
   * @param length touches, ≥ 1.
   * @param conversions conversions, ≥ 0.
   * @param value their value, ≥ 0.
   * @param nulls non-converting journeys, ≥ 0.
   * @param row 1-based row for messages.
   * @throws EngineError INVALID_INPUT for an empty path, an unknown id or a bad number.
   */
  addJourney(ids: ArrayLike<number>, length: number, conversions: number, value: number, nulls: number, row?: number): void {
    if (length > this.touches.length) this.growTouches(length);
    for (let i = 0; i < length; i++) {
      const c = ids[i];
      if (!Number.isInteger(c) || c < 0 || c >= this.names.names.length) {
        throw new EngineError("INVALID_INPUT", `journey ${row ?? this.rows + 1}: touch ${i + 1} has an unknown channel`);
      }
      this.touches[i] = c;
    }
    this.addTouches(length, conversions, value, nulls, row);
  }

  private addTouches(length: number, conversions: number, value: number, nulls: number, row: number | undefined): void {
    const where = row ?? this.rows + 1;
    if (length < 1) throw new EngineError("INVALID_INPUT", `journey ${where}: has no touch`, { row: where });
    check(conversions, "conversions", where);
    check(value, "values", where);
    check(nulls, "nulls", where);
    if (value > 0 && conversions === 0) {
      throw new EngineError("INVALID_INPUT", `values row ${where}: a value of ${String(value)} with 0 conversions; value belongs to conversions`, { argument: "values", row: where });
    }
    this.rows++;
    this.conversions += conversions;
    this.nulls += nulls;
    this.value += value;
    const journeys = conversions + nulls;
    const touches = this.touches;
    this.queuePath(length, journeys, conversions, value);
    const band = length >= PATH_LENGTH_BANDS ? PATH_LENGTH_BANDS - 1 : length - 1;
    this.bandJourneys[band] += journeys;
    this.bandConversions[band] += conversions;
    this.bandValue[band] += value;
    if (conversions > 0) {
      const lastIndex = length - 1;
      this.first[touches[0]] += conversions;
      this.last[touches[lastIndex]] += conversions;
      const journey = ++this.journeyStamp;
      for (let i = 0; i < length; i++) {
        const c = touches[i];
        if (i > 0 && i < lastIndex) this.assists[c] += conversions;
        if (this.stamp[c] !== journey) {
          this.stamp[c] = journey;
          this.touched[c] += conversions;
        }
      }
    }
  }

  /** Queues the path `touches[0 .. length)` and its sums for the next {@link flush}, which runs when the batch is full. */
  private queuePath(length: number, journeys: number, conversions: number, value: number): void {
    const k = this.batchCount;
    const offset = this.batchUsed;
    if (offset + length > this.batchTouches.length) {
      const grown = new Int32Array(Math.max(offset + length, this.batchTouches.length * 2));
      grown.set(this.batchTouches);
      this.batchTouches = grown;
    }
    const target = this.batchTouches;
    const touches = this.touches;
    for (let i = 0; i < length; i++) target[offset + i] = touches[i];
    this.batchOffset[k] = offset;
    this.batchLength[k] = length;
    this.batchSums[3 * k] = journeys;
    this.batchSums[3 * k + 1] = conversions;
    this.batchSums[3 * k + 2] = value;
    this.batchUsed = offset + length;
    this.batchCount = k + 1;
    if (k + 1 === BATCH) this.flush();
  }

  /**
   * Looks up (or inserts) the queued paths, in the order they were fed, and adds their sums.
   *
   * With half a million distinct paths the table does not fit in the processor's caches, so each
   * look-up waits on memory: its hash slot, its stretch of the pool, its sums. Done one row at a
   * time those waits add up; here the whole batch first reads its slots, then the pools they point
   * to, then the sums, with no read depending on another of the same step, so the processor waits
   * for them together. The look-ups proper then run in row order, as before, on cached memory: ids,
   * sums and their order of addition are exactly those of one row at a time.
   */
  private flush(): void {
    const n = this.batchCount;
    if (n === 0) return;
    const source = this.batchTouches;
    const offsets = this.batchOffset;
    const lengths = this.batchLength;
    const hashes = this.batchHash;
    const slots = this.slots;
    const mask = this.mask;
    const pool = this.pool;
    let touched = 0;
    for (let k = 0; k < n; k++) {
      const offset = offsets[k];
      const length = lengths[k];
      let hash = length;
      for (let i = 0; i < length; i++) {
        hash = Math.imul(hash ^ source[offset + i], 0x9e3779b1);
        hash ^= hash >>> 15;
      }
      hashes[k] = hash;
    }
    // Loops of reads and little else, so that many reads are in flight at once.
    for (let k = 0; k < n; k++) {
      const hash = hashes[k];
      touched ^= slots[(hash ^ (hash >>> 16)) & mask];
    }
    for (let k = 0; k < n; k++) {
      const hash = hashes[k];
      const stored = slots[(hash ^ (hash >>> 16)) & mask];
      if (stored !== EMPTY) touched ^= pool[stored];
    }
    this.sink ^= touched;
    const batchSums = this.batchSums;
    for (let k = 0; k < n; k++) {
      const d = (this.recordOf(source, offsets[k], lengths[k], hashes[k]) >> 1) + 1;
      const target = this.poolSums;
      target[d] += batchSums[3 * k];
      target[d + 1] += batchSums[3 * k + 1];
      target[d + 2] += batchSums[3 * k + 2];
    }
    this.batchCount = 0;
    this.batchUsed = 0;
  }

  /** Record offset of the path `source[offset .. offset + length)` whose hash is `hash`, adding the record when new. */
  private recordOf(source: Int32Array, offset: number, length: number, hash: number): number {
    const slots = this.slots;
    const pool = this.pool;
    let slot = (hash ^ (hash >>> 16)) & this.mask;
    for (;;) {
      const stored = slots[slot];
      if (stored === EMPTY) break;
      const base = stored - 1;
      if (pool[base] === hash && pool[base + 1] === length) {
        let i = 0;
        while (i < length && pool[base + 8 + i] === source[offset + i]) i++;
        if (i === length) return base;
      }
      slot = (slot + 1) & this.mask;
    }
    const size = 8 + length + (length & 1);
    if (this.poolUsed + size > this.pool.length) {
      const grown = new Int32Array(Math.max(this.poolUsed + size, this.pool.length * 2));
      grown.set(this.pool);
      this.pool = grown;
      this.poolSums = new Float64Array(grown.buffer);
    }
    const base = this.poolUsed;
    const target = this.pool;
    target[base] = hash;
    target[base + 1] = length;
    // New memory is zero, so the three sums start at 0.
    for (let i = 0; i < length; i++) target[base + 8 + i] = source[offset + i];
    this.poolUsed += size;
    this.pathCount++;
    slots[slot] = base + 1;
    if (this.pathCount * 2 > this.mask + 1) this.rehash();
    return base;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    const pool = this.pool;
    for (let base = 0; base < this.poolUsed; base = nextRecord(pool, base)) {
      const hash = pool[base];
      let slot = (hash ^ (hash >>> 16)) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = base + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  private growTouches(size: number): void {
    const grown = new Int32Array(Math.max(size, this.touches.length * 2));
    grown.set(this.touches);
    this.touches = grown;
  }

  private growChannels(): void {
    const size = Math.max(this.first.length * 2, this.names.names.length + 1);
    const float = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.first = float(this.first);
    this.last = float(this.last);
    this.assists = float(this.assists);
    this.touched = float(this.touched);
    const stamp = new Int32Array(size);
    stamp.set(this.stamp);
    this.stamp = stamp;
  }

  /** The text of the path whose record is at `record`, channels joined by `joiner`. */
  private pathText(record: number, joiner: string): string {
    const names = this.names.names;
    const base = record + 8;
    const length = this.pool[record + 1];
    let text = names[this.pool[base]];
    for (let i = 1; i < length; i++) text += joiner + names[this.pool[base + i]];
    return text;
  }

  /**
   * The statistics of everything fed so far.
   *
   * @param options number of top paths and the joiner of path names; see {@link PathStatsOptions}.
   * @returns see {@link PathStats}.
   * @throws EngineError INSUFFICIENT_DATA when no row was fed; INVALID_INPUT (top) when top is not a whole number ≥ 1.
   */
  result(options: PathStatsOptions = {}): PathStats {
    if (this.rows === 0) throw new EngineError("INSUFFICIENT_DATA", "paths: no journeys to summarise", { argument: "paths" });
    this.flush();
    const top = options.top ?? DEFAULT_TOP_PATHS;
    if (!Number.isInteger(top) || top < 1) {
      throw new EngineError("INVALID_INPUT", `top: ${String(top)} must be a whole number of paths, 1 or more`, { argument: "top" });
    }
    const joiner = options.joiner ?? " > ";
    // Top paths by a bounded insertion: most rows never beat the current last place.
    const texts = new Map<number, string>();
    const textOf = (p: number) => {
      let text = texts.get(p);
      if (text === undefined) {
        text = this.pathText(p, joiner);
        texts.set(p, text);
      }
      return text;
    };
    const before = (a: number, b: number) => {
      const d = this.poolSums[(a >> 1) + 1] - this.poolSums[(b >> 1) + 1];
      if (d !== 0) return d > 0;
      return textOf(a) < textOf(b);
    };
    const best: number[] = [];
    for (let p = 0; p < this.poolUsed; p = nextRecord(this.pool, p)) {
      if (best.length === top && !before(p, best[top - 1])) continue;
      let at = best.length === top ? top - 1 : best.length;
      if (best.length < top) best.push(p);
      while (at > 0 && before(p, best[at - 1])) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = p;
    }
    const topPaths: PathSummary[] = best.map((p) => {
      const journeys = this.poolSums[(p >> 1) + 1];
      const conversions = this.poolSums[(p >> 1) + 2];
      const value = this.poolSums[(p >> 1) + 3];
      const base = p + 8;
      const length = this.pool[p + 1];
      const ids = Array.from(this.pool.subarray(base, base + length));
      return {
        path: textOf(p),
        channelIds: ids,
        touches: length,
        journeys,
        conversions,
        conversionRate: journeys > 0 ? conversions / journeys : null,
        value,
        valuePerJourney: journeys > 0 ? value / journeys : null,
      };
    });
    const lengths: LengthBand[] = [];
    for (let b = 0; b < PATH_LENGTH_BANDS; b++) {
      const journeys = this.bandJourneys[b];
      lengths.push({
        touches: b + 1,
        orMore: b === PATH_LENGTH_BANDS - 1,
        journeys,
        conversions: this.bandConversions[b],
        conversionRate: journeys > 0 ? this.bandConversions[b] / journeys : null,
        value: this.bandValue[b],
      });
    }
    const names = this.names.names;
    let assistTotal = 0;
    for (let c = 0; c < names.length; c++) assistTotal += this.assists[c];
    const total = this.conversions;
    const share = (x: number, of: number) => (of > 0 ? x / of : 0);
    const roles: ChannelRole[] = names.map((channel, c) => ({
      channel,
      firstShare: share(this.first[c], total),
      assistShare: share(this.assists[c], assistTotal),
      lastShare: share(this.last[c], total),
      touchedShare: share(this.touched[c], total),
      first: this.first[c],
      assists: this.assists[c],
      last: this.last[c],
      touched: this.touched[c],
    }));
    roles.sort((a, b) => b.touched - a.touched || (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0));
    return {
      channels: names.slice(),
      totals: {
        rows: this.rows,
        paths: this.pathCount,
        journeys: this.conversions + this.nulls,
        conversions: this.conversions,
        nulls: this.nulls,
        value: this.value,
      },
      topPaths,
      lengths,
      roles,
    };
  }
}

/** Offset of the record after the one at `base` (see PathStatsAggregator.pool). */
function nextRecord(pool: Int32Array, base: number): number {
  const length = pool[base + 1];
  return base + 8 + length + (length & 1);
}

function check(x: number, argument: string, row: number): void {
  if (!(x >= 0) || !Number.isFinite(x)) {
    throw new EngineError("INVALID_INPUT", `${argument} row ${row}: ${String(x)} must be a number, 0 or more`, { argument, row });
  }
}

