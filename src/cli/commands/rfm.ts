/**
 * `imc rfm orders.csv`: recency, frequency and monetary scores with named segments per customer —
 * the table of IMC.RFM, computed by the same engine call.
 */

import { rfmScores } from "../../engine/segmentation";
import { optionChoice, optionDate } from "../../functions/arguments";
import { rfmRows } from "../../functions/segments";
import { helpText, parseArgs, type CommandSpec } from "../args";
import { withErrorContext } from "../errors";
import type { CliIo } from "../io";
import type { Command } from "./index";
import { ORDER_COLUMN_FLAGS, OUTPUT_FLAGS, optionRange, READING_FLAGS, readOrdersFile, writeTable } from "./shared";

const SPEC: CommandSpec = {
  command: "rfm",
  positionals: [{ name: "orders.csv", description: "Order list: one row per order with customer id, order date and order value." }],
  flags: [
    { name: "as-of", kind: "value", valueName: "yyyy-mm-dd", description: "Date to measure recency from (default: the last order date); later orders are left out." },
    { name: "scheme", kind: "value", valueName: "sum|mean", description: "Monetary as total spend (sum, default) or average order value (mean)." },
    ...ORDER_COLUMN_FLAGS,
    ...READING_FLAGS,
    ...OUTPUT_FLAGS,
  ],
};

const SUMMARY = "RFM scores (1-5) and segments (Champions, Loyal, At Risk…) per customer, as IMC.RFM.";

const DETAILS = `The file is read as for imc clv, as imc report reads a sheet: the header found below title and
blank lines (--header-row N), columns by their header (customer_id, order_date, order_value and
their synonyms, or --id-column, --date-column, --value-column), blank lines skipped and a last
"Total" row left out (counted on stderr), dates as ISO, day-first or month-first text (as the
column shows; --date-order dmy|mdy), yyyymmdd numbers or month names, values as numbers or money
text ($1,234.50, 1.234,50 €; --decimal when the column cannot say). A cell that cannot be read
stops the run naming the file's row and column. Output: Customer, Recency (days), Frequency,
Monetary, R, F, M, RFM, Segment — one row per customer in order of first appearance. The whole file
is read into memory.

Example:
  imc rfm orders.csv --as-of 2024-12-31 --format json`;

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.help) {
    io.stdout(rfmCommand.help);
    return 0;
  }
  const file = args.positionals["orders.csv"];
  const orders = await readOrdersFile(io, file, args, { as_of: "--as-of", scheme: "--scheme" });
  const rows = await withErrorContext(orders.context, () => {
    const asOf = optionDate(optionRange(args.values["as-of"]), "as_of");
    const monetary = optionChoice(optionRange(args.values.scheme), "scheme", ["sum", "mean"] as const) ?? "sum";
    const transactions = orders.transactions();
    // Ids as the file's text (IMC.RFM gives number ids back as numbers).
    return rfmRows(rfmScores(transactions, { asOf, monetary }), monetary);
  });
  writeTable(rows, args, io);
  return 0;
}

export const rfmCommand: Command = { name: "rfm", summary: SUMMARY, help: helpText(SPEC, SUMMARY, DETAILS), run };
