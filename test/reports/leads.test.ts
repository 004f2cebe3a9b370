// The Leads tab: its scores are IMC.FITSCORE's, IMC.ENGAGEMENT's and IMC.LEADSCORE's on the same
// data (the rules and points read back from the tab), its figures are the cells that show them, bad
// cells are named with their row, and the written .xlsx passes the tab checks of docs/tabs.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { seededUniform } from "../../src/engine/math/random";
import { writeNewWorkbook } from "../../src/cli/xlsx/writeReport";
import type { BusinessData } from "../../src/reports/detect";
import type { LeadEventsInput, LeadsInput } from "../../src/reports/inputs";
import { buildLeadsTab } from "../../src/reports/leads";
import { cellAt, cellValue, sheetProblems, tableNamed, type CellValue, type ReportSheet } from "../../src/reports/sheet";
import { installCustomFunctionsStub } from "../support/customFunctions";
import { engineErrorOf } from "../support/engine";
import { loadWritten, tabViolationLines } from "../support/tabQuality";

installCustomFunctionsStub();
let fns: typeof import("../../src/functions/leads");
beforeAll(async () => {
  fns = await import("../../src/functions/leads");
});

const context = { generatedAt: "2026-12-06T07:00:00Z" };
const options = { asOf: null, cac: null };
const INDUSTRIES = ["Software", "Retail", "Banking", "Manufacturing", "Healthcare"];
const TITLES = ["Chief Marketing Officer", "VP Sales", "Marketing Director", "Head of Growth", "Marketing Manager", "Analyst", "Intern"];
const COUNTRIES = ["UK", "DE", "US", "FR"];
const EVENTS = ["Demo request", "Pricing page", "Webinar", "Email click", "Web visit", "Trade show"];

