// Path tokenising of the aggregator, against a reference split: the path is cut at every separator,
// each piece trimmed of spaces, tabs, CR, LF and no-break spaces, empty pieces dropped. The fast
// path (a known name guessed from its first two characters and compared with the text) and the
// hashing path must give the same channel ids as that reference, fed through addJourney, to the bit.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ATTRIBUTION_MODELS, JourneyAggregator, type AttributionResult } from "../../../src/engine/attribution";
import { NameTable } from "../../../src/engine/attribution/intTables";

const BLANKS = new Set([" ", "\t", "\r", "\n", "\u00a0"]);

function referenceTrim(piece: string): string {
  let a = 0;
  let b = piece.length;
  while (a < b && BLANKS.has(piece[a])) a++;
  while (b > a && BLANKS.has(piece[b - 1])) b--;
  return piece.slice(a, b);
}

function referenceTokens(path: string, separator: string): string[] {
  return path
    .split(separator)
    .map(referenceTrim)
    .filter((token) => token.length > 0);
}

type Row = [path: string, conversions: number, value: number, nulls: number];

/** Feeds rows with addPath (optionally after naming channels with channelId first). */
function byPath(rows: Row[], separator: string, preset: string[] = []): AttributionResult {
  const aggregator = new JourneyAggregator({ markovOrder: 2 });
  for (const name of preset) aggregator.channelId(name);
  for (const [path, conversions, value, nulls] of rows) aggregator.addPath(path, separator, conversions, value, nulls);
  return aggregator.result();
}

/** Feeds the same rows as reference tokens through channelId + addJourney. */
function byReference(rows: Row[], separator: string, preset: string[] = []): AttributionResult {
  const aggregator = new JourneyAggregator({ markovOrder: 2 });
  for (const name of preset) aggregator.channelId(name);
  for (const [path, conversions, value, nulls] of rows) {
    const ids = referenceTokens(path, separator).map((token) => aggregator.channelId(token));
    aggregator.addJourney(ids, ids.length, conversions, value, nulls);
  }
  return aggregator.result();
}

function expectSame(rows: Row[], separator: string, preset: string[] = []): AttributionResult {
  const actual = byPath(rows, separator, preset);
  const expected = byReference(rows, separator, preset);
  expect(actual.channels).toEqual(expected.channels);
  for (const model of ATTRIBUTION_MODELS) {
    expect(Array.from(actual.credit[model]!.conversions)).toEqual(Array.from(expected.credit[model]!.conversions));
    expect(Array.from(actual.credit[model]!.value)).toEqual(Array.from(expected.credit[model]!.value));
  }
  return actual;
}

