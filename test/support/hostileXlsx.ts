/**
 * Hostile .xlsx files built by code, in well under a second each: zip bombs (declaring and really
 * inflating to gigabytes, or lying about their size), cells far away or past XFD1048576, markup that
 * made the old reader quadratic, entity expansion, external entities, traversal entry names,
 * truncated and corrupt zips.
 *
 * The zip writer here writes whatever it is told (sizes, names, raw deflate data), unlike a real one.
 * Gigabyte deflate streams are built without deflating gigabytes: a unit (1 MB of zeros or spaces)
 * is deflated once with a full flush, which ends it byte-aligned with the compressor's state reset,
 * so the compressed unit can be repeated any number of times; a final empty block closes the stream.
 */
import { constants, deflateRawSync } from "node:zlib";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships";

/** A zip entry as the writer is told to write it. */
export interface HostileEntry {
  readonly name: string;
  /** Raw deflate data (method 8) unless `stored`. */
  readonly data: Uint8Array;
  /** The uncompressed size written in the headers (zip64 when past 4 GB). */
  readonly declaredSize: number;
  readonly stored?: boolean;
}

/** An entry of text, deflated, with its true size declared. */
export function textEntry(name: string, text: string): HostileEntry {
  const bytes = Buffer.from(text, "utf8");
  return { name, data: deflateRawSync(bytes, { level: 1 }), declaredSize: bytes.length };
}

