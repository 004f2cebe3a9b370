/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and z < 1.
 *
 * Used by the buy-till-you-die models: the BG/NBD conditional expectation (z in [0, 1)) and the
 * Pareto/NBD likelihood and predictions (z in [0, 1) after choosing the larger of alpha and beta).
 *
 * Method: the defining series Σ (a)_k (b)_k / ((c)_k k!) z^k (A&S 15.1.1), summed with a running
 * power-of-ten scale so that huge parameters (a heavy buyer's a = r + s + x with x = 500) neither
 * overflow nor underflow, and with a cap on the number of terms (NOT_CONVERGED past it: never a silent
 * wrong value). Before summing, the argument is mapped into [0, 1) and the cheaper of two equivalent
 * series is chosen:
 * - z < 0: the Pfaff transformations (A&S 15.3.4, 15.3.5)
 *   2F1(a, b; c; z) = (1 − z)^(−a) 2F1(a, c − b; c; z/(z − 1)) = (1 − z)^(−b) 2F1(c − a, b; c; z/(z − 1));
 * - 0 < z < 1: the series itself or Euler's transformation (A&S 15.3.3)
 *   2F1(a, b; c; z) = (1 − z)^(c − a − b) 2F1(c − a, c − b; c; z).
 * Of the two candidates the one with the smaller first-term ratio |p q / c| is summed (for example
 * the BG/NBD expectation with x = 500 has p q / c ≈ 500 directly but ≈ 0 after Euler's map).
 * - mapped argument w with 1 − w < 0.02: first the 1 − w transformation (A&S 15.3.6), whose two
 *   series in 1 − w converge fast; it is skipped when c − a − b is within 1e-3 of an integer (the
 *   formula's gamma functions have poles there) or when its two parts cancel to fewer than ~12
 *   digits, and the plain series is summed instead.
 *
 * Cost: the series converges like w^k in the mapped argument w ∈ [0, 1); about 40 / (1 − w) terms
 * near w = 1 (the cap, 1,000,000 terms, allows 1 − w down to about 4e-5 when the 1 − w
 * transformation cannot be used, i.e. for c − a − b near an integer).
 *
 * Glossary: a, b numerator parameters; c denominator parameter (not 0, −1, −2, … unless the series
 * terminates first); z argument; (q)_k the rising factorial q (q + 1) … (q + k − 1).
 *
 * References: Abramowitz & Stegun, *Handbook of Mathematical Functions* (1964), eq. 15.1.1, 15.3.3,
 * 15.3.4, 15.3.5, 15.3.6; DLMF §15.2, §15.8(i)–(ii).
 */

import { EngineError } from "../errors";
import { logGamma } from "./special";

/** log|2F1| and its sign (sign 0 means the value is exactly 0 and log is −Infinity). */
export interface LogHyp2f1 {
  readonly log: number;
  readonly sign: -1 | 0 | 1;
}

/** Default cap on series terms. */
export const HYP2F1_MAX_TERMS = 1_000_000;

const LN_SCALE = 250 * Math.LN10;
const SCALE_DOWN = 1e-250;
const BIG = 1e250;
const TOLERANCE = 1e-17;

function isNonPositiveInteger(v: number): boolean {
  return v <= 0 && Number.isInteger(v);
}

/**
 * Sums Σ (a)_k (b)_k / ((c)_k k!) w^k for 0 ≤ w < 1 in scaled form; returns log|sum| and sign.
 * @throws EngineError NOT_CONVERGED past `maxTerms` terms; INVALID_INPUT at a pole (c a non-positive integer).
 */
function seriesLog(a: number, b: number, c: number, w: number, maxTerms: number): LogHyp2f1 {
  let term = 1;
  let sum = 1;
  let logScale = 0;
  if (w === 0) return { log: 0, sign: 1 };
  for (let k = 0; k < maxTerms; k++) {
    const ck = c + k;
    if (ck === 0) {
      throw new EngineError("INVALID_INPUT", `hyp2f1 is undefined: c = ${c} is a non-positive integer and the series does not terminate before it`);
    }
    const ratio = (((a + k) * (b + k)) / (ck * (k + 1))) * w;
    term *= ratio;
    if (term === 0) break; // terminating series (a or b a non-positive integer) or underflow
    sum += term;
    if (Math.abs(sum) > BIG || Math.abs(term) > BIG) {
      sum *= SCALE_DOWN;
      term *= SCALE_DOWN;
      logScale += LN_SCALE;
    }
    const r = Math.abs(ratio);
    if (r < 1) {
      // Past every sign change the ratios tend to w; bound the tail by a geometric series whose ratio
      // is the larger of the current ratio and w.
      const m = Math.max(r, w);
      if (Math.abs(term) * m <= TOLERANCE * Math.abs(sum) * (1 - m) && k + 1 > -Math.min(a, b, c, 0)) {
        return finish(sum, logScale);
      }
    }
  }
  if (term === 0) return finish(sum, logScale);
  throw new EngineError(
    "NOT_CONVERGED",
    `hyp2f1 did not converge in ${maxTerms} terms (a = ${a}, b = ${b}, c = ${c}, mapped z = ${w}); the argument is too close to 1`,
  );
}

function finish(sum: number, logScale: number): LogHyp2f1 {
  if (sum === 0) return { log: -Infinity, sign: 0 };
  return { log: Math.log(Math.abs(sum)) + logScale, sign: sum > 0 ? 1 : -1 };
}

/** |p q / c| as the cost score of a candidate series; terminating series with few terms cost nothing. */
function score(p: number, q: number, c: number): number {
  if ((isNonPositiveInteger(p) && p > -50) || (isNonPositiveInteger(q) && q > -50)) return 0;
  return Math.abs((p * q) / c);
}

function validate(a: number, b: number, c: number, z: number): void {
  if (![a, b, c, z].every(Number.isFinite)) {
    throw new EngineError("INVALID_INPUT", `hyp2f1 requires finite a, b, c and z (got ${a}, ${b}, ${c}, ${z})`);
  }
  if (!(z < 1)) {
    throw new EngineError("INVALID_INPUT", `hyp2f1 requires z < 1 (got ${z})`);
  }
}

/**
 * Natural logarithm of |2F1(a, b; c; z)| and its sign, for parameters whose 2F1 overflows a double.
 *
 * @param a first numerator parameter, any finite real.
 * @param b second numerator parameter, any finite real.
 * @param c denominator parameter, finite, not a non-positive integer (unless a or b terminates the series first).
 * @param z argument, −∞ < z < 1.
 * @param maxTerms cap on series terms (default {@link HYP2F1_MAX_TERMS}).
 * @returns `{ log, sign }` with 2F1 = sign · exp(log).
 * @throws EngineError INVALID_INPUT for non-finite arguments, z ≥ 1 or a pole in c; NOT_CONVERGED when
 *   the series needs more than `maxTerms` terms (mapped argument too close to 1).
 *
 * References: A&S 15.1.1, 15.3.3 (Euler), 15.3.4–15.3.5 (Pfaff), 15.3.6 (1 − z).
 */
export function logHyp2f1(a: number, b: number, c: number, z: number, maxTerms = HYP2F1_MAX_TERMS): LogHyp2f1 {
  validate(a, b, c, z);
  if (z === 0 || a === 0 || b === 0) return { log: 0, sign: 1 };
  if (isNonPositiveInteger(c) && !((isNonPositiveInteger(a) && a > c) || (isNonPositiveInteger(b) && b > c))) {
    throw new EngineError("INVALID_INPUT", `hyp2f1 is undefined: c = ${c} is a non-positive integer`);
  }
  if (z < 0) {
    // Pfaff: both candidates have the argument w = z / (z − 1) in (0, 1).
    const w = z / (z - 1);
    const log1mz = Math.log1p(-z);
    const first = score(a, c - b, c) <= score(c - a, b, c);
    const s = first ? mappedLog(a, c - b, c, w, 1 / (1 - z), maxTerms) : mappedLog(c - a, b, c, w, 1 / (1 - z), maxTerms);
    return { log: s.log - (first ? a : b) * log1mz, sign: s.sign };
  }
  return mappedLog(a, b, c, z, 1 - z, maxTerms);
}

/**
 * 2F1(a, b; c; w) for 0 ≤ w < 1 (oneMinusW = 1 − w, passed exactly): the cheaper of the series and
 * Euler's transform, or near w = 1 the 1 − w transformation.
 */
function mappedLog(a: number, b: number, c: number, w: number, oneMinusW: number, maxTerms: number): LogHyp2f1 {
  if (oneMinusW < NEAR_ONE) {
    const near = nearOneLog(a, b, c, oneMinusW, maxTerms);
    if (near !== null) return near;
  }
  // Euler's map keeps the argument; use it when its series is cheaper (and never when it would need a
  // terminating series to be replaced by an infinite one).
  const direct = score(a, b, c);
  const euler = score(c - a, c - b, c);
  if (euler < direct) {
    const s = seriesLog(c - a, c - b, c, w, maxTerms);
    return { log: s.log + (c - a - b) * Math.log(oneMinusW), sign: s.sign };
  }
  return seriesLog(a, b, c, w, maxTerms);
}

/** Below this 1 − w the series needs thousands of terms and the 1 − w transformation is tried first. */
const NEAR_ONE = 0.02;

/** log |Γ(x)| and the sign of Γ(x); sign 0 at the poles (where 1/Γ = 0). */
function signedLogGamma(x: number): { log: number; sign: -1 | 0 | 1 } {
  if (x <= 0 && Number.isInteger(x)) return { log: Infinity, sign: 0 };
  const sign = x > 0 || Math.floor(-x) % 2 === 1 ? 1 : -1;
  return { log: logGamma(x), sign };
}

/**
 * The 1 − w transformation (A&S 15.3.6), for c − a − b not an integer:
 *   F(a, b; c; w) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) F(a, b; a+b−c+1; 1−w)
 *                 + (1−w)^(c−a−b) Γ(c)Γ(a+b−c)/(Γ(a)Γ(b)) F(c−a, c−b; c−a−b+1; 1−w).
 * Returns null (use the series) when c − a − b is within 1e-3 of an integer, when a or b terminates
 * the series anyway, or when the two parts cancel to fewer than ~12 significant digits.
 */
function nearOneLog(a: number, b: number, c: number, oneMinusW: number, maxTerms: number): LogHyp2f1 | null {
  const m = c - a - b;
  if (Math.abs(m - Math.round(m)) < 1e-3) return null;
  if (isNonPositiveInteger(a) || isNonPositiveInteger(b)) return null;
  const gc = signedLogGamma(c);
  const parts: LogHyp2f1[] = [];
  // First part.
  const g1 = signedLogGamma(m);
  const gca = signedLogGamma(c - a);
  const gcb = signedLogGamma(c - b);
  if (gca.sign !== 0 && gcb.sign !== 0) {
    const f = seriesLog(a, b, 1 - m, oneMinusW, maxTerms);
    parts.push({ log: gc.log + g1.log - gca.log - gcb.log + f.log, sign: (gc.sign * g1.sign * gca.sign * gcb.sign * f.sign) as -1 | 0 | 1 });
  }
  // Second part.
  const g2 = signedLogGamma(-m);
  const ga = signedLogGamma(a);
  const gb = signedLogGamma(b);
  if (ga.sign !== 0 && gb.sign !== 0) {
    const f = seriesLog(c - a, c - b, m + 1, oneMinusW, maxTerms);
    parts.push({
      log: m * Math.log(oneMinusW) + gc.log + g2.log - ga.log - gb.log + f.log,
      sign: (gc.sign * g2.sign * ga.sign * gb.sign * f.sign) as -1 | 0 | 1,
    });
  }
  const live = parts.filter((part) => part.sign !== 0 && Number.isFinite(part.log));
  if (live.length === 0 || live.length !== parts.length) return null;
  if (live.length === 1) return live[0];
  const [p, q] = live[0].log >= live[1].log ? [live[0], live[1]] : [live[1], live[0]];
  const ratio = Math.exp(q.log - p.log); // ≤ 1
  const combined = p.sign === q.sign ? 1 + ratio : 1 - ratio;
  if (combined < 1e-4) return null; // cancellation: the series is more trustworthy
  return { log: p.log + Math.log(combined), sign: p.sign };
}

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and z < 1.
 *
 * @param a first numerator parameter, any finite real.
 * @param b second numerator parameter, any finite real.
 * @param c denominator parameter, finite, not a non-positive integer (unless a or b terminates the series first).
 * @param z argument, −∞ < z < 1.
 * @returns the value (finite).
 * @throws EngineError INVALID_INPUT for non-finite arguments, z ≥ 1, a pole in c, or a value beyond the
 *   range of doubles (use {@link logHyp2f1}); NOT_CONVERGED when the series needs more than 1,000,000
 *   terms.
 *
 * References: A&S 15.1.1, 15.3.3, 15.3.4, 15.3.5, 15.3.6.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  const { log, sign } = logHyp2f1(a, b, c, z);
  const value = sign * Math.exp(log);
  if (!Number.isFinite(value)) {
    throw new EngineError("INVALID_INPUT", `hyp2f1(${a}, ${b}; ${c}; ${z}) is beyond the range of doubles (log |value| = ${log}); use logHyp2f1`);
  }
  return sign === 0 ? 0 : value;
}
