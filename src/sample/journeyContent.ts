/**
 * Buyer-journey stages and contents of the sample business's touches.
 *
 * How they are drawn:
 * - Stage: a rule, no randomness. A touch of someone who has not bought yet (a customer before the
 *   first order, a prospect) is Awareness in the first third of its journey, Consideration
 *   after it, and Decision when it is the last touch before an order. A touch of a customer who
 *   already bought is Decision when it is the last touch before an order, Advocacy in the
 *   Referral and Social channels (sharing and reviewing), and Retention otherwise. The last touch
 *   of a journey of three or more touches that ends in no order is Decision too (they got as far
 *   as deciding, and did not buy).
 * - Content: one of the stage's contents, drawn with probability ∝ its base weight, times its
 *   conversion effect when the touch belongs to a journey that ends in an order. The effect is
 *   therefore the content's odds ratio of conversion against a content of effect 1 of the same
 *   stage: (share among converting touches ÷ share among other touches) of two contents of one
 *   stage compare as their effects.
 *
 * Glossary: position = index of the touch in its journey ÷ (touches − 1), 1 for a lone touch.
 */

import { categoricalDraw } from "./draws";
import type { Uniform } from "../engine/math/random";

/** The five stages, in journey order. */
export const JOURNEY_STAGES = ["Awareness", "Consideration", "Decision", "Retention", "Advocacy"] as const;
export type JourneyStage = (typeof JOURNEY_STAGES)[number];

/** A content shown at a stage: its base weight and its conversion effect (odds ratio, see the file header). */
export interface SampleContent {
  readonly name: string;
  readonly weight: number;
  readonly effect: number;
}

/** Contents of each stage with their weights and true conversion effects. */
export const STAGE_CONTENTS: Readonly<Record<JourneyStage, readonly SampleContent[]>> = {
  Awareness: [
    { name: "Blog: gift guide", weight: 1, effect: 1 },
    { name: "Social video: new collection", weight: 1, effect: 0.7 },
    { name: "Display banner: seasonal sale", weight: 1, effect: 0.5 },
  ],
  Consideration: [
    { name: "Customer reviews page", weight: 1, effect: 1.6 },
    { name: "Product comparison page", weight: 1, effect: 1.2 },
    { name: "Size & fit guide", weight: 1, effect: 1 },
  ],
  Decision: [
    { name: "Product demo video", weight: 0.8, effect: 2 },
    { name: "Free shipping offer", weight: 1, effect: 1.5 },
    { name: "Pricing page", weight: 1.2, effect: 1 },
  ],
  Retention: [
    { name: "Loyalty newsletter", weight: 1, effect: 1.5 },
    { name: "New arrivals email", weight: 1, effect: 1.2 },
    { name: "Order follow-up email", weight: 1, effect: 1 },
  ],
  Advocacy: [
    { name: "Refer-a-friend page", weight: 1, effect: 1.4 },
    { name: "Review request", weight: 1, effect: 1 },
  ],
};

/** Channels in which a customer who already bought advocates (shares, reviews). */
const ADVOCACY_CHANNELS: ReadonlySet<string> = new Set(["Referral", "Social"]);

/** Touches a journey without an order needs for its last one to be a Decision. */
export const DECIDING_JOURNEY_TOUCHES = 3;

/**
 * The stage of a touch (the rule in the file header).
 *
 * @param channel the touch's channel.
 * @param position 0 for the first touch of a journey … 1 for the last.
 * @param boughtBefore whether the person had already bought.
 * @param beforeOrder whether the journey ends in an order.
 * @param touches the number of touches in the journey.
 */
export function stageOfTouch(channel: string, position: number, boughtBefore: boolean, beforeOrder: boolean, touches: number): JourneyStage {
  if (position >= 1 && (beforeOrder || touches >= DECIDING_JOURNEY_TOUCHES)) return "Decision";
  if (boughtBefore) return ADVOCACY_CHANNELS.has(channel) ? "Advocacy" : "Retention";
  return position < 1 / 3 ? "Awareness" : "Consideration";
}

const WEIGHTS: Readonly<Record<JourneyStage, { readonly converting: Float64Array; readonly other: Float64Array }>> = Object.fromEntries(
  JOURNEY_STAGES.map((stage) => [
    stage,
    {
      converting: Float64Array.from(STAGE_CONTENTS[stage], (content) => content.weight * content.effect),
      other: Float64Array.from(STAGE_CONTENTS[stage], (content) => content.weight),
    },
  ]),
) as unknown as Record<JourneyStage, { converting: Float64Array; other: Float64Array }>;

/**
 * A content of the stage: probability ∝ weight × effect in a journey ending in an order, ∝ weight
 * otherwise.
 *
 * @param uniform the generator.
 * @param stage the touch's stage.
 * @param converting whether the touch's journey ends in an order.
 */
export function contentOfTouch(uniform: Uniform, stage: JourneyStage, converting: boolean): string {
  const weights = WEIGHTS[stage];
  return STAGE_CONTENTS[stage][categoricalDraw(uniform, converting ? weights.converting : weights.other)].name;
}
