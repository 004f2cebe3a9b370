/**
 * Reading .xlsx workbooks for the runner: every worksheet's cells as rows of plain values, with
 * one-line errors for files that are not readable workbooks or that would not fit in bounds.
 *
 * A small SpreadsheetML reader rather than ExcelJS's loader: it keeps numbers as they are stored
 * (dates stay Excel serials, no Date round trip), accepts namespace-prefixed parts (as the Open XML
 * SDK writes them, which ExcelJS cannot load), and holds only the cell values.
 *
 * Bounded on hostile files: parts are inflated within caps ({@link ZipPackage}: 256 MB a part,
 * 1 GB in all), XML is scanned in linear time and never expands entities ({@link scanXml}), cells
 * past XFD1048576 are refused, and cells are stored sparsely, so memory follows the cells present,
 * not the range they span.
 */
import JSZip from "jszip";
import { attribute, attributes, decodeExcelEscapes, scanXml, XmlProblem, type XmlHandler } from "./xmlScan";
import { XlsxError } from "./xlsxError";
import { DEFAULT_INFLATE_LIMITS, ZipPackage, type InflateLimits, type InflateRaw } from "./zipPackage";

export { XlsxError } from "./xlsxError";
export { decodeXmlEntities } from "./xmlScan";

type Value = string | number | boolean | null;

/** An Excel table (list object) on a sheet. */
export interface WorkbookTable {
  /** The table's name as Excel shows it (displayName; its name when there is none). */
  readonly name: string;
  /** A1 range including the header and totals rows, e.g. "A3:D120". */
  readonly ref: string;
  /** Header rows at the top of the range (1 unless the header row is hidden: 0). */
  readonly headerRowCount: number;
  /** Totals rows at the bottom of the range (0 or 1). */
  readonly totalsRowCount: number;
}

/** One worksheet's cells. */
export interface WorkbookSheetData {
  readonly name: string;
  /**
   * Row 0 is the first row holding a cell (usually the headers), column 0 the first column holding
   * one. Rows are ragged: a row is only as long as its last cell, a row without cells is an empty
   * (frozen, shared) array, and a sparse row may have holes where there are no cells; read cells as
   * `rows[r]?.[c] ?? null`. Dates are Excel serials (1900 system), formulas their cached results,
   * errors their text ("#N/A"), rich text flattened.
   */
  readonly rows: (string | number | boolean | null)[][];
  /** Excel row number (1-based) of rows[0], for messages that name the row the user sees; absent when the sheet is empty. */
  readonly firstRow?: number;
  /** Column index (0 = A) of the first column of `rows`; absent when the sheet is empty. */
  readonly firstColumn?: number;
  /** Excel tables (list objects) on the sheet: a table's totals row is never data. Absent when there are none. */
  readonly tables?: readonly WorkbookTable[];
  /**
   * Number format per column (index as in `rows`) of the column's first number cell, as its data
   * cells show it: the format code (`"€"#,##0.00`, `[$€-x-euro2] #,##0.00`, `yyyy-mm-dd`), "General"
   * for none, null for a column without a number. Absent when the sheet holds no number.
   */
  readonly numberFormats?: readonly (string | null)[];
}

/** Bounds of {@link readWorkbook} (for tests: the defaults are {@link DEFAULT_INFLATE_LIMITS}). */
export interface ReadWorkbookOptions {
  readonly limits?: InflateLimits;
  /** Non-blank cells the workbook may hold in all (default {@link DEFAULT_MAX_CELLS}). */
  readonly maxCells?: number;
  /** The inflater (Node's zlib by default; a browser would pass its own). */
  readonly inflate?: InflateRaw;
}

/**
 * Non-blank cells read from one workbook at most: 8 million (a million rows of eight columns).
 * Memory follows the cells (up to about 60 bytes each while reading), and a megabyte of zip can
 * hold ten million tiny cells: this keeps the process under 1 GB.
 */
export const DEFAULT_MAX_CELLS = 8_000_000;

/** Excel's last row and column (XFD1048576). */
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;

