// The recording fake Excel behaves like Excel where the adapter's tests rely on it: proxy
// semantics (nothing readable before load + sync), null cells left alone, size checks, refusals of
// newer APIs, a failed action dropping the rest of its request, and every sync measured.
import { describe, expect, it } from "vitest";
import { createFakeExcel, installFakeExcel } from "../support/fakeExcel";

const SHEETS = [{ name: "Data", rows: [["a", "b"], [1, 2]] }];

describe("fake Excel", () => {
  it("refuses to read a property before load and sync, like office.js", async () => {
    const fake = createFakeExcel({ sheets: SHEETS });
    await fake.Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem("Data").getRange("A1:B2");
      expect(() => range.values).toThrow(/not available/);
      range.load("values");
      expect(() => range.values).toThrow(/not available/);
      await context.sync();
      expect(range.values).toEqual([["a", "b"], [1, 2]]);
    });
  });

  it("applies writes only at sync, and leaves cells given as null unchanged", async () => {
    const fake = createFakeExcel({ sheets: SHEETS });
    await fake.Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Data").getRange("A2:B2").values = [[null as unknown as string, 5]];
      expect(fake.cell("Data", 1, 1)?.value).toBe(2);
      await context.sync();
    });
    expect(fake.cell("Data", 1, 0)?.value).toBe(1);
    expect(fake.cell("Data", 1, 1)?.value).toBe(5);
  });

  it("reads typed input as Excel does: numbers and ISO dates from text, an apostrophe keeps text", async () => {
    const fake = createFakeExcel({ sheets: SHEETS });
    await fake.Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Data").getRange("A3:D3").formulas = [["00123", "2024-03", "'2024-03", "=A1"]];
      await context.sync();
    });
    expect([0, 1, 2].map((c) => fake.cell("Data", 2, c)?.value)).toEqual([123, 45352, "2024-03"]);
    expect(fake.cell("Data", 2, 3)?.formula).toBe("=A1");
  });

  it("rejects an array whose size differs from the range's", async () => {
    const fake = createFakeExcel({ sheets: SHEETS });
    const write = fake.Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Data").getRange("A1:B2").values = [[1, 2]];
      await context.sync();
    });
    await expect(write).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  it("refuses members newer than its ExcelApi version at sync (ApiNotFound) and says so in isSetSupported", async () => {
    const fake = createFakeExcel({ sheets: SHEETS, apiVersion: "1.6" });
    expect(fake.isSetSupported("ExcelApi", "1.6")).toBe(true);
    expect(fake.isSetSupported("ExcelApi", "1.7")).toBe(false);
    const write = fake.Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Data").tabColor = "#FF0000";
      await context.sync();
    });
    await expect(write).rejects.toMatchObject({ code: "ApiNotFound" });
  });

  it("a failing action rejects the sync; the actions before it stay, the ones after are dropped", async () => {
    const fake = createFakeExcel({ sheets: SHEETS });
    const write = fake.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem("Data");
      sheet.getRange("C1").values = [["before"]];
      context.workbook.worksheets.getItem("Missing").getRange("A1").values = [["x"]];
      sheet.getRange("D1").values = [["after"]];
      await context.sync();
    });
    await expect(write).rejects.toMatchObject({ code: "ItemNotFound" });
    expect(fake.cell("Data", 0, 2)?.value).toBe("before");
    expect(fake.cell("Data", 0, 3)).toBeUndefined();
    expect(fake.syncs.at(-1)?.error).toMatch(/Missing/);
  });

  it("never overwrites: adding a sheet whose name exists (any case) fails", async () => {
    const fake = createFakeExcel({ sheets: SHEETS });
    const add = fake.Excel.run(async (context) => {
      context.workbook.worksheets.add("DATA");
      await context.sync();
    });
    await expect(add).rejects.toMatchObject({ code: "ItemAlreadyExists" });
  });

  it("measures each sync's request as the UTF-8 JSON of its actions and loads", async () => {
    const fake = createFakeExcel({ sheets: SHEETS });
    const text = "é".repeat(1000);
    await fake.Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Data").getRange("A5").values = [[text]];
      await context.sync();
    });
    expect(fake.syncs[0].requestBytes).toBeGreaterThan(2000); // two bytes a character
    expect(fake.syncs[0].requestBytes).toBeLessThan(2300);
    expect(fake.calls[0]).toMatchObject({ target: "workbook.worksheets.getItem(Data).getRange(A5)", member: "values", kind: "set", sync: 0 });
  });

  it("installs itself as window.Excel and window.fakeExcel for a browser page", () => {
    const page: Record<string, unknown> = { Office: { context: {} } };
    const fake = installFakeExcel(page, { sheets: SHEETS, apiVersion: "1.8" });
    expect(page.Excel).toBe(fake.Excel);
    expect(page.fakeExcel).toBe(fake);
    const requirements = (page.Office as { context: { requirements: { isSetSupported: (s: string, v: string) => boolean } } }).context.requirements;
    expect(requirements.isSetSupported("ExcelApi", "1.8")).toBe(true);
    expect(requirements.isSetSupported("ExcelApi", "1.9")).toBe(false);
  });
});
