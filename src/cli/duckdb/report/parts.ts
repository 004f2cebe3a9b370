/**
 * The summaries `imc report --from` computes on an orders file read out of core, for the tabs of
 * the run (see summariseOrders.ts): each order tab's facts, computed in DuckDB for the run's
 * options exactly as its analysis computes them from rows.
 */

import type { AllTabsOptions, TabId } from "../../../reports/allTabs";
import { DEFAULT_HALF_LIFE_DAYS, DEFAULT_LOOKBACK_DAYS } from "../../../engine/attribution";
import { DEFAULT_CLUSTER_SEED, DEFAULT_LIFECYCLE_THRESHOLDS } from "../../../engine/segmentation";
import { type EngineError, isEngineError } from "../../../engine/errors";
import { attributionRefusalOf, type AttributionPart } from "../../../reports/attribution/facts";
import { CUSTOMER_VALUE_DEFAULTS } from "../../../reports/customerValue/analysis";
import type { BusinessData } from "../../../reports/detect";
import type { LargeSegmentFacts } from "../../../reports/largeCustomerFacts";
import type { LargeValueFacts } from "../../../reports/largeValueFacts";
import { stageTableOf } from "../../../reports/journey/facts";
import { EXCEL_MAX_ROWS } from "../../../reports/rowLimit";
import { duckRows as rows } from "../connection";
import { ATTRIBUTION_CUT_NEEDS, attributionFactsFrom, attributionReader } from "./attributionFacts";
import { customerFactsFrom, withCustomerFactsTable } from "./customerFacts";
import { journeyReader } from "./journeyFacts";
import { clusterSampleSize, largeSegmentFactsOn } from "./largeCustomers";
import { largeValueFactsOn } from "./largeValue";
import { orderAggregatesFrom } from "./orderAggregates";
import type { SummaryParts } from "./summariseOrders";
import type { TouchpointParts } from "./summariseTouchpoints";
import { cutTouchpoints, dropCut, readBatches, unionOfNeeds } from "./touchpointCut";

/**
 * Customers up to which the Segmentation and Customer Value tabs are built from per-customer facts in
 * memory (past it, both from summaries in DuckDB and their listed customers): IMC_REPORT_MAX_CUSTOMERS, or 2,000,000 (measured: 20M orders of 2M customers peak at 2.8 GB, and
 * 10M customers ran out of Node's 4 GB heap).
 */
export function maxReportCustomers(): number {
  const given = Number(process.env.IMC_REPORT_MAX_CUSTOMERS);
  return Number.isSafeInteger(given) && given > 0 ? given : 2_000_000;
}

/**
 * The summaries of the run's order tabs.
 *
 * @param options the run's options (as-of date, period, holdout, tabs asked for).
 * @returns the function that computes them on the open orders.
 */
export function summaryParts(options: AllTabsOptions): SummaryParts {
  // Only the parts of the tabs the run builds (with --tabs): the Budget reads the Customer Value tab's
  // CLV and the Scorecard the Segmentation tab's segments, so they take the customer facts too.
  const builds = (tabs: readonly TabId[]) => options.tabs === null || options.tabs === undefined || tabs.some((tab) => options.tabs!.includes(tab));
  const wantsAggregates = builds(["cohorts", "scorecard", "budget"]);
  const wantsCustomers = builds(["segmentation", "customer-value", "budget", "scorecard"]);
  return async ({ db, source, display, asOf, rowCount, pattern }) => {
    const none = { cohorts: null, measures: null, budgetYear: null };
    const aggregates = wantsAggregates ? await orderAggregatesFrom(db, source, { asOf: options.asOf ?? null }, display) : null;
    if (aggregates !== null && (aggregates.asOf !== asOf || aggregates.rowCount !== rowCount)) {
      throw new Error(`summaryParts: the aggregates were computed as of ${aggregates.asOf} on ${aggregates.rowCount} rows, the run is as of ${asOf} on ${rowCount} (a bug)`);
    }
    const parts = aggregates === null ? none : { cohorts: aggregates.cohorts, measures: aggregates.measures, budgetYear: aggregates.budgetYear };
    if (!wantsCustomers) return { ...parts, customers: null };
    // The Segmentation and Customer Value tabs hold one row per customer in memory (and the sheet
    // lists a million of them): past the cap they are built from summaries in DuckDB instead.
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    // Counted by 64-bit hash: DISTINCT over ten million id strings runs out of DuckDB's 1 GB, integers do not.
    const [[count]] = await rows(db, `SELECT COUNT(*) FROM (SELECT hash(${quote(source.columns.customer)}) AS h FROM ${source.relation} GROUP BY h)`, display);
    const customerCount = Number(count);
    const cap = maxReportCustomers();
    if (customerCount > cap) {
      // The Segmentation and Customer Value tabs are built from summaries in DuckDB and their listed
      // customers (largeCustomers.ts, largeValue.ts): only the customers a sheet lists are held here.
      const customersLeftOut = `the orders hold ${customerCount.toLocaleString("en-US")} customers, more than the ${cap.toLocaleString("en-US")} held in memory one row each; for each customer's CLV use imc clv --from ${display} --out clv.parquet, and for the summaries in a warehouse the SQL of imc sql`;
      const maxListed = Math.min(options.maxRows ?? EXCEL_MAX_ROWS, EXCEL_MAX_ROWS);
      // Only for the Segmentation tab itself: past the cap it gives no segment per customer (the
      // Scorecard's NPS by segment). The Customer Value tab's facts also give the Budget its CLV.
      const wantsSegments = builds(["segmentation"]);
      const wantsValue = builds(["customer-value", "budget"]);
      const common = { asOf: options.asOf ?? null, periodUnit: options.period ?? CUSTOMER_VALUE_DEFAULTS.period, thresholds: DEFAULT_LIFECYCLE_THRESHOLDS, pattern, maxListed };
      const segmentOptions = { ...common, holdoutPeriods: null, clusterSample: clusterSampleSize(), clusterCount: null, seed: DEFAULT_CLUSTER_SEED };
      const valueOptions = {
        ...common,
        holdoutPeriods: options.holdoutPeriods ?? null,
        model: options.model ?? CUSTOMER_VALUE_DEFAULTS.model,
        horizonPeriods: options.horizonPeriods ?? CUSTOMER_VALUE_DEFAULTS.horizonPeriods,
        annualDiscountRate: options.annualDiscountRate ?? CUSTOMER_VALUE_DEFAULTS.annualDiscountRate,
      };
      let largeSegments: LargeSegmentFacts | null = null;
      let largeValue: LargeValueFacts | null = null;
      let largeValueRefusal: EngineError | undefined;
      // One per-customer facts table for both (the costly part); orders the models do not fit skip the
      // Customer Value tab with their reason, as in memory.
      if (wantsSegments || wantsValue) {
        await withCustomerFactsTable(db, source, wantsValue ? valueOptions : segmentOptions, display, async (table) => {
          if (wantsSegments) largeSegments = await largeSegmentFactsOn(db, table, segmentOptions, display);
          if (!wantsValue) return;
          try {
            largeValue = await largeValueFactsOn(db, table, valueOptions, display);
          } catch (error) {
            if (!isEngineError(error)) throw error;
            largeValueRefusal = error;
          }
        });
      }
      return { ...parts, customers: null, customersLeftOut, largeSegments, largeValue, ...(largeValueRefusal === undefined ? {} : { largeValueRefusal }) };
    }
    // The options as the Segmentation and Customer Value tabs take them from allTabs (their defaults included).
    const customers = await customerFactsFrom(
      db,
      source,
      { asOf: options.asOf ?? null, periodUnit: options.period ?? "week", holdoutPeriods: options.holdoutPeriods ?? null, thresholds: DEFAULT_LIFECYCLE_THRESHOLDS, pattern },
      display,
    );
    return { ...parts, customers };
  };
}

