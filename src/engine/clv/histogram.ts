/**
 * Repeat-purchase histogram, actual against the model (BG/NBD, MBG/NBD or the NBD), for the validation
 * chart: how many customers made 0, 1, …, K−1 and K or more repeat purchases in the calibration period.
 *
 * The model count for "x purchases" is Σ_i P(X(T_i) = x) over customers, each with their own age T_i
 * (customers joined at different times); "K or more" is the rest, so both columns sum to the customers.
 *
 * Glossary: x repeat purchases, T age of a customer, K the last (open) bin.
 *
 * References: Fader, Hardie & Lee (2005), eq. 8 and Figure 2; Batislam et al. (2007), MBG/NBD
 * P(X(t) = x); the NBD probability Γ(r+x)/(Γ(r) x!) (α/(α+t))^r (t/(α+t))^x (eq. 8 with a → 0).
 */

import { EngineError } from "../errors";
import { logGamma } from "../math/special";
import { type BgNbdParams, bgNbdProbabilityOfPurchases } from "./bgNbd";
import type { CountingModelFit } from "./countingModels";
import { type MbgNbdParams, mbgNbdProbabilityOfPurchases } from "./mbgNbd";

export interface PurchaseHistogram {
  /** Bin labels: "0", "1", …, "K+". */
  readonly labels: readonly string[];
  readonly actual: Float64Array;
  readonly expected: Float64Array;
}

/**
 * Actual and BG/NBD-expected numbers of customers by repeat purchases.
 *
 * @param params fitted BG/NBD parameters.
 * @param x repeat purchases per customer.
 * @param T age per customer (periods of the fit, ≥ 0).
 * @param lastBin K: the open bin "K or more" (whole number ≥ 1, default 7).
 * @returns labels, actual counts and expected counts (each sums to the customers).
 * @throws EngineError INVALID_INPUT for mismatched lengths or a bad `lastBin`.
 */
export function bgNbdPurchaseHistogram(params: BgNbdParams, x: ArrayLike<number>, T: ArrayLike<number>, lastBin = 7): PurchaseHistogram {
  return histogramOf((age, k) => bgNbdProbabilityOfPurchases(params, age, k), x, T, lastBin, "bgNbdPurchaseHistogram");
}

/**
 * Actual and model-expected numbers of customers by repeat purchases, for any counting model with a
 * closed-form P(X(t) = x): BG/NBD, MBG/NBD and the NBD.
 *
 * @param fit a fit from `fitCountingModel` or the automatic choice.
 * @param x repeat purchases per customer.
 * @param T age per customer (periods of the fit, ≥ 0).
 * @param lastBin K: the open bin "K or more" (whole number ≥ 1, default 7).
 * @returns the histogram, or null for Pareto/NBD (its P(X(t) = x) is not implemented here).
 * @throws EngineError INVALID_INPUT for mismatched lengths or a bad `lastBin`.
 * References: see the module comment.
 */
export function countingModelPurchaseHistogram(fit: CountingModelFit, x: ArrayLike<number>, T: ArrayLike<number>, lastBin = 7): PurchaseHistogram | null {
  const name = "countingModelPurchaseHistogram";
  if (fit.model === "bgnbd") return bgNbdPurchaseHistogram(fit.params as unknown as BgNbdParams, x, T, lastBin);
  if (fit.model === "mbgnbd") {
    const params = fit.params as unknown as MbgNbdParams;
    return histogramOf((age, k) => mbgNbdProbabilityOfPurchases(params, age, k), x, T, lastBin, name);
  }
  if (fit.model === "nbd") {
    const { r, alpha } = fit.params;
    // log1p keeps r·log(α/(α+t)) exact at the Poisson limit (r = 10⁸).
    return histogramOf(
      (age, k) => Math.exp(logGamma(r + k) - logGamma(r) - logGamma(k + 1) - r * Math.log1p(age / alpha) + (k > 0 ? k * Math.log(age / (alpha + age)) : 0)),
      x,
      T,
      lastBin,
      name,
    );
  }
  return null;
}

function histogramOf(
  probabilityOf: (age: number, k: number) => number,
  x: ArrayLike<number>,
  T: ArrayLike<number>,
  lastBin: number,
  functionName: string,
): PurchaseHistogram {
  if (x.length !== T.length) throw new EngineError("INVALID_INPUT", `${functionName} requires x and T of the same length`);
  if (!(Number.isInteger(lastBin) && lastBin >= 1 && lastBin <= 1000)) {
    throw new EngineError("INVALID_INPUT", `${functionName} requires a last bin between 1 and 1000`);
  }
  const actual = new Float64Array(lastBin + 1);
  const expected = new Float64Array(lastBin + 1);
  // Customers share few distinct ages: compute the model probabilities once per age.
  const ageCounts = new Map<number, number>();
  for (let i = 0; i < x.length; i++) {
    actual[Math.min(lastBin, x[i])]++;
    ageCounts.set(T[i], (ageCounts.get(T[i]) ?? 0) + 1);
  }
  for (const [age, count] of ageCounts) {
    if (age === 0) {
      expected[0] += count;
      continue;
    }
    let below = 0;
    for (let k = 0; k < lastBin; k++) {
      const probability = probabilityOf(age, k);
      expected[k] += count * probability;
      below += probability;
    }
    expected[lastBin] += count * Math.max(0, 1 - below);
  }
  const labels = Array.from({ length: lastBin + 1 }, (_, k) => (k === lastBin ? `${k}+` : String(k)));
  return { labels, actual, expected };
}
