// Safe outputs (issue 12, point 6): every CSV the project writes neutralises formula-like text
// (OWASP's CSV injection advice), and `imc report` updates a workbook in place the way its owner
// left it: mode and owner kept, read-only refused without --force, symlinks written through, the
// temporary file removed on SIGTERM, and a concurrent second run refused at once by a lock.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvParser } from "../../src/cli/csv/reader";
import { csvField, formatCsv, formatJson } from "../../src/cli/csv/writer";
import { memoryIo } from "../../src/cli/io";
import { main } from "../../src/cli/main";
import { TEST_PAUSE_ENV } from "../../src/cli/safeWrite";
import { readWorkbook } from "../../src/cli/xlsx/readWorkbook";
import { writeNewWorkbook } from "../../src/cli/xlsx/writeReport";
import { csvSafeText, isFormulaLikeText } from "../../src/engine/data/csvSafe";
import { formatSerial } from "../../src/engine/data/dates";
import { generateSampleBusiness, sampleTable } from "../../src/sample/business";
import { tableToCsv } from "../../src/sample/csv";
import { installCustomFunctionsStub } from "../support/customFunctions";

const root = path.resolve(__dirname, "../..");
const bin = path.join(root, "bin", "imc.mjs");
const dir = mkdtempSync(path.join(os.tmpdir(), "imc-safe-outputs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One text per leading character that makes a spreadsheet run a cell as a formula. */
const HOSTILE = {
  "=": "=cmd|' /C calc'!A0",
  "+": "+HYPERLINK(\"http://x\")",
  "-": "-2+3+cmd|' /C calc'!A0",
  "@": "@SUM(1+9)*cmd|' /C calc'!A0",
  tab: "\t=1+1",
  CR: "\r=1+1",
} as const;

/** Parses CSV text (header first) with the runner's own reader. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const parser = new CsvParser({ header: (fields) => rows.push([...fields]), record: (record) => rows.push(record.fields()) }, { displayName: "out.csv" });
  parser.push(text);
  parser.end();
  return rows;
}

/** A CSV field as written by hand (RFC 4180 quoting, no neutralising): the hostile input files. */
const raw = (text: string) => (/[",\r\n\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

async function run(...argv: string[]) {
  const memory = memoryIo({ cwd: dir });
  const code = await main(argv, memory.io);
  return { code, out: memory.stdout(), err: memory.stderr() };
}

describe("the CSV rule (engine/data/csvSafe)", () => {
  it("prefixes ' to text starting with =, +, -, @, tab or CR", () => {
    for (const [lead, text] of Object.entries(HOSTILE)) {
      expect(isFormulaLikeText(text), lead).toBe(true);
      expect(csvSafeText(text), lead).toBe(`'${text}`);
    }
  });

  it("keeps text that is a plain number (-5, +1.5, -2.5e3) and any other text", () => {
    for (const text of ["-5", "+1.5", "-.5", "-2.5e3", "12", "", "Email", "a=b", " =1", "'=already"]) expect(csvSafeText(text), text).toBe(text);
    for (const text of ["-", "+", "-5x", "-5 + 1", "--5", "=5", "@"]) expect(csvSafeText(text), text).toBe(`'${text}`);
  });

  it("formatCsv: numbers stay numbers, text is neutralised before quoting, JSON is unchanged", () => {
    expect(csvField(-5)).toBe("-5");
    expect(csvField("-5")).toBe("-5");
    expect(csvField(HOSTILE["="])).toBe(`'=cmd|' /C calc'!A0`);
    expect(csvField(HOSTILE.tab)).toBe("'\t=1+1");
    expect(csvField(HOSTILE.CR)).toBe(`"'\r=1+1"`);
    expect(csvField("=a,b")).toBe(`"'=a,b"`);
    expect(formatCsv([["name", "value"], ["=1+1", -5], ["-5", 3]])).toBe("name,value\n'=1+1,-5\n-5,3\n");
    expect(JSON.parse(formatJson([["name", "value"], ["=1+1", -5]]))).toEqual([{ name: "=1+1", value: -5 }]);
  });
});

describe("every CSV command neutralises formula-like text in its output", () => {
  beforeAll(() => installCustomFunctionsStub());

  /** Each hostile text is found in the CSV output only with the ', and unchanged in JSON output. */
  async function expectNeutralised(argv: string[], texts: readonly string[]): Promise<void> {
    const csv = await run(...argv);
    // Nothing on standard error but a note (imc clv's about a spend fit that did not converge: the
    // sample's 300 customers spend much alike).
    expect(csv.err.replace(/^imc \w+: note: .*\n/gm, "")).toBe("");
    expect(csv.code).toBe(0);
    const cells = parseCsv(csv.out).flat();
    for (const text of texts) {
      expect(cells, JSON.stringify(text)).toContain(`'${text}`);
      expect(cells, JSON.stringify(text)).not.toContain(text);
    }
    const json = await run(...argv, "--format", "json");
    expect(json.code).toBe(0);
    const values = (JSON.parse(json.out) as Record<string, unknown>[]).flatMap((row) => Object.values(row));
    for (const text of texts) expect(values, JSON.stringify(text)).toContain(text);
  }

  // The engine trims the blanks around ids and channel names, so a leading tab or CR never reaches
  // a command's output; those two are tested on the writer above and on the demo's CSV below.
  const IDS = [HOSTILE["="], HOSTILE["+"], HOSTILE["-"], HOSTILE["@"]];
  /** The sample business's orders (enough for the CLV model to fit), four customers renamed hostile, one "-5". */
  const orders = () => {
    const table = sampleTable(generateSampleBusiness({ customers: 300, seed: 5 }), "Orders");
    const id = table.headers.indexOf("customer_id");
    const date = table.headers.indexOf("order_date");
    const value = table.headers.indexOf("order_value");
    const customers = [...new Set(table.rows.map((row) => String(row[id])))];
    const renamed = new Map([...IDS, "-5"].map((text, i) => [customers[i], text]));
    const lines = ["customer_id,order_date,order_value"];
    for (const row of table.rows) {
      const customer = String(row[id]);
      lines.push(`${raw(renamed.get(customer) ?? customer)},${formatSerial(Math.floor(row[date] as number))},${row[value]}`);
    }
    return `${lines.join("\n")}\n`;
  };

  it("imc rfm", async () => {
    writeFileSync(path.join(dir, "orders.csv"), orders());
    await expectNeutralised(["rfm", "orders.csv", "--as-of", "2024-12-31"], IDS);
    const rows = parseCsv((await run("rfm", "orders.csv", "--as-of", "2024-12-31")).out);
    expect(rows.map((row) => row[0])).toContain("-5");
  });

  it("imc clv", async () => {
    writeFileSync(path.join(dir, "orders.csv"), orders());
    await expectNeutralised(["clv", "orders.csv", "--as-of", "2024-12-31", "--period", "month", "--horizon", "6"], IDS);
  });

  it("imc attribute (journey paths and a touchpoint log)", async () => {
    const channels = IDS;
    const lines = ["path,conversions", ...channels.map((channel, i) => `${raw(`${channel} > Email`)},${i + 1}`), "Email,3"];
    writeFileSync(path.join(dir, "paths.csv"), `${lines.join("\n")}\n`);
    await expectNeutralised(["attribute", "paths.csv", "--model", "linear"], channels);
    const log = ["customer_id,timestamp,channel,conversion_value", `u1,2024-01-01,${raw(HOSTILE["="])},`, "u1,2024-01-02,Email,50", `u2,2024-01-03,${raw(HOSTILE["@"])},20`];
    writeFileSync(path.join(dir, "log.csv"), `${log.join("\n")}\n`);
    await expectNeutralised(["attribute", "log.csv", "--model", "linear"], [HOSTILE["="], HOSTILE["@"]]);
  });

  it("imc allocate", async () => {
    const units = IDS;
    const lines = ["channel,ceiling,half_saturation", ...units.map((unit, i) => `${raw(unit)},${100000 * (i + 1)},${20000 + i * 1000}`)];
    writeFileSync(path.join(dir, "channels.csv"), `${lines.join("\n")}\n`);
    await expectNeutralised(["allocate", "channels.csv", "--budget", "50000"], units);
  });

  it("the demo's sample CSV (tableToCsv): text neutralised, numbers and plain-number text kept", () => {
    const csv = tableToCsv({
      name: "Customers",
      headers: ["name", "value", "code"],
      rows: [
        [HOSTILE["="], -5, "-5"],
        [HOSTILE["+"], 1, "+1 415-555-0198"],
        [HOSTILE["-"], 2, "x"],
        [HOSTILE["@"], 3, "x"],
        [HOSTILE.tab, 4, "x"],
        [HOSTILE.CR, 5, "x"],
      ],
      numberFormats: ["@", null, "@"],
    });
    const rows = parseCsv(csv.replace(/\r\n/g, "\n"));
    expect(rows.slice(1).map((row) => row[0])).toEqual(Object.values(HOSTILE).map((text) => `'${text}`));
    expect(rows[1].slice(1)).toEqual(["-5", "-5"]);
    expect(rows[2][2]).toBe("'+1 415-555-0198");
  });

  it("imc demo's sample/*.csv files: the phone numbers (+1 …) are neutralised", async () => {
    const result = await run("demo", "--customers", "30", "--out-dir", "demo-out");
    expect(result.code).toBe(0);
    const customers = parseCsv(readFileSync(path.join(dir, "demo-out", "sample", "customers.csv"), "utf8").replace(/\r\n/g, "\n"));
    const phone = customers[0].indexOf("phone");
    const phones = customers.slice(1).map((row) => row[phone]);
    expect(phones.length).toBeGreaterThan(0);
    expect(phones.every((text) => /^'\+1 \d{3}-555-01\d{2}$/.test(text))).toBe(true);
  }, 60_000);
});

/** The sample business as a workbook: what the in-place tests update. */
let book: Uint8Array;
beforeAll(async () => {
  book = (await writeNewWorkbook(generateSampleBusiness({ customers: 200, seed: 3 }).tables, [])).bytes;
});

describe("imc report writes a workbook in place safely", () => {
  function place(name: string): string {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, book);
    return file;
  }

  async function sheetNames(file: string): Promise<string[]> {
    return (await readWorkbook(readFileSync(file), path.basename(file))).map((sheet) => sheet.name);
  }

  const TABS = ["--tabs", "campaign-kpis", "--no-html"];

  it("keeps a 0600 workbook 0600", async () => {
    const file = place("private.xlsx");
    chmodSync(file, 0o600);
    const result = await run("report", "private.xlsx", ...TABS);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await sheetNames(file)).toContain("Campaign KPIs");
  }, 60_000);

  const root_ = process.getuid?.() === 0;
  it.skipIf(!root_)("keeps the owner and group when run as root (skipped: not running as root, so the file cannot be given to uid 1234)", async () => {
    const file = place("owned.xlsx");
    chownSync(file, 1234, 1234);
    chmodSync(file, 0o640);
    const result = await run("report", "owned.xlsx", ...TABS);
    expect(result.code).toBe(0);
    const stats = statSync(file);
    expect([stats.uid, stats.gid, stats.mode & 0o777]).toEqual([1234, 1234, 0o640]);
    expect(await sheetNames(file)).toContain("Campaign KPIs");
  }, 60_000);

  it("refuses a read-only workbook with a clear message, and writes it with --force (still read-only)", async () => {
    const file = place("locked.xlsx");
    chmodSync(file, 0o444);
    const refused = await run("report", "locked.xlsx", ...TABS);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe("imc: locked.xlsx is read-only; add --force to write it anyway\n");
    expect(Buffer.compare(readFileSync(file), Buffer.from(book))).toBe(0);
    const forced = await run("report", "locked.xlsx", "--force", ...TABS);
    expect(forced.err).toBe("");
    expect(forced.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o444);
    expect(await sheetNames(file)).toContain("Campaign KPIs");
    const help = await run("report", "--help");
    expect(help.out).toMatch(/--force\s+Let --out replace an existing file, and write a read-only workbook\./);
  }, 60_000);

  it("writes through a symlink: the link stays a link and its target gets the tabs", async () => {
    const target = place(path.join("real", "target.xlsx"));
    const link = path.join(dir, "link.xlsx");
    symlinkSync(path.join("real", "target.xlsx"), link);
    const result = await run("report", "link.xlsx", ...TABS);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(path.join("real", "target.xlsx"));
    expect(await sheetNames(target)).toContain("Campaign KPIs");
    // The lock and the temporary file lived beside the target and are gone.
    expect(readdirSync(path.join(dir, "real"))).toEqual(["target.xlsx"]);
  }, 60_000);

  it("a lock held by a running process refuses at once; a stale lock is taken over with a note", async () => {
    const file = place("held.xlsx");
    const lock = path.join(dir, ".held.xlsx.imc-lock");
    writeFileSync(lock, `${process.pid}\n`);
    const refused = await run("report", "held.xlsx", ...TABS);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(`imc: held.xlsx is being updated by another imc run (pid ${process.pid}); try again when it has finished\n`);
    expect(Buffer.compare(readFileSync(file), Buffer.from(book))).toBe(0);

    // A pid far above any pid_max, so never running.
    writeFileSync(lock, "999999999\n");
    const stale = await run("report", "held.xlsx", ...TABS);
    expect(stale.code).toBe(0);
    expect(stale.err).toBe("imc: note: held.xlsx had a lock left by an imc run that is no longer running (pid 999999999); taking it over\n");
    expect(existsSync(lock)).toBe(false);
    expect(await sheetNames(file)).toContain("Campaign KPIs");
  }, 60_000);
});

describe("imc report as processes: SIGTERM mid-write and two concurrent runs", () => {
  /** Starts `imc report` paused after writing its temporary file; resolves once it is paused. */
  function startPaused(file: string, pauseMs: number): Promise<{ child: ChildProcess; stderr: () => string; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }> {
    const child = spawn(process.execPath, [bin, "report", file, ...["--tabs", "campaign-kpis", "--no-html"]], {
      cwd: dir,
      env: { ...process.env, IMC_PROGRESS: "0", IMC_DEBUG: "", [TEST_PAUSE_ENV]: String(pauseMs) },
    });
    let stderr = "";
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    return new Promise((resolve, reject) => {
      child.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes("imc-test: temporary file written")) resolve({ child, stderr: () => stderr, exit });
      });
      exit.then(({ code, signal }) => reject(new Error(`imc report ended (${code ?? signal}) before pausing: ${stderr}`)));
    });
  }

  it("SIGTERM while the temporary file is written: it is removed, the workbook untouched, the lock released", async () => {
    const file = path.join(dir, "signalled.xlsx");
    const original = Buffer.from(book);
    writeFileSync(file, original);
    const run_ = await startPaused("signalled.xlsx", 60_000);
    const temporary = path.join(dir, `.signalled.xlsx.${run_.child.pid}.tmp`);
    expect(existsSync(temporary)).toBe(true);
    expect(existsSync(path.join(dir, ".signalled.xlsx.imc-lock"))).toBe(true);
    run_.child.kill("SIGTERM");
    const { code, signal } = await run_.exit;
    expect({ code, signal }).toEqual({ code: null, signal: "SIGTERM" });
    expect(existsSync(temporary)).toBe(false);
    expect(existsSync(path.join(dir, ".signalled.xlsx.imc-lock"))).toBe(false);
    expect(Buffer.compare(readFileSync(file), original)).toBe(0);
  }, 90_000);

  it("a second run on the same file fails at once with the message; the first run's tabs are all there", async () => {
    const file = path.join(dir, "shared.xlsx");
    writeFileSync(file, book);
    // Paused long enough for the second process to start (tsx loads in 1–3 s on a busy machine).
    const first = await startPaused("shared.xlsx", 10_000);
    const second = spawnSync(process.execPath, [bin, "report", "shared.xlsx", "--tabs", "segmentation", "--no-html"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, IMC_PROGRESS: "0", IMC_DEBUG: "" },
      timeout: 60_000,
    });
    // "At once": the first run is still paused when the second has already given up.
    expect(first.child.exitCode).toBeNull();
    expect(second.status).toBe(1);
    expect(second.stderr).toBe(`imc: shared.xlsx is being updated by another imc run (pid ${first.child.pid}); try again when it has finished\n`);
    const { code } = await first.exit;
    expect(code).toBe(0);
    const names = (await readWorkbook(readFileSync(file), "shared.xlsx")).map((sheet) => sheet.name);
    expect(names).toContain("Campaign KPIs");
    expect(names).not.toContain("Segmentation");
    expect(existsSync(path.join(dir, ".shared.xlsx.imc-lock"))).toBe(false);
  }, 90_000);

});
