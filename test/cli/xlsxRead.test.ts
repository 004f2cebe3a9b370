import ExcelJS from "exceljs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { readWorkbook, XlsxError } from "../../src/cli/xlsx/readWorkbook";

async function bytesOf(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Serial (1900 system) of a UTC calendar date. */
function serial(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000 + 25569;
}

async function sampleWorkbook(date1904 = false): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  if (date1904) workbook.properties.date1904 = true;
  const sheet = workbook.addWorksheet("Orders");
  // The used range starts at C3: row 0 of the result is row 3.
  sheet.getCell("C3").value = "order_date";
  sheet.getCell("D3").value = "amount";
  sheet.getCell("E3").value = "note";
  sheet.getCell("C4").value = new Date(Date.UTC(2024, 0, 31));
  sheet.getCell("C4").numFmt = "yyyy-mm-dd";
  sheet.getCell("D4").value = 12.5;
  sheet.getCell("E4").value = { richText: [{ text: "bold ", font: { bold: true } }, { text: "& plain" }] };
  sheet.getCell("C5").value = new Date(Date.UTC(2024, 1, 29, 12, 0, 0));
  sheet.getCell("C5").numFmt = "yyyy-mm-dd hh:mm";
  sheet.getCell("D5").value = { formula: "D4*2", result: 25 };
  sheet.getCell("E5").value = { error: "#N/A" } as ExcelJS.CellErrorValue;
  sheet.getCell("D6").value = true;
  sheet.getCell("E6").value = { text: "site", hyperlink: "https://example.com" };
  sheet.getCell("C7").value = { formula: 'IF(D4>1,"big","small")', result: "big" };
  workbook.addWorksheet("Empty");
  const other = workbook.addWorksheet("Ünïcode & <Co>");
  other.getCell("A1").value = "line\nbreak";
  other.getCell("B1").value = 45000;
  other.getCell("B1").numFmt = "d mmm yyyy";
  return bytesOf(workbook);
}

function expectOneLineError(error: unknown, fileName: string, pattern: RegExp): void {
  expect(error).toBeInstanceOf(XlsxError);
  const message = (error as Error).message;
  expect(message).toContain(fileName);
  expect(message).toMatch(pattern);
  expect(message).not.toContain("\n");
  expect(message).not.toMatch(/\bat .*\.(js|ts):\d+/);
}

async function errorOf(bytes: Uint8Array, fileName: string): Promise<unknown> {
  try {
    await readWorkbook(bytes, fileName);
  } catch (error) {
    return error;
  }
  throw new Error("readWorkbook did not fail");
}

