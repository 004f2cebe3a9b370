import { describe, expect, it } from "vitest";
import { addTouchpointLog, JourneyAggregator } from "../../src/engine/attribution";
import { hillCurveProblem, type HillCurve } from "../../src/engine/budget/hillCurve";
import { campaignFieldOf } from "../../src/engine/campaigns/campaignColumns";
import { campaignKpis } from "../../src/engine/campaigns/campaignKpis";
import { fitCustomerValue, summarizeCustomers } from "../../src/engine/clv";
import { readTransactions } from "../../src/engine/data/transactions";
import { attributeEvents } from "../../src/functions/attribution";
import { rfmScores } from "../../src/engine/segmentation";
import { generateSampleBusiness, PAID_CHANNELS, SAMPLE_CHANNELS, sampleTable, type SampleCell } from "../../src/sample/business";
import { tableToCsv } from "../../src/sample/csv";

// The data layer takes ranges as Excel sends them: rows of cells (here one-column ranges).
const asRange = (rows: readonly (readonly SampleCell[])[], column: number): SampleCell[][] => rows.map((row) => [row[column]]);

const business = generateSampleBusiness({ customers: 2000 });
const truth = business.truth as {
  bgNbd: { r: number; alpha: number; a: number; b: number };
  gammaGamma: { p: number; q: number; gamma: number };
  hillCurves: Record<string, HillCurve>;
};

describe("customer value (src/engine/clv) on Orders", () => {
  const orders = sampleTable(business, "Orders").rows;

  it("reads every order row, refunds included, and fits BG/NBD + Gamma-Gamma", () => {
    const transactions = readTransactions(asRange(orders, 1), asRange(orders, 2), asRange(orders, 3));
    expect(transactions.rowCount).toBe(orders.length);
    const summary = summarizeCustomers(transactions, { asOf: business.asOf, periodUnit: "week" });
    expect(summary.customerIds).toHaveLength(2000);
    expect(summary.ordersAfterAsOf).toBe(0);
    const fit = fitCustomerValue(summary, "bgnbd");
    expect(fit.counting.converged).toBe(true);
    expect(fit.spend.converged).toBe(true);
  });

  // The orders are a BG/NBD process in weeks (purchase days, first order on the signup day), so the
  // fit on the positive orders recovers the truth: at 2,000 customers r and α come within ~15% and
  // a, b within ~30% (seeds 1, 2, 3 and the default); the bounds below are a factor 1.5 and 2.
  it("recovers the generating BG/NBD and Gamma-Gamma parameters from the positive orders", () => {
    const positive = orders.filter((row) => (row[3] as number) > 0);
    const summary = summarizeCustomers(readTransactions(asRange(positive, 1), asRange(positive, 2), asRange(positive, 3)), {
      asOf: business.asOf,
      periodUnit: "week",
    });
    const fit = fitCustomerValue(summary, "bgnbd");
    const within = (actual: number, expected: number, factor: number, name: string) => {
      expect(actual / expected, `${name}: fitted ${actual}, truth ${expected}`).toBeGreaterThan(1 / factor);
      expect(actual / expected, `${name}: fitted ${actual}, truth ${expected}`).toBeLessThan(factor);
    };
    const { r, alpha, a, b } = fit.counting.params as { r: number; alpha: number; a: number; b: number };
    within(r, truth.bgNbd.r, 1.5, "r");
    within(alpha, truth.bgNbd.alpha, 1.5, "alpha");
    within(a, truth.bgNbd.a, 2, "a");
    within(b, truth.bgNbd.b, 2, "b");
    within(r / alpha, truth.bgNbd.r / truth.bgNbd.alpha, 1.25, "mean purchase rate r/alpha");
    const { p, q, gamma } = fit.spend.params;
    within(p, truth.gammaGamma.p, 2, "p");
    within((p * gamma) / (q - 1), (truth.gammaGamma.p * truth.gammaGamma.gamma) / (truth.gammaGamma.q - 1), 1.2, "mean spend p·gamma/(q−1)");
  });

  it("RFM scores every customer", () => {
    const transactions = readTransactions(asRange(orders, 1), asRange(orders, 2), asRange(orders, 3));
    const rfm = rfmScores(transactions, { asOf: business.asOf, monetary: "sum" });
    expect(rfm.customerIds).toHaveLength(2000);
    expect(rfm.excludedOrders).toBe(0);
    expect(new Set(rfm.r)).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(new Set(rfm.segment).size).toBeGreaterThanOrEqual(6);
  });
});

