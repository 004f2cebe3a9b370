/**
 * Recalculation of generated tabs in a real formula engine (HyperFormula, tests only): a ReportSheet
 * or a plain grid becomes a HyperFormula sheet, so tests can check that every formula evaluates to
 * the value it carries, and change input cells to see the formulas follow.
 *
 * Text is always written as text (with HyperFormula's leading apostrophe), so that "0", "50%" or
 * "2024-01-01" in a label or an id stay the text they are in the sheet instead of being read as numbers
 * or dates.
 */
import { HyperFormula, type CellValue as HfCellValue, type RawCellContent } from "hyperformula";
import { expect } from "vitest";
import { a1, blockRange, isFormulaCell, type Block, type Cell, type ReportSheet } from "../../src/reports/sheet";

/** A formula of a loaded sheet: where it is, its text (without "="), and the value the sheet says it has. */
export interface LoadedFormula {
  readonly row: number;
  readonly column: number;
  readonly formula: string;
  /** The value stored with it (a ReportSheet's or a grid's `{ formula, value }`); undefined for a grid's "=formula" string. */
  readonly expected: unknown;
}

/** A sheet loaded into HyperFormula. Call destroy() when done with it. */
export interface LoadedSheet {
  readonly hf: HyperFormula;
  readonly sheetId: number;
  /** Every formula cell, in row-major order. */
  readonly formulas: readonly LoadedFormula[];
  /** HyperFormula's value of a cell (0-based row and column), recomputed after any setValue. */
  valueAt(row: number, column: number): HfCellValue;
  /** Writes a value into a cell: text as text, numbers, booleans, null for blank; the formulas recompute. */
  setValue(row: number, column: number, value: string | number | boolean | null): void;
  destroy(): void;
}

