/**
 * Holdout incrementality and loyalty custom functions: IMC.LIFT (what a campaign added over a
 * held-out control group) and IMC.NPS (Net Promoter Score, the Champions of the three C's).
 *
 * Thin adapters: Excel arguments → engine (src/engine/experiments/lift.ts, src/engine/survey/nps.ts)
 * → spilled cells. The JSDoc of each `@customfunction` is what Excel users see in formula
 * autocomplete and the function dialog; it is written for them.
 */

import { alignRows, toColumn, toNumber } from "../engine/data";
import { invalidCell, isEngineError } from "../engine/errors";
import { holdoutLift, type LiftField } from "../engine/experiments/lift";
import { netPromoterScore, netPromoterScoreByGroup, type NpsResult } from "../engine/survey/nps";
import { optionCell, optionNumber } from "./arguments";
import { locateError } from "./errors";
import { spill, type SpillCell } from "./table";

const DEFAULT_CONFIDENCE = 0.95;

/** A required single-cell number. */
function requiredNumber(range: unknown, argument: string): number {
  const value = optionCell(range, argument);
  if (value === null) throw invalidCell(argument, 1, "is blank; a number is required");
  return toNumber(value, argument, 1);
}

const LIFT_NAMES: Readonly<Record<LiftField, string>> = {
  conversionsTest: "conversions_test",
  sizeTest: "size_test",
  conversionsControl: "conversions_control",
  sizeControl: "size_control",
  revenueTest: "revenue_test",
  revenueControl: "revenue_control",
  spend: "spend",
  confidence: "confidence",
};

function percentText(share: number): string {
  return `${Number.parseFloat((share * 100).toPrecision(6)).toString()}%`;
}

/**
 * Lift of a campaign over a held-out control group: conversion rates, lift with its confidence interval, z, p-value, incremental conversions and (with revenues and spend) incremental revenue and iROAS, e.g. =IMC.LIFT(300, 10000, 250, 10000).
 * @customfunction LIFT
 * @param conversions_test Customers of the test group (contacted) who converted, a whole number.
 * @param size_test Customers in the test group, a whole number above 0.
 * @param conversions_control Customers of the control group (held out) who converted, a whole number above 0.
 * @param size_control Customers in the control group, a whole number above 0.
 * @param [revenue_test] Revenue of the test group in the test window. Give both revenues or neither.
 * @param [revenue_control] Revenue of the control group in the same window.
 * @param [spend] What the campaign cost (above 0), for iROAS = incremental revenue / spend.
 * @param [confidence] Confidence level between 0 and 1. Default 0.95.
 * @returns A two-column table (Measure, Value): rates, lift and its interval, difference and its interval, z, p-value, incremental conversions, incremental revenue, iROAS, verdict.
 */
