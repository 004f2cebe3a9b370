// Finding the business's tables in a workbook by sheet names and headers, with overrides.
import { describe, expect, it } from "vitest";
import { isEngineError } from "../../src/engine/errors";
import { businessDataOf, currencyOfNumberFormat, detectTables, normaliseName, type SheetCells } from "../../src/reports/detect";

const orders: SheetCells = {
  name: "Sales 2025",
  rows: [
    ["Order ID", "Client", "Invoice Date", "Amount"],
    ["O1", "C1", 45000, 10],
    ["O2", "C2", 45001, 20],
  ],
};
const log: SheetCells = {
  name: "Data",
  rows: [
    ["customer_id", "timestamp", "channel", "conversion_value"],
    ["C1", 45000.5, "Email", 0],
    ["C1", 45000.6, "", 10],
  ],
};
const customers: SheetCells = {
  name: "People",
  rows: [
    ["Customer ID", "Name", "E-mail", "Age band", "Region", "Notes"],
    ["C1", "Ann Lee", "ann@example.com", "25-34", "North", "x"],
  ],
};
const campaigns: SheetCells = {
  name: "Q1",
  rows: [
    ["Campaign", "Channel", "Sent", "Unique opens", "Unique clicks", "Spend"],
    ["Spring", "Email", 1000, 200, 30, 50],
  ],
};
const spend: SheetCells = {
  name: "Media",
  rows: [
    ["Month", "Channel", "Cost"],
    [45000, "Email", 100],
  ],
};
const notes: SheetCells = { name: "Notes", rows: [["Anything"], ["else"]] };

describe("detectTables", () => {
  it("finds every kind of table by its headers whatever the sheet names", () => {
    const found = detectTables([notes, campaigns, spend, customers, log, orders]);
    expect(found.orders).toMatchObject({ sheet: "Sales 2025", columns: { customerId: 1, orderDate: 2, orderValue: 3 } });
    expect(found.touchpoints).toMatchObject({ sheet: "Data", columns: { customerId: 0, timestamp: 1, channel: 2, conversion: 3 } });
    expect(found.customers?.sheet).toBe("People");
    expect(found.campaigns?.sheet).toBe("Q1");
    expect(found.spend).toMatchObject({ sheet: "Media", columns: { channel: 1, spend: 2, period: 0 } });
  });

  it("never takes a touchpoint log for orders, nor a campaign table for spend", () => {
    const found = detectTables([log, campaigns]);
    expect(found.orders).toBeUndefined();
    expect(found.touchpoints?.sheet).toBe("Data");
    expect(found.spend).toBeUndefined();
    expect(found.campaigns?.sheet).toBe("Q1");
  });

  it("prefers a sheet named for the kind when two sheets fit", () => {
    const other = { ...orders, name: "Archive" };
    const named = { ...orders, name: "Orders" };
    expect(detectTables([other, named]).orders?.sheet).toBe("Orders");
    expect(detectTables([other, named]).orders?.how).toBe("sheet name and headers");
  });

  it("uses the sheet and columns the caller names", () => {
    const odd: SheetCells = { name: "X", rows: [["who", "when", "how much", "channel"], ["C1", 45000, 5, "Email"]] };
    const found = detectTables([odd], { sheets: { orders: "x" }, columns: { orders: { customerId: "Who", orderDate: "When", orderValue: "How much" } } });
    expect(found.orders).toMatchObject({ sheet: "X", how: "given", columns: { customerId: 0, orderDate: 1, orderValue: 2 } });
  });

  it("says which sheet or column is missing when a given one does not exist", () => {
    expect(() => detectTables([orders], { sheets: { orders: "Nope" } })).toThrow(/no sheet "Nope".*Sales 2025/);
    try {
      detectTables([orders], { sheets: { orders: "Sales 2025" }, columns: { orders: { orderValue: "Net" } } });
      expect.unreachable();
    } catch (error) {
      expect(isEngineError(error, "INVALID_INPUT")).toBe(true);
      expect((error as Error).message).toMatch(/no column "Net" \(headers in row 1: Order ID, Client, Invoice Date, Amount\)/);
    }
    expect(() => detectTables([notes], { sheets: { touchpoints: "Notes" } })).toThrow(/does not look like touchpoints: it needs customer id, timestamp, channel/);
  });

  it("ignores sheets with a header row only", () => {
    expect(detectTables([{ name: "Orders", rows: [orders.rows[0]] }]).orders).toBeUndefined();
  });
});

