// The real built task pane in Debian's Chromium (playwright-core, never a downloaded browser).
// dist/ is served from 127.0.0.1; Office.js comes from the @microsoft/office-js package instead of
// the CDN (tests only: the published page keeps the CDN tag); a fake `Excel` is injected so the
// bundle's real Excel code runs. Any other request leaving localhost fails the test: customer data
// never leaves the workbook.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FUNCTION_CATALOGUE } from "../../src/catalogue/functions";

const root = path.resolve(__dirname, "..", "..");
const dist = path.join(root, "dist");
const officeJsDist = path.join(root, "node_modules", "@microsoft", "office-js", "dist");
const screenshots = path.join(root, "test-results", "browser");
const CHROMIUM = process.env.IMC_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const OFFICE_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/";
// Office.js itself, loaded outside an Office client, asks for Microsoft's telemetry proxy page. That
// request is Office.js's own (the product allows Office.js's traffic), so it is aborted but not
// counted as the add-in's; anything else leaving localhost is.
const OFFICE_JS_OWN_REQUESTS = /^https:\/\/telemetryservice\.firstpartyapps\.oaspapps\.com\//;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".xml": "application/xml",
  ".map": "application/json",
};

let server: Server;
let baseUrl: string;
let browser: Browser;

function serveStatic(directory: string): Promise<Server> {
  const instance = createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const file = path.normalize(path.join(directory, urlPath));
    if (!file.startsWith(directory) || !existsSync(file)) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => instance.listen(0, "127.0.0.1", () => resolve(instance)));
}

/** Installed before any page script: a fake Excel whose selected cell records what is written. */
function fakeExcel() {
  const state = { writes: [] as unknown[], runs: 0 };
  (window as any).__imcFake = state;
  const cell = {
    address: "Sheet1!C3",
    set formulas(value: unknown) {
      state.writes.push(value);
    },
    load() {
      return cell;
    },
  };
  (window as any).Excel = {
    run: async (batch: (context: unknown) => Promise<unknown>) => {
      state.runs += 1;
      const context = { workbook: { getSelectedRange: () => ({ getCell: () => cell }) }, sync: async () => undefined };
      return batch(context);
    },
  };
}

/** Installed before any page script: records every Content-Security-Policy violation of the page. */
function recordCspViolations() {
  const violations: string[] = [];
  (window as any).__imcCspViolations = violations;
  document.addEventListener("securitypolicyviolation", (event) => {
    violations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"} at ${event.sourceFile}:${event.lineNumber}`);
  });
}

/** CSP violations seen by the page (events) and by the console (messages about the policy). */
async function cspViolations(page: Page, console: readonly string[]): Promise<string[]> {
  const events = (await page.evaluate(() => (window as any).__imcCspViolations ?? [])) as string[];
  return [...events, ...console.filter((text) => /Content Security Policy/i.test(text))];
}

/** Opens the built task pane; records every request that would leave localhost in `external`. */
async function openTaskpane(page: Page, external: string[], options: { withExcel: boolean }): Promise<void> {
  await page.route("**/*", async (route) => {
    const url = route.request().url();
    if (url.startsWith(OFFICE_CDN)) {
      const file = path.join(officeJsDist, url.slice(OFFICE_CDN.length).split("?")[0]);
      if (!file.startsWith(officeJsDist) || !existsSync(file)) {
        await route.fulfill({ status: 404, body: "" });
        return;
      }
      await route.fulfill({ status: 200, contentType: TYPES[path.extname(file)] ?? "text/plain", body: readFileSync(file) });
      return;
    }
    if (url.startsWith(baseUrl) || url.startsWith("data:")) {
      await route.continue();
      return;
    }
    if (!OFFICE_JS_OWN_REQUESTS.test(url)) external.push(url);
    await route.abort();
  });
  await page.addInitScript(recordCspViolations);
  if (options.withExcel) await page.addInitScript(fakeExcel);
  await page.goto(`${baseUrl}taskpane.html`);
}

