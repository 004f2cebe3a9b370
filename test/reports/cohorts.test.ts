// The Cohorts tab: its matrices are IMC.COHORTS's on the same orders, payback against a given CAC
// and against spend by month, INSUFFICIENT_DATA without orders, figures that point at the cells
// showing them, and the written .xlsx checked as an analyst meets it (test/support/tabQuality.ts).
import { describe, expect, it } from "vitest";
import { writeNewWorkbook } from "../../src/cli/xlsx/writeReport";
import { buildCohortsTab } from "../../src/reports/cohorts";
import { PAYBACK_TABLE, RETENTION_TABLE, REVENUE_TABLE } from "../../src/reports/cohorts/sections";
import type { BusinessData } from "../../src/reports/detect";
import { cellAt, cellValue, sheetProblems, tableNamed, type ReportSheet } from "../../src/reports/sheet";
import type { TabOptions } from "../../src/reports/tabBuild";
import { installCustomFunctionsStub } from "../support/customFunctions";
import { engineErrorOf } from "../support/engine";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { loadWritten, tabViolationLines } from "../support/tabQuality";
import { cdnowTransactions } from "../engine/clv/cdnowData";

installCustomFunctionsStub();
const { cohorts } = await import("../../src/functions/cohorts");

const CONTEXT = { generatedAt: "2026-12-06T07:00:00Z", currency: "€" };
const NO_OPTIONS: TabOptions = { asOf: null, cac: null };
/** Excel serial of an ISO date (after 1900-03-01). */
const serial = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000 + 25_569;

function dataOf(ids: unknown[], dates: unknown[], values: unknown[], spend: BusinessData["spend"] = null): BusinessData {
  return { orders: { source: "Orders!A1:C99", customerIds: ids, orderDates: dates, orderValues: values }, customers: null, touchpoints: null, campaigns: null, spend };
}

/**
 * A fixture of 8 monthly cohorts (Jan–Aug 2024), sizes 5..12, each customer buying in the first month
 * and then every other month while a seeded coin says so.
 */
function fixture(): { ids: unknown[]; dates: unknown[]; values: unknown[] } {
  let state = 12345;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const ids: unknown[] = [];
  const dates: unknown[] = [];
  const values: unknown[] = [];
  for (let m = 0; m < 8; m++) {
    for (let c = 0; c < 5 + m; c++) {
      const id = `c${m}-${c}`;
      let month = m;
      ids.push(id);
      dates.push(serial(`2024-${String(m + 1).padStart(2, "0")}-${String(1 + c).padStart(2, "0")}`));
      values.push(40 + c);
      while (random() < 0.6 && month + 2 < 10) {
        month += 2;
        ids.push(id);
        dates.push(serial(`2024-${String(month + 1).padStart(2, "0")}-15`));
        values.push(25);
      }
    }
  }
  return { ids, dates, values };
}

/** A table block's rows as IMC.COHORTS spills them ("" for blank). */
function tableRows(sheet: ReportSheet, name: string): unknown[][] {
  const table = tableNamed(sheet, name);
  expect(table, name).toBeDefined();
  return [[...table!.headers], ...table!.rows.map((row) => row.map((cell) => cellValue(cell) ?? ""))];
}

