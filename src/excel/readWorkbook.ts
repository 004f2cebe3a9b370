/**
 * Reading the user's data: the sheets and Excel tables to pick from ({@link listSources}) and one
 * of them, or the selection, as {@link SheetCells} for detection ({@link readSource}).
 *
 * Each `Excel.run` queues its loads, syncs once, then computes; big ranges are read in row chunks
 * whose responses stay under {@link DEFAULT_REQUEST_BUDGET_BYTES} (the chunk height adapts to the
 * bytes per row measured on the previous chunk), with progress and cancel between chunks.
 */
import type { ExcelTableInfo, SheetCells } from "../reports/detect";
import { parseAddress, rangeAddress, type SheetRange } from "./address";
import { DEFAULT_REQUEST_BUDGET_BYTES, MAX_READ_ROWS, jsonBytes } from "./payload";
import { WriteCancelled, type DataSource, type OperationOptions, type SourceRef } from "./workbook";

/** Rows read from the top of a sheet to find its first non-blank row (the headers) when listing. */
const HEADER_SCAN_ROWS = 20;
/** Columns of a sheet whose header texts are listed at most. */
const HEADER_SCAN_COLUMNS = 200;
/** Rows at the top of a source whose number formats are read to find each column's data format. */
const FORMAT_SCAN_ROWS = 50;
/** A guess of one cell's JSON size for the first chunk, before any has been measured. */
const FIRST_GUESS_BYTES_PER_CELL = 40;

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}

function headerTexts(rows: readonly (readonly unknown[])[]): string[] {
  const first = rows.find((row) => row.some((value) => !isBlank(value)));
  if (first === undefined) return [];
  let end = first.length;
  while (end > 0 && isBlank(first[end - 1])) end--;
  return first.slice(0, end).map((value) => (isBlank(value) ? "" : String(value).trim()));
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new WriteCancelled("Cancelled: nothing was read.");
}

/** Lists the workbook's worksheets (used range, size, first non-blank row) and Excel tables. */
export async function listSources(api: typeof Excel): Promise<DataSource[]> {
  return await api.run(async (context) => {
    const sheets = context.workbook.worksheets;
    sheets.load("items/name");
    const tables = context.workbook.tables;
    tables.load("items/name");
    await context.sync();

    const used = sheets.items.map((sheet) => {
      const range = sheet.getUsedRangeOrNullObject(true);
      range.load("address,rowCount,columnCount");
      return { name: sheet.name, range };
    });
    const tableRanges = tables.items.map((table) => {
      const range = table.getRange();
      range.load("address,rowCount,columnCount");
      const header = table.getHeaderRowRange();
      header.load("values");
      table.load("name,showHeaders,showTotals");
      return { table, range, header };
    });
    await context.sync();

    const tops = used
      .filter(({ range }) => range.isNullObject !== true)
      .map(({ name, range }) => {
        const place = parseAddress(range.address);
        const top = sheets
          .getItem(name)
          .getRange(rangeAddress(place.row, place.column, Math.min(HEADER_SCAN_ROWS, place.rowCount), Math.min(HEADER_SCAN_COLUMNS, place.columnCount)));
        top.load("values");
        return { name, range, top };
      });
    await context.sync();

    const out: DataSource[] = tableRanges.map(({ table, range, header }) => {
      const place = parseAddress(range.address);
      return {
        ref: { kind: "table", table: table.name },
        label: table.name,
        sheet: place.sheet,
        address: range.address,
        rowCount: range.rowCount - (table.showHeaders ? 1 : 0) - (table.showTotals ? 1 : 0),
        columnCount: range.columnCount,
        headers: table.showHeaders ? header.values[0].map((value) => String(value)) : [],
      };
    });
    for (const { name, range, top } of tops) {
      out.push({ ref: { kind: "sheet", sheet: name }, label: name, sheet: name, address: range.address, rowCount: range.rowCount, columnCount: range.columnCount, headers: headerTexts(top.values) });
    }
    return out;
  });
}

/** Where a source is and, for a table, what Excel says about it. */
interface Located {
  readonly place: SheetRange;
  readonly tables: ExcelTableInfo[];
}

function selectedData(context: Excel.RequestContext): Excel.Range {
  const selected = context.workbook.getSelectedRange();
  return selected.getIntersectionOrNullObject(selected.worksheet.getUsedRange(true));
}

