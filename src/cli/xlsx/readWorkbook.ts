/**
 * Reading .xlsx workbooks for the runner: every worksheet's used range as rows of plain values,
 * with one-line errors for files that are not readable workbooks.
 *
 * A small SpreadsheetML reader on top of JSZip rather than ExcelJS's loader: it keeps numbers as
 * they are stored (dates stay Excel serials, no Date round trip), accepts namespace-prefixed parts
 * (as the Open XML SDK writes them, which ExcelJS cannot load), and holds only the cell values.
 */
import JSZip from "jszip";

/** A problem with an .xlsx file, with a one-line message naming the file. */
export class XlsxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XlsxError";
  }
}

/** One worksheet's used range. */
export interface WorkbookSheetData {
  readonly name: string;
  /**
   * Row 0 is the first row of the used range (usually the headers). Dates are Excel serials (1900
   * system), formulas their cached results, errors their text ("#N/A"), rich text flattened.
   */
  readonly rows: (string | number | boolean | null)[][];
  /** Excel row number (1-based) of rows[0], for messages that name the row the user sees; absent when the sheet is empty. */
  readonly firstRow?: number;
  /** Column index (0 = A) of the first column of `rows`; absent when the sheet is empty. */
  readonly firstColumn?: number;
}

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

/**
 * Opens the zip of an .xlsx, or throws an XlsxError saying why it cannot: empty, encrypted
 * (password-protected files are OLE/CFB containers), the old binary .xls format, or not a zip.
 * @param label how the file is named in messages (its path)
 */
export async function openXlsxZip(bytes: Uint8Array, label: string): Promise<JSZip> {
  if (bytes.length === 0) throw new XlsxError(`${label} is empty (0 bytes), not an .xlsx file`);
  if (bytes.length >= 8 && CFB_SIGNATURE.every((b, i) => bytes[i] === b)) {
    if (containsUtf16(bytes, "EncryptedPackage") || containsUtf16(bytes, "EncryptionInfo")) {
      throw new XlsxError(`${label} is password-protected; save it without a password first`);
    }
    throw new XlsxError(`${label} is an old binary Excel file (.xls); save it as .xlsx first`);
  }
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new XlsxError(`${label} is not a valid .xlsx file (not a zip archive)`);
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    throw new XlsxError(`${label} is not a valid .xlsx file (corrupt zip)`);
  }
  if (!zip.file("[Content_Types].xml") || !Object.keys(zip.files).some((path) => /(^|\/)workbook\.xml$/i.test(path) || /(^|\/)workbook\d*\.xml$/i.test(path))) {
    throw new XlsxError(`${label} is not a valid .xlsx file (no workbook inside the zip)`);
  }
  return zip;
}


type Value = string | number | boolean | null;

/** Days between Excel's 1900 and 1904 date systems (serial 0 of 1904 is serial 1462 of 1900). */
const DATE_1904_OFFSET = 1462;

/** XML's character references and the five named entities, decoded (attribute values, element text). */
export function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity === "amp") return "&";
    if (entity === "lt") return "<";
    if (entity === "gt") return ">";
    if (entity === "quot") return '"';
    if (entity === "apos") return "'";
    return String.fromCodePoint(entity.startsWith("#x") ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
  });
}

