/** The wizards' pipeline: headline numbers of a tab, tables as the data step shows them. */
import { describe, expect, it } from "vitest";
import { isFormulaCell, tableNamed, type ReportSheet } from "../../src/reports/sheet";
import { build, headlinesOf, inspect } from "../../src/taskpane/worker/pipeline";
import { paneThemeOf } from "../../src/taskpane/theme";
import { sampleSheets } from "./fakeWorkbook";

function sheetOf(blocks: ReportSheet["blocks"]): ReportSheet {
  return { name: "T", blocks, columnWidths: [], freeze: { rows: 0, columns: 0 }, conditionalFormats: [], charts: [], provenance: { sources: [], options: [], generatedAt: "", notes: [] } };
}

describe("headlinesOf", () => {
  it("reads the rows under At a glance with their number formats, and stops at the first blank row", () => {
    const sheet = sheetOf([
      { kind: "cells", row: 0, column: 0, values: [["Title"]], style: "title" },
      { kind: "cells", row: 2, column: 0, values: [["At a glance"]], style: "heading" },
      { kind: "cells", row: 3, column: 0, values: [["Total CLV", { formula: "SUM(B10:B20)", value: 24432.9 }, "what customers will spend"]], numberFormats: [null, "#,##0", null] },
      { kind: "cells", row: 4, column: 0, values: [["Top 10% share", 0.3996, "of the value to come"]], numberFormats: [null, "0.0%", null] },
      { kind: "cells", row: 6, column: 0, values: [["Not a headline", 1]] },
    ]);
    expect(headlinesOf(sheet)).toEqual([
      { label: "Total CLV", value: "24,433", sentence: "what customers will spend" },
      { label: "Top 10% share", value: "40.0%", sentence: "of the value to come" },
    ]);
  });

  it("without a headline section takes the label | number rows under the subtitle, never a table's rows", () => {
    const withRows = sheetOf([
      { kind: "cells", row: 0, column: 0, values: [["Title"]], style: "title" },
      { kind: "cells", row: 1, column: 0, values: [["Subtitle"]], style: "subtitle" },
      { kind: "cells", row: 3, column: 0, values: [["Total spend", 1274.64], ["Blended ROAS", 2.25]], numberFormats: [null, "#,##0.00"] },
      { kind: "cells", row: 3, column: 3, values: [["Across 30 campaigns"]] },
    ]);
    expect(headlinesOf(withRows)).toEqual([
      { label: "Total spend", value: "1,274.64", sentence: "Across 30 campaigns" },
      { label: "Blended ROAS", value: "2.25", sentence: "" },
    ]);
    const tableOnly = sheetOf([
      { kind: "cells", row: 1, column: 0, values: [["Subtitle"]], style: "subtitle" },
      { kind: "table", name: "Summary", row: 3, column: 0, headers: ["Segment", "Customers"], rows: [["Champions", 21]] },
    ]);
    expect(headlinesOf(tableOnly)).toEqual([]);
  });
});

describe("inspect", () => {
  it("counts rows read, skipped (blank, total) and refused, with the first reasons by Excel row and header", () => {
    const rows = [
      ["Sales export"],
      [],
      ["Client", "Purchase date", "Amount"],
      ["A", "2024-01-05", 10],
      ["B", "tomorrow", 20],
      [],
      ["C", "2024-02-01", "n/a"],
      ["Total", null, 30],
    ];
    const found = inspect({ sheets: [{ name: "Orders", rows }], overrides: {}, reading: {} });
    const orders = found.tables.find((table) => table.kind === "orders")!;
    expect(orders.roles.filter((role) => role.required).map((role) => [role.role, orders.headers[role.column!]])).toEqual([
      ["customerId", "Client"],
      ["orderDate", "Purchase date"],
      ["orderValue", "Amount"],
    ]);
    expect(orders.rowsRead).toBe(3);
    expect(orders.rowsSkipped).toBe(2);
    expect(orders.rowsRefused).toBe(2);
    expect(orders.reasons[0]).toMatch(/^row 5, Purchase date: "tomorrow" is not a date/);
    expect(orders.reasons[1]).toMatch(/^row 7, Amount: /);
    expect(orders.preview.rows[0]).toEqual(["A", "2024-01-05", "10"]);
    expect(found.missing.map((entry) => entry.kind)).toEqual(["customers", "touchpoints", "campaigns", "spend", "leads", "leadEvents", "survey", "referrals", "experiments", "stages"]);
  });

  it("reports a column given that does not exist instead of failing", () => {
    const found = inspect({ sheets: [{ name: "Orders", rows: [["customer_id", "order_date", "order_value"], ["a", 45300, 5]] }], overrides: { columns: { orders: { orderValue: "Price" } } }, reading: {} });
    expect(found.error).toMatch(/has no column "Price"/);
  });
});

describe("paneThemeOf", () => {
  it("is dark on Office's dark backgrounds and light otherwise", () => {
    expect(paneThemeOf({ bodyBackgroundColor: "#262626" })).toBe("dark");
    expect(paneThemeOf({ bodyBackgroundColor: "#1f1f1f" })).toBe("dark");
    expect(paneThemeOf({ bodyBackgroundColor: "#FFFFFF" })).toBe("light");
    expect(paneThemeOf({ bodyBackgroundColor: "#e6e6e6" })).toBe("light");
    expect(paneThemeOf(undefined)).toBe("light");
    expect(paneThemeOf({ bodyBackgroundColor: "not a colour" })).toBe("light");
  });
});

describe("build", () => {
  it("writes the Budget tab's optimal spends as live IMC.ALLOCATE formulas (the add-in's functions are present in the workbook)", () => {
    const result = build({ sheets: sampleSheets(), overrides: {}, reading: {}, options: {}, generatedAt: "2026-12-06T05:00:00.000Z", tabs: ["budget"] });
    const table = tableNamed(result.tabs[0], "BudgetAllocation")!;
    const spends = table.rows.map((row) => row[table.headers.indexOf("Optimal spend")]);
    expect(spends.length).toBeGreaterThan(1);
    for (const cell of spends) expect(isFormulaCell(cell) ? cell.formula : cell).toMatch(/^INDEX\(IMC\.ALLOCATE\(\$B\$\d+,\$A\$\d+:\$A\$\d+,/);
  });
});
