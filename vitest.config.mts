import { defineConfig } from "vitest/config";

/**
 * Four projects, run in order of cost by `npm test` (scripts/test.mjs):
 * unit (pure engine, function adapters, Office mock), dom (React in happy-dom),
 * build (checks on the production bundle in dist/), browser (real bundle in Chromium).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          environment: "node",
          include: ["test/engine/**/*.test.ts", "test/functions/**/*.test.ts", "test/excel/**/*.test.ts", "test/lint/**/*.test.ts", "test/scripts/**/*.test.ts", "test/reports/**/*.test.ts", "test/sample/**/*.test.ts", "test/cli/**/*.test.ts", "test/sql/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "dom",
          environment: "happy-dom",
          include: ["test/taskpane/**/*.test.tsx", "test/taskpane/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "build",
          environment: "node",
          include: ["test/build/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "browser",
          environment: "node",
          include: ["test/browser/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
