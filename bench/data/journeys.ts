/**
 * Seeded synthetic journeys for the attribution and `imc attribute` benchmarks (deterministic).
 *
 * 10 channels with Zipf-like popularity (weight 1/rank), 1–15 touches (uniform), the previous channel
 * repeated 30% of the time, about 3% converting (value 10–200, in cents), the rest one null.
 */
import { closeSync, openSync, writeSync } from "node:fs";

/** The channels, most popular first. */
export const CHANNELS = ["Email", "Search", "Direct", "Social", "Display", "Affiliate", "Video", "Referral", "Push", "SMS"];

/** mulberry32: a small seeded generator, uniform in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One journey: its path ("Email > Search"), conversions (0 or 1), value, nulls (1 when not converting). */
export interface Journey {
  path: string;
  conversions: number;
  value: number;
  nulls: number;
}

/** Deterministic journey source: call the returned function for one journey at a time. */
export function journeySource(seed: number): () => Journey {
  const random = seededRandom(seed);
  const weights = CHANNELS.map((_, rank) => 1 / (rank + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  const cdf = weights.map((w) => (cumulative += w / total));
  const pick = () => {
    const u = random();
    let i = 0;
    while (i < cdf.length - 1 && cdf[i] < u) i++;
    return i;
  };
  const touches: string[] = [];
  return () => {
    const length = 1 + Math.floor(random() * 15);
    touches.length = 0;
    let previous = pick();
    for (let i = 0; i < length; i++) {
      const channel = i > 0 && random() < 0.3 ? previous : pick();
      touches.push(CHANNELS[channel]);
      previous = channel;
    }
    const converts = random() < 0.03;
    return {
      path: touches.join(" > "),
      conversions: converts ? 1 : 0,
      value: converts ? Math.round((10 + random() * 190) * 100) / 100 : 0,
      nulls: converts ? 0 : 1,
    };
  };
}

/**
 * Writes `rows` journeys of {@link journeySource}(seed) to `file` as path, conversions, value, nulls
 * (with a header), in 1 MB writes so that the generator's memory stays small.
 *
 * @param delimiter the field separator: "," for a plain CSV, ";" for the streaming parsers of attribution.bench.ts.
 */
export function writeJourneyCsv(file: string, rows: number, seed: number, delimiter: string): void {
  const next = journeySource(seed);
  const fd = openSync(file, "w");
  try {
    writeSync(fd, ["path", "conversions", "value", "nulls"].join(delimiter) + "\n");
    let chunk = "";
    for (let i = 0; i < rows; i++) {
      const j = next();
      chunk += `${j.path}${delimiter}${j.conversions}${delimiter}${j.value}${delimiter}${j.nulls}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = "";
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}
