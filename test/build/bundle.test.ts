// Checks on the production build in dist/ (npm test builds it first; alone: `npm run build` then
// `npm run test:build`). These catch what silently goes wrong with custom functions: a function
// missing from functions.json, a wrong parameter type or dimensionality, an associate call that
// does not match the metadata, a page that does not load every bundle, a manifest that still
// points at localhost.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { FUNCTION_CATALOGUE } from "../../src/catalogue/functions";
import { installCustomFunctionsStub } from "../support/customFunctions";
import { parseFormula } from "../support/functionRegistry";

const root = path.resolve(__dirname, "..", "..");
const dist = path.join(root, "dist");
const require = createRequire(import.meta.url);
const { FUNCTION_FILES } = require("../../scripts/function-files.cjs") as { FUNCTION_FILES: string[] };

interface FunctionParameter {
  name: string;
  description?: string;
  type: string;
  dimensionality?: string;
  optional?: boolean;
}
interface FunctionMetadata {
  id: string;
  name: string;
  description?: string;
  parameters: FunctionParameter[];
  result: { type?: string; dimensionality?: string };
}

let metadata: { functions: FunctionMetadata[] };

beforeAll(() => {
  if (!existsSync(path.join(dist, "functions.json"))) {
    throw new Error("dist/functions.json is missing: run `npm run build` before the build checks (npm test does).");
  }
  metadata = JSON.parse(readFileSync(path.join(dist, "functions.json"), "utf8"));
});

describe("dist/ holds every artefact of the add-in", () => {
  for (const file of ["taskpane.html", "help.html", "help.js", "taskpane.js", "functions.js", "functions.json", "commands.js", "manifest.xml", "assets/icon-16.png", "assets/icon-32.png", "assets/icon-64.png", "assets/icon-80.png"]) {
    it(file, () => expect(existsSync(path.join(dist, file))).toBe(true));
  }

  it("reports bundle sizes (gzip)", () => {
    const lines = readdirSync(dist)
      .filter((file) => file.endsWith(".js") || file.endsWith(".html") || file.endsWith(".json"))
      .map((file) => {
        const bytes = readFileSync(path.join(dist, file));
        return `${file.padEnd(18)} ${(statSync(path.join(dist, file)).size / 1024).toFixed(1).padStart(8)} KiB  gzip ${(gzipSync(bytes).length / 1024).toFixed(1).padStart(7)} KiB`;
      });
    console.log(`bundle sizes:\n${lines.join("\n")}`);
    expect(lines.length).toBeGreaterThanOrEqual(4);
  });
});

describe("functions.json (generated from JSDoc)", () => {
  it("lists exactly the functions of the catalogue", () => {
    expect(metadata.functions.map((f) => f.id).sort()).toEqual(FUNCTION_CATALOGUE.map((entry) => entry.id).sort());
  });

  it("every source file declaring @customfunction is in the functions entry and the metadata input", () => {
    const declaring = readdirSync(path.join(root, "src", "functions"))
      .filter((file) => /\.tsx?$/.test(file))
      .filter((file) => readFileSync(path.join(root, "src", "functions", file), "utf8").includes("@customfunction"))
      .map((file) => `./src/functions/${file}`)
      .sort();
    expect([...FUNCTION_FILES].sort()).toEqual(declaring);
  });

  it("every function takes ranges of any type and returns a matrix, each argument described for users", () => {
    for (const fn of metadata.functions) {
      expect(fn.description, fn.id).toBeTruthy();
      expect(fn.result.dimensionality, fn.id).toBe("matrix");
      for (const parameter of fn.parameters) {
        // `any` matrices: Excel sends mixed cells, and the engine coerces with row-numbered messages.
        expect(parameter.type, `${fn.id}(${parameter.name})`).toBe("any");
        expect(parameter.dimensionality, `${fn.id}(${parameter.name})`).toBe("matrix");
        expect(parameter.description, `${fn.id}(${parameter.name})`).toBeTruthy();
      }
    }
  });

  it("IMC.CLV: five range arguments of any type, the last two optional, a matrix result, described for users", () => {
    const clv = metadata.functions.find((f) => f.id === "CLV");
    expect(clv).toBeDefined();
    expect(clv!.name).toBe("CLV");
    expect(clv!.description).toMatch(/lifetime value/i);
    expect(clv!.description).toMatch(/=IMC\.CLV\(100, 0\.8, 0\.1\)/);
    expect(clv!.parameters.map((p) => p.name)).toEqual(["margin", "retention_rate", "discount_rate", "periods", "margin_now"]);
    for (const parameter of clv!.parameters) {
      expect(parameter.type, parameter.name).toBe("any");
      expect(parameter.dimensionality, parameter.name).toBe("matrix");
      expect(parameter.description, parameter.name).toBeTruthy();
    }
    expect(clv!.parameters.map((p) => Boolean(p.optional))).toEqual([false, false, false, true, true]);
    expect(clv!.result.dimensionality).toBe("matrix");
  });
});

