/**
 * Buyer-journey custom function: IMC.PATHS (the most frequent paths, path lengths and channel roles).
 *
 * Thin adapter: Excel arguments → the engine's one-pass path statistics → one spilled table of five
 * columns in three sections, each opened by its own header row, with one blank row between them
 * (documented in the README; the layout is stable):
 *
 * 1. `Path | Journeys | Conversions | Conversion rate | Value`: the `top` paths (default 10) by
 *    journeys (conversions + nulls), descending, ties by path text; fewer rows when there are fewer
 *    distinct paths. Value is blank without `values`; the rate is blank for a path with no journey.
 * 2. `Path length (touches) | Journeys | Conversions | Conversion rate | Value`: always ten rows,
 *    "1 touch", "2 touches", …, "9 touches", "10+ touches".
 * 3. `Channel | First touch share | Assisting touch share | Last touch share | Converting journeys
 *    touched`: one row per channel, by the share of converting journeys it touches, descending, ties
 *    by name. Shares are weighted by conversions; each of the three role columns adds up to 100%
 *    (assisting: touches between the first and the last; all 0% when no converting path has three
 *    touches); a one-touch journey counts as both first and last.
 */

import { toNumber, toText } from "../engine/data/cells";
import { alignRows, toColumn } from "../engine/data/range";
import { EngineError, invalidArgument } from "../engine/errors";
import { DEFAULT_TOP_PATHS, PathStatsAggregator, type PathStats } from "../engine/journeys/pathStats";
import { optionNumber } from "./arguments";
import { spill, type SpillCell } from "./table";

/** The channel separator of path text (as IMC.ATTRIBUTE's default). */
const SEPARATOR = ">";

/** Header of the path-length section's first column. */
export const LENGTH_HEADER = "Path length (touches)";

/** The label of a length band: "1 touch", "2 touches", "10+ touches". */
export function lengthLabel(touches: number, orMore: boolean): string {
  if (orMore) return `${touches}+ touches`;
  return touches === 1 ? "1 touch" : `${touches} touches`;
}

/**
 * The spilled rows of IMC.PATHS (see the file comment), header rows included. Pure.
 *
 * @param stats the engine's statistics.
 * @param hasValue whether a value column was given (else the Value cells are blank).
 * @returns rows of five cells.
 */
export function pathRows(stats: PathStats, hasValue: boolean): SpillCell[][] {
  const blank: SpillCell[] = [null, null, null, null, null];
  const rows: SpillCell[][] = [["Path", "Journeys", "Conversions", "Conversion rate", "Value"]];
  for (const p of stats.topPaths) rows.push([p.path, p.journeys, p.conversions, p.conversionRate, hasValue ? p.value : null]);
  rows.push(blank.slice());
  rows.push([LENGTH_HEADER, "Journeys", "Conversions", "Conversion rate", "Value"]);
  for (const band of stats.lengths) {
    rows.push([lengthLabel(band.touches, band.orMore), band.journeys, band.conversions, band.conversionRate, hasValue ? band.value : null]);
  }
  rows.push(blank.slice());
  rows.push(["Channel", "First touch share", "Assisting touch share", "Last touch share", "Converting journeys touched"]);
  for (const role of stats.roles) rows.push([role.channel, role.firstShare, role.assistShare, role.lastShare, role.touchedShare]);
  return rows;
}

/** Rows of one cell each, the form in which Excel sends a column. */
type ColumnRows = readonly (readonly unknown[])[];

/**
 * A one-column or one-row range as rows of one cell: Excel's column (rows of one cell) as it is, since
 * copying a million cells is much of IMC.PATHS's time; anything else through toColumn (its checks
 * and messages), a row's cells then each in a row of its own.
 */
function columnRows(range: unknown, argument: string): ColumnRows {
  if (Array.isArray(range) && range.length > 1) {
    let r = 0;
    while (r < range.length && Array.isArray(range[r]) && (range[r] as unknown[]).length === 1) r++;
    if (r === range.length) return range as ColumnRows;
  }
  return toColumn(range, argument).map((cell) => [cell]);
}

/** Rows kept at the end of a column for {@link alignColumnRows}'s first try. */
const TAIL_ROWS = 1024;

/**
 * alignRows (trailing blank rows, a 0 counting as blank) over columns given as rows of one cell: when
 * the sizes agree, on their last rows only, which is enough unless those are all blank; otherwise on
 * the whole columns, for the same count or message.
 */
