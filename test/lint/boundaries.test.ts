// The architecture rules are checked mechanically; these tests prove the checks bite: ESLint
// rejects Office/DOM/React/network/clock/randomness in src/engine, Office globals in components and
// network calls anywhere in src; the engine's tsconfig (no DOM lib, no @types) rejects `window`.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..", "..");
const eslint = new ESLint({ cwd: root });

async function ruleIdsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.map((message) => `${message.ruleId}: ${message.message.split(":")[0]}`);
}

// The first lint builds the TypeScript program for the whole project, which takes seconds on a
// loaded 2-core machine: allow more than vitest's default 5 s.
describe("ESLint architecture rules", { timeout: 60_000 }, () => {
  it("src/engine may not import React, Office tooling, Node APIs or outer layers", async () => {
    const messages = await ruleIdsFor(
      "src/engine/clv/probe.ts",
      [
        'import { useState } from "react";',
        'import { readFileSync } from "node:fs";',
        'import { clv } from "../../functions/clv";',
        "export const probe = [useState, readFileSync, clv];",
      ].join("\n"),
    );
    expect(messages.filter((m) => m.startsWith("no-restricted-imports"))).toHaveLength(3);
  });

  it("src/engine may not read the clock, randomness, the DOM, Office or the network", async () => {
    const messages = await ruleIdsFor(
      "src/engine/math/probe.ts",
      [
        "export const a = Math.random();",
        "export const b = Date.now();",
        "export const c = new Date();",
        "export const d = window.innerWidth;",
        "export const e = Excel;",
        'export const f = fetch("https://example.com");',
      ].join("\n"),
    );
    expect(messages.filter((m) => m.startsWith("no-restricted-properties"))).toHaveLength(2);
    expect(messages.filter((m) => m.startsWith("no-restricted-syntax"))).toHaveLength(1);
    expect(messages.filter((m) => m.startsWith("no-restricted-globals"))).toHaveLength(3);
  });

  it("task-pane components may not touch Excel or Office directly", async () => {
    const messages = await ruleIdsFor("src/taskpane/Probe.tsx", "export const run = () => Excel.run(async () => Office.context);");
    expect(messages.filter((m) => m.startsWith("no-restricted-globals"))).toHaveLength(2);
  });

  it("nothing in src may call the network", async () => {
    for (const file of ["src/functions/probe.ts", "src/excel/probe.ts", "src/taskpane/probe.ts"]) {
      const messages = await ruleIdsFor(file, 'export const p = fetch("https://example.com"); export const x = new XMLHttpRequest();');
      expect(messages.filter((m) => m.startsWith("no-restricted-globals")), file).toHaveLength(2);
    }
  });

  it("the real engine sources pass these rules", async () => {
    const results = await eslint.lintFiles(["src/engine/**/*.ts"]);
    expect(results.length).toBeGreaterThan(3);
    expect(results.flatMap((result) => result.messages.map((m) => `${result.filePath}:${m.line} ${m.ruleId}`))).toEqual([]);
  });
});

describe("src/engine/tsconfig.json (no DOM lib, no @types)", () => {
  function diagnosticsFor(code: string): string[] {
    const configPath = path.join(root, "src", "engine", "tsconfig.json");
    const config = ts.parseJsonConfigFileContent(ts.parseConfigFileTextToJson(configPath, readFileSync(configPath, "utf8")).config, ts.sys, path.dirname(configPath));
    const probe = path.join(root, "src", "engine", "__probe__.ts");
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile.bind(host);
    host.readFile = (file) => (path.resolve(file) === probe ? code : readFile(file));
    host.fileExists = ((exists) => (file: string) => path.resolve(file) === probe || exists(file))(host.fileExists.bind(host));
    const program = ts.createProgram([probe], config.options, host);
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }

  it("rejects window, document and Excel", () => {
    const messages = diagnosticsFor("export const a = window; export const b = document; export const c = Excel;");
    expect(messages.filter((m) => /Cannot find name '(window|document|Excel)'/.test(m))).toHaveLength(3);
  });

  it("accepts plain ES2022", () => {
    expect(diagnosticsFor("export const a = Math.max(1, 2); export const b = new Map<string, number>();")).toEqual([]);
  });
});
