// The Segmentation tab against the engine and the custom functions (IMC.RFM, IMC.CLUSTER,
// IMC.LIFECYCLE) on small seeded order data; its formulas recomputed by a formula engine.
import { beforeAll, describe, expect, it } from "vitest";
import { installCustomFunctionsStub } from "../support/customFunctions";
import { expectFormulasHold } from "../support/recalc";
import { readTransactions } from "../../src/engine/data";
import { EngineError } from "../../src/engine/errors";
import { betaDraw, exponentialDraw, gammaDraw, seededUniform } from "../../src/engine/math/random";
import { createMasker } from "../../src/engine/privacy/mask";
import { crossTab, lifecycleStages, rfmScores, RFM_SEGMENT_NAMES } from "../../src/engine/segmentation";
import { RFM_SEGMENT_ACTIONS } from "../../src/engine/segmentation/segmentActions";
import type { CustomersInput, OrdersInput } from "../../src/reports/inputs";
import { buildSegmentationTab, type SegmentationOptions } from "../../src/reports/segmentation";
import {
  cellAt,
  cellValue,
  isFormulaCell,
  rangeValues,
  type ReportSheet,
  sheetProblems,
  tableNamed,
} from "../../src/reports/sheet";
import { columnOf, tableOf } from "../support/reports";

installCustomFunctionsStub();
let segments: typeof import("../../src/functions/segments");
beforeAll(async () => {
  segments = await import("../../src/functions/segments");
});

const CONTEXT = { generatedAt: "2026-01-01T00:00:00Z" };
const START = 45292; // 2024-01-01
const END = START + 540;
const AGE_BANDS = ["18-24", "25-34", "35-44", "45-54", "55+"];
const REGIONS = ["North", "South", "East", "West"];

interface Business {
  readonly orders: OrdersInput;
  readonly customers: CustomersInput;
  readonly emails: string[];
  readonly phones: string[];
}

/**
 * A tiny seeded online shop: customers join over 15 months, buy at a personal Poisson rate, may
 * drop out after each purchase (buy till you die), spend around a personal mean; some orders are
 * refunded (a negative row on the same day). Dates alternate between serials and ISO text.
 */
function business(customerCount: number, seed: number): Business {
  const u = seededUniform(seed);
  const ids: unknown[] = [];
  const dates: unknown[] = [];
  const values: unknown[] = [];
  const customerIds: unknown[] = [];
  const names: unknown[] = [];
  const emails: string[] = [];
  const phones: string[] = [];
  const ages: unknown[] = [];
  const regions: unknown[] = [];
  for (let c = 0; c < customerCount; c++) {
    const id = c % 7 === 3 ? 10_000 + c : `C${String(c + 1).padStart(4, "0")}`;
    const lambda = gammaDraw(u, 0.9, 25); // purchases per day
    const p = betaDraw(u, 1, 5);
    const mean = gammaDraw(u, 5, 0.1);
    let t = START + Math.floor(u() * 450);
    for (let purchases = 0; purchases < 60; purchases++) {
      const value = Math.round(gammaDraw(u, 8, 8 / mean) * 100) / 100;
      const day = Math.floor(t);
      ids.push(id);
      dates.push(day % 2 === 0 ? day : isoOf(day));
      values.push(value);
      if (u() < 0.04) {
        ids.push(id);
        dates.push(day);
        values.push(-value);
      }
      t += exponentialDraw(u, lambda);
      if (t > END || u() < p) break;
    }
    if (c < customerCount - 3) {
      // The last three customers have no row in the customer table.
      customerIds.push(id);
      names.push(`Name ${c}`);
      const email = `person${c}@example.com`;
      const phone = `+44 20 7946 ${String(1000 + c).slice(-4)}`;
      emails.push(email);
      phones.push(phone);
      ages.push(c % 11 === 0 ? "" : AGE_BANDS[Math.floor(u() * AGE_BANDS.length)]);
      regions.push(REGIONS[Math.floor(u() * REGIONS.length)]);
    }
  }
  // Two prospects: customer rows without orders.
  customerIds.push("P1", "P2");
  names.push("Prospect One", "Prospect Two");
  emails.push("p1@example.com", "p2@example.com");
  phones.push("+44 20 7946 0001", "+44 20 7946 0002");
  ages.push("25-34", "55+");
  regions.push("North", "South");
  return {
    orders: { source: "Orders!A1:C" + (ids.length + 1), customerIds: ids, orderDates: dates, orderValues: values },
    customers: {
      source: "Customers!A1:F" + (customerIds.length + 1),
      customerIds,
      columns: [
        { header: "Name", values: names, pii: true, demographic: false },
        { header: "Email", values: emails, pii: true, demographic: false },
        { header: "Phone", values: phones, pii: true, demographic: false },
        { header: "Age band", values: ages, pii: false, demographic: true },
        { header: "Region", values: regions, pii: false, demographic: true },
        { header: "Signup date", values: customerIds.map(() => START), pii: false, demographic: false },
      ],
    },
    emails,
    phones,
  };
}

