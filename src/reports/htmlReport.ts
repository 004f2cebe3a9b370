/**
 * A self-contained HTML report of generated tabs, written beside the workbook so a person sees the
 * tables and charts without Excel (the workbook has them as native charts; here they are inline SVG).
 *
 * It follows the tabs' words and formats (docs: tabs.md): numbers in their cells' Excel number
 * format, warnings in red, headings as headings, notes small; the red and green of the tab's rules
 * and its colour scales and data bars; each chart beside the table holding its data; on the Budget
 * tab, the plan's money lines (target, what existing customers bring, what new customers must bring)
 * as a waterfall, read back from the plan's rows by their labels (./html/budgetPlan.ts).
 *
 * Self-contained means: inline CSS and SVG only, no scripts, fonts, images or links to anything
 * outside the file, so customer data in the report never leaves the machine when it is opened.
 * Every piece of text from the sheets is HTML-escaped.
 */
import { blockRange, cellValue, finalNames, generatedText, isFormulaCell, resolveSheetReferences, type Block, type Cell, type CellsBlock, type CellStyle, type ReportSheet, type TableBlock } from "./sheet";
import { escapeXml, formatCellValue, formatNumber, renderChartSvg, renderWaterfallSvg } from "./svgChart";
import { budgetChainOf, type BudgetChain, type PlanLine } from "./html/budgetPlan";
import { cellKey, conditionalLooks, magnitudeFills, type Look } from "./html/conditional";

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
td:first-child{min-width:9em}
.scroll{overflow-x:auto;max-width:100%}
th{background:#d9e1f2;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.label{color:#262626}
td.input{background:#fff2cc;color:#0000ff}
tr.total td{font-weight:bold;border-top:2px solid #595959}
.heading{font-weight:bold;color:#1f3864}
.note,.more{color:#595959;font-size:12px}
.warning{color:#9c0006;background:#ffc7ce;font-weight:bold;padding:2px 6px}
figure{margin:0;display:inline-block;vertical-align:top;max-width:100%}
figure svg{max-width:100%;height:auto}
.with-charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start;margin:4px 0 12px}
p.strong{font-weight:bold}
td.figure{font-weight:bold}
p{margin:4px 0;font-size:14px}
p.warning{display:block;font-size:14px;padding:4px 8px;margin:2px 0}
td.warning{color:#9c0006;background:#ffc7ce;font-weight:bold}
td.note{font-size:12px}
th.heading{background:none;color:#1f3864;font-size:15px;border:none;border-bottom:1px solid #d9d9d9;padding-top:10px}
ol.chain{list-style:none;padding:0;margin:8px 0 0;display:flex;flex-wrap:wrap;gap:6px;font-size:13px;max-width:460px}
td.bad{color:#9c0006;background:#ffc7ce}
td.good{color:#006100;background:#c6efce}
p.good{color:#006100;background:#c6efce;padding:4px 8px}
ol.chain li{background:#eef2f9;border:1px solid #d9e1f2;border-radius:4px;padding:3px 8px}
ol.chain .op{font-weight:bold;color:#1f3864}
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
function td(cell: Cell | undefined, format: string | null | undefined, extraClass = "", colspan = 1, fill?: string): string {
  if (cell === undefined) return "<td></td>";
  const style = fill === undefined ? "" : ` style="background:${escapeHtml(fill)}"`;
  const classes = [isNumeric(cell) ? "num" : "", extraClass].filter(Boolean).join(" ");
  const title = isFormulaCell(cell) ? ` title="${escapeHtml(`=${cell.formula}`)}"` : "";
  const span = colspan > 1 ? ` colspan="${colspan}"` : "";
  return `<td${span}${classes ? ` class="${classes}"` : ""}${style}${title}>${escapeHtml(formatCellValue(cellValue(cell), format))}</td>`;
}

function moreRows(shown: number, total: number): string {
  return total > shown ? `<p class="more">Showing the first ${shown} of ${formatNumber(total, "#,##0")} rows; the workbook has them all.</p>` : "";
}

/** Cells painted red ("bad") or green ("good") by the tab's conditional formats, and backgrounds of colour scales and data bars. */
interface Looks {
  readonly rules: ReadonlyMap<string, Look>;
  readonly fills: ReadonlyMap<string, string>;
}

/** Class (bad, good) and inline background of the cell at (row, column). */
function lookOf(looks: Looks, row: number, column: number): { cls: string; fill: string | undefined } {
  const key = cellKey(row, column);
  return { cls: looks.rules.get(key) ?? "", fill: looks.rules.has(key) ? undefined : looks.fills.get(key) };
}

/** A piece of a tab's page and the blocks it shows, so charts can be placed beside the table holding their data. */
interface Piece {
  readonly html: string;
  readonly blocks: readonly Block[];
}

/** A table: its header row, the first rows and the totals (the table's name is the workbook's, not shown: the heading above names it). */
function tableHtml(block: TableBlock, looks: Looks): Piece {
  const formats = block.numberFormats ?? [];
  const rows = block.rows.slice(0, HTML_REPORT_ROW_LIMIT);
  const cellHtml = (cell: Cell | undefined, r: number, c: number): string => {
    const look = lookOf(looks, block.row + 1 + r, block.column + c);
    return td(cell, formats[c], look.cls, 1, look.fill);
  };
  const head = `<tr>${block.headers.map((header) => `<th scope="col">${escapeHtml(header)}</th>`).join("")}</tr>`;
  const body = rows.map((row, r) => `<tr>${row.map((cell, c) => cellHtml(cell, r, c)).join("")}</tr>`).join("");
  const totals = block.totals ? `<tr class="total">${block.headers.map((_, c) => cellHtml(block.totals?.[c] ?? undefined, block.rows.length, c)).join("")}</tr>` : "";
  return { html: `<div class="scroll"><table><thead>${head}</thead><tbody>${body}${totals}</tbody></table></div>${moreRows(rows.length, block.rows.length)}`, blocks: [block] };
}

/** Class of a line of text by its style. */
function lineClass(style: CellStyle): string {
  if (style === "subtitle") return "subtitle";
  if (style === "warning" || style === "note") return style;
  if (style === "total" || style === "figure") return "strong";
  return "";
}

/** A plain block that is one heading, note or subtitle line, or null when it is a grid. */
function lineHtml(block: CellsBlock): string | null {
  const style = block.style ?? "body";
  const single = block.values.length === 1 && block.values[0].length === 1;
  if (!single || (style !== "heading" && style !== "note" && style !== "subtitle" && style !== "warning")) return null;
  const text = formatCellValue(cellValue(block.values[0][0]), block.numberFormats?.[0]);
  if (style === "heading") return `<h3>${escapeHtml(text)}</h3>`;
  return `<p class="${lineClass(style)}">${escapeHtml(text)}</p>`;
}

/** True when a cell shows nothing. */
function isBlank(cell: Cell | undefined): boolean {
  if (cell === undefined) return true;
  const value = cellValue(cell);
  return value === null || value === "";
}

/**
 * A block whose rows are each one sentence in the first cell (the blank cells beside it only carry
 * the sheet's fill across the text): shown as paragraphs, not as a table of empty cells.
 */
function sentencesHtml(block: CellsBlock, looks: Looks): string | null {
  const style = block.style ?? "body";
  if (style === "header" || style === "heading" || (block.columnStyles ?? []).some((s) => s !== null && s !== style)) return null;
  const texts: string[] = [];
  for (const row of block.values) {
    if (row.length === 0 || typeof cellValue(row[0]) !== "string" || row.slice(1).some((cell) => !isBlank(cell))) return null;
    texts.push(String(cellValue(row[0])));
  }
  if (texts.length === 0) return null;
  return texts
    .map((text, r) => {
      const look = looks.rules.get(cellKey(block.row + r, block.column));
      const cls = look === "bad" ? "warning" : look === "good" ? "good" : lineClass(style);
      return `<p${cls ? ` class="${cls}"` : ""}>${escapeHtml(text)}</p>`;
    })
    .join("");
}

/** The rows of a plain grid block, each with its own styles and number formats; a sentence followed by blank cells spans them. */
function gridRows(block: CellsBlock, columns: number, looks: Looks): string[] {
  const style = block.style ?? "body";
  const formats = block.numberFormats ?? [];
  return block.values.slice(0, HTML_REPORT_ROW_LIMIT).map((row, r) => {
    const lastFilled = row.reduce<number>((last, cell, c) => (isBlank(cell) ? last : c), -1);
    const cells: string[] = [];
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      const columnStyle = block.columnStyles?.[c] ?? style;
      // Text that overflows blank cells in the sheet spans them here.
      const text = cellValue(cell);
      const sentence = typeof text === "string" && (c === 0 || text.length >= 40);
      const span = c === lastFilled && c < columns - 1 && sentence ? columns - c : 1;
      if (columnStyle === "header" || columnStyle === "heading") {
        cells.push(`<th${span > 1 ? ` colspan="${span}"` : ""}${columnStyle === "heading" && c === 0 ? ' class="heading"' : ""}>${escapeHtml(formatCellValue(cellValue(cell), formats[c]))}</th>`);
      } else {
        const look = lookOf(looks, block.row + r, block.column + c);
        const cls = columnStyle === "label" || columnStyle === "input" || columnStyle === "note" || columnStyle === "warning" || columnStyle === "figure" ? columnStyle : "";
        cells.push(td(cell, formats[c], [cls, look.cls].filter(Boolean).join(" "), span, look.fill));
      }
      if (span > 1) break;
    }
    return `<tr${style === "total" ? ' class="total"' : ""}>${cells.join("")}</tr>`;
  });
}

/** Columns a group of blocks spans (the widest row). */
function columnCount(blocks: readonly CellsBlock[]): number {
  return Math.max(1, ...blocks.flatMap((block) => block.values.map((row) => row.length)));
}

/**
 * Plain blocks as HTML: a heading or note line alone; grid blocks that sit directly under each
 * other in the same column (a label | value list written one row per block, for its formats) as
 * one table, as they look in the sheet.
 */
function cellsPieces(blocks: readonly CellsBlock[], looks: Looks): Piece[] {
  const pieces: Piece[] = [];
  let group: CellsBlock[] = [];
  const flush = () => {
    if (group.length > 0) {
      const columns = columnCount(group);
      const rows = group.flatMap((block) => gridRows(block, columns, looks));
      const more = group.map((block) => moreRows(HTML_REPORT_ROW_LIMIT, block.values.length)).join("");
      pieces.push({ html: `<div class="scroll"><table>${rows.join("")}</table></div>${more}`, blocks: group });
    }
    group = [];
  };
  for (const block of blocks) {
    const line = lineHtml(block) ?? sentencesHtml(block, looks);
    if (line !== null) {
      flush();
      pieces.push({ html: line, blocks: [block] });
      continue;
    }
    const previous = group[group.length - 1];
    const adjacent = previous !== undefined && previous.column === block.column && previous.row + previous.values.length === block.row && previous.values.length <= HTML_REPORT_ROW_LIMIT;
    if (!adjacent) flush();
    group.push(block);
  }
  flush();
  return pieces;
}

/** The row of the tab's provenance heading (its own heading block, or the first row of the provenance block), or Infinity. */
function provenanceRow(sheet: ReportSheet): number {
  for (const block of sheet.blocks) {
    if (block.kind === "cells" && block.column === 0 && block.values.length > 0 && block.values[0][0] === PROVENANCE_HEADING) return block.row;
  }
  return Number.POSITIVE_INFINITY;
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

/** True when a piece shows the cell at (row, column). */
function pieceHolds(piece: Piece, row: number, column: number): boolean {
  return piece.blocks.some((block) => {
    const range = blockRange(block);
    return row >= range.row && row < range.row + range.rowCount && column >= range.column && column < range.column + range.columnCount;
  });
}

/** A chart as an inline picture (inline SVG in HTML needs no namespace declaration; dropping it keeps the page free of URLs). */
function figure(svg: string, extra = ""): string {
  return `<figure>${svg.replace(' xmlns="http://www.w3.org/2000/svg"', "")}${extra}</figure>`;
}

/** The plan from the revenue target to the budget as one line of steps, each with its operation. */
function chainHtml(chain: BudgetChain): string {
  const step = (op: string, line: PlanLine | undefined): string =>
    line === undefined ? "" : `<li>${op ? `<span class="op">${escapeHtml(op)}</span> ` : ""}${escapeHtml(line.label)} <b>${escapeHtml(formatNumber(line.value, line.format))}</b></li>`;
  const steps = [
    step("", chain.gap),
    step("÷", chain.revenuePerNewCustomer),
    step("=", chain.newCustomers),
    step("×", chain.cac),
    step("=", chain.budgetBeforeBuffer),
    step("+", chain.buffer),
    step("=", chain.budget),
  ].filter(Boolean);
  return steps.length > 1 ? `<ol class="chain" aria-label="From the revenue needed to the budget">${steps.join("")}</ol>` : "";
}

/** The waterfall of the plan's money lines: target, minus what existing customers bring, the revenue new customers must bring. */
function budgetFigure(chain: BudgetChain): string {
  const svg = renderWaterfallSvg(
    "Revenue target to revenue from new customers",
    [
      { label: chain.target.label, value: chain.target.value, kind: "total" },
      { label: chain.existing.label, value: -chain.existing.value, kind: "change" },
      { label: chain.gap.label, value: chain.gap.value, kind: "total" },
    ],
    chain.target.format ?? chain.gap.format,
  );
  const width = /width="(\d+)"/.exec(svg)?.[1] ?? "460";
  return figure(svg, chainHtml(chain).replace('<ol class="chain"', `<ol class="chain" style="max-width:${width}px"`));
}

function tabHtml(name: string, sheet: ReportSheet, index: number): string {
  const { title, subtitle } = headline(sheet);
  const parts: string[] = [`<section class="tab" id="tab-${index + 1}" aria-labelledby="tab-${index + 1}-name">`];
  parts.push(`<h2 id="tab-${index + 1}-name">${escapeHtml(name)}</h2>`);
  if (title && title !== name) parts.push(`<p class="subtitle">${escapeHtml(title)}</p>`);
  if (subtitle) parts.push(`<p class="subtitle">${escapeHtml(subtitle)}</p>`);
  const looks: Looks = { rules: conditionalLooks(sheet), fills: magnitudeFills(sheet) };
  const pieces: Piece[] = [];
  let run: CellsBlock[] = [];
  // The provenance (heading and rows, at the bottom) is shown from sheet.provenance, as a list.
  const provenanceTop = provenanceRow(sheet);
  for (const block of sheet.blocks) {
    if (block.kind === "cells" && block.column === 0 && block.row >= provenanceTop) continue;
    if (block.kind === "cells" && (block.style === "title" || block.style === "subtitle")) continue;
    if (block.kind === "cells") {
      run.push(block);
      continue;
    }
    pieces.push(...cellsPieces(run, looks), tableHtml(block, looks));
    run = [];
  }
  pieces.push(...cellsPieces(run, looks));
  // Each chart beside the table holding its data (as in the workbook); charts over no shown piece go last.
  const beside = pieces.map((): string[] => []);
  const last: string[] = [];
  for (const chart of sheet.charts) {
    const at = pieces.findIndex((piece) => pieceHolds(piece, chart.categories.row, chart.categories.column));
    (at >= 0 ? beside[at] : last).push(figure(renderChartSvg(sheet, chart)));
  }
  const chain = budgetChainOf(sheet);
  if (chain !== null) {
    const at = pieces.findIndex((piece) => pieceHolds(piece, chain.headingRow, 0));
    (at >= 0 ? beside[at] : last).push(budgetFigure(chain));
  }
  pieces.forEach((piece, i) => {
    parts.push(beside[i].length > 0 ? `<div class="with-charts"><div>${piece.html}</div>${beside[i].join("")}</div>` : piece.html);
  });
  if (last.length > 0) parts.push(`<div class="with-charts">${last.join("")}</div>`);
  parts.push(provenanceHtml(sheet));
  parts.push("</section>");
  return parts.join("\n");
}

/**
 * A self-contained HTML report of generated tabs: per tab its name, title, every chart as inline
 * SVG beside the table it draws, the first {@link HTML_REPORT_ROW_LIMIT} rows of each table and block
 * with number formats and conditional colours applied (formulas shown as their values, the formula
 * as a tooltip), the Budget tab's plan as a waterfall, and where the numbers came from. Inline CSS
 * only: no scripts, fonts, images or external links. All text is HTML-escaped.
 * @param tabs the tabs as written, with the names they got in the workbook
 * @param options the report's title, the workbook file it describes and the tabs not built (with why)
 */
export function renderHtmlReport(
  tabs: readonly { readonly name: string; readonly sheet: ReportSheet }[],
  options: { readonly title: string; readonly workbookFile: string; readonly notBuilt?: readonly { readonly title: string; readonly reason: string }[] },
): string {
  const notBuilt = options.notBuilt ?? [];
  const generated = tabs.map((tab) => tab.sheet.provenance.generatedAt).find((at) => at !== "");
  const nameOf = finalNames(
    tabs.map((tab) => tab.sheet),
    tabs.map((tab) => tab.name),
  );
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
    `<header><h1>${escapeHtml(options.title)}</h1><p>Tabs written to ${escapeHtml(options.workbookFile)}${generated ? `, generated ${escapeHtml(generatedText(generated))}` : ""}. The workbook holds every row and the same charts.</p></header>`,
    tabs.length > 0 ? `<nav aria-label="Tabs">${nav}</nav>` : "",
    "<main>",
    notBuilt.length > 0
      ? `<section class="not-built"><h2>Tabs not built</h2><ul>${notBuilt.map((entry) => `<li><strong>${escapeHtml(entry.title)}</strong>: ${escapeHtml(entry.reason)}</li>`).join("")}</ul></section>`
      : "",
    // Values only; a cross-tab formula's tooltip names the tab's sheet as written.
    ...tabs.map((tab, i) => tabHtml(tab.name, resolveSheetReferences(tab.sheet, nameOf), i)),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
