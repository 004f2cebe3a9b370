/**
 * Messages between the task pane and the analysis engine's Web Worker (engine.worker.ts), and the
 * plain data they carry. Types only: the pane imports this file without pulling in the engine.
 *
 * The pane posts a request with an `id`; the worker answers with progress messages and then one
 * result (or one error) with the same id. Cancel is the pane terminating the worker: the builders
 * are synchronous, so a cancel message could not be read before they finish.
 */
import type { ColumnRole, DetectionOverrides, ReadingOptions, SheetCells, TableKind } from "../../reports/detect";
import type { ShortenedTab, SkippedTab } from "../../reports/allTabs";
import type { Cell, ReportSheet } from "../../reports/sheet";

/** Cells per message of a built tab's table rows (a clone this size is no long task to receive). */
export const RESULT_SLICE_CELLS = 50_000;
import type { TabId } from "../../reports/tabIds";

/** The analysis options a wizard can set; each is optional (the tab's default applies). */
export interface WizardOptions {
  /** Purchase model of the customer value model: "auto" picks the best fit. */
  readonly model?: "bgnbd" | "mbgnbd" | "pareto" | "auto";
  readonly period?: "day" | "week" | "month";
  readonly horizonPeriods?: number;
  readonly annualDiscountRate?: number;
  readonly mask?: "hash" | "partial" | "redact" | null;
  readonly maskSalt?: string | null;
  readonly targetGrowth?: number;
  readonly targetRevenue?: number | null;
  readonly cac?: number | null;
  readonly grossMarginRate?: number | null;
  /** Attribution: touches count when at most this many days before the conversion. */
  readonly lookbackDays?: number;
  /** Attribution: half-life of the time-decay weight, in days. */
  readonly halfLifeDays?: number;
}

/** What the data step asks: which tables are there and how they read. */
export interface InspectRequest {
  readonly type: "inspect";
  readonly id: number;
  readonly sheets: readonly SheetCells[];
  readonly overrides: DetectionOverrides;
  readonly reading: ReadingOptions;
}

/** Build the tabs. `tabs` null: every tab the data allows, in the IMC order. */
export interface BuildRequest {
  readonly type: "build";
  readonly id: number;
  readonly sheets: readonly SheetCells[];
  readonly overrides: DetectionOverrides;
  readonly reading: ReadingOptions;
  readonly options: WizardOptions;
  /** ISO 8601 generation time (the worker has no clock of its own to consult). */
  readonly generatedAt: string;
  readonly tabs: readonly TabId[] | null;
}

/**
 * Part of a sheet, sent ahead of the requests that use it: a big sheet goes in slices so that no
 * single postMessage (structured clone on the pane's thread) is a long task. `offset` 0 starts the
 * sheet anew (replacing one of the same name); the slices arrive in order.
 */
export interface LoadRequest {
  readonly type: "load";
  readonly id: number;
  readonly sheet: Omit<SheetCells, "rows">;
  readonly offset: number;
  readonly rows: SheetCells["rows"];
}

/**
 * A request naming sheets loaded before ({@link LoadRequest}) instead of carrying them. The worker
 * also takes {@link InspectRequest} and {@link BuildRequest} with the sheets inside.
 */
export type ByName<T extends InspectRequest | BuildRequest> = Omit<T, "sheets"> & { readonly sheets?: undefined; readonly sheetNames: readonly string[] };

export type EngineRequest = InspectRequest | BuildRequest | LoadRequest | ByName<InspectRequest> | ByName<BuildRequest>;

/** One column role of a table and the column read for it. */
export interface RoleMapping {
  readonly role: ColumnRole;
  /** "Customer id", "Order date"… */
  readonly label: string;
  readonly required: boolean;
  /** Column index in `headers`, or null when no column is read for it. */
  readonly column: number | null;
}

/** A table found in the workbook, as the data step shows it. */
export interface TableInspection {
  readonly kind: TableKind;
  readonly sheet: string;
  /** What was read, in plain words (detection's description). */
  readonly description: string;
  readonly headerRow: number;
  /** The headers as typed, by column. */
  readonly headers: readonly string[];
  readonly roles: readonly RoleMapping[];
  /** The first rows as read (dates as yyyy-mm-dd), columns as `preview.headers`. */
  readonly preview: { readonly headers: readonly string[]; readonly rows: readonly (readonly string[])[] };
  readonly rowsRead: number;
  /** Blank rows, total rows and rows repeating the header left out. */
  readonly rowsSkipped: number;
  /** Rows with a cell the analysis cannot read (the tab would stop at the first). */
  readonly rowsRefused: number;
  /** The first reasons: `row 17, Purchase date: "31-02-2024" is not a date…`. */
  readonly reasons: readonly string[];
  /** What reading did (rows skipped, dates read day-first…). */
  readonly notes: readonly string[];
  /** The table could not be read at all (the message names sheet, column and row). */
  readonly error?: string;
}

export interface Inspection {
  /** Names of the sheets read. */
  readonly sheets: readonly string[];
  readonly tables: readonly TableInspection[];
  /** Kinds not found, with what such a table needs. */
  readonly missing: readonly { readonly kind: TableKind; readonly needs: string }[];
  /** Detection itself failed (a sheet or column given that does not fit). */
  readonly error?: string;
}

/** One headline row of a tab ("At a glance"): label, the number as shown, what it means. */
export interface Headline {
  readonly label: string;
  readonly value: string;
  readonly sentence: string;
}

export interface TabHeadlines {
  /** The tab's preferred name ("Segmentation"). */
  readonly tab: string;
  readonly headlines: readonly Headline[];
}

export interface BuildResult {
  readonly tabs: readonly ReportSheet[];
  readonly skipped: readonly SkippedTab[];
  /** Tabs written shortened to fit a sheet (over about a million customers), with the line they carry. */
  readonly shortened: readonly ShortenedTab[];
  /** Notes for the Done step (tabs not built, reading notes). */
  readonly notes: readonly string[];
  /** The headline numbers of each tab, in the order of `tabs`. */
  readonly headlines: readonly TabHeadlines[];
}

/** Where an engine error is, in the user's terms. */
export interface EngineFailure {
  /** The message to show: names the sheet, column and row, or the option. */
  readonly message: string;
  /** The engine argument concerned (e.g. "order_dates", "cac", "tabs"). */
  readonly argument?: string;
  readonly sheet?: string;
  /** Excel row number. */
  readonly row?: number;
  /** The column's header and letters, e.g. "order_date (C)". */
  readonly column?: string;
}

export type EngineResponse =
  | { readonly type: "progress"; readonly id: number; readonly done: number; readonly message: string }
  | { readonly type: "inspected"; readonly id: number; readonly inspection: Inspection }
  | { readonly type: "loaded"; readonly id: number }
  /**
   * One built tab, ahead of the result: each tab is its own message, so that no single message
   * takes long to receive (cloning) on the pane's thread.
   */
  | { readonly type: "tab"; readonly id: number; readonly index: number; readonly tab: ReportSheet }
  /**
   * More data rows of a big table of the tab sent last (its block number `block`), in slices of
   * at most {@link RESULT_SLICE_CELLS} cells: the tab message carries the first slice.
   */
  | { readonly type: "rows"; readonly id: number; readonly index: number; readonly block: number; readonly rows: readonly (readonly Cell[])[] }
  /** The end of a build: `tabCount` tab messages came before it, in order. */
  | ({ readonly type: "result"; readonly id: number; readonly tabCount: number } & Omit<BuildResult, "tabs">)
  | { readonly type: "error"; readonly id: number; readonly failure: EngineFailure };