describe("readWorkbook", () => {
  it("reads each sheet's used range: dates as serials, formulas as cached results, errors as text, rich text and links flattened", async () => {
    const sheets = await readWorkbook(await sampleWorkbook(), "orders.xlsx");
    expect(sheets.map((s) => s.name)).toEqual(["Orders", "Empty", "Ünïcode & <Co>"]);
    const rows = sheets[0].rows;
    expect(rows[0]).toEqual(["order_date", "amount", "note"]);
    expect(rows[1]).toEqual([serial(2024, 1, 31), 12.5, "bold & plain"]);
    expect(rows[2][0]).toBeCloseTo(serial(2024, 2, 29) + 0.5, 9);
    expect(rows[2].slice(1)).toEqual([25, "#N/A"]);
    expect(rows[3]).toEqual([null, true, "site"]);
    // Rows end at their last cell.
    expect(rows[4]).toEqual(["big"]);
    expect(rows).toHaveLength(5);
    expect([sheets[0].firstRow, sheets[0].firstColumn]).toEqual([3, 2]);
    expect(sheets[1].rows).toEqual([]);
    expect(sheets[2].rows).toEqual([["line\nbreak", 45000]]);
  });

  it("converts dates of a 1904-system workbook to 1900-system serials (and leaves plain numbers alone)", async () => {
    const sheets = await readWorkbook(await sampleWorkbook(true), "mac.xlsx");
    const rows = sheets[0].rows;
    expect(rows[1][0]).toBe(serial(2024, 1, 31));
    expect(rows[1][1]).toBe(12.5);
    expect(rows[2][0]).toBeCloseTo(serial(2024, 2, 29) + 0.5, 9);
  });

  it("reads an .xlsm like an .xlsx", async () => {
    const sheets = await readWorkbook(await sampleWorkbook(), "macros.xlsm");
    expect(sheets[0].rows[0]).toEqual(["order_date", "amount", "note"]);
  });

  it("reads shared strings, inline strings, booleans and t=\"d\" dates of another producer's file, cells without r attributes too", async () => {
    const zip = new JSZip();
    const main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    zip.file("[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`);
    zip.file("_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="a" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
    zip.file("xl/workbook.xml", `<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="A &amp; B" sheetId="1" r:id="s1"/></sheets></workbook>`);
    zip.file(
      "xl/_rels/workbook.xml.rels",
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="s1" Type="${rel}/worksheet" Target="sheets/one.xml"/><Relationship Id="ss" Type="${rel}/sharedStrings" Target="strings.xml"/></Relationships>`,
    );
    zip.file("xl/strings.xml", `<sst xmlns="${main}"><si><t xml:space="preserve"> id </t></si><si><r><t>ric</t></r><r><t>h</t></r><rPh><t>PHONETIC</t></rPh></si><si><t>a_x000D_b</t></si></sst>`);
    zip.file(
      "xl/sheets/one.xml",
      `<worksheet xmlns="${main}"><sheetData><row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row><row><c t="inlineStr"><is><t>x &lt; y</t></is></c><c t="b"><v>0</v></c><c t="d"><v>2024-01-31T06:00:00</v></c></row></sheetData></worksheet>`,
    );
    const bytes = await zip.generateAsync({ type: "uint8array" });
    const sheets = await readWorkbook(bytes, "other.xlsx");
    expect(sheets).toHaveLength(1);
    expect(sheets[0].name).toBe("A & B");
    expect(sheets[0].rows[0]).toEqual([" id ", "rich", "a\rb"]);
    expect(sheets[0].rows[1].slice(0, 2)).toEqual(["x < y", false]);
    expect(sheets[0].rows[1][2]).toBeCloseTo(serial(2024, 1, 31) + 0.25, 9);
  });

  it("rejects an empty file", async () => {
    expectOneLineError(await errorOf(new Uint8Array(0), "empty.xlsx"), "empty.xlsx", /empty/);
  });

  it("rejects random bytes", async () => {
    let state = 12345;
    const random = new Uint8Array(4096).map(() => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state & 0xff;
    });
    expectOneLineError(await errorOf(random, "noise.xlsx"), "noise.xlsx", /is not a valid \.xlsx file/);
  });

  it("rejects a truncated zip as corrupt", async () => {
    const bytes = await sampleWorkbook();
    const truncated = bytes.slice(0, Math.floor(bytes.length / 2));
    expectOneLineError(await errorOf(truncated, "cut.xlsx"), "cut.xlsx", /is not a valid \.xlsx file \(corrupt zip: its end is missing; the file may be cut short\)/);
  });

  it("rejects a zip whose sheet data is damaged as corrupt", async () => {
    const zip = new JSZip();
    const good = await JSZip.loadAsync(await sampleWorkbook());
    for (const [path, file] of Object.entries(good.files)) if (!file.dir) zip.file(path, await file.async("uint8array"));
    const bytes = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
    // Overwrite the middle of the compressed data of the first sheet with garbage.
    const name = new TextEncoder().encode("xl/worksheets/sheet1.xml");
    let at = -1;
    for (let i = 0; i < bytes.length - name.length && at < 0; i++) if (name.every((b, j) => bytes[i + j] === b)) at = i;
    expect(at).toBeGreaterThan(0);
    const damaged = bytes.slice();
    for (let i = at + name.length + 10; i < at + name.length + 60; i++) damaged[i] = 0xff;
    expectOneLineError(await errorOf(damaged, "damaged.xlsx"), "damaged.xlsx", /is not a valid \.xlsx file/);
  });

  it("rejects a zip that is not a workbook", async () => {
    const zip = new JSZip();
    zip.file("readme.txt", "hello");
    const bytes = await zip.generateAsync({ type: "uint8array" });
    expectOneLineError(await errorOf(bytes, "notes.zip"), "notes.zip", /is not a valid \.xlsx file \(no workbook/);
  });

  it("says a password-protected workbook (an encrypted OLE container) must be saved without a password", async () => {
    const bytes = new Uint8Array(2048);
    bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const name = "EncryptionInfo";
    for (let i = 0; i < name.length; i++) bytes[1024 + 2 * i] = name.charCodeAt(i);
    expectOneLineError(await errorOf(bytes, "secret.xlsx"), "secret.xlsx", /is password-protected; save it without a password first/);
  });

  it("says an old binary .xls must be saved as .xlsx", async () => {
    const bytes = new Uint8Array(2048);
    bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const name = "Workbook";
    for (let i = 0; i < name.length; i++) bytes[1024 + 2 * i] = name.charCodeAt(i);
    expectOneLineError(await errorOf(bytes, "old.xls"), "old.xls", /old binary Excel file \(\.xls\)/);
  });
});

describe("number formats of the data cells", () => {
  it("gives each column the format of its first number cell: custom codes, built-in ids, General", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Orders");
    sheet.getCell("B2").value = "Customer";
    sheet.getCell("C2").value = "Date";
    sheet.getCell("D2").value = "Amount";
    sheet.getCell("E2").value = "Fee";
    sheet.getCell("F2").value = "Count";
    sheet.getCell("G2").value = "Note";
    for (let r = 3; r <= 5; r++) {
      sheet.getCell(`B${r}`).value = `C${r}`;
      sheet.getCell(`C${r}`).value = serial(2024, 1, r);
      sheet.getCell(`C${r}`).numFmt = "yyyy-mm-dd";
      sheet.getCell(`D${r}`).value = 10 * r;
      sheet.getCell(`D${r}`).numFmt = "[$€-x-euro2] #,##0.00";
      sheet.getCell(`E${r}`).value = r;
      // A built-in currency format (id 7) is stored without its code: the reader knows it.
      sheet.getCell(`E${r}`).numFmt = '"$"#,##0.00_);\\("$"#,##0.00\\)';
      sheet.getCell(`F${r}`).value = r;
      sheet.getCell(`G${r}`).value = "text";
    }
    const sheets = await readWorkbook(await bytesOf(workbook), "formats.xlsx");
    expect(sheets[0].firstColumn).toBe(1);
    // Column B holds only text (null); column G too, and nothing is listed after the last number column.
    expect(sheets[0].numberFormats).toEqual([null, "yyyy-mm-dd", "[$€-x-euro2] #,##0.00", '"$"#,##0.00_);\\("$"#,##0.00\\)', "General"]);
  });

  it("reads built-in currency ids (5 to 8) as their formats, and a sheet without numbers has none", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Orders");
    sheet.getCell("A1").value = "Amount";
    sheet.getCell("A2").value = 12.5;
    sheet.getCell("A2").numFmt = "#,##0.00";
    workbook.addWorksheet("Words").getCell("A1").value = "only text";
    const zip = await JSZip.loadAsync(await bytesOf(workbook));
    // ExcelJS saves #,##0.00 as built-in id 4; point it at built-in id 8, as Excel saves "Currency" in en-US.
    const styles = await zip.file("xl/styles.xml")!.async("string");
    expect(styles).toMatch(/<xf [^>]*numFmtId="4"/);
    zip.file("xl/styles.xml", styles.replace(/(<xf [^>]*numFmtId=")4"/g, '$18"'));
    const sheets = await readWorkbook(new Uint8Array(await zip.generateAsync({ type: "uint8array" })), "builtin.xlsx");
    expect(sheets[0].numberFormats?.[0]).toMatch(/^"\$"#,##0\.00/);
    expect(sheets[1].numberFormats).toBeUndefined();
  });
});
