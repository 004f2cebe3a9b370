/**
 * `imc report book.xlsx`: finds the business's tables in a workbook by their headers, builds every
 * tab the data allows and adds the tabs to the workbook next to its own sheets. The workbook's own
 * parts are copied byte for byte (the file is never re-saved by a spreadsheet library), tabs get
 * free names ("Segmentation 2" on a second run), and the file is replaced whole or not at all.
 * The charts go to an HTML report beside it.
 */

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { isEngineError } from "../../engine/errors";
import type { AllTabsOptions, AllTabsResult } from "../../reports/allTabs";
import type { FileSheet } from "../duckdb/fileSheets";
import { businessDataOf, CORE_TABLE_KINDS, type BusinessData, type FoundTable, describeNeeds, detectTables, KIND_WORDS, kindFlagName, kindOfName, TABLE_KINDS, type ColumnRole, type DetectionOverrides, type ReadingOptions, type SheetCells, type TableKind } from "../../reports/detect";
import { fileList, helpText, parseArgs, type CommandSpec, type FlagSpec } from "../args";
import { CliError, usageError } from "../errors";
import type { CliIo } from "../io";
import type { Command } from "./index";
import { ANALYSIS_FLAGS, analysisOptions, buildTabs, freeFileName, htmlReportOf, writeFileAtomically } from "./tabs";
import { readingOptions, resolvePath } from "./shared";
import { READING_FIXES } from "../csv/sheetTable";
import { binaryKindOf } from "../csv/fileKind";
import { acquireWriteLock, assertWritable, writeFileSafely, type SafeWriteOptions } from "../safeWrite";

const SHEET_FLAGS: readonly FlagSpec[] = TABLE_KINDS.map((kind) => ({
  name: `${kindFlagName(kind)}-sheet`,
  kind: "value",
  valueName: "NAME",
  description: `Sheet with the ${KIND_WORDS[kind]} (default: found by sheet name and headers).`,
}));

/** Short names of column roles in --columns. */
const ROLE_FLAGS: Readonly<Record<string, ColumnRole>> = {
  id: "customerId",
  date: "orderDate",
  value: "orderValue",
  timestamp: "timestamp",
  channel: "channel",
  conversion: "conversion",
  period: "period",
  spend: "spend",
  order: "orderId",
  quantity: "quantity",
  price: "unitPrice",
  lead: "leadId",
  created: "createdDate",
  "event-date": "eventDate",
  event: "event",
  points: "points",
  score: "score",
  answered: "responseDate",
  referrals: "referrals",
  referrer: "referrer",
  group: "group",
  campaign: "campaign",
  assigned: "assignedDate",
  converted: "converted",
  revenue: "revenue",
  stage: "stage",
  content: "content",
};

const SPEC: CommandSpec = {
  command: "report",
  positionals: [{ name: "book.xlsx", description: "The workbook with the data (orders; optionally customers, touchpoints, campaigns, spend), or one CSV or Parquet file of it.", required: false }],
  flags: [
    {
      name: "from",
      kind: "list",
      valueName: "FILES",
      description:
        "Instead of book.xlsx: Parquet or CSV files, one table each (a glob such as 'orders/*.parquet' is one table), found by their headers as sheets are; writes a new workbook of the tabs to --out. A comma list, or the flag again for each file (a file whose name has a comma is kept whole).",
    },
    { name: "out", kind: "value", valueName: "FILE", description: "Write the workbook with the new tabs to FILE (default: add them to book.xlsx itself; for a CSV or Parquet file, a new workbook beside it)." },
    { name: "force", kind: "boolean", description: "Let --out replace an existing file, and write a read-only workbook." },
    { name: "no-html", kind: "boolean", description: "Do not write the HTML report with the charts." },
    {
      name: "max-cells",
      kind: "value",
      valueName: "N",
      description: "Read workbooks of up to N non-blank cells (default 8,000,000: a million rows of eight columns, about 1 GB of memory).",
    },
    ...SHEET_FLAGS,
    {
      name: "columns",
      kind: "list",
      valueName: "LIST",
      description:
        "Column headers where detection guesses wrong, e.g. orders.id=Client,orders.date=Invoice date (roles: id, date, value, timestamp, channel, conversion, period, spend; for invoice lines: order, quantity, price; for leads, lead-events, survey, referrals, experiments and stages: lead, created, event-date, event, points, score, answered, referrals, referrer, group, campaign, assigned, converted, revenue, stage, content).",
    },
    {
      name: "header-row",
      kind: "list",
      valueName: "N",
      description: "Excel row number of the header row, for every table (--header-row 3) or per table (--header-row orders:3,spend:1) (default: found below title and blank rows).",
    },
    { name: "date-order", kind: "value", valueName: "dmy|mdy", description: "Order of day and month in date text such as 03/04/2024, when no date in the column shows it." },
    { name: "decimal", kind: "value", valueName: ".|,", description: "Decimal mark of amounts written as text such as 1,234 or 1.234, when no amount in the column shows it." },
    ...ANALYSIS_FLAGS,
  ],
};

