// The task pane's bundles (issue 14): the initial bundle stays small; the wizards and the analysis
// engine's Web Worker load on demand, the engine never on the pane's page. Run after `npm run build`.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";

const dist = path.resolve(__dirname, "..", "..", "dist");
const read = (file: string) => readFileSync(path.join(dist, file), "utf8");
/** Text only the report builders have (the Attribution tab's subtitle). */
const BUILDER_TEXT = "Seven attribution models side by side";

beforeAll(() => {
  if (!existsSync(path.join(dist, "taskpane.js"))) throw new Error("dist/taskpane.js is missing: run `npm run build` first.");
});

describe("task pane bundles", () => {
  it("the initial task-pane bundle is at most 200 KB gzip", () => {
    const bytes = gzipSync(readFileSync(path.join(dist, "taskpane.js"))).length;
    console.log(`taskpane.js: ${(bytes / 1024).toFixed(1)} KiB gzip`);
    expect(bytes).toBeLessThanOrEqual(200 * 1024);
  });

  it("the engine worker is its own file, with the report builders, and no page loads it", () => {
    expect(existsSync(path.join(dist, "engine-worker.js"))).toBe(true);
    expect(read("engine-worker.js")).toContain(BUILDER_TEXT);
    for (const page of ["taskpane.html", "help.html"]) expect(read(page)).not.toContain("engine-worker");
  });

  it("the pane's initial bundle holds no report builder; a chunk loaded on demand starts the worker", () => {
    expect(read("taskpane.js")).not.toContain(BUILDER_TEXT);
    const chunks = readdirSync(dist).filter((file) => file.endsWith(".js") && !["taskpane.js", "functions.js", "commands.js", "help.js", "engine-worker.js"].includes(file));
    expect(chunks.some((file) => read(file).includes("engine-worker.js"))).toBe(true);
    expect(read("taskpane.html")).not.toMatch(/wizards\.js/);
  });
});
