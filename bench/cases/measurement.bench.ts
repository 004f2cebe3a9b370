/**
 * Measurement functions at scale, called as Excel calls them (2-D arrays of cells): IMC.ROCI over a
 * million rows, IMC.ROCI.GROUPS over a million rows, IMC.CAMPAIGNKPIS over 10,000 campaigns,
 * IMC.MASK hashing 100,000 emails, and the normal CDF/quantile alone.
 */
import { normalCdf, normalQuantile } from "../../src/engine/math/normal";
import { campaignKpis } from "../../src/functions/campaigns";
import { mask } from "../../src/functions/privacy";
import { roci, rociGroups } from "../../src/functions/roci";
import { installCustomFunctionsStub } from "../../test/support/customFunctions";
import { bench } from "../harness";

installCustomFunctionsStub();

const ROWS = 1_000_000;
const SEGMENTS = ["Champions", "Loyal", "Potential Loyalist", "New Customers", "At Risk", "Hibernating", "Lost", "Promising"];

// The million-row inputs live only inside this function, so the smaller cases after it do not run
// with them still on the heap.
function rociCases(): void {
  // Deterministic inputs (no Math.random).
  const contribution = Array.from({ length: ROWS }, (_, i) => [50 + ((i * 7919) % 10000) / 100]);
  const baseline = Array.from({ length: ROWS }, (_, i) => [40 + ((i * 104729) % 2000) / 100]);
  const investment = Array.from({ length: ROWS }, (_, i) => [1 + (i % 7)]);
  const groups = Array.from({ length: ROWS }, (_, i) => [SEGMENTS[(i * 31) % SEGMENTS.length]]);

  bench({ name: "IMC.ROCI 1M contributions × 1M investments × 1M baselines", target: "≤ 1000 ms, ≤ 800 MB peak RSS", maxMedianMs: 1000, maxPeakRssMb: 800 }, () => {
    const out = roci(contribution, investment, baseline);
    if (out.length !== ROWS || typeof out[ROWS - 1][0] !== "number") throw new Error("wrong result");
    return out;
  });

  bench({ name: "IMC.ROCI.GROUPS 1M rows, 8 groups, with baseline", target: "≤ 1000 ms, ≤ 800 MB peak RSS", maxMedianMs: 1000, maxPeakRssMb: 800 }, () => {
    const out = rociGroups(groups, contribution, investment, baseline);
    if (out.length !== SEGMENTS.length + 2) throw new Error("wrong result");
    return out;
  });
}

rociCases();

const CAMPAIGNS = 10_000;
const campaignTable: unknown[][] = [["Campaign", "Sent", "Hard bounces", "Soft bounces", "Unique opens", "Unique clicks", "Unsubscribes", "Spend", "Leads", "Revenue"]];
for (let i = 0; i < CAMPAIGNS; i++) {
  const sent = 1000 + ((i * 37) % 5000);
  campaignTable.push([`Campaign ${i + 1}`, sent, i % 13, i % 29, Math.floor(sent * 0.3), Math.floor(sent * 0.05), i % 7, 100 + (i % 900), i % 50, 1000 + (i % 9000)]);
}

bench({ name: "IMC.CAMPAIGNKPIS 10,000 campaigns × 10 columns", target: "≤ 200 ms", maxMedianMs: 200, maxPeakRssMb: 800 }, () => {
  const out = campaignKpis(campaignTable as any[][]);
  if (out.length !== CAMPAIGNS + 1) throw new Error("wrong result");
  return out;
});

const EMAILS = 100_000;
const emails = Array.from({ length: EMAILS }, (_, i) => [`customer.${i}@example${i % 97}.com`]);

bench({ name: "IMC.MASK hash (salted HMAC-SHA-256) of 100,000 emails", target: "≤ 1000 ms", maxMedianMs: 1000, maxPeakRssMb: 800 }, () => {
  const out = mask(emails, [["hash"]], [["workbook secret"]]);
  if (out.length !== EMAILS || typeof out[0][0] !== "string") throw new Error("wrong result");
  return out;
});

bench({ name: "engine normalQuantile + normalCdf × 1M", target: "≤ 100 ms", maxMedianMs: 100, maxPeakRssMb: 800 }, () => {
  const out = new Float64Array(ROWS);
  for (let i = 0; i < ROWS; i++) out[i] = normalCdf(normalQuantile((i + 0.5) / ROWS));
  return out;
});
