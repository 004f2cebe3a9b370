/**
 * What `imc demo` and `imc report` share: the analysis options as flags, building the tabs with
 * progress on stderr, re-addressing a bad cell to the sheet, row and column the user sees, and
 * writing files without replacing any that exist.
 */

import { existsSync } from "node:fs";
import path from "node:path";
import { COUNTING_MODEL_CHOICES } from "../../engine/clv/countingModels";
import { isEngineError } from "../../engine/errors";
import { MASK_MODES } from "../../engine/privacy/mask";
import { optionChoice, optionDate, optionNumber, optionText } from "../../functions/arguments";
import type { AllTabsOptions, AllTabsResult } from "../../reports/allTabs";
import { EXCEL_MAX_ROWS } from "../../reports/rowLimit";
import { TAB_IDS, type TabId } from "../../reports/tabIds";
import { argumentSource, type BusinessData, type FoundTable, type SheetCells, type TableKind } from "../../reports/detect";
import type { ReportSheet } from "../../reports/sheet";
import type { FlagSpec, ParsedArgs } from "../args";
import { CliError, locateEngineError, usageError } from "../errors";
import type { CliIo } from "../io";

/** Flags of the analyses, shared by demo and report. */
export const ANALYSIS_FLAGS: readonly FlagSpec[] = [
  { name: "tabs", kind: "list", valueName: "LIST", description: `Tabs to add, comma-separated: ${TAB_IDS.join(", ")} (default: every tab the data allows).` },
  { name: "as-of", kind: "value", valueName: "yyyy-mm-dd", description: "Analysis date (default: the last order date); later orders are left out and counted." },
  {
    name: "model",
    kind: "value",
    valueName: "bgnbd|mbgnbd|pareto|auto",
    description: "Purchase model of the Customer Value tab (default auto: the best of BG/NBD, MBG/NBD and Pareto/NBD by log-likelihood).",
  },
  { name: "period", kind: "value", valueName: "day|week|month", description: "Time unit of the customer value model (default week)." },
  { name: "horizon", kind: "value", valueName: "N", description: "CLV horizon in periods (default 52)." },
  { name: "discount", kind: "value", valueName: "RATE", description: "Annual discount rate of CLV (default 0.1)." },
  { name: "holdout", kind: "value", valueName: "N", description: "Check the model against the last N periods (calibration vs holdout table)." },
  { name: "growth", kind: "value", valueName: "RATE", description: "Budget target as growth over the last 12 months' revenue (default 0.1)." },
  { name: "target-revenue", kind: "value", valueName: "AMOUNT", description: "Budget target: revenue of the next 12 months (replaces --growth)." },
  { name: "cac", kind: "value", valueName: "AMOUNT", description: "Budget: cost of acquiring a customer (default: spend of the last 12 months ÷ new customers; needed when there is no spend table)." },
  { name: "margin", kind: "value", valueName: "RATE", description: "Budget: gross margin as a share of revenue (0.4 for 40%), for the payback check (default: no payback check)." },
  {
    name: "currency",
    kind: "value",
    valueName: "CODE",
    description: "Currency of the amounts, as an ISO code (EUR, CHF) or a symbol (€, $, £) (default: read from the amounts' header, number format or text).",
  },
  { name: "mask", kind: "value", valueName: "hash|partial|redact", description: "Show names, emails and phones in the Segmentation tab, masked this way (default: left out)." },
  { name: "salt", kind: "value", valueName: "TEXT", description: "Secret salt for --mask hash (the same salt gives the same hashes)." },
  {
    name: "max-tab-rows",
    kind: "value",
    valueName: "N",
    description:
      "Keep every tab within N rows (default and most: 1048576, an Excel sheet's last row): the Segmentation and Customer Value tabs then list only the customers that fit (their summaries still count all, as values); another tab that does not fit is left out with the reason.",
  },
];

/** Engine argument names of the analysis flags, for messages. */
const ANALYSIS_FLAG_NAMES: Readonly<Record<string, string>> = {
  tabs: "--tabs",
  as_of: "--as-of",
  model: "--model",
  period: "--period",
  horizon: "--horizon",
  annual_discount_rate: "--discount",
  holdout_periods: "--holdout",
  target_growth: "--growth",
  targetGrowth: "--growth",
  target_revenue: "--target-revenue",
  targetRevenue: "--target-revenue",
  cac: "--cac",
  gross_margin_rate: "--margin",
  grossMarginRate: "--margin",
  mask: "--mask",
  salt: "--salt",
};

/** How the runner offers the rows of a tab too long for a sheet, by tab. */
function tooLongAdviceOf(tab: TabId): string | null {
  if (tab === "customer-value") return "for each customer's CLV use imc clv --from FILES --out clv.parquet";
  if (tab === "segmentation") return "for each customer's RFM segment use imc rfm orders.csv --out segments.csv, and imc clv --from FILES --out clv.parquet for CLV";
  return null;
}