const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** True when the bytes contain `text` encoded as UTF-16LE (stream names in an OLE/CFB directory). */
function containsUtf16(bytes: Uint8Array, text: string): boolean {
  const needle = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) needle[2 * i] = text.charCodeAt(i);
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Throws an XlsxError when the bytes cannot be a zip: empty, encrypted (an OLE/CFB container), an old .xls, or anything else. */
function checkSignature(bytes: Uint8Array, label: string): void {
  if (bytes.length === 0) throw new XlsxError(`${label} is empty (0 bytes), not an .xlsx file`);
  if (bytes.length >= 8 && CFB_SIGNATURE.every((b, i) => bytes[i] === b)) {
    if (containsUtf16(bytes, "EncryptedPackage") || containsUtf16(bytes, "EncryptionInfo")) {
      throw new XlsxError(`${label} is password-protected; save it without a password first`);
    }
    throw new XlsxError(`${label} is an old binary Excel file (.xls); save it as .xlsx first`);
  }
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new XlsxError(`${label} is not a valid .xlsx file (not a zip archive)`);
}

const WORKBOOK_PART = /(^|\/)workbook\d*\.xml$/i;

/**
 * Opens the zip of an .xlsx with JSZip (for grafting, which rewrites the zip), or throws an
 * XlsxError saying why it cannot: empty, encrypted (password-protected files are OLE/CFB
 * containers), the old binary .xls format, or not a zip.
 * @param label how the file is named in messages (its path)
 */
export async function openXlsxZip(bytes: Uint8Array, label: string): Promise<JSZip> {
  checkSignature(bytes, label);
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    throw new XlsxError(`${label} is not a valid .xlsx file (corrupt zip)`);
  }
  if (!zip.file("[Content_Types].xml") || !Object.keys(zip.files).some((path) => WORKBOOK_PART.test(path))) {
    throw new XlsxError(`${label} is not a valid .xlsx file (no workbook inside the zip)`);
  }
  return zip;
}

/** Days between Excel's 1900 and 1904 date systems (serial 0 of 1904 is serial 1462 of 1900). */
const DATE_1904_OFFSET = 1462;

/** Built-in number formats that show dates or times. */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Excel serial (1900 system) of ISO date text, as t="d" cells store it. */
function isoToSerial(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?/.exec(text);
  if (!match) return null;
  const days = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000 + 25569;
  const seconds = Number(match[4] ?? 0) * 3600 + Number(match[5] ?? 0) * 60 + Number(match[6] ?? 0);
  return days + seconds / 86_400;
}

/** A reference for a message: at most 24 characters. */
function shownReference(ref: string): string {
  return ref.length > 24 ? `${ref.slice(0, 24)}…` : ref;
}

/** Where a problem was found, for messages: the part's path and, in a worksheet, the sheet's name. */
interface PartContext {
  readonly label: string;
  readonly path: string;
  readonly sheet?: string;
}

function beyondExcel(context: PartContext, what: string): XlsxError {
  return new XlsxError(`${context.label}: sheet "${context.sheet ?? ""}" has ${what}, past XFD1048576 (the last cell of an Excel sheet); the file is refused`);
}

function invalid(context: PartContext, what: string): XlsxError {
  return new XlsxError(`${context.label} is not a valid .xlsx file (${context.path}: ${what})`);
}

/**
 * Column index (0-based) and row (1-based) of an A1 cell reference ("$"s allowed before the letters
 * and the digits), checked against Excel's limits. Read character by character: it runs once per
 * cell of the workbook, where a regular expression, its match and the upper-cased letters cost more
 * than the rest of the cell's reading.
 */
