/**
 * Native Excel charts for generated tabs: turns the {@link ChartSpec}s of a {@link ReportSheet}
 * into DrawingML parts grafted beside the tab's sheet part (ExcelJS writes no charts).
 *
 * For a tab with charts this writes one drawing part (xl/drawings/drawingN.xml, one
 * `xdr:twoCellAnchor` per chart, placed on the anchor cells), one chart part per chart
 * (xl/charts/chartN.xml), their relationships (sheet → drawing, drawing → charts) and the sheet's
 * `<drawing r:id=…/>` element in its place in the worksheet's element order. Part numbers are
 * chosen by the caller (free in the target zip), so a workbook that already has charts keeps its own.
 *
 * Each series refers to the tab's own cells by the tab's final name (`'Customer Value'!$C$14:$C$24`)
 * and carries a cache of the current values (`c:numCache` / `c:strCache`), so viewers show the
 * chart without recalculating and the chart follows edits of the cells in Excel.
 */
import { a1Range, blockRange, cellAt, cellValue, type CellValue, type ChartSpec, type RangeRef, type ReportSheet } from "../../reports/sheet";
import { isDateNumberFormat } from "../../reports/svgChart";

const NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing";
const NS_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
export const REL_DRAWING = `${NS_R}/drawing`;
export const REL_CHART = `${NS_R}/chart`;
export const CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml";
export const CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Days between Excel's 1900 and 1904 date systems. */
const DATE_1904_OFFSET = 1462;