function isoOf(serial: number): string {
  const date = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000);
  return date.toISOString().slice(0, 10);
}

const col = (values: readonly unknown[]) => values.map((v) => [v]);

function allText(sheet: ReportSheet): string[] {
  const texts: string[] = [];
  for (const block of sheet.blocks) {
    const rows = block.kind === "table" ? [block.headers, ...block.rows, ...(block.totals ? [block.totals] : [])] : block.values;
    for (const row of rows) for (const cell of row) if (typeof cellValue(cell) === "string") texts.push(cellValue(cell) as string);
  }
  return texts;
}

const SHOP = business(240, 7);
const BASE = buildSegmentationTab(SHOP.orders, SHOP.customers, {}, CONTEXT);

const DETAIL_HEADERS = [
  "Customer", "Days since last order", "Orders", "Revenue", "R", "F", "M", "RFM code", "Segment", "Lifecycle stage", "Behavioural group", "Age band", "Region",
];

/** The row of each customer in the detail table, by the id it shows. */
function detailRows(sheet: ReportSheet): Map<unknown, unknown[]> {
  const t = tableOf(sheet, "SegmentCustomers");
  return new Map(t.rows.map((row) => [cellValue(row[0]), row.map(cellValue)]));
}

describe("buildSegmentationTab: structure", () => {
  it("is a well-formed sheet with the per-customer, summary, actions, lifecycle, group and profile tables", () => {
    const sheet = BASE.sheet;
    expect(sheetProblems(sheet)).toEqual([]);
    expect(sheet.name).toBe("Segmentation");
    expect(tableOf(sheet, "SegmentCustomers").headers).toEqual(DETAIL_HEADERS);
    expect(tableOf(sheet, "SegmentSummary").headers).toEqual(["Segment", "Customers", "Share of customers", "Revenue", "Share of revenue", "Revenue per customer"]);
    expect(tableOf(sheet, "SegmentActions").headers).toEqual(["Segment", "Profile and action"]);
    expect(tableOf(sheet, "LifecycleStages").headers).toEqual(["Lifecycle stage", "Customers", "Share of customers", "Revenue", "Share of revenue", "Rule"]);
    expect(tableOf(sheet, "SegmentClusters").headers[0]).toBe("Behavioural group");
    const ageHeaders = tableOf(sheet, "Profile_Age_band").headers;
    expect([ageHeaders[0], ageHeaders[ageHeaders.length - 1]]).toEqual(["Segment", "Customers"]);
    expect(new Set(ageHeaders.slice(1, -1))).toEqual(new Set([...AGE_BANDS, "(blank)"]));
    expect(ageHeaders[ageHeaders.length - 2]).toBe("(blank)");
    expect(tableOf(sheet, "Profile_Region").headers[0]).toBe("Segment");
    expect(sheet.freeze).toEqual({ rows: 2, columns: 1 });
    expect(sheet.charts.map((c) => c.title)).toEqual(["Share of customers and of revenue per segment", "Customers per lifecycle stage", "Customers per behavioural group"]);
  });

  it("reads top to bottom: title, headline, summaries with their charts, profiles, the per-customer table, then the provenance", () => {
    const sheet = BASE.sheet;
    const customers = tableOf(sheet, "SegmentCustomers");
    const rowOf = (name: string): number => tableOf(sheet, name).row;
    expect(cellValue(cellAt(sheet, 0, 0)!)).toBe("Customer segmentation");
    expect(cellValue(cellAt(sheet, 3, 0)!)).toBe("At a glance");
    const order = ["SegmentSummary", "SegmentActions", "LifecycleStages", "SegmentClusters", "Profile_Age_band", "SegmentCustomers"].map(rowOf);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The heading "Where these numbers come from", then the provenance rows under it.
    const [heading, provenance] = sheet.blocks.slice(-2);
    expect(heading.kind === "cells" && heading.style === "heading" && cellValue(heading.values[0][0])).toBe("Where these numbers come from");
    expect(provenance.kind === "cells" && cellValue(provenance.values[0][0])).toBe("Source");
    expect(provenance.row).toBeGreaterThan(customers.row + customers.rows.length);
    for (const chart of sheet.charts) expect(chart.anchor.row + chart.anchor.rows).toBeLessThan(customers.row);
  });

  it("chart series read the summary's shares of customers and of revenue", () => {
    const summary = tableOf(BASE.sheet, "SegmentSummary");
    const chart = BASE.sheet.charts[0];
    expect(rangeValues(BASE.sheet, chart.categories)).toEqual(columnOf(summary, "Segment"));
    expect(chart.series.map((s) => s.name)).toEqual(["Share of customers", "Share of revenue"]);
    expect(rangeValues(BASE.sheet, chart.series[0].values)).toEqual(columnOf(summary, "Share of customers"));
    expect(rangeValues(BASE.sheet, chart.series[1].values)).toEqual(columnOf(summary, "Share of revenue"));
    const shares = columnOf(summary, "Share of revenue") as number[];
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("is deterministic", () => {
    expect(buildSegmentationTab(SHOP.orders, SHOP.customers, {}, CONTEXT)).toEqual(BASE);
  });

  it("sorts the per-customer table by revenue, highest first", () => {
    const revenue = columnOf(tableOf(BASE.sheet, "SegmentCustomers"), "Revenue") as number[];
    for (let i = 1; i < revenue.length; i++) expect(revenue[i]).toBeLessThanOrEqual(revenue[i - 1]);
  });
});

describe("buildSegmentationTab: what a reader sees", () => {
  it("a headline of 3 to 5 numbers, each formatted and with a sentence", () => {
    const heading = BASE.sheet.blocks.findIndex((b) => b.kind === "cells" && cellValue(b.values[0][0]) === "At a glance");
    const items = BASE.sheet.blocks.filter((b) => b.kind === "cells" && b.row > BASE.sheet.blocks[heading].row && b.row <= BASE.sheet.blocks[heading].row + 5 && b.values[0].length === 3);
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.length).toBeLessThanOrEqual(5);
    for (const item of items) {
      if (item.kind !== "cells") continue;
      expect(typeof cellValue(item.values[0][1])).toBe("number");
      expect(item.numberFormats?.[1]).toBeTruthy();
      expect(String(cellValue(item.values[0][2])).length).toBeGreaterThan(20);
    }
    const labels = items.map((item) => (item.kind === "cells" ? cellValue(item.values[0][0]) : null));
    expect(labels).toContain("Customers segmented");
    expect(labels).toContain("Repeat customers (2+ orders)");
  });

  it("every number a table or the headline shows has a number format", () => {
    for (const block of BASE.sheet.blocks) {
      const rows = block.kind === "table" ? [...block.rows, ...(block.totals ? [block.totals] : [])] : block.values;
      for (const row of rows) {
        row.forEach((cell, c) => {
          if (typeof cellValue(cell) === "number") expect(block.numberFormats?.[c], `${block.kind} at row ${block.row + 1}, column ${c + 1}`).toBeTruthy();
        });
      }
    }
  });

  it("a number column followed by a text column is padded on the right, so the two never touch", () => {
    const { sheet } = buildSegmentationTab(SHOP.orders, SHOP.customers, { mask: "partial" }, CONTEXT);
    let checked = 0;
    for (const block of sheet.blocks) {
      if (block.kind !== "table") continue;
      for (let c = 1; c < block.headers.length; c++) {
        const isNumber = (column: number): boolean => block.rows.some((row) => typeof cellValue(row[column]) === "number");
        const isText = block.rows.every((row) => typeof cellValue(row[c]) !== "number") && block.rows.some((row) => typeof cellValue(row[c]) === "string");
        if (isNumber(c - 1) && isText) {
          expect(block.numberFormats?.[c - 1], `${block.name}: ${block.headers[c - 1]} before ${block.headers[c]}`).toMatch(/_\)$/);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2); // the customer table and the lifecycle stages
  });

  it("every table header fits its column", () => {
    for (const block of BASE.sheet.blocks) {
      if (block.kind !== "table") continue;
      block.headers.forEach((header, c) => expect(BASE.sheet.columnWidths[block.column + c], `${block.name}: ${header}`).toBeGreaterThanOrEqual(header.length + 2));
    }
  });

  it("one vocabulary: lifecycle stages and behavioural groups never reuse an RFM segment's name, and groups are named, not numbered", () => {
    const segments = new Set(RFM_SEGMENT_NAMES.map((name) => name.toLowerCase()));
    const stages = columnOf(tableOf(BASE.sheet, "LifecycleStages"), "Lifecycle stage") as string[];
    expect(stages).toEqual(["Joined recently", "Active", "Lapsing", "Lapsed", "Returned"]);
    const groups = columnOf(tableOf(BASE.sheet, "SegmentClusters"), "Behavioural group") as string[];
    for (const name of [...stages, ...groups]) {
      expect(segments.has(name.toLowerCase()), name).toBe(false);
      expect(name).not.toMatch(/\bR\d|^\d+$/);
    }
    for (const name of groups) expect(name).toMatch(/^(Recent|Cooling|Dormant) (frequent|occasional|infrequent|one-time) (big|mid|low) spenders/);
    expect(new Set(groups).size).toBe(groups.length);
    // The rule of each stage is written beside it, with the thresholds used.
    expect(columnOf(tableOf(BASE.sheet, "LifecycleStages"), "Rule")).toEqual([
      "first order ≤ 30 days ago", "last order ≤ 60 days ago", "last order 61–90 days ago", "no order for over 90 days", "back ≤ 60 days ago after 90+ days away",
    ]);
  });

  it("a recommended action per segment present, from the engine's playbook, with its source", () => {
    const actions = tableOf(BASE.sheet, "SegmentActions");
    expect(columnOf(actions, "Segment")).toEqual(columnOf(tableOf(BASE.sheet, "SegmentSummary"), "Segment"));
    actions.rows.forEach((row) => {
      const { who, action } = RFM_SEGMENT_ACTIONS[cellValue(row[0]) as keyof typeof RFM_SEGMENT_ACTIONS];
      expect(String(cellValue(row[1])).toLowerCase()).toBe(`${who}. ${action}.`.toLowerCase());
    });
    expect(allText(BASE.sheet).some((text) => text.startsWith("Source: ") && text.includes("Putler"))).toBe(true);
  });

  it("the profiles are coloured against the All customers row, not the largest cell", () => {
    const profile = tableOf(BASE.sheet, "Profile_Region");
    const allRow = profile.row + profile.rows.length + 1; // 0-based row of the totals
    const rules = BASE.sheet.conditionalFormats.filter((f) => f.range.row === profile.row + 1);
    expect(rules.map((f) => f.rule.kind)).toEqual(["expression", "expression"]);
    expect(rules.map((f) => (f.rule.kind === "expression" ? f.rule.look : null))).toEqual(["good", "bad"]);
    for (const f of rules) {
      expect(f.range).toEqual({ row: profile.row + 1, column: 1, rowCount: profile.rows.length, columnCount: profile.headers.length - 2 });
      expect(f.rule.kind === "expression" && f.rule.formula).toContain(`B$${allRow + 1}`);
      // Beyond chance: the difference is compared with the binomial standard error on the segment's size.
      expect(f.rule.kind === "expression" && f.rule.formula).toContain(`SQRT(B$${allRow + 1}*(1-B$${allRow + 1})/$G${profile.row + 2})`);
    }
  });

  it("warnings in red only where they change a decision: none on a healthy shop, a few customers or one group said so", () => {
    const warningsOf = (sheet: ReportSheet): string[] =>
      sheet.blocks.filter((b) => b.kind === "cells" && b.style === "warning").flatMap((b) => (b.kind === "cells" ? b.values.map((row) => String(cellValue(row[0]))) : []));
    expect(warningsOf(BASE.sheet)).toEqual([]);
    const orders: OrdersInput = {
      source: "orders.csv",
      customerIds: ["a", "b", "c", "a", "d", "e", "f", "a"],
      orderDates: [45300, 45310, 45320, 45400, 45401, 45410, 45300, 45420],
      orderValues: [10, 20, 30, 40, 50, 60, 15, 25],
    };
    const few = buildSegmentationTab(orders, null, {}, CONTEXT).sheet;
    expect(sheetProblems(few)).toEqual([]);
    expect(warningsOf(few)[0]).toMatch(/^Only 6 customers: /);
    const alike: OrdersInput = { source: "orders.csv", customerIds: ["a", "b"], orderDates: [45300, 45300], orderValues: [10, 10] };
    const one = buildSegmentationTab(alike, null, {}, CONTEXT).sheet;
    expect(sheetProblems(one)).toEqual([]);
    expect(warningsOf(one).some((text) => text.startsWith("Behavioural groups: ") && text.includes("one group"))).toBe(true);
    expect(columnOf(tableOf(one, "SegmentClusters"), "Behavioural group")).toEqual(["All customers (one group)"]);
    // One order each: every F score is the neutral 3, and one-time buyers land in "Loyal" by recency and spend alone.
    const onceEach = (n: number): OrdersInput => ({
      source: "orders.csv",
      customerIds: Array.from({ length: n }, (_, i) => `c${i}`),
      orderDates: Array.from({ length: n }, (_, i) => 45300 + ((i * 37) % 300)),
      orderValues: Array.from({ length: n }, (_, i) => 10 + ((i * 53) % 90)),
    });
    const once = buildSegmentationTab(onceEach(200), null, {}, CONTEXT).sheet;
    expect(sheetProblems(once)).toEqual([]);
    expect(warningsOf(once)).toContainEqual(expect.stringMatching(/^Every customer ordered once, so the F score \(3 for all\) tells no one apart/));
    expect(columnOf(tableOf(once, "SegmentSummary"), "Segment")).toContain("Loyal");
    // One repeat buyer is enough for F to tell customers apart: no such warning.
    const oneRepeat = onceEach(200);
    const repeat = buildSegmentationTab({ ...oneRepeat, customerIds: [...oneRepeat.customerIds, "c0"], orderDates: [...oneRepeat.orderDates, 45650], orderValues: [...oneRepeat.orderValues, 30] }, null, {}, CONTEXT).sheet;
    expect(warningsOf(repeat).some((text) => text.startsWith("Every customer"))).toBe(false);
  });

  it("column names of the customer table become readable labels", () => {
    const columns = SHOP.customers.columns.map((column) => ({ ...column, header: column.header.toLowerCase().replace(/ /g, "_") }));
    const { sheet } = buildSegmentationTab(SHOP.orders, { ...SHOP.customers, columns }, {}, CONTEXT);
    expect(tableOf(sheet, "SegmentCustomers").headers).toEqual(DETAIL_HEADERS);
    expect(tableNamed(sheet, "Profile_Age_band")).toBeDefined();
    expect(allText(sheet).join("\n")).not.toMatch(/age_band|signup_date/);
  });
});

describe("buildSegmentationTab: the same numbers as the engine and the custom functions", () => {
  const ids = col(SHOP.orders.customerIds);
  const dates = col(SHOP.orders.orderDates);
  const values = col(SHOP.orders.orderValues);

  it("per customer: IMC.RFM's columns, IMC.CLUSTER on them, IMC.LIFECYCLE's stage", () => {
    const rfm = segments.rfm(ids, dates, values, null as never, null as never);
    const clusters = segments.cluster(rfm.slice(1).map((row) => [row[1], row[2], row[3]]), null as never, null as never);
    const stages = segments.lifecycle(ids, dates, null as never, null as never);
    const t = tableOf(BASE.sheet, "SegmentCustomers");
    expect(t.rows.length).toBe(rfm.length - 1);
    const rows = detailRows(BASE.sheet);
    const at = (header: string): number => t.headers.indexOf(header);
    const columns = ["Customer", "Days since last order", "Orders", "Revenue", "R", "F", "M", "RFM code", "Segment"].map(at);
    const stageNames: Record<string, string> = { New: "Joined recently", Active: "Active", "At risk": "Lapsing", Lapsed: "Lapsed", Reactivated: "Returned" };
    const groupOfCluster = new Map<unknown, unknown>();
    rfm.slice(1).forEach((expected, c) => {
      const row = rows.get(expected[0])!;
      expect(columns.map((column) => row[column])).toEqual(expected);
      expect(row[at("Lifecycle stage")]).toBe(stageNames[stages[c + 1][1] as string]);
      // One name per IMC.CLUSTER number, and one number per name.
      const group = row[at("Behavioural group")];
      if (!groupOfCluster.has(clusters[c][0])) groupOfCluster.set(clusters[c][0], group);
      expect(group).toBe(groupOfCluster.get(clusters[c][0]));
    });
    expect(new Set(groupOfCluster.values()).size).toBe(groupOfCluster.size);
  });

  it("segment and lifecycle maps match rfmScores and lifecycleStages", () => {
    const transactions = readTransactions(ids, dates, values);
    const rfm = rfmScores(transactions, { asOf: null, monetary: "sum" });
    const life = lifecycleStages(transactions, null);
    expect(BASE.segmentByCustomer!.size).toBe(rfm.customerIds.length);
    rfm.customerIds.forEach((id, c) => {
      expect(BASE.segmentByCustomer!.get(id)).toBe(rfm.segment[c]);
      expect(BASE.lifecycleByCustomer!.get(id)).toBe(life.stage[c]);
    });
    // Summary counts and revenue per segment from the engine.
    const summary = tableOf(BASE.sheet, "SegmentSummary");
    columnOf(summary, "Segment").forEach((segment, s) => {
      let count = 0;
      let revenue = 0;
      rfm.segment.forEach((name, c) => {
        if (name === segment) {
          count++;
          revenue += rfm.monetary[c];
        }
      });
      expect(columnOf(summary, "Customers")[s]).toBe(count);
      expect(columnOf(summary, "Revenue")[s]).toBeCloseTo(revenue, 6);
    });
  });

  it("the demographic profile is crossTab of the RFM segments (behaviour first, then demographics)", () => {
    const transactions = readTransactions(ids, dates, values);
    const rfm = rfmScores(transactions, { asOf: null, monetary: "sum" });
    const regionOf = new Map(SHOP.customers.customerIds.map((id, r) => [String(id), SHOP.customers.columns[4].values[r]]));
    const profile = crossTab(rfm.segment, [{ name: "Region", values: rfm.customerIds.map((id) => regionOf.get(id) ?? null) }]);
    const t = tableOf(BASE.sheet, "Profile_Region");
    expect(t.headers).toEqual(["Segment", ...profile.columns[0].categories, "Customers"]);
    const bySegment = new Map(t.rows.map((row) => [cellValue(row[0]), row.map(cellValue)]));
    profile.segments.forEach((segment, s) => {
      const row = bySegment.get(segment)!;
      profile.columns[0].shares[s].forEach((share, k) => expect(row[1 + k]).toBeCloseTo(share, 12));
      expect(row[row.length - 1]).toBe(profile.sizes[s]);
    });
    expect(t.totals!.map(cellValue)).toEqual(["All customers", ...profile.columns[0].totalShares, profile.total]);
    // The three customers without a row count as "(blank)".
    expect(profile.columns[0].categories).toContain("(blank)");
  });
});

describe("buildSegmentationTab: formulas", () => {
  it("every formula recomputes to the value it carries (HyperFormula)", () => {
    expect(expectFormulasHold(BASE.sheet)).toBeGreaterThan(20);
  });

  it("shares divide by the total and totals are sums (read back with cellAt)", () => {
    const summary = tableOf(BASE.sheet, "SegmentSummary");
    const totalRow = summary.row + summary.rows.length + 1;
    const total = cellAt(BASE.sheet, totalRow, 1)!;
    expect(isFormulaCell(total) && total.formula).toBe(`SUM(B${summary.row + 2}:B${summary.row + 1 + summary.rows.length})`);
    const counts = columnOf(summary, "Customers") as number[];
    expect(cellValue(total)).toBe(counts.reduce((a, b) => a + b, 0));
    const share = cellAt(BASE.sheet, summary.row + 1, 2)!;
    expect(isFormulaCell(share) && share.formula).toBe(`B${summary.row + 2}/$B$${totalRow + 1}`);
    expect(cellValue(share)).toBeCloseTo(counts[0] / (cellValue(total) as number), 15);
  });
});

describe("buildSegmentationTab: personal data", () => {
  it("without masking, names, emails and phones are left out (and said so)", () => {
    const texts = allText(BASE.sheet).join("\n");
    for (const email of SHOP.emails.slice(0, 20)) expect(texts).not.toContain(email);
    for (const phone of SHOP.phones.slice(0, 20)) expect(texts).not.toContain(phone);
    expect(tableOf(BASE.sheet, "SegmentCustomers").headers).not.toContain("Email");
    expect(BASE.sheet.provenance.notes.join(" ")).toContain("Name, Email, Phone, Signup date");
  });

  it.each(["partial", "hash", "redact"] as const)("mask %s hides every email and phone and keeps demographics", (mode) => {
    const { sheet } = buildSegmentationTab(SHOP.orders, SHOP.customers, { mask: mode, maskSalt: "s3cret" }, CONTEXT);
    expect(sheetProblems(sheet)).toEqual([]);
    const texts = allText(sheet);
    const joined = texts.join("\n");
    for (const email of SHOP.emails) expect(joined).not.toContain(email);
    for (const phone of SHOP.phones) expect(joined).not.toContain(phone);
    const t = tableOf(sheet, "SegmentCustomers");
    expect(t.headers).toEqual([...DETAIL_HEADERS, "Name", "Email", "Phone"]);
    const masker = createMasker(mode, "s3cret");
    const firstId = cellValue(t.rows[0][0]); // the highest revenue
    const source = SHOP.customers.customerIds.indexOf(firstId);
    expect(columnOf(t, "Email")[0]).toBe(masker.mask(SHOP.emails[source]));
    expect(columnOf(t, "Phone")[0]).toBe(masker.mask(SHOP.phones[source]));
    expect(columnOf(t, "Region")[0]).toBe(SHOP.customers.columns[4].values[source]);
    if (mode === "partial") expect(columnOf(t, "Email")[0]).toMatch(/^p\*\*\*@example\.com$/);
  });

  it("writes ids as the source holds them: text ids stay text even when they look like numbers", () => {
    const orders: OrdersInput = {
      source: "orders.csv",
      customerIds: ["0509", "1901", "0007", "1901", 2020, "0509"],
      orderDates: [45300, 45310, 45320, 45400, 45401, 45410],
      orderValues: [10, 20, 30, 40, 50, 60],
    };
    const { sheet } = buildSegmentationTab(orders, null, { clusterCount: 2 }, CONTEXT);
    const ids = columnOf(tableOf(sheet, "SegmentCustomers"), "Customer");
    expect(new Set(ids)).toEqual(new Set(["0509", "1901", "0007", 2020]));
  });

  it("masks customer ids that are email addresses when masking is on", () => {
    const orders: OrdersInput = {
      source: "orders.csv",
      customerIds: ["ann@example.com", "bob@example.com", "cy@example.com", "ann@example.com", "dee@example.com", "eve@example.com"],
      orderDates: [45300, 45310, 45320, 45400, 45401, 45410],
      orderValues: [10, 20, 30, 40, 50, 60],
    };
    const { sheet, segmentByCustomer } = buildSegmentationTab(orders, null, { mask: "partial", clusterCount: 2 }, CONTEXT);
    expect(allText(sheet).join("\n")).not.toContain("ann@example.com");
    expect(columnOf(tableOf(sheet, "SegmentCustomers"), "Customer")).toContain("a***@example.com");
    expect(segmentByCustomer!.has("ann@example.com")).toBe(true); // the maps keep the real ids for the other tabs
  });
});

describe("buildSegmentationTab: options", () => {
  it("as_of leaves later orders out and counts them in the provenance", () => {
    const asOf = START + 300;
    const { sheet } = buildSegmentationTab(SHOP.orders, SHOP.customers, { asOf }, CONTEXT);
    const transactions = readTransactions(col(SHOP.orders.customerIds), col(SHOP.orders.orderDates), col(SHOP.orders.orderValues));
    const rfm = rfmScores(transactions, { asOf, monetary: "sum" });
    expect(rfm.excludedOrders).toBeGreaterThan(0);
    expect(tableOf(sheet, "SegmentCustomers").rows.length).toBe(rfm.customerIds.length);
    expect(sheet.provenance.notes[0]).toContain(`${rfm.excludedOrders} dated after as of left out`);
    expect(sheet.provenance.options.find((o) => o.label === "As of")!.value).toBe("2024-10-27");
  });

  it("a given cluster count and seed are used, and CLV adds columns and an average CLV per segment", () => {
    const clv = new Map<string, number>();
    [...BASE.segmentByCustomer!.keys()].forEach((id, i) => {
      if (i % 10 !== 0) clv.set(id, 10 + (i % 17) * 3.5); // every tenth customer has none
    });
    const options: SegmentationOptions = { clusterCount: 3, seed: 7, clvByCustomer: clv };
    const { sheet } = buildSegmentationTab(SHOP.orders, SHOP.customers, options, CONTEXT);
    expect(sheetProblems(sheet)).toEqual([]);
    expect(tableOf(sheet, "SegmentClusters").rows.length).toBe(3);
    const customers = tableOf(sheet, "SegmentCustomers");
    expect(customers.headers.slice(7, 10)).toEqual(["RFM code", "CLV", "Segment"]);
    const clvColumn = customers.headers.indexOf("CLV");
    const summary = tableOf(sheet, "SegmentSummary");
    expect(summary.headers[6]).toBe("Average CLV");
    columnOf(summary, "Segment").forEach((segment, s) => {
      const mine = customers.rows.filter((row) => cellValue(row[9]) === segment).map((row) => cellValue(row[clvColumn])).filter((v) => v !== null) as number[];
      expect(columnOf(summary, "Average CLV")[s]).toBeCloseTo(mine.reduce((a, b) => a + b, 0) / mine.length, 9);
    });
    expect(sheet.charts[1].title).toBe("Average CLV per segment");
    expect(expectFormulasHold(sheet)).toBeGreaterThan(20);
    expect(sheet.provenance.notes.join(" ")).toContain(`${Math.ceil(BASE.segmentByCustomer!.size / 10)} customers have no CLV`);
    expect(sheet.provenance.options.find((o) => o.label === "Behavioural groups")!.value).toBe("3, as given");
  });
});

describe("buildSegmentationTab: bad input raises EngineError naming the argument and row", () => {
  function errorOf(build: () => unknown): EngineError {
    try {
      build();
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      return error as EngineError;
    }
    throw new Error("expected an EngineError");
  }
  const orders = SHOP.orders;

  it("text in a date", () => {
    const dates = [...orders.orderDates];
    dates[4] = "next tuesday";
    const error = errorOf(() => buildSegmentationTab({ ...orders, orderDates: dates }, null, {}, CONTEXT));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("order_dates");
    expect(error.row).toBe(5);
    expect(error.message).toContain("order_dates row 5");
  });

  it("mismatched lengths", () => {
    const error = errorOf(() => buildSegmentationTab({ ...orders, orderValues: orders.orderValues.slice(0, 10) }, null, {}, CONTEXT));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("order_values");
  });

  it("a repeated customer row, and a customer column of another length", () => {
    const ids = [...SHOP.customers.customerIds];
    ids[9] = ids[2];
    const repeated = errorOf(() => buildSegmentationTab(orders, { ...SHOP.customers, customerIds: ids }, {}, CONTEXT));
    expect(repeated.argument).toBe("customers.customer_ids");
    expect(repeated.row).toBe(10);
    const columns = SHOP.customers.columns.map((c, i) => (i === 4 ? { ...c, values: c.values.slice(1) } : c));
    const short = errorOf(() => buildSegmentationTab(orders, { ...SHOP.customers, columns }, {}, CONTEXT));
    expect(short.argument).toBe("customers.Region");
  });

  it("bad options: clusters, thresholds, mask mode", () => {
    expect(errorOf(() => buildSegmentationTab(orders, null, { clusterCount: 1 }, CONTEXT)).argument).toBe("clusters");
    expect(errorOf(() => buildSegmentationTab(orders, null, { lifecycleThresholds: { newDays: 90, activeDays: 60, atRiskDays: 30 } }, CONTEXT)).argument).toBe("thresholds");
    expect(errorOf(() => buildSegmentationTab(orders, null, { mask: "scramble" as never }, CONTEXT)).argument).toBe("mode");
  });
});
