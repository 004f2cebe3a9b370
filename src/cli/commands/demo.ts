/**
 * `imc demo`: generates the sample business (a seeded online retailer), writes it as CSV files and
 * as a workbook, then builds every tab from that workbook's sheets exactly as `imc report` would and
 * writes the workbook with the tabs and the HTML report with the charts.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isEngineError } from "../../engine/errors";
import type { SampleBusiness } from "../../sample/business";
import { DEFAULT_CUSTOMERS, DEFAULT_SEED } from "../../sample/defaults";
import { helpText, parseArgs, type CommandSpec } from "../args";
import { CliError, usageError } from "../errors";
import type { CliIo } from "../io";
import type { Command } from "./index";
import { resolvePath } from "./shared";
import type { AllTabsOptions, AllTabsResult } from "../../reports/allTabs";
import { ANALYSIS_FLAGS, analysisOptions, buildTabs, htmlReportOf, writeFileAtomically } from "./tabs";

const SPEC: CommandSpec = {
  command: "demo",
  positionals: [],
  flags: [
    { name: "out-dir", kind: "value", valueName: "DIR", description: "Folder for the files (default out)." },
    { name: "customers", kind: "value", valueName: "N", description: `Customers in the sample business (default ${DEFAULT_CUSTOMERS.toLocaleString("en-US")}).` },
    { name: "seed", kind: "value", valueName: "N", description: `Seed of the generator (default ${DEFAULT_SEED}); the same seed gives the same data.` },
    ...ANALYSIS_FLAGS.filter((flag) => flag.name !== "holdout"),
    { name: "holdout", kind: "value", valueName: "N", description: "Check the model against the last N periods (default 26 weeks in the demo; 0 for none)." },
  ],
};

const SUMMARY = "Generates a sample business and every generated tab: out/imc-demo.xlsx and out/imc-demo.html.";

const DETAILS = `Writes, in the output folder (files of an earlier demo there are replaced):
  sample/*.csv             the sample business as CSV (customers, orders, touchpoints, campaigns,
                           spend, leads, lead-events, survey, experiment, journey-stages)
  sample-business.xlsx     the same as a workbook, one sheet per table (try: imc report on a copy)
  imc-demo.xlsx            that workbook with every tab the sample allows added, the Scorecard
                           first (it opens on it): Segmentation, Customer Value, Cohorts, Leads,
                           Journey, Attribution, Campaign KPIs, Experiments, Budget
  imc-demo.html            the tabs' charts and first rows, for a look without Excel

The sample is an online retailer over two years (2024-2025): customers who buy and drop out at
random (BG/NBD), refunds, touchpoints in 8 channels with their journey stage and content, 30
campaigns and monthly media spend; wholesale leads with their events, an NPS survey, referrals per
customer and a holdout experiment (an e-mail campaign with a 10% control group).

Example:
  imc demo --customers 5000 --out-dir /tmp/imc`;

function positiveInteger(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw usageError(`${flag}: "${text}" is not a whole number above 0`);
  return value;
}

function seconds(io: CliIo, started: number): string {
  return `${((io.now().getTime() - started) / 1000).toFixed(1)} s`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.help) {
    io.stdout(demoCommand.help);
    return 0;
  }
  const started = io.now().getTime();
  const stage = (text: string): void => {
    if (io.progress) io.stderr(`${seconds(io, started)}  ${text}…\n`);
  };
  const customers = positiveInteger(args.values.customers, "--customers", DEFAULT_CUSTOMERS);
  const seed = positiveInteger(args.values.seed, "--seed", DEFAULT_SEED);
  // The demo shows the holdout check by default; --holdout 0 leaves it out.
  const values: Record<string, string> = { ...args.values, holdout: args.values.holdout ?? "26" };
  if (values.holdout === "0") delete values.holdout;
  const options = analysisOptions({ ...args, values });
  const outName = args.values["out-dir"] ?? "out";
  const outDir = resolvePath(io, outName);
  const shown = (file: string): string => path.join(outName, file);

  // Loaded here rather than at the top, so that the other commands and --help stay light.
  const [{ generateSampleBusiness }, { csvFileName, tableToCsv }] = await Promise.all([import("../../sample/business"), import("../../sample/csv")]);
  stage(`generating the sample business (${customers.toLocaleString("en-US")} customers, seed ${seed})`);
  let business: SampleBusiness;
  try {
    business = generateSampleBusiness({ customers, seed });
  } catch (error) {
    if (isEngineError(error)) throw new CliError(`--${error.argument ?? "customers"}: ${error.message.replace(/^[A-Za-z]+: /, "")}`);
    throw error;
  }

  try {
    mkdirSync(path.join(outDir, "sample"), { recursive: true });
  } catch (error) {
    throw new CliError(`cannot create ${outName}: ${(error as Error).message}`);
  }
  stage("writing the sample as CSV");
  for (const table of business.tables) {
    writeFileSync(path.join(outDir, "sample", csvFileName(table.name)), tableToCsv(table));
  }
  const { sample, demo, result } = await demoWorkbooks(business, options, io, stage);
  writeFileAtomically(path.join(outDir, "sample-business.xlsx"), sample.bytes, shown("sample-business.xlsx"));
  writeFileAtomically(path.join(outDir, "imc-demo.xlsx"), demo.bytes, shown("imc-demo.xlsx"));
  stage("drawing the HTML report");
  writeFileAtomically(path.join(outDir, "imc-demo.html"), await htmlReportOf(result.sheets, demo.names, "imc-demo.xlsx", "IMC Analytics demo: a sample online retailer"), shown("imc-demo.html"));

  const counts = business.tables.map((table) => `${table.rows.length.toLocaleString("en-US")} ${table.name.toLowerCase()}`).join(", ");
  io.stdout(
    [
      `Sample business: ${counts}.`,
      `Workbook with the tabs ${demo.names.map((name) => `"${name}"`).join(", ")}: ${shown("imc-demo.xlsx")}`,
      `Charts and summaries: ${shown("imc-demo.html")}`,
      `The sample alone: ${shown("sample-business.xlsx")} and ${shown("sample")}${path.sep}*.csv`,
      ...(result.shortened ?? []).map((shortened) => `Shortened the ${shortened.title} tab: ${shortened.note}`),
      ...result.skipped.map((skipped) => `Skipped the ${skipped.title} tab: ${skipped.reason}`),
      `Done in ${seconds(io, started)}.`,
      "",
    ].join("\n"),
  );
  return 0;
}

/**
 * The demo's workbooks in memory: the sample business alone, and with every tab built from its
 * sheets exactly as `imc report` reads them (the same detection and inputs).
 *
 * @param business the sample business.
 * @param options the analysis options (the demo's flags).
 * @param stage called before each step, for progress.
 */
