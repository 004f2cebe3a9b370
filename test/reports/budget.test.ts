// The Budget tab builder and the derivation of its inputs from data, checked against the engine
// (budgetFromTheEnd, allocateBudget, allocateLifecycle) and against hand-worked numbers.
import { describe, expect, it } from "vitest";
import { allocateBudget, allocateLifecycle, budgetFromTheEnd, hillResponse, profitPlan, type AllocationUnit, type BudgetFromTheEndInput, type LifecycleStageInput } from "../../src/engine/budget";
import { calendarToSerial } from "../../src/engine/data";
import { buildAttributionTab } from "../../src/reports/attribution";
import { buildBudgetTab, type BudgetTabInput } from "../../src/reports/budget";
import { budgetInputsFromData, type BudgetEvidence } from "../../src/reports/budgetInputs";
import type { OrdersInput, SpendInput, TouchpointsInput } from "../../src/reports/inputs";
import { blockRange, cellAt, cellValue, isFormulaCell, rangeValues, sheetProblems, tableNamed, type Cell, type ReportSheet } from "../../src/reports/sheet";
import { expectFormulasHold } from "../support/recalc";
import { engineErrorOf } from "../support/engine";

const context = { generatedAt: "2026-11-23T00:00:00Z" };

/** Column of a table by header, as numbers or blanks. */
function column(sheet: ReportSheet, table: string, header: string): unknown[] {
  const t = tableNamed(sheet, table)!;
  const c = t.headers.indexOf(header);
  expect(c, header).toBeGreaterThanOrEqual(0);
  return rangeValues(sheet, { row: t.row + 1, column: t.column + c, rowCount: t.rows.length, columnCount: 1 });
}

const plan: BudgetFromTheEndInput = {
  targetRevenue: 1_000_000,
  customersAtStart: 1_000,
  retentionRate: 0.8,
  revenuePerCustomer: 500,
  firstPeriodRevenuePerNewCustomer: 250,
  funnel: { leadToMql: 0.25, mqlToSql: 0.4, sqlToOpportunity: 0.5, winRate: 0.25 },
  costPerLead: 20,
  buffer: 0.2,
  clv: 7_000,
  marginPerCustomerPerPeriod: 1_200,
  targetPaybackPeriods: 2,
};
const units = [
  { name: "Email", curve: { ceiling: 40_000, halfSaturation: 5_000, shape: 1 }, currentSpend: 8_000 },
  { name: "Paid search", curve: { ceiling: 90_000, halfSaturation: 20_000, shape: 1 }, currentSpend: 15_000 },
  { name: "Display", curve: { ceiling: 25_000, halfSaturation: 15_000, shape: 2 }, currentSpend: 2_000, maxSpend: 20_000 },
];
const channelInput: BudgetTabInput = { plan, allocation: { kind: "channels", budget: 30_000, units }, sources: ["hand-made"], notes: ["note one"] };

