/**
 * `imc clv` says so on standard error when it writes per-customer values from a Gamma-Gamma spend fit
 * that did not converge (customers spend much alike), in memory and on `--from`; the per-customer
 * table itself cannot show it, only `--fit-only`'s "Converged (Gamma-Gamma)" row does.
 */

import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatSerial } from "../../src/engine/data/dates";
import { csvRows, runImcIn, writeCsv, scratchFolder } from "../sql/engines";

const scratch = scratchFolder("imc-spend-note-");

/** Orders of 600 customers over a year, drawn as the Pareto/NBD story goes; repeat values `value(customer, k)`. */
function orders(value: (customer: number, k: number) => number): (string | number)[][] {
  const rows: (string | number)[][] = [];
  let state = 12345;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) + 1) / 2147483649;
  const start = 44927; // 2023-01-01
  for (let c = 0; c < 600; c++) {
    const first = start + Math.floor(random() * 120);
    const rate = -Math.log(random()) / 25;
    const end = Math.min(start + 364, first + -Math.log(random()) * 150);
    rows.push([`C${c}`, formatSerial(first), 100]);
    let time = first;
    for (let k = 1; ; k++) {
      time += -Math.log(random()) / rate;
      if (time > end) break;
      rows.push([`C${c}`, formatSerial(Math.floor(time)), value(c, k)]);
    }
  }
  return rows;
}

const NOTE = "the spend model (Gamma-Gamma) did not converge";
const HEADER = ["customer_id", "order_date", "order_value"];
const TIMEOUT = 120_000;

describe("imc clv with a spend fit that does not converge", () => {
  it("writes the table and says so, in memory and on --from; says nothing when the fit converges", async () => {
    writeCsv(path.join(scratch.path, "alike.csv"), HEADER, orders((c) => 100 + ((c * 7919) % 13) * 0.01));
    writeCsv(path.join(scratch.path, "varied.csv"), HEADER, orders((c, k) => (10 + ((c * 7919) % 101) * 2) * (0.6 + ((c * 31 + k * 17) % 9) * 0.1)));
    const common = ["--as-of", "2023-12-31", "--model", "bgnbd"];
    const fit = await runImcIn(scratch.path, ["clv", "alike.csv", ...common, "--fit-only"]);
    expect(fit.code, fit.stderr).toBe(0);
    expect(csvRows(fit.stdout).find((row) => row[0] === "Converged (Gamma-Gamma)")?.[1]).toBe("FALSE");
    const memory = await runImcIn(scratch.path, ["clv", "alike.csv", ...common, "--out", "alike-clv.csv"]);
    expect(memory.code, memory.stderr).toBe(0);
    expect(memory.stderr).toContain(NOTE);
    const duck = await runImcIn(scratch.path, ["clv", "--from", "alike.csv", ...common, "--out", "alike-duck.csv"]);
    expect(duck.code, duck.stderr).toBe(0);
    expect(duck.stderr).toContain(NOTE);
    for (const args of [["varied.csv"], ["--from", "varied.csv"]]) {
      const run = await runImcIn(scratch.path, ["clv", ...args, ...common, "--out", "varied-clv.csv"]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toContain(NOTE);
    }
  }, TIMEOUT);
});