describe("businessDataOf", () => {
  it("hands the builders the columns found, with a source range and PII and demographic flags", () => {
    const sheets = [orders, customers, log, spend, campaigns];
    const data = businessDataOf(sheets, detectTables(sheets));
    expect(data.orders).toEqual({ source: "'Sales 2025'!A1:D3", customerIds: ["C1", "C2"], orderDates: [45000, 45001], orderValues: [10, 20], readingNotes: [] });
    expect(data.touchpoints?.channels).toEqual(["Email", ""]);
    expect(data.spend?.periods).toEqual([45000]);
    expect(data.campaigns?.table).toEqual(campaigns.rows);
    expect(data.customers?.columns.map((c) => [c.header, c.pii, c.demographic])).toEqual([
      ["Name", true, false],
      ["E-mail", true, false],
      ["Age band", false, true],
      ["Region", false, true],
      ["Notes", false, false],
    ]);
  });

  it("names the range where the table really is when it does not start at A1", () => {
    const placed = { ...orders, name: "Orders", firstRow: 4, firstColumn: 2 };
    expect(businessDataOf([placed], detectTables([placed])).orders?.source).toBe("Orders!C4:F6");
  });

  it("leaves out what was not found", () => {
    const data = businessDataOf([orders], detectTables([orders]));
    expect(data.touchpoints).toBeNull();
    expect(data.customers).toBeNull();
  });
});

it("normaliseName compares headers by letters and digits only", () => {
  expect(normaliseName(" Order_Date ")).toBe("orderdate");
  expect(normaliseName("E-mail")).toBe("email");
  expect(normaliseName(null)).toBe("");
});

describe("the data's currency", () => {
  it("reads the currency an Excel number format shows", () => {
    expect(currencyOfNumberFormat("[$€-x-euro2] #,##0.00")).toBe("€");
    expect(currencyOfNumberFormat("[$€-407] #,##0.00;-[$€-407] #,##0.00")).toBe("€");
    expect(currencyOfNumberFormat("[$$-409]#,##0.00")).toBe("$");
    expect(currencyOfNumberFormat("[$EUR] #,##0")).toBe("EUR");
    expect(currencyOfNumberFormat("#,##0.00 [$CHF-100C]")).toBe("CHF");
    expect(currencyOfNumberFormat('"€"#,##0.00')).toBe("€");
    expect(currencyOfNumberFormat('#,##0 "CHF";-#,##0 "CHF"')).toBe("CHF");
    expect(currencyOfNumberFormat("\\£#,##0.00")).toBe("£");
    expect(currencyOfNumberFormat("$#,##0_);($#,##0)")).toBe("$");
    expect(currencyOfNumberFormat('_("$"* #,##0.00_);_("$"* \\(#,##0.00\\);_("$"* "-"??_);_(@_)')).toBe("$");
    expect(currencyOfNumberFormat("#,##0.00 €")).toBe("€");
  });

  it("finds none in formats without a currency", () => {
    for (const format of ["General", "#,##0.00", "0.0%", "yyyy-mm-dd", "[$-409]mmmm d, yyyy", '#,##0 "units"', "@", null, undefined]) {
      expect(currencyOfNumberFormat(format), String(format)).toBeUndefined();
    }
  });

  const euroOrders = (header: string, cells: readonly unknown[], format: string | null): SheetCells => ({
    name: "Orders",
    rows: [["Customer", "Order date", header], ...cells.map((cell, i) => [`C${i % 2}`, 45000 + i, cell])],
    numberFormats: [null, "yyyy-mm-dd", format],
  });

  it("takes it from the value header, then the cells' number format, then the money text, and says where", () => {
    const fromFormat = euroOrders("Amount", [10, 20, 30], '"€"#,##0.00');
    expect(businessDataOf([fromFormat], detectTables([fromFormat])).currency).toEqual({ currency: "€", from: "the number format of Orders column C" });
    const fromHeader = euroOrders("Amount (CHF)", [10, 20, 30], '"€"#,##0.00');
    expect(businessDataOf([fromHeader], detectTables([fromHeader])).currency).toEqual({ currency: "CHF", from: "the header of Orders column C" });
    const fromText = euroOrders("Amount", ["£10.50", "£20.00", "£1,030.10"], "General");
    const data = businessDataOf([fromText], detectTables([fromText]));
    expect(data.currency).toEqual({ currency: "£", from: "the amounts written in Orders column C" });
    expect(data.orders?.currency).toBe("£");
    const none = euroOrders("Amount", [10, 20, 30], "#,##0.00");
    expect(businessDataOf([none], detectTables([none])).currency).toBeUndefined();
  });

  it("falls back to the spend amounts when the orders name no currency", () => {
    const plain = euroOrders("Amount", [10, 20, 30], "#,##0.00");
    const spend: SheetCells = { name: "Spend", rows: [["Month", "Channel", "Spend"], [45000, "Email", 100], [45031, "Email", 120]], numberFormats: ["yyyy-mm", null, "[$USD] #,##0"] };
    expect(businessDataOf([plain, spend], detectTables([plain, spend])).currency).toEqual({ currency: "USD", from: "the number format of Spend column C" });
  });
});
