// The per-analysis commands run in-process through main() with an in-memory io: their tables equal
// the custom functions' tables on the same data (called exactly as Excel calls them), and every
// user error is one line naming the file, row and column, with exit code 1 (usage errors 2).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands/index";
import { formatCsv } from "../../src/cli/csv/writer";
import { memoryIo } from "../../src/cli/io";
import { main } from "../../src/cli/main";
import { formatSerial } from "../../src/engine/data/dates";
import { installCustomFunctionsStub } from "../support/customFunctions";
import { gammaDraw, seededUniform } from "../../src/engine/math/random";

installCustomFunctionsStub();
let fn: {
  clvPredict: typeof import("../../src/functions/customerValue").clvPredict;
  clvFit: typeof import("../../src/functions/customerValue").clvFit;
  rfm: typeof import("../../src/functions/segments").rfm;
  allocate: typeof import("../../src/functions/budget").allocate;
  attribute: typeof import("../../src/functions/attribution").attribute;
  attributeEvents: typeof import("../../src/functions/attribution").attributeEvents;
};
beforeAll(async () => {
  const customerValue = await import("../../src/functions/customerValue");
  const segments = await import("../../src/functions/segments");
  const budget = await import("../../src/functions/budget");
  const attribution = await import("../../src/functions/attribution");
  fn = {
    clvPredict: customerValue.clvPredict,
    clvFit: customerValue.clvFit,
    rfm: segments.rfm,
    allocate: budget.allocate,
    attribute: attribution.attribute,
    attributeEvents: attribution.attributeEvents,
  };
});

