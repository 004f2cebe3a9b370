/**
 * The "done when" checks of a written workbook's generated tabs (docs/tabs.md in ../shared/docs),
 * read back from the .xlsx bytes alone: ExcelJS for the cells, their number formats, alignment and
 * column widths, and the zip's own parts (workbook, relationships, tables, drawings, charts) for
 * what ExcelJS does not load. Nothing here uses the writer's data structures, so a writer that
 * loses a format or a chart on the way to the file is caught.
 *
 * Each check returns a list of violations (tab, cell, what), empty when the tabs pass; tests assert
 * `toEqual([])` so a failure prints the whole list.
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";

/** One thing wrong with a generated tab. */
export interface TabViolation {
  readonly tab: string;
  /** A1 address of the cell, or the part concerned ("chart 2", "workbook"). */
  readonly cell: string;
  readonly what: string;
}

/** A workbook read back for the checks. */
export interface WrittenWorkbook {
  readonly workbook: ExcelJS.Workbook;
  readonly zip: JSZip;
  /** Sheet names in workbook order. */
  readonly sheetNames: readonly string[];
  /** Package path of each sheet's part, by sheet name. */
  readonly sheetParts: ReadonlyMap<string, string>;
}

/** Loads the bytes with ExcelJS and as a zip. */
export async function loadWritten(bytes: Uint8Array): Promise<WrittenWorkbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const zip = await JSZip.loadAsync(bytes);
  const workbookXml = await text(zip, "xl/workbook.xml");
  const rels = relationshipsOf(await text(zip, "xl/_rels/workbook.xml.rels"), "xl/");
  const sheetNames: string[] = [];
  const sheetParts = new Map<string, string>();
  for (const tag of workbookXml.match(/<(?:\w+:)?sheet\b[^>]*>/g) ?? []) {
    const name = decodeXml(attributeOf(tag, "name") ?? "");
    const id = /\br:id="([^"]*)"/.exec(tag)?.[1] ?? /\s(?:\w+:)?id="([^"]*)"/.exec(tag)?.[1];
    sheetNames.push(name);
    const target = id === undefined ? undefined : rels.get(id);
    if (target !== undefined) sheetParts.set(name, target);
  }
  return { workbook, zip, sheetNames, sheetParts };
}

async function text(zip: JSZip, path: string): Promise<string> {
  const file = zip.file(path);
  if (file === null) throw new Error(`the workbook has no part ${path}`);
  return file.async("string");
}

function attributeOf(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

function decodeXml(value: string): string {
  return value
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Relationship id → resolved package path, for a .rels part of a part in `dir` ("xl/", "xl/worksheets/"). */
function relationshipsOf(xml: string, dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const tag of xml.match(/<Relationship\b[^>]*>/g) ?? []) {
    if (attributeOf(tag, "TargetMode") === "External") continue;
    const id = attributeOf(tag, "Id");
    const target = attributeOf(tag, "Target");
    if (id === undefined || target === undefined) continue;
    out.set(id, resolve(dir, decodeXml(target)));
  }
  return out;
}

function resolve(dir: string, target: string): string {
  const parts = (target.startsWith("/") ? target.slice(1) : dir + target).split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === "..") out.pop();
    else if (part !== "." && part !== "") out.push(part);
  }
  return out.join("/");
}

