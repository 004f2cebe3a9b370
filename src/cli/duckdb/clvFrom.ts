/**
 * `imc clv --from FILES`: customer value for order files of any size. DuckDB runs the summary SQL
 * (src/sql/queries.ts) out of core into a per-customer table; the runner reads only the distinct
 * (frequency, recency, T) triples and the Gamma-Gamma (x, m̄) pairs with their counts, fits the same
 * models as `imc clv` on them (weighted exactly as the engine weights its compressed data), scores
 * each distinct triple, and DuckDB joins the scores back to every customer and writes the table as
 * Parquet or CSV. The expected average value is Gamma-Gamma's closed form, computed in the SQL with the
 * engine's operations in the engine's order.
 */

import { selectCountingModel, type ModelSelection } from "../../engine/clv/autoModel";
import { fitCountingModel, forecastCustomer, probabilityAliveOf, type CountingModelChoice, type CountingModelFit } from "../../engine/clv/countingModels";
import { discountedPurchases, type DiscountSchedule } from "../../engine/clv/discountedClv";
import { fitGammaGamma, gammaGammaExpectedSpend } from "../../engine/clv/gammaGamma";
import { notConvergedError, requirePurchaseCustomers, type CustomerValueFit } from "../../engine/clv/predict";
import type { CustomerSummary, PeriodUnit } from "../../engine/clv/summary";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { formatSerial } from "../../engine/data/dates";
import { toDateSerial } from "../../engine/data/cells";
import { EngineError } from "../../engine/errors";
import { CLV_PREDICTION_HEADERS } from "../../engine/clv/predictionTable";
import { customerSummaryQuery, renderQuery, type OrdersSource } from "../../sql/queries";
import { ORDER_COLUMNS } from "../csv/columns";
import { CliError, usageError } from "../errors";
import type { CliIo } from "../io";
import { Progress } from "../progress";
import { openDuckDb, literal, type DuckDb, duckRun as run, duckSplit as split, duckRows as rows, duckNumbers as numbers } from "./connection";
import { fileSource, isParquetName, type DateOrder } from "./source";
import type { DecimalMark, ValueRule } from "./valueReading";

/** What the route needs from the command's options. */
export interface ClvFromOptions {
  /** The file or glob as given, and resolved. */
  readonly display: string;
  readonly pattern: string;
  readonly overrides: { customer?: string; date?: string; value?: string };
  /** --date-order: the day/month order of date text, for a column that does not show it. */
  readonly dateOrder?: DateOrder;
  /** --decimal: the decimal mark of amounts written as text, for a column that does not show it. */
  readonly decimal?: DecimalMark;
  readonly model: CountingModelChoice;
  readonly periodUnit: PeriodUnit;
  /** As-of serial, or null for the last order day. */
  readonly asOf: number | null;
  /** Null with --fit-only. */
  readonly schedule: DiscountSchedule | null;
  /** Output file (resolved) for the per-customer table; null with --fit-only. */
  readonly out: string | null;
}

/** The result: the fit, the summary facts the FIT table shows, and how many customers were written. */
export interface ClvFromResult {
  readonly fit: CustomerValueFit;
  /**
   * What clvFitRows reads of a summary: period, as-of, and the order counts as totals (one entry in
   * the per-customer arrays); the counts are only filled with --fit-only (they cost another scan).
   */
  readonly summary: CustomerSummary;
  readonly customersWritten: number;
  /** Distinct triples and spend pairs the fit read. */
  readonly triples: number;
  readonly spendPairs: number;
}

const num = (value: unknown): number => (typeof value === "bigint" ? Number(value) : Number(value));

/** A double as an exact DuckDB literal. */
export const double = (value: number): string => `CAST('${String(value)}' AS DOUBLE)`;

/**
 * Writes each distinct triple's scores into a new temporary table (frequency, recency, t, p_alive,
 * expected_purchases, discounted), to be joined back to the customers of each triple.
 *
 * @param db the open DuckDB.
 * @param table the table's name.
 * @param triples the distinct triples.
 * @param scores their scores ({@link scoreTriples}).
 * @param display the files' name for messages.
 */
