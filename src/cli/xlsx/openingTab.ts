/**
 * Which tab a workbook opens on, and the generated tabs' colour.
 *
 * A workbook with generated tabs opens on the first of them (workbook.xml
 * `<workbookView activeTab="N"/>`, that sheet `tabSelected`), not on a data sheet. A user's sheet
 * part that says `tabSelected="1"` cannot be changed (the user's parts stay byte-identical), and
 * Excel opens a workbook whose active tab differs from a selected tab with both tabs selected: a
 * group, where typing into one sheet types into the other. So the active tab is only moved when no
 * original sheet part is selected; otherwise the workbook opens where its user left it.
 */

/** Colour of generated tabs (ARGB; the tabs' title colour). */
export const GENERATED_TAB_COLOR = "FF1F3864";

/** How much of a sheet part is read to find its sheet views (they come before the cells). */
const SHEET_HEAD_BYTES = 64 * 1024;

/** True when a sheet part's head (its XML up to the cells) has a sheet view with `tabSelected` on. */
export function sheetPartIsSelected(sheetBytes: Uint8Array | undefined): boolean {
  if (!sheetBytes) return false;
  const head = new TextDecoder().decode(sheetBytes.subarray(0, SHEET_HEAD_BYTES));
  const views = head.match(/<(?:[A-Za-z_][\w.-]*:)?sheetView\b[^>]*>/g) ?? [];
  return views.some((tag) => /\stabSelected\s*=\s*["'](1|true)["']/.test(tag));
}

/** The workbook index with its (first) workbook view opening on the sheet at `index` (0-based, in `<sheets>` order). */
export function withActiveTab(workbookXml: string, prefix: string, index: number): string {
  const view = new RegExp(`<${prefix}workbookView\\b[^>]*?(/?)>`).exec(workbookXml);
  if (view) {
    let tag = view[0];
    tag = /\sactiveTab\s*=\s*"[^"]*"/.test(tag) ? tag.replace(/(\sactiveTab\s*=\s*)"[^"]*"/, `$1"${index}"`) : tag.replace(/^(<[^\s/>]+)/, `$1 activeTab="${index}"`);
    // The first tab shown in the tab bar must not be after the active one.
    tag = tag.replace(/(\sfirstSheet\s*=\s*)"(\d+)"/, (whole, before: string, first: string) => (Number(first) > index ? `${before}"0"` : whole));
    return workbookXml.slice(0, view.index) + tag + workbookXml.slice(view.index + view[0].length);
  }
  const sheets = new RegExp(`<${prefix}sheets(?=[\\s/>])`).exec(workbookXml);
  if (!sheets) return workbookXml;
  const bookViews = `<${prefix}bookViews><${prefix}workbookView activeTab="${index}"/></${prefix}bookViews>`;
  return workbookXml.slice(0, sheets.index) + bookViews + workbookXml.slice(sheets.index);
}

/** A generated sheet's XML with its (first) sheet view selected. */
export function withTabSelected(sheetXml: string): string {
  return sheetXml.replace(/<((?:[A-Za-z_][\w.-]*:)?sheetView)\b([^>]*?)(\/?)>/, (whole, name: string, attributes: string, slash: string) =>
    /\stabSelected\s*=/.test(attributes) ? whole : `<${name} tabSelected="1"${attributes}${slash}>`,
  );
}
