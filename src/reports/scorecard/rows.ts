/**
 * The Scorecard's building blocks: a measure row (label | number | the tab it comes from | a note),
 * its number taken by formula from another tab's figure ({@link fromFigure}) or computed here, and
 * a stated rule whose advice is an IF formula over the measure's cell on the Scorecard, so both
 * follow the tabs when a user changes an input.
 */

import { FORMAT } from "../format";
import { a1, tabCell, type Cell, type CellValue } from "../sheet";
import type { Figure } from "../tabBuild";
import type { TabId } from "../tabIds";

/** One measure of the Scorecard. */
export interface Measure {
  /** Key for rules ("budget.clvToCac", "scorecard.returningShare"). */
  readonly key: string;
  readonly label: string;
  /** The number (a cross-tab formula, a formula over this tab's cells, or a value); null: not measured. */
  readonly cell: Cell;
  readonly format: string | null;
  /** Where it comes from, as a reader names it ("Segmentation tab", "Orders", "Survey"). */
  readonly from: string;
  /** A short note (what it means, or why it is not measured). */
  readonly note: string;
  /** A few words naming it, for a row that stands for several measures not measured ("journeys"). */
  readonly short?: string;
  /** A formula over other measures' cells on this tab, given the row of each measure's number (column B); replaces the formula of `cell`, keeps its value. */
  readonly formulaOf?: (rowOf: (key: string) => number) => string;
}

/** The value of a measure (a formula's computed value), or null when not measured. */
export function measureValue(measure: Measure): CellValue {
  const cell = measure.cell;
  return cell !== null && typeof cell === "object" ? cell.value : cell;
}

/** A measure that is not measured, with the reason in words. */
export function notMeasured(key: string, label: string, from: string, why: string): Measure {
  return { key, label, cell: null, format: null, from, note: why };
}

/** The figures of the tabs built in the run, by key, with their tab. */
export class FigureBook {
  private readonly byKey = new Map<string, { tab: TabId; figure: Figure }>();

  constructor(figures: ReadonlyMap<TabId, readonly Figure[]>) {
    for (const [tab, list] of figures) for (const figure of list) this.byKey.set(figure.key, { tab, figure });
  }

  /** The figure with this key and its tab, or undefined when no tab of the run published it. */
  get(key: string): { readonly tab: TabId; readonly figure: Figure } | undefined {
    return this.byKey.get(key);
  }

  /** Keys starting with `prefix`, in the order the tabs published them. */
  keys(prefix: string): string[] {
    return [...this.byKey.keys()].filter((key) => key.startsWith(prefix));
  }

  /** True when a tab of the run published any figure (the tab was built). */
  hasTab(tab: TabId): boolean {
    for (const entry of this.byKey.values()) if (entry.tab === tab) return true;
    return false;
  }
}

/**
 * A measure read by formula from another tab's figure (`='Budget'!$B$40`), with that tab's value;
 * "not measured" with `why` when no tab of the run published the figure.
 *
 * @param titleOf the tab's title ("Budget"), for the "from" column.
 */
export function fromFigure(
  book: FigureBook,
  key: string,
  label: string,
  note: string,
  why: string,
  titleOf: (tab: TabId) => string,
  short: string,
): Measure {
  const found = book.get(key);
  if (found === undefined) return { ...notMeasured(key, label, `${titleOf(tabOfKey(key))} tab`, why), short };
  const { tab, figure } = found;
  const format = typeof figure.value === "string" ? null : (figure.format ?? FORMAT.decimal);
  return { key, label, cell: { formula: tabCell(tab, figure.row, figure.column), value: figure.value }, format, from: `${titleOf(tab)} tab`, note, short };
}

/** Text for a formula: in double quotes, with quotes doubled. */
export function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** A stated rule: when the measure is below (or at least) a threshold, one piece of advice, else another. */
export interface Rule {
  /** The measure it reads (by key). */
  readonly key: string;
  /** "below": advice `then` when the value is below `threshold`; "atLeast": when it is at or above. */
  readonly test: "below" | "atLeast";
  readonly threshold: number;
  /** How the threshold reads in the rule's statement ("3.00", "20%"). */
  readonly thresholdText: string;
  /** The measure as the statement names it ("CLV : CAC"). */
  readonly what: string;
  readonly then: string;
  readonly otherwise: string;
}

/** The rule as the tab states it, on two lines: "Rule: CLV : CAC below 3.00 → cut acquisition spend…", "otherwise → …". */
export function ruleStatement(rule: Rule): [string, string] {
  return [`Rule: ${rule.what} ${rule.test === "below" ? "below" : "at least"} ${rule.thresholdText} → ${rule.then};`, `otherwise → ${rule.otherwise}.`];
}

/**
 * The advice of a rule as a live formula over the measure's cell on this tab, with the value it
 * computes from the measure's value.
 *
 * @param row 0-based row of the measure's number on the Scorecard; its column is B.
 */
export function adviceCell(rule: Rule, value: number, row: number): Cell {
  const ref = a1(row, 1);
  const fires = rule.test === "below" ? value < rule.threshold : value >= rule.threshold;
  const comparison = `${ref}${rule.test === "below" ? "<" : ">="}${rule.threshold}`;
  const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
  return { formula: `IF(${comparison},${quoted(capital(rule.then))},${quoted(capital(rule.otherwise))})`, value: capital(fires ? rule.then : rule.otherwise) };
}

/** The tab a figure key belongs to, by its prefix ("customerValue.totalClv" → "customer-value"). */
export function tabOfKey(key: string): TabId {
  const prefix = key.slice(0, key.indexOf("."));
  return prefix.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`) as TabId;
}

/**
 * Runs of two or more measures not measured for the same reason (a tab not built), as one row:
 * "Journey tab: 4 numbers", the reason and what they would have been in its note.
 */
export function collapseNotMeasured(measures: readonly Measure[]): Measure[] {
  const out: Measure[] = [];
  for (let i = 0; i < measures.length; ) {
    let j = i + 1;
    if (measures[i].cell === null) while (j < measures.length && measures[j].cell === null && measures[j].note === measures[i].note && measures[j].from === measures[i].from) j++;
    if (j - i < 2) {
      out.push(measures[i]);
    } else {
      const run = measures.slice(i, j);
      const names = run.map((m) => m.short ?? m.label.toLowerCase());
      const label = names.join(", ");
      out.push(notMeasured(run[0].key, label.charAt(0).toUpperCase() + label.slice(1), run[0].from, run[0].note));
    }
    i = j;
  }
  return out;
}
