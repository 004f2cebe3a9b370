// `imc clv FILE.csv` and `imc rfm FILE.csv` read a CSV file as `imc report` reads a sheet: the same
// orders written the way exports write them (a title row and a blank line above the header, header
// synonyms, a blank line inside the data, a trailing Total row, day-first or month-name dates,
// yyyymmdd numbers, money text with currency and thousands separators, a decimal comma with `;`,
// a byte-order mark, CRLF) give exactly the numbers of the clean ISO file, the rows left out are
// counted on stderr, and a bad cell still stops the run with its file line and column.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatCsv } from "../../src/cli/csv/writer";
import { memoryIo } from "../../src/cli/io";
import { main } from "../../src/cli/main";
import { formatSerial, serialToCalendar } from "../../src/engine/data/dates";
import { gammaDraw, seededUniform } from "../../src/engine/math/random";
import { cdnowTransactions } from "../engine/clv/cdnowData";
import { sharedDir, sharedSkipMessage } from "../support/shared";

const dir = mkdtempSync(path.join(os.tmpdir(), "imc-csv-reading-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const memory = memoryIo({ cwd: dir });
  const code = await main(argv, memory.io);
  return { code, out: memory.stdout(), err: memory.stderr() };
}

interface Order {
  readonly id: string;
  readonly serial: number;
  /** In cents, so that every way of writing it is exact. */
  readonly cents: number;
}

/**
 * A seeded repeat-buying process: 250 customers joining through 2022, each buying at a personal
 * rate (Gamma-distributed) until dropping out after a purchase (probability Beta-like) or the end
 * of 2023; each customer's orders at increasing dates, values around a personal mean (some over
 * 1,000 so that thousands separators appear), rows in the order the customers' orders happen.
 */
function orders(): Order[] {
  const random = seededUniform(2024);
  const start = 44562; // 2022-01-01
  const end = start + 730;
  const out: Order[] = [];
  for (let c = 1; c <= 250; c++) {
    const rate = gammaDraw(random, 0.9, 1) / 30;
    const a = gammaDraw(random, 1, 1);
    const p = a / (a + gammaDraw(random, 5, 1));
    const mean = 20 + gammaDraw(random, 2, 1) * (c % 10 === 0 ? 400 : 40);
    let day = start + Math.floor(random() * 365);
    for (;;) {
      out.push({ id: `C${c}`, serial: day, cents: Math.max(1, Math.round(mean * (0.5 + random()) * 100)) });
      if (random() < p) break;
      day += 1 + Math.floor(-Math.log(1 - random()) / rate);
      if (day >= end) break;
    }
  }
  return out;
}

const ORDERS = orders();

const pad = (n: number) => String(n).padStart(2, "0");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const dayFirst = (serial: number, mark: string) => {
  const { year, month, day } = serialToCalendar(serial);
  return `${pad(day)}${mark}${pad(month)}${mark}${year}`;
};
const yyyymmdd = (serial: number) => formatSerial(serial).replace(/-/g, "");
const monthName = (serial: number, k: number) => {
  const { year, month, day } = serialToCalendar(serial);
  return k % 2 === 0 ? `${day}-${MONTHS[month - 1]}-${year}` : `${MONTHS[month - 1]} ${day}, ${year}`;
};
const plain = (cents: number) => (cents / 100).toFixed(2);
/** 1234.5 as "1.234,50" (thousands with dots, decimal comma). */
const european = (cents: number) => plain(cents).replace(".", ",").replace(/\B(?=(\d{3})+(?!\d))/g, ".");
/** 1234.5 as "$1,234.50". */
const dollars = (cents: number) => `$${plain(cents).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`;

function write(name: string, text: string): string {
  writeFileSync(path.join(dir, name), text);
  return name;
}

/** A delimited file of rows (quoted where needed), lines joined with `eol`. */
function delimited(rows: readonly (readonly string[])[], delimiter: string, eol = "\n"): string {
  const quote = (cell: string) => (cell.includes(delimiter) || cell.includes('"') ? `"${cell.replace(/"/g, '""')}"` : cell);
  return rows.map((row) => row.map(quote).join(delimiter)).join(eol) + eol;
}

const CLEAN = () => write("clean.csv", formatCsv([["customer_id", "order_date", "order_value"], ...ORDERS.map((o) => [o.id, formatSerial(o.serial), plain(o.cents)])]));
const total = () => plain(ORDERS.reduce((sum, o) => sum + o.cents, 0));
/** Where a blank line goes inside the data: after this many orders. */
const BLANK_AFTER = 40;

/** Each messy file, with the lines its reading should say it left out. */
const MESSY: readonly { name: string; text: () => string; blankLine?: number; totalLine?: number; notes: readonly RegExp[] }[] = [
  {
    // Title row, blank line, header synonyms, day-first dates, a blank line inside, a Total row; BOM and CRLF.
    name: "export.csv",
    text: () => {
      const rows = ORDERS.map((o) => [o.id, dayFirst(o.serial, "/"), plain(o.cents)]);
      const lines = [["Sales export 2023"], [], ["Client", "Invoice Date", "Amount"], ...rows.slice(0, BLANK_AFTER), [], ...rows.slice(BLANK_AFTER), ["Total", "", total()]];
      return `\uFEFF${delimited(lines, ",", "\r\n")}`;
    },
    blankLine: 3 + BLANK_AFTER + 1,
    totalLine: 3 + ORDERS.length + 2,
    notes: [/dates in Invoice Date read day-first \(\d\d\/\d\d\/\d{4} shows it\)/],
  },
  {
    // Semicolons, dd.mm.yyyy and a decimal comma with thousands dots (295,18; 1.234,50).
    name: "semicolon.csv",
    text: () => delimited([["Customer", "Date", "Sales"], ...ORDERS.map((o) => [o.id, dayFirst(o.serial, "."), european(o.cents)])], ";"),
    notes: [/dates in Date read day-first/, /amounts in Sales read from text with a decimal comma/],
  },
  {
    // yyyymmdd dates and "$1,234.50" quoted in a comma-separated file.
    name: "dollars.csv",
    text: () => delimited([["customer", "date", "revenue"], ...ORDERS.map((o) => [o.id, yyyymmdd(o.serial), dollars(o.cents)])], ","),
    notes: [/dates in date read from yyyymmdd numbers/, /amounts in revenue read from text with a decimal point/],
  },
  {
    // Month names (1-Jan-2022 and "Jan 1, 2022"), tab-separated, with a title row.
    name: "months.tsv",
    text: () => delimited([["Orders by customer"], ["Customer ID", "Order Date", "Order Total"], ...ORDERS.map((o, k) => [o.id, monthName(o.serial, k), plain(o.cents)])], "\t"),
    notes: [/dates in Order Date read from text with month names/],
  },
];

describe("imc clv and imc rfm read a messy CSV file as imc report reads a sheet", () => {
  it("the test data are repeat buyers over two years, with values past 1,000", () => {
    const customers = new Set(ORDERS.map((o) => o.id));
    expect(customers.size).toBe(250);
    expect(ORDERS.length).toBeGreaterThan(customers.size * 1.5);
    expect(ORDERS.some((o) => o.cents > 100_000)).toBe(true);
    expect(ORDERS.some((o) => serialToCalendar(o.serial).day > 12)).toBe(true);
  });

  it("gives the clean file's fit and RFM table, and counts what it left out on stderr", async () => {
    CLEAN();
    const fitArgs = ["--fit-only", "--period", "week"];
    const cleanFit = await run("clv", "clean.csv", ...fitArgs);
    expect(cleanFit.err).toBe("");
    expect(cleanFit.code).toBe(0);
    expect(cleanFit.out).toMatch(/^Converged.*TRUE/m);
    const cleanRfm = await run("rfm", "clean.csv");
    expect(cleanRfm.code).toBe(0);
    for (const messy of MESSY) {
      write(messy.name, messy.text());
      const fit = await run("clv", messy.name, ...fitArgs);
      expect(fit.code, `${messy.name}: ${fit.err}`).toBe(0);
      expect(fit.out, messy.name).toBe(cleanFit.out);
      const rfm = await run("rfm", messy.name);
      expect(rfm.code, `${messy.name}: ${rfm.err}`).toBe(0);
      // The ids are the same text, so the tables are the same bytes (header included).
      expect(rfm.out, messy.name).toBe(cleanRfm.out);
      const notes = fit.err.split("\n").filter((line) => line !== "");
      for (const note of notes) expect(note.startsWith(`orders (file "${messy.name}"): `), note).toBe(true);
      for (const pattern of messy.notes) expect(fit.err, messy.name).toMatch(pattern);
      if (messy.blankLine !== undefined) expect(notes).toContain(`orders (file "${messy.name}"): 1 blank row skipped (row ${messy.blankLine})`);
      if (messy.totalLine !== undefined) expect(notes).toContain(`orders (file "${messy.name}"): 1 total row left out (row ${messy.totalLine})`);
      expect(rfm.err, messy.name).toBe(fit.err);
    }
  }, 120_000);

  it("--header-row gives the header's line; --date-order and --decimal settle what a column cannot say", async () => {
    write("export.csv", MESSY[0].text());
    const found = await run("rfm", "export.csv");
    const given = await run("rfm", "export.csv", "--header-row", "3");
    expect(given.code, given.err).toBe(0);
    expect(given.out).toBe(found.out);
    const title = await run("rfm", "export.csv", "--header-row", "1");
    expect(title.code).toBe(1);
    expect(title.err).toMatch(/^imc: export\.csv: no customer id column .*name it with --id-column\n$/);
    expect((await run("rfm", "export.csv", "--header-row", "x")).code).toBe(2);

    // Only days up to 12, and amounts like 1,234: the column cannot tell.
    const few = [["customer_id", "order_date", "order_value"], ["a", "01/02/2023", "1,234"], ["a", "03/04/2023", "2,500"], ["b", "02/01/2023", "1,000"], ["b", "05/03/2023", "3,750"]];
    write("unclear.csv", delimited(few, ";"));
    const dates = await run("rfm", "unclear.csv");
    expect(dates.code).toBe(1);
    expect(dates.err).toMatch(/^imc: unclear\.csv, column order_date: dates like 01\/02\/2023 \(row 2\) could be day-first or month-first.*; say which with --date-order dmy/);
    const amounts = await run("rfm", "unclear.csv", "--date-order", "dmy");
    expect(amounts.code).toBe(1);
    expect(amounts.err).toMatch(/^imc: unclear\.csv, column order_value: amounts like 1,234 \(row 2\) could be thousands or fractions.*; say which with --decimal \./);
    const read = await run("rfm", "unclear.csv", "--date-order", "dmy", "--decimal", ".", "--as-of", "2023-06-30", "--format", "json");
    expect(read.code, read.err).toBe(0);
    write("unclear-iso.csv", formatCsv([["customer_id", "order_date", "order_value"], ["a", "2023-02-01", "1234"], ["a", "2023-04-03", "2500"], ["b", "2023-01-02", "1000"], ["b", "2023-03-05", "3750"]]));
    const iso = await run("rfm", "unclear-iso.csv", "--as-of", "2023-06-30", "--format", "json");
    expect(read.out).toBe(iso.out);
    expect(read.err).toContain('orders (file "unclear.csv"): dates in order_date read day-first, as asked\n');
    expect(read.err).toContain('orders (file "unclear.csv"): amounts in order_value read with "." as the decimal mark, as asked\n');
    expect((await run("rfm", "unclear.csv", "--decimal", ";")).code).toBe(2);
    // --header-row belongs to this route (--from finds a file's header line itself); --decimal is read by both.
    const from = await run("clv", "--from", "unclear.csv", "--header-row", "1", "--fit-only");
    expect(from.code).toBe(2);
    expect(from.err).toContain("--header-row");
  });

  it("a bad cell in the middle still stops the run with its file line and column", async () => {
    const rows = ORDERS.slice(0, 30).map((o) => [o.id, dayFirst(o.serial, "/"), plain(o.cents)]);
    const lines = [["Sales export 2023"], [], ["Client", "Invoice Date", "Amount"], ...rows];
    // Line 17 of the file: data row 14 (a title line, a blank line and the header above).
    const badDate = lines.map((row) => [...row]);
    badDate[16][1] = "soon";
    write("bad-date.csv", delimited(badDate, ","));
    for (const command of ["clv", "rfm"]) {
      const result = await run(command, "bad-date.csv");
      expect(result.code).toBe(1);
      expect(result.out).toBe("");
      expect(result.err).toMatch(/^imc: bad-date\.csv, row 17, column Invoice Date: "soon" is not a /);
      expect(result.err.split("\n").filter((line) => line !== "")).toHaveLength(1);
    }
    const badValue = lines.map((row) => [...row]);
    badValue[16][2] = "12 apples";
    write("bad-value.csv", delimited(badValue, ","));
    expect((await run("rfm", "bad-value.csv")).err).toMatch(/^imc: bad-value\.csv, row 17, column Amount: "12 apples" is not a number/);
    const blankId = lines.map((row) => [...row]);
    blankId[16][0] = "";
    write("blank-id.csv", delimited(blankId, ","));
    expect((await run("rfm", "blank-id.csv")).err).toMatch(/^imc: blank-id\.csv, row 17, column Client: /);
    // An unquoted "1,234.50" in a comma-separated file is a row longer than its header: never a value cut short.
    const unquoted = delimited(lines, ",").split("\n");
    unquoted[16] = unquoted[16].replace(/,[^,]*$/, ",1,234.50");
    write("unquoted.csv", unquoted.join("\n"));
    expect((await run("rfm", "unquoted.csv")).err).toBe("imc: unquoted.csv, row 17: the row has 4 fields but the header has 3; quote fields that contain the delimiter\n");
    // A day-first column with a day the month does not have.
    const impossible = lines.map((row) => [...row]);
    impossible[16][1] = "31/02/2023";
    write("impossible.csv", delimited(impossible, ","));
    expect((await run("rfm", "impossible.csv")).err).toBe('imc: impossible.csv, row 17, column Invoice Date: "31/02/2023" is not a day-first date like the rest of the column\n');
  });

  it("imc attribute reads a whole touchpoint log the same way, and its path data stay streamed as written", async () => {
    // A seeded log: 80 customers touching channels at increasing times, some converting.
    const random = seededUniform(11);
    const channels = ["Email", "Paid Search", "Social", "Display", "Direct"];
    // Times in whole minutes from 2024-01-01 00:00.
    const touches: { id: string; minute: number; channel: string; cents: number }[] = [];
    for (let c = 1; c <= 80; c++) {
      let minute = Math.floor(random() * 60 * 1440);
      const count = 1 + Math.floor(random() * 6);
      for (let k = 0; k < count; k++) {
        const converts = k === count - 1 && random() < 0.6;
        touches.push({ id: `U${c}`, minute, channel: channels[Math.floor(random() * channels.length)], cents: converts ? 1000 + Math.floor(random() * 200_000) : 0 });
        minute += 1 + Math.floor(random() * 4 * 1440);
      }
    }
    const iso = (minute: number) => `${formatSerial(45292 + Math.floor(minute / 1440))} ${pad(Math.floor((minute % 1440) / 60))}:${pad(minute % 60)}`;
    const isoText = touches.map((t) => iso(t.minute));
    write("log.csv", formatCsv([["customer_id", "timestamp", "channel", "conversion_value"], ...touches.map((t, i) => [t.id, isoText[i], t.channel, plain(t.cents)])]));
    const clean = await run("attribute", "log.csv", "--model", "all", "--lookback-days", "14");
    expect(clean.err).toBe("");
    expect(clean.code).toBe(0);
    // dd/mm/yyyy hh:mm from the same text, so both files hold the same minutes.
    const dayFirstText = isoText.map((text) => `${text.slice(8, 10)}/${text.slice(5, 7)}/${text.slice(0, 4)}${text.slice(10)}`);
    const rows = touches.map((t, i) => [t.id, dayFirstText[i], t.channel, european(t.cents)]);
    const messy = [["Touchpoints, Q1 2024"], [], ["Customer ID", "Time", "Channel", "Conversion Value"], ...rows.slice(0, 20), [], ...rows.slice(20), ["Total", "", "", european(touches.reduce((sum, t) => sum + t.cents, 0))]];
    write("log-export.csv", `\uFEFF${delimited(messy, ";", "\r\n")}`);
    const read = await run("attribute", "log-export.csv", "--model", "all", "--lookback-days", "14");
    expect(read.code, read.err).toBe(0);
    expect(read.out).toBe(clean.out);
    const notes = read.err.split("\n").filter((line) => line !== "");
    expect(notes).toContain('touchpoints (file "log-export.csv"): 1 blank row skipped (row 24)');
    expect(notes).toContain(`touchpoints (file "log-export.csv"): 1 total row left out (row ${touches.length + 5})`);
    expect(read.err).toMatch(/dates in Time read day-first/);
    expect(read.err).toMatch(/amounts in Conversion Value read from text with a decimal comma/);
    // A bad time on line 17 names it.
    const bad = messy.map((row) => [...row]);
    bad[16][1] = "later";
    write("log-bad.csv", delimited(bad, ";"));
    expect((await run("attribute", "log-bad.csv")).err).toMatch(/^imc: log-bad\.csv, row 17, column Time: "later" /);
    // A log under a title is found as a sheet is; what stops its reading is said, not "cannot tell".
    write("log-unclear.csv", "Touch log\n\ncustomer_id,timestamp,channel,conversion\nc1,01/02/2024 10:00,Email,0\nc1,03/02/2024 10:00,Email,5\n");
    expect((await run("attribute", "log-unclear.csv")).err).toMatch(/^imc: log-unclear\.csv, column timestamp: dates like 01\/02\/2024 10:00 \(row 4\) could be day-first or month-first/);
    expect((await run("attribute", "log-unclear.csv", "--date-order", "dmy")).code).toBe(0);
    // Path data are streamed as written: the reading options are refused there.
    write("paths.csv", "path,conversions\nEmail > Search,2\n");
    const paths = await run("attribute", "paths.csv", "--date-order", "dmy");
    expect(paths.code).toBe(2);
    expect(paths.err).toMatch(/--date-order is read for a touchpoint log, not for path data/);
  });

  it("CDNOW as exported (a title, yyyymmdd numbers, dollars as text, a Total row) gives the ISO file's published fit", async (ctx) => {
    const shared = sharedDir("data", "cdnow");
    if (!shared) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const t = cdnowTransactions(shared);
    const rows = Array.from(t.customerIndex, (c, i) => ({ id: t.customerIds[c], serial: t.orderDates[i], value: t.orderValues![i] }));
    write("cdnow.csv", formatCsv([["customer_id", "order_date", "order_value"], ...rows.map((o) => [o.id, formatSerial(o.serial), String(o.value)])]));
    const cents = (value: number) => Math.round(value * 100);
    const exported = [["CDNOW sample, 1997-1998"], [], ["Cust No.", "Date", "Sales ($)"], ...rows.map((o) => [o.id, yyyymmdd(o.serial), dollars(cents(o.value))]), ["Total", "", dollars(rows.reduce((sum, o) => sum + cents(o.value), 0))]];
    write("cdnow-export.csv", delimited(exported, ","));
    const args = ["--fit-only", "--as-of", "1997-09-30"];
    const clean = await run("clv", "cdnow.csv", ...args);
    expect(clean.code, clean.err).toBe(0);
    // Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 on these data.
    expect(clean.out).toMatch(/^r,0\.24\d*,/m);
    const read = await run("clv", "cdnow-export.csv", ...args);
    expect(read.code, read.err).toBe(0);
    expect(read.out).toBe(clean.out);
    expect(read.err).toContain(`orders (file "cdnow-export.csv"): 1 total row left out (row ${rows.length + 4})`);
    expect(read.err).toContain("dates in Date read from yyyymmdd numbers");
  }, 120_000);
});