describe("Cohorts tab on a fixture", () => {
  const { ids, dates, values } = fixture();
  const column = (cells: unknown[]) => cells.map((v) => [v]);

  it("its matrices equal IMC.COHORTS (retention and revenue) on the same orders", () => {
    const { sheet } = buildCohortsTab(dataOf(ids, dates, values), NO_OPTIONS, CONTEXT);
    expect(sheetProblems(sheet)).toEqual([]);
    expect(tableRows(sheet, RETENTION_TABLE)).toEqual(cohorts(column(ids), column(dates), column(values), null as never, null as never, null as never));
    expect(tableRows(sheet, REVENUE_TABLE)).toEqual(cohorts(column(ids), column(dates), column(values), null as never, null as never, [["revenue"]]));
    const asOf = serial("2024-06-30");
    const cut = buildCohortsTab(dataOf(ids, dates, values), { asOf, cac: null }, CONTEXT).sheet;
    expect(tableRows(cut, RETENTION_TABLE)).toEqual(cohorts(column(ids), column(dates), column(values), null as never, [[asOf]], null as never));
  });

  it("payback against a given CAC: the first month where cumulative revenue per customer reaches it", () => {
    const cac = 60;
    const { sheet, figures } = buildCohortsTab(dataOf(ids, dates, values), { asOf: null, cac }, CONTEXT);
    const revenue = tableRows(sheet, REVENUE_TABLE).slice(1);
    const payback = tableRows(sheet, PAYBACK_TABLE);
    expect(payback[0]).toEqual(["Cohort", "Customers", "CAC", "Revenue per customer so far", "Payback month"]);
    const months: number[] = [];
    payback.slice(1).forEach((row, i) => {
      expect(row[0]).toBe(revenue[i][0]);
      expect(row[2]).toBe(cac);
      const curve = revenue[i].slice(2).filter((v) => v !== "") as number[];
      const expected = curve.findIndex((v) => v >= cac);
      expect(row[4]).toBe(expected < 0 ? "not yet" : expected);
      if (expected >= 0) months.push(expected);
      expect(row[3]).toBeCloseTo(curve[curve.length - 1], 9);
    });
    const median = figures.find((f) => f.key === "cohorts.paybackMonth");
    expect(median).toBeDefined();
    expect(months.length).toBeGreaterThan(0);
  });

  it("CAC per cohort month from a spend table with months; cohorts without spend say so", () => {
    const spend = { source: "Spend!A1:C4", periods: ["2024-01", "2024-02", serial("2024-03-01")], channels: ["Search", "Search", "Social"], amounts: [500, 600, 350] };
    const { sheet } = buildCohortsTab(dataOf(ids, dates, values, spend), NO_OPTIONS, CONTEXT);
    const payback = tableRows(sheet, PAYBACK_TABLE).slice(1);
    expect(payback[0][2]).toBeCloseTo(500 / 5, 12);
    expect(payback[1][2]).toBeCloseTo(600 / 6, 12);
    expect(payback[2][2]).toBeCloseTo(350 / 7, 12);
    expect(payback[3][2]).toBe("");
    expect(payback[3][4]).toBe("no spend that month");
  });

  it("without CAC or spend: one line says why there is no payback and how to give it; no payback figure", () => {
    const { sheet, figures } = buildCohortsTab(dataOf(ids, dates, values), NO_OPTIONS, CONTEXT);
    expect(tableNamed(sheet, PAYBACK_TABLE)).toBeUndefined();
    const texts = sheet.blocks.flatMap((b) => (b.kind === "cells" ? b.values.flat() : [])).filter((v): v is string => typeof v === "string");
    expect(texts.some((t) => /^No payback shown: no CAC was given .*CAC option.*spend table/.test(t))).toBe(true);
    expect(figures.map((f) => f.key)).toEqual(["cohorts.count", "cohorts.retention3", "cohorts.revenue12"]);
  });

  it("figures point at the cells that show their values", () => {
    const { sheet, figures } = buildCohortsTab(dataOf(ids, dates, values), { asOf: null, cac: 60 }, CONTEXT);
    expect(figures.map((f) => f.key)).toEqual(["cohorts.count", "cohorts.retention3", "cohorts.revenue12", "cohorts.paybackMonth"]);
    for (const figure of figures) {
      const cell = cellAt(sheet, figure.row, figure.column);
      expect(cell, figure.key).toBeDefined();
      expect(cellValue(cell!)).toBe(figure.value);
    }
    const retention = tableRows(sheet, RETENTION_TABLE).slice(1);
    // Month 3 share, weighted by size, over the cohorts that reached it: recomputed from the matrix.
    let active = 0;
    let size = 0;
    for (const row of retention) {
      if (row[5] === "") continue;
      active += (row[5] as number) * (row[1] as number);
      size += row[1] as number;
    }
    expect(figures[1].value).toBeCloseTo(active / size, 12);
    expect(figures[0].value).toBe(retention.length);
  });

  it("says when the as-of month is not over", () => {
    const notesOf = (asOf: number) =>
      buildCohortsTab(dataOf(ids, dates, values), { asOf, cac: null }, CONTEXT)
        .sheet.blocks.flatMap((b) => (b.kind === "cells" ? b.values.flat() : []))
        .filter((v): v is string => typeof v === "string" && v.includes("is not over"));
    expect(notesOf(serial("2024-06-30"))).toEqual([]);
    const partial = notesOf(serial("2024-06-15"));
    expect(partial.length).toBe(2); // under both matrices
    expect(partial[0]).toContain("The last month of each row (Jun 2024) is not over: it counts orders up to 15 Jun 2024 only.");
  });

  it("INSUFFICIENT_DATA without orders", () => {
    const error = engineErrorOf(() => buildCohortsTab({ orders: null, customers: null, touchpoints: null, campaigns: null, spend: null }, NO_OPTIONS, CONTEXT));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toMatch(/no order table/);
  });

  it("a bad order cell names the argument and row", () => {
    const bad = [...values];
    bad[3] = "abc";
    const error = engineErrorOf(() => buildCohortsTab(dataOf(ids, dates, bad), NO_OPTIONS, CONTEXT));
    expect(error.message).toMatch(/^order_values row 4: "abc" is not a number/);
  });

  it("written to .xlsx: no General numbers, headers fit, no code identifiers, two native charts", async () => {
    const { sheet } = buildCohortsTab(dataOf(ids, dates, values), { asOf: null, cac: 60 }, CONTEXT);
    const { bytes, names } = await writeNewWorkbook([], [sheet]);
    const written = await loadWritten(bytes);
    expect(await tabViolationLines(written, names, { [names[0]]: sheet.charts.length })).toEqual([]);
    expect(sheet.charts.length).toBe(2);
  });
});