describe("buildBudgetTab with channels", () => {
  const sheet = buildBudgetTab(channelInput, context);

  it("is well formed", () => {
    expect(sheetProblems(sheet)).toEqual([]);
    expect(sheet.name).toBe("Budget");
    expect(sheet.charts.map((c) => c.title)).toEqual(["Current and target plan spend per channel"]);
  });

  it("opens with one headline block: the budget, the new customers it buys, and the checks, each check's result coloured by a stated rule", () => {
    expect(cellAt(sheet, 3, 0)).toBe("At a glance");
    const budget = cellAt(sheet, 4, 1);
    expect(cellAt(sheet, 4, 0)).toBe("Budget for the next period");
    expect(isFormulaCell(budget!) && budget.value).toBe(budgetFromTheEnd(plan).budget);
    const newCustomers = cellAt(sheet, 5, 1);
    expect(cellAt(sheet, 5, 0)).toBe("New customers needed");
    expect(isFormulaCell(newCustomers!) && newCustomers.value).toBe(budgetFromTheEnd(plan).lines.find((l) => l.key === "new_customers")!.value);
    // CLV : CAC 7,000 / 1,920 = 3.65 passes; payback 1,920 / 1,200 = 1.6 periods passes the target 2.
    expect(cellAt(sheet, 6, 0)).toBe("CLV : CAC check");
    expect(cellValue(cellAt(sheet, 6, 2)!)).toBe("Pass");
    expect(cellAt(sheet, 7, 0)).toBe("Payback check (periods)");
    expect(cellValue(cellAt(sheet, 7, 2)!)).toBe("Pass");
    // The ratio and the result are coloured together, by the result.
    expect(sheet.conditionalFormats).toContainEqual({ range: { row: 6, column: 1, rowCount: 2, columnCount: 2 }, rule: { kind: "expression", formula: '$C7="Pass"', look: "good" } });
    expect(sheet.conditionalFormats).toContainEqual({ range: { row: 6, column: 1, rowCount: 2, columnCount: 2 }, rule: { kind: "expression", formula: '$C7<>"Pass"', look: "bad" } });
    expect(String(cellAt(sheet, 8, 1))).toMatch(/^Green: .* red: it does not\.$/);
    // No second block repeating the lines ("Budget at a glance" was one).
    for (let r = 0; r < 120; r++) expect(cellAt(sheet, r, 0)).not.toBe("Budget at a glance");
  });

  it("with last year's spend the headline gives the budget's change against it, and a failed check says why", () => {
    const failing = buildBudgetTab({ ...channelInput, plan: { ...plan, clv: 4_000 }, spendLastYear: 4_000_000 }, context);
    expect(sheetProblems(failing)).toEqual([]);
    expectFormulasHold(failing);
    expect(cellAt(failing, 6, 0)).toBe("Change against the last period of spend");
    expect(cellValue(cellAt(failing, 6, 1)!)).toBeCloseTo(4_608_000 / 4_000_000 - 1, 12);
    expect(String(cellAt(failing, 6, 2))).toBe("against 4,000,000 of paid spend in the last period: what the plan asks for on top of today");
    expect(cellAt(failing, 7, 0)).toBe("CLV : CAC check");
    expect(cellValue(cellAt(failing, 7, 2)!)).toBe("Below 3.00: acquisition too expensive at this budget");
    // The spend compared with is a cell of the inputs block, and the failed check is also a red warning.
    let spendRow = -1;
    for (let r = 0; r < 60 && spendRow < 0; r++) if (cellAt(failing, r, 0) === "Marketing spend in the last period") spendRow = r;
    expect(cellAt(failing, spendRow, 1)).toBe(4_000_000);
    expect(cellAt(failing, 11, 0)).toBe("Read this first");
    expect(cellAt(failing, 12, 0)).toBe("CLV : CAC is 2.08, below the 3.00 set: acquisition is too expensive at this budget.");
  });

  it("writes every input in an input-styled cell and every line of budgetFromTheEnd as a formula with its value", () => {
    const engine = budgetFromTheEnd(plan);
    const inputBlocks = sheet.blocks.filter((b) => b.kind === "cells" && b.columnStyles?.[1] === "input");
    // plan inputs + minimum CLV:CAC + target payback
    expect(inputBlocks.length).toBe(engine.inputs.length + 2);
    for (const input of engine.inputs) {
      expect(inputBlocks.some((b) => b.kind === "cells" && b.values[0][1] === input.value), input.key).toBe(true);
    }
    const lineCells = engine.lines.map((line) => {
      for (let r = 0; r < 60; r++) {
        const cell = cellAt(sheet, r, 1);
        if (cell !== undefined && isFormulaCell(cell) && cellAt(sheet, r, 0) === (line.key === "buffer_amount" ? "Buffer amount" : line.label)) return cell;
      }
      return undefined;
    });
    lineCells.forEach((cell, i) => {
      expect(cell, engine.lines[i].key).toBeDefined();
      expect(cell!.value).toBe(engine.lines[i].value);
      expect(cell!.formula).toMatch(/^[A-Z0-9+\-*/().,]+$/); // only cell references, numbers and operators
    });
    expect(engine.budget).toBe(4_608_000);
  });

  it("every formula evaluates (HyperFormula) to its stored value", () => {
    expect(expectFormulasHold(sheet)).toBeGreaterThan(30);
  });

  it("the allocation table is allocateBudget's result", () => {
    const engine = allocateBudget({ budget: 30_000, units });
    expect(column(sheet, "BudgetAllocation", "Channel")).toEqual(["Email", "Paid search", "Display"]);
    const close = (header: string, expected: (number | null)[]) =>
      column(sheet, "BudgetAllocation", header).forEach((v, i) => {
        if (expected[i] === null) expect(v).toBeNull();
        else expect(v as number).toBeCloseTo(expected[i]!, 6);
      });
    close("Optimal spend", engine.units.map((u) => u.spend));
    close("Current spend", engine.units.map((u) => u.currentSpend));
    close("Optimal response", engine.units.map((u) => u.response));
    close("Current response", engine.units.map((u) => u.currentResponse));
    close("Optimal ROI", engine.units.map((u) => u.roi));
    close("Marginal ROI", engine.units.map((u) => u.marginalRoi));
    close("Change", engine.units.map((u) => u.change));
    const table = tableNamed(sheet, "BudgetAllocation")!;
    expect(cellValue(table.totals![5])).toBeCloseTo(30_000, 6);
    expect(cellValue(table.totals![8])).toBeCloseTo(engine.totalResponse, 6);
  });

  it("warns in red above the allocation, naming the funded channels whose marginal ROI is below 1, and reds ROI < 1 in the table", () => {
    for (const budget of [30_000, 300_000]) {
      const engine = allocateBudget({ budget, units });
      const tab = buildBudgetTab({ ...channelInput, allocation: { kind: "channels", budget, units } }, context);
      expect(sheetProblems(tab)).toEqual([]);
      const table = tableNamed(tab, "BudgetAllocation")!;
      const texts: { row: number; text: string }[] = [];
      for (let r = 0; r < table.row; r++) {
        const cell = cellAt(tab, r, 0);
        if (typeof cell === "string") texts.push({ row: r, text: cell });
      }
      const losers = engine.units.filter((u) => u.spend > 0 && u.marginalRoi !== null && u.marginalRoi < 1).map((u) => u.name);
      const warning = texts.find((t) => t.text.startsWith("Marginal ROI below 1"));
      const warningBlock = tab.blocks.find((b) => b.kind === "cells" && b.style === "warning");
      if (losers.length === 0) {
        expect(warning, `budget ${budget}`).toBeUndefined();
        continue;
      }
      expect(warning, `budget ${budget}`).toBeDefined();
      for (const unit of engine.units) expect(warning!.text.includes(unit.name), unit.name).toBe(losers.includes(unit.name));
      // Red (style "warning") under "Read this first", above the inputs and the table.
      expect(warningBlock).toBeDefined();
      const range = blockRange(warningBlock!);
      expect(warning!.row).toBeGreaterThanOrEqual(range.row);
      expect(warning!.row).toBeLessThan(range.row + range.rowCount);
      expect(cellAt(tab, range.row - 1, 0)).toBe("Read this first");
      // The allocation is marked as a snapshot with the command that recomputes it; the red rule is stated above the table.
      expect(texts.some((t) => t.text.startsWith("Optimal spend is a snapshot for the budget allocated: after changing inputs, recompute with imc report <workbook> --tabs budget."))).toBe(true);
      expect(texts.some((t) => t.text.startsWith("Red: ROI or marginal ROI below 1"))).toBe(true);
      expect(tab.conditionalFormats).toContainEqual({
        range: { row: table.row + 1, column: 9, rowCount: 3, columnCount: 3 },
        rule: { kind: "expression", formula: `AND(ISNUMBER(J${table.row + 2}),J${table.row + 2}<1)`, look: "bad" },
      });
    }
    // 300,000 a month saturates every channel: the warning must appear there.
    expect(allocateBudget({ budget: 300_000, units }).units.some((u) => u.marginalRoi! < 1)).toBe(true);
  });

  it("provenance carries the caller's notes and the check results", () => {
    expect(sheet.provenance.notes).toContain("note one");
    expect(sheet.provenance.notes.some((n) => n.startsWith("CLV : CAC at least 3: passed"))).toBe(true);
    expect(sheet.provenance.sources).toEqual(["hand-made"]);
  });
});

