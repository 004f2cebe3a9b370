/**
 * `imc clv orders.csv`: customer value from an order list — the table of IMC.CLV.PREDICT (or of
 * IMC.CLV.FIT with --fit-only), computed by the same engine calls in the same order, so the numbers
 * are identical to the workbook's.
 */

import { COUNTING_MODEL_LABELS, type CountingModelName, expectedPurchasesNew } from "../../engine/clv/countingModels";
import { periodSchedule } from "../../engine/clv/discountedClv";
import { fitCustomerValue, predictCustomerValue } from "../../engine/clv/predict";
import { DAYS_PER_PERIOD, type PeriodUnit, summarizeCustomers } from "../../engine/clv/summary";
import { readTransactions } from "../../engine/data/transactions";
import { invalidArgument } from "../../engine/errors";
import { optionChoice, optionDate, optionNumber, optionText } from "../../functions/arguments";
import { helpText, parseArgs, type CommandSpec } from "../args";
import { ORDER_COLUMNS, findColumns } from "../csv/columns";
import type { OutputCell } from "../csv/writer";
import { withErrorContext } from "../errors";
import type { CliIo } from "../io";
import { Progress } from "../progress";
import type { Command } from "./index";
import { columnCells, dateCell, OUTPUT_FLAGS, optionRange, readInput, rowOfTable, writeTable } from "./shared";

const SPEC: CommandSpec = {
  command: "clv",
  positionals: [{ name: "orders.csv", description: "Order list: one row per order with customer id, order date and order value." }],
  flags: [
    { name: "model", kind: "value", valueName: "bgnbd|pareto", description: "Purchase model: bgnbd (BG/NBD, default) or pareto (Pareto/NBD)." },
    { name: "period", kind: "value", valueName: "day|week|month", description: "Time unit of frequency, recency, T and the horizon (default week)." },
    { name: "horizon", kind: "value", valueName: "N", description: "Horizon in periods (default 52)." },
    { name: "discount", kind: "value", valueName: "R", description: "Yearly discount rate (default 0.1 for 10%)." },
    { name: "as-of", kind: "value", valueName: "yyyy-mm-dd", description: "End of the observation; later orders are left out (default: the last order date)." },
    { name: "fit-only", kind: "boolean", description: "Show the fitted model parameters (IMC.CLV.FIT) instead of per-customer predictions." },
    { name: "id-column", kind: "value", valueName: "NAME", description: "Header of the customer id column (default: found by name)." },
    { name: "date-column", kind: "value", valueName: "NAME", description: "Header of the order date column." },
    { name: "value-column", kind: "value", valueName: "NAME", description: "Header of the order value column." },
    ...OUTPUT_FLAGS,
  ],
};

const SUMMARY = "Customer lifetime value per customer (BG/NBD or Pareto/NBD + Gamma-Gamma), as IMC.CLV.PREDICT.";

const DETAILS = `Columns are found by their header (any case; spaces or underscores ignored):
  customer id   customer_id, customer, customerid, client id
  order date    order_date, date, purchase date (text like 2024-01-31)
  order value   order_value, value, amount, revenue, sales
Orders on one day are one purchase; refunds (negative values) are allowed. Output: Customer,
Frequency, Recency, T, Average value, P(alive), Expected purchases, Expected average value, CLV —
one row per customer in order of first appearance. The whole file is read into memory.

Example:
  imc clv orders.csv --horizon 12 --period month --out clv.csv`;

const PERIODS: readonly PeriodUnit[] = ["day", "week", "month"];