describe("functions.js (the built bundle)", () => {
  const source = () => readFileSync(path.join(dist, "functions.js"), "utf8");

  it("associates exactly the ids of functions.json", () => {
    const ids = [...source().matchAll(/CustomFunctions\.associate\(\s*["']([^"']+)["']/g)].map((m) => m[1]).sort();
    expect(ids).toEqual(metadata.functions.map((f) => f.id).sort());
  });

  it("runs outside Excel, registers its functions, and IMC.CLV computes 266.67", () => {
    const stub = installCustomFunctionsStub();
    const registered = new Map<string, (...args: unknown[]) => unknown>();
    const sandbox = {
      CustomFunctions: { ...stub, associate: (id: string, fn: (...args: unknown[]) => unknown) => registered.set(id, fn) },
      console,
    } as Record<string, unknown>;
    sandbox.self = sandbox;
    sandbox.window = sandbox;
    sandbox.globalThis = sandbox;
    vm.runInNewContext(source(), sandbox, { filename: "functions.js" });
    expect([...registered.keys()].sort()).toEqual(metadata.functions.map((f) => f.id).sort());
    const result = registered.get("CLV")!([[100]], [[0.8]], [[0.1]], null, null) as number[][];
    expect(result[0][0]).toBeCloseTo(266.6666666666667, 10);

    // Every catalogue example, computed by the bundle as Excel would run it.
    for (const entry of FUNCTION_CATALOGUE) {
      const parsed = parseFormula(entry.example)!;
      const fn = registered.get(entry.id)!;
      const value = (fn(...parsed.args) as unknown[][])[0][0];
      const shown = typeof value === "number" ? value.toFixed(2) : String(value);
      expect(shown, entry.example).toBe(entry.exampleResult);
    }
  });
});

describe("taskpane.html (the one page of the shared runtime)", () => {
  const html = () => readFileSync(path.join(dist, "taskpane.html"), "utf8");

  it("loads Office.js from Microsoft's CDN before the bundles", () => {
    const page = html();
    const office = page.indexOf("https://appsforoffice.microsoft.com/lib/1/hosted/office.js");
    expect(office).toBeGreaterThan(-1);
    for (const bundle of ["taskpane.js", "functions.js", "commands.js"]) {
      const at = page.search(new RegExp(`src=["']?[^"'\\s>]*${bundle.replace(".", "\\.")}`));
      expect(at, bundle).toBeGreaterThan(office);
    }
  });

  it("makes no other external request", () => {
    const external = [...html().matchAll(/(?:src|href)=["']?(https?:\/\/[^"'\s>]+)/g)].map((m) => m[1]);
    expect(external).toEqual(["https://appsforoffice.microsoft.com/lib/1/hosted/office.js"]);
  });
});

describe("Content-Security-Policy of the built pages", () => {
  /** The directives of the page's CSP meta element, and where it stands in the page. */
  function cspOf(file: string) {
    const page = readFileSync(path.join(dist, file), "utf8");
    const meta = /<meta\s+http-equiv=["']?Content-Security-Policy["']?\s+content=("([^"]*)"|'([^']*)')\s*\/?>/i.exec(page);
    expect(meta, `${file} has a CSP meta element`).not.toBeNull();
    const directives = new Map<string, string[]>();
    for (const part of (meta![2] ?? meta![3]).split(";")) {
      const [name, ...sources] = part.trim().split(/\s+/);
      if (name) directives.set(name, sources);
    }
    return { page, at: meta!.index, directives };
  }

  it("taskpane.html: scripts from itself and Office's CDN only, no eval, no inline script; connections to itself only", () => {
    const { page, at, directives } = cspOf("taskpane.html");
    // A meta CSP applies only to what follows it: it must precede every script and style.
    expect(at).toBeLessThan(page.search(/<script|<link|<style/i));
    expect(directives.get("script-src")).toEqual(["'self'", "https://appsforoffice.microsoft.com"]);
    expect(directives.get("connect-src")).toEqual(["'self'"]);
    expect(directives.get("default-src")).toEqual(["'self'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(directives.get("base-uri")).toEqual(["'self'"]);
    // Frames: Office.js's own error page and its own telemetry frame, nothing of the add-in's.
    expect(directives.get("frame-src")).toEqual(["https://appsforoffice.microsoft.com", "https://telemetryservice.firstpartyapps.oaspapps.com"]);
    // Fluent UI (Griffel) and Office.js insert <style> elements at run time (README, "Safe outputs").
    expect(directives.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    for (const [name, sources] of directives) expect(sources, name).not.toContain("'unsafe-eval'");
    expect([...page.matchAll(/<script\b([^>]*)>/gi)].filter((m) => !/\bsrc=/.test(m[1]))).toEqual([]);
  });

  it("help.html: scripts and styles from itself only (its styles are help.css, not inline)", () => {
    const { page, at, directives } = cspOf("help.html");
    expect(at).toBeLessThan(page.search(/<script|<link|<style/i));
    expect(directives.get("script-src")).toEqual(["'self'"]);
    expect(directives.get("style-src")).toEqual(["'self'"]);
    expect(directives.get("connect-src")).toEqual(["'self'"]);
    expect(page).not.toMatch(/<style|\sstyle=/i);
    expect([...page.matchAll(/<script\b([^>]*)>/gi)].filter((m) => !/\bsrc=/.test(m[1]))).toEqual([]);
    expect(existsSync(path.join(dist, "help.css"))).toBe(true);
  });

  it("no bundle evaluates strings (the CSP has no 'unsafe-eval')", () => {
    // webpack's runtime keeps `new Function("return this")` as a fallback behind `globalThis`, which
    // every supported browser has: it never runs.
    const webpackGlobal = /try\{return this\|\|new Function\("return this"\)\(\)\}/g;
    for (const file of readdirSync(dist).filter((name) => name.endsWith(".js"))) {
      const source = readFileSync(path.join(dist, file), "utf8").replace(webpackGlobal, "");
      expect(source.match(/[^\w.$]eval\(|new Function\(|[^\w.$]Function\(["'`]/g), file).toBeNull();
    }
  });
});
