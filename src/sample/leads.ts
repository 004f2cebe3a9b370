/**
 * Leads of the sample business's wholesale side: shops, hotels, offices and schools that ask about
 * buying gifts in bulk, their engagement events, and which of them became customers.
 *
 * How they are drawn (n = 3,000 × scale leads, at least 10; scale = customers / 20,000):
 * - Profile: industry, size (employees), job title and country drawn independently with the
 *   weights below; created on a uniform day of the two years.
 * - True fit F (0–85 points) = industry points + size points + job-title points ({@link FIT_POINTS});
 *   f = F / 85. Country carries no fit.
 * - True interest θ ~ Gamma(shape 1.5, rate 1.5 / (0.4 + 1.2 f)): mean 0.4 + 1.2 f, so well-fitting
 *   leads are keener on average.
 * - Events: Poisson(4 θ) of them, each on day created + ⌊Exponential(mean 20 days)⌋ within 90 days
 *   (events after the last day are not written); the type is drawn with weights Web visit 5, Email
 *   click 3, Webinar 1, Pricing page 0.5 + θ, Demo request 0.5 θ (keen leads ask for demos).
 * - Conversion: the lead becomes a customer with probability σ(−5.2 + 3.5 f + 1.4 θ) (σ the logistic
 *   function). A converting lead is linked to the first customer not yet linked who signed up on or
 *   after created + 1 + ⌊Exponential(mean 21 days)⌋; when none signs up before the end, the lead
 *   stays a lead (`truth.leads.censored` counts them).
 *
 * Glossary: F fit points, f = F/85, θ (theta) interest, σ(x) = 1/(1 + e^−x).
 */

import { exponentialDraw, gammaDraw, type Uniform } from "../engine/math/random";
import { categoricalDraw, padNumber, poissonDraw } from "./draws";

/** A category with its draw weight and fit points. */
interface Scored {
  readonly name: string;
  readonly weight: number;
  readonly points: number;
}

const INDUSTRIES: readonly Scored[] = [
  { name: "Retail", weight: 0.25, points: 25 },
  { name: "Hospitality", weight: 0.15, points: 20 },
  { name: "Corporate gifting", weight: 0.15, points: 30 },
  { name: "Education", weight: 0.15, points: 5 },
  { name: "Healthcare", weight: 0.1, points: 10 },
  { name: "Technology", weight: 0.2, points: 15 },
];
/** Size bands: employees drawn log-uniformly between the bounds. */
const SIZE_BANDS: readonly (Scored & { readonly low: number; readonly high: number })[] = [
  { name: "1-9", weight: 0.35, points: 5, low: 1, high: 9 },
  { name: "10-49", weight: 0.3, points: 15, low: 10, high: 49 },
  { name: "50-249", weight: 0.2, points: 25, low: 50, high: 249 },
  { name: "250+", weight: 0.15, points: 20, low: 250, high: 4999 },
];
const JOB_TITLES: readonly Scored[] = [
  { name: "Owner", weight: 0.2, points: 25 },
  { name: "Buyer", weight: 0.2, points: 30 },
  { name: "Office manager", weight: 0.2, points: 15 },
  { name: "Marketing manager", weight: 0.15, points: 20 },
  { name: "Assistant", weight: 0.15, points: 5 },
  { name: "Student", weight: 0.1, points: 0 },
];
const COUNTRIES = ["United States", "United Kingdom", "Germany", "France", "Canada", "Australia"] as const;
const COUNTRY_WEIGHTS = [0.35, 0.2, 0.15, 0.1, 0.1, 0.1] as const;
/** Event types; the last two weights grow with interest (see the file header). */
export const LEAD_EVENT_TYPES = ["Web visit", "Email click", "Webinar", "Pricing page", "Demo request"] as const;

const COMPANY_FIRST = ["Northwind", "Bluebird", "Maple", "Harbor", "Summit", "Cedar", "Silverline", "Goldleaf", "Riverbend", "Oakridge", "Pioneer", "Lakeside", "Evergreen", "Brightside", "Redwood", "Copperfield"];
const COMPANY_SECOND = ["Gifts", "Hotels", "Trading", "Supplies", "Labs", "Academy", "Clinic", "Systems", "Events", "Boutique", "Partners", "Outfitters"];
const COMPANY_SUFFIX = ["Ltd", "Inc", "LLC", "GmbH", "& Co", "Group"];

/** Fit points by profile value: the true fit rule (maximum 85). */
export const FIT_POINTS: Readonly<{ industry: Readonly<Record<string, number>>; employees: readonly { readonly from: number; readonly points: number }[]; jobTitle: Readonly<Record<string, number>>; maximum: number }> = {
  industry: Object.fromEntries(INDUSTRIES.map((x) => [x.name, x.points])),
  employees: SIZE_BANDS.map((band) => ({ from: band.low, points: band.points })),
  jobTitle: Object.fromEntries(JOB_TITLES.map((x) => [x.name, x.points])),
  maximum: 85,
};

/** Lead-model coefficients: logit of conversion = intercept + fit·f + interest·θ. */
export const LEAD_CONVERSION = { intercept: -5.2, fit: 3.5, interest: 1.4 } as const;
const INTEREST_SHAPE = 1.5;
const EVENTS_PER_INTEREST = 4;
const EVENT_WINDOW_DAYS = 90;
const EVENT_LAG_MEAN_DAYS = 20;
const SIGNUP_LAG_MEAN_DAYS = 21;
const LEADS_AT_BASE = 3000;