describe("tokenising edge cases (same ids as the reference split)", () => {
  it("spaces, tabs and no-break spaces around names; inner spaces kept", () => {
    const result = expectSame(
      [
        ["  Paid Search\t>\u00a0Email  >Direct", 1, 10, 0],
        ["Email>Paid Search>Direct ", 2, 4, 1],
        ["Paid  Search > Email", 1, 0, 0],
      ],
      ">",
    );
    expect(result.channels).toEqual(["Paid Search", "Email", "Direct", "Paid  Search"]);
  });

  it("empty tokens, leading and trailing separators, a path of one character", () => {
    const result = expectSame(
      [
        [">A>>B>", 1, 1, 0],
        [" > A > > B > ", 1, 2, 1],
        ["A", 1, 0, 0],
        ["B>", 1, 3, 0],
      ],
      ">",
    );
    expect(result.channels).toEqual(["A", "B"]);
  });

  it("a name that is a prefix of another, and names sharing their first two characters", () => {
    const result = expectSame(
      [
        ["Push > Push Notification > Pushy > Pu > P", 1, 5, 0],
        ["Push Notification > Push > P > Pu > Pushy", 1, 5, 1],
        ["Direct > Display > Dip > Dig > Dim > Dish > Direct", 1, 0, 0],
        ["Dish > Dim > Dig > Dip > Display > Direct", 2, 7, 2],
      ],
      ">",
    );
    expect(result.channels).toEqual(["Push", "Push Notification", "Pushy", "Pu", "P", "Direct", "Display", "Dip", "Dig", "Dim", "Dish"]);
  });

  it("unicode names (accents, CJK, a surrogate pair) and a unicode separator", () => {
    expectSame(
      [
        ["Émail > 検索 > 😀 Social > Émail", 1, 3, 0],
        ["😀 Social>検索>Émailing", 1, 2, 1],
      ],
      ">",
    );
    const result = expectSame([["A → B →C→ 検索", 1, 1, 0]], "→");
    expect(result.channels).toEqual(["A", "B", "C", "検索"]);
  });

  it("a one-character separator that is a space, and names of one character", () => {
    const result = expectSame(
      [
        ["a b  c a", 1, 1, 0],
        [" c b a ", 1, 0, 2],
      ],
      " ",
    );
    expect(result.channels).toEqual(["a", "b", "c"]);
  });

  it("names given by channelId that hold the separator or blanks at their ends are not matched by paths", () => {
    // "AB>C" (holds the separator) and "A " (trailing blank) can only be named through channelId;
    // path text is still split at > and trimmed, so it yields AB, C and A.
    const result = expectSame([["AB>C > A ", 1, 1, 0]], ">", ["AB>C", "A ", " B"]);
    expect(result.channels).toEqual(["AB>C", "A ", " B", "AB", "C", "A"]);
  });

  it("the separator may change between rows", () => {
    const aggregator = new JourneyAggregator({ models: ["linear", "first"] });
    aggregator.addPath("a>b | c", "|", 1, 0, 0);
    aggregator.addPath("a>b | c", ">", 1, 0, 0);
    aggregator.addPath("a>b | c", "|", 1, 0, 0);
    const result = aggregator.result();
    expect(result.channels).toEqual(["a>b", "c", "a", "b | c"]);
    expect(Array.from(result.credit.linear!.conversions)).toEqual([1, 1, 0.5, 0.5]);
  });

  it("addPathRange reads only its slice: names are not matched across the end of the range", () => {
    const aggregator = new JourneyAggregator({ models: ["first", "last"] });
    aggregator.addPath("Search > Email", ">", 1, 0, 0);
    const line = "Email > Sea;Search;1";
    aggregator.addPathRange(line, 0, line.indexOf(";"), ">", 1, 0, 0);
    expect(aggregator.result().channels).toEqual(["Search", "Email", "Sea"]);
  });

  it("random paths over awkward names, blanks and separators match the reference split", () => {
    const pieces = ["A", "AB", "A B", "Ab", "B", "Push", "Push Notification", "É", "检", "😀", " ", "\t", "\u00a0", ">", ">", "|"];
    const row = fc.tuple(
      fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 12 }).map((parts) => parts.join("")),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 2 }),
    );
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 12 }), fc.constantFrom(">", "|", " "), (raw, separator) => {
        const rows: Row[] = raw
          .filter(([path]) => referenceTokens(path, separator).length > 0)
          .map(([path, conversions, nulls]) => [path, conversions, conversions * 2.5, nulls]);
        if (!rows.some(([, conversions]) => conversions > 0)) rows.push(["A", 1, 0, 0]);
        expectSame(rows, separator);
      }),
      { numRuns: 200 },
    );
  });
});

describe("NameTable.matchAt", () => {
  it("finds a known name filling the token, else −1; matchEnd is the separator's index", () => {
    const table = new NameTable();
    const push = table.idOf("Push");
    table.idOf("Push Notification");
    const text = "Push  > Push Notification>Pushy";
    expect(table.matchAt(text, 0, text.length, 62)).toBe(push);
    expect(table.matchEnd).toBe(6);
    // "Push Notification" shares Push's lead slot; either it is matched or −1 is returned, never Push.
    const second = table.matchAt(text, 8, text.length, 62);
    expect([-1, 1]).toContain(second);
    expect(table.matchAt(text, 26, text.length, 62)).toBe(-1);
    expect(table.matchAt(text, 0, 3, 62)).toBe(-1);
  });
});
