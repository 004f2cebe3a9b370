/**
 * `imc clv orders.csv` on customers alike in their drop-out (simulated BG/NBD with a = 50, b = 150,
 * 400 customers): the purchase model's maximum is its common-drop-out limit, and the runner writes the
 * per-customer predictions (it failed with "the hypergeometric series did not converge"), in memory
 * and on `--from`; `--fit-only` shows the fit at its limit.
 */

import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commonDropoutOrders } from "../engine/clv/commonDropoutData";
import { csvRows, runImcIn, scratchFolder, writeCsv } from "../sql/engines";

const scratch = scratchFolder("imc-common-dropout-");
const HEADER = ["customer_id", "order_date", "order_value"];
const TIMEOUT = 120_000;

describe("imc clv when the fit reaches the common-drop-out limit", () => {
  it("writes a finite prediction for every customer, with the default and the automatic model, in memory and on --from", async () => {
    writeCsv(path.join(scratch.path, "orders.csv"), HEADER, commonDropoutOrders(50, 150, 400, 2));
    const fit = await runImcIn(scratch.path, ["clv", "orders.csv", "--as-of", "2024-06-30", "--fit-only"]);
    expect(fit.code, fit.stderr).toBe(0);
    const fitRows = csvRows(fit.stdout);
    expect(fitRows.find((row) => row[0] === "Converged (BG/NBD)")?.[1]).toBe("TRUE");
    expect(fitRows.find((row) => row[0] === "At its limit (BG/NBD)")?.[1]).toMatch(/^a and b are unbounded/);
    for (const args of [["orders.csv"], ["orders.csv", "--model", "auto"], ["--from", "orders.csv"]]) {
      const out = path.join(scratch.path, "predictions.csv");
      rmSync(out, { force: true });
      const run = await runImcIn(scratch.path, ["clv", ...args, "--as-of", "2024-06-30", "--out", "predictions.csv"]);
      expect(run.code, run.stderr).toBe(0);
      const rows = csvRows(readFileSync(out, "utf8"));
      expect(rows.length, args.join(" ")).toBe(401);
      for (const row of rows.slice(1)) {
        for (const cell of row.slice(1)) expect(Number.isFinite(Number(cell)), `${args.join(" ")}: ${row.join(",")}`).toBe(true);
      }
    }
  }, TIMEOUT);
});
