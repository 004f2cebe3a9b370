// The Campaign KPIs tab: the table is IMC.CAMPAIGNKPIS's (engine campaignKpis), formatted, with
// conditional formats on the rate columns and the recognised / ignored columns listed.
import { beforeAll, describe, expect, it } from "vitest";
import { campaignKpis } from "../../src/engine/campaigns/campaignKpis";
import { buildCampaignKpisTab } from "../../src/reports/campaignKpis";
import type { CampaignsInput } from "../../src/reports/inputs";
import { cellAt, sheetProblems, tableNamed } from "../../src/reports/sheet";
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

describe("buildCampaignKpisTab", () => {
  const sheet = buildCampaignKpisTab(campaigns, {}, context);
  const kpis = tableNamed(sheet, "CampaignKpis")!;

  it("is well formed", () => {
    expect(sheetProblems(sheet)).toEqual([]);
    expect(sheet.name).toBe("Campaign KPIs");
    expect(sheet.freeze).toEqual({ rows: kpis.row + 1, columns: 1 });
  });

  it("the table equals campaignKpis and IMC.CAMPAIGNKPIS, blanks where an input is blank or a denominator 0", () => {
    const engine = campaignKpis(table, { openRateBase: "delivered", argument: "campaign_table" });
    expect(kpis.headers).toEqual(["Campaign", ...engine.headers]);
    engine.rows.forEach((row, i) => expect(kpis.rows[i]).toEqual([row.label, ...row.values]));
    const spilled = campaignKpisFunction(table, [["delivered"]]);
    expect(spilled[0]).toEqual(kpis.headers);
    spilled.slice(1).forEach((row, i) =>
      row.forEach((cell, c) => {
        const mine = kpis.rows[i][c];
        if (cell === "" || cell === null) expect(mine, `${i} ${c}`).toBeNull();
        else expect(mine, `${i} ${c}`).toEqual(cell);
      }),
    );
    const cpl = kpis.headers.indexOf("CPL");
    expect(kpis.rows[2][cpl]).toBeNull(); // Winback: 0 leads
    expect(kpis.rows[0][kpis.headers.indexOf("Open rate")]).toBeCloseTo(2_500 / (10_000 - 320), 12);
  });

  it("rates are percentages, Delivered a count, ROAS a ratio", () => {
    const format = (header: string) => kpis.numberFormats![kpis.headers.indexOf(header)];
    expect(format("Open rate")).toBe("0.0%");
    expect(format("Email bounce rate")).toBe("0.0%");
    expect(format("Delivered")).toBe("#,##0");
    expect(format("ROAS")).toBe("0.00");
    expect(format("CPL")).toBe("#,##0.00");
  });

  it("colour scales on every rate, reversed for bounce and unsubscribe rates; red for ROAS < 1, bounce > 2%, unsubscribes > 0.5%", () => {
    const rulesOf = (header: string) => sheet.conditionalFormats.filter((f) => f.range.column === kpis.column + kpis.headers.indexOf(header)).map((f) => f.rule);
    for (const header of kpis.headers.filter((h) => /rate/i.test(h))) {
      expect(rulesOf(header).some((r) => r.kind === "colorScale"), header).toBe(true);
      for (const f of sheet.conditionalFormats) {
        expect(f.range.row).toBe(kpis.row + 1);
        expect(f.range.rowCount).toBe(kpis.rows.length);
      }
    }
    expect(rulesOf("Open rate")).toContainEqual({ kind: "colorScale", low: "F8696B", mid: "FFEB84", high: "63BE7B" });
    expect(rulesOf("Unsubscribe rate")).toContainEqual({ kind: "colorScale", low: "63BE7B", mid: "FFEB84", high: "F8696B" });
    expect(rulesOf("ROAS")).toEqual([{ kind: "cellIs", operator: "lessThan", value: 1, look: "bad" }]);
    expect(rulesOf("Email bounce rate")).toContainEqual({ kind: "cellIs", operator: "greaterThan", value: 0.02, look: "bad" });
    expect(rulesOf("Unsubscribe rate")).toContainEqual({ kind: "cellIs", operator: "greaterThan", value: 0.005, look: "bad" });
    expect(sheet.provenance.notes.some((n) => n.startsWith("ROAS below 1 is red"))).toBe(true);
  });

  it("lists the recognised and ignored columns with reasons", () => {
    const engine = campaignKpis(table, { openRateBase: "delivered", argument: "campaign_table" });
    let headerRow = -1;
    for (let r = 0; r < 40; r++) if (cellAt(sheet, r, 0) === "Column" && cellAt(sheet, r, 2) === "Status") headerRow = r;
    expect(headerRow).toBeGreaterThan(0);
    const listed: unknown[][] = [];
    for (let r = headerRow + 1; cellAt(sheet, r, 0) !== undefined && typeof cellAt(sheet, r, 0) === "number"; r++) listed.push([0, 1, 2, 3].map((c) => cellAt(sheet, r, c)));
    expect(listed).toHaveLength(engine.recognised.length + engine.ignored.length);
    expect(listed).toContainEqual([11, "Owner", "ignored", "not a recognised KPI input"]);
    expect(listed.find((r) => r[0] === 12)?.[2]).toBe("ignored"); // the second "Sent"
    expect(listed).toContainEqual([5, "Unique opens", "used", "uniqueOpens"]);
  });

  it("the sent base is honoured and said", () => {
    const sent = buildCampaignKpisTab(campaigns, { openRateBase: "sent" }, context);
    expect(sheetProblems(sent)).toEqual([]);
    expect(tableNamed(sent, "CampaignKpis")!.headers).toContain("Open rate (of sent)");
    expect(sent.provenance.options).toContainEqual({ label: "Open-rate denominator", value: "sent" });
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