describe("buildBudgetTab with lifecycle stages", () => {
  const stages: LifecycleStageInput[] = [
    { stage: "acquisition", customerCurve: { ceiling: 500, halfSaturation: 40_000, shape: 1 }, valuePerCustomer: 300, currentSpend: 30_000 },
    { stage: "retention", customerCurve: { ceiling: 800, halfSaturation: 10_000, shape: 1 }, valuePerCustomer: 120, currentSpend: 5_000 },
    { stage: "win-back", customerCurve: { ceiling: 200, halfSaturation: 8_000, shape: 1.5 }, valuePerCustomer: 90, currentSpend: 5_000 },
  ];
  const sheet = buildBudgetTab({ plan, allocation: { kind: "lifecycle", budget: 40_000, stages }, sources: [], notes: [] }, context);

  it("is well formed and its formulas hold", () => {
    expect(sheetProblems(sheet)).toEqual([]);
    expectFormulasHold(sheet);
  });

  it("the stage table is allocateLifecycle's result", () => {
    const engine = allocateLifecycle({ budget: 40_000, stages });
    column(sheet, "LifecycleAllocation", "Optimal spend").forEach((v, i) => expect(v as number).toBeCloseTo(engine.stages[i].spend, 6));
    column(sheet, "LifecycleAllocation", "Customers").forEach((v, i) => expect(v as number).toBeCloseTo(engine.stages[i].customers, 6));
    column(sheet, "LifecycleAllocation", "Value").forEach((v, i) => expect(v as number).toBeCloseTo(engine.stages[i].value, 6));
    column(sheet, "LifecycleAllocation", "Marginal value").forEach((v, i) => expect(v as number).toBeCloseTo(engine.stages[i].marginalValue!, 9));
  });
});

