// The Campaign KPIs tab: the KPI values are IMC.CAMPAIGNKPIS's (engine campaignKpis), grouped by
// channel with subtotals recomputed from summed counts, spend and revenue beside the rates, a
// headline, colours by stated rules only, and the column mapping in words.
import { beforeAll, describe, expect, it } from "vitest";
import { campaignKpis } from "../../src/engine/campaigns/campaignKpis";
import { calendarToSerial } from "../../src/engine/data";
import { buildCampaignKpisTab } from "../../src/reports/campaignKpis";
import type { CampaignsInput } from "../../src/reports/inputs";
import { blockRange, cellAt, cellValue, sheetProblems, tableNamed, type CellValue, type ReportSheet } from "../../src/reports/sheet";
import { installCustomFunctionsStub } from "../support/customFunctions";
import { engineErrorOf } from "../support/engine";

installCustomFunctionsStub();
let campaignKpisFunction: typeof import("../../src/functions/campaigns").campaignKpis;
beforeAll(async () => {
  ({ campaignKpis: campaignKpisFunction } = await import("../../src/functions/campaigns"));
});

const context = { generatedAt: "2026-11-23T00:00:00Z" };
const table: unknown[][] = [
  ["Campaign", "Sent", "Hard bounces", "Soft bounces", "Unique opens", "Unique clicks", "Unsubscribes", "Spend", "Leads", "Revenue", "Owner", "Sent"],
  ["Spring sale", 10_000, 120, 200, 2_500, 400, 30, 1_500, 60, 9_000, "Ann", 1],
  ["Summer news", 8_000, 40, 80, 1_900, 150, 60, 800, 20, 600, "Bob", 1],
  ["Winback", 3_000, 20, 10, 450, 90, 5, 500, 0, 2_000, "Ann", 1],
  ["Blank sends", "", "", "", "", "", "", 200, 4, "", "Cy", 1],
];
const campaigns: CampaignsInput = { source: "Campaigns!A1:L5", table };

const serial = (year: number, month: number, day: number): number => calendarToSerial({ year, month, day });
const byChannel: unknown[][] = [
  ["Campaign", "Channel", "Start date", "End date", "Sent", "Hard Bounces", "Soft bounces", "Unique opens", "Unsubscribes", "Conversions", "Spend", "Revenue"],
  ["Spring sale", "Email", serial(2023, 3, 15), serial(2023, 3, 25), 10_000, 120, 200, 2_500, 30, 50, 1_500, 9_000],
  ["Summer news", "Email", serial(2023, 6, 23), serial(2023, 6, 28), 8_000, 40, 80, 1_900, 60, 10, 800, 600],
  ["Search brand", "Paid Search", serial(2023, 4, 4), serial(2023, 5, 4), "", "", "", "", "", 40, 2_000, 5_000],
  ["Search generic", "Paid Search", "2023-03-01", "", "", "", "", "", "", 20, 1_000, 800],
];
const channelInput: CampaignsInput = { source: "Campaigns!A1:L5", table: byChannel };

/** The campaign table as written: header row index, headers and the rows under it up to the total row. */
function campaignTable(sheet: ReportSheet): { headerRow: number; headers: string[]; rows: CellValue[][] } {
  let headerRow = -1;
  for (let r = 0; r < 60 && headerRow < 0; r++) if (cellAt(sheet, r, 0) === "Campaign") headerRow = r;
  expect(headerRow).toBeGreaterThan(0);
  const headers: string[] = [];
  for (let c = 0; cellAt(sheet, headerRow, c) !== undefined; c++) headers.push(String(cellAt(sheet, headerRow, c)));
  const rows: CellValue[][] = [];
  for (let r = headerRow + 1; ; r++) {
    const row = headers.map((_, c) => {
      const cell = cellAt(sheet, r, c);
      return cell === undefined ? null : cellValue(cell);
    });
    rows.push(row);
    if (String(row[0]).startsWith("Total")) break;
    expect(r).toBeLessThan(headerRow + 100);
  }
  return { headerRow, headers, rows };
}

