/**
 * Special functions for the likelihoods of the customer-value models: log-gamma, digamma, trigamma,
 * log-beta, and log-space arithmetic (log-sum-exp, log(1 + e^x), log(1 − e^x)).
 *
 * Everything works in log space so that Γ(r + x) for a customer with 500 purchases, or a probability
 * of 1e-300, never overflows or underflows. Accuracy: about 1e-14 absolute for logGamma, 1e-14
 * relative for digamma and trigamma on x > 0 (tested against published values).
 *
 * Glossary: Γ gamma function, ψ = Γ'/Γ digamma, ψ₁ = ψ' trigamma, B(a, b) = Γ(a)Γ(b)/Γ(a + b).
 *
 * References: Abramowitz & Stegun, *Handbook of Mathematical Functions* (1964): 6.1.40-6.1.41
 * (Stirling series for log Γ), 6.1.15 (recurrence), 6.1.17 (reflection), 6.3.5 and 6.3.18 (ψ
 * recurrence and asymptotic series), 6.4.6 and 6.4.12 (ψ₁); Mächler (2012), "Accurately Computing
 * log(1 − exp(−|a|))", R package Rmpfr vignette (log1mExp, log1pExp).
 */

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const LOG_PI = Math.log(Math.PI);

/** Below this argument the recurrences shift x upwards before using the asymptotic series. */
const ASYMPTOTIC_FROM = 15;

// Stirling series coefficients B_{2k} / (2k (2k − 1)) for k = 1..7 (A&S 6.1.40).
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156];

function logGammaAsymptotic(x: number): number {
  const inverse = 1 / x;
  const inverseSquared = inverse * inverse;
  let series = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) series = series * inverseSquared + STIRLING[k];
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series * inverse;
}

/**
 * log |Γ(x)|, the natural log of the absolute value of the gamma function.
 *
 * @param x any real number; for the models x > 0.
 * @returns log |Γ(x)|; +Infinity at the poles x = 0, −1, −2, …; NaN for NaN.
 * References: Abramowitz & Stegun 6.1.40 (Stirling series, x ≥ 15), 6.1.15 (recurrence Γ(x + 1) = xΓ(x)),
 * 6.1.17 (reflection for x < 0.5 is used only for x < 0).
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0) {
    if (Number.isInteger(x) || x === -Infinity) return Infinity;
    // Γ(x)Γ(1 − x) = π / sin(πx)
    return LOG_PI - Math.log(Math.abs(sinPi(x))) - logGamma(1 - x);
  }
  if (x >= ASYMPTOTIC_FROM) return logGammaAsymptotic(x);
  // Γ(x) = Γ(x + n) / (x (x + 1) … (x + n − 1)); the product stays far from overflow for x < 15.
  let product = 1;
  let shifted = x;
  while (shifted < ASYMPTOTIC_FROM) {
    product *= shifted;
    shifted += 1;
  }
  return logGammaAsymptotic(shifted) - Math.log(product);
}

/** sin(πx) with exact zeros at the integers (argument reduction before the multiplication by π). */
function sinPi(x: number): number {
  const reduced = x - 2 * Math.floor(x / 2); // in [0, 2)
  if (reduced === 0 || reduced === 1) return 0;
  return Math.sin(Math.PI * reduced);
}

/**
 * Digamma ψ(x) = d/dx log Γ(x).
 *
 * @param x any real number; for the models x > 0.
 * @returns ψ(x); NaN at the poles x = 0, −1, −2, … and for NaN.
 * References: Abramowitz & Stegun 6.3.5 (recurrence ψ(x + 1) = ψ(x) + 1/x), 6.3.18 (asymptotic series),
 * 6.3.7 (reflection ψ(1 − x) − ψ(x) = π cot(πx)).
 */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0) {
    if (Number.isInteger(x) || x === -Infinity) return NaN;
    const s = sinPi(x);
    const c = Math.cos(Math.PI * (x - 2 * Math.floor(x / 2)));
    return digamma(1 - x) - (Math.PI * c) / s;
  }
  let result = 0;
  let shifted = x;
  while (shifted < ASYMPTOTIC_FROM) {
    result -= 1 / shifted;
    shifted += 1;
  }
  const inverseSquared = 1 / (shifted * shifted);
  // ψ(x) ~ ln x − 1/(2x) − Σ B_{2k} / (2k x^{2k})
  const series =
    inverseSquared *
    (1 / 12 - inverseSquared * (1 / 120 - inverseSquared * (1 / 252 - inverseSquared * (1 / 240 - inverseSquared * (1 / 132 - inverseSquared * (691 / 32760))))));
  return result + Math.log(shifted) - 0.5 / shifted - series;
}