describe("buildBudgetTab errors", () => {
  it("a bad plan input names the field", () => {
    const error = engineErrorOf(() => buildBudgetTab({ ...channelInput, plan: { ...plan, retentionRate: 1.5 } }, context));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("retentionRate");
  });

  it("a bad curve names the field and the unit number", () => {
    const bad = units.map((u, i) => (i === 1 ? { ...u, curve: { ...u.curve, halfSaturation: 0 } } : u));
    const error = engineErrorOf(() => buildBudgetTab({ ...channelInput, allocation: { kind: "channels", budget: 30_000, units: bad } }, context));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("halfSaturation");
    expect(error.row).toBe(2);
  });
});

// --- Inputs from data -------------------------------------------------------------------------
// asOf 2025-12-31: "this year" 2025-01-01..2025-12-31, "last year" 2024-01-01..2024-12-31 (365 days each).
const asOf = calendarToSerial({ year: 2025, month: 12, day: 31 });
const A = asOf;
// a, b: bought last year and this year (retained; b has a refund); c, d: last year only; e, f: new
// this year; g: bought 3 years ago and this year (reactivated: neither at start nor new); h: after as_of.
const orderRows: [string, number, number][] = [
  ["a", A - 500, 100],
  ["a", A - 100, 200],
  ["b", A - 400, 50],
  ["b", A - 10, 300],
  ["b", A - 5, -100],
  ["c", A - 600, 80],
  ["d", A - 700, 40],
  ["e", A - 200, 150],
  ["e", A - 50, 50],
  ["f", A - 30, 100],
  ["g", A - 1000, 500],
  ["g", A - 20, 60],
  ["h", A + 5, 999],
];
const orders: OrdersInput = {
  source: "orders (test)",
  customerIds: orderRows.map((r) => r[0]),
  orderDates: orderRows.map((r) => r[1]),
  orderValues: orderRows.map((r) => r[2]),
};
// Email 10 and Paid search 40 a month in 2025 (600 this year), plus a December 2024 row outside the window.
const months = Array.from({ length: 12 }, (_, m) => `2025-${String(m + 1).padStart(2, "0")}`);
const spendRows: [string, string, number][] = [
  ...months.flatMap((m): [string, string, number][] => [
    [m, "Email", 10],
    [m, "Paid search", 40],
  ]),
  ["2024-12", "Paid search", 1_000],
];
const spend: SpendInput = { source: "spend (test)", periods: spendRows.map((r) => r[0]), channels: spendRows.map((r) => r[1]), amounts: spendRows.map((r) => r[2]) };
// A small log: Email and Paid search touches before conversions, Direct without spend.
const log: [string, number, string, number][] = [
  ["a", A - 103, "Email", 0],
  ["a", A - 101, "Paid search", 0],
  ["a", A - 100, "", 200],
  ["b", A - 12, "Paid search", 0],
  ["b", A - 10, "", 300],
  ["e", A - 201, "Direct", 0],
  ["e", A - 200, "", 150],
  ["f", A - 35, "Email", 0],
  ["f", A - 30, "", 100],
  ["g", A - 25, "Email", 0],
];
const touchpoints: TouchpointsInput = {
  source: "log (test)",
  customerIds: log.map((r) => r[0]),
  timestamps: log.map((r) => r[1]),
  channels: log.map((r) => r[2]),
  conversions: log.map((r) => r[3]),
};

