/**
 * `imc attribute file.csv`: multi-touch attribution from a CSV file — the table of IMC.ATTRIBUTE
 * (journey paths) or IMC.ATTRIBUTE.EVENTS (a touchpoint log), whichever the header shows.
 *
 * Path data is streamed: the file is read in 1 MB chunks and each path goes from the chunk text
 * straight into the engine's one-pass {@link JourneyAggregator} (addPathRange), so memory does not
 * grow with the number of rows — 5,000,000 journeys stay well under 256 MB. A touchpoint log must
 * be sorted per customer by time to be cut into journeys, so it is read into memory.
 */

import { addTouchpointLog, DEFAULT_HALF_LIFE_DAYS, DEFAULT_LOOKBACK_DAYS, readTouchpointLog } from "../../engine/attribution";
import { toNumber } from "../../engine/data/cells";
import { EngineError } from "../../engine/errors";
import { aggregatorFor, attributionRows, modelRequest, positiveOption, separatorOption } from "../../functions/attribution";
import { helpText, parseArgs, type CommandSpec, type ParsedArgs } from "../args";
import { findColumns, normalizeHeader, PATH_COLUMNS, TOUCHPOINT_COLUMNS } from "../csv/columns";
import { streamCsv, type CsvRecord } from "../csv/reader";
import { binaryKindOf, BINARY_KIND_WORDS } from "../csv/fileKind";
import type { OutputCell } from "../csv/writer";
import { attributeFromCommand, FROM_FLAG } from "../duckdb/commands";
import { CliError, usageError, withErrorContext, type ErrorContext } from "../errors";
import type { CliIo } from "../io";
import { Progress } from "../progress";
import type { Command } from "./index";
import { TableNotFoundError, type FileTable } from "../csv/sheetTable";
import { headerRowOption, OUTPUT_FLAGS, refuseHeaderRowWithFrom, rowOfFileTable, optionRange, READING_FLAGS, readingOptions, readTableFile, resolvePath, writeReadingNotes, writeTable } from "./shared";

const SPEC: CommandSpec = {
  command: "attribute",
  positionals: [{ name: "file.csv", description: "Journey paths (a path column) or a touchpoint log (timestamp and channel columns).", required: false }],
  flags: [
    { name: "model", kind: "value", valueName: "NAME", description: "first, last, linear (default), position, time_decay, markov (markov2..markov4), shapley, or all." },
    { name: "separator", kind: "value", valueName: "CHAR", description: 'Path data: the one character between channels (default ">").' },
    { name: "lookback-days", kind: "value", valueName: "N", description: "Touchpoint log: touches count when at most N days before the conversion (default 30)." },
    { name: "half-life-days", kind: "value", valueName: "N", description: "Half-life of the time_decay weight in days (default 7)." },
    { name: "path-column", kind: "value", valueName: "NAME", description: "Header of the path column (default: found by name)." },
    { name: "conversions-column", kind: "value", valueName: "NAME", description: "Header of the conversions column." },
    { name: "value-column", kind: "value", valueName: "NAME", description: "Header of the conversion value column." },
    { name: "nulls-column", kind: "value", valueName: "NAME", description: "Header of the non-converting journeys column." },
    { name: "id-column", kind: "value", valueName: "NAME", description: "Touchpoint log: header of the customer id column." },
    { name: "time-column", kind: "value", valueName: "NAME", description: "Touchpoint log: header of the timestamp column." },
    { name: "channel-column", kind: "value", valueName: "NAME", description: "Touchpoint log: header of the channel column." },
    { name: "conversion-column", kind: "value", valueName: "NAME", description: "Touchpoint log: header of the conversion value column." },
    ...READING_FLAGS,
    ...OUTPUT_FLAGS,
    FROM_FLAG,
  ],
};

const SUMMARY = "Credits conversions to channels (first, last, linear, position, time decay, Markov, Shapley), as IMC.ATTRIBUTE.";