describe("attribution (addTouchpointLog + JourneyAggregator) on Touchpoints", () => {
  const rows = sampleTable(business, "Touchpoints").rows;

  it("builds converting and non-converting journeys over all 8 channels, no touch outside the 30-day window", () => {
    const index = new Map<string, number>();
    const customerIndex = Int32Array.from(rows, (row) => {
      const id = row[0] as string;
      let k = index.get(id);
      if (k === undefined) index.set(id, (k = index.size));
      return k;
    });
    const aggregator = new JourneyAggregator();
    const summary = addTouchpointLog(
      {
        customerIndex,
        timestamps: Float64Array.from(rows, (row) => row[1] as number),
        channels: rows.map((row) => (row[2] === "" ? null : (row[2] as string))),
        conversionValues: Float64Array.from(rows, (row) => row[3] as number),
      },
      aggregator,
      30,
    );
    const positiveOrders = sampleTable(business, "Orders").rows.filter((row) => (row[3] as number) > 0).length;
    expect(summary.conversions).toBe(positiveOrders);
    expect(summary.convertingJourneys + summary.unattributedConversions).toBe(positiveOrders);
    expect(summary.touchesOutsideLookback).toBe(0);
    expect(summary.convertingJourneys / positiveOrders).toBeGreaterThan(0.6);
    expect(summary.nonConvertingJourneys).toBeGreaterThan(1000);
    const result = aggregator.result();
    expect([...result.channels].sort()).toEqual([...SAMPLE_CHANNELS].sort());
    expect(result.totals.nulls).toBe(summary.nonConvertingJourneys);
    expect(result.markov?.hasNulls).toBe(true);
    const markov = result.credit.markov!;
    const credited = markov.conversions.reduce((s, v) => s + v, 0);
    expect(credited).toBeCloseTo(summary.convertingJourneys, 6);
  });
});

describe("IMC.ATTRIBUTE.EVENTS on Touchpoints", () => {
  it("gives the same credit from the table's cells and from its CSV text (timestamps as yyyy-mm-dd hh:mm)", () => {
    const small = generateSampleBusiness({ customers: 500 });
    const table = sampleTable(small, "Touchpoints");
    const cells = (k: number) => table.rows.map((row) => [row[k]]);
    const fromCells = attributeEvents(cells(0), cells(1), cells(2), cells(3), [["all"]]);
    // No field of this table needs quoting, so splitting on commas reads the CSV back.
    const lines = tableToCsv(table).split("\r\n").slice(1, -1).map((line) => line.split(","));
    const texts = (k: number) => lines.map((fields) => [fields[k]]);
    const fromCsv = attributeEvents(texts(0), texts(1), texts(2), texts(3), [["all"]]);
    expect(fromCsv).toEqual(fromCells);
    const channels = fromCells.slice(1).map((row) => row[0]);
    expect(channels).toContain("(no touch)");
    expect(channels.filter((c) => c !== "(no touch)").sort()).toEqual([...SAMPLE_CHANNELS].sort());
  });
});

