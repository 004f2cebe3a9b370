/**
 * Access to the reference data in the sibling `shared/` directory (`<repo>/../shared`: manifest schemas,
 * docs, sample data). That directory is not part of the repository and is not copied into it.
 *
 * Policy (docs/toolchain.md): a test that needs it SKIPS with a clear message when it is absent, except
 * when `REQUIRE_SHARED=1` (set in CI), where absence is a FAILURE.
 *
 * Call `sharedDir` inside the test body (not at module or describe level), so that a missing directory
 * fails or skips that one test:
 *
 * ```ts
 * it("validates against the schema", (ctx) => {
 *   const dir = sharedDir("schemas", "office-addin-manifest");
 *   if (!dir) return ctx.skip(sharedSkipMessage("schemas", "office-addin-manifest"));
 *   // ... use dir
 * });
 * ```
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (the directory holding package.json). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** `<repo>/../shared`. */
export const SHARED_ROOT = path.resolve(REPO_ROOT, "..", "shared");

/** True when the environment demands the shared data (`REQUIRE_SHARED=1`). */
export function sharedRequired(): boolean {
  return process.env.REQUIRE_SHARED === "1";
}

/** Message for a test skipped because `<repo>/../shared/<parts>` is absent. */
export function sharedSkipMessage(...parts: string[]): string {
  return `skipped: ${path.resolve(SHARED_ROOT, ...parts)} is absent (set REQUIRE_SHARED=1 to make this a failure)`;
}

/**
 * Absolute path of `<repo>/../shared/<parts…>` if it exists.
 * - absent and REQUIRE_SHARED is not "1": returns null (the caller skips, e.g. `ctx.skip(sharedSkipMessage(...))`);
 * - absent and REQUIRE_SHARED=1: throws, so the calling test fails.
 */
export function sharedDir(...parts: string[]): string | null {
  const target = path.resolve(SHARED_ROOT, ...parts);
  if (existsSync(target)) return target;
  if (sharedRequired()) {
    throw new Error(`Required shared data is missing: ${target} (REQUIRE_SHARED=1 makes its absence a failure).`);
  }
  return null;
}
