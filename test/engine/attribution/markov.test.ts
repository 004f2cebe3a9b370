// Markov removal effects: hand-worked chains, an independent dense brute force (string states,
// Gaussian elimination on the full chain, RE = 1 − P_c / P) on random journeys, the step cap, and
// the solver's guards (closed loops with no exit, large loops solved by Gauss–Seidel).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JourneyAggregator, markovRemovalEffects, type MarkovChain } from "../../../src/engine/attribution";
import { createAbsorbingSolver, DENSE_LIMIT } from "../../../src/engine/attribution/absorbingChain";
import { engineErrorOf } from "../../support/engine";

interface Journey {
  path: string[];
  conversions: number;
  value: number;
  nulls: number;
}

function run(journeys: Journey[], order = 1, maxSteps: number | null = null) {
  const aggregator = new JourneyAggregator({ models: ["markov"], markovOrder: order });
  for (const j of journeys) aggregator.addPath(j.path.join(">"), ">", j.conversions, j.value, j.nulls);
  const result = aggregator.result({ maxSteps });
  const byName = (array: Float64Array) => Object.fromEntries(result.channels.map((c, i) => [c, array[i]]));
  return { result, re: byName(result.markov!.removalEffect), reValue: byName(result.markov!.valueRemovalEffect), credit: byName(result.credit.markov!.conversions) };
}

/** Solves A x = b densely (Gaussian elimination with partial pivoting); A is n×n row-major arrays. */
function denseSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

/** Brute force from the definition: string states, full transition matrix, P(conv) with c removed. */
function bruteForce(
  journeys: Journey[],
  order: number,
  only?: string[],
): { re: Record<string, number>; reValue: Record<string, number> } {
  const states = new Map<string, number>();
  const stateNames: string[][] = [];
  const id = (window: string[]) => {
    const key = window.join("\u0001");
    if (!states.has(key)) {
      states.set(key, states.size);
      stateNames.push(window);
    }
    return states.get(key)!;
  };
  const edges: [number, number, number][] = [];
  const exits: [number, number, number, number][] = []; // state, conversions, value, nulls
  const starts: [number, number][] = [];
  for (const j of journeys) {
    const w = j.conversions + j.nulls;
    if (w === 0) continue;
    const seq: number[] = [];
    if (j.path.length <= order) seq.push(id(j.path));
    else for (let i = 0; i + order <= j.path.length; i++) {
      const s = id(j.path.slice(i, i + order));
      if (seq[seq.length - 1] !== s) seq.push(s);
    }
    starts.push([seq[0], w]);
    for (let i = 1; i < seq.length; i++) edges.push([seq[i - 1], seq[i], w]);
    exits.push([seq[seq.length - 1], j.conversions, j.value, j.nulls]);
  }
  const n = states.size;
  const out = new Array(n).fill(0);
  const q = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const conv = new Array(n).fill(0);
  const val = new Array(n).fill(0);
  for (const [a, b, w] of edges) { q[a][b] += w; out[a] += w; }
  for (const [s, c, v, nu] of exits) { conv[s] += c; val[s] += v; out[s] += c + nu; }
  const totalStart = starts.reduce((t, [, w]) => t + w, 0);
  const pi = new Array(n).fill(0);
  for (const [s, w] of starts) pi[s] += w / totalStart;
  const r = conv.map((c, s) => c / out[s]);
  const mr = conv.map((c, s) => (c > 0 ? val[s] / c : 0) * r[s]);
  const solveP = (removed: Set<number>, exitVector: number[]) => {
    const a = q.map((row, s) => row.map((w, t) => (s === t ? 1 : 0) - (removed.has(t) ? 0 : w / out[s])));
    const h = denseSolve(a, exitVector);
    return pi.reduce((t, p, s) => t + (removed.has(s) ? 0 : p * h[s]), 0);
  };
  const p = solveP(new Set(), r);
  const pv = solveP(new Set(), mr);
  const channels = only ?? [...new Set(journeys.flatMap((j) => j.path))];
  const re: Record<string, number> = {};
  const reValue: Record<string, number> = {};
  for (const c of channels) {
    const removed = new Set(stateNames.map((w, s) => (w.includes(c) ? s : -1)).filter((s) => s >= 0));
    re[c] = 1 - solveP(removed, r) / p;
    reValue[c] = pv > 0 ? 1 - solveP(removed, mr) / pv : 0;
  }
  return { re, reValue };
}

