/**
 * The real {@link WorkbookPort}, on the Excel JavaScript API.
 *
 * The `Excel` namespace is a parameter so that tests can pass an office-addin-mock object or the
 * recording fake (test/support/fakeExcel.ts). The globals are only looked up when the function is
 * called, never at module load: this module must import in Node (tests, the headless runner's type
 * checks) where `Excel` does not exist.
 */
import { DEFAULT_REQUEST_BUDGET_BYTES } from "./payload";
import { listSources, readSource } from "./readWorkbook";
import { writeReportSheet, type IsSetSupported } from "./writeReport";
import type { InsertResult, WorkbookPort } from "./workbook";

/** Options of {@link createOfficeWorkbook}, for tests and benches; the task pane passes none. */
export interface OfficeWorkbookOptions {
  /**
   * Requirement-set check; default `Office.context.requirements.isSetSupported`, or "everything"
   * when office.js offers no such check (a page driving an injected Excel object model).
   */
  readonly isSetSupported?: IsSetSupported;
  /** Largest request or chunked response, in bytes (default 1 MiB, a fifth of Excel on the web's 5 MB cap). */
  readonly requestBudgetBytes?: number;
}

function officeRequirementCheck(): IsSetSupported {
  const office = (globalThis as { Office?: { context?: { requirements?: { isSetSupported?: (name: string, version?: string) => boolean } } } }).Office;
  const requirements = office?.context?.requirements;
  if (requirements !== undefined && typeof requirements.isSetSupported === "function") {
    return (set, version) => requirements.isSetSupported!(set, version) === true;
  }
  return () => true;
}

/**
 * Creates the workbook port backed by `Excel.run`.
 *
 * @param excel The Excel namespace; defaults to the global one that office.js defines.
 * @param options requirement-set check and request budget (tests).
 * @throws Error when no Excel namespace is available (page not running inside Excel).
 */
export function createOfficeWorkbook(excel?: typeof Excel, options: OfficeWorkbookOptions = {}): WorkbookPort {
  const api = excel ?? (globalThis as { Excel?: typeof Excel }).Excel;
  if (api === undefined) {
    throw new Error("Excel is not available: open IMC Analytics in Excel to work with a workbook.");
  }
  const budget = options.requestBudgetBytes ?? DEFAULT_REQUEST_BUDGET_BYTES;
  // Looked up per call: office.js fills Office.context in only after Office.onReady.
  const supported: IsSetSupported = (set, version) => (options.isSetSupported ?? officeRequirementCheck())(set, version);

  return {
    async insertFormula(formula: string): Promise<InsertResult> {
      // No try/catch: an Excel failure must reach the task pane with its own message.
      return await api.run(async (context) => {
        const cell = context.workbook.getSelectedRange().getCell(0, 0);
        cell.formulas = [[formula]];
        cell.load("address");
        await context.sync();
        return { address: cell.address };
      });
    },
    async listSources() {
      return await listSources(api);
    },
    async readSource(source, operation) {
      return await readSource(api, source, operation, budget);
    },
    async writeReport(sheet, operation) {
      const { sheetName, notes } = await writeReportSheet(api, sheet, operation ?? {}, supported, budget);
      return { sheetName, notes };
    },
    async activateSheet(name: string): Promise<void> {
      await api.run(async (context) => {
        context.workbook.worksheets.getItem(name).activate();
        await context.sync();
      });
    },
    async deleteSheets(names: readonly string[]): Promise<void> {
      if (names.length === 0) return;
      await api.run(async (context) => {
        const sheets = names.map((name) => context.workbook.worksheets.getItemOrNullObject(name));
        for (const sheet of sheets) sheet.load("name");
        await context.sync();
        for (const sheet of sheets) if (!sheet.isNullObject) sheet.delete();
        await context.sync();
      });
    },
  };
}
