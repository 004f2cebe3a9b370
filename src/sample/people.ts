/**
 * Synthetic people for the sample business: deliberately fake names, e-mail addresses on the reserved
 * example domains and telephone numbers in the range reserved for fiction.
 *
 * - Domains: example.com, example.org and example.net are reserved for documentation (RFC 2606 §3),
 *   so no mail can ever reach a real person.
 * - Phones: in the North American Numbering Plan, 555-0100 to 555-0199 are set aside for fictional
 *   use in every area code, written here as "+1 <area>-555-01<xx>".
 *
 * References: RFC 2606, "Reserved Top Level DNS Names", §3; NANPA, "555 NXX Line Numbers"
 * (555-0100 through 555-0199 reserved for fictitious use).
 */

import type { Uniform } from "../engine/math/random";
import { padNumber } from "./draws";

/** First names (a plain mix, with no link to any real person). */
export const FIRST_NAMES: readonly string[] = [
  "Ava", "Ben", "Chloe", "Daniel", "Ella", "Felix", "Grace", "Hugo", "Isla", "Jack",
  "Kira", "Leo", "Maya", "Noah", "Olivia", "Priya", "Quinn", "Ruby", "Sam", "Tara",
  "Umar", "Vera", "Will", "Xena", "Yusuf", "Zoe", "Amir", "Bea", "Carlos", "Dana",
  "Elif", "Finn", "Gia", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Mateo", "Nina",
];

/** Last names, made up or very common, so that a full name is plausible but fake. */
export const LAST_NAMES: readonly string[] = [
  "Ashdown", "Brightwater", "Castellan", "Dunmore", "Everly", "Fairbanks", "Greystone", "Hollins",
  "Ivory", "Jenkinson", "Kettleby", "Lindqvist", "Marchetti", "Northcott", "Okafor", "Pemberton",
  "Quarrie", "Rosewood", "Silverton", "Thornbury", "Underhill", "Vance", "Whitlock", "Yardley",
  "Zeller", "Abbott", "Blackwood", "Crane", "Delacroix", "Ellery", "Fontaine", "Garrow",
];

/** Reserved example domains (RFC 2606). */
export const EMAIL_DOMAINS: readonly string[] = ["example.com", "example.org", "example.net"];

/** Area codes used in the fictional phone numbers (the 555-01xx part is what makes them fictional). */
const AREA_CODES: readonly number[] = [201, 212, 305, 312, 415, 503, 617, 702, 808, 919];

/** A person's fake contact details. */
export interface SyntheticPerson {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
}

/**
 * A fake person for customer number `number` (1-based): the number is part of the e-mail address,
 * so addresses are unique.
 *
 * @param uniform the generator.
 * @param number the customer's number.
 */
export function syntheticPerson(uniform: Uniform, number: number): SyntheticPerson {
  const first = FIRST_NAMES[Math.floor(uniform() * FIRST_NAMES.length)];
  const last = LAST_NAMES[Math.floor(uniform() * LAST_NAMES.length)];
  const domain = EMAIL_DOMAINS[Math.floor(uniform() * EMAIL_DOMAINS.length)];
  const area = AREA_CODES[Math.floor(uniform() * AREA_CODES.length)];
  const line = Math.floor(uniform() * 100);
  return {
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${number}@${domain}`,
    phone: `+1 ${area}-555-01${padNumber(line, 2)}`,
  };
}
