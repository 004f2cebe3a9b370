// The wizards' engine in real Chromium: the built engine-worker.js starts as a Web Worker under the
// task pane's Content-Security-Policy and builds tabs from sheets posted to it; the wizard chunk
// loads on demand; the home view fits 320 px without sideways scrolling. (The end-to-end wizard
// run against a recording fake Excel needs the Office adapter's listSources/readSource/writeReport:
// see issue 14.)
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SheetCells } from "../../src/reports/detect";
import type { EngineResponse } from "../../src/taskpane/worker/protocol";
import { generateSampleBusiness } from "../../src/sample/business";

const root = path.resolve(__dirname, "..", "..");
const dist = path.join(root, "dist");
const officeJsDist = path.join(root, "node_modules", "@microsoft", "office-js", "dist");
const screenshots = path.join(root, "test-results", "browser");
const CHROMIUM = process.env.IMC_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const OFFICE_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/";
const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".png": "image/png", ".css": "text/css; charset=utf-8", ".map": "application/json" };

let server: Server;
let baseUrl: string;
let browser: Browser;

function serveStatic(directory: string): Promise<Server> {
  const instance = createServer((request, response) => {
    const file = path.normalize(path.join(directory, decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname)));
    if (!file.startsWith(directory) || !existsSync(file)) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => instance.listen(0, "127.0.0.1", () => resolve(instance)));
}

/** Installed before any page script: a fake Excel namespace (the pane only needs it to exist here). */
function fakeExcel() {
  (window as any).Excel = { run: async () => undefined };
}

function recordCspViolations() {
  const violations: string[] = [];
  (window as any).__imcCspViolations = violations;
  document.addEventListener("securitypolicyviolation", (event) => violations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"}`));
}

async function openTaskpane(page: Page, external: string[]): Promise<void> {
  await page.route("**/*", async (route) => {
    const url = route.request().url();
    if (url.startsWith(OFFICE_CDN)) {
      const file = path.join(officeJsDist, url.slice(OFFICE_CDN.length).split("?")[0]);
      if (!file.startsWith(officeJsDist) || !existsSync(file)) return route.fulfill({ status: 404, body: "" });
      return route.fulfill({ status: 200, contentType: TYPES[path.extname(file)] ?? "text/plain", body: readFileSync(file) });
    }
    if (url.startsWith(baseUrl) || url.startsWith("data:")) return route.continue();
    if (!/^https:\/\/telemetryservice\.firstpartyapps\.oaspapps\.com\//.test(url)) external.push(url);
    return route.abort();
  });
  await page.addInitScript(recordCspViolations);
  await page.addInitScript(fakeExcel);
  await page.goto(`${baseUrl}taskpane.html`);
}

beforeAll(async () => {
  if (!existsSync(path.join(dist, "engine-worker.js"))) throw new Error("dist/engine-worker.js is missing: run `npm run build` first (npm test does).");
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run \`npm run setup\` (apt-get install -y chromium) or set IMC_CHROMIUM.`);
  server = await serveStatic(dist);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

describe("wizards' engine in Chromium (built bundle)", () => {
  it("engine-worker.js runs as a Web Worker under the pane's CSP and builds every tab from the sample business", async () => {
    const page = await browser.newPage({ viewport: { width: 350, height: 720 } });
    const errors: string[] = [];
    const external: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await openTaskpane(page, external);
    await page.getByRole("heading", { name: "Generate tabs" }).waitFor({ timeout: 30_000 });

    const sheets: SheetCells[] = generateSampleBusiness({ customers: 200 }).tables.map((table) => ({ name: table.name, rows: [table.headers, ...table.rows], numberFormats: table.numberFormats }));
    const messages = (await page.evaluate(
      (sheets) =>
        new Promise<unknown[]>((resolve, reject) => {
          const seen: unknown[] = [];
          const worker = new Worker("engine-worker.js");
          worker.onerror = (event) => reject(new Error(event.message || "worker failed to load"));
          worker.onmessage = (event) => {
            seen.push(event.data);
            if (event.data.type === "result" || event.data.type === "error") {
              worker.terminate();
              resolve(seen);
            }
          };
          worker.postMessage({ type: "build", id: 7, sheets, overrides: {}, reading: {}, options: {}, generatedAt: "2026-12-06T04:00:00.000Z", tabs: null });
        }),
      sheets,
    )) as EngineResponse[];

    const last = messages.at(-1)!;
    expect(last.type).toBe("result");
    if (last.type !== "result") return;
    expect(last.id).toBe(7);
    // Each tab is a message of its own ahead of the result (no single long clone on the pane's thread).
    const tabs = messages.flatMap((message) => (message.type === "tab" ? [message] : []));
    // The Scorecard first; Cohorts, Leads, Journey and Experiments in between when their builders and the data allow.
    const older = ["Scorecard", "Segmentation", "Customer Value", "Attribution", "Campaign KPIs", "Budget"];
    expect(last.tabCount).toBe(tabs.length);
    expect(tabs.map((message) => message.index)).toEqual(tabs.map((_, i) => i));
    expect(tabs.map((message) => message.tab.name).filter((name) => !["Cohorts", "Lead Scoring", "Journey", "Experiments"].includes(name))).toEqual(older);
    const progress = messages.filter((message) => message.type === "progress");
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    expect(await page.evaluate(() => (window as any).__imcCspViolations)).toEqual([]);
    await page.close();
  });

  it("the home view fits 320 px and the wizard chunk loads on Start", async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 720 } });
    const errors: string[] = [];
    const external: string[] = [];
    const loaded: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("request", (request) => loaded.push(new URL(request.url()).pathname));
    await openTaskpane(page, external);
    await page.getByRole("heading", { name: "Generate tabs" }).waitFor({ timeout: 30_000 });

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(loaded).not.toContain("/engine-worker.js");
    expect(loaded).not.toContain("/wizards.js");
    await page.screenshot({ path: path.join(screenshots, "home-320.png"), fullPage: false });

    await page.getByRole("button", { name: "Start the Campaign KPIs wizard" }).click();
    await page.getByRole("heading", { name: "Data", exact: true }).waitFor({ timeout: 30_000 });
    expect(loaded).toContain("/wizards.js");
    await page.screenshot({ path: path.join(screenshots, "wizard-data-320.png"), fullPage: true });
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    expect(await page.evaluate(() => (window as any).__imcCspViolations)).toEqual([]);
    await page.close();
  });
});
