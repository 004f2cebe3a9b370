/**
 * What the Budget tab's sections share: the tab's input type, the engine's results computed once
 * (the plan, the target plan's allocation, the profit plan), the number formats in the data's
 * currency, and the addresses of the cells placed so far (a later section's formulas refer to them).
 */

import {
  allocateBudget,
  allocateLifecycle,
  budgetFromTheEnd,
  profitPlan,
  type AllocationResult,
  type AllocationUnit,
  type BudgetFromTheEndInput,
  type BudgetPlan,
  type LifecycleAllocationResult,
  type LifecycleStageInput,
  type ProfitPlanUnit,
} from "../../engine/budget";
import { moneyFormat } from "../format";
import { a1, type ConditionalFormat, type RangeRef, type ReportContext } from "../sheet";

/**
 * How a set of curves was made, when every curve was drawn through its current spend: that spend
 * buys this share of the ceiling, with this shape. The tab then shows both as input cells and the
 * ceilings and half-saturation spends as formulas of them.
 */
export interface CurveAssumption {
  readonly saturationAtCurrentSpend: number;
  readonly shape: number;
}

export interface BudgetTabInput {
  /** The plan's inputs (src/engine/budget/budgetFromTheEnd.ts). */
  readonly plan: BudgetFromTheEndInput;
  /** What to split and across what; null for no allocation section. */
  readonly allocation:
    | {
        readonly kind: "channels";
        readonly budget: number;
        readonly units: readonly AllocationUnit[];
        /** The curves' assumption (see {@link CurveAssumption}); omitted when the curves were given. */
        readonly curveAssumption?: CurveAssumption;
        /**
         * Gross margin rate for the profit plan (the curves' responses are revenue); `given` false
         * when the data has no margin and the rate is an assumption. No profit plan when omitted.
         */
        readonly grossMargin?: { readonly rate: number; readonly given: boolean } | null;
      }
    | {
        readonly kind: "lifecycle";
        readonly budget: number;
        readonly stages: readonly LifecycleStageInput[];
        /** The customer curves' assumption, as for channels (every stage with a current spend above 0). */
        readonly curveAssumption?: CurveAssumption;
      }
    | null;
  /** Where the inputs came from, for provenance. */
  readonly sources: readonly string[];
  /** How each input was derived, and the assumptions. */
  readonly notes: readonly string[];
  /** The plan's period in words (default "period"), e.g. "12 months". */
  readonly periodLabel?: string;
  /** One line saying what the allocation budget is and its period, e.g. "the plan's budget ÷ 12, per month". */
  readonly allocationBasis?: string;
  /** The allocation's period in words, e.g. "month"; the plan's period when omitted. */
  readonly allocationPeriodLabel?: string;
  /** Paid marketing spend in the 12 months before the plan (currency), to compare the budget with; null or omitted when unknown. */
  readonly spendLastYear?: number | null;
}

/** How the tab is built, beyond its inputs. */
export interface BudgetTabOptions {
  /**
   * Optimal spends of the target plan as live `IMC.ALLOCATE` formulas over the table's input cells
   * (src/reports/budget/liveAllocation.ts), for a tab written where the add-in's functions are
   * present (the task pane). Default false: the engine's snapshot, for files opened anywhere.
   */
  readonly liveAllocation?: boolean;
}

export type ChannelAllocationInput = Extract<NonNullable<BudgetTabInput["allocation"]>, { kind: "channels" }>;
export type LifecycleAllocationInput = Extract<NonNullable<BudgetTabInput["allocation"]>, { kind: "lifecycle" }>;

/** Number formats of the tab, amounts in the data's currency. */
export interface BudgetFormats {
  /** Totals and aggregates. */
  readonly money: string;
  /** Per-customer and per-unit amounts. */
  readonly moneyPerUnit: string;
  /** A change in money, signed: +1,907. */
  readonly signedMoney: string;
}

/** Multiples (CLV : CAC, ROI): 2.16×. */
export const MULTIPLE = '0.00"×"';
/** A change against a reference, signed: +27.6%. */
export const SIGNED_PERCENT = "+0.0%;-0.0%;0.0%";
/** Columns the warnings' red band spans: the widest table's (channels 12, stages 14), or the default without one. */
export function warningWidth(model: BudgetModel): number {
  return model.lifecycle ? 14 : model.channels ? 12 : 10;
}

export function formatsOf(currency: string | undefined): BudgetFormats {
  const money = moneyFormat(currency, 0);
  const [positive, negative = `-${positive}`] = money.split(";");
  return { money, moneyPerUnit: moneyFormat(currency, 2), signedMoney: `+${positive};${negative};${positive.replace("#,##0", "0")}` };
}

