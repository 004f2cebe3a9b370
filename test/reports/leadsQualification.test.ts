// The Lead Scoring tab judges each lead at a fixed time after it entered: engagement and grade at
// min(entered + 30 days, the day before its first order, the as-of date); the default fit rules read
// the job titles and employee bands that convert; on the sample business, MQLs convert clearly more
// often than other leads (the sample's truth says they do).
import { describe, expect, it } from "vitest";
import { engagementAtDates, engagementScores } from "../../src/engine/leads";
import { businessDataOf, detectTables, type SheetCells } from "../../src/reports/detect";
import type { LeadsInput, OrdersInput } from "../../src/reports/inputs";
import { buildLeadsTab } from "../../src/reports/leads";
import { analyseLeads, defaultRules, QUALIFY_AFTER_DAYS } from "../../src/reports/leads/analysis";
import { tableNamed } from "../../src/reports/sheet";
import { generateSampleBusiness } from "../../src/sample/business";

const NAMES = { leadIds: "lead id", eventLeadIds: "lead event id", eventDates: "lead event date", eventPoints: "lead event points" };
const decay = (points: number, age: number) => points * Math.pow(0.5, age / 30);

describe("engagement at each lead's own date", () => {
  it("equals IMC.ENGAGEMENT's engine when every lead shares the date, and leaves out later events", () => {
    const leadIds = ["A", "B", 7, "C"];
    const events = { leadIds: ["A", "B", "7", "A", "B", "Z"], dates: [45000, 45010, 45020, 45030, 45040, 45000], points: [10, 20, 5, 30, 15, 99] };
    const same = engagementAtDates(leadIds, events, new Float64Array(4).fill(45040), 30, 100, NAMES);
    const reference = engagementScores({ leadIds, eventLeadIds: events.leadIds, eventDates: events.dates, eventPoints: events.points }, { asOf: 45040 });
    same.scores.forEach((score, i) => expect(score).toBeCloseTo(reference.scores[i], 12));
    const own = engagementAtDates(leadIds, events, Float64Array.from([45005, 45040, 45019, Number.NaN]), 30, 100, NAMES);
    expect(own.scores[0]).toBeCloseTo(decay(10, 5), 12);
    expect(own.scores[1]).toBeCloseTo(decay(20, 30) + 15, 12);
    expect(own.scores[2]).toBe(0);
    expect(own.scores[3]).toBe(0);
    expect(Array.from(own.firstEventDates.slice(0, 3))).toEqual([45000, 45010, 45020]);
    expect(Array.from(own.eventCounts)).toEqual([1, 2, 0, 0]);
  });
});

describe("qualification dates", () => {
  // L1: created day 0, a demo request on day 1 and another on day 200 → scored on day 30.
  // L2: no created date, first event day 100, first order day 110 → scored on day 109 (event on day 112 left out).
  // L3: created day 390, event day 395, as of day 400 → scored on day 400.
  const day0 = 45000;
  const leads: LeadsInput = {
    source: "Leads",
    leadIds: ["L1", "L2", "L3"],
    customerIds: [null, "C2", null],
    createdDates: [day0, null, day0 + 390],
    columns: [{ header: "Industry", values: ["Retail", "Retail", "Retail"] }],
  };
  const events = { source: "Events", leadIds: ["L1", "L1", "L2", "L2", "L3"], dates: [day0 + 1, day0 + 200, day0 + 100, day0 + 112, day0 + 395], events: ["Demo request", "Demo request", "Pricing page", "Demo request", "Webinar"] };
  const orders: OrdersInput = { source: "Orders", customerIds: ["C9", "C2", "C2"], orderDates: [day0, day0 + 130, day0 + 110], orderValues: [1, 1, 1] };

  it("entry + 30 days, the day before the first order, or the as-of date, whichever is first", () => {
    const analysis = analyseLeads(leads, events, day0 + 400, orders);
    expect(Array.from(analysis.qualifiedAt)).toEqual([day0 + QUALIFY_AFTER_DAYS, day0 + 109, day0 + 400]);
    expect(analysis.engagement[0]).toBeCloseTo(decay(30, 29), 12);
    expect(analysis.engagement[1]).toBeCloseTo(decay(15, 9), 12);
    expect(analysis.engagement[2]).toBeCloseTo(decay(10, 5), 12);
    expect(analysis.qualifiedBy).toEqual({ entry: 1, customer: 1, asOf: 1 });
    expect(analysis.enteredFrom).toEqual({ created: 2, firstEvent: 1, unknown: 0 });
    expect(analysis.conversionDatesKnown).toBe(1);
    // Today's engagement is separate: L1's day-200 demo has faded by day 400.
    expect(analysis.engagementNow[0]).toBeCloseTo(decay(30, 399) + decay(30, 200), 12);
  });

  it("without orders, only entry + 30 days and the as-of date bound it", () => {
    const analysis = analyseLeads(leads, events, day0 + 400, null);
    expect(Array.from(analysis.qualifiedAt)).toEqual([day0 + 30, day0 + 130, day0 + 400]);
    expect(analysis.conversionDatesKnown).toBeNull();
  });

  it("the follow-up list says so when no lead is an MQL now", () => {
    const data = { orders, customers: null, touchpoints: null, campaigns: null, spend: null, leads, leadEvents: events };
    const { sheet } = buildLeadsTab(data, { asOf: day0 + 400, cac: null }, { generatedAt: "2026-12-06T07:00:00Z" });
    expect(tableNamed(sheet, "LeadMqls")).toBeUndefined();
    const notes = sheet.blocks.flatMap((b) => (b.kind === "cells" ? b.values.map((row) => String(row[0])) : []));
    expect(notes.some((text) => /^Sales follow-up now: MQLs as of /.test(text))).toBe(true);
    expect(notes.some((text) => /^No lead is an MQL as of .* without being a customer already/.test(text))).toBe(true);
  });

  it("a bad created date is named with its row", () => {
    expect(() => analyseLeads({ ...leads, createdDates: [day0, "soon", null] }, events, day0 + 400, orders)).toThrow(/lead created date row 2/);
  });
});

