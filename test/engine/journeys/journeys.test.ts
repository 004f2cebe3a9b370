// Buyer-journey engine: path statistics (hand-computed values, invariants, errors) and journeys kept
// from a touchpoint log, checked against the journeys IMC.ATTRIBUTE.EVENTS builds from the same log.
import { describe, expect, it } from "vitest";
import { addTouchpointLog, type JourneyAggregator, type TouchpointLog } from "../../../src/engine/attribution";
import { isEngineError } from "../../../src/engine/errors";
import { journeysOfLog, PathStatsAggregator, PATH_LENGTH_BANDS } from "../../../src/engine/journeys";
import { seededUniform } from "../../../src/engine/math/random";

function log(rows: [number, number, string | null, number][]): TouchpointLog {
  return {
    customerIndex: Int32Array.from(rows, (r) => r[0]),
    timestamps: Float64Array.from(rows, (r) => r[1]),
    channels: rows.map((r) => r[2]),
    conversionValues: Float64Array.from(rows, (r) => r[3]),
  };
}

describe("PathStatsAggregator", () => {
  it("sums duplicate paths written differently and orders by journeys, then text", () => {
    const stats = new PathStatsAggregator();
    stats.addPath(" B>A ", ">", 1, 5, 1);
    stats.addPath("A", ">", 0, 0, 2);
    stats.addPath("B > A", ">", 2, 7, 0);
    const result = stats.result({ top: 5 });
    expect(result.topPaths.map((p) => [p.path, p.journeys, p.conversions, p.value])).toEqual([
      ["B > A", 4, 3, 12],
      ["A", 2, 0, 0],
    ]);
    expect(result.topPaths[0].conversionRate).toBeCloseTo(0.75, 15);
    expect(result.topPaths[0].valuePerJourney).toBeCloseTo(3, 15);
    expect(result.totals).toEqual({ rows: 3, paths: 2, journeys: 6, conversions: 3, nulls: 3, value: 12 });
  });

  it("puts paths of 10 or more touches in the last band", () => {
    const stats = new PathStatsAggregator();
    stats.addPath(Array(12).fill("X").join(">"), ">", 1, 0, 1);
    stats.addPath(Array(10).fill("Y").join(">"), ">", 0, 0, 3);
    const { lengths } = stats.result();
    expect(lengths).toHaveLength(PATH_LENGTH_BANDS);
    expect(lengths[9]).toMatchObject({ touches: 10, orMore: true, journeys: 5, conversions: 1 });
    expect(lengths[0].conversionRate).toBeNull();
  });

  it("role shares each add up to 1 and count a one-touch journey as first and last", () => {
    const stats = new PathStatsAggregator();
    stats.addPath("A > B > C > B", ">", 2, 0, 0);
    stats.addPath("C", ">", 1, 0, 5);
    stats.addPath("D", ">", 0, 0, 9);
    const { roles } = stats.result();
    const by = Object.fromEntries(roles.map((r) => [r.channel, r]));
    // First: A 2, C 1 of 3. Last: B 2, C 1. Assists: B 2, C 2 of 4. Touched: B 2/3, C 3/3, A 2/3.
    expect(by.A.firstShare).toBeCloseTo(2 / 3, 15);
    expect(by.C.lastShare).toBeCloseTo(1 / 3, 15);
    expect(by.B.assistShare).toBeCloseTo(0.5, 15);
    expect(by.C.touchedShare).toBe(1);
    expect(by.D).toMatchObject({ firstShare: 0, lastShare: 0, touchedShare: 0 });
    expect(roles[0].channel).toBe("C");
    for (const key of ["firstShare", "assistShare", "lastShare"] as const) {
      expect(roles.reduce((s, r) => s + r[key], 0)).toBeCloseTo(1, 14);
    }
  });

  it("errors name the argument and the row", () => {
    const stats = new PathStatsAggregator();
    expect(() => stats.addPath(" > ", ">", 1, 0, 0, 7)).toThrow(/paths row 7/);
    expect(() => stats.addPath("A", ">", -1, 0, 0, 3)).toThrow(/conversions row 3/);
    expect(() => stats.addPath("A", ">", 1, Number.NaN, 0, 4)).toThrow(/values row 4/);
    try {
      new PathStatsAggregator().result();
    } catch (error) {
      expect(isEngineError(error, "INSUFFICIENT_DATA")).toBe(true);
    }
    const one = new PathStatsAggregator();
    one.addPath("A", ">", 1, 0, 0);
    expect(() => one.result({ top: 0 })).toThrow(/top/);
  });
});

