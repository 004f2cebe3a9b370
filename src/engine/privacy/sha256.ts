/**
 * SHA-256 and HMAC-SHA-256 over text, for pseudonymising personal data without a platform crypto API
 * (the engine is pure: no Node `crypto`, no Web Crypto, which is asynchronous anyway).
 *
 * Glossary (FIPS 180-4): message schedule W₀…W₆₃, working variables a…h, round constants K_t (the
 * first 32 bits of the fractional parts of the cube roots of the first 64 primes), initial hash
 * H⁽⁰⁾ (square roots of the first 8 primes); Σ₀, Σ₁, σ₀, σ₁, Ch, Maj as in §4.1.2.
 * HMAC (RFC 2104): HMAC(K, m) = H((K′ ⊕ opad) ‖ H((K′ ⊕ ipad) ‖ m)), block size 64 bytes.
 *
 * References: NIST FIPS 180-4, *Secure Hash Standard* (2015), §4.1.2, §4.2.2, §5.3.3, §6.2;
 * H. Krawczyk, M. Bellare, R. Canetti, RFC 2104, *HMAC* (1997); test vectors: NIST "abc", "" and the
 * 448-bit message; RFC 4231 for HMAC-SHA-256.
 */

// Int32Array, not Uint32Array: values above 2³¹ would leave V8's small-integer fast path.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const H0 = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

// One schedule buffer for every call: hashing a million cells allocates no per-block arrays.
const W = new Int32Array(64);

/**
 * UTF-8 bytes of a string (no TextEncoder: the engine has no DOM or Node library). Lone surrogates
 * become U+FFFD, as TextEncoder does.
 */
