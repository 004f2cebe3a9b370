// The Journey tab from a touchpoint log built here (with stages and contents) and orders: its top
// paths equal IMC.PATHS on the same journeys, channel roles add up to 100%, its figures point at the
// cells that show them, stage data is optional, and bad input names the column and row.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readTouchpointLog } from "../../src/engine/attribution";
import { isEngineError } from "../../src/engine/errors";
import { journeysOfLog } from "../../src/engine/journeys";
import type { BusinessData } from "../../src/reports/detect";
import { buildJourneyTab } from "../../src/reports/journey";
import { cellAt, cellValue, sheetProblems, tableNamed, type ReportSheet } from "../../src/reports/sheet";
import { installCustomFunctionsStub } from "../support/customFunctions";
import { sharedDir, sharedSkipMessage } from "../support/shared";
import { loadWritten, tabViolationLines } from "../support/tabQuality";
import { writeNewWorkbook } from "../../src/cli/xlsx/writeReport";
import { seededUniform } from "../../src/engine/math/random";

installCustomFunctionsStub();
let paths: typeof import("../../src/functions/journeys").paths;
beforeAll(async () => {
  ({ paths } = await import("../../src/functions/journeys"));
});

const CONTEXT = { generatedAt: "2026-12-06T07:30:00Z", currency: "€" };
const OPTIONS = { asOf: null, cac: null };

/** The engine's seeded generator, so the generated data are the same on every run. */
const seeded = seededUniform;

const CHANNELS: [string, string, string[]][] = [
  ["Display", "awareness", ["Banner A", "Banner B"]],
  ["Social", "Awareness", ["Video teaser", "Carousel"]],
  ["Search", "consideration", ["Brand ad", "Generic ad"]],
  ["Email", "Decision", ["Price offer", "Case study"]],
  ["Direct", "decision", ["Home page"]],
  ["Referral", "Advocacy", ["Friend code"]],
];

interface Fixture {
  data: BusinessData;
  rows: number;
}

/** A log of 120 customers over 2025: touches with stage and content, some converting, and orders. */
function fixture(options: { stages?: boolean; contents?: boolean; orders?: boolean } = {}): Fixture {
  const random = seeded(42);
  const ids: unknown[] = [];
  const times: unknown[] = [];
  const channels: unknown[] = [];
  const conversions: unknown[] = [];
  const stages: unknown[] = [];
  const contents: unknown[] = [];
  const orderIds: unknown[] = [];
  const orderDates: unknown[] = [];
  const orderValues: unknown[] = [];
  const start = 45658; // 2025-01-01
  for (let c = 0; c < 120; c++) {
    const id = `C${1000 + c}`;
    // Some customers have an order before the log.
    if (random() < 0.4) {
      orderIds.push(id);
      orderDates.push(start - 30 - Math.floor(random() * 200));
      orderValues.push(20 + Math.round(random() * 200));
    }
    let t = start + Math.floor(random() * 200);
    const journeys = 1 + Math.floor(random() * 3);
    for (let j = 0; j < journeys; j++) {
      const touches = 1 + Math.floor(random() * (random() < 0.5 ? 2 : 6));
      for (let k = 0; k < touches; k++) {
        const [channel, stage, names] = CHANNELS[Math.floor(random() * CHANNELS.length)];
        ids.push(id);
        times.push(t);
        channels.push(channel);
        conversions.push(null);
        stages.push(stage);
        contents.push(names[Math.floor(random() * names.length)]);
        t += random() * 4;
      }
      if (random() < 0.55) {
        const value = 30 + Math.round(random() * 170);
        ids.push(id);
        times.push(t);
        channels.push(null);
        conversions.push(value);
        stages.push(null);
        contents.push(null);
        orderIds.push(id);
        orderDates.push(Math.floor(t));
        orderValues.push(value);
      }
      t += 10 + random() * 40;
    }
  }
  const data: BusinessData = {
    orders: options.orders === false ? null : { source: "Orders!A1:C300", customerIds: orderIds, orderDates, orderValues },
    customers: null,
    touchpoints: {
      source: "Touchpoints!A1:F900",
      customerIds: ids,
      timestamps: times,
      channels,
      conversions,
      ...(options.stages === false ? {} : { stages }),
      ...(options.contents === false ? {} : { contents }),
    },
    campaigns: null,
    spend: null,
  };
  return { data, rows: ids.length };
}