/** --max-tab-rows as a whole number of rows from 1 to Excel's last row, or undefined for the default. */
function maxTabRowsOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const rows = Number(text.trim());
  if (!Number.isSafeInteger(rows) || rows < 1 || rows > EXCEL_MAX_ROWS) throw usageError(`--max-tab-rows: "${text}" is not a whole number of rows from 1 to ${EXCEL_MAX_ROWS}`);
  return rows;
}

/** How the runner asks for a missing budget assumption. */
function adviceOf(argument: string): string | null {
  return argument === "cac" ? "give the cost of acquiring a customer with --cac AMOUNT, or add a spend table (month, channel, spend)" : null;
}

/** Currency symbols --currency accepts besides ISO codes. */
const CURRENCY_SYMBOLS = ["$", "€", "£", "¥", "₹", "₽", "₩", "₺", "₴", "₪", "US$", "R$", "kr", "zł", "Kč", "Ft", "Fr."];

/**
 * --currency as the tabs show it: an ISO code in capitals ("chf" → "CHF") or a known symbol.
 *
 * @throws CliError (usage) for anything else.
 */
export function currencyOption(text: string | undefined): string | null {
  if (text === undefined) return null;
  const trimmed = text.trim();
  if (/^[A-Za-z]{3}$/.test(trimmed)) return trimmed.toUpperCase();
  if (CURRENCY_SYMBOLS.includes(trimmed)) return trimmed;
  throw usageError(`--currency: "${text}" is not a currency; give an ISO code such as EUR, USD or CHF, or a symbol (${CURRENCY_SYMBOLS.slice(0, 4).join(" ")})`);
}

/**
 * The analysis options from the flags.
 *
 * @throws CliError naming the flag for a bad value.
 */
export function analysisOptions(args: ParsedArgs): AllTabsOptions {
  const value = (name: string): string[][] | null => (args.values[name] === undefined ? null : [[args.values[name]]]);
  try {
    const tabs = args.lists.tabs?.map((tab) => tab.toLowerCase());
    for (const tab of tabs ?? []) {
      if (!(TAB_IDS as readonly string[]).includes(tab)) throw usageError(`--tabs: "${tab}" is not a tab; use ${TAB_IDS.join(", ")}`);
    }
    const horizon = optionNumber(value("horizon"), "horizon");
    const discount = optionNumber(value("discount"), "annual_discount_rate");
    const growth = optionNumber(value("growth"), "target_growth");
    const positive = (name: string, argument: string, wanted: string): number | null => {
      const number = optionNumber(value(name), argument);
      if (number !== null && !(number > 0)) throw usageError(`--${name}: must be ${wanted}, got ${args.values[name]}`);
      return number;
    };
    const margin = positive("margin", "gross_margin_rate", "a share above 0 and at most 1 (0.4 for 40%)");
    if (margin !== null && margin > 1) throw usageError(`--margin: must be a share above 0 and at most 1 (0.4 for 40%), got ${args.values.margin}`);
    const model = optionChoice(value("model"), "model", COUNTING_MODEL_CHOICES);
    return {
      tabs: tabs === undefined ? null : (tabs as TabId[]),
      asOf: optionDate(value("as-of"), "as_of"),
      model: model ?? undefined,
      period: optionChoice(value("period"), "period", ["day", "week", "month"] as const) ?? undefined,
      horizonPeriods: horizon ?? undefined,
      annualDiscountRate: discount ?? undefined,
      holdoutPeriods: optionNumber(value("holdout"), "holdout_periods"),
      targetGrowth: growth ?? undefined,
      targetRevenue: positive("target-revenue", "target_revenue", "an amount above 0"),
      cac: positive("cac", "cac", "an amount above 0"),
      grossMarginRate: margin,
      advise: adviceOf,
      currency: currencyOption(args.values.currency),
      currencyGiven: "given with --currency",
      mask: optionChoice(value("mask"), "mask", MASK_MODES),
      maskSalt: optionText(value("salt"), "salt"),
      maxRows: maxTabRowsOf(args.values["max-tab-rows"]),
      tooLongAdvice: tooLongAdviceOf,
    };
  } catch (error) {
    if (isEngineError(error)) throw locateEngineError(error, { flags: ANALYSIS_FLAG_NAMES });
    throw error;
  }
}


/** The sheets and tables a run reads, to point at bad cells. */
export interface TabSources {
  /** The file as the user named it. */
  readonly file: string;
  readonly sheets: readonly SheetCells[];
  readonly found: Partial<Record<TableKind, FoundTable>>;
  /** Excel row of each row handed to the builders, by kind (see BusinessData.rowNumbers); absent: rows follow the header. */
  readonly rowNumbers?: Partial<Record<TableKind, readonly number[]>>;
}

function columnLetters(column: number): string {
  let text = "";
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) text = String.fromCharCode(65 + ((n - 1) % 26)) + text;
  return text;
}

