/**
 * `imc clv orders.csv`: customer value from an order list — the table of IMC.CLV.PREDICT (or of
 * IMC.CLV.FIT with --fit-only), computed by the same engine calls in the same order, so the numbers
 * are identical to the workbook's.
 */

import { COUNTING_MODEL_LABELS } from "../../engine/clv/countingModels";
import { periodSchedule } from "../../engine/clv/discountedClv";
import { fitCustomerValue, predictCustomerValue } from "../../engine/clv/predict";
import { summarizeCustomers } from "../../engine/clv/summary";
import { optionDate, optionNumber } from "../../functions/arguments";
import { clvFitRows, clvPredictRows, modelOption, periodOption } from "../../functions/customerValue";
import { helpText, parseArgs, type CommandSpec } from "../args";
import type { CliIo } from "../io";
import { Progress } from "../progress";
import { clvFromCommand, FROM_FLAG } from "../duckdb/commands";
import { usageError, withErrorContext } from "../errors";
import type { Command } from "./index";
import { dateCell, ORDER_COLUMN_FLAGS, OUTPUT_FLAGS, optionRange, READING_FLAGS, readOrdersFile, refuseHeaderRowWithFrom, spendFitNote, writeTable } from "./shared";

const SPEC: CommandSpec = {
  command: "clv",
  positionals: [{ name: "orders.csv", description: "Order list: one row per order with customer id, order date and order value.", required: false }],
  flags: [
    {
      name: "model",
      kind: "value",
      valueName: "bgnbd|mbgnbd|pareto|auto",
      description: "Purchase model: bgnbd (BG/NBD, default), mbgnbd (MBG/NBD), pareto (Pareto/NBD) or auto (the best of the three by log-likelihood).",
    },
    { name: "period", kind: "value", valueName: "day|week|month", description: "Time unit of frequency, recency, T and the horizon (default week)." },
    { name: "horizon", kind: "value", valueName: "N", description: "Horizon in periods (default 52)." },
    { name: "discount", kind: "value", valueName: "R", description: "Yearly discount rate (default 0.1 for 10%)." },
    { name: "as-of", kind: "value", valueName: "yyyy-mm-dd", description: "End of the observation; later orders are left out (default: the last order date)." },
    { name: "fit-only", kind: "boolean", description: "Show the fitted model parameters (IMC.CLV.FIT) instead of per-customer predictions." },
    ...ORDER_COLUMN_FLAGS,
    ...READING_FLAGS,
    ...OUTPUT_FLAGS,
    FROM_FLAG,
  ],
};

const SUMMARY = "Customer lifetime value per customer (BG/NBD, MBG/NBD or Pareto/NBD + Gamma-Gamma), as IMC.CLV.PREDICT.";

const DETAILS = `The file is read as imc report reads a sheet. Its header may sit below title and blank lines
(--header-row N gives its line); columns are found by their header (any case; spaces, underscores
and a currency such as "Amount (EUR)" ignored), or by --id-column, --date-column, --value-column:
  customer id   customer_id, customer, client, account, buyer, email…
  order date    order_date, date, purchase date, invoice date, created at…
  order value   order_value, value, amount, revenue, sales, total…
(and from their content when the headers name none of them). Blank lines inside the data are
skipped and a last "Total" row is left out, both counted on stderr. Dates: ISO text (2024-01-31),
day-first or month-first text read as the column shows (31/01/2023, 01.02.2023; --date-order
dmy|mdy when no date shows it), yyyymmdd numbers (20230131) and month names (1-Jan-2023,
Jan 1, 2023). Values: numbers, or money text with a currency and thousands separators ($1,234.50,
1.234,50 €; --decimal . or , when no amount shows its mark); quantity and unit price columns are
summed into orders (invoice lines). What was read that way is said on stderr; a cell that cannot
be read stops the run naming the file's row (its line) and column. A clean file's numbers are those
of the engine on its cells. Orders on one day are one purchase; refunds (negative values) are
allowed. Output: Customer, Frequency, Recency, T, Average value, P(alive), Expected purchases,
Expected average value, CLV — one row per customer in order of first appearance. The whole file
is read into memory.

With --from FILES (Parquet or CSV; one file or glob, its name kept whole) instead of orders.csv,
DuckDB summarises files of any size out of core; the fit runs on the distinct (frequency, recency, T)
triples and the table is written to --out as Parquet (.parquet) or CSV, customers in no particular
order. Files are read as imc report reads a sheet: a CSV file's delimiter and header line are found
(title and blank lines above it passed over) and total rows at its end are left out and counted on
stderr. Ids are trimmed. A date column written as text is read as ISO text, Excel serials, month
names (1-Jan-2022, Jan 1, 2022), yyyymmdd numbers (when every value is one) or day/month text
(31/01/2023) in the order the column shows (--date-order dmy|mdy when no value shows it). Order
values are read as number text (80% is 0.8, refunds allowed) or money text ($1,234.50, 1.234,50 €,
(12.00)) by the column's decimal mark (--decimal . or , when no value shows it). A blank id, date or
value, or a date or value that cannot be read, stops the run naming its row. --header-row is for
orders.csv.

Examples:
  imc clv orders.csv --horizon 12 --period month --out clv.csv
  imc clv --from 'orders/*.parquet' --as-of 2025-06-30 --out clv.parquet`;

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.help) {
    io.stdout(clvCommand.help);
    return 0;
  }
  if (args.values.from !== undefined) {
    refuseHeaderRowWithFrom(args, "imc clv orders.csv");
    return clvFromCommand(args, io);
  }
  const file = args.positionals["orders.csv"];
  if (file === undefined) throw usageError("imc clv needs orders.csv (or --from FILES); see imc clv --help");
  const orders = await readOrdersFile(io, file, args, { model: "--model", period: "--period", horizon: "--horizon", annual_discount_rate: "--discount", as_of: "--as-of" });
  const progress = new Progress(io, "clv");
  const rows = await withErrorContext(orders.context, () => {
    const modelName = modelOption(optionRange(args.values.model));
    const periodUnit = periodOption(optionRange(args.values.period));
    const asOf = optionDate(optionRange(args.values["as-of"]), "as_of");
    const horizonPeriods = optionNumber(optionRange(args.values.horizon), "horizon") ?? 52;
    const annualRate = optionNumber(optionRange(args.values.discount), "annual_discount_rate") ?? 0.1;
    const fitOnly = args.booleans.has("fit-only");
    const schedule = fitOnly ? null : periodSchedule(horizonPeriods, annualRate, periodUnit);
    const transactions = orders.transactions();
    const summary = summarizeCustomers(transactions, { asOf, periodUnit });
    const modelText = modelName === "auto" ? "BG/NBD, MBG/NBD and Pareto/NBD (keeping the best)" : COUNTING_MODEL_LABELS[modelName];
    progress.stage(`clv: fitting ${modelText} + Gamma-Gamma to ${summary.customerIds.length.toLocaleString("en-US")} customers…`);
    const fit = fitCustomerValue(summary, modelName);
    // The as-of date as yyyy-mm-dd text; ids as they are in the file.
    if (schedule === null) return clvFitRows(summary, fit, dateCell);
    const predicted = clvPredictRows(summary, predictCustomerValue(summary, fit, schedule), (id) => id);
    const note = spendFitNote(fit);
    if (note !== null) io.stderr(note);
    return predicted;
  });
  writeTable(rows, args, io);
  return 0;
}

export const clvCommand: Command = { name: "clv", summary: SUMMARY, help: helpText(SPEC, SUMMARY, DETAILS), run };
