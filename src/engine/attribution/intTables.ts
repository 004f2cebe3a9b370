/**
 * Open-addressing hash tables keyed by small tuples of integers, for the Markov chain builder.
 *
 * A million journeys add about ten million state look-ups and transitions; a `Map` keyed by strings
 * or boxed numbers would allocate per look-up. These tables keep keys in typed arrays, allocate only
 * when they grow (doubling), and hand out dense ids 0, 1, 2… in order of first insertion, so the
 * caller can keep per-id data in parallel typed arrays.
 */

const EMPTY = 0;

function mix(hash: number, value: number): number {
  // Multiply-xorshift step (as in MurmurHash3's fmix32), enough to spread consecutive ids.
  let h = Math.imul(hash ^ value, 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b);
}

/** Integer tuples of a fixed maximum width (shorter tuples are padded with −1) → dense ids. */
export class TupleTable {
  /** Tuple width: every key has `width` slots, unused ones hold −1. */
  readonly width: number;
  private keys: Int32Array;
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  /**
   * @param width maximum tuple length, 1 to 8.
   * @param initialCapacity expected number of distinct keys (grows as needed).
   */
  constructor(width: number, initialCapacity = 64) {
    this.width = width;
    let size = 16;
    while (size < initialCapacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    this.keys = new Int32Array(Math.max(16, initialCapacity) * width);
  }

  /** Number of distinct keys. */
  get size(): number {
    return this.count;
  }

  /** The stored key of `id` (read-only view of `width` integers, −1 padded). */
  keyOf(id: number): Int32Array {
    return this.keys.subarray(id * this.width, (id + 1) * this.width);
  }

  /**
   * Id of the tuple `source[start .. start + length)` (length ≤ width), inserting it when new.
   */
  idOf(source: Int32Array, start: number, length: number): number {
    const width = this.width;
    let hash = length;
    for (let i = 0; i < length; i++) hash = mix(hash, source[start + i]);
    let slot = (hash ^ (hash >>> 16)) & this.mask;
    const keys = this.keys;
    for (;;) {
      const stored = this.slots[slot];
      if (stored === EMPTY) break;
      const base = (stored - 1) * width;
      let equal = true;
      for (let i = 0; i < width; i++) {
        const expected = i < length ? source[start + i] : -1;
        if (keys[base + i] !== expected) {
          equal = false;
          break;
        }
      }
      if (equal) return stored - 1;
      slot = (slot + 1) & this.mask;
    }
    const id = this.count++;
    if (this.keys.length < this.count * width) {
      const grown = new Int32Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    const base = id * width;
    for (let i = 0; i < width; i++) this.keys[base + i] = i < length ? source[start + i] : -1;
    this.slots[slot] = id + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    const width = this.width;
    for (let id = 0; id < this.count; id++) {
      const base = id * width;
      let length = 0;
      let hash = 0;
      while (length < width && this.keys[base + length] !== -1) length++;
      hash = length;
      for (let i = 0; i < length; i++) hash = mix(hash, this.keys[base + i]);
      let slot = (hash ^ (hash >>> 16)) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Side of the direct-mapped table of {@link PairTable}: pairs of numbers below it need no hashing. */
const DIRECT_SIDE = 64;

/** Ordered pairs of non-negative integers (a transition from → to) → dense ids with a weight each. */
export class PairTable {
  /** Ids + 1 of the pairs (a, b) with a, b < DIRECT_SIDE, at a · DIRECT_SIDE + b (0: not yet seen). */
  private readonly direct = new Int32Array(DIRECT_SIDE * DIRECT_SIDE);
  private from: Int32Array;
  private to: Int32Array;
  private weights: Float64Array;
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 256) {
    let size = 16;
    while (size < initialCapacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    const capacity = Math.max(16, initialCapacity);
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.weights = new Float64Array(capacity);
  }

  /** Number of distinct pairs. */
  get size(): number {
    return this.count;
  }

  /** Adds `weight` to the pair (a, b), creating it with weight 0 first when new. */
  add(a: number, b: number, weight: number): void {
    // Pairs of small numbers (the first states, where most transitions fall) skip the hash probe.
    const direct = a < DIRECT_SIDE && b < DIRECT_SIDE ? a * DIRECT_SIDE + b : -1;
    if (direct >= 0) {
      const known = this.direct[direct];
      if (known !== EMPTY) {
        this.weights[known - 1] += weight;
        return;
      }
    }
    const hash = mix(mix(2, a), b);
    let slot = (hash ^ (hash >>> 16)) & this.mask;
    for (;;) {
      const stored = this.slots[slot];
      if (stored === EMPTY) break;
      const id = stored - 1;
      if (this.from[id] === a && this.to[id] === b) {
        this.weights[id] += weight;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.count++;
    if (id >= this.from.length) this.grow();
    this.from[id] = a;
    this.to[id] = b;
    this.weights[id] = weight;
    this.slots[slot] = id + 1;
    if (direct >= 0) this.direct[direct] = id + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  /** The pairs and their weights, trimmed to {@link size} (copies). */
  entries(): { from: Int32Array; to: Int32Array; weights: Float64Array } {
    return {
      from: this.from.slice(0, this.count),
      to: this.to.slice(0, this.count),
      weights: this.weights.slice(0, this.count),
    };
  }

  private grow(): void {
    const capacity = this.from.length * 2;
    const from = new Int32Array(capacity);
    const to = new Int32Array(capacity);
    const weights = new Float64Array(capacity);
    from.set(this.from);
    to.set(this.to);
    weights.set(this.weights);
    this.from = from;
    this.to = to;
    this.weights = weights;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      const hash = mix(mix(2, this.from[id]), this.to[id]);
      let slot = (hash ^ (hash >>> 16)) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Start value of a name hash (FNV-1a, 32 bits). */
export const NAME_HASH_SEED = 0x811c9dc5 | 0;

/** Adds one UTF-16 code unit to a name hash. */
export function nameHashStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

/**
 * Whether a character is one of those trimmed around channel names: space, tab, CR, LF, no-break space.
 *
 * @param code a UTF-16 code unit (or −1 / NaN for "no character": false).
 * @returns true for the five blanks.
 */
export function isBlank(code: number): boolean {
  return code <= 32 ? code === 32 || code === 9 || code === 10 || code === 13 : code === 160;
}

/** Size of {@link NameTable}'s table of names by their first two characters (a power of 2). */
const LEAD_SIZE = 1024;
/** Names kept per lead slot (names sharing their first two characters, such as Direct and Display). */
const LEAD_WAYS = 4;

/** Slot of a name in the lead table: its first code unit and its second (−1 when absent or blank). */
function leadSlot(first: number, second: number): number {
  return ((first << 5) ^ (second & 0xffff)) & (LEAD_SIZE - 1);
}

/**
 * Channel names → dense ids, looked up straight from a slice of a longer text (a path) without
 * cutting the slice out first: a million paths of eight touches would otherwise allocate eight
 * million short strings just to find ids that are already known.
 *
 * Two ways in: {@link idOfHashed} (the caller hashed the trimmed token while scanning it) and
 * {@link matchAt}, which guesses the name from the token's first two characters and checks it
 * against the text, so a known name costs one comparison instead of a hash of every character.
 */
export class NameTable {
  /** Names by id, in order of first appearance. */
  readonly names: string[] = [];
  /** After a successful {@link matchAt}: the index of the separator ending the token (or the end). */
  matchEnd = 0;
  private hashes = new Int32Array(16);
  private slots = new Int32Array(64);
  private mask = 63;
  /** UTF-16 code units of every name, name `id` at `codes[codeStart[id] .. codeStart[id + 1])`. */
  private codes = new Uint16Array(256);
  private codeStart = new Int32Array(17);
  /** Id + 1 of up to {@link LEAD_WAYS} names per lead slot (0: none); only names usable with {@link leadSeparator}. */
  private readonly leads = new Int32Array(LEAD_SIZE * LEAD_WAYS);
  /** The separator the lead table was built for (−1: not built). */
  private leadSeparator = -1;

  /** Id of `text[start .. end)`, inserting the name when new. */
  idOfRange(text: string, start: number, end: number): number {
    let hash = NAME_HASH_SEED;
    for (let i = start; i < end; i++) hash = nameHashStep(hash, text.charCodeAt(i));
    return this.idOfHashed(text, start, end, hash);
  }

  /** As {@link idOfRange}, with the slice's hash already computed by {@link nameHashStep} from {@link NAME_HASH_SEED}. */
  idOfHashed(text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    let slot = (hash ^ (hash >>> 15)) & this.mask;
    for (;;) {
      const stored = this.slots[slot];
      if (stored === EMPTY) break;
      const id = stored - 1;
      if (this.hashes[id] === hash && this.codeStart[id + 1] - this.codeStart[id] === length && this.sameAt(text, start, id)) return id;
      slot = (slot + 1) & this.mask;
    }
    const id = this.names.length;
    const name = start === 0 && end === text.length ? text : text.slice(start, end);
    this.names.push(name);
    if (id >= this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
      const starts = new Int32Array(this.hashes.length + 1);
      starts.set(this.codeStart);
      this.codeStart = starts;
    }
    this.hashes[id] = hash;
    const from = this.codeStart[id];
    if (from + length > this.codes.length) {
      const grown = new Uint16Array(Math.max(from + length, this.codes.length * 2));
      grown.set(this.codes);
      this.codes = grown;
    }
    for (let i = 0; i < length; i++) this.codes[from + i] = name.charCodeAt(i);
    this.codeStart[id + 1] = from + length;
    this.slots[slot] = id + 1;
    if (this.leadSeparator >= 0) this.addLead(id, this.leadSeparator);
    if (this.names.length * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** Id of a whole name, inserting it when new. */
  idOf(name: string): number {
    return this.idOfRange(name, 0, name.length);
  }

  /**
   * Id of the known name that the token starting at `text[at]` is, or −1 when that is not quickly
   * found (the caller then hashes the token and calls {@link idOfHashed}). A token runs to the next
   * `separator` or `end`; the name must fill it up to trailing blanks (a name that is only a prefix
   * of the token does not match). On success {@link matchEnd} is where the token ends.
   *
   * @param text the text holding the token.
   * @param at index of the token's first character, which is neither blank nor the separator (< end).
   * @param end index just after the text's last character to read.
   * @param separator UTF-16 code of the separator.
   * @returns the id, or −1.
   */
  matchAt(text: string, at: number, end: number, separator: number): number {
    if (separator !== this.leadSeparator) this.buildLeads(separator);
    let second = at + 1 < end ? text.charCodeAt(at + 1) : -1;
    if (second === separator || isBlank(second)) second = -1;
    const base = leadSlot(text.charCodeAt(at), second) * LEAD_WAYS;
    const codes = this.codes;
    for (let way = base; way < base + LEAD_WAYS; way++) {
      const stored = this.leads[way];
      if (stored === EMPTY) return -1;
      const id = stored - 1;
      const from = this.codeStart[id];
      const stop = at + this.codeStart[id + 1] - from;
      if (stop > end) continue;
      let i = at;
      while (i < stop && text.charCodeAt(i) === codes[from + i - at]) i++;
      if (i < stop) continue;
      for (; i < end; i++) {
        const code = text.charCodeAt(i);
        if (code === separator || !isBlank(code)) break;
      }
      if (i < end && text.charCodeAt(i) !== separator) continue;
      this.matchEnd = i;
      return id;
    }
    return -1;
  }

  /** Whether `text[start ..)` begins with the name `id`'s code units. */
  private sameAt(text: string, start: number, id: number): boolean {
    const from = this.codeStart[id];
    const to = this.codeStart[id + 1];
    const codes = this.codes;
    for (let k = from; k < to; k++) if (text.charCodeAt(start + k - from) !== codes[k]) return false;
    return true;
  }

  private buildLeads(separator: number): void {
    this.leads.fill(EMPTY);
    this.leadSeparator = separator;
    for (let id = 0; id < this.names.length; id++) this.addLead(id, separator);
  }

  /** Puts name `id` in its lead slot when the slot has room and the name can be a whole token: not empty, no blank at either end, no separator inside. */
  private addLead(id: number, separator: number): void {
    const from = this.codeStart[id];
    const to = this.codeStart[id + 1];
    if (to === from || isBlank(this.codes[from]) || isBlank(this.codes[to - 1])) return;
    for (let k = from; k < to; k++) if (this.codes[k] === separator) return;
    let second = to - from > 1 ? this.codes[from + 1] : -1;
    if (isBlank(second)) second = -1;
    const base = leadSlot(this.codes[from], second) * LEAD_WAYS;
    for (let way = base; way < base + LEAD_WAYS; way++) {
      if (this.leads[way] === EMPTY) {
        this.leads[way] = id + 1;
        return;
      }
    }
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.names.length; id++) {
      const hash = this.hashes[id];
      let slot = (hash ^ (hash >>> 15)) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
