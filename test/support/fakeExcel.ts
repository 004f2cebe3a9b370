/**
 * A recording fake of the Excel JavaScript API object model: the subset the adapter
 * (src/excel) uses, with Excel's proxy semantics, for unit tests in Node and for browser tests
 * that inject it into the built task pane.
 *
 * What it models:
 * - `Excel.run(batch)`, `context.sync()`, `load(...)`: writes and method calls are queued and
 *   applied at the next sync, in order; a loaded property is readable only after load + sync
 *   (reading it earlier throws `PropertyNotLoaded`, as office.js does); an action that fails at sync
 *   rejects the sync with a `RichApi.Error`-like error (`code` as Excel's) and drops the rest of
 *   the request (actions before it stay applied, as in Excel);
 * - each sync is recorded with the serialised size (UTF-8 JSON) of its request (every queued
 *   action with its arguments, and the loads) and of its response (the loaded values); a request
 *   or response over Excel on the web's 5 MB cap is refused like Excel does;
 * - requirement sets: members newer than `apiVersion` fail at sync with `ApiNotFound`, and
 *   {@link FakeExcel.isSetSupported} answers accordingly;
 * - member names are the real ones (checked against @types/office-js by the compiler where the
 *   tests type them as `typeof Excel`); an enum value Excel would refuse throws `InvalidArgument`.
 *
 * What it does not model: calculation (a formula cell keeps its formula; its value reads as ""),
 * formats beyond fonts, fills, borders, number formats and column widths, merged cells, rich
 * values, events.
 *
 * In a browser page: bundle this file (e.g. esbuild `--format=iife --global-name=FakeExcelKit`),
 * then `page.addInitScript` it and call
 * `FakeExcelKit.installFakeExcel(window, { sheets })`; the task pane's `createOfficeWorkbook()`
 * then finds `window.Excel`. Read back with `window.fakeExcel.exportSheet(name)`.
 */
import type { ExcelTableInfo, SheetCells } from "../../src/reports/detect";

// ---------------------------------------------------------------------------------------------
// Errors like office.js's

/** An error as Excel rejects a sync with: `name` "RichApi.Error", `code` as Excel's (`ItemNotFound`, ...). */
export class FakeExcelError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "RichApi.Error";
    this.code = code;
  }
}

const fail = (code: string, message: string): never => {
  throw new FakeExcelError(code, message);
};

// ---------------------------------------------------------------------------------------------
// Addresses

const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;

interface Region {
  readonly row: number;
  readonly column: number;
  readonly rowCount: number;
  readonly columnCount: number;
}

