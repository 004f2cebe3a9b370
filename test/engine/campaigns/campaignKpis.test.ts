import { describe, expect, it } from "vitest";
import { campaignFieldOf, normaliseHeader } from "../../../src/engine/campaigns/campaignColumns";
import { campaignKpis, type CampaignKpiResult } from "../../../src/engine/campaigns/campaignKpis";
import { engineErrorOf } from "../../support/engine";

const options = { openRateBase: "delivered" as const, argument: "campaign_table" };

/** KPI value of a row by header. */
function kpi(result: CampaignKpiResult, row: number, header: string): number | null {
  const index = result.headers.indexOf(header);
  if (index < 0) throw new Error(`no KPI column ${header}; have ${result.headers.join(", ")}`);
  return result.rows[row].values[index];
}

describe("campaignColumns: header recognition", () => {
  it("ignores case, spacing, underscores and punctuation, and a leading total / number of", () => {
    expect(normaliseHeader("  Unique_Opens ")).toBe("uniqueopens");
    expect(campaignFieldOf("UNIQUE-OPENS")).toBe("uniqueOpens");
    expect(campaignFieldOf("Total sent")).toBe("sent");
    expect(campaignFieldOf("Number of leads")).toBe("leads");
    expect(campaignFieldOf("Hard bounces")).toBe("hardBounces");
    expect(campaignFieldOf("Pipeline (start)")).toBe("pipelineStart");
    expect(campaignFieldOf("Form submissions")).toBe("formSubmissions");
    expect(campaignFieldOf("Cost")).toBe("spend");
    expect(campaignFieldOf("Clicks (unique)")).toBe("uniqueClicks");
    expect(campaignFieldOf("Opt-outs")).toBe("unsubscribes");
    expect(campaignFieldOf("Total")).toBeNull();
    expect(campaignFieldOf("Date")).toBeNull();
  });
});

describe("campaignKpis: email campaigns (domain.md §6 definitions)", () => {
  const table = [
    ["Campaign", "Sent", "Hard bounces", "Soft bounces", "Unique opens", "Unique clicks", "Unsubscribes", "Date"],
    ["Spring", 1000, 10, 40, 380, 95, 19, 45000],
    ["Summer", 2000, 0, 0, 0, 0, 0, 45100],
    ["Autumn", 500, "", 5, 100, 20, 1, 45200],
  ];
  const result = campaignKpis(table, options);

  it("lists the KPIs the columns allow, in the documented order", () => {
    expect(result.headers).toEqual([
      "Delivered",
      "Hard bounce rate",
      "Soft bounce rate",
      "Email bounce rate",
      "Open rate",
      "Click-through rate",
      "Click-to-open rate",
      "Unsubscribe rate",
    ]);
  });

  it("delivered = sent − hard − soft; rates over sent or delivered as defined", () => {
    expect(kpi(result, 0, "Delivered")).toBe(950);
    expect(kpi(result, 0, "Hard bounce rate")).toBeCloseTo(0.01, 15);
    expect(kpi(result, 0, "Soft bounce rate")).toBeCloseTo(0.04, 15);
    expect(kpi(result, 0, "Email bounce rate")).toBeCloseTo(0.05, 15);
    expect(kpi(result, 0, "Open rate")).toBeCloseTo(0.4, 15);
    expect(kpi(result, 0, "Click-through rate")).toBeCloseTo(0.1, 15);
    expect(kpi(result, 0, "Click-to-open rate")).toBeCloseTo(0.25, 15);
    expect(kpi(result, 0, "Unsubscribe rate")).toBeCloseTo(0.02, 15);
  });

  it("a zero denominator gives a blank (null), never an error or Infinity", () => {
    expect(kpi(result, 1, "Open rate")).toBe(0);
    expect(kpi(result, 1, "Click-to-open rate")).toBeNull();
  });

  it("a blank bounce cell: the other bounce column still gives delivered; its own rate is blank", () => {
    expect(kpi(result, 2, "Delivered")).toBe(495);
    expect(kpi(result, 2, "Hard bounce rate")).toBeNull();
    expect(kpi(result, 2, "Soft bounce rate")).toBeCloseTo(0.01, 15);
  });

  it("reports which columns were used and which ignored", () => {
    expect(result.labelColumn).toBe(1);
    expect(result.recognised.map((r) => r.field)).toEqual(["label", "sent", "hardBounces", "softBounces", "uniqueOpens", "uniqueClicks", "unsubscribes"]);
    expect(result.ignored).toEqual([{ column: 8, header: "Date", reason: "not a recognised KPI input" }]);
    expect(result.rows.map((r) => r.label)).toEqual(["Spring", "Summer", "Autumn"]);
  });

  it("the open-rate base can be sent", () => {
    const bySent = campaignKpis(table, { ...options, openRateBase: "sent" });
    expect(bySent.headers).toContain("Open rate (of sent)");
    expect(kpi(bySent, 0, "Open rate (of sent)")).toBeCloseTo(0.38, 15);
    expect(bySent.openRateBase).toBe("sent");
  });

  it("without bounce or delivered columns, delivered-based rates fall back to sent and say so", () => {
    const plain = campaignKpis(
      [
        ["Name", "Emails sent", "Opens", "Clicks"],
        ["A", 200, 50, 10],
      ],
      options,
    );
    expect(plain.headers).toEqual(["Open rate (of sent)", "Click-through rate (of sent)", "Click-to-open rate"]);
    expect(plain.openRateBase).toBe("sent");
    expect(kpi(plain, 0, "Open rate (of sent)")).toBe(0.25);
  });

  it("a Delivered column is used as given", () => {
    const given = campaignKpis([["Campaign", "Sent", "Delivered", "Unique opens"], ["X", 100, 80, 20]], options);
    expect(kpi(given, 0, "Delivered")).toBe(80);
    expect(kpi(given, 0, "Open rate")).toBe(0.25);
  });
});