const journeyArbitrary = fc.record({
  path: fc.array(fc.constantFrom("A", "B", "C", "D", "E"), { minLength: 1, maxLength: 7 }),
  conversions: fc.integer({ min: 0, max: 5 }),
  value: fc.constant(0),
  nulls: fc.integer({ min: 0, max: 5 }),
}).map((j) => ({ ...j, value: j.conversions * (1 + j.path.length) }));

describe("Markov removal effects, worked by hand", () => {
  it("A > B (3 conversions) and B (1): RE_A = 0.75, RE_B = 1, credit 4·0.75/1.75 and 4/1.75", () => {
    const { re, credit } = run([
      { path: ["A", "B"], conversions: 3, value: 0, nulls: 0 },
      { path: ["B"], conversions: 1, value: 0, nulls: 0 },
    ]);
    expect(re.A).toBeCloseTo(0.75, 14);
    expect(re.B).toBeCloseTo(1, 14);
    expect(credit.A).toBeCloseTo((4 * 0.75) / 1.75, 12);
    expect(credit.B).toBeCloseTo(4 / 1.75, 12);
  });

  it("with nulls: A converts 1 of 4, B 1 of 2: P = (1/4·4 + 1/2·2)/6, RE_A = 1/2", () => {
    const { result, re } = run([
      { path: ["A"], conversions: 1, value: 0, nulls: 3 },
      { path: ["B"], conversions: 1, value: 0, nulls: 1 },
    ]);
    expect(result.markov!.conversionProbability).toBeCloseTo(2 / 6, 14);
    expect(re.A).toBeCloseTo(0.5, 14);
    expect(re.B).toBeCloseTo(0.5, 14);
  });

  it("a channel that starts every journey gets RE = 1 (removing it removes every conversion)", () => {
    const { re } = run([
      { path: ["X", "A", "B"], conversions: 2, value: 0, nulls: 5 },
      { path: ["X", "B", "A", "C"], conversions: 1, value: 0, nulls: 3 },
      { path: ["X", "C"], conversions: 0, value: 0, nulls: 4 },
    ]);
    expect(re.X).toBeCloseTo(1, 14);
    expect(re.A).toBeLessThan(1);
  });

  it("a channel in every converting path need not get RE = 1: the chain can go around it", () => {
    // C is in both paths, yet start → B → (conversion) exists in the chain.
    const { re } = run([
      { path: ["C", "A", "B"], conversions: 1, value: 0, nulls: 0 },
      { path: ["B", "A", "C"], conversions: 1, value: 0, nulls: 0 },
    ]);
    expect(re.C).toBeGreaterThan(0);
    expect(re.C).toBeLessThan(1);
  });

  it("one channel gets everything (RE = 1, all conversions)", () => {
    const { re, credit } = run([
      { path: ["A", "A"], conversions: 2, value: 0, nulls: 1 },
      { path: ["A"], conversions: 1, value: 0, nulls: 7 },
    ]);
    expect(re.A).toBe(1);
    expect(credit.A).toBeCloseTo(3, 12);
  });
});

describe("Markov removal effects agree with an independent dense brute force", () => {
  for (const order of [1, 2, 3]) {
    it(`order ${order}: random journeys, RE and value RE to 1e-9 (absolute, as 1 − P_c/P loses digits)`, () => {
      fc.assert(
        fc.property(fc.array(journeyArbitrary, { minLength: 1, maxLength: 25 }), (journeys) => {
          fc.pre(journeys.some((j) => j.conversions > 0));
          const ours = run(journeys, order);
          const brute = bruteForce(journeys, order);
          for (const c of Object.keys(brute.re)) {
            expect(Math.abs(ours.re[c] - brute.re[c])).toBeLessThan(1e-9);
            expect(Math.abs(ours.reValue[c] - brute.reValue[c])).toBeLessThan(1e-9);
            expect(ours.re[c]).toBeGreaterThanOrEqual(0);
            expect(ours.re[c]).toBeLessThanOrEqual(1);
          }
        }),
        { numRuns: 60, seed: 20240601 + order },
      );
    });
  }
});

