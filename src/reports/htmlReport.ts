/**
 * A self-contained HTML report of generated tabs, written beside the workbook so a person sees the
 * tables and charts without Excel (the workbook has them as native charts; here they are inline SVG).
 *
 * Self-contained means: inline CSS and SVG only, no scripts, fonts, images or links to anything
 * outside the file, so customer data in the report never leaves the machine when it is opened.
 * Every piece of text from the sheets is HTML-escaped.
 */
import { cellValue, generatedText, isFormulaCell, type Block, type Cell, type CellsBlock, type ReportSheet, type TableBlock } from "./sheet";
import { escapeXml, formatCellValue, formatNumber, renderChartSvg } from "./svgChart";

/** Rows of each table or block shown in the report (the workbook has them all). */
export const HTML_REPORT_ROW_LIMIT = 25;

const PROVENANCE_HEADING = "Where these numbers come from";

const CSS = `
body{font-family:Segoe UI,Helvetica,Arial,sans-serif;margin:0;color:#1f1f1f;background:#f5f6f8}
header{background:#1f3864;color:#fff;padding:16px 24px}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;font-size:13px;opacity:.9}
nav{padding:8px 24px;background:#e9edf5;font-size:14px}
nav a{margin-right:16px;color:#1f3864}
main{padding:8px 24px 32px}
section.tab{background:#fff;border:1px solid #d9d9d9;border-radius:6px;margin:16px 0;padding:12px 20px}
section.tab h2{margin:4px 0 2px;font-size:20px;color:#1f3864}
.subtitle{margin:0 0 8px;color:#595959;font-style:italic}
h3{font-size:15px;margin:18px 0 6px;color:#1f3864}
table{border-collapse:collapse;font-size:13px;margin:4px 0 8px}
th,td{border:1px solid #d9d9d9;padding:3px 8px;vertical-align:top}
th{background:#d9e1f2;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.label{color:#262626}
td.input{background:#fff2cc;color:#0000ff}
tr.total td{font-weight:bold;border-top:2px solid #595959}
.heading{font-weight:bold;color:#1f3864}
.note,.more{color:#595959;font-size:12px}
.warning{color:#9c0006;background:#ffc7ce;font-weight:bold;padding:2px 6px}
figure{margin:12px 0;display:inline-block;vertical-align:top}
dl.provenance{display:grid;grid-template-columns:max-content auto;gap:2px 12px;font-size:12px;color:#404040}
dl.provenance dt{font-weight:bold}
dl.provenance dd{margin:0}
@media print{nav{display:none}section.tab{break-inside:avoid-page}}
`;

function escapeHtml(text: string): string {
  return escapeXml(text);
}

/** True for a number (or a formula computing one), shown right-aligned. */
function isNumeric(cell: Cell | undefined): boolean {
  return cell !== undefined && typeof cellValue(cell) === "number";
}

/** One table cell: the formatted value, with the formula as a tooltip. */
function td(cell: Cell | undefined, format: string | null | undefined, extraClass = ""): string {
  if (cell === undefined) return "<td></td>";
  const classes = [isNumeric(cell) ? "num" : "", extraClass].filter(Boolean).join(" ");
  const title = isFormulaCell(cell) ? ` title="${escapeHtml(`=${cell.formula}`)}"` : "";
  return `<td${classes ? ` class="${classes}"` : ""}${title}>${escapeHtml(formatCellValue(cellValue(cell), format))}</td>`;
}

function moreRows(shown: number, total: number): string {
  return total > shown ? `<p class="more">Showing the first ${shown} of ${formatNumber(total, "#,##0")} rows; the workbook has them all.</p>` : "";
}

