// The Experiments tab: per campaign the numbers IMC.LIFT gives on the same counts (counted here
// from the fixture's own truth, not from the builder), group labels as people write them, outcomes
// from orders in a 30-day window after assignment or from the table's own columns, spend from the
// campaign table, errors naming the column and row, figures pointing at the cells that show them.
import { mkdirSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { calendarToSerial } from "../../src/engine/data";
import { seededUniform } from "../../src/engine/math/random";
import type { BusinessData } from "../../src/reports/detect";
import { buildExperimentsTab } from "../../src/reports/experiments";
import { groupOf } from "../../src/reports/experiments/analysis";
import { cellAt, cellValue, isFormulaCell, sheetProblems, tableNamed, type Cell, type ReportSheet } from "../../src/reports/sheet";
import type { TabBuild, TabOptions } from "../../src/reports/tabBuild";
import { installCustomFunctionsStub } from "../support/customFunctions";
import { engineErrorOf } from "../support/engine";

installCustomFunctionsStub();
let liftFunction: typeof import("../../src/functions/lift").lift;
beforeAll(async () => {
  ({ lift: liftFunction } = await import("../../src/functions/lift"));
});

const serial = (year: number, month: number, day: number): number => calendarToSerial({ year, month, day });
const options: TabOptions = { asOf: null, cac: null };
const context = { generatedAt: "2026-12-06T07:00:00Z", currency: "€" };

interface Truth {
  test: number;
  control: number;
  testConversions: number;
  controlConversions: number;
  testRevenue: number;
  controlRevenue: number;
}

/**
 * A business with three holdout tests and a known true lift (seeded): Spring sale (3,200 test /
 * 800 control, 10% → 16%), Autumn email (900 / 900, 8% both), VIP call (500 / 60, 20% → 30%); a
 * converted customer orders once inside the 30-day window; every customer may also order outside it
 * (before the assignment, or 30 to 60 days after), which must not count.
 */
function fixture(): { data: BusinessData; truth: Map<string, Truth> } {
  const uniform = seededUniform(20261206);
  const ids: unknown[] = [];
  const campaigns: unknown[] = [];
  const groups: unknown[] = [];
  const dates: unknown[] = [];
  const orderIds: unknown[] = [];
  const orderDates: unknown[] = [];
  const orderValues: unknown[] = [];
  const truth = new Map<string, Truth>();
  const plans = [
    { name: "Spring sale", start: serial(2025, 3, 1), test: 3200, control: 800, pT: 0.16, pC: 0.1, labels: ["Test", "Control"] },
    { name: "Autumn email", start: serial(2025, 9, 15), test: 900, control: 900, pT: 0.08, pC: 0.08, labels: ["treatment", "HOLDOUT"] },
    { name: "VIP call", start: serial(2025, 6, 2), test: 500, control: 60, pT: 0.3, pC: 0.2, labels: [1, "held out"] },
  ];
  let id = 1000;
  for (const plan of plans) {
    const t: Truth = { test: plan.test, control: plan.control, testConversions: 0, controlConversions: 0, testRevenue: 0, controlRevenue: 0 };
    truth.set(plan.name, t);
    for (let k = 0; k < plan.test + plan.control; k++) {
      const isTest = k < plan.test;
      id++;
      const assigned = plan.start + Math.floor(uniform() * 7);
      ids.push(id);
      campaigns.push(plan.name);
      groups.push(isTest ? plan.labels[0] : plan.labels[1]);
      dates.push(assigned);
      if (uniform() < (isTest ? plan.pT : plan.pC)) {
        const value = Math.round(2000 + 8000 * uniform()) / 100;
        orderIds.push(String(id));
        orderDates.push(assigned + Math.floor(uniform() * 30));
        orderValues.push(value);
        if (isTest) {
          t.testConversions++;
          t.testRevenue += value;
        } else {
          t.controlConversions++;
          t.controlRevenue += value;
        }
      }
      // Orders outside the window: before the assignment, or from day 30 on.
      if (uniform() < 0.3) {
        orderIds.push(id);
        orderDates.push(assigned - 1 - Math.floor(uniform() * 60));
        orderValues.push(50);
      }
      if (uniform() < 0.2) {
        orderIds.push(id);
        orderDates.push(assigned + 30 + Math.floor(uniform() * 30));
        orderValues.push(70);
      }
    }
  }
  // A customer outside the experiment whose order ends the data well after every window.
  orderIds.push(99999);
  orderDates.push(serial(2026, 1, 31));
  orderValues.push(10);
  const data: BusinessData = {
    orders: { source: "Orders!A1:C9999", customerIds: orderIds, orderDates, orderValues },
    customers: null,
    touchpoints: null,
    spend: null,
    campaigns: {
      source: "Campaigns!A1:C3",
      table: [
        ["Campaign", "Channel", "Spend"],
        ["Spring sale", "Email", 5000],
        ["vip call", "Phone", 2000],
      ],
    },
    experiments: { source: "Experiment!A1:D6361", customerIds: ids, campaigns, groups, dates },
  };
  return { data, truth };
}

const { data, truth } = fixture();
let built: TabBuild;
let sheet: ReportSheet;
beforeAll(() => {
  built = buildExperimentsTab(data, options, context);
  sheet = built.sheet;
});

/** The campaign table's rows as objects by header. */
function campaignRows(s: ReportSheet): Record<string, Cell>[] {
  const table = tableNamed(s, "ExperimentCampaigns")!;
  return table.rows.map((row) => Object.fromEntries(table.headers.map((h, c) => [h, row[c]])));
}

/** A measure of IMC.LIFT's Measure | Value table. */
function measure(result: any[][], name: string): unknown {
  const row = result.find((r) => r[0] === name);
  if (!row) throw new Error(`no measure ${name}`);
  return row[1];
}

describe("Experiments tab: numbers equal IMC.LIFT's on the same counts", () => {
  it("is a well-formed sheet", () => {
    expect(sheetProblems(sheet)).toEqual([]);
    expect(sheet.name).toBe("Experiments");
  });

  it("one row per campaign, lift descending", () => {
    const rows = campaignRows(sheet);
    expect(rows.map((r) => r.Campaign).sort()).toEqual(["Autumn email", "Spring sale", "VIP call"]);
    const lifts = rows.map((r) => cellValue(r["Lift (test over control)"]) as number);
    expect([...lifts].sort((a, b) => b - a)).toEqual(lifts);
  });

  for (const name of ["Spring sale", "Autumn email", "VIP call"]) {
    it(`${name}: sizes, rates, lift, interval, p-value, incremental conversions and revenue`, () => {
      const t = truth.get(name)!;
      const row = campaignRows(sheet).find((r) => r.Campaign === name)!;
      const f = liftFunction([[t.testConversions]], [[t.test]], [[t.controlConversions]], [[t.control]], [[t.testRevenue]], [[t.controlRevenue]]);
      expect(row["Test customers"]).toBe(t.test);
      expect(row["Control customers"]).toBe(t.control);
      expect(row["Test conversion rate"]).toBeCloseTo(measure(f, "Test conversion rate") as number, 14);
      expect(row["Control conversion rate"]).toBeCloseTo(measure(f, "Control conversion rate") as number, 14);
      expect(row["Lift (test over control)"]).toBeCloseTo(measure(f, "Lift (test / control − 1)") as number, 12);
      expect(row["Lift 95% CI low"]).toBeCloseTo(measure(f, "Lift 95% CI low") as number, 12);
      expect(row["Lift 95% CI high"]).toBeCloseTo(measure(f, "Lift 95% CI high") as number, 12);
      expect(row["p-value"]).toBeCloseTo(measure(f, "p-value (two-sided)") as number, 12);
      expect(row["Incremental conversions"]).toBeCloseTo(measure(f, "Incremental conversions") as number, 9);
      expect(row["Incremental revenue"]).toBeCloseTo(measure(f, "Incremental revenue") as number, 6);
      const significant = (measure(f, "p-value (two-sided)") as number) < 0.05;
      expect(row["Significant at 95%?"]).toBe(significant ? "Yes" : "No");
    });
  }

  it("the seeded true lifts show: Spring sale significant and positive, Autumn email not significant", () => {
    const rows = campaignRows(sheet);
    expect(rows.find((r) => r.Campaign === "Spring sale")!["Significant at 95%?"]).toBe("Yes");
    expect(rows.find((r) => r.Campaign === "Autumn email")!["Significant at 95%?"]).toBe("No");
  });

  it("spend from the campaign table by name (any case); iROAS a live formula; no spend said in words", () => {
    const rows = campaignRows(sheet);
    const spring = rows.find((r) => r.Campaign === "Spring sale")!;
    const t = truth.get("Spring sale")!;
    const f = liftFunction([[t.testConversions]], [[t.test]], [[t.controlConversions]], [[t.control]], [[t.testRevenue]], [[t.controlRevenue]], [[5000]]);
    expect(spring.Spend).toBe(5000);
    const iroas = spring["iROAS (incremental revenue ÷ spend)"];
    expect(isFormulaCell(iroas)).toBe(true);
    expect(cellValue(iroas)).toBeCloseTo(measure(f, "iROAS (incremental revenue / spend)") as number, 12);
    expect(rows.find((r) => r.Campaign === "VIP call")!.Spend).toBe(2000);
    const autumn = rows.find((r) => r.Campaign === "Autumn email")!;
    expect(autumn.Spend).toBeNull();
    expect(cellValue(autumn["iROAS (incremental revenue ÷ spend)"])).toBe("not computed: no spend for this campaign");
  });

  it("ROCI: baseline = control revenue per customer × test customers, ROCI = iROAS − 1, as formulas", () => {
    const roci = tableNamed(sheet, "ExperimentRoci")!;
    const rows = campaignRows(sheet);
    for (const r of roci.rows) {
      const name = r[0] as string;
      const t = truth.get(name)!;
      expect(isFormulaCell(r[3])).toBe(true);
      expect(cellValue(r[3])).toBeCloseTo((t.controlRevenue / t.control) * t.test, 6);
      const iroas = cellValue(rows.find((x) => x.Campaign === name)!["iROAS (incremental revenue ÷ spend)"]);
      if (typeof iroas === "number") expect(cellValue(r[4])).toBeCloseTo(iroas - 1, 12);
      else expect(cellValue(r[4])).toBe("not computed: no spend for this campaign");
    }
    expect(roci.rows).toHaveLength(3);
  });

  it("warnings: the small control group (VIP call, 60 customers) and the test without a significant result", () => {
    const texts = sheet.blocks.filter((b) => b.kind === "cells" && b.style === "warning").flatMap((b) => (b.kind === "cells" ? b.values.map((v) => String(v[0])) : []));
    expect(texts.some((t) => t.startsWith("VIP call: the control group has 60 customers"))).toBe(true);
    expect(texts.some((t) => t.startsWith("Autumn email: the lift of") && t.includes("not significant"))).toBe(true);
    expect(texts.some((t) => t.startsWith("Spring sale"))).toBe(false);
  });

  it("states the window and the interval method in the provenance", () => {
    const labels = sheet.provenance.options.map((o) => `${o.label}: ${o.value}`);
    expect(labels.some((l) => l.startsWith("Outcomes: Orders from Orders!A1:C9999") && l.includes("30 days"))).toBe(true);
    expect(labels.some((l) => l.startsWith("Lift interval: Delta method on the log of the rate ratio"))).toBe(true);
    expect(sheet.provenance.sources).toEqual(["Experiment!A1:D6361", "Orders!A1:C9999", "Campaigns!A1:C3"]);
  });

  it("a lift chart over the table's own cells", () => {
    expect(sheet.charts).toHaveLength(1);
    const table = tableNamed(sheet, "ExperimentCampaigns")!;
    expect(sheet.charts[0].categories.row).toBe(table.row + 1);
    expect(sheet.charts[0].categories.rowCount).toBe(3);
  });
});

describe("Experiments tab: figures point at the cells that show them", () => {
  it("has the four keys", () => {
    expect(built.figures.map((f) => f.key)).toEqual(["experiments.campaigns", "experiments.bestLift", "experiments.incrementalRevenue", "experiments.iroas"]);
  });

  it("each figure's cell shows its value in its format", () => {
    for (const figure of built.figures) {
      const cell = cellAt(sheet, figure.row, figure.column);
      expect(cell, figure.key).toBeDefined();
      expect(cellValue(cell!), figure.key).toBe(figure.value);
      const block = sheet.blocks.find((b) => b.kind === "cells" && b.row === figure.row && b.column === 0)!;
      expect(block.numberFormats?.[figure.column], figure.key).toBe(figure.format);
    }
  });

  it("values: 3 campaigns, best significant lift, totals over the table, iROAS over campaigns with spend", () => {
    const byKey = Object.fromEntries(built.figures.map((f) => [f.key, f.value as number]));
    expect(byKey["experiments.campaigns"]).toBe(3);
    const rows = campaignRows(sheet);
    const significant = rows.filter((r) => r["Significant at 95%?"] === "Yes").map((r) => cellValue(r["Lift (test over control)"]) as number);
    expect(byKey["experiments.bestLift"]).toBe(Math.max(...significant));
    const incremental = rows.map((r) => cellValue(r["Incremental revenue"]) as number);
    expect(byKey["experiments.incrementalRevenue"]).toBeCloseTo(incremental.reduce((s, x) => s + x, 0), 6);
    const withSpend = rows.filter((r) => typeof r.Spend === "number");
    const iroas = withSpend.reduce((s, r) => s + (cellValue(r["Incremental revenue"]) as number), 0) / withSpend.reduce((s, r) => s + (r.Spend as number), 0);
    expect(byKey["experiments.iroas"]).toBeCloseTo(iroas, 12);
    const total = cellAt(sheet, built.figures[2].row, 1)!;
    expect(isFormulaCell(total) && total.formula.startsWith("SUM(")).toBe(true);
  });
});

describe("Experiments tab: group labels and outcomes from the table's own columns", () => {
  it("reads test/treatment/exposed/1/TRUE and control/holdout/held out/0/FALSE in any case", () => {
    for (const label of ["test", "TEST", " Treatment ", "exposed", 1, "1", true, "TRUE"]) expect(groupOf(label), String(label)).toBe("test");
    for (const label of ["control", "Holdout", "held out", "Held-out", 0, "0", false, "false"]) expect(groupOf(label), String(label)).toBe("control");
    for (const label of ["maybe", 2, "", null, "tested"]) expect(groupOf(label), String(label)).toBeNull();
  });

  const own = (groups: unknown[], extra: Partial<NonNullable<BusinessData["experiments"]>> = {}): BusinessData => ({
    orders: null,
    customers: null,
    touchpoints: null,
    campaigns: null,
    spend: null,
    experiments: {
      source: "Experiment!A1:E9",
      customerIds: groups.map((_, i) => `C${i + 1}`),
      groups,
      conversions: groups.map((_, i) => (i % 2 === 0 ? 1 : 0)),
      revenues: groups.map((_, i) => (i % 2 === 0 ? 100 : "")),
      ...extra,
    },
  });

  it("one experiment without a campaign column, outcomes from the table: IMC.LIFT's numbers", () => {
    const groups = ["exposed", "exposed", "exposed", "exposed", "held out", "held out", "held out", "FALSE"];
    // Test rows 1–4 convert on rows 1 and 3; control rows 5–8 convert on rows 5 and 7.
    const tab = buildExperimentsTab(own(groups, { conversions: [1, 0, 1, 1, 1, 0, 0, 0] }), options, context);
    const row = campaignRows(tab.sheet)[0];
    expect(row.Campaign).toBe("The experiment");
    const f = liftFunction([[3]], [[4]], [[1]], [[4]], [[200]], [[200]]);
    expect(row["Lift (test over control)"]).toBeCloseTo(measure(f, "Lift (test / control − 1)") as number, 12);
    expect(row["Incremental revenue"]).toBeCloseTo(measure(f, "Incremental revenue") as number, 9);
    expect(tab.sheet.provenance.options.find((o) => o.label === "Outcomes")!.value).toMatch(/own conversion column/);
    expect(tab.figures.map((f) => f.key)).toEqual(["experiments.campaigns", "experiments.bestLift", "experiments.incrementalRevenue"]);
    // No spend: the headline says iROAS is not computed, and publishes no iROAS figure.
    const iroasRow = tab.sheet.blocks.find((b) => b.kind === "cells" && b.values[0]?.[0] === "iROAS");
    expect(iroasRow && iroasRow.kind === "cells" ? iroasRow.values[0][1] : undefined).toBe("not computed");
    expect(sheetProblems(tab.sheet)).toEqual([]);
  });

  it("an unknown group label names groups and the row", () => {
    const error = engineErrorOf(() => buildExperimentsTab(own(["test", "control", "maybe", "test"]), options, context));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("groups");
    expect(error.row).toBe(3);
    expect(error.message).toMatch(/^groups row 3: "maybe" is not a group this tab knows: write test/);
  });

  it("a customer in both groups of one campaign names the row", () => {
    const data2 = own(["test", "control", "control"], { customerIds: ["A", "B", "A"] });
    const error = engineErrorOf(() => buildExperimentsTab(data2, options, context));
    expect(error.row).toBe(3);
    expect(error.message).toMatch(/customer A is already in the test group/);
  });

  it("an order on day 30 after the assignment is outside the window; day 29 inside", () => {
    const d = serial(2025, 1, 10);
    const base: BusinessData = {
      orders: { source: "Orders", customerIds: ["A", "B", "C", "D", "Z"], orderDates: [d + 29, d + 30, d, d + 5, d + 100], orderValues: [10, 10, 10, 10, 1] },
      customers: null,
      touchpoints: null,
      campaigns: null,
      spend: null,
      experiments: { source: "Experiment", customerIds: ["A", "B", "C", "D"], groups: ["test", "test", "control", "control"], dates: [d, d, d, ""] },
    };
    const row = campaignRows(buildExperimentsTab(base, options, context).sheet)[0];
    expect(row["Test conversion rate"]).toBe(0.5); // A (day 29) converted, B (day 30) did not
    expect(row["Control conversion rate"]).toBe(1); // D has no date: the campaign's first date
  });
});

describe("Experiments tab: campaigns without a result, and no significant test", () => {
  const d = serial(2025, 5, 1);
  /** Two campaigns from the table's own columns: Big (200 / 200, 10% vs 9%) and Only test (no control group). */
  const data2: BusinessData = (() => {
    const ids: string[] = [];
    const campaigns: string[] = [];
    const groups: string[] = [];
    const converted: number[] = [];
    for (let i = 0; i < 400; i++) {
      ids.push(`B${i}`);
      campaigns.push("Big");
      groups.push(i < 200 ? "test" : "control");
      converted.push(i < 200 ? (i < 20 ? 1 : 0) : i < 218 ? 1 : 0);
    }
    for (let i = 0; i < 50; i++) {
      ids.push(`T${i}`);
      campaigns.push("Only test");
      groups.push("test");
      converted.push(i < 5 ? 1 : 0);
    }
    return {
      orders: null,
      customers: null,
      touchpoints: null,
      campaigns: null,
      spend: null,
      experiments: { source: "Experiment", customerIds: ids, campaigns, groups, dates: ids.map(() => d), conversions: converted },
    };
  })();
  const tab = buildExperimentsTab(data2, options, context);

  it("a campaign without a control group is listed last with the reason, and warned about", () => {
    const rows = campaignRows(tab.sheet);
    expect(rows.map((r) => r.Campaign)).toEqual(["Big", "Only test"]);
    expect(rows[1]["Significant at 95%?"]).toBe("not computed: no control group");
    expect(rows[1]["Lift (test over control)"]).toBeNull();
    const texts = tab.sheet.blocks.filter((b) => b.kind === "cells" && b.style === "warning").flatMap((b) => (b.kind === "cells" ? b.values.map((v) => String(v[0])) : []));
    expect(texts).toContain("Only test: not computed: no control group.");
    expect(sheetProblems(tab.sheet)).toEqual([]);
  });

  it("with no significant test the headline shows the lift of the largest test, and says so", () => {
    const f = liftFunction([[20]], [[200]], [[18]], [[200]]);
    const best = tab.figures.find((x) => x.key === "experiments.bestLift")!;
    expect(best.label).toBe("Lift of the largest test");
    expect(best.value).toBeCloseTo(measure(f, "Lift (test / control − 1)") as number, 12);
    const sentence = cellAt(tab.sheet, best.row, 2);
    expect(String(sentence)).toMatch(/not significant, so no campaign has a proven lift/);
    // No revenue and no spend: neither money figure is published.
    expect(tab.figures.map((x) => x.key)).toEqual(["experiments.campaigns", "experiments.bestLift"]);
  });
});

describe("Experiments tab: not enough data", () => {
  const empty: BusinessData = { orders: null, customers: null, touchpoints: null, campaigns: null, spend: null };

  it("INSUFFICIENT_DATA without an experiment table", () => {
    const error = engineErrorOf(() => buildExperimentsTab(empty, options, context));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toMatch(/no experiment table/);
  });

  it("INSUFFICIENT_DATA without outcomes", () => {
    const error = engineErrorOf(() => buildExperimentsTab({ ...empty, experiments: { source: "E", customerIds: [1, 2], groups: ["test", "control"] } }, options, context));
    expect(error.code).toBe("INSUFFICIENT_DATA");
  });

  it("INSUFFICIENT_DATA when no campaign has a control group", () => {
    const experiments = { source: "E", customerIds: [1, 2], groups: ["test", "test"], conversions: [1, 0] };
    const error = engineErrorOf(() => buildExperimentsTab({ ...empty, experiments }, options, context));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toMatch(/no control group/);
  });
});

describe("Experiments tab as a written workbook", () => {
  it("writes to .xlsx (for rendering with render-tabs.py)", async () => {
    const { writeNewWorkbook } = await import("../../src/cli/xlsx/writeReport");
    const { bytes, names } = await writeNewWorkbook([], [sheet]);
    expect(names).toEqual(["Experiments"]);
    if (process.env.EXPERIMENTS_XLSX) {
      mkdirSync(process.env.EXPERIMENTS_XLSX, { recursive: true });
      writeFileSync(`${process.env.EXPERIMENTS_XLSX}/experiments.xlsx`, bytes);
    }
    const { loadWritten, tabViolationLines } = await import("../support/tabQuality");
    expect(await tabViolationLines(await loadWritten(bytes), names, { Experiments: 1 })).toEqual([]);
  }, 60_000);
});