function letters(column: number): string {
  let out = "";
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

function columnOf(text: string): number {
  let index = 0;
  for (const ch of text.toUpperCase()) index = index * 26 + (ch.charCodeAt(0) - 64);
  return index - 1;
}

function regionText(region: Region): string {
  const start = `${letters(region.column)}${region.row + 1}`;
  if (region.rowCount === 1 && region.columnCount === 1) return start;
  return `${start}:${letters(region.column + region.columnCount - 1)}${region.row + region.rowCount}`;
}

function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** Parses "A1", "B2:D9", "C:E" (whole columns) or "3:5" (whole rows); throws InvalidArgument otherwise. */
function parseRegion(address: string): Region {
  const text = address.replace(/\$/g, "");
  let match = /^([A-Za-z]{1,3})(\d+)(?::([A-Za-z]{1,3})(\d+))?$/.exec(text);
  if (match) {
    const row = Number(match[2]) - 1;
    const column = columnOf(match[1]);
    const lastRow = match[4] === undefined ? row : Number(match[4]) - 1;
    const lastColumn = match[3] === undefined ? column : columnOf(match[3]);
    if (row < 0 || lastRow < row || lastColumn < column || lastRow >= MAX_ROWS || lastColumn >= MAX_COLUMNS) fail("InvalidArgument", `The address "${address}" is not valid.`);
    return { row, column, rowCount: lastRow - row + 1, columnCount: lastColumn - column + 1 };
  }
  match = /^([A-Za-z]{1,3}):([A-Za-z]{1,3})$/.exec(text);
  if (match) return { row: 0, column: columnOf(match[1]), rowCount: MAX_ROWS, columnCount: columnOf(match[2]) - columnOf(match[1]) + 1 };
  match = /^(\d+):(\d+)$/.exec(text);
  if (match) return { row: Number(match[1]) - 1, column: 0, rowCount: Number(match[2]) - Number(match[1]) + 1, columnCount: MAX_COLUMNS };
  return fail("InvalidArgument", `The address "${address}" is not valid.`);
}

const overlaps = (a: Region, b: Region): boolean =>
  a.row < b.row + b.rowCount && b.row < a.row + a.rowCount && a.column < b.column + b.columnCount && b.column < a.column + a.columnCount;

// ---------------------------------------------------------------------------------------------
// The workbook model (what Excel holds)

export interface FakeFont {
  name?: string;
  size?: number;
  bold?: boolean;
  italic?: boolean;
  color?: string;
}

export interface FakeCell {
  /** The constant, or "" for a formula (the fake does not calculate). */
  value: string | number | boolean;
  /** "=…" for a formula cell. */
  formula?: string;
  numberFormat?: string;
  font?: FakeFont;
  fill?: string;
  borders?: Record<string, { style?: string; color?: string }>;
}

export interface FakeTable {
  name: string;
  sheet: string;
  /** Header (when shown), body and totals row (when shown). */
  region: Region;
  showHeaders: boolean;
  showTotals: boolean;
  style: string;
}

export interface FakeChartSeries {
  name: string;
  /** Addresses on the chart's sheet. */
  values: string | null;
  xValues: string | null;
}

export interface FakeChart {
  name: string;
  type: string;
  source: string;
  seriesBy: string;
  title: string | null;
  categoryAxisTitle: string | null;
  valueAxisTitle: string | null;
  valueAxisNumberFormat: string | null;
  series: FakeChartSeries[];
  position: { start: string; end: string } | null;
}

export interface FakeConditionalFormat {
  address: string;
  type: string;
  colorScale?: { criteria: unknown };
  dataBar?: { barDirection?: string; fillColor?: string; gradientFill?: boolean };
  cellValue?: { rule?: { formula1: string; formula2?: string; operator: string }; fill?: string; fontColor?: string };
  custom?: { formula?: string; fill?: string; fontColor?: string };
}

class SheetModel {
  readonly rows: (FakeCell | undefined)[][] = [];
  readonly charts: FakeChart[] = [];
  readonly conditionalFormats: FakeConditionalFormat[] = [];
  readonly columnWidths = new Map<number, number>();
  freeze = { rows: 0, columns: 0 };
  tabColor = "";
  showGridlines = true;
  constructor(public name: string) {}

  cell(row: number, column: number): FakeCell | undefined {
    return this.rows[row]?.[column];
  }

  ensure(row: number, column: number): FakeCell {
    const cells = (this.rows[row] ??= []);
    return (cells[column] ??= { value: "" });
  }

  /** Bounding box of cells with a value (valuesOnly) or with anything; null when none. */
  used(valuesOnly: boolean): Region | null {
    let top = -1;
    let bottom = -1;
    let left = Number.MAX_SAFE_INTEGER;
    let right = -1;
    this.rows.forEach((cells, r) => {
      cells?.forEach((cell, c) => {
        if (cell === undefined) return;
        if (valuesOnly && cell.value === "" && cell.formula === undefined) return;
        if (top < 0) top = r;
        bottom = r;
        left = Math.min(left, c);
        right = Math.max(right, c);
      });
    });
    return top < 0 ? null : { row: top, column: left, rowCount: bottom - top + 1, columnCount: right - left + 1 };
  }
}

/** Excel's table and conditional-format enums as office.js defines them (string values). */
export const FAKE_ENUMS = {
  ConditionalFormatType: { custom: "Custom", dataBar: "DataBar", colorScale: "ColorScale", iconSet: "IconSet", topBottom: "TopBottom", presetCriteria: "PresetCriteria", containsText: "ContainsText", cellValue: "CellValue" },
  ChartType: {
    columnClustered: "ColumnClustered",
    columnStacked: "ColumnStacked",
    barClustered: "BarClustered",
    barStacked: "BarStacked",
    line: "Line",
    lineMarkers: "LineMarkers",
    pie: "Pie",
    xyscatter: "XYScatter",
    area: "Area",
    doughnut: "Doughnut",
  },
  ChartSeriesBy: { auto: "Auto", columns: "Columns", rows: "Rows" },
  ConditionalCellValueOperator: { invalid: "Invalid", between: "Between", notBetween: "NotBetween", equalTo: "EqualTo", notEqualTo: "NotEqualTo", greaterThan: "GreaterThan", lessThan: "LessThan", greaterThanOrEqual: "GreaterThanOrEqual", lessThanOrEqual: "LessThanOrEqual" },
  ConditionalFormatColorCriterionType: { invalid: "Invalid", lowestValue: "LowestValue", highestValue: "HighestValue", number: "Number", percent: "Percent", formula: "Formula", percentile: "Percentile" },
  ConditionalDataBarDirection: { context: "Context", leftToRight: "LeftToRight", rightToLeft: "RightToLeft" },
  BorderIndex: { edgeTop: "EdgeTop", edgeBottom: "EdgeBottom", edgeLeft: "EdgeLeft", edgeRight: "EdgeRight", insideVertical: "InsideVertical", insideHorizontal: "InsideHorizontal", diagonalDown: "DiagonalDown", diagonalUp: "DiagonalUp" },
  BorderLineStyle: { none: "None", continuous: "Continuous", dash: "Dash", dashDot: "DashDot", dashDotDot: "DashDotDot", dot: "Dot", double: "Double", slantDashDot: "SlantDashDot" },
} as const;

// Compile-time check that every enum value the fake accepts is one @types/office-js declares.
type Values<T> = T[keyof T];
const ENUMS_ARE_EXCELS: {
  readonly [K in keyof typeof FAKE_ENUMS]: readonly `${(typeof Excel)[K] extends object ? Values<(typeof Excel)[K]> & string : never}`[];
} = {
  ConditionalFormatType: Object.values(FAKE_ENUMS.ConditionalFormatType),
  ChartType: Object.values(FAKE_ENUMS.ChartType),
  ChartSeriesBy: Object.values(FAKE_ENUMS.ChartSeriesBy),
  ConditionalCellValueOperator: Object.values(FAKE_ENUMS.ConditionalCellValueOperator),
  ConditionalFormatColorCriterionType: Object.values(FAKE_ENUMS.ConditionalFormatColorCriterionType),
  ConditionalDataBarDirection: Object.values(FAKE_ENUMS.ConditionalDataBarDirection),
  BorderIndex: Object.values(FAKE_ENUMS.BorderIndex),
  BorderLineStyle: Object.values(FAKE_ENUMS.BorderLineStyle),
};
void ENUMS_ARE_EXCELS;

const oneOf = (what: string, value: unknown, allowed: Record<string, string>): string => {
  const values = Object.values(allowed);
  if (typeof value !== "string" || !values.includes(value)) fail("InvalidArgument", `${what}: "${String(value)}" is not one of ${values.join(", ")}.`);
  return value as string;
};

// ---------------------------------------------------------------------------------------------
// Recording

/** One queued action or load, as recorded (and serialised to measure the request). */
export interface RecordedCall {
  /** Which object: "worksheets.getItem(Orders).getRange(A1:D9)". */
  readonly target: string;
  /** The member set, called or loaded: "formulas", "add", "load". */
  readonly member: string;
  readonly kind: "set" | "call" | "load";
  readonly args: unknown;
  /** Index of the sync that sent it (0-based). */
  readonly sync: number;
}

export interface SyncRecord {
  /** UTF-8 bytes of the request: every action with its arguments and every load, as JSON. */
  readonly requestBytes: number;
  /** UTF-8 bytes of the loaded values returned. */
  readonly responseBytes: number;
  readonly actions: number;
  /** The error the sync was rejected with, if any. */
  readonly error?: string;
}

export interface FakeExcelOptions {
  /** Sheets to start with (e.g. the sample business as SheetCells); Excel tables from `tables`. */
  readonly sheets?: readonly SheetCells[];
  /** The current selection: a sheet and an A1 range; default A1 of the first sheet. */
  readonly selection?: { readonly sheet: string; readonly address: string };
  /** Highest ExcelApi version supported, e.g. "1.7" (default "1.17"). */
  readonly apiVersion?: string;
  /** Called for every action at sync; return an error to make that action fail (fault injection). */
  readonly failAt?: (call: RecordedCall, syncIndex: number) => Error | undefined;
  /** Largest request or response (default 5 MB: 5,242,880 bytes). */
  readonly payloadLimitBytes?: number;
  /** Keep each call's arguments in {@link FakeExcel.calls} (default true; false saves memory on huge writes). */
  readonly keepArgs?: boolean;
}

const compareVersions = (a: string, b: string): number => {
  const [am, an] = a.split(".").map(Number);
  const [bm, bn] = b.split(".").map(Number);
  return am !== bm ? am - bm : (an ?? 0) - (bn ?? 0);
};

const encoder = new TextEncoder();
/** The fake's sync gives the event loop a turn after this long applying actions. */
const YIELD_AFTER_MS = 25;

/** Resolves in a later task of the event loop (what a round trip to Excel does). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
const bytesOf = (value: unknown): number => encoder.encode(JSON.stringify(value) ?? "null").length;

interface Action {
  readonly call: RecordedCall;
  readonly minVersion: string;
  readonly run: () => void;
}

interface PendingLoad {
  readonly object: FakeObject;
  readonly props: string[];
}

class Engine {
  readonly sheets: SheetModel[] = [];
  readonly tables: FakeTable[] = [];
  readonly calls: RecordedCall[] = [];
  readonly syncs: SyncRecord[] = [];
  /** Spans (performance.now() start, duration in ms) the fake spent applying requests. */
  readonly busy: { start: number; duration: number }[] = [];
  selection: { sheet: string; region: Region };
  active = "";
  readonly version: string;
  readonly limit: number;
  private chartCount = 0;
  private tableCount = 0;

  constructor(readonly options: FakeExcelOptions) {
    this.version = options.apiVersion ?? "1.17";
    this.limit = options.payloadLimitBytes ?? 5 * 1024 * 1024;
    for (const cells of options.sheets ?? []) this.addSheetCells(cells);
    const first = this.sheets[0]?.name ?? "";
    this.active = first;
    this.selection = options.selection ? { sheet: options.selection.sheet, region: parseRegion(options.selection.address) } : { sheet: first, region: { row: 0, column: 0, rowCount: 1, columnCount: 1 } };
  }

  supports(version: string): boolean {
    return compareVersions(version, this.version) <= 0;
  }

  sheetNamed(name: string): SheetModel | undefined {
    return this.sheets.find((sheet) => sheet.name.toLowerCase() === name.toLowerCase());
  }

  sheet(name: string): SheetModel {
    return this.sheetNamed(name) ?? fail("ItemNotFound", `The requested resource doesn't exist: worksheet "${name}".`);
  }

  addSheet(name: string): SheetModel {
    if (name.length === 0 || name.length > 31 || /[[\]:*?/\\]/.test(name) || /^'|'$/.test(name)) fail("InvalidArgument", `The sheet name "${name}" is not valid.`);
    if (this.sheetNamed(name) !== undefined || name.toLowerCase() === "history") fail("ItemAlreadyExists", `A worksheet named "${name}" already exists.`);
    const sheet = new SheetModel(name);
    this.sheets.push(sheet);
    return sheet;
  }

  deleteSheet(name: string): void {
    const sheet = this.sheet(name);
    if (this.sheets.length === 1) fail("InvalidOperation", "A workbook must contain at least one visible worksheet.");
    this.sheets.splice(this.sheets.indexOf(sheet), 1);
    for (let i = this.tables.length - 1; i >= 0; i--) if (this.tables[i].sheet === sheet.name) this.tables.splice(i, 1);
    if (this.active === sheet.name) this.active = this.sheets[0].name;
  }

  addTable(sheetName: string, region: Region, hasHeaders: boolean): FakeTable {
    const sheet = this.sheet(sheetName);
    for (const table of this.tables) if (table.sheet === sheet.name && overlaps(table.region, region)) fail("InvalidOperation", `A table can't overlap another table (${table.name}).`);
    const headers = new Set<string>();
    if (hasHeaders) {
      for (let c = 0; c < region.columnCount; c++) {
        const cell = sheet.cell(region.row, region.column + c);
        let text = cell === undefined || cell.value === "" ? `Column${c + 1}` : String(cell.value);
        if (headers.has(text.toLowerCase())) text = `${text}${c + 1}`;
        headers.add(text.toLowerCase());
        // Excel turns header cells into text.
        Object.assign(sheet.ensure(region.row, region.column + c), { value: text, formula: undefined });
      }
    }
    let name: string;
    do name = `Table${++this.tableCount}`;
    while (this.tables.some((t) => t.name.toLowerCase() === name.toLowerCase()));
    const table: FakeTable = { name, sheet: sheet.name, region: hasHeaders ? region : { ...region, rowCount: region.rowCount + 1 }, showHeaders: true, showTotals: false, style: "TableStyleMedium2" };
    this.tables.push(table);
    return table;
  }

  table(name: string): FakeTable {
    return this.tables.find((t) => t.name.toLowerCase() === name.toLowerCase()) ?? fail("ItemNotFound", `The requested resource doesn't exist: table "${name}".`);
  }

  nextChartName(): string {
    return `Chart ${++this.chartCount}`;
  }

  private addSheetCells(cells: SheetCells): void {
    const sheet = this.addSheet(cells.name);
    const firstRow = (cells.firstRow ?? 1) - 1;
    const firstColumn = cells.firstColumn ?? 0;
    const headerIndex = cells.rows.findIndex((row) => row.some((v) => v !== null && v !== undefined && v !== ""));
    cells.rows.forEach((row, r) =>
      row.forEach((value, c) => {
        const format = r > headerIndex ? (cells.numberFormats?.[c] ?? null) : null;
        if ((value === null || value === undefined || value === "") && format === null) return;
        const cell = sheet.ensure(firstRow + r, firstColumn + c);
        if (value !== null && value !== undefined) cell.value = value instanceof Date ? value.toISOString() : (value as string | number | boolean);
        if (format !== null) cell.numberFormat = format;
      }),
    );
    for (const info of cells.tables ?? []) this.seedTable(sheet.name, info);
  }

  private seedTable(sheet: string, info: ExcelTableInfo): void {
    const region = parseRegion(info.ref);
    this.tables.push({ name: info.name, sheet, region, showHeaders: info.headerRowCount > 0, showTotals: info.totalsRowCount > 0, style: "TableStyleMedium2" });
  }
}