function tableHtml(block: TableBlock): string {
  const formats = block.numberFormats ?? [];
  const rows = block.rows.slice(0, HTML_REPORT_ROW_LIMIT);
  const head = `<tr>${block.headers.map((header) => `<th scope="col">${escapeHtml(header)}</th>`).join("")}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell, c) => td(cell, formats[c])).join("")}</tr>`).join("");
  const totals = block.totals ? `<tr class="total">${block.headers.map((_, c) => td(block.totals?.[c] ?? undefined, formats[c])).join("")}</tr>` : "";
  return `<h3>${escapeHtml(block.name)}</h3><table><thead>${head}</thead><tbody>${body}${totals}</tbody></table>${moreRows(rows.length, block.rows.length)}`;
}

/** A plain block that is one heading, note or subtitle line, or null when it is a grid. */
function lineHtml(block: CellsBlock): string | null {
  const style = block.style ?? "body";
  const single = block.values.length === 1 && block.values[0].length === 1;
  if (!single || (style !== "heading" && style !== "note" && style !== "subtitle" && style !== "warning")) return null;
  const text = formatCellValue(cellValue(block.values[0][0]), block.numberFormats?.[0]);
  if (style === "heading") return `<h3>${escapeHtml(text)}</h3>`;
  return `<p class="${style === "subtitle" ? "subtitle" : style}">${escapeHtml(text)}</p>`;
}

/** The rows of a plain grid block, each with its own styles and number formats. */
function gridRows(block: CellsBlock): string[] {
  const style = block.style ?? "body";
  const formats = block.numberFormats ?? [];
  return block.values.slice(0, HTML_REPORT_ROW_LIMIT).map((row) => {
    const cells = row.map((cell, c) => {
      const columnStyle = block.columnStyles?.[c] ?? style;
      if (columnStyle === "header") return `<th>${escapeHtml(formatCellValue(cellValue(cell), formats[c]))}</th>`;
      const cls = columnStyle === "label" || columnStyle === "input" || columnStyle === "note" || columnStyle === "warning" ? columnStyle : "";
      return td(cell, formats[c], cls);
    });
    return `<tr${style === "total" ? ' class="total"' : ""}>${cells.join("")}</tr>`;
  });
}

/**
 * Plain blocks as HTML: a heading or note line alone; grid blocks that sit directly under each
 * other in the same column (a label | value list written one row per block, for its formats) as
 * one table, as they look in the sheet.
 */
function cellsHtml(blocks: readonly CellsBlock[]): string {
  const parts: string[] = [];
  let rows: string[] = [];
  let previous: CellsBlock | null = null;
  const flush = () => {
    if (rows.length > 0) parts.push(`<table>${rows.join("")}</table>`);
    rows = [];
  };
  for (const block of blocks) {
    const line = lineHtml(block);
    if (line !== null) {
      flush();
      parts.push(line);
      previous = null;
      continue;
    }
    const adjacent = previous !== null && previous.column === block.column && previous.row + previous.values.length === block.row;
    if (!adjacent) flush();
    rows.push(...gridRows(block));
    if (block.values.length > HTML_REPORT_ROW_LIMIT) {
      flush();
      parts.push(moreRows(HTML_REPORT_ROW_LIMIT, block.values.length));
      previous = null;
      continue;
    }
    previous = block;
  }
  flush();
  return parts.join("");
}

function isProvenanceBlock(block: Block): boolean {
  return block.kind === "cells" && block.values.length > 0 && block.values[0][0] === PROVENANCE_HEADING;
}

/** Title and subtitle text of a tab, from its "title" and "subtitle" blocks. */
function headline(sheet: ReportSheet): { title?: string; subtitle?: string } {
  let title: string | undefined;
  let subtitle: string | undefined;
  for (const block of sheet.blocks) {
    if (block.kind !== "cells" || block.values.length === 0 || block.values[0].length === 0) continue;
    const value = cellValue(block.values[0][0]);
    if (value === null) continue;
    if (block.style === "title" && title === undefined) title = String(value);
    else if (block.style === "subtitle" && subtitle === undefined) subtitle = String(value);
  }
  return { title, subtitle };
}

