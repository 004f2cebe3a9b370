// IMC.PATHS called exactly as Excel calls it: every argument a 2-D array (a single cell is [[v]]),
// omitted optional arguments as null, blanks as "" / null (web) or 0 (desktop). Expected values are
// worked out by hand in the comments; the real ChannelAttribution paths are checked against totals
// computed from the file independently of the engine.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";
import { sharedDir, sharedSkipMessage } from "../support/shared";

installCustomFunctionsStub();
let paths: typeof import("../../src/functions/journeys").paths;
beforeAll(async () => {
  ({ paths } = await import("../../src/functions/journeys"));
});

const col = (...values: unknown[]) => values.map((v) => [v]);
const N = null as any;

/** The rows of a section: from its header row (first cell `header`) to the next blank row. */
function section(rows: unknown[][], header: string): unknown[][] {
  const start = rows.findIndex((row) => row[0] === header);
  expect(start, `section ${header}`).toBeGreaterThanOrEqual(0);
  const out: unknown[][] = [];
  for (let r = start; r < rows.length && rows[r][0] !== ""; r++) out.push(rows[r]);
  return out;
}

describe("IMC.PATHS on a small example (hand-computed)", () => {
  // Rows: "Email > Search" 1 conv 10 value 3 nulls; "Search" 2 conv 30 value 2 nulls;
  // "Email>Search" (same path) 1 conv 5 value 1 null; "Display > Email > Search" 1 conv 20 value 0 nulls;
  // "Display" 0 conv 0 value 4 nulls.
  // Paths: Email > Search: J = 1+3+1+1 = 6, c = 2, rate 1/3, value 15.
  //        Search: J = 4, c = 2, rate 0.5, value 30.  Display: J = 4, c = 0.  Display > Email > Search: J = 1, c = 1.
  // Order by journeys then text: Email > Search (6), Display (4) < Search (4) by text, then Display > Email > Search (1).
  const args = () =>
    [
      col("Email > Search", "Search", "Email>Search", "Display > Email > Search", "Display"),
      col(1, 2, 1, 1, 0),
      col(10, 30, 5, 20, 0),
      col(3, 2, 1, 0, 4),
    ] as const;

  it("lists the top paths by journeys, ties by text, with rate and value", () => {
    const [p, c, v, n] = args();
    const rows = paths(p as any, c as any, v as any, n as any, N);
    expect(section(rows, "Path")).toEqual([
      ["Path", "Journeys", "Conversions", "Conversion rate", "Value"],
      ["Email > Search", 6, 2, 2 / 6, 15],
      ["Display", 4, 0, 0, 0],
      ["Search", 4, 2, 0.5, 30],
      ["Display > Email > Search", 1, 1, 1, 20],
    ]);
  });

  it("top limits the list; the blank row and the other sections follow at once", () => {
    const [p, c, v, n] = args();
    const rows = paths(p as any, c as any, v as any, n as any, [[2]]);
    expect(rows[1][0]).toBe("Email > Search");
    expect(rows[2][0]).toBe("Display");
    expect(rows[3]).toEqual(["", "", "", "", ""]);
    expect(rows[4][0]).toBe("Path length (touches)");
  });

  it("summarises path lengths 1 to 10+ (always ten rows)", () => {
    const [p, c, v, n] = args();
    const lengths = section(paths(p as any, c as any, v as any, n as any, N), "Path length (touches)");
    expect(lengths).toHaveLength(11);
    // 1 touch: Search (J 4, c 2, v 30) + Display (J 4, c 0) → J 8, c 2, rate 0.25, v 30.
    expect(lengths[1]).toEqual(["1 touch", 8, 2, 0.25, 30]);
    // 2 touches: Email > Search → J 6, c 2, v 15.
    expect(lengths[2]).toEqual(["2 touches", 6, 2, 2 / 6, 15]);
    // 3 touches: J 1, c 1, v 20.
    expect(lengths[3]).toEqual(["3 touches", 1, 1, 1, 20]);
    expect(lengths[4]).toEqual(["4 touches", 0, 0, "", 0]);
    expect(lengths[10][0]).toBe("10+ touches");
  });

  it("gives each channel's role in converting journeys (one-touch journeys count as first and last)", () => {
    const [p, c, v, n] = args();
    const roles = section(paths(p as any, c as any, v as any, n as any, N), "Channel");
    // Converting: Email > Search ×2, Search ×2, Display > Email > Search ×1; total 5 conversions.
    // First: Email 2, Search 2, Display 1. Last: Search 5. Assisting (middle touches): Email 1 of 1.
    // Touched: Search 5/5, Email 3/5, Display 1/5.
    expect(roles[0]).toEqual(["Channel", "First touch share", "Assisting touch share", "Last touch share", "Converting journeys touched"]);
    expect(roles.slice(1)).toEqual([
      ["Search", 2 / 5, 0, 1, 1],
      ["Email", 2 / 5, 1, 0, 3 / 5],
      ["Display", 1 / 5, 0, 0, 1 / 5],
    ]);
    for (const column of [1, 2, 3]) {
      const sum = roles.slice(1).reduce((s, row) => s + (row[column] as number), 0);
      expect(sum).toBeCloseTo(1, 12);
    }
  });

  it("without values the Value cells are blank; without nulls every journey converts", () => {
    const rows = paths(col("A > B", "B"), col(3, 1), N, N, N);
    expect(rows[1]).toEqual(["A > B", 3, 3, 1, ""]);
    expect(rows[2]).toEqual(["B", 1, 1, 1, ""]);
  });

  it("blank (web) and 0 (desktop) trailing rows are ignored", () => {
    const a = paths(col("A > B", "B", "", ""), col(3, 1, 0, 0), N, col(1, 1, null, null), N);
    const b = paths(col("A > B", "B"), col(3, 1), N, col(1, 1), N);
    expect(a).toEqual(b);
  });
});

