import { describe, expect, it } from "vitest";
import { sheetProblems, type ChartSpec, type ChartType, type ReportSheet } from "../../src/reports/sheet";
import { formatNumber, niceTicks, renderChartSvg } from "../../src/reports/svgChart";

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