function parseCellReference(ref: string, context: PartContext): { row: number; column: number } {
  const n = ref.length;
  let i = ref.charCodeAt(0) === 0x24 ? 1 : 0;
  const lettersStart = i;
  let column = 0;
  for (; i < n; i++) {
    // ASCII letters of either case, lower-cased by the 0x20 bit; nothing else lands in a..z.
    const code = ref.charCodeAt(i) | 0x20;
    if (code < 0x61 || code > 0x7a) break;
    column = column * 26 + (code - 0x60);
  }
  const letters = i - lettersStart;
  if (i < n && ref.charCodeAt(i) === 0x24) i++;
  const digitsStart = i;
  let row = 0;
  for (; i < n; i++) {
    const code = ref.charCodeAt(i);
    if (code < 0x30 || code > 0x39) break;
    row = row * 10 + (code - 0x30);
  }
  if (letters === 0 || i === digitsStart || i !== n) throw invalid(context, `"${shownReference(ref)}" is not a cell reference`);
  if (letters > 3) throw beyondExcel(context, `a cell at ${shownReference(ref)}`);
  if (column > MAX_COLUMNS || row > MAX_ROWS) throw beyondExcel(context, `a cell at ${shownReference(ref)}`);
  if (row < 1) throw invalid(context, `"${shownReference(ref)}" is not a cell reference`);
  return { row, column: column - 1 };
}

function scan(xml: string, handler: XmlHandler, context: PartContext): void {
  try {
    scanXml(xml, handler);
  } catch (error) {
    if (!(error instanceof XmlProblem)) throw error;
    if (error.doctype) throw new XlsxError(`${context.label}: part ${context.path} ${error.message}; the file is refused`);
    throw invalid(context, `${error.message}`);
  }
}

/** A handler that only lets the scan check the XML. */
const IGNORE_ALL: XmlHandler = { capturing: false, open() {}, close() {}, text() {} };

/** A string item's text (<si>, or a cell's <is>): its <t> runs joined, phonetic runs (<rPh>) left out. */
class StringItemText {
  private phonetic = 0;
  private inText = false;
  private pieces = "";
  private runText = "";

  get capturing(): boolean {
    return this.inText;
  }

  reset(): void {
    this.phonetic = 0;
    this.inText = false;
    this.pieces = "";
    this.runText = "";
  }

  open(name: string, selfClosing: boolean): void {
    if (name === "rPh" && !selfClosing) this.phonetic++;
    else if (name === "t" && this.phonetic === 0 && !selfClosing) {
      this.inText = true;
      this.runText = "";
    }
  }

  close(name: string): void {
    if (name === "rPh") this.phonetic = Math.max(0, this.phonetic - 1);
    else if (name === "t" && this.inText) {
      this.inText = false;
      this.pieces += decodeExcelEscapes(this.runText);
    }
  }

  text(text: string): void {
    this.runText += text;
  }

  get value(): string {
    return this.pieces;
  }
}

function sharedStrings(xml: string | undefined, context: PartContext): string[] {
  if (xml === undefined) return [];
  const out: string[] = [];
  const item = new StringItemText();
  let inItem = false;
  scan(
    xml,
    {
      get capturing() {
        return inItem && item.capturing;
      },
      open(name, _tag, selfClosing) {
        if (name === "si") {
          inItem = true;
          item.reset();
        } else if (inItem) item.open(name, selfClosing);
      },
      close(name) {
        if (name === "si" && inItem) {
          out.push(item.value);
          inItem = false;
        } else if (inItem) item.close(name);
      },
      text(text) {
        item.text(text);
      },
    },
    context,
  );
  return out;
}

/**
 * Built-in number formats by id (ECMA-376 18.8.30, en-US). The currency formats 5–8, 42 and 44 show
 * the system's currency symbol, "$" in the standard's table.
 */
