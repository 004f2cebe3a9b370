import { describe, expect, it } from "vitest";
import { sheetProblems, type ChartSpec, type ChartType, type ReportSheet } from "../../src/reports/sheet";
import { categoriesHaveOrder, formatNumber, niceTicks, renderChartSvg, renderWaterfallSvg } from "../../src/reports/svgChart";
import { textWidth, wrapText } from "../../src/reports/html/text";

/** A sheet with categories in A2:A5 and two series in B2:C5 (the second a formula column). */
function sheetWith(values: [string, number, number][]): ReportSheet {
  return {
    name: "Chart data",
    blocks: [
      {
        kind: "table",
        name: "Data",
        row: 0,
        column: 0,
        headers: ["Segment", "Revenue", "Cost"],
        rows: values.map(([label, revenue, cost], i) => [label, revenue, { formula: `B${i + 2}*0+${cost}`, value: cost }]),
      },
    ],
    columnWidths: [],
    freeze: { rows: 1, columns: 0 },
    conditionalFormats: [],
    charts: [],
    provenance: { sources: [], options: [], generatedAt: "2026-11-23T00:00:00Z", notes: [] },
  };
}

function chart(type: ChartType, count: number, seriesCount = 2, title = "Revenue & cost <by segment>"): ChartSpec {
  const series = [
    { name: "Revenue", values: { row: 1, column: 1, rowCount: count, columnCount: 1 } },
    { name: "Cost \"direct\"", values: { row: 1, column: 2, rowCount: count, columnCount: 1 } },
  ].slice(0, seriesCount);
  return {
    type,
    title,
    categories: { row: 1, column: type === "scatter" ? 2 : 0, rowCount: count, columnCount: 1 },
    series,
    xAxisTitle: "Segment",
    yAxisTitle: "Amount",
    valueFormat: "#,##0",
    anchor: { row: 0, column: 5, rows: 15, columns: 8 },
  };
}

const DATA: [string, number, number][] = [
  ["Champions <A&B>", 5000, 1200],
  ["Loyal", -250, 300],
  ["At risk", 1234.5, 0],
  ["Lost", 0, 50],
];

