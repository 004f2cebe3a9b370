// The Attribution tab: its numbers are IMC.ATTRIBUTE.EVENTS's (model "all") on the same log, its
// ROCI is the engine's roci, its formulas evaluate to their stored values.
import { beforeAll, describe, expect, it } from "vitest";
import { ATTRIBUTION_MODELS } from "../../src/engine/attribution";
import { roci } from "../../src/engine/roci/roci";
import { buildAttributionTab } from "../../src/reports/attribution";
import type { SpendInput, TouchpointsInput } from "../../src/reports/inputs";
import { isFormulaCell, sheetProblems, tableNamed, type ReportSheet } from "../../src/reports/sheet";
import { installCustomFunctionsStub } from "../support/customFunctions";
import { expectClose, recomputedFormulas } from "../support/recalc";
import { engineErrorOf } from "../support/engine";

installCustomFunctionsStub();
let attributeEvents: typeof import("../../src/functions/attribution").attributeEvents;
beforeAll(async () => {
  ({ attributeEvents } = await import("../../src/functions/attribution"));
});

const context = { generatedAt: "2026-11-23T00:00:00Z" };
const CHANNELS = ["Email", "Paid search", "Social", "Display", "Direct"];

/** A deterministic log: 80 customers, 1–6 touches each, about half converting; a few oddities. */
function syntheticLog(): TouchpointsInput {
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const ids: unknown[] = [];
  const times: unknown[] = [];
  const channels: unknown[] = [];
  const conversions: unknown[] = [];
  const push = (id: string, t: number, channel: string, value: number) => {
    ids.push(id);
    times.push(t);
    channels.push(channel);
    conversions.push(value);
  };
  for (let c = 0; c < 80; c++) {
    let t = 45600 + Math.floor(next() * 200);
    const touches = 1 + Math.floor(next() * 6);
    for (let k = 0; k < touches; k++) {
      t += next() * 5;
      push(`C${c}`, t, CHANNELS[Math.floor(next() * (c % 3 === 0 ? 2 : CHANNELS.length))], 0);
    }
    if (next() < 0.55) push(`C${c}`, t + next() * 3, "", Math.round(20 + next() * 200));
  }
  push("X1", 45700, "", 75); // a conversion with no touch at all
  push("X2", 45500, "Social", 0); // a touch 100 days before its conversion: outside the window
  push("X2", 45600, "", 40);
  return { source: "Touchpoints!A1:D300", customerIds: ids, timestamps: times, channels, conversions };
}

const spend: SpendInput = {
  source: "Spend!A1:C9",
  periods: ["2024-11", "2024-12", "2024-11", "2024-12", "2024-11", "2024-12", "2024-12", null],
  channels: ["email", "Email", "Paid search", "Paid search", "Social", "Social", "Display", "TV"],
  amounts: [300, 250, 1_200, 900, 400, 350, 0, 5_000],
};

const col = (values: readonly unknown[]) => values.map((v) => [v === null ? "" : v]);

/** Every formula recomputes (HyperFormula) to its stored value, and every one of them is a number. */
function formulasHold(sheet: ReportSheet): number {
  const all = recomputedFormulas(sheet);
  for (const { address, formula, expected, actual } of all) {
    expect(typeof expected, `${address} =${formula}`).toBe("number");
    expectClose(actual, expected, `${address} =${formula}`);
  }
  return all.length;
}

