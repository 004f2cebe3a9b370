/**
 * IMC.COHORTS on 1,000,000 order rows (about 200,000 customers over three years, monthly cohorts),
 * called as Excel calls it (2-D arrays of cells), and the engine alone on already-read orders.
 * Synthetic data from a seeded generator.
 */
import { cohortMatrix } from "../../src/engine/cohorts";
import { readTransactions } from "../../src/engine/data/transactions";
import { seededUniform } from "../../src/engine/math/random";
import { cohorts } from "../../src/functions/cohorts";
import { installCustomFunctionsStub } from "../../test/support/customFunctions";
import { benchWithCpu } from "../cpuTime";

installCustomFunctionsStub();

const ROWS = 1_000_000;
const FIRST_DAY = 45000;
const DAYS = 3 * 365;
const random = seededUniform(20261206);
const ids: unknown[][] = [];
const dates: unknown[][] = [];
const values: unknown[][] = [];
let customer = 0;
while (ids.length < ROWS) {
  const id = customer++;
  // Orders per customer: 1 + geometric (mean 5); first order anywhere in the three years.
  let orders = 1;
  while (random() < 0.8 && orders < 80) orders++;
  const start = FIRST_DAY + Math.floor(random() * DAYS);
  for (let o = 0; o < orders && ids.length < ROWS; o++) {
    ids.push([id]);
    dates.push([o === 0 ? start : start + Math.floor(random() * (FIRST_DAY + DAYS - start))]);
    values.push([Math.round(2000 + 8000 * random()) / 100]);
  }
}
const transactions = readTransactions(ids, dates, values);

benchWithCpu(
  { name: `IMC.COHORTS ${ROWS.toLocaleString("en")} orders (${customer.toLocaleString("en")} customers), monthly`, target: "≤ 1000 ms", maxMedianMs: 1000, maxPeakRssMb: 1500 },
  () => {
    const out = cohorts(ids, dates, values, null as never, null as never, [["revenue"]] as never);
    if (out.length < 30 || out[1][2] === "") throw new Error("wrong result");
    return out;
  },
);

benchWithCpu(
  { name: `cohortMatrix (engine) ${ROWS.toLocaleString("en")} orders, weekly`, target: "≤ 300 ms", maxMedianMs: 300, maxPeakRssMb: 1500 },
  () => {
    const m = cohortMatrix(transactions, { period: "week" });
    if (m.customerCount !== customer) throw new Error("wrong result");
    return m;
  },
);