describe("capped horizon (maxSteps), for comparison with capped simulations", () => {
  const journeys: Journey[] = [
    { path: ["A", "B", "A", "C"], conversions: 3, value: 30, nulls: 9 },
    { path: ["B", "A"], conversions: 2, value: 10, nulls: 4 },
    { path: ["C"], conversions: 1, value: 7, nulls: 6 },
    { path: ["C", "B", "C", "A", "B"], conversions: 1, value: 2, nulls: 2 },
  ];

  it("approaches the exact removal effects as the cap grows", () => {
    const exact = run(journeys);
    const capped = run(journeys, 1, 2000);
    for (const c of ["A", "B", "C"]) {
      expect(capped.re[c]).toBeCloseTo(exact.re[c], 10);
      expect(capped.reValue[c]).toBeCloseTo(exact.reValue[c], 10);
    }
    expect(capped.result.markov!.maxSteps).toBe(2000);
  });

  it("maxSteps = 1 counts only conversions right after the first state: RE_c = π_c·r_c / Σ π_s·r_s", () => {
    // Start weights A 12, B 6, C 10; leaving weights A 33, B 24, C 25; conversions there A 2, B 1, C 4.
    const { re } = run(journeys, 1, 1);
    const converted = { A: (12 / 28) * (2 / 33), B: (6 / 28) * (1 / 24), C: (10 / 28) * (4 / 25) };
    const p = converted.A + converted.B + converted.C;
    for (const c of ["A", "B", "C"] as const) expect(re[c]).toBeCloseTo(converted[c] / p, 14);
  });

  it("rejects a cap that is not a whole number ≥ 1, and one no journey converts within", () => {
    expect(engineErrorOf(() => run(journeys, 1, 0)).code).toBe("INVALID_INPUT");
    expect(engineErrorOf(() => run(journeys, 1, 1.5)).message).toMatch(/^markovRemovalEffects: maxSteps 1\.5 must be a whole number/);
    const error = engineErrorOf(() => run([{ path: ["A", "B"], conversions: 1, value: 0, nulls: 0 }], 1, 1));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toMatch(/within 1 steps/);
  });
});

describe("absorbing-chain solver guards", () => {
  it("a closed loop with no exit (hand-built chain) is treated as leaving to (null), not a singular failure", () => {
    // States 0 → 1 ⇄ 2 (no exit from 1 or 2), 0 converts with probability 0.5.
    const chain: MarkovChain = {
      order: 1,
      stateCount: 3,
      start: Float64Array.from([1, 0, 0]),
      conversion: Float64Array.from([0.5, 0, 0]),
      exit: Float64Array.from([0.5, 0, 0]),
      meanValue: Float64Array.from([1, 0, 0]),
      outStart: Int32Array.from([0, 1, 2, 3]),
      outTo: Int32Array.from([1, 2, 1]),
      outProbability: Float64Array.from([0.5, 1, 1]),
      inStart: Int32Array.from([0, 0, 2, 3]),
      inFrom: Int32Array.from([0, 2, 1]),
      inProbability: Float64Array.from([0.5, 1, 1]),
      stateChannelStart: Int32Array.from([0, 1, 2, 3]),
      stateChannels: Int32Array.from([0, 1, 2]),
      journeyWeight: 1,
    };
    const effects = markovRemovalEffects(chain, 3);
    expect(effects.conversionProbability).toBeCloseTo(0.5, 15);
    expect(Array.from(effects.removalEffect)).toEqual([1, 0, 0]);
    const visits = createAbsorbingSolver(chain).visits(chain.start, null);
    expect(Array.from(visits).every(Number.isFinite)).toBe(true);
  });

  it(`a loop of more than ${DENSE_LIMIT} states is solved by Gauss–Seidel to the same numbers as the dense brute force`, () => {
    // A ring of 260 channels visited in order, each step converting or dropping out a little.
    const journeys: Journey[] = [];
    const ring = Array.from({ length: 260 }, (_, i) => `c${i}`);
    for (let i = 0; i < ring.length; i++) {
      const path = [ring[i], ring[(i + 1) % ring.length], ring[(i + 2) % ring.length]];
      journeys.push({ path, conversions: 1 + (i % 3), value: 5 + i, nulls: 2 + (i % 5) });
    }
    const ours = run(journeys, 1);
    expect(ours.result.markov!.states).toBe(260);
    expect(ours.result.markov!.solverSweeps).toBeGreaterThan(1);
    const checked = ["c0", "c97", "c259"];
    const brute = bruteForce(journeys, 1, checked);
    for (const c of checked) expect(Math.abs(ours.re[c] - brute.re[c])).toBeLessThan(1e-12);
  });
});
