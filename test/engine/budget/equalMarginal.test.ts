import { describe, expect, it } from "vitest";
import { equalMarginalAllocation, spreadResidual } from "../../../src/engine/budget/equalMarginal";
import { hillMarginal, type HillCurve } from "../../../src/engine/budget/hillCurve";
import { pairwiseTransfer } from "../../../src/engine/budget/pairwiseTransfer";
import { engineErrorOf } from "../../support/engine";

const curves: HillCurve[] = [
  { ceiling: 800, halfSaturation: 300, shape: 1 },
  { ceiling: 500, halfSaturation: 200, shape: 0.7 },
  { ceiling: 300, halfSaturation: 100, shape: 1 },
];
const zeros = () => new Float64Array(3);
const unlimited = () => Float64Array.of(Infinity, Infinity, Infinity);
const total = (x: Float64Array) => x.reduce((a, b) => a + b, 0);

describe("equalMarginalAllocation: λ-bisection (domain.md §5.2 (b))", () => {
  it("spends the total with one marginal ROI for every unit inside its range", () => {
    const result = equalMarginalAllocation(curves, zeros(), unlimited(), 1000);
    expect(result.converged).toBe(true);
    expect(total(result.spend)).toBeCloseTo(1000, 10);
    for (let i = 0; i < 3; i++) expect(hillMarginal(result.spend[i], curves[i]) / result.lambda!).toBeCloseTo(1, 9);
  });

  it("works across magnitudes (λ from 1e-9 to 1e6)", () => {
    for (const amount of [1e-6, 1, 1e3, 1e9]) {
      const result = equalMarginalAllocation(curves, zeros(), unlimited(), amount);
      expect(total(result.spend) / amount).toBeCloseTo(1, 12);
    }
  });

  it("a total equal to Σ lower or Σ upper puts every unit at that bound", () => {
    expect(Array.from(equalMarginalAllocation(curves, Float64Array.of(1, 2, 3), unlimited(), 6).spend)).toEqual([1, 2, 3]);
    expect(Array.from(equalMarginalAllocation(curves, zeros(), Float64Array.of(10, 20, 30), 60).spend)).toEqual([10, 20, 30]);
  });

  it("flat curves (ceiling 0): any split is optimal; the total is still spent", () => {
    const flat = curves.map((c) => ({ ...c, ceiling: 0 }));
    const result = equalMarginalAllocation(flat, zeros(), Float64Array.of(50, Infinity, 50), 120);
    expect(total(result.spend)).toBe(120);
    expect(result.lambda).toBe(0);
  });

  it("refuses a total the bounds cannot hold", () => {
    expect(engineErrorOf(() => equalMarginalAllocation(curves, zeros(), Float64Array.of(1, 1, 1), 10)).code).toBe("INVALID_INPUT");
  });

  it("spreadResidual gives rounding to a unit inside its range and respects bounds", () => {
    const spend = Float64Array.of(0.1, 0.2, 0.3);
    spreadResidual(spend, zeros(), Float64Array.of(1, 1, 1), 0.6000000000000001);
    expect(total(spend)).toBe(0.6000000000000001);
    expect(spend.every((x) => x >= 0 && x <= 1)).toBe(true);
  });
});

describe("pairwiseTransfer: most violating pair (Platt 1998)", () => {
  it("stops at once on an allocation that meets the KKT conditions", () => {
    const optimum = equalMarginalAllocation(curves, zeros(), unlimited(), 1000).spend;
    const spend = Float64Array.from(optimum);
    expect(pairwiseTransfer(curves, zeros(), unlimited(), spend, 100)).toEqual({ transfers: 0, converged: true });
    expect(Array.from(spend)).toEqual(Array.from(optimum));
  });

  it("moves a poor split to equal marginals, keeping the total", () => {
    const spend = Float64Array.of(900, 50, 50);
    const result = pairwiseTransfer(curves, zeros(), unlimited(), spend, 500);
    expect(result.converged).toBe(true);
    expect(total(spend)).toBeCloseTo(1000, 9);
    const m = Array.from(spend).map((x, i) => hillMarginal(x, curves[i]));
    expect(Math.max(...m) / Math.min(...m)).toBeLessThan(1 + 1e-9);
  });

  it("reports a cap that was reached", () => {
    expect(pairwiseTransfer(curves, zeros(), unlimited(), Float64Array.of(900, 50, 50), 1).converged).toBe(false);
  });
});
