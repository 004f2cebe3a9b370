/**
 * The sample business: a seeded, deterministic online retailer with customers, two years of orders,
 * a touchpoint log, campaigns and monthly spend — data for every analysis of the add-in, with the
 * generating parameters known (`truth`) so that tests and readers can check what the models recover.
 *
 * How it is drawn (all times in the two years from `startDate`; the same seed gives the same tables):
 * - Customers sign up over the two years, more of them as time goes on (signups per day grow
 *   linearly to 1 + g times the first day's, with a pre-Christmas lift). A customer's first order is on
 *   the signup day.
 * - Repeat orders follow the BG/NBD process (Fader, Hardie & Lee 2005) in weeks: purchase rate
 *   λ ~ Gamma(r, α); after each repeat purchase the customer drops out for good with probability
 *   p ~ Beta(a, b). Order values follow the Gamma-Gamma model (Fader & Hardie 2013): a customer's
 *   values z ~ Gamma(p, ν) with ν ~ Gamma(q, γ), so the customer's mean is p/ν. Heavy, loyal buyers
 *   come from the tails of λ, p and ν. Age band and region lean slightly on a customer's spend and
 *   rate, so behavioural segments have a demographic profile.
 * - About 3% of orders are refunded 2–13 days later (never after the last day) by a row with a
 *   negative value and the id R + the order's number; a quarter of refunds are partial.
 * - Touchpoints: 0–6 touches in the 30 days before each order (after the previous one), then a
 *   conversion row with the order's value and id at the order's time; paid search and direct lean to
 *   the last touch, display and social to the first, e-mail to repeat customers. Customers sometimes
 *   touch again after their last order (journeys without conversion), and prospects (ids P…, not
 *   customers) touch without buying.
 * - Spend: monthly spend per paid channel (Email, Paid Search, Social, Display, Affiliate; Organic
 *   Search, Direct and Referral have no spend rows). Each paid channel's prospect journeys per month
 *   follow a Hill curve of that month's spend, and its share of the touches before orders moves with
 *   the same curve, so touch volume responds to spend with diminishing returns.
 * - Campaigns: 30 campaigns (12 e-mail, 18 web ads) with e-mail or web-ad KPI columns, internally
 *   consistent (bounces ≤ sent, opens ≤ delivered, clicks ≤ opens, sessions ≤ clicks, leads ≤ form
 *   submissions ≤ form views ≤ sessions, conversions ≤ sessions), and the holdout experiment's
 *   e-mail campaign as a 31st row.
 * - Touch stages and contents (journeyContent.ts): each touch's buyer-journey stage (Awareness,
 *   Consideration, Decision, Retention, Advocacy) by a rule on its position in the journey, whether
 *   the customer bought before and its channel; its content drawn per stage with a stated effect on
 *   conversion. The Journey Stages sheet gives each channel's most frequent stage.
 * - Holdout experiment (holdout.ts): customers of at least 30 days are assigned 90/10 to the test and
 *   control groups of one e-mail campaign 90 days before the end; the campaign adds an order in the
 *   next 30 days to a test customer with probability 0.04, so the test group's 30-day conversion is
 *   p₀ + 0.04(1 − p₀) against the control's p₀. The added orders are in Orders and Touchpoints.
 * - NPS survey and referrals (loyalty.ts): 15% of customers answer "How likely are you to recommend
 *   us? (0-10)" once, scoring higher the more and the more recently they bought; each customer's
 *   referrals (a column of Customers) are Poisson with a rate rising with the same satisfaction.
 * - Leads (leads.ts): 3,000 × scale wholesale prospects with a profile, engagement events drawn by
 *   their true interest, and a customer id when they became a customer, with a probability rising
 *   with their true fit and interest (a logistic model).
 *
 * Glossary: D days in the two years; r, α (alpha), a, b the BG/NBD parameters (weeks); p, q, γ
 * (gamma) the Gamma-Gamma parameters; a Hill curve y = β·x^s/(x^s + h^s) (ceiling β, half-saturation
 * h, shape s) as in src/engine/budget/hillCurve.ts; scale = customers / 20,000 (spend, prospects and
 * campaign sizes grow with it).
 *
 * References: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", §3; Fader & Hardie
 * (2013), "The Gamma-Gamma Model of Monetary Value"; A. V. Hill (1910); RFC 2606 (example domains).
 */

import { calendarToSerial, MAX_SERIAL, serialToCalendar } from "../engine/data/dates";
import { invalidArgument } from "../engine/errors";
import type { HillCurve } from "../engine/budget/hillCurve";
import { betaDraw, exponentialDraw, gammaDraw, type Uniform } from "../engine/math/random";
import { categoricalDraw, noiseFactor, padNumber, poissonDraw, roundCents, streamOf, uniformBetween } from "./draws";
import { syntheticPerson } from "./people";
import { contentOfTouch, JOURNEY_STAGES, STAGE_CONTENTS, stageOfTouch, type JourneyStage } from "./journeyContent";
import { sampleHoldout, type SampleHoldout } from "./holdout";
import { sampleLeads } from "./leads";
import { sampleLoyalty } from "./loyalty";
import { DEFAULT_CUSTOMERS, DEFAULT_SEED, MAX_CUSTOMERS } from "./defaults";

/** A cell of a sample table: text, a number (dates are Excel serials), a boolean or blank (null). */
export type SampleCell = string | number | boolean | null;

/** The tables of the sample business. */
export type SampleTableName = "Customers" | "Orders" | "Touchpoints" | "Campaigns" | "Spend" | "Leads" | "Lead Events" | "Survey" | "Experiment" | "Journey Stages";

/** One table: headers, rows and an Excel number format per column. */
export interface SampleTable {
  readonly name: SampleTableName;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly SampleCell[])[];
  /** Excel number format per column ("yyyy-mm-dd", "yyyy-mm-dd hh:mm", "#,##0.00", "@"), null = General. */
  readonly numberFormats: readonly (string | null)[];
}

/** Options of {@link generateSampleBusiness}. */
export interface SampleOptions {
  /** Seed of every draw (an integer; default {@link DEFAULT_SEED}). */
  readonly seed?: number;
  /** Number of customers, a whole number from 1 to 1,000,000 (default 20,000); everything scales with it. */
  readonly customers?: number;
  /** Excel serial of the first day (default 2024-01-01). */
  readonly startDate?: number;
}

