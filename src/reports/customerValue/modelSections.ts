/**
 * The model part of the Customer Value tab: the parameters with their meaning in words, how the
 * purchase model was chosen, and the check against a holdout period.
 */

import { COUNTING_MODEL_LABELS } from "../../engine/clv";
import { formatSerial } from "../../engine/data";
import { CHART_SIZE, FORMAT, significantFormat } from "../format";
import { headingBlock, type Section } from "../layout";
import { a1, type Block, type Cell, type ChartSpec, type TableBlock } from "../sheet";
import { type CustomerValueAnalysis, HOLDOUT_BOUNDS } from "./analysis";
import { horizonText } from "./customers";
import { LAST_BIN } from "./holdout";
import type { ChartAt } from "./summaries";
import { CV_FORMAT, moneyFormatFor, moneyText, percentText, plural } from "./text";

interface ParameterRow {
  readonly label: string;
  readonly value: Cell;
  readonly error?: number | null;
  readonly format: string | null;
  readonly meaning?: string;
}

/** What each parameter means, in words, with the number it implies. */
function meanings(cv: CustomerValueAnalysis, currency: string | undefined): Readonly<Record<string, string>> {
  const cp = cv.fit.counting.params;
  const sp = cv.fit.spend.params;
  const unit = `${cv.periodUnit}s`;
  return {
    r: "Purchase rate, shape: how much customers differ in how often they buy (smaller: more unequal)",
    alpha: `Purchase rate, scale (in ${unit}): an average active customer buys r / alpha = ${(cp.r / cp.alpha).toFixed(3)} times a ${cv.periodUnit}`,
    a: `Drop-out, first shape: the average chance of stopping after a purchase is a / (a + b) = ${percentText(cp.a / (cp.a + cp.b), 1)}`,
    b: "Drop-out, second shape: the larger a + b, the more alike customers are in how soon they stop",
    s: "Lifetime, shape: how much customers differ in how long they stay (smaller: more unequal)",
    beta: `Lifetime, scale (in ${unit}): the average customer stops at a rate of s / beta = ${(cp.s / cp.beta).toFixed(4)} a ${cv.periodUnit}`,
    p: "Spend, shape per customer: how steady a customer's value per purchase is around their own average (larger: steadier)",
    q: "Spend, shape across customers: how much customers' average values differ (larger: more alike)",
    gamma: `Spend, scale (in the data's currency): the average value per purchase is p × gamma / (q − 1) = ${sp.q > 1 ? moneyText(cv.newSpend, currency) : "not defined (q ≤ 1)"}`,
  };
}

