/**
 * Masking of personal data (names, email addresses, phone numbers) in text cells.
 *
 * Modes:
 * - `hash`: a pseudonym "h:" + the first 16 hexadecimal digits (64 bits) of SHA-256 of the value, or
 *   of HMAC-SHA-256 keyed by the salt when one is given. The same value always gives the same
 *   pseudonym (lists can still be joined and counted); the value cannot be computed back from it.
 *   Email addresses are lower-cased first (Ann@X.com and ann@x.com are one person). Without a salt,
 *   anyone can hash a guessed address and compare: use a secret salt per workbook for real data.
 * - `partial`: an email keeps its first character and its domain (`a***@example.com`); a phone
 *   number (only digits, spaces and + - . ( ) /, at least 7 digits) keeps its separators and last 2
 *   digits (`+** (***) ***-**67`); other text keeps its first character (`J***`); one-character
 *   text becomes `***`. The number of asterisks is fixed, so lengths are not revealed.
 * - `redact`: `[redacted]`.
 *
 * References: NIST FIPS 180-4 (SHA-256); RFC 2104 (HMAC); NIST SP 800-188 / ISO/IEC 20889 on
 * pseudonymisation with keyed hashes.
 */

import { EngineError } from "../errors";
import { createTextDigest, utf8Bytes } from "./sha256";

export type MaskMode = "hash" | "partial" | "redact";

export const MASK_MODES: readonly MaskMode[] = ["hash", "partial", "redact"];

/** What `redact` writes. */
export const REDACTED = "[redacted]";
/** Prefix of a hashed pseudonym. */
export const HASH_PREFIX = "h:";
/** Hexadecimal digits kept from the digest (64 bits: a collision among a million values has probability ≈ 3e-8). */
export const HASH_HEX_DIGITS = 16;

const STARS = "***";
const EMAIL = /^([^\s@]+)@([^\s@]+\.[^\s@]+)$/;
const PHONE_CHARACTERS = /^[+\d\s\-.()/]+$/;
const MIN_PHONE_DIGITS = 7;

/** Prepared masking: the salt is encoded once, not per cell. */
export interface Masker {
  readonly mode: MaskMode;
  /** Masks one non-empty, trimmed text. */
  mask(text: string): string;
}

/** True for text that looks like one email address. */
export function isEmail(text: string): boolean {
  return EMAIL.test(text);
}

/** True for text that looks like one phone number: phone characters only and at least 7 digits. */
export function isPhone(text: string): boolean {
  if (!PHONE_CHARACTERS.test(text)) return false;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits >= MIN_PHONE_DIGITS;
}

/** First user-perceived character (a surrogate pair counts as one). */
function firstCharacter(text: string): string {
  const code = text.charCodeAt(0);
  return code >= 0xd800 && code <= 0xdbff && text.length > 1 ? text.slice(0, 2) : text[0];
}

/**
 * Partial mask of one text; see the module comment for the rules.
 *
 * @param text non-empty trimmed text.
 * @returns the masked text.
 */
export function partialMask(text: string): string {
  const email = EMAIL.exec(text);
  if (email) return `${firstCharacter(email[1])}${STARS}@${email[2]}`;
  if (isPhone(text)) {
    let keep = 2;
    let out = "";
    for (let i = text.length - 1; i >= 0; i--) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        out = (keep > 0 ? text[i] : "*") + out;
        keep--;
      } else {
        out = text[i] + out;
      }
    }
    return out;
  }
  const first = firstCharacter(text);
  return first.length === text.length ? STARS : first + STARS;
}

/**
 * A masker for one mode and salt.
 *
 * @param mode `hash`, `partial` or `redact`.
 * @param salt secret text for `hash` (HMAC key); null for a plain SHA-256. Ignored by other modes.
 * @returns a {@link Masker}.
 * @throws EngineError INVALID_INPUT when the mode is not one of {@link MASK_MODES}.
 *
 * References: FIPS 180-4; RFC 2104.
 */
export function createMasker(mode: MaskMode, salt: string | null): Masker {
  if (!MASK_MODES.includes(mode)) {
    throw new EngineError("INVALID_INPUT", `createMasker: mode must be one of ${MASK_MODES.join(", ")}, got ${String(mode)}`, { argument: "mode" });
  }
  if (mode === "redact") return { mode, mask: () => REDACTED };
  if (mode === "partial") return { mode, mask: partialMask };
  const digestOf = createTextDigest(salt === null ? null : utf8Bytes(salt), HASH_HEX_DIGITS);
  return {
    mode,
    mask(text: string): string {
      return HASH_PREFIX + digestOf(isEmail(text) ? text.toLowerCase() : text);
    },
  };
}