function relsPathOf(part: string): string {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

function dirOf(part: string): string {
  return part.slice(0, part.lastIndexOf("/") + 1);
}

/** Column letters of a 1-based column. */
function letters(column: number): string {
  let out = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

/** 1-based column of letters. */
function columnOf(text: string): number {
  let column = 0;
  for (const ch of text.toUpperCase()) column = column * 26 + (ch.charCodeAt(0) - 64);
  return column;
}

/** What a cell shows as a value: the cached result of a formula, the value otherwise. */
function shownValue(cell: ExcelJS.Cell): unknown {
  const value = cell.value;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    if ("result" in value) return (value as { result?: unknown }).result ?? null;
    if ("richText" in value) return (value as ExcelJS.CellRichTextValue).richText.map((run) => run.text).join("");
    if ("text" in value) return (value as { text: unknown }).text;
    if ("error" in value) return (value as { error: unknown }).error;
  }
  return value;
}

/** Every cell holding something, with its 1-based row and column. */
function eachCell(worksheet: ExcelJS.Worksheet, visit: (cell: ExcelJS.Cell, row: number, column: number) => void): void {
  worksheet.eachRow({ includeEmpty: false }, (row, r) => {
    row.eachCell({ includeEmpty: false }, (cell, c) => visit(cell, r, c));
  });
}

/** Number formats that show dates or times. */
export function isDateFormat(format: string | undefined): boolean {
  if (format === undefined) return false;
  const bare = format.split(";")[0].replace(/"[^"]*"|\\.|\[[^\]]*\]/g, "").toLowerCase();
  return /[dy]/.test(bare) || (/m/.test(bare) && !/[0#?]/.test(bare));
}

/** Excel serials of 1990-01-01 and 2100-01-01: a number in this range under a date header is a date. */
const SERIAL_1990 = 32874;
const SERIAL_2100 = 73051;
const DATE_HEADER = /\bdate\b|^(?:month|period|day|week|first order|last order|signup|as of)$/i;

/** The text of the nearest non-blank text cell above (row, column), within a few rows: the column's header. */
function headerAbove(worksheet: ExcelJS.Worksheet, row: number, column: number): string | undefined {
  for (let r = row - 1; r >= 1 && r >= row - 400; r--) {
    const value = shownValue(worksheet.getCell(r, column));
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  return undefined;
}

/**
 * Check 1: no computed number in `General` format. Every numeric cell of a generated tab has a
 * number format other than General; a number under a date header ("Order date", "Month", "First
 * order") in the range of dates has a date format.
 */
export function generalFormatViolations(written: WrittenWorkbook, tabs: readonly string[]): TabViolation[] {
  const out: TabViolation[] = [];
  for (const tab of tabs) {
    const worksheet = mustSheet(written, tab);
    // Violations of one kind in one column are reported once, with the rows as ranges ("E89:E1588").
    const groups = new Map<string, { column: number; what: string; rows: number[] }>();
    const add = (r: number, c: number, kind: string, what: () => string): void => {
      const key = `${c}|${kind}`;
      const group = groups.get(key) ?? { column: c, what: what(), rows: [] };
      group.rows.push(r);
      groups.set(key, group);
    };
    eachCell(worksheet, (cell, r, c) => {
      const value = shownValue(cell);
      const format = cell.numFmt;
      if (value instanceof Date) {
        if (!isDateFormat(format)) add(r, c, "date", () => `dates in the number format "${format ?? "General"}"`);
        return;
      }
      if (typeof value !== "number") return;
      if (format === undefined || format === "" || format.toLowerCase() === "general") {
        add(r, c, "general", () => {
          const header = headerAbove(worksheet, r, c);
          return `numbers (first ${value}${header === undefined ? "" : ` under "${header.length > 60 ? `${header.slice(0, 57)}…` : header}"`}) in the General format`;
        });
        return;
      }
      if (value >= SERIAL_1990 && value < SERIAL_2100 && !isDateFormat(format)) {
        const header = headerAbove(worksheet, r, c);
        if (header !== undefined && DATE_HEADER.test(header.trim())) add(r, c, `serial|${format}`, () => `dates under "${header}" in the number format "${format}"`);
      }
    });
    for (const group of groups.values()) {
      out.push({ tab, cell: rowRanges(group.column, group.rows), what: group.what });
    }
  }
  return out;
}

/** Rows of one column as A1 ranges: "E89:E95, E97". */
function rowRanges(column: number, rows: readonly number[]): string {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? `${letters(column)}${sorted[i]}` : `${letters(column)}${sorted[i]}:${letters(column)}${sorted[j]}`);
    i = j + 1;
  }
  return parts.length > 6 ? `${parts.slice(0, 6).join(", ")}, … (${sorted.length} cells)` : parts.join(", ");
}

/** The header cells of a sheet's Excel tables, as (row, column) 1-based, from the table parts. */
async function tableHeaderCells(written: WrittenWorkbook, tab: string): Promise<{ row: number; column: number }[]> {
  const part = written.sheetParts.get(tab);
  if (part === undefined) return [];
  const relsFile = written.zip.file(relsPathOf(part));
  if (relsFile === null) return [];
  const rels = relationshipsOf(await relsFile.async("string"), dirOf(part));
  const sheetXml = await text(written.zip, part);
  const out: { row: number; column: number }[] = [];
  for (const tag of sheetXml.match(/<(?:\w+:)?tablePart\b[^>]*>/g) ?? []) {
    const id = /\br:id="([^"]*)"/.exec(tag)?.[1];
    const tablePath = id === undefined ? undefined : rels.get(id);
    if (tablePath === undefined) continue;
    const tableXml = await text(written.zip, tablePath);
    const tableTag = /<(?:\w+:)?table\b[^>]*>/.exec(tableXml)?.[0] ?? "";
    if (attributeOf(tableTag, "headerRowCount") === "0") continue;
    const ref = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec((attributeOf(tableTag, "ref") ?? "").replace(/\$/g, ""));
    if (ref === null) continue;
    for (let c = columnOf(ref[1]); c <= columnOf(ref[3]); c++) out.push({ row: Number(ref[2]), column: c });
  }
  return out;
}