function parameterRows(cv: CustomerValueAnalysis, currency: string | undefined): ParameterRow[] {
  const { counting, spend } = cv.fit;
  const meaning = meanings(cv, currency);
  const rows: ParameterRow[] = [];
  const parameter = (name: string, value: number, error: number | null): void => {
    rows.push({ label: name, value, error, format: significantFormat(value), meaning: meaning[name] });
  };
  const yesNo = (flag: boolean): string => (flag ? "Yes" : "No");
  for (const name of counting.parameterNames) parameter(name, counting.params[name], counting.standardErrors ? counting.standardErrors[name] : null);
  rows.push({ label: `Log-likelihood (${cv.label})`, value: counting.logLikelihood, format: CV_FORMAT.logLikelihood, meaning: "How probable the purchase history is under the model (higher is better)" });
  rows.push({ label: `Converged (${cv.label})`, value: yesNo(counting.converged), format: null, meaning: counting.limit ? `At its limit: ${counting.limit.description}` : undefined });
  rows.push({ label: `Iterations (${cv.label})`, value: counting.iterations, format: FORMAT.integer });
  const spendErrors = spend.standardErrors;
  parameter("p", spend.params.p, spendErrors ? spendErrors.p : null);
  parameter("q", spend.params.q, spendErrors ? spendErrors.q : null);
  if (!spend.converged) {
    // At the edge p and q run off together: their values say nothing alone, only the mean they imply does.
    const edge = "At the edge of its range (customers spend much alike): this value means nothing alone, only the average value per purchase below";
    rows[rows.length - 2] = { ...rows[rows.length - 2], meaning: edge };
    rows[rows.length - 1] = { ...rows[rows.length - 1], meaning: edge };
  }
  parameter("gamma", spend.params.gamma, spendErrors ? spendErrors.gamma : null);
  rows.push({ label: "Log-likelihood (Gamma-Gamma)", value: spend.logLikelihood, format: CV_FORMAT.logLikelihood });
  rows.push({
    label: "Converged (Gamma-Gamma)",
    value: yesNo(spend.converged),
    format: null,
    meaning: spend.converged ? undefined : "Ended on the edge of its range (customers spend much alike): expected values per purchase are close to the common mean",
  });
  const money = moneyFormatFor(0, currency);
  rows.push({ label: "Average value of a new customer", value: cv.newSpend, format: money, meaning: "Expected value per purchase of a customer the model knows nothing about yet" });
  rows.push({ label: "Expected purchases of a new customer", value: cv.newPurchases, format: FORMAT.decimal, meaning: `Repeat purchases in the next ${horizonText(cv)}` });
  rows.push({
    label: "Expected CLV of a new customer",
    value: cv.newCustomerClv,
    format: money,
    meaning: "Discounted repeat purchases × average value per purchase: the most a new customer may cost to acquire and break even on repeat purchases",
  });
  rows.push({ label: "Customers", value: cv.fit.customers, format: FORMAT.integer });
  rows.push({ label: "Repeat customers", value: cv.fit.repeatCustomers, format: FORMAT.integer, meaning: "Customers who bought on at least two different days" });
  rows.push({ label: "Customers in the spend model", value: spend.customers, format: FORMAT.integer, meaning: "Repeat customers with a positive average value per repeat purchase" });
  return rows;
}

/** The fitted models' parameters to 4 significant digits with standard errors, and what each means. */
export function parameters(cv: CustomerValueAnalysis, currency: string | undefined): Section {
  const rows = parameterRows(cv, currency);
  return (top) => {
    const blocks: Block[] = [
      headingBlock(top, `Model parameters (${cv.label} + Gamma-Gamma, time in ${cv.periodUnit}s)`),
      // The meaning one column off, so the right-aligned standard error does not touch it.
      { kind: "cells", row: top + 1, column: 0, values: [["Parameter", "Value", "Standard error", null, "Meaning"]], style: "header" },
    ];
    rows.forEach((p, k) => {
      blocks.push({
        kind: "cells",
        row: top + 2 + k,
        column: 0,
        values: [[p.label, p.value, p.error ?? null, null, p.meaning ?? null]],
        numberFormats: [null, p.format, p.format, null, null],
        columnStyles: ["label", "body", "body", null, "note"],
      });
    });
    return { blocks, rows: 2 + rows.length };
  };
}

