import { describe, expect, it } from "vitest";
import {
  checkHillCurve,
  hillCurveProblem,
  hillInflection,
  hillMarginal,
  hillResponse,
  hillSpendForMarginal,
  type HillCurve,
} from "../../../src/engine/budget/hillCurve";
import { engineErrorOf } from "../../support/engine";

const concave: HillCurve = { ceiling: 800, halfSaturation: 300, shape: 1 };
const sCurve: HillCurve = { ceiling: 1000, halfSaturation: 500, shape: 3 };
const steep: HillCurve = { ceiling: 50, halfSaturation: 20, shape: 0.5 };

/** The definition of domain.md §5.1 written literally: the oracle for the saturation-ratio form. */
const literal = (x: number, { ceiling: b, halfSaturation: g, shape: a }: HillCurve) => (b * x ** a) / (x ** a + g ** a);

describe("hillResponse: domain.md §5.1 y = β·x^α/(x^α + γ^α)", () => {
  it("reaches half the ceiling at the half-saturation spend, for every shape", () => {
    for (const shape of [0.3, 1, 2, 7.5]) expect(hillResponse(300, { ...concave, shape })).toBeCloseTo(400, 10);
  });

  it("matches the literal formula", () => {
    for (const curve of [concave, sCurve, steep]) {
      for (const x of [0.5, 10, 123.4, 999, 1e5]) expect(hillResponse(x, curve)).toBeCloseTo(literal(x, curve), 9);
    }
  });

  it("is 0 at zero spend, rises, and stays below the ceiling even where x^α overflows", () => {
    expect(hillResponse(0, sCurve)).toBe(0);
    expect(hillResponse(1e300, { ceiling: 10, halfSaturation: 1, shape: 50 })).toBe(10);
    expect(hillResponse(1e-300, { ceiling: 10, halfSaturation: 1e300, shape: 50 })).toBe(0);
    expect(hillResponse(200, sCurve)).toBeGreaterThan(hillResponse(100, sCurve));
  });
});

describe("hillMarginal: domain.md §5.1 y' = β·α·γ^α·x^(α−1)/(x^α + γ^α)²", () => {
  it("matches the literal derivative and a central difference", () => {
    for (const curve of [concave, sCurve, steep]) {
      for (const x of [1, 50, 300, 2000]) {
        const { ceiling: b, halfSaturation: g, shape: a } = curve;
        const exact = (b * a * g ** a * x ** (a - 1)) / (x ** a + g ** a) ** 2;
        expect(hillMarginal(x, curve)).toBeCloseTo(exact, 10);
        const h = 1e-4 * x;
        const numeric = (hillResponse(x + h, curve) - hillResponse(x - h, curve)) / (2 * h);
        expect(Math.abs(hillMarginal(x, curve) - numeric)).toBeLessThan(1e-6 * Math.max(1, numeric));
      }
    }
  });

  it("at zero spend: β/γ for shape 1, 0 for an S-curve, +∞ for shape < 1", () => {
    expect(hillMarginal(0, concave)).toBeCloseTo(800 / 300, 14);
    expect(hillMarginal(0, sCurve)).toBe(0);
    expect(hillMarginal(0, steep)).toBe(Number.POSITIVE_INFINITY);
  });

  it("is finite and ≥ 0 where the saturation ratio overflows", () => {
    const m = hillMarginal(1e300, { ceiling: 10, halfSaturation: 1, shape: 50 });
    expect(m).toBe(0);
  });
});

describe("hillInflection", () => {
  it("is 0 for concave shapes and where y'' changes sign for S-curves", () => {
    expect(hillInflection(concave)).toBe(0);
    expect(hillInflection(steep)).toBe(0);
    const x = hillInflection(sCurve);
    expect(x).toBeCloseTo(500 * (2 / 4) ** (1 / 3), 12);
    // y' is largest at the inflection point.
    expect(hillMarginal(x, sCurve)).toBeGreaterThan(hillMarginal(x * 0.99, sCurve));
    expect(hillMarginal(x, sCurve)).toBeGreaterThan(hillMarginal(x * 1.01, sCurve));
  });
});

describe("hillSpendForMarginal: inverse of the marginal on the concave branch", () => {
  it("shape 1 uses the closed form x = √(β·γ/λ) − γ (domain.md §5.2)", () => {
    expect(hillSpendForMarginal(concave, 0.5, 0, Infinity)).toBeCloseTo(Math.sqrt((800 * 300) / 0.5) - 300, 10);
  });

  it("returns the spend whose marginal is λ, to 1e-12 relative, for concave and S-curves", () => {
    for (const curve of [concave, sCurve, steep, { ceiling: 3e6, halfSaturation: 2e5, shape: 1.7 }]) {
      const lower = hillInflection(curve);
      const top = hillMarginal(Math.max(lower, 1e-9), curve);
      for (const fraction of [0.9, 0.5, 0.1, 1e-3, 1e-6]) {
        const lambda = Math.min(top, 1e6) * fraction;
        const x = hillSpendForMarginal(curve, lambda, lower, Infinity);
        expect(Math.abs(hillMarginal(x, curve) - lambda) / lambda).toBeLessThan(1e-12);
      }
    }
  });

  it("clamps to the bounds", () => {
    expect(hillSpendForMarginal(concave, 10, 0, 100)).toBe(0); // y'(0) = 2.67 < 10
    expect(hillSpendForMarginal(concave, 1e-6, 0, 100)).toBe(100);
    expect(hillSpendForMarginal(concave, 0.5, 50, 60)).toBe(60);
    expect(hillSpendForMarginal({ ...concave, ceiling: 0 }, 0.5, 7, 60)).toBe(7);
  });
});

describe("hillCurveProblem / checkHillCurve", () => {
  it("accepts valid curves and names the field at fault otherwise", () => {
    expect(hillCurveProblem(concave)).toBeNull();
    expect(hillCurveProblem({ ...concave, ceiling: -1 })?.field).toBe("ceiling");
    expect(hillCurveProblem({ ...concave, halfSaturation: 0 })?.field).toBe("halfSaturation");
    expect(hillCurveProblem({ ...concave, shape: 0 })?.field).toBe("shape");
    expect(hillCurveProblem({ ...concave, shape: Number.NaN })?.field).toBe("shape");
    const error = engineErrorOf(() => checkHillCurve({ ...concave, halfSaturation: 0 }, "allocateBudget: unit 2 (Social)", 2));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("halfSaturation");
    expect(error.row).toBe(2);
    expect(error.message).toBe("allocateBudget: unit 2 (Social): half-saturation must be greater than 0 (the spend that buys half the ceiling), got 0");
  });
});
