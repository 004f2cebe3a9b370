/**
 * Free names for what a writer creates in the user's workbook: worksheets ("Segmentation 2") and
 * Excel tables ("SegmentSummary_2"), by Excel's rules. One place for the headless runner's writer
 * (src/cli/xlsx) and the Office adapter (src/excel).
 */

/** Excel's limit on the length of a sheet name. */
export const MAX_SHEET_NAME_LENGTH = 31;

/** A name Excel accepts: no []:*?/\ characters, no leading or trailing apostrophe, not blank, at most 31 characters. */
function cleanSheetName(preferred: string): string {
  let name = Array.from(preferred, (ch) => (ch.charCodeAt(0) < 32 || "[]:*?/\\".includes(ch) ? " " : ch))
    .join("")
    .replace(/\s+/g, " ")
    .trim();
  name = name.replace(/^'+|'+$/g, "").trim();
  if (name === "") name = "Sheet";
  if (name.length > MAX_SHEET_NAME_LENGTH) name = name.slice(0, MAX_SHEET_NAME_LENGTH).trimEnd();
  return name;
}

/**
 * A free tab name: `preferred` if unused (compared case-insensitively, Excel's rule), else
 * "Segmentation 2", "Segmentation 3", ...; always within 31 characters and without []:*?/\
 * (replaced by spaces). "History" is reserved by Excel and treated as used.
 */
export function freeSheetName(existing: readonly string[], preferred: string): string {
  const used = new Set(existing.map((name) => name.toLowerCase()));
  used.add("history");
  const base = cleanSheetName(preferred);
  if (!used.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = ` ${n}`;
    const candidate = `${base.slice(0, MAX_SHEET_NAME_LENGTH - suffix.length).trimEnd()}${suffix}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

/**
 * A table name not used (case-insensitively) in the workbook: letters, digits and underscores,
 * starting with a letter or underscore, not a cell reference ("AB12", "R1C1") nor R or C; "Name_2" when taken.
 */
export function freeTableName(existing: readonly string[], preferred: string): string {
  const used = new Set(existing.map((name) => name.toLowerCase()));
  let base = preferred.replace(/[^A-Za-z0-9_]/g, "_");
  if (!/^[A-Za-z_]/.test(base)) base = `T_${base}`;
  // Not a cell reference (A1) nor R, C or an R1C1 reference, which Excel rejects as names.
  if (/^[A-Za-z]{1,3}[0-9]+$/.test(base) || /^[RrCc]$/.test(base) || /^[Rr][0-9]*[Cc][0-9]*$/.test(base)) base = `${base}_`;
  base = base.slice(0, 240);
  if (!used.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}