describe("budgetInputsFromData", () => {
  const attribution = buildAttributionTab(touchpoints, spend, {}, context);
  const evidence: BudgetEvidence = { orders, spend, attribution, newCustomerClv: 1_200, asOf: A };
  const derived = budgetInputsFromData(evidence, { grossMarginRate: 0.5 });

  it("derives the plan inputs by the stated methods (hand-worked)", () => {
    // Revenue this year 200 + 300 − 100 + 150 + 50 + 100 + 60 = 760; target 760 × 1.1.
    expect(derived.plan.targetRevenue).toBeCloseTo(836, 9);
    expect(derived.plan.customersAtStart).toBe(4); // a, b, c, d
    expect(derived.plan.retentionRate).toBe(0.5); // a, b
    expect(derived.plan.revenuePerCustomer).toBe(200); // (200 + 200) / 2
    expect(derived.plan.firstPeriodRevenuePerNewCustomer).toBe(150); // e 200, f 100
    expect(derived.plan.cac).toBe(300); // 600 spend this year / 2 new customers
    expect(derived.plan.buffer).toBe(0.1);
    expect(derived.plan.clv).toBe(1_200);
    expect(derived.plan.marginPerCustomerPerPeriod).toBe(100); // 200 × 0.5
    expect(derived.plan.targetPaybackPeriods).toBe(1);
    expect(derived.notes.some((n) => n === "1 order dated after the analysis date was left out.")).toBe(true);
    expect(derived.notes.some((n) => n.includes("ASSUMPTION"))).toBe(true);
  });

  it("builds channel curves through the current monthly spend at 50% of the ceiling, shape 1", () => {
    const allocation = derived.allocation;
    expect(allocation?.kind).toBe("channels");
    if (allocation?.kind !== "channels") return;
    expect(allocation.units.map((u) => u.name).sort()).toEqual(["Email", "Paid search"]); // Direct has no spend
    for (const unit of allocation.units) {
      const channel = attribution.channels.find((c) => c.channel === unit.name)!;
      const monthly = unit.name === "Email" ? 10 : 40;
      expect(unit.currentSpend).toBeCloseTo(monthly, 12);
      expect(unit.curve.halfSaturation).toBeCloseTo(monthly, 12);
      expect(unit.curve.shape).toBe(1);
      // Response now = monthly spend × linear value ÷ the channel's spend in the Attribution tab.
      expect(unit.curve.ceiling / 2).toBeCloseTo((monthly * channel.value.linear) / channel.spend!, 9);
    }
    // Budget: the plan's budget ÷ 12 per month.
    expect(allocation.budget).toBeCloseTo(budgetFromTheEnd(derived.plan).budget / 12, 9);
  });

  it("the tab built from them is well formed, its formulas hold, and its budget is budgetFromTheEnd's", () => {
    const sheet = buildBudgetTab(derived, context);
    expect(sheetProblems(sheet)).toEqual([]);
    expectFormulasHold(sheet);
    // (836 − 400) / 150 new customers × 300 × 1.1
    expect(budgetFromTheEnd(derived.plan).budget).toBeCloseTo((436 / 150) * 300 * 1.1, 9);
    expect(sheet.provenance.sources).toEqual(["orders (test)", "spend (test)", "Customer Value tab (CLV of a new customer)", "Attribution tab (linear model)"]);
  });

  it("puts the profit plan beside the target plan: profitPlan's spends at the margin rate, an input cell saying when it is assumed", () => {
    for (const [given, rate] of [
      [0.5, 0.5],
      [null, 0.5],
      [0.9, 0.9],
    ] as const) {
      const input = budgetInputsFromData(evidence, { grossMarginRate: given });
      const sheet = buildBudgetTab(input, context);
      expect(sheetProblems(sheet)).toEqual([]);
      expectFormulasHold(sheet);
      if (input.allocation?.kind !== "channels") throw new Error("no channel allocation");
      const engine = profitPlan(input.allocation.units, rate);
      const spends = column(sheet, "ProfitPlan", "Profit plan spend");
      engine.forEach((u, i) => expect(spends[i] as number).toBeCloseTo(u.spend, 9));
      column(sheet, "ProfitPlan", "Profit plan contribution").forEach((v, i) => expect(v as number).toBeCloseTo(engine[i].contribution, 6));
      // No funded channel below 1 per unit of spend at the margin.
      column(sheet, "ProfitPlan", "Profit plan marginal contribution").forEach((v, i) => {
        if (engine[i].spend > 0) expect(v as number).toBeGreaterThanOrEqual(1 - 1e-9);
      });
      let marginRow = -1;
      for (let r = 0; r < 200 && marginRow < 0; r++) if (cellAt(sheet, r, 0) === "Gross margin rate") marginRow = r;
      expect(cellAt(sheet, marginRow, 1)).toBe(rate);
      expect(cellAt(sheet, marginRow, 2)).toBe(
        given === null ? "the data has no margin: the profit plan below assumes the rate shown" : "share of revenue kept as contribution, for the profit plan below",
      );
    }
  });

  it("a target the existing customers already meet gives budget 0 and an allocation of 0, still well formed", () => {
    const shrink = budgetInputsFromData(evidence, { targetGrowth: -0.6 }); // 304 < base 400
    expect(budgetFromTheEnd(shrink.plan).budget).toBe(0);
    expect(shrink.allocation?.budget).toBe(0);
    const sheet = buildBudgetTab(shrink, context);
    expect(sheetProblems(sheet)).toEqual([]);
    expectFormulasHold(sheet);
    expect(column(sheet, "BudgetAllocation", "Optimal spend")).toEqual([0, 0]);
  });

  it("without spend and attribution it needs a CAC assumption, and makes no allocation", () => {
    const error = engineErrorOf(() => budgetInputsFromData({ orders, spend: null, attribution: null, newCustomerClv: null, asOf: A }, {}));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.argument).toBe("cac");
    expect(error.message).toBe("there is no marketing spend table, so the cost of acquiring a customer cannot be worked out");
    const withCac = budgetInputsFromData({ orders, spend: null, attribution: null, newCustomerClv: null, asOf: A }, { cac: 250 });
    expect(withCac.plan.cac).toBe(250);
    expect(withCac.allocation).toBeNull();
    expect(withCac.plan.marginPerCustomerPerPeriod).toBeNull();
  });

  it("as_of defaults to the last order date (then h's order counts this year)", () => {
    const byDefault = budgetInputsFromData({ ...evidence, asOf: null }, { grossMarginRate: 0.5 });
    expect(byDefault.plan.targetRevenue).toBeCloseTo((760 + 999) * 1.1, 9);
    expect(byDefault.notes[0]).toContain("the last order date");
  });

  it("no orders in the 12 months before the analysis date is INSUFFICIENT_DATA saying so", () => {
    const error = engineErrorOf(() => budgetInputsFromData({ ...evidence, asOf: A + 2_000 }, {}));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toMatch(/^there are no orders in the 12 months before the analysis date \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\)/);
  });

  it("a bad order cell names the argument and the row", () => {
    const bad = { ...orders, orderValues: orders.orderValues.map((v, i) => (i === 3 ? "abc" : v)) };
    const error = engineErrorOf(() => budgetInputsFromData({ ...evidence, orders: bad }, {}));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("order_values");
    expect(error.row).toBe(4);
  });

  it("a negative spend names spend_amounts and the row; a bad assumption is named", () => {
    const bad = { ...spend, amounts: spend.amounts.map((v, i) => (i === 6 ? -5 : v)) };
    const error = engineErrorOf(() => budgetInputsFromData({ ...evidence, spend: bad }, {}));
    expect(error.argument).toBe("spend_amounts");
    expect(error.row).toBe(7);
    expect(engineErrorOf(() => budgetInputsFromData(evidence, { saturationAtCurrentSpend: 1 })).argument).toBe("saturationAtCurrentSpend");
  });
});

