// The sample business's tables of issue 15 (touch stages and contents, leads and their events, the
// NPS survey, referrals, the holdout experiment) at the default size: consistent with the other
// tables, and the truth of each stated process recovered from the data within stated tolerances.
import { describe, expect, it } from "vitest";
import { generateSampleBusiness, sampleTable, type SampleCell, type SampleTableName } from "../../src/sample/business";
import { JOURNEY_STAGES, STAGE_CONTENTS } from "../../src/sample/journeyContent";
import { FIT_POINTS, fitPointsOf, LEAD_EVENT_TYPES } from "../../src/sample/leads";
import { HOLDOUT_MODEL, sampleHoldout } from "../../src/sample/holdout";
import { seededUniform } from "../../src/engine/math/random";

const business = generateSampleBusiness();
const truth = business.truth as {
  customers: number;
  positiveOrders: number;
  refunds: number;
  experiment: { campaign: string; assignedOn: number; testCustomers: number; controlCustomers: number; controlRate: number; testRate: number; lift: number; addedOrders: number };
  leads: { count: number; converted: number };
  loyalty: { respondents: number; referrals: number; nps: number };
};

function column(name: SampleTableName, header: string): SampleCell[] {
  const table = sampleTable(business, name);
  const c = table.headers.indexOf(header);
  expect(c, `${name}.${header}`).toBeGreaterThanOrEqual(0);
  return table.rows.map((row) => row[c]);
}

const customerIds = column("Customers", "customer_id") as string[];
const signupOf = new Map(customerIds.map((id, i) => [id, column("Customers", "signup_date")[i] as number]));
const orderRows = sampleTable(business, "Orders").rows;
/** Positive orders' days by customer. */
const orderDaysOf = new Map<string, number[]>();
for (const row of orderRows) if ((row[3] as number) > 0) (orderDaysOf.get(row[1] as string) ?? orderDaysOf.set(row[1] as string, []).get(row[1] as string)!).push(row[2] as number);

/** Standard error of a share p over n. */
const se = (p: number, n: number) => Math.sqrt((p * (1 - p)) / n);