/**
 * The summaries of the run's touchpoint tabs (Attribution, Journey) on a log read out of core.
 *
 * @param options the run's options (tabs asked for).
 * @param stages the run's channel → stage table, or null.
 * @returns the function that computes them on the open log.
 */
export function touchpointParts(options: AllTabsOptions, stages: BusinessData["stages"] | null = null): TouchpointParts {
  // The channel → stage table gives a log without a stage column its stages; a bad cell in it is
  // reported by the Journey tab (which reads it too), so the facts are then computed without it.
  let stageTable: Map<string, string> | null = null;
  try {
    stageTable = stages === null || stages === undefined ? null : stageTableOf(stages);
  } catch (error) {
    if (!isEngineError(error)) throw error;
  }
  const builds = (tabs: readonly TabId[]) => options.tabs === null || options.tabs === undefined || tabs.some((tab) => options.tabs!.includes(tab));
  // The Budget reads the Attribution tab's credit (allTabs builds it for either); the report's
  // Attribution tab takes the default look-back and half-life.
  const wantsAttribution = builds(["attribution", "budget"]);
  const wantsJourneys = builds(["journey"]);
  const computedFor = { lookbackDays: DEFAULT_LOOKBACK_DAYS, halfLifeDays: DEFAULT_HALF_LIFE_DAYS };
  const refusalOr = async (facts: () => Promise<AttributionPart>): Promise<AttributionPart> => {
    try {
      return await facts();
    } catch (error) {
      // A log that cannot be attributed skips the tab with the rows' route's words, not the run.
      const refusal = attributionRefusalOf(error, computedFor);
      if (refusal === null) throw error;
      return refusal;
    }
  };
  return async (log) => {
    if (!wantsJourneys) return { attribution: wantsAttribution ? await refusalOr(() => attributionFactsFrom(log, computedFor)) : null, journeys: null };
    // Both parts read the log cut into journeys, the larger share of either part's time: the log is
    // cut once, batch by batch, each batch read by both parts and dropped (touchpointCut.ts); the
    // Attribution facts group the Journey facts' journeys into paths (the same look-back) rather
    // than build the paths again.
    const journeys = await journeyReader(log, stageTable);
    const cut = await cutTouchpoints(log, wantsAttribution ? unionOfNeeds(ATTRIBUTION_CUT_NEEDS, journeys.needs) : journeys.needs);
    try {
      const shared = computedFor.lookbackDays === journeys.journeys.lookbackDays ? journeys.journeys : null;
      const attribution = wantsAttribution ? await attributionReader(log, computedFor, cut.names, shared) : null;
      await readBatches(log, cut, attribution === null ? [journeys] : [journeys, attribution]);
      // The Attribution facts first: they read the journeys' table, which the Journey facts drop.
      return { attribution: attribution === null ? null : await refusalOr(() => attribution.finish()), journeys: await journeys.finish(cut.names) };
    } finally {
      await dropCut(log, cut);
    }
  };
}
