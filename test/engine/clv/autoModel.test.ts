import { describe, expect, it } from "vitest";
import { selectCountingModel } from "../../../src/engine/clv/autoModel";
import { forecastCustomer } from "../../../src/engine/clv/countingModels";
import { fitParetoNbd } from "../../../src/engine/clv/paretoNbd";
import type { FitData } from "../../../src/engine/clv/fitData";
import { fitDataOf } from "../../../src/engine/clv/summary";
import { EngineError, isEngineError } from "../../../src/engine/errors";
import { sharedDir, sharedSkipMessage } from "../../support/shared";
import { cdnowFrequencySummary } from "./cdnowData";

/** No code identifiers in a message: no camelCase words, no flags, no Excel function names. */
const CODE_LIKE = /\b[a-z]+[A-Z]\w*|--|IMC\./;

function errorOf(body: () => unknown): EngineError {
  try {
    body();
  } catch (error) {
    if (isEngineError(error)) return error;
    throw error;
  }
  throw new Error("expected an EngineError");
}

function triples(x: number[], t_x: number[], T: number[]): FitData {
  return fitDataOf({ frequency: Float64Array.from(x), recency: Float64Array.from(t_x), T: Float64Array.from(T) });
}

describe("selectCountingModel: the automatic model choice", () => {
  it("CDNOW summary: MBG/NBD has the highest log-likelihood (−9582.13 against BG/NBD −9582.43 and Pareto/NBD −9594.97)", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const R = cdnowFrequencySummary(dir);
    const choice = selectCountingModel(fitDataOf({ frequency: R.x, recency: R.t_x, T: R.T }));
    expect(choice.fit.model).toBe("mbgnbd");
    expect(choice.candidates.map((c) => [c.model, c.status])).toEqual([
      ["bgnbd", "fitted"],
      ["mbgnbd", "fitted"],
      ["pareto", "fitted"],
    ]);
    const ll = Object.fromEntries(choice.candidates.map((c) => [c.model, c.logLikelihood!]));
    expect(ll.mbgnbd).toBeGreaterThan(ll.bgnbd);
    expect(ll.bgnbd).toBeGreaterThan(ll.pareto);
    expect(Math.abs(ll.bgnbd - -9582.42556)).toBeLessThan(1e-3);
    expect(choice.reason).toContain("MBG/NBD has the highest log-likelihood");
    expect(choice.reason).toContain("4 parameters");
    expect(choice.reason).toContain("BG/NBD log-likelihood −9582.43");
    expect(choice.reason).toContain("MBG/NBD log-likelihood −9582.13");
    expect(choice.reason).toContain("Pareto/NBD log-likelihood −9594.97");
    expect(choice.reason).not.toMatch(CODE_LIKE);
  });

  it("20 customers, 5 of them repeat buyers: a model is chosen, every candidate is accounted for, predictions are finite", () => {
    const x = [3, 1, 2, 5, 1, ...Array<number>(15).fill(0)];
    const t_x = [20, 4, 15, 30, 9, ...Array<number>(15).fill(0)];
    const T = [36, 38, 30, 34, 39, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25];
    const choice = selectCountingModel(triples(x, t_x, T));
    expect(choice.candidates).toHaveLength(3);
    for (const c of choice.candidates) expect(choice.reason).toContain(c.model === "pareto" ? "Pareto/NBD" : c.model === "mbgnbd" ? "MBG/NBD" : "BG/NBD");
    expect(choice.reason).not.toMatch(CODE_LIKE);
    for (let i = 0; i < x.length; i++) {
      const forecast = forecastCustomer(choice.fit, x[i], t_x[i], T[i]);
      expect(forecast.probabilityAlive).toBeGreaterThanOrEqual(0);
      expect(forecast.probabilityAlive).toBeLessThanOrEqual(1);
      expect(Number.isFinite(forecast.cumulativePurchases(52))).toBe(true);
    }
  });

  it("every customer buys every week until the as-of date: no drop-out, so the NBD limit is returned with that reason", () => {
    const T = Array.from({ length: 40 }, (_, i) => 10 + (i % 21));
    const choice = selectCountingModel(triples(T, T, T));
    expect(choice.fit.model).toBe("nbd");
    expect(choice.fit.converged).toBe(true);
    expect(choice.candidates.every((c) => c.status === "no-dropout")).toBe(true);
    expect(choice.reason).toMatch(/^No drop-out detected/);
    expect(choice.reason).toContain("NBD model without drop-out");
    expect(choice.reason).not.toMatch(CODE_LIKE);
    const forecast = forecastCustomer(choice.fit, 20, 20, 20);
    expect(forecast.probabilityAlive).toBe(1);
    // One purchase a week: 52 more in a year.
    expect(Math.abs(forecast.cumulativePurchases(52) - 52)).toBeLessThan(1e-5);
    expect(Math.abs(forecastCustomer(choice.fit, 0, 0, 0).cumulativePurchases(10) - 10)).toBeLessThan(1e-5);
  });

  it("all one-time buyers: INSUFFICIENT_DATA in plain words (there is no repeat buying to model, so no degenerate fit is offered)", () => {
    const error = errorOf(() => selectCountingModel(triples([0, 0, 0, 0], [0, 0, 0, 0], [5, 10, 20, 30])));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toBe("no customer bought more than once, so repeat buying cannot be modelled");
  });

  it("one customer: INSUFFICIENT_DATA saying how many the model needs", () => {
    const error = errorOf(() => selectCountingModel(triples([4], [20], [30])));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toMatch(/^only 1 customer .*needs at least 2/);
    expect(error.message).not.toMatch(CODE_LIKE);
  });

  it("bad input is not swallowed as a rejected candidate: T = 0 in the fit data is INVALID_INPUT", () => {
    const data = { x: Float64Array.from([2, 1]), t_x: Float64Array.from([3, 0]), T: Float64Array.from([5, 0]), weight: Float64Array.from([4, 3]) };
    expect(errorOf(() => selectCountingModel(data)).code).toBe("INVALID_INPUT");
  });

  it("a clockwork pattern (customers order on a fixed grid): BG/NBD fits only at its common-drop-out limit, the other two say what ran off, in bounded time", () => {
    const x: number[] = [];
    const t_x: number[] = [];
    const T: number[] = [];
    for (let c = 0; c < 300; c++) {
      const days = Array.from({ length: (c % 5) + 1 }, (_, k) => (c * 37 + k * 53) % 500).sort((a, b) => a - b);
      x.push(days.length - 1);
      t_x.push((days[days.length - 1] - days[0]) / 7);
      T.push((500 - days[0]) / 7);
    }
    const started = Date.now();
    const selection = selectCountingModel(triples(x, t_x, T));
    expect(Date.now() - started).toBeLessThan(4000);
    expect(selection.fit.model).toBe("bgnbd");
    expect(selection.fit.limit?.description).toMatch(/^a and b are unbounded/);
    expect(selection.candidates.map((c) => c.status)).toEqual(["fitted", "rejected", "rejected"]);
    // MBG/NBD runs off in both pairs at once (no limit model covers that); Pareto/NBD in one.
    expect(selection.candidates[1].reason).toMatch(/^did not converge: r and alpha grew without bound .* and a and b grew without bound/);
    expect(selection.candidates[2].reason).toMatch(/^did not converge(: |$)/);
    expect(selection.reason).not.toMatch(CODE_LIKE);
  });
});

describe("fitParetoNbd's series-term budget (used by the automatic choice)", () => {
  it("CDNOW: converged without a budget and with a generous one; a budget far too small stops the fit, reported as not converged", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const R = cdnowFrequencySummary(dir);
    const data = fitDataOf({ frequency: R.x, recency: R.t_x, T: R.T });
    const free = fitParetoNbd(data);
    const generous = fitParetoNbd(data, { seriesTermBudget: 50_000_000 });
    expect(free.converged).toBe(true);
    expect(generous).toEqual(free);
    expect(fitParetoNbd(data, { seriesTermBudget: 20_000 }).converged).toBe(false);
    // The budget is the fit's only: the next fit without one is unaffected.
    expect(fitParetoNbd(data)).toEqual(free);
  });
});