export async function writeTripleScores(db: DuckDb, table: string, triples: TripleColumns, scores: ReturnType<typeof scoreTriples>, display: string): Promise<void> {
  await run(db, `CREATE OR REPLACE TEMP TABLE ${table} (frequency DOUBLE, recency DOUBLE, t DOUBLE, p_alive DOUBLE, expected_purchases DOUBLE, discounted DOUBLE)`, display);
  const appender = await db.connection.createAppender(table);
  for (let k = 0; k < triples.x.length; k++) {
    appender.appendDouble(triples.x[k]);
    appender.appendDouble(triples.t_x[k]);
    appender.appendDouble(triples.T[k]);
    appender.appendDouble(scores.alive[k]);
    appender.appendDouble(scores.purchases[k]);
    appender.appendDouble(scores.discounted[k]);
    appender.endRow();
  }
  appender.closeSync();
}

/**
 * The Gamma-Gamma expected value per purchase of the customer rows aliased `alias` (their
 * monetary_count and monetary columns) as SQL, the fit's parameters as exact literals.
 *
 * @param params the spend model's parameters.
 * @param alias the customer rows' alias.
 */
export function expectedSpendSql(params: { readonly p: number; readonly q: number; readonly gamma: number }, alias: string): string {
  const { p, q, gamma } = params;
  const denominator = `(${double(p)} * ${alias}.monetary_count + ${double(q)} - 1)`;
  return `CASE WHEN ${alias}.monetary_count > 0 THEN ${double(p)} * (${double(gamma)} + ${alias}.monetary * ${alias}.monetary_count) / ${denominator} ELSE ${double(p)} * ${double(gamma)} / ${denominator} END`;
}

/** Distinct (frequency, recency, T) triples with their customer counts, as typed columns. */
export interface TripleColumns {
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
  readonly count: Float64Array;
}

/** Distinct Gamma-Gamma (x, m̄) pairs with their customer counts. */
export interface SpendColumns {
  readonly x: Float64Array;
  readonly mbar: Float64Array;
  readonly count: Float64Array;
}

/**
 * Fits the purchase and spend models on the distinct triples and pairs with counts, as
 * `fitCustomerValue` fits them on a summary (same checks, same messages).
 *
 * @param triples all distinct triples (T = 0 rows are left out of the fit, as the engine does).
 * @param pairs the pairs with x > 0 and m̄ > 0.
 * @param model the model choice.
 * @returns the fit.
 * @throws EngineError INSUFFICIENT_DATA as `fitCustomerValue`.
 */
export function fitOnSummary(triples: TripleColumns, pairs: SpendColumns, model: CountingModelChoice): CustomerValueFit {
  let customers = 0;
  let repeatCustomers = 0;
  let kept = 0;
  for (let k = 0; k < triples.x.length; k++) {
    customers += triples.count[k];
    if (triples.x[k] > 0) repeatCustomers += triples.count[k];
    if (triples.T[k] > 0) kept++;
  }
  requirePurchaseCustomers(customers, repeatCustomers);
  const data = { x: new Float64Array(kept), t_x: new Float64Array(kept), T: new Float64Array(kept), weight: new Float64Array(kept) };
  for (let k = 0, j = 0; k < triples.x.length; k++) {
    if (!(triples.T[k] > 0)) continue;
    data.x[j] = triples.x[k];
    data.t_x[j] = triples.t_x[k];
    data.T[j] = triples.T[k];
    data.weight[j++] = triples.count[k];
  }
  let selection: ModelSelection | null = null;
  let counting: CountingModelFit;
  if (model === "auto") {
    selection = selectCountingModel(data);
    counting = selection.fit;
  } else {
    counting = fitCountingModel(model, data);
  }
  if (pairs.x.length < 2) {
    throw new EngineError(
      "INSUFFICIENT_DATA",
      "order_values: fewer than 2 repeat customers with different positive average values; the spend model (Gamma-Gamma) cannot be fitted",
    );
  }
  const spend = fitGammaGamma({ x: pairs.x, mbar: pairs.mbar, weight: pairs.count });
  return { counting, selection, spend, customers, repeatCustomers };
}

