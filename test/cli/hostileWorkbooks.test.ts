// readWorkbook on hostile files (issue 12, point 5): every file of the hostile set ends quickly with
// a one-line message naming the file, or reads correctly when it is in fact a workbook; the caps
// are parameters, tested here small. Excel table parts are read per sheet.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { graftReportTabs } from "../../src/cli/xlsx/graft";
import { readWorkbook, XlsxError, type WorkbookSheetData } from "../../src/cli/xlsx/readWorkbook";
import { decodeXmlEntities } from "../../src/cli/xlsx/xmlScan";
import { nodeInflateRaw } from "../../src/cli/xlsx/zipPackage";
import { HOSTILE_CASES, oneSheetWorkbook, sheetXml, textEntry, workbookEntries, zipOf, type HostileCase } from "../support/hostileXlsx";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships";

async function outcome(bytes: Uint8Array, file: string, options?: Parameters<typeof readWorkbook>[2]): Promise<{ sheets?: WorkbookSheetData[]; error?: Error; ms: number }> {
  const started = performance.now();
  try {
    const sheets = await readWorkbook(bytes, file, options);
    return { sheets, ms: performance.now() - started };
  } catch (error) {
    return { error: error as Error, ms: performance.now() - started };
  }
}

function caseNamed(file: string): HostileCase {
  const found = HOSTILE_CASES.find((hostile) => hostile.file === file);
  if (!found) throw new Error(`no hostile case ${file}`);
  return found;
}

describe("readWorkbook on the hostile set", () => {
  for (const hostile of HOSTILE_CASES.filter((candidate) => candidate.refused)) {
    it(`refuses ${hostile.file} (${hostile.description}) with one line, quickly`, async () => {
      const bytes = hostile.bytes();
      const { error, ms } = await outcome(bytes, hostile.file);
      expect(error).toBeInstanceOf(XlsxError);
      expect(error!.message).toMatch(hostile.refused!);
      expect(error!.message).not.toContain("\n");
      expect(ms).toBeLessThan(30_000); // the bound the product promises for any file
    }, 60_000);
  }

  it("reads far-cell.xlsx: a cell at XFD1048576 is inside Excel's grid, and the 17 billion cells between are not allocated", async () => {
    const { sheets, error } = await outcome(caseNamed("far-cell.xlsx").bytes(), "far-cell.xlsx");
    expect(error).toBeUndefined();
    const rows = sheets![0].rows;
    expect(rows).toHaveLength(1_048_576);
    expect(rows[0]).toEqual(["name"]);
    expect(rows[1]).toEqual([]);
    expect(rows[1]).toBe(rows[1_048_574]);
    expect(rows[1_048_575]).toHaveLength(16_384);
    expect(rows[1_048_575][16_383]).toBe(7);
    expect(rows[1_048_575][100] ?? null).toBeNull();
  }, 30_000);

  it("reads scattered.xlsx: 300,000 rows of one far cell each, as sparse rows", async () => {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const { sheets, error, ms } = await outcome(caseNamed("scattered.xlsx").bytes(), "scattered.xlsx");
    expect(error).toBeUndefined();
    const rows = sheets![0].rows;
    expect(rows).toHaveLength(300_001);
    expect(rows[4]).toHaveLength(1000);
    expect(rows[4][999]).toBe(5);
    expect(rows[4][0] ?? null).toBeNull();
    // Dense rows would take 2.4 GB (300,000 rows of 1,000 slots); sparse ones under 100 MB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(400 * 2 ** 20);
    expect(ms).toBeLessThan(30_000);
  }, 60_000);

  it("reads deep-nesting.xlsx and huge-attribute.xlsx in linear time", async () => {
    for (const file of ["deep-nesting.xlsx", "huge-attribute.xlsx"]) {
      const { sheets, error, ms } = await outcome(caseNamed(file).bytes(), file);
      expect(error, file).toBeUndefined();
      expect(sheets![0].rows[0][0], file).toBe(1);
      expect(ms, file).toBeLessThan(30_000);
    }
  }, 90_000);

  it("reads million-strings.xlsx: a million shared strings", async () => {
    const { sheets, error, ms } = await outcome(caseNamed("million-strings.xlsx").bytes(), "million-strings.xlsx");
    expect(error).toBeUndefined();
    expect(sheets![0].rows).toEqual([["s0", "s999999"]]);
    expect(ms).toBeLessThan(30_000);
  }, 60_000);
});

describe("grafting into a hostile file", () => {
  it("reads the original's parts within the caps too: a styles bomb is refused, not inflated", async () => {
    const build = (): { workbook: ExcelJS.Workbook; names: string[] } => {
      const workbook = new ExcelJS.Workbook();
      workbook.addWorksheet("Report").getCell("A1").value = 1;
      return { workbook, names: ["Report"] };
    };
    await expect(graftReportTabs(caseNamed("styles-bomb.xlsx").bytes(), build)).rejects.toThrow(/^The workbook: part xl\/styles\.xml inflates past 256 MB; the file is refused$/);
  }, 30_000);
});

