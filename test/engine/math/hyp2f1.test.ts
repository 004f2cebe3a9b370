import { describe, expect, it } from "vitest";
import { EngineError } from "../../../src/engine/errors";
import { hyp2f1, logHyp2f1 } from "../../../src/engine/math/hyp2f1";
import { logGamma } from "../../../src/engine/math/special";

function close(actual: number, expected: number, relative: number): void {
  expect(Number.isFinite(actual)).toBe(true);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1e-300, Math.abs(expected)));
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof EngineError ? error.code : "not an EngineError";
  }
  return undefined;
}

describe("hyp2f1 closed forms (Abramowitz & Stegun 15.1.3–15.1.8, DLMF 15.4)", () => {
  it("2F1(1, 1; 2; z) = −ln(1 − z)/z (A&S 15.1.3) on z in (−50, 0.99)", () => {
    for (const z of [-50, -3, -1, -0.5, -1e-3, 1e-3, 0.1, 0.5, 0.9, 0.99]) close(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z, 1e-14);
  });
  it("2F1(a, b; b; z) = (1 − z)^(−a) (A&S 15.1.8), including a = 500", () => {
    for (const [a, b, z] of [
      [0.7, 2.3, 0.6],
      [-1.5, 4, -7],
      [500, 3.5, 0.3],
      [500, 3.5, -0.3],
    ]) {
      close(hyp2f1(a, b, b, z), Math.pow(1 - z, -a), 1e-13);
    }
  });
  it("2F1(1/2, 1/2; 3/2; z²) = arcsin(z)/z (A&S 15.1.6)", () => {
    for (const z of [0.1, 0.5, 0.9, 0.99]) close(hyp2f1(0.5, 0.5, 1.5, z * z), Math.asin(z) / z, 1e-14);
  });
  it("2F1(1/2, 1; 3/2; −z²) = arctan(z)/z (A&S 15.1.5), including z = 100 (mapped argument 0.9999)", () => {
    for (const z of [0.1, 1, 3]) close(hyp2f1(0.5, 1, 1.5, -z * z), Math.atan(z) / z, 1e-13);
    // About 400,000 terms: rounding accumulates to ~1e-12 relative.
    close(hyp2f1(0.5, 1, 1.5, -1e4), Math.atan(100) / 100, 1e-11);
  });
  it("terminating series: Legendre P_3(x) = 2F1(−3, 4; 1; (1 − x)/2) (A&S 15.4.14 / 22.3.8)", () => {
    for (const x of [0.5, -0.2, 0.9]) close(hyp2f1(-3, 4, 1, (1 - x) / 2), (5 * x ** 3 - 3 * x) / 2, 1e-14);
  });
  it("Kummer's theorem 2F1(a, b; 1 + a − b; −1) = Γ(1+a−b)Γ(1+a/2) / (Γ(1+a)Γ(1+a/2−b)) (DLMF 15.4.26)", () => {
    for (const [a, b] of [
      [0.5, 0.3],
      [2.2, 1.7],
      [40.5, 3.25],
    ]) {
      const expected = Math.exp(logGamma(1 + a - b) + logGamma(1 + a / 2) - logGamma(1 + a) - logGamma(1 + a / 2 - b));
      close(hyp2f1(a, b, 1 + a - b, -1), expected, 1e-12);
    }
  });
  it("Gauss's second theorem 2F1(a, b; (a+b+1)/2; 1/2) = √π Γ((a+b+1)/2) / (Γ((a+1)/2) Γ((b+1)/2)) (DLMF 15.4.28), a = b = 200 in log form", () => {
    for (const [a, b] of [
      [0.3, 1.9],
      [7.5, 2.25],
      [200, 200],
    ]) {
      const expected = 0.5 * Math.log(Math.PI) + logGamma((a + b + 1) / 2) - logGamma((a + 1) / 2) - logGamma((b + 1) / 2);
      const got = logHyp2f1(a, b, (a + b + 1) / 2, 0.5);
      expect(got.sign).toBe(1);
      close(got.log, expected, 1e-12);
    }
  });
});