/** Cell text: XML entities, then Excel's `_xHHHH_` escapes of characters XML cannot hold. */
function decodeXml(text: string): string {
  return decodeXmlEntities(text).replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const attributePatterns = new Map<string, RegExp>();

function attribute(tag: string, name: string): string | undefined {
  let pattern = attributePatterns.get(name);
  if (!pattern) {
    pattern = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`);
    attributePatterns.set(name, pattern);
  }
  const match = pattern.exec(tag);
  if (!match) return undefined;
  const value = match[2] ?? match[3];
  return value.includes("&") || value.includes("_x") ? decodeXml(value) : value;
}

/** Element prefix pattern: any namespace prefix or none. */
const P = "(?:[A-Za-z_][\\w.-]*:)?";

/** The text of a string item (<si> or <is>): its <t> runs joined, phonetic runs left out. */
function itemText(inner: string): string {
  const withoutPhonetics = inner.replace(new RegExp(`<${P}rPh\\b[\\s\\S]*?</${P}rPh>`, "g"), "");
  let out = "";
  const t = new RegExp(`<${P}t(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${P}t>)`, "g");
  for (let match = t.exec(withoutPhonetics); match; match = t.exec(withoutPhonetics)) out += decodeXml(match[1] ?? "");
  return out;
}

function sharedStrings(xml: string | undefined): string[] {
  if (!xml) return [];
  const out: string[] = [];
  const si = new RegExp(`<${P}si(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${P}si>)`, "g");
  for (let match = si.exec(xml); match; match = si.exec(xml)) out.push(itemText(match[1] ?? ""));
  return out;
}

/** Built-in number formats that show dates or times. */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** For each cell format index, whether it shows a date (only needed for 1904-system workbooks). */
function dateStyles(xml: string | undefined): boolean[] {
  if (!xml) return [];
  const custom = new Map<number, string>();
  for (const tag of xml.match(new RegExp(`<${P}numFmt\\b[^>]*>`, "g")) ?? []) custom.set(Number(attribute(tag, "numFmtId")), attribute(tag, "formatCode") ?? "");
  const cellXfs = new RegExp(`<${P}cellXfs\\b[^>]*>([\\s\\S]*?)</${P}cellXfs>`).exec(xml);
  if (!cellXfs) return [];
  return (cellXfs[1].match(new RegExp(`<${P}xf\\b[^>]*>`, "g")) ?? []).map((tag) => {
    const id = Number(attribute(tag, "numFmtId") ?? 0);
    const code = custom.get(id);
    if (code === undefined) return BUILT_IN_DATE_FORMATS.has(id);
    const bare = code.split(";")[0].replace(/"[^"]*"|\\.|\[[^\]]*\]/g, "").toLowerCase();
    return /[dmyhs]/.test(bare) && !/[0#?]/.test(bare);
  });
}

/** Excel serial (1900 system) of ISO date text, as t="d" cells store it. */
function isoToSerial(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?/.exec(text);
  if (!match) return null;
  const days = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000 + 25569;
  const seconds = Number(match[4] ?? 0) * 3600 + Number(match[5] ?? 0) * 60 + Number(match[6] ?? 0);
  return days + seconds / 86_400;
}

/** Column index (0-based) and row (1-based) of an A1 reference. */
function parseReference(ref: string): { row: number; column: number } | undefined {
  const match = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(ref);
  if (!match) return undefined;
  let column = 0;
  for (const ch of match[1].toUpperCase()) column = column * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(match[2]), column: column - 1 };
}

const INLINE_STRING = new RegExp(`<${P}is\\b[^>]*>([\\s\\S]*?)</${P}is>`);
const VALUE = new RegExp(`<${P}v(?:\\s[^>]*)?>([\\s\\S]*?)</${P}v>`);

function cellValue(attrs: string, inner: string, strings: readonly string[]): Value {
  const type = attribute(attrs, "t") ?? "n";
  if (type === "inlineStr") {
    const is = INLINE_STRING.exec(inner);
    return is ? itemText(is[1]) : null;
  }
  const v = VALUE.exec(inner);
  if (!v) return null;
  const text = v[1].includes("&") || v[1].includes("_x") ? decodeXml(v[1]) : v[1];
  switch (type) {
    case "s":
      return strings[Number(text)] ?? null;
    case "str":
    case "e":
      return text;
    case "b":
      return text === "1" || text.toLowerCase() === "true";
    case "d":
      return isoToSerial(text) ?? text;
    default: {
      const number = Number(text);
      return text.trim() !== "" && Number.isFinite(number) ? number : text;
    }
  }
}

function readSheet(xml: string, strings: readonly string[], date1904: boolean, isDateStyle: readonly boolean[]): { rows: Value[][]; firstRow?: number; firstColumn?: number } {
  const cells: { row: number; column: number; value: Value }[] = [];
  let minRow = Infinity;
  let maxRow = -Infinity;
  let minColumn = Infinity;
  let maxColumn = -Infinity;
  const rowPattern = new RegExp(`<${P}row\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${P}row>)`, "g");
  const cellPattern = new RegExp(`<${P}c\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${P}c>)`, "g");
  let rowNumber = 0;
  for (let row = rowPattern.exec(xml); row; row = rowPattern.exec(xml)) {
    const r = attribute(row[1], "r");
    rowNumber = r ? Number(r) : rowNumber + 1;
    let column = -1;
    const inner = row[2] ?? "";
    cellPattern.lastIndex = 0;
    for (let cell = cellPattern.exec(inner); cell; cell = cellPattern.exec(inner)) {
      const ref = attribute(cell[1], "r");
      const at = ref ? parseReference(ref) : undefined;
      column = at ? at.column : column + 1;
      let value = cellValue(cell[1], cell[2] ?? "", strings);
      if (value === null || value === "") continue;
      if (date1904 && typeof value === "number" && isDateStyle[Number(attribute(cell[1], "s") ?? 0)]) value += DATE_1904_OFFSET;
      cells.push({ row: rowNumber, column, value });
      minRow = Math.min(minRow, rowNumber);
      maxRow = Math.max(maxRow, rowNumber);
      minColumn = Math.min(minColumn, column);
      maxColumn = Math.max(maxColumn, column);
    }
  }
  const rows: Value[][] = [];
  if (cells.length === 0) return { rows };
  for (let r = minRow; r <= maxRow; r++) rows.push(new Array<Value>(maxColumn - minColumn + 1).fill(null));
  for (const cell of cells) rows[cell.row - minRow][cell.column - minColumn] = cell.value;
  return { rows, firstRow: minRow, firstColumn: minColumn };
}

/** Resolves a relationship target against the folder of its source part ("../x" and "/xl/x" too). */
export function resolveTarget(sourceDir: string, target: string): string {
  const parts = (target.startsWith("/") ? target.slice(1) : sourceDir + target).split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === "..") out.pop();
    else if (part !== "." && part !== "") out.push(part);
  }
  return out.join("/");
}

async function partText(zip: JSZip, path: string): Promise<string | undefined> {
  const file = zip.file(path) ?? zip.file(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "i"))[0];
  return file ? file.async("string") : undefined;
}

/**
 * Reads every worksheet's cells: the used range of non-blank cells, row 0 its first row (usually
 * the headers). Dates are Excel serials in the 1900 system (1904-system workbooks are converted),
 * formulas their cached results, errors their text ("#N/A"), rich text flattened; chart sheets
 * are skipped. .xlsm files are read like .xlsx.
 * @param bytes the .xlsx or .xlsm file
 * @param fileName how to name the file in errors
 * @throws XlsxError with a one-line message naming the file: empty, not a zip or corrupt,
 *   password-protected, an old .xls file, or missing the parts every workbook has
 */
export async function readWorkbook(bytes: Uint8Array, fileName: string): Promise<WorkbookSheetData[]> {
  const zip = await openXlsxZip(bytes, fileName);
  try {
    const rootRels = (await partText(zip, "_rels/.rels")) ?? "";
    const officeTag = (rootRels.match(/<(?:[\w.-]+:)?Relationship\b[^>]*>/g) ?? []).find((tag) => /\/officeDocument$/.test(attribute(tag, "Type") ?? ""));
    const workbookPath = officeTag ? resolveTarget("", attribute(officeTag, "Target") ?? "") : "xl/workbook.xml";
    const workbookXml = await partText(zip, workbookPath);
    if (workbookXml === undefined) throw new XlsxError(`${fileName} is not a valid .xlsx file (no ${workbookPath} inside)`);
    if (workbookXml.includes("http://purl.oclc.org/ooxml/spreadsheetml/main")) {
      throw new XlsxError(`${fileName} is saved as Strict Open XML; save it as an ordinary Excel Workbook (.xlsx) first`);
    }
    const workbookDir = workbookPath.includes("/") ? workbookPath.slice(0, workbookPath.lastIndexOf("/") + 1) : "";
    const relsPath = `${workbookDir}_rels/${workbookPath.slice(workbookDir.length)}.rels`;
    const rels = new Map<string, { type: string; path: string }>();
    for (const tag of ((await partText(zip, relsPath)) ?? "").match(/<(?:[\w.-]+:)?Relationship\b[^>]*>/g) ?? []) {
      rels.set(attribute(tag, "Id") ?? "", { type: attribute(tag, "Type") ?? "", path: resolveTarget(workbookDir, attribute(tag, "Target") ?? "") });
    }
    const byType = (suffix: string): string | undefined => [...rels.values()].find((rel) => rel.type.endsWith(suffix))?.path;
    const sharedStringsPath = byType("/sharedStrings");
    const strings = sharedStrings(sharedStringsPath ? await partText(zip, sharedStringsPath) : undefined);
    const workbookPr = new RegExp(`<${P}workbookPr\\b[^>]*>`).exec(workbookXml)?.[0] ?? "";
    const date1904 = ["1", "true"].includes((attribute(workbookPr, "date1904") ?? "").toLowerCase());
    const stylesPath = byType("/styles");
    const isDateStyle = date1904 && stylesPath ? dateStyles(await partText(zip, stylesPath)) : [];

    const sheets: WorkbookSheetData[] = [];
    for (const tag of workbookXml.match(new RegExp(`<${P}sheet\\b[^>]*>`, "g")) ?? []) {
      const name = attribute(tag, "name") ?? "";
      const id = /\s[A-Za-z_][\w.-]*:id\s*=\s*("([^"]*)"|'([^']*)')/.exec(tag);
      const rel = id ? rels.get(decodeXml(id[2] ?? id[3])) : undefined;
      if (!rel || !rel.type.endsWith("/worksheet")) continue;
      const xml = await partText(zip, rel.path);
      if (xml === undefined) throw new XlsxError(`${fileName} is not a valid .xlsx file (sheet "${name}" has no part ${rel.path})`);
      sheets.push({ name, ...readSheet(xml, strings, date1904, isDateStyle) });
    }
    return sheets;
  } catch (error) {
    if (error instanceof XlsxError) throw error;
    // Parts are inflated lazily: a damaged entry only fails here.
    throw new XlsxError(`${fileName} is not a valid .xlsx file (corrupt zip)`);
  }
}
