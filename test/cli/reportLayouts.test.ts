// `imc report` on workbooks laid out as people export them: a title above the header, blank and
// total rows, day-first dates and euro amounts as text, invoice lines. Checks what is detected and
// said (stderr), and that bad cells are named at their sheet row. Only the Segmentation tab is
// built: the Customer Value model is not under test here.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeWorkbookFile } from "../support/workbooks";
import { memoryIo } from "../../src/cli/io";
import { main } from "../../src/cli/main";
import { readWorkbook } from "../../src/cli/xlsx/readWorkbook";
import { serialToCalendar } from "../../src/engine/data/dates";
import { generateSampleBusiness } from "../../src/sample/business";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "imc-layouts-"));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function write(file: string, sheets: Record<string, unknown[][]>): Promise<string> {
  return writeWorkbookFile(dir, file, sheets);
}

/** The sample business's orders (enough customers for the customer value model to fit). */
function sampleOrders(): { order: string; customer: string; date: { year: number; month: number; day: number }; value: number }[] {
  const orders = generateSampleBusiness({ customers: 300, seed: 7 }).tables.find((table) => table.name === "Orders")!;
  return orders.rows.map((row) => ({ order: String(row[0]), customer: String(row[1]), date: serialToCalendar(Number(row[2])), value: Number(row[3]) }));
}

const two = (n: number): string => String(n).padStart(2, "0");