/**
 * Scores every distinct triple: P(alive), expected purchases in the horizon and the discounted
 * expected purchases, computed once per distinct (x, T) pair as `predictCustomerValue` does.
 *
 * @returns per triple: P(alive), expected purchases, discounted expected purchases.
 * @throws EngineError NOT_CONVERGED as `predictCustomerValue`.
 */
export function scoreTriples(
  fit: CustomerValueFit,
  triples: TripleColumns,
  schedule: DiscountSchedule,
): { alive: Float64Array; purchases: Float64Array; discounted: Float64Array } {
  if (!fit.counting.converged) throw notConvergedError(fit.counting);
  const m = triples.x.length;
  const alive = new Float64Array(m);
  const purchases = new Float64Array(m);
  const discounted = new Float64Array(m);
  // The alive expectations depend on (x, T) only: computed once per pair, keyed by T within a run of
  // equal x (the triples come sorted by x; a new x starts a new map).
  let pairs = new Map<number, [number, number]>();
  let pairsOf = Number.NaN;
  for (let k = 0; k < m; k++) {
    const x = triples.x[k];
    const T = triples.T[k];
    if (x !== pairsOf) {
      pairs = new Map();
      pairsOf = x;
    }
    let pair = pairs.get(T);
    if (pair === undefined) {
      const forecast = forecastCustomer(fit.counting, x, triples.t_x[k], T);
      pair = [forecast.aliveCumulativePurchases(schedule.horizonPeriods), discountedPurchases(forecast.aliveCumulativePurchases, schedule)];
      pairs.set(T, pair);
    }
    alive[k] = probabilityAliveOf(fit.counting, x, triples.t_x[k], T);
    purchases[k] = alive[k] * pair[0];
    discounted[k] = alive[k] * pair[1];
    if (!Number.isFinite(alive[k]) || !Number.isFinite(purchases[k]) || !Number.isFinite(discounted[k])) {
      throw new EngineError("NOT_CONVERGED", `the prediction for customers with frequency ${x}, recency ${triples.t_x[k]}, T ${T} is not a finite number`);
    }
  }
  return { alive, purchases, discounted };
}

/** Order values as `imc clv` reads them: a blank one stops the run, a negative one is a refund. */
const ORDER_VALUE_RULE: ValueRule = { argument: "order_values", blankIsError: true, negative: null };

