/**
 * Net Promoter Score (domain.md §2, Champions): on the 0–10 answer to "How likely are you to
 * recommend us?", promoters answer 9–10, passives 7–8 and detractors 0–6; NPS = % promoters −
 * % detractors, on a −100 … 100 scale. Check: {10, 10, 9, 8, 7, 6} → 50% − 16.7% = 33.3.
 */

import { EngineError, invalidCell } from "../errors";
import { isBlankCell, toNumber, toText } from "../data/cells";

/** NPS of one set of answers. */
export interface NpsResult {
  /** Answers counted (blanks left out). */
  readonly respondents: number;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  /** Shares of the respondents (0–1). */
  readonly promoterShare: number;
  readonly passiveShare: number;
  readonly detractorShare: number;
  /** % promoters − % detractors, −100 … 100. */
  readonly nps: number;
  /** Blank answers left out. */
  readonly blanks: number;
}

/** NPS of one group, with the group's label. */
export interface GroupNps extends NpsResult {
  readonly group: string;
}

function result(promoters: number, passives: number, detractors: number, blanks: number): NpsResult {
  const respondents = promoters + passives + detractors;
  const share = (count: number): number => (respondents === 0 ? 0 : count / respondents);
  return {
    respondents,
    promoters,
    passives,
    detractors,
    promoterShare: share(promoters),
    passiveShare: share(passives),
    detractorShare: share(detractors),
    nps: respondents === 0 ? 0 : (100 * (promoters - detractors)) / respondents,
    blanks,
  };
}

/** The answer of one row as a whole number 0–10, or null for a blank. */
function answerOf(value: unknown, argument: string, row: number): number | null {
  if (isBlankCell(value)) return null;
  const score = toNumber(value, argument, row);
  if (!Number.isInteger(score) || score < 0 || score > 10) throw invalidCell(argument, row, `${score} is not a whole number from 0 to 10`);
  return score;
}

/**
 * NPS of a column of 0–10 answers.
 *
 * @param scores the answers as cells (numbers or numeric text; blanks are left out and counted).
 * @param argument the argument named in errors.
 * @throws EngineError INVALID_INPUT for an answer that is not a whole number from 0 to 10 (row named);
 *   INSUFFICIENT_DATA when every answer is blank.
 */
export function netPromoterScore(scores: readonly unknown[], argument = "scores"): NpsResult {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  let blanks = 0;
  for (let i = 0; i < scores.length; i++) {
    const score = answerOf(scores[i], argument, i + 1);
    if (score === null) blanks++;
    else if (score >= 9) promoters++;
    else if (score >= 7) passives++;
    else detractors++;
  }
  if (promoters + passives + detractors === 0) throw new EngineError("INSUFFICIENT_DATA", `${argument}: no answers (every cell is blank)`, { argument });
  return result(promoters, passives, detractors, blanks);
}

/**
 * NPS per group (segment, region, survey wave), in order of first appearance, and of all answers.
 *
 * @param scores the answers as cells.
 * @param groups the group of each answer, as long as `scores`; a blank group is "(blank)".
 * @throws EngineError INVALID_INPUT for a bad answer or unequal lengths; INSUFFICIENT_DATA when every answer is blank.
 */
export function netPromoterScoreByGroup(scores: readonly unknown[], groups: readonly unknown[], argument = "scores", groupArgument = "groups"): { readonly groups: readonly GroupNps[]; readonly all: NpsResult } {
  if (groups.length !== scores.length) {
    throw new EngineError("INVALID_INPUT", `${groupArgument} has ${groups.length} rows and ${argument} has ${scores.length}; they must be equally long`, { argument: groupArgument });
  }
  const counts = new Map<string, [number, number, number, number]>();
  for (let i = 0; i < scores.length; i++) {
    const label = isBlankCell(groups[i]) ? "(blank)" : toText(groups[i], groupArgument, i + 1);
    let count = counts.get(label);
    if (count === undefined) counts.set(label, (count = [0, 0, 0, 0]));
    const score = answerOf(scores[i], argument, i + 1);
    count[score === null ? 3 : score >= 9 ? 0 : score >= 7 ? 1 : 2]++;
  }
  const all = netPromoterScore(scores, argument);
  return { groups: [...counts].map(([group, [p, q, d, b]]) => ({ group, ...result(p, q, d, b) })), all };
}
