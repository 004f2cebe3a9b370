/**
 * Finds the business's tables in a workbook by their header names: which sheet holds the orders,
 * the customers, the touchpoints, the campaigns and the spend, and which column is which. Used by
 * the runner (`imc report`) and meant for the wizards' column mapping; every guess can be
 * overridden by the caller, and every choice is reported so it can be shown.
 *
 * Headers are compared normalised: lower case, letters and digits only ("Order Date", "order_date"
 * and "ORDERDATE" are one name), a currency in brackets or at the end left out ("Amount (EUR)").
 * The header row may sit below title and blank rows (sheetLayout.ts); invoice lines (quantity ×
 * unit price) are summed into orders; an orders table whose headers say nothing is recognised by
 * its content. {@link businessDataOf} then hands the builders the data rows only (blank and total
 * rows left out and counted) with text read by column (columnText.ts), and says in
 * `readingNotes` what it did.
 */

import { EngineError } from "../engine/errors";
import { campaignFieldOf } from "../engine/campaigns/campaignColumns";
import { CURRENCY_CODES, looksLikeDateText, readDateColumn, readMoneyColumn, type ColumnPlace, type DateOrder, type DecimalMark } from "./columnText";
import type { CampaignsInput, CustomersInput, ExperimentsInput, LeadEventsInput, LeadsInput, OrdersInput, ReferralsInput, SpendInput, StagesInput, SurveyInput, TouchpointExtras, TouchpointsInput } from "./inputs";
import { cellAt, columnLettersOf, dataRowsOf, excelRowOf, isBlankRow, isBlankValue, isTotalLabel, rowList, sheetLayout, type SheetLayout } from "./sheetLayout";

/** An Excel table (ListObject) on a sheet, as the workbook defines it. */
export interface ExcelTableInfo {
  readonly name: string;
  /** Its range in Excel terms, header and totals rows included: "A3:D120". */
  readonly ref: string;
  /** 1 when the table shows its header row, 0 when it hides it. */
  readonly headerRowCount: number;
  /** 1 when the table shows a totals row (never data), else 0. */
  readonly totalsRowCount: number;
}

/**
 * A sheet as read from a workbook: rows of cells from the used range's first row. The header row
 * is found in it (below title and blank rows, or an Excel table's header); rows may be ragged.
 */
export interface SheetCells {
  readonly name: string;
  readonly rows: readonly (readonly unknown[])[];
  /** Excel row number (1-based) of rows[0]; 1 when omitted. */
  readonly firstRow?: number;
  /** Column index (0 = A) of the first column of rows; 0 when omitted. */
  readonly firstColumn?: number;
  /** The sheet's Excel tables: a table's header row is the header, its totals row never data. */
  readonly tables?: readonly ExcelTableInfo[];
  /**
   * Number format per column (index as in `rows`), as the sheet's data cells show it (e.g.
   * `"€"#,##0.00`, `yyyy-mm-dd`, `General`); a currency format tells the tab's currency. Omitted or
   * null when unknown.
   */
  readonly numberFormats?: readonly (string | null)[];
}

export type TableKind =
  | "orders"
  | "customers"
  | "touchpoints"
  | "campaigns"
  | "spend"
  | "leads"
  | "leadEvents"
  | "survey"
  | "referrals"
  | "experiments"
  | "stages";
/** The kinds of table of the first release: the ones the existing tabs read. */
export const CORE_TABLE_KINDS: readonly TableKind[] = ["orders", "customers", "touchpoints", "campaigns", "spend"];
/**
 * The kinds of table added for issue 15 (leads and their events, an NPS survey, referrals, holdout
 * experiments, a channel → stage table); looked for after the core kinds, on the sheets they left.
 */
export const EXTRA_TABLE_KINDS: readonly TableKind[] = ["leads", "leadEvents", "survey", "referrals", "experiments", "stages"];
export const TABLE_KINDS: readonly TableKind[] = [...CORE_TABLE_KINDS, ...EXTRA_TABLE_KINDS];

