// Layouts people actually have (issue 12, point 3): title rows above the header, Excel tables'
// totals rows, blank and total rows inside the data, export headers, invoice lines (the "online
// retail" layout), roles read from content, and CDNOW's own file laid out both ways.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { calendarToSerial } from "../../src/engine/data/dates";
import { businessDataOf, detectTables, type SheetCells } from "../../src/reports/detect";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { invalidInputOf } from "../support/engine";

const serial = (year: number, month: number, day: number): number => calendarToSerial({ year, month, day });

/** The exported orders of the issue: a title, a blank row, then the header in row 3. */
const titled: SheetCells = {
  name: "Orders",
  rows: [
    ["Sales export Q4 2024"],
    [],
    ["Client", "Purchase date", "Amount (EUR)", "Note"],
    ["C1", "31/01/2023", "1.458,30 €", "first"],
    ["C2", "03/02/2023", "12,50 €"],
    [null, null, null, null],
    ["C1", "04/02/2023", "(5,00 €)", ""],
    [],
    ["Total", "05/02/2023", "1.465,80 €"],
  ],
};

describe("the header row below title and blank rows", () => {
  it("finds the header in row 3 and reads the rows under it, skipping blank rows and the total", () => {
    const found = detectTables([titled]);
    expect(found.orders).toMatchObject({ sheet: "Orders", headerRow: 3, columns: { customerId: 0, orderDate: 1, orderValue: 2 }, currency: "EUR" });
    expect(found.orders?.headers).toEqual(["Client", "Purchase date", "Amount (EUR)", "Note"]);
    expect(found.orders?.description).toBe(
      'sheet "Orders", headers in row 3 (below the title rows): read Client as the customer id, Purchase date as the order date and Amount (EUR) as the order value',
    );
    const data = businessDataOf([titled], found);
    expect(data.orders?.customerIds).toEqual(["C1", "C2", "C1"]);
    expect(data.orders?.orderDates).toEqual([serial(2023, 1, 31), serial(2023, 2, 3), serial(2023, 2, 4)]);
    expect(data.orders?.orderValues).toEqual([1458.3, 12.5, -5]);
    expect(data.orders?.source).toBe("Orders!A3:D7");
    // The value header names the currency first (issue 13: option, header, number format, money text).
    expect(data.orders?.currency).toBe("EUR");
    expect(data.currency).toEqual({ currency: "EUR", from: "the header of Orders column C" });
    expect(data.rowNumbers?.orders).toEqual([4, 5, 7]);
    expect(data.orders?.readingNotes).toEqual([
      "1 blank row skipped (row 6)",
      "1 total row left out (row 9)",
      "dates in Purchase date read day-first (31/01/2023 shows it)",
      "amounts in Amount (EUR) read from text with a decimal comma (1.458,30 € shows it)",
      "1 amount in brackets in Amount (EUR) read as negative",
    ]);
  });

  it("skips rows that repeat the header or the title (exports pasted one after the other), counting them", () => {
    const pasted: SheetCells = {
      name: "Orders",
      rows: [
        ["Sales export Q4 2024"],
        [],
        ["Client", "Purchase date", "Amount (EUR)"],
        ["C1", "31/01/2023", "1.458,30 €"],
        ["Sales export Q4 2024"],
        [],
        [" client", "PURCHASE DATE ", "Amount (EUR)", null],
        ["C2", "03/02/2023", "12,50 €"],
      ],
    };
    const found = detectTables([pasted]);
    const data = businessDataOf([pasted], found);
    expect(data.orders?.customerIds).toEqual(["C1", "C2"]);
    expect(data.rowNumbers?.orders).toEqual([4, 8]);
    expect(data.orders?.readingNotes?.[0]).toBe("1 blank row skipped (row 6)");
    expect(data.orders?.readingNotes?.[1]).toBe("2 rows repeating the header or title skipped (rows 5, 7)");
    // A row that differs from the header in one cell is no repeat: it stays data (for the engine to refuse its date).
    const near = { ...pasted, rows: [...pasted.rows, ["Client", "Purchase date", "Amount"]] };
    expect(businessDataOf([near], detectTables([near])).orders?.customerIds).toEqual(["C1", "C2", "Client"]);
  });

  it("counts the sheet's own first row: a used range that starts lower keeps Excel's row numbers", () => {
    const placed: SheetCells = { ...titled, rows: titled.rows.slice(2), firstRow: 3, firstColumn: 1 };
    const found = detectTables([placed]);
    expect(found.orders?.headerRow).toBe(3);
    const data = businessDataOf([placed], found);
    expect(data.rowNumbers?.orders).toEqual([4, 5, 7]);
    expect(data.orders?.source).toBe("Orders!B3:E7");
  });

  it("takes the header row the caller gives, for every table or per kind", () => {
    const odd: SheetCells = { name: "Orders", rows: [["Client", "x", "y"], ["Customer", "Order date", "Value"], ["C1", 45000, 5], ["C1", 45001, 6]] };
    expect(detectTables([odd]).orders).toMatchObject({ headerRow: 2, columns: { customerId: 0, orderDate: 1, orderValue: 2 } });
    expect(detectTables([odd], { headerRow: 1 }).orders).toBeUndefined();
    expect(detectTables([odd], { headerRow: 2 }).orders?.description).toMatch(/^sheet "Orders", headers in row 2 \(given\): read Customer/);
    expect(detectTables([odd], { headerRow: { orders: 2 } }).orders?.headerRow).toBe(2);
    const error = invalidInputOf(() => detectTables([odd], { sheets: { orders: "Orders" }, headerRow: 9 }));
    expect(error.message).toBe('Sheet "Orders" has no row 9 to read the headers from (it has rows 1 to 4)');
    expect(error.argument).toBe("header_row");
  });

  it("refuses a given header row that holds data, rather than dropping it and the rows above", () => {
    const sheet: SheetCells = { name: "Orders", rows: [["Customer", "Order date", "Value"], ["C1", 45000, 5], ["C1", 45001, 6], ["C2", 45002, 7]] };
    const error = invalidInputOf(() => detectTables([sheet], { headerRow: 3 }));
    expect(error.message).toBe('row 3 of sheet "Orders" holds data (45001, 6), not column headers');
    expect(error.argument).toBe("header_row");
  });

  it("never takes a data row for the header, even one whose text looks like header names", () => {
    const log: SheetCells = {
      name: "Log",
      rows: [["Kunde", "Kanal", "Zeit", "Wert"], ["C1", "Email", 45000, 0], ["C1", "Email", 45001, 10], ["C2", "Region", "Name", "Email"]],
    };
    const found = detectTables([log], { sheets: { touchpoints: "Log" }, columns: { touchpoints: { customerId: "Kunde", channel: "Kanal", timestamp: "Zeit", conversion: "Wert" } } });
    expect(found.touchpoints?.headerRow).toBe(1);
  });

  it("shows the headers as the user typed them when a named column is missing", () => {
    expect(invalidInputOf(() => detectTables([titled], { columns: { orders: { customerId: "Customer" } } })).message).toBe(
      'Sheet "Orders" has no column "Customer" (headers in row 3: Client, Purchase date, Amount (EUR), Note)',
    );
  });

  it("reads ragged rows (shorter than the header, or empty) as blank cells", () => {
    const ragged: SheetCells = { name: "Sales", rows: [["Customer", "Date", "Value"], ["C1", 45000], [], ["C2", 45001, 3]] };
    const data = businessDataOf([ragged], detectTables([ragged]));
    expect(data.orders?.orderValues).toEqual([null, 3]);
    expect(data.orders?.readingNotes).toEqual(["1 blank row skipped (row 3)"]);
    // The partly blank row stays: the engine reports its blank cell at sheet row 2.
    expect(data.rowNumbers?.orders).toEqual([2, 4]);
  });
});