describe("PathStatsAggregator on many rows (look-ups done in batches)", () => {
  /** Every path's journeys, conversions and value, summed in row order by a Map of path texts (written apart from the engine). */
  function reference(rows: readonly [string, number, number, number][]) {
    const sums = new Map<string, [number, number, number]>();
    for (const [text, conversions, value, nulls] of rows) {
      const path = text.split(">").map((t) => t.trim()).filter((t) => t.length > 0).join(" > ");
      const sum = sums.get(path) ?? [0, 0, 0];
      sum[0] += conversions + nulls;
      sum[1] += conversions;
      sum[2] += value;
      sums.set(path, sum);
    }
    return [...sums].map(([path, [journeys, conversions, value]]) => ({ path, journeys, conversions, value }));
  }

  function seededRows(seed: number, count: number): [string, number, number, number][] {
    const random = seededUniform(seed);
    const channels = ["A", "B", "C", "Email", "Search", " Social "];
    return Array.from({ length: count }, () => {
      const touches = Array.from({ length: 1 + Math.floor(random() * 6) }, () => channels[Math.floor(random() * channels.length)]);
      const conversions = random() < 0.3 ? 1 + Math.floor(random() * 3) : 0;
      return [touches.join(random() < 0.5 ? ">" : " > "), conversions, conversions > 0 ? Math.round(random() * 10000) / 100 : 0, Math.floor(random() * 4)];
    });
  }

  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

  it("sums every path as a row-by-row Map does, whether the tables were sized or grew", () => {
    const rows = seededRows(20261206, 5000);
    const expected = reference(rows).sort(byPath);
    for (const stats of [new PathStatsAggregator(), new PathStatsAggregator(rows.length)]) {
      rows.forEach(([text, conversions, value, nulls], i) => stats.addPath(text, ">", conversions, value, nulls, i + 1));
      const result = stats.result({ top: 100_000 });
      expect(result.totals.paths).toBe(expected.length);
      expect(result.topPaths.map((p) => ({ path: p.path, journeys: p.journeys, conversions: p.conversions, value: p.value })).sort(byPath)).toEqual(expected);
      // Top paths: by journeys, then text.
      for (let k = 1; k < result.topPaths.length; k++) {
        const [a, b] = [result.topPaths[k - 1], result.topPaths[k]];
        expect(a.journeys > b.journeys || (a.journeys === b.journeys && a.path < b.path)).toBe(true);
      }
    }
  });

  it("a result taken part-way counts the rows fed so far, and feeding on counts the rest", () => {
    const rows = seededRows(7, 1000);
    const stats = new PathStatsAggregator();
    rows.slice(0, 517).forEach(([text, conversions, value, nulls]) => stats.addPath(text, ">", conversions, value, nulls));
    const part = stats.result({ top: 100_000 });
    expect(part.topPaths.map((p) => ({ path: p.path, journeys: p.journeys, conversions: p.conversions, value: p.value })).sort(byPath)).toEqual(reference(rows.slice(0, 517)).sort(byPath));
    rows.slice(517).forEach(([text, conversions, value, nulls]) => stats.addPath(text, ">", conversions, value, nulls));
    const all = stats.result({ top: 100_000 });
    expect(all.totals.rows).toBe(1000);
    expect(all.topPaths.map((p) => ({ path: p.path, journeys: p.journeys, conversions: p.conversions, value: p.value })).sort(byPath)).toEqual(reference(rows).sort(byPath));
  });
});

