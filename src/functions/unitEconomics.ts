/**
 * Unit-economics custom functions: IMC.CAC, IMC.RETENTION, IMC.CHURN, IMC.PAYBACK, all element-wise
 * (a cell, or ranges cell by cell with Excel broadcasting).
 *
 * Thin adapters: Excel arguments → engine → cells. The JSDoc of each `@customfunction` is what
 * Excel users see in formula autocomplete and the function dialog; it is written for them.
 */

import { customerAcquisitionCost } from "../engine/roci/cac";
import { paybackPeriods } from "../engine/roci/payback";
import { churnRate, retentionRate } from "../engine/roci/retentionRate";
import { elementwise } from "./elementwise";

/**
 * Customer acquisition cost: acquisition spend / new customers, e.g. =IMC.CAC(50000, 400) returns 125.
 * @customfunction CAC
 * @param spend Acquisition spend in the period (0 or more). A cell or a range.
 * @param new_customers New customers acquired in the period (above 0). A cell or a range.
 * @returns Spend per new customer, in the spend's currency.
 */
export function cac(spend: any[][], new_customers: any[][]): any[][] {
  return elementwise(
    "IMC.CAC",
    [
      { argument: "spend", range: spend },
      { argument: "new_customers", range: new_customers },
    ],
    (cell) => customerAcquisitionCost(cell.number("spend"), cell.number("new_customers")),
    { spend: "spend", newCustomers: "new_customers" },
  );
}

const RETENTION_NAMES = { customersStart: "customers_start", customersEnd: "customers_end", newCustomers: "new_customers" };

/**
 * Retention rate: (customers at the end − new customers) / customers at the start, e.g. =IMC.RETENTION(1000, 1050, 200) returns 0.85.
 * @customfunction RETENTION
 * @param customers_start Customers at the start of the period (above 0). A cell or a range.
 * @param customers_end Customers at the end of the period. A cell or a range.
 * @param new_customers Customers acquired during the period (not more than customers_end). A cell or a range.
 * @returns Share of the starting customers kept, between 0 and 1.
 */
export function retention(customers_start: any[][], customers_end: any[][], new_customers: any[][]): any[][] {
  return elementwise(
    "IMC.RETENTION",
    [
      { argument: "customers_start", range: customers_start },
      { argument: "customers_end", range: customers_end },
      { argument: "new_customers", range: new_customers },
    ],
    (cell) => retentionRate(cell.number("customers_start"), cell.number("customers_end"), cell.number("new_customers")),
    RETENTION_NAMES,
  );
}

/**
 * Churn rate: 1 − retention rate, e.g. =IMC.CHURN(1000, 1050, 200) returns 0.15.
 * @customfunction CHURN
 * @param customers_start Customers at the start of the period (above 0). A cell or a range.
 * @param customers_end Customers at the end of the period. A cell or a range.
 * @param new_customers Customers acquired during the period (not more than customers_end). A cell or a range.
 * @returns Share of the starting customers lost, between 0 and 1.
 */
export function churn(customers_start: any[][], customers_end: any[][], new_customers: any[][]): any[][] {
  return elementwise(
    "IMC.CHURN",
    [
      { argument: "customers_start", range: customers_start },
      { argument: "customers_end", range: customers_end },
      { argument: "new_customers", range: new_customers },
    ],
    (cell) => churnRate(cell.number("customers_start"), cell.number("customers_end"), cell.number("new_customers")),
    RETENTION_NAMES,
  );
}

/**
 * Payback period: periods of margin needed to recover the acquisition cost, CAC / margin per period, e.g. =IMC.PAYBACK(125, 50) returns 2.5.
 * @customfunction PAYBACK
 * @param cac Acquisition cost per customer (0 or more). A cell or a range.
 * @param margin_per_period Margin per customer per period (above 0), e.g. per month. A cell or a range.
 * @returns Periods until the acquisition cost is paid back (2.5 = half-way through the third period).
 */
export function payback(cac: any[][], margin_per_period: any[][]): any[][] {
  return elementwise(
    "IMC.PAYBACK",
    [
      { argument: "cac", range: cac },
      { argument: "margin_per_period", range: margin_per_period },
    ],
    (cell) => paybackPeriods(cell.number("cac"), cell.number("margin_per_period")),
    { cac: "cac", marginPerPeriod: "margin_per_period" },
  );
}
