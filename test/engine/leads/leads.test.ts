// Lead scoring engine (domain.md §6): engagement with half-life decay, fit from a rules table, grades.
import { describe, expect, it } from "vitest";
import {
  conditionMatches,
  engagementScores,
  fitScores,
  gradeLeads,
  parseCondition,
  parseFitRules,
  type FitCondition,
} from "../../../src/engine/leads";
import { engineErrorOf } from "../../support/engine";

describe("engagementScores", () => {
  it("domain check: 10 points on as_of and 20 points 14 days before, half-life 14 → 20", () => {
    const result = engagementScores({ leadIds: ["A"], eventLeadIds: ["A", "A"], eventDates: [45366, 45352], eventPoints: [10, 20] }, { halfLifeDays: 14 });
    expect(result.asOf).toBe(45366);
    expect(result.scores[0]).toBeCloseTo(20, 12);
    expect(result.eventsCounted).toBe(2);
  });

  it("each event's factor is exactly e^(−age·ln2/h), for whole-day ages (repeated), times of day and ages of decades", () => {
    const asOf = 45366;
    const ages = [0, 3, 3, 10, 10, 10, 0.25, 2.5, 4095, 4096, 4097, 36500, 3];
    const eventDates = ages.map((age) => asOf - age);
    const eventPoints = ages.map((_, i) => 1 + i);
    const halfLifeDays = 7;
    const result = engagementScores({ leadIds: ["A"], eventLeadIds: ages.map(() => "A"), eventDates, eventPoints }, { asOf, halfLifeDays, cap: 1e9 });
    let expected = 0;
    for (let i = 0; i < ages.length; i++) expected += eventPoints[i] * Math.exp(-(asOf - eventDates[i]) * (Math.LN2 / halfLifeDays));
    expect(result.scores[0]).toBe(expected);
  });

  it("counts what it leaves out: events after as_of, events of unknown leads, blank rows", () => {
    const result = engagementScores(
      { leadIds: ["A", "B"], eventLeadIds: ["A", "X", "A", null, " B "], eventDates: [45300, 45300, 45400, null, 45310], eventPoints: [5, 5, 5, null, 5] },
      { asOf: 45310 },
    );
    expect([result.eventsAfterAsOf, result.eventsOfUnknownLeads, result.blankEventRows, result.eventsCounted]).toEqual([1, 1, 1, 2]);
    expect(result.scores[1]).toBe(5);
    expect(Array.from(result.eventCounts)).toEqual([1, 1]);
  });

  it("is monotone: a longer half-life never lowers a score of positive points", () => {
    const input = { leadIds: ["A"], eventLeadIds: ["A", "A", "A"], eventDates: [45000, 45100, 45200], eventPoints: [10, 10, 10] };
    const scores = [7, 14, 30, 90].map((halfLifeDays) => engagementScores(input, { halfLifeDays }).scores[0]);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThan(scores[i - 1]);
  });

  it("no events: every score 0 and no as-of date", () => {
    const result = engagementScores({ leadIds: ["A", "B"], eventLeadIds: [], eventDates: [], eventPoints: [] });
    expect(Array.from(result.scores)).toEqual([0, 0]);
    expect(result.asOf).toBeNull();
  });

  it("rejects unequal event columns and a bad cap", () => {
    expect(engineErrorOf(() => engagementScores({ leadIds: ["A"], eventLeadIds: ["A"], eventDates: [], eventPoints: [1] })).code).toBe("INVALID_INPUT");
    expect(engineErrorOf(() => engagementScores({ leadIds: ["A"], eventLeadIds: [], eventDates: [], eventPoints: [] }, { cap: -1 })).message).toMatch(/^cap: /);
  });
});

describe("fit rules", () => {
  const matches = (condition: unknown, value: unknown): boolean => conditionMatches(parseCondition(condition) as FitCondition, value);

  it("reads each kind of condition", () => {
    expect(parseCondition("*")).toEqual({ kind: "any" });
    expect(parseCondition(">= 50")).toEqual({ kind: "compare", operator: ">=", limit: 50 });
    expect(parseCondition("BETWEEN 5 AND 10")).toEqual({ kind: "between", low: 5, high: 10 });
    expect(parseCondition("in (a; b)")).toMatchObject({ kind: "in" });
    expect(parseCondition("a; b")).toMatchObject({ kind: "in" });
    expect(parseCondition("contains VP")).toEqual({ kind: "contains", text: "vp" });
    expect(parseCondition("<> x")).toMatchObject({ kind: "notEquals" });
    expect(parseCondition("between 10 and 5")).toHaveProperty("problem");
    expect(parseCondition(">> 5")).toHaveProperty("problem");
  });

  it("a blank cell meets no condition, not even <>; numbers compare as numbers", () => {
    expect(matches("<> Retail", "")).toBe(false);
    expect(matches("*", null)).toBe(false);
    expect(matches("50", "50.0")).toBe(true);
    expect(matches("> 10", "abc")).toBe(false);
    expect(matches("in (UK, DE)", "de")).toBe(true);
  });

  it("scores are floored at 0 and capped; match counts per rule", () => {
    const columns = [{ header: "Size", values: [10, 500, 2000] }];
    const { rules } = parseFitRules([["size", "> 100", 80], ["Size", ">= 1000", 50], ["Size", "< 100", -30]], ["Size"]);
    const result = fitScores(columns, rules);
    expect(Array.from(result.scores)).toEqual([0, 80, 100]);
    expect(Array.from(result.matches)).toEqual([2, 1, 1]);
  });

  it("a header row is detected; an unknown attribute names the rules' row", () => {
    expect(parseFitRules([["Attribute", "Condition", "Points"], ["Size", "*", 1]], ["Size"]).hasHeader).toBe(true);
    const error = engineErrorOf(() => parseFitRules([["Size", "*", 1], ["Revenue", "*", 1]], ["Size"]));
    expect(error.message).toMatch(/^rules row 2: attribute "Revenue" is not a profile column/);
    expect(error.row).toBe(2);
  });
});

describe("gradeLeads", () => {
  it("bands at the cut-offs (inclusive) and MQL needs both thresholds", () => {
    const grades = gradeLeads([70, 69.9, 40, 39.9], [50, 49.9, 20, 19.9]);
    expect(grades.grade).toEqual(["A1", "B2", "B2", "C3"]);
    expect(grades.mql).toEqual([true, true, true, false]);
    expect(gradeLeads([90], [10]).mql).toEqual([false]);
  });

  it("rejects bands out of order", () => {
    expect(engineErrorOf(() => gradeLeads([1], [1], { fitBands: { a: 30, b: 60 } })).argument).toBe("fitBands");
  });
});