// --- Done-when checks of the two plans, read from the tab's own tables ------------------------
describe("the Budget tab's two plans", () => {
  // Email and Paid search concave; Display an S-curve with a cap; Radio never pays (y'(0) = 0.4 < 1 / m).
  const planUnits: AllocationUnit[] = [
    ...units,
    { name: "Radio", curve: { ceiling: 8_000, halfSaturation: 20_000, shape: 1 }, currentSpend: 1_000 },
    { name: "Events", curve: { ceiling: 30_000, halfSaturation: 8_000, shape: 0.7 }, currentSpend: 600, minSpend: 500, maxSpend: 900 },
  ];
  for (const [budget, rate] of [
    [30_000, 0.5],
    [8_000, 0.8],
    [120_000, 0.3],
  ] as const) {
    const input: BudgetTabInput = { ...channelInput, allocationPeriodLabel: "month", allocation: { kind: "channels", budget, units: planUnits, grossMargin: { rate, given: true } } };
    const sheet = buildBudgetTab(input, context);

    it(`budget ${budget}, margin ${rate}: well formed, formulas hold`, () => {
      expect(sheetProblems(sheet)).toEqual([]);
      expectFormulasHold(sheet);
      expect(sheet.charts.map((c) => c.title)).toEqual(["Current and target plan spend per channel", "Target and profit plan spend per channel"]);
    });

    it(`budget ${budget}, margin ${rate}: the target plan's marginal ROIs are equal across the channels it funds inside their bounds`, () => {
      const spends = column(sheet, "BudgetAllocation", "Optimal spend") as number[];
      const marginals = column(sheet, "BudgetAllocation", "Marginal ROI") as (number | null)[];
      const inside = planUnits.map((u, i) => i).filter((i) => spends[i] > (planUnits[i].minSpend ?? 0) + 1e-6 && spends[i] < (planUnits[i].maxSpend ?? Infinity) - 1e-6);
      expect(inside.length).toBeGreaterThan(1);
      const lambda = marginals[inside[0]]!;
      for (const i of inside) expect(marginals[i]! / lambda, planUnits[i].name).toBeCloseTo(1, 6);
      // A channel held at a bound is there for a reason: below its minimum it would return less than λ, at its maximum more.
      planUnits.forEach((u, i) => {
        if (inside.includes(i) || marginals[i] === null) return;
        if (spends[i] >= (u.maxSpend ?? Infinity) - 1e-6) expect(marginals[i]!, u.name).toBeGreaterThanOrEqual(lambda * (1 - 1e-6));
      });
      expect(sum(spends)).toBeCloseTo(budget, 6);
    });

    it(`budget ${budget}, margin ${rate}: in the profit plan no funded channel brings back below 1 per unit of spend, and no unfunded or capped one could add more than 1`, () => {
      const status = column(sheet, "ProfitPlan", "Profit plan") as string[];
      const spends = column(sheet, "ProfitPlan", "Profit plan spend") as number[];
      const marginals = column(sheet, "ProfitPlan", "Profit plan marginal contribution") as (number | null)[];
      planUnits.forEach((u, i) => {
        const lower = u.minSpend ?? 0;
        const upper = u.maxSpend ?? Infinity;
        const contribution = (x: number) => rate * hillResponse(x, u.curve) - x;
        if (status[i] === "Funded") {
          expect(spends[i], u.name).toBeGreaterThan(lower);
          expect(marginals[i]!, u.name).toBeCloseTo(1, 6);
        }
        if (spends[i] > lower) expect(marginals[i]!, u.name).toBeGreaterThanOrEqual(1 - 1e-9);
        if (status[i] === "Not funded" || status[i] === "At its minimum") expect(spends[i], u.name).toBe(lower);
        if (status[i] === "At its maximum") expect(spends[i], u.name).toBe(upper);
        // Any other spend within the bounds: every extra (or saved) unit brings back at most 1 (costs at least 1).
        const top = Number.isFinite(upper) ? upper : 20 * u.curve.halfSaturation;
        for (let k = 0; k <= 200; k++) {
          const x = lower + ((top - lower) * k) / 200;
          expect(contribution(x), `${u.name} at ${x}`).toBeLessThanOrEqual(contribution(spends[i]) + 1e-6 * Math.max(1, Math.abs(contribution(spends[i]))));
        }
      });
      expect(status).toContain("Not funded"); // Radio
      expect(status[planUnits.findIndex((u) => u.name === "Radio")]).toBe("Not funded");
    });

    it(`budget ${budget}, margin ${rate}: the headline quotes the profit plan's spend and contribution against the target plan's`, () => {
      const engine = profitPlan(planUnits, rate);
      const target = allocateBudget({ budget, units: planUnits });
      const rows = headlineRowsOf(sheet);
      const spend = rows.get("Profit plan spend per month")!;
      const contribution = rows.get("Profit plan contribution per month")!;
      expect(isFormulaCell(spend.value) && spend.value.value).toBeCloseTo(sum(engine.map((u) => u.spend)), 6);
      expect(isFormulaCell(contribution.value) && contribution.value.value).toBeCloseTo(sum(engine.map((u) => u.contribution)), 6);
      expect(spend.sentence).toContain(`against ${Math.round(budget).toLocaleString("en-US")} in the target plan`);
      const targetContribution = rate * target.totalResponse - budget;
      expect(contribution.sentence).toContain(`against ${Math.round(targetContribution).toLocaleString("en-US")} for the target plan`);
      expect(contribution.sentence).toContain(`at ${(100 * rate).toFixed(1)}% gross margin)`);
    });
  }

  it("the target plan's marginal ROI below 1 is warned about in red, with the profit plan's totals beside the target plan's", () => {
    const sheet = buildBudgetTab({ ...channelInput, allocationPeriodLabel: "month", allocation: { kind: "channels", budget: 300_000, units: planUnits, grossMargin: { rate: 0.5, given: false } } }, context);
    const warning = sheet.blocks.find((b) => b.kind === "cells" && b.style === "warning");
    if (warning?.kind !== "cells") throw new Error("no warnings block");
    const texts = warning.values.map((row) => String(row[0]));
    expect(texts.some((t) => t.startsWith("Marginal ROI below 1"))).toBe(true);
    expect(texts.some((t) => /^At a 50\.0% gross margin the profit plan below spends [\d,]+ per month for [\d,]+ of contribution, against 300,000 for -?[\d,]+ in the target plan\.$/.test(t))).toBe(true);
    const rows = headlineRowsOf(sheet);
    expect(rows.get("Profit plan contribution per month")!.sentence).toContain("gross margin, assumed)");
  });
});