const dir = mkdtempSync(path.join(os.tmpdir(), "imc-cli-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  writeFileSync(path.join(dir, name), text);
  return name;
}

async function run(...argv: string[]) {
  const memory = memoryIo({ cwd: dir });
  const code = await main(argv, memory.io);
  return { code, out: memory.stdout(), err: memory.stderr() };
}

/** JSON output of a command as rows (header first), blanks as "" the way spill() returns them. */
async function runJson(...argv: string[]): Promise<unknown[][]> {
  const result = await run(...argv, "--format", "json");
  expect(result.err).toBe("");
  expect(result.code).toBe(0);
  const objects = JSON.parse(result.out) as Record<string, unknown>[];
  const header = Object.keys(objects[0]);
  return [header, ...objects.map((object) => header.map((key) => object[key] ?? ""))];
}

const col = (values: readonly unknown[]) => values.map((v) => [v]);
const N = null as any;

/**
 * A seeded BG/NBD-like order list: 300 customers starting in 2023, purchase rate λ ~ Gamma(0.8) / 40
 * per day, dropping out after each purchase with p ~ Beta(1, 4), values around 60, a few refunds;
 * observed to the end of 2024.
 */
function orders(): { ids: string[]; dates: string[]; values: string[] } {
  const random = seededUniform(7);
  const ids: string[] = [];
  const dates: string[] = [];
  const values: string[] = [];
  const start = 44927; // 2023-01-01
  const end = start + 730;
  for (let c = 1; c <= 300; c++) {
    const rate = gammaDraw(random, 0.8, 1) / 40;
    const a = gammaDraw(random, 1, 1);
    const p = a / (a + gammaDraw(random, 4, 1));
    const spend = 30 + gammaDraw(random, 3, 1) * 15;
    let day = start + Math.floor(random() * 365);
    for (;;) {
      ids.push(`C${c}`);
      dates.push(formatSerial(day));
      values.push(random() < 0.03 ? "-10" : (Math.round(spend * (0.5 + random()) * 100) / 100).toString());
      if (random() < p) break;
      day += 1 + Math.floor(-Math.log(1 - random()) / rate);
      if (day >= end) break;
    }
  }
  return { ids, dates, values };
}

const ORDERS = orders();
const ordersCsv = () =>
  formatCsv([["Customer ID", "Order Date", "Order Value"], ...ORDERS.ids.map((id, i) => [id, ORDERS.dates[i], ORDERS.values[i]])]);

describe("imc clv and imc rfm equal IMC.CLV.PREDICT, IMC.CLV.FIT and IMC.RFM", () => {
  it("clv: same table as IMC.CLV.PREDICT with the same options", async () => {
    write("orders.csv", ordersCsv());
    const cli = await runJson("clv", "orders.csv", "--horizon", "26", "--discount", "0.08", "--period", "week");
    const excel = fn.clvPredict(col(ORDERS.ids), col(ORDERS.dates), col(ORDERS.values), [[26]], [[0.08]], N, N, N);
    expect(cli).toEqual(excel);
    expect(cli.length).toBeGreaterThan(100);
  });

  it("clv --model pareto --as-of: same as IMC.CLV.PREDICT", async () => {
    write("orders.csv", ordersCsv());
    const cli = await runJson("clv", "orders.csv", "--model", "pareto", "--as-of", "2024-06-30", "--period", "month", "--horizon", "6");
    const excel = fn.clvPredict(col(ORDERS.ids), col(ORDERS.dates), col(ORDERS.values), [[6]], N, [["pareto"]], [["2024-06-30"]], [["month"]]);
    expect(cli).toEqual(excel);
  });

  it("clv --fit-only: same table as IMC.CLV.FIT (the as-of date as text)", async () => {
    write("orders.csv", ordersCsv());
    const cli = await runJson("clv", "orders.csv", "--fit-only");
    const excel = fn.clvFit(col(ORDERS.ids), col(ORDERS.dates), col(ORDERS.values), N, N, N);
    const asOfRow = excel.findIndex((row) => row[0] === "As of");
    excel[asOfRow][1] = formatSerial(excel[asOfRow][1] as number);
    expect(cli).toEqual(excel);
  });

  it("rfm: same table as IMC.RFM, semicolon file with a BOM and CRLF", async () => {
    const text = formatCsv([["customer", "date", "amount"], ...ORDERS.ids.map((id, i) => [id, ORDERS.dates[i], ORDERS.values[i]])], ";");
    write("orders-semicolon.csv", `\uFEFF${text.replace(/\n/g, "\r\n")}`);
    const cli = await runJson("rfm", "orders-semicolon.csv", "--scheme", "mean", "--as-of", "2024-09-30");
    const excel = fn.rfm(col(ORDERS.ids), col(ORDERS.dates), col(ORDERS.values), [["2024-09-30"]], [["mean"]]);
    expect(cli).toEqual(excel);
  });

  it("CSV output is the same numbers as JSON output", async () => {
    write("orders.csv", ordersCsv());
    const csv = (await run("rfm", "orders.csv")).out.trim().split("\n");
    const json = await runJson("rfm", "orders.csv");
    expect(csv.length).toBe(json.length);
    expect(csv[1].split(",")).toEqual(json[1].map(String));
  });

  it("--out writes the file and nothing to stdout", async () => {
    write("orders.csv", ordersCsv());
    const result = await run("rfm", "orders.csv", "--out", "rfm.csv");
    expect(result).toEqual({ code: 0, out: "", err: "" });
    expect(readFileSync(path.join(dir, "rfm.csv"), "utf8").split("\n")[0]).toBe("Customer,Recency (days),Frequency,Monetary,R,F,M,RFM,Segment");
  });

  it("column overrides name columns the synonyms do not know", async () => {
    write("odd.csv", formatCsv([["who", "when", "paid"], ...ORDERS.ids.map((id, i) => [id, ORDERS.dates[i], ORDERS.values[i]])]));
    const cli = await runJson("rfm", "odd.csv", "--id-column", "who", "--date-column", "when", "--value-column", "paid");
    expect(cli).toEqual(fn.rfm(col(ORDERS.ids), col(ORDERS.dates), col(ORDERS.values), N, N));
  });
});

describe("imc allocate equals IMC.ALLOCATE", () => {
  it("with quoted names, optional columns and blanks", async () => {
    write(
      "channels.csv",
      'channel,ceiling,half_saturation,shape,min_spend,max_spend,current_spend\n"Search, paid",900000,120000,1,10000,,150000\nEmail,300000,20000,,,50000,30000\nSocial,500000,90000,1.5,,,60000\n',
    );
    const cli = await runJson("allocate", "channels.csv", "--budget", "250000");
    const excel = fn.allocate(
      [[250000]],
      col(["Search, paid", "Email", "Social"]),
      col([900000, 300000, 500000]),
      col([120000, 20000, 90000]),
      col([1, "", 1.5]),
      col([10000, "", ""]),
      col(["", 50000, ""]),
      col([150000, 30000, 60000]),
    );
    expect(cli).toEqual(excel);
    expect(cli.map((row) => row[0])).toEqual(["Unit", "Search, paid", "Email", "Social", "Total", "Current", "Lift"]);
  });

  it("needs --budget (usage error) and names a bad cell's row and column", async () => {
    write("channels.csv", "unit,ceiling,half_saturation\nEmail,300000,20000\nSearch,-5,100\n");
    const missing = await run("allocate", "channels.csv");
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/needs --budget/);
    const bad = await run("allocate", "channels.csv", "--budget", "1000");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^imc: channels\.csv, row 3, column ceiling: ceiling must be a number of at least 0/);
    expect(bad.err.split("\n").length).toBe(2);
  });
});

