// The Budget tab's live allocation (liveAllocation, the task pane's tabs): the target plan's optimal
// spends are IMC.ALLOCATE formulas over the tab's input cells. Checked three ways: the formula text
// (absolute references to the budget allocated and the table's name and curve columns), the value
// stored with it (the engine's allocation), and HyperFormula with the add-in's own IMC.ALLOCATE
// registered: after changing an input the spends are the engine's re-optimised allocation.
import { beforeAll, describe, expect, it } from "vitest";
import { allocateBudget, allocateLifecycle, hillMarginal, hillResponse, type AllocationUnit, type LifecycleStageInput } from "../../src/engine/budget";
import { buildAllTabs } from "../../src/reports/allTabs";
import { buildBudgetTab, type BudgetTabInput } from "../../src/reports/budget";
import { businessDataOf, detectTables } from "../../src/reports/detect";
import { generateSampleBusiness } from "../../src/sample/business";
import { LIVE_NOTE } from "../../src/reports/budget/liveAllocation";
import { a1, cellAt, cellValue, isFormulaCell, sheetProblems, tableNamed, type Block, type ReportSheet } from "../../src/reports/sheet";
import { registerImcFunctions } from "../support/hyperformulaImc";
import { expectClose, loadReportSheet, type LoadedSheet } from "../support/recalc";

const context = { generatedAt: "2026-12-06T05:00:00Z" };

beforeAll(() => registerImcFunctions());

function rowOf(sheet: ReportSheet, label: string, after = 0): number {
  for (let r = after; r < 500; r++) if (cellAt(sheet, r, 0) === label) return r;
  throw new Error(`no row labelled "${label}"`);
}

/** The cells block holding `row`, column A. */
function blockAt(sheet: ReportSheet, row: number): Extract<Block, { kind: "cells" }> {
  const block = sheet.blocks.find((b): b is Extract<Block, { kind: "cells" }> => b.kind === "cells" && b.column === 0 && b.row <= row && row < b.row + b.values.length);
  if (!block) throw new Error(`no cells block at row ${row}`);
  return block;
}

function expectAllFormulasHold(loaded: LoadedSheet): void {
  for (const f of loaded.formulas) expectClose(loaded.valueAt(f.row, f.column), f.expected, `${a1(f.row, f.column)} =${f.formula}`);
}

const plan = {
  targetRevenue: 1_000_000,
  customersAtStart: 1_000,
  retentionRate: 0.8,
  revenuePerCustomer: 500,
  firstPeriodRevenuePerNewCustomer: 250,
  cac: 1_500,
  buffer: 0.1,
};

// An S-curve channel (Video) that the small budget leaves at 0 and a larger one funds: the live
// columns must hold at any spend.
const units: AllocationUnit[] = [
  { name: "Email", curve: { ceiling: 40_000, halfSaturation: 5_000, shape: 1 }, currentSpend: 8_000 },
  { name: "Paid search", curve: { ceiling: 90_000, halfSaturation: 20_000, shape: 1 }, currentSpend: 15_000 },
  { name: "Video", curve: { ceiling: 200_000, halfSaturation: 60_000, shape: 3 }, currentSpend: 0 },
];
const channelInput: BudgetTabInput = { plan, allocation: { kind: "channels", budget: 20_000, units, grossMargin: { rate: 0.4, given: true } }, sources: ["test"], notes: [] };