const BUILT_IN_FORMATS: Readonly<Record<number, string>> = {
  0: "General",
  1: "0",
  2: "0.00",
  3: "#,##0",
  4: "#,##0.00",
  9: "0%",
  10: "0.00%",
  11: "0.00E+00",
  12: "# ?/?",
  13: "# ??/??",
  14: "mm-dd-yy",
  15: "d-mmm-yy",
  16: "d-mmm",
  17: "mmm-yy",
  18: "h:mm AM/PM",
  19: "h:mm:ss AM/PM",
  20: "h:mm",
  21: "h:mm:ss",
  22: "m/d/yy h:mm",
  37: "#,##0 ;(#,##0)",
  38: "#,##0 ;[Red](#,##0)",
  39: "#,##0.00;(#,##0.00)",
  40: "#,##0.00;[Red](#,##0.00)",
  45: "mm:ss",
  46: "[h]:mm:ss",
  47: "mmss.0",
  48: "##0.0E+0",
  49: "@",
  5: '"$"#,##0_);\\("$"#,##0\\)',
  6: '"$"#,##0_);[Red]\\("$"#,##0\\)',
  7: '"$"#,##0.00_);\\("$"#,##0.00\\)',
  8: '"$"#,##0.00_);[Red]\\("$"#,##0.00\\)',
  42: '_("$"* #,##0_);_("$"* \\(#,##0\\);_("$"* "-"_);_(@_)',
  44: '_("$"* #,##0.00_);_("$"* \\(#,##0.00\\);_("$"* "-"??_);_(@_)',
};

/** The cell formats of a workbook: for each cell format index, whether it shows a date, and its number format code. */
interface CellStyles {
  readonly isDate: readonly boolean[];
  /** Format code per cell format index; undefined for a built-in format other than {@link BUILT_IN_FORMATS}. */
  readonly formatCodes: readonly (string | undefined)[];
}

