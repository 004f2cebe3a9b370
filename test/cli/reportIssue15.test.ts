// `imc report` and the tables of issue 15: the runner's overrides (--<kind>-sheet, --columns
// kind.role=Header, --header-row kind:N) accept the new kinds, with kebab-case flag names for
// leadEvents; what was found is said on stderr. Only the Segmentation tab is built.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeWorkbookFile } from "../support/workbooks";
import { memoryIo } from "../../src/cli/io";
import { main } from "../../src/cli/main";
import { generateSampleBusiness, sampleTable } from "../../src/sample/business";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "imc-issue15-"));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function write(file: string, sheets: Record<string, unknown[][]>): Promise<string> {
  return writeWorkbookFile(dir, file, sheets);
}

describe("imc report with the tables of issue 15", () => {
  it("takes --survey-sheet, --lead-events-sheet, --columns and --header-row for the new kinds, and says what it read", async () => {
    const orders = sampleTable(generateSampleBusiness({ customers: 200, seed: 3 }), "Orders");
    await write("book.xlsx", {
      Orders: [orders.headers as unknown[], ...orders.rows.map((row) => [...row])],
      Sheet2: [["Client", "Q7 (0-10)"], ["C00001", 9], ["C00002", 3]],
      Sheet3: [["Activity export"], ["Lead #", "When", "What"], ["L1", 45300, "Webinar"], ["L2", 45301, "Demo request"]],
    });
    const run = memoryIo({ cwd: dir, progress: true });
    const code = await main(
      ["report", "book.xlsx", "--out", "out.xlsx", "--tabs", "segmentation", "--no-html", "--survey-sheet", "Sheet2", "--lead-events-sheet", "Sheet3", "--columns", "survey.score=Q7 (0-10),lead-events.event-date=When,lead-events.event=What", "--header-row", "lead-events:2"],
      run.io,
    );
    expect(run.stderr()).toContain('survey: sheet "Sheet2", headers in row 1: read Client as the customer id and Q7 (0-10) as the score (0–10)');
    expect(run.stderr()).toContain('lead-events: sheet "Sheet3", headers in row 2 (given): read Lead # as the lead id, When as the event date and What as the event');
    // The optional tables are named only when found: no "leads: not found" line.
    expect(run.stderr()).not.toMatch(/^leads: not found/m);
    expect(run.stderr()).toMatch(/^spend: not found/m);
    expect(code).toBe(0);
  });

  it("refuses an unknown table or role in --columns and --header-row, listing the kinds by their flag names", async () => {
    await write("small.xlsx", { Orders: [["customer_id", "order_date", "order_value"], ["C1", 45300, 10]] });
    for (const args of [["--columns", "leadevents.nope=X"], ["--columns", "nope.score=X"], ["--header-row", "nope:2"]]) {
      const run = memoryIo({ cwd: dir });
      expect(await main(["report", "small.xlsx", ...args], run.io), args.join(" ")).toBe(2);
      expect(run.stderr(), args.join(" ")).toMatch(/tables: orders, customers, touchpoints, campaigns, spend, leads, lead-events, survey, referrals, experiments, stages/);
    }
  });
});
