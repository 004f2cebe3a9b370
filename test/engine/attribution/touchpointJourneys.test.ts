// Cutting a touchpoint log into journeys: look-back window, the previous conversion as a boundary,
// conversion rows with and without a channel, trailing touches as nulls, conversions with no touch,
// and real timestamps in the time-decay model.
import { describe, expect, it } from "vitest";
import { addTouchpointLog, JourneyAggregator, type TouchpointLog } from "../../../src/engine/attribution";
import { engineErrorOf } from "../../support/engine";

type Event = [customer: number, day: number, channel: string | null, conversion: number];

function logOf(events: Event[]): TouchpointLog {
  return {
    customerIndex: Int32Array.from(events.map((e) => e[0])),
    timestamps: Float64Array.from(events.map((e) => 45000 + e[1])),
    channels: events.map((e) => e[2]),
    conversionValues: Float64Array.from(events.map((e) => e[3])),
  };
}

function run(events: Event[], lookbackDays?: number, halfLifeDays?: number) {
  const aggregator = new JourneyAggregator({ halfLifeDays });
  const summary = addTouchpointLog(logOf(events), aggregator, lookbackDays);
  const result = aggregator.result();
  const credit = (model: "first" | "last" | "linear" | "time_decay" | "markov") =>
    Object.fromEntries(result.channels.map((c, i) => [c, result.credit[model]!.conversions[i]]));
  return { summary, result, credit };
}

describe("journeys from a touchpoint log", () => {
  it("rows in any order are sorted by time per customer; touches at the conversion's time count", () => {
    const { credit, summary } = run([
      [0, 5, null, 40],
      [0, 5, "Search", 0],
      [0, 1, "Email", 0],
    ]);
    expect(summary.convertingJourneys).toBe(1);
    expect(credit("first")).toEqual({ Search: 0, Email: 1 });
    expect(credit("last")).toEqual({ Search: 1, Email: 0 });
  });

  it("touches more than lookback_days before the conversion are left out and counted", () => {
    const { credit, summary } = run(
      [
        [0, 0, "Display", 0],
        [0, 20, "Email", 0],
        [0, 31, null, 1],
      ],
      30,
    );
    expect(credit("first")).toEqual({ Display: 0, Email: 1 });
    expect(summary.touchesOutsideLookback).toBe(1);
  });

  it("a conversion closes its journey: later touches start the next one, trailing ones are a null", () => {
    const { credit, summary, result } = run([
      [0, 1, "Email", 0],
      [0, 2, null, 10],
      [0, 3, "Search", 0],
      [0, 4, null, 20],
      [0, 5, "Social", 0],
    ]);
    expect(summary).toMatchObject({ conversions: 2, convertingJourneys: 2, nonConvertingJourneys: 1 });
    expect(credit("linear")).toEqual({ Email: 1, Search: 1, Social: 0 });
    expect(Array.from(result.credit.linear!.value)).toEqual([10, 20, 0]);
    expect(result.totals.nulls).toBe(1);
  });

  it("a conversion row with a channel is also the last touch of its journey", () => {
    const { credit } = run([
      [0, 1, "Email", 0],
      [0, 2, "Search", 99],
    ]);
    expect(credit("last")).toEqual({ Email: 0, Search: 1 });
    expect(credit("linear")).toEqual({ Email: 0.5, Search: 0.5 });
  });

  it("customers are separate: one's touches never join another's conversion", () => {
    const { credit, summary } = run([
      [0, 1, "Email", 0],
      [1, 2, "Search", 0],
      [1, 3, null, 1],
    ]);
    expect(credit("linear")).toEqual({ Email: 0, Search: 1 });
    expect(summary.nonConvertingJourneys).toBe(1);
  });

  it("a conversion with no touch in its window is counted apart with its value", () => {
    const { summary } = run([
      [0, 1, "Email", 0],
      [0, 2, null, 5],
      [0, 3, null, 7],
    ]);
    expect(summary.unattributedConversions).toBe(1);
    expect(summary.unattributedValue).toBe(7);
  });

  it("time decay uses the real days before the conversion (half-life 7: 14 days back weighs 1/4)", () => {
    const { credit } = run([
      [0, 0, "Email", 0],
      [0, 14, "Search", 0],
      [0, 14, null, 1],
    ]);
    expect(credit("time_decay").Email).toBeCloseTo(0.25 / 1.25, 14);
    expect(credit("time_decay").Search).toBeCloseTo(1 / 1.25, 14);
  });

  it("Markov sees converting and non-converting journeys (nulls)", () => {
    const { result } = run([
      [0, 1, "Email", 0],
      [0, 2, null, 1],
      [1, 1, "Search", 0],
    ]);
    expect(result.markov!.hasNulls).toBe(true);
    expect(result.markov!.conversionProbability).toBeCloseTo(0.5, 14);
  });

  it("a log with no conversion row is INSUFFICIENT_DATA; a negative value or look-back is INVALID_INPUT", () => {
    const aggregator = new JourneyAggregator();
    const none = engineErrorOf(() => addTouchpointLog(logOf([[0, 1, "Email", 0]]), aggregator));
    expect(none.code).toBe("INSUFFICIENT_DATA");
    expect(none.message).toMatch(/^conversions: the log has no conversion row/);
    expect(engineErrorOf(() => addTouchpointLog(logOf([[0, 1, "Email", -3]]), aggregator)).message).toBe(
      "conversions row 1: -3 must be blank, 0 or a positive value",
    );
    expect(engineErrorOf(() => addTouchpointLog(logOf([[0, 1, "Email", 1]]), aggregator, 0)).message).toMatch(/^lookback_days: 0/);
  });
});
