import { describe, expect, it } from "vitest";
import { dateText, moneyText, percentText, readableHeader, STAGE_NAMES, stageRule } from "../../src/reports/segmentation/labels";
import { LIFECYCLE_STAGES, RFM_SEGMENT_NAMES } from "../../src/engine/segmentation";

describe("readableHeader: column names of the customer table in business words", () => {
  it.each([
    ["age_band", "Age band"],
    ["signup_date", "Signup date"],
    ["signupDate", "Signup date"],
    ["region", "Region"],
    ["Age band", "Age band"],
    ["AGE_BAND", "Age band"],
    ["home_ZIP", "Home ZIP"],
    ["loyalty.tier", "Loyalty tier"],
    ["  gender ", "Gender"],
  ])("%s → %s", (header, label) => expect(readableHeader(header)).toBe(label));
});

describe("lifecycle stage names and rules", () => {
  it("no stage name is an RFM segment name, and every stage has one", () => {
    const segments = new Set(RFM_SEGMENT_NAMES.map((name) => name.toLowerCase()));
    for (const stage of LIFECYCLE_STAGES) expect(segments.has(STAGE_NAMES[stage].toLowerCase()), stage).toBe(false);
    expect(new Set(Object.values(STAGE_NAMES)).size).toBe(LIFECYCLE_STAGES.length);
  });

  it("rules quote the thresholds used", () => {
    const thresholds = { newDays: 14, activeDays: 45, atRiskDays: 120 };
    expect(LIFECYCLE_STAGES.map((stage) => stageRule(stage, thresholds))).toEqual([
      "first order ≤ 14 days ago",
      "last order ≤ 45 days ago",
      "last order 46–120 days ago",
      "no order for over 120 days",
      "back ≤ 45 days ago after 120+ days away",
    ]);
    expect(stageRule("At risk", { newDays: 10, activeDays: 60, atRiskDays: 60 })).toMatch(/^none/);
  });
});

describe("numbers in sentences", () => {
  it("dates, amounts with their currency, shares", () => {
    expect(dateText(45657)).toBe("31 Dec 2024");
    expect(moneyText(12345.6, "€")).toBe("€12,346");
    expect(moneyText(12345.6, "CHF")).toBe("12,346 CHF");
    expect(moneyText(12345.6, undefined)).toBe("12,346");
    expect(percentText(0.31723)).toBe("31.7%");
  });
});