// ---------------------------------------------------------------------------------------------
// Client objects (what the add-in holds): proxies whose writes are queued until sync

class FakeContext {
  private actions: Action[] = [];
  private loads: PendingLoad[] = [];
  readonly created: FakeObject[] = [];
  readonly workbook: FakeWorkbook;
  readonly application: FakeApplication;

  constructor(readonly engine: Engine) {
    this.workbook = new FakeWorkbook(this, "workbook");
    this.application = new FakeApplication(this, "application");
  }

  get pending(): boolean {
    return this.actions.length > 0 || this.loads.length > 0;
  }

  queue(target: string, member: string, kind: "set" | "call", args: unknown, minVersion: string, run: () => void): void {
    const call: RecordedCall = { target, member, kind, args: this.engine.options.keepArgs === false ? undefined : args, sync: this.engine.syncs.length };
    this.actions.push({ call, minVersion, run });
    // The size is measured on the real arguments even when they are not kept.
    (call as { bytes?: number }).bytes = bytesOf({ target, member, args });
  }

  queueLoad(object: FakeObject, props: string[]): void {
    this.loads.push({ object, props });
  }

  async sync(): Promise<void> {
    const engine = this.engine;
    const actions = this.actions;
    const loads = this.loads;
    this.actions = [];
    this.loads = [];
    const syncIndex = engine.syncs.length;
    let requestBytes = 2;
    for (const action of actions) requestBytes += ((action.call as { bytes?: number }).bytes ?? 0) + 1;
    for (const load of loads) requestBytes += bytesOf({ target: load.object.path, load: load.props }) + 1;
    const record = (responseBytes: number, error?: Error): void => {
      engine.syncs.push({ requestBytes, responseBytes, actions: actions.length, ...(error ? { error: error.message } : {}) });
    };
    for (const action of actions) engine.calls.push({ ...action.call, sync: syncIndex });
    for (const load of loads) engine.calls.push({ target: load.object.path, member: "load", kind: "load", args: load.props, sync: syncIndex });
    // A real sync is a round trip to Excel, out of the page: the request leaves in this task and
    // the answer comes back in a later one. The fake does the same (a macrotask each way), so that
    // a page measuring long tasks sees its own work per task, not a chain of syncs run as one.
    await nextTask();
    if (requestBytes > engine.limit) {
      const error = new FakeExcelError("RequestPayloadSizeLimitExceeded", `The request payload size (${requestBytes} bytes) has exceeded the limit.`);
      record(0, error);
      throw error;
    }
    let slice = performance.now();
    // The fake's own time on the page's thread, per task slice (Excel would spend it elsewhere).
    const busy = () => engine.busy.push({ start: slice, duration: performance.now() - slice });
    try {
      for (const action of actions) {
        // Excel applies a request away from the page; the fake yields now and then so that a page
        // measuring long tasks sees the add-in's own work, not the fake's.
        if (performance.now() - slice > YIELD_AFTER_MS) {
          busy();
          await nextTask();
          slice = performance.now();
        }
        if (!engine.supports(action.minVersion)) fail("ApiNotFound", `The API you are trying to use could not be found (${action.call.target}.${action.call.member} needs ExcelApi ${action.minVersion}).`);
        const injected = engine.options.failAt?.(action.call, syncIndex);
        if (injected) throw injected;
        action.run();
      }
      let responseBytes = 2;
      for (const load of loads) {
        if (performance.now() - slice > YIELD_AFTER_MS) {
          busy();
          await nextTask();
          slice = performance.now();
        }
        responseBytes += load.object.resolve(load.props);
      }
      for (const object of this.created) object.synced = true;
      if (responseBytes > engine.limit) fail("ResponsePayloadSizeLimitExceeded", `The response payload size (${responseBytes} bytes) has exceeded the limit.`);
      record(responseBytes);
    } catch (error) {
      record(0, error as Error);
      busy();
      await nextTask();
      throw error;
    }
    busy();
    await nextTask();
  }
}

/** Base of every proxy: a path for the record, loads resolved at sync, reads checked. */
abstract class FakeObject {
  protected readonly loaded = new Map<string, unknown>();
  synced = false;

  constructor(
    readonly context: FakeContext,
    readonly path: string,
  ) {
    context.created.push(this);
  }

  protected get engine(): Engine {
    return this.context.engine;
  }

  /** The loadable scalar properties and how to read each from the model. */
  protected abstract readonly properties: Readonly<Record<string, () => unknown>>;

  load(props?: string | string[] | { select?: string }): this {
    const list = (typeof props === "string" ? props.split(",") : Array.isArray(props) ? props : (props?.select ?? "").split(",")).map((p) => p.trim()).filter((p) => p !== "");
    for (const prop of list) {
      const head = prop.split("/")[0];
      if (!(head in this.properties) && head !== "items") fail("InvalidArgument", `fake Excel: ${this.constructor.name} has no loadable property "${prop}".`);
    }
    this.context.queueLoad(this, list);
    return this;
  }

  /** Reads the loaded properties from the model; returns the response's bytes. */
  resolve(props: readonly string[]): number {
    const values: Record<string, unknown> = {};
    for (const prop of props) {
      const value = this.properties[prop]();
      this.loaded.set(prop, value);
      values[prop] = value;
    }
    return bytesOf(values);
  }

  protected read<T>(prop: string): T {
    if (!this.loaded.has(prop)) {
      fail("PropertyNotLoaded", `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`);
    }
    return this.loaded.get(prop) as T;
  }

  protected set(member: string, value: unknown, minVersion: string, run: () => void): void {
    this.context.queue(this.path, member, "set", value, minVersion, run);
  }

  protected call(member: string, args: unknown[], minVersion: string, run: () => void): void {
    this.context.queue(this.path, member, "call", args, minVersion, run);
  }
}

class FakeApplication extends FakeObject {
  protected readonly properties = { calculationMode: () => "Automatic" };
  suspendApiCalculationUntilNextSync(): void {
    this.call("suspendApiCalculationUntilNextSync", [], "1.6", () => {});
  }
  suspendScreenUpdatingUntilNextSync(): void {
    this.call("suspendScreenUpdatingUntilNextSync", [], "1.9", () => {});
  }
}

class FakeWorkbook extends FakeObject {
  protected readonly properties = { name: () => "Book1" };
  readonly worksheets: FakeWorksheetCollection;
  readonly tables: FakeTableCollection;
  readonly application: FakeApplication;
  constructor(context: FakeContext, path: string) {
    super(context, path);
    this.worksheets = new FakeWorksheetCollection(context, "workbook.worksheets");
    this.tables = new FakeTableCollection(context, "workbook.tables", null);
    this.application = context.application;
  }
  getSelectedRange(): FakeRange {
    return new FakeRange(this.context, "workbook.getSelectedRange()", () => {
      const engine = this.engine;
      return { sheet: engine.sheet(engine.selection.sheet), region: engine.selection.region };
    });
  }
}

