import type { Transactions } from "../../src/engine/data/transactions";

/** Typed order columns from `[customer id, date serial, value]` rows, customers numbered in order of first appearance. */
export function ordersOf(rows: ReadonlyArray<readonly [string, number, number]>): Transactions {
  const ids: string[] = [];
  const customerIndex = new Int32Array(rows.length);
  rows.forEach(([id], i) => {
    let k = ids.indexOf(id);
    if (k < 0) k = ids.push(id) - 1;
    customerIndex[i] = k;
  });
  return {
    rowCount: rows.length,
    customerIds: ids,
    customerIndex,
    orderDates: Float64Array.from(rows, (r) => r[1]),
    orderValues: Float64Array.from(rows, (r) => r[2]),
  };
}