const DETAILS = `Two kinds of file, told apart by the header:
  Path data (as IMC.ATTRIBUTE), streamed in 1 MB chunks, any size:
    path (or journey, channel_path)   channels in time order, e.g. "Email > Search > Direct"
    conversions (total_conversions)   conversions of the path (0 or more)
    value (total_conversion_value)    optional: their total value (blank = 0)
    nulls (total_null)                optional: journeys with the path that did not convert (blank = 0)
  A touchpoint log (as IMC.ATTRIBUTE.EVENTS), read into memory as imc report reads a sheet:
    customer_id, timestamp (or time, date), channel (or source, medium), and
    conversion (or conversion_value, value): blank or 0 on a touch, the value on a conversion.
    The header may sit below title and blank lines (--header-row N); blank lines are skipped and
    a last "Total" row left out (counted on stderr); times as ISO, day-first or month-first text
    (--date-order dmy|mdy when the column cannot say), values as numbers or money text (--decimal).
Output: Channel, Conversions, Value, Share (and Removal effect for markov); with --model all one
column of credited conversions per model, then one of value per model. Attribution shares credit
among the touches of converting journeys; it does not measure incrementality.

A touchpoint log of any size: --from FILES (Parquet or CSV; one file or glob, its name kept whole)
instead of file.csv; DuckDB cuts it into journeys out of core and groups them by path (time_decay
then uses the path-data convention: touch i of L is L - i days before the conversion). Ids are
trimmed; the file is read as with imc clv --from (a CSV file's header line found below a title, total
rows at its end left out; times as ISO text, Excel serials, month names, yyyymmdd, day/month text,
--date-order dmy|mdy); conversions as here or as money text (--decimal; blank or 0 a touch, 80% is
0.8): a negative or unreadable one, or a
touch without a channel, stops the run naming its row; touches at one time keep the log's row order
(Parquet: file_row_number; CSV: DuckDB's scan order).

Examples:
  imc attribute journeys.csv --model all --out attribution.csv
  imc attribute --from 'events/*.parquet' --model markov --lookback-days 14
  imc attribute touchpoints.csv --model markov --lookback-days 14`;

/** Reads the first line of the file to decide between path data and a touchpoint log. */
async function headerOf(io: CliIo, file: string): Promise<readonly string[]> {
  let header: readonly string[] = [];
  const stop = new Error("header read");
  try {
    await streamCsv(
      resolvePath(io, file),
      {
        header(fields) {
          header = fields;
          throw stop;
        },
        record() {},
      },
      { displayName: file, chunkBytes: 64 * 1024 },
    );
  } catch (error) {
    if (error !== stop) throw error;
  }
  return header;
}

/** The number in field i of a record: plain digits read in place, anything else through the engine's cell reading. */
function fieldNumber(record: CsvRecord, i: number, argument: string, blankIsZero: boolean): number {
  if (i < record.fieldCount && record.unquoted[i] === undefined) {
    const text = record.text;
    const start = record.starts[i];
    const end = record.ends[i];
    let whole = 0;
    let k = start;
    for (; k < end; k++) {
      const digit = text.charCodeAt(k) - 48;
      if (digit < 0 || digit > 9) break;
      whole = whole * 10 + digit;
    }
    if (k === end && end > start && end - start < 15) return whole;
  }
  if (blankIsZero && record.isBlank(i)) return 0;
  return toNumber(record.field(i), argument, record.line);
}