/** 120 leads with profile columns, about 1,500 events, software and UK leads more engaged and more often customers. */
function fixture(): { leads: LeadsInput; events: LeadEventsInput } {
  const random = seededUniform(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const ids: unknown[] = [];
  const customers: unknown[] = [];
  const industry: unknown[] = [];
  const employees: unknown[] = [];
  const title: unknown[] = [];
  const country: unknown[] = [];
  const eventIds: unknown[] = [];
  const dates: unknown[] = [];
  const kinds: unknown[] = [];
  for (let i = 0; i < 120; i++) {
    const id = i % 10 === 0 ? 5000 + i : `L${String(i + 1).padStart(4, "0")}`;
    ids.push(id);
    const ind = pick(INDUSTRIES);
    const size = Math.round(5 + 3000 * random() * random());
    const job = pick(TITLES);
    const ctry = pick(COUNTRIES);
    // Lead 7 has events but no profile.
    industry.push(i === 7 ? "" : ind);
    employees.push(i === 7 ? null : i % 9 === 0 ? String(size) : size);
    title.push(i === 7 ? null : job);
    country.push(i === 7 ? "" : ctry);
    const keen = (ind === "Software" ? 2 : 1) * (ctry === "UK" ? 1.5 : 1) * (random() < 0.5 ? 2 : 0.3);
    const n = Math.floor(keen * 8 * random());
    for (let e = 0; e < n; e++) {
      eventIds.push(typeof id === "number" && e % 2 === 0 ? String(id) : id);
      dates.push(45292 + Math.floor(random() * 180));
      kinds.push(pick(EVENTS));
    }
    customers.push(random() < (keen > 1 ? 0.45 : 0.08) ? `C${i}` : null);
  }
  // An event of an unknown lead.
  eventIds.push("Z999");
  dates.push(45300);
  kinds.push("Web visit");
  return {
    leads: {
      source: "Leads!A1:G121",
      leadIds: ids,
      customerIds: customers,
      columns: [
        { header: "Industry", values: industry },
        { header: "Employees", values: employees },
        { header: "Job title", values: title },
        { header: "Country", values: country },
      ],
    },
    events: { source: "Lead Events!A1:C1500", leadIds: eventIds, dates, events: kinds },
  };
}

const data = (leads: LeadsInput | null, events: LeadEventsInput | null): BusinessData => ({
  orders: null,
  customers: null,
  touchpoints: null,
  campaigns: null,
  spend: null,
  leads,
  leadEvents: events,
});

/** Rows of a block of cells under a header row whose first cell is `header`, down to the first unwritten row. */
function blockUnder(sheet: ReportSheet, header: string, width: number): CellValue[][] {
  let row = -1;
  for (let r = 0; r < 400 && row < 0; r++) if (cellAt(sheet, r, 0) === header && cellAt(sheet, r, 1) !== undefined) row = r;
  expect(row, `no header ${header}`).toBeGreaterThan(0);
  const rows: CellValue[][] = [];
  for (let r = row + 1; cellAt(sheet, r, 0) !== undefined; r++) rows.push(Array.from({ length: width }, (_, c) => cellValue(cellAt(sheet, r, c) ?? null)));
  return rows;
}

describe("Leads tab", () => {
  const { leads, events } = fixture();
  const build = () => buildLeadsTab(data(leads, events), options, context);

  it("is a well-formed sheet with a title, a headline and provenance", () => {
    const { sheet } = build();
    expect(sheetProblems(sheet)).toEqual([]);
    expect(cellAt(sheet, 0, 0)).toBe("Lead Scoring");
    expect(cellAt(sheet, 3, 0)).toBe("At a glance");
    expect(sheet.blocks.some((b) => b.kind === "cells" && b.values.some((row) => row[0] === "Source" && row[1] === "Leads!A1:G121"))).toBe(true);
  });

  it("scores equal IMC.FITSCORE, IMC.ENGAGEMENT and IMC.LEADSCORE on the same data, with the tab's rules and points", () => {
    const { sheet } = build();
    const rules = blockUnder(sheet, "Attribute", 3);
    expect(rules.length).toBeGreaterThanOrEqual(5);
    const points = new Map(blockUnder(sheet, "Event", 2).map(([event, p]) => [String(event).toLowerCase(), p as number]));
    const other = points.get("any other event")!;
    const profile = [leads.columns.map((c) => c.header), ...leads.leadIds.map((_, i) => leads.columns.map((c) => c.values[i]))];
    const fit = fns.fitScore(profile, rules).map((row) => row[0] as number);
    const col = (values: readonly unknown[]) => values.map((v) => [v]);
    const eventPoints = events.events!.map((kind) => points.get(String(kind).toLowerCase()) ?? other);
    const engagement = fns.engagement(col(leads.leadIds), col(events.leadIds), col(events.dates), col(eventPoints)).map((row) => row[0] as number);
    const graded = fns.leadScore(col(fit), col(engagement)).slice(1);

    // Qualification: each lead's engagement 30 days after its first event (no created column, no
    // orders), capped by the latest event date, from IMC.ENGAGEMENT at that as_of date.
    const latest = Math.max(...(events.dates as number[]));
    const atQualification = leads.leadIds.map((id) => {
      const own = events.leadIds.map((e, k) => (String(e) === String(id) ? k : -1)).filter((k) => k >= 0);
      if (own.length === 0) return 0;
      const asOf = Math.min(latest, Math.min(...own.map((k) => events.dates[k] as number)) + 30);
      return fns.engagement([[id]], col(own.map((k) => events.leadIds[k])), col(own.map((k) => events.dates[k])), col(own.map((k) => eventPoints[k])), [[asOf]])[0][0] as number;
    });
    const qualified = fns.leadScore(col(fit), col(atQualification)).slice(1);
    expect(atQualification.filter((e, i) => e !== engagement[i]).length, "qualification differs from today for some leads").toBeGreaterThan(10);

    // The grade matrix counts what IMC.LEADSCORE says at qualification.
    const matrix = blockUnder(sheet, "Fit band", 5);
    ["A", "B", "C"].forEach((band, r) => {
      [1, 2, 3].forEach((e, c) => {
        expect(matrix[r][c + 1], `${band}${e}`).toBe(qualified.filter((g) => g[2] === `${band}${e}`).length);
      });
    });
    const figures = build().figures;
    expect(figures.find((f) => f.key === "leads.mqls")!.value).toBe(qualified.filter((g) => g[3] === true).length);
    // The follow-up list holds exactly the leads IMC.LEADSCORE flags today that are not customers, with their fit, engagement and grade.
    const mqls = tableNamed(sheet, "LeadMqls")!;
    const flagged = leads.leadIds.filter((_, i) => graded[i][3] === true && leads.customerIds![i] === null);
    expect(mqls.rows.map((row) => row[0]).sort()).toEqual(flagged.map(String).sort());
    for (const row of mqls.rows) {
      const i = leads.leadIds.map(String).indexOf(row[0] as string);
      expect(row[2]).toBeCloseTo(fit[i], 10);
      expect(row[3]).toBeCloseTo(engagement[i], 10);
      expect(row[4]).toBe(graded[i][2]);
    }
    // Sorted by the combined score, descending.
    const combined = mqls.rows.map((row) => row[1] as number);
    expect(combined).toEqual([...combined].sort((a, b) => b - a));
    expect(flagged.length).toBeGreaterThan(3);
  });

  it("publishes its figures as the cells that show them", () => {
    const { sheet, figures } = build();
    expect(figures.map((f) => f.key)).toEqual(["leads.count", "leads.mqls", "leads.mqlShare", "leads.mqlConversion", "leads.nonMqlConversion"]);
    for (const figure of figures) {
      const cell = cellAt(sheet, figure.row, figure.column);
      expect(cell, figure.key).toBeDefined();
      expect(cellValue(cell!)).toBe(figure.value);
    }
    const value = (key: string) => figures.find((f) => f.key === key)!.value as number;
    expect(value("leads.count")).toBe(120);
    expect(value("leads.mqlShare")).toBeCloseTo(value("leads.mqls") / 120, 12);
    // The fixture's keen leads are both more often MQLs and more often customers.
    expect(value("leads.mqlConversion")).toBeGreaterThan(value("leads.nonMqlConversion"));
  });

  it("conversion by grade counts the linked customers per grade, with its chart", () => {
    const { sheet } = build();
    const table = tableNamed(sheet, "LeadConversionByGrade")!;
    expect(table.rows.map((row) => row[0])).toEqual(["A1", "A2", "A3", "B1", "B2", "B3", "C1", "C2", "C3"]);
    const customers = table.rows.reduce((n, row) => n + (row[2] as number), 0);
    expect(customers).toBe(leads.customerIds!.filter((c) => c !== null).length);
    expect(sheet.charts).toHaveLength(1);
  });

  it("warns in red about left-out events and leads with events but no profile", () => {
    const asOf = 45292 + 90;
    const { sheet } = buildLeadsTab(data(leads, events), { asOf, cac: null }, context);
    const warnings = sheet.blocks.filter((b) => b.kind === "cells" && b.style === "warning").flatMap((b) => (b.kind === "cells" ? b.values.map((row) => String(row[0])) : []));
    expect(warnings.some((w) => /events? dated after the as-of date \(31 Mar 2024\)/.test(w))).toBe(true);
    expect(warnings.some((w) => /^1 event of lead ids that are not in the lead table was left out/.test(w))).toBe(true);
    expect(warnings.some((w) => /^1 lead with events has no profile/.test(w))).toBe(true);
  });

  it("without customer ids: no conversion figures, table or chart", () => {
    const { sheet, figures } = buildLeadsTab(data({ ...leads, customerIds: undefined }, events), options, context);
    expect(figures.map((f) => f.key)).toEqual(["leads.count", "leads.mqls", "leads.mqlShare"]);
    expect(tableNamed(sheet, "LeadConversionByGrade")).toBeUndefined();
    expect(sheet.charts).toHaveLength(0);
    expect(sheetProblems(sheet)).toEqual([]);
  });

  it("uses the events' own points column when there is one", () => {
    const withPoints: LeadEventsInput = { ...events, events: undefined, points: events.leadIds.map(() => 10) };
    const { sheet } = buildLeadsTab(data(leads, withPoints), options, context);
    const col = (values: readonly unknown[]) => values.map((v) => [v]);
    const engagement = fns.engagement(col(leads.leadIds), col(withPoints.leadIds), col(withPoints.dates), col(withPoints.points!));
    const mqls = tableNamed(sheet, "LeadMqls")!;
    for (const row of mqls.rows) expect(row[3]).toBeCloseTo(engagement[leads.leadIds.map(String).indexOf(row[0] as string)][0] as number, 10);
  });

  it("a bad event date or points cell is named with its row", () => {
    const dates = [...events.dates];
    dates[2] = "someday";
    const error = engineErrorOf(() => buildLeadsTab(data(leads, { ...events, dates }), options, context));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toBe('lead event date row 3: "someday" is not a date; use a date cell or text like 2024-01-31');
    const points = events.leadIds.map((_, i) => (i === 4 ? "many" : 1));
    expect(engineErrorOf(() => buildLeadsTab(data(leads, { ...events, points }), options, context)).message).toBe('lead event points row 5: "many" is not a number');
  });

  it("INSUFFICIENT_DATA without leads", () => {
    expect(engineErrorOf(() => buildLeadsTab(data(null, events), options, context)).code).toBe("INSUFFICIENT_DATA");
    const empty = engineErrorOf(() => buildLeadsTab(data({ ...leads, leadIds: leads.leadIds.map(() => null) }, events), options, context));
    expect(empty.code).toBe("INSUFFICIENT_DATA");
    expect(empty.message).toMatch(/no lead ids/);
  });

  it("written to .xlsx, passes the tab checks (formats, headers, words, chart)", async () => {
    const { sheet } = build();
    const { bytes, names } = await writeNewWorkbook([], [sheet]);
    const written = await loadWritten(bytes);
    const tab = names[names.length - 1];
    expect(await tabViolationLines(written, [tab], { [tab]: 1 })).toEqual([]);
    if (process.env.LEADS_XLSX_OUT) {
      mkdirSync(process.env.LEADS_XLSX_OUT, { recursive: true });
      writeFileSync(`${process.env.LEADS_XLSX_OUT}/leads.xlsx`, bytes);
    }
  });
});
