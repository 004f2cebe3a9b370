import { describe, expect, it } from "vitest";
import { calendarToSerial } from "../../src/engine/data/dates";
import { isEngineError } from "../../src/engine/errors";
import { generateSampleBusiness, sampleTable, type SampleTable } from "../../src/sample/business";
import { CSV_LINE_END, plainNumberText, tableToCsv } from "../../src/sample/csv";

const day = calendarToSerial({ year: 2024, month: 3, day: 5 });

function table(headers: string[], rows: SampleTable["rows"], numberFormats: SampleTable["numberFormats"]): SampleTable {
  return { name: "Customers", headers, rows, numberFormats };
}

describe("tableToCsv", () => {
  it("quotes text with a comma, a quote or a line break (RFC 4180), and only then", () => {
    const csv = tableToCsv(
      table(
        ["name", "note"],
        [
          ["Smith, Jane", 'She said "hi"'],
          ["Line\nbreak", "plain"],
          ["O'Brien", "cr\rhere"],
        ],
        ["@", "@"],
      ),
    );
    expect(csv).toBe(['name,note', '"Smith, Jane","She said ""hi"""', '"Line\nbreak",plain', `O'Brien,"cr\rhere"`, ""].join("\r\n"));
  });

  it("writes dates and timestamps by the column's format, numbers in full, blanks and booleans", () => {
    const noon = day + 0.5;
    const almostMidnight = day + (23 * 60 + 59.7) / 1440;
    const csv = tableToCsv(
      table(
        ["d", "t", "v", "g", "b", "n"],
        [
          [day, noon, 1234.5, 0.1 + 0.2, true, null],
          [day + 0.75, almostMidnight, -12.34, 1e-7, false, ""],
          [day, day + 9 / 24 + 5 / 1440, 1e21, 123456789012, null, "x"],
        ],
        ["yyyy-mm-dd", "yyyy-mm-dd hh:mm", "#,##0.00", null, null, "@"],
      ),
    );
    expect(csv.split(CSV_LINE_END)).toEqual([
      "d,t,v,g,b,n",
      "2024-03-05,2024-03-05 12:00,1234.5,0.30000000000000004,TRUE,",
      "2024-03-05,2024-03-06 00:00,-12.34,0.0000001,FALSE,",
      "2024-03-05,2024-03-05 09:05,1e+21,123456789012,,x",
      "",
    ]);
  });

  it("expands exponents of ordinary numbers and keeps the exact value", () => {
    for (const value of [1e-7, -2.5e-10, 1.25e-15, 1e20, 9.87e19, 0, -0.5]) {
      const text = plainNumberText(value);
      expect(text).not.toMatch(/e/i);
      expect(Number(text)).toBe(value);
    }
    expect(plainNumberText(1e-300)).toBe("1e-300");
  });

  it("rejects a row of the wrong length and a number that is not finite, naming the row", () => {
    const short = table(["a", "b"], [["x", "y"], ["z"]], ["@", "@"]);
    expect(() => tableToCsv(short)).toThrow(/Customers row 2 has 1 cells but the table has 2 columns/);
    try {
      tableToCsv(table(["a"], [[Number.NaN]], [null]));
      expect.unreachable();
    } catch (error) {
      expect(isEngineError(error, "INVALID_INPUT")).toBe(true);
      expect((error as Error).message).toMatch(/row 1, column "a"/);
    }
  });

  it("writes every generated table: one line per row, a CRLF after each, ISO dates", () => {
    const business = generateSampleBusiness({ customers: 300 });
    for (const t of business.tables) {
      const lines = tableToCsv(t).split("\r\n");
      expect(lines, t.name).toHaveLength(t.rows.length + 2);
      expect(lines[lines.length - 1]).toBe("");
      expect(lines[0]).toBe(t.headers.join(","));
    }
    const orders = tableToCsv(sampleTable(business, "Orders")).split("\r\n");
    expect(orders[1]).toMatch(/^O\d{6},C\d{5},2024-01-\d{2},\d+(\.\d{1,2})?$/);
    const touches = tableToCsv(sampleTable(business, "Touchpoints")).split("\r\n");
    // A touch has a stage and a content; a conversion row has neither.
    expect(touches.slice(1, -1).every((line) => /^[CP]\d+,\d{4}-\d{2}-\d{2} \d{2}:\d{2},[A-Za-z ]*,-?[\d.]+,(O\d+)?,([A-Z][a-z]+,[A-Za-z&:' -]+|,)$/.test(line))).toBe(true);
    // Some campaign names hold a comma ("Shoes, Bags & More") with the default seed: those are quoted.
    const names = sampleTable(business, "Campaigns").rows.map((row) => row[0] as string);
    expect(names.some((name) => name.includes(","))).toBe(true);
    const campaigns = tableToCsv(sampleTable(business, "Campaigns")).split("\r\n").slice(1, -1);
    campaigns.forEach((line, k) => {
      const name = names[k];
      expect(line.startsWith(name.includes(",") ? `"${name}",` : `${name},`), line).toBe(true);
    });
  });
});
