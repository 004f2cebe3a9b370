/**
 * The Customer Value tab past the customer cap (src/reports/largeValueFacts.ts): the purchase and
 * spend models fitted on the distinct (frequency, recency, T) triples and (x, m̄) pairs of every
 * customer, with their counts, read from the per-customer facts table in DuckDB (customerFacts.ts),
 * exactly as `imc clv --from` fits them (clvFrom.ts `fitOnSummary`, the same model choice as
 * `fitCustomerValue`); the predictions per distinct triple joined back to every customer in DuckDB;
 * every count and sum the tab shows as a GROUP BY; and only the customers the tab lists (the first by
 * CLV, the first high-value customers at risk) fetched into memory and scored by the engine.
 */

import { COUNTING_MODEL_LABELS, countingModelPurchaseHistogram, type CountingModelName, predictRows, DAYS_PER_PERIOD, discountedPurchases, expectedPurchasesNew, forecastCustomer, gammaGammaExpectedSpend, type PeriodUnit, periodSchedule } from "../../../engine/clv";
import path from "node:path";
import { formatSerial } from "../../../engine/data/dates";
import { EngineError, invalidArgument } from "../../../engine/errors";
import { ALIVE_BANDS, aliveBand, LIKELY_ACTIVE, NO_SEGMENT, RISK_ALIVE, RISK_LISTED, RISK_TOP_SHARE } from "../../../reports/customerValue/analysis";
import type { LargeValueFacts, LargeValueListed, LargeValueOptions } from "../../../reports/largeValueFacts";
import { LAST_BIN, type HoldoutResult } from "../../../reports/customerValue/holdout";
import { renderQuery } from "../../../sql/queries";
import { double, expectedSpendSql, fitOnSummary, scoreTriples, type SpendColumns, type TripleColumns, writeTripleScores } from "../clvFrom";
import { type DuckDb, literal, duckNumbers as numbers, duckRun as run } from "../connection";
import { scoreSegments } from "./largeCustomers";
import { serialOf, texts, withCustomerFactsTable, writeParts, type CustomerFactsFromOptions, type CustomerFactsTable, type OrderFileSource } from "./customerFacts";

/** The options of {@link largeValueFitFrom}: the tab's, and the pattern the source was opened from. */
export type LargeValueFromOptions = LargeValueOptions & Pick<CustomerFactsFromOptions, "pattern">;

/**
 * The Customer Value tab's facts over every customer: the models fitted on the distinct triples and
 * pairs in DuckDB, the predictions summed over all customers there, only the listed customers in memory.
 *
 * @param db the open DuckDB the source was opened in.
 * @param source the orders, opened with `rowOrder: true`.
 * @param options the tab's options (as-of, period, holdout, model, horizon, discount rate, customers to list) and the pattern opened.
 * @param display the files' name for messages.
 * @returns the facts.
 * @throws EngineError as `customerFactsFrom`; INSUFFICIENT_DATA / NOT_CONVERGED as `fitCustomerValue` and `predictCustomerValue`.
 */
export async function largeValueFitFrom(db: DuckDb, source: OrderFileSource, options: LargeValueFromOptions, display: string): Promise<LargeValueFacts> {
  return withCustomerFactsTable(db, source, options, display, (table) => largeValueFactsOn(db, table, options, display));
}

/**
 * {@link largeValueFitFrom} on a per-customer facts table already made (shared with the Segmentation
 * facts) for the same as-of date, period and holdout.
 *
 * @param db the open DuckDB the table is in.
 * @param table the facts table (`withCustomerFactsTable`).
 * @param options as for {@link largeValueFitFrom} (the table's as-of date, period and holdout).
 * @param display the files' name for messages.
 */
