import { describe, expect, it } from "vitest";
import { RFM_SEGMENT_CODES, RFM_SEGMENT_NAMES, rfmSegment } from "../../../src/engine/segmentation/rfmSegments";

describe("RFM segment table (domain.md §4.2)", () => {
  it("has the 11 named segments", () => {
    expect(RFM_SEGMENT_NAMES).toHaveLength(11);
    expect(Object.keys(RFM_SEGMENT_CODES).sort()).toEqual([...RFM_SEGMENT_NAMES].sort());
  });

  it("is a partition of all 125 codes: every code 111..555 is listed exactly once", () => {
    const listed = Object.values(RFM_SEGMENT_CODES).flatMap((codes) => codes.split(" "));
    expect(listed).toHaveLength(125);
    expect(new Set(listed).size).toBe(125);
    const all: string[] = [];
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) all.push(`${r}${f}${m}`);
    expect([...listed].sort()).toEqual(all);
  });

  it("segment sizes as in domain.md §4.2 (7, 8, 24, 7, 16, 8, 5, 22, 8, 14, 6 codes)", () => {
    expect(RFM_SEGMENT_NAMES.map((name) => RFM_SEGMENT_CODES[name].split(" ").length)).toEqual([7, 8, 24, 7, 16, 8, 5, 22, 8, 14, 6]);
  });

  it("domain.md §4.2 check values: 555 Champions, 111 Lost, 155 Can't Lose Them, 511 New Customers, 333 Potential Loyalist", () => {
    expect(rfmSegment(5, 5, 5)).toBe("Champions");
    expect(rfmSegment(1, 1, 1)).toBe("Lost");
    expect(rfmSegment(1, 5, 5)).toBe("Can't Lose Them");
    expect(rfmSegment(5, 1, 1)).toBe("New Customers");
    expect(rfmSegment(3, 3, 3)).toBe("Potential Loyalist");
    expect(rfmSegment(2, 2, 1)).toBe("About To Sleep");
    expect(rfmSegment(2, 1, 1)).toBe("Hibernating");
    expect(rfmSegment(4, 4, 4)).toBe("Loyal");
  });

  it("every code maps to the segment that lists it", () => {
    for (const name of RFM_SEGMENT_NAMES) {
      for (const code of RFM_SEGMENT_CODES[name].split(" ")) {
        expect(rfmSegment(Number(code[0]), Number(code[1]), Number(code[2])), code).toBe(name);
      }
    }
  });

  it("refuses scores outside 1..5 (a programming error)", () => {
    expect(() => rfmSegment(0, 3, 3)).toThrow(/no segment/);
    expect(() => rfmSegment(3, 6, 3)).toThrow(/no segment/);
  });
});
