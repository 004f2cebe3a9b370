/**
 * Finds the business's tables in a workbook by their header names: which sheet holds the orders,
 * the customers, the touchpoints, the campaigns and the spend, and which column is which. Used by
 * the runner (`imc report`) and meant for the wizards' column mapping; every guess can be
 * overridden by the caller, and every choice is reported so it can be shown.
 *
 * Headers are compared normalised: lower case, letters and digits only ("Order Date", "order_date"
 * and "ORDERDATE" are one name).
 */

import { EngineError } from "../engine/errors";
import { campaignFieldOf } from "../engine/campaigns/campaignColumns";
import type { CampaignsInput, Column, CustomersInput, OrdersInput, SpendInput, TouchpointsInput } from "./inputs";

/** A sheet as read from a workbook: row 0 holds the headers. */
export interface SheetCells {
  readonly name: string;
  readonly rows: readonly (readonly unknown[])[];
  /** Excel row number (1-based) of rows[0]; 1 when omitted. */
  readonly firstRow?: number;
  /** Column index (0 = A) of the first column of rows; 0 when omitted. */
  readonly firstColumn?: number;
  /** Excel tables (list objects) on the sheet: a table's totals row is never data. */
  readonly tables?: readonly { readonly name: string; readonly ref: string /* A1 range incl. header and totals rows, e.g. "A3:D120" */; readonly headerRowCount: number; readonly totalsRowCount: number }[];
}

export type TableKind = "orders" | "customers" | "touchpoints" | "campaigns" | "spend";
export const TABLE_KINDS: readonly TableKind[] = ["orders", "customers", "touchpoints", "campaigns", "spend"];

/** Column roles of each kind of table; the first roles of a kind are required. */
export type ColumnRole =
  | "customerId"
  | "orderDate"
  | "orderValue"
  | "timestamp"
  | "channel"
  | "conversion"
  | "period"
  | "spend";

/**
 * Header names of each column role, best first, as people write them; compared normalised (see
 * {@link normaliseName}). One table for the workbook detection here and the runner's CSV commands.
 */
export const COLUMN_SYNONYMS: Readonly<Record<ColumnRole, readonly string[]>> = {
  customerId: ["customer_id", "customer", "customer_no", "customer_number", "customer_code", "client_id", "client", "client_no", "user_id", "user", "buyer_id", "buyer", "account_id", "contact_id", "cust", "cust_id", "id"],
  orderDate: ["order_date", "date", "purchase_date", "transaction_date", "ordered_at", "ordered_on", "order_time", "sale_date", "invoice_date", "day"],
  orderValue: ["order_value", "value", "amount", "revenue", "sales", "total", "order_total", "order_amount", "net_value", "net_amount", "price", "sale"],
  timestamp: ["timestamp", "time", "datetime", "event_time", "touch_time", "touch_date", "event_date", "date"],
  channel: ["channel", "channel_name", "source", "medium", "source_medium", "touchpoint"],
  conversion: ["conversion_value", "conversion", "conversions", "converted", "conversion_amount", "order_value", "revenue", "value"],
  period: ["month", "period", "date", "week", "month_start"],
  spend: ["spend", "cost", "costs", "amount", "ad_spend", "media_spend", "amount_spent", "investment"],
};

const ROLE_NAMES: Readonly<Record<ColumnRole, readonly string[]>> = Object.fromEntries(
  Object.entries(COLUMN_SYNONYMS).map(([role, names]) => [role, names.map(normaliseName)]),
) as unknown as Record<ColumnRole, readonly string[]>;

const REQUIRED_ROLES: Readonly<Record<Exclude<TableKind, "customers" | "campaigns">, readonly ColumnRole[]>> = {
  orders: ["customerId", "orderDate", "orderValue"],
  touchpoints: ["customerId", "timestamp", "channel", "conversion"],
  spend: ["channel", "spend"],
};

