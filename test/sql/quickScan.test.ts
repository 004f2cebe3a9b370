/**
 * The `--from` route's first scan (quickScanSql) tells padded and blank ids without a regular
 * expression per row: checked here, id by id in DuckDB, against the regular expressions it replaced
 * (RE2's \s and the no-break space at either end, or empty; blank = only such characters). A control
 * character other than those may also count as padded (then the ids are trimmed, which leaves it as
 * it is); a padded id must never be missed.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDuckDb, type DuckDb } from "../../src/cli/duckdb/connection";
import { quickScanOf, quickScanSql } from "../../src/cli/duckdb/dateReading";

let db: DuckDb | null = null;
beforeAll(async () => {
  db = await openDuckDb();
});
afterAll(() => db?.close());

const SPACES = ["\t", "\n", "\f", "\r", " ", "\u00a0"];
const IDS = [
  "C1",
  "abc",
  "a b",
  "a\u00a0b",
  "",
  "\u00e9t\u00e9",
  "!x",
  "~",
  ...SPACES.flatMap((space) => [`${space}C1`, `C1${space}`, space, `${space}${space}`, `${space}x${space}`]),
  "\u000bC1",
];

/** The old regular expressions, as the truth. */
const PADDED = /^[\t\n\f\r \u00a0]|[\t\n\f\r \u00a0]$/;
const BLANK = /^[\t\n\f\r \u00a0]*$/;

const sqlText = (text: string): string => `'${text.replace(/'/g, "''")}'`;

describe("the first scan of --from ids", () => {
  it.each(IDS.map((id) => [JSON.stringify(id), id]))("tells whether %s is padded or blank", async (_name, id) => {
    const raw = `(SELECT ${sqlText(id)} AS id, DATE '2024-01-01' AS d)`;
    const found = quickScanOf((await db!.rows(quickScanSql(raw, "id", "d", false))).rows[0]);
    const controlStart = id !== "" && id.charCodeAt(0) <= 0x20;
    if (PADDED.test(id) || id === "") expect(found.idsPadded).toBe(true);
    else if (!controlStart) expect(found.idsPadded).toBe(false);
    expect(found.blankId).toBe(BLANK.test(id));
    expect(found.blankTime).toBe(false);
  });

  it("finds a blank date beside an id, and a NULL id, among many rows", async () => {
    const raw = "(SELECT CASE WHEN i = 77 THEN NULL ELSE 'C' || i END AS id, CASE WHEN i = 5 THEN NULL ELSE DATE '2024-01-01' END AS d FROM range(1000) t(i))";
    const found = quickScanOf((await db!.rows(quickScanSql(raw, "id", "d", false))).rows[0]);
    expect(found).toEqual({ idsPadded: false, blankId: true, blankTime: true, plain: false, dropped: 0, checks: [] });
  });
});