export function utf8Bytes(text: string): Uint8Array {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      } else {
        code = 0xfffd;
      }
    } else if (code >= 0xd800 && code <= 0xdfff) {
      code = 0xfffd;
    }
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Processes one 64-byte block at `offset` into the state `h` (FIPS 180-4 §6.2.2 steps 1–4). */
function compress(h: Int32Array, bytes: Uint8Array, offset: number): void {
  for (let t = 0; t < 16; t++) {
    const i = offset + 4 * t;
    W[t] = (bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3];
  }
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15];
    const w2 = W[t - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
  }
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d = h[3];
  let e = h[4];
  let f = h[5];
  let g = h[6];
  let hh = h[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + S1 + ch + K[t] + W[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0;
  h[5] = (h[5] + f) | 0;
  h[6] = (h[6] + g) | 0;
  h[7] = (h[7] + hh) | 0;
}

// Scratch buffers reused by every call (hashing a million cells allocates nothing per cell):
// the padded tail (at most two blocks), the working state and the digest. `finish` returns DIGEST
// itself; the exported functions copy it.
const TAIL = new Uint8Array(128);
const STATE = new Int32Array(8);
const DIGEST = new Uint8Array(32);

/**
 * Finishes a hash whose first `prefixBytes` bytes (a multiple of 64) were already compressed into
 * `start`: compresses `message`, pads (0x80, zeros, the total length in bits, big-endian; §5.1.1)
 * and returns the digest in the shared DIGEST buffer (valid until the next call). `start` is not modified.
 */
function finish(start: Int32Array, prefixBytes: number, message: Uint8Array, length = message.length): Uint8Array {
  const h = STATE;
  h.set(start);
  const whole = length - (length % 64);
  for (let offset = 0; offset < whole; offset += 64) compress(h, message, offset);
  const rest = length - whole;
  const tailLength = rest < 56 ? 64 : 128;
  TAIL.fill(0);
  for (let i = 0; i < rest; i++) TAIL[i] = message[whole + i];
  TAIL[rest] = 0x80;
  const bits = (prefixBytes + length) * 8;
  const high = Math.floor(bits / 0x100000000);
  const low = bits >>> 0;
  TAIL[tailLength - 8] = high >>> 24;
  TAIL[tailLength - 7] = (high >>> 16) & 0xff;
  TAIL[tailLength - 6] = (high >>> 8) & 0xff;
  TAIL[tailLength - 5] = high & 0xff;
  TAIL[tailLength - 4] = low >>> 24;
  TAIL[tailLength - 3] = (low >>> 16) & 0xff;
  TAIL[tailLength - 2] = (low >>> 8) & 0xff;
  TAIL[tailLength - 1] = low & 0xff;
  compress(h, TAIL, 0);
  if (tailLength === 128) compress(h, TAIL, 64);
  const digest = DIGEST;
  for (let i = 0; i < 8; i++) {
    const word = h[i];
    digest[4 * i] = word >>> 24;
    digest[4 * i + 1] = (word >>> 16) & 0xff;
    digest[4 * i + 2] = (word >>> 8) & 0xff;
    digest[4 * i + 3] = word & 0xff;
  }
  return digest;
}

/**
 * SHA-256 digest of a byte string.
 *
 * @param message the bytes to hash (any length below 2^53 bits).
 * @returns the 32-byte digest.
 *
 * References: FIPS 180-4 §5.1.1 (padding), §6.2.2 (computation). Check: SHA-256("abc") =
 * ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad.
 */
export function sha256(message: Uint8Array): Uint8Array {
  return finish(H0, 0, message).slice();
}

/**
 * HMAC-SHA-256 with a fixed key: a keyed hash, so that without the key nobody can recompute the
 * hash of a guessed value (an email address or a phone number) to find who is behind a pseudonym.
 * The key's inner and outer blocks are compressed once, so each message costs only its own blocks.
 *
 * @param key the secret key bytes (any length; longer than 64 bytes is hashed first).
 * @returns a function from message bytes to the 32-byte MAC.
 *
 * References: RFC 2104 §2; RFC 4231 test cases 1, 2 and 6.
 */
export function createHmacSha256(key: Uint8Array): (message: Uint8Array) => Uint8Array {
  const digest = keyedDigest(key);
  return (message) => digest(message, message.length).slice();
}

/** HMAC-SHA-256 with precomputed key blocks; returns the shared DIGEST buffer. */
function keyedDigest(key: Uint8Array): (message: Uint8Array, length: number) => Uint8Array {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha256(key) : key);
  const pad = new Uint8Array(64);
  const inner = H0.slice();
  const outer = H0.slice();
  for (let i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
  compress(inner, pad, 0);
  for (let i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
  compress(outer, pad, 0);
  const innerDigest = new Uint8Array(32);
  return (message, length) => {
    innerDigest.set(finish(inner, 64, message, length));
    return finish(outer, 64, innerDigest);
  };
}

/**
 * HMAC-SHA-256 of one message (see {@link createHmacSha256} to reuse a key).
 *
 * @param key the secret key bytes.
 * @param message the bytes to authenticate.
 * @returns the 32-byte MAC.
 *
 * References: RFC 2104 §2; RFC 4231 test case 2 (key "Jefe").
 */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return createHmacSha256(key)(message);
}

// Text is encoded into one growing buffer rather than a new array per cell.
let textBuffer = new Uint8Array(256);

/** Encodes `text` as UTF-8 into textBuffer; returns the byte length. */
function encodeText(text: string): number {
  if (textBuffer.length < text.length * 3) textBuffer = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      textBuffer[n++] = code;
      continue;
    }
    // Rare: anything beyond ASCII goes through the general encoder.
    const bytes = utf8Bytes(text);
    if (textBuffer.length < bytes.length) textBuffer = new Uint8Array(bytes.length);
    textBuffer.set(bytes);
    return bytes.length;
  }
  return n;
}

const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? "0" : "") + i.toString(16));

/**
 * A function from text to the leading hexadecimal digits of its SHA-256 (no key) or HMAC-SHA-256
 * (keyed) over UTF-8, for hashing many cells quickly.
 *
 * @param key HMAC key as bytes, or null for a plain SHA-256.
 * @param hexDigits how many hexadecimal digits to keep, an even number from 2 to 64.
 * @returns the digest function.
 *
 * References: FIPS 180-4; RFC 2104.
 */
export function createTextDigest(key: Uint8Array | null, hexDigits: number): (text: string) => string {
  const keyed = key === null ? null : keyedDigest(key);
  const bytes = hexDigits >> 1;
  return (text) => {
    const length = encodeText(text);
    const digest = keyed === null ? finish(H0, 0, textBuffer, length) : keyed(textBuffer, length);
    let hex = "";
    for (let i = 0; i < bytes; i++) hex += HEX[digest[i]];
    return hex;
  };
}

/** Lower-case hexadecimal of bytes. */
export function toHex(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
  return text;
}