describe("Excel tables", () => {
  it("take the table's header row as the header and never read its totals row as data", () => {
    const sheet: SheetCells = {
      name: "Data",
      firstRow: 2,
      rows: [
        ["Customer", "Date", "Amount"],
        ["C1", 45000, 10],
        ["C2", 45001, 20],
        ["C1", 45002, 30],
        [null, null, 60],
        ["notes below the table"],
      ],
      tables: [{ name: "Sales", ref: "A2:C6", headerRowCount: 1, totalsRowCount: 1 }],
    };
    const found = detectTables([sheet]);
    expect(found.orders?.description).toMatch(/^sheet "Data", headers in row 2 \(Excel table Sales\): read Customer/);
    const data = businessDataOf([sheet], found);
    expect(data.orders?.orderValues).toEqual([10, 20, 30]);
    expect(data.orders?.readingNotes).toEqual(["1 total row left out (row 6)"]);
  });
});

describe("total rows", () => {
  it("leave out trailing rows labelled as totals in any case and several languages, whatever else they hold", () => {
    for (const label of ["TOTAL", "Grand total:", "Summe", "Gesamt", "Totale", "Totaal", "Sum", "Totals"]) {
      const sheet: SheetCells = { name: "Orders", rows: [["Customer", "Date", "Value"], ["C1", 45000, 5], ["C2", 45001, 6], [label, 45001, 11]] };
      const data = businessDataOf([sheet], detectTables([sheet]));
      expect(data.orders?.customerIds, label).toEqual(["C1", "C2"]);
      expect(data.orders?.readingNotes, label).toEqual(["1 total row left out (row 4)"]);
    }
  });

  it("leave out a subtotal and a grand total with blank rows between, but not a customer named like a word", () => {
    const sheet: SheetCells = {
      name: "Orders",
      rows: [["Customer", "Date", "Value"], ["Totality Ltd", 45000, 5], ["C2", 45001, 6], [], ["Subtotal", null, 11], [null, "Grand total", 11]],
    };
    const data = businessDataOf([sheet], detectTables([sheet]));
    expect(data.orders?.customerIds).toEqual(["Totality Ltd", "C2"]);
    expect(data.orders?.readingNotes).toEqual(["2 total rows left out (rows 5, 6)"]);
  });
});

