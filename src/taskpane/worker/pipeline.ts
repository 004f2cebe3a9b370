/**
 * The wizards' analysis, as pure functions: what the worker runs (engine.worker.ts), and what the
 * client runs in-process where there is no Worker (tests in happy-dom). Same steps as `imc report`:
 * SheetCells → detectTables → businessDataOf → buildAllTabs.
 */
import { formatSerial, toDateSerial, toNumber, toOptionalNumber, toText } from "../../engine/data";
import { EngineError, isEngineError } from "../../engine/errors";
import { buildAllTabs, skippedNotes, withCurrency, type AllTabsOptions, type AllTabsResult } from "../../reports/allTabs";
import { buildAttributionTab } from "../../reports/attribution";
import {
  businessDataOf,
  argumentSource,
  describeNeeds,
  detectTables,
  isKnownHeader,
  TABLE_KINDS,
  type BusinessData,
  type ColumnRole,
  type FoundTable,
  type SheetCells,
  type TableKind,
} from "../../reports/detect";
import { cellAt as reportCellAt, cellValue, type Block, type ReportSheet } from "../../reports/sheet";
import { cellAt, dataRowsOf, excelRowOf, sheetLayout } from "../../reports/sheetLayout";
import { formatCellValue } from "../../reports/svgChart";
import { TAB_IDS, type TabId } from "../../reports/tabIds";
import type { BuildRequest, BuildResult, EngineFailure, Headline, InspectRequest, Inspection, RoleMapping, TableInspection, TabHeadlines, WizardOptions } from "./protocol";

/** Role names as a wizard's field labels. */
export const ROLE_LABELS: Readonly<Record<ColumnRole, string>> = {
  customerId: "Customer id",
  orderDate: "Order date",
  orderValue: "Order value",
  timestamp: "Time",
  channel: "Channel",
  conversion: "Conversion value",
  period: "Month",
  spend: "Spend",
  orderId: "Order number",
  quantity: "Quantity",
  unitPrice: "Unit price",
  leadId: "Lead id",
  createdDate: "Created",
  eventDate: "Event date",
  event: "Event",
  points: "Points",
  score: "Score (0–10)",
  responseDate: "Answer date",
  referrals: "Referrals",
  referrer: "Referred by",
  group: "Group (test or control)",
  campaign: "Campaign",
  assignedDate: "Assigned on",
  converted: "Converted",
  revenue: "Revenue",
  stage: "Stage",
  content: "Content",
};

/** The roles a wizard lets the user map, required ones first. */
function rolesOf(table: FoundTable): readonly (readonly [ColumnRole, boolean])[] {
  switch (table.kind) {
    case "orders":
      return table.lines
        ? [["customerId", true], ["orderDate", true], ["orderId", false], ["quantity", false], ["unitPrice", false], ["orderValue", false]]
        : [["customerId", true], ["orderDate", true], ["orderValue", true], ["orderId", false]];
    case "touchpoints":
      return [["customerId", true], ["timestamp", true], ["channel", true], ["conversion", true]];
    case "spend":
      return [["channel", true], ["spend", true], ["period", false]];
    case "customers":
      return [["customerId", true]];
    case "campaigns":
      return [];
    default:
      // The tables of issue 15: the columns found, to be remapped.
      return (Object.keys(table.columns) as ColumnRole[]).map((role) => [role, false] as const);
  }
}

/** How each role's cells are checked row by row (what the builders will require of them). */
type Check = "text" | "date" | "number" | "optionalNumber" | "none";
const ROLE_CHECKS: Readonly<Partial<Record<TableKind, Partial<Record<ColumnRole, Check>>>>> = {
  orders: { customerId: "text", orderDate: "date", orderValue: "number" },
  touchpoints: { customerId: "text", timestamp: "date", conversion: "optionalNumber" },
  spend: { channel: "text", spend: "number" },
  customers: { customerId: "text" },
};

/** "…: "abc" is not a date" from an engine cell error, without its argument and row. */
function problemOf(error: EngineError): string {
  return error.message.replace(/^[^:]*? row \d+(?:, column \d+)?: /, "").replace(/^[A-Za-z_.]+: /, "");
}

