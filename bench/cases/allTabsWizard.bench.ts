/**
 * The All tabs wizard on the 20,000-customer sample business, in the recording fake Excel
 * (test/support/fakeExcel.ts), step by step as the task pane runs it: the data step reads every
 * sheet through the Office adapter; the engine worker's build (src/taskpane/worker/pipeline.ts,
 * the very function engine.worker.ts runs) with the wizard's default options; then every tab is
 * written through the adapter. Prints the compute time in the worker, the number of syncs, the
 * largest request in bytes and the total bytes written, as the fake measures requests (UTF-8 JSON
 * of every action with its arguments). The worker's time is measured here in Node, not in a Web
 * Worker: same code, same V8 family; the browser test (test/browser/wizards.test.ts) runs it for real.
 */
import { createOfficeWorkbook } from "../../src/excel/officeWorkbook";
import { EXCEL_PAYLOAD_LIMIT_BYTES } from "../../src/excel/payload";
import type { SheetCells } from "../../src/reports/detect";
import { wizardById } from "../../src/taskpane/wizards/definitions";
import { DEFAULT_OPTIONS_TEXT, readOptions } from "../../src/taskpane/wizards/optionsForm";
import { build } from "../../src/taskpane/worker/pipeline";
import type { BenchFigure } from "../harness";
import { createFakeExcel } from "../../test/support/fakeExcel";
import { sampleSheets } from "../../test/support/reportSheets";

const RUNS = 3;
const CUSTOMERS = 20_000;
const GENERATED_AT = "2026-12-06T04:00:00.000Z";

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(2)} MB`;

async function main(): Promise<void> {
  const data = sampleSheets(CUSTOMERS);
  const wizard = wizardById("all");
  const { options, errors } = readOptions(DEFAULT_OPTIONS_TEXT, wizard.options);
  if (Object.keys(errors).length > 0) throw new Error(`default options refused: ${JSON.stringify(errors)}`);

  const computeTimes: number[] = [];
  const totalTimes: number[] = [];
  let summary = "";
  for (let run = 0; run < RUNS; run++) {
    (globalThis as { gc?: () => void }).gc?.();
    const fake = createFakeExcel({ sheets: data, keepArgs: false });
    const port = createOfficeWorkbook(fake.Excel, { isSetSupported: fake.isSetSupported });
    const start = performance.now();

    // Data step: every sheet read as the wizard reads it.
    const sources = (await port.listSources()).filter((source) => source.ref.kind === "sheet");
    const sheets: SheetCells[] = [];
    for (const source of sources) sheets.push(await port.readSource(source.ref));
    const readSyncs = fake.syncs.length;
    const readBytes = fake.syncs.reduce((sum, sync) => sum + sync.responseBytes, 0);

    // Generate: the worker's build, then the tabs written one after another.
    const computeStart = performance.now();
    const result = build({ sheets, overrides: {}, reading: {}, options, generatedAt: GENERATED_AT, tabs: wizard.tabs });
    const computeMs = performance.now() - computeStart;
    for (const tab of result.tabs) await port.writeReport(tab, { activate: false });
    await port.activateSheet(result.tabs[0].name);
    totalTimes.push(performance.now() - start);
    computeTimes.push(computeMs);

    const writes = fake.syncs.slice(readSyncs);
    const largest = Math.max(...writes.map((sync) => sync.requestBytes));
    const total = writes.reduce((sum, sync) => sum + sync.requestBytes, 0);
    summary =
      `all tabs wizard, ${CUSTOMERS.toLocaleString("en-US")} customers: compute in the worker ${(computeMs / 1000).toFixed(2)} s; ` +
      `read ${sources.length} sheets in ${readSyncs} syncs (${mb(readBytes)} of responses); ` +
      `wrote ${result.tabs.map((tab) => tab.name).join(", ")} in ${writes.length} syncs; ` +
      `largest request ${largest.toLocaleString("en-US")} bytes (${((100 * largest) / EXCEL_PAYLOAD_LIMIT_BYTES).toFixed(0)}% of the 5 MB cap); ` +
      `total written ${total.toLocaleString("en-US")} bytes (${mb(total)}); skipped: ${result.skipped.length === 0 ? "none" : result.skipped.map((s) => s.title).join(", ")}`;
    console.log(summary);
  }
  computeTimes.sort((a, b) => a - b);
  totalTimes.sort((a, b) => a - b);
  const medianMs = totalTimes[Math.floor(RUNS / 2)];
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`all tabs wizard: compute in the worker, median ${(computeTimes[Math.floor(RUNS / 2)] / 1000).toFixed(2)} s of ${(medianMs / 1000).toFixed(2)} s in all (reads and writes into the fake included)`);
  const figure: BenchFigure = {
    name: "all tabs wizard: read, build (worker pipeline) and write every tab of the 20,000-customer sample, fake Excel",
    runs: RUNS,
    medianMs,
    minMs: totalTimes[0],
    peakRssMb,
    target: "≤ 15000 ms, ≤ 1500 MB",
    withinTarget: medianMs <= 15_000 && peakRssMb <= 1500,
  };
  console.log(`BENCH ${JSON.stringify(figure)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