describe("export headers", () => {
  it("leave out only currencies: a bracketed unit or an upper-case word that is not a currency stays", () => {
    const sheet: SheetCells = { name: "Export", rows: [["Customer", "Date", "Sales VAT", "Amount (pcs)"], ["C1", 45000, 1, 2], ["C1", 45001, 1, 2]] };
    const found = detectTables([sheet]).orders;
    expect(found?.columns.orderValue).toBe(3);
    expect(found?.currency).toBeUndefined();
  });

  const cases: [string[], string][] = [
    [["Client", "Purchase date", "Amount (EUR)"], "EUR"],
    [["Cust No.", "Invoice Date", "Sales ($)"], "$"],
    [["Customer No.", "Order date", "Net sales"], ""],
    [["Account", "Transaction date", "Order total"], ""],
    [["Buyer", "Created at", "Revenue"], ""],
    [["Email", "Date", "Total"], ""],
    [["Customer", "Order Date", "Amount EUR"], "EUR"],
    // Shop platform exports and APIs.
    [["customer_id", "created_at", "total_price"], ""],
    [["Billing Email", "Paid at", "Grand Total"], ""],
    [["Customer", "Date Created", "Order Total Amount"], ""],
    [["buyer_email", "processed_at", "total_paid"], ""],
  ];
  for (const [headers, currency] of cases) {
    it(`recognises ${headers.join(", ")}`, () => {
      const sheet: SheetCells = { name: "Export", rows: [headers, ["a@example.com", 45000, 5], ["b@example.com", 45001, 6]] };
      const found = detectTables([sheet]).orders;
      expect(found?.columns).toEqual({ customerId: 0, orderDate: 1, orderValue: 2 });
      expect(found?.currency ?? "").toBe(currency);
    });
  }
});

/** Invoice lines as the UCI "Online Retail" export has them. */
const retail: SheetCells = {
  name: "Online Retail",
  rows: [
    ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"],
    ["536365", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 6, "12/1/2010 8:26", 2.55, 17850, "United Kingdom"],
    ["536365", "71053", "WHITE METAL LANTERN", 6, "12/1/2010 8:26", 3.39, 17850, "United Kingdom"],
    ["536366", "22633", "HAND WARMER UNION JACK", 6, "12/1/2010 8:28", 1.85, 17850, "United Kingdom"],
    ["536414", "22139", "", 56, "12/1/2010 11:52", 0, null, "United Kingdom"],
    ["C536379", "D", "Discount", 1, "12/1/2010 9:41", 27.5, 14527, "United Kingdom"],
    ["536380", "22961", "JAM MAKING SET PRINTED", -2, "12/13/2010 9:41", 1.45, 14527, "United Kingdom"],
    ["536381", "22139", "", 3, "12/13/2010 9:45", 4.95, "", "United Kingdom"],
  ],
};