function cellStyles(xml: string | undefined, context: PartContext): CellStyles {
  if (xml === undefined) return { isDate: [], formatCodes: [] };
  const custom = new Map<number, string>();
  const formatIds: number[] = [];
  let inCellXfs = false;
  scan(
    xml,
    {
      capturing: false,
      open(name, tag) {
        if (name === "numFmt") custom.set(Number(attribute(tag, "numFmtId")), attribute(tag, "formatCode") ?? "");
        else if (name === "cellXfs") inCellXfs = true;
        else if (name === "xf" && inCellXfs) formatIds.push(Number(attribute(tag, "numFmtId") ?? 0));
      },
      close(name) {
        if (name === "cellXfs") inCellXfs = false;
      },
      text() {},
    },
    context,
  );
  const isDate = formatIds.map((id) => {
    const code = custom.get(id);
    if (code === undefined) return BUILT_IN_DATE_FORMATS.has(id);
    const bare = code.split(";")[0].replace(/"[^"]*"|\\.|\[[^\]]*\]/g, "").toLowerCase();
    return /[dmyhs]/.test(bare) && !/[0#?]/.test(bare);
  });
  return { isDate, formatCodes: formatIds.map((id) => custom.get(id) ?? BUILT_IN_FORMATS[id]) };
}

/** A growable list of 32-bit integers (cell rows and columns: 8 bytes a cell rather than an object each). */
class IntList {
  values = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

/** The row of a sheet that holds no cell: one shared, frozen array. */
const EMPTY_ROW: Value[] = Object.freeze([]) as unknown as Value[];

/** An index past any row's length: assigning it makes V8 store the array's elements as a dictionary. */
const DICTIONARY_TRIGGER = 1 << 20;

/**
 * An array of `length` holes whose elements V8 keeps in dictionary mode, so that it costs memory per
 * cell set, not per column spanned: an element assigned more than 1,024 slots past the end turns
 * the array into a dictionary, and shortening it again keeps it one (V8 turns it back into a plain
 * array only when that would be at most about twice the dictionary's size).
 */
function sparseRow(length: number): Value[] {
  const row: Value[] = [];
  row[DICTIONARY_TRIGGER] = null;
  row.length = length;
  return row;
}

interface SheetContent {
  rows: Value[][];
  firstRow?: number;
  firstColumn?: number;
  /** Relationship ids of the sheet's table parts. */
  tableIds: string[];
  /** Cell format index of each column's first number cell, by column index (0 = A). */
  numberStyles: Map<number, number>;
}

/** A cell's attributes read: its reference, type and style. */
const CELL_ATTRIBUTES = ["r", "t", "s"];

/** Cells read so far from a workbook, against its cap. */
interface CellBudget {
  used: number;
  readonly max: number;
}

/**
 * A worksheet's cells. Cells are collected as (row, column, value) lists while scanning, then laid
 * out in rows: a row is a plain array when its cells fill about a quarter of its length or more
 * (length ≤ 4 × cells + 16), and a {@link sparseRow} otherwise; rows without cells share {@link EMPTY_ROW}.
 * @throws XlsxError past the cell cap or Excel's grid, or on XML that is not well-formed
 */
function readSheet(xml: string, strings: readonly string[], date1904: boolean, isDateStyle: readonly boolean[], budget: CellBudget, context: PartContext): SheetContent {
  const numberStyles = new Map<number, number>();
  const cellRows = new IntList();
  const cellColumns = new IntList();
  const values: Value[] = [];
  const tableIds: string[] = [];
  let inSheetData = false;
  let rowNumber = 0;
  let column = -1;
  let ordered = true;
  let lastRow = 0;
  // The cell being read.
  let inCell = false;
  let cellType = "n";
  let cellStyle: string | undefined;
  let cellRow = 0;
  let cellColumn = 0;
  let inValue = false;
  let valueText: string | undefined;
  let inInline = false;
  const inline = new StringItemText();

  const finishCell = (): void => {
    let value: Value;
    if (cellType === "inlineStr") value = inline.value;
    else if (valueText === undefined) value = null;
    else {
      const text = decodeExcelEscapes(valueText);
      switch (cellType) {
        case "s":
          value = strings[Number(text)] ?? null;
          break;
        case "str":
        case "e":
          value = text;
          break;
        case "b":
          value = text === "1" || text.toLowerCase() === "true";
          break;
        case "d":
          value = isoToSerial(text) ?? text;
          break;
        default: {
          const number = Number(text);
          value = text.trim() !== "" && Number.isFinite(number) ? number : text;
        }
      }
    }
    if (value === null || value === "") return;
    if (typeof value === "number" && !numberStyles.has(cellColumn)) numberStyles.set(cellColumn, Number(cellStyle ?? 0) || 0);
    if (date1904 && typeof value === "number" && isDateStyle[Number(cellStyle ?? 0)]) value += DATE_1904_OFFSET;
    if (++budget.used > budget.max) {
      throw new XlsxError(`${context.label}: the workbook holds more than ${budget.max.toLocaleString("en-US")} cells (at sheet "${context.sheet ?? ""}"), the most this run reads; the file is refused (give --max-cells N to read a larger workbook, with about 100 MB of memory a million cells)`);
    }
    if (cellRow < lastRow) ordered = false;
    lastRow = cellRow;
    cellRows.push(cellRow);
    cellColumns.push(cellColumn);
    values.push(value);
  };

  scan(
    xml,
    {
      get capturing() {
        return inValue || (inInline && inline.capturing);
      },
      open(name, tag, selfClosing) {
        if (!inSheetData) {
          if (name === "sheetData" && !selfClosing) inSheetData = true;
          else if (name === "tablePart") {
            const id = attribute(tag, "id", true);
            if (id !== undefined) tableIds.push(id);
          }
          return;
        }
        if (inCell) {
          if (name === "v" && !selfClosing) {
            inValue = true;
            valueText = "";
          } else if (name === "is") {
            inInline = !selfClosing;
            inline.reset();
          } else if (inInline) inline.open(name, selfClosing);
        } else if (name === "row") {
          const r = attribute(tag, "r");
          if (r === undefined) rowNumber++;
          else if (/^\d+$/.test(r)) rowNumber = Number(r);
          else throw invalid(context, `row number "${shownReference(r)}" is not a number`);
          if (rowNumber > MAX_ROWS) throw beyondExcel(context, `a row numbered ${rowNumber.toLocaleString("en-US")}`);
          if (rowNumber < 1) throw invalid(context, "a row is numbered 0");
          column = -1;
        } else if (name === "c") {
          const [ref, type, style] = attributes(tag, CELL_ATTRIBUTES);
          if (ref === undefined) {
            column++;
            cellRow = rowNumber;
            if (column >= MAX_COLUMNS || rowNumber === 0) {
              throw rowNumber === 0 ? invalid(context, "a cell is outside any row") : beyondExcel(context, `a cell past column XFD in row ${rowNumber.toLocaleString("en-US")}`);
            }
          } else {
            const at = parseCellReference(ref, context);
            column = at.column;
            // The row element's number, as Excel reads it (a cell's own row number only when the row has none).
            cellRow = rowNumber > 0 ? rowNumber : at.row;
          }
          cellColumn = column;
          if (selfClosing) return;
          inCell = true;
          cellType = type ?? "n";
          cellStyle = style;
          valueText = undefined;
          inInline = false;
          inline.reset();
        }
      },
      close(name) {
        if (!inSheetData) return;
        if (name === "sheetData") inSheetData = false;
        else if (!inCell) return;
        else if (name === "c") {
          finishCell();
          inCell = false;
          inValue = false;
          inInline = false;
        } else if (name === "v") inValue = false;
        else if (name === "is") inInline = false;
        else if (inInline) inline.close(name);
      },
      text(text) {
        if (inValue) valueText += text;
        else inline.text(text);
      },
    },
    context,
  );
  return { ...layOut(cellRows, cellColumns, values, ordered), tableIds, numberStyles };
}

/** Rows of values from (row, column, value) lists; later cells win over earlier ones at the same place. */
function layOut(cellRows: IntList, cellColumns: IntList, values: Value[], ordered: boolean): { rows: Value[][]; firstRow?: number; firstColumn?: number } {
  const count = values.length;
  if (count === 0) return { rows: [] };
  let minRow = Infinity;
  let maxRow = -Infinity;
  let minColumn = Infinity;
  for (let i = 0; i < count; i++) {
    const r = cellRows.values[i];
    const c = cellColumns.values[i];
    if (r < minRow) minRow = r;
    if (r > maxRow) maxRow = r;
    if (c < minColumn) minColumn = c;
  }
  let order: Int32Array | undefined;
  if (!ordered) {
    // Rows out of order (allowed by few producers): sort the cells by row, keeping their order within a row.
    order = Int32Array.from({ length: count }, (_, i) => i);
    order.sort((a, b) => cellRows.values[a] - cellRows.values[b] || a - b);
  }
  const at = (i: number): number => (order ? order[i] : i);
  const rows: Value[][] = new Array<Value[]>(maxRow - minRow + 1).fill(EMPTY_ROW);
  for (let start = 0; start < count; ) {
    const r = cellRows.values[at(start)];
    let end = start;
    let last = -1;
    while (end < count && cellRows.values[at(end)] === r) {
      last = Math.max(last, cellColumns.values[at(end)] - minColumn);
      end++;
    }
    const length = last + 1;
    const row: Value[] = length <= 4 * (end - start) + 16 ? new Array<Value>(length).fill(null) : sparseRow(length);
    for (let i = start; i < end; i++) row[cellColumns.values[at(i)] - minColumn] = values[at(i)];
    rows[r - minRow] = row;
    start = end;
  }
  return { rows, firstRow: minRow, firstColumn: minColumn };
}

/** The number format of each column's first number cell, indexed as the sheet's rows; nothing when the sheet holds no number. */
function numberFormatsOf(content: SheetContent, styles: CellStyles): { numberFormats?: (string | null)[] } {
  if (content.numberStyles.size === 0 || content.firstColumn === undefined) return {};
  const first = content.firstColumn;
  const formats: (string | null)[] = [];
  for (const [column, style] of content.numberStyles) {
    // No styles part: every cell is General. A built-in format this reader does not know: unknown (null).
    formats[column - first] = styles.formatCodes.length === 0 ? "General" : (styles.formatCodes[style] ?? null);
  }
  for (let c = 0; c < formats.length; c++) formats[c] ??= null;
  return { numberFormats: formats };
}

/** Resolves a relationship target against the folder of its source part ("../x" and "/xl/x" too), never above the package root. */
export function resolveTarget(sourceDir: string, target: string): string {
  const parts = (target.startsWith("/") ? target.slice(1) : sourceDir + target).split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === "..") out.pop();
    else if (part !== "." && part !== "") out.push(part);
  }
  return out.join("/");
}