function argbOf(color: Partial<ExcelJS.Color> | undefined): string {
  return (color?.argb ?? "").toUpperCase();
}

/** A cell styled as a column header of a plain block: bold text on a solid fill with a border below (not a red warning). */
function looksLikeHeader(cell: ExcelJS.Cell): boolean {
  const fill = cell.fill as ExcelJS.FillPattern | undefined;
  if (cell.font?.bold !== true || fill?.type !== "pattern" || fill.pattern !== "solid") return false;
  if (cell.border?.bottom?.style === undefined) return false;
  const fillColour = argbOf(fill.fgColor);
  const fontColour = argbOf(cell.font.color);
  // A warning's look: red on pink; not a header.
  return !/^FF(FFC7CE|9C0006)$/.test(fillColour) && fontColour !== "FF9C0006";
}

/** Width of a column in characters (the sheet's default when the column has none). */
function widthOf(worksheet: ExcelJS.Worksheet, column: number): number {
  return worksheet.getColumn(column).width ?? worksheet.properties.defaultColWidth ?? 8.43;
}

/**
 * Check 2: every header fits its column or wraps. Header cells are the header rows of the tab's
 * Excel tables and cells styled as headers (bold, filled, underlined by a border). A header fits
 * when its column is at least its length + 1 characters wide; otherwise it must wrap, and its
 * longest word must still fit the column (a word broken in the middle is clipped too).
 */
export async function headerFitViolations(written: WrittenWorkbook, tabs: readonly string[]): Promise<TabViolation[]> {
  const out: TabViolation[] = [];
  for (const tab of tabs) {
    const worksheet = mustSheet(written, tab);
    const cells = new Map<string, { row: number; column: number }>();
    for (const place of await tableHeaderCells(written, tab)) cells.set(`${place.row}:${place.column}`, place);
    eachCell(worksheet, (cell, r, c) => {
      if (looksLikeHeader(cell)) cells.set(`${r}:${c}`, { row: r, column: c });
    });
    for (const { row, column } of cells.values()) {
      const cell = worksheet.getCell(row, column);
      const value = shownValue(cell);
      if (typeof value !== "string" || value.trim() === "") continue;
      const width = widthOf(worksheet, column);
      const header = value.trim();
      if (width >= header.length + 1) continue;
      const address = `${letters(column)}${row}`;
      if (cell.alignment?.wrapText !== true) {
        out.push({ tab, cell: address, what: `header "${header}" (${header.length} characters) is clipped: column ${letters(column)} is ${width.toFixed(1)} wide and the header does not wrap` });
        continue;
      }
      const longest = header.split(/\s+/).reduce((a, b) => (b.length > a.length ? b : a), "");
      if (width < longest.length + 1) out.push({ tab, cell: address, what: `header "${header}" wraps, but its word "${longest}" does not fit column ${letters(column)} (${width.toFixed(1)} wide)` });
    }
  }
  return out;
}

/** E-mail addresses and web addresses, left out before looking for identifiers. */
const ADDRESSES = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?:\/\/\S+/g;
/** A sheet reference ("Raw_orders!A1:C20", "'Sales 2024'!B2"): the user's own sheet name. */
const SHEET_REFERENCES = /(?:'[^']+'|[\w.]+)![$A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?/g;
/**
 * A name quoted from the data ("read from the column 'hard_bounces'", `column "order_date"`): the
 * user's own header, cited so it can be found in their sheet, not a name of the code.
 */
