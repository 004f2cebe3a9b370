// Every tab from one business's data: order, hand-offs between tabs, skipped and requested tabs.
import { beforeAll, describe, expect, it } from "vitest";
import { isEngineError } from "../../src/engine/errors";
import { buildAllTabs, TAB_IDS, withCurrency, type AllTabsResult, type TabId } from "../../src/reports/allTabs";
import { buildCustomerValueTab } from "../../src/reports/customerValue";
import { businessDataOf, detectTables, type BusinessData } from "../../src/reports/detect";
import { cellValue, isFormulaCell, sheetProblems, tableNamed, type ReportSheet } from "../../src/reports/sheet";
import { generateSampleBusiness } from "../../src/sample/business";

const context = { generatedAt: "2026-11-23T08:00:00.000Z" };
let data: BusinessData;

beforeAll(() => {
  const business = generateSampleBusiness({ customers: 1200, seed: 7 });
  const sheets = business.tables.map((table) => ({ name: table.name, rows: [table.headers, ...table.rows] }));
  data = businessDataOf(sheets, detectTables(sheets));
});

/** The tabs built from data that may build them (Cohorts, Leads, Journey, Experiments: when their builders and data allow), in TAB_IDS order. */
const NEWER: readonly TabId[] = ["cohorts", "leads", "journey", "experiments"];

/** The built tabs' ids without the newer tabs, whose builders are replaced at merge time. */
function olderTabs(result: AllTabsResult): (TabId | undefined)[] {
  return result.sheets.map((sheet) => sheet.tab).filter((tab) => tab === undefined || !NEWER.includes(tab));
}

/** The sheet of a tab (by its TabId). */
function sheetOf(result: AllTabsResult, tab: TabId): ReportSheet {
  const sheet = result.sheets.find((candidate) => candidate.tab === tab);
  expect(sheet, tab).toBeDefined();
  return sheet!;
}

function column(sheet: ReportSheet, table: string, header: string): Map<string, unknown> {
  const block = tableNamed(sheet, table)!;
  const index = block.headers.indexOf(header);
  expect(index, `${table} has ${header}`).toBeGreaterThanOrEqual(0);
  return new Map(block.rows.map((row) => [String(cellValue(row[0])), cellValue(row[index])]));
}

