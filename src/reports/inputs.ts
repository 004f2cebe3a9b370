/**
 * The data a report builder reads, as columns of cells exactly as Excel or a file gives them
 * (numbers, text, booleans, blanks as null or "", dates as serials or date text). The builders
 * coerce and validate through the engine's data layer, so bad input gets the same row-numbered
 * message in the task pane, in the runner and in the custom functions.
 *
 * Row numbers in messages are 1-based data rows (the first row under the header is row 1); a
 * caller that knows the sheet can add the header offset.
 */

import type { SummarisedOrders } from "./summarisedOrders";
import type { SummarisedTouchpoints } from "./summarisedTouchpoints";

/** One column of cells. */
export type Column = readonly unknown[];

/** Where a table came from, for provenance: "Orders!A1:D61234", "orders.csv". */
export interface SourceInfo {
  readonly source: string;
  /**
   * What was done while reading the table, in plain words, for provenance: "3 blank rows skipped
   * (rows 14, 15, 200)", "1 total row left out (row 52)", "dates in Purchase date read day-first
   * (31/01/2023 shows it)". Absent or empty when the table was read as it is.
   */
  readonly readingNotes?: readonly string[];
}

/** Order rows: one row per order (refunds are negative values). */
export interface OrdersInput extends SourceInfo {
  readonly customerIds: Column;
  readonly orderDates: Column;
  readonly orderValues: Column;
  /** The currency the data names ("EUR" from "Amount (EUR)", "€" from "1.458,30 €"), when it names one. */
  readonly currency?: string;
  /**
   * The orders summarised out of core (src/reports/summarisedOrders.ts) instead of read row by row:
   * then the three columns are empty. Absent for orders read from a sheet or a small file.
   */
  readonly summarised?: SummarisedOrders;
}

/** Customer attributes: demographics to profile segments with, and PII to mask. */
export interface CustomersInput extends SourceInfo {
  readonly customerIds: Column;
  readonly columns: readonly {
    readonly header: string;
    readonly values: Column;
    /** Personal data (name, email, phone): masked in generated tabs when masking is asked for. */
    readonly pii: boolean;
    /** A category to profile behavioural segments by (age band, region). */
    readonly demographic: boolean;
  }[];
}

/** A touchpoint log: one row per touch or conversion (IMC.ATTRIBUTE.EVENTS's layout). */
export interface TouchpointsInput extends SourceInfo {
  readonly customerIds: Column;
  readonly timestamps: Column;
  /** Channel of a touch; blank on a conversion row that is a separate event. */
  readonly channels: Column;
  /** 0 or blank on a touch; the conversion value (or 1) on a conversion row. */
  readonly conversions: Column;
  /**
   * The log summarised out of core (src/reports/summarisedTouchpoints.ts) instead of read row by
   * row: then the columns are empty. Absent for a log read from a sheet or a small file.
   */
  readonly summarised?: SummarisedTouchpoints;
}

/** Marketing spend: one row per period and channel. */
export interface SpendInput extends SourceInfo {
  /** Period of each row (a month's first day as a date, or text such as "2025-03"); may be all blank. */
  readonly periods: Column;
  readonly channels: Column;
  readonly amounts: Column;
}

/** A campaign table with a header row (IMC.CAMPAIGNKPIS's input). */
export interface CampaignsInput extends SourceInfo {
  /** Rows of cells, the first row being the headers. */
  readonly table: readonly (readonly unknown[])[];
}

/**
 * Touchpoint columns beyond IMC.ATTRIBUTE.EVENTS's four, read when the log has them: the buyer-journey
 * stage of each touch (awareness, consideration, decision, retention, advocacy) and the content shown.
 */
export interface TouchpointExtras {
  /** Stage of each touch, as written ("Awareness", "consideration"); blank when unknown. */
  readonly stages?: Column;
  /** Content of each touch ("Pricing page", "Webinar: CLV 101"); blank when unknown. */
  readonly contents?: Column;
}

/** A channel → buyer-journey stage table, for logs without a stage column. */
export interface StagesInput extends SourceInfo {
  readonly channels: Column;
  readonly stages: Column;
}

/** Leads: one row per lead, with profile (firmographic) columns to score fit by. */
export interface LeadsInput extends SourceInfo {
  readonly leadIds: Column;
  /** The customer id the lead became, when the table links leads to customers (blank: not a customer yet). */
  readonly customerIds?: Column;
  /** When the lead was created, when given. */
  readonly createdDates?: Column;
  /** Profile columns (company size, industry, job title, country…), by header, as written. */
  readonly columns: readonly { readonly header: string; readonly values: Column }[];
}

/** Engagement events of leads: one row per event (web visit, email click, demo request). */
export interface LeadEventsInput extends SourceInfo {
  readonly leadIds: Column;
  readonly dates: Column;
  /** Event type ("Email click", "Demo request"), when given. */
  readonly events?: Column;
  /** Points of each event, when given; otherwise points come from the event type (stated on the tab). */
  readonly points?: Column;
}

/** Survey answers: one row per respondent (likelihood to recommend, 0–10). */
export interface SurveyInput extends SourceInfo {
  /** The respondent's customer id, when given (to split NPS by segment). */
  readonly customerIds?: Column;
  /** 0–10 answers to "How likely are you to recommend us?". */
  readonly scores: Column;
  /** When the answer was given, when given (to compare periods). */
  readonly dates?: Column;
}

/** Referrals: customers' referral counts, from a column of the customers table or a referrals table. */
export interface ReferralsInput extends SourceInfo {
  readonly customerIds: Column;
  /** Referrals made by each row's customer (a count), or 1 per row when the table lists one referral a row. */
  readonly counts: Column;
}

/**
 * A holdout experiment: one row per customer assigned to a campaign's test group (contacted) or
 * control group (held out).
 */
export interface ExperimentsInput extends SourceInfo {
  readonly customerIds: Column;
  /** Campaign of each row; absent: one experiment. */
  readonly campaigns?: Column;
  /** "test" / "control" as written (also treatment / holdout, exposed / held out, 1 / 0, TRUE / FALSE). */
  readonly groups: Column;
  /** When the customer was contacted or assigned, when given (outcomes are then read from orders after it). */
  readonly dates?: Column;
  /** Whether each customer converted (1 / 0, TRUE / FALSE), when given; otherwise read from orders. */
  readonly conversions?: Column;
  /** Revenue from each customer in the test window, when given; otherwise read from orders. */
  readonly revenues?: Column;
}
