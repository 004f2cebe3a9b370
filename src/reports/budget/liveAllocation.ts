/**
 * The target plan's optimal spends as live formulas: where the add-in's custom functions are present
 * (a tab written by the task pane), each optimal spend is `IMC.ALLOCATE` over the table's own input
 * cells (budget allocated, names, ceilings, half-saturation spends, shapes), so changing an
 * assumption re-optimises the split. Elsewhere (the runner's .xlsx, opened where the add-in may be
 * absent) the spends stay the engine's snapshot.
 *
 * IMC.ALLOCATE spills a table (header, one row per unit in the order given, Total; README
 * "IMC.ALLOCATE"). A spill cannot live inside an Excel table (#SPILL!), so each cell takes its own
 * number with INDEX: unit i's spend is row i + 2, column 2 (Spend); the common marginal ROI is the
 * Total row's column 6 (Marginal ROI). Every reference is absolute.
 */

import { a1Range } from "../sheet";

/** The Spend column of IMC.ALLOCATE's table (1-based, for INDEX). */
const SPEND_COLUMN = 2;
/** The Marginal ROI column of IMC.ALLOCATE's table (1-based, for INDEX). */
const MARGINAL_ROI_COLUMN = 6;

/** The note over a live allocation table, in place of the snapshot sentence. */
export const LIVE_NOTE = "Optimal spend is recomputed by IMC.ALLOCATE from the inputs above: change an assumption and the allocation follows.";

/** IMC.ALLOCATE's arguments as formula text (absolute references or expressions of them). */
export interface AllocateArguments {
  readonly budget: string;
  readonly units: string;
  readonly ceilings: string;
  readonly halfSaturations: string;
  readonly shapes: string;
}

/** A column of `n` table rows from `top` (the first data row), absolute: "$C$12:$C$15". */
export function columnRange(top: number, column: number, n: number): string {
  return a1Range({ row: top, column, rowCount: n, columnCount: 1 }, true);
}

/** An absolute single cell from a relative A1 address kept in CellAddresses ("B7" → "$B$7"). */
export function absolute(address: string): string {
  return address.replace(/^([A-Z]+)(\d+)$/, "$$$1$$$2");
}

function allocate(args: AllocateArguments): string {
  return `IMC.ALLOCATE(${args.budget},${args.units},${args.ceilings},${args.halfSaturations},${args.shapes})`;
}

/** Unit i's (0-based) optimal spend. */
export function liveSpend(args: AllocateArguments, i: number): string {
  return `INDEX(${allocate(args)},${i + 2},${SPEND_COLUMN})`;
}

/** The common marginal ROI at the optimum (the Total row), for `n` units. */
export function liveMarginalRoi(args: AllocateArguments, n: number): string {
  return `INDEX(${allocate(args)},${n + 2},${MARGINAL_ROI_COLUMN})`;
}

/**
 * Whether the optimal spends can be IMC.ALLOCATE formulas: asked for; the allocation converged
 * (otherwise IMC.ALLOCATE gives #VALUE!, not the engine's approximate split); and no unit has a
 * minimum or maximum spend (the table has no cells for them, so the formula could not pass them).
 */
export function allocatesLive(asked: boolean, converged: boolean, units: readonly { readonly minSpend?: number; readonly maxSpend?: number | null }[]): boolean {
  return asked && converged && units.every((unit) => (unit.minSpend ?? 0) === 0 && (unit.maxSpend ?? null) === null);
}

/**
 * Formulas of a cell that must hold at any spend once the spend is live (a unit left at 0 may be
 * funded after a change): a ratio blank at zero spend, and the curve's slope with its limit at 0
 * (shape 1: ceiling ÷ half-saturation; S-curve: 0; below 1: unbounded, blank).
 */
export function ratioOrBlank(numerator: string, denominator: string): string {
  return `IF(${denominator}>0,${numerator}/${denominator},"")`;
}

export function slopeOrLimit(slope: string, spend: string, ceiling: string, half: string, shape: string): string {
  return `IF(${spend}>0,${slope},IF(${shape}=1,${ceiling}/${half},IF(${shape}>1,0,"")))`;
}
