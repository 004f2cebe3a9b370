/**
 * ROCI custom functions: IMC.ROCI (element-wise), IMC.ROCI.GROUPS (per customer group) and
 * IMC.ROCI.LONGTERM (from a change in CLV).
 *
 * Thin adapters: Excel arguments → engine → cells. The JSDoc of each `@customfunction` is what
 * Excel users see in formula autocomplete and the function dialog; it is written for them.
 */

import { alignRows, numberColumn, textColumn, toColumn, toOptionalNumber } from "../engine/data";
import { longTermRoci } from "../engine/roci/longTermRoci";
import { ROCI_MODES, roci as rociOf, type RociMode } from "../engine/roci/roci";
import { rociByGroup } from "../engine/roci/rociByGroup";
import { optionChoice } from "./arguments";
import { elementwise } from "./elementwise";
import { toExcelError } from "./errors";
import { spill, type SpillCell } from "./table";

/** Reads the [mode] option; a bad mode is the whole call's #VALUE!. */
function modeOption(range: unknown, functionName: string): RociMode {
  try {
    return optionChoice(range, "mode", ROCI_MODES) ?? "net";
  } catch (error) {
    throw toExcelError(error, functionName);
  }
}

/**
 * Return on customer investment per row: (contribution − baseline − investment) / investment, e.g. =IMC.ROCI(62, 1, 60) returns 1 (+100%).
 * @customfunction ROCI
 * @param contribution Contribution of the customer group in the period (revenue − variable cost). A cell or a range.
 * @param investment Marketing spend on the group in the period, above 0. A cell or a range.
 * @param [baseline_contribution] What the group would have contributed anyway (holdout control scaled to the group, or the prior period). Leave out and the whole contribution counts as the return.
 * @param [mode] "net" (default): (incremental − investment) / investment; "gross": incremental / investment (= net + 1).
 * @returns ROCI as a ratio: 1 means +100%.
 */
export function roci(contribution: any[][], investment: any[][], baseline_contribution?: any[][], mode?: any[][]): any[][] {
  const chosen = modeOption(mode, "IMC.ROCI");
  return elementwise(
    "IMC.ROCI",
    [
      { argument: "contribution", range: contribution },
      { argument: "investment", range: investment },
      { argument: "baseline_contribution", range: baseline_contribution ?? null },
    ],
    (cell) =>
      rociOf({
        contribution: cell.number("contribution"),
        investment: cell.number("investment"),
        baselineContribution: cell.optionalNumber("baseline_contribution"),
        mode: chosen,
      }),
    { contribution: "contribution", investment: "investment", baselineContribution: "baseline_contribution" },
  );
}

const GROUP_HEADER = ["Group", "Rows", "Contribution", "Baseline", "Incremental", "Investment", "Investment share", "ROCI", "Note"];

/**
 * ROCI per customer group (segment, stage, cluster): sums contribution, baseline and investment per group, then (incremental − investment) / investment; spills a table with an "All groups" total.
 * @customfunction ROCI.GROUPS
 * @param groups Group of each row (segment, lifecycle stage, cluster), one column; "Loyal" and "loyal" are one group.
 * @param contribution Contribution of each row in the period (revenue − variable cost), same rows as groups.
 * @param investment Marketing spend on each row in the period (0 or more), same rows as groups.
 * @param [baseline_contribution] Baseline contribution of each row (holdout control or prior period); blank cells count as 0. Leave out and the whole contribution counts as the return.
 * @param [mode] "net" (default) or "gross" (= net + 1).
 * @returns A table: Group, Rows, Contribution, Baseline, Incremental, Investment, Investment share, ROCI, Note; groups in order of first appearance, then All groups.
 */
export function rociGroups(
  groups: any[][],
  contribution: any[][],
  investment: any[][],
  baseline_contribution?: any[][],
  mode?: any[][],
): any[][] {
  return spill("IMC.ROCI.GROUPS", () => {
    const chosen = optionChoice(mode, "mode", ROCI_MODES) ?? "net";
    const columns = [
      { argument: "groups", values: toColumn(groups, "groups") },
      { argument: "contribution", values: toColumn(contribution, "contribution") },
      { argument: "investment", values: toColumn(investment, "investment") },
    ];
    if (baseline_contribution !== null && baseline_contribution !== undefined) {
      columns.push({ argument: "baseline_contribution", values: toColumn(baseline_contribution, "baseline_contribution") });
    }
    // Trailing rows that are all 0 are desktop Excel's empty cells under a whole-column reference;
    // such a row adds nothing to any sum, so dropping it loses nothing.
    const rows = alignRows(columns, { zeroIsBlank: true });
    // Columns are read in argument order, so the first bad cell reported is the leftmost argument's.
    const groupLabels = textColumn(columns[0].values, "groups", rows);
    const contributions = numberColumn(columns[1].values, "contribution", rows);
    const investments = numberColumn(columns[2].values, "investment", rows);
    let baseline: Float64Array | null = null;
    if (columns.length > 3) {
      // Blank baseline cells count as 0 (no baseline for that row).
      const values = columns[3].values;
      baseline = new Float64Array(rows);
      for (let i = 0; i < rows; i++) baseline[i] = toOptionalNumber(values[i], "baseline_contribution", i + 1) ?? 0;
    }
    const result = rociByGroup({
      groups: groupLabels,
      contribution: contributions,
      investment: investments,
      baselineContribution: baseline,
      mode: chosen,
    });
    const out: SpillCell[][] = [GROUP_HEADER];
    for (const row of [...result.groups, result.total]) {
      const notes: string[] = [];
      if (!result.hasBaseline) notes.push("no baseline: the whole contribution counts as the return");
      if (row.roci === null) notes.push("no investment: ROCI is undefined");
      out.push([
        row.group,
        row.rows,
        row.contribution,
        row.baselineContribution,
        row.incremental,
        row.investment,
        row.investmentShare,
        row.roci,
        notes.join("; "),
      ]);
    }
    return out;
  });
}

/**
 * Long-term ROCI from the change in customer lifetime value: (customers × (CLV after − CLV before) − investment) / investment, e.g. =IMC.ROCI.LONGTERM(1000, 300, 310, 5000) returns 1 (+100%).
 * @customfunction ROCI.LONGTERM
 * @param customers Customers in the group (0 or more). A cell or a range.
 * @param clv_before Lifetime value per customer without the programme. A cell or a range.
 * @param clv_after Lifetime value per customer with the programme. A cell or a range.
 * @param investment Spend on the programme for the group, above 0. A cell or a range.
 * @param [mode] "net" (default) or "gross" (= net + 1).
 * @returns Long-term ROCI as a ratio: 1 means +100%.
 */
export function rociLongTerm(customers: any[][], clv_before: any[][], clv_after: any[][], investment: any[][], mode?: any[][]): any[][] {
  const chosen = modeOption(mode, "IMC.ROCI.LONGTERM");
  return elementwise(
    "IMC.ROCI.LONGTERM",
    [
      { argument: "customers", range: customers },
      { argument: "clv_before", range: clv_before },
      { argument: "clv_after", range: clv_after },
      { argument: "investment", range: investment },
    ],
    (cell) =>
      longTermRoci({
        customers: cell.number("customers"),
        clvBefore: cell.number("clv_before"),
        clvAfter: cell.number("clv_after"),
        investment: cell.number("investment"),
        mode: chosen,
      }),
    { customers: "customers", clvBefore: "clv_before", clvAfter: "clv_after", investment: "investment" },
  );
}
