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
import { businessDataOf, describeNeeds, detectTables, TABLE_KINDS, type ColumnRole, type DetectionOverrides, type TableKind } from "../../reports/detect";
import { helpText, parseArgs, type CommandSpec, type FlagSpec } from "../args";
import { CliError, usageError } from "../errors";
import type { CliIo } from "../io";
import type { Command } from "./index";
import { ANALYSIS_FLAGS, analysisOptions, buildTabs, freeFileName, htmlReportOf, writeFileAtomically } from "./tabs";
import { resolvePath } from "./shared";
import { acquireWriteLock, assertWritable, writeFileSafely, type SafeWriteOptions } from "../safeWrite";

const SHEET_FLAGS: readonly FlagSpec[] = TABLE_KINDS.map((kind) => ({
  name: `${kind}-sheet`,
  kind: "value",
  valueName: "NAME",
  description: `Sheet with the ${kind} (default: found by sheet name and headers).`,
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
};

const SPEC: CommandSpec = {
  command: "report",
  positionals: [{ name: "book.xlsx", description: "The workbook with the data (orders; optionally customers, touchpoints, campaigns, spend)." }],
  flags: [
    { name: "out", kind: "value", valueName: "FILE", description: "Write the workbook with the new tabs to FILE (default: add them to book.xlsx itself)." },
    { name: "force", kind: "boolean", description: "Let --out replace an existing file, and write a read-only workbook." },
    { name: "no-html", kind: "boolean", description: "Do not write the HTML report with the charts." },
    ...SHEET_FLAGS,
    {
      name: "columns",
      kind: "list",
      valueName: "LIST",
      description: "Column headers where detection guesses wrong, e.g. orders.id=Client,orders.date=Invoice date (roles: id, date, value, timestamp, channel, conversion, period, spend).",
    },
    ...ANALYSIS_FLAGS,
  ],
};

const SUMMARY = "Adds the Segmentation, Customer Value, Attribution, Campaign KPIs and Budget tabs to a workbook, never overwriting a sheet.";

const DETAILS = `Tables are found by their headers (customer_id, order_date, order_value; timestamp, channel,
conversion_value; campaign KPI columns; month, channel, spend; and their usual synonyms) and by
sheet names such as "Orders"; --orders-sheet and --columns override the guesses. A tab whose data is
missing is skipped and said so, unless it is asked for with --tabs.

The workbook's own sheets stay exactly as they were (their parts are copied byte for byte); new tabs
get free names ("Segmentation 2" when "Segmentation" exists). The file is replaced whole or not at
all. Charts are drawn in an HTML report beside the workbook (book-report.html, or book-report-2.html
when that exists), because the xlsx library used cannot write native charts.

Examples:
  imc report out/sample-business.xlsx
  imc report sales.xlsx --out sales-analysed.xlsx --tabs segmentation,customer-value --mask hash`;

function overridesOf(args: { values: Readonly<Record<string, string>>; lists: Readonly<Record<string, readonly string[]>> }): DetectionOverrides {
  const sheets: Partial<Record<TableKind, string>> = {};
  for (const kind of TABLE_KINDS) {
    const sheet = args.values[`${kind}-sheet`];
    if (sheet !== undefined) sheets[kind] = sheet;
  }
  const columns: Partial<Record<TableKind, Partial<Record<ColumnRole, string>>>> = {};
  for (const item of args.lists.columns ?? []) {
    const match = /^([a-z]+)\.([a-z]+)=(.+)$/i.exec(item);
    const kind = match?.[1].toLowerCase() as TableKind | undefined;
    const role = match ? ROLE_FLAGS[match[2].toLowerCase()] : undefined;
    if (!match || !kind || !TABLE_KINDS.includes(kind) || role === undefined) {
      throw usageError(`--columns: "${item}" is not table.role=Header (tables: ${TABLE_KINDS.join(", ")}; roles: ${Object.keys(ROLE_FLAGS).join(", ")})`);
    }
    (columns[kind] ??= {})[role] = match[3].trim();
  }
  return { sheets, columns };
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.help) {
    io.stdout(reportCommand.help);
    return 0;
  }
  const file = args.positionals["book.xlsx"];
  const options = analysisOptions(args);
  const overrides = overridesOf(args);
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
    return await addTabs({ args, file, options, overrides, input, output, outName, writeOptions }, io);
  } finally {
    lock.release();
  }
}

interface ReportRun {
  readonly args: ReturnType<typeof parseArgs>;
  readonly file: string;
  readonly options: ReturnType<typeof analysisOptions>;
  readonly overrides: DetectionOverrides;
  readonly input: string;
  readonly output: string;
  readonly outName: string;
  readonly writeOptions: SafeWriteOptions;
}

async function addTabs({ args, file, options, overrides, input, output, outName, writeOptions }: ReportRun, io: CliIo): Promise<number> {
  // Loaded here rather than at the top, so that the other commands and --help stay light.
  const [{ readWorkbook, XlsxError }, { addTabsToXlsx }] = await Promise.all([import("../xlsx/readWorkbook"), import("../xlsx/writeReport")]);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(input);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (error as Error).message}`);
  }
  let sheets;
  try {
    sheets = await readWorkbook(bytes, file);
  } catch (error) {
    if (error instanceof XlsxError) throw new CliError(error.message);
    throw error;
  }

  let found;
  try {
    found = detectTables(sheets, overrides);
  } catch (error) {
    if (isEngineError(error)) throw new CliError(error.message, { file });
    throw error;
  }
  if (!found.orders && !found.touchpoints && !found.campaigns) {
    throw new CliError(
      `no orders, touchpoints or campaigns found (sheets: ${sheets.map((sheet) => sheet.name).join(", ")}); the orders table: ${describeNeeds("orders")}; name it with --orders-sheet and --columns`,
      { file },
    );
  }
  if (io.progress) {
    for (const kind of TABLE_KINDS) {
      const table = found[kind];
      io.stderr(table ? `${kind}: sheet "${table.sheet}" (${table.how})\n` : `${kind}: not found\n`);
    }
  }

  const data = businessDataOf(sheets, found);
  const result = await buildTabs(data, options, { file, sheets, found }, io);
  if (result.sheets.length === 0) throw new CliError("no tab could be built from this workbook", { file });
  const written = await addTabsToXlsx(bytes, result.sheets);
  await writeFileSafely(output, written.bytes, outName, writeOptions);

  io.stdout(`Added ${written.names.map((name) => `"${name}"`).join(", ")} to ${outName}\n`);
  for (const skipped of result.skipped) io.stdout(`Skipped the ${skipped.title} tab: ${skipped.reason}\n`);
  if (!args.booleans.has("no-html")) {
    const html = freeFileName(`${output.slice(0, output.length - path.extname(output).length)}-report.html`);
    writeFileAtomically(html, await htmlReportOf(result.sheets, written.names, path.basename(output), `IMC Analytics report: ${path.basename(output)}`, result.skipped), html);
    io.stdout(`Charts and summaries: ${path.relative(io.cwd, html) || html}\n`);
  }
  return 0;
}

export const reportCommand: Command = {
  name: "report",
  summary: "Adds the generated tabs (Segmentation, Customer Value, Attribution, Campaign KPIs, Budget) to an .xlsx workbook.",
  help: helpText(SPEC, SUMMARY, DETAILS),
  run,
};
