/**
 * Privacy custom function: IMC.MASK (hash, partially mask or redact personal data, cell by cell).
 *
 * Thin adapter: Excel arguments → engine → cells. The JSDoc of the `@customfunction` is what Excel
 * users see in formula autocomplete and the function dialog; it is written for them.
 */

import { isBlankCell, shapeOf, toText, type Range } from "../engine/data";
import { EngineError } from "../engine/errors";
import { createMasker, MASK_MODES } from "../engine/privacy/mask";
import { optionCell, optionChoice, optionText } from "./arguments";
import { toExcelError } from "./errors";

/**
 * Masks personal data cell by cell: "hash" (default) gives a stable pseudonym, "partial" keeps a hint (a***@example.com, ***-**67), "redact" hides it, e.g. =IMC.MASK("ann@example.com", "partial") returns a***@example.com.
 * @customfunction MASK
 * @param values Names, email addresses, phone numbers or ids: a cell or a range (the result has the same shape; blanks stay blank).
 * @param [mode] "hash" (default): h: followed by 16 hex digits, the same for the same value; "partial": first letter and email domain, or the last 2 digits of a phone number; "redact": [redacted].
 * @param [salt] Secret text mixed into "hash" (keep it out of the shared workbook): without it, anyone can hash a guessed email and compare. A blank cell or 0 means no salt.
 * @returns The masked values, same shape as values.
 */
export function mask(values: any[][], mode?: any[][], salt?: any[][]): any[][] {
  let masker;
  let height: number;
  let width: number;
  try {
    const chosen = optionChoice(mode, "mode", MASK_MODES) ?? "hash";
    // Desktop Excel sends 0 for an empty cell: a salt of 0 counts as no salt, as on the web.
    const saltCell = optionCell(salt, "salt");
    masker = createMasker(chosen, saltCell === 0 ? null : optionText(salt, "salt"));
    ({ rows: height, columns: width } = shapeOf(values, "values"));
  } catch (error) {
    throw toExcelError(error, "IMC.MASK");
  }
  const cells = values as Range;
  // Trailing blank rows (a whole-column reference) are dropped, as for the other element-wise functions.
  while (height > 0 && cells[height - 1].every(isBlankCell)) height--;
  if (height === 0) {
    throw toExcelError(new EngineError("INSUFFICIENT_DATA", "IMC.MASK: every cell is blank; there is nothing to mask"), "IMC.MASK");
  }
  const single = height === 1 && width === 1;
  const out: (string | CustomFunctions.Error)[][] = new Array(height);
  for (let r = 0; r < height; r++) {
    const line: (string | CustomFunctions.Error)[] = new Array(width);
    for (let c = 0; c < width; c++) {
      const value: unknown = cells[r][c];
      if (isBlankCell(value)) {
        line[c] = "";
        continue;
      }
      try {
        line[c] = masker.mask(toText(value, "values", r + 1));
      } catch (error) {
        const excelError = toExcelError(width > 1 ? withColumn(error, r + 1, c + 1) : error, "IMC.MASK");
        if (single) throw excelError;
        line[c] = excelError;
      }
    }
    out[r] = line;
  }
  return out;
}

/** `values row 2: …` becomes `values row 2, column 3: …` for a 2-D range. */
function withColumn(error: unknown, row: number, column: number): unknown {
  if (!(error instanceof EngineError) || error.row === undefined) return error;
  const prefix = `values row ${row}: `;
  if (!error.message.startsWith(prefix)) return error;
  return new EngineError(error.code, `values row ${row}, column ${column}: ${error.message.slice(prefix.length)}`, { argument: "values", row, column });
}