/** Every text cell of the sheet. */
function texts(sheet: ReportSheet): string[] {
  const out: string[] = [];
  for (const block of sheet.blocks) {
    const range = blockRange(block);
    for (let r = 0; r < range.rowCount; r++) {
      for (let c = 0; c < range.columnCount; c++) {
        const cell = cellAt(sheet, range.row + r, range.column + c);
        if (cell !== undefined && typeof cellValue(cell) === "string") out.push(cellValue(cell) as string);
      }
    }
  }
  return out;
}

/** The number format written on a cell (undefined: General or no cell). */
function formatAt(sheet: ReportSheet, row: number, column: number): string | null | undefined {
  for (const block of sheet.blocks) {
    const range = blockRange(block);
    if (block.kind !== "cells" || row < range.row || row >= range.row + range.rowCount || column < range.column || column >= range.column + range.columnCount) continue;
    return block.numberFormats?.[column - block.column];
  }
  return undefined;
}

/** The headline under "At a glance": label | number | sentence, one row each, up to the blank row. */
function headlineRows(sheet: ReportSheet): { row: number; label: string; value: CellValue; sentence: string }[] {
  let top = -1;
  for (let r = 0; r < 20 && top < 0; r++) if (cellAt(sheet, r, 0) === "At a glance") top = r;
  expect(top).toBeGreaterThan(0);
  const rows: { row: number; label: string; value: CellValue; sentence: string }[] = [];
  for (let r = top + 1; cellAt(sheet, r, 0) !== undefined; r++) {
    const value = cellAt(sheet, r, 1);
    rows.push({ row: r, label: String(cellAt(sheet, r, 0)), value: value === undefined ? null : cellValue(value), sentence: String(cellAt(sheet, r, 2)) });
  }
  return rows;
}

