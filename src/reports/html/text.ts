/**
 * Text measured without a browser, for laying out SVG charts: a conservative width per character
 * (wider than Segoe UI, Helvetica or DejaVu Sans draw it), so a label the layout says fits does fit
 * whatever sans-serif font the reader's machine falls back to.
 */

/** Width of one character as a share of the font size, on the wide side. */
function charWidth(ch: string): number {
  if (ch === " ") return 0.34;
  if (/[il.,:;'|!`]/.test(ch)) return 0.32;
  if (/[fjtrI()[\]{}\-/\\"]/.test(ch)) return 0.44;
  if (/[mwMW@]/.test(ch)) return 0.96;
  if (/[0-9]/.test(ch)) return 0.64;
  if (/[A-Z%&]/.test(ch)) return 0.76;
  if (/[a-z]/.test(ch)) return 0.62;
  return 0.8;
}

/** Estimated width in pixels of `text` at `fontSize` pixels (on the wide side). */
export function textWidth(text: string, fontSize: number): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width * fontSize;
}

/** The longest start of `text` that fits `maxWidth` with a trailing "…". */
export function truncateToWidth(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  for (let length = chars.length - 1; length > 0; length--) {
    const candidate = `${chars.slice(0, length).join("").trimEnd()}…`;
    if (textWidth(candidate, fontSize) <= maxWidth) return candidate;
  }
  return "…";
}

/** A label broken onto lines; `truncated` when even `maxLines` lines could not hold all of it. */
export interface WrappedText {
  readonly lines: readonly string[];
  readonly truncated: boolean;
}

/**
 * Breaks `text` at spaces onto at most `maxLines` lines of at most `maxWidth` pixels; only when it
 * cannot fit does the last line end in "…" (and `truncated` is true, so the caller can give the
 * full text as a tooltip).
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, maxLines: number): WrappedText {
  const words = text.trim().split(/\s+/).filter((word) => word !== "");
  if (words.length === 0) return { lines: [""], truncated: false };
  const lines: string[] = [];
  let current = "";
  let index = 0;
  for (; index < words.length; index++) {
    const candidate = current === "" ? words[index] : `${current} ${words[index]}`;
    if (textWidth(candidate, fontSize) <= maxWidth || current === "") {
      current = candidate;
      continue;
    }
    if (lines.length + 1 === maxLines) break;
    lines.push(current);
    current = words[index];
  }
  const rest = index < words.length ? ` ${words.slice(index).join(" ")}` : "";
  const last = current + rest;
  const fitted = truncateToWidth(last, maxWidth, fontSize);
  lines.push(fitted);
  const truncated = fitted !== last || lines.some((line) => textWidth(line, fontSize) > maxWidth);
  return { lines: lines.map((line) => truncateToWidth(line, maxWidth, fontSize)), truncated };
}

/** The narrowest width (to whole pixels) at which `text` wraps onto at most `maxLines` lines without "…", capped at `maxWidth`. */
export function widthToWrap(text: string, fontSize: number, maxLines: number, maxWidth: number): number {
  const longestWord = Math.max(0, ...text.split(/\s+/).map((word) => textWidth(word, fontSize)));
  let width = Math.ceil(Math.max(longestWord, textWidth(text, fontSize) / maxLines));
  for (; width < maxWidth; width += 2) if (!wrapText(text, width, fontSize, maxLines).truncated) return width;
  return maxWidth;
}
