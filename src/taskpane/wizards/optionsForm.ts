/**
 * The Options step's fields as text (what the user typed) and their reading into {@link WizardOptions},
 * with a message per field that cannot be read.
 */
import type { WizardOptions } from "../worker/protocol";
import type { OptionGroup } from "./definitions";

export interface OptionsText {
  readonly model: string;
  readonly period: string;
  readonly horizon: string;
  readonly discount: string;
  readonly mask: string;
  readonly salt: string;
  readonly growth: string;
  readonly targetRevenue: string;
  readonly cac: string;
  readonly margin: string;
  readonly lookback: string;
  readonly halfLife: string;
}

export type OptionField = keyof OptionsText;

export const DEFAULT_OPTIONS_TEXT: OptionsText = {
  model: "auto",
  period: "week",
  horizon: "52",
  discount: "0.1",
  mask: "",
  salt: "",
  growth: "0.1",
  targetRevenue: "",
  cac: "",
  margin: "",
  lookback: "30",
  halfLife: "7",
};

/** The fields of each group. */
export const GROUP_FIELDS: Readonly<Record<OptionGroup, readonly OptionField[]>> = {
  customerValue: ["model", "period", "horizon", "discount"],
  privacy: ["mask", "salt"],
  budget: ["growth", "targetRevenue", "cac", "margin"],
  attribution: ["lookback", "halfLife"],
};

/** Numbers as people type them: "0.1", "10%" (a share), "1,250" (thousands), " 52 ". */
export function numberOf(text: string): number | null {
  const trimmed = text.trim().replace(/[\s_]/g, "");
  if (trimmed === "") return null;
  const percent = trimmed.endsWith("%");
  const body = (percent ? trimmed.slice(0, -1) : trimmed).replace(/,(?=\d{3}(?:\D|$))/g, "");
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(body)) return Number.NaN;
  const value = Number(body);
  return percent ? value / 100 : value;
}

interface Rule {
  readonly test: (value: number) => boolean;
  readonly wanted: string;
}

const RULES: Partial<Record<OptionField, Rule>> = {
  horizon: { test: (v) => Number.isInteger(v) && v >= 1 && v <= 1000, wanted: "a whole number of periods from 1 to 1000, e.g. 52" },
  discount: { test: (v) => v >= 0 && v < 1, wanted: "a yearly rate from 0 to below 1, e.g. 0.1 or 10%" },
  growth: { test: (v) => v > -1 && v <= 10, wanted: "a share above −100%, e.g. 0.1 or 10% for ten percent more revenue" },
  targetRevenue: { test: (v) => v > 0, wanted: "an amount above 0, or blank to use the growth target" },
  cac: { test: (v) => v > 0, wanted: "an amount above 0, or blank to compute it from the spend table" },
  margin: { test: (v) => v > 0 && v <= 1, wanted: "a share above 0 and at most 1, e.g. 0.4 or 40%" },
  lookback: { test: (v) => v > 0 && v <= 3650, wanted: "a number of days above 0, e.g. 30" },
  halfLife: { test: (v) => v > 0 && v <= 3650, wanted: "a number of days above 0, e.g. 7" },
};

export interface ReadOptions {
  readonly options: WizardOptions;
  /** A message per field that cannot be read. */
  readonly errors: Partial<Record<OptionField, string>>;
}

/** Reads the fields of the groups shown; other fields keep their tab's default. */
export function readOptions(text: OptionsText, groups: readonly OptionGroup[]): ReadOptions {
  const errors: Partial<Record<OptionField, string>> = {};
  const shown = new Set(groups.flatMap((group) => GROUP_FIELDS[group]));
  const number = (field: OptionField): number | undefined => {
    if (!shown.has(field)) return undefined;
    const value = numberOf(text[field]);
    if (value === null) return undefined;
    const rule = RULES[field];
    if (Number.isNaN(value) || (rule !== undefined && !rule.test(value))) {
      errors[field] = `"${text[field].trim()}" is not ${rule?.wanted ?? "a number"}`;
      return undefined;
    }
    return value;
  };
  const options: WizardOptions = {
    ...(shown.has("model") ? { model: text.model as WizardOptions["model"], period: text.period as WizardOptions["period"] } : {}),
    ...(shown.has("mask") && text.mask !== "" ? { mask: text.mask as NonNullable<WizardOptions["mask"]>, maskSalt: text.salt === "" ? null : text.salt } : {}),
    horizonPeriods: number("horizon"),
    annualDiscountRate: number("discount"),
    targetGrowth: number("growth"),
    targetRevenue: number("targetRevenue") ?? null,
    cac: number("cac") ?? null,
    grossMarginRate: number("margin") ?? null,
    lookbackDays: number("lookback"),
    halfLifeDays: number("halfLife"),
  };
  // undefined members would still be sent to the worker; leave them out.
  const clean = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as WizardOptions;
  return { options: clean, errors };
}