/** Streams path data through the aggregator. */
async function attributePaths(io: CliIo, file: string, args: ParsedArgs, header: readonly string[]): Promise<OutputCell[][]> {
  const columns = findColumns(
    header,
    PATH_COLUMNS,
    {
      path: args.values["path-column"],
      conversions: args.values["conversions-column"],
      value: args.values["value-column"],
      nulls: args.values["nulls-column"],
    },
    file,
  );
  const names: Record<string, string> = { paths: header[columns.path], conversions: header[columns.conversions] };
  if (columns.value >= 0) names.values = header[columns.value];
  if (columns.nulls >= 0) names.nulls = header[columns.nulls];
  // Rows are passed to the engine as file lines, so no mapping is needed.
  const context: ErrorContext = {
    file,
    columns: names,
    flags: { model: "--model", separator: "--separator", half_life_days: "--half-life-days", order: "--model" },
    rowOf: (line) => line,
  };
  return withErrorContext(context, async () => {
    const request = modelRequest(optionRange(args.values.model));
    const separator = separatorOption(optionRange(args.values.separator));
    const halfLife = positiveOption(optionRange(args.values["half-life-days"]), "half_life_days", DEFAULT_HALF_LIFE_DAYS, "days");
    const aggregator = aggregatorFor(request, halfLife);
    const progress = new Progress(io, `reading ${file}`);
    const pathIndex = columns.path;
    const conversionIndex = columns.conversions;
    const valueIndex = columns.value;
    const nullIndex = columns.nulls;
    const summary = await streamCsv(
      resolvePath(io, file),
      {
        header() {},
        record(record) {
          const conversions = fieldNumber(record, conversionIndex, "conversions", false);
          const value = valueIndex < 0 ? 0 : fieldNumber(record, valueIndex, "values", true);
          const nulls = nullIndex < 0 ? 0 : fieldNumber(record, nullIndex, "nulls", true);
          const own = pathIndex < record.fieldCount ? record.unquoted[pathIndex] : "";
          if (own !== undefined) aggregator.addPath(own, separator, conversions, value, nulls, record.line);
          else aggregator.addPathRange(record.text, record.starts[pathIndex], record.ends[pathIndex], separator, conversions, value, nulls, record.line);
        },
      },
      { displayName: file, onRow: (rows) => progress.update(rows) },
    );
    progress.done(summary.rows);
    if (summary.rows === 0) throw new CliError("the file has a header but no data rows", { file });
    if (request.model === "markov" || request.model === "all") progress.stage("attribute: solving the Markov chain…");
    const result = aggregator.result();
    return attributionRows(result, request, valueIndex >= 0, { conversions: 0, value: 0 });
  });
}

/**
 * A whole touchpoint log read as `imc report` reads a touchpoint sheet: header below title and blank
 * lines (or --header-row), columns by header synonyms (or the column flags), blank lines skipped and
 * a trailing Total row left out, timestamps and conversion values written as text read by column.
 */
async function readTouchpointFile(io: CliIo, file: string, args: ParsedArgs): Promise<FileTable> {
  return readTableFile(io, file, {
    kind: "touchpoints",
    roles: TOUCHPOINT_COLUMNS,
    detectionRoles: { customer: "customerId", timestamp: "timestamp", channel: "channel", conversion: "conversion" },
    columns: {
      customer: args.values["id-column"],
      timestamp: args.values["time-column"],
      channel: args.values["channel-column"],
      conversion: args.values["conversion-column"],
    },
    headerRow: headerRowOption(args.values),
    reading: readingOptions(args.values),
  });
}

