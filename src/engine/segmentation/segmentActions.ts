/**
 * What each of the 11 named RFM segments (domain.md §4.2) usually means and what to do about it, in
 * plain words: the Segmentation tab shows one line per segment beside its customers and revenue.
 * This is data, not a model: a starting point a marketer adapts to their margins and channels.
 *
 * Source: the widely used RFM segment playbook that goes with the 11-segment map (Putler, "RFM
 * Analysis for Successful Customer Segmentation", table "Customer segment / Activity / Actionable
 * tip"; reproduced by many CRM vendors), reworded here. Scores run 1..5 with 5 the best (most
 * recent, most orders, highest revenue), as everywhere in the product.
 *
 * References: domain.md §4.2 (segment names and codes).
 */

import type { RfmSegmentName } from "./rfmSegments";

/** One segment's description and recommended action. */
export interface SegmentAction {
  /** Who is in the segment, in words a marketer uses. */
  readonly who: string;
  /** What to do with them. */
  readonly action: string;
}

/** Where the actions come from, for the tab's source line. */
export const SEGMENT_ACTIONS_SOURCE =
  'the widely used 11-segment RFM playbook (Putler, "RFM Analysis for Successful Customer Segmentation"), reworded';

/** The recommended action of every named RFM segment. */
export const RFM_SEGMENT_ACTIONS: Readonly<Record<RfmSegmentName, SegmentAction>> = {
  Champions: {
    who: "bought recently, buy often and spend the most",
    action: "reward and recognise them; offer new products first and ask for reviews and referrals; no discounts needed",
  },
  Loyal: {
    who: "spend well and often, and respond to promotions",
    action: "upsell higher-value products, ask for reviews, keep them engaged",
  },
  "Potential Loyalist": {
    who: "recent customers who bought more than once and spent a fair amount",
    action: "offer membership or a loyalty programme and recommend related products",
  },
  "New Customers": {
    who: "bought very recently, but only once or twice",
    action: "welcome them: onboarding, a helpful first experience, a reason for a second order",
  },
  Promising: {
    who: "recent buyers who have not spent much yet",
    action: "build awareness of the range; trials or samples to raise their spend",
  },
  "Need Attention": {
    who: "above-average recency, orders and spend, but slipping",
    action: "limited-time offers and recommendations from past purchases, before they drift",
  },
  "About To Sleep": {
    who: "below-average recency, orders and spend; will be lost without a nudge",
    action: "share useful content and popular products at a small discount to reconnect",
  },
  "At Risk": {
    who: "spent a lot and often, but a long time ago",
    action: "win them back with personal emails, renewals and helpful content",
  },
  "Can't Lose Them": {
    who: "made the biggest and most frequent purchases, but not for a long time",
    action: "win them back first: personal contact, new products, ask why they left",
  },
  Hibernating: {
    who: "low spenders with few orders, the last one long ago",
    action: "offer other relevant products and special discounts; keep the spend on them low",
  },
  Lost: {
    who: "lowest recency, orders and spend",
    action: "one reactivation campaign at most; otherwise leave them out of paid campaigns",
  },
};