describe("holdout experiment", () => {
  const rows = sampleTable(business, "Experiment").rows;
  const assignedOn = truth.experiment.assignedOn;
  const converted = (id: string) => (orderDaysOf.get(id) ?? []).some((day) => day > assignedOn && day <= assignedOn + HOLDOUT_MODEL.windowDays);
  const groups = { Test: { n: 0, x: 0 }, Control: { n: 0, x: 0 } };
  for (const row of rows) {
    const group = groups[row[2] as "Test" | "Control"];
    group.n++;
    if (converted(row[0] as string)) group.x++;
  }

  it("assigns customers of at least 30 days about 90/10 to Test and Control on one day, for one campaign", () => {
    expect(new Set(rows.map((row) => row[1]))).toEqual(new Set([truth.experiment.campaign]));
    expect(new Set(rows.map((row) => row[3]))).toEqual(new Set([assignedOn]));
    expect(new Set(rows.map((row) => row[2]))).toEqual(new Set(["Test", "Control"]));
    expect(new Set(rows.map((row) => row[0])).size).toBe(rows.length);
    for (const row of rows) expect(signupOf.get(row[0] as string)! <= assignedOn - HOLDOUT_MODEL.minimumTenureDays, row[0] as string).toBe(true);
    const eligible = customerIds.filter((id) => signupOf.get(id)! <= assignedOn - HOLDOUT_MODEL.minimumTenureDays);
    expect(rows).toHaveLength(eligible.length);
    const share = groups.Test.n / rows.length;
    expect(Math.abs(share - 0.9)).toBeLessThan(3 * se(0.9, rows.length));
    expect([groups.Test.n, groups.Control.n]).toEqual([truth.experiment.testCustomers, truth.experiment.controlCustomers]);
  });

  it("observed 30-day conversion of each group is within 3 standard errors of the true rate, and the test group's is higher", () => {
    const pC = groups.Control.x / groups.Control.n;
    const pT = groups.Test.x / groups.Test.n;
    expect(Math.abs(pC - truth.experiment.controlRate)).toBeLessThan(3 * se(truth.experiment.controlRate, groups.Control.n));
    expect(Math.abs(pT - truth.experiment.testRate)).toBeLessThan(3 * se(truth.experiment.testRate, groups.Test.n));
    // The observed difference against the true one, within 3 standard errors of the difference.
    const seDifference = Math.sqrt(se(pC, groups.Control.n) ** 2 + se(pT, groups.Test.n) ** 2);
    expect(Math.abs(pT - pC - (truth.experiment.testRate - truth.experiment.controlRate))).toBeLessThan(3 * seDifference);
    expect(pT).toBeGreaterThan(pC);
    expect(truth.experiment.lift).toBeCloseTo((truth.experiment.testRate - truth.experiment.controlRate) / truth.experiment.controlRate, 12);
  });

  it("the campaign is in Campaigns with its spend, and its orders are in Orders and Touchpoints", () => {
    const campaigns = sampleTable(business, "Campaigns");
    const row = campaigns.rows.find((r) => r[0] === truth.experiment.campaign)!;
    expect(row).toBeDefined();
    const at = (header: string) => row[campaigns.headers.indexOf(header)];
    expect(at("channel")).toBe("Email");
    expect(at("start_date")).toBe(assignedOn);
    expect(at("sent")).toBe(truth.experiment.testCustomers);
    expect(at("spend") as number).toBeGreaterThan(0);
    expect(at("conversions")).toBe(Math.min(at("sessions") as number, truth.experiment.addedOrders));
    // Orders: positive rows as drawn (the experiment's included) plus refunds; one conversion row each in Touchpoints.
    expect(orderRows).toHaveLength(truth.positiveOrders + truth.refunds);
    const conversions = sampleTable(business, "Touchpoints").rows.filter((r) => r[4] !== "" && r[4] !== null);
    expect(conversions).toHaveLength(truth.positiveOrders);
  });

  it("the model alone: with no organic orders, test customers convert at u and controls never", () => {
    const n = 20000;
    const ids = Array.from({ length: n }, (_, i) => `C${i}`);
    const purchases = ids.map(() => [{ day: 0, minute: 0, value: 1 }]);
    const result = sampleHoldout(seededUniform(7), 45292, 731, ids, new Float64Array(n), purchases, 5, new Float64Array(n).fill(0.1), () => 600);
    const converted = purchases.filter((list) => list.length > 1).length;
    expect(converted).toBe(result.addedOrders);
    const u = HOLDOUT_MODEL.incrementalProbability;
    expect(Math.abs(converted / result.testCustomers - u)).toBeLessThan(3 * se(u, result.testCustomers));
    const controlIds = new Set(result.rows.filter((r) => r[2] === "Control").map((r) => r[0]));
    expect(purchases.filter((list, i) => controlIds.has(ids[i]) && list.length > 1)).toEqual([]);
    for (const list of purchases) for (const p of list.slice(1)) expect(p.day > result.assignedDay && p.day <= result.assignedDay + 30).toBe(true);
  });
});