describe("Cohorts tab: cuts, warnings and small data", () => {
  /** One customer acquired per day for `months` months from Jan 2022, each ordering again 1 and 2 months later while `keeps(m)` says so. */
  function monthly(months: number, keeps: (month: number, customer: number) => boolean) {
    const ids: unknown[] = [];
    const dates: unknown[] = [];
    const values: unknown[] = [];
    for (let m = 0; m < months; m++) {
      for (let c = 0; c < 10; c++) {
        const id = `m${m}c${c}`;
        const day = Date.UTC(2022, m, 1 + c) / 86_400_000 + 25_569;
        ids.push(id, ...(keeps(m, c) ? [id] : []));
        dates.push(day, ...(keeps(m, c) ? [day + 31] : []));
        values.push(50, ...(keeps(m, c) ? [30] : []));
      }
    }
    return dataOf(ids, dates, values);
  }

  it("more than 24 cohorts and months: the latest 24 cohorts and months 0 to 23, said in the note; charts over written cells", () => {
    const { sheet } = buildCohortsTab(monthly(30, (m, c) => c < 4), { asOf: serial("2024-12-31"), cac: null }, CONTEXT);
    expect(sheetProblems(sheet)).toEqual([]);
    const retention = tableRows(sheet, RETENTION_TABLE);
    expect(retention.length).toBe(1 + 24);
    expect(retention[0].length).toBe(2 + 24);
    expect(retention[1][0]).toBe(serial("2022-07-01"));
    const texts = sheet.blocks.flatMap((b) => (b.kind === "cells" ? b.values.flat() : [])).filter((v): v is string => typeof v === "string");
    expect(texts.some((t) => t.includes("Showing the latest 24 of 30 cohorts and months 0 to 23 of 36."))).toBe(true);
    expect(sheet.charts.length).toBe(2);
  });

  it("warns in red when recent cohorts retain less and when the last cohorts are young", () => {
    const { sheet } = buildCohortsTab(monthly(8, (m, c) => c < (m < 5 ? 5 : 2)), NO_OPTIONS, CONTEXT);
    const warnings = sheet.blocks.filter((b) => b.kind === "cells" && b.style === "warning").flatMap((b) => (b.kind === "cells" ? b.values.map((r) => r[0]) : []));
    expect(warnings.some((w) => typeof w === "string" && w.startsWith("Retention is falling for recent cohorts: 20.0% of the latest 3 cohorts"))).toBe(true);
    expect(warnings.some((w) => typeof w === "string" && /^The latest 2 cohorts \(Jul 2022 to Aug 2022\) are less than 3 months old/.test(w))).toBe(true);
  });

  it("one day of orders: one cohort, month 0 only, no chart, a well-formed tab", () => {
    const { sheet, figures } = buildCohortsTab(dataOf(["a", "b"], ["2024-05-02", "2024-05-02"], [10, 30]), { asOf: null, cac: 15 }, CONTEXT);
    expect(sheetProblems(sheet)).toEqual([]);
    expect(tableRows(sheet, RETENTION_TABLE)).toEqual([["Cohort", "Customers", "Month 0"], [serial("2024-05-01"), 2, 1]]);
    expect(sheet.charts).toEqual([]);
    expect(figures.find((f) => f.key === "cohorts.retention3")!.value).toBe("not reached");
    expect(figures.find((f) => f.key === "cohorts.revenue12")!.value).toBe(20);
    expect(figures.find((f) => f.key === "cohorts.paybackMonth")!.value).toBe(0);
  });
});

describe("Cohorts tab on CDNOW (as of 1997-12-31)", () => {
  it("matrices equal IMC.COHORTS; three cohorts whose sizes add up to the 2,357 customers", async (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const t = cdnowTransactions(dir);
    const ids = Array.from(t.customerIndex, (k) => Number(t.customerIds[k]));
    const dates = Array.from(t.orderDates);
    const values = Array.from(t.orderValues!);
    const asOf = serial("1997-12-31");
    const { sheet, figures } = buildCohortsTab(dataOf(ids, dates, values), { asOf, cac: 60 }, { generatedAt: CONTEXT.generatedAt, currency: "$" });
    expect(sheetProblems(sheet)).toEqual([]);
    const column = (cells: unknown[]) => cells.map((v) => [v]);
    const retention = tableRows(sheet, RETENTION_TABLE);
    expect(retention).toEqual(cohorts(column(ids), column(dates), column(values), null as never, [[asOf]], null as never));
    expect(tableRows(sheet, REVENUE_TABLE)).toEqual(cohorts(column(ids), column(dates), column(values), null as never, [[asOf]], [["revenue"]]));
    expect(retention.slice(1).reduce((sum, row) => sum + (row[1] as number), 0)).toBe(2357);
    expect(figures.find((f) => f.key === "cohorts.count")!.value).toBe(3);
    // No cohort is 12 months old on 1997-12-31: the revenue figure is labelled with the month it uses.
    expect(figures.find((f) => f.key === "cohorts.revenue12")!.label).toBe("Revenue per customer by month 11");
    const { bytes, names } = await writeNewWorkbook([], [sheet]);
    const written = await loadWritten(bytes);
    expect(await tabViolationLines(written, names)).toEqual([]);
  });
});
