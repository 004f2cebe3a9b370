/**
 * Customers whose drop-out probability is nearly the same for everyone (BG/NBD with large a, b), the
 * data on which the BG/NBD, MBG/NBD and Pareto/NBD fits run to the edge of their parameter space: as
 * (x, t_x, T) triples, and as an order list for the runner and the custom functions.
 */
import { simulateBgNbd } from "../../../src/engine/clv/simulate";
import type { FitData } from "../../../src/engine/clv/fitData";
import { formatSerial } from "../../../src/engine/data/dates";
import { seededUniform } from "../../../src/engine/math/random";

/** The cases of the report: r 0.5, α 4, (a, b) = (50, 150) with 400 customers, or (1e9, 3e9) with 4000. */
export const COMMON_DROPOUT_CASES = [
  { a: 50, b: 150, customers: 400, seed: 2 },
  { a: 50, b: 150, customers: 400, seed: 3 },
  { a: 1e9, b: 3e9, customers: 4000, seed: 1 },
  { a: 1e9, b: 3e9, customers: 4000, seed: 2 },
] as const;

/** Simulated histories, T = 20 + (i mod 50) weeks, each customer with weight 1. */
export function commonDropoutData(a: number, b: number, customers: number, seed: number): FitData {
  const T = Float64Array.from({ length: customers }, (_, i) => 20 + (i % 50));
  const sim = simulateBgNbd({ r: 0.5, alpha: 4, a, b }, T, seededUniform(seed));
  return { x: sim.x, t_x: sim.t_x, T: sim.T, weight: new Float64Array(customers).fill(1) };
}

/** 2024-06-30, the as-of date of {@link commonDropoutOrders}. */
export const AS_OF_SERIAL = 45473;

/**
 * The same customers as orders (customer_id, ISO order_date, order_value): the first order T weeks
 * before the as-of date, the last repeat order t_x weeks after it and the others uniform in between
 * (the purchase times of a Poisson process given their number and the last one). Orders that fall on
 * one day merge into one purchase, so the summary's x can be a little lower than the simulation's.
 */
export function commonDropoutOrders(a: number, b: number, customers: number, seed: number): (string | number)[][] {
  const data = commonDropoutData(a, b, customers, seed);
  const uniform = seededUniform(seed + 1000);
  const rows: (string | number)[][] = [];
  for (let i = 0; i < customers; i++) {
    const first = AS_OF_SERIAL - Math.round(data.T[i] * 7);
    const id = `C${i + 1}`;
    const value = (k: number) => 20 + ((i * 37 + k * 11) % 60);
    rows.push([id, formatSerial(first).slice(0, 10), value(0)]);
    for (let k = 1; k <= data.x[i]; k++) {
      const t = k === data.x[i] ? data.t_x[i] : uniform() * data.t_x[i];
      rows.push([id, formatSerial(first + Math.round(t * 7)).slice(0, 10), value(k)]);
    }
  }
  return rows;
}
