import { describe, expect, it } from "vitest";
import { HTML_REPORT_ROW_LIMIT, renderHtmlReport } from "../../src/reports/htmlReport";
import { cellKey, conditionalLooks, magnitudeFills } from "../../src/reports/html/conditional";
import { generatedText, provenanceBlock, sheetProblems, type Cell, type ReportSheet } from "../../src/reports/sheet";

function segmentation(customerCount: number): ReportSheet {
  const rows: Cell[][] = [];
  for (let i = 0; i < customerCount; i++) rows.push([`C${i + 1} <${i % 2 ? "x" : "y"}>`, 1000 + i * 12.5, i % 3 === 0 ? 0.5 : 0.125]);
  const provenance = {
    sources: ["Orders!A1:D100 & more"],
    options: [{ label: "Scheme", value: "RFM <5>" }],
    generatedAt: "2026-11-23T00:00:00Z",
    notes: ["3 refunds excluded"],
  };
  return {
    name: "Segmentation",
    blocks: [
      { kind: "cells", row: 0, column: 0, values: [["Customer segments"]], style: "title" },
      { kind: "cells", row: 1, column: 0, values: [["Behaviour first, then demographics"]], style: "subtitle" },
      {
        kind: "cells",
        row: 3,
        column: 0,
        values: [
          ["Target", 1_000_000],
          ["Budget", { formula: "B4*0.1", value: 100_000 }],
        ],
        numberFormats: [null, "$#,##0"],
        columnStyles: ["label", "input"],
      },
      {
        kind: "table",
        name: "Customers",
        row: 6,
        column: 0,
        headers: ["Customer", "Revenue", "Share"],
        rows,
        numberFormats: [null, "#,##0.00", "0.0%"],
        totals: ["Total", { formula: `SUM(B8:B${7 + customerCount})`, value: rows.reduce((sum, row) => sum + (row[1] as number), 0) }, null],
      },
      provenanceBlock(provenance, 8 + customerCount, 0),
    ],
    columnWidths: [20, 12, 10],
    freeze: { rows: 7, columns: 0 },
    conditionalFormats: [],
    charts: [
      {
        type: "bar",
        title: "Revenue <top customers>",
        categories: { row: 7, column: 0, rowCount: 3, columnCount: 1 },
        series: [{ name: "Revenue", values: { row: 7, column: 1, rowCount: 3, columnCount: 1 } }],
        valueFormat: "#,##0",
        anchor: { row: 0, column: 5, rows: 12, columns: 7 },
      },
    ],
    provenance,
  };
}

