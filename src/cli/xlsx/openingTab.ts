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
import { constants as zlibConstants, inflateRawSync } from "node:zlib";
import { rawZipEntries } from "./dataWorkbook";

/** Colour of generated tabs (ARGB; the tabs' title colour). */
export const GENERATED_TAB_COLOR = "FF1F3864";

/** How much of a sheet part's text is searched for its sheet views (they come before the cells). */
const SHEET_HEAD_BYTES = 64 * 1024;
/** Compressed bytes inflated for a sheet part's head: enough for its start, far less than a big sheet. */
const SHEET_HEAD_COMPRESSED = 16 * 1024;

/**
 * Whether a sheet part's views say `tabSelected`, from the start of its XML; undefined when that
 * start does not reach the end of the sheet views (the caller then reads the whole part).
 */
export function sheetHeadIsSelected(head: Uint8Array): boolean | undefined {
  const text = new TextDecoder().decode(head.subarray(0, SHEET_HEAD_BYTES));
  const end = /<\/(?:[A-Za-z_][\w.-]*:)?sheetViews>|<(?:[A-Za-z_][\w.-]*:)?(?:sheetFormatPr|cols|sheetData)\b/.exec(text);
  if (!end) return undefined;
  const views = text.slice(0, end.index).match(/<(?:[A-Za-z_][\w.-]*:)?sheetView\b[^>]*>/g) ?? [];
  return views.some((tag) => /\stabSelected\s*=\s*["'](1|true)["']/.test(tag));
}

/**
 * True when any of the sheet parts is saved selected. Reads only the start of each part (a few
 * kilobytes inflated of a data sheet that may hold megabytes), and the whole part through
 * `wholePart` (which bounds inflation) when the start is not enough or not readable here.
 * @param original the package's bytes
 * @param sheetPaths the sheet parts' paths in the package
 */
export function anySheetSelected(original: Uint8Array, sheetPaths: readonly string[], wholePart: (path: string) => Uint8Array | undefined): boolean {
  const entries = new Map(rawZipEntries(original)?.map(({ path, entry }) => [path, entry]));
  return sheetPaths.some((path) => {
    const entry = entries.get(path);
    let head: Uint8Array | undefined;
    if (entry?.method === 0) head = entry.data;
    else if (entry?.method === 8) {
      try {
        head = inflateRawSync(entry.data.subarray(0, SHEET_HEAD_COMPRESSED), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 8 * 2 ** 20 });
      } catch {
        // A damaged or unusual start: the bounded reader below reads (or refuses) the whole part.
        head = undefined;
      }
    }
    const fromHead = head === undefined ? undefined : sheetHeadIsSelected(head);
    if (fromHead !== undefined) return fromHead;
    const whole = wholePart(path);
    return whole !== undefined && sheetHeadIsSelected(whole.subarray(0, SHEET_HEAD_BYTES)) === true;
  });
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