describe("buildCampaignKpisTab without a channel column", () => {
  const sheet = buildCampaignKpisTab(campaigns, {}, context);
  const written = campaignTable(sheet);

  it("is well formed; the title and the campaign names frozen (the sections above the campaign table would fill a frozen pane)", () => {
    expect(sheetProblems(sheet)).toEqual([]);
    expect(sheet.name).toBe("Campaign KPIs");
    expect(sheet.freeze).toEqual({ rows: 2, columns: 1 });
    expect(written.headerRow).toBeGreaterThan(2);
  });

  it("each campaign's KPIs equal campaignKpis and IMC.CAMPAIGNKPIS, blanks where an input is blank or a denominator 0", () => {
    const engine = campaignKpis(table, { openRateBase: "delivered", argument: "campaign_table" });
    const shown = (header: string) => ({ CPA: "CPA (per conversion)", CPL: "CPL (per lead)" })[header] ?? header;
    for (const header of engine.headers) expect(written.headers, header).toContain(shown(header));
    const spilled = campaignKpisFunction(table, [["delivered"]]);
    expect(spilled[0]).toEqual(["Campaign", ...engine.headers]);
    expect(written.rows).toHaveLength(engine.rows.length + 1); // the campaigns and the total row
    engine.rows.forEach((row, i) => {
      const mine = written.rows.find((r) => r[0] === row.label)!;
      expect(mine, row.label ?? "").toBeDefined();
      engine.headers.forEach((header, k) => {
        expect(mine[written.headers.indexOf(shown(header))], `${row.label} ${header}`).toEqual(row.values[k]);
        const cell = spilled[i + 1][k + 1];
        if (cell === "" || cell === null) expect(row.values[k]).toBeNull();
        else expect(row.values[k]).toEqual(cell);
      });
    });
    const winback = written.rows.find((r) => r[0] === "Winback")!;
    expect(winback[written.headers.indexOf("CPL (per lead)")]).toBeNull(); // 0 leads
    const spring = written.rows.find((r) => r[0] === "Spring sale")!;
    expect(spring[written.headers.indexOf("Open rate")]).toBeCloseTo(2_500 / (10_000 - 320), 12);
  });

  it("campaigns are sorted by spend, then a total row whose rates come from summed counts", () => {
    expect(written.rows.map((r) => r[0])).toEqual(["Spring sale", "Summer news", "Winback", "Blank sends", "Total (4 campaigns)"]);
    const total = written.rows[4];
    const at = (header: string) => total[written.headers.indexOf(header)];
    expect(at("Spend")).toBe(3_000);
    expect(at("Revenue")).toBe(11_600);
    // ROAS over the campaigns that have one: Blank sends has no revenue.
    expect(at("ROAS")).toBeCloseTo(11_600 / 2_800, 12);
    expect(at("Open rate")).toBeCloseTo(4_850 / (21_000 - 470), 12);
    expect(at("Delivered")).toBe(21_000 - 470);
    expect(at("CPL (per lead)")).toBeCloseTo((1_500 + 800 + 200) / 84, 12); // Winback (0 leads) has no CPL
  });

  it("rates are percentages, Delivered a count, ROAS a multiple, amounts per lead with decimals; no computed number in General", () => {
    const row = written.headerRow + 1;
    const format = (header: string) => formatAt(sheet, row, written.headers.indexOf(header));
    expect(format("Open rate")).toBe("0.0%");
    expect(format("Email bounce rate")).toBe("0.0%");
    expect(format("Delivered")).toBe("#,##0");
    expect(format("ROAS")).toBe('0.00"×"');
    expect(format("CPL (per lead)")).toBe("#,##0.00");
    expect(format("Spend")).toBe("#,##0"); // the revenue total, 11,600, is above 10,000
    for (let r = 0; r < 40; r++) {
      for (let c = 0; c < written.headers.length; c++) {
        const cell = cellAt(sheet, r, c);
        if (cell !== undefined && typeof cellValue(cell) === "number") expect(formatAt(sheet, r, c), `row ${r} column ${c}`).toBeTruthy();
      }
    }
  });

  it("the sent base is honoured and said", () => {
    const sent = buildCampaignKpisTab(campaigns, { openRateBase: "sent" }, context);
    expect(sheetProblems(sent)).toEqual([]);
    expect(campaignTable(sent).headers).toContain("Open rate (of sent)");
    expect(sent.provenance.options).toContainEqual({ label: "Open-rate denominator", value: "emails sent" });
  });

  it("the column mapping is in words, every column of the table accounted for, the second 'Sent' not used", () => {
    const all = texts(sheet);
    expect(all).toContain("Hard bounces read from the column 'Hard bounces'.");
    expect(all).toContain("Unique opens read from the column 'Unique opens'.");
    expect(all).toContain("Campaign names read from the column 'Campaign'.");
    expect(all).toContain("The column 'Owner' not used: not a KPI input the tab knows.");
    expect(all).toContain("The column 'Sent' (column 12) not used: column 2 already gives emails sent.");
  });

  it("bad input is the engine's error naming campaign_table, with row and header", () => {
    const bad = table.map((row, r) => (r === 2 ? row.map((cell, c) => (c === 4 ? "many" : cell)) : row));
    const error = engineErrorOf(() => buildCampaignKpisTab({ ...campaigns, table: bad }, {}, context));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("campaign_table");
    expect(error.message).toMatch(/Unique opens/);
    expect(error.message).toMatch(/row 3/);
    expect(engineErrorOf(() => buildCampaignKpisTab({ ...campaigns, table: [["Owner"], ["Ann"]] }, {}, context)).code).toBe("INSUFFICIENT_DATA");
  });
});

