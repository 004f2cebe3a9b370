/**
 * Segmentation custom functions: IMC.RFM, IMC.CLUSTER and IMC.LIFECYCLE (IMC step 1: identify
 * customers by what they do).
 *
 * Thin adapters: Excel arguments → engine (src/engine/segmentation) → spilled cells. The JSDoc of each
 * `@customfunction` is what Excel users see in formula autocomplete and the function dialog.
 */

import { alignRows, isBlankCell, readTransactions, shapeOf, toColumn, toNumber, type Range, type Transactions } from "../engine/data";
import { EngineError, invalidArgument } from "../engine/errors";
import {
  behaviouralClusters,
  DEFAULT_CLUSTER_SEED,
  DEFAULT_LIFECYCLE_THRESHOLDS,
  lifecycleStages,
  rfmScores,
  type LifecycleThresholds,
  type MonetaryScheme,
  type RfmResult,
} from "../engine/segmentation";
import { optionChoice, optionDate, optionNumber } from "./arguments";
import { locateError } from "./errors";
import { spill, type SpillCell } from "./table";

/**
 * Each kept customer's id as the user typed it: a number id stays a number (so lookups against the
 * source column match), anything else is the trimmed text the engine grouped by.
 */
function customerCells(customerIds: unknown, transactions: Transactions, sourceCustomer: Int32Array): SpillCell[] {
  const range = customerIds as Range;
  const firstRow = new Int32Array(transactions.customerIds.length).fill(-1);
  const { customerIndex, rowCount } = transactions;
  for (let i = 0; i < rowCount; i++) if (firstRow[customerIndex[i]] < 0) firstRow[customerIndex[i]] = i;
  const isRow = range.length === 1;
  const cells = new Array<SpillCell>(sourceCustomer.length);
  for (let c = 0; c < sourceCustomer.length; c++) {
    const source = sourceCustomer[c];
    const row = firstRow[source];
    const cell = isRow ? range[0][row] : range[row][0];
    cells[c] = typeof cell === "number" ? cell : transactions.customerIds[source];
  }
  return cells;
}

/**
 * IMC.RFM's table, header first: Customer, Recency (days), Frequency, Monetary (or "Monetary (mean)"),
 * R, F, M, RFM, Segment; one row per customer in the result's order. Pure: `imc rfm` prints the same rows.
 *
 * @param result the engine's scores.
 * @param monetary the scheme the scores used (names the Monetary column).
 * @param ids the cell shown for each customer (default: the engine's id text).
 */
export function rfmRows(result: RfmResult, monetary: MonetaryScheme, ids: readonly SpillCell[] = result.customerIds): SpillCell[][] {
  const rows: SpillCell[][] = [
    ["Customer", "Recency (days)", "Frequency", monetary === "mean" ? "Monetary (mean)" : "Monetary", "R", "F", "M", "RFM", "Segment"],
  ];
  for (let c = 0; c < ids.length; c++) {
    rows.push([
      ids[c],
      result.recencyDays[c],
      result.frequency[c],
      result.monetary[c],
      result.r[c],
      result.f[c],
      result.m[c],
      result.code[c],
      result.segment[c],
    ]);
  }
  return rows;
}

/**
 * RFM per customer: days since last order, orders, total value, 1–5 quintile scores, RFM code and segment (Champions, Loyal, At Risk…). Example: =IMC.RFM(A2:A500, B2:B500, C2:C500).
 * @customfunction RFM
 * @param customer_ids Customer id of each order (text or numbers), one row per order.
 * @param order_dates Order date of each row (date cells or text like 2024-01-31).
 * @param order_values Order value of each row (refunds as negative values reduce the total).
 * @param [as_of] Date to measure recency from. Default: the last order date in the data. Orders after it are left out.
 * @param [scheme] "sum" (default) for total spend as Monetary, or "mean" for average order value.
 * @returns A table with a header: Customer, Recency (days), Frequency, Monetary, R, F, M, RFM, Segment; customers in order of first appearance.
 */
export function rfm(
  customer_ids: any[][],
  order_dates: any[][],
  order_values: any[][],
  as_of?: any[][],
  scheme?: any[][],
): any[][] {
  return spill("IMC.RFM", () => {
    const asOf = optionDate(as_of, "as_of");
    const monetary = optionChoice(scheme, "scheme", ["sum", "mean"] as const) ?? "sum";
    const transactions = readTransactions(customer_ids, order_dates, order_values);
    const result = rfmScores(transactions, { asOf, monetary });
    return rfmRows(result, monetary, customerCells(customer_ids, transactions, result.sourceCustomer));
  });
}