/** The generated business. */
export interface SampleBusiness {
  /** In this order: Customers, Orders, Touchpoints, Campaigns, Spend, Leads, Lead Events, Survey, Experiment, Journey Stages. */
  readonly tables: readonly SampleTable[];
  /** Excel serial of the last day of the two years (the natural as_of). */
  readonly asOf: number;
  /**
   * The generating parameters (for tests and the README): BG/NBD r, alpha, a, b; Gamma-Gamma p, q,
   * gamma; channel mix; Hill curves; `experiment` (groups, true control and test rates, lift),
   * `leads` (fit points, conversion model), `loyalty` (satisfaction, survey, referral model),
   * `journeyStages` (stage rule, contents and their effects).
   */
  readonly truth: Readonly<Record<string, unknown>>;
}

export { DEFAULT_CUSTOMERS, DEFAULT_SEED, MAX_CUSTOMERS };
/** The default first day, 2024-01-01. */
export const DEFAULT_START_DATE = 45292;

/** The eight channels of the touchpoint log, in a fixed order. */
export const SAMPLE_CHANNELS = ["Email", "Paid Search", "Organic Search", "Social", "Display", "Affiliate", "Direct", "Referral"] as const;
export type SampleChannel = (typeof SAMPLE_CHANNELS)[number];
/** Channels with spend rows. Organic Search, Direct and Referral have none (no media cost). */
export const PAID_CHANNELS: readonly SampleChannel[] = ["Email", "Paid Search", "Social", "Display", "Affiliate"];

const TABLE_ORDER: readonly SampleTableName[] = ["Customers", "Orders", "Touchpoints", "Campaigns", "Spend", "Leads", "Lead Events", "Survey", "Experiment", "Journey Stages"];

// ---- generating parameters (the truth) -------------------------------------------------------

/** BG/NBD in weeks: mean λ = r/α ≈ 0.08 purchases a week while alive; mean p = a/(a+b) = 0.2. */
const BG_NBD = { r: 0.9, alpha: 11, a: 0.8, b: 3.2 } as const;
/** Gamma-Gamma: population mean order value p·γ/(q − 1) = 90. */
const GAMMA_GAMMA = { p: 5, q: 3.5, gamma: 45 } as const;
/** Signups per day on the last day ÷ on the first day, minus 1. */
const ACQUISITION_GROWTH = 1;
/** Seasonal lift by calendar month (January first): signups, spend and prospects. */
const SEASONALITY = [0.9, 0.85, 0.95, 1, 1, 0.95, 0.95, 1, 1, 1.05, 1.3, 1.35] as const;
const REFUND_RATE = 0.03;
const REFUND_FULL_SHARE = 0.75;
const REFUND_LAG_DAYS = [2, 13] as const;
const LOOKBACK_DAYS = 30;
/** P(0, 1, ..., 6 touches) before a customer's first order and before a repeat order. */
const TOUCHES_BEFORE_FIRST = [0.1, 0.28, 0.25, 0.17, 0.1, 0.06, 0.04] as const;
const TOUCHES_BEFORE_REPEAT = [0.32, 0.36, 0.16, 0.08, 0.04, 0.03, 0.01] as const;
/** Channel weights of a journey's first touch and of its last touch (touches between mix the two). */
const FIRST_TOUCH_MIX: Readonly<Record<SampleChannel, number>> = {
  Email: 0.04, "Paid Search": 0.14, "Organic Search": 0.16, Social: 0.22, Display: 0.2, Affiliate: 0.08, Direct: 0.06, Referral: 0.1,
};
const LAST_TOUCH_MIX: Readonly<Record<SampleChannel, number>> = {
  Email: 0.06, "Paid Search": 0.3, "Organic Search": 0.15, Social: 0.06, Display: 0.03, Affiliate: 0.1, Direct: 0.22, Referral: 0.08,
};
/** Multipliers of the channel weights for customers who already bought (e-mail reaches them). */
const REPEAT_MULTIPLIER: Readonly<Record<SampleChannel, number>> = {
  Email: 6, "Paid Search": 0.8, "Organic Search": 1, Social: 0.7, Display: 0.5, Affiliate: 0.8, Direct: 1.6, Referral: 0.7,
};
/** Monthly spend per paid channel at 20,000 customers, before growth, season and noise. */
const BASE_MONTHLY_SPEND: Readonly<Record<string, number>> = {
  Email: 3000, "Paid Search": 30000, Social: 18000, Display: 12000, Affiliate: 9000,
};
/** Growth of spend from the first month to the last (+50%). */
const SPEND_GROWTH = 0.5;
/** Hill curves at 20,000 customers: prospect journeys started per month from a month's spend. */
const HILL_AT_BASE: Readonly<Record<string, HillCurve>> = {
  Email: { ceiling: 80, halfSaturation: 3600, shape: 1 },
  "Paid Search": { ceiling: 320, halfSaturation: 36000, shape: 1 },
  Social: { ceiling: 250, halfSaturation: 20000, shape: 1.3 },
  Display: { ceiling: 300, halfSaturation: 14000, shape: 1.5 },
  Affiliate: { ceiling: 100, halfSaturation: 10000, shape: 1 },
};
/** Prospect journeys per month at 20,000 customers starting in an unpaid channel (before growth and season). */
const ORGANIC_PROSPECTS_PER_MONTH: Readonly<Record<string, number>> = { "Organic Search": 85, Direct: 45, Referral: 35 };
/** P(0..3 extra touches) in a journey without conversion. */
const EXTRA_TOUCHES = [0.45, 0.3, 0.15, 0.1] as const;
/** Share of customers who touch again after their last order without buying. */
const TRAILING_SHARE = 0.35;
const AGE_BANDS = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"] as const;
const AGE_WEIGHTS = [0.12, 0.24, 0.22, 0.18, 0.14, 0.1] as const;
/** How much each age band leans on a customer's mean spend (older bands spend a little more). */
const AGE_SPEND_TILT = [-0.45, -0.2, 0, 0.2, 0.3, 0.3] as const;
const REGIONS = ["North", "South", "East", "West", "Central"] as const;
const REGION_WEIGHTS = [0.18, 0.22, 0.2, 0.24, 0.16] as const;
/** How much each region leans on a customer's purchase rate. */
const REGION_RATE_TILT = [-0.15, 0, 0.05, 0.2, -0.1] as const;
/** Relative orders and touches by hour of the day (0–23). */
const HOUR_WEIGHTS = [0.3, 0.15, 0.1, 0.1, 0.1, 0.2, 0.5, 1, 1.5, 1.8, 2, 2.1, 2.5, 2.4, 2, 1.9, 1.9, 2, 2.4, 2.8, 3, 2.8, 2, 1] as const;
/** Purchases a customer can make before the draw is cut (a λ from the far tail). */
const MAX_PURCHASES_PER_CUSTOMER = 5000;