describe("the online-retail layout (invoice lines)", () => {
  it("sums the lines of an invoice into one order of Quantity × UnitPrice, skipping lines without a customer", () => {
    const found = detectTables([retail]);
    expect(found.orders).toMatchObject({ lines: true, columns: { orderId: 0, quantity: 3, orderDate: 4, unitPrice: 5, customerId: 6 } });
    expect(found.orders?.description).toBe(
      'sheet "Online Retail", headers in row 1: read InvoiceNo as the order number, CustomerID as the customer id, InvoiceDate as the order date and Quantity × UnitPrice as the order value; lines with one InvoiceNo are one order',
    );
    const data = businessDataOf([retail], found);
    expect(data.orders?.customerIds).toEqual([17850, 17850, 14527, 14527]);
    expect(data.orders?.orderValues).toEqual([35.64, 11.1, -27.5, -2.9]);
    expect(data.orders?.orderDates[0]).toBeCloseTo(serial(2010, 12, 1) + (8 * 60 + 26) / 1440, 9);
    expect(data.rowNumbers?.orders).toEqual([2, 4, 6, 7]);
    expect(data.orders?.readingNotes).toEqual([
      "2 rows without a customer id skipped",
      "dates in InvoiceDate read month-first (12/13/2010 9:41 shows it)",
      "5 lines read as 4 orders (value = Quantity × UnitPrice)",
      "2 cancelled orders read as refunds (negative value)",
    ]);
  });

  it("names sheet, row and column of a quantity that is not a number", () => {
    const bad: SheetCells = { ...retail, rows: [...retail.rows.slice(0, 3), ["536367", "1", "x", "six", "12/13/2010 8:00", 1, 17850, "UK"]] };
    expect(invalidInputOf(() => businessDataOf([bad], detectTables([bad]))).message).toBe('Sheet "Online Retail", row 4, column Quantity (D): "six" is not a number');
  });
});

describe("roles read from content when headers say nothing", () => {
  it("reads a date column, an amount column and a repeating id column, and says so", () => {
    const sheet: SheetCells = {
      name: "Sheet1",
      rows: [
        ["Wer", "Wann", "Artikel", "Betrag"],
        ["K-1", "2024-01-05", 3, 12.5],
        ["K-2", "2024-01-06", 1, 8.99],
        ["K-1", "2024-02-01", 2, 20.0],
        ["K-3", "2024-02-03", 5, 7.25],
      ],
    };
    const found = detectTables([sheet]);
    expect(found.orders).toMatchObject({ how: "content", columns: { customerId: 0, orderDate: 1, orderValue: 3 } });
    expect(found.orders?.description).toBe(
      'sheet "Sheet1", headers in row 1: read Wer as the customer id, Wann as the order date and Betrag as the order value (Wer, Wann, Betrag read from their content, not their headers)',
    );
  });

  it("reads amounts written as text (every cell of a CSV) from their content too", () => {
    const sheet: SheetCells = {
      name: "export.csv",
      rows: [
        ["customer_id", "created_at", "zahlbetrag"],
        ["00098", "2023-01-01T14:03:00Z", "147.0"],
        ["00002", "2023-01-02T10:27:00Z", "132.69"],
        ["00098", "2023-02-11T09:00:00Z", "(12.50)"],
        ["00007", "2023-02-12T09:00:00Z", "$1,024.00"],
        ["00002", "2023-03-01T08:15:00Z", "18.40"],
        ["00011", "2023-03-02T17:45:00Z", "99.99"],
      ],
    };
    // Before: the test for a negative sign was a character range that took every digit for one.
    expect(detectTables([sheet]).orders).toMatchObject({ how: "headers and content", columns: { customerId: 0, orderDate: 1, orderValue: 2 }, guessed: ["orderValue"] });
  });

  it("fills in the one role headers do not name, and keeps to the headers the caller gives", () => {
    const sheet: SheetCells = { name: "Sales", rows: [["Client", "Datum", "Amount"], ["C1", 45000, 5.5], ["C2", 45001, 6], ["C1", 45010, 7]] };
    expect(detectTables([sheet]).orders).toMatchObject({ columns: { customerId: 0, orderDate: 1, orderValue: 2 }, guessed: ["orderDate"] });
    const given = detectTables([sheet], { columns: { orders: { orderDate: "Datum" } } }).orders;
    expect(given?.guessed).toBeUndefined();
  });

  it("takes no sheet for orders whose content does not look like orders", () => {
    const notes: SheetCells = { name: "Notes", rows: [["Topic", "Text"], ["a", "b"], ["c", "d"]] };
    expect(detectTables([notes]).orders).toBeUndefined();
  });
});

/** CDNOW_sample.txt: master id, sample id, yyyymmdd date, CDs, dollar value. */
function readCdnow(dir: string): { master: string; id: string; date: number; cds: number; value: number }[] {
  return readFileSync(path.join(dir, "CDNOW_sample.txt"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [master, id, date, cds, value] = line.trim().split(/\s+/);
      return { master, id, date: Number(date), cds: Number(cds), value: Number(value) };
    });
}