describe("buildAllTabs", () => {
  it("builds the Scorecard first, then every tab in workbook order, each well formed and carrying its TabId", () => {
    const progress: string[] = [];
    const result = buildAllTabs(data, {}, context, (message) => progress.push(message));
    expect(olderTabs(result)).toEqual(["scorecard", "segmentation", "customer-value", "attribution", "campaign-kpis", "budget"]);
    expect(result.sheets[0].name).toBe("Scorecard");
    // Every tab is either built or skipped with a reason, in TAB_IDS order.
    const built = result.sheets.map((sheet) => sheet.tab!);
    expect([...built, ...result.skipped.map((entry) => entry.tab)].sort()).toEqual([...TAB_IDS].sort());
    expect(built).toEqual(TAB_IDS.filter((tab) => built.includes(tab)));
    for (const entry of result.skipped) {
      expect(NEWER, entry.tab).toContain(entry.tab);
      expect(entry.reason.length).toBeGreaterThan(10);
    }
    for (const sheet of result.sheets) {
      expect(sheetProblems(sheet), sheet.name).toEqual([]);
      expect(sheet.provenance.generatedAt).toBe(context.generatedAt);
    }
    expect(progress.length).toBeGreaterThanOrEqual(6);
  });

  it("hands the Customer Value tab's CLV to the Segmentation and Budget tabs", () => {
    const result = buildAllTabs(data, {}, context);
    const [segmentation, customerValue, budget] = (["segmentation", "customer-value", "budget"] as const).map((tab) => sheetOf(result, tab));
    const clv = column(customerValue, "CustomerValues", "CLV (next 52 weeks)");
    const shown = column(segmentation, "SegmentCustomers", "CLV");
    expect(shown.size).toBe(clv.size);
    for (const [id, value] of clv) expect(shown.get(id), id).toBe(value);
    const direct = buildCustomerValueTab(data.orders!, {}, context);
    const clvInputs = budget.blocks.flatMap((block) => (block.kind === "cells" ? block.values : [])).filter((row) => String(row[0]).startsWith("CLV of a new customer"));
    expect(clvInputs).toHaveLength(1);
    expect(cellValue(clvInputs[0][1])).toBeCloseTo(direct.newCustomerClv, 9);
  });

  it("skips a tab whose data is missing and says why, in the Scorecard's provenance", () => {
    const result = buildAllTabs({ ...data, touchpoints: null, campaigns: null }, {}, context);
    expect(olderTabs(result)).toEqual(["scorecard", "segmentation", "customer-value", "budget"]);
    const skipped = result.skipped.filter((entry) => !NEWER.includes(entry.tab));
    expect(skipped).toEqual([
      { tab: "attribution", title: "Attribution", reason: "it needs a touchpoint log (customer id, timestamp, channel, conversion), and none was found" },
      { tab: "campaign-kpis", title: "Campaign KPIs", reason: "it needs a campaign table (campaign name and KPI columns), and none was found" },
    ]);
    // The Journey tab reads the same touchpoint log: skipped for the same reason.
    expect(result.skipped.find((entry) => entry.tab === "journey")?.reason).toBe("it needs a touchpoint log (customer id, timestamp, channel, conversion), and none was found");
    // The first tab, the Scorecard, lists every tab not built, in its provenance (cells and HTML alike); the others do not.
    const notes = result.sheets[0].provenance.notes;
    for (const entry of result.skipped) expect(notes).toContain(`Not built in this run: the ${entry.title} tab, because ${entry.reason}.`);
    const cells = result.sheets[0].blocks.flatMap((block) => (block.kind === "cells" ? block.values.flat() : []));
    expect(cells).toContain(notes[notes.length - 1]);
    for (const sheet of result.sheets.slice(1)) expect(sheet.provenance.notes.some((note) => note.startsWith("Not built in this run")), sheet.name).toBe(false);
  });

  it("without a Scorecard, the first tab built lists the tabs not built", () => {
    const result = buildAllTabs({ ...data, touchpoints: null }, { tabs: ["segmentation", "customer-value"] }, context);
    expect(result.sheets.map((sheet) => sheet.tab)).toEqual(["segmentation", "customer-value"]);
    expect(result.skipped).toEqual([]);
    const onlyCampaigns = buildAllTabs({ orders: null, customers: null, touchpoints: null, spend: null, campaigns: data.campaigns }, {}, context);
    expect(onlyCampaigns.sheets.map((sheet) => sheet.tab)).toEqual(["campaign-kpis"]);
    expect(onlyCampaigns.skipped.find((entry) => entry.tab === "scorecard")?.reason).toBe("it needs orders (customer id, order date, order value) or a touchpoint log, and none was found");
    for (const entry of onlyCampaigns.skipped) expect(onlyCampaigns.sheets[0].provenance.notes).toContain(`Not built in this run: the ${entry.title} tab, because ${entry.reason}.`);
  });

  it("refuses a tab asked for by name whose data is missing", () => {
    try {
      buildAllTabs({ ...data, touchpoints: null }, { tabs: ["attribution"] }, context);
      expect.unreachable();
    } catch (error) {
      expect(isEngineError(error, "INVALID_INPUT")).toBe(true);
      expect((error as Error).message).toBe("The Attribution tab needs a touchpoint log (customer id, timestamp, channel, conversion), and none was found");
    }
  });

  it("builds only the tabs asked for, still feeding the Budget tab from the others' analyses", () => {
    const result = buildAllTabs(data, { tabs: ["budget"] }, context);
    expect(result.sheets.map((sheet) => sheet.name)).toEqual(["Budget"]);
    expect(tableNamed(result.sheets[0], "BudgetAllocation")).toBeDefined();
  });

  it("passes liveAllocation to the Budget tab: IMC.ALLOCATE optimal spends with it, the engine's snapshot without (the runner's default)", () => {
    const optimalSpends = (options: { liveAllocation?: boolean }) => {
      const table = tableNamed(buildAllTabs(data, { tabs: ["budget"], ...options }, context).sheets[0], "BudgetAllocation")!;
      return table.rows.map((row) => row[table.headers.indexOf("Optimal spend")]);
    };
    const live = optimalSpends({ liveAllocation: true });
    expect(live.length).toBeGreaterThan(1);
    for (const cell of live) expect(isFormulaCell(cell) && cell.formula.startsWith("INDEX(IMC.ALLOCATE(")).toBe(true);
    for (const options of [{}, { liveAllocation: false }]) expect(optimalSpends(options)).toEqual(live.map(cellValue));
  });
});

/** Orders as builder inputs from [customer, Excel serial, value] rows. */
function ordersOf(rows: readonly (readonly [string, number, number])[]): NonNullable<BusinessData["orders"]> {
  return { source: "Orders!A1:C" + (rows.length + 1), customerIds: rows.map((r) => r[0]), orderDates: rows.map((r) => r[1]), orderValues: rows.map((r) => r[2]) };
}
const only = (orders: BusinessData["orders"]): BusinessData => ({ orders, customers: null, touchpoints: null, campaigns: null, spend: null });
const D = 45_000; // an Excel serial (2023-03-15)