/** The headline's rows (under "At a glance", until the first blank label): label → value cell and sentence. */
function headlineRowsOf(sheet: ReportSheet): Map<string, { value: Cell; sentence: string }> {
  let row = 0;
  while (cellAt(sheet, row, 0) !== "At a glance") row++;
  const out = new Map<string, { value: Cell; sentence: string }>();
  for (row++; typeof cellAt(sheet, row, 0) === "string"; row++) out.set(String(cellAt(sheet, row, 0)), { value: cellAt(sheet, row, 1)!, sentence: String(cellValue(cellAt(sheet, row, 2) ?? null)) });
  return out;
}

function sum(values: readonly number[]): number {
  return values.reduce((s, x) => s + x, 0);
}

describe("the Budget tab's amounts", () => {
  it("carry the data's currency: totals without decimals, per-customer amounts with two, changes signed", () => {
    const sheet = buildBudgetTab({ ...channelInput, spendLastYear: 4_000_000 }, { ...context, currency: "€" });
    const formatOf = (label: string) => {
      for (const block of sheet.blocks) if (block.kind === "cells" && block.values[0][0] === label) return block.numberFormats?.[1];
      return undefined;
    };
    expect(formatOf("Target revenue")).toBe('"€"#,##0_);-"€"#,##0_)');
    expect(formatOf("Cost per lead")).toBe('"€"#,##0.00_);-"€"#,##0.00_)');
    expect(formatOf("Budget for the next period")).toBe('"€"#,##0_);-"€"#,##0_)');
    const table = tableNamed(sheet, "BudgetAllocation")!;
    expect(table.numberFormats![5]).toBe('"€"#,##0;-"€"#,##0');
    expect(table.numberFormats![6]).toBe('+"€"#,##0;-"€"#,##0;"€"0');
    // Without a currency the scope line says so.
    expect(String(cellAt(buildBudgetTab(channelInput, context), 1, 0))).toContain("Amounts in the data's currency.");
  });
});