/** How the purchase model was chosen: a sentence, and with the automatic choice each candidate's outcome. */
export function modelChoice(cv: CustomerValueAnalysis): Section {
  const { selection, chosen, label } = cv;
  let text: string;
  const rows: Cell[][] = [];
  // A model not used says why in a column of its own, after the numbers, where the words may run on
  // (in the outcome column they were cut by the log-likelihood beside them).
  const rejected = selection?.candidates.some((candidate) => candidate.model !== chosen && candidate.status === "rejected") ?? false;
  const why = (text: string): Cell[] => (rejected ? [text] : []);
  if (selection) {
    for (const candidate of selection.candidates) {
      const outcome =
        candidate.model === chosen
          ? "Chosen: fits best"
          : candidate.status === "fitted"
            ? "Fits less well"
            : candidate.status === "no-dropout"
              ? "Found no drop-out"
              : "Not used";
      const reason = candidate.model !== chosen && candidate.status === "rejected" ? candidate.reason.charAt(0).toUpperCase() + candidate.reason.slice(1) : "";
      rows.push([COUNTING_MODEL_LABELS[candidate.model], outcome, candidate.logLikelihood ?? "", ...why(reason)]);
    }
    if (chosen === "nbd") {
      rows.push([label, "Chosen: no drop-out found", cv.fit.counting.logLikelihood, ...why("")]);
      const best = selection.candidates.filter((c) => c.status === "no-dropout").sort((x, y) => (y.logLikelihood ?? -Infinity) - (x.logLikelihood ?? -Infinity))[0];
      text = `No drop-out detected: in the best fit${best ? ` (${COUNTING_MODEL_LABELS[best.model]})` : ""} customers never stop buying, so the tab uses the ${label} model: every customer counts as active and only purchase rates differ.`;
    } else {
      const fitted = selection.candidates.filter((c) => c.status === "fitted").length;
      text = `${fitted} of the ${selection.candidates.length} purchase models were fitted to the same customers; ${label} is used because it describes their purchase history best (the highest log-likelihood; all have 4 parameters, so none is favoured for being more flexible).`;
    }
  } else {
    text = `${label}, as chosen in the options. The automatic choice fits BG/NBD, MBG/NBD and Pareto/NBD and uses the one that describes the purchases best (highest log-likelihood).`;
  }
  return (top) => {
    const blocks: Block[] = [headingBlock(top, "How the purchase model was chosen"), { kind: "cells", row: top + 1, column: 0, values: [[text]], style: "note" }];
    if (rows.length > 0) {
      blocks.push({
        kind: "table",
        name: "ModelChoice",
        row: top + 2,
        column: 0,
        // Outcome before the number, so the right-aligned log-likelihood does not touch text.
        headers: ["Model", "Outcome", "Log-likelihood", ...(rejected ? ["Why not used"] : [])],
        rows,
        numberFormats: [null, null, CV_FORMAT.logLikelihood, ...(rejected ? [null] : [])],
      });
    }
    return { blocks, rows: 2 + (rows.length > 0 ? 1 + rows.length : 0) };
  };
}

