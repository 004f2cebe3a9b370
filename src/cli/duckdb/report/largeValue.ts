/**
 * The first piece of the Customer Value tab past the customer cap: the purchase and spend models
 * fitted on the distinct (frequency, recency, T) triples and (x, m̄) pairs of every customer, with
 * their counts, read from the per-customer facts table in DuckDB (customerFacts.ts), exactly as
 * `imc clv --from` fits them (clvFrom.ts `fitOnSummary`, the same model choice as
 * `fitCustomerValue`), and the totals over all customers from the predictions per distinct triple
 * joined back in DuckDB.
 *
 * Not yet wired into `imc report`: past the cap the Customer Value tab is still skipped with its
 * reason (summarisedOrders.ts `customerFactsMissing`). What remains is the tab's other summaries
 * (at-risk list, histograms, value by segment, holdout) and the listed customers.
 */

import { type CountingModelChoice, type CustomerValueFit, DAYS_PER_PERIOD, discountedPurchases, expectedPurchasesNew, forecastCustomer, gammaGammaExpectedSpend, type PeriodUnit, periodSchedule } from "../../../engine/clv";
import { fitOnSummary, scoreTriples, type SpendColumns, type TripleColumns } from "../clvFrom";
import { type DuckDb, duckNumbers as numbers, duckRun as run } from "../connection";
import { withCustomerFactsTable, type CustomerFactsFromOptions, type OrderFileSource } from "./customerFacts";

/** The options of {@link largeValueFitFrom}. */
export interface LargeValueOptions extends CustomerFactsFromOptions {
  /** The purchase model choice ("auto" as the tab's default). */
  readonly model: CountingModelChoice;
  /** Horizon in periods. */
  readonly horizonPeriods: number;
  /** Yearly discount rate. */
  readonly annualDiscountRate: number;
}

/** The fit on every customer and the totals the tab's headline shows. */
export interface LargeValueFit {
  readonly fit: CustomerValueFit;
  /** Customers with an order up to as of. */
  readonly customers: number;
  /** Distinct triples and spend pairs fitted on. */
  readonly triples: number;
  readonly spendPairs: number;
  /** Sums over all customers (added by DuckDB, in no fixed order). */
  readonly clvTotal: number;
  readonly purchasesTotal: number;
  readonly oneTimeBuyers: number;
  /** Customers with P(alive) ≥ the threshold asked for (all customers, one-time buyers included). */
  readonly likelyActive: number;
  readonly refundDays: number;
  /** A new customer's expected value per purchase and CLV (the Budget tab's CLV : CAC check). */
  readonly newSpend: number;
  readonly newCustomerClv: number;
  readonly newPurchases: number;
}

/** A double as an exact DuckDB literal. */
const double = (value: number): string => `CAST('${String(value)}' AS DOUBLE)`;

/**
 * Fits the Customer Value tab's models on the distinct triples and pairs of every customer in DuckDB
 * and sums the predictions over all customers, holding only the distinct triples in memory.
 *
 * @param db the open DuckDB the source was opened in.
 * @param source the orders, opened with `rowOrder: true`.
 * @param options as-of, period, the pattern opened, the model, horizon and discount rate.
 * @param display the files' name for messages.
 * @param likelyActive the P(alive) at or above which a customer counts as likely active.
 * @returns the fit and the totals.
 * @throws EngineError as `customerFactsFrom`; INSUFFICIENT_DATA / NOT_CONVERGED as `fitCustomerValue` and `predictCustomerValue`.
 */
export async function largeValueFitFrom(db: DuckDb, source: OrderFileSource, options: LargeValueOptions, display: string, likelyActive = 0.5): Promise<LargeValueFit> {
  const periodUnit: PeriodUnit = options.periodUnit;
  if (!(periodUnit in DAYS_PER_PERIOD)) throw new Error(`largeValueFitFrom: unknown period ${String(periodUnit)}`);
  const schedule = periodSchedule(options.horizonPeriods, options.annualDiscountRate, periodUnit);
  return withCustomerFactsTable(db, source, { ...options, holdoutPeriods: null }, display, async () => {
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
    await run(db, "CREATE OR REPLACE TEMP TABLE imc_value_triples (frequency DOUBLE, recency DOUBLE, t DOUBLE, p_alive DOUBLE, expected_purchases DOUBLE, discounted DOUBLE)", display);
    try {
      const appender = await db.connection.createAppender("imc_value_triples");
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
      const { p, q, gamma } = fit.spend.params;
      const denominator = `(${double(p)} * s.monetary_count + ${double(q)} - 1)`;
      const spend = `CASE WHEN s.monetary_count > 0 THEN ${double(p)} * (${double(gamma)} + s.monetary * s.monetary_count) / ${denominator} ELSE ${double(p)} * ${double(gamma)} / ${denominator} END`;
      const [[customers], [clvTotal], [purchasesTotal], [oneTime], [active], [refundDays]] = await numbers(
        db,
        [
          "SELECT CAST(COUNT(*) AS DOUBLE), SUM(v.discounted * (" + spend + ")), SUM(v.expected_purchases),",
          `  CAST(COUNT(CASE WHEN s.frequency = 0 THEN 1 END) AS DOUBLE), CAST(COUNT(CASE WHEN v.p_alive >= ${double(likelyActive)} THEN 1 END) AS DOUBLE),`,
          "  CAST(SUM(s.non_positive_days) AS DOUBLE)",
          "FROM imc_customer_facts s JOIN imc_value_triples v ON CAST(s.frequency AS DOUBLE) = v.frequency AND CAST(s.recency AS DOUBLE) = v.recency AND CAST(s.t AS DOUBLE) = v.t",
          "WHERE s.orders IS NOT NULL",
        ].join("\n"),
        display,
      );
      return {
        fit,
        customers,
        triples: triples.x.length,
        spendPairs: pairs.x.length,
        clvTotal,
        purchasesTotal,
        oneTimeBuyers: oneTime,
        likelyActive: active,
        refundDays,
        newSpend,
        newCustomerClv,
        newPurchases: expectedPurchasesNew(fit.counting, options.horizonPeriods),
      };
    } finally {
      await run(db, "DROP TABLE IF EXISTS imc_value_triples", display);
    }
  });
}