describe("leads and lead events", () => {
  const leads = sampleTable(business, "Leads").rows;
  const events = sampleTable(business, "Lead Events").rows;
  const eventsOf = new Map<string, SampleCell[][]>();
  for (const event of events) (eventsOf.get(event[0] as string) ?? eventsOf.set(event[0] as string, []).get(event[0] as string)!).push([...event]);

  it("3,000 leads with known profile values; converted leads name distinct customers who signed up after the lead was created", () => {
    expect(leads).toHaveLength(3000);
    expect(truth.leads.count).toBe(3000);
    const linked = leads.filter((lead) => lead[7] !== null);
    expect(linked).toHaveLength(truth.leads.converted);
    expect(new Set(linked.map((lead) => lead[7])).size).toBe(linked.length);
    for (const lead of linked) expect(signupOf.get(lead[7] as string)! > (lead[6] as number), lead[0] as string).toBe(true);
    for (const lead of leads) {
      expect(FIT_POINTS.industry[lead[2] as string], lead[2] as string).toBeDefined();
      expect(FIT_POINTS.jobTitle[lead[4] as string], lead[4] as string).toBeDefined();
      expect(Number.isInteger(lead[3]) && (lead[3] as number) >= 1).toBe(true);
    }
  });

  it("events belong to known leads, fall within 90 days of creation and are of the stated types", () => {
    const createdOf = new Map(leads.map((lead) => [lead[0] as string, lead[6] as number]));
    const types: readonly unknown[] = LEAD_EVENT_TYPES;
    const wrong = events.filter((event) => {
      const created = createdOf.get(event[0] as string);
      const lag = (event[1] as number) - (created ?? NaN);
      return !(lag >= 0 && lag < 90) || !types.includes(event[2]);
    });
    expect(wrong.slice(0, 3)).toEqual([]);
    expect(new Set(events.map((event) => event[2]))).toEqual(new Set(LEAD_EVENT_TYPES));
    const dates = events.map((event) => event[1] as number);
    expect(dates.every((d, i) => i === 0 || dates[i - 1] <= d)).toBe(true);
  });

  it("MQL-like leads (fit ≥ 50 points and at least 3 events) convert at more than twice the rate of the others", () => {
    const mql = (lead: readonly SampleCell[]) => fitPointsOf(lead[2] as string, lead[3] as number, lead[4] as string) >= 50 && (eventsOf.get(lead[0] as string)?.length ?? 0) >= 3;
    const rate = (list: readonly (readonly SampleCell[])[]) => list.filter((lead) => lead[7] !== null).length / list.length;
    const qualified = leads.filter(mql);
    const others = leads.filter((lead) => !mql(lead));
    expect(qualified.length).toBeGreaterThan(200);
    expect(rate(qualified)).toBeGreaterThan(2 * rate(others));
    // Interest shows in demo requests: leads who asked for one convert more than those who did not.
    const askedDemo = (lead: readonly SampleCell[]) => (eventsOf.get(lead[0] as string) ?? []).some((event) => event[2] === "Demo request");
    expect(rate(leads.filter(askedDemo))).toBeGreaterThan(rate(leads.filter((lead) => !askedDemo(lead))));
  });
});

