/**
 * `imc attribute file.csv`: multi-touch attribution from a CSV file — the table of IMC.ATTRIBUTE
 * (journey paths) or IMC.ATTRIBUTE.EVENTS (a touchpoint log), whichever the header shows.
 *
 * Path data is streamed: the file is read in 1 MB chunks and each path goes from the chunk text
 * straight into the engine's one-pass {@link JourneyAggregator} (addPathRange), so memory does not
 * grow with the number of rows — 5,000,000 journeys stay well under 256 MB. A touchpoint log must
 * be sorted per customer by time to be cut into journeys, so it is read into memory.
 */

import {
  ATTRIBUTION_MODELS,
  addTouchpointLog,
  DEFAULT_HALF_LIFE_DAYS,
  DEFAULT_LOOKBACK_DAYS,
  JourneyAggregator,
  rankChannels,
  type AttributionModel,
  type AttributionResult,
} from "../../engine/attribution";
import { toNumber, toOptionalNumber, toOptionalText } from "../../engine/data/cells";
import { alignRows, dateColumn, textColumn } from "../../engine/data/range";
import { EngineError, invalidArgument, invalidCell } from "../../engine/errors";
import { optionChoice, optionNumber, optionText } from "../../functions/arguments";
import { helpText, parseArgs, type CommandSpec, type ParsedArgs } from "../args";
import { findColumns, normalizeHeader, PATH_COLUMNS, TOUCHPOINT_COLUMNS } from "../csv/columns";
import { streamCsv, type CsvRecord } from "../csv/reader";
import type { OutputCell } from "../csv/writer";
import { CliError, withErrorContext, type ErrorContext } from "../errors";
import type { CliIo } from "../io";
import { Progress } from "../progress";
import type { Command } from "./index";
import { columnCells, OUTPUT_FLAGS, optionRange, readInput, resolvePath, rowOfTable, writeTable } from "./shared";

const MODEL_CHOICES = ["first", "last", "linear", "position", "time_decay", "markov", "markov2", "markov3", "markov4", "shapley", "all"] as const;

const SPEC: CommandSpec = {
  command: "attribute",
  positionals: [{ name: "file.csv", description: "Journey paths (a path column) or a touchpoint log (timestamp and channel columns)." }],
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
    ...OUTPUT_FLAGS,
  ],
};

const SUMMARY = "Credits conversions to channels (first, last, linear, position, time decay, Markov, Shapley), as IMC.ATTRIBUTE.";

const DETAILS = `Two kinds of file, told apart by the header:
  Path data (as IMC.ATTRIBUTE), streamed in 1 MB chunks, any size:
    path (or journey, channel_path)   channels in time order, e.g. "Email > Search > Direct"
    conversions (total_conversions)   conversions of the path (0 or more)
    value (total_conversion_value)    optional: their total value (blank = 0)
    nulls (total_null)                optional: journeys with the path that did not convert (blank = 0)
  A touchpoint log (as IMC.ATTRIBUTE.EVENTS), read into memory:
    customer_id, timestamp (or time, date), channel (or source, medium), and
    conversion (or conversion_value, value): blank or 0 on a touch, the value on a conversion.
Output: Channel, Conversions, Value, Share (and Removal effect for markov); with --model all one
column of credited conversions per model, then one of value per model. Attribution shares credit
among the touches of converting journeys; it does not measure incrementality.

Examples:
  imc attribute journeys.csv --model all --out attribution.csv
  imc attribute touchpoints.csv --model markov --lookback-days 14`;

interface ModelRequest {
  readonly model: AttributionModel | "all";
  readonly order: number;
}

function modelRequest(range: unknown): ModelRequest {
  const choice = optionChoice(range, "model", MODEL_CHOICES) ?? "linear";
  if (choice.startsWith("markov")) return { model: "markov", order: choice === "markov" ? 1 : Number(choice.slice(6)) };
  return { model: choice as AttributionModel | "all", order: 1 };
}

function positiveOption(range: unknown, argument: string, fallback: number, unit: string): number {
  const value = optionNumber(range, argument);
  if (value === null) return fallback;
  if (!(value > 0)) throw invalidArgument(argument, `${String(value)} must be a positive number of ${unit}`);
  return value;
}

