/**
 * Writes a {@link ReportSheet} on a new worksheet through Office.js, all or nothing.
 *
 * One `Excel.run`: load the sheet and table names (one sync), pick free names, add the sheet, then
 * queue the writes in requests kept under a byte budget ({@link DEFAULT_REQUEST_BUDGET_BYTES}, a
 * fifth of Excel on the web's 5 MB cap): cells go as 2-D `formulas` assignments of as many rows as
 * fit, number formats as one n × 1 assignment per formatted column and chunk; a request is synced
 * before the next assignment would pass the budget. Between requests the AbortSignal is checked;
 * on cancel or any failure the new sheet (and with it its tables and charts) is deleted and the
 * promise rejects with the reason ({@link WriteCancelled} for a cancel).
 *
 * APIs newer than the base set are used after a requirement-set check and left out with a note in
 * {@link WriteResult.notes} when missing: conditional formats and calculation suspension (ExcelApi
 * 1.6), tab colour, frozen panes and chart series from ranges (1.7; without them a chart whose
 * categories and series sit side by side is still drawn from one range), the value axis format and
 * hidden gridlines (1.8), screen-updating suspension (1.9). The base is ExcelApi 1.4
 * (`getItemOrNullObject` for the cleanup), which every Excel with shared runtimes has.
 */
import { isFormulaCell, resolveSheetReferences, type Block, type Cell, type CellStyle, type ChartSpec, type ChartType, type ConditionalFormat, type RangeRef, type ReportSheet, type TableBlock } from "../reports/sheet";
import { columnsAddress, rangeAddress } from "./address";
import { freeSheetName, freeTableName } from "../reports/names";
import { assertSheetFits } from "../reports/rowLimit";
import { DEFAULT_REQUEST_BUDGET_BYTES, jsonBytes } from "./payload";
import { CONDITIONAL_LOOKS, GENERATED_TAB_COLOR, STYLE_LOOKS, columnWidthPoints } from "./styles";
import { WriteCancelled, type OperationOptions, type WriteResult } from "./workbook";
import type { TabId } from "../reports/tabIds";

/** Says whether the host supports a requirement set, e.g. ("ExcelApi", "1.7"). */
export type IsSetSupported = (set: string, version: string) => boolean;

/** Bytes office.js adds per queued action (ids, names, the object path), on top of its arguments. */
const ACTION_BYTES = 160;

/**
 * Longest stretch of the pane's own work (building a chunk's arrays and measuring them) before
 * it gives the event loop a turn: the pane stays responsive while a big tab is prepared.
 */
const SLICE_MS = 30;

/** Resolves in a later task, letting the page paint and handle input. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Excel's chart type per ChartSpec type (typed by @types/office-js, so a misspelt name does not compile). */
const CHART_TYPES: Readonly<Record<ChartType, Parameters<Excel.ChartCollection["add"]>[0]>> = {
  column: "ColumnClustered",
  bar: "BarClustered",
  stackedColumn: "ColumnStacked",
  line: "Line",
  pie: "Pie",
  scatter: "XYScatter",
};

const OPERATORS = {
  lessThan: "LessThan",
  greaterThan: "GreaterThan",
  lessThanOrEqual: "LessThanOrEqual",
  greaterThanOrEqual: "GreaterThanOrEqual",
  equal: "EqualTo",
} as const;

/**
 * Requests of one `Excel.run`, each kept under the budget: {@link add} syncs first when the next
 * action would pass it. Calculation is suspended for every request (ExcelApi 1.6); screen updating
 * once, for the first (ExcelApi 1.9; Microsoft warns that repeating it makes the window flicker).
 */
class Requests {
  private pending = 0;
  private started = false;
  syncs = 0;
  largest = 0;
  /** Bytes of cells and formats one chunk of rows may take (room left for the actions' own bytes). */
  readonly budgetForChunk: number;

