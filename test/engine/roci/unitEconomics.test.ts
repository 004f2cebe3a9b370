import { describe, expect, it } from "vitest";
import { customerAcquisitionCost } from "../../../src/engine/roci/cac";
import { paybackPeriods } from "../../../src/engine/roci/payback";
import { churnRate, retentionRate } from "../../../src/engine/roci/retentionRate";
import { engineErrorOf } from "../../support/engine";

describe("customerAcquisitionCost (domain.md §1.3: spend / new customers)", () => {
  it("50,000 spend for 400 new customers → 125", () => {
    expect(customerAcquisitionCost(50000, 400)).toBe(125);
    expect(customerAcquisitionCost(0, 3)).toBe(0);
  });

  it("no new customers is an error, not Infinity", () => {
    const error = engineErrorOf(() => customerAcquisitionCost(1000, 0));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("newCustomers");
    expect(error.message).toBe("customerAcquisitionCost: new customers is 0; CAC is spend per new customer, so it needs at least one");
  });

  it("negative inputs are refused", () => {
    expect(engineErrorOf(() => customerAcquisitionCost(-1, 3)).argument).toBe("spend");
    expect(engineErrorOf(() => customerAcquisitionCost(1, -3)).argument).toBe("newCustomers");
  });
});

describe("retentionRate and churnRate (domain.md §1.3: (E − N)/S, churn = 1 − retention)", () => {
  it("S = 1,000, E = 1,050, N = 200 → retention 0.85, churn 0.15", () => {
    expect(retentionRate(1000, 1050, 200)).toBeCloseTo(0.85, 15);
    expect(churnRate(1000, 1050, 200)).toBeCloseTo(0.15, 15);
  });

  it("keeping everyone: retention 1, churn 0 (not −0)", () => {
    expect(retentionRate(100, 100, 0)).toBe(1);
    expect(Object.is(churnRate(100, 100, 0), 0)).toBe(true);
  });

  it("zero customers at the start is an error", () => {
    const error = engineErrorOf(() => retentionRate(0, 10, 10));
    expect(error.argument).toBe("customersStart");
    expect(error.message).toMatch(/^retentionRate: customers at the start is 0/);
  });

  it("more new customers than customers at the end is an error", () => {
    const error = engineErrorOf(() => retentionRate(100, 50, 80));
    expect(error.argument).toBe("newCustomers");
    expect(error.message).toBe("retentionRate: 80 new customers is more than the 50 customers at the end; check the columns");
  });

  it("more customers kept than at the start is an error", () => {
    const error = engineErrorOf(() => retentionRate(100, 150, 10));
    expect(error.argument).toBe("customersEnd");
    expect(error.message).toMatch(/^retentionRate: customers at the end minus new customers \(140\) is more than the 100 customers at the start/);
  });
});

describe("paybackPeriods (domain.md §1.3: CAC / margin per period)", () => {
  it("CAC 125, margin 50 per month → 2.5 months", () => {
    expect(paybackPeriods(125, 50)).toBe(2.5);
  });

  it("a margin of 0 or less never pays back: an error", () => {
    const error = engineErrorOf(() => paybackPeriods(125, 0));
    expect(error.argument).toBe("marginPerPeriod");
    expect(error.message).toBe("paybackPeriods: margin per period is 0; with no positive margin the acquisition cost is never paid back");
    expect(engineErrorOf(() => paybackPeriods(-1, 5)).argument).toBe("cac");
  });
});
