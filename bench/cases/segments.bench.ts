/**
 * IMC.RFM on 100,000 customers (about 400,000 order rows) and IMC.CLUSTER on 100,000 customers × 3
 * features (their recency days, orders and total value), called as Excel calls them (2-D arrays of
 * cells). Synthetic data from a seeded generator.
 */
import { readTransactions } from "../../src/engine/data/transactions";
import { seededUniform } from "../../src/engine/math/random";
import { rfmScores } from "../../src/engine/segmentation/rfm";
import { cluster, lifecycle, rfm } from "../../src/functions/segments";
import { installCustomFunctionsStub } from "../../test/support/customFunctions";
import { bench } from "../harness";

installCustomFunctionsStub();

const CUSTOMERS = 100_000;
const random = seededUniform(20261122);
const ids: unknown[][] = [];
const dates: unknown[][] = [];
const values: unknown[][] = [];
for (let c = 0; c < CUSTOMERS; c++) {
  const id = `C${String(c + 1).padStart(6, "0")}`;
  // Orders per customer: 1 + geometric (mean ≈ 4); activity window and spend level per customer.
  let orders = 1;
  while (random() < 0.75 && orders < 60) orders++;
  const start = 45000 + Math.floor(random() * 700);
  const level = 20 + 200 * random() * random();
  for (let o = 0; o < orders; o++) {
    ids.push([id]);
    dates.push([start + Math.floor(random() * (45730 - start))]);
    values.push([Math.round(level * (0.5 + random()) * 100) / 100]);
  }
}
const rows = ids.length;

const summary = rfmScores(readTransactions(ids, dates, values), { asOf: null, monetary: "sum" });
const features = Array.from({ length: summary.customerIds.length }, (_, c) => [
  summary.recencyDays[c],
  summary.frequency[c],
  summary.monetary[c],
]);

bench(
  { name: `IMC.RFM ${CUSTOMERS.toLocaleString("en")} customers (${rows.toLocaleString("en")} orders)`, target: "≤ 300 ms", maxMedianMs: 300, maxPeakRssMb: 1000 },
  () => {
    const out = rfm(ids, dates, values);
    if (out.length !== CUSTOMERS + 1 || typeof out[1][8] !== "string") throw new Error("wrong result");
    return out;
  },
);

bench(
  { name: `IMC.LIFECYCLE ${CUSTOMERS.toLocaleString("en")} customers (${rows.toLocaleString("en")} orders)`, target: "≤ 300 ms", maxMedianMs: 300, maxPeakRssMb: 1000 },
  () => {
    const out = lifecycle(ids, dates);
    if (out.length !== CUSTOMERS + 1) throw new Error("wrong result");
    return out;
  },
);

bench(
  { name: `IMC.CLUSTER ${CUSTOMERS.toLocaleString("en")} × 3 features, 4 clusters`, target: "≤ 1000 ms", maxMedianMs: 1000, maxPeakRssMb: 1000, runs: 3 },
  () => {
    const out = cluster(features, [[4]]);
    if (out.length !== CUSTOMERS) throw new Error("wrong result");
    return out;
  },
);

bench(
  { name: `IMC.CLUSTER ${CUSTOMERS.toLocaleString("en")} × 3 features, clusters chosen (3..8)`, target: "≤ 1000 ms", maxMedianMs: 1000, maxPeakRssMb: 1000, runs: 3 },
  () => {
    const out = cluster(features);
    if (out.length !== CUSTOMERS) throw new Error("wrong result");
    return out;
  },
);