/** Fit points of a profile by {@link FIT_POINTS} (unknown values score 0). */
export function fitPointsOf(industry: string, employees: number, jobTitle: string): number {
  let size = 0;
  for (const band of FIT_POINTS.employees) if (employees >= band.from) size = band.points;
  return (FIT_POINTS.industry[industry] ?? 0) + size + (FIT_POINTS.jobTitle[jobTitle] ?? 0);
}

/** What {@link sampleLeads} returns. */
export interface SampleLeads {
  /** Lead ID, Company, Industry, Employees, Job title, Country, Created, Customer ID. */
  readonly leadRows: (string | number | null)[][];
  /** Lead ID, Date, Event, in date order. */
  readonly eventRows: (string | number)[][];
  readonly truth: Readonly<Record<string, unknown>>;
}

/**
 * Draws the leads and their events (the model in the file header).
 *
 * @param uniform the leads' stream.
 * @param startDate Excel serial of the first day.
 * @param days days in the two years.
 * @param scale customers / 20,000.
 * @param customerIds the customers' ids, in signup order.
 * @param signupOffsets each customer's signup day (days from the first day), ascending.
 */
export function sampleLeads(uniform: Uniform, startDate: number, days: number, scale: number, customerIds: readonly string[], signupOffsets: Float64Array): SampleLeads {
  const count = Math.max(10, Math.round(LEADS_AT_BASE * scale));
  const width = Math.max(5, String(count).length);
  const created = new Int32Array(count);
  for (let k = 0; k < count; k++) created[k] = Math.floor(uniform() * days);
  created.sort();
  const linked = new Uint8Array(customerIds.length);
  const leadRows: (string | number | null)[][] = [];
  const events: { day: number; lead: number; type: string }[] = [];
  const eventWeights = new Float64Array(LEAD_EVENT_TYPES.length);
  let converted = 0;
  let censored = 0;
  let fitSum = 0;
  for (let k = 0; k < count; k++) {
    const industry = INDUSTRIES[categoricalDraw(uniform, INDUSTRIES.map((x) => x.weight))];
    const band = SIZE_BANDS[categoricalDraw(uniform, SIZE_BANDS.map((x) => x.weight))];
    const employees = Math.min(band.high, Math.floor(band.low * Math.pow(band.high / band.low, uniform()) + 0.5));
    const title = JOB_TITLES[categoricalDraw(uniform, JOB_TITLES.map((x) => x.weight))];
    const country = COUNTRIES[categoricalDraw(uniform, COUNTRY_WEIGHTS)];
    const company = `${COMPANY_FIRST[Math.floor(uniform() * COMPANY_FIRST.length)]} ${COMPANY_SECOND[Math.floor(uniform() * COMPANY_SECOND.length)]} ${COMPANY_SUFFIX[Math.floor(uniform() * COMPANY_SUFFIX.length)]}`;
    const f = fitPointsOf(industry.name, employees, title.name) / FIT_POINTS.maximum;
    fitSum += f;
    const meanInterest = 0.4 + 1.2 * f;
    const theta = gammaDraw(uniform, INTEREST_SHAPE, INTEREST_SHAPE / meanInterest);
    const eventCount = poissonDraw(uniform, EVENTS_PER_INTEREST * theta);
    eventWeights.set([5, 3, 1, 0.5 + theta, 0.5 * theta]);
    for (let e = 0; e < eventCount; e++) {
      const lag = Math.min(EVENT_WINDOW_DAYS - 1, Math.floor(exponentialDraw(uniform, 1 / EVENT_LAG_MEAN_DAYS)));
      const type = LEAD_EVENT_TYPES[categoricalDraw(uniform, eventWeights)];
      if (created[k] + lag <= days - 1) events.push({ day: created[k] + lag, lead: k, type });
    }
    const logit = LEAD_CONVERSION.intercept + LEAD_CONVERSION.fit * f + LEAD_CONVERSION.interest * theta;
    let customer: string | null = null;
    if (uniform() < 1 / (1 + Math.exp(-logit))) {
      const target = created[k] + 1 + Math.floor(exponentialDraw(uniform, 1 / SIGNUP_LAG_MEAN_DAYS));
      let i = lowerBound(signupOffsets, target);
      while (i < linked.length && linked[i] === 1) i++;
      if (i < linked.length) {
        linked[i] = 1;
        customer = customerIds[i];
        converted++;
      } else censored++;
    }
    leadRows.push([`L${padNumber(k + 1, width)}`, company, industry.name, employees, title.name, country, startDate + created[k], customer]);
  }
  events.sort((x, y) => x.day - y.day || x.lead - y.lead);
  const eventRows = events.map((event) => [leadRows[event.lead][0] as string, startDate + event.day, event.type]);
  return {
    leadRows,
    eventRows,
    truth: {
      count,
      converted,
      censored,
      meanFit: fitSum / count,
      fitPoints: FIT_POINTS,
      interest: `θ ~ Gamma(shape ${INTEREST_SHAPE}, mean 0.4 + 1.2 f)`,
      events: `Poisson(${EVENTS_PER_INTEREST} θ) within ${EVENT_WINDOW_DAYS} days of creation, lag Exponential(mean ${EVENT_LAG_MEAN_DAYS} days); weights Web visit 5, Email click 3, Webinar 1, Pricing page 0.5 + θ, Demo request 0.5 θ`,
      conversion: { ...LEAD_CONVERSION, rule: "P(customer) = σ(intercept + fit·f + interest·θ), f = fit points / 85" },
      signupLagMeanDays: SIGNUP_LAG_MEAN_DAYS,
    },
  };
}

/** First index whose value is ≥ target in an ascending array (its length when none). */
function lowerBound(values: Float64Array, target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] < target) low = middle + 1;
    else high = middle;
  }
  return low;
}
