/**
 * Customer-value custom functions: IMC.CLV (retention formula).
 *
 * Thin adapters: Excel arguments → engine → cells. The JSDoc of each `@customfunction` is what
 * Excel users see in formula autocomplete and the function dialog; it is written for them.
 */

import { retentionClv } from "../engine/clv/retentionClv";
import { elementwise, type ElementwiseFastPath } from "./elementwise";

/**
 * IMC.CLV's column fast path: the same retentionClv on arguments converted once (a million-row
 * column costs a plain loop); cells that are not plain numbers go through the per-cell path.
 */
const CLV_FAST_PATH: ElementwiseFastPath = {
  inputs: [
    { argument: "margin", kind: "number" },
    { argument: "retention_rate", kind: "number" },
    { argument: "discount_rate", kind: "number" },
    { argument: "periods", kind: "optionalNumber" },
    { argument: "margin_now", kind: "optionalBoolean" },
  ],
  kernel: (values) =>
    retentionClv({
      margin: values[0],
      retentionRate: values[1],
      discountRate: values[2],
      horizonPeriods: Number.isNaN(values[3]) ? null : values[3],
      marginNow: values[4] === 1,
    }),
};

// The first JSDoc paragraph is the description Excel shows in autocomplete and the function
// dialog: one line, for users. Margin arrives at the end of each period the customer is kept.
/**
 * Customer lifetime value: margin × retention / (1 + discount − retention), the discounted margin a customer brings while they stay; cell by cell over ranges. Example: =IMC.CLV(100, 0.8, 0.1) returns 266.67.
 * @customfunction CLV
 * @param margin Margin per customer per period (e.g. yearly gross margin, 100). A cell or a range.
 * @param retention_rate Share of customers kept from one period to the next, between 0 and 1 (0.8 for 80%). Must be below 1 + discount_rate when periods is left out.
 * @param discount_rate Discount rate per period (0.1 for 10%), above -1.
 * @param [periods] Number of periods to count (a whole number, 1 or more). Leave out for an unlimited horizon.
 * @param [margin_now] TRUE to also count the margin of the current period (CLV + margin). Default FALSE.
 * @returns Lifetime value per customer, in the margin's currency.
 */
export function clv(
  margin: any[][],
  retention_rate: any[][],
  discount_rate: any[][],
  periods?: any[][],
  margin_now?: any[][],
): any[][] {
  return elementwise(
    "IMC.CLV",
    [
      { argument: "margin", range: margin },
      { argument: "retention_rate", range: retention_rate },
      { argument: "discount_rate", range: discount_rate },
      { argument: "periods", range: periods ?? null },
      { argument: "margin_now", range: margin_now ?? null },
    ],
    (cell) =>
      retentionClv({
        margin: cell.number("margin"),
        retentionRate: cell.number("retention_rate"),
        discountRate: cell.number("discount_rate"),
        horizonPeriods: cell.optionalNumber("periods"),
        marginNow: cell.optionalBoolean("margin_now") ?? false,
      }),
    { margin: "margin", retentionRate: "retention_rate", discountRate: "discount_rate", horizonPeriods: "periods" },
    CLV_FAST_PATH,
  );
}
