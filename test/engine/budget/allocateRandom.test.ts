// Random allocation problems over many orders of magnitude (seeded): curves of every shape, bounds
// of every kind, budgets from tight to loose. Whatever the grid climb finds, the final allocation
// must be feasible, spend the budget and satisfy the KKT conditions locally (domain.md §5.2).
import { describe, expect, it } from "vitest";
import { allocateBudget, type AllocationUnit } from "../../../src/engine/budget/allocate";
import { hillInflection, hillMarginal, hillResponse } from "../../../src/engine/budget/hillCurve";
import { seededUniform } from "../../../src/engine/math/random";


function randomProblem(seed: number): { units: AllocationUnit[]; budget: number } {
  const r = seededUniform(seed);
  const n = 1 + Math.floor(r() * 30);
  const scale = Math.pow(10, -2 + 8 * r());
  const maxShape = r() < 0.5 ? 1 : 0.3 + 4 * r();
  const units = Array.from({ length: n }, (_, i): AllocationUnit => {
    const curve = { ceiling: scale * Math.pow(10, 3 * r()), halfSaturation: scale * Math.pow(10, 2 * r() - 1), shape: 0.2 + (maxShape - 0.2) * r() };
    const roll = r();
    if (roll < 0.15) return { name: `u${i}`, curve, minSpend: scale * r() * 0.1 };
    if (roll < 0.3) return { name: `u${i}`, curve, maxSpend: scale * r() };
    if (roll < 0.35) return { name: `u${i}`, curve, minSpend: scale * 0.01, maxSpend: scale * 0.01 + scale * r() };
    if (roll < 0.38) return { name: `u${i}`, curve: { ...curve, ceiling: 0 } };
    return { name: `u${i}`, curve };
  });
  const minimum = units.reduce((a, u) => a + (u.minSpend ?? 0), 0);
  const maximum = units.reduce((a, u) => a + (u.maxSpend ?? Infinity), 0);
  let budget = minimum + scale * n * Math.pow(10, 2 * r() - 1);
  if (budget > maximum) budget = minimum + (maximum - minimum) * r();
  return { units, budget };
}

/** y'(x), where a shape below 1 at zero spend counts by its value at 1e-300·γ (its optimum may underflow). */
function marginal(unit: AllocationUnit, x: number): number {
  return x === 0 && unit.curve.shape < 1 ? hillMarginal(unit.curve.halfSaturation * 1e-300, unit.curve) : hillMarginal(x, unit.curve);
}

describe("allocateBudget on 200 random problems (seeded, scales 1e-2 to 1e6)", () => {
  it("every allocation is feasible, spends the budget, satisfies local KKT, and no pairwise transfer improves it", () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const { units, budget } = randomProblem(seed);
      const result = allocateBudget({ budget, units });
      const spend = result.units.map((u) => u.spend);
      const lower = units.map((u) => u.minSpend ?? 0);
      const upper = units.map((u) => u.maxSpend ?? Infinity);
      const problems: string[] = [];
      if (!result.converged) problems.push("not converged");
      const total = spend.reduce((a, b) => a + b, 0);
      if (Math.abs(total - budget) > 4 * units.length * Number.EPSILON * Math.max(1, budget)) problems.push(`spent ${total} of ${budget}`);
      spend.forEach((x, i) => {
        if (!(x >= lower[i] && x <= upper[i])) problems.push(`unit ${i + 1} outside its bounds`);
      });
      const inside = spend.map((_, i) => i).filter((i) => spend[i] > lower[i] + 1e-9 * Math.max(1, spend[i]) && spend[i] < upper[i] - 1e-9 * Math.max(1, spend[i]));
      if (inside.length > 0) {
        const lambda = inside.reduce((a, i) => a + marginal(units[i], spend[i]), 0) / inside.length;
        for (const i of inside) if (Math.abs(marginal(units[i], spend[i]) - lambda) > 1e-6 * lambda) problems.push(`unit ${i + 1} marginal ≠ λ`);
        spend.forEach((x, i) => {
          if (inside.includes(i)) return;
          const m = marginal(units[i], x);
          if (x <= lower[i] + 1e-9 * Math.max(1, x) ? m > lambda * (1 + 1e-6) : m < lambda * (1 - 1e-6)) problems.push(`unit ${i + 1} on the wrong side of its bound`);
        });
      }
      const delta = 0.001 * (budget - lower.reduce((a, b) => a + b, 0));
      const y = spend.map((x, i) => hillResponse(x, units[i].curve));
      for (let i = 0; i < units.length; i++) {
        if (spend[i] - delta < lower[i]) continue;
        const loss = y[i] - hillResponse(spend[i] - delta, units[i].curve);
        for (let j = 0; j < units.length; j++) {
          if (j === i || spend[j] + delta > upper[j]) continue;
          if (hillResponse(spend[j] + delta, units[j].curve) - y[j] - loss > 1e-9 * result.totalResponse) problems.push(`moving ${delta} from ${i + 1} to ${j + 1} helps`);
        }
      }
      if (problems.length > 0) failures.push(`seed ${seed}: ${problems.slice(0, 3).join("; ")}`);
    }
    expect(failures).toEqual([]);
  });

  it("an S-curve held below its inflection point by the budget still ends with equal marginals", () => {
    // Seed 191 of the random search above, rounded: the budget (703) cannot reach the
    // S-curve's inflection (1494), so the equal-marginal polish leaves it alone; pairwise transfers settle it.
    const units: AllocationUnit[] = [
      { name: "S-curve", curve: { ceiling: 246637.49, halfSaturation: 2292.37, shape: 2.241 }, maxSpend: 1544.15 },
      { name: "steep", curve: { ceiling: 26841.23, halfSaturation: 5266.13, shape: 0.3468 }, maxSpend: 618.6 },
    ];
    const result = allocateBudget({ budget: 703.09, units });
    expect(result.units[0].spend).toBeLessThan(hillInflection(units[0].curve));
    expect(result.units.every((u) => u.bound === "inside")).toBe(true);
    const [m0, m1] = result.units.map((u, i) => hillMarginal(u.spend, units[i].curve));
    expect(Math.abs(m0 - m1) / m1).toBeLessThan(1e-6);
  });
});