describe("renderHtmlReport", () => {
  const sheet = segmentation(40);
  const budget: ReportSheet = { ...segmentation(2), name: "Budget" };
  const html = renderHtmlReport(
    [
      { name: "Segmentation 2", sheet },
      { name: "Budget & <Plan>", sheet: budget },
    ],
    { title: "IMC report for <Shop> & Co", workbookFile: "out/imc-demo.xlsx" },
  );

  it("the test sheets are well formed", () => {
    expect(sheetProblems(sheet)).toEqual([]);
    expect(sheetProblems(budget)).toEqual([]);
  });

  it("names every tab (escaped) and the workbook", () => {
    expect(html).toContain("<h2 id=\"tab-1-name\">Segmentation 2</h2>");
    expect(html).toContain("Budget &amp; &lt;Plan&gt;</h2>");
    expect(html).toContain("<title>IMC report for &lt;Shop&gt; &amp; Co</title>");
    expect(html).toContain("out/imc-demo.xlsx");
  });

  it("is self-contained: no URLs, scripts, external fonts or images", () => {
    expect(html).not.toMatch(/https?:\/\//);
    expect(html.toLowerCase()).not.toContain("<script");
    expect(html.toLowerCase()).not.toMatch(/<link\b|<img\b|@import|url\(|<iframe\b/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it("escapes cell text and provenance", () => {
    expect(html).toContain("C2 &lt;x&gt;");
    expect(html).not.toContain("C2 <x>");
    expect(html).toContain("RFM &lt;5&gt;");
    expect(html).toContain("Orders!A1:D100 &amp; more");
    expect(html).toContain("3 refunds excluded");
  });

  it("draws every chart as inline SVG", () => {
    expect((html.match(/<svg /g) ?? []).length).toBe(2);
    expect(html).toContain("<title>Revenue &lt;top customers&gt;</title>");
    expect((html.match(/class="mark"/g) ?? []).length).toBe(6);
  });

  it("shows the first rows of each table with number formats, the formula as a tooltip and the totals", () => {
    const first = html.lastIndexOf("<table", html.indexOf('<th scope="col">Customer</th>'));
    const table = html.slice(first, html.indexOf("</table>", first));
    expect((table.match(/<tr>/g) ?? []).length).toBe(1 + HTML_REPORT_ROW_LIMIT);
    expect(table).toContain('<td class="num">1,012.50</td>');
    expect(table).toContain('<td class="num">50.0%</td>');
    expect(table).toContain('<tr class="total">');
    expect(table).toContain('title="=SUM(B8:B47)"');
    expect(html).toContain("Showing the first 25 of 40 rows");
    expect(html).toContain('<td class="num input" title="=B4*0.1">$100,000</td>');
    expect(html).toContain("Customer segments");
    expect(html).toContain("Behaviour first, then demographics");
  });

  it("shows provenance once per tab (not also the provenance cells)", () => {
    expect((html.match(/Where these numbers come from/g) ?? []).length).toBe(2);
  });
});

describe("renderHtmlReport layout of plain blocks", () => {
  const blocks = (second: number): ReportSheet => ({
    name: "Budget",
    blocks: [
      { kind: "cells", row: 0, column: 0, values: [["Inputs", "Value"]], style: "header" },
      { kind: "cells", row: 1, column: 0, values: [["Target revenue", 1000]], columnStyles: ["label", "input"], numberFormats: [null, "#,##0"] },
      { kind: "cells", row: second, column: 0, values: [["Retention rate", 0.8]], columnStyles: ["label", "input"], numberFormats: [null, "0.0%"] },
    ],
    columnWidths: [],
    freeze: { rows: 0, columns: 0 },
    conditionalFormats: [],
    charts: [],
    provenance: { sources: [], options: [], generatedAt: "2026-11-23T00:00:00Z", notes: [] },
  });
  const tables = (html: string) => html.slice(html.indexOf("<main>")).match(/<table>/g)?.length ?? 0;

  it("shows blocks written row by row under each other as one table, each row with its own format", () => {
    const html = renderHtmlReport([{ name: "Budget", sheet: blocks(2) }], { title: "t", workbookFile: "b.xlsx" });
    expect(tables(html)).toBe(1);
    expect(html).toContain("1,000");
    expect(html).toContain("80.0%");
  });

  it("keeps blocks apart when a blank row separates them in the sheet", () => {
    expect(tables(renderHtmlReport([{ name: "Budget", sheet: blocks(3) }], { title: "t", workbookFile: "b.xlsx" }))).toBe(2);
  });
});

describe("generatedText", () => {
  it("writes an ISO 8601 UTC time as a reader does, and leaves other text as it is", () => {
    expect(generatedText("2026-12-06T00:20:31.123Z")).toBe("6 Dec 2026, 00:20 UTC");
    expect(generatedText("2026-01-09T17:05Z")).toBe("9 Jan 2026, 17:05 UTC");
    expect(generatedText("yesterday")).toBe("yesterday");
    expect(generatedText("2026-13-01T00:00:00Z")).toBe("2026-13-01T00:00:00Z");
  });
});

/** A Budget tab as the builder lays it out: inputs, then the plan's lines under "Budget from the end" (label | value | how). */
function budgetSheet(gap = 290_198): ReportSheet {
  const row = (r: number, label: string, value: number, format: string, style: "input" | "body" | "total" = "body") =>
    ({ kind: "cells", row: r, column: 0, values: [[label, value, "how"]], numberFormats: [null, format, null], columnStyles: ["label", style, "note"] }) as const;
  return {
    name: "Budget",
    blocks: [
      { kind: "cells", row: 0, column: 0, values: [["Budget"]], style: "title" },
      { kind: "cells", row: 2, column: 0, values: [["Read this first"]], style: "heading" },
      { kind: "cells", row: 3, column: 0, values: [["CLV : CAC is 2.16, below the 3.00 you set", null, null]], style: "warning" },
      { kind: "cells", row: 5, column: 0, values: [["Inputs", "Value", "What it is"]], style: "heading" },
      row(6, "Target revenue", 442_254, '"€"#,##0;-"€"#,##0', "input"),
      row(7, "First-period revenue per new customer", 211.56, '"€"#,##0.00;-"€"#,##0.00', "input"),
      row(8, "CAC (cost per new customer)", 100.41, '"€"#,##0.00;-"€"#,##0.00', "input"),
      { kind: "cells", row: 10, column: 0, values: [["Budget from the end", "Value", "How it is computed"]], style: "heading" },
      row(11, "Base revenue (retained customers)", 152_056, '"€"#,##0;-"€"#,##0'),
      row(12, "Revenue gap to fill", gap, '"€"#,##0;-"€"#,##0'),
      row(13, "New customers needed", 1_372, "#,##0"),
      row(14, "Budget before buffer", 137_740, '"€"#,##0;-"€"#,##0'),
      row(15, "Buffer amount", 13_774, '"€"#,##0;-"€"#,##0'),
      row(16, "Budget", 151_514, '"€"#,##0;-"€"#,##0', "total"),
      row(17, "CLV : CAC", 2.156, '0.00"×"_)'),
      { kind: "cells", row: 19, column: 0, values: [["Amounts in euros."]], style: "note" },
    ],
    columnWidths: [],
    freeze: { rows: 0, columns: 0 },
    conditionalFormats: [
      { range: { row: 17, column: 1, rowCount: 1, columnCount: 1 }, rule: { kind: "cellIs", operator: "lessThan", value: 3, look: "bad" } },
      { range: { row: 16, column: 1, rowCount: 1, columnCount: 1 }, rule: { kind: "expression", formula: "AND(ISNUMBER(B17),B17>0)", look: "good" } },
    ],
    charts: [],
    provenance: { sources: [], options: [], generatedAt: "2026-11-23T00:00:00Z", notes: [] },
  };
}

describe("renderHtmlReport: the Budget tab", () => {
  const html = renderHtmlReport([{ name: "Budget", sheet: budgetSheet() }], { title: "t", workbookFile: "b.xlsx" });

  it("the test sheet is well formed", () => {
    expect(sheetProblems(budgetSheet())).toEqual([]);
  });

  it("draws the plan's money lines as a waterfall beside the plan: target, minus existing customers, the gap", () => {
    expect(html).toContain("<title>Revenue target to revenue from new customers</title>");
    expect(html).toContain(">€442,254</text>");
    expect(html).toContain(">−€152,056</text>");
    expect(html).toContain(">€290,198</text>");
    // Beside the plan's table, then the chain from the gap to the budget.
    const plan = html.indexOf("Budget from the end");
    const waterfall = html.indexOf("<title>Revenue target to revenue from new customers</title>");
    expect(plan).toBeGreaterThan(0);
    expect(waterfall).toBeGreaterThan(plan);
    expect(html.lastIndexOf('<div class="with-charts">', plan)).toBeGreaterThan(0);
    const chain = html.slice(html.indexOf('<ol class="chain"'), html.indexOf("</ol>"));
    expect(chain).toContain("÷</span> First-period revenue per new customer <b>€211.56</b>");
    expect(chain).toContain("=</span> New customers needed <b>1,372</b>");
    expect(chain).toContain("×</span> CAC (cost per new customer) <b>€100.41</b>");
    expect(chain).toContain("+</span> Buffer amount <b>€13,774</b>");
    expect(chain).toContain("=</span> Budget <b>€151,514</b>");
  });

  it("draws no waterfall when the lines do not add up, or on another tab", () => {
    expect(renderHtmlReport([{ name: "Budget", sheet: budgetSheet(123) }], { title: "t", workbookFile: "b.xlsx" })).not.toContain("Revenue target to revenue from new customers");
    expect(renderHtmlReport([{ name: "Segmentation", sheet: segmentation(3) }], { title: "t", workbookFile: "b.xlsx" })).not.toContain('<ol class="chain"');
  });

  it("shows warnings in red, headings as h3, notes small, conditional formats red and green", () => {
    expect(html).toContain('<p class="warning">CLV : CAC is 2.16, below the 3.00 you set</p>');
    expect(html).toContain("<h3>Read this first</h3>");
    expect(html).toContain('<p class="note">Amounts in euros.</p>');
    expect(html).toContain('<th class="heading">Budget from the end</th>');
    expect(html).toMatch(/<td class="num bad">2.16×<\/td>/);
    expect(html).toMatch(/<td class="num total good">€151,514<\/td>|<td class="num good">€151,514<\/td>/);
  });
});

describe("renderHtmlReport: words", () => {
  const html = renderHtmlReport([{ name: "Segmentation", sheet: segmentation(3) }], { title: "t", workbookFile: "b.xlsx" });
  it("shows no table names (the workbook's identifiers) and no apology for the workbook", () => {
    expect(html).not.toContain(">Customers<");
    expect(html).not.toMatch(/cannot|can't|unable|not able|not supported|sorry/i);
  });
});

describe("conditional looks of the HTML report", () => {
  const sheet: ReportSheet = {
    name: "Checks",
    blocks: [
      { kind: "cells", row: 0, column: 0, values: [["ROI", 0.8, "Pass"], ["ROI", 1.4, "Below 3.00"], ["Note", null, "x"]] },
      { kind: "cells", row: 4, column: 0, values: [["a warning sentence"]], style: "total" },
    ],
    columnWidths: [],
    freeze: { rows: 0, columns: 0 },
    conditionalFormats: [
      { range: { row: 0, column: 1, rowCount: 3, columnCount: 1 }, rule: { kind: "expression", formula: "AND(ISNUMBER(B1),B1<1)", look: "bad" } },
      { range: { row: 0, column: 2, rowCount: 2, columnCount: 1 }, rule: { kind: "expression", formula: 'C1="Pass"', look: "good" } },
      { range: { row: 0, column: 2, rowCount: 2, columnCount: 1 }, rule: { kind: "expression", formula: 'C1<>"Pass"', look: "bad" } },
      { range: { row: 4, column: 0, rowCount: 1, columnCount: 3 }, rule: { kind: "expression", formula: '$A5<>""', look: "bad" } },
      { range: { row: 0, column: 1, rowCount: 2, columnCount: 1 }, rule: { kind: "dataBar", color: "5B9BD5" } },
      { range: { row: 0, column: 0, rowCount: 1, columnCount: 1 }, rule: { kind: "expression", formula: "SOMEFUNCTION(A1)", look: "bad" } },
    ],
    charts: [],
    provenance: { sources: [], options: [], generatedAt: "2026-11-23T00:00:00Z", notes: [] },
  };
  const looks = conditionalLooks(sheet);

  it("evaluates the formula rules relative to each cell, and paints nothing for a formula it does not know", () => {
    expect(looks.get(cellKey(0, 1))).toBe("bad");
    expect(looks.has(cellKey(1, 1))).toBe(false);
    expect(looks.has(cellKey(2, 1))).toBe(false); // blank: not a number
    expect(looks.get(cellKey(0, 2))).toBe("good");
    expect(looks.get(cellKey(1, 2))).toBe("bad");
    expect(looks.get(cellKey(4, 2))).toBe("bad"); // $A anchors the column
    expect(looks.has(cellKey(0, 0))).toBe(false);
  });

  it("turns data bars into light backgrounds of the value's share of the largest", () => {
    const fills = magnitudeFills(sheet);
    expect(fills.get(cellKey(1, 1))).toBe("linear-gradient(90deg,#5B9BD566 100%,transparent 100%)");
    expect(fills.get(cellKey(0, 1))).toBe("linear-gradient(90deg,#5B9BD566 57.1%,transparent 57.1%)");
  });

  it("shows a sentence painted red as a warning line", () => {
    const html = renderHtmlReport([{ name: "Checks", sheet }], { title: "t", workbookFile: "b.xlsx" });
    expect(html).toContain('<p class="warning">a warning sentence</p>');
    expect(html).toContain('<td class="num bad">0.8</td>'); // the red of a rule wins over the bar
    expect(html).toContain('<td class="num" style="background:linear-gradient(90deg,#5B9BD566 100%,transparent 100%)">1.4</td>');
  });
});
