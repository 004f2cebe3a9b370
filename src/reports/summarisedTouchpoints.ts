/**
 * A touchpoint log summarised where it is stored (DuckDB over Parquet or CSV files of any size), for
 * `imc report --from` when the log has too many rows to read one by one. The Attribution and Journey
 * tabs are then built from these summaries (distinct paths, per-channel sums, per-journey aggregates
 * grouped in SQL) exactly as from the rows: each tab's analysis turns the rows into the same kind of
 * facts first, and a test checks that both routes give the same facts and the same tab.
 *
 * A `TouchpointsInput` that carries `summarised` has no rows (its columns are empty): a reader that
 * needs the rows calls {@link touchpointRowsOf}, which throws INSUFFICIENT_DATA saying so, so a tab
 * without a summary route is skipped with that reason instead of being built from nothing.
 *
 * Each part records the options it was computed for (look-back, half-life…), and the tab that reads
 * it checks them (src/reports/summarisedPart.ts): a part computed for other options is a bug of the
 * caller, not a fault of the data.
 */

import { EngineError } from "../engine/errors";
import type { AttributionPart } from "./attribution/facts";
import type { TouchpointExtras, TouchpointsInput } from "./inputs";
import type { JourneyFacts } from "./journey/facts";

/** A touchpoint log summarised out of core; the parts are filled by src/cli/duckdb/report/. */
export interface SummarisedTouchpoints {
  /** Rows of the log (touches and conversion rows) read. */
  readonly rowCount: number;
  /** The Attribution tab's facts (or why the log cannot be attributed) for the options they record; null when the run does not build the tab. */
  readonly attribution: AttributionPart | null;
  /** The Journey tab's facts (src/reports/journey/facts.ts, with the options they were computed for); null when the run does not build the tab. */
  readonly journeys: JourneyFacts | null;
}

/**
 * The log's rows, for a reader that needs them one by one.
 *
 * @param touchpoints the touchpoint log.
 * @returns the log itself when it was read row by row.
 * @throws EngineError INSUFFICIENT_DATA when the log was summarised out of core.
 */
export function touchpointRowsOf<T extends TouchpointsInput & TouchpointExtras>(touchpoints: T): T {
  if (touchpoints.summarised !== undefined) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      "it needs the touchpoint log row by row, and the log was summarised out of core (too many rows to read one by one); give a smaller file or more --max-cells to read it in memory",
      { argument: "touchpoints" },
    );
  }
  return touchpoints;
}
