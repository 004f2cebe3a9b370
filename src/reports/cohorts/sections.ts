/**
 * The sections of the Cohorts tab (src/reports/cohorts.ts): the matrices, their average rows and
 * charts, the payback table, the headline items, the warnings and the provenance notes.
 *
 * Column plan: A cohort month (and headline labels), B customers (and headline numbers), C onwards
 * Month 0, Month 1, …; the headline sentences overflow from C to the right.
 */

import { cohortRow, periodColumnName } from "../../engine/cohorts";
import { serialToCalendar } from "../../engine/data";
import { CHART_SIZE, FORMAT, formatCount, moneyFormat } from "../format";
import { headingBlock, type HeadlineItem, NOTHING, type Section } from "../layout";
import type { Block, Cell, ChartSpec, ConditionalFormat, TableBlock } from "../sheet";
import { type CohortAnalysis, monthText, RETENTION_MONTH, SHOWN_COHORTS, SHOWN_MONTHS } from "./analysis";

/** Number format of a cohort cell: the month, "Jan 1997". */
export const COHORT_FORMAT = "mmm yyyy";

/** Table names, for tests and references. */
export const RETENTION_TABLE = "CohortRetention";
export const REVENUE_TABLE = "CohortRevenue";
export const PAYBACK_TABLE = "CohortPayback";

/** An amount as text with the currency: "€86.30", "86.30 CHF", "86.30". */
export function moneyText(value: number, currency: string | undefined, decimals: 0 | 2 = 2): string {
  const [whole, fraction] = Math.abs(value).toFixed(decimals).split(".");
  const number = `${value < 0 ? "-" : ""}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${fraction === undefined ? "" : `.${fraction}`}`;
  if (currency === undefined || currency.trim() === "") return number;
  return /^[A-Z]{3}$/.test(currency) ? `${number} ${currency}` : `${currency}${number}`;
}

/** A number format with room on its right (`_)` on every section), so the sentence beside it does not touch it. */
export function padded(format: string): string {
  return format
    .split(";")
    .map((section) => `${section}_)`)
    .join(";");
}

