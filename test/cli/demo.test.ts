// `imc demo` and `imc report` end to end: the written workbook opened with ExcelJS and checked
// against the engine called directly on the workbook's own data sheets; every formula of every
// generated tab recomputed by a formula engine (HyperFormula); the Budget tab's target changed and
// the budget following; `imc report` twice keeping the workbook's own parts byte-identical.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installCustomFunctionsStub } from "../support/customFunctions";
import { expectClose, loadGrid, recomputedGrids } from "../support/recalc";
import { main } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { readWorkbook, type WorkbookSheetData } from "../../src/cli/xlsx/readWorkbook";
import { budgetFromTheEnd } from "../../src/engine/budget";
import { campaignKpis } from "../../src/engine/campaigns/campaignKpis";
import { fitCustomerValue, predictCustomerValue } from "../../src/engine/clv/predict";
import { periodSchedule } from "../../src/engine/clv/discountedClv";
import { summarizeCustomers } from "../../src/engine/clv/summary";
import { readTransactions, toDateSerial } from "../../src/engine/data";
import { readTouchpointLog } from "../../src/engine/attribution";
import { journeysOfLog } from "../../src/engine/journeys";
import { rfmScores } from "../../src/engine/segmentation";
import { businessDataOf, detectTables } from "../../src/reports/detect";
import { generateSampleBusiness, sampleTable, type SampleTableName } from "../../src/sample/business";

installCustomFunctionsStub();
let attribution: typeof import("../../src/functions/attribution");
let cohortsFunctions: typeof import("../../src/functions/cohorts");
let journeysFunctions: typeof import("../../src/functions/journeys");
let liftFunctions: typeof import("../../src/functions/lift");

const CUSTOMERS = 1500;
/** The sample's data sheets, in order. */
const DATA_SHEETS = ["Customers", "Orders", "Touchpoints", "Campaigns", "Spend", "Leads", "Lead Events", "Survey", "Experiment", "Journey Stages"];
/** The tabs the sample always gets, in workbook order (Cohorts, Leads, Journey and Experiments come in between when their builders and data allow). */
const ALWAYS = ["Scorecard", "Segmentation", "Customer Value", "Attribution", "Campaign KPIs", "Budget"];
/** The generated tabs of the demo workbook, in order (every sheet after the data sheets). */
let GENERATED: string[];
let dir: string;
let demoStdout: string;
let workbook: ExcelJS.Workbook;
let sheets: WorkbookSheetData[];