const NO_TOUCH = "(no touch)";

/**
 * The result table, laid out as IMC.ATTRIBUTE / IMC.ATTRIBUTE.EVENTS lay it out (src/functions/attribution.ts).
 *
 * @param result the aggregator's result.
 * @param request model (or all) and Markov order.
 * @param hasValue whether there is a value column.
 * @param unattributed conversions and value no channel could take (touchpoint log), else zeros.
 */
export function attributionTable(
  result: AttributionResult,
  request: ModelRequest,
  hasValue: boolean,
  unattributed: { conversions: number; value: number },
): OutputCell[][] {
  const names = result.channels;
  const totalConversions = result.totals.conversions + unattributed.conversions;
  const noNulls = result.markov !== null && !result.markov.hasNulls;
  if (request.model !== "all") {
    const credit = result.credit[request.model]!;
    const isMarkov = request.model === "markov";
    const header: OutputCell[] = ["Channel", "Conversions", "Value", "Share"];
    if (isMarkov) header.push(noNulls ? "Removal effect (no nulls)" : "Removal effect");
    const rows: OutputCell[][] = [header];
    for (const id of rankChannels(credit.conversions, names)) {
      const row: OutputCell[] = [names[id], credit.conversions[id], hasValue ? credit.value[id] : null, credit.conversions[id] / totalConversions];
      if (isMarkov) row.push(result.markov!.removalEffect[id]);
      rows.push(row);
    }
    if (unattributed.conversions > 0) {
      const row: OutputCell[] = [NO_TOUCH, unattributed.conversions, unattributed.value, unattributed.conversions / totalConversions];
      if (isMarkov) row.push(null);
      rows.push(row);
    }
    return rows;
  }
  const models = ATTRIBUTION_MODELS;
  const label = (model: AttributionModel) => (model === "markov" && noNulls ? "markov (no nulls)" : model);
  const header: OutputCell[] = ["Channel", ...models.map(label)];
  if (hasValue) header.push(...models.map((model) => `${label(model)} value`));
  const average = new Float64Array(names.length);
  for (const model of models) {
    const conversions = result.credit[model]!.conversions;
    for (let id = 0; id < names.length; id++) average[id] += conversions[id] / models.length;
  }
  const rows: OutputCell[][] = [header];
  for (const id of rankChannels(average, names)) {
    const row: OutputCell[] = [names[id], ...models.map((model) => result.credit[model]!.conversions[id])];
    if (hasValue) row.push(...models.map((model) => result.credit[model]!.value[id]));
    rows.push(row);
  }
  if (unattributed.conversions > 0) {
    const row: OutputCell[] = [NO_TOUCH, ...models.map(() => unattributed.conversions)];
    if (hasValue) row.push(...models.map(() => unattributed.value));
    rows.push(row);
  }
  return rows;
}

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

function aggregatorFor(request: ModelRequest, halfLifeDays: number): JourneyAggregator {
  return new JourneyAggregator({
    models: request.model === "all" ? ATTRIBUTION_MODELS : [request.model],
    markovOrder: request.order,
    halfLifeDays,
  });
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
    const separatorText = optionText(optionRange(args.values.separator), "separator");
    const separator = separatorText ?? ">";
    if (separator.length !== 1) throw invalidArgument("separator", `"${separator}" must be a single character, such as >`);
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
    return attributionTable(result, request, valueIndex >= 0, { conversions: 0, value: 0 });
  });
}

