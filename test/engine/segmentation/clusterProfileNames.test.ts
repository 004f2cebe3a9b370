import { describe, expect, it } from "vitest";
import { clusterProfileNames, type RfmAverages } from "../../../src/engine/segmentation/clusterProfileNames";
import { engineErrorOf } from "../../support/engine";

const ALL: RfmAverages = { recencyDays: 174, orders: 3.27, revenue: 285 };

describe("clusterProfileNames (clusters named from their averages against all customers)", () => {
  it("names the demo's three clusters by their standing on each measure", () => {
    const clusters: RfmAverages[] = [
      { recencyDays: 263.7, orders: 1.72, revenue: 121 }, // 1.52×, 0.53×, 0.42×
      { recencyDays: 138.3, orders: 6.82, revenue: 659 }, // 0.79×, 2.09×, 2.31×
      { recencyDays: 21.7, orders: 2.07, revenue: 160 }, // 0.12×, 0.63×, 0.56×
    ];
    expect(clusterProfileNames(clusters, ALL)).toEqual(["Dormant infrequent low spenders", "Recent frequent big spenders", "Recent infrequent low spenders"]);
  });

  it("averages within a fifth below and a quarter above the overall are the middle words", () => {
    expect(clusterProfileNames([{ recencyDays: 174 * 1.2, orders: 3.27 * 0.85, revenue: 285 * 1.1 }], ALL)).toEqual(["Cooling occasional mid spenders"]);
  });

  it("the band edges: 0.8× is low, 1.25× is high", () => {
    expect(clusterProfileNames([{ recencyDays: 174 * 0.8, orders: 3.27 * 1.25, revenue: 285 * 0.8 }], ALL)).toEqual(["Recent frequent low spenders"]);
    expect(clusterProfileNames([{ recencyDays: 174 * 1.25, orders: 3.27 * 0.8, revenue: 285 * 1.25 }], ALL)).toEqual(["Dormant infrequent big spenders"]);
  });

  it("fewer than 1.5 orders on average is one-time, whatever the overall average", () => {
    const overall = { recencyDays: 300, orders: 1.2, revenue: 40 };
    expect(clusterProfileNames([{ recencyDays: 450, orders: 1, revenue: 20 }], overall)).toEqual(["Dormant one-time low spenders"]);
  });

  it("never repeats a name and is deterministic", () => {
    const same = { recencyDays: 20, orders: 8, revenue: 900 };
    const names = clusterProfileNames([same, { recencyDays: 400, orders: 1, revenue: 30 }, same], ALL);
    expect(names).toEqual(["Recent frequent big spenders", "Dormant one-time low spenders", "Recent frequent big spenders (group 2)"]);
    expect(new Set(names).size).toBe(3);
    expect(clusterProfileNames([same, same], ALL)).toEqual(clusterProfileNames([same, same], ALL));
  });

  it("an overall average of 0 makes every cluster average on that measure", () => {
    expect(clusterProfileNames([{ recencyDays: 0, orders: 2, revenue: 0 }], { recencyDays: 0, orders: 2, revenue: 0 })).toEqual(["Cooling occasional mid spenders"]);
  });

  it("a non-finite or negative average → INVALID_INPUT", () => {
    expect(engineErrorOf(() => clusterProfileNames([{ recencyDays: NaN, orders: 1, revenue: 1 }], ALL)).message).toBe(
      "clusterProfileNames: the average days since the last order of cluster 1 is not a number",
    );
    expect(engineErrorOf(() => clusterProfileNames([], { recencyDays: -1, orders: 1, revenue: 1 })).code).toBe("INVALID_INPUT");
  });
});
