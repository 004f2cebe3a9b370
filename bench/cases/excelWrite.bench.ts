/**
 * The Office adapter writing every tab of the 20,000-customer sample business into the recording
 * fake Excel (test/support/fakeExcel.ts): time in the adapter and the fake, number of syncs, the
 * largest request and the total bytes sent, as the fake measures them (UTF-8 JSON of every action
 * and its arguments). The fake runs in this process, so the time is an upper bound of the adapter's
 * own work (the fake applies every cell too); Excel's own time is not in it.
 */
import { createOfficeWorkbook } from "../../src/excel/officeWorkbook";
import { EXCEL_PAYLOAD_LIMIT_BYTES } from "../../src/excel/payload";
import type { BenchFigure } from "../harness";
import { createFakeExcel } from "../../test/support/fakeExcel";
import { sampleSheets, sampleTabs } from "../../test/support/reportSheets";

const RUNS = 3;
const CUSTOMERS = 20_000;

async function main(): Promise<void> {
  const started = performance.now();
  const data = sampleSheets(CUSTOMERS);
  const tabs = sampleTabs(CUSTOMERS);
  console.log(`excel write: built ${tabs.length} tabs from the ${CUSTOMERS.toLocaleString("en-US")}-customer sample in ${((performance.now() - started) / 1000).toFixed(1)} s (not timed below)`);

  const times: number[] = [];
  let summary = "";
  for (let run = 0; run < RUNS; run++) {
    (globalThis as { gc?: () => void }).gc?.();
    const fake = createFakeExcel({ sheets: data, keepArgs: false });
    const port = createOfficeWorkbook(fake.Excel, { isSetSupported: fake.isSetSupported });
    const start = performance.now();
    const notes: string[] = [];
    for (const tab of tabs) notes.push(...(await port.writeReport(tab)).notes);
    times.push(performance.now() - start);
    // The data sheets were seeded, not written: every sync here is the tabs'.
    const requests = fake.syncs.map((sync) => sync.requestBytes);
    const largest = Math.max(...requests);
    const total = requests.reduce((a, b) => a + b, 0);
    const cells = tabs.reduce((sum, tab) => sum + Object.keys(fake.exportSheet(tab.name).cells).length, 0);
    summary =
      `excel write: all ${tabs.length} tabs (${cells.toLocaleString("en-US")} cells) in ${fake.syncs.length} syncs over ${fake.runs} Excel.run batches; ` +
      `largest request ${largest.toLocaleString("en-US")} bytes (${((100 * largest) / EXCEL_PAYLOAD_LIMIT_BYTES).toFixed(0)}% of the 5 MB cap); ` +
      `total ${total.toLocaleString("en-US")} bytes written; notes: ${notes.length === 0 ? "none" : notes.join(" | ")}`;
  }
  console.log(summary);
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)];
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const figure: BenchFigure = {
    name: "excel adapter: write all tabs of the 20,000-customer sample into the fake Excel",
    runs: RUNS,
    medianMs,
    minMs: times[0],
    peakRssMb,
    target: "≤ 5000 ms, ≤ 1500 MB",
    withinTarget: medianMs <= 5000 && peakRssMb <= 1500,
  };
  console.log(`BENCH ${JSON.stringify(figure)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
