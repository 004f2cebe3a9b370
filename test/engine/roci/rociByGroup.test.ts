import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rociByGroup } from "../../../src/engine/roci/rociByGroup";
import { engineErrorOf } from "../../support/engine";

const f = (...values: number[]) => Float64Array.from(values);

describe("rociByGroup", () => {
  it("domain.md §2 worked example per group: 1,000 loyal customers 60 → 62 for 1 each → +100% net", () => {
    const n = 1000;
    const result = rociByGroup({
      groups: Array.from({ length: n }, () => "Loyal"),
      contribution: new Float64Array(n).fill(62),
      investment: new Float64Array(n).fill(1),
      baselineContribution: new Float64Array(n).fill(60),
      mode: "net",
    });
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0]).toMatchObject({ group: "Loyal", rows: 1000, contribution: 62000, baselineContribution: 60000, incremental: 2000, investment: 1000, investmentShare: 1 });
    expect(result.groups[0].roci).toBeCloseTo(1, 12);
  });

  it("sums per group in order of first appearance, with an All groups total", () => {
    const result = rociByGroup({
      groups: ["Loyal", "New", "Loyal", "Lapsed"],
      contribution: f(620, 300, 640, 10),
      investment: f(10, 20, 10, 0),
      baselineContribution: f(600, 250, 600, 10),
      mode: "net",
    });
    expect(result.groups.map((g) => g.group)).toEqual(["Loyal", "New", "Lapsed"]);
    const [loyal, fresh, lapsed] = result.groups;
    expect(loyal).toMatchObject({ rows: 2, contribution: 1260, baselineContribution: 1200, incremental: 60, investment: 20 });
    expect(loyal.roci).toBeCloseTo(2, 12); // (60 − 20) / 20
    expect(fresh.roci).toBeCloseTo(1.5, 12); // (50 − 20) / 20
    expect(lapsed.roci).toBeNull(); // nothing invested
    expect(lapsed.investmentShare).toBe(0);
    expect(result.total).toMatchObject({ group: "All groups", rows: 4, contribution: 1570, incremental: 110, investment: 40 });
    expect(result.total.roci).toBeCloseTo(1.75, 12);
    expect(result.hasBaseline).toBe(true);
  });

  it("groups compare without case, as in a PivotTable; the first spelling is shown", () => {
    const result = rociByGroup({ groups: ["Loyal", "LOYAL", "loyal"], contribution: f(1, 2, 3), investment: f(1, 1, 1), baselineContribution: null, mode: "net" });
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0]).toMatchObject({ group: "Loyal", rows: 3, contribution: 6 });
  });

  it("without a baseline the whole contribution is the return and the baseline is null", () => {
    const result = rociByGroup({ groups: ["A"], contribution: f(50), investment: f(10), baselineContribution: null, mode: "gross" });
    expect(result.hasBaseline).toBe(false);
    expect(result.groups[0].baselineContribution).toBeNull();
    expect(result.groups[0].roci).toBe(5);
  });

  it("property: investment shares sum to 1, the total equals the sum of the groups, gross = net + 1", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ g: fc.constantFrom("A", "B", "C", "D"), c: fc.integer({ min: -1000, max: 1000 }), i: fc.integer({ min: 0, max: 100 }), b: fc.integer({ min: 0, max: 500 }) }), { minLength: 1, maxLength: 40 }),
        (rows) => {
          fc.pre(rows.some((r) => r.i > 0));
          const input = {
            groups: rows.map((r) => r.g),
            contribution: Float64Array.from(rows.map((r) => r.c)),
            investment: Float64Array.from(rows.map((r) => r.i)),
            baselineContribution: Float64Array.from(rows.map((r) => r.b)),
          };
          const net = rociByGroup({ ...input, mode: "net" });
          const gross = rociByGroup({ ...input, mode: "gross" });
          const shares = net.groups.reduce((sum, g) => sum + g.investmentShare!, 0);
          const incremental = net.groups.reduce((sum, g) => sum + g.incremental, 0);
          const pairsOk = net.groups.every((g, k) => (g.roci === null ? gross.groups[k].roci === null : Math.abs(gross.groups[k].roci! - g.roci - 1) < 1e-9));
          return Math.abs(shares - 1) < 1e-12 && incremental === net.total.incremental && net.groups.reduce((s, g) => s + g.rows, 0) === rows.length && pairsOk;
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });

  it("errors: negative investment names the row; no rows is INSUFFICIENT_DATA; lengths must match", () => {
    const negative = engineErrorOf(() => rociByGroup({ groups: ["A", "B"], contribution: f(1, 2), investment: f(1, -3), baselineContribution: null, mode: "net" }));
    expect(negative.code).toBe("INVALID_INPUT");
    expect(negative.message).toBe("investment row 2: investment must be 0 or more, got -3");
    const empty = engineErrorOf(() => rociByGroup({ groups: [], contribution: f(), investment: f(), baselineContribution: null, mode: "net" }));
    expect(empty.code).toBe("INSUFFICIENT_DATA");
    const mismatch = engineErrorOf(() => rociByGroup({ groups: ["A"], contribution: f(1, 2), investment: f(1), baselineContribution: null, mode: "net" }));
    expect(mismatch.message).toBe("rociByGroup: contribution has 2 rows but groups has 1");
  });
});
