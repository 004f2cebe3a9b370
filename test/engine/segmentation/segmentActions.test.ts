import { describe, expect, it } from "vitest";
import { RFM_SEGMENT_NAMES } from "../../../src/engine/segmentation";
import { RFM_SEGMENT_ACTIONS, SEGMENT_ACTIONS_SOURCE } from "../../../src/engine/segmentation/segmentActions";

describe("RFM_SEGMENT_ACTIONS (the 11-segment RFM playbook)", () => {
  it("has a description and an action for exactly the 11 named segments", () => {
    expect(Object.keys(RFM_SEGMENT_ACTIONS).sort()).toEqual([...RFM_SEGMENT_NAMES].sort());
    for (const name of RFM_SEGMENT_NAMES) {
      expect(RFM_SEGMENT_ACTIONS[name].who.length, name).toBeGreaterThan(10);
      expect(RFM_SEGMENT_ACTIONS[name].action.length, name).toBeGreaterThan(10);
    }
  });

  it("is plain words: no scores written as codes, no trailing full stops (the tab joins the parts)", () => {
    for (const name of RFM_SEGMENT_NAMES) {
      const { who, action } = RFM_SEGMENT_ACTIONS[name];
      for (const text of [who, action]) {
        expect(text).not.toMatch(/[A-Z]\d|\d{3}|_|\.$/);
        expect(text[0]).toBe(text[0].toLowerCase());
      }
    }
  });

  it("names its source", () => {
    expect(SEGMENT_ACTIONS_SOURCE).toContain("RFM");
    expect(SEGMENT_ACTIONS_SOURCE).toContain("Putler");
  });

  it("sends win-back effort to the valuable lapsing segments and keeps it off the lost ones", () => {
    expect(RFM_SEGMENT_ACTIONS["Can't Lose Them"].action).toMatch(/win them back/);
    expect(RFM_SEGMENT_ACTIONS["At Risk"].action).toMatch(/win them back/);
    expect(RFM_SEGMENT_ACTIONS.Lost.action).toMatch(/leave them out/);
    expect(RFM_SEGMENT_ACTIONS.Champions.action).toMatch(/no discounts/);
  });
});
