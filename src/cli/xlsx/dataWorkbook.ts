/**
 * A fast writer for workbooks of plain data sheets (the sample business's Customers, Orders, ...):
 * the SpreadsheetML parts are built as text and zipped with Node's zlib, without ExcelJS's per-cell
 * object model (which needs gigabytes and tens of seconds for a few hundred thousand rows).
 *
 * Each data sheet becomes one worksheet holding one Excel table (TableStyleMedium2, filter buttons)
 * with a bold, frozen header row, column widths fitted to the data and a number format per column.
 * Text is written as inline strings; numbers in their shortest round-trip form; booleans as
 * booleans; blank cells (null or "") are left out.
 *
 * The zip is written here too ({@link zipParts}): JSZip's pure-JavaScript deflate took most of the
 * time for sheets of tens of megabytes; Node's zlib compresses the parts in parallel, several times
 * faster. The zip is a plain one (no zip64, UTF-8 names), as every spreadsheet program reads.
 */
import { promisify } from "node:util";
import { crc32, deflateRaw, constants as zlibConstants, gzip, inflateRawSync } from "node:zlib";
import { columnLetters } from "../../reports/sheet";
import { freeSheetName } from "../../reports/names";
import type { DataSheet } from "./writeReport";

const NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const CT = "application/vnd.openxmlformats-officedocument";
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Excel's limits: rows and columns of a worksheet, characters of a cell's text. */
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
const MAX_CELL_TEXT = 32_767;
/** Column widths (in characters) fitted to the data stay within these bounds. */
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

/** Number formats Excel has built in (id per code); other codes get custom ids from 164. */
const BUILT_IN_FORMATS: ReadonlyMap<string, number> = new Map([
  ["General", 0],
  ["0", 1],
  ["0.00", 2],
  ["#,##0", 3],
  ["#,##0.00", 4],
  ["0%", 9],
  ["0.00%", 10],
  ["0.00E+00", 11],
  ["@", 49],
]);

// ---------------------------------------------------------------------------------------------
// Text

/** Characters that need work in text: markup, XML 1.0's forbidden characters, surrogates, "_xHHHH_". */
// eslint-disable-next-line no-control-regex -- finding the control characters XML forbids is the point
const NEEDS_ESCAPING = /[&<>\u0000-\u0008\u000B-\u001F\uD800-\uDFFF\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, "0");
}

/**
 * Text as SpreadsheetML stores it (ST_Xstring): control characters XML 1.0 forbids (and CR, which
 * XML parsers turn into LF) become Excel's "_xHHHH_" escapes, a literal "_xHHHH_" is protected as
 * "_x005F_xHHHH_", unpaired surrogates and U+FFFE/U+FFFF become U+FFFD, and & < > are escaped.
 * Tab and line feed stay as they are.
 */
function xmlText(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x26) out += "&amp;";
    else if (code === 0x3c) out += "&lt;";
    else if (code === 0x3e) out += "&gt;";
    else if (code < 0x20 && code !== 0x09 && code !== 0x0a) out += `_x${hex4(code)}_`;
    else if (code === 0x5f && /^_x[0-9A-Fa-f]{4}_/.test(text.slice(i, i + 7))) out += "_x005F_";
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + text[i + 1];
        i++;
      } else out += "\uFFFD";
    } else if ((code >= 0xdc00 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) out += "\uFFFD";
    else out += text[i];
  }
  return out;
}

/** Text for an attribute value in double quotes (tab and line feed as character references so they survive attribute normalisation). */
function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
}

/** The cell content of a text value: an inline string, with xml:space="preserve" when spaces at the ends or line breaks must survive. */
function inlineString(text: string): string {
  const escaped = xmlText(text);
  const preserve = /^\s|\s$|[\t\n]/.test(text) ? ' xml:space="preserve"' : "";
  return `<is><t${preserve}>${escaped}</t></is>`;
}

/** A number in its shortest round-trip form ("0.1", "1e+21", "5e-324"); -0 as "0". */
function numberText(value: number): string {
  return value === 0 ? "0" : String(value);
}

// ---------------------------------------------------------------------------------------------
// Names

