// IMC.COHORTS called exactly as Excel calls it: every argument a 2-D array, omitted optional
// arguments as null, dates as serials or ISO text.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { cdnowColumns } from "../engine/clv/cdnowData";

installCustomFunctionsStub();
let cohorts: typeof import("../../src/functions/cohorts").cohorts;
beforeAll(async () => {
  ({ cohorts } = await import("../../src/functions/cohorts"));
});

const col = (...values: unknown[]) => values.map((v) => [v]);
const N = null as any;
/** Excel serial of an ISO date (after 1900-03-01). */
const serial = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000 + 25_569;

// The check: A orders 2024-01-05 and 2024-02-10, B 2024-01-20, C 2024-02-03 and 2024-03-01.
const IDS = col("A", "A", "B", "C", "C");
const DATES = col("2024-01-05", "2024-02-10", "2024-01-20", serial("2024-02-03"), "2024-03-01");
const VALUES = col(10, 20, 30, 40, 50);

describe("IMC.COHORTS", () => {
  it("the check value: Jan cohort (2) 100%, 50%, 0%; Feb cohort (1) 100%, 100%, blank", () => {
    const table = cohorts(IDS, DATES, VALUES, N, N, N);
    expect(table).toEqual([
      ["Cohort", "Customers", "Month 0", "Month 1", "Month 2"],
      [serial("2024-01-01"), 2, 1, 0.5, 0],
      [serial("2024-02-01"), 1, 1, 1, ""],
    ]);
  });
  it("measure revenue (cumulative per customer), customers and orders", () => {
    expect(cohorts(IDS, DATES, VALUES, N, N, [["revenue"]]).slice(1)).toEqual([
      [serial("2024-01-01"), 2, 20, 30, 30],
      [serial("2024-02-01"), 1, 40, 90, ""],
    ]);
    expect(cohorts(IDS, DATES, VALUES, N, N, [["Customers"]]).slice(1).map((r) => r.slice(2))).toEqual([[2, 1, 0], [1, 1, ""]]);
    expect(cohorts(IDS, DATES, VALUES, N, N, [["orders"]]).slice(1).map((r) => r.slice(2))).toEqual([[2, 1, 0], [1, 1, ""]]);
  });
  it("periods: week (Monday starts), quarter, year; headers named after the period", () => {
    const week = cohorts(IDS, DATES, VALUES, [["week"]], N, N);
    expect(week[0].slice(0, 4)).toEqual(["Cohort", "Customers", "Week 0", "Week 1"]);
    expect(week.slice(1).map((r) => r[0])).toEqual([serial("2024-01-01"), serial("2024-01-15"), serial("2024-01-29")]);
    expect(week[0].length).toBe(2 + 9); // 1 Jan .. 1 Mar: weeks 0..8
    expect(week[1].slice(2, 7)).toEqual([1, 0, 0, 0, 0]);
    const quarter = cohorts(IDS, DATES, VALUES, [["quarter"]], N, N);
    expect(quarter).toEqual([["Cohort", "Customers", "Quarter 0"], [serial("2024-01-01"), 3, 1]]);
    const year = cohorts(IDS, DATES, VALUES, [["year"]], [["2025-06-30"]], N);
    expect(year).toEqual([["Cohort", "Customers", "Year 0", "Year 1"], [serial("2024-01-01"), 3, 1, 0]]);
  });
  it("as_of cuts later orders and customers; later periods are blank", () => {
    const table = cohorts(IDS, DATES, VALUES, N, [["2024-02-05"]], N);
    expect(table).toEqual([
      ["Cohort", "Customers", "Month 0", "Month 1"],
      [serial("2024-01-01"), 2, 1, 0],
      [serial("2024-02-01"), 1, 1, ""],
    ]);
    const later = cohorts(IDS, DATES, VALUES, N, [[serial("2024-05-15")]], N);
    expect(later[0].length).toBe(2 + 5);
    expect(later[2].slice(2)).toEqual([1, 1, 0, 0, ""]);
  });
  it("bad input names the argument and the row", () => {
    const value = excelErrorOf(() => cohorts(IDS, DATES, col(10, 20, "abc", 40, 50), N, N, N));
    expect(value.code).toBe("#VALUE!");
    expect(value.message).toMatch(/^order_values row 3: "abc" is not a number/);
    const date = excelErrorOf(() => cohorts(IDS, col("2024-01-05", "soon", "2024-01-20", "2024-02-03", "2024-03-01"), VALUES, N, N, N));
    expect(date.message).toMatch(/^order_dates row 2: /);
    const blank = excelErrorOf(() => cohorts(col("A", "", "B", "C", "C"), DATES, VALUES, N, N, N));
    expect(blank.message).toMatch(/^customer_ids row 2: /);
    expect(excelErrorOf(() => cohorts(IDS, DATES, VALUES, [["fortnight"]], N, N)).message).toMatch(/^period: "fortnight" is not one of "month", "week", "quarter", "year"/);
    expect(excelErrorOf(() => cohorts(IDS, DATES, VALUES, N, N, [["profit"]])).message).toMatch(/^measure: "profit" is not one of/);
    expect(excelErrorOf(() => cohorts(IDS, DATES, VALUES, N, [["2023-12-01"]], N)).message).toMatch(/^as_of: the date is before the first order/);
    const wide = excelErrorOf(() => cohorts(IDS, DATES, VALUES, [["week"]], [["9000-01-01"]], N));
    expect(wide.code).toBe("#VALUE!");
    expect(wide.message).toMatch(/^as_of: .* do not fit in Excel's 16384 columns/);
  });
});

describe("IMC.COHORTS on CDNOW (CDNOW_sample.txt: 2,357 customers who first bought in Q1 1997)", () => {
  it("cohort sizes sum to the customers; the 1997-01 cohort matches a count made from the raw file", (ctx) => {
    const dir = sharedDir("data", "cdnow");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "cdnow"));
    const { ids, dates, values } = cdnowColumns(dir);
    const table = cohorts(ids, dates, values, N, [["1997-12-31"]], N);
    // Independent count: first order month per customer straight from the text (YYYYMMDD).
    const firstMonth = new Map<string, string>();
    for (const line of readFileSync(path.join(dir, "CDNOW_sample.txt"), "utf8").split("\n")) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 5) continue;
      const month = fields[2].slice(0, 6);
      const known = firstMonth.get(fields[1]);
      if (known === undefined || month < known) firstMonth.set(fields[1], month);
    }
    const january = [...firstMonth.values()].filter((m) => m === "199701").length;
    expect(firstMonth.size).toBe(2357);
    const body = table.slice(1);
    expect(body.map((r) => r[0])).toEqual([serial("1997-01-01"), serial("1997-02-01"), serial("1997-03-01")]);
    expect(body.reduce((sum, r) => sum + (r[1] as number), 0)).toBe(firstMonth.size);
    expect(body[0][1]).toBe(january);
    expect(table[0].length).toBe(2 + 12); // Jan .. Dec 1997
    expect(body[2].slice(-3)).toEqual([expect.any(Number), "", ""]); // March cohort: months 0..9 reached by December
    for (const row of body) {
      expect(row[2]).toBe(1);
      for (const cell of row.slice(3)) if (cell !== "") expect(cell as number).toBeGreaterThanOrEqual(0);
    }
    // Revenue per customer is cumulative, so it never falls by much (refunds aside) and ends above month 0.
    const revenue = cohorts(ids, dates, values, N, [["1997-12-31"]], [["revenue"]]);
    expect(revenue[1][13] as number).toBeGreaterThan(revenue[1][2] as number);
  });
});
