import { describe, expect, it } from "vitest";
import { digamma, log1mExp, log1pExp, logBeta, logDiffExp, logGamma, logSumExp, logSumExpAll, trigamma } from "../../../src/engine/math/special";

function close(actual: number, expected: number, relative: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

describe("logGamma (values from Python math.lgamma / mpmath)", () => {
  const cases: Array<[number, number]> = [
    [1e-5, 11.512919692895824],
    [0.1, 2.2527126517342055],
    [0.5, 0.5 * Math.log(Math.PI)],
    [1, 0],
    [2, 0],
    [2.5, 0.2846828704729196],
    [10, Math.log(362880)],
    [14.9, 24.924132002217277],
    [100, 359.1342053695754],
    [1e6, 12815504.569147611],
    [-0.5, 1.265512123484645],
    [-2.5, -0.056243716497674054],
  ];
  for (const [x, expected] of cases) {
    it(`logGamma(${x})`, () => close(logGamma(x), expected, 1e-14));
  }
  it("is +Infinity at the poles and NaN for NaN", () => {
    expect(logGamma(0)).toBe(Infinity);
    expect(logGamma(-3)).toBe(Infinity);
    expect(logGamma(NaN)).toBeNaN();
  });
  it("satisfies the recurrence log Γ(x + 1) = log Γ(x) + log x across the switch to the asymptotic series", () => {
    for (const x of [0.3, 3.7, 14.2, 14.99, 15, 15.5, 250.25]) close(logGamma(x + 1), logGamma(x) + Math.log(x), 1e-14);
  });
});

describe("digamma (values from mpmath.digamma)", () => {
  const cases: Array<[number, number]> = [
    [1e-3, -1000.5755719318103],
    [0.1, -10.423754940411076],
    [0.5, -1.9635100260214235],
    [1, -0.5772156649015329],
    [2.5, 0.7031566406452432],
    [10, 2.251752589066721],
    [14.9, 2.6674289762160424],
    [15, 2.6743466616607936],
    [100, 4.600161852738087],
    [1e6, 13.815510057964191],
    [-0.5, 0.03648997397857652],
    [-2.5, 1.103156640645243],
  ];
  for (const [x, expected] of cases) {
    it(`digamma(${x})`, () => close(digamma(x), expected, 1e-13));
  }
  it("is NaN at the poles", () => expect(digamma(-2)).toBeNaN());
  it("is the derivative of logGamma (central difference)", () => {
    for (const x of [0.24, 4.4, 30]) {
      const h = 1e-5 * x;
      close(digamma(x), (logGamma(x + h) - logGamma(x - h)) / (2 * h), 1e-7);
    }
  });
});

describe("trigamma (values from mpmath.psi(1, x))", () => {
  const cases: Array<[number, number]> = [
    [1e-3, 1000001.6425331958],
    [0.5, 4.934802200544679],
    [1, 1.6449340668482264],
    [7.3, 0.1467957681314271],
    [15, 0.0689382278476838],
    [1000, 0.0010005001666666333],
  ];
  for (const [x, expected] of cases) {
    it(`trigamma(${x})`, () => expect(Math.abs(trigamma(x) - expected) / expected).toBeLessThan(1e-13));
  }
  it("is NaN for x <= 0", () => expect(trigamma(0)).toBeNaN());
});

describe("logBeta (mpmath)", () => {
  // log Γ(1000) and log Γ(1000.5) are about 5900 each: their difference keeps about 1e-12 absolute.
  it("log B(0.5, 1000)", () => close(logBeta(0.5, 1000), -2.8813876965715766, 1e-12));
  it("log B(1, b) = −log b", () => close(logBeta(1, 7), -Math.log(7), 1e-14));
});

describe("log-space arithmetic", () => {
  it("logSumExp adds without overflow", () => {
    close(logSumExp(1000, 1000), 1000 + Math.LN2, 1e-15);
    close(logSumExp(Math.log(2), Math.log(3)), Math.log(5), 1e-15);
    expect(logSumExp(-Infinity, -Infinity)).toBe(-Infinity);
    expect(logSumExp(-Infinity, 2)).toBe(2);
  });
  it("logDiffExp subtracts", () => {
    close(logDiffExp(Math.log(5), Math.log(3)), Math.log(2), 1e-15);
    expect(logDiffExp(1, 1)).toBe(-Infinity);
    expect(logDiffExp(1, 2)).toBeNaN();
    expect(logDiffExp(1, -Infinity)).toBe(1);
  });
  it("log1pExp is exact at both ends", () => {
    expect(log1pExp(-800)).toBe(Math.exp(-800));
    expect(log1pExp(800)).toBe(800);
    close(log1pExp(0), Math.LN2, 1e-15);
    close(log1pExp(25), 25 + Math.log1p(Math.exp(-25)), 1e-15);
  });
  it("log1mExp is accurate near 0 and far below", () => {
    close(log1mExp(-1e-20), Math.log(1e-20), 1e-14);
    close(log1mExp(-50), -Math.exp(-50), 1e-15);
    close(log1mExp(-1), Math.log(1 - Math.exp(-1)), 1e-15);
    expect(log1mExp(0)).toBe(-Infinity);
    expect(log1mExp(1)).toBeNaN();
  });
  it("logSumExpAll sums a list", () => {
    close(logSumExpAll([Math.log(1), Math.log(2), Math.log(3), -Infinity]), Math.log(6), 1e-15);
    expect(logSumExpAll([])).toBe(-Infinity);
  });
});
