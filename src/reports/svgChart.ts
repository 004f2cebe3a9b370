/**
 * Charts of a generated tab as SVG pictures, for the HTML report beside a workbook (the workbook has
 * them as native charts; a person should see the pictures without Excel too).
 *
 * Pure string building: the same sheet and chart always give the same text. Values come from the
 * sheet's cells (formulas contribute their computed values); text is XML-escaped; the picture has
 * role="img" and a <title> so screen readers announce it.
 */
import { blockRange, rangeValues, type CellValue, type ChartSpec, type RangeRef, type ReportSheet } from "./sheet";
import { textWidth, truncateToWidth, widthToWrap, wrapText, type WrappedText } from "./html/text";
import { MAX_SERIAL, serialToCalendar } from "../engine/data/dates";

/** Escapes text for XML and HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

// ---------------------------------------------------------------------------------------------
// Excel number formats (the subset report builders use), for chart axes and the HTML tables.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** A format section without quoted literals, escapes and [colour]/[$-locale] brackets. */
function stripLiterals(section: string): string {
  return section.replace(/"[^"]*"/g, "").replace(/\\./g, "").replace(/\[[^\]]*\]/g, "").replace(/_./g, "").replace(/\*./g, "");
}

function isDateFormat(section: string): boolean {
  const bare = stripLiterals(section).toLowerCase();
  return /[ymd]/.test(bare) && !/[0#]/.test(bare);
}

/** True when an Excel number format shows a date (e.g. "yyyy-mm-dd", "mmm yyyy"), so its numbers are date serials. */
export function isDateNumberFormat(format: string | null | undefined): boolean {
  return typeof format === "string" && isDateFormat(format.split(";")[0]);
}

function formatDate(serial: number, section: string): string {
  // Outside Excel's dates (before 1900, after 9999) the number is shown as it is, as Excel shows ####.
  if (!(serial >= 1 && serial < MAX_SERIAL + 1)) return String(serial);
  const { year, month, day } = serialToCalendar(serial);
  const pad = (n: number): string => String(n).padStart(2, "0");
  let out = "";
  for (let i = 0; i < section.length; ) {
    const rest = section.slice(i);
    const quoted = /^"([^"]*)"/.exec(rest);
    if (quoted) {
      out += quoted[1];
      i += quoted[0].length;
      continue;
    }
    if (rest.startsWith("\\") && rest.length > 1) {
      out += rest[1];
      i += 2;
      continue;
    }
    const bracket = /^\[[^\]]*\]/.exec(rest);
    if (bracket) {
      i += bracket[0].length;
      continue;
    }
    const token = /^(yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d)/i.exec(rest);
    if (token) {
      const t = token[1].toLowerCase();
      if (t === "yyyy") out += String(year);
      else if (t === "yy") out += pad(year % 100);
      else if (t === "mmmm") out += MONTH_NAMES[month - 1];
      else if (t === "mmm") out += MONTHS[month - 1];
      else if (t === "mm") out += pad(month);
      else if (t === "m") out += String(month);
      else if (t === "dd") out += pad(day);
      else if (t === "d") out += String(day);
      else out += t === "dddd" || t === "ddd" ? "" : "";
      i += token[0].length;
      continue;
    }
    out += rest[0];
    i += 1;
  }
  return out.trim();
}

/** Groups the digits of an unsigned integer text by thousands. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Excel's General format, approximately: up to 10 significant digits, no grouping. */
function formatGeneral(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-9 || abs >= 1e15)) return value.toExponential(4).replace(/\.?0+e/, "e");
  const text = value.toPrecision(10);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** Literal text of a format section before and after its digit placeholders. */