interface Relationship {
  readonly type: string;
  readonly path: string;
}

/** The relationships of a part (its .rels part), by id; external targets left out. */
function relationships(pkg: ZipPackage, sourcePath: string, context: Omit<PartContext, "path">): Map<string, Relationship> {
  const dir = sourcePath.includes("/") ? sourcePath.slice(0, sourcePath.lastIndexOf("/") + 1) : "";
  const relsPath = `${dir}_rels/${sourcePath.slice(dir.length)}.rels`;
  const out = new Map<string, Relationship>();
  const xml = pkg.text(relsPath);
  if (xml === undefined) return out;
  scan(
    xml,
    {
      capturing: false,
      open(name, tag) {
        if (name !== "Relationship" || attribute(tag, "TargetMode") === "External") return;
        const id = attribute(tag, "Id") ?? "";
        if (!out.has(id)) out.set(id, { type: attribute(tag, "Type") ?? "", path: resolveTarget(dir, attribute(tag, "Target") ?? "") });
      },
      close() {},
      text() {},
    },
    { ...context, path: relsPath },
  );
  return out;
}

const TABLE_REF = /^\$?[A-Za-z]{1,3}\$?\d{1,7}(?::\$?[A-Za-z]{1,3}\$?\d{1,7})?$/;

function countAttribute(tag: string, name: string, fallback: number): number {
  const text = attribute(tag, name);
  return text !== undefined && /^\d{1,7}$/.test(text) ? Number(text) : fallback;
}