beforeAll(async () => {
  if (!existsSync(path.join(dist, "taskpane.html"))) {
    throw new Error("dist/taskpane.html is missing: run `npm run build` first (npm test does).");
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`npm run setup\` (apt-get install -y chromium) or set IMC_CHROMIUM.`);
  }
  if (!existsSync(path.join(officeJsDist, "office.js"))) throw new Error("node_modules/@microsoft/office-js/dist/office.js is missing: run npm ci.");
  server = await serveStatic(dist);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

describe("task pane in Chromium (built bundle, fake Excel)", () => {
  it("lists IMC.CLV and inserts its example formula into the selected cell", async () => {
    const page = await browser.newPage({ viewport: { width: 380, height: 720 } });
    const errors: string[] = [];
    const external: string[] = [];
    const console: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => console.push(message.text()));
    await openTaskpane(page, external, { withExcel: true });

    const insert = page.getByRole("button", { name: "Insert example of IMC.CLV", exact: true });
    await insert.waitFor({ state: "visible", timeout: 30_000 });
    await expect(insert.isEnabled()).resolves.toBe(true);
    await expect(page.getByRole("heading", { name: "IMC Analytics" }).isVisible()).resolves.toBe(true);

    await insert.click();
    await page.getByText("=IMC.CLV(100, 0.8, 0.1) is now in Sheet1!C3.").waitFor({ timeout: 10_000 });
    const fake = await page.evaluate(() => (window as any).__imcFake);
    expect(fake.runs).toBe(1);
    expect(fake.writes).toEqual([[["=IMC.CLV(100, 0.8, 0.1)"]]]);

    await page.screenshot({ path: path.join(screenshots, "taskpane-after-insert.png"), fullPage: true });

    // The same page is the custom-functions runtime: functions.js registered IMC.CLV with the real
    // Office.js (its association table is internal; Office.js is pinned to 1.1.110), and it computes.
    const registered = await page.evaluate(() => {
      const mappings = (window as any).CustomFunctions?._association?.m_mappings ?? {};
      return { ids: Object.keys(mappings), clv: mappings.CLV?.([[100]], [[0.8]], [[0.1]], null, null) };
    });
    expect(registered.ids.sort()).toEqual(FUNCTION_CATALOGUE.map((entry) => entry.id).sort());
    expect(registered.clv[0][0]).toBeCloseTo(266.6666666666667, 10);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    // The page's CSP (script-src 'self' + Office's CDN, no 'unsafe-eval') blocked nothing while the
    // pane loaded, rendered with Fluent UI and wrote to the workbook.
    expect(await cspViolations(page, console)).toEqual([]);
    await page.close();
  });

  it("without Excel, says so and keeps the insert buttons disabled", async () => {
    const page = await browser.newPage({ viewport: { width: 380, height: 720 } });
    const external: string[] = [];
    const console: string[] = [];
    page.on("console", (message) => console.push(message.text()));
    await openTaskpane(page, external, { withExcel: false });
    const insert = page.getByRole("button", { name: "Insert example of IMC.CLV", exact: true });
    await insert.waitFor({ state: "visible", timeout: 30_000 });
    await expect(insert.isDisabled()).resolves.toBe(true);
    await expect(page.getByText(/Excel is not available here/).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(screenshots, "taskpane-no-excel.png"), fullPage: true });
    expect(external).toEqual([]);
    expect(await cspViolations(page, console)).toEqual([]);
    await page.close();
  });

  it("the help page renders the function list under its CSP, which does block an inline script", async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    const console: string[] = [];
    page.on("console", (message) => console.push(message.text()));
    await page.addInitScript(recordCspViolations);
    await page.goto(`${baseUrl}help.html`);
    await page.getByText(FUNCTION_CATALOGUE[0].signature, { exact: true }).waitFor({ timeout: 10_000 });
    // help.css applied (a stylesheet from 'self'): the heading has the brand colour.
    await expect(page.evaluate(() => getComputedStyle(document.querySelector("h1")!).color)).resolves.toBe("rgb(15, 108, 115)");
    expect(await cspViolations(page, console)).toEqual([]);

    // The control: the policy is in force and the listener sees what it blocks.
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__inlineRan = true;";
      document.head.append(script);
    });
    await expect(page.evaluate(() => (window as any).__inlineRan === true)).resolves.toBe(false);
    await expect.poll(() => cspViolations(page, [])).toEqual([expect.stringMatching(/^script-src-elem blocked inline/)]);
    await page.close();
  });
});