const MINUTES_PER_DAY = 1440;
const DAYS_PER_WEEK = 7;

// ---- options ---------------------------------------------------------------------------------

interface Resolved {
  readonly seed: number;
  readonly customers: number;
  readonly startDate: number;
}

function resolveOptions(options: SampleOptions): Resolved {
  const seed = options.seed ?? DEFAULT_SEED;
  if (typeof seed !== "number" || !Number.isInteger(seed) || Math.abs(seed) > 2 ** 53) {
    throw invalidArgument("seed", `must be a whole number, got ${String(seed)}`);
  }
  const customers = options.customers ?? DEFAULT_CUSTOMERS;
  if (typeof customers !== "number" || !Number.isInteger(customers) || customers < 1 || customers > MAX_CUSTOMERS) {
    throw invalidArgument("customers", `must be a whole number from 1 to 1,000,000, got ${String(customers)}`);
  }
  const startDate = options.startDate ?? DEFAULT_START_DATE;
  // From serial 61 (1900-03-01) on, serial differences are real day counts; the two years must end
  // inside Excel's dates.
  if (typeof startDate !== "number" || !Number.isInteger(startDate) || startDate < 61 || startDate > MAX_SERIAL - 800) {
    throw invalidArgument("startDate", `must be a whole Excel date serial from 61 (1900-03-01) to ${MAX_SERIAL - 800} (the day, no time), got ${String(startDate)}`);
  }
  return { seed, customers, startDate };
}

// ---- calendar --------------------------------------------------------------------------------

interface Calendar {
  readonly start: number;
  /** Days in the two years. */
  readonly days: number;
  /** Serial of the first day of each calendar month touched by the two years. */
  readonly monthStarts: readonly number[];
  /** Calendar month (1–12) of each of those months. */
  readonly monthNumbers: readonly number[];
  /** Month index of each day offset. */
  readonly monthOfDay: Int32Array;
}

function lastDayOfTwoYears(start: number): number {
  const { year, month, day } = serialToCalendar(start);
  // 29 February + 2 years does not exist: the two years then end on 28 February.
  const next = month === 2 && day === 29 ? calendarToSerial({ year: year + 2, month: 3, day: 1 }) : calendarToSerial({ year: year + 2, month, day });
  return next - 1;
}

function calendarOf(start: number): Calendar {
  const asOf = lastDayOfTwoYears(start);
  const days = asOf - start + 1;
  const monthStarts: number[] = [];
  const monthNumbers: number[] = [];
  const monthOfDay = new Int32Array(days);
  let current = -1;
  for (let d = 0; d < days; d++) {
    const date = serialToCalendar(start + d);
    if (d === 0 || date.day === 1) {
      monthStarts.push(calendarToSerial({ year: date.year, month: date.month, day: 1 }));
      monthNumbers.push(date.month);
      current++;
    }
    monthOfDay[d] = current;
  }
  return { start, days, monthStarts, monthNumbers, monthOfDay };
}

/** y = β·t/(1 + t) with t = (x/h)^s. */
function hillResponse(curve: HillCurve, spend: number): number {
  if (spend <= 0) return 0;
  const t = Math.pow(spend / curve.halfSaturation, curve.shape);
  return (curve.ceiling * t) / (1 + t);
}

function minuteOfDay(uniform: Uniform): number {
  return categoricalDraw(uniform, HOUR_WEIGHTS) * 60 + Math.floor(uniform() * 60);
}

// ---- the generator ---------------------------------------------------------------------------

interface Purchase {
  readonly day: number;
  readonly minute: number;
  readonly value: number;
}

/**
 * Generates the sample business over two years: Customers, Orders, Touchpoints, Campaigns, Spend,
 * Leads, Lead Events, Survey, Experiment and Journey Stages.
 *
 * @param options seed (default {@link DEFAULT_SEED}), customers (1 to 1,000,000, default 20,000),
 *   startDate (Excel serial of the first day, default 2024-01-01).
 * @returns the tables (in the order of {@link SampleBusiness.tables}), the last day (`asOf`) and the
 *   generating parameters (`truth`; `experiment`, `leads`, `loyalty` and `journeyStages` describe
 *   the tables of issue 15).
 * @throws EngineError INVALID_INPUT naming the option (seed, customers or startDate) when it is not
 *   valid.
 *
 * References: Fader, Hardie & Lee (2005), §3; Fader & Hardie (2013); A. V. Hill (1910).
 */