describe("imc attribute on small files equals IMC.ATTRIBUTE and IMC.ATTRIBUTE.EVENTS", () => {
  const paths = ["Email > Search", "Search > Direct", "Direct", "Social > Email > Direct", "Email"];
  const conversions = [3, 0, 2, 1, 4];
  const values = [120, 0, 55.5, 80, 200];
  const nulls = [5, 2, 0, 7, 1];

  it("each model and all, path data with a value and a nulls column", async () => {
    write("paths.csv", formatCsv([["channel_path", "total_conversions", "total_conversion_value", "total_null"], ...paths.map((p, i) => [p, conversions[i], values[i], nulls[i]])]));
    for (const model of ["first", "last", "linear", "position", "time_decay", "markov", "markov2", "shapley", "all"]) {
      const cli = await runJson("attribute", "paths.csv", "--model", model);
      expect(cli, model).toEqual(fn.attribute(col(paths), col(conversions), [[model]], col(values), col(nulls), N));
    }
  });

  it("paths with another separator and no value column", async () => {
    const piped = paths.map((p) => p.replace(/ > /g, "|"));
    write("piped.csv", formatCsv([["path", "conversions"], ...piped.map((p, i) => [p, conversions[i]])]));
    const cli = await runJson("attribute", "piped.csv", "--separator", "|", "--model", "position");
    expect(cli).toEqual(fn.attribute(col(piped), col(conversions), [["position"]], N, N, [["|"]]));
  });

  it("a touchpoint log goes through IMC.ATTRIBUTE.EVENTS's rules, with a (no touch) row", async () => {
    const ids = ["u1", "u1", "u1", "u2", "u2", "u3", "u3", "u4"];
    const times = ["2024-01-01 10:00", "2024-01-03", "2024-01-04 09:30", "2024-01-02", "2024-01-20", "2024-02-01", "2024-02-02", "2024-03-01"];
    const channels = ["Email", "Search", "", "Social", "Direct", "Email", "", ""];
    const conv = ["", "", "120", "0", "45", "", "30", "15"];
    write("log.csv", formatCsv([["customer_id", "timestamp", "channel", "conversion_value"], ...ids.map((id, i) => [id, times[i], channels[i], conv[i]])]));
    for (const model of ["linear", "markov", "all"]) {
      const cli = await runJson("attribute", "log.csv", "--model", model, "--lookback-days", "10");
      expect(cli, model).toEqual(fn.attributeEvents(col(ids), col(times), col(channels), col(conv), [[model]], [[10]], N));
    }
  });
});

