import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { longTermRoci } from "../../../src/engine/roci/longTermRoci";
import { roci } from "../../../src/engine/roci/roci";
import { engineErrorOf } from "../../support/engine";

describe("roci: domain.md §2 worked example (margin per customer 60 → 62, programme costs 1 per customer)", () => {
  it("net ROCI = +100%", () => {
    expect(roci({ contribution: 62, investment: 1, baselineContribution: 60, mode: "net" })).toBe(1);
  });

  it("gross ROCI = +200%", () => {
    expect(roci({ contribution: 62, investment: 1, baselineContribution: 60, mode: "gross" })).toBe(2);
  });

  it("scales: 1,000 customers, contribution 62,000 over a baseline of 60,000 for 1,000 spend", () => {
    expect(roci({ contribution: 62000, investment: 1000, baselineContribution: 60000, mode: "net" })).toBe(1);
  });
});

describe("roci", () => {
  it("without a baseline the whole contribution counts as the return", () => {
    expect(roci({ contribution: 62, investment: 1, baselineContribution: null, mode: "net" })).toBe(61);
    expect(roci({ contribution: 62, investment: 1, baselineContribution: 0, mode: "net" })).toBe(61);
  });

  it("a loss gives a negative ROCI; break-even gives 0 (not −0)", () => {
    expect(roci({ contribution: 100, investment: 50, baselineContribution: 100, mode: "net" })).toBe(-1);
    expect(Object.is(roci({ contribution: 150, investment: 50, baselineContribution: 100, mode: "net" }), 0)).toBe(true);
  });

  it("property: gross = net + 1", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e9, noNaN: true }),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        (c, i, b) => {
          const net = roci({ contribution: c, investment: i, baselineContribution: b, mode: "net" });
          const gross = roci({ contribution: c, investment: i, baselineContribution: b, mode: "gross" });
          return Math.abs(gross - (net + 1)) <= 1e-9 * Math.max(1, Math.abs(gross));
        },
      ),
      { seed: 11, numRuns: 500 },
    );
  });

  it("zero investment is an error that says why, not Infinity", () => {
    const error = engineErrorOf(() => roci({ contribution: 62, investment: 0, baselineContribution: 60, mode: "net" }));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("investment");
    expect(error.message).toBe("roci: investment is 0; ROCI is a return per unit of spend, so it needs a spend above 0");
  });

  it("negative investment and non-finite inputs are refused", () => {
    expect(engineErrorOf(() => roci({ contribution: 1, investment: -5, baselineContribution: null, mode: "net" })).message).toBe(
      "roci: investment must be above 0, got -5",
    );
    expect(engineErrorOf(() => roci({ contribution: Number.NaN, investment: 1, baselineContribution: null, mode: "net" })).argument).toBe(
      "contribution",
    );
    expect(engineErrorOf(() => roci({ contribution: 1, investment: 1, baselineContribution: Infinity, mode: "net" })).argument).toBe(
      "baselineContribution",
    );
  });

  it("a result that overflows is an error", () => {
    const error = engineErrorOf(() => roci({ contribution: 1e308, investment: 1e-308, baselineContribution: null, mode: "net" }));
    expect(error.message).toMatch(/^roci: the result is too large to represent/);
  });
});

describe("longTermRoci: domain.md §2 ROCI_LT = (N·(CLV_after − CLV_before) − I)/I", () => {
  it("1,000 customers, CLV 300 → 310, investment 5,000 → net +100%, gross +200%", () => {
    expect(longTermRoci({ customers: 1000, clvBefore: 300, clvAfter: 310, investment: 5000, mode: "net" })).toBe(1);
    expect(longTermRoci({ customers: 1000, clvBefore: 300, clvAfter: 310, investment: 5000, mode: "gross" })).toBe(2);
  });

  it("the worked example per customer: CLV 60 → 62 for 1 → +100%", () => {
    expect(longTermRoci({ customers: 1, clvBefore: 60, clvAfter: 62, investment: 1, mode: "net" })).toBe(1);
  });

  it("a CLV that falls gives less than −100%", () => {
    expect(longTermRoci({ customers: 100, clvBefore: 50, clvAfter: 40, investment: 500, mode: "net" })).toBe(-3);
  });

  it("errors: zero investment, negative customers", () => {
    const zero = engineErrorOf(() => longTermRoci({ customers: 10, clvBefore: 1, clvAfter: 2, investment: 0, mode: "net" }));
    expect(zero.argument).toBe("investment");
    expect(zero.message).toBe("longTermRoci: investment is 0; ROCI is a return per unit of spend, so it needs a spend above 0");
    const negative = engineErrorOf(() => longTermRoci({ customers: -1, clvBefore: 1, clvAfter: 2, investment: 1, mode: "net" }));
    expect(negative.argument).toBe("customers");
    expect(negative.message).toBe("longTermRoci: customers must be a number of at least 0, got -1");
  });
});
