/**
 * `npm run bench`: runs every benchmark case in its own Node process (so peak memory is the
 * case's own) and prints a table of figures against their targets. Benchmarks measure; they never
 * fail the build (tests check correctness, benchmarks report speed). `npm run bench -- clv` runs
 * the cases whose name contains "clv".
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchFigure } from "./harness";

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? "";
const cases = readdirSync(path.join(here, "cases"))
  .filter((file) => file.endsWith(".bench.ts") && file.includes(filter))
  .sort();

console.log(`IMC Analytics benchmarks — node ${process.version}, ${process.platform}/${process.arch}`);
const rows: BenchFigure[] = [];
for (const file of cases) {
  const result = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", path.join(here, "cases", file)], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) {
    console.error(`${file} failed:\n${result.stderr}`);
    process.exitCode = 1;
    continue;
  }
  for (const line of result.stdout.split("\n")) {
    if (line.startsWith("BENCH ")) rows.push(JSON.parse(line.slice(6)) as BenchFigure);
    else if (line.trim()) console.log(line);
  }
}

const header = ["case", "median", "min", "runs", "peak RSS", "target", "verdict"];
const table = rows.map((row) => [
  row.name,
  `${row.medianMs.toFixed(1)} ms`,
  `${row.minMs.toFixed(1)} ms`,
  String(row.runs),
  `${row.peakRssMb.toFixed(0)} MB`,
  row.target,
  row.withinTarget ? "within target" : "OVER TARGET",
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
console.log(format(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of table) console.log(format(row));
