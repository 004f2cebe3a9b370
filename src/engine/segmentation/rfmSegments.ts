/**
 * The 11 named RFM segments on 3-digit codes (domain.md §4.2): every one of the 125 codes R·F·M
 * (each score 1..5) has exactly one segment. The table is data; test/engine/segmentation proves it is
 * a partition.
 *
 * References: domain.md §4.2 (the product's segment map, a widely used 11-segment RFM table).
 */

/** Segment names in the order of the table (the order the Segmentation tab lists them in). */
export const RFM_SEGMENT_NAMES = [
  "Champions",
  "Loyal",
  "Potential Loyalist",
  "New Customers",
  "Promising",
  "Need Attention",
  "About To Sleep",
  "At Risk",
  "Can't Lose Them",
  "Hibernating",
  "Lost",
] as const;

export type RfmSegmentName = (typeof RFM_SEGMENT_NAMES)[number];

/** The codes of each segment, exactly as domain.md §4.2 lists them. */
export const RFM_SEGMENT_CODES: Readonly<Record<RfmSegmentName, string>> = {
  Champions: "555 554 544 545 454 455 445",
  Loyal: "543 444 435 355 354 345 344 335",
  "Potential Loyalist": "553 551 552 541 542 533 532 531 452 451 442 441 431 453 433 432 423 353 352 351 342 341 333 323",
  "New Customers": "512 511 422 421 412 411 311",
  Promising: "525 524 523 522 521 515 514 513 425 424 413 414 415 315 314 313",
  "Need Attention": "535 534 443 434 343 334 325 324",
  "About To Sleep": "331 321 312 221 213",
  "At Risk": "255 254 245 244 253 252 243 242 235 234 225 224 153 152 145 143 142 135 134 133 125 124",
  "Can't Lose Them": "155 154 144 214 215 115 114 113",
  Hibernating: "332 322 231 241 251 233 232 223 222 132 123 122 212 211",
  Lost: "111 112 121 131 141 151",
};

function codeIndex(r: number, f: number, m: number): number {
  return (r - 1) * 25 + (f - 1) * 5 + (m - 1);
}

// Index (R−1)·25 + (F−1)·5 + (M−1) → segment; a code listed twice or never leaves a gap the lookup reports.
const SEGMENT_BY_CODE: (RfmSegmentName | undefined)[] = new Array<RfmSegmentName | undefined>(125).fill(undefined);
for (const name of RFM_SEGMENT_NAMES) {
  for (const code of RFM_SEGMENT_CODES[name].split(" ")) {
    SEGMENT_BY_CODE[codeIndex(Number(code[0]), Number(code[1]), Number(code[2]))] = name;
  }
}

/**
 * The named segment of an RFM code.
 *
 * @param r recency score 1..5 (5 = most recent).
 * @param f frequency score 1..5.
 * @param m monetary score 1..5.
 * @returns the segment name of domain.md §4.2.
 * @throws Error when a score is outside 1..5 (a bug: scores come from quintileScores).
 */
export function rfmSegment(r: number, f: number, m: number): RfmSegmentName {
  const segment = r >= 1 && r <= 5 && f >= 1 && f <= 5 && m >= 1 && m <= 5 ? SEGMENT_BY_CODE[codeIndex(r, f, m)] : undefined;
  if (segment === undefined) throw new Error(`rfmSegment: no segment for scores ${r}, ${f}, ${m}`);
  return segment;
}