describe("hyp2f1 invariants", () => {
  it("matches the plain defining series for |z| ≤ 0.5 (A&S 15.1.1), whichever transformation it picks", () => {
    const plain = (a: number, b: number, c: number, z: number): number => {
      let term = 1;
      let sum = 1;
      for (let k = 0; k < 400; k++) {
        term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
        sum += term;
      }
      return sum;
    };
    for (const [a, b, c, z] of [
      [1.3, 2.7, 4.1, -0.5],
      [0.2, -1.7, 3.3, 0.45],
      [5.5, 0.4, 1.2, -0.3],
      [2.5, 3.5, 9.5, 0.5],
      [-2.5, 1.5, 0.7, -0.4],
    ]) {
      close(hyp2f1(a, b, c, z), plain(a, b, c, z), 1e-12);
    }
  });
  it("satisfies Gauss's contiguous relation in c (DLMF 15.5.18) with Pareto/NBD-sized parameters (a = r + s + x, x = 500)", () => {
    // c(c−1)(z−1)F(c−1) + c[c−1−(2c−a−b−1)z]F(c) + (c−a)(c−b)zF(c+1) = 0, checked in scaled form.
    for (const [a, b, c, z] of [
      [501.2, 1.6, 502.2, 0.9],
      [501.2, 500.5, 502.2, 0.4],
      [0.55, 1.6, 2.3, -20],
      [60.3, 0.7, 61.3, 0.97],
    ]) {
      const f0 = logHyp2f1(a, b, c - 1, z);
      const f1 = logHyp2f1(a, b, c, z);
      const f2 = logHyp2f1(a, b, c + 1, z);
      const t0 = c * (c - 1) * (z - 1) * f0.sign * Math.exp(f0.log - f1.log);
      const t1 = c * (c - 1 - (2 * c - a - b - 1) * z) * f1.sign;
      const t2 = (c - a) * (c - b) * z * f2.sign * Math.exp(f2.log - f1.log);
      const size = Math.abs(t0) + Math.abs(t1) + Math.abs(t2);
      expect(Math.abs(t0 + t1 + t2)).toBeLessThanOrEqual(1e-11 * size);
    }
  });
  it("near z = 1 the 1 − z transformation (A&S 15.3.6) agrees with the closed forms: arcsin at 1 − z² = 2e-10, arctan at z = −1e8", () => {
    for (const z of [0.999, 0.99999, 1 - 1e-10]) close(hyp2f1(0.5, 0.5, 1.5, z * z), Math.asin(z) / z, 1e-12);
    close(hyp2f1(0.5, 1, 1.5, -1e8), Math.atan(1e4) / 1e4, 1e-12);
    close(hyp2f1(0.5, 1, 1.5, -1e20), Math.atan(1e10) / 1e10, 1e-12);
  });
  it("is continuous where it switches from the series to the 1 − z transformation (1 − z = 0.02)", () => {
    for (const [a, b, c] of [
      [0.3, 1.7, 2.45],
      [5.5, -1.3, 0.7],
      [1.2, 2.5, 1.1],
      [500.7, 1.6, 501.7],
    ]) {
      // 1 − z = 0.02 (1 ± 1e-10): the function itself moves by less than 1e-9 in log between the two.
      const below = logHyp2f1(a, b, c, 1 - 0.02 * (1 + 1e-10));
      const above = logHyp2f1(a, b, c, 1 - 0.02 * (1 - 1e-10));
      expect(below.sign).toBe(above.sign);
      expect(Math.abs(below.log - above.log)).toBeLessThan(2e-9);
    }
  });
  it("satisfies the contiguous relation very near z = 1 (z = 0.9995, Pareto/NBD-shaped parameters)", () => {
    for (const [a, b, c, z] of [
      [501.2, 1.6, 502.2, 0.9995],
      [3.3, 0.45, 4.3, 0.9995],
    ]) {
      const f0 = logHyp2f1(a, b, c - 1, z);
      const f1 = logHyp2f1(a, b, c, z);
      const f2 = logHyp2f1(a, b, c + 1, z);
      const t0 = c * (c - 1) * (z - 1) * f0.sign * Math.exp(f0.log - f1.log);
      const t1 = c * (c - 1 - (2 * c - a - b - 1) * z) * f1.sign;
      const t2 = (c - a) * (c - b) * z * f2.sign * Math.exp(f2.log - f1.log);
      expect(Math.abs(t0 + t1 + t2)).toBeLessThanOrEqual(1e-10 * (Math.abs(t0) + Math.abs(t1) + Math.abs(t2)));
    }
  });
  it("returns a finite log for values beyond double range and refuses them in hyp2f1", () => {
    const got = logHyp2f1(500, 500, 1.5, 0.9);
    expect(Number.isFinite(got.log)).toBe(true);
    expect(got.log).toBeGreaterThan(709);
    expect(codeOf(() => hyp2f1(500, 500, 1.5, 0.9))).toBe("INVALID_INPUT");
  });
  it("is 1 at z = 0 and when a or b is 0", () => {
    expect(hyp2f1(2, 3, 4, 0)).toBe(1);
    expect(hyp2f1(0, 3, 4, 0.7)).toBe(1);
    expect(hyp2f1(2, 0, 4, -7)).toBe(1);
  });
});

describe("hyp2f1 errors", () => {
  it("rejects z ≥ 1, non-finite arguments and poles of c with INVALID_INPUT", () => {
    expect(codeOf(() => hyp2f1(1, 1, 2, 1))).toBe("INVALID_INPUT");
    expect(codeOf(() => hyp2f1(NaN, 1, 2, 0.5))).toBe("INVALID_INPUT");
    expect(codeOf(() => hyp2f1(1, 1, -2, 0.5))).toBe("INVALID_INPUT");
  });
  it("allows a non-positive integer c when the series terminates before the pole", () => {
    // 2F1(−1, b; −2; z) = 1 + b z / 2
    close(hyp2f1(-1, 3, -2, 0.4), 1 + (3 * 0.4) / 2, 1e-15);
  });
  it("throws NOT_CONVERGED instead of a wrong value when the term cap is hit", () => {
    expect(codeOf(() => logHyp2f1(1, 1, 2, 0.999999, 1000))).toBe("NOT_CONVERGED");
    try {
      logHyp2f1(1, 1, 2, 0.999999, 1000);
    } catch (error) {
      expect((error as Error).message).toMatch(/^hyp2f1 did not converge in 1000 terms/);
    }
  });
});