function shown(value: unknown, check: Check): string {
  if (value === null || value === undefined) return "";
  if (check === "date" && typeof value === "number") {
    try {
      return formatSerial(value);
    } catch {
      // An out-of-range serial is shown as the number it is; the row is refused below.
      return String(value);
    }
  }
  return String(value);
}

const PREVIEW_ROWS = 5;
const REASONS_SHOWN = 3;

/** The cells handed to the builders for one role, from the reading of one table. */
function roleCells(data: BusinessData, kind: TableKind, role: ColumnRole): readonly unknown[] | null {
  switch (kind) {
    case "orders":
      if (data.orders === null) return null;
      return role === "customerId" ? data.orders.customerIds : role === "orderDate" ? data.orders.orderDates : role === "orderValue" ? data.orders.orderValues : null;
    case "touchpoints":
      if (data.touchpoints === null) return null;
      return role === "customerId"
        ? data.touchpoints.customerIds
        : role === "timestamp"
          ? data.touchpoints.timestamps
          : role === "channel"
            ? data.touchpoints.channels
            : role === "conversion"
              ? data.touchpoints.conversions
              : null;
    case "spend":
      if (data.spend === null) return null;
      return role === "channel" ? data.spend.channels : role === "spend" ? data.spend.amounts : role === "period" ? data.spend.periods : null;
    case "customers":
      return data.customers !== null && role === "customerId" ? data.customers.customerIds : null;
    case "campaigns":
      return null;
    default:
      return null;
  }
}

function inspectTable(sheets: readonly SheetCells[], table: FoundTable, reading: InspectRequest["reading"]): TableInspection {
  const roles: RoleMapping[] = rolesOf(table).map(([role, required]) => ({ role, label: ROLE_LABELS[role], required, column: table.columns[role] ?? null }));
  const sheet = sheets.find((candidate) => candidate.name === table.sheet);
  const layout = sheet && sheetLayout(sheet, isKnownHeader, table.headerRow);
  const labelColumn = table.kind === "campaigns" ? -1 : table.kind === "spend" ? (table.columns.channel ?? -1) : (table.columns.customerId ?? -1);
  const dataRows = sheet && layout ? dataRowsOf(sheet, layout, labelColumn) : null;
  const base = {
    kind: table.kind,
    sheet: table.sheet,
    description: table.description,
    headerRow: table.headerRow,
    headers: table.headers,
    roles,
    rowsSkipped: dataRows === null ? 0 : dataRows.blankRows.length + dataRows.totalRows.length + dataRows.headingRows.length,
  };
  let data: BusinessData;
  try {
    data = businessDataOf(sheets, { [table.kind]: table }, reading);
  } catch (error) {
    if (!isEngineError(error)) throw error;
    // The column as a whole cannot be read: the rows are checked as they are in the sheet.
    const rows = sheet && dataRows ? dataRows.rows : [];
    const columns = roles
      .filter((entry) => entry.column !== null)
      .map((entry) => ({ entry, cells: rows.map((row) => cellAt(sheet!, row, entry.column!)), check: ROLE_CHECKS[table.kind]?.[entry.role] ?? ("none" as Check) }));
    const checked = checkRows(table, columns, rows.map((row) => excelRowOf(sheet!, row)));
    return { ...base, ...checked, notes: [], error: error.message };
  }
  const rowNumbers = data.rowNumbers?.[table.kind] ?? [];
  const notes = data[table.kind]?.readingNotes ?? [];
  if (table.kind === "campaigns") {
    const rows = data.campaigns?.table ?? [];
    const previewHeaders = table.headers.slice(0, 6);
    return {
      ...base,
      preview: { headers: previewHeaders, rows: rows.slice(1, 1 + PREVIEW_ROWS).map((row) => previewHeaders.map((_, c) => shown(row[c], "none"))) },
      rowsRead: Math.max(0, rows.length - 1),
      rowsRefused: 0,
      reasons: [],
      notes,
    };
  }
  const mapped = roles.filter((entry) => entry.column !== null && roleCells(data, table.kind, entry.role) !== null);
  const columns = mapped.map((entry) => ({ entry, cells: roleCells(data, table.kind, entry.role)!, check: ROLE_CHECKS[table.kind]?.[entry.role] ?? ("none" as Check) }));
  return { ...base, ...checkRows(table, columns, rowNumbers), notes };
}