describe("campaignKpis: web, ads, forms, pipeline and cost", () => {
  const table = [
    ["campaign_name", "impressions", "clicks", "sessions", "engaged sessions", "conversions", "form views", "form submissions", "leads", "spend", "revenue", "pipeline start", "pipeline end"],
    ["Search", 10000, 400, 380, 285, 19, 200, 50, 40, 2000, 8000, 100000, 125000],
    ["Display", 0, 0, 0, 0, 0, 0, 0, 0, 500, 0, 0, 10],
  ];
  const result = campaignKpis(table, options);

  it("computes ad CTR, conversion rate, web bounce rate, form conversion, pipeline growth, CPL, CPA, ROAS", () => {
    expect(result.headers).toEqual(["Ad CTR", "Conversion rate", "Web bounce rate", "Form conversion rate", "Pipeline growth", "CPL", "CPA", "ROAS"]);
    expect(kpi(result, 0, "Ad CTR")).toBeCloseTo(0.04, 15);
    expect(kpi(result, 0, "Conversion rate")).toBeCloseTo(0.05, 15);
    expect(kpi(result, 0, "Web bounce rate")).toBeCloseTo(0.25, 15);
    expect(kpi(result, 0, "Form conversion rate")).toBeCloseTo(0.25, 15);
    expect(kpi(result, 0, "Pipeline growth")).toBeCloseTo(0.25, 15);
    expect(kpi(result, 0, "CPL")).toBe(50);
    expect(kpi(result, 0, "CPA")).toBeCloseTo(2000 / 19, 12);
    expect(kpi(result, 0, "ROAS")).toBe(4);
  });

  it("every zero denominator is blank", () => {
    expect(result.rows[1].values.slice(0, 7)).toEqual([null, null, null, null, null, null, null]);
    expect(kpi(result, 1, "ROAS")).toBe(0);
  });

  it("without a label header the first text column names the campaigns; without any, labels are null", () => {
    const unnamed = campaignKpis([["Channel", "Spend", "Leads"], ["Email", 100, 4]], options);
    expect(unnamed.labelColumn).toBe(1);
    expect(unnamed.rows[0].label).toBe("Email");
    const numeric = campaignKpis([["Spend", "Leads"], [100, 4]], options);
    expect(numeric.labelColumn).toBeNull();
    expect(numeric.rows[0].label).toBeNull();
  });

  it("conversions over visitors when there are no sessions, and the header says so", () => {
    const visitors = campaignKpis([["Campaign", "Users", "Orders"], ["A", 1000, 30]], options);
    expect(visitors.headers).toEqual(["Conversion rate (per visitor)"]);
    expect(visitors.rows[0].values[0]).toBeCloseTo(0.03, 15);
  });

  it("a second column for the same field is ignored and reported", () => {
    const twice = campaignKpis([["Campaign", "Spend", "Cost", "Leads"], ["A", 100, 999, 4]], options);
    expect(twice.rows[0].values).toEqual([25]);
    expect(twice.ignored).toEqual([{ column: 3, header: "Cost", reason: 'column 2 ("Spend") already gives spend' }]);
  });

  it("trailing blank rows are dropped; an inner blank row stays, all blank", () => {
    const gaps = campaignKpis([["Campaign", "Spend", "Leads"], ["A", 100, 4], ["", "", ""], ["B", 50, 5], [null, null, null]], options);
    expect(gaps.rows).toHaveLength(3);
    expect(gaps.rows[1]).toEqual({ label: null, values: [null] });
    expect(gaps.rows[2].values).toEqual([10]);
  });

  it("trailing all-zero rows (desktop Excel's empty cells under A:C) are dropped too", () => {
    const desktop = campaignKpis([["Campaign", "Spend", "Leads"], ["A", 100, 4], ["B", 0, 0], [0, 0, 0], [0, 0, 0]], options);
    expect(desktop.rows.map((r) => r.label)).toEqual(["A", "B"]);
  });
});