/** Runs the route; see the module comment. */
export async function clvFromFiles(options: ClvFromOptions, io: CliIo): Promise<ClvFromResult> {
  if (options.schedule !== null && options.out === null) {
    throw usageError("--from writes one row per customer to a file: give --out FILE.parquet or --out FILE.csv (or --fit-only)");
  }
  const progress = new Progress(io, "clv");
  const db = await openDuckDb();
  try {
    const source = await fileSource(db, options.pattern, options.display, ORDER_COLUMNS, options.overrides, "date", {
      id: "customer",
      dateOrder: options.dateOrder,
      decimal: options.decimal,
      value: { role: "value", rule: ORDER_VALUE_RULE },
    });
    // What reading left out or interpreted matters to the numbers: always said, as imc report says it.
    for (const note of source.notes) io.stderr(`imc clv: ${note}\n`);
    const orders: OrdersSource = { table: "", relation: source.relation, customer: source.columns.customer, date: source.columns.date, value: source.columns.value, trimmedIds: true };
    const asOf = options.asOf === null ? null : formatSerial(Math.floor(options.asOf));
    const query = customerSummaryQuery({ dialect: "duckdb", orders, asOf, period: options.periodUnit, dates: source.dates });
    progress.stage(`clv: summarising ${options.display} with DuckDB…`);
    const asOfRows = await rows(db, renderQuery({ ctes: query.ctes.slice(0, 2), select: "SELECT CAST(as_of_day AS VARCHAR) FROM as_of" }), options.display);
    const asOfText = asOfRows[0]?.[0];
    if (asOfText === null || asOfText === undefined) throw new CliError("there are no orders in the files", { file: options.display });
    const asOfSerial = toDateSerial(String(asOfText), "as_of", 1);
    await summarise(db, orders, { asOf: asOf ?? String(asOfText), period: options.periodUnit, dates: source.dates }, options.display, progress);
    const first = await rows(db, "SELECT MIN(first_purchase) FROM customer_summary", options.display);
    if (first[0]?.[0] === null || first[0]?.[0] === undefined) {
      throw new EngineError("INVALID_INPUT", "as_of: the date is before the first order; choose a date on or after it", { argument: "as_of" });
    }
    const [tx, ttx, tT, tCount] = await numbers(
      db,
      "SELECT CAST(frequency AS DOUBLE), recency, t, CAST(COUNT(*) AS DOUBLE) FROM customer_summary GROUP BY ALL ORDER BY ALL",
      options.display,
    );
    const triples: TripleColumns = { x: tx, t_x: ttx, T: tT, count: tCount };
    const [px, pm, pCount] = await numbers(
      db,
      "SELECT CAST(monetary_count AS DOUBLE), monetary, CAST(COUNT(*) AS DOUBLE) FROM customer_summary WHERE monetary_count > 0 AND monetary > 0 GROUP BY ALL ORDER BY ALL",
      options.display,
    );
    const pairs: SpendColumns = { x: px, mbar: pm, count: pCount };
    progress.stage(`clv: fitting on ${triples.x.length.toLocaleString("en-US")} distinct triples and ${pairs.x.length.toLocaleString("en-US")} spend pairs…`);
    const fit = fitOnSummary(triples, pairs, options.model);
    if (options.schedule === null || options.out === null) {
      const counts = await rows(
        db,
        renderQuery({
          ctes: query.ctes.slice(0, 2),
          select: [
            "SELECT (SELECT SUM(orders) FROM customer_summary), (SELECT SUM(non_positive_days) FROM customer_summary),",
            "  COUNT(CASE WHEN o.order_day > a.as_of_day THEN 1 END),",
            "  COUNT(DISTINCT o.customer_id) - (SELECT COUNT(*) FROM customer_summary)",
            "FROM order_rows o CROSS JOIN as_of a",
          ].join("\n"),
        }),
        options.display,
      );
      const [ordersUsed, refundDays, ordersAfter, customersAfter] = counts[0].map(num);
      const summary = totalsSummary(options.periodUnit, asOfSerial, ordersUsed, refundDays, ordersAfter, customersAfter);
      return { fit, summary, customersWritten: 0, triples: triples.x.length, spendPairs: pairs.x.length };
    }
    const summary = totalsSummary(options.periodUnit, asOfSerial, 0, 0, 0, 0);

    progress.stage("clv: scoring and writing…");
    const scores = scoreTriples(fit, triples, options.schedule);
    // Checks the spend model's mean exists (q > 1), with the engine's message.
    gammaGammaExpectedSpend(fit.spend.params, 0, 0);
    await writeTripleScores(db, "triple_scores", triples, scores, options.display);
    const spend = expectedSpendSql(fit.spend.params, "s");
    const [customer, frequency, recency, age, average, alive, purchases, expectedSpend, clv] = CLV_PREDICTION_HEADERS.map((h) => `"${h.replace(/"/g, '""')}"`);
    const select = [
      `SELECT s.customer_id AS ${customer}, s.frequency AS ${frequency}, s.recency AS ${recency}, s.t AS ${age}, s.monetary AS ${average},`,
      `  ts.p_alive AS ${alive}, ts.expected_purchases AS ${purchases}, ${spend} AS ${expectedSpend}, ts.discounted * (${spend}) AS ${clv}`,
      "FROM customer_summary s JOIN triple_scores ts ON s.frequency = ts.frequency AND s.recency = ts.recency AND s.t = ts.t",
    ].join("\n");
    const format = isParquetName(options.out) ? "FORMAT parquet" : "FORMAT csv, HEADER true";
    await run(db, `COPY (${select}) TO ${literal(options.out)} (${format})`, options.display);
    const written = await rows(db, "SELECT COUNT(*) FROM customer_summary", options.display);
    return { fit, summary, customersWritten: num(written[0][0]), triples: triples.x.length, spendPairs: pairs.x.length };
  } finally {
    db.close();
  }
}

