#!/usr/bin/env node
// The `imc` runner: registers tsx (a dependency) as Node's loader for TypeScript, exactly as
// `node --import tsx` does, so the runner needs no build step and commands can load their heavy
// modules lazily with import(). Everything else lives in src/cli/main.ts.
await import("tsx");
// The package is CommonJS, so the TypeScript module arrives as a CommonJS namespace.
const cli = await import("../src/cli/main.ts");
const main = cli.main ?? cli.default.main;
process.exitCode = await main(process.argv.slice(2));
