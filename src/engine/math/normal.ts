/**
 * The standard normal distribution: complementary error function, CDF and quantile.
 *
 * Glossary:
 * - Φ(x): standard normal cumulative distribution function, P(Z ≤ x) for Z ~ N(0, 1);
 * - Φ⁻¹(p): its inverse (the quantile, "percentage point"), Φ(Φ⁻¹(p)) = p;
 * - erfc(x) = 1 − erf(x) = (2/√π)∫ₓ^∞ e^{−t²} dt, and Φ(x) = erfc(−x/√2)/2.
 *
 * erfc follows W. J. Cody's near-minimax rational approximations (three intervals: |x| ≤ 0.46875,
 * ≤ 4, > 4), which approximate erfc to at least 18 significant digits; the factor e^{−x²} is split
 * as e^{−s²}·e^{−(x−s)(x+s)} with s = x rounded down to 1/16, so the tail keeps its relative accuracy
 * down to the smallest doubles. The quantile is Wichura's AS 241 (PPND16), accurate to about 1 part
 * in 10¹⁶.
 *
 * References:
 * - W. J. Cody, "Rational Chebyshev approximations for the error function", Mathematics of
 *   Computation 23 (1969) 631–638; the coefficients of the netlib SPECFUN routine CALERF (1990).
 * - M. J. Wichura, "Algorithm AS 241: The percentage points of the normal distribution", Applied
 *   Statistics 37 (1988) 477–484.
 */

import { EngineError } from "../errors";

// Every coefficient below is the published value (18–20 digits) written as the shortest decimal
// that rounds to the same double, so nothing is lost and the linter's no-loss-of-precision holds.

// Cody (1969), erf on |x| ≤ 0.46875: erf(x) ≈ x·A(x²)/B(x²).
const A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
// erfc on 0.46875 < |x| ≤ 4: erfc(x) ≈ e^{−x²}·C(x)/D(x).
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
];
// erfc on |x| > 4: erfc(x) ≈ e^{−x²}/x·(1/√π − P(1/x²)/(x²·Q(1/x²))).
const P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378,
  0.016315387137302097,
];
const Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];
const ONE_OVER_SQRT_PI = 0.5641895835477563;
const THRESHOLD = 0.46875;
/** Above this erfc(x) underflows to 0 in double precision (Cody's XBIG). */
const ERFC_UNDERFLOW = 26.543;
const SQRT_HALF = 0.7071067811865476;

/** e^{−y²} without the rounding error of squaring y: y is split into s (a multiple of 1/16) and y − s. */
function expMinusSquare(y: number): number {
  const s = Math.trunc(y * 16) / 16;
  const del = (y - s) * (y + s);
  return Math.exp(-s * s) * Math.exp(-del);
}

/**
 * Complementary error function erfc(x) = 1 − erf(x).
 *
 * Used for normal tail probabilities, where 1 − erf(x) computed by subtraction would lose every digit.
 *
 * @param x any finite number (NaN gives NaN; ±Infinity give 0 and 2).
 * @returns erfc(x) in [0, 2], with a relative error of a few units in the last place.
 *
 * References: Cody (1969), the SPECFUN routine CALERF with JINT = 1.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= THRESHOLD) {
    const ysq = y * y;
    let num = A[4] * ysq;
    let den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]) * ysq;
      den = (den + B[i]) * ysq;
    }
    return 1 - (x * (num + A[3])) / (den + B[3]);
  }
  let result: number;
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    result = expMinusSquare(y) * ((num + C[7]) / (den + D[7]));
  } else if (y >= ERFC_UNDERFLOW) {
    result = 0;
  } else {
    const ysq = 1 / (y * y);
    let num = P[5] * ysq;
    let den = ysq;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]) * ysq;
      den = (den + Q[i]) * ysq;
    }
    const tail = (ysq * (num + P[4])) / (den + Q[4]);
    result = expMinusSquare(y) * ((ONE_OVER_SQRT_PI - tail) / y);
  }
  return x < 0 ? 2 - result : result;
}

/**
 * Standard normal CDF Φ(x) = P(Z ≤ x).
 *
 * For p-values and confidence levels (two-proportion z-test, sample sizes).
 *
 * @param x any number; −Infinity gives 0, +Infinity gives 1.
 * @returns Φ(x) in [0, 1]; relative error below 1e-13 in both tails (Φ(−8) ≈ 6.22e-16 keeps its digits).
 *
 * References: Cody (1969); Φ(x) = erfc(−x/√2)/2.
 */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT_HALF);
}

/**
 * Upper tail 1 − Φ(x) = Φ(−x), without the cancellation of subtracting from 1.
 *
 * @param x any number.
 * @returns 1 − Φ(x) in [0, 1].
 */
export function normalUpperTail(x: number): number {
  return 0.5 * erfc(x * SQRT_HALF);
}

// Wichura (1988), AS 241 PPND16: p near 1/2 (|p − 1/2| ≤ 0.425).
const WA = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
];
const WB = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
];
// Intermediate tail, r = √(−ln min(p, 1−p)) ≤ 5.
const WC = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];
const WD = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008,
  0.015198666563616457, 0.0005475938084995345, 1.0507500716444169e-9,
];
// Far tail, r > 5.
const WE = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
];
const WF = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
];

function ratio(num: readonly number[], den: readonly number[], r: number): number {
  let n = num[7];
  let d = den[7];
  for (let i = 6; i >= 0; i--) {
    n = n * r + num[i];
    d = d * r + den[i];
  }
  return n / d;
}

/**
 * Standard normal quantile Φ⁻¹(p): the z with P(Z ≤ z) = p.
 *
 * For critical values: Φ⁻¹(0.975) = 1.959963984540054 (two-sided 95%), Φ⁻¹(0.8) = 0.8416 (80% power).
 *
 * @param p probability, strictly between 0 and 1.
 * @returns z, accurate to about 1 part in 10¹⁶ (|Φ(z) − p| ≤ 1e-12 over (0, 1)).
 * @throws EngineError INVALID_INPUT when p is not a number strictly between 0 and 1.
 *
 * References: Wichura (1988), AS 241, PPND16.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    throw new EngineError("INVALID_INPUT", `normalQuantile: probability must be strictly between 0 and 1, got ${p}`, { argument: "p" });
  }
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return q * ratio(WA, WB, r);
  }
  // 1 − p is exact for p ≥ 0.5 (Sterbenz), so the upper tail loses nothing here.
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  const z = r <= 5 ? ratio(WC, WD, r - 1.6) : ratio(WE, WF, r - 5);
  return q < 0 ? -z : z;
}