interface RoleColumn {
  readonly entry: RoleMapping;
  readonly cells: readonly unknown[];
  readonly check: Check;
}

/** Each row checked as the builders will read it: the rows refused and the first reasons, and a preview. */
function checkRows(table: FoundTable, columns: readonly RoleColumn[], rowNumbers: readonly number[]): Pick<TableInspection, "preview" | "rowsRead" | "rowsRefused" | "reasons"> {
  const rowCount = columns.length === 0 ? 0 : columns[0].cells.length;
  const reasons: string[] = [];
  let refused = 0;
  for (let i = 0; i < rowCount; i++) {
    let reason: string | null = null;
    for (const { entry, cells, check } of columns) {
      const header = table.headers[entry.column!] || entry.label;
      try {
        if (check === "text") toText(cells[i], header, i + 1);
        else if (check === "date") toDateSerial(cells[i], header, i + 1);
        else if (check === "number") toNumber(cells[i], header, i + 1);
        else if (check === "optionalNumber") toOptionalNumber(cells[i], header, i + 1);
      } catch (error) {
        if (!isEngineError(error)) throw error;
        reason = `row ${rowNumbers[i] ?? i + 1}, ${header}: ${problemOf(error)}`;
        break;
      }
    }
    if (reason !== null) {
      refused++;
      if (reasons.length < REASONS_SHOWN) reasons.push(reason);
    }
  }
  return {
    preview: {
      headers: columns.map(({ entry }) => table.headers[entry.column!] || entry.label),
      rows: Array.from({ length: Math.min(PREVIEW_ROWS, rowCount) }, (_, i) => columns.map(({ cells, check }) => shown(cells[i], check))),
    },
    rowsRead: rowCount,
    rowsRefused: refused,
    reasons,
  };
}

/** The tables found and how they read, for the data step. */
export function inspect(request: Pick<InspectRequest, "sheets" | "overrides" | "reading">): Inspection {
  const sheets = request.sheets.map((sheet) => sheet.name);
  let found: Partial<Record<TableKind, FoundTable>>;
  try {
    found = detectTables(request.sheets, request.overrides);
  } catch (error) {
    if (!isEngineError(error)) throw error;
    return { sheets, tables: [], missing: [], error: error.message };
  }
  const tables: TableInspection[] = [];
  const missing: { kind: TableKind; needs: string }[] = [];
  for (const kind of TABLE_KINDS) {
    const table = found[kind];
    if (table) tables.push(inspectTable(request.sheets, table, request.reading));
    else missing.push({ kind, needs: describeNeeds(kind) });
  }
  return { sheets, tables, missing };
}

// ---------------------------------------------------------------------------------------------
// Errors in the user's terms

/** Engine option arguments → the wizard field that sets them. */
export const OPTION_FIELDS: Readonly<Record<string, string>> = {
  model: "Purchase model",
  period: "Time unit",
  horizon: "Horizon",
  horizon_periods: "Horizon",
  annual_discount_rate: "Discount rate",
  target_growth: "Revenue growth target",
  targetGrowth: "Revenue growth target",
  target_revenue: "Revenue target",
  targetRevenue: "Revenue target",
  cac: "Cost of acquiring a customer",
  gross_margin_rate: "Gross margin",
  grossMarginRate: "Gross margin",
  mask: "Personal data",
  salt: "Salt",
  lookback_days: "Look-back window",
  half_life_days: "Half-life",
};

function letters(column: number): string {
  let text = "";
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) text = String.fromCharCode(65 + ((n - 1) % 26)) + text;
  return text;
}

/**
 * An engine error in the wizard's terms: a bad cell as sheet, row and column (the header the user
 * typed), an option as its field; anything else as it is.
 */
