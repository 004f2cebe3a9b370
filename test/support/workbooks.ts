// Small .xlsx files for the runner's tests, written with ExcelJS from plain rows.
import { writeFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";

/**
 * Writes a workbook with one sheet per entry (rows of cell values, from A1) into `dir`.
 *
 * @returns the file's path.
 */
export async function writeWorkbookFile(dir: string, file: string, sheets: Record<string, unknown[][]>): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = workbook.addWorksheet(name);
    rows.forEach((row, r) => row.forEach((value, c) => (sheet.getCell(r + 1, c + 1).value = value as ExcelJS.CellValue)));
  }
  const target = path.join(dir, file);
  writeFileSync(target, Buffer.from(await workbook.xlsx.writeBuffer()));
  return target;
}
