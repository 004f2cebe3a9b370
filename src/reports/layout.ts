/**
 * One layout for every generated tab: a tab is a short list of named sections (title, headline,
 * warnings, summary tables with their charts, detail table, provenance), each a small function
 * that is told the row it starts on and returns its blocks, charts and conditional formats. The
 * layout stacks them top to bottom with one blank row between, so a builder reads as its list of
 * sections and a section can be reused elsewhere (the Scorecard, the wizards' Done step).
 *
 * Sections write absolute rows (their formulas refer to absolute cells), so a section is placed by
 * being called with its top row, never moved afterwards. A section that must refer to cells placed
 * after it (a headline that quotes the plan's total below) reserves its rows first and is filled
 * once those cells are known.
 */

import {
  provenanceBlock,
  type Block,
  type Cell,
  type CellStyle,
  type ChartSpec,
  type ConditionalFormat,
  type Provenance,
  type ReportSheet,
} from "./sheet";

/** What a section puts on the tab. */
export interface SectionOutput {
  readonly blocks: readonly Block[];
  readonly charts?: readonly ChartSpec[];
  readonly conditionalFormats?: readonly ConditionalFormat[];
  /** Rows the section takes from its top row, charts beside its tables included. */
  readonly rows: number;
}

/** A section: given the row it starts on, what it writes there. */
export type Section = (top: number) => SectionOutput;

/** An empty section (a part of the tab the data does not allow), which takes no rows and no gap. */
export const NOTHING: SectionOutput = { blocks: [], rows: 0 };

/** Rows of blank space between two sections. */
const GAP = 1;

/**
 * A tab being laid out: sections stacked from the top, one blank row between them.
 *
 * @example
 * const tab = new TabLayout();
 * tab.add(titleSection("Budget", "Budget worked back from the revenue target."));
 * const headline = tab.reserve(6);        // filled once the plan's cells are known
 * const plan = tab.add(planSection(...));
 * tab.fill(headline, headlineSection(...));
 * return tab.sheet({ name: "Budget", columnWidths, freeze, provenance });
 */
export class TabLayout {
  private readonly blocks: Block[] = [];
  private readonly charts: ChartSpec[] = [];
  private readonly conditionalFormats: ConditionalFormat[] = [];
  private row = 0;

  /** The row the next section starts on. */
  get top(): number {
    return this.row;
  }

  /**
   * Places a section at the next free row.
   *
   * @returns the row it started on (for references into it).
   */
  add(section: Section): number {
    const top = this.row;
    const output = section(top);
    this.collect(output);
    if (output.rows > 0) this.row = top + output.rows + GAP;
    return top;
  }

  /**
   * Keeps `rows` rows for a section filled later with {@link fill}.
   *
   * @returns the reserved top row.
   */
  reserve(rows: number): number {
    const top = this.row;
    if (rows > 0) this.row = top + rows + GAP;
    return top;
  }

  /**
   * Fills rows kept by {@link reserve}.
   *
   * @throws Error when the section takes more rows than were kept (a builder's mistake, not user input).
   */
  fill(top: number, rows: number, section: Section): void {
    const output = section(top);
    if (output.rows > rows) throw new Error(`TabLayout.fill: a section reserved ${rows} rows but takes ${output.rows}`);
    this.collect(output);
  }

  /** The finished tab: the sections, then the provenance at the bottom. */
  sheet(meta: {
    readonly name: string;
    readonly columnWidths: readonly number[];
    readonly freeze: { readonly rows: number; readonly columns: number };
    readonly provenance: Provenance;
  }): ReportSheet {
    const blocks = [...this.blocks, headingBlock(this.row, "Where these numbers come from"), provenanceBlock(meta.provenance, this.row + 1, 0, false)];
    return { ...meta, blocks, charts: [...this.charts], conditionalFormats: [...this.conditionalFormats] };
  }

  private collect(output: SectionOutput): void {
    this.blocks.push(...output.blocks);
    if (output.charts) this.charts.push(...output.charts);
    if (output.conditionalFormats) this.conditionalFormats.push(...output.conditionalFormats);
  }
}

/** The tab's title and the one line under it saying what the tab answers and from what data. */
export function titleSection(title: string, subtitle: string): Section {
  return (top) => ({
    blocks: [
      { kind: "cells", row: top, column: 0, values: [[title]], style: "title" },
      { kind: "cells", row: top + 1, column: 0, values: [[subtitle]], style: "subtitle" },
    ],
    rows: 2,
  });
}

/** A section heading on one row. */
export function headingBlock(top: number, text: string, column = 0): Block {
  return { kind: "cells", row: top, column, values: [[text]], style: "heading" };
}

/**
 * Warnings that change a decision, one red line each under a heading; nothing when there are none.
 * Writers show style "warning" in red.
 */
export function warningsSection(warnings: readonly string[], heading = "Read this first", width = 10): Section {
  if (warnings.length === 0) return () => NOTHING;
  // Blank cells after the text carry the red fill across the band the text overflows into.
  const band = (text: string): (string | null)[] => [text, ...Array<null>(Math.max(0, width - 1)).fill(null)];
  return (top) => ({
    blocks: [
      headingBlock(top, heading),
      { kind: "cells", row: top + 1, column: 0, values: warnings.map(band), style: "warning" as CellStyle },
    ],
    rows: 1 + warnings.length,
  });
}

/** One headline number: its label, the number (a formula when it follows cells below), its format, and a sentence saying what it means. */
export interface HeadlineItem {
  readonly label: string;
  readonly value: Cell;
  /** Excel number format; pad it on the right (`_)`) so the sentence beside it does not touch it. */
  readonly format: string;
  readonly sentence: string;
  /** Shows the number as a warning (red) when true, or as good news (green) when false; plain when omitted. */
  readonly bad?: boolean;
}

/**
 * The headline: 3–5 numbers under "At a glance", one row each as label | number | sentence, the
 * number bold. Rows flagged `bad` are red, rows flagged `bad: false` green.
 */
export function headlineSection(items: readonly HeadlineItem[], heading = "At a glance"): Section {
  if (items.length === 0) return () => NOTHING;
  return (top) => {
    const blocks: Block[] = [headingBlock(top, heading)];
    const conditionalFormats: ConditionalFormat[] = [];
    items.forEach((item, i) => {
      const row = top + 1 + i;
      blocks.push({ kind: "cells", row, column: 0, values: [[item.label, item.value, item.sentence]], numberFormats: [null, item.format, null], columnStyles: ["label", "figure", "body"] });
      if (item.bad !== undefined) {
        conditionalFormats.push({ range: { row, column: 1, rowCount: 1, columnCount: 1 }, rule: { kind: "expression", formula: "TRUE", look: item.bad ? "bad" : "good" } });
      }
    });
    return { blocks, conditionalFormats, rows: 1 + items.length };
  };
}
