/**
 * Every custom function as Excel would call it, found from the sources: each `@customfunction ID`
 * JSDoc block in src/functions and the exported function it documents. Tests use it to evaluate the
 * README's and the catalogue's examples through the real modules, without a hand-kept list.
 *
 * Also a small parser for the literal formulas used in examples: numbers, TRUE/FALSE, "text",
 * omitted arguments and array constants such as {1,2;3,4} (rows split by `;`, as in Excel).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./shared";

export type CustomFunction = (...args: any[]) => unknown;

const FUNCTIONS_DIR = path.join(REPO_ROOT, "src", "functions");
const DECLARATION = /@customfunction[ \t]+([A-Za-z0-9_.]+)[^\n]*\n[\s\S]*?\*\/\s*export\s+(?:async\s+)?function\s+(\w+)/g;

/** Map from the Excel name (`IMC.CLV.FIT`) to the exported function, for every declared custom function. */
export async function loadCustomFunctions(): Promise<Map<string, CustomFunction>> {
  const registry = new Map<string, CustomFunction>();
  for (const file of readdirSync(FUNCTIONS_DIR).filter((name) => name.endsWith(".ts")).sort()) {
    const source = readFileSync(path.join(FUNCTIONS_DIR, file), "utf8");
    const declarations = [...source.matchAll(DECLARATION)];
    if (declarations.length === 0) continue;
    const module = (await import(path.join(FUNCTIONS_DIR, file))) as Record<string, unknown>;
    for (const [, id, exportName] of declarations) {
      const fn = module[exportName];
      if (typeof fn !== "function") throw new Error(`${file}: @customfunction ${id} documents ${exportName}, which is not exported`);
      if (registry.has(`IMC.${id}`)) throw new Error(`${file}: @customfunction ${id} is declared twice`);
      registry.set(`IMC.${id}`, fn as CustomFunction);
    }
  }
  return registry;
}

/** An argument as Excel passes it: a 2-D array of cells, or null when omitted. */
export type ExcelArgument = unknown[][] | null;

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === "{") depth++;
    else if (!quoted && ch === "}") depth--;
    else if (!quoted && depth === 0 && ch === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}

function parseScalar(raw: string): { ok: true; value: unknown } | { ok: false } {
  if (/^(TRUE|FALSE)$/i.test(raw)) return { ok: true, value: raw.toUpperCase() === "TRUE" };
  if (/^-?\d+(\.\d+)?(e-?\d+)?%?$/i.test(raw)) {
    return { ok: true, value: raw.endsWith("%") ? Number(raw.slice(0, -1)) / 100 : Number(raw) };
  }
  if (/^"([^"]|"")*"$/.test(raw)) return { ok: true, value: raw.slice(1, -1).replace(/""/g, '"') };
  return { ok: false };
}

/**
 * Parses a literal formula such as `=IMC.CLV(100, 0.8, 0.1, , TRUE)` or
 * `=IMC.ATTRIBUTE({"A > B";"B"}, {3;1}, "linear")` into its name and Excel-style arguments; null when
 * an argument is a cell reference or anything else that needs a sheet.
 */
export function parseFormula(formula: string): { name: string; args: ExcelArgument[] } | null {
  const match = /^=([A-Z][A-Z.]*)\(([\s\S]*)\)$/.exec(formula.trim());
  if (!match) return null;
  const args: ExcelArgument[] = [];
  const rawArgs = match[2].trim() === "" ? [] : splitTopLevel(match[2], ",");
  for (const raw of rawArgs) {
    if (raw === "") {
      args.push(null);
    } else if (raw.startsWith("{") && raw.endsWith("}")) {
      const rows = splitTopLevel(raw.slice(1, -1), ";").map((row) => splitTopLevel(row, ",").map(parseScalar));
      if (rows.some((row) => row.length !== rows[0].length || row.some((cell) => !cell.ok))) return null;
      args.push(rows.map((row) => row.map((cell) => (cell as { value: unknown }).value)));
    } else {
      const scalar = parseScalar(raw);
      if (!scalar.ok) return null;
      args.push([[scalar.value]]);
    }
  }
  return { name: match[1], args };
}