class FakeWorksheetCollection extends FakeObject {
  protected readonly properties = { count: () => this.engine.sheets.length, items: () => null };
  private itemList: FakeWorksheet[] | null = null;

  get items(): FakeWorksheet[] {
    if (this.itemList === null) return this.read("items");
    return this.itemList;
  }

  override resolve(props: readonly string[]): number {
    const itemProps = props.filter((p) => p.startsWith("items/")).map((p) => p.slice(6));
    const own = props.filter((p) => !p.startsWith("items") );
    let bytes = super.resolve(own);
    if (props.some((p) => p.startsWith("items"))) {
      this.itemList = this.engine.sheets.map((sheet) => {
        const item = new FakeWorksheet(this.context, `workbook.worksheets.getItem(${sheet.name})`, sheet.name, false);
        bytes += item.resolve(itemProps.length > 0 ? itemProps : ["name"]);
        item.synced = true;
        return item;
      });
    }
    return bytes;
  }

  add(name?: string): FakeWorksheet {
    const sheetName = name ?? `Sheet${this.engine.sheets.length + 1}`;
    const sheet = new FakeWorksheet(this.context, `workbook.worksheets.getItem(${sheetName})`, sheetName, false);
    this.call("add", [name], "1.1", () => void this.engine.addSheet(sheetName));
    return sheet;
  }

  getItem(name: string): FakeWorksheet {
    return new FakeWorksheet(this.context, `workbook.worksheets.getItem(${name})`, name, false);
  }

  getItemOrNullObject(name: string): FakeWorksheet {
    return new FakeWorksheet(this.context, `workbook.worksheets.getItemOrNullObject(${name})`, name, true);
  }

  getActiveWorksheet(): FakeWorksheet {
    return new FakeWorksheet(this.context, "workbook.worksheets.getActiveWorksheet()", this.engine.active, false);
  }
}

class FakeWorksheet extends FakeObject {
  protected readonly properties = {
    name: () => this.model().name,
    position: () => this.engine.sheets.indexOf(this.model()),
    tabColor: () => this.model().tabColor,
    showGridlines: () => this.model().showGridlines,
    visibility: () => "Visible",
  };
  readonly tables: FakeTableCollection;
  readonly charts: FakeChartCollection;
  readonly freezePanes: FakeFreezePanes;
  private readonly nameOf: () => string;

  constructor(
    context: FakeContext,
    path: string,
    sheetName: string | (() => string),
    private readonly orNull: boolean,
  ) {
    super(context, path);
    this.nameOf = typeof sheetName === "string" ? () => sheetName : sheetName;
    this.tables = new FakeTableCollection(context, `${path}.tables`, this.nameOf);
    this.charts = new FakeChartCollection(context, `${path}.charts`, this);
    this.freezePanes = new FakeFreezePanes(context, `${path}.freezePanes`, this);
  }

  model(): SheetModel {
    return this.engine.sheet(this.nameOf());
  }

  get isNullObject(): boolean {
    if (!this.synced) fail("PropertyNotLoaded", "isNullObject is known only after context.sync().");
    return this.orNull && this.engine.sheetNamed(this.nameOf()) === undefined;
  }

  override resolve(props: readonly string[]): number {
    if (this.orNull && this.engine.sheetNamed(this.nameOf()) === undefined) return 2;
    return super.resolve(props);
  }

  get name(): string {
    return this.read("name");
  }
  set position(position: number) {
    this.set("position", position, "1.1", () => {
      const sheets = this.engine.sheets;
      const model = this.model();
      sheets.splice(sheets.indexOf(model), 1);
      sheets.splice(Math.max(0, Math.min(position, sheets.length)), 0, model);
    });
  }
  get position(): number {
    return this.read("position");
  }
  set tabColor(color: string) {
    this.set("tabColor", color, "1.7", () => void (this.model().tabColor = color));
  }
  get tabColor(): string {
    return this.read("tabColor");
  }
  set showGridlines(show: boolean) {
    this.set("showGridlines", show, "1.8", () => void (this.model().showGridlines = show));
  }
  get showGridlines(): boolean {
    return this.read("showGridlines");
  }

  getRange(address?: string): FakeRange {
    const region = address === undefined ? null : parseRegion(address);
    return new FakeRange(this.context, `${this.path}.getRange(${address ?? ""})`, () => ({ sheet: this.model(), region: region ?? { row: 0, column: 0, rowCount: MAX_ROWS, columnCount: MAX_COLUMNS } }));
  }

  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): FakeRange {
    const region = { row: startRow, column: startColumn, rowCount, columnCount };
    return new FakeRange(this.context, `${this.path}.getRangeByIndexes(${regionText(region)})`, () => ({ sheet: this.model(), region }), "1.7");
  }

  getUsedRange(valuesOnly?: boolean): FakeRange {
    return new FakeRange(this.context, `${this.path}.getUsedRange(${valuesOnly === true})`, () => ({ sheet: this.model(), region: this.model().used(valuesOnly === true) ?? { row: 0, column: 0, rowCount: 1, columnCount: 1 } }));
  }

  getUsedRangeOrNullObject(valuesOnly?: boolean): FakeRange {
    return new FakeRange(this.context, `${this.path}.getUsedRangeOrNullObject(${valuesOnly === true})`, () => {
      const region = this.model().used(valuesOnly === true);
      return region === null ? null : { sheet: this.model(), region };
    }, "1.4");
  }

  activate(): void {
    this.call("activate", [], "1.1", () => void (this.engine.active = this.model().name));
  }

  delete(): void {
    this.call("delete", [], "1.1", () => this.engine.deleteSheet(this.nameOf()));
  }
}

type Located = { sheet: SheetModel; region: Region } | null;

const SCALAR_CHECK = (what: string, array: unknown, region: Region): unknown[][] => {
  if (!Array.isArray(array) || !array.every((row) => Array.isArray(row))) return fail("InvalidArgument", `${what} must be a 2-D array.`);
  const rows = array as unknown[][];
  if (rows.length !== region.rowCount || rows.some((row) => row.length !== region.columnCount)) {
    fail("InvalidArgument", `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${what}: ${rows.length} × ${rows[0]?.length ?? 0} for ${region.rowCount} × ${region.columnCount}).`);
  }
  return rows;
};

/** What a cell holds after Excel reads typed input: numbers and ISO dates from text, "'" keeps text. */
function typedInput(input: unknown, asFormula: boolean): { value: string | number | boolean; formula?: string } {
  if (typeof input === "number") {
    if (!Number.isFinite(input)) fail("InvalidArgument", `The value ${input} is not valid.`);
    return { value: input };
  }
  if (typeof input === "boolean") return { value: input };
  if (typeof input !== "string") return fail("InvalidArgument", `The value ${JSON.stringify(input)} is not valid for a cell.`);
  if (input.startsWith("'")) return { value: input.slice(1) };
  if (asFormula && input.startsWith("=") && input.length > 1) return { value: "", formula: input };
  if (/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(input)) return { value: Number(input) };
  const date = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec(input);
  if (date) return { value: Math.round(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3] ?? 1)) / 86_400_000) + 25569 };
  if (/^(true|false)$/i.test(input)) return { value: input.toLowerCase() === "true" };
  return { value: input };
}

class FakeRange extends FakeObject {
  protected readonly properties: Record<string, () => unknown> = {
    address: () => {
      const { sheet, region } = this.located();
      return `${quoteSheet(sheet.name)}!${regionText(region)}`;
    },
    rowCount: () => this.located().region.rowCount,
    columnCount: () => this.located().region.columnCount,
    rowIndex: () => this.located().region.row,
    columnIndex: () => this.located().region.column,
    values: () => this.grid((cell) => cell?.value ?? ""),
    formulas: () => this.grid((cell) => cell?.formula ?? cell?.value ?? ""),
    numberFormat: () => this.grid((cell) => cell?.numberFormat ?? "General"),
    text: () => this.grid((cell) => String(cell?.value ?? "")),
  };
  readonly format: FakeRangeFormat;
  readonly conditionalFormats: FakeConditionalFormatCollection;

  constructor(
    context: FakeContext,
    path: string,
    readonly locate: () => Located,
    private readonly minVersion = "1.1",
  ) {
    super(context, path);
    this.format = new FakeRangeFormat(context, `${path}.format`, this);
    this.conditionalFormats = new FakeConditionalFormatCollection(context, `${path}.conditionalFormats`, this);
  }