/**
 * Re-addresses an engine error about a builder input to "file, sheet Orders, row 17, column
 * order_date (C)"; other errors keep their wording with the file name.
 */
export function locateTabError(error: unknown, sources: TabSources, stage: string): unknown {
  if (!isEngineError(error)) return error;
  const argument = error.argument ?? "";
  let kind: TableKind | null = null;
  let header: string | null = null;
  let columnIndex = -1;
  const flag = ANALYSIS_FLAG_NAMES[argument];
  if (flag !== undefined) return new CliError(`${flag}: ${error.message.replace(/^[A-Za-z_]+: /, "")}`);
  const role = argumentSource(argument, stage.startsWith("attributing"));
  if (role) {
    kind = role[0];
    columnIndex = sources.found[kind]?.columns[role[1]] ?? -1;
  } else if (argument.startsWith("customers.")) {
    kind = "customers";
    const sheet = sources.sheets.find((candidate) => candidate.name === sources.found.customers?.sheet);
    const wanted = argument.slice("customers.".length);
    const headers = sources.found.customers?.headers ?? sheet?.rows[0] ?? [];
    columnIndex = headers.findIndex((cell) => String(cell ?? "").trim().toLowerCase().replace(/[^a-z0-9]+/g, "_") === wanted || String(cell) === wanted);
    if (wanted === "customer_ids") columnIndex = sources.found.customers?.columns.customerId ?? -1;
  } else if (argument === "campaign_table") {
    kind = "campaigns";
    columnIndex = error.column === undefined ? -1 : error.column - 1;
  }
  const table = kind === null ? undefined : sources.found[kind];
  const sheet = table && sources.sheets.find((candidate) => candidate.name === table.sheet);
  if (!table || !sheet) return new CliError(error.message, { file: sources.file });
  header = columnIndex >= 0 ? String(table.headers?.[columnIndex] ?? sheet.rows[0]?.[columnIndex] ?? "") : null;
  const firstRow = table.headerRow ?? sheet.firstRow ?? 1;
  // The engine counts data rows from 1 under the header (campaign_table counts the header as row 1);
  // skipped blank and total rows make the sheet's rows differ, so the rows handed over are looked up.
  const handed = kind === null ? undefined : sources.rowNumbers?.[kind];
  const row = error.row === undefined ? undefined : (handed?.[error.row - 1] ?? firstRow + error.row - (argument === "campaign_table" ? 1 : 0));
  const column = header === null ? undefined : `${header} (${columnLetters((sheet.firstColumn ?? 0) + columnIndex)})`;
  const problem = error.message.replace(/^[A-Za-z_.]+ row \d+(?:, column \d+)?: |^[A-Za-z_.]+: /, "");
  return new CliError(problem, { file: `${sources.file}, sheet ${sheet.name}`, row, column });
}

/**
 * Builds the tabs, showing each step on stderr when progress is on.
 *
 * @throws CliError for a bad cell (sheet, row, column) or option (flag).
 */
export async function buildTabs(data: BusinessData, options: AllTabsOptions, sources: TabSources, io: CliIo): Promise<AllTabsResult> {
  // Loaded when needed, so that `imc --help` and the CSV commands do not load every builder.
  const { buildAllTabs } = await import("../../reports/allTabs");
  let stage = "";
  const started = io.now().getTime();
  try {
    return buildAllTabs(data, options, { generatedAt: io.now().toISOString() }, (message) => {
      stage = message;
      if (io.progress) io.stderr(`${((io.now().getTime() - started) / 1000).toFixed(1)} s  ${message}…\n`);
    });
  } catch (error) {
    throw locateTabError(error, { ...sources, rowNumbers: sources.rowNumbers ?? data.rowNumbers }, stage);
  }
}

/** `name`, or `name-2`, `name-3`… before the extension: the first that does not exist. */
export function freeFileName(file: string): string {
  if (!existsSync(file)) return file;
  const extension = path.extname(file);
  const stem = file.slice(0, file.length - extension.length);
  for (let n = 2; n < 10_000; n++) {
    const candidate = `${stem}-${n}${extension}`;
    if (!existsSync(candidate)) return candidate;
  }
  throw new CliError(`cannot find a free file name like ${file}`);
}

/** Replaces a file whole or not at all; lives in ../safeWrite (re-exported for existing callers). */
export { writeFileAtomically } from "../safeWrite";

/** The HTML report of tabs written under their final names. */
export async function htmlReportOf(
  sheets: readonly ReportSheet[],
  names: readonly string[],
  workbookFile: string,
  title: string,
  notBuilt: readonly { readonly title: string; readonly reason: string }[] = [],
): Promise<string> {
  const { renderHtmlReport } = await import("../../reports/htmlReport");
  return renderHtmlReport(
    sheets.map((sheet, index) => ({ name: names[index], sheet })),
    { title, workbookFile, notBuilt },
  );
}