function provenanceHtml(sheet: ReportSheet): string {
  const p = sheet.provenance;
  const rows: [string, string][] = [
    ...p.sources.map((source): [string, string] => ["Source", source]),
    ...p.options.map((option): [string, string] => [option.label, option.value]),
    ["Generated", generatedText(p.generatedAt)],
    ...p.notes.map((note): [string, string] => ["Note", note]),
  ];
  return `<h3>${PROVENANCE_HEADING}</h3><dl class="provenance">${rows.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join("")}</dl>`;
}

function tabHtml(name: string, sheet: ReportSheet, index: number): string {
  const { title, subtitle } = headline(sheet);
  const parts: string[] = [`<section class="tab" id="tab-${index + 1}" aria-labelledby="tab-${index + 1}-name">`];
  parts.push(`<h2 id="tab-${index + 1}-name">${escapeHtml(name)}</h2>`);
  if (title && title !== name) parts.push(`<p class="subtitle">${escapeHtml(title)}</p>`);
  if (subtitle) parts.push(`<p class="subtitle">${escapeHtml(subtitle)}</p>`);
  for (const chart of sheet.charts) {
    // Inline SVG in HTML needs no namespace declaration; dropping it keeps the page free of URLs.
    const svg = renderChartSvg(sheet, chart).replace(' xmlns="http://www.w3.org/2000/svg"', "");
    // The picture carries its title (and a <title> for screen readers): no separate caption.
    parts.push(`<figure>${svg}</figure>`);
  }
  let run: CellsBlock[] = [];
  for (const block of sheet.blocks) {
    if (isProvenanceBlock(block)) continue;
    if (block.kind === "cells" && (block.style === "title" || block.style === "subtitle")) continue;
    if (block.kind === "cells") {
      run.push(block);
      continue;
    }
    parts.push(cellsHtml(run), tableHtml(block));
    run = [];
  }
  parts.push(cellsHtml(run));
  parts.push(provenanceHtml(sheet));
  parts.push("</section>");
  return parts.join("\n");
}

/**
 * A self-contained HTML report of generated tabs: per tab its name, title, every chart as inline
 * SVG, the first {@link HTML_REPORT_ROW_LIMIT} rows of each table and block with number formats
 * applied (formulas shown as their values, the formula as a tooltip), and where the numbers came
 * from. Inline CSS only: no scripts, fonts, images or external links. All text is HTML-escaped.
 * @param tabs the tabs as written, with the names they got in the workbook
 * @param options the report's title, the workbook file it describes and the tabs not built (with why)
 */
export function renderHtmlReport(
  tabs: readonly { readonly name: string; readonly sheet: ReportSheet }[],
  options: { readonly title: string; readonly workbookFile: string; readonly notBuilt?: readonly { readonly title: string; readonly reason: string }[] },
): string {
  const notBuilt = options.notBuilt ?? [];
  const generated = tabs.map((tab) => tab.sheet.provenance.generatedAt).find((at) => at !== "");
  const nav = tabs.map((tab, i) => `<a href="#tab-${i + 1}">${escapeHtml(tab.name)}</a>`).join("");
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    `<header><h1>${escapeHtml(options.title)}</h1><p>Tabs written to ${escapeHtml(options.workbookFile)}${generated ? `, generated ${escapeHtml(generatedText(generated))}` : ""}. The workbook has the same charts as native Excel charts; here they are pictures for a look without Excel.</p></header>`,
    tabs.length > 0 ? `<nav aria-label="Tabs">${nav}</nav>` : "",
    "<main>",
    notBuilt.length > 0
      ? `<section class="not-built"><h2>Tabs not built</h2><ul>${notBuilt.map((entry) => `<li><strong>${escapeHtml(entry.title)}</strong>: ${escapeHtml(entry.reason)}</li>`).join("")}</ul></section>`
      : "",
    ...tabs.map((tab, i) => tabHtml(tab.name, tab.sheet, i)),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
