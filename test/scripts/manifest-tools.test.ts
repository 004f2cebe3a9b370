// manifest.xml and scripts/manifest-tools.cjs: cross-reference checks, production URL rewrite,
// xmllint schema validation (needs ../shared; see test/support/shared.ts) and the icon files.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  DEV_BASE_URL,
  manifestProblems,
  manifestUrls,
  readResources,
  toProductionManifest,
  validateWithSchema,
} from "../../scripts/manifest-tools.cjs";
import { REPO_ROOT, sharedDir, sharedSkipMessage } from "../support/shared";

const MANIFEST_PATH = path.join(REPO_ROOT, "manifest.xml");
const MANIFEST = readFileSync(MANIFEST_PATH, "utf8");
const SCHEMA_PARTS = ["schemas", "office-addin-manifest"] as const;

/** Replaces the single occurrence of `from` (fails loudly if the manifest no longer contains it exactly once). */
function mutate(xml: string, from: string, to: string): string {
  const count = xml.split(from).length - 1;
  if (count !== 1) throw new Error(`mutation target ${JSON.stringify(from)} occurs ${count} times in manifest.xml; expected once`);
  return xml.replace(from, () => to);
}

function countOf(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}


const tmpDirs: string[] = [];
function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "imc-manifest-"));
  tmpDirs.push(dir);
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}
afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