export async function largeValueFactsOn(db: DuckDb, table: CustomerFactsTable, options: LargeValueOptions, display: string): Promise<LargeValueFacts> {
  const periodUnit: PeriodUnit = options.periodUnit;
  if (!(periodUnit in DAYS_PER_PERIOD)) throw new Error(`largeValueFitFrom: unknown period ${String(periodUnit)}`);
  const schedule = periodSchedule(options.horizonPeriods, options.annualDiscountRate, periodUnit);
    const [tx, ttx, tT, tCount] = await numbers(
    db,
    "SELECT CAST(frequency AS DOUBLE), CAST(recency AS DOUBLE), CAST(t AS DOUBLE), CAST(COUNT(*) AS DOUBLE) FROM imc_customer_facts WHERE orders IS NOT NULL GROUP BY ALL ORDER BY ALL",
    display,
  );
  const triples: TripleColumns = { x: tx, t_x: ttx, T: tT, count: tCount };
  const [px, pm, pCount] = await numbers(
    db,
    "SELECT CAST(monetary_count AS DOUBLE), CAST(monetary AS DOUBLE), CAST(COUNT(*) AS DOUBLE) FROM imc_customer_facts WHERE orders IS NOT NULL AND monetary_count > 0 AND monetary > 0 GROUP BY ALL ORDER BY ALL",
    display,
  );
  const pairs: SpendColumns = { x: px, mbar: pm, count: pCount };
  const fit = fitOnSummary(triples, pairs, options.model);
  const scores = scoreTriples(fit, triples, schedule);
  const newSpend = gammaGammaExpectedSpend(fit.spend.params, 0, 0);
  const newCustomerClv = discountedPurchases(forecastCustomer(fit.counting, 0, 0, 0).cumulativePurchases, schedule) * newSpend;
  try {
    await writeTripleScores(db, "imc_value_triples", triples, scores, display);
    const spend = expectedSpendSql(fit.spend.params, "s");
    // One row per customer with an order up to as of, its predictions joined back from its triple.
    await run(
      db,
      [
        "CREATE OR REPLACE TEMP TABLE imc_value_customers AS",
        "SELECT s.customer_id, s.first_row, CAST(s.frequency AS DOUBLE) AS frequency, CAST(s.total_value AS DOUBLE) AS total_value, CAST(s.non_positive_days AS DOUBLE) AS refund_days,",
        "  CAST(s.recency AS DOUBLE) AS recency, CAST(s.t AS DOUBLE) AS t, CAST(s.monetary_count AS DOUBLE) AS monetary_count, CAST(s.monetary AS DOUBLE) AS monetary,",
        `  v.p_alive, v.expected_purchases, v.discounted * (${spend}) AS clv`,
        "FROM imc_customer_facts s JOIN imc_value_triples v ON CAST(s.frequency AS DOUBLE) = v.frequency AND CAST(s.recency AS DOUBLE) = v.recency AND CAST(s.t AS DOUBLE) = v.t",
        "WHERE s.orders IS NOT NULL",
      ].join("\n"),
      display,
    );
    // RFM segments at the same as-of day (the same customers), by the Segmentation tab's SQL.
    await scoreSegments(db, table.asOfDay, options.thresholds, display);
    await run(
      db,
      `CREATE OR REPLACE TEMP TABLE imc_value_segmented AS SELECT v.*, COALESCE(g.segment, ${literal(NO_SEGMENT)}) AS segment FROM imc_value_customers v LEFT JOIN imc_seg_scored g ON g.customer_id = v.customer_id`,
      display,
    );
    // The counts over all customers from the distinct triples: every customer of a triple has its
    // P(alive) and expected purchases (the CLV also depends on the customer's spend: summed in SQL).
    let customers = 0;
    let oneTime = 0;
    let purchasesTotal = 0;
    const repeatPurchases = new Array<number>(LAST_BIN + 1).fill(0);
    const ageCounts = new Map<number, number>();
    for (let k = 0; k < tx.length; k++) {
      const n = tCount[k];
      customers += n;
      if (tx[k] === 0) oneTime += n;
      purchasesTotal += n * scores.purchases[k];
      repeatPurchases[Math.min(LAST_BIN, tx[k])] += n;
      ageCounts.set(tT[k], (ageCounts.get(tT[k]) ?? 0) + n);
    }
    const oneTimeNotEstimated = fit.counting.model === "bgnbd" && oneTime > 0;
    let judged = 0;
    let active = 0;
    const aliveBands = new Array<number>(ALIVE_BANDS).fill(0);
    for (let k = 0; k < tx.length; k++) {
      if (oneTimeNotEstimated && tx[k] === 0) continue;
      const n = tCount[k];
      judged += n;
      if (scores.alive[k] >= LIKELY_ACTIVE) active += n;
      const band = aliveBand(scores.alive[k]);
      if (band >= 0) aliveBands[band] += n;
    }
    const estimated = oneTimeNotEstimated ? "frequency > 0" : "TRUE";
    const [[clvTotal], [refundDays]] = await numbers(db, "SELECT SUM(clv), SUM(refund_days) FROM imc_value_customers", display);
    // The model's counts: per distinct age T (ascending), the engine's probabilities times the customers of that age.
    let modelRepeatPurchases: number[] | null = null;
    for (const age of [...ageCounts.keys()].sort((x, y) => x - y)) {
      const one = countingModelPurchaseHistogram(fit.counting, [0], [age], LAST_BIN);
      if (one === null) break;
      modelRepeatPurchases ??= new Array<number>(LAST_BIN + 1).fill(0);
      for (let bin = 0; bin <= LAST_BIN; bin++) modelRepeatPurchases[bin] += ageCounts.get(age)! * one.expected[bin];
    }
    // The top 10% by CLV (ties: first appearance first, as descendingOrder ranks them).
    const topCount = Math.max(1, Math.ceil(customers / 10));
    const [[topClv]] = await numbers(db, `SELECT SUM(clv) FROM (SELECT clv FROM imc_value_customers ORDER BY clv DESC, first_row LIMIT ${topCount})`, display);
    // High value at risk: past revenue at or above the value at rank ceil(20% n) (highest first), above 0, P(alive) below 50%.
    const [[threshold]] = await numbers(
      db,
      `SELECT total_value FROM imc_value_customers ORDER BY total_value DESC, first_row LIMIT 1 OFFSET ${Math.max(0, Math.ceil(customers * RISK_TOP_SHARE) - 1)}`,
      display,
    );
    const segmentNames = await texts(db, "SELECT segment FROM imc_value_segmented GROUP BY segment ORDER BY segment", display);
    const [segmentCustomers, segmentClv] = await numbers(db, "SELECT CAST(COUNT(*) AS DOUBLE), SUM(clv) FROM imc_value_segmented GROUP BY segment ORDER BY segment", display);
    const segments = segmentNames.map((name, k) => ({ name, customers: segmentCustomers[k], clv: segmentClv[k] }));
    const [[lifecycleAlive]] = await numbers(
      db,
      `SELECT CAST(COUNT(*) AS DOUBLE) FROM imc_value_segmented WHERE ${estimated} AND segment IN ('Lost', 'Hibernating') AND p_alive >= ${double(LIKELY_ACTIVE)}`,
      display,
    );
    const atRisk = `total_value >= ${double(threshold)} AND total_value > 0 AND p_alive < ${double(RISK_ALIVE)}`;
    const [[riskCustomers], [riskRevenue], [riskClv]] = await numbers(
      db,
      `SELECT CAST(COUNT(*) AS DOUBLE), COALESCE(SUM(total_value), 0), COALESCE(SUM(clv), 0) FROM imc_value_customers WHERE ${atRisk}`,
      display,
    );
    const listedBy = async (where: string, order: string, limit: number): Promise<LargeValueListed> => {
      const from = `FROM imc_value_segmented WHERE ${where} ORDER BY ${order}, first_row LIMIT ${Math.max(0, Math.trunc(limit))}`;
      const customerIds = await texts(db, `SELECT customer_id ${from}`, display);
      const segment = await texts(db, `SELECT segment ${from}`, display);
      const [frequency, recency, T, monetaryCount, monetary, totalValue] = await numbers(db, `SELECT frequency, recency, t, monetary_count, monetary, total_value ${from}`, display);
      const predictions = predictRows({ frequency, recency, T, monetaryCount, monetary }, fit.counting, fit.spend, schedule, (i) => `customer ${customerIds[i]}`);
      return { customerIds, segment, frequency, recency, T, monetary, monetaryCount, totalValue, predictions };
    };
    // The customers the tab lists, by CLV and the first at risk by past revenue (ties: first appearance first), scored again by the engine.
    const riskListed = await listedBy(atRisk, "total_value DESC", RISK_LISTED);
    const listed = await listedBy("TRUE", "clv DESC", options.maxListed);
    const [[ordersAfterAsOf], [customersAfterAsOf], [decimalIds]] = await numbers(
      db,
      [
        "SELECT CAST(COALESCE(SUM(rows_after), 0) AS DOUBLE), CAST(COUNT(CASE WHEN orders IS NULL THEN 1 END) AS DOUBLE),",
        `  CAST(COUNT(CASE WHEN orders IS NOT NULL AND regexp_full_match(CAST(customer_id AS VARCHAR), '-?[0-9]+\\.[0-9]+') THEN 1 END) AS DOUBLE)`,
        "FROM imc_customer_facts",
      ].join("\n"),
      display,
    );
    const holdout = options.holdoutPeriods === null ? null : await largeHoldout(db, table, options.holdoutPeriods, periodUnit, fit.counting.model, display);
    return {
      options: { asOf: options.asOf, periodUnit, holdoutPeriods: options.holdoutPeriods, thresholds: options.thresholds, model: options.model, horizonPeriods: options.horizonPeriods, annualDiscountRate: options.annualDiscountRate, maxListed: options.maxListed },
      fit,
      asOfDay: table.asOfDay,
      holdout,
      orderRows: table.rowCount,
      ordersAfterAsOf,
      customersAfterAsOf,
      integerIds: decimalIds === 0,
      customers,
      listed,
      triples: triples.x.length,
      spendPairs: pairs.x.length,
      clvTotal,
      purchasesTotal,
      oneTimeBuyers: oneTime,
      oneTimeNotEstimated,
      judged,
      likelyActive: active,
      refundDays,
      aliveBands,
      repeatPurchases,
      modelRepeatPurchases,
      topCount,
      topShare: clvTotal > 0 ? topClv / clvTotal : 0,
      risk: {
        threshold,
        customers: riskCustomers,
        pastRevenue: riskRevenue,
        clv: riskClv,
        listed: riskListed,
      },
      segments,
      lifecycleLikelyActive: lifecycleAlive,
      newSpend,
      newCustomerClv,
      newPurchases: expectedPurchasesNew(fit.counting, options.horizonPeriods),
    };
  } finally {
    await run(db, "DROP TABLE IF EXISTS imc_value_triples; DROP TABLE IF EXISTS imc_value_customers; DROP TABLE IF EXISTS imc_value_segmented; DROP TABLE IF EXISTS imc_seg; DROP TABLE IF EXISTS imc_seg_scored", display);
  }
}

