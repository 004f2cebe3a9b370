/**
 * The engine client's worker path, with a stand-in Worker that runs the real pipeline and answers
 * by messages (happy-dom has no Worker): progress, result, located errors, cancel by terminating.
 */
import { describe, expect, it, vi } from "vitest";
import { WriteCancelled } from "../../src/excel/workbook";
import { TABLE_KINDS } from "../../src/reports/detect";
import { createEngine, EngineRunError, runInWorker, SLICE_CELLS } from "../../src/taskpane/worker/client";
import { createHandler } from "../../src/taskpane/worker/handler";
import { RESULT_SLICE_CELLS, type EngineRequest, type EngineResponse } from "../../src/taskpane/worker/protocol";
import { sampleSheets } from "./fakeWorkbook";

vi.setConfig({ testTimeout: 60_000 });

const SHEETS = sampleSheets(80);

/**
 * A Worker running the worker's own handler, answering after a macrotask (messages are cloned, as
 * postMessage does); `hold` keeps build requests unanswered.
 */
class StandInWorker {
  onmessage: ((event: MessageEvent<EngineResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  readonly received: EngineRequest[] = [];
  /** Every message the handler posted. */
  readonly sent: EngineResponse[] = [];
  private readonly handle = createHandler((message) => {
    this.sent.push(message);
    if (!this.terminated) this.onmessage?.({ data: structuredClone(message) } as MessageEvent<EngineResponse>);
  });
  constructor(private readonly hold = false) {}
  postMessage(request: EngineRequest): void {
    this.received.push(request);
    if (this.hold && request.type === "build") return;
    const copy = structuredClone(request);
    setTimeout(() => {
      if (!this.terminated) this.handle(copy);
    }, 0);
  }
  terminate(): void {
    this.terminated = true;
  }
}

const REQUEST = { sheets: SHEETS, overrides: {}, reading: {}, options: {}, generatedAt: "2026-12-06T04:00:00.000Z", tabs: ["campaign-kpis" as const] };

describe("engine client (worker)", () => {
  it("receives each tab in its own message and a big table's rows in slices, and puts them back together", async () => {
    const sheets = sampleSheets(5000);
    const request = { ...REQUEST, sheets, tabs: ["segmentation" as const] };
    const workers: StandInWorker[] = [];
    const result = await runInWorker(request, {}, {
      createWorker: () => {
        const worker = new StandInWorker();
        workers.push(worker);
        return worker as unknown as Worker;
      },
    });
    const messages = workers[0].sent;
    const { build } = await import("../../src/taskpane/worker/pipeline");
    const direct = build(request);
    // The same tab as built in one piece.
    expect(result.tabs).toEqual(direct.tabs);
    const biggest = Math.max(...direct.tabs[0].blocks.map((block) => (block.kind === "table" ? block.rows.length * block.headers.length : 0)));
    expect(biggest).toBeGreaterThan(RESULT_SLICE_CELLS);
    const rows = messages.filter((message) => message.type === "rows");
    expect(rows.length).toBeGreaterThan(0);
    for (const message of rows) {
      if (message.type !== "rows") continue;
      const block = direct.tabs[0].blocks[message.block];
      expect(block.kind === "table" && message.rows.length * block.headers.length).toBeLessThanOrEqual(RESULT_SLICE_CELLS);
    }
    expect(messages.filter((message) => message.type === "tab")).toHaveLength(1);
    expect(messages.at(-1)).toMatchObject({ type: "result", tabCount: 1 });
  });


  it("loads the worker from engine-worker.js, reports progress and returns the tabs", async () => {
    const workers: StandInWorker[] = [];
    const urls: string[] = [];
    const progress: number[] = [];
    const result = await runInWorker(REQUEST, { onProgress: (done) => progress.push(done) }, {
      createWorker: (url) => {
        urls.push(url);
        const worker = new StandInWorker();
        workers.push(worker);
        return worker as unknown as Worker;
      },
    });
    expect(urls).toEqual(["engine-worker.js"]);
    expect(result.tabs.map((tab) => tab.name)).toEqual(["Campaign KPIs"]);
    expect(result.headlines[0].headlines.length).toBeGreaterThan(0);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    // runInWorker ends its worker.
    expect(workers[0].terminated).toBe(true);
  });

  it("turns a bad cell into a message naming sheet, row and column", async () => {
    const sheets = SHEETS.map((sheet) => (sheet.name !== "Orders" ? sheet : { ...sheet, rows: sheet.rows.map((row, i) => (i === 0 ? row : [row[0], row[1], i === 3 ? "later" : row[2], row[3]])) }));
    const engine = createEngine({ createWorker: () => new StandInWorker() as unknown as Worker });
    const failure = await engine.build({ ...REQUEST, sheets, tabs: ["customer-value"] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EngineRunError);
    expect((failure as EngineRunError).failure).toMatchObject({ sheet: "Orders", row: 4, column: "order_date (C)", argument: "order_dates" });
    expect((failure as EngineRunError).message).toMatch(/^Sheet "Orders", row 4, column order_date \(C\): "later" is not a date/);
    engine.dispose();
  });

  it("names the option at fault", async () => {
    const engine = createEngine({ createWorker: () => new StandInWorker() as unknown as Worker });
    const failure = await engine.build({ ...REQUEST, options: { horizonPeriods: -3 }, tabs: ["customer-value"] }).catch((error: unknown) => error);
    expect((failure as EngineRunError).message).toMatch(/^Horizon: /);
    engine.dispose();
  });

  it("cancel ends the worker, rejects with WriteCancelled, and the next request starts a new worker", async () => {
    const workers: StandInWorker[] = [];
    const engine = createEngine({
      createWorker: () => {
        const worker = new StandInWorker(workers.length === 0);
        workers.push(worker);
        return worker as unknown as Worker;
      },
    });
    const controller = new AbortController();
    const pending = engine.build(REQUEST, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(WriteCancelled);
    expect(workers[0].terminated).toBe(true);

    const found = await engine.inspect({ sheets: SHEETS, overrides: {}, reading: {} });
    expect(workers).toHaveLength(2);
    // The sample business has a table of every kind (issue 15 added leads, lead events, a survey, referrals, an experiment and stages).
    expect(found.tables.map((table) => table.kind)).toEqual([...TABLE_KINDS]);
    engine.dispose();
  });

  it("says so when the worker script fails", async () => {
    const worker = new StandInWorker(true);
    const engine = createEngine({ createWorker: () => worker as unknown as Worker });
    const pending = engine.build(REQUEST);
    worker.onerror?.({ message: "404", preventDefault() {} } as unknown as ErrorEvent);
    await expect(pending).rejects.toThrow(/analysis engine stopped: 404/);
  });
});

describe("engine client: sheets sent in slices", () => {
  it("sends each sheet once per worker, in slices of at most SLICE_CELLS cells, and builds from them", async () => {
    const big = sampleSheets(1500);
    const worker = new StandInWorker();
    const engine = createEngine({ createWorker: () => worker as unknown as Worker });
    await engine.inspect({ sheets: big, overrides: {}, reading: {} });
    const result = await engine.build({ ...REQUEST, sheets: big });
    expect(result.tabs.map((tab) => tab.name)).toEqual(["Campaign KPIs"]);
    const loads = worker.received.filter((request) => request.type === "load");
    for (const load of loads) expect(load.rows.length * Math.max(...load.rows.slice(0, 10).map((row) => row.length))).toBeLessThanOrEqual(SLICE_CELLS);
    // Every row of every sheet, once.
    expect(loads.reduce((sum, load) => sum + load.rows.length, 0)).toBe(big.reduce((sum, sheet) => sum + sheet.rows.length, 0));
    const touchpoints = loads.filter((load) => load.sheet.name === "Touchpoints");
    expect(touchpoints.length).toBeGreaterThan(1);
    expect(touchpoints.map((load) => load.offset)[0]).toBe(0);
    const requests = worker.received.filter((request) => request.type !== "load");
    expect(requests.map((request) => request.type)).toEqual(["inspect", "build"]);
    expect(requests.every((request) => request.sheets === undefined)).toBe(true);
    engine.dispose();
  });
});

describe("engine client (no Worker: in-process)", () => {
  it("runs the same pipeline and honours cancel", async () => {
    const engine = createEngine({ createWorker: null });
    const result = await engine.build(REQUEST);
    expect(result.tabs.map((tab) => tab.name)).toEqual(["Campaign KPIs"]);
    const controller = new AbortController();
    controller.abort();
    await expect(engine.build(REQUEST, { signal: controller.signal })).rejects.toBeInstanceOf(WriteCancelled);
  });
});