describe("buildAttributionTab", () => {
  const touchpoints = syntheticLog();
  const report = buildAttributionTab(touchpoints, spend, { lookbackDays: 30, halfLifeDays: 7 }, context);
  const { sheet } = report;

  it("is well formed", () => {
    expect(sheetProblems(sheet)).toEqual([]);
    expect(sheet.name).toBe("Attribution");
    expect(sheet.charts).toHaveLength(1);
    expect(sheet.charts[0].series.map((s) => s.name)).toEqual([...ATTRIBUTION_MODELS]);
  });

  it("conversions and value equal IMC.ATTRIBUTE.EVENTS with model all, row by row, (no touch) last", () => {
    const spilled = attributeEvents(
      col(touchpoints.customerIds),
      col(touchpoints.timestamps),
      col(touchpoints.channels),
      col(touchpoints.conversions),
      [["all"]],
      [[30]],
      [[7]],
    );
    const [header, ...rows] = spilled;
    expect(header).toEqual(["Channel", ...ATTRIBUTION_MODELS, ...ATTRIBUTION_MODELS.map((m) => `${m} value`)]);
    const conversions = tableNamed(sheet, "AttributionConversions")!;
    const value = tableNamed(sheet, "AttributionValue")!;
    expect(conversions.rows.map((r) => r[0])).toEqual(rows.map((r) => r[0]));
    expect(rows[rows.length - 1][0]).toBe("(no touch)");
    rows.forEach((row, i) => {
      ATTRIBUTION_MODELS.forEach((model, m) => {
        expect(conversions.rows[i][1 + m] as number, `${String(row[0])} ${model}`).toBeCloseTo(row[1 + m] as number, 9);
        expect(value.rows[i][1 + m] as number, `${String(row[0])} ${model} value`).toBeCloseTo(row[1 + ATTRIBUTION_MODELS.length + m] as number, 9);
      });
    });
    // The report's channel list is the same credit, without the (no touch) row.
    expect(report.channels.map((c) => c.channel)).toEqual(rows.slice(0, -1).map((r) => r[0]));
    report.channels.forEach((channel, i) => expect(channel.conversions.markov).toBeCloseTo(rows[i][1 + ATTRIBUTION_MODELS.indexOf("markov")] as number, 9));
  });

  it("ROCI per channel and model is the engine's net roci of credited value over spend (spend matched ignoring case)", () => {
    const table = tableNamed(sheet, "AttributionRoci")!;
    // Email 300 + 250 (the "email" row matches), Paid search 2,100, Social 750; Display (0) and Direct (none) have no ROCI.
    expect(table.rows.map((r) => r[0]).sort()).toEqual(["Email", "Paid search", "Social"]);
    const spendOf: Record<string, number> = { Email: 550, "Paid search": 2_100, Social: 750 };
    for (const row of table.rows) {
      const name = row[0] as string;
      expect(row[1]).toBe(spendOf[name]);
      const channel = report.channels.find((c) => c.channel === name)!;
      expect(channel.spend).toBe(spendOf[name]);
      ATTRIBUTION_MODELS.forEach((model, m) => {
        const cell = row[2 + m];
        expect(isFormulaCell(cell)).toBe(true);
        const expected = roci({ contribution: channel.value[model], investment: spendOf[name], baselineContribution: null, mode: "net" });
        expect((cell as { value: number }).value).toBeCloseTo(expected, 12);
      });
    }
    expect(report.channels.find((c) => c.channel === "Direct")?.spend ?? null).toBeNull();
    expect(sheet.provenance.notes.some((n) => n.includes("TV (5,000)"))).toBe(true);
  });

  it("totals, shares and ROCI formulas evaluate (HyperFormula) to their stored values", () => {
    expect(formulasHold(sheet)).toBeGreaterThan(40);
    const shares = tableNamed(sheet, "AttributionShares")!;
    for (let m = 0; m < ATTRIBUTION_MODELS.length; m++) {
      let total = 0;
      for (const row of shares.rows) total += (row[1 + m] as { value: number }).value;
      expect(total).toBeCloseTo(1, 12);
    }
  });

  it("provenance counts journeys, conversions without a touch and touches outside the window, and says attribution is not incrementality", () => {
    const { summary } = report;
    // X1 (no touch at all) and X2 (its only touch 100 days before) are credited to no channel.
    expect(summary.unattributedConversions).toBe(2);
    expect(summary.unattributedValue).toBe(115);
    expect(summary.touchesOutsideLookback).toBe(1);
    const notes = sheet.provenance.notes.join("\n");
    expect(notes).toMatch(/Attribution is not incrementality/);
    expect(notes).toContain(`${summary.convertingJourneys} converting and ${summary.nonConvertingJourneys} non-converting`);
    expect(notes).toContain('2 conversions (value 115) had no touch in their 30-day window: shown as "(no touch)"');
    expect(notes).toContain("1 touches were more than 30 days before their conversion");
    expect(sheet.provenance.options).toContainEqual({ label: "Look-back window", value: "30 days" });
    expect(sheet.provenance.sources).toEqual(["Touchpoints!A1:D300", "Spend!A1:C9"]);
  });

  it("without spend there is no ROCI table", () => {
    const plain = buildAttributionTab(touchpoints, null, {}, context).sheet;
    expect(sheetProblems(plain)).toEqual([]);
    expect(tableNamed(plain, "AttributionRoci")).toBeUndefined();
  });
});

describe("buildAttributionTab errors", () => {
  const base = syntheticLog();

  it("a blank channel on a touch row names channels and the row", () => {
    const channels = base.channels.slice();
    channels[4] = "";
    const conversions = base.conversions.slice();
    conversions[4] = 0;
    const error = engineErrorOf(() => buildAttributionTab({ ...base, channels, conversions }, null, {}, context));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.argument).toBe("channels");
    expect(error.row).toBe(5);
  });

  it("a bad timestamp names timestamps and the row; a negative value names conversions", () => {
    const timestamps = base.timestamps.slice();
    timestamps[2] = "yesterday";
    const error = engineErrorOf(() => buildAttributionTab({ ...base, timestamps }, null, {}, context));
    expect([error.argument, error.row]).toEqual(["timestamps", 3]);
    const conversions = base.conversions.slice();
    conversions[7] = -3;
    expect(engineErrorOf(() => buildAttributionTab({ ...base, conversions }, null, {}, context)).argument).toBe("conversions");
  });

  it("a bad spend row names the spend column and row; a bad option is named", () => {
    const error = engineErrorOf(() => buildAttributionTab(base, { ...spend, amounts: [300, "lots", 1, 1, 1, 1, 1, 1] }, {}, context));
    expect([error.argument, error.row]).toEqual(["spend_amounts", 2]);
    const period = engineErrorOf(() => buildAttributionTab(base, { ...spend, periods: ["2024-13", ...spend.periods.slice(1)] }, {}, context));
    expect([period.argument, period.row]).toEqual(["spend_periods", 1]);
    expect(engineErrorOf(() => buildAttributionTab(base, null, { lookbackDays: 0 }, context)).argument).toBe("lookback_days");
  });

  it("a log without conversions, or whose conversions have no touch in the window, is INSUFFICIENT_DATA", () => {
    const none = { ...base, conversions: base.conversions.map(() => 0), channels: base.channels.map((c) => (c === "" ? "Email" : c)) };
    expect(engineErrorOf(() => buildAttributionTab(none, null, {}, context)).code).toBe("INSUFFICIENT_DATA");
    const lonely: TouchpointsInput = { source: "x", customerIds: ["a", "a"], timestamps: [45000, 45100], channels: ["Email", ""], conversions: [0, 10] };
    expect(engineErrorOf(() => buildAttributionTab(lonely, null, {}, context)).code).toBe("INSUFFICIENT_DATA");
  });
});
