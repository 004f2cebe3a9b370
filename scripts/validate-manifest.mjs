#!/usr/bin/env node
// Offline manifest check: `node scripts/validate-manifest.mjs [manifest.xml]` (npm run validate:offline).
//
// 1. cross references the schema cannot check (scripts/manifest-tools.cjs, manifestProblems): every resid
//    defined once, one resid for the shared runtime (Runtime, Page, FunctionFile, ShowTaskpane), namespace IMC;
// 2. the XML schema, with xmllint, when <repo>/../shared/schemas/office-addin-manifest exists. When it
//    does not, that part is skipped with a message, unless REQUIRE_SHARED=1 (CI), where absence fails.
//
// Exit code 0 when everything checked passed, 1 otherwise. `npm run validate` (office-addin-manifest)
// stays the authoritative check on machines with internet access.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { manifestProblems, validateWithSchema } = require("./manifest-tools.cjs");

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const schemaDir = path.resolve(repoRoot, "..", "shared", "schemas", "office-addin-manifest");
const requireShared = process.env.REQUIRE_SHARED === "1";

const args = process.argv.slice(2);
if (args.includes("-h") || args.includes("--help") || args.length > 1) {
  console.log("Usage: node scripts/validate-manifest.mjs [manifest.xml]\n(REQUIRE_SHARED=1: fail when the shared schemas are absent)");
  process.exit(args.length > 1 ? 1 : 0);
}
const manifestPath = path.resolve(args[0] ?? path.join(repoRoot, "manifest.xml"));
const relative = path.relative(process.cwd(), manifestPath);
const shown = relative && !relative.startsWith("..") ? relative : manifestPath;

if (!existsSync(manifestPath)) {
  console.error(`✗ ${shown}: file not found`);
  process.exit(1);
}

let failed = false;

// 1. Cross references
const problems = manifestProblems(readFileSync(manifestPath, "utf8"));
if (problems.length === 0) {
  console.log(`✓ ${shown}: resource references and shared runtime are consistent`);
} else {
  failed = true;
  console.error(`✗ ${shown}: ${problems.length} cross-reference problem(s):`);
  for (const p of problems) console.error(`  - ${p}`);
}

// 2. Schema
if (existsSync(schemaDir)) {
  try {
    const { ok, output } = validateWithSchema(manifestPath, schemaDir);
    if (ok) {
      console.log(`✓ ${shown}: valid against ${path.join(schemaDir, "OfficeAppManifestV1_1.xsd")} (xmllint)`);
    } else {
      failed = true;
      console.error(`✗ ${shown}: schema validation failed (xmllint):`);
      console.error(output.replace(/^/gm, "  "));
    }
  } catch (error) {
    failed = true;
    console.error(`✗ ${shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
} else if (requireShared) {
  failed = true;
  console.error(`✗ schema check impossible: ${schemaDir} is absent and REQUIRE_SHARED=1 requires it`);
} else {
  console.log(`- schema check skipped: ${schemaDir} is absent (set REQUIRE_SHARED=1 to make this a failure)`);
}

process.exit(failed ? 1 : 0);
