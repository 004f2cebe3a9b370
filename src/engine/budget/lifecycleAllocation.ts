/**
 * Allocation by customer-lifecycle stage rather than by channel (IMC step 5; domain.md §5.3).
 *
 * Glossary: stage s (acquisition, onboarding, growth, retention, win-back); n_s(x) customers that
 * spend x buys in stage s, a Hill curve in customers (β_s customers at most, γ_s half-saturation
 * spend, α_s shape); v_s value per customer of that stage (CLV of a new customer, the CLV gained
 * by onboarding or growth, remaining CLV of a retained customer, post-reactivation CLV of a
 * won-back one); the objective Σ v_s·n_s(x_s).
 *
 * v_s·n_s(x) is again a Hill curve (ceiling v_s·β_s), so the stage problem is the channel problem of
 * allocate.ts on scaled curves; at the optimum the marginal customer value v_s·n_s'(x_s) is equal
 * across the stages strictly inside their bounds.
 *
 * References: R. C. Blattberg and J. Deighton (1996), "Manage Marketing by the Customer Equity
 * Test", Harvard Business Review 74(4) (balance acquisition and retention spend at equal marginal
 * customer equity); P. E. Pfeifer (2005), "The optimal ratio of acquisition and retention costs",
 * J. Targeting, Measurement and Analysis for Marketing 13(2); domain.md §5.3.
 */

import { EngineError } from "../errors";
import { allocateBudget, type AllocationOptions } from "./allocate";
import { hillMarginal, type HillCurve } from "./hillCurve";

/** The lifecycle stages of domain.md §5.3, in funnel order, with what their value per customer is. */
export const LIFECYCLE_STAGES = [
  { stage: "acquisition", valuePerCustomer: "CLV of a new customer" },
  { stage: "onboarding", valuePerCustomer: "CLV gained when a new customer is onboarded (makes a second purchase)" },
  { stage: "growth", valuePerCustomer: "CLV gained by up-selling or cross-selling an active customer" },
  { stage: "retention", valuePerCustomer: "remaining CLV of a customer kept who would have churned" },
  { stage: "win-back", valuePerCustomer: "CLV after reactivation of a lapsed customer" },
] as const;

export interface LifecycleStageInput {
  /** Stage label (any text; the five of {@link LIFECYCLE_STAGES} are the usual ones). */
  readonly stage: string;
  /** n_s(x): customers (acquired, onboarded, grown, kept, won back) bought by spend x. */
  readonly customerCurve: HillCurve;
  /** v_s: value per customer of this stage (currency, > 0). */
  readonly valuePerCustomer: number;
  /** Lowest spend (currency, ≥ 0); 0 when omitted. */
  readonly minSpend?: number;
  /** Highest spend (currency); null or omitted for no maximum. */
  readonly maxSpend?: number | null;
  /** Current spend (currency), to compare with; null or omitted when unknown. */
  readonly currentSpend?: number | null;
}

export interface StageAllocation {
  readonly stage: string;
  /** x_s (currency). */
  readonly spend: number;
  /** x_s / B; null when the budget is 0. */
  readonly share: number | null;
  /** n_s(x_s): customers bought. */
  readonly customers: number;
  /** v_s·n_s(x_s) (currency). */
  readonly value: number;
  /** x_s / n_s(x_s): spend per customer (CAC for acquisition); null when no customers are bought. */
  readonly costPerCustomer: number | null;
  /** v_s·n_s(x_s)/x_s; null at zero spend. */
  readonly valueRoi: number | null;
  /** v_s·n_s'(x_s): value of the last unit of spend; null where infinite (shape < 1 at zero spend). */
  readonly marginalValue: number | null;
  /** Value at the current spend; null when unknown. */
  readonly currentValue: number | null;
  /** x_s − current spend; null when unknown. */
  readonly change: number | null;
}

export interface LifecycleAllocationResult {
  readonly stages: readonly StageAllocation[];
  readonly budget: number;
  /** Σ v_s·n_s(x_s) (currency). */
  readonly totalValue: number;
  /** The marginal customer value shared by stages strictly inside their bounds; null when none is. */
  readonly marginalValue: number | null;
  /** Total value minus the value of the current split; null without current spends. */
  readonly lift: number | null;
  readonly converged: boolean;
}

/**
 * Splits a budget across lifecycle stages to maximise the customer value it buys.
 *
 * @param input budget B (currency, ≥ 0) and the stages (customer curve, value per customer, bounds).
 * @param options as for `allocateBudget`.
 * @returns per stage: spend, share, customers, value, cost per customer, value ROI, marginal
 *   value; total value, the common marginal value and the lift over the current split.
 * @throws EngineError INVALID_INPUT (argument `valuePerCustomer`, row = stage number) when a value
 *   per customer is not a number above 0, and every error of `allocateBudget`.
 *
 * References: Blattberg & Deighton (1996); Pfeifer (2005); domain.md §5.3.
 */
export function allocateLifecycle(
  input: { readonly budget: number; readonly stages: readonly LifecycleStageInput[] },
  options: AllocationOptions = {},
): LifecycleAllocationResult {
  input.stages.forEach((stage, i) => {
    if (!Number.isFinite(stage.valuePerCustomer) || stage.valuePerCustomer <= 0) {
      throw new EngineError(
        "INVALID_INPUT",
        `allocateLifecycle: stage ${i + 1} (${stage.stage}): value per customer must be a number above 0, got ${stage.valuePerCustomer}`,
        { argument: "valuePerCustomer", row: i + 1 },
      );
    }
  });
  const allocation = allocateBudget(
    {
      budget: input.budget,
      units: input.stages.map((stage) => ({
        name: stage.stage,
        curve: { ...stage.customerCurve, ceiling: stage.customerCurve.ceiling * stage.valuePerCustomer },
        minSpend: stage.minSpend,
        maxSpend: stage.maxSpend,
        currentSpend: stage.currentSpend,
      })),
    },
    options,
  );
  const stages = allocation.units.map((unit, i): StageAllocation => {
    const stage = input.stages[i];
    const customers = unit.response / stage.valuePerCustomer;
    const marginal = hillMarginal(unit.spend, stage.customerCurve) * stage.valuePerCustomer;
    return {
      stage: stage.stage,
      spend: unit.spend,
      share: unit.share,
      customers,
      value: unit.response,
      costPerCustomer: customers > 0 ? unit.spend / customers : null,
      valueRoi: unit.roi,
      marginalValue: Number.isFinite(marginal) ? marginal : null,
      currentValue: unit.currentResponse,
      change: unit.change,
    };
  });
  return {
    stages,
    budget: allocation.budget,
    totalValue: allocation.totalResponse,
    marginalValue: allocation.marginalRoi,
    lift: allocation.lift,
    converged: allocation.converged,
  };
}
