/**
 * The Scorecard's sections: a block of measures under a heading (label | number | from | note), the
 * "What to do next" lines of its stated rules, and a small table with its chart (CLV and NPS per RFM
 * segment).
 */

import { CHART_SIZE } from "../format";
import { headingBlock, NOTHING, type Section } from "../layout";
import { a1, type Block, type Cell, type ChartSpec, type ConditionalFormat, type TableBlock } from "../sheet";
import { adviceCell, measureValue, ruleStatement, type Measure, type Rule } from "./rows";

/** Text shown in the number column of a measure the data does not allow. */
export const NOT_MEASURED = "Not measured";

/** A number format padded on the right, so the text in the next column does not touch the number. */
function padded(format: string): string {
  return format.endsWith("_)") ? format : format.split(";").map((part) => `${part}_)`).join(";");
}

/** Where each measure landed on the tab (row of its number, column B), for rules and the headline. */
export type MeasureRows = Map<string, number>;

/**
 * A block of measures with its heading, an optional one-line lead, and the "What to do next" lines
 * of the rules whose measure is measured (each a live IF over the measure's cell) with the rule
 * stated under it. Rules whose measure is not measured say so.
 *
 * @param rows collects the row of each measure's number.
 */
export function measuresSection(heading: string, lead: string | null, measures: readonly Measure[], rules: readonly Rule[], rows: MeasureRows): Section {
  if (measures.length === 0) return () => NOTHING;
  return (top) => {
    const blocks: Block[] = [headingBlock(top, heading)];
    const conditionalFormats: ConditionalFormat[] = [];
    let row = top + 1;
    if (lead !== null) {
      blocks.push({ kind: "cells", row, column: 0, values: [[lead]], style: "note" });
      row++;
    }
    blocks.push({ kind: "cells", row, column: 0, values: [["Measure", "Value", "From", "What it says"]], style: "header" });
    row++;
    for (const measure of measures) {
      const measured = measure.cell !== null;
      const cell: Cell = measure.formulaOf === undefined || !measured ? measure.cell : { formula: measure.formulaOf((key) => rows.get(key)!), value: measureValue(measure) };
      const values: Cell[] = [measure.label, measured ? cell : NOT_MEASURED, measure.from, measure.note];
      blocks.push({
        kind: "cells",
        row,
        column: 0,
        values: [values],
        numberFormats: [null, measured && measure.format !== null ? padded(measure.format) : null, null, null],
        columnStyles: ["label", measured ? "figure" : "note", "note", "note"],
      });
      rows.set(measure.key, row);
      row++;
    }
    for (const rule of rules) {
      const measure = measures.find((m) => m.key === rule.key);
      if (measure === undefined) continue;
      const value = measureValue(measure);
      const advice: Cell = typeof value === "number" ? adviceCell(rule, value, rows.get(rule.key)!) : `Not known: ${rule.what} is not measured in this workbook.`;
      // Blank cells after the advice carry the red fill across the band the text overflows into.
      blocks.push({ kind: "cells", row, column: 0, values: [["What to do next", advice, null, null]], columnStyles: ["label", "body", "body", "body"] });
      if (typeof value === "number") {
        // The rule's red is stated: the advice is red while the rule fires (a live expression over the number).
        const ref = a1(rows.get(rule.key)!, 1, true);
        conditionalFormats.push({
          range: { row, column: 1, rowCount: 1, columnCount: 3 },
          rule: { kind: "expression", formula: `${ref}${rule.test === "below" ? "<" : ">="}${rule.threshold}`, look: "bad" },
        });
      }
      const [when, otherwise] = ruleStatement(rule);
      blocks.push({ kind: "cells", row: row + 1, column: 1, values: [[when], [otherwise]], style: "note" });
      row += 3;
    }
    return { blocks, conditionalFormats, rows: row - top };
  };
}

/** A small table with a bar chart beside it (CLV or NPS per RFM segment). */
export function segmentTableSection(
  heading: string,
  lead: string,
  name: string,
  headers: readonly [string, string, string],
  lines: readonly (readonly [string, Cell, Cell])[],
  formats: readonly [string, string],
  chartTitle: string,
): Section {
  if (lines.length === 0) return () => NOTHING;
  return (top) => {
    const tableRow = top + 2;
    const table: TableBlock = { kind: "table", name, row: tableRow, column: 0, headers, rows: lines.map((line) => [...line]), numberFormats: [null, formats[0], formats[1]] };
    const chart: ChartSpec = {
      type: "bar",
      title: chartTitle,
      categories: { row: tableRow + 1, column: 0, rowCount: lines.length, columnCount: 1 },
      series: [{ name: headers[1], values: { row: tableRow + 1, column: 1, rowCount: lines.length, columnCount: 1 } }],
      valueFormat: formats[0].replace(/_\)$/, "").replace(/\.0+/g, ""),
      anchor: { row: top, column: 3, rows: Math.max(CHART_SIZE.rows - 3, lines.length + 3), columns: 1 },
    };
    const rows = Math.max(2 + 1 + lines.length, chart.anchor.rows);
    return {
      blocks: [headingBlock(top, heading), { kind: "cells", row: top + 1, column: 0, values: [[lead]], style: "note" }, table],
      charts: [chart],
      rows,
    };
  };
}