describe("IMC.PATHS: bad input names the argument and the row", () => {
  it("a conversion that is not a number", () => {
    const error = excelErrorOf(() => paths(col("A", "B", "C"), col(1, "abc", 2), N, N, N));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toContain("conversions row 2");
  });

  it("a negative null", () => {
    const error = excelErrorOf(() => paths(col("A", "B"), col(1, 1), N, col(0, -1), N));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toContain("nulls row 2");
  });

  it("a value on a row without conversions", () => {
    const error = excelErrorOf(() => paths(col("A", "B"), col(1, 0), col(5, 7), N, N));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toContain("values row 2");
  });

  it("a path with no channel name", () => {
    const error = excelErrorOf(() => paths(col("A", " > ", "B"), col(1, 1, 1), N, N, N));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toContain("paths row 2");
  });

  it("ranges of different lengths", () => {
    const error = excelErrorOf(() => paths(col("A", "B", "C"), col(1, 1), N, N, N));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/conversions|paths/);
  });

  it("top that is not a whole number ≥ 1", () => {
    for (const top of [0, 2.5, -3]) {
      const error = excelErrorOf(() => paths(col("A"), col(1), N, N, [[top]]));
      expect(error.code).toBe("#VALUE!");
      expect(error.message).toContain("top");
    }
  });

  it("blank ranges give #N/A", () => {
    const error = excelErrorOf(() => paths(col("", ""), col("", ""), N, N, N));
    expect(error.code).toBe("#N/A");
  });
});

describe("IMC.PATHS reads Excel's columns in place and other shapes as before", () => {
  const rowsOf = (count: number) => {
    const p = Array.from({ length: count }, (_, i) => ["Email", "Search", "Display > Email", "Search > Search > Direct"][i % 4]);
    return { p, c: p.map((_, i) => i % 3), n: p.map((_, i) => 1 + (i % 2)) };
  };

  it("a column with more than 1,024 blank (or 0) rows after the data, as from A:A, equals the data alone", () => {
    const { p, c, n } = rowsOf(50);
    const alone = paths(col(...p), col(...c), N, col(...n), N);
    const blanks = Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? null : 0));
    expect(paths(col(...p, ...blanks), col(...c, ...blanks), N, col(...n, ...blanks), N)).toEqual(alone);
    // Blank rows both inside the last 1,024 rows and before them.
    expect(paths(col(...p, ...blanks.slice(0, 1000)), col(...c, ...blanks.slice(0, 1000)), N, col(...n, ...blanks.slice(0, 1000)), N)).toEqual(alone);
  });

  it("a row of cells reads like the same cells in a column", () => {
    const { p, c, n } = rowsOf(30);
    expect(paths([p], [c], N, [n], N)).toEqual(paths(col(...p), col(...c), N, col(...n), N));
  });

  it("ranges of different lengths name both arguments; a 2-column range is refused", () => {
    const error = excelErrorOf(() => paths(col("A", "B", "C"), col(1, 1), N, N, N));
    expect(error.message).toContain("paths has 3 rows but conversions has 2; row-aligned ranges must be the same size");
    const wide = excelErrorOf(() => paths([["A", "B"], ["C", "D"]], col(1, 1), N, N, N));
    expect(wide.message).toContain("paths: expected a single column or row, got 2 rows × 2 columns");
  });

  it("a bad number after 1,024 rows is still found before the paths are read", () => {
    const { p, c } = rowsOf(2000);
    p[3] = " > ";
    c[1500] = "abc" as unknown as number;
    expect(excelErrorOf(() => paths(col(...p), col(...c), N, N, N)).message).toContain("conversions row 1501");
  });
});