export async function demoWorkbooks(
  business: SampleBusiness,
  options: AllTabsOptions,
  io: CliIo,
  stage: (text: string) => void = () => {},
): Promise<{ sample: { bytes: Uint8Array; names: string[] }; demo: { bytes: Uint8Array; names: string[] }; result: AllTabsResult }> {
  const [{ businessDataOf, detectTables }, { addTabsToXlsx, writeNewWorkbook }] = await Promise.all([import("../../reports/detect"), import("../xlsx/writeReport")]);
  stage("writing the sample workbook");
  const sample = await writeNewWorkbook(business.tables, []);
  // The tabs are built from the sheets as `imc report` reads them: the same detection and inputs,
  // with each column's number format as the workbook shows it.
  const sheets = business.tables.map((table) => ({ name: table.name, rows: [table.headers, ...table.rows], numberFormats: table.numberFormats }));
  const found = detectTables(sheets);
  const result = await buildTabs(businessDataOf(sheets, found), options, { file: "the sample business", sheets, found }, io);
  stage("adding the tabs to the workbook");
  const demo = await addTabsToXlsx(sample.bytes, result.sheets);
  return { sample, demo, result };
}

export const demoCommand: Command = {
  name: "demo",
  summary: "Generates a sample business and every tab: out/imc-demo.xlsx and its HTML report.",
  help: helpText(SPEC, SUMMARY, DETAILS),
  run,
};