  located(): { sheet: SheetModel; region: Region } {
    if (!this.engine.supports(this.minVersion)) fail("ApiNotFound", `${this.path} needs ExcelApi ${this.minVersion}.`);
    return this.locate() ?? fail("ItemNotFound", `The requested resource doesn't exist: ${this.path}.`);
  }

  override resolve(props: readonly string[]): number {
    if (this.locate() === null) return 2; // a null object: nothing to load
    return super.resolve(props);
  }

  get isNullObject(): boolean {
    if (!this.synced) fail("PropertyNotLoaded", "isNullObject is known only after context.sync().");
    return this.locate() === null;
  }

  private grid<T>(read: (cell: FakeCell | undefined) => T): T[][] {
    const { sheet, region } = this.located();
    if (region.rowCount * region.columnCount > 5_000_000) fail("InvalidOperation", "This operation is not permitted: the range is too large.");
    const out: T[][] = [];
    for (let r = 0; r < region.rowCount; r++) {
      const row: T[] = [];
      for (let c = 0; c < region.columnCount; c++) row.push(read(sheet.cell(region.row + r, region.column + c)));
      out.push(row);
    }
    return out;
  }

  private writeCells(what: string, input: unknown, apply: (cell: FakeCell, item: unknown) => void): void {
    const { sheet, region } = this.located();
    const rows = SCALAR_CHECK(what, input, region);
    rows.forEach((row, r) =>
      row.forEach((item, c) => {
        if (item === null || item === undefined) return; // null leaves the cell unchanged
        apply(sheet.ensure(region.row + r, region.column + c), item);
      }),
    );
  }

  get address(): string {
    return this.read("address");
  }
  get rowCount(): number {
    return this.read("rowCount");
  }
  get columnCount(): number {
    return this.read("columnCount");
  }
  get rowIndex(): number {
    return this.read("rowIndex");
  }
  get columnIndex(): number {
    return this.read("columnIndex");
  }
  get values(): unknown[][] {
    return this.read("values");
  }
  set values(input: unknown[][]) {
    this.set("values", input, this.minVersion, () =>
      this.writeCells("values", input, (cell, item) => {
        if (item === "") Object.assign(cell, { value: "", formula: undefined });
        else Object.assign(cell, { formula: undefined }, typedInput(item, false));
      }),
    );
  }
  get formulas(): unknown[][] {
    return this.read("formulas");
  }
  set formulas(input: unknown[][]) {
    this.set("formulas", input, this.minVersion, () =>
      this.writeCells("formulas", input, (cell, item) => {
        if (item === "") Object.assign(cell, { value: "", formula: undefined });
        else Object.assign(cell, { formula: undefined }, typedInput(item, true));
      }),
    );
  }
  get numberFormat(): string[][] {
    return this.read("numberFormat");
  }
  set numberFormat(input: string[][]) {
    this.set("numberFormat", input, this.minVersion, () =>
      this.writeCells("numberFormat", input, (cell, item) => {
        if (typeof item !== "string") fail("InvalidArgument", "A number format must be text.");
        cell.numberFormat = item === "" ? "General" : (item as string);
      }),
    );
  }
  get text(): string[][] {
    return this.read("text");
  }

  get worksheet(): FakeWorksheet {
    return new FakeWorksheet(this.context, `${this.path}.worksheet`, () => this.located().sheet.name, false);
  }

  getIntersectionOrNullObject(anotherRange: FakeRange | string): FakeRange {
    return new FakeRange(this.context, `${this.path}.getIntersectionOrNullObject(${typeof anotherRange === "string" ? anotherRange : anotherRange.path})`, () => {
      const own = this.located();
      const other = typeof anotherRange === "string" ? { sheet: own.sheet, region: parseRegion(anotherRange) } : anotherRange.locate();
      if (other === null || other.sheet !== own.sheet) return null;
      const a = own.region;
      const b = other.region;
      const row = Math.max(a.row, b.row);
      const column = Math.max(a.column, b.column);
      const rowEnd = Math.min(a.row + a.rowCount, b.row + b.rowCount);
      const columnEnd = Math.min(a.column + a.columnCount, b.column + b.columnCount);
      return rowEnd <= row || columnEnd <= column ? null : { sheet: own.sheet, region: { row, column, rowCount: rowEnd - row, columnCount: columnEnd - column } };
    }, "1.4");
  }

  getCell(row: number, column: number): FakeRange {
    return new FakeRange(this.context, `${this.path}.getCell(${row},${column})`, () => {
      const { sheet, region } = this.located();
      return { sheet, region: { row: region.row + row, column: region.column + column, rowCount: 1, columnCount: 1 } };
    });
  }

  /** Applies a change to every cell of the range (formats); whole columns or rows only take widths and heights. */
  eachCell(what: string, apply: (cell: FakeCell) => void): void {
    const { sheet, region } = this.located();
    if (region.rowCount * region.columnCount > 20_000_000) fail("InvalidOperation", `fake Excel: ${what} on whole columns or rows is not modelled.`);
    for (let r = 0; r < region.rowCount; r++) for (let c = 0; c < region.columnCount; c++) apply(sheet.ensure(region.row + r, region.column + c));
  }
}

class FakeRangeFormat extends FakeObject {
  protected readonly properties = { columnWidth: () => this.range.located().sheet.columnWidths.get(this.range.located().region.column) ?? 48, wrapText: () => false, rowHeight: () => 15 };
  readonly font: FakeFontObject;
  readonly fill: FakeFill;
  readonly borders: FakeBorders;
  constructor(
    context: FakeContext,
    path: string,
    readonly range: FakeRange,
  ) {
    super(context, path);
    this.font = new FakeFontObject(context, `${path}.font`, (apply) => this.range.eachCell("font", (cell) => apply((cell.font ??= {}))));
    this.fill = new FakeFill(context, `${path}.fill`, (color) => this.range.eachCell("fill", (cell) => void (cell.fill = color)));
    this.borders = new FakeBorders(context, `${path}.borders`, range);
  }
  set columnWidth(points: number) {
    this.set("columnWidth", points, "1.2", () => {
      if (!(points >= 0)) fail("InvalidArgument", "The column width must be a number of points.");
      const { sheet, region } = this.range.located();
      for (let c = 0; c < region.columnCount; c++) sheet.columnWidths.set(region.column + c, points);
    });
  }
  get columnWidth(): number {
    return this.read("columnWidth");
  }
  set rowHeight(points: number) {
    this.set("rowHeight", points, "1.2", () => {});
  }
  set wrapText(wrap: boolean) {
    this.set("wrapText", wrap, "1.2", () => {});
  }
}

class FakeFontObject extends FakeObject {
  protected readonly properties = {};
  constructor(
    context: FakeContext,
    path: string,
    private readonly apply: (change: (font: FakeFont) => void) => void,
  ) {
    super(context, path);
  }
  set name(name: string) {
    this.set("name", name, "1.1", () => this.apply((font) => void (font.name = name)));
  }
  set size(size: number) {
    this.set("size", size, "1.1", () => this.apply((font) => void (font.size = size)));
  }
  set bold(bold: boolean) {
    this.set("bold", bold, "1.1", () => this.apply((font) => void (font.bold = bold)));
  }
  set italic(italic: boolean) {
    this.set("italic", italic, "1.1", () => this.apply((font) => void (font.italic = italic)));
  }
  set color(color: string) {
    this.set("color", color, "1.1", () => this.apply((font) => void (font.color = color)));
  }
}

class FakeFill extends FakeObject {
  protected readonly properties = {};
  constructor(
    context: FakeContext,
    path: string,
    private readonly apply: (color: string) => void,
  ) {
    super(context, path);
  }
  set color(color: string) {
    this.set("color", color, "1.1", () => this.apply(color));
  }
}

class FakeBorders extends FakeObject {
  protected readonly properties = {};
  constructor(
    context: FakeContext,
    path: string,
    private readonly range: FakeRange,
  ) {
    super(context, path);
  }
  getItem(index: string): FakeBorder {
    return new FakeBorder(this.context, `${this.path}.getItem(${index})`, this.range, index);
  }
}

class FakeBorder extends FakeObject {
  protected readonly properties = {};
  constructor(
    context: FakeContext,
    path: string,
    private readonly range: FakeRange,
    private readonly index: string,
  ) {
    super(context, path);
  }
  private change(key: "style" | "color", value: string): void {
    oneOf("BorderIndex", this.index, FAKE_ENUMS.BorderIndex);
    if (key === "style") oneOf("BorderLineStyle", value, FAKE_ENUMS.BorderLineStyle);
    this.range.eachCell("borders", (cell) => {
      const borders = (cell.borders ??= {});
      (borders[this.index] ??= {})[key] = value;
    });
  }
  set style(style: string) {
    this.set("style", style, "1.1", () => this.change("style", style));
  }
  set color(color: string) {
    this.set("color", color, "1.1", () => this.change("color", color));
  }
}

