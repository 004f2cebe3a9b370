/**
 * The Journey tab: the buyer journey in the touchpoint log. Which paths customers take most often
 * and how they convert (overall, new vs returning, the largest RFM segments), whether longer
 * journeys convert better and how long they take, which channels open, assist and close converting
 * journeys, and, when touches carry a stage, the stage funnel with the contents that convert best.
 *
 * Journeys are those of IMC.ATTRIBUTE.EVENTS (30-day look-back); the path figures are IMC.PATHS's
 * on those journeys (src/engine/journeys). Sections: src/reports/journey/sections.ts; numbers:
 * src/reports/journey/analysis.ts.
 *
 * Figures published for the Scorecard (each the headline cell that shows it):
 * - `journey.journeys`: journeys in the log (converting or not);
 * - `journey.conversionRate`: share of journeys that end in a conversion;
 * - `journey.medianTouches`: median touches of converting journeys;
 * - `journey.medianDays`: median days from first touch to conversion;
 * - `journey.topOpener`: the channel that opens most converting journeys (text).
 */

import { headlineSection, TabLayout, warningsSection } from "./layout";
import type { Block, Provenance } from "./sheet";
import type { Figure, TabBuilder } from "./tabBuild";
import {
  analyseJourneys,
  JOURNEY_LOOKBACK_DAYS,
  MIN_CONTENT_JOURNEYS,
  RFM_SEGMENTS_SHOWN,
  TOP_PATHS,
  TOP_SEGMENT_PATHS,
  type JourneyAnalysis,
} from "./journey/analysis";
import { headlineItems, journeyWarnings, lengthSection, rolesSection, scopeSection, segmentPathsSection, stagesSection, topPathsSection } from "./journey/sections";
import { formatCount } from "./format";

/** Figure keys, in the order of the headline rows. */
export const JOURNEY_FIGURE_KEYS = ["journey.journeys", "journey.conversionRate", "journey.medianTouches", "journey.medianDays", "journey.topOpener"] as const;

const FIGURE_LABELS: Readonly<Record<(typeof JOURNEY_FIGURE_KEYS)[number], string>> = {
  "journey.journeys": "Buyer journeys in the touchpoint log",
  "journey.conversionRate": "Journeys that end in a conversion",
  "journey.medianTouches": "Median touches to convert",
  "journey.medianDays": "Median days from first touch to conversion",
  "journey.topOpener": "Channel that opens most converting journeys",
};

/**
 * Builds the Journey tab from `data.touchpoints` (with its stage and content columns when given),
 * `data.orders` (new vs returning customers and RFM segments) and `data.stages` (a channel → stage
 * table, for logs without a stage column).
 *
 * @throws EngineError INSUFFICIENT_DATA without a touchpoint log, without a conversion, or when no
 *   conversion has a touch within 30 days before it; INVALID_INPUT naming the column and row of a bad cell.
 */
export const buildJourneyTab: TabBuilder = (data, _options, context) => {
  const analysis = analyseJourneys(data);
  const currency = context.currency;
  const tab = new TabLayout();
  tab.add(scopeSection(analysis, currency));
  const items = headlineItems(analysis);
  const headlineTop = tab.add(headlineSection(items));
  tab.add(warningsSection(journeyWarnings(analysis), "Read this first", 8));
  tab.add(topPathsSection(analysis, currency));
  tab.add(segmentPathsSection(analysis, currency));
  tab.add(lengthSection(analysis));
  tab.add(rolesSection(analysis));
  tab.add(stagesSection(analysis));
  const sheet = tab.sheet({ name: "Journey", columnWidths: [], freeze: { rows: 2, columns: 0 }, provenance: provenanceOf(analysis, data, context) });
  const figures: Figure[] = JOURNEY_FIGURE_KEYS.map((key, i) => ({
    key,
    label: FIGURE_LABELS[key],
    row: headlineTop + 1 + i,
    column: 1,
    value: items[i].value as number | string,
    format: items[i].format,
  }));
  return { sheet: { ...sheet, columnWidths: columnWidthsOf(sheet.blocks) }, figures };
};

function provenanceOf(analysis: JourneyAnalysis, data: Parameters<TabBuilder>[0], context: Parameters<TabBuilder>[2]): Provenance {
  const sources = [data.touchpoints!.source];
  if (data.orders) sources.push(data.orders.source);
  if (data.stages && analysis.stageSource === "the channel → stage table") sources.push(data.stages.source);
  const notes: string[] = [];
  if (analysis.log.conversionsWithoutTouch > 0) {
    notes.push(`${formatCount(analysis.log.conversionsWithoutTouch)} conversions had no touch in the ${JOURNEY_LOOKBACK_DAYS} days before them: they are in no journey.`);
  }
  if (analysis.log.touchesOutsideLookback > 0) {
    notes.push(`${formatCount(analysis.log.touchesOutsideLookback)} touches came more than ${JOURNEY_LOOKBACK_DAYS} days before the next conversion: they are in no journey.`);
  }
  for (const reading of [...(data.touchpoints!.readingNotes ?? []), ...(data.orders?.readingNotes ?? [])]) notes.push(reading);
  return {
    sources,
    options: [
      { label: "Journeys", value: `a customer's touches after their previous conversion and at most ${JOURNEY_LOOKBACK_DAYS} days before a conversion; touches after the last conversion form one journey that did not convert` },
      { label: "Paths", value: `top ${TOP_PATHS} overall, top ${TOP_SEGMENT_PATHS} per segment, by journeys` },
      { label: "Segments", value: `new vs ${analysis.returningRule}${data.orders ? `; the ${RFM_SEGMENTS_SHOWN} largest RFM segments` : ""}` },
      { label: "Stages", value: analysis.stageSource ?? "none given" },
      { label: "Content ranking", value: `contents seen in at least ${MIN_CONTENT_JOURNEYS} journeys at a stage, by conversion rate` },
    ],
    generatedAt: context.generatedAt,
    // A reading note of the log can also come as a run note (the out-of-core route gives both): once.
    notes: [...new Set([...notes, ...(context.notes ?? [])])],
  };
}

/** Column widths: column A fits the paths and labels (up to 48 characters), the others their headers. */
function columnWidthsOf(blocks: readonly Block[]): number[] {
  const widths = [26, 14, 14, 14, 14, 14];
  for (const block of blocks) {
    if (block.kind !== "table") continue;
    block.headers.forEach((header, c) => {
      const column = block.column + c;
      if (column < widths.length) widths[column] = Math.max(widths[column], Math.min(24, header.length + 3));
    });
    for (const cells of block.rows) {
      cells.forEach((cell, c) => {
        const column = block.column + c;
        if (typeof cell === "string" && column < 2) widths[column] = Math.max(widths[column], Math.min(column === 0 ? 48 : 24, cell.length + 2));
      });
    }
  }
  return widths;
}
