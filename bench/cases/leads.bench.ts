/**
 * IMC.ENGAGEMENT on 1,000,000 events over 50,000 leads: through the engine (cells already in
 * columns) and through the function adapter (2-D arrays of cells as Excel sends them). Synthetic
 * data from a seeded generator: ids as text, dates as serials over a year, points 1–30, the log
 * shuffled (not grouped by lead, the slow case for the id lookup).
 */
import { seededUniform } from "../../src/engine/math/random";
import { engagementScores } from "../../src/engine/leads";
import { engagement } from "../../src/functions/leads";
import { installCustomFunctionsStub } from "../../test/support/customFunctions";
import { benchWithCpu } from "../cpuTime";

installCustomFunctionsStub();

const LEADS = 50_000;
const EVENTS = 1_000_000;
const POINTS = [1, 2, 5, 10, 15, 30];
const random = seededUniform(20261206);
const leadIds = Array.from({ length: LEADS }, (_, i) => `L${String(i + 1).padStart(6, "0")}`);
const eventLeadIds = new Array<unknown>(EVENTS);
const eventDates = new Array<unknown>(EVENTS);
const eventPoints = new Array<unknown>(EVENTS);
for (let e = 0; e < EVENTS; e++) {
  eventLeadIds[e] = leadIds[Math.floor(random() * LEADS)];
  eventDates[e] = 45292 + Math.floor(random() * 366);
  eventPoints[e] = POINTS[Math.floor(random() * POINTS.length)];
}
const leadRange = leadIds.map((id) => [id]);
const idRange = eventLeadIds.map((id) => [id]);
const dateRange = eventDates.map((date) => [date]);
const pointRange = eventPoints.map((points) => [points]);

benchWithCpu(
  { name: `engine engagementScores, ${EVENTS.toLocaleString("en")} events over ${LEADS.toLocaleString("en")} leads`, target: "≤ 500 ms", maxMedianMs: 500, maxPeakRssMb: 1000 },
  () => {
    const result = engagementScores({ leadIds, eventLeadIds, eventDates, eventPoints }, { halfLifeDays: 30 });
    if (result.eventsCounted !== EVENTS || result.scores.length !== LEADS) throw new Error("wrong result");
    return result;
  },
);

benchWithCpu(
  { name: `IMC.ENGAGEMENT, ${EVENTS.toLocaleString("en")} events over ${LEADS.toLocaleString("en")} leads (Excel's 2-D arrays)`, target: "≤ 500 ms", maxMedianMs: 500, maxPeakRssMb: 1000 },
  () => {
    const out = engagement(leadRange, idRange, dateRange, pointRange);
    if (out.length !== LEADS || typeof out[0][0] !== "number") throw new Error("wrong result");
    return out;
  },
);
