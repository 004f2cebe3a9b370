// Finding the tables of issue 15 (leads, lead events, survey, referrals, experiments, stages) and the
// touchpoints' stage and content columns: by sheet name and by headers, under title rows, with a
// total row and messy headers; never taking a sheet from the core kinds; read into BusinessData with
// the Excel rows; engine arguments traced back to sheet and column; the runner's flags.
import { describe, expect, it } from "vitest";
import { isEngineError } from "../../src/engine/errors";
import { argumentSource, businessDataOf, detectTables, kindFlagName, kindOfName, TABLE_KINDS, type SheetCells } from "../../src/reports/detect";
import { generateSampleBusiness } from "../../src/sample/business";

const orders: SheetCells = {
  name: "Orders",
  rows: [
    ["customer_id", "order_date", "order_value"],
    ["C1", 45000, 10],
    ["C2", 45001, 20],
  ],
};
const customers: SheetCells = {
  name: "Customers",
  rows: [
    ["Customer ID", "Name", "Region", "Friends referred"],
    ["C1", "Ann Lee", "North", 2],
    ["C2", "Bo Chan", "South", 0],
  ],
};
const leads: SheetCells = {
  name: "Leads",
  rows: [
    ["Lead ID", "Company", "Industry", "Employees", "Job title", "Created", "Customer ID"],
    ["L1", "Acme", "Retail", 12, "Buyer", 45000, "C1"],
    ["L2", "Beta", "Education", 3, "Student", 45002, null],
  ],
};
const events: SheetCells = {
  name: "Lead Events",
  rows: [
    ["Lead ID", "Date", "Event"],
    ["L1", 45001, "Webinar"],
    ["L1", 45003, "Demo request"],
  ],
};
const survey: SheetCells = {
  name: "Survey",
  rows: [
    ["Customer ID", "Date", "How likely are you to recommend us? (0-10)"],
    ["C1", 45010, 9],
    ["C2", 45011, 4],
  ],
};
const experiment: SheetCells = {
  name: "Experiment",
  rows: [
    ["Customer ID", "Campaign", "Group", "Assigned on"],
    ["C1", "Win-back", "Test", 45020],
    ["C2", "Win-back", "Control", 45020],
  ],
};
const stages: SheetCells = {
  name: "Journey Stages",
  rows: [
    ["Channel", "Stage"],
    ["Email", "Retention"],
    ["Display", "Awareness"],
  ],
};
const log: SheetCells = {
  name: "Touchpoints",
  rows: [
    ["customer_id", "timestamp", "channel", "conversion_value", "Funnel stage", "Content"],
    ["C1", 45000.5, "Display", 0, "Awareness", "Display banner: seasonal sale"],
    ["C1", 45000.6, "", 10, null, null],
  ],
};

/** A sheet renamed so that its name says nothing. */
const renamed = (sheet: SheetCells, name: string): SheetCells => ({ ...sheet, name });
/** A sheet under a title and a blank row, with a total row at the end. */
const titled = (sheet: SheetCells): SheetCells => ({
  ...sheet,
  rows: [["Report exported 2025-01-01"], [], ...sheet.rows, ["Total", null, null]],
});

