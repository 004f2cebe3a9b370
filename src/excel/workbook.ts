/**
 * The port through which the task pane talks to the workbook.
 *
 * The UI never touches the `Excel` or `Office` globals: it is given a WorkbookPort, so a test can
 * fake it with a plain object. The real adapter is `officeWorkbook.ts` (tested against
 * office-addin-mock and the recording fake Excel in test/support).
 */
import type { TabId } from "../reports/tabIds";
import type { SheetCells } from "../reports/detect";
import type { ReportSheet } from "../reports/sheet";

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

  /** The workbook's sheets and Excel tables, with their headers and sizes (nothing else is read). */
  listSources(): Promise<readonly DataSource[]>;

  /**
   * Reads a sheet's used range, an Excel table or the current selection as the detection pipeline
   * reads a sheet: values (dates stay serials), where the cells start, the sheet's tables, and each
   * column's number format. Large ranges are read in chunks.
   */
  readSource(source: SourceRef, options?: OperationOptions): Promise<SheetCells>;

  /**
   * Writes a generated tab on a new worksheet with a free name ("Segmentation 2" when
   * "Segmentation" exists; never overwriting), all or nothing: on failure or cancel whatever was
   * written is deleted and the promise rejects (cancel: with a {@link WriteCancelled}).
   *
   * Cross-tab formulas (the Scorecard's) refer to the sheets named in `tabNames`; `before` places the
   * new sheet before another (the Scorecard, written last, goes before the tabs it reads).
   *
   * @returns the sheet's final name and notes on what could not be written (an API this Excel lacks).
   */
  writeReport(
    sheet: ReportSheet,
    options?: OperationOptions & { readonly activate?: boolean; readonly tabNames?: ReadonlyMap<TabId, string>; readonly before?: string },
  ): Promise<WriteResult>;

  /** Activates a sheet by name (the first generated tab at the end of an All tabs run). */
  activateSheet(name: string): Promise<void>;

  /**
   * Deletes worksheets by name, in one request (the tabs of a run that failed or was cancelled
   * later on: all or nothing across several tabs). A name the workbook no longer holds is passed
   * over; an empty list does nothing.
   *
   * @throws Whatever Excel reports (a protected workbook, the last visible sheet), with its message.
   */
  deleteSheets(names: readonly string[]): Promise<void>;
}

/** The outcome of {@link WorkbookPort.insertFormula}. */
export interface InsertResult {
  /** Address of the cell written, with its sheet, as Excel reports it, e.g. `Sheet1!B2`. */
  readonly address: string;
}

/** A sheet, an Excel table on it, or the current selection. */
export type SourceRef =
  | { readonly kind: "sheet"; readonly sheet: string }
  | { readonly kind: "table"; readonly table: string }
  | { readonly kind: "selection" };

/** A sheet or an Excel table the user can pick as data. */
export interface DataSource {
  readonly ref: SourceRef;
  /** What the user sees: the table's or sheet's name. */
  readonly label: string;
  /** The sheet it is on. */
  readonly sheet: string;
  /** Address of the range, e.g. "Orders!A1:D6001". */
  readonly address: string;
  readonly rowCount: number;
  readonly columnCount: number;
  /** The first row's texts (a table's header row; a sheet's first non-blank row). */
  readonly headers: readonly string[];
}

/** Progress and cancel for long reads and writes. */
export interface OperationOptions {
  /** Cancels between requests; the operation rejects with {@link WriteCancelled} after cleaning up. */
  readonly signal?: AbortSignal;
  /** Called with the share done (0–1) and what is happening, in words. */
  readonly onProgress?: (done: number, message: string) => void;
}

/** The outcome of {@link WorkbookPort.writeReport}. */
export interface WriteResult {
  /** The new sheet's name. */
  readonly sheetName: string;
  /** What this Excel could not do and was left out ("charts need ExcelApi 1.x: not drawn"). */
  readonly notes: readonly string[];
}

/** The rejection of a cancelled read or write (after cleanup). */
export class WriteCancelled extends Error {
  constructor(message = "Cancelled: nothing was written.") {
    super(message);
    this.name = "WriteCancelled";
  }
}
