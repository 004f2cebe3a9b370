/**
 * Finding a table's columns by their header names.
 *
 * Each input a command needs (customer id, order date, …) has a list of accepted header names; a
 * header matches when it is equal ignoring case, spaces, underscores, hyphens and dots ("Customer
 * ID", "customer_id" and "customerid" are one name). The user can name the column outright with a
 * flag (`--id-column "Client Nr"`). A missing column is one error line listing the headers found.
 * Used for CSV files here and, with the same table, for the sheets of a workbook.
 */

import { COLUMN_SYNONYMS, normaliseName } from "../../reports/detect";
import { CliError } from "../errors";

/** One input column a command looks for. */
export interface ColumnRole {
  /** Key of the role, e.g. `customer`. */
  readonly role: string;
  /** What the user reads in messages, e.g. `customer id`. */
  readonly label: string;
  /** Accepted header names, best first. */
  readonly synonyms: readonly string[];
  /** Flag that names the column outright, e.g. `--id-column`. */
  readonly flag: string;
  /** Default true. */
  readonly required?: boolean;
}

/** The columns of an order list (customer value, RFM). */
export const ORDER_COLUMNS = {
  customer: { role: "customer", label: "customer id", synonyms: COLUMN_SYNONYMS.customerId, flag: "--id-column" },
  date: { role: "date", label: "order date", synonyms: COLUMN_SYNONYMS.orderDate, flag: "--date-column" },
  value: { role: "value", label: "order value", synonyms: COLUMN_SYNONYMS.orderValue, flag: "--value-column" },
} as const satisfies Record<string, ColumnRole>;

/** The columns of journey path data (IMC.ATTRIBUTE). */
export const PATH_COLUMNS = {
  path: { role: "path", label: "path", synonyms: ["path", "journey", "channel_path", "paths", "journey_path"], flag: "--path-column" },
  conversions: { role: "conversions", label: "conversions", synonyms: ["total_conversions", "conversions", "conversion", "converted"], flag: "--conversions-column" },
  value: { role: "value", label: "conversion value", synonyms: ["total_conversion_value", "conversion_value", "value", "revenue"], flag: "--value-column", required: false },
  nulls: { role: "nulls", label: "non-converting journeys", synonyms: ["total_null", "nulls", "null_conversions", "total_nulls", "null"], flag: "--nulls-column", required: false },
} as const satisfies Record<string, ColumnRole>;

/** The columns of a touchpoint log (IMC.ATTRIBUTE.EVENTS). */
export const TOUCHPOINT_COLUMNS = {
  customer: ORDER_COLUMNS.customer,
  timestamp: { role: "timestamp", label: "timestamp", synonyms: COLUMN_SYNONYMS.timestamp, flag: "--time-column" },
  channel: { role: "channel", label: "channel", synonyms: COLUMN_SYNONYMS.channel, flag: "--channel-column" },
  conversion: { role: "conversion", label: "conversion value", synonyms: COLUMN_SYNONYMS.conversion, flag: "--conversion-column" },
} as const satisfies Record<string, ColumnRole>;

/** The columns of a channel (or stage) list with response curves (IMC.ALLOCATE). */
export const ALLOCATION_COLUMNS = {
  unit: { role: "unit", label: "unit", synonyms: ["unit", "channel", "stage", "name", "units"], flag: "--unit-column" },
  ceiling: { role: "ceiling", label: "ceiling", synonyms: ["ceiling", "ceilings", "max_response"], flag: "--ceiling-column" },
  halfSaturation: { role: "halfSaturation", label: "half-saturation spend", synonyms: ["half_saturation", "half_saturations", "halfsat", "half_saturation_spend"], flag: "--half-saturation-column" },
  shape: { role: "shape", label: "shape", synonyms: ["shape", "shapes", "hill_shape"], flag: "--shape-column", required: false },
  minSpend: { role: "minSpend", label: "minimum spend", synonyms: ["min_spend", "minimum_spend", "min"], flag: "--min-spend-column", required: false },
  maxSpend: { role: "maxSpend", label: "maximum spend", synonyms: ["max_spend", "maximum_spend", "max"], flag: "--max-spend-column", required: false },
  currentSpend: { role: "currentSpend", label: "current spend", synonyms: ["current_spend", "current", "spend"], flag: "--current-spend-column", required: false },
} as const satisfies Record<string, ColumnRole>;

/** A header name reduced for comparison: lower case, letters and digits only (as the workbook detection compares). */
export const normalizeHeader = normaliseName;

/**
 * Index of the column for `role` in `header`, or −1 when an optional role has none.
 *
 * @param header the header names as found.
 * @param role what to look for.
 * @param override a header name given by the user's flag (matched the same forgiving way), or undefined.
 * @param taken columns already assigned to other roles (a column serves one role).
 * @param file file name for the error.
 * @returns the 0-based column index, or −1.
 * @throws CliError when a required column (or an overridden one) is not found, listing the headers.
 */
export function findColumn(
  header: readonly string[],
  role: ColumnRole,
  override: string | undefined,
  taken: ReadonlySet<number>,
  file: string,
): number {
  const keys = header.map(normalizeHeader);
  const found = header.map((name) => `"${name}"`).join(", ");
  if (override !== undefined) {
    const index = keys.indexOf(normalizeHeader(override));
    if (index < 0) throw new CliError(`no column "${override}" (${role.flag}); the header has ${found}`, { file });
    return index;
  }
  for (const synonym of role.synonyms) {
    const key = normalizeHeader(synonym);
    const index = keys.findIndex((candidate, i) => candidate === key && !taken.has(i));
    if (index >= 0) return index;
  }
  if (role.required === false) return -1;
  throw new CliError(
    `no ${role.label} column (looked for ${role.synonyms.slice(0, 4).join(", ")}); the header has ${found}; name it with ${role.flag}`,
    { file },
  );
}

/**
 * Finds every role of `roles` in `header`, required ones first-come in the order given.
 *
 * @param header the header names.
 * @param roles the roles, by key.
 * @param overrides header names from the user's flags, by role key.
 * @param file file name for errors.
 * @returns the column index of each role (−1 for an optional role without a column).
 * @throws CliError as {@link findColumn}.
 */
export function findColumns<K extends string>(
  header: readonly string[],
  roles: Readonly<Record<K, ColumnRole>>,
  overrides: Readonly<Partial<Record<K, string>>>,
  file: string,
): Record<K, number> {
  const taken = new Set<number>();
  const result = {} as Record<K, number>;
  const keys = Object.keys(roles) as K[];
  // Overridden roles first, so that synonyms do not take a column the user assigned elsewhere.
  const ordered = [...keys.filter((key) => overrides[key] !== undefined), ...keys.filter((key) => overrides[key] === undefined)];
  for (const key of ordered) {
    const index = findColumn(header, roles[key], overrides[key], taken, file);
    result[key] = index;
    if (index >= 0) taken.add(index);
  }
  return result;
}
