/**
 * A plain-object WorkbookPort for the wizards' component tests: sheets held as SheetCells, every
 * write and activation recorded, writes that can be held until cancelled.
 */
import type { TabId } from "../../src/reports/tabIds";
import type { SheetCells } from "../../src/reports/detect";
import type { ReportSheet } from "../../src/reports/sheet";
import { WriteCancelled, type DataSource, type InsertResult, type OperationOptions, type SourceRef, type WorkbookPort, type WriteResult } from "../../src/excel/workbook";
import { generateSampleBusiness } from "../../src/sample/business";

/** The sample business's tables as sheets (header row first), as the adapter would read them. */
export function sampleSheets(customers = 150): SheetCells[] {
  const business = generateSampleBusiness({ customers });
  return business.tables.map((table) => ({ name: table.name, rows: [table.headers, ...table.rows], numberFormats: table.numberFormats }));
}

export interface FakeWorkbookSettings {
  /** What "the selection" reads. */
  readonly selection?: SheetCells;
  /** Writes wait until cancelled (to test Cancel while writing). */
  readonly holdWrites?: boolean;
  /** Only the writes after this many succeeded ones wait until cancelled (Cancel mid-run). */
  readonly holdWritesAfter?: number;
  /** The write of the tab with this name fails with Excel's kind of message. */
  readonly failTab?: string;
}

export class FakeWorkbook implements WorkbookPort {
  readonly inserted: string[] = [];
  /** The tabs written, in workbook order (a tab written with `before` goes before that sheet), with the other tabs' names it was given. */
  readonly written: { readonly name: string; readonly sheet: ReportSheet; readonly tabNames?: ReadonlyMap<TabId, string> }[] = [];
  readonly activated: string[] = [];
  /** Every deleteSheets call, with the names asked for. */
  readonly deleted: (readonly string[])[] = [];
  readonly reads: SourceRef[] = [];

  constructor(
    private readonly sheets: readonly SheetCells[],
    private readonly settings: FakeWorkbookSettings = {},
  ) {}

  async insertFormula(formula: string): Promise<InsertResult> {
    this.inserted.push(formula);
    return { address: "Sheet1!B2" };
  }

  async listSources(): Promise<readonly DataSource[]> {
    return this.sheets.map((sheet) => ({
      ref: { kind: "sheet", sheet: sheet.name },
      label: sheet.name,
      sheet: sheet.name,
      address: `${sheet.name}!A1`,
      rowCount: sheet.rows.length,
      columnCount: sheet.rows[0]?.length ?? 0,
      headers: (sheet.rows[0] ?? []).map((cell) => String(cell ?? "")),
    }));
  }

  async readSource(source: SourceRef): Promise<SheetCells> {
    this.reads.push(source);
    if (source.kind === "selection") {
      if (!this.settings.selection) throw new Error("Select the data first.");
      return this.settings.selection;
    }
    const name = source.kind === "sheet" ? source.sheet : source.table;
    const sheet = this.sheets.find((candidate) => candidate.name === name);
    if (!sheet) throw new Error(`No sheet ${name}`);
    return sheet;
  }

  async writeReport(sheet: ReportSheet, options: OperationOptions & { readonly tabNames?: ReadonlyMap<TabId, string>; readonly before?: string } = {}): Promise<WriteResult> {
    options.onProgress?.(0.5, "writing the cells");
    if (sheet.name === this.settings.failTab) throw new Error(`The ${sheet.name} tab could not be written (the workbook is protected).`);
    if (this.settings.holdWrites || (this.settings.holdWritesAfter !== undefined && this.written.length >= this.settings.holdWritesAfter)) {
      await new Promise<void>((_, reject) => {
        const cancel = () => reject(new WriteCancelled());
        if (options.signal?.aborted) cancel();
        options.signal?.addEventListener("abort", cancel, { once: true });
      });
    }
    const taken = new Set([...this.sheets.map((s) => s.name), ...this.written.map((w) => w.name)]);
    let name = sheet.name;
    for (let n = 2; taken.has(name); n++) name = `${sheet.name} ${n}`;
    const entry = { name, sheet, tabNames: options.tabNames === undefined ? undefined : new Map(options.tabNames) };
    const at = options.before === undefined ? -1 : this.written.findIndex((written) => written.name === options.before);
    if (at < 0) this.written.push(entry);
    else this.written.splice(at, 0, entry);
    options.onProgress?.(1, "done");
    return { sheetName: name, notes: [] };
  }

  async activateSheet(name: string): Promise<void> {
    this.activated.push(name);
  }

  async deleteSheets(names: readonly string[]): Promise<void> {
    this.deleted.push([...names]);
    const gone = new Set(names);
    for (let i = this.written.length - 1; i >= 0; i--) if (gone.has(this.written[i].name)) this.written.splice(i, 1);
  }
}