/** A zip of the entries as told (CRCs are left 0: the reader under test does not check them). */
export function zipOf(entries: readonly HostileEntry[]): Uint8Array {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const zip64 = entry.declaredSize >= 0xffffffff;
    const extra = Buffer.alloc(zip64 ? 12 : 0);
    if (zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(BigInt(entry.declaredSize), 4);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(zip64 ? 45 : 20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(entry.stored ? 0 : 8, 8);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(zip64 ? 0xffffffff : entry.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(45, 4);
    header.writeUInt16LE(zip64 ? 45 : 20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(entry.stored ? 0 : 8, 10);
    header.writeUInt32LE(entry.data.length, 20);
    header.writeUInt32LE(zip64 ? 0xffffffff : entry.declaredSize, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt16LE(extra.length, 30);
    header.writeUInt32LE(offset, 42);
    chunks.push(local, name, extra, Buffer.from(entry.data));
    central.push(header, name, extra);
    offset += local.length + name.length + extra.length + entry.data.length;
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

/** A deflate stream's blocks for `text`, ending byte-aligned and not final (so more blocks may follow). */
function openBlocks(bytes: Uint8Array): Buffer {
  return deflateRawSync(bytes, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
}

/** A final deflate block holding nothing (fixed Huffman codes, end-of-block only). */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

/**
 * Raw deflate data inflating to `prefix`, then `unit` repeated `units` times, then `suffix`:
 * gigabytes from a few megabytes, built in milliseconds.
 */
export function repeatedDeflate(prefix: string, unit: Uint8Array, units: number, suffix: string): { data: Buffer; size: number } {
  const head = openBlocks(Buffer.from(prefix, "utf8"));
  const body = openBlocks(unit);
  const tail = openBlocks(Buffer.from(suffix, "utf8"));
  const parts: Buffer[] = [head];
  for (let i = 0; i < units; i++) parts.push(body);
  parts.push(tail, FINAL_EMPTY_BLOCK);
  return { data: Buffer.concat(parts), size: Buffer.byteLength(prefix) + unit.length * units + Buffer.byteLength(suffix) };
}

/** The parts of a workbook whose sheets are given as entries (xl/worksheets/sheetN.xml), with optional shared strings and extra parts. */
export function workbookEntries(sheets: readonly { name: string; entry: HostileEntry }[], extra: readonly HostileEntry[] = [], sharedStrings?: HostileEntry, styles?: HostileEntry): HostileEntry[] {
  const rels = sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`);
  if (sharedStrings) rels.push(`<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`);
  if (styles) rels.push(`<Relationship Id="rIdY" Type="${REL}/styles" Target="styles.xml"/>`);
  return [
    textEntry("[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`),
    textEntry("_rels/.rels", `<Relationships xmlns="${PACKAGE_REL}"><Relationship Id="r1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    textEntry(
      "xl/workbook.xml",
      `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets.map((sheet, i) => `<sheet name="${sheet.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("")}</sheets></workbook>`,
    ),
    textEntry("xl/_rels/workbook.xml.rels", `<Relationships xmlns="${PACKAGE_REL}">${rels.join("")}</Relationships>`),
    ...sheets.map((sheet) => sheet.entry),
    ...(sharedStrings ? [sharedStrings] : []),
    ...(styles ? [styles] : []),
    ...extra,
  ];
}

/** Worksheet XML around some sheetData content. */
export function sheetXml(sheetData: string, after = ""): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetData>${sheetData}</sheetData>${after}</worksheet>`;
}

/** A one-sheet workbook ("Data") from the sheet's XML. */
export function oneSheetWorkbook(xml: string, sharedStringsXml?: string, extra: readonly HostileEntry[] = []): Uint8Array {
  return zipOf(
    workbookEntries(
      [{ name: "Data", entry: textEntry("xl/worksheets/sheet1.xml", xml) }],
      extra,
      sharedStringsXml === undefined ? undefined : textEntry("xl/sharedStrings.xml", sharedStringsXml),
    ),
  );
}

const GB = 2 ** 30;
const MB = 2 ** 20;

/** A one-sheet workbook whose sheet inflates to about `size` bytes of zeros (or `fill`), declaring `declared`. */
function bombWorkbook(size: number, declared: number, fill = 0x20): Uint8Array {
  const bomb = repeatedDeflate(`<worksheet xmlns="${MAIN}"><sheetData>`, Buffer.alloc(MB, fill), Math.ceil(size / MB), "</sheetData></worksheet>");
  return zipOf(workbookEntries([{ name: "Data", entry: { name: "xl/worksheets/sheet1.xml", data: bomb.data, declaredSize: declared === -1 ? bomb.size : declared } }]));
}

/** One hostile file and what reading it must give: a one-line message matching `refused`, or a correct read. */
export interface HostileCase {
  readonly file: string;
  readonly description: string;
  readonly bytes: () => Uint8Array;
  /** The message (after "imc: ") readWorkbook's XlsxError must match; absent when the file reads. */
  readonly refused?: RegExp;
}

/** A valid small workbook (one sheet of 2 × 2 cells) for truncating and damaging. */
export function plainWorkbook(): Uint8Array {
  return oneSheetWorkbook(sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1"><v>1</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="B2"><v>2</v></c></row>'));
}

/** The central directory's first record of a zip (its offset). */
function centralDirectoryAt(bytes: Uint8Array): number {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.readUInt32LE(view.length - 22 + 16);
}

/**
 * The hostile set: each file is built when asked (`bytes()`), so a test holds one at a time.
 * Sizes: the bombs are 2–7 MB of zip; the rest are under 2 MB.
 */
export const HOSTILE_CASES: readonly HostileCase[] = [
  {
    file: "bomb-2gb.xlsx",
    description: "a zip bomb declaring and inflating to 2 GB",
    bytes: () => bombWorkbook(2 * GB, -1),
    refused: /^bomb-2gb\.xlsx: part xl\/worksheets\/sheet1\.xml inflates past 256 MB; the file is refused$/,
  },
  {
    file: "bomb-6gb-zip64.xlsx",
    description: "a zip64 bomb declaring and inflating to 6 GB",
    bytes: () => bombWorkbook(6 * GB, -1, 0),
    refused: /^bomb-6gb-zip64\.xlsx: part xl\/worksheets\/sheet1\.xml inflates past 256 MB; the file is refused$/,
  },
  {
    file: "bomb-liar.xlsx",
    description: "a zip bomb declaring 1 KB and inflating to 6 GB",
    bytes: () => bombWorkbook(6 * GB, 1024, 0),
    refused: /^bomb-liar\.xlsx: part xl\/worksheets\/sheet1\.xml inflates past the 1 KB its zip entry declares; the file is refused$/,
  },
  {
    file: "bomb-liar-200mb.xlsx",
    description: "a zip bomb declaring 200 MB (under the cap) and inflating to 6 GB",
    bytes: () => bombWorkbook(6 * GB, 200 * MB, 0),
    refused: /^bomb-liar-200mb\.xlsx: part xl\/worksheets\/sheet1\.xml inflates past the 200 MB its zip entry declares; the file is refused$/,
  },
  {
    file: "styles-bomb.xlsx",
    description: "an orders sheet that is fine, and a styles part declaring and inflating to 1 GB",
    bytes: () => {
      const bomb = repeatedDeflate(`<styleSheet xmlns="${MAIN}">`, Buffer.alloc(MB, 0x20), 1024, "</styleSheet>");
      const orders = sheetXml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>customer_id</t></is></c><c r="B1" t="inlineStr"><is><t>order_date</t></is></c><c r="C1" t="inlineStr"><is><t>order_value</t></is></c></row>' +
          '<row r="2"><c r="A2" t="inlineStr"><is><t>c1</t></is></c><c r="B2"><v>45000</v></c><c r="C2"><v>10</v></c></row>',
      );
      return zipOf(workbookEntries([{ name: "Orders", entry: textEntry("xl/worksheets/sheet1.xml", orders) }], [], undefined, { name: "xl/styles.xml", data: bomb.data, declaredSize: bomb.size }));
    },
    refused: /^styles-bomb\.xlsx: part xl\/styles\.xml inflates past 256 MB; the file is refused$/,
  },
  {
    file: "far-cell.xlsx",
    description: "a header at A1 and one cell at XFD1048576 (read: within Excel's grid)",
    bytes: () => oneSheetWorkbook(sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>7</v></c></row>')),
  },
  {
    file: "row-2e9.xlsx",
    description: "a row numbered 2,000,000,000",
    bytes: () => oneSheetWorkbook(sheetXml('<row r="1"><c r="A1"><v>1</v></c></row><row r="2000000000"><c r="A2000000000"><v>2</v></c></row>')),
    refused: /^row-2e9\.xlsx: sheet "Data" has a row numbered 2,000,000,000, past XFD1048576 \(the last cell of an Excel sheet\); the file is refused$/,
  },
  {
    file: "column-past-xfd.xlsx",
    description: "a cell at XFE1, one column past XFD",
    bytes: () => oneSheetWorkbook(sheetXml('<row r="1"><c r="A1"><v>1</v></c><c r="XFE1"><v>2</v></c></row>')),
    refused: /^column-past-xfd\.xlsx: sheet "Data" has a cell at XFE1, past XFD1048576 \(the last cell of an Excel sheet\); the file is refused$/,
  },
  {
    file: "scattered.xlsx",
    description: "A1, then 300,000 rows of one cell each in column ALL (read: sparse rows; dense ones would take 2.4 GB)",
    bytes: () => {
      const rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'];
      for (let r = 2; r <= 300_001; r++) rows.push(`<row r="${r}"><c r="ALL${r}"><v>${r}</v></c></row>`);
      return oneSheetWorkbook(sheetXml(rows.join("")));
    },
  },
  {
    file: "too-many-cells.xlsx",
    description: "9,000,000 cells of 1.5 (a 150 MB sheet in 1 MB of zip)",
    bytes: () => {
      const unit = Buffer.from(`<row>${"<c><v>1.5</v></c>".repeat(10)}</row>`.repeat(1000));
      const sheet = repeatedDeflate(`<worksheet xmlns="${MAIN}"><sheetData>`, unit, 900, "</sheetData></worksheet>");
      return zipOf(workbookEntries([{ name: "Data", entry: { name: "xl/worksheets/sheet1.xml", data: sheet.data, declaredSize: sheet.size } }]));
    },
    refused: /^too-many-cells\.xlsx: the workbook holds more than 8,000,000 cells \(at sheet "Data"\), the most this run reads; the file is refused \(give --max-cells N to read a larger workbook, with about 100 MB of memory a million cells\)$/,
  },
  {
    file: "shared-part.xlsx",
    description: "a thousand sheets all pointing at one 1 MB worksheet part",
    bytes: () => {
      const sheet = textEntry("xl/worksheets/sheet1.xml", sheetXml(`<row r="1"><c r="A1"><v>1</v></c></row>${" ".repeat(MB)}`));
      const sheets = Array.from({ length: 1000 }, (_, i) => `<sheet name="S${i}" sheetId="${i + 1}" r:id="rId1"/>`).join("");
      return zipOf([
        textEntry("[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`),
        textEntry("_rels/.rels", `<Relationships xmlns="${PACKAGE_REL}"><Relationship Id="r1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
        textEntry("xl/workbook.xml", `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets}</sheets></workbook>`),
        textEntry("xl/_rels/workbook.xml.rels", `<Relationships xmlns="${PACKAGE_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
        sheet,
      ]);
    },
    refused: /^shared-part\.xlsx is not a valid \.xlsx file \(sheets "S0" and "S1" share the part xl\/worksheets\/sheet1\.xml\)$/,
  },
  {
    file: "unclosed-rows.xlsx",
    description: "200,000 <row> tags never closed",
    bytes: () => oneSheetWorkbook(sheetXml('<row r="1"><c r="A1"><v>1</v></c>'.repeat(200_000))),
    refused: /^unclosed-rows\.xlsx is not a valid \.xlsx file \(xl\/worksheets\/sheet1\.xml: <row> is closed by <\/sheetData> at line 2\)$/,
  },
  {
    file: "deep-nesting.xlsx",
    description: "1,000,000 nested elements in a cell",
    bytes: () => oneSheetWorkbook(sheetXml(`<row r="1"><c r="A1"><v>1</v>${"<x>".repeat(1_000_000)}${"</x>".repeat(1_000_000)}</c></row>`)),
  },
  {
    file: "huge-attribute.xlsx",
    description: "a 32 MB attribute value on a cell, and a tag of 1,000,000 attributes",
    bytes: () => oneSheetWorkbook(sheetXml(`<row r="1"><c r="A1" note="${"x".repeat(32 * MB)}"><v>1</v></c><c r="B1"${' a="1"'.repeat(1_000_000)}><v>2</v></c></row>`)),
  },
  {
    file: "million-strings.xlsx",
    description: "1,000,000 shared strings (read)",
    bytes: () => {
      const items: string[] = [];
      for (let i = 0; i < 1_000_000; i++) items.push(`<si><t>s${i}</t></si>`);
      return oneSheetWorkbook(
        sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>999999</v></c></row>'),
        `<sst xmlns="${MAIN}" count="1000000" uniqueCount="1000000">${items.join("")}</sst>`,
      );
    },
  },
  {
    file: "billion-laughs.xlsx",
    description: "entity expansion in the shared strings (billion laughs)",
    bytes: () => {
      const entities = ['<!ENTITY lol "lol">'];
      for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? "" : i - 1};`.repeat(10)}">`);
      return oneSheetWorkbook(
        sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        `<?xml version="1.0"?><!DOCTYPE lolz [${entities.join("")}]><sst xmlns="${MAIN}"><si><t>&lol9;</t></si></sst>`,
      );
    },
    refused: /^billion-laughs\.xlsx: part xl\/sharedStrings\.xml declares a DOCTYPE \(entity definitions\), which Excel never writes; the file is refused$/,
  },
  {
    file: "external-entity.xlsx",
    description: 'an external entity (SYSTEM "file:///etc/passwd") in the sheet',
    bytes: () =>
      oneSheetWorkbook(
        `<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>`,
      ),
    refused: /^external-entity\.xlsx: part xl\/worksheets\/sheet1\.xml declares a DOCTYPE \(entity definitions\), which Excel never writes; the file is refused$/,
  },
  {
    file: "traversal.xlsx",
    description: "entry names with ../ and absolute paths, and a relationship target climbing out of the package",
    bytes: () => {
      const evil = sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>from outside</t></is></c></row>');
      const entries = workbookEntries([{ name: "Data", entry: textEntry("xl/worksheets/sheet1.xml", sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>')) }], [
        textEntry("../../etc/passwd.xml", evil),
        textEntry("/etc/passwd.xml", evil),
        textEntry("xl/../../outside.xml", evil),
      ]);
      // The workbook's relationship points at ../../../etc/passwd.xml: resolved inside the package, it is etc/passwd.xml, which does not exist.
      const rels = entries.findIndex((entry) => entry.name === "xl/_rels/workbook.xml.rels");
      entries[rels] = textEntry(
        "xl/_rels/workbook.xml.rels",
        `<Relationships xmlns="${PACKAGE_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="../../../etc/passwd.xml"/></Relationships>`,
      );
      return zipOf(entries);
    },
    refused: /^traversal\.xlsx is not a valid \.xlsx file \(sheet "Data" has no part etc\/passwd\.xml\)$/,
  },
  {
    file: "truncated.xlsx",
    description: "the first half of a valid workbook",
    bytes: () => {
      const bytes = plainWorkbook();
      return bytes.slice(0, Math.floor(bytes.length / 2));
    },
    refused: /^truncated\.xlsx is not a valid \.xlsx file \(corrupt zip: its end is missing; the file may be cut short\)$/,
  },
  {
    file: "corrupt-directory.xlsx",
    description: "a central directory whose records are overwritten",
    bytes: () => {
      const bytes = plainWorkbook();
      const at = centralDirectoryAt(bytes);
      bytes.fill(0xee, at + 46 * 2, at + 46 * 3);
      return bytes;
    },
    refused: /^corrupt-directory\.xlsx is not a valid \.xlsx file \(corrupt zip: its directory is damaged\)$/,
  },
  {
    file: "directory-count-lie.xlsx",
    description: "an end record claiming 65,000 entries",
    bytes: () => {
      const bytes = plainWorkbook();
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).writeUInt16LE(65_000, bytes.length - 22 + 8);
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).writeUInt16LE(65_000, bytes.length - 22 + 10);
      return bytes;
    },
    refused: /^directory-count-lie\.xlsx is not a valid \.xlsx file \(corrupt zip: its directory is shorter than its entry count\)$/,
  },
  {
    file: "damaged-deflate.xlsx",
    description: "a sheet whose deflate data is garbage",
    bytes: () => zipOf(workbookEntries([{ name: "Data", entry: { name: "xl/worksheets/sheet1.xml", data: new Uint8Array(64).fill(0xff), declaredSize: 100 } }])),
    refused: /^damaged-deflate\.xlsx is not a valid \.xlsx file \(corrupt zip: part xl\/worksheets\/sheet1\.xml is damaged\)$/,
  },
];