/**
 * Orders per customer batch of the summary (IMC_CLV_BATCH_ROWS overrides it); see {@link summarise}.
 * On 100M generated orders, batches of 10M took 158 s of CPU and 1.15 GB peak, of 5M 168 s and 1.06 GB
 * (under load); on an idle machine batches of 20M took 75.6–89.8 s in three runs (87.4 s in the bench)
 * against 93.1 s in the bench for 10M, at 1.31–1.38 GB peak: fewer parts to write in the split.
 */
export const SUMMARY_BATCH_ROWS = 20_000_000;

/** Rows per summary batch: IMC_CLV_BATCH_ROWS when it is a positive number, else {@link SUMMARY_BATCH_ROWS}. */
function summaryBatchRows(): number {
  const fromEnv = Number(process.env.IMC_CLV_BATCH_ROWS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : SUMMARY_BATCH_ROWS;
}

/**
 * Makes the view `customer_summary` (the summary SQL's columns, one row per customer) over Parquet
 * files in the spill folder. Up to {@link SUMMARY_BATCH_ROWS} orders the summary SQL runs once. A
 * larger source is first split, in one pass, into one Parquet part per customer-hash bucket (only the
 * three columns, as read); the summary SQL then runs on each part in turn, so the per-(customer, day)
 * grouping, the window and the per-customer grouping of one batch fit in DuckDB's memory instead of
 * spilling (a customer's orders lie in one part). The as-of day is given, so every batch uses the
 * same one.
 */
async function summarise(
  db: DuckDb,
  orders: OrdersSource,
  options: { asOf: string; period: PeriodUnit; dates: "typed" | "text" },
  display: string,
  progress: Progress,
): Promise<void> {
  const counted = await rows(db, `SELECT COUNT(*) FROM ${orders.relation ?? ""}`, display);
  const batches = Math.max(1, Math.ceil(Number(counted[0][0]) / summaryBatchRows()));
  const summaryDir = path.join(db.spill, "summary");
  mkdirSync(summaryDir);
  const summaryOf = (relation: string): string => {
    const query = customerSummaryQuery({ dialect: "duckdb", orders: { ...orders, relation }, asOf: options.asOf, period: options.period, dates: options.dates });
    const summaryCte = query.ctes.find(([name]) => name === "customer_summary")![1];
    return renderQuery({ ctes: query.ctes.filter(([name]) => name !== "customer_summary"), select: summaryCte });
  };
  if (batches > 1) progress.stage(`clv: splitting ${display} into ${batches} customer batches…`);
  const parts = batches === 1 ? [orders.relation ?? ""] : await split(db, orders.relation ?? "", [orders.customer, orders.date, orders.value], batches, display);
  for (let k = 0; k < parts.length; k++) {
    const relation = parts[k];
    if (relation === null) continue;
    if (batches > 1) progress.stage(`clv: summarising customer batch ${k + 1} of ${batches} with DuckDB…`);
    await run(db, `COPY (${summaryOf(relation)}) TO ${literal(path.join(summaryDir, `${k}.parquet`))} (FORMAT parquet)`, display);
  }
  await run(db, `CREATE TEMP VIEW customer_summary AS SELECT * FROM read_parquet(${literal(path.join(summaryDir, "*.parquet"))})`, display);
}

/** A one-entry summary holding totals, for clvFitRows. */
function totalsSummary(periodUnit: PeriodUnit, asOf: number, orders: number, refundDays: number, ordersAfterAsOf: number, customersAfterAsOf: number): CustomerSummary {
  const one = new Float64Array(1);
  return {
    periodUnit,
    asOf,
    customerIds: ["(all)"],
    firstPurchase: one,
    lastPurchase: one,
    orders: Int32Array.of(orders),
    frequency: one,
    recency: one,
    T: one,
    totalValue: one,
    monetary: one,
    monetaryCount: one,
    nonPositiveDays: Int32Array.of(refundDays),
    ordersAfterAsOf,
    customersAfterAsOf,
  };
}
