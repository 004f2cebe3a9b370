import { describe, expect, it } from "vitest";
import { readTransactions } from "../../../src/engine/data/transactions";
import { seededUniform } from "../../../src/engine/math/random";
import {
  averageAtPeriod,
  COHORT_PERIODS,
  cohortMatrix,
  cohortPayback,
  cohortRow,
  cohortValue,
  type CohortPeriod,
  medianPayback,
} from "../../../src/engine/cohorts";
import { engineErrorOf } from "../../support/engine";

const col = (...values: unknown[]) => values.map((v) => [v]);
/** Excel serial of an ISO date (dates after 1900-03-01). */
const serial = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000 + 25_569;

// The brief's check: A 2024-01-05, 2024-02-10; B 2024-01-20; C 2024-02-03, 2024-03-01.
const CHECK = readTransactions(
  col("A", "A", "B", "C", "C"),
  col("2024-01-05", "2024-02-10", "2024-01-20", "2024-02-03", "2024-03-01"),
  col(10, 20, 30, 40, 50),
);

describe("cohortMatrix: the check value (three customers, Jan and Feb 2024 cohorts)", () => {
  it("Jan cohort (2): 100%, 50%, 0%; Feb cohort (1): 100%, 100%, then blank", () => {
    const m = cohortMatrix(CHECK);
    expect(m.asOf).toBe(serial("2024-03-01"));
    expect(m.cohortCount).toBe(2);
    expect(m.periodCount).toBe(3);
    expect(Array.from(m.cohortStarts)).toEqual([serial("2024-01-01"), serial("2024-02-01")]);
    expect(Array.from(m.cohortSizes)).toEqual([2, 1]);
    expect(cohortRow(m, "retention", 0)).toEqual([1, 0.5, 0]);
    expect(cohortRow(m, "retention", 1)).toEqual([1, 1, null]);
    expect(cohortValue(m, "retention", 1, 2)).toBeNull();
  });
  it("revenue is cumulative per cohort customer; customers and orders are counts in the period", () => {
    const m = cohortMatrix(CHECK);
    expect(cohortRow(m, "revenue", 0)).toEqual([20, 30, 30]); // (10+30)/2, +20/2, +0
    expect(cohortRow(m, "revenue", 1)).toEqual([40, 90, null]);
    expect(cohortRow(m, "customers", 0)).toEqual([2, 1, 0]);
    expect(cohortRow(m, "orders", 1)).toEqual([1, 1, null]);
    expect(cohortValue(m, "revenue", 0, 1)).toBe(30);
  });
  it("as_of cuts later orders and customers and counts them", () => {
    const m = cohortMatrix(CHECK, { asOf: serial("2024-02-05") + 0.75 });
    expect(m.asOf).toBe(serial("2024-02-05"));
    expect(m.ordersAfterAsOf).toBe(2);
    expect(m.customersAfterAsOf).toBe(0);
    expect(cohortRow(m, "retention", 0)).toEqual([1, 0]);
    const early = cohortMatrix(CHECK, { asOf: serial("2024-01-31") });
    expect(early.cohortCount).toBe(1);
    expect(early.customersAfterAsOf).toBe(1);
    expect(early.customerCount).toBe(2);
  });
  it("as_of before the first order is an error naming the argument", () => {
    const error = engineErrorOf(() => cohortMatrix(CHECK, { asOf: serial("2023-12-31"), asOfArgument: "as_of" }));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("as_of");
  });
  it("week, quarter and year cohorts start on a Monday, the 1st of a quarter, the 1st of January", () => {
    const w = cohortMatrix(CHECK, { period: "week" });
    expect(w.cohortStarts[0]).toBe(serial("2024-01-01")); // a Monday
    expect(w.cohortStarts[1]).toBe(serial("2024-01-15")); // B on Sat 20 Jan
    expect((w.cohortStarts[1] - 2) % 7).toBe(0); // Excel WEEKDAY 2 = Monday
    const q = cohortMatrix(CHECK, { period: "quarter" });
    expect(q.cohortCount).toBe(1);
    expect(cohortRow(q, "retention", 0)).toEqual([1]);
    expect(q.cohortStarts[0]).toBe(serial("2024-01-01"));
    const y = cohortMatrix(readTransactions(col("a", "a"), col("2023-06-01", "2024-02-01"), col(1, 2)), { period: "year" });
    expect(Array.from(y.cohortStarts)).toEqual([serial("2023-01-01")]);
    expect(cohortRow(y, "retention", 0)).toEqual([1, 1]);
  });
  it("refunds still make a customer active and reduce revenue", () => {
    const m = cohortMatrix(readTransactions(col("a", "a", "b"), col("2024-01-02", "2024-02-02", "2024-01-03"), col(100, -40, 50)));
    expect(cohortRow(m, "retention", 0)).toEqual([1, 0.5]);
    expect(cohortRow(m, "revenue", 0)).toEqual([75, 55]);
  });
});

