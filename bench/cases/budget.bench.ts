/**
 * IMC.ALLOCATE with 50 units called as Excel calls it (2-D arrays of cells, bounds and current
 * spend), the engine allocator alone on the same units, and an all-S-curve case (shapes 1.5–4,
 * where the grid climb's look-ahead scans are longest).
 */
import { allocateBudget, type AllocationUnit } from "../../src/engine/budget/allocate";
import { allocate } from "../../src/functions/budget";
import { installCustomFunctionsStub } from "../../test/support/customFunctions";
import { bench } from "../harness";
import { seededUniform } from "../../src/engine/math/random";

// The function modules read CustomFunctions only when called, so installing it here is in time.
installCustomFunctionsStub();


const UNITS = 50;
const BUDGET = 500_000;

function makeUnits(seed: number, shapes: [number, number]): AllocationUnit[] {
  const random = seededUniform(seed);
  return Array.from({ length: UNITS }, (_, i) => ({
    name: `Channel ${i + 1}`,
    curve: { ceiling: 20_000 + 200_000 * random(), halfSaturation: 2_000 + 40_000 * random(), shape: shapes[0] + (shapes[1] - shapes[0]) * random() },
    minSpend: i % 7 === 0 ? 1_000 : 0,
    maxSpend: i % 5 === 0 ? 20_000 : null,
    currentSpend: BUDGET / UNITS,
  }));
}

const mixed = makeUnits(2026, [0.6, 2.5]);
const sCurves = makeUnits(7, [1.5, 4]);
const cells = (units: AllocationUnit[]) => ({
  names: units.map((u) => [u.name]),
  ceilings: units.map((u) => [u.curve.ceiling]),
  halves: units.map((u) => [u.curve.halfSaturation]),
  shapes: units.map((u) => [u.curve.shape]),
  mins: units.map((u) => [u.minSpend ?? 0]),
  maxs: units.map((u) => [u.maxSpend ?? ""]),
  current: units.map((u) => [u.currentSpend ?? ""]),
});
const excel = cells(mixed);
const excelS = cells(sCurves);
const target = "≤ 50 ms";

bench({ name: "IMC.ALLOCATE 50 units (mixed shapes, bounds, current)", target, maxMedianMs: 50, maxPeakRssMb: 600, runs: 21 }, () => {
  const out = allocate([[BUDGET]], excel.names, excel.ceilings, excel.halves, excel.shapes, excel.mins, excel.maxs, excel.current);
  if (out.length !== UNITS + 4 || out[UNITS + 1][0] !== "Total") throw new Error("wrong result");
  return out;
});

bench({ name: "engine allocateBudget 50 units (no Excel coercion)", target, maxMedianMs: 50, maxPeakRssMb: 600, runs: 21 }, () => {
  const result = allocateBudget({ budget: BUDGET, units: mixed });
  if (!result.converged) throw new Error("not converged");
  return result;
});

bench({ name: "IMC.ALLOCATE 50 S-curve units (shapes 1.5–4)", target, maxMedianMs: 50, maxPeakRssMb: 600, runs: 21 }, () => {
  const out = allocate([[BUDGET]], excelS.names, excelS.ceilings, excelS.halves, excelS.shapes, excelS.mins, excelS.maxs, excelS.current);
  if (out.length !== UNITS + 4) throw new Error("wrong result");
  return out;
});

// For scale: 1,000 units (regions × channels), where the polish's λ solves dominate.
const many = cells(
  (() => {
    const random = seededUniform(1000);
    return Array.from({ length: 1000 }, (_, i): AllocationUnit => ({
      name: `Unit ${i + 1}`,
      curve: { ceiling: 20_000 + 200_000 * random(), halfSaturation: 2_000 + 40_000 * random(), shape: 0.6 + 1.9 * random() },
      minSpend: i % 7 === 0 ? 1_000 : 0,
      maxSpend: i % 5 === 0 ? 20_000 : null,
      currentSpend: 10_000,
    }));
  })(),
);
bench({ name: "IMC.ALLOCATE 1,000 units (mixed shapes)", target: "≤ 2000 ms", maxMedianMs: 2000, maxPeakRssMb: 600, runs: 5 }, () => {
  const out = allocate([[10_000_000]], many.names, many.ceilings, many.halves, many.shapes, many.mins, many.maxs, many.current);
  if (out.length !== 1000 + 4) throw new Error("wrong result");
  return out;
});
