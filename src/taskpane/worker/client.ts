/**
 * The task pane's side of the analysis engine: posts requests to the engine's Web Worker and turns
 * its answers into promises, with progress and cancel. Where there is no Worker (happy-dom in the
 * tests, a very old webview) the same pipeline runs in-process, loaded on demand.
 */
import { WriteCancelled } from "../../excel/workbook";
import type { SheetCells } from "../../reports/detect";
import type { Cell, ReportSheet } from "../../reports/sheet";
import type { BuildRequest, BuildResult, EngineFailure, EngineRequest, EngineResponse, InspectRequest, Inspection } from "./protocol";

/** Progress and cancel of one request. */
export interface EngineCall {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, message: string) => void;
}

/** A failed analysis, with where in the user's terms. */
export class EngineRunError extends Error {
  constructor(readonly failure: EngineFailure) {
    super(failure.message);
    this.name = "EngineRunError";
  }
}

export interface Engine {
  /** The tables found in the sheets and how they read (the wizards' data step). */
  inspect(request: Omit<InspectRequest, "type" | "id">, call?: EngineCall): Promise<Inspection>;
  /** Builds the tabs; rejects with {@link EngineRunError}, or {@link WriteCancelled} when cancelled. */
  build(request: Omit<BuildRequest, "type" | "id">, call?: EngineCall): Promise<BuildResult>;
  /** Ends the worker (a wizard closing). */
  dispose(): void;
}

/** The worker bundle, next to taskpane.html (webpack entry `engine-worker`). */
export const ENGINE_WORKER_URL = "engine-worker.js";

export interface EngineSettings {
  /** Where the worker bundle is. */
  readonly workerUrl?: string;
  /** Makes the worker; default `new Worker(url)`, or none (in-process) where Worker is undefined. */
  readonly createWorker?: ((url: string) => Worker) | null;
}

function cancelled(): WriteCancelled {
  return new WriteCancelled("Cancelled: nothing was written.");
}

/** Creates the engine: a worker started on first use, ended on cancel (a new one starts on the next request). */
export function createEngine(settings: EngineSettings = {}): Engine {
  const factory =
    settings.createWorker !== undefined ? settings.createWorker : typeof Worker === "undefined" ? null : (url: string) => new Worker(url);
  return factory === null ? inProcessEngine() : workerEngine(factory, settings.workerUrl ?? ENGINE_WORKER_URL);
}

/** Cells per load message: a slice small enough that cloning it is not a long task on the pane's thread. */
export const SLICE_CELLS = 50_000;

/** A response as `send` resolves it: a build's tabs, sent one message each, put back on its result. */
type Answer = Exclude<EngineResponse, { type: "result" } | { type: "tab" }> | ({ readonly type: "result"; readonly id: number } & BuildResult);

