import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { findColumns, normalizeHeader, ORDER_COLUMNS } from "../../src/cli/csv/columns";
import { CsvParser, detectDelimiter, readCsvTable, streamCsv } from "../../src/cli/csv/reader";
import { csvField, formatCsv, formatJson } from "../../src/cli/csv/writer";
import { CliError } from "../../src/cli/errors";
import { csvSafeText } from "../../src/engine/data/csvSafe";

const dir = mkdtempSync(path.join(os.tmpdir(), "imc-csv-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Parses text fed in pieces of the given sizes (cycled); returns header, rows and their lines. */
function parsePieces(text: string, sizes: readonly number[] = [text.length || 1]) {
  let header: readonly string[] = [];
  const rows: string[][] = [];
  const lines: number[] = [];
  const parser = new CsvParser(
    {
      header: (fields) => {
        header = fields;
      },
      record: (record) => {
        rows.push(record.fields());
        lines.push(record.line);
      },
    },
    { displayName: "test.csv" },
  );
  let at = 0;
  for (let k = 0; at < text.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length]);
    parser.push(text.slice(at, at + size));
    at += size;
  }
  parser.end();
  return { header, rows, lines, delimiter: parser.currentDelimiter };
}

describe("CSV reader", () => {
  it("reads quoted fields with delimiters, doubled quotes and line breaks, and numbers lines from the record start", () => {
    const text = 'id,note,value\n1,"a, b",2\n2,"say ""hi""",3\n3,"two\nlines",4\n4,plain,5\n';
    const parsed = parsePieces(text);
    expect(parsed.header).toEqual(["id", "note", "value"]);
    expect(parsed.rows).toEqual([
      ["1", "a, b", "2"],
      ["2", 'say "hi"', "3"],
      ["3", "two\nlines", "4"],
      ["4", "plain", "5"],
    ]);
    // The quoted line break makes row 4 start on line 6.
    expect(parsed.lines).toEqual([2, 3, 4, 6]);
  });

  it("gives the same records whatever the piece sizes, including one character at a time", () => {
    const text = '\uFEFFid;note;value\r\n1;"a; b";2\r\n2;"x\r\ny";3\r\n\r\n3;z;"4"\r\n4;"end"';
    const whole = parsePieces(text);
    expect(whole.delimiter).toBe(";");
    expect(whole.header).toEqual(["id", "note", "value"]);
    expect(whole.rows).toEqual([
      ["1", "a; b", "2"],
      ["2", "x\r\ny", "3"],
      ["3", "z", "4"],
      ["4", "end"],
    ]);
    expect(whole.lines).toEqual([2, 3, 6, 7]);
    for (const sizes of [[1], [2], [3, 5], [7], [13, 1]]) expect(parsePieces(text, sizes)).toEqual(whole);
  });

  it("a quoted field split across pieces that look alike is still read as quoted (found by the property below)", () => {
    const text = 'hhhhh\n"aaa\r\na\r\naaaa"\n"\n"\n';
    expect(parsePieces(text, [4, 6, 1, 8]).rows).toEqual([["aaa\r\na\r\naaaa"], ["\n"]]);
  });

  it("skips a byte-order mark, handles CRLF and a last line without a newline", () => {
    const parsed = parsePieces("\uFEFFcustomer_id,order_date\r\nc1,2024-01-01\r\nc2,2024-01-02");
    expect(parsed.header).toEqual(["customer_id", "order_date"]);
    expect(parsed.rows).toEqual([
      ["c1", "2024-01-01"],
      ["c2", "2024-01-02"],
    ]);
  });

  it("detects comma, semicolon and tab delimiters from the header, ignoring quoted ones", () => {
    expect(detectDelimiter("a,b,c")).toBe(",");
    expect(detectDelimiter("a;b;c")).toBe(";");
    expect(detectDelimiter("a\tb\tc")).toBe("\t");
    expect(detectDelimiter('"x;y;z",b')).toBe(",");
    expect(detectDelimiter("single")).toBe(",");
    expect(parsePieces("a\tb\n1\t2\n").rows).toEqual([["1", "2"]]);
  });

  it("reports an unclosed quote with the row it starts on", () => {
    expect(() => parsePieces('a,b\n1,"open\n2,3\n')).toThrowError(/not closed/);
    try {
      parsePieces('a,b\n1,2\n3,"open\n');
    } catch (error) {
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).row).toBe(3);
    }
  });

  it("round-trips any table through formatCsv and the parser, in any piece sizes (property)", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", ";", '"', "\n", "\r\n", "é", "1") });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.tuple(
            fc.array(fc.string({ unit: fc.constantFrom("h", "x", "_"), minLength: 1 }), { minLength: width, maxLength: width }),
            fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 6 }),
            fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
          ),
        ),
        ([header, rows, sizes]) => {
          // A data row of one blank field is a blank line, which the reader skips by design.
          const kept = rows.filter((row) => !(row.length === 1 && row[0] === ""));
          const text = formatCsv([header, ...kept]);
          const parsed = parsePieces(text, sizes);
          expect(parsed.header).toEqual(header.map((h) => h.trim()));
          // Formula-like text (here: a leading CR) comes back with the writer's neutralising `'`.
          expect(parsed.rows).toEqual(kept.map((row) => row.map(csvSafeText)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("streams a file across chunk ends and gives line numbers", async () => {
    const lines = ["path,conversions"];
    for (let i = 0; i < 500; i++) lines.push(i % 7 === 0 ? `"A > ""B"",\nC",${i}` : `A > B,${i}`);
    const file = write("stream.csv", `${lines.join("\n")}\n`);
    const seen: { path: string; line: number }[] = [];
    const summary = await streamCsv(file, { header() {}, record: (r) => seen.push({ path: r.field(0), line: r.line }) }, { chunkBytes: 64 });
    expect(summary.rows).toBe(500);
    expect(seen[0]).toEqual({ path: 'A > "B",\nC', line: 2 });
    expect(seen[1]).toEqual({ path: "A > B", line: 4 });
    const table = await readCsvTable(file);
    expect(table.rows.map((r) => r[0])).toEqual(seen.map((s) => s.path));
    expect(Array.from(table.lines)).toEqual(seen.map((s) => s.line));
  });

  it("streams a file in tiny chunks: BOM, CRLF, UTF-8 characters split across chunks, last line without a newline", async () => {
    const text = "\uFEFFpath,conversions\r\nÉmail > Café,1\r\n中文 > 😀 Social,2\r\nA > Ü,3";
    const file = write("utf8.csv", text);
    for (const chunkBytes of [1, 2, 3, 5, 7]) {
      const seen: string[][] = [];
      let header: string[] = [];
      const summary = await streamCsv(file, { header: (fields) => (header = [...fields]), record: (r) => seen.push(r.fields()) }, { chunkBytes });
      expect(header, `chunks of ${chunkBytes} bytes`).toEqual(["path", "conversions"]);
      expect(seen, `chunks of ${chunkBytes} bytes`).toEqual([
        ["Émail > Café", "1"],
        ["中文 > 😀 Social", "2"],
        ["A > Ü", "3"],
      ]);
      expect(summary.rows).toBe(3);
    }
  });

  it("a missing file is a one-line CliError", async () => {
    await expect(readCsvTable(path.join(dir, "missing.csv"), { displayName: "missing.csv" })).rejects.toThrowError("cannot read missing.csv: no such file");
  });

  it("an empty file and a row longer than the header are errors naming the row", async () => {
    await expect(readCsvTable(write("empty.csv", ""))).rejects.toThrowError(/empty/);
    const error = await readCsvTable(write("long.csv", "a,b\n1,2\n1,2,3\n"), { displayName: "long.csv" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).line).toMatch(/^long\.csv, row 3: the row has 3 fields but the header has 2/);
    // Extra empty fields (a trailing delimiter) are tolerated.
    expect((await readCsvTable(write("trailing.csv", "a,b\n1,2,\n"))).rows).toEqual([["1", "2"]]);
  });
});

describe("CSV writer", () => {
  it("quotes fields with delimiters, quotes, line breaks or edge spaces, and writes numbers in full", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(" padded")).toBe('" padded"');
    expect(csvField(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(csvField(true)).toBe("TRUE");
    expect(csvField(null)).toBe("");
    expect(formatCsv([["a", "b"], [1, null]])).toBe("a,b\n1,\n");
  });

  it("writes JSON objects keyed by the header", () => {
    expect(JSON.parse(formatJson([["Unit", "Spend"], ["Email", 10], ["Total", null]]))).toEqual([
      { Unit: "Email", Spend: 10 },
      { Unit: "Total", Spend: null },
    ]);
  });
});

describe("columns by header name", () => {
  it("matches synonyms ignoring case, spaces and underscores, and honours overrides", () => {
    expect(normalizeHeader(" Customer ID ")).toBe("customerid");
    expect(findColumns(["Client ID", "Purchase Date", "Revenue"], ORDER_COLUMNS, {}, "o.csv")).toEqual({ customer: 0, date: 1, value: 2 });
    expect(findColumns(["who", "when", "amount"], ORDER_COLUMNS, { customer: "WHO", date: "when" }, "o.csv")).toEqual({ customer: 0, date: 1, value: 2 });
  });

  it("a missing column lists the headers found and the flag to name it", () => {
    expect(() => findColumns(["who", "date", "value"], ORDER_COLUMNS, {}, "o.csv")).toThrowError(
      /no customer id column .*the header has "who", "date", "value"; name it with --id-column/,
    );
    expect(() => findColumns(["a"], ORDER_COLUMNS, { customer: "nope" }, "o.csv")).toThrowError(/no column "nope" \(--id-column\)/);
  });
});
