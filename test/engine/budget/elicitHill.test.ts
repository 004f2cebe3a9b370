import { describe, expect, it } from "vitest";
import { hillFromTwoPoints } from "../../../src/engine/budget/elicitHill";
import { hillResponse } from "../../../src/engine/budget/hillCurve";
import { engineErrorOf } from "../../support/engine";

describe("hillFromTwoPoints: two elicited points fix the ceiling and half-saturation", () => {
  it("worked example: spend 100 gives 50, doubling it gives 80 → β = 200, γ = 300 (by hand: 200·100/400, 200·200/500)", () => {
    const curve = hillFromTwoPoints({ spend1: 100, response1: 50, spend2: 200, response2: 80 });
    expect(curve.ceiling).toBeCloseTo(200, 10);
    expect(curve.halfSaturation).toBeCloseTo(300, 10);
    expect(curve.shape).toBe(1);
  });

  it("the curve passes through both points for any shape", () => {
    for (const shape of [0.4, 1, 1.8, 3, 6]) {
      const truth = { ceiling: 5000, halfSaturation: 1200, shape };
      const points = { spend1: 700, response1: hillResponse(700, truth), spend2: 1900, response2: hillResponse(1900, truth), shape };
      const curve = hillFromTwoPoints(points);
      expect(curve.ceiling / 5000).toBeCloseTo(1, 9);
      expect(curve.halfSaturation / 1200).toBeCloseTo(1, 9);
      expect(hillResponse(700, curve)).toBeCloseTo(points.response1, 8);
      expect(hillResponse(1900, curve)).toBeCloseTo(points.response2, 8);
    }
  });

  it("refuses points that imply no saturation: doubling spend doubles the response or more (shape 1)", () => {
    for (const response2 of [100, 120]) {
      const error = engineErrorOf(() => hillFromTwoPoints({ spend1: 100, response1: 50, spend2: 200, response2 }));
      expect(error.code).toBe("INVALID_INPUT");
      expect(error.argument).toBe("response2");
      expect(error.message).toMatch(/^hillFromTwoPoints: these points imply no saturation: the response grows by \d+(\.\d+)?× while spend grows by 2×/);
    }
  });

  it("an S-curve (shape 2) allows growth up to 4× for doubled spend", () => {
    expect(hillFromTwoPoints({ spend1: 100, response1: 10, spend2: 200, response2: 39, shape: 2 }).ceiling).toBeGreaterThan(39);
    expect(engineErrorOf(() => hillFromTwoPoints({ spend1: 100, response1: 10, spend2: 200, response2: 40, shape: 2 })).argument).toBe("response2");
  });

  it("refuses points that are not increasing, and bad numbers", () => {
    expect(engineErrorOf(() => hillFromTwoPoints({ spend1: 200, response1: 50, spend2: 100, response2: 80 })).argument).toBe("spend2");
    expect(engineErrorOf(() => hillFromTwoPoints({ spend1: 100, response1: 50, spend2: 200, response2: 50 })).argument).toBe("response2");
    expect(engineErrorOf(() => hillFromTwoPoints({ spend1: 0, response1: 50, spend2: 200, response2: 80 })).argument).toBe("spend1");
    expect(engineErrorOf(() => hillFromTwoPoints({ spend1: 100, response1: -1, spend2: 200, response2: 80 })).argument).toBe("response1");
    expect(engineErrorOf(() => hillFromTwoPoints({ spend1: 100, response1: 50, spend2: 200, response2: 80, shape: 0 })).argument).toBe("shape");
  });
});
