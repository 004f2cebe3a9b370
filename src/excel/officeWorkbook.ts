/**
 * The real {@link WorkbookPort}, on the Excel JavaScript API.
 *
 * The `Excel` namespace is a parameter so that tests can pass an office-addin-mock object. The
 * global is only looked up when the function is called, never at module load: this module must
 * import in Node (tests, the headless runner's type checks) where `Excel` does not exist.
 */
import type { InsertResult, WorkbookPort } from "./workbook";

/** Members the data wizards need and this adapter does not have yet (issue 14 in progress). */
function notYet(): Promise<never> {
  return Promise.reject(new Error("Reading tables and writing tabs from the task pane is not available in this version."));
}

/**
 * Creates the workbook port backed by `Excel.run`.
 *
 * @param excel The Excel namespace; defaults to the global one that office.js defines.
 * @throws Error when no Excel namespace is available (page not running inside Excel).
 */
export function createOfficeWorkbook(excel?: typeof Excel): WorkbookPort {
  const api = excel ?? (globalThis as { Excel?: typeof Excel }).Excel;
  if (api === undefined) {
    throw new Error("Excel is not available: open IMC Analytics in Excel to work with a workbook.");
  }

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
    listSources: notYet,
    readSource: notYet,
    writeReport: notYet,
    activateSheet: notYet,
  };
}
