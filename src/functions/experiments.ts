/**
 * Experiment custom functions: IMC.ABTEST (two-proportion z-test) and IMC.SAMPLESIZE (visitors per
 * arm, element-wise).
 *
 * Thin adapters: Excel arguments → engine → cells. The JSDoc of each `@customfunction` is what
 * Excel users see in formula autocomplete and the function dialog; it is written for them.
 */

import { toNumber } from "../engine/data";
import { invalidCell, isEngineError } from "../engine/errors";
import { abTest as runAbTest } from "../engine/experiments/abTest";
import { sampleSizePerArm } from "../engine/experiments/sampleSize";
import { optionCell, optionNumber } from "./arguments";
import { elementwise } from "./elementwise";
import { locateError } from "./errors";
import { spill, type SpillCell } from "./table";

const DEFAULT_CONFIDENCE = 0.95;
const DEFAULT_POWER = 0.8;

/** A required single-cell number. */
function requiredNumber(range: unknown, argument: string): number {
  const value = optionCell(range, argument);
  if (value === null) throw invalidCell(argument, 1, "is blank; a number is required");
  return toNumber(value, argument, 1);
}

const AB_TEST_NAMES: Readonly<Record<string, string>> = {
  conversionsA: "conversions_a",
  visitorsA: "visitors_a",
  conversionsB: "conversions_b",
  visitorsB: "visitors_b",
  confidence: "confidence",
};

function percentText(share: number): string {
  return `${Number.parseFloat((share * 100).toPrecision(6)).toString()}%`;
}

/**
 * A/B test of two conversion rates (two-proportion z-test): rates, lift, z, p-value, confidence intervals and a verdict, e.g. =IMC.ABTEST(250, 5000, 295, 5000).
 * @customfunction ABTEST
 * @param conversions_a Conversions of variant A (the control), a whole number.
 * @param visitors_a Visitors of variant A, a whole number above 0.
 * @param conversions_b Conversions of variant B, a whole number.
 * @param visitors_b Visitors of variant B, a whole number above 0.
 * @param [confidence] Confidence level between 0 and 1. Default 0.95.
 * @returns A two-column table (Measure, Value): rates, absolute and relative lift, z, two-sided p-value, intervals, verdict.
 */
export function abTest(
  conversions_a: any[][],
  visitors_a: any[][],
  conversions_b: any[][],
  visitors_b: any[][],
  confidence?: any[][],
): any[][] {
  return spill("IMC.ABTEST", () => {
    const level = optionNumber(confidence, "confidence") ?? DEFAULT_CONFIDENCE;
    let result;
    try {
      result = runAbTest({
        conversionsA: requiredNumber(conversions_a, "conversions_a"),
        visitorsA: requiredNumber(visitors_a, "visitors_a"),
        conversionsB: requiredNumber(conversions_b, "conversions_b"),
        visitorsB: requiredNumber(visitors_b, "visitors_b"),
        confidence: level,
      });
    } catch (error) {
      const excelName = isEngineError(error) && error.argument !== undefined ? AB_TEST_NAMES[error.argument] : undefined;
      throw excelName === undefined ? error : locateError(error, excelName, { row: 1 });
    }
    const ci = percentText(level);
    const rows: SpillCell[][] = [
      ["Measure", "Value"],
      ["Conversion rate A", result.rateA],
      ["Conversion rate B", result.rateB],
      ["Absolute lift (B − A)", result.absoluteLift],
      ["Relative lift (B / A − 1)", result.relativeLift],
      ["z", result.z],
      ["p-value (two-sided)", result.pValue],
      [`Absolute lift ${ci} CI low`, result.differenceLow],
      [`Absolute lift ${ci} CI high`, result.differenceHigh],
      [`Relative lift ${ci} CI low`, result.relativeLiftLow],
      [`Relative lift ${ci} CI high`, result.relativeLiftHigh],
      ["Verdict", result.verdict],
    ];
    return rows;
  });
}

/**
 * Visitors needed per variant to detect a change in conversion rate with a two-sided z-test, e.g. =IMC.SAMPLESIZE(0.05, 0.06) returns 8155.
 * @customfunction SAMPLESIZE
 * @param baseline_rate Current conversion rate, between 0 and 1 (0.05 for 5%). A cell or a range.
 * @param expected_rate Conversion rate to detect, between 0 and 1, different from the baseline. A cell or a range.
 * @param [confidence] Confidence level (two-sided) between 0 and 1. Default 0.95.
 * @param [power] Chance of detecting the change if it is real, between 0 and 1. Default 0.8.
 * @returns Visitors per variant, rounded up.
 */
export function sampleSize(baseline_rate: any[][], expected_rate: any[][], confidence?: any[][], power?: any[][]): any[][] {
  return elementwise(
    "IMC.SAMPLESIZE",
    [
      { argument: "baseline_rate", range: baseline_rate },
      { argument: "expected_rate", range: expected_rate },
      { argument: "confidence", range: confidence ?? null },
      { argument: "power", range: power ?? null },
    ],
    (cell) =>
      sampleSizePerArm({
        baselineRate: cell.number("baseline_rate"),
        expectedRate: cell.number("expected_rate"),
        confidence: cell.optionalNumber("confidence") ?? DEFAULT_CONFIDENCE,
        power: cell.optionalNumber("power") ?? DEFAULT_POWER,
      }),
    { baselineRate: "baseline_rate", expectedRate: "expected_rate", confidence: "confidence", power: "power" },
  );
}