describe("CDNOW's transactions (Fader, Hardie & Lee 2005 data)", () => {
  it("as a sheet with a title and ordinary headers: yyyymmdd numbers read as dates, every order kept", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const rows = readCdnow(dir);
    const sheet: SheetCells = {
      name: "CDNOW",
      rows: [["CDNOW sample, 1997-1998"], [], ["Master ID", "Customer No.", "Purchase date", "CDs", "Amount ($)"], ...rows.map((row) => [row.master, row.id, row.date, row.cds, row.value])],
    };
    const found = detectTables([sheet]);
    expect(found.orders).toMatchObject({ headerRow: 3, columns: { customerId: 1, orderDate: 2, orderValue: 4 }, currency: "$" });
    const data = businessDataOf([sheet], found);
    expect(rows).toHaveLength(6919);
    expect(data.orders?.orderDates).toHaveLength(6919);
    expect(data.orders?.orderDates[0]).toBe(serial(1997, 1, 1));
    expect(new Set(data.orders?.customerIds).size).toBe(2357);
    expect(data.orders?.readingNotes).toEqual(["dates in Purchase date read from yyyymmdd numbers (19970101 is 1997-01-01)"]);
    const last = rows[rows.length - 1];
    const lastDate = String(last.date);
    expect(data.orders?.orderDates[6918]).toBe(serial(Number(lastDate.slice(0, 4)), Number(lastDate.slice(4, 6)), Number(lastDate.slice(6))));
  });

  it("under headers that say nothing: the id, the yyyymmdd dates and the dollar values read from their content", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const rows = readCdnow(dir);
    const sheet: SheetCells = { name: "Sheet1", rows: [["A", "B", "C", "D", "E"], ...rows.map((row) => [row.master, row.id, row.date, row.cds, row.value])] };
    const found = detectTables([sheet]);
    expect(found.orders).toMatchObject({ how: "content", columns: { customerId: 0, orderDate: 2, orderValue: 4 }, guessed: ["customerId", "orderDate", "orderValue"] });
    expect(found.orders?.description).toBe(
      'sheet "Sheet1", headers in row 1: read A as the customer id, C as the order date and E as the order value (A, C, E read from their content, not their headers)',
    );
    const data = businessDataOf([sheet], found);
    expect(new Set(data.orders?.customerIds).size).toBe(2357);
    expect(data.orders?.orderDates[0]).toBe(serial(1997, 1, 1));
  });

  it("re-laid as online-retail invoice lines: the same orders back, refunds and guest lines counted", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const rows = readCdnow(dir);
    const lines: unknown[][] = [["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]];
    rows.forEach((row, i) => {
      const text = String(row.date);
      const date = `${Number(text.slice(4, 6))}/${Number(text.slice(6))}/${text.slice(0, 4)} 10:${String(i % 60).padStart(2, "0")}`;
      const invoice = String(500000 + i);
      // Two lines for an order of several CDs, so that lines are summed back into one order.
      if (row.cds >= 2) {
        lines.push([invoice, "CD", "compact disc", 1, date, row.value / row.cds, Number(row.id), "US"]);
        lines.push([invoice, "CD", "compact disc", row.cds - 1, date, row.value / row.cds, Number(row.id), "US"]);
      } else {
        lines.push([invoice, "CD", "compact disc", row.cds, date, row.cds === 0 ? 0 : row.value / row.cds, Number(row.id), "US"]);
      }
      if (i % 1000 === 0) lines.push([`9${invoice}`, "CD", "guest", 1, date, 9.99, null, "US"]);
    });
    lines.push(["C999999", "CD", "returned", 1, "6/30/1998 12:00", 15, 1, "US"]);
    const sheet: SheetCells = { name: "Online Retail", rows: lines };
    const found = detectTables([sheet]);
    expect(found.orders?.lines).toBe(true);
    const data = businessDataOf([sheet], found);
    const values = data.orders!.orderValues as number[];
    expect(values).toHaveLength(6920);
    rows.forEach((row, i) => expect(Math.abs(values[i] - row.value), `order ${i + 1}`).toBeLessThanOrEqual(1e-6));
    expect(values[6919]).toBe(-15);
    expect(data.orders?.readingNotes).toEqual([
      "7 rows without a customer id skipped",
      "dates in InvoiceDate read month-first (1/18/1997 10:01 shows it)",
      `${(lines.length - 1 - 7).toLocaleString("en-US")} lines read as 6,920 orders (value = Quantity × UnitPrice)`,
      "1 cancelled order read as a refund (negative value)",
    ]);
  });
});
