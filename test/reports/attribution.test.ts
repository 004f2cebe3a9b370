// The Attribution tab: its numbers are IMC.ATTRIBUTE.EVENTS's (model "all") on the same log, its
// ROCI is the engine's roci, its formulas evaluate to their stored values.
import { beforeAll, describe, expect, it } from "vitest";
import { ATTRIBUTION_MODELS } from "../../src/engine/attribution";
import { roci } from "../../src/engine/roci/roci";
import { attributionModelName, buildAttributionTab } from "../../src/reports/attribution";
import type { SpendInput, TouchpointsInput } from "../../src/reports/inputs";
import { blockRange, cellValue, isFormulaCell, sheetProblems, tableNamed, type ReportSheet } from "../../src/reports/sheet";
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

/** The models' names as the tab shows them (time decay with the 7-day half-life). */
const BUSINESS_NAMES = ["First touch", "Last touch", "Linear", "Position-based (40/20/40)", "Time decay (7-day half-life)", "Data-driven (Markov)", "Shapley"];

const col = (values: readonly unknown[]) => values.map((v) => [v === null ? "" : v]);

/** Every formula recomputes (HyperFormula) to its stored value, and every one of them is a number. */
/** The text of the one-cell block at a row (the scope line, the incrementality line). */
function labelledRow(sheet: ReportSheet, row: number): string {
  const block = sheet.blocks.find((b) => b.kind === "cells" && b.row === row);
  return block?.kind === "cells" ? String(block.values[0][0]) : "";
}

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
    expect(sheet.charts).toHaveLength(3);
    expect(sheet.charts[0].series.map((s) => s.name)).toEqual(BUSINESS_NAMES);
    // ROCI under last touch and data-driven, beside the ROCI table and referring to its cells.
    const roci = tableNamed(sheet, "AttributionRoci")!;
    const categories = { row: roci.row + 1, column: 0, rowCount: roci.rows.length, columnCount: 1 };
    expect(sheet.charts[2]).toMatchObject({
      type: "bar",
      categories,
      series: [
        { name: "Last touch", values: { ...categories, column: 2 } },
        { name: "Data-driven (Markov)", values: { ...categories, column: 6 } },
      ],
      anchor: { row: roci.row, column: roci.headers.length + 1 },
    });
    // The removal effects' bar chart sits beside their table and refers to its cells.
    const removal = tableNamed(sheet, "AttributionRemovalEffects")!;
    expect(sheet.charts[1]).toMatchObject({
      type: "bar",
      categories: { row: removal.row + 1, column: 0, rowCount: removal.rows.length, columnCount: 1 },
      series: [{ name: "Removal effect", values: { row: removal.row + 1, column: 1, rowCount: removal.rows.length, columnCount: 1 } }],
      anchor: { row: removal.row, column: 2 },
    });
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
      expect(row[1 + ATTRIBUTION_MODELS.length]).toBe(spendOf[name]);
      const channel = report.channels.find((c) => c.channel === name)!;
      expect(channel.spend).toBe(spendOf[name]);
      ATTRIBUTION_MODELS.forEach((model, m) => {
        const cell = row[1 + m];
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
    expect(notes).toContain("1 touch was more than 30 days before their conversion");
    expect(sheet.provenance.options).toContainEqual({ label: "Look-back window", value: "30 days" });
    expect(sheet.provenance.sources).toEqual(["Touchpoints!A1:D300", "Spend!A1:C9"]);
  });

  /** Every text a reader sees: cells, headers, chart titles and series, provenance. */
  const textsOf = (tab: ReportSheet): string[] => {
    const texts: string[] = [];
    for (const block of tab.blocks) {
      const rows = block.kind === "table" ? [block.headers, ...block.rows, ...(block.totals ? [block.totals] : [])] : block.values;
      for (const row of rows) for (const cell of row) if (typeof cellValue(cell) === "string") texts.push(cellValue(cell) as string);
    }
    for (const chart of tab.charts) texts.push(chart.title, ...chart.series.map((s) => s.name), chart.xAxisTitle ?? "", chart.yAxisTitle ?? "");
    texts.push(...tab.provenance.notes, ...tab.provenance.options.flatMap((o) => [o.label, o.value]));
    return texts;
  };
  /** The row of a cells block whose first cell is `label`. */
  const labelled = (tab: ReportSheet, label: string) => {
    for (const block of tab.blocks) if (block.kind === "cells" && block.values[0]?.[0] === label) return { block, values: block.values[0] };
    return undefined;
  };
  /** "41%", one decimal below 10%: how the tab writes a share in a sentence. */
  const percent = (x: number) => (Math.abs(x) * 100 < 9.95 ? `${(Math.abs(x) * 100).toFixed(1)}%` : `${(Math.abs(x) * 100).toFixed(0)}%`);

  it("names the models in business terms everywhere: headers, chart, notes; never a code identifier", () => {
    expect(attributionModelName("time_decay", 14)).toBe("Time decay (14-day half-life)");
    expect(ATTRIBUTION_MODELS.map((m) => attributionModelName(m, 7))).toEqual(BUSINESS_NAMES);
    for (const name of ["AttributionConversions", "AttributionValue", "AttributionShares", "AttributionRoci"]) {
      expect(tableNamed(sheet, name)!.headers.slice(1, 1 + ATTRIBUTION_MODELS.length), name).toEqual(BUSINESS_NAMES);
    }
    const texts = textsOf(sheet);
    for (const text of texts) expect(text, text).not.toMatch(/\b(linear|position|time_decay|markov|shapley)\b/);
    for (const block of sheet.blocks) {
      if (block.kind === "table") for (const header of block.headers) expect(header, header).not.toMatch(/\b(first|last)\b/);
    }
    for (const series of sheet.charts[0].series) expect(series.name).not.toMatch(/^[a-z_]+$/);
  });

  it("gives every computed number a format: whole conversions #,##0, split credit #,##0.0, value with cents below 10,000, shares and ROCI 0.0%", () => {
    for (const block of sheet.blocks) {
      const rows = block.kind === "table" ? [...block.rows, ...(block.totals ? [block.totals] : [])] : block.values;
      for (const row of rows) {
        row.forEach((cell, c) => {
          if (typeof cellValue(cell) === "number") expect(block.numberFormats?.[c] ?? null, `${block.kind} at row ${block.row} column ${c}`).not.toBeNull();
        });
      }
    }
    const whole = "#,##0";
    expect(tableNamed(sheet, "AttributionConversions")!.numberFormats).toEqual([null, whole, whole, "#,##0.0", "#,##0.0", "#,##0.0", "#,##0.0", "#,##0.0"]);
    // Value: whole numbers when the log's conversion value is above 10,000, else with cents (here about 5,000).
    const logValue = report.channels.reduce((sum, c) => sum + c.value.markov, 0) + report.summary.unattributedValue;
    expect(logValue).toBeLessThan(10_000);
    expect(tableNamed(sheet, "AttributionValue")!.numberFormats).toEqual([null, ...ATTRIBUTION_MODELS.map(() => "#,##0.00")]);
    expect(tableNamed(sheet, "AttributionShares")!.numberFormats).toEqual([null, ...ATTRIBUTION_MODELS.map(() => "0.0%")]);
    expect(tableNamed(sheet, "AttributionRoci")!.numberFormats).toEqual([null, ...ATTRIBUTION_MODELS.map(() => "0.0%"), "#,##0"]);
    expect(tableNamed(sheet, "AttributionRemovalEffects")!.numberFormats).toEqual([null, "0.0%"]);
  });

  it("headers fit their columns (or the column is as wide as allowed) and carry units", () => {
    for (const block of sheet.blocks) {
      if (block.kind !== "table") continue;
      block.headers.forEach((header, c) => {
        const width = sheet.columnWidths[block.column + c];
        expect(width >= Math.ceil(header.length * 0.85) + 3 || width === 40, `${block.name} "${header}" in a column ${width} wide`).toBe(true);
      });
    }
    expect(tableNamed(sheet, "AttributionRoci")!.headers.at(-1)).toBe("Spend (data's currency)");
    const headings = sheet.blocks.filter((b) => b.kind === "cells" && b.style === "heading").map((b) => (b.kind === "cells" ? String(b.values[0][0]) : ""));
    expect(headings).toContain("Conversions credited to each channel, by model (number of conversions)");
    expect(headings).toContain("Value credited to each channel, by model (conversion value, in the data's currency)");
    expect(headings).toContain("Share of all conversions, by model (% of conversions)");
    expect(headings).toContain("Net ROCI by model (% of spend): (value credited − spend) ÷ spend");
  });

  it("opens with a headline block of 3 to 5 numbers, each with a sentence: credit, largest channel, last touch against data-driven, blended ROCI", () => {
    const { summary, channels } = report;
    const labels = ["Conversions credited", "Value credited", "Largest credit", "Last touch vs data-driven", "Blended ROCI"];
    const rows = labels.map((label) => labelled(sheet, label)!);
    rows.forEach((row, i) => {
      expect(row, labels[i]).toBeDefined();
      expect(row.block.row, labels[i]).toBe(5 + i);
      // A number, or a formula over the tables below giving one (checked by the recalculation test).
      expect(typeof cellValue(row.values[1])).toBe("number");
      expect(String(row.values[2]).length).toBeGreaterThan(20);
      expect(row.block.numberFormats?.[1]).toBeTruthy();
    });
    let credited = 0;
    let value = 0;
    for (const channel of channels) {
      credited += channel.conversions.markov;
      value += channel.value.markov;
    }
    const totalConversions = summary.conversions;
    const number = (i: number) => cellValue(rows[i].values[1]) as number;
    expect(number(0)).toBeCloseTo(credited, 9);
    expect(number(0)).toBeCloseTo(summary.conversions - summary.unattributedConversions, 9);
    expect(rows[0].values[2]).toBe(
      `${percent(credited / totalConversions)} of the ${totalConversions} conversions in the log; 2 had no touch in the 30 days before them and are credited to no channel.`,
    );
    expect(number(1)).toBeCloseTo(value, 6);
    // The largest credit is the first channel of the tables (ranked by average credit over the models).
    const top = channels[0];
    expect(number(2)).toBeCloseTo(top.conversions.markov / totalConversions, 12);
    const topShares = ATTRIBUTION_MODELS.map((model) => top.conversions[model] / totalConversions);
    expect(rows[2].values[2]).toBe(
      `${top.channel} gets the most credit on average over the seven models (${percent(Math.min(...topShares))} to ${percent(Math.max(...topShares))} of all conversions); ${percent(top.conversions.markov / totalConversions)} under Data-driven (Markov).`,
    );
    // Last touch against data-driven, recomputed from the credit per channel.
    // Among channels with 2% or more of the conversions data-driven credits (all of them here).
    expect(channels.every((c) => c.conversions.markov >= 0.02 * credited)).toBe(true);
    const gaps = channels.map((c) => ({ name: c.channel, gap: c.conversions.last / c.conversions.markov - 1 }));
    const under = gaps.reduce((a, b) => (b.gap < a.gap ? b : a));
    const over = gaps.reduce((a, b) => (b.gap > a.gap ? b : a));
    expect(under.gap).toBeLessThan(-0.005);
    expect(over.gap).toBeGreaterThan(0.005);
    expect(report.lastTouchAgainstMarkov.underCredited).toBe(under.name);
    expect(report.lastTouchAgainstMarkov.underBy).toBeCloseTo(-under.gap, 12);
    expect(report.lastTouchAgainstMarkov.overCredited).toBe(over.name);
    expect(report.lastTouchAgainstMarkov.overBy).toBeCloseTo(over.gap, 12);
    expect(number(3)).toBeCloseTo(under.gap, 12);
    expect(rows[3].values[2]).toBe(
      `Last touch under-credits ${under.name} by ${percent(under.gap)} and over-credits ${over.name} by ${percent(over.gap)} against Data-driven (Markov) (conversions credited).`,
    );
    // Blended ROCI: Email 550, Paid search 2,100, Social 750 of spend.
    const paid = ["Email", "Paid search", "Social"].map((name) => channels.find((c) => c.channel === name)!);
    let paidValue = 0;
    for (const channel of paid) paidValue += channel.value.markov;
    expect(number(4)).toBeCloseTo((paidValue - 3_400) / 3_400, 12);
    expect(String(rows[4].values[2])).toContain("net return on the 3,400 spent on 3 paid channels");
    // Without spend: four numbers, no ROCI line.
    const unpaid = buildAttributionTab(touchpoints, null, {}, context).sheet;
    expect(labelled(unpaid, "Blended ROCI")).toBeUndefined();
    expect(labelled(unpaid, "Last touch vs data-driven")).toBeDefined();
  });

  it("shows the Markov removal effects in their own table, largest first, with the line saying they do not add up to 100%", () => {
    const shares = tableNamed(sheet, "AttributionShares")!;
    expect(shares.headers).toEqual(["Channel", ...BUSINESS_NAMES]);
    const table = tableNamed(sheet, "AttributionRemovalEffects")!;
    expect(table.headers).toEqual(["Channel", "Removal effect"]);
    const spilled = attributeEvents(col(touchpoints.customerIds), col(touchpoints.timestamps), col(touchpoints.channels), col(touchpoints.conversions), [["markov"]], [[30]], [[7]]);
    const [header, ...rows] = spilled;
    const effectAt = header.indexOf("Removal effect");
    expect(effectAt).toBeGreaterThan(0);
    const expected = rows
      .filter((r) => r[0] !== "(no touch)")
      .map((r) => ({ channel: r[0] as string, effect: r[effectAt] as number }))
      .sort((a, b) => b.effect - a.effect);
    expect(table.rows.map((r) => r[0])).toEqual(expected.map((e) => e.channel));
    table.rows.forEach((r, i) => expect(r[1] as number).toBeCloseTo(expected[i].effect, 12));
    let sum = 0;
    for (const e of expected) sum += e.effect;
    expect(Math.abs(sum - 1)).toBeGreaterThan(0.005);
    const line = sheet.blocks.find((b) => b.kind === "cells" && b.row === table.row - 1);
    expect(line?.kind === "cells" ? line.values[0][0] : null).toBe(
      `Conversions lost if the channel were taken out of every journey. Journeys need several channels, so these do not add up to 100% (here ${percent(sum)}).`,
    );
  });

  it("ROCI: largest spend first, a blended total per model (spend-weighted), negative values red by a rule the tab states", () => {
    const table = tableNamed(sheet, "AttributionRoci")!;
    const spendColumn = 1 + ATTRIBUTION_MODELS.length;
    expect(table.rows.map((r) => r[0])).toEqual(["Paid search", "Social", "Email"]);
    const totals = table.totals!;
    expect(totals[0]).toBe("Total (blended)");
    expect(cellValue(totals[spendColumn])).toBe(3_400);
    ATTRIBUTION_MODELS.forEach((model, m) => {
      let value = 0;
      for (const row of table.rows) value += report.channels.find((c) => c.channel === row[0])!.value[model];
      const cell = totals[1 + m];
      expect(isFormulaCell(cell) && cell.formula.startsWith("SUMPRODUCT(")).toBe(true);
      expect(cellValue(cell) as number, model).toBeCloseTo((value - 3_400) / 3_400, 12);
    });
    const red = { kind: "cellIs", operator: "lessThan", value: 0, look: "bad" };
    const rules = sheet.conditionalFormats.filter((f) => f.rule.kind === "cellIs");
    // The table's ROCI cells and total row, and the headline's blended ROCI (row 9: the fifth headline number).
    expect(rules).toHaveLength(2);
    expect(rules).toEqual(
      expect.arrayContaining([
        { range: { row: 9, column: 1, rowCount: 1, columnCount: 1 }, rule: red },
        { range: { row: table.row + 1, column: 1, rowCount: table.rows.length + 1, columnCount: ATTRIBUTION_MODELS.length }, rule: red },
      ]),
    );
    expect(labelled(sheet, "Blended ROCI")!.block.row).toBe(9);
    const note = sheet.blocks.find((b) => b.kind === "cells" && b.row === blockRange(table).row + blockRange(table).rowCount);
    expect(note?.kind === "cells" ? String(note.values[0][0]) : "").toMatch(/^Red: ROCI below 0%, value credited below spend\. 0% is break-even\./);
  });

  it("reconciles ids (customers with a conversion, prospects without) and attributed value with revenue, in words", () => {
    const ids = new Set<string>();
    const convertedIds = new Set<string>();
    touchpoints.customerIds.forEach((id, i) => {
      ids.add(String(id));
      if (Number(touchpoints.conversions[i]) > 0) convertedIds.add(String(id));
    });
    const prospects = ids.size - convertedIds.size;
    expect(prospects).toBeGreaterThan(0);
    expect(report.ids).toEqual({ total: ids.size, customers: convertedIds.size, prospects });
    const scope = labelledRow(sheet, 1);
    expect(scope).toContain(`${ids.size} ids: ${convertedIds.size} customers (with a conversion), ${prospects} prospects (touches only)`);
    // Under "How the numbers add up", above the provenance.
    const lines = textsOf(sheet).join("\n");
    expect(textsOf(sheet)).toContain("How the numbers add up");
    expect(lines).toContain(`${ids.size} ids in the touchpoint log: ${convertedIds.size} customers (ids with a conversion) and ${prospects} prospects (ids with touches only).`);
    expect(lines).toMatch(/Value credited is the conversion value recorded in the touchpoint log[^\n]*\nIt can differ from order revenue/);
    const { summary } = report;
    const credited = report.channels.reduce((sum, c) => sum + c.value.markov, 0);
    const all = credited + summary.unattributedValue;
    expect(lines).toContain(
      `Conversion value in the log, ${all.toLocaleString("en-US")} = ${Math.round(credited).toLocaleString("en-US")} credited to channels + 115 of the 2 conversions with no touch in the 30 days before them.`,
    );
    expect(labelledRow(sheet, 2)).toMatch(/^Attribution is not incrementality/);
  });

  it("with one channel, last touch and data-driven agree: the headline says so instead of naming a channel", () => {
    const one: TouchpointsInput = {
      source: "one channel",
      customerIds: ["a", "a", "a", "b", "b", "c"],
      timestamps: [45000, 45001, 45002, 45000, 45003, 45001],
      channels: ["Email", "Email", "", "Email", "", "Email"],
      conversions: [0, 0, 50, 0, 20, 0],
    };
    const single = buildAttributionTab(one, null, {}, context);
    expect(sheetProblems(single.sheet)).toEqual([]);
    expect(single.lastTouchAgainstMarkov).toEqual({ underCredited: null, underBy: 0, overCredited: null, overBy: 0 });
    expect(labelled(single.sheet, "Last touch vs data-driven")!.values).toEqual([
      "Last touch vs data-driven",
      0,
      "Last touch and Data-driven (Markov) credit every channel within 0.5% of each other.",
    ]);
    expect(single.ids).toEqual({ total: 3, customers: 2, prospects: 1 });
    expect(single.sheet.provenance.notes.join("\n")).not.toMatch(/touch(es)? (was|were) more than/);
  });

  it("names the currency when it is known: amounts formatted with it, headings and sentences say it", () => {
    const euro = buildAttributionTab(touchpoints, spend, {}, { ...context, currency: "€" }).sheet;
    expect(sheetProblems(euro)).toEqual([]);
    const euroFormat = '"€"#,##0;-"€"#,##0';
    expect(tableNamed(euro, "AttributionValue")!.numberFormats).toEqual([null, ...ATTRIBUTION_MODELS.map(() => '"€"#,##0.00;-"€"#,##0.00')]);
    const roci = tableNamed(euro, "AttributionRoci")!;
    expect(roci.headers.at(-1)).toBe("Spend (€)");
    expect(roci.numberFormats?.at(-1)).toBe(euroFormat);
    expect(labelledRow(euro, 1)).toMatch(/amounts in €\.$/);
    const texts = textsOf(euro);
    expect(texts).toContain("Value credited to each channel, by model (conversion value, in €)");
    expect(labelled(euro, "Blended ROCI")!.values[2]).toContain("net return on the €3,400 spent on 3 paid channels");
    expect(texts.join("\n")).toContain("TV (€5,000)");
    expect(texts.join("\n")).not.toMatch(/data's currency/);
    // Unknown currency: the wording stays.
    expect(labelledRow(sheet, 1)).toMatch(/amounts in the data's currency\.$/);
  });

  it("warns in red, above the tables, of paid channels below break-even under data-driven, with their ROCI", () => {
    const warnings = sheet.blocks.filter((b) => b.kind === "cells" && b.style === "warning");
    expect(warnings).toHaveLength(1);
    const conversions = tableNamed(sheet, "AttributionConversions")!;
    expect(warnings[0].row).toBeLessThan(conversions.row);
    const losing = ["Paid search", "Social", "Email"]
      .map((name) => report.channels.find((c) => c.channel === name)!)
      .filter((c) => c.value.markov < c.spend!);
    const text = warnings[0].kind === "cells" ? warnings[0].values.map((r) => String(r[0])).join("\n") : "";
    if (losing.length === 0) expect(text).not.toMatch(/Below break-even/);
    for (const channel of losing) expect(text).toContain(`${channel.channel} −${(-(channel.value.markov - channel.spend!) / channel.spend! * 100).toFixed(1)}%`);
    // 2 of about 45 conversions without a touch is under 10%: no warning about it.
    expect(text).not.toMatch(/had no touch/);
    // The spend table's months (Nov and Dec 2024) end months before the log does.
    const { first, last } = report.logPeriod;
    expect(last - first).toBeGreaterThan(100);
    expect(text).toMatch(/^Spend periods start between 1 Nov 2024 and 1 Dec 2024, but the log runs .* ROCI compares value and spend over different periods\.$/m);
  });

  it("sets the log's conversion value beside the order revenue of the same days when orders are given", () => {
    const days = touchpoints.timestamps.map(Number);
    const first = Math.floor(Math.min(...days));
    const last = Math.floor(Math.max(...days));
    const orders = {
      source: "Orders!A1:C4",
      customerIds: ["C1", "C2", "C3"],
      orderDates: [first, last, last + 5],
      orderValues: [10_000, 2_000, 999],
    };
    const withOrders = buildAttributionTab(touchpoints, null, { orders }, context);
    const lines = textsOf(withOrders.sheet).join("\n");
    expect(lines).toMatch(/Order revenue on the same days \([^)]*\): 12,000 from 2 orders; the log's [0-9,]+ is \d+% of it\./);
    // Orders with a bad cell only lose the line (the tabs built from the orders report the cell).
    const bad = buildAttributionTab(touchpoints, null, { orders: { ...orders, orderValues: [10_000, "lots", 999] } }, context);
    expect(textsOf(bad.sheet).join("\n")).toContain("It can differ from order revenue");
  });

  it("leaves channels with under 2% of the conversions out of last touch against data-driven, and says so", () => {
    const log = syntheticLog();
    const rare: TouchpointsInput = {
      ...log,
      customerIds: [...log.customerIds, "Z", "Z", "Z"],
      timestamps: [...log.timestamps, 45650, 45651, 45651.5],
      channels: [...log.channels, "Email", "Podcast", ""],
      conversions: [...log.conversions, 0, 0, 90],
    };
    const tab = buildAttributionTab(rare, null, {}, context);
    const podcast = tab.channels.find((c) => c.channel === "Podcast")!;
    let credited = 0;
    for (const channel of tab.channels) credited += channel.conversions.markov;
    expect(podcast.conversions.markov).toBeLessThan(0.02 * credited);
    // Its last-touch gap is the largest of all, yet it is not named.
    expect(podcast.conversions.last / podcast.conversions.markov - 1).toBeGreaterThan(tab.lastTouchAgainstMarkov.overBy);
    expect(tab.lastTouchAgainstMarkov.overCredited).not.toBe("Podcast");
    expect(tab.sheet.provenance.notes.join("\n")).toContain("Last touch against Data-driven (Markov) leaves out Podcast (under 2% of the conversions credited)");
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