const PII_NAMES = ["name", "firstname", "lastname", "fullname", "customername", "email", "emailaddress", "mail", "phone", "phonenumber", "mobile", "telephone", "tel", "address", "street", "postcode", "zip", "zipcode", "birthdate", "dateofbirth", "dob"];
const DEMOGRAPHIC_NAMES = ["ageband", "agegroup", "age", "agerange", "region", "country", "state", "city", "gender", "sex", "segment", "tier", "industry", "income", "incomeband"];

const SHEET_NAME_HINTS: Readonly<Record<TableKind, readonly string[]>> = {
  orders: ["order", "transaction", "purchase", "sales", "invoice"],
  customers: ["customer", "client", "contact", "member"],
  touchpoints: ["touch", "event", "journey", "click", "interaction"],
  campaigns: ["campaign"],
  spend: ["spend", "cost", "budget", "media"],
};

/** A header as compared. */
export function normaliseName(header: unknown): string {
  return String(header ?? "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Where one table was found. */
export interface FoundTable {
  readonly kind: TableKind;
  readonly sheet: string;
  /** Column index (0-based) of each role found. */
  readonly columns: Readonly<Partial<Record<ColumnRole, number>>>;
  /** How it was found, for the report's provenance ("sheet name and headers", "headers", "given"). */
  readonly how: string;
}

/** What the caller decides: a sheet per kind, and column headers per role (by header text). */
export interface DetectionOverrides {
  readonly sheets?: Partial<Record<TableKind, string>>;
  readonly columns?: Partial<Record<TableKind, Partial<Record<ColumnRole, string>>>>;
}

function headerRow(sheet: SheetCells): string[] {
  return (sheet.rows[0] ?? []).map(normaliseName);
}

/** Column of a role: the first header whose name is the role's most specific synonym. */
function findRole(headers: readonly string[], role: ColumnRole, taken: ReadonlySet<number>): number {
  for (const name of ROLE_NAMES[role]) {
    const index = headers.findIndex((header, i) => header === name && !taken.has(i));
    if (index >= 0) return index;
  }
  return -1;
}

function rolesOf(headers: readonly string[], roles: readonly ColumnRole[], given: Partial<Record<ColumnRole, string>> | undefined, sheet: string): Partial<Record<ColumnRole, number>> | null {
  const taken = new Set<number>();
  const columns: Partial<Record<ColumnRole, number>> = {};
  // Given columns first, so a guess never takes a column the caller named for another role.
  for (const role of roles) {
    const header = given?.[role];
    if (header === undefined) continue;
    const index = headers.indexOf(normaliseName(header));
    if (index < 0) {
      throw new EngineError("INVALID_INPUT", `Sheet "${sheet}" has no column "${header}" (headers: ${headers.join(", ") || "none"})`, { argument: role });
    }
    columns[role] = index;
    taken.add(index);
  }
  for (const role of roles) {
    if (columns[role] !== undefined) continue;
    const index = findRole(headers, role, taken);
    if (index < 0) return null;
    columns[role] = index;
    taken.add(index);
  }
  return columns;
}

function matches(kind: TableKind, sheet: SheetCells, given: Partial<Record<ColumnRole, string>> | undefined): Partial<Record<ColumnRole, number>> | null {
  const headers = headerRow(sheet);
  if (headers.length === 0 || sheet.rows.length < 2) return null;
  switch (kind) {
    case "orders":
      // An orders table has no channel column (that would be a touchpoint log).
      if (given === undefined && findRole(headers, "channel", new Set()) >= 0) return null;
      return rolesOf(headers, REQUIRED_ROLES.orders, given, sheet.name);
    case "touchpoints":
      return rolesOf(headers, REQUIRED_ROLES.touchpoints, given, sheet.name);
    case "spend": {
      if (given === undefined && (findRole(headers, "customerId", new Set()) >= 0 || matches("campaigns", sheet, undefined) !== null)) return null;
      const columns = rolesOf(headers, REQUIRED_ROLES.spend, given, sheet.name);
      if (columns === null) return null;
      const period = rolesOf(headers, ["period"], given, sheet.name);
      return period === null ? columns : { ...columns, ...period };
    }
    case "customers": {
      const id = rolesOf(headers, ["customerId"], given, sheet.name);
      if (id === null) return null;
      const described = headers.some((header) => PII_NAMES.includes(header) || DEMOGRAPHIC_NAMES.includes(header));
      const hasOrders = findRole(headers, "orderValue", new Set()) >= 0 && findRole(headers, "orderDate", new Set()) >= 0;
      return given !== undefined || (described && !hasOrders) ? id : null;
    }
    case "campaigns": {
      const fields = new Set(sheet.rows[0].map((header) => campaignFieldOf(String(header ?? ""))).filter((field) => field !== null));
      return fields.has("label") && fields.size >= 4 ? {} : null;
    }
  }
}

/**
 * Finds each kind of table in the sheets: a sheet named for the kind ("Orders", "Sales 2025") whose
 * headers fit wins; otherwise the first sheet whose headers fit. A sheet is used for one kind only.
 *
 * @param sheets the workbook's sheets, headers in row 0.
 * @param overrides sheets and columns given by the caller (by name); these are used as given.
 * @returns the tables found, by kind (a kind with no fitting sheet is absent).
 * @throws EngineError INVALID_INPUT when a given sheet or column does not exist or does not fit.
 */
export function detectTables(sheets: readonly SheetCells[], overrides: DetectionOverrides = {}): Partial<Record<TableKind, FoundTable>> {
  const found: Partial<Record<TableKind, FoundTable>> = {};
  const used = new Set<string>();
  const byName = new Map(sheets.map((sheet) => [sheet.name.toLowerCase(), sheet]));
  for (const kind of TABLE_KINDS) {
    const givenSheet = overrides.sheets?.[kind];
    if (givenSheet === undefined) continue;
    const sheet = byName.get(givenSheet.toLowerCase());
    if (sheet === undefined) {
      throw new EngineError("INVALID_INPUT", `There is no sheet "${givenSheet}" for the ${kind} (sheets: ${sheets.map((s) => s.name).join(", ")})`, { argument: `${kind}-sheet` });
    }
    const columns = matches(kind, sheet, overrides.columns?.[kind] ?? {});
    if (columns === null) {
      throw new EngineError("INVALID_INPUT", `Sheet "${sheet.name}" does not look like ${kind}: ${describeNeeds(kind)} (headers: ${(sheet.rows[0] ?? []).join(", ")})`, { argument: `${kind}-sheet` });
    }
    found[kind] = { kind, sheet: sheet.name, columns, how: "given" };
    used.add(sheet.name);
  }
  // Touchpoints before orders: a log with a channel column is never taken for orders.
  // Campaigns before spend: a campaign table has spend and channel columns too.
  for (const kind of ["touchpoints", "orders", "campaigns", "spend", "customers"] as const) {
    if (found[kind]) continue;
    const given = overrides.columns?.[kind];
    const candidates = sheets.filter((sheet) => !used.has(sheet.name));
    const named = candidates.filter((sheet) => SHEET_NAME_HINTS[kind].some((hint) => normaliseName(sheet.name).includes(hint)));
    for (const [pool, how] of [
      [named, "sheet name and headers"],
      [candidates, "headers"],
    ] as const) {
      const sheet = pool.find((candidate) => matches(kind, candidate, given) !== null);
      if (sheet !== undefined) {
        found[kind] = { kind, sheet: sheet.name, columns: matches(kind, sheet, given)!, how };
        used.add(sheet.name);
        break;
      }
    }
  }
  return found;
}

/** What a kind of table needs, for messages. */
export function describeNeeds(kind: TableKind): string {
  switch (kind) {
    case "orders":
      return "it needs a customer id, an order date and an order value column";
    case "touchpoints":
      return "it needs customer id, timestamp, channel and conversion (value) columns";
    case "spend":
      return "it needs channel and spend columns (and a month column when spend is by month)";
    case "customers":
      return "it needs a customer id column and personal or demographic columns (name, email, age band, region…)";
    case "campaigns":
      return "it needs a campaign name column and at least three KPI columns (sent, opens, clicks, spend…)";
  }
}

function column(sheet: SheetCells, index: number): Column {
  const values: unknown[] = new Array(Math.max(0, sheet.rows.length - 1));
  for (let r = 1; r < sheet.rows.length; r++) values[r - 1] = sheet.rows[r][index] ?? null;
  return values;
}

function letters(column: number): string {
  let text = "";
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) text = String.fromCharCode(65 + ((n - 1) % 26)) + text;
  return text;
}

function source(sheet: SheetCells, columns: number): string {
  const firstRow = sheet.firstRow ?? 1;
  const firstColumn = sheet.firstColumn ?? 0;
  const name = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet.name) ? sheet.name : `'${sheet.name.replace(/'/g, "''")}'`;
  return `${name}!${letters(firstColumn)}${firstRow}:${letters(firstColumn + Math.max(1, columns) - 1)}${firstRow + sheet.rows.length - 1}`;
}