/** Checks that tags nest and close properly (a tiny XML well-formedness check) and returns the element names in order. */
function parseXml(xml: string): string[] {
  const stack: string[] = [];
  const names: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (let match = token.exec(xml); match; match = token.exec(xml)) {
    if (match[6]) throw new Error(`stray "<" at ${match.index}`);
    if (match[5] !== undefined) {
      if (/&(?!(amp|lt|gt|quot|#39|#\d+);)/.test(match[5])) throw new Error(`unescaped "&" in text "${match[5]}"`);
      continue;
    }
    const [, closing, name, attributes, selfClosing] = match;
    if (/&(?!(amp|lt|gt|quot|#39|#\d+);)/.test(attributes)) throw new Error(`unescaped "&" in attributes of <${name}>`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else {
      names.push(name);
      if (!selfClosing) stack.push(name);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("> <")}>`);
  return names;
}

const marks = (svg: string): number => (svg.match(/class="mark"/g) ?? []).length;

describe("renderChartSvg", () => {
  const sheet = sheetWith(DATA);
  it("the test sheet is well formed", () => {
    expect(sheetProblems({ ...sheet, charts: [chart("column", 4)] })).toEqual([]);
  });

  for (const type of ["column", "bar", "stackedColumn", "line", "scatter"] as const) {
    it(`${type}: well-formed accessible SVG with one mark per data point and escaped text`, () => {
      const svg = renderChartSvg(sheet, chart(type, 4));
      const names = parseXml(svg);
      expect(names[0]).toBe("svg");
      expect(names[1]).toBe("title");
      expect(svg).toMatch(/^<svg [^>]*role="img"/);
      expect(svg).toContain("<title>Revenue &amp; cost &lt;by segment&gt;</title>");
      expect(marks(svg)).toBe(8);
      // The first mark is Champions' revenue, its tooltip formatted with the value format (scatter: x is the cost).
      expect(svg).toContain(type === "scatter" ? "<title>Revenue, 1200: 5,000</title>" : "<title>Revenue, Champions &lt;A&amp;B&gt;: 5,000</title>");
      if (type !== "scatter") expect(svg).toContain("Champions &lt;A&amp;B&gt;</text>");
      // A legend for two series, with the quote escaped.
      expect(svg).toContain("Cost &quot;direct&quot;");
      expect(svg).not.toContain("NaN");
    });
  }

  it("pie: one slice per category of the first series, negative values left out but still a mark", () => {
    const svg = renderChartSvg(sheet, chart("pie", 4, 1));
    parseXml(svg);
    expect(marks(svg)).toBe(4);
    expect(svg).toContain("<title>Revenue, Loyal: -250</title>");
    expect(svg).not.toContain("NaN");
  });

  it("column: negative values draw below the zero line, and axis ticks are formatted", () => {
    const svg = renderChartSvg(sheet, chart("column", 4, 1));
    const zeroLine = /<line x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="\1" stroke="#595959"\/>/.exec(svg);
    expect(zeroLine).not.toBeNull();
    const zeroY = Number(zeroLine![1]);
    const rects = new Map(
      [...svg.matchAll(/<rect class="mark" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="[^"]*"><title>Revenue, ([^:<]+):/g)].map((m) => [m[3], { y: Number(m[1]), height: Number(m[2]) }]),
    );
    expect(rects.size).toBe(4);
    const champions = rects.get("Champions &lt;A&amp;B&gt;")!;
    const loyal = rects.get("Loyal")!;
    expect(champions.y + champions.height).toBeCloseTo(zeroY, 1); // 5000 stands on the zero line
    expect(loyal.y).toBeCloseTo(zeroY, 1); // -250 hangs from it
    expect(loyal.height).toBeGreaterThan(0);
    expect(champions.height / loyal.height).toBeCloseTo(5000 / 250, 0);
    expect(svg).toContain(">5,000</text>");
    expect(svg).toContain(">-1,000</text>");
  });

  it("all-zero data gives a valid picture without NaN or Infinity", () => {
    const zeros = sheetWith([
      ["A", 0, 0],
      ["B", 0, 0],
    ]);
    for (const type of ["column", "bar", "stackedColumn", "line", "pie", "scatter"] as const) {
      const svg = renderChartSvg(zeros, chart(type, 2));
      parseXml(svg);
      expect(svg, type).not.toMatch(/NaN|Infinity/);
      expect(marks(svg), type).toBe(type === "pie" ? 2 : 4);
    }
  });

  it("is deterministic", () => {
    expect(renderChartSvg(sheet, chart("line", 4))).toBe(renderChartSvg(sheetWith(DATA), chart("line", 4)));
  });
});

describe("formatNumber", () => {
  it("applies the Excel formats report builders use", () => {
    expect(formatNumber(1234.567, "#,##0")).toBe("1,235");
    expect(formatNumber(1234.567, "#,##0.00")).toBe("1,234.57");
    expect(formatNumber(-1234.5, "#,##0")).toBe("-1,235");
    expect(formatNumber(0.1234, "0.0%")).toBe("12.3%");
    expect(formatNumber(0.5, "0%")).toBe("50%");
    expect(formatNumber(1234.5, "$#,##0.00")).toBe("$1,234.50");
    expect(formatNumber(1234.5, '#,##0 "EUR"')).toBe("1,235 EUR");
    expect(formatNumber(-5, "#,##0;(#,##0)")).toBe("(5)");
    expect(formatNumber(-0.001, "#,##0")).toBe("0");
    expect(formatNumber(2.5, "0.0x")).toBe("2.5x");
    expect(formatNumber(45000, "yyyy-mm-dd")).toBe("2023-03-15");
    expect(formatNumber(45000, "mmm yyyy")).toBe("Mar 2023");
    expect(formatNumber(1, "yyyy-mm-dd")).toBe("1900-01-01");
    expect(formatNumber(61, "yyyy-mm-dd")).toBe("1900-03-01");
    expect(formatNumber(1 / 3, null)).toBe("0.3333333333");
    expect(formatNumber(42, "General")).toBe("42");
  });
});

describe("niceTicks", () => {
  it("covers the range with round steps", () => {
    expect(niceTicks(0, 0.47)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(niceTicks(-250, 5000)).toEqual([-1000, 0, 1000, 2000, 3000, 4000, 5000]);
    expect(niceTicks(0, 0)).toEqual([0, 1]);
  });
});

/** Every horizontal text of a picture with its estimated extent (rotated texts left out), to check nothing leaves the viewBox. */
function textExtents(svg: string): { text: string; left: number; right: number; y: number }[] {
  const out: { text: string; left: number; right: number; y: number }[] = [];
  for (const m of svg.matchAll(/<text ([^>]*)>(.*?)<\/text>/g)) {
    const attributes = m[1];
    if (attributes.includes("rotate(")) continue;
    const size = Number(/font-size="([\d.]+)"/.exec(attributes)?.[1] ?? 12) * (attributes.includes('font-weight="bold"') ? 1.08 : 1);
    const anchor = /text-anchor="(\w+)"/.exec(attributes)?.[1] ?? "start";
    const body = m[2].replace(/<title>.*?<\/title>/g, "");
    const lines = body.includes("<tspan")
      ? [...body.matchAll(/<tspan x="([\d.-]+)" y="([\d.-]+)">(.*?)<\/tspan>/g)].map((t) => ({ x: Number(t[1]), y: Number(t[2]), text: t[3] }))
      : [{ x: Number(/ x="([\d.-]+)"/.exec(` ${attributes}`)?.[1]), y: Number(/ y="([\d.-]+)"/.exec(` ${attributes}`)?.[1]), text: body }];
    for (const line of lines) {
      const text = line.text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
      const width = textWidth(text, size);
      const left = anchor === "middle" ? line.x - width / 2 : anchor === "end" ? line.x - width : line.x;
      out.push({ text, left, right: left + width, y: line.y });
    }
  }
  return out;
}

function viewBox(svg: string): { width: number; height: number } {
  const m = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)!;
  return { width: Number(m[1]), height: Number(m[2]) };
}

function expectInside(svg: string): void {
  const { width, height } = viewBox(svg);
  for (const t of textExtents(svg)) {
    expect(t.left, `"${t.text}" starts left of the picture`).toBeGreaterThanOrEqual(0);
    expect(t.right, `"${t.text}" ends right of the picture`).toBeLessThanOrEqual(width);
    expect(t.y, `"${t.text}" below the picture`).toBeLessThanOrEqual(height);
    expect(t.y, `"${t.text}" above the picture`).toBeGreaterThan(0);
  }
}

/** A one-series sheet: categories in A2:A(n+1), values in B with a number format. */
function oneSeries(rows: [string | number, number][], format = "#,##0", categoryFormat: string | null = null): ReportSheet {
  return {
    name: "Chart data",
    blocks: [{ kind: "table", name: "Data", row: 0, column: 0, headers: ["Category", "Value"], rows: rows.map(([c, v]) => [c, v]), numberFormats: [categoryFormat, format] }],
    columnWidths: [],
    freeze: { rows: 1, columns: 0 },
    conditionalFormats: [],
    charts: [],
    provenance: { sources: [], options: [], generatedAt: "2026-11-23T00:00:00Z", notes: [] },
  };
}

function oneSeriesChart(type: ChartType, count: number, extra: Partial<ChartSpec> = {}): ChartSpec {
  return {
    type,
    title: "Customers per segment",
    categories: { row: 1, column: 0, rowCount: count, columnCount: 1 },
    series: [{ name: "Customers", values: { row: 1, column: 1, rowCount: count, columnCount: 1 } }],
    anchor: { row: 0, column: 5, rows: 15, columns: 8 },
    ...extra,
  };
}

/** Category labels in drawing order (one entry per label, lines joined by a space). */
function categoryLabels(svg: string): string[] {
  const axis = /<g class="category-axis">(.*?)<\/g>/.exec(svg)?.[1] ?? "";
  return [...axis.matchAll(/<text [^>]*>(.*?)<\/text>/g)].map((m) => {
    const body = m[1].replace(/<title>.*?<\/title>/g, "");
    return body.includes("<tspan") ? [...body.matchAll(/<tspan[^>]*>(.*?)<\/tspan>/g)].map((t) => t[1]).join(" ") : body;
  });
}

function valueLabels(svg: string): string[] {
  const group = /<g class="value-labels">(.*?)<\/g>/.exec(svg)?.[1] ?? "";
  return [...group.matchAll(/<text [^>]*>(.*?)<\/text>/g)].map((m) => m[1]);
}

const SEGMENTS: [string, number][] = [
  ["Champions", 238],
  ["Potential Loyalist with a very long name that needs wrapping", 166],
  ["Other", 900],
  ["Hibernating", 318],
  ["Lost", 124],
];

describe("renderChartSvg: labels an analyst can read", () => {
  for (const type of ["column", "bar"] as const) {
    it(`${type}: every bar carries its value in the cells' format, names sorted by value with "Other" last, nothing outside the picture`, () => {
      const sheet = oneSeries(SEGMENTS, '#,##0 "CHF"');
      const svg = renderChartSvg(sheet, oneSeriesChart(type, SEGMENTS.length));
      parseXml(svg);
      expect(valueLabels(svg)).toEqual(["318 CHF", "238 CHF", "166 CHF", "124 CHF", "900 CHF"]);
      expect(categoryLabels(svg)).toEqual(["Hibernating", "Champions", "Potential Loyalist with a very long name that needs wrapping", "Lost", "Other"]);
      expect(svg).not.toContain("…");
      expectInside(svg);
    });
  }

  it("a name too long even for three lines is cut with its full text as a tooltip", () => {
    const long = "An extraordinarily long segment name that no reasonable chart could ever show on three short lines of a narrow band";
    const sheet = oneSeries([[long, 5], ["B", 4], ["C", 3], ["D", 2], ["E", 1], ["F", 1], ["G", 1], ["H", 1], ["I", 1], ["J", 1], ["K", 1], ["L", 1], ["M", 1]]);
    const svg = renderChartSvg(sheet, oneSeriesChart("column", 13));
    parseXml(svg);
    expect(svg).toContain("…");
    expect(svg).toContain(`<title>${long}</title>`);
    expectInside(svg);
  });

  it("ordered categories keep their order: bands, periods, numbers and dates", () => {
    const bands: [string, number][] = [["18-24", 5], ["25-34", 50], ["35-44", 20], ["65+", 70]];
    expect(categoryLabels(renderChartSvg(oneSeries(bands), oneSeriesChart("column", 4)))).toEqual(["18-24", "25-34", "35-44", "65+"]);
    const scores: [number, number][] = [[1, 5], [2, 50], [3, 20]];
    expect(categoryLabels(renderChartSvg(oneSeries(scores), oneSeriesChart("bar", 3)))).toEqual(["1", "2", "3"]);
    const months: [number, number][] = [[45292, 5], [45323, 50], [45352, 20]];
    expect(categoryLabels(renderChartSvg(oneSeries(months, "#,##0", "mmm yyyy"), oneSeriesChart("column", 3)))).toEqual(["Jan 2024", "Feb 2024", "Mar 2024"]);
    expect(categoriesHaveOrder(["Low", "Medium", "High"])).toBe(true);
    expect(categoriesHaveOrder(["Email", "Social", "Display"])).toBe(false);
  });

  it("bars start at zero even when every value is far from it, on round ticks", () => {
    const svg = renderChartSvg(oneSeries([["A", 9100], ["B", 9800], ["C", 9500]]), oneSeriesChart("bar", 3, { valueFormat: "#,##0" }));
    const ticks = [...(/<g class="value-axis">(.*?)<\/g>/.exec(svg)?.[1] ?? "").matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(ticks[0]).toBe("0");
    expect(ticks).toContain("10,000");
    expectInside(svg);
  });

  it("clustered columns with many series label every bar (turned upright when they do not fit across)", () => {
    const svg = renderChartSvg(sheet7(), {
      type: "column",
      title: "Conversions credited by model",
      categories: { row: 1, column: 0, rowCount: 8, columnCount: 1 },
      series: Array.from({ length: 7 }, (_, k) => ({ name: `Model ${k + 1} with a longer name`, values: { row: 1, column: k + 1, rowCount: 8, columnCount: 1 } })),
      valueFormat: "#,##0",
      yAxisTitle: "Conversions",
      anchor: { row: 0, column: 5, rows: 15, columns: 8 },
    });
    parseXml(svg);
    expect(marks(svg)).toBe(56);
    expect(valueLabels(svg)).toHaveLength(56);
    expectInside(svg);
  });

  it("stacked columns label the segments that fit and every stack's total", () => {
    const svg = renderChartSvg(sheet, chart("stackedColumn", 4));
    const labels = valueLabels(svg);
    expect(labels).toContain("6,200"); // Champions: 5,000 + 1,200
    expect(labels).toContain("5,000");
    expectInside(svg);
  });

  it("line: a few points are each labelled; scatter: both axes titled", () => {
    const line = renderChartSvg(oneSeries([[2024, 5], [2025, 50], [2026, 20]], "0.0%"), oneSeriesChart("line", 3));
    expect(valueLabels(line)).toEqual(["500.0%", "5000.0%", "2000.0%"]);
    expectInside(line);
    const scatter = renderChartSvg(sheet, chart("scatter", 4));
    expect(scatter).toContain(">Segment</text>");
    expect(scatter).toContain(">Amount</text>");
    expectInside(scatter);
  });

  it("pie: each slice named with its share and value, largest first", () => {
    const svg = renderChartSvg(oneSeries([["Email", 25], ["Social", 50], ["Display", 25]]), oneSeriesChart("pie", 3));
    parseXml(svg);
    expect(svg).toContain(">Social: 50% (50)</text>");
    expect(svg).toContain(">Email: 25% (25)</text>");
    expect(svg.indexOf("Social: 50%")).toBeLessThan(svg.indexOf("Email: 25%"));
    expect(valueLabels(svg)).toEqual(["50%", "25%", "25%"]);
    expectInside(svg);
  });
});

const sheet = sheetWith(DATA);

function sheet7(): ReportSheet {
  const channels = ["Paid Search", "Email", "Direct", "Organic Search", "Social", "Affiliate", "Referral", "Display"];
  return {
    name: "Chart data",
    blocks: [
      {
        kind: "table",
        name: "Data",
        row: 0,
        column: 0,
        headers: ["Channel", ...Array.from({ length: 7 }, (_, k) => `M${k + 1}`)],
        rows: channels.map((channel, i) => [channel, ...Array.from({ length: 7 }, (_, k) => 100 + ((i * 37 + k * 211) % 1100))]),
      },
    ],
    columnWidths: [],
    freeze: { rows: 1, columns: 0 },
    conditionalFormats: [],
    charts: [],
    provenance: { sources: [], options: [], generatedAt: "2026-11-23T00:00:00Z", notes: [] },
  };
}

describe("renderWaterfallSvg", () => {
  it("totals stand on zero, a change floats from the running total, every bar labelled", () => {
    const svg = renderWaterfallSvg(
      "Revenue target to revenue from new customers",
      [
        { label: "Target revenue", value: 442254, kind: "total" },
        { label: "Base revenue (retained customers)", value: -152056, kind: "change" },
        { label: "Revenue gap to fill", value: 290198, kind: "total" },
      ],
      '"€"#,##0;-"€"#,##0',
    );
    parseXml(svg);
    expect(marks(svg)).toBe(3);
    expect(valueLabels(svg).filter((label) => label.startsWith("€") || label.startsWith("−"))).toEqual(["€442,254", "−€152,056", "€290,198"]);
    const rects = [...svg.matchAll(/<rect class="mark" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g)].map((m) => ({ top: Number(m[1]), bottom: Number(m[1]) + Number(m[2]) }));
    expect(rects[1].top).toBeCloseTo(rects[0].top, 1); // the change hangs from the target
    expect(rects[1].bottom).toBeCloseTo(rects[2].top, 1); // down to the gap
    expect(rects[0].bottom).toBeCloseTo(rects[2].bottom, 1); // both totals on zero
    expect(svg).toContain('stroke-dasharray="3 2"');
    expectInside(svg);
  });
});

describe("formatNumber: currencies, padding, scaling", () => {
  it("shows the formats the tabs use as Excel does", () => {
    expect(formatNumber(1234.5, '"€"#,##0.00;-"€"#,##0.00')).toBe("€1,234.50");
    expect(formatNumber(-1234.5, '"€"#,##0.00;-"€"#,##0.00')).toBe("-€1,234.50");
    expect(formatNumber(1234.5, '#,##0 "CHF"')).toBe("1,235 CHF");
    expect(formatNumber(-1234.5, '#,##0 "CHF";-#,##0 "CHF"')).toBe("-1,235 CHF");
    expect(formatNumber(0.1234, "0.0%_)")).toBe("12.3%");
    expect(formatNumber(0.27, "+0%_);-0%_);0%_)")).toBe("+27%");
    expect(formatNumber(-0.27, "+0%_);-0%_);0%_)")).toBe("-27%");
    expect(formatNumber(0, "+0%_);-0%_);0%_)")).toBe("0%");
    expect(formatNumber(2.156, '0.00"×"')).toBe("2.16×");
    expect(formatNumber(2.156, '0.00"×"_)')).toBe("2.16×");
    expect(formatNumber(1234, "[$€-407]#,##0")).toBe("€1,234");
    expect(formatNumber(1234567, '#,##0,"k"')).toBe("1,235k");
    expect(formatNumber(0.000012, "0.00E+00")).toBe("1.20E-05");
    expect(formatNumber(-1234.5, "#,##0.00_);(#,##0.00)")).toBe("(1,234.50)");
  });
});

describe("text measurement", () => {
  it("wraps at spaces onto at most the lines asked for, cutting only what cannot fit", () => {
    const wrapped = wrapText("Potential Loyalist", textWidth("Potential", 10) + 1, 10, 3);
    expect(wrapped).toEqual({ lines: ["Potential", "Loyalist"], truncated: false });
    const cut = wrapText("one two three four five six", textWidth("three", 10) + 1, 10, 2);
    expect(cut.truncated).toBe(true);
    expect(cut.lines).toHaveLength(2);
    expect(cut.lines[1].endsWith("…")).toBe(true);
    expect(textWidth("WWW", 10)).toBeGreaterThan(textWidth("iii", 10));
  });
});
