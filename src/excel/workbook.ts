/**
 * The port through which the task pane talks to the workbook.
 *
 * Deliberately small: the task pane only needs what it uses today, so a test can fake it with a
 * plain object and the UI never touches the `Excel` or `Office` globals. It will grow with the
 * wizards (reading a range or table, writing generated tabs); add a member when a feature needs it,
 * with the real adapter in `officeWorkbook.ts` and a test against office-addin-mock.
 */
export interface WorkbookPort {
  /**
   * Writes `formula` into the top-left cell of the current selection (the user may have selected a
   * block; only its first cell is written).
   *
   * @param formula An Excel formula starting with `=`, e.g. `=IMC.CLV(100, 0.8, 0.1)`.
   * @returns Where the formula went.
   * @throws Whatever Excel reports (no usable selection, protected sheet, ...), with its message.
   */
  insertFormula(formula: string): Promise<InsertResult>;
}

/** The outcome of {@link WorkbookPort.insertFormula}. */
export interface InsertResult {
  /** Address of the cell written, with its sheet, as Excel reports it, e.g. `Sheet1!B2`. */
  readonly address: string;
}
