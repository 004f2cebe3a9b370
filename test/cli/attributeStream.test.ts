// Streaming `imc attribute` over a generated file of more than one 1 MB chunk equals the in-memory
// engine path (IMC.ATTRIBUTE on the same rows as arrays) exactly: same channels, same order, same
// floating-point sums (rows are fed in the same order).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHUNK_BYTES } from "../../src/cli/csv/reader";
import { memoryIo } from "../../src/cli/io";
import { main } from "../../src/cli/main";
import { JourneyAggregator } from "../../src/engine/attribution";
import { installCustomFunctionsStub } from "../support/customFunctions";
import { seededUniform } from "../../src/engine/math/random";

installCustomFunctionsStub();
let attribute: typeof import("../../src/functions/attribution").attribute;
beforeAll(async () => {
  ({ attribute } = await import("../../src/functions/attribution"));
});

const dir = mkdtempSync(path.join(os.tmpdir(), "imc-attribute-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHANNELS = ["Email", "Paid Search", "Direct", "Social", "Display", "Affiliate", "Referral", "Organic, SEO"];

interface Journeys {
  paths: string[];
  conversions: number[];
  values: number[];
  nulls: number[];
  text: string;
}

/** Seeded journeys; paths holding the delimiter (the "Organic, SEO" channel) are quoted in the CSV. */
function journeys(rows: number, seed: number): Journeys {
  const random = seededUniform(seed);
  const out: Journeys = { paths: [], conversions: [], values: [], nulls: [], text: "path,conversions,value,nulls\r\n" };
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const length = 1 + Math.floor(random() * 10);
    const touches: string[] = [];
    for (let k = 0; k < length; k++) touches.push(CHANNELS[Math.floor(random() * random() * CHANNELS.length)]);
    const path = touches.join(" > ");
    const converts = random() < 0.1;
    const conversions = converts ? 1 + Math.floor(random() * 3) : 0;
    const value = converts ? Math.round(random() * 50000) / 100 : 0;
    const nulls = Math.floor(random() * 4);
    out.paths.push(path);
    out.conversions.push(conversions);
    out.values.push(value);
    out.nulls.push(nulls);
    const field = path.includes(",") ? `"${path}"` : path;
    // Blank value and nulls cells count as 0.
    lines.push(`${field},${conversions},${value === 0 && i % 3 === 0 ? "" : value},${nulls === 0 && i % 5 === 0 ? "" : nulls}`);
  }
  out.text += `${lines.join("\r\n")}\r\n`;
  return out;
}

const col = (values: readonly unknown[]) => values.map((v) => [v]);

describe("imc attribute streams path data", () => {
  it("equals IMC.ATTRIBUTE on the same rows, all models, over more than one chunk", async () => {
    const data = journeys(40_000, 20241123);
    expect(data.text.length).toBeGreaterThan(CHUNK_BYTES);
    writeFileSync(path.join(dir, "journeys.csv"), data.text);
    const memory = memoryIo({ cwd: dir });
    expect(await main(["attribute", "journeys.csv", "--model", "all", "--format", "json"], memory.io)).toBe(0);
    expect(memory.stderr()).toBe("");
    const objects = JSON.parse(memory.stdout()) as Record<string, unknown>[];
    const header = Object.keys(objects[0]);
    const cli = [header, ...objects.map((o) => header.map((key) => o[key] ?? ""))];
    const excel = attribute(col(data.paths), col(data.conversions), [["all"]], col(data.values), col(data.nulls), null as any);
    expect(cli).toEqual(excel);
    expect(cli.map((row) => row[0]).slice(1).sort()).toEqual([...CHANNELS].sort());
  });

  it("markov3 credit and removal effects equal the engine's aggregator fed in memory", async () => {
    const data = journeys(5_000, 99);
    writeFileSync(path.join(dir, "small.csv"), data.text);
    const memory = memoryIo({ cwd: dir });
    expect(await main(["attribute", "small.csv", "--model", "markov3", "--format", "json"], memory.io)).toBe(0);
    const rows = JSON.parse(memory.stdout()) as { Channel: string; Conversions: number; "Removal effect": number }[];
    const aggregator = new JourneyAggregator({ models: ["markov"], markovOrder: 3 });
    data.paths.forEach((p, i) => aggregator.addPath(p, ">", data.conversions[i], data.values[i], data.nulls[i]));
    const result = aggregator.result();
    for (const row of rows) {
      const id = result.channels.indexOf(row.Channel);
      expect(row.Conversions).toBe(result.credit.markov!.conversions[id]);
      expect(row["Removal effect"]).toBe(result.markov!.removalEffect[id]);
    }
    expect(rows.length).toBe(result.channels.length);
  });
});
