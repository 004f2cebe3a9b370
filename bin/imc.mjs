#!/usr/bin/env node
// The `imc` runner: loads the TypeScript sources through tsx (a dependency), so the runner needs no
// build step. Everything else lives in src/cli/main.ts.
import { tsImport } from "tsx/esm/api";

const { main } = await tsImport("../src/cli/main.ts", import.meta.url);
process.exitCode = await main(process.argv.slice(2));