function journeyWarningsOf(sheet: ReportSheet): string[] {
  return sheet.blocks.filter((b) => b.kind === "cells" && b.style === "warning").flatMap((b) => (b.kind === "cells" ? b.values.map((r) => String(r[0])) : []));
}

function allText(sheet: ReportSheet): string {
  const parts: string[] = [];
  for (const block of sheet.blocks) {
    if (block.kind === "table") parts.push(block.headers.join(" "), ...block.rows.map((r) => r.map((c) => String(cellValue(c))).join(" ")));
    else parts.push(...block.values.map((r) => r.map((c) => String(cellValue(c))).join(" ")));
  }
  return parts.join("\n");
}

/** IMC.PATHS on the journeys that the log gives (the same cutting rules, read independently of the tab). */
function pathsOfLog(data: BusinessData, top: number): unknown[][] {
  const t = data.touchpoints!;
  const log = readTouchpointLog({ customerIds: t.customerIds, timestamps: t.timestamps, channels: t.channels, conversions: t.conversions });
  const { journeys, channels } = journeysOfLog(log, 30);
  const col = (f: (j: (typeof journeys)[number]) => unknown) => journeys.map((j) => [f(j)]);
  return paths(
    col((j) => Array.from(j.channelIds, (c) => channels[c]).join(" > ")),
    col((j) => (j.converted ? 1 : 0)),
    col((j) => j.value),
    col((j) => (j.converted ? 0 : 1)),
    [[top]],
  );
}