describe("Budget tab, live allocation across channels", () => {
  const sheet = buildBudgetTab(channelInput, context, { liveAllocation: true });
  const table = tableNamed(sheet, "BudgetAllocation")!;
  const top = table.row + 1; // first data row
  const budgetRow = rowOf(sheet, "Budget allocated");
  const engine = allocateBudget({ budget: 20_000, units });

  it("writes each optimal spend as INDEX(IMC.ALLOCATE(…)) over the budget allocated and the table's columns, absolute", () => {
    expect(table.headers[5]).toBe("Optimal spend");
    const B = `$B$${budgetRow + 1}`;
    const column = (letter: string) => `$${letter}$${top + 1}:$${letter}$${top + 3}`;
    const call = `IMC.ALLOCATE(${B},${column("A")},${column("B")},${column("C")},${column("D")})`;
    table.rows.forEach((row, i) => {
      const cell = row[5];
      expect(isFormulaCell(cell) && cell.formula, units[i].name).toBe(`INDEX(${call},${i + 2},2)`);
    });
    // The arguments are the cells they should be: the budget, the names, ceilings, half-saturations, shapes.
    expect(cellAt(sheet, budgetRow, 1)).toBe(20_000);
    expect(table.rows.map((row) => row[0])).toEqual(["Email", "Paid search", "Video"]);
    expect(table.headers.slice(1, 4)).toEqual(["Ceiling", "Half-saturation spend", "Shape"]);
    // The common marginal ROI in the totals row is the Total row's Marginal ROI (column 6).
    const totalMarginal = table.totals![11];
    expect(isFormulaCell(totalMarginal) && totalMarginal.formula).toBe(`INDEX(${call},5,6)`);
  });

  it("is a well-formed sheet", () => {
    expect(sheetProblems(sheet)).toEqual([]);
  });

  it("stores the engine's allocation with each formula", () => {
    expect(engine.units.map((u) => u.spend)).toEqual(table.rows.map((row) => cellValue(row[5])));
    expect(engine.units[2].spend).toBe(0); // Video is not worth funding at this budget
    expect(cellValue(table.totals![11])).toBe(engine.marginalRoi);
  });

  it("makes the budget allocated an input and says the allocation follows the inputs", () => {
    expect(blockAt(sheet, budgetRow).columnStyles?.[1]).toBe("input");
    const notes = sheet.blocks.flatMap((b) => (b.kind === "cells" ? b.values.map((row) => row[0]) : []));
    expect(notes).toContain(LIVE_NOTE);
    expect(notes.filter((text) => typeof text === "string" && text.startsWith("Optimal spend is a snapshot"))).toEqual([]);
    // The profit plan stays a snapshot; in the task pane the way to recompute it is the wizard, not the runner.
    expect(notes).toContain("Contribution = gross margin rate × revenue − spend. Profit plan spend is a snapshot: after changing inputs, generate the Budget tab again from the IMC task pane. The other columns are formulas.");
    expect(notes.filter((text) => String(text).includes("imc report"))).toEqual([]);
    expect(sheet.provenance.notes).toContain("Optimal spends are IMC.ALLOCATE formulas over the budget allocated and the curve cells: they follow the inputs wherever the IMC add-in is loaded.");
  });

  it("in a formula engine with the add-in's IMC.ALLOCATE: every formula holds, and a new budget or curve re-optimises to the engine's allocation", () => {
    const loaded = loadReportSheet(sheet, "Budget");
    try {
      expectAllFormulasHold(loaded);
      const cases: { budget: number; changed?: { unit: number; column: 1 | 2 | 3; value: number } }[] = [
        { budget: 35_000 },
        { budget: 120_000 }, // Video is funded now
        { budget: 120_000, changed: { unit: 0, column: 1, value: 150_000 } }, // a bigger Email ceiling
        { budget: 60_000, changed: { unit: 1, column: 3, value: 2 } }, // Paid search becomes an S-curve
      ];
      let current = units;
      for (const { budget, changed } of cases) {
        loaded.setValue(budgetRow, 1, budget);
        if (changed) {
          loaded.setValue(top + changed.unit, changed.column, changed.value);
          const key = (["", "ceiling", "halfSaturation", "shape"] as const)[changed.column] as "ceiling" | "halfSaturation" | "shape";
          current = current.map((u, i) => (i === changed.unit ? { ...u, curve: { ...u.curve, [key]: changed.value } } : u));
        }
        const expected = allocateBudget({ budget, units: current });
        const where = `budget ${budget}${changed ? `, ${JSON.stringify(changed)}` : ""}`;
        expected.units.forEach((u, i) => {
          const curve = current[i].curve;
          expectClose(loaded.valueAt(top + i, 5), u.spend, `optimal spend ${u.name}, ${where}`);
          expectClose(loaded.valueAt(top + i, 6), u.spend - current[i].currentSpend!, `change ${u.name}, ${where}`);
          expectClose(loaded.valueAt(top + i, 8), hillResponse(u.spend, curve), `optimal response ${u.name}, ${where}`);
          expectClose(loaded.valueAt(top + i, 10), u.spend > 0 ? hillResponse(u.spend, curve) / u.spend : "", `optimal ROI ${u.name}, ${where}`);
          expectClose(loaded.valueAt(top + i, 11), hillMarginal(u.spend, curve), `marginal ROI ${u.name}, ${where}`);
        });
        expectClose(loaded.valueAt(top + 3, 5), budget, `total spend, ${where}`);
        expectClose(loaded.valueAt(top + 3, 11), expected.marginalRoi, `common marginal ROI, ${where}`);
      }
      expect(allocateBudget({ budget: 120_000, units }).units[2].spend).toBeGreaterThan(0);
    } finally {
      loaded.destroy();
    }
  });

  it("with curves drawn through the current spends, changing the share bought now or the shape re-optimises", () => {
    const now = [
      { name: "Email", spend: 8_000, response: 20_000 },
      { name: "Paid search", spend: 15_000, response: 30_000 },
      { name: "Social", spend: 7_000, response: 9_000 },
    ];
    const curveOf = (c: number, y: number, s: number, alpha: number) => ({ ceiling: y / s, halfSaturation: c / Math.pow(s / (1 - s), 1 / alpha), shape: alpha });
    const assumed = (s: number, alpha: number): AllocationUnit[] => now.map((u) => ({ name: u.name, curve: curveOf(u.spend, u.response, s, alpha), currentSpend: u.spend }));
    const live = buildBudgetTab(
      { ...channelInput, allocation: { kind: "channels", budget: 30_000, units: assumed(0.5, 1), curveAssumption: { saturationAtCurrentSpend: 0.5, shape: 1 } }, allocationPeriodLabel: "month" },
      context,
      { liveAllocation: true },
    );
    const loaded = loadReportSheet(live, "Budget");
    try {
      expectAllFormulasHold(loaded);
      const first = tableNamed(live, "BudgetAllocation")!.row + 1;
      for (const [s, alpha] of [
        [0.3, 1],
        [0.7, 1.5],
      ]) {
        loaded.setValue(rowOf(live, "Share of the ceiling bought now"), 1, s);
        loaded.setValue(rowOf(live, "Curve shape"), 1, alpha);
        const expected = allocateBudget({ budget: 30_000, units: assumed(s, alpha) });
        expected.units.forEach((u, i) => {
          expectClose(loaded.valueAt(first + i, 5), u.spend, `optimal spend ${u.name} at share ${s}, shape ${alpha}`);
          expectClose(loaded.valueAt(first + i, 11), hillMarginal(u.spend, assumed(s, alpha)[i].curve), `marginal ROI ${u.name}`);
        });
        // The spends moved: the snapshot would not have.
        expect(Math.abs((loaded.valueAt(first, 5) as number) - allocateBudget({ budget: 30_000, units: assumed(0.5, 1) }).units[0].spend)).toBeGreaterThan(1);
      }
    } finally {
      loaded.destroy();
    }
  });
});

