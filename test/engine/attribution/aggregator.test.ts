// The one-pass aggregator: path parsing, the rule models worked by hand, invariants over random
// journeys (credit adds up to the totals, nothing negative, one channel takes everything), and
// validation at the engine entry.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ATTRIBUTION_MODELS, JourneyAggregator, rankChannels, type AttributionResult } from "../../../src/engine/attribution";
import { engineErrorOf } from "../../support/engine";

type Row = [path: string, conversions: number, value?: number, nulls?: number];

function attribute(rows: Row[], options: ConstructorParameters<typeof JourneyAggregator>[0] = {}, separator = ">"): AttributionResult {
  const aggregator = new JourneyAggregator(options);
  for (const [path, conversions, value = 0, nulls = 0] of rows) aggregator.addPath(path, separator, conversions, value, nulls);
  return aggregator.result();
}

function creditOf(result: AttributionResult, model: (typeof ATTRIBUTION_MODELS)[number]): Record<string, number> {
  return Object.fromEntries(result.channels.map((c, i) => [c, result.credit[model]!.conversions[i]]));
}

describe("path parsing", () => {
  it("trims spaces around channel names, skips empty tokens, keeps inner spaces", () => {
    const result = attribute([[" Paid Search >>  Email > > ", 1]]);
    expect(result.channels).toEqual(["Paid Search", "Email"]);
    expect(creditOf(result, "linear")).toEqual({ "Paid Search": 0.5, Email: 0.5 });
  });

  it("splits on the separator given (|), leaving > inside names alone", () => {
    const result = attribute([["a>b | c", 2]], {}, "|");
    expect(result.channels).toEqual(["a>b", "c"]);
  });

  it("duplicate paths are summed: two rows give the same credit as one row with the sums", () => {
    const split = attribute([["A > B > A", 1, 10, 2], ["B", 1, 3, 1], ["A > B > A", 2, 5, 3]]);
    const merged = attribute([["A>B>A", 3, 15, 5], ["B", 1, 3, 1]]);
    for (const model of ATTRIBUTION_MODELS) {
      for (let i = 0; i < 2; i++) {
        expect(split.credit[model]!.conversions[i]).toBeCloseTo(merged.credit[model]!.conversions[i], 12);
        expect(split.credit[model]!.value[i]).toBeCloseTo(merged.credit[model]!.value[i], 12);
      }
    }
  });

  it("a separator that is not one character is rejected; addPathRange reads a slice of a longer text", () => {
    const aggregator = new JourneyAggregator({ models: ["linear"] });
    expect(engineErrorOf(() => aggregator.addPath("A > B", "->", 1, 0, 0)).message).toBe('separator: "->" must be a single character, such as >');
    const line = "Email > Search;1;20;3";
    aggregator.addPathRange(line, 0, line.indexOf(";"), ">", 1, 20, 3);
    expect(aggregator.result().channels).toEqual(["Email", "Search"]);
    expect(engineErrorOf(() => aggregator.addPathRange(line, 5, 99, ">", 1, 0, 0)).message).toMatch(/outside the text/);
  });

  it("a path of separators only is an error naming the row", () => {
    const aggregator = new JourneyAggregator();
    aggregator.addPath("A", ">", 1, 0, 0);
    const error = engineErrorOf(() => aggregator.addPath(" > > ", ">", 1, 0, 0));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toBe('paths row 2: " > > " has no channel name');
  });
});

describe("rule models worked by hand: A > B > A > C with 2 conversions and value 10", () => {
  const result = attribute([["A > B > A > C", 2, 10]]);
  it("first: A 2; last: C 2", () => {
    expect(creditOf(result, "first")).toEqual({ A: 2, B: 0, C: 0 });
    expect(creditOf(result, "last")).toEqual({ A: 0, B: 0, C: 2 });
  });
  it("linear per occurrence: A 2·2/4, B 2/4, C 2/4", () => {
    expect(creditOf(result, "linear")).toEqual({ A: 1, B: 0.5, C: 0.5 });
  });
  it("position 40/20/40: A 0.4 + 0.1, B 0.1, C 0.4 (× 2)", () => {
    const credit = creditOf(result, "position");
    expect(credit.A).toBeCloseTo(1, 14);
    expect(credit.B).toBeCloseTo(0.2, 14);
    expect(credit.C).toBeCloseTo(0.8, 14);
  });
  it("time decay, 7-day half-life, touch i of L at L − 1 − i days: weights 2^(−3/7), 2^(−2/7), 2^(−1/7), 1", () => {
    const w = [2 ** (-3 / 7), 2 ** (-2 / 7), 2 ** (-1 / 7), 1];
    const total = w.reduce((a, b) => a + b);
    const credit = creditOf(result, "time_decay");
    expect(credit.A).toBeCloseTo((2 * (w[0] + w[2])) / total, 14);
    expect(credit.B).toBeCloseTo((2 * w[1]) / total, 14);
    expect(credit.C).toBeCloseTo((2 * w[3]) / total, 14);
  });
  it("simplified Shapley: 3 distinct channels, 2/3 each", () => {
    const credit = creditOf(result, "shapley");
    for (const c of ["A", "B", "C"]) expect(credit[c]).toBeCloseTo(2 / 3, 14);
  });
  it("value follows the same weights (linear: A 5, B 2.5, C 2.5)", () => {
    expect(Array.from(result.credit.linear!.value)).toEqual([5, 2.5, 2.5]);
  });
  it("position: one touch gets 100%, two touches 50/50", () => {
    expect(creditOf(attribute([["A", 1]]), "position")).toEqual({ A: 1 });
    expect(creditOf(attribute([["A > B", 1]]), "position")).toEqual({ A: 0.5, B: 0.5 });
  });
  it("time decay with a 1-day half-life halves per step", () => {
    const credit = creditOf(attribute([["A > B", 3]], { halfLifeDays: 1 }), "time_decay");
    expect(credit.A).toBeCloseTo(1, 14);
    expect(credit.B).toBeCloseTo(2, 14);
  });
});