export function generateSampleBusiness(options: SampleOptions = {}): SampleBusiness {
  const { seed, customers, startDate } = resolveOptions(options);
  const scale = customers / DEFAULT_CUSTOMERS;
  const calendar = calendarOf(startDate);
  const { days, monthStarts, monthNumbers, monthOfDay } = calendar;
  const months = monthStarts.length;
  const asOf = startDate + days - 1;
  const growthOfMonth = (m: number) => 1 + (SPEND_GROWTH * m) / Math.max(1, months - 1);

  // Spend and the Hill response of each paid channel per month.
  const spendStream = streamOf(seed, 1);
  const hillCurves: Record<string, HillCurve> = {};
  const spend: Record<string, number[]> = {};
  const responseRatio: Record<string, number[]> = {};
  for (const channel of PAID_CHANNELS) {
    const base = HILL_AT_BASE[channel];
    const curve: HillCurve = { ceiling: base.ceiling * scale, halfSaturation: base.halfSaturation * scale, shape: base.shape };
    hillCurves[channel] = curve;
    const reference = hillResponse(curve, BASE_MONTHLY_SPEND[channel] * scale);
    spend[channel] = [];
    responseRatio[channel] = [];
    for (let m = 0; m < months; m++) {
      const amount = roundCents(
        BASE_MONTHLY_SPEND[channel] * scale * growthOfMonth(m) * SEASONALITY[monthNumbers[m] - 1] * noiseFactor(spendStream, 0.18),
      );
      spend[channel].push(amount);
      responseRatio[channel].push(hillResponse(curve, amount) / reference);
    }
  }

  // Customers: signup days (growing acquisition), latent behaviour, demographics.
  const customerStream = streamOf(seed, 2);
  const signupOffsets = new Float64Array(customers);
  const maxWeight = (1 + ACQUISITION_GROWTH) * Math.max(...SEASONALITY);
  for (let i = 0; i < customers; i++) {
    for (;;) {
      const d = Math.floor(customerStream() * days);
      const weight = (1 + (ACQUISITION_GROWTH * d) / Math.max(1, days - 1)) * SEASONALITY[monthNumbers[monthOfDay[d]] - 1];
      if (customerStream() * maxWeight < weight) {
        signupOffsets[i] = d;
        break;
      }
    }
  }
  signupOffsets.sort();
  const idWidth = Math.max(5, String(customers).length);
  const customerIds = new Array<string>(customers);
  const customerRows: SampleCell[][] = new Array(customers);
  const lambdas = new Float64Array(customers);
  const dropouts = new Float64Array(customers);
  const nus = new Float64Array(customers);
  const medianSpend = (GAMMA_GAMMA.p * GAMMA_GAMMA.gamma) / GAMMA_GAMMA.q;
  const meanRate = BG_NBD.r / BG_NBD.alpha;
  const ageWeights = new Float64Array(AGE_BANDS.length);
  const regionWeights = new Float64Array(REGIONS.length);
  for (let i = 0; i < customers; i++) {
    const id = `C${padNumber(i + 1, idWidth)}`;
    customerIds[i] = id;
    const lambda = gammaDraw(customerStream, BG_NBD.r, BG_NBD.alpha);
    const p = betaDraw(customerStream, BG_NBD.a, BG_NBD.b);
    const nu = gammaDraw(customerStream, GAMMA_GAMMA.q, GAMMA_GAMMA.gamma);
    lambdas[i] = lambda;
    dropouts[i] = p;
    nus[i] = nu;
    const spendLean = Math.max(-2, Math.min(2, Math.log(GAMMA_GAMMA.p / nu / medianSpend) / 0.6));
    for (let k = 0; k < AGE_BANDS.length; k++) ageWeights[k] = AGE_WEIGHTS[k] * Math.exp(AGE_SPEND_TILT[k] * spendLean);
    const rateLean = Math.max(-2, Math.min(2, Math.log(lambda / meanRate)));
    for (let k = 0; k < REGIONS.length; k++) regionWeights[k] = REGION_WEIGHTS[k] * Math.exp(REGION_RATE_TILT[k] * rateLean);
    const person = syntheticPerson(customerStream, i + 1);
    customerRows[i] = [
      id,
      person.name,
      person.email,
      person.phone,
      AGE_BANDS[categoricalDraw(customerStream, ageWeights)],
      REGIONS[categoricalDraw(customerStream, regionWeights)],
      startDate + signupOffsets[i],
    ];
  }

  // Orders: BG/NBD purchase days from the signup day, Gamma-Gamma values, times of day.
  const orderStream = streamOf(seed, 3);
  const purchasesOf: Purchase[][] = new Array(customers);
  let heaviest = 0;
  for (let i = 0; i < customers; i++) {
    const first = signupOffsets[i];
    const list: Purchase[] = [];
    const valueOf = () => Math.max(0.01, roundCents(gammaDraw(orderStream, GAMMA_GAMMA.p, nus[i])));
    list.push({ day: first, minute: minuteOfDay(orderStream), value: valueOf() });
    let t = 0;
    while (list.length < MAX_PURCHASES_PER_CUSTOMER) {
      t += exponentialDraw(orderStream, lambdas[i]);
      const day = first + Math.floor(t * DAYS_PER_WEEK);
      if (day > days - 1) break;
      list.push({ day, minute: minuteOfDay(orderStream), value: valueOf() });
      if (orderStream() < dropouts[i]) break;
    }
    // Two purchases on one day keep their times in order.
    list.sort((x, y) => x.day - y.day || x.minute - y.minute);
    purchasesOf[i] = list;
  }
  // The holdout experiment adds the campaign's orders to the test group before orders get ids.
  const holdout = sampleHoldout(streamOf(seed, 8), startDate, days, customerIds, signupOffsets, purchasesOf, GAMMA_GAMMA.p, nus, minuteOfDay);
  for (const list of purchasesOf) if (list.length > heaviest) heaviest = list.length;

  // Order ids in time order; refunds.
  interface OrderRow {
    readonly customer: number;
    readonly purchase: Purchase;
    id: string;
  }
  const positive: OrderRow[] = [];
  for (let i = 0; i < customers; i++) for (const purchase of purchasesOf[i]) positive.push({ customer: i, purchase, id: "" });
  positive.sort((x, y) => x.purchase.day - y.purchase.day || x.purchase.minute - y.purchase.minute || x.customer - y.customer);
  const orderWidth = Math.max(6, String(positive.length).length);
  const orderIdOf = new Map<Purchase, string>();
  positive.forEach((row, k) => {
    row.id = `O${padNumber(k + 1, orderWidth)}`;
    orderIdOf.set(row.purchase, row.id);
  });
  const refundStream = streamOf(seed, 4);
  interface RefundRow {
    readonly customer: number;
    readonly day: number;
    readonly minute: number;
    readonly value: number;
    readonly id: string;
  }
  const refunds: RefundRow[] = [];
  let partialRefunds = 0;
  for (let k = 0; k < positive.length; k++) {
    const { customer, purchase, id } = positive[k];
    if (refundStream() >= REFUND_RATE) continue;
    const lag = REFUND_LAG_DAYS[0] + Math.floor(refundStream() * (REFUND_LAG_DAYS[1] - REFUND_LAG_DAYS[0] + 1));
    const full = refundStream() < REFUND_FULL_SHARE;
    const amount = full ? purchase.value : Math.max(0.01, roundCents(purchase.value * uniformBetween(refundStream, 0.2, 0.8)));
    const day = purchase.day + lag;
    if (day > days - 1) continue;
    if (!full) partialRefunds++;
    refunds.push({ customer, day, minute: minuteOfDay(refundStream), value: -amount, id: `R${id.slice(1)}` });
  }
  const allOrders = [
    ...positive.map((row) => ({ customer: row.customer, day: row.purchase.day, minute: row.purchase.minute, value: row.purchase.value, id: row.id, refund: 0 })),
    ...refunds.map((row) => ({ ...row, refund: 1 })),
  ];
  allOrders.sort((x, y) => x.day - y.day || x.minute - y.minute || x.refund - y.refund || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const orderRows: SampleCell[][] = allOrders.map((row) => [row.id, customerIds[row.customer], startDate + row.day, row.value]);

  // Touchpoints.
  const touchStream = streamOf(seed, 5);
  const minuteStamps: number[] = [];
  const kinds: number[] = [];
  const owners: string[] = [];
  const channels: string[] = [];
  const values: number[] = [];
  const touchOrderIds: string[] = [];
  const stages: string[] = [];
  const contents: string[] = [];
  // Contents come from a stream of their own, so the touches are drawn as before they had any.
  const contentStream = streamOf(seed, 9);
  const addRow = (minute: number, kind: number, owner: string, channel: string, value: number, orderId: string, stage: JourneyStage | "" = "", converting = false) => {
    minuteStamps.push(minute);
    kinds.push(kind);
    owners.push(owner);
    channels.push(channel);
    values.push(value);
    touchOrderIds.push(orderId);
    stages.push(stage);
    contents.push(stage === "" ? "" : contentOfTouch(contentStream, stage, converting));
  };
  /** Adds a touch with its stage (journeyContent.ts). */
  const addTouch = (minute: number, owner: string, channel: string, position: number, boughtBefore: boolean, beforeOrder: boolean, touches: number) =>
    addRow(minute, 0, owner, channel, 0, "", stageOfTouch(channel, position, boughtBefore, beforeOrder, touches), beforeOrder);
  const weights = new Float64Array(SAMPLE_CHANNELS.length);
  /** Draws a channel: position 0 is a first touch, 1 a last touch; repeat customers lean to e-mail. */
  const drawChannel = (position: number, repeat: boolean, minute: number): string => {
    const month = monthOfDay[Math.min(days - 1, Math.floor(minute / MINUTES_PER_DAY))];
    for (let c = 0; c < SAMPLE_CHANNELS.length; c++) {
      const channel = SAMPLE_CHANNELS[c];
      let w = FIRST_TOUCH_MIX[channel] * (1 - position) + LAST_TOUCH_MIX[channel] * position;
      if (repeat) w *= REPEAT_MULTIPLIER[channel];
      const ratio = responseRatio[channel];
      if (ratio !== undefined) w *= ratio[month];
      weights[c] = w;
    }
    return SAMPLE_CHANNELS[categoricalDraw(touchStream, weights)];
  };
  const lastMinute = days * MINUTES_PER_DAY - 1;
  const journeyMinutes: number[] = [];
  let convertingTouches = 0;
  let trailingJourneys = 0;
  for (let i = 0; i < customers; i++) {
    const owner = customerIds[i];
    let previous = -Infinity;
    const list = purchasesOf[i];
    for (let j = 0; j < list.length; j++) {
      const purchase = list[j];
      const at = purchase.day * MINUTES_PER_DAY + purchase.minute;
      const from = Math.max(previous + 1, at - LOOKBACK_DAYS * MINUTES_PER_DAY + 1, 0);
      const to = at - 1;
      const count = categoricalDraw(touchStream, j === 0 ? TOUCHES_BEFORE_FIRST : TOUCHES_BEFORE_REPEAT);
      journeyMinutes.length = 0;
      if (to >= from) for (let k = 0; k < count; k++) journeyMinutes.push(from + Math.floor(touchStream() * (to - from + 1)));
      journeyMinutes.sort((x, y) => x - y);
      for (let k = 0; k < journeyMinutes.length; k++) {
        const position = journeyMinutes.length === 1 ? 1 : k / (journeyMinutes.length - 1);
        addTouch(journeyMinutes[k], owner, drawChannel(position, j > 0, journeyMinutes[k]), position, j > 0, true, journeyMinutes.length);
      }
      convertingTouches += journeyMinutes.length;
      addRow(at, 1, owner, "", purchase.value, orderIdOf.get(purchase)!);
      previous = at;
    }
    // Touches after the last order that lead to no order.
    if (touchStream() < TRAILING_SHARE) {
      const from = previous + MINUTES_PER_DAY;
      if (from <= lastMinute) {
        const first = from + Math.floor(touchStream() * (lastMinute - from + 1));
        const extra = categoricalDraw(touchStream, EXTRA_TOUCHES);
        journeyMinutes.length = 0;
        journeyMinutes.push(first);
        for (let k = 0; k < extra; k++) journeyMinutes.push(Math.min(lastMinute, first + Math.floor(touchStream() * 14 * MINUTES_PER_DAY)));
        journeyMinutes.sort((x, y) => x - y);
        for (let k = 0; k < journeyMinutes.length; k++) {
          addTouch(journeyMinutes[k], owner, drawChannel(0, true, journeyMinutes[k]), journeyMinutes.length === 1 ? 1 : k / (journeyMinutes.length - 1), true, false, journeyMinutes.length);
        }
        trailingJourneys++;
      }
    }
  }

  // Prospects: journeys without orders, started per month and channel (paid ones on the Hill curve).
  const prospectStream = streamOf(seed, 6);
  const prospectJourneys: { start: number; channel: string }[] = [];
  const monthFirstDay: number[] = [];
  const monthDays: number[] = [];
  for (let d = 0; d < days; d++) {
    const m = monthOfDay[d];
    if (monthFirstDay[m] === undefined) {
      monthFirstDay[m] = d;
      monthDays[m] = 0;
    }
    monthDays[m]++;
  }
  for (let m = 0; m < months; m++) {
    for (const channel of SAMPLE_CHANNELS) {
      const curve = hillCurves[channel];
      const monthShare = monthDays[m] / 30.4375;
      const mean =
        curve !== undefined
          ? hillResponse(curve, spend[channel][m]) * monthShare
          : (ORGANIC_PROSPECTS_PER_MONTH[channel] ?? 0) * scale * growthOfMonth(m) * SEASONALITY[monthNumbers[m] - 1] * monthShare;
      const count = poissonDraw(prospectStream, mean);
      for (let k = 0; k < count; k++) {
        const day = monthFirstDay[m] + Math.floor(prospectStream() * monthDays[m]);
        prospectJourneys.push({ start: day * MINUTES_PER_DAY + minuteOfDay(prospectStream), channel });
      }
    }
  }
  prospectJourneys.sort((x, y) => x.start - y.start);
  const prospectWidth = Math.max(6, String(prospectJourneys.length).length);
  let prospectTouches = 0;
  prospectJourneys.forEach((journey, k) => {
    const owner = `P${padNumber(k + 1, prospectWidth)}`;
    const extra = categoricalDraw(prospectStream, EXTRA_TOUCHES);
    addTouch(journey.start, owner, journey.channel, 0, false, false, 1 + extra);
    for (let e = 0; e < extra; e++) {
      const minute = Math.min(lastMinute, journey.start + 1 + Math.floor(prospectStream() * 14 * MINUTES_PER_DAY));
      addTouch(minute, owner, drawProspectChannel(prospectStream, weights, responseRatio, monthOfDay[Math.floor(minute / MINUTES_PER_DAY)]), (e + 1) / extra, false, false, 1 + extra);
    }
    prospectTouches += 1 + extra;
  });

  const touchCount = minuteStamps.length;
  const touchOrder = Array.from({ length: touchCount }, (_, k) => k);
  touchOrder.sort((x, y) => minuteStamps[x] - minuteStamps[y] || kinds[x] - kinds[y] || x - y);
  const touchRows: SampleCell[][] = touchOrder.map((k) => [
    owners[k],
    (startDate * MINUTES_PER_DAY + minuteStamps[k]) / MINUTES_PER_DAY,
    channels[k],
    values[k],
    touchOrderIds[k],
    stages[k] === "" ? null : stages[k],
    contents[k] === "" ? null : contents[k],
  ]);

  // Campaigns (the holdout's campaign last) and spend rows.
  const campaignRows = campaignTable(streamOf(seed, 7), calendar, spend, scale);
  campaignRows.push(holdoutCampaignRow(streamOf(seed, 12), holdout, startDate));

  // The survey and the referrals (loyalty.ts), from the orders as drawn (refunds aside).
  const loyalty = sampleLoyalty(streamOf(seed, 10), startDate, days, customerIds, purchasesOf.map((list) => list.map((purchase) => purchase.day)));
  for (let i = 0; i < customers; i++) customerRows[i].push(loyalty.referrals[i]);

  // Leads and their events (leads.ts).
  const leads = sampleLeads(streamOf(seed, 11), startDate, days, scale, customerIds, signupOffsets);

  // The channel → stage table: each channel's most frequent stage among its touches.
  const stageCounts = new Map<string, Map<string, number>>();
  for (let k = 0; k < stages.length; k++) {
    if (stages[k] === "") continue;
    let counts = stageCounts.get(channels[k]);
    if (counts === undefined) stageCounts.set(channels[k], (counts = new Map()));
    counts.set(stages[k], (counts.get(stages[k]) ?? 0) + 1);
  }
  const stageRows: SampleCell[][] = SAMPLE_CHANNELS.filter((channel) => stageCounts.has(channel)).map((channel) => {
    const counts = [...stageCounts.get(channel)!.entries()].sort((x, y) => y[1] - x[1] || JOURNEY_STAGES.indexOf(x[0] as JourneyStage) - JOURNEY_STAGES.indexOf(y[0] as JourneyStage));
    return [channel, counts[0][0]];
  });
  const spendRows: SampleCell[][] = [];
  for (let m = 0; m < months; m++) for (const channel of PAID_CHANNELS) spendRows.push([monthStarts[m], channel, spend[channel][m]]);

  const tables: SampleTable[] = [
    {
      name: "Customers",
      headers: ["customer_id", "name", "email", "phone", "age_band", "region", "signup_date", "referrals"],
      rows: customerRows,
      numberFormats: ["@", "@", "@", "@", "@", "@", "yyyy-mm-dd", "0"],
    },
    {
      name: "Orders",
      headers: ["order_id", "customer_id", "order_date", "order_value"],
      rows: orderRows,
      numberFormats: ["@", "@", "yyyy-mm-dd", "#,##0.00"],
    },
    {
      name: "Touchpoints",
      headers: ["customer_id", "timestamp", "channel", "conversion_value", "order_id", "stage", "content"],
      rows: touchRows,
      numberFormats: ["@", "yyyy-mm-dd hh:mm", "@", "#,##0.00", "@", "@", "@"],
    },
    {
      name: "Campaigns",
      headers: [...CAMPAIGN_HEADERS],
      rows: campaignRows,
      numberFormats: CAMPAIGN_HEADERS.map(campaignFormat),
    },
    {
      name: "Spend",
      headers: ["month", "channel", "spend"],
      rows: spendRows,
      numberFormats: ["yyyy-mm-dd", "@", "#,##0.00"],
    },
    {
      name: "Leads",
      headers: ["Lead ID", "Company", "Industry", "Employees", "Job title", "Country", "Created", "Customer ID"],
      rows: leads.leadRows,
      numberFormats: ["@", "@", "@", "#,##0", "@", "@", "yyyy-mm-dd", "@"],
    },
    {
      name: "Lead Events",
      headers: ["Lead ID", "Date", "Event"],
      rows: leads.eventRows,
      numberFormats: ["@", "yyyy-mm-dd", "@"],
    },
    {
      name: "Survey",
      headers: ["Customer ID", "Date", "How likely are you to recommend us? (0-10)"],
      rows: loyalty.surveyRows,
      numberFormats: ["@", "yyyy-mm-dd", "0"],
    },
    {
      name: "Experiment",
      headers: ["Customer ID", "Campaign", "Group", "Assigned on"],
      rows: holdout.rows,
      numberFormats: ["@", "@", "@", "yyyy-mm-dd"],
    },
    {
      name: "Journey Stages",
      headers: ["Channel", "Stage"],
      rows: stageRows,
      numberFormats: ["@", "@"],
    },
  ];

  const truth: Record<string, unknown> = {
    seed,
    customers,
    startDate,
    asOf,
    days,
    months,
    periodUnit: "week",
    bgNbd: { ...BG_NBD },
    gammaGamma: { ...GAMMA_GAMMA },
    meanOrderValue: (GAMMA_GAMMA.p * GAMMA_GAMMA.gamma) / (GAMMA_GAMMA.q - 1),
    acquisitionGrowth: ACQUISITION_GROWTH,
    seasonality: [...SEASONALITY],
    refundRate: REFUND_RATE,
    refundFullShare: REFUND_FULL_SHARE,
    refundLagDays: [...REFUND_LAG_DAYS],
    refunds: refunds.length,
    partialRefunds,
    positiveOrders: positive.length,
    mostOrdersByOneCustomer: heaviest,
    lookbackDays: LOOKBACK_DAYS,
    touchesBeforeFirstOrder: [...TOUCHES_BEFORE_FIRST],
    touchesBeforeRepeatOrder: [...TOUCHES_BEFORE_REPEAT],
    channelMix: { firstTouch: { ...FIRST_TOUCH_MIX }, lastTouch: { ...LAST_TOUCH_MIX }, repeatCustomerMultiplier: { ...REPEAT_MULTIPLIER } },
    convertingTouches,
    trailingJourneys,
    prospects: prospectJourneys.length,
    prospectTouches,
    paidChannels: [...PAID_CHANNELS],
    unpaidChannels: SAMPLE_CHANNELS.filter((c) => !PAID_CHANNELS.includes(c)),
    unpaidSpendRows: "none (Organic Search, Direct and Referral have no rows in Spend)",
    baseMonthlySpend: Object.fromEntries(PAID_CHANNELS.map((c) => [c, BASE_MONTHLY_SPEND[c] * scale])),
    spendGrowth: SPEND_GROWTH,
    hillCurves,
    hillResponse: "prospect journeys started per month in the channel; the channel's weight in touches before orders is multiplied by response(spend) / response(base spend)",
    organicProspectsPerMonth: Object.fromEntries(Object.entries(ORGANIC_PROSPECTS_PER_MONTH).map(([c, v]) => [c, v * scale])),
    ageBands: [...AGE_BANDS],
    regions: [...REGIONS],
    journeyStages: {
      stages: [...JOURNEY_STAGES],
      rule: "not bought yet: Awareness in the first third of a journey, Consideration after it; bought before: Advocacy in Referral and Social, Retention otherwise; the last touch before an order, and the last touch of a journey of 3 or more touches without an order: Decision",
      contents: STAGE_CONTENTS,
      contentEffect: "P(content | stage) ∝ weight × effect in journeys ending in an order, ∝ weight otherwise (effect = odds ratio of conversion)",
    },
    experiment: holdout.truth,
    leads: leads.truth,
    loyalty: loyalty.truth,
  };
  return { tables, asOf, truth };
}

function drawProspectChannel(uniform: Uniform, weights: Float64Array, responseRatio: Record<string, number[]>, month: number): string {
  for (let c = 0; c < SAMPLE_CHANNELS.length; c++) {
    const channel = SAMPLE_CHANNELS[c];
    const ratio = responseRatio[channel];
    weights[c] = (0.5 * FIRST_TOUCH_MIX[channel] + 0.5 * LAST_TOUCH_MIX[channel]) * (ratio === undefined ? 1 : ratio[month]);
  }
  return SAMPLE_CHANNELS[categoricalDraw(uniform, weights)];
}

// ---- campaigns -------------------------------------------------------------------------------

/** Campaign columns; every one but channel and start_date is a KPI input the engine recognises. */
export const CAMPAIGN_HEADERS = [
  "campaign",
  "channel",
  "start_date",
  "sent",
  "hard_bounces",
  "soft_bounces",
  "unique_opens",
  "unique_clicks",
  "unsubscribes",
  "impressions",
  "clicks",
  "sessions",
  "form_views",
  "form_submissions",
  "leads",
  "conversions",
  "spend",
  "revenue",
] as const;

function campaignFormat(header: string): string | null {
  if (header === "campaign" || header === "channel") return "@";
  if (header === "start_date") return "yyyy-mm-dd";
  if (header === "spend" || header === "revenue") return "#,##0.00";
  return "#,##0";
}

const CAMPAIGN_THEMES = [
  "New Year Sale",
  "Winter Clearance",
  "Valentine's Picks",
  "Spring Collection",
  "Mother's Day",
  "Shoes, Bags & More",
  "Summer Sale",
  "Back to School",
  "Autumn Arrivals",
  "Black Friday",
  "Holiday Gifts",
  "Loyalty Rewards",
  "Win-back",
  "Welcome Series",
  "Flash Sale",
];

/** Channels of the 30 campaigns: 12 e-mail, 18 web ads. */
const CAMPAIGN_CHANNELS: readonly SampleChannel[] = [
  ...Array<SampleChannel>(12).fill("Email"),
  ...Array<SampleChannel>(7).fill("Paid Search"),
  ...Array<SampleChannel>(5).fill("Social"),
  ...Array<SampleChannel>(4).fill("Display"),
  ...Array<SampleChannel>(2).fill("Affiliate"),
];

/** Cost per click and click-through rate of ads by channel. */
const AD_ECONOMICS: Readonly<Record<string, { costPerClick: number; clickThrough: number }>> = {
  "Paid Search": { costPerClick: 1.2, clickThrough: 0.045 },
  Social: { costPerClick: 0.8, clickThrough: 0.012 },
  Display: { costPerClick: 0.6, clickThrough: 0.004 },
  Affiliate: { costPerClick: 1.5, clickThrough: 0.01 },
};

function campaignTable(uniform: Uniform, calendar: Calendar, spend: Record<string, number[]>, scale: number): SampleCell[][] {
  const count = CAMPAIGN_CHANNELS.length;
  const months = calendar.monthStarts.length;
  // Channels interleaved over time: campaign k runs in month ⌊k·months/count⌋.
  const order = CAMPAIGN_CHANNELS.map((channel, k) => ({ channel, key: (k * 7) % count }));
  order.sort((x, y) => x.key - y.key);
  const rows: SampleCell[][] = [];
  for (let k = 0; k < count; k++) {
    const channel = order[k].channel;
    const month = Math.min(months - 1, Math.floor((k * months) / count));
    const monthStart = calendar.monthStarts[month];
    const startDay = Math.min(calendar.start + calendar.days - 1, Math.max(calendar.start, monthStart + Math.floor(uniform() * 20)));
    const { year, month: calendarMonth } = serialToCalendar(startDay);
    const theme = CAMPAIGN_THEMES[(calendarMonth - 1 + Math.floor(uniform() * 3)) % CAMPAIGN_THEMES.length];
    const name = `${year}-${String(calendarMonth).padStart(2, "0")} ${theme} (${channel})`;
    const growth = 1 + (0.5 * month) / Math.max(1, months - 1);
    const aov = 90 * uniformBetween(uniform, 0.85, 1.2);
    if (channel === "Email") {
      const sent = Math.max(50, Math.round(DEFAULT_CUSTOMERS * scale * uniformBetween(uniform, 0.35, 0.8) * growth));
      const hard = Math.round(sent * uniformBetween(uniform, 0.002, 0.008));
      const soft = Math.round(sent * uniformBetween(uniform, 0.005, 0.015));
      const delivered = sent - hard - soft;
      const opens = Math.round(delivered * uniformBetween(uniform, 0.18, 0.38));
      const clicks = Math.round(opens * uniformBetween(uniform, 0.08, 0.22));
      const unsubscribes = Math.min(delivered, Math.round(delivered * uniformBetween(uniform, 0.001, 0.004)));
      const sessions = Math.round(clicks * uniformBetween(uniform, 0.8, 0.97));
      const conversions = Math.round(sessions * uniformBetween(uniform, 0.03, 0.08));
      const cost = roundCents(spend.Email[month] * uniformBetween(uniform, 0.15, 0.35));
      const revenue = roundCents(conversions * aov);
      rows.push([name, channel, startDay, sent, hard, soft, opens, clicks, unsubscribes, null, null, sessions, null, null, null, conversions, cost, revenue]);
    } else {
      const { costPerClick, clickThrough } = AD_ECONOMICS[channel];
      const cost = roundCents(spend[channel][month] * uniformBetween(uniform, 0.2, 0.45));
      const clicks = Math.round((cost / costPerClick) * noiseFactor(uniform, 0.15));
      const impressions = Math.max(clicks, Math.round((clicks / clickThrough) * noiseFactor(uniform, 0.2)));
      const sessions = Math.round(clicks * uniformBetween(uniform, 0.85, 0.97));
      const formViews = Math.round(sessions * uniformBetween(uniform, 0.1, 0.25));
      const submissions = Math.round(formViews * uniformBetween(uniform, 0.15, 0.35));
      const leads = Math.round(submissions * uniformBetween(uniform, 0.6, 0.95));
      const conversions = Math.round(sessions * uniformBetween(uniform, 0.01, 0.04));
      const revenue = roundCents(conversions * aov);
      rows.push([name, channel, startDay, null, null, null, null, null, null, impressions, clicks, sessions, formViews, submissions, leads, conversions, cost, revenue]);
    }
  }
  return rows;
}

/** The win-back voucher of the holdout campaign, redeemed by each test customer who orders in its window. */
const HOLDOUT_VOUCHER = 10;

/**
 * The holdout campaign's row of the Campaigns table: sent to the test group on the assignment day,
 * e-mail KPIs drawn like the other e-mail campaigns', conversions and revenue = the orders the
 * campaign added (holdout.ts), spend = 0.05 per e-mail sent plus a 10.00 voucher redeemed by every
 * test customer who orders in the window (organic buyers redeem it too: the cost of a win-back
 * offer), taken at the true test rate: 0.05·sent + 10·sent·p_T.
 */
function holdoutCampaignRow(uniform: Uniform, holdout: SampleHoldout, startDate: number): SampleCell[] {
  const sent = holdout.testCustomers;
  const hard = Math.round(sent * uniformBetween(uniform, 0.002, 0.008));
  const soft = Math.round(sent * uniformBetween(uniform, 0.005, 0.015));
  const delivered = sent - hard - soft;
  const opens = Math.round(delivered * uniformBetween(uniform, 0.3, 0.45));
  const clicks = Math.round(opens * uniformBetween(uniform, 0.2, 0.3));
  const unsubscribes = Math.min(delivered, Math.round(delivered * uniformBetween(uniform, 0.001, 0.004)));
  const sessions = Math.round(clicks * uniformBetween(uniform, 0.85, 0.97));
  const conversions = Math.min(sessions, holdout.addedOrders);
  const testRate = Number(holdout.truth.testRate);
  const spend = roundCents(0.05 * sent + HOLDOUT_VOUCHER * sent * (Number.isFinite(testRate) ? testRate : 0));
  return [holdout.campaign, "Email", startDate + holdout.assignedDay, sent, hard, soft, opens, clicks, unsubscribes, null, null, sessions, null, null, null, conversions, spend, holdout.addedRevenue];
}

/**
 * One table of a generated business by name.
 *
 * @param business from {@link generateSampleBusiness}.
 * @param name the table's name.
 * @returns the table.
 * @throws EngineError INVALID_INPUT when the business has no table of that name.
 */
export function sampleTable(business: SampleBusiness, name: SampleTableName): SampleTable {
  const table = business.tables.find((t) => t.name === name);
  if (table === undefined) {
    throw invalidArgument("name", `no sample table "${String(name)}"; the tables are ${TABLE_ORDER.join(", ")}`);
  }
  return table;
}
