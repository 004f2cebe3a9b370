/**
 * Customer summary from 3.7M order rows (1.5M simulated customers): reading the orders of a large
 * export into frequency, recency, T and average value per customer.
 *
 * Reference (Python lifetimes): summary from 3M transactions 3.2 s / 712 MB. Peak RSS here includes
 * the order rows themselves (typed arrays, about 90 MB) and Node.
 */
import { summarizeCustomers } from "../../src/engine/clv/summary";
import { LAST_DAY, START_SERIAL, simulateOrders } from "../data/clvSimulation";
import { bench } from "../harness";

const orders = simulateOrders(1_500_000, 20241122);
console.log(`simulated ${orders.rowCount} order rows of 1,500,000 customers`);

bench(
  { name: `CLV summary from ${(orders.rowCount / 1e6).toFixed(1)}M transactions`, target: "≤ 1500 ms, ≤ 400 MB", maxMedianMs: 1500, maxPeakRssMb: 400, runs: 3 },
  () => summarizeCustomers(orders, { periodUnit: "week", asOf: START_SERIAL + LAST_DAY }),
);