describe("the tables of issue 15", () => {
  it("are found by sheet name and headers, each on its own sheet, and the core kinds keep theirs", () => {
    const found = detectTables([orders, customers, leads, events, survey, experiment, stages, log]);
    const where = Object.fromEntries(Object.entries(found).map(([kind, table]) => [kind, table.sheet]));
    expect(where).toEqual({
      orders: "Orders",
      customers: "Customers",
      touchpoints: "Touchpoints",
      leads: "Leads",
      leadEvents: "Lead Events",
      survey: "Survey",
      experiments: "Experiment",
      referrals: "Customers",
      stages: "Journey Stages",
    });
    expect(found.leads).toMatchObject({ how: "sheet name and headers", columns: { leadId: 0, createdDate: 5, customerId: 6 } });
    expect(found.leadEvents?.columns).toEqual({ leadId: 0, eventDate: 1, event: 2 });
    expect(found.survey?.columns).toEqual({ score: 2, customerId: 0, responseDate: 1 });
    expect(found.experiments?.columns).toEqual({ customerId: 0, group: 2, campaign: 1, assignedDate: 3 });
    expect(found.referrals).toMatchObject({ how: "a column of the customers table", columns: { customerId: 0, referrals: 3 } });
    expect(found.stages?.columns).toEqual({ channel: 0, stage: 1 });
    expect(found.touchpoints?.columns).toMatchObject({ stage: 4, content: 5 });
    expect(found.survey?.description).toContain("How likely are you to recommend us? (0-10) as the score (0–10)");
  });

  it("are found by their headers alone whatever the sheets are called", () => {
    const sheets = [orders, renamed(customers, "People"), renamed(leads, "A"), renamed(events, "B"), renamed(survey, "C"), renamed(experiment, "D"), renamed(stages, "E")];
    const found = detectTables(sheets);
    expect([found.leads?.sheet, found.leadEvents?.sheet, found.survey?.sheet, found.experiments?.sheet, found.stages?.sheet, found.referrals?.sheet]).toEqual(["A", "B", "C", "D", "E", "People"]);
    expect(found.leads?.how).toBe("headers");
    // The core kinds find what they found without these sheets.
    const core = detectTables([orders, renamed(customers, "People")]);
    expect(found.orders).toEqual(core.orders);
    expect(found.customers).toEqual(core.customers);
  });

  it("read under title rows with a total row left out, counted in the notes, with the Excel rows", () => {
    const sheets = [orders, customers, titled(leads), titled(events), titled(survey), titled(experiment), titled(stages)];
    const found = detectTables(sheets);
    expect(found.survey?.headerRow).toBe(3);
    const data = businessDataOf(sheets, found);
    expect(data.leads?.leadIds).toEqual(["L1", "L2"]);
    expect(data.leads?.customerIds).toEqual(["C1", null]);
    expect(data.leads?.createdDates).toEqual([45000, 45002]);
    expect(data.leads?.columns.map((c) => c.header)).toEqual(["Company", "Industry", "Employees", "Job title"]);
    expect(data.leadEvents).toMatchObject({ leadIds: ["L1", "L1"], dates: [45001, 45003], events: ["Webinar", "Demo request"] });
    expect(data.survey).toMatchObject({ customerIds: ["C1", "C2"], scores: [9, 4], dates: [45010, 45011] });
    expect(data.experiments).toMatchObject({ customerIds: ["C1", "C2"], groups: ["Test", "Control"], campaigns: ["Win-back", "Win-back"], dates: [45020, 45020] });
    expect(data.stages).toMatchObject({ channels: ["Email", "Display"], stages: ["Retention", "Awareness"] });
    expect(data.referrals).toMatchObject({ customerIds: ["C1", "C2"], counts: [2, 0] });
    for (const kind of ["leads", "leadEvents", "survey", "experiments", "stages"] as const) {
      expect(data.rowNumbers?.[kind], kind).toEqual([4, 5]);
      expect(data[kind]?.readingNotes, kind).toEqual(["1 total row left out (row 6)"]);
    }
    expect(data.survey?.source).toBe("Survey!A3:C5");
  });

  it("reads messy headers: Lead #, NPS score, Holdout/Test, Activity, Referred by", () => {
    const sheets: SheetCells[] = [
      orders,
      { name: "Prospects 2025", rows: [["Lead #", "Company name", "Country", "Date created"], ["L1", "Acme", "France", "13/03/2025"], ["L2", "Beta", "Spain", "04/03/2025"]] },
      { name: "Activity log", rows: [["Lead #", "Timestamp", "Activity", "Points"], ["L1", 45001.5, "Visit", 5], ["L2", 45002.5, "Demo", 20]] },
      { name: "Feedback", rows: [["Client", "NPS score"], ["C1", 10], ["C2", 7]] },
      { name: "Q3 test", rows: [["Customer", "Holdout/Test", "Contacted on"], ["C1", "holdout", "2025-01-03"], ["C2", "test", "2025-01-03"]] },
      { name: "Referral programme", rows: [["Referred by", "New customer", "Date"], ["C1", "C9", 45003], ["C1", "C10", 45004]] },
    ];
    const found = detectTables(sheets);
    expect(found.leads).toMatchObject({ sheet: "Prospects 2025", columns: { leadId: 0 } });
    expect(found.leadEvents).toMatchObject({ sheet: "Activity log", columns: { leadId: 0, eventDate: 1, event: 2, points: 3 } });
    expect(found.survey).toMatchObject({ sheet: "Feedback", columns: { score: 1, customerId: 0 } });
    expect(found.experiments).toMatchObject({ sheet: "Q3 test", columns: { customerId: 0, group: 1, assignedDate: 2 } });
    expect(found.referrals).toMatchObject({ sheet: "Referral programme", columns: { referrer: 0 } });
    const data = businessDataOf(sheets, found);
    expect(data.leads?.columns.map((c) => c.header)).toEqual(["Company name", "Country"]);
    // Date text by the column's rules: 13/03/2025 shows day first, and the notes say so.
    expect(data.leads?.createdDates).toEqual([45729, 45720]);
    expect(data.leads?.readingNotes?.join(" ")).toMatch(/day-first/);
    expect(data.leadEvents?.points).toEqual([5, 20]);
    expect(data.experiments?.groups).toEqual(["holdout", "test"]);
    // ISO dates are left as written for the engine's date reader.
    expect(data.experiments?.dates).toEqual(["2025-01-03", "2025-01-03"]);
    // One row per referral: a count of 1 each, by the referring customer.
    expect(data.referrals).toMatchObject({ customerIds: ["C1", "C1"], counts: [1, 1] });
  });

  it("a 0–10 column is a survey only when it holds answers on the scale; a group column only a few labels", () => {
    const ratings: SheetCells = { name: "Ratings", rows: [["Customer ID", "Rating"], ["C1", 4.5], ["C2", 87]] };
    const groups: SheetCells = { name: "Data", rows: [["Customer ID", "Group"], ...Array.from({ length: 10 }, (_, k) => [`C${k}`, `G${k}`])] };
    const found = detectTables([orders, ratings, groups]);
    expect(found.survey).toBeUndefined();
    expect(found.experiments).toBeUndefined();
    // Given as the survey sheet, it is read as asked.
    expect(detectTables([orders, ratings], { sheets: { survey: "Ratings" } }).survey?.columns).toMatchObject({ score: 1 });
  });

  it("never takes a leads table for customers or a survey for orders, even with no other candidate", () => {
    const onlyLeads = detectTables([{ ...leads, rows: [["Lead ID", "Email", "Industry", "Customer ID"], ["L1", "a@example.com", "Retail", "C1"]] }]);
    expect(onlyLeads.customers).toBeUndefined();
    expect(onlyLeads.leads?.columns).toMatchObject({ leadId: 0, customerId: 3 });
    const onlySurvey = detectTables([{ name: "Sheet1", rows: [["Customer ID", "Date", "Likelihood to recommend"], ["C1", 45000, 9], ["C1", 45001, 8]] }]);
    expect(onlySurvey.orders).toBeUndefined();
    expect(onlySurvey.survey?.columns).toMatchObject({ score: 2, customerId: 0, responseDate: 1 });
  });

  it("given sheets and columns are used as given, and a sheet that does not fit is refused in words", () => {
    const found = detectTables([orders, renamed(events, "Sheet9")], { sheets: { leadEvents: "Sheet9" }, columns: { leadEvents: { event: "Event" } } });
    expect(found.leadEvents).toMatchObject({ sheet: "Sheet9", how: "given" });
    try {
      detectTables([orders, stages], { sheets: { survey: "Journey Stages" } });
      expect.unreachable();
    } catch (error) {
      expect(isEngineError(error) && error.argument).toBe("survey-sheet");
      expect((error as Error).message).toMatch(/^Sheet "Journey Stages" does not look like survey answers: it needs a column of 0–10 answers/);
    }
  });

  it("engine arguments name the table and column they came from", () => {
    expect(argumentSource("scores", false)).toEqual(["survey", "score"]);
    expect(argumentSource("groups", false)).toEqual(["experiments", "group"]);
    expect(argumentSource("lead_ids", false)).toEqual(["leads", "leadId"]);
    expect(argumentSource("event_dates", false)).toEqual(["leadEvents", "eventDate"]);
    expect(argumentSource("referral_counts", false)).toEqual(["referrals", "referrals"]);
    expect(argumentSource("stages", true)).toEqual(["touchpoints", "stage"]);
    expect(argumentSource("customer_ids", false)).toEqual(["orders", "customerId"]);
  });

  it("kinds have flag names and are read back from them", () => {
    expect(TABLE_KINDS.map(kindFlagName)).toEqual(["orders", "customers", "touchpoints", "campaigns", "spend", "leads", "lead-events", "survey", "referrals", "experiments", "stages"]);
    for (const kind of TABLE_KINDS) expect(kindOfName(kindFlagName(kind))).toBe(kind);
    expect(kindOfName("LeadEvents")).toBe("leadEvents");
    expect(kindOfName("nope")).toBeUndefined();
  });
});

