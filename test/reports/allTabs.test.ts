// Every tab from one business's data: order, hand-offs between tabs, skipped and requested tabs.
import { beforeAll, describe, expect, it } from "vitest";
import { isEngineError } from "../../src/engine/errors";
import { buildAllTabs } from "../../src/reports/allTabs";
import { buildCustomerValueTab } from "../../src/reports/customerValue";
import { businessDataOf, detectTables, type BusinessData } from "../../src/reports/detect";
import { cellValue, sheetProblems, tableNamed, type ReportSheet } from "../../src/reports/sheet";
import { generateSampleBusiness } from "../../src/sample/business";

const context = { generatedAt: "2026-11-23T08:00:00.000Z" };
let data: BusinessData;

beforeAll(() => {
  const business = generateSampleBusiness({ customers: 1200, seed: 7 });
  const sheets = business.tables.map((table) => ({ name: table.name, rows: [table.headers, ...table.rows] }));
  data = businessDataOf(sheets, detectTables(sheets));
});

function column(sheet: ReportSheet, table: string, header: string): Map<string, unknown> {
  const block = tableNamed(sheet, table)!;
  const index = block.headers.indexOf(header);
  expect(index, `${table} has ${header}`).toBeGreaterThanOrEqual(0);
  return new Map(block.rows.map((row) => [String(cellValue(row[0])), cellValue(row[index])]));
}

describe("buildAllTabs", () => {
  it("builds the five tabs in the order of the IMC steps, each well formed", () => {
    const progress: string[] = [];
    const result = buildAllTabs(data, {}, context, (message) => progress.push(message));
    expect(result.sheets.map((sheet) => sheet.name)).toEqual(["Segmentation", "Customer Value", "Attribution", "Campaign KPIs", "Budget"]);
    expect(result.skipped).toEqual([]);
    for (const sheet of result.sheets) {
      expect(sheetProblems(sheet), sheet.name).toEqual([]);
      expect(sheet.provenance.generatedAt).toBe(context.generatedAt);
    }
    expect(progress.length).toBeGreaterThanOrEqual(5);
  });

  it("hands the Customer Value tab's CLV to the Segmentation and Budget tabs", () => {
    const [segmentation, customerValue, , , budget] = buildAllTabs(data, {}, context).sheets;
    const clv = column(customerValue, "CustomerValues", "CLV");
    const shown = column(segmentation, "SegmentCustomers", "CLV");
    expect(shown.size).toBe(clv.size);
    for (const [id, value] of clv) expect(shown.get(id), id).toBe(value);
    const direct = buildCustomerValueTab(data.orders!, {}, context);
    const clvInputs = budget.blocks.flatMap((block) => (block.kind === "cells" ? block.values : [])).filter((row) => String(row[0]).startsWith("CLV of a new customer"));
    expect(clvInputs).toHaveLength(1);
    expect(cellValue(clvInputs[0][1])).toBeCloseTo(direct.newCustomerClv, 9);
  });

  it("skips a tab whose data is missing and says why", () => {
    const result = buildAllTabs({ ...data, touchpoints: null, campaigns: null }, {}, context);
    expect(result.sheets.map((sheet) => sheet.name)).toEqual(["Segmentation", "Customer Value", "Budget"]);
    expect(result.skipped).toEqual([
      { tab: "attribution", reason: "needs a touchpoint log (customer id, timestamp, channel, conversion); none was found" },
      { tab: "campaign-kpis", reason: "needs a campaign table (campaign name and KPI columns); none was found" },
    ]);
  });

  it("refuses a tab asked for by name whose data is missing", () => {
    try {
      buildAllTabs({ ...data, touchpoints: null }, { tabs: ["attribution"] }, context);
      expect.unreachable();
    } catch (error) {
      expect(isEngineError(error, "INVALID_INPUT")).toBe(true);
      expect((error as Error).message).toBe("The attribution tab needs a touchpoint log (customer id, timestamp, channel, conversion), and none was found");
    }
  });

  it("builds only the tabs asked for, still feeding the Budget tab from the others' analyses", () => {
    const result = buildAllTabs(data, { tabs: ["budget"] }, context);
    expect(result.sheets.map((sheet) => sheet.name)).toEqual(["Budget"]);
    expect(tableNamed(result.sheets[0], "BudgetAllocation")).toBeDefined();
  });
});