/** The business's data as builder inputs, from the tables found. */
export interface BusinessData {
  readonly orders: OrdersInput | null;
  readonly customers: CustomersInput | null;
  readonly touchpoints: TouchpointsInput | null;
  readonly campaigns: CampaignsInput | null;
  readonly spend: SpendInput | null;
}

/**
 * Builder inputs from the sheets and the tables found in them.
 *
 * @param sheets the workbook's sheets.
 * @param found what {@link detectTables} found.
 */
export function businessDataOf(sheets: readonly SheetCells[], found: Partial<Record<TableKind, FoundTable>>): BusinessData {
  const sheetOf = (kind: TableKind): SheetCells | null => {
    const table = found[kind];
    return table ? sheets.find((sheet) => sheet.name === table.sheet)! : null;
  };
  const widthOf = (sheet: SheetCells): number => (sheet.rows[0] ?? []).length;
  const orders = sheetOf("orders");
  const customers = sheetOf("customers");
  const touchpoints = sheetOf("touchpoints");
  const campaigns = sheetOf("campaigns");
  const spend = sheetOf("spend");
  const col = (kind: TableKind, role: ColumnRole): number => found[kind]!.columns[role]!;
  return {
    orders: orders && {
      source: source(orders, widthOf(orders)),
      customerIds: column(orders, col("orders", "customerId")),
      orderDates: column(orders, col("orders", "orderDate")),
      orderValues: column(orders, col("orders", "orderValue")),
    },
    customers: customers && {
      source: source(customers, widthOf(customers)),
      customerIds: column(customers, col("customers", "customerId")),
      columns: (customers.rows[0] ?? []).flatMap((header, index) => {
        if (index === col("customers", "customerId")) return [];
        const name = normaliseName(header);
        const pii = PII_NAMES.includes(name) || name.includes("email") || name.includes("phone");
        const demographic = !pii && DEMOGRAPHIC_NAMES.includes(name);
        return [{ header: String(header ?? `Column ${index + 1}`), values: column(customers, index), pii, demographic }];
      }),
    },
    touchpoints: touchpoints && {
      source: source(touchpoints, widthOf(touchpoints)),
      customerIds: column(touchpoints, col("touchpoints", "customerId")),
      timestamps: column(touchpoints, col("touchpoints", "timestamp")),
      channels: column(touchpoints, col("touchpoints", "channel")),
      conversions: column(touchpoints, col("touchpoints", "conversion")),
    },
    campaigns: campaigns && { source: source(campaigns, widthOf(campaigns)), table: campaigns.rows },
    spend: spend && {
      source: source(spend, widthOf(spend)),
      periods: found.spend!.columns.period === undefined ? column(spend, -1) : column(spend, col("spend", "period")),
      channels: column(spend, col("spend", "channel")),
      amounts: column(spend, col("spend", "spend")),
    },
  };
}
