/**
 * A small XML scanner for SpreadsheetML parts, in linear time whatever the markup: every character
 * is looked at a bounded number of times (no regular expression searches ahead for a closing tag,
 * so 200,000 unclosed <row> tags cost one pass, not 200,000), element nesting is checked with a
 * stack, and the first error ends the scan.
 *
 * Entities: only XML's five predefined entities and numeric character references are decoded. A
 * DOCTYPE (where entities, internal "billion laughs" or external SYSTEM ones, would be declared) is
 * refused, never expanded: Excel never writes one.
 */

/** Why a part is not well-formed XML (or declares a DOCTYPE); the caller names the file and part. */
export class XmlProblem extends Error {
  constructor(
    message: string,
    /** The part declares a DOCTYPE: refused rather than malformed. */
    readonly doctype = false,
  ) {
    super(message);
    this.name = "XmlProblem";
  }
}

/** What a scan reports: start tags, end tags, and character data while `capturing` is true. */
export interface XmlHandler {
  /**
   * An element starts.
   * @param name its local name (namespace prefix removed)
   * @param tag the whole start tag, for {@link attribute}
   * @param selfClosing `<x/>`: {@link close} follows at once
   */
  open(name: string, tag: string, selfClosing: boolean): void;
  /** An element ends (local name). */
  close(name: string): void;
  /** Character data, entities decoded (CDATA as it is); only while {@link capturing} is true. */
  text(text: string): void;
  /** Whether the handler wants the character data from here on. */
  readonly capturing: boolean;
}

/** A code point as text; U+FFFD for numbers that are not code points. */
function codePoint(value: number): string {
  return Number.isInteger(value) && value > 0 && value <= 0x10ffff ? String.fromCodePoint(value) : "\uFFFD";
}