describe("readWorkbook's caps (small here, as parameters)", () => {
  const three = (): Uint8Array =>
    zipOf(
      workbookEntries(
        [1, 2, 3].map((n) => ({ name: `S${n}`, entry: textEntry(`xl/worksheets/sheet${n}.xml`, sheetXml(`<row r="1"><c r="A1"><v>${n}</v></c></row>${" ".repeat(600_000)}`)) })),
      ),
    );

  it("refuses a part inflating past the part cap, by its declared size", async () => {
    const { error } = await outcome(three(), "book.xlsx", { limits: { partBytes: 500_000, totalBytes: 10_000_000 } });
    expect(error?.message).toBe("book.xlsx: part xl/worksheets/sheet1.xml inflates past 488.3 KB; the file is refused");
  });

  it("refuses the parts needed when together they inflate past the total cap", async () => {
    const { error } = await outcome(three(), "book.xlsx", { limits: { partBytes: 2 ** 20, totalBytes: 1.5 * 2 ** 20 } });
    expect(error?.message).toBe("book.xlsx: the parts needed inflate past 1.5 MB in total (at part xl/worksheets/sheet3.xml); the file is refused");
  });

  it("reads the same file within the default caps", async () => {
    const { sheets } = await outcome(three(), "book.xlsx");
    expect(sheets!.map((sheet) => sheet.rows)).toEqual([[[1]], [[2]], [[3]]]);
  });

  it("refuses more cells than the cell cap, counted over all sheets", async () => {
    const { error } = await outcome(three(), "book.xlsx", { maxCells: 2 });
    expect(error?.message).toBe('book.xlsx: the workbook holds more than 2 cells (at sheet "S3"), the most this run reads; the file is refused (give --max-cells N to read a larger workbook, with about 100 MB of memory a million cells)');
  });

  it("never calls the inflater for more than the declared size", async () => {
    const asked: number[] = [];
    const { error } = await outcome(caseNamed("bomb-liar.xlsx").bytes(), "bomb-liar.xlsx", {
      inflate: (compressed, maxBytes) => {
        asked.push(maxBytes);
        return nodeInflateRaw(compressed, maxBytes);
      },
    });
    expect(error?.message).toMatch(/inflates past the 1 KB its zip entry declares/);
    expect(Math.max(...asked)).toBe(1024);
  });
});

describe("readWorkbook's XML", () => {
  it("decodes only the five predefined entities and character references; a reference past U+10FFFF becomes U+FFFD", async () => {
    const xml = sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>&lt;&amp;&gt;&quot;&apos; &#65;&#x42; &unknown; &#99999999999; &#x110000;</t></is></c></row>');
    const sheets = await readWorkbook(oneSheetWorkbook(xml), "entities.xlsx");
    expect(sheets[0].rows[0][0]).toBe(`<&>"' AB &unknown; \uFFFD \uFFFD`);
    expect(decodeXmlEntities("&#0;")).toBe("\uFFFD");
  });

  it("reads CDATA, comments and processing instructions", async () => {
    const xml = sheetXml('<!-- a comment --><?pi x?><row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a < b & c]]></t></is></c><c r="B1" t="str"><v>x<!-- y -->z</v></c></row>');
    const sheets = await readWorkbook(oneSheetWorkbook(xml), "cdata.xlsx");
    expect(sheets[0].rows[0]).toEqual(["a < b & c", "xz"]);
  });

  it("says where XML is malformed, in one line", async () => {
    const cases: [string, RegExp][] = [
      [sheetXml('<row r="1"><c r="A1"><v>1</v></row>'), /\(xl\/worksheets\/sheet1\.xml: <c> is closed by <\/row> at line 2\)$/],
      [sheetXml('<row r="1"><c r="A1" t="a<b"><v>1</v></c></row>'), /\(xl\/worksheets\/sheet1\.xml: an attribute of <c> holds "<" at line 2\)$/],
      [sheetXml('<row r="1"><c r="A1" t="s><v>1</v></c></row>'), /\(xl\/worksheets\/sheet1\.xml: the tag <c> is cut short at line 2\)$/],
      [`<worksheet xmlns="${MAIN}"><sheetData><row`, /\(xl\/worksheets\/sheet1\.xml: the tag <row> is cut short at line 1\)$/],
      [sheetXml('<row r="x"><c><v>1</v></c></row>'), /\(xl\/worksheets\/sheet1\.xml: row number "x" is not a number\)$/],
      [sheetXml('<row r="1"><c r="1A"><v>1</v></c></row>'), /\(xl\/worksheets\/sheet1\.xml: "1A" is not a cell reference\)$/],
    ];
    for (const [xml, pattern] of cases) {
      const { error } = await outcome(oneSheetWorkbook(xml), "bad.xlsx");
      expect(error?.message).toMatch(/^bad\.xlsx is not a valid \.xlsx file /);
      expect(error?.message).toMatch(pattern);
    }
  });

  it("refuses a cell past column XFD without an r attribute, and a four-letter column", async () => {
    const cells = "<c><v>1</v></c>".repeat(16_385);
    expect((await outcome(oneSheetWorkbook(sheetXml(`<row r="3">${cells}</row>`)), "wide.xlsx")).error?.message).toBe(
      'wide.xlsx: sheet "Data" has a cell past column XFD in row 3, past XFD1048576 (the last cell of an Excel sheet); the file is refused',
    );
    expect((await outcome(oneSheetWorkbook(sheetXml('<row r="1"><c r="AAAA1"><v>1</v></c></row>')), "wide.xlsx")).error?.message).toMatch(/has a cell at AAAA1, past XFD1048576/);
  });
});