async function locate(context: Excel.RequestContext, source: SourceRef): Promise<Located | null> {
  if (source.kind === "table") {
    const table = context.workbook.tables.getItem(source.table);
    table.load("name,showHeaders,showTotals");
    const range = table.getRange();
    range.load("address");
    await context.sync();
    const place = parseAddress(range.address);
    const ref = rangeAddress(place.row, place.column, place.rowCount, place.columnCount);
    return { place, tables: [{ name: table.name, ref, headerRowCount: table.showHeaders ? 1 : 0, totalsRowCount: table.showTotals ? 1 : 0 }] };
  }
  // A selection of whole columns or rows ("A:C") is cut to the sheet's used range.
  const range =
    source.kind === "selection"
      ? selectedData(context)
      : context.workbook.worksheets.getItem(source.sheet).getUsedRangeOrNullObject(true);
  range.load("address");
  let sheetTables: Excel.TableCollection | null = null;
  if (source.kind === "sheet") {
    sheetTables = context.workbook.worksheets.getItem(source.sheet).tables;
    sheetTables.load("items/name,items/showHeaders,items/showTotals");
  }
  await context.sync();
  if (range.isNullObject === true) return null;
  const place = parseAddress(range.address);
  const tables: ExcelTableInfo[] = [];
  if (sheetTables !== null && sheetTables.items.length > 0) {
    const ranges = sheetTables.items.map((table) => {
      const tableRange = table.getRange();
      tableRange.load("address");
      return { table, tableRange };
    });
    await context.sync();
    for (const { table, tableRange } of ranges) {
      const at = parseAddress(tableRange.address);
      tables.push({ name: table.name, ref: rangeAddress(at.row, at.column, at.rowCount, at.columnCount), headerRowCount: table.showHeaders ? 1 : 0, totalsRowCount: table.showTotals ? 1 : 0 });
    }
  }
  return { place, tables };
}

/**
 * The header row's index for taking number formats below it: the first row with two or more
 * texts (a title line above the headers has one), else the first non-blank row, else -1.
 * Detection finds the header row itself (sheetLayout.ts); this only has to skip a title.
 */
function headerRowIndex(rows: readonly (readonly unknown[])[]): number {
  const scanned = rows.slice(0, FORMAT_SCAN_ROWS);
  const twoTexts = scanned.findIndex((row) => row.filter((value) => typeof value === "string" && value.trim() !== "").length >= 2);
  return twoTexts >= 0 ? twoTexts : rows.findIndex((row) => row.some((value) => !isBlank(value)));
}

/** Each column's number format: the first non-blank cell's below the header row, else null. */
function columnFormats(rows: readonly (readonly unknown[])[], formats: readonly (readonly string[])[], columnCount: number, headerIndex: number): (string | null)[] {
  const out: (string | null)[] = [];
  for (let c = 0; c < columnCount; c++) {
    let format: string | null = null;
    for (let r = headerIndex + 1; r < formats.length; r++) {
      if (!isBlank(rows[r]?.[c])) {
        format = formats[r][c] ?? null;
        break;
      }
    }
    out.push(format);
  }
  return out;
}

/**
 * Reads a sheet's used range, an Excel table (header, body and totals row, the totals flagged in
 * `tables`) or the selection as values (dates stay serials) plus each column's number format,
 * taken from the first data row (the first non-blank cell under the header row).
 */
export async function readSource(api: typeof Excel, source: SourceRef, options: OperationOptions = {}, budgetBytes = DEFAULT_REQUEST_BUDGET_BYTES): Promise<SheetCells> {
  const { signal, onProgress } = options;
  throwIfAborted(signal);
  return await api.run(async (context) => {
    const located = await locate(context, source);
    if (located === null) {
      const name = source.kind === "sheet" ? source.sheet : "";
      return { name, rows: [], firstRow: 1, firstColumn: 0, tables: [], numberFormats: [] };
    }
    const { place, tables } = located;
    const sheet = context.workbook.worksheets.getItem(place.sheet);
    const rows: unknown[][] = [];
    let bytesPerRow = Math.max(1, place.columnCount) * FIRST_GUESS_BYTES_PER_CELL;
    const formatRows = Math.min(FORMAT_SCAN_ROWS, place.rowCount);
    let formats: string[][] = [];
    for (let done = 0; done < place.rowCount; ) {
      throwIfAborted(signal);
      const height = Math.max(1, Math.min(MAX_READ_ROWS, place.rowCount - done, Math.floor(budgetBytes / bytesPerRow)));
      const chunk = sheet.getRange(rangeAddress(place.row + done, place.column, height, place.columnCount));
      chunk.load("values");
      let top: Excel.Range | null = null;
      if (done === 0) {
        top = sheet.getRange(rangeAddress(place.row, place.column, formatRows, place.columnCount));
        top.load("numberFormat");
      }
      await context.sync();
      const values = chunk.values as unknown[][];
      for (const row of values) rows.push(row);
      if (top !== null) formats = top.numberFormat as string[][];
      bytesPerRow = Math.max(1, jsonBytes(values) / values.length);
      done += height;
      onProgress?.(done / place.rowCount, `Read ${done.toLocaleString("en-US")} of ${place.rowCount.toLocaleString("en-US")} rows`);
    }
    const table = tables[0];
    let headerIndex = headerRowIndex(rows);
    if (source.kind === "table" && table !== undefined) headerIndex = table.headerRowCount > 0 ? 0 : -1;
    return {
      name: place.sheet,
      rows,
      firstRow: place.row + 1,
      firstColumn: place.column,
      tables,
      numberFormats: columnFormats(rows, formats, place.columnCount, headerIndex),
    };
  });
}