describe("Budget tab, live allocation across lifecycle stages", () => {
  const stages: LifecycleStageInput[] = [
    { stage: "acquisition", customerCurve: { ceiling: 500, halfSaturation: 30_000, shape: 1 }, valuePerCustomer: 300, currentSpend: 30_000 },
    { stage: "retention", customerCurve: { ceiling: 800, halfSaturation: 5_000, shape: 1 }, valuePerCustomer: 120, currentSpend: 5_000 },
    { stage: "win-back", customerCurve: { ceiling: 120, halfSaturation: 5_000, shape: 2 }, valuePerCustomer: 90, currentSpend: 5_000 },
  ];
  const sheet = buildBudgetTab({ plan, allocation: { kind: "lifecycle", budget: 40_000, stages }, sources: [], notes: [] }, context, { liveAllocation: true });
  const table = tableNamed(sheet, "LifecycleAllocation")!;
  const top = table.row + 1;
  const budgetRow = rowOf(sheet, "Budget allocated");

  it("allocates on the value curves: ceilings (customers) × value per customer", () => {
    const B = `$B$${budgetRow + 1}`;
    const column = (letter: string) => `$${letter}$${top + 1}:$${letter}$${top + 3}`;
    const call = `IMC.ALLOCATE(${B},${column("A")},${column("C")}*${column("B")},${column("D")},${column("E")})`;
    table.rows.forEach((row, i) => {
      const cell = row[7];
      expect(isFormulaCell(cell) && cell.formula).toBe(`INDEX(${call},${i + 2},2)`);
      expect(cellValue(cell)).toBe(allocateLifecycle({ budget: 40_000, stages }).stages[i].spend);
    });
  });

  it("in a formula engine with IMC.ALLOCATE: every formula holds, and a new budget or value per customer re-optimises as allocateLifecycle does", () => {
    const loaded = loadReportSheet(sheet, "Budget");
    try {
      expectAllFormulasHold(loaded);
      let current = stages;
      for (const { budget, retentionValue } of [
        { budget: 90_000, retentionValue: 120 },
        { budget: 90_000, retentionValue: 400 },
      ]) {
        loaded.setValue(budgetRow, 1, budget);
        loaded.setValue(top + 1, 1, retentionValue);
        current = current.map((s, i) => (i === 1 ? { ...s, valuePerCustomer: retentionValue } : s));
        const expected = allocateLifecycle({ budget, stages: current });
        expected.stages.forEach((s, i) => {
          const where = `${s.stage} at budget ${budget}, retention value ${retentionValue}`;
          expectClose(loaded.valueAt(top + i, 7), s.spend, `optimal spend ${where}`);
          expectClose(loaded.valueAt(top + i, 9), s.customers, `customers ${where}`);
          expectClose(loaded.valueAt(top + i, 10), s.value, `value ${where}`);
          expectClose(loaded.valueAt(top + i, 13), s.marginalValue, `marginal value ${where}`);
        });
        expectClose(loaded.valueAt(top + 3, 13), expected.marginalValue, `common marginal value at ${budget}`);
      }
    } finally {
      loaded.destroy();
    }
  });
});

