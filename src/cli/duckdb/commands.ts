/**
 * The `--from FILES` hooks of `imc clv` and `imc attribute`: the options are read as the commands read
 * them (same checks and messages), then the DuckDB route runs (clvFrom.ts, attributeFrom.ts) and the
 * result is written as the commands write theirs.
 */

import { DEFAULT_HALF_LIFE_DAYS, DEFAULT_LOOKBACK_DAYS } from "../../engine/attribution";
import { periodSchedule } from "../../engine/clv/discountedClv";
import { optionDate, optionNumber } from "../../functions/arguments";
import { modelRequest, positiveOption } from "../../functions/attribution";
import { clvFitRows, modelOption, periodOption } from "../../functions/customerValue";
import type { FlagSpec, ParsedArgs } from "../args";
import { usageError, withErrorContext, type ErrorContext } from "../errors";
import type { CliIo } from "../io";
import { dateCell, optionRange, readingOptions, resolvePath, spendFitNote, writeTable } from "../commands/shared";
import { attributeFromFiles } from "./attributeFrom";
import { clvFromFiles } from "./clvFrom";

/** --from, on imc clv and imc attribute. */
export const FROM_FLAG: FlagSpec = {
  name: "from",
  kind: "value",
  valueName: "FILES",
  description:
    "Parquet or CSV file(s) of any size, summarised by DuckDB out of core instead of read into memory: one file or one glob ('orders/*.parquet'), its name kept whole (commas included). Read as imc report reads a sheet: a CSV file's delimiter and header line are found (title and blank lines above it passed over), trailing Total rows left out and counted; dates as ISO text, Excel serials, day/month text, yyyymmdd numbers or month names (1-Jan-2022); amounts as numbers or money text ($1,234.50, 1.234,50 €, (12.00)) by the column's decimal mark.",
};

/**
 * The one --from file or glob of imc clv and imc attribute, as given (a comma is part of the name).
 *
 * @throws CliError (usage) when --from is given more than once: the last one would win and the
 *   other files would be left out without a word.
 */
export function fromOption(args: ParsedArgs): string {
  const given = args.given.from ?? [];
  if (given.length > 1) {
    throw usageError(`--from takes one file or glob, given ${given.length} times (${given.map((name) => `"${name}"`).join(", ")}); put the files in one folder and give a glob such as 'orders/*.parquet'`);
  }
  return args.values.from!;
}

/**
 * `imc clv --from FILES`: the fit table (--fit-only) on stdout/--out, or the per-customer table
 * written by DuckDB to --out (Parquet or CSV), with a line on stderr saying how many.
 */
export async function clvFromCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const display = fromOption(args);
  const context: ErrorContext = {
    file: display,
    flags: { model: "--model", period: "--period", horizon: "--horizon", annual_discount_rate: "--discount", as_of: "--as-of" },
  };
  return withErrorContext(context, async () => {
    const model = modelOption(optionRange(args.values.model));
    const periodUnit = periodOption(optionRange(args.values.period));
    const asOf = optionDate(optionRange(args.values["as-of"]), "as_of");
    const horizon = optionNumber(optionRange(args.values.horizon), "horizon") ?? 52;
    const rate = optionNumber(optionRange(args.values.discount), "annual_discount_rate") ?? 0.1;
    const fitOnly = args.booleans.has("fit-only");
    const out = args.values.out;
    const result = await clvFromFiles(
      {
        display,
        pattern: resolvePath(io, display),
        overrides: { customer: args.values["id-column"], date: args.values["date-column"], value: args.values["value-column"] },
        ...readingOptions(args.values),
        model,
        periodUnit,
        asOf,
        schedule: fitOnly ? null : periodSchedule(horizon, rate, periodUnit),
        out: fitOnly || out === undefined || out === "-" ? null : resolvePath(io, out),
      },
      io,
    );
    if (fitOnly) {
      writeTable(clvFitRows(result.summary, result.fit, dateCell), args, io);
    } else {
      io.stderr(`imc clv: ${result.customersWritten.toLocaleString("en-US")} customers written to ${out} (fit on ${result.triples.toLocaleString("en-US")} distinct triples)\n`);
      const note = spendFitNote(result.fit);
      if (note !== null) io.stderr(note);
    }
    return 0;
  });
}

/** `imc attribute --from FILES`: a touchpoint log of any size, its journeys grouped by DuckDB. */
export async function attributeFromCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const display = fromOption(args);
  const context: ErrorContext = {
    file: display,
    flags: { model: "--model", lookback_days: "--lookback-days", half_life_days: "--half-life-days", order: "--model" },
  };
  return withErrorContext(context, async () => {
    const request = modelRequest(optionRange(args.values.model));
    const lookbackDays = positiveOption(optionRange(args.values["lookback-days"]), "lookback_days", DEFAULT_LOOKBACK_DAYS, "days");
    const halfLifeDays = positiveOption(optionRange(args.values["half-life-days"]), "half_life_days", DEFAULT_HALF_LIFE_DAYS, "days");
    const rows = await attributeFromFiles(
      {
        display,
        pattern: resolvePath(io, display),
        overrides: {
          customer: args.values["id-column"],
          timestamp: args.values["time-column"],
          channel: args.values["channel-column"],
          conversion: args.values["conversion-column"],
        },
        ...readingOptions(args.values),
        request,
        lookbackDays,
        halfLifeDays,
      },
      io,
    );
    writeTable(rows, args, io);
    return 0;
  });
}