/** A formula recomputed by HyperFormula next to the value the sheet stores. */
export interface RecomputedFormula {
  /** A1 address, e.g. "B7". */
  readonly address: string;
  readonly formula: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

const CONFIG = { licenseKey: "gpl-v3" } as const;

/** HyperFormula content for a value: text behind an apostrophe so it stays text. */
function valueContent(value: string | number | boolean | null): RawCellContent {
  return typeof value === "string" ? `'${value}` : value;
}

function build(grid: RawCellContent[][], formulas: LoadedFormula[], name: string): LoadedSheet {
  const hf = HyperFormula.buildFromSheets({ [name]: grid }, CONFIG);
  const sheetId = hf.getSheetId(name)!;
  formulas.sort((a, b) => a.row - b.row || a.column - b.column);
  return {
    hf,
    sheetId,
    formulas,
    valueAt: (row, column) => hf.getCellValue({ sheet: sheetId, row, col: column }),
    setValue: (row, column, value) => {
      hf.setCellContents({ sheet: sheetId, row, col: column }, [[valueContent(value)]]);
    },
    destroy: () => hf.destroy(),
  };
}

/** Each cell a block writes, with its sheet position (table header, rows, totals; cells rows as long as they are). */
function* blockCells(block: Block): Generator<{ row: number; column: number; cell: Cell }> {
  const rows: readonly (readonly Cell[])[] = block.kind === "table" ? [block.headers, ...block.rows, ...(block.totals ? [block.totals] : [])] : block.values;
  for (let r = 0; r < rows.length; r++) {
    for (let c = 0; c < rows[r].length; c++) yield { row: block.row + r, column: block.column + c, cell: rows[r][c] };
  }
}

/**
 * A ReportSheet as a HyperFormula sheet: formulas as "=formula", text as text, numbers, booleans and
 * blanks as they are. Where blocks overlap the first block's cell is taken, as cellAt does.
 * @param name the HyperFormula sheet name (formulas of a ReportSheet refer only to their own sheet)
 */
export function loadReportSheet(sheet: Pick<ReportSheet, "blocks">, name = "Sheet"): LoadedSheet {
  let rows = 0;
  let columns = 0;
  for (const block of sheet.blocks) {
    const range = blockRange(block);
    rows = Math.max(rows, range.row + range.rowCount);
    columns = Math.max(columns, range.column + range.columnCount);
  }
  const grid: RawCellContent[][] = Array.from({ length: rows }, () => new Array<RawCellContent>(columns).fill(null));
  const written: boolean[][] = Array.from({ length: rows }, () => new Array<boolean>(columns).fill(false));
  const formulas: LoadedFormula[] = [];
  for (const block of sheet.blocks) {
    for (const { row, column, cell } of blockCells(block)) {
      if (written[row][column]) continue;
      written[row][column] = true;
      if (isFormulaCell(cell)) {
        grid[row][column] = `=${cell.formula}`;
        formulas.push({ row, column, formula: cell.formula, expected: cell.value });
      } else grid[row][column] = valueContent(cell);
    }
  }
  return build(grid, formulas, name);
}

/**
 * A plain grid (rows of cells, row 0 = sheet row 1, e.g. a worksheet read back from an xlsx) as a
 * HyperFormula sheet: strings starting with "=" are formulas (no expected value), `{ formula, value }`
 * objects are formulas (text without "=") with the value stored with them, other strings text,
 * numbers, booleans and null/undefined (blank) as they are. Any other cell (a Date, another object)
 * is a test error.
 */
export function loadGrid(grid: readonly (readonly unknown[])[], name = "Sheet"): LoadedSheet {
  const formulas: LoadedFormula[] = [];
  return build(gridContent(grid, formulas), formulas, name);
}

/** A grid's HyperFormula content (see {@link loadGrid}), collecting its formulas. */
function gridContent(grid: readonly (readonly unknown[])[], formulas: LoadedFormula[]): RawCellContent[][] {
  return grid.map((line, row) =>
    line.map((cell, column): RawCellContent => {
      if (cell === null || cell === undefined) return null;
      if (typeof cell === "string" && cell.startsWith("=")) {
        formulas.push({ row, column, formula: cell.slice(1), expected: undefined });
        return cell;
      }
      if (typeof cell === "object" && "formula" in cell && typeof cell.formula === "string" && "value" in cell) {
        formulas.push({ row, column, formula: cell.formula, expected: cell.value });
        return `=${cell.formula}`;
      }
      if (typeof cell === "string" || typeof cell === "number" || typeof cell === "boolean") return valueContent(cell);
      throw new Error(`loadGrid: cell ${a1(row, column)} is neither a value nor a formula: ${JSON.stringify(cell)}`);
    }),
  );
}

/**
 * Several grids (as {@link loadGrid} reads them) as the sheets of one HyperFormula workbook, so that
 * formulas referring to another sheet (`'Budget'!$B$40`, the Scorecard's) compute; every formula of
 * every sheet recomputed, next to the value stored with it.
 */
export function recomputedGrids(grids: Readonly<Record<string, readonly (readonly unknown[])[]>>): (RecomputedFormula & { readonly sheet: string })[] {
  const formulasOf = new Map<string, LoadedFormula[]>();
  const sheets: Record<string, RawCellContent[][]> = {};
  for (const [name, grid] of Object.entries(grids)) {
    const formulas: LoadedFormula[] = [];
    sheets[name] = gridContent(grid, formulas);
    formulasOf.set(name, formulas);
  }
  const hf = HyperFormula.buildFromSheets(sheets, CONFIG);
  try {
    return [...formulasOf].flatMap(([sheet, formulas]) => {
      const sheetId = hf.getSheetId(sheet)!;
      return formulas.map((f) => ({ sheet, address: a1(f.row, f.column), formula: f.formula, expected: f.expected, actual: hf.getCellValue({ sheet: sheetId, row: f.row, col: f.column }) }));
    });
  } finally {
    hf.destroy();
  }
}

/** Every formula of a loaded sheet with HyperFormula's value now, next to the value stored with it. */
export function recomputed(loaded: LoadedSheet): RecomputedFormula[] {
  return loaded.formulas.map((f) => ({ address: a1(f.row, f.column), formula: f.formula, expected: f.expected, actual: loaded.valueAt(f.row, f.column) }));
}

/** Every formula of a ReportSheet recomputed by HyperFormula from the sheet's own cells, next to its stored value. */
export function recomputedFormulas(sheet: Pick<ReportSheet, "blocks">): RecomputedFormula[] {
  const loaded = loadReportSheet(sheet);
  try {
    return recomputed(loaded);
  } finally {
    loaded.destroy();
  }
}

/**
 * Expects a recomputed value to equal the stored one: numbers within a relative 1e-9 (absolute 1e-9
 * below 1), anything else (text, booleans, blanks) exactly.
 * @param where names the cell in the failure message
 */
export function expectClose(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === "number") {
    expect(typeof actual, where).toBe("number");
    expect(Math.abs((actual as number) - expected), where).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
  } else {
    expect(actual, where).toEqual(expected);
  }
}

/** Expects every formula of the sheet to recompute to its stored value; returns how many there are. */
export function expectFormulasHold(sheet: Pick<ReportSheet, "blocks">): number {
  const all = recomputedFormulas(sheet);
  for (const { address, formula, expected, actual } of all) expectClose(actual, expected, `${address} =${formula}`);
  return all.length;
}