/**
 * The holdout check of holdout.ts `holdoutCheck` on every customer: the calibration summary at
 * as of − holdout per customer batch (with each customer's holdout purchase days), fitted on its
 * distinct triples and pairs with the model of the tab, the forecast per distinct triple, the
 * comparison's sums weighted by the customers of each (triple, holdout purchases).
 */
async function largeHoldout(db: DuckDb, table: CustomerFactsTable, holdoutPeriods: number, periodUnit: PeriodUnit, model: CountingModelName, display: string): Promise<HoldoutResult> {
  if (!(Number.isFinite(holdoutPeriods) && holdoutPeriods > 0)) {
    throw invalidArgument("holdout_periods", `must be a number of periods above 0, got ${String(holdoutPeriods)}`);
  }
  const { asOfDay, firstDay } = table;
  const calibrationEnd = Math.floor(asOfDay - holdoutPeriods * DAYS_PER_PERIOD[periodUnit]);
  if (calibrationEnd < firstDay || table.calibrationEnd !== calibrationEnd) {
    throw invalidArgument(
      "holdout_periods",
      `${holdoutPeriods} ${periodUnit}s before as of (${formatSerial(asOfDay)}) is ${formatSerial(Math.max(1, calibrationEnd))}, before the first order (${formatSerial(firstDay)}); choose a shorter holdout`,
    );
  }
  const select = [
    "SELECT CAST(s.frequency AS DOUBLE) AS frequency, CAST(s.recency AS DOUBLE) AS recency, CAST(s.t AS DOUBLE) AS t,",
    "  CAST(s.monetary_count AS DOUBLE) AS monetary_count, CAST(s.monetary AS DOUBLE) AS monetary, CAST(f.holdout_days AS DOUBLE) AS holdout_days",
    "FROM customer_summary s JOIN imc_customer_facts f ON f.customer_id = s.customer_id",
  ].join("\n");
  const { batches } = table;
  await writeParts(db, batches.parts, (relation) => renderQuery({ ctes: batches.summaryAt(relation, calibrationEnd).ctes, select }), path.join(batches.folder, "value-calibration"), "imc_value_calibration", display);
  try {
    const [tx, ttx, tT, tCount] = await numbers(db, "SELECT frequency, recency, t, CAST(COUNT(*) AS DOUBLE) FROM imc_value_calibration GROUP BY ALL ORDER BY ALL", display);
    const [px, pm, pCount] = await numbers(
      db,
      "SELECT monetary_count, monetary, CAST(COUNT(*) AS DOUBLE) FROM imc_value_calibration WHERE monetary_count > 0 AND monetary > 0 GROUP BY ALL ORDER BY ALL",
      display,
    );
    const fit = fitOnSummary({ x: tx, t_x: ttx, T: tT, count: tCount }, { x: px, mbar: pm, count: pCount }, model);
    if (!fit.counting.converged) {
      throw new EngineError(
        "NOT_CONVERGED",
        `the ${COUNTING_MODEL_LABELS[model]} fit on the orders before the holdout (up to ${formatSerial(calibrationEnd)}) did not converge; choose a shorter holdout or use more customers`,
        { argument: "holdout_periods" },
      );
    }
    const periods = (asOfDay - calibrationEnd) / DAYS_PER_PERIOD[periodUnit];
    const [x, tx2, T, actual, count] = await numbers(db, "SELECT frequency, recency, t, holdout_days, CAST(COUNT(*) AS DOUBLE) FROM imc_value_calibration GROUP BY ALL ORDER BY ALL", display);
    const forecasts = new Map<string, number>();
    const predicted = new Float64Array(x.length);
    for (let k = 0; k < x.length; k++) {
      const key = `${x[k]},${tx2[k]},${T[k]}`;
      let forecast = forecasts.get(key);
      if (forecast === undefined) {
        forecast = forecastCustomer(fit.counting, x[k], tx2[k], T[k]).cumulativePurchases(periods);
        if (!Number.isFinite(forecast)) {
          throw new EngineError("NOT_CONVERGED", `the holdout prediction for customers with frequency ${x[k]}, recency ${tx2[k]}, T ${T[k]} is not a finite number`, {
            argument: "holdout_periods",
          });
        }
        forecasts.set(key, forecast);
      }
      predicted[k] = forecast;
    }
    const buckets = Array.from({ length: LAST_BIN + 1 }, () => ({ customers: 0, actual: 0, predicted: 0 }));
    let n = 0;
    let actualTotal = 0;
    let predictedTotal = 0;
    let absolute = 0;
    let squared = 0;
    for (let k = 0; k < x.length; k++) {
      const bucket = buckets[Math.min(LAST_BIN, x[k])];
      bucket.customers += count[k];
      bucket.actual += count[k] * actual[k];
      bucket.predicted += count[k] * predicted[k];
      n += count[k];
      actualTotal += count[k] * actual[k];
      predictedTotal += count[k] * predicted[k];
      absolute += count[k] * Math.abs(actual[k] - predicted[k]);
      squared += count[k] * (actual[k] - predicted[k]) ** 2;
    }
    const meanA = actualTotal / n;
    const meanP = predictedTotal / n;
    let sab = 0;
    let saa = 0;
    let spp = 0;
    for (let k = 0; k < x.length; k++) {
      sab += count[k] * (actual[k] - meanA) * (predicted[k] - meanP);
      saa += count[k] * (actual[k] - meanA) ** 2;
      spp += count[k] * (predicted[k] - meanP) ** 2;
    }
    const [[newCustomers]] = await numbers(
      db,
      `SELECT CAST(COUNT(CASE WHEN ${serialOf("first_day")} > ${calibrationEnd} AND ${serialOf("first_day")} <= ${asOfDay} THEN 1 END) AS DOUBLE) FROM imc_customer_facts`,
      display,
    );
    return {
      calibrationEnd,
      holdoutEnd: asOfDay,
      holdoutPeriods: periods,
      comparison: {
        customers: n,
        actualTotal,
        predictedTotal,
        meanAbsoluteError: absolute / n,
        rootMeanSquaredError: Math.sqrt(squared / n),
        correlation: saa > 0 && spp > 0 ? sab / Math.sqrt(saa * spp) : 0,
      },
      newCustomers,
      buckets,
    };
  } finally {
    await run(db, "DROP VIEW IF EXISTS imc_value_calibration", display);
  }
}