/** A reference computed apart from the engine: JS Dates, Maps and Sets, no typed arrays. */
function reference(ids: string[], dates: number[], values: number[], period: CohortPeriod, asOf: number) {
  const key = (s: number): number => {
    const d = new Date((s - 25_569) * 86_400_000);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth();
    if (period === "month") return y * 12 + m;
    if (period === "quarter") return y * 4 + Math.floor(m / 3);
    if (period === "year") return y;
    const weekday = (d.getUTCDay() + 6) % 7; // Monday 0
    return (s - weekday - 2) / 7; // Monday serial ≡ 2 (mod 7)
  };
  const first = new Map<string, number>();
  ids.forEach((id, i) => {
    if (dates[i] <= asOf && (!first.has(id) || dates[i] < first.get(id)!)) first.set(id, dates[i]);
  });
  const cohorts = new Map<number, { size: number; active: Map<number, Set<string>>; revenue: Map<number, number> }>();
  for (const [, day] of first) {
    const k = key(day);
    if (!cohorts.has(k)) cohorts.set(k, { size: 0, active: new Map(), revenue: new Map() });
    cohorts.get(k)!.size++;
  }
  ids.forEach((id, i) => {
    if (dates[i] > asOf) return;
    const cohort = cohorts.get(key(first.get(id)!))!;
    const k = key(dates[i]) - key(first.get(id)!);
    if (!cohort.active.has(k)) cohort.active.set(k, new Set());
    cohort.active.get(k)!.add(id);
    cohort.revenue.set(k, (cohort.revenue.get(k) ?? 0) + values[i]);
  });
  return { keys: [...cohorts.keys()].sort((a, b) => a - b), cohorts, last: key(asOf) };
}

describe("cohortMatrix against a reference written apart (seeded random orders)", () => {
  const random = seededUniform(20261206);
  const ids: string[] = [];
  const dates: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < 3000; i++) {
    ids.push(`c${Math.floor(random() * 400)}`);
    dates.push(45000 + Math.floor(random() * 800));
    values.push(Math.round(random() * 10000) / 100 - 5);
  }
  const t = readTransactions(col(...ids), col(...dates), col(...values));
  for (const period of COHORT_PERIODS) {
    it(`${period}: sizes, retention and revenue per customer match`, () => {
      const asOf = 45650;
      const m = cohortMatrix(t, { period, asOf });
      const ref = reference(ids, dates, values, period, asOf);
      expect(m.cohortCount).toBe(ref.keys.length);
      let sizes = 0;
      ref.keys.forEach((k, c) => {
        const cohort = ref.cohorts.get(k)!;
        expect(m.cohortSizes[c]).toBe(cohort.size);
        sizes += cohort.size;
        expect(m.periodsReached[c]).toBe(ref.last - k + 1);
        const retention = cohortRow(m, "retention", c);
        const revenue = cohortRow(m, "revenue", c);
        let cumulative = 0;
        for (let j = 0; j < m.periodCount; j++) {
          if (j > ref.last - k) {
            expect(retention[j]).toBeNull();
            continue;
          }
          expect(retention[j]).toBeCloseTo((cohort.active.get(j)?.size ?? 0) / cohort.size, 12);
          cumulative += cohort.revenue.get(j) ?? 0;
          expect(revenue[j]).toBeCloseTo(cumulative / cohort.size, 9);
        }
        expect(retention[0]).toBe(1);
      });
      expect(sizes).toBe(m.customerCount);
      expect(m.customerCount + m.customersAfterAsOf).toBe(t.customerIds.length);
    });
  }
});

describe("cohortPayback and the averages", () => {
  const m = cohortMatrix(CHECK);
  it("payback is the first period where cumulative revenue per customer × margin ≥ CAC", () => {
    expect(Array.from(cohortPayback(m, 30))).toEqual([1, 0]); // Jan: 20 then 30; Feb: 40
    expect(Array.from(cohortPayback(m, 20))).toEqual([0, 0]);
    expect(Array.from(cohortPayback(m, 31))).toEqual([-1, 0]);
    expect(Array.from(cohortPayback(m, 30, 0.5))).toEqual([-1, 1]); // 90 × 0.5 = 45
    expect(Array.from(cohortPayback(m, [100, null]))).toEqual([-1, -2]);
  });
  it("median payback treats not-yet as later than any period", () => {
    expect(medianPayback(Int32Array.from([1, 3, -1]))).toBe(3);
    expect(medianPayback(Int32Array.from([1, -1, -1]))).toBe(-1);
    expect(medianPayback(Int32Array.from([2, 4]))).toBe(2);
    expect(medianPayback(Int32Array.from([-2]))).toBeNull();
  });
  it("a bad CAC or margin names the argument", () => {
    expect(engineErrorOf(() => cohortPayback(m, 0)).argument).toBe("cac");
    expect(engineErrorOf(() => cohortPayback(m, 10, 1.5)).argument).toBe("gross_margin");
  });
  it("averages are weighted by cohort size over the cohorts that reached the period", () => {
    expect(averageAtPeriod(m, "retention", 1)).toEqual({ value: (0.5 * 2 + 1 * 1) / 3, cohorts: 2, customers: 3 });
    expect(averageAtPeriod(m, "retention", 2)).toEqual({ value: 0, cohorts: 1, customers: 2 });
    expect(averageAtPeriod(m, "revenue", 5).value).toBeNull();
  });
});