/** The model option, spelled as IMC.CLV.* accept it. */
function modelOption(range: unknown): CountingModelName {
  const text = optionText(range, "model");
  if (text === null) return "bgnbd";
  const key = text.toLowerCase().replace(/[\s/_-]+/g, "");
  if (key === "bgnbd") return "bgnbd";
  if (key === "pareto" || key === "paretonbd") return "pareto";
  throw invalidArgument("model", `"${text}" is not one of "bgnbd", "pareto"`);
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.help) {
    io.stdout(clvCommand.help);
    return 0;
  }
  const file = args.positionals["orders.csv"];
  const table = await readInput(io, file);
  const columns = findColumns(
    table.header,
    ORDER_COLUMNS,
    { customer: args.values["id-column"], date: args.values["date-column"], value: args.values["value-column"] },
    file,
  );
  const context = {
    file,
    columns: {
      customer_ids: table.header[columns.customer],
      order_dates: table.header[columns.date],
      order_values: table.header[columns.value],
    },
    flags: { model: "--model", period: "--period", horizon: "--horizon", annual_discount_rate: "--discount", as_of: "--as-of" },
    rowOf: rowOfTable(table),
  };
  const progress = new Progress(io, "clv");
  const rows = await withErrorContext(context, () => {
    const modelName = modelOption(optionRange(args.values.model));
    const periodUnit = optionChoice(optionRange(args.values.period), "period", PERIODS) ?? "week";
    const asOf = optionDate(optionRange(args.values["as-of"]), "as_of");
    const horizonPeriods = optionNumber(optionRange(args.values.horizon), "horizon") ?? 52;
    const annualRate = optionNumber(optionRange(args.values.discount), "annual_discount_rate") ?? 0.1;
    const fitOnly = args.booleans.has("fit-only");
    const schedule = fitOnly ? null : periodSchedule(horizonPeriods, annualRate, periodUnit);
    const transactions = readTransactions(
      [columnCells(table, columns.customer)],
      [columnCells(table, columns.date)],
      [columnCells(table, columns.value)],
    );
    const summary = summarizeCustomers(transactions, { asOf, periodUnit });
    progress.stage(`clv: fitting ${COUNTING_MODEL_LABELS[modelName]} + Gamma-Gamma to ${summary.customerIds.length.toLocaleString("en-US")} customers…`);
    const fit = fitCustomerValue(summary, modelName);
    if (schedule === null) return fitTable(summary, fit, modelName);
    const predictions = predictCustomerValue(summary, fit, schedule);
    const out: OutputCell[][] = [
      ["Customer", "Frequency", "Recency", "T", "Average value", "P(alive)", "Expected purchases", "Expected average value", "CLV"],
    ];
    for (let i = 0; i < summary.customerIds.length; i++) {
      out.push([
        summary.customerIds[i],
        summary.frequency[i],
        summary.recency[i],
        summary.T[i],
        summary.monetary[i],
        predictions.probabilityAlive[i],
        predictions.expectedPurchases[i],
        predictions.expectedSpend[i],
        predictions.clv[i],
      ]);
    }
    return out;
  });
  writeTable(rows, args, io);
  return 0;
}

/** IMC.CLV.FIT's table, with the as-of date as yyyy-mm-dd text. */
function fitTable(
  summary: ReturnType<typeof summarizeCustomers>,
  fit: ReturnType<typeof fitCustomerValue>,
  modelName: CountingModelName,
): OutputCell[][] {
  const { counting, spend } = fit;
  const label = COUNTING_MODEL_LABELS[modelName];
  const rows: OutputCell[][] = [
    ["Parameter", "Value", "Standard error"],
    ["Model", `${label} + Gamma-Gamma`, null],
    ["Period", summary.periodUnit, null],
    ["As of", dateCell(summary.asOf), null],
  ];
  for (const name of counting.parameterNames) rows.push([name, counting.params[name], counting.standardErrors ? counting.standardErrors[name] : null]);
  rows.push([`Log-likelihood (${label})`, counting.logLikelihood, null]);
  rows.push([`Converged (${label})`, counting.converged, null]);
  const se = spend.standardErrors;
  rows.push(["p", spend.params.p, se ? se.p : null]);
  rows.push(["q", spend.params.q, se ? se.q : null]);
  rows.push(["gamma", spend.params.gamma, se ? se.gamma : null]);
  rows.push(["Log-likelihood (Gamma-Gamma)", spend.logLikelihood, null]);
  rows.push(["Converged (Gamma-Gamma)", spend.converged, null]);
  const q = spend.params.q;
  rows.push(["Average value of a new customer", q > 1 ? (spend.params.p * spend.params.gamma) / (q - 1) : "does not exist (q <= 1)", null]);
  rows.push([
    "Expected repeat purchases of a new customer in the first year",
    expectedPurchasesNew(counting, 365.25 / DAYS_PER_PERIOD[summary.periodUnit]),
    null,
  ]);
  rows.push(["Customers", fit.customers, null]);
  rows.push(["Repeat customers", fit.repeatCustomers, null]);
  rows.push(["Customers in the spend model", spend.customers, null]);
  let orders = 0;
  let refundDays = 0;
  for (let i = 0; i < summary.customerIds.length; i++) {
    orders += summary.orders[i];
    refundDays += summary.nonPositiveDays[i];
  }
  rows.push(["Orders used", orders, null]);
  rows.push(["Orders after as_of (left out)", summary.ordersAfterAsOf, null]);
  rows.push(["Customers first ordering after as_of (left out)", summary.customersAfterAsOf, null]);
  rows.push(["Purchase days with value <= 0 (counted as purchases, not in average value)", refundDays, null]);
  return rows;
}

export const clvCommand: Command = { name: "clv", summary: SUMMARY, help: helpText(SPEC, SUMMARY, DETAILS), run };