describe("readWorkbook's rows", () => {
  it("are ragged: each ends at its last cell, rows without cells are one shared empty array, out-of-order rows are placed by number", async () => {
    const xml = sheetXml('<row r="4"><c r="C4"><v>4</v></c></row><row r="2"><c r="B2"><v>1</v></c><c r="D2"><v>2</v></c></row><row r="2"><c r="E2"><v>3</v></c></row>');
    const sheets = await readWorkbook(oneSheetWorkbook(xml), "ragged.xlsx");
    expect([sheets[0].firstRow, sheets[0].firstColumn]).toEqual([2, 1]);
    expect(sheets[0].rows).toEqual([[1, null, 2, 3], [], [null, 4]]);
    expect(Object.isFrozen(sheets[0].rows[1])).toBe(true);
  });

  it("are sparse when a row's cells are few and far apart, and read like any array", async () => {
    const xml = sheetXml('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row>');
    const row = (await readWorkbook(oneSheetWorkbook(xml), "sparse.xlsx"))[0].rows[0];
    expect(row).toHaveLength(16_384);
    expect([row[0], row[16_383], row[5] ?? null]).toEqual([1, 2, null]);
    expect(Object.keys(row)).toEqual(["0", "16383"]);
  });
});

describe("readWorkbook's Excel tables", () => {
  it("lists each sheet's tables: range, header and totals row counts (totalsRowShown is not the count)", async () => {
    const tablePart = (name: string, attributes: string): string =>
      `<table xmlns="${MAIN}" id="1" name="${name}_internal" displayName="${name}" ${attributes}><autoFilter ref="A1:B3"/><tableColumns count="2"><tableColumn id="1" name="a"/><tableColumn id="2" name="b"/></tableColumns></table>`;
    const entries = workbookEntries(
      [
        {
          name: "Data",
          entry: textEntry(
            "xl/worksheets/sheet1.xml",
            sheetXml('<row r="3"><c r="A3"><v>1</v></c></row>', '<tableParts count="2"><tablePart r:id="t1"/><tablePart r:id="t2"/></tableParts>'),
          ),
        },
        { name: "Plain", entry: textEntry("xl/worksheets/sheet2.xml", sheetXml("")) },
      ],
      [
        textEntry(
          "xl/worksheets/_rels/sheet1.xml.rels",
          `<Relationships xmlns="${PACKAGE_REL}"><Relationship Id="t1" Type="${REL}/table" Target="../tables/table1.xml"/><Relationship Id="t2" Type="${REL}/table" Target="/xl/tables/table2.xml"/></Relationships>`,
        ),
        textEntry("xl/tables/table1.xml", tablePart("Orders", 'ref="A3:D120" totalsRowCount="1" totalsRowShown="0"')),
        textEntry("xl/tables/table2.xml", tablePart("Notes", 'ref="$F$1:$G$9" headerRowCount="0" totalsRowShown="1"')),
      ],
    );
    const sheets = await readWorkbook(zipOf(entries), "tables.xlsx");
    expect(sheets[0].tables).toEqual([
      { name: "Orders", ref: "A3:D120", headerRowCount: 1, totalsRowCount: 1 },
      { name: "Notes", ref: "F1:G9", headerRowCount: 0, totalsRowCount: 0 },
    ]);
    expect(sheets[1].tables).toBeUndefined();
  });

  it("reads the tables ExcelJS writes, with a totals row", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Orders");
    sheet.addTable({
      name: "OrderTable",
      ref: "B2",
      totalsRow: true,
      columns: [{ name: "customer_id", totalsRowLabel: "Total" }, { name: "order_value", totalsRowFunction: "sum" }],
      rows: [
        ["c1", 10],
        ["c2", 20],
      ],
    });
    const bytes = new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
    const sheets = await readWorkbook(bytes, "exceljs.xlsx");
    expect(sheets[0].tables).toEqual([{ name: "OrderTable", ref: "B2:C5", headerRowCount: 1, totalsRowCount: 1 }]);
    // ExcelJS stores the totals formula without a cached result: only the label is a value.
    expect(sheets[0].rows.at(-1)).toEqual(["Total"]);
  });
});