describe("campaignKpis errors", () => {
  it("text in a numeric column names the table row and the header", () => {
    const error = engineErrorOf(() => campaignKpis([["Campaign", "Sent", "Delivered", "Unique opens"], ["A", 100, 90, 20], ["B", "lots", 90, 20]], options));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toBe('campaign_table row 3, column "Sent": "lots" is not a number');
    expect(error.row).toBe(3);
    expect(error.column).toBe(2);
  });

  it("negative counts are refused", () => {
    const error = engineErrorOf(() => campaignKpis([["Campaign", "Spend", "Leads"], ["A", -100, 4]], options));
    expect(error.message).toBe('campaign_table row 2, column "Spend": -100 is negative; counts and amounts cannot be below 0');
  });

  it("a header row alone is INSUFFICIENT_DATA", () => {
    const error = engineErrorOf(() => campaignKpis([["Campaign", "Sent"], ["", ""]], options));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toBe("campaign_table: needs a header row and at least one campaign row below it");
  });

  it("no recognised header is INSUFFICIENT_DATA listing the headers", () => {
    const error = engineErrorOf(() => campaignKpis([["Campaign", "Foo"], ["A", 1]], options));
    expect(error.code).toBe("INSUFFICIENT_DATA");
    expect(error.message).toMatch(/^campaign_table: no column header is a recognised KPI input \(headers: "Campaign", "Foo"\)/);
  });

  it("recognised columns that allow no KPI are INSUFFICIENT_DATA", () => {
    const error = engineErrorOf(() => campaignKpis([["Campaign", "Sent"], ["A", 100]], options));
    expect(error.message).toMatch(/^campaign_table: no KPI can be computed from the recognised columns \("Campaign", "Sent"\)/);
  });

  it("a ragged or empty range is INVALID_INPUT", () => {
    expect(engineErrorOf(() => campaignKpis([], options)).message).toBe("campaign_table: the range is empty");
  });
});
