// Reading the user's data through the Office adapter, against the recording fake Excel: the
// sources listed, a table with a totals row, a sheet under a title, the selection, number formats
// per column, chunked reads under the budget, cancel.
import { describe, expect, it } from "vitest";
import { createOfficeWorkbook } from "../../src/excel/officeWorkbook";
import { WriteCancelled } from "../../src/excel/workbook";
import { businessDataOf, detectTables, type SheetCells } from "../../src/reports/detect";
import { createFakeExcel, type FakeExcelOptions } from "../support/fakeExcel";
import { sampleSheets } from "../support/reportSheets";

const EURO = '"€"#,##0.00';

/** An Orders table (Excel table "Orders", with a totals row) and a sheet whose headers sit under a title. */
const ORDERS: SheetCells = {
  name: "Orders",
  rows: [
    ["Customer", "Order date", "Amount"],
    ["C1", 45000, 12.5],
    ["C2", 45001, 20],
    ["C1", 45030, 7.25],
    ["Total", "", 39.75],
  ],
  numberFormats: ["@", "yyyy-mm-dd", EURO],
  tables: [{ name: "OrdersTable", ref: "A1:C5", headerRowCount: 1, totalsRowCount: 1 }],
};

const TITLED: SheetCells = {
  name: "Spend",
  firstRow: 1,
  rows: [["Marketing spend 2024 (exported 3 Jan)"], [], ["Month", "Channel", "Spend"], [45292, "Search", 1200], [45323, "Social", 800.5]],
};

function setUp(options: FakeExcelOptions = {}) {
  const fake = createFakeExcel({ sheets: [ORDERS, TITLED], ...options });
  return { fake, port: createOfficeWorkbook(fake.Excel, { isSetSupported: fake.isSetSupported }) };
}

/** Sets number formats of a range in the fake through the API (as a user's formatting would be). */
async function formatRange(fake: ReturnType<typeof createFakeExcel>, sheet: string, address: string, formats: string[][]): Promise<void> {
  await fake.Excel.run(async (context) => {
    context.workbook.worksheets.getItem(sheet).getRange(address).numberFormat = formats;
    await context.sync();
  });
}

describe("listSources", () => {
  it("lists Excel tables (header texts, data rows without header and totals) and every non-empty sheet", async () => {
    const { port } = setUp({ sheets: [ORDERS, TITLED, { name: "Empty", rows: [] }] });
    const sources = await port.listSources();
    expect(sources).toEqual([
      { ref: { kind: "table", table: "OrdersTable" }, label: "OrdersTable", sheet: "Orders", address: "Orders!A1:C5", rowCount: 3, columnCount: 3, headers: ["Customer", "Order date", "Amount"] },
      { ref: { kind: "sheet", sheet: "Orders" }, label: "Orders", sheet: "Orders", address: "Orders!A1:C5", rowCount: 5, columnCount: 3, headers: ["Customer", "Order date", "Amount"] },
      { ref: { kind: "sheet", sheet: "Spend" }, label: "Spend", sheet: "Spend", address: "Spend!A1:C5", rowCount: 5, columnCount: 3, headers: ["Marketing spend 2024 (exported 3 Jan)"] },
    ]);
  });

  it("queues its loads and needs three syncs whatever the number of sheets", async () => {
    const sheets = Array.from({ length: 12 }, (_, i) => ({ name: `S${i}`, rows: [["a", "b"], [1, 2]] }));
    const { fake, port } = setUp({ sheets });
    await port.listSources();
    expect(fake.syncs.length).toBe(3);
  });
});