beforeAll(async () => {
  attribution = await import("../../src/functions/attribution");
  cohortsFunctions = await import("../../src/functions/cohorts");
  journeysFunctions = await import("../../src/functions/journeys");
  liftFunctions = await import("../../src/functions/lift");
  dir = mkdtempSync(path.join(tmpdir(), "imc-demo-"));
  const run = memoryIo({ cwd: dir });
  const code = await main(["demo", "--out-dir", "out", "--customers", String(CUSTOMERS)], run.io);
  demoStdout = run.stdout();
  expect(run.stderr()).toBe("");
  expect(code).toBe(0);
  const bytes = readFileSync(path.join(dir, "out", "imc-demo.xlsx"));
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  sheets = await readWorkbook(bytes, "imc-demo.xlsx");
  GENERATED = workbook.worksheets.map((sheet) => sheet.name).slice(DATA_SHEETS.length);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A data sheet read back: its header row and rows. */
function data(name: string): { header: string[]; rows: unknown[][]; column: (header: string) => unknown[] } {
  const sheet = sheets.find((candidate) => candidate.name === name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  const header = sheet.rows[0].map(String);
  const rows = sheet.rows.slice(1);
  return {
    header,
    rows,
    column: (wanted) => {
      const index = header.indexOf(wanted);
      if (index < 0) throw new Error(`${name} has no column ${wanted}`);
      return rows.map((row) => row[index]);
    },
  };
}

/** An Excel table of a generated tab, read with ExcelJS: header → column of cached values, by row key. */
function table(sheetName: string, tableName: string): { headers: string[]; rows: unknown[][]; byKey: Map<string, unknown[]> } {
  const worksheet = workbook.getWorksheet(sheetName)!;
  const tables = worksheet.getTables() as unknown as { table: { name: string; tableRef: string } }[];
  const found = tables.find((candidate) => candidate.table.name === tableName);
  if (!found) throw new Error(`${sheetName} has no table ${tableName}: ${tables.map((t) => t.table.name).join(", ")}`);
  const [start, end] = found.table.tableRef.split(":");
  const top = worksheet.getCell(start);
  const bottom = worksheet.getCell(end);
  const read = (row: number, column: number): unknown => {
    const value = worksheet.getCell(row, column).value;
    return value !== null && typeof value === "object" && "formula" in value ? value.result : value;
  };
  const headers: string[] = [];
  for (let c = Number(top.col); c <= Number(bottom.col); c++) headers.push(String(read(Number(top.row), c)));
  const rows: unknown[][] = [];
  for (let r = Number(top.row) + 1; r <= Number(bottom.row); r++) {
    const row: unknown[] = [];
    for (let c = Number(top.col); c <= Number(bottom.col); c++) row.push(read(r, c));
    rows.push(row);
  }
  return { headers, rows, byKey: new Map(rows.map((row) => [String(row[0]), row])) };
}

/** Cell value by label in column A of a label | value block (the first match below row `after`). */
function labelled(sheetName: string, label: string, after = 2): { row: number; value: unknown } {
  const worksheet = workbook.getWorksheet(sheetName)!;
  for (let r = after + 1; r <= worksheet.rowCount; r++) {
    if (worksheet.getCell(r, 1).value === label) {
      const value = worksheet.getCell(r, 2).value;
      return { row: r, value: value !== null && typeof value === "object" && "formula" in value ? value.result : value };
    }
  }
  throw new Error(`${sheetName} has no row labelled ${label}`);
}

/** budgetFromTheEnd of the Budget tab's own inputs, with the target revenue given. */
function planOfBudgetTab(targetRevenue: number) {
  const input = (label: string) => labelled("Budget", label).value as number;
  return budgetFromTheEnd({
    targetRevenue,
    customersAtStart: input("Customers at start"),
    retentionRate: input("Retention rate"),
    revenuePerCustomer: input("Revenue per retained customer"),
    firstPeriodRevenuePerNewCustomer: input("First-period revenue per new customer"),
    cac: input("CAC (cost per new customer)"),
    buffer: input("Buffer (share of budget)"),
    clv: input("CLV of a new customer"),
  });
}

/** A generated tab's cells for the formula engine: values, and formulas with the result the file stores. */
function cells(worksheet: ExcelJS.Worksheet): unknown[][] {
  const grid: unknown[][] = [];
  for (let r = 1; r <= worksheet.rowCount; r++) {
    const line: unknown[] = [];
    for (let c = 1; c <= worksheet.columnCount; c++) {
      const value = worksheet.getCell(r, c).value;
      // ExcelJS reads a date-formatted serial as a Date (UTC midnight): back to the serial the tab wrote.
      if (value instanceof Date) line.push(value.getTime() / 86_400_000 + 25_569);
      else line.push(value !== null && typeof value === "object" && "formula" in value ? { formula: value.formula, value: value.result } : value);
    }
    grid.push(line);
  }
  return grid;
}

describe("imc demo", () => {
  it("writes the sample as CSV and workbooks, the tabs and the HTML report, and says where", () => {
    expect(demoStdout).toContain(`Workbook with the tabs ${GENERATED.map((name) => `"${name}"`).join(", ")}: ${path.join("out", "imc-demo.xlsx")}`);
    expect(GENERATED.filter((name) => ALWAYS.includes(name))).toEqual(ALWAYS);
    expect(demoStdout).toContain(path.join("out", "imc-demo.html"));
    for (const name of ["customers", "orders", "touchpoints", "campaigns", "spend", "leads", "lead-events", "survey", "experiment", "journey-stages"]) {
      const csv = readFileSync(path.join(dir, "out", "sample", `${name}.csv`), "utf8");
      expect(csv.split("\r\n").length, name).toBeGreaterThan(2);
    }
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([...DATA_SHEETS, ...GENERATED]);
    // The workbook opens on the Scorecard, the first generated tab.
    expect(GENERATED[0]).toBe("Scorecard");
    expect(workbook.views[0]?.activeTab).toBe(DATA_SHEETS.length);
    const html = readFileSync(path.join(dir, "out", "imc-demo.html"), "utf8");
    for (const name of GENERATED) expect(html).toContain(name);
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/https?:\/\/|<script/i);
  });

  it("the sample workbook read back: every table of issue 15 found, every new field filled, its Excel rows right", async () => {
    const sample = await readWorkbook(readFileSync(path.join(dir, "out", "sample-business.xlsx")), "sample-business.xlsx");
    const business = generateSampleBusiness({ customers: CUSTOMERS });
    const found = detectTables(sample);
    const where = (tables: typeof found) => Object.fromEntries(Object.entries(tables).map(([kind, table]) => [kind, table.sheet]));
    expect(where(found)).toEqual({
      orders: "Orders",
      customers: "Customers",
      touchpoints: "Touchpoints",
      campaigns: "Campaigns",
      spend: "Spend",
      leads: "Leads",
      leadEvents: "Lead Events",
      survey: "Survey",
      experiments: "Experiment",
      referrals: "Customers",
      stages: "Journey Stages",
    });
    // The demo workbook with its tabs: the tabs are never taken for a table.
    expect(where(detectTables(sheets))).toEqual(where(found));
    const data = businessDataOf(sample, found);
    const column = (name: SampleTableName, header: string): unknown[] => {
      const table = sampleTable(business, name);
      const c = table.headers.indexOf(header);
      expect(c, `${name}.${header}`).toBeGreaterThanOrEqual(0);
      return table.rows.map((row) => row[c]);
    };
    const blankAsNull = (cells: readonly unknown[] | undefined) => cells?.map((cell) => (cell === undefined || cell === "" ? null : cell));
    expect(data.touchpoints?.stages).toEqual(column("Touchpoints", "stage"));
    expect(blankAsNull(data.touchpoints?.contents)).toEqual(column("Touchpoints", "content"));
    expect(data.leads?.leadIds).toEqual(column("Leads", "Lead ID"));
    expect(blankAsNull(data.leads?.customerIds)).toEqual(column("Leads", "Customer ID"));
    expect(data.leads?.createdDates).toEqual(column("Leads", "Created"));
    expect(data.leads?.columns.map((c) => c.header)).toEqual(["Company", "Industry", "Employees", "Job title", "Country"]);
    expect(data.leads?.columns[1].values).toEqual(column("Leads", "Industry"));
    expect(data.leadEvents?.leadIds).toEqual(column("Lead Events", "Lead ID"));
    expect(data.leadEvents?.dates).toEqual(column("Lead Events", "Date"));
    expect(data.leadEvents?.events).toEqual(column("Lead Events", "Event"));
    expect(data.survey?.customerIds).toEqual(column("Survey", "Customer ID"));
    expect(data.survey?.dates).toEqual(column("Survey", "Date"));
    expect(data.survey?.scores).toEqual(column("Survey", "How likely are you to recommend us? (0-10)"));
    expect(data.referrals?.customerIds).toEqual(column("Customers", "customer_id"));
    expect(data.referrals?.counts).toEqual(column("Customers", "referrals"));
    expect(data.experiments?.customerIds).toEqual(column("Experiment", "Customer ID"));
    expect(data.experiments?.campaigns).toEqual(column("Experiment", "Campaign"));
    expect(data.experiments?.groups).toEqual(column("Experiment", "Group"));
    expect(data.experiments?.dates).toEqual(column("Experiment", "Assigned on"));
    expect(data.stages?.channels).toEqual(column("Journey Stages", "Channel"));
    expect(data.stages?.stages).toEqual(column("Journey Stages", "Stage"));
    // Each sheet's header is in row 1, so data row k is Excel row k + 1.
    const rows = (n: number) => Array.from({ length: n }, (_, k) => k + 2);
    for (const [kind, name] of [["leads", "Leads"], ["leadEvents", "Lead Events"], ["survey", "Survey"], ["experiments", "Experiment"], ["referrals", "Customers"], ["stages", "Journey Stages"]] as const) {
      expect(data.rowNumbers?.[kind], kind).toEqual(rows(sampleTable(business, name).rows.length));
      expect(data[kind]?.source, kind).toMatch(new RegExp(`^'?${name}'?!A1:[A-Z]+${sampleTable(business, name).rows.length + 1}$`));
    }
  });

  it("Segmentation: every customer's R, F, M and segment are the engine's on the workbook's Orders sheet", () => {
    const orders = data("Orders");
    const rfm = rfmScores(readTransactions([orders.column("customer_id")], [orders.column("order_date")], [orders.column("order_value")]), { asOf: null, monetary: "sum" });
    const tab = table("Segmentation", "SegmentCustomers");
    expect(tab.rows).toHaveLength(rfm.customerIds.length);
    const [r, f, m, segment] = ["R", "F", "M", "Segment"].map((header) => tab.headers.indexOf(header));
    rfm.customerIds.forEach((id, c) => {
      const row = tab.byKey.get(id)!;
      expect([row[r], row[f], row[m], row[segment]], id).toEqual([rfm.r[c], rfm.f[c], rfm.m[c], rfm.segment[c]]);
    });
    const summary = table("Segmentation", "SegmentSummary");
    const segments = summary.rows.filter((row) => row[0] !== "All customers");
    expect(segments.length).toBe(summary.rows.length - 1);
    expect(segments.reduce((sum, row) => sum + Number(row[1]), 0)).toBe(rfm.customerIds.length);
    for (const row of segments) expect(row[1], String(row[0])).toBe(rfm.segment.filter((name) => name === row[0]).length);
  });

  it("Customer Value: every customer's P(alive) and CLV are the engine's BG/NBD + Gamma-Gamma on the Orders sheet", () => {
    const orders = data("Orders");
    const transactions = readTransactions([orders.column("customer_id")], [orders.column("order_date")], [orders.column("order_value")]);
    const summary = summarizeCustomers(transactions, { periodUnit: "week" });
    const fit = fitCustomerValue(summary, "bgnbd");
    const predictions = predictCustomerValue(summary, fit, periodSchedule(52, 0.1, "week"));
    const tab = table("Customer Value", "CustomerValues");
    const [alive, clv] = ["P(alive)", "CLV (next 52 weeks)"].map((header) => tab.headers.indexOf(header));
    expect(tab.rows).toHaveLength(summary.customerIds.length);
    summary.customerIds.forEach((id, c) => {
      const row = tab.byKey.get(id)!;
      expect(row[alive] as number, id).toBeCloseTo(predictions.probabilityAlive[c], 12);
      expect(row[clv] as number, id).toBeCloseTo(predictions.clv[c], 9);
    });
  });

  it("Attribution: every model's conversions per channel are IMC.ATTRIBUTE.EVENTS's on the Touchpoints sheet", () => {
    const log = data("Touchpoints");
    const wrap = (values: unknown[]) => values.map((value) => [value]);
    const expected = attribution.attributeEvents(
      wrap(log.column("customer_id")),
      wrap(log.column("timestamp")),
      wrap(log.column("channel")),
      wrap(log.column("conversion_value")),
      [["all"]],
      undefined,
      undefined,
    );
    const tab = table("Attribution", "AttributionConversions");
    const models = ["first", "last", "linear", "position", "time_decay", "markov", "shapley"];
    // The tab names the models in business terms (the 7-day half-life is the default).
    const shownAs: Record<string, string> = {
      first: "First touch",
      last: "Last touch",
      linear: "Linear",
      position: "Position-based (40/20/40)",
      time_decay: "Time decay (7-day half-life)",
      markov: "Data-driven (Markov)",
      shapley: "Shapley",
    };
    const header = expected[0] as string[];
    for (const row of expected.slice(1)) {
      const channel = String(row[0]);
      const shown = tab.byKey.get(channel);
      expect(shown, channel).toBeDefined();
      for (const model of models) {
        const at = header.findIndex((h) => h.toLowerCase().replace(/[^a-z_]/g, "") === model || h === model);
        expect(at, `function column ${model}`).toBeGreaterThan(0);
        expect(tab.headers.indexOf(shownAs[model]), `tab column ${shownAs[model]}`).toBeGreaterThan(0);
        expect(shown![tab.headers.indexOf(shownAs[model])] as number, `${channel} ${model}`).toBeCloseTo(row[at] as number, 9);
      }
    }
  });

  it("Cohorts: the retention and revenue matrices are IMC.COHORTS's on the Orders sheet", () => {
    const orders = data("Orders");
    const wrap = (values: unknown[]) => values.map((value) => [value]);
    for (const [measure, tableName] of [["retention", "CohortRetention"], ["revenue", "CohortRevenue"]] as const) {
      const expected = cohortsFunctions.cohorts(wrap(orders.column("customer_id")), wrap(orders.column("order_date")), wrap(orders.column("order_value")), [["month"]], undefined, [[measure]]);
      const tab = table("Cohorts", tableName);
      // The demo's two years are 24 monthly cohorts: all of them are shown, with every month reached.
      expect(tab.rows.length, measure).toBe(expected.length - 1);
      tab.rows.forEach((row, r) => {
        const want = expected[r + 1];
        expect(row[1], `${measure} cohort ${r} customers`).toBe(want[1]);
        for (let k = 2; k < tab.headers.length; k++) {
          const shown = row[k];
          const computed = want[k];
          if (computed === "" || computed === null || computed === undefined) expect(shown ?? null, `${measure} cohort ${r} month ${k - 2}`).toBeNull();
          else expect(shown as number, `${measure} cohort ${r} month ${k - 2}`).toBeCloseTo(computed as number, 9);
        }
      });
    }
  });

  it("Journey: the top paths are IMC.PATHS's on the journeys of the Touchpoints sheet, and the converting journeys are IMC.ATTRIBUTE.EVENTS's conversions", () => {
    const log = data("Touchpoints");
    const cells = { customerIds: log.column("customer_id"), timestamps: log.column("timestamp"), channels: log.column("channel"), conversions: log.column("conversion_value") };
    const cut = journeysOfLog(readTouchpointLog(cells), 30);
    const paths = new Map<string, [number, number, number]>();
    for (const journey of cut.journeys) {
      const key = Array.from(journey.channelIds, (id) => cut.channels[id]).join(" > ");
      const entry = paths.get(key) ?? [0, 0, 0];
      if (journey.converted) {
        entry[0]++;
        entry[1] += journey.value;
      } else entry[2]++;
      paths.set(key, entry);
    }
    const keys = [...paths.keys()];
    const expected = journeysFunctions.paths(
      keys.map((key) => [key]),
      keys.map((key) => [paths.get(key)![0]]),
      keys.map((key) => [paths.get(key)![1]]),
      keys.map((key) => [paths.get(key)![2]]),
      [[10]],
    );
    const top = table("Journey", "JourneyTopPaths");
    expect(top.rows.length).toBe(10);
    top.rows.forEach((row, i) => {
      const want = expected[i + 1];
      expect(row[0], `path ${i + 1}`).toBe(want[0]);
      expect([row[1], row[2]], String(row[0])).toEqual([want[1], want[2]]);
      expect(row[4] as number, String(row[0])).toBeCloseTo(want[4] as number, 6);
    });
    // Converting journeys with a touch = the conversions IMC.ATTRIBUTE.EVENTS credits to channels.
    const wrap = (values: unknown[]) => values.map((value) => [value]);
    const credited = attribution.attributeEvents(wrap(cells.customerIds), wrap(cells.timestamps), wrap(cells.channels), wrap(cells.conversions), [["first"]], undefined, undefined);
    const header = credited[0] as string[];
    const column = header.findIndex((h) => /conversions/i.test(h));
    // Without the "(no touch)" row: conversions with no touch in their window are in no journey.
    const total = credited.slice(1).reduce((sum, row) => sum + (row[0] !== "(no touch)" && typeof row[column] === "number" ? (row[column] as number) : 0), 0);
    expect(cut.journeys.filter((journey) => journey.converted).length).toBe(total);
    expect(labelled("Journey", "Journeys").value).toBe(cut.journeys.length);
  });

  it("Experiments: the campaign's lift and incremental conversions are IMC.LIFT's on counts made here from the Experiment and Orders sheets", () => {
    const assigned = data("Experiment");
    const orders = data("Orders");
    const day = (value: unknown, row: number) => Math.floor(toDateSerial(value, "date", row));
    const ordersOf = new Map<string, { day: number; value: number }[]>();
    orders.rows.forEach((row, i) => {
      const id = String(row[orders.header.indexOf("customer_id")]);
      const list = ordersOf.get(id) ?? [];
      list.push({ day: day(row[orders.header.indexOf("order_date")], i + 2), value: Number(row[orders.header.indexOf("order_value")]) });
      ordersOf.set(id, list);
    });
    const counts = { Test: [0, 0, 0], Control: [0, 0, 0] } as Record<string, [number, number, number]>;
    assigned.rows.forEach((row, i) => {
      const start = day(row[assigned.header.indexOf("Assigned on")], i + 2);
      const inWindow = (ordersOf.get(String(row[assigned.header.indexOf("Customer ID")])) ?? []).filter((order) => order.day >= start && order.day <= start + 29);
      const group = counts[String(row[assigned.header.indexOf("Group")])];
      group[0]++;
      if (inWindow.some((order) => order.value > 0)) group[1]++;
      group[2] += inWindow.reduce((sum, order) => sum + order.value, 0);
    });
    const expected = liftFunctions.lift([[counts.Test[1]]], [[counts.Test[0]]], [[counts.Control[1]]], [[counts.Control[0]]], [[counts.Test[2]]], [[counts.Control[2]]]);
    const measure = (label: string) => expected.find((row) => row[0] === label)?.[1] as number;
    const tab = table("Experiments", "ExperimentCampaigns");
    expect(tab.rows).toHaveLength(1);
    const at = (header: string) => tab.rows[0][tab.headers.indexOf(header)];
    expect([at("Test customers"), at("Control customers")]).toEqual([counts.Test[0], counts.Control[0]]);
    expect(at("Lift (test over control)") as number).toBeCloseTo(measure("Lift (test / control − 1)"), 9);
    expect(at("Incremental conversions") as number).toBeCloseTo(measure("Incremental conversions"), 9);
    expect(at("Incremental revenue") as number).toBeCloseTo(measure("Incremental revenue"), 6);
  });

  it("Lead Scoring: every lead of the Leads sheet is graded once, and the leads that became customers are the Leads sheet's linked ones", () => {
    const leads = data("Leads");
    expect(labelled("Lead Scoring", "Leads").value).toBe(leads.rows.length);
    const byGrade = table("Lead Scoring", "LeadConversionByGrade");
    expect(byGrade.rows.reduce((sum, row) => sum + Number(row[1]), 0)).toBe(leads.rows.length);
    const customers = leads.column("Customer ID").filter((id) => id !== null && id !== undefined && id !== "").length;
    expect(byGrade.rows.reduce((sum, row) => sum + Number(row[2]), 0)).toBe(customers);
  });

  it("Campaign KPIs: every campaign's KPIs are the engine's KPIs of the Campaigns sheet, grouped by channel with subtotals and a total", () => {
    const campaigns = sheets.find((sheet) => sheet.name === "Campaigns")!;
    const expected = campaignKpis(campaigns.rows, { openRateBase: "delivered", argument: "campaign_table" });
    const worksheet = workbook.getWorksheet("Campaign KPIs")!;
    const read = (row: number, column: number): unknown => {
      const value = worksheet.getCell(row, column).value;
      return value !== null && typeof value === "object" && "formula" in value ? value.result : value;
    };
    let headerRow = 0;
    for (let r = 1; r <= 60 && headerRow === 0; r++) if (read(r, 1) === "Campaign") headerRow = r;
    expect(headerRow).toBeGreaterThan(0);
    const headers: string[] = [];
    for (let c = 1; read(headerRow, c) !== null && read(headerRow, c) !== undefined; c++) headers.push(String(read(headerRow, c)));
    const shownHeader = (header: string) => ({ CPA: "CPA (per conversion)", CPL: "CPL (per lead)" })[header] ?? header;
    for (const header of expected.headers) expect(headers, header).toContain(shownHeader(header));
    const byLabel = new Map<string, unknown[]>();
    let r = headerRow + 1;
    for (; !String(read(r, 1)).startsWith("Total"); r++) {
      expect(r).toBeLessThan(headerRow + 200);
      byLabel.set(String(read(r, 1)), headers.map((_, c) => read(r, c + 1)));
    }
    expect(read(r, 1)).toBe(`Total (${expected.rows.length} campaigns)`);
    const channels = new Set(data("Campaigns").column("channel").map(String));
    for (const channel of channels) {
      const count = data("Campaigns").column("channel").filter((c) => String(c) === channel).length;
      expect(byLabel.has(`${channel} subtotal (${count} campaign${count === 1 ? "" : "s"})`), channel).toBe(true);
    }
    expect(byLabel.size).toBe(expected.rows.length + channels.size);
    expected.rows.forEach((row) => {
      const line = byLabel.get(String(row.label));
      expect(line, String(row.label)).toBeDefined();
      row.values.forEach((value, k) => {
        const shown = line![headers.indexOf(shownHeader(expected.headers[k]))];
        if (value === null) expect(shown ?? "", `${row.label} ${expected.headers[k]}`).toBe("");
        else expect(shown as number, `${row.label} ${expected.headers[k]}`).toBeCloseTo(value, 12);
      });
    });
  });

  it("Budget: the budget is budgetFromTheEnd of the tab's own inputs", () => {
    const plan = planOfBudgetTab(labelled("Budget", "Target revenue").value as number);
    expect(labelled("Budget", "Budget").value as number).toBeCloseTo(plan.budget, 6);
  });

  it("every formula of every generated tab recomputes (HyperFormula) to the value stored with it", { timeout: 120_000 }, () => {
    let checked = 0;
    // One workbook of every generated tab, so the Scorecard's references to the other tabs compute.
    const grids = Object.fromEntries(GENERATED.map((name) => [name, cells(workbook.getWorksheet(name)!)]));
    for (const formula of recomputedGrids(grids)) {
      expectClose(formula.actual, formula.expected, `${formula.sheet}!${formula.address} =${formula.formula}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("the Budget tab's budget follows its target when the target cell changes (recomputed by HyperFormula)", () => {
    const loaded = loadGrid(cells(workbook.getWorksheet("Budget")!), "Budget");
    const target = labelled("Budget", "Target revenue");
    const budgetRow = labelled("Budget", "Budget").row;
    for (const newTarget of [(target.value as number) * 1.5, (target.value as number) * 0.8]) {
      loaded.setValue(target.row - 1, 1, newTarget);
      const plan = planOfBudgetTab(newTarget);
      expectClose(loaded.valueAt(budgetRow - 1, 1), plan.budget, `budget at target ${newTarget}`);
      expect(plan.budget).not.toBeCloseTo(labelled("Budget", "Budget").value as number, 0);
    }
    loaded.destroy();
  });
});

const soffice = ["soffice", "libreoffice"].find((command) => spawnSync("which", [command]).status === 0);

/** Fields of one CSV line (LibreOffice's export: commas, double quotes). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') field += line[++i];
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      fields.push(field);
      field = "";
    } else field += char;
  }
  fields.push(field);
  return fields;
}

describe("imc demo in LibreOffice", () => {
  // setup.sh installs libreoffice-calc-nogui on Debian, so CI runs this; elsewhere it may skip.
  it.skipIf(!soffice)("LibreOffice opens the workbook, recalculates it with a new target, and the Budget tab's budget follows", { timeout: 180_000 }, async () => {
    const work = path.join(dir, "libreoffice");
    mkdirSync(path.join(work, "profile", "user"), { recursive: true });
    // A fresh LibreOffice profile that recalculates .xlsx formulas on load instead of trusting stored values.
    writeFileSync(
      path.join(work, "profile", "user", "registrymodifications.xcu"),
      '<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item></oor:items>',
    );
    const zip = await JSZip.loadAsync(readFileSync(path.join(dir, "out", "imc-demo.xlsx")));
    const sheetTag = /<sheet [^>]*name="Budget"[^>]*>/.exec(await zip.file("xl/workbook.xml")!.async("string"))![0];
    const id = /r:id="([^"]+)"/.exec(sheetTag)![1];
    const rels = await zip.file("xl/_rels/workbook.xml.rels")!.async("string");
    const target = new RegExp(`<Relationship [^>]*Id="${id}"[^>]*>`).exec(rels)![0];
    const part = `xl/${/Target="\/?(?:xl\/)?([^"]+)"/.exec(target)![1]}`;
    const targetCell = labelled("Budget", "Target revenue");
    const newTarget = Math.round((targetCell.value as number) * 1.37);
    const xml = await zip.file(part)!.async("string");
    const cell = new RegExp(`(<c r="B${targetCell.row}"[^>]*>)<v>[^<]*</v>(</c>)`);
    expect(cell.test(xml), `target cell B${targetCell.row} in ${part}`).toBe(true);
    zip.file(part, xml.replace(cell, `$1<v>${newTarget}</v>$2`));
    writeFileSync(path.join(work, "changed.xlsx"), await zip.generateAsync({ type: "uint8array" }));

    execFileSync(
      soffice!,
      [`-env:UserInstallation=file://${path.join(work, "profile")}`, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", work, path.join(work, "changed.xlsx")],
      { timeout: 150_000, stdio: "pipe" },
    );
    const lines = readFileSync(path.join(work, "changed-Budget.csv"), "utf8").split(/\r?\n/).map(csvFields);
    const valueOf = (label: string, after: number) => Number(lines.find((fields, index) => index >= after && fields[0] === label)![1]);
    const plan = planOfBudgetTab(newTarget);
    const budget = valueOf("Budget", 2);
    expect(Math.abs(budget - plan.budget)).toBeLessThanOrEqual(1e-9 * plan.budget);
    expect(Math.abs(budget - (labelled("Budget", "Budget").value as number))).toBeGreaterThan(1);
    // Every sheet of the workbook came through (the ten data sheets and the five tabs).
    for (const name of [...DATA_SHEETS, ...GENERATED]) {
      expect(readFileSync(path.join(work, `changed-${name}.csv`), "utf8").length, name).toBeGreaterThan(0);
    }
  });
});

describe("imc report", () => {
  it("run twice on a workbook keeps its own parts byte-identical and adds tabs under new names", { timeout: 120_000 }, async () => {
    const book = path.join(dir, "book.xlsx");
    const original = readFileSync(path.join(dir, "out", "sample-business.xlsx"));
    writeFileSync(book, original);
    const first = memoryIo({ cwd: dir });
    expect(await main(["report", "book.xlsx", "--tabs", "segmentation,budget"], first.io)).toBe(0);
    expect(first.stdout()).toContain('Added "Segmentation", "Budget" to book.xlsx');
    const second = memoryIo({ cwd: dir });
    expect(await main(["report", "book.xlsx", "--tabs", "segmentation,budget"], second.io)).toBe(0);
    expect(second.stdout()).toContain('Added "Segmentation 2", "Budget 2" to book.xlsx');
    expect(second.stdout()).toContain("book-report-2.html");

    const before = await JSZip.loadAsync(original);
    const after = await JSZip.loadAsync(readFileSync(book));
    const index = new Set(["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"]);
    let compared = 0;
    for (const name of Object.keys(before.files)) {
      if (before.files[name].dir || index.has(name)) continue;
      const a = await before.file(name)!.async("uint8array");
      const b = await after.file(name)?.async("uint8array");
      expect(b, name).toBeDefined();
      expect(Buffer.compare(Buffer.from(a), Buffer.from(b!)), name).toBe(0);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(DATA_SHEETS.length);
    const reread = await readWorkbook(readFileSync(book), "book.xlsx");
    expect(reread.map((sheet) => sheet.name)).toEqual([...DATA_SHEETS, "Segmentation", "Budget", "Segmentation 2", "Budget 2"]);
    const originalSheets = await readWorkbook(original, "sample-business.xlsx");
    for (const sheet of originalSheets) expect(reread.find((candidate) => candidate.name === sheet.name)!.rows, sheet.name).toEqual(sheet.rows);
  });

  it("a corrupt or password-protected workbook is one line and exit code 1, the file untouched", async () => {
    const corrupt = path.join(dir, "corrupt.xlsx");
    const original = readFileSync(path.join(dir, "out", "sample-business.xlsx"));
    writeFileSync(corrupt, original.subarray(0, original.length / 2));
    const protectedFile = path.join(dir, "protected.xlsx");
    // An encrypted workbook is an OLE compound file (signature D0 CF 11 E0 A1 B1 1A E1) holding EncryptionInfo.
    const cfb = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
    Buffer.from("EncryptionInfo", "utf16le").copy(cfb, 1024);
    writeFileSync(protectedFile, cfb);
    for (const [file, message] of [
      ["corrupt.xlsx", /^imc: corrupt\.xlsx is not a valid \.xlsx file/],
      ["protected.xlsx", /^imc: protected\.xlsx is password-protected/],
    ] as const) {
      const before = readFileSync(path.join(dir, file));
      const run = memoryIo({ cwd: dir });
      expect(await main(["report", file], run.io), file).toBe(1);
      expect(run.stderr(), file).toMatch(message);
      expect(run.stderr().trim().split("\n"), file).toHaveLength(1);
      expect(run.stderr(), file).not.toMatch(/\n\s+at /);
      expect(Buffer.compare(readFileSync(path.join(dir, file)), before), file).toBe(0);
    }
  });

  it("a bad cell is named by sheet, row and column, and the workbook is left as it was", async () => {
    const workbookWithBadDate = new ExcelJS.Workbook();
    const orders = workbookWithBadDate.addWorksheet("Orders");
    orders.addRow(["customer_id", "order_date", "order_value"]);
    orders.addRow(["C1", new Date(Date.UTC(2024, 0, 5)), 10]);
    orders.addRow(["C2", "someday", 20]);
    const file = path.join(dir, "bad-date.xlsx");
    writeFileSync(file, Buffer.from(await workbookWithBadDate.xlsx.writeBuffer()));
    const before = readFileSync(file);
    const run = memoryIo({ cwd: dir });
    expect(await main(["report", "bad-date.xlsx"], run.io)).toBe(1);
    expect(run.stderr()).toMatch(/^imc: bad-date\.xlsx, sheet Orders, row 3, column order_date \(B\): .*someday/);
    expect(Buffer.compare(readFileSync(file), before)).toBe(0);
  });
});