/** XML's character references and its five named entities, decoded; any other "&name;" is left as it is. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity === "amp") return "&";
    if (entity === "lt") return "<";
    if (entity === "gt") return ">";
    if (entity === "quot") return '"';
    if (entity === "apos") return "'";
    return codePoint(entity.startsWith("#x") ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
  });
}

/** Excel's `_xHHHH_` escapes of characters XML cannot hold, decoded (cell text and attribute values). */
export function decodeExcelEscapes(text: string): string {
  if (!text.includes("_x")) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/**
 * Walks the attributes of a start tag in one pass, calling `visit` with the bounds of each name and
 * raw value (quotes excluded) until it returns true or the attributes end (or stop being well formed).
 */
function scanAttributes(tag: string, visit: (nameStart: number, nameEnd: number, valueStart: number, valueEnd: number) => boolean): void {
  const n = tag.length;
  let i = 1;
  while (i < n && !isSpace(tag.charCodeAt(i)) && tag.charCodeAt(i) !== 0x3e && tag.charCodeAt(i) !== 0x2f) i++;
  for (;;) {
    while (i < n && isSpace(tag.charCodeAt(i))) i++;
    const nameStart = i;
    while (i < n) {
      const code = tag.charCodeAt(i);
      if (code === 0x3d || isSpace(code) || code === 0x3e || code === 0x2f) break;
      i++;
    }
    if (i === nameStart) return;
    const nameEnd = i;
    while (i < n && isSpace(tag.charCodeAt(i))) i++;
    if (tag.charCodeAt(i) !== 0x3d) return;
    i++;
    while (i < n && isSpace(tag.charCodeAt(i))) i++;
    const quote = tag[i];
    if (quote !== '"' && quote !== "'") return;
    const valueEnd = tag.indexOf(quote, i + 1);
    if (valueEnd < 0) return;
    if (visit(nameStart, nameEnd, i + 1, valueEnd)) return;
    i = valueEnd + 1;
  }
}

/**
 * The value of an attribute of a start tag (entities decoded), in one pass over the tag.
 * @param name the qualified name ("r", "r:id"); with `anyPrefix`, the local name of a prefixed attribute ("id" finds "r:id" or "x:id")
 */
export function attribute(tag: string, name: string, anyPrefix = false): string | undefined {
  let value: string | undefined;
  scanAttributes(tag, (nameStart, nameEnd, valueStart, valueEnd) => {
    const length = nameEnd - nameStart;
    const matches = anyPrefix
      ? tag.charCodeAt(nameEnd - name.length - 1) === 0x3a && length > name.length + 1 && tag.startsWith(name, nameEnd - name.length)
      : length === name.length && tag.startsWith(name, nameStart);
    if (matches) value = decodeXmlEntities(tag.slice(valueStart, valueEnd));
    return matches;
  });
  return value;
}

/**
 * The values of several attributes of a start tag, in one pass (entities decoded); undefined for those absent.
 * @param names qualified names ("r", "t", "s")
 */
export function attributes(tag: string, names: readonly string[]): (string | undefined)[] {
  const out: (string | undefined)[] = new Array<string | undefined>(names.length).fill(undefined);
  scanAttributes(tag, (nameStart, nameEnd, valueStart, valueEnd) => {
    for (let k = 0; k < names.length; k++) {
      const name = names[k];
      if (out[k] === undefined && nameEnd - nameStart === name.length && tag.startsWith(name, nameStart)) out[k] = decodeXmlEntities(tag.slice(valueStart, valueEnd));
    }
    return false;
  });
  return out;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(":");
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

/** Line number (1-based) of a position, for messages. */
function lineAt(xml: string, position: number): number {
  let line = 1;
  for (let at = xml.indexOf("\n"); at >= 0 && at < position; at = xml.indexOf("\n", at + 1)) line++;
  return line;
}

/** The text of a name for a message: at most 40 characters. */
function shown(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}

/**
 * Scans a part's XML from start to end, reporting elements to the handler.
 * @throws XmlProblem when the XML is not well-formed (a tag cut short, an element never closed or
 *   closed by another name) or declares a DOCTYPE
 */
export function scanXml(xml: string, handler: XmlHandler): void {
  const n = xml.length;
  // The open elements' qualified and local names.
  const open: string[] = [];
  const openLocal: string[] = [];
  const malformed = (what: string, at: number): XmlProblem => new XmlProblem(`${what} at line ${lineAt(xml, at)}`);
  let pos = 0;
  while (pos < n) {
    const lt = xml.indexOf("<", pos);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > pos && handler.capturing) handler.text(decodeXmlEntities(xml.slice(pos, textEnd)));
    if (lt < 0) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x3f) {
      // <?xml ...?> and other processing instructions
      const end = xml.indexOf("?>", lt + 2);
      if (end < 0) throw malformed("a processing instruction is cut short", lt);
      pos = end + 2;
    } else if (next === 0x21) {
      if (xml.startsWith("<!--", lt)) {
        const end = xml.indexOf("-->", lt + 4);
        if (end < 0) throw malformed("a comment is cut short", lt);
        pos = end + 3;
      } else if (xml.startsWith("<![CDATA[", lt)) {
        const end = xml.indexOf("]]>", lt + 9);
        if (end < 0) throw malformed("a CDATA section is cut short", lt);
        if (handler.capturing) handler.text(xml.slice(lt + 9, end));
        pos = end + 3;
      } else if (xml.slice(lt + 2, lt + 9).toUpperCase() === "DOCTYPE") {
        throw new XmlProblem("declares a DOCTYPE (entity definitions), which Excel never writes", true);
      } else throw malformed("unexpected <!", lt);
    } else if (next === 0x2f) {
      // </name>
      let i = lt + 2;
      while (i < n) {
        const code = xml.charCodeAt(i);
        if (code === 0x3e || isSpace(code) || code === 0x3c) break;
        i++;
      }
      const nameEnd = i;
      while (i < n && isSpace(xml.charCodeAt(i))) i++;
      if (xml.charCodeAt(i) !== 0x3e) throw malformed(`the end tag </${shown(xml.slice(lt + 2, nameEnd))}> is cut short`, lt);
      const expected = open.pop();
      if (expected === undefined) throw malformed(`</${shown(xml.slice(lt + 2, nameEnd))}> closes no element`, lt);
      // Compared in place: no string is made for a well-formed end tag.
      if (nameEnd - (lt + 2) !== expected.length || !xml.startsWith(expected, lt + 2)) {
        throw malformed(`<${shown(expected)}> is closed by </${shown(xml.slice(lt + 2, nameEnd))}>`, lt);
      }
      handler.close(openLocal.pop()!);
      pos = i + 1;
    } else {
      // <name attributes...> or <name .../>; attribute values may hold ">" but never "<"
      let i = lt + 1;
      while (i < n) {
        const code = xml.charCodeAt(i);
        if (code === 0x3e || code === 0x2f || code === 0x3c || code === 0x22 || code === 0x27 || isSpace(code)) break;
        i++;
      }
      if (i === lt + 1) throw malformed("a tag has no name", lt);
      const qualified = xml.slice(lt + 1, i);
      // The next "<" after the tag's start, found once per tag: no attribute value may reach it.
      let nextLt = -1;
      for (; i < n; i++) {
        const code = xml.charCodeAt(i);
        if (code === 0x3e) break;
        if (code === 0x3c) throw malformed(`the tag <${shown(qualified)}> is cut short`, lt);
        if (code === 0x22 || code === 0x27) {
          const close = xml.indexOf(code === 0x22 ? '"' : "'", i + 1);
          if (close < 0) throw malformed(`the tag <${shown(qualified)}> is cut short`, lt);
          if (nextLt < i) {
            nextLt = xml.indexOf("<", i + 1);
            if (nextLt < 0) nextLt = n;
          }
          if (nextLt < close) throw malformed(`an attribute of <${shown(qualified)}> holds "<"`, lt);
          i = close;
        }
      }
      if (i >= n) throw malformed(`the tag <${shown(qualified)}> is cut short`, lt);
      const selfClosing = xml.charCodeAt(i - 1) === 0x2f;
      const name = localName(qualified);
      handler.open(name, xml.slice(lt, i + 1), selfClosing);
      if (selfClosing) handler.close(name);
      else {
        open.push(qualified);
        openLocal.push(name);
      }
      pos = i + 1;
    }
  }
  if (open.length > 0) throw malformed(`<${shown(open[open.length - 1])}> is never closed`, n);
}
