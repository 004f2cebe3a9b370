// The profit plan: every funded unit stops where one more unit of spend brings back one unit of
// contribution (gross margin rate × marginal revenue = 1), and no unfunded or capped unit could add
// more than 1 per unit of spend. Oracle: the first-order condition, and a dense scan of each curve.
import { describe, expect, it } from "vitest";
import { hillMarginal, hillResponse, profitPlan, type AllocationUnit } from "../../../src/engine/budget";
import { engineErrorOf } from "../../support/engine";

const units: AllocationUnit[] = [
  { name: "Email", curve: { ceiling: 40_000, halfSaturation: 5_000, shape: 1 } },
  { name: "Paid search", curve: { ceiling: 90_000, halfSaturation: 20_000, shape: 1 } },
  { name: "Display", curve: { ceiling: 25_000, halfSaturation: 15_000, shape: 2 }, maxSpend: 2_000 },
  { name: "Radio", curve: { ceiling: 8_000, halfSaturation: 20_000, shape: 1 } }, // y'(0) = 0.4: never pays at m ≤ 1
  { name: "Video", curve: { ceiling: 60_000, halfSaturation: 10_000, shape: 2.5 } }, // S-curve, worth funding past its start
  { name: "Events", curve: { ceiling: 30_000, halfSaturation: 8_000, shape: 0.7 }, minSpend: 500, maxSpend: 900 },
];

describe("profitPlan", () => {
  for (const m of [0.3, 0.5, 0.8, 1]) {
    it(`at a gross margin rate of ${m}: funded units at m·y' = 1, none below 1, no unfunded or capped unit could add more than 1`, () => {
      const plan = profitPlan(units, m);
      plan.forEach((unit, i) => {
        const { curve } = units[i];
        const lower = units[i].minSpend ?? 0;
        const upper = units[i].maxSpend ?? Number.POSITIVE_INFINITY;
        const profit = (x: number) => m * hillResponse(x, curve) - x;
        expect(unit.contribution).toBeCloseTo(profit(unit.spend), 6);
        if (unit.bound === "inside") expect(m * hillMarginal(unit.spend, curve), unit.name).toBeCloseTo(1, 9);
        // A funded unit never has a marginal contribution below 1 per unit of spend…
        if (unit.spend > lower) expect(unit.marginalContribution!, unit.name).toBeGreaterThanOrEqual(1 - 1e-9);
        // …and no change of spend within its bounds adds contribution: more than 1 back per extra unit
        // is impossible for an unfunded or capped unit, and cutting a funded one loses at least as much as it saves.
        const top = Number.isFinite(upper) ? upper : 20 * curve.halfSaturation;
        for (let k = 0; k <= 400; k++) {
          const x = lower + ((top - lower) * k) / 400;
          expect(profit(x), `${unit.name} at ${x}`).toBeLessThanOrEqual(unit.contribution + 1e-6 * Math.max(1, Math.abs(unit.contribution)));
        }
      });
    });
  }

  it("leaves units that never pay at their minimum, funds a worthwhile S-curve past its start, stops a paying unit at its cap", () => {
    const plan = profitPlan(units, 0.5);
    expect(plan[3]).toMatchObject({ name: "Radio", spend: 0, bound: "min" });
    expect(plan[4].spend).toBeGreaterThan(10_000);
    // Display's cap (2,000) is far below its S-curve's start: never worth funding. Events is capped while its next unit still pays.
    expect(plan[2]).toMatchObject({ spend: 0, bound: "min" });
    expect(plan[5]).toMatchObject({ spend: 900, bound: "max" });
    expect(plan[5].marginalContribution!).toBeGreaterThan(1);
  });

  it("α = 1 closed form: x = √(m·β·γ) − γ", () => {
    const [email] = profitPlan([units[0]], 0.5);
    expect(email.spend).toBeCloseTo(Math.sqrt(0.5 * 40_000 * 5_000) - 5_000, 6);
  });

  it("a margin rate out of (0, 1] or no units is INVALID_INPUT naming it", () => {
    expect(engineErrorOf(() => profitPlan(units, 0)).argument).toBe("grossMarginRate");
    expect(engineErrorOf(() => profitPlan(units, 1.2)).argument).toBe("grossMarginRate");
    expect(engineErrorOf(() => profitPlan([], 0.5)).argument).toBe("units");
  });
});