/** The holdout check in one line, its verdict, its measures and the per-bucket comparison with a chart; a note when none was chosen. */
export function holdoutCheckSection(cv: CustomerValueAnalysis, chartAt: ChartAt): Section {
  const holdout = cv.holdout;
  const heading = "Check against a holdout period";
  if (holdout === null) {
    const note = "No holdout was chosen. Give a holdout (e.g. 26 weeks) to fit the model on the earlier orders and compare its predicted purchases with what customers actually bought.";
    return (top) => ({ blocks: [headingBlock(top, heading), { kind: "cells", row: top + 1, column: 0, values: [[note]], style: "note" }], rows: 2 });
  }
  const c = holdout.comparison;
  const ratio = c.actualTotal > 0 ? c.predictedTotal / c.actualTotal : null;
  const bounds = `${HOLDOUT_BOUNDS.low.toFixed(2)}×–${HOLDOUT_BOUNDS.high.toFixed(2)}×`;
  const lines = [
    `The model was fitted again on the orders up to ${formatSerial(holdout.calibrationEnd)} only, and its forecast for the next ${plural(Math.round(holdout.holdoutPeriods * 100) / 100, cv.periodUnit)} compared with what customers then bought: predicted / actual near 1.00× means its totals can be trusted.`,
    ratio === null
      ? "No customer bought in the holdout, so the check cannot judge the model."
      : ratio >= HOLDOUT_BOUNDS.low && ratio <= HOLDOUT_BOUNDS.high
        ? `Passed: predicted / actual is ${ratio.toFixed(2)}×, within ${bounds}.`
        : `Failed: predicted / actual is ${ratio.toFixed(2)}×, outside ${bounds} (see the warning at the top).`,
  ];
  const unit = `${cv.periodUnit}s`;
  return (top) => {
    const metricsRow = top + 1 + lines.length;
    const ratioRow = metricsRow + 8;
    const metrics: [string, Cell, string | null][] = [
      ["Calibration end", formatSerial(holdout.calibrationEnd), null],
      ["Holdout end", formatSerial(holdout.holdoutEnd), null],
      [`Holdout length (${unit})`, holdout.holdoutPeriods, FORMAT.decimal],
      ["Customers compared", c.customers, FORMAT.integer],
      ["New in the holdout (not compared)", holdout.newCustomers, FORMAT.integer],
      ["Actual purchases", c.actualTotal, FORMAT.integer],
      ["Predicted purchases", c.predictedTotal, CV_FORMAT.expectedCount],
      ["Predicted / actual", ratio === null ? "" : { formula: `${a1(ratioRow - 1, 1)}/${a1(ratioRow - 2, 1)}`, value: ratio }, CV_FORMAT.multiple],
      ["Mean absolute error per customer", c.meanAbsoluteError, FORMAT.decimal],
      ["Root mean squared error per customer", c.rootMeanSquaredError, FORMAT.decimal],
      ["Correlation (actual, predicted)", c.correlation, FORMAT.decimal],
    ];
    const blocks: Block[] = [
      headingBlock(top, heading),
      { kind: "cells", row: top + 1, column: 0, values: lines.map((line) => [line]), style: "note" },
      { kind: "cells", row: metricsRow, column: 0, values: [["Measure", "Value"]], style: "header" },
      ...metrics.map(([text, cell, format], k): Block => ({ kind: "cells", row: metricsRow + 1 + k, column: 0, values: [[text, cell]], numberFormats: [null, format], columnStyles: ["label", "body"] })),
    ];
    const bucketHeading = metricsRow + 1 + metrics.length + 1;
    const bucketRow = bucketHeading + 1;
    const last = (column: number): string => `${a1(bucketRow + 1, column)}:${a1(bucketRow + LAST_BIN + 1, column)}`;
    const totalRow = bucketRow + LAST_BIN + 2;
    const table: TableBlock = {
      kind: "table",
      name: "HoldoutByFrequency",
      row: bucketRow,
      column: 0,
      headers: ["Repeat purchases (calibration)", "Customers", "Actual per customer", "Predicted per customer"],
      rows: holdout.buckets.map((bucket, k) => [
        k === LAST_BIN ? `${k}+` : String(k),
        bucket.customers,
        bucket.customers > 0 ? bucket.actual / bucket.customers : 0,
        bucket.customers > 0 ? bucket.predicted / bucket.customers : 0,
      ]),
      numberFormats: [null, FORMAT.integer, FORMAT.decimal, FORMAT.decimal],
      totals: [
        "All customers",
        { formula: `SUM(${last(1)})`, value: c.customers },
        { formula: `SUMPRODUCT(${last(1)},${last(2)})/${a1(totalRow, 1)}`, value: c.actualTotal / c.customers },
        { formula: `SUMPRODUCT(${last(1)},${last(3)})/${a1(totalRow, 1)}`, value: c.predictedTotal / c.customers },
      ],
    };
    blocks.push(headingBlock(bucketHeading, "Holdout purchases per customer by repeat purchases in the calibration period"), table);
    const column = (index: number) => ({ row: bucketRow + 1, column: index, rowCount: LAST_BIN + 1, columnCount: 1 });
    const chart: ChartSpec = {
      type: "column",
      title: "Holdout purchases per customer: actual and predicted",
      categories: column(0),
      series: [
        { name: "Actual", values: column(2) },
        { name: "Predicted", values: column(3) },
      ],
      xAxisTitle: "Repeat purchases in the calibration period",
      valueFormat: FORMAT.decimal,
      anchor: chartAt(metricsRow),
    };
    return { blocks, charts: [chart], rows: Math.max(totalRow + 1, metricsRow + CHART_SIZE.rows) - top };
  };
}
