import { describe, expect, it } from "vitest";
import { allocateBudget, type AllocationResult, type AllocationUnit } from "../../../src/engine/budget/allocate";
import { equalMarginalAllocation } from "../../../src/engine/budget/equalMarginal";
import { gridHillClimb } from "../../../src/engine/budget/gridHillClimb";
import { hillInflection, hillMarginal, hillResponse, type HillCurve } from "../../../src/engine/budget/hillCurve";
import { engineErrorOf } from "../../support/engine";
import { seededUniform } from "../../../src/engine/math/random";


function randomUnits(random: () => number, count: number, shapes: [number, number], withBounds: boolean): AllocationUnit[] {
  return Array.from({ length: count }, (_, i) => {
    const unit: AllocationUnit = {
      name: `unit ${i + 1}`,
      curve: { ceiling: 100 + 9900 * random(), halfSaturation: 50 + 2000 * random(), shape: shapes[0] + (shapes[1] - shapes[0]) * random() },
    };
    if (!withBounds) return unit;
    const roll = random();
    if (roll < 0.2) return { ...unit, minSpend: 100 * random() };
    if (roll < 0.4) return { ...unit, maxSpend: 50 + 400 * random() };
    if (roll < 0.5) return { ...unit, minSpend: 20, maxSpend: 20 + 300 * random() };
    return unit;
  });
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * KKT conditions of domain.md §5.2 checked from the curves, independently of the engine's own
 * bound labels: one λ for units strictly inside their bounds (to 1e-6 relative), y'(L) ≤ λ at the
 * lower bound and y'(U) ≥ λ at the upper.
 */
function expectKkt(units: readonly AllocationUnit[], result: AllocationResult, relative = 1e-6): number {
  const inside: number[] = [];
  const atLower: number[] = [];
  const atUpper: number[] = [];
  result.units.forEach((allocation, i) => {
    const low = units[i].minSpend ?? 0;
    const high = units[i].maxSpend ?? Infinity;
    const x = allocation.spend;
    const tolerance = 1e-9 * Math.max(1, x);
    if (x <= low + tolerance) atLower.push(i);
    else if (x >= high - tolerance) atUpper.push(i);
    else inside.push(i);
  });
  expect(inside.length).toBeGreaterThan(0);
  const marginals = inside.map((i) => hillMarginal(result.units[i].spend, units[i].curve));
  const lambda = sum(marginals) / marginals.length;
  for (const m of marginals) expect(Math.abs(m - lambda) / lambda).toBeLessThan(relative);
  // At a lower bound of 0 a curve with shape < 1 has an infinite marginal, yet the optimum can be
  // an amount too small to matter (shape 0.998: y'(x) = λ at x ≈ 1e-200). What optimality means
  // there is that a small step up earns no more than λ on average.
  const stepUp = 1e-9 * sum(result.units.map((u) => u.spend));
  for (const i of atLower) {
    const x = result.units[i].spend;
    const averageRoi = (hillResponse(x + stepUp, units[i].curve) - hillResponse(x, units[i].curve)) / stepUp;
    expect(Math.min(hillMarginal(x, units[i].curve), averageRoi)).toBeLessThanOrEqual(lambda * (1 + relative));
  }
  for (const i of atUpper) expect(hillMarginal(result.units[i].spend, units[i].curve)).toBeGreaterThanOrEqual(lambda * (1 - relative));
  return lambda;
}

function expectFeasible(units: readonly AllocationUnit[], result: AllocationResult, budget: number): void {
  result.units.forEach((allocation, i) => {
    expect(allocation.spend).toBeGreaterThanOrEqual(units[i].minSpend ?? 0);
    expect(allocation.spend).toBeLessThanOrEqual(units[i].maxSpend ?? Infinity);
  });
  // Budget exactly spent: to floating precision of the sum.
  expect(Math.abs(sum(result.units.map((u) => u.spend)) - budget)).toBeLessThanOrEqual(4 * units.length * Number.EPSILON * Math.max(1, budget));
}

/** Oracle for shape 1 written from domain.md §5.2 (b), separately from the engine: x = clamp(√(βγ/λ) − γ). */
function closedFormOptimum(units: readonly AllocationUnit[], budget: number): number[] {
  const spendAt = (lambda: number) =>
    units.map((u) => {
      const { ceiling: b, halfSaturation: g } = u.curve;
      const x = Math.sqrt((b * g) / lambda) - g;
      return Math.min(u.maxSpend ?? Infinity, Math.max(u.minSpend ?? 0, x));
    });
  let low = 1e-12;
  let high = 1e6;
  for (let i = 0; i < 300; i++) {
    const middle = Math.sqrt(low * high);
    if (sum(spendAt(middle)) > budget) low = middle;
    else high = middle;
  }
  return spendAt(Math.sqrt(low * high));
}

describe("allocateBudget: optimality on concave curves (shape ≤ 1)", () => {
  const random = seededUniform(20261122);
  const cases = Array.from({ length: 8 }, (_, k) => ({
    units: randomUnits(random, 3 + 4 * k, [0.4, 1], k % 2 === 1),
    budget: 500 + 20000 * random(),
  }));

  cases.forEach(({ units, budget }, k) => {
    it(`case ${k + 1} (${units.length} units): KKT holds, bounds respected, budget exactly spent`, () => {
      const result = allocateBudget({ budget, units });
      expect(result.converged).toBe(true);
      expectFeasible(units, result, budget);
      const lambda = expectKkt(units, result);
      expect(result.marginalRoi! / lambda).toBeCloseTo(1, 6);
    });

    it(`case ${k + 1}: agrees with λ-bisection (domain.md §5.2 (b)) to 1e-6`, () => {
      const result = allocateBudget({ budget, units });
      const exact = equalMarginalAllocation(
        units.map((u) => u.curve),
        Float64Array.from(units.map((u) => u.minSpend ?? 0)),
        Float64Array.from(units.map((u) => u.maxSpend ?? Infinity)),
        budget,
      );
      expect(exact.converged).toBe(true);
      result.units.forEach((u, i) => expect(Math.abs(u.spend - exact.spend[i])).toBeLessThan(1e-6 * budget));
    });
  });

  it("shape 1: matches the closed-form oracle x = √(βγ/λ) − γ written in this test", () => {
    const units = randomUnits(seededUniform(7), 12, [1, 1], true);
    const budget = 6000;
    const oracle = closedFormOptimum(units, budget);
    const result = allocateBudget({ budget, units });
    result.units.forEach((u, i) => expect(Math.abs(u.spend - oracle[i])).toBeLessThan(1e-6 * budget));
  });

  it("the grid climb alone is close, and the polish only improves it", () => {
    const units = randomUnits(seededUniform(11), 10, [0.5, 1], false);
    const grid = allocateBudget({ budget: 5000, units }, { polish: false });
    const polished = allocateBudget({ budget: 5000, units });
    expect(polished.totalResponse).toBeGreaterThanOrEqual(grid.totalResponse);
    expect((polished.totalResponse - grid.totalResponse) / polished.totalResponse).toBeLessThan(1e-3);
  });
});

describe("allocateBudget: S-curves (shape > 1)", () => {
  // A concave unit that pays from the first dollar, and an S-curve unit whose first dollars buy
  // almost nothing but which is worth far more once funded past its inflection point.
  const units: AllocationUnit[] = [
    { name: "concave", curve: { ceiling: 300, halfSaturation: 200, shape: 1 } },
    { name: "S-curve", curve: { ceiling: 1000, halfSaturation: 500, shape: 4 } },
  ];
  const budget = 1200;
  /** Brute force: every split on a 0.01 grid. */
  function bruteForce(): number {
    let best = -Infinity;
    for (let k = 0; k <= budget * 100; k++) {
      const x = k / 100;
      best = Math.max(best, hillResponse(budget - x, units[0].curve) + hillResponse(x, units[1].curve));
    }
    return best;
  }

  it("naive one-step greedy fails: it never funds the S-curve; the look-ahead climb does (grid alone, no polish)", () => {
    const best = bruteForce();
    const naive = allocateBudget({ budget, units }, { lookAhead: false, polish: false });
    expect(naive.units[1].spend).toBe(0);
    expect(naive.totalResponse).toBeLessThan(0.3 * best);
    const lookAhead = allocateBudget({ budget, units }, { polish: false });
    expect(lookAhead.units[1].spend).toBeGreaterThan(hillInflection(units[1].curve));
    expect(lookAhead.totalResponse).toBeGreaterThan(best * (1 - 1e-4)); // within the grid's resolution
  });

  it("the polish's on/off test (y(x) − λx on the concave branch vs at the minimum) also rescues a naive start", () => {
    const rescued = allocateBudget({ budget, units }, { lookAhead: false });
    expect(rescued.totalResponse).toBeGreaterThanOrEqual(bruteForce() * (1 - 1e-9));
  });

  it("the look-ahead jumps past the convex start and finds the brute-force optimum", () => {
    const result = allocateBudget({ budget, units });
    const best = bruteForce();
    expect(result.totalResponse).toBeGreaterThanOrEqual(best * (1 - 1e-9));
    expect(result.units[1].spend).toBeGreaterThan(hillInflection(units[1].curve));
    expect(result.units.every((u) => u.bound === "inside")).toBe(true);
    expectFeasible(units, result, budget);
    // Both units inside: their marginal ROIs are equal (λ ≈ 0.2876).
    expect(expectKkt(units, result)).toBeCloseTo(0.2876, 3);
  });

  it("an unfunded S-curve at zero spend is legitimately at its bound (y'(0) = 0 ≤ λ)", () => {
    const many: AllocationUnit[] = [
      { name: "a", curve: { ceiling: 5000, halfSaturation: 200, shape: 1 } },
      { name: "b", curve: { ceiling: 4000, halfSaturation: 300, shape: 0.8 } },
      { name: "weak S", curve: { ceiling: 200, halfSaturation: 3000, shape: 3 } },
    ];
    const result = allocateBudget({ budget: 2000, units: many });
    expect(result.units[2].spend).toBe(0);
    expect(result.units[2].bound).toBe("min");
    expectKkt(many, result);
  });

  it("gridHillClimb reports its moves and hands out the whole budget", () => {
    const climb = gridHillClimb(
      { curves: units.map((u) => u.curve), lower: new Float64Array(2), upper: Float64Array.of(Infinity, Infinity), budget },
      { gridSteps: 100 },
    );
    expect(climb.converged).toBe(true);
    expect(climb.moves).toBeLessThanOrEqual(100);
    expect(sum(Array.from(climb.spend))).toBeCloseTo(budget, 9);
  });
});

describe("allocateBudget: 50 random units with mixed shapes and bounds (seeded)", () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: no pairwise transfer of 0.1% of the budget improves the total; bounds, budget, local KKT`, () => {
      const random = seededUniform(seed);
      const units = randomUnits(random, 50, [0.5, 2.5], true);
      const budget = 20000 + 40000 * random();
      const result = allocateBudget({ budget, units });
      expect(result.converged).toBe(true);
      expectFeasible(units, result, budget);
      const delta = 0.001 * budget;
      const spend = result.units.map((u) => u.spend);
      const y = spend.map((x, i) => hillResponse(x, units[i].curve));
      let bestGain = -Infinity;
      for (let i = 0; i < units.length; i++) {
        if (spend[i] - delta < (units[i].minSpend ?? 0)) continue;
        const loss = y[i] - hillResponse(spend[i] - delta, units[i].curve);
        for (let j = 0; j < units.length; j++) {
          if (j === i || spend[j] + delta > (units[j].maxSpend ?? Infinity)) continue;
          bestGain = Math.max(bestGain, hillResponse(spend[j] + delta, units[j].curve) - y[j] - loss);
        }
      }
      expect(bestGain).toBeLessThanOrEqual(1e-9 * result.totalResponse);
      // Local KKT: units on the concave part of their curves share λ.
      expectKkt(units, result);
    });
  }
});

describe("allocateBudget: outputs", () => {
  const units: AllocationUnit[] = [
    { name: "Search", curve: { ceiling: 800, halfSaturation: 300, shape: 1 }, currentSpend: 400 },
    { name: "Social", curve: { ceiling: 500, halfSaturation: 200, shape: 1 }, currentSpend: 400 },
    { name: "Email", curve: { ceiling: 300, halfSaturation: 100, shape: 1 }, currentSpend: 200 },
  ];
  const result = allocateBudget({ budget: 1000, units });

  it("per unit: share, response, ROI, marginal ROI, change vs current", () => {
    for (const [i, u] of result.units.entries()) {
      expect(u.share).toBeCloseTo(u.spend / 1000, 14);
      expect(u.response).toBeCloseTo(hillResponse(u.spend, units[i].curve), 12);
      expect(u.roi).toBeCloseTo(u.response / u.spend, 12);
      expect(u.marginalRoi).toBeCloseTo(hillMarginal(u.spend, units[i].curve), 12);
      expect(u.change).toBeCloseTo(u.spend - units[i].currentSpend!, 12);
      expect(u.currentResponse).toBeCloseTo(hillResponse(units[i].currentSpend!, units[i].curve), 12);
    }
  });

  it("totals and lift over the current split", () => {
    expect(result.totalResponse).toBeCloseTo(sum(result.units.map((u) => u.response)), 10);
    expect(result.totalRoi).toBeCloseTo(result.totalResponse / 1000, 12);
    expect(result.currentTotalSpend).toBe(1000);
    expect(result.lift).toBeCloseTo(result.totalResponse - result.currentTotalResponse!, 10);
    expect(result.lift!).toBeGreaterThan(0);
    expect(result.liftShare).toBeCloseTo(result.lift! / result.currentTotalResponse!, 12);
  });

  it("without current spends the comparison is null", () => {
    const plain = allocateBudget({ budget: 1000, units: units.map(({ currentSpend: _, ...u }) => u) });
    expect(plain.units[0].change).toBeNull();
    expect(plain.lift).toBeNull();
    expect(plain.currentTotalSpend).toBeNull();
  });

  it("zero budget: everything at 0, share and ROI null", () => {
    const zero = allocateBudget({ budget: 0, units });
    for (const u of zero.units) {
      expect(u.spend).toBe(0);
      expect(u.share).toBeNull();
      expect(u.roi).toBeNull();
    }
    expect(zero.totalRoi).toBeNull();
  });

  it("minimums that use the whole budget, or maximums that just hold it, fix the split", () => {
    const atMin = allocateBudget({ budget: 300, units: units.map((u) => ({ ...u, minSpend: 100 })) });
    expect(atMin.units.map((u) => u.spend)).toEqual([100, 100, 100]);
    const atMax = allocateBudget({ budget: 300, units: units.map((u) => ({ ...u, maxSpend: 100 })) });
    expect(atMax.units.map((u) => u.spend)).toEqual([100, 100, 100]);
    expect(atMax.units.every((u) => u.bound === "max" || u.bound === "min")).toBe(true);
  });

  it("shape < 1 at zero spend: marginal ROI is null, never Infinity", () => {
    const r = allocateBudget({ budget: 10, units: [{ name: "a", curve: { ceiling: 10, halfSaturation: 5, shape: 0.5 }, maxSpend: 0 }, { name: "b", curve: { ceiling: 10, halfSaturation: 5, shape: 1 } }] });
    expect(r.units[0].marginalRoi).toBeNull();
    expect(r.units[1].spend).toBe(10);
  });

  it("one unit gets the whole budget", () => {
    const one = allocateBudget({ budget: 123.45, units: [units[0]] });
    expect(one.units[0].spend).toBe(123.45);
    expect(one.units[0].share).toBe(1);
  });

  it("huge budgets and tiny curves stay finite", () => {
    const r = allocateBudget({ budget: 1e12, units: randomUnits(seededUniform(5), 5, [0.5, 3], false) });
    expect(r.units.every((u) => Number.isFinite(u.spend) && Number.isFinite(u.response))).toBe(true);
    expect(Math.abs(sum(r.units.map((u) => u.spend)) - 1e12)).toBeLessThan(1e-3);
  });
});

describe("allocateBudget: bad input is INVALID_INPUT naming the field", () => {
  const unit = (curve: Partial<HillCurve> = {}, extra: Partial<AllocationUnit> = {}): AllocationUnit => ({
    name: "u",
    curve: { ceiling: 100, halfSaturation: 50, shape: 1, ...curve },
    ...extra,
  });

  it("negative budget", () => {
    const error = engineErrorOf(() => allocateBudget({ budget: -1, units: [unit()] }));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("budget");
    expect(error.message).toBe("allocateBudget: budget must be a number of at least 0, got -1");
  });

  it("zero half-saturation, with the unit number", () => {
    const error = engineErrorOf(() => allocateBudget({ budget: 10, units: [unit(), unit({ halfSaturation: 0 })] }));
    expect(error.argument).toBe("halfSaturation");
    expect(error.row).toBe(2);
    expect(error.message).toMatch(/^allocateBudget: unit 2 \(u\): half-saturation must be greater than 0/);
  });

  it("infeasible bounds: minimums above the budget, maximums below it", () => {
    const low = engineErrorOf(() => allocateBudget({ budget: 100, units: [unit({}, { minSpend: 60 }), unit({}, { minSpend: 50 })] }));
    expect(low.argument).toBe("minSpend");
    expect(low.message).toBe("allocateBudget: the minimum spends add up to 110, more than the budget 100; lower the minimums or raise the budget");
    const high = engineErrorOf(() => allocateBudget({ budget: 100, units: [unit({}, { maxSpend: 30 }), unit({}, { maxSpend: 20 })] }));
    expect(high.argument).toBe("maxSpend");
    expect(high.message).toMatch(/^allocateBudget: the maximum spends add up to 50, less than the budget 100/);
  });

  it("a maximum below its minimum, negative current spend, no units", () => {
    expect(engineErrorOf(() => allocateBudget({ budget: 100, units: [unit({}, { minSpend: 60, maxSpend: 10 })] })).argument).toBe("maxSpend");
    expect(engineErrorOf(() => allocateBudget({ budget: 100, units: [unit({}, { currentSpend: -5 })] })).argument).toBe("currentSpend");
    expect(engineErrorOf(() => allocateBudget({ budget: 100, units: [] })).argument).toBe("units");
    expect(engineErrorOf(() => allocateBudget({ budget: 100, units: [unit()] }, { gridSteps: 0 })).argument).toBe("gridSteps");
  });
});
