import { describe, expect, it } from "vitest";
import { toFitData } from "../../../src/engine/clv/fitData";
import { engineErrorOf } from "../../support/engine";

describe("toFitData", () => {
  it("groups customers into distinct (x, t_x, T) triples with counts, in order of first appearance", () => {
    const data = toFitData([2, 0, 2, 1, 0, 2], [5, 0, 5, 3, 0, 5.5], [10, 8, 10, 10, 8, 10], "fit");
    expect([...data.x]).toEqual([2, 0, 1, 2]);
    expect([...data.t_x]).toEqual([5, 0, 3, 5.5]);
    expect([...data.T]).toEqual([10, 8, 10, 10]);
    expect([...data.weight]).toEqual([2, 2, 1, 1]);
  });

  it("keeps the total weight equal to the number of customers on many distinct triples", () => {
    const n = 50_000;
    const x = new Float64Array(n);
    const t = new Float64Array(n);
    const T = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      T[i] = 1 + (i % 97) / 7;
      x[i] = i % 5;
      t[i] = x[i] === 0 ? 0 : ((i * 31) % 97) / 7 / 97 * T[i];
    }
    const data = toFitData(x, t, T, "fit");
    expect(data.weight.reduce((a, b) => a + b, 0)).toBe(n);
    const keys = new Set(Array.from({ length: n }, (_, i) => `${x[i]}|${t[i]}|${T[i]}`));
    expect(data.x.length).toBe(keys.size);
  });

  it("names the customer row of an impossible triple", () => {
    expect(engineErrorOf(() => toFitData([1, 2.5], [1, 1], [2, 2], "fitBgNbd")).message).toBe(
      "fitBgNbd requires a whole number x >= 0 (customer row 2: 2.5)",
    );
    expect(engineErrorOf(() => toFitData([1], [3], [2], "fitBgNbd")).message).toMatch(/0 <= t_x <= T.*customer row 1/);
    expect(engineErrorOf(() => toFitData([0], [0], [0], "fitBgNbd")).message).toMatch(/T > 0 \(customer row 1/);
  });
});