describe("invariants over random journeys", () => {
  const channel = fc.constantFrom("Email", "Search", "Direct", "Social", "Display", "Affiliate");
  const row = fc.tuple(
    fc.array(channel, { minLength: 1, maxLength: 9 }),
    fc.integer({ min: 0, max: 6 }),
    fc.double({ min: 0, max: 500, noNaN: true }),
    fc.integer({ min: 0, max: 9 }),
  );

  it("every model's credit adds up to total conversions and value, none negative, Markov RE in [0, 1]", () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 4 }), (rows, order) => {
        fc.pre(rows.some(([, c]) => c > 0));
        const result = attribute(
          rows.map(([path, c, v, n]) => [path.join(" > "), c, c > 0 ? v : 0, n]),
          { markovOrder: order },
        );
        for (const model of ATTRIBUTION_MODELS) {
          const credit = result.credit[model]!;
          const conversions = credit.conversions.reduce((a, b) => a + b, 0);
          const value = credit.value.reduce((a, b) => a + b, 0);
          expect(Math.abs(conversions - result.totals.conversions)).toBeLessThanOrEqual(1e-9 * result.totals.conversions);
          expect(Math.abs(value - result.totals.value)).toBeLessThanOrEqual(1e-9 * Math.max(1, result.totals.value));
          for (let i = 0; i < credit.conversions.length; i++) {
            expect(credit.conversions[i]).toBeGreaterThanOrEqual(0);
            expect(credit.value[i]).toBeGreaterThanOrEqual(0);
          }
        }
        for (const re of result.markov!.removalEffect) {
          expect(re).toBeGreaterThanOrEqual(0);
          expect(re).toBeLessThanOrEqual(1);
        }
        // Every channel in the data is reported, converting or not.
        expect(new Set(result.channels)).toEqual(new Set(rows.flatMap(([path]) => path)));
      }),
      { numRuns: 80, seed: 4242 },
    );
  });

  it("one-channel data gives that channel everything in every model", () => {
    const result = attribute([["Email > Email", 3, 30, 4], ["Email", 2, 5, 1]], { markovOrder: 2 });
    for (const model of ATTRIBUTION_MODELS) {
      expect(result.credit[model]!.conversions[0]).toBeCloseTo(5, 12);
      expect(result.credit[model]!.value[0]).toBeCloseTo(35, 12);
    }
    expect(result.markov!.removalEffect[0]).toBe(1);
  });
});

describe("rankChannels", () => {
  it("orders by credit descending, ties by name", () => {
    expect(rankChannels(Float64Array.from([1, 3, 1, 2]), ["b", "x", "a", "c"])).toEqual([1, 3, 2, 0]);
  });
});

describe("validation at the engine entry", () => {
  it("negative or non-finite numbers name the argument and row", () => {
    const aggregator = new JourneyAggregator();
    expect(engineErrorOf(() => aggregator.addPath("A", ">", -1, 0, 0, 7)).message).toBe("conversions row 7: -1 must be a number ≥ 0");
    expect(engineErrorOf(() => aggregator.addPath("A", ">", 1, Number.NaN, 0, 3)).message).toBe("values row 3: NaN must be a number ≥ 0");
    expect(engineErrorOf(() => aggregator.addPath("A", ">", 1, 0, -2, 4)).message).toBe("nulls row 4: -2 must be a number ≥ 0");
    expect(engineErrorOf(() => aggregator.addPath("A", ">", 0, 5, 1, 5)).message).toMatch(/^values row 5: a value of 5 with 0 conversions/);
  });

  it("unknown models, orders outside 1–4 and non-positive half-lives are rejected", () => {
    expect(engineErrorOf(() => new JourneyAggregator({ models: ["last", "nope" as never] })).code).toBe("INVALID_INPUT");
    expect(engineErrorOf(() => new JourneyAggregator({ markovOrder: 5 })).message).toMatch(/order 5 must be a whole number from 1 to 4/);
    expect(engineErrorOf(() => new JourneyAggregator({ halfLifeDays: 0 })).message).toMatch(/half-life 0 days/);
  });

  it("no rows, or rows without conversions, give INSUFFICIENT_DATA", () => {
    expect(engineErrorOf(() => new JourneyAggregator().result()).code).toBe("INSUFFICIENT_DATA");
    const aggregator = new JourneyAggregator();
    aggregator.addPath("A > B", ">", 0, 0, 5);
    const error = engineErrorOf(() => aggregator.result());
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toMatch(/^conversions: no conversions to attribute/);
  });

  it("addJourney rejects unknown channel ids and empty journeys", () => {
    const aggregator = new JourneyAggregator();
    aggregator.channelId("A");
    expect(engineErrorOf(() => aggregator.addJourney([0, 1], 2, 1, 0, 0)).message).toMatch(/unknown channel id 1/);
    expect(engineErrorOf(() => aggregator.addJourney([], 0, 1, 0, 0)).message).toMatch(/has no touch/);
  });

  it("only the models asked for are computed", () => {
    const result = attribute([["A > B", 1]], { models: ["first", "shapley"] });
    expect(Object.keys(result.credit).sort()).toEqual(["first", "shapley"]);
    expect(result.markov).toBeNull();
  });
});