/** Series colours (Office theme accents), in order. */
const SERIES_COLORS = ["4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "264478", "9E480E"];

/** Elements that follow `<drawing>` in a worksheet (CT_Worksheet order): the drawing goes before the first present. */
const AFTER_DRAWING = ["legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst"];

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A sheet name as Excel writes it in a formula: quoted (with ' doubled) unless it is a plain name. */
export function quotedSheetName(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !/^[A-Za-z]{1,3}[0-9]+$/.test(name) && !/^(R|C|RC|R\d+C\d+)$/i.test(name) && !/^(TRUE|FALSE)$/i.test(name)) {
    return name;
  }
  return `'${name.replace(/'/g, "''")}'`;
}

/** `'Sheet name'!$B$14:$B$24` for a range of the tab. */
export function chartReference(sheetName: string, range: RangeRef): string {
  return `${quotedSheetName(sheetName)}!${a1Range(range, true)}`;
}

/** The number format the tab gives the cell at (row, column), or undefined. */
function numberFormatAt(sheet: Pick<ReportSheet, "blocks">, row: number, column: number): string | undefined {
  for (const block of sheet.blocks) {
    const range = blockRange(block);
    if (row < range.row || row >= range.row + range.rowCount || column < range.column || column >= range.column + range.columnCount) continue;
    if (block.kind === "table" && row === block.row) return undefined;
    return block.numberFormats?.[column - block.column] ?? undefined;
  }
  return undefined;
}

/** The cells of a one-row or one-column range, in order; a date serial is shifted into a 1904 workbook. */
function cachedValues(sheet: ReportSheet, range: RangeRef, date1904: boolean): { values: CellValue[]; format: string } {
  const values: CellValue[] = [];
  let format: string | undefined;
  for (let r = 0; r < range.rowCount; r++) {
    for (let c = 0; c < range.columnCount; c++) {
      const cell = cellAt(sheet, range.row + r, range.column + c);
      let value = cell === undefined ? null : cellValue(cell);
      const cellFormat = numberFormatAt(sheet, range.row + r, range.column + c);
      format ??= cellFormat;
      if (typeof value === "number" && date1904 && isDateNumberFormat(cellFormat)) value -= DATE_1904_OFFSET;
      values.push(value);
    }
  }
  return { values, format: format ?? "General" };
}

function numberText(value: number): string {
  return Number.isFinite(value) ? String(value) : "";
}

/** `c:numRef` with its cache (blank and text cells are left out of the cache, as Excel does). */
function numRef(reference: string, values: readonly CellValue[], format: string): string {
  const points = values
    .map((value, i) => (typeof value === "number" && Number.isFinite(value) ? `<c:pt idx="${i}"><c:v>${numberText(value)}</c:v></c:pt>` : ""))
    .join("");
  return `<c:numRef><c:f>${escapeXml(reference)}</c:f><c:numCache><c:formatCode>${escapeXml(format)}</c:formatCode><c:ptCount val="${values.length}"/>${points}</c:numCache></c:numRef>`;
}

/** `c:strRef` with its cache. */
function strRef(reference: string, values: readonly CellValue[]): string {
  const points = values.map((value, i) => (value === null ? "" : `<c:pt idx="${i}"><c:v>${escapeXml(String(value))}</c:v></c:pt>`)).join("");
  return `<c:strRef><c:f>${escapeXml(reference)}</c:f><c:strCache><c:ptCount val="${values.length}"/>${points}</c:strCache></c:strRef>`;
}

/** Categories as numbers (with their format) when every one is a number, else as text. */
function categoryData(reference: string, values: readonly CellValue[], format: string): string {
  const numeric = values.length > 0 && values.every((value) => typeof value === "number");
  return numeric ? numRef(reference, values, format) : strRef(reference, values);
}

function richText(text: string, size: number, bold: boolean): string {
  const b = bold ? ' b="1"' : ' b="0"';
  return (
    `<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="${size}"${b}/></a:pPr>` +
    `<a:r><a:rPr lang="en-US" sz="${size}"${b}/><a:t>${escapeXml(text)}</a:t></a:r></a:p></c:rich></c:tx>`
  );
}

function title(text: string | undefined, size: number, bold: boolean): string {
  if (text === undefined || text.trim() === "") return "";
  return `<c:title>${richText(text, size, bold)}<c:overlay val="0"/></c:title>`;
}

function fill(color: string): string {
  return `<c:spPr><a:solidFill><a:srgbClr val="${color}"/></a:solidFill></c:spPr>`;
}

function line(color: string): string {
  return `<c:spPr><a:ln w="28575" cap="rnd"><a:solidFill><a:srgbClr val="${color}"/></a:solidFill><a:round/></a:ln></c:spPr>`;
}

const AXIS_X = 500100;
const AXIS_Y = 500200;

interface AxisOptions {
  readonly id: number;
  readonly crossId: number;
  readonly position: "b" | "l";
  readonly title?: string;
  readonly format?: string;
  readonly gridlines: boolean;
  /** Categories from the top (bar charts list the first category first). */
  readonly reversed?: boolean;
  /** Where this axis crosses the other one. */
  readonly crosses?: "autoZero" | "max";
  /** Where the tick labels go ("low": at the bottom or left even when values are negative). */
  readonly labels?: "nextTo" | "low";
}

function axisStart(options: AxisOptions): string {
  return (
    `<c:axId val="${options.id}"/><c:scaling><c:orientation val="${options.reversed ? "maxMin" : "minMax"}"/></c:scaling><c:delete val="0"/>` +
    `<c:axPos val="${options.position}"/>${options.gridlines ? '<c:majorGridlines><c:spPr><a:ln w="9525"><a:solidFill><a:srgbClr val="D9D9D9"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>' : ""}` +
    title(options.title, 1000, false) +
    (options.format ? `<c:numFmt formatCode="${escapeXml(options.format)}" sourceLinked="0"/>` : '<c:numFmt formatCode="General" sourceLinked="1"/>') +
    `<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="${options.labels ?? "nextTo"}"/>` +
    `<c:crossAx val="${options.crossId}"/><c:crosses val="${options.crosses ?? "autoZero"}"/>`
  );
}

function categoryAxis(options: AxisOptions): string {
  return `<c:catAx>${axisStart({ labels: "low", ...options })}<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`;
}

function valueAxis(options: AxisOptions, crossBetween: "between" | "midCat"): string {
  return `<c:valAx>${axisStart(options)}<c:crossBetween val="${crossBetween}"/></c:valAx>`;
}

/** The `c:plotArea` content (chart group and axes) for a spec. */
function plotArea(spec: ChartSpec, sheet: ReportSheet, sheetName: string, date1904: boolean): string {
  const categories = cachedValues(sheet, spec.categories, date1904);
  const categoryReference = chartReference(sheetName, spec.categories);
  const axisIds = `<c:axId val="${AXIS_X}"/><c:axId val="${AXIS_Y}"/>`;
  const seriesHead = (i: number, name: string): string => `<c:idx val="${i}"/><c:order val="${i}"/><c:tx><c:v>${escapeXml(name)}</c:v></c:tx>`;
  const values = (range: RangeRef): string => {
    const cached = cachedValues(sheet, range, false);
    return numRef(chartReference(sheetName, range), cached.values, spec.valueFormat ?? cached.format);
  };
  const color = (i: number): string => SERIES_COLORS[i % SERIES_COLORS.length];

  if (spec.type === "pie") {
    // A pie shows one series; each slice gets its own colour (varyColors) and the legend names them.
    const first = spec.series[0];
    // Slice colours are written out: without a theme part some readers leave automatic colours blank.
    const slices = categories.values
      .map((_, i) => `<c:dPt><c:idx val="${i}"/><c:bubble3D val="0"/><c:spPr><a:solidFill><a:srgbClr val="${color(i)}"/></a:solidFill><a:ln w="12700"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:ln></c:spPr></c:dPt>`)
      .join("");
    const series = first
      ? `<c:ser>${seriesHead(0, first.name)}${slices}<c:cat>${categoryData(categoryReference, categories.values, categories.format)}</c:cat><c:val>${values(first.values)}</c:val></c:ser>`
      : "";
    return `<c:pieChart><c:varyColors val="1"/>${series}<c:firstSliceAng val="0"/></c:pieChart>`;
  }

  if (spec.type === "scatter") {
    const xReference = categoryReference;
    const series = spec.series
      .map(
        (s, i) =>
          `<c:ser>${seriesHead(i, s.name)}<c:spPr><a:ln w="19050"><a:noFill/></a:ln></c:spPr>` +
          `<c:marker><c:symbol val="circle"/><c:size val="5"/>${fill(color(i))}</c:marker>` +
          `<c:xVal>${numRef(xReference, categories.values, categories.format)}</c:xVal><c:yVal>${values(s.values)}</c:yVal><c:smooth val="0"/></c:ser>`,
      )
      .join("");
    return (
      `<c:scatterChart><c:scatterStyle val="lineMarker"/><c:varyColors val="0"/>${series}${axisIds}</c:scatterChart>` +
      valueAxis({ id: AXIS_X, crossId: AXIS_Y, position: "b", title: spec.xAxisTitle, format: categories.format === "General" ? undefined : categories.format, gridlines: false }, "midCat") +
      valueAxis({ id: AXIS_Y, crossId: AXIS_X, position: "l", title: spec.yAxisTitle, format: spec.valueFormat, gridlines: true }, "midCat")
    );
  }

  const cat = `<c:cat>${categoryData(categoryReference, categories.values, categories.format)}</c:cat>`;
  if (spec.type === "line") {
    const series = spec.series
      .map((s, i) => `<c:ser>${seriesHead(i, s.name)}${line(color(i))}<c:marker><c:symbol val="circle"/><c:size val="5"/>${fill(color(i))}</c:marker>${cat}<c:val>${values(s.values)}</c:val><c:smooth val="0"/></c:ser>`)
      .join("");
    return (
      `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series}<c:marker val="1"/>${axisIds}</c:lineChart>` +
      categoryAxis({ id: AXIS_X, crossId: AXIS_Y, position: "b", title: spec.xAxisTitle, gridlines: false }) +
      valueAxis({ id: AXIS_Y, crossId: AXIS_X, position: "l", title: spec.yAxisTitle, format: spec.valueFormat, gridlines: true }, "between")
    );
  }

  // column, bar, stackedColumn
  const horizontal = spec.type === "bar";
  const stacked = spec.type === "stackedColumn";
  const series = spec.series.map((s, i) => `<c:ser>${seriesHead(i, s.name)}${fill(color(i))}<c:invertIfNegative val="0"/>${cat}<c:val>${values(s.values)}</c:val></c:ser>`).join("");
  return (
    `<c:barChart><c:barDir val="${horizontal ? "bar" : "col"}"/><c:grouping val="${stacked ? "stacked" : "clustered"}"/><c:varyColors val="0"/>${series}` +
    `<c:gapWidth val="${stacked ? 60 : 80}"/>${stacked ? '<c:overlap val="100"/>' : ""}${axisIds}</c:barChart>` +
    // A bar chart lists its categories from the top, as the table beside it does.
    categoryAxis({ id: AXIS_X, crossId: AXIS_Y, position: horizontal ? "l" : "b", title: spec.xAxisTitle, gridlines: false, reversed: horizontal }) +
    valueAxis(
      { id: AXIS_Y, crossId: AXIS_X, position: horizontal ? "b" : "l", title: spec.yAxisTitle, format: spec.valueFormat, gridlines: true, crosses: horizontal ? "max" : "autoZero" },
      "between",
    )
  );
}

/**
 * The chart part (`c:chartSpace`) of one chart of a tab.
 * @param spec the chart; its ranges are cells of `sheet`
 * @param sheet the tab, for the cached values of the ranges
 * @param sheetName the tab's final name in the workbook (the formulas refer to it)
 * @param date1904 the workbook counts dates from 1904 (date categories are shifted as the cells are)
 */
export function chartPartXml(spec: ChartSpec, sheet: ReportSheet, sheetName: string, date1904 = false): string {
  const legend = spec.type === "pie" || spec.series.length > 1 ? `<c:legend><c:legendPos val="${spec.type === "pie" ? "r" : "b"}"/><c:overlay val="0"/></c:legend>` : "";
  return (
    `${XML_DECLARATION}<c:chartSpace xmlns:c="${NS_C}" xmlns:a="${NS_A}" xmlns:r="${NS_R}">` +
    '<c:roundedCorners val="0"/>' +
    `<c:chart>${title(spec.title, 1200, true)}<c:autoTitleDeleted val="0"/>` +
    `<c:plotArea><c:layout/>${plotArea(spec, sheet, sheetName, date1904)}</c:plotArea>` +
    `${legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>` +
    '<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln w="9525"><a:solidFill><a:srgbClr val="D9D9D9"/></a:solidFill></a:ln></c:spPr>' +
    '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"><a:latin typeface="Calibri"/></a:defRPr></a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>' +
    "</c:chartSpace>"
  );
}

/** The drawing part: one two-cell anchor per chart, on its anchor cells; `relIds[i]` is chart i's relationship in the drawing's rels. */
export function drawingPartXml(charts: readonly ChartSpec[], relIds: readonly string[]): string {
  const anchors = charts.map((spec, i) => {
    const { row, column, rows, columns } = spec.anchor;
    const marker = (tag: string, r: number, c: number): string =>
      `<xdr:${tag}><xdr:col>${c}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${r}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:${tag}>`;
    return (
      `<xdr:twoCellAnchor editAs="oneCell">${marker("from", row, column)}${marker("to", row + Math.max(1, rows), column + Math.max(1, columns))}` +
      `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${i + 2}" name="${escapeXml(`Chart ${i + 1}`)}" descr="${escapeXml(spec.title)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
      '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>' +
      `<a:graphic><a:graphicData uri="${NS_C}"><c:chart xmlns:c="${NS_C}" r:id="${relIds[i]}"/></a:graphicData></a:graphic>` +
      "</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>"
    );
  });
  return `${XML_DECLARATION}<xdr:wsDr xmlns:xdr="${NS_XDR}" xmlns:a="${NS_A}" xmlns:r="${NS_R}">${anchors.join("")}</xdr:wsDr>`;
}

/** Inserts `<drawing r:id=…/>` into worksheet XML before the elements that must follow it. */
export function withDrawingElement(sheetXml: string, relId: string): string {
  const prefix = /<([A-Za-z_][\w.-]*:)?worksheet[\s>]/.exec(sheetXml)?.[1] ?? "";
  const hasR = /xmlns:r="http:\/\/schemas\.openxmlformats\.org\/officeDocument\/2006\/relationships"/.test(sheetXml);
  const element = `<${prefix}drawing ${hasR ? "" : `xmlns:r="${NS_R}" `}r:id="${relId}"/>`;
  // Only the worksheet's own children count (a conditional format holds an extLst of its own):
  // scan the elements after the cells (the only big element) keeping the depth.
  const cellsEnd = sheetXml.lastIndexOf(`</${prefix}sheetData>`);
  const from = cellsEnd >= 0 ? cellsEnd + `</${prefix}sheetData>`.length : sheetXml.indexOf(">", sheetXml.indexOf(`<${prefix}worksheet`)) + 1;
  const follow = new Set(AFTER_DRAWING.map((name) => `${prefix}${name}`));
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/g;
  tag.lastIndex = from;
  let at = -1;
  let depth = 0;
  for (let match = tag.exec(sheetXml); match; match = tag.exec(sheetXml)) {
    if (match[1] === "/") {
      depth--;
      continue;
    }
    if (depth === 0 && follow.has(match[2])) {
      at = match.index;
      break;
    }
    if (match[3] !== "/") depth++;
  }
  if (at < 0) at = sheetXml.lastIndexOf(`</${prefix}worksheet>`);
  if (at < 0) throw new Error("charts: the sheet XML has no </worksheet>");
  return sheetXml.slice(0, at) + element + sheetXml.slice(at);
}

/** A new part for the package: its path (no leading "/"), text and content type. */
export interface NewPart {
  readonly path: string;
  readonly xml: string;
  /** Content type of the part; undefined for a relationships part (the package's Default for .rels covers it). */
  readonly contentType: string | undefined;
}

/** What {@link chartParts} is given about one written tab. */
export interface ChartTarget {
  /** The tab description (charts and the cells they read). */
  readonly sheet: ReportSheet;
  /** The tab's final name in the workbook. */
  readonly sheetName: string;
  /** The sheet part's path, e.g. "xl/worksheets/sheet7.xml". */
  readonly sheetPath: string;
  readonly sheetXml: string;
  /** The sheet's relationships part, when it has one. */
  readonly sheetRelsXml: string | undefined;
  readonly date1904: boolean;
  /** A free part path `${stem}N.xml` in the target package (each call returns a new one). */
  readonly freePartPath: (stem: string) => string;
}

/**
 * The parts that give a written tab its native charts: the sheet XML with its `<drawing>` element,
 * its relationships with the drawing added, and the new drawing and chart parts. A tab without
 * charts is returned unchanged with no parts.
 */
export function chartParts(target: ChartTarget): { sheetXml: string; sheetRelsXml: string | undefined; parts: NewPart[] } {
  const charts = target.sheet.charts;
  if (charts.length === 0) return { sheetXml: target.sheetXml, sheetRelsXml: target.sheetRelsXml, parts: [] };
  const partsDir = target.sheetPath.slice(0, target.sheetPath.lastIndexOf("worksheets/"));
  const fileName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);
  const drawingPath = target.freePartPath(`${partsDir}drawings/drawing`);
  const parts: NewPart[] = [];
  const chartRels: string[] = [];
  const relIds: string[] = [];
  charts.forEach((spec, i) => {
    const chartPath = target.freePartPath(`${partsDir}charts/chart`);
    parts.push({ path: chartPath, xml: chartPartXml(spec, target.sheet, target.sheetName, target.date1904), contentType: CT_CHART });
    relIds.push(`rId${i + 1}`);
    chartRels.push(`<Relationship Id="rId${i + 1}" Type="${REL_CHART}" Target="../charts/${fileName(chartPath)}"/>`);
  });
  parts.push({ path: drawingPath, xml: drawingPartXml(charts, relIds), contentType: CT_DRAWING });
  const drawingRelsPath = `${drawingPath.slice(0, drawingPath.lastIndexOf("/") + 1)}_rels/${fileName(drawingPath)}.rels`;
  parts.push({ path: drawingRelsPath, xml: `${XML_DECLARATION}<Relationships xmlns="${NS_PACKAGE_REL}">${chartRels.join("")}</Relationships>`, contentType: undefined });

  const usedIds = new Set((target.sheetRelsXml ?? "").match(/\sId="[^"]*"/g)?.map((attr) => attr.slice(5, -1)) ?? []);
  let drawingRelId = "rIdImcDrawing";
  for (let n = 2; usedIds.has(drawingRelId); n++) drawingRelId = `rIdImcDrawing${n}`;
  const drawingRel = `<Relationship Id="${drawingRelId}" Type="${REL_DRAWING}" Target="../drawings/${fileName(drawingPath)}"/>`;
  const sheetRelsXml =
    target.sheetRelsXml === undefined
      ? `${XML_DECLARATION}<Relationships xmlns="${NS_PACKAGE_REL}">${drawingRel}</Relationships>`
      : target.sheetRelsXml.replace(/<\/Relationships>\s*$/, `${drawingRel}</Relationships>`);
  return { sheetXml: withDrawingElement(target.sheetXml, drawingRelId), sheetRelsXml, parts };
}