export function failureOf(error: unknown, sheets: readonly SheetCells[], found: Partial<Record<TableKind, FoundTable>>, data: BusinessData | null, stage: string): EngineFailure {
  if (!isEngineError(error)) {
    return { message: error instanceof Error && error.message ? error.message : "The analysis failed." };
  }
  const argument = error.argument;
  const field = argument === undefined ? undefined : OPTION_FIELDS[argument];
  if (field !== undefined) return { message: `${field}: ${problemOf(error)}`, argument };
  const role = argument === undefined ? undefined : argumentSource(argument, stage.startsWith("attributing"));
  if (role !== undefined) {
    const kind: TableKind = role[0];
    const table = found[kind];
    const sheet = table && sheets.find((candidate) => candidate.name === table.sheet);
    const columnIndex = table?.columns[role[1]];
    if (table && sheet && columnIndex !== undefined) {
      const row = error.row === undefined ? undefined : (data?.rowNumbers?.[kind]?.[error.row - 1] ?? table.headerRow + error.row);
      const column = `${table.headers[columnIndex] || ROLE_LABELS[role[1]]} (${letters((sheet.firstColumn ?? 0) + columnIndex)})`;
      const where = row === undefined ? `Sheet "${sheet.name}", column ${column}` : `Sheet "${sheet.name}", row ${row}, column ${column}`;
      return { message: `${where}: ${problemOf(error)}`, argument, sheet: sheet.name, row, column };
    }
  }
  return { message: error.message, argument };
}

// ---------------------------------------------------------------------------------------------
// Build

/** How a wizard asks for a missing assumption (added to the reason a tab was skipped). */
function advise(argument: string): string | null {
  return argument === "cac" ? "enter the cost of acquiring a customer in the Options step, or add a spend table (month, channel, spend)" : null;
}

function allTabsOptions(options: WizardOptions, tabs: readonly TabId[] | null): AllTabsOptions {
  return {
    tabs,
    model: options.model,
    period: options.period,
    horizonPeriods: options.horizonPeriods,
    annualDiscountRate: options.annualDiscountRate,
    mask: options.mask ?? null,
    maskSalt: options.maskSalt ?? null,
    targetGrowth: options.targetGrowth,
    targetRevenue: options.targetRevenue ?? null,
    cac: options.cac ?? null,
    grossMarginRate: options.grossMarginRate ?? null,
    advise,
    // The tabs are written into the open workbook, where the add-in's IMC.ALLOCATE is present.
    liveAllocation: true,
  };
}

/** The steps buildAllTabs will announce, to turn its progress messages into a share done. */
function expectedSteps(data: BusinessData, tabs: readonly TabId[] | null): number {
  const wanted = new Set<TabId>(tabs ?? TAB_IDS);
  let steps = 0;
  if (data.orders && (wanted.has("customer-value") || wanted.has("segmentation") || wanted.has("budget"))) steps++;
  if (data.touchpoints && (wanted.has("attribution") || wanted.has("budget"))) steps++;
  if (data.campaigns && wanted.has("campaign-kpis")) steps++;
  if (data.orders && wanted.has("budget")) steps++;
  if (data.orders && (wanted.has("segmentation") || (wanted.has("scorecard") && (data.survey?.customerIds ?? null) !== null))) steps++;
  // The newer tabs and the Scorecard announce one step each when asked for (a tab whose table is missing is skipped before).
  for (const tab of ["cohorts", "leads", "journey", "experiments", "scorecard"] as const) if (wanted.has(tab)) steps++;
  return Math.max(1, steps);
}

/** Headings of a tab's headline section ("At a glance"; older layouts say "In short"). */
const HEADLINE_HEADINGS = new Set(["at a glance", "in short"]);

/**
 * The headline numbers of a tab, as shown (numbers in their cells' formats): the rows under its
 * "At a glance" heading (label | number | what it means); without one, the label | number rows
 * right under the title. Empty when the tab has neither.
 */