const SUMMARY = "Adds the Scorecard, Segmentation, Customer Value, Cohorts, Leads, Journey, Attribution, Campaign KPIs, Experiments and Budget tabs to a workbook, never overwriting a sheet.";

const DETAILS = `Tables are found by their headers (customer_id, order_date, order_value; timestamp, channel,
conversion_value; campaign KPI columns; month, channel, spend; and their usual synonyms) and by
sheet names such as "Orders"; --orders-sheet and --columns override the guesses. The header row may
sit below title and blank rows (--header-row gives it); blank rows inside the data are skipped and a
"Total" row at the end is left out, both counted on stderr. Invoice lines (quantity and unit price)
are summed into orders. Dates as text are read day-first or month-first as the column shows
(--date-order when it cannot), amounts as text with their currency, thousands separators and decimal
mark (--decimal when it cannot). The currency of the amounts is read from the value column's header
("Amount (EUR)"), its cells' number format or its text ("1.458,30 €"), or given with --currency; each
tab says where it came from. A tab whose data is missing is skipped and said so, unless it is asked
for with --tabs. The workbook opens on the Scorecard, whose numbers are formulas reading the other
tabs of the run.

The workbook's own sheets stay exactly as they were (their parts are copied byte for byte); new tabs
get free names ("Segmentation 2" when "Segmentation" exists). The file is replaced whole or not at
all. Charts are native Excel charts on the new tabs, referring to their cells; an HTML report beside
the workbook (book-report.html, or book-report-2.html when that exists) shows them too.

With --from, the tables come from Parquet or CSV files instead of a workbook (DuckDB reads the
Parquet; a CSV may have a title row, blank lines and a total row like a sheet; a glob of files with
the same columns is one table) and the tabs go to a new workbook, --out. Files within --max-cells
cells are read whole and the tabs built in memory from every row. An orders file over it is read out
of core by DuckDB and the order tabs are built from its summaries (per customer, per cohort month,
per year) with the same numbers; past 2,000,000 customers the Segmentation and Customer Value
tabs are built from summaries in DuckDB (only the customers they list in memory; imc clv --from
gives each customer's CLV at any size).
A touchpoint log over it is read out of core too, and the Attribution and Journey tabs are built
from DuckDB's journeys grouped by path, channel and stage, with the same numbers. Any other table
over --max-cells is refused. --from takes a comma list or repeats (--from a.csv --from b.csv);
a value with a comma that names an existing file, or a glob in an existing folder with a comma in its
name, is one path. A CSV or Parquet file given in place of the workbook (imc report orders.csv, or
orders.csv.gz) is read as --from reads it, into a new workbook beside it (orders.xlsx, or orders-2.xlsx when that
exists) unless --out names one. A tab longer than an Excel sheet (1,048,576 rows) is never cut as it stands: the
Segmentation and Customer Value tabs of over about a million customers keep their summaries over
every customer (as values) and list the customers that fit, saying so; another tab is left out with
the reason; the other tabs are written.

Examples:
  imc report out/sample-business.xlsx
  imc report --from orders.parquet,touchpoints.parquet --out report.xlsx
  imc report orders.csv
  imc report sales.xlsx --out sales-analysed.xlsx --tabs segmentation,customer-value --mask hash`;