describe("NPS survey and referrals", () => {
  const answers = sampleTable(business, "Survey").rows;
  const referralsOf = new Map(customerIds.map((id, i) => [id, column("Customers", "referrals")[i] as number]));

  it("about 15% of customers answer once, 0–10, at least 7 days after signing up", () => {
    expect(answers).toHaveLength(truth.loyalty.respondents);
    expect(Math.abs(answers.length / customerIds.length - 0.15)).toBeLessThan(0.02);
    expect(new Set(answers.map((a) => a[0])).size).toBe(answers.length);
    for (const a of answers) {
      expect(Number.isInteger(a[2]) && (a[2] as number) >= 0 && (a[2] as number) <= 10).toBe(true);
      expect((a[1] as number) - signupOf.get(a[0] as string)!).toBeGreaterThanOrEqual(7);
    }
    const promoters = answers.filter((a) => (a[2] as number) >= 9).length;
    const detractors = answers.filter((a) => (a[2] as number) <= 6).length;
    expect(truth.loyalty.nps).toBeCloseTo((100 * (promoters - detractors)) / answers.length, 10);
  });

  it("promoters bought more often and more recently than detractors at the time they answered, and referred more friends", () => {
    const byGroup = (low: number, high: number) => {
      const group = answers.filter((a) => (a[2] as number) >= low && (a[2] as number) <= high);
      const mean = (f: (a: readonly SampleCell[]) => number) => group.reduce((sum, a) => sum + f(a), 0) / group.length;
      const before = (a: readonly SampleCell[]) => orderDaysOf.get(a[0] as string)!.filter((day) => day <= (a[1] as number));
      return {
        n: group.length,
        frequency: mean((a) => before(a).length),
        recency: mean((a) => (a[1] as number) - before(a).at(-1)!),
        referrals: mean((a) => referralsOf.get(a[0] as string)!),
      };
    };
    const promoters = byGroup(9, 10);
    const detractors = byGroup(0, 6);
    expect(promoters.n).toBeGreaterThan(100);
    expect(detractors.n).toBeGreaterThan(100);
    expect(promoters.frequency).toBeGreaterThan(1.3 * detractors.frequency);
    expect(promoters.recency).toBeLessThan(detractors.recency);
    expect(promoters.referrals).toBeGreaterThan(2 * detractors.referrals);
  });

  it("referrals are whole counts ≥ 0 summing to the truth's total", () => {
    const counts = [...referralsOf.values()];
    expect(counts.every((count) => Number.isInteger(count) && count >= 0)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(truth.loyalty.referrals);
  });
});

describe("touch stages and contents", () => {
  const touches = sampleTable(business, "Touchpoints").rows;
  // A customer's touch is in a journey that ends in an order when an order of theirs follows it
  // (touches after the last order and prospects' touches lead to none).
  const lastConversion = new Map<string, number>();
  for (const row of touches) if (row[4] !== "" && row[4] !== null) lastConversion.set(row[0] as string, row[1] as number);
  const converting = (row: readonly SampleCell[]) => (lastConversion.get(row[0] as string) ?? -Infinity) > (row[1] as number);

  it("every touch has a stage and one of its contents; conversion rows have neither", () => {
    const contentsOf = new Map<unknown, readonly string[]>(JOURNEY_STAGES.map((stage) => [stage, STAGE_CONTENTS[stage].map((c) => c.name)]));
    const wrong = touches.filter((row) => (row[2] === "" ? row[5] !== null || row[6] !== null : !(contentsOf.get(row[5])?.includes(row[6] as string) ?? false)));
    expect(wrong.slice(0, 3)).toEqual([]);
    // Decision ends journeys: before an order, or a long journey without one (prospects' included).
    expect(touches.some((row) => row[5] === "Decision" && converting(row))).toBe(true);
    expect(touches.some((row) => (row[0] as string).startsWith("P") && row[5] === "Decision")).toBe(true);
    // The last touch before each order is a Decision.
    const previous = new Map<unknown, readonly SampleCell[]>();
    const wrongLast: (readonly SampleCell[])[] = [];
    for (const row of touches) {
      const before = previous.get(row[0]);
      if (row[2] === "" && before !== undefined && before[2] !== "" && before[5] !== "Decision") wrongLast.push(before);
      previous.set(row[0], row);
    }
    expect(wrongLast.slice(0, 3)).toEqual([]);
    expect(new Set(touches.map((row) => row[5]))).toEqual(new Set([...JOURNEY_STAGES, null]));
  });

  it("a content's odds of being in a converting journey against another of its stage are the ratio of their effects (within 25%)", () => {
    for (const [stage, better, worse] of [
      ["Awareness", "Blog: gift guide", "Display banner: seasonal sale"],
      ["Decision", "Product demo video", "Pricing page"],
      ["Consideration", "Customer reviews page", "Size & fit guide"],
      ["Retention", "Loyalty newsletter", "Order follow-up email"],
    ] as const) {
      const count = (content: string, conv: boolean) => touches.filter((row) => row[5] === stage && row[6] === content && converting(row) === conv).length;
      const observed = (count(better, true) / count(better, false)) / (count(worse, true) / count(worse, false));
      const effect = (name: string) => STAGE_CONTENTS[stage].find((c) => c.name === name)!.effect;
      const expected = effect(better) / effect(worse);
      expect(Math.abs(observed / expected - 1), `${stage}: ${observed} vs ${expected}`).toBeLessThan(0.25);
    }
  });

  it("the Journey Stages sheet gives each channel its most frequent stage", () => {
    const table = sampleTable(business, "Journey Stages").rows;
    expect(table.map((row) => row[0]).sort()).toEqual([...new Set(touches.filter((r) => r[2] !== "").map((r) => r[2] as string))].sort());
    for (const [channel, stage] of table) {
      const counts = new Map<string, number>();
      for (const row of touches) if (row[2] === channel) counts.set(row[5] as string, (counts.get(row[5] as string) ?? 0) + 1);
      expect(counts.get(stage as string), channel as string).toBe(Math.max(...counts.values()));
    }
  });
});
