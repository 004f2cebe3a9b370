// The adapter's reads against office-addin-mock (Microsoft's mock of the Office object model): it
// refuses to read a property that was not loaded and synced, so these tests check that the adapter
// loads before it reads and uses the real member names (`getSelectedRange`, `worksheets.getItem`,
// `getRange`, `getIntersectionOrNullObject`, `getUsedRange`, `values`, `numberFormat`, `address`,
// `activate`). The `mock*` keys are the test's
// storage, not Excel API members; the adapter never reads them.
import { describe, expect, it } from "vitest";
import { OfficeMockObject } from "office-addin-mock";
import { createOfficeWorkbook } from "../../src/excel/officeWorkbook";

function excelMock() {
  const data = {
    context: {
      workbook: {
        mockSelection: {
          // What the adapter reads: the selection cut to the used range.
          mockIntersection: { address: "'Q3 Orders'!B2:C3", isNullObject: false },
          mockUsedRange: { address: "'Q3 Orders'!A1:C3" },
          worksheet: {
            getUsedRange(this: { mockUsedRange: unknown }) {
              return this.mockUsedRange;
            },
            mockUsedRange: { address: "'Q3 Orders'!A1:C3" },
          },
          getIntersectionOrNullObject(this: { mockIntersection: unknown }) {
            return this.mockIntersection;
          },
        },
        getSelectedRange(this: { mockSelection: unknown }) {
          return this.mockSelection;
        },
        worksheets: {
          mockOrders: {
            mockActivated: false,
            mockBlock: {
              values: [
                [45000, 12.5],
                [45001, 20],
              ],
              numberFormat: [
                ["yyyy-mm-dd", '"€"#,##0.00'],
                ["yyyy-mm-dd", '"€"#,##0.00'],
              ],
            },
            getRange(this: { mockBlock: unknown }, address: string) {
              if (address !== "B2:C3") throw new Error(`mock: only B2:C3 is modelled, got ${address}`);
              return this.mockBlock;
            },
            activate(this: { mockActivated: boolean }) {
              this.mockActivated = true;
            },
          },
          getItem(this: { mockOrders: unknown }, name: string) {
            if (name !== "Q3 Orders") throw new Error(`mock: no sheet ${name}`);
            return this.mockOrders;
          },
        },
      },
    },
    async run(this: { context: unknown }, batch: (context: unknown) => Promise<unknown>) {
      return await batch(this.context);
    },
  };
  const mock = new OfficeMockObject(data);
  return { mock, port: createOfficeWorkbook(mock as unknown as typeof Excel, { isSetSupported: () => true }) };
}

describe("the Office adapter on office-addin-mock", () => {
  it("reads the selection: loads its address, then its values and number formats, before reading them", async () => {
    const { port } = excelMock();
    const cells = await port.readSource({ kind: "selection" });
    expect(cells).toEqual({
      name: "Q3 Orders",
      rows: [
        [45000, 12.5],
        [45001, 20],
      ],
      firstRow: 2,
      firstColumn: 1,
      tables: [],
      numberFormats: ["yyyy-mm-dd", '"€"#,##0.00'],
    });
  });

  it("activates a sheet by name", async () => {
    const { mock, port } = excelMock();
    await port.activateSheet("Q3 Orders");
    expect(mock.context.workbook.worksheets.mockOrders.mockActivated).toBe(true);
  });

  it("passes Excel's error on for a sheet that does not exist", async () => {
    const { port } = excelMock();
    await expect(port.activateSheet("Nope")).rejects.toThrow("mock: no sheet Nope");
  });
});
