/**
 * What the newer tab builders (Journey, Leads, Cohorts, Experiments) return and take, and how the
 * Scorecard reads other tabs: each builder publishes its headline numbers as {@link Figure}s (a
 * key, a label and the cell that shows it), and the Scorecard refers to those cells by formula so
 * it follows the tabs when a user changes an input.
 */

import type { BusinessData } from "./detect";
import type { ReportContext, ReportSheet } from "./sheet";

/** A headline number of a tab, for the Scorecard to refer to. */
export interface Figure {
  /** Stable key, "<tab>.<name>" ("cohorts.retentionMonth3"); documented where the builder publishes it. */
  readonly key: string;
  /** What it is, in words, as a Scorecard row would label it ("Customers still buying 3 months after their first order"). */
  readonly label: string;
  /** The cell on the tab that shows it (0-based row and column). */
  readonly row: number;
  readonly column: number;
  /** The value the cell shows (a formula's computed value), for the Scorecard's own value and rules. */
  readonly value: number | string | null;
  /** The cell's number format (null: General). */
  readonly format: string | null;
}

/** A built tab and its headline numbers. */
export interface TabBuild {
  readonly sheet: ReportSheet;
  readonly figures: readonly Figure[];
}

/** Options the newer builders share (a subset of AllTabsOptions). */
export interface TabOptions {
  /** Excel serial of the analysis date; null: the builder's default (the last date in its data). */
  readonly asOf: number | null;
  /** Cost of acquiring a customer (currency), when the user gave one; spend tables give it otherwise. */
  readonly cac: number | null;
}

/**
 * A tab builder of the newer kind. It throws EngineError INSUFFICIENT_DATA (with a plain-words
 * message) when the data cannot make the tab, and INVALID_INPUT naming the argument and row for a
 * bad cell, like the other builders.
 */
export type TabBuilder = (data: BusinessData, options: TabOptions, context: ReportContext) => TabBuild;