describe("Journey tab", () => {
  it("is well formed, with a headline, charts and provenance", () => {
    const { sheet, figures } = buildJourneyTab(fixture().data, OPTIONS, CONTEXT);
    expect(sheetProblems(sheet)).toEqual([]);
    expect(sheet.name).toBe("Journey");
    expect(sheet.charts.map((c) => c.type)).toEqual(["column", "stackedColumn", "bar"]);
    const text = allText(sheet);
    expect(text).toContain("At a glance");
    expect(text).toContain("Where these numbers come from");
    expect(text).not.toMatch(/_[a-z]+_|undefined|NaN/);
    expect(figures.map((f) => f.key)).toEqual(["journey.journeys", "journey.conversionRate", "journey.medianTouches", "journey.medianDays", "journey.topOpener"]);
  });

  it("written to .xlsx, meets the tab rules: no General numbers, headers fit, no code identifiers, native charts", async () => {
    const { sheet } = buildJourneyTab(fixture().data, OPTIONS, CONTEXT);
    const { bytes, names } = await writeNewWorkbook([], [sheet]);
    const written = await loadWritten(bytes);
    expect(await tabViolationLines(written, names, { [names[0]]: sheet.charts.length })).toEqual([]);
  });

  it("publishes each figure at the cell that shows it", () => {
    const { sheet, figures } = buildJourneyTab(fixture().data, OPTIONS, CONTEXT);
    for (const figure of figures) {
      const cell = cellAt(sheet, figure.row, figure.column);
      expect(cell, figure.key).toBeDefined();
      expect(cellValue(cell!)).toEqual(figure.value);
    }
    const opener = figures.find((f) => f.key === "journey.topOpener")!;
    expect(typeof opener.value).toBe("string");
    const rate = figures.find((f) => f.key === "journey.conversionRate")!.value as number;
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThan(1);
  });

  it("its top paths equal IMC.PATHS on the same journeys", () => {
    const { data } = fixture();
    const { sheet, figures } = buildJourneyTab(data, OPTIONS, CONTEXT);
    const table = tableNamed(sheet, "JourneyTopPaths")!;
    const expected = pathsOfLog(data, 10);
    const top = expected.slice(1, 1 + table.rows.length);
    expect(table.rows.length).toBe(Math.min(10, expected.findIndex((r) => r[0] === "") - 1));
    table.rows.forEach((row, i) => {
      expect(cellValue(row[0])).toBe(top[i][0]);
      expect(cellValue(row[1])).toBe(top[i][1]);
      expect(cellValue(row[2])).toBe(top[i][2]);
      expect(cellValue(row[3]) as number).toBeCloseTo(top[i][3] as number, 12);
      expect(cellValue(row[4]) as number).toBeCloseTo(top[i][4] as number, 9);
    });
    // Journeys in the headline = Σ journeys of IMC.PATHS's length block.
    const start = expected.findIndex((r) => r[0] === "Path length (touches)");
    const journeys = expected.slice(start + 1, start + 11).reduce((s, r) => s + (r[1] as number), 0);
    expect(figures[0].value).toBe(journeys);
  });

  it("channel roles each add up to 100% and match IMC.PATHS", () => {
    const { data } = fixture();
    const { sheet } = buildJourneyTab(data, OPTIONS, CONTEXT);
    const table = tableNamed(sheet, "JourneyChannelRoles")!;
    for (const column of [1, 2, 3]) {
      const sum = table.rows.reduce((s, r) => s + (cellValue(r[column]) as number), 0);
      expect(sum).toBeCloseTo(1, 12);
      expect(cellValue(table.totals![column]) as number).toBeCloseTo(1, 12);
    }
    const expected = pathsOfLog(data, 10);
    const start = expected.findIndex((r) => r[0] === "Channel");
    const byChannel = new Map(expected.slice(start + 1).map((r) => [r[0], r]));
    for (const row of table.rows) {
      const other = byChannel.get(cellValue(row[0]))!;
      for (const c of [1, 2, 3, 4]) expect(cellValue(row[c]) as number).toBeCloseTo(other[c] as number, 12);
    }
  });

  it("shows the stage funnel in the canonical order, matching stages case-insensitively, with contents", () => {
    const { sheet } = buildJourneyTab(fixture().data, OPTIONS, CONTEXT);
    const stages = tableNamed(sheet, "JourneyStages")!;
    expect(stages.rows.map((r) => r[0])).toEqual(["Awareness", "Consideration", "Decision", "Advocacy"]);
    for (const row of stages.rows) expect(cellValue(row[2]) as number).toBeLessThanOrEqual(cellValue(row[1]) as number);
    const contents = tableNamed(sheet, "JourneyContents")!;
    expect(contents.rows.length).toBeGreaterThan(0);
    for (const row of contents.rows) expect(cellValue(row[2]) as number).toBeGreaterThanOrEqual(5);
  });

  it("says in one line when there is no stage data (not an error), and uses a channel → stage table when given", () => {
    const { data } = fixture({ stages: false });
    const { sheet } = buildJourneyTab(data, OPTIONS, CONTEXT);
    expect(tableNamed(sheet, "JourneyStages")).toBeUndefined();
    expect(allText(sheet)).toContain("No stage data");
    const withTable = buildJourneyTab({ ...data, stages: { source: "Stages!A1:B4", channels: ["display", "Search", "Email"], stages: ["Awareness", "consideration", "DECISION"] } }, OPTIONS, CONTEXT);
    expect(tableNamed(withTable.sheet, "JourneyStages")!.rows.map((r) => r[0])).toEqual(["Awareness", "Consideration", "Decision"]);
  });

  it("splits paths by new vs returning customers and RFM segments with orders, by earlier conversions without", () => {
    const withOrders = buildJourneyTab(fixture().data, OPTIONS, CONTEXT);
    const segments = new Set(tableNamed(withOrders.sheet, "JourneyPathsBySegment")!.rows.map((r) => cellValue(r[1])));
    expect(segments).toContain("New (no earlier order)");
    expect(segments).toContain("Returning (earlier order)");
    expect([...segments].some((s) => String(s).startsWith("RFM: "))).toBe(true);
    const withoutOrders = buildJourneyTab(fixture({ orders: false }).data, OPTIONS, CONTEXT);
    const plain = new Set(tableNamed(withoutOrders.sheet, "JourneyPathsBySegment")!.rows.map((r) => cellValue(r[1])));
    expect([...plain].sort()).toEqual(["New (first conversion)", "Returning (converted before)"]);
  });

  it("warns in red when most conversions are single-touch and when every journey converts", () => {
    const ids = ["a", "a", "b", "b", "c", "c", "c", "c"];
    const times = [45658, 45659, 45660, 45661, 45662, 45663, 45664, 45665];
    const channels = ["Email", null, "Search", null, "Email", "Search", "Display", null];
    const conversions = [null, 10, null, 20, null, null, null, 30];
    const data: BusinessData = { orders: null, customers: null, touchpoints: { source: "log", customerIds: ids, timestamps: times, channels, conversions }, campaigns: null, spend: null };
    const { sheet } = buildJourneyTab(data, OPTIONS, CONTEXT);
    const warnings = sheet.blocks.filter((b) => b.kind === "cells" && b.style === "warning").flatMap((b) => (b.kind === "cells" ? b.values.map((r) => String(r[0])) : []));
    expect(warnings.some((w) => w.startsWith("67% of conversions come from one-touch journeys"))).toBe(true);
    expect(warnings.some((w) => w.startsWith("Every journey in the log ends in a conversion"))).toBe(true);
    expect(journeyWarningsOf(buildJourneyTab(fixture().data, OPTIONS, CONTEXT).sheet)).toEqual([]);
  });

  it("throws INSUFFICIENT_DATA without touchpoints, and names the column and row of a bad cell", () => {
    const { data } = fixture();
    let error: unknown;
    try {
      buildJourneyTab({ ...data, touchpoints: null }, OPTIONS, CONTEXT);
    } catch (e) {
      error = e;
    }
    expect(isEngineError(error, "INSUFFICIENT_DATA")).toBe(true);
    const times = [...data.touchpoints!.timestamps];
    times[4] = "not a date";
    expect(() => buildJourneyTab({ ...data, touchpoints: { ...data.touchpoints!, timestamps: times } }, OPTIONS, CONTEXT)).toThrow(/timestamps row 5/);
    const conversions = [...data.touchpoints!.conversions];
    conversions[2] = -5;
    expect(() => buildJourneyTab({ ...data, touchpoints: { ...data.touchpoints!, conversions } }, OPTIONS, CONTEXT)).toThrow(/conversions row 3/);
  });

  it("builds from the ChannelAttribution paths expanded into a log; journeys = Σ conversions + Σ nulls", (ctx) => {
    const dir = sharedDir("data", "attribution");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "attribution"));
    const lines = readFileSync(path.join(dir, "channelattribution_example_Data.csv"), "utf8").trim().split("\n").slice(1, 201);
    const ids: unknown[] = [];
    const times: unknown[] = [];
    const channels: unknown[] = [];
    const conversions: unknown[] = [];
    let customer = 0;
    let expectedJourneys = 0;
    for (const line of lines) {
      const [pathText, conv, value, nul] = line.split(";");
      const tokens = pathText.split(">").map((t) => t.trim()).filter((t) => t !== "");
      const journeys = Number(conv) + Number(nul);
      expectedJourneys += journeys;
      for (let j = 0; j < journeys; j++) {
        const id = `P${customer++}`;
        tokens.forEach((token, k) => {
          ids.push(id);
          times.push(45658 + k * 0.1);
          channels.push(token);
          conversions.push(null);
        });
        if (j < Number(conv)) {
          ids.push(id);
          times.push(45658 + tokens.length * 0.1);
          channels.push(null);
          conversions.push(Number(value) / Number(conv) || 1);
        }
      }
    }
    const data: BusinessData = { orders: null, customers: null, touchpoints: { source: "paths.csv", customerIds: ids, timestamps: times, channels, conversions }, campaigns: null, spend: null };
    const { sheet, figures } = buildJourneyTab(data, OPTIONS, CONTEXT);
    expect(sheetProblems(sheet)).toEqual([]);
    expect(figures[0].value).toBe(expectedJourneys);
    const table = tableNamed(sheet, "JourneyTopPaths")!;
    const expected = pathsOfLog(data, 10);
    table.rows.forEach((row, i) => expect([cellValue(row[0]), cellValue(row[1])]).toEqual([expected[i + 1][0], expected[i + 1][1]]));
  });
});