/** The orders as an export: a title, day-first dates and euro amounts as text, a blank row inside, a blank row and a total at the end. */
function exportRows(): unknown[][] {
  const rows: unknown[][] = [["Sales export Q4 2024"], [], ["Client", "Purchase date", "Amount (EUR)"]];
  let total = 0;
  sampleOrders().forEach((order, i) => {
    total += order.value;
    const euros = order.value.toLocaleString("de-DE", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    rows.push([order.customer, `${two(order.date.day)}/${two(order.date.month)}/${order.date.year}`, `${euros} €`]);
    if (i === 10) rows.push([]);
  });
  rows.push([]);
  rows.push(["Total", "31/12/2025", `${total.toLocaleString("de-DE", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} €`]);
  return rows;
}

describe("imc report on exported layouts", () => {
  it("finds the header under the title, reads the text, and says what it read and left out", async () => {
    const rows = exportRows();
    await write("export.xlsx", { "Sales Q4": rows });
    const run = memoryIo({ cwd: dir, progress: true });
    const code = await main(["report", "export.xlsx", "--tabs", "segmentation", "--no-html"], run.io);
    expect(run.stderr()).not.toMatch(/^imc:/m);
    expect(code).toBe(0);
    const err = run.stderr();
    expect(err).toContain(
      'orders: sheet "Sales Q4", headers in row 3 (below the title rows): read Client as the customer id, Purchase date as the order date and Amount (EUR) as the order value\n',
    );
    expect(err).toContain('orders (sheet "Sales Q4"): 1 blank row skipped (row 15)\n');
    expect(err).toContain(`orders (sheet "Sales Q4"): 1 total row left out (row ${rows.length})\n`);
    expect(err).toMatch(/orders \(sheet "Sales Q4"\): dates in Purchase date read day-first \(\d\d\/\d\d\/20\d\d shows it\)\n/);
    expect(err).toMatch(/orders \(sheet "Sales Q4"\): amounts in Amount \(EUR\) read from text with a decimal comma/);
    expect(run.stdout()).toMatch(/^Added "Segmentation" to export\.xlsx/);
    const sheets = await readWorkbook(readFileSync(path.join(dir, "export.xlsx")), "export.xlsx");
    const segmentation = sheets.find((sheet) => sheet.name === "Segmentation");
    // The Total row did not become a customer.
    expect(JSON.stringify(segmentation?.rows)).not.toContain('"Total"');
  }, 60_000);

  it("prints the reading notes without progress too, and names the row of a partly blank order after skipped rows", async () => {
    const rows = exportRows();
    rows[20] = [rows[20][0], null, rows[20][2]]; // Excel row 21: below the skipped blank row 15
    await write("partly.xlsx", { Orders: rows });
    const run = memoryIo({ cwd: dir });
    expect(await main(["report", "partly.xlsx", "--tabs", "segmentation", "--no-html"], run.io)).toBe(1);
    expect(run.stderr()).toContain('orders (sheet "Orders"): 1 blank row skipped (row 15)\n');
    expect(run.stderr()).toMatch(/^imc: partly\.xlsx, sheet Orders, row 21, column Purchase date \(B\): is blank/m);
  }, 60_000);

  it("refuses dates no value disambiguates, naming the column, an example and --date-order; the option settles it", async () => {
    const rows = [["Customer", "Date", "Value"], ...sampleOrders().map((order) => [order.customer, `${two(((order.date.day - 1) % 12) + 1)}/${two(order.date.month)}/${order.date.year}`, order.value])];
    await write("ambiguous.xlsx", { Orders: rows });
    const run = memoryIo({ cwd: dir });
    expect(await main(["report", "ambiguous.xlsx", "--tabs", "segmentation", "--no-html"], run.io)).toBe(1);
    expect(run.stderr()).toBe(
      `imc: ambiguous.xlsx: Sheet "Orders", column Date (B): dates like ${rows[1][1]} (row 2) could be day-first or month-first, and no date in the column has a day above 12 to show which; say which with --date-order dmy (day first) or --date-order mdy (month first)\n`,
    );
    const again = memoryIo({ cwd: dir });
    expect(await main(["report", "ambiguous.xlsx", "--tabs", "segmentation", "--no-html", "--date-order", "dmy"], again.io)).toBe(0);
    expect(again.stderr()).toBe('orders (sheet "Orders"): dates in Date read day-first, as asked\n');
  }, 60_000);

  it("reads online-retail invoice lines; --header-row, --decimal and --date-order are checked", async () => {
    const rows: unknown[][] = [["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]];
    const orders = sampleOrders();
    orders.forEach((order, i) => {
      const date = `${order.date.month}/${order.date.day}/${order.date.year} 8:${two(i % 60)}`;
      rows.push([order.order, "85123A", "LANTERN", 2, date, order.value / 4, order.customer, "United Kingdom"]);
      rows.push([order.order, "71053", "METAL LANTERN", 1, date, order.value / 2, order.customer, "United Kingdom"]);
      if (i % 100 === 0) rows.push([`X${i}`, "22139", "", 3, date, 4.95, null, "United Kingdom"]);
    });
    await write("retail.xlsx", { "Online Retail": rows });
    const run = memoryIo({ cwd: dir, progress: true });
    expect(await main(["report", "retail.xlsx", "--tabs", "segmentation", "--no-html"], run.io)).toBe(0);
    const guests = Math.ceil(orders.length / 100);
    expect(run.stderr()).toContain("Quantity × UnitPrice as the order value; lines with one InvoiceNo are one order\n");
    expect(run.stderr()).toContain(`orders (sheet "Online Retail"): ${guests} rows without a customer id skipped\n`);
    expect(run.stderr()).toContain(`${(orders.length * 2).toLocaleString("en-US")} lines read as ${orders.length.toLocaleString("en-US")} orders (value = Quantity × UnitPrice)\n`);

    for (const [flags, message] of [
      [["--header-row", "0"], /--header-row: "0" is not a row number/],
      [["--header-row", "3,orders:2"], /--header-row: give one row for every table, or table:row for each/],
      [["--decimal", ";"], /--decimal: ";" is not \. or ,/],
      [["--date-order", "ymd"], /--date-order: "ymd" is not dmy or mdy/],
    ] as const) {
      const bad = memoryIo({ cwd: dir });
      expect(await main(["report", "retail.xlsx", ...flags], bad.io), flags.join(" ")).toBe(2);
      expect(bad.stderr(), flags.join(" ")).toMatch(message);
    }
  }, 60_000);
});
