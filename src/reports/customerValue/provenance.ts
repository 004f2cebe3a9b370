/**
 * "Where these numbers come from" for the Customer Value tab: sources, options, the method in one
 * line each, and rows left out (only notes that say something).
 */

import { DAYS_PER_PERIOD, type PeriodUnit } from "../../engine/clv";
import { formatSerial } from "../../engine/data";
import { formatCount } from "../format";
import type { Provenance, ReportContext } from "../sheet";
import { type CustomerValueAnalysis, NO_SEGMENT } from "./analysis";
import { percentText, plural } from "./text";

const PERIOD_TEXT: Readonly<Record<PeriodUnit, string>> = { day: "day (1 day)", week: "week (7 days)", month: "month (365.25 / 12 = 30.4375 days)" };

function notes(cv: CustomerValueAnalysis, context: ReportContext): string[] {
  const { summary, fit, holdout } = cv;
  const leftOut: string[] = [];
  if (summary.ordersAfterAsOf > 0) leftOut.push(`${formatCount(summary.ordersAfterAsOf)} dated after as of left out`);
  if (summary.customersAfterAsOf > 0) leftOut.push(`${formatCount(summary.customersAfterAsOf)} customers whose first order is after as of left out`);
  const out = [
    `${formatCount(cv.orderRows)} order rows read${leftOut.length > 0 ? `; ${leftOut.join("; ")}` : ""}.`,
    `Orders on one calendar day are one purchase (their values summed). Repeat purchases = purchase days after the first; Recency = time from the first to the last purchase; Customer age = time from the first purchase to the as-of date (both in ${cv.periodUnit}s). Past revenue = all order values up to the as-of date, refunds included.`,
  ];
  if (cv.refundDays > 0) out.push(`${formatCount(cv.refundDays)} purchase days with a total value ≤ 0 (refunds, free orders) count as purchases but not in the average value.`);
  out.push(
    `Customers: ${formatCount(cv.customers)}; with repeat purchases: ${formatCount(fit.repeatCustomers)}; in the spend model (positive repeat purchases): ${formatCount(fit.spend.customers)}.`,
    "A new customer's CLV is the model's value of a customer acquired on the as-of day: discounted expected repeat purchases over the horizon × the mean value per purchase (the first order itself not included).",
  );
  if (cv.segments.missing > 0) out.push(`${formatCount(cv.segments.missing)} customers have no segment in the given segments (shown as "${NO_SEGMENT}").`);
  if (!cv.segments.formulas) out.push("Segment labels contain wildcard characters or differ only in case, so the value-by-segment numbers are written as values, not formulas.");
  if (!fit.spend.converged) out.push("The Gamma-Gamma spend fit ended on the edge of its range (customers spend much alike); expected values per purchase are close to the common mean.");
  if (cv.selection) out.push(`Purchase model: ${cv.selection.reason}`);
  if (holdout !== null && holdout.newCustomers > 0) out.push(`Holdout: ${formatCount(holdout.newCustomers)} customers whose first order is in the holdout are not part of the check.`);
  out.push(...(context.notes ?? []));
  return out;
}

/** The tab's provenance. */
export function provenanceOf(cv: CustomerValueAnalysis, context: ReportContext): Provenance {
  const { periodUnit, holdout, annualRate } = cv;
  const perPeriod = cv.schedule.discountRatePerStep;
  return {
    sources: [cv.source],
    options: [
      { label: "Model", value: `${cv.label} (purchases${cv.selection ? ", chosen automatically by log-likelihood" : ""}) + Gamma-Gamma (value per purchase)` },
      { label: "Period", value: PERIOD_TEXT[periodUnit] },
      { label: "Horizon", value: plural(cv.horizonPeriods, periodUnit) },
      { label: "Annual discount rate", value: percentText(annualRate, 1) },
      {
        label: "Discount rate per period",
        value: `${percentText(perPeriod, 4)} per ${periodUnit} = (1 + ${annualRate})^(${DAYS_PER_PERIOD[periodUnit].toFixed(4).replace(/\.?0+$/, "")} / 365.25) − 1; value discounted at the end of each ${periodUnit}`,
      },
      { label: "As of", value: formatSerial(cv.summary.asOf) },
      {
        label: "Holdout",
        value:
          holdout === null
            ? "none chosen"
            : `${holdout.holdoutPeriods.toFixed(2).replace(/\.00$/, "")} ${periodUnit}s: calibration on orders up to ${formatSerial(holdout.calibrationEnd)}, holdout ${formatSerial(holdout.calibrationEnd + 1)} to ${formatSerial(holdout.holdoutEnd)}`,
      },
      { label: "Segments", value: cv.segments.source },
    ],
    generatedAt: context.generatedAt,
    notes: notes(cv, context),
  };
}
