/**
 * IMC.CLV over a 1,000,000-cell range, called as Excel calls it (2-D arrays of cells), and the
 * engine formula alone for comparison.
 */
import { retentionClv } from "../../src/engine/clv/retentionClv";
import { clv } from "../../src/functions/clv";
import { installCustomFunctionsStub } from "../../test/support/customFunctions";
import { bench } from "../harness";

// The function modules read CustomFunctions only when called, so installing it here is in time.
installCustomFunctionsStub();

const CELLS = 1_000_000;
// Deterministic inputs (no Math.random): margins 50..149.99, retention 0.50..0.94.
const margins = Array.from({ length: CELLS }, (_, i) => [50 + ((i * 7919) % 10000) / 100]);
const retention = Array.from({ length: CELLS }, (_, i) => [0.5 + ((i * 104729) % 45) / 100]);

const target = "≤ 1000 ms, ≤ 600 MB peak RSS";

bench({ name: "IMC.CLV 1M margins × scalar rates", target, maxMedianMs: 1000, maxPeakRssMb: 600 }, () => {
  const out = clv(margins, [[0.8]], [[0.1]]);
  if (out.length !== CELLS || typeof out[CELLS - 1][0] !== "number") throw new Error("wrong result");
  return out;
});

// The column fast path (src/functions/elementwise.ts) brings the two-range case within 0.5 s.
bench({ name: "IMC.CLV 1M margins × 1M retention rates, 5 periods", target: "≤ 500 ms, ≤ 600 MB peak RSS", maxMedianMs: 500, maxPeakRssMb: 600 }, () => {
  const out = clv(margins, retention, [[0.1]], [[5]], [[true]]);
  if (out.length !== CELLS || typeof out[0][0] !== "number") throw new Error("wrong result");
  return out;
});

bench({ name: "engine retentionClv × 1M (no Excel coercion)", target: "≤ 200 ms", maxMedianMs: 200, maxPeakRssMb: 600 }, () => {
  const out = new Float64Array(CELLS);
  for (let i = 0; i < CELLS; i++) {
    out[i] = retentionClv({ margin: margins[i][0], retentionRate: 0.8, discountRate: 0.1, horizonPeriods: null, marginNow: false });
  }
  return out;
});
