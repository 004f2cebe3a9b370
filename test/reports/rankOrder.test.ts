// descendingOrder gives the comparator sort's order (highest first, ties by index) however the values repeat.
import { describe, expect, it } from "vitest";
import { seededUniform } from "../../src/engine/math/random";
import { descendingOrder } from "../../src/reports/rankOrder";

const byComparator = (values: readonly number[]): number[] => Array.from({ length: values.length }, (_, i) => i).sort((i, j) => values[j] - values[i] || i - j);

describe("descendingOrder", () => {
  it("orders by value, highest first, equal values (0 and -0 too) by index", () => {
    expect(descendingOrder([3, 1, 3, -0, 0, -2, 1, 0])).toEqual([0, 2, 1, 6, 3, 4, 7, 5]);
    expect(descendingOrder([])).toEqual([]);
    expect(descendingOrder([Infinity, -Infinity, 5])).toEqual([0, 2, 1]);
  });

  it("matches the comparator sort on random values with many ties, and with a NaN among them", () => {
    const uniform = seededUniform(17);
    for (let trial = 0; trial < 20; trial++) {
      const values = Array.from({ length: 500 + trial * 50 }, () => (uniform() < 0.4 ? Math.round(uniform() * 10) * (uniform() < 0.5 ? -1 : 1) : uniform() * 1000 - 300));
      expect(descendingOrder(values)).toEqual(byComparator(values));
      expect(descendingOrder(Float64Array.from(values))).toEqual(byComparator(values));
    }
    const withNaN = [2, Number.NaN, 1, 2, 0];
    expect(descendingOrder(withNaN)).toEqual(byComparator(withNaN));
  });
});