describe("buildAllTabs on data that only half fits", () => {
  it("an orders-only workbook gets Segmentation and Customer Value; Budget is skipped asking for the cost of a customer", () => {
    const result = buildAllTabs({ ...data, touchpoints: null, campaigns: null, spend: null }, { advise: (argument) => (argument === "cac" ? "give it with --cac" : null) }, context);
    expect(olderTabs(result)).toEqual(["scorecard", "segmentation", "customer-value"]);
    const budget = result.skipped.find((entry) => entry.tab === "budget");
    expect(budget?.reason).toBe("there is no marketing spend table, so the cost of acquiring a customer cannot be worked out; give it with --cac");
    expect(result.sheets[0].provenance.notes.some((note) => note.startsWith("Not built in this run: the Budget tab, because there is no marketing spend table"))).toBe(true);
  });

  it("with a cost per customer given, an orders-only workbook gets its Budget tab too", () => {
    const result = buildAllTabs({ ...data, touchpoints: null, campaigns: null, spend: null }, { cac: 40, targetRevenue: 1_000_000 }, context);
    expect(olderTabs(result)).toEqual(["scorecard", "segmentation", "customer-value", "budget"]);
    const budget = sheetOf(result, "budget");
    expect(budget.provenance.notes).toContain("CAC = 40, given (no spend table).");
    expect(budget.provenance.notes.some((note) => note.startsWith("Target revenue = 1,000,000, given"))).toBe(true);
  });

  it("a Budget tab asked for by name without spend or a cost per customer is an error giving the reason", () => {
    const error = (() => {
      try {
        buildAllTabs({ ...data, touchpoints: null, campaigns: null, spend: null }, { tabs: ["budget"] }, context);
      } catch (caught) {
        return caught as Error;
      }
      return null;
    })();
    expect(isEngineError(error, "INVALID_INPUT")).toBe(true);
    expect(error?.message).toBe("The Budget tab cannot be built: there is no marketing spend table, so the cost of acquiring a customer cannot be worked out");
  });

  it("all one-time buyers: Segmentation without a CLV column, and a stated reason for the Customer Value tab", () => {
    const rows = Array.from({ length: 40 }, (_, i) => [`C${i + 1}`, D + i * 3, 20 + i] as const);
    const result = buildAllTabs(only(ordersOf(rows)), {}, context);
    expect(result.sheets[0].name).toBe("Scorecard");
    const segmentation = sheetOf(result, "segmentation");
    expect(tableNamed(segmentation, "SegmentCustomers")!.headers).not.toContain("CLV");
    expect(tableNamed(segmentation, "SegmentCustomers")!.rows).toHaveLength(40);
    const names = result.sheets.map((sheet) => sheet.name);
    if (!names.includes("Customer Value")) {
      const reason = result.skipped.find((entry) => entry.tab === "customer-value")!.reason;
      expect(reason.length).toBeGreaterThan(20);
      expect(segmentation.provenance.notes.some((note) => note.startsWith("No CLV column: no customer value model"))).toBe(true);
      // The Scorecard says CLV is not measured, and why.
      const scorecardText = result.sheets[0].blocks.flatMap((block) => (block.kind === "cells" ? block.values.flat().map(cellValue) : []));
      expect(scorecardText.some((text) => typeof text === "string" && text.startsWith("Not measured: the Customer Value tab was not built"))).toBe(true);
    }
    expect(result.skipped.map((entry) => entry.tab)).toContain("budget");
  });

  it("one customer: the Segmentation tab, and reasons for the rest", () => {
    const result = buildAllTabs(only(ordersOf([["Solo", D, 10], ["Solo", D + 30, 12], ["Solo", D + 61, 9]])), {}, context);
    expect(result.sheets[0].name).toBe("Scorecard");
    expect(tableNamed(sheetOf(result, "segmentation"), "SegmentCustomers")!.rows).toHaveLength(1);
    for (const entry of result.skipped) expect(entry.reason, entry.tab).toMatch(/^[a-z]/);
  });

  it("with --tabs segmentation the purchase model's failure does not cost the Segmentation tab", () => {
    const rows = Array.from({ length: 20 }, (_, i) => [`C${i + 1}`, D + i, 50] as const);
    const result = buildAllTabs(only(ordersOf(rows)), { tabs: ["segmentation"] }, context);
    expect(result.sheets.map((sheet) => sheet.name)).toEqual(["Segmentation"]);
    expect(result.skipped).toEqual([]);
  });
});

describe("the data's currency in every tab", () => {
  it("hands the currency the data names to every tab and says where it came from", () => {
    const withEuro: BusinessData = { ...data, currency: { currency: "€", from: "the number format of Orders column D" } };
    const result = buildAllTabs(withEuro, { tabs: ["segmentation", "campaign-kpis"] }, context);
    for (const sheet of result.sheets) expect(sheet.provenance.notes, sheet.name).toContain("Currency: € (from the number format of Orders column D).");
    expect(withCurrency(context, withEuro, {})).toMatchObject({ currency: "€" });
  });

  it("an option replaces the data's currency; no currency anywhere adds nothing", () => {
    const withEuro: BusinessData = { ...data, currency: { currency: "€", from: "the header of Orders column D" } };
    expect(withCurrency(context, withEuro, { currency: "CHF", currencyGiven: "given with --currency" })).toEqual({
      ...context,
      currency: "CHF",
      notes: ["Currency: CHF (given with --currency)."],
    });
    expect(withCurrency(context, { ...data, currency: undefined }, { currency: null })).toEqual(context);
    const result = buildAllTabs({ ...data, currency: undefined }, { tabs: ["segmentation"] }, context);
    expect(result.sheets[0].provenance.notes.some((note) => note.startsWith("Currency:"))).toBe(false);
  });
});