/** A touchpoint log, read into memory, cut into journeys as IMC.ATTRIBUTE.EVENTS does. */
async function attributeEvents(io: CliIo, file: string, args: ParsedArgs, read?: FileTable): Promise<OutputCell[][]> {
  const table = read ?? (await readTouchpointFile(io, file, args));
  const touchpoints = table.data.touchpoints!;
  const { headers, columns } = table.found;
  const context: ErrorContext = {
    file,
    columns: {
      customer_ids: headers[columns.customerId!],
      timestamps: headers[columns.timestamp!],
      channels: headers[columns.channel!],
      conversions: headers[columns.conversion!],
    },
    flags: { model: "--model", lookback_days: "--lookback-days", half_life_days: "--half-life-days", order: "--model" },
    rowOf: rowOfFileTable(table),
  };
  return withErrorContext(context, () => {
    const request = modelRequest(optionRange(args.values.model));
    const lookback = positiveOption(optionRange(args.values["lookback-days"]), "lookback_days", DEFAULT_LOOKBACK_DAYS, "days");
    const halfLife = positiveOption(optionRange(args.values["half-life-days"]), "half_life_days", DEFAULT_HALF_LIFE_DAYS, "days");
    const log = readTouchpointLog({
      customerIds: touchpoints.customerIds,
      timestamps: touchpoints.timestamps,
      channels: touchpoints.channels,
      conversions: touchpoints.conversions,
    });
    writeReadingNotes(io, table);
    const aggregator = aggregatorFor(request, halfLife);
    const summary = addTouchpointLog(log, aggregator, lookback);
    if (summary.convertingJourneys === 0) {
      throw new EngineError(
        "INSUFFICIENT_DATA",
        `none of the ${summary.conversions} conversions has a touch within --lookback-days (${lookback} days) before it; nothing to attribute`,
      );
    }
    const result = aggregator.result();
    return attributionRows(result, request, true, { conversions: summary.unattributedConversions, value: summary.unattributedValue });
  });
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.help) {
    io.stdout(attributeCommand.help);
    return 0;
  }
  if (args.values.from !== undefined) {
    refuseHeaderRowWithFrom(args, "imc attribute touchpoints.csv");
    return attributeFromCommand(args, io);
  }
  const file = args.positionals["file.csv"];
  if (file === undefined) throw usageError("imc attribute needs file.csv (or --from FILES); see imc attribute --help");
  // A workbook or a Parquet file holds a touchpoint log (path data is read from CSV, streamed).
  const binary = binaryKindOf(resolvePath(io, file));
  if (binary === "xlsx" || binary === "parquet") {
    if (args.values["path-column"] !== undefined) throw usageError(`--path-column is read for path data in a CSV file; ${file} is ${BINARY_KIND_WORDS[binary]}`);
    writeTable(await attributeEvents(io, file, args, await readTouchpointFile(io, file, args)), args, io);
    return 0;
  }
  const header = await headerOf(io, file);
  const keys = new Set(header.map(normalizeHeader));
  const pathOverride = args.values["path-column"];
  const isPathData =
    pathOverride !== undefined || PATH_COLUMNS.path.synonyms.some((name) => keys.has(normalizeHeader(name)));
  const isLog =
    !isPathData &&
    (args.values["channel-column"] !== undefined || TOUCHPOINT_COLUMNS.channel.synonyms.some((name) => keys.has(normalizeHeader(name))));
  let log: FileTable | undefined;
  if (!isPathData && !isLog) {
    // A touchpoint log with a title row (or blank lines) above its header is read as a sheet is.
    try {
      log = await readTouchpointFile(io, file, args);
    } catch (error) {
      // Not a touchpoint log either: said below. A log that is found but cannot be read says why.
      if (!(error instanceof TableNotFoundError)) throw error;
    }
  }
  if (isPathData) {
    const given = ["header-row", "date-order", "decimal"].filter((flag) => args.values[flag] !== undefined);
    if (given.length > 0) throw usageError(`--${given[0]} is read for a touchpoint log, not for path data (streamed as written)`);
  }
  if (!isPathData && !isLog && log === undefined) {
    throw new CliError(
      `cannot tell the kind of file: expected a path column (path, journey, channel_path) or a touchpoint log (customer_id, timestamp, channel, conversion); the header has ${header.map((h) => `"${h}"`).join(", ")}`,
      { file },
    );
  }
  const rows = isPathData ? await attributePaths(io, file, args, header) : await attributeEvents(io, file, args, log);
  writeTable(rows, args, io);
  return 0;
}

export const attributeCommand: Command = { name: "attribute", summary: SUMMARY, help: helpText(SPEC, SUMMARY, DETAILS), run };