describe("journeysOfLog", () => {
  const rows: [number, number, string | null, number][] = [
    [0, 1, "Email", 0],
    [0, 3, "Search", 0],
    [0, 4, null, 50], // converts: Email > Search, 3 days
    [0, 10, "Social", 0], // trailing: non-converting
    [1, 1, "Display", 0],
    [1, 60, "Email", 25], // conversion row with a channel; Display is 59 days before: outside 30
    [1, 61, null, 10], // no touch left: without touch
    [2, 5, "Search", 0],
    [2, 5, null, 1], // same time: the touch comes first
  ];

  it("keeps each journey's customer, touches, times, value and earlier conversions", () => {
    const result = journeysOfLog(log(rows), 30);
    expect(result.channels).toEqual(["Email", "Search", "Social", "Display"]);
    const shown = result.journeys.map((j) => ({
      customer: j.customer,
      path: Array.from(j.channelIds, (c) => result.channels[c]).join(" > "),
      rows: Array.from(j.touchRows),
      start: j.start,
      end: j.end,
      converted: j.converted,
      value: j.value,
      earlier: j.earlierConversions,
    }));
    expect(shown).toEqual([
      { customer: 0, path: "Email > Search", rows: [0, 1], start: 1, end: 4, converted: true, value: 50, earlier: 0 },
      { customer: 0, path: "Social", rows: [3], start: 10, end: 10, converted: false, value: 0, earlier: 1 },
      { customer: 1, path: "Email", rows: [5], start: 60, end: 60, converted: true, value: 25, earlier: 0 },
      { customer: 2, path: "Search", rows: [7], start: 5, end: 5, converted: true, value: 1, earlier: 0 },
    ]);
    expect(result.conversions).toBe(4);
    expect(result.conversionsWithoutTouch).toBe(1);
    expect(result.valueWithoutTouch).toBe(10);
    expect(result.touchesOutsideLookback).toBe(1);
  });

  it("cuts the same journeys as IMC.ATTRIBUTE.EVENTS (addTouchpointLog) on a seeded log", () => {
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const names = ["Email", "Search", "Social", "Display"];
    const big: [number, number, string | null, number][] = [];
    for (let i = 0; i < 3000; i++) {
      const converts = random() < 0.15;
      const channel = converts && random() < 0.5 ? null : names[Math.floor(random() * names.length)];
      big.push([Math.floor(random() * 200), Math.floor(random() * 400) + random(), channel, converts ? 1 + Math.floor(random() * 100) : 0]);
    }
    const touchpoints = log(big);
    const recorded: string[] = [];
    const channelNames: string[] = [];
    const recorder = {
      channelId(name: string) {
        let id = channelNames.indexOf(name);
        if (id < 0) id = channelNames.push(name) - 1;
        return id;
      },
      addJourney(ids: Int32Array, length: number, conversions: number, value: number, nulls: number) {
        recorded.push(`${Array.from(ids.subarray(0, length), (c) => channelNames[c]).join(">")}|${conversions}|${value}|${nulls}`);
      },
    } as unknown as JourneyAggregator;
    const summary = addTouchpointLog(touchpoints, recorder, 30);
    const result = journeysOfLog(touchpoints, 30);
    const mine = result.journeys.map(
      (j) => `${Array.from(j.channelIds, (c) => result.channels[c]).join(">")}|${j.converted ? 1 : 0}|${j.value}|${j.converted ? 0 : 1}`,
    );
    expect(mine.sort()).toEqual(recorded.sort());
    expect(result.conversionsWithoutTouch).toBe(summary.unattributedConversions);
    expect(result.touchesOutsideLookback).toBe(summary.touchesOutsideLookback);
  });

  it("rejects a bad look-back and a negative conversion with its row", () => {
    expect(() => journeysOfLog(log(rows), 0)).toThrow(/lookback_days/);
    expect(() => journeysOfLog(log([[0, 1, "A", -2]]))).toThrow(/conversions row 1/);
  });
});
