// Lint: typescript-eslint plus the architecture rules of docs/style.md, checked mechanically.
// Dependencies point inward: engine ← functions/reports/cli; excel/taskpane ← reports/engine.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const NETWORK_GLOBALS = ["fetch", "XMLHttpRequest", "WebSocket", "EventSource"].map((name) => ({
  name,
  message: "Customer data never leaves the workbook: no network calls from the add-in.",
}));

const OFFICE_GLOBALS = ["Excel", "Office", "OfficeRuntime"].map((name) => ({
  name,
  message: "Office.js code lives in src/excel/; components talk to the workbook through WorkbookPort.",
}));

const ENGINE_RESTRICTED_GLOBALS = [
  ...NETWORK_GLOBALS,
  ...OFFICE_GLOBALS,
  ...["window", "document", "navigator", "localStorage", "CustomFunctions", "process", "setTimeout", "setInterval"].map((name) => ({
    name,
    message: "src/engine is pure: no DOM, Office, Node or timers (inject what you need).",
  })),
];

const NOT_IN_ENGINE = [
  { group: ["react", "react-*", "react/*", "@fluentui/*", "office-*", "@microsoft/*", "exceljs"], message: "src/engine is pure: no UI, Office or I/O libraries." },
  { group: ["node:*", "fs", "path", "os", "child_process", "http", "https", "net"], message: "src/engine is pure: no Node APIs (the runner in src/cli does I/O)." },
  { group: ["**/excel/**", "**/taskpane/**", "**/functions/**", "**/reports/**", "**/cli/**", "**/commands/**"], message: "src/engine depends on nothing outside src/engine." },
];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "out/**", "test-results/**", ".bench/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-floating-promises": "off",
    },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    rules: { "no-restricted-globals": ["error", ...NETWORK_GLOBALS] },
  },
  {
    files: ["src/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: NOT_IN_ENGINE }],
      "no-restricted-globals": ["error", ...ENGINE_RESTRICTED_GLOBALS],
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "Inject a seeded random source; the engine has no hidden randomness." },
        { object: "Date", property: "now", message: "Inject the clock (e.g. an as_of date); the engine has no hidden clock." },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Inject the clock; `new Date()` reads it." },
      ],
    },
  },
  {
    // Report builders and the sample business are pure like the engine (the writers in src/cli and
    // src/excel do the I/O); they may use the engine.
    files: ["src/reports/**/*.ts", "src/sample/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            NOT_IN_ENGINE[0],
            NOT_IN_ENGINE[1],
            { group: ["**/excel/**", "**/taskpane/**", "**/functions/**", "**/cli/**", "**/commands/**"], message: "Report builders depend only on the engine." },
          ],
        },
      ],
      "no-restricted-globals": ["error", ...ENGINE_RESTRICTED_GLOBALS],
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "Inject a seeded random source." },
        { object: "Date", property: "now", message: "Inject the clock (ReportContext.generatedAt)." },
      ],
      "no-restricted-syntax": ["error", { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Inject the clock; `new Date()` reads it." }],
    },
  },
  {
    files: ["src/functions/**/*.ts"],
    rules: {
      // Office's metadata generator needs `any[][]` for ranges of mixed cells.
      "@typescript-eslint/no-explicit-any": "off",
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/excel/**", "**/taskpane/**", "**/reports/**", "react", "react-*", "@fluentui/*"], message: "Custom functions are thin adapters over the engine; they do not write to the workbook or render UI." }] },
      ],
    },
  },
  {
    files: ["src/taskpane/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-globals": ["error", ...NETWORK_GLOBALS, ...OFFICE_GLOBALS],
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/functions/*", "!**/catalogue/**"], message: "The task pane reaches the workbook through src/excel and computes through src/engine or src/reports." }] },
      ],
    },
  },
  {
    files: ["**/*.cjs", "webpack.config.js"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
  {
    files: ["test/**/*.{ts,tsx}", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
);