function workerEngine(factory: (url: string) => Worker, url: string): Engine {
  let worker: Worker | null = null;
  let nextId = 1;
  /** The sheets the current worker holds, by name (the very objects sent). */
  const sent = new Map<string, SheetCells>();
  const pending = new Map<number, { resolve: (response: Answer) => void; reject: (error: unknown) => void; onProgress?: EngineCall["onProgress"]; tabs: ReportSheet[] }>();

  const stop = (reason: unknown): void => {
    worker?.terminate();
    worker = null;
    sent.clear();
    for (const entry of pending.values()) entry.reject(reason);
    pending.clear();
  };
  const start = (): Worker => {
    if (worker !== null) return worker;
    const created = factory(url);
    created.onmessage = (event: MessageEvent<EngineResponse>) => {
      const response = event.data;
      const entry = pending.get(response.id);
      if (entry === undefined) return;
      if (response.type === "progress") {
        entry.onProgress?.(response.done, response.message);
        return;
      }
      if (response.type === "tab") {
        entry.tabs[response.index] = response.tab;
        return;
      }
      if (response.type === "rows") {
        // Rows of a big table, after its tab: appended to the table's rows (a copy the pane owns).
        const block = entry.tabs[response.index]?.blocks[response.block];
        if (block?.kind === "table") (block.rows as Cell[][]).push(...(response.rows as Cell[][]));
        return;
      }
      if (response.type === "result") {
        pending.delete(response.id);
        if (entry.tabs.length !== response.tabCount) {
          entry.reject(new Error(`The analysis engine sent ${entry.tabs.length} of ${response.tabCount} tabs.`));
          return;
        }
        const { tabCount: _count, ...rest } = response;
        entry.resolve({ ...rest, tabs: entry.tabs });
        return;
      }
      pending.delete(response.id);
      entry.resolve(response);
    };
    created.onerror = (event: ErrorEvent) => {
      event.preventDefault?.();
      stop(new Error(`The analysis engine stopped: ${event.message || "its script could not be loaded"}.`));
    };
    worker = created;
    return created;
  };
  const send = (request: EngineRequest, call: EngineCall): Promise<Answer> => {
    if (call.signal?.aborted) return Promise.reject(cancelled());
    return new Promise<Answer>((resolve, reject) => {
      const onAbort = (): void => {
        // The builders are synchronous: a message would wait for them, so the worker is ended.
        stop(cancelled());
      };
      call.signal?.addEventListener("abort", onAbort, { once: true });
      const done = <T,>(settle: (value: T) => void) => (value: T) => {
        call.signal?.removeEventListener("abort", onAbort);
        settle(value);
      };
      pending.set(request.id, { resolve: done(resolve), reject: done(reject), onProgress: call.onProgress, tabs: [] });
      start().postMessage(request);
    });
  };

  /** Sends the sheets the worker does not hold yet, in slices, waiting for each to be taken. */
  const load = async (sheets: readonly SheetCells[], call: EngineCall): Promise<string[]> => {
    for (const sheet of sheets) {
      if (sent.get(sheet.name) === sheet) continue;
      const { rows, ...meta } = sheet;
      const width = Math.max(1, ...rows.slice(0, 10).map((row) => row.length));
      const step = Math.max(1, Math.floor(SLICE_CELLS / width));
      for (let offset = 0; offset === 0 || offset < rows.length; offset += step) {
        const response = await send({ type: "load", id: nextId++, sheet: meta, offset, rows: rows.slice(offset, offset + step) }, call);
        if (response.type === "error") throw new EngineRunError(response.failure);
      }
      sent.set(sheet.name, sheet);
    }
    return sheets.map((sheet) => sheet.name);
  };

  return {
    async inspect({ sheets, ...request }, call = {}) {
      const sheetNames = await load(sheets, call);
      const response = await send({ type: "inspect", id: nextId++, ...request, sheetNames }, call);
      if (response.type === "error") throw new EngineRunError(response.failure);
      if (response.type !== "inspected") throw new Error(`The analysis engine answered ${response.type} to inspect.`);
      return response.inspection;
    },
    async build({ sheets, ...request }, call = {}) {
      const sheetNames = await load(sheets, call);
      const response = await send({ type: "build", id: nextId++, ...request, sheetNames }, call);
      if (response.type === "error") throw new EngineRunError(response.failure);
      if (response.type !== "result") throw new Error(`The analysis engine answered ${response.type} to build.`);
      // The tabs came in their own messages; the client put them on the result.
      const { tabs, skipped, shortened, notes, headlines } = response;
      return { tabs, skipped, shortened, notes, headlines };
    },
    dispose() {
      stop(cancelled());
    },
  };
}

/** The pipeline on this thread (no Worker): loaded on demand, cancel checked between steps. */
function inProcessEngine(): Engine {
  const pipeline = () => import("./pipeline");
  /** Lets a pending cancel (a click) be seen before the synchronous work starts. */
  const yieldOnce = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  return {
    async inspect(request, call = {}) {
      const { inspect } = await pipeline();
      await yieldOnce();
      if (call.signal?.aborted) throw cancelled();
      return inspect(request);
    },
    async build(request, call = {}) {
      const { build, BuildFailure } = await pipeline();
      await yieldOnce();
      if (call.signal?.aborted) throw cancelled();
      try {
        const result = build(request, call.onProgress);
        await yieldOnce();
        if (call.signal?.aborted) throw cancelled();
        return result;
      } catch (error) {
        if (error instanceof BuildFailure) throw new EngineRunError(error.failure);
        throw error;
      }
    },
    dispose() {},
  };
}

/**
 * Builds the tabs once, in the worker (or in-process where there is none), and ends the worker.
 *
 * @throws EngineRunError for bad data or options; WriteCancelled when `call.signal` aborts.
 */
export async function runInWorker(request: Omit<BuildRequest, "type" | "id">, call: EngineCall = {}, settings: EngineSettings = {}): Promise<BuildResult> {
  const engine = createEngine(settings);
  try {
    return await engine.build(request, call);
  } finally {
    engine.dispose();
  }
}