describe("help, usage errors and bad files", () => {
  it("--help for every command, imc help <cmd>, and the general help", async () => {
    for (const command of COMMANDS) {
      const help = await run(command.name, "--help");
      expect(help.code).toBe(0);
      expect(help.out).toMatch(new RegExp(`^Usage: imc ${command.name} `));
      // demo writes a folder of files rather than one output.
      expect(help.out).toContain(command.name === "demo" ? "--out-dir DIR" : "--out FILE");
      expect((await run("help", command.name)).out).toBe(help.out);
    }
    const general = await run();
    expect(general.code).toBe(0);
    for (const command of COMMANDS) expect(general.out).toContain(`  ${command.name}`);
    expect((await run("--help")).out).toBe(general.out);
    expect((await run("--version")).out).toMatch(/^imc \d+\.\d+\.\d+\n$/);
  });

  it("unknown command and unknown flag are usage errors (exit 2) naming them", async () => {
    const command = await run("segment", "x.csv");
    expect(command.code).toBe(2);
    expect(command.err).toMatch(/^imc: unknown command "segment"; the commands are demo, report, clv, attribute, rfm, allocate/);
    const flag = await run("rfm", "orders.csv", "--modle", "x");
    expect(flag.code).toBe(2);
    expect(flag.err).toBe("imc: unknown option --modle for imc rfm; see imc rfm --help\n");
    const typo = await run("clv", "orders.csv", "--horizn", "3");
    expect(typo.err).toMatch(/did you mean --horizon\?/);
    const value = await run("clv", "orders.csv", "--horizon");
    expect(value.code).toBe(2);
    expect(value.err).toMatch(/--horizon needs a value/);
    const missing = await run("clv");
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/imc clv needs orders\.csv/);
    expect((await run("rfm", "orders.csv", "--format", "xml")).code).toBe(2);
  });

  it("a bad date: one line with file, row (the file's line) and column header, exit 1", async () => {
    const rows = ORDERS.ids.slice(0, 20).map((id, i) => [id, ORDERS.dates[i], ORDERS.values[i]]);
    rows[15][1] = "2024-02-31";
    write("bad-date.csv", formatCsv([["customer_id", "order_date", "order_value"], ...rows]));
    for (const command of ["clv", "rfm"]) {
      const result = await run(command, "bad-date.csv");
      expect(result.code).toBe(1);
      expect(result.err).toBe('imc: bad-date.csv, row 17, column order_date: "2024-02-31" is not a valid date: February 2024 has 29 days\n');
      expect(result.out).toBe("");
    }
  });

  it("rows after a quoted line break keep their file line; a bad number names its column", async () => {
    write("bad-value.csv", 'customer,note,date,value\nc1,"two\nlines",2024-01-01,10\nc2,x,2024-01-02,ten\n');
    const result = await run("rfm", "bad-value.csv");
    expect(result.code).toBe(1);
    expect(result.err).toBe('imc: bad-value.csv, row 4, column value: "ten" is not a number\n');
    // "1,5" was refused as a decimal comma; the column now shows its mark (as imc report reads it).
    write("comma-value.csv", 'customer,note,date,value\nc1,"two\nlines",2024-01-01,10\nc2,x,2024-01-02,"1,5"\n');
    const comma = await run("rfm", "comma-value.csv", "--format", "json");
    expect(comma.code).toBe(0);
    expect((JSON.parse(comma.out) as { Monetary: number }[]).map((row) => row.Monetary)).toEqual([10, 1.5]);
    expect(comma.err).toBe('orders (file "comma-value.csv"): amounts in value read from text with a decimal comma (1,5 shows it)\n');
  });

  it("a bad option value names the flag; a bad path row names its line", async () => {
    write("orders.csv", ordersCsv());
    const horizon = await run("clv", "orders.csv", "--horizon", "soon");
    expect(horizon.code).toBe(1);
    expect(horizon.err).toBe('imc: --horizon: "soon" is not a number\n');
    const model = await run("clv", "orders.csv", "--model", "gamma");
    expect(model.err).toBe('imc: --model: "gamma" is not one of "bgnbd", "mbgnbd", "pareto", "auto"\n');
    write("bad-paths.csv", "path,conversions\nA > B,1\n > ,2\n");
    const paths = await run("attribute", "bad-paths.csv");
    expect(paths.code).toBe(1);
    expect(paths.err).toBe('imc: bad-paths.csv, row 3, column path: " > " has no channel name\n');
    write("neg-paths.csv", "path,conversions\nA > B,1\nB,-2\n");
    expect((await run("attribute", "neg-paths.csv")).err).toMatch(/^imc: neg-paths\.csv, row 3, column conversions: /);
  });

  it("a missing file, a missing column and an unknown kind of file are one line each", async () => {
    const missing = await run("rfm", "nowhere.csv");
    expect(missing).toEqual({ code: 1, out: "", err: "imc: cannot read nowhere.csv: no such file\n" });
    write("no-date.csv", "customer_id,amount\nc1,3\n");
    const column = await run("rfm", "no-date.csv");
    expect(column.err).toBe(
      'imc: no-date.csv: no order date column (looked for order_date, date, purchase_date, transaction_date); the header has "customer_id", "amount"; name it with --date-column\n',
    );
    write("what.csv", "a,b\n1,2\n");
    expect((await run("attribute", "what.csv")).err).toMatch(/^imc: what\.csv: cannot tell the kind of file/);
    write("header-only.csv", "customer_id,order_date,order_value\n");
    expect((await run("clv", "header-only.csv")).err).toBe("imc: header-only.csv: the file has a header but no data rows\n");
  });

  it("an internal error is one line without a stack trace", async () => {
    const memory = memoryIo({ cwd: dir });
    const broken = { ...COMMANDS[0], name: "broken-test", run: async () => { throw new TypeError("boom"); } };
    COMMANDS.push(broken);
    try {
      expect(await main(["broken-test"], memory.io)).toBe(1);
    } finally {
      COMMANDS.pop();
    }
    expect(memory.stderr()).toBe("imc: internal error: boom\n");
  });
});

