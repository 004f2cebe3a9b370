/**
 * Privacy custom function: IMC.MASK (hash, partially mask or redact personal data, cell by cell).
 *
 * Thin adapter: Excel arguments → engine → cells. The JSDoc of the `@customfunction` is what Excel
 * users see in formula autocomplete and the function dialog; it is written for them.
 */

import { isBlankCell, shapeOf, type Range } from "../engine/data";
import { EngineError } from "../engine/errors";
import { createMasker, MASK_MODES } from "../engine/privacy/mask";
import { optionCell, optionChoice, optionText } from "./arguments";
import { elementwise } from "./elementwise";
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
  try {
    const chosen = optionChoice(mode, "mode", MASK_MODES) ?? "hash";
    // Desktop Excel sends 0 for an empty cell: a salt of 0 counts as no salt, as on the web.
    const saltCell = optionCell(salt, "salt");
    masker = createMasker(chosen, saltCell === 0 ? null : optionText(salt, "salt"));
    shapeOf(values, "values");
    if ((values as Range).every((row) => row.every(isBlankCell))) {
      throw new EngineError("INSUFFICIENT_DATA", "IMC.MASK: every cell is blank; there is nothing to mask");
    }
  } catch (error) {
    throw toExcelError(error, "IMC.MASK");
  }
  const chosenMasker = masker;
  // The shared element-wise runner keeps the shape, drops trailing blank rows, leaves blank cells
  // blank and gives a bad cell its own #VALUE! naming its row (and column in a 2-D range).
  return elementwise("IMC.MASK", [{ argument: "values", range: values }], (cell) => chosenMasker.mask(cell.text("values")));
}
