import { describe, expect, it } from "vitest";
import { netPromoterScore, netPromoterScoreByGroup } from "../../src/engine/survey/nps";
import { engineErrorOf, invalidInputOf } from "../support/engine";

describe("netPromoterScore: domain.md §2 (Champions)", () => {
  it("{10, 10, 9, 8, 7, 6} → 50% − 16.7% = 33.3", () => {
    const r = netPromoterScore([10, 10, 9, 8, 7, 6]);
    expect(r.nps.toFixed(1)).toBe("33.3");
    expect(r.nps).toBeCloseTo(100 / 3, 12);
    expect([r.promoters, r.passives, r.detractors, r.respondents]).toEqual([3, 2, 1, 6]);
    expect(r.promoterShare).toBeCloseTo(0.5, 15);
    expect(r.detractorShare).toBeCloseTo(1 / 6, 15);
  });

  it("bands at their edges: 9 promoter, 7 passive, 6 detractor, 0 detractor", () => {
    const r = netPromoterScore([9, 8, 7, 6, 0]);
    expect([r.promoters, r.passives, r.detractors]).toEqual([1, 2, 2]);
  });

  it("shares sum to 1 and NPS lies in −100 … 100", () => {
    for (const scores of [[0, 0, 0], [10, 10], [5, 7, 9, 10, 3], [8]]) {
      const r = netPromoterScore(scores);
      expect(r.promoterShare + r.passiveShare + r.detractorShare).toBeCloseTo(1, 15);
      expect(r.nps).toBeGreaterThanOrEqual(-100);
      expect(r.nps).toBeLessThanOrEqual(100);
    }
    expect(netPromoterScore([0, 1]).nps).toBe(-100);
    expect(netPromoterScore([10, 9]).nps).toBe(100);
  });

  it("blanks are left out and counted; numeric text is read", () => {
    const r = netPromoterScore(["10", null, "", 6]);
    expect(r.respondents).toBe(2);
    expect(r.blanks).toBe(2);
    expect(r.nps).toBe(0);
  });

  it("a score outside 0–10 or not whole names the row", () => {
    expect(invalidInputOf(() => netPromoterScore([10, 11])).message).toBe("scores row 2: 11 is not a whole number from 0 to 10");
    expect(invalidInputOf(() => netPromoterScore([7.5])).row).toBe(1);
    expect(invalidInputOf(() => netPromoterScore([9, "great"])).row).toBe(2);
  });

  it("all blank: INSUFFICIENT_DATA", () => {
    expect(engineErrorOf(() => netPromoterScore([null, ""])).code).toBe("INSUFFICIENT_DATA");
  });
});

describe("netPromoterScoreByGroup", () => {
  const scores = [10, 10, 9, 8, 7, 6, 0, 3, null];
  const groups = ["A", "A", "A", "A", "A", "A", "B", "B", "B"];
  const r = netPromoterScoreByGroup(scores, groups);

  it("groups in order of first appearance, and the NPS of all answers", () => {
    expect(r.groups.map((g) => g.group)).toEqual(["A", "B"]);
    expect(r.groups[0].nps).toBeCloseTo(100 / 3, 12);
    expect(r.groups[1].nps).toBe(-100);
    expect(r.groups[1].blanks).toBe(1);
    expect(r.all.respondents).toBe(8);
    expect(r.all.nps).toBeCloseTo((100 * (3 - 3)) / 8, 12);
  });

  it("group counts add up to all", () => {
    const sum = (f: (g: (typeof r.groups)[number]) => number) => r.groups.reduce((s, g) => s + f(g), 0);
    expect(sum((g) => g.promoters)).toBe(r.all.promoters);
    expect(sum((g) => g.detractors)).toBe(r.all.detractors);
    expect(sum((g) => g.respondents)).toBe(r.all.respondents);
  });

  it("unequal lengths name the groups argument; a blank group is (blank)", () => {
    expect(invalidInputOf(() => netPromoterScoreByGroup([1, 2], ["a"])).argument).toBe("groups");
    expect(netPromoterScoreByGroup([9, 10], ["x", null]).groups.map((g) => g.group)).toEqual(["x", "(blank)"]);
  });
});
