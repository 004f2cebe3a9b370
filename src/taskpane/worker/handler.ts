/**
 * The engine worker's message handling, apart from the worker global so that tests can run it:
 * sheets arrive in slices (load), then inspect and build requests name them (or carry them).
 */
import type { SheetCells } from "../../reports/detect";
import { build, BuildFailure, failureOf, inspect } from "./pipeline";
import type { TableBlock } from "../../reports/sheet";
import { RESULT_SLICE_CELLS, type EngineRequest, type EngineResponse } from "./protocol";

/** A handler answering through `post`, with its own store of loaded sheets. */
export function createHandler(post: (message: EngineResponse) => void): (request: EngineRequest) => void {
  const loaded = new Map<string, { sheet: Omit<SheetCells, "rows">; rows: unknown[][] }>();
  const sheetsOf = (request: Exclude<EngineRequest, { type: "load" }>): readonly SheetCells[] => {
    if (request.sheets !== undefined) return request.sheets;
    return request.sheetNames.map((name) => {
      const entry = loaded.get(name);
      if (entry === undefined) throw new Error(`The sheet "${name}" was not sent to the analysis engine.`);
      return { ...entry.sheet, rows: entry.rows };
    });
  };
  return (request) => {
    try {
      if (request.type === "load") {
        if (request.offset === 0) loaded.set(request.sheet.name, { sheet: request.sheet, rows: [] });
        const entry = loaded.get(request.sheet.name);
        if (entry === undefined) throw new Error(`A slice of the sheet "${request.sheet.name}" came before its start.`);
        for (const row of request.rows) entry.rows.push(row as unknown[]);
        post({ type: "loaded", id: request.id });
      } else if (request.type === "inspect") {
        post({ type: "inspected", id: request.id, inspection: inspect({ ...request, sheets: sheetsOf(request) }) });
      } else {
        const result = build({ ...request, sheets: sheetsOf(request) }, (done, message) => post({ type: "progress", id: request.id, done, message }));
        const { tabs, ...rest } = result;
        tabs.forEach((tab, index) => {
          // A table of many rows goes in slices after its tab (the first slice with it).
          const rest: { block: number; rows: TableBlock["rows"] }[] = [];
          const blocks = tab.blocks.map((block, number) => {
            if (block.kind !== "table") return block;
            const step = Math.max(1, Math.floor(RESULT_SLICE_CELLS / Math.max(1, block.headers.length)));
            if (block.rows.length <= step) return block;
            for (let offset = step; offset < block.rows.length; offset += step) rest.push({ block: number, rows: block.rows.slice(offset, offset + step) });
            return { ...block, rows: block.rows.slice(0, step) };
          });
          post({ type: "tab", id: request.id, index, tab: { ...tab, blocks } });
          for (const slice of rest) post({ type: "rows", id: request.id, index, block: slice.block, rows: slice.rows });
        });
        post({ type: "result", id: request.id, tabCount: tabs.length, ...rest });
      }
    } catch (error) {
      const failure = error instanceof BuildFailure ? error.failure : failureOf(error, [], {}, null, "");
      post({ type: "error", id: request.id, failure });
    }
  };
}
