import { describe, expect, it } from "vitest";
import { logParameterDerivatives } from "../../../src/engine/math/logParameterDerivatives";

/** log L(u) = u₀u₁ − u₀² + log u₁ with its analytic gradient and Hessian in u. */
function logL(u: number[]): number {
  return u[0] * u[1] - u[0] * u[0] + Math.log(u[1]);
}
const gradientOf = (u: number[]): number[] => [u[1] - 2 * u[0], u[0] + 1 / u[1]];
const hessianOf = (u: number[]): number[] => [-2, 1, 1, -1 / (u[1] * u[1])];

/** f(θ) = −log L(e^θ) / N, the objective the fits minimise. */
const customers = 7;
const f = (theta: number[]): number => -logL(theta.map(Math.exp)) / customers;

describe("logParameterDerivatives (chain rule for θ = log u, checked against central differences of f(θ) = −log L(e^θ)/N)", () => {
  const theta = [0.3, -0.4];
  const u = theta.map(Math.exp);
  const gradient = new Float64Array(2);
  const hessian = new Float64Array(4);
  logParameterDerivatives(u, gradientOf(u), hessianOf(u), customers, gradient, hessian);
  const h = 1e-4;
  const shifted = (i: number, di: number, j = 0, dj = 0): number[] => theta.map((t, k) => t + (k === i ? di : 0) + (k === j ? dj : 0));

  it("gradient within 1e-8 of central differences", () => {
    for (let i = 0; i < 2; i++) {
      const difference = (f(shifted(i, h)) - f(shifted(i, -h))) / (2 * h);
      expect(Math.abs(gradient[i] - difference)).toBeLessThan(1e-8);
    }
  });

  it("all 4 Hessian entries within 1e-6 of second differences, and symmetric", () => {
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const difference = (f(shifted(i, h, j, h)) - f(shifted(i, h, j, -h)) - f(shifted(i, -h, j, h)) + f(shifted(i, -h, j, -h))) / (4 * h * h);
        expect(Math.abs(hessian[i * 2 + j] - difference)).toBeLessThan(1e-6);
      }
    }
    expect(hessian[1]).toBe(hessian[2]);
  });

  it("without a Hessian to fill, only the gradient is written", () => {
    const onlyGradient = new Float64Array(2);
    logParameterDerivatives(u, gradientOf(u), [Number.NaN, Number.NaN, Number.NaN, Number.NaN], customers, onlyGradient, null);
    expect(Array.from(onlyGradient)).toEqual(Array.from(gradient));
  });
});