/** A table part's table: name, range, header and totals row counts. */
function readTable(pkg: ZipPackage, path: string, context: PartContext): WorkbookTable | undefined {
  const xml = pkg.text(path);
  if (xml === undefined) throw invalid(context, `a table's part ${path} is missing`);
  let table: WorkbookTable | undefined;
  const tableContext = { ...context, path };
  scan(
    xml,
    {
      capturing: false,
      open(name, tag) {
        if (name !== "table" || table !== undefined) return;
        const ref = (attribute(tag, "ref") ?? "").replace(/\$/g, "").toUpperCase();
        if (!TABLE_REF.test(ref)) throw invalid(tableContext, `the table's range "${shownReference(ref)}" is not an A1 range`);
        table = {
          name: attribute(tag, "displayName") ?? attribute(tag, "name") ?? "",
          ref,
          headerRowCount: countAttribute(tag, "headerRowCount", 1),
          totalsRowCount: countAttribute(tag, "totalsRowCount", 0),
        };
      },
      close() {},
      text() {},
    },
    tableContext,
  );
  return table;
}

/**
 * Reads every worksheet's cells: row 0 is the first row holding a cell (usually the headers), rows
 * are ragged and may be sparse (read `rows[r]?.[c] ?? null`). Dates are Excel serials in the 1900
 * system (1904-system workbooks are converted), formulas their cached results, errors their text
 * ("#N/A"), rich text flattened; Excel tables are listed per sheet; chart sheets are skipped.
 * .xlsm files are read like .xlsx.
 * @param bytes the .xlsx or .xlsm file
 * @param fileName how to name the file in errors
 * @param options inflation caps (256 MB a part, 1 GB in all by default), the cell cap (8 million) and the inflater
 * @throws XlsxError with a one-line message naming the file: empty, not a zip or corrupt,
 *   password-protected, an old .xls file, missing the parts every workbook has, XML that is not
 *   well-formed or declares a DOCTYPE, a part inflating past the caps, more cells than
 *   `maxCells`, a cell past XFD1048576, two sheets sharing one part
 */
