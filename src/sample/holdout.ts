/**
 * The sample business's holdout experiment: one e-mail campaign sent to 90% of the customers, the
 * other 10% held out as a control group.
 *
 * How it is drawn:
 * - The campaign ("<yyyy-mm> Win-back Holdout (Email)") is assigned on day A = last day − 90, so that
 *   its 30-day window ends well inside the two years. Every customer who signed up at least 30 days
 *   before A is assigned: to the test group with probability 0.9, else to the control group.
 * - The window is the 30 days after A (A + 1 … A + 30). Organic orders (BG/NBD) happen in both groups
 *   alike; in the test group the campaign adds one order on a uniform day of the window with
 *   probability u = 0.04, at a Gamma-Gamma value of the customer's own (ν). The added orders are
 *   orders like any other (Orders, Touchpoints).
 * - So with p₀ the share of assigned customers with an organic order in the window, the true 30-day
 *   conversion rates are p_C = p₀ (control) and p_T = p₀ + u(1 − p₀) (test): `truth.experiment`
 *   gives p₀ as drawn, both rates and the lift (p_T − p_C)/p_C.
 *
 * Glossary: A assignment day; u incremental probability of an order; p₀, p_C, p_T conversion rates
 * in the window (organic, control, test).
 */

import { serialToCalendar } from "../engine/data/dates";
import { gammaDraw, type Uniform } from "../engine/math/random";
import { roundCents } from "./draws";

/** The experiment's constants (the truth). */
export const HOLDOUT_MODEL = {
  /** Days from the assignment to the last day of the two years. */
  daysBeforeEnd: 90,
  windowDays: 30,
  /** Customers must have signed up this many days before the assignment. */
  minimumTenureDays: 30,
  testShare: 0.9,
  /** u: probability that the campaign adds an order for a test customer. */
  incrementalProbability: 0.04,
} as const;

/** A purchase as the generator keeps it. */
export interface HoldoutPurchase {
  readonly day: number;
  readonly minute: number;
  readonly value: number;
}

/** What {@link sampleHoldout} returns. */
export interface SampleHoldout {
  readonly campaign: string;
  /** Day A (days from the first day). */
  readonly assignedDay: number;
  /** Customer ID, Campaign, Group, Assigned on; in customer order. */
  readonly rows: (string | number)[][];
  /** Test customers, orders added, their value. */
  readonly testCustomers: number;
  readonly addedOrders: number;
  readonly addedRevenue: number;
  readonly truth: Readonly<Record<string, unknown>>;
}

/**
 * Assigns the customers to test and control and adds the campaign's orders to the test group's
 * purchases (the model in the file header).
 *
 * @param uniform the experiment's stream.
 * @param startDate Excel serial of the first day.
 * @param days days in the two years.
 * @param customerIds the customers' ids.
 * @param signupOffsets each customer's signup day.
 * @param purchasesOf each customer's purchases, ascending; the added orders are inserted in place.
 * @param valueShape the Gamma-Gamma p (shape of an order's value).
 * @param nus each customer's ν (rate of an order's value).
 * @param minuteOf draws a minute of the day.
 */
export function sampleHoldout(
  uniform: Uniform,
  startDate: number,
  days: number,
  customerIds: readonly string[],
  signupOffsets: Float64Array,
  purchasesOf: HoldoutPurchase[][],
  valueShape: number,
  nus: Float64Array,
  minuteOf: (uniform: Uniform) => number,
): SampleHoldout {
  const m = HOLDOUT_MODEL;
  const assignedDay = Math.max(0, days - 1 - m.daysBeforeEnd);
  const { year, month } = serialToCalendar(startDate + assignedDay);
  const campaign = `${year}-${String(month).padStart(2, "0")} Win-back Holdout (Email)`;
  const assignedOn = startDate + assignedDay;
  const rows: (string | number)[][] = [];
  let testCustomers = 0;
  let controlCustomers = 0;
  let organic = 0;
  let addedOrders = 0;
  let addedRevenue = 0;
  const windowEnd = Math.min(days - 1, assignedDay + m.windowDays);
  for (let i = 0; i < customerIds.length; i++) {
    if (signupOffsets[i] > assignedDay - m.minimumTenureDays) continue;
    const test = uniform() < m.testShare;
    const list = purchasesOf[i];
    if (list.some((purchase) => purchase.day > assignedDay && purchase.day <= windowEnd)) organic++;
    if (test) {
      testCustomers++;
      if (uniform() < m.incrementalProbability) {
        const day = assignedDay + 1 + Math.floor(uniform() * (windowEnd - assignedDay));
        const value = Math.max(0.01, roundCents(gammaDraw(uniform, valueShape, nus[i])));
        list.push({ day, minute: minuteOf(uniform), value });
        list.sort((x, y) => x.day - y.day || x.minute - y.minute);
        addedOrders++;
        addedRevenue += value;
      }
    } else controlCustomers++;
    rows.push([customerIds[i], campaign, test ? "Test" : "Control", assignedOn]);
  }
  const assigned = testCustomers + controlCustomers;
  const p0 = assigned === 0 ? 0 : organic / assigned;
  const pT = p0 + m.incrementalProbability * (1 - p0);
  return {
    campaign,
    assignedDay,
    rows,
    testCustomers,
    addedOrders,
    addedRevenue: roundCents(addedRevenue),
    truth: {
      campaign,
      assignedOn,
      windowDays: m.windowDays,
      window: "orders dated after the assignment day and at most 30 days after it",
      testShare: m.testShare,
      incrementalProbability: m.incrementalProbability,
      testCustomers,
      controlCustomers,
      organicRate: p0,
      controlRate: p0,
      testRate: pT,
      lift: p0 === 0 ? null : (pT - p0) / p0,
      addedOrders,
    },
  };
}