function alignColumnRows(columns: readonly { argument: string; rows: ColumnRows }[]): number {
  const length = columns[0].rows.length;
  const tail = Math.min(length, TAIL_ROWS);
  const sameSize = columns.every((c) => c.rows.length === length);
  if (sameSize) {
    const kept = alignRows(
      columns.map((c) => ({ argument: c.argument, values: c.rows.slice(length - tail).map((row) => row[0]) })),
      { zeroIsBlank: true },
    );
    if (kept > 0 || tail === length) return length - tail + kept;
  }
  return alignRows(
    columns.map((c) => ({ argument: c.argument, values: c.rows.map((row) => row[0]) })),
    { zeroIsBlank: true },
  );
}

/** Cell `i` of a number column as `toNumber` reads it (a finite number as it is). */
function numberAt(cells: ColumnRows, argument: string, i: number): number {
  const cell = cells[i][0];
  return typeof cell === "number" && cell - cell === 0 ? cell : toNumber(cell, argument, i + 1);
}

/** Throws `toNumber`'s error for the first of the `rowCount` cells that is not a number, as `numberColumn` does. */
function checkNumbers(cells: ColumnRows, argument: string, rowCount: number): void {
  for (let i = 0; i < rowCount; i++) numberAt(cells, argument, i);
}

/** Reads the top argument: a whole number ≥ 1, default 10. */
function topOption(range: unknown): number {
  const top = optionNumber(range, "top");
  if (top === null) return DEFAULT_TOP_PATHS;
  if (!Number.isInteger(top) || top < 1) throw invalidArgument("top", `${String(top)} must be a whole number of paths, 1 or more`);
  return top;
}

/**
 * The most frequent buyer journeys and how they convert: top paths, conversion by path length, and each channel's role (opens, assists, closes). Example: =IMC.PATHS({"Email > Search";"Search";"Email > Search"}, {1;2;1}, , {3;2;1}).
 * @customfunction PATHS
 * @param paths Journey paths, one per row: channels in time order separated by ">" (e.g. Email > Search > Direct). Repeated paths are added up.
 * @param conversions Conversions of each path (0 or more).
 * @param [values] Total conversion value of each path (0 or more). Leave out for conversions only.
 * @param [nulls] Journeys with each path that did not convert (0 or more). Without them every journey counts as converting.
 * @param [top] How many paths to list, most journeys first. Default 10.
 * @returns Three blocks, each under its own header row: Path | Journeys | Conversions | Conversion rate | Value; then conversion by path length (1 to 10+ touches); then per channel its share of first, assisting and last touches in converting journeys.
 */
export function paths(paths: any[][], conversions: any[][], values?: any[][], nulls?: any[][], top?: any[][]): any[][] {
  return spill("IMC.PATHS", () => {
    const count = topOption(top);
    const pathCells = columnRows(paths, "paths");
    const conversionCells = columnRows(conversions, "conversions");
    const valueCells = values === null || values === undefined ? null : columnRows(values, "values");
    const nullCells = nulls === null || nulls === undefined ? null : columnRows(nulls, "nulls");
    const rowCount = alignColumnRows([
      { argument: "paths", rows: pathCells },
      { argument: "conversions", rows: conversionCells },
      ...(valueCells ? [{ argument: "values", rows: valueCells }] : []),
      ...(nullCells ? [{ argument: "nulls", rows: nullCells }] : []),
    ]);
    if (rowCount === 0) throw new EngineError("INSUFFICIENT_DATA", "paths: the ranges are blank; no journeys to summarise", { argument: "paths" });
    // Each number column is checked whole first (its first bad cell is the error, before any path is
    // read), then read again row by row: no Float64Array per column, so that with the engine's tables a
    // million rows stay under the new memory after which V8 collects the whole heap.
    checkNumbers(conversionCells, "conversions", rowCount);
    if (valueCells) checkNumbers(valueCells, "values", rowCount);
    if (nullCells) checkNumbers(nullCells, "nulls", rowCount);
    const stats = new PathStatsAggregator(rowCount);
    for (let i = 0; i < rowCount; i++) {
      const cell = pathCells[i][0];
      const text = typeof cell === "string" && cell.length > 0 ? cell : toText(cell, "paths", i + 1);
      const value = valueCells ? numberAt(valueCells, "values", i) : 0;
      const nullCount = nullCells ? numberAt(nullCells, "nulls", i) : 0;
      stats.addPath(text, SEPARATOR, numberAt(conversionCells, "conversions", i), value, nullCount, i + 1);
    }
    return pathRows(stats.result({ top: count }), valueCells !== null);
  });
}
