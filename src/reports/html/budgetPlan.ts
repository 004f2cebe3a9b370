/**
 * The plan lines of a Budget tab ("budget from the end") read back from its cells, for the HTML
 * report's waterfall: the tab is a sheet description, so the report finds the lines by their labels
 * in the label | value rows under the "Budget from the end" heading and its inputs, and draws
 * nothing when they are not there or do not add up (a picture that disagrees with the table is worse
 * than none).
 *
 * What it relies on: a cell reading "Budget from the end" (the plan's heading, first column of its
 * block); label | value rows (text in the first column of a block at column A, the number beside
 * it) with labels naming the revenue target ("Target revenue"), the revenue from existing customers
 * ("Base revenue (retained customers)", or any label with "revenue" and "existing", "retained" or
 * "base") and the revenue still needed ("Revenue gap to fill", or "revenue" with "gap" or "new
 * customers"); optionally the revenue per new customer, new customers needed, CAC, budget before
 * buffer, buffer amount and budget.
 */
import { cellValue, type ReportSheet } from "../sheet";

export const PLAN_HEADING = "Budget from the end";

/** One line of the plan as the tab shows it. */
export interface PlanLine {
  readonly label: string;
  readonly value: number;
  readonly format: string | undefined;
}

/** The plan from the revenue target back to the budget; the first three lines are always there. */
export interface BudgetChain {
  /** Row of the plan's heading, where the report shows the waterfall. */
  readonly headingRow: number;
  readonly target: PlanLine;
  readonly existing: PlanLine;
  readonly gap: PlanLine;
  readonly revenuePerNewCustomer?: PlanLine;
  readonly newCustomers?: PlanLine;
  readonly cac?: PlanLine;
  readonly budgetBeforeBuffer?: PlanLine;
  readonly buffer?: PlanLine;
  readonly budget?: PlanLine;
}

/** Every label | number row of the tab's plain blocks at column A, in sheet order. */
function labelledNumbers(sheet: ReportSheet): PlanLine[] {
  const lines: PlanLine[] = [];
  for (const block of sheet.blocks) {
    if (block.kind !== "cells" || block.column !== 0) continue;
    for (const row of block.values) {
      if (row.length < 2) continue;
      const label = cellValue(row[0]);
      const value = cellValue(row[1]);
      if (typeof label === "string" && typeof value === "number" && Number.isFinite(value)) lines.push({ label: label.trim(), value, format: block.numberFormats?.[1] ?? undefined });
    }
  }
  return lines;
}

function headingRow(sheet: ReportSheet): number | null {
  for (const block of sheet.blocks) {
    if (block.kind !== "cells") continue;
    const index = block.values.findIndex((row) => row.length > 0 && cellValue(row[0]) === PLAN_HEADING);
    if (index >= 0) return block.row + index;
  }
  return null;
}

/**
 * The Budget tab's plan lines, or null when the sheet has no "Budget from the end" plan, a money
 * line is missing, or target − existing customers' revenue does not give the revenue gap shown.
 */
export function budgetChainOf(sheet: ReportSheet): BudgetChain | null {
  const row = headingRow(sheet);
  if (row === null) return null;
  const lines = labelledNumbers(sheet);
  const find = (test: (label: string) => boolean): PlanLine | undefined => lines.find((line) => test(line.label.toLowerCase()));
  const target = find((l) => /^(target revenue|revenue target)\b/.test(l));
  const existing = find((l) => l.includes("revenue") && /existing|retained|\bbase\b/.test(l) && !/per /.test(l));
  const gap = find((l) => l.includes("revenue") && (l.includes("gap") || (l.includes("new customers") && !/per /.test(l))));
  if (!target || !existing || !gap) return null;
  // The picture must agree with the table: target − existing (never below zero) is the gap.
  const expected = Math.max(0, target.value - existing.value);
  if (Math.abs(expected - gap.value) > 1e-6 * Math.max(1, Math.abs(target.value))) return null;
  return {
    headingRow: row,
    target,
    existing,
    gap,
    revenuePerNewCustomer: find((l) => l.includes("revenue per new customer")),
    newCustomers: find((l) => /^new customers( needed)?$/.test(l)),
    cac: find((l) => /^cac\b/.test(l)) ?? find((l) => /cost per new customer/.test(l) && !l.includes("buffer")),
    budgetBeforeBuffer: find((l) => l.startsWith("budget before buffer")),
    buffer: find((l) => /^buffer( amount)?$/.test(l)),
    budget: find((l) => l === "budget"),
  };
}