describe("imc report and imc demo: the currency of the amounts", () => {
  /** An orders workbook whose amounts show € by their number format only (the header names no currency). */
  async function euroWorkbook(name: string): Promise<string> {
    const ExcelJS = (await import("exceljs")).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Orders");
    sheet.addRow(["Customer", "Order date", "Amount"]);
    const random = seededUniform(7);
    for (let c = 1; c <= 120; c++) {
      const orders = 1 + Math.floor(random() * 5);
      for (let k = 0; k < orders; k++) {
        const row = sheet.addRow([`C${c}`, 45000 + Math.floor(random() * 600), Math.round(2000 + random() * 20000) / 100]);
        row.getCell(2).numFmt = "yyyy-mm-dd";
        row.getCell(3).numFmt = '[$€-x-euro2] #,##0.00';
      }
    }
    const file = path.join(dir, name);
    writeFileSync(file, new Uint8Array(await workbook.xlsx.writeBuffer()));
    return file;
  }

  /** Every text cell of the workbook's generated tab. */
  async function texts(file: string, tab: string): Promise<string[]> {
    const { readWorkbook } = await import("../../src/cli/xlsx/readWorkbook");
    const sheet = (await readWorkbook(readFileSync(file), file)).find((candidate) => candidate.name === tab);
    if (!sheet) throw new Error(`no sheet ${tab}`);
    return sheet.rows.flatMap((row) => (row ?? []).filter((cell): cell is string => typeof cell === "string"));
  }

  it("reads € from the amounts' number format and says so in the tab's provenance", async () => {
    const file = await euroWorkbook("euro.xlsx");
    const io = memoryIo({ cwd: dir });
    const code = await main(["report", file, "--no-html", "--tabs", "segmentation"], io.io);
    expect(code, io.stderr()).toBe(0);
    expect(await texts(file, "Segmentation")).toContain("Currency: € (from the number format of Orders column C).");
  }, 60_000);

  it("--currency CHF replaces what the data says", async () => {
    const file = await euroWorkbook("euro-chf.xlsx");
    const io = memoryIo({ cwd: dir });
    const code = await main(["report", file, "--no-html", "--tabs", "segmentation", "--currency", "chf"], io.io);
    expect(code, io.stderr()).toBe(0);
    const cells = await texts(file, "Segmentation");
    expect(cells).toContain("Currency: CHF (given with --currency).");
    expect(cells.some((cell) => cell.includes("€"))).toBe(false);
  }, 60_000);

  it("--currency that is neither an ISO code nor a symbol is a usage error; --help lists the option", async () => {
    const file = await euroWorkbook("euro-bad.xlsx");
    const io = memoryIo({ cwd: dir });
    expect(await main(["report", file, "--currency", "euros"], io.io)).toBe(2);
    expect(io.stderr()).toMatch(/--currency: "euros" is not a currency/);
    for (const command of ["report", "demo"]) {
      const help = memoryIo({ cwd: dir });
      expect(await main([command, "--help"], help.io)).toBe(0);
      expect(help.stdout()).toMatch(/--currency CODE\s+Currency of the amounts/);
    }
  }, 60_000);

  it("imc demo --currency EUR puts the currency in every tab's provenance", async () => {
    const io = memoryIo({ cwd: dir });
    const code = await main(["demo", "--out-dir", "demo-eur", "--customers", "300", "--currency", "EUR", "--tabs", "segmentation,campaign-kpis"], io.io);
    expect(code, io.stderr()).toBe(0);
    const book = path.join(dir, "demo-eur", "imc-demo.xlsx");
    for (const tab of ["Segmentation", "Campaign KPIs"]) expect(await texts(book, tab), tab).toContain("Currency: EUR (given with --currency).");
  }, 120_000);
});
