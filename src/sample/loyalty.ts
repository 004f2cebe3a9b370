/**
 * The sample business's NPS survey and its customers' referrals, both driven by how much and how
 * recently a customer buys.
 *
 * How they are drawn:
 * - Each customer has a satisfaction trait η ~ Normal(0, 1.2²). At a day t, the customer's
 *   satisfaction is s(t) = 7.2 + 1.1·ln n(t) − 1.2·min(r(t)/180, 2) + η, where n(t) is the number of
 *   orders on or before t and r(t) the days since the last of them.
 * - Survey: a customer answers with probability 0.15, on a uniform day from the signup day + 7 to the
 *   last day (when there is one). The answer to "How likely are you to recommend us? (0-10)" is
 *   s(t) + Normal(0, 1.5²) rounded and clipped to 0…10: frequent, recent customers score higher.
 * - Referrals: friends referred over the two years ~ Poisson(0.08·exp(0.55·(s(end) − 7))), s at the
 *   last day: loyal customers, the promoters, refer more.
 *
 * Glossary: η (eta) satisfaction trait; n(t) orders so far; r(t) recency in days.
 */

import { normalDraw, type Uniform } from "../engine/math/random";
import { poissonDraw } from "./draws";

/** The satisfaction and referral model's constants (the truth). */
export const LOYALTY_MODEL = {
  intercept: 7.2,
  frequency: 1.1,
  recency: -1.2,
  recencyScaleDays: 180,
  recencyCap: 2,
  traitSd: 1.2,
  answerNoiseSd: 1.5,
  responseRate: 0.15,
  firstAnswerAfterDays: 7,
  referralBaseRate: 0.08,
  referralSlope: 0.55,
} as const;

/** Satisfaction without the trait and noise: the behavioural part of s(t). */
export function behaviouralSatisfaction(ordersSoFar: number, daysSinceLast: number): number {
  const m = LOYALTY_MODEL;
  return m.intercept + m.frequency * Math.log(Math.max(1, ordersSoFar)) + m.recency * Math.min(daysSinceLast / m.recencyScaleDays, m.recencyCap);
}

/** What {@link sampleLoyalty} returns. */
export interface SampleLoyalty {
  /** Customer ID, Date, score; in date order. */
  readonly surveyRows: (string | number)[][];
  /** Friends referred by each customer, by customer index. */
  readonly referrals: Int32Array;
  readonly truth: Readonly<Record<string, unknown>>;
}

/**
 * Draws the survey answers and the referral counts (the model in the file header).
 *
 * @param uniform the loyalty stream.
 * @param startDate Excel serial of the first day.
 * @param days days in the two years.
 * @param customerIds the customers' ids.
 * @param orderDays each customer's order days (days from the first day), ascending, refunds excluded.
 */
export function sampleLoyalty(uniform: Uniform, startDate: number, days: number, customerIds: readonly string[], orderDays: readonly (readonly number[])[]): SampleLoyalty {
  const m = LOYALTY_MODEL;
  const answers: { day: number; customer: number; score: number }[] = [];
  const referrals = new Int32Array(customerIds.length);
  let referralTotal = 0;
  const sinceDays = (list: readonly number[], day: number): { n: number; r: number } => {
    let n = 0;
    while (n < list.length && list[n] <= day) n++;
    return { n, r: n === 0 ? 0 : day - list[n - 1] };
  };
  for (let i = 0; i < customerIds.length; i++) {
    const list = orderDays[i];
    const eta = m.traitSd * normalDraw(uniform);
    const from = list[0] + m.firstAnswerAfterDays;
    if (uniform() < m.responseRate && from <= days - 1) {
      const day = from + Math.floor(uniform() * (days - from));
      const { n, r } = sinceDays(list, day);
      const s = behaviouralSatisfaction(n, r) + eta + m.answerNoiseSd * normalDraw(uniform);
      answers.push({ day, customer: i, score: Math.max(0, Math.min(10, Math.round(s))) });
    }
    const end = sinceDays(list, days - 1);
    const rate = m.referralBaseRate * Math.exp(m.referralSlope * (behaviouralSatisfaction(end.n, end.r) + eta - 7));
    referrals[i] = poissonDraw(uniform, rate);
    referralTotal += referrals[i];
  }
  answers.sort((x, y) => x.day - y.day || x.customer - y.customer);
  const promoters = answers.filter((a) => a.score >= 9).length;
  const detractors = answers.filter((a) => a.score <= 6).length;
  return {
    surveyRows: answers.map((a) => [customerIds[a.customer], startDate + a.day, a.score]),
    referrals,
    truth: {
      model: { ...m },
      satisfaction: "s(t) = 7.2 + 1.1·ln n(t) − 1.2·min(r(t)/180, 2) + η, η ~ Normal(0, 1.2²)",
      answer: "round(s(t) + Normal(0, 1.5²)) clipped to 0…10",
      referralRate: "0.08·exp(0.55·(s(last day) − 7)) friends over the two years (Poisson)",
      respondents: answers.length,
      nps: answers.length === 0 ? 0 : (100 * (promoters - detractors)) / answers.length,
      referrals: referralTotal,
    },
  };
}
