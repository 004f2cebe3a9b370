/**
 * Pareto/NBD fit on 1,000,000 simulated customers (issue 3 target: ≤ 3 s from their summary, ≤ 400 MB;
 * reference libraries take about 235 s).
 *
 * Customers are simulated from the Pareto/NBD process itself with a fixed seed (Poisson purchases
 * with gamma(r, alpha) rates, exponential lifetimes with gamma(s, beta) rates), acquired on one of 84
 * days (12 weeks) and observed until day 273 (39 weeks), like the CDNOW cohort; recency is rounded to
 * whole days (weeks = days / 7), as a daily summary would give. The case also prints how close the
 * fit comes to the true parameters, in standard errors.
 */
import { compressTriples } from "../../src/engine/clv/fitData";
import { fitParetoNbd, simulateParetoNbd, type ParetoNbdFit, type ParetoNbdParams } from "../../src/engine/clv/paretoNbd";
import { seededUniform } from "../../src/engine/math/random";
import { bench } from "../harness";

const CUSTOMERS = 1_000_000;
const truth: ParetoNbdParams = { r: 0.55, alpha: 10.5, s: 0.6, beta: 11.7 };

const random = seededUniform(20240601);
const T = Float64Array.from({ length: CUSTOMERS }, () => (273 - Math.floor(random() * 84)) / 7);
const sample = simulateParetoNbd(truth, T, random);
const x = sample.x;
const t_x = Float64Array.from(sample.t_x, (t, i) => Math.min(Math.round(t * 7) / 7, T[i]));

let last: ParetoNbdFit | undefined;
bench(
  { name: "Pareto/NBD fit, 1M customers from their summary (triples + fit + SEs)", runs: 3, target: "≤ 3000 ms, ≤ 400 MB", maxMedianMs: 3000, maxPeakRssMb: 400 },
  () => {
    const { data } = compressTriples(x, t_x, T);
    last = fitParetoNbd(data);
    if (!last.converged) throw new Error("Pareto/NBD fit did not converge");
    return last;
  },
);

const { data } = compressTriples(x, t_x, T);
bench({ name: "Pareto/NBD fit on the distinct triples only", runs: 3, target: "≤ 3000 ms, ≤ 400 MB", maxMedianMs: 3000, maxPeakRssMb: 400 }, () => fitParetoNbd(data));

if (last) {
  const se = last.standardErrors;
  const parts = (["r", "alpha", "s", "beta"] as const).map((k) => {
    const deviation = se ? ` (${((last as ParetoNbdFit).params[k] - truth[k]) / se[k] >= 0 ? "+" : ""}${(((last as ParetoNbdFit).params[k] - truth[k]) / se[k]).toFixed(2)} SE)` : "";
    return `${k} ${(last as ParetoNbdFit).params[k].toFixed(4)} vs ${truth[k]}${deviation}`;
  });
  console.log(`Pareto/NBD recovery on ${CUSTOMERS} customers, ${data.x.length} distinct triples, ${last.iterations} BFGS iterations: ${parts.join(", ")}`);
}
