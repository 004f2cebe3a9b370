import { describe, expect, it } from "vitest";
import { betaDraw, exponentialDraw, gammaDraw, seededUniform } from "../../../src/engine/math/random";

describe("seeded random numbers", () => {
  it("the same seed gives the same sequence, strictly inside (0, 1)", () => {
    const a = seededUniform(42);
    const b = seededUniform(42);
    for (let i = 0; i < 1000; i++) {
      const u = a();
      expect(u).toBe(b());
      expect(u > 0 && u < 1).toBe(true);
    }
    expect(seededUniform(43)()).not.toBe(seededUniform(42)());
  });
  it("gamma, beta and exponential draws have their means (50,000 draws, seed 1; 5 standard errors)", () => {
    const uniform = seededUniform(1);
    const n = 50_000;
    const check = (draw: () => number, mean: number, sd: number) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += draw();
      expect(Math.abs(sum / n - mean)).toBeLessThan((5 * sd) / Math.sqrt(n));
    };
    check(() => gammaDraw(uniform, 0.25, 4), 0.25 / 4, Math.sqrt(0.25) / 4);
    check(() => gammaDraw(uniform, 6, 2), 3, Math.sqrt(6) / 2);
    check(() => betaDraw(uniform, 0.8, 2.4), 0.8 / 3.2, Math.sqrt((0.8 * 2.4) / (3.2 * 3.2 * 4.2)));
    check(() => exponentialDraw(uniform, 0.5), 2, 2);
  });
});
