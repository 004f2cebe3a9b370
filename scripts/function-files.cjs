// Every source file that declares `@customfunction`s. webpack uses this list twice: as the
// `functions` entry and as the metadata plugin's input (a file missing from either is silently not
// registered); test/build checks that every such file under src/functions is listed here.
module.exports.FUNCTION_FILES = ["./src/functions/clv.ts"];