  constructor(
    private readonly context: Excel.RequestContext,
    private readonly budget: number,
    private readonly signal: AbortSignal | undefined,
    private readonly supported: IsSetSupported,
  ) {
    this.budgetForChunk = Math.max(1024, budget - 8 * 1024);
  }

  private begin(): void {
    if (this.supported("ExcelApi", "1.6")) this.context.application.suspendApiCalculationUntilNextSync();
    if (!this.started && this.supported("ExcelApi", "1.9")) this.context.application.suspendScreenUpdatingUntilNextSync();
    this.started = true;
  }

  /** Makes room for an action of `bytes` (its arguments' JSON), syncing the request so far when it would not fit. */
  async add(bytes: number): Promise<void> {
    const size = bytes + ACTION_BYTES;
    if (this.pending > 0 && this.pending + size > this.budget) await this.sync();
    if (this.pending === 0) this.begin();
    this.pending += size;
  }

  /** Sends what is queued (checking for a cancel first). */
  async sync(): Promise<void> {
    if (this.signal?.aborted) throw new WriteCancelled();
    this.largest = Math.max(this.largest, this.pending);
    this.pending = 0;
    this.syncs++;
    await this.context.sync();
  }
}

/** The text Excel gets for a cell through `Range.formulas`: "=…" for a formula, "'…" for text Excel would otherwise read as a number, date or formula. */
function formulaText(cell: Cell | undefined): string | number | boolean | null {
  if (cell === undefined || cell === null) return null;
  if (isFormulaCell(cell)) return `=${cell.formula}`;
  if (typeof cell === "string") {
    // A leading apostrophe keeps text as text (Excel shows no apostrophe): "2024-03", "00123", "=x",
    // "-", and text that itself starts with an apostrophe ("'s-Hertogenbosch").
    if (cell !== "" && /^[\s]*[-+=@.(\d$€£¥']|^(true|false)$/i.test(cell)) return `'${cell}`;
    return cell;
  }
  return cell;
}

interface Grid {
  readonly row: number;
  readonly column: number;
  readonly columnCount: number;
  readonly rows: readonly (readonly (Cell | undefined)[])[];
  readonly numberFormats: readonly (string | null | undefined)[];
}

function gridOf(block: Block): Grid {
  if (block.kind === "table") {
    return { row: block.row, column: block.column, columnCount: block.headers.length, rows: [block.headers, ...block.rows], numberFormats: block.numberFormats ?? [] };
  }
  let columnCount = 0;
  for (const row of block.values) columnCount = Math.max(columnCount, row.length);
  return { row: block.row, column: block.column, columnCount, rows: block.values, numberFormats: block.numberFormats ?? [] };
}

/** Context of one write: where, with what budget, what this Excel supports, what was left out. */
interface Writer {
  readonly sheet: Excel.Worksheet;
  readonly requests: Requests;
  readonly supported: IsSetSupported;
  readonly notes: string[];
  readonly progress: (rowsWritten: number) => void;
}

/**
 * Writes rows of a grid (cells as `formulas`, number formats per formatted column) in chunks under
 * the budget. `skipFormatRows` rows at the top get no number format (a table's header).
 */
async function writeGrid(writer: Writer, grid: Grid, skipFormatRows: number): Promise<void> {
  const { sheet, requests } = writer;
  if (grid.rows.length === 0 || grid.columnCount === 0) return;
  const formatted = grid.numberFormats.map((format, c) => (format ? c : -1)).filter((c) => c >= 0 && c < grid.columnCount);
  // JSON bytes one row adds to each formatted column's n × 1 array: ["fmt"] and a comma.
  const formatRowBytes = formatted.map((c) => jsonBytes(grid.numberFormats[c]) + 3);
  const formatBytesPerRow = formatRowBytes.reduce((sum, bytes) => sum + bytes, 0);
  let start = 0;
  while (start < grid.rows.length) {
    // Bytes of the chunk's `formulas` JSON (rows and commas, brackets) and of its formats.
    let cellBytes = 2;
    let end = start;
    const chunk: (string | number | boolean | null)[][] = [];
    let slice = performance.now();
    while (end < grid.rows.length) {
      if ((end & 255) === 0 && performance.now() - slice > SLICE_MS) {
        await nextTask();
        slice = performance.now();
      }
      const source = grid.rows[end];
      const row: (string | number | boolean | null)[] = [];
      for (let c = 0; c < grid.columnCount; c++) row.push(formulaText(source[c]));
      const rowBytes = jsonBytes(row) + 1;
      if (chunk.length > 0 && cellBytes + rowBytes + formatBytesPerRow * (chunk.length + 1) > requests.budgetForChunk) break;
      chunk.push(row);
      cellBytes += rowBytes;
      end++;
    }
    const range = sheet.getRange(rangeAddress(grid.row + start, grid.column, chunk.length, grid.columnCount));
    await requests.add(cellBytes);
    range.formulas = chunk as unknown[][] as string[][];
    for (let i = 0; i < formatted.length; i++) {
      const c = formatted[i];
      const first = Math.max(start, skipFormatRows);
      if (first >= end) continue;
      const format = grid.numberFormats[c] as string;
      const column = Array.from({ length: end - first }, () => [format]);
      await requests.add(2 + formatRowBytes[i] * (end - first));
      sheet.getRange(rangeAddress(grid.row + first, grid.column + c, end - first, 1)).numberFormat = column;
    }
    writer.progress(end - start);
    start = end;
  }
}

async function applyLook(writer: Writer, range: Excel.Range, style: CellStyle): Promise<void> {
  const look = STYLE_LOOKS[style];
  if (look === undefined) return;
  await writer.requests.add(200);
  const font = look.font;
  if (font !== undefined) {
    if (font.name !== undefined) range.format.font.name = font.name;
    if (font.size !== undefined) range.format.font.size = font.size;
    if (font.bold !== undefined) range.format.font.bold = font.bold;
    if (font.italic !== undefined) range.format.font.italic = font.italic;
    if (font.color !== undefined) range.format.font.color = font.color;
  }
  if (look.fill !== undefined) range.format.fill.color = look.fill;
  if (look.borders !== undefined) {
    for (const edge of look.borders.edges) {
      const border = range.format.borders.getItem(edge);
      border.style = "Continuous";
      border.color = look.borders.color;
    }
  }
}

/**
 * Fonts and fills of a cells block, on the cells its rows hold (as the runner's writer styles
 * them: a short row's missing cells keep the default look): one range per run of rows of the same
 * length and, within it, per run of columns with the same style.
 */
async function styleCells(writer: Writer, grid: Grid, style: CellStyle | undefined, columnStyles: readonly (CellStyle | null)[] | undefined): Promise<void> {
  const styleOf = (c: number): CellStyle => columnStyles?.[c] ?? style ?? "body";
  for (let r = 0; r < grid.rows.length; ) {
    const width = grid.rows[r].length;
    let rowEnd = r + 1;
    while (rowEnd < grid.rows.length && grid.rows[rowEnd].length === width) rowEnd++;
    for (let c = 0; c < width; ) {
      const current = styleOf(c);
      let end = c + 1;
      while (end < width && styleOf(end) === current) end++;
      await applyLook(writer, writer.sheet.getRange(rangeAddress(grid.row + r, grid.column + c, rowEnd - r, end - c)), current);
      c = end;
    }
    r = rowEnd;
  }
}

async function writeTable(writer: Writer, block: TableBlock, name: string): Promise<void> {
  const grid = gridOf(block);
  await writeGrid(writer, grid, 1);
  const { sheet, requests } = writer;
  await requests.add(200);
  const table = sheet.tables.add(rangeAddress(block.row, block.column, 1 + block.rows.length, block.headers.length), true);
  table.name = name;
  table.style = "TableStyleMedium2";
  if (block.totals !== undefined) {
    table.showTotals = true;
    // A blank total is written as "" (clears), so Excel's default totals ("Total", a SUBTOTAL of the last column) do not stay.
    const given = block.totals;
    const totals = block.headers.map((_, c) => given[c] ?? "");
    await writeGrid(writer, { row: block.row + 1 + block.rows.length, column: block.column, columnCount: block.headers.length, rows: [totals], numberFormats: block.numberFormats ?? [] }, 0);
    await applyLook(writer, sheet.getRange(rangeAddress(block.row + 1 + block.rows.length, block.column, 1, block.headers.length)), "total");
  }
}

async function columnWidths(writer: Writer, widths: readonly number[]): Promise<void> {
  for (let c = 0; c < widths.length; ) {
    const width = widths[c];
    let end = c + 1;
    while (end < widths.length && widths[end] === width) end++;
    if (Number.isFinite(width) && width > 0) {
      await writer.requests.add(60);
      writer.sheet.getRange(columnsAddress(c, end - c)).format.columnWidth = columnWidthPoints(width);
    }
    c = end;
  }
}

function addressOf(range: RangeRef): string {
  return rangeAddress(range.row, range.column, range.rowCount, range.columnCount);
}

async function conditionalFormat(api: typeof Excel, writer: Writer, format: ConditionalFormat): Promise<void> {
  const range = writer.sheet.getRange(addressOf(format.range));
  const rule = format.rule;
  await writer.requests.add(400);
  if (rule.kind === "colorScale") {
    const scale = range.conditionalFormats.add(api.ConditionalFormatType.colorScale).colorScale;
    scale.criteria = {
      minimum: { formula: undefined, type: "LowestValue", color: `#${rule.low}` },
      ...(rule.mid === undefined ? {} : { midpoint: { formula: "50", type: "Percentile", color: `#${rule.mid}` } }),
      maximum: { formula: undefined, type: "HighestValue", color: `#${rule.high}` },
    } as Excel.ConditionalColorScaleCriteria;
    return;
  }
  if (rule.kind === "dataBar") {
    const bar = range.conditionalFormats.add(api.ConditionalFormatType.dataBar).dataBar;
    bar.barDirection = "LeftToRight";
    bar.positiveFormat.fillColor = `#${rule.color}`;
    bar.positiveFormat.gradientFill = false;
    return;
  }
  const look = CONDITIONAL_LOOKS[rule.look];
  if (rule.kind === "expression") {
    const custom = range.conditionalFormats.add(api.ConditionalFormatType.custom).custom;
    custom.rule.formula = `=${rule.formula}`;
    custom.format.fill.color = look.fill;
    custom.format.font.color = look.font;
    return;
  }
  const cellValueFormat = range.conditionalFormats.add(api.ConditionalFormatType.cellValue).cellValue;
  cellValueFormat.rule = { formula1: `=${rule.value}`, operator: OPERATORS[rule.operator] };
  cellValueFormat.format.fill.color = look.fill;
  cellValueFormat.format.font.color = look.font;
}

/** The single range of categories and all series when they sit side by side (for Excel without series APIs). */
function contiguousSource(chart: ChartSpec): RangeRef | null {
  const columns = [chart.categories, ...chart.series.map((s) => s.values)];
  const first = columns[0];
  for (let i = 0; i < columns.length; i++) {
    const range = columns[i];
    if (range.columnCount !== 1 || range.row !== first.row || range.rowCount !== first.rowCount || range.column !== first.column + i) return null;
  }
  return { row: first.row, column: first.column, rowCount: first.rowCount, columnCount: columns.length };
}

async function drawChart(writer: Writer, spec: ChartSpec): Promise<void> {
  const { sheet, requests, supported, notes } = writer;
  const type = CHART_TYPES[spec.type];
  const seriesApi = supported("ExcelApi", "1.7");
  const seriesBy = spec.categories.columnCount === 1 ? "Columns" : "Rows";
  await requests.add(600 + 200 * spec.series.length);
  let chart: Excel.Chart;
  if (seriesApi) {
    const first = spec.series[0];
    chart = sheet.charts.add(type, sheet.getRange(addressOf(first.values)), seriesBy);
    spec.series.forEach((series, i) => {
      const item = i === 0 ? chart.series.getItemAt(0) : chart.series.add(series.name);
      item.name = series.name;
      item.setValues(sheet.getRange(addressOf(series.values)));
      item.setXAxisValues(sheet.getRange(addressOf(spec.categories)));
    });
  } else {
    const source = contiguousSource(spec);
    if (source === null) {
      notes.push(`Chart "${spec.title}" needs ExcelApi 1.7 (chart series from ranges): not drawn.`);
      return;
    }
    chart = sheet.charts.add(type, sheet.getRange(addressOf(source)), seriesBy);
  }
  chart.title.text = spec.title;
  if (spec.type !== "pie") {
    if (spec.xAxisTitle !== undefined) chart.axes.categoryAxis.title.text = spec.xAxisTitle;
    if (spec.yAxisTitle !== undefined) chart.axes.valueAxis.title.text = spec.yAxisTitle;
    if (spec.valueFormat !== undefined) {
      if (supported("ExcelApi", "1.8")) chart.axes.valueAxis.numberFormat = spec.valueFormat;
      else notes.push(`Chart "${spec.title}": the value axis format needs ExcelApi 1.8; Excel's default is shown.`);
    }
  }
  const a = spec.anchor;
  chart.setPosition(rangeAddress(a.row, a.column, 1, 1), rangeAddress(a.row + Math.max(1, a.rows) - 1, a.column + Math.max(1, a.columns) - 1, 1, 1));
}

function freeze(writer: Writer, rows: number, columns: number): void {
  const panes = writer.sheet.freezePanes;
  if (rows > 0 && columns > 0) panes.freezeAt(writer.sheet.getRange(rangeAddress(0, 0, rows, columns)));
  else if (rows > 0) panes.freezeRows(rows);
  else if (columns > 0) panes.freezeColumns(columns);
}

/** Rows a sheet writes (for progress). */
function rowsOf(sheet: ReportSheet): number {
  return sheet.blocks.reduce((sum, block) => sum + (block.kind === "table" ? 1 + block.rows.length + (block.totals ? 1 : 0) : block.values.length), 0);
}

/** Deletes the sheet if it exists; an error here is reported with the original reason. */
async function removeSheet(context: Excel.RequestContext, name: string): Promise<void> {
  const sheet = context.workbook.worksheets.getItemOrNullObject(name);
  sheet.load("name");
  await context.sync();
  if (sheet.isNullObject) return;
  sheet.delete();
  await context.sync();
}

/** Options of {@link writeReportSheet}. */
export interface WriteOptions extends OperationOptions {
  readonly activate?: boolean;
  /**
   * The sheet names of the other tabs of the same run, by tab, for the report's cross-tab formulas
   * (sheet.ts, tabCell); a formula referring to a tab not named here is written as its value.
   */
  readonly tabNames?: ReadonlyMap<TabId, string>;
  /** Place the new sheet just before this sheet (the Scorecard before the tabs it reads); omitted: at the end. */
  readonly before?: string;
}

/**
 * Writes `report` on a new worksheet with a free name; see the module comment.
 *
 * @param api the Excel namespace.
 * @param report the tab.
 * @param options cancel, progress, and whether to activate the new sheet at the end.
 * @param supported requirement-set check (Office.context.requirements.isSetSupported).
 * @param budgetBytes the largest request, in bytes of JSON arguments plus a per-action allowance.
 * @returns the sheet's name and what this Excel could not do.
 * @throws WriteCancelled after cleanup when cancelled; otherwise Excel's error, after cleanup; Error,
 *   before anything is written, when the tab passes an Excel sheet's last row.
 */
export async function writeReportSheet(api: typeof Excel, given: ReportSheet, options: WriteOptions, supported: IsSetSupported, budgetBytes = DEFAULT_REQUEST_BUDGET_BYTES): Promise<WriteResult & { syncs: number; largestRequestBytes: number }> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw new WriteCancelled();
  // Never a half-written sheet past Excel's last row (buildAllTabs leaves such tabs out).
  assertSheetFits(given);
  let report = given;
  return await api.run(async (context) => {
    const worksheets = context.workbook.worksheets;
    worksheets.load("items/name");
    const workbookTables = context.workbook.tables;
    workbookTables.load("items/name");
    const anchor = options.before === undefined ? null : worksheets.getItemOrNullObject(options.before);
    anchor?.load("position");
    await context.sync();
    // Cross-tab formulas name the other tabs' sheets as written in this run; without them, their values.
    report = resolveSheetReferences(report, (tab) => options.tabNames?.get(tab));
    const name = freeSheetName(
      worksheets.items.map((sheet) => sheet.name),
      report.name,
    );
    const tableNames = workbookTables.items.map((table) => table.name);
    const notes: string[] = [];
    const requests = new Requests(context, budgetBytes, signal, supported);
    const totalRows = Math.max(1, rowsOf(report));
    let rowsWritten = 0;
    try {
      await requests.add(100);
      const sheet = worksheets.add(name);
      if (anchor !== null && !anchor.isNullObject) sheet.position = anchor.position;
      const writer: Writer = {
        sheet,
        requests,
        supported,
        notes,
        progress: (rows) => {
          rowsWritten += rows;
          onProgress?.(Math.min(0.95, (0.9 * rowsWritten) / totalRows), `Writing ${name}: ${rowsWritten.toLocaleString("en-US")} of ${totalRows.toLocaleString("en-US")} rows`);
        },
      };
      if (supported("ExcelApi", "1.7")) sheet.tabColor = GENERATED_TAB_COLOR;
      else notes.push("The tab colour needs ExcelApi 1.7: left as it is.");
      if (supported("ExcelApi", "1.8")) sheet.showGridlines = false;
      await columnWidths(writer, report.columnWidths);
      for (const block of report.blocks) {
        if (block.kind === "table") {
          const tableName = freeTableName(tableNames, block.name);
          tableNames.push(tableName);
          await writeTable(writer, block, tableName);
        } else {
          const grid = gridOf(block);
          await writeGrid(writer, grid, 0);
          await styleCells(writer, grid, block.style, block.columnStyles);
        }
      }
      if (report.freeze.rows > 0 || report.freeze.columns > 0) {
        if (supported("ExcelApi", "1.7")) {
          await requests.add(100);
          freeze(writer, report.freeze.rows, report.freeze.columns);
        } else notes.push("Frozen panes need ExcelApi 1.7: the title and headers scroll with the sheet.");
      }
      if (report.conditionalFormats.length > 0) {
        if (supported("ExcelApi", "1.6")) for (const format of report.conditionalFormats) await conditionalFormat(api, writer, format);
        else notes.push("Conditional formats need ExcelApi 1.6: left out.");
      }
      onProgress?.(0.95, `Drawing ${report.charts.length} chart(s)`);
      for (const chart of report.charts) await drawChart(writer, chart);
      if (options.activate === true) {
        await requests.add(50);
        sheet.activate();
      }
      await requests.sync();
      onProgress?.(1, `Wrote ${name}`);
      return { sheetName: name, notes, syncs: requests.syncs, largestRequestBytes: requests.largest };
    } catch (error) {
      try {
        await removeSheet(context, name);
      } catch (cleanup) {
        const why = error instanceof Error ? error.message : String(error);
        const how = cleanup instanceof Error ? cleanup.message : String(cleanup);
        throw new Error(`${why} The half-written sheet "${name}" could not be removed (${how}); delete it by hand.`, { cause: error });
      }
      throw error;
    }
  });
}