export async function readWorkbook(bytes: Uint8Array, fileName: string, options: ReadWorkbookOptions = {}): Promise<WorkbookSheetData[]> {
  checkSignature(bytes, fileName);
  const pkg = ZipPackage.open(bytes, fileName, options.limits ?? DEFAULT_INFLATE_LIMITS, options.inflate);
  if (!pkg.has("[Content_Types].xml") || !pkg.names().some((path) => WORKBOOK_PART.test(path))) {
    throw new XlsxError(`${fileName} is not a valid .xlsx file (no workbook inside the zip)`);
  }
  const base = { label: fileName };
  const rootRels = relationships(pkg, "", base);
  const office = [...rootRels.values()].find((rel) => rel.type.endsWith("/officeDocument"));
  const workbookPath = office ? office.path : "xl/workbook.xml";
  const workbookXml = pkg.text(workbookPath);
  if (workbookXml === undefined) throw new XlsxError(`${fileName} is not a valid .xlsx file (no ${workbookPath} inside)`);
  if (workbookXml.includes("http://purl.oclc.org/ooxml/spreadsheetml/main")) {
    throw new XlsxError(`${fileName} is saved as Strict Open XML; save it as an ordinary Excel Workbook (.xlsx) first`);
  }
  const sheetTags: { name: string; id: string | undefined }[] = [];
  let date1904 = false;
  scan(
    workbookXml,
    {
      capturing: false,
      open(name, tag) {
        if (name === "sheet") sheetTags.push({ name: attribute(tag, "name") ?? "", id: attribute(tag, "id", true) });
        else if (name === "workbookPr") date1904 = ["1", "true"].includes((attribute(tag, "date1904") ?? "").toLowerCase());
      },
      close() {},
      text() {},
    },
    { ...base, path: workbookPath },
  );
  const rels = relationships(pkg, workbookPath, base);
  const byType = (suffix: string): string | undefined => [...rels.values()].find((rel) => rel.type.endsWith(suffix))?.path;
  const sharedStringsPath = byType("/sharedStrings");
  const strings = sharedStringsPath ? sharedStrings(pkg.text(sharedStringsPath), { ...base, path: sharedStringsPath }) : [];
  // The styles are read even when no date needs them, like the content types: `imc report` then
  // rewrites both, and they must be well-formed and within the caps first.
  const stylesPath = byType("/styles");
  const styles = stylesPath ? cellStyles(pkg.text(stylesPath), { ...base, path: stylesPath }) : { isDate: [], formatCodes: [] };
  scan(pkg.text("[Content_Types].xml") ?? "", IGNORE_ALL, { ...base, path: "[Content_Types].xml" });

  const sheets: WorkbookSheetData[] = [];
  const budget: CellBudget = { used: 0, max: options.maxCells ?? DEFAULT_MAX_CELLS };
  // A part read for two sheets would count twice against the caps and be held twice: Excel never does it.
  const sheetOfPart = new Map<string, string>();
  for (const { name, id } of sheetTags) {
    const rel = id !== undefined ? rels.get(id) : undefined;
    if (!rel || !rel.type.endsWith("/worksheet")) continue;
    const context = { ...base, path: rel.path, sheet: name };
    const other = sheetOfPart.get(rel.path.toLowerCase());
    if (other !== undefined) throw new XlsxError(`${fileName} is not a valid .xlsx file (sheets "${other}" and "${name}" share the part ${rel.path})`);
    sheetOfPart.set(rel.path.toLowerCase(), name);
    let xml = pkg.text(rel.path);
    if (xml === undefined) throw new XlsxError(`${fileName} is not a valid .xlsx file (sheet "${name}" has no part ${rel.path})`);
    const content = readSheet(xml, strings, date1904, styles.isDate, budget, context);
    // The sheet's text is no longer needed: let it go before its tables are read.
    xml = undefined;
    const tables: WorkbookTable[] = [];
    if (content.tableIds.length > 0) {
      const sheetRels = relationships(pkg, rel.path, context);
      for (const tableId of content.tableIds) {
        const tableRel = sheetRels.get(tableId);
        if (!tableRel || !tableRel.type.endsWith("/table")) continue;
        const table = readTable(pkg, tableRel.path, context);
        if (table) tables.push(table);
      }
    }
    sheets.push({
      name,
      rows: content.rows,
      ...(content.firstRow === undefined ? {} : { firstRow: content.firstRow, firstColumn: content.firstColumn }),
      ...(tables.length > 0 ? { tables } : {}),
      ...numberFormatsOf(content, styles),
    });
  }
  return sheets;
}
