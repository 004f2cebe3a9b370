/**
 * Free worksheet names: generated tabs never take a name the workbook already uses.
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
 * "Segmentation 2", "Segmentation 3", ...; always within Excel's 31-character limit and without
 * the characters []:*?/\ (replaced by spaces). "History" is reserved by Excel and treated as used.
 * @param existing names already in the workbook (any case)
 * @param preferred the name the report asks for
 * @returns a name that differs from every existing one ignoring case
 */
export function freeSheetName(existing: readonly string[], preferred: string): string {
  const used = new Set(existing.map((name) => name.toLowerCase()));
  used.add("history");
  const base = cleanSheetName(preferred);
  if (!used.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = ` ${n}`;
    const stem = base.slice(0, MAX_SHEET_NAME_LENGTH - suffix.length).trimEnd();
    const candidate = `${stem}${suffix}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}