describe("default fit rules from the data", () => {
  const titles = [...Array(10).fill("Buyer"), ...Array(10).fill("Owner"), ...Array(10).fill("Student"), ...Array(3).fill("Chief")];
  // Buyers convert 8 in 10, Owners 5 in 10, Students 0, Chiefs (3 leads, too few) 3 in 3.
  const customer = titles.map((t, i) => (t === "Buyer" ? i % 10 < 8 : t === "Owner" ? i % 10 < 5 : t === "Chief"));
  const employees = titles.map((_, i) => (i * 37) % 500);

  it("job titles that convert better than all leads (5 leads or more) get points by their conversion", () => {
    const { rules } = defaultRules([{ header: "Job title", values: titles }], customer);
    // All leads convert 16 in 33 (48.5%): Buyer (80%) gets the full 30; Owner (50%) 30 × (50 − 48.5) ÷ (80 − 48.5) ≈ 1.4, at least 5.
    expect(rules.map((r) => [r.condition, r.points])).toEqual([
      ["Buyer", 30],
      ["Owner", 5],
    ]);
  });

  it("without customer links, job titles keep the seniority words and sizes get quartile bands", () => {
    const { rules } = defaultRules(
      [
        { header: "Job title", values: titles },
        { header: "Employees", values: employees },
      ],
      null,
    );
    expect(rules.filter((r) => r.attribute === "Job title").every((r) => r.condition.startsWith("contains "))).toBe(true);
    const size = rules.filter((r) => r.attribute === "Employees");
    expect(size.map((r) => r.points)).toEqual([25, 20, 10]);
    expect(size[0].condition).toMatch(/^>= \d+$/);
  });

  it("employee bands that convert better get points", () => {
    const big = employees.map((n, i) => (customer[i] ? 1000 + n : n));
    const { rules } = defaultRules([{ header: "Employees", values: big }], customer);
    expect(rules.length).toBeGreaterThan(0);
    expect(rules[0].points).toBe(25);
    expect(rules[0].condition).toMatch(/^>= \d+$/);
  });
});

describe("on the sample business", () => {
  for (const customers of [2000, 20000]) {
    it(`MQLs at 30 days convert more than 1.5× as often as other leads (${customers} customers, default seed)`, () => {
      const business = generateSampleBusiness({ customers });
      const sheets: SheetCells[] = business.tables.map((table) => ({ name: table.name, rows: [table.headers, ...table.rows] }));
      const data = businessDataOf(sheets, detectTables(sheets));
      expect(data.leads?.createdDates, "the sample's created column is read").toBeDefined();
      const { sheet, figures } = buildLeadsTab(data, { asOf: null, cac: null }, { generatedAt: "2026-12-06T07:00:00Z" });
      const value = (key: string) => figures.find((f) => f.key === key)!.value as number;
      expect(value("leads.mqls")).toBeGreaterThan(0.05 * value("leads.count"));
      expect(value("leads.mqlConversion")).toBeGreaterThan(1.5 * value("leads.nonMqlConversion"));
      // Grade A1 converts more often than C3 (best against worst).
      const byGrade = new Map(tableNamed(sheet, "LeadConversionByGrade")!.rows.map((row) => [row[0], row[3] as { value: number }]));
      expect(byGrade.get("A1")!.value).toBeGreaterThan(byGrade.get("C3")!.value);
    }, 60_000);
  }
});