const QUOTED_NAMES = /'[^'\s]+'|"[^"\s]+"|“[^”\s]+”|‘[^’\s]+’/g;

const IDENTIFIERS: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /(?<![\w./-])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w/-])/, what: "a snake_case identifier" },
  { pattern: /(?<![\w./-])[a-z]{2,}(?:[A-Z][a-z0-9]+)+(?![\w/-])/, what: "a camelCase identifier" },
  { pattern: /\bIMC\.[A-Z][A-Z0-9.]*\s*\(/, what: "a function name of the add-in" },
  { pattern: /\bREADME\b/i, what: "a reference to the README" },
  { pattern: /\bundefined\b/, what: '"undefined"' },
  { pattern: /\bNaN\b/, what: '"NaN"' },
  { pattern: /\[object\b/, what: '"[object …]"' },
];

/**
 * The code identifiers in a text, e.g. `age_band`, `hardBounces`, `IMC.CLV(`, "README",
 * "undefined", "NaN", "[object Object]"; empty for business text ("CLV : CAC", "BG/NBD",
 * "P(alive)", "Position-based (40/20/40)", e-mail addresses, sheet references, a header of the
 * data quoted as it is ("the column 'hard_bounces'")).
 */
export function codeIdentifiersIn(text: string): string[] {
  const cleaned = text.replace(ADDRESSES, " ").replace(SHEET_REFERENCES, " ").replace(QUOTED_NAMES, " ");
  const found: string[] = [];
  for (const { pattern, what } of IDENTIFIERS) {
    const match = new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`);
    for (const hit of cleaned.matchAll(match)) found.push(`${what} "${hit[0].trim()}"`);
  }
  return found;
}

/** Check 3: no code identifier in any cell text of a generated tab (texts and formulas' text results). */
export function identifierViolations(written: WrittenWorkbook, tabs: readonly string[]): TabViolation[] {
  const out: TabViolation[] = [];
  for (const tab of tabs) {
    eachCell(mustSheet(written, tab), (cell, r, c) => {
      const value = shownValue(cell);
      if (typeof value !== "string") return;
      for (const what of codeIdentifiersIn(value)) out.push({ tab, cell: `${letters(c)}${r}`, what: `${what} in "${value.length > 120 ? `${value.slice(0, 117)}…` : value}"` });
    });
  }
  return out;
}

/** A chart reference "'Sheet'!$A$1:$B$5" as a sheet name and a 1-based rectangle. */
function parseReference(reference: string): { sheet: string; top: number; left: number; bottom: number; right: number } | null {
  const match = /^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(reference.trim());
  if (match === null) return null;
  const sheet = match[1] !== undefined ? match[1].replace(/''/g, "'") : match[2];
  const left = columnOf(match[3]);
  const top = Number(match[4]);
  return { sheet, top, left, right: match[5] ? columnOf(match[5]) : left, bottom: match[6] ? Number(match[6]) : top };
}

/**
 * Check 4: every chart of a tab is a native chart part whose references (`<c:f>`) all point at
 * that tab and at cells written on it; each tab has as many chart parts as it has charts
 * (`expected`, by tab name).
 */
export async function chartViolations(written: WrittenWorkbook, expected: Readonly<Record<string, number>>): Promise<TabViolation[]> {
  const out: TabViolation[] = [];
  for (const [tab, count] of Object.entries(expected)) {
    const part = written.sheetParts.get(tab);
    if (part === undefined) {
      out.push({ tab, cell: "workbook", what: "the tab is not in the workbook" });
      continue;
    }
    const worksheet = mustSheet(written, tab);
    const sheetXml = await text(written.zip, part);
    const relsFile = written.zip.file(relsPathOf(part));
    const rels = relsFile === null ? new Map<string, string>() : relationshipsOf(await relsFile.async("string"), dirOf(part));
    const chartParts: string[] = [];
    for (const tag of sheetXml.match(/<(?:\w+:)?drawing\b[^>]*>/g) ?? []) {
      const drawing = rels.get(/\br:id="([^"]*)"/.exec(tag)?.[1] ?? "");
      if (drawing === undefined || written.zip.file(drawing) === null) {
        out.push({ tab, cell: "drawing", what: "the sheet's drawing part is missing" });
        continue;
      }
      const drawingXml = await text(written.zip, drawing);
      const drawingRelsFile = written.zip.file(relsPathOf(drawing));
      const drawingRels = drawingRelsFile === null ? new Map<string, string>() : relationshipsOf(await drawingRelsFile.async("string"), dirOf(drawing));
      for (const chartTag of drawingXml.match(/<(?:\w+:)?chart\b[^>]*>/g) ?? []) {
        const id = /\br:id="([^"]*)"/.exec(chartTag)?.[1];
        const chart = id === undefined ? undefined : drawingRels.get(id);
        if (chart === undefined || written.zip.file(chart) === null) out.push({ tab, cell: "drawing", what: `a chart anchored in the drawing has no chart part (${id ?? "no id"})` });
        else chartParts.push(chart);
      }
    }
    if (chartParts.length !== count) out.push({ tab, cell: "drawing", what: `${chartParts.length} chart parts for ${count} charts` });
    for (const [index, chart] of chartParts.entries()) {
      const chartXml = await text(written.zip, chart);
      const references = [...chartXml.matchAll(/<(?:\w+:)?f>([^<]*)<\/(?:\w+:)?f>/g)].map((m) => decodeXml(m[1]));
      if (references.length === 0) out.push({ tab, cell: `chart ${index + 1}`, what: "the chart refers to no cells (its data would not follow edits)" });
      for (const reference of references) {
        const range = parseReference(reference);
        if (range === null) {
          out.push({ tab, cell: `chart ${index + 1}`, what: `reference "${reference}" is not a sheet range` });
          continue;
        }
        if (range.sheet !== tab) {
          out.push({ tab, cell: `chart ${index + 1}`, what: `reference "${reference}" points at another sheet` });
          continue;
        }
        const blank: string[] = [];
        for (let r = range.top; r <= range.bottom; r++) {
          for (let c = range.left; c <= range.right; c++) {
            const value = shownValue(worksheet.getCell(r, c));
            if (value === null || value === undefined || value === "") blank.push(`${letters(c)}${r}`);
          }
        }
        if (blank.length > 0) out.push({ tab, cell: `chart ${index + 1}`, what: `reference "${reference}" covers unwritten cells (${blank.slice(0, 5).join(", ")}${blank.length > 5 ? ", …" : ""})` });
      }
    }
  }
  return out;
}

/** Check 5: the workbook opens on a generated tab (workbook.xml bookViews activeTab). */
export async function activeTabViolations(written: WrittenWorkbook, tabs: readonly string[]): Promise<TabViolation[]> {
  const workbookXml = await text(written.zip, "xl/workbook.xml");
  const view = /<(?:\w+:)?workbookView\b[^>]*>/.exec(workbookXml)?.[0];
  const index = Number(view === undefined ? 0 : (attributeOf(view, "activeTab") ?? 0));
  const active = written.sheetNames[index];
  if (active !== undefined && tabs.includes(active)) return [];
  return [{ tab: active ?? `sheet ${index}`, cell: "workbook", what: `the workbook opens on "${active ?? `sheet ${index}`}", not on a generated tab (${tabs.join(", ")})` }];
}

function mustSheet(written: WrittenWorkbook, tab: string): ExcelJS.Worksheet {
  const worksheet = written.workbook.getWorksheet(tab);
  if (worksheet === undefined) throw new Error(`no sheet "${tab}" in the workbook (sheets: ${written.sheetNames.join(", ")})`);
  return worksheet;
}

/** Violations as lines "Tab!A1: what", for messages and reports. */
export function violationLines(violations: readonly TabViolation[]): string[] {
  return violations.map((v) => `${v.tab}!${v.cell}: ${v.what}`);
}

/**
 * The checks of one written tab set as lines: no General number, headers that fit, no code
 * identifier, and — when `charts` gives the expected count per tab — native charts that point into
 * their own tab's cells.
 */
export async function tabViolationLines(written: WrittenWorkbook, tabs: readonly string[], charts?: Readonly<Record<string, number>>): Promise<string[]> {
  return violationLines([
    ...generalFormatViolations(written, tabs),
    ...(await headerFitViolations(written, tabs)),
    ...identifierViolations(written, tabs),
    ...(charts === undefined ? [] : await chartViolations(written, charts)),
  ]);
}