/** "12.3%" for a share. */
export function percentText(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** "month 3" / "month 0" for a payback or retention month, and "not yet" for −1. */
export function paybackText(month: number): string {
  return month < 0 ? "not yet" : `month ${month}`;
}

/** True when a date serial is the last day of its month. */
function isMonthEnd(serial: number): boolean {
  return serialToCalendar(serial + 1).day === 1;
}

/** Where a matrix landed: its table and the average row under it. */
export interface MatrixPlace {
  readonly table: TableBlock;
  /** Row of the "All cohorts" average line. */
  readonly averageRow: number;
}

/**
 * A cohort × month matrix (retention or cumulative revenue per customer) as an Excel table, the
 * latest cohorts and the first months, with a customer-weighted average row under it.
 */
export function matrixSection(
  cv: CohortAnalysis,
  measure: "retention" | "revenue",
  currency: string | undefined,
  placed: (place: MatrixPlace) => void,
): Section {
  const { matrix, shownCohorts, shownMonths } = cv;
  const format = measure === "retention" ? FORMAT.percent : moneyFormat(currency, 2);
  const cut: string[] = [];
  if (matrix.cohortCount > SHOWN_COHORTS) cut.push(`the latest ${SHOWN_COHORTS} of ${formatCount(matrix.cohortCount)} cohorts`);
  if (matrix.periodCount > SHOWN_MONTHS) cut.push(`months 0 to ${SHOWN_MONTHS - 1} of ${formatCount(matrix.periodCount)}`);
  const note =
    (measure === "retention"
      ? "Share of each cohort (customers whose first order was in that month) ordering again in each month since; blank: month not reached yet. Darker blue: a larger share (months 1 onwards)."
      : "Revenue per customer of each cohort, added up from the first order to the end of each month since; blank: month not reached yet.") +
    (cut.length > 0 ? ` Showing ${cut.join(" and ")}.` : "") +
    (isMonthEnd(matrix.asOf) ? "" : ` The last month of each row (${monthText(matrix.asOf)}) is not over: it counts orders up to ${serialToCalendar(matrix.asOf).day} ${monthText(matrix.asOf)} only.`);
  return (top) => {
    const headers = ["Cohort", "Customers", ...Array.from({ length: shownMonths }, (_, k) => periodColumnName("month", k))];
    const rows: Cell[][] = shownCohorts.map((c) => [matrix.cohortStarts[c], matrix.cohortSizes[c], ...cohortRow(matrix, measure, c).slice(0, shownMonths)]);
    const table: TableBlock = {
      kind: "table",
      name: measure === "retention" ? RETENTION_TABLE : REVENUE_TABLE,
      row: top + 2,
      column: 0,
      headers,
      rows,
      numberFormats: [COHORT_FORMAT, FORMAT.integer, ...Array<string>(shownMonths).fill(format)],
    };
    const averageRow = table.row + 1 + rows.length;
    const averages: Cell[] = ["Cohorts that reached the month (weighted)", null];
    for (let k = 0; k < shownMonths; k++) {
      let weighted = 0;
      let customers = 0;
      for (const c of shownCohorts) {
        const value = cohortRow(matrix, measure, c)[k];
        if (value === null) continue;
        weighted += value * matrix.cohortSizes[c];
        customers += matrix.cohortSizes[c];
      }
      averages.push(customers > 0 ? weighted / customers : null);
    }
    const blocks: Block[] = [
      headingBlock(top, measure === "retention" ? "Retention: share of each cohort ordering in each month" : "Revenue per customer, cumulative"),
      { kind: "cells", row: top + 1, column: 0, values: [[note]], style: "note" },
      table,
      { kind: "cells", row: averageRow, column: 0, values: [averages], style: "total", numberFormats: [null, null, ...Array<string>(shownMonths).fill(format)] },
    ];
    const conditionalFormats: ConditionalFormat[] = [];
    if (measure === "retention" && shownMonths > 1) {
      // Month 0 is 100% by definition: the scale covers months 1 onwards so it shows their spread.
      conditionalFormats.push({
        range: { row: table.row + 1, column: 3, rowCount: rows.length, columnCount: shownMonths - 1 },
        rule: { kind: "colorScale", low: "FFFFFF", high: "5B9BD5" },
      });
    }
    placed({ table, averageRow });
    return { blocks, conditionalFormats, rows: averageRow - top + 1 };
  };
}

/**
 * The two charts side by side, over the months the oldest cohort shown reached (so every charted
 * cell is written): retention curves (the weighted average and up to two of the oldest cohorts, the
 * ones that reached all those months), and cumulative revenue per customer against CAC.
 */
export function chartsSection(cv: CohortAnalysis, retention: MatrixPlace, revenue: MatrixPlace, cacRow: number | null, currency: string | undefined): Section {
  const shown = cv.shownCohorts;
  const months = Math.min(cv.shownMonths, cv.matrix.periodsReached[shown[0]]);
  if (months < 2) return () => NOTHING;
  return (top) => {
    const categories = { row: retention.table.row, column: 3, rowCount: 1, columnCount: months - 1 };
    const series: ChartSpec["series"][number][] = [
      { name: "Cohorts that reached the month (weighted)", values: { row: retention.averageRow, column: 3, rowCount: 1, columnCount: months - 1 } },
    ];
    if (shown.length > 1) {
      for (let i = 0; i < shown.length && series.length < 3; i++) {
        if (cv.matrix.periodsReached[shown[i]] < months) break;
        series.push({ name: `${monthText(cv.matrix.cohortStarts[shown[i]])} cohort`, values: { row: retention.table.row + 1 + i, column: 3, rowCount: 1, columnCount: months - 1 } });
      }
    }
    const charts: ChartSpec[] = [
      {
        type: "line",
        title: "Share of customers ordering, by month since their first order",
        categories,
        series,
        xAxisTitle: "Months since first order",
        yAxisTitle: "Customers ordering",
        valueFormat: "0%",
        anchor: { row: top + 1, column: 0, rows: CHART_SIZE.rows + 2, columns: 4 },
      },
      {
        type: "line",
        title: cacRow === null ? "Revenue per customer, cumulative" : "Revenue per customer, cumulative, against CAC",
        categories: { row: revenue.table.row, column: 2, rowCount: 1, columnCount: months },
        series: [
          { name: "Revenue per customer (cohorts that reached the month)", values: { row: revenue.averageRow, column: 2, rowCount: 1, columnCount: months } },
          ...(cacRow === null ? [] : [{ name: "CAC", values: { row: cacRow, column: 2, rowCount: 1, columnCount: months } }]),
        ],
        xAxisTitle: "Months since first order",
        yAxisTitle: "Per customer",
        valueFormat: moneyFormat(currency, 0),
        anchor: { row: top + 1, column: 5, rows: CHART_SIZE.rows + 2, columns: 9 },
      },
    ];
    return { blocks: [headingBlock(top, "Retention curves and revenue against CAC")], charts, rows: 1 + CHART_SIZE.rows + 2 };
  };
}

/** The CAC line under the revenue matrix (the chart's CAC series): the average CAC in every month column. */
export function cacLineSection(cv: CohortAnalysis, currency: string | undefined): Section {
  if (cv.averageCac === null) return () => NOTHING;
  const label = cv.cacSource.kind === "spendByMonth" ? "CAC (customer-weighted average of the cohorts with spend)" : "CAC";
  return (top) => ({
    blocks: [
      {
        kind: "cells",
        row: top,
        column: 0,
        values: [[label, null, ...Array<number>(cv.shownMonths).fill(cv.averageCac as number)]],
        numberFormats: [null, null, ...Array<string>(cv.shownMonths).fill(moneyFormat(currency, 2))],
        style: "note",
      },
    ],
    rows: 1,
  });
}

/** The payback table, one row per cohort shown; or one line saying why there is none and how to get it. */
export function paybackSection(cv: CohortAnalysis, currency: string | undefined): Section {
  const { matrix, payback, cacByCohort } = cv;
  if (payback === null || cacByCohort === null) {
    const reason = cv.cacSource.kind === "none" ? cv.cacSource.reason : "there is no CAC";
    return (top) => ({
      blocks: [
        headingBlock(top, "Payback against CAC"),
        {
          kind: "cells",
          row: top + 1,
          column: 0,
          values: [[`No payback shown: ${reason}. Give the cost of acquiring a customer (the CAC option), or a marketing spend table by month, to see when each cohort earns it back.`]],
          style: "note",
        },
      ],
      rows: 2,
    });
  }
  return (top) => {
    const rows: Cell[][] = cv.shownCohorts.map((c) => {
      const revenue = cohortRow(matrix, "revenue", c)[matrix.periodsReached[c] - 1] as number;
      const month = payback[c];
      return [matrix.cohortStarts[c], matrix.cohortSizes[c], cacByCohort[c], revenue, month === -2 ? "no spend that month" : month === -1 ? "not yet" : month];
    });
    const table: TableBlock = {
      kind: "table",
      name: PAYBACK_TABLE,
      row: top + 2,
      column: 0,
      headers: ["Cohort", "Customers", "CAC", "Revenue per customer so far", "Payback month"],
      rows,
      numberFormats: [COHORT_FORMAT, FORMAT.integer, moneyFormat(currency, 2), moneyFormat(currency, 2), FORMAT.integer],
    };
    const note =
      "Payback month: the first month since the first order in which the cohort's revenue per customer, added up, reaches CAC (month 0 = the month of the first order; revenue, not margin).";
    return {
      blocks: [headingBlock(top, "Payback against CAC"), { kind: "cells", row: top + 1, column: 0, values: [[note]], style: "note" }, table],
      rows: 2 + 1 + rows.length,
    };
  };
}

/** The headline items with the figure key of each (null: not published). */
export function headlineItems(cv: CohortAnalysis, currency: string | undefined): { readonly item: HeadlineItem; readonly key: string | null }[] {
  const { matrix } = cv;
  const first = monthText(matrix.cohortStarts[0]);
  const last = monthText(matrix.cohortStarts[matrix.cohortCount - 1]);
  const items: { item: HeadlineItem; key: string | null }[] = [
    {
      key: "cohorts.count",
      item: {
        label: "Monthly cohorts",
        value: matrix.cohortCount,
        format: padded(FORMAT.integer),
        sentence: `${formatCount(matrix.customerCount)} customers grouped by the month of their first order, ${first === last ? first : `${first} to ${last}`}.`,
      },
    },
  ];
  const r3 = cv.retention3;
  items.push({
    key: "cohorts.retention3",
    item: {
      label: `Ordering in month ${RETENTION_MONTH} after the first order`,
      value: r3.value ?? "not reached",
      format: padded(FORMAT.percent),
      sentence:
        r3.value === null
          ? `No cohort is ${RETENTION_MONTH} months old yet.`
          : `of customers ordered in their month ${RETENTION_MONTH} (the ${formatCount(r3.cohorts)} cohort${r3.cohorts === 1 ? "" : "s"} that reached it, ${formatCount(r3.customers)} customers, weighted by size).`,
    },
  });
  const rev = cv.revenue12;
  items.push({
    key: "cohorts.revenue12",
    item: {
      label: rev.month === 12 ? "Revenue per customer in 12 months" : `Revenue per customer by month ${rev.month}`,
      value: rev.value ?? 0,
      format: padded(moneyFormat(currency, 2)),
      sentence:
        rev.month === 12
          ? `added up from the first order to month 12 (the ${formatCount(rev.cohorts)} cohort${rev.cohorts === 1 ? "" : "s"} that reached it, weighted by size).`
          : `added up from the first order to month ${rev.month}, the latest month reached (no cohort is 12 months old yet; ${formatCount(rev.cohorts)} cohort${rev.cohorts === 1 ? "" : "s"}).`,
    },
  });
  if (cv.medianPayback !== null && cv.averageCac !== null) {
    const median = cv.medianPayback;
    items.push({
      key: "cohorts.paybackMonth",
      item: {
        label: "Payback month (median cohort)",
        value: median < 0 ? "not yet" : median,
        format: padded(FORMAT.integer),
        sentence:
          median < 0
            ? `Most cohorts have not yet earned back a CAC of ${moneyText(cv.averageCac, currency)} per customer in revenue.`
            : `months after the first order, half the cohorts have earned back a CAC of ${moneyText(cv.averageCac, currency)} per customer in revenue.`,
        bad: median < 0 ? true : undefined,
      },
    });
  }
  return items;
}

/** Red warnings: young cohorts, retention falling for recent cohorts, no payback yet. */
export function warningsOf(cv: CohortAnalysis): string[] {
  const { matrix } = cv;
  const warnings: string[] = [];
  const young: number[] = [];
  for (let c = 0; c < matrix.cohortCount; c++) if (matrix.periodsReached[c] <= RETENTION_MONTH) young.push(c);
  if (young.length > 0 && young.length < matrix.cohortCount) {
    const names = young.length === 1 ? monthText(matrix.cohortStarts[young[0]]) : `${monthText(matrix.cohortStarts[young[0]])} to ${monthText(matrix.cohortStarts[young[young.length - 1]])}`;
    warnings.push(
      `The latest ${young.length === 1 ? "cohort" : `${young.length} cohorts`} (${names}) ${young.length === 1 ? "is" : "are"} less than ${RETENTION_MONTH} months old: judge ${young.length === 1 ? "it" : "them"} only on the months reached, not against older cohorts' later months.`,
    );
  }
  // Month-1 retention of the recent cohorts against the earlier ones.
  const reached = Array.from({ length: matrix.cohortCount }, (_, c) => c).filter((c) => matrix.periodsReached[c] > 1);
  if (reached.length >= 2) {
    const recentCount = Math.min(3, Math.floor(reached.length / 2));
    const recent = reached.slice(-recentCount);
    const earlier = reached.slice(0, reached.length - recentCount);
    const share = (cohorts: number[]) => {
      let active = 0;
      let size = 0;
      for (const c of cohorts) {
        active += matrix.activeCustomers[c * matrix.periodCount + 1];
        size += matrix.cohortSizes[c];
      }
      return active / size;
    };
    const now = share(recent);
    const before = share(earlier);
    if (before > 0 && now < before * 0.8) {
      warnings.push(
        `Retention is falling for recent cohorts: ${percentText(now)} of the ${recent.length === 1 ? `${monthText(matrix.cohortStarts[recent[0]])} cohort` : `latest ${recent.length} cohorts`} ordered again in month 1, against ${percentText(before)} of the earlier ones (a fall of more than a fifth).`,
      );
    }
  }
  if (cv.medianPayback === -1) warnings.push("Most cohorts have not earned back their acquisition cost (CAC) in revenue yet: acquisition costs more than customers have spent so far.");
  return warnings;
}