/** A touchpoint log, read into memory, cut into journeys as IMC.ATTRIBUTE.EVENTS does. */
async function attributeEvents(io: CliIo, file: string, args: ParsedArgs): Promise<OutputCell[][]> {
  const table = await readInput(io, file);
  const columns = findColumns(
    table.header,
    TOUCHPOINT_COLUMNS,
    {
      customer: args.values["id-column"],
      timestamp: args.values["time-column"],
      channel: args.values["channel-column"],
      conversion: args.values["conversion-column"],
    },
    file,
  );
  const context: ErrorContext = {
    file,
    columns: {
      customer_ids: table.header[columns.customer],
      timestamps: table.header[columns.timestamp],
      channels: table.header[columns.channel],
      conversions: table.header[columns.conversion],
    },
    flags: { model: "--model", lookback_days: "--lookback-days", half_life_days: "--half-life-days", order: "--model" },
    rowOf: rowOfTable(table),
  };
  return withErrorContext(context, () => {
    const request = modelRequest(optionRange(args.values.model));
    const lookback = positiveOption(optionRange(args.values["lookback-days"]), "lookback_days", DEFAULT_LOOKBACK_DAYS, "days");
    const halfLife = positiveOption(optionRange(args.values["half-life-days"]), "half_life_days", DEFAULT_HALF_LIFE_DAYS, "days");
    const idCells = columnCells(table, columns.customer);
    const timeCells = columnCells(table, columns.timestamp);
    const channelCells = columnCells(table, columns.channel);
    const conversionCells = columnCells(table, columns.conversion);
    const rowCount = alignRows(
      [
        { argument: "customer_ids", values: idCells },
        { argument: "timestamps", values: timeCells },
        { argument: "channels", values: channelCells },
        { argument: "conversions", values: conversionCells },
      ],
      { zeroIsBlank: true },
    );
    if (rowCount === 0) {
      throw new EngineError("INSUFFICIENT_DATA", "customer_ids: the ranges are blank; no touchpoints to attribute", { argument: "customer_ids" });
    }
    const ids = textColumn(idCells, "customer_ids", rowCount);
    const times = dateColumn(timeCells, "timestamps", rowCount);
    const channels = new Array<string | null>(rowCount);
    const values = new Float64Array(rowCount);
    const customerIndex = new Int32Array(rowCount);
    const customers = new Map<string, number>();
    for (let i = 0; i < rowCount; i++) {
      const value = toOptionalNumber(conversionCells[i], "conversions", i + 1) ?? 0;
      if (value < 0) throw invalidCell("conversions", i + 1, `${String(value)} is negative; use blank or 0 for a touch, a positive value for a conversion`);
      values[i] = value;
      const channel = toOptionalText(channelCells[i], "channels", i + 1);
      if (channel === null && value === 0) {
        throw invalidCell("channels", i + 1, "is blank on a touch row; give the channel, or a conversion value in conversions");
      }
      channels[i] = channel;
      let customer = customers.get(ids[i]);
      if (customer === undefined) {
        customer = customers.size;
        customers.set(ids[i], customer);
      }
      customerIndex[i] = customer;
    }
    const aggregator = aggregatorFor(request, halfLife);
    const summary = addTouchpointLog({ customerIndex, timestamps: times, channels, conversionValues: values }, aggregator, lookback);
    if (summary.convertingJourneys === 0) {
      throw new EngineError(
        "INSUFFICIENT_DATA",
        `none of the ${summary.conversions} conversions has a touch within --lookback-days (${lookback} days) before it; nothing to attribute`,
      );
    }
    const result = aggregator.result();
    return attributionTable(result, request, true, { conversions: summary.unattributedConversions, value: summary.unattributedValue });
  });
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.help) {
    io.stdout(attributeCommand.help);
    return 0;
  }
  const file = args.positionals["file.csv"];
  const header = await headerOf(io, file);
  const keys = new Set(header.map(normalizeHeader));
  const pathOverride = args.values["path-column"];
  const isPathData =
    pathOverride !== undefined || PATH_COLUMNS.path.synonyms.some((name) => keys.has(normalizeHeader(name)));
  const isLog =
    !isPathData &&
    (args.values["channel-column"] !== undefined || TOUCHPOINT_COLUMNS.channel.synonyms.some((name) => keys.has(normalizeHeader(name))));
  if (!isPathData && !isLog) {
    throw new CliError(
      `cannot tell the kind of file: expected a path column (path, journey, channel_path) or a touchpoint log (customer_id, timestamp, channel, conversion); the header has ${header.map((h) => `"${h}"`).join(", ")}`,
      { file },
    );
  }
  const rows = isPathData ? await attributePaths(io, file, args, header) : await attributeEvents(io, file, args);
  writeTable(rows, args, io);
  return 0;
}

export const attributeCommand: Command = { name: "attribute", summary: SUMMARY, help: helpText(SPEC, SUMMARY, DETAILS), run };