describe("campaign KPIs on Campaigns", () => {
  const table = sampleTable(business, "Campaigns");

  it("every column but channel and start_date is a recognised KPI input, and campaignKpis accepts the table", () => {
    const unrecognised = table.headers.filter((h) => campaignFieldOf(h) === null);
    expect(unrecognised).toEqual(["channel", "start_date"]);
    const result = campaignKpis([table.headers, ...table.rows], { openRateBase: "delivered", argument: "campaign_table" });
    // 30 drawn campaigns and the holdout experiment's campaign.
    expect(result.rows).toHaveLength(31);
    expect(result.labelColumn).toBe(1);
    expect(result.recognised.map((r) => r.header)).toEqual(table.headers.filter((h) => h !== "channel" && h !== "start_date"));
    expect(result.ignored.map((r) => r.header)).toEqual(["channel", "start_date"]);
    for (const header of ["Open rate", "Click-through rate", "Click-to-open rate", "Unsubscribe rate", "Ad CTR", "Conversion rate", "Form conversion rate", "CPL", "CPA", "ROAS"]) {
      expect(result.headers).toContain(header);
    }
    // Every rate is a share in [0, 1]; e-mail rows have e-mail rates and no ad CTR, ads the reverse.
    const rates = result.headers.map((h, k) => ({ h, k })).filter(({ h }) => /rate|CTR/.test(h));
    const channelOf = new Map(table.rows.map((row) => [row[0] as string, row[1] as string]));
    const openRate = result.headers.indexOf("Open rate");
    const adCtr = result.headers.indexOf("Ad CTR");
    for (const row of result.rows) {
      for (const { h, k } of rates) {
        const v = row.values[k];
        if (v !== null) expect(v, `${row.label} ${h}`).toBeGreaterThanOrEqual(0);
        if (v !== null) expect(v, `${row.label} ${h}`).toBeLessThanOrEqual(1);
      }
      const email = channelOf.get(row.label!) === "Email";
      expect(row.values[openRate] === null, row.label!).toBe(!email);
      expect(row.values[adCtr] === null, row.label!).toBe(email);
    }
  });

  it("counts are consistent: bounces ≤ sent, opens ≤ delivered, clicks ≤ opens, funnel of ads", () => {
    const at = (row: readonly SampleCell[], header: string) => row[table.headers.indexOf(header)] as number | null;
    expect(new Set(table.rows.map((row) => row[1]))).toEqual(new Set(PAID_CHANNELS));
    // 12 drawn e-mail campaigns and the holdout experiment's.
    expect(table.rows.filter((row) => row[1] === "Email")).toHaveLength(13);
    expect(table.rows.at(-1)![0]).toBe((business.truth.experiment as { campaign: string }).campaign);
    for (const row of table.rows) {
      expect((row[2] as number) >= business.asOf - 731 && (row[2] as number) <= business.asOf).toBe(true);
      if (row[1] === "Email") {
        const delivered = at(row, "sent")! - at(row, "hard_bounces")! - at(row, "soft_bounces")!;
        expect(delivered).toBeGreaterThan(0);
        expect(at(row, "unique_opens")!).toBeLessThanOrEqual(delivered);
        expect(at(row, "unique_clicks")!).toBeLessThanOrEqual(at(row, "unique_opens")!);
        expect(at(row, "unsubscribes")!).toBeLessThanOrEqual(delivered);
        expect(at(row, "sessions")!).toBeLessThanOrEqual(at(row, "unique_clicks")!);
        expect(at(row, "impressions")).toBeNull();
        expect(at(row, "clicks")).toBeNull();
      } else {
        expect(at(row, "clicks")!).toBeLessThanOrEqual(at(row, "impressions")!);
        expect(at(row, "sessions")!).toBeLessThanOrEqual(at(row, "clicks")!);
        expect(at(row, "form_views")!).toBeLessThanOrEqual(at(row, "sessions")!);
        expect(at(row, "form_submissions")!).toBeLessThanOrEqual(at(row, "form_views")!);
        expect(at(row, "leads")!).toBeLessThanOrEqual(at(row, "form_submissions")!);
        expect(at(row, "sent")).toBeNull();
      }
      expect(at(row, "conversions")!).toBeLessThanOrEqual(at(row, "sessions")!);
      expect(at(row, "spend")!).toBeGreaterThan(0);
    }
  });
});

describe("truth", () => {
  it("records valid Hill curves for exactly the paid channels", () => {
    expect(Object.keys(truth.hillCurves).sort()).toEqual([...PAID_CHANNELS].sort());
    for (const curve of Object.values(truth.hillCurves)) expect(hillCurveProblem(curve)).toBeNull();
  });
});
