import { describe, expect, it } from "vitest";
import { OfficeMockObject } from "office-addin-mock";
import { createOfficeWorkbook } from "../../src/excel/officeWorkbook";

const FORMULA = "=IMC.CLV(100, 0.8, 0.1)";

/**
 * Mock data for the Excel namespace. Every member the adapter touches carries its real API name:
 * `run`, `context.workbook.getSelectedRange()`, `Range.getCell(row, column)`, `Range.formulas`,
 * `Range.address` (`load` and `sync` come from OfficeMockObject). The mock only syncs objects that
 * live in its tree, so the selection and its top-left cell are stored under `workbook`; the
 * `mock*` keys are that storage, not Excel API members, and the adapter never reads them.
 */
function excelMockData(options: { address: string; runError?: Error; selectionError?: Error }) {
  return {
    context: {
      workbook: {
        mockSelection: {
          mockTopLeftCell: {
            formulas: [[""]],
            address: options.address,
          },
          getCell(this: { mockTopLeftCell: unknown }, row: number, column: number) {
            if (row !== 0 || column !== 0) {
              throw new Error(`mock: only the top-left cell (0, 0) is modelled, got (${row}, ${column})`);
            }
            return this.mockTopLeftCell;
          },
        },
        getSelectedRange(this: { mockSelection: unknown }) {
          if (options.selectionError) throw options.selectionError;
          return this.mockSelection;
        },
      },
    },
    async run(this: { context: unknown }, batch: (context: unknown) => Promise<unknown>) {
      if (options.runError) throw options.runError;
      return await batch(this.context);
    },
  };
}

function createExcelMock(options: Parameters<typeof excelMockData>[0]) {
  // OfficeMockObject is typed loosely (string index of any); give it the shape the adapter expects.
  const mock = new OfficeMockObject(excelMockData(options));
  return { mock, excel: mock as unknown as typeof Excel };
}

describe("createOfficeWorkbook(...).insertFormula", () => {
  it("writes the formula into the top-left cell of the selection and returns its address", async () => {
    const { mock, excel } = createExcelMock({ address: "Sheet1!B2" });

    const result = await createOfficeWorkbook(excel).insertFormula(FORMULA);

    expect(mock.context.workbook.mockSelection.mockTopLeftCell.formulas).toEqual([[FORMULA]]);
    expect(result).toEqual({ address: "Sheet1!B2" });
  });

  it("returns the address Excel reports for another sheet", async () => {
    const { excel } = createExcelMock({ address: "'Q3 Budget'!D7" });

    const result = await createOfficeWorkbook(excel).insertFormula("=IMC.CLV(50, 0.5, 0.1)");

    expect(result.address).toBe("'Q3 Budget'!D7");
  });

  it("propagates a rejected Excel.run with its original message", async () => {
    const { mock, excel } = createExcelMock({
      address: "Sheet1!B2",
      runError: new Error("The workbook is in cell-edit mode."),
    });

    await expect(createOfficeWorkbook(excel).insertFormula(FORMULA)).rejects.toThrow(
      "The workbook is in cell-edit mode.",
    );
    // Nothing was written: the cell still holds the mock's "not loaded" marker, not the formula.
    expect(mock.context.workbook.mockSelection.mockTopLeftCell.formulas).not.toEqual([[FORMULA]]);
  });

  it("propagates an error raised inside the batch (no usable selection)", async () => {
    const { excel } = createExcelMock({
      address: "Sheet1!B2",
      selectionError: new Error("The current selection is invalid for this operation."),
    });

    await expect(createOfficeWorkbook(excel).insertFormula(FORMULA)).rejects.toThrow(
      "The current selection is invalid for this operation.",
    );
  });
});

describe("createOfficeWorkbook without an Excel namespace", () => {
  it("imports in Node, where the Excel global is undefined", () => {
    expect(typeof (globalThis as { Excel?: unknown }).Excel).toBe("undefined");
    expect(typeof createOfficeWorkbook).toBe("function");
  });

  it("throws a clear error when called with no Excel available", () => {
    expect(() => createOfficeWorkbook()).toThrow(/Excel is not available/);
  });
});
