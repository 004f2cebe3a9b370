/**
 * Buyer-journey path statistics (IMC.PATHS): top paths, path lengths and channel roles in one pass.
 *
 * Journeys: the seeded synthetic journeys of the attribution benchmark (bench/data/journeys.ts: 10
 * channels, 1–15 touches, about 3% converting), as path text.
 *
 * Cases:
 * 1. 1,000,000 in-memory path rows through the engine (target ≤ 1 s);
 * 2. IMC.PATHS on a 100,000-row range, called as Excel calls it;
 * 3. IMC.PATHS on 1,000,000 rows, called as Excel calls it (target ≤ 1 s).
 */
import { PathStatsAggregator } from "../../src/engine/journeys/pathStats";
import { paths as pathsFunction } from "../../src/functions/journeys";
import { installCustomFunctionsStub } from "../../test/support/customFunctions";
import { journeySource } from "../data/journeys";
import { benchWithCpu } from "../cpuTime";

installCustomFunctionsStub();

function main(): void {
  const ROWS = 1_000_000;
  const next = journeySource(11);
  const paths = new Array<string>(ROWS);
  const conversions = new Float64Array(ROWS);
  const values = new Float64Array(ROWS);
  const nulls = new Float64Array(ROWS);
  let expectedJourneys = 0;
  for (let i = 0; i < ROWS; i++) {
    const j = next();
    paths[i] = j.path;
    conversions[i] = j.conversions;
    values[i] = j.value;
    nulls[i] = j.nulls;
    expectedJourneys += j.conversions + j.nulls;
  }
  benchWithCpu({ name: "paths: 1M path rows, top 10 + lengths + channel roles", target: "≤ 1000 ms", maxMedianMs: 1000, maxPeakRssMb: Infinity }, () => {
    const stats = new PathStatsAggregator(ROWS);
    for (let i = 0; i < ROWS; i++) stats.addPath(paths[i], ">", conversions[i], values[i], nulls[i], i + 1);
    const result = stats.result({ top: 10 });
    if (result.totals.journeys !== expectedJourneys) throw new Error(`expected ${expectedJourneys} journeys, got ${result.totals.journeys}`);
    return result;
  });

  const RANGE = 100_000;
  const pathCells = paths.slice(0, RANGE).map((p) => [p]);
  const conversionCells = Array.from(conversions.subarray(0, RANGE), (c) => [c]);
  const valueCells = Array.from(values.subarray(0, RANGE), (v) => [v]);
  const nullCells = Array.from(nulls.subarray(0, RANGE), (n) => [n]);
  benchWithCpu({ name: "IMC.PATHS 100k rows", target: "≤ 300 ms", maxMedianMs: 300, maxPeakRssMb: Infinity }, () => {
    const out = pathsFunction(pathCells, conversionCells, valueCells, nullCells, null as any);
    if (out[0][0] !== "Path") throw new Error("unexpected layout");
    return out;
  });

  const allPathCells = paths.map((p) => [p]);
  const allConversionCells = Array.from(conversions, (c) => [c]);
  const allValueCells = Array.from(values, (v) => [v]);
  const allNullCells = Array.from(nulls, (n) => [n]);
  benchWithCpu({ name: "IMC.PATHS 1M rows", target: "≤ 1000 ms", maxMedianMs: 1000, maxPeakRssMb: Infinity }, () => {
    const out = pathsFunction(allPathCells, allConversionCells, allValueCells, allNullCells, null as any);
    if (out[0][0] !== "Path") throw new Error("unexpected layout");
    return out;
  });
}

main();