class FakeFreezePanes extends FakeObject {
  protected readonly properties = {};
  constructor(
    context: FakeContext,
    path: string,
    private readonly sheet: FakeWorksheet,
  ) {
    super(context, path);
  }
  freezeRows(count = 1): void {
    this.call("freezeRows", [count], "1.7", () => void (this.sheet.model().freeze = { rows: count, columns: 0 }));
  }
  freezeColumns(count = 1): void {
    this.call("freezeColumns", [count], "1.7", () => void (this.sheet.model().freeze = { rows: 0, columns: count }));
  }
  freezeAt(frozen: FakeRange | string): void {
    const range = typeof frozen === "string" ? this.sheet.getRange(frozen) : frozen;
    this.call("freezeAt", [typeof frozen === "string" ? frozen : frozen.path], "1.7", () => {
      const { region } = range.located();
      this.sheet.model().freeze = { rows: region.row + region.rowCount, columns: region.column + region.columnCount };
    });
  }
  unfreeze(): void {
    this.call("unfreeze", [], "1.7", () => void (this.sheet.model().freeze = { rows: 0, columns: 0 }));
  }
}

class FakeTableCollection extends FakeObject {
  protected readonly properties = { count: () => this.models().length, items: () => null };
  private itemList: FakeTableObject[] | null = null;
  constructor(
    context: FakeContext,
    path: string,
    private readonly sheetName: (() => string) | null,
  ) {
    super(context, path);
  }
  private models(): FakeTable[] {
    if (this.sheetName === null) return this.engine.tables;
    const sheet = this.engine.sheet(this.sheetName());
    return this.engine.tables.filter((table) => table.sheet === sheet.name);
  }
  get items(): FakeTableObject[] {
    if (this.itemList === null) return this.read("items");
    return this.itemList;
  }
  override resolve(props: readonly string[]): number {
    const itemProps = props.filter((p) => p.startsWith("items/")).map((p) => p.slice(6));
    let bytes = super.resolve(props.filter((p) => !p.startsWith("items")));
    if (props.some((p) => p.startsWith("items"))) {
      this.itemList = this.models().map((table) => {
        const item = new FakeTableObject(this.context, `workbook.tables.getItem(${table.name})`, () => table);
        bytes += item.resolve(itemProps.length > 0 ? itemProps : ["name"]);
        item.synced = true;
        return item;
      });
    }
    return bytes;
  }
  add(address: FakeRange | string, hasHeaders: boolean): FakeTableObject {
    let model: FakeTable | null = null;
    const table = new FakeTableObject(this.context, `${this.path}.add(${typeof address === "string" ? address : address.path})`, () => model ?? fail("ItemNotFound", "The table was not created."));
    this.call("add", [typeof address === "string" ? address : address.path, hasHeaders], "1.1", () => {
      let sheetName = this.sheetName === null ? null : this.sheetName();
      let region: Region;
      if (typeof address === "string") {
        const bang = address.lastIndexOf("!");
        if (bang >= 0) sheetName = address.slice(0, bang).replace(/^'|'$/g, "").replace(/''/g, "'");
        region = parseRegion(bang >= 0 ? address.slice(bang + 1) : address);
      } else {
        const located = address.located();
        sheetName = located.sheet.name;
        region = located.region;
      }
      if (sheetName === null) fail("InvalidArgument", "workbook.tables.add needs a sheet-qualified address.");
      model = this.engine.addTable(sheetName!, region, hasHeaders);
    });
    return table;
  }
  getItem(name: string): FakeTableObject {
    return new FakeTableObject(this.context, `${this.path}.getItem(${name})`, () => this.engine.table(name));
  }
}

class FakeTableObject extends FakeObject {
  protected readonly properties = {
    name: () => this.model().name,
    showTotals: () => this.model().showTotals,
    showHeaders: () => this.model().showHeaders,
    style: () => this.model().style,
  };
  constructor(
    context: FakeContext,
    path: string,
    readonly model: () => FakeTable,
  ) {
    super(context, path);
  }
  get worksheet(): FakeWorksheet {
    return new FakeWorksheet(this.context, `${this.path}.worksheet`, () => this.model().sheet, false);
  }
  get name(): string {
    return this.read("name");
  }
  set name(name: string) {
    this.set("name", name, "1.1", () => {
      if (!/^[A-Za-z_\\][A-Za-z0-9_.]*$/.test(name) || /^[A-Za-z]{1,3}[0-9]+$/.test(name) || /^[RrCc]$/.test(name)) fail("InvalidArgument", `The table name "${name}" is not valid.`);
      const model = this.model();
      if (this.engine.tables.some((t) => t !== model && t.name.toLowerCase() === name.toLowerCase())) fail("InvalidArgument", `A table named "${name}" already exists.`);
      model.name = name;
    });
  }
  get showTotals(): boolean {
    return this.read("showTotals");
  }
  set showTotals(show: boolean) {
    this.set("showTotals", show, "1.3", () => {
      const table = this.model();
      if (show === table.showTotals) return;
      const sheet = this.engine.sheet(table.sheet);
      const below = table.region.row + table.region.rowCount;
      if (show) {
        for (let c = 0; c < table.region.columnCount; c++) {
          const cell = sheet.cell(below, table.region.column + c);
          if (cell !== undefined && (cell.value !== "" || cell.formula !== undefined)) fail("InvalidOperation", "The totals row would overwrite cells below the table.");
        }
        // Excel's defaults: "Total" under the first column, SUBTOTAL of the last.
        Object.assign(sheet.ensure(below, table.region.column), { value: "Total", formula: undefined });
        const lastColumn = table.region.column + table.region.columnCount - 1;
        if (table.region.columnCount > 1) Object.assign(sheet.ensure(below, lastColumn), { value: "", formula: `=SUBTOTAL(109,[${String(sheet.cell(table.region.row, lastColumn)?.value ?? "")}])` });
        table.region = { ...table.region, rowCount: table.region.rowCount + 1 };
      } else {
        table.region = { ...table.region, rowCount: table.region.rowCount - 1 };
      }
      table.showTotals = show;
    });
  }
  get showHeaders(): boolean {
    return this.read("showHeaders");
  }
  set style(style: string) {
    this.set("style", style, "1.3", () => void (this.model().style = style));
  }
  private part(what: string, pick: (table: FakeTable) => Region | null): FakeRange {
    return new FakeRange(this.context, `${this.path}.${what}()`, () => {
      const table = this.model();
      const region = pick(table) ?? fail("ItemNotFound", `The table ${table.name} has no ${what.replace(/^get|Range$/g, "")}.`);
      return { sheet: this.engine.sheet(table.sheet), region };
    });
  }
  getRange(): FakeRange {
    return this.part("getRange", (t) => t.region);
  }
  getHeaderRowRange(): FakeRange {
    return this.part("getHeaderRowRange", (t) => (t.showHeaders ? { ...t.region, rowCount: 1 } : null));
  }
  getDataBodyRange(): FakeRange {
    return this.part("getDataBodyRange", (t) => {
      const top = t.showHeaders ? 1 : 0;
      return { ...t.region, row: t.region.row + top, rowCount: t.region.rowCount - top - (t.showTotals ? 1 : 0) };
    });
  }
  getTotalRowRange(): FakeRange {
    return this.part("getTotalRowRange", (t) => (t.showTotals ? { ...t.region, row: t.region.row + t.region.rowCount - 1, rowCount: 1 } : null));
  }
}

class FakeConditionalFormatCollection extends FakeObject {
  protected readonly properties = { count: () => 0 };
  constructor(
    context: FakeContext,
    path: string,
    private readonly range: FakeRange,
  ) {
    super(context, path);
  }
  add(type: string): FakeConditionalFormatObject {
    let model: FakeConditionalFormat | null = null;
    const format = new FakeConditionalFormatObject(this.context, `${this.path}.add(${type})`, () => model ?? fail("ItemNotFound", "The conditional format was not created."));
    this.call("add", [type], "1.6", () => {
      oneOf("ConditionalFormatType", type, FAKE_ENUMS.ConditionalFormatType);
      const { sheet, region } = this.range.located();
      model = { address: regionText(region), type };
      sheet.conditionalFormats.push(model);
    });
    return format;
  }
}