/** The channel plans: the target plan (the budget spread on the curves) and, with a margin rate, the profit plan. */
export interface ChannelPlans {
  readonly input: ChannelAllocationInput;
  readonly target: AllocationResult;
  /** Null without a gross margin rate. */
  readonly profit: { readonly rate: number; readonly given: boolean; readonly units: readonly ProfitPlanUnit[] } | null;
}

/** The engine's results for the tab, computed once. */
export interface BudgetModel {
  readonly input: BudgetTabInput;
  readonly plan: BudgetPlan;
  /** The plan's period in words ("12 months"). */
  readonly period: string;
  /** The allocation's period in words ("month"). */
  readonly allocationPeriod: string;
  readonly spendLastYear: number | null;
  readonly channels: ChannelPlans | null;
  readonly lifecycle: { readonly input: LifecycleAllocationInput; readonly result: LifecycleAllocationResult } | null;
  readonly formats: BudgetFormats;
  readonly context: ReportContext;
  /** Whether the target plan's optimal spends should be live IMC.ALLOCATE formulas (when they can be). */
  readonly liveAllocation: boolean;
}

/**
 * Runs the engine for the tab.
 *
 * @throws EngineError INVALID_INPUT from budgetFromTheEnd, allocateBudget, allocateLifecycle or profitPlan (naming the field and the unit).
 */
export function budgetModel(input: BudgetTabInput, context: ReportContext, options: BudgetTabOptions = {}): BudgetModel {
  const plan = budgetFromTheEnd(input.plan);
  const period = input.periodLabel ?? "period";
  const allocation = input.allocation;
  let channels: ChannelPlans | null = null;
  let lifecycle: BudgetModel["lifecycle"] = null;
  if (allocation?.kind === "channels") {
    const target = allocateBudget({ budget: allocation.budget, units: allocation.units });
    const margin = allocation.grossMargin ?? null;
    channels = { input: allocation, target, profit: margin === null ? null : { ...margin, units: profitPlan(allocation.units, margin.rate) } };
  } else if (allocation?.kind === "lifecycle") {
    lifecycle = { input: allocation, result: allocateLifecycle({ budget: allocation.budget, stages: allocation.stages }) };
  }
  return {
    input,
    plan,
    period,
    allocationPeriod: input.allocationPeriodLabel ?? period,
    spendLastYear: input.spendLastYear != null && input.spendLastYear > 0 ? input.spendLastYear : null,
    channels,
    lifecycle,
    formats: formatsOf(context.currency),
    context,
    liveAllocation: options.liveAllocation ?? false,
  };
}

/**
 * Addresses of the cells placed so far, by key: plan inputs and lines, thresholds, assumptions and
 * the plans' totals. A section reads the cells of the sections above it (and the headline, filled
 * last, those below it).
 */
export class CellAddresses {
  private readonly cells = new Map<string, string>();
  private readonly rows = new Map<string, number>();

  set(key: string, row: number, column = 1): void {
    this.cells.set(key, a1(row, column));
  }

  /** Keeps the row of a placed table's header, for sections that refer to its cells. */
  setRow(key: string, row: number): void {
    this.rows.set(key, row);
  }

  /** @throws Error when the row was never kept (a builder's mistake, not user input). */
  row(key: string): number {
    const found = this.rows.get(key);
    if (found === undefined) throw new Error(`Budget tab: no row for "${key}"`);
    return found;
  }

  has(key: string): boolean {
    return this.cells.has(key);
  }

  /** @throws Error when the key was never placed (a builder's mistake, not user input). */
  get(key: string): string {
    const found = this.cells.get(key);
    if (found === undefined) throw new Error(`Budget tab: no cell for "${key}"`);
    return found;
  }
}

/** Red where a number in the range is below 1 (blank cells, an unknown ROI, stay plain). */
export function belowOne(range: RangeRef): ConditionalFormat {
  const corner = a1(range.row, range.column);
  return { range, rule: { kind: "expression", formula: `AND(ISNUMBER(${corner}),${corner}<1)`, look: "bad" } };
}

/** Names as a list in words: "A", "A and B", "A, B and C". */
export function listOf(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** A whole amount in words' digits: 12,626 (negative with a minus sign). */
export function wholeAmount(x: number): string {
  return Math.round(x).toLocaleString("en-US");
}

/** A format padded on the right, so text in the next column does not touch the number. */
export function padded(format: string): string {
  return format
    .split(";")
    .map((section) => `${section}_)`)
    .join(";");
}

/** The command that recomputes the tab after its inputs change. */
export const RECOMPUTE = "imc report <workbook> --tabs budget";

/**
 * How to recompute a snapshot after the inputs change, as a clause: the runner's command, or for a
 * tab written by the task pane (`liveAllocation`) generating it again there.
 */
export function recomputeClause(model: Pick<BudgetModel, "liveAllocation">): string {
  return model.liveAllocation ? "generate the Budget tab again from the IMC task pane" : `recompute with ${RECOMPUTE}`;
}