describe("the sample business read as a workbook", () => {
  it("every new field is filled, with the rows under a header in row 1", () => {
    const business = generateSampleBusiness({ customers: 400 });
    const sheets = business.tables.map((table) => ({ name: table.name, rows: [table.headers, ...table.rows], numberFormats: table.numberFormats }));
    const data = businessDataOf(sheets, detectTables(sheets));
    for (const kind of ["leads", "leadEvents", "survey", "referrals", "experiments", "stages"] as const) {
      const table = business.tables.find((t) => t.name === { leads: "Leads", leadEvents: "Lead Events", survey: "Survey", referrals: "Customers", experiments: "Experiment", stages: "Journey Stages" }[kind])!;
      expect(data[kind], kind).toBeTruthy();
      expect(data.rowNumbers?.[kind], kind).toEqual(table.rows.map((_, k) => k + 2));
    }
    expect(data.touchpoints?.stages?.length).toBe(data.touchpoints?.customerIds.length);
    expect(data.touchpoints?.contents?.filter((c) => c !== null).length).toBeGreaterThan(0);
    expect(data.leads?.customerIds?.some((id) => id !== null)).toBe(true);
    expect(data.experiments?.dates?.length).toBe(data.experiments?.customerIds.length);
    expect(data.survey?.dates?.length).toBe(data.survey?.scores.length);
  });
});