export function lift(
  conversions_test: any[][],
  size_test: any[][],
  conversions_control: any[][],
  size_control: any[][],
  revenue_test?: any[][],
  revenue_control?: any[][],
  spend?: any[][],
  confidence?: any[][],
): any[][] {
  return spill("IMC.LIFT", () => {
    const level = optionNumber(confidence, "confidence") ?? DEFAULT_CONFIDENCE;
    let result;
    try {
      result = holdoutLift({
        conversionsTest: requiredNumber(conversions_test, "conversions_test"),
        sizeTest: requiredNumber(size_test, "size_test"),
        conversionsControl: requiredNumber(conversions_control, "conversions_control"),
        sizeControl: requiredNumber(size_control, "size_control"),
        revenueTest: optionNumber(revenue_test, "revenue_test"),
        revenueControl: optionNumber(revenue_control, "revenue_control"),
        spend: optionNumber(spend, "spend"),
        confidence: level,
      });
    } catch (error) {
      const excelName = isEngineError(error) && error.argument !== undefined ? LIFT_NAMES[error.argument as LiftField] : undefined;
      throw excelName === undefined ? error : locateError(error, excelName, { row: 1 });
    }
    const ci = percentText(level);
    const rows: SpillCell[][] = [
      ["Measure", "Value"],
      ["Test conversion rate", result.rateTest],
      ["Control conversion rate", result.rateControl],
      ["Lift (test / control − 1)", result.lift],
      [`Lift ${ci} CI low`, result.liftLow],
      [`Lift ${ci} CI high`, result.liftHigh],
      ["Difference (test − control)", result.difference],
      [`Difference ${ci} CI low`, result.differenceLow],
      [`Difference ${ci} CI high`, result.differenceHigh],
      ["z", result.z],
      ["p-value (two-sided)", result.pValue],
      ["Incremental conversions", result.incrementalConversions],
    ];
    if (result.incrementalRevenue !== null) {
      rows.push(
        ["Revenue per customer, test", result.revenuePerCustomerTest],
        ["Revenue per customer, control", result.revenuePerCustomerControl],
        ["Baseline revenue (control per customer × test size)", result.baselineRevenue],
        ["Incremental revenue", result.incrementalRevenue],
      );
    }
    if (result.spend !== null) {
      rows.push(["Spend", result.spend], ["Cost per incremental conversion", result.costPerIncrementalConversion]);
      if (result.iroas !== null) rows.push(["iROAS (incremental revenue / spend)", result.iroas]);
    }
    rows.push(["Verdict", result.verdict]);
    return rows;
  });
}

const NPS_GROUP_HEADER = ["Group", "Respondents", "Promoters %", "Passives %", "Detractors %", "NPS"];

/** A row of the grouped table; shares and NPS blank for a group whose answers are all blank. */
function npsRow(label: string, result: NpsResult): SpillCell[] {
  const none = result.respondents === 0;
  return [
    label,
    result.respondents,
    none ? null : result.promoterShare,
    none ? null : result.passiveShare,
    none ? null : result.detractorShare,
    none ? null : result.nps,
  ];
}

/**
 * Net Promoter Score of 0–10 answers to "How likely are you to recommend us?": % promoters (9–10) − % detractors (0–6), from −100 to 100, e.g. =IMC.NPS({10;10;9;8;7;6}) gives 33.3. With groups, one row per group and an All row.
 * @customfunction NPS
 * @param scores Answers, whole numbers from 0 to 10, one column (or row). Blank cells are left out.
 * @param [groups] Group of each answer (segment, region, survey wave), same rows as scores.
 * @returns Without groups, a Measure | Value table: NPS, Promoters %, Passives %, Detractors %, Respondents. With groups, a table: Group, Respondents, Promoters %, Passives %, Detractors %, NPS; groups in order of first appearance, then All.
 */
export function nps(scores: any[][], groups?: any[][]): any[][] {
  return spill("IMC.NPS", () => {
    const scoreCells = toColumn(scores, "scores");
    if (groups === null || groups === undefined) {
      // 0 is a valid answer, so only truly blank trailing cells are dropped.
      const rows = alignRows([{ argument: "scores", values: scoreCells }]);
      const result = netPromoterScore(scoreCells.slice(0, rows), "scores");
      return [
        ["Measure", "Value"],
        ["NPS", result.nps],
        ["Promoters %", result.promoterShare],
        ["Passives %", result.passiveShare],
        ["Detractors %", result.detractorShare],
        ["Respondents", result.respondents],
      ];
    }
    const groupCells = toColumn(groups, "groups");
    const rows = alignRows([
      { argument: "scores", values: scoreCells },
      { argument: "groups", values: groupCells },
    ]);
    const result = netPromoterScoreByGroup(scoreCells.slice(0, rows), groupCells.slice(0, rows), "scores", "groups");
    const out: SpillCell[][] = [NPS_GROUP_HEADER];
    for (const group of result.groups) out.push(npsRow(group.group, group));
    out.push(npsRow("All", result.all));
    return out;
  });
}
