/**
 * Charts of a generated tab as SVG pictures, for the HTML report beside a workbook (the workbook has
 * them as native charts; a person should see the pictures without Excel too).
 *
 * Pure string building: the same sheet and chart always give the same text. Values come from the
 * sheet's cells (formulas contribute their computed values); text is XML-escaped; the picture has
 * role="img" and a <title> so screen readers announce it.
 */
import { rangeValues, type CellValue, type ChartSpec, type ReportSheet } from "./sheet";
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

function formatNumberSection(value: number, section: string): string {
  const bare = stripLiterals(section);
  const percent = bare.includes("%");
  const scaled = percent ? value * 100 : value;
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
}

function numberOrNull(value: CellValue): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** Short text of a category label. */
function categoryText(value: CellValue): string {
  if (typeof value === "number") return formatGeneral(value);
  return formatCellValue(value, null);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function textElement(x: number, y: number, content: string, attributes = ""): string {
  return `<text x="${n(x)}" y="${n(y)}"${attributes ? ` ${attributes}` : ""}>${escapeXml(content)}</text>`;
}

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

function legend(series: readonly { name: string; color: string }[], frame: Frame): string {
  if (series.length === 0) return "";
  const parts: string[] = [];
  let x = frame.left;
  let y = frame.height - 12;
  for (const item of series) {
    const label = truncate(item.name, 28);
    const width = 18 + label.length * 6.5 + 14;
    if (x + width > frame.width - 8 && x > frame.left) {
      x = frame.left;
      y += 16;
    }
    parts.push(`<rect x="${n(x)}" y="${n(y - 9)}" width="10" height="10" fill="${item.color}"/>`);
    parts.push(textElement(x + 14, y, label, 'font-size="11"'));
    x += width;
  }
  return `<g class="legend">${parts.join("")}</g>`;
}

/** Value axis (horizontal grid lines for vertical charts, vertical for bar charts) with formatted ticks. */
function valueAxis(ticks: readonly number[], scale: (v: number) => number, frame: Frame, format: string | undefined, horizontal: boolean): string {
  const parts: string[] = [];
  for (const tick of ticks) {
    const label = formatNumber(tick, format);
    if (horizontal) {
      const x = scale(tick);
      parts.push(`<line x1="${n(x)}" y1="${n(frame.top)}" x2="${n(x)}" y2="${n(frame.height - frame.bottom)}" stroke="#E0E0E0"/>`);
      parts.push(textElement(x, frame.height - frame.bottom + 14, label, 'font-size="10" text-anchor="middle"'));
    } else {
      const y = scale(tick);
      parts.push(`<line x1="${n(frame.left)}" y1="${n(y)}" x2="${n(frame.width - frame.right)}" y2="${n(y)}" stroke="#E0E0E0"/>`);
      parts.push(textElement(frame.left - 6, y + 3.5, label, 'font-size="10" text-anchor="end"'));
    }
  }
  return `<g class="value-axis">${parts.join("")}</g>`;
}

function axisTitles(chart: ChartSpec, frame: Frame, horizontalValues: boolean): string {
  const parts: string[] = [];
  const xTitle = horizontalValues ? chart.yAxisTitle : chart.xAxisTitle;
  const yTitle = horizontalValues ? chart.xAxisTitle : chart.yAxisTitle;
  if (xTitle) parts.push(textElement((frame.left + frame.width - frame.right) / 2, frame.height - frame.bottom + 34, xTitle, 'font-size="11" text-anchor="middle"'));
  if (yTitle) {
    const cy = (frame.top + frame.height - frame.bottom) / 2;
    parts.push(`<text x="14" y="${n(cy)}" font-size="11" text-anchor="middle" transform="rotate(-90 14 ${n(cy)})">${escapeXml(yTitle)}</text>`);
  }
  return parts.join("");
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

function pointTitle(series: Series, category: string, value: number | null, format: string | undefined): string {
  return `<title>${escapeXml(`${series.name}, ${category}: ${value === null ? "no value" : formatNumber(value, format)}`)}</title>`;
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

function barLike(chart: ChartSpec, categories: string[], series: Series[], frame: Frame, ticks: readonly number[]): string {
  const horizontal = chart.type === "bar";
  const stacked = chart.type === "stackedColumn";
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const plotX0 = frame.left;
  const plotX1 = frame.width - frame.right;
  const plotY0 = frame.top;
  const plotY1 = frame.height - frame.bottom;
  const scale = horizontal ? (v: number): number => plotX0 + ((v - lo) / (hi - lo)) * (plotX1 - plotX0) : (v: number): number => plotY1 - ((v - lo) / (hi - lo)) * (plotY1 - plotY0);
  const count = Math.max(1, categories.length);
  const band = ((horizontal ? plotY1 - plotY0 : plotX1 - plotX0) as number) / count;
  const groupWidth = band * 0.7;
  const barWidth = stacked ? groupWidth : groupWidth / Math.max(1, series.length);
  const parts: string[] = [valueAxis(ticks, scale, frame, chart.valueFormat, horizontal)];
  const marks: string[] = [];
  const labels: string[] = [];
  categories.forEach((category, i) => {
    const bandStart = (horizontal ? plotY0 : plotX0) + i * band + (band - groupWidth) / 2;
    let up = 0;
    let down = 0;
    series.forEach((s, k) => {
      const value = s.values[i];
      const v = value ?? 0;
      let from: number;
      let to: number;
      if (stacked) {
        if (v >= 0) {
          from = up;
          to = up + v;
          up = to;
        } else {
          from = down;
          to = down + v;
          down = to;
        }
      } else {
        from = 0;
        to = v;
      }
      const a = scale(from);
      const b = scale(to);
      const offset = stacked ? 0 : k * barWidth;
      const title = pointTitle(s, category, value, chart.valueFormat);
      if (horizontal) {
        marks.push(`<rect class="mark" x="${n(Math.min(a, b))}" y="${n(bandStart + offset)}" width="${n(Math.abs(b - a))}" height="${n(barWidth)}" fill="${s.color}">${title}</rect>`);
      } else {
        marks.push(`<rect class="mark" x="${n(bandStart + offset)}" y="${n(Math.min(a, b))}" width="${n(barWidth)}" height="${n(Math.abs(b - a))}" fill="${s.color}">${title}</rect>`);
      }
    });
    // Many categories: label every k-th so the texts do not overlap.
    const every = Math.max(1, Math.ceil((horizontal ? 13 : 48) / band));
    if (i % every === 0) {
      const label = truncate(category, horizontal ? 16 : Math.max(4, Math.floor((band * every) / 6.5)));
      if (horizontal) labels.push(textElement(plotX0 - 6, bandStart + groupWidth / 2 + 3.5, label, 'font-size="10" text-anchor="end"'));
      else labels.push(textElement(bandStart + groupWidth / 2, plotY1 + 14, label, 'font-size="10" text-anchor="middle"'));
    }
  });
  parts.push(`<g class="marks">${marks.join("")}</g>`);
  parts.push(`<g class="category-axis">${labels.join("")}</g>`);
  const zero = scale(0);
  parts.push(
    horizontal
      ? `<line x1="${n(zero)}" y1="${n(plotY0)}" x2="${n(zero)}" y2="${n(plotY1)}" stroke="#595959"/>`
      : `<line x1="${n(plotX0)}" y1="${n(zero)}" x2="${n(plotX1)}" y2="${n(zero)}" stroke="#595959"/>`,
  );
  parts.push(axisTitles(chart, frame, horizontal));
  return parts.join("");
}

function lineOrScatter(chart: ChartSpec, categoryValues: CellValue[], series: Series[], frame: Frame, ticks: readonly number[]): string {
  const scatter = chart.type === "scatter";
  const categories = categoryValues.map(categoryText);
  const xs = categoryValues.map(numberOrNull);
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const plotX0 = frame.left;
  const plotX1 = frame.width - frame.right;
  const plotY0 = frame.top;
  const plotY1 = frame.height - frame.bottom;
  const scaleY = (v: number): number => plotY1 - ((v - lo) / (hi - lo)) * (plotY1 - plotY0);
  const parts: string[] = [valueAxis(ticks, scaleY, frame, chart.valueFormat, false)];
  let scaleX: (i: number) => number;
  const labels: string[] = [];
  if (scatter) {
    const [xMin, xMax] = extent(xs, false);
    const xTicks = niceTicks(xMin, xMax);
    const xLo = xTicks[0];
    const xHi = xTicks[xTicks.length - 1];
    const sx = (v: number): number => plotX0 + ((v - xLo) / (xHi - xLo)) * (plotX1 - plotX0);
    scaleX = (i: number): number => sx(xs[i] ?? xLo);
    for (const tick of xTicks) labels.push(textElement(sx(tick), plotY1 + 14, formatGeneral(tick), 'font-size="10" text-anchor="middle"'));
  } else {
    const count = Math.max(1, categories.length);
    const band = (plotX1 - plotX0) / count;
    scaleX = (i: number): number => plotX0 + band * (i + 0.5);
    const every = Math.max(1, Math.ceil((count * 48) / (plotX1 - plotX0)));
    categories.forEach((category, i) => {
      if (i % every === 0) labels.push(textElement(scaleX(i), plotY1 + 14, truncate(category, Math.max(6, Math.floor((band * every) / 6.5))), 'font-size="10" text-anchor="middle"'));
    });
  }
  const marks: string[] = [];
  series.forEach((s) => {
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
      marks.push(`<circle class="mark" cx="${n(scaleX(i))}" cy="${n(scaleY(value))}" r="${scatter ? 3.5 : 3}" fill="${s.color}">${pointTitle(s, categories[i], value, chart.valueFormat)}</circle>`);
    });
  });
  parts.push(`<g class="marks">${marks.join("")}</g>`);
  parts.push(`<g class="category-axis">${labels.join("")}</g>`);
  parts.push(`<line x1="${n(plotX0)}" y1="${n(plotY1)}" x2="${n(plotX1)}" y2="${n(plotY1)}" stroke="#595959"/>`);
  parts.push(axisTitles(chart, frame, false));
  return parts.join("");
}

function pie(chart: ChartSpec, categories: string[], series: Series[], frame: Frame): string {
  const first = series[0];
  if (!first) return "";
  const values = first.values.map((v) => (v !== null && v > 0 ? v : 0));
  const total = values.reduce((a, b) => a + b, 0);
  const cx = frame.left + (frame.width - frame.left - frame.right) / 2;
  const cy = frame.top + (frame.height - frame.top - frame.bottom) / 2;
  const radius = Math.max(10, Math.min(frame.width - frame.left - frame.right, frame.height - frame.top - frame.bottom) / 2 - 4);
  const parts: string[] = [];
  if (total === 0) {
    parts.push(`<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(radius)}" fill="none" stroke="#BFBFBF"/>`);
    parts.push(textElement(cx, cy + 4, "No positive values to show", 'font-size="11" text-anchor="middle" fill="#595959"'));
  }
  let angle = -Math.PI / 2;
  const marks: string[] = [];
  values.forEach((value, i) => {
    const color = PALETTE[i % PALETTE.length];
    const title = pointTitle(first, categories[i], first.values[i], chart.valueFormat);
    const share = total > 0 ? value / total : 0;
    if (share >= 0.999999) {
      marks.push(`<circle class="mark" cx="${n(cx)}" cy="${n(cy)}" r="${n(radius)}" fill="${color}">${title}</circle>`);
      return;
    }
    const sweep = share * 2 * Math.PI;
    const x0 = cx + radius * Math.cos(angle);
    const y0 = cy + radius * Math.sin(angle);
    const x1 = cx + radius * Math.cos(angle + sweep);
    const y1 = cy + radius * Math.sin(angle + sweep);
    const d = sweep === 0 ? `M${n(cx)} ${n(cy)}Z` : `M${n(cx)} ${n(cy)}L${n(x0)} ${n(y0)}A${n(radius)} ${n(radius)} 0 ${sweep > Math.PI ? 1 : 0} 1 ${n(x1)} ${n(y1)}Z`;
    marks.push(`<path class="mark" d="${d}" fill="${color}" stroke="#FFFFFF">${title}</path>`);
    angle += sweep;
  });
  parts.push(`<g class="marks">${marks.join("")}</g>`);
  return parts.join("");
}

/**
 * An SVG picture of a chart specification, drawn from the values of the sheet's cells (formulas
 * contribute their computed values; text or blank cells count as missing values). Supports column,
 * bar, stackedColumn, line, pie (the first series; negative values left out) and scatter (numeric
 * categories as x). Axes have round ticks formatted with the chart's valueFormat; a legend names
 * the series (the categories for a pie); every data point is one element of class "mark" with a
 * <title> tooltip. Deterministic: the same input gives the same text.
 * @param sheet the tab whose cells hold the chart's data
 * @param chart the chart to draw (its ranges refer to `sheet`)
 * @returns a standalone <svg> element with role="img" and a <title>
 */
export function renderChartSvg(sheet: ReportSheet, chart: ChartSpec): string {
  const width = Math.round(Math.min(900, Math.max(380, chart.anchor.columns * 72)));
  const height = Math.round(Math.min(560, Math.max(260, chart.anchor.rows * 22)));
  const categoryValues = rangeValues(sheet, chart.categories);
  const categories = categoryValues.map(categoryText);
  const series: Series[] = chart.series.map((s, i) => ({
    name: s.name,
    values: rangeValues(sheet, s.values).map(numberOrNull),
    color: PALETTE[i % PALETTE.length],
  }));
  const isPie = chart.type === "pie";
  const legendItems = isPie ? categories.map((name, i) => ({ name, color: PALETTE[i % PALETTE.length] })) : series.length > 1 ? series : [];
  const legendRows = legendItems.length === 0 ? 0 : Math.ceil(legendItems.reduce((sum, item) => sum + 32 + truncate(item.name, 28).length * 6.5, 0) / (width - 80));
  const longest = chart.type === "bar" ? Math.min(16, Math.max(0, ...categories.map((c) => c.length))) : 0;
  const ticks = isPie ? [] : valueTicks(chart, categories.length, series);
  const widestTick = chart.type === "bar" ? 0 : Math.max(0, ...ticks.map((tick) => formatNumber(tick, chart.valueFormat).length));
  const frame: Frame = {
    width,
    height,
    left: isPie ? 16 : Math.max(40, 12 + Math.max(longest * 6.2, widestTick * 6)) + (chart.yAxisTitle ? 18 : 0),
    right: 16,
    top: 40,
    bottom: (isPie ? 12 : chart.xAxisTitle || (chart.type === "bar" && chart.yAxisTitle) ? 48 : 30) + legendRows * 16 + (legendRows > 0 ? 8 : 0),
  };
  let body: string;
  if (isPie) body = pie(chart, categories, series, frame);
  else if (chart.type === "line" || chart.type === "scatter") body = lineOrScatter(chart, categoryValues, series, frame, ticks);
  else body = barLike(chart, categories, series, frame, ticks);
  const description = `${chart.type} chart of ${series.map((s) => s.name).join(", ") || "no series"} by ${categories.length} categories`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(chart.title)}" style="${FONT}" font-size="12">` +
    `<title>${escapeXml(chart.title)}</title><desc>${escapeXml(description)}</desc>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#FFFFFF"/>` +
    textElement(width / 2, 24, truncate(chart.title, 90), 'font-size="15" font-weight="bold" text-anchor="middle"') +
    body +
    legend(legendItems, frame) +
    `</svg>`
  );
}