/** The features range as an n × m matrix of numbers; trailing blank (or all-zero) rows dropped. */
function readFeatures(features: unknown): { rows: number; columns: number; values: Float64Array } {
  const { columns } = shapeOf(features, "features");
  const range = features as Range;
  const aligned = Array.from({ length: columns }, (_, c) => ({ argument: "features", values: range.map((row) => row[c]) }));
  // Desktop Excel sends 0 for the empty cells of a whole-column reference; an all-zero row is not a customer.
  const rows = alignRows(aligned, { zeroIsBlank: true });
  if (rows === 0) throw new EngineError("INSUFFICIENT_DATA", "features: the range is blank; nothing to cluster", { argument: "features" });
  const values = new Float64Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const row = range[r];
    for (let c = 0; c < columns; c++) {
      const cell = row[c];
      if (typeof cell === "number" && Number.isFinite(cell)) {
        values[r * columns + c] = cell;
        continue;
      }
      try {
        values[r * columns + c] = toNumber(cell, "features", r + 1);
      } catch (error) {
        throw locateError(error, "features", { row: r + 1, column: c + 1 });
      }
    }
  }
  return { rows, columns, values };
}

/**
 * Behavioural cluster (1, 2, 3…) of each customer row: k-means on standardised log features such as recency, frequency and spend. Example: =IMC.CLUSTER(B2:D500) or =IMC.CLUSTER(B2:D500, 4).
 * @customfunction CLUSTER
 * @param features One row per customer, one column per feature (numbers 0 or more, e.g. days since last order, orders, total spend).
 * @param [clusters] Number of clusters, 2 to 100. Default: chosen from 3 to 8 by the best silhouette.
 * @param [seed] Whole number fixing the random starts, so results repeat. Default 42.
 * @returns The cluster number of each row (1 = largest cluster), one per row of features, no header.
 */
export function cluster(features: any[][], clusters?: any[][], seed?: any[][]): any[][] {
  return spill("IMC.CLUSTER", () => {
    const clusterCount = optionNumber(clusters, "clusters");
    const seedValue = optionNumber(seed, "seed") ?? DEFAULT_CLUSTER_SEED;
    const matrix = readFeatures(features);
    const result = behaviouralClusters(matrix, { clusterCount, seed: seedValue });
    if (!result.converged) {
      throw new EngineError(
        "NOT_CONVERGED",
        `IMC.CLUSTER: k-means did not settle within ${result.iterations} iterations; try another seed or fewer clusters`,
      );
    }
    return Array.from(result.cluster, (number) => [number]);
  });
}

/** Thresholds [new, active, at-risk] in days from a 1×3 or 3×1 range. */
function readThresholds(thresholds: unknown): LifecycleThresholds {
  if (thresholds === null || thresholds === undefined) return DEFAULT_LIFECYCLE_THRESHOLDS;
  const cells = toColumn(thresholds, "thresholds");
  if (cells.length === 1 && isBlankCell(cells[0])) return DEFAULT_LIFECYCLE_THRESHOLDS;
  if (cells.length !== 3) {
    throw invalidArgument("thresholds", `expected 3 cells (new, active, at-risk days, e.g. {30,60,90}), got ${cells.length}`);
  }
  const isRow = (thresholds as Range).length === 1;
  const days = cells.map((cell, i) => {
    try {
      return toNumber(cell, "thresholds", isRow ? 1 : i + 1);
    } catch (error) {
      throw isRow ? locateError(error, "thresholds", { row: 1, column: i + 1 }) : error;
    }
  });
  return { newDays: days[0], activeDays: days[1], atRiskDays: days[2] };
}

/**
 * Lifecycle stage of each customer (New, Active, At risk, Lapsed, Reactivated) from order dates. Example: =IMC.LIFECYCLE(A2:A500, B2:B500, , {30,60,90}).
 * @customfunction LIFECYCLE
 * @param customer_ids Customer id of each order (text or numbers), one row per order.
 * @param order_dates Order date of each row (date cells or text like 2024-01-31).
 * @param [as_of] Date the stages are measured at. Default: the last order date in the data. Orders after it are left out.
 * @param [thresholds] Three day limits {new, active, at risk}: default {30,60,90} — first order within 30 days is New, last order within 60 Active, within 90 At risk, beyond that Lapsed.
 * @returns A table with a header: Customer, Stage, Days since last purchase, Days since first purchase, Orders; customers in order of first appearance.
 */
export function lifecycle(customer_ids: any[][], order_dates: any[][], as_of?: any[][], thresholds?: any[][]): any[][] {
  return spill("IMC.LIFECYCLE", () => {
    const asOf = optionDate(as_of, "as_of");
    const limits = readThresholds(thresholds);
    const transactions = readTransactions(customer_ids, order_dates, null);
    const result = lifecycleStages(transactions, asOf, limits);
    const ids = customerCells(customer_ids, transactions, result.sourceCustomer);
    const rows: SpillCell[][] = [["Customer", "Stage", "Days since last purchase", "Days since first purchase", "Orders"]];
    for (let c = 0; c < ids.length; c++) {
      rows.push([ids[c], result.stage[c], result.daysSinceLast[c], result.daysSinceFirst[c], result.orders[c]]);
    }
    return rows;
  });
}