/** A valid Excel table name from a sheet name, not used (case-insensitively) in `used`; adds it to `used`. */
function freeTableName(preferred: string, used: Set<string>): string {
  let base = preferred.replace(/[^A-Za-z0-9_.]/g, "_");
  if (!/^[A-Za-z_]/.test(base)) base = `T_${base}`;
  // Not a cell reference (A1, XFD1048576) nor R/C/R1C1-style, which Excel rejects as names.
  if (/^[A-Za-z]{1,3}[0-9]+$/.test(base) || /^[RrCc]$/.test(base) || /^[Rr][0-9]*[Cc][0-9]*$/.test(base)) base = `${base}_`;
  base = base.slice(0, 240);
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}_${n}`;
  used.add(name.toLowerCase());
  return name;
}

/** Table column names: the headers, made non-blank and unique ignoring case ("amount", "amount2"), as Excel does. */
function tableColumnNames(headers: readonly string[]): string[] {
  const used = new Set<string>();
  return headers.map((header, c) => {
    const base = header.trim() === "" ? `Column${c + 1}` : header;
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}${n}`;
    used.add(name.toLowerCase());
    return name;
  });
}

// ---------------------------------------------------------------------------------------------
// Widths

function isDateFormat(code: string): boolean {
  const bare = code.split(";")[0].replace(/"[^"]*"|\\.|\[[^\]]*\]/g, "").toLowerCase();
  return /[dmyhs]/.test(bare) && !/[0#?]/.test(bare);
}

/** How a column's numbers show, for its width: a fixed width (dates), or digits with separators and decimals. */
interface NumberLook {
  readonly fixedWidth: number | undefined;
  readonly general: boolean;
  readonly separators: boolean;
  readonly decimals: number;
  readonly percent: boolean;
}

function numberLook(format: string | null): NumberLook {
  const code = format ?? "General";
  return {
    fixedWidth: isDateFormat(code) ? code.replace(/"/g, "").length : undefined,
    general: code === "General" || code === "@",
    separators: code.includes(","),
    decimals: /\.(0+)/.exec(code)?.[1].length ?? 0,
    percent: code.includes("%"),
  };
}

/** Roughly how many characters a value shows with the column's format. */
function shownLength(value: string | number | boolean, look: NumberLook): number {
  if (typeof value === "string") {
    const newline = value.indexOf("\n");
    return newline < 0 ? value.length : newline;
  }
  if (typeof value === "boolean") return 5;
  if (!Number.isFinite(value)) return 6;
  if (look.fixedWidth !== undefined) return look.fixedWidth;
  if (look.general) return Math.min(11, numberText(value).length);
  const integerDigits = Math.max(1, Math.floor(Math.log10(Math.max(1, Math.abs(value)))) + 1);
  const separators = look.separators ? Math.floor((integerDigits - 1) / 3) : 0;
  return integerDigits + separators + (look.decimals > 0 ? look.decimals + 1 : 0) + (value < 0 ? 1 : 0) + (look.percent ? 3 : 0);
}

// ---------------------------------------------------------------------------------------------
// Parts

interface Styles {
  readonly xml: string;
  /** Cell format index of each distinct number format code. */
  readonly xfOfFormat: ReadonlyMap<string, number>;
}

const HEADER_XF = 1;

function stylesPart(sheets: readonly DataSheet[]): Styles {
  const codes: string[] = [];
  for (const sheet of sheets) for (const code of sheet.numberFormats) if (code && code !== "General" && !codes.includes(code)) codes.push(code);
  const custom: string[] = [];
  const xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>', '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'];
  const xfOfFormat = new Map<string, number>();
  for (const code of codes) {
    let id = BUILT_IN_FORMATS.get(code);
    if (id === undefined) {
      id = 164 + custom.length;
      custom.push(`<numFmt numFmtId="${id}" formatCode="${xmlAttribute(code)}"/>`);
    }
    xfOfFormat.set(code, xfs.length);
    xfs.push(`<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`);
  }
  const font = (bold: boolean): string => `<font>${bold ? "<b/>" : ""}<sz val="11"/><color rgb="FF000000"/><name val="Calibri"/><family val="2"/></font>`;
  const xml =
    `${XML_DECLARATION}<styleSheet xmlns="${NS_MAIN}">` +
    (custom.length > 0 ? `<numFmts count="${custom.length}">${custom.join("")}</numFmts>` : "") +
    `<fonts count="2">${font(false)}${font(true)}</fonts>` +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join("")}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>' +
    "</styleSheet>";
  return { xml, xfOfFormat };
}

/**
 * The XML of one non-blank cell: a number (NaN and infinities as #NUM!), a boolean, or an inline
 * string; `style` is its s attribute (` s="3"`, or "").
 * @throws Error when the text is longer than Excel allows in a cell, naming the sheet and cell
 */
export function valueCellXml(ref: string, value: string | number | boolean, style: string, sheetName: string): string {
  if (typeof value === "number") {
    // NaN and infinities have no spreadsheet number: they show as Excel's #NUM! error.
    if (!Number.isFinite(value)) return `<c r="${ref}"${style} t="e"><v>#NUM!</v></c>`;
    return `<c r="${ref}"${style}><v>${numberText(value)}</v></c>`;
  }
  if (typeof value === "boolean") return `<c r="${ref}"${style} t="b"><v>${value ? 1 : 0}</v></c>`;
  if (value.length > MAX_CELL_TEXT) {
    throw new Error(`Text too long for Excel: sheet "${sheetName}" cell ${ref} holds ${value.length.toLocaleString("en-US")} characters; Excel allows at most ${MAX_CELL_TEXT.toLocaleString("en-US")} in a cell`);
  }
  return `<c r="${ref}"${style} t="inlineStr">${inlineString(value)}</c>`;
}

interface SheetParts {
  readonly sheetXml: string;
  readonly tableXml: string | undefined;
}

function sheetParts(data: DataSheet, sheetName: string, tableName: string, tableId: number, selected: boolean, xfOfFormat: ReadonlyMap<string, number>): SheetParts {
  const headers = tableColumnNames(data.headers);
  let columnCount = headers.length;
  for (const row of data.rows) if (row.length > columnCount) columnCount = row.length;
  if (columnCount > MAX_COLUMNS) throw new Error(`writeDataWorkbook: sheet "${sheetName}" has ${columnCount} columns; Excel allows ${MAX_COLUMNS}`);
  if (data.rows.length + 1 > MAX_ROWS) throw new Error(`writeDataWorkbook: sheet "${sheetName}" has ${data.rows.length.toLocaleString("en-US")} rows; Excel allows ${(MAX_ROWS - 1).toLocaleString("en-US")} below the headers`);
  const letters = Array.from({ length: columnCount }, (_, c) => columnLetters(c));
  const styleOf = Array.from({ length: columnCount }, (_, c) => {
    const format = data.numberFormats[c];
    return format ? (xfOfFormat.get(format) ?? 0) : 0;
  });

  const widths = headers.map((header) => header.length + 2); // room for the filter button
  while (widths.length < columnCount) widths.push(0);
  const chunks: string[] = [];
  let chunk: string[] = [];
  const headerCells = headers.map((header, c) => `<c r="${letters[c]}1" s="${HEADER_XF}" t="inlineStr">${inlineString(header)}</c>`).join("");
  chunk.push(`<row r="1">${headerCells}</row>`);
  const styleAttribute = styleOf.map((style) => (style > 0 ? ` s="${style}"` : ""));
  const looks = letters.map((_, c) => numberLook(data.numberFormats[c] ?? null));
  for (let r = 0; r < data.rows.length; r++) {
    const row = data.rows[r];
    const rowNumber = r + 2;
    let cells = "";
    for (let c = 0; c < row.length; c++) {
      const value = row[c];
      if (value === null || value === "") continue;
      cells += valueCellXml(letters[c] + rowNumber, value, styleAttribute[c], sheetName);
      const length = shownLength(value, looks[c]);
      if (length > widths[c]) widths[c] = length;
    }
    if (cells !== "") chunk.push(`<row r="${rowNumber}">${cells}</row>`);
    if (chunk.length >= 5000) {
      chunks.push(chunk.join(""));
      chunk = [];
    }
  }
  chunks.push(chunk.join(""));

  // A table needs a data row: an empty sheet's table covers one blank row.
  const lastRow = Math.max(2, data.rows.length + 1);
  const hasTable = headers.length > 0;
  const tableRef = hasTable ? `A1:${letters[headers.length - 1]}${lastRow}` : "";
  const dimension = columnCount > 0 ? `A1:${letters[columnCount - 1]}${Math.max(1, data.rows.length + 1)}` : "A1";
  const cols = widths
    .map((width, c) => {
      const style = styleOf[c] > 0 ? ` style="${styleOf[c]}"` : "";
      const shown = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width + 1));
      return `<col min="${c + 1}" max="${c + 1}" width="${shown}" customWidth="1"${style}/>`;
    })
    .join("");
  const sheetXml =
    `${XML_DECLARATION}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    `<dimension ref="${dimension}"/>` +
    `<sheetViews><sheetView${selected ? ' tabSelected="1"' : ""} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>` +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    (cols === "" ? "" : `<cols>${cols}</cols>`) +
    `<sheetData>${chunks.join("")}</sheetData>` +
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
    (hasTable ? '<tableParts count="1"><tablePart r:id="rId1"/></tableParts>' : "") +
    "</worksheet>";
  const tableXml = hasTable
    ? `${XML_DECLARATION}<table xmlns="${NS_MAIN}" id="${tableId}" name="${xmlAttribute(tableName)}" displayName="${xmlAttribute(tableName)}" ref="${tableRef}" totalsRowShown="0">` +
      `<autoFilter ref="${tableRef}"/>` +
      `<tableColumns count="${headers.length}">${headers.map((name, c) => `<tableColumn id="${c + 1}" name="${xmlAttribute(name)}"/>`).join("")}</tableColumns>` +
      '<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/>' +
      "</table>"
    : undefined;
  return { sheetXml, tableXml };
}

// ---------------------------------------------------------------------------------------------
// Zip

const gzipAsync = promisify(gzip);

/** A zip entry whose compressed bytes are known (copied from another zip, or compressed here). */
export interface RawZipEntry {
  /** The entry name's bytes as stored (UTF-8 when `flags` has bit 11). */
  readonly name: Uint8Array;
  /** General purpose flags (only bit 11, UTF-8 name, is kept). */
  readonly flags: number;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly dosTime: number;
  readonly dosDate: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly data: Uint8Array;
}

/** A part to write: its text (compressed here), a part compressed as it was produced, or an entry copied as it is. */
export type ZipPart = { readonly path: string; readonly text: string } | { readonly path: string; readonly deflater: PartDeflater } | { readonly raw: RawZipEntry };

/** MS-DOS time and date fields of a moment (local time, as zip tools show it). */
function dosDateTime(date: Date): { dosTime: number; dosDate: number } {
  const year = Math.max(1980, Math.min(2107, date.getFullYear()));
  return {
    dosTime: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    dosDate: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

const deflateRawAsync = promisify(deflateRaw);

/**
 * A big part compressed while it is produced, so that its text never exists whole (a sheet of
 * millions of cells as one string, and that string copied into one buffer, cost seconds and
 * hundreds of megabytes). Each piece of UTF-8 bytes is deflated on zlib's thread pool as soon as
 * it is added, in parallel with the pieces before it and with the code producing the next ones;
 * each ends in a sync flush, so the pieces' deflate data join into one deflate stream (as pigz
 * does), and one empty final block closes it.
 */
export class PartDeflater {
  private readonly deflated: Promise<Buffer>[] = [];
  private crc = 0;
  private size = 0;

  /** Adds the next piece of the part's bytes (split anywhere, even inside a character). */
  add(piece: Uint8Array): void {
    if (piece.length === 0) return;
    this.crc = crc32(piece, this.crc);
    this.size += piece.length;
    const compressed = deflateRawAsync(piece, { level: 6, finishFlush: zlibConstants.Z_SYNC_FLUSH });
    // A failure is reported where the pieces are awaited (entry, bytes); this only keeps Node from
    // treating it as unhandled in the meantime.
    compressed.catch(() => undefined);
    this.deflated.push(compressed);
  }

  /** The part's zip entry (deflated) under `path`, once every piece is compressed. */
  async entry(path: string, when: { dosTime: number; dosDate: number }): Promise<RawZipEntry> {
    const data = await this.deflateData();
    return { name: Buffer.from(path, "utf8"), flags: 0x0800, method: 8, ...when, crc32: this.crc >>> 0, compressedSize: data.length, uncompressedSize: this.size, data };
  }

  /** The part's bytes, uncompressed (for writers that compress themselves). */
  async bytes(): Promise<Buffer> {
    return inflateRawSync(await this.deflateData());
  }

  private async deflateData(): Promise<Buffer> {
    const pieces = await Promise.all(this.deflated);
    // The final block: an empty block with BFINAL set, as zlib ends a stream with nothing left to compress.
    return Buffer.concat([...pieces, await deflateRawAsync(Buffer.alloc(0), { level: 6 })]);
  }
}

/** The deflated entry of a text part (compressed on zlib's thread pool, so parts compress in parallel). */
async function textEntry(path: string, text: string, when: { dosTime: number; dosDate: number }): Promise<RawZipEntry> {
  const bytes = Buffer.from(text, "utf8");
  // A gzip member is a 10-byte header (zlib writes no name or extra field), the raw deflate data,
  // then the CRC-32 and size: so zlib computes the CRC on its thread too.
  const gz = await gzipAsync(bytes, { level: 6 });
  const data = gz.subarray(10, gz.length - 8);
  const crc = gz.readUInt32LE(gz.length - 8);
  if (gz[3] !== 0 || gz.readUInt32LE(gz.length - 4) !== bytes.length >>> 0) throw new Error("zipParts: unexpected gzip framing from zlib");
  return { name: Buffer.from(path, "utf8"), flags: 0x0800, method: 8, ...when, crc32: crc, compressedSize: data.length, uncompressedSize: bytes.length, data };
}

/**
 * A zip file of the parts, in order: text parts are deflated with Node's zlib (in parallel), raw
 * entries are copied with their compressed bytes unchanged.
 * @throws Error when the zip would need zip64 (4 GB or 65,535 entries), which no workbook here reaches
 */
export async function zipParts(parts: readonly ZipPart[], modified: Date = new Date()): Promise<Uint8Array> {
  const when = dosDateTime(modified);
  const entries = await Promise.all(parts.map((part) => ("raw" in part ? part.raw : "deflater" in part ? part.deflater.entry(part.path, when) : textEntry(part.path, part.text, when))));
  if (entries.length >= 0xffff) throw new Error("zipParts: too many parts for a zip without zip64");
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const flags = entry.flags & 0x0800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt16LE(entry.dosTime, 10);
    local.writeUInt16LE(entry.dosDate, 12);
    local.writeUInt32LE(entry.crc32, 14);
    local.writeUInt32LE(entry.compressedSize, 18);
    local.writeUInt32LE(entry.uncompressedSize, 22);
    local.writeUInt16LE(entry.name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(entry.method, 10);
    header.writeUInt16LE(entry.dosTime, 12);
    header.writeUInt16LE(entry.dosDate, 14);
    header.writeUInt32LE(entry.crc32, 16);
    header.writeUInt32LE(entry.compressedSize, 20);
    header.writeUInt32LE(entry.uncompressedSize, 24);
    header.writeUInt16LE(entry.name.length, 28);
    // extra length, comment length, disk, internal and external attributes stay 0
    header.writeUInt32LE(offset, 42);
    chunks.push(local, entry.name, entry.data);
    central.push(header, entry.name);
    offset += local.length + entry.name.length + entry.data.length;
    if (offset > 0xffffffff) throw new Error("zipParts: the zip would exceed 4 GB");
  }
  const centralSize = central.reduce((sum, chunk) => sum + chunk.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...chunks, ...central, end]));
}

/**
 * The entries of a zip as stored (compressed bytes, CRC and sizes), in central-directory order,
 * for copying into another zip unchanged; undefined when the zip uses what {@link zipParts} does
 * not write (zip64, encryption, a multi-disk archive) or is not well formed, so the caller can fall back.
 */
export function rawZipEntries(bytes: Uint8Array): { path: string; entry: RawZipEntry }[] | undefined {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let endAt = -1;
  for (let i = view.length - 22; i >= Math.max(0, view.length - 22 - 0xffff); i--) {
    if (view.readUInt32LE(i) === 0x06054b50) {
      endAt = i;
      break;
    }
  }
  if (endAt < 0) return undefined;
  const count = view.readUInt16LE(endAt + 10);
  const centralSize = view.readUInt32LE(endAt + 12);
  const centralAt = view.readUInt32LE(endAt + 16);
  if (view.readUInt16LE(endAt + 4) !== 0 || view.readUInt16LE(endAt + 6) !== 0 || count === 0xffff || view.readUInt16LE(endAt + 8) !== count) return undefined;
  if (centralAt === 0xffffffff || centralSize === 0xffffffff || centralAt + centralSize > endAt) return undefined;
  const out: { path: string; entry: RawZipEntry }[] = [];
  let at = centralAt;
  for (let n = 0; n < count; n++) {
    if (at + 46 > endAt || view.readUInt32LE(at) !== 0x02014b50) return undefined;
    const flags = view.readUInt16LE(at + 8);
    const method = view.readUInt16LE(at + 10);
    const compressedSize = view.readUInt32LE(at + 20);
    const uncompressedSize = view.readUInt32LE(at + 24);
    const nameLength = view.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + view.readUInt16LE(at + 30) + view.readUInt16LE(at + 32);
    const localAt = view.readUInt32LE(at + 42);
    // Encrypted entries, zip64 sizes or offsets, and methods other than stored/deflated: not copied here.
    if (flags & 0x0001 || (method !== 0 && method !== 8) || compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localAt === 0xffffffff) return undefined;
    if (localAt + 30 > view.length || view.readUInt32LE(localAt) !== 0x04034b50) return undefined;
    const dataAt = localAt + 30 + view.readUInt16LE(localAt + 26) + view.readUInt16LE(localAt + 28);
    if (dataAt + compressedSize > view.length) return undefined;
    const name = new Uint8Array(view.subarray(at + 46, at + 46 + nameLength));
    out.push({
      path: Buffer.from(name).toString(flags & 0x0800 ? "utf8" : "latin1"),
      entry: {
        name,
        flags,
        method,
        dosTime: view.readUInt16LE(at + 12),
        dosDate: view.readUInt16LE(at + 14),
        crc32: view.readUInt32LE(at + 16),
        compressedSize,
        uncompressedSize,
        data: view.subarray(dataAt, dataAt + compressedSize),
      },
    });
    at = next;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/** The sheet names {@link writeDataWorkbook} gives the tables, in order (valid, unique: "Orders 2"). */
export function dataSheetNames(dataSheets: readonly DataSheet[]): string[] {
  const names: string[] = [];
  for (const data of dataSheets) names.push(freeSheetName(names, data.name));
  return names;
}

/** W3C date-time of now, without milliseconds (as docProps expects). */
function nowW3c(): string {
  return `${new Date().toISOString().slice(0, 19)}Z`;
}

/**
 * Writes data tables as a new .xlsx: one worksheet per table, in order, each holding one Excel
 * table (named like its sheet, made a valid unique table name: "Orders", "Orders_2") with a
 * frozen bold header row, filter buttons, TableStyleMedium2, column widths fitted to the data
 * (8 to 60 characters) and the table's number format per column. Sheet names are made valid and
 * unique ("Orders 2"). Text is written as inline strings (control characters as Excel's "_xHHHH_"
 * escapes), numbers in their shortest round-trip form (NaN and infinities as #NUM!), booleans as
 * booleans; null and "" leave the cell blank. Header names are made unique for the table's
 * columns ("amount", "amount2"), as Excel does; the header cells show the names used.
 * @param dataSheets the tables; headers name the columns, numberFormats gives an Excel format code per column (null: General)
 * @returns the .xlsx file's bytes
 * @throws Error when a sheet exceeds Excel's limits (1,048,576 rows, 16,384 columns, 32,767 characters in a cell)
 */
export async function writeDataWorkbook(dataSheets: readonly DataSheet[]): Promise<Uint8Array> {
  const zipped: ZipPart[] = [];
  const put = (path: string, text: string): void => {
    zipped.push({ path, text });
  };
  const styles = stylesPart(dataSheets);
  const sheetNames = dataSheetNames(dataSheets);
  const usedTableNames = new Set<string>();
  const overrides: string[] = [];
  const sheetsXml: string[] = [];
  const workbookRels: string[] = [];
  const parts: { path: string; xml: string }[] = [];
  dataSheets.forEach((data, i) => {
    const name = sheetNames[i];
    const n = i + 1;
    const tableName = freeTableName(name, usedTableNames);
    // No sheet is saved selected: activeTab="0" opens the first one, and report tabs grafted later
    // can open on their own first tab (a saved selection would be grouped with it; see openingTab.ts).
    const { sheetXml, tableXml } = sheetParts(data, name, tableName, n, false, styles.xfOfFormat);
    parts.push({ path: `xl/worksheets/sheet${n}.xml`, xml: sheetXml });
    overrides.push(`<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="${CT}.spreadsheetml.worksheet+xml"/>`);
    if (tableXml !== undefined) {
      parts.push({ path: `xl/tables/table${n}.xml`, xml: tableXml });
      parts.push({
        path: `xl/worksheets/_rels/sheet${n}.xml.rels`,
        xml: `${XML_DECLARATION}<Relationships xmlns="${NS_PACKAGE_REL}"><Relationship Id="rId1" Type="${NS_REL}/table" Target="../tables/table${n}.xml"/></Relationships>`,
      });
      overrides.push(`<Override PartName="/xl/tables/table${n}.xml" ContentType="${CT}.spreadsheetml.table+xml"/>`);
    }
    sheetsXml.push(`<sheet name="${xmlAttribute(name)}" sheetId="${n}" r:id="rId${n}"/>`);
    workbookRels.push(`<Relationship Id="rId${n}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${n}.xml"/>`);
  });
  workbookRels.push(`<Relationship Id="rId${dataSheets.length + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>`);

  put(
    "[Content_Types].xml",
    `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      `<Override PartName="/xl/workbook.xml" ContentType="${CT}.spreadsheetml.sheet.main+xml"/>` +
      `<Override PartName="/xl/styles.xml" ContentType="${CT}.spreadsheetml.styles+xml"/>` +
      overrides.join("") +
      '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
      `<Override PartName="/docProps/app.xml" ContentType="${CT}.extended-properties+xml"/>` +
      "</Types>",
  );
  put(
    "_rels/.rels",
    `${XML_DECLARATION}<Relationships xmlns="${NS_PACKAGE_REL}">` +
      `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
      `<Relationship Id="rId2" Type="${NS_PACKAGE_REL}/metadata/core-properties" Target="docProps/core.xml"/>` +
      `<Relationship Id="rId3" Type="${NS_REL}/extended-properties" Target="docProps/app.xml"/>` +
      "</Relationships>",
  );
  const now = nowW3c();
  put(
    "docProps/core.xml",
    `${XML_DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
      `<dc:creator>IMC Analytics</dc:creator><cp:lastModifiedBy>IMC Analytics</cp:lastModifiedBy>` +
      `<dcterms:created xsi:type="dcterms:W3CDTF">${now}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${now}</dcterms:modified>` +
      "</cp:coreProperties>",
  );
  put(
    "docProps/app.xml",
    `${XML_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
      "<Application>IMC Analytics</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>" +
      `<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>${sheetNames.length}</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
      `<TitlesOfParts><vt:vector size="${sheetNames.length}" baseType="lpstr">${sheetNames.map((name) => `<vt:lpstr>${xmlText(name)}</vt:lpstr>`).join("")}</vt:vector></TitlesOfParts>` +
      "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion>" +
      "</Properties>",
  );
  put(
    "xl/workbook.xml",
    `${XML_DECLARATION}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
      '<workbookPr/><bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300" activeTab="0"/></bookViews>' +
      `<sheets>${sheetsXml.join("")}</sheets>` +
      '<calcPr calcId="191029"/>' +
      "</workbook>",
  );
  put("xl/_rels/workbook.xml.rels", `${XML_DECLARATION}<Relationships xmlns="${NS_PACKAGE_REL}">${workbookRels.join("")}</Relationships>`);
  put("xl/styles.xml", styles.xml);
  for (const part of parts) put(part.path, part.xml);
  return zipParts(zipped);
}