/** A kind as the runner's flags write it: "lead-events" for leadEvents (`--lead-events-sheet`). */
export function kindFlagName(kind: TableKind): string {
  return kind.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The kind a flag or list item names ("lead-events", "leadEvents", "lead_events"), or undefined. */
export function kindOfName(text: string): TableKind | undefined {
  const wanted = normaliseName(text);
  return TABLE_KINDS.find((kind) => normaliseName(kind) === wanted);
}

/** Column roles of each kind of table; the first roles of a kind are required. */
export type ColumnRole =
  | "customerId"
  | "orderDate"
  | "orderValue"
  | "timestamp"
  | "channel"
  | "conversion"
  | "period"
  | "spend"
  /** Order or invoice number: invoice lines with one number are one order. */
  | "orderId"
  /** Quantity of an invoice line (value = quantity × unit price). */
  | "quantity"
  /** Unit price of an invoice line. */
  | "unitPrice"
  /** A lead's id (leads, lead events). */
  | "leadId"
  /** When a lead was created. */
  | "createdDate"
  /** When a lead's event happened. */
  | "eventDate"
  /** A lead event's type ("Webinar", "Demo request"). */
  | "event"
  /** Points of a lead event. */
  | "points"
  /** A survey answer, 0–10 (likelihood to recommend). */
  | "score"
  /** When a survey was answered. */
  | "responseDate"
  /** Referrals made by a customer (a count). */
  | "referrals"
  /** The customer who referred (one row per referral). */
  | "referrer"
  /** Test or control group of an experiment. */
  | "group"
  /** The campaign an experiment tests. */
  | "campaign"
  /** When a customer was assigned to a group. */
  | "assignedDate"
  /** Whether an experiment's customer converted. */
  | "converted"
  /** An experiment customer's revenue in the window. */
  | "revenue"
  /** Buyer-journey stage of a touch or a channel. */
  | "stage"
  /** Content of a touch. */
  | "content";

/**
 * Header names of each column role, best first, as people write them; compared normalised (see
 * {@link normaliseName}), a currency in brackets or at the end left out ("Amount (EUR)" is
 * "amount"). One table for the workbook detection here and the runner's CSV commands.
 */
export const COLUMN_SYNONYMS: Readonly<Record<ColumnRole, readonly string[]>> = {
  customerId: ["customer_id", "customer", "customer_no", "customer_number", "customer_code", "client_id", "client", "client_no", "client_number", "user_id", "user", "buyer_id", "buyer", "account_id", "account", "account_no", "account_number", "contact_id", "cust", "cust_id", "cust_no", "cust_number", "member_id", "id", "customer_email", "email", "email_address", "billing_email", "buyer_email"],
  orderDate: ["order_date", "date", "purchase_date", "transaction_date", "ordered_at", "ordered_on", "order_time", "sale_date", "invoice_date", "created_at", "created_on", "creation_date", "date_created", "order_created", "payment_date", "paid_at", "processed_at", "purchased_at", "transaction_time", "day"],
  orderValue: ["order_value", "value", "amount", "revenue", "sales", "net_sales", "gross_sales", "total", "order_total", "order_total_amount", "order_amount", "total_amount", "sales_amount", "net_value", "net_amount", "amount_paid", "total_paid", "total_price", "grand_total", "price", "sale"],
  timestamp: ["timestamp", "time", "datetime", "event_time", "touch_time", "touch_date", "event_date", "date"],
  channel: ["channel", "channel_name", "source", "medium", "source_medium", "touchpoint"],
  conversion: ["conversion_value", "conversion", "conversions", "converted", "conversion_amount", "order_value", "revenue", "value"],
  period: ["month", "period", "date", "week", "month_start"],
  spend: ["spend", "cost", "costs", "amount", "ad_spend", "media_spend", "amount_spent", "investment"],
  orderId: ["order_id", "order_no", "order_number", "invoice_no", "invoice_number", "invoice_id", "invoice", "transaction_id", "receipt_no", "receipt_number"],
  quantity: ["quantity", "qty", "units", "quantity_ordered", "qty_ordered"],
  unitPrice: ["unit_price", "price", "price_each", "price_per_unit", "item_price", "unit_cost"],
  // "Lead #" and "Lead no." are "lead" once compared.
  leadId: ["lead_id", "lead", "lead_no", "lead_number", "lead_code", "prospect_id", "prospect", "prospect_no", "lead_key"],
  createdDate: ["created", "created_date", "created_on", "created_at", "creation_date", "date_created", "lead_date", "lead_created", "date"],
  eventDate: ["event_date", "date", "timestamp", "event_time", "activity_date", "time", "datetime", "occurred_at"],
  event: ["event", "event_type", "event_name", "activity", "activity_type", "action", "engagement", "interaction"],
  points: ["points", "event_points", "score_points", "activity_points", "engagement_points"],
  score: ["likelihood_to_recommend", "how_likely_are_you_to_recommend_us", "how_likely_are_you_to_recommend_us_to_a_friend", "nps", "nps_score", "nps_answer", "recommend_score", "ltr", "score", "rating", "answer"],
  responseDate: ["response_date", "date", "answered_on", "answered_at", "submitted_at", "submitted_on", "survey_date", "responded_at", "completed_at", "timestamp"],
  referrals: ["referrals", "referral_count", "referrals_made", "friends_referred", "referred_friends", "number_of_referrals", "no_of_referrals", "referral", "referred"],
  referrer: ["referrer_id", "referrer", "referred_by", "referring_customer", "referring_customer_id", "advocate_id", "advocate"],
  group: ["group", "test_group", "holdout_test", "test_holdout", "test_control", "control_test", "experiment_group", "variant", "arm", "treatment", "assignment", "cell", "holdout", "holdout_group"],
  campaign: ["campaign", "campaign_name", "experiment", "experiment_name", "test_name"],
  assignedDate: ["assigned_on", "assigned_at", "assignment_date", "assigned", "date_assigned", "contact_date", "contacted_on", "sent_on", "send_date", "exposure_date", "start_date", "date"],
  converted: ["converted", "conversion", "purchased", "bought", "outcome"],
  revenue: ["revenue", "revenue_in_window", "window_revenue", "sales", "order_value", "value", "amount"],
  stage: ["stage", "journey_stage", "funnel_stage", "buyer_stage", "buying_stage", "customer_journey_stage", "lifecycle_stage", "phase"],
  content: ["content", "content_name", "content_title", "content_piece", "asset", "creative", "page", "content_type"],
};

const ROLE_NAMES: Readonly<Record<ColumnRole, readonly string[]>> = Object.fromEntries(
  Object.entries(COLUMN_SYNONYMS).map(([role, names]) => [role, names.map(normaliseName)]),
) as unknown as Record<ColumnRole, readonly string[]>;

/** What each role is called in descriptions. */
const ROLE_WORDS: Readonly<Record<ColumnRole, string>> = {
  customerId: "the customer id",
  orderDate: "the order date",
  orderValue: "the order value",
  timestamp: "the time",
  channel: "the channel",
  conversion: "the conversion value",
  period: "the month",
  spend: "the spend",
  orderId: "the order number",
  quantity: "the quantity",
  unitPrice: "the unit price",
  leadId: "the lead id",
  createdDate: "the creation date",
  eventDate: "the event date",
  event: "the event",
  points: "the points",
  score: "the score (0–10)",
  responseDate: "the answer date",
  referrals: "the referral count",
  referrer: "the referring customer",
  group: "the group (test or control)",
  campaign: "the campaign",
  assignedDate: "the assignment date",
  converted: "the conversion",
  revenue: "the revenue",
  stage: "the stage",
  content: "the content",
};

const REQUIRED_ROLES: Readonly<Record<"orders" | "touchpoints" | "spend", readonly ColumnRole[]>> = {
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
  leads: ["lead", "prospect", "pipeline"],
  leadEvents: ["event", "activit", "engagement", "touch"],
  survey: ["survey", "nps", "feedback", "response", "recommend"],
  referrals: ["referr"],
  experiments: ["experiment", "holdout", "test", "lift"],
  stages: ["stage", "funnel", "journey", "mapping"],
};

/** A header as compared. */
export function normaliseName(header: unknown): string {
  return String(header ?? "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

const CURRENCY_MARKS = /US\$|[$€£¥₹₽₩₺₴₪]/g;
const TRAILING_CODE = /[\s_-]+(?:in\s+)?([A-Z]{3})$/;

/** A header as matched against the synonyms: a currency in brackets or at the end left out. */
export function headerKey(header: unknown): string {
  const text = String(header ?? "")
    .replace(/\([^)]*\)|\[[^\]]*\]/g, " ")
    .replace(CURRENCY_MARKS, " ")
    .trim()
    .replace(TRAILING_CODE, (whole, code: string) => (CURRENCY_CODES.has(code) ? "" : whole));
  return normaliseName(text);
}

/** The currency a header names ("Amount (EUR)" → "EUR", "Sales ($)" → "$"), if any. */
export function headerCurrency(header: unknown): string | undefined {
  const text = String(header ?? "");
  const bracket = /[([]\s*(US\$|[$€£¥₹₽₩₺₴₪]|[A-Z]{3})\s*[)\]]/.exec(text);
  if (bracket !== null && (bracket[1].length !== 3 || CURRENCY_CODES.has(bracket[1]))) return bracket[1];
  const code = TRAILING_CODE.exec(text.trim());
  if (code !== null && CURRENCY_CODES.has(code[1]) && headerKey(text) !== "") return code[1];
  const mark = /US\$|[$€£¥₹₽₩₺₴₪]/.exec(text);
  return mark === null ? undefined : mark[0];
}

/** True when a header names a column this module knows: a role, personal or demographic data, a campaign KPI. */
export function isKnownHeader(header: string): boolean {
  const key = headerKey(header);
  if (key === "") return false;
  return Object.values(ROLE_NAMES).some((names) => names.includes(key)) || PII_NAMES.includes(key) || DEMOGRAPHIC_NAMES.includes(key) || campaignFieldOf(header) !== null;
}

/** Where one table was found. */
export interface FoundTable {
  readonly kind: TableKind;
  readonly sheet: string;
  /** Column index (0-based, in the sheet's rows) of each role found. */
  readonly columns: Readonly<Partial<Record<ColumnRole, number>>>;
  /** How it was found, for the report's provenance ("sheet name and headers", "headers", "content", "given"). */
  readonly how: string;
  /** Excel row number of the header row. */
  readonly headerRow: number;
  /** The headers as the user typed them, by column index. */
  readonly headers: readonly string[];
  /** Invoice lines: the value is quantity × unit price (or a line total) and lines of one order number are one order. */
  readonly lines?: boolean;
  /** Roles read from the columns' content because no header names them. */
  readonly guessed?: readonly ColumnRole[];
  /** The currency the value header names ("Amount (EUR)"). */
  readonly currency?: string;
  /** What was read, in plain words: `sheet "Sales", header in row 3: read Client as the customer id, …`. */
  readonly description: string;
}

/** What the caller decides: a sheet per kind, column headers per role (by header text), the header row. */
export interface DetectionOverrides {
  readonly sheets?: Partial<Record<TableKind, string>>;
  readonly columns?: Partial<Record<TableKind, Partial<Record<ColumnRole, string>>>>;
  /** Excel row number of the header row: one number for every sheet, or per kind of table. */
  readonly headerRow?: number | Partial<Record<TableKind, number>>;
}

/** Column of a role: the first header whose name is the role's most specific synonym. */
function findRole(keys: readonly string[], role: ColumnRole, taken: ReadonlySet<number>): number {
  for (const name of ROLE_NAMES[role]) {
    const index = keys.findIndex((key, i) => key === name && !taken.has(i));
    if (index >= 0) return index;
  }
  return -1;
}

function headerList(layout: SheetLayout, sheet: SheetCells): string {
  const shown = layout.headers.filter((header) => header !== "");
  return `headers in row ${excelRowOf(sheet, layout.headerIndex)}: ${shown.join(", ") || "none"}`;
}

/** The column a caller names by its header (as typed, or compared normalised). */
function givenColumn(layout: SheetLayout, sheet: SheetCells, header: string, role: ColumnRole): number {
  const wanted = header.trim().toLowerCase();
  let index = layout.headers.findIndex((typed) => typed.toLowerCase() === wanted);
  if (index < 0) index = layout.headers.findIndex((typed) => normaliseName(typed) === normaliseName(header) && normaliseName(header) !== "");
  if (index < 0) index = layout.headers.findIndex((typed) => headerKey(typed) === headerKey(header) && headerKey(header) !== "");
  if (index < 0) {
    throw new EngineError("INVALID_INPUT", `Sheet "${sheet.name}" has no column "${header}" (${headerList(layout, sheet)})`, { argument: role });
  }
  return index;
}

/** A table's columns, or null when they are not all there. */
interface Match {
  readonly columns: Partial<Record<ColumnRole, number>>;
  readonly lines?: boolean;
  readonly guessed: readonly ColumnRole[];
}

/** When roles may be read from content: never, when headers name two roles of the table, always. */
type ContentUse = "never" | "partial" | "always";

function rolesOf(sheet: SheetCells, layout: SheetLayout, roles: readonly ColumnRole[], given: Partial<Record<ColumnRole, string>> | undefined, optional: readonly ColumnRole[] = []): Partial<Record<ColumnRole, number>> | null {
  const keys = layout.headers.map(headerKey);
  const taken = new Set<number>();
  const columns: Partial<Record<ColumnRole, number>> = {};
  // Given columns first, so a guess never takes a column the caller named for another role.
  for (const role of [...roles, ...optional]) {
    const header = given?.[role];
    if (header === undefined) continue;
    columns[role] = givenColumn(layout, sheet, header, role);
    taken.add(columns[role]);
  }
  for (const role of [...roles, ...optional]) {
    if (columns[role] !== undefined) continue;
    const index = findRole(keys, role, taken);
    if (index < 0) {
      if (roles.includes(role)) return null;
      continue;
    }
    columns[role] = index;
    taken.add(index);
  }
  return columns;
}

/** Rows looked at to read a column's content. */
const CONTENT_SAMPLE_ROWS = 200;
// Serials of 1990-01-01 and 2100-01-01: plain numbers in this range may be dates.
const SERIAL_1990 = 32874;
const SERIAL_2100 = 73051;
const AMOUNT_TEXT = /^\(?[-\u2212+]?\s*(?:[A-Z]{3}|US\$|[$€£¥₹₽])?\s*[-\u2212]?\d[\d.,'\s\u00a0]*\s*(?:[A-Z]{3}|[$€£¥₹₽]|zł|kr)?\)?$/;

/**
 * Columns for the missing roles of an orders table, read from their content: a column of dates, a
 * column of amounts (mostly positive, preferring fractions) and an id column with repeats.
 */
function inferOrderRoles(sheet: SheetCells, layout: SheetLayout, missing: readonly ColumnRole[], taken: ReadonlySet<number>): Partial<Record<ColumnRole, number>> | null {
  const sample: number[] = [];
  for (let r = layout.dataStart; r < layout.dataEnd && sample.length < CONTENT_SAMPLE_ROWS; r++) {
    if (!isBlankRow(sheet, r) && !isTotalLabel((sheet.rows[r] ?? []).find((cell) => !isBlankValue(cell)))) sample.push(r);
  }
  if (sample.length < 2) return null;
  const width = Math.max(layout.headers.length, ...sample.map((r) => sheet.rows[r]?.length ?? 0));
  const used = new Set(taken);
  const stats = [];
  for (let c = 0; c < width; c++) {
    const cells = sample.map((r) => cellAt(sheet, r, c)).filter((cell) => !isBlankValue(cell));
    if (cells.length < sample.length * 0.9) continue;
    const textDates = cells.every(looksLikeDateText);
    const serials = cells.every((cell) => typeof cell === "number" && cell >= SERIAL_1990 && cell < SERIAL_2100);
    const amounts = cells.every((cell) => typeof cell === "number" || (typeof cell === "string" && AMOUNT_TEXT.test(cell.trim())));
    const positive = cells.filter((cell) => (typeof cell === "number" ? cell >= 0 : !/^[(\-\u2212]/.test(String(cell).trim()))).length / cells.length;
    const fractions = cells.filter((cell) => (typeof cell === "number" ? !Number.isInteger(cell) : /[.,]\d{1,2}\D*$/.test(String(cell)))).length / cells.length;
    const ids = cells.every((cell) => typeof cell === "string" || (typeof cell === "number" && Number.isInteger(cell)));
    const repeats = new Set(cells.map((cell) => String(cell).trim())).size < cells.length;
    stats.push({ c, textDates, serials, amounts, positive, fractions, ids, repeats });
  }
  const out: Partial<Record<ColumnRole, number>> = {};
  if (missing.includes("orderDate")) {
    const free = stats.filter((stat) => !used.has(stat.c));
    const text = free.find((stat) => stat.textDates);
    const serials = free.filter((stat) => stat.serials);
    const chosen = text ?? (serials.length === 1 ? serials[0] : undefined);
    if (chosen === undefined) return null;
    out.orderDate = chosen.c;
    used.add(chosen.c);
  }
  if (missing.includes("orderValue")) {
    const free = stats.filter((stat) => !used.has(stat.c) && stat.amounts && !stat.textDates && stat.positive >= 0.8);
    // Amounts usually have cents and sit right of the ids: the most fractional, then the rightmost.
    const chosen = free.sort((a, b) => b.fractions - a.fractions || b.c - a.c)[0];
    if (chosen === undefined || (chosen.fractions === 0 && free.length > 1)) return null;
    out.orderValue = chosen.c;
    used.add(chosen.c);
  }
  if (missing.includes("customerId")) {
    const chosen = stats.find((stat) => !used.has(stat.c) && stat.ids && stat.repeats && !stat.textDates && stat.fractions === 0);
    if (chosen === undefined) return null;
    out.customerId = chosen.c;
    used.add(chosen.c);
  }
  return out;
}

function matchOrders(sheet: SheetCells, layout: SheetLayout, given: Partial<Record<ColumnRole, string>> | undefined, content: ContentUse): Match | null {
  const keys = layout.headers.map(headerKey);
  // An orders table has no channel column (that would be a touchpoint log), no lead id (a lead
  // table or log) and no answer to "would you recommend us" (a survey).
  if (given === undefined && findRole(keys, "channel", new Set()) >= 0) return null;
  if (given === undefined && keys.some((key) => STRICT_LEAD_IDS.includes(key) || isRecommendHeader(key))) return null;
  const all: readonly ColumnRole[] = ["customerId", "orderDate", "orderValue", "orderId", "quantity", "unitPrice"];
  const columns: Partial<Record<ColumnRole, number>> = {};
  const taken = new Set<number>();
  for (const role of all) {
    const header = given?.[role];
    if (header === undefined) continue;
    columns[role] = givenColumn(layout, sheet, header, role);
    taken.add(columns[role]);
  }
  const find = (role: ColumnRole): void => {
    if (columns[role] !== undefined) return;
    const index = findRole(keys, role, taken);
    if (index >= 0) {
      columns[role] = index;
      taken.add(index);
    }
  };
  // Invoice lines: a quantity and a unit price; the value is their product unless a line total is there.
  find("quantity");
  find("unitPrice");
  const lines = columns.quantity !== undefined && columns.unitPrice !== undefined;
  if (!lines) {
    for (const role of ["quantity", "unitPrice"] as const) {
      if (columns[role] !== undefined && given?.[role] === undefined) taken.delete(columns[role]);
      delete columns[role];
    }
  }
  find("customerId");
  find("orderDate");
  find("orderValue");
  if (lines) find("orderId");
  const needed: ColumnRole[] = lines ? ["customerId", "orderDate"] : ["customerId", "orderDate", "orderValue"];
  const missing = needed.filter((role) => columns[role] === undefined);
  if (missing.length === 0) return { columns, lines: lines || undefined, guessed: [] };
  const byHeader = needed.length - missing.length;
  if (content === "never" || (content === "partial" && byHeader < 2)) return null;
  const inferred = inferOrderRoles(sheet, layout, missing, taken);
  if (inferred === null) return null;
  return { columns: { ...columns, ...inferred }, lines: lines || undefined, guessed: missing };
}

function matches(kind: TableKind, sheet: SheetCells, layout: SheetLayout, given: Partial<Record<ColumnRole, string>> | undefined, content: ContentUse): Match | null {
  const keys = layout.headers.map(headerKey);
  if (layout.headers.every((header) => header === "")) return null;
  let hasData = false;
  for (let r = layout.dataStart; r < layout.dataEnd && !hasData; r++) hasData = !isBlankRow(sheet, r);
  if (!hasData) return null;
  const plain = (columns: Partial<Record<ColumnRole, number>> | null): Match | null => (columns === null ? null : { columns, guessed: [] });
  switch (kind) {
    case "orders":
      return matchOrders(sheet, layout, given, content);
    case "touchpoints":
      return plain(rolesOf(sheet, layout, REQUIRED_ROLES.touchpoints, given, ["stage", "content"]));
    case "spend": {
      if (given === undefined && (findRole(keys, "customerId", new Set()) >= 0 || matches("campaigns", sheet, layout, undefined, "never") !== null)) return null;
      return plain(rolesOf(sheet, layout, REQUIRED_ROLES.spend, given, ["period"]));
    }
    case "customers": {
      // A table of leads (a "Lead ID" column) may name the customer each became: it is the leads'.
      if (given === undefined && keys.some((key) => STRICT_LEAD_IDS.includes(key))) return null;
      const id = rolesOf(sheet, layout, ["customerId"], given);
      if (id === null) return null;
      const described = keys.some((key) => PII_NAMES.includes(key) || DEMOGRAPHIC_NAMES.includes(key));
      const hasOrders = findRole(keys, "orderValue", new Set()) >= 0 && findRole(keys, "orderDate", new Set()) >= 0;
      return given !== undefined || (described && !hasOrders) ? plain(id) : null;
    }
    case "campaigns": {
      const fields = new Set(layout.headers.map((header) => campaignFieldOf(header)).filter((field) => field !== null));
      return fields.has("label") && fields.size >= 4 ? plain({}) : null;
    }
    default:
      return matchExtra(kind, sheet, layout, keys, given);
  }
}

/** Lead ids as a leads table names them: a "Lead ID" is never a customer id. */
const STRICT_LEAD_IDS = ["leadid", "leadno", "leadnumber", "leadcode", "prospectid", "leadkey"];
/** Answers to "How likely are you to recommend us?" named so plainly that no other table has them. */
function isRecommendHeader(key: string): boolean {
  return key.includes("recommend") || /^nps/.test(key) || key === "ltr";
}

/** A linked customer id in a leads table: a header saying customer (or client) and id, not an e-mail. */
function linkedCustomerColumn(keys: readonly string[], taken: ReadonlySet<number>): number {
  return keys.findIndex((key, i) => !taken.has(i) && /customer|client/.test(key) && /(id|no|number|code)$|^(customer|client)$/.test(key));
}

/** Non-blank cells of a column in the first rows of the data. */
function sampleCells(sheet: SheetCells, layout: SheetLayout, column: number): unknown[] {
  const cells: unknown[] = [];
  for (let r = layout.dataStart; r < layout.dataEnd && cells.length < CONTENT_SAMPLE_ROWS; r++) {
    const cell = cellAt(sheet, r, column);
    if (!isBlankValue(cell) && !isTotalLabel(cell)) cells.push(cell);
  }
  return cells;
}

/** True when a column's first cells are answers on the 0–10 scale (numbers or numeric text). */
function looksLikeScores(sheet: SheetCells, layout: SheetLayout, column: number): boolean {
  const cells = sampleCells(sheet, layout, column);
  return cells.length > 0 && cells.every((cell) => {
    const value = typeof cell === "number" ? cell : Number(String(cell).trim());
    return Number.isInteger(value) && value >= 0 && value <= 10;
  });
}

/** True when a column holds a few labels (test and control groups), not one value per row. */
function looksLikeGroups(sheet: SheetCells, layout: SheetLayout, column: number): boolean {
  const cells = sampleCells(sheet, layout, column);
  return cells.length > 0 && new Set(cells.map((cell) => String(cell).trim().toLowerCase())).size <= 4;
}

/**
 * The kinds of issue 15: leads (a lead id and profile columns), lead events (a lead id, a date and
 * an event or points), survey answers (a 0–10 score), referrals (a referring customer, or a
 * customer id and a count), experiments (a customer id and a test/control group) and a channel →
 * stage table. Given columns (the caller's) are taken as they are.
 */
function matchExtra(kind: TableKind, sheet: SheetCells, layout: SheetLayout, keys: readonly string[], given: Partial<Record<ColumnRole, string>> | undefined): Match | null {
  const plain = (columns: Partial<Record<ColumnRole, number>> | null): Match | null => (columns === null ? null : { columns, guessed: [] });
  const has = (role: ColumnRole): boolean => findRole(keys, role, new Set()) >= 0;
  switch (kind) {
    case "leads": {
      // A lead table with event columns is the events' log.
      if (given === undefined && (has("event") || has("points"))) return null;
      const columns = rolesOf(sheet, layout, ["leadId"], given, ["createdDate"]);
      if (columns === null) return null;
      if (given?.customerId !== undefined) columns.customerId = givenColumn(layout, sheet, given.customerId, "customerId");
      else {
        const linked = linkedCustomerColumn(keys, new Set(Object.values(columns)));
        if (linked >= 0) columns.customerId = linked;
      }
      // Leads are described by more than their id.
      return given !== undefined || layout.headers.filter((header) => header !== "").length >= 2 ? plain(columns) : null;
    }
    case "leadEvents": {
      const columns = rolesOf(sheet, layout, ["leadId", "eventDate"], given, ["event", "points"]);
      if (columns === null) return null;
      return given !== undefined || columns.event !== undefined || columns.points !== undefined ? plain(columns) : null;
    }
    case "survey": {
      const taken = new Set<number>();
      const columns: Partial<Record<ColumnRole, number>> = {};
      if (given?.score !== undefined) columns.score = givenColumn(layout, sheet, given.score, "score");
      else {
        // Plain words first ("Likelihood to recommend"), then any header speaking of recommending.
        let index = findRole(keys, "score", taken);
        if (index < 0) index = keys.findIndex(isRecommendHeader);
        if (index < 0 || (given === undefined && !looksLikeScores(sheet, layout, index))) return null;
        columns.score = index;
      }
      taken.add(columns.score);
      const rest = rolesOf(sheet, layout, [], given, ["customerId", "responseDate"]);
      for (const role of ["customerId", "responseDate"] as const) {
        const index = rest?.[role];
        if (index !== undefined && !taken.has(index)) columns[role] = index;
      }
      return plain(columns);
    }
    case "referrals": {
      const columns = rolesOf(sheet, layout, [], given, ["referrer", "referrals", "customerId"]);
      if (columns === null) return null;
      if (columns.referrer !== undefined) delete columns.customerId;
      return columns.referrer !== undefined || (columns.customerId !== undefined && columns.referrals !== undefined) ? plain(columns) : null;
    }
    case "experiments": {
      const columns = rolesOf(sheet, layout, ["customerId", "group"], given, ["campaign", "assignedDate", "converted", "revenue"]);
      if (columns === null) return null;
      return given !== undefined || looksLikeGroups(sheet, layout, columns.group!) ? plain(columns) : null;
    }
    case "stages": {
      if (given === undefined && (has("customerId") || has("spend"))) return null;
      return plain(rolesOf(sheet, layout, ["channel", "stage"], given));
    }
    default:
      return null;
  }
}

function describeTable(kind: TableKind, sheet: SheetCells, layout: SheetLayout, match: Match): string {
  const where = `sheet "${sheet.name}", headers in row ${excelRowOf(sheet, layout.headerIndex)}${layout.how === "first row" ? "" : ` (${layout.how})`}`;
  const name = (column: number): string => layout.headers[column] || `column ${columnLettersOf(sheet, column)}`;
  const columns = match.columns;
  const parts: string[] = [];
  const say = (role: ColumnRole): void => {
    const column = columns[role];
    if (column !== undefined) parts.push(`${name(column)} as ${ROLE_WORDS[role]}`);
  };
  if (kind === "orders" && match.lines) {
    say("orderId");
    say("customerId");
    say("orderDate");
    if (columns.orderValue !== undefined) say("orderValue");
    else parts.push(`${name(columns.quantity!)} × ${name(columns.unitPrice!)} as the order value`);
  } else if (kind === "campaigns") {
    parts.push(`the campaign table (${layout.headers.filter((header) => header !== "").join(", ")})`);
  } else {
    for (const role of Object.keys(ROLE_WORDS) as ColumnRole[]) say(role);
  }
  const list = parts.length <= 1 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
  let text = `${where}: read ${list}`;
  if (match.lines) text += columns.orderId === undefined ? "; each line is an order" : `; lines with one ${name(columns.orderId)} are one order`;
  if (match.guessed.length > 0) text += ` (${match.guessed.map((role) => name(columns[role]!)).join(", ")} read from ${match.guessed.length === 1 ? "its" : "their"} content, not ${match.guessed.length === 1 ? "its header" : "their headers"})`;
  return text;
}

/**
 * Finds each kind of table in the sheets: a sheet named for the kind ("Orders", "Sales 2025") whose
 * headers fit wins; otherwise the first sheet whose headers fit; an orders table whose headers say
 * nothing is last looked for by content. A sheet is used for one kind only. Each sheet's header row
 * is found below title and blank rows (see {@link sheetLayout}) unless the caller gives it.
 *
 * @param sheets the workbook's sheets.
 * @param overrides sheets, columns (by header) and header rows given by the caller; used as given.
 * @returns the tables found, by kind (a kind with no fitting sheet is absent).
 * @throws EngineError INVALID_INPUT when a given sheet, column or header row does not exist or does
 *   not fit.
 */
export function detectTables(sheets: readonly SheetCells[], overrides: DetectionOverrides = {}): Partial<Record<TableKind, FoundTable>> {
  const found: Partial<Record<TableKind, FoundTable>> = {};
  const used = new Set<string>();
  const byName = new Map(sheets.map((sheet) => [sheet.name.toLowerCase(), sheet]));
  const cache = new Map<SheetCells, Map<number | undefined, SheetLayout | null>>();
  const headerRowOf = (kind: TableKind): number | undefined => (typeof overrides.headerRow === "number" ? overrides.headerRow : overrides.headerRow?.[kind]);
  const layoutOf = (sheet: SheetCells, kind: TableKind): SheetLayout | null => {
    const row = headerRowOf(kind);
    let bySheet = cache.get(sheet);
    if (bySheet === undefined) cache.set(sheet, (bySheet = new Map()));
    if (!bySheet.has(row)) bySheet.set(row, sheetLayout(sheet, isKnownHeader, row));
    return bySheet.get(row)!;
  };
  const record = (kind: TableKind, sheet: SheetCells, layout: SheetLayout, match: Match, how: string): void => {
    const valueColumn = match.columns.orderValue ?? match.columns.unitPrice ?? match.columns.conversion ?? match.columns.spend ?? match.columns.revenue;
    const currency = valueColumn === undefined ? undefined : headerCurrency(layout.headers[valueColumn]);
    found[kind] = {
      kind,
      sheet: sheet.name,
      columns: match.columns,
      how,
      headerRow: excelRowOf(sheet, layout.headerIndex),
      headers: layout.headers,
      ...(match.lines ? { lines: true } : {}),
      ...(match.guessed.length > 0 ? { guessed: match.guessed } : {}),
      ...(currency === undefined ? {} : { currency }),
      description: describeTable(kind, sheet, layout, match),
    };
    used.add(sheet.name);
  };
  for (const kind of TABLE_KINDS) {
    const givenSheet = overrides.sheets?.[kind];
    if (givenSheet === undefined) continue;
    const sheet = byName.get(givenSheet.toLowerCase());
    if (sheet === undefined) {
      throw new EngineError("INVALID_INPUT", `There is no sheet "${givenSheet}" for the ${KIND_WORDS[kind]} (sheets: ${sheets.map((s) => s.name).join(", ")})`, { argument: `${kindFlagName(kind)}-sheet` });
    }
    const layout = layoutOf(sheet, kind);
    if (layout === null) {
      throw new EngineError("INVALID_INPUT", `Sheet "${sheet.name}" has no row ${headerRowOf(kind)} to read the headers from (it has rows ${sheet.firstRow ?? 1} to ${excelRowOf(sheet, sheet.rows.length - 1)})`, { argument: "header_row" });
    }
    const match = matches(kind, sheet, layout, overrides.columns?.[kind] ?? {}, "always");
    if (match === null) {
      throw new EngineError("INVALID_INPUT", `Sheet "${sheet.name}" does not look like ${KIND_WORDS[kind]}: ${describeNeeds(kind)} (${headerList(layout, sheet)})`, { argument: `${kindFlagName(kind)}-sheet` });
    }
    record(kind, sheet, layout, match, "given");
  }
  const search = (kind: TableKind, pools: readonly (readonly [readonly SheetCells[], string, ContentUse])[]): void => {
    const given = overrides.columns?.[kind];
    for (const [pool, how, content] of pools) {
      for (const sheet of pool) {
        if (used.has(sheet.name)) continue;
        const layout = layoutOf(sheet, kind);
        const match = layout === null ? null : matches(kind, sheet, layout, given, content);
        if (layout !== null && match !== null) {
          record(kind, sheet, layout, match, match.guessed.length > 0 && how !== "content" ? `${how} and content` : how);
          return;
        }
      }
    }
  };
  // Touchpoints before orders: a log with a channel column is never taken for orders.
  // Campaigns before spend: a campaign table has spend and channel columns too.
  for (const kind of ["touchpoints", "orders", "campaigns", "spend", "customers"] as const) {
    if (found[kind]) continue;
    const named = sheets.filter((sheet) => SHEET_NAME_HINTS[kind].some((hint) => normaliseName(sheet.name).includes(hint)));
    search(kind, [
      [named, "sheet name and headers", kind === "orders" ? "always" : "never"],
      [sheets, "headers", kind === "orders" ? "partial" : "never"],
    ]);
  }
  // Orders whose headers say nothing: the last sheet left with a date, an amount and a repeating id column.
  if (!found.orders) search("orders", [[sheets, "content", "always"]]);
  // The kinds of issue 15 only on the sheets the core kinds left, so that they never change what
  // the core kinds find. Lead events before leads: an events log has a lead id too.
  for (const kind of ["leadEvents", "leads", "survey", "experiments", "referrals", "stages"] as const) {
    if (found[kind]) continue;
    const named = sheets.filter((sheet) => SHEET_NAME_HINTS[kind].some((hint) => normaliseName(sheet.name).includes(hint)));
    search(kind, [
      [named, "sheet name and headers", "never"],
      [sheets, "headers", "never"],
    ]);
  }
  // Referrals as a column of the customers table ("Referrals", "Friends referred"): that sheet
  // is read for both.
  const customers = found.customers;
  const customerSheet = customers && sheets.find((sheet) => sheet.name === customers.sheet);
  if (!found.referrals && customers && customerSheet) {
    const layout = layoutOf(customerSheet, "customers");
    const given = overrides.columns?.referrals?.referrals;
    const keys = customers.headers.map(headerKey);
    const column = layout === null ? -1 : given !== undefined ? givenColumn(layout, customerSheet, given, "referrals") : findRole(keys, "referrals", new Set([customers.columns.customerId ?? -1]));
    if (column >= 0 && customers.columns.customerId !== undefined) {
      const name = (index: number): string => customers.headers[index] || `column ${columnLettersOf(customerSheet, index)}`;
      found.referrals = {
        kind: "referrals",
        sheet: customers.sheet,
        columns: { customerId: customers.columns.customerId, referrals: column },
        how: "a column of the customers table",
        headerRow: customers.headerRow,
        headers: customers.headers,
        description: `sheet "${customers.sheet}", headers in row ${customers.headerRow}: read ${name(customers.columns.customerId)} as the customer id and ${name(column)} as ${ROLE_WORDS.referrals} (a column of the customers table)`,
      };
    }
  }
  return found;
}

/** A kind in words: "lead events", "survey answers". */
export const KIND_WORDS: Readonly<Record<TableKind, string>> = {
  orders: "orders",
  customers: "customers",
  touchpoints: "touchpoints",
  campaigns: "campaigns",
  spend: "spend",
  leads: "leads",
  leadEvents: "lead events",
  survey: "survey answers",
  referrals: "referrals",
  experiments: "experiment groups",
  stages: "channel stages",
};

/** What a kind of table needs, for messages. */
export function describeNeeds(kind: TableKind): string {
  switch (kind) {
    case "orders":
      return "it needs a customer id, an order date and an order value column (or quantity and unit price columns)";
    case "touchpoints":
      return "it needs customer id, timestamp, channel and conversion (value) columns";
    case "spend":
      return "it needs channel and spend columns (and a month column when spend is by month)";
    case "customers":
      return "it needs a customer id column and personal or demographic columns (name, email, age band, region…)";
    case "campaigns":
      return "it needs a campaign name column and at least three KPI columns (sent, opens, clicks, spend…)";
    case "leads":
      return "it needs a lead id column and profile columns (company, industry, employees, job title…), optionally the date created and the customer id a lead became";
    case "leadEvents":
      return "it needs lead id, date and event (or points) columns";
    case "survey":
      return "it needs a column of 0–10 answers to \"How likely are you to recommend us?\" (optionally customer id and date)";
    case "referrals":
      return "it needs a referring customer column (one row per referral), or customer id and referral count columns";
    case "experiments":
      return "it needs customer id and group (test or control) columns, optionally campaign and assignment date";
    case "stages":
      return "it needs channel and stage columns";
  }
}

/** The business's data as builder inputs, from the tables found. */
export interface BusinessData {
  /**
   * The data's currency and where it was read: the orders' value column (its header, then its cells'
   * number format, then its money text), else the spend amounts, else the touchpoints' conversion
   * values. Absent when none of them names one.
   */
  readonly currency?: CurrencyFinding;
  readonly orders: OrdersInput | null;
  readonly customers: CustomersInput | null;
  /** The touchpoint log, with its stage and content columns when it has them. */
  readonly touchpoints: (TouchpointsInput & TouchpointExtras) | null;
  readonly campaigns: CampaignsInput | null;
  readonly spend: SpendInput | null;
  /** Leads with profile columns (the Leads tab). */
  readonly leads?: LeadsInput | null;
  /** Leads' engagement events (the Leads tab). */
  readonly leadEvents?: LeadEventsInput | null;
  /** NPS survey answers (the Scorecard's Champions). */
  readonly survey?: SurveyInput | null;
  /** Referral counts (the Scorecard's Champions). */
  readonly referrals?: ReferralsInput | null;
  /** Holdout experiments: customers in test and control groups (the Experiments tab). */
  readonly experiments?: ExperimentsInput | null;
  /** A channel → buyer-journey stage table (the Journey tab, when touches carry no stage). */
  readonly stages?: StagesInput | null;
  /**
   * Excel row number of each row handed to the builders, by kind, so that a builder's "row 17"
   * (1-based) can be shown as the sheet row: `rowNumbers.orders[16]`. For the campaigns, whose table
   * includes its header row, the first number is the header's row.
   */
  readonly rowNumbers?: Partial<Record<TableKind, readonly number[]>>;
}

/** A currency and where it was read, in words for the tabs' provenance. */
export interface CurrencyFinding {
  /** A symbol or ISO 4217 code: "€", "$", "CHF". */
  readonly currency: string;
  /** Where it was read: "the header of Orders column C", "the number format of Orders column C". */
  readonly from: string;
}

const CURRENCY_SYMBOL = /^(?:US\$|[$€£¥₹₽₩₺₴₪]|kr|zł|Kč|Ft|Fr\.|R\$)$/;

/** A currency symbol or ISO code as written, or undefined when the text is neither. */
function currencyName(text: string): string | undefined {
  const trimmed = text.trim();
  if (CURRENCY_SYMBOL.test(trimmed)) return trimmed;
  const code = trimmed.toUpperCase();
  return /^[A-Z]{3}$/.test(trimmed) && CURRENCY_CODES.has(code) ? code : undefined;
}

/**
 * The currency an Excel number format shows, from its first (positive) section: a locale tag's
 * symbol (`[$€-x-euro2] #,##0.00` → "€", `[$EUR] #,##0` → "EUR", `[$$-409]#,##0.00` → "$"), a quoted
 * symbol or code (`"€"#,##0.00`, `#,##0 "CHF"`), an escaped or bare symbol (`\£#,##0`, `$#,##0`).
 * A locale tag without a symbol (`[$-409]`) names none.
 *
 * @param format an Excel number format code, e.g. from {@link SheetCells.numberFormats}.
 * @returns the symbol or ISO code, or undefined when the format shows no currency.
 */
export function currencyOfNumberFormat(format: string | null | undefined): string | undefined {
  if (format === null || format === undefined) return undefined;
  // The first section, its quotes and brackets kept whole (a ";" inside quotes does not end it).
  const section = /^(?:"[^"]*"|\[[^\]]*\]|\\.|[^;])*/.exec(format)?.[0] ?? format;
  for (const tag of section.matchAll(/\[\$([^\]]*)\]/g)) {
    const symbol = tag[1].replace(/-[0-9A-Za-z-]*$/, "");
    const name = currencyName(symbol);
    if (name !== undefined) return name;
  }
  for (const quoted of section.matchAll(/"([^"]*)"/g)) {
    const name = currencyName(quoted[1]);
    if (name !== undefined) return name;
  }
  const bare = section.replace(/"[^"]*"|\[[^\]]*\]/g, " ");
  const escaped = /\\([$€£¥₹₽₩₺₴₪])/.exec(bare);
  if (escaped !== null) return escaped[1];
  const symbol = /[$€£¥₹₽₩₺₴₪]/.exec(bare);
  return symbol === null ? undefined : symbol[0];
}

/** How text in the data is read when the data cannot say (the user's choice). */
export interface ReadingOptions {
  /** Order of day and month in date text that no value disambiguates. */
  readonly dateOrder?: DateOrder;
  /** Decimal mark of money text that no value disambiguates. */
  readonly decimal?: DecimalMark;
}

function count(n: number, one: string, many: string = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

function rangeOf(sheet: SheetCells, layout: SheetLayout, lastRow: number): string {
  const width = Math.max(1, layout.headers.length);
  const name = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet.name) ? sheet.name : `'${sheet.name.replace(/'/g, "''")}'`;
  return `${name}!${columnLettersOf(sheet, 0)}${excelRowOf(sheet, layout.headerIndex)}:${columnLettersOf(sheet, width - 1)}${lastRow}`;
}

/** One table's rows as read: the data rows, their Excel rows, and the notes on what was left out. */
interface TableRows {
  readonly sheet: SheetCells;
  readonly layout: SheetLayout;
  readonly table: FoundTable;
  rows: number[];
  readonly notes: string[];
  /** Excel row of each of `rows`, computed once (cleared when `rows` changes). */
  excel?: number[];
}

function tableRows(sheets: readonly SheetCells[], table: FoundTable, labelColumn: number): TableRows {
  const sheet = sheets.find((candidate) => candidate.name === table.sheet);
  const layout = sheet && sheetLayout(sheet, isKnownHeader, table.headerRow);
  if (!sheet || !layout) throw new EngineError("INVALID_INPUT", `Sheet "${table.sheet}" has no row ${table.headerRow} to read the headers from`, { argument: "header_row" });
  const data = dataRowsOf(sheet, layout, labelColumn);
  const notes: string[] = [];
  if (data.blankRows.length > 0) notes.push(`${count(data.blankRows.length, "blank row")} skipped (${rowList(data.blankRows)})`);
  if (data.totalRows.length > 0) notes.push(`${count(data.totalRows.length, "total row")} left out (${rowList(data.totalRows)})`);
  if (data.headingRows.length > 0) notes.push(`${count(data.headingRows.length, "row")} repeating the header or title skipped (${rowList(data.headingRows)})`);
  return { sheet, layout, table, rows: [...data.rows], notes };
}

function cellsOf(t: TableRows, column: number | undefined): unknown[] {
  return t.rows.map((row) => (column === undefined ? null : cellAt(t.sheet, row, column)));
}

function placeOf(t: TableRows, column: number): ColumnPlace {
  const letters = columnLettersOf(t.sheet, column);
  return { sheet: t.sheet.name, header: t.layout.headers[column] || `column ${letters}`, letters, rows: excelRows(t) };
}

function dates(t: TableRows, column: number | undefined, options: ReadingOptions): unknown[] {
  if (column === undefined) return cellsOf(t, column);
  const reading = readDateColumn(cellsOf(t, column), placeOf(t, column), options.dateOrder);
  t.notes.push(...reading.notes);
  return reading.values;
}

function amounts(t: TableRows, column: number, options: ReadingOptions): { values: unknown[]; currency?: string } {
  const reading = readMoneyColumn(cellsOf(t, column), placeOf(t, column), options.decimal);
  t.notes.push(...reading.notes);
  return reading;
}

function excelRows(t: TableRows): number[] {
  t.excel ??= t.rows.map((row) => excelRowOf(t.sheet, row));
  return t.excel;
}

function lastRowOf(t: TableRows): number {
  return t.rows.length === 0 ? excelRowOf(t.sheet, t.layout.headerIndex) : excelRowOf(t.sheet, t.rows[t.rows.length - 1]);
}

/**
 * The currency of an amount column and where it was read: its header ("Amount (EUR)"), else its
 * cells' number format (`"€"#,##0.00`), else its money text ("1.458,30 €").
 */
function currencyOfColumn(t: TableRows, column: number, textCurrency: string | undefined): CurrencyFinding | undefined {
  const where = `${t.sheet.name} column ${columnLettersOf(t.sheet, column)}`;
  const header = headerCurrency(t.layout.headers[column]);
  if (header !== undefined) return { currency: header, from: `the header of ${where}` };
  const format = currencyOfNumberFormat(t.sheet.numberFormats?.[column]);
  if (format !== undefined) return { currency: format, from: `the number format of ${where}` };
  if (textCurrency !== undefined) return { currency: textCurrency, from: `the amounts written in ${where}` };
  return undefined;
}

/** A finite number from a cell already read as money, or an error naming sheet, row and column. */
function lineNumber(t: TableRows, i: number, column: number, value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  const place = placeOf(t, column);
  const shown = isBlankValue(value) ? "is blank; a number is required" : `"${String(value).trim()}" is not a number`;
  throw new EngineError("INVALID_INPUT", `Sheet "${t.sheet.name}", row ${place.rows[i]}, column ${place.header} (${place.letters}): ${shown}`);
}

/** Invoice lines as orders: lines of one order number summed, cancellations as refunds. */
function ordersFromLines(t: TableRows, options: ReadingOptions): { input: OrdersInput; rowNumbers: number[]; currency?: CurrencyFinding } {
  const columns = t.table.columns;
  const idColumn = columns.customerId!;
  const before = t.rows.length;
  t.rows = t.rows.filter((row) => !isBlankValue(cellAt(t.sheet, row, idColumn)));
  t.excel = undefined;
  if (t.rows.length < before) t.notes.push(`${count(before - t.rows.length, "row")} without a customer id skipped`);
  const ids = cellsOf(t, idColumn);
  const orderDates = dates(t, columns.orderDate, options);
  const orderIds = columns.orderId === undefined ? null : cellsOf(t, columns.orderId);
  let lineValues: number[];
  let currency: string | undefined;
  if (columns.orderValue !== undefined) {
    const value = amounts(t, columns.orderValue, options);
    currency = value.currency;
    lineValues = value.values.map((cell, i) => lineNumber(t, i, columns.orderValue!, cell));
  } else {
    const quantities = amounts(t, columns.quantity!, options).values;
    const prices = amounts(t, columns.unitPrice!, options);
    currency = prices.currency;
    lineValues = quantities.map((q, i) => lineNumber(t, i, columns.quantity!, q) * lineNumber(t, i, columns.unitPrice!, prices.values[i]));
  }
  const rows = excelRows(t);
  const order = new Map<string, number>();
  const out = { ids: [] as unknown[], dates: [] as unknown[], values: [] as number[], cancelled: [] as boolean[], rows: [] as number[] };
  lineValues.forEach((value, i) => {
    const key = orderIds === null || isBlankValue(orderIds[i]) ? null : String(orderIds[i]).trim();
    let at = key === null ? undefined : order.get(key);
    if (at === undefined) {
      at = out.values.length;
      if (key !== null) order.set(key, at);
      out.ids.push(ids[i]);
      out.dates.push(orderDates[i]);
      out.values.push(0);
      // Online-retail exports number a cancellation like its invoice with a leading C.
      out.cancelled.push(key !== null && /^c\d/i.test(key));
      out.rows.push(rows[i]);
    }
    out.values[at] += value;
  });
  let refunds = 0;
  const values = out.values.map((value, i) => {
    // Sums of lines carry binary rounding (6 × 2.55 = 15.299999999999999); cents are what was paid.
    const rounded = Math.round(value * 1e6) / 1e6;
    const signed = out.cancelled[i] ? -Math.abs(rounded) : rounded;
    if (signed < 0) refunds++;
    return signed;
  });
  const valueWords = columns.orderValue === undefined ? `${t.layout.headers[columns.quantity!]} × ${t.layout.headers[columns.unitPrice!]}` : t.layout.headers[columns.orderValue];
  t.notes.push(`${count(lineValues.length, "line")} read as ${count(values.length, "order")} (value = ${valueWords})`);
  if (refunds > 0) t.notes.push(`${count(refunds, "cancelled order")} read as ${refunds === 1 ? "a refund" : "refunds"} (negative value)`);
  const found = currencyOfColumn(t, columns.orderValue ?? columns.unitPrice!, currency);
  return {
    input: {
      source: rangeOf(t.sheet, t.layout, lastRowOf(t)),
      customerIds: out.ids,
      orderDates: out.dates,
      orderValues: values,
      readingNotes: t.notes,
      ...(found === undefined ? {} : { currency: found.currency }),
    },
    rowNumbers: out.rows,
    ...(found === undefined ? {} : { currency: found }),
  };
}

/**
 * Builder inputs from the sheets and the tables found in them: the data rows under each header
 * (blank rows skipped, total rows left out, each counted in the table's reading notes), text
 * columns read by column ({@link readDateColumn}, {@link readMoneyColumn}), invoice lines summed
 * into orders.
 *
 * @param sheets the workbook's sheets.
 * @param found what {@link detectTables} found.
 * @param options date order and decimal mark when the data cannot say.
 * @throws EngineError INVALID_INPUT naming sheet, column and rows when a column's text cannot be
 *   read (argument `date_order` or `decimal` when the user's choice would settle it), or an invoice
 *   line's quantity or price is not a number.
 */
export function businessDataOf(sheets: readonly SheetCells[], found: Partial<Record<TableKind, FoundTable>>, options: ReadingOptions = {}): BusinessData {
  const rowNumbers: Partial<Record<TableKind, readonly number[]>> = {};
  const rowsOf = (kind: TableKind, labelRole: ColumnRole | null): TableRows | null => {
    const table = found[kind];
    if (!table) return null;
    return tableRows(sheets, table, labelRole === null ? -1 : (table.columns[labelRole] ?? -1));
  };

  let orders: OrdersInput | null = null;
  const currencies: (CurrencyFinding | undefined)[] = [];
  const o = rowsOf("orders", "customerId");
  if (o !== null && o.table.lines) {
    const lines = ordersFromLines(o, options);
    orders = lines.input;
    rowNumbers.orders = lines.rowNumbers;
    currencies.push(lines.currency);
  } else if (o !== null) {
    const columns = o.table.columns;
    const orderDates = dates(o, columns.orderDate, options);
    const value = amounts(o, columns.orderValue!, options);
    const found = currencyOfColumn(o, columns.orderValue!, value.currency);
    currencies.push(found);
    const currency = found?.currency;
    orders = {
      source: rangeOf(o.sheet, o.layout, lastRowOf(o)),
      customerIds: cellsOf(o, columns.customerId),
      orderDates,
      orderValues: value.values,
      readingNotes: o.notes,
      ...(currency === undefined ? {} : { currency }),
    };
    rowNumbers.orders = excelRows(o);
  }

  let customers: CustomersInput | null = null;
  const c = rowsOf("customers", "customerId");
  if (c !== null) {
    const idColumn = c.table.columns.customerId!;
    customers = {
      source: rangeOf(c.sheet, c.layout, lastRowOf(c)),
      customerIds: cellsOf(c, idColumn),
      columns: c.layout.headers.flatMap((header, index) => {
        if (index === idColumn) return [];
        const name = normaliseName(header);
        const pii = PII_NAMES.includes(name) || name.includes("email") || name.includes("phone");
        const demographic = !pii && DEMOGRAPHIC_NAMES.includes(name);
        return [{ header: header || `Column ${index + 1}`, values: cellsOf(c, index), pii, demographic }];
      }),
      readingNotes: c.notes,
    };
    rowNumbers.customers = excelRows(c);
  }

  let touchpoints: (TouchpointsInput & TouchpointExtras) | null = null;
  let touchpointCurrency: CurrencyFinding | undefined;
  const t = rowsOf("touchpoints", "customerId");
  if (t !== null) {
    const columns = t.table.columns;
    const timestamps = dates(t, columns.timestamp, options);
    const conversionReading = amounts(t, columns.conversion!, options);
    const conversions = conversionReading.values;
    touchpoints = {
      source: rangeOf(t.sheet, t.layout, lastRowOf(t)),
      customerIds: cellsOf(t, columns.customerId),
      timestamps,
      channels: cellsOf(t, columns.channel),
      conversions,
      ...(columns.stage === undefined ? {} : { stages: cellsOf(t, columns.stage) }),
      ...(columns.content === undefined ? {} : { contents: cellsOf(t, columns.content) }),
      readingNotes: t.notes,
    };
    rowNumbers.touchpoints = excelRows(t);
    touchpointCurrency = currencyOfColumn(t, columns.conversion!, conversionReading.currency);
  }

  let campaigns: CampaignsInput | null = null;
  const k = rowsOf("campaigns", null);
  if (k !== null) {
    campaigns = {
      source: rangeOf(k.sheet, k.layout, lastRowOf(k)),
      table: [k.layout.headers, ...k.rows.map((row) => k.sheet.rows[row] ?? [])],
      readingNotes: k.notes,
    };
    rowNumbers.campaigns = [excelRowOf(k.sheet, k.layout.headerIndex), ...excelRows(k)];
  }

  let spend: SpendInput | null = null;
  const s = rowsOf("spend", "channel");
  if (s !== null) {
    const columns = s.table.columns;
    const periods = dates(s, columns.period, options);
    const spendReading = amounts(s, columns.spend!, options);
    const spendAmounts = spendReading.values;
    currencies.push(currencyOfColumn(s, columns.spend!, spendReading.currency));
    spend = {
      source: rangeOf(s.sheet, s.layout, lastRowOf(s)),
      periods,
      channels: cellsOf(s, columns.channel),
      amounts: spendAmounts,
      readingNotes: s.notes,
    };
    rowNumbers.spend = excelRows(s);
  }
  // Orders first, then spend; the touchpoints' conversion values last (often counts, not money).
  const currency = [...currencies, touchpointCurrency].find((found) => found !== undefined);
  const extra = extraDataOf(rowsOf, rowNumbers, options);
  return { orders, customers, touchpoints, campaigns, spend, ...extra, rowNumbers, ...(currency === undefined ? {} : { currency }) };
}

type ExtraData = Pick<BusinessData, "leads" | "leadEvents" | "survey" | "referrals" | "experiments" | "stages">;

/** The tables of issue 15 as builder inputs, read by the rules of the core tables. */
function extraDataOf(
  rowsOf: (kind: TableKind, labelRole: ColumnRole | null) => TableRows | null,
  rowNumbers: Partial<Record<TableKind, readonly number[]>>,
  options: ReadingOptions,
): ExtraData {
  const optional = (t: TableRows, role: ColumnRole, read: (column: number) => unknown[] = (column) => cellsOf(t, column)): unknown[] | undefined => {
    const column = t.table.columns[role];
    return column === undefined ? undefined : read(column);
  };
  const source = (t: TableRows): { source: string; readingNotes: string[] } => ({ source: rangeOf(t.sheet, t.layout, lastRowOf(t)), readingNotes: t.notes });
  const out: { -readonly [K in keyof ExtraData]: ExtraData[K] } = {};

  const l = rowsOf("leads", "leadId");
  if (l !== null) {
    const columns = l.table.columns;
    const own = new Set([columns.leadId, columns.customerId, columns.createdDate]);
    const customerIds = optional(l, "customerId");
    const createdDates = optional(l, "createdDate", (column) => dates(l, column, options));
    out.leads = {
      leadIds: cellsOf(l, columns.leadId),
      ...(customerIds === undefined ? {} : { customerIds }),
      ...(createdDates === undefined ? {} : { createdDates }),
      columns: l.layout.headers.flatMap((header, index) => (own.has(index) || header === "" ? [] : [{ header, values: cellsOf(l, index) }])),
      ...source(l),
    };
    rowNumbers.leads = excelRows(l);
  }

  const e = rowsOf("leadEvents", "leadId");
  if (e !== null) {
    const columns = e.table.columns;
    const events = optional(e, "event");
    const points = optional(e, "points");
    out.leadEvents = {
      leadIds: cellsOf(e, columns.leadId),
      dates: dates(e, columns.eventDate, options),
      ...(events === undefined ? {} : { events }),
      ...(points === undefined ? {} : { points }),
      ...source(e),
    };
    rowNumbers.leadEvents = excelRows(e);
  }

  const v = rowsOf("survey", "customerId");
  if (v !== null) {
    const customerIds = optional(v, "customerId");
    const answered = optional(v, "responseDate", (column) => dates(v, column, options));
    out.survey = {
      ...(customerIds === undefined ? {} : { customerIds }),
      scores: cellsOf(v, v.table.columns.score),
      ...(answered === undefined ? {} : { dates: answered }),
      ...source(v),
    };
    rowNumbers.survey = excelRows(v);
  }

  const x = rowsOf("experiments", "customerId");
  if (x !== null) {
    const columns = x.table.columns;
    const campaigns = optional(x, "campaign");
    const assigned = optional(x, "assignedDate", (column) => dates(x, column, options));
    const conversions = optional(x, "converted");
    const revenues = optional(x, "revenue", (column) => amounts(x, column, options).values);
    out.experiments = {
      customerIds: cellsOf(x, columns.customerId),
      ...(campaigns === undefined ? {} : { campaigns }),
      groups: cellsOf(x, columns.group),
      ...(assigned === undefined ? {} : { dates: assigned }),
      ...(conversions === undefined ? {} : { conversions }),
      ...(revenues === undefined ? {} : { revenues }),
      ...source(x),
    };
    rowNumbers.experiments = excelRows(x);
  }

  const r = rowsOf("referrals", "customerId");
  if (r !== null) {
    const columns = r.table.columns;
    // One row per referral when no count is given.
    const referrer = columns.referrer ?? columns.customerId;
    out.referrals = {
      customerIds: cellsOf(r, referrer),
      counts: columns.referrals === undefined ? r.rows.map(() => 1) : cellsOf(r, columns.referrals),
      ...source(r),
    };
    rowNumbers.referrals = excelRows(r);
  }

  const g = rowsOf("stages", "channel");
  if (g !== null) {
    out.stages = { channels: cellsOf(g, g.table.columns.channel), stages: cellsOf(g, g.table.columns.stage), ...source(g) };
    rowNumbers.stages = excelRows(g);
  }
  return out;
}

/** Engine argument → the table and column role the builders read it from. */
const ARGUMENT_SOURCES: Readonly<Record<string, readonly [TableKind, ColumnRole]>> = {
  customer_ids: ["orders", "customerId"],
  order_dates: ["orders", "orderDate"],
  order_values: ["orders", "orderValue"],
  timestamps: ["touchpoints", "timestamp"],
  channels: ["touchpoints", "channel"],
  conversions: ["touchpoints", "conversion"],
  spend_periods: ["spend", "period"],
  spend_channels: ["spend", "channel"],
  spend_amounts: ["spend", "spend"],
  stages: ["touchpoints", "stage"],
  contents: ["touchpoints", "content"],
  lead_ids: ["leads", "leadId"],
  lead_customer_ids: ["leads", "customerId"],
  created_dates: ["leads", "createdDate"],
  event_lead_ids: ["leadEvents", "leadId"],
  event_dates: ["leadEvents", "eventDate"],
  events: ["leadEvents", "event"],
  event_types: ["leadEvents", "event"],
  points: ["leadEvents", "points"],
  event_points: ["leadEvents", "points"],
  scores: ["survey", "score"],
  respondent_ids: ["survey", "customerId"],
  response_dates: ["survey", "responseDate"],
  survey_dates: ["survey", "responseDate"],
  referral_customer_ids: ["referrals", "customerId"],
  referral_counts: ["referrals", "referrals"],
  // "groups" is also ROCI's and NPS-by-group's argument: with an experiment sheet found, an error
  // about it points at the group column; experiment_groups is unambiguous.
  groups: ["experiments", "group"],
  experiment_groups: ["experiments", "group"],
  experiment_customer_ids: ["experiments", "customerId"],
  campaigns: ["experiments", "campaign"],
  assigned_dates: ["experiments", "assignedDate"],
  assignment_dates: ["experiments", "assignedDate"],
  converted: ["experiments", "converted"],
  revenues: ["experiments", "revenue"],
  stage_channels: ["stages", "channel"],
  stage_names: ["stages", "stage"],
};

/**
 * Where the cells behind an engine argument came from, so an error naming the argument and row can
 * name the sheet, row and column instead (the runner and the wizards both do).
 *
 * @param argument the engine argument of an EngineError (e.g. "order_dates").
 * @param attributing true while the Attribution tab reads the touchpoint log: customer_ids is then
 *   the log's column, not the orders'.
 * @returns the table kind and column role, or undefined for an argument no table column feeds.
 */
export function argumentSource(argument: string, attributing: boolean): readonly [TableKind, ColumnRole] | undefined {
  if (argument === "customer_ids" && attributing) return ["touchpoints", "customerId"];
  return ARGUMENT_SOURCES[argument];
}