describe("Budget tab of a sample business with live allocation (buildAllTabs, as the wizards build it)", () => {
  it("recalculates in a formula engine with IMC.ALLOCATE to the values stored, and a new budget re-optimises", () => {
    const business = generateSampleBusiness({ customers: 600, seed: 11 });
    const sheets = business.tables.map((t) => ({ name: t.name, rows: [t.headers, ...t.rows] }));
    const budget = buildAllTabs(businessDataOf(sheets, detectTables(sheets)), { tabs: ["budget"], liveAllocation: true }, context).sheets[0];
    const table = tableNamed(budget, "BudgetAllocation")!;
    const loaded = loadReportSheet(budget, "Budget");
    try {
      expect(loaded.formulas.filter((f) => f.formula.includes("IMC.ALLOCATE(")).length).toBe(table.rows.length + 1);
      expectAllFormulasHold(loaded);
      const budgetRow = rowOf(budget, "Budget allocated");
      const doubled = 2 * (cellAt(budget, budgetRow, 1) as number);
      loaded.setValue(budgetRow, 1, doubled);
      const spends = table.rows.map((_, i) => loaded.valueAt(table.row + 1 + i, 5) as number);
      expectClose(spends.reduce((a, b) => a + b, 0), doubled, "the doubled budget, spent in full");
      expect(spends.every((x, i) => x >= (cellValue(table.rows[i][5]) as number) - 1e-6)).toBe(true); // concave curves: no channel gets less
    } finally {
      loaded.destroy();
    }
  });
});

describe("Budget tab without live allocation", () => {
  it("is the snapshot tab, the same as with the option left out, with no IMC function in it", () => {
    const off = buildBudgetTab(channelInput, context, { liveAllocation: false });
    expect(off).toEqual(buildBudgetTab(channelInput, context));
    const formulas = off.blocks.flatMap((b) => (b.kind === "table" ? [...b.rows, b.totals ?? []] : b.values).flat()).filter(isFormulaCell);
    expect(formulas.length).toBeGreaterThan(10);
    expect(formulas.filter((cell) => cell.formula.includes("IMC."))).toEqual([]);
    const table = tableNamed(off, "BudgetAllocation")!;
    expect(table.rows.map((row) => row[5])).toEqual(allocateBudget({ budget: 20_000, units }).units.map((u) => u.spend));
    expect(blockAt(off, rowOf(off, "Budget allocated")).columnStyles?.[1]).toBe("total");
    expect(off.provenance.notes.filter((note) => note.includes("IMC.ALLOCATE"))).toEqual([]);
  });

  it("stays a snapshot with the option on when a unit has a minimum or maximum spend (the table has no cells to pass them)", () => {
    const bounded = units.map((u, i) => (i === 0 ? { ...u, maxSpend: 6_000 } : u));
    const sheet = buildBudgetTab({ ...channelInput, allocation: { kind: "channels", budget: 20_000, units: bounded } }, context, { liveAllocation: true });
    const table = tableNamed(sheet, "BudgetAllocation")!;
    expect(table.rows.map((row) => row[5])).toEqual(allocateBudget({ budget: 20_000, units: bounded }).units.map((u) => u.spend));
    expect(sheet.blocks.some((b) => b.kind === "cells" && b.values.some((row) => row[0] === LIVE_NOTE))).toBe(false);
    expect(sheet.provenance.notes).toContain("Optimal spends are a snapshot: some channels or stages have a minimum or maximum spend, which IMC.ALLOCATE would need cells for.");
  });
});
