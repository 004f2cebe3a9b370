// Every source file that declares `@customfunction`s, found by reading src/functions (so a new
// function file cannot be forgotten). webpack uses this list twice: as the `functions` entry and
// as the metadata plugin's input; a file missing from either would silently not be registered.
const fs = require("node:fs");
const path = require("node:path");

const FUNCTIONS_DIR = path.join(__dirname, "..", "src", "functions");

/** Relative paths (`./src/functions/x.ts`) of the files under src/functions that declare custom functions, sorted. */
function findFunctionFiles(dir = FUNCTIONS_DIR) {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
    .filter((name) => /^\s*\*\s*@customfunction\b/m.test(fs.readFileSync(path.join(dir, name), "utf8")))
    .sort()
    .map((name) => `./src/functions/${name}`);
}

module.exports.findFunctionFiles = findFunctionFiles;
module.exports.FUNCTION_FILES = findFunctionFiles();
