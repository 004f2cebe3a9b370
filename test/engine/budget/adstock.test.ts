import { describe, expect, it } from "vitest";
import { adstockSeries, adstockSteadyState } from "../../../src/engine/budget/adstock";
import { engineErrorOf } from "../../support/engine";

describe("geometric adstock (domain.md §5.1)", () => {
  it("steady state of constant spend x is x/(1 − θ)", () => {
    expect(adstockSteadyState(100, 0.5)).toBe(200);
    expect(adstockSteadyState(100, 0)).toBe(100);
  });

  it("the series A_t = x_t + θ·A_{t−1} by hand, and it settles at the steady state", () => {
    expect(Array.from(adstockSeries([100, 0, 50], 0.5))).toEqual([100, 50, 75]);
    const series = adstockSeries(new Array(200).fill(100), 0.7);
    expect(series[199]).toBeCloseTo(adstockSteadyState(100, 0.7), 9);
  });

  it("refuses a carry-over outside [0, 1) and a bad spend", () => {
    expect(engineErrorOf(() => adstockSteadyState(100, 1)).argument).toBe("carryOver");
    expect(engineErrorOf(() => adstockSeries([1], -0.1)).argument).toBe("carryOver");
    const error = engineErrorOf(() => adstockSeries([1, Number.NaN], 0.2));
    expect(error.row).toBe(2);
    expect(error.code).toBe("INVALID_INPUT");
  });
});
