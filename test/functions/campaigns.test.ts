// IMC.CAMPAIGNKPIS called exactly as Excel calls it.
import { beforeAll, describe, expect, it } from "vitest";
import { excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";

installCustomFunctionsStub();
let mod: typeof import("../../src/functions/campaigns");
beforeAll(async () => {
  mod = await import("../../src/functions/campaigns");
});

const emails = [
  ["Campaign", "Sent", "Hard bounces", "Soft bounces", "Unique opens", "Unique clicks", "Unsubscribes", "Spend", "Leads"],
  ["Spring", 1000, 10, 40, 380, 95, 19, 500, 20],
  ["Summer", 2000, 0, 0, 0, 0, 0, 800, 0],
];

describe("IMC.CAMPAIGNKPIS", () => {
  it("spills Campaign plus every KPI the headers allow (domain.md §6)", () => {
    const result = mod.campaignKpis(emails);
    expect(result[0]).toEqual([
      "Campaign",
      "Delivered",
      "Hard bounce rate",
      "Soft bounce rate",
      "Email bounce rate",
      "Open rate",
      "Click-through rate",
      "Click-to-open rate",
      "Unsubscribe rate",
      "CPL",
    ]);
    expect(result[1][0]).toBe("Spring");
    expect(result[1][1]).toBe(950);
    expect(result[1][5]).toBeCloseTo(0.4, 15); // 380 / 950
    expect(result[1][6]).toBeCloseTo(0.1, 15); // 95 / 950
    expect(result[1][7]).toBeCloseTo(0.25, 15); // 95 / 380
    expect(result[1][9]).toBe(25);
  });

  it("a zero denominator is a blank cell, not an error", () => {
    const result = mod.campaignKpis(emails);
    expect(result[2][7]).toBe(""); // click-to-open with 0 opens
    expect(result[2][9]).toBe(""); // CPL with 0 leads
  });

  it("the open rate can use sent as its denominator", () => {
    const result = mod.campaignKpis(emails, [["sent"]]);
    expect(result[0]).toContain("Open rate (of sent)");
    expect(result[1][result[0].indexOf("Open rate (of sent)")]).toBeCloseTo(0.38, 15);
  });

  it("headers are matched case-, space- and punctuation-insensitively", () => {
    const result = mod.campaignKpis([["CAMPAIGN_NAME", "total-spend", "form views", "Form Submissions"], ["Webinar", 300, 400, 100]]);
    expect(result).toEqual([
      ["Campaign", "Form conversion rate"],
      ["Webinar", 0.25],
    ]);
  });

  it("without a label column, campaigns are named by their table row", () => {
    const result = mod.campaignKpis([["Spend", "Conversions"], [100, 4], [90, 3]]);
    expect(result.map((row) => row[0])).toEqual(["Campaign", "Row 2", "Row 3"]);
  });
});

describe("IMC.CAMPAIGNKPIS bad input", () => {
  it("text in a numeric column is a #VALUE! naming the row and the header", () => {
    const table = [emails[0], emails[1], ["Autumn", 1000, 5, 5, "n/a", 10, 1, 100, 2]];
    const error = excelErrorOf(() => mod.campaignKpis(table));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe('campaign_table row 3, column "Unique opens": "n/a" is not a number');
  });

  it("a header row without data (an empty table) is #N/A", () => {
    const error = excelErrorOf(() => mod.campaignKpis([emails[0]]));
    expect(error.code).toBe("#N/A");
    expect(error.message).toBe("campaign_table: needs a header row and at least one campaign row below it");
  });

  it("unrecognised headers are #N/A with the headers found", () => {
    const error = excelErrorOf(() => mod.campaignKpis([["When", "Budget?"], [1, 2]]));
    expect(error.code).toBe("#N/A");
    expect(error.message).toMatch(/^campaign_table: no column header is a recognised KPI input \(headers: "When", "Budget\?"\)/);
  });

  it("a ragged range and a bad option are #VALUE!", () => {
    expect(excelErrorOf(() => mod.campaignKpis([["Spend", "Leads"], [1]] as any)).message).toBe(
      "campaign_table: row 2 has 1 cell but row 1 has 2; expected a rectangular range",
    );
    expect(excelErrorOf(() => mod.campaignKpis(emails, [["opened"]])).message).toBe(
      'open_rate_denominator: "opened" is not one of "delivered", "sent"',
    );
  });
});
