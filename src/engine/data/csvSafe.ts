/**
 * Neutralises text that a spreadsheet would run as a formula when it opens a CSV file ("CSV
 * injection": `=cmd|' /C calc'!A0` in a customer name becomes a live formula in whoever opens the
 * file).
 *
 * The rule, shared by every CSV the project writes (the runner's tables and the demo's sample):
 * a TEXT field whose first character is `=`, `+`, `-`, `@`, a tab or a carriage return gets a
 * leading apostrophe (`'=cmd…`), as OWASP advises; spreadsheets show the apostrophe-prefixed text as
 * text. Two things are left as they are:
 * - numbers written as numbers (`-5` from a number cell is a number, never a formula);
 * - text that is a plain decimal number (`-5`, `+1.5`, `-2.5e3`): a spreadsheet reads it as that
 *   number, which cannot call anything, and an apostrophe would turn a number into text.
 * Quoting (RFC 4180) is the writer's job and happens after this.
 *
 * References: OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection).
 */

/** First characters that make a spreadsheet read a cell as a formula (or DDE call). */
const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);

/** A plain decimal number with an optional sign and exponent: `-5`, `+1.5`, `.5`, `-2.5e3`. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Whether a text field would be read as a formula by a spreadsheet (and so needs neutralising).
 *
 * @param text a text field's content (before CSV quoting).
 * @returns true when it starts with `=`, `+`, `-`, `@`, tab or CR and is not a plain number.
 */
export function isFormulaLikeText(text: string): boolean {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]) && !PLAIN_NUMBER.test(text);
}

/**
 * A text field made safe to open in a spreadsheet: `'` prepended when it is formula-like.
 *
 * @param text a text field's content (before CSV quoting).
 * @returns the text, prefixed with `'` when isFormulaLikeText(text).
 */
export function csvSafeText(text: string): string {
  return isFormulaLikeText(text) ? `'${text}` : text;
}
