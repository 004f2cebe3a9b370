/**
 * Recognition of campaign-table headers: which column holds sent, delivered, opens, clicks, spend…
 *
 * Headers are compared after normalisation: lower case, every character that is not a letter or a
 * digit removed ("Unique Opens", "unique_opens", "UNIQUE-OPENS" are one name), and a leading
 * "total" or "number of" dropped ("Total sent" is "sent"). The first column that gives a field wins;
 * later ones are reported as ignored.
 *
 * References: domain.md §6 (the KPIs and their inputs).
 */

/** A campaign-table input the KPIs are computed from, or the campaign label. */
export type CampaignField =
  | "label"
  | "sent"
  | "delivered"
  | "hardBounces"
  | "softBounces"
  | "bounces"
  | "uniqueOpens"
  | "opens"
  | "uniqueClicks"
  | "clicks"
  | "unsubscribes"
  | "impressions"
  | "sessions"
  | "visitors"
  | "engagedSessions"
  | "bouncedSessions"
  | "formViews"
  | "formSubmissions"
  | "leads"
  | "conversions"
  | "spend"
  | "revenue"
  | "pipelineStart"
  | "pipelineEnd";

/** Recognised header names per field, already normalised (see {@link normaliseHeader}). Exported for the README. */
export const CAMPAIGN_HEADER_SYNONYMS: Readonly<Record<CampaignField, readonly string[]>> = {
  label: ["campaign", "campaignname", "name", "campaignid", "id", "subject", "subjectline", "emailname", "emailsubject", "adname", "title", "campaigntitle"],
  sent: ["sent", "emailssent", "emailsent", "sends", "recipients", "messagessent"],
  delivered: ["delivered", "emailsdelivered", "deliveries", "successfuldeliveries"],
  hardBounces: ["hardbounces", "hardbounce", "hardbounced"],
  softBounces: ["softbounces", "softbounce", "softbounced"],
  bounces: ["bounces", "bounced", "bounce", "emailbounces"],
  uniqueOpens: ["uniqueopens", "uniqueopen", "uniqueopened", "opensunique", "openers"],
  opens: ["opens", "open", "opened", "emailopens"],
  uniqueClicks: ["uniqueclicks", "uniqueclick", "uniqueclicked", "clicksunique", "clickers"],
  clicks: ["clicks", "click", "clicked", "linkclicks", "clickthroughs"],
  unsubscribes: ["unsubscribes", "unsubscribe", "unsubscribed", "unsubs", "optouts", "optout"],
  impressions: ["impressions", "impression", "impr", "adimpressions"],
  sessions: ["sessions", "visits", "websessions", "sitevisits", "websitevisits"],
  visitors: ["visitors", "users", "webvisitors", "uniquevisitors", "websitevisitors"],
  engagedSessions: ["engagedsessions"],
  bouncedSessions: ["bouncedsessions", "nonengagedsessions", "singlepagesessions", "webbounces", "websitebounces"],
  formViews: ["formviews", "formview", "formimpressions", "formvisits"],
  formSubmissions: ["formsubmissions", "formsubmission", "submissions", "formsubmits", "formfills", "formcompletions"],
  leads: ["leads", "lead", "newleads", "leadsgenerated"],
  conversions: ["conversions", "conversion", "conv", "orders", "purchases", "transactions"],
  spend: ["spend", "spent", "cost", "costs", "adspend", "mediaspend", "amountspent"],
  revenue: ["revenue", "sales", "salesrevenue", "conversionvalue", "income"],
  pipelineStart: ["pipelinestart", "startpipeline", "startingpipeline", "pipelineatstart", "openingpipeline", "pipelinebeginning"],
  pipelineEnd: ["pipelineend", "endpipeline", "endingpipeline", "pipelineatend", "closingpipeline"],
};

const FIELD_BY_NAME: ReadonlyMap<string, CampaignField> = (() => {
  const map = new Map<string, CampaignField>();
  for (const [field, names] of Object.entries(CAMPAIGN_HEADER_SYNONYMS) as [CampaignField, readonly string[]][]) {
    for (const name of names) map.set(name, field);
  }
  return map;
})();

/** A header as compared: lower case, letters and digits only, without a leading "total" / "number of". */
export function normaliseHeader(header: string): string {
  const compact = header.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  for (const prefix of ["numberof", "total"]) {
    if (compact.startsWith(prefix) && compact.length > prefix.length) return compact.slice(prefix.length);
  }
  return compact;
}

/**
 * The field a header names, or null when it is not recognised.
 *
 * @param header the header text as in the table.
 * @returns the {@link CampaignField}, or null.
 */
export function campaignFieldOf(header: string): CampaignField | null {
  const compact = header.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  return FIELD_BY_NAME.get(compact) ?? FIELD_BY_NAME.get(normaliseHeader(header)) ?? null;
}