function overridesOf(args: { values: Readonly<Record<string, string>>; lists: Readonly<Record<string, readonly string[]>> }): DetectionOverrides {
  const sheets: Partial<Record<TableKind, string>> = {};
  for (const kind of TABLE_KINDS) {
    const sheet = args.values[`${kindFlagName(kind)}-sheet`];
    if (sheet !== undefined) sheets[kind] = sheet;
  }
  const columns: Partial<Record<TableKind, Partial<Record<ColumnRole, string>>>> = {};
  for (const item of args.lists.columns ?? []) {
    const match = /^([a-z-]+)\.([a-z-]+)=(.+)$/i.exec(item);
    const kind = match ? kindOfName(match[1]) : undefined;
    const role = match ? ROLE_FLAGS[match[2].toLowerCase()] : undefined;
    if (!match || !kind || role === undefined) {
      throw usageError(`--columns: "${item}" is not table.role=Header (tables: ${TABLE_KINDS.map(kindFlagName).join(", ")}; roles: ${Object.keys(ROLE_FLAGS).join(", ")})`);
    }
    (columns[kind] ??= {})[role] = match[3].trim();
  }
  let headerRow: DetectionOverrides["headerRow"];
  for (const item of args.lists["header-row"] ?? []) {
    const match = /^(?:([a-z-]+):)?(\d+)$/i.exec(item.trim());
    const kind = match?.[1] === undefined ? undefined : kindOfName(match[1]);
    const row = match ? Number(match[2]) : NaN;
    if (!match || (match[1] !== undefined && kind === undefined) || !(row >= 1 && row <= 1_048_576)) {
      throw usageError(`--header-row: "${item}" is not a row number (1 to 1048576) or table:row (tables: ${TABLE_KINDS.map(kindFlagName).join(", ")})`);
    }
    if (kind === undefined) {
      if (headerRow !== undefined) throw usageError("--header-row: give one row for every table, or table:row for each");
      headerRow = row;
    } else {
      if (typeof headerRow === "number") throw usageError("--header-row: give one row for every table, or table:row for each");
      headerRow = { ...headerRow, [kind]: row };
    }
  }
  return { sheets, columns, headerRow };
}

/** An error about reading the workbook, with the option that settles it when there is one. */
function readingError(error: unknown, file: string): unknown {
  if (!isEngineError(error)) return error;
  const fix = error.argument === undefined ? undefined : READING_FIXES[error.argument];
  return new CliError(fix === undefined ? error.message : `${error.message}; ${fix}`, { file });
}

/** A file of data rather than a workbook: read as --from reads it. */
const DATA_FILE = /\.(csv|tsv|txt|parquet)$/i;

/**
 * Whether the file given as the book is data (CSV, Parquet, gzip text) rather than a workbook: by
 * its name, or, for a name that is not a workbook's, by its first bytes (orders.csv.gz, an export
 * without an extension).
 */
function isDataFile(io: CliIo, file: string): boolean {
  if (DATA_FILE.test(file)) return true;
  if (/\.(xlsx|xlsm|xls|xlsb)$/i.test(file)) return false;
  const resolved = resolvePath(io, file);
  if (!existsSync(resolved)) return false;
  const kind = binaryKindOf(resolved);
  return kind !== "xlsx" && kind !== "xls";
}

/** The workbook beside a data file: orders.csv → orders.xlsx, orders.csv.gz → orders.xlsx. */
function bookBeside(file: string): string {
  const base = file.replace(/\.gz$/i, "");
  return DATA_FILE.test(base) ? base.replace(DATA_FILE, ".xlsx") : `${base.replace(/\.[^./\\]*$/, "")}.xlsx`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.help) {
    io.stdout(reportCommand.help);
    return 0;
  }
  const file = args.positionals["book.xlsx"];
  const from = fileList(args.given.from ?? [], (name) => existsSync(resolvePath(io, name)));
  if (file === undefined && from.length === 0) throw usageError("imc report needs book.xlsx, or --from FILES; see imc report --help");
  if (file !== undefined && from.length > 0) throw usageError(`give book.xlsx or --from FILES, not both ("${file}" and --from ${from.join(",")})`);
  const options = analysisOptions(args);
  const overrides = overridesOf(args);
  const reading = readingOptions(args.values);
  if (file === undefined) return reportFromFiles(args, from, { options, overrides, reading, maxCells: maxCellsOf(args.values["max-cells"]) }, io);
  // A data file given as the book (imc report orders.csv): read as --from reads it, into a new workbook
  // beside it (a free name unless --out says otherwise), since a CSV or Parquet file cannot hold tabs.
  if (isDataFile(io, file)) {
    const outName = args.values.out ?? path.relative(io.cwd, freeFileName(resolvePath(io, bookBeside(file))));
    return reportFromFiles(args, [file], { options, overrides, reading, maxCells: maxCellsOf(args.values["max-cells"]) }, io, outName);
  }
  const input = resolvePath(io, file);
  const outName = args.values.out ?? file;
  const output = resolvePath(io, outName);
  if (output !== input && !args.booleans.has("force") && existsSync(output)) {
    throw new CliError(`${outName} exists; choose another --out or add --force`);
  }
  // Locked before the workbook is read, so that a concurrent run on the same file fails at once
  // instead of both adding tabs to the old bytes and one set being lost.
  const writeOptions = { allowReadOnly: args.booleans.has("force"), readOnlyFix: "add --force to write it anyway" };
  const lock = acquireWriteLock(output, outName, (line) => io.stderr(line));
  try {
    assertWritable(output, outName, writeOptions);
    return await addTabs({ args, file, options, overrides, reading, input, output, outName, writeOptions }, io);
  } finally {
    lock.release();
  }
}