function affixes(section: string): { prefix: string; suffix: string } {
  const literal = (part: string): string =>
    part
      .replace(/\[\$([^\]-]*)(-[^\]]*)?\]/g, "$1")
      .replace(/\[[^\]]*\]/g, "")
      .replace(/"([^"]*)"/g, "$1")
      .replace(/\\(.)/g, "$1")
      .replace(/_./g, "")
      .replace(/\*./g, "");
  // Placeholders are searched in a copy where quoted text, escapes and brackets are blanked out.
  const masked = section.replace(/"[^"]*"|\\.|\[[^\]]*\]|_.|\*./g, (part) => " ".repeat(part.length));
  const first = masked.search(/[0#?]/);
  if (first < 0) return { prefix: literal(section), suffix: "" };
  let last = first;
  for (let i = first; i < masked.length; i++) if (/[0#?.,]/.test(masked[i])) last = i;
  return { prefix: literal(section.slice(0, first)), suffix: literal(section.slice(last + 1)) };
}

/** Scientific notation ("0.00E+00"): mantissa with the section's decimals, exponent with at least its digits. */
function formatScientific(value: number, bare: string): string {
  const match = /([0#?.,]*)E([+-])([0#?]+)/i.exec(bare);
  const mantissa = match?.[1] ?? "0";
  const decimals = /\.([0#?]+)/.exec(mantissa)?.[1].length ?? 0;
  const [m, e] = Math.abs(value).toExponential(decimals).split("e");
  const exponent = Number(e);
  const sign = exponent < 0 ? "-" : match?.[2] === "+" ? "+" : "";
  return `${m}E${sign}${String(Math.abs(exponent)).padStart(match?.[3].length ?? 1, "0")}`;
}

function formatNumberSection(value: number, section: string): string {
  const bare = stripLiterals(section);
  if (/[0#?]E[+-]/i.test(bare)) return formatScientific(value, bare);
  const percent = bare.includes("%");
  // Commas right after the last digit placeholder divide by 1,000 each ("#,##0," shows thousands).
  const thousands = /[0#?](,+)(?:[^0#?]*)$/.exec(bare)?.[1].length ?? 0;
  const scaled = (percent ? value * 100 : value) / Math.pow(1000, thousands);
  const decimalMatch = /\.([0#?]+)/.exec(bare);
  const decimals = decimalMatch ? decimalMatch[1].replace(/[#?]/g, "").length : 0;
  const maxDecimals = decimalMatch ? decimalMatch[1].length : 0;
  const grouping = /[0#?],[0#?]/.test(bare);
  let text = Math.abs(scaled).toFixed(maxDecimals);
  if (maxDecimals > decimals) text = text.replace(new RegExp(`0{1,${maxDecimals - decimals}}$`), "").replace(/\.$/, "");
  const [integer, fraction] = text.split(".");
  const integerText = grouping ? groupThousands(integer) : integer;
  const { prefix, suffix } = affixes(section);
  const body = fraction !== undefined ? `${integerText}.${fraction}` : integerText;
  const percentSign = percent && !prefix.includes("%") && !suffix.includes("%") ? "%" : "";
  return `${prefix}${body}${suffix}${percentSign}`;
}

/**
 * A number shown with an Excel number format code: grouping ("#,##0"), decimals ("0.00"),
 * percentages ("0.0%"), currency and literal text ("$#,##0", "#,##0 \"EUR\""), dates
 * ("yyyy-mm-dd", "mmm yyyy"), sections for negatives ("#,##0;(#,##0)"); "General" or null gives
 * Excel's General look. Formats outside this subset fall back to General.
 */
export function formatNumber(value: number, format: string | null | undefined): string {
  if (!Number.isFinite(value)) return String(value);
  if (!format || /^general$/i.test(format.trim()) || format === "@") return formatGeneral(value);
  const sections = format.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  let section = sections[0];
  let negativeSign = value < 0;
  if (value < 0 && sections.length > 1 && sections[1] !== "") {
    section = sections[1];
    negativeSign = false;
  } else if (value === 0 && sections.length > 2 && sections[2] !== "") {
    section = sections[2];
  }
  if (isDateFormat(section)) return formatDate(value, section);
  if (!/[0#?]/.test(stripLiterals(section))) return affixes(section).prefix || formatGeneral(value);
  const text = formatNumberSection(value, section);
  // No "-0" when a small negative rounds to zero.
  return negativeSign && /[1-9]/.test(text) ? `-${text}` : text;
}

/** A cell value as text with an optional number format. */
export function formatCellValue(value: CellValue, format: string | null | undefined): string {
  if (value === null) return "";
  if (typeof value === "number") return formatNumber(value, format);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return value;
}

// ---------------------------------------------------------------------------------------------
// Geometry

const PALETTE = ["#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478", "#9E480E", "#636363", "#997300"];
const FONT = "font-family:Segoe UI,Helvetica,Arial,sans-serif";
/** Font sizes (pixels): ticks and category labels, value labels, axis titles and legend, title. */
const TICK = 10;
const VALUE = 10;
const AXIS_TITLE = 11;
const TITLE = 15;
/** Height of one line of a category label. */
const LINE = 12;
/** Widest picture, in pixels (wider pictures would not fit a page beside a table). */
const MAX_WIDTH = 900;

/** Rounds a coordinate to 2 decimals for short, deterministic output. */
function n(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/** Round tick values covering [min, max]: at most about `count` steps of 1, 2, 2.5 or 5 times a power of ten. */
export function niceTicks(min: number, max: number, count = 6): number[] {
  if (!(max > min)) {
    if (min === 0 && max === 0) return [0, 1];
    const pad = Math.abs(min) * 0.1 || 1;
    return niceTicks(min - pad, max + pad, count);
  }
  const raw = (max - min) / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const start = Math.floor(min / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; i <= 1000; i++) {
    const tick = start + i * step;
    ticks.push(Math.abs(tick) < step * 1e-9 ? 0 : Number(tick.toPrecision(12)));
    if (tick >= max - step * 1e-9) break;
  }
  return ticks;
}

interface Series {
  readonly name: string;
  readonly values: (number | null)[];
  readonly color: string;
  /** Format of the value labels (the chart's value format, else the cells'). */
  readonly labelFormat: string | undefined;
  /** Format of the tooltips (the cells' own format, else the chart's). */
  readonly tipFormat: string | undefined;
}

/** What every kind of chart is drawn from. */
interface ChartData {
  readonly chart: ChartSpec;
  readonly categoryValues: CellValue[];
  readonly categories: string[];
  readonly series: Series[];
  /** Format of the value axis. */
  readonly axisFormat: string | undefined;
  /** Format of the categories' cells (x values of a scatter chart). */
  readonly categoryFormat: string | undefined;
}

function numberOrNull(value: CellValue): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The number format a cell of the sheet is shown with, or undefined (General). */
function formatAt(sheet: Pick<ReportSheet, "blocks">, row: number, column: number): string | undefined {
  for (const block of sheet.blocks) {
    const range = blockRange(block);
    if (row < range.row || row >= range.row + range.rowCount || column < range.column || column >= range.column + range.columnCount) continue;
    if (block.kind === "table" && row === block.row) return undefined;
    return block.numberFormats?.[column - block.column] ?? undefined;
  }
  return undefined;
}

/** The first number format found in a range's cells. */
function rangeFormat(sheet: Pick<ReportSheet, "blocks">, range: RangeRef): string | undefined {
  for (let r = 0; r < range.rowCount; r++) {
    for (let c = 0; c < range.columnCount; c++) {
      const format = formatAt(sheet, range.row + r, range.column + c);
      if (format && !/^general$/i.test(format)) return format;
    }
  }
  return undefined;
}

/** A category label as its cell shows it (dates with their date format). */
function categoryText(value: CellValue, format: string | undefined): string {
  if (typeof value === "number") return format ? formatNumber(value, format) : formatGeneral(value);
  return formatCellValue(value, null);
}

const ORDINAL_WORD = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|q[1-4]|h[12]|(very |extremely )?(low|medium|mid|high)\b|first|second|third|fourth|fifth|last\b)/i;

/**
 * True when the categories have an order of their own that sorting would destroy: numbers and dates,
 * periods and bands ("2025-01", "18–24", "0–10%", "7+", score "1"), months and weekdays, low/medium/high.
 * Names (segments, channels, campaigns) have none, and are sorted by value.
 */
export function categoriesHaveOrder(values: readonly CellValue[]): boolean {
  const present = values.filter((value) => value !== null && value !== "");
  if (present.length < 2) return true;
  if (present.some((value) => typeof value === "number" || typeof value === "boolean")) return true;
  const ordinal = present.filter((value) => /\d/.test(String(value)) || ORDINAL_WORD.test(String(value).trim())).length;
  return ordinal * 2 >= present.length;
}

/** Labels that stay last however large: "Other", "Unknown", "(no touch)", totals. */
const ALWAYS_LAST = /^(other|others|the rest|rest|unknown|none|n\/a|all\b|total)|^\(/i;

/** Positions of the categories sorted by their value, largest first (series summed), stable for ties. */
function valueOrder(categories: readonly string[], series: readonly Series[]): number[] {
  const total = (i: number): number => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0);
  return categories
    .map((category, i) => ({ i, last: ALWAYS_LAST.test(category.trim()), total: total(i) }))
    .sort((a, b) => Number(a.last) - Number(b.last) || b.total - a.total || a.i - b.i)
    .map((entry) => entry.i);
}

function textElement(x: number, y: number, content: string, attributes = ""): string {
  return `<text x="${n(x)}" y="${n(y)}"${attributes ? ` ${attributes}` : ""}>${escapeXml(content)}</text>`;
}

/** A label on one to three lines centred (or end-aligned) at x, first baseline at y; the full text as a tooltip when it had to be cut. */
function wrappedLabel(x: number, y: number, text: string, wrapped: WrappedText, anchor: "middle" | "end" | "start", size = TICK): string {
  const tip = wrapped.truncated ? `<title>${escapeXml(text)}</title>` : "";
  if (wrapped.lines.length === 1) return `<text x="${n(x)}" y="${n(y)}" font-size="${size}" text-anchor="${anchor}">${tip}${escapeXml(wrapped.lines[0])}</text>`;
  const tspans = wrapped.lines.map((line, i) => `<tspan x="${n(x)}" y="${n(y + i * LINE)}">${escapeXml(line)}</tspan>`).join("");
  return `<text font-size="${size}" text-anchor="${anchor}">${tip}${tspans}</text>`;
}

/** Dark text on light fills, white on dark ones. */
function textColorOn(fill: string): string {
  const rgb = [1, 3, 5].map((i) => Number.parseInt(fill.slice(i, i + 2), 16) / 255);
  const luminance = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  return luminance > 0.55 ? "#1F1F1F" : "#FFFFFF";
}

interface LegendItem {
  readonly name: string;
  readonly color: string;
}

/** Legend rows under the title: each item a swatch and its (measured) name, wrapped onto as many rows as needed. */
function legendBlock(items: readonly LegendItem[], width: number, top: number): { svg: string; height: number } {
  if (items.length === 0) return { svg: "", height: 0 };
  const parts: string[] = [];
  let x = 16;
  let y = top + 11;
  for (const item of items) {
    const label = truncateToWidth(item.name, 260, AXIS_TITLE);
    const itemWidth = 14 + textWidth(label, AXIS_TITLE) + 16;
    if (x + itemWidth > width - 8 && x > 16) {
      x = 16;
      y += 16;
    }
    parts.push(`<rect x="${n(x)}" y="${n(y - 9)}" width="10" height="10" fill="${item.color}"/>`);
    const tip = label === item.name ? "" : `<title>${escapeXml(item.name)}</title>`;
    parts.push(`<text x="${n(x + 14)}" y="${n(y)}" font-size="${AXIS_TITLE}">${tip}${escapeXml(label)}</text>`);
    x += itemWidth;
  }
  return { svg: `<g class="legend">${parts.join("")}</g>`, height: y - top + 8 };
}

/** The chart's title (wrapped onto two lines when long) and legend; their height is where the plot may start. */
function header(title: string, legendItems: readonly LegendItem[], width: number): { svg: string; height: number } {
  const wrapped = wrapText(title, width - 24, TITLE * 1.08, 2);
  const titleSvg = wrapped.lines.map((line, i) => textElement(width / 2, 24 + i * 19, line, `font-size="${TITLE}" font-weight="bold" text-anchor="middle"`)).join("");
  const titleBottom = 24 + (wrapped.lines.length - 1) * 19 + 10;
  const legendSvg = legendBlock(legendItems, width, titleBottom);
  return { svg: titleSvg + legendSvg.svg, height: titleBottom + legendSvg.height + 8 };
}

function pointTitle(series: Series, category: string, value: number | null): string {
  return `<title>${escapeXml(`${series.name}, ${category}: ${value === null ? "no value" : formatNumber(value, series.tipFormat)}`)}</title>`;
}

function extent(values: readonly (number | null)[], includeZero: boolean): [number, number] {
  let min = includeZero ? 0 : Infinity;
  let max = includeZero ? 0 : -Infinity;
  for (const value of values) {
    if (value === null) continue;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (min === Infinity) return [0, 1];
  return [min, max];
}

/** Ticks of the value axis: bars and columns start at zero, lines include zero when all values are positive, stacks cover their sums. */
function valueTicks(chart: ChartSpec, categoryCount: number, series: readonly Series[]): number[] {
  if (chart.type === "stackedColumn") {
    const sums: number[] = [];
    for (let i = 0; i < categoryCount; i++) {
      let up = 0;
      let down = 0;
      for (const s of series) {
        const v = s.values[i] ?? 0;
        if (v >= 0) up += v;
        else down += v;
      }
      sums.push(up, down);
    }
    const [min, max] = extent(sums, true);
    return niceTicks(min, max);
  }
  const all = series.flatMap((s) => s.values);
  if (chart.type === "column" || chart.type === "bar") {
    const [min, max] = extent(all, true);
    return niceTicks(min, max);
  }
  const [min, max] = extent(all, false);
  return niceTicks(chart.type === "line" && min >= 0 ? 0 : min, max);
}

/** A drawn chart: its size and everything but the frame's title and legend. */
interface Drawing {
  readonly width: number;
  readonly height: number;
  readonly svg: string;
}

interface Size {
  readonly width: number;
  readonly height: number;
}

/** Grid lines and tick labels of a vertical value axis (values up the left side). */
function verticalValueAxis(ticks: readonly number[], scale: (v: number) => number, x0: number, x1: number, format: string | undefined): string {
  const parts = ticks.map((tick) => {
    const y = scale(tick);
    return `<line x1="${n(x0)}" y1="${n(y)}" x2="${n(x1)}" y2="${n(y)}" stroke="#E0E0E0"/>` + textElement(x0 - 6, y + 3.5, formatNumber(tick, format), `font-size="${TICK}" text-anchor="end"`);
  });
  return `<g class="value-axis">${parts.join("")}</g>`;
}

/** Grid lines and tick labels of a horizontal value axis (values along the bottom). */
function horizontalValueAxis(ticks: readonly number[], scale: (v: number) => number, y0: number, y1: number, format: string | undefined, formatTick = (tick: number) => formatNumber(tick, format)): string {
  const parts = ticks.map((tick) => {
    const x = scale(tick);
    return `<line x1="${n(x)}" y1="${n(y0)}" x2="${n(x)}" y2="${n(y1)}" stroke="#E0E0E0"/>` + textElement(x, y1 + 14, formatTick(tick), `font-size="${TICK}" text-anchor="middle"`);
  });
  return `<g class="value-axis">${parts.join("")}</g>`;
}

/** A title rotated up the left side, centred on the plot. */
function leftTitle(text: string, y0: number, y1: number): string {
  const cy = (y0 + y1) / 2;
  const label = truncateToWidth(text, Math.max(40, y1 - y0), AXIS_TITLE);
  return `<text x="14" y="${n(cy)}" font-size="${AXIS_TITLE}" text-anchor="middle" transform="rotate(-90 14 ${n(cy)})">${label === text ? "" : `<title>${escapeXml(text)}</title>`}${escapeXml(label)}</text>`;
}

/** A title centred under the plot. */
function bottomTitle(text: string, x0: number, x1: number, y: number): string {
  return textElement((x0 + x1) / 2, y, truncateToWidth(text, Math.max(40, x1 - x0), AXIS_TITLE), `font-size="${AXIS_TITLE}" text-anchor="middle"`);
}

/** Widest of some texts at a font size. */
function widest(texts: readonly string[], size: number): number {
  return Math.max(0, ...texts.map((text) => textWidth(text, size)));
}

/**
 * Category labels under a horizontal axis of `count` bands: names wrap onto up to three lines in
 * their band; ordered categories (periods, bands) show every k-th label when they cannot all fit.
 */
function bandLabels(categories: readonly string[], band: number, ordered: boolean): { every: number; wrapped: WrappedText[]; lines: number } {
  let every = 1;
  if (ordered) {
    while (every < categories.length && categories.some((c, i) => i % every === 0 && wrapText(c, band * every - 6, TICK, 2).truncated)) every++;
  }
  const wrapped = categories.map((c) => wrapText(c, Math.max(8, band * every - 6), TICK, ordered ? 2 : 3));
  const lines = Math.max(1, ...wrapped.filter((_, i) => i % every === 0).map((w) => w.lines.length));
  return { every, wrapped, lines };
}

/** Column, clustered column and stacked column charts: values up, categories along the bottom, every bar labelled with its value. */
function columnChart(data: ChartData, base: Size, ordered: boolean, legend: readonly LegendItem[]): Drawing {
  const { chart, categories, series } = data;
  const stacked = chart.type === "stackedColumn";
  const ticks = valueTicks(chart, categories.length, series);
  const count = Math.max(1, categories.length);
  const left = 10 + (chart.yAxisTitle ? 20 : 0) + widest(ticks.map((t) => formatNumber(t, data.axisFormat)), TICK) + 8;
  const right = 16;
  const clustered = !stacked && series.length > 1;
  // Wide enough for names to wrap onto three lines and for a value label on every bar.
  // Names wrap onto three lines; periods and bands stay on one line (or show every k-th when too many).
  const nameBand = ordered ? Math.min(80, widest(categories, TICK)) + 8 : Math.max(0, ...categories.map((c) => widthToWrap(c, TICK, 3, 150))) + 8;
  const barBand = clustered ? (series.length * 12) / 0.84 : 0;
  const width = Math.round(Math.min(MAX_WIDTH, Math.max(base.width, left + right + count * Math.max(nameBand, barBand))));
  const band = (width - left - right) / count;
  const groupWidth = band * (clustered ? 0.84 : 0.7);
  const barWidth = stacked ? groupWidth : groupWidth / Math.max(1, series.length);
  const labels = bandLabels(categories, band, ordered);
  const labelText = series.map((s) => s.values.map((v) => (v === null ? "" : formatNumber(v, s.labelFormat))));
  const labelWidth = widest(labelText.flat(), VALUE);
  const room = clustered ? barWidth + 1 : band - 2;
  const rotated = !stacked && labelWidth > room;
  const totals = stacked ? categories.map((_, i) => series.reduce((sum, s) => sum + Math.max(0, s.values[i] ?? 0), 0)) : [];
  const totalText = totals.map((total) => formatNumber(total, data.axisFormat ?? series[0]?.labelFormat));
  const anyNegative = series.some((s) => s.values.some((v) => v !== null && v < 0));
  const head = header(chart.title, legend, width);
  const top = head.height + (rotated ? labelWidth + 8 : 16);
  const below = anyNegative ? (rotated ? labelWidth + 8 : 14) : 0;
  const bottom = below + 8 + labels.lines * LINE + (chart.xAxisTitle ? 20 : 0) + 8;
  const height = Math.round(Math.max(base.height, top + bottom + 160));
  const plotX0 = left;
  const plotX1 = width - right;
  const plotY0 = top;
  const plotY1 = height - bottom;
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const scale = (v: number): number => plotY1 - ((v - lo) / (hi - lo)) * (plotY1 - plotY0);
  const parts: string[] = [verticalValueAxis(ticks, scale, plotX0, plotX1, data.axisFormat)];
  const marks: string[] = [];
  const values: string[] = [];
  const names: string[] = [];
  categories.forEach((category, i) => {
    const bandStart = plotX0 + i * band + (band - groupWidth) / 2;
    let up = 0;
    let down = 0;
    series.forEach((s, k) => {
      const value = s.values[i];
      const v = value ?? 0;
      let from = 0;
      let to = v;
      if (stacked) {
        from = v >= 0 ? up : down;
        to = from + v;
        if (v >= 0) up = to;
        else down = to;
      }
      const a = scale(from);
      const b = scale(to);
      const x = bandStart + (stacked ? 0 : k * barWidth);
      marks.push(`<rect class="mark" x="${n(x)}" y="${n(Math.min(a, b))}" width="${n(barWidth)}" height="${n(Math.abs(b - a))}" fill="${s.color}">${pointTitle(s, category, value)}</rect>`);
      if (value === null) return;
      const text = labelText[k][i];
      const cx = x + barWidth / 2;
      if (stacked) {
        // Inside its segment when it fits; the stack's total stands above it.
        if (Math.abs(b - a) >= LINE + 1 && textWidth(text, VALUE) <= barWidth - 2) values.push(textElement(cx, (a + b) / 2 + 3.5, text, `font-size="${VALUE}" text-anchor="middle" fill="${textColorOn(s.color)}"`));
      } else if (rotated) {
        const y = v >= 0 ? b - 4 : b + 4;
        values.push(`<text x="${n(cx + 3.5)}" y="${n(y)}" font-size="${VALUE}" text-anchor="${v >= 0 ? "start" : "end"}" transform="rotate(-90 ${n(cx + 3.5)} ${n(y)})">${escapeXml(text)}</text>`);
      } else {
        values.push(textElement(cx, v >= 0 ? b - 4 : b + 12, text, `font-size="${VALUE}" text-anchor="middle"`));
      }
    });
    if (stacked && series.length > 0) values.push(textElement(bandStart + groupWidth / 2, scale(up) - 4, totalText[i], `font-size="${VALUE}" font-weight="bold" text-anchor="middle"`));
    if (i % labels.every === 0) names.push(wrappedLabel(plotX0 + i * band + band / 2, plotY1 + below + 8 + 9, category, labels.wrapped[i], "middle"));
  });
  parts.push(`<g class="marks">${marks.join("")}</g>`);
  parts.push(`<g class="value-labels">${values.join("")}</g>`);
  parts.push(`<g class="category-axis">${names.join("")}</g>`);
  parts.push(`<line x1="${n(plotX0)}" y1="${n(scale(0))}" x2="${n(plotX1)}" y2="${n(scale(0))}" stroke="#595959"/>`);
  if (chart.yAxisTitle) parts.push(leftTitle(chart.yAxisTitle, plotY0, plotY1));
  if (chart.xAxisTitle) parts.push(bottomTitle(chart.xAxisTitle, plotX0, plotX1, height - 10));
  return { width, height, svg: head.svg + parts.join("") };
}

/** Horizontal bar charts: categories down the left (names wrapped), values along the bottom, every bar labelled at its end. */
function barChart(data: ChartData, base: Size, legend: readonly LegendItem[]): Drawing {
  const { chart, categories, series } = data;
  const ticks = valueTicks(chart, categories.length, series);
  const count = Math.max(1, categories.length);
  const wrapped = categories.map((c) => wrapText(c, Math.min(220, base.width * 0.36), TICK, 3));
  const nameWidth = Math.max(0, ...wrapped.map((w) => widest(w.lines, TICK)));
  const labelText = series.map((s) => s.values.map((v) => (v === null ? "" : formatNumber(v, s.labelFormat))));
  const labelWidth = widest(labelText.flat(), VALUE);
  const anyNegative = series.some((s) => s.values.some((v) => v !== null && v < 0));
  const tickText = ticks.map((t) => formatNumber(t, data.axisFormat));
  const left = 10 + (chart.xAxisTitle ? 20 : 0) + nameWidth + 8 + (anyNegative ? labelWidth + 6 : 0);
  const right = Math.max(labelWidth + 12, textWidth(tickText[tickText.length - 1], TICK) / 2 + 6, 16);
  // Bars need no more than about 340 pixels of plot: narrower pictures sit two to a row beside a table.
  const width = Math.round(Math.min(base.width, Math.max(380, left + right + 340)));
  const head = header(chart.title, legend, width);
  const top = head.height + 4;
  const bottom = 8 + 14 + (chart.yAxisTitle ? 20 : 0) + 8;
  const lines = Math.max(1, ...wrapped.map((w) => w.lines.length));
  const needed = Math.max(lines * LINE + 8, (series.length * 13) / 0.8, 20);
  const band = Math.max(needed, Math.min(40, (base.height - top - bottom) / count));
  const height = Math.round(top + band * count + bottom);
  const plotX0 = left;
  const plotX1 = width - right;
  const plotY0 = top;
  const plotY1 = height - bottom;
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const scale = (v: number): number => plotX0 + ((v - lo) / (hi - lo)) * (plotX1 - plotX0);
  const groupHeight = band * 0.8;
  const barHeight = groupHeight / Math.max(1, series.length);
  const parts: string[] = [horizontalValueAxis(ticks, scale, plotY0, plotY1, data.axisFormat)];
  const marks: string[] = [];
  const values: string[] = [];
  const names: string[] = [];
  categories.forEach((category, i) => {
    const bandStart = plotY0 + i * band + (band - groupHeight) / 2;
    series.forEach((s, k) => {
      const value = s.values[i];
      const a = scale(0);
      const b = scale(value ?? 0);
      const y = bandStart + k * barHeight;
      marks.push(`<rect class="mark" x="${n(Math.min(a, b))}" y="${n(y)}" width="${n(Math.abs(b - a))}" height="${n(barHeight)}" fill="${s.color}">${pointTitle(s, category, value)}</rect>`);
      if (value !== null) values.push(textElement(value >= 0 ? b + 4 : b - 4, y + barHeight / 2 + 3.5, labelText[k][i], `font-size="${VALUE}" text-anchor="${value >= 0 ? "start" : "end"}"`));
    });
    const w = wrapped[i];
    names.push(wrappedLabel(plotX0 - 8 - (anyNegative ? labelWidth + 6 : 0), plotY0 + i * band + band / 2 - ((w.lines.length - 1) * LINE) / 2 + 3.5, category, w, "end"));
  });
  parts.push(`<g class="marks">${marks.join("")}</g>`);
  parts.push(`<g class="value-labels">${values.join("")}</g>`);
  parts.push(`<g class="category-axis">${names.join("")}</g>`);
  parts.push(`<line x1="${n(scale(0))}" y1="${n(plotY0)}" x2="${n(scale(0))}" y2="${n(plotY1)}" stroke="#595959"/>`);
  if (chart.xAxisTitle) parts.push(leftTitle(chart.xAxisTitle, plotY0, plotY1));
  if (chart.yAxisTitle) parts.push(bottomTitle(chart.yAxisTitle, plotX0, plotX1, height - 10));
  return { width, height, svg: head.svg + parts.join("") };
}

/** End labels of lines pushed apart so they do not overlap (at least one line height between them). */
function spreadLabels(ys: readonly number[], gap: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  const out = [...ys];
  let previous = -Infinity;
  for (const { y, i } of order) {
    out[i] = Math.max(y, previous + gap);
    previous = out[i];
  }
  return out;
}

/** Line and scatter charts: a vertical value axis; lines over ordered categories (labelled at every point when few, else at their ends), points over numeric x values. */
function lineOrScatter(data: ChartData, base: Size, legend: readonly LegendItem[]): Drawing {
  const { chart, categoryValues, categories, series } = data;
  const scatter = chart.type === "scatter";
  const ticks = valueTicks(chart, categories.length, series);
  const count = Math.max(1, categories.length);
  const labelText = series.map((s) => s.values.map((v) => (v === null ? "" : formatNumber(v, s.labelFormat))));
  const everyPoint = !scatter && series.length === 1 && count <= 16;
  const endLabels = !scatter && !everyPoint;
  const lastIndex = series.map((s) => s.values.reduce<number>((last, v, i) => (v === null ? last : i), -1));
  const endWidth = endLabels ? widest(series.map((s, k) => (lastIndex[k] < 0 ? "" : labelText[k][lastIndex[k]])), VALUE) + 10 : 0;
  const left = 10 + (chart.yAxisTitle ? 20 : 0) + widest(ticks.map((t) => formatNumber(t, data.axisFormat)), TICK) + 8;
  const xs = categoryValues.map(numberOrNull);
  const xTicks = scatter ? niceTicks(...extent(xs, false)) : [];
  const xTickText = (tick: number): string => (data.categoryFormat ? formatNumber(tick, data.categoryFormat) : formatGeneral(tick));
  const right = Math.max(16, endWidth + 8, scatter ? textWidth(xTickText(xTicks[xTicks.length - 1]), TICK) / 2 + 6 : 0);
  const width = Math.round(base.width);
  const head = header(chart.title, legend, width);
  const top = head.height + (everyPoint ? 16 : 8);
  const band = (width - left - right) / count;
  const labels = scatter ? null : bandLabels(categories, band, true);
  const bottom = 8 + (labels ? labels.lines * LINE : 14) + (chart.xAxisTitle ? 20 : 0) + 8;
  const height = Math.round(Math.max(base.height, top + bottom + 160));
  const plotX0 = left;
  const plotX1 = width - right;
  const plotY0 = top;
  const plotY1 = height - bottom;
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const scaleY = (v: number): number => plotY1 - ((v - lo) / (hi - lo)) * (plotY1 - plotY0);
  const parts: string[] = [verticalValueAxis(ticks, scaleY, plotX0, plotX1, data.axisFormat)];
  let scaleX: (i: number) => number;
  const names: string[] = [];
  if (scatter) {
    const xLo = xTicks[0];
    const xHi = xTicks[xTicks.length - 1];
    const sx = (v: number): number => plotX0 + ((v - xLo) / (xHi - xLo)) * (plotX1 - plotX0);
    scaleX = (i: number): number => sx(xs[i] ?? xLo);
    parts.push(horizontalValueAxis(xTicks, sx, plotY0, plotY1, undefined, xTickText));
  } else {
    scaleX = (i: number): number => plotX0 + band * (i + 0.5);
    categories.forEach((category, i) => {
      if (labels && i % labels.every === 0) names.push(wrappedLabel(scaleX(i), plotY1 + 8 + 9, category, labels.wrapped[i], "middle"));
    });
  }
  const marks: string[] = [];
  const values: string[] = [];
  const ends: { x: number; y: number; text: string; color: string }[] = [];
  series.forEach((s, k) => {
    if (!scatter) {
      const segments: string[] = [];
      let current: string[] = [];
      s.values.forEach((value, i) => {
        if (value === null) {
          if (current.length > 1) segments.push(current.join(" "));
          current = [];
        } else current.push(`${n(scaleX(i))},${n(scaleY(value))}`);
      });
      if (current.length > 1) segments.push(current.join(" "));
      for (const points of segments) marks.push(`<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    }
    s.values.forEach((value, i) => {
      if (value === null || (scatter && xs[i] === null)) return;
      marks.push(`<circle class="mark" cx="${n(scaleX(i))}" cy="${n(scaleY(value))}" r="${scatter ? 3.5 : 3}" fill="${s.color}">${pointTitle(s, categories[i], value)}</circle>`);
      if (everyPoint) {
        // Above the point, except at a dip (lower than both neighbours), where the line runs above it.
        const before = s.values[i - 1] ?? null;
        const after = s.values[i + 1] ?? null;
        const dip = (before === null || value < before) && (after === null || value < after) && (before !== null || after !== null);
        const y = dip && scaleY(value) + 16 < plotY1 ? scaleY(value) + 15 : scaleY(value) - 7;
        values.push(textElement(scaleX(i), y, labelText[k][i], `font-size="${VALUE}" text-anchor="middle"`));
      }
    });
    if (endLabels && lastIndex[k] >= 0) ends.push({ x: scaleX(lastIndex[k]) + 6, y: scaleY(s.values[lastIndex[k]] ?? 0) + 3.5, text: labelText[k][lastIndex[k]], color: s.color });
  });
  const spread = spreadLabels(ends.map((end) => end.y), LINE);
  ends.forEach((end, i) => values.push(textElement(end.x, spread[i], end.text, `font-size="${VALUE}" fill="${end.color === "#A5A5A5" || end.color === "#FFC000" ? "#595959" : end.color}"`)));
  parts.push(`<g class="marks">${marks.join("")}</g>`);
  parts.push(`<g class="value-labels">${values.join("")}</g>`);
  parts.push(`<g class="category-axis">${names.join("")}</g>`);
  parts.push(`<line x1="${n(plotX0)}" y1="${n(plotY1)}" x2="${n(plotX1)}" y2="${n(plotY1)}" stroke="#595959"/>`);
  if (chart.yAxisTitle) parts.push(leftTitle(chart.yAxisTitle, plotY0, plotY1));
  if (chart.xAxisTitle) parts.push(bottomTitle(chart.xAxisTitle, plotX0, plotX1, height - 10));
  return { width, height, svg: head.svg + parts.join("") };
}

/** A pie of the first series: slices with their share written in them when it fits, and a key beside it naming each slice with its share and value. */
function pie(data: ChartData, base: Size): Drawing {
  const { chart, categories, series } = data;
  const first = series[0];
  const width = Math.round(base.width);
  const head = header(chart.title, [], width);
  if (!first) return { width, height: Math.round(base.height), svg: head.svg };
  const values = first.values.map((v) => (v !== null && v > 0 ? v : 0));
  const total = values.reduce((a, b) => a + b, 0);
  const share = (i: number): number => (total > 0 ? values[i] / total : 0);
  const percent = (i: number): string => formatNumber(share(i), share(i) > 0 && share(i) < 0.01 ? "0.0%" : "0%");
  const keyText = categories.map((category, i) => `${category}: ${percent(i)} (${first.values[i] === null ? "no value" : formatNumber(first.values[i] ?? 0, first.labelFormat)})`);
  const keyWidth = Math.min(width * 0.55, widest(keyText, AXIS_TITLE) + 24);
  const keyWrapped = keyText.map((text) => wrapText(text, keyWidth - 24, AXIS_TITLE, 2));
  const keyHeight = keyWrapped.reduce((sum, w) => sum + w.lines.length * 14 + 4, 0);
  const top = head.height + 4;
  const height = Math.round(Math.max(base.height, top + keyHeight + 16, top + 200));
  const radius = Math.max(10, Math.min(width - keyWidth - 48, height - top - 16) / 2);
  const cx = 16 + radius;
  const cy = top + (height - top - 8) / 2;
  const parts: string[] = [];
  if (total === 0) {
    parts.push(`<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(radius)}" fill="none" stroke="#BFBFBF"/>`);
    parts.push(textElement(cx, cy + 4, "No positive values to show", 'font-size="11" text-anchor="middle" fill="#595959"'));
  }
  let angle = -Math.PI / 2;
  const marks: string[] = [];
  const inside: string[] = [];
  values.forEach((value, i) => {
    const color = PALETTE[i % PALETTE.length];
    const title = pointTitle(first, categories[i], first.values[i]);
    const sweep = share(i) * 2 * Math.PI;
    if (share(i) >= 0.999999) {
      marks.push(`<circle class="mark" cx="${n(cx)}" cy="${n(cy)}" r="${n(radius)}" fill="${color}">${title}</circle>`);
    } else {
      const x0 = cx + radius * Math.cos(angle);
      const y0 = cy + radius * Math.sin(angle);
      const x1 = cx + radius * Math.cos(angle + sweep);
      const y1 = cy + radius * Math.sin(angle + sweep);
      const d = sweep === 0 ? `M${n(cx)} ${n(cy)}Z` : `M${n(cx)} ${n(cy)}L${n(x0)} ${n(y0)}A${n(radius)} ${n(radius)} 0 ${sweep > Math.PI ? 1 : 0} 1 ${n(x1)} ${n(y1)}Z`;
      marks.push(`<path class="mark" d="${d}" fill="${color}" stroke="#FFFFFF">${title}</path>`);
    }
    // The share inside its slice when the slice is wide enough for the text.
    if (share(i) >= 0.05) {
      const middle = angle + sweep / 2;
      const r = share(i) >= 0.999999 ? 0 : radius * 0.64;
      inside.push(textElement(cx + r * Math.cos(middle), cy + r * Math.sin(middle) + 4, percent(i), `font-size="11" font-weight="bold" text-anchor="middle" fill="${textColorOn(color)}"`));
    }
    angle += sweep;
  });
  const keyX = width - keyWidth - 8;
  let y = cy - keyHeight / 2 + 10;
  const key: string[] = [];
  keyWrapped.forEach((wrapped, i) => {
    key.push(`<rect x="${n(keyX)}" y="${n(y - 9)}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/>`);
    key.push(wrappedLabel(keyX + 16, y, keyText[i], wrapped, "start", AXIS_TITLE));
    y += wrapped.lines.length * 14 + 4;
  });
  parts.push(`<g class="marks">${marks.join("")}</g>`, `<g class="value-labels">${inside.join("")}</g>`, `<g class="legend">${key.join("")}</g>`);
  return { width, height, svg: head.svg + parts.join("") };
}

/** Decimals a number format shows. */
function decimalsOf(format: string): number {
  return /\.([0#?]+)/.exec(stripLiterals(format.split(";")[0]))?.[1].length ?? 0;
}

/**
 * Format of the value labels: the cells' own (so a label reads as the table beside it does) unless
 * it shows more than one decimal, where the chart's rounder value format keeps the labels short.
 */
function labelFormatOf(valueFormat: string | undefined, cellFormat: string | undefined): string | undefined {
  if (cellFormat === undefined || isDateNumberFormat(cellFormat)) return valueFormat ?? cellFormat;
  if (valueFormat === undefined) return cellFormat;
  return decimalsOf(cellFormat) <= 1 ? cellFormat : valueFormat;
}

/** The values of a chart as the sheet's cells hold them, with their formats. */
function chartData(sheet: ReportSheet, chart: ChartSpec): ChartData {
  const categoryFormat = rangeFormat(sheet, chart.categories);
  const categoryValues = rangeValues(sheet, chart.categories);
  const series: Series[] = chart.series.map((s, i) => {
    const cellFormat = rangeFormat(sheet, s.values);
    return {
      name: s.name,
      values: rangeValues(sheet, s.values).map(numberOrNull),
      color: PALETTE[i % PALETTE.length],
      labelFormat: labelFormatOf(chart.valueFormat, cellFormat),
      tipFormat: cellFormat ?? chart.valueFormat,
    };
  });
  return {
    chart,
    categoryValues,
    categories: categoryValues.map((value) => categoryText(value, categoryFormat)),
    series,
    axisFormat: chart.valueFormat ?? series[0]?.labelFormat,
    categoryFormat,
  };
}

/** The same data with the categories in a new order. */
function reordered(data: ChartData, order: readonly number[]): ChartData {
  return {
    ...data,
    categoryValues: order.map((i) => data.categoryValues[i]),
    categories: order.map((i) => data.categories[i]),
    series: data.series.map((s) => ({ ...s, values: order.map((i) => s.values[i]) })),
  };
}

/**
 * An SVG picture of a chart specification, drawn from the values of the sheet's cells (formulas
 * contribute their computed values; text or blank cells count as missing values). Supports column,
 * bar, stackedColumn, line, pie (the first series; negative values left out) and scatter (numeric
 * categories as x).
 *
 * What a reader can trust: every bar carries its value (the chart's value format, else the cells'
 * number format); bars start at zero on an axis of round ticks; category names wrap onto up to three
 * lines and are cut (with the full name as a tooltip) only when even that cannot hold them; bars of
 * named categories (segments, channels) are sorted by value, largest first, while numbers, dates,
 * periods and bands keep their order; pies write each slice's share; scatter charts title both axes.
 * Every text is measured with a conservative width so it stays inside the picture. Every data point
 * is one element of class "mark" with a <title> tooltip. Deterministic: the same input gives the same text.
 * @param sheet the tab whose cells hold the chart's data
 * @param chart the chart to draw (its ranges refer to `sheet`)
 * @returns a standalone <svg> element with role="img" and a <title>
 */
export function renderChartSvg(sheet: ReportSheet, chart: ChartSpec): string {
  const base: Size = {
    width: Math.round(Math.min(MAX_WIDTH, Math.max(380, chart.anchor.columns * 72))),
    height: Math.round(Math.min(560, Math.max(260, chart.anchor.rows * 22))),
  };
  let data = chartData(sheet, chart);
  const ordered = chart.type === "line" || chart.type === "scatter" || categoriesHaveOrder(data.categoryValues);
  if (!ordered) data = reordered(data, valueOrder(data.categories, chart.type === "pie" ? data.series.slice(0, 1) : data.series));
  const legend = chart.type === "pie" || data.series.length < 2 ? [] : data.series;
  let drawing: Drawing;
  if (chart.type === "pie") drawing = pie(data, base);
  else if (chart.type === "line" || chart.type === "scatter") drawing = lineOrScatter(data, base, legend);
  else if (chart.type === "bar") drawing = barChart(data, base, legend);
  else drawing = columnChart(data, base, ordered, legend);
  const description = `${chart.type === "stackedColumn" ? "stacked column" : chart.type} chart of ${data.series.map((s) => s.name).join(", ") || "no series"} by ${data.categories.length} categories`;
  return svgFrame(drawing, chart.title, description);
}

/** The <svg> element around a drawing: size, accessible name and description, white background. */
function svgFrame(drawing: Drawing, title: string, description: string): string {
  const { width, height } = drawing;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}" style="${FONT}" font-size="12">` +
    `<title>${escapeXml(title)}</title><desc>${escapeXml(description)}</desc>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#FFFFFF"/>` +
    drawing.svg +
    `</svg>`
  );
}

/** One bar of a waterfall: a total standing on zero, or a change floating from the running total. */
export interface WaterfallStep {
  readonly label: string;
  readonly value: number;
  readonly kind: "total" | "change";
}

/**
 * A waterfall chart: totals stand on zero, each change floats from the running total before it
 * (down for a negative change), dashed connectors carry the running total from bar to bar, and
 * every bar is labelled with its value (changes signed). Deterministic, escaped, accessible.
 * @param title the picture's title
 * @param steps the bars from left to right
 * @param format the Excel number format of the values (e.g. "#,##0")
 */
export function renderWaterfallSvg(title: string, steps: readonly WaterfallStep[], format: string | undefined): string {
  const count = Math.max(1, steps.length);
  let running = 0;
  const spans = steps.map((step) => {
    const from = step.kind === "total" ? 0 : running;
    const to = step.kind === "total" ? step.value : running + step.value;
    running = to;
    return { from, to };
  });
  const ticks = niceTicks(Math.min(0, ...spans.flatMap((s) => [s.from, s.to])), Math.max(0, ...spans.flatMap((s) => [s.from, s.to])));
  const labelText = steps.map((step) => {
    const text = formatNumber(Math.abs(step.value), format);
    return step.kind === "total" ? formatNumber(step.value, format) : `${step.value < 0 ? "−" : "+"}${text}`;
  });
  const left = 10 + widest(ticks.map((t) => formatNumber(t, format)), TICK) + 8;
  const right = 16;
  const nameBand = Math.max(0, ...steps.map((step) => widthToWrap(step.label, TICK, 3, 150)), widest(labelText, VALUE)) + 12;
  const width = Math.round(Math.min(MAX_WIDTH, Math.max(360, left + right + count * nameBand)));
  const band = (width - left - right) / count;
  const wrapped = steps.map((step) => wrapText(step.label, band - 6, TICK, 3));
  const lines = Math.max(1, ...wrapped.map((w) => w.lines.length));
  const head = header(title, [], width);
  const top = head.height + 16;
  const bottom = 8 + lines * LINE + 8;
  const height = Math.round(Math.max(280, top + bottom + 180));
  const plotX0 = left;
  const plotX1 = width - right;
  const plotY1 = height - bottom;
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const scale = (v: number): number => plotY1 - ((v - lo) / (hi - lo)) * (plotY1 - top);
  const barWidth = band * 0.6;
  const parts: string[] = [verticalValueAxis(ticks, scale, plotX0, plotX1, format)];
  const marks: string[] = [];
  const labels: string[] = [];
  steps.forEach((step, i) => {
    const { from, to } = spans[i];
    const x = plotX0 + i * band + (band - barWidth) / 2;
    const a = scale(from);
    const b = scale(to);
    const fill = step.kind === "total" ? PALETTE[0] : step.value < 0 ? "#A5A5A5" : PALETTE[5];
    marks.push(`<rect class="mark" x="${n(x)}" y="${n(Math.min(a, b))}" width="${n(barWidth)}" height="${n(Math.abs(b - a))}" fill="${fill}"><title>${escapeXml(`${step.label}: ${labelText[i]}`)}</title></rect>`);
    labels.push(textElement(x + barWidth / 2, Math.min(a, b) - 4, labelText[i], `font-size="${VALUE}" font-weight="${step.kind === "total" ? "bold" : "normal"}" text-anchor="middle"`));
    if (i + 1 < steps.length) marks.push(`<line x1="${n(x + barWidth)}" y1="${n(b)}" x2="${n(x + band)}" y2="${n(b)}" stroke="#595959" stroke-dasharray="3 2"/>`);
    labels.push(wrappedLabel(plotX0 + i * band + band / 2, plotY1 + 8 + 9, step.label, wrapped[i], "middle"));
  });
  parts.push(`<g class="marks">${marks.join("")}</g>`, `<g class="value-labels">${labels.join("")}</g>`);
  parts.push(`<line x1="${n(plotX0)}" y1="${n(scale(0))}" x2="${n(plotX1)}" y2="${n(scale(0))}" stroke="#595959"/>`);
  const description = `waterfall chart: ${steps.map((step, i) => `${step.label} ${labelText[i]}`).join(", ")}`;
  return svgFrame({ width, height, svg: head.svg + parts.join("") }, title, description);
}