describe("readSource", () => {
  it("reads an Excel table with its header and totals row, the totals flagged for detection", async () => {
    const { port } = setUp();
    const cells = await port.readSource({ kind: "table", table: "OrdersTable" });
    expect(cells).toEqual({
      name: "Orders",
      rows: ORDERS.rows,
      firstRow: 1,
      firstColumn: 0,
      tables: [{ name: "OrdersTable", ref: "A1:C5", headerRowCount: 1, totalsRowCount: 1 }],
      numberFormats: ["@", "yyyy-mm-dd", EURO],
    });
    // Detection leaves the totals row out: three orders.
    const data = businessDataOf([cells], detectTables([cells]));
    expect(data.orders?.customerIds.length).toBe(3);
  });

  it("reads a sheet under a title row: the formats come from the data under the headers, not from the header cells", async () => {
    const { fake, port } = setUp();
    await formatRange(fake, "Spend", "A3:C5", [["@", "@", "@"], ["mmm yyyy", "General", "#,##0.00"], ["mmm yyyy", "General", "#,##0.00"]]);
    const cells = await port.readSource({ kind: "sheet", sheet: "Spend" });
    expect(cells.rows).toEqual([["Marketing spend 2024 (exported 3 Jan)", "", ""], ["", "", ""], ["Month", "Channel", "Spend"], [45292, "Search", 1200], [45323, "Social", 800.5]]);
    expect(cells.firstRow).toBe(1);
    expect(cells.numberFormats).toEqual(["mmm yyyy", "General", "#,##0.00"]);
    expect(cells.tables).toEqual([]);
  });

  it("takes a column's format from its first non-blank data cell", async () => {
    const { fake, port } = setUp({ sheets: [{ name: "Data", rows: [["Customer", "Amount"], ["C1", ""], ["C2", 5]] }] });
    await formatRange(fake, "Data", "B2:B3", [["0.0%"], [EURO]]);
    const cells = await port.readSource({ kind: "sheet", sheet: "Data" });
    expect(cells.numberFormats).toEqual(["General", EURO]);
  });

  it("reads the selection with where it starts", async () => {
    const { port } = setUp({ selection: { sheet: "Orders", address: "B2:C4" } });
    const cells = await port.readSource({ kind: "selection" });
    expect(cells).toMatchObject({ name: "Orders", rows: [[45000, 12.5], [45001, 20], [45030, 7.25]], firstRow: 2, firstColumn: 1, tables: [] });
    expect(cells.numberFormats).toEqual(["yyyy-mm-dd", EURO]);
  });

  it("cuts a selection of whole columns to the used range", async () => {
    const { port } = setUp({ selection: { sheet: "Orders", address: "B:C" } });
    const cells = await port.readSource({ kind: "selection" });
    expect(cells).toMatchObject({ name: "Orders", firstRow: 1, firstColumn: 1, rows: ORDERS.rows.map((row) => row.slice(1)) });
  });

  it("reads an empty sheet as no rows", async () => {
    const { port } = setUp({ sheets: [ORDERS, { name: "Empty", rows: [] }] });
    expect((await port.readSource({ kind: "sheet", sheet: "Empty" })).rows).toEqual([]);
  });

  it("rejects with Excel's error for a table that does not exist", async () => {
    const { port } = setUp();
    await expect(port.readSource({ kind: "table", table: "Nope" })).rejects.toMatchObject({ code: "ItemNotFound" });
  });

  it("reads a large sheet in row chunks whose responses stay under the budget, with progress", async () => {
    const rows: unknown[][] = [["Customer", "Order date", "Amount", "Channel", "Note"]];
    for (let r = 0; r < 12_000; r++) rows.push([`C${r}`, 45000 + (r % 365), (r * 37) % 1000, r % 2 === 0 ? "Search" : "Social", `order number ${r}`]);
    const fake = createFakeExcel({ sheets: [{ name: "Big", rows }] });
    const budget = 64 * 1024;
    const port = createOfficeWorkbook(fake.Excel, { isSetSupported: fake.isSetSupported, requestBudgetBytes: budget });
    const progress: number[] = [];

    const cells = await port.readSource({ kind: "sheet", sheet: "Big" }, { onProgress: (done) => progress.push(done) });

    expect(cells.rows).toEqual(rows);
    const responses = fake.syncs.map((sync) => sync.responseBytes);
    const total = responses.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(8 * budget);
    expect(responses.length).toBeGreaterThanOrEqual(Math.ceil(total / budget));
    // The first chunk's height is a guess (40 bytes a cell); later ones follow the measured size.
    expect(Math.max(...responses.slice(3))).toBeLessThanOrEqual(budget * 1.1);
    expect(progress.at(-1)).toBe(1);
  });

  it("never asks for more than 5,000 rows at once", async () => {
    const rows = Array.from({ length: 12_001 }, (_, r) => [r]);
    const { fake, port } = setUp({ sheets: [{ name: "Ids", rows }] });
    await port.readSource({ kind: "sheet", sheet: "Ids" });
    const loads = fake.calls.filter((call) => call.kind === "load" && (call.args as string[]).includes("values"));
    expect(loads.map((call) => /getRange\((.*)\)/.exec(call.target)?.[1])).toEqual(["A1:A5000", "A5001:A10000", "A10001:A12001"]);
  });

  it("cancel between chunks rejects with WriteCancelled", async () => {
    const rows = Array.from({ length: 20_000 }, (_, r) => [r, `row ${r}`]);
    const { port } = setUp({ sheets: [{ name: "Ids", rows }] });
    const controller = new AbortController();
    const read = port.readSource({ kind: "sheet", sheet: "Ids" }, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(read).rejects.toBeInstanceOf(WriteCancelled);
  });
});

describe("activateSheet", () => {
  it("activates a sheet by name", async () => {
    const { fake, port } = setUp();
    await port.activateSheet("Spend");
    expect(fake.activeSheet()).toBe("Spend");
  });
});

describe("deleteSheets", () => {
  const four = () => {
    const fake = createFakeExcel({ sheets: ["Orders", "Segmentation", "Customer Value", "Attribution"].map((name) => ({ name, rows: [["x"]] })) });
    return { fake, port: createOfficeWorkbook(fake.Excel, { isSetSupported: fake.isSetSupported }) };
  };

  it("deletes the named sheets in one batch and passes over a name no longer there", async () => {
    const { fake, port } = four();
    const syncs = fake.syncs.length;
    await port.deleteSheets(["Segmentation", "No such sheet", "Attribution"]);
    expect(fake.sheetNames()).toEqual(["Orders", "Customer Value"]);
    expect(fake.calls.filter((call) => call.member === "delete").map((call) => call.target)).toEqual([
      expect.stringContaining("Segmentation"),
      expect.stringContaining("Attribution"),
    ]);
    expect(fake.syncs.length - syncs).toBe(2);
    expect(fake.runs).toBe(1);
  });

  it("does nothing for an empty list", async () => {
    const { fake, port } = four();
    await port.deleteSheets([]);
    expect(fake.runs).toBe(0);
    expect(fake.sheetNames()).toHaveLength(4);
  });
});

describe("the wizards' flow on the sample workbook", () => {
  it("lists the five sample tables, reads each, and detection gets the same data as from the tables themselves", async () => {
    const sheets = sampleSheets(300);
    const fake = createFakeExcel({ sheets });
    const port = createOfficeWorkbook(fake.Excel, { isSetSupported: fake.isSetSupported });

    const tables = (await port.listSources()).filter((source) => source.ref.kind === "table");
    expect(tables.map((source) => source.label)).toEqual(sheets.map((sheet) => sheet.name));
    const read = await Promise.all(tables.map((source) => port.readSource(source.ref)));

    const direct = businessDataOf(sheets, detectTables(sheets));
    const viaExcel = businessDataOf(read, detectTables(read));
    expect(viaExcel.orders?.customerIds).toEqual(direct.orders?.customerIds);
    expect(viaExcel.orders?.orderDates).toEqual(direct.orders?.orderDates);
    expect(viaExcel.orders?.orderValues).toEqual(direct.orders?.orderValues);
    expect(viaExcel.touchpoints?.channels).toEqual(direct.touchpoints?.channels);
    expect(viaExcel.spend?.amounts).toEqual(direct.spend?.amounts);
    expect([direct.orders, direct.touchpoints, direct.spend].every((table) => table !== null)).toBe(true);
    expect(read[0].numberFormats).toEqual(sheets[0].numberFormats);
  });
});