interface ReportRun {
  readonly args: ReturnType<typeof parseArgs>;
  readonly file: string;
  readonly options: ReturnType<typeof analysisOptions>;
  readonly overrides: DetectionOverrides;
  readonly reading: ReturnType<typeof readingOptions>;
  readonly input: string;
  readonly output: string;
  readonly outName: string;
  readonly writeOptions: SafeWriteOptions;
}

/** --max-cells as a whole number of cells, or the reader's default. */
function maxCellsOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const cells = Number(text.replace(/[,_\s]/g, ""));
  if (!Number.isSafeInteger(cells) || cells < 1) throw usageError(`--max-cells: "${text}" is not a whole number of cells above 0`);
  return cells;
}

async function addTabs({ args, file, options, overrides, reading, input, output, outName, writeOptions }: ReportRun, io: CliIo): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(input);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (error as Error).message}`);
  }
  const { written, result } = await reportTabs(bytes, file, { options, overrides, reading, maxCells: maxCellsOf(args.values["max-cells"]) }, io);
  return writeReportFiles({ args, output, outName, writeOptions }, "Added", written, result, io);
}

/**
 * Writes the workbook (whole or not at all), says which tabs went in and which were skipped, and
 * writes the HTML report beside it unless --no-html.
 */
async function writeReportFiles(
  target: { args: ReturnType<typeof parseArgs>; output: string; outName: string; writeOptions: SafeWriteOptions },
  verb: "Added" | "Wrote",
  written: { bytes: Uint8Array; names: string[] },
  result: AllTabsResult,
  io: CliIo,
): Promise<number> {
  const { args, output, outName, writeOptions } = target;
  await writeFileSafely(output, written.bytes, outName, writeOptions);
  io.stdout(`${verb} ${written.names.map((name) => `"${name}"`).join(", ")} to ${outName}\n`);
  for (const shortened of result.shortened ?? []) io.stdout(`Shortened the ${shortened.title} tab: ${shortened.note}\n`);
  for (const skipped of result.skipped) io.stdout(`Skipped the ${skipped.title} tab: ${skipped.reason}\n`);
  if (!args.booleans.has("no-html")) {
    const html = freeFileName(`${output.slice(0, output.length - path.extname(output).length)}-report.html`);
    writeFileAtomically(html, await htmlReportOf(result.sheets, written.names, path.basename(output), `IMC Analytics report: ${path.basename(output)}`, result.skipped), html);
    io.stdout(`Charts and summaries: ${path.relative(io.cwd, html) || html}\n`);
  }
  return 0;
}

/** What `imc report` does with a workbook besides its options' parsing. */
export interface ReportSettings {
  readonly options: AllTabsOptions;
  readonly overrides?: DetectionOverrides;
  readonly reading?: ReadingOptions;
  /** Non-blank cells the workbook may hold (the reader's default when omitted). */
  readonly maxCells?: number;
}

/**
 * The tabs of `imc report` added to a workbook's bytes, in memory: reads the workbook, finds its
 * tables, builds every tab the data allows and grafts them in (the caller writes the file). Reading
 * notes (rows left out) go to stderr, as the runner shows them.
 *
 * @param bytes the workbook as read from disk.
 * @param file the workbook as the user named it, for messages.
 * @throws CliError for a workbook that cannot be read, has no table to analyse, or a bad cell.
 */
export async function reportTabs(bytes: Uint8Array, file: string, settings: ReportSettings, io: CliIo): Promise<{ written: { bytes: Uint8Array; names: string[] }; result: AllTabsResult }> {
  // Loaded here rather than at the top, so that the other commands and --help stay light.
  const [{ readWorkbook, XlsxError }, { addTabsToXlsx }] = await Promise.all([import("../xlsx/readWorkbook"), import("../xlsx/writeReport")]);
  let sheets;
  try {
    sheets = await readWorkbook(bytes, file, { maxCells: settings.maxCells });
  } catch (error) {
    if (error instanceof XlsxError) throw new CliError(error.message);
    throw error;
  }

  const result = await tabsOfSheets(sheets, file, settings, io);
  const written = await addTabsToXlsx(bytes, result.sheets);
  return { written, result };
}

/**
 * Finds the tables in the sheets, reads them and builds every tab the data allows (the part of
 * `imc report` after the workbook is read, shared by the --from route).
 *
 * @throws CliError when no table to analyse is found, a cell is bad, or no tab can be built.
 */
async function tabsOfSheets(sheets: readonly SheetCells[], file: string, settings: ReportSettings, io: CliIo, files = false): Promise<AllTabsResult> {
  if (!files) return buildFromSheets(sheets, file, settings, io, false);
  // The detection and the builders speak of sheets; here each "sheet" is a file.
  const reword = fileWording(sheets.map((sheet) => sheet.name));
  const reworded: CliIo = { ...io, stderr: (text) => io.stderr(reword(text)) };
  try {
    return await buildFromSheets(sheets, file, settings, reworded, true);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    throw new CliError(reword(error.message), { exitCode: error.exitCode, file: error.file === undefined ? undefined : reword(error.file), row: error.row, column: error.column });
  }
}

async function buildFromSheets(sheets: readonly SheetCells[], file: string, settings: ReportSettings, io: CliIo, files: boolean): Promise<AllTabsResult> {
  let found;
  try {
    found = detectTables(sheets, settings.overrides);
  } catch (error) {
    throw readingError(error, file);
  }
  if (!found.orders && !found.touchpoints && !found.campaigns) {
    throw new CliError(
      `no orders, touchpoints or campaigns found (${files ? "files" : "sheets"}: ${sheets.map((sheet) => sheet.name).join(", ")}); the orders table: ${describeNeeds("orders")}; name it with --orders-sheet and --columns (and --header-row when its headers are not the row found)`,
      { file },
    );
  }
  if (io.progress) {
    for (const kind of TABLE_KINDS) {
      const table = found[kind];
      // The optional tables of issue 15 are named only when found.
      if (table) io.stderr(`${kindFlagName(kind)}: ${table.description}\n`);
      else if (CORE_TABLE_KINDS.includes(kind)) io.stderr(`${kind}: not found\n`);
    }
  }

  let data;
  try {
    data = businessDataOf(sheets, found, settings.reading);
  } catch (error) {
    throw readingError(error, file);
  }
  if (files) data = await withOversizedTables(data, sheets, found, settings);
  // What reading left out or interpreted matters to the numbers: always said, on stderr.
  for (const kind of TABLE_KINDS) {
    for (const note of data[kind]?.readingNotes ?? []) io.stderr(`${kindFlagName(kind)} (sheet "${found[kind]!.sheet}"): ${note}\n`);
  }
  const result = await buildTabs(data, settings.options, { file, sheets, found, rowNumbers: data.rowNumbers }, io);
  if (result.sheets.length === 0) {
    for (const skipped of result.skipped) io.stderr(`Skipped the ${skipped.title} tab: ${skipped.reason}\n`);
    throw new CliError(`no tab could be built from ${files ? "these files" : "this workbook"} (the reasons are above)`, { file });
  }
  return result;
}

/**
 * The data with the tables of files too large to read row by row (`oversized` sheets, of which only
 * the first rows were read) summarised out of core: the orders by DuckDB for the order tabs
 * and the touchpoint log for the Attribution and Journey tabs (src/cli/duckdb/report/); any other
 * table is an error, as it was before.
 *
 * @throws CliError for an oversized table other than the orders and the touchpoint log, and as
 *   summariseOrders and summariseTouchpoints do.
 */
async function withOversizedTables(data: BusinessData, sheets: readonly SheetCells[], found: Partial<Record<TableKind, FoundTable>>, settings: ReportSettings): Promise<BusinessData> {
  let result = data;
  for (const kind of TABLE_KINDS) {
    const table = found[kind];
    const sheet = table === undefined ? undefined : (sheets.find((s) => s.name === table.sheet) as FileSheet | undefined);
    const oversized = sheet?.oversized;
    if (table === undefined || oversized === undefined) continue;
    const { tooManyCells } = await import("../duckdb/fileSheets");
    if (kind === "touchpoints" && result.touchpoints !== null) {
      // Orders come first in TABLE_KINDS: the log's summaries see them as the tabs will (rows or summarised).
      const [{ summariseTouchpoints }, { touchpointParts }] = await Promise.all([import("../duckdb/report/summariseTouchpoints"), import("../duckdb/report/parts")]);
      const { touchpoints } = await summariseTouchpoints(oversized, table.sheet, table, result.orders, { ...settings.reading }, touchpointParts(settings.options, result.stages ?? null));
      const { touchpoints: _rows, ...rowNumbers } = result.rowNumbers ?? {};
      result = { ...result, touchpoints, rowNumbers };
      continue;
    }
    if (kind !== "orders" || result.orders === null) throw tooManyCells(table.sheet, oversized.cells, oversized.maxCells);
    const [{ summariseOrders }, { summaryParts }] = await Promise.all([import("../duckdb/report/summariseOrders"), import("../duckdb/report/parts")]);
    // The Experiments and Lead Scoring tabs read orders per customer: the order rows of the customers
    // their tables name are read into memory.
    const idsOf = (cells: readonly unknown[] | undefined) => (cells ?? []).flatMap((cell) => (typeof cell === "string" || typeof cell === "number" ? [String(cell).trim()] : []));
    const namedCustomers = [...idsOf(result.experiments?.customerIds), ...idsOf(result.leads?.customerIds)];
    const { orders } = await summariseOrders(oversized, table.sheet, table, result.orders, { asOf: settings.options.asOf ?? null, namedCustomers, ...settings.reading }, summaryParts(settings.options));
    const { orders: _rows, ...rowNumbers } = result.rowNumbers ?? {};
    result = { ...result, orders, rowNumbers };
  }
  return result;
}

/**
 * Rewords what is said of the given sheets as said of files: `Sheet "orders.csv"` → `File
 * "orders.csv"`, `sheet orders.csv` → `file orders.csv`.
 */
export function fileWording(names: readonly string[]): (text: string) => string {
  const sorted = [...names].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const name of sorted) {
      out = out
        .split(`Sheet "${name}"`)
        .join(`File "${name}"`)
        .split(`sheet "${name}"`)
        .join(`file "${name}"`)
        .split(`sheet ${name}`)
        .join(`file ${name}`);
    }
    return out;
  };
}

/**
 * `imc report --from FILES --out book.xlsx`: the tables read from Parquet or CSV files
 * (src/cli/duckdb/fileSheets.ts), the tabs written to a new workbook and its HTML report.
 */
async function reportFromFiles(args: ReturnType<typeof parseArgs>, from: readonly string[], settings: ReportSettings, io: CliIo, outName = args.values.out): Promise<number> {
  if (outName === undefined || !/\.xlsx$/i.test(outName)) throw usageError("--from writes a new workbook of the tabs: give --out FILE.xlsx");
  const output = resolvePath(io, outName);
  if (!args.booleans.has("force") && existsSync(output)) throw new CliError(`${outName} exists; choose another --out or add --force`);
  const writeOptions = { allowReadOnly: args.booleans.has("force"), readOnlyFix: "add --force to write it anyway" };
  const lock = acquireWriteLock(output, outName, (line) => io.stderr(line));
  try {
    assertWritable(output, outName, writeOptions);
    const [{ readFileSheets }, { writeNewWorkbook }] = await Promise.all([import("../duckdb/fileSheets"), import("../xlsx/writeReport")]);
    const sheets = await readFileSheets(
      from.map((display) => ({ display, pattern: resolvePath(io, display) })),
      { maxCells: settings.maxCells, oversized: "head" },
    );
    const display = from.join(", ");
    const result = await tabsOfSheets(sheets, display, settings, io, true);
    return await writeReportFiles({ args, output, outName, writeOptions }, "Wrote", await writeNewWorkbook([], result.sheets), result, io);
  } finally {
    lock.release();
  }
}

export const reportCommand: Command = {
  name: "report",
  summary: "Adds the generated tabs (Scorecard first, then Segmentation to Budget) to an .xlsx workbook.",
  help: helpText(SPEC, SUMMARY, DETAILS),
  run,
};
