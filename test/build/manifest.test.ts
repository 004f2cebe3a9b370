// The production manifest that `npm run build` wrote to dist/ (npm test builds with
// IMC_BASE_URL=https://imc-analytics.example.com/addin/): no localhost left, every URL on the base,
// still schema-valid and cross-referenced, and every URL it names exists in dist/.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { manifestProblems, manifestUrls, validateWithSchema } from "../../scripts/manifest-tools.cjs";
import { REPO_ROOT, sharedDir, sharedSkipMessage } from "../support/shared";

const dist = path.join(REPO_ROOT, "dist");
const TEST_BASE_URL = "https://imc-analytics.example.com/addin/";
const read = () => readFileSync(path.join(dist, "manifest.xml"), "utf8");

describe("dist/manifest.xml (production)", () => {
  it("has no localhost URL and every URL on the production base", () => {
    const xml = read();
    expect(xml).not.toMatch(/localhost/i);
    const urls = manifestUrls(xml);
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) expect(url.startsWith(TEST_BASE_URL), url).toBe(true);
  });

  it("names only files that the build produced", () => {
    for (const url of manifestUrls(read())) {
      const file = path.join(dist, url.slice(TEST_BASE_URL.length));
      expect(existsSync(file), url).toBe(true);
    }
  });

  it("keeps the shared-runtime cross-references intact", () => {
    expect(manifestProblems(read())).toEqual([]);
  });

  it("validates against Office's manifest schema (xmllint)", (ctx) => {
    const schemas = sharedDir("schemas", "office-addin-manifest");
    if (!schemas) return ctx.skip(sharedSkipMessage("schemas", "office-addin-manifest"));
    const result = validateWithSchema(path.join(dist, "manifest.xml"), schemas);
    expect(result.output).toMatch(/validates/);
    expect(result.ok).toBe(true);
  });
});
