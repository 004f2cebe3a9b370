/**
 * How each {@link CellStyle} looks in Excel through Office.js: the same fonts, fills and borders as
 * the headless runner's ExcelJS writer (src/cli/xlsx/writeReport.ts, STYLE_FONTS and applyStyle),
 * in Office.js terms (colours "#RRGGBB", border "Continuous").
 */
import type { CellStyle } from "../reports/sheet";

export interface OfficeFont {
  readonly name?: string;
  readonly size?: number;
  readonly bold?: boolean;
  readonly italic?: boolean;
  readonly color?: string;
}

export interface OfficeLook {
  readonly font?: OfficeFont;
  /** Fill colour "#RRGGBB". */
  readonly fill?: string;
  /** Thin borders: which edges and their colour. */
  readonly borders?: { readonly edges: readonly ("EdgeTop" | "EdgeBottom" | "EdgeLeft" | "EdgeRight")[]; readonly color: string };
}

const BASE: OfficeFont = { name: "Calibri", size: 11 };
const GREY = "#BFBFBF";

export const STYLE_LOOKS: Readonly<Record<CellStyle, OfficeLook | undefined>> = {
  title: { font: { ...BASE, bold: true, size: 16, color: "#1F3864" } },
  subtitle: { font: { ...BASE, italic: true, color: "#595959" } },
  heading: { font: { ...BASE, bold: true, size: 12, color: "#1F3864" } },
  header: { font: { ...BASE, bold: true }, fill: "#D9E1F2", borders: { edges: ["EdgeBottom"], color: GREY } },
  label: { font: { ...BASE, color: "#262626" } },
  body: undefined,
  input: { font: { ...BASE, color: "#0000FF" }, fill: "#FFF2CC", borders: { edges: ["EdgeTop", "EdgeBottom", "EdgeLeft", "EdgeRight"], color: GREY } },
  total: { font: { ...BASE, bold: true }, borders: { edges: ["EdgeTop"], color: "#000000" } },
  figure: { font: { ...BASE, bold: true } },
  note: { font: { ...BASE, italic: true, size: 9, color: "#595959" } },
  warning: { font: { ...BASE, bold: true, color: "#9C0006" }, fill: "#FFC7CE" },
};

/** Tab colour of generated sheets (the runner's GENERATED_TAB_COLOR, FF1F3864). */
export const GENERATED_TAB_COLOR = "#1F3864";

/** Conditional-format looks: good green, bad red (Excel's own "Good" and "Bad" cell styles). */
export const CONDITIONAL_LOOKS = {
  good: { fill: "#C6EFCE", font: "#006100" },
  bad: { fill: "#FFC7CE", font: "#9C0006" },
} as const;

/**
 * Column width in points from a width in characters. Excel's width w (characters of the default
 * font's widest digit, 7 px for Calibri 11) is drawn as trunc(w × 7 + 5) pixels; at 96 dpi a pixel
 * is 0.75 pt, and `Range.format.columnWidth` takes points.
 */
export function columnWidthPoints(characters: number): number {
  return Math.trunc(characters * 7 + 5) * 0.75;
}