describe("IMC.PATHS on the ChannelAttribution example paths", () => {
  it("journeys = Σ conversions + Σ nulls; top paths and lengths match totals computed from the file", (ctx) => {
    const dir = sharedDir("data", "attribution");
    if (!dir) return ctx.skip(sharedSkipMessage("data", "attribution"));
    const lines = readFileSync(path.join(dir, "channelattribution_example_Data.csv"), "utf8").trim().split("\n").slice(1);
    const p: unknown[][] = [];
    const c: unknown[][] = [];
    const v: unknown[][] = [];
    const n: unknown[][] = [];
    // Independent oracle: plain string handling, a Map keyed by the canonical path text.
    const byPath = new Map<string, { journeys: number; conversions: number; value: number }>();
    const byLength = new Map<number, { journeys: number; conversions: number }>();
    let conversions = 0;
    let nulls = 0;
    for (const line of lines) {
      const [pathText, conv, value, nul] = line.split(";");
      p.push([pathText]);
      c.push([Number(conv)]);
      v.push([Number(value)]);
      n.push([Number(nul)]);
      conversions += Number(conv);
      nulls += Number(nul);
      const tokens = pathText.split(">").map((t) => t.trim()).filter((t) => t !== "");
      const key = tokens.join(" > ");
      const entry = byPath.get(key) ?? { journeys: 0, conversions: 0, value: 0 };
      entry.journeys += Number(conv) + Number(nul);
      entry.conversions += Number(conv);
      entry.value += Number(value);
      byPath.set(key, entry);
      const band = Math.min(tokens.length, 10);
      const l = byLength.get(band) ?? { journeys: 0, conversions: 0 };
      l.journeys += Number(conv) + Number(nul);
      l.conversions += Number(conv);
      byLength.set(band, l);
    }
    expect(conversions).toBe(19785);
    expect(nulls).toBe(68602);
    const rows = paths(p as any, c as any, v as any, n as any, [[5]]);
    const top = section(rows, "Path").slice(1);
    const expected = [...byPath.entries()].sort((a, b) => b[1].journeys - a[1].journeys || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
    expect(top.map((row) => row[0])).toEqual(expected.map(([key]) => key));
    top.forEach((row, i) => {
      expect(row[1]).toBe(expected[i][1].journeys);
      expect(row[2]).toBe(expected[i][1].conversions);
      expect(row[4] as number).toBeCloseTo(expected[i][1].value, 9);
    });
    const lengths = section(rows, "Path length (touches)").slice(1);
    const journeys = lengths.reduce((s, row) => s + (row[1] as number), 0);
    expect(journeys).toBe(conversions + nulls);
    lengths.forEach((row, i) => {
      expect(row[1]).toBe(byLength.get(i + 1)?.journeys ?? 0);
      expect(row[2]).toBe(byLength.get(i + 1)?.conversions ?? 0);
    });
    const roles = section(rows, "Channel").slice(1);
    expect(roles).toHaveLength(12);
    for (const column of [1, 2, 3]) expect(roles.reduce((s, row) => s + (row[column] as number), 0)).toBeCloseTo(1, 10);
    // First / last-touch share = first / last-touch attribution / total conversions (the reference heuristics file).
    const reference = readFileSync(path.join(dir, "reference", "example_heuristics_channelattribution.csv"), "utf8").trim().split("\n");
    const header = reference[0].split(/[;,]/);
    const channelColumn = header.findIndex((h) => /channel/i.test(h));
    const lastColumn = header.findIndex((h) => /last_touch_conversions/i.test(h));
    const firstColumn = header.findIndex((h) => /first_touch_conversions/i.test(h));
    if (channelColumn >= 0 && lastColumn >= 0 && firstColumn >= 0) {
      for (const line of reference.slice(1)) {
        const cells = line.split(/[;,]/);
        const row = roles.find((r) => r[0] === cells[channelColumn].replace(/"/g, ""));
        expect(row, cells[channelColumn]).toBeDefined();
        expect(row![3] as number).toBeCloseTo(Number(cells[lastColumn]) / conversions, 9);
        expect(row![1] as number).toBeCloseTo(Number(cells[firstColumn]) / conversions, 9);
      }
    } else {
      throw new Error(`unexpected reference header: ${reference[0]}`);
    }
  });
});
