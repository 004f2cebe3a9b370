// IMC.ENGAGEMENT, IMC.FITSCORE and IMC.LEADSCORE called exactly as Excel calls them.
import { beforeAll, describe, expect, it } from "vitest";
import { excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";

installCustomFunctionsStub();
let mod: typeof import("../../src/functions/leads");
beforeAll(async () => {
  mod = await import("../../src/functions/leads");
});

const col = (...values: unknown[]) => values.map((v) => [v]);
const scores = (result: any[][]) => result.map((row) => row[0]);

describe("IMC.ENGAGEMENT", () => {
  it("domain check: 10 points on as_of and 20 points 14 days before, half-life 14 → 20", () => {
    const result = mod.engagement(col("L1"), col("L1", "L1"), col("2024-03-15", "2024-03-01"), col(10, 20), [["2024-03-15"]], [[14]]);
    expect(result).toHaveLength(1);
    expect(result[0][0]).toBeCloseTo(20, 12);
  });

  it("one score per lead row, in the lead list's order; a lead without events scores 0", () => {
    const result = mod.engagement(col("B", "A", "C"), col("A", "B", "B"), col(45366, 45366, 45336), col(5, 8, 16), null as any, [[30]]);
    expect(scores(result)).toEqual([8 + 16 * 0.5, 5, 0]);
  });

  it("as_of defaults to the latest event date; numeric and text ids are one id", () => {
    const result = mod.engagement(col(1001, "1002"), col("1001", 1002), col(45300, 45330), col(10, 10), null as any, [[30]]);
    expect(result[0][0]).toBeCloseTo(5, 12);
    expect(result[1][0]).toBe(10);
  });

  it("events after as_of are left out; the cap and the floor at 0 apply", () => {
    const later = mod.engagement(col("A"), col("A", "A"), col("2024-03-10", "2024-03-20"), col(10, 50), [["2024-03-10"]]);
    expect(later[0][0]).toBe(10);
    const capped = mod.engagement(col("A", "B"), col("A", "A", "B"), col(45366, 45366, 45366), col(80, 70, -5), null as any, null as any, [[100]]);
    expect(scores(capped)).toEqual([100, 0]);
    const ownCap = mod.engagement(col("A"), col("A"), col(45366), col(80), null as any, null as any, [[50]]);
    expect(ownCap[0][0]).toBe(50);
  });

  it("a blank lead row gives a blank cell; trailing blank rows of whole-column references are dropped", () => {
    const result = mod.engagement(col("A", "", "B", null, null), col("A", "B", null), col(45366, 45366, null), col(5, 7, null));
    expect(scores(result)).toEqual([5, "", 7]);
  });

  it("bad input names the argument and the row", () => {
    expect(excelErrorOf(() => mod.engagement(col("A"), col("A", "A"), col(45366, "soon"), col(1, 2))).message).toBe(
      'event_dates row 2: "soon" is not a date; use a date cell or text like 2024-01-31',
    );
    expect(excelErrorOf(() => mod.engagement(col("A"), col("A", "A", "A"), col(45366, 45366, 45366), col(1, 2, "x"))).message).toBe('event_points row 3: "x" is not a number');
    expect(excelErrorOf(() => mod.engagement(col("A"), col("A"), col(45366), col(1), null as any, [[0]])).message).toMatch(/^half_life_days: /);
    expect(excelErrorOf(() => mod.engagement(col("A"), col("A", "B"), col(45366), col(1))).message).toMatch(/event_lead_ids has 2 rows but event_dates has 1/);
    expect(excelErrorOf(() => mod.engagement(col(null), col("A"), col(45366), col(1))).code).toBe("#N/A");
  });
});

const PROFILE = [
  ["Industry", "Employees", "Job title", "Country"],
  ["Software", 250, "Head of Marketing", "UK"],
  ["Retail", 12, "Analyst", "DE"],
  ["software", "800", "VP Sales", "US"],
  ["Banking", 5000, "", "FR"],
];

describe("IMC.FITSCORE", () => {
  const fit = (rules: unknown[][], cap?: unknown[][]) => scores(mod.fitScore(PROFILE, rules, cap as any));

  it("equals (plain and with =), case-insensitive; with or without a header row", () => {
    expect(fit([["industry", "Software", 30]])).toEqual([30, 0, 30, 0]);
    expect(fit([["Attribute", "Condition", "Points"], ["Industry", "= SOFTWARE", 30]])).toEqual([30, 0, 30, 0]);
  });

  it("<>, >, >=, <, <= and between compare numbers (numeric text included)", () => {
    expect(fit([["Industry", "<> Retail", 10]])).toEqual([10, 0, 10, 10]);
    expect(fit([["Employees", "> 250", 10]])).toEqual([0, 0, 10, 10]);
    expect(fit([["Employees", ">= 250", 10]])).toEqual([10, 0, 10, 10]);
    expect(fit([["Employees", "< 250", 10]])).toEqual([0, 10, 0, 0]);
    expect(fit([["Employees", "<=250", 10]])).toEqual([10, 10, 0, 0]);
    expect(fit([["Employees", "between 50 and 1000", 25]])).toEqual([25, 0, 25, 0]);
    expect(fit([["Employees", 12, 5]])).toEqual([0, 5, 0, 0]);
  });

  it("in (…), a; b list, contains and * (any non-blank)", () => {
    expect(fit([["Country", "in (UK, de)", 10]])).toEqual([10, 10, 0, 0]);
    expect(fit([["Country", "US; FR", 10]])).toEqual([0, 0, 10, 10]);
    expect(fit([["Job title", "contains head", 20]])).toEqual([20, 0, 0, 0]);
    expect(fit([["Job title", "*", 5]])).toEqual([5, 5, 5, 0]);
  });

  it("points sum, negative points allowed with a floor at 0, capped at 100 or the cap given", () => {
    const rules = [
      ["Industry", "Software", 60],
      ["Employees", ">= 200", 50],
      ["Industry", "Retail", -20],
      ["Country", "FR", 10],
    ];
    expect(fit(rules)).toEqual([100, 0, 100, 60]);
    expect(fit(rules, [[80]])).toEqual([80, 0, 80, 60]);
  });

  it("an unknown attribute or an unreadable condition names rules and the rule's row", () => {
    const header = ["Attribute", "Condition", "Points"];
    expect(excelErrorOf(() => mod.fitScore(PROFILE, [header, ["Industry", "Software", 30], ["Revenue", "> 5", 10]])).message).toMatch(
      /^rules row 3: attribute "Revenue" is not a profile column/,
    );
    expect(excelErrorOf(() => mod.fitScore(PROFILE, [["Employees", "> many", 10]])).message).toBe('rules row 1: "> many" compares with >, which needs a number');
    expect(excelErrorOf(() => mod.fitScore(PROFILE, [["Employees", "between 5 and", 10]])).message).toMatch(/^rules row 1: /);
    expect(excelErrorOf(() => mod.fitScore(PROFILE, [["Country", "in (UK", 10]])).message).toMatch(/^rules row 1: .*closing bracket/);
    expect(excelErrorOf(() => mod.fitScore(PROFILE, [["Country", "", 10]])).message).toMatch(/^rules row 1: the condition is blank/);
    expect(excelErrorOf(() => mod.fitScore(PROFILE, [["Country", "UK", "ten"]])).message).toMatch(/^rules row 1: the points/);
    expect(excelErrorOf(() => mod.fitScore(PROFILE, [["Country", "UK"]])).message).toMatch(/^rules: expected 3 columns/);
    expect(excelErrorOf(() => mod.fitScore([["Industry"]], [["Industry", "UK", 1]])).code).toBe("#N/A");
  });
});

describe("IMC.LEADSCORE", () => {
  it("a header row, then fit band, engagement band, grade and MQL with the default bands", () => {
    const result = mod.leadScore(col(75, 45, 20, 70, 40), col(60, 10, 80, 50, 20));
    expect(result).toEqual([
      ["Fit band", "Engagement band", "Grade", "MQL"],
      ["A", 1, "A1", true],
      ["B", 3, "B3", false],
      ["C", 1, "C1", false],
      ["A", 1, "A1", true],
      ["B", 2, "B2", true],
    ]);
  });

  it("bands and MQL thresholds given as two numbers (a row or a column)", () => {
    const result = mod.leadScore(col(75, 45), col(60, 10), [[80, 30]], col(70, 5), [[30, 10]]);
    expect(result.slice(1)).toEqual([
      ["B", 2, "B2", true],
      ["B", 2, "B2", true],
    ]);
  });

  it("bad input names the argument and the row", () => {
    expect(excelErrorOf(() => mod.leadScore(col(1, "x"), col(1, 2))).message).toBe('fit_scores row 2: "x" is not a number');
    expect(excelErrorOf(() => mod.leadScore(col(1, 2), col(1, null))).message).toBe("engagement_scores row 2: is blank but the lead has a fit score");
    expect(excelErrorOf(() => mod.leadScore(col(1), col(1), [[40, 70]])).message).toMatch(/^fit_bands: the A cut-off \(40\) must not be below/);
    expect(excelErrorOf(() => mod.leadScore(col(1), col(1), null as any, [[1, 2, 3]])).message).toMatch(/^engagement_bands: expected two numbers/);
  });
});
