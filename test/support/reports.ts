import { expect } from "vitest";
import { cellValue, tableNamed, type ReportSheet, type TableBlock } from "../../src/reports/sheet";

/** The table of a generated tab with this name (the test fails when there is none). */
export function tableOf(sheet: ReportSheet, name: string): TableBlock {
  const found = tableNamed(sheet, name);
  expect(found, `table ${name}`).toBeDefined();
  return found!;
}

/** A table's column as the values it shows (formulas as their values), by header. */
export function columnOf(table: TableBlock, header: string): unknown[] {
  const index = table.headers.indexOf(header);
  expect(index, `header ${header} of ${table.name}`).toBeGreaterThanOrEqual(0);
  return table.rows.map((row) => cellValue(row[index]));
}