export function headlinesOf(sheet: ReportSheet): Headline[] {
  const formatAt = (row: number, column: number): string | null => {
    for (const block of sheet.blocks) {
      if (block.kind !== "cells" || row < block.row || row >= block.row + block.values.length || column < block.column) continue;
      if (column - block.column < (block.values[row - block.row]?.length ?? 0)) return block.numberFormats?.[column - block.column] ?? null;
    }
    return null;
  };
  const raw = (row: number, column: number) => {
    const cell = reportCellAt(sheet, row, column);
    return cell === undefined ? null : cellValue(cell);
  };
  const text = (row: number, column: number): string => formatCellValue(raw(row, column), formatAt(row, column)).trim();
  // A table's rows are data, never headline numbers.
  const inTable = (row: number): boolean => sheet.blocks.some((block) => block.kind === "table" && row >= block.row && row <= block.row + block.rows.length + 1);
  const headlineRow = (row: number): boolean => !inTable(row) && typeof raw(row, 0) === "string" && typeof raw(row, 1) === "number";
  const heading = sheet.blocks.find(
    (block): block is Extract<Block, { kind: "cells" }> =>
      block.kind === "cells" && block.column === 0 && block.style === "heading" && HEADLINE_HEADINGS.has(String(cellValue(block.values[0]?.[0] ?? null)).trim().toLowerCase()),
  );
  let row: number;
  if (heading !== undefined) {
    row = heading.row + 1;
  } else {
    // The first row under the title and subtitle holding a label and a number.
    const title = sheet.blocks.find((block) => block.kind === "cells" && block.style === "subtitle");
    row = title === undefined ? 0 : title.row + 1;
    while (row < 6 && !headlineRow(row)) row++;
    if (row >= 6) return [];
  }
  const out: Headline[] = [];
  for (; out.length < 8; row++) {
    const label = text(row, 0);
    if (label === "" || (heading === undefined && !headlineRow(row))) break;
    let sentence = "";
    for (let column = 2; column <= 4 && sentence === ""; column++) sentence = text(row, column);
    out.push({ label, value: text(row, 1), sentence });
  }
  return out;
}

/**
 * Builds the tabs a wizard asked for.
 *
 * @param progress share done (0–1) and what is happening.
 * @throws EngineFailure (a plain object) for bad cells and options, in the user's terms.
 */
export function build(request: Omit<BuildRequest, "type" | "id">, progress: (done: number, message: string) => void = () => {}): BuildResult {
  progress(0, "Reading the tables");
  let found: Partial<Record<TableKind, FoundTable>> = {};
  let data: BusinessData | null = null;
  let stage = "";
  try {
    found = detectTables(request.sheets, request.overrides);
    data = businessDataOf(request.sheets, found, request.reading);
    const business = data;
    const context = { generatedAt: request.generatedAt };
    const { lookbackDays, halfLifeDays } = request.options;
    let result: AllTabsResult;
    if (request.tabs?.length === 1 && request.tabs[0] === "attribution" && (lookbackDays !== undefined || halfLifeDays !== undefined)) {
      // buildAllTabs has no attribution options: the Attribution wizard builds its tab itself.
      if (business.touchpoints === null) {
        throw new EngineError("INVALID_INPUT", "The Attribution tab needs a touchpoint log (customer id, timestamp, channel, conversion), and none was found", { argument: "tabs" });
      }
      stage = "attributing conversions to channels";
      progress(0.1, "Attributing conversions to channels");
      const notes = [...(business.touchpoints.readingNotes ?? []), ...(business.spend?.readingNotes ?? [])];
      // As buildAllTabs builds it (orders for the revenue check, the data's currency), with the wizard's look-back and half-life.
      const run = withCurrency(context, business, {});
      const report = buildAttributionTab(business.touchpoints, business.spend, { lookbackDays, halfLifeDays, orders: business.orders }, { ...run, notes: [...(run.notes ?? []), ...notes] });
      result = { sheets: [{ ...report.sheet, tab: "attribution" }], skipped: [], shortened: [], figures: new Map([["attribution", report.figures]]) };
    } else {
      const steps = expectedSteps(business, request.tabs);
      let step = 0;
      result = buildAllTabs(business, allTabsOptions(request.options, request.tabs), context, (message) => {
        stage = message;
        progress(Math.min(0.95, 0.05 + (0.9 * step) / steps), `${message.charAt(0).toUpperCase()}${message.slice(1)}`);
        step++;
      });
    }
    progress(1, "Done");
    return {
      tabs: result.sheets,
      skipped: result.skipped,
      shortened: result.shortened ?? [],
      notes: skippedNotes(result.skipped),
      headlines: result.sheets.map((sheet): TabHeadlines => ({ tab: sheet.name, headlines: headlinesOf(sheet) })),
    };
  } catch (error) {
    throw new BuildFailure(failureOf(error, request.sheets, found, data, stage));
  }
}

/** A build that failed, with where in the user's terms. */
export class BuildFailure extends Error {
  constructor(readonly failure: EngineFailure) {
    super(failure.message);
    this.name = "BuildFailure";
  }
}