describe("manifest.xml", () => {
  it("has no cross-reference problems", () => {
    expect(manifestProblems(MANIFEST)).toEqual([]);
  });

  it("uses one shared runtime on Taskpane.Url and serves everything from the dev server", () => {
    expect(MANIFEST).toMatch(/<Runtime\s+resid="Taskpane\.Url"\s+lifetime="long"\s*\/>/);
    const urls = new Map(readResources(MANIFEST).filter((r) => r.kind === "Url").map((r) => [r.id, r.value]));
    expect(urls.get("Taskpane.Url")).toBe(`${DEV_BASE_URL}taskpane.html`);
    expect(urls.get("Functions.Script.Url")).toBe(`${DEV_BASE_URL}functions.js`);
    expect(urls.get("Functions.Metadata.Url")).toBe(`${DEV_BASE_URL}functions.json`);
    const all = manifestUrls(MANIFEST);
    expect(all.length).toBeGreaterThan(5);
    for (const url of all) expect(url.startsWith(DEV_BASE_URL), url).toBe(true);
    expect(MANIFEST).toMatch(/<Set Name="SharedRuntime" MinVersion="1\.1"\s*\/>/);
    expect(MANIFEST).toMatch(/<Set Name="CustomFunctionsRuntime" MinVersion="1\.1"\s*\/>/);
  });

  it("references icons under /assets/ that exist at their declared sizes", () => {
    // Declared sizes: <bt:Image size="N" resid="..."/> uses, IconUrl (32 px), HighResolutionIconUrl (64 px).
    const declared = new Map<string, Set<number>>();
    const declare = (url: string | undefined, size: number) => {
      expect(url, `image declared with size ${size} has a URL`).toBeTruthy();
      const set = declared.get(url!) ?? new Set<number>();
      set.add(size);
      declared.set(url!, set);
    };
    const images = new Map(readResources(MANIFEST).filter((r) => r.kind === "Image").map((r) => [r.id, r.value]));
    for (const tag of MANIFEST.match(/<bt:Image\b[^>]*\bsize="\d+"[^>]*>/g) ?? []) {
      const size = Number(/\bsize="(\d+)"/.exec(tag)![1]);
      const resid = /\bresid="([^"]+)"/.exec(tag)![1];
      declare(images.get(resid), size);
    }
    declare(/<IconUrl DefaultValue="([^"]+)"/.exec(MANIFEST)?.[1], 32);
    declare(/<HighResolutionIconUrl DefaultValue="([^"]+)"/.exec(MANIFEST)?.[1], 64);

    const assetUrls = manifestUrls(MANIFEST).filter((u) => u.startsWith(`${DEV_BASE_URL}assets/`));
    expect(new Set(assetUrls)).toEqual(new Set(declared.keys()));
    expect(declared.size).toBeGreaterThanOrEqual(4); // 16, 32, 64, 80
    for (const [url, sizes] of declared) {
      expect(sizes.size, `${url} is declared with one size`).toBe(1);
      const size = [...sizes][0];
      const file = path.join(REPO_ROOT, url.slice(DEV_BASE_URL.length));
      expect(existsSync(file), `${file} exists (node scripts/make-icons.mjs)`).toBe(true);
      const png = readFileSync(file);
      expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${file} is a PNG`).toBe(true);
      expect(png.toString("ascii", 12, 16)).toBe("IHDR");
      expect({ file: path.basename(file), width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual({
        file: path.basename(file),
        width: size,
        height: size,
      });
    }
    const logo = readFileSync(path.join(REPO_ROOT, "assets", "logo-filled.png"));
    expect(logo.toString("ascii", 12, 16)).toBe("IHDR");
  });
});

describe("manifestProblems on mutated copies", () => {
  const cases: { name: string; xml: () => string; expected: RegExp }[] = [
    {
      name: "a resid used but not defined",
      xml: () => mutate(MANIFEST, '<Label resid="TaskpaneButton.Label"/>', '<Label resid="TaskpaneButton.Missing"/>'),
      expected: /resid "TaskpaneButton\.Missing".*not defined/,
    },
    {
      name: "a resource id defined twice",
      xml: () =>
        mutate(
          MANIFEST,
          '<bt:String id="GetStarted.Title"',
          '<bt:String id="CommandsGroup.Label" DefaultValue="Again"/>\n        <bt:String id="GetStarted.Title"',
        ),
      expected: /"CommandsGroup\.Label" is defined 2 times/,
    },
    {
      name: "FunctionFile pointing at a different (defined) resid",
      xml: () =>
        mutate(
          mutate(MANIFEST, '<FunctionFile resid="Taskpane.Url"/>', '<FunctionFile resid="Commands.Url"/>'),
          "<bt:Urls>",
          '<bt:Urls>\n        <bt:Url id="Commands.Url" DefaultValue="https://localhost:3000/commands.html"/>',
        ),
      expected: /FunctionFile.*"Commands\.Url".*same resid/,
    },
    {
      name: "the custom functions Page on another resid",
      xml: () =>
        mutate(
          MANIFEST,
          '<Page>\n              <SourceLocation resid="Taskpane.Url"/>',
          '<Page>\n              <SourceLocation resid="Functions.Script.Url"/>',
        ),
      expected: /CustomFunctions <Page>.*"Functions\.Script\.Url"/,
    },
    {
      name: "a ShowTaskpane action on another resid",
      xml: () =>
        mutate(
          MANIFEST,
          '<TaskpaneId>ButtonId1</TaskpaneId>\n                    <SourceLocation resid="Taskpane.Url"/>',
          '<TaskpaneId>ButtonId1</TaskpaneId>\n                    <SourceLocation resid="GetStarted.LearnMoreUrl"/>',
        ),
      expected: /ShowTaskpane.*"GetStarted\.LearnMoreUrl"/,
    },
    {
      name: "a wrong namespace",
      xml: () => mutate(MANIFEST, '<bt:String id="Functions.Namespace" DefaultValue="IMC"/>', '<bt:String id="Functions.Namespace" DefaultValue="CONTOSO"/>'),
      expected: /namespace.*"CONTOSO".*must be "IMC"/,
    },
    {
      name: "a short-lived runtime",
      xml: () => mutate(MANIFEST, 'lifetime="long"', 'lifetime="short"'),
      expected: /lifetime="long"/,
    },
    {
      name: "no Runtimes element",
      xml: () => mutate(MANIFEST, '<Runtime resid="Taskpane.Url" lifetime="long"/>', "<!-- removed -->").replace(/<Runtimes>\s*<!-- removed -->\s*<\/Runtimes>/, ""),
      expected: /No <Runtimes>/,
    },
    {
      name: "DefaultSettings on another page than Taskpane.Url",
      xml: () =>
        mutate(
          MANIFEST,
          '<SourceLocation DefaultValue="https://localhost:3000/taskpane.html"/>',
          '<SourceLocation DefaultValue="https://localhost:3000/other.html"/>',
        ),
      expected: /DefaultSettings SourceLocation ".*other\.html" differs/,
    },
    {
      name: "a resid naming the wrong kind of resource",
      xml: () => mutate(MANIFEST, '<Label resid="CommandsGroup.Label"/>', '<Label resid="GetStarted.Description"/>'),
      expected: /must name a ShortString resource.*LongString/,
    },
  ];

  it.each(cases)("catches $name", ({ xml, expected }) => {
    const problems = manifestProblems(xml());
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).toMatch(expected);
  });

  it("ignores commented-out markup", () => {
    const xml = mutate(MANIFEST, "<bt:Images>", '<bt:Images>\n        <!-- <bt:Image id="Icon.16x16" DefaultValue="https://localhost:3000/x.png"/> <Foo resid="Nope"/> -->');
    expect(manifestProblems(xml)).toEqual([]);
  });

  it("reports an empty or foreign document", () => {
    expect(manifestProblems("")).not.toEqual([]);
    expect(manifestProblems("<html><body/></html>").length).toBeGreaterThan(3);
  });
});

describe("toProductionManifest", () => {
  const BASE = "https://addins.example.com/imc/";

  it("replaces every localhost URL, keeping the number of URLs", () => {
    const before = countOf(MANIFEST, DEV_BASE_URL);
    expect(before).toBeGreaterThanOrEqual(10); // many: Microsoft's template only replaced the first
    const urlsBefore = manifestUrls(MANIFEST);
    const out = toProductionManifest(MANIFEST, BASE);
    expect(out).not.toMatch(/localhost/i);
    expect(countOf(out, BASE)).toBe(before);
    const urlsAfter = manifestUrls(out);
    expect(urlsAfter.length).toBe(urlsBefore.length);
    expect(urlsAfter).toEqual(urlsBefore.map((u) => BASE + u.slice(DEV_BASE_URL.length)));
    expect(manifestProblems(out)).toEqual([]);
  });

  it("adds a missing trailing slash", () => {
    const out = toProductionManifest(MANIFEST, "https://addins.example.com/imc");
    expect(out).toContain('"https://addins.example.com/imc/taskpane.html"');
    expect(out).not.toContain("imctaskpane");
    expect(toProductionManifest(MANIFEST, "https://addins.example.com")).toContain('"https://addins.example.com/functions.js"');
  });

  it.each(["http://addins.example.com/", "/imc/", "imc/", "addins.example.com/imc/", "", "https://", "https://localhost:8443/"])(
    "rejects the base URL %j",
    (base) => {
      expect(() => toProductionManifest(MANIFEST, base)).toThrow(/base URL/i);
    },
  );

  it("throws when some other localhost URL would remain", () => {
    const xml = mutate(MANIFEST, '"https://localhost:3000/help.html"/>\n  <Hosts>', '"http://localhost:3000/help.html"/>\n  <Hosts>');
    expect(() => toProductionManifest(xml, BASE)).toThrow(/localhost/);
  });
});

describe("sharedDir (test/support/shared.ts)", () => {
  it("returns the directory when present, null when absent, and throws when absent with REQUIRE_SHARED=1", (ctx) => {
    const saved = process.env.REQUIRE_SHARED;
    try {
      delete process.env.REQUIRE_SHARED;
      expect(sharedDir("no-such-dir-for-imc-tests")).toBeNull();
      expect(sharedSkipMessage("no-such-dir-for-imc-tests")).toMatch(/absent.*REQUIRE_SHARED=1/);
      process.env.REQUIRE_SHARED = "1";
      expect(() => sharedDir("no-such-dir-for-imc-tests")).toThrow(/no-such-dir-for-imc-tests.*REQUIRE_SHARED=1/);
    } finally {
      if (saved === undefined) delete process.env.REQUIRE_SHARED;
      else process.env.REQUIRE_SHARED = saved;
    }
    const dir = sharedDir(...SCHEMA_PARTS);
    if (!dir) return ctx.skip(sharedSkipMessage(...SCHEMA_PARTS));
    expect(dir).toBe(path.resolve(REPO_ROOT, "..", "shared", ...SCHEMA_PARTS));
  });
});

describe("schema validation with xmllint", () => {
  it("accepts manifest.xml", (ctx) => {
    const dir = sharedDir(...SCHEMA_PARTS);
    if (!dir) return ctx.skip(sharedSkipMessage(...SCHEMA_PARTS));
    const result = validateWithSchema(MANIFEST_PATH, dir);
    expect(result.output).toMatch(/validates/);
    expect(result.ok).toBe(true);
  });

  it("accepts the production manifest", (ctx) => {
    const dir = sharedDir(...SCHEMA_PARTS);
    if (!dir) return ctx.skip(sharedSkipMessage(...SCHEMA_PARTS));
    const file = tempFile("manifest.xml", toProductionManifest(MANIFEST, "https://addins.example.com/imc/"));
    expect(validateWithSchema(file, dir)).toMatchObject({ ok: true });
  });

  it.for([
    { name: "an invalid Permissions value", from: "<Permissions>ReadWriteDocument</Permissions>", to: "<Permissions>Everything</Permissions>", expected: /Permissions/ },
    { name: "an unknown element", from: "<Permissions>ReadWriteDocument</Permissions>", to: "<Permissions>ReadWriteDocument</Permissions>\n  <Telemetry>on</Telemetry>", expected: /Telemetry/ },
    { name: "a Runtime without resid", from: '<Runtime resid="Taskpane.Url" lifetime="long"/>', to: '<Runtime lifetime="long"/>', expected: /resid/ },
  ])("rejects a copy with $name", (mutation, ctx) => {
    const dir = sharedDir(...SCHEMA_PARTS);
    if (!dir) return ctx.skip(sharedSkipMessage(...SCHEMA_PARTS));
    const file = tempFile("manifest.xml", mutate(MANIFEST, mutation.from, mutation.to));
    const result = validateWithSchema(file, dir);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(mutation.expected);
  });

  it("explains how to install xmllint when it is missing", (ctx) => {
    const dir = sharedDir(...SCHEMA_PARTS);
    if (!dir) return ctx.skip(sharedSkipMessage(...SCHEMA_PARTS));
    const savedPath = process.env.PATH;
    process.env.PATH = path.join(os.tmpdir(), "imc-no-such-bin");
    try {
      expect(() => validateWithSchema(MANIFEST_PATH, dir)).toThrow(/apt-get install -y libxml2-utils/);
    } finally {
      process.env.PATH = savedPath;
    }
  });
});