class FakeConditionalFormatObject extends FakeObject {
  protected readonly properties = { type: () => this.model().type };
  constructor(
    context: FakeContext,
    path: string,
    private readonly model: () => FakeConditionalFormat,
  ) {
    super(context, path);
  }
  private typed<K extends "colorScale" | "dataBar" | "cellValue" | "custom">(key: K, type: string): NonNullable<FakeConditionalFormat[K]> {
    const model = this.model();
    if (model.type !== type) fail("InvalidOperation", `This conditional format is a ${model.type}, not a ${type}.`);
    return (model[key] ??= {} as NonNullable<FakeConditionalFormat[K]>) as NonNullable<FakeConditionalFormat[K]>;
  }
  get colorScale(): { criteria: unknown } {
    const context = this.context;
    const typed = this.typed.bind(this);
    const path = `${this.path}.colorScale`;
    return {
      set criteria(criteria: unknown) {
        context.queue(path, "criteria", "set", criteria, "1.6", () => {
          const c = criteria as Record<string, { type: string; color?: string } | undefined>;
          for (const key of ["minimum", "midpoint", "maximum"]) if (c[key] !== undefined) oneOf("ConditionalFormatColorCriterionType", c[key]!.type, FAKE_ENUMS.ConditionalFormatColorCriterionType);
          typed("colorScale", "ColorScale").criteria = criteria;
        });
      },
      get criteria(): unknown {
        return fail("PropertyNotLoaded", "criteria is not loaded.");
      },
    };
  }
  get dataBar(): { barDirection: string; positiveFormat: { fillColor: string; gradientFill: boolean } } {
    const context = this.context;
    const typed = this.typed.bind(this);
    const path = `${this.path}.dataBar`;
    const bar = () => typed("dataBar", "DataBar");
    return {
      set barDirection(direction: string) {
        context.queue(path, "barDirection", "set", direction, "1.6", () => void (bar().barDirection = oneOf("ConditionalDataBarDirection", direction, FAKE_ENUMS.ConditionalDataBarDirection)));
      },
      get barDirection(): string {
        return fail("PropertyNotLoaded", "barDirection is not loaded.");
      },
      positiveFormat: {
        set fillColor(color: string) {
          context.queue(`${path}.positiveFormat`, "fillColor", "set", color, "1.6", () => void (bar().fillColor = color));
        },
        get fillColor(): string {
          return fail("PropertyNotLoaded", "fillColor is not loaded.");
        },
        set gradientFill(gradient: boolean) {
          context.queue(`${path}.positiveFormat`, "gradientFill", "set", gradient, "1.6", () => void (bar().gradientFill = gradient));
        },
        get gradientFill(): boolean {
          return fail("PropertyNotLoaded", "gradientFill is not loaded.");
        },
      },
    };
  }
  private lookOf(path: string, target: () => { fill?: string; fontColor?: string }) {
    const context = this.context;
    return {
      fill: {
        set color(color: string) {
          context.queue(`${path}.format.fill`, "color", "set", color, "1.6", () => void (target().fill = color));
        },
      },
      font: {
        set color(color: string) {
          context.queue(`${path}.format.font`, "color", "set", color, "1.6", () => void (target().fontColor = color));
        },
      },
    };
  }
  get cellValue(): { rule: unknown; format: ReturnType<FakeConditionalFormatObject["lookOf"]> } {
    const context = this.context;
    const typed = this.typed.bind(this);
    const path = `${this.path}.cellValue`;
    const model = () => typed("cellValue", "CellValue");
    return {
      set rule(rule: unknown) {
        context.queue(path, "rule", "set", rule, "1.6", () => {
          const r = rule as { formula1: string; formula2?: string; operator: string };
          oneOf("ConditionalCellValueOperator", r.operator, FAKE_ENUMS.ConditionalCellValueOperator);
          if (typeof r.formula1 !== "string") fail("InvalidArgument", "formula1 must be text.");
          model().rule = r;
        });
      },
      get rule(): unknown {
        return fail("PropertyNotLoaded", "rule is not loaded.");
      },
      format: this.lookOf(path, model),
    };
  }
  get custom(): { rule: { formula: string }; format: ReturnType<FakeConditionalFormatObject["lookOf"]> } {
    const context = this.context;
    const typed = this.typed.bind(this);
    const path = `${this.path}.custom`;
    const model = () => typed("custom", "Custom");
    return {
      rule: {
        set formula(formula: string) {
          context.queue(`${path}.rule`, "formula", "set", formula, "1.6", () => void (model().formula = formula));
        },
        get formula(): string {
          return fail("PropertyNotLoaded", "formula is not loaded.");
        },
      },
      format: this.lookOf(path, model),
    };
  }
}

class FakeChartCollection extends FakeObject {
  protected readonly properties = { count: () => this.sheet.model().charts.length };
  constructor(
    context: FakeContext,
    path: string,
    private readonly sheet: FakeWorksheet,
  ) {
    super(context, path);
  }
  add(type: string, sourceData: FakeRange, seriesBy: string = "Auto"): FakeChartObject {
    let model: FakeChart | null = null;
    const chart = new FakeChartObject(this.context, `${this.path}.add(${type})`, () => model ?? fail("ItemNotFound", "The chart was not created."));
    this.call("add", [type, sourceData.path, seriesBy], "1.1", () => {
      oneOf("ChartType", type, FAKE_ENUMS.ChartType);
      oneOf("ChartSeriesBy", seriesBy, FAKE_ENUMS.ChartSeriesBy);
      const { sheet, region } = sourceData.located();
      if (sheet !== this.sheet.model()) fail("InvalidArgument", "The chart's source data must be on its sheet.");
      const byRows = seriesBy === "Rows";
      const count = byRows ? region.rowCount : region.columnCount;
      const series: FakeChartSeries[] = [];
      for (let i = 0; i < count; i++) {
        const one = byRows ? { ...region, row: region.row + i, rowCount: 1 } : { ...region, column: region.column + i, columnCount: 1 };
        series.push({ name: `Series${i + 1}`, values: regionText(one), xValues: null });
      }
      model = { name: this.engine.nextChartName(), type, source: regionText(region), seriesBy, title: null, categoryAxisTitle: null, valueAxisTitle: null, valueAxisNumberFormat: null, series, position: null };
      sheet.charts.push(model);
    });
    return chart;
  }
}

class FakeChartObject extends FakeObject {
  protected readonly properties = { name: () => this.model().name };
  readonly title: { text: string };
  readonly axes: { categoryAxis: { title: { text: string } }; valueAxis: { title: { text: string }; numberFormat: string } };
  readonly series: FakeChartSeriesCollection;
  constructor(
    context: FakeContext,
    path: string,
    readonly model: () => FakeChart,
  ) {
    super(context, path);
    const queue = (target: string, member: string, value: unknown, version: string, run: () => void) => context.queue(`${path}.${target}`, member, "set", value, version, run);
    const notLoaded = (): never => fail("PropertyNotLoaded", "Chart text is not loaded.");
    this.title = {
      set text(text: string) {
        queue("title", "text", text, "1.1", () => void (model().title = text));
      },
      get text(): string {
        return notLoaded();
      },
    };
    const axisTitle = (axis: "categoryAxis" | "valueAxis") => ({
      set text(text: string) {
        queue(`axes.${axis}.title`, "text", text, "1.1", () => {
          const chart = model();
          if (chart.type === "Pie") fail("InvalidOperation", "A pie chart has no axes.");
          if (axis === "categoryAxis") chart.categoryAxisTitle = text;
          else chart.valueAxisTitle = text;
        });
      },
      get text(): string {
        return notLoaded();
      },
    });
    this.axes = {
      categoryAxis: { title: axisTitle("categoryAxis") },
      valueAxis: {
        title: axisTitle("valueAxis"),
        set numberFormat(format: string) {
          queue("axes.valueAxis", "numberFormat", format, "1.8", () => void (model().valueAxisNumberFormat = format));
        },
        get numberFormat(): string {
          return notLoaded();
        },
      },
    };
    this.series = new FakeChartSeriesCollection(context, `${path}.series`, model);
  }
  setPosition(startCell: FakeRange | string, endCell?: FakeRange | string): void {
    const text = (cell: FakeRange | string | undefined) => (cell === undefined ? "" : typeof cell === "string" ? cell : cell.path);
    this.call("setPosition", [text(startCell), text(endCell)], "1.1", () => {
      const start = typeof startCell === "string" ? regionText(parseRegion(startCell)) : regionText(startCell.located().region);
      const end = endCell === undefined ? start : typeof endCell === "string" ? regionText(parseRegion(endCell)) : regionText(endCell.located().region);
      this.model().position = { start, end };
    });
  }
}