/**
 * Trigamma ψ₁(x) = d²/dx² log Γ(x), for x > 0.
 *
 * @param x a positive real number.
 * @returns ψ₁(x); NaN for x ≤ 0 or NaN.
 * References: Abramowitz & Stegun 6.4.6 (recurrence ψ₁(x + 1) = ψ₁(x) − 1/x²), 6.4.12 (asymptotic series).
 */
export function trigamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x === Infinity) return 0;
  let result = 0;
  let shifted = x;
  while (shifted < ASYMPTOTIC_FROM) {
    result += 1 / (shifted * shifted);
    shifted += 1;
  }
  const inverse = 1 / shifted;
  const inverseSquared = inverse * inverse;
  // ψ₁(x) ~ 1/x + 1/(2x²) + Σ B_{2k} / x^{2k+1}
  const series =
    inverse * inverseSquared * (1 / 6 - inverseSquared * (1 / 30 - inverseSquared * (1 / 42 - inverseSquared * (1 / 30 - inverseSquared * (5 / 66)))));
  return result + inverse + 0.5 * inverseSquared + series;
}

/**
 * log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b), the log of the beta function.
 *
 * @param a positive real.
 * @param b positive real.
 * @returns log B(a, b).
 * References: Abramowitz & Stegun 6.2.2.
 */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * log(e^a + e^b) without overflow or underflow.
 *
 * @param a a log-value (may be −Infinity for a zero term).
 * @param b a log-value (may be −Infinity).
 * @returns log(e^a + e^b); −Infinity when both terms are zero.
 */
export function logSumExp(a: number, b: number): number {
  const high = a > b ? a : b;
  if (high === -Infinity) return -Infinity;
  if (high === Infinity) return Infinity;
  const low = a > b ? b : a;
  return high + Math.log1p(Math.exp(low - high));
}

/**
 * log(e^a − e^b) for a ≥ b, without overflow or cancellation.
 *
 * @param a the larger log-value.
 * @param b the smaller log-value (may be −Infinity).
 * @returns log(e^a − e^b); −Infinity when a = b; NaN when b > a.
 */
export function logDiffExp(a: number, b: number): number {
  if (b > a) return NaN;
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  return a + log1mExp(b - a);
}

/**
 * log(1 + e^x), accurate for every x (no overflow for large x, no loss for very negative x).
 *
 * @param x any real number.
 * @returns log(1 + e^x).
 * References: Mächler (2012), eq. 10.
 */
export function log1pExp(x: number): number {
  if (x <= -37) return Math.exp(x);
  if (x <= 18) return Math.log1p(Math.exp(x));
  if (x <= 33.3) return x + Math.exp(-x);
  return x;
}

/**
 * log(1 − e^x) for x ≤ 0, accurate near 0 and for very negative x.
 *
 * @param x a non-positive real number.
 * @returns log(1 − e^x); −Infinity at x = 0; NaN for x > 0.
 * References: Mächler (2012), eq. 7 (switch at −log 2).
 */
export function log1mExp(x: number): number {
  if (x > 0) return NaN;
  if (x === 0) return -Infinity;
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/**
 * Sum of log-values in log space: log Σ e^{v_i}.
 *
 * @param values log-values (−Infinity entries are zero terms).
 * @returns log Σ e^{v_i}; −Infinity for an empty list.
 */
export function logSumExpAll(values: ArrayLike<number>): number {
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > high) high = values[i];
  if (high === -Infinity || high === Infinity) return high;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - high);
  return high + Math.log(sum);
}