describe("buildCampaignKpisTab with channel, dates, conversions, spend and revenue", () => {
  const sheet = buildCampaignKpisTab(channelInput, {}, context);
  const written = campaignTable(sheet);
  const column = (header: string) => written.headers.indexOf(header);
  const rowOf = (label: string) => written.rows.find((r) => r[0] === label)!;

  it("is well formed", () => {
    expect(sheetProblems(sheet)).toEqual([]);
    expect(sheet.freeze).toEqual({ rows: 2, columns: 1 });
  });

  it("shows channel, dates, spend, revenue, conversions, ROAS and CPA beside the rates", () => {
    expect(written.headers.slice(0, 9)).toEqual([
      "Campaign",
      "Channel",
      "Start date",
      "End date",
      "Spend",
      "Revenue",
      "Conversions",
      "ROAS",
      "CPA (per conversion)",
    ]);
    expect(written.headers).toContain("Unsubscribe rate");
    expect(rowOf("Spring sale")[column("Start date")]).toBe(serial(2023, 3, 15));
    expect(rowOf("Search generic")[column("Start date")]).toBe(serial(2023, 3, 1)); // date text read as a date
    expect(rowOf("Search generic")[column("End date")]).toBeNull();
    expect(formatAt(sheet, written.headerRow + 1, column("Start date"))).toBe("yyyy-mm-dd");
    expect(formatAt(sheet, written.headerRow + 1, column("Spend"))).toBe("#,##0"); // revenue total above 10,000
    expect(formatAt(sheet, written.headerRow + 1, column("Conversions"))).toBe("#,##0");
    expect(formatAt(sheet, written.headerRow + 1, column("CPA (per conversion)"))).toBe("#,##0.00");
    expect(String(cellAt(sheet, 1, 0))).toContain("4 campaigns in 2 channels, 1 Mar 2023 – 28 Jun 2023");
  });

  it("groups campaigns by channel (most spend first), spend descending, a subtotal per channel and a total row", () => {
    expect(written.rows.map((r) => r[0])).toEqual([
      "Search brand",
      "Search generic",
      "Paid Search subtotal (2 campaigns)",
      "Spring sale",
      "Summer news",
      "Email subtotal (2 campaigns)",
      "Total (4 campaigns)",
    ]);
    expect(written.rows.map((r) => r[1])).toEqual(["Paid Search", "Paid Search", "Paid Search", "Email", "Email", "Email", null]);
  });

  it("subtotal and total rates are recomputed from summed counts, not averaged", () => {
    const email = rowOf("Email subtotal (2 campaigns)");
    const search = rowOf("Paid Search subtotal (2 campaigns)");
    const total = rowOf("Total (4 campaigns)");
    expect(email[column("Spend")]).toBe(2_300);
    expect(email[column("Revenue")]).toBe(9_600);
    expect(email[column("Conversions")]).toBe(60);
    expect(email[column("ROAS")]).toBeCloseTo(9_600 / 2_300, 12);
    expect(email[column("CPA (per conversion)")]).toBeCloseTo(2_300 / 60, 12);
    expect(email[column("Delivered")]).toBe(18_000 - 440);
    expect(email[column("Unsubscribe rate")]).toBeCloseTo(90 / 17_560, 12); // the average of the two rates would be 0.535%
    expect(email[column("Open rate")]).toBeCloseTo(4_400 / 17_560, 12);
    expect(search[column("ROAS")]).toBeCloseTo(5_800 / 3_000, 12);
    expect(search[column("Delivered")]).toBeNull();
    expect(search[column("Open rate")]).toBeNull();
    expect(total[column("Spend")]).toBe(5_300);
    expect(total[column("ROAS")]).toBeCloseTo(15_400 / 5_300, 12);
    expect(total[column("CPA (per conversion)")]).toBeCloseTo(5_300 / 120, 12);
    // Email rates over the email campaigns only: the search campaigns do not dilute them.
    expect(total[column("Open rate")]).toBeCloseTo(4_400 / 17_560, 12);
  });

  it("colours only by the stated rules: red where a rule of thumb is broken, green where ROAS ≥ 3; never on a blank cell", () => {
    expect(sheet.conditionalFormats.some((f) => f.rule.kind === "colorScale")).toBe(false);
    const rulesOf = (header: string) => sheet.conditionalFormats.filter((f) => f.range.column === column(header)).map((f) => f.rule);
    expect(new Set(rulesOf("ROAS").map((r) => JSON.stringify(r)))).toEqual(
      new Set([
        JSON.stringify({ kind: "cellIs", operator: "lessThan", value: 1, look: "bad" }),
        JSON.stringify({ kind: "cellIs", operator: "greaterThanOrEqual", value: 3, look: "good" }),
      ]),
    );
    expect(rulesOf("Email bounce rate")).toContainEqual({ kind: "cellIs", operator: "greaterThan", value: 0.02, look: "bad" });
    expect(rulesOf("Unsubscribe rate")).toContainEqual({ kind: "cellIs", operator: "greaterThan", value: 0.005, look: "bad" });
    expect(rulesOf("Open rate")).toEqual([]);
    // The headline count of campaigns breaking a rule is red, as it is above 0 (column B, in the headline).
    const headline = headlineRows(sheet);
    const headlineRules = sheet.conditionalFormats.filter((f) => f.range.row <= headline.at(-1)!.row);
    expect(headlineRules).toHaveLength(1);
    expect(cellAt(sheet, headlineRules[0].range.row, 0)).toBe("Campaigns breaking a rule");
    expect(headlineRules[0]).toEqual({ range: { row: headlineRules[0].range.row, column: 1, rowCount: 1, columnCount: 1 }, rule: { kind: "expression", formula: "TRUE", look: "bad" } });
    for (const format of sheet.conditionalFormats) {
      for (let r = 0; r < format.range.rowCount; r++) {
        const cell = cellAt(sheet, format.range.row + r, format.range.column);
        expect(cell === undefined ? null : cellValue(cell), `${format.range.row + r}`).not.toBeNull();
      }
    }
    const all = texts(sheet);
    expect(all).toContain("Red: email bounce rate above 2% (a common deliverability rule of thumb: the list needs cleaning).");
    expect(all).toContain("Red: unsubscribe rate above 0.5% (a common rule of thumb for email programmes).");
    expect(all).toContain("Red: ROAS below 1.00× (the campaign brought less revenue than it cost).");
    expect(all).toContain("Green: ROAS of 3.00× or more (a common target: 3 of revenue for each 1 spent).");
  });

  it("a headline of 3 to 5 numbers, each with a sentence", () => {
    const headline = headlineRows(sheet).map(({ label, value, sentence }) => ({ label, value, sentence }));
    expect(headline.map((h) => h.label)).toEqual(["Total spend", "Blended ROAS", "Best campaign by ROAS", "Worst campaign by ROAS", "Campaigns breaking a rule"]);
    expect(headline[0].value).toBe(5_300);
    expect(headline[0].sentence).toBe("Across 4 campaigns in 2 channels, bringing 15,400 of revenue; Paid Search spent most (3,000, 57%).");
    expect(headline[1].value).toBeCloseTo(15_400 / 5_300, 12);
    expect(headline[2]).toEqual({ label: "Best campaign by ROAS", value: 6, sentence: "Spring sale (Email): revenue 9,000 on spend 1,500." });
    expect(headline[3]).toEqual({
      label: "Worst campaign by ROAS",
      value: 0.75,
      sentence: "Summer news (Email): revenue 600 on spend 800; it returned less than it cost.",
    });
    // Spring sale: bounces 320 / 10,000 sent; Summer news: unsubscribes 60 / 7,880 delivered and ROAS 0.75;
    // Search generic: ROAS 0.80.
    expect(headline[4]).toEqual({
      label: "Campaigns breaking a rule",
      value: 3,
      sentence: "Of 4 campaigns (red below): 1 with email bounce rate above 2%; 1 with unsubscribe rate above 0.5%; 2 with ROAS below 1.00×.",
    });
  });

  it("warns in red, above the tables, naming the campaigns that break each rule, worst first", () => {
    const warnings = sheet.blocks.filter((b) => b.kind === "cells" && b.style === "warning").flatMap((b) => (b.kind === "cells" ? b.values.map((r) => String(r[0])) : []));
    expect(warnings).toEqual([
      "Email bounce rate above 2% in 1 campaign: Spring sale (Email) 3.2%; a common deliverability rule of thumb: the list needs cleaning.",
      "Unsubscribe rate above 0.5% in 1 campaign: Summer news (Email) 0.8%; a common rule of thumb for email programmes.",
      "ROAS below 1.00× in 2 campaigns: Summer news (Email) 0.75× and Search generic (Paid Search) 0.80×; the campaign brought less revenue than it cost.",
    ]);
    const warningRows = sheet.blocks.filter((b) => b.kind === "cells" && b.style === "warning").map((b) => b.row);
    expect(Math.max(...warningRows)).toBeLessThan(tableNamed(sheet, "CampaignChannels")!.row);
  });

  it("sums spend, revenue, conversions, ROAS and CPA by channel, with a total row and the chart of spend and revenue beside it", () => {
    const summary = tableNamed(sheet, "CampaignChannels")!;
    // Its columns line up with the campaign table's: the dates are each channel's first start and last end.
    expect(summary.headers).toEqual(["Channel", "Campaigns", "From", "To", "Spend", "Revenue", "Conversions", "ROAS", "CPA (per conversion)"]);
    expect(summary.headers.slice(4)).toEqual(written.headers.slice(4, 9));
    expect(summary.rows.map((r) => r.slice(0, 7))).toEqual([
      ["Paid Search", 2, serial(2023, 3, 1), serial(2023, 5, 4), 3_000, 5_800, 60],
      ["Email", 2, serial(2023, 3, 15), serial(2023, 6, 28), 2_300, 9_600, 60],
    ]);
    expect(summary.rows[1][7] as number).toBeCloseTo(9_600 / 2_300, 12);
    expect(summary.rows[1][8] as number).toBeCloseTo(2_300 / 60, 12);
    expect(summary.totals?.slice(0, 7)).toEqual(["Total", 4, serial(2023, 3, 1), serial(2023, 6, 28), 5_300, 15_400, 120]);
    expect(summary.numberFormats).toEqual([null, "#,##0", "yyyy-mm-dd", "yyyy-mm-dd", "#,##0", "#,##0", "#,##0", '0.00"×"', "#,##0.00"]);
    // The subtotals of the campaign table say the same.
    expect(rowOf("Email subtotal (2 campaigns)")[column("Spend")]).toBe(summary.rows[1][4]);
    const chart = sheet.charts.find((c) => c.title === "Spend and revenue by channel")!;
    const categories = { row: summary.row + 1, column: 0, rowCount: 2, columnCount: 1 };
    expect(chart).toMatchObject({ categories, series: [{ name: "Spend", values: { ...categories, column: 4 } }, { name: "Revenue", values: { ...categories, column: 5 } }], anchor: { row: summary.row, column: 10 } });
    // ROAS in the summary coloured by the same two stated rules.
    const roasRules = sheet.conditionalFormats.filter((f) => f.range.row > summary.row && f.range.row <= summary.row + 3 && f.range.column === 7).map((f) => f.rule);
    expect(roasRules).toEqual([
      { kind: "cellIs", operator: "lessThan", value: 1, look: "bad" },
      { kind: "cellIs", operator: "greaterThanOrEqual", value: 3, look: "good" },
    ]);
  });

  it("shows amounts with the data's currency when it is known, and keeps the wording when it is not", () => {
    expect(String(cellAt(sheet, 1, 0))).toMatch(/amounts in the data's currency\.$/);
    const euro = buildCampaignKpisTab(channelInput, {}, { ...context, currency: "EUR" });
    expect(sheetProblems(euro)).toEqual([]);
    const table = campaignTable(euro);
    expect(String(cellAt(euro, 1, 0))).toMatch(/amounts in EUR\.$/);
    expect(formatAt(euro, table.headerRow + 1, table.headers.indexOf("Spend"))).toBe('#,##0 "EUR";-#,##0 "EUR"');
    expect(formatAt(euro, table.headerRow + 1, table.headers.indexOf("CPA (per conversion)"))).toBe('#,##0.00 "EUR";-#,##0.00 "EUR"');
    expect(headlineRows(euro)[0].sentence).toBe("Across 4 campaigns in 2 channels, bringing 15,400 EUR of revenue; Paid Search spent most (3,000 EUR, 57%).");
    expect(tableNamed(euro, "CampaignChannels")!.numberFormats?.[4]).toBe('#,##0 "EUR";-#,##0 "EUR"');
  });

  it("the column mapping is in words; no code identifiers, function names or README references anywhere", () => {
    const all = texts(sheet);
    expect(all).toContain("Hard bounces read from the column 'Hard Bounces'.");
    expect(all).toContain("Channels read from the column 'Channel'.");
    expect(all).toContain("Start dates read from the column 'Start date'.");
    expect(all).toContain("End dates read from the column 'End date'.");
    for (const text of [...all, ...sheet.provenance.options.map((o) => o.value), ...sheet.provenance.notes]) {
      expect(text).not.toMatch(/IMC\.|README|CAMPAIGNKPIS|\b[a-z]+[A-Z][a-zA-Z]*\b/);
    }
  });
});
