import { describe, expect, it } from "vitest";
import { allocateBudget } from "../../../src/engine/budget/allocate";
import { hillMarginal } from "../../../src/engine/budget/hillCurve";
import { LIFECYCLE_STAGES, allocateLifecycle, type LifecycleStageInput } from "../../../src/engine/budget/lifecycleAllocation";
import { engineErrorOf } from "../../support/engine";

// Customers bought per stage (Hill curves in customers) and value per customer: a new customer's
// CLV for acquisition, remaining CLV for retention, post-reactivation CLV for win-back, …
const stages: LifecycleStageInput[] = [
  { stage: "acquisition", customerCurve: { ceiling: 2000, halfSaturation: 150000, shape: 1.3 }, valuePerCustomer: 420, currentSpend: 200000 },
  { stage: "onboarding", customerCurve: { ceiling: 900, halfSaturation: 30000, shape: 1 }, valuePerCustomer: 150, currentSpend: 20000 },
  { stage: "growth", customerCurve: { ceiling: 1500, halfSaturation: 60000, shape: 1 }, valuePerCustomer: 120, currentSpend: 30000 },
  { stage: "retention", customerCurve: { ceiling: 1200, halfSaturation: 40000, shape: 0.9 }, valuePerCustomer: 380, currentSpend: 30000, minSpend: 10000 },
  { stage: "win-back", customerCurve: { ceiling: 600, halfSaturation: 50000, shape: 1.5 }, valuePerCustomer: 200, currentSpend: 20000, maxSpend: 40000 },
];
const budget = 300000;

describe("allocateLifecycle (domain.md §5.3, Blattberg–Deighton / Pfeifer)", () => {
  const result = allocateLifecycle({ budget, stages });

  it("lists the five stages of domain.md §5.3 in funnel order", () => {
    expect(LIFECYCLE_STAGES.map((s) => s.stage)).toEqual(["acquisition", "onboarding", "growth", "retention", "win-back"]);
  });

  it("equalises the marginal customer value v·n'(x) across stages inside their bounds", () => {
    const inside = result.stages.filter((s, i) => s.spend > (stages[i].minSpend ?? 0) + 1e-6 && s.spend < (stages[i].maxSpend ?? Infinity) - 1e-6);
    expect(inside.length).toBeGreaterThanOrEqual(3);
    const lambda = result.marginalValue!;
    for (const s of inside) {
      const i = stages.findIndex((t) => t.stage === s.stage);
      const marginal = stages[i].valuePerCustomer * hillMarginal(s.spend, stages[i].customerCurve);
      expect(Math.abs(marginal - lambda) / lambda).toBeLessThan(1e-6);
      expect(s.marginalValue! / lambda).toBeCloseTo(1, 6);
    }
  });

  it("stages at a bound are on the right side of the common marginal value", () => {
    result.stages.forEach((s, i) => {
      const marginal = stages[i].valuePerCustomer * hillMarginal(s.spend, stages[i].customerCurve);
      if (s.spend <= (stages[i].minSpend ?? 0) + 1e-6) expect(marginal).toBeLessThanOrEqual(result.marginalValue! * (1 + 1e-6));
      if (s.spend >= (stages[i].maxSpend ?? Infinity) - 1e-6) expect(marginal).toBeGreaterThanOrEqual(result.marginalValue! * (1 - 1e-6));
    });
  });

  it("is the channel allocator on curves scaled by value per customer", () => {
    const scaled = allocateBudget({
      budget,
      units: stages.map((s) => ({ name: s.stage, curve: { ...s.customerCurve, ceiling: s.customerCurve.ceiling * s.valuePerCustomer }, minSpend: s.minSpend, maxSpend: s.maxSpend })),
    });
    result.stages.forEach((s, i) => expect(s.spend).toBeCloseTo(scaled.units[i].spend, 6));
    expect(result.totalValue).toBeCloseTo(scaled.totalResponse, 6);
  });

  it("reports customers, value, cost per customer and the lift over the current split", () => {
    for (const [i, s] of result.stages.entries()) {
      expect(s.value).toBeCloseTo(s.customers * stages[i].valuePerCustomer, 8);
      if (s.customers > 0) expect(s.costPerCustomer).toBeCloseTo(s.spend / s.customers, 8);
    }
    expect(result.stages.reduce((a, s) => a + s.spend, 0)).toBeCloseTo(budget, 6);
    expect(result.lift!).toBeGreaterThan(0);
  });

  it("refuses a value per customer that is not above 0, naming the stage", () => {
    const error = engineErrorOf(() => allocateLifecycle({ budget, stages: stages.map((s, i) => (i === 2 ? { ...s, valuePerCustomer: 0 } : s)) }));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("valuePerCustomer");
    expect(error.row).toBe(3);
    expect(error.message).toBe("allocateLifecycle: stage 3 (growth): value per customer must be a number above 0, got 0");
  });
});