class FakeChartSeriesCollection extends FakeObject {
  protected readonly properties = { count: () => this.model().series.length };
  constructor(
    context: FakeContext,
    path: string,
    private readonly model: () => FakeChart,
  ) {
    super(context, path);
  }
  getItemAt(index: number): FakeChartSeriesObject {
    return new FakeChartSeriesObject(this.context, `${this.path}.getItemAt(${index})`, () => this.model().series[index] ?? fail("ItemNotFound", `The chart has no series ${index}.`));
  }
  add(name?: string, index?: number): FakeChartSeriesObject {
    let series: FakeChartSeries | null = null;
    const item = new FakeChartSeriesObject(this.context, `${this.path}.add(${name ?? ""})`, () => series ?? fail("ItemNotFound", "The series was not created."));
    this.call("add", [name, index], "1.7", () => {
      series = { name: name ?? `Series${this.model().series.length + 1}`, values: null, xValues: null };
      this.model().series.splice(index ?? this.model().series.length, 0, series);
    });
    return item;
  }
}

class FakeChartSeriesObject extends FakeObject {
  protected readonly properties = { name: () => this.model().name };
  constructor(
    context: FakeContext,
    path: string,
    private readonly model: () => FakeChartSeries,
  ) {
    super(context, path);
  }
  get name(): string {
    return this.read("name");
  }
  set name(name: string) {
    this.set("name", name, "1.1", () => void (this.model().name = name));
  }
  setValues(sourceData: FakeRange): void {
    this.call("setValues", [sourceData.path], "1.7", () => void (this.model().values = regionText(sourceData.located().region)));
  }
  setXAxisValues(sourceData: FakeRange): void {
    this.call("setXAxisValues", [sourceData.path], "1.7", () => void (this.model().xValues = regionText(sourceData.located().region)));
  }
}

// ---------------------------------------------------------------------------------------------
// The public face

/** A written sheet as plain data, for comparison with a ReportSheet or with what `imc report` writes. */
export interface ExportedSheet {
  readonly name: string;
  /** Cells by A1 address ("B5"), only those with a value, a formula or any format. */
  readonly cells: Readonly<Record<string, FakeCell>>;
  readonly tables: readonly { readonly name: string; readonly ref: string; readonly showHeaders: boolean; readonly showTotals: boolean; readonly style: string }[];
  readonly charts: readonly FakeChart[];
  readonly conditionalFormats: readonly FakeConditionalFormat[];
  readonly freeze: { readonly rows: number; readonly columns: number };
  /** Column widths in points by column letter. */
  readonly columnWidths: Readonly<Record<string, number>>;
  readonly tabColor: string;
  readonly showGridlines: boolean;
}

export interface FakeExcel {
  /** The Excel namespace to pass to `createOfficeWorkbook` (or to install as `window.Excel`). */
  readonly Excel: typeof Excel;
  /** `Office.context.requirements.isSetSupported` for this fake's `apiVersion`. */
  isSetSupported(set: string, version?: string): boolean;
  /** Every action and load, in order, with the index of the sync that sent it. */
  readonly calls: readonly RecordedCall[];
  /** Every sync with its request and response sizes. */
  readonly syncs: readonly SyncRecord[];
  /**
   * The spans (performance.now() start, duration in ms) the fake spent applying requests and
   * answering loads: work Excel does outside the page, which a page measuring its long tasks
   * subtracts (each span is a slice of at most about 25 ms plus one action or load).
   */
  readonly busy: readonly { readonly start: number; readonly duration: number }[];
  /** Sheet names in tab order. */
  sheetNames(): string[];
  /** The sheet shown (after `activate`). */
  activeSheet(): string;
  /** The raw cell (or undefined) at a 0-based position. */
  cell(sheet: string, row: number, column: number): FakeCell | undefined;
  /** Everything written on a sheet; `{ cells: false }` leaves the cells out (fast on huge sheets). */
  exportSheet(name: string, options?: { readonly cells?: boolean }): ExportedSheet;
  /** A sheet read back as SheetCells (used range, values, tables), as the adapter would read it. */
  toSheetCells(name: string): SheetCells;
  /** Number of Excel.run batches started. */
  readonly runs: number;
}

/**
 * Creates a fake Excel with the given sheets.
 * @example
 * const fake = createFakeExcel({ sheets: [{ name: "Orders", rows: [["Customer", "Date"], ["C1", 45000]] }] });
 * const port = createOfficeWorkbook(fake.Excel, { isSetSupported: fake.isSetSupported });
 */
export function createFakeExcel(options: FakeExcelOptions = {}): FakeExcel {
  const engine = new Engine(options);
  let runs = 0;
  const namespace = {
    ...FAKE_ENUMS,
    async run<T>(batch: (context: FakeContext) => Promise<T>): Promise<T> {
      if (typeof batch !== "function") fail("InvalidArgument", "Excel.run needs a batch function.");
      runs++;
      const context = new FakeContext(engine);
      const result = await batch(context);
      if (context.pending) await context.sync();
      return result;
    },
  };
  const exportSheet = (name: string, exportOptions: { readonly cells?: boolean } = {}): ExportedSheet => {
    const sheet = engine.sheet(name);
    const cells: Record<string, FakeCell> = {};
    if (exportOptions.cells !== false) sheet.rows.forEach((row, r) => row?.forEach((cell, c) => {
      if (cell !== undefined) cells[`${letters(c)}${r + 1}`] = cell;
    }));
    const columnWidths: Record<string, number> = {};
    for (const [column, width] of sheet.columnWidths) columnWidths[letters(column)] = width;
    return {
      name: sheet.name,
      cells,
      tables: engine.tables.filter((t) => t.sheet === sheet.name).map((t) => ({ name: t.name, ref: regionText(t.region), showHeaders: t.showHeaders, showTotals: t.showTotals, style: t.style })),
      charts: sheet.charts,
      conditionalFormats: sheet.conditionalFormats,
      freeze: sheet.freeze,
      columnWidths,
      tabColor: sheet.tabColor,
      showGridlines: sheet.showGridlines,
    };
  };
  const toSheetCells = (name: string): SheetCells => {
    const sheet = engine.sheet(name);
    const used = sheet.used(true);
    if (used === null) return { name: sheet.name, rows: [] };
    const rows: unknown[][] = [];
    for (let r = 0; r < used.rowCount; r++) {
      const row: unknown[] = [];
      for (let c = 0; c < used.columnCount; c++) row.push(sheet.cell(used.row + r, used.column + c)?.value ?? "");
      rows.push(row);
    }
    const tables = engine.tables
      .filter((t) => t.sheet === sheet.name)
      .map((t) => ({ name: t.name, ref: regionText(t.region), headerRowCount: t.showHeaders ? 1 : 0, totalsRowCount: t.showTotals ? 1 : 0 }));
    return { name: sheet.name, rows, firstRow: used.row + 1, firstColumn: used.column, tables };
  };
  return {
    Excel: namespace as unknown as typeof Excel,
    isSetSupported: (set: string, version?: string) => set === "ExcelApi" && engine.supports(version ?? "1.1"),
    calls: engine.calls,
    syncs: engine.syncs,
    busy: engine.busy,
    sheetNames: () => engine.sheets.map((sheet) => sheet.name),
    activeSheet: () => engine.active,
    cell: (sheet, row, column) => engine.sheet(sheet).cell(row, column),
    exportSheet,
    toSheetCells,
    get runs() {
      return runs;
    },
  };
}

/**
 * Makes office.js's `Office.context.requirements.isSetSupported` answer for the fake (outside
 * Office, office.js has no host to ask). Call it once office.js has loaded, e.g. in the page after
 * `Office.onReady()`: `FakeExcelKit.patchOfficeRequirements(window.Office, window.fakeExcel)`.
 */
export function patchOfficeRequirements(office: { context?: Record<string, unknown> } | undefined, fake: FakeExcel): void {
  if (office === undefined) return;
  const context = (office.context ??= {});
  context.requirements = { isSetSupported: fake.isSetSupported };
}

/**
 * Installs a fake Excel in a page: `target.Excel` (what the task pane's adapter uses),
 * `target.fakeExcel` (to read back what was written), and, when office.js is loaded,
 * `Office.context.requirements.isSetSupported` answering for the fake's `apiVersion`.
 */
export function installFakeExcel(target: Record<string, unknown>, options: FakeExcelOptions = {}): FakeExcel {
  const fake = createFakeExcel(options);
  target.Excel = fake.Excel;
  target.fakeExcel = fake;
  patchOfficeRequirements(target.Office as { context?: Record<string, unknown> } | undefined, fake);
  return fake;
}
